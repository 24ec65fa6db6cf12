//! Item edits from the board: re-rank, state, undo and redo. Each is one
//! recorded action in the store, and the status line says what happened.

use super::{
    App, Confirm, Overlay, Pane, Pending, Status,
    commands::{FollowUp, Then, Words},
};
use crate::{
    domain::{Id, ids::ItemId},
    ops::{Command, OpError, RankTo},
};

pub(super) use crate::domain::quoted;

/// What an edit can have changed on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Refresh {
    /// Ranks and states: only the backlog's rows (sprint loads count points).
    Backlog,
    /// A new item: the backlog's rows, with that item selected.
    BacklogSelecting(Id),
    /// The rows the backlog holds, read again by id (the write cannot have
    /// changed which items they are), now in the order `expected`, with
    /// position `selected` selected.
    HeldRows {
        selected: usize,
        expected: Vec<Id>,
    },
    /// The board (OKRs, sprints, team) without the backlog's rows.
    Board,
    /// Only the open review (a retro note), which every edit reads again.
    Review,
    Everything,
}

impl App {
    pub(super) fn say(&mut self, text: String) {
        self.status = Some(Status { text, is_error: false });
    }

    /// The item the edit applies to: the backlog's selection.
    pub(super) fn selected_item(&mut self) -> Option<(Id, String)> {
        if self.focus != Pane::Backlog {
            self.say("Select an item in the backlog first (3)".into());
            return None;
        }
        self.backlog.selected_row().map(|row| (row.id, row.title.clone()))
    }

    /// Swaps the selected item with its neighbour in the list as shown
    /// (filtered or not), so the move is what the user sees.
    pub(super) fn rank_by(&mut self, delta: isize) -> anyhow::Result<()> {
        let Some((id, title)) = self.selected_item() else { return Ok(()) };
        let Some(position) = self.backlog.selected.checked_add_signed(delta) else { return Ok(()) };
        if position >= self.backlog.summary.count {
            return Ok(());
        }
        // The neighbour is almost always held; read by position (which
        // walks the rank index up to it) only when it is not.
        let other = match self.backlog.held_row(position) {
            Some(row) => row.id,
            None => match self.store.backlog_page(&self.backlog.filter, position, 1)?.pop() {
                Some(row) => row.id,
                None => return Ok(()),
            },
        };
        let up = delta < 0;
        let label = format!("Moved {} {}", quoted(&title), if up { "up" } else { "down" });
        let refresh = match self.backlog.held_ids_swapping(id, other) {
            Some(expected) => Refresh::HeldRows { selected: position, expected },
            None => Refresh::Backlog,
        };
        let command = Command::SwapRanks { item: ItemId(id), other: ItemId(other), up };
        self.run_command(command, FollowUp::saying(refresh, label)).map(drop)
    }

    pub(super) fn rank_to_end(&mut self, top: bool) -> anyhow::Result<()> {
        let Some((id, title)) = self.selected_item() else { return Ok(()) };
        let label = format!("Moved {} to the {}", quoted(&title), if top { "top" } else { "bottom" });
        let to = if top { RankTo::Top } else { RankTo::Bottom };
        self.run_command(Command::Rank { item: ItemId(id), to }, FollowUp::saying(Refresh::Backlog, label)).map(drop)
    }

    /// `s`/`S`: steps the state on from the state in the file, which
    /// another window may have changed since this one drew it.
    pub(super) fn step_state(&mut self, forward: bool) -> anyhow::Result<()> {
        let Some((id, _)) = self.selected_item() else { return Ok(()) };
        // Only a filter by state can lose or gain the item.
        let refresh = if self.backlog.filter.state.is_none() {
            Refresh::HeldRows { selected: self.backlog.selected, expected: self.backlog.held_ids() }
        } else {
            Refresh::Backlog
        };
        let command = Command::StepState { item: ItemId(id), forward };
        if let Err(OpError::Refused(_)) = self.try_command(command, FollowUp::new(refresh, Words::Summary))? {
            self.say(if forward { "Already done".into() } else { "Already todo: nothing comes before it".into() });
        }
        Ok(())
    }

    /// `u`: takes back this window's newest step (after a restart, this
    /// user's). With none left, offers another window's newest step,
    /// saying whose it is, and asks first.
    pub(super) fn undo(&mut self) -> anyhow::Result<()> {
        // A quarter's close or opening is never taken back by one stray key.
        if let Some((step, what)) = self.store.undo_needs_asking()? {
            self.overlays.push(Overlay::Confirm(Confirm {
                question: format!("Undo {what}?"),
                details: asking_step_details(&what, false).into(),
                action: Pending::Replay { step, redo: false },
            }));
            return Ok(());
        }
        if !self.replay(Command::Undo { confirmed: false }, "Undid")? {
            return Ok(());
        }
        match self.store.newest_foreign_step()? {
            Some(step) => {
                let who = if step.author.is_empty() { "someone".to_owned() } else { step.author.clone() };
                self.overlays.push(Overlay::Confirm(Confirm {
                    question: format!("Nothing of this window's to undo. Undo {who}'s step of {} UTC: {}?", step.at, step.label),
                    details: "It was made in another window or by another user; undoing it changes their work.".into(),
                    action: Pending::UndoForeign { step: step.id },
                }));
            }
            None => self.say("Nothing to undo".into()),
        }
        Ok(())
    }

    /// Undoes another window's step, once the user said yes.
    pub(super) fn undo_foreign(&mut self, step: i64) -> anyhow::Result<()> {
        if self.replay(Command::ReplayStep { step, redo: false }, "Undid another window's step")? {
            self.say("That step was undone meanwhile".into());
        }
        Ok(())
    }

    /// Undoes or redoes a step that asked first, once the user said yes.
    pub(super) fn replay_asked(&mut self, step: i64, redo: bool) -> anyhow::Result<()> {
        let (verb, nothing) =
            if redo { ("Redid", "That step was redone meanwhile") } else { ("Undid", "That step was undone meanwhile") };
        if self.replay(Command::ReplayStep { step, redo }, verb)? {
            self.say(nothing.into());
        }
        Ok(())
    }

    pub(super) fn redo(&mut self) -> anyhow::Result<()> {
        if let Some((step, what)) = self.store.redo_needs_asking()? {
            self.overlays.push(Overlay::Confirm(Confirm {
                question: format!("Redo {what}?"),
                details: asking_step_details(&what, true).into(),
                action: Pending::Replay { step, redo: true },
            }));
            return Ok(());
        }
        if self.replay(Command::Redo { confirmed: false }, "Redid")? {
            self.say("Nothing to redo".into());
        }
        Ok(())
    }

    /// An undo or redo; a step can have changed anything. Returns whether
    /// there was nothing to replay (the caller words it).
    fn replay(&mut self, command: Command, verb: &'static str) -> anyhow::Result<bool> {
        let follow = FollowUp::new(Refresh::Everything, Words::Replayed(verb)).then(Then::RefreshPlanning);
        Ok(matches!(self.try_command(command, follow)?, Err(OpError::Refused(_))))
    }

    /// Shows the written change: the board again (and the review, if it is
    /// open), the edited item still selected wherever it went, and what
    /// happened in the status line.
    /// (Both keep the selected item, which is the edited one.)
    pub(super) fn after_edit(&mut self, refresh: Refresh, message: String) -> anyhow::Result<()> {
        // `reload` checks the rules itself; the lighter refreshes leave
        // that to the next idle moment.
        self.health_stale = !matches!(refresh, Refresh::Everything);
        match refresh {
            Refresh::Everything => self.reload()?,
            Refresh::Board => self.load_viewed_board()?,
            Refresh::Backlog => {
                let keep = self.backlog.selected_id();
                self.backlog.reload(&self.store, keep)?;
            }
            Refresh::BacklogSelecting(id) => self.backlog.reload(&self.store, Some(id))?,
            Refresh::HeldRows { selected, expected } => self.backlog.reload_held(&self.store, selected, &expected)?,
            Refresh::Review => {}
        }
        // Any step, undo and redo too, can change what the review shows,
        // and the calendar (a check-in, a closed sprint): it reads no file.
        self.refresh_review()?;
        self.refresh_rhythm();
        // Every step is one more change to send (`sync_link.change_count`).
        if self.sync.is_some() {
            self.refresh_sync()?;
        }
        self.ui_state_changed = true;
        self.say(message);
        Ok(())
    }
}

/// What undoing (or redoing) a step that asks first does, under its
/// question. The store names the step (`history_step.ask`): a sync's
/// import (`the sync with commit 54ffa4c`) is never undone in the shared
/// history, only on this board, and the next sync sends that as a new
/// change; a quarter's close or opening moves its sprints with it.
fn asking_step_details(what: &str, redo: bool) -> &'static str {
    match (what.starts_with(crate::store::SYNC_IMPORT_ASK), redo) {
        (true, false) => {
            "It takes back the other laptops' changes that sync brought; the next sync takes them back on every board too."
        }
        (true, true) => "It brings those changes back; the next sync sends them to every board again.",
        (false, false) => "It takes back the whole step: the quarter's state, its sprints and what moved with it.",
        (false, true) => "It does the whole step again: the quarter's state, its sprints and what moved with it.",
    }
}
