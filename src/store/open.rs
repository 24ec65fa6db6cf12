//! Opening a board: deciding whether the file is ours, sound and writable
//! here before SQLite is allowed to write a byte, then connecting in the
//! one way that fits.
//!
//! A refused file is left exactly as it was, its `-wal` and `-shm`
//! included: identity and damage are read by hand (`inspect`), and the only
//! SQLite connection made to a refused file is read-only and immutable,
//! which neither writes nor creates anything.

use std::{
    fmt,
    fs::{self, OpenOptions},
    io,
    path::{Path, PathBuf},
};

use anyhow::Context;
use rusqlite::{Connection, OpenFlags};

use super::{
    APPLICATION_ID, LATEST_VERSION,
    inspect::{self, Found},
};

/// Why a file cannot be opened as a board. The caller exits with code 2.
#[derive(Debug)]
pub enum RefusedFile {
    NotABoard {
        path: PathBuf,
        why: String,
    },
    NewerSchema {
        path: PathBuf,
        found: i64,
    },
    /// Cut short or unreadable; `sqlite` is SQLite's own verdict.
    Damaged {
        path: PathBuf,
        why: String,
        sqlite: String,
    },
    /// The board would need writing (to create, upgrade or recover it), and
    /// the file or its folder cannot be written.
    ReadOnly {
        path: PathBuf,
        why: String,
    },
    /// A viewer (the presentation) met a board it may not write: empty, or
    /// of an older schema that the board upgrades on its first open.
    NotReadyToView {
        path: PathBuf,
        fresh: bool,
    },
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
            Self::Damaged { path, why, sqlite } => write!(
                f,
                "{} is damaged: {why} (SQLite says: {sqlite}). It was left untouched; \
                 restore it from a backup, or choose another file with --db PATH.",
                path.display()
            ),
            Self::NotReadyToView { path, fresh: true } => write!(
                f,
                "{} holds no board yet. It was left untouched; make one first: `quarterdeck --db {}` \
                 (or `quarterdeck --db {} demo`), then present it.",
                path.display(),
                path.display(),
                path.display()
            ),
            Self::NotReadyToView { path, fresh: false } => write!(
                f,
                "{} was made by an older Quarterdeck and is upgraded when the board opens it, which the \
                 presentation never does (it only reads). It was left untouched; open it once with \
                 `quarterdeck --db {}`, then present it.",
                path.display(),
                path.display()
            ),
            Self::ReadOnly { path, why } => write!(
                f,
                "{} cannot be written here: {why}. It was left untouched; fix the permissions of the file \
                 and its folder, or choose another file with --db PATH.",
                path.display()
            ),
        }
    }
}

impl std::error::Error for RefusedFile {}

/// Errors of a board in use that callers branch on or show as they are.
#[derive(Debug)]
pub enum StoreError {
    /// A write asked of a board opened read-only; nothing was changed.
    ReadOnly { path: PathBuf },
    /// What the action changes is gone: deleted in another window (or by
    /// `sqlite3`) since this board read it. Nothing was written.
    Deleted { action: String },
    /// Another program holds the board's write lock (a long import, another
    /// window mid-write) and did not let go within the store's lock wait.
    /// Nothing was written; the same write may be tried again.
    Busy,
    /// A write asked for while an earlier one still waits for the lock
    /// ([`Store::hold_writes`](super::Store::hold_writes)): refused, so that
    /// writes reach the file in the order they were made. Nothing was written.
    Held,
    /// The write is aimed at a closed quarter (closed in another window,
    /// perhaps, after this one's form opened): read-only. Nothing was written.
    Closed { quarter: String },
    /// Another quarter has the label this write gives (schema v10 keeps
    /// labels unique). Nothing was written.
    LabelTaken,
    /// A close asked of a sprint that was never started (a window left open
    /// across another's undo, say): it has no commitment to close against.
    /// Nothing was written.
    NotStarted { sprint: u32 },
    /// An item planned into, or taken out of, a closed sprint (a picker or
    /// planning left open across another window's close): its record is
    /// frozen. Nothing was written.
    SprintClosed { sprint: u32 },
    /// A start asked of a sprint that is no longer planned: another window
    /// started (or closed) it since. Nothing was written.
    StartedAlready { sprint: u32, state: String },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ReadOnly { path } => write!(
                f,
                "Read-only board: nothing was changed. To make changes, fix the permissions of {} or use --db PATH",
                path.display()
            ),
            Self::Deleted { action } => {
                write!(f, "Not done ({action}): it was deleted in another window meanwhile; nothing was written")
            }
            Self::Closed { quarter } => {
                write!(f, "{quarter} is closed: read-only; nothing was written")
            }
            Self::Busy => write!(f, "Another program is writing to the board: nothing was written yet"),
            Self::LabelTaken => {
                write!(f, "Label: another quarter has this label already (two quarters never share one); nothing was written")
            }
            Self::NotStarted { sprint } => write!(
                f,
                "Sprint {sprint} was never started, so it has no commitment to close against: start it first; nothing was written"
            ),
            Self::SprintClosed { sprint } => write!(
                f,
                "Sprint {sprint} is closed: its record is frozen, so nothing moves into or out of it; nothing was written"
            ),
            Self::StartedAlready { sprint, state } => {
                write!(f, "Sprint {sprint} is {state} already (started in another window meanwhile); nothing was written")
            }
            Self::Held => write!(
                f,
                "A write is waiting for another program that is writing to the board: this change was not made; esc cancels the waiting one"
            ),
        }
    }
}

impl std::error::Error for StoreError {}

/// A connection to a board that passed every check.
pub(super) struct Opened {
    pub conn: Connection,
    pub read_only: bool,
    /// Empty before: the schema is still to be made.
    pub fresh: bool,
}

/// How a board is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    /// For the board and the command line: created when missing, upgraded,
    /// written; read-only only when the file or folder cannot be written.
    Write,
    /// For a viewer (the presentation mode): never creates, upgrades,
    /// writes or takes a write lock, and follows other writers' commits.
    Read,
}

pub(super) fn connect(path: &Path, access: Access) -> anyhow::Result<Opened> {
    if access == Access::Write {
        prepare_file(path)?;
    } else if !path.is_file() {
        anyhow::bail!("there is no board at {}: open it in the board first, or choose one with --db PATH", path.display());
    }
    let (wal, shm) = (sibling(path, "-wal"), sibling(path, "-shm"));
    let found = inspect::inspect(path, &wal).with_context(|| format!("reading board {}", path.display()))?;
    let (fresh, version, wal_has_commits) = match found {
        Found::Empty => (true, 0, false),
        Found::NotSqlite => return Err(not_a_board(path, "not an SQLite database").into()),
        Found::Damaged(why) => {
            return Err(RefusedFile::Damaged { path: path.to_owned(), why, sqlite: sqlite_verdict(path) }.into());
        }
        Found::Sqlite { header, wal_has_commits } => {
            let (version, application_id) = inspect::identity(&header);
            if application_id != APPLICATION_ID {
                return Err(not_a_board(path, "an SQLite database of another program").into());
            }
            if version > LATEST_VERSION {
                return Err(RefusedFile::NewerSchema { path: path.to_owned(), found: version }.into());
            }
            (false, version, wal_has_commits)
        }
    };
    let refuse = |why: &str| RefusedFile::ReadOnly { path: path.to_owned(), why: why.to_owned() };
    if access == Access::Read {
        if fresh || version < LATEST_VERSION {
            return Err(RefusedFile::NotReadyToView { path: path.to_owned(), fresh }.into());
        }
        // Not immutable: a viewer reads through the WAL and its locks, to
        // follow another process's commits as they land.
        let conn = open_uri(path, "mode=ro").with_context(|| format!("opening board {} read-only", path.display()))?;
        return Ok(Opened { conn, read_only: true, fresh: false });
    }
    if writable(path) {
        let conn = Connection::open(path).with_context(|| format!("opening board {}", path.display()))?;
        return Ok(Opened { conn, read_only: false, fresh });
    }
    if fresh {
        return Err(refuse("a new board cannot be made in a read-only file or folder").into());
    }
    if version < LATEST_VERSION {
        return Err(refuse("it was made by an older Quarterdeck and must be upgraded, which writes to it").into());
    }
    // Read-only connections never checkpoint, so they leave `-wal` and
    // `-shm` as they find them; but they create both when missing.
    let parameters = if wal.exists() && shm.exists() {
        // Another process may be writing: read through its WAL and locks.
        "mode=ro"
    } else if wal_has_commits {
        return Err(refuse("its -wal file holds changes not yet merged into it, which needs writing").into());
    } else {
        // Nothing beside the file: "immutable" reads it without locks,
        // so no `-wal` or `-shm` is made.
        "mode=ro&immutable=1"
    };
    let conn = open_uri(path, parameters).with_context(|| format!("opening board {} read-only", path.display()))?;
    Ok(Opened { conn, read_only: true, fresh: false })
}

fn not_a_board(path: &Path, why: &str) -> RefusedFile {
    RefusedFile::NotABoard { path: path.to_owned(), why: why.to_owned() }
}

/// A damaged file as SQLite sees it, through a connection that can neither
/// write nor create a file.
fn sqlite_verdict(path: &Path) -> String {
    let verdict = open_uri(path, "mode=ro&immutable=1")
        .and_then(|conn| conn.query_row("PRAGMA quick_check(1)", [], |row| row.get::<_, String>(0)));
    match verdict {
        Ok(text) => text,
        Err(error) => error.to_string(),
    }
}

fn open_uri(path: &Path, parameters: &str) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(uri(path, parameters), flags)
}

/// A `file:` URI for `path`: every byte but unreserved ones and `/` is
/// percent-encoded, so `?`, `#` and `%` in a name stay part of it.
fn uri(path: &Path, parameters: &str) -> String {
    let mut uri = String::from(if path.is_absolute() { "file://" } else { "file:" });
    for &byte in path.as_os_str().as_encoded_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.push('?');
    uri.push_str(parameters);
    uri
}

/// `board.sqlite3-wal` and the like, beside the board.
pub(super) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether SQLite could write the board: the file itself, and the folder
/// where its `-wal` and `-shm` go. The standard library cannot ask the
/// system (`access`), and mode bits lie to root and under ACLs or
/// read-only mounts; so the folder is asked the honest way, by making and
/// removing a probe file. The file is opened for writing, which changes
/// nothing in it.
fn writable(path: &Path) -> bool {
    if OpenOptions::new().write(true).open(path).is_err() {
        return false;
    }
    let folder = path.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".probe-{}", std::process::id()));
    let probe = folder.join(name);
    match OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => fs::remove_file(&probe).is_ok(),
        Err(error) => error.kind() == io::ErrorKind::AlreadyExists,
    }
}

/// Creates the folder and an empty file (mode 0600) when missing.
fn prepare_file(path: &Path) -> anyhow::Result<()> {
    if let Ok(meta) = fs::metadata(path) {
        anyhow::ensure!(meta.is_file(), "{} is not a file; choose a board file with --db PATH", path.display());
        return Ok(());
    }
    let cannot_create = |error: io::Error| -> anyhow::Error {
        if matches!(error.kind(), io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem) {
            RefusedFile::ReadOnly { path: path.to_owned(), why: format!("a new board cannot be made there ({error})") }.into()
        } else {
            anyhow::Error::new(error).context(format!("creating board {}", path.display()))
        }
    };
    if let Some(folder) = path.parent().filter(|folder| !folder.as_os_str().is_empty()) {
        fs::create_dir_all(folder).map_err(cannot_create)?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(cannot_create)?;
    Ok(())
}

/// Whether an SQLite error means the file's content is unreadable.
pub(super) fn is_damage(error: &anyhow::Error) -> Option<String> {
    error.chain().find_map(|cause| match cause.downcast_ref::<rusqlite::Error>()? {
        rusqlite::Error::SqliteFailure(failure, message)
            if matches!(failure.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) =>
        {
            Some(message.clone().unwrap_or_else(|| failure.to_string()))
        }
        _ => None,
    })
}
