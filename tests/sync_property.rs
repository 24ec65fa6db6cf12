//! The sync's property (issue 19): two laptops share a quarter through one
//! bare repository; random writes made through the real binary's write
//! subcommands, split at random between the two boards, with syncs at
//! random points on either side (conflicts resolved with `--mine` or
//! `--theirs` at random), then syncs on both sides until quiet. Afterwards
//! both boards export the same bytes and nothing is lost: every item added
//! on either side is there (by stable id), every check-in is there, a field
//! changed on one side only holds that side's last value, a field changed on
//! both holds one side's last value, and a side chosen in a conflict holds
//! right after the sync that chose it.
//!
//! CI runs one case of 1,000 writes. The long run (docs/reliability.md):
//! `SYNC_PROPERTY_CASES=20 SYNC_PROPERTY_WRITES=1000 cargo test --release --test sync_property`.

#![allow(clippy::unwrap_used)]

#[allow(dead_code)] // the helpers the other sync suites use too
#[path = "sync/net.rs"]
mod net;

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

use net::Net;
use proptest::{prelude::*, test_runner::TestRunner};
use serde_json::Value;

fn setting(name: &str, default: u32) -> u32 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

/// One random step on one side.
#[derive(Debug, Clone)]
enum Step {
    Add { points: u8 },
    Points { item: prop::sample::Index, points: u8 },
    Title { item: prop::sample::Index },
    State { item: prop::sample::Index, state: u8 },
    Rank { item: prop::sample::Index, top: bool },
    CheckIn { value: u8 },
    Sync { theirs: bool },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0u8..=13).prop_map(|points| Step::Add { points }),
        4 => (any::<prop::sample::Index>(), 0u8..=13).prop_map(|(item, points)| Step::Points { item, points }),
        3 => any::<prop::sample::Index>().prop_map(|item| Step::Title { item }),
        3 => (any::<prop::sample::Index>(), 0u8..3).prop_map(|(item, state)| Step::State { item, state }),
        2 => (any::<prop::sample::Index>(), any::<bool>()).prop_map(|(item, top)| Step::Rank { item, top }),
        2 => (0u8..100).prop_map(|value| Step::CheckIn { value }),
        1 => any::<bool>().prop_map(|theirs| Step::Sync { theirs }),
    ]
}

/// A field of an item, by stable id.
type Field = (String, &'static str);

/// One laptop: its board and what it knows.
struct Side {
    name: &'static str,
    board: PathBuf,
    /// Stable id -> number on this board (numbers change only at a sync).
    numbers: BTreeMap<String, String>,
    /// The last value this side wrote to each field.
    wrote: BTreeMap<Field, Value>,
}

const STATES: [&str; 3] = ["todo", "doing", "done"];

struct Run {
    net: Net,
    sides: [Side; 2],
    /// Every item added (stable id) and every check-in note written.
    added: BTreeSet<String>,
    notes: Vec<String>,
    made: usize,
    conflicts_chosen: usize,
}

fn items(net: &Net, board: &Path) -> Vec<Value> {
    serde_json::from_str(&net.ok(board, &["list", "items", "--json"])).unwrap()
}

impl Run {
    fn new() -> Self {
        let (net, a, b) = Net::two_laptops();
        let side = |name, board| Side { name, board, numbers: BTreeMap::new(), wrote: BTreeMap::new() };
        let mut run = Self {
            sides: [side("a", a), side("b", b)],
            net,
            added: BTreeSet::new(),
            notes: vec![],
            made: 0,
            conflicts_chosen: 0,
        };
        run.learn(0);
        run.learn(1);
        run
    }

    /// Reads the board's numbers (after a sync, which may renumber).
    fn learn(&mut self, at: usize) {
        let side = &mut self.sides[at];
        side.numbers = items(&self.net, &side.board)
            .iter()
            .map(|item| (item["id"].as_str().unwrap().to_owned(), item["ref"].as_str().unwrap().to_owned()))
            .collect();
    }

    fn write(&mut self, at: usize, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.net.ok(&self.sides[at].board, &all)).unwrap()
    }

    fn pick(&self, at: usize, index: &prop::sample::Index) -> (String, String) {
        let numbers = &self.sides[at].numbers;
        let (id, number) = numbers.iter().nth(index.index(numbers.len())).unwrap();
        (id.clone(), number.clone())
    }

    fn apply(&mut self, at: usize, step: &Step) -> Result<(), TestCaseError> {
        self.made += 1;
        let name = self.sides[at].name;
        match step {
            Step::Add { points } => {
                let title = format!("{name} added {}", self.made);
                let done = self.write(at, &["add", "item", &title, "--points", &points.to_string()]);
                let id = done["id"].as_str().unwrap().to_owned();
                self.sides[at].numbers.insert(id.clone(), done["ref"].as_str().unwrap().to_owned());
                self.added.insert(id);
            }
            Step::Points { item, points } => {
                let (id, number) = self.pick(at, item);
                self.write(at, &["edit", &number, "--points", &points.to_string()]);
                self.sides[at].wrote.insert((id, "points"), Value::from(*points));
            }
            Step::Title { item } => {
                let (id, number) = self.pick(at, item);
                let title = format!("{name} retitled {}", self.made);
                self.write(at, &["edit", &number, "--title", &title]);
                self.sides[at].wrote.insert((id, "title"), Value::from(title));
            }
            Step::State { item, state } => {
                let (id, number) = self.pick(at, item);
                let state = STATES[usize::from(*state)];
                self.write(at, &["state", &number, state]);
                self.sides[at].wrote.insert((id, "state"), Value::from(state));
            }
            Step::Rank { item, top } => {
                let (_, number) = self.pick(at, item);
                self.write(at, &["move", &number, "--rank", if *top { "top" } else { "bottom" }]);
            }
            Step::CheckIn { value } => {
                let note = format!("{name} check-in {}", self.made);
                self.write(at, &["checkin", "KR1.1", &value.to_string(), "--note", &note]);
                self.notes.push(note);
            }
            Step::Sync { theirs } => self.sync(at, *theirs)?,
        }
        Ok(())
    }

    /// A sync on one side; conflicts are resolved at once with one side.
    fn sync(&mut self, at: usize, theirs: bool) -> Result<(), TestCaseError> {
        let board = self.sides[at].board.clone();
        let (report, code) = self.net.sync(&board, &[]);
        let report = if report["outcome"] == "conflicts" {
            prop_assert_eq!(code, 1, "{}", report);
            let (resolved, code) = self.net.sync(&board, &[if theirs { "--theirs" } else { "--mine" }]);
            prop_assert_eq!(code, 0, "{}", resolved);
            prop_assert_eq!(resolved["outcome"].as_str(), Some("merged"), "{}", resolved);
            self.learn(at);
            self.check_chosen(at, &resolved)?;
            resolved
        } else {
            prop_assert_eq!(code, 0, "{}", report);
            self.learn(at);
            report
        };
        prop_assert!(
            ["up_to_date", "sent", "received", "merged"].contains(&report["outcome"].as_str().unwrap_or("")),
            "{}",
            report
        );
        Ok(())
    }

    /// `#5 points: kept 13 (mine); theirs 2 is in commit …`: the kept value
    /// is on the board right after the sync (also what this side wrote
    /// from now on, when it kept theirs).
    fn check_chosen(&mut self, at: usize, report: &Value) -> Result<(), TestCaseError> {
        let board = &self.sides[at].board;
        let now = items(&self.net, board);
        for line in report["chosen"].as_array().unwrap() {
            let line = line.as_str().unwrap();
            let (head, rest) = line.split_once(": kept ").unwrap();
            let Some((number, field)) = head.split_once(' ') else { continue };
            if !number.starts_with('#') || !["points", "title", "state"].contains(&field) {
                continue;
            }
            // Text is quoted as people read it (`kept 'b retitled 3'`).
            let kept = rest.split(" (").next().unwrap().trim_matches('\'');
            let item = now.iter().find(|item| item["ref"] == number);
            let Some(item) = item else { continue };
            let shown = match &item[field] {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            prop_assert_eq!(&shown, kept, "{} after {}", field, line);
            self.conflicts_chosen += 1;
        }
        Ok(())
    }

    /// Syncs both sides until neither sends nor receives anything.
    fn settle(&mut self) -> Result<(), TestCaseError> {
        for _ in 0..6 {
            self.sync(0, false)?;
            self.sync(1, true)?;
            let (a, _) = self.net.sync(&self.sides[0].board, &[]);
            let (b, _) = self.net.sync(&self.sides[1].board, &[]);
            if a["outcome"] == "up_to_date" && b["outcome"] == "up_to_date" {
                return Ok(());
            }
        }
        Err(TestCaseError::fail("the two boards never became quiet after 6 rounds of syncs"))
    }

    fn check_end(&self) -> Result<(), TestCaseError> {
        let (a, b) = (&self.sides[0].board, &self.sides[1].board);
        let (exported_a, exported_b) = (self.net.export(a), self.net.export(b));
        prop_assert!(exported_a == exported_b, "the boards export different bytes");
        let end: BTreeMap<String, Value> =
            items(&self.net, a).into_iter().map(|item| (item["id"].as_str().unwrap().to_owned(), item)).collect();
        for id in &self.added {
            prop_assert!(end.contains_key(id), "item {} added on one side is lost", id);
        }
        for note in &self.notes {
            prop_assert!(exported_a.contains(note.as_str()), "check-in {:?} is lost", note);
        }
        let [mine, theirs] = [&self.sides[0].wrote, &self.sides[1].wrote];
        for key in mine.keys().chain(theirs.keys()).collect::<BTreeSet<_>>() {
            let (id, field) = key;
            let value = &end[id][*field];
            match (mine.get(key), theirs.get(key)) {
                (Some(one), None) | (None, Some(one)) => {
                    prop_assert_eq!(value, one, "{} of {} was changed on one side only", field, id);
                }
                (Some(x), Some(y)) => {
                    prop_assert!(
                        value == x || value == y,
                        "{} of {} is {}: neither side's last value ({}, {})",
                        field,
                        id,
                        value,
                        x,
                        y
                    );
                }
                (None, None) => unreachable!(),
            }
        }
        Ok(())
    }
}

#[test]
fn two_boards_that_write_and_sync_at_random_end_equal_and_lose_nothing() {
    let writes = setting("SYNC_PROPERTY_WRITES", 1_000) as usize;
    let config = ProptestConfig {
        cases: setting("SYNC_PROPERTY_CASES", 1),
        failure_persistence: None,
        // A case is hundreds of processes: shrinking is for the long run only.
        max_shrink_iters: setting("SYNC_PROPERTY_SHRINK", 0),
        ..ProptestConfig::default()
    };
    let mut runner = TestRunner::new(config);
    let steps = prop::collection::vec((any::<bool>(), step()), writes);
    let result = runner.run(&steps, |steps| {
        let mut run = Run::new();
        for (on_b, step) in &steps {
            run.apply(usize::from(*on_b), step)?;
        }
        run.settle()?;
        run.check_end()?;
        eprintln!("{} writes, {} conflict sides chosen and checked", steps.len(), run.conflicts_chosen);
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}
