//! Presentation mode (`quarterdeck present`, `P` on the board): a
//! read-only view for a projector that shows the screens a review needs,
//! one at a time, switched with `←` and `→`. It never writes: its keys are
//! fixed here rather than taken from the keymap, so that no binding can
//! reach an action that edits, and quitting saves no UI state.

use crate::domain::health::RuleState;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, health::HealthScreen, review::Review};

/// The screens of a presentation, in `→` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The OKRs with large progress gauges, one key result a line.
    Okrs,
    /// The review of the current sprint.
    Review,
    /// The quarter's health, rules M1-M11.
    Health,
}

impl Screen {
    pub const ALL: [Self; 3] = [Self::Okrs, Self::Review, Self::Health];

    pub fn title(self) -> &'static str {
        match self {
            Self::Okrs => "OKRs",
            Self::Review => "Sprint review",
            Self::Health => "Health",
        }
    }

    fn offset(self, by: isize) -> Self {
        let count = Self::ALL.len().cast_signed();
        let index = Self::ALL.iter().position(|screen| *screen == self).unwrap_or(0).cast_signed();
        Self::ALL[(index + by).rem_euclid(count).cast_unsigned()]
    }
}

/// The presentation's state: which screen shows, and what the review and
/// health screens show, read again on every reload.
#[derive(Debug, Clone, PartialEq)]
pub struct Presentation {
    pub screen: Screen,
    /// Started as `quarterdeck present`: leaving it ends the program.
    pub standalone: bool,
    /// The current sprint's review; `None` when no sprint is current.
    pub review: Option<Review>,
    pub health: Option<HealthScreen>,
}

impl App {
    /// Opens the presentation over the board (`P`), or as the whole
    /// program when `standalone`.
    pub fn open_presentation(&mut self, standalone: bool) -> anyhow::Result<()> {
        let mut presentation = Presentation { screen: Screen::Okrs, standalone, review: None, health: None };
        let rules = self.check_health()?;
        self.read_presentation(&mut presentation, rules)?;
        self.presentation = Some(presentation);
        Ok(())
    }

    /// Reads the review again and takes the health the reload just checked
    /// (`rules`), after another process's edit.
    pub(super) fn refresh_presentation(&mut self, rules: Option<Vec<RuleState>>) -> anyhow::Result<()> {
        if let Some(mut presentation) = self.presentation.take() {
            let read = self.read_presentation(&mut presentation, rules);
            self.presentation = Some(presentation);
            read?;
        }
        Ok(())
    }

    fn read_presentation(&self, presentation: &mut Presentation, rules: Option<Vec<RuleState>>) -> anyhow::Result<()> {
        presentation.health = rules.map(|rules| HealthScreen { rules, selected: 0 });
        presentation.review = match self.current_sprint() {
            Some(sprint_id) => Some(Review {
                sprint_id,
                record: self.store.sprint_record(sprint_id)?,
                scroll: 0,
                notes: self.store.retro_notes(sprint_id)?,
                note_cursor: 0,
            }),
            None => None,
        };
        Ok(())
    }

    /// The sprint a review meeting is about: an ended sprint not closed
    /// yet, else today's, else the last one that started.
    fn current_sprint(&self) -> Option<crate::domain::Id> {
        let board = self.board.as_ref()?;
        board
            .sprint_due_for_review(self.today)
            .or_else(|| board.sprints.iter().rev().find(|sprint| sprint.start <= self.today))
            .map(|sprint| sprint.id)
    }

    /// A key in the presentation: `←`/`→` switch screens, `Esc` (and `q`
    /// standalone, `P` over the board) leaves. Nothing else does anything.
    pub(super) fn presentation_key(&mut self, key: &KeyEvent) {
        let Some(presentation) = &mut self.presentation else { return };
        let standalone = presentation.standalone;
        let ctrl_c = key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
        let leave = key.code == KeyCode::Esc
            || (standalone && key.code == KeyCode::Char('q'))
            || (!standalone && key.code == KeyCode::Char('P'));
        match key.code {
            KeyCode::Right => presentation.screen = presentation.screen.offset(1),
            KeyCode::Left => presentation.screen = presentation.screen.offset(-1),
            _ if ctrl_c || (leave && standalone) => {
                self.presentation = None;
                // Over the board, ctrl-c quits the board as it always does.
                if !standalone {
                    self.save_ui_state_on_leaving();
                }
                self.should_quit = true;
            }
            _ if leave => self.presentation = None,
            _ => {}
        }
    }
}
