//! Rows that point at a row that is not there: another program (`sqlite3`
//! with `foreign_keys` off) left `key_result.objective_id = 999`. That is
//! not damage to the file (SQLite's `integrity_check` is clean), so it is
//! worded as what it is: the row, what it points at, and what the board
//! does with it (docs/reliability.md, "Cleaned values that collide").

use rusqlite::{Connection, OptionalExtension, types::Value};

use super::wrong_values::describe;

/// How many rows of one kind are named before the rest are counted: one
/// damaged page can leave hundreds of rows pointing nowhere.
const NAMED_PER_KIND: usize = 5;

/// The tables whose rows the board leaves out when their link points
/// nowhere, checked on every read for its notes: small tables, each
/// checked with its own `foreign_key_check` (never the items').
pub(super) const SHOWN_BY_LINK: [&str; 5] = ["objective", "key_result", "check_in", "sprint", "team_member"];

/// Tables with a title a user knows the row by.
const TITLED: [&str; 3] = ["objective", "key_result", "item"];

/// Each row of `tables` (all tables when empty) that points at a row that
/// is not there, one line each: "key_result row 1 ('Checkout
/// conversion') points at objective 999, which is not there: it is not
/// shown on the board".
pub(super) fn dangling_rows(conn: &Connection, tables: &[&str]) -> rusqlite::Result<Vec<String>> {
    let mut found: Vec<(String, String, i64, usize)> = Vec::new();
    let checks: Vec<String> = if tables.is_empty() {
        vec!["PRAGMA foreign_key_check".to_owned()]
    } else {
        // Table names are our constants, never typed text.
        tables.iter().map(|table| format!("PRAGMA foreign_key_check({table})")).collect()
    };
    for check in checks {
        let mut statement = conn.prepare(&check)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            // A table without a rowid has none to name; it is counted.
            let row_id: Option<i64> = row.get(1)?;
            found.push((row.get(0)?, row.get(2)?, row_id.unwrap_or(0), row.get(3)?));
        }
    }
    let mut lines = Vec::new();
    let mut kinds: Vec<(String, String, usize)> = Vec::new();
    for (table, parent, row_id, link) in found {
        let at = match kinds.iter().position(|(t, p, _)| *t == table && *p == parent) {
            Some(at) => at,
            None => {
                kinds.push((table.clone(), parent.clone(), 0));
                kinds.len() - 1
            }
        };
        kinds[at].2 += 1;
        if kinds[at].2 <= NAMED_PER_KIND {
            lines.push(describe_row(conn, &table, row_id, &parent, link)?);
        }
    }
    for (table, parent, count) in kinds.into_iter().filter(|(.., count)| *count > NAMED_PER_KIND) {
        lines.push(format!("{table}: {} more rows point at {parent} rows that are not there", count - NAMED_PER_KIND));
    }
    Ok(lines)
}

/// One dangling row, in words.
fn describe_row(conn: &Connection, table: &str, row_id: i64, parent: &str, link: usize) -> rusqlite::Result<String> {
    // The link's column and whether the schema lets it be empty.
    let (column, optional): (String, bool) = {
        let mut statement = conn.prepare(&format!("PRAGMA foreign_key_list({table})"))?;
        let column: Option<String> =
            statement.query_map([], |row| Ok((row.get::<_, usize>(0)?, row.get(3)?)))?.find_map(|entry| match entry {
                Ok((id, column)) if id == link => Some(column),
                _ => None,
            });
        let column = column.unwrap_or_default();
        let not_null: Option<bool> = conn
            .prepare(&format!("SELECT \"notnull\" FROM pragma_table_info('{table}') WHERE name = ?1"))?
            .query_row([&column], |row| row.get(0))
            .optional()?;
        (column, !not_null.unwrap_or(true))
    };
    let target: Option<Value> = conn
        .prepare(&format!("SELECT \"{column}\" FROM {table} WHERE rowid = ?1"))?
        .query_row([row_id], |row| row.get(0))
        .optional()?;
    let title: Option<String> = if TITLED.contains(&table) {
        conn.prepare(&format!("SELECT CAST(title AS TEXT) FROM {table} WHERE rowid = ?1"))?
            .query_row([row_id], |row| super::clean::text(row, 0).map(|(text, _)| text))
            .optional()?
    } else {
        None
    };
    let title = title.map(|title| format!(" ('{title}')")).unwrap_or_default();
    let target = target.as_ref().map_or_else(|| "?".to_owned(), describe);
    let effect = if optional { format!("it is shown with no {parent}") } else { "it is not shown on the board".to_owned() };
    Ok(format!("{table} row {row_id}{title} points at {parent} {target}, which is not there: {effect}"))
}
