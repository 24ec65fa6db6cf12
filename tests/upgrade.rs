//! Upgrading an older board: a checked backup is written beside it first
//! (`board.sqlite3.v1-backup` for a board of schema version 1), a backup
//! that cannot be written stops the upgrade and changes nothing, and two
//! instances starting at once on an older board upgrade it once.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{board_path, every_row, first_column, folder_files, look_without_changing, run_cli, user_version, write_v1_board};
use quarterdeck::store::{LATEST_VERSION, Store, backup::backup_path};
use rusqlite::Connection;

const TODAY: &str = "2026-11-23";

/// An older board as Quarterdeck left it: in WAL mode, closed cleanly.
fn older_board(path: &Path) {
    write_v1_board(path);
    // Private, as Quarterdeck makes a board (the copy must stay so).
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let conn = Connection::open(path).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn an_upgrade_writes_a_checked_backup_of_the_old_board_beside_it_first() {
    let (dir, path) = board_path();
    older_board(&path);
    let before = every_row(&path);
    let output = run_cli(&path, TODAY, &["add", "item", "After the upgrade", "--points", "2"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(user_version(&path), LATEST_VERSION);
    let backup = dir.path().join("board.sqlite3.v1-backup");
    assert_eq!(backup_path(&path, 1), backup);
    assert_eq!(user_version(&backup), 1, "the backup is the board before the upgrade");
    assert_eq!(every_row(&backup), before, "row for row");
    let names: Vec<String> = folder_files(dir.path()).into_keys().collect();
    assert_eq!(names, ["board.sqlite3", "board.sqlite3.v1-backup"], "no temporary copy left, nothing beside the backup");
    let mode = |file: &Path| std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(file).unwrap().permissions());
    assert_eq!(mode(&backup), mode(&path), "the backup is as private as the board");
    let conn = look_without_changing(&backup);
    let verdict: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
    assert_eq!(verdict, "ok");
}

#[test]
fn no_backup_is_made_when_no_upgrade_is_needed() {
    let (dir, path) = board_path();
    let output = run_cli(&path, TODAY, &["demo"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    drop(Store::open(&path).unwrap());
    let output = run_cli(&path, TODAY, &["add", "item", "Another", "--points", "1"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let names: Vec<String> = folder_files(dir.path()).into_keys().collect();
    assert_eq!(names, ["board.sqlite3"], "a new board and an up-to-date one get no backup");
}

#[test]
fn a_backup_that_cannot_be_written_stops_the_upgrade_and_changes_nothing() {
    let (dir, path) = board_path();
    older_board(&path);
    // The backup's name is taken by a folder that is not empty: the
    // rename onto it fails, as a full disk fails the copy.
    let taken = backup_path(&path, 1);
    std::fs::create_dir(&taken).unwrap();
    std::fs::write(taken.join("keep"), "mine").unwrap();
    let before = std::fs::read(&path).unwrap();
    let output = run_cli(&path, TODAY, &["add", "item", "Never", "--points", "2"]);
    assert_eq!(output.status.code(), Some(2), "refused like any file that cannot be opened");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&*taken.to_string_lossy()), "names the backup: {stderr}");
    assert!(stderr.contains(&*path.to_string_lossy()), "names the board: {stderr}");
    assert!(stderr.contains("Nothing was changed"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the board is byte-identical");
    assert_eq!(user_version(&path), 1);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(names, ["board.sqlite3", "board.sqlite3.v1-backup"], "no temporary copy, no -wal or -shm left");
    assert_eq!(std::fs::read_to_string(taken.join("keep")).unwrap(), "mine");
}

/// Two instances started at once on an older board: one upgrades it, the
/// other waits for the lock, finds it upgraded and runs no step; both
/// writes land, the file is sound, one backup of the old board exists.
#[test]
fn two_instances_starting_at_once_on_an_older_board_upgrade_it_once() {
    for round in 0..4 {
        let (dir, path) = board_path();
        older_board(&path);
        let before = every_row(&path);
        let start = |title: &str| {
            std::process::Command::new(env!("CARGO_BIN_EXE_quarterdeck"))
                .args(["add", "item", title, "--points", "1", "--db"])
                .arg(&path)
                .args(["--today", TODAY])
                .env_remove("QUARTERDECK_DB")
                .env_remove("QUARTERDECK_TODAY")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = (start("From the first"), start("From the second"));
        for run in [first.wait_with_output().unwrap(), second.wait_with_output().unwrap()] {
            assert!(run.status.success(), "round {round}: {}", String::from_utf8_lossy(&run.stderr));
        }
        let conn = Connection::open(&path).unwrap();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
        assert_eq!(check, "ok");
        let problems: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| row.get(0)).unwrap();
        assert_eq!(problems, 0);
        assert_eq!(user_version(&path), LATEST_VERSION);
        let added = first_column(&conn, "SELECT title FROM item WHERE title LIKE 'From the %' ORDER BY title");
        assert_eq!(added, ["From the first", "From the second"], "round {round}: both instances work");
        let steps: i64 = conn.query_row("SELECT count(*) FROM history_step", [], |row| row.get(0)).unwrap();
        assert_eq!(steps, 2, "round {round}: one undo step each, nothing else recorded");
        drop(conn);
        let backup = backup_path(&path, 1);
        assert_eq!(every_row(&backup), before, "round {round}: the backup is the old board");
        let names: Vec<String> = folder_files(dir.path()).into_keys().collect();
        assert_eq!(names, ["board.sqlite3", "board.sqlite3.v1-backup"], "round {round}: one backup, no temporary copy");
    }
}
