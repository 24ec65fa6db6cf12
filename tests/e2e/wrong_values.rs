//! #18 defect 1 on the board and the presentation: a board holding one
//! value of the wrong kind opens, names it, and opening, looking and
//! quitting leaves the file (and its folder) byte-for-byte as it was.

use super::{BIN, Session, board_path, folder_files, quarterdeck};

/// The issue's six reproductions, each with what the status line shows.
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
        // With room, the value is named and the note says what repairs it.
        session.wait_for(&format!("; run `quarterdeck --db {} doctor` to repair", board.display()));
        session.press("q");
        assert!(session.wait_exit().success(), "{sql}");
        assert!(folder_files(dir.path()) == before, "{sql}: the folder changed");
    }
}

/// At 80 columns the note of cleaned values does not fit the status line:
/// it is the count and what to do, never a cut line of details (the trial
/// read "2 values shown cleaned: sprint S2: start_date = '2026-13-45' (not a
/// day), show…", naming neither doctor nor what to do); `quarterdeck
/// doctor` names each value.
#[test]
fn at_80_columns_the_note_of_cleaned_values_counts_them_and_names_doctor() {
    let sql = "UPDATE sprint SET start_date = '2026-13-45', end_date = '2026-13-99' WHERE number = 2";
    let (_dir, board) = spoiled_board(sql);
    let home = tempfile::tempdir().unwrap();
    let mut session = Session::start(&board, home.path(), 80, 24);
    // The board's path does not fit beside the count: FILE stands for it.
    session.wait_for("2 values shown cleaned: `quarterdeck --db FILE doctor` repairs them");
    let screen = session.contents();
    let status = screen.lines().find(|line| line.contains("shown cleaned")).unwrap_or_default();
    assert!(!status.contains('…'), "the note is whole: {status}");
    session.press("q");
    assert!(session.wait_exit().success());
    let doctor = quarterdeck(&board, &["doctor"]);
    let said = String::from_utf8_lossy(&doctor.stdout);
    assert!(said.contains("start_date = '2026-13-45'") && said.contains("end_date = '2026-13-99'"), "{said}");
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

/// On a terminal, `doctor` asks; `y` repairs, and `u` on the board takes
/// the repair back as the user's newest change.
#[test]
fn doctor_asks_on_a_terminal_and_the_board_undoes_its_repair() {
    let (sql, named) = CASES[0];
    let (_dir, board) = spoiled_board(sql);
    let home = tempfile::tempdir().unwrap();
    let mut asked = Session::launch(&[BIN, "doctor"], &board, home.path(), 160, 24, &[]);
    asked.wait_for("Repair this value? [y/N]");
    asked.press("n\r");
    asked.wait_for("Nothing changed.");
    assert_eq!(asked.wait_exit().exit_code(), 1, "answered no: nothing repaired");
    assert_eq!(quarterdeck(&board, &["doctor"]).status.code(), Some(1), "still there");

    let mut asked = Session::launch(&[BIN, "doctor"], &board, home.path(), 160, 24, &[]);
    asked.wait_for("Repair this value? [y/N]");
    asked.press("y\r");
    asked.wait_for("Repaired 1 value");
    assert!(asked.wait_exit().success());
    assert_eq!(quarterdeck(&board, &["doctor"]).status.code(), Some(0), "repaired");

    let mut session = Session::start(&board, home.path(), 200, 40);
    session.wait_for("Backlog");
    session.press("u");
    session.wait_for("Repair wrong values");
    session.press("q");
    assert!(session.wait_exit().success());
    let listed = quarterdeck(&board, &["doctor"]);
    assert!(String::from_utf8_lossy(&listed.stdout).contains(named), "the board's undo brought it back");
}

/// A board that cannot be written here is listed, and left as it was.
#[test]
fn doctor_on_a_read_only_board_lists_and_repairs_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, board) = spoiled_board(CASES[0].0);
    std::fs::set_permissions(&board, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = folder_files(dir.path());
    let argv: &[&str] =
        if super::runs_as_root() { &["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", BIN] } else { &[BIN] };
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let output = std::process::Command::new(argv[0])
        .args(&argv[1..])
        .args(["doctor", "--yes"])
        .env("QUARTERDECK_DB", &board)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{said}{}", String::from_utf8_lossy(&output.stderr));
    assert!(said.contains(CASES[0].1), "{said}");
    assert!(said.contains("cannot be written here: nothing repaired"), "{said}");
    // The board came from QUARTERDECK_DB; the command names it all the same.
    let again = format!("then run `quarterdeck --db {} doctor --yes` again", board.display());
    assert!(said.contains("Fix the file's permissions (or run as its owner), ") && said.contains(&again), "{said}");
    assert!(folder_files(dir.path()) == before, "the folder changed");
}
