//! Checking the board's file while the board runs: SQLite notices some
//! damage only where it reads, so a damaged page the board does not read at
//! open would let it open and write. A full check (`integrity_check`, see
//! [`check`]) reads every page, on a read-only connection of its own in a
//! thread, so no key waits for it; the board asks for its verdict from its
//! loop, and stops it on quit.

use std::{
    path::Path,
    sync::mpsc::{self, Receiver, TryRecvError},
    thread::{self, JoinHandle},
    time::{Duration, Instant},
};

use rusqlite::{Connection, InterruptHandle, config::DbConfig};

use super::{Store, StoreError, open};

/// What the file check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// SQLite read every page and found nothing wrong.
    Sound,
    /// SQLite's words for the first damage found.
    Damaged(String),
    /// The check could not finish (stopped, or the file busy): it says
    /// nothing either way.
    Unfinished(String),
}

/// A file check running in its own thread. Dropping it stops the check and
/// waits for its thread, whose read-only connection must close before the
/// board's own: the last connection to close removes the `-wal` and `-shm`,
/// which a read-only one cannot.
pub struct FileCheck {
    interrupt: InterruptHandle,
    verdicts: Receiver<Verdict>,
    thread: Option<JoinHandle<()>>,
    verdict: Option<Verdict>,
}

impl Store {
    /// Starts checking the file in the background (see the module's notes).
    pub fn start_file_check(&self) -> Result<FileCheck, StoreError> {
        let conn = open::checking_connection(&self.path).map_err(|error| self.named(error.into()))?;
        let interrupt = conn.get_interrupt_handle();
        let (send, verdicts) = mpsc::channel();
        let thread = thread::Builder::new()
            .name("file check".into())
            .spawn(move || {
                // The receiver gone means the board no longer asks.
                let _ = send.send(check(&conn));
            })
            .map_err(|source| StoreError::File { doing: "checking", path: self.path.clone(), source })?;
        Ok(FileCheck { interrupt, verdicts, thread: Some(thread), verdict: None })
    }
}

/// `integrity_check`, not `quick_check`: both read every page and check its
/// structure, but only `integrity_check` checks that each index agrees with
/// its table, and flipping bytes in one page of the demo board damaged an
/// index that way, which `quick_check` called "ok". It takes about 0.9 s on
/// a 100,000-item board (`quick_check` 0.13 s), in the background.
fn check(conn: &Connection) -> Verdict {
    let first = conn.query_row("PRAGMA integrity_check(1)", [], |row| row.get::<_, String>(0));
    match first {
        Ok(words) if words == "ok" => Verdict::Sound,
        Ok(words) => Verdict::Damaged(words),
        Err(error) => match open::is_damage(&error) {
            Some(words) => Verdict::Damaged(words),
            None => Verdict::Unfinished(error.to_string()),
        },
    }
}

impl Store {
    /// The same check, here and now, for a one-shot write from the command
    /// line: a file SQLite would not notice is damaged until it reads the
    /// damaged page is refused before anything is written to it. Takes
    /// milliseconds on a board of a thousand items, 0.9 s at 100,000.
    pub fn refuse_if_damaged(&self) -> Result<(), StoreError> {
        match check(&self.conn) {
            Verdict::Damaged(sqlite) => Err(self.named(StoreError::Damaged { path: None, sqlite })),
            Verdict::Sound | Verdict::Unfinished(_) => Ok(()),
        }
    }
}

/// The check on the file at `path`, through a read-only connection of its
/// own: SQLite's words when it is damaged. For a command whose read failed
/// in a way SQLite does not call damage (a value that is not text, say),
/// to tell the user when the file is the cause.
pub fn damage_of_file(path: &Path) -> Option<String> {
    match check(&open::checking_connection(path).ok()?) {
        Verdict::Damaged(sqlite) => Some(sqlite),
        Verdict::Sound | Verdict::Unfinished(_) => None,
    }
}

impl FileCheck {
    /// The verdict, once the check has finished; `None` while it runs.
    pub fn verdict(&mut self) -> Option<&Verdict> {
        if self.verdict.is_none() {
            self.verdict = match self.verdicts.try_recv() {
                Ok(verdict) => Some(verdict),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => Some(Verdict::Unfinished("the check ended without a verdict".into())),
            };
        }
        self.verdict.as_ref()
    }

    /// Waits at most `wait` for the verdict (quitting right after the first
    /// frame: a small board's check takes milliseconds).
    pub fn verdict_within(&mut self, wait: Duration) -> Option<&Verdict> {
        let deadline = Instant::now() + wait;
        if self.verdict().is_none()
            && let Ok(verdict) = self.verdicts.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.verdict = Some(verdict);
        }
        self.verdict()
    }
}

impl Drop for FileCheck {
    fn drop(&mut self) {
        // SQLite stops the check at its next step; quitting never waits
        // for a whole check of a big board.
        self.interrupt.interrupt();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Closing a board found damaged must not write to it: the last connection
/// to close checkpoints the write-ahead log into the file. With no frames
/// in the log that writes nothing (and SQLite removes the `-wal` and `-shm`
/// as usual); with frames, the checkpoint is turned off and both are left
/// as they are, holding what was committed for SQLite's recovery to read.
pub(super) fn close_damaged(conn: &Connection, path: &Path) {
    // A log of its 32-byte header alone, or none, holds no frame.
    let has_frames = std::fs::metadata(open::sibling(path, "-wal")).is_ok_and(|meta| meta.len() > 32);
    if has_frames {
        let _ = conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
    }
}
