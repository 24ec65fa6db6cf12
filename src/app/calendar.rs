//! The calendar screen (`L`): the quarter's rhythm, every event in date
//! order with its state. The calendar itself (`App::rhythm`) is worked out
//! on every reload, for the header as much as for this screen; the screen
//! keeps only its selection. `Enter` on a review (or a check-in, or the
//! retro, all held in a review) opens that sprint's review; on a planning,
//! that sprint's planning.

use super::{App, Overlay, Pane, selection::Step};
use crate::domain::calendar::{CalendarEvent, EventKind, Rhythm};

/// The calendar screen's state: which event is selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarScreen {
    pub selected: usize,
}

impl App {
    /// The calendar screen, when it is open.
    pub fn calendar(&self) -> Option<&CalendarScreen> {
        self.overlays.iter().rev().find_map(|overlay| match overlay {
            Overlay::Calendar(screen) => Some(screen),
            _ => None,
        })
    }

    /// Works the calendar out again after a reload (the header shows its
    /// next and overdue events), keeping an open screen's selection within it.
    pub(super) fn refresh_rhythm(&mut self) {
        self.rhythm = self.board.as_ref().map(|board| Rhythm::of_board(board, self.today)).unwrap_or_default();
        let count = self.rhythm.events.len();
        for overlay in &mut self.overlays {
            if let Overlay::Calendar(screen) = overlay {
                screen.selected = screen.selected.min(count.saturating_sub(1));
            }
        }
    }

    /// Opens on the next event (else the last: the quarter is over).
    pub(super) fn open_calendar(&mut self) {
        if self.board.is_none() {
            return;
        }
        let selected = self.rhythm.next_index().unwrap_or(self.rhythm.events.len().saturating_sub(1));
        self.overlays.push(Overlay::Calendar(CalendarScreen { selected }));
    }

    pub(super) fn move_in_calendar(&mut self, step: Step) {
        let count = self.rhythm.events.len();
        if let Some(Overlay::Calendar(screen)) = self.overlays.last_mut() {
            screen.selected = step.apply(screen.selected, count, 10);
        }
    }

    /// The selected event, when the calendar is on top.
    fn selected_event(&self) -> Option<CalendarEvent> {
        match self.overlays.last() {
            Some(Overlay::Calendar(screen)) => self.rhythm.events.get(screen.selected).copied(),
            _ => None,
        }
    }

    /// `Enter`: the screen where the selected event is held, over the
    /// calendar (`Esc` comes back to it). The sprint is selected in the
    /// timeline, as `r` and `p` there would have it.
    pub(super) fn open_calendar_event(&mut self) -> anyhow::Result<()> {
        let Some(event) = self.selected_event() else { return Ok(()) };
        let Some(index) = self.board.as_ref().and_then(|board| board.sprints.iter().position(|s| s.number == event.sprint))
        else {
            return Ok(());
        };
        match event.kind {
            EventKind::KickOff | EventKind::Planning => {
                self.show_sprint_in_timeline(index);
                self.open_planning()
            }
            EventKind::Review | EventKind::CheckIn | EventKind::QuarterRetro => {
                self.show_sprint_in_timeline(index);
                self.open_review()
            }
            EventKind::NextQuarterPlanning => {
                let text = format!(
                    "Next quarter's OKR planning is held in Sprint {}: keep 10-15 % of its capacity free for it (M6)",
                    event.sprint
                );
                self.say(text);
                Ok(())
            }
            EventKind::DraftsAhead => {
                self.say(format!(
                    "Next quarter's OKRs are drafted in writing during Sprint {}: {} drafts them (M6)",
                    event.sprint,
                    self.key(super::Context::Board, super::Action::NewQuarter)
                ));
                Ok(())
            }
            EventKind::PlanningDay => {
                self.say(
                    "Next quarter's OKRs are planned on the planning day between quarters (M6); , changes the strategy".into(),
                );
                Ok(())
            }
        }
    }

    fn show_sprint_in_timeline(&mut self, index: usize) {
        self.focus(Pane::Timeline);
        if self.sprint_selected != index {
            self.sprint_selected = index;
            self.ui_state_changed = true;
        }
    }
}
