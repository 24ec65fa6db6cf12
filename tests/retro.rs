//! The retro: a sprint's notes in three lists (went well, to
//! improve, OKR reflection), added, edited, reordered and deleted from the
//! review, each one undo step; a "to improve" note becomes a backlog item
//! with one key. Store tests on a temporary file first, then keys in and
//! the file and the screen out.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, clear_field, demo_store, key, keys, render, select_sprint};
use quarterdeck::{
    app::{App, Overlay},
    domain::{Id, retro::RetroList},
    store::{NoteToItem, Store},
};
use ratatui::crossterm::event::KeyCode;
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
    let mut store = demo_without_notes(&path);
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
    let mut store = demo_without_notes(&path);
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
    let mut store = demo_without_notes(&path);
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
    let mut store = demo_without_notes(&path);
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
    let mut store = demo_without_notes(&path);
    let note = store.add_retro_note(sprint_id(&path, 2), RetroList::WentWell, "Gone soon", "add").unwrap();
    Connection::open(&path).unwrap().execute("DELETE FROM retro_note", []).unwrap();
    assert!(store.edit_retro_note(note, "x", "edit").is_err());
    assert!(store.move_retro_note(note, true, "up").is_err());
    assert!(store.retro_note_to_item(note, |_| String::new()).is_err());
    assert!(store.delete_retro_note(note, "delete").is_err());
    assert!(rows(&path).is_empty());
}

/// The demo board without the retro notes its story brings, so that each
/// test starts from empty lists.
fn demo_without_notes(path: &std::path::Path) -> quarterdeck::store::Store {
    let store = demo_store(path);
    Connection::open(path).unwrap().execute("DELETE FROM retro_note", []).unwrap();
    store
}

/// The review of sprint `number` at `width` x `height`.
fn review(path: &std::path::Path, number: u32, width: u16, height: u16) -> App {
    let mut app = app_at(path, width, height);
    select_sprint(&mut app, number);
    keys(&mut app, "r");
    assert!(app.review().is_some(), "{}", render(&app));
    app
}

/// Types `text` into the open note form and saves it.
fn type_note(app: &mut App, text: &str) {
    assert!(matches!(app.overlays.last(), Some(Overlay::Form(_))), "a note form:\n{}", render(app));
    keys(app, text);
    key(app, KeyCode::Enter);
}

fn file_notes(path: &std::path::Path) -> Vec<(String, String)> {
    rows(path).into_iter().map(|(list, _, text)| (list, text)).collect()
}

#[test]
fn the_retro_is_written_from_the_review_with_keys_and_each_change_is_undone_alone() {
    let (_dir, path) = board_path();
    drop(demo_without_notes(&path));
    let mut app = review(&path, 3, 80, 24);
    // The cursor starts on "went well": a adds there, and the review
    // scrolls down to show it.
    keys(&mut app, "a");
    type_note(&mut app, "CDN work paired well");
    let screen = render(&app);
    assert!(screen.contains("Went well") && screen.contains("▸ 1. CDN work paired well"), "{screen}");
    // j: the empty "to improve" slot; two notes there.
    keys(&mut app, "ja");
    type_note(&mut app, "Deploys need a manual step");
    keys(&mut app, "a");
    type_note(&mut app, "Reviews wait a day");
    assert_eq!(
        file_notes(&path),
        [
            ("to_improve".into(), "Deploys need a manual step".into()),
            ("to_improve".into(), "Reviews wait a day".into()),
            ("went_well".into(), "CDN work paired well".into()),
        ]
    );
    // K moves the selected note up its list.
    keys(&mut app, "K");
    let screen = render(&app);
    assert!(screen.contains("▸ 1. Reviews wait a day") && screen.contains("  2. Deploys need a manual step"), "{screen}");
    assert_eq!(rows(&path)[0], ("to_improve".into(), 1, "Reviews wait a day".into()));
    // e edits it in a one-field form.
    keys(&mut app, "e");
    clear_field(&mut app);
    type_note(&mut app, "Reviews wait two days");
    assert!(render(&app).contains("▸ 1. Reviews wait two days"), "{}", render(&app));
    // u takes back the edit alone, then the move alone.
    keys(&mut app, "u");
    assert!(render(&app).contains("▸ 1. Reviews wait a day"), "undo shows on the review:\n{}", render(&app));
    keys(&mut app, "u");
    assert!(render(&app).contains("  1. Deploys need a manual step"), "{}", render(&app));
    assert_eq!(rows(&path)[0].2, "Deploys need a manual step");
    // d asks, naming the note; y deletes; u brings it back.
    keys(&mut app, "d");
    let Some(Overlay::Confirm(confirm)) = app.overlays.last() else { panic!("a question:\n{}", render(&app)) };
    assert!(confirm.question.contains("Reviews wait a day"), "{}", confirm.question);
    keys(&mut app, "y");
    assert_eq!(file_notes(&path).len(), 2);
    assert!(!render(&app).contains(". Reviews wait a day"), "{}", render(&app));
    keys(&mut app, "u");
    assert_eq!(file_notes(&path).len(), 3);
    // The notes are the sprint's: they are there when its review opens again.
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "r");
    keys(&mut app, "G");
    assert!(render(&app).contains("Reviews wait a day"), "{}", render(&app));
}

#[test]
fn b_turns_a_note_to_improve_into_a_backlog_item_in_one_undo_step() {
    let (_dir, path) = board_path();
    drop(demo_without_notes(&path));
    let mut app = review(&path, 3, 160, 48);
    let items = item_count(&path);
    // b on a "went well" note makes nothing.
    keys(&mut app, "a");
    type_note(&mut app, "Good pairing");
    keys(&mut app, "b");
    assert!(render(&app).contains("Only a 'to improve' note becomes a backlog item"), "{}", render(&app));
    assert_eq!(item_count(&path), items);

    keys(&mut app, "ja");
    type_note(&mut app, "Automate the release notes");
    keys(&mut app, "b");
    let item: Id = Connection::open(&path).unwrap().query_row("SELECT max(id) FROM item", [], |row| row.get(0)).unwrap();
    assert_eq!(item_count(&path), items + 1);
    let screen = render(&app);
    assert!(screen.contains(&format!("▸ 1. Automate the release notes (became item #{item})")), "{screen}");
    assert!(screen.contains(&format!("is now backlog item #{item}, at the bottom")), "{screen}");
    // Twice makes no second item.
    keys(&mut app, "b");
    assert!(render(&app).contains(&format!("became item #{item} already")), "{}", render(&app));
    assert_eq!(item_count(&path), items + 1);
    // The item is at the bottom of the backlog.
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "3G");
    assert_eq!(app.backlog.selected_row().map(|row| row.title.clone()).as_deref(), Some("Automate the release notes"));
    // One undo takes back the item and the mark.
    keys(&mut app, "2r");
    keys(&mut app, "u");
    assert_eq!(item_count(&path), items);
    let screen = render(&app);
    assert!(screen.contains("1. Automate the release notes") && !screen.contains("(became item"), "{screen}");
    assert_eq!(file_notes(&path)[0], ("to_improve".into(), "Automate the release notes".into()));
}

#[test]
fn at_80x24_j_reads_down_the_review_to_the_notes_and_the_page_keys_scroll() {
    let (_dir, path) = board_path();
    drop(demo_without_notes(&path));
    let mut app = review(&path, 2, 80, 24);
    assert!(render(&app).contains("Output: what did we deliver?"));
    assert!(!render(&app).contains("▸"), "the first note's slot is below the view:\n{}", render(&app));
    // j scrolls line by line until the selected slot shows...
    let mut presses = 0;
    while !render(&app).contains("▸") {
        keys(&mut app, "j");
        presses += 1;
        assert!(presses < 40, "the retro never came into view:\n{}", render(&app));
    }
    assert!(presses > 1, "j scrolled to it");
    let screen = render(&app);
    assert!(screen.contains("Outcome: what impact did it have?") && screen.contains("Retro"), "{screen}");
    assert!(screen.contains("▸    (none yet: a adds one)"), "{screen}");
    // ...then selects the next slot, in view.
    keys(&mut app, "jj");
    let screen = render(&app);
    let selected = screen.lines().position(|line| line.contains("▸")).unwrap();
    assert!(screen.lines().nth(selected - 1).unwrap().contains("OKR reflection"), "{screen}");
    // The page keys scroll the whole review; k past the first note too.
    key(&mut app, KeyCode::PageUp);
    key(&mut app, KeyCode::PageUp);
    assert!(render(&app).contains("Output: what did we deliver?"), "{}", render(&app));
    keys(&mut app, "G");
    assert!(render(&app).contains("▸"), "G shows the last note:\n{}", render(&app));
    keys(&mut app, "g");
    assert!(render(&app).contains("Output: what did we deliver?") && !render(&app).contains("▸"), "{}", render(&app));
}

#[test]
fn a_note_form_follows_another_windows_edit_of_its_note() {
    let (_dir, path) = board_path();
    drop(demo_without_notes(&path));
    let mut app = review(&path, 3, 80, 24);
    keys(&mut app, "a");
    type_note(&mut app, "Standups ran long");
    keys(&mut app, "e");
    Connection::open(&path).unwrap().execute("UPDATE retro_note SET text = 'Standups ran over'", []).unwrap();
    app.poll_external_changes().unwrap();
    let Some(Overlay::Form(form)) = app.overlays.last() else { panic!("{}", render(&app)) };
    assert_eq!(form.fields[0].input.value(), "Standups ran over", "an untouched field takes the new text");
    // Saving it unchanged writes nothing over the other window's text.
    key(&mut app, KeyCode::Enter);
    assert_eq!(rows(&path)[0].2, "Standups ran over");
}
