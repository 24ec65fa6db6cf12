//! What a board file holds, read with plain SQL after a kill: whether SQLite
//! finds it whole, the user's data as one comparable value, and the undo
//! history's steps.

use std::{collections::BTreeMap, path::Path};

use rusqlite::Connection;

/// Tables that are not the user's data: the undo history (checked on its
/// own) and the screen state (written by the board whenever it likes).
const NOT_USER_DATA: [&str; 4] = ["history_step", "change_log", "history_recording", "ui_state"];

/// Every row of every table of user data, each as SQLite quotes it, sorted;
/// `uid` columns left out (a fresh UUIDv7 each run, so two runs of the same
/// write differ there and nowhere else).
pub type Fingerprint = BTreeMap<String, Vec<String>>;

pub fn open(board: &Path) -> Result<Connection, String> {
    Connection::open(board).map_err(|error| format!("SQLite cannot open {}: {error}", board.display()))
}

/// `PRAGMA integrity_check` says ok and `foreign_key_check` finds nothing.
pub fn whole(conn: &Connection) -> Result<(), String> {
    let verdicts: Vec<String> = column(conn, "PRAGMA integrity_check")?;
    if verdicts != ["ok"] {
        return Err(format!("integrity_check: {verdicts:?}"));
    }
    let dangling: Vec<String> = column(conn, "SELECT \"table\" || ' row ' || rowid FROM pragma_foreign_key_check")?;
    if !dangling.is_empty() {
        return Err(format!("foreign_key_check: {dangling:?}"));
    }
    Ok(())
}

pub fn fingerprint(conn: &Connection) -> Result<Fingerprint, String> {
    let tables: Vec<String> =
        column(conn, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?;
    let mut print = Fingerprint::new();
    for table in tables.into_iter().filter(|table| !NOT_USER_DATA.contains(&table.as_str())) {
        let columns: Vec<String> = column(conn, &format!("SELECT name FROM pragma_table_info('{table}') WHERE name <> 'uid'"))?;
        let row = columns.iter().map(|name| format!("quote(\"{name}\")")).collect::<Vec<_>>().join(" || ',' || ");
        let mut rows: Vec<String> = column(conn, &format!("SELECT {row} FROM \"{table}\""))?;
        rows.sort();
        print.insert(table, rows);
    }
    Ok(print)
}

/// The undo history's steps, oldest first: id and state.
pub fn steps(conn: &Connection) -> Result<Vec<(i64, String)>, String> {
    let mut statement = conn.prepare("SELECT id, state FROM history_step ORDER BY id").map_err(|error| error.to_string())?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).map_err(|error| error.to_string())?;
    rows.collect::<rusqlite::Result<_>>().map_err(|error| error.to_string())
}

/// The invariants the history keeps between steps: nothing is being
/// recorded, and every step that is done or undone has changes to replay.
pub fn history_at_rest(conn: &Connection) -> Result<(), String> {
    let recording: Vec<String> = column(conn, "SELECT quote(step) FROM history_recording")?;
    if recording != ["NULL"] {
        return Err(format!("history_recording left pointing at step {recording:?}"));
    }
    let empty: Vec<String> =
        column(conn, "SELECT id FROM history_step WHERE NOT EXISTS (SELECT 1 FROM change_log WHERE step = history_step.id)")?;
    if !empty.is_empty() {
        return Err(format!("history steps with no changes: {empty:?}"));
    }
    Ok(())
}

/// Where two fingerprints differ, table by table, for a failure message.
pub fn difference(found: &Fingerprint, expected: &Fingerprint) -> String {
    let mut lines = Vec::new();
    for (table, rows) in found {
        let other = expected.get(table).cloned().unwrap_or_default();
        if *rows != other {
            let extra: Vec<_> = rows.iter().filter(|row| !other.contains(row)).take(3).collect();
            let missing: Vec<_> = other.iter().filter(|row| !rows.contains(row)).take(3).collect();
            lines.push(format!("{table}: {} rows, expected {}; extra {extra:?}; missing {missing:?}", rows.len(), other.len()));
        }
    }
    lines.join("\n")
}

fn column(conn: &Connection, sql: &str) -> Result<Vec<String>, String> {
    let mut statement = conn.prepare(sql).map_err(|error| format!("{sql}: {error}"))?;
    let rows = statement
        .query_map([], |row| row.get::<_, rusqlite::types::Value>(0))
        .map_err(|error| format!("{sql}: {error}"))?
        .map(|value| {
            value.map(|value| match value {
                rusqlite::types::Value::Text(text) => text,
                other => format!("{other:?}"),
            })
        });
    rows.collect::<rusqlite::Result<_>>().map_err(|error| format!("{sql}: {error}"))
}
