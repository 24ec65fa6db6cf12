//! The health screen: a line per rule M1-M13 (`✓ M1 ok …`, `⚠ M4 warning
//! …`), and under a rule in warning the objects that break it. State is in
//! symbols and words as well as colour, so it reads under NO_COLOR. The
//! list scrolls to keep the selected object in view.

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::{Block, Paragraph},
};
use unicode_width::UnicodeWidthStr;

use super::{Theme, text};
use crate::{app::health::HealthScreen, domain::Board};

/// Columns of an object's code (`KR1.2`, `#1042`) before its reason.
const CODE_WIDTH: usize = 7;

pub fn draw(frame: &mut Frame<'_>, area: Rect, board: &Board, screen: &HealthScreen, theme: Theme) {
    draw_from(frame, area, board, screen, None, theme);
}

/// The list from line `first`, or (`None`) scrolled just enough that the
/// selected object is on screen.
pub(super) fn draw_from(
    frame: &mut Frame<'_>,
    area: Rect,
    board: &Board,
    screen: &HealthScreen,
    first: Option<usize>,
    theme: Theme,
) {
    let warnings = screen.warnings();
    let count = match warnings {
        0 => "no warnings".to_owned(),
        1 => "1 warning".to_owned(),
        count => format!("{count} warnings"),
    };
    let title = format!(" Health · {} · {count} ", text::clean(&board.quarter.label));
    let block = Block::bordered().title(Line::styled(title, theme.title())).border_style(theme.border(true));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let width = usize::from(inner.width);
    let (lines, selected_line) = lines(screen, width, theme);
    let height = usize::from(inner.height).max(1);
    // The selected object in view; on the last object (or with none to
    // select), the list runs to its end, so the rules after it are read.
    let last_object = screen.objects().count().checked_sub(1);
    let to_end = last_object.is_none_or(|last| screen.selected >= last);
    let bottom = lines.len().saturating_sub(height);
    let scroll = first.unwrap_or_else(|| match selected_line {
        Some(line) if !to_end => (line + 1).saturating_sub(height),
        Some(line) => bottom.min(line),
        None => 0,
    });
    let visible: Vec<Line<'_>> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

/// Every line of the list, and which one holds the selected object.
fn lines(screen: &HealthScreen, width: usize, theme: Theme) -> (Vec<Line<'static>>, Option<usize>) {
    let mut lines = Vec::new();
    let mut selected_line = None;
    let mut object = 0;
    for rule in &screen.rules {
        let (state, style) = if rule.is_ok() { ("✓", theme.good()) } else { ("⚠", theme.warning()) };
        let word = if rule.is_ok() { "ok" } else { "warning" };
        let head = format!(" {state} {:<4}{word:<8} ", rule.rule);
        let rest = width.saturating_sub(head.width());
        let statement =
            if rule.is_ok() { rule.statement.to_owned() } else { format!("{} ({})", rule.statement, rule.breaches.len()) };
        lines.push(Line::from(vec![Span::styled(head, style), Span::raw(text::fit(&statement, rest))]));
        for breach in &rule.breaches {
            let is_selected = object == screen.selected;
            if is_selected {
                selected_line = Some(lines.len());
            }
            object += 1;
            // The marker says which is selected where reverse video does not show.
            let marker = if is_selected { "›" } else { " " };
            let line = format!("     {marker} {} {}", text::pad(&breach.code, CODE_WIDTH), breach.why);
            let line = text::pad(&line, width);
            lines.push(if is_selected { Line::styled(line, theme.selected()) } else { Line::raw(line) });
        }
    }
    (lines, selected_line)
}
