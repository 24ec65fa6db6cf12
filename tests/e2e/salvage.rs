//! `quarterdeck export` on a damaged board saves what can still be read
//! (#18): every page of the demo board damaged in turn, as the trial did
//! (16 bytes flipped in its middle) and at its header (the b-tree's own
//! bytes, so that whole tables and their pages are lost), each copy
//! exported, the plan imported into a new board.

use std::{collections::BTreeSet, fs, path::Path};

use quarterdeck::plan::Plan;

use super::{
    board_path, damaged::damaged_copy_at, damaged::immutable, damaged::integrity, damaged::pristine_demo, folder_files,
    quarterdeck,
};

/// The item numbers of the plan file at `path`.
fn plan_items(path: &Path) -> BTreeSet<i64> {
    let text = fs::read_to_string(path).unwrap();
    let plan: Plan = toml::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    plan.items.iter().map(|item| item.number.unwrap()).collect()
}

/// The items of `numbers` whose row SQLite can still find in `board`, each
/// read on its own through an immutable connection (no file made beside it).
fn readable_items(board: &Path, numbers: &BTreeSet<i64>) -> BTreeSet<i64> {
    let Ok(conn) = immutable(board) else {
        return BTreeSet::new();
    };
    numbers
        .iter()
        .copied()
        .filter(|number| conn.query_row("SELECT rowid FROM item WHERE rowid = ?1", [number], |row| row.get::<_, i64>(0)).is_ok())
        .collect()
}

/// On every damaged copy the board opens, export writes a plan that
/// imports into a new board, and the items it saved are the copy's
/// readable items; exit 1 with what was skipped and what to do next, 0 when
/// nothing was; exit 2 writing nothing only when the board cannot be
/// opened or what can be read is not a plan (no quarter row, no sprint).
/// The damaged file and its folder stay byte-identical. Failed before:
/// export stopped at the first damaged page it read, exit 2, no plan.
#[test]
fn export_saves_what_can_still_be_read_from_every_damaged_page() {
    let (pristine, page_size) = pristine_demo();
    let (whole_dir, whole) = board_path();
    fs::write(&whole, &pristine).unwrap();
    let whole_plan = whole_dir.path().join("whole.toml");
    assert!(quarterdeck(&whole, &["export", "--output", whole_plan.to_str().unwrap()]).status.success());
    let all_items = plan_items(&whole_plan);
    let pages = pristine.len() / page_size;
    let mut failures = Vec::new();
    let (mut saved_partly, mut saved_whole) = (0, 0);
    for page in 1..pages {
        for (place, start) in [("middle", page * page_size + page_size / 2), ("header", page * page_size + 3)] {
            let (dir, copy) = damaged_copy_at(&pristine, start);
            if integrity(&copy) == "ok" {
                continue;
            }
            let out = tempfile::tempdir().unwrap();
            let plan = out.path().join("plan.toml");
            let before = folder_files(dir.path());
            let output = quarterdeck(&copy, &["export", "--output", plan.to_str().unwrap()]);
            let said = String::from_utf8_lossy(&output.stderr).into_owned();
            let at = format!("page {} ({place})", page + 1);
            if folder_files(dir.path()) != before {
                failures.push(format!("{at}: the damaged board's folder changed"));
            }
            if said.contains("panicked") || said.contains("Error code") {
                failures.push(format!("{at}: said {said}"));
                continue;
            }
            match output.status.code() {
                Some(2) => {
                    let why = said.contains("cannot be opened") || said.contains("nothing was written");
                    if !why || !said.contains(&copy.display().to_string()) || plan.exists() {
                        failures.push(format!("{at}: exit 2 without saying why, or a plan written: {said}"));
                    }
                    continue;
                }
                Some(0) => saved_whole += 1,
                Some(1) => {
                    saved_partly += 1;
                    if !said.contains("could not be read") && !said.contains("dropped") && !said.contains("new one") {
                        failures.push(format!("{at}: exit 1 without saying what was skipped: {said}"));
                    }
                }
                code => {
                    failures.push(format!("{at}: exit {code:?}: {said}"));
                    continue;
                }
            }
            if !said.contains("damaged") || !said.contains("import") {
                failures.push(format!("{at}: saved without naming the damage and the next step: {said}"));
            }
            let saved = plan_items(&plan);
            let readable = readable_items(&copy, &all_items);
            if saved != readable {
                failures.push(format!("{at}: saved items {saved:?}, but the readable ones are {readable:?}"));
            }
            let (_new_dir, new_board) = board_path();
            let imported = quarterdeck(&new_board, &["import", plan.to_str().unwrap()]);
            if !imported.status.success() {
                failures.push(format!("{at}: the plan does not import: {}", String::from_utf8_lossy(&imported.stderr)));
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
    // The demo board has tables whose pages, damaged, lose rows: the
    // salvage is exercised, not only the whole read.
    assert!(saved_partly >= 5, "only {saved_partly} copies saved in part ({saved_whole} whole): the test no longer tests");
}

/// The demo board's copy with the b-tree header of `table`'s first page
/// damaged: every row of a table that fits one page is lost.
fn table_damaged(table: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (pristine, page_size) = pristine_demo();
    let (_dir, whole) = board_path();
    fs::write(&whole, &pristine).unwrap();
    let conn = immutable(&whole).unwrap();
    let root: usize = conn
        .query_row("SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = ?1", [table], |row| row.get(0))
        .unwrap();
    damaged_copy_at(&pristine, (root - 1) * page_size + 3)
}

/// The quarter's own row cannot be read: export says so, exits 2 and
/// writes nothing; the file stays as it was.
#[test]
fn a_board_whose_quarter_cannot_be_read_exports_nothing_and_says_so() {
    let (dir, copy) = table_damaged("quarter");
    let before = folder_files(dir.path());
    let out = tempfile::tempdir().unwrap();
    let plan = out.path().join("plan.toml");
    let output = quarterdeck(&copy, &["export", "--output", plan.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{said}");
    assert!(said.contains("the board's quarter itself cannot be read: nothing was written"), "{said}");
    assert!(said.contains(&copy.display().to_string()), "{said}");
    assert!(!plan.exists());
    assert_eq!(folder_files(dir.path()), before);
}

/// Every KR lost: the plan keeps the objectives, each item's tags to the
/// lost KRs are dropped and said (by item), exit 1, and the plan imports.
#[test]
fn tags_to_key_results_that_cannot_be_read_are_dropped_and_said() {
    let (dir, copy) = table_damaged("key_result");
    let before = folder_files(dir.path());
    let out = tempfile::tempdir().unwrap();
    let plan = out.path().join("plan.toml");
    let output = quarterdeck(&copy, &["export", "--output", plan.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("key_result: 7 of 7 rows could not be read"), "{said}");
    assert!(said.contains("#1: its tag to a KR that could not be read (id 1) is dropped"), "{said}");
    assert!(said.contains(&format!("import {}", plan.display())), "the next step names the plan: {said}");
    let saved: Plan = toml::from_str(&fs::read_to_string(&plan).unwrap()).unwrap();
    assert!(saved.items.iter().all(|item| item.krs.is_empty()), "no tag to a KR the plan lacks");
    assert_eq!(saved.objectives.len(), 3);
    assert_eq!(folder_files(dir.path()), before);
    let (_new_dir, new_board) = board_path();
    let imported = quarterdeck(&new_board, &["import", plan.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
}

/// Only an index damaged: every row is read from its table, the plan is
/// whole, and export exits 0 with a warning that names the damage.
#[test]
fn a_damaged_index_alone_loses_nothing_and_exits_0_with_a_warning() {
    let (pristine, page_size) = pristine_demo();
    let (_dir, whole) = board_path();
    fs::write(&whole, &pristine).unwrap();
    let conn = immutable(&whole).unwrap();
    let root: usize = conn
        .query_row("SELECT rootpage FROM sqlite_schema WHERE type = 'index' AND name = 'item_by_uid'", [], |row| row.get(0))
        .unwrap();
    let (dir, copy) = damaged_copy_at(&pristine, (root - 1) * page_size + 3);
    assert_ne!(integrity(&copy), "ok");
    let before = folder_files(dir.path());
    let output = quarterdeck(&copy, &["export"]);
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("is damaged") && said.contains("nothing was skipped"), "{said}");
    let saved: Plan = toml::from_str(&String::from_utf8_lossy(&output.stdout)).unwrap();
    assert_eq!(saved.items.len(), 40);
    assert_eq!(folder_files(dir.path()), before);
}

/// An item whose sprint was not read is saved in the backlog, unplanned,
/// and said. The demo's sprints share one page, so a damaged page loses
/// them all; a sprint row gone alone (deleted with foreign keys off, as
/// another tool might) stands in for one lost on its own, with an index
/// damaged so that export reads past the damage.
#[test]
fn an_item_whose_sprint_cannot_be_read_is_saved_in_the_backlog_and_said() {
    let (pristine, page_size) = pristine_demo();
    let (dir, board) = board_path();
    fs::write(&board, &pristine).unwrap();
    let (planned, root): (Vec<i64>, usize) = {
        let conn = rusqlite::Connection::open(&board).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA journal_mode = DELETE;").unwrap();
        let planned = conn
            .prepare("SELECT id FROM item WHERE sprint_id = (SELECT id FROM sprint WHERE number = 4) ORDER BY id")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        conn.execute("DELETE FROM sprint WHERE number = 4", []).unwrap();
        let root = conn.query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'item_by_uid'", [], |row| row.get(0)).unwrap();
        (planned, root)
    };
    assert!(!planned.is_empty(), "the demo plans items into S4");
    let mut bytes = fs::read(&board).unwrap();
    for byte in &mut bytes[(root - 1) * page_size + 3..][..16] {
        *byte ^= 0xFF;
    }
    fs::write(&board, bytes).unwrap();
    let before = folder_files(dir.path());
    let output = quarterdeck(&board, &["export"]);
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{said}");
    for number in &planned {
        assert!(
            said.contains(&format!("#{number}: its sprint could not be read, so it is saved in the backlog, unplanned")),
            "{said}"
        );
    }
    let saved: Plan = toml::from_str(&String::from_utf8_lossy(&output.stdout)).unwrap();
    for number in &planned {
        let item = saved.items.iter().find(|item| item.number == Some(*number)).expect("saved");
        assert_eq!(item.sprint, None, "#{number} unplanned");
    }
    assert_eq!(folder_files(dir.path()), before);
}
