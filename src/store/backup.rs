//! The checked copy of a board written beside it before a migration
//! changes it: `board.sqlite3.v10-backup` for a board of schema version 10.
//!
//! The copy is made with `VACUUM INTO` under a temporary name in the same
//! folder, then checked (SQLite's `integrity_check`, the old
//! `user_version`, every table's row count against the board's), and only
//! then renamed to its clear name, so a file by that name is always a
//! whole, readable board. One backup is kept per schema version upgraded
//! from: a later upgrade from the same version replaces it.

use std::{
    fs::{self, File},
    path::{Path, PathBuf},
};

use rusqlite::{Connection, OpenFlags};

use super::{
    RefusedFile,
    open::{sibling, uri},
};

/// Where the backup of a board of schema `version` goes.
pub fn backup_path(board: &Path, version: i64) -> PathBuf {
    sibling(board, &format!(".v{version}-backup"))
}

/// Writes and checks the backup of the board at `path`, whose schema is
/// `version`. `board` is the caller's connection, which holds the write
/// lock (so no one changes the board between the copy and its check).
/// A failure leaves no file behind and names the backup it could not write.
pub(super) fn write_checked(board: &Connection, path: &Path, version: i64) -> Result<PathBuf, RefusedFile> {
    let backup = backup_path(path, version);
    let temporary = sibling(&backup, &format!(".tmp-{}", std::process::id()));
    let failed = |why: String| RefusedFile::BackupFailed { path: path.to_owned(), backup: backup.clone(), why };
    // A copy left by a run that was killed halfway is of no use.
    let _ = fs::remove_file(&temporary);
    let written = copy(path, &temporary).and_then(|()| check(board, &temporary, version));
    if let Err(why) = written {
        let _ = fs::remove_file(&temporary);
        return Err(failed(why));
    }
    if let Err(error) = fs::rename(&temporary, &backup) {
        let _ = fs::remove_file(&temporary);
        return Err(failed(format!("renaming {} to it: {error}", temporary.display())));
    }
    // The rename is on disk before the migration may change the board.
    if let Some(folder) = path.parent().filter(|folder| !folder.as_os_str().is_empty()) {
        let _ = File::open(folder).and_then(|folder| folder.sync_all());
    }
    Ok(backup)
}

/// `VACUUM INTO` through a connection of its own: the caller's connection
/// is inside its transaction, where `VACUUM` cannot run; in WAL mode this
/// one reads the board while the caller holds the write lock.
fn copy(path: &Path, temporary: &Path) -> Result<(), String> {
    let target = temporary.to_str().ok_or("the board's name is not UTF-8")?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let source = Connection::open_with_flags(uri(path, "mode=ro"), flags).map_err(|error| error.to_string())?;
    source.execute("VACUUM INTO ?1", [target]).map_err(|error| error.to_string())?;
    drop(source);
    // As private as the board: SQLite makes the copy with the default mode.
    let board_mode = fs::metadata(path).map(|meta| meta.permissions());
    board_mode
        .and_then(|mode| fs::set_permissions(temporary, mode))
        .and_then(|()| File::open(temporary))
        .and_then(|file| file.sync_all())
        .map_err(|error| error.to_string())
}

/// The copy is sound, of the old version, and holds as many rows in each
/// table as the board does.
fn check(board: &Connection, temporary: &Path, version: i64) -> Result<(), String> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // Immutable: checking the copy creates no `-wal` or `-shm` beside it.
    let copy = Connection::open_with_flags(uri(temporary, "mode=ro&immutable=1"), flags)
        .map_err(|error| format!("reading the copy back: {error}"))?;
    let sqlite = |error: rusqlite::Error| format!("checking the copy: {error}");
    let verdict: String = copy.query_row("PRAGMA integrity_check", [], |row| row.get(0)).map_err(sqlite)?;
    if verdict != "ok" {
        return Err(format!("the copy is not sound (SQLite says: {verdict})"));
    }
    let copied_version: i64 = copy.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(sqlite)?;
    if copied_version != version {
        return Err(format!("the copy has schema version {copied_version}, not {version}"));
    }
    for table in tables(board).map_err(sqlite)? {
        let count = |conn: &Connection| -> rusqlite::Result<i64> {
            conn.query_row(&format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\"")), [], |row| row.get(0))
        };
        let (expected, found) = (count(board).map_err(sqlite)?, count(&copy).map_err(sqlite)?);
        if expected != found {
            return Err(format!("the copy's table {table} has {found} rows, the board's {expected}"));
        }
    }
    Ok(())
}

fn tables(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?.query_map([], |row| row.get(0))?.collect()
}
