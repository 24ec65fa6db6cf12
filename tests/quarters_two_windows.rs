//! The quarter close with a second window writing meanwhile: the close
//! acts on the file as it is, never on what a screen read earlier.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::NaiveDate;
use common::{board_path, demo_store, keys, render};
use quarterdeck::store::{CheckInFields, Store};
use rusqlite::Connection;

/// A day in the demo's last sprint (S6: Jan 4 - Jan 17, 2027).
fn last_sprint_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 12).unwrap()
}

fn one<T: rusqlite::types::FromSql>(path: &std::path::Path, sql: &str) -> T {
    Connection::open(path).unwrap().query_row(sql, [], |row| row.get(0)).unwrap()
}

/// A window on the demo board at 160x48, no question on opening.
fn window(path: &std::path::Path) -> quarterdeck::app::App {
    common::app_on_day(path, last_sprint_day())
}

#[test]
fn the_close_scores_a_kr_from_its_value_in_the_file_not_the_screens_proposal() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = window(&path);
    keys(&mut app, "Q");
    let (kr, target): (i64, f64) = Connection::open(&path)
        .unwrap()
        .query_row("SELECT id, target_value FROM key_result WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let proposed = app.quarter_screen().unwrap().score(kr).unwrap();
    assert!(proposed < 1.0);
    // Another window checks KR1.1 in at its target.
    let fields = CheckInFields {
        date: last_sprint_day(),
        value: target,
        confidence: quarterdeck::domain::values::Confidence::new(90).expect("a confidence"),
        note: String::new(),
    };
    Store::open(&path).unwrap().add_check_in(kr, &fields, "Check-in").unwrap();
    keys(&mut app, "cy");
    assert_eq!(one::<String>(&path, "SELECT state FROM quarter"), "closed");
    let score: f64 = one(&path, "SELECT score FROM key_result WHERE id = 1");
    assert_eq!(score, 1.0, "KR1.1 is at its target in the file when it closes (proposal was {proposed})");
}

#[test]
fn a_kr_added_in_another_window_is_scored_at_the_close() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = window(&path);
    keys(&mut app, "Q");
    Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO key_result (objective_id, position, title, unit, start_value, target_value, current_value)
             VALUES (1, 9, 'new', '%', 0, 10, 0)",
            [],
        )
        .unwrap();
    keys(&mut app, "cy");
    assert_eq!(one::<String>(&path, "SELECT state FROM quarter"), "closed");
    let unscored: i64 = one(&path, "SELECT count(*) FROM key_result WHERE score IS NULL");
    assert_eq!(unscored, 0);
}

#[test]
fn a_kr_whose_start_equals_its_target_is_neither_proposed_nor_closed_a_score() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO key_result (objective_id, position, title, unit, start_value, target_value, current_value)
             VALUES (1, 9, 'Keep NPS at 40', '', 40, 40, 40)",
            [],
        )
        .unwrap();
    let id: i64 = one(&path, "SELECT id FROM key_result WHERE position = 9");
    let mut app = window(&path);
    keys(&mut app, "Q");
    assert_eq!(app.quarter_screen().unwrap().score(id), None, "no proposal for a KR that cannot be measured (M9)");
    assert!(render(&app).contains("– unscored"), "{}", render(&app));
    keys(&mut app, "cy");
    let score: Option<f64> = one(&path, &format!("SELECT score FROM key_result WHERE id = {id}"));
    assert_eq!(score, None, "a KR that cannot be measured is not scored missed");
}

#[test]
fn a_quarter_screen_left_open_across_another_windows_close_and_open_closes_nothing() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut a = window(&path);
    let mut b = window(&path);
    keys(&mut b, "Q");
    keys(&mut a, "Qcy");
    keys(&mut a, "o");
    assert_eq!(one::<String>(&path, "SELECT state FROM quarter WHERE label = '2027-Q1'"), "open");
    keys(&mut b, "c");
    let asked = render(&b);
    keys(&mut b, "y");
    assert_eq!(one::<String>(&path, "SELECT state FROM quarter WHERE label = '2027-Q1'"), "open", "B was asked:\n{asked}");
    assert_eq!(one::<String>(&path, "SELECT state FROM quarter WHERE label = '2026-Q4'"), "closed");
    assert!(asked.contains("2026-Q4 is closed: only the running quarter closes"), "{asked}");
}

#[test]
fn the_quarter_screen_refreshes_keeping_a_typed_score_and_the_selected_line() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = window(&path);
    keys(&mut app, "Q");
    // The first KR line: past the quarters and O1.
    let quarters = app.quarter_screen().unwrap().quarters.len();
    keys(&mut app, &"j".repeat(quarters + 1));
    keys(&mut app, "e");
    common::clear_field(&mut app);
    keys(&mut app, "0.9");
    common::key(&mut app, ratatui::crossterm::event::KeyCode::Enter);
    // KR1.2 in place of KR1.1 selected: move down one.
    keys(&mut app, "j");
    let selected = app.quarter_screen().unwrap().selected;
    // Another window checks in KR1.2 at its target and starts a draft (a new quarter line on top).
    let mut other = Store::open(&path).unwrap();
    let (kr2, target): (i64, f64) = Connection::open(&path)
        .unwrap()
        .query_row("SELECT id, target_value FROM key_result WHERE id = 2", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let fields = CheckInFields {
        date: last_sprint_day(),
        value: target,
        confidence: quarterdeck::domain::values::Confidence::new(90).expect("a confidence"),
        note: String::new(),
    };
    other.add_check_in(kr2, &fields, "Check-in").unwrap();
    other.create_draft("2027-Q1", NaiveDate::from_ymd_opt(2027, 1, 18).unwrap(), "Drafting").unwrap();
    assert!(app.poll_external_changes().unwrap());
    let screen = app.quarter_screen().unwrap();
    assert_eq!(screen.quarters.len(), quarters + 1, "the draft is listed");
    assert_eq!(screen.score(1), Some(0.9), "the typed score is kept");
    assert_eq!(screen.score(kr2), Some(1.0), "the proposal follows the check-in");
    assert_eq!(screen.selected, selected + 1, "the same KR stays selected below the new line");
    keys(&mut app, "cy");
    assert_eq!(one::<f64>(&path, "SELECT score FROM key_result WHERE id = 1"), 0.9);
}

#[test]
fn a_close_confirmed_after_another_window_closed_the_quarter_writes_nothing_and_says_why() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut a = window(&path);
    let mut b = window(&path);
    keys(&mut b, "Qc");
    assert!(render(&b).contains("Close 2026-Q4 with these scores?"), "{}", render(&b));
    keys(&mut a, "Qcy");
    let closed_on: String = one(&path, "SELECT closed_on FROM quarter");
    keys(&mut b, "y");
    assert!(render(&b).contains("2026-Q4 is no longer running"), "{}", render(&b));
    assert_eq!(one::<String>(&path, "SELECT closed_on FROM quarter"), closed_on);
    let steps: i64 = one(&path, "SELECT count(*) FROM history_step WHERE label LIKE 'Closed%'");
    assert_eq!(steps, 1, "only A's close was recorded");
}

#[test]
fn a_check_in_form_left_open_across_a_close_writes_nothing_and_says_the_quarter_is_closed() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut a = window(&path);
    let mut b = window(&path);
    common::select_okr(&mut b, "KR1.1");
    keys(&mut b, "i");
    assert!(matches!(b.overlays.last(), Some(quarterdeck::app::Overlay::Form(_))), "{}", render(&b));
    let before: i64 = one(&path, "SELECT count(*) FROM check_in");
    keys(&mut a, "Qcy");
    assert_eq!(one::<String>(&path, "SELECT state FROM quarter"), "closed");
    common::clear_field(&mut b);
    keys(&mut b, "42");
    common::key(&mut b, ratatui::crossterm::event::KeyCode::Enter);
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM check_in"), before, "{}", render(&b));
    assert!(render(&b).contains("2026-Q4 is closed: read-only"), "{}", render(&b));
    // Undo still reopens the close (after its question, issue 15); then
    // the same check-in is written.
    keys(&mut a, "u");
    assert!(render(&a).contains("Undo closing 2026-Q4?"), "{}", render(&a));
    keys(&mut a, "y");
    assert_eq!(one::<String>(&path, "SELECT state FROM quarter"), "open");
    let mut store = Store::open(&path).unwrap();
    let fields = CheckInFields {
        date: last_sprint_day(),
        value: 42.0,
        confidence: quarterdeck::domain::values::Confidence::new(70).expect("a confidence"),
        note: String::new(),
    };
    store.add_check_in(1, &fields, "Check-in").unwrap();
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM check_in"), before + 1);
}

#[test]
fn the_store_refuses_every_write_aimed_at_a_closed_quarters_rows() {
    use quarterdeck::store::{MemberFields, StoreError};
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    let (quarter, sprint, member) = (board.quarter.id, board.sprints[0].id, board.team[0].id);
    store.close_quarter(quarter, &quarterdeck::store::QuarterClose::default(), last_sprint_day(), "Closed").unwrap();
    let rows = "SELECT (SELECT count(*) FROM check_in) || ' ' || (SELECT count(*) FROM key_result) || ' ' ||
                       (SELECT count(*) FROM objective) || ' ' || (SELECT count(*) FROM sprint) || ' ' ||
                       (SELECT count(*) FROM team_member) || ' ' || (SELECT count(*) FROM item WHERE sprint_id IS NULL)";
    let before: String = one(&path, rows);
    let steps: i64 = one(&path, "SELECT count(*) FROM history_step");
    let refused = |result: Result<(), StoreError>| {
        let error = result.unwrap_err();
        assert!(matches!(&error, StoreError::Closed { quarter } if quarter == "2026-Q4"), "{error:#}");
    };
    let fields = CheckInFields {
        date: last_sprint_day(),
        value: 1.0,
        confidence: quarterdeck::domain::values::Confidence::new(50).expect("a confidence"),
        note: String::new(),
    };
    refused(store.add_check_in(1, &fields, "Check-in").map(drop));
    refused(store.delete_key_result(1, "Deleted KR1.1"));
    refused(store.delete_objective(board.objectives[0].id, "Deleted O1"));
    refused(store.delete_sprint(sprint, "Deleted S1"));
    refused(store.delete_member(member, "Deleted a member"));
    let member = MemberFields {
        name: "Kim".into(),
        focus_factor: quarterdeck::domain::values::FocusFactor::new(80).expect("a focus factor"),
        days_off: Vec::new(),
        roles: Default::default(),
    };
    refused(store.add_member(quarter, &member, "Added Kim").map(drop));
    let backlog: i64 = one(&path, "SELECT id FROM item WHERE sprint_id IS NULL LIMIT 1");
    refused(store.set_item_sprint(backlog, Some(sprint), "Planned into S1"));
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM history_step"), steps, "no step recorded");
    assert_eq!(one::<String>(&path, rows), before, "nothing changed");
}

#[test]
fn a_score_typed_on_a_screen_whose_quarter_another_window_closed_is_named_as_not_written() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut a = window(&path);
    let mut b = window(&path);
    keys(&mut b, "Q");
    let quarters = b.quarter_screen().unwrap().quarters.len();
    keys(&mut b, &"j".repeat(quarters + 1));
    keys(&mut b, "e");
    common::clear_field(&mut b);
    keys(&mut b, "0.9");
    common::key(&mut b, ratatui::crossterm::event::KeyCode::Enter);
    keys(&mut a, "Qcy");
    assert!(b.poll_external_changes().unwrap());
    assert!(
        render(&b).contains("2026-Q4 was closed in another window: the scores and notes typed here were not written"),
        "{}",
        render(&b)
    );
}

#[test]
fn a_closed_quarters_screen_refreshed_keeps_its_notes_and_claims_nothing_was_lost() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    let close = quarterdeck::store::QuarterClose { note: "Plan fewer KRs".into(), ..Default::default() };
    store.close_quarter(board.quarter.id, &close, last_sprint_day(), "Closed").unwrap();
    let mut b = window(&path);
    keys(&mut b, "Q");
    assert_eq!(b.quarter_screen().unwrap().note, "Plan fewer KRs");
    store.create_draft("2027-Q1", NaiveDate::from_ymd_opt(2027, 1, 18).unwrap(), "Drafting").unwrap();
    assert!(b.poll_external_changes().unwrap());
    assert_eq!(b.quarter_screen().unwrap().quarters.len(), 2, "the draft is listed");
    assert!(!render(&b).contains("was closed in another window"), "{}", render(&b));
}
