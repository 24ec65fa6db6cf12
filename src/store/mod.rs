//! The only code that speaks SQL.
//!
//! A board is one SQLite file. [`Store::open`] refuses anything that is not a
//! Quarterdeck board (or is a board from a newer version) before SQLite
//! writes a byte, then sets the pragmas and runs the migrations. Every write
//! is one `BEGIN IMMEDIATE` transaction, so a change is either on disk or
//! not made at all.

pub mod board;
mod capture;
mod edits;
mod history;
pub mod items;
mod migrations;
mod plan_edits;
mod plan_import;
mod session;
mod synthetic_history;
mod team;
mod ui_state;

use std::{
    cell::RefCell,
    collections::HashMap,
    fmt,
    fs::{self, OpenOptions},
    io::Read,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::Context;
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::domain::Id;

pub use edits::{ItemChanges, NewItem};
pub use history::{ForeignStep, HISTORY_DEPTH};
pub use items::{ItemFilter, Placement};
pub use migrations::LATEST_VERSION;
pub use plan_edits::{
    DeleteImpact, KeyResultChanges, KeyResultFields, ObjectiveChanges, ObjectiveFields, SprintChanges, SprintFields,
};
pub use team::{MemberChanges, MemberFields};
pub use ui_state::UiKey;

/// `PRAGMA application_id` of every Quarterdeck board: "QDK1" in ASCII.
pub const APPLICATION_ID: i32 = 0x5144_4B31;

/// SQLite's page cache per connection, in KiB (negative: KiB, not pages).
/// 16 MiB holds the indexes a 100,000-item bulk load keeps touching.
const CACHE_KIB: i64 = -16_000;

/// How long a write waits for another process holding the lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a file cannot be opened as a board. The caller exits with code 2.
#[derive(Debug)]
pub enum RefusedFile {
    NotABoard { path: PathBuf, why: String },
    NewerSchema { path: PathBuf, found: i64 },
}

impl fmt::Display for RefusedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotABoard { path, why } => write!(
                f,
                "{} is not a Quarterdeck board ({why}). It was left untouched; \
                 choose another file with --db PATH or QUARTERDECK_DB.",
                path.display()
            ),
            Self::NewerSchema { path, found } => write!(
                f,
                "{} was written by a newer Quarterdeck (schema version {found}; this one \
                 reads up to {LATEST_VERSION}). It was left untouched; upgrade Quarterdeck to open it.",
                path.display()
            ),
        }
    }
}

impl std::error::Error for RefusedFile {}

/// Why a user action was not carried out, where callers branch on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// What the action changes is gone: deleted in another window (or by
    /// `sqlite3`) since this board read it. Nothing was written.
    Deleted { action: String },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Deleted { action } => {
                write!(f, "Not done ({action}): it was deleted in another window meanwhile; nothing was written")
            }
        }
    }
}

impl std::error::Error for StoreError {}

/// An update that hit no row means its row is gone: the caller's
/// transaction ends with [`StoreError::Deleted`] (see `Store::record`).
fn found(rows: usize) -> rusqlite::Result<()> {
    if rows == 0 { Err(rusqlite::Error::QueryReturnedNoRows) } else { Ok(()) }
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// KR codes (`KR1.2`) by KR id with their sort key, so backlog rows name
    /// their tags without joining two tables per row. Refilled on a miss and
    /// whenever the board is loaded.
    kr_codes: RefCell<HashMap<Id, KrCode>>,
    /// This window's run, which the history steps it records name.
    session: session::Session,
}

#[derive(Debug, Clone)]
struct KrCode {
    order: (u32, u32),
    code: String,
}

/// Ids for an `IN (...)` list: numbers we hold, so nothing from outside
/// ever reaches the SQL text. An empty list matches nothing.
fn id_list(ids: &[Id]) -> String {
    let list: Vec<String> = ids.iter().map(Id::to_string).collect();
    if list.is_empty() { "NULL".to_owned() } else { list.join(", ") }
}

impl Store {
    /// Opens the board at `path`, creating it (and its folder) if missing.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let fresh = prepare_file(path)?;
        if !fresh {
            check_header(path)?;
        }
        let conn = Connection::open(path).with_context(|| format!("opening board {}", path.display()))?;
        // The header can lag behind a write-ahead log; ask SQLite itself too,
        // still before anything is written.
        check_identity(&conn, path, fresh)?;
        configure(&conn).with_context(|| format!("configuring board {}", path.display()))?;
        let mut store = Self { conn, path: path.to_owned(), kr_codes: RefCell::default(), session: session::Session::start() };
        migrations::migrate(&mut store.conn).with_context(|| format!("upgrading board {}", path.display()))?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Changes whenever another connection commits to the file; polled to
    /// pick up edits made by a second Quarterdeck or by `sqlite3`.
    pub fn data_version(&self) -> rusqlite::Result<i64> {
        self.conn.query_row("PRAGMA data_version", [], |row| row.get(0))
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction.
    fn write<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>) -> anyhow::Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Codes of the given KRs, in code order; ids no KR has are left out.
    fn kr_codes(&self, ids: impl Iterator<Item = Id> + Clone) -> rusqlite::Result<Vec<String>> {
        if ids.clone().any(|id| !self.kr_codes.borrow().contains_key(&id)) {
            self.refresh_kr_codes()?;
        }
        let cache = self.kr_codes.borrow();
        let mut codes: Vec<&KrCode> = ids.filter_map(|id| cache.get(&id)).collect();
        codes.sort_by_key(|code| code.order);
        Ok(codes.into_iter().map(|code| code.code.clone()).collect())
    }

    fn refresh_kr_codes(&self) -> rusqlite::Result<()> {
        let codes = self
            .conn
            .prepare_cached("SELECT k.id, o.position, k.position FROM key_result k JOIN objective o ON o.id = k.objective_id")?
            .query_map([], |row| {
                let (objective, position): (u32, u32) = (row.get(1)?, row.get(2)?);
                Ok((row.get(0)?, KrCode { order: (objective, position), code: format!("KR{objective}.{position}") }))
            })?
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        *self.kr_codes.borrow_mut() = codes;
        Ok(())
    }

    /// Checks the file's integrity as SQLite sees it: `ok` when sound.
    pub fn integrity_check(&self) -> rusqlite::Result<String> {
        self.conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))
    }
}

/// Creates the folder and an empty file (mode 0600) when missing.
/// Returns whether the board is new: missing or empty.
fn prepare_file(path: &Path) -> anyhow::Result<bool> {
    if let Ok(meta) = fs::metadata(path) {
        anyhow::ensure!(meta.is_file(), "{} is not a file; choose a board file with --db PATH", path.display());
        return Ok(meta.len() == 0);
    }
    if let Some(folder) = path.parent().filter(|folder| !folder.as_os_str().is_empty()) {
        fs::create_dir_all(folder).with_context(|| format!("creating folder {}", folder.display()))?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).with_context(|| format!("creating board {}", path.display()))?;
    Ok(true)
}

/// Reads the SQLite header by hand, so a foreign file is never opened by SQLite.
fn check_header(path: &Path) -> anyhow::Result<()> {
    let refuse = |why: &str| RefusedFile::NotABoard { path: path.to_owned(), why: why.to_owned() };
    let mut header = [0_u8; 100];
    let mut file = fs::File::open(path).with_context(|| format!("reading board {}", path.display()))?;
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..])? {
            0 => break,
            n => read += n,
        }
    }
    if read < header.len() || &header[..16] != b"SQLite format 3\0" {
        return Err(refuse("not an SQLite database").into());
    }
    let application_id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    // While another connection has the board open, the newest header may
    // still sit in the write-ahead log; then SQLite's own answer decides
    // (`check_identity`), which reads without writing the main file.
    if application_id != APPLICATION_ID && !wal_path(path).exists() {
        return Err(refuse("an SQLite database of another program").into());
    }
    let version = i64::from(i32::from_be_bytes([header[60], header[61], header[62], header[63]]));
    if version > LATEST_VERSION {
        return Err(RefusedFile::NewerSchema { path: path.to_owned(), found: version }.into());
    }
    Ok(())
}

fn wal_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

fn check_identity(conn: &Connection, path: &Path, fresh: bool) -> anyhow::Result<()> {
    let application_id: i32 = conn
        .query_row("PRAGMA application_id", [], |row| row.get(0))
        .map_err(|_| RefusedFile::NotABoard { path: path.to_owned(), why: "not an SQLite database".into() })?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if !(fresh || application_id == APPLICATION_ID) {
        return Err(RefusedFile::NotABoard { path: path.to_owned(), why: "an SQLite database of another program".into() }.into());
    }
    if version > LATEST_VERSION {
        return Err(RefusedFile::NewerSchema { path: path.to_owned(), found: version }.into());
    }
    Ok(())
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL lets a second reader (sqlite3, a report) look while we write;
    // FULL makes each committed action survive a power cut.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    debug_assert_eq!(mode, "wal");
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    conn.pragma_update(None, "cache_size", CACHE_KIB)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}
