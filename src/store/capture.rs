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
    /// The table with a stable `uid` this column's foreign key names (by
    /// its `id`), if any.
    names_a: Option<String>,
}

/// A table's columns, and whether its rows have a stable `uid`.
struct Table {
    name: String,
    columns: Vec<Column>,
    has_uid: bool,
}

/// Drops and makes again the capture triggers of every table of user data.
pub(super) fn install(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let tables = user_tables(tx)?;
    let with_uid: Vec<String> = tables.iter().filter(|table| has_column(tx, table, "uid").unwrap_or(false)).cloned().collect();
    for name in tables {
        let table = Table { columns: columns(tx, &name, &with_uid)?, has_uid: with_uid.contains(&name), name };
        for event in ["insert", "delete", "update", "uid"] {
            tx.execute_batch(&format!("DROP TRIGGER IF EXISTS {}_log_{event};", table.name))?;
        }
        tx.execute_batch(&triggers(&table))?;
    }
    Ok(())
}

fn has_column(tx: &rusqlite::Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    tx.query_row("SELECT EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2)", [table, column], |row| row.get(0))
}

/// The tables of user data, by name.
pub(super) fn user_tables(tx: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let tables: Vec<String> = tx
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(tables.into_iter().filter(|table| !NOT_USER_DATA.contains(&table.as_str())).collect())
}

fn columns(tx: &rusqlite::Connection, table: &str, with_uid: &[String]) -> rusqlite::Result<Vec<Column>> {
    let references: Vec<(String, String, String)> = tx
        .prepare("SELECT \"from\", \"table\", coalesce(\"to\", 'id') FROM pragma_foreign_key_list(?1)")?
        .query_map([table], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let names_a = |column: &str| {
        references
            .iter()
            .find(|(from, parent, to)| from == column && to == "id" && with_uid.contains(parent))
            .map(|(_, parent, _)| parent.clone())
    };
    tx.prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")?
        .query_map([table], |row| Ok((row.get::<_, String>(0)?, row.get(1)?)))?
        .filter(|column| column.as_ref().map_or(true, |(name, _)| !DERIVED_COLUMNS.contains(&(table, name.as_str()))))
        .map(|column| column.map(|(name, key)| Column { names_a: names_a(&name), name, key }))
        .collect()
}

/// SQL that, inside a trigger, makes the literal of `row.column` for a
/// logged statement: a reference to a row with a stable id is written as
/// that row found by its uid (`(SELECT id FROM item WHERE uid IS '…')`),
/// so the statement meets the same object wherever a sync has since
/// renumbered it, and never another object that took its number.
fn literal(row: &str, column: &Column) -> String {
    let name = &column.name;
    match &column.names_a {
        None => format!("quote({row}.{name})"),
        Some(parent) => {
            let uid = format!("(SELECT uid FROM {parent} WHERE id = {row}.{name})");
            format!(
                "CASE WHEN coalesce({uid}, '') = '' THEN quote({row}.{name})
                      ELSE '(SELECT id FROM {parent} WHERE uid IS ' || quote({uid}) || ')' END"
            )
        }
    }
}

/// The triggers of one table, as SQL: one per kind of change, and for a
/// table with stable ids one that names a new row by the uid filled in
/// just after its insert.
fn triggers(table: &Table) -> String {
    let Table { name: table, columns, has_uid } = table;
    let mut keys: Vec<&Column> = columns.iter().filter(|column| column.key > 0).collect();
    keys.sort_by_key(|column| column.key);
    // `row` is NEW or OLD: the row as it is after the change. A row with a
    // stable id is found by it (a sync may have given its number to
    // another object since); a row without one, by its key.
    let by_key = |row: &str| {
        if keys.is_empty() {
            return format!("'rowid = ' || quote({row}.rowid)");
        }
        keys.iter()
            .map(|column| format!("'{name} = ' || {literal}", name = column.name, literal = literal(row, column)))
            .collect::<Vec<_>>()
            .join(" || ' AND ' || ")
    };
    let find_by = |row: &str, uid: &str| {
        if *has_uid {
            format!("CASE WHEN coalesce({uid}, '') = '' THEN {} ELSE 'uid IS ' || quote({uid}) END", by_key(row))
        } else {
            by_key(row)
        }
    };
    let find = |row: &str| find_by(row, &format!("{row}.uid"));
    let names = columns.iter().map(|column| column.name.as_str()).collect::<Vec<_>>().join(", ");
    let old_values = columns.iter().map(|column| literal("OLD", column)).collect::<Vec<_>>().join(" || ', ' || ");
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
    SELECT step, 'UPDATE {table} SET {name} = ' || {old} || ' WHERE ' || {find_new}
                 || ' AND {name} IS ' || {new}
    FROM history_recording WHERE OLD.{name} IS NOT NEW.{name}{filled};",
                name = column.name,
                old = literal("OLD", column),
                new = literal("NEW", column),
                find_new = find("NEW"),
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let recording = "(SELECT step FROM history_recording) IS NOT NULL";
    // A row inserted without its uid has it filled by a trigger of its own
    // just after: the statement that takes the insert back, logged by key
    // until then, is rewritten to find the row by it.
    let uid_filled = if *has_uid {
        format!(
            "CREATE TRIGGER {table}_log_uid AFTER UPDATE OF uid ON {table}
    WHEN {recording} AND coalesce(OLD.uid, '') = '' AND coalesce(NEW.uid, '') != '' BEGIN
    UPDATE change_log SET sql = 'DELETE FROM {table} WHERE uid IS ' || quote(NEW.uid)
    WHERE step = (SELECT step FROM history_recording) AND sql = 'DELETE FROM {table} WHERE ' || {by_key};
END;
",
            by_key = by_key("NEW"),
        )
    } else {
        String::new()
    };
    format!(
        "CREATE TRIGGER {table}_log_insert AFTER INSERT ON {table} WHEN {recording} BEGIN
    INSERT INTO change_log (step, sql) SELECT step, 'DELETE FROM {table} WHERE ' || {find_inserted} FROM history_recording;
END;
CREATE TRIGGER {table}_log_delete AFTER DELETE ON {table} WHEN {recording} BEGIN
    INSERT INTO change_log (step, sql)
    SELECT step, 'INSERT INTO {table} ({names}) VALUES (' || {old_values} || ')' FROM history_recording;
END;
CREATE TRIGGER {table}_log_update AFTER UPDATE ON {table} WHEN {recording} AND ({changed}) BEGIN
{per_column}
END;
{uid_filled}",
        // The uid as the row holds it now: filled already if the trigger
        // that fills it ran first.
        find_inserted =
            find_by("NEW", &format!("coalesce(nullif(NEW.uid, ''), (SELECT uid FROM {table} WHERE rowid = NEW.rowid))")),
    )
}
