//! Another program holding the board's write lock: the board waits for it
//! without freezing, `Esc` cancels the waiting write, and a retry applies
//! to the file as it is then. The lock is held from a connection of the
//! test's own, in an open `BEGIN IMMEDIATE` transaction.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{app_at, board_path, clear_field, demo_store, key, keys, render};
use quarterdeck::{
    app::{App, Overlay},
    domain::Id,
    store::StoreError,
};
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

/// Another program in the middle of a long write.
fn hold_lock(path: &std::path::Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn
}

fn state(path: &std::path::Path, id: Id) -> String {
    Connection::open(path).unwrap().query_row("SELECT state FROM item WHERE id = ?1", [id], |row| row.get(0)).unwrap()
}

/// Every item's state, rank and title: what a write key could change.
fn items(path: &std::path::Path) -> String {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT group_concat(id || ':' || state || ':' || rank || ':' || title, ',') FROM item", [], |row| row.get(0))
        .unwrap()
}

fn status(app: &App) -> String {
    app.status.as_ref().map(|status| status.text.clone()).unwrap_or_default()
}

#[test]
fn a_write_on_a_locked_board_waits_keys_still_read_and_esc_cancels_it() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    let before = items(&path);
    let lock = hold_lock(&path);

    let started = Instant::now();
    keys(&mut app, "3s");
    assert!(started.elapsed() < Duration::from_secs(1), "the key did not block: {:?}", started.elapsed());
    assert!(app.write_is_waiting());
    assert!(render(&app).contains("Waiting for another program that is writing to the board… esc cancels"));

    // Reading keys still act on the screen as it is.
    keys(&mut app, "j");
    assert_eq!(app.backlog.selected, 1);
    assert!(render(&app).contains(&app.waiting_line()));
    // Another write is refused, not queued behind the waiting one.
    keys(&mut app, "K");
    assert!(status(&app).contains("A write is waiting"), "{}", status(&app));
    // The store's words, then the board's own way out (the store names no key).
    assert_eq!(
        status(&app),
        "A write is waiting for another program that is writing to the board: this change was not made; \
         esc cancels the waiting one"
    );
    assert!(!app.retry_waiting_write(), "still locked: nothing changes on screen");

    key(&mut app, KeyCode::Esc);
    assert!(!app.write_is_waiting());
    assert!(status(&app).contains("nothing was written"), "{}", status(&app));
    assert!(!render(&app).contains(&app.waiting_line()));
    drop(lock);
    assert_eq!(items(&path), before, "nothing was written");

    // Once the lock is gone, a write goes through at once: the second
    // item (selected meanwhile) steps back from done.
    keys(&mut app, "S");
    assert!(!app.write_is_waiting());
    assert_ne!(items(&path), before);
    assert!(status(&app).contains("is now doing"), "{}", status(&app));
}

#[test]
fn a_retry_acts_on_the_row_it_was_asked_for_as_the_file_has_it_then() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "3");
    let first = app.backlog.selected_id().unwrap();
    let lock = hold_lock(&path);
    keys(&mut app, "s");
    assert!(app.write_is_waiting());
    // The user moves on; the other program changes the row, then lets go.
    keys(&mut app, "jj");
    let third = app.backlog.selected_id().unwrap();
    let third_state = state(&path, third);
    lock.execute("UPDATE item SET state = 'doing' WHERE id = ?1", [first]).unwrap();
    lock.execute_batch("COMMIT").unwrap();

    assert!(app.retry_waiting_write());
    assert!(!app.write_is_waiting());
    assert_eq!(state(&path, first), "done", "stepped on from the state in the file then");
    assert_eq!(state(&path, third), third_state, "the row selected meanwhile is untouched");
    assert_eq!(app.backlog.selected_id(), Some(third), "the user goes on where they are: the change is read in around them");
    assert!(status(&app).contains("is now done"), "{}", status(&app));
}

#[test]
fn a_form_saved_on_a_locked_board_stays_open_until_its_write_goes_through() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "3e");
    clear_field(&mut app);
    keys(&mut app, "Written after the wait");
    let lock = hold_lock(&path);
    key(&mut app, KeyCode::Enter);
    assert!(app.write_is_waiting());
    assert!(matches!(app.overlays.last(), Some(Overlay::Form(_))), "the form and its text are kept");
    assert!(!app.retry_waiting_write());
    drop(lock);
    assert!(app.retry_waiting_write());
    assert!(app.overlays.is_empty(), "{}", render(&app));
    assert!(items(&path).contains("Written after the wait"));
}

#[test]
fn saving_the_screen_state_never_waits_for_a_locked_board() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "3j");
    assert!(app.ui_state_changed());
    let lock = hold_lock(&path);

    let started = Instant::now();
    app.save_ui_state_when_idle();
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert!(!app.ui_state_changed(), "dropped, not tried again and again");
    assert!(app.status.is_none(), "a busy file is no news: {:?}", app.status);

    let started = Instant::now();
    keys(&mut app, "q");
    assert!(app.should_quit);
    assert!(started.elapsed() < Duration::from_millis(100), "q never waits: {:?}", started.elapsed());
    drop(lock);
}

/// `q` while a write waits asks, and never drops a change silently (#18;
/// it used to quit and drop it): `n` goes on waiting and the change lands;
/// `y` drops it and quits at once.
#[test]
fn q_while_a_write_waits_asks_whether_to_wait_or_drop_it() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    let before = items(&path);
    let lock = hold_lock(&path);
    keys(&mut app, "3J");
    assert!(app.write_is_waiting());
    keys(&mut app, "q");
    assert!(!app.should_quit, "it asks first");
    let screen = render(&app);
    assert!(screen.contains("A change waits for another program") && screen.contains("y drops the change and quits"), "{screen}");
    keys(&mut app, "n");
    assert!(!app.should_quit && app.write_is_waiting(), "still waiting");
    assert!(status(&app).contains("Still waiting"), "{}", status(&app));

    let started = Instant::now();
    keys(&mut app, "qy");
    assert!(app.should_quit && !app.write_is_waiting());
    assert!(started.elapsed() < Duration::from_millis(100), "{:?}", started.elapsed());
    drop(lock);
    drop(app);
    assert_eq!(items(&path), before, "the dropped change was never written");
}

/// A form whose save waits takes no typing (a probe's `K` `J` went into
/// the title, the status said "Added" with the form still open, and Enter
/// added a second item; #18): keys are refused with a line that says why,
/// and when the write lands the form closes as it would have.
#[test]
fn a_form_whose_save_waits_takes_no_edits_and_closes_when_the_save_lands() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    let count = app.backlog.summary.count;
    keys(&mut app, "3aRepro item");
    let lock = hold_lock(&path);
    key(&mut app, KeyCode::Enter);
    assert!(app.write_is_waiting());
    keys(&mut app, "KJ");
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Form(form)) = app.overlays.last() else { panic!("the form stays open:\n{}", render(&app)) };
    assert_eq!(form.fields[0].input.value(), "Repro item", "no edits while the save waits");
    assert!(status(&app).contains("no edits until it lands; esc cancels the save"), "{}", status(&app));
    drop(lock);
    assert!(app.retry_waiting_write());
    assert!(app.overlays.is_empty(), "the form closed as it would have:\n{}", render(&app));
    assert_eq!(app.backlog.summary.count, count + 1, "one item added, not two");
    assert!(items(&path).contains("Repro item,") || items(&path).ends_with("Repro item"));
}

/// Esc in the form whose save waits cancels the save; the form stays open
/// with what was typed, and takes edits again.
#[test]
fn esc_in_a_form_whose_save_waits_cancels_the_save_and_keeps_the_text() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    let before = items(&path);
    keys(&mut app, "3aRepro item");
    let lock = hold_lock(&path);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert!(!app.write_is_waiting());
    assert!(status(&app).contains("Cancelled the waiting save"), "{}", status(&app));
    keys(&mut app, " again");
    let Some(Overlay::Form(form)) = app.overlays.last() else { panic!("the form stays open:\n{}", render(&app)) };
    assert_eq!(form.fields[0].input.value(), "Repro item again");
    drop(lock);
    assert_eq!(items(&path), before, "nothing was written");
}

#[test]
fn a_write_the_lock_refuses_is_a_typed_busy_error() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    store.set_lock_wait(Duration::from_millis(50)).unwrap();
    let id = store.backlog_page(&quarterdeck::store::ItemFilter::default(), 0, 1).unwrap()[0].id;
    let lock = hold_lock(&path);
    let error = store.rank_to_end(id, false, "Moved it").unwrap_err();
    assert!(matches!(error, StoreError::Busy), "{error:#}");
    store.hold_writes(true);
    let error = store.rank_to_end(id, false, "Moved it").unwrap_err();
    assert!(matches!(error, StoreError::Held), "{error:#}");
    store.hold_writes(false);
    drop(lock);
    store.rank_to_end(id, false, "Moved it").unwrap();
}

/// Found by a trial: a write that waited closed the form the user had
/// opened meanwhile, and threw away what was typed in it.
#[test]
fn a_form_opened_while_a_write_waits_keeps_its_text_when_the_write_goes_through() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    common::select_item(&mut app, "Lazy-load payment provider scripts");
    let first = app.backlog.selected_id().unwrap();
    let before = state(&path, first);
    let lock = hold_lock(&path);
    keys(&mut app, "s");
    assert!(app.write_is_waiting());
    keys(&mut app, "je");
    keys(&mut app, " typed while waiting");
    drop(lock);
    assert!(app.retry_waiting_write());
    assert_ne!(state(&path, first), before, "the waiting write went through");
    let Some(Overlay::Form(form)) = app.overlays.last() else { panic!("the form stays open:\n{}", render(&app)) };
    assert!(form.fields[0].input.value().ends_with(" typed while waiting"), "and keeps its text");
}

/// `T` goes through the command layer (`ops::apply`): a locked board
/// still makes it wait, not fail, and it lands once the lock goes.
#[test]
fn a_move_to_the_top_through_the_command_layer_waits_for_the_lock_too() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    let before = items(&path);
    let lock = hold_lock(&path);
    keys(&mut app, "3jT");
    assert!(app.write_is_waiting(), "{}", status(&app));
    assert_eq!(items(&path), before, "nothing was written while locked");
    drop(lock);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app.retry_waiting_write() {
        assert!(Instant::now() < deadline, "the move never landed");
    }
    assert!(!app.write_is_waiting());
    assert!(status(&app).contains("to the top"), "{}", status(&app));
    assert_ne!(items(&path), before);
}

fn rank(path: &std::path::Path, id: Id) -> i64 {
    Connection::open(path).unwrap().query_row("SELECT rank FROM item WHERE id = ?1", [id], |row| row.get(0)).unwrap()
}

/// A waiting write is the command the key made, not the key: `K` swaps
/// with the neighbour the item had when it was pressed, even when another
/// program has put a different item above it meanwhile and the user moved on.
#[test]
fn a_waiting_move_up_lands_as_the_command_it_was_when_the_key_was_pressed() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "3");
    let first = app.backlog.selected_id().unwrap();
    keys(&mut app, "j");
    let second = app.backlog.selected_id().unwrap();
    keys(&mut app, "j");
    let third = app.backlog.selected_id().unwrap();
    let (second_rank, third_rank) = (rank(&path, second), rank(&path, third));
    let lock = hold_lock(&path);
    keys(&mut app, "K");
    assert!(app.write_is_waiting(), "{}", status(&app));
    // The user moves on, and the other program puts the first item between
    // the second and the third before it lets go.
    keys(&mut app, "kk");
    lock.execute("UPDATE item SET rank = ?1 WHERE id = ?2", [(second_rank + third_rank) / 2, first]).unwrap();
    lock.execute_batch("COMMIT").unwrap();

    assert!(app.retry_waiting_write());
    assert!(!app.write_is_waiting());
    assert_eq!((rank(&path, third), rank(&path, second)), (second_rank, third_rank), "swapped with the neighbour it had");
    assert_eq!(rank(&path, first), (second_rank + third_rank) / 2, "not with the item put above it meanwhile");
    assert_eq!(app.backlog.selected_id(), Some(first), "the selection stays where the user moved it");
    assert!(status(&app).contains("up"), "{}", status(&app));
}

/// A quarter's close confirmed while another program writes waits as its
/// command, then lands with the quarters screen's own steps: the closed
/// quarter viewed, read-only, and the line that says what to do next.
#[test]
fn a_quarters_close_waits_for_the_lock_as_its_command_then_shows_the_closed_quarter() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = common::app_on_day(&path, chrono::NaiveDate::from_ymd_opt(2027, 1, 12).unwrap());
    app.resize(160, 48).unwrap();
    keys(&mut app, "Qc");
    let lock = hold_lock(&path);
    keys(&mut app, "y");
    assert!(app.write_is_waiting(), "{}", render(&app));
    drop(lock);
    assert!(app.retry_waiting_write());
    assert!(!app.write_is_waiting());
    let state: String = Connection::open(&path).unwrap().query_row("SELECT state FROM quarter", [], |row| row.get(0)).unwrap();
    assert_eq!(state, "closed");
    let screen = render(&app);
    assert!(screen.contains("Closed 2026-Q4: read-only now"), "{screen}");
    assert!(screen.contains("2026-Q4 (closed, read-only)"), "{screen}");
}
