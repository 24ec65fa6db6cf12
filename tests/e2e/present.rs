//! `quarterdeck present`: the real binary as a projector would run it. It
//! never writes or locks the file, follows the laptop's edits within a
//! second, and stays live while another program holds the write lock.

use std::{
    fs, thread,
    time::{Duration, Instant},
};

use super::{BIN, Session, board_path, quarterdeck};

const RIGHT: &str = "\u{1b}[C";
const LEFT: &str = "\u{1b}[D";

fn present(board: &std::path::Path, home: &std::path::Path) -> Session {
    let session = Session::launch(&[BIN, "present"], board, home, 160, 48, &[]);
    session.wait_for("Board · ");
    session
}

/// Waits until the screen shows `text`, and says how long it took.
fn time_until(session: &Session, text: &str) -> Duration {
    let started = Instant::now();
    session.wait_for(text);
    started.elapsed()
}

#[test]
fn the_presentation_switches_screens_quits_and_leaves_the_file_byte_identical() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let bytes = fs::read(&board).unwrap();
    let mut session = present(&board, dir.path());
    session.wait_for("Checkout conversion");
    // No hint but the keys that switch screens, help and leave (and the
    // paging keys where a screen has pages).
    // Waited for, not read at once: under load the frame reaches the pty in
    // pieces, and the hint line is drawn last.
    session.wait_for("← → screens  ? help  esc quits");
    assert!(!session.contents().contains("[?]"), "{}", session.contents());

    // A writer can write while it runs: the presentation holds no lock.
    let writer = rusqlite::Connection::open(&board).unwrap();
    writer.busy_timeout(Duration::ZERO).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE; ROLLBACK;").unwrap();
    drop(writer);

    session.press(RIGHT);
    session.wait_for("Sprint 3 review");
    session.press(RIGHT);
    session.wait_for("Health · ");
    session.press(RIGHT);
    session.wait_for("Burn-up of points");
    session.press(RIGHT);
    session.wait_for("Checkout conversion");
    session.press(LEFT);
    session.wait_for("Burn-up of points");
    session.press("q");
    assert_eq!(session.wait_exit().exit_code(), 0);
    assert!(session.restored());
    assert_eq!(fs::read(&board).unwrap(), bytes, "the presentation wrote nothing");
}

#[test]
fn the_presentation_follows_another_programs_edits_and_a_write_lock_never_freezes_it() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let mut session = present(&board, dir.path());
    session.wait_for("Checkout conversion");

    // The Scrum Master renames a KR at the laptop.
    let laptop = rusqlite::Connection::open(&board).unwrap();
    laptop.execute("UPDATE key_result SET title = 'Checkout completion' WHERE title = 'Checkout conversion'", []).unwrap();
    let took = time_until(&session, "Checkout completion");
    assert!(took < Duration::from_millis(1_500), "followed after {took:?}");

    // A long write at the laptop: reads go on through the write-ahead log.
    laptop.execute_batch("BEGIN IMMEDIATE").unwrap();
    laptop.execute("UPDATE key_result SET title = 'Not committed yet' WHERE title = 'Checkout completion'", []).unwrap();
    let locked_at = Instant::now();
    session.press(RIGHT);
    let took = time_until(&session, "Sprint 3 review");
    assert!(took < Duration::from_secs(1), "the review took {took:?} under a write lock");
    session.press(RIGHT);
    session.wait_for("Health · ");
    thread::sleep(Duration::from_secs(3).saturating_sub(locked_at.elapsed()));
    session.press(LEFT);
    session.press(LEFT);
    let took = time_until(&session, "Checkout completion");
    assert!(took < Duration::from_secs(1), "the OKRs took {took:?} under a write lock");
    assert!(!session.contents().contains("Not committed yet"), "{}", session.contents());
    assert!(session.child.try_wait().unwrap().is_none(), "it kept running");
    laptop.execute_batch("COMMIT").unwrap();
    session.wait_for("Not committed yet");

    session.press("\u{1b}");
    assert_eq!(session.wait_exit().exit_code(), 0);
}

/// The laptop and the projector as two real programs on one file: a
/// re-rank and a check-in made with the board's keys show in the
/// presentation within a second.
#[test]
fn the_presentation_follows_a_rerank_and_a_check_in_made_in_the_board() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let mut projector = present(&board, dir.path());
    projector.wait_for("Next up in the backlog");
    let order = |screen: &str, first: &str, second: &str| {
        let at = |text: &str| screen.find(text).unwrap_or_else(|| panic!("no {text:?} in\n{screen}"));
        at(first) < at(second)
    };
    assert!(order(&projector.contents(), "#17", "#18"), "{}", projector.contents());

    let mut laptop = Session::start(&board, dir.path(), 160, 48);
    laptop.wait_for("Sprint 3 of 6");
    // The backlog, down to #18 (the 18th item by rank), one up: above #17.
    laptop.press("3");
    laptop.press(&"j".repeat(17));
    laptop.press("K");
    laptop.wait_for("Moved 'Inline card validation as you type' up");
    let started = Instant::now();
    while !order(&projector.contents(), "#18", "#17") {
        assert!(started.elapsed() < Duration::from_millis(1_500), "not followed:\n{}", projector.contents());
        thread::sleep(Duration::from_millis(20));
    }

    // A check-in on KR1.1 at its target: 100 % on the projector.
    laptop.press("1");
    laptop.press("j");
    laptop.press("i");
    laptop.wait_for("Check-in on KR1.1");
    laptop.press("\u{15}20\r");
    laptop.wait_for("Checked in KR1.1");
    let took = time_until(&projector, "100 %");
    assert!(took < Duration::from_millis(1_500), "followed after {took:?}");

    laptop.press("q");
    assert!(laptop.wait_exit().success());
    projector.press("q");
    assert_eq!(projector.wait_exit().exit_code(), 0);
}

/// A keymap in the user's config folder (`$HOME/.config/quarterdeck`).
fn write_keymap(home: &std::path::Path, text: &str) {
    let folder = home.join(".config/quarterdeck");
    fs::create_dir_all(&folder).unwrap();
    fs::write(folder.join("keymap.toml"), text).unwrap();
}

/// `quarterdeck present` reads the user's keymap as the board does: its
/// footer names the rebound keys, and they are the keys that work.
#[test]
fn quarterdeck_present_follows_the_users_keymap() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    write_keymap(dir.path(), "[present]\nnext_pane = [\"n\"]\nprevious_pane = [\"b\"]\nback = [\"backspace\"]\n");
    for (cols, rows) in [(80, 24), (160, 48)] {
        let mut session = Session::launch(&[BIN, "present"], &board, dir.path(), cols, rows, &[]);
        session.wait_for("b n screens  ? help  backspace quits");
        assert!(!session.contents().contains("← →"), "{}", session.contents());
        // → is no longer bound: `n` after it shows the next screen, not the one after.
        session.press(RIGHT);
        session.press("n");
        session.wait_for("Sprint 3 review");
        session.press("b");
        session.wait_for("Checkout conversion");
        session.press("\u{7f}");
        assert_eq!(session.wait_exit().exit_code(), 0);
    }
}

/// A keymap that is not understood stops `quarterdeck present` with the
/// board's message, naming the file.
#[test]
fn quarterdeck_present_refuses_a_bad_keymap_as_the_board_does() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    write_keymap(dir.path(), "[present]\nnext_pane = [\"hyper-n\"]\n");
    let output = std::process::Command::new(BIN)
        .arg("present")
        .env("QUARTERDECK_DB", &board)
        .env("HOME", dir.path())
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("keymap.toml") && said.contains("hyper-n"), "{said}");
}
