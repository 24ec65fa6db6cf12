//! The mouse, when turned on: a click selects a pane and a row, the wheel
//! scrolls. Mouse events go in through the app at the places the rendered
//! screen shows things; the selection and the screen are checked.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, demo_store, keys, render};
use quarterdeck::app::{App, Pane, planning::Side};
use ratatui::crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

fn mouse(app: &mut App, kind: MouseEventKind, (column, row): (u16, u16)) {
    quarterdeck::ui::hit::route(app, &Event::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE }));
}

/// A click: the press acts, the release does nothing.
fn click(app: &mut App, at: (u16, u16)) {
    mouse(app, MouseEventKind::Down(MouseButton::Left), at);
    mouse(app, MouseEventKind::Up(MouseButton::Left), at);
}

/// Clicks where `text` first shows on screen.
fn click_on(app: &mut App, text: &str) {
    let at = locate(app, text);
    click(app, at);
}

/// Where `text` first shows on the rendered screen, as (column, row).
fn locate(app: &App, text: &str) -> (u16, u16) {
    let (column, row) = common::locate(&render(app), text);
    (u16::try_from(column).unwrap(), u16::try_from(row).unwrap())
}

#[test]
fn a_click_selects_the_pane_and_the_row_under_it() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    assert_eq!(app.focus, Pane::Okrs);

    click_on(&mut app, "Apple Pay and Google Pay");
    assert_eq!(app.focus, Pane::Backlog);
    assert_eq!(app.backlog.selected_row().unwrap().title, "Apple Pay and Google Pay buttons");
    assert!(render(&app).contains(" 17/40 "), "{}", render(&app));

    // A KR's second line belongs to it too; selecting it filters the backlog.
    let (column, row) = locate(&app, "Activation within 7 days");
    click(&mut app, (column, row + 1));
    assert_eq!(app.focus, Pane::Okrs);
    assert!(render(&app).contains("filter: KR2.1"), "{}", render(&app));

    click_on(&mut app, "S5 ");
    assert_eq!((app.focus, app.sprint_selected), (Pane::Timeline, 4));
    assert!(render(&app).contains("S5 New accounts reach their first order in one session"));

    // On a border or a blank line: the pane, and the selection stays.
    let (_, title_row) = locate(&app, "┌ Backlog");
    click(&mut app, (100, title_row));
    assert_eq!(app.focus, Pane::Backlog);
    assert_eq!(app.backlog.selected, 0, "the KR filter put the selection on the first of its items");
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    let over_backlog = locate(&app, "Store card tokens");
    mouse(&mut app, MouseEventKind::ScrollDown, over_backlog);
    mouse(&mut app, MouseEventKind::ScrollDown, over_backlog);
    assert_eq!((app.focus, app.backlog.selected), (Pane::Backlog, 6), "three rows a notch");
    mouse(&mut app, MouseEventKind::ScrollUp, over_backlog);
    assert_eq!(app.backlog.selected, 3);

    // With a dialog open the wheel scrolls the dialog, and a click does nothing.
    keys(&mut app, "?");
    let help = render(&app);
    mouse(&mut app, MouseEventKind::ScrollDown, (80, 20));
    assert_ne!(render(&app), help, "the help scrolled");
    click(&mut app, over_backlog);
    assert_eq!(app.backlog.selected, 3);
    assert_eq!(app.overlays.len(), 1, "the help is still open");
}

#[test]
fn at_80x24_a_click_on_a_tab_switches_pane() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    click_on(&mut app, "3 Backlog");
    assert_eq!(app.focus, Pane::Backlog);
    click_on(&mut app, "2 Timeline");
    assert_eq!(app.focus, Pane::Timeline);
    // Tabbed, sprints are rows.
    click_on(&mut app, "S6 ");
    assert_eq!(app.sprint_selected, 5);
    click(&mut app, (9, 1)); // between two tabs
    assert_eq!(app.focus, Pane::Timeline);

    // On a short terminal the OKR list scrolls to its last KR: a click
    // still hits what it shows.
    let mut app = app_at(&path, 80, 18);
    keys(&mut app, "1G");
    let screen = render(&app);
    assert!(!screen.contains("O1 Make checkout effortless"), "scrolled\n{screen}");
    let (column, row) = locate(&app, "KR2.2");
    click(&mut app, (column, row + 1));
    let kr = |app: &App, code: &str| app.board.as_ref().unwrap().key_results().find(|kr| kr.code == code).map(|kr| kr.id);
    assert_eq!(app.backlog.filter.key_result, kr(&app, "KR2.2"), "the backlog follows the clicked KR");
    keys(&mut app, "G");
    click_on(&mut app, "O3 Keep the platform trusted");
    assert_eq!(app.backlog.filter.key_result, None, "an objective shows the whole backlog");
    click_on(&mut app, "KR3.1");
    assert_eq!(app.backlog.filter.key_result, kr(&app, "KR3.1"));
}

#[test]
fn in_planning_a_click_picks_the_list_and_the_row() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "2p");
    click_on(&mut app, "Serve product");
    let planning = app.planning().unwrap();
    assert_eq!((planning.side, planning.sprint_cursor), (Side::Sprint, 1));
    click_on(&mut app, "Inline card valid");
    let planning = app.planning().unwrap();
    assert_eq!((planning.side, planning.candidate_cursor), (Side::Candidates, 3));
    // Space now acts on the clicked candidate.
    keys(&mut app, " ");
    assert!(render(&app).contains("Moved 'Inline card validation"), "{}", render(&app));
}
