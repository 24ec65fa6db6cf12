//! The sprint review (#10): output and outcome on one screen, starting and
//! closing a sprint from it, and a closed sprint's numbers that never move.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, demo_store, key, keys, render, select_sprint};
use quarterdeck::app::Overlay;
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

fn sprint_of(path: &std::path::Path, title: &str) -> Option<u32> {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT s.number FROM item i LEFT JOIN sprint s ON s.id = i.sprint_id WHERE i.title = ?1", [title], |row| {
            row.get(0)
        })
        .unwrap()
}

#[test]
fn a_finished_sprints_review_shows_output_and_outcome() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_sprint(&mut app, 2);
    keys(&mut app, "r");
    let screen = render(&app);
    for text in [
        "Sprint 2 review",
        "Output: what did we deliver?",
        "Committed",
        "Done in all",
        "Frozen when the sprint closed",
        "✓ done",
        "Outcome: what impact did it have?",
        "KR1.1 Checkout conversion",
    ] {
        assert!(screen.contains(text), "{text:?} is not on the review:\n{screen}");
    }
    // The verdict is the team's to record: the demo's team said met; v steps on.
    assert!(render(&app).contains("Verdict  met"), "{}", render(&app));
    keys(&mut app, "v");
    assert!(render(&app).contains("Verdict  partly met"), "{}", render(&app));
    key(&mut app, KeyCode::Esc);
    assert!(app.review().is_none());
}

#[test]
fn closing_a_sprint_carries_its_unfinished_items_item_by_item_and_freezes_its_record() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_sprint(&mut app, 3);
    keys(&mut app, "r");
    assert!(render(&app).contains("Sprint 3 review") && render(&app).contains("running"));
    keys(&mut app, "c");
    let Some(Overlay::Carry(dialog)) = app.overlays.last() else { panic!("the carry dialog:\n{}", render(&app)) };
    let unfinished: Vec<String> = dialog.items.iter().map(|item| item.1.clone()).collect();
    assert!(unfinished.len() >= 3, "{unfinished:?}");
    assert!(render(&app).contains("→ Sprint 4"), "the next sprint first:\n{}", render(&app));
    // All to the top of the backlog, then the first two back to sprint 4.
    keys(&mut app, " a");
    keys(&mut app, "g");
    keys(&mut app, "  ");
    keys(&mut app, "j  ");
    let screen = render(&app);
    assert!(screen.contains("top of the backlog") && screen.contains("Sprint 4"), "{screen}");
    key(&mut app, KeyCode::Enter);
    // Asked before the record freezes: Enter does not answer, y closes.
    assert!(render(&app).contains("Close Sprint 3?"), "{}", render(&app));
    key(&mut app, KeyCode::Enter);
    assert_eq!(sprint_of(&path, &unfinished[2]), Some(3), "Enter does not close it");
    keys(&mut app, "y");
    assert_eq!(sprint_of(&path, &unfinished[0]), Some(4));
    assert_eq!(sprint_of(&path, &unfinished[1]), Some(4));
    assert_eq!(sprint_of(&path, &unfinished[2]), None);
    let screen = render(&app);
    assert!(screen.contains("closed") && screen.contains("to S4") && screen.contains("to top"), "{screen}");
    let numbers: Vec<String> = screen.lines().filter(|line| line.contains(" pts")).map(str::to_owned).collect();

    // Restart, edit an item of the closed sprint: its numbers stand.
    drop(app);
    let conn = Connection::open(&path).unwrap();
    conn.execute("UPDATE item SET points = 13 WHERE title = ?1", [&unfinished[0]]).unwrap();
    let mut app = app_at(&path, 160, 48);
    select_sprint(&mut app, 3);
    keys(&mut app, "r");
    let again: Vec<String> = render(&app).lines().filter(|line| line.contains(" pts")).map(str::to_owned).collect();
    assert_eq!(again, numbers, "the closed sprint's record is frozen");
    // Undo (this user's step from the run before) reopens it.
    keys(&mut app, "u");
    assert!(render(&app).contains("running"), "{}", render(&app));
}

#[test]
fn a_sprint_whose_dates_today_entered_is_offered_to_start() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    // Two weeks on: sprint 3 ended, sprint 4 begins and was never started.
    let store = quarterdeck::store::Store::open(&path).unwrap();
    let later = common::today() + chrono::Days::new(14);
    let mut app = quarterdeck::app::App::new(store, quarterdeck::app::Keymap::default_keys().unwrap(), later).unwrap();
    app.resize(160, 48).unwrap();
    let screen = render(&app);
    assert!(screen.contains("Sprint 4 runs from") && screen.contains("Start it now?"), "{screen}");
    assert!(
        screen.contains("⚠ review S3 overdue: not held yet, r reviews it"),
        "the header names the review that is due:\n{screen}"
    );
    keys(&mut app, "y");
    let state: String =
        Connection::open(&path).unwrap().query_row("SELECT state FROM sprint WHERE number = 4", [], |row| row.get(0)).unwrap();
    assert_eq!(state, "active");
    // r reviews the sprint that is due: the one that ended unclosed.
    keys(&mut app, "1r");
    assert!(render(&app).contains("Sprint 3 review") && render(&app).contains("not closed"), "{}", render(&app));
}

#[test]
fn the_review_reads_at_80x24() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    select_sprint(&mut app, 2);
    keys(&mut app, "r");
    let screen = render(&app);
    assert!(screen.contains("Sprint 2 review") && screen.contains("Output"), "{screen}");
    // The outcome is below: scrolling brings it up.
    for _ in 0..30 {
        keys(&mut app, "j");
    }
    assert!(render(&app).contains("Outcome: what impact did it have?"), "{}", render(&app));
}

#[test]
fn a_check_in_entered_in_the_review_moves_its_outcome_at_once() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_sprint(&mut app, 3);
    keys(&mut app, "r");
    assert!(render(&app).contains("15.1 % → 15.1 %"), "{}", render(&app));
    keys(&mut app, "i");
    assert!(render(&app).contains("Check in on a KR of Sprint 3"), "{}", render(&app));
    key(&mut app, KeyCode::Enter); // KR1.1, the first
    common::clear_field(&mut app);
    keys(&mut app, "16.4");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("15.1 % → 16.4 %") && screen.contains("moved"), "{screen}");
    assert!(app.review().is_some(), "still in the review");
}

/// The demo tells the story: a first sprint that shipped everything while
/// its KR had not moved yet (M11), a second that moved it, both with a
/// verdict and a retro.
#[test]
fn the_demo_shows_a_full_review_and_an_m11_sprint() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_sprint(&mut app, 1);
    keys(&mut app, "r");
    let screen = render(&app);
    for text in ["Verdict  met", "M11 high output, low outcome", "did not move", "Went well", "To improve", "OKR reflection"] {
        assert!(screen.contains(text), "{text:?} is not in sprint 1's review:\n{screen}");
    }
    key(&mut app, KeyCode::Esc);
    select_sprint(&mut app, 2);
    keys(&mut app, "r");
    let screen = render(&app);
    assert!(screen.contains("moved") && !screen.contains("M11"), "{screen}");
}

/// Found by a trial: a closed sprint's outcome showed today's confidence
/// and took in check-ins made after its close; the header still named its
/// review as next; the M11 line was cut.
#[test]
fn a_closed_sprints_outcome_stands_as_it_was_when_it_closed() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_sprint(&mut app, 2);
    keys(&mut app, "r");
    let before: Vec<String> = render(&app).lines().filter(|line| line.contains("conf")).map(str::to_owned).collect();
    assert!(before.iter().any(|line| line.contains("conf 70 %")), "{before:?}");
    key(&mut app, KeyCode::Esc);
    // A check-in today, on a KR sprint 2 served.
    common::select_okr(&mut app, "KR1.1");
    keys(&mut app, "i");
    common::clear_field(&mut app);
    keys(&mut app, "17");
    key(&mut app, KeyCode::Tab);
    common::clear_field(&mut app);
    keys(&mut app, "95");
    key(&mut app, KeyCode::Enter);
    select_sprint(&mut app, 2);
    keys(&mut app, "r");
    let after: Vec<String> = render(&app).lines().filter(|line| line.contains("conf")).map(str::to_owned).collect();
    assert_eq!(after, before, "sprint 2's outcome is as it stood at its end");

    // Sprint 1's M11 line reads whole.
    key(&mut app, KeyCode::Esc);
    select_sprint(&mut app, 1);
    keys(&mut app, "r");
    assert!(render(&app).contains("while none of its KRs moved (≥ 1 % of the way)."), "{}", render(&app));

    // Once sprint 3 is closed, its review is no longer what comes next.
    key(&mut app, KeyCode::Esc);
    select_sprint(&mut app, 3);
    keys(&mut app, "r");
    keys(&mut app, "c");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "y");
    let header = render(&app).lines().next().unwrap().to_owned();
    assert!(!header.contains("Sprint 3 review"), "{header}");
}

/// Closing sprint 3 a month late (today is in sprint 5, sprint 4 is over):
/// its unfinished work is offered to sprint 5, the one still to run, not to
/// sprint 4, which has ended (found by a trial).
#[test]
fn closing_a_sprint_late_carries_to_a_sprint_that_has_not_ended() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let store = quarterdeck::store::Store::open(&path).unwrap();
    let later = common::today() + chrono::Days::new(29);
    let mut app = quarterdeck::app::App::new(store, quarterdeck::app::Keymap::default_keys().unwrap(), later).unwrap();
    app.resize(160, 48).unwrap();
    app.overlays.clear();
    keys(&mut app, "1r");
    assert!(render(&app).contains("Sprint 3 review"), "{}", render(&app));
    keys(&mut app, "c");
    let screen = render(&app);
    assert!(screen.contains("→ Sprint 5"), "{screen}");
    assert!(!screen.contains("Sprint 4"), "{screen}");
}
