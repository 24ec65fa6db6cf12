//! The real board beside another program that holds the write lock for
//! longer than SQLite's old 5 s busy timeout: it stays running and live,
//! says that a write waits, cancels it with `Esc`, and quits at once.

use std::{
    path::Path,
    thread,
    time::{Duration, Instant},
};

use super::{Session, board_path, quarterdeck};

const WAITING: &str = "Waiting for another program that is writing to the board… esc cancels";

/// Another program in the middle of a long write, as `quarterdeck demo
/// --force --items 800000` is.
fn hold_lock(board: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(board).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn
}

/// What a write key can change: every item's state and rank.
fn items(board: &Path) -> String {
    rusqlite::Connection::open(board)
        .unwrap()
        .query_row("SELECT group_concat(id || ':' || state || ':' || rank, ',') FROM item", [], |row| row.get(0))
        .unwrap()
}

fn assert_running(session: &mut Session) {
    assert!(session.child.try_wait().unwrap().is_none(), "the board exited:\n{}", session.contents());
}

#[test]
fn a_write_waits_for_another_programs_lock_esc_cancels_it_and_q_asks_before_dropping_it() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let before = items(&board);
    let mut session = Session::start(&board, dir.path(), 160, 48);
    session.wait_for("Sprint 3 of 6");

    let lock = hold_lock(&board);
    let locked_at = Instant::now();
    // A state step on the first backlog item: a write, which now waits.
    session.press("3s");
    session.wait_for(WAITING);
    // Keys that only read still work, and so does a resize.
    session.press("j");
    session.wait_for("2/40");
    session.resize(120, 40);
    session.wait_for(WAITING);
    // Past the 5 s after which the board used to give up (or exit).
    thread::sleep(Duration::from_millis(5_500).saturating_sub(locked_at.elapsed()));
    assert_running(&mut session);
    assert!(session.contents().contains(WAITING), "{}", session.contents());

    session.press("\u{1b}");
    session.wait_for("nothing was written");
    drop(lock);
    assert_eq!(items(&board), before, "the cancelled write is not in the file");

    // With the file free, a write goes through: the second item steps back.
    session.press("S");
    session.wait_for("is now doing");
    assert_ne!(items(&board), before);

    // Locked again: `q` with a write waiting asks first (#18: it used to
    // drop the change silently); `y` drops it and quits at once.
    let lock = hold_lock(&board);
    let written = items(&board);
    session.press("J");
    session.wait_for(WAITING);
    session.press("q");
    session.wait_for("y drops the change and quits");
    let pressed = Instant::now();
    session.press("y");
    assert_eq!(session.wait_exit_within(Duration::from_secs(1)).exit_code(), 0);
    assert!(pressed.elapsed() < Duration::from_secs(1));
    assert!(session.restored());
    drop(lock);
    assert_eq!(items(&board), written, "the write left waiting at quit was dropped");
}

#[test]
fn the_board_survives_saving_its_screen_state_while_another_program_holds_the_lock() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let mut session = Session::start(&board, dir.path(), 160, 48);
    session.wait_for("Sprint 3 of 6");
    // Another row selected: the screen state is saved after 1 s without keys.
    session.press("3j");
    session.wait_for("2/40");
    let lock = hold_lock(&board);
    thread::sleep(Duration::from_millis(6_500));
    assert_running(&mut session);
    session.press("j");
    session.wait_for("3/40");
    drop(lock);
    session.press("q");
    assert_eq!(session.wait_exit_within(Duration::from_secs(2)).exit_code(), 0);
}
