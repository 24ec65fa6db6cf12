//! The only code that speaks SQL.
//!
//! A board is one SQLite file. [`Store::open`] refuses anything that is not a
//! Quarterdeck board (or is a board from a newer version) before SQLite
//! writes a byte, then sets the pragmas and runs the migrations. Every write
//! is one `BEGIN IMMEDIATE` transaction, so a change is either on disk or
//! not made at all.

// First: its `shown_points!` is used by the readers below.
#[macro_use]
mod clean;
pub mod backup;
pub mod board;
mod capture;
mod charts;
mod check;
mod check_ins;
mod dangling;
mod edits;
mod error;
pub mod external;
mod figures;
mod forecast;
mod health;
mod history;
mod inspect;
pub mod items;
mod migrations;
mod open;
mod ordinals;
mod plan_difference;
mod plan_edits;
mod plan_export;
mod plan_import;
mod plan_replace;
mod quarters;
mod references;
mod retro;
mod salvage;
mod session;
mod sprints;
mod sync_import;
mod sync_state;
mod synthetic_history;
mod team;
mod typed_ids;
mod ui_state;
mod wrong_values;

use std::{
    cell::{Cell, RefCell},
    collections::HashMap,
    path::{Path, PathBuf},
    time::Duration,
};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::domain::Id;
use crate::domain::codes;

pub use charts::ChartFacts;
pub use check::{FileCheck, Verdict, damage_of_file};
pub use check_ins::{CheckInChanges, CheckInFields};
pub use edits::{ItemChanges, NewItem};
pub use error::{StoreError, damaged_remedies};
pub use forecast::ForecastFacts;
pub use health::HealthFacts;
pub use history::{ForeignStep, HISTORY_DEPTH};
pub use items::{DeferredItem, ItemFilter, Placement};
pub use migrations::LATEST_VERSION;
pub use open::{RefusedFile, is_damage as damage_in};
pub use plan_edits::{
    DeleteImpact, KeyResultChanges, KeyResultFields, ObjectiveChanges, ObjectiveFields, QuarterChanges, SprintChanges,
    SprintFields,
};
pub use plan_export::plan_to_toml;
pub use plan_replace::PlanConflict;
pub use quarters::{Opened, QuarterClose, QuarterSummary};
pub use references::{Found, ResolveError, Resolved};
pub use retro::NoteToItem;
pub use salvage::Salvaged;
pub use sprints::{CarryTo, SprintRecord};
pub use sync_import::{BoardAsRead, SYNC_IMPORT_ASK, SyncedTo};
pub use sync_state::{StoredConflict, SyncLink, replace_conflicts_in, update_link_in};
pub use team::{MemberChanges, MemberFields};
pub use ui_state::UiKey;
pub use wrong_values::{Repaired, WrongValue};

/// `PRAGMA application_id` of every Quarterdeck board: "QDK1" in ASCII.
pub const APPLICATION_ID: i32 = 0x5144_4B31;

/// SQLite's page cache per connection, in KiB (negative: KiB, not pages).
/// 16 MiB holds the indexes a 100,000-item bulk load keeps touching.
const CACHE_KIB: i64 = -16_000;

/// How long a write waits for another process holding the lock, unless the
/// caller sets its own wait ([`Store::set_lock_wait`]): the command line
/// has nothing better to do than wait.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An update that hit no row means its row is gone: the caller's
/// transaction ends with [`StoreError::Deleted`] (see `Store::record`).
fn found(rows: usize) -> rusqlite::Result<()> {
    if rows == 0 { Err(rusqlite::Error::QueryReturnedNoRows) } else { Ok(()) }
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Opened read-only: the file or its folder cannot be written here.
    read_only: bool,
    /// KR codes (`KR1.2`) by KR id with their sort key, so backlog rows name
    /// their tags without joining two tables per row. Refilled on a miss and
    /// whenever the board is loaded.
    kr_codes: RefCell<HashMap<Id, KrCode>>,
    /// This connection's `total_changes` when `kr_codes` was filled: a write
    /// of its own since (a KR deleted, so the ones after it renumbered, or
    /// an undo) refills it. The model test found rows named by a stale code.
    kr_codes_filled_at: Cell<u64>,
    /// The quarter the board shows: KRs of other quarters are named with
    /// their quarter's label (`2026-Q4 KR1.2`).
    shown_quarter: Cell<Option<Id>>,
    /// This window's run, which the history steps it records name.
    session: session::Session,
    /// Rows shown cleaned, named for the user once.
    repairs: RefCell<clean::Repairs>,
    /// How long SQLite waits inside a call for another process's lock.
    lock_wait: Duration,
    /// Writes are refused with [`StoreError::Held`]: an earlier one waits.
    held: bool,
    /// A viewer that found no `-wal`/`-shm` removes them when dropped.
    found_bare: bool,
    /// SQLite's words when the file was found damaged while the board ran
    /// (see [`Store::mark_damaged`]): from then on nothing is written.
    damage: RefCell<Option<String>>,
}

#[derive(Debug, Clone)]
struct KrCode {
    order: (u32, u32),
    code: String,
    quarter: Id,
    quarter_label: String,
}

/// Ids for an `IN (...)` list: numbers we hold, so nothing from outside
/// ever reaches the SQL text. An empty list matches nothing.
fn id_list(ids: &[Id]) -> String {
    let list: Vec<String> = ids.iter().map(Id::to_string).collect();
    if list.is_empty() { "NULL".to_owned() } else { list.join(", ") }
}

impl Drop for Store {
    /// A viewer leaves the folder as it found it: no `-wal` or `-shm` of its making.
    fn drop(&mut self) {
        if self.damage.borrow().is_some() {
            check::close_damaged(&self.conn, &self.path);
        }
        if !self.found_bare {
            return;
        }
        if let Ok(placeholder) = Connection::open_in_memory() {
            drop(std::mem::replace(&mut self.conn, placeholder));
            open::leave_as_found(&self.path);
        }
    }
}

impl Store {
    /// Opens the board at `path`, creating it (and its folder) if missing.
    /// A board that cannot be written here is opened read-only when it
    /// needs no writing to be read (see [`Store::is_read_only`]).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_with(path, open::Access::Write)
    }

    /// Opens the board at `path` for reading only, as a viewer such as the
    /// presentation mode does: no file is created, nothing is migrated or
    /// written, no write lock is ever taken, and commits of other
    /// processes show through `data_version`. Every write fails with
    /// [`StoreError::ReadOnly`].
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        Self::open_with(path, open::Access::Read)
    }

    /// [`Store::open_read_only`] for a reader other than the presentation:
    /// a board it cannot read (empty, or needing an upgrade) is refused in
    /// words that name `reader` (`` `list items` ``) and what to do.
    pub fn open_to_read(path: &Path, reader: &str) -> Result<Self, StoreError> {
        Self::open_read_only(path).map_err(|error| match error {
            StoreError::Refused(RefusedFile::NotReadyToView { path, fresh, reader: _ }) => {
                RefusedFile::NotReadyToView { path, fresh, reader: Some(reader.to_owned()) }.into()
            }
            other => other,
        })
    }

    fn open_with(path: &Path, access: open::Access) -> Result<Self, StoreError> {
        let before = open::found_beside(path);
        let opened = open::connect(path, access)?;
        let mut store = Self {
            conn: opened.conn,
            path: path.to_owned(),
            read_only: opened.read_only,
            kr_codes: RefCell::default(),
            kr_codes_filled_at: Cell::new(0),
            shown_quarter: Cell::default(),
            repairs: RefCell::default(),
            session: session::Session::start(),
            lock_wait: BUSY_TIMEOUT,
            held: false,
            found_bare: opened.found_bare,
            damage: RefCell::default(),
        };
        let ready = if store.read_only {
            configure_read_only(&store.conn).map_err(|error| (error, "configuring board"))
        } else if let Err(error) = configure(&store.conn) {
            Err((error, "configuring board"))
        } else {
            match migrations::migrate(&mut store.conn, path) {
                Ok(()) => Ok(()),
                Err(migrations::Failed::Sqlite(error)) => Err((error, "upgrading board")),
                // The backup before the upgrade failed: nothing changed.
                Err(migrations::Failed::Backup(refused)) => return Err(refused.into()),
            }
        };
        // A board of the latest version that an early build of v10 left
        // without parts of v10 needs the upgrade a read never does.
        if ready.is_ok() && store.read_only && migrations::incomplete(&store.conn).unwrap_or(false) {
            let path = path.to_owned();
            return Err(match access {
                open::Access::Read => RefusedFile::NotReadyToView { path, fresh: false, reader: None },
                open::Access::Write => RefusedFile::ReadOnly {
                    path,
                    why: "it was made by an early build of schema 10 and must be completed, which writes to it".into(),
                },
            }
            .into());
        }
        if let Err((error, doing)) = ready {
            if error::is_disk_full(&error) {
                // Closed first; a viewer's closing must not make files again.
                store.found_bare = false;
                drop(store);
                open::remove_made(path, &before);
                // SQLite's words, never its "Error code 4874: ..." prefix.
                let sqlite = match &error {
                    rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
                    rusqlite::Error::SqliteFailure(failure, None) => rusqlite::ffi::code_to_str(failure.extended_code).to_owned(),
                    other => other.to_string(),
                };
                return Err(RefusedFile::NoRoom { path: path.to_owned(), sqlite }.into());
            }
            // Header and size were sound, but SQLite found the inside unreadable.
            return Err(match open::is_damage(&error) {
                Some(sqlite) if !opened.fresh => {
                    RefusedFile::Damaged { path: path.to_owned(), why: "SQLite cannot read it".into(), sqlite }.into()
                }
                _ => open::opening(path, doing, false)(error),
            });
        }
        Ok(store)
    }

    /// Whether the board was opened read-only, or turned read-only when
    /// it was found damaged; every write then fails with
    /// [`StoreError::ReadOnly`] (or [`StoreError::Damaged`]) and changes
    /// nothing.
    pub fn is_read_only(&self) -> bool {
        self.read_only || self.damage.borrow().is_some()
    }

    /// SQLite's words when the file was found damaged while the board ran.
    pub fn damage(&self) -> Option<String> {
        self.damage.borrow().clone()
    }

    /// Turns the board read-only for good: the file was found damaged
    /// (`sqlite` says how). Every later write fails with
    /// [`StoreError::Damaged`] before it begins, the connection is made
    /// `query_only` so that no stray statement writes either, and closing
    /// does not checkpoint the write-ahead log into the damaged file.
    pub fn mark_damaged(&self, sqlite: &str) {
        if self.damage.borrow().is_some() {
            return;
        }
        *self.damage.borrow_mut() = Some(sqlite.to_owned());
        // A connection flag: it reads nothing from the damaged file. If it
        // failed, `ensure_writable` still refuses every write.
        let _ = self.conn.execute_batch("PRAGMA query_only = ON");
    }

    /// Notes the damage `error` reports, if it does, and names the board's
    /// file in it: every front end passes the store's errors through here
    /// or through [`Store::noticed`].
    pub fn named(&self, error: StoreError) -> StoreError {
        if let Some(sqlite) = error.damage() {
            self.mark_damaged(sqlite);
        }
        error.on_board(&self.path)
    }

    /// Whether `error` (any front end's error with a store error inside)
    /// reports damage; if it does, the board turns read-only
    /// ([`Store::mark_damaged`]).
    pub fn noticed(&self, error: &StoreError) -> bool {
        error.damage().inspect(|sqlite| self.mark_damaged(sqlite)).is_some()
    }

    /// Fails with [`StoreError::ReadOnly`] on a read-only board, before a
    /// write begins, so the user reads why instead of SQLite's words; with
    /// [`StoreError::Damaged`] on a board found damaged; and with
    /// [`StoreError::Held`] while writes are held.
    fn ensure_writable(&self) -> Result<(), StoreError> {
        if let Some(sqlite) = self.damage() {
            Err(StoreError::Damaged { path: Some(self.path.clone()), sqlite })
        } else if self.read_only {
            Err(StoreError::ReadOnly { path: self.path.clone() })
        } else if self.held {
            Err(StoreError::Held)
        } else {
            Ok(())
        }
    }

    /// How long a call waits inside SQLite for another process's lock
    /// before it fails with [`StoreError::Busy`] (a read as a write). The
    /// board sets a short wait and retries from its loop, so that the
    /// screen stays live.
    pub fn set_lock_wait(&mut self, wait: Duration) -> Result<(), StoreError> {
        self.conn.busy_timeout(wait)?;
        self.lock_wait = wait;
        Ok(())
    }

    pub fn lock_wait(&self) -> Duration {
        self.lock_wait
    }

    /// While `held`, every write fails at once with [`StoreError::Held`]:
    /// a write that waits for the lock must not be overtaken by a later one.
    pub fn hold_writes(&mut self, held: bool) {
        self.held = held;
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Changes whenever another connection commits to the file; polled to
    /// pick up edits made by a second Quarterdeck or by `sqlite3`.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        // Cached: the board asks before every key and on every idle tick.
        Ok(self.conn.prepare_cached("PRAGMA data_version")?.query_row([], |row| row.get(0))?)
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction. Another process's
    /// lock fails it with [`StoreError::Busy`].
    fn write<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        self.ensure_writable()?;
        let wait = self.lock_wait;
        let run = |conn: &mut Connection| -> rusqlite::Result<T> {
            let tx = begin_immediate(conn, wait)?;
            let value = work(&tx)?;
            tx.commit()?;
            Ok(value)
        };
        // Damage met inside a write rolled it back: nothing was written,
        // and nothing more will be.
        run(&mut self.conn).map_err(|error| self.named(error.into()))
    }

    /// The write lock, for a transaction of this store's own (see
    /// [`begin_immediate`]).
    fn begin_immediate(&self) -> rusqlite::Result<Transaction<'_>> {
        begin_immediate(&self.conn, self.lock_wait)
    }

    /// Names `item`'s tags (`tags`: KR ids, comma-separated) by code, and
    /// marks it OKR work when one is a KR of the quarter on screen.
    fn name_tags(&self, item: &mut crate::domain::ItemRow, tags: Option<&str>) -> rusqlite::Result<()> {
        let ids = tags.iter().flat_map(|tags| tags.split(',')).filter_map(|id| id.parse().ok());
        item.kr_codes = self.kr_codes(ids.clone())?;
        let shown = self.shown_quarter.get();
        let cache = self.kr_codes.borrow();
        item.okr_work = ids.filter_map(|id| cache.get(&id)).any(|code| shown.is_none_or(|shown| shown == code.quarter));
        Ok(())
    }

    /// Codes of the given KRs, in code order; ids no KR has are left out.
    fn kr_codes(&self, ids: impl Iterator<Item = Id> + Clone) -> rusqlite::Result<Vec<String>> {
        let written_since = self.conn.total_changes() != self.kr_codes_filled_at.get();
        if written_since || ids.clone().any(|id| !self.kr_codes.borrow().contains_key(&id)) {
            self.refresh_kr_codes()?;
        }
        let cache = self.kr_codes.borrow();
        let shown = self.shown_quarter.get();
        let mut codes: Vec<&KrCode> = ids.filter_map(|id| cache.get(&id)).collect();
        // The shown quarter's KRs first, then the others (history) by quarter.
        codes.sort_by_key(|code| (shown.is_some_and(|shown| shown != code.quarter), code.quarter, code.order));
        Ok(codes
            .into_iter()
            .map(|code| match shown {
                Some(shown) if shown != code.quarter => format!("{} {}", code.quarter_label, code.code),
                _ => code.code.clone(),
            })
            .collect())
    }

    fn refresh_kr_codes(&self) -> rusqlite::Result<()> {
        let codes = self
            .conn
            .prepare_cached(
                "SELECT k.id, o.position, k.position, o.quarter_id, CAST(q.label AS TEXT) FROM key_result k
                 JOIN objective o ON o.id = k.objective_id JOIN quarter q ON q.id = o.quarter_id",
            )?
            .query_map([], |row| {
                let (objective, position): (u32, u32) = (clean::whole(row, 1)?, clean::whole(row, 2)?);
                let code = KrCode {
                    order: (objective, position),
                    code: codes::key_result(objective, position),
                    quarter: row.get(3)?,
                    quarter_label: clean::lenient(row, 4)?,
                };
                Ok((row.get(0)?, code))
            })?
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        *self.kr_codes.borrow_mut() = codes;
        self.kr_codes_filled_at.set(self.conn.total_changes());
        Ok(())
    }

    /// Checks the file's integrity as SQLite sees it: `ok` when sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self.conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))?)
    }
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

/// A read-only board: no journal mode change (that writes the header) and
/// `query_only`, so not even a stray statement can try to write.
fn configure_read_only(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.execute_batch("PRAGMA query_only = ON; PRAGMA foreign_keys = ON;")?;
    conn.pragma_update(None, "cache_size", CACHE_KIB)?;
    conn.set_prepared_statement_cache_capacity(64);
    // A damaged inside shows here, before the board is drawn.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
}

/// How often a write waiting for another process's lock tries again.
const LOCK_RETRY: Duration = Duration::from_millis(1);

/// Begins a `BEGIN IMMEDIATE` transaction, waiting up to `wait` for another
/// process's write lock by trying again every [`LOCK_RETRY`]. SQLite's own
/// busy handler sleeps longer the longer it has waited (100 ms a try after
/// the first third of a second), so a writer that has waited a while lost
/// the lock, try after try, to one that took it again within a millisecond
/// of letting go: in `tests/concurrency.rs` one writer waited 2 s while the
/// other made more than 200 steps. SQLite's handler is off while this one
/// polls, and back (for reads, which wait rarely) as soon as it ends.
fn begin_immediate(conn: &Connection, wait: Duration) -> rusqlite::Result<Transaction<'_>> {
    conn.busy_timeout(Duration::ZERO)?;
    let deadline = std::time::Instant::now() + wait;
    let began = loop {
        // `new_unchecked` borrows the connection shared, so a try that
        // failed does not hold it across the next one.
        match Transaction::new_unchecked(conn, TransactionBehavior::Immediate) {
            Err(error)
                if error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(LOCK_RETRY);
            }
            began => break began,
        }
    };
    conn.busy_timeout(wait)?;
    began
}
