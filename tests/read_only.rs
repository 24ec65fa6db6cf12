//! The read-only way into a board, for viewers such as the presentation
//! mode: nothing created, migrated or written, no write lock, and another
//! process's commits show through.

#![allow(clippy::unwrap_used)]

mod common;

use common::{board_path, demo_store};
use quarterdeck::store::{ItemFilter, Store, StoreError};

fn first_title(store: &Store) -> String {
    store.backlog_page(&ItemFilter::default(), 0, 1).unwrap().remove(0).title
}

#[test]
fn a_viewer_follows_a_writer_and_never_writes() {
    let (_dir, path) = board_path();
    let mut writer = demo_store(&path);
    let mut viewer = Store::open_read_only(&path).unwrap();
    assert!(viewer.is_read_only());
    assert!(viewer.load_board().unwrap().is_some());
    let version = viewer.data_version().unwrap();

    writer
        .record("Renamed", |tx| tx.execute("UPDATE item SET title = 'Renamed by the writer' WHERE id = 1", []).map(|_| ()))
        .unwrap();
    assert_ne!(viewer.data_version().unwrap(), version, "the viewer sees that the file changed");
    assert_eq!(first_title(&viewer), "Renamed by the writer");

    let refused = viewer.swap_ranks(1, 2, "Moved").unwrap_err();
    assert!(matches!(refused, StoreError::ReadOnly { .. }), "{refused:#}");
    assert!(viewer.undo().is_err());
    // The viewer holds no lock that would stop the writer.
    writer.swap_ranks(1, 2, "Moved by the writer").unwrap();
    assert_eq!(first_title(&viewer), first_title(&writer));
}

#[test]
fn a_viewer_creates_nothing() {
    let (dir, path) = board_path();
    assert!(Store::open_read_only(&path).is_err(), "no board there");
    assert!(!path.exists(), "and none was made");
    drop(demo_store(&path));
    let bytes = std::fs::read(&path).unwrap();
    let viewer = Store::open_read_only(&path).unwrap();
    assert_eq!(first_title(&viewer), "Store card tokens with the payment provider");
    drop(viewer);
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the file is byte-identical");
    // To follow later writers, a viewer reads through SQLite's companion
    // files, which it makes when none is there; it removes them on closing.
    assert_eq!(folder(dir.path()), ["board.sqlite3"], "the folder is left as the viewer found it");
}

fn folder(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// The companion files a writer has open are its own: a viewer closing
/// beside it leaves them, and the writer goes on writing.
#[test]
fn a_viewer_closing_beside_a_writer_leaves_the_writers_files() {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    let viewer = Store::open_read_only(&path).unwrap();
    let mut writer = Store::open(&path).unwrap();
    drop(viewer);
    assert_eq!(folder(dir.path()), ["board.sqlite3", "board.sqlite3-shm", "board.sqlite3-wal"]);
    writer.swap_ranks(1, 2, "Moved by the writer").unwrap();
    drop(writer);
    assert_eq!(folder(dir.path()), ["board.sqlite3"], "the writer, last to close, tidies as SQLite does");
}

/// A board of an older schema is not upgraded by a viewer: the message
/// says to open it once in the board, not to fix permissions (a trial was
/// told the latter).
#[test]
fn a_viewer_of_an_older_board_is_told_to_open_it_in_the_board_first() {
    let (_dir, path) = board_path();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(include_str!("../src/store/schema_v1.sql")).unwrap();
    conn.execute_batch(&format!("PRAGMA application_id = {}; PRAGMA user_version = 1;", quarterdeck::store::APPLICATION_ID))
        .unwrap();
    drop(conn);
    let bytes = std::fs::read(&path).unwrap();
    let message = format!("{:#}", Store::open_read_only(&path).err().unwrap());
    assert!(message.contains("older Quarterdeck") && message.contains("open it once with `quarterdeck --db"), "{message}");
    assert!(!message.contains("permissions"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "left untouched");
}
