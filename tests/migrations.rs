//! Schema migrations from every earlier version, and the aggregates that
//! schema v2's triggers keep.

#![allow(clippy::unwrap_used)]

mod common;

use common::{board_path, demo_store, write_v1_board};
use quarterdeck::store::{ItemFilter, LATEST_VERSION, Store};
use rusqlite::Connection;

/// What the triggers must keep: the tally and the tags' copies of rank and
/// points, recomputed from the items themselves.
fn assert_aggregates_match(conn: &Connection) {
    let stale_tags: i64 = conn
        .query_row(
            "SELECT count(*) FROM item_kr t JOIN item i ON i.id = t.item_id WHERE t.rank != i.rank OR t.points != i.points",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(stale_tags, 0, "tags carry their item's rank and points");
    let expected: Vec<(i64, i64, i64)> = conn
        .prepare(
            "SELECT 0, count(*), coalesce(sum(points), 0) FROM item
             UNION ALL
             SELECT t.key_result_id, count(*), sum(i.points) FROM item_kr t JOIN item i ON i.id = t.item_id
             GROUP BY t.key_result_id
             UNION ALL
             SELECT -1, count(*), coalesce(sum(points), 0) FROM item WHERE sprint_id IS NULL AND state != 'done'
             UNION ALL
             SELECT -2, count(*), coalesce(sum(points), 0) FROM item WHERE done_in_earlier_quarter = 1
             ORDER BY 1",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let tally: Vec<(i64, i64, i64)> = conn
        .prepare("SELECT scope, items, points FROM backlog_tally WHERE items != 0 OR scope IN (0, -1, -2) ORDER BY scope")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(tally, expected);
    let relevance = |sql: &str| -> Vec<(i64, i64, i64, i64)> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(
        relevance("SELECT sprint_id, item_id, relevance, rank FROM sprint_relevance ORDER BY 1, 2"),
        relevance(
            "SELECT sk.sprint_id, t.item_id, sum(CASE WHEN sk.focus THEN 2 ELSE 1 END), i.rank
             FROM sprint_kr sk JOIN item_kr t ON t.key_result_id = sk.key_result_id JOIN item i ON i.id = t.item_id
             GROUP BY 1, 2 ORDER BY 1, 2"
        ),
        "each sprint's relevance, recomputed from the tags"
    );
}

#[test]
fn the_tally_follows_every_kind_of_write() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    assert_aggregates_match(&conn);
    let steps = [
        "UPDATE item SET points = 13 WHERE id = 13",
        "UPDATE item SET rank = -5 WHERE id = 20",
        "INSERT INTO item (title, points, rank) VALUES ('new', 5, 999999999)",
        "INSERT INTO item_kr (item_id, key_result_id) VALUES ((SELECT max(id) FROM item), 1)",
        "INSERT INTO item_kr (item_id, key_result_id, rank, points) VALUES (4, 2, 123, 77)",
        "UPDATE item_kr SET key_result_id = 3 WHERE item_id = 4 AND key_result_id = 2",
        "DELETE FROM item_kr WHERE item_id = 13 AND key_result_id = 1",
        "UPDATE item SET sprint_id = 3 WHERE id = 5",
        "UPDATE item SET sprint_id = NULL WHERE id = 5",
        "UPDATE item SET state = 'done' WHERE id = 6",
        "INSERT INTO sprint_kr (sprint_id, key_result_id, focus) VALUES (4, 1, 0)",
        "UPDATE sprint_kr SET focus = 1 WHERE sprint_id = 4 AND key_result_id = 1",
        "UPDATE sprint_kr SET key_result_id = 3 WHERE sprint_id = 4 AND key_result_id = 1",
        "DELETE FROM sprint_kr WHERE sprint_id = 3",
        "DELETE FROM sprint WHERE id = 2",
        "DELETE FROM item WHERE id = 18",
        "DELETE FROM key_result WHERE id = 2",
        "DELETE FROM item",
    ];
    for step in steps {
        conn.execute_batch(step).unwrap();
        assert_aggregates_match(&conn);
    }
}

#[test]
fn the_store_reads_its_summaries_from_the_tally() {
    let (_dir, path) = board_path();
    let store = demo_store(&path);
    let conn = Connection::open(&path).unwrap();
    conn.execute("UPDATE item SET points = points + 100 WHERE id = 1", []).unwrap();
    assert_eq!(store.backlog_summary(&ItemFilter::default()).unwrap().points, 248);
    // KR1.1's items: 40 points in the demo (which keeps 60-70 % OKR work a sprint), + 100.
    assert_eq!(store.backlog_summary(&ItemFilter { key_result: Some(1), ..ItemFilter::default() }).unwrap().points, 140);
    assert_eq!(
        store.backlog_summary(&ItemFilter { key_result: Some(999), ..ItemFilter::default() }).unwrap().count,
        0,
        "an unknown KR has none"
    );
}

#[test]
fn a_version_1_board_is_migrated_to_the_latest() {
    let (_dir, path) = board_path();
    write_v1_board(&path);
    let store = Store::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
    assert_eq!(version, LATEST_VERSION);
    assert_aggregates_match(&conn);

    let all = store.backlog_summary(&ItemFilter::default()).unwrap();
    assert_eq!((all.count, all.points), (3, 16));
    let kr1 = ItemFilter { key_result: Some(1), ..ItemFilter::default() };
    let titles: Vec<String> = store.backlog_page(&kr1, 0, 10).unwrap().into_iter().map(|row| row.title).collect();
    assert_eq!(titles, ["second", "third", "first"], "a KR's items in rank order");
    assert_eq!(store.backlog_position(&kr1, 1).unwrap(), Some(2));
    let board = store.load_board().unwrap().unwrap();
    assert_eq!(board.sprints[0].load, 3);
}

#[test]
fn version_9_keeps_every_quarter_and_item_and_closes_the_earlier_quarters() {
    let (_dir, path) = board_path();
    write_v1_board(&path);
    // An earlier quarter beside the latest, as a board from before v9 could hold.
    Connection::open(&path)
        .unwrap()
        .execute_batch("INSERT INTO quarter (id, label, start_date) VALUES (2, '2026-Q3', '2026-07-06');")
        .unwrap();
    let store = Store::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    let states: Vec<(String, String)> = conn
        .prepare("SELECT label, state FROM quarter ORDER BY id")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(states, [("2026-Q4".to_owned(), "open".to_owned()), ("2026-Q3".to_owned(), "closed".to_owned())]);
    let kept: (i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM item WHERE needs_retag = 0), (SELECT count(*) FROM item_kr),
                    (SELECT count(*) FROM key_result WHERE score IS NULL)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    assert_eq!(kept, (3, 4, 2), "every item, tag and KR, none marked or scored");
    let board = store.load_board().unwrap().unwrap();
    assert_eq!(board.quarter.label, "2026-Q4");
    assert!(!board.quarter.is_closed());
    // The undo log captures the new columns: a score written in a step is undone.
    drop(store);
    let mut store = Store::open(&path).unwrap();
    let close = quarterdeck::store::QuarterClose {
        kr_scores: vec![(1, quarterdeck::domain::values::Score::new(0.5).expect("a score"))],
        ..Default::default()
    };
    store.close_quarter(1, &close, chrono::NaiveDate::from_ymd_opt(2027, 1, 17).unwrap(), "Closed").unwrap();
    store.undo().unwrap();
    let score: Option<f64> = conn.query_row("SELECT score FROM key_result WHERE id = 1", [], |row| row.get(0)).unwrap();
    assert_eq!(score, None);
}

#[test]
fn version_10_renames_a_second_quarter_of_one_label_and_keeps_goals_and_planning_days() {
    let (_dir, path) = board_path();
    write_v1_board(&path);
    // A draft labelled like the running quarter, as the board before v10 made one.
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "UPDATE quarter SET planning_day = 1 WHERE id = 1;
             INSERT INTO quarter (id, label, start_date) VALUES (2, '2026-Q4', '2027-01-18');",
        )
        .unwrap();
    drop(Store::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    let quarters: Vec<(String, String, String)> = conn
        .prepare("SELECT label, overlap_strategy, checkin_cadence FROM quarter ORDER BY id")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(quarters[0], ("2026-Q4".into(), "planning_day".into(), "two_weeks".into()));
    assert_eq!(quarters[1], ("2026-Q4 (2)".into(), "reserve".into(), "two_weeks".into()));
    let duplicate = conn.execute("UPDATE quarter SET label = '2026-Q4' WHERE id = 2", []);
    assert!(duplicate.is_err(), "two quarters never share a label");
}

#[test]
fn version_10_files_away_what_earlier_quarters_delivered() {
    let (_dir, path) = board_path();
    write_v1_board(&path);
    // An earlier quarter whose sprint delivered item 1; item 2 is done in
    // the latest quarter's sprint and stays listed.
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "INSERT INTO quarter (id, label, start_date) VALUES (2, '2026-Q3', '2026-07-06');
             INSERT INTO sprint (id, quarter_id, number, start_date, end_date, capacity)
                 VALUES (2, 2, 1, '2026-07-06', '2026-07-19', 20);
             UPDATE item SET sprint_id = 2, state = 'done' WHERE id = 1;
             UPDATE item SET sprint_id = 1, state = 'done' WHERE id = 2;",
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    let filed: Vec<i64> = conn
        .prepare("SELECT id FROM item WHERE done_in_earlier_quarter = 1 ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(filed, [1]);
    assert_aggregates_match(&conn);
    store.load_board().unwrap();
    let summary = store.backlog_summary(&ItemFilter::default()).unwrap();
    assert_eq!((summary.count, summary.points), (2, 13), "items 2 and 3: 5 + 8 points");
}

#[test]
fn version_10_indexes_the_items_that_say_why_they_wait() {
    let (_dir, path) = board_path();
    write_v1_board(&path);
    let store = Store::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    let indexed: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'item_deferred'", [], |row| row.get(0))
        .unwrap();
    assert_eq!(indexed, 1);
    assert_eq!(store.deferred_items(5).unwrap(), (Vec::new(), 0), "a board from before: nothing deferred");
    conn.execute("UPDATE item SET deferred_reason = 'Not this quarter' WHERE title = 'second'", []).unwrap();
    let (items, total) = store.deferred_items(5).unwrap();
    assert_eq!(total, 1);
    assert_eq!((items[0].title.as_str(), items[0].reason.as_str()), ("second", "Not this quarter"));
}

/// Issue 16: every object of a board from before gets a stable id of its
/// own, and the objects made after the migration get theirs as they are
/// inserted.
#[test]
fn version_10_gives_every_object_a_stable_id() {
    let (_dir, path) = board_path();
    write_v1_board(&path);
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "INSERT INTO check_in (key_result_id, date, value, confidence) VALUES (1, '2026-11-02', 6, 60);
             INSERT INTO retro_note (sprint_id, category, position, text) VALUES (1, 'went_well', 1, 'Pairing');",
        )
        .unwrap();
    let mut store = Store::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    let mut seen = std::collections::HashSet::new();
    let tables = ["quarter", "objective", "key_result", "check_in", "sprint", "item", "retro_note"];
    for table in tables {
        let rows: Vec<Option<String>> = conn
            .prepare(&format!("SELECT uid FROM {table}"))
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!rows.is_empty(), "{table}");
        for uid in rows {
            let uid = uid.unwrap_or_else(|| panic!("a {table} row without an id"));
            assert_eq!(uuid::Uuid::parse_str(&uid).unwrap().get_version_num(), 7, "{uid}");
            assert!(seen.insert(uid), "ids are unique");
        }
    }
    assert_eq!(seen.len(), 1 + 1 + 2 + 1 + 1 + 3 + 1);
    let member = store
        .add_member(
            1,
            &quarterdeck::store::MemberFields {
                name: "Ana".into(),
                focus_factor: quarterdeck::domain::values::FocusFactor::new(70).expect("a focus factor"),
                days_off: Vec::new(),
                roles: quarterdeck::domain::roles::Roles::default(),
            },
            "Added",
        )
        .unwrap();
    let uid: Option<String> = conn.query_row("SELECT uid FROM team_member WHERE id = ?1", [member], |row| row.get(0)).unwrap();
    assert!(uid.is_some_and(|uid| !seen.contains(&uid)));
}

#[test]
fn version_11_keeps_imported_items_keys_unique_per_tool_and_forgets_them_with_their_item() {
    let (_dir, path) = board_path();
    write_v1_board(&path);
    let _store = Store::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    // No item of an older board came from another tool.
    let keyed: i64 = conn.query_row("SELECT count(*) FROM item_external", [], |row| row.get(0)).unwrap();
    assert_eq!(keyed, 0);
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         INSERT INTO item_external (item_id, source, key, fingerprint) VALUES (1, 'jira-csv', 'PROJ-1', 'f'), (2, 'taskwarrior', 'PROJ-1', 'f');",
    )
    .unwrap();
    let same_key =
        conn.execute("INSERT INTO item_external (item_id, source, key, fingerprint) VALUES (3, 'jira-csv', 'PROJ-1', 'f')", []);
    assert!(same_key.is_err(), "one item a key of one tool");
    let no_tool =
        conn.execute("INSERT INTO item_external (item_id, source, key, fingerprint) VALUES (3, 'trello', 'X', 'f')", []);
    assert!(no_tool.is_err(), "a tool the import reads");
    conn.execute("DELETE FROM item WHERE id = 1", []).unwrap();
    let keys: Vec<String> = conn
        .prepare("SELECT key || ' ' || source FROM item_external")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(keys, ["PROJ-1 taskwarrior"]);
}
