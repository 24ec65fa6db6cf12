//! A key result's details: where it stands, its value over time against
//! the expected line (a chart with the target marked), and its check-ins,
//! newest first, one of them selected for `e` (correct) and `d` (delete).
//! Every series has its own marker and a legend in words, so the chart
//! reads without colour (`NO_COLOR`) too.

use chrono::NaiveDate;
use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    style::Style,
    symbols::Marker,
    text::{Line, Span},
    widgets::{Axis, Chart, Dataset, GraphType, Paragraph},
};

use super::{Theme, dialogs::popup, header::short_date, okrs::change_words, text};
use crate::{
    app::{Action, App, Context},
    domain::{
        Board, CheckIn, KeyResult,
        check_ins::{change_since_previous, expected_value, kr_stale, newest_first},
        codes,
        forecast::Forecast,
        kr_progress, pace,
    },
    format::number,
};

/// Lines above the chart: the title and five lines of facts.
const FACTS: u16 = 6;
/// A taller chart shows no more: a quarter's check-ins are a dozen points.
const MAX_CHART_ROWS: u16 = 16;

pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    board: &Board,
    kr: &KeyResult,
    view: (usize, usize, &Forecast),
    theme: Theme,
) {
    let (tagged_items, selected, forecast) = view;
    let title = match app.keymap.keys_label(Context::KeyResult, Action::Back) {
        Some(key) => format!("Key result {} ({key} closes)", kr.code),
        None => format!("Key result {}", kr.code),
    };
    // Short of the status line, which says what a check-in, a correction or
    // a delete did.
    let inner = popup(frame, area, (94, 84), (58, 18), &title, theme);
    // What is left after the facts, the legend, the list's heading and the
    // key line goes to the list (as many rows as check-ins, up to half) and
    // the chart (the rest, up to a height where more rows add nothing).
    let rest = inner.height.saturating_sub(FACTS + 3);
    let wanted = u16::try_from(kr.check_ins.len().max(1)).unwrap_or(u16::MAX);
    let chart_height = rest.saturating_sub(wanted.min(rest / 2)).clamp(4, MAX_CHART_ROWS);
    let [facts, chart, legend, heading, list, keys] = Layout::vertical([
        Constraint::Length(FACTS),
        Constraint::Length(chart_height),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let width = usize::from(inner.width);
    let lines: Vec<Line<'static>> = fact_lines(app, board, kr, tagged_items, theme)
        .into_iter()
        .chain([forecast_line(forecast, theme)])
        .map(|line| fit(line, width))
        .collect();
    frame.render_widget(Paragraph::new(lines), facts);
    draw_chart(frame, chart, app.today, board, kr, theme);
    frame.render_widget(Paragraph::new(fit(legend_line(kr, theme), width)), legend);
    let count = kr.check_ins.len();
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("Check-ins", theme.bold()),
            Span::styled(format!(" ({count}, newest first)"), theme.dim()),
        ])),
        heading,
    );
    frame.render_widget(Paragraph::new(check_in_lines(app, kr, selected, usize::from(list.height), width, theme)), list);
    frame.render_widget(Paragraph::new(key_line(app, usize::from(keys.width), theme)), keys);
}

/// A line cut to `width` cells, so nothing wraps into the chart.
fn fit(line: Line<'static>, width: usize) -> Line<'static> {
    let text: String = line.spans.iter().map(|span| span.content.as_ref()).collect();
    if unicode_width::UnicodeWidthStr::width(text.as_str()) <= width {
        return line;
    }
    let style = line.spans.first().map_or_else(Style::default, |span| span.style);
    Line::styled(text::fit(&text, width), style)
}

fn fact_lines(app: &App, board: &Board, kr: &KeyResult, tagged_items: usize, theme: Theme) -> Vec<Line<'static>> {
    let progress = kr_progress(kr.start, kr.target, kr.current);
    let elapsed = board.elapsed(app.today);
    let kr_pace = pace(progress, elapsed);
    let objective = board.objective(kr.objective_id).map_or_else(String::new, |objective| {
        format!("{} {}", codes::objective(objective.number), text::clean(&objective.title))
    });
    let sprints: Vec<String> = board
        .sprints
        .iter()
        .filter(|sprint| sprint.krs.iter().any(|link| link.key_result_id == kr.id))
        .map(|sprint| codes::sprint(sprint.number))
        .collect();
    let owner = if kr.owner.is_empty() { "no owner".to_owned() } else { format!("owner {}", text::clean(&kr.owner)) };
    let sprints = if sprints.is_empty() { "no sprint serves it".to_owned() } else { format!("sprints {}", sprints.join(", ")) };
    let direction = if kr.target < kr.start { "down" } else { "up" };
    let change = change_since_previous(kr.start, &kr.check_ins).map(|change| format!(" ({})", change_words(change, app.today)));
    let expected = expected_value(kr.start, kr.target, elapsed);
    let percent =
        |p: Option<f64>| p.map_or_else(|| "–".to_owned(), |p| format!("{} %", crate::format::whole_percent(p.clamp(0.0, 1.0))));
    let every = board.quarter.cadence.words();
    let cadence = match kr_stale(kr, &board.quarter, app.today) {
        Some(stale) => Span::styled(format!("⚠ {} (M8: {every})", stale.describe()), theme.warning()),
        None => Span::styled(
            match kr.check_ins.iter().map(|check_in| check_in.date).max() {
                Some(last) => format!("last check-in {} · M8: check in {every}", short_date(last, app.today)),
                None => format!("no check-in yet · M8: check in {every}"),
            },
            theme.dim(),
        ),
    };
    vec![
        Line::styled(text::clean(&kr.title).into_owned(), theme.title()),
        Line::styled(
            format!("{objective} · {owner} · {} · {sprints}", crate::format::count(tagged_items as u64, "item", "items")),
            theme.dim(),
        ),
        Line::raw(format!(
            "now {}{} · start {} → target {} ({direction}) · conf {} %",
            text::with_unit(kr.current, &kr.unit),
            change.unwrap_or_default(),
            text::with_unit(kr.start, &kr.unit),
            text::with_unit(kr.target, &kr.unit),
            kr.confidence
        )),
        Line::from(vec![
            Span::raw(format!("progress {} · ", percent(progress))),
            Span::styled(kr_pace.word(), theme.pace(kr_pace)),
            Span::raw(format!(
                ": the expected line is at {} ({}) today",
                text::with_unit(expected, &kr.unit),
                percent(Some(elapsed))
            )),
        ]),
        Line::from(cadence),
    ]
}

/// When the KR's open work is likely done, in the words every front end
/// uses (`Forecast::summary`).
pub fn forecast_line(forecast: &Forecast, theme: Theme) -> Line<'static> {
    let style = match forecast {
        Forecast::Likely { .. } => Style::default(),
        _ => theme.dim(),
    };
    Line::from(vec![Span::styled("forecast ", theme.dim()), Span::styled(forecast.summary(), style)])
}

/// Days from the quarter's start, the chart's x.
#[allow(clippy::cast_precision_loss)] // day counts are tiny
fn day(board: &Board, date: NaiveDate) -> f64 {
    (date - board.quarter.start).num_days() as f64
}

/// The KR's value as a step line: each reading holds until the next
/// (`KeyResult::value_on`), from the quarter's start to today.
fn value_steps(board: &Board, kr: &KeyResult, today: NaiveDate) -> Vec<(f64, f64)> {
    let end = day(board, today.min(board.end()));
    let mut points = vec![(0.0, kr.start)];
    let mut last = kr.start;
    let mut ordered: Vec<&CheckIn> = kr.check_ins.iter().collect();
    ordered.sort_by_key(|check_in| (check_in.date, check_in.id));
    for check_in in ordered {
        let x = day(board, check_in.date).max(0.0);
        points.push((x, last));
        points.push((x, check_in.value));
        last = check_in.value;
    }
    points.push((end.max(points.last().map_or(0.0, |point| point.0)), last));
    points
}

fn draw_chart(frame: &mut Frame<'_>, area: Rect, today: NaiveDate, board: &Board, kr: &KeyResult, theme: Theme) {
    let total = day(board, board.end()).max(1.0);
    let expected = [(0.0, kr.start), (total, kr.target)];
    let target = [(0.0, kr.target), (total, kr.target)];
    let values = value_steps(board, kr, today);
    let readings = values.iter().map(|point| point.1).chain([kr.start, kr.target]);
    let (low, high) = readings.fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), value| (low.min(value), high.max(value)));
    let datasets = vec![
        Dataset::default().marker(Marker::Braille).graph_type(GraphType::Line).style(theme.dim()).data(&expected),
        Dataset::default().marker(Marker::Dot).graph_type(GraphType::Line).style(theme.good()).data(&target),
        Dataset::default().marker(Marker::Block).graph_type(GraphType::Line).style(theme.title()).data(&values),
    ];
    let middle =
        board.quarter.start + chrono::Days::new(u64::try_from((board.end() - board.quarter.start).num_days() / 2).unwrap_or(0));
    let x_axis = Axis::default()
        .bounds([0.0, total])
        .labels([board.quarter.start, middle, board.end()].map(|day| short_date(day, today)))
        .style(theme.dim());
    let y_axis = Axis::default().bounds([low, high]).labels([number(low), number(high)]).style(theme.dim());
    // The legend is a line of words under the chart, readable at 80x24.
    let chart = Chart::new(datasets).x_axis(x_axis).y_axis(y_axis).legend_position(None);
    frame.render_widget(chart, area);
}

fn legend_line(kr: &KeyResult, theme: Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled("█", theme.title()),
        Span::raw(" value  "),
        Span::styled("⠔", theme.dim()),
        Span::raw(" expected (start to target over the quarter)  "),
        Span::styled("•", theme.good()),
        Span::raw(format!(" target {}", text::with_unit(kr.target, &kr.unit))),
    ])
}

/// The check-ins newest first, the selected one in view and highlighted
/// (reversed, and marked `›` for screens without colour).
fn check_in_lines(app: &App, kr: &KeyResult, selected: usize, rows: usize, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let ordered = newest_first(&kr.check_ins);
    if ordered.is_empty() {
        let key = app.keymap.keys_label(Context::KeyResult, Action::CheckIn).unwrap_or_else(|| "-".to_owned());
        return vec![Line::styled(format!("  none yet: {key} records the first (value, confidence, note)"), theme.dim())];
    }
    let selected = selected.min(ordered.len() - 1);
    let first = selected.saturating_sub(rows.saturating_sub(1));
    let value_width = ordered.iter().map(|check_in| text::with_unit(check_in.value, &kr.unit).chars().count()).max().unwrap_or(0);
    ordered
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(index, check_in)| {
            // The change from the reading before this one (the start for the first).
            let before = ordered.get(index + 1).map_or(kr.start, |previous| previous.value);
            let row = format!(
                "{} {}  {:>value_width$}  {:>6}  conf {:>3} %  {}",
                if index == selected { "›" } else { " " },
                check_in.date,
                text::with_unit(check_in.value, &kr.unit),
                signed(check_in.value - before),
                check_in.confidence,
                text::clean(&check_in.note)
            );
            let style = if index == selected { theme.selected() } else { Style::default() };
            Line::styled(text::pad(&row, width), style)
        })
        .collect()
}

/// A change with its sign: `+0.4`, `-1.2`, `±0`.
pub fn signed(delta: f64) -> String {
    let text = number(delta);
    match text.as_str() {
        "0" => "±0".to_owned(),
        _ if delta > 0.0 => format!("+{text}"),
        _ => text,
    }
}

/// The view's keys as the keymap binds them (a user may have moved them).
fn key_line(app: &App, width: usize, theme: Theme) -> Line<'static> {
    let actions = [
        (Action::CheckIn, "check in"),
        (Action::Edit, "correct"),
        (Action::Delete, "delete"),
        (Action::MoveDown, "select"),
        (Action::Undo, "undo"),
        (Action::Back, "back"),
    ];
    super::dialogs::key_line(&app.keymap, Context::KeyResult, &actions, width, theme)
}
