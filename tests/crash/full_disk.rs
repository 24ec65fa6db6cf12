//! A full disk during writes, emulated with a limit on file size
//! (RLIMIT_FSIZE, set with util-linux's `prlimit`): a write past it fails
//! with EFBIG as on a full disk (the board catches SIGXFSZ, which would
//! otherwise end it). The user is told in plain words, naming the file;
//! nothing saved before is lost; the board goes on once there is room.

use std::{fs, path::Path, process::Command};

use super::{
    board::Board,
    kinds::{self, SPRINT_3_DAY},
    state,
};

/// `prlimit` is required, never skipped: `.ci/run` installs util-linux
/// when it is missing.
fn prlimit(args: &[&str]) {
    let status = Command::new("prlimit")
        .args(args)
        .status()
        .unwrap_or_else(|error| panic!("prlimit (util-linux) is needed for the full-disk tests: {error}"));
    assert!(status.success(), "prlimit {args:?} failed");
}

fn items(board: &Path) -> usize {
    let conn = state::open(board).unwrap();
    state::whole(&conn).unwrap();
    conn.query_row("SELECT count(*) FROM item", [], |row| row.get(0)).unwrap()
}

fn size(path: &Path) -> u64 {
    fs::metadata(path).map_or(0, |metadata| metadata.len())
}

/// A title long enough that each add grows the file by a page or more.
fn long_title(n: usize) -> String {
    format!("Full disk {n} {}", "z".repeat(400))
}

#[test]
fn a_full_disk_under_the_board_is_told_loses_nothing_and_the_board_goes_on_once_there_is_room() {
    let dir = tempfile::tempdir().unwrap();
    let (board, home) = (dir.path().join("board.sqlite3"), dir.path().to_owned());
    kinds::cli_ok(&board, &home, SPRINT_3_DAY, &["demo"]).unwrap();
    let mut session = Board::start(&board, &home, SPRINT_3_DAY);
    session.wait_for("40 items").unwrap();
    let pid = session.process_id().unwrap().to_string();
    let wal = dir.path().join("board.sqlite3-wal");
    // The soft limit only: a process may raise it again up to the hard one.
    let limit = size(&wal) + 64 * 1024;
    prlimit(&["--pid", &pid, &format!("--fsize={limit}:")]);

    // Add until a write fails: every add the status line confirmed is on disk.
    let mut added = 0;
    let refusal = loop {
        assert!(added < 100, "the file never stopped growing past its limit of {limit} bytes");
        session.press("3a");
        session.wait_for("New backlog item").unwrap();
        session.press(&long_title(added));
        session.press("\r");
        match session.wait_for_any(&[&format!("{} items", 41 + added), "Not saved"]).unwrap() {
            0 => added += 1,
            _ => break session.contents(),
        }
    };
    assert!(session.running(), "the board ended on a full disk");
    let line = refusal.lines().rev().find(|line| line.contains("Not saved")).unwrap();
    assert!(line.contains("board.sqlite3 cannot grow (the disk is full"), "the status names the file and why:\n{refusal}");
    assert!(line.contains("Free some space, then try again"), "and what to do:\n{refusal}");
    assert!(!refusal.contains("disk I/O error") && !refusal.contains("Error code"), "no raw SQLite words:\n{refusal}");
    // The form stays open with its text (its end shown), for when there is room.
    assert!(refusal.contains("New backlog item") && refusal.contains("▸ Title       …zzzz"), "{refusal}");
    // Nothing saved before is lost, nothing of the failed add is written.
    assert_eq!(items(&board), 40 + added, "every confirmed add on disk, the refused one not");

    // Room again: the same Enter saves, and the board never ended.
    prlimit(&["--pid", &pid, "--fsize=unlimited:"]);
    session.press("\r");
    session.wait_for(&format!("{} items", 41 + added)).unwrap();
    assert!(session.running());
    assert_eq!(items(&board), 41 + added);
    session.press("q");
}

#[test]
fn a_full_disk_under_a_command_line_write_exits_1_says_so_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (board, home) = (dir.path().join("board.sqlite3"), dir.path().to_owned());
    kinds::cli_ok(&board, &home, SPRINT_3_DAY, &["demo"]).unwrap();
    // Just past the file as it is: a few adds fit, then one does not, also
    // the checkpoint that merges the `-wal` into the board as it closes.
    let limit = (size(&board) + 24 * 1024).to_string();
    let mut added = 0;
    let refused = loop {
        assert!(added < 100, "the file never stopped growing past its limit");
        let title = long_title(added);
        let output = Command::new("prlimit")
            .arg(format!("--fsize={limit}:"))
            .arg(super::board::BIN)
            .arg("--db")
            .arg(&board)
            .args(["--today", SPRINT_3_DAY, "add", "item", &title])
            .env("HOME", &home)
            .output()
            .expect("prlimit (util-linux) is needed for the full-disk tests");
        if !output.status.success() {
            break output;
        }
        added += 1;
    };
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "a full disk is a failed write, not a refused board:\n{stderr}");
    assert!(
        stderr.contains(&format!("Not saved: {} cannot grow (the disk is full", board.display())),
        "the message names the file and why:\n{stderr}"
    );
    assert!(!stderr.contains("disk I/O error") && !stderr.contains("Error code"), "{stderr}");
    // Nothing saved before is lost, nothing of the failed write is there,
    // and with room the board opens and takes the write.
    assert_eq!(items(&board), 40 + added);
    kinds::cli_ok(&board, &home, SPRINT_3_DAY, &["add", "item", "Room again"]).unwrap();
    assert_eq!(items(&board), 41 + added);
    let listed = kinds::cli_ok(&board, &home, SPRINT_3_DAY, &["list", "items"]).unwrap();
    assert!(listed.contains("Room again"), "{listed}");
}
