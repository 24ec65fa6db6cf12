//! Read-only details of an objective, a key result, a sprint or an item.
//! Full texts live here: lists elsewhere cut them with `…`.

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::{Paragraph, Wrap},
};

use super::{Theme, dialogs::popup, header::short_date, text};
use crate::domain::{codes, method};
use crate::{
    app::{Action, App, Context, Detail},
    domain::{Board, ItemDetail, ItemRow, Objective, Sprint, copied_kr, kr_progress, m10_explanation, objective_progress},
};

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, detail: &Detail, scroll: u16, theme: Theme) {
    if let Detail::Message { title, text } = detail {
        draw_message(frame, area, app, (title, text), scroll, theme);
        return;
    }
    let Some(board) = &app.board else { return };
    let (title, lines) = match detail {
        Detail::Objective { id } => match board.objective(*id) {
            Some(objective) => {
                (format!("Objective {}", codes::objective(objective.number)), objective_lines(board, objective, theme))
            }
            None => return,
        },
        Detail::KeyResult { id, tagged_items, selected, forecast } => {
            if let Some(kr) = board.key_result(*id) {
                super::key_result::draw(frame, area, app, board, kr, (*tagged_items, *selected, forecast), theme);
            }
            return;
        }
        Detail::Sprint { id, items } => match board.sprint(*id) {
            Some(sprint) => (format!("Sprint {}", sprint.number), sprint_lines(board, sprint, items, theme)),
            None => return,
        },
        Detail::Item(item) => {
            let provisional = app.is_provisional(item.row.id);
            let mut lines = item_lines(board, item, theme);
            if provisional {
                // Under the title: the star in the frame's name is explained.
                let shown = codes::item_shown(item.row.id, true);
                lines.insert(1, Line::styled(format!("{shown}: {}", codes::PROVISIONAL_NOTE), theme.dim()));
            }
            (format!("Item {}", codes::item_shown(item.row.id, provisional)), lines)
        }
        // Drawn above: it needs no board (the welcome screen's sync).
        Detail::Message { .. } => return,
    };
    let inner = popup(frame, area, (90, 85), (58, 14), &closing_title(app, title), theme);
    let max_scroll = u16::try_from(lines.len()).unwrap_or(u16::MAX).saturating_sub(inner.height);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((scroll.min(max_scroll), 0)), inner);
}

/// A detail's frame title, with the key that closes it.
fn closing_title(app: &App, title: String) -> String {
    match app.keymap.keys_label(Context::Viewer, Action::Back) {
        Some(key) => format!("{title} ({key} closes)"),
        None => title,
    }
}

/// A message whole, each of its lines cleaned and wrapped at the dialog's
/// width (git's words can hold line breaks: they stay breaks here).
fn draw_message(frame: &mut Frame<'_>, area: Rect, app: &App, (title, message): (&str, &str), scroll: u16, theme: Theme) {
    // As tall as the message needs (up to nine tenths of the screen): a
    // sync's account of its changes should not hide below a half-empty screen.
    let width = usize::from(crate::geometry::centred(area, 70, 50, 58, 10).width.saturating_sub(2).max(1));
    let wrapped: Vec<String> = message.lines().flat_map(|line| text::wrap_whole(&text::clean(line.trim_end()), width)).collect();
    let needed = u16::try_from(wrapped.len() + 2).unwrap_or(u16::MAX);
    let inner = popup(
        frame,
        area,
        (70, 50),
        (58, needed.min(area.height * 9 / 10).max(10)),
        &closing_title(app, title.to_owned()),
        theme,
    );
    let total = u16::try_from(wrapped.len()).unwrap_or(u16::MAX);
    let max_scroll = total.saturating_sub(inner.height);
    let scroll = scroll.min(max_scroll);
    let mut lines: Vec<Line<'static>> = wrapped.into_iter().map(|line| Line::styled(line, theme.error())).collect();
    // More below than the dialog shows: its last row says so, and how.
    if scroll < max_scroll && inner.height > 1 {
        let at = usize::from(scroll + inner.height - 1);
        let key = app.keymap.keys_label(Context::Viewer, Action::MoveDown).unwrap_or_else(|| "↓".into());
        let more = format!("↓ {} more lines: {key}", total - scroll - inner.height + 1);
        lines[at] = Line::styled(more, theme.dim());
    }
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

fn field(name: &str, value: String, theme: Theme) -> Line<'static> {
    Line::from(vec![Span::styled(format!("{name:<12}"), theme.dim()), Span::raw(value)])
}

fn heading(title: &str, theme: Theme) -> Line<'static> {
    Line::styled(text::clean(title).into_owned(), theme.title())
}

fn percent(progress: Option<f64>) -> String {
    progress.map_or_else(|| "not measurable (start = target)".to_owned(), |p| format!("{} %", crate::format::whole_percent(p)))
}

fn objective_lines(board: &Board, objective: &Objective, theme: Theme) -> Vec<Line<'static>> {
    let parent = objective
        .parent_id
        .and_then(|id| board.objective(id))
        .map(|parent| format!("{} {}", codes::objective(parent.number), parent.title))
        .unwrap_or_else(|| objective.parent_note.clone());
    let mut lines = vec![
        heading(&objective.title, theme),
        Line::raw(""),
        field("Owner", text::clean(&objective.owner).into_owned(), theme),
        field("Aligns to", if parent.is_empty() { "—".into() } else { text::clean(&parent).into_owned() }, theme),
        field(
            "Progress",
            objective_progress(&objective.key_results)
                .map_or_else(|| "not measured yet: no measurable KR".to_owned(), |progress| percent(Some(progress))),
            theme,
        ),
        Line::raw(""),
        Line::styled("Key results", theme.bold()),
    ];
    for kr in &objective.key_results {
        let progress = kr_progress(kr.start, kr.target, kr.current);
        lines.push(Line::raw(format!("  {:<6} {}  {}", kr.code, text::clean(&kr.title), percent(progress))));
    }
    lines
}

fn sprint_lines(board: &Board, sprint: &Sprint, items: &[ItemRow], theme: Theme) -> Vec<Line<'static>> {
    let goal = if sprint.goal.is_empty() { "(no sprint goal yet)".to_owned() } else { text::clean(&sprint.goal).into_owned() };
    let mut lines = vec![heading(&goal, theme), Line::raw("")];
    if let Some(at_start) = method::goal_at_start_if_changed(sprint) {
        let at_start = if at_start.trim().is_empty() { "(none)".to_owned() } else { text::clean(at_start).into_owned() };
        lines.push(field("At start", at_start, theme));
    }
    lines.extend([
        field(
            "Dates",
            format!(
                "{} – {} ({} to {})",
                short_date(sprint.start, board.quarter.start),
                short_date(sprint.end, board.quarter.start),
                sprint.start,
                sprint.end
            ),
            theme,
        ),
        field("State", sprint.state.as_str().to_owned(), theme),
        field(
            "Load",
            format!(
                "{} of {} points{}",
                sprint.load,
                sprint.capacity,
                if sprint.is_overloaded() { "  ⚠ over capacity (M7)" } else { "" }
            ),
            theme,
        ),
    ]);
    if sprint.krs.is_empty() {
        let reason = if sprint.no_kr_reason.is_empty() {
            "none given (M2)".to_owned()
        } else {
            text::clean(&sprint.no_kr_reason).into_owned()
        };
        lines.push(field("No KR", reason, theme));
    } else {
        for (index, link) in sprint.krs.iter().enumerate() {
            let Some(kr) = board.key_result(link.key_result_id) else {
                continue;
            };
            let focus = if link.focus { "  (focus KR)" } else { "" };
            let name = if index == 0 { "Serves" } else { "" };
            lines.push(field(name, format!("{} {}{focus}", kr.code, text::clean(&kr.title)), theme));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("Sprint backlog ({})", crate::format::count(items.len() as u64, "item", "items")),
        theme.bold(),
    ));
    for item in items {
        let tags = item.tags_text();
        let row = format!("  {:>4}  {:<5} {:>2} pts  {:<12} ", item.id, item.state.as_str(), item.points, tags);
        // M10 in the sprint backlog too: a KR's title planned as an item.
        let flag =
            copied_kr(&item.title, board.key_results()).map_or_else(String::new, |kr| format!("  ⚠ copies {} (M10)", kr.code));
        lines.push(Line::from(vec![
            Span::raw(row),
            Span::raw(text::clean(&item.title).into_owned()),
            Span::styled(flag, theme.warning()),
        ]));
    }
    lines
}

fn item_lines(board: &Board, item: &ItemDetail, theme: Theme) -> Vec<Line<'static>> {
    let row = &item.row;
    let krs: Vec<String> = row
        .kr_codes
        .iter()
        .map(|code| match board.key_results().find(|kr| &kr.code == code) {
            Some(kr) => format!("{code} {}", text::clean(&kr.title)),
            None => code.clone(),
        })
        .collect();
    let mut lines = vec![heading(&row.title, theme)];
    if let Some(kr) = copied_kr(&row.title, board.key_results()) {
        lines.push(Line::styled(format!("⚠ {}", m10_explanation(kr)), theme.warning()));
    }
    lines.extend([
        Line::raw(""),
        field("Kind", row.kind.as_str().to_owned(), theme),
        field("Points", row.points.to_string(), theme),
        field("State", row.state.as_str().to_owned(), theme),
        field("Done on", item.done_on.map_or_else(|| "—".to_owned(), |date| date.to_string()), theme),
        field(
            "Sprint",
            match (row.sprint_number, &row.sprint_quarter) {
                (None, _) => "not in a sprint".to_owned(),
                (Some(n), None) => format!("S{n}"),
                (Some(n), Some(quarter)) => format!("S{n} of {}", text::clean(quarter)),
            },
            theme,
        ),
        field("KRs", if krs.is_empty() { "none: business as usual (BAU)".to_owned() } else { krs.join(", ") }, theme),
    ]);
    if !item.deferred_reason.trim().is_empty() {
        lines.push(field("Deferred", format!("because {}", text::clean(&item.deferred_reason)), theme));
    }
    if let Some(external) = &item.external {
        let from = format!("{} in {}", text::clean(&external.key), text::clean(&external.source));
        lines.push(field("Imported", from, theme));
    }
    lines.extend([Line::raw(""), Line::styled("Description", theme.bold())]);
    if item.description.trim().is_empty() {
        lines.push(Line::styled("  none", theme.dim()));
    }
    lines.extend(item.description.lines().map(|line| Line::raw(format!("  {}", text::clean(line)))));
    lines
}
