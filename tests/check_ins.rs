//! KR check-ins: the store's history of readings with undo (add, edit,
//! delete, each one step), the current value that follows the latest
//! check-in, and the board's keys: `i` on a KR, `e` and `d` in its details.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Days, NaiveDate};
use common::{app_at, board_path, clear_field, demo_store, key, keys, render, select_kr, today};
use quarterdeck::{
    app::{App, Keymap, Overlay},
    domain::{Board, Id, KeyResult},
    store::{CheckInChanges, CheckInFields, Store},
};
use ratatui::crossterm::event::KeyCode;

fn kr<'a>(board: &'a Board, code: &str) -> &'a KeyResult {
    board.key_results().find(|kr| kr.code == code).unwrap()
}

/// `current_value` as `sqlite3` reads it.
fn stored_current(path: &std::path::Path, id: Id) -> f64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("SELECT current_value FROM key_result WHERE id = ?1", [id], |row| row.get(0)).unwrap()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn reading(day: NaiveDate, value: f64, confidence: u8, note: &str) -> CheckInFields {
    CheckInFields {
        date: day,
        value,
        confidence: quarterdeck::domain::values::Confidence::new(u32::from(confidence)).expect("a confidence"),
        note: note.into(),
    }
}

#[test]
fn check_in_history_with_undo_and_current_following_the_latest() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    let before = kr(&board, "KR1.1").clone();
    assert_eq!((before.current, before.confidence, before.check_ins.len()), (15.1, 70, 3));
    assert_eq!(stored_current(&path, before.id), 15.1);

    // Add: the latest check-in is the KR's current value and confidence.
    let id = store.add_check_in(before.id, &reading(today(), 16.4, 75, "Wallets live"), "Checked in").unwrap();
    let now = |store: &Store| kr(&store.load_board().unwrap().unwrap(), "KR1.1").clone();
    assert_eq!((now(&store).current, now(&store).confidence), (16.4, 75));
    assert_eq!(stored_current(&path, before.id), 16.4, "the copy for sqlite3 readers follows");

    // Edit: only the changed fields, on the row as stored.
    let changes = CheckInChanges { value: Some(16.0), ..CheckInChanges::default() };
    store.update_check_in(id, &changes, "Corrected").unwrap();
    let edited = now(&store);
    assert_eq!((edited.current, edited.confidence), (16.0, 75));
    assert_eq!(edited.check_ins.last().unwrap().note, "Wallets live");
    assert_eq!(stored_current(&path, before.id), 16.0);

    // Backdated before the latest: the latest by date wins again.
    let changes = CheckInChanges { date: Some(date("2026-11-01")), ..CheckInChanges::default() };
    store.update_check_in(id, &changes, "Backdated").unwrap();
    assert_eq!(now(&store).current, 15.1);
    assert_eq!(stored_current(&path, before.id), 15.1);

    // Delete, then undo each step back to where it started.
    store.delete_check_in(id, "Deleted").unwrap();
    assert_eq!(now(&store).check_ins.len(), 3);
    assert_eq!(store.undo().unwrap().as_deref(), Some("Deleted"));
    assert_eq!(now(&store).check_ins.len(), 4);
    assert_eq!(store.undo().unwrap().as_deref(), Some("Backdated"));
    assert_eq!(now(&store).current, 16.0);
    assert_eq!(stored_current(&path, before.id), 16.0);
    assert_eq!(store.undo().unwrap().as_deref(), Some("Corrected"));
    assert_eq!(now(&store).current, 16.4);
    assert_eq!(store.undo().unwrap().as_deref(), Some("Checked in"));
    assert_eq!(now(&store), before, "the KR is as it was");
    assert_eq!(stored_current(&path, before.id), 15.1);
    assert_eq!(store.redo().unwrap().as_deref(), Some("Checked in"));
    assert_eq!(now(&store).current, 16.4);
}

#[test]
fn with_no_check_in_left_the_kr_stands_at_its_start_and_own_confidence() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    let kr13 = kr(&board, "KR1.3").clone();
    for check_in in &kr13.check_ins {
        store.delete_check_in(check_in.id, "Deleted").unwrap();
    }
    let board = store.load_board().unwrap().unwrap();
    let bare = kr(&board, "KR1.3");
    assert_eq!((bare.current, bare.confidence), (bare.start, 50));
    assert_eq!(stored_current(&path, bare.id), bare.start);
}

#[test]
fn the_value_on_a_date_is_the_latest_check_in_on_or_before_it() {
    let (_dir, path) = board_path();
    let store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    let kr11 = kr(&board, "KR1.1");
    let days: Vec<NaiveDate> = kr11.check_ins.iter().map(|check_in| check_in.date).collect();
    let cases = [(board.quarter.start - Days::new(1), 12.0), (days[1] - Days::new(1), 12.0), (days[1], 12.9), (today(), 15.1)];
    for (day, value) in cases {
        assert_eq!(store.key_result_value_on(kr11.id, day).unwrap(), Some(value), "on {day}");
        assert_eq!(kr11.value_on(day), value, "the board's KR agrees on {day}");
    }
    assert_eq!(store.key_result_value_on(9999, today()).unwrap(), None);
}

fn demo_app(width: u16, height: u16) -> (tempfile::TempDir, std::path::PathBuf, App) {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    let app = app_at(&path, width, height);
    (dir, path, app)
}

fn app_kr(app: &App, code: &str) -> KeyResult {
    kr(app.board.as_ref().unwrap(), code).clone()
}

#[test]
fn i_on_a_kr_records_a_check_in_dated_today() {
    let (_dir, path, mut app) = demo_app(80, 24);
    select_kr(&mut app, "KR1.2");
    keys(&mut app, "i");
    let screen = render(&app);
    assert!(screen.contains("Check-in on KR1.2"), "{screen}");
    assert!(screen.contains(&today().to_string()), "dated today: {screen}");
    // The value field has the focus, holding the current value.
    clear_field(&mut app);
    keys(&mut app, "1.8");
    key(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    keys(&mut app, "65");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "Lazy-loaded scripts");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlays.is_empty(), "saved and closed");
    let kr12 = app_kr(&app, "KR1.2");
    let latest = kr12.check_ins.last().unwrap();
    assert_eq!((latest.date, latest.value, latest.confidence, latest.note.as_str()), (today(), 1.8, 65, "Lazy-loaded scripts"));
    assert_eq!((kr12.current, kr12.confidence), (1.8, 65));
    assert_eq!(stored_current(&path, kr12.id), 1.8);
    let screen = render(&app);
    assert!(screen.contains("Checked in KR1.2 at 1.8 s"), "{screen}");
    assert!(screen.contains("now 1.8 s · -0.2 since Nov 20"), "{screen}");

    keys(&mut app, "u");
    assert_eq!(app_kr(&app, "KR1.2").current, 2.0, "one undo step");
}

#[test]
fn a_check_in_form_refuses_a_future_date_and_keeps_what_was_typed() {
    let (_dir, _path, mut app) = demo_app(80, 24);
    select_kr(&mut app, "KR1.1");
    keys(&mut app, "i");
    key(&mut app, KeyCode::BackTab);
    clear_field(&mut app);
    keys(&mut app, "2099-01-01");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("A check-in records a reading taken"), "{screen}");
    assert!(matches!(app.overlays.last(), Some(Overlay::Form(_))), "still open");
    assert_eq!(app_kr(&app, "KR1.1").check_ins.len(), 3, "nothing written");
}

#[test]
fn in_a_krs_details_e_corrects_and_d_deletes_the_selected_check_in() {
    let (_dir, _path, mut app) = demo_app(80, 24);
    select_kr(&mut app, "KR1.1");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("› 2026-11-20  15.1 %"), "newest first, selected: {screen}");
    // The second newest: 12.9 on Nov 11.
    keys(&mut app, "j");
    assert!(render(&app).contains("› 2026-11-11  12.9 %"));
    keys(&mut app, "e");
    assert!(render(&app).contains("Edit KR1.1's check-in of 2026-11-11"));
    key(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    keys(&mut app, "13.2");
    key(&mut app, KeyCode::Enter);
    let kr11 = app_kr(&app, "KR1.1");
    assert_eq!(kr11.check_ins.iter().map(|check_in| check_in.value).collect::<Vec<_>>(), [12.0, 13.2, 15.1]);
    assert_eq!(kr11.current, 15.1, "not the latest: the current value stays");
    assert!(render(&app).contains("Corrected KR1.1's check-in of 2026-11-11: 13.2 %"));

    // d asks first; n keeps it, y deletes it.
    keys(&mut app, "kd");
    assert!(render(&app).contains("Delete KR1.1's check-in of 2026-11-20 (15.1 %)?"));
    keys(&mut app, "n");
    assert_eq!(app_kr(&app, "KR1.1").check_ins.len(), 3);
    keys(&mut app, "dy");
    let kr11 = app_kr(&app, "KR1.1");
    assert_eq!((kr11.check_ins.len(), kr11.current), (2, 13.2), "the latest left is current");
    let screen = render(&app);
    assert!(screen.contains("Key result KR1.1"), "the details stay open: {screen}");
    assert!(screen.contains("now 13.2 %"), "{screen}");

    // Each was one step: undo the delete, then the correction.
    keys(&mut app, "u");
    assert_eq!(app_kr(&app, "KR1.1").current, 15.1);
    keys(&mut app, "u");
    assert_eq!(app_kr(&app, "KR1.1").check_ins[1].value, 12.9);
    // i in the details checks in on that KR.
    keys(&mut app, "i");
    assert!(render(&app).contains("Check-in on KR1.1"));
}

#[test]
fn changing_current_in_the_kr_form_records_a_check_in_instead_of_overwriting() {
    let (_dir, _path, mut app) = demo_app(80, 24);
    select_kr(&mut app, "KR2.1");
    let before = app_kr(&app, "KR2.1");
    keys(&mut app, "e");
    // Title, unit, start, target, current.
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab);
    }
    clear_field(&mut app);
    keys(&mut app, "41");
    key(&mut app, KeyCode::Enter);
    let after = app_kr(&app, "KR2.1");
    assert_eq!(after.check_ins.len(), before.check_ins.len() + 1, "history kept, one reading added");
    let latest = after.check_ins.last().unwrap();
    assert_eq!((latest.date, latest.value, latest.note.as_str()), (today(), 41.0, "set in the KR form"));
    assert_eq!(after.current, 41.0);
    keys(&mut app, "u");
    assert_eq!(app_kr(&app, "KR2.1"), before, "one undo step");
}

#[test]
fn a_kr_without_a_check_in_for_more_than_two_weeks_is_stale_on_its_row_and_in_the_header() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    // Sixteen days after the demo's last check-ins (three days before today).
    let later = today() + Days::new(13);
    let mut app = App::new(Store::open(&path).unwrap(), Keymap::default_keys().unwrap(), later).unwrap();
    app.resize(80, 24).unwrap();
    let screen = render(&app);
    let stale = app.board.as_ref().unwrap().key_results().count();
    assert!(screen.contains("⚠ stale: last check-in 16 days ago"), "{screen}");
    // At 80 columns the header says the warnings' count (which counts the
    // stale KRs too, M8) short, with its key, before the stale KRs; wider,
    // both show whole.
    let header = screen.lines().next().unwrap_or_default();
    assert!(header.contains("warnings (H)") || header.contains("⚠2 (H)"), "{screen}");
    app.resize(160, 48).unwrap();
    let screen = render(&app);
    assert!(screen.contains(&format!("⚠ {stale} KRs stale")), "{screen}");
    // A check-in makes it fresh.
    select_kr(&mut app, "KR1.1");
    keys(&mut app, "i");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains(&format!("⚠ {} KRs stale", stale - 1)), "{screen}");
}

/// A check-in saved in the board goes through the command layer: the
/// method's advice on it (a confidence that dropped) follows what was done.
#[test]
fn a_check_in_that_lowers_confidence_says_so_in_the_board() {
    let (_dir, _path, mut app) = demo_app(160, 48);
    let before = app_kr(&app, "KR1.2").confidence;
    select_kr(&mut app, "KR1.2");
    keys(&mut app, "i");
    clear_field(&mut app);
    keys(&mut app, "1.9");
    key(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    keys(&mut app, "30");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlays.is_empty(), "saved and closed");
    let status = app.status.as_ref().map(|status| status.text.clone()).unwrap_or_default();
    assert!(status.starts_with("Checked in KR1.2 at 1.9 s"), "{status}");
    assert!(status.contains(&format!("KR1.2: confidence dropped from {before} % to 30 %")), "{status}");
}

/// A check-in from another year says its year: "since Jan 1 2020", not
/// "since Jan 1", which reads as this January.
#[test]
fn a_check_in_from_another_year_shows_its_year() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let changed = conn
        .execute(
            "UPDATE check_in SET date = '2020-01-01' WHERE key_result_id = (SELECT k.id FROM key_result k
               JOIN objective o ON o.id = k.objective_id WHERE o.position = 1 AND k.position = 1)
             AND id <> (SELECT id FROM check_in c2 WHERE c2.key_result_id = check_in.key_result_id ORDER BY date DESC, id DESC LIMIT 1)",
            [],
        )
        .unwrap();
    assert!(changed > 0);
    drop(conn);
    for (width, height) in [(80, 24), (160, 48)] {
        let mut app = app_at(&path, width, height);
        select_kr(&mut app, "KR1.1");
        let screen = render(&app);
        assert!(screen.contains("since Jan 1 2020"), "{screen}");
        key(&mut app, KeyCode::Enter);
        let details = render(&app);
        assert!(details.contains("Jan 1 2020"), "{details}");
    }
}

#[test]
fn a_check_in_dated_outside_the_quarter_is_saved_with_the_method_s_word() {
    let (_dir, _path, mut app) = demo_app(200, 30);
    select_kr(&mut app, "KR1.1");
    keys(&mut app, "i");
    key(&mut app, KeyCode::BackTab);
    clear_field(&mut app);
    keys(&mut app, "2020-01-01");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlays.is_empty(), "saved: the method advises, never blocks\n{}", render(&app));
    assert_eq!(app_kr(&app, "KR1.1").check_ins.len(), 4);
    let screen = render(&app);
    assert!(screen.contains("the check-in is dated 2020-01-01, outside"), "{screen}");
}

/// At 80x24 a field's error is wrapped onto the next line under the
/// field, never cut mid-sentence with `…`.
#[test]
fn at_80x24_a_fields_error_wraps_whole() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    app.overlays.clear();
    select_kr(&mut app, "KR1.2");
    keys(&mut app, "i");
    key(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    keys(&mut app, "150");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    // The words of the message, read across two lines inside the form's box.
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines.iter().position(|line| line.contains('✗')).unwrap();
    let inside = |line: &str| line.split('│').nth(2).unwrap_or_default().trim().trim_start_matches("✗ ").to_owned();
    let said = format!("{} {}", inside(lines[at]), inside(lines[at + 1]));
    assert_eq!(said, "150 is not a confidence: write a percentage from 0 to 100", "{screen}");
    assert!(!screen.lines().any(|line| line.contains('✗') && line.contains('…')), "{screen}");
}
