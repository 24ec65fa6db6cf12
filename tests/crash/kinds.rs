//! Each kind of write the harness kills: how to run it to its end (the
//! command line's arguments, or the board's keys), and what says it is done.

use std::{
    path::Path,
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use super::board::{BIN, Board};

/// The demo's third sprint, running: the command line's writes.
pub const SPRINT_3_DAY: &str = "2026-11-23";
/// A day in the demo's last sprint: the quarter can be closed.
pub const LAST_SPRINT_DAY: &str = "2027-01-12";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Add,
    BoardAdd,
    Rerank,
    BulkTag,
    CheckIn,
    SprintClose,
    QuarterClose,
    Import,
    Undo,
    BoardUndo,
}

pub const KINDS: [Kind; 10] = [
    Kind::Add,
    Kind::BoardAdd,
    Kind::Rerank,
    Kind::BulkTag,
    Kind::CheckIn,
    Kind::SprintClose,
    Kind::QuarterClose,
    Kind::Import,
    Kind::Undo,
    Kind::BoardUndo,
];

/// How a kind is run: on the command line, or by keys on the board (the
/// keys before the last, then the last, whose effect the kill races).
enum Way {
    Cli(Vec<String>),
    Board { steps: Vec<(&'static str, &'static str)>, last: &'static str, done: &'static str },
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Add => "add (cli)",
            Kind::BoardAdd => "add (board)",
            Kind::Rerank => "re-rank (cli)",
            Kind::BulkTag => "bulk tag (board)",
            Kind::CheckIn => "check-in (cli)",
            Kind::SprintClose => "sprint close (cli)",
            Kind::QuarterClose => "quarter close (board)",
            Kind::Import => "import jira-csv (cli)",
            Kind::Undo => "undo (cli)",
            Kind::BoardUndo => "undo (board)",
        }
    }

    /// The tables the write must change, all of them or none: the harness
    /// checks that an uninterrupted run changes each, so that "as before or
    /// as after" covers every part (a sprint close: the sprint closed, its
    /// record frozen, its unfinished items carried).
    pub fn parts(self) -> &'static [&'static str] {
        match self {
            Kind::Add => &["item", "item_kr", "backlog_tally"],
            Kind::BoardAdd => &["item", "backlog_tally"],
            Kind::Rerank => &["item"],
            Kind::BulkTag => &["item_kr"],
            Kind::CheckIn => &["check_in", "key_result"],
            Kind::SprintClose => &["sprint", "sprint_record_item", "item"],
            Kind::QuarterClose => &["quarter", "key_result"],
            Kind::Import => &["item", "item_external"],
            Kind::Undo | Kind::BoardUndo => &["item"],
        }
    }

    pub fn on_the_board(self) -> bool {
        matches!(self.way(), Way::Board { .. })
    }

    pub fn today(self) -> &'static str {
        if self == Kind::QuarterClose { LAST_SPRINT_DAY } else { SPRINT_3_DAY }
    }

    fn way(self) -> Way {
        let cli = |args: &[&str]| Way::Cli(args.iter().map(|arg| (*arg).to_owned()).collect());
        match self {
            Kind::Add => cli(&["add", "item", "Crash-tested export", "--points", "3", "--kr", "KR1.1"]),
            Kind::Rerank => cli(&["move", "#30", "--rank", "top"]),
            Kind::CheckIn => cli(&["checkin", "KR1.1", "16.4", "--confidence", "75", "--note", "after the kill"]),
            Kind::SprintClose => cli(&["sprint", "close", "S3"]),
            Kind::Undo => cli(&["undo", "--yes"]),
            Kind::Import => {
                let csv = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/jira_all_fields.csv");
                cli(&["import", "--from", "jira-csv", csv, "--state-map", "In Review=doing"])
            }
            // Four unplanned items (rows 21-24 of the demo's backlog)
            // marked, then KR3.2 ticked for all of them.
            Kind::BulkTag => Way::Board {
                steps: vec![
                    ("3jjjjjjjjjjjjjjjjjjjjvjjj", "4 marked"),
                    ("t", "KRs moved by 4 marked items"),
                    ("jjjjjj ", "[x] KR3.2"),
                ],
                last: "\r",
                done: "4 marked items: tagged with KR3.2",
            },
            Kind::BoardAdd => Way::Board {
                steps: vec![("3a", "New backlog item"), ("Crash-tested board add\t5", "Crash-tested board add")],
                last: "\r",
                done: "Added 'Crash-tested board add'",
            },
            // The template's newest step, made by a command line run that
            // has ended: the board's `u` takes it back.
            Kind::BoardUndo => Way::Board { steps: vec![], last: "u", done: "Undid: Added 'A step for undo to take back'" },
            Kind::QuarterClose => Way::Board {
                steps: vec![
                    ("n", "Sprint 6 of 6"),
                    ("Q", "Scores proposed from progress"),
                    ("c", "Close 2026-Q4 with these scores?"),
                ],
                last: "y",
                done: "read-only now",
            },
        }
    }
}

/// How one run went: how long the write took (from its start, or from the
/// board's last key), and whether the program said it was done.
pub struct Run {
    pub took: Duration,
    pub reported_done: bool,
}

/// Runs `kind` on `board`, killing it with SIGKILL `kill_after` into the
/// write (never, when `None`).
pub fn run(kind: Kind, board: &Path, home: &Path, kill_after: Option<Duration>) -> Result<Run, String> {
    match kind.way() {
        Way::Cli(args) => run_cli(kind, &args, board, home, kill_after),
        Way::Board { steps, last, done } => run_board(kind, &steps, last, done, board, home, kill_after),
    }
}

fn run_cli(kind: Kind, args: &[String], board: &Path, home: &Path, kill_after: Option<Duration>) -> Result<Run, String> {
    let started = Instant::now();
    let mut child = cli(board, home, kind.today())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("{BIN} does not start: {error}"))?;
    if let Some(delay) = kill_after {
        thread::sleep(delay);
        // SIGKILL (std's kill); a child that ended already is not signalled
        // again once reaped, and its exit status below says it finished.
        let _ = child.kill();
    }
    let output = child.wait_with_output().map_err(|error| error.to_string())?;
    let took = started.elapsed();
    let reported_done = output.status.success() && !output.stdout.is_empty();
    if kill_after.is_none() && !reported_done {
        return Err(format!("{args:?} failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    Ok(Run { took, reported_done })
}

fn run_board(
    kind: Kind,
    steps: &[(&str, &str)],
    last: &str,
    done: &str,
    board: &Path,
    home: &Path,
    kill_after: Option<Duration>,
) -> Result<Run, String> {
    let mut session = Board::start(board, home, kind.today());
    // The first frame: the demo's header, or (on its last sprint's day)
    // the question whether to start that sprint.
    session.wait_for(if kind == Kind::QuarterClose { "Start it now?" } else { "41 items" })?;
    for (keys, shown) in steps {
        session.press(keys);
        session.wait_for(shown)?;
    }
    let started = Instant::now();
    session.press(last);
    let Some(delay) = kill_after else {
        session.wait_for(done)?;
        let took = started.elapsed();
        session.kill();
        return Ok(Run { took, reported_done: true });
    };
    thread::sleep(delay);
    session.kill();
    Ok(Run { took: started.elapsed(), reported_done: session.contents().contains(done) })
}

/// The real binary on `board` as if on `today`, with a home of its own.
pub fn cli(board: &Path, home: &Path, today: &str) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("--db")
        .arg(board)
        .args(["--today", today])
        .env_remove("QUARTERDECK_DB")
        .env_remove("QUARTERDECK_TODAY")
        .env("HOME", home);
    command
}

/// Runs the real binary to its end; its stdout, or why it failed.
pub fn cli_ok(board: &Path, home: &Path, today: &str, args: &[&str]) -> Result<String, String> {
    let output = cli(board, home, today).args(args).output().map_err(|error| error.to_string())?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!("{args:?} failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr)))
    }
}

/// The board opens on `board`: the real binary draws its first frame.
pub fn board_opens(board: &Path, home: &Path, today: &str) -> Result<(), String> {
    let mut session = Board::start(board, home, today);
    let opened = session.wait_for_any(&["Quarterdeck", "Load the demo"]).map(|_| ());
    let alive = session.running();
    session.kill();
    opened?;
    if alive { Ok(()) } else { Err("the board ended after its first frame".to_owned()) }
}
