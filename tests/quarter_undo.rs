//! Undoing (and redoing) a quarter's close or opening asks first, naming
//! the quarter: one stray `u`, even after a restart, takes back nothing.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::NaiveDate;
use common::{board_path, ctrl, demo_store, keys, render};
use quarterdeck::{
    app::{App, Keymap},
    store::Store,
};
use rusqlite::Connection;

fn app_on(path: &std::path::Path, today: NaiveDate) -> App {
    let mut app = App::new(Store::open(path).unwrap(), Keymap::default_keys().unwrap(), today).unwrap();
    app.resize(160, 48).unwrap();
    app.overlays.clear();
    app
}

fn quarters(path: &std::path::Path) -> String {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT group_concat(label || ' ' || state, ', ') FROM (SELECT * FROM quarter ORDER BY id)", [], |row| {
            row.get(0)
        })
        .unwrap()
}

#[test]
fn undo_and_redo_of_a_quarters_opening_and_close_ask_first_naming_it() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let day = NaiveDate::from_ymd_opt(2027, 1, 12).unwrap();
    let mut app = app_on(&path, day);
    keys(&mut app, "Qcyo");
    assert_eq!(quarters(&path), "2026-Q4 closed, 2027-Q1 open");
    drop(app);

    // After a restart, `u` takes the user's earlier steps without asking,
    // but not these.
    let mut app = app_on(&path, day);
    keys(&mut app, "u");
    let screen = render(&app);
    assert!(screen.contains("Undo opening 2027-Q1?"), "{screen}");
    assert_eq!(quarters(&path), "2026-Q4 closed, 2027-Q1 open", "nothing undone before the answer");
    keys(&mut app, "n");
    assert!(render(&app).contains("Nothing was undone"));
    assert_eq!(quarters(&path), "2026-Q4 closed, 2027-Q1 open");

    keys(&mut app, "uy");
    assert_eq!(quarters(&path), "2026-Q4 closed");
    keys(&mut app, "u");
    assert!(render(&app).contains("Undo closing 2026-Q4?"), "{}", render(&app));
    keys(&mut app, "y");
    assert_eq!(quarters(&path), "2026-Q4 open");

    ctrl(&mut app, 'r');
    assert!(render(&app).contains("Redo closing 2026-Q4?"), "{}", render(&app));
    assert_eq!(quarters(&path), "2026-Q4 open");
    keys(&mut app, "y");
    assert_eq!(quarters(&path), "2026-Q4 closed");
    ctrl(&mut app, 'r');
    assert!(render(&app).contains("Redo opening 2027-Q1?"), "{}", render(&app));
    keys(&mut app, "n");
    assert_eq!(quarters(&path), "2026-Q4 closed");
}
