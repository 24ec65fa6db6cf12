//! The board at its edges: a terminal too small to show it, and the SQLite
//! it is linked with.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, demo_store, keys, render};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn items_in(path: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("SELECT count(*) FROM item", [], |row| row.get(0)).unwrap()
}

#[test]
fn below_the_minimum_size_keys_do_nothing_unseen() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    app.handle_event(&Event::Resize(50, 12));
    assert!(render(&app).contains("Terminal too small"));
    keys(&mut app, "3gdy");
    assert_eq!(items_in(&path), 40, "nothing deleted while the board cannot be seen");
    // Each of these would change the file or open a dialog if the board could be seen.
    keys(&mut app, "3gKse");
    app.handle_event(&Event::Paste("pasted".into()));
    assert!(app.overlays.is_empty(), "no dialog opened unseen: {:?}", app.overlays.len());

    // Help and quit still work; after a resize the board takes keys again.
    keys(&mut app, "?");
    assert_eq!(app.overlays.len(), 1, "help opens");
    keys(&mut app, "?");
    app.handle_event(&Event::Resize(80, 24));
    keys(&mut app, "3gdy");
    assert_eq!(items_in(&path), 39, "the same keys delete once the board is seen");
    app.handle_event(&Event::Resize(50, 12));
    app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(app.should_quit, "ctrl-c quits below the minimum size");
}

/// SQLite 3.51.3 fixed a bug that could corrupt a database in WAL mode when
/// two connections write and checkpoint at once (the "WAL-reset" bug);
/// two processes writing one board is a documented use.
#[test]
fn the_linked_sqlite_has_the_wal_reset_fix() {
    let version = rusqlite::version_number();
    assert!(version >= 3_051_003, "SQLite {} is linked; 3.51.3 or later is needed", rusqlite::version());
}
