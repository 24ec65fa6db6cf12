//! The quarter's health (`H`): every rule M1-M13 with its state and the
//! objects breaking it; `Enter` goes to an object; the header counts the
//! rules in warning.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, demo_store, key, keys, render, selected_okr};
use quarterdeck::{
    app::{Context, Pane},
    domain::health::Object,
};
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

fn demo(width: u16, height: u16) -> (tempfile::TempDir, std::path::PathBuf, quarterdeck::app::App) {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    let app = app_at(&path, width, height);
    (dir, path, app)
}

#[test]
fn h_lists_every_rule_with_its_state() {
    let (_dir, _path, mut app) = demo(160, 48);
    keys(&mut app, "H");
    assert_eq!(app.context(), Context::Health);
    let screen = render(&app);
    for rule in ["M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M10", "M11", "M12", "M13"] {
        assert!(
            screen.lines().any(|line| line.contains(&format!("✓ {rule} ")) || line.contains(&format!("⚠ {rule} "))),
            "{rule} has no line:\n{screen}"
        );
    }
    let warnings = app.health().unwrap().warnings();
    assert_eq!(app.health_warnings, Some(warnings));
    if warnings > 0 {
        assert!(screen.lines().next().unwrap().contains(&format!("⚠ {warnings} warning")), "the header counts them:\n{screen}");
    }
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Board);
}

#[test]
fn enter_goes_to_the_selected_object_in_its_pane() {
    let (_dir, path, mut app) = demo(160, 48);
    // Break M9 (a KR without a unit) and M10 (an item copying a KR title)
    // in another window: the board reads them on the next key.
    let conn = Connection::open(&path).unwrap();
    conn.execute("UPDATE key_result SET unit = '' WHERE title = 'Uptime'", []).unwrap();
    conn.execute("UPDATE item SET title = 'payment failures' WHERE title = 'Retry soft card declines once'", []).unwrap();
    drop(conn);

    keys(&mut app, "H");
    let objects: Vec<(String, Object)> =
        app.health().unwrap().objects().map(|breach| (breach.code.clone(), breach.object)).collect();
    let position = |wanted: fn(&Object) -> bool| objects.iter().position(|(_, object)| wanted(object)).unwrap();

    // The KR breaking M9 is selected in the OKR pane.
    let m9 = app.health().unwrap().rules.iter().find(|rule| rule.rule == "M9").unwrap().breaches[0].code.clone();
    let at = objects.iter().position(|(code, _)| *code == m9).unwrap();
    keys(&mut app, &"j".repeat(at));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Board);
    assert_eq!(app.focus, Pane::Okrs);
    assert_eq!(selected_okr(&app).as_deref(), Some(m9.as_str()));

    // The item copying a KR title is selected in the backlog, even though
    // the KR filter (from the OKR selection) hides it.
    keys(&mut app, "H");
    keys(&mut app, &"j".repeat(position(|object| matches!(object, Object::Item(_)))));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Backlog);
    assert_eq!(app.backlog.selected_row().map(|row| row.title.as_str()), Some("payment failures"));

    // A sprint is selected in the timeline.
    if let Some(at) = objects.iter().position(|(_, object)| matches!(object, Object::Sprint(_))) {
        keys(&mut app, "H");
        keys(&mut app, &"j".repeat(at));
        let Some(Object::Sprint(id)) = app.health().unwrap().selected_object().map(|breach| breach.object) else { panic!() };
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.focus, Pane::Timeline);
        assert_eq!(app.board.as_ref().unwrap().sprints[app.sprint_selected].id, id);
    }
}

#[test]
fn the_header_count_follows_a_change_from_another_window() {
    let (_dir, path, mut app) = demo(160, 48);
    let before = app.health_warnings.unwrap();
    let conn = Connection::open(&path).unwrap();
    conn.execute("UPDATE key_result SET unit = '' WHERE title = 'Uptime'", []).unwrap();
    drop(conn);
    app.poll_external_changes().unwrap();
    // The demo's KRs are all measurable: M9 is a new warning.
    assert_eq!(app.health_warnings, Some(before + 1));
    let header = render(&app).lines().next().unwrap().to_owned();
    assert!(header.contains(&format!("⚠ {} warnings (H)", before + 1)), "{header}");
}

/// This window's own edit counts too: an item added with a KR's title
/// (M10) is in the header's count once the board is idle, without `H`.
#[test]
fn the_header_count_follows_this_windows_own_edit() {
    let (_dir, _path, mut app) = demo(160, 48);
    let before = app.health_warnings.unwrap();
    keys(&mut app, "3a");
    keys(&mut app, "Monthly churn");
    key(&mut app, KeyCode::Enter);
    assert!(render(&app).contains("Monthly churn"), "{}", render(&app));
    // The idle tick: no other process wrote, yet the count is checked again.
    assert!(app.poll_external_changes().unwrap(), "the header must be drawn again");
    assert_eq!(app.health_warnings, Some(before + 1));
    let header = render(&app).lines().next().unwrap().to_owned();
    assert!(header.contains(&format!("⚠ {} warnings (H)", before + 1)), "{header}");
    assert!(!app.poll_external_changes().unwrap(), "then idle again: nothing to draw");
}

/// The check after this window's own edit waits for the idle moment: the
/// next key does not pay for it (keys typed in a row stay fast), and the
/// count is right once the board is idle.
#[test]
fn the_next_key_after_an_edit_leaves_the_rules_to_the_idle_moment() {
    let (_dir, _path, mut app) = demo(160, 48);
    let before = app.health_warnings.unwrap();
    keys(&mut app, "3a");
    keys(&mut app, "Monthly churn");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "j");
    assert_eq!(app.health_warnings, Some(before), "checked inside the next key");
    assert!(app.poll_external_changes().unwrap(), "the header must be drawn again");
    assert_eq!(app.health_warnings, Some(before + 1));
}

/// M10 in health is the backlog's flag: the same items, however the copy
/// is spelled (case, spacing, a closing full stop, Unicode case, a title
/// that is not text), and nothing that merely begins like a KR.
#[test]
fn m10_in_health_flags_exactly_the_items_the_backlog_flags() {
    let (_dir, path, mut app) = demo(160, 48);
    let conn = Connection::open(&path).unwrap();
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM item ORDER BY rank LIMIT 8")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let kr_titles: Vec<String> = conn
        .prepare("SELECT title FROM key_result ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let first = &kr_titles[0];
    let spellings = [
        first.to_uppercase(),
        format!("  {}.", first.to_lowercase()),
        format!("\u{A0}{}", first.replace(' ', "   ")),
        format!("{first}!"),
        format!("{first} and more"),
        format!("{} and more", &first[..first.len() - 1]),
    ];
    for (id, title) in ids.iter().zip(&spellings) {
        conn.execute("UPDATE item SET title = ?1 WHERE id = ?2", rusqlite::params![title, id]).unwrap();
    }
    // A title stored as a blob, as an importer may leave it.
    conn.execute("UPDATE item SET title = CAST(?1 AS BLOB) WHERE id = ?2", rusqlite::params![kr_titles[1], ids[6]]).unwrap();
    let items: Vec<(i64, Vec<u8>)> = conn
        .prepare("SELECT id, CAST(title AS BLOB) FROM item ORDER BY rank")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(conn);
    app.poll_external_changes().unwrap();
    keys(&mut app, "H");

    let board = app.board.as_ref().unwrap();
    let flagged: Vec<i64> = items
        .iter()
        .filter(|(_, title)| quarterdeck::domain::copied_kr(&String::from_utf8_lossy(title), board.key_results()).is_some())
        .map(|(id, _)| *id)
        .collect();
    let m10: Vec<i64> = app.health().unwrap().rules[9]
        .breaches
        .iter()
        .map(|breach| match breach.object {
            Object::Item(id) => id,
            other => panic!("M10 names an item, not {other:?}"),
        })
        .collect();
    assert_eq!(m10, flagged);
    assert_eq!(m10, [ids[0], ids[1], ids[2], ids[3], ids[6]], "four spellings and the blob, not the longer titles");
}

/// The demo closed and the next quarter opened; one carried item, tagged
/// with 2026-Q4's KRs, planned into 2027-Q1's S1. Returns the new quarter,
/// its S1 and the item.
fn carried_item_in_the_next_quarter(path: &std::path::Path, retag_as_bau: bool) -> (i64, i64, i64) {
    use quarterdeck::store::{ItemFilter, Opened, QuarterClose};
    let mut store = demo_store(path);
    let board = store.load_board().unwrap().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 12).unwrap();
    store.close_quarter(board.quarter.id, &QuarterClose::default(), day, "Closed").unwrap();
    let Opened::Quarter { id: quarter, .. } = store.open_next_quarter(board.quarter.id, day, "Opened").unwrap() else {
        panic!("opened")
    };
    store.load_board().unwrap();
    let waiting = store.backlog_page(&ItemFilter { needs_retag: true, ..ItemFilter::default() }, 0, 100).unwrap();
    let item = waiting[0].id;
    if retag_as_bau {
        // The tag picker saved with no new KR: BAU.
        store.change_items_tags(&[item], &[], &[], "Tagged as BAU").unwrap();
    }
    let sprint: i64 = Connection::open(path)
        .unwrap()
        .query_row("SELECT id FROM sprint WHERE quarter_id = ?1 AND number = 1", [quarter], |row| row.get(0))
        .unwrap();
    store.set_item_sprint(item, Some(sprint), "Planned").unwrap();
    (quarter, sprint, item)
}

#[test]
fn an_item_tagged_only_with_an_earlier_quarters_krs_is_bau_in_m4_the_chart_and_the_bau_filter() {
    for retag_as_bau in [true, false] {
        let (_dir, path) = board_path();
        let (quarter, sprint, item) = carried_item_in_the_next_quarter(&path, retag_as_bau);
        let store = quarterdeck::store::Store::open(&path).unwrap();
        store.load_board().unwrap();
        let points: u32 = Connection::open(&path)
            .unwrap()
            .query_row("SELECT points FROM item WHERE id = ?1", [item], |row| row.get(0))
            .unwrap();
        let split = |splits: &[(i64, quarterdeck::domain::planning::Split)]| {
            splits.iter().find(|(id, _)| *id == sprint).map(|(_, split)| *split).unwrap()
        };
        let m4 = split(&store.health_facts(quarter).unwrap().splits);
        assert_eq!((m4.okr_points, m4.bau_points), (0, points), "M4, re-tagged as BAU: {retag_as_bau}");
        let chart = split(&store.chart_facts(quarter).unwrap().splits);
        assert_eq!((chart.okr_points, chart.bau_points), (0, points), "chart, re-tagged as BAU: {retag_as_bau}");
        let filter = quarterdeck::store::ItemFilter { bau_only: true, ..Default::default() };
        let bau = store.backlog_page(&filter, 0, 1000).unwrap();
        assert!(bau.iter().any(|row| row.id == item), "the BAU filter lists it, re-tagged as BAU: {retag_as_bau}");
        let row = store.sprint_items(sprint).unwrap().into_iter().find(|row| row.id == item).unwrap();
        assert!(!row.okr_work, "planning's split counts it BAU");
    }
}

#[test]
fn an_item_tagged_with_the_quarters_own_kr_stays_okr_work() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let store = quarterdeck::store::Store::open(&path).unwrap();
    let board = store.load_board().unwrap().unwrap();
    let filter = quarterdeck::store::ItemFilter { bau_only: true, ..Default::default() };
    let bau = store.backlog_page(&filter, 0, 1000).unwrap();
    assert!(!bau.is_empty() && bau.iter().all(|row| row.kr_codes.is_empty()));
    let splits = store.health_facts(board.quarter.id).unwrap().splits;
    assert!(splits.iter().any(|(_, split)| split.okr_points > 0), "{splits:?}");
}

#[test]
fn at_80x24_the_last_rules_are_reached_from_the_last_object() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    // Late in the quarter: every KR stale, so the list outgrows the screen.
    let mut app = common::app_on_day(&path, chrono::NaiveDate::from_ymd_opt(2027, 1, 12).unwrap());
    app.resize(80, 24).unwrap();
    while matches!(app.overlays.last(), Some(quarterdeck::app::Overlay::Confirm(_))) {
        keys(&mut app, "n");
    }
    keys(&mut app, "H");
    let top = render(&app);
    assert!(top.contains("M1 ") && !top.contains("M13"), "the list is longer than the screen:\n{top}");
    keys(&mut app, "G");
    let end = render(&app);
    assert!(end.contains("M13") && end.contains("A quarter is about 90 days"), "{end}");
}

#[test]
fn at_80x24_the_header_keeps_the_warning_count_over_the_stale_krs() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    // No check-in at all: every KR stale since the quarter began (M8).
    Connection::open(&path).unwrap().execute("DELETE FROM check_in", []).unwrap();
    let app = app_at(&path, 80, 24);
    let header = render(&app).lines().next().unwrap_or_default().to_owned();
    // Whole or said short (`⚠2 (H)`) where the sprint takes the room.
    assert!(header.contains("warnings (H)") || header.contains("⚠2 (H)"), "the count, which counts the stale KRs too: {header}");
}
