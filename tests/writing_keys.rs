//! The writing keys (`K`/`J` re-rank, `s`/`S` state) deep in a backlog
//! larger than the board's window: after each key the board shows what a
//! fresh read of the file shows (the rows, their order and states, the
//! selection), though it reads the rows it holds again by id rather than
//! its window by position.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::NaiveDate;
use common::{board_path, keys, render};
use quarterdeck::{
    app::{App, Keymap},
    domain::ItemRow,
    plan::Plan,
    store::{ItemFilter, Store},
};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// A board of 400 items in a short terminal, the selection at place 200.
fn deep_in_a_backlog() -> (tempfile::TempDir, App) {
    let (dir, path) = board_path();
    let mut store = Store::open(&path).unwrap();
    store.import_plan(&Plan::synthetic(today(), 400).unwrap(), today(), false).unwrap();
    let mut app = App::new(store, Keymap::default_keys().unwrap(), today()).unwrap();
    app.resize(160, 30).unwrap();
    keys(&mut app, "3g");
    keys(&mut app, &"j".repeat(199));
    assert_eq!(app.backlog.selected, 199);
    (dir, app)
}

fn shown(row: &ItemRow) -> String {
    format!("{row:?}")
}

/// The backlog as the board holds it against a fresh read of the file.
fn assert_true_to_the_file(app: &App, after: &str) {
    let fresh = Store::open(app.store.path()).unwrap();
    let filter: &ItemFilter = &app.backlog.filter;
    let visible: Vec<(usize, String)> = app.backlog.visible().map(|(place, row)| (place, shown(row))).collect();
    let (first, _) = visible[0];
    let read: Vec<(usize, String)> = fresh
        .backlog_page(filter, first, visible.len())
        .unwrap()
        .iter()
        .enumerate()
        .map(|(n, row)| (first + n, shown(row)))
        .collect();
    assert_eq!(visible, read, "rows after {after}");
    let selected = app.backlog.selected_id().unwrap();
    assert_eq!(fresh.backlog_position(filter, selected).unwrap(), Some(app.backlog.selected), "selection after {after}");
    assert_eq!(app.backlog.summary.count, fresh.backlog_summary(filter).unwrap().count, "count after {after}");
}

#[test]
fn each_writing_key_deep_in_the_backlog_leaves_the_screen_as_the_file_has_it() {
    let (_dir, mut app) = deep_in_a_backlog();
    let moved = app.backlog.selected_id().unwrap();
    for (key, status) in [("K", "up"), ("K", "up"), ("J", "down"), ("s", "is now"), ("S", "is now")] {
        keys(&mut app, key);
        let status_line = app.status.as_ref().map(|status| status.text.clone()).unwrap_or_default();
        assert!(status_line.contains(status) || status_line.starts_with("Already"), "{key}: {status_line}");
        assert_eq!(app.backlog.selected_id(), Some(moved), "the moved item stays selected after {key}");
        assert_true_to_the_file(&app, key);
    }
    assert_eq!(app.backlog.selected, 198, "two places up, one down");
    assert!(render(&app).contains(" 199/400 "), "{}", render(&app));
}

#[test]
fn a_state_key_under_a_state_filter_reads_the_window_again() {
    let (_dir, mut app) = deep_in_a_backlog();
    app.backlog.filter.state = Some(quarterdeck::domain::ItemState::Todo);
    app.backlog.reload(&app.store, None).unwrap();
    keys(&mut app, "s");
    assert_true_to_the_file(&app, "s under a todo filter");
}

#[test]
fn a_rank_key_at_the_edge_of_the_held_window_reads_the_window_again() {
    let (_dir, mut app) = deep_in_a_backlog();
    // Up past every held row above, one K at a time, each checked.
    for step in 0..60 {
        keys(&mut app, "K");
        assert_true_to_the_file(&app, &format!("K number {}", step + 1));
    }
}

/// After a save the file refused (a full disk), the user fixes the form and
/// presses Enter on an error of the form's own: the status line no longer
/// shows the old refusal as if it were the answer (found by a cold trial).
#[test]
fn a_form_error_clears_an_error_line_left_from_an_earlier_try() {
    let (_dir, path) = board_path();
    drop(common::demo_store(&path));
    let mut app = common::app_at(&path, 80, 24);
    app.overlays.clear();
    keys(&mut app, "3a");
    app.status = Some(quarterdeck::app::Status { text: "Not saved: board.sqlite3 cannot grow".into(), is_error: true });
    common::key(&mut app, ratatui::crossterm::event::KeyCode::Enter);
    assert!(render(&app).contains("Give the item a title"), "{}", render(&app));
    assert!(app.status.is_none(), "{:?}", app.status.as_ref().map(|status| &status.text));
}
