//! Schema migrations keyed on `PRAGMA user_version`.
//!
//! Entry `n` of [`MIGRATIONS`] takes a board from version `n` to `n + 1`.
//! Never edit a shipped entry: add a new one, and a test that migrates a
//! board of every earlier version.

use rusqlite::{Connection, TransactionBehavior};

use super::APPLICATION_ID;

const MIGRATIONS: &[&str] = &[
    include_str!("schema_v1.sql"),
    include_str!("schema_v2.sql"),
    include_str!("schema_v3.sql"),
    include_str!("schema_v4.sql"),
    include_str!("schema_v5.sql"),
    include_str!("schema_v6.sql"),
    include_str!("schema_v7.sql"),
    include_str!("schema_v8.sql"),
    include_str!("schema_v9.sql"),
    include_str!("schema_v10.sql"),
    include_str!("schema_v11.sql"),
];

/// The schema version this build writes.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let pending = usize::try_from(version).unwrap_or(usize::MAX);
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(pending) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        // The undo log's triggers follow the schema as it now stands.
        if index + 1 == MIGRATIONS.len() {
            super::capture::install(&tx)?;
        }
        // Pragmas take no bound parameters; both values are our constants.
        tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {};", index + 1))?;
        tx.commit()?;
    }
    Ok(())
}
