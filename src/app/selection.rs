//! Moving the selection: in the panes, in planning, in a dialog or the
//! review (which scroll), and the OKR pane's selection as the backlog's
//! KR filter ("OKR as backlog filter").

use super::{Action, App, OkrRow, Pane, first_okr_row};
use crate::{domain::Id, geometry as layout};

impl App {
    pub(super) fn move_selection(&mut self, step: Step) -> anyhow::Result<()> {
        // The screens with lists of their own move in them (`screen_action`).
        // A dialog scrolls (the review's keys are the retro's: `retro`).
        if self.dialog_open()
            && let Some(overlay) = self.overlays.last_mut()
        {
            if let Some(scroll) = overlay.scroll_mut() {
                *scroll = match step {
                    Step::By(delta) => scroll.saturating_add_signed(i16::try_from(delta).unwrap_or(0)),
                    Step::Page(pages) => scroll.saturating_add_signed(i16::try_from(pages * 10).unwrap_or(0)),
                    Step::First => 0,
                    Step::Last => u16::MAX,
                };
            }
            return Ok(());
        }
        if self.board.is_none() {
            return Ok(());
        }
        if let Some(planning) = self.planning_mut() {
            let (cursor, count) = planning.cursor_mut();
            *cursor = step.apply(*cursor, count, 10);
            return Ok(());
        }
        self.ui_state_changed = true;
        match self.focus {
            Pane::Okrs => {
                let count = self.okr_rows().len();
                self.okr_selected = step.apply(self.okr_selected, count, usize::from(layout::okr_rows(self.size.0, self.size.1)));
                self.scroll_okrs_to_selection();
                self.follow_okr_selection()?;
            }
            Pane::Timeline => {
                let count = self.board.as_ref().map_or(0, |board| board.sprints.len());
                self.sprint_selected = step.apply(self.sprint_selected, count, count);
            }
            Pane::Backlog => {
                let target = step.apply(self.backlog.selected, self.backlog.summary.count, self.backlog.height);
                self.backlog.move_to(&self.store, target)?;
            }
        }
        Ok(())
    }

    /// Keeps the selected OKR row in view, moving the list as little as it can.
    pub(super) fn scroll_okrs_to_selection(&mut self) {
        let lines = usize::from(layout::okr_lines(self.size.0, self.size.1));
        self.okr_scroll = first_okr_row(&self.okr_rows(), self.okr_selected, lines, self.okr_scroll);
    }

    /// "OKR as backlog filter": the backlog lists the selected KR's items.
    pub(super) fn follow_okr_selection(&mut self) -> anyhow::Result<()> {
        let kr = match self.okr_rows().get(self.okr_selected) {
            Some(OkrRow::KeyResult { id, .. }) => Some(*id),
            _ => None,
        };
        self.set_kr_filter(kr)
    }

    pub(super) fn set_kr_filter(&mut self, key_result: Option<Id>) -> anyhow::Result<()> {
        self.set_filter(crate::store::ItemFilter { key_result, ..self.backlog.filter.clone() })
    }
}

/// A move of the selection in a list.
#[derive(Debug, Clone, Copy)]
pub(super) enum Step {
    By(isize),
    Page(isize),
    First,
    Last,
}

impl Step {
    /// The step a moving key takes; `None` for any other action.
    pub(super) fn of(action: Action) -> Option<Self> {
        Some(match action {
            Action::MoveDown => Self::By(1),
            Action::MoveUp => Self::By(-1),
            Action::PageDown => Self::Page(1),
            Action::PageUp => Self::Page(-1),
            Action::First => Self::First,
            Action::Last => Self::Last,
            _ => return None,
        })
    }

    pub(super) fn apply(self, current: usize, count: usize, page: usize) -> usize {
        let last = count.saturating_sub(1);
        match self {
            Self::By(delta) => current.saturating_add_signed(delta).min(last),
            Self::Page(pages) => current.saturating_add_signed(pages * page.max(1).cast_signed()).min(last),
            Self::First => 0,
            Self::Last => last,
        }
    }
}
