//! The board's screens are units on one stack: what is drawn on top is what
//! receives the keys, whatever the keymap binds where.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_with_keymap, board_path, demo_store, keys, render};
use quarterdeck::app::Context;

/// A keymap that opens the calendar from the review: before the screens
/// were a stack, the calendar took the keys while the review stayed drawn.
#[test]
fn the_calendar_opened_from_the_review_is_drawn_over_it() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_with_keymap(&path, "[review]\ncalendar = [\"L\"]\n", 160, 48);
    app.overlays.clear();
    keys(&mut app, "r");
    assert_eq!(app.context(), Context::Review);
    keys(&mut app, "L");
    assert_eq!(app.context(), Context::Calendar, "the calendar takes the keys");
    let screen = render(&app);
    assert!(screen.contains(" Calendar · "), "the calendar is drawn:\n{screen}");
    // Esc closes the calendar: the review is back, drawn and taking keys.
    common::key(&mut app, ratatui::crossterm::event::KeyCode::Esc);
    assert_eq!(app.context(), Context::Review);
    assert!(!render(&app).contains(" Calendar · "));
}
