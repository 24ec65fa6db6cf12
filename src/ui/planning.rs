//! The sprint planning screen: "which backlog items move our current key
//! results most?" Candidates ranked by KR relevance beside the sprint
//! backlog, with load, the OKR/BAU split and the method's warnings always
//! in view.

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    style::Style,
    text::{Line, Span},
    widgets::{Block, Paragraph},
};

use super::{Theme, header::short_date, text};
use crate::{
    app::{
        Action, App, Context,
        planning::{Planning, Side},
    },
    domain::{
        Board, ItemRow, Sprint,
        capacity::{Advice, sprint_advice},
        copied_kr,
        planning::OKR_SHARE_BAND,
    },
};

const GAUGE_WIDTH: usize = 20;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, board: &Board, theme: Theme) {
    let (Some(planning), Some(sprint)) = (app.planning(), app.planned_sprint()) else { return };
    let warnings = app.planning_warnings();
    let [summary, left, right] = areas(area, warnings.len());
    let title = format!(
        " Sprint planning: Sprint {} · {} – {} · {} ",
        sprint.number,
        short_date(sprint.start, app.today),
        short_date(sprint.end, app.today),
        sprint.state.as_str()
    );
    let block = Block::bordered().title(Line::styled(title, theme.title())).border_style(theme.border(true));
    let width = usize::from(block.inner(summary).width);
    let mut lines = summary_lines(app, board, sprint, width, theme);
    if warnings.is_empty() {
        lines.push(Line::styled("✓ No planning rule broken", theme.good()));
    }
    for warning in &warnings {
        lines.push(Line::styled(text::fit(&format!("⚠ {}", warning.text), width), theme.warning()));
    }
    frame.render_widget(Paragraph::new(lines).block(block), summary);

    let candidates_title =
        format!(" Candidates, by KR relevance ({} of {}) ", planning.candidates.len(), planning.candidate_total);
    draw_list(frame, left, &candidates_title, board, planning, Side::Candidates, theme);
    let sprint_title = format!(
        " Sprint {} backlog ({}) ",
        sprint.number,
        crate::format::count(planning.sprint_items.len() as u64, "item", "items")
    );
    draw_list(frame, right, &sprint_title, board, planning, Side::Sprint, theme);
}

/// Where the summary (six lines and the warnings) and the two lists go.
pub(super) fn areas(body: Rect, warnings: usize) -> [Rect; 3] {
    let summary_height = u16::try_from(6 + warnings.max(1) + 2).unwrap_or(10);
    let [summary, lists] = Layout::vertical([Constraint::Length(summary_height), Constraint::Fill(1)]).areas(body);
    let [left, right] = Layout::horizontal([Constraint::Percentage(55), Constraint::Fill(1)]).areas(lists);
    [summary, left, right]
}

/// The first row a list shows, keeping its cursor on the last line.
pub(super) fn first_row(cursor: usize, height: usize) -> usize {
    cursor.saturating_sub(height.saturating_sub(1))
}

fn summary_lines(app: &App, board: &Board, sprint: &Sprint, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let Some(planning) = app.planning() else { return Vec::new() };
    let label = |name: &str| Span::styled(format!("{name:<8}"), theme.dim());
    let goal = if sprint.goal.is_empty() { "(no sprint goal yet)".to_owned() } else { sprint.goal.clone() };
    let serves: Vec<String> = sprint
        .krs
        .iter()
        .filter_map(|link| {
            let kr = board.key_result(link.key_result_id)?;
            Some(format!("{} {}{}", kr.code, kr.title, if link.focus { " (focus)" } else { "" }))
        })
        .collect();
    let serves_line = if serves.is_empty() {
        let reason =
            if sprint.no_kr_reason.is_empty() { "none, and no reason given".to_owned() } else { sprint.no_kr_reason.clone() };
        Line::from(vec![label("no KR"), Span::raw(text::fit(&reason, width.saturating_sub(8)))])
    } else {
        Line::from(vec![label("serves"), Span::raw(text::fit(&serves.join(", "), width.saturating_sub(8)))])
    };
    let split = planning.split();
    let load = split.total();
    let filled = if sprint.capacity == 0 {
        GAUGE_WIDTH
    } else {
        (load as usize * GAUGE_WIDTH / sprint.capacity as usize).min(GAUGE_WIDTH)
    };
    let load_style = if load > sprint.capacity { theme.warning() } else { theme.good() };
    let (low, high) = OKR_SHARE_BAND;
    vec![
        Line::from(vec![label("goal"), Span::styled(text::fit(&goal, width.saturating_sub(8)), theme.bold())]),
        serves_line,
        Line::from(vec![
            label("load"),
            Span::styled(format!("{load}/{} pts ", sprint.capacity), load_style),
            Span::styled("█".repeat(filled) + &"░".repeat(GAUGE_WIDTH - filled), load_style),
        ]),
        Line::from(vec![label("team"), Span::raw(text::fit(&team_advice(app, board, sprint), width.saturating_sub(8)))]),
        Line::from(vec![
            label("split"),
            Span::raw(format!("{} · aim: {:.0}-{:.0} % OKR", split.describe(), low * 100.0, high * 100.0)),
        ]),
        Line::from(vec![
            Span::styled("forecast ", theme.dim()),
            Span::raw(text::fit(&forecast_words(board, planning), width.saturating_sub(9))),
        ]),
    ]
}

/// When each KR the sprint serves is likely done: `KR1.1 85 % by S6 · KR1.2 no open items`.
fn forecast_words(board: &Board, planning: &Planning) -> String {
    if planning.forecasts.is_empty() {
        return "the goal serves no KR".to_owned();
    }
    let words: Vec<String> = planning
        .forecasts
        .iter()
        .filter_map(|(id, forecast)| Some(format!("{} {}", board.key_result(*id)?.code, forecast.brief())))
        .collect();
    words.join(" · ")
}

/// What the team's days suggest for the sprint's capacity, in one line.
fn team_advice(app: &App, board: &Board, sprint: &Sprint) -> String {
    let key = |context, action| app.keymap.keys_label(context, action).unwrap_or_else(|| "-".to_owned());
    let advice = sprint_advice(board, sprint, app.today);
    match advice {
        Advice::NoTeam => {
            format!("no team yet: {} adds who works when, for a suggested capacity", key(Context::Planning, Action::Team))
        }
        Advice::Suggested(ref suggestion) if suggestion.points != sprint.capacity => {
            format!("{} · {} sets it", advice.brief(), key(Context::Planning, Action::UseSuggestedCapacity))
        }
        _ => advice.brief(),
    }
}

fn draw_list(frame: &mut Frame<'_>, area: Rect, title: &str, board: &Board, planning: &Planning, side: Side, theme: Theme) {
    let focused = planning.side == side;
    let block = Block::bordered().title(Line::styled(title.to_owned(), theme.bold())).border_style(theme.border(focused));
    let inner = block.inner(area);
    let height = usize::from(inner.height);
    let width = usize::from(inner.width);
    let (rows, cursor): (Vec<(&ItemRow, Option<u32>)>, usize) = match side {
        Side::Candidates => {
            (planning.candidates.iter().map(|(item, relevance)| (item, Some(*relevance))).collect(), planning.candidate_cursor)
        }
        Side::Sprint => (planning.sprint_items.iter().map(|item| (item, None)).collect(), planning.sprint_cursor),
    };
    // Only the visible rows are turned into lines.
    let first = first_row(cursor, height);
    let tags_of = ItemRow::tags_text;
    // The KRs column fits every tag of the rows in view while the title
    // keeps 24 columns; two tags' width at least, so it rarely moves.
    let widest = rows.iter().skip(first).take(height).map(|(item, _)| tags_of(item).chars().count()).max().unwrap_or(0);
    let tags_width = widest.min(width.saturating_sub(9 + 24)).max(11);
    let lines: Vec<Line<'_>> = rows
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(index, (item, relevance))| {
            let marks = relevance.map_or_else(String::new, |relevance| format!("{:<3}", "●".repeat(relevance.min(3) as usize)));
            let selected = index == cursor && focused;
            // Marked as well as reversed: it reads under NO_COLOR and on a
            // projector. One column: the lists are narrow at 80x24.
            let pointer = if selected { "▶" } else { " " };
            let head = format!("{pointer}{marks}{:>3} {:<tags_width$} ", item.points, text::fit(&tags_of(item), tags_width));
            // M10: a KR's title copied into the backlog is flagged where it is planned.
            let flag = if copied_kr(&item.title, board.key_results()).is_some() { "⚠ " } else { "" };
            let title = text::fit(&item.title, width.saturating_sub(head.chars().count() + flag.chars().count()));
            let style = if selected { theme.selected() } else { Style::new() };
            Line::from(vec![
                Span::styled(head, style.patch(theme.dim())),
                Span::styled(flag, style.patch(theme.warning())),
                Span::styled(title, style),
            ])
        })
        .collect();
    if lines.is_empty() {
        let empty = match side {
            Side::Candidates => " No open item waits outside a sprint.",
            Side::Sprint => " Nothing planned yet: pick candidates with space.",
        };
        // Wrapped: a narrow list shows the whole sentence.
        let empty = Paragraph::new(empty).style(theme.dim()).wrap(ratatui::widgets::Wrap { trim: false });
        frame.render_widget(empty.block(block), area);
        return;
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
