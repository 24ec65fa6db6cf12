//! The capture triggers behind undo, generated from the schema itself.
//!
//! For every table of user data, three triggers log into `change_log` the
//! SQL statement that reverses each row change made while a user action
//! is recorded (`history_recording.step` set). They are made from
//! `PRAGMA table_info`, so a column added by a later migration cannot be
//! missed: every migration run ends by making them again.
//!
//! An update logs one statement per column it changed, guarded by the
//! value it left: undoing it puts back those columns only where nobody has
//! changed them since, so another window's later edit stands.
//! Statements are built inside SQLite with `quote()`; nothing from outside
//! is pasted into SQL text here but table and column names read from the
//! schema.

use rusqlite::Transaction;

/// Tables that are not user data: the history itself, the screen's state,
/// and data derived from other tables by triggers of their own.
const NOT_USER_DATA: &[&str] = &[
    "backlog_tally",
    "change_log",
    "history_recording",
    "history_step",
    "number_high_water",
    "sprint_relevance",
    "sync_conflict",
    "sync_link",
    "ui_state",
];

/// Columns that copy another table's (kept by triggers, never logged).
const DERIVED_COLUMNS: &[(&str, &str)] = &[("item_kr", "rank"), ("item_kr", "points")];

/// Columns a trigger fills in just after the insert when the writer left
/// them empty (the stable `uid`, schema v10). Filling one is part of the
/// insert, not a change to undo: were it logged, undoing the insert would
/// first clear the uid, and redo would put the row back with a new one.
const FILLED_ON_INSERT: &[&str] = &["uid"];

struct Column {
    name: String,
    /// Position in the primary key (1-based), or 0.
    key: u32,
}

/// Drops and makes again the capture triggers of every table of user data.
pub(super) fn install(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    for table in user_tables(tx)? {
        let columns = columns(tx, &table)?;
        for event in ["insert", "delete", "update"] {
            tx.execute_batch(&format!("DROP TRIGGER IF EXISTS {table}_log_{event};"))?;
        }
        tx.execute_batch(&triggers(&table, &columns))?;
    }
    Ok(())
}

/// The tables of user data, by name.
pub(super) fn user_tables(tx: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let tables: Vec<String> = tx
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(tables.into_iter().filter(|table| !NOT_USER_DATA.contains(&table.as_str())).collect())
}

fn columns(tx: &rusqlite::Connection, table: &str) -> rusqlite::Result<Vec<Column>> {
    tx.prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")?
        .query_map([table], |row| Ok(Column { name: row.get(0)?, key: row.get(1)? }))?
        .filter(|column| column.as_ref().map_or(true, |column| !DERIVED_COLUMNS.contains(&(table, column.name.as_str()))))
        .collect()
}

/// The three triggers of one table, as SQL.
fn triggers(table: &str, columns: &[Column]) -> String {
    let mut keys: Vec<&Column> = columns.iter().filter(|column| column.key > 0).collect();
    keys.sort_by_key(|column| column.key);
    // `row` is NEW or OLD: the row as it is after the change.
    let find = |row: &str| {
        if keys.is_empty() {
            return format!("'rowid = ' || quote({row}.rowid)");
        }
        keys.iter()
            .map(|column| format!("'{name} = ' || quote({row}.{name})", name = column.name))
            .collect::<Vec<_>>()
            .join(" || ' AND ' || ")
    };
    let names = columns.iter().map(|column| column.name.as_str()).collect::<Vec<_>>().join(", ");
    let old_values = columns.iter().map(|column| format!("quote(OLD.{})", column.name)).collect::<Vec<_>>().join(" || ', ' || ");
    let changed = columns.iter().map(|column| format!("OLD.{0} IS NOT NEW.{0}", column.name)).collect::<Vec<_>>().join(" OR ");
    // One statement per changed column, guarded by the value the change
    // left: undoing it puts the column back only if nobody changed it since
    // (another window's later edit stands). quote() writes a REAL with the
    // digits it needs to read back exactly, so the guard compares exactly.
    // Key columns first: they are put back last, after the others have
    // found the row by its key as it is now.
    let mut ordered: Vec<&Column> = columns.iter().collect();
    ordered.sort_by_key(|column| column.key == 0);
    let per_column = ordered
        .iter()
        .map(|column| {
            let filled = if FILLED_ON_INSERT.contains(&column.name.as_str()) {
                format!(" AND OLD.{} != ''", column.name)
            } else {
                String::new()
            };
            format!(
                "    INSERT INTO change_log (step, sql)
    SELECT step, 'UPDATE {table} SET {name} = ' || quote(OLD.{name}) || ' WHERE ' || {find_new}
                 || ' AND {name} IS ' || quote(NEW.{name})
    FROM history_recording WHERE OLD.{name} IS NOT NEW.{name}{filled};",
                name = column.name,
                find_new = find("NEW"),
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let recording = "(SELECT step FROM history_recording) IS NOT NULL";
    format!(
        "CREATE TRIGGER {table}_log_insert AFTER INSERT ON {table} WHEN {recording} BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'DELETE FROM {table} WHERE ' || {find_new} FROM history_recording;
END;
CREATE TRIGGER {table}_log_delete AFTER DELETE ON {table} WHEN {recording} BEGIN
    INSERT INTO change_log (step, sql)
    SELECT step, 'INSERT INTO {table} ({names}) VALUES (' || {old_values} || ')' FROM history_recording;
END;
CREATE TRIGGER {table}_log_update AFTER UPDATE ON {table} WHEN {recording} AND ({changed}) BEGIN
{per_column}
END;
",
        find_new = find("NEW"),
    )
}
