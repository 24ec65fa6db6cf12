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

use rusqlite::{Connection, OpenFlags};

use crate::shell::command_line;

use super::{
    APPLICATION_ID, LATEST_VERSION, StoreError,
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
    /// A viewer met a board it may not write: empty, or of an older
    /// schema that the board upgrades on its first open. `reader` names the
    /// viewer in the user's words (`` `list items` ``); `None` is the
    /// presentation.
    NotReadyToView {
        path: PathBuf,
        fresh: bool,
        reader: Option<String>,
    },
    /// There was no room for the board's files beside it (its `-wal` and
    /// `-shm`, or the board itself): the disk is full, or a limit on file
    /// size was reached. What this open made was removed again.
    NoRoom {
        path: PathBuf,
        sqlite: String,
    },
    /// The board needs an upgrade, and the checked backup written before
    /// one could not be (a full disk, a name taken): nothing was changed.
    BackupFailed {
        path: PathBuf,
        backup: PathBuf,
        why: String,
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
            Self::NotReadyToView { path, fresh: true, reader: None } => write!(
                f,
                "{} holds no board yet. It was left untouched; make one first: `{}` \
                 (or `{}`), then present it.",
                path.display(),
                command_line(&[], Some(path)),
                command_line(&["demo"], Some(path))
            ),
            Self::NotReadyToView { path, fresh: false, reader: None } => write!(
                f,
                "{} was made by an older Quarterdeck and is upgraded when the board opens it, which the \
                 presentation never does (it only reads). It was left untouched; open it once with \
                 `{}`, then present it.",
                path.display(),
                command_line(&[], Some(path))
            ),
            Self::NotReadyToView { path, fresh: true, reader: Some(reader) } => write!(
                f,
                "{reader} has no board to read: {} holds no board yet. It was left untouched; make one first: \
                 `{}` (or `{}`), then try again.",
                path.display(),
                command_line(&[], Some(path)),
                command_line(&["demo"], Some(path))
            ),
            Self::NotReadyToView { path, fresh: false, reader: Some(reader) } => write!(
                f,
                "{reader} needs the board upgraded: {} was made by an older Quarterdeck, and a read never \
                 upgrades it. It was left untouched; open it once with `{}` or run any write, \
                 then try again.",
                path.display(),
                command_line(&[], Some(path))
            ),
            Self::NoRoom { path, sqlite } => write!(
                f,
                "{}: there is no room for the board's files beside it (the disk is full, \
                 or a limit on file size was reached; SQLite says: {sqlite}). Nothing was changed, and the \
                 files this open made were removed; free some space, then try again.",
                path.display()
            ),
            Self::BackupFailed { path, backup, why } => write!(
                f,
                "{} was made by an older Quarterdeck and must be upgraded, which writes a backup of it first, \
                 and the backup {} could not be written: {why}. Nothing was changed; make room on the disk \
                 or free that name, then open it again.",
                path.display(),
                backup.display()
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

/// A connection to a board that passed every check.
pub(super) struct Opened {
    pub conn: Connection,
    pub read_only: bool,
    /// Empty before: the schema is still to be made.
    pub fresh: bool,
    /// A viewer found no `-wal` and `-shm` beside the board and reading
    /// makes them: it removes them when it closes (see [`leave_as_found`]).
    pub found_bare: bool,
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

pub(super) fn connect(path: &Path, access: Access) -> Result<Opened, StoreError> {
    if let Ok(target) = fs::read_link(path)
        && !path.exists()
    {
        return Err(StoreError::DanglingLink { path: path.to_owned(), target });
    }
    if access == Access::Write {
        prepare_file(path)?;
    } else if let Some(what) = not_a_file(path) {
        // Never opened: a FIFO would block the read until a writer came.
        return Err(StoreError::NotAFile { path: path.to_owned(), what });
    } else if !path.is_file() {
        return Err(StoreError::NoBoardAt { path: path.to_owned() });
    }
    let (wal, shm) = (sibling(path, "-wal"), sibling(path, "-shm"));
    let found = inspect::inspect(path, &wal).map_err(|source| StoreError::File {
        doing: "reading board",
        path: path.to_owned(),
        source,
    })?;
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
            return Err(RefusedFile::NotReadyToView { path: path.to_owned(), fresh, reader: None }.into());
        }
        // Not immutable: a viewer reads through the WAL and its locks, to
        // follow another process's commits as they land.
        let found_bare = !wal.exists() && !shm.exists();
        let conn = open_uri(path, "mode=ro").map_err(opening(path, "opening board", true))?;
        return Ok(Opened { conn, read_only: true, fresh: false, found_bare });
    }
    if writable(path) {
        let conn = Connection::open(path).map_err(opening(path, "opening board", false))?;
        return Ok(Opened { conn, read_only: false, fresh, found_bare: false });
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
    let conn = open_uri(path, parameters).map_err(opening(path, "opening board", true))?;
    Ok(Opened { conn, read_only: true, fresh: false, found_bare: false })
}

/// After a viewer that found the board bare has closed its connection:
/// a read-only connection can neither checkpoint nor remove the `-wal` and
/// `-shm` its reading made, but SQLite removes both when the last
/// connection to the board closes, so a writable connection that reads
/// nothing and closes leaves the folder as the viewer found it. While
/// another program has the board open, SQLite leaves both to it.
pub(super) fn leave_as_found(path: &Path) {
    if !writable(path) {
        return;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if let Ok(conn) = Connection::open_with_flags(uri(path, ""), flags) {
        // The closing connection must have joined the WAL to remove it.
        let _ = conn.query_row("PRAGMA schema_version", [], |row| row.get::<_, i64>(0));
        let _ = conn.close();
    }
}

/// Which of the board and its `-wal` and `-shm` were there before an open,
/// so that an open that fails for want of room removes only what it made.
pub(super) struct FoundBeside {
    board: bool,
    wal: bool,
    shm: bool,
}

pub(super) fn found_beside(path: &Path) -> FoundBeside {
    FoundBeside { board: path.exists(), wal: sibling(path, "-wal").exists(), shm: sibling(path, "-shm").exists() }
}

/// After an open that failed for want of room, its connection closed:
/// removes the files it made (a partial `-shm`, an empty `-wal`, the empty
/// board it created), so the folder is as it was found. Nothing it
/// removes holds a change: a write that fails for want of room is rolled
/// back, and a `-wal` there before is left alone. Another process that
/// opened the same file in the same instant met the same full disk.
pub(super) fn remove_made(path: &Path, before: &FoundBeside) {
    for (existed, file) in
        [(before.wal, sibling(path, "-wal")), (before.shm, sibling(path, "-shm")), (before.board, path.to_owned())]
    {
        if !existed {
            let _ = fs::remove_file(file);
        }
    }
}

/// SQLite's failure at a step of opening `path`, saying which step.
pub(super) fn opening(path: &Path, doing: &'static str, read_only: bool) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError::Opening { doing, path: path.to_owned(), read_only, source }
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

/// A read-only connection for the file check beside a board that has the
/// file open: through the board's `-wal` and `-shm` when they exist (the
/// board writes in WAL mode), else `immutable`, as a read-only board with
/// nothing beside it is opened, so that the check creates no file.
pub(super) fn checking_connection(path: &Path) -> rusqlite::Result<Connection> {
    let beside = sibling(path, "-wal").exists() && sibling(path, "-shm").exists();
    open_uri(path, if beside { "mode=ro" } else { "mode=ro&immutable=1" })
}

fn open_uri(path: &Path, parameters: &str) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(uri(path, parameters), flags)
}

/// A `file:` URI for `path`: every byte but unreserved ones and `/` is
/// percent-encoded, so `?`, `#` and `%` in a name stay part of it.
pub(super) fn uri(path: &Path, parameters: &str) -> String {
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

/// What `path` is when it exists but is not a regular file (following
/// symbolic links), in words for the user.
fn not_a_file(path: &Path) -> Option<&'static str> {
    let kind = fs::metadata(path).ok()?.file_type();
    if kind.is_file() {
        None
    } else if kind.is_dir() {
        Some("a folder")
    } else {
        Some("not a regular file (a FIFO, socket or device)")
    }
}

/// Creates the folder and an empty file (mode 0600) when missing.
fn prepare_file(path: &Path) -> Result<(), StoreError> {
    if let Some(what) = not_a_file(path) {
        return Err(StoreError::NotAFile { path: path.to_owned(), what });
    }
    if path.is_file() {
        return Ok(());
    }
    let cannot_create = |error: io::Error| -> StoreError {
        if matches!(error.kind(), io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem) {
            RefusedFile::ReadOnly { path: path.to_owned(), why: format!("a new board cannot be made there ({error})") }.into()
        } else {
            StoreError::File { doing: "creating board", path: path.to_owned(), source: error }
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

/// SQLite's words when `error` means the file's content is unreadable
/// (`SQLITE_CORRUPT`, `SQLITE_NOTADB`).
pub fn is_damage(error: &rusqlite::Error) -> Option<String> {
    match error {
        rusqlite::Error::SqliteFailure(failure, message)
            if matches!(failure.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) =>
        {
            // SQLite's words, never its "Error code 11: ..." prefix.
            Some(message.clone().unwrap_or_else(|| rusqlite::ffi::code_to_str(failure.extended_code).to_owned()))
        }
        _ => None,
    }
}
