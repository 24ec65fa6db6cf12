//! The board as a front end over the command layer: a key handler turns
//! the key and the selection into a [`Command`] (ids, parsed values) and
//! hands it here with what the screen does once it lands ([`FollowUp`]).
//! The command is applied by `ops::apply`, one transaction with its undo
//! step; the board only words the outcome.
//!
//! A command that meets another program's lock is kept as it is, with its
//! follow-up, and applied again when the lock frees (`waiting.rs`): it
//! names its objects by id, so it lands on what the key meant whatever the
//! selection does meanwhile.

use super::{App, edits::Refresh};
use crate::{
    domain::Id,
    ops::{self, Command, OpError, Outcome},
};

/// What the screen does once a command has landed.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FollowUp {
    /// What the change can have altered on screen.
    pub refresh: Refresh,
    /// What the status line says.
    pub words: Words,
    /// Whether the method's advice on the change follows the words.
    pub advice: bool,
    /// What else the screen does.
    pub then: Then,
}

/// The status line's words for a command that landed.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Words {
    /// The outcome's summary.
    Summary,
    /// The board's own sentence.
    Text(String),
    /// An undo or redo: this verb and the step's label (`Undid: …`).
    Replayed(&'static str),
    /// The outcome's summary, then the board's words after it.
    SummaryAnd(String),
    /// The board's sentence around the code of what the command made:
    /// before it, then after it (`'Fix X' is now backlog item ` `#42` `, at the bottom`).
    Naming(String, String),
    /// One item's tags as the file has them after the write (another
    /// window may have tagged it meanwhile), said with its quoted title.
    TagsNow { item: Id, title: String },
}

/// A screen's own step after a command landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Then {
    Nothing,
    /// Marks are dropped: the marked items were acted on.
    ClearMarks,
    /// Planning's lists are read again.
    RefreshPlanning,
    /// The item the command made is selected in the backlog.
    SelectCreated,
    /// An open KR's newest check-in is selected (a new one is on top).
    SelectNewestCheckIn,
    /// The quarter just closed is viewed, read-only, under the quarters
    /// screen read again.
    ShowClosedQuarter(Id),
    /// The quarter just opened is viewed; the quarters screen goes.
    ShowOpenedQuarter,
}

impl FollowUp {
    pub fn new(refresh: Refresh, words: Words) -> Self {
        Self { refresh, words, advice: false, then: Then::Nothing }
    }

    pub fn saying(refresh: Refresh, text: String) -> Self {
        Self::new(refresh, Words::Text(text))
    }

    /// The follow-up of a command that waited for the lock and lands on a
    /// screen the user has moved on since: the rows held when the key was
    /// pressed (and the selection among them) are not the screen's any
    /// more, so the backlog is read again around the user's selection.
    pub fn on_a_later_screen(self) -> Self {
        let refresh = match self.refresh {
            Refresh::HeldRows { .. } => Refresh::Backlog,
            other => other,
        };
        Self { refresh, ..self }
    }

    pub fn with_advice(self) -> Self {
        Self { advice: true, ..self }
    }

    pub fn then(self, then: Then) -> Self {
        Self { then, ..self }
    }
}

/// A command the store found locked, with its follow-up: kept until the
/// event that asked for it is known to wait (`waiting.rs`).
pub(super) type Blocked = (Command, FollowUp);

impl App {
    /// Applies `command` and shows what it did; an error changes nothing
    /// (a busy lock keeps the command to apply again, see `waiting.rs`).
    pub(super) fn run_command(&mut self, command: Command, follow: FollowUp) -> anyhow::Result<Outcome> {
        match ops::apply(&mut self.store, &command, self.today) {
            Ok(outcome) => {
                self.land(&outcome, &follow)?;
                Ok(outcome)
            }
            Err(error) => {
                if error.is_busy() {
                    self.blocked = Some((command, follow));
                }
                Err(error.into_anyhow())
            }
        }
    }

    /// Applies `command` as [`App::run_command`] does, but hands back a
    /// refusal for the caller to word (`Ok(Err(..))`) instead of showing
    /// it as an error.
    pub(super) fn try_command(&mut self, command: Command, follow: FollowUp) -> anyhow::Result<Result<Outcome, OpError>> {
        match ops::apply(&mut self.store, &command, self.today) {
            Ok(outcome) => {
                self.land(&outcome, &follow)?;
                Ok(Ok(outcome))
            }
            Err(error @ (OpError::Refused(_) | OpError::NotFound(_) | OpError::NeedsConfirming(_))) => Ok(Err(error)),
            Err(error) => {
                if error.is_busy() {
                    self.blocked = Some((command, follow));
                }
                Err(error.into_anyhow())
            }
        }
    }

    /// Applies `command` and leaves showing it to the caller, for a change
    /// whose screen steps are its own (the quarters screen's). A busy lock
    /// makes the key wait and be pressed again, as before the command layer.
    pub(super) fn apply_now(&mut self, command: &Command) -> Result<Outcome, OpError> {
        ops::apply(&mut self.store, command, self.today)
    }

    /// The screen after a command landed.
    fn land(&mut self, outcome: &Outcome, follow: &FollowUp) -> anyhow::Result<()> {
        let mut text = match &follow.words {
            Words::Summary => outcome.summary.clone(),
            Words::Text(text) => text.clone(),
            Words::SummaryAnd(after) => format!("{}{after}", outcome.summary),
            Words::Naming(before, after) => {
                let code = outcome.created.as_ref().map_or("", |created| created.reference.as_str());
                format!("{before}{code}{after}")
            }
            Words::Replayed(verb) => {
                let label = outcome.summary.split_once(": ").map_or(outcome.summary.as_str(), |(_, label)| label);
                format!("{verb}: {label}")
            }
            Words::TagsNow { item, title } => self.tags_now(*item, title).unwrap_or_else(|_| outcome.summary.clone()),
        };
        if follow.advice && !outcome.warnings.is_empty() {
            // The method's advice after what was done, on the one line.
            text = std::iter::once(text).chain(outcome.warnings.iter().cloned()).collect::<Vec<_>>().join(" · ");
        }
        let mut refresh = follow.refresh.clone();
        match follow.then {
            // After the refresh, below.
            Then::Nothing
            | Then::SelectNewestCheckIn
            | Then::RefreshPlanning
            | Then::ShowClosedQuarter(_)
            | Then::ShowOpenedQuarter => {}
            Then::SelectCreated => {
                if let Some(id) = created_item(outcome) {
                    refresh = Refresh::BacklogSelecting(id);
                }
            }
            Then::ClearMarks => self.backlog.marked = None,
        }
        self.after_edit(refresh, text.clone())?;
        match follow.then {
            Then::SelectNewestCheckIn => self.select_check_in_newest(),
            // The screens move, then the words are said again over theirs.
            Then::ShowClosedQuarter(quarter) => {
                self.show_closed_quarter(quarter)?;
                self.say(text);
            }
            Then::ShowOpenedQuarter => {
                self.overlays.retain(|overlay| !matches!(overlay, super::Overlay::Quarters(_)));
                self.view_quarter(None)?;
                self.say(text);
            }
            // Read again from the board just read.
            Then::RefreshPlanning if self.planning().is_some() => self.refresh_planning()?,
            _ => {}
        }
        Ok(())
    }

    /// The command a busy lock stopped during the last event, if any.
    pub(super) fn take_blocked(&mut self) -> Option<Blocked> {
        self.blocked.take()
    }
}

/// The item a command made, if it made one.
fn created_item(outcome: &Outcome) -> Option<Id> {
    match outcome.created.as_ref()?.object {
        crate::store::Resolved::Item(id) => Some(id.row()),
        _ => None,
    }
}
