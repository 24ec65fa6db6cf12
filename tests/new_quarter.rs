//! A quarter made with `n` on the welcome screen: its sprints wait for a
//! person to start them, whatever day it is made on, and its settings.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::NaiveDate;
use common::{board_path, key, keys, render};
use quarterdeck::{
    app::{App, Keymap, Overlay},
    domain::SprintState,
    store::Store,
};
use ratatui::crossterm::event::KeyCode;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The app on `today`, with whatever question it opens with left open.
fn app_on(path: &std::path::Path, today: NaiveDate) -> App {
    let mut app = App::new(Store::open(path).unwrap(), Keymap::default_keys().unwrap(), today).unwrap();
    app.resize(80, 24).unwrap();
    app
}

fn sprint_states(path: &std::path::Path) -> Vec<SprintState> {
    let board = Store::open(path).unwrap().load_board().unwrap().unwrap();
    board.sprints.iter().map(|sprint| sprint.state).collect()
}

#[test]
fn a_quarter_made_on_its_first_day_keeps_sprint_1_planned_and_offers_to_start_it() {
    let (_dir, path) = board_path();
    // Monday Jan 4, 2027: the form proposes today as the start.
    let mut app = app_on(&path, day("2027-01-04"));
    keys(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    assert_eq!(sprint_states(&path), vec![SprintState::Planned; 6], "nothing starts by itself");
    // Not asked as part of making it: the OKRs and the plan come first,
    // and the status line says how to start it then.
    assert!(app.overlays.is_empty(), "{}", render(&app));
    assert!(render(&app).contains("write the OKRs, plan sprint 1 (p), start it (s in timeline)"), "{}", render(&app));
    // s in the timeline asks, with the method's advice: no OKRs, nothing planned.
    keys(&mut app, "2s");
    let screen = render(&app);
    assert!(screen.contains("Start Sprint 1 now?"), "{screen}");
    assert!(screen.contains("no OKRs yet") && screen.contains("(M1)") && screen.contains("holds nothing yet"), "{screen}");
    keys(&mut app, "n");
    assert_eq!(sprint_states(&path)[0], SprintState::Planned);
    // Opened again on a day of it, the board asks; a person starts it.
    drop(app);
    let mut app = app_on(&path, day("2027-01-04"));
    assert!(render(&app).contains("Start it now?"), "asked again on opening");
    keys(&mut app, "y");
    assert_eq!(sprint_states(&path)[0], SprintState::Active);
    // Once running, s in the timeline says so instead of starting it again.
    keys(&mut app, "2s");
    assert!(render(&app).contains("Sprint 1 is running"), "{}", render(&app));
}

#[test]
fn a_sprint_never_started_is_not_closed_against_an_empty_commitment() {
    let (_dir, path) = board_path();
    let mut app = app_on(&path, day("2027-01-04"));
    keys(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    drop(app);
    // Two weeks on, sprint 1 ended without being started: its review's c
    // says to start it first, and the store refuses such a close too.
    let mut app = app_on(&path, day("2027-01-18"));
    while matches!(app.overlays.last(), Some(Overlay::Confirm(_))) {
        keys(&mut app, "n");
    }
    // The timeline's first sprint, then its review.
    keys(&mut app, "2gr");
    keys(&mut app, "c");
    assert!(render(&app).contains("Sprint 1 was never started: s starts it"), "{}", render(&app));
    assert_eq!(sprint_states(&path)[0], SprintState::Planned);
    let mut store = Store::open(&path).unwrap();
    let sprint = store.load_board().unwrap().unwrap().sprints[0].id;
    let refused = store.close_sprint(sprint, day("2027-01-18"), &[], "Closed").unwrap_err();
    assert!(refused.to_string().contains("Sprint 1 was never started"), "{refused}");
    assert_eq!(sprint_states(&path)[0], SprintState::Planned);
}

#[test]
fn a_quarter_made_the_friday_before_asks_on_its_first_day() {
    let (_dir, path) = board_path();
    let mut app = app_on(&path, day("2027-01-01"));
    keys(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlays.is_empty(), "{}", render(&app));
    let board = Store::open(&path).unwrap().load_board().unwrap().unwrap();
    assert_eq!(board.sprints[0].start, day("2027-01-04"));
    drop(app);
    let app = app_on(&path, day("2027-01-04"));
    assert_eq!(sprint_states(&path)[0], SprintState::Planned);
    assert!(render(&app).contains("Sprint 1 runs from Mon Jan 4. Start it now?"), "{}", render(&app));
}

#[test]
fn a_quarter_made_late_starts_no_sprint_and_closes_none() {
    let (_dir, path) = board_path();
    let mut store = Store::open(&path).unwrap();
    let quarter = quarterdeck::store::board::NewQuarter {
        label: "Q".into(),
        start: day("2027-01-04"),
        span: quarterdeck::domain::values::SprintSpan::new(6, 2).expect("a sprint span"),
    };
    store.create_quarter(&quarter, day("2027-01-25")).unwrap();
    drop(store);
    assert_eq!(sprint_states(&path), vec![SprintState::Planned; 6]);
}

/// The cold trial: made on its first day, four items planned, then started
/// by the person: the review counts the four as its commitment.
#[test]
fn items_planned_before_the_start_are_the_commitment_of_sprint_1() {
    let (_dir, path) = board_path();
    let mut app = app_on(&path, day("2027-01-04"));
    keys(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "n");
    drop(app);
    let mut store = Store::open(&path).unwrap();
    let sprint = store.load_board().unwrap().unwrap().sprints[0].id;
    for title in ["One", "Two", "Three", "Four"] {
        let item = quarterdeck::store::NewItem {
            title: quarterdeck::domain::values::Title::parse(title).expect("a title"),
            points: quarterdeck::domain::values::Points::new(4).expect("points"),
            kind: quarterdeck::domain::ItemKind::Story,
            description: String::new(),
            deferred_reason: String::new(),
        };
        let id = store.add_item(&item, None, "Added").unwrap();
        store.set_item_sprint(id, Some(sprint), "Planned").unwrap();
    }
    drop(store);
    let mut app = app_on(&path, day("2027-01-04"));
    assert!(render(&app).contains("Starting records its commitment: 4 items, 16 points"), "{}", render(&app));
    keys(&mut app, "y");
    keys(&mut app, "r");
    let screen = render(&app);
    assert!(screen.contains("Committed        4 items   16 pts"), "{screen}");
    assert!(screen.contains("Added later      0 items    0 pts"), "{screen}");
}

#[test]
fn s_in_a_review_asks_before_starting_and_names_an_earlier_sprint_not_started() {
    let (_dir, path) = board_path();
    let mut app = app_on(&path, day("2027-01-04"));
    keys(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    // Sprint 2's review, while sprint 1 has not started: asked, with advice.
    keys(&mut app, "2gjr");
    keys(&mut app, "s");
    let Some(Overlay::Confirm(question)) = app.overlays.last() else { panic!("no question:\n{}", render(&app)) };
    assert_eq!(question.question, "Start Sprint 2 now?");
    assert!(question.details.contains("Sprint 1 has not started yet: sprints run in order."), "{}", question.details);
    keys(&mut app, "n");
    assert_eq!(sprint_states(&path)[1], SprintState::Planned, "n starts nothing");
    keys(&mut app, "s");
    keys(&mut app, "y");
    assert_eq!(sprint_states(&path)[1], SprintState::Active);
}

#[test]
fn a_start_question_another_window_answered_goes_and_a_late_yes_says_why() {
    let (_dir, path) = board_path();
    let mut app = app_on(&path, day("2027-01-01"));
    keys(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    drop(app);
    // Both windows open on the first day and ask.
    let mut first = app_on(&path, day("2027-01-04"));
    let mut second = app_on(&path, day("2027-01-04"));
    assert!(render(&second).contains("Start it now?"));
    keys(&mut first, "y");
    assert_eq!(sprint_states(&path)[0], SprintState::Active);
    // The second window's question goes when it sees the change.
    second.poll_external_changes().unwrap();
    assert!(!matches!(second.overlays.last(), Some(Overlay::Confirm(_))), "{}", render(&second));
    assert!(render(&second).contains("started in another window"), "{}", render(&second));
    // A start written late anyway says what happened, not "deleted".
    let mut store = Store::open(&path).unwrap();
    let sprint = store.load_board().unwrap().unwrap().sprints[0].id;
    let late = store.start_sprint(sprint, day("2027-01-04"), "Started").unwrap_err();
    assert!(late.to_string().contains("Sprint 1 is active already"), "{late}");
}

#[test]
fn a_sprint_not_started_reads_as_planned_not_added_later() {
    let (_dir, path) = board_path();
    let mut app = app_on(&path, day("2027-01-01"));
    keys(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "3a");
    keys(&mut app, "Export orders");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "3");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "m");
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "2gr");
    let screen = render(&app);
    assert!(screen.contains("Planned so far   1 item     3 pts"), "{screen}");
    assert!(!screen.contains("(added)") && !screen.contains("Added later"), "{screen}");
}

#[test]
fn the_start_question_says_a_sprint_starts_weeks_before_its_first_day() {
    let (_dir, path) = board_path();
    let init = common::run_cli(&path, "2026-12-07", &["init", "--label", "2027-Q1", "--start", "2027-01-04"]);
    assert!(init.status.success(), "{init:?}");
    let mut app = app_on(&path, day("2026-12-07"));
    keys(&mut app, "2gr");
    keys(&mut app, "s");
    let Some(Overlay::Confirm(question)) = app.overlays.last() else { panic!("no question:\n{}", render(&app)) };
    // The same figure as the command line's warning (planning::start_off_dates).
    assert!(
        question.details.contains("It is dated 2027-01-04 to 2027-01-17: today is 28 days before its first day."),
        "{}",
        question.details
    );
}

/// With long key names at 80x24, the status after making a quarter on its
/// first day is said shorter, not cut with `…`, and still says what to do.
#[test]
fn the_status_after_making_a_quarter_fits_with_long_key_names() {
    let (_dir, path) = board_path();
    let keymap = "[board]\nplan_sprint = [\"alt-p\"]\nstate_forward = [\"ctrl-right\"]\n";
    let keymap = Keymap::layered(Some((keymap, "keymap.toml"))).unwrap();
    let mut app = App::new(Store::open(&path).unwrap(), keymap, day("2027-01-04")).unwrap();
    app.resize(80, 24).unwrap();
    keys(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    let status = screen.lines().find(|line| line.contains("Created 2027-Q1")).unwrap_or_default();
    assert!(!status.contains('…'), "{screen}");
    assert!(status.contains("(alt-p)") && status.contains("ctrl-→"), "{status}");
}
