//! The OKR pane: objectives, each with its key results, progress and pace.

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span, Text},
    widgets::{Block, List, ListItem, ListState, Paragraph, Wrap},
};

use chrono::NaiveDate;
use ratatui::style::Style;

use super::{Theme, header::short_date, key_result::signed, text};
use crate::domain::codes;
use crate::{
    app::{Action, App, Context, OkrRow, first_okr_row},
    domain::{
        Board, KeyResult, Objective, ScoreBand,
        check_ins::{Change, change_since_previous, stale_at},
        kr_progress, objective_progress, pace,
        quarter_close::objective_score,
    },
};

const BAR_WIDTH: usize = 10;
const SPARK: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, board: &Board, focused: bool, theme: Theme) {
    let title = match board.quarter.state {
        crate::domain::QuarterState::Draft => format!(" Next quarter {} (draft) ", text::clean(&board.quarter.label)),
        crate::domain::QuarterState::Closed => format!(" OKRs of {} (closed) ", text::clean(&board.quarter.label)),
        crate::domain::QuarterState::Open => " OKRs ".to_owned(),
    };
    let block = Block::bordered().title(title).border_style(theme.border(focused));
    let width = usize::from(block.inner(area).width);
    // A closed quarter is read as it ended: its pace at its last day, and
    // no stale warning, as there is nothing left to check in.
    let closed = board.quarter.is_closed();
    let today = if closed { app.today.min(board.end()) } else { app.today };
    let when =
        When { elapsed: board.elapsed(today), quarter_start: board.quarter.start, cadence: board.quarter.cadence, today, closed };
    let items: Vec<ListItem<'_>> = app
        .okr_rows()
        .into_iter()
        .map(|row| match row {
            OkrRow::Objective { objective, .. } => {
                let objective = &board.objectives[objective];
                ListItem::new(objective_line(objective, width, theme, closed_score(board, objective)))
            }
            OkrRow::KeyResult { objective, key_result, .. } => {
                let kr = &board.objectives[objective].key_results[key_result];
                let score = board.quarter.is_closed().then(|| board.quarter.closing.kr_score(kr.id));
                ListItem::new(key_result_lines(kr, width, when, theme, score))
            }
        })
        .collect();
    let empty = items.is_empty();
    if empty {
        let message = Paragraph::new(" No objectives yet: a quarter has 2-3 objectives with measurable key results.")
            .style(theme.dim())
            .wrap(Wrap { trim: true })
            .block(block);
        frame.render_widget(message, area);
        return;
    }
    let highlight = if focused { theme.selected() } else { theme.selected_unfocused() };
    let list = List::new(items).block(block).highlight_style(highlight);
    let first = first_okr_row(&app.okr_rows(), app.okr_selected, usize::from(area.height.saturating_sub(2)), app.okr_scroll);
    let mut state = ListState::default().with_offset(first).with_selected((!empty).then_some(app.okr_selected));
    frame.render_stateful_widget(list, area, &mut state);
}

/// The running quarter's OKRs, read-only, beside the draft of the next.
pub fn draw_running(frame: &mut Frame<'_>, area: Rect, app: &App, running: &Board, theme: Theme) {
    let back = app.keymap.key(Context::Board, Action::NewQuarter);
    let title = format!(" Running quarter {} ({back} goes back to it) ", text::clean(&running.quarter.label));
    let block = Block::bordered().title(title).border_style(theme.border(false));
    let width = usize::from(block.inner(area).width);
    let when = When {
        elapsed: running.elapsed(app.today),
        quarter_start: running.quarter.start,
        cadence: running.quarter.cadence,
        today: app.today,
        closed: false,
    };
    let mut items = Vec::new();
    for objective in &running.objectives {
        items.push(ListItem::new(objective_line(objective, width, theme, None)));
        items.extend(objective.key_results.iter().map(|kr| ListItem::new(key_result_lines(kr, width, when, theme, None))));
    }
    frame.render_widget(List::new(items).block(block), area);
}

/// The OKR row drawn on line `line` of the pane's inside, if any.
pub(super) fn row_at(app: &App, height: usize, line: usize) -> Option<usize> {
    let rows = app.okr_rows();
    let mut top = 0;
    for (index, row) in rows.iter().enumerate().skip(first_okr_row(&rows, app.okr_selected, height, app.okr_scroll)) {
        let bottom = top + row.height();
        if line < bottom {
            return (bottom <= height).then_some(index);
        }
        top = bottom;
    }
    None
}

fn percent(progress: Option<f64>) -> String {
    // Rounded for display only; the stored value stays exact.
    progress.map_or_else(|| "  – ".to_owned(), |p| format!("{:>3} %", crate::format::whole_percent(p.clamp(0.0, 1.0))))
}

/// A closed quarter's objective score (the mean of its KRs' scores),
/// `Some(None)` when none of them is scored; `None` for a quarter not closed.
fn closed_score(board: &Board, objective: &Objective) -> Option<Option<f64>> {
    let scores: Vec<f64> = objective.key_results.iter().filter_map(|kr| board.quarter.closing.kr_score(kr.id)).collect();
    board.quarter.is_closed().then(|| objective_score(&scores))
}

/// A score where a closed quarter shows it instead of progress: `0.7 on
/// target`, in the band's colour.
fn score_text(score: Option<f64>, theme: Theme) -> (String, Style) {
    // A KR the close was given no score for (written from outside).
    let Some(score) = score else { return (" – unscored".to_owned(), theme.dim()) };
    let band = ScoreBand::of(score);
    let style = match band {
        ScoreBand::OnTarget => theme.good(),
        ScoreBand::Progress => theme.warning(),
        ScoreBand::Missed => theme.error(),
    };
    (format!(" {score:.1} {}", band.word()), style)
}

fn objective_line(objective: &Objective, width: usize, theme: Theme, score: Option<Option<f64>>) -> Line<'static> {
    let code = format!("{} ", codes::objective(objective.number));
    let (progress, style) = match score {
        Some(score) => score_text(score, theme),
        None => (percent(objective_progress(&objective.key_results)), theme.bold()),
    };
    let title_width = width.saturating_sub(code.len() + progress.len() + 1);
    Line::from(vec![
        Span::styled(code, theme.title()),
        Span::styled(text::pad(&objective.title, title_width), theme.bold()),
        Span::raw(" "),
        Span::styled(progress, style),
    ])
}

fn bar(progress: Option<f64>) -> String {
    let filled = progress.map_or(0, |p| {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 0..=BAR_WIDTH
        let cells = (p.clamp(0.0, 1.0) * BAR_WIDTH as f64).round() as usize;
        cells
    });
    "█".repeat(filled) + &"░".repeat(BAR_WIDTH - filled)
}

/// What a KR's row is measured against: the quarter so far.
#[derive(Clone, Copy)]
struct When {
    /// Share of the quarter gone, 0..1.
    elapsed: f64,
    quarter_start: NaiveDate,
    /// The quarter's check-in cadence (M8).
    cadence: crate::domain::settings::CheckInCadence,
    today: NaiveDate,
    /// The quarter is closed: history, with nothing to chase.
    closed: bool,
}

/// "+0.4 since Jan 13": the latest check-in's change from the one before
/// (from the start, for the first).
pub(super) fn change_words(change: Change, today: NaiveDate) -> String {
    match change.since {
        Some(date) => format!("{} since {}", signed(change.delta), short_date(date, today)),
        None => format!("{} since start", signed(change.delta)),
    }
}

/// The pieces of a KR's second line, most important first, dropped from
/// the least important until they fit: the stale warning (M8) is never
/// dropped, the target first (the bar shows the way to it).
fn fit_pieces(mut pieces: Vec<(u8, String, Style)>, room: usize) -> Vec<Span<'static>> {
    let width = |pieces: &[(u8, String, Style)]| -> usize {
        pieces.iter().map(|(_, text, _)| text.chars().count()).sum::<usize>() + 3 * pieces.len().saturating_sub(1)
    };
    while width(&pieces) > room {
        let Some(drop) = pieces.iter().enumerate().filter(|(_, piece)| piece.0 > 0).max_by_key(|(_, piece)| piece.0) else {
            break;
        };
        pieces.remove(drop.0);
    }
    let mut spans = Vec::new();
    let last = pieces.len().saturating_sub(1);
    let mut left = room;
    for (index, (_, text, style)) in pieces.into_iter().enumerate() {
        let text = if index < last { format!("{text} · ") } else { text };
        let shown = text::fit(&text, left);
        left = left.saturating_sub(shown.chars().count());
        spans.push(Span::styled(shown, style));
    }
    spans
}

/// Check-in history as a sparkline of progress, oldest first, ending now.
fn sparkline(kr: &KeyResult) -> String {
    // The current value ends the line unless the last check-in already says it.
    let current = (kr.check_ins.last().map(|check_in| check_in.value) != Some(kr.current)).then_some(kr.current);
    let readings = kr.check_ins.iter().map(|check_in| check_in.value).chain(current);
    readings
        .filter_map(|value| kr_progress(kr.start, kr.target, value))
        .map(|p| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 0..=7
            let level = (p.clamp(0.0, 1.0) * 7.0).round() as usize;
            SPARK[level]
        })
        .collect()
}

fn key_result_lines(kr: &KeyResult, width: usize, when: When, theme: Theme, score: Option<Option<f64>>) -> Text<'static> {
    let progress = kr_progress(kr.start, kr.target, kr.current);
    let kr_pace = pace(progress, when.elapsed);
    let code = format!("  {:<6} ", kr.code);
    // A closed quarter's KR shows its score where progress shows.
    let (pct, pct_style) =
        score.map_or_else(|| (format!(" {}", percent(progress)), Style::default()), |score| score_text(score, theme));
    let show_bar = width >= 50;
    let bar_width = if show_bar { BAR_WIDTH + 1 } else { 0 };
    let title_width = width.saturating_sub(code.len() + bar_width + pct.len());
    let mut first = vec![Span::styled(code, theme.bold()), Span::raw(text::pad(&kr.title, title_width))];
    if show_bar {
        first.push(Span::raw(" "));
        first.push(Span::styled(bar(progress), theme.pace(kr_pace)));
    }
    first.push(Span::styled(pct, pct_style));

    // (priority, text, style): 0 is never dropped, higher goes first.
    let mut pieces = vec![(0, format!("now {}", text::with_unit(kr.current, &kr.unit)), theme.dim())];
    if let Some(change) = change_since_previous(kr.start, &kr.check_ins) {
        pieces.push((2, change_words(change, when.today), theme.dim()));
    }
    if let Some(stale) = stale_at(when.cadence, &kr.check_ins, when.quarter_start, when.today).filter(|_| !when.closed) {
        pieces.push((0, format!("⚠ {}", stale.describe()), theme.warning()));
    }
    pieces.push((3, format!("conf {} %", kr.confidence), theme.dim()));
    pieces.push((4, format!("target {}", text::with_unit(kr.target, &kr.unit)), theme.dim()));
    let indent = "         ";
    let room_beside = |spark: &str| width.saturating_sub(indent.len() + spark.chars().count() + kr_pace.word().len() + 4);
    // The sparkline gives way when that keeps every piece (confidence and
    // the target are read aloud at a review; the pace word still says how
    // it goes), and always before a piece that is never dropped (the stale
    // warning) would be cut.
    let mut spark = sparkline(kr);
    let all: usize = pieces.iter().map(|piece| piece.1.chars().count() + 3).sum::<usize>().saturating_sub(3);
    let kept: usize = pieces.iter().filter(|piece| piece.0 == 0).map(|piece| piece.1.chars().count() + 3).sum();
    let all_fit_without = all <= room_beside("");
    if (all > room_beside(&spark) && all_fit_without) || kept.saturating_sub(3) > room_beside(&spark) {
        spark.clear();
    }
    let room = room_beside(&spark);
    let mut second = vec![Span::raw(indent)];
    second.extend(fit_pieces(pieces, room));
    second.push(Span::raw("  "));
    if !spark.is_empty() {
        second.extend([Span::styled(spark, theme.pace(kr_pace)), Span::raw(" ")]);
    }
    second.push(Span::styled(kr_pace.word(), theme.pace(kr_pace)));
    let second = Line::from(second);
    Text::from(vec![Line::from(first), second])
}
