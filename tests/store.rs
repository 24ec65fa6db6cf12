//! The store on a real temporary file: creation, migration, round-trips,
//! and refusing files that are not ours.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;

use common::{board_path, demo_store, today};
use quarterdeck::{
    domain::{ItemState, SprintState},
    store::{APPLICATION_ID, ItemFilter, LATEST_VERSION, Store, UiKey, board::NewQuarter},
};

fn pragma(path: &std::path::Path, name: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(&format!("PRAGMA {name}"), [], |row| row.get(0)).unwrap()
}

#[test]
fn a_missing_board_is_created_with_its_folder_and_schema() {
    let (dir, _) = board_path();
    let path = dir.path().join("nested/folder/board.sqlite3");
    let store = Store::open(&path).unwrap();
    assert!(!store.has_quarter().unwrap());
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);
    assert_eq!(pragma(&path, "application_id"), i64::from(APPLICATION_ID));
    assert_eq!(pragma(&path, "user_version"), LATEST_VERSION);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for table in [
        "check_in",
        "days_off",
        "item",
        "item_kr",
        "key_result",
        "objective",
        "quarter",
        "retro_note",
        "sprint",
        "sprint_kr",
        "team_member",
        "ui_state",
    ] {
        assert!(tables.iter().any(|name| name == table), "missing table {table} in {tables:?}");
    }
}

#[cfg(unix)]
#[test]
fn a_new_board_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = board_path();
    drop(Store::open(&path).unwrap());
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn reopening_a_board_keeps_it_as_it_was() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let store = Store::open(&path).unwrap();
    let board = store.load_board().unwrap().unwrap();
    assert_eq!(board.quarter.label, "2026-Q4");
    assert_eq!(pragma(&path, "user_version"), LATEST_VERSION);
}

#[test]
fn the_demo_round_trips_through_the_file() {
    let (_dir, path) = board_path();
    let store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    assert_eq!(board.objectives.len(), 3);
    assert_eq!(board.key_results().count(), 7);
    let kr = board.key_results().find(|kr| kr.code == "KR1.2").unwrap();
    assert_eq!(
        (kr.title.as_str(), kr.unit.as_str(), kr.start, kr.target, kr.current),
        ("p95 checkout load time", "s", 2.4, 1.2, 2.0)
    );
    assert_eq!(kr.check_ins.len(), 3);
    assert!(kr.check_ins.windows(2).all(|pair| pair[0].date <= pair[1].date), "check-ins oldest first");

    assert_eq!(board.sprints.len(), 6);
    let states: Vec<SprintState> = board.sprints.iter().map(|sprint| sprint.state).collect();
    use SprintState::{Active, Closed, Planned};
    assert_eq!(states, [Closed, Closed, Active, Planned, Planned, Planned]);
    assert_eq!(board.sprint_on(today()).unwrap().number, 3);
    assert_eq!(board.sprints[2].load, 17);
    assert_eq!(board.sprints[0].capacity, 16);
    let focus: Vec<bool> = board.sprints[2].krs.iter().map(|link| link.focus).collect();
    assert_eq!(focus, [false, true], "S3 serves KR1.1 and focuses KR1.2 (listed in code order)");
    assert!(board.sprints[3].krs.is_empty() && !board.sprints[3].no_kr_reason.is_empty());

    let summary = store.backlog_summary(&ItemFilter::default()).unwrap();
    assert_eq!(summary.count, 40);
    let page = store.backlog_page(&ItemFilter::default(), 0, 40).unwrap();
    assert!(page.windows(2).all(|pair| pair[0].rank < pair[1].rank), "rank order");
    assert_eq!(page[12].title, "Roll one-click payment out to 50 % of buyers");
    assert_eq!(page[12].kr_codes, ["KR1.1", "KR1.2"]);
    assert_eq!(page[12].sprint_number, Some(3));
    assert!(page[3].is_bau());
    assert_eq!(page[0].state, ItemState::Done);
}

#[test]
fn the_backlog_filters_by_kr_and_pages() {
    let (_dir, path) = board_path();
    let store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    let kr = board.key_results().find(|kr| kr.code == "KR1.1").unwrap().id;
    let filter = ItemFilter { key_result: Some(kr), ..ItemFilter::default() };
    let summary = store.backlog_summary(&filter).unwrap();
    assert_eq!(summary.count, 10);
    let all = store.backlog_page(&filter, 0, 100).unwrap();
    assert!(all.iter().all(|item| item.kr_codes.iter().any(|code| code == "KR1.1")));
    let second_page = store.backlog_page(&filter, 4, 3).unwrap();
    assert_eq!(second_page, all[4..7]);
    assert_eq!(store.backlog_position(&filter, all[6].id).unwrap(), Some(6));
    let bau = store.backlog_page(&ItemFilter::default(), 3, 1).unwrap()[0].id;
    assert_eq!(store.backlog_position(&filter, bau).unwrap(), None, "a BAU item is not in a KR's list");
}

#[test]
fn a_new_quarter_lays_out_its_sprints() {
    let (_dir, path) = board_path();
    let mut store = Store::open(&path).unwrap();
    let start = today() - chrono::Days::new(21);
    let quarter = NewQuarter {
        label: "Q-test".into(),
        start,
        span: quarterdeck::domain::values::SprintSpan::new(4, 3).expect("a sprint span"),
    };
    store.create_quarter(&quarter, today()).unwrap();
    let board = store.load_board().unwrap().unwrap();
    assert_eq!(board.sprints.len(), 4);
    // Made three weeks late, still no sprint started or closed by itself:
    // a person starts a sprint, and a sprint closes through its review.
    assert!(board.sprints.iter().all(|sprint| sprint.state == SprintState::Planned));
    assert_eq!(board.sprints[3].end, start + chrono::Days::new(83));
    assert!(board.objectives.is_empty());
}

#[test]
fn ui_state_round_trips() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    store.save_ui_state(&[(UiKey::FocusedPane, Some("backlog".into())), (UiKey::KrFilter, Some("3".into()))]).unwrap();
    store.save_ui_state(&[(UiKey::KrFilter, None)]).unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.ui_value(UiKey::FocusedPane).unwrap().as_deref(), Some("backlog"));
    assert_eq!(store.ui_value(UiKey::KrFilter).unwrap(), None);
}

fn assert_refused(path: &std::path::Path, expect: &str) {
    let before = fs::read(path).unwrap();
    let error = Store::open(path).err().expect("refused");
    let quarterdeck::store::StoreError::Refused(refused) = error else { panic!("a RefusedFile: {error:#}") };
    let message = refused.to_string();
    assert!(message.contains(&path.display().to_string()), "names the file: {message}");
    assert!(message.contains(expect), "{message}");
    assert_eq!(fs::read(path).unwrap(), before, "file untouched");
    let wal = path.with_extension("sqlite3-wal");
    assert!(!wal.exists(), "no write-ahead log left behind");
}

#[test]
fn a_text_file_is_refused_and_left_untouched() {
    let (_dir, path) = board_path();
    fs::write(&path, "shopping list: milk, eggs\n").unwrap();
    assert_refused(&path, "not an SQLite database");
}

#[test]
fn another_programs_database_is_refused_and_left_untouched() {
    let (_dir, path) = board_path();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');").unwrap();
    drop(conn);
    assert_refused(&path, "another program");
}

#[test]
fn a_board_from_a_newer_version_is_refused_and_left_untouched() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(&format!("PRAGMA user_version = {}; PRAGMA journal_mode = DELETE;", LATEST_VERSION + 1)).unwrap();
    drop(conn);
    assert_refused(&path, "newer Quarterdeck");
}

#[test]
fn an_empty_file_becomes_a_board() {
    let (_dir, path) = board_path();
    fs::write(&path, b"").unwrap();
    let store = Store::open(&path).unwrap();
    assert!(!store.has_quarter().unwrap());
    assert_eq!(pragma(&path, "user_version"), LATEST_VERSION);
}

#[test]
fn a_replaced_board_holds_only_the_new_plan() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    store.import_plan(&quarterdeck::plan::Plan::demo(today()).unwrap(), today(), true).unwrap();
    assert_eq!(store.backlog_summary(&ItemFilter::default()).unwrap().count, 40);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let quarters: i64 = conn.query_row("SELECT count(*) FROM quarter", [], |row| row.get(0)).unwrap();
    let krs: i64 = conn.query_row("SELECT count(*) FROM key_result", [], |row| row.get(0)).unwrap();
    assert_eq!((quarters, krs), (1, 7));
    let ok: String = conn.query_row("PRAGMA foreign_key_check", [], |row| row.get(0)).unwrap_or_else(|_| "ok".into());
    assert_eq!(ok, "ok");
}

#[test]
fn a_second_process_can_open_a_board_that_is_open() {
    let (_dir, path) = board_path();
    let first = demo_store(&path);
    let second = Store::open(&path).unwrap();
    assert!(second.has_quarter().unwrap());
    drop((first, second));
}

/// Planning's candidates, read from schema v4's relevance index, are the
/// same as scoring every open item in no sprint and sorting them: by
/// relevance, then those tagged with a KR of the sprint's quarter before
/// BAU (untagged items sink), then by rank.
#[test]
fn planning_candidates_match_scoring_every_open_item() {
    let (_dir, path) = board_path();
    let mut store = Store::open(&path).unwrap();
    store.import_plan(&quarterdeck::plan::Plan::synthetic(today(), 600).unwrap(), today(), false).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let sprints: Vec<i64> =
        conn.prepare("SELECT id FROM sprint").unwrap().query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect();
    let mut relevant = 0;
    for sprint in sprints {
        let expected: Vec<(i64, u32)> = conn
            .prepare(
                "SELECT i.id, coalesce((SELECT sum(CASE WHEN sk.focus THEN 2 ELSE 1 END) FROM item_kr t
                     JOIN sprint_kr sk ON sk.key_result_id = t.key_result_id AND sk.sprint_id = ?1 WHERE t.item_id = i.id), 0) AS r,
                        EXISTS (SELECT 1 FROM item_kr t JOIN key_result k ON k.id = t.key_result_id
                                JOIN objective o ON o.id = k.objective_id JOIN sprint s ON s.quarter_id = o.quarter_id
                                WHERE t.item_id = i.id AND s.id = ?1) AS q
                 FROM item i WHERE i.sprint_id IS NULL AND i.state != 'done' ORDER BY r DESC, q DESC, i.rank, i.id",
            )
            .unwrap()
            .query_map([sprint], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        relevant += expected.iter().filter(|(_, relevance)| *relevance > 0).count();
        // A short list (only relevant items), and one long enough to reach the rest.
        for limit in [20, expected.len() + 5] {
            let (candidates, total) = store.planning_candidates(sprint, limit).unwrap();
            let got: Vec<(i64, u32)> = candidates.iter().map(|(item, relevance)| (item.id, *relevance)).collect();
            assert_eq!(got, expected[..limit.min(expected.len())], "sprint {sprint}, limit {limit}");
            assert_eq!(total, expected.len());
        }
    }
    assert!(relevant > 100, "the board has items that serve its sprints: {relevant}");
}

/// `demo --items N` boards come with a full undo history of real edits.
#[test]
fn a_synthetic_board_has_a_full_history_to_undo() {
    let (_dir, path) = board_path();
    let mut store = Store::open(&path).unwrap();
    let plan = quarterdeck::plan::Plan::synthetic(today(), 400).unwrap();
    store.import_synthetic(&plan, today(), false).unwrap();
    let depth = usize::try_from(quarterdeck::store::HISTORY_DEPTH).unwrap();
    assert_eq!(store.history_depths().unwrap(), (depth, 0));
    let label = store.undo().unwrap().expect("a step to undo");
    assert!(["Moved", "Tagged", "Took", "is now"].iter().any(|word| label.contains(word)), "{label}");
    assert_eq!(store.history_depths().unwrap(), (depth - 1, 1));
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
