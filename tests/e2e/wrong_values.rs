//! #18 defect 1 on the board and the presentation: a board holding one
//! value of the wrong kind opens, names it, and opening, looking and
//! quitting leaves the file (and its folder) byte-for-byte as it was.

use super::{BIN, Session, board_path, folder_files, quarterdeck};

/// The six reproductions, each with what the status line shows.
const CASES: &[(&str, &str)] = &[
    ("UPDATE sprint SET capacity = 2.5 WHERE number = 3", "capacity = 2.5 (a fraction), shown as 3"),
    ("UPDATE sprint SET number = 6.5 WHERE number = 1", "number = 6.5 (a fraction), shown as 7"),
    ("UPDATE objective SET position = 2.5 WHERE position = 1", "position = 2.5 (a fraction), shown as 3"),
    ("UPDATE check_in SET date = 'yesterday' WHERE id = (SELECT max(id) FROM check_in)", "date = 'yesterday' (not a day)"),
    ("UPDATE sprint SET start_date = '2026-13-45' WHERE number = 6", "start_date = '2026-13-45' (not a day)"),
    ("UPDATE quarter SET start_date = 'not a date'", "start_date = 'not a date' (not a day)"),
];

fn spoiled_board(sql: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let conn = rusqlite::Connection::open(&board).unwrap();
    conn.execute_batch(sql).unwrap();
    // Leave the folder as a user's would be between runs: no -wal, no -shm.
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    drop(conn);
    (dir, board)
}

#[test]
fn the_board_opens_a_wrong_value_names_it_and_quits_without_writing() {
    for (sql, named) in CASES {
        let (dir, board) = spoiled_board(sql);
        let home = tempfile::tempdir().unwrap();
        let before = folder_files(dir.path());
        let mut session = Session::start(&board, home.path(), 240, 40);
        session.wait_for(named);
        session.press("q");
        assert!(session.wait_exit().success(), "{sql}");
        assert!(folder_files(dir.path()) == before, "{sql}: the folder changed");
    }
}

#[test]
fn the_presentation_opens_a_wrong_value_and_leaves_the_file_as_it_was() {
    for (sql, _) in CASES {
        let (dir, board) = spoiled_board(sql);
        let home = tempfile::tempdir().unwrap();
        let before = folder_files(dir.path());
        let mut session = Session::launch(&[BIN, "present"], &board, home.path(), 160, 48, &[]);
        session.wait_for("Board · ");
        session.press("q");
        assert!(session.wait_exit().success(), "{sql}");
        assert!(folder_files(dir.path()) == before, "{sql}: the folder changed");
    }
}
