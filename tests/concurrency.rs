//! Many writers and two readers on ONE board file at once (#18,
//! "Concurrency"): the board in a pseudo-terminal driven by keys, the
//! command line (the real binary, one process a call), two writer
//! processes that write through the same core as the command line
//! (`ops::apply`, this test executable started again), and the
//! presentation reading, thousands of operations in all: no
//! "locked" or "busy" reaches a user, every operation that reported
//! success is in the file at the end, and both screens end on the final
//! state. The figures it measures are printed (`--nocapture`) and
//! written up in docs/reliability.md. CI runs the issue's 10,000
//! operations (`CI_OPERATIONS`); `QUARTERDECK_CONCURRENCY_OPERATIONS=N`
//! runs another count.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "concurrency/screen.rs"]
mod screen;
#[path = "concurrency/writer.rs"]
mod writer;

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::Command,
    thread,
    time::{Duration, Instant},
};

use common::run_cli;
use quarterdeck::store::{ItemFilter, Store};
use rusqlite::Connection;
use screen::{LOCK_WORDS, Screen};
use writer::{Expected, Ledger, Orders};

const TODAY: &str = "2026-11-23";
/// Operations in all, as the issue asks. A waiting writer tries for the
/// lock every millisecond (`begin_immediate`), so neither writer process
/// starves while the other makes enough steps to push its own out of the
/// undo history (docs/reliability.md, "Concurrency").
const CI_OPERATIONS: usize = 10_000;
const OPERATIONS: &str = "QUARTERDECK_CONCURRENCY_OPERATIONS";
/// Board cycles of four keyed operations: add, step, step, undo.
const BOARD_CYCLES: usize = 40;
/// Command line calls, one process each (a debug build starts slowly).
const CLI_CALLS: usize = 36;
/// The writer processes share what is left.
const WRITERS: usize = 2;
/// The environment variable that makes `writer_process` a writer.
const WRITER_ORDERS: &str = "QUARTERDECK_CONCURRENCY_WRITER";
const WRITER_LEDGER: &str = "QUARTERDECK_CONCURRENCY_LEDGER";
const WRITER_BOARD: &str = "QUARTERDECK_CONCURRENCY_BOARD";

/// Not a test of its own: the writer process the suite starts (this
/// executable again, `--ignored`, with its orders in the environment).
/// Ignored, so that a plain `cargo test` neither runs it nor counts as
/// passed a test that has nothing to check.
#[test]
#[ignore = "the suite's writer process, started by the suite itself"]
fn writer_process() {
    let orders = std::env::var(WRITER_ORDERS).expect("the writer process's orders, which the suite sets");
    let orders: Orders = serde_json::from_str(&orders).unwrap();
    let board = PathBuf::from(std::env::var(WRITER_BOARD).unwrap());
    let ledger = writer::run(&board, &orders);
    std::fs::write(std::env::var(WRITER_LEDGER).unwrap(), serde_json::to_string(&ledger).unwrap()).unwrap();
}

#[test]
fn thousands_of_operations_by_four_writers_lose_nothing_and_every_reader_ends_on_the_final_state() {
    let started = Instant::now();
    let (dir, board) = common::demo_board_file(TODAY);
    let ids = Ids::read(&board);
    let mut presentation = Screen::start(&board, dir.path(), &["present"]);
    let mut keyed = Screen::start(&board, dir.path(), &[]);
    presentation.wait_for("Next up in the backlog");
    keyed.wait_for("Sprint 3 of 6");
    keyed.press("3");
    keyed.wait_for("Backlog  40 items");

    let all_operations = std::env::var(OPERATIONS).map_or(CI_OPERATIONS, |count| count.parse().unwrap());
    let per_writer = (all_operations - BOARD_CYCLES * 4 - CLI_CALLS) / WRITERS;
    let writers: Vec<_> = (0..WRITERS)
        .map(|index| {
            let orders = Orders {
                name: format!("w{index}"),
                operations: per_writer,
                seed: 7 + index as u64,
                // Each writer checks in on a KR of its own; KR1.1 is the final one's.
                key_results: ids.key_results[3 + index..].to_vec(),
                sprint: ids.sprint_4,
                today: TODAY.parse().unwrap(),
            };
            start_writer(&board, dir.path(), &orders)
        })
        .collect();
    let cli = {
        let board = board.clone();
        thread::spawn(move || command_line(&board))
    };
    let keyed_ledger = drive_the_board(&mut keyed);
    let cli_ledger = cli.join().unwrap();
    let writer_ledgers: Vec<Ledger> = writers.into_iter().map(WriterRun::finish).collect();
    let writing_took = started.elapsed();

    // The last change, from the command line: the readers must end on it.
    let final_value = ids.kr_1_1_target;
    let output = run_cli(&board, TODAY, &["checkin", "KR1.1", &final_value.to_string(), "--note", "final"]);
    assert_clean(&output, "the final check-in");
    let output = run_cli(&board, TODAY, &["add", "item", "The final item", "--points", "1", "--json"]);
    let reference = reference(&assert_clean(&output, "the final add"));
    assert_clean(&run_cli(&board, TODAY, &["move", &reference, "--rank", "top"]), "the final move");
    let final_operations = 3;

    // Nothing lost: every ledger against the file.
    let conn = Connection::open(&board).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
    assert_eq!(check, "ok");
    for ledger in &writer_ledgers {
        assert!(ledger.failures.is_empty(), "a writer's user would have read: {:?}", ledger.failures);
        assert_eq!(ledger.operations, per_writer);
        compare(&conn, ledger);
    }
    compare(&conn, &cli_ledger.ledger);
    for (title, tagged) in &cli_ledger.added {
        let tags: i64 = conn
            .query_row(
                "SELECT count(t.item_id) FROM item i LEFT JOIN item_kr t ON t.item_id = i.id WHERE i.title = ?1",
                [title],
                |row| row.get(0),
            )
            .unwrap_or_else(|error| panic!("{title} is lost: {error}"));
        assert_eq!(tags, i64::from(*tagged), "{title}, tagged by the command line: {tagged}");
    }
    for (title, state) in &keyed_ledger.items {
        let found: String = conn.query_row("SELECT state FROM item WHERE title = ?1", [title], |row| row.get(0)).unwrap();
        assert_eq!(&found, state, "the board's {title}");
    }

    // Every reader ends on the final state.
    let summary = Store::open_read_only(&board).unwrap().backlog_summary(&ItemFilter::default()).unwrap();
    let reading = Instant::now();
    keyed.wait_for(&format!("Backlog  {} items, {} pts", summary.count, summary.points));
    let target = format!("{final_value}");
    presentation.wait_until("KR1.1 at 100 % and the final item first", |screen| {
        screen.lines().any(|line| line.contains("KR1.1") && line.contains("100 %"))
            && screen
                .lines()
                .skip_while(|line| !line.contains("Next up"))
                .nth(1)
                .is_some_and(|line| line.contains("The final item"))
    });
    let caught_up = reading.elapsed();
    for screen in [&keyed, &presentation] {
        assert_eq!(screen.alarms(), Vec::<String>::new(), "a lock's words reached a screen");
    }
    keyed.press("q");
    presentation.press("\u{1b}");
    assert!(keyed.wait_exit().success() && presentation.wait_exit().success());

    let operations = writer_ledgers.iter().map(|ledger| ledger.operations).sum::<usize>()
        + keyed_ledger.operations
        + cli_ledger.ledger.operations
        + final_operations;
    assert!(operations >= all_operations, "{operations} operations");
    let worst = writer_ledgers
        .iter()
        .map(|ledger| ledger.worst_wait_ms)
        .chain([keyed_ledger.worst_wait_ms, cli_ledger.ledger.worst_wait_ms])
        .fold(0.0, f64::max);
    println!(
        "concurrency: {operations} operations (board keys {}, command line {}, writer processes {}, final {final_operations}) \
         in {:.1} s of writing, {:.0} ops/s; worst wait for one operation {worst:.0} ms \
         (board {:.0} ms, command line {:.0} ms, writer processes {:.0} ms); the board waited for the lock visibly {} times; \
         readers caught up {:.0} ms after the last write (target {target}); lost: 0; writer processes took {:.1} s; whole test {:.1} s",
        keyed_ledger.operations,
        cli_ledger.ledger.operations,
        writer_ledgers.iter().map(|ledger| ledger.operations).sum::<usize>(),
        writing_took.as_secs_f64(),
        operations as f64 / writing_took.as_secs_f64(),
        keyed_ledger.worst_wait_ms,
        cli_ledger.ledger.worst_wait_ms,
        writer_ledgers.iter().map(|ledger| ledger.worst_wait_ms).fold(0.0, f64::max),
        keyed_ledger.waited,
        caught_up.as_secs_f64() * 1000.0,
        writer_ledgers.iter().map(|ledger| ledger.seconds).fold(0.0, f64::max),
        started.elapsed().as_secs_f64(),
    );
}

/// Row ids the writers need, read from the demo board.
struct Ids {
    /// KRs in code order: KR1.1, KR1.2, ...
    key_results: Vec<i64>,
    kr_1_1_target: f64,
    sprint_4: i64,
}

impl Ids {
    fn read(board: &Path) -> Self {
        let conn = Connection::open(board).unwrap();
        let key_results = conn
            .prepare("SELECT k.id FROM key_result k JOIN objective o ON o.id = k.objective_id ORDER BY o.position, k.position")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let kr_1_1_target = conn
            .query_row(
                "SELECT k.target_value FROM key_result k JOIN objective o ON o.id = k.objective_id
                 WHERE o.position = 1 AND k.position = 1",
                [],
                |row| row.get(0),
            )
            .unwrap();
        let sprint_4 = conn.query_row("SELECT id FROM sprint WHERE number = 4", [], |row| row.get(0)).unwrap();
        Self { key_results, kr_1_1_target, sprint_4 }
    }
}

struct WriterRun {
    child: std::process::Child,
    ledger: PathBuf,
}

fn start_writer(board: &Path, folder: &Path, orders: &Orders) -> WriterRun {
    let ledger = folder.join(format!("{}.ledger.json", orders.name));
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["writer_process", "--exact", "--ignored", "--nocapture", "--test-threads=1", "-q"])
        .env(WRITER_ORDERS, serde_json::to_string(orders).unwrap())
        .env(WRITER_BOARD, board)
        .env(WRITER_LEDGER, &ledger)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    WriterRun { child, ledger }
}

impl WriterRun {
    fn finish(mut self) -> Ledger {
        assert!(self.child.wait().unwrap().success(), "a writer process failed");
        serde_json::from_str(&std::fs::read_to_string(&self.ledger).unwrap()).unwrap()
    }
}

/// The writer's items and check-ins are in the file as it expects them.
fn compare(conn: &Connection, ledger: &Ledger) {
    let mut found: Vec<(i64, Expected)> = Vec::new();
    for expected in &ledger.items {
        let (rank, item) = conn
            .query_row("SELECT rank, id, title, points, state, sprint_id FROM item WHERE id = ?1", [expected.id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    Expected {
                        id: row.get(1)?,
                        title: row.get(2)?,
                        points: row.get(3)?,
                        state: row.get(4)?,
                        tags: Vec::new(),
                        sprint: row.get(5)?,
                    },
                ))
            })
            .unwrap_or_else(|error| panic!("{} is lost: {error}", expected.title));
        let tags = conn
            .prepare("SELECT key_result_id FROM item_kr WHERE item_id = ?1 ORDER BY key_result_id")
            .unwrap()
            .query_map([expected.id], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        found.push((rank, Expected { tags, ..item }));
    }
    found.sort_by_key(|(rank, _)| *rank);
    let found: Vec<Expected> = found.into_iter().map(|(_, item)| item).collect();
    assert_eq!(found, ledger.items, "the writer's items as it left them, in its order");
    let notes: BTreeMap<String, i64> = conn
        .prepare("SELECT note, count(*) FROM check_in GROUP BY note")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for note in &ledger.check_ins {
        assert_eq!(notes.get(note), Some(&1), "the check-in {note} is in the file once");
    }
}

/// What the board's user did, and what the file must show of it.
struct Keyed {
    operations: usize,
    worst_wait_ms: f64,
    /// How many operations showed the "Waiting for another program" line.
    waited: usize,
    items: Vec<(String, String)>,
}

/// Adds an item, steps it to doing and to done, and undoes the last step,
/// each key waited on until the status line reports it done.
fn drive_the_board(screen: &mut Screen) -> Keyed {
    let mut keyed = Keyed { operations: 0, worst_wait_ms: 0.0, waited: 0, items: Vec::new() };
    let mut operation = |screen: &mut Screen, keys: &str, done: &str| {
        let asked = Instant::now();
        screen.press(keys);
        if screen.wait_for(done) {
            keyed.waited += 1;
        }
        keyed.worst_wait_ms = f64::max(keyed.worst_wait_ms, asked.elapsed().as_secs_f64() * 1000.0);
        keyed.operations += 1;
    };
    let mut items = Vec::new();
    for cycle in 0..BOARD_CYCLES {
        let title = format!("board-{cycle}");
        operation(screen, "a", "New backlog item");
        screen.press(&title);
        operation(screen, "\r", &format!("Added '{title}'"));
        operation(screen, "s", &format!("'{title}' is now doing"));
        operation(screen, "s", &format!("'{title}' is now done"));
        operation(screen, "u", &format!("Undid: '{title}' is now done"));
        items.push((title, "doing".to_owned()));
    }
    // Opening the form was counted; it writes nothing.
    keyed.operations -= BOARD_CYCLES;
    keyed.items = items;
    keyed
}

/// The command line's share: adds, check-ins and tags, one process each.
struct CommandLine {
    ledger: Ledger,
    /// The items it added, and whether it tagged each with KR2.2 since.
    added: Vec<(String, bool)>,
}

fn command_line(board: &Path) -> CommandLine {
    let mut ledger = Ledger::default();
    let mut added: Vec<(String, bool)> = Vec::new();
    let mut worst = Duration::ZERO;
    let mut last_added = None;
    for call in 0..CLI_CALLS {
        let asked = Instant::now();
        let output = match call % 3 {
            0 => run_cli(board, TODAY, &["add", "item", &format!("cli-{call}"), "--points", "2", "--json"]),
            1 => run_cli(board, TODAY, &["checkin", "KR2.2", &format!("{}", 90 + call), "--note", &format!("cli-c{call}")]),
            _ => run_cli(board, TODAY, &["tag", last_added.as_deref().unwrap_or("#1"), "KR2.2"]),
        };
        worst = worst.max(asked.elapsed());
        let printed = assert_clean(&output, &format!("command line call {call}"));
        ledger.operations += 1;
        match call % 3 {
            0 => {
                last_added = Some(reference(&printed));
                added.push((format!("cli-{call}"), false));
            }
            1 => ledger.check_ins.push(format!("cli-c{call}")),
            _ => {
                if let Some(last) = added.last_mut() {
                    last.1 = true;
                }
            }
        }
    }
    ledger.worst_wait_ms = worst.as_secs_f64() * 1000.0;
    CommandLine { ledger, added }
}

/// The item reference (`#42`) in an add's `--json` output.
fn reference(printed: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(printed).unwrap();
    value["ref"].as_str().unwrap().to_owned()
}

/// A command line call succeeded and said nothing of a lock; its stdout.
fn assert_clean(output: &std::process::Output, what: &str) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{what} failed: {stderr}");
    for words in LOCK_WORDS {
        assert!(!stderr.contains(words), "{what}: {words:?} reached the user: {stderr}");
    }
    String::from_utf8(output.stdout.clone()).unwrap()
}
