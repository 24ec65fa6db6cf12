//! Quarter labels: the next quarter's draft continues the running one's
//! label, two quarters never share one, and a draft KR's code names its
//! quarter wherever it meets the running quarter's KRs.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::NaiveDate;
use common::{app_on_day, board_path, clear_field, key, keys, render};
use quarterdeck::{
    domain::ItemKind,
    store::{KeyResultFields, NewItem, ObjectiveFields, Store, StoreError, board::NewQuarter},
};
use ratatui::crossterm::event::KeyCode;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// 2027-Q1: six two-week sprints from Mon Jan 4, one objective with one KR,
/// and one item in the backlog.
fn q1_board(path: &std::path::Path) -> Store {
    let mut store = Store::open(path).unwrap();
    let quarter = NewQuarter {
        label: "2027-Q1".into(),
        start: day("2027-01-04"),
        span: quarterdeck::domain::values::SprintSpan::new(6, 2).expect("a sprint span"),
    };
    let id = store.create_quarter(&quarter, day("2027-01-04")).unwrap();
    let objective = ObjectiveFields {
        title: quarterdeck::domain::values::Title::parse("Make checkout effortless").expect("a title"),
        owner: String::new(),
        parent_id: None,
        parent_note: String::new(),
    };
    let objective = store.add_objective(id, &objective, "Added O1").unwrap();
    let kr = KeyResultFields {
        title: quarterdeck::domain::values::Title::parse("Checkout conversion").expect("a title"),
        unit: "%".into(),
        start: 12.0,
        target: 20.0,
        first_check_in: None,
        owner: String::new(),
        confidence: quarterdeck::domain::values::Confidence::new(50).expect("a confidence"),
    };
    store.add_key_result(objective, &kr, "Added KR1.1").unwrap();
    let item = NewItem {
        title: quarterdeck::domain::values::Title::parse("One-click payment").expect("a title"),
        points: quarterdeck::domain::values::Points::new(3).expect("points"),
        kind: ItemKind::Story,
        description: String::new(),
        deferred_reason: String::new(),
    };
    store.add_item(&item, None, "Added an item").unwrap();
    store
}

/// In the last sprint (S6: Mar 15 - Mar 28).
fn last_sprint_day() -> NaiveDate {
    day("2027-03-22")
}

#[test]
fn the_draft_of_the_next_quarter_takes_the_next_label() {
    let (_dir, path) = board_path();
    drop(q1_board(&path));
    let mut app = app_on_day(&path, last_sprint_day());
    keys(&mut app, "n");
    let screen = render(&app);
    assert!(screen.contains("Next quarter 2027-Q2 (draft)"), "{screen}");
    assert!(screen.contains("Running quarter 2027-Q1"), "{screen}");
    assert!(!screen.contains("2027-Q1 (draft)"), "{screen}");
}

#[test]
fn a_tag_to_a_draft_kr_names_the_drafts_quarter_in_the_picker_and_the_backlog() {
    let (_dir, path) = board_path();
    drop(q1_board(&path));
    let mut app = app_on_day(&path, last_sprint_day());
    keys(&mut app, "n");
    // O1 and KR1.1 of the draft, through the store (the forms are tested elsewhere).
    let mut store = Store::open(&path).unwrap();
    let (draft, _) = store.draft_quarter().unwrap().unwrap();
    let objective = ObjectiveFields {
        title: quarterdeck::domain::values::Title::parse("Grow repeat purchases").expect("a title"),
        owner: String::new(),
        parent_id: None,
        parent_note: String::new(),
    };
    let objective = store.add_objective(draft, &objective, "Added O1").unwrap();
    let kr = KeyResultFields {
        title: quarterdeck::domain::values::Title::parse("Repeat buyers").expect("a title"),
        unit: "%".into(),
        start: 10.0,
        target: 15.0,
        first_check_in: None,
        owner: String::new(),
        confidence: quarterdeck::domain::values::Confidence::new(50).expect("a confidence"),
    };
    store.add_key_result(objective, &kr, "Added KR1.1").unwrap();
    drop(store);
    app.poll_external_changes().unwrap();
    keys(&mut app, "3t");
    let screen = render(&app);
    assert!(screen.contains("2027-Q2 KR1.1 Repeat buyers"), "{screen}");
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("2027-Q2 KR1.1"), "the backlog names the draft's quarter: {screen}");
}

#[test]
fn two_quarters_never_share_a_label_the_store_says_so_in_words() {
    let (_dir, path) = board_path();
    let mut store = q1_board(&path);
    let again = NewQuarter {
        label: "2027-Q1".into(),
        start: day("2027-04-05"),
        span: quarterdeck::domain::values::SprintSpan::new(6, 2).expect("a sprint span"),
    };
    let error = store.create_quarter(&again, day("2027-04-05")).unwrap_err();
    assert!(matches!(error, StoreError::LabelTaken), "{error:#}");
    assert!(error.to_string().contains("another quarter has this label already"), "{error}");
    store.create_draft("2027-Q2", day("2027-03-29"), "Drafting").unwrap();
    let draft = store.draft_quarter().unwrap().unwrap().0;
    let error = store.update_quarter(draft, Some("2027-Q1"), None, "Renamed").unwrap_err();
    assert!(matches!(error, StoreError::LabelTaken), "{error:#}");
}

#[test]
fn the_quarter_form_names_the_label_field_when_it_is_taken() {
    let (_dir, path) = board_path();
    let mut store = q1_board(&path);
    store.create_draft("2027-Q2", day("2027-03-29"), "Drafting").unwrap();
    drop(store);
    let mut app = app_on_day(&path, last_sprint_day());
    keys(&mut app, ",");
    clear_field(&mut app);
    keys(&mut app, "2027-Q2");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("Label: 2027-Q2 is another quarter's label"), "{screen}");
    assert!(matches!(app.overlays.last(), Some(quarterdeck::app::Overlay::Form(_))), "the form stays open");
    let label: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT label FROM quarter WHERE state = 'open'", [], |row| row.get(0))
        .unwrap();
    assert_eq!(label, "2027-Q1");
}
