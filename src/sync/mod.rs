//! Sharing a board through a git remote the team already has
//! (`quarterdeck sync`, docs/sync.md): the quarter written as plan files
//! in a clone, committed, merged three ways by stable id and field
//! (`plan::merge3`), imported through the Commands, pushed.

pub mod changes;
pub mod exchange;
pub mod git;
pub mod link;
pub mod quarters;
pub mod readable;
pub mod repo;
pub mod report;

use std::path::PathBuf;

use chrono::NaiveDate;

pub use link::{InitOptions, fetch, init, status};
pub use report::{Outcome, Report};

use crate::{plan::Side, store::Store};

/// The steps of a sync, in order: `QUARTERDECK_SYNC_KILL_AT=<step>` makes
/// the sync SIGKILL itself on reaching one (docs/reliability.md).
pub const STEPS: &[&str] = &["start", "exported", "committed", "fetched", "merged", "imported", "pushed"];

/// The test hook: ends the process at once, as a power cut would, when
/// `QUARTERDECK_SYNC_KILL_AT` names `step`.
pub fn kill_at(step: &str) {
    if std::env::var("QUARTERDECK_SYNC_KILL_AT").is_ok_and(|at| at == step) {
        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGKILL);
    }
}

/// What a sync is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--mine` / `--theirs`: the side for every conflict left.
    pub side: Option<Side>,
    /// Whether git may ask on the terminal (never for `--json`, which the
    /// board runs with no terminal).
    pub prompts: bool,
    pub today: NaiveDate,
    /// The board file, for commands the messages name.
    pub board: PathBuf,
}

/// One exchange with the remote (`quarterdeck sync`); never fails: what
/// went wrong is the report's outcome and message. One sync of a board
/// at a time: a second waits for the first (`Repo::lock`), then says so.
pub fn sync(store: &mut Store, options: &Options) -> Report {
    let report = match link::open(store, options) {
        Ok(Ok((repo, notes))) => match repo.lock(link::lock_wait()) {
            Ok(Some(_lock)) => exchange(store, &repo, options, notes),
            Ok(None) => Report::busy(),
            Err(error) => link::failure(&error),
        },
        Ok(Err(report)) => *report,
        Err(error) => link::failure(&error),
    };
    link::finish(store, report)
}

/// The exchange's tries, with the clone held; the notes said on the way.
fn exchange(store: &mut Store, repo: &repo::Repo, options: &Options, mut notes: Vec<String>) -> Report {
    kill_at("start");
    let mut report = None;
    for _ in 0..exchange::ATTEMPTS {
        match exchange::attempt(store, repo, options, &mut notes) {
            Ok(exchange::Attempt::Done(done)) => {
                report = Some(*done);
                break;
            }
            Ok(exchange::Attempt::Again) => {}
            Err(error) => {
                report = Some(link::failure(&error));
                break;
            }
        }
    }
    let mut report = report.unwrap_or_else(|| {
        Report::failed(
            Outcome::Failed,
            "Sync did not complete: the board kept changing",
            format!(
                "the board changed during each of {} tries (another window or process writing it) or the remote kept moving: nothing was lost; sync again",
                exchange::ATTEMPTS
            ),
        )
    });
    if let Some(side) = options.side.filter(|_| report.chosen.is_empty() && !report.outcome.is_failure()) {
        let flag = if side == Side::Mine { "--mine" } else { "--theirs" };
        notes.push(format!("no conflict was waiting for {flag}: synced as usual"));
    }
    if !notes.is_empty() {
        let said = notes.join("; ");
        report.message = Some(report.message.map_or(said.clone(), |message| format!("{said}; {message}")));
    }
    report
}
