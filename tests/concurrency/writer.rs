//! A writer in a process of its own: this test executable started again
//! (`writer_process`), writing through the real store and command layer
//! (`ops::apply`, as the command line does) on the board the suite shares.
//! It keeps a ledger of every operation that reported success and what it
//! expects of its own items, which the suite compares with the file.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use chrono::NaiveDate;
use quarterdeck::{
    domain::{
        ItemKind,
        ids::{ItemId, KeyResultId, SprintId},
        values::{Points, Title},
    },
    ops::{self, Command, ItemEdit, OpError, RankTo},
    store::{Resolved, Store},
};
use serde::{Deserialize, Serialize};

/// What a writer was asked to do (the suite passes it as JSON).
#[derive(Debug, Serialize, Deserialize)]
pub struct Orders {
    pub name: String,
    pub operations: usize,
    pub seed: u64,
    /// KRs it tags with; the first is the one it checks in on.
    pub key_results: Vec<i64>,
    /// A sprint it plans items into.
    pub sprint: i64,
    pub today: NaiveDate,
}

/// One of the writer's items as the writer expects the file to hold it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Expected {
    pub id: i64,
    pub title: String,
    pub points: u32,
    pub state: String,
    pub tags: Vec<i64>,
    pub sprint: Option<i64>,
}

/// What the writer did: every operation that reported success, counted,
/// and every one refused, with the words its user would have read.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Ledger {
    pub operations: usize,
    pub failures: Vec<String>,
    pub worst_wait_ms: f64,
    pub seconds: f64,
    /// Its items, in the backlog order it expects among themselves.
    pub items: Vec<Expected>,
    /// The notes of its check-ins.
    pub check_ins: Vec<String>,
}

/// A small deterministic generator: the same seed, the same run.
struct Dice(u64);

impl Dice {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from((self.0 >> 33) % bound.max(1) as u64).unwrap_or(0)
    }
}

pub fn run(board: &Path, orders: &Orders) -> Ledger {
    let started = Instant::now();
    let mut store = Store::open(board).expect("the writer opens the board");
    let mut dice = Dice(orders.seed);
    let mut ledger = Ledger::default();
    let mut worst = Duration::ZERO;
    let mut attempted = 0;
    while attempted < orders.operations {
        let (command, change) = next(&mut dice, orders, &ledger, attempted);
        attempted += 1;
        let asked = Instant::now();
        let result = ops::apply(&mut store, &command, orders.today);
        worst = worst.max(asked.elapsed());
        match result {
            Ok(outcome) => {
                ledger.operations += 1;
                change.record(&mut ledger, outcome);
            }
            Err(error) => ledger.failures.push(words(&error)),
        }
    }
    ledger.worst_wait_ms = worst.as_secs_f64() * 1000.0;
    ledger.seconds = started.elapsed().as_secs_f64();
    ledger
}

fn words(error: &OpError) -> String {
    format!("{error} (busy: {})", error.is_busy())
}

/// What an operation changes in the writer's expectations once it succeeded.
enum Change {
    Added {
        title: String,
        points: u32,
    },
    Points {
        at: usize,
        points: u32,
    },
    Tagged {
        at: usize,
        key_result: i64,
    },
    Ranked {
        at: usize,
        top: bool,
    },
    Stepped {
        at: usize,
    },
    Planned {
        at: usize,
        sprint: Option<i64>,
    },
    CheckedIn {
        note: String,
    },
    /// An edit that the next operation undoes: nothing to expect.
    Nothing,
}

impl Change {
    fn record(self, ledger: &mut Ledger, outcome: ops::Outcome) {
        let items = &mut ledger.items;
        match self {
            Self::Added { title, points } => {
                let Some(Resolved::Item(ItemId(id))) = outcome.created.map(|created| created.object) else {
                    panic!("an added item names itself");
                };
                items.push(Expected { id, title, points, state: "todo".into(), tags: Vec::new(), sprint: None });
            }
            Self::Points { at, points } => items[at].points = points,
            Self::Tagged { at, key_result } => {
                if !items[at].tags.contains(&key_result) {
                    items[at].tags.push(key_result);
                    items[at].tags.sort_unstable();
                }
            }
            Self::Ranked { at, top } => {
                let item = items.remove(at);
                if top { items.insert(0, item) } else { items.push(item) }
            }
            Self::Stepped { at } => {
                items[at].state = if items[at].state == "todo" { "doing".into() } else { "done".into() };
            }
            Self::Planned { at, sprint } => items[at].sprint = sprint,
            Self::CheckedIn { note } => ledger.check_ins.push(note),
            Self::Nothing => {}
        }
    }
}

/// The next operation: a cycle of ten over adds, edits, tags, re-ranks,
/// state steps, planning, check-ins, and an edit taken back by undo.
fn next(dice: &mut Dice, orders: &Orders, ledger: &Ledger, attempted: usize) -> (Command, Change) {
    let items = &ledger.items;
    let step = attempted % 10;
    if items.is_empty() || step == 0 || step == 5 {
        let title = format!("{}-{attempted}", orders.name);
        let points = 1 + u32::try_from(dice.below(8)).unwrap_or(0);
        let command = Command::AddItem {
            title: Title::parse(&title).expect("a title"),
            points: Points::new(points).expect("points"),
            kind: ItemKind::Story,
            krs: Vec::new(),
            description: String::new(),
            deferred_reason: String::new(),
        };
        return (command, Change::Added { title, points });
    }
    let at = dice.below(items.len());
    let item = ItemId(items[at].id);
    let points = 1 + u32::try_from(dice.below(13)).unwrap_or(0);
    let edit = |points| Command::EditItem {
        item,
        edit: ItemEdit { points: Some(Points::new(points).expect("points")), ..ItemEdit::default() },
    };
    match step {
        1 => (edit(points), Change::Points { at, points }),
        2 => {
            let key_result = orders.key_results[dice.below(orders.key_results.len())];
            (Command::Tag { item, add: vec![KeyResultId(key_result)], remove: Vec::new() }, Change::Tagged { at, key_result })
        }
        3 => {
            let top = dice.below(2) == 0;
            (Command::Rank { item, to: if top { RankTo::Top } else { RankTo::Bottom } }, Change::Ranked { at, top })
        }
        4 if items[at].state != "done" => (Command::StepState { item, forward: true }, Change::Stepped { at }),
        4 | 6 => {
            let sprint = (items[at].sprint.is_none()).then_some(orders.sprint);
            (Command::Move { item, sprint: sprint.map(SprintId) }, Change::Planned { at, sprint })
        }
        7 => {
            let note = format!("{}-c{attempted}", orders.name);
            let value = 10.0 + dice.below(80) as f64;
            let command = Command::CheckIn {
                key_result: KeyResultId(orders.key_results[0]),
                value,
                confidence: None,
                note: note.clone(),
                date: orders.today,
            };
            (command, Change::CheckedIn { note })
        }
        // An edit, then (step 9) undo takes it back.
        8 => (edit(points + 20), Change::Nothing),
        _ => (Command::Undo { confirmed: false }, Change::Nothing),
    }
}
