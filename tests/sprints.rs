//! Sprints that start and close: the commitment recorded at the start,
//! scope change, carry-over, and a frozen record that never changes after
//! the close, whatever happens to its items. Store level, on real files.

#![allow(clippy::unwrap_used)]

mod common;

use common::{board_path, demo_store, today};
use quarterdeck::{
    domain::{
        ItemState,
        review::{Outcome, output},
    },
    store::{CarryTo, Store},
};
use rusqlite::Connection;

fn sprint_id(path: &std::path::Path, number: u32) -> i64 {
    Connection::open(path).unwrap().query_row("SELECT id FROM sprint WHERE number = ?1", [number], |row| row.get(0)).unwrap()
}

fn sprint_of(path: &std::path::Path, item: i64) -> Option<i64> {
    Connection::open(path).unwrap().query_row("SELECT sprint_id FROM item WHERE id = ?1", [item], |row| row.get(0)).unwrap()
}

#[test]
fn starting_a_sprint_records_its_commitment_and_later_changes_are_scope_change() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let s4 = sprint_id(&path, 4);
    let held: Vec<i64> = store.sprint_items(s4).unwrap().iter().map(|item| item.id).collect();
    assert!(!held.is_empty());
    store.start_sprint(s4, today(), "Started Sprint 4").unwrap();
    assert!(store.start_sprint(s4, today(), "again").is_err(), "a started sprint is not started twice");

    // One item taken out, one backlog item added.
    store.set_item_sprint(held[0], None, "out").unwrap();
    store.set_item_sprint(40, Some(s4), "in").unwrap();
    let record = store.sprint_record(s4).unwrap();
    assert!(!record.frozen);
    let out = output(&record.items);
    assert_eq!(out.committed.items, held.len());
    assert_eq!(out.removed.items, 1);
    assert_eq!(out.added.items, 1);
    assert!(record.items.iter().any(|item| item.item_id == held[0] && item.outcome == Outcome::Removed));
}

#[test]
fn a_closed_sprint_keeps_its_numbers_whatever_happens_to_its_items() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let (s3, s4) = (sprint_id(&path, 3), sprint_id(&path, 4));
    let open: Vec<i64> =
        store.sprint_items(s3).unwrap().iter().filter(|item| item.state != ItemState::Done).map(|item| item.id).collect();
    assert!(open.len() >= 3, "the demo's sprint 3 has unfinished items");
    // Two into sprint 4, the rest to the top of the backlog.
    let carry = [(open[0], CarryTo::Sprint(s4)), (open[1], CarryTo::Sprint(s4))];
    store.close_sprint(s3, today(), &carry, "Closed Sprint 3").unwrap();
    assert_eq!(sprint_of(&path, open[0]), Some(s4));
    assert_eq!(sprint_of(&path, open[2]), None, "the rest went to the backlog");
    let first = store.backlog_page(&Default::default(), 0, 1).unwrap().remove(0);
    assert_eq!(first.id, open[2], "at the top, in their order");

    let frozen = store.sprint_record(s3).unwrap();
    assert!(frozen.frozen);
    assert!(frozen.carried_to.contains(&(open[0], "S4".to_owned())));
    assert!(frozen.carried_to.contains(&(open[2], "top".to_owned())));
    let before = output(&frozen.items);
    assert_eq!(before.carried.items, open.len());

    // Edit, move, finish and delete its items: the record stands.
    let done = frozen.items.iter().find(|item| item.outcome == Outcome::Done).unwrap().item_id;
    let conn = Connection::open(&path).unwrap();
    conn.execute("UPDATE item SET points = 99, title = 'Changed after the close' WHERE id = ?1", [done]).unwrap();
    store.set_item_state(open[0], ItemState::Done, today(), "done in S4").unwrap();
    store.delete_items(&[open[1]], "deleted").unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    let after = store.sprint_record(s3).unwrap();
    assert_eq!(after, frozen, "the frozen record is what the close saw, also after a restart");
    assert_eq!(output(&after.items), before);
}

#[test]
fn undo_reopens_a_closed_sprint_and_brings_its_items_back() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let s3 = sprint_id(&path, 3);
    let items: Vec<i64> = store.sprint_items(s3).unwrap().iter().map(|item| item.id).collect();
    store.close_sprint(s3, today(), &[], "Closed Sprint 3").unwrap();
    assert!(store.sprint_items(s3).unwrap().len() < items.len());
    assert_eq!(store.undo().unwrap().as_deref(), Some("Closed Sprint 3"));
    let back: Vec<i64> = store.sprint_items(s3).unwrap().iter().map(|item| item.id).collect();
    assert_eq!(back, items);
    let board = store.load_board().unwrap().unwrap();
    assert_eq!(board.sprint(s3).unwrap().state, quarterdeck::domain::SprintState::Active);
    assert!(!store.sprint_record(s3).unwrap().frozen);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn the_demos_finished_sprints_come_with_their_records() {
    let (_dir, path) = board_path();
    let store = demo_store(&path);
    let s1 = store.sprint_record(sprint_id(&path, 1)).unwrap();
    assert!(s1.frozen && !s1.items.is_empty());
    let s3 = store.sprint_record(sprint_id(&path, 3)).unwrap();
    assert!(!s3.frozen);
    assert_eq!(output(&s3.items).added.items, 0, "the running sprint committed to what it holds");
}

#[test]
fn nothing_moves_into_or_out_of_a_closed_sprint() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    // The demo's S1 and S2 are closed; item 40 waits in the backlog, item 1 was done in S1.
    let s2 = sprint_id(&path, 2);
    let into = store.set_item_sprint(40, Some(s2), "Planned").unwrap_err();
    assert!(into.to_string().contains("Sprint 2 is closed"), "{into}");
    assert_eq!(sprint_of(&path, 40), None);
    let out = store.set_items_sprint(&[40, 1], None, "Out").unwrap_err();
    assert!(out.to_string().contains("Sprint 1 is closed"), "{out}");
    assert_eq!(sprint_of(&path, 1), Some(sprint_id(&path, 1)), "all or nothing: item 1 stays in its record");
}

#[test]
fn an_item_planned_into_a_sprint_is_no_longer_listed_as_deferred() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let (before, total) = store.deferred_items(10).unwrap();
    assert!(total >= 1, "the demo defers some BAU work");
    let item = before[0].id;
    store.set_item_sprint(item, Some(sprint_id(&path, 4)), "Planned").unwrap();
    let (after, after_total) = store.deferred_items(10).unwrap();
    assert_eq!(after_total, total - 1);
    assert!(after.iter().all(|deferred| deferred.id != item), "it is being worked on now");
}
