//! Where each region goes at a given terminal size. Pure arithmetic, below
//! both the views (which draw there) and the app (which needs the page
//! length of a pane), so neither imports the other for it.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the board cannot be drawn and says how big it must be.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// From this size on, the three panes stand side by side.
const WIDE_WIDTH: u16 = 120;
const WIDE_HEIGHT: u16 = 30;
/// Rows of the timeline pane in the wide layout, borders included.
pub const TIMELINE_HEIGHT: u16 = 9;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    TooSmall,
    /// One pane at a time, with tabs.
    Tabbed,
    /// All three panes side by side.
    Wide,
}

pub fn mode(width: u16, height: u16) -> Mode {
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        Mode::TooSmall
    } else if width >= WIDE_WIDTH && height >= WIDE_HEIGHT {
        Mode::Wide
    } else {
        Mode::Tabbed
    }
}

/// The regions of the board screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BoardAreas {
    pub header: Rect,
    /// The tab bar (tabbed mode only).
    pub tabs: Option<Rect>,
    pub okrs: Rect,
    pub timeline: Rect,
    pub backlog: Rect,
    pub status: Rect,
    pub hints: Rect,
}

impl BoardAreas {
    /// Everything between the header and the status line: the tabs and
    /// panes, or the whole planning screen.
    pub fn body(&self) -> Rect {
        Rect::new(self.header.x, self.header.bottom(), self.header.width, self.status.y.saturating_sub(self.header.bottom()))
    }
}

pub fn board_areas(area: Rect) -> BoardAreas {
    board_areas_beside(area, 0)
}

/// Rows the backlog keeps under the running quarter beside a draft.
const BACKLOG_MIN_HEIGHT: u16 = 12;

/// The lines a damaged file's banner may take on a screen `height` rows
/// tall: what the board's minimum height leaves, and at least one.
pub fn banner_room(height: u16) -> u16 {
    height.saturating_sub(MIN_HEIGHT).max(1).min(height)
}

/// The screen split under a banner of `banner_lines` lines (a damaged
/// file's, see `App::banner_lines`): the banner on top, within
/// [`banner_room`], and the rest, where the board is laid out, drawn and
/// clicked.
pub fn under_banner(area: Rect, banner_lines: usize) -> (Rect, Rect) {
    let height = u16::try_from(banner_lines).unwrap_or(u16::MAX).min(banner_room(area.height));
    (Rect { height, ..area }, Rect { y: area.y + height, height: area.height - height, ..area })
}

/// The board's mode in `board`, the part of `screen` under a banner (or
/// all of it): too small only when the screen is. A screen of the minimum
/// size keeps the board drawn under a one-line banner, one row short.
pub fn board_mode(screen: Rect, board: Rect) -> Mode {
    if mode(screen.width, screen.height) == Mode::TooSmall {
        return Mode::TooSmall;
    }
    match mode(board.width, board.height) {
        Mode::TooSmall => Mode::Tabbed,
        other => other,
    }
}

/// The board's regions while `running_lines` lines of the running
/// quarter's OKRs stand in the timeline's place beside a draft (0 when
/// not drafting): the wide layout makes that pane tall enough for them,
/// as far as the backlog keeps [`BACKLOG_MIN_HEIGHT`] rows.
pub fn board_areas_beside(area: Rect, running_lines: usize) -> BoardAreas {
    let [header, body, status, hints] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1), Constraint::Length(1)]).areas(area);
    match mode(area.width, area.height) {
        Mode::Wide => {
            let [okrs, right] =
                Layout::horizontal([Constraint::Length(okr_pane_width(body.width)), Constraint::Fill(1)]).areas(body);
            let running = u16::try_from(running_lines).unwrap_or(u16::MAX).saturating_add(2);
            let top = running.min(right.height.saturating_sub(BACKLOG_MIN_HEIGHT)).max(TIMELINE_HEIGHT);
            let [timeline, backlog] = Layout::vertical([Constraint::Length(top), Constraint::Fill(1)]).areas(right);
            BoardAreas { header, tabs: None, okrs, timeline, backlog, status, hints }
        }
        Mode::Tabbed | Mode::TooSmall => {
            let [tabs, pane] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body);
            BoardAreas { header, tabs: Some(tabs), okrs: pane, timeline: pane, backlog: pane, status, hints }
        }
    }
}

/// The columns the 80x24 board gives each pane: the wide layout gives the
/// OKR pane as many, so that it never shows less of a KR than 80 columns
/// do (its confidence, target and stale warning), while the timeline and
/// backlog keep as many beside it.
const NARROW_PANE_WIDTH: u16 = 80;

/// The OKR pane's width in the wide layout: 40 % of the screen, and at
/// least what the narrow layout gives it where the screen has room for
/// that beside a pane as wide (from 160 columns on).
fn okr_pane_width(width: u16) -> u16 {
    let share = width * 2 / 5;
    share.max(NARROW_PANE_WIDTH.min(width.saturating_sub(NARROW_PANE_WIDTH)))
}

/// Item rows the backlog pane shows (inside its border, under its header),
/// with `running_lines` as for [`board_areas_beside`].
pub fn backlog_rows(width: u16, height: u16, running_lines: usize) -> u16 {
    let pane = board_areas_beside(Rect::new(0, 0, width, height), running_lines).backlog;
    pane.height.saturating_sub(3)
}

/// From this width of its body on, the review's output and outcome stand
/// side by side (the retro under the outcome); below it, one column.
pub const REVIEW_SIDE_BY_SIDE: u16 = 120;

/// The review's scrolling body in the screen `area`: inside its border,
/// above its key line.
pub fn review_body(area: Rect) -> Rect {
    let inner = board_areas(area).body().inner(ratatui::layout::Margin::new(1, 1));
    Rect { height: inner.height.saturating_sub(1), ..inner }
}

/// Lines inside the OKR pane.
pub fn okr_lines(width: u16, height: u16) -> u16 {
    board_areas(Rect::new(0, 0, width, height)).okrs.height.saturating_sub(2)
}

/// Roughly how many OKR rows fit, for paging (a KR takes two lines).
pub fn okr_rows(width: u16, height: u16) -> u16 {
    let pane = board_areas(Rect::new(0, 0, width, height)).okrs;
    (pane.height.saturating_sub(2) / 2).max(1)
}

/// A rectangle of `percent_x` by `percent_y` of `area`, centred in it.
pub fn centred(area: Rect, percent_x: u16, percent_y: u16, min_width: u16, min_height: u16) -> Rect {
    let width = (area.width * percent_x / 100).max(min_width).min(area.width);
    let height = (area.height * percent_y / 100).max(min_height).min(area.height);
    Rect::new(area.x + (area.width - width) / 2, area.y + (area.height - height) / 2, width, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wide_okr_pane_is_as_wide_as_the_narrow_one_from_160_columns() {
        // 40 % of the screen, and 80 columns once 80 more stand beside it.
        assert_eq!(okr_pane_width(120), 48);
        assert_eq!(okr_pane_width(150), 70);
        assert_eq!(okr_pane_width(160), 80);
        assert_eq!(okr_pane_width(200), 80);
        assert_eq!(okr_pane_width(240), 96);
        let areas = board_areas(Rect::new(0, 0, 160, 48));
        assert_eq!((areas.okrs.width, areas.timeline.width, areas.backlog.width), (80, 80, 80));
    }

    #[test]
    fn beside_a_draft_the_running_quarter_is_as_tall_as_its_lines() {
        let screen = Rect::new(0, 0, 160, 48);
        assert_eq!(board_areas_beside(screen, 0).timeline.height, TIMELINE_HEIGHT);
        // 3 objectives and 7 KRs: 17 lines and the borders.
        assert_eq!(board_areas_beside(screen, 17).timeline.height, 19);
        // The body is 45 rows (48 less header, status and hints); the backlog, 26.
        assert_eq!(backlog_rows(160, 48, 17), 45 - 19 - 3);
        // The backlog keeps its rows however many KRs there are.
        assert_eq!(board_areas_beside(screen, 100).backlog.height, BACKLOG_MIN_HEIGHT);
    }
}
