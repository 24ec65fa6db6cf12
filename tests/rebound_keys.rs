//! A keymap that rebinds about half of the keys (tests/fixtures/
//! rebound_keymap.toml): the help, the hint bars, the dialogs' footers and
//! the messages name the new keys, and never the defaults they replace.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_with_keymap, board_path, ctrl, demo_store, key, keys, render, select_sprint};
use quarterdeck::app::{App, Context};
use ratatui::crossterm::event::KeyCode;

const REBOUND: &str = include_str!("fixtures/rebound_keymap.toml");

fn status(app: &App) -> String {
    app.status.as_ref().map(|status| status.text.clone()).unwrap_or_default()
}

/// `text` holds every one of `wanted` and none of `unwanted`.
#[track_caller]
fn says(text: &str, wanted: &[&str], unwanted: &[&str]) {
    for part in wanted {
        assert!(text.contains(part), "missing {part:?} in\n{text}");
    }
    for part in unwanted {
        assert!(!text.contains(part), "a default key {part:?} in\n{text}");
    }
}

#[test]
fn the_welcome_screen_names_the_rebound_keys() {
    let (_dir, path) = board_path();
    let mut app = app_with_keymap(&path, REBOUND, 80, 24);
    says(
        &render(&app),
        &["  D  Load the demo quarter", "  N  Start a new quarter", "  x  Quit", "[w] help", "[x] quit"],
        &["  d  Load", "  n  Start", "  q  Quit", "[?]", "[q]", "[d]"],
    );
    keys(&mut app, "d");
    assert!(app.board.is_none(), "d no longer loads the demo");
    keys(&mut app, "D");
    assert!(app.board.is_some(), "D does");
}

#[test]
fn the_board_hints_and_help_name_the_rebound_keys() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    for (width, height) in [(80, 24), (160, 48)] {
        let mut app = app_with_keymap(&path, REBOUND, width, height);
        app.overlays.clear();
        says(&render(&app), &["[w] help", "[x] quit", "(A)", "w help"], &["[?] help", "[q] quit", "(H)", "? help"]);
        // While a write waits for another program's lock, the line says
        // which key cancels it.
        says(&app.waiting_line(), &["backspace cancels"], &["esc cancels"]);
    }
    // Wide enough that no help line wraps.
    {
        let mut app = app_with_keymap(&path, REBOUND, 250, 200);
        app.overlays.clear();
        keys(&mut app, "w");
        assert_eq!(app.context(), Context::Viewer);
        let mut help = String::new();
        // The whole help, page by page.
        for _ in 0..40 {
            help.push_str(&render(&app));
            key(&mut app, KeyCode::PageDown);
        }
        says(
            &help,
            &[
                "Help: keys (backspace closes)",
                "(asks first; z brings it back)",
                "Mark items: v, then move; t, m, o or X act on them all",
                "running ones; ctrl-n again goes back",
                "Here: Board",
            ],
            &["u brings it back", "; n again goes back", "t, m, s or d act", "(esc closes)"],
        );
    }
}

#[test]
fn questions_and_their_answers_name_the_rebound_keys() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_with_keymap(&path, REBOUND, 160, 48);
    app.overlays.clear();
    // Deleting an item: the question says how to bring it back, and its
    // footer offers the rebound answers.
    keys(&mut app, "3gX");
    assert_eq!(app.context(), Context::Confirm);
    says(&render(&app), &["z brings it back", "o", "x"], &["u brings it back", "y deletes", "[y]"]);
    keys(&mut app, "x");
    assert_eq!(status(&app), "Nothing was deleted");

    // The question before starting a sprint, and the way back to it.
    select_sprint(&mut app, 4);
    keys(&mut app, "o");
    assert_eq!(app.context(), Context::Confirm, "o asks to start the sprint:\n{}", render(&app));
    says(&render(&app), &["o starts it  x not now", "close it first (V, then X)"], &["y starts it", "(r, then c)"]);
    keys(&mut app, "x");
    says(&status(&app), &["The sprint stays planned; V then o starts it"], &["r then s"]);

    // An error that says which key to use: closing a sprint never started.
    keys(&mut app, "V");
    assert_eq!(app.context(), Context::Review);
    keys(&mut app, "X");
    says(&status(&app), &["o starts it", "then X closes it"], &["s starts it", "c closes it"]);
    says(&render(&app), &["[backspace] back", "[w] help"], &["[esc] back", "[?] help"]);
}

#[test]
fn the_presentation_and_the_draft_name_the_rebound_keys() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_with_keymap(&path, REBOUND, 160, 48);
    app.overlays.clear();
    keys(&mut app, "W");
    assert_eq!(app.context(), Context::Present);
    says(&render(&app), &["p n screens  w help  backspace back"], &["← → screens", "esc back", "? help"]);
    keys(&mut app, "n");
    assert!(render(&app).contains("Sprint 3 review"), "n turns to the next screen");
    key(&mut app, KeyCode::Backspace);
    assert_eq!(app.context(), Context::Board);

    ctrl(&mut app, 'n');
    says(&render(&app), &["(ctrl-n goes back to it)"], &["(n goes back to it)"]);
    // On the quarters screen, the draft says how to go back.
    keys(&mut app, "Y");
    says(&render(&app), &["draft: ctrl-n goes back"], &["draft: n goes back"]);
}

/// The header parts its pieces with two spaces, as the hint bar does,
/// the help corner too, however long the keys' names are and however
/// little room is left.
#[test]
fn the_headers_parts_are_two_spaces_apart_whatever_the_keys() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    for width in 80..=160 {
        let mut app = app_with_keymap(&path, "[board]\nhealth = [\"!\"]\nhelp = [\"ctrl-k\"]\n", width, 24);
        app.overlays.clear();
        let screen = render(&app);
        let header = screen.lines().next().unwrap();
        assert!(header.starts_with(" Quarterdeck  "), "{header:?}");
        assert!(header.trim_end().ends_with("  ctrl-k help"), "at {width}: {header:?}");
        let inner = header.trim();
        let parts = inner.strip_suffix("ctrl-k help").unwrap().trim_end();
        assert!(inner[parts.len()..].starts_with("  "), "at {width}: the help is two spaces or more away: {header:?}");
        // The old header put three spaces between its parts, two or one elsewhere.
        assert!(!parts.contains("   "), "at {width}: {header:?}");
        for part in ["Quarterdeck", "2026-Q4", "Jan 17", "(day 1/10)"] {
            if let Some(at) = parts.find(part).filter(|at| at + part.len() < parts.len()) {
                assert!(parts[at + part.len()..].starts_with("  "), "at {width}: {header:?}");
            }
        }
    }
}
