//! The real binary: in the last sprint, close the quarter and open the
//! next through the keys, quit, start again, and find the new quarter with
//! the carried items and the old one readable, and read-only.

use std::{thread, time::Duration};

use super::{Session, board_path, quarterdeck};

/// A day in the demo's last sprint (S6: Jan 4 - Jan 17, 2027).
const LAST_SPRINT_DAY: (&str, &str) = ("QUARTERDECK_TODAY", "2027-01-12");

/// Esc, then q: apart, or the terminal reads them as alt-q.
fn leave(session: &mut Session) {
    session.press("\x1b");
    thread::sleep(Duration::from_millis(150));
    session.press("q");
}

#[test]
fn a_quarter_closes_and_the_next_opens_and_both_survive_a_restart() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let mut session = Session::start_with(&board, dir.path(), 160, 48, &[LAST_SPRINT_DAY]);
    // Today entered Sprint 6, never started: the board offers to; not now.
    session.wait_for("Start it now?");
    session.press("n");
    session.wait_for("Sprint 6 of 6");
    session.press("Q");
    session.wait_for("Scores proposed from progress");
    session.press("c");
    session.wait_for("Close 2026-Q4 with these scores?");
    session.press("y");
    session.wait_for("read-only now");
    session.press("o");
    session.wait_for("Opened 2027-Q1");
    leave(&mut session);
    assert!(session.wait_exit().success());

    let mut again = Session::start_with(&board, dir.path(), 160, 48, &[LAST_SPRINT_DAY]);
    again.wait_for(" 2027-Q1 ");
    again.wait_for("Before sprint 1");
    // Carried items wait for new tags, their old ones named with their quarter.
    again.wait_for("↻");
    again.wait_for("2026-Q4 KR");
    again.press("[");
    again.wait_for("2026-Q4 (closed, read-only)");
    again.press("3a");
    again.wait_for("2026-Q4 is closed: read-only");
    leave(&mut again);
    assert!(again.wait_exit().success());
}

#[test]
fn a_quarter_made_on_its_first_day_keeps_sprint_1_planned_until_a_person_starts_it() {
    let (dir, board) = board_path();
    let mut session = Session::start_with(&board, dir.path(), 80, 24, &[("QUARTERDECK_TODAY", "2027-01-04")]);
    session.wait_for("Load the demo quarter");
    session.press("n");
    session.wait_for("New quarter");
    session.press("\r");
    // Made on its first day, nothing starts by itself: the OKRs and the
    // plan come first, and the status line says how to start it after.
    session.wait_for("start it (s in timeline)");
    let states = |board: &std::path::Path| -> Vec<String> {
        let conn = rusqlite::Connection::open(board).unwrap();
        let mut statement = conn.prepare("SELECT state FROM sprint ORDER BY number").unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    };
    assert_eq!(states(&board), vec!["planned"; 6], "no sprint starts by itself");
    // An item planned into sprint 1, then sprint 1 started from the timeline.
    session.press("3");
    session.press("a");
    session.wait_for("New backlog item");
    session.press("Export orders\t4\r");
    session.wait_for("Export orders");
    session.press("m");
    session.wait_for("Sprint 1 (planned, 0/20 pts)");
    session.press("j");
    session.press("\r");
    session.wait_for("to Sprint 1");
    session.press("2");
    session.press("s");
    session.wait_for("Start Sprint 1 now?");
    session.wait_for("(M1)");
    session.press("y");
    session.wait_for("Started Sprint 1: committed to 4 points");
    assert_eq!(states(&board)[0], "active");
    let committed: (i64, i64) = rusqlite::Connection::open(&board)
        .unwrap()
        .query_row("SELECT count(*), sum(points) FROM sprint_commitment", [], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap();
    assert_eq!(committed, (1, 4), "the commitment holds what was planned before the start");
    session.press("q");
    assert!(session.wait_exit().success());
}
