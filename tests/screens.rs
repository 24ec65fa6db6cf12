//! The board's screens are units on one stack: what is drawn on top is what
//! receives the keys, whatever the keymap binds where.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_with_keymap, board_path, demo_store, keys, render};
use proptest::{prelude::*, test_runner::TestCaseError};
use quarterdeck::app::{App, Context, Overlay};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

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
    common::key(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Review);
    assert!(!render(&app).contains(" Calendar · "));
}

/// The keys the random sequences are made of: every key the default or the
/// rebound keymap binds on the board and its screens, and a few it does not.
const CHARACTERS: &str = "jkhlgGKJTBsSpfaedtmvcirHPRLnQ[]u?123/,CDNVyAWbIUXMYozOwxq ";

fn key_strategy() -> impl Strategy<Value = KeyEvent> {
    let characters: Vec<char> = CHARACTERS.chars().collect();
    let named = [
        KeyCode::Esc,
        KeyCode::Enter,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Backspace,
        KeyCode::PageDown,
    ];
    prop_oneof![
        4 => prop::sample::select(characters).prop_map(|ch| {
            let shift = if ch.is_ascii_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
            KeyEvent::new(KeyCode::Char(ch), shift)
        }),
        2 => prop::sample::select(named.to_vec()).prop_map(|code| KeyEvent::new(code, KeyModifiers::NONE)),
        1 => prop::sample::select(vec!['y', 'g', 's', 'k', 'n', 'r']).prop_map(|ch| KeyEvent::new(KeyCode::Char(ch), KeyModifiers::CONTROL)),
    ]
}

/// Where a screen that fills the body (or the window) is drawn, the line
/// that only it draws; the board's panes have their own.
fn marks(screen: &str) -> Vec<&'static str> {
    let framed = |pattern: &str| screen.lines().any(|line| line.starts_with('┌') && regex_lite(line, pattern));
    let mut found = Vec::new();
    for (name, pattern) in [
        ("planning", "Sprint planning: Sprint"),
        ("review", " review · "),
        ("health", " Health · "),
        ("calendar", " Calendar · "),
        ("quarters", " Quarters · "),
        ("charts", "/"),
    ] {
        if framed(pattern) {
            found.push(name);
        }
    }
    if screen.lines().next().is_some_and(|line| line.contains("Board  │  Sprint review  │  Health  │  Charts")) {
        found.push("present");
    }
    found
}

/// Whether a frame's top line carries `pattern`; a chart's title is its
/// name and its page (` · 2/11 `), which only the charts draw in a frame's top.
fn regex_lite(line: &str, pattern: &str) -> bool {
    if pattern == "/" {
        return line.split(" · ").nth(1).is_some_and(|rest| {
            let page: String = rest.chars().take_while(|ch| ch.is_ascii_digit() || *ch == '/').collect();
            page.contains('/') && page.split('/').all(|part| !part.is_empty())
        });
    }
    line.contains(pattern)
}

/// The body screen the test expects drawn, read from the stack by the
/// test itself: the top unit that fills the body or the window.
fn expected_body(app: &App) -> Option<(&'static str, Context)> {
    app.overlays.iter().rev().find_map(|overlay| match overlay {
        Overlay::Planning(_) => Some(("planning", Context::Planning)),
        Overlay::Review(_) => Some(("review", Context::Review)),
        Overlay::Health(_) => Some(("health", Context::Health)),
        Overlay::Calendar(_) => Some(("calendar", Context::Calendar)),
        Overlay::Quarters(_) => Some(("quarters", Context::Quarters)),
        Overlay::Charts(_) => Some(("charts", Context::Charts)),
        Overlay::Present(_) => Some(("present", Context::Present)),
        _ => None,
    })
}

/// After each key: the screen drawn on top is the screen whose keys are
/// active. A screen on top is drawn, and no other screen shows; under a
/// dialog, the screen under it is the one drawn; with no screen open, the
/// board's panes are drawn and no screen's frame.
fn assert_drawn_is_active(app: &App, pressed: &[KeyEvent]) -> Result<(), TestCaseError> {
    let screen = render(app);
    let found = marks(&screen);
    let expected = expected_body(app);
    let dialog_on_top = app.dialog_open();
    match expected {
        Some((name, context)) => {
            if !dialog_on_top {
                prop_assert_eq!(app.context(), context, "keys of the screen on top, after {:?}", pressed);
                prop_assert!(found.contains(&name), "{} on top but not drawn after {:?}:\n{}", name, pressed, screen);
            }
            // The presentation's own screens draw the review's and health's frames.
            if name != "present" {
                prop_assert!(
                    found.iter().all(|other| *other == name),
                    "{:?} drawn while {} takes the keys, after {:?}:\n{}",
                    found,
                    name,
                    pressed,
                    screen
                );
            }
        }
        None => {
            prop_assert!(found.is_empty(), "{:?} drawn over the board after {:?}:\n{}", found, pressed, screen);
            if !dialog_on_top {
                prop_assert_eq!(app.context(), Context::Board, "after {:?}", pressed);
                prop_assert!(screen.contains("1 OKRs"), "the board's panes after {:?}:\n{}", pressed, screen);
            }
        }
    }
    Ok(())
}

fn drive(keymap: Option<&str>, sequence: &[KeyEvent]) -> Result<(), TestCaseError> {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = match keymap {
        Some(user) => app_with_keymap(&path, user, 80, 24),
        None => common::app_at(&path, 80, 24),
    };
    assert_drawn_is_active(&app, &[])?;
    for (index, key) in sequence.iter().enumerate() {
        app.handle_event(&Event::Key(*key));
        if app.should_quit {
            break;
        }
        assert_drawn_is_active(&app, &sequence[..=index])?;
    }
    Ok(())
}

const REBOUND: &str = include_str!("fixtures/rebound_keymap.toml");

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_screen_drawn_is_the_screen_whose_keys_are_active(sequence in prop::collection::vec(key_strategy(), 1..60)) {
        drive(None, &sequence)?;
    }

    #[test]
    fn with_a_rebound_keymap_too(sequence in prop::collection::vec(key_strategy(), 1..60)) {
        drive(Some(REBOUND), &sequence)?;
    }
}
