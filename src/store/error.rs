//! What the store's calls return when they fail: one typed error, so that
//! every front end (the board, the command line, importers) can branch on
//! what happened instead of reading words.
//!
//! The messages are complete sentences a front end may show as they are,
//! but they never name a key or a screen: a front end that offers a way
//! out (a key to cancel, a command to run) adds it in its own words.

use std::{
    io,
    path::{Path, PathBuf},
};

use super::RefusedFile;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A write asked of a board opened read-only; nothing was changed.
    #[error(
        "Read-only board: nothing was changed. To make changes, fix the permissions of {} or use --db PATH",
        path.display()
    )]
    ReadOnly { path: PathBuf },
    /// What the action changes is gone: deleted since it was read (in
    /// another window, by `sqlite3`, by the command line; the store cannot
    /// tell which, so the message does not guess). Nothing was written.
    #[error("Not done ({action}): it is no longer on the board; nothing was written")]
    Deleted { action: String },
    /// Another program holds the board's write lock (a long import, another
    /// window mid-write) and did not let go within the store's lock wait.
    /// Nothing was written; the same write may be tried again.
    #[error("Another program is writing to the board: nothing was written yet")]
    Busy,
    /// A write asked for while an earlier one still waits for the lock
    /// ([`Store::hold_writes`](super::Store::hold_writes)): refused, so that
    /// writes reach the file in the order they were made. Nothing was written.
    #[error("A write is waiting for another program that is writing to the board: this change was not made")]
    Held,
    /// The write is aimed at a closed quarter (closed in another window,
    /// perhaps, after this one's form opened): read-only. Nothing was written.
    #[error("{quarter} is closed: read-only; nothing was written")]
    Closed { quarter: String },
    /// Another quarter has the label this write gives (schema v10 keeps
    /// labels unique). Nothing was written.
    #[error("Label: another quarter has this label already (two quarters never share one); nothing was written")]
    LabelTaken,
    /// A close asked of a sprint that was never started (a window left open
    /// across another's undo, say): it has no commitment to close against.
    /// Nothing was written.
    #[error("Sprint {sprint} was never started, so it has no commitment to close against: start it first; nothing was written")]
    NotStarted { sprint: u32 },
    /// An item planned into, or taken out of, a closed sprint (a picker or
    /// planning left open across another window's close): its record is
    /// frozen. Nothing was written.
    #[error("Sprint {sprint} is closed: its record is frozen, so nothing moves into or out of it; nothing was written")]
    SprintClosed { sprint: u32 },
    /// A start asked of a sprint that is no longer planned (started or
    /// closed since, here or elsewhere: the store cannot tell, so the
    /// message does not guess; a front end that knows words the cause).
    /// Nothing was written.
    #[error("Sprint {sprint} is {state} already; nothing was written")]
    StartedAlready { sprint: u32, state: String },
    /// An undo or redo whose step has nothing left to reverse: what it
    /// changed was changed or deleted elsewhere since. The step was dropped
    /// from the history, so undo is never stuck on it.
    #[error(
        "Nothing of '{label}' is left to take back: what it changed was changed or deleted since. \
         It was dropped from the history"
    )]
    NothingLeftToReverse { label: String },
    /// An undo or redo refused because its reversal would leave a sprint's
    /// state, its start and its frozen record disagreeing: the sprint was
    /// closed (or started) since, elsewhere, and that later step depends on
    /// this one. The step stays in the history; nothing was changed.
    #[error(
        "{} was {} since (elsewhere): undo its {} first; nothing was changed",
        crate::domain::codes::sprint(*sprint),
        if *closed { "closed" } else { "started" },
        if *closed { "close" } else { "start" }
    )]
    SprintChangedSince { sprint: u32, closed: bool },
    /// An undo or redo that the board can no longer take (a constraint
    /// refused the reversal): the step was dropped; nothing was changed.
    #[error(
        "'{label}' cannot be taken back any more: the board changed under it since ({why}). \
         It was dropped from the history; nothing was changed"
    )]
    NoLongerReversible { label: String, why: rusqlite::Error },
    /// A quarter asked for with a sprint of no weeks. Nothing was written.
    #[error("every sprint needs a length of at least one week")]
    SprintWithoutWeeks,
    /// A plan whose sprints end beyond the dates the calendar can hold.
    #[error("sprint dates run past the calendar")]
    PastTheCalendar,
    /// A plan loaded beside the board brings an object the board has
    /// already (the same plan loaded twice). Nothing was written.
    #[error(
        "{field} is {uid}, which this board has already ({name}): load the plan in place of the board, or leave the ids out to load a copy"
    )]
    AlreadyOnBoard { field: String, uid: String, name: String },
    /// A plan that breaks its own rules (checked before anything is written).
    #[error(transparent)]
    InvalidPlan(anyhow::Error),
    /// A plan that clashes with the board (an id or item number another
    /// quarter has); the message begins with the plan's field, so that a
    /// front end can point at its line and column. Nothing was written.
    #[error(transparent)]
    PlanClash(#[from] super::PlanConflict),
    /// The synthetic history asked for an item the board does not have.
    #[error("no backlog item{} at place {place}", if *.outside_closed { " outside a closed sprint" } else { "" })]
    NoItemAt { place: usize, outside_closed: bool },
    /// The file cannot be opened as a board (exit code 2 for the command line).
    #[error(transparent)]
    Refused(#[from] RefusedFile),
    /// There is no board file to open for reading only. A board is made
    /// by opening the board on the file, or from the shell.
    #[error(
        "there is no board at {}: make one with `{}` or `{}`, \
         or by opening the board on it; or choose another with --db PATH",
        path.display(),
        crate::shell::command_line(&["init", "--label", "L", "--start", "DATE"], Some(path)),
        crate::shell::command_line(&["import", "FILE"], Some(path))
    )]
    NoBoardAt { path: PathBuf },
    /// The board's path names something that is not a file: `what` says
    /// what it is ("a folder"), so the user knows what they pointed at.
    #[error("{} is {what}: a board is a file; choose one with --db PATH", path.display())]
    NotAFile { path: PathBuf, what: &'static str },
    /// The board's path is a symbolic link to nothing: a board is neither
    /// read from it nor made where it points, which the user may not expect.
    #[error(
        "{} is a symbolic link to {}, which does not exist: restore the file it points to, \
         or remove the link or choose another board with --db PATH",
        path.display(),
        target.display()
    )]
    DanglingLink { path: PathBuf, target: PathBuf },
    /// The file system refused a step of opening (`doing` says which).
    #[error("{doing} {}", path.display())]
    File { doing: &'static str, path: PathBuf, source: io::Error },
    /// SQLite failed a step of opening (`doing` says which).
    #[error("{doing} {}{}", path.display(), if *read_only { " read-only" } else { "" })]
    Opening { doing: &'static str, path: PathBuf, read_only: bool, source: rusqlite::Error },
    /// The file could not grow: the disk is full, or a limit on file size
    /// (`ulimit -f`) was reached. SQLite rolled the write back, so nothing of
    /// it was written and everything saved before stands; the same write
    /// goes through once there is room. `path` is the board file, filled in
    /// by the store ([`StoreError::on_file`]); SQLite's error does not say it.
    #[error(
        "Not saved: {} cannot grow (the disk is full, or a limit on file size). \
         Free some space, then try again; everything saved before is safe",
        path.as_deref().map_or_else(|| "the board file".into(), |path| path.display().to_string())
    )]
    DiskFull { path: Option<PathBuf> },
    /// SQLite found the file's content unreadable (`SQLITE_CORRUPT`,
    /// `SQLITE_NOTADB`) in a read or a write, or the file check found
    /// damage (`Store::start_file_check`). Nothing was changed, and the
    /// store writes nothing more to the file. `path` is `None` when the
    /// error was made where the board's path is not known (a conversion
    /// from SQLite's error): [`StoreError::on_board`] names it.
    #[error("{}", damaged_words(path.as_deref(), sqlite))]
    Damaged { path: Option<PathBuf>, sqlite: String },
    /// Any other failure of SQLite, as SQLite words it.
    #[error(transparent)]
    Sqlite(rusqlite::Error),
}

/// What a damaged board is called everywhere (the status line, the command
/// line, the presentation): the file, SQLite's words, that nothing was
/// changed, then [`damaged_remedies`].
fn damaged_words(path: Option<&Path>, sqlite: &str) -> String {
    let file = path.map_or_else(|| "The board file".to_owned(), |path| path.display().to_string());
    format!(
        "{file} is damaged (SQLite says: {sqlite}). Nothing was changed, and nothing more is written to it. What to do: {}",
        damaged_remedies(path).join("; or ")
    )
}

/// What to do with a damaged board, in the order they work (the board's
/// banner and help show them a line each, the command line and doctor
/// joined): a backup is whole; `export` saves what can still be read
/// (reading past damaged pages row by row, `Store::salvage_plan`) with
/// any build; SQLite's recovery needs a sqlite3 that has `.recover`.
pub fn damaged_remedies(path: Option<&Path>) -> [String; 3] {
    // The file unknown, the commands name it FILE for the user to fill in.
    let board = path.unwrap_or(Path::new("FILE"));
    let file = crate::shell::quote_path(board);
    let export = crate::shell::command_line(&["export", "--output", "plan.toml"], Some(board));
    [
        "restore it from a backup".to_owned(),
        format!(
            "save what can still be read: {export}, then {}",
            crate::shell::command_line(&["import", "plan.toml"], Some(Path::new("NEW.sqlite3")))
        ),
        // Some builds of sqlite3 (Debian 12's 3.40.1) lack a working
        // `.recover`: said, so that its failure is not taken for the file's.
        format!(
            "recover past the damage (with a sqlite3 that has .recover): \
             sqlite3 {file} .recover | sqlite3 recovered.sqlite3"
        ),
    ]
}

/// SQLite's errors, with the ones the store gives a meaning to typed: a
/// lock held by another program is [`StoreError::Busy`], the unique index
/// on quarter labels (v10) is [`StoreError::LabelTaken`], and a refusal a
/// guard raised inside a transaction (carried through rusqlite's closure as
/// a conversion failure) is that refusal.
impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        if error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) {
            return Self::Busy;
        }
        if is_disk_full(&error) {
            return Self::DiskFull { path: None };
        }
        if let Some(sqlite) = super::open::is_damage(&error) {
            return Self::Damaged { path: None, sqlite };
        }
        match error {
            rusqlite::Error::SqliteFailure(failure, Some(message))
                if failure.code == rusqlite::ErrorCode::ConstraintViolation && message.contains("quarter.label") =>
            {
                Self::LabelTaken
            }
            rusqlite::Error::ToSqlConversionFailure(inner) if inner.is::<StoreError>() => match inner.downcast::<StoreError>() {
                Ok(refused) => *refused,
                Err(other) => Self::Sqlite(rusqlite::Error::ToSqlConversionFailure(other)),
            },
            error => Self::Sqlite(error),
        }
    }
}

/// SQLite's words for a file that cannot grow: `SQLITE_FULL` (a short
/// write, or `ENOSPC`), `SQLITE_IOERR_WRITE` for any other failed write,
/// which is how `EFBIG` (a file-size limit) arrives, and
/// `SQLITE_IOERR_SHMSIZE`, the `-shm` file failing to grow (at open).
pub(super) fn is_disk_full(error: &rusqlite::Error) -> bool {
    const SQLITE_IOERR_WRITE: std::ffi::c_int = 778;
    const SQLITE_IOERR_SHMSIZE: std::ffi::c_int = 4874;
    match error {
        rusqlite::Error::SqliteFailure(failure, _) => {
            failure.code == rusqlite::ErrorCode::DiskFull
                || matches!(failure.extended_code, SQLITE_IOERR_WRITE | SQLITE_IOERR_SHMSIZE)
        }
        _ => false,
    }
}

impl StoreError {
    /// Names the board's file `path` in an error that speaks of it without
    /// knowing it ([`StoreError::DiskFull`], [`StoreError::Damaged`]: SQLite's
    /// error does not say which file); any other error is returned as it is.
    pub fn on_board(self, path: &Path) -> Self {
        match self {
            Self::DiskFull { path: None } => Self::DiskFull { path: Some(path.to_owned()) },
            Self::Damaged { path: None, sqlite } => Self::Damaged { path: Some(path.to_owned()), sqlite },
            other => other,
        }
    }

    /// SQLite's words when this error is damage to the file.
    pub fn damage(&self) -> Option<&str> {
        match self {
            Self::Damaged { sqlite, .. } => Some(sqlite),
            _ => None,
        }
    }

    /// Carries this refusal out of a rusqlite closure (a guard inside a
    /// transaction); `From<rusqlite::Error>` gives it back unchanged.
    pub(super) fn inside_sqlite(self) -> rusqlite::Error {
        rusqlite::Error::ToSqlConversionFailure(Box::new(self))
    }
}
