//! The mouse, when the user turns it on (`mouse = true` in config.toml, or
//! `--mouse`): a click selects a pane and a row, the wheel scrolls. Both
//! end in the same selection moves the keys make.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::{App, Pane, Step, planning::Side};

/// What a click or a wheel turn is aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A title in the tab bar (80x24 and other tabbed sizes).
    Tab(Pane),
    /// A pane, and the row under the pointer if it is on one: an index into
    /// the OKR rows or the sprints, or a position in the filtered backlog.
    Pane { pane: Pane, row: Option<usize> },
    /// One of the planning screen's lists, and the row under the pointer.
    Planning { side: Side, row: Option<usize> },
}

/// Rows one notch of the wheel moves, as most terminals scroll text.
const WHEEL_ROWS: isize = 3;

impl App {
    /// A click or a wheel turn over `target` (the views work out what is
    /// under the pointer: `ui::hit`).
    pub(super) fn handle_mouse(&mut self, mouse: &MouseEvent, target: Option<Target>) -> anyhow::Result<()> {
        let wheel = match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => None,
            MouseEventKind::ScrollDown => Some(WHEEL_ROWS),
            MouseEventKind::ScrollUp => Some(-WHEEL_ROWS),
            _ => return Ok(()),
        };
        // A dialog keeps the keys, and the pointer: the wheel scrolls it
        // (help, details, the team), a click does nothing under it. The
        // health, charts and calendar screens cover the panes, so a click
        // must not reach them.
        if self.dialog_open()
            || matches!(self.context(), super::Context::Health | super::Context::Charts | super::Context::Calendar)
        {
            if let Some(rows) = wheel {
                self.move_selection(Step::By(rows.signum()))?;
            }
            return Ok(());
        }
        let Some(target) = target else { return Ok(()) };
        self.status = None;
        match (target, wheel) {
            (Target::Tab(pane), _) => self.focus(pane),
            (Target::Pane { pane, row }, None) => {
                self.focus(pane);
                if let Some(row) = row {
                    self.select_row(pane, row)?;
                }
            }
            (Target::Pane { pane, .. }, Some(rows)) => {
                self.focus(pane);
                self.move_selection(Step::By(rows))?;
            }
            (Target::Planning { side, row }, wheel) => self.point_in_planning(side, row, wheel),
        }
        Ok(())
    }

    /// Selects row `row` of `pane`, as moving there with the keys would.
    fn select_row(&mut self, pane: Pane, row: usize) -> anyhow::Result<()> {
        self.ui_state_changed = true;
        match pane {
            Pane::Okrs => {
                self.okr_selected = row;
                self.scroll_okrs_to_selection();
                self.follow_okr_selection()
            }
            Pane::Timeline => {
                self.sprint_selected = row;
                Ok(())
            }
            Pane::Backlog => Ok(self.backlog.move_to(&self.store, row)?),
        }
    }

    fn point_in_planning(&mut self, side: Side, row: Option<usize>, wheel: Option<isize>) {
        let Some(planning) = self.planning_mut() else { return };
        planning.side = side;
        let (cursor, count) = planning.cursor_mut();
        match (row, wheel) {
            (_, Some(rows)) => *cursor = Step::By(rows).apply(*cursor, count, count),
            (Some(row), None) => *cursor = row,
            (None, None) => {}
        }
    }
}
