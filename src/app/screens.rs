//! The board's screens and dialogs as units on one stack (`App::overlays`,
//! the board's panes or the welcome screen under them all).
//!
//! Each unit says here which keymap section its keys come from
//! ([`Overlay::context`]) and how much of the window it covers
//! ([`Overlay::layer`]); `ui::draw` draws the stack bottom-up from the last
//! unit that covers what is under it, and the keys go to the unit on top, so
//! what is drawn on top is what receives the keys, whatever the keymap binds
//! where. A unit's own keys are carried out in [`App::screen_action`] before
//! the board's. Adding a screen is a variant here, its drawing in `ui`, its
//! keys below, and the line that pushes it.

use super::{
    Action, App, Context,
    detail::{Confirm, Detail},
};

/// A unit on the stack: a screen (planning, the review, health...) or a
/// dialog over the board. The top one gets the keys, and is drawn last.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Detail {
        detail: Detail,
        scroll: u16,
    },
    Form(Box<super::form::Form>),
    Picker(super::pickers::Picker),
    /// The `/` search line over the backlog.
    Search(tui_input::Input),
    /// A question before a destructive action, naming what will go.
    Confirm(Confirm),
    /// The team and capacity screen; `selected` is a member's index.
    Team {
        selected: usize,
    },
    /// The sprint planning screen: it fills the body in place of the
    /// panes, and dialogs open over it.
    Planning(Box<super::planning::Planning>),
    /// The sprint review: output and outcome, on a screen of its own.
    Review(Box<super::review::Review>),
    /// Closing a sprint: where each unfinished item goes.
    Carry(super::review::CarryDialog),
    /// The quarter's health: a screen of its own, like the review.
    Health(Box<super::health::HealthScreen>),
    /// The charts: a screen of its own, one chart at a time.
    Charts(Box<super::charts::ChartsScreen>),
    /// The quarter's calendar of events: a screen of its own.
    Calendar(super::calendar::CalendarScreen),
    /// The quarters: scores, notes and retro; close and open (`Q`).
    Quarters(Box<super::quarters::QuarterScreen>),
    /// The presentation for a projector: the whole window, read-only
    /// (`P`, or the whole program as `quarterdeck present`).
    Present(Box<super::present::Presentation>),
    /// The conflicts of a merge that waits: mine, theirs and the base of
    /// each field, a side to take for each (`y` after a sync with conflicts).
    SyncChooser(Box<super::sync_chooser::SyncChooser>),
}

impl Overlay {
    /// A dialog that closes itself before the write it makes (a form, a
    /// picker, a question), so a write that could not be made opens it again.
    pub fn closes_before_writing(&self) -> bool {
        matches!(self, Self::Form(_) | Self::Picker(_) | Self::Confirm(_) | Self::Carry(_))
    }

    pub fn scroll_mut(&mut self) -> Option<&mut u16> {
        match self {
            Self::Help { scroll } | Self::Detail { scroll, .. } => Some(scroll),
            Self::Review(review) => Some(&mut review.scroll),
            Self::Form(_)
            | Self::Picker(_)
            | Self::Confirm(_)
            | Self::Search(_)
            | Self::Team { .. }
            | Self::Planning(_)
            | Self::Health(_)
            | Self::Charts(_)
            | Self::Calendar(_)
            | Self::Quarters(_)
            | Self::Present(_)
            | Self::SyncChooser(_)
            | Self::Carry(_) => None,
        }
    }
}

/// How much of the window a unit covers: what lies wholly under it is not
/// drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// A popup or a line over what is under it, which shows around it.
    Dialog,
    /// The body between the header and the status line, in place of the panes.
    Body,
    /// The whole window.
    Window,
}

impl Overlay {
    /// The keymap section whose keys apply while this unit is on top.
    pub fn context(&self) -> Context {
        match self {
            Self::Team { .. } => Context::Team,
            Self::Form(_) => Context::Form,
            Self::Picker(_) => Context::Picker,
            Self::Confirm(_) => Context::Confirm,
            Self::Search(_) => Context::Search,
            Self::Detail { detail: Detail::KeyResult { .. }, .. } => Context::KeyResult,
            Self::Help { .. } | Self::Detail { .. } => Context::Viewer,
            Self::Planning(_) => Context::Planning,
            Self::Review(_) => Context::Review,
            Self::Carry(_) => Context::Carry,
            Self::Health(_) => Context::Health,
            Self::Charts(_) => Context::Charts,
            Self::Calendar(_) => Context::Calendar,
            Self::Quarters(_) => Context::Quarters,
            Self::Present(_) => Context::Present,
            Self::SyncChooser(_) => Context::SyncConflicts,
        }
    }

    pub fn layer(&self) -> Layer {
        match self {
            Self::Planning(_)
            | Self::Review(_)
            | Self::Health(_)
            | Self::Charts(_)
            | Self::Calendar(_)
            | Self::Quarters(_)
            | Self::SyncChooser(_) => Layer::Body,
            Self::Present(_) => Layer::Window,
            Self::Help { .. }
            | Self::Detail { .. }
            | Self::Form(_)
            | Self::Picker(_)
            | Self::Search(_)
            | Self::Confirm(_)
            | Self::Team { .. }
            | Self::Carry(_) => Layer::Dialog,
        }
    }
}

impl App {
    /// The context whose keys apply now: the top unit's, else the board's
    /// (or the welcome screen's on an empty board).
    pub fn context(&self) -> Context {
        match self.overlays.last() {
            Some(overlay) => overlay.context(),
            None if self.board.is_none() => Context::Welcome,
            None => Context::Board,
        }
    }

    /// The context the help overlay was opened from: its keys are listed first.
    pub fn context_under_help(&self) -> Context {
        match self.overlays.split_last() {
            Some((Overlay::Help { .. }, below)) => match below.last() {
                Some(overlay) => overlay.context(),
                None if self.board.is_none() => Context::Welcome,
                None => Context::Board,
            },
            _ => self.context(),
        }
    }

    /// Whether a dialog (help, details, a form, a picker, a question, the
    /// search line, the team) is on top, rather than a whole screen.
    pub fn dialog_open(&self) -> bool {
        self.overlays.last().is_some_and(|overlay| overlay.layer() == Layer::Dialog)
    }

    /// The key of `action` in `context` as a message names it: messages
    /// never name a key literally, so that they follow the user's keymap.
    pub(super) fn key(&self, context: Context, action: Action) -> String {
        self.keymap.key(context, action)
    }

    /// The keys a screen on top carries out itself, before the board's:
    /// `true` when the action was the screen's.
    pub(super) fn screen_action(&mut self, action: Action) -> anyhow::Result<bool> {
        let step = super::selection::Step::of(action);
        match (self.context(), action) {
            // The screens with lists of their own move in them.
            (Context::Team, _) if let Some(step) = step => self.move_in_team(step),
            (Context::KeyResult, _) if let Some(step) = step => self.move_in_check_ins(step),
            (Context::Health, _) if let Some(step) = step => self.move_in_health(step),
            (Context::Calendar, _) if let Some(step) = step => self.move_in_calendar(step),
            // One chart at a time: nothing to select or scroll.
            (Context::Charts, _) if step.is_some() => {}
            (Context::Quarters, action) if action.on_quarter_screen() => self.quarters_action(action)?,
            (Context::Review, Action::Back) => {
                self.overlays.pop();
            }
            (Context::Review, Action::CheckIn) => self.check_in_from_review(),
            (Context::Review, action) => return self.retro_action(action),
            (Context::Team, Action::Add) => self.open_add_member(),
            (Context::Team, Action::Edit) => self.open_edit_member(),
            (Context::Team, Action::Delete) => self.ask_delete_member(),
            (Context::KeyResult, Action::Edit) => self.open_edit_check_in(),
            (Context::KeyResult, Action::Delete) => self.ask_delete_check_in(),
            (Context::Planning, Action::NextPane | Action::PreviousPane) => self.switch_planning_side(),
            (Context::Planning, Action::Back) => self.close_planning(),
            (Context::Health, Action::OpenDetail | Action::Health) => self.health_action(action)?,
            (Context::Calendar, Action::OpenDetail) => self.open_calendar_event()?,
            (Context::Charts, Action::NextPane) => self.turn_chart(1),
            (Context::Charts, Action::PreviousPane) => self.turn_chart(-1),
            // The key that opened a screen of lists closes it, as `Esc` does.
            (Context::Charts, Action::Charts) | (Context::Calendar, Action::Calendar) => {
                self.overlays.pop();
            }
            (Context::Present, action) => self.presentation_action(action),
            (Context::SyncConflicts, action) => return self.sync_chooser_action(action),
            _ => return Ok(false),
        }
        Ok(true)
    }
}
