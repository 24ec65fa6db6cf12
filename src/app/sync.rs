//! `y`: a sync run from the board, in the background. The board runs
//! `<this program> sync --json --db BOARD --today D` as a child process
//! (`background`), keeps taking keys while it runs, and when it ends shows
//! its summary (or its message, as an error), reads the file again (the
//! sync changed it), and opens the conflict chooser when the merge waits
//! for choices. Never two at once: a second `y` says one runs.

use std::time::Duration;

use super::{
    App, Detail, Overlay, Status,
    background::{BackgroundRun, Finished, sync_args},
};

/// How long quitting waits for a running sync before it says so (a sync
/// is short; the board does not hang on a slow remote).
const QUIT_WAIT: Duration = Duration::from_secs(3);

/// The sync the board runs, while it runs.
#[derive(Debug)]
pub(super) struct RunningSync {
    child: BackgroundRun,
    /// `q` was pressed meanwhile: the board quits once it ends.
    then_quit: bool,
}

impl App {
    /// Whether a sync started here is still running (the loop then looks
    /// for its end often).
    pub fn sync_running(&self) -> bool {
        self.sync_run.is_some()
    }

    /// The running sync's process id (tests check that it ends).
    pub fn sync_process_id(&self) -> Option<u32> {
        self.sync_run.as_ref().map(|running| running.child.id())
    }

    /// `y`: starts a sync in the background, unless the board is not tied
    /// (then it says how to tie it) or one runs already.
    pub(super) fn start_sync(&mut self) -> anyhow::Result<()> {
        if self.sync_run.is_some() {
            self.say("A sync is already running; its result shows here when it ends".into());
            return Ok(());
        }
        if self.store.sync_link()?.is_none() {
            self.status = Some(Status { text: self.how_to_tie(), is_error: true });
            return Ok(());
        }
        let args = sync_args(&["sync"], self.store.path(), self.today);
        match BackgroundRun::start(&self.sync_program.0, &args) {
            Ok(child) => {
                self.sync_run = Some(RunningSync { child, then_quit: false });
                self.say("Syncing…".into());
            }
            Err(error) => {
                self.status = Some(Status { text: format!("The sync could not start: {error}"), is_error: true });
            }
        }
        Ok(())
    }

    /// How to tie the board, as long as the status line has room for: a
    /// command is never cut short, so where the board's path does not fit
    /// `FILE` stands for it (as the opening notice does).
    fn how_to_tie(&self) -> String {
        let tie = |board: &std::path::Path| crate::shell::command_line(&["sync", "init", "REMOTE"], Some(board));
        let room = usize::from(self.size.0.saturating_sub(2));
        let board = tie(self.store.path());
        [
            format!("This board is not tied to a git repository; tie it with `{board}`"),
            format!("Not tied to a git repository: `{board}`"),
        ]
        .into_iter()
        .find(|text| crate::ui::text::width_of(text) <= room)
        .unwrap_or_else(|| format!("Not tied to a git repository: `{}`", tie(std::path::Path::new("FILE"))))
    }

    /// From the loop's tick: whether the running sync ended (and the
    /// screen must be drawn again). Never waits.
    pub fn poll_sync(&mut self) -> bool {
        let Some(running) = &mut self.sync_run else { return false };
        let Some(ended) = running.child.poll() else { return false };
        self.sync_ended(ended);
        true
    }

    /// `q` while a sync runs: waits a moment for it; if it is still
    /// running after that, the board quits as soon as it ends, and says
    /// that a second `q` stops it and quits now. Stopping is safe at any
    /// step (docs/sync.md, "The kill hook"): the next sync completes it.
    pub(super) fn quit_after_sync(&mut self) {
        let Some(running) = &mut self.sync_run else {
            self.quit();
            return;
        };
        if running.then_quit {
            running.child.stop();
            self.sync_run = None;
            self.quit();
            return;
        }
        match running.child.wait(QUIT_WAIT) {
            Some(ended) => {
                self.sync_ended(ended);
                self.quit();
            }
            None => {
                running.then_quit = true;
                let key = self.key(self.context(), super::Action::Quit);
                self.say(format!("Sync still running: quits when it ends; {key} again stops it and quits now"));
            }
        }
    }

    fn sync_ended(&mut self, ended: Finished) {
        let then_quit = self.sync_run.take().is_some_and(|running| running.then_quit);
        // The sync wrote to the file: the board shows what it holds now.
        let reread = self.follow_external_changes();
        let reply = ended.into_report();
        let line = reply.line();
        self.status = Some(Status { text: crate::ui::text::clean(&line).into_owned(), is_error: reply.outcome.is_failure() });
        if let Err(error) = reread {
            self.reading_failed(&error);
        }
        if then_quit {
            self.quit();
            return;
        }
        // The advice comes last, after git's words: what the status line
        // cannot hold opens whole (the chooser says a merge's conflicts).
        if reply.outcome != crate::sync::Outcome::Conflicts && (!self.fits_status_line(&line) || reply.says_more_elsewhere()) {
            // A completed sync's dialog gives the whole account: each
            // change sent, received, chosen and renumbered, not only the
            // line that points at the commit's message for the rest.
            let (title, text) =
                if reply.outcome.is_failure() { ("The sync stopped", line) } else { ("Synced", reply.lines().join("\n")) };
            self.overlays.push(Overlay::Detail { detail: Detail::Message { title: title.into(), text }, scroll: 0 });
        }
        if reply.outcome == crate::sync::Outcome::Conflicts
            && let Err(error) = self.open_sync_chooser()
        {
            self.reading_failed(&error);
        }
        self.refresh_sync_chooser();
    }

    /// `y` on the board: when a merge waits for choices, the chooser (the
    /// sync would only stop at them again); else a sync.
    pub(super) fn sync_or_choose(&mut self) -> anyhow::Result<()> {
        if self.sync_run.is_none() && !self.store.sync_conflicts()?.is_empty() {
            return self.open_sync_chooser();
        }
        self.start_sync()
    }

    /// Whether `text` is shown whole on the status line (one line, a
    /// space before it).
    fn fits_status_line(&self, text: &str) -> bool {
        !text.contains('\n') && crate::ui::text::width_of(&crate::ui::text::clean(text)) < usize::from(self.size.0)
    }

    /// Whether the chooser is anywhere on the stack.
    pub(super) fn chooser_open(&self) -> bool {
        self.overlays.iter().any(|overlay| matches!(overlay, Overlay::SyncChooser(_)))
    }
}
