//! The import of other tools' items into the board (`ops::external`), on
//! items built in code: re-import, items edited on the board since, `--overwrite`,
//! dry runs, all-or-nothing and undo. The readers are tested on their own;
//! tests/import_e2e.rs runs the real binary on files.

#![allow(clippy::unwrap_used)]

mod common;

use common::{board_path, demo_store, today};
use quarterdeck::{
    domain::{ItemState, codes, values::Title},
    import::{
        ExternalItem, ReadError, Source, StatusCategory,
        mapping::{Maps, key_of},
    },
    ops::{
        self, Command, ItemEdit,
        external::{ExternalImport, ImportError, ImportReport, import_external},
    },
    store::{Resolved, Store},
};

fn item(line: usize, key: &str, title: &str) -> ExternalItem {
    ExternalItem {
        line,
        key: key.to_owned(),
        title: title.to_owned(),
        description: String::new(),
        points: Some(2.0),
        status: "To Do".to_owned(),
        category: StatusCategory::Todo,
        labels: vec!["checkout".to_owned()],
        sprints: Vec::new(),
        kind: None,
        parent: None,
        priority: None,
        created: None,
        updated: None,
        done_at: None,
        notes: Vec::new(),
        depends: Vec::new(),
        extra: Vec::new(),
    }
}

fn maps(store: &Store) -> Maps {
    let mut maps = Maps::default();
    let Resolved::KeyResult(kr) = store.resolve("KR1.1", None).unwrap().object else { panic!("KR1.1 is a KR") };
    maps.krs.insert(key_of("checkout"), vec![kr.row()]);
    maps
}

fn import(store: &mut Store, items: Vec<ExternalItem>, overwrite: bool, dry_run: bool) -> Result<ImportReport, ImportError> {
    let maps = maps(store);
    let how = ExternalImport {
        source: Source::JiraCsv,
        maps: &maps,
        overwrite,
        dry_run,
        step: "Imported backlog.csv".into(),
        list_all: true,
    };
    import_external(store, &how, items.into_iter().map(Ok), today())
}

fn items_on_board(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path).unwrap().query_row("SELECT count(*) FROM item", [], |row| row.get(0)).unwrap()
}

fn three() -> Vec<ExternalItem> {
    vec![item(2, "PROJ-1", "Export CSV"), item(3, "PROJ-2", "Import CSV"), item(5, "PROJ-3", "Share a report")]
}

fn id_of(report_ref: &str) -> i64 {
    report_ref.trim_start_matches('#').parse().unwrap()
}

#[test]
fn a_first_import_creates_every_item_with_its_key_tags_and_one_undo_step() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let before = items_on_board(&path);
    let report = import(&mut store, three(), false, false).unwrap();
    assert_eq!((report.created.len(), report.updated.len(), report.unchanged, report.skipped.len()), (3, 0, 0, 0));
    assert_eq!(items_on_board(&path), before + 3);
    let first = id_of(&report.created[0].item);
    let key = store.external_key(first).unwrap().unwrap();
    assert_eq!((key.source.as_str(), key.key.as_str()), ("jira-csv", "PROJ-1"));
    let detail = store.item_detail(first).unwrap().unwrap();
    assert_eq!(detail.row.title, "Export CSV");
    assert_eq!(detail.row.kr_codes, vec!["KR1.1".to_owned()]);
    // One step: undo takes every item away.
    assert_eq!(store.undo().unwrap().as_deref(), Some("Imported backlog.csv"));
    assert_eq!(items_on_board(&path), before);
}

#[test]
fn importing_the_same_items_again_finds_them_unchanged_and_a_changed_row_updates_its_item_only() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let first = import(&mut store, three(), false, false).unwrap();
    let before = items_on_board(&path);
    let again = import(&mut store, three(), false, false).unwrap();
    assert_eq!((again.created.len(), again.updated.len(), again.unchanged, again.skipped.len()), (0, 0, 3, 0));
    assert_eq!(items_on_board(&path), before);
    let mut edited = three();
    edited[1].title = "Import CSV and TSV".into();
    edited[1].category = StatusCategory::Done;
    let report = import(&mut store, edited, false, false).unwrap();
    assert_eq!((report.created.len(), report.updated.len(), report.unchanged), (0, 1, 2));
    assert_eq!(report.updated[0].item, first.created[1].item);
    let detail = store.item_detail(id_of(&first.created[1].item)).unwrap().unwrap();
    assert_eq!((detail.row.title.as_str(), detail.row.state), ("Import CSV and TSV", ItemState::Done));
    assert_eq!(detail.done_on, Some(today()));
    // Undo of that import puts back what it updated.
    store.undo().unwrap();
    let detail = store.item_detail(id_of(&first.created[1].item)).unwrap().unwrap();
    assert_eq!((detail.row.title.as_str(), detail.row.state), ("Import CSV", ItemState::Todo));
    assert_eq!(items_on_board(&path), before);
}

#[test]
fn an_item_edited_on_the_board_since_the_last_import_is_kept_and_reported_unless_overwrite() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let first = import(&mut store, three(), false, false).unwrap();
    let edited_on_board = id_of(&first.created[0].item);
    let edit = ItemEdit { title: Some(Title::parse("Export CSV (board)").unwrap()), ..ItemEdit::default() };
    ops::apply(&mut store, &Command::EditItem { item: quarterdeck::domain::ids::ItemId(edited_on_board), edit }, today())
        .unwrap();
    let mut file = three();
    file[0].title = "Export CSV, from the file".into();
    let report = import(&mut store, file.clone(), false, false).unwrap();
    assert_eq!((report.created.len(), report.updated.len(), report.unchanged, report.skipped.len()), (0, 0, 2, 1));
    let skipped = &report.skipped[0];
    assert_eq!(skipped.reason, "edited on the board");
    assert_eq!(
        skipped.message,
        format!(
            "line 2 {} PROJ-1 changed on the board since the last import: kept; --overwrite to take the file's",
            codes::item(edited_on_board)
        )
    );
    assert_eq!(store.item_detail(edited_on_board).unwrap().unwrap().row.title, "Export CSV (board)");
    // Even a file that did not change that row keeps the board's edit.
    let report = import(&mut store, three(), false, false).unwrap();
    assert_eq!(report.skipped.len(), 1);
    let report = import(&mut store, file, true, false).unwrap();
    assert_eq!((report.updated.len(), report.unchanged, report.skipped.len()), (1, 2, 0));
    assert_eq!(store.item_detail(edited_on_board).unwrap().unwrap().row.title, "Export CSV, from the file");
}

#[test]
fn a_dry_run_reports_what_it_would_do_and_changes_nothing() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let before = items_on_board(&path);
    let depths = store.history_depths().unwrap();
    let report = import(&mut store, three(), false, true).unwrap();
    assert_eq!(report.created.len(), 3);
    assert_eq!(items_on_board(&path), before);
    assert_eq!(store.history_depths().unwrap(), depths, "no undo step");
    let lines = report.lines("backlog.csv (jira-csv)", true);
    assert!(lines[0].starts_with("would create #"), "{lines:?}");
    assert_eq!(
        lines.last().unwrap(),
        "Dry run of backlog.csv (jira-csv): 3 to create, 0 to update, 0 unchanged, 0 skipped. Dry run: nothing was changed."
    );
}

#[test]
fn a_row_that_cannot_be_mapped_or_read_changes_nothing_even_after_rows_were_written() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let before = items_on_board(&path);
    let mut rows = three();
    rows[2].category = StatusCategory::Unknown;
    rows[2].status = "Parked".into();
    let Err(ImportError::Row(error)) = import(&mut store, rows, false, false) else { panic!("an error") };
    assert_eq!((error.line, error.column.as_deref()), (5, Some("Status")));
    assert_eq!(items_on_board(&path), before);
    // A reader's error after two good rows: nothing either.
    let maps = maps(&store);
    let how = ExternalImport {
        source: Source::JiraCsv,
        maps: &maps,
        overwrite: false,
        dry_run: false,
        step: "x".into(),
        list_all: true,
    };
    let read: Vec<Result<ExternalItem, ReadError>> = vec![
        Ok(item(2, "PROJ-1", "One")),
        Ok(item(3, "PROJ-2", "Two")),
        Err(ReadError { line: 4, column: Some("Summary".into()), message: "an unclosed quote".into() }),
    ];
    let Err(ImportError::Row(error)) = import_external(&mut store, &how, read.into_iter(), today()) else { panic!("an error") };
    assert_eq!(error.to_string(), "line 4, column Summary: an unclosed quote");
    assert_eq!(items_on_board(&path), before);
    assert!(store.undo().is_ok());
}

#[test]
fn canceled_and_deleted_items_are_counted_with_their_reason_and_not_written() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let mut rows = three();
    rows[0].category = StatusCategory::Canceled;
    rows[1].category = StatusCategory::Deleted;
    let report = import(&mut store, rows, false, false).unwrap();
    assert_eq!(report.created.len(), 1);
    let reasons: Vec<&str> = report.skipped.iter().map(|skipped| skipped.reason.as_str()).collect();
    assert_eq!(reasons, ["canceled", "deleted"]);
    let lines = report.lines("x", false);
    assert!(lines.last().unwrap().contains("1 created, 0 updated, 0 unchanged, 2 skipped (1 canceled, 1 deleted)"), "{lines:?}");
}

#[test]
fn an_item_in_a_closed_sprint_keeps_its_record_even_with_overwrite() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let first = import(&mut store, three(), false, false).unwrap();
    let done_in_s1 = id_of(&first.created[0].item);
    // As if it had been planned and closed with sprint 1 (closed in the demo).
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE item SET sprint_id = (SELECT id FROM sprint WHERE number = 1 AND state = 'closed') WHERE id = ?1",
            [done_in_s1],
        )
        .unwrap();
    let mut file = three();
    file[0].title = "Export CSV, renamed in Jira".into();
    let report = import(&mut store, file, true, false).unwrap();
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].reason, "in a closed sprint");
    assert_eq!(
        report.skipped[0].message,
        format!("line 2 {} PROJ-1 is in closed sprint S1, whose record stays as it was: kept", codes::item(done_in_s1))
    );
    assert_eq!(store.item_detail(done_in_s1).unwrap().unwrap().row.title, "Export CSV");
}

#[test]
fn items_no_label_maps_are_bau_and_the_advice_says_so_once_for_the_file() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let mut rows = three();
    rows[0].labels.clear();
    rows[2].labels = vec!["nothing-maps-this".into()];
    let report = import(&mut store, rows, false, false).unwrap();
    let bau: Vec<&String> = report.warnings.iter().filter(|warning| warning.contains("BAU")).collect();
    assert_eq!(
        bau,
        [
            "2 items written move no KR: they are BAU (business as usual); map their labels to KRs with --map LABEL=KR1.2, or tag them on the board"
        ]
    );
    let detail = store.item_detail(id_of(&report.created[2].item)).unwrap().unwrap();
    assert!(detail.row.kr_codes.is_empty());
}

fn import_with(store: &mut Store, items: Vec<ExternalItem>, maps: &Maps, dry_run: bool) -> ImportReport {
    let how = ExternalImport {
        source: Source::JiraCsv,
        maps,
        overwrite: false,
        dry_run,
        step: "Imported b.csv".into(),
        list_all: false,
    };
    import_external(store, &how, items.into_iter().map(Ok), today()).unwrap()
}

/// The sprint (number) and KR tags item `id` has on the board.
fn sprint_and_tags(path: &std::path::Path, id: i64) -> (Option<i64>, Vec<i64>) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let sprint = conn
        .query_row("SELECT s.number FROM item i LEFT JOIN sprint s ON s.id = i.sprint_id WHERE i.id = ?1", [id], |row| row.get(0))
        .unwrap();
    let mut tags = conn.prepare("SELECT key_result_id FROM item_kr WHERE item_id = ?1 ORDER BY 1").unwrap();
    (sprint, tags.query_map([id], |row| row.get(0)).unwrap().map(Result::unwrap).collect())
}

/// `maps` with "Team Sprint 14" mapped to the quarter's first open sprint;
/// that sprint's row id.
fn with_open_sprint(store: &Store, mut maps: Maps) -> (Maps, i64) {
    let board = store.load_board().unwrap().unwrap();
    let open = board.sprints.iter().find(|sprint| sprint.state != quarterdeck::domain::SprintState::Closed).unwrap();
    let target = quarterdeck::import::mapping::SprintTarget { id: open.id, code: codes::sprint(open.number), closed: false };
    maps.sprints.insert(key_of("Team Sprint 14"), target);
    (maps, open.id)
}

fn in_team_sprint_14(mut rows: Vec<ExternalItem>) -> Vec<ExternalItem> {
    for row in &mut rows {
        row.sprints = vec!["Team Sprint 14".into()];
    }
    rows
}

#[test]
fn an_item_in_a_closed_sprint_is_said_once_and_never_left_in_the_backlog() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let (mut maps, sprint) = with_open_sprint(&store, maps(&store));
    let first = import_with(&mut store, in_team_sprint_14(three()), &maps, false);
    let planned = id_of(&first.created[0].item);
    let number = sprint_and_tags(&path, planned).0;
    assert!(number.is_some(), "planned by the import");
    // The sprint closes on the board; the file still names it.
    rusqlite::Connection::open(&path).unwrap().execute("UPDATE sprint SET state = 'closed' WHERE id = ?1", [sprint]).unwrap();
    maps.sprints.values_mut().for_each(|target| target.closed = true);
    // Unchanged in the file: it stays in its sprint, quietly.
    let report = import_with(&mut store, in_team_sprint_14(three()), &maps, false);
    assert_eq!((report.unchanged, report.skipped.len()), (3, 0), "{report:?}");
    assert!(report.all_warnings().iter().all(|warning| !warning.contains("left in the backlog")), "{report:?}");
    // Renamed in the file: one line, that it is kept in the closed sprint.
    let mut file = in_team_sprint_14(three());
    file[0].title = "Export CSV, renamed in Jira".into();
    let report = import_with(&mut store, file, &maps, false);
    let lines = report.lines("b.csv (jira-csv)", false);
    let about: Vec<&String> = lines.iter().filter(|line| line.contains("PROJ-1")).collect();
    assert_eq!(about.len(), 1, "{lines:?}");
    assert!(about[0].contains("is in closed sprint"), "{lines:?}");
    assert_eq!(sprint_and_tags(&path, planned).0, number);
}

#[test]
fn an_import_naming_no_map_leaves_the_boards_kr_tags_and_sprint_as_they_are() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let (maps, _) = with_open_sprint(&store, maps(&store));
    let first = import_with(&mut store, in_team_sprint_14(three()), &maps, false);
    let planned = id_of(&first.created[1].item);
    let before = sprint_and_tags(&path, planned);
    assert!(before.0.is_some() && before.1.len() == 1, "planned and tagged by the first import: {before:?}");
    // The same file with no --map and no --sprint-map: nothing to change.
    let report = import_with(&mut store, in_team_sprint_14(three()), &Maps::default(), false);
    assert_eq!((report.updated.len(), report.unchanged), (0, 3), "{report:?}");
    assert_eq!(sprint_and_tags(&path, planned), before);
    // A title changed in the file: the title is taken, tags and sprint stay.
    let mut file = in_team_sprint_14(three());
    file[1].title = "Import CSV, renamed".into();
    let report = import_with(&mut store, file.clone(), &Maps::default(), false);
    assert_eq!((report.updated.len(), report.unchanged), (1, 2), "{report:?}");
    assert_eq!(sprint_and_tags(&path, planned), before);
    assert!(
        report.all_warnings().iter().all(|warning| !warning.contains("BAU (business as usual)")),
        "kept tags are not BAU: {report:?}"
    );
    assert!(report.all_warnings().iter().all(|warning| !warning.contains("backlog")), "kept in its sprint: {report:?}");
    // And again: unchanged, not "edited on the board".
    let report = import_with(&mut store, file, &Maps::default(), false);
    assert_eq!((report.updated.len(), report.unchanged, report.skipped.len()), (0, 3, 0), "{report:?}");
}

#[test]
fn a_big_file_reads_as_a_short_report_grouped_by_advice_and_reason() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let mut rows = Vec::new();
    for n in 0..48 {
        let mut row = item(2 + n, &format!("CHK-{n}"), &format!("Checkout step {n}"));
        if n % 4 == 3 {
            row.category = StatusCategory::Canceled;
        } else {
            row.sprints = vec!["Team Sprint 11".into()];
        }
        rows.push(row);
    }
    let mut maps = maps(&store);
    maps.first_open_sprint = Some("S2".into());
    let report = import_with(&mut store, rows, &maps, true);
    let lines = report.lines("big.csv (jira-csv)", true);
    let would: Vec<&String> = lines.iter().filter(|line| line.starts_with("would create ")).collect();
    assert_eq!(would.len(), 10, "{lines:?}");
    assert!(lines.contains(&"… and 26 more to create".to_owned()), "{lines:?}");
    let skipped: Vec<&String> = lines.iter().filter(|line| line.starts_with("skipped: line ")).collect();
    assert_eq!(skipped.len(), 10, "{lines:?}");
    assert!(lines.contains(&"skipped: … and 2 more canceled".to_owned()), "{lines:?}");
    let sprint: Vec<&String> = lines.iter().filter(|line| line.contains("Team Sprint 11")).collect();
    assert_eq!(sprint.len(), 1, "one line for the 36 rows: {lines:?}");
    assert!(
        sprint[0].starts_with(
            "warning: sprint \"Team Sprint 11\" is no sprint of the quarter: 36 items (line 2 CHK-0, line 3 CHK-1, line 4 CHK-2 and 33 more): left in the backlog; add --sprint-map"
        ),
        "{lines:?}"
    );
    assert_eq!(
        lines.last().unwrap(),
        "Dry run of big.csv (jira-csv): 36 to create, 0 to update, 0 unchanged, 12 skipped (12 canceled). Dry run: nothing was changed."
    );
}

#[test]
fn a_key_twice_in_one_file_is_one_item_counted_once_and_said() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let before = items_on_board(&path);
    let mut rows = three();
    rows[0].labels.clear();
    let mut later = item(9, "PROJ-1", "Export CSV, later row");
    later.labels.clear();
    rows.push(later);
    let report = import(&mut store, rows, false, false).unwrap();
    // One item, counted once (it was "created then updated" before), and said.
    assert_eq!((report.created.len(), report.updated.len(), report.unchanged), (3, 0, 0), "{report:?}");
    assert!(report.warnings.iter().any(|warning| warning == "PROJ-1 is on lines 2 and 9: the later row is kept"), "{report:?}");
    assert!(report.warnings.iter().any(|warning| warning.starts_with("1 item written moves no KR")), "BAU once: {report:?}");
    assert_eq!(items_on_board(&path), before + 3);
    let first = id_of(&report.created[0].item);
    assert_eq!(store.item_detail(first).unwrap().unwrap().row.title, "Export CSV, later row");
}

#[test]
fn more_items_than_one_insert_takes_are_all_written_and_undone_as_one_step() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let before = items_on_board(&path);
    let rows: Vec<ExternalItem> = (0..450).map(|n| item(n + 2, &format!("BULK-{n}"), &format!("Bulk item {n}"))).collect();
    let report = import(&mut store, rows, false, false).unwrap();
    assert_eq!(report.created.len(), 450);
    assert_eq!(items_on_board(&path), before + 450);
    let last = id_of(&report.created[449].item);
    let detail = store.item_detail(last).unwrap().unwrap();
    assert_eq!(detail.row.title, "Bulk item 449");
    assert_eq!(detail.row.kr_codes.len(), 1, "tagged through --map");
    store.undo().unwrap();
    assert_eq!(items_on_board(&path), before);
}
