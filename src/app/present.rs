//! Presentation mode (`quarterdeck present`, `P` on the board): a
//! read-only view for a projector that shows the screens a review needs,
//! one at a time, switched with `←` and `→`; a screen longer than the
//! terminal turns its pages with `↑`/`↓` (`PgUp`/`PgDn`, `Space`), and the
//! charts screen shows a chart a page. It never writes: its keys come from
//! the keymap's `[present]` section, which accepts no action that edits,
//! and quitting the standalone presentation saves no UI state.

use crate::{
    domain::health::RuleState,
    geometry::{board_areas, review_body},
};
use ratatui::layout::Rect;

use super::{Action, App, Overlay, charts::ChartsScreen, health::HealthScreen, review::Review};

/// The screens of a presentation, in `→` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The board: the OKRs with large progress gauges, one key result a
    /// line, then the top of the backlog in rank order.
    Okrs,
    /// The review of the current sprint.
    Review,
    /// The quarter's health, rules M1-M13.
    Health,
    /// The charts of `R`, a chart a page.
    Charts,
}

impl Screen {
    pub const ALL: [Self; 4] = [Self::Okrs, Self::Review, Self::Health, Self::Charts];

    pub fn title(self) -> &'static str {
        match self {
            Self::Okrs => "Board",
            Self::Review => "Sprint review",
            Self::Health => "Health",
            Self::Charts => "Charts",
        }
    }

    fn offset(self, by: isize) -> Self {
        let count = Self::ALL.len().cast_signed();
        let index = Self::ALL.iter().position(|screen| *screen == self).unwrap_or(0).cast_signed();
        Self::ALL[(index + by).rem_euclid(count).cast_unsigned()]
    }
}

/// The presentation's state: which screen and page show, and what the
/// review, health and charts screens show, read again on every reload.
#[derive(Debug, Clone, PartialEq)]
pub struct Presentation {
    pub screen: Screen,
    /// The page of the screen, from 0; back to 0 on another screen. May be
    /// past the last page after a change shortened the screen: shown as
    /// the last (`App::presentation_page`).
    pub page: usize,
    /// Started as `quarterdeck present`: leaving it ends the program.
    pub standalone: bool,
    /// The current sprint's review; `None` when no sprint is current.
    pub review: Option<Review>,
    pub health: Option<HealthScreen>,
    pub charts: Option<ChartsScreen>,
    /// The first items of the backlog not in a sprint, in rank order: what
    /// the next planning takes, and where a re-rank shows.
    pub next_up: Vec<crate::domain::ItemRow>,
}

/// How many of the backlog's first items the board screen lists.
pub const NEXT_UP: usize = 8;

impl App {
    /// Opens the presentation over the board (`P`), or as the whole
    /// program when `standalone`.
    pub fn open_presentation(&mut self, standalone: bool) -> anyhow::Result<()> {
        // `quarterdeck present` shows the running quarter, whichever quarter
        // (a draft, a closed one) the board was left viewing.
        if standalone && self.viewed_quarter.take().is_some() {
            self.reload()?;
        }
        let mut presentation = Presentation {
            screen: Screen::Okrs,
            page: 0,
            standalone,
            review: None,
            health: None,
            charts: None,
            next_up: Vec::new(),
        };
        let rules = self.check_health()?;
        self.read_presentation(&mut presentation, rules)?;
        self.overlays.push(Overlay::Present(Box::new(presentation)));
        Ok(())
    }

    /// The presentation, when it is on the stack (under its help, say).
    pub fn presentation(&self) -> Option<&Presentation> {
        self.overlays.iter().rev().find_map(|overlay| match overlay {
            Overlay::Present(presentation) => Some(&**presentation),
            _ => None,
        })
    }

    fn presentation_mut(&mut self) -> Option<&mut Presentation> {
        self.overlays.iter_mut().rev().find_map(|overlay| match overlay {
            Overlay::Present(presentation) => Some(&mut **presentation),
            _ => None,
        })
    }

    /// Leaves the program; the board keeps its selection and focus for the
    /// next start, except from `quarterdeck present`, which never writes.
    pub(super) fn quit(&mut self) {
        if !self.presentation().is_some_and(|presentation| presentation.standalone) {
            self.save_ui_state_on_leaving();
        }
        self.should_quit = true;
    }

    /// Reads the review again and takes the health the reload just checked
    /// (`rules`), after another process's edit.
    pub(super) fn refresh_presentation(&mut self, rules: Option<Vec<RuleState>>) -> anyhow::Result<()> {
        let Some(index) = self.overlays.iter().position(|overlay| matches!(overlay, Overlay::Present(_))) else {
            return Ok(());
        };
        if let Overlay::Present(mut presentation) = self.overlays.remove(index) {
            let read = self.read_presentation(&mut presentation, rules);
            self.overlays.insert(index, Overlay::Present(presentation));
            read?;
        }
        Ok(())
    }

    fn read_presentation(&self, presentation: &mut Presentation, rules: Option<Vec<RuleState>>) -> anyhow::Result<()> {
        // Nothing is selected on a projector: no key acts on an object here.
        presentation.health = rules.map(|rules| HealthScreen { rules, selected: usize::MAX });
        presentation.charts = self.compute_charts()?;
        // A page from the rank index, not the backlog window, which the
        // standalone presentation never reads.
        let not_in_a_sprint = crate::store::ItemFilter { placement: crate::store::Placement::NotInASprint, ..Default::default() };
        presentation.next_up = self.store.backlog_page(&not_in_a_sprint, 0, NEXT_UP)?;
        presentation.review = match self.current_sprint() {
            Some(sprint_id) => Some(Review {
                sprint_id,
                record: self.store.sprint_record(sprint_id)?,
                scroll: 0,
                notes: self.store.retro_notes(sprint_id)?,
                note_cursor: 0,
                deferred: self.store.deferred_items(super::review::DEFERRED_SHOWN)?,
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

    /// The pages of the presentation's screen at this terminal size (at
    /// least 1): its lines over the lines in view, or a chart a page.
    pub fn presentation_pages(&self) -> usize {
        let Some(presentation) = self.presentation() else { return 1 };
        let area = Rect::new(0, 0, self.size.0, self.size.1);
        // Inside the screen's frame, between the tabs and the hint line.
        let view = usize::from(board_areas(area).body().height.saturating_sub(2)).max(1);
        let (lines, view) = match presentation.screen {
            Screen::Okrs => (self.board.as_ref().map_or(1, okr_lines) + next_up_lines(&presentation.next_up), view),
            Screen::Health => {
                (presentation.health.as_ref().map_or(1, |health| health.rules.len() + health.objects().count()), view)
            }
            Screen::Review => presentation
                .review
                .as_ref()
                .and_then(|review| self.review_extent(review))
                .unwrap_or((1, usize::from(review_body(area).height).max(1))),
            Screen::Charts => return presentation.charts.as_ref().map_or(1, ChartsScreen::page_count),
        };
        lines.div_ceil(view).max(1)
    }

    /// The page on screen, from 0: the one asked for, or the last there is.
    pub fn presentation_page(&self) -> usize {
        self.presentation().map_or(0, |presentation| presentation.page.min(self.presentation_pages() - 1))
    }

    /// A key of the `[present]` section: switch screens, turn pages, or
    /// leave (standalone, leaving ends the program). Nothing else is bound.
    pub(super) fn presentation_action(&mut self, action: Action) {
        let (page, last) = (self.presentation_page(), self.presentation_pages() - 1);
        let Some(presentation) = self.presentation_mut() else { return };
        let standalone = presentation.standalone;
        match action {
            Action::NextPane | Action::PreviousPane => {
                presentation.screen = presentation.screen.offset(if action == Action::NextPane { 1 } else { -1 });
                presentation.page = 0;
            }
            Action::PageDown => presentation.page = (page + 1).min(last),
            Action::PageUp => presentation.page = page.saturating_sub(1),
            Action::Help => self.overlays.push(Overlay::Help { scroll: 0 }),
            // Standalone, there is no board to go back to.
            Action::Quit | Action::Back if standalone => self.quit(),
            Action::Quit => self.quit(),
            Action::Present if standalone => {}
            // Over the board, the key that opened it closes it, as `Esc` does.
            Action::Back | Action::Present => {
                self.overlays.retain(|overlay| !matches!(overlay, Overlay::Present(_)));
            }
            Action::Suspend => self.suspend_requested = true,
            _ => {}
        }
    }
}

/// The OKR screen's lines: each objective and its KRs, a blank between
/// objectives (`ui::present` draws exactly these), or the line saying
/// there are none.
/// The lines of the board screen's backlog part: a blank and a heading,
/// then an item a line; none without items.
pub fn next_up_lines(items: &[crate::domain::ItemRow]) -> usize {
    if items.is_empty() { 0 } else { 2 + items.len() }
}

fn okr_lines(board: &crate::domain::Board) -> usize {
    let objectives = board.objectives.len();
    let key_results = board.key_results().count();
    (objectives + key_results + objectives.saturating_sub(1)).max(1)
}
