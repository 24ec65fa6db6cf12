//! Saving and restoring what the screen looked like, so that starting again
//! shows the same pane and the same rows.
//!
//! The UI state is written when the user leaves (quit, SIGTERM, SIGHUP) and
//! after a second without keys, not on every key: a keystroke should not
//! wait for a disk flush, and a lost selection costs nothing. So saving it
//! is best effort: it never ends the board, never makes leaving wait for
//! another program's lock, and is not tried again until the screen changes.

use std::time::Duration;

use super::{App, OkrRow, Pane, Status, waiting::store_error};
use crate::store::{StoreError, UiKey};

impl App {
    /// Whether a selection changed since the last save.
    pub fn ui_state_changed(&self) -> bool {
        self.ui_state_changed
    }

    /// After a second without keys. A failure drops this save: the next
    /// change of selection, or leaving, saves again. Another program's lock
    /// is no news to the user; any other failure is said once.
    pub fn save_ui_state_when_idle(&mut self) {
        if self.write_is_waiting() {
            // Writes are held, and the lock is taken: leave it to the next change.
            return;
        }
        if let Err(error) = self.save_ui_state() {
            self.ui_state_changed = false;
            if !matches!(store_error(&error), Some(StoreError::Busy | StoreError::Held)) {
                let text = format!("Saving the screen's selections failed: {error:#}");
                self.status = Some(Status { text, is_error: true });
            }
        }
    }

    /// On `q` or a stop signal: one try that does not wait for another
    /// program's lock; if the file is busy, the selections are not saved.
    /// Nothing is written when no selection changed since the last save:
    /// opening a board, looking and quitting leaves the file as it was.
    pub fn save_ui_state_on_leaving(&mut self) {
        if !self.ui_state_changed {
            return;
        }
        let wait = self.store.lock_wait();
        if self.store.set_lock_wait(Duration::ZERO).is_ok() {
            // Ignored: there is no one left to tell, and leaving must not fail.
            let _ = self.save_ui_state();
            let _ = self.store.set_lock_wait(wait);
        }
    }

    pub fn save_ui_state(&mut self) -> anyhow::Result<()> {
        if self.board.is_none() {
            return Ok(());
        }
        let okr = self.okr_rows().get(self.okr_selected).map(|row| match row {
            OkrRow::Objective { id, .. } => format!("objective:{id}"),
            OkrRow::KeyResult { id, .. } => format!("key_result:{id}"),
        });
        let sprint =
            self.board.as_ref().and_then(|board| board.sprints.get(self.sprint_selected)).map(|sprint| sprint.id.to_string());
        let values = [
            (UiKey::FocusedPane, Some(self.focus.key().to_owned())),
            (UiKey::OkrSelection, okr),
            (UiKey::SprintSelection, sprint),
            (UiKey::ItemSelection, self.backlog.selected_id().map(|id| id.to_string())),
            (UiKey::KrFilter, self.backlog.filter.key_result.map(|id| id.to_string())),
            (UiKey::ViewedQuarter, self.viewed_quarter.map(|id| id.to_string())),
        ];
        self.store.save_ui_state(&values)?;
        self.ui_state_changed = false;
        Ok(())
    }

    /// Applies the saved UI state; anything that no longer exists is skipped.
    pub(super) fn restore_ui_state(&mut self) -> anyhow::Result<()> {
        let Some(board) = &self.board else {
            return Ok(());
        };
        if let Some(pane) = self.store.ui_value(UiKey::FocusedPane)? {
            self.focus = Pane::ALL.into_iter().find(|candidate| candidate.key() == pane).unwrap_or(Pane::Okrs);
        }
        match self.store.ui_value(UiKey::SprintSelection)?.and_then(|id| id.parse::<crate::domain::Id>().ok()) {
            Some(id) => self.sprint_selected = board.sprints.iter().position(|sprint| sprint.id == id).unwrap_or(0),
            None => self.sprint_selected = board.sprints.iter().position(|sprint| sprint.contains(self.today)).unwrap_or(0),
        }
        if let Some(saved) = self.store.ui_value(UiKey::OkrSelection)? {
            let matches = |row: &OkrRow| match row {
                OkrRow::Objective { id, .. } => saved == format!("objective:{id}"),
                OkrRow::KeyResult { id, .. } => saved == format!("key_result:{id}"),
            };
            self.okr_selected = self.okr_rows().iter().position(matches).unwrap_or(0);
        }
        let kr_filter = self.store.ui_value(UiKey::KrFilter)?.and_then(|id| id.parse().ok());
        self.backlog.filter.key_result =
            kr_filter.filter(|id| self.board.as_ref().is_some_and(|board| board.key_result(*id).is_some()));
        self.backlog.filter.quarter = self.closed_quarter_scope();
        let item = self.store.ui_value(UiKey::ItemSelection)?.and_then(|id| id.parse().ok());
        self.backlog.reload(&self.store, item)?;
        Ok(())
    }
}
