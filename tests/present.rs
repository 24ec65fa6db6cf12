//! `P` on the board: the presentation mode over the running board, read
//! only, its screens switched with ← and →, long ones paged with ↑ and ↓,
//! `Esc` back.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, app_with_keymap, board_path, demo_store, key, keys, render};
use quarterdeck::app::{Context, present::Screen};
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

fn items(path: &std::path::Path) -> String {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT group_concat(id || ':' || state || ':' || rank || ':' || title, ',') FROM item", [], |row| row.get(0))
        .unwrap()
}

#[test]
fn p_presents_the_okrs_the_review_health_and_charts_and_esc_goes_back() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "P");
    let screen = render(&app);
    assert!(screen.contains("Board · "), "{screen}");
    // One KR a line, with a gauge half the screen wide.
    let line = screen.lines().find(|line| line.contains("Checkout conversion")).unwrap();
    assert!(line.matches(['█', '░']).count() >= 70, "{line}");
    assert!(screen.contains("← → screens  ? help  esc back"), "{screen}");

    key(&mut app, KeyCode::Right);
    assert_eq!(app.presentation().unwrap().screen, Screen::Review);
    assert!(render(&app).contains("Sprint 3 review"), "{}", render(&app));
    key(&mut app, KeyCode::Right);
    assert!(render(&app).contains("Health · "), "{}", render(&app));
    key(&mut app, KeyCode::Right);
    assert!(render(&app).contains("Burn-up of points"), "{}", render(&app));
    key(&mut app, KeyCode::Right);
    assert_eq!(app.presentation().unwrap().screen, Screen::Okrs);
    key(&mut app, KeyCode::Left);
    assert_eq!(app.presentation().unwrap().screen, Screen::Charts);

    // The board's editing keys do nothing here: the view is read-only.
    let before = items(&path);
    keys(&mut app, "3sJdyau");
    assert_eq!(items(&path), before);
    assert!(app.presentation().is_some() && !app.should_quit);

    key(&mut app, KeyCode::Esc);
    assert!(app.presentation().is_none());
    assert_eq!(app.context(), Context::Board);
}

#[test]
fn the_presentation_follows_an_edit_made_elsewhere() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "P");
    Connection::open(&path)
        .unwrap()
        .execute("UPDATE key_result SET title = 'Checkout completion' WHERE title = 'Checkout conversion'", [])
        .unwrap();
    assert!(app.poll_external_changes().unwrap());
    assert!(render(&app).contains("Checkout completion"), "{}", render(&app));
    key(&mut app, KeyCode::Right);
    assert!(render(&app).contains("Sprint 3 review"), "{}", render(&app));
}

/// The last line of the screen: the presentation's only hint.
fn hint(screen: &str) -> &str {
    screen.lines().last().unwrap()
}

#[test]
fn the_charts_screen_shows_a_chart_a_page_turned_with_up_and_down() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "P");
    for _ in 0..3 {
        key(&mut app, KeyCode::Right);
    }
    assert_eq!(app.presentation().unwrap().screen, Screen::Charts);
    let pages = app.presentation_pages();
    // Burn-up, velocity, split and the demo's seven KRs.
    assert_eq!(pages, 10);
    let screen = render(&app);
    assert!(screen.contains("Burn-up of points · 1/10 "), "{screen}");
    assert!(!screen.contains("next"), "no hint of the board's keys:\n{screen}");
    assert_eq!(hint(&screen).trim_end(), " ← → screens  ? help  esc back  ↑ ↓ page 1/10");
    key(&mut app, KeyCode::Down);
    assert!(render(&app).contains("Velocity per sprint · 2/10"), "{}", render(&app));
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::PageDown);
    assert!(render(&app).contains("· 4/10"), "{}", render(&app));
    assert!(hint(&render(&app)).ends_with("page 4/10"));
    key(&mut app, KeyCode::PageUp);
    key(&mut app, KeyCode::Up);
    assert!(render(&app).contains("Velocity per sprint · 2/10"), "{}", render(&app));
    // Past the last page it stays on the last; the first ↑ goes back one.
    for _ in 0..15 {
        key(&mut app, KeyCode::Down);
    }
    assert!(hint(&render(&app)).ends_with("page 10/10"));
    key(&mut app, KeyCode::Up);
    assert!(hint(&render(&app)).ends_with("page 9/10"));
    // Another screen starts on its first page.
    key(&mut app, KeyCode::Right);
    assert_eq!(app.presentation_page(), 0);
}

#[test]
fn a_screen_longer_than_the_terminal_pages_and_says_which_page() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    // 160x48: the board screen fits.
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "P");
    let first = render(&app);
    assert_eq!(hint(&first).trim_end(), " ← → screens  ? help  esc back", "one page: no page indicator");
    // 80x24: the OKRs and the top of the backlog run over to a second page.
    app.resize(80, 24).unwrap();
    let okrs = render(&app);
    assert!(hint(&okrs).ends_with("page 1/2") && okrs.contains("Next up in the backlog"), "{okrs}");
    assert!(!okrs.contains("#24"), "{okrs}");
    key(&mut app, KeyCode::Down);
    let rest = render(&app);
    assert!(rest.contains("#24") && !rest.contains("O1 Make checkout"), "{rest}");
    key(&mut app, KeyCode::Up);
    // The review is longer than the screen.
    key(&mut app, KeyCode::Right);
    let pages = app.presentation_pages();
    assert!(pages >= 2, "{}", render(&app));
    let page_one = render(&app);
    assert!(page_one.contains("Verdict  not said yet") && !page_one.contains("changes it"), "{page_one}");
    assert!(hint(&page_one).ends_with(&format!("page 1/{pages}")), "{page_one}");
    key(&mut app, KeyCode::Down);
    let page_two = render(&app);
    assert!(hint(&page_two).ends_with(&format!("page 2/{pages}")), "{page_two}");
    assert_ne!(page_one, page_two);
    // The retro is on the last page.
    for _ in 0..pages {
        key(&mut app, KeyCode::Down);
    }
    let last = render(&app);
    assert!(last.contains("Retro: what do we keep"), "{last}");
    // No key is hinted in the screen either, and no note is selected.
    assert!(!last.contains("adds one") && !last.contains('▸'), "{last}");

    // Health at the smallest size the board draws: its rules run over.
    app.resize(80, 16).unwrap();
    key(&mut app, KeyCode::Right);
    assert_eq!(app.presentation().unwrap().screen, Screen::Health);
    assert_eq!(app.presentation_pages(), 2);
    let top = render(&app);
    // Thirteen rules (M12 and M13 last) and the demo's one breach run over.
    assert!(top.contains("M1 ") && !top.contains("M13 "), "{top}");
    key(&mut app, KeyCode::Down);
    let rest = render(&app);
    assert!(rest.contains("M13 ") && !rest.contains("M1 ok"), "{rest}");
    assert!(hint(&rest).ends_with("page 2/2"), "{rest}");
}

#[test]
fn quarterdeck_present_shows_the_running_quarter_when_the_board_was_left_on_the_draft() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    app.overlays.clear();
    keys(&mut app, "n");
    assert!(render(&app).contains("(draft)"), "{}", render(&app));
    app.save_ui_state().unwrap();
    drop(app);
    // As main.rs does for `quarterdeck present`.
    let store = quarterdeck::store::Store::open_read_only(&path).unwrap();
    let mut present =
        quarterdeck::app::App::new(store, quarterdeck::app::Keymap::default_keys().unwrap(), common::today()).unwrap();
    present.overlays.clear();
    present.open_presentation(true).unwrap();
    let board = present.board.as_ref().unwrap();
    assert_eq!(board.quarter.state, quarterdeck::domain::QuarterState::Open, "presented {}", board.quarter.label);
}

/// `P` while drafting presents the running quarter too, not the draft
/// (found by a trial), and the board is back on the running quarter after.
#[test]
fn p_while_drafting_presents_the_running_quarter() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    app.overlays.clear();
    keys(&mut app, "n");
    assert!(render(&app).contains("(draft)"), "{}", render(&app));
    keys(&mut app, "P");
    let screen = render(&app);
    assert!(screen.contains("Board · 2026-Q4") && screen.contains("Checkout conversion"), "{screen}");
    key(&mut app, KeyCode::Esc);
    assert!(!render(&app).contains("(draft)"), "{}", render(&app));
}

/// The key that opened the presentation over the board closes it, and
/// the presentation's help lists the user's keys, not the defaults.
#[test]
fn the_key_that_opened_the_presentation_closes_it_and_its_help_lists_it() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_with_keymap(&path, "[board]\npresent = [\"^\"]\n", 160, 48);
    app.overlays.clear();
    keys(&mut app, "P");
    assert!(app.presentation().is_none(), "P no longer presents");
    keys(&mut app, "^");
    assert!(app.presentation().is_some());
    keys(&mut app, "?");
    let help = render(&app);
    let closing: Vec<&str> = help.lines().filter(|line| line.contains("Back to the board (")).collect();
    assert!(closing.iter().any(|line| line.contains("  ^  ")), "{help}");
    assert!(!closing.iter().any(|line| line.contains("  P  ")), "{help}");
    key(&mut app, KeyCode::Esc);
    assert!(app.presentation().is_some(), "the help closed, not the presentation");
    keys(&mut app, "P");
    assert!(app.presentation().is_some(), "P does not close it either");
    keys(&mut app, "^");
    assert!(app.presentation().is_none(), "^ closed it:\n{}", render(&app));
    assert_eq!(app.context(), Context::Board);
}

/// The footer at 80x24, with the default keys and with long rebound ones:
/// it names help and the way back, and the paging keys with the page, or
/// ends in `…` where they were left out for room.
#[test]
fn the_footer_names_help_the_way_back_and_paging_or_says_it_left_some_out() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let rebound = "[present]\nprevious_pane = [\"pageup\"]\nnext_pane = [\"pagedown\"]\npage_up = [\"ctrl-up\"]\npage_down = [\"ctrl-down\"]\nback = [\"backspace\"]\nhelp = [\"shift-pagedown\"]\n";
    for (keymap, help, back, paging) in
        [("", "? help", "esc back", "↑ ↓ page 1/2"), (rebound, "shift-pgdn help", "backspace back", "ctrl-↑ ctrl-↓ page 1/2")]
    {
        let mut app = app_with_keymap(&path, keymap, 80, 24);
        app.overlays.clear();
        keys(&mut app, "P");
        let screen = render(&app);
        let footer = hint(&screen).trim_end();
        assert!(footer.contains(help) && footer.contains(back), "{footer}");
        assert!(footer.contains(paging) || footer.ends_with('…'), "{footer}");
    }
}
