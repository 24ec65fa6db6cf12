//! A board found damaged while it runs: by the file check that starts after
//! the first frame, or by an error of any read or write. The store turns
//! read-only (`Store::mark_damaged`); the screen shows a banner for as long
//! as the board runs (`ui::draw`), and every write says nothing was changed.

use std::time::Duration;

use ratatui::layout::Rect;

use super::{Action, App, Context, Status, waiting::store_error};
use crate::{
    geometry as layout,
    store::{StoreError, Verdict, damaged_remedies},
    ui::text,
};

/// How long quitting waits for a check still running before it leaves
/// without saving the screen's selections: a small board's check ends in
/// milliseconds, and a big board's is stopped rather than waited for.
const QUIT_WAITS_FOR_CHECK: Duration = Duration::from_millis(250);

impl App {
    /// Starts the file check (once, after the first frame).
    pub fn start_file_check(&mut self) {
        if self.file_check.is_some() || self.store.damage().is_some() {
            return;
        }
        match self.store.start_file_check() {
            Ok(check) => self.file_check = Some(check),
            // Damage met while opening the check's connection is noted by
            // the store; anything else only means no check this time.
            Err(error) => {
                if !self.store.noticed(&error) {
                    self.status = Some(Status { text: format!("Checking the file could not start: {error}"), is_error: true });
                }
            }
        }
    }

    /// Whether a check has started and has no verdict yet: the loop then
    /// looks for its verdict more often than when idle.
    pub fn file_check_running(&mut self) -> bool {
        self.file_check.as_mut().is_some_and(|check| check.verdict().is_none())
    }

    /// Takes the check's verdict when it has come; returns whether the
    /// screen changed (the banner appears).
    pub fn poll_file_check(&mut self) -> bool {
        let Some(Verdict::Damaged(words)) = self.file_check.as_mut().and_then(|check| check.verdict()).cloned() else {
            return false;
        };
        let newly = self.store.damage().is_none();
        self.store.mark_damaged(&words);
        newly
    }

    /// Whether saving the screen's selections may write: not on a damaged
    /// board, and not before the check has said the file is sound (or
    /// could not say), waiting at most `wait` for it.
    pub(super) fn may_save_ui_state(&mut self, wait: Duration) -> bool {
        if let Some(check) = self.file_check.as_mut() {
            match check.verdict_within(wait) {
                None => return false,
                Some(Verdict::Damaged(words)) => {
                    let words = words.clone();
                    self.store.mark_damaged(&words);
                }
                Some(_) => {}
            }
        }
        self.store.damage().is_none()
    }

    /// On leaving: waits a moment for the check's verdict (see
    /// [`QUIT_WAITS_FOR_CHECK`]); whether the selections may be saved.
    pub(super) fn may_save_ui_state_on_leaving(&mut self) -> bool {
        self.may_save_ui_state(QUIT_WAITS_FOR_CHECK)
    }

    /// Stops a check still running and waits for its thread, whose
    /// connection must close before the board's own.
    pub fn end_file_check(&mut self) {
        self.file_check = None;
    }

    /// A read that failed: said in the status line, and a damaged file
    /// turns the board read-only.
    pub fn reading_failed(&mut self, error: &anyhow::Error) {
        let text = match self.damaged_in(error) {
            Some(damaged) => format!("Reading the board failed: {damaged}"),
            None => format!("Reading the board failed: {error:#}"),
        };
        self.status = Some(Status { text, is_error: true });
    }

    /// The damage `error` reports, if it does, with the board's file named;
    /// the board turns read-only.
    pub(super) fn damaged_in(&self, error: &anyhow::Error) -> Option<StoreError> {
        let damaged = store_error(error).filter(|inner| self.store.noticed(inner))?;
        Some(StoreError::Damaged { path: Some(self.store.path().to_owned()), sqlite: damaged.damage()?.to_owned() })
    }

    /// The banner's lines while the board is damaged, in full: the file and
    /// SQLite's words, that nothing more is written, and what to do
    /// (`damaged_remedies`, the words every front end gives), a line each.
    pub fn damage_banner(&self) -> Option<Vec<String>> {
        let sqlite = self.store.damage()?;
        let path = self.store.path();
        let mut lines = vec![
            format!("DAMAGED FILE: {} · SQLite: {sqlite}", path.display()),
            "Read-only now: nothing more is written to it, not even on quit. What to do:".to_owned(),
        ];
        lines.extend(damaged_remedies(Some(path)).iter().map(|remedy| format!("· {remedy}")));
        Some(lines)
    }

    /// The banner as the screen shows it on a `width`x`height` screen
    /// (cleaned: the path and SQLite's words come from outside); none while
    /// the file is sound. It takes at most what the board's minimum height
    /// leaves (`layout::banner_room`) and names the file whole, broken
    /// across lines where it is long: in full when that fits; else one
    /// line saying the file and the key that shows the whole advice (help);
    /// else, with a single line left, that line with the file's folder
    /// left out.
    pub fn banner_lines(&self, width: u16, height: u16) -> Vec<String> {
        let Some(full) = self.damage_banner() else {
            return Vec::new();
        };
        let room = usize::from(layout::banner_room(height));
        let columns = usize::from(width.max(1));
        let full: Vec<String> = full.iter().flat_map(|line| text::wrap_whole(line, columns)).collect();
        if full.len() <= room {
            return full;
        }
        // A dialog binds no help key: the board's, once it is closed.
        let key = [self.context(), Context::Viewer]
            .into_iter()
            .find_map(|context| self.keymap.keys_label(context, Action::Help))
            .unwrap_or_else(|| "help".to_owned());
        let path = self.store.path().display().to_string();
        let compact = text::wrap_whole(&format!("DAMAGED, read-only: {path} · {key} for what to do"), columns);
        if compact.len() <= room {
            return compact;
        }
        let (before, after) = ("DAMAGED: ", format!(" · {key} what to do"));
        let left = columns.saturating_sub(text::width_of(before) + text::width_of(&after));
        vec![text::fit(&format!("{before}{}{after}", text::fit_left(&path, left)), columns)]
    }

    /// The banner's lines on the screen as it is now.
    fn banner_on_screen(&self) -> Vec<String> {
        self.banner_lines(self.size.0, self.size.1)
    }

    /// Where the board is laid out, drawn and clicked: the screen under the
    /// banner.
    pub fn board_area(&self) -> Rect {
        let screen = Rect::new(0, 0, self.size.0, self.size.1);
        layout::under_banner(screen, self.banner_on_screen().len()).1
    }

    /// Lays the board out again under a banner that appeared since it was
    /// last laid out, so that a page of the backlog is as long as the rows
    /// shown, and a click lands on the row under it. Called before each
    /// frame: damage can be found by any read or write.
    pub fn fit_under_banner(&mut self) -> anyhow::Result<()> {
        if self.banner_on_screen().len() == self.banner_laid_out {
            return Ok(());
        }
        self.resize(self.size.0, self.size.1)
    }
}
