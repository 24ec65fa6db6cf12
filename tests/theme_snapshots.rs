//! Screens of the quarter at a glance in each theme (default, high
//! contrast, light), at 80x24 and 160x48: the text once, then each theme's
//! colours and emphasis as style runs (`tests/common/styled.rs`). Each
//! high-contrast screen is checked to have no dim and no grey cell.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "common/styled.rs"]
mod styled;

use common::{app_at, board_path, demo_store, key, keys};
use quarterdeck::{app::App, ui::ThemeName};
use ratatui::crossterm::event::KeyCode;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn demo(width: u16, height: u16) -> (tempfile::TempDir, App) {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    (dir, app_at(&path, width, height))
}

/// One snapshot per size: `open` takes the demo board to the screen.
fn snapshot_each_size(name: &str, open: impl Fn(&mut App)) {
    for (width, height) in SIZES {
        let (_dir, mut app) = demo(width, height);
        open(&mut app);
        let what = format!("{name}_{width}x{height}");
        insta::assert_snapshot!(what.clone(), styled::in_each_theme(&app, &what));
    }
}

#[test]
fn health() {
    snapshot_each_size("health", |app| keys(app, "H"));
}

/// The four kinds of chart, one after another in one snapshot.
#[test]
fn charts() {
    for (width, height) in SIZES {
        let (_dir, mut app) = demo(width, height);
        keys(&mut app, "R");
        let mut pages = Vec::new();
        for _ in 0..4 {
            let what = format!("charts page {} at {width}x{height}", app.charts().unwrap().page + 1);
            pages.push(styled::in_each_theme(&app, &what));
            key(&mut app, KeyCode::Tab);
        }
        insta::assert_snapshot!(format!("charts_{width}x{height}"), pages.join("\n════════\n"));
    }
}

/// The presentation's screens, `→` after `P`.
fn presentation(screen: usize) -> impl Fn(&mut App) {
    move |app: &mut App| {
        keys(app, "P");
        for _ in 0..screen {
            key(app, KeyCode::Right);
        }
    }
}

#[test]
fn presentation_okrs() {
    snapshot_each_size("presentation_okrs", presentation(0));
}

#[test]
fn presentation_review() {
    snapshot_each_size("presentation_review", presentation(1));
}

#[test]
fn presentation_health() {
    snapshot_each_size("presentation_health", presentation(2));
}

#[test]
fn presentation_charts() {
    snapshot_each_size("presentation_charts", presentation(3));
}

/// The check for dim and grey can fail: the default theme draws grey.
#[test]
#[should_panic(expected = "is DarkGray")]
fn the_default_theme_is_not_high_contrast() {
    let (_dir, mut app) = demo(160, 48);
    keys(&mut app, "H");
    styled::assert_no_dim_or_grey(&styled::buffer_in(&app, ThemeName::Default), "health");
}

/// The rhythm's calendar (`L`): its states are symbols and words, so each
/// theme's colours only repeat them.
#[test]
fn calendar() {
    snapshot_each_size("calendar", |app| keys(app, "L"));
}
