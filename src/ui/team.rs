//! The team and capacity screen: members with their focus factor and days
//! off per sprint, and under them each sprint's working days, focused days,
//! what it delivered or the capacity the team suggests, and the capacity set.

use ratatui::{
    Frame,
    layout::Rect,
    style::Style,
    text::{Line, Span},
    widgets::{Paragraph, Wrap},
};

use super::{
    Theme,
    dialogs::popup,
    hints::{self, Hint},
    text,
};
use crate::domain::{codes, roles};
use crate::{
    app::{Action, App, Context},
    domain::{
        Board, Sprint,
        calendar::working_days,
        capacity::{Advice, is_finished, sprint_advice, velocity},
    },
};

const NAME_WIDTH: usize = 18;
const FOCUS_WIDTH: usize = 6;
const SPRINT_WIDTH: usize = 6;
/// Rows that are not members: two header rows, a gap, who holds the
/// method's roles and a gap, five sprint rows, a gap, the velocity note (up
/// to three lines) and the key line.
const FIXED_ROWS: usize = 16;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, board: &Board, selected: usize, theme: Theme) {
    // As tall as the team needs, up to the whole screen.
    // It leaves the status and hint lines in view, so what a change did
    // shows under it; a long team scrolls with the selection.
    let height = u16::try_from(board.team.len().max(3) + FIXED_ROWS + 2).unwrap_or(u16::MAX).min(area.height.saturating_sub(3));
    // As wide as its columns need (the notes wrap), on a narrow screen all of it.
    let width = u16::try_from(NAME_WIDTH + FOCUS_WIDTH + SPRINT_WIDTH * board.sprints.len() + 4).unwrap_or(u16::MAX).max(70);
    let inner = popup(frame, area, (0, 0), (width, height), "Team and capacity", theme);
    let selected = selected.min(board.team.len().saturating_sub(1));
    let width = usize::from(inner.width);
    if board.team.is_empty() {
        let lines = vec![
            Line::styled("No one is on the team yet.", theme.bold()),
            Line::raw(""),
            Line::raw(app.keymap.fill(
                Context::Team,
                "{add} adds a member. Their focus factor and days off give each sprint's focused days; \
                 with the velocity of finished sprints, that suggests each sprint's capacity in points.",
            )),
            Line::raw(""),
            key_line(app, width, theme),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
        return;
    }
    let shown = visible_sprints(board, app, width);
    let mut lines = Vec::new();
    let mut header = vec![Span::styled(text::pad(" Member", NAME_WIDTH + FOCUS_WIDTH), theme.bold())];
    let cut = shown.len() < board.sprints.len();
    let days_title = if cut { "Days off (more sprints in a wider window)" } else { "Days off by sprint" };
    header.push(Span::styled(text::fit(days_title, width.saturating_sub(NAME_WIDTH + FOCUS_WIDTH)), theme.dim()));
    lines.push(Line::from(header));
    let mut numbers =
        vec![Span::styled(text::pad(" ", NAME_WIDTH), theme.dim()), Span::styled(right("Focus", FOCUS_WIDTH), theme.dim())];
    numbers.extend(shown.iter().map(|sprint| {
        let style = if sprint.contains(app.today) { theme.bold() } else { theme.dim() };
        Span::styled(right(&codes::sprint(sprint.number), SPRINT_WIDTH), style)
    }));
    lines.push(Line::from(numbers));

    let member_rows = usize::from(inner.height).saturating_sub(FIXED_ROWS).max(1);
    let first = selected.saturating_sub(member_rows - 1);
    for (index, member) in board.team.iter().enumerate().skip(first).take(member_rows) {
        let style = if index == selected { theme.selected() } else { Style::new() };
        let marker = if index == selected { "▸ " } else { "  " };
        let mut spans = vec![
            Span::styled(format!("{marker}{}", text::pad(&member.name, NAME_WIDTH - 2)), style),
            Span::styled(right(&format!("{} %", member.focus_factor), FOCUS_WIDTH), style),
        ];
        spans.extend(shown.iter().map(|sprint| {
            let days = member.days_off_in(sprint.id);
            if days > 0.0 {
                Span::styled(right(&text::number(days), SPRINT_WIDTH), style)
            } else {
                Span::styled(right("·", SPRINT_WIDTH), style.patch(theme.dim()))
            }
        }));
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(format!(" {}", text::fit(&roles::summary(&board.team), width.saturating_sub(1)))));
    lines.push(Line::raw(""));
    lines.extend(sprint_rows(board, app, &shown, theme));
    lines.push(Line::raw(""));
    let note = match velocity(board, app.today) {
        Some(velocity) => format!(
            "Velocity {:.2} points per focused day: {} points done in {:.1} focused days ({}). \
             Focused days = (working days - days off) x focus factor.",
            velocity.points_per_day,
            velocity.done_points,
            velocity.focused_days,
            velocity.sprint_names()
        ),
        None => "No velocity yet: it is measured on finished sprints with done items, then capacities are suggested. \
                 Focused days = (working days - days off) x focus factor."
            .to_owned(),
    };
    let used = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines), inner);
    let rest = Rect::new(
        inner.x + 1,
        inner.y + used.min(inner.height),
        inner.width.saturating_sub(2),
        inner.height.saturating_sub(used),
    );
    let tail = vec![Line::styled(note, theme.dim()), key_line(app, usize::from(rest.width), theme)];
    frame.render_widget(Paragraph::new(tail).wrap(Wrap { trim: true }), rest);
}

/// The per-sprint rows under the members.
fn sprint_rows(board: &Board, app: &App, shown: &[&Sprint], theme: Theme) -> Vec<Line<'static>> {
    let row = |label: &str, cells: Vec<(String, Style)>| {
        let mut spans = vec![Span::styled(text::pad(&format!(" {label}"), NAME_WIDTH + FOCUS_WIDTH), theme.dim())];
        spans.extend(cells.into_iter().map(|(cell, style)| Span::styled(right(&cell, SPRINT_WIDTH), style)));
        Line::from(spans)
    };
    // Each column's advice once: its focused days, and for a sprint still
    // to come, the suggested points.
    let columns: Vec<(&Sprint, bool, Advice)> =
        shown.iter().map(|sprint| (*sprint, is_finished(sprint, app.today), sprint_advice(board, sprint, app.today))).collect();
    let cells = |cell: &dyn Fn(&Sprint, bool, &Advice) -> (String, Style)| {
        columns.iter().map(|(sprint, finished, advice)| cell(sprint, *finished, advice)).collect::<Vec<_>>()
    };
    let plain = Style::new();
    let none = || ("·".to_owned(), theme.dim());
    vec![
        row("Working days", cells(&|sprint, _, _| (working_days(sprint.start, sprint.end).to_string(), plain))),
        row("Focused days", cells(&|_, _, advice| advice.focused_days().map_or_else(none, |days| (format!("{days:.1}"), plain)))),
        row(
            "Done points",
            cells(&|sprint, finished, _| {
                if finished || sprint.done_points > 0 { (sprint.done_points.to_string(), plain) } else { none() }
            }),
        ),
        row(
            "Suggested",
            cells(&|_, finished, advice| match advice.points() {
                Some(points) if !finished => (points.to_string(), theme.good()),
                _ => none(),
            }),
        ),
        row(
            "Capacity set",
            cells(&|sprint, finished, advice| match advice.points() {
                // More than the team's days suggest: worth a look.
                Some(points) if sprint.capacity > points && !finished => (sprint.capacity.to_string(), theme.warning()),
                _ => (sprint.capacity.to_string(), theme.bold()),
            }),
        ),
    ]
}

/// The sprints whose columns fit, keeping the running one and those after
/// it in view when not all fit.
fn visible_sprints<'a>(board: &'a Board, app: &App, width: usize) -> Vec<&'a Sprint> {
    let fit = (width.saturating_sub(NAME_WIDTH + FOCUS_WIDTH) / SPRINT_WIDTH).max(1);
    let count = board.sprints.len();
    let running = board.sprints.iter().position(|sprint| !is_finished(sprint, app.today)).unwrap_or(count);
    let start = running.saturating_sub(1).min(count.saturating_sub(fit));
    board.sprints.iter().skip(start).take(fit).collect()
}

fn right(text: &str, width: usize) -> String {
    let text = text::fit(text, width);
    format!("{text:>width$}")
}

/// The screen's keys as the keymap binds them (a user may have moved them).
fn key_line(app: &App, width: usize, theme: Theme) -> Line<'static> {
    let key = |context: Context, action: Action| app.keymap.keys_label(context, action).unwrap_or_else(|| "-".to_owned());
    let hints: Vec<Hint> = [
        (Context::Team, Action::Add, "add"),
        (Context::Team, Action::Edit, "edit"),
        (Context::Team, Action::Delete, "delete"),
        (Context::Team, Action::Back, "back"),
        (Context::Planning, Action::UseSuggestedCapacity, "in planning: use suggestion"),
    ]
    .into_iter()
    .map(|(context, action, what)| hints::for_action(action, key(context, action), what))
    .collect();
    hints::hint_line(&hints, width, theme)
}
