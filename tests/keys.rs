//! Forms, pickers, confirmations and the search line take their keys from
//! the keymap, and their key lines say what the keymap says: a user's
//! keymap rebinds them and the lines follow.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, app_with_keymap, board_path, ctrl, demo_store, key, keys, render, select_item};
use quarterdeck::app::Overlay;
use ratatui::crossterm::event::KeyCode;

#[test]
fn the_default_key_lines_name_the_default_keys() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "3a");
    let screen = render(&app);
    assert!(screen.contains("enter adds it to the bottom of the backlog  tab next field  esc cancels"), "{screen}");
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "t");
    assert!(render(&app).contains("space chooses or drops  enter saves  esc cancels"), "{}", render(&app));
    key(&mut app, KeyCode::Esc);
    // An item in no sprint: one a closed sprint delivered stays in its record.
    select_item(&mut app, "Apple Pay and Google Pay buttons");
    keys(&mut app, "m");
    assert!(render(&app).contains("enter plans it there  esc cancels"), "{}", render(&app));
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "d");
    assert!(render(&app).contains("y deletes  n keeps it"), "{}", render(&app));
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "/");
    let screen = render(&app);
    assert!(screen.contains("(enter keeps, esc clears)"), "{screen}");
    assert!(screen.contains("[enter] keeps  [esc] clears"), "the hint bar too: {screen}");
}

#[test]
fn a_rebound_save_saves_a_form_and_its_line_says_so() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_with_keymap(&path, "[form]\nsave = [\"ctrl-s\"]\n", 160, 48);
    keys(&mut app, "3a");
    let screen = render(&app);
    assert!(screen.contains("ctrl-s adds it to the bottom of the backlog  tab next field  esc cancels"), "{screen}");
    assert!(!screen.contains("enter adds"), "{screen}");
    // Letters bound elsewhere (j, y, q, t) type into the field.
    keys(&mut app, "Tidy jq by t");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlays.last(), Some(Overlay::Form(_))), "enter no longer saves");
    assert_eq!(app.backlog.summary.count, 40);
    ctrl(&mut app, 's');
    assert!(app.overlays.is_empty(), "ctrl-s saves");
    assert_eq!(app.backlog.summary.count, 41);
    assert_eq!(app.backlog.selected_row().unwrap().title, "Tidy jq by t");
}

#[test]
fn a_rebound_cancel_asks_with_its_own_key() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_with_keymap(&path, "[form]\ncancel = [\"ctrl-g\"]\nsave = [\"ctrl-s\"]\n", 160, 48);
    keys(&mut app, "3aDraft");
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.overlays.last(), Some(Overlay::Form(_))), "esc no longer cancels");
    ctrl(&mut app, 'g');
    assert!(render(&app).contains("Ctrl-g again throws away what you typed; ctrl-s saves it"), "{}", render(&app));
    ctrl(&mut app, 'g');
    assert!(app.overlays.is_empty());
    assert!(render(&app).contains("Nothing was saved"));
}

#[test]
fn a_rebound_picker_ticks_and_saves_with_its_keys() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_with_keymap(&path, "[picker]\ntoggle = [\"x\"]\nchoose = [\"o\"]\nmove_down = [\"ctrl-n\"]\n", 160, 48);
    select_item(&mut app, "Fix VAT rounding on Swiss invoices"); // BAU
    keys(&mut app, "t");
    let screen = render(&app);
    assert!(screen.contains("x chooses or drops  o saves  esc cancels"), "{screen}");
    keys(&mut app, " j");
    let Some(Overlay::Picker(picker)) = app.overlays.last() else { panic!("the picker stays open") };
    assert!(!picker.choices[0].chosen() && picker.cursor == 0, "space and j are no longer bound");
    keys(&mut app, "x");
    ctrl(&mut app, 'n');
    keys(&mut app, "x");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlays.last(), Some(Overlay::Picker(_))), "enter no longer saves");
    keys(&mut app, "o");
    assert!(app.overlays.is_empty(), "o saves");
    assert!(render(&app).contains("Tagged 'Fix VAT rounding on Swiss invoices' with KR1.1, KR1.2"), "{}", render(&app));
}

#[test]
fn a_rebound_confirmation_answers_to_its_keys_only() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_with_keymap(&path, "[confirm]\nyes = [\"D\"]\nno = [\"esc\", \"n\"]\n", 160, 48);
    keys(&mut app, "3d");
    assert!(render(&app).contains("D deletes  esc keeps it"), "{}", render(&app));
    keys(&mut app, "y");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlays.last(), Some(Overlay::Confirm(_))), "y and enter no longer answer");
    assert_eq!(app.backlog.summary.count, 40);
    keys(&mut app, "D");
    assert_eq!(app.backlog.summary.count, 39, "D deletes");
    keys(&mut app, "dq");
    assert!(matches!(app.overlays.last(), Some(Overlay::Confirm(_))), "q no longer keeps it");
    keys(&mut app, "n");
    assert!(app.overlays.is_empty());
    assert_eq!(app.backlog.summary.count, 39);
}

#[test]
fn a_rebound_search_keeps_with_its_key_and_types_the_rest() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_with_keymap(&path, "[search]\nkeep_search = [\"ctrl-k\"]\n", 160, 48);
    keys(&mut app, "/card");
    assert!(render(&app).contains("(ctrl-k keeps, esc clears)"), "{}", render(&app));
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlays.last(), Some(Overlay::Search(_))), "enter no longer keeps");
    ctrl(&mut app, 'k');
    assert!(app.overlays.is_empty());
    assert!(render(&app).contains("filter: \"card\""), "{}", render(&app));
}

#[test]
fn help_lists_the_dialogs_keys() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_with_keymap(&path, "[form]\nsave = [\"ctrl-s\"]\n", 160, 48);
    keys(&mut app, "?G");
    let screen = render(&app);
    for expected in ["Forms (other keys type into the field)", "Lists to choose from", "Search line"] {
        assert!(screen.contains(expected), "{expected:?} missing from\n{screen}");
    }
    assert!(screen.contains("ctrl-s") && screen.contains("Save the form"), "{screen}");
    // Yes is y or Y only: Enter answers no question before a delete.
    assert!(screen.contains("y, Y ") && !screen.contains("y, Y, enter") && screen.contains("n, N, q, esc"), "{screen}");
}

#[test]
fn the_marking_line_names_the_keymaps_keys() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_with_keymap(&path, "[board]\nmark = [\"V\"]\ntag_item = [\"ctrl-t\"]\n", 160, 48);
    keys(&mut app, "3V");
    let screen = render(&app);
    assert!(screen.contains("then ctrl-t tags, m plans, s sets the state, d deletes; V or esc stops"), "{screen}");
    assert!(screen.contains("marked (V stops)"), "{screen}");
}

/// Ctrl-c backs out of a dialog as esc does, one step at a time: a form
/// with typing asks first, a picker, a question and the search line close
/// (it did nothing and said nothing; #18). On the board it quits.
#[test]
fn ctrl_c_backs_out_of_forms_pickers_questions_and_search() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "3aDraft");
    ctrl(&mut app, 'c');
    assert!(render(&app).contains("Esc again throws away what you typed"), "{}", render(&app));
    ctrl(&mut app, 'c');
    assert!(app.overlays.is_empty() && render(&app).contains("Nothing was saved"), "{}", render(&app));
    keys(&mut app, "t");
    assert!(matches!(app.overlays.last(), Some(Overlay::Picker(_))));
    ctrl(&mut app, 'c');
    assert!(app.overlays.is_empty(), "the picker closes");
    keys(&mut app, "d");
    assert!(matches!(app.overlays.last(), Some(Overlay::Confirm(_))));
    ctrl(&mut app, 'c');
    assert!(app.overlays.is_empty());
    assert_eq!(app.backlog.summary.count, 40, "ctrl-c keeps it");
    keys(&mut app, "/card");
    ctrl(&mut app, 'c');
    assert!(app.overlays.is_empty() && !render(&app).contains("filter: \"card\""), "the search is cleared");
    assert!(!app.should_quit, "one ctrl-c, one step out");
    ctrl(&mut app, 'c');
    assert!(app.should_quit, "on the board it quits");
}
