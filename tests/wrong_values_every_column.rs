//! #18 defect 1, every column: each column of each table the board reads,
//! set to a value of another kind in one row (the first or the last), never
//! stops the board from opening, its screens from drawing, or a plan
//! export; and no screen shows a raw library error.

#![allow(clippy::unwrap_used)]

mod common;

use common::{board_path, demo_store, keys, render, today};
use quarterdeck::{
    app::{App, Keymap},
    store::Store,
};

/// Values of each kind SQLite can hold, none what the columns mean (a
/// fraction, text, bytes that are not UTF-8). Negative and huge whole
/// numbers are clamped by the same readers (`tests/cleaning.rs`); `NULL`
/// is kept out by the schema's NOT NULLs or read as none.
const WRONG: &[&str] = &["2.5", "'zz'", "x'00ff'"];

/// The bookkeeping of undo and of the screen: the store's own, rebuilt by it.
const NOT_READ_AS_BOARD: &[&str] = &["history_step", "change_log", "history_recording", "ui_state", "number_high_water"];

const RAW_ERRORS: &[&str] = &["Invalid column type", "Conversion error", "InvalidColumnType", "FromSqlConversionFailure"];

/// The tables of the plan, and the rest: two tests, so that they run side by side.
const PLAN_TABLES: &[&str] = &["quarter", "objective", "key_result", "check_in", "sprint", "sprint_kr"];

#[test]
fn no_wrong_value_in_a_plan_table_stops_the_board_or_an_export() {
    every_column(|table| PLAN_TABLES.contains(&table));
}

#[test]
fn no_wrong_value_in_any_other_table_stops_the_board_or_an_export() {
    every_column(|table| !PLAN_TABLES.contains(&table));
}

fn every_column(wanted: impl Fn(&str) -> bool) {
    let (dir, base) = board_path();
    drop(demo_store(&base));
    let conn = rusqlite::Connection::open(&base).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(conn);
    let copy = dir.path().join("spoiled.sqlite3");
    let mut tried = 0;
    let mut failed = Vec::new();
    for table in tables.iter().filter(|table| !NOT_READ_AS_BOARD.contains(&table.as_str()) && wanted(table)) {
        let conn = rusqlite::Connection::open(&base).unwrap();
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}') WHERE pk = 0"))
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        drop(conn);
        for column in &columns {
            for which in ["min", "max"] {
                for value in WRONG {
                    std::fs::copy(&base, &copy).unwrap();
                    let conn = rusqlite::Connection::open(&copy).unwrap();
                    let sql = format!("UPDATE {table} SET {column} = {value} WHERE rowid = (SELECT {which}(rowid) FROM {table})");
                    // A CHECK or UNIQUE the schema has keeps this value out.
                    if conn.execute(&sql, []).map_or(true, |changed| changed == 0) {
                        continue;
                    }
                    drop(conn);
                    tried += 1;
                    let case = format!("{table}.{column} = {value} ({which} row)");
                    let store = Store::open(&copy).unwrap();
                    let mut app = match App::new(store, Keymap::default_keys().unwrap(), today()) {
                        Ok(app) => app,
                        Err(error) => {
                            failed.push(format!("{case}: the board did not open: {error:#}"));
                            continue;
                        }
                    };
                    app.resize(160, 48).unwrap();
                    app.overlays.clear();
                    for screen in ["", "H", "R", "L", "r"] {
                        keys(&mut app, screen);
                        let shown = render(&app);
                        if let Some(line) = shown.lines().find(|line| RAW_ERRORS.iter().any(|raw| line.contains(raw))) {
                            failed.push(format!("{case}, screen {screen:?}: {}", line.trim()));
                        }
                        app.overlays.clear();
                        keys(&mut app, "\u{1b}");
                    }
                    drop(app);
                    let store = Store::open_read_only(&copy).unwrap();
                    let board = match store.load_board() {
                        Ok(board) => board,
                        Err(error) => {
                            failed.push(format!("{case}: reading the board: {error:#}"));
                            continue;
                        }
                    };
                    if let Some(board) = board
                        && let Err(error) = store.export_plan(board.quarter.id)
                    {
                        failed.push(format!("{case}: export: {error:#}"));
                    }
                }
            }
        }
    }
    assert!(failed.is_empty(), "{} of {tried} cases failed:\n{}", failed.len(), failed.join("\n"));
    assert!(tried > 50, "only {tried} cases were tried");
}
