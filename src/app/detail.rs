//! Read-only detail views: what `Enter` opens over the board.

use super::{App, OkrRow, Overlay, Pane};
use crate::domain::{Id, ItemDetail, ItemRow, forecast::Forecast};

/// The selection a detail view shows, with what it needed from the store
/// read once when it opened.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    Objective {
        id: Id,
    },
    /// A KR with its check-ins; `selected` is an index into them, newest
    /// first (`e` and `d` act on it).
    KeyResult {
        id: Id,
        tagged_items: usize,
        selected: usize,
        /// When its open work is likely done (`domain::forecast`).
        forecast: Forecast,
    },
    Sprint {
        id: Id,
        items: Vec<ItemRow>,
    },
    Item(Box<ItemDetail>),
    /// A message too long for the status line, whole (a sync's advice
    /// after git's words): `title` frames it.
    Message {
        title: String,
        text: String,
    },
}

/// What a confirmation asks, and what `y` then does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub question: String,
    pub details: String,
    pub action: Pending,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Delete `target`; `label` is the status line and the undo step.
    Delete { target: Deletion, label: String },
    /// Undo the history step `step`, made in another window or by another
    /// user: asked first, never done silently.
    UndoForeign { step: i64 },
    /// Undo (or, with `redo`, redo) the step `step`, one that asks first:
    /// a quarter's close or opening.
    Replay { step: i64, redo: bool },
    /// Start the sprint whose dates today entered, recording its commitment.
    StartSprint { sprint: Id },
    /// Close a sprint, its unfinished items going where `carry` says
    /// (none when it has nothing unfinished).
    CloseSprint { sprint: Id, carry: Vec<(Id, crate::store::CarryTo)> },
    /// Close the running quarter with the quarter screen's scores and notes.
    CloseQuarter { quarter: Id },
    /// Quit while a change waits for another program's lock: dropping it
    /// is the user's choice, never silent.
    QuitDroppingWaiting,
}

/// What a confirmed delete removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deletion {
    /// Backlog items: one, or the marked range.
    Items(Vec<Id>),
    Objective(Id),
    KeyResult(Id),
    Sprint(Id),
    /// A team member, with their days off.
    Member(Id),
    /// One check-in of a KR.
    CheckIn(Id),
    /// A sprint's retro note.
    RetroNote(Id),
}

impl App {
    /// `Enter`: the details of the focused pane's selection.
    pub(super) fn open_detail(&mut self) -> anyhow::Result<()> {
        let Some(board) = &self.board else {
            return Ok(());
        };
        let detail = match self.focus {
            Pane::Okrs => match self.okr_rows().get(self.okr_selected) {
                Some(OkrRow::Objective { id, .. }) => Detail::Objective { id: *id },
                Some(OkrRow::KeyResult { id, .. }) => self.key_result_detail(*id, 0)?,
                None => return Ok(()),
            },
            Pane::Timeline => {
                let Some(sprint) = board.sprints.get(self.sprint_selected) else {
                    return Ok(());
                };
                Detail::Sprint { id: sprint.id, items: self.store.sprint_items(sprint.id)? }
            }
            Pane::Backlog => {
                let Some(id) = self.backlog.selected_id() else {
                    return Ok(());
                };
                match self.store.item_detail(id)? {
                    Some(item) => Detail::Item(Box::new(item)),
                    None => return Ok(()),
                }
            }
        };
        self.overlays.push(Overlay::Detail { detail, scroll: 0 });
        Ok(())
    }

    /// A KR's details as the file has them now, check-in `selected` chosen.
    pub(super) fn key_result_detail(&self, id: Id, selected: usize) -> anyhow::Result<Detail> {
        let filter = crate::store::ItemFilter { key_result: Some(id), ..Default::default() };
        Ok(Detail::KeyResult {
            id,
            tagged_items: self.store.backlog_summary(&filter)?.count,
            selected,
            forecast: self.store.kr_forecast(id)?,
        })
    }
}
