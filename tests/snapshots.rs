//! Whole screens with the demo quarter, as text, at the two sizes the board
//! is used at most: a laptop's 80x24 and a projector's 160x48. The demo is
//! dated relative to `today()`, which is fixed, so the screens are stable.
//! Review changes with `cargo insta review`.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, demo_store, render, select_okr};
use quarterdeck::app::Action;

fn demo_app(width: u16, height: u16) -> (tempfile::TempDir, quarterdeck::app::App) {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    (dir, app_at(&path, width, height))
}

#[test]
fn board_160x48() {
    let (_dir, app) = demo_app(160, 48);
    insta::assert_snapshot!(render(&app));
}

#[test]
fn board_160x48_filtered_by_a_kr() {
    let (_dir, mut app) = demo_app(160, 48);
    select_okr(&mut app, "KR1.2");
    insta::assert_snapshot!(render(&app));
}

#[test]
fn okrs_80x24() {
    let (_dir, app) = demo_app(80, 24);
    insta::assert_snapshot!(render(&app));
}

#[test]
fn timeline_80x24() {
    let (_dir, mut app) = demo_app(80, 24);
    app.update(Action::FocusTimeline).unwrap();
    insta::assert_snapshot!(render(&app));
}

#[test]
fn backlog_80x24() {
    let (_dir, mut app) = demo_app(80, 24);
    app.update(Action::FocusBacklog).unwrap();
    insta::assert_snapshot!(render(&app));
}

#[test]
fn sprint_detail_80x24() {
    let (_dir, mut app) = demo_app(80, 24);
    app.update(Action::FocusTimeline).unwrap();
    app.update(Action::OpenDetail).unwrap();
    insta::assert_snapshot!(render(&app));
}

#[test]
fn welcome_80x24() {
    let (dir, path) = board_path();
    let app = app_at(&path, 80, 24);
    // The path is a temporary folder's: keep it out of the snapshot.
    let screen = render(&app).replace(&path.display().to_string(), "BOARD");
    insta::assert_snapshot!(screen);
    drop(dir);
}

/// The review of a finished sprint: output and outcome side by side, the
/// retro under the outcome, with a note of each list (the one to improve
/// made a backlog item).
#[test]
fn review_160x48() {
    let (_dir, mut app) = demo_app(160, 48);
    common::select_sprint(&mut app, 2);
    common::keys(&mut app, "r");
    for note in ["Feature flags made the rollout calm", "Card retries need a dashboard", "KR1.1 moved: conversion +2.2 points"] {
        common::keys(&mut app, "a");
        common::keys(&mut app, note);
        common::key(&mut app, ratatui::crossterm::event::KeyCode::Enter);
        common::keys(&mut app, "j");
    }
    common::keys(&mut app, "kb");
    insta::assert_snapshot!(render(&app));
}

/// At 80x24 the outcome follows the output, and the retro the outcome;
/// `j` has scrolled down to them here.
#[test]
fn review_80x24() {
    let (_dir, mut app) = demo_app(80, 24);
    common::select_sprint(&mut app, 3);
    common::keys(&mut app, "r");
    common::keys(&mut app, "jjjjjjjjjjjj");
    insta::assert_snapshot!(render(&app));
}

/// A KR's details: facts, the chart against the expected line with the
/// target marked, and the check-ins newest first.
#[test]
fn kr_detail_80x24() {
    let (_dir, mut app) = demo_app(80, 24);
    common::select_kr(&mut app, "KR1.1");
    app.update(Action::OpenDetail).unwrap();
    insta::assert_snapshot!(render(&app));
}

#[test]
fn kr_detail_160x48() {
    let (_dir, mut app) = demo_app(160, 48);
    common::select_kr(&mut app, "KR1.2");
    app.update(Action::OpenDetail).unwrap();
    insta::assert_snapshot!(render(&app));
}

#[test]
fn health_80x24() {
    let (_dir, mut app) = demo_app(80, 24);
    app.update(Action::Health).unwrap();
    insta::assert_snapshot!(render(&app));
}

#[test]
fn health_160x48() {
    let (_dir, mut app) = demo_app(160, 48);
    app.update(Action::Health).unwrap();
    insta::assert_snapshot!(render(&app));
}

/// The three quarter charts and the first KR's, one snapshot each.
fn snapshot_charts(width: u16, height: u16) {
    let (_dir, mut app) = demo_app(width, height);
    app.update(Action::Charts).unwrap();
    for name in ["burn_up", "velocity", "split", "first_kr"] {
        insta::assert_snapshot!(format!("charts_{name}_{width}x{height}"), render(&app));
        app.update(Action::NextPane).unwrap();
    }
}

#[test]
fn charts_80x24() {
    snapshot_charts(80, 24);
}

#[test]
fn charts_160x48() {
    snapshot_charts(160, 48);
}

/// The quarter's calendar on the demo's day (sprint 3's first): two
/// sprints held, the next event (sprint 3's review) selected.
#[test]
fn calendar_80x24() {
    snapshot_calendar("calendar_80x24", 80, 24, 0);
}

#[test]
fn calendar_160x48() {
    snapshot_calendar("calendar_160x48", 160, 48, 0);
}

/// Two weeks and a day on: sprint 3's review is overdue, and so is the
/// check-in, its KRs gone stale; the header says so.
#[test]
fn calendar_80x24_overdue() {
    snapshot_calendar("calendar_80x24_overdue", 80, 24, 15);
}

/// The calendar `days` after the demo's day, as snapshot `name`.
fn snapshot_calendar(name: &str, width: u16, height: u16, days: u64) {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    let today = common::today() + chrono::Days::new(days);
    let store = quarterdeck::store::Store::open(&path).unwrap();
    let mut app = quarterdeck::app::App::new(store, quarterdeck::app::Keymap::default_keys().unwrap(), today).unwrap();
    app.resize(width, height).unwrap();
    // A sprint whose days began unstarted is offered to start: not now.
    if app.context() == quarterdeck::app::Context::Confirm {
        common::keys(&mut app, "n");
    }
    app.update(Action::Calendar).unwrap();
    insta::assert_snapshot!(name, render(&app));
    drop(dir);
}
