//! Schema migrations keyed on `PRAGMA user_version`.
//!
//! Entry `n` of [`MIGRATIONS`] takes a board from version `n` to `n + 1`.
//! Never edit a shipped entry: add a new one, and a test that migrates a
//! board of every earlier version.

use std::{path::Path, time::Duration};

use rusqlite::{Connection, TransactionBehavior};

use super::{APPLICATION_ID, RefusedFile, backup};

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

/// Why a board could not be upgraded.
pub(super) enum Failed {
    Sqlite(rusqlite::Error),
    /// The backup before the upgrade could not be written: nothing changed.
    Backup(RefusedFile),
}

impl From<rusqlite::Error> for Failed {
    fn from(error: rusqlite::Error) -> Self {
        Self::Sqlite(error)
    }
}

/// How long an instance opening a board waits for another instance that
/// is upgrading it (backup included) before it gives up.
const MIGRATION_WAIT: Duration = Duration::from_secs(120);

/// Brings the board to [`LATEST_VERSION`]. Every step runs in ONE
/// `BEGIN IMMEDIATE` transaction that reads the version inside the lock:
/// of two instances starting at once on an older board, one upgrades it
/// and the other waits, then finds it upgraded and runs nothing. A board
/// with content gets its checked backup (see [`backup`]) first, inside
/// the same lock; if that fails, nothing is changed.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), Failed> {
    // The usual case, an up-to-date board, takes no lock.
    if version(conn)? >= LATEST_VERSION {
        return Ok(());
    }
    conn.busy_timeout(MIGRATION_WAIT)?;
    let migrated = migrate_locked(conn, path);
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    migrated
}

fn migrate_locked(conn: &mut Connection, path: &Path) -> Result<(), Failed> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read again under the lock: another instance may have upgraded it.
    let found = version(&tx)?;
    if found >= LATEST_VERSION {
        return Ok(());
    }
    if found > 0 {
        backup::write_checked(&tx, path, found).map_err(Failed::Backup)?;
    }
    let pending = usize::try_from(found).unwrap_or(usize::MAX);
    for sql in MIGRATIONS.iter().skip(pending) {
        tx.execute_batch(sql)?;
    }
    // The undo log's triggers follow the schema as it now stands.
    super::capture::install(&tx)?;
    // Pragmas take no bound parameters; both values are our constants.
    tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {LATEST_VERSION};"))?;
    tx.commit()?;
    Ok(())
}

fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}
