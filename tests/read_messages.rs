//! A read met a board it cannot read without writing: one of an older
//! schema (which needs the upgrade a read never does) or an empty file
//! (which holds no board yet). Each reader names itself in its message
//! (`list items` needs the board upgraded ...), says what to do, exits 2
//! and leaves the folder as it found it; only the presentation speaks of
//! presenting.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{board_path, folder_files, run_cli, write_v1_board};

const TODAY: &str = "2026-11-23";

/// Every command that only reads a board, and what it is called in its message.
const READERS: &[(&[&str], &str)] = &[
    (&["list", "items"], "`list items`"),
    (&["list", "sprints"], "`list sprints`"),
    (&["list", "krs"], "`list krs`"),
    (&["show", "#1"], "`show`"),
    (&["review", "S1"], "`review`"),
    (&["check"], "`check`"),
    (&["forecast", "KR1.1"], "`forecast`"),
    (&["export"], "`export`"),
    (&["report", "quarter"], "`report quarter`"),
    (&["doctor"], "`doctor`"),
];

/// Runs `args` on `board`, expects the refusal `expect`, and the folder unchanged.
fn refused(board: &Path, args: &[&str], expect: &[&str]) -> String {
    let folder = board.parent().unwrap();
    let before = folder_files(folder);
    let output = run_cli(board, TODAY, args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(&*board.to_string_lossy()), "{args:?} names the file: {stderr}");
    for words in expect {
        assert!(stderr.contains(words), "{args:?}: {words:?} missing from: {stderr}");
    }
    assert!(folder_files(folder) == before, "{args:?}: the folder as it was found");
    stderr
}

#[test]
fn each_read_on_an_older_board_says_that_it_needs_the_board_upgraded() {
    let (_dir, board) = board_path();
    write_v1_board(&board);
    for (args, reader) in READERS {
        let needs = format!("{reader} needs the board upgraded");
        let stderr = refused(&board, args, &[&needs, "open it once with `quarterdeck --db", "or run any write, then try again"]);
        assert!(!stderr.contains("present"), "{args:?} is not the presentation: {stderr}");
    }
}

#[test]
fn each_read_on_an_empty_file_says_that_it_has_no_board_to_read() {
    let (_dir, board) = board_path();
    std::fs::write(&board, "").unwrap();
    for (args, reader) in READERS {
        let none = format!("{reader} has no board to read");
        let stderr = refused(&board, args, &[&none, "holds no board yet", "make one first", "then try again"]);
        assert!(!stderr.contains("present"), "{args:?} is not the presentation: {stderr}");
    }
}

#[test]
fn the_presentation_keeps_its_own_words() {
    let (_dir, board) = board_path();
    write_v1_board(&board);
    refused(&board, &["present"], &["which the presentation never does", "then present it"]);
    std::fs::write(&board, "").unwrap();
    refused(&board, &["present"], &["holds no board yet", "then present it"]);
}
