//! Undo and redo in the board file: any change, bulk changes as one step,
//! deep enough, and still there after a restart.

#![allow(clippy::unwrap_used)]

mod common;

use common::{board_path, demo_store, today};
use proptest::prelude::*;
use quarterdeck::{
    domain::ItemState,
    store::{HISTORY_DEPTH, ItemFilter, Store},
};
use rusqlite::Connection;

/// Every table of user data, as text, in a stable order.
fn dump(path: &std::path::Path) -> String {
    let conn = Connection::open(path).unwrap();
    let mut out = String::new();
    for (table, order) in [
        ("quarter", "id"),
        ("objective", "id"),
        ("key_result", "id"),
        ("check_in", "id"),
        ("sprint", "id"),
        ("sprint_kr", "sprint_id, key_result_id"),
        ("item", "id"),
        ("item_kr", "item_id, key_result_id"),
        ("retro_note", "id"),
        ("backlog_tally", "scope"),
    ] {
        let mut statement = conn.prepare(&format!("SELECT * FROM {table} ORDER BY {order}")).unwrap();
        let columns = statement.column_count();
        let rows = statement
            .query_map([], |row| Ok((0..columns).map(|i| format!("{:?}", row.get_ref(i).unwrap())).collect::<Vec<_>>().join("|")))
            .unwrap();
        out.push_str(table);
        out.push('\n');
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
        }
    }
    out
}

fn titles(store: &Store) -> Vec<String> {
    store.backlog_page(&ItemFilter::default(), 0, 5).unwrap().into_iter().map(|row| row.title).collect()
}

#[test]
fn a_rank_swap_is_undone_and_redone_even_after_a_restart() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let before = titles(&store);
    store.swap_ranks(2, 1, "Moved 'Save card checkbox' up").unwrap();
    assert_eq!(titles(&store)[..2], [before[1].clone(), before[0].clone()]);
    drop(store);

    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.undo().unwrap().as_deref(), Some("Moved 'Save card checkbox' up"));
    assert_eq!(titles(&store), before);
    drop(store);

    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.redo().unwrap().as_deref(), Some("Moved 'Save card checkbox' up"));
    assert_eq!(titles(&store)[0], before[1]);
    assert_eq!(store.redo().unwrap(), None, "nothing more to redo");
}

#[test]
fn a_deleted_item_comes_back_with_its_tags() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let start = dump(&path);
    store
        .record("Deleted 'Roll one-click payment out'", |tx| tx.execute("DELETE FROM item WHERE id = 13", []).map(|_| ()))
        .unwrap();
    assert_ne!(dump(&path), start);
    store.undo().unwrap();
    assert_eq!(dump(&path), start, "item, tags and tallies restored");
}

#[test]
fn a_bulk_change_is_one_step() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let start = dump(&path);
    store
        .record("Marked 5 items done", |tx| {
            tx.execute("UPDATE item SET state = 'done' WHERE id BETWEEN 10 AND 14", []).map(|_| ())
        })
        .unwrap();
    assert_eq!(store.history_depths().unwrap(), (1, 0));
    store.undo().unwrap();
    assert_eq!(dump(&path), start);
}

#[test]
fn a_new_action_ends_the_redo_branch_and_no_ops_leave_no_step() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    store.set_item_state(17, ItemState::Doing, today(), "Started").unwrap();
    store.undo().unwrap();
    assert_eq!(store.history_depths().unwrap(), (0, 1));
    store.set_item_state(18, ItemState::Doing, today(), "Started another").unwrap();
    assert_eq!(store.history_depths().unwrap(), (1, 0));
    store.record("Nothing", |tx| tx.execute("UPDATE item SET title = title WHERE id = -1", []).map(|_| ())).unwrap();
    assert_eq!(store.history_depths().unwrap(), (1, 0));
}

#[test]
fn history_is_at_least_a_hundred_steps_deep() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let start = dump(&path);
    let steps = usize::try_from(HISTORY_DEPTH).unwrap();
    assert!(steps >= 100);
    for step in 0..steps {
        let state = if step % 2 == 0 { ItemState::Doing } else { ItemState::Todo };
        store.set_item_state(17 + (step as i64 % 5), state, today(), "step").unwrap();
    }
    for _ in 0..steps {
        assert!(store.undo().unwrap().is_some());
    }
    assert_eq!(store.undo().unwrap(), None);
    assert_eq!(dump(&path), start);
}

#[derive(Debug, Clone)]
enum Edit {
    Swap(i64, i64),
    ToEnd(i64, bool),
    State(i64, usize),
    Points(i64, u32),
    Delete(i64),
    Tag(i64, i64),
    Untag(i64, i64),
}

fn edit() -> impl Strategy<Value = Edit> {
    let item = 1_i64..=40;
    prop_oneof![
        (item.clone(), 1_i64..=40).prop_map(|(a, b)| Edit::Swap(a, b)),
        (item.clone(), any::<bool>()).prop_map(|(a, top)| Edit::ToEnd(a, top)),
        (item.clone(), 0_usize..3).prop_map(|(a, s)| Edit::State(a, s)),
        (item.clone(), 0_u32..14).prop_map(|(a, p)| Edit::Points(a, p)),
        item.clone().prop_map(Edit::Delete),
        (item.clone(), 1_i64..=7).prop_map(|(a, k)| Edit::Tag(a, k)),
        (item, 1_i64..=7).prop_map(|(a, k)| Edit::Untag(a, k)),
    ]
}

fn apply(store: &mut Store, edit: &Edit) {
    let sql = |store: &mut Store, sql: &str, params: [i64; 2]| {
        store.record("edit", |tx| tx.execute(sql, params).map(|_| ())).unwrap();
    };
    match *edit {
        Edit::Swap(a, b) if a != b && store.item_title(a).unwrap().is_some() && store.item_title(b).unwrap().is_some() => {
            store.swap_ranks(a, b, "swap").unwrap();
        }
        Edit::Swap(..) => {}
        Edit::ToEnd(a, top) => store.rank_to_end(a, top, "to end").unwrap(),
        Edit::State(a, s) => store.set_item_state(a, ItemState::ALL[s], today(), "state").unwrap(),
        Edit::Points(a, p) => sql(store, "UPDATE item SET points = ?2 WHERE id = ?1", [a, i64::from(p)]),
        Edit::Delete(a) => sql(store, "DELETE FROM item WHERE id = ?1 AND ?2 = 0", [a, 0]),
        Edit::Tag(a, k) => {
            sql(store, "INSERT OR IGNORE INTO item_kr (item_id, key_result_id) SELECT ?1, ?2 FROM item WHERE id = ?1", [a, k])
        }
        Edit::Untag(a, k) => sql(store, "DELETE FROM item_kr WHERE item_id = ?1 AND key_result_id = ?2", [a, k]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any sequence of edits followed by as many undos returns the board to
    /// where it started; as many redos bring back where it ended.
    #[test]
    fn undoing_every_edit_returns_the_board_to_its_start(edits in prop::collection::vec(edit(), 1..25)) {
        let (_dir, path) = board_path();
        let mut store = demo_store(&path);
        let start = dump(&path);
        for edit in &edits {
            apply(&mut store, edit);
        }
        let end = dump(&path);
        let (steps, _) = store.history_depths().unwrap();
        for _ in 0..steps {
            prop_assert!(store.undo().unwrap().is_some());
        }
        prop_assert_eq!(dump(&path), start);
        for _ in 0..steps {
            prop_assert!(store.redo().unwrap().is_some());
        }
        prop_assert_eq!(dump(&path), end);
    }
}
