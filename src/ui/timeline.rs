//! The sprint timeline: each sprint's dates, focus KR, load against
//! capacity and goal, with the running sprint and today marked.
//!
//! Wide, sprints are columns as on a wall calendar; tabbed at 80x24 they
//! are rows, so that nothing is cut.

use chrono::NaiveDate;
use ratatui::{
    Frame,
    layout::Rect,
    style::Style,
    text::{Line, Span},
    widgets::{Block, Paragraph},
};

use super::{Theme, header::short_date, layout, text};
use crate::domain::codes;
use crate::{
    app::App,
    domain::{Board, Sprint, SprintState},
};

/// Width of the row labels ("dates", "focus", ...) in the column layout.
const LABEL_WIDTH: usize = 7;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, board: &Board, focused: bool, theme: Theme) {
    let block = Block::bordered().title(" Timeline ").border_style(theme.border(focused));
    let inner = block.inner(area);
    // The board's mode under a banner, if any: the one clicks are worked out in.
    let wide = layout::board_mode(frame.area(), app.board_area()) == layout::Mode::Wide;
    let lines = if wide {
        column_lines(app, board, usize::from(inner.width), focused, theme)
    } else {
        row_lines(app, board, usize::from(inner.width), focused, theme)
    };
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The sprint's state as a mark: closed, running, planned, or ended
/// without being closed (its review is due).
fn state_mark(sprint: &Sprint, today: chrono::NaiveDate) -> &'static str {
    match sprint.state {
        _ if sprint.ended_unclosed(today) => "⚠",
        SprintState::Closed => "✓",
        SprintState::Active => "▶",
        SprintState::Planned => " ",
    }
}

/// The cascade's focus KR of a sprint, or `—`: only what the user set with
/// `c` (a KR the goal serves is not its focus by being first).
fn focus_code(board: &Board, sprint: &Sprint) -> String {
    let link = sprint.krs.iter().find(|link| link.focus);
    link.and_then(|link| board.key_result(link.key_result_id)).map_or_else(|| "—".to_owned(), |kr| kr.code.clone())
}

fn load_text(sprint: &Sprint) -> String {
    let warn = if sprint.is_overloaded() { " ⚠" } else { "" };
    format!("{}/{}{warn}", sprint.load, sprint.capacity)
}

fn load_style(sprint: &Sprint, theme: Theme) -> Style {
    if sprint.is_overloaded() { theme.warning() } else { Style::new() }
}

fn sprint_style(sprint: &Sprint, selected: bool, focused: bool, today: NaiveDate, theme: Theme) -> Style {
    match (selected, focused) {
        (true, true) => theme.selected(),
        (true, false) => theme.selected_unfocused(),
        _ if sprint.contains(today) => theme.active(),
        _ => Style::new(),
    }
}

/// Width of one sprint's column in the wide layout.
fn column_width(board: &Board, width: usize) -> usize {
    (width.saturating_sub(LABEL_WIDTH) / board.sprints.len().max(1)).max(6)
}

/// The sprint drawn at `(x, y)` inside the pane (`inner`): a column of its
/// top rows when wide, a row when tabbed.
pub(super) fn sprint_at(board: &Board, inner: Rect, wide: bool, x: u16, y: u16) -> Option<usize> {
    let (column, line) = (usize::from(x.checked_sub(inner.x)?), usize::from(y.checked_sub(inner.y)?));
    let index = if wide {
        // Number, dates, focus, load and the today mark.
        if line > 4 {
            return None;
        }
        column.checked_sub(LABEL_WIDTH)? / column_width(board, usize::from(inner.width))
    } else {
        line
    };
    (index < board.sprints.len()).then_some(index)
}

fn column_lines(app: &App, board: &Board, width: usize, focused: bool, theme: Theme) -> Vec<Line<'static>> {
    let column = column_width(board, width);
    let row = |label: &str, cell: &dyn Fn(&Sprint) -> (String, Style)| {
        let mut spans = vec![Span::styled(text::pad(label, LABEL_WIDTH), theme.dim())];
        for sprint in &board.sprints {
            let (content, style) = cell(sprint);
            spans.push(Span::styled(text::pad(&content, column), style));
        }
        Line::from(spans)
    };
    let mut lines = vec![
        row("", &|sprint| {
            let selected = board.sprints.get(app.sprint_selected).is_some_and(|chosen| chosen.id == sprint.id);
            (
                format!("{} {}", codes::sprint(sprint.number), state_mark(sprint, app.today)),
                sprint_style(sprint, selected, focused, app.today, theme),
            )
        }),
        // Start and end where the column has room (as the narrow rows
        // show them), else the start alone.
        row("dates", &|sprint| {
            let range = format!("{}–{}", sprint.start.format("%-m-%-d"), sprint.end.format("%-m-%-d"));
            let text = if range.chars().count() < column { range } else { sprint.start.format("%m-%d").to_string() };
            (text, Style::new())
        }),
        row("focus", &|sprint| (focus_code(board, sprint), theme.bold())),
        row("load", &|sprint| (load_text(sprint), load_style(sprint, theme))),
    ];
    lines.push(today_marker(board, app.today, column, theme));
    if let Some(sprint) = board.sprints.get(app.sprint_selected) {
        lines.extend(goal_lines(board, sprint, width, theme));
    }
    lines
}

/// A `▲ today` mark under the running sprint, placed by the day within it.
fn today_marker(board: &Board, today: NaiveDate, column: usize, theme: Theme) -> Line<'static> {
    let Some((index, sprint)) = board.sprints.iter().enumerate().find(|(_, sprint)| sprint.contains(today)) else {
        return Line::raw("");
    };
    let days = usize::try_from((sprint.end - sprint.start).num_days() + 1).unwrap_or(1).max(1);
    let into = usize::try_from((today - sprint.start).num_days()).unwrap_or(0);
    let offset = LABEL_WIDTH + index * column + into * column.saturating_sub(1) / days;
    Line::from(vec![Span::raw(" ".repeat(offset)), Span::styled("▲ today", theme.active().patch(theme.bold()))])
}

/// The selected sprint's goal and the KRs it serves (or why it serves none).
fn goal_lines(board: &Board, sprint: &Sprint, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let label = |name: &str| Span::styled(text::pad(name, LABEL_WIDTH), theme.dim());
    let room = width.saturating_sub(LABEL_WIDTH);
    let goal = if sprint.goal.is_empty() { "(no sprint goal yet)".to_owned() } else { sprint.goal.clone() };
    let mut lines = vec![Line::from(vec![
        label("goal"),
        Span::styled(text::fit(&format!("{} {goal}", codes::sprint(sprint.number)), room), theme.bold()),
    ])];
    let serves: Vec<String> = sprint
        .krs
        .iter()
        .filter_map(|link| {
            let kr = board.key_result(link.key_result_id)?;
            let focus = if link.focus { " (focus)" } else { "" };
            Some(format!("{} {}{focus}", kr.code, kr.title))
        })
        .collect();
    if serves.is_empty() {
        let reason = if sprint.no_kr_reason.is_empty() {
            "no KR and no reason given (M2)".to_owned()
        } else {
            sprint.no_kr_reason.clone()
        };
        let style = if sprint.no_kr_reason.is_empty() { theme.warning() } else { Style::new() };
        lines.push(Line::from(vec![label("no KR"), Span::styled(text::fit(&reason, room), style)]));
    } else {
        lines.push(Line::from(vec![label("serves"), Span::raw(text::fit(&serves.join(", "), room))]));
    }
    lines
}

fn row_lines(app: &App, board: &Board, width: usize, focused: bool, theme: Theme) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = board
        .sprints
        .iter()
        .enumerate()
        .map(|(index, sprint)| {
            let selected = index == app.sprint_selected;
            let head = format!("{} {} ", codes::sprint(sprint.number), state_mark(sprint, app.today));
            let dates =
                format!("{:<15}", format!("{}–{}", short_date(sprint.start, app.today), short_date(sprint.end, app.today)));
            let focus = format!(" {:<6}", focus_code(board, sprint));
            let load = format!(" {:<8}", load_text(sprint));
            let today = if sprint.contains(app.today) { " ◀ today" } else { "" };
            let used = head.len() + 15 + focus.len() + load.len() + today.chars().count() + 1;
            let goal = text::fit(&sprint.goal, width.saturating_sub(used));
            let row_style = sprint_style(sprint, selected, focused, app.today, theme);
            Line::from(vec![
                Span::styled(head, row_style),
                Span::styled(dates, row_style),
                Span::styled(focus, row_style.patch(theme.bold())),
                Span::styled(load, row_style.patch(load_style(sprint, theme))),
                Span::styled(format!(" {goal}"), row_style),
                Span::styled(today, theme.active()),
            ])
        })
        .collect();
    if let Some(sprint) = board.sprints.get(app.sprint_selected) {
        lines.push(Line::raw(""));
        lines.extend(goal_lines(board, sprint, width, theme));
    }
    lines
}
