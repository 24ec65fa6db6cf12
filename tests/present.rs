//! `P` on the board: the presentation mode over the running board, read
//! only, its screens switched with ← and →, `Esc` back.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, demo_store, key, keys, render};
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
fn p_presents_the_okrs_the_review_and_health_and_esc_goes_back() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "P");
    let screen = render(&app);
    assert!(screen.contains("OKRs · "), "{screen}");
    // One KR a line, with a gauge half the screen wide.
    let line = screen.lines().find(|line| line.contains("Checkout conversion")).unwrap();
    assert!(line.matches(['█', '░']).count() >= 70, "{line}");
    assert!(screen.contains("← → screens  Esc back"), "{screen}");

    key(&mut app, KeyCode::Right);
    assert_eq!(app.presentation.as_ref().unwrap().screen, Screen::Review);
    assert!(render(&app).contains("Sprint 3 review"), "{}", render(&app));
    key(&mut app, KeyCode::Right);
    assert!(render(&app).contains("Health · "), "{}", render(&app));
    key(&mut app, KeyCode::Right);
    assert_eq!(app.presentation.as_ref().unwrap().screen, Screen::Okrs);
    key(&mut app, KeyCode::Left);
    assert_eq!(app.presentation.as_ref().unwrap().screen, Screen::Health);

    // The board's editing keys do nothing here: the view is read-only.
    let before = items(&path);
    keys(&mut app, "3sJdyau");
    assert_eq!(items(&path), before);
    assert!(app.presentation.is_some() && !app.should_quit);

    key(&mut app, KeyCode::Esc);
    assert!(app.presentation.is_none());
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
