//! A board found damaged while it runs shows a banner on top for as long as
//! it runs; the board is laid out under it, so that a page of the backlog
//! is as long as the rows the screen shows and a click lands on the row
//! under the pointer. (Before, the page kept its length and its last rows
//! went under the screen's bottom edge, and clicks landed rows off.)
#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, demo_store, keys, locate, render};
use quarterdeck::app::App;
use ratatui::crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

fn click(app: &mut App, (column, row): (u16, u16)) {
    for kind in [MouseEventKind::Down(MouseButton::Left), MouseEventKind::Up(MouseButton::Left)] {
        quarterdeck::ui::hit::route(app, &Event::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE }));
    }
}

/// The demo at `width`x`height`, backlog focused, found damaged; laid
/// out again before the next frame, as the terminal loop does.
fn damaged_app(width: u16, height: u16) -> (tempfile::TempDir, App) {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, width, height);
    app.overlays.clear();
    keys(&mut app, "3");
    app.store.mark_damaged("database disk image is malformed");
    app.fit_under_banner().unwrap();
    (dir, app)
}

#[test]
fn under_a_damage_banner_a_page_of_the_backlog_ends_on_screen_at_80x24_and_160x48() {
    for (width, height) in [(80, 24), (160, 48)] {
        let (_dir, mut app) = damaged_app(width, height);
        let screen = render(&app);
        assert!(screen.starts_with("DAMAGED FILE:"), "{screen}");
        // `G` selects the last item, which its page then shows at its end.
        keys(&mut app, "G");
        let title = app.backlog.selected_row().expect("a selected row").title.clone();
        let last: String = title.chars().take(20).collect();
        let screen = render(&app);
        assert!(screen.contains(&last), "the last item {last:?} is not on screen at {width}x{height}:\n{screen}");
        // The screen keeps its status and key lines under the backlog.
        assert!(screen.lines().last().is_some_and(|line| !line.trim().is_empty()), "{screen}");
    }
}

#[test]
fn under_a_damage_banner_a_click_selects_the_row_under_the_pointer() {
    let (_dir, mut app) = damaged_app(80, 24);
    keys(&mut app, "jjjj");
    let fifth = app.backlog.selected_row().unwrap().title.clone();
    keys(&mut app, "g");
    assert_ne!(app.backlog.selected_row().unwrap().title, fifth);
    let screen = render(&app);
    let shown: String = fifth.chars().take(12).collect();
    let (column, row) = locate(&screen, &shown);
    click(&mut app, (u16::try_from(column).unwrap(), u16::try_from(row).unwrap()));
    assert_eq!(app.backlog.selected_row().map(|row| row.title.as_str()), Some(fifth.as_str()), "{screen}");
}
