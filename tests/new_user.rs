//! Hazards and misreadings found when the board was tried as a new user
//! would (issue 15): keys that did not apply, questions answered by Enter,
//! errors that outlived their cause, messages that misled, a selection seen
//! only in colour, a check-in dated outside the review it was entered in,
//! and a focus KR nobody set.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, clear_field, demo_store, key, keys, render, select_item, select_okr, select_sprint};
use quarterdeck::{
    app::form::{Field, Form, Purpose},
    app::{App, Overlay, pickers::PickerKind},
    store::Store,
};
use ratatui::crossterm::event::KeyCode;

fn open_form(app: &App) -> &Form {
    match app.overlays.last() {
        Some(Overlay::Form(form)) => form,
        _ => panic!("no form open:\n{}", render(app)),
    }
}

/// Moves the open form's focus to field `key` with Tab.
fn focus_field(app: &mut App, field: Field) {
    for _ in 0..20 {
        let form = open_form(app);
        if form.fields[form.focused].key == field {
            return;
        }
        key(app, KeyCode::Tab);
    }
    panic!("no field {field:?} in the form:\n{}", render(app));
}

/// Replaces the text of field `key` of the open form with `text`.
fn type_into(app: &mut App, field: Field, text: &str) {
    focus_field(app, field);
    clear_field(app);
    keys(app, text);
}

/// Every item's title, as `sqlite3` reads the file.
fn item_titles(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut statement = conn.prepare("SELECT title FROM item ORDER BY id").unwrap();
    statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

// 7. Typing after a key that did not apply ran as commands.

#[test]
fn i_on_an_objective_offers_its_krs_and_choosing_one_opens_its_check_in() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    select_okr(&mut app, "O1");
    keys(&mut app, "i");
    let Some(Overlay::Picker(picker)) = app.overlays.last() else { panic!("a chooser of O1's KRs:\n{}", render(&app)) };
    assert_eq!(picker.kind, PickerKind::CheckIn);
    let labels: Vec<&str> = picker.choices.iter().map(|choice| choice.label.as_str()).collect();
    assert_eq!(labels.len(), 3, "O1's three KRs: {labels:?}");
    assert!(labels.iter().all(|label| label.starts_with("KR1.")), "{labels:?}");
    // What a user types next goes to the chooser, never to the board.
    let before = item_titles(&path);
    keys(&mut app, "deed");
    assert!(matches!(app.overlays.last(), Some(Overlay::Picker(_))), "{}", render(&app));
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    let form = open_form(&app);
    assert!(matches!(form.purpose, Purpose::AddCheckIn { .. }), "{:?}", form.purpose);
    assert!(form.title.contains("KR1.2"), "the second KR's form: {}", form.title);
    key(&mut app, KeyCode::Esc);
    assert_eq!(item_titles(&path), before, "nothing was deleted");

    // c (focus sprints on a KR) likewise.
    keys(&mut app, "c");
    let Some(Overlay::Picker(picker)) = app.overlays.last() else { panic!("a chooser of O1's KRs:\n{}", render(&app)) };
    assert_eq!((picker.kind, picker.title()), (PickerKind::Focus, "Focus sprints on a KR of O1".to_owned()));
    key(&mut app, KeyCode::Enter);
    assert!(open_form(&app).title.contains("Focus sprints on KR1.1"), "{}", render(&app));
}

#[test]
fn i_away_from_a_kr_offers_the_krs_in_view_never_leaving_keys_to_the_board() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    let offered = |app: &App| match app.overlays.last() {
        Some(Overlay::Picker(picker)) if picker.kind == PickerKind::CheckIn => {
            (picker.title(), picker.choices.iter().map(|choice| choice.label.split(' ').next().unwrap().to_owned()).collect())
        }
        _ => panic!("a chooser of KRs:\n{}", render(app)),
    };
    // An item tagged with two KRs: those two.
    select_item(&mut app, "Roll one-click payment out to 50 % of buyers");
    keys(&mut app, "i");
    let (title, codes): (String, Vec<String>) = offered(&app);
    assert_eq!(codes, ["KR1.1", "KR1.2"], "{title}");
    assert!(title.contains("#13"), "{title}");
    key(&mut app, KeyCode::Esc);
    // A BAU item moves none: every KR of the quarter.
    select_item(&mut app, "Fix VAT rounding on Swiss invoices");
    keys(&mut app, "i");
    let (title, codes) = offered(&app);
    assert_eq!(codes.len(), 7, "{codes:?}");
    assert!(title.contains("2026-Q4"), "{title}");
    key(&mut app, KeyCode::Esc);
    // A sprint: the KRs its goal serves.
    select_sprint(&mut app, 3);
    keys(&mut app, "i");
    assert_eq!(offered(&app).1, ["KR1.1", "KR1.2"]);
    key(&mut app, KeyCode::Esc);
    // The review of a sprint whose outcome shows no KR: every KR.
    select_sprint(&mut app, 4);
    keys(&mut app, "ri");
    assert_eq!(offered(&app).1.len(), 7, "{}", render(&app));
    keys(&mut app, "dd");
    assert!(matches!(app.overlays.last(), Some(Overlay::Picker(_))), "typing stays in the chooser");
}

#[test]
fn enter_does_not_answer_a_question_before_a_delete_only_y_does() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    select_item(&mut app, "Fix VAT rounding on Swiss invoices");
    keys(&mut app, "d");
    assert!(matches!(app.overlays.last(), Some(Overlay::Confirm(_))), "{}", render(&app));
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlays.last(), Some(Overlay::Confirm(_))), "Enter leaves the question open:\n{}", render(&app));
    assert!(item_titles(&path).iter().any(|title| title == "Fix VAT rounding on Swiss invoices"), "Enter deleted nothing");
    let screen = render(&app);
    assert!(screen.contains("y deletes"), "the question names its only yes key:\n{screen}");
    keys(&mut app, "Y");
    assert!(!item_titles(&path).iter().any(|title| title == "Fix VAT rounding on Swiss invoices"), "Y deletes");
}

// 9. An error stayed under a field after it was corrected.

#[test]
fn an_error_under_a_field_goes_when_the_field_is_corrected() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    select_sprint(&mut app, 4);
    keys(&mut app, "e");
    type_into(&mut app, Field::EndDate, "2027-01-32");
    key(&mut app, KeyCode::Enter);
    assert!(render(&app).contains("2027-01-32"), "the error shows:\n{}", render(&app));
    let errors = |app: &App| open_form(app).fields.iter().filter(|field| field.error.is_some()).count();
    assert_eq!(errors(&app), 1);
    type_into(&mut app, Field::EndDate, "2027-01-17");
    assert_eq!(errors(&app), 0, "corrected: its error goes before the next save\n{}", render(&app));
    assert!(!render(&app).contains('✗'), "{}", render(&app));
}

// 10. Messages that misled.

#[test]
fn a_date_that_does_not_exist_and_negative_points_are_named_as_such() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    select_sprint(&mut app, 4);
    keys(&mut app, "e");
    type_into(&mut app, Field::EndDate, "2027-02-30");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("2027-02-30 is not a day: February 2027 has 28 days"), "{screen}");
    assert!(!screen.contains("write it as YYYY-MM-DD"), "it is written so: {screen}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);

    keys(&mut app, "3a");
    type_into(&mut app, Field::Title, "Export orders as CSV");
    type_into(&mut app, Field::Points, "-5");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("Points cannot be negative"), "{screen}");
    assert!(!screen.contains("not a whole number"), "-5 is a whole number: {screen}");
}

// 11. A chooser showed its selection by reverse video only.

#[test]
fn every_chooser_marks_its_selected_line_in_text() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    // The line showing `selected` carries the marker; the one showing `other` not.
    let marked = |app: &App, selected: &str, other: &str| {
        let screen = render(app);
        let line = |label: &str| {
            screen.lines().find(|line| line.contains(label)).unwrap_or_else(|| panic!("no {label:?}:\n{screen}")).to_owned()
        };
        assert!(line(selected).contains('▶'), "the selected line carries a marker:\n{screen}");
        assert!(!line(other).contains('▶'), "only the selected line:\n{screen}");
    };
    // The filter menu, a one-choice picker.
    keys(&mut app, "3f");
    let Some(Overlay::Picker(picker)) = app.overlays.last() else { panic!("the filter menu:\n{}", render(&app)) };
    let (first, second) = (picker.choices[0].label.clone(), picker.choices[1].label.clone());
    marked(&app, &first, &second);
    keys(&mut app, "j");
    marked(&app, &second, &first);
    key(&mut app, KeyCode::Esc);
    // The tag picker, several choices.
    select_item(&mut app, "Fix VAT rounding on Swiss invoices");
    keys(&mut app, "t");
    marked(&app, "KR1.1 Checkout conversion", "KR1.2 p95 checkout");
    key(&mut app, KeyCode::Esc);
    // Sprint planning: the candidate space would move.
    select_sprint(&mut app, 4);
    keys(&mut app, "p");
    let planning = app.planning().unwrap_or_else(|| panic!("planning:\n{}", render(&app)));
    let (first, second) = (planning.candidates[0].0.title.clone(), planning.candidates[1].0.title.clone());
    let cut = |title: &str| title.chars().take(12).collect::<String>();
    marked(&app, &cut(&first), &cut(&second));
    key(&mut app, KeyCode::Esc);
    // Closing a sprint: where each unfinished item goes.
    select_sprint(&mut app, 3);
    keys(&mut app, "rc");
    let Some(Overlay::Carry(dialog)) = app.overlays.last() else { panic!("the carry dialog:\n{}", render(&app)) };
    let first = dialog.items[0].1.clone();
    let screen = render(&app);
    let line = screen.lines().find(|line| line.contains(first.get(..20).unwrap_or(&first))).unwrap();
    assert!(line.contains("▶ "), "{line:?}\n{screen}");
}

// 12. A check-in recorded from the review of an ended sprint was dated today.

#[test]
fn a_check_in_from_an_ended_sprints_review_is_dated_its_last_day() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    let sprint_end = app.board.as_ref().unwrap().sprints.iter().find(|sprint| sprint.number == 2).unwrap().end;
    assert!(sprint_end < app.today, "sprint 2 has ended");
    select_sprint(&mut app, 2);
    keys(&mut app, "ri");
    if matches!(app.overlays.last(), Some(Overlay::Picker(_))) {
        key(&mut app, KeyCode::Enter);
    }
    let form = open_form(&app);
    assert!(matches!(form.purpose, Purpose::AddCheckIn { .. }));
    assert_eq!(form.text(Field::CheckInDate), sprint_end.to_string(), "dated the sprint's last day");
    assert!(render(&app).contains("Dated Nov 22: Sprint 2's review reads up to that day"), "said so:\n{}", render(&app));
    // Still editable; saved as shown, it lands in the review.
    type_into(&mut app, Field::Value, "14.5");
    key(&mut app, KeyCode::Enter);
    let board = Store::open(&path).unwrap().load_board().unwrap().unwrap();
    let kr = board.key_results().find(|kr| kr.code == "KR1.1").unwrap();
    assert!(kr.check_ins.iter().any(|check_in| check_in.date == sprint_end && check_in.value == 14.5), "{:?}", kr.check_ins);
    assert!(render(&app).contains("→ 14.5 %"), "the review it was entered in moves:\n{}", render(&app));

    // A running sprint's review still dates it today.
    key(&mut app, KeyCode::Esc);
    select_sprint(&mut app, 3);
    keys(&mut app, "ri");
    if matches!(app.overlays.last(), Some(Overlay::Picker(_))) {
        key(&mut app, KeyCode::Enter);
    }
    assert_eq!(open_form(&app).text(Field::CheckInDate), app.today.to_string());
}

// 14. A focus KR appeared by itself in the timeline.

/// The timeline's focus row at 160x48, one entry per sprint.
fn focus_row(app: &App) -> Vec<String> {
    let screen = render(app);
    let row = screen
        .lines()
        .flat_map(|line| line.split('│'))
        .find_map(|part| part.strip_prefix("focus "))
        .unwrap_or_else(|| panic!("no focus row:\n{screen}"));
    row.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn serving_a_kr_does_not_make_it_the_sprints_focus() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    assert_eq!(focus_row(&app)[3], "—", "sprint 4 serves no KR: {:?}", focus_row(&app));
    select_sprint(&mut app, 4);
    keys(&mut app, "t");
    let Some(Overlay::Picker(picker)) = app.overlays.last() else { panic!("the sprint's KRs:\n{}", render(&app)) };
    assert_eq!(picker.kind, PickerKind::SprintKrs);
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Enter);
    let board = app.board.as_ref().unwrap();
    let sprint = board.sprints.iter().find(|sprint| sprint.number == 4).unwrap();
    assert_eq!(sprint.krs.len(), 1, "it serves a KR now");
    assert!(!sprint.krs[0].focus, "not a focus KR: nobody set one with c");
    assert_eq!(focus_row(&app)[3], "—", "no focus shown without c: {:?}", focus_row(&app));
    // c sets it; then it shows. On the sprint, c offers the KRs its goal
    // serves: one here, so its form opens.
    select_sprint(&mut app, 4);
    keys(&mut app, "c");
    assert!(open_form(&app).title.contains("Focus sprints on KR1.1"), "{}", render(&app));
    type_into(&mut app, Field::FromSprint, "4");
    type_into(&mut app, Field::ToSprint, "4");
    key(&mut app, KeyCode::Enter);
    assert_eq!(focus_row(&app)[3], "KR1.1", "{:?}\n{}", focus_row(&app), render(&app));
}

#[test]
fn space_steps_through_a_field_of_a_few_words_and_the_quarter_keeps_the_choice() {
    let (_dir, path) = board_path();
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "n");
    focus_field(&mut app, Field::CheckInCadence);
    assert!(render(&app).contains("space: next"), "the field says how to step:\n{}", render(&app));
    keys(&mut app, " ");
    assert_eq!(open_form(&app).fields[open_form(&app).focused].input.value(), "monthly");
    keys(&mut app, " ");
    assert_eq!(open_form(&app).fields[open_form(&app).focused].input.value(), "two_weeks", "after the last, the first");
    keys(&mut app, " ");
    focus_field(&mut app, Field::OverlapStrategy);
    keys(&mut app, "  ");
    assert_eq!(open_form(&app).fields[open_form(&app).focused].input.value(), "drafts");
    // A space in a text field still types.
    focus_field(&mut app, Field::Label);
    clear_field(&mut app);
    keys(&mut app, "Spring cycle");
    key(&mut app, KeyCode::Enter);
    drop(app);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let saved: (String, String, String) = conn
        .query_row("SELECT label, checkin_cadence, overlap_strategy FROM quarter", [], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .unwrap();
    assert_eq!(saved, ("Spring cycle".into(), "monthly".into(), "drafts".into()));
}

#[test]
fn the_sprint_picker_offers_no_closed_sprint() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    // The demo's S1 and S2 are closed; a backlog item's picker lists S3-S6.
    select_item(&mut app, "Apple Pay and Google Pay buttons");
    keys(&mut app, "m");
    let screen = render(&app);
    assert!(screen.contains("Sprint 3 (") && screen.contains("Sprint 6 ("), "{screen}");
    assert!(!screen.contains("Sprint 1 (") && !screen.contains("Sprint 2 ("), "{screen}");
    key(&mut app, KeyCode::Esc);
    // An item a closed sprint delivered stays in its record.
    select_item(&mut app, "Store card tokens with the payment provider");
    keys(&mut app, "m");
    assert!(render(&app).contains("Sprint 1 is closed: its items stay in its record"), "{}", render(&app));
}

#[test]
fn at_80_columns_a_form_keeps_all_its_keys_and_an_empty_sprint_its_whole_hint() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "3a");
    let screen = render(&app);
    assert!(screen.contains("esc cancels"), "the key line wraps, dropping no key:\n{screen}");
    key(&mut app, KeyCode::Esc);
    // Sprint 5 holds nothing yet.
    select_sprint(&mut app, 5);
    keys(&mut app, "p");
    let screen = render(&app);
    assert!(screen.contains("with space."), "{screen}");
}

#[test]
fn taking_the_focus_kr_off_a_sprints_goal_says_the_focus_went_with_it() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    // The demo's S3 serves KR1.1 and KR1.2, its focus.
    select_sprint(&mut app, 3);
    keys(&mut app, "pt");
    keys(&mut app, "j ");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("KR1.2 was its focus KR: it has none now (c sets one)"), "{screen}");
}

#[test]
fn cancelling_a_sprint_form_after_choosing_its_krs_says_the_krs_stand() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_sprint(&mut app, 5);
    keys(&mut app, "e");
    common::ctrl(&mut app, 't');
    keys(&mut app, "jj ");
    key(&mut app, KeyCode::Enter);
    // Nothing typed in the form: one Esc closes it.
    key(&mut app, KeyCode::Esc);
    assert!(app.overlays.is_empty(), "{}", render(&app));
    let screen = render(&app);
    assert!(screen.contains("Nothing else was saved: the KRs chosen for the goal stand"), "{screen}");
    assert!(!screen.contains("Nothing was saved"), "{screen}");
}
