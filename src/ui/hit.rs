//! Which part of the screen the mouse pointer is over, worked out from the
//! same geometry the views draw with, so a click lands on what the user
//! sees. Pure arithmetic on the app's state: nothing here draws or writes.

use ratatui::layout::{Margin, Position, Rect};
use unicode_width::UnicodeWidthStr;

use super::{layout, okrs, planning, tab_titles, timeline};
use crate::app::{App, Pane, mouse::Target, planning::Side};

/// The target at `(x, y)` on a screen of `area`, if any.
pub fn target_at(app: &App, area: Rect, x: u16, y: u16) -> Option<Target> {
    let board = app.board.as_ref()?;
    let screen = Rect::new(0, 0, app.size.0, app.size.1);
    let mode = layout::board_mode(screen, area);
    if mode == layout::Mode::TooSmall {
        return None;
    }
    let areas = layout::board_areas_beside(area, app.running_lines());
    let point = Position::new(x, y);
    if let Some(planning) = app.planning() {
        let [_, left, right] = planning::areas(areas.body(), app.planning_warnings().len());
        let lists = [
            (left, Side::Candidates, planning.candidate_cursor, planning.candidates.len()),
            (right, Side::Sprint, planning.sprint_cursor, planning.sprint_items.len()),
        ];
        let (rect, side, cursor, count) = lists.into_iter().find(|(rect, ..)| rect.contains(point))?;
        let inner = rect.inner(Margin::new(1, 1));
        let row = inner
            .contains(point)
            .then(|| planning::first_row(cursor, usize::from(inner.height)) + usize::from(y - inner.y))
            .filter(|row| *row < count);
        return Some(Target::Planning { side, row });
    }
    if let Some(tabs) = areas.tabs.filter(|tabs| tabs.contains(point)) {
        return tab_at(tabs, x);
    }
    // Tabbed, the one pane on screen is the focused one.
    let panes = match areas.tabs {
        Some(_) => vec![(app.focus, areas.okrs)],
        None => vec![(Pane::Okrs, areas.okrs), (Pane::Timeline, areas.timeline), (Pane::Backlog, areas.backlog)],
    };
    let (pane, rect) = panes.into_iter().find(|(_, rect)| rect.contains(point))?;
    let inner = rect.inner(Margin::new(1, 1));
    if !inner.contains(point) {
        return Some(Target::Pane { pane, row: None });
    }
    let line = usize::from(y - inner.y);
    let row = match pane {
        Pane::Okrs => okrs::row_at(app, usize::from(inner.height), line),
        Pane::Timeline => timeline::sprint_at(board, inner, mode == layout::Mode::Wide, x, y),
        // Under the column titles, the visible rows.
        Pane::Backlog => line.checked_sub(1).and_then(|index| app.backlog.visible().nth(index)).map(|(position, _)| position),
    };
    Some(Target::Pane { pane, row })
}

/// The tab whose title (with its padding) is at column `x`.
fn tab_at(tabs: Rect, x: u16) -> Option<Target> {
    let mut start = usize::from(tabs.x);
    let x = usize::from(x);
    for (title, pane) in tab_titles().zip(Pane::ALL) {
        // A space either side of the title, then a one-column divider.
        let end = start + title.width() + 2;
        if x < end {
            return (x >= start).then_some(Target::Tab(pane));
        }
        start = end + 1;
    }
    None
}

/// Hands `event` to the app; a mouse event goes with what the pointer is
/// over, worked out from the geometry the screen was drawn with. The
/// terminal loop (and the tests) send every event through here.
pub fn route(app: &mut App, event: &ratatui::crossterm::event::Event) {
    let target = match event {
        ratatui::crossterm::event::Event::Mouse(mouse) => target_at(app, app.board_area(), mouse.column, mouse.row),
        _ => None,
    };
    app.handle_event_at(event, target);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_titles_are_hit_with_their_padding_and_not_between() {
        let tabs = Rect::new(0, 1, 80, 1);
        // " 1 OKRs   2 Timeline   3 Backlog"
        assert_eq!(tab_at(tabs, 0), Some(Target::Tab(Pane::Okrs)));
        assert_eq!(tab_at(tabs, 6), Some(Target::Tab(Pane::Okrs)));
        assert_eq!(tab_at(tabs, 8), None, "the divider");
        assert_eq!(tab_at(tabs, 10), Some(Target::Tab(Pane::Timeline)));
        assert_eq!(tab_at(tabs, 25), Some(Target::Tab(Pane::Backlog)));
        assert_eq!(tab_at(tabs, 40), None);
    }
}
