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
    include_str!("schema_v12.sql"),
    include_str!("schema_v13.sql"),
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
    // A schema that cannot be read is the file check's to name, later.
    if version(conn)? >= LATEST_VERSION && !incomplete(conn).unwrap_or(false) {
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
    if found >= LATEST_VERSION && !incomplete(&tx)? {
        return Ok(());
    }
    if found > 0 {
        backup::write_checked(&tx, path, found).map_err(Failed::Backup)?;
    }
    // Before any later step, which may build on what v10 has.
    if found >= EARLY_V10 {
        complete_early_v10(&tx)?;
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

/// Schema version 10 grew after boards were made with it: an early build
/// (main at 999e637) wrote user_version 10 without the stable ids (`uid`)
/// that issue 16 later folded into v10, and an upgrade from such a board
/// then set 11 without them. Such a board is told by its columns, never by
/// its version, and completed inside the upgrade's one transaction.
const EARLY_V10: i64 = 10;

/// The steps of v10 that an early v10 board may lack, each with the table
/// and column that tell whether it ran: v10's own `ALTER TABLE t ADD
/// COLUMN uid` paragraphs (column, its values, index and triggers), taken
/// from v10 itself so that the repair is exactly what v10 does.
fn early_v10_steps() -> impl Iterator<Item = (&'static str, &'static str)> {
    MIGRATIONS[EARLY_V10 as usize - 1].split("\n\n").filter_map(|paragraph| {
        let paragraph = paragraph.trim();
        let table = paragraph.strip_prefix("ALTER TABLE ")?.split_once(" ADD COLUMN uid ")?.0;
        Some((table, paragraph))
    })
}

fn has_column(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2", [table, column], |row| row.get::<_, i64>(0))
        .map(|count| count > 0)
}

/// Whether a board of version 10 or later lacks a part of v10.
pub(super) fn incomplete(conn: &Connection) -> rusqlite::Result<bool> {
    if version(conn)? < EARLY_V10 {
        return Ok(false);
    }
    for (table, _) in early_v10_steps() {
        if !has_column(conn, table, "uid")? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Runs each step of v10 whose column the board lacks: existing rows get
/// their uids as v10's own step made them.
fn complete_early_v10(conn: &Connection) -> rusqlite::Result<()> {
    for (table, step) in early_v10_steps() {
        if !has_column(conn, table, "uid")? {
            conn.execute_batch(step)?;
        }
    }
    Ok(())
}

fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}
