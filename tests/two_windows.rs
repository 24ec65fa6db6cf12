//! Two boards open on one file, as two windows are: each acts on the file
//! as it is when it writes, so neither undoes what the other did. Two
//! `App`s on one path are two connections, as two processes have; the
//! end-to-end tests run two real processes too.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, clear_field, demo_store, key, keys, render, select_item, select_okr};
use quarterdeck::app::Overlay;
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

const ITEM: &str = "Lazy-load payment provider scripts";

fn item(path: &std::path::Path, title: &str) -> (String, i64, String, Option<String>) {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT title, points, state, done_on FROM item WHERE title = ?1", [title], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
}

fn tags(path: &std::path::Path, title: &str) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut statement = conn
        .prepare(
            "SELECT 'KR' || o.position || '.' || k.position FROM item_kr t
             JOIN key_result k ON k.id = t.key_result_id JOIN objective o ON o.id = k.objective_id
             JOIN item i ON i.id = t.item_id WHERE i.title = ?1 ORDER BY o.position, k.position",
        )
        .unwrap();
    statement.query_map([title], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// `title`'s tags become exactly `codes`, written by "another program".
fn tag_by_sql(path: &std::path::Path, title: &str, codes: &[&str]) {
    let conn = Connection::open(path).unwrap();
    conn.execute("DELETE FROM item_kr WHERE item_id = (SELECT id FROM item WHERE title = ?1)", [title]).unwrap();
    for code in codes {
        conn.execute(
            "INSERT INTO item_kr (item_id, key_result_id, rank, points)
             SELECT i.id, k.id, i.rank, i.points FROM item i, key_result k JOIN objective o ON o.id = k.objective_id
             WHERE i.title = ?1 AND 'KR' || o.position || '.' || k.position = ?2",
            [title, code],
        )
        .unwrap();
    }
}

#[test]
fn a_form_saves_only_what_its_user_changed() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let (mut a, mut b) = (app_at(&path, 160, 48), app_at(&path, 160, 48));
    select_item(&mut a, ITEM);
    keys(&mut a, "e");

    select_item(&mut b, ITEM);
    keys(&mut b, "e");
    key(&mut b, KeyCode::Tab);
    clear_field(&mut b);
    keys(&mut b, "13");
    key(&mut b, KeyCode::Enter);
    assert_eq!(item(&path, ITEM).1, 13);

    // A's next key notices B's write: the untouched points follow the file.
    key(&mut a, KeyCode::End);
    let screen = render(&a);
    assert!(screen.contains("Changed elsewhere, and updated here: Points"), "{screen}");
    clear_field(&mut a);
    keys(&mut a, "Lazy-load the payment scripts");
    key(&mut a, KeyCode::Enter);
    let (title, points, ..) = item(&path, "Lazy-load the payment scripts");
    assert_eq!((title.as_str(), points), ("Lazy-load the payment scripts", 13), "B's points survive A's save");
}

#[test]
fn a_field_both_windows_changed_is_named_and_the_users_edit_is_kept() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut a = app_at(&path, 160, 48);
    select_item(&mut a, ITEM);
    keys(&mut a, "e");
    key(&mut a, KeyCode::Tab);
    clear_field(&mut a);
    keys(&mut a, "8");
    Connection::open(&path).unwrap().execute("UPDATE item SET points = 13 WHERE title = ?1", [ITEM]).unwrap();
    key(&mut a, KeyCode::End);
    let screen = render(&a);
    assert!(screen.contains("Changed elsewhere: Points (now 13)"), "{screen}");
    let Some(Overlay::Form(form)) = a.overlays.last() else { panic!("the form stays open") };
    assert_eq!(form.fields[1].input.value(), "8", "the user's own edit is kept");
    key(&mut a, KeyCode::Enter);
    assert_eq!(item(&path, ITEM).1, 8, "saving writes the user's value, knowingly");
}

#[test]
fn a_form_whose_item_was_deleted_elsewhere_says_so_and_writes_nothing() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut a = app_at(&path, 160, 48);
    select_item(&mut a, ITEM);
    keys(&mut a, "e");
    Connection::open(&path).unwrap().execute("DELETE FROM item WHERE title = ?1", [ITEM]).unwrap();
    keys(&mut a, "x");
    assert!(render(&a).contains("Deleted elsewhere"), "{}", render(&a));
    key(&mut a, KeyCode::Enter);
    let screen = render(&a);
    assert!(screen.contains("deleted in another window meanwhile; nothing was written"), "{screen}");
    let count: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM item WHERE title LIKE 'Lazy%'", [], |row| row.get(0))
        .unwrap();
    assert_eq!(count, 0, "nothing came back");
}

#[test]
fn tags_change_as_a_difference_from_the_file() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    tag_by_sql(&path, ITEM, &["KR1.2"]);
    let mut a = app_at(&path, 160, 48);
    select_item(&mut a, ITEM);
    keys(&mut a, "t");
    // Meanwhile another window tags it KR3.1.
    tag_by_sql(&path, ITEM, &["KR1.2", "KR3.1"]);
    // A ticks KR1.1 (the first choice) and saves.
    keys(&mut a, " ");
    key(&mut a, KeyCode::Enter);
    assert_eq!(tags(&path, ITEM), ["KR1.1", "KR1.2", "KR3.1"], "A added its tag; B's stays");
}

#[test]
fn a_state_step_starts_from_the_state_in_the_file() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let (mut a, mut b) = (app_at(&path, 160, 48), app_at(&path, 160, 48));
    select_item(&mut b, ITEM);
    select_item(&mut a, ITEM);
    keys(&mut a, "ss");
    let done = item(&path, ITEM);
    assert_eq!(done.2, "done");
    // B last drew the item as todo; its s must not take it back to doing.
    keys(&mut b, "s");
    assert_eq!(item(&path, ITEM), done, "state and done date stay");
    assert!(render(&b).contains("Already done"), "{}", render(&b));
}

#[test]
fn a_board_in_use_sees_another_windows_writes_at_its_next_key() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut a = app_at(&path, 160, 48);
    select_item(&mut a, ITEM);
    Connection::open(&path).unwrap().execute("UPDATE item SET title = 'Renamed elsewhere' WHERE title = ?1", [ITEM]).unwrap();
    keys(&mut a, "k");
    assert!(render(&a).contains("Renamed elsewhere"), "{}", render(&a));
}

/// Bulk tagging shows each KR as on all, some or none of the marked items
/// and writes only what the user toggled.
#[test]
fn bulk_tagging_keeps_the_tags_the_user_did_not_touch() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let second = "Upgrade the web framework's patch release";
    // Two neighbours: the first above the second in the demo's backlog.
    let first = "A/B test checkout button copy";
    tag_by_sql(&path, first, &["KR1.1", "KR1.2"]);
    tag_by_sql(&path, second, &["KR1.1"]);
    let mut app = app_at(&path, 160, 48);
    select_item(&mut app, first);
    keys(&mut app, "vjt");
    let screen = render(&app);
    assert!(screen.contains("[x] KR1.1") && screen.contains("[~] KR1.2"), "all / some of the marked items:\n{screen}");
    // Down to KR3.1 (KR1.1 1.2 1.3 2.1 2.2 3.1) and tick it.
    keys(&mut app, "jjjjj ");
    key(&mut app, KeyCode::Enter);
    assert_eq!(tags(&path, first), ["KR1.1", "KR1.2", "KR3.1"], "the first keeps KR1.2");
    assert_eq!(tags(&path, second), ["KR1.1", "KR3.1"]);
    let screen = render(&app);
    assert!(screen.contains("2 marked items: tagged with KR3.1; their other tags stay"), "{screen}");
}

#[test]
fn plan_forms_save_only_their_changed_fields_too() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut a = app_at(&path, 160, 48);
    // The KR form: A renames KR1.1 while another window checks in a confidence.
    select_okr(&mut a, "KR1.1");
    keys(&mut a, "e");
    let conn = Connection::open(&path).unwrap();
    conn.execute("UPDATE key_result SET confidence = 90 WHERE position = 1 AND objective_id = 1", []).unwrap();
    clear_field(&mut a);
    keys(&mut a, "Checkout conversion rate");
    key(&mut a, KeyCode::Enter);
    let kr: (String, i64) = conn
        .query_row("SELECT title, confidence FROM key_result WHERE position = 1 AND objective_id = 1", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!(kr, ("Checkout conversion rate".to_owned(), 90));

    // The sprint form: A sets a goal while another window sets the capacity.
    keys(&mut a, "2ge");
    conn.execute("UPDATE sprint SET capacity = 7 WHERE number = 1", []).unwrap();
    clear_field(&mut a);
    keys(&mut a, "Cards are stored safely");
    key(&mut a, KeyCode::Enter);
    let sprint: (String, i64) =
        conn.query_row("SELECT goal, capacity FROM sprint WHERE number = 1", [], |row| Ok((row.get(0)?, row.get(1)?))).unwrap();
    assert_eq!(sprint, ("Cards are stored safely".to_owned(), 7));
}

/// `u` in one window never silently takes back another window's step: it
/// names the step and whose it is, and asks.
#[test]
fn undo_in_one_window_asks_before_taking_back_anothers_step() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    Connection::open(&path).unwrap().execute("UPDATE item SET state = 'todo' WHERE title = ?1", [ITEM]).unwrap();
    let (mut a, mut b) = (app_at(&path, 160, 48), app_at(&path, 160, 48));
    select_item(&mut a, ITEM);
    keys(&mut a, "ss");
    assert_eq!(item(&path, ITEM).2, "done");

    keys(&mut b, "u");
    let screen = render(&b);
    assert!(screen.contains("Nothing of this window's to undo") && screen.contains("is now done"), "{screen}");
    keys(&mut b, "n");
    assert_eq!(item(&path, ITEM).2, "done", "no means no");
    assert!(render(&b).contains("Nothing was undone"));

    keys(&mut b, "uy");
    assert_eq!(item(&path, ITEM).2, "doing", "yes undoes A's newest step");
    keys(&mut a, "u");
    assert_eq!(item(&path, ITEM).2, "todo", "A's own undo takes its remaining step:\n{}", render(&a));
}

/// One item's picker, saved after another window tagged the item: the
/// status says what the item has now, the other window's tag too, not only
/// the user's ticks (#18).
#[test]
fn a_tag_picker_saved_over_another_windows_tag_says_what_the_item_has_now() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let title = "A/B test checkout button copy";
    tag_by_sql(&path, title, &["KR1.1"]);
    let mut app = app_at(&path, 160, 48);
    select_item(&mut app, title);
    keys(&mut app, "t");
    // Meanwhile another window tags it with KR3.1.
    tag_by_sql(&path, title, &["KR1.1", "KR3.1"]);
    // The user ticks KR1.2 (the second KR) and saves.
    keys(&mut app, "j ");
    key(&mut app, KeyCode::Enter);
    assert_eq!(tags(&path, title), ["KR1.1", "KR1.2", "KR3.1"], "the other window's tag stays");
    let screen = render(&app);
    assert!(screen.contains("Tagged 'A/B test checkout button copy' with KR1.1, KR1.2, KR3.1"), "{screen}");
}
