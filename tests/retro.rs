//! The retro: a sprint's notes in three lists (went well, to
//! improve, OKR reflection), added, edited, reordered and deleted from the
//! review, each one undo step; a "to improve" note becomes a backlog item
//! with one key. Store tests on a temporary file first, then keys in and
//! the file and the screen out.

#![allow(clippy::unwrap_used)]

mod common;

use common::{board_path, demo_store};
use quarterdeck::{
    domain::{Id, retro::RetroList},
    store::{NoteToItem, Store},
};
use rusqlite::Connection;

fn sprint_id(path: &std::path::Path, number: u32) -> Id {
    Connection::open(path).unwrap().query_row("SELECT id FROM sprint WHERE number = ?1", [number], |row| row.get(0)).unwrap()
}

/// The notes of `list` as the file has them, in order.
fn texts(store: &Store, sprint: Id, list: RetroList) -> Vec<String> {
    store.retro_notes(sprint).unwrap().into_iter().filter(|note| note.list == list).map(|note| note.text).collect()
}

/// The file's notes as (list, position, text), in the file's order.
fn rows(path: &std::path::Path) -> Vec<(String, i64, String)> {
    Connection::open(path)
        .unwrap()
        .prepare("SELECT category, position, text FROM retro_note ORDER BY category, position")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn item_count(path: &std::path::Path) -> i64 {
    Connection::open(path).unwrap().query_row("SELECT count(*) FROM item", [], |row| row.get(0)).unwrap()
}

#[test]
fn notes_are_added_to_the_end_of_their_list_and_each_add_is_undone_alone() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let sprint = sprint_id(&path, 2);
    store.add_retro_note(sprint, RetroList::WentWell, "Pairing on checkout", "add 1").unwrap();
    store.add_retro_note(sprint, RetroList::ToImprove, "Deploys are slow", "add 2").unwrap();
    store.add_retro_note(sprint, RetroList::WentWell, "Demo went smoothly", "add 3").unwrap();
    let notes = store.retro_notes(sprint).unwrap();
    let order: Vec<(RetroList, &str)> = notes.iter().map(|note| (note.list, note.text.as_str())).collect();
    assert_eq!(
        order,
        [
            (RetroList::WentWell, "Pairing on checkout"),
            (RetroList::WentWell, "Demo went smoothly"),
            (RetroList::ToImprove, "Deploys are slow"),
        ]
    );
    assert!(store.retro_notes(sprint_id(&path, 3)).unwrap().is_empty(), "notes belong to their sprint");
    assert_eq!(store.undo().unwrap().as_deref(), Some("add 3"));
    assert_eq!(texts(&store, sprint, RetroList::WentWell), ["Pairing on checkout"]);
    assert_eq!(texts(&store, sprint, RetroList::ToImprove), ["Deploys are slow"]);
}

#[test]
fn a_note_is_edited_moved_and_deleted_and_undo_takes_back_each() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let sprint = sprint_id(&path, 2);
    let first = store.add_retro_note(sprint, RetroList::ToImprove, "Flaky tests", "add").unwrap();
    let second = store.add_retro_note(sprint, RetroList::ToImprove, "Slow reviews", "add").unwrap();
    let third = store.add_retro_note(sprint, RetroList::ToImprove, "Late demo prep", "add").unwrap();

    store.edit_retro_note(second, "Reviews wait a day", "edit").unwrap();
    assert_eq!(texts(&store, sprint, RetroList::ToImprove), ["Flaky tests", "Reviews wait a day", "Late demo prep"]);
    store.undo().unwrap();
    assert_eq!(texts(&store, sprint, RetroList::ToImprove), ["Flaky tests", "Slow reviews", "Late demo prep"]);

    assert!(store.move_retro_note(third, true, "up").unwrap());
    assert_eq!(texts(&store, sprint, RetroList::ToImprove), ["Flaky tests", "Late demo prep", "Slow reviews"]);
    assert!(!store.move_retro_note(first, true, "up").unwrap(), "the first note goes no higher");
    assert!(!store.move_retro_note(second, false, "down").unwrap(), "the last goes no lower");
    assert_eq!(store.undo().unwrap().as_deref(), Some("up"), "a move at an end is no step");
    assert_eq!(texts(&store, sprint, RetroList::ToImprove), ["Flaky tests", "Slow reviews", "Late demo prep"]);

    store.delete_retro_note(first, "delete").unwrap();
    assert_eq!(texts(&store, sprint, RetroList::ToImprove), ["Slow reviews", "Late demo prep"]);
    store.undo().unwrap();
    assert_eq!(texts(&store, sprint, RetroList::ToImprove), ["Flaky tests", "Slow reviews", "Late demo prep"]);
    assert_eq!(store.redo().unwrap().as_deref(), Some("delete"));
    assert_eq!(texts(&store, sprint, RetroList::ToImprove), ["Slow reviews", "Late demo prep"]);
}

#[test]
fn a_move_orders_the_list_as_the_file_has_it() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let sprint = sprint_id(&path, 2);
    let a = store.add_retro_note(sprint, RetroList::WentWell, "A", "add").unwrap();
    store.add_retro_note(sprint, RetroList::WentWell, "B", "add").unwrap();
    store.add_retro_note(sprint, RetroList::WentWell, "C", "add").unwrap();
    // Another program left two notes on one position: the move still
    // swaps neighbours, and leaves the list numbered 1, 2, 3.
    Connection::open(&path).unwrap().execute("UPDATE retro_note SET position = 1 WHERE text = 'B'", []).unwrap();
    assert_eq!(texts(&store, sprint, RetroList::WentWell), ["A", "B", "C"]);
    assert!(store.move_retro_note(a, false, "down").unwrap());
    assert_eq!(texts(&store, sprint, RetroList::WentWell), ["B", "A", "C"]);
    let positions: Vec<i64> = rows(&path).into_iter().map(|(_, position, _)| position).collect();
    assert_eq!(positions, [1, 2, 3]);
}

#[test]
fn a_note_to_improve_becomes_an_item_at_the_bottom_in_one_step() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let sprint = sprint_id(&path, 2);
    let note = store.add_retro_note(sprint, RetroList::ToImprove, "Make deploys one click", "add").unwrap();
    let well = store.add_retro_note(sprint, RetroList::WentWell, "Pairing", "add").unwrap();
    let items = item_count(&path);

    let made = store.retro_note_to_item(note, |item| format!("made #{item}")).unwrap();
    let NoteToItem::Made(item) = made else { panic!("{made:?}") };
    assert_eq!(item_count(&path), items + 1);
    let conn = Connection::open(&path).unwrap();
    let (title, kind, points, sprint_of, last): (String, String, i64, Option<Id>, bool) = conn
        .query_row(
            "SELECT title, kind, points, sprint_id, rank = (SELECT max(rank) FROM item) FROM item WHERE id = ?1",
            [item],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
        )
        .unwrap();
    assert_eq!((title.as_str(), kind.as_str(), points, sprint_of, last), ("Make deploys one click", "chore", 0, None, true));
    let marked = store.retro_notes(sprint).unwrap().into_iter().find(|n| n.id == note).unwrap();
    assert_eq!(marked.text, format!("Make deploys one click (became item #{item})"));
    assert_eq!(marked.became_item(), Some(item));

    // Twice is refused, as is a note of another list; neither writes.
    assert_eq!(store.retro_note_to_item(note, |_| String::new()).unwrap(), NoteToItem::Already(item));
    assert_eq!(store.retro_note_to_item(well, |_| String::new()).unwrap(), NoteToItem::NotToImprove);
    assert_eq!(item_count(&path), items + 1);

    // One undo step takes back the item and the mark together.
    assert_eq!(store.undo().unwrap(), Some(format!("made #{item}")));
    assert_eq!(item_count(&path), items);
    assert_eq!(texts(&store, sprint, RetroList::ToImprove), ["Make deploys one click"]);
}

#[test]
fn a_note_deleted_elsewhere_is_an_error_that_writes_nothing() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let note = store.add_retro_note(sprint_id(&path, 2), RetroList::WentWell, "Gone soon", "add").unwrap();
    Connection::open(&path).unwrap().execute("DELETE FROM retro_note", []).unwrap();
    assert!(store.edit_retro_note(note, "x", "edit").is_err());
    assert!(store.move_retro_note(note, true, "up").is_err());
    assert!(store.retro_note_to_item(note, |_| String::new()).is_err());
    assert!(store.delete_retro_note(note, "delete").is_err());
    assert!(rows(&path).is_empty());
}
