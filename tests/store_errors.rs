//! Every refusal the store makes comes back as its own `StoreError`
//! variant, so a front end branches on what happened and words it itself;
//! and no store message names a key.

#![allow(clippy::unwrap_used)]

mod common;

use common::{board_path, demo_store, today};
use quarterdeck::{
    domain::{Id, SprintState},
    plan::Plan,
    store::{ItemFilter, Store, StoreError, board::NewQuarter},
};

fn sprint_in(store: &Store, state: SprintState) -> (Id, u32) {
    let board = store.load_board().unwrap().unwrap();
    let sprint = board.sprints.iter().find(|sprint| sprint.state == state).expect("a sprint in that state");
    (sprint.id, sprint.number)
}

fn first_item(store: &Store) -> Id {
    store.backlog_page(&ItemFilter::default(), 0, 1).unwrap()[0].id
}

#[test]
fn a_row_deleted_under_a_write_is_deleted_naming_the_action() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let item = first_item(&store);
    store.delete_items(&[item], "Deleted it").unwrap();
    let changes = quarterdeck::store::ItemChanges {
        title: Some(quarterdeck::domain::values::Title::parse("Renamed").expect("a title")),
        ..Default::default()
    };
    let error = store.update_item(item, &changes, "Renamed it").unwrap_err();
    assert!(matches!(&error, StoreError::Deleted { action } if action == "Renamed it"), "{error}");
}

#[test]
fn closing_a_planned_sprint_is_not_started() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let (planned, number) = sprint_in(&store, SprintState::Planned);
    let error = store.close_sprint(planned, today(), &[], "Closed it").unwrap_err();
    assert!(matches!(error, StoreError::NotStarted { sprint } if sprint == number), "{error}");
}

#[test]
fn starting_a_running_sprint_is_started_already() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let (active, number) = sprint_in(&store, SprintState::Active);
    let error = store.start_sprint(active, today(), "Started it").unwrap_err();
    assert!(matches!(&error, StoreError::StartedAlready { sprint, .. } if *sprint == number), "{error}");
}

#[test]
fn planning_into_a_closed_sprint_is_sprint_closed() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let (closed, number) = sprint_in(&store, SprintState::Closed);
    let item = first_item(&store);
    let error = store.set_item_sprint(item, Some(closed), "Planned it").unwrap_err();
    assert!(matches!(error, StoreError::SprintClosed { sprint } if sprint == number), "{error}");
}

#[test]
fn a_quarter_with_a_sprint_of_no_weeks_is_refused() {
    let (_dir, path) = board_path();
    let mut store = Store::open(&path).unwrap();
    let quarter = NewQuarter {
        label: "2027-Q1".into(),
        start: today(),
        span: quarterdeck::domain::values::SprintSpan { count: 2, weeks: 0 },
    };
    let error = store.create_quarter(&quarter, today()).unwrap_err();
    assert!(matches!(error, StoreError::SprintWithoutWeeks), "{error}");
    assert!(!store.has_quarter().unwrap(), "nothing written");
}

#[test]
fn a_plan_loaded_twice_is_already_on_board_and_a_broken_plan_is_invalid() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let mut plan = Plan::demo(today()).unwrap();
    let sprint = store.resolve("S1", None).unwrap();
    plan.sprints[0].id = Some(sprint.uid.clone());
    let error = store.import_plan(&plan, today(), false).unwrap_err();
    assert!(
        matches!(&error, StoreError::AlreadyOnBoard { field, uid, .. } if field == "sprints[0].id" && *uid == sprint.uid),
        "{error}"
    );
    let mut broken = plan;
    broken.sprints.clear();
    broken.items.clear();
    broken.quarter.label = String::new();
    let error = store.import_plan(&broken, today(), true).unwrap_err();
    assert!(matches!(error, StoreError::InvalidPlan(_)), "{error}");
}

#[test]
fn an_undo_whose_rows_are_gone_is_nothing_left_to_reverse() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let item = first_item(&store);
    store.set_item_description(item, "first", "Described it").unwrap();
    // Another window deletes the item, outside this one's history.
    let mut other = Store::open(&path).unwrap();
    other.delete_items(&[item], "Deleted it").unwrap();
    drop(other);
    // This window's newest step is the description; its row is gone.
    let error = store.undo().unwrap_err();
    assert!(matches!(&error, StoreError::NothingLeftToReverse { label } if label == "Described it"), "{error}");
}

#[test]
fn opening_what_is_no_board_is_typed() {
    let (dir, path) = board_path();
    let error = Store::open_read_only(&path).err().expect("no board");
    assert!(matches!(error, StoreError::NoBoardAt { .. }), "{error}");
    let error = Store::open(dir.path()).err().expect("a folder");
    assert!(matches!(error, StoreError::NotAFile { .. }), "{error}");
    std::fs::write(&path, b"plain text, long enough to be read as a header by the check of the file").unwrap();
    let error = Store::open(&path).err().expect("not a board");
    assert!(matches!(error, StoreError::Refused(_)), "{error}");
}

#[test]
fn a_write_on_a_viewer_is_read_only() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut viewer = Store::open_read_only(&path).unwrap();
    let item = first_item(&viewer);
    let error = viewer.set_item_description(item, "text", "Described it").unwrap_err();
    assert!(matches!(error, StoreError::ReadOnly { .. }), "{error}");
}

#[test]
fn no_store_message_names_a_key() {
    let messages = [
        StoreError::Held.to_string(),
        StoreError::Busy.to_string(),
        StoreError::Deleted { action: "Moved it".into() }.to_string(),
        StoreError::NotStarted { sprint: 3 }.to_string(),
        StoreError::SprintClosed { sprint: 3 }.to_string(),
        StoreError::StartedAlready { sprint: 3, state: "active".into() }.to_string(),
        StoreError::NothingLeftToReverse { label: "Moved it".into() }.to_string(),
    ];
    for message in messages {
        let lower = message.to_lowercase();
        for key in ["esc", "press", "enter", "ctrl"] {
            assert!(!lower.contains(key), "{message:?} names {key:?}");
        }
    }
}

/// The plan file's KRs and team are written with the store's value types:
/// a KR title no item could have, a score past 1.0 and a third of a day off
/// are refused, and nothing is written.
#[test]
fn a_plan_value_that_breaks_its_type_is_invalid_and_nothing_is_written() {
    let breakers: [fn(&mut Plan); 3] = [
        |plan| plan.objectives[0].key_results[0].title = "x".repeat(501),
        |plan| plan.objectives[0].key_results[0].score = Some(1.5),
        |plan| plan.team[0].days_off = vec![1.3],
    ];
    for (case, break_it) in breakers.iter().enumerate() {
        let (_dir, path) = board_path();
        let mut store = Store::open(&path).unwrap();
        let mut plan = Plan::demo(today()).unwrap();
        break_it(&mut plan);
        let error = store.import_plan(&plan, today(), false).unwrap_err();
        assert!(matches!(error, StoreError::InvalidPlan(_)), "case {case}: {error}");
        assert!(!store.has_quarter().unwrap(), "case {case}: nothing written");
    }
}

/// SQLite's "malformed" (SQLITE_CORRUPT) and "not a database"
/// (SQLITE_NOTADB) from any read or write are one typed error, which the
/// store names its file in; never SQLite's raw "Error code 11".
#[test]
fn sqlites_corrupt_and_notadb_are_damaged_and_name_the_file() {
    for code in [rusqlite::ffi::SQLITE_CORRUPT, rusqlite::ffi::SQLITE_NOTADB] {
        let sqlite = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
        let error = StoreError::from(sqlite);
        assert!(matches!(&error, StoreError::Damaged { path: None, .. }), "{error:?}");
        let named = error.on_board(std::path::Path::new("/boards/team.sqlite3"));
        let text = named.to_string();
        assert!(text.starts_with("/boards/team.sqlite3 is damaged"), "{text}");
        assert!(text.contains("restore it from a backup") && text.contains("export") && text.contains(".recover"), "{text}");
        // In the order they work: export reads past damaged pages and
        // saves what can still be read with any sqlite3 (#18), so it comes
        // before `.recover`, which not every build has.
        let (backup, recover, export) = (text.find("backup"), text.find(".recover"), text.find("export"));
        assert!(backup < export && export < recover, "{text}");
        assert!(text.contains("save what can still be read"), "{text}");
        assert!(!text.contains("Error code"), "{text}");
    }
    // Other failures keep their own meaning.
    let busy = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None);
    assert!(matches!(StoreError::from(busy), StoreError::Busy));
    let other = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL), None);
    assert!(StoreError::from(other).damage().is_none());
}

/// A board found damaged while it runs writes nothing more: every write
/// says the file is damaged, nothing changed; and closing leaves the folder
/// byte-identical (no checkpoint into the damaged file, no `-wal` left).
#[test]
fn a_board_marked_damaged_refuses_every_write_and_closes_without_writing() {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    let before = common::folder_files(dir.path());
    let mut store = Store::open(&path).unwrap();
    assert!(!store.is_read_only());
    store.mark_damaged("database disk image is malformed");
    assert!(store.is_read_only());
    let item = new_item("Never written");
    let error = store.add_item(&item, None, "Added it").unwrap_err();
    assert!(matches!(&error, StoreError::Damaged { path: Some(named), .. } if *named == path), "{error:?}");
    assert!(error.to_string().contains("Nothing was changed"), "{error}");
    // Best effort, as on any read-only board: nothing saved, nothing said.
    store.save_ui_state(&[(quarterdeck::store::UiKey::FocusedPane, Some("backlog".into()))]).unwrap();
    drop(store);
    assert!(common::folder_files(dir.path()) == before, "every file byte-identical, none added");
}

/// A write that has committed frames in the log when the board is found
/// damaged: closing does not checkpoint them into the damaged file (the
/// `-wal` keeps them for SQLite's recovery).
#[test]
fn a_damaged_board_with_frames_in_its_log_is_not_checkpointed_on_close() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut store = Store::open(&path).unwrap();
    let item = new_item("In the log");
    store.add_item(&item, None, "Added it").unwrap();
    let main_file = std::fs::read(&path).unwrap();
    store.mark_damaged("database disk image is malformed");
    drop(store);
    assert_eq!(std::fs::read(&path).unwrap(), main_file, "nothing checkpointed into the file");
    let wal = std::fs::metadata(format!("{}-wal", path.display())).unwrap();
    assert!(wal.len() > 32, "the log keeps the committed frames");
}

fn new_item(title: &str) -> quarterdeck::store::NewItem {
    quarterdeck::store::NewItem {
        title: quarterdeck::domain::values::Title::parse(title).expect("a title"),
        points: quarterdeck::domain::values::Points::new(1).expect("points"),
        kind: quarterdeck::domain::ItemKind::Story,
        description: String::new(),
        deferred_reason: String::new(),
    }
}
