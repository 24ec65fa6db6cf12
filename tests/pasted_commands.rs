//! Commands printed in messages name the board file and can be pasted
//! (#18, second cold trial): a board at `team boards/Bob's board.sqlite3`
//! is spelled `quarterdeck --db '…/team boards/Bob'\''s board.sqlite3' …`,
//! the command run as printed through `sh -c` does what it says, the
//! default board is named by no `--db`, and a path's control characters
//! never reach the terminal raw. Also: `doctor` on a FIFO refuses at once.

#![allow(clippy::unwrap_used)]

mod common;

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
    time::{Duration, Instant},
};

use common::{run_cli, write_v1_board};

const TODAY: &str = "2027-01-04";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A demo board in a folder and file whose names hold a space and a quote.
fn awkward_board() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let board = dir.path().join("team boards").join("Bob's board.sqlite3");
    let output = run_cli(&board, TODAY, &["demo"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    (dir, board)
}

/// The path as a POSIX shell word: single quotes, `'` written `'\''`.
fn quoted(path: &Path) -> String {
    format!("'{}'", path.to_string_lossy().replace('\'', r"'\''"))
}

/// The text between the backticks that follow `after` in `said`.
fn command_after(said: &str, after: &str) -> String {
    let start = said.find(after).unwrap_or_else(|| panic!("{after:?} missing from: {said}")) + after.len();
    let rest = said[start..].strip_prefix('`').unwrap_or_else(|| panic!("no command after {after:?}: {said}"));
    rest[..rest.find('`').unwrap()].to_owned()
}

/// Runs a printed command as a user pastes it: through `sh -c`, with
/// `quarterdeck` on the PATH and a home folder of its own (so the default
/// board is elsewhere and no environment names a board).
fn run_as_printed(command: &str, home: &Path) -> Output {
    let binary = Path::new(env!("CARGO_BIN_EXE_quarterdeck"));
    let path = format!("{}:{}", binary.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    Command::new("sh")
        .args(["-c", command])
        .env("PATH", path)
        .env("HOME", home)
        .env_remove("XDG_DATA_HOME")
        .env_remove("QUARTERDECK_DB")
        .env_remove("QUARTERDECK_TODAY")
        .output()
        .unwrap()
}

fn spoil(board: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(board).unwrap();
    conn.execute_batch(sql).unwrap();
}

const WRONG_VALUE: &str = "UPDATE sprint SET capacity = 2.5 WHERE number = 3";

#[test]
fn a_read_and_doctor_name_the_quoted_board_and_the_printed_commands_run_as_printed() {
    let (_dir, board) = awkward_board();
    spoil(&board, WRONG_VALUE);
    let doctor = format!("quarterdeck --db {} doctor", quoted(&board));

    let read = run_cli(&board, TODAY, &["list", "items"]);
    assert!(read.status.success(), "{}", text(&read.stderr));
    assert_eq!(command_after(&text(&read.stderr), "; run "), doctor, "the read's note");

    let listed = run_cli(&board, TODAY, &["doctor"]);
    let said = text(&listed.stdout);
    let repair = command_after(&said, "Nothing changed: run ");
    assert_eq!(repair, format!("{doctor} --yes"));

    let home = tempfile::tempdir().unwrap();
    let repaired = run_as_printed(&repair, home.path());
    let said = text(&repaired.stdout);
    assert!(repaired.status.success(), "{said}{}", text(&repaired.stderr));
    assert!(said.contains("Repaired 1 value in"), "{said}");
    let undo = command_after(&said, "(one step: ");
    assert_eq!(undo, format!("quarterdeck --db {} undo", quoted(&board)));
    assert!(run_cli(&board, TODAY, &["doctor"]).status.success(), "the board pasted is the board repaired");

    let undone = run_as_printed(&undo, home.path());
    assert!(undone.status.success(), "{}", text(&undone.stderr));
    assert_eq!(run_cli(&board, TODAY, &["doctor"]).status.code(), Some(1), "undo pasted takes the repair back");
    assert!(!home.path().join(".local").exists(), "no pasted command touched the default board");
}

#[test]
fn a_damaged_board_names_its_quoted_file_in_each_remedy() {
    let (_dir, board) = awkward_board();
    spoil(&board, "PRAGMA wal_checkpoint(TRUNCATE);");
    common::damage_item_page(&board);

    let output = run_cli(&board, TODAY, &["list", "items"]);
    let said = text(&output.stderr);
    assert!(!output.status.success(), "{said}");
    let file = quoted(&board);
    assert!(said.contains(&format!("sqlite3 {file} .recover | sqlite3 recovered.sqlite3")), "{said}");
    assert!(said.contains(&format!("quarterdeck --db {file} export --output plan.toml")), "{said}");
    // The shell reads the quoted word back as the file.
    let home = tempfile::tempdir().unwrap();
    let echoed = run_as_printed(&format!("printf %s {file}"), home.path());
    assert_eq!(text(&echoed.stdout), board.to_string_lossy());
}

#[test]
fn a_read_of_an_older_board_and_a_write_with_no_board_name_the_quoted_file() {
    let dir = tempfile::tempdir().unwrap();
    let older = dir.path().join("team boards").join("Bob's old.sqlite3");
    std::fs::create_dir_all(older.parent().unwrap()).unwrap();
    write_v1_board(&older);
    let read = run_cli(&older, TODAY, &["list", "items"]);
    let said = text(&read.stderr);
    assert_eq!(command_after(&said, "open it once with "), format!("quarterdeck --db {}", quoted(&older)), "{said}");

    let missing = dir.path().join("team boards").join("Bob's new.sqlite3");
    let write = run_cli(&missing, TODAY, &["add", "item", "x"]);
    let said = text(&write.stderr);
    let init = command_after(&said, "start one with ");
    assert_eq!(init, format!("quarterdeck --db {} init --label L --start DATE --sprints N --weeks N", quoted(&missing)));
    let init = init.replace("L --start DATE --sprints N --weeks N", "2027-Q1 --start 2027-01-04 --sprints 6 --weeks 2");
    let home = tempfile::tempdir().unwrap();
    let made = run_as_printed(&init, home.path());
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(run_cli(&missing, TODAY, &["list", "sprints"]).status.success(), "the pasted init made the board named");
}

#[test]
fn the_default_board_is_named_by_no_db() {
    let home = tempfile::tempdir().unwrap();
    let made = run_as_printed(&format!("quarterdeck demo --today {TODAY}"), home.path());
    assert!(made.status.success(), "{}", text(&made.stderr));
    spoil(&home.path().join(".local/share/quarterdeck/board.sqlite3"), WRONG_VALUE);
    let read = run_as_printed("quarterdeck list items", home.path());
    assert_eq!(command_after(&text(&read.stderr), "; run "), "quarterdeck doctor");
}

#[test]
fn control_characters_in_the_path_are_shown_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    let board = dir.path().join("red\u{1b}[31m board.sqlite3");
    let output = run_cli(&board, TODAY, &["add", "item", "x"]);
    let said = text(&output.stderr);
    assert!(!said.contains('\u{1b}'), "{said:?}");
    assert!(said.contains("red\u{241B}[31m board.sqlite3' init"), "{said}");
}

#[cfg(unix)]
#[test]
fn doctor_on_a_fifo_refuses_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.sqlite3");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_quarterdeck"))
        .arg("--db")
        .arg(&fifo)
        .arg("doctor")
        .env_remove("QUARTERDECK_DB")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("doctor on a FIFO still blocks after 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let said = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{said}");
    assert!(said.contains("is not a regular file (a FIFO, socket or device)"), "{said}");
}
