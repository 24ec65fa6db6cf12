//! Opening files that cannot simply be opened: cut short, foreign or newer
//! with an unmerged write-ahead log beside them. Each is refused with its
//! own words, and left byte for byte as it was, `-wal` and `-shm` included.

#![allow(clippy::unwrap_used)]

mod common;

use std::{fs, path::Path};

use common::{board_path, demo_store, folder_files};
use quarterdeck::store::{LATEST_VERSION, Store};

/// Opens `path`, expects a refusal that names the file and says `expect`,
/// and checks that the folder holds the same files with the same bytes.
fn assert_refused_untouched(path: &Path, expect: &[&str]) -> String {
    let folder = path.parent().unwrap();
    let before = folder_files(folder);
    let error = Store::open(path).err().expect("refused");
    let quarterdeck::store::StoreError::Refused(refused) = error else { panic!("a RefusedFile: {error:#}") };
    let message = refused.to_string();
    assert!(message.contains(&path.display().to_string()), "names the file: {message}");
    for words in expect {
        assert!(message.contains(words), "{words:?} missing from: {message}");
    }
    let after = folder_files(folder);
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>(), "the same files");
    assert!(after == before, "every file byte-identical");
    message
}

fn cut_board(length: u64) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    assert!(fs::metadata(&path).unwrap().len() > 4096 * 4, "a board of several pages");
    fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(length).unwrap();
    (dir, path)
}

#[test]
fn a_board_cut_to_one_page_is_damaged_not_foreign() {
    let (_dir, path) = cut_board(4096);
    let message = assert_refused_untouched(&path, &["is damaged", "restore it from a backup", "SQLite says"]);
    assert!(!message.contains("not a Quarterdeck board"), "{message}");
}

#[test]
fn a_board_cut_inside_its_header_is_damaged_not_foreign() {
    let (_dir, path) = cut_board(50);
    let message = assert_refused_untouched(&path, &["is damaged", "50 bytes", "restore it from a backup"]);
    assert!(!message.contains("not a Quarterdeck board"), "{message}");
}

/// Copies `path` with its `-wal` and `-shm` into a new folder while
/// `conn` still holds them open: the WAL there is not merged.
fn copy_with_unmerged_wal(path: &Path, conn: rusqlite::Connection) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, copy) = board_path();
    for suffix in ["", "-wal", "-shm"] {
        fs::copy(format!("{}{suffix}", path.display()), format!("{}{suffix}", copy.display())).unwrap();
    }
    drop(conn);
    assert!(fs::metadata(format!("{}-wal", copy.display())).unwrap().len() > 0, "the copy has a WAL to merge");
    (dir, copy)
}

#[test]
fn a_foreign_database_with_an_unmerged_wal_is_left_untouched() {
    let (_dir, path) = board_path();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('merged');
         PRAGMA wal_checkpoint(TRUNCATE); INSERT INTO notes VALUES ('only in the WAL');",
    )
    .unwrap();
    let (_copy_dir, copy) = copy_with_unmerged_wal(&path, conn);
    assert_refused_untouched(&copy, &["not a Quarterdeck board", "another program"]);
}

#[test]
fn a_newer_board_with_an_unmerged_wal_is_left_untouched() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    // The newer version number sits only in the WAL; the file's header
    // still says a version this build reads.
    conn.execute_batch(&format!("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA user_version = {};", LATEST_VERSION + 1)).unwrap();
    let (_copy_dir, copy) = copy_with_unmerged_wal(&path, conn);
    assert_refused_untouched(&copy, &["newer Quarterdeck", &format!("schema version {}", LATEST_VERSION + 1)]);
}

#[test]
fn a_board_whose_newest_header_is_in_the_wal_opens() {
    let (_dir, path) = board_path();
    let first = demo_store(&path);
    let (_copy_dir, copy) = copy_with_unmerged_wal(&path, rusqlite::Connection::open(&path).unwrap());
    drop(first);
    let store = Store::open(&copy).unwrap();
    assert!(store.has_quarter().unwrap());
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

/// `--db` naming a symbolic link to nothing: the writers and the reads say
/// that the link points nowhere (a probe was told "File exists"), and
/// nothing is made where it points.
#[test]
fn a_dangling_symlink_as_the_board_says_the_link_points_nowhere() {
    let (dir, _) = board_path();
    let link = dir.path().join("board.sqlite3");
    let target = dir.path().join("gone").join("old.sqlite3");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for args in [&["add", "item", "A title"][..], &["list", "items"], &["demo"]] {
        let output = common::run_cli(&link, "2027-01-04", args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "a board that cannot be opened: {args:?}: {stderr}");
        assert!(stderr.contains("is a symbolic link to") && stderr.contains("which does not exist"), "{args:?}: {stderr}");
        assert!(stderr.contains(&target.display().to_string()) && !stderr.contains("File exists"), "{stderr}");
        assert!(!target.exists() && !dir.path().join("gone").exists(), "nothing made where it points");
    }
}
