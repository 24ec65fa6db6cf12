//! What the board shows of its sync (issue 19): the facts the header and
//! the presentation word (`domain::sync_status`), read with the board's
//! other data on every reload (so a sync run by another process shows as
//! soon as the board follows the file), and `sync.auto`'s background
//! fetch, started and polled from the event loop's tick.

use std::time::{Duration, Instant};

use super::{App, Status, background};
use crate::sync::Outcome;
use crate::{domain::sync_status::SyncFacts, store::Store};

/// `sync.auto`: a fetch every `every`, one at a time.
pub struct AutoFetch {
    every: Duration,
    next_at: Instant,
    running: Option<background::BackgroundRun>,
    /// Why the last background fetch did not fetch (`offline`), shown
    /// until one does: a fetch writes nothing to the board but
    /// `incoming`, so the file cannot say it.
    trouble: Option<String>,
}

/// The sync facts of the board in `store`, or none for a board never
/// tied; `trouble` is the background fetch's, when the file has none.
pub fn read_sync_facts(store: &Store, trouble: Option<&str>) -> anyhow::Result<Option<SyncFacts>> {
    let Some((link, conflicts)) = store.sync_link_for_display()? else { return Ok(None) };
    let last_sync = link.last_sync_at.as_deref().and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok());
    Ok(Some(SyncFacts {
        last_sync: last_sync.map(|at| at.with_timezone(&chrono::Local).naive_local()),
        to_send: link.waiting(),
        to_fetch: link.incoming,
        conflicts,
        trouble: link.last_error.clone().or_else(|| trouble.map(str::to_owned)),
        numbers_fixed_upto: link.numbers_fixed_upto,
    }))
}

impl App {
    /// Reads the sync facts again (part of every reload).
    pub(super) fn refresh_sync(&mut self) -> anyhow::Result<()> {
        let trouble = self.auto_fetch.as_ref().and_then(|auto| auto.trouble.clone());
        self.sync = read_sync_facts(&self.store, trouble.as_deref())?;
        Ok(())
    }

    /// Whether item `id`'s number may change at the next sync: shown `#47*`.
    pub fn is_provisional(&self, id: crate::domain::Id) -> bool {
        self.sync.as_ref().is_some_and(|facts| facts.is_provisional(id))
    }

    /// `sync.auto`: fetch every `every` in the background while the board
    /// is tied (none: never). The first fetch waits one interval.
    pub fn set_auto_fetch(&mut self, every: Option<Duration>) {
        self.auto_fetch = every.map(|every| AutoFetch { every, next_at: Instant::now() + every, running: None, trouble: None });
    }

    /// Runs `program` for every sync the board starts (`y`, `sync.auto`)
    /// instead of this executable (a test's stand-in;
    /// `QUARTERDECK_SYNC_PROGRAM` does it for a whole run).
    pub fn use_sync_program(&mut self, program: std::path::PathBuf) {
        self.sync_program = background::Program(program);
    }

    /// The running background fetch's process id (tests check it ends).
    pub fn fetch_process_id(&self) -> Option<u32> {
        self.auto_fetch.as_ref().and_then(|auto| auto.running.as_ref()).map(background::BackgroundRun::id)
    }

    /// Whether a background fetch is running now.
    pub fn fetch_is_running(&self) -> bool {
        self.auto_fetch.as_ref().is_some_and(|auto| auto.running.is_some())
    }

    /// From the event loop, never blocking: starts the background fetch
    /// when it is due, and takes in its end; returns whether the screen
    /// must be drawn again.
    pub fn poll_background(&mut self) -> bool {
        let tied = self.sync.is_some();
        let Some(auto) = &mut self.auto_fetch else { return false };
        if let Some(run) = &mut auto.running {
            let Some(finished) = run.poll() else { return false };
            auto.running = None;
            auto.next_at = Instant::now() + auto.every;
            let said = match finished.report {
                Ok(report) if matches!(report.outcome, Outcome::Fetched | Outcome::UpToDate | Outcome::Status) => {
                    auto.trouble = None;
                    None
                }
                Ok(report) if report.outcome == Outcome::Offline => {
                    auto.trouble = Some("offline".to_owned());
                    None
                }
                Ok(report) => Some(report.message.unwrap_or(report.summary)),
                Err(garbage) => Some(garbage),
            };
            if let Some(text) = said {
                self.status = Some(Status { text: format!("Background fetch (sync.auto): {text}"), is_error: true });
            }
            if let Err(error) = self.refresh_sync() {
                self.reading_failed(&error);
            }
            return true;
        }
        if !tied || Instant::now() < auto.next_at {
            return false;
        }
        auto.next_at = Instant::now() + auto.every;
        let args = background::sync_args(&["sync", "fetch"], self.store.path(), self.today);
        match background::BackgroundRun::start(&self.sync_program.0, &args) {
            Ok(run) => auto.running = Some(run),
            Err(error) => {
                self.status = Some(Status { text: format!("Background fetch (sync.auto): {error}"), is_error: true });
                return true;
            }
        }
        false
    }
}
