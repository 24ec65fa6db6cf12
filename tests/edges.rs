//! The board at its edges: a terminal too small to show it, text holding
//! characters a terminal draws differently from what ratatui counts, and the
//! SQLite it is linked with.

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

/// Characters of width 0 (or of widths that differ between terminals), and
/// line breaks that are not control characters.
const INVISIBLE: [char; 7] = ['\u{AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2028}', '\u{2029}', '\u{FEFF}'];

#[test]
fn invisible_characters_in_a_title_keep_the_borders_in_place() {
    for ch in INVISIBLE {
        let (_dir, path) = board_path();
        drop(demo_store(&path));
        let conn = rusqlite::Connection::open(&path).unwrap();
        let title = format!("Store{ch}card{ch}{ch} tokens");
        conn.execute("UPDATE item SET title = ?1 WHERE id = 1", [&title]).unwrap();
        drop(conn);
        let mut app = app_at(&path, 160, 48);
        keys(&mut app, "3");
        let screen = render(&app);
        assert!(!screen.contains(ch), "U+{:04X} reached the screen:\n{screen}", u32::from(ch));
        // The backlog is the right-hand pane: its border ends every row of
        // the board's body, in the last column, as a terminal counts them.
        let rows: Vec<&str> = screen.lines().filter(|line| line.contains("Store")).collect();
        assert!(!rows.is_empty(), "the title is on screen:\n{screen}");
        for line in screen.lines().skip(1).take(40) {
            assert_eq!(line.chars().count(), 160, "U+{:04X}: a row of the wrong width:\n{line}", u32::from(ch));
        }
        // The same text typed into a form is drawn the same way.
        keys(&mut app, "e");
        app.handle_event(&Event::Paste(format!("{ch}x{ch}")));
        let screen = render(&app);
        assert!(!screen.contains(ch), "U+{:04X} typed into a form reached the screen:\n{screen}", u32::from(ch));
    }
}

/// SQLite 3.51.3 fixed a bug that could corrupt a database in WAL mode when
/// two connections write and checkpoint at once (the "WAL-reset" bug);
/// two processes writing one board is a documented use.
#[test]
fn the_linked_sqlite_has_the_wal_reset_fix() {
    let version = rusqlite::version_number();
    assert!(version >= 3_051_003, "SQLite {} is linked; 3.51.3 or later is needed", rusqlite::version());
}
