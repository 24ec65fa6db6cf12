//! The resolver (issue 16): what users type (`O1`, `KR1.2`, `S3`, `#42`,
//! `2027-Q1:KR1.2`, an object's id) found on a board of two quarters that
//! share their codes, with errors that say what there is instead.

#![allow(clippy::unwrap_used)]

mod common;

use common::{board_path, today};
use quarterdeck::{
    domain::{
        Id,
        ids::{ItemId, KeyResultId, ObjectiveId, QuarterId, SprintId},
    },
    plan::Plan,
    store::{ResolveError, Resolved, Store},
};
use rusqlite::Connection;

/// 2026-Q4 (the demo, closed: O1-O3, KR1.1-KR3.2, S1-S6) and 2027-Q1
/// running after it with fewer OKRs (O1-O2, KR1.1-KR1.3 and KR2.1) and the
/// same six sprints.
fn two_quarters(path: &std::path::Path) -> Store {
    let mut store = Store::open(path).unwrap();
    store.import_plan(&Plan::demo(today()).unwrap(), today(), false).unwrap();
    Connection::open(path).unwrap().execute("UPDATE quarter SET state = 'closed'", []).unwrap();
    let mut next = Plan::demo(today()).unwrap().shifted(84);
    next.quarter.label = "2027-Q1".into();
    next.objectives.truncate(2);
    next.objectives[1].key_results.truncate(1);
    next.items.truncate(2);
    for item in &mut next.items {
        item.krs.retain(|code| ["KR1.1", "KR1.2", "KR1.3", "KR2.1"].contains(&code.as_str()));
    }
    for sprint in &mut next.sprints {
        sprint.krs.retain(|code| ["KR1.1", "KR1.2", "KR1.3", "KR2.1"].contains(&code.as_str()));
        if sprint.focus.as_ref().is_some_and(|focus| !sprint.krs.contains(focus)) {
            sprint.focus = None;
        }
    }
    store.import_plan(&next, today(), false).unwrap();
    store
}

fn id(conn: &Connection, sql: &str) -> Id {
    conn.query_row(sql, [], |row| row.get(0)).unwrap()
}

fn kr_id(conn: &Connection, quarter: &str, objective: u32, position: u32) -> Id {
    conn.query_row(
        "SELECT k.id FROM key_result k JOIN objective o ON o.id = k.objective_id JOIN quarter q ON q.id = o.quarter_id
         WHERE q.label = ?1 AND o.position = ?2 AND k.position = ?3",
        rusqlite::params![quarter, objective, position],
        |row| row.get(0),
    )
    .unwrap()
}

#[test]
fn codes_resolve_in_the_running_quarter_unless_a_quarter_is_named() {
    let (_dir, path) = board_path();
    let store = two_quarters(&path);
    let conn = Connection::open(&path).unwrap();
    let q4 = id(&conn, "SELECT id FROM quarter WHERE label = '2026-Q4'");
    let q1 = id(&conn, "SELECT id FROM quarter WHERE label = '2027-Q1'");
    let objective = |quarter: Id, position: u32| {
        conn.query_row("SELECT id FROM objective WHERE quarter_id = ?1 AND position = ?2", [quarter, position.into()], |row| {
            row.get(0)
        })
        .map(ObjectiveId)
        .unwrap()
    };
    let sprint = |quarter: Id, number: u32| {
        conn.query_row("SELECT id FROM sprint WHERE quarter_id = ?1 AND number = ?2", [quarter, number.into()], |row| row.get(0))
            .map(SprintId)
            .unwrap()
    };
    let cases: Vec<(&str, Option<Id>, Resolved, &str)> = vec![
        ("KR1.2", None, Resolved::KeyResult(KeyResultId(kr_id(&conn, "2027-Q1", 1, 2))), "KR1.2 in 2027-Q1"),
        ("kr1.2", None, Resolved::KeyResult(KeyResultId(kr_id(&conn, "2027-Q1", 1, 2))), "KR1.2 in 2027-Q1"),
        ("2026-Q4:KR1.2", None, Resolved::KeyResult(KeyResultId(kr_id(&conn, "2026-Q4", 1, 2))), "KR1.2 in 2026-Q4"),
        ("2026-q4:kr3.2", None, Resolved::KeyResult(KeyResultId(kr_id(&conn, "2026-Q4", 3, 2))), "KR3.2 in 2026-Q4"),
        // On the earlier quarter's board, its codes need no prefix.
        ("KR3.2", Some(q4), Resolved::KeyResult(KeyResultId(kr_id(&conn, "2026-Q4", 3, 2))), "KR3.2 in 2026-Q4"),
        ("2027-Q1:KR1.2", Some(q4), Resolved::KeyResult(KeyResultId(kr_id(&conn, "2027-Q1", 1, 2))), "KR1.2 in 2027-Q1"),
        ("O2", None, Resolved::Objective(objective(q1, 2)), "O2 in 2027-Q1"),
        ("2026-Q4:o3", None, Resolved::Objective(objective(q4, 3)), "O3 in 2026-Q4"),
        ("S3", None, Resolved::Sprint(sprint(q1, 3)), "S3 in 2027-Q1"),
        ("2026-Q4 : S3", None, Resolved::Sprint(sprint(q4, 3)), "S3 in 2026-Q4"),
        ("s6", Some(q4), Resolved::Sprint(sprint(q4, 6)), "S6 in 2026-Q4"),
    ];
    for (typed, on, expected, name) in cases {
        let found = store.resolve(typed, on.map(QuarterId)).unwrap_or_else(|error| panic!("{typed}: {error}"));
        assert_eq!(found.object, expected, "{typed}");
        assert_eq!(found.name, name, "{typed}");
        let quarter = if name.ends_with("2026-Q4") { q4 } else { q1 };
        assert_eq!(found.quarter.as_ref().map(|(id, _)| id.row()), Some(quarter), "{typed}");
        assert_eq!(found.uid.len(), 36, "{typed}");
    }
    // The same code in two quarters is two objects with two ids.
    let (old, new) = (store.resolve("2026-Q4:KR1.2", None).unwrap(), store.resolve("2027-Q1:KR1.2", None).unwrap());
    assert_ne!(old.uid, new.uid);
}

#[test]
fn a_miss_names_what_was_typed_and_what_there_is() {
    let (_dir, path) = board_path();
    let store = two_quarters(&path);
    let cases = [
        ("KR1.9", "no KR1.9 in 2027-Q1: its KRs are KR1.1-KR1.3, KR2.1"),
        ("KR3.2", "no KR3.2 in 2027-Q1: its KRs are KR1.1-KR1.3, KR2.1"),
        ("2026-Q4:KR4.1", "no KR4.1 in 2026-Q4: its KRs are KR1.1-KR1.3, KR2.1-KR2.2, KR3.1-KR3.2"),
        ("O3", "no O3 in 2027-Q1: its objectives are O1-O2"),
        ("S7", "no S7 in 2027-Q1: its sprints are S1-S6"),
        ("2030-Q1:O1", "no quarter 2030-Q1 on this board: its quarters are 2026-Q4, 2027-Q1"),
        ("2030-Q1:#1", "no quarter 2030-Q1 on this board: its quarters are 2026-Q4, 2027-Q1"),
        ("#9999", "no item #9999: the newest item is #42"),
        ("0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b", "no object on this board has the id 0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b"),
    ];
    for (typed, message) in cases {
        let error = store.resolve(typed, None).expect_err(typed);
        assert!(matches!(error, ResolveError::NotFound(_)), "{typed}: {error:?}");
        assert_eq!(error.to_string(), message, "{typed}");
    }
    let invalid = store.resolve("KR1", None).expect_err("not a reference");
    assert!(matches!(invalid, ResolveError::Invalid(_)));
    assert!(invalid.to_string().starts_with("\"KR1\" is not a reference: write O1 (an objective)"), "{invalid}");
}

/// Items belong to the board: `#N` finds an item done in an earlier
/// quarter's sprint from the running quarter, with or without a quarter
/// named; a deleted item's number says it was deleted.
#[test]
fn items_resolve_across_quarters_and_a_deleted_number_says_so() {
    let (_dir, path) = board_path();
    let mut store = two_quarters(&path);
    let conn = Connection::open(&path).unwrap();
    let earlier = id(
        &conn,
        "SELECT i.id FROM item i JOIN sprint s ON s.id = i.sprint_id JOIN quarter q ON q.id = s.quarter_id
         WHERE q.label = '2026-Q4' AND i.state = 'done' ORDER BY i.id LIMIT 1",
    );
    for typed in [format!("#{earlier}"), format!("{earlier}"), format!("2027-Q1:#{earlier}"), format!("2026-q4:#{earlier}")] {
        let found = store.resolve(&typed, None).unwrap_or_else(|error| panic!("{typed}: {error}"));
        assert_eq!(found.object, Resolved::Item(ItemId(earlier)), "{typed}");
        assert_eq!(found.name, format!("#{earlier}"));
        assert_eq!(found.quarter, None, "an item belongs to no quarter");
    }
    let newest = id(&conn, "SELECT max(id) FROM item");
    store.delete_items(&[newest], "Deleted").unwrap();
    let error = store.resolve(&format!("#{newest}"), None).expect_err("deleted");
    assert_eq!(
        error.to_string(),
        format!("no item #{newest}: it was deleted (undo brings it back; its number is not used again)")
    );
    store.undo().unwrap();
    assert_eq!(store.resolve(&format!("#{newest}"), None).unwrap().object, Resolved::Item(ItemId(newest)));
}

#[test]
fn a_stable_id_finds_its_object_in_any_quarter_and_keeps_finding_it_after_renumbering() {
    let (_dir, path) = board_path();
    let mut store = two_quarters(&path);
    let conn = Connection::open(&path).unwrap();
    let old_kr = store.resolve("2026-Q4:KR2.2", None).unwrap();
    let by_uid = store.resolve(&old_kr.uid.to_uppercase(), None).unwrap();
    assert_eq!(by_uid, old_kr, "found from the running quarter, in capitals too");

    // Deleting O1 of 2027-Q1 makes O2 the new O1: its code changes, its id does not.
    let o2 = store.resolve("O2", None).unwrap();
    let Resolved::Objective(o1) = store.resolve("O1", None).unwrap().object else { panic!("an objective") };
    store.delete_objective(o1.row(), "Deleted O1").unwrap();
    let renumbered = store.resolve(&o2.uid, None).unwrap();
    assert_eq!((renumbered.object, renumbered.name.as_str()), (o2.object, "O1 in 2027-Q1"));
    assert_eq!(store.resolve("O1", None).unwrap().uid, o2.uid);

    let uid_of = |sql: &str| -> String { conn.query_row(sql, [], |row| row.get(0)).unwrap() };
    let check_in = uid_of(
        "SELECT c.uid FROM check_in c JOIN key_result k ON k.id = c.key_result_id JOIN objective o ON o.id = k.objective_id
         JOIN quarter q ON q.id = o.quarter_id WHERE q.label = '2026-Q4' AND o.position = 1 AND k.position = 1 ORDER BY c.date LIMIT 1",
    );
    let found = store.resolve(&check_in, None).unwrap();
    assert!(found.name.starts_with("a check-in of KR1.1 in 2026-Q4 ("), "{}", found.name);
    let member = uid_of(
        "SELECT m.uid FROM team_member m JOIN quarter q ON q.id = m.quarter_id WHERE q.label = '2026-Q4' ORDER BY m.id LIMIT 1",
    );
    assert!(store.resolve(&member, None).unwrap().name.starts_with("team member "), "a member");
    let note = uid_of("SELECT uid FROM retro_note ORDER BY id LIMIT 1");
    assert!(store.resolve(&note, None).unwrap().name.starts_with("a retro note of S"), "a retro note");
    let quarter = uid_of("SELECT uid FROM quarter WHERE label = '2026-Q4'");
    assert_eq!(store.resolve(&quarter, None).unwrap().name, "quarter 2026-Q4");
    let error = store.resolve(&format!("2026-Q4:{quarter}"), None).expect_err("a quarter before an id");
    assert!(error.to_string().ends_with("write it without the quarter"), "{error}");
}

#[test]
fn an_empty_board_says_it_has_no_quarter() {
    let (_dir, path) = board_path();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.resolve("O1", None).expect_err("empty").to_string(), "no O1: the board has no quarter yet");
    assert_eq!(store.resolve("#1", None).expect_err("empty").to_string(), "no item #1: the backlog has no items yet");
}
