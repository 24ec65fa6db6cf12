//! The method's two settings of a quarter: the check-in cadence (M8, the
//! calendar's check-ins) and the overlap strategy (M6, the calendar). Set
//! in the quarter form and the new-quarter form, carried to the next
//! quarter, and read from the plan file.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Days, NaiveDate};
use common::{app_on_day, board_path, clear_field, demo_store, key, keys, render, today};
use quarterdeck::{
    app::App,
    domain::{
        calendar::EventKind,
        settings::{CheckInCadence, OverlapStrategy},
    },
    plan::Plan,
    store::{QuarterClose, Store},
};
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

fn settings(path: &std::path::Path, state: &str) -> (String, String) {
    Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT checkin_cadence, overlap_strategy FROM quarter WHERE state = ?1 ORDER BY id DESC LIMIT 1",
            [state],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap()
}

/// `,` on the board: label, start, then the two settings; sets them.
fn set_in_quarter_form(app: &mut App, cadence: &str, overlap: &str) {
    keys(app, ",");
    key(app, KeyCode::Tab);
    key(app, KeyCode::Tab);
    clear_field(app);
    keys(app, cadence);
    key(app, KeyCode::Tab);
    clear_field(app);
    keys(app, overlap);
    key(app, KeyCode::Enter);
    assert!(app.overlays.is_empty(), "saved: {}", render(app));
}

#[test]
fn a_monthly_cadence_set_in_the_quarter_form_moves_m8_and_the_calendars_check_ins() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    // Eighteen days after the demo's last check-ins: stale every two weeks.
    let day = today() + Days::new(15);
    let mut app = app_on_day(&path, day);
    assert!(app.rhythm.stale_krs > 0);
    let check_ins = |app: &App| app.rhythm.events.iter().filter(|event| event.kind == EventKind::CheckIn).count();
    assert_eq!(check_ins(&app), 6, "every two weeks: every review of six two-week sprints");
    set_in_quarter_form(&mut app, "monthly", "reserve");
    assert_eq!(settings(&path, "open"), ("monthly".to_owned(), "reserve".to_owned()));
    assert_eq!(app.rhythm.stale_krs, 0, "within a month: fresh");
    assert_eq!(check_ins(&app), 3, "monthly: every other review");
    assert!(!render(&app).contains("stale"), "{}", render(&app));
    // One undo step takes it back.
    keys(&mut app, "u");
    assert_eq!(settings(&path, "open").0, "two_weeks");
}

#[test]
fn a_planning_day_shows_in_the_calendar_and_m6_asks_no_reserve() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    // Over-plan the last sprint: M6 warns under the reserve strategy.
    let conn = Connection::open(&path).unwrap();
    conn.execute("UPDATE sprint SET capacity = 1 WHERE number = 6", []).unwrap();
    conn.execute("UPDATE item SET sprint_id = (SELECT id FROM sprint WHERE number = 6) WHERE id = (SELECT min(id) FROM item WHERE sprint_id IS NULL AND points > 0)", []).unwrap();
    drop(conn);
    let mut app = app_on_day(&path, today());
    keys(&mut app, "H");
    assert!(render(&app).contains("⚠ M6"), "{}", render(&app));
    key(&mut app, KeyCode::Esc);
    set_in_quarter_form(&mut app, "two_weeks", "planning_day");
    keys(&mut app, "H");
    let screen = render(&app);
    assert!(screen.contains("✓ M6"), "{screen}");
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "L");
    let screen = render(&app);
    assert!(screen.contains("Planning day between quarters"), "{screen}");
    assert!(!screen.contains("10-15 % reserve"), "{screen}");
}

#[test]
fn a_bad_setting_is_named_in_the_form() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_on_day(&path, today());
    keys(&mut app, ",");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    keys(&mut app, "weekly");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("Check-in cadence"), "{screen}");
    assert!(!app.overlays.is_empty(), "the form stays open");
    assert_eq!(settings(&path, "open").0, "two_weeks");
}

#[test]
fn the_new_quarter_form_sets_them() {
    let (_dir, path) = board_path();
    let day = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let mut app = app_on_day(&path, day);
    keys(&mut app, "n");
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab);
    }
    clear_field(&mut app);
    keys(&mut app, "monthly");
    key(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    keys(&mut app, "drafts");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlays.is_empty(), "{}", render(&app));
    assert_eq!(settings(&path, "open"), ("monthly".to_owned(), "drafts".to_owned()));
}

#[test]
fn the_settings_go_on_to_the_draft_and_the_next_quarter() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    let changes = quarterdeck::store::QuarterChanges {
        cadence: Some(CheckInCadence::Monthly),
        overlap: Some(OverlapStrategy::PlanningDay),
        ..Default::default()
    };
    store.update_quarter_with(board.quarter.id, &changes, "Settings").unwrap();
    let last_day = NaiveDate::from_ymd_opt(2027, 1, 12).unwrap();
    // Opened without a draft: the closed quarter's settings.
    store.close_quarter(board.quarter.id, &QuarterClose::default(), last_day, "Closed").unwrap();
    store.open_next_quarter(board.quarter.id, last_day, "Opened").unwrap();
    let next = store.load_board().unwrap().unwrap();
    assert_eq!((next.quarter.cadence, next.quarter.overlap), (CheckInCadence::Monthly, OverlapStrategy::PlanningDay));
    // A draft starts with the running quarter's.
    store.create_draft("2027-Q2", NaiveDate::from_ymd_opt(2027, 4, 12).unwrap(), "Drafting").unwrap();
    assert_eq!(settings(&path, "draft"), ("monthly".to_owned(), "planning_day".to_owned()));
}

#[test]
fn the_plan_file_carries_the_settings() {
    let text = r#"
[quarter]
label = "2027-Q1"
start = "2027-01-04"
checkin_cadence = "monthly"
overlap_strategy = "drafts"

[[sprints]]
weeks = 3
capacity = 20
"#;
    let plan = Plan::parse(text, "test").unwrap();
    let (_dir, path) = board_path();
    let mut store = Store::open(&path).unwrap();
    store.import_plan(&plan, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), false).unwrap();
    assert_eq!(settings(&path, "open"), ("monthly".to_owned(), "drafts".to_owned()));
    // Left out, they are the defaults; a wrong word is refused, naming it.
    let plain =
        Plan::parse("[quarter]\nlabel = \"Q\"\nstart = \"2027-01-04\"\n[[sprints]]\nweeks = 2\ncapacity = 20\n", "test").unwrap();
    assert_eq!(plain.quarter.checkin_cadence, CheckInCadence::TwoWeeks);
    assert_eq!(plain.quarter.overlap_strategy, OverlapStrategy::Reserve);
    let wrong = Plan::parse("[quarter]\nlabel = \"Q\"\nstart = \"2027-01-04\"\ncheckin_cadence = \"weekly\"\n", "test");
    assert!(format!("{:#}", wrong.unwrap_err()).contains("weekly"));
}
