//! Rows left in the board by other tools (`sqlite3`, a script), written here
//! with rusqlite: the board and the command line's reads open the board,
//! show the value cleaned and name the row and what was found; never exit
//! 1 with a raw library message. The reads change no file.

use super::harness::{Folder, Screen, assert_clean, assert_unchanged};

/// A demo board with `sql` run on it by another program, then read by
/// `list items`, `list sprints`, `show KR1.1`, `check` and the board: none
/// fails, each names `found` (what was in the row), and the reads leave
/// the folder byte-identical.
fn a_bad_row(sql: &str, found: &str) {
    a_bad_row_shown(sql, found, found);
}

/// As [`a_bad_row`], with the board showing `on_screen`.
fn a_bad_row_shown(sql: &str, found: &str, on_screen: &str) {
    let folder = Folder::new();
    let board = folder.demo_board();
    let conn = rusqlite::Connection::open(&board).unwrap();
    conn.execute_batch(sql).unwrap();
    drop(conn);
    let before = folder.snapshot();
    let mut said = String::new();
    for args in [&["list", "items"][..], &["list", "sprints"], &["show", "KR1.1"], &["check"], &["review", "S1"]] {
        let ran = folder.run(&board, args);
        assert!(matches!(ran.code, Some(0 | 1)) && !ran.stderr.starts_with("quarterdeck:"), "{args:?} failed: {}", ran.all());
        if args[0] != "check" {
            assert_eq!(ran.code, Some(0), "{args:?}: {}", ran.all());
        }
        assert_clean(&ran.all(), &format!("{args:?}"));
        assert_unchanged(&folder, &before, &format!("{args:?}"));
        said.push_str(&ran.stderr);
    }
    assert!(said.contains(found), "no read named the row's {found:?}:\n{said}");
    let mut screen = Screen::start(&folder, &board, &[], (200, 40), &[]);
    screen.wait_for("Sprint 3 of 6");
    screen.wait_for(on_screen);
    assert_clean(&screen.raw_text(), "the board");
    screen.press("q");
    assert_eq!(screen.wait_exit(), 0, "the board quits as usual");
}

const FIRST_ITEM: &str = "(SELECT min(id) FROM item)";

/// The board reads backlog rows after its opening notice, so it shows this
/// title cleaned without naming it (the reads name it).
pub fn row_title_not_utf8() {
    let sql = "UPDATE item SET title = CAST(x'436166ff20626172' AS TEXT) WHERE title LIKE 'Apple Pay%';";
    a_bad_row_shown(sql, "shown with \u{FFFD}", "17 Caf");
}

pub fn row_huge_points() {
    a_bad_row(&format!("UPDATE item SET points = 5000000000 WHERE id = {FIRST_ITEM};"), "5000000000");
}

pub fn row_text_in_a_number_column() {
    a_bad_row(&format!("UPDATE item SET points = 'lots' WHERE id = {FIRST_ITEM};"), "lots");
}

/// Defect 1 of #18: fails until the board reads every column defensively.
pub fn row_real_in_an_integer_column() {
    a_bad_row("UPDATE sprint SET capacity = 2.5 WHERE number = 1;", "2.5");
}

/// Defect 1 of #18.
pub fn row_real_sprint_number() {
    a_bad_row("UPDATE sprint SET number = 6.5 WHERE number = 6;", "6.5");
}

/// Defect 1 of #18.
pub fn row_check_in_date_not_a_date() {
    a_bad_row("UPDATE check_in SET date = 'yesterday' WHERE id = (SELECT min(id) FROM check_in);", "yesterday");
}

/// Defect 1 of #18.
pub fn row_sprint_date_impossible() {
    a_bad_row("UPDATE sprint SET start_date = '2026-13-45' WHERE number = 6;", "2026-13-45");
}
