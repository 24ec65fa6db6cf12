//! The sprint goal and M2 (#9.14): the method advises and never blocks,
//! ctrl-t picks a goal's KRs inside its form, and typed text is not lost
//! to a stray Esc.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, clear_field, demo_store, key, keys, render, select_sprint};
use quarterdeck::app::Overlay;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// The method advises and never blocks (#9.14): a goal that serves no KR
/// is saved, and M2 shows as a warning until a KR or a reason is given.
#[test]
fn the_sprint_goal_is_edited_and_a_goal_without_kr_is_saved_with_an_m2_warning() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_sprint(&mut app, 5);
    keys(&mut app, "e");
    assert!(render(&app).contains("Sprint 5 goal"));
    clear_field(&mut app);
    keys(&mut app, "Half of new accounts place an order on day one");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.board.as_ref().unwrap().sprints[4].goal, "Half of new accounts place an order on day one");
    assert!(render(&app).contains("Set the goal of Sprint 5"));

    // Drop both KRs: the goal breaks M2, which the form says, not enforces.
    keys(&mut app, "t");
    assert!(render(&app).contains("KRs served by Sprint 5's goal"));
    keys(&mut app, "jjj j "); // KR2.1 and KR2.2 off
    key(&mut app, KeyCode::Enter);
    assert!(app.board.as_ref().unwrap().sprints[4].krs.is_empty());
    keys(&mut app, "e");
    assert!(render(&app).contains("M2: this goal serves no KR"), "{}", render(&app));
    clear_field(&mut app);
    keys(&mut app, "Customers finish onboarding alone");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.board.as_ref().unwrap().sprints[4].goal, "Customers finish onboarding alone", "saved without a reason");
    assert!(render(&app).contains("no KR and no reason given (M2)"), "the timeline warns:\n{}", render(&app));

    // A reason clears the warning.
    keys(&mut app, "e");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "Holiday freeze: only critical fixes");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.board.as_ref().unwrap().sprints[4].no_kr_reason, "Holiday freeze: only critical fixes");
    assert!(!render(&app).contains("no KR and no reason given (M2)"));
}

/// Inside the sprint form, ctrl-t picks the goal's KRs without losing what
/// was typed, and Esc over typed text asks before throwing it away.
#[test]
fn the_sprint_form_picks_krs_in_place_and_keeps_typed_text_from_a_stray_esc() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_sprint(&mut app, 5);
    keys(&mut app, "e");
    clear_field(&mut app);
    keys(&mut app, "Every new account sees a guided first order");
    app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char('t'), KeyModifiers::CONTROL)));
    assert!(render(&app).contains("KRs served by Sprint 5's goal"), "{}", render(&app));
    keys(&mut app, "jjjjj "); // KR3.1 on
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Form(form)) = app.overlays.last() else { panic!("back in the form:\n{}", render(&app)) };
    assert_eq!(form.fields[3].input.value(), "Every new account sees a guided first order", "the typed goal is kept");

    key(&mut app, KeyCode::Esc);
    assert!(render(&app).contains("Esc again throws away what you typed"), "{}", render(&app));
    assert!(matches!(app.overlays.last(), Some(Overlay::Form(_))), "one Esc keeps the form");
    key(&mut app, KeyCode::Enter);
    let sprint = &app.board.as_ref().unwrap().sprints[4];
    assert_eq!(sprint.goal, "Every new account sees a guided first order");
    assert_eq!(sprint.krs.len(), 3, "KR2.1, KR2.2 and KR3.1");

    keys(&mut app, "e");
    keys(&mut app, "!");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert!(app.overlays.is_empty(), "a second Esc discards");
    assert!(render(&app).contains("Nothing was saved"));
    assert_eq!(app.board.as_ref().unwrap().sprints[4].goal, "Every new account sees a guided first order");
}
