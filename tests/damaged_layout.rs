//! A board found damaged while it runs shows a banner on top for as long as
//! it runs; the board is laid out under it, so that a page of the backlog
//! is as long as the rows the screen shows and a click lands on the row
//! under the pointer. (Before, the page kept its length and its last rows
//! went under the screen's bottom edge, and clicks landed rows off.)
#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, demo_store, keys, locate, render};
use std::path::{Path, PathBuf};

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
    let app = damaged_app_on(&path, width, height);
    (dir, app)
}

/// The demo on `path` (made there the first time) at `width`x`height`,
/// backlog focused, found damaged.
fn damaged_app_on(path: &Path, width: u16, height: u16) -> App {
    if !path.exists() {
        drop(demo_store(path));
    }
    let mut app = app_at(path, width, height);
    app.overlays.clear();
    keys(&mut app, "3");
    app.store.mark_damaged("database disk image is malformed");
    app.fit_under_banner().unwrap();
    app
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

/// The screen's text with borders and the spaces at each line's ends taken
/// away, lines joined: a path broken across lines reads whole in it.
fn joined(screen: &str) -> String {
    screen.lines().map(|line| line.trim_matches(|ch: char| ch == '│' || ch.is_whitespace())).collect()
}

/// A short path (the test's folder) and the trial's long one, under it.
fn short_and_long_paths(dir: &Path) -> [PathBuf; 2] {
    let long = dir.join("a-rather-long-folder-name-for-team-boards/quarter-planning-2026");
    std::fs::create_dir_all(&long).unwrap();
    [dir.join("b.sqlite3"), long.join("checkout-team-board.sqlite3")]
}

/// The banner fits any screen of the board's size: the board keeps its
/// minimum height and is drawn under it (at 60x16 a banner of 8 lines
/// left "Terminal too small: 60x8"), and the file is named whole, a long
/// path broken across lines, never cut (at 80x24 the trial's long path
/// read `…quarter-planning-2026…`). With one line left, the line names the
/// file (its folder left out when it does not fit) and help shows the rest.
#[test]
fn the_damage_banner_fits_60x16_80x24_and_160x48_and_names_the_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    for path in short_and_long_paths(dir.path()) {
        let whole = path.display().to_string();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        for (width, height) in [(60, 16), (80, 24), (160, 48)] {
            let mut app = damaged_app_on(&path, width, height);
            let screen = render(&app);
            let at = format!("{width}x{height}, {whole}");
            assert!(!screen.contains("too small"), "{at}:\n{screen}");
            assert!(screen.contains("Backlog"), "the board is drawn at {at}:\n{screen}");
            assert!(screen.starts_with("DAMAGED"), "{at}:\n{screen}");
            assert!(screen.contains(&name), "the file's name at {at}:\n{screen}");
            if height > 16 {
                assert!(joined(&screen).contains(&whole), "the whole path at {at}:\n{screen}");
            }
            // Help shows the whole advice, the path whole, at every size.
            keys(&mut app, "?");
            let help = render(&app);
            assert!(joined(&help).contains(&whole), "the whole path in help at {at}:\n{help}");
            assert!(help.contains("restore it from a backup"), "{at}:\n{help}");
            assert!(!help.contains("too small"), "{at}:\n{help}");
        }
    }
}

/// Where there is room the banner says everything: the file, that nothing
/// more is written, and each remedy on its own line, in the order they work.
#[test]
fn with_room_the_banner_shows_every_remedy() {
    let (_dir, app) = damaged_app(160, 48);
    let screen = render(&app);
    for words in
        ["not even on quit", "· restore it from a backup", ".recover | sqlite3 recovered.sqlite3", "save what can still be read"]
    {
        assert!(screen.contains(words), "{words}:\n{screen}");
    }
    // Export saves what can still be read with any sqlite3 (#18): before
    // `.recover`, which not every build has.
    assert!(screen.find("export --output") < screen.find(".recover"), "{screen}");
}
