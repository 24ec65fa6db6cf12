//! Rows as an importer or `sqlite3` may leave them: text that is not UTF-8,
//! points out of range or fractional, a fractional rank, a KR value that is
//! text. The board opens, shows them cleaned, names them, and its totals
//! add what the rows show.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{app_at, board_path, demo_store, render};
use quarterdeck::store::{ItemFilter, Store};

/// Runs raw SQL on the board, as `sqlite3` would; CHECK constraints off,
/// as an importer that skips them could leave rows.
fn corrupt(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA ignore_check_constraints = ON;").unwrap();
    conn.execute_batch(sql).unwrap();
}

/// Ids of the first items in backlog order, and of one in sprint 3.
fn ids(store: &Store) -> (Vec<i64>, i64) {
    let page = store.backlog_page(&ItemFilter::default(), 0, 40).unwrap();
    let in_sprint = page.iter().find(|item| item.sprint_number == Some(3)).unwrap().id;
    (page.iter().map(|item| item.id).collect(), in_sprint)
}

#[test]
fn bad_rows_are_shown_cleaned_and_named() {
    let (_dir, path) = board_path();
    let store = demo_store(&path);
    let (ids, in_sprint) = ids(&store);
    let load_before = store.load_board().unwrap().unwrap().sprints[2].load;
    drop(store);
    let (blob, bad_utf8, fraction) = (ids[5], ids[6], ids[7]);
    corrupt(
        &path,
        &format!(
            "UPDATE item SET title = CAST(x'fffe' AS BLOB) WHERE id = {blob};
             UPDATE item SET title = CAST(x'4f6b20ff21' AS TEXT) WHERE id = {bad_utf8};
             UPDATE item SET points = 5000000000 WHERE id = {in_sprint};
             UPDATE item SET rank = rank + 0.5, points = 2.5 WHERE id = {fraction};
             UPDATE item SET points = -3 WHERE id = {blob};
             UPDATE check_in SET value = 'lots' WHERE id = (SELECT id FROM check_in
                 WHERE key_result_id = (SELECT min(id) FROM key_result) ORDER BY date DESC, id DESC LIMIT 1);"
        ),
    );

    let store = Store::open(&path).unwrap();
    let board = store.load_board().unwrap().unwrap();
    let page = store.backlog_page(&ItemFilter::default(), 0, 40).unwrap();
    let item = |id: i64| page.iter().find(|item| item.id == id).unwrap();
    assert_eq!(item(blob).title, "\u{FFFD}\u{FFFD}");
    assert_eq!(item(bad_utf8).title, "Ok \u{FFFD}!");
    assert_eq!(item(in_sprint).points, 100);
    assert_eq!((item(fraction).points, item(blob).points), (3, 0));
    let kr = board.key_results().min_by_key(|kr| kr.id).unwrap();
    // A KR's current value is its latest check-in's: the bad one, shown as 0.
    assert!(kr.current.abs() < f64::EPSILON, "text shown as 0");
    let latest = kr.check_ins.iter().max_by_key(|check_in| (check_in.date, check_in.id)).unwrap().id;

    // Totals add the points as shown.
    let shown: u64 = page.iter().map(|item| u64::from(item.points)).sum();
    assert_eq!(store.backlog_summary(&ItemFilter::default()).unwrap().points, shown);
    let sprint = &board.sprints[2];
    let sprint_items: u32 = store.sprint_items(sprint.id).unwrap().iter().map(|item| item.points).sum();
    assert_eq!(sprint.load, sprint_items);
    assert_ne!(sprint.load, load_before, "the repaired value counts as shown");

    let repairs = store.repairs().join("\n");
    for expected in [
        format!("Item #{in_sprint}: points 5000000000 out of range, shown as 100"),
        format!("Item #{blob}: title is not text"),
        format!("Item #{blob}: points -3 out of range, shown as 0"),
        format!("Item #{bad_utf8}: title: not valid text"),
        format!("Item #{fraction}: points 2.5 not a whole number, shown as 3"),
        format!("Item #{fraction}: rank"),
        format!("{}, check-in {latest}: value: 'lots' is not a number, shown as 0", kr.code),
    ] {
        assert!(repairs.contains(&expected), "{expected:?} missing from:\n{repairs}");
    }
    let detail = store.item_detail(bad_utf8).unwrap().unwrap();
    assert_eq!(detail.row.title, "Ok \u{FFFD}!");
}

#[test]
fn a_board_with_bad_rows_renders() {
    let (_dir, path) = board_path();
    let store = demo_store(&path);
    let (ids, in_sprint) = ids(&store);
    drop(store);
    corrupt(
        &path,
        &format!(
            "UPDATE item SET title = CAST(x'ff' || CAST('Broken title' AS BLOB) AS TEXT), rank = 0.5 WHERE id = {};
             UPDATE item SET points = 5000000000 WHERE id = {in_sprint};",
            ids[1]
        ),
    );
    let app = app_at(&path, 160, 48);
    let screen = render(&app);
    assert!(screen.contains("\u{FFFD}Broken title"), "{screen}");
    assert!(screen.contains("Backlog"), "{screen}");
}
