//! Two real boards, two processes, one file: what one writes, the other
//! neither undoes nor overwrites.

use rusqlite::Connection;

use super::{Session, board_path, quarterdeck};

const ITEM: &str = "Lazy-load payment provider scripts";

fn item(board: &std::path::Path) -> (String, i64, String) {
    Connection::open(board)
        .unwrap()
        .query_row("SELECT title, points, state FROM item WHERE id = 10", [], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
}

/// Selects the demo's item by its title through search, then keeps it.
fn select(session: &mut Session) {
    session.press("3/Lazy-load");
    session.press("\r");
    session.wait_for("1/1");
}

#[test]
fn two_boards_on_one_file_keep_each_others_changes() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let mut a = Session::start(&board, dir.path(), 160, 48);
    let mut b = Session::start(&board, dir.path(), 160, 48);
    a.wait_for("Sprint 3 of 6");
    b.wait_for("Sprint 3 of 6");
    select(&mut a);
    select(&mut b);

    // A opens the item's form; B sets its points to 13 and saves.
    a.press("e");
    a.wait_for("Edit item #10");
    b.press("e");
    b.wait_for("Edit item #10");
    b.press("\t\x15"); // tab to Points, ctrl-u empties it
    b.press("13\r");
    b.wait_for("Saved 'Lazy-load payment provider scripts'");
    assert_eq!(item(&board).1, 13);

    // A renames it: B's points stay.
    a.press("\x15");
    a.press("Lazy-load the payment scripts\r");
    a.wait_for("Saved 'Lazy-load the payment scripts'");
    assert_eq!(item(&board), ("Lazy-load the payment scripts".into(), 13, "doing".into()), "nothing B wrote is lost");

    // B marks it done; A, which last drew it as doing, steps it on: it stays done.
    b.press("s");
    b.wait_for("is now done");
    a.press("s");
    a.wait_for("Already done");
    assert_eq!(item(&board).2, "done");

    // Undo in A takes back A's rename only, never B's change.
    a.press("u");
    // (The undo names the step as the command layer recorded it.)
    a.wait_for("Undid: Edited #");
    assert_eq!(item(&board), (ITEM.into(), 13, "done".into()));
    a.press("u");
    a.wait_for("Nothing of this window's to undo");
    a.press("n");
    a.wait_for("Nothing was undone");
    assert_eq!(item(&board).2, "done", "B's step stays until someone says yes");
    a.press("q");
    b.press("q");
    assert!(a.wait_exit().success() && b.wait_exit().success());
}
