//! The charts (`R`): the burn-up, velocity, the OKR/BAU split and each KR
//! against its expected line, one at a time, titled and with a legend in
//! words, readable at 80x24.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, demo_store, key, keys, render};
use quarterdeck::{
    app::{Context, charts::ChartPage},
    domain::charts::Commitment,
};
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

fn demo(width: u16, height: u16) -> (tempfile::TempDir, quarterdeck::app::App) {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    (dir, app_at(&path, width, height))
}

/// Each chart's title and legend words, in page order (the KRs follow).
const CHARTS: [(&str, &[&str]); 3] = [
    ("Burn-up of points", &["scope", "done", "points"]),
    ("Velocity per sprint", &["committed", "done", "S1"]),
    ("OKR/BAU split per sprint", &["OKR % of planned", "band 60-70 %", "S1"]),
];

#[test]
fn v_opens_the_charts_and_tab_turns_through_them_at_both_sizes() {
    for (width, height) in [(80, 24), (160, 48)] {
        let (_dir, mut app) = demo(width, height);
        keys(&mut app, "R");
        assert_eq!(app.context(), Context::Charts);
        for (title, words) in CHARTS {
            let screen = render(&app);
            assert!(screen.contains(title), "{title} at {width}x{height}:\n{screen}");
            for word in words {
                assert!(screen.contains(word), "{title}'s {word} at {width}x{height}:\n{screen}");
            }
            key(&mut app, KeyCode::Tab);
        }
        // Then one chart per KR, with its code and legend.
        let screen = render(&app);
        assert!(matches!(app.charts().unwrap().current(), ChartPage::KeyResult(0)));
        assert!(screen.contains("KR1.1"), "{screen}");
        assert!(screen.contains("value") && screen.contains("expected"), "{screen}");
    }
}

#[test]
fn left_turns_back_wrapping_and_esc_or_r_closes() {
    let (_dir, mut app) = demo(80, 24);
    keys(&mut app, "R");
    key(&mut app, KeyCode::Left);
    let charts = app.charts().unwrap();
    assert_eq!(charts.page, charts.page_count() - 1, "left from the first chart wraps to the last");
    key(&mut app, KeyCode::Right);
    assert_eq!(app.charts().unwrap().page, 0);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Board);
    keys(&mut app, "RR");
    assert_eq!(app.context(), Context::Board);
}

#[test]
fn the_series_add_up_on_the_demo() {
    let (_dir, mut app) = demo(80, 24);
    keys(&mut app, "R");
    let charts = app.charts().unwrap();
    let board = app.board.as_ref().unwrap();
    assert_eq!(charts.sprints.len(), board.sprints.len());
    // The burn-up's scope ends at what the sprints took on, its done line
    // at no more than the points done in the quarter's sprints.
    let scope: u32 = charts.sprints.iter().map(|sprint| sprint.scope).sum();
    assert_eq!(charts.burn_up.scope.last().unwrap().1, f64::from(scope));
    assert!(charts.burn_up.done.windows(2).all(|pair| pair[0].1 <= pair[1].1), "done only grows");
    assert_eq!(charts.krs.len(), board.key_results().count());
}

#[test]
fn the_store_sums_done_points_by_day_and_tallies_closed_records() {
    let (_dir, path) = board_path();
    let store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    let facts = store.chart_facts(board.quarter.id).unwrap();
    let by_day: u32 = facts.work.done_by_day.iter().map(|(_, points)| points).sum();
    let open_done: u32 = board.sprints.iter().map(|sprint| sprint.done_points).sum();
    assert_eq!(by_day, open_done, "every done item of the quarter's sprints has its day");
    assert!(facts.work.done_by_day.windows(2).all(|pair| pair[0].0 < pair[1].0), "one sum per day, oldest first");
    let closed = board.sprints.iter().filter(|sprint| sprint.state == quarterdeck::domain::SprintState::Closed).count();
    assert_eq!(facts.closed_outputs.len(), closed);
}

/// A closed sprint's done points are its frozen record's: an item given
/// more points after the close, or taken back to todo, leaves the burn-up's
/// done line where velocity and the review have it (found by a trial:
/// done rose above scope).
#[test]
fn the_burn_up_counts_a_closed_sprint_from_its_record() {
    let (_dir, path) = board_path();
    let store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    let total = |store: &quarterdeck::store::Store| -> u32 {
        store.chart_facts(board.quarter.id).unwrap().work.done_by_day.iter().map(|(_, points)| points).sum()
    };
    let before = total(&store);
    drop(store);
    let conn = Connection::open(&path).unwrap();
    // S1 is closed in the demo: #2 grows from 3 to 10 points, #1 goes back to todo.
    let closed: i64 =
        conn.query_row("SELECT count(*) FROM sprint WHERE number = 1 AND state = 'closed'", [], |row| row.get(0)).unwrap();
    assert_eq!(closed, 1, "the demo's S1 is closed");
    conn.execute("UPDATE item SET points = 10 WHERE id = 2", []).unwrap();
    conn.execute("UPDATE item SET state = 'todo', done_on = NULL WHERE id = 1", []).unwrap();
    drop(conn);
    let store = quarterdeck::store::Store::open(&path).unwrap();
    assert_eq!(total(&store), before, "the frozen record, not the items now");
}

/// A running sprint's committed points are its commitment at the start, as
/// its review says, not what is planned into it now (a trial saw velocity
/// say 19 where the review said 17).
#[test]
fn velocity_counts_a_running_sprint_from_its_commitment() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let conn = Connection::open(&path).unwrap();
    let (sprint, committed): (i64, u32) = conn
        .query_row(
            "SELECT s.id, coalesce(sum(c.points), 0) FROM sprint s JOIN sprint_commitment c ON c.sprint_id = s.id
             WHERE s.number = 3 AND s.state = 'active' GROUP BY s.id",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    // An 8-point item planned in after the start: scope grows, the commitment does not.
    conn.execute("UPDATE item SET sprint_id = ?1 WHERE id = 17", [sprint]).unwrap();
    drop(conn);
    let store = quarterdeck::store::Store::open(&path).unwrap();
    let board = store.load_board().unwrap().unwrap();
    let facts = store.chart_facts(board.quarter.id).unwrap();
    let screen = quarterdeck::app::charts::ChartsScreen::compute(&board, &facts, common::today());
    let s3 = screen.sprints.iter().find(|figures| figures.number == 3).unwrap();
    assert_eq!(s3.committed, Commitment::Committed(committed));
    assert_eq!(s3.scope, board.sprints[2].load);
    assert!(s3.scope > s3.committed.points(), "{s3:?}");
}

/// The value a step line has reached by `x`.
fn step_at(line: &[(f64, f64)], x: f64) -> f64 {
    line.iter().take_while(|(at, _)| *at <= x).last().map_or(0.0, |(_, y)| *y)
}

/// A trial imported done work whose done dates came before its sprint's
/// start: the burn-up's done line ran above its scope (`33 | 41`). An item
/// counts as done no earlier than the day it entered the scope.
#[test]
fn work_done_before_its_sprint_started_counts_as_done_when_its_sprint_starts() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let conn = Connection::open(&path).unwrap();
    // Everything planned into S4 (not started; its dates from day 42) says
    // it was done on the quarter's first day, as an import might.
    let (s4, s4_points): (i64, u32) = conn
        .query_row(
            "SELECT s.id, sum(i.points) FROM sprint s JOIN item i ON i.sprint_id = s.id WHERE s.number = 4 GROUP BY s.id",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    conn.execute("UPDATE item SET state = 'done', done_on = (SELECT start_date FROM quarter) WHERE sprint_id = ?1", [s4])
        .unwrap();
    drop(conn);
    let store = quarterdeck::store::Store::open(&path).unwrap();
    let board = store.load_board().unwrap().unwrap();
    let facts = store.chart_facts(board.quarter.id).unwrap();
    let late = board.sprints[5].end;
    let screen = quarterdeck::app::charts::ChartsScreen::compute(&board, &facts, late);
    let (scope, done) = (&screen.burn_up.scope, &screen.burn_up.done);
    for x in scope.iter().chain(done).map(|(x, _)| *x) {
        assert!(step_at(done, x) <= step_at(scope, x), "day {x}: done {} above scope {}", step_at(done, x), step_at(scope, x));
    }
    // Counted by hand: S4's points are done on S4's first day, day 42, not on day 0.
    let day_42 = step_at(done, 42.0) - step_at(done, 41.0);
    assert_eq!(day_42, f64::from(s4_points), "{done:?}");
    assert_eq!(step_at(scope, 42.0) - step_at(scope, 41.0), f64::from(s4_points), "{scope:?}");
}
