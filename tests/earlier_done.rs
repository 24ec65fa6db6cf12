//! Done work stays in its quarter: once the next quarter opens, its backlog
//! lists its open work and its own done items; what earlier quarters
//! delivered is found through the filter menu, and `[` shows it in place.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::NaiveDate;
use common::{app_on_day, board_path, demo_store, key, keys, render};
use quarterdeck::store::{ItemFilter, QuarterClose, Store};
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

fn last_sprint_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 12).unwrap()
}

fn one(path: &std::path::Path, sql: &str) -> i64 {
    Connection::open(path).unwrap().query_row(sql, [], |row| row.get(0)).unwrap()
}

/// The demo quarter closed and the next opened; returns the number of
/// items done in it (counted by hand from the file) and all items.
fn opened_after_demo(path: &std::path::Path) -> (i64, i64) {
    let mut store = demo_store(path);
    let done = one(path, "SELECT count(*) FROM item WHERE state = 'done'");
    let all = one(path, "SELECT count(*) FROM item");
    let closed = store.load_board().unwrap().unwrap().quarter.id;
    store.close_quarter(closed, &QuarterClose::default(), last_sprint_day(), "Closed").unwrap();
    store.open_next_quarter(closed, last_sprint_day(), "Opened").unwrap();
    (done, all)
}

#[test]
fn the_next_quarters_backlog_leaves_out_what_earlier_quarters_delivered() {
    let (_dir, path) = board_path();
    let (done, all) = opened_after_demo(&path);
    assert!(done > 0, "the demo has done items");
    let store = Store::open(&path).unwrap();
    store.load_board().unwrap();
    let summary = store.backlog_summary(&ItemFilter::default()).unwrap();
    assert_eq!(summary.count as i64, all - done, "open work only");
    let points = one(&path, "SELECT sum(points) FROM item WHERE state != 'done'");
    assert_eq!(summary.points as i64, points);
    let page = store.backlog_page(&ItemFilter::default(), 0, 1000).unwrap();
    assert_eq!(page.len() as i64, all - done);
    assert!(page.iter().all(|row| row.state != quarterdeck::domain::ItemState::Done));

    let earlier = ItemFilter { earlier_done: true, ..ItemFilter::default() };
    assert_eq!(store.backlog_summary(&earlier).unwrap().count as i64, done);
    assert_eq!(store.backlog_page(&earlier, 0, 1000).unwrap().len() as i64, done);
    // The general filters leave them out too: "done" is this quarter's done.
    let done_here = ItemFilter { state: Some(quarterdeck::domain::ItemState::Done), ..ItemFilter::default() };
    assert_eq!(store.backlog_summary(&done_here).unwrap().count, 0);
}

#[test]
fn an_item_done_in_the_new_quarter_stays_listed_and_undo_brings_the_old_back() {
    let (_dir, path) = board_path();
    let (done, all) = opened_after_demo(&path);
    let mut store = Store::open(&path).unwrap();
    store.load_board().unwrap();
    // Done now, in the running quarter: its own done item stays listed.
    let open_item = one(&path, "SELECT min(id) FROM item WHERE state != 'done'");
    store.step_item_state(open_item, true, last_sprint_day(), |_, _| "step".into()).unwrap();
    store.step_item_state(open_item, true, last_sprint_day(), |_, _| "step".into()).unwrap();
    assert_eq!(one(&path, &format!("SELECT state = 'done' FROM item WHERE id = {open_item}")), 1);
    assert_eq!(store.backlog_summary(&ItemFilter::default()).unwrap().count as i64, all - done);
    // Undoing the two steps and the opening lists every item again.
    store.undo().unwrap();
    store.undo().unwrap();
    store.undo().unwrap();
    assert_eq!(one(&path, "SELECT count(*) FROM quarter"), 1);
    assert_eq!(store.backlog_summary(&ItemFilter::default()).unwrap().count as i64, all);
    assert_eq!(one(&path, "SELECT items FROM backlog_tally WHERE scope = -2"), 0);
}

#[test]
fn the_filter_menu_finds_earlier_quarters_done_items_and_the_closed_quarter_keeps_them() {
    let (_dir, path) = board_path();
    let (done, all) = opened_after_demo(&path);
    let mut app = app_on_day(&path, last_sprint_day());
    keys(&mut app, "3");
    let screen = render(&app);
    assert!(screen.contains(&format!("{} items", all - done)), "{screen}");
    keys(&mut app, "f");
    let screen = render(&app);
    assert!(screen.contains("Done in earlier quarters"), "{screen}");
    // Down to it: after BAU only, not in a sprint and the re-tag line.
    let Some(quarterdeck::app::Overlay::Picker(picker)) = app.overlays.last() else { panic!("picker") };
    let at = picker.choices.iter().position(|choice| choice.label.contains("Done in earlier quarters")).unwrap();
    for _ in 0..at {
        keys(&mut app, "j");
    }
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("done in earlier quarters"), "{screen}");
    assert!(screen.contains(&format!("{done} items")), "{screen}");
    key(&mut app, KeyCode::Esc);
    // The closed quarter lists what its sprints delivered, done items included.
    keys(&mut app, "[");
    let screen = render(&app);
    assert!(screen.contains("2026-Q4 (closed, read-only)"), "{screen}");
    assert!(screen.contains("delivered in 2026-Q4"), "{screen}");
}
