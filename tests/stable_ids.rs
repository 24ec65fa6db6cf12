//! Stable ids (issue 16): every object gets a UUIDv7 that never changes,
//! however it is renumbered, deleted and put back; and an item's number is
//! never used twice.

#![allow(clippy::unwrap_used)]

mod common;

use common::{board_path, demo_store, today};
use quarterdeck::{
    domain::{Id, ItemKind},
    plan::Plan,
    store::{NewItem, Store},
};
use rusqlite::Connection;

const TABLES: [&str; 8] = ["quarter", "objective", "key_result", "check_in", "sprint", "item", "retro_note", "team_member"];

fn uids(conn: &Connection, table: &str) -> Vec<(Id, String)> {
    conn.prepare(&format!("SELECT id, uid FROM {table} ORDER BY id"))
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn uid_of(conn: &Connection, table: &str, id: Id) -> Option<String> {
    use rusqlite::OptionalExtension;
    conn.query_row(&format!("SELECT uid FROM {table} WHERE id = ?1"), [id], |row| row.get(0)).optional().unwrap()
}

/// A UUID of version 7 in its canonical text, whose time is close to now.
fn assert_v7(uid: &str) {
    let parsed = uuid::Uuid::parse_str(uid).unwrap_or_else(|_| panic!("{uid} is not a UUID"));
    assert_eq!(parsed.get_version_num(), 7, "{uid}");
    assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122, "{uid}");
    assert_eq!(parsed.hyphenated().to_string(), uid, "canonical text");
    let (seconds, _) = parsed.get_timestamp().unwrap().to_unix();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    assert!(now.abs_diff(seconds) < 600, "{uid} was made {seconds}, now is {now}");
}

fn new_item(title: &str) -> NewItem {
    NewItem {
        title: quarterdeck::domain::values::Title::parse(title).expect("a title"),
        points: quarterdeck::domain::values::Points::new(1).expect("points"),
        kind: ItemKind::Story,
        description: String::new(),
        deferred_reason: String::new(),
    }
}

#[test]
fn every_object_of_the_demo_has_its_own_v7_id() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let conn = Connection::open(&path).unwrap();
    let mut all = std::collections::HashSet::new();
    for table in TABLES {
        let rows = uids(&conn, table);
        assert!(!rows.is_empty(), "the demo has {table} rows");
        for (_, uid) in rows {
            assert_v7(&uid);
            assert!(all.insert(uid.clone()), "{uid} is used twice");
        }
    }
}

#[test]
fn a_row_written_by_another_tool_without_an_id_gets_one_and_an_id_never_changes() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let conn = Connection::open(&path).unwrap();
    // As `sqlite3` would: no uid column named, or an explicit NULL.
    conn.execute_batch(
        "INSERT INTO item (id, title, rank) VALUES (900, 'from sqlite3', 1);
         INSERT INTO item (id, title, rank, uid) VALUES (901, 'with a null', 2, NULL);
         INSERT INTO retro_note (sprint_id, category, position, text) VALUES (1, 'went_well', 9, 'typed by hand');",
    )
    .unwrap();
    for id in [900, 901] {
        assert_v7(&uid_of(&conn, "item", id).unwrap());
    }
    let note = conn.last_insert_rowid();
    assert_v7(&uid_of(&conn, "retro_note", note).unwrap());
    assert_ne!(uid_of(&conn, "item", 900), uid_of(&conn, "item", 901));

    let before = uid_of(&conn, "item", 900);
    let other = uid_of(&conn, "item", 901).unwrap();
    for change in ["UPDATE item SET uid = NULL WHERE id = 900", "UPDATE item SET uid = 'x' WHERE id = 900"] {
        let error = conn.execute(change, []).expect_err(change).to_string();
        assert!(error.contains("item.uid never changes"), "{error}");
    }
    let duplicate = conn.execute("INSERT INTO item (id, title, rank, uid) VALUES (902, 'copy', 3, ?1)", [&other]);
    assert!(duplicate.is_err(), "two items never share an id");
    assert_eq!(uid_of(&conn, "item", 900), before);
    // Other columns change as before.
    conn.execute("UPDATE item SET title = 'renamed' WHERE id = 900", []).unwrap();
    assert_eq!(uid_of(&conn, "item", 900), before);
}

/// Undo puts a deleted object back with every column, its id too; redo of
/// an undone add puts the item back with the id it was added with (were
/// the id's filling logged, undo would clear it first and redo would give
/// the item a new one).
#[test]
fn undo_and_redo_keep_an_objects_id() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let conn = Connection::open(&path).unwrap();
    let objective: Id = conn.query_row("SELECT id FROM objective WHERE position = 1", [], |row| row.get(0)).unwrap();
    let before: Vec<Vec<(Id, String)>> = TABLES.iter().map(|table| uids(&conn, table)).collect();
    store.delete_objective(objective, "Deleted O1").unwrap();
    assert!(uids(&conn, "key_result").len() < before[2].len(), "its KRs went with it");
    store.undo().unwrap();
    let after: Vec<Vec<(Id, String)>> = TABLES.iter().map(|table| uids(&conn, table)).collect();
    assert_eq!(after, before, "the objective, its KRs and check-ins came back with their ids");

    let added = store.add_item(&new_item("Fresh"), None, "Added").unwrap();
    let uid = uid_of(&conn, "item", added).unwrap();
    assert_v7(&uid);
    store.undo().unwrap();
    assert_eq!(uid_of(&conn, "item", added), None);
    store.redo().unwrap();
    assert_eq!(uid_of(&conn, "item", added), Some(uid.clone()), "redo puts back the id it was added with");
    store.delete_items(&[added], "Deleted").unwrap();
    store.undo().unwrap();
    assert_eq!(uid_of(&conn, "item", added), Some(uid));
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

/// Deleting the newest item and adding one never gives the old number:
/// not after a restart, not after undoing the add, not through the plan
/// file or a retro note made an item.
#[test]
fn an_item_number_is_never_used_again_across_restarts_and_undo() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let newest = store.add_item(&new_item("Newest"), None, "Added").unwrap();
    store.delete_items(&[newest], "Deleted").unwrap();
    drop(store);

    let mut store = Store::open(&path).unwrap();
    let after_restart = store.add_item(&new_item("After a restart"), None, "Added").unwrap();
    assert_eq!(after_restart, newest + 1);
    store.undo().unwrap();
    let after_undo = store.add_item(&new_item("After an undo"), None, "Added").unwrap();
    assert_eq!(after_undo, newest + 2, "the undone add's number is not given again");
    store.delete_items(&[after_undo], "Deleted").unwrap();
    drop(store);

    let mut store = Store::open(&path).unwrap();
    // The undo of the delete puts #N+2 back; nothing else took it.
    assert_eq!(store.undo().unwrap().as_deref(), Some("Deleted"));
    assert_eq!(store.item_title(after_undo).unwrap().as_deref(), Some("After an undo"));
    store.delete_items(&[after_undo], "Deleted again").unwrap();
    let mut plan = Plan::demo(today()).unwrap();
    plan.quarter.label = "2099-Q1".into();
    plan.items.truncate(1);
    store.import_plan(&plan, today(), false).unwrap();
    let conn = Connection::open(&path).unwrap();
    let imported: Id = conn.query_row("SELECT max(id) FROM item", [], |row| row.get(0)).unwrap();
    assert_eq!(imported, newest + 3, "a loaded plan's items are numbered after every number used");
    store.delete_items(&[imported], "Deleted the plan's item").unwrap();
    let note = store.add_retro_note(1, quarterdeck::domain::retro::RetroList::ToImprove, "Shorter stand-ups", "Noted").unwrap();
    let made = store.retro_note_to_item(note, |item| format!("Made #{item}")).unwrap();
    assert_eq!(made, quarterdeck::store::NoteToItem::Made(newest + 4), "a retro note made an item takes the next number too");
}

#[test]
fn a_plan_carries_ids_and_a_plan_without_them_gets_new_ones() {
    let (_dir, path) = board_path();
    let mut plan = Plan::demo(today()).unwrap();
    let quarter = "0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b";
    let kr = "0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1c";
    let item = "0190A5B2-7C3D-7E4F-8A5B-6C7D8E9F0A1D";
    plan.quarter.id = Some(quarter.into());
    plan.objectives[0].key_results[1].id = Some(kr.into());
    plan.items[2].id = Some(item.into());
    let mut store = Store::open(&path).unwrap();
    store.import_plan(&plan, today(), false).unwrap();
    let conn = Connection::open(&path).unwrap();
    assert_eq!(uid_of(&conn, "quarter", 1).as_deref(), Some(quarter));
    let kr_uid: String = conn
        .query_row(
            "SELECT k.uid FROM key_result k JOIN objective o ON o.id = k.objective_id WHERE o.position = 1 AND k.position = 2",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(kr_uid, kr);
    let third: String = conn.query_row("SELECT uid FROM item ORDER BY rank LIMIT 1 OFFSET 2", [], |row| row.get(0)).unwrap();
    assert_eq!(third, item.to_lowercase(), "kept in its canonical form");
    // The rest got new ones.
    let first: String = conn.query_row("SELECT uid FROM item ORDER BY rank LIMIT 1", [], |row| row.get(0)).unwrap();
    assert_v7(&first);

    // Loading the same plan beside it would bring objects the board has.
    plan.quarter.label = "2099-Q1".into();
    let error = format!("{:#}", store.import_plan(&plan, today(), false).expect_err("ids already on the board"));
    assert!(
        error.contains("quarter.id is 0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b, which this board has already (quarter"),
        "{error}"
    );
    // In place of the board, it loads.
    store.import_plan(&plan, today(), true).unwrap();
    let replaced: String = conn.query_row("SELECT uid FROM quarter WHERE label = '2099-Q1'", [], |row| row.get(0)).unwrap();
    assert_eq!(replaced, quarter);
}

#[test]
fn a_plans_ids_are_checked() {
    let plan = Plan::demo(today()).unwrap();
    let broken = |change: &dyn Fn(&mut Plan)| {
        let mut plan = plan.clone();
        change(&mut plan);
        plan.validate().expect_err("a bad id").to_string()
    };
    let not_an_id = broken(&|plan| plan.items[3].id = Some("42".into()));
    assert!(not_an_id.starts_with("items[3].id is \"42\", which is not an id: write a UUID"), "{not_an_id}");
    let twice = broken(&|plan| {
        plan.objectives[0].id = Some("0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b".into());
        plan.team[1].id = Some("0190A5B2-7C3D-7E4F-8A5B-6C7D8E9F0A1B".into());
    });
    assert!(twice.contains("team[1].id is 0190A5B2-7C3D-7E4F-8A5B-6C7D8E9F0A1B, which objectives[0].id has too"), "{twice}");
    // Read from TOML: `id` is a field of every object.
    let text = "[quarter]\nlabel = \"2027-Q1\"\nstart = \"2027-01-04\"\nid = \"0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b\"\n\
                [[sprints]]\nweeks = 2\ncapacity = 10\nid = \"0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1c\"\n";
    let parsed = Plan::parse(text, "ids.toml").unwrap();
    assert_eq!(parsed.stable_ids().len(), 2);
}
