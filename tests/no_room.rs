//! Opening a board on a nearly full disk, emulated with a limit on file
//! size (RLIMIT_FSIZE, set with util-linux's `prlimit`, as the crash
//! suite's full-disk test does): the board's `-shm` (32 KiB) and `-wal`
//! cannot grow. Every way in (the board's writes, each read, the
//! presentation, a new board) says so in plain words naming the file, exits
//! 2 (cannot be opened), and leaves the folder as it was found: the partial
//! `-shm` and empty `-wal` the open made are removed again.

#![allow(clippy::unwrap_used)]

mod common;

use std::{path::Path, process::Output};

use common::{demo_board_file, folder_files};

const TODAY: &str = "2027-01-04";

/// Below the `-shm` file's 32 KiB, above nothing the open must write first.
const LIMIT: &str = "--fsize=20000";

/// The real binary under a limit on file size; `prlimit` is required,
/// never skipped (`.ci/run` installs util-linux when it is missing).
fn run_limited(board: &Path, args: &[&str]) -> Output {
    std::process::Command::new("prlimit")
        .arg(LIMIT)
        .arg(env!("CARGO_BIN_EXE_quarterdeck"))
        .args(args)
        .arg("--db")
        .arg(board)
        .args(["--today", TODAY])
        .env_remove("QUARTERDECK_DB")
        .env_remove("QUARTERDECK_TODAY")
        .env("HOME", board.parent().unwrap())
        .output()
        .unwrap_or_else(|error| panic!("prlimit (util-linux) is needed for these tests: {error}"))
}

/// `args` on a demo board under the limit: told, exit 2, folder as found.
fn refused_untouched(args: &[&str]) {
    let (dir, board) = demo_board_file(TODAY);
    let before = folder_files(dir.path());
    let output = run_limited(&board, args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: cannot be opened: {stderr}");
    assert_no_room_told(&board, &stderr);
    assert!(folder_files(dir.path()) == before, "{args:?}: the folder as it was found: {:?}", folder_files(dir.path()).keys());
}

fn assert_no_room_told(board: &Path, stderr: &str) {
    assert!(stderr.contains(&*board.to_string_lossy()), "names the file: {stderr}");
    assert!(stderr.contains("no room for the board's files beside it"), "says why: {stderr}");
    assert!(stderr.contains("the disk is full, or a limit on file size"), "{stderr}");
    assert!(stderr.contains("free some space, then try again"), "says what to do: {stderr}");
    assert!(!stderr.contains("Error code"), "no raw SQLite code: {stderr}");
}

#[test]
fn a_write_on_a_nearly_full_disk_is_told_and_leaves_no_partial_shm_or_wal() {
    refused_untouched(&["add", "item", "x"]);
}

#[test]
fn list_items_on_a_nearly_full_disk_is_told_and_leaves_no_partial_shm_or_wal() {
    refused_untouched(&["list", "items"]);
}

#[test]
fn the_presentation_on_a_nearly_full_disk_is_told_and_leaves_no_partial_shm_or_wal() {
    refused_untouched(&["present"]);
}

#[test]
fn a_new_board_on_a_nearly_full_disk_is_told_and_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let board = dir.path().join("new.sqlite3");
    let output = run_limited(&board, &["demo"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_no_room_told(&board, &stderr);
    assert!(folder_files(dir.path()).is_empty(), "the empty board it made is removed too: {:?}", folder_files(dir.path()).keys());
}

/// The board itself (in a terminal: a pty) refuses the same way before
/// it draws anything, and its terminal is as it was.
#[test]
fn the_board_on_a_nearly_full_disk_is_told_and_leaves_no_partial_shm_or_wal() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let (dir, board) = demo_board_file(TODAY);
    let before = folder_files(dir.path());
    let pty = native_pty_system().openpty(PtySize { rows: 24, cols: 200, pixel_width: 0, pixel_height: 0 }).unwrap();
    let mut command = CommandBuilder::new("prlimit");
    command.arg(LIMIT);
    command.arg(env!("CARGO_BIN_EXE_quarterdeck"));
    command.args(["--db".as_ref(), board.as_os_str(), "--today".as_ref(), TODAY.as_ref()]);
    command.env_remove("QUARTERDECK_DB");
    command.env_remove("QUARTERDECK_TODAY");
    command.env("HOME", dir.path());
    command.env("TERM", "xterm-256color");
    let mut child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    // Ends when the board has ended and the terminal has hung up.
    let reading = std::thread::spawn(move || {
        let mut shown = Vec::new();
        let _ = std::io::Read::read_to_end(&mut reader, &mut shown);
        shown
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the board did not end within 30 s on a nearly full disk");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    drop(pty.master);
    let shown = reading.join().unwrap();
    let shown = String::from_utf8_lossy(&shown).replace(['\r', '\n'], "");
    assert_eq!(status.exit_code(), 2, "{shown}");
    assert_no_room_told(&board, &shown);
    assert!(folder_files(dir.path()) == before, "the folder as it was found: {:?}", folder_files(dir.path()).keys());
}

#[test]
fn with_room_again_the_same_board_opens_and_takes_the_write() {
    let (_dir, board) = demo_board_file(TODAY);
    assert_eq!(run_limited(&board, &["add", "item", "x"]).status.code(), Some(2));
    let output = common::run_cli(&board, TODAY, &["add", "item", "After room was made"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}
