//! The quarter screen (`Q`): the quarters, then the viewed quarter's KR
//! and objective scores against the 0.7 stretch convention (colour and
//! word: `on target`, `progress`, `missed`), the objectives' closing notes,
//! and the quarter retro (the sprints' OKR reflections and its own note).
//! At 120 columns and wider the retro stands beside the scores.

use chrono::NaiveDate;
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
        App, Context,
        quarters::{QuarterRow, QuarterScreen},
    },
    domain::{Board, QuarterState, ScoreBand, codes, quarter_close::closing_advice, quarter_close::objective_score},
};

/// From this width the retro stands beside the scores.
const SIDE_BY_SIDE: u16 = 120;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, board: &Board, screen: &QuarterScreen, theme: Theme) {
    let state = match board.quarter.state {
        QuarterState::Open => {
            app.keymap.fill(Context::Quarters, "running: {edit} edits a score or note, {close_quarter} closes it")
        }
        QuarterState::Closed => "closed: read-only".to_owned(),
        QuarterState::Draft => app.keymap.fill(Context::Board, "draft: {new_quarter} goes back"),
    };
    let title = format!(" Quarters · {} {state} ", text::clean(&board.quarter.label));
    let block = Block::bordered().title(Line::styled(title, theme.title())).border_style(theme.border(true));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = screen.rows(board);
    let selected = rows.get(screen.selected).copied();
    let (main, side) = if inner.width >= SIDE_BY_SIDE {
        let [main, side] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(inner);
        (main, Some(side))
    } else {
        (inner, None)
    };
    let width = usize::from(main.width);
    let heading =
        app.keymap.fill(Context::Quarters, "Quarters ({open_detail} views one; {open_quarter} opens the next after a close)");
    let mut lines = quarter_lines((&heading, app.today), screen, selected, width, theme);
    lines.push(Line::raw(""));
    let view = View { board, screen, selected, theme };
    lines.extend(score_lines(view, width));
    let mut retro = retro_lines(view, app.today, usize::from(side.map_or(main.width, |side| side.width)));
    match side {
        Some(side) => {
            let height = usize::from(side.height);
            let scroll = selected_line(&retro).map_or(0, |line| (line + 1).saturating_sub(height));
            frame.render_widget(Paragraph::new(retro).scroll((u16::try_from(scroll).unwrap_or(0), 0)), side);
        }
        None => {
            lines.push(Line::raw(""));
            lines.append(&mut retro);
        }
    }
    let height = usize::from(main.height).max(1);
    let scroll = selected_line(&lines).map_or(0, |line| (line + 1).saturating_sub(height));
    frame.render_widget(Paragraph::new(lines).scroll((u16::try_from(scroll).unwrap_or(0), 0)), main);
}

/// The selected line starts with this marker, which also finds it for
/// scrolling (and shows the selection where reverse video does not).
const SELECTED: &str = "▶ ";

fn selected_line(lines: &[Line<'_>]) -> Option<usize> {
    lines.iter().position(|line| line.spans.first().is_some_and(|span| span.content == SELECTED))
}

fn marker(is_selected: bool, theme: Theme) -> Span<'static> {
    if is_selected { Span::styled(SELECTED, theme.selected()) } else { Span::raw("  ") }
}

fn quarter_lines(
    (heading, today): (&str, chrono::NaiveDate),
    screen: &QuarterScreen,
    selected: Option<QuarterRow>,
    width: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(heading.to_owned(), theme.bold())];
    for (index, quarter) in screen.quarters.iter().enumerate() {
        let is_selected = selected == Some(QuarterRow::Quarter(index));
        let span = match quarter.end {
            Some(end) => format!("{} – {}", short_date(quarter.start, today), short_date(end, today)),
            None => format!("from {}", short_date(quarter.start, today)),
        };
        let state = match quarter.state {
            QuarterState::Draft => "draft, next quarter's OKRs".to_owned(),
            state => format!("{}, {}", crate::format::count(quarter.sprints as u64, "sprint", "sprints"), state.word()),
        };
        let line = format!("{:<9} {span:<17} {state}", text::clean(&quarter.label));
        let style = if is_selected { theme.selected() } else { Style::default() };
        lines.push(Line::from(vec![marker(is_selected, theme), Span::styled(text::fit(&line, width.saturating_sub(2)), style)]));
    }
    lines
}

fn band_style(band: ScoreBand, theme: Theme) -> Style {
    match band {
        ScoreBand::OnTarget => theme.good(),
        ScoreBand::Progress => theme.warning(),
        ScoreBand::Missed => theme.error(),
    }
}

/// "0.7 on target", in the band's colour.
fn score_span(score: Option<f64>, theme: Theme) -> Span<'static> {
    match score {
        Some(score) => {
            let band = ScoreBand::of(score);
            Span::styled(format!("{score:.1} {:<9}", band.word()), band_style(band, theme))
        }
        None => Span::styled(format!("{:<13}", "– unscored"), theme.dim()),
    }
}

/// What every part of the screen reads.
#[derive(Clone, Copy)]
struct View<'a> {
    board: &'a Board,
    screen: &'a QuarterScreen,
    selected: Option<QuarterRow>,
    theme: Theme,
}

fn score_lines(view: View<'_>, width: usize) -> Vec<Line<'static>> {
    let View { board, screen, selected, theme } = view;
    let heading = match board.quarter.state {
        QuarterState::Open => "Scores proposed from progress (0.7 is a stretch goal met)",
        QuarterState::Closed => "Scores at the close (0.7 is a stretch goal met)",
        QuarterState::Draft => "Next quarter's OKRs: scored when that quarter closes",
    };
    let mut lines = vec![Line::styled(heading, theme.bold())];
    if board.objectives.is_empty() {
        lines.push(Line::styled("  No objectives in this quarter.", theme.dim()));
    }
    // Code, title, then the score (13 columns) at the right.
    let room = width.saturating_sub(2 + 9 + 14);
    for objective in &board.objectives {
        let scores: Vec<f64> = objective.key_results.iter().filter_map(|kr| screen.score(kr.id)).collect();
        let is_selected = selected == Some(QuarterRow::Objective(objective.id));
        let style = if is_selected { theme.selected() } else { theme.bold() };
        lines.push(Line::from(vec![
            marker(is_selected, theme),
            Span::styled(format!("{:<9}", codes::objective(objective.number)), style),
            Span::styled(text::pad(&objective.title, room), style),
            Span::raw(" "),
            score_span(objective_score(&scores), theme),
        ]));
        let note = screen.objective_note(objective.id);
        if !note.is_empty() {
            lines.push(Line::styled(format!("         note: {}", text::fit(note, width.saturating_sub(15))), theme.dim()));
        }
        for kr in &objective.key_results {
            let is_selected = selected == Some(QuarterRow::KeyResult(kr.id));
            let style = if is_selected { theme.selected() } else { Style::default() };
            lines.push(Line::from(vec![
                marker(is_selected, theme),
                Span::styled(format!("  {:<6} ", kr.code), style),
                Span::styled(text::pad(&kr.title, room), style),
                Span::raw(" "),
                score_span(screen.score(kr.id), theme),
            ]));
        }
    }
    lines
}

fn retro_lines(view: View<'_>, today: NaiveDate, width: usize) -> Vec<Line<'static>> {
    let View { board, screen, selected, theme } = view;
    let room = width.saturating_sub(8);
    let mut lines = vec![Line::styled("Quarter retro: the sprints' OKR reflections", theme.bold())];
    if screen.reflections.is_empty() {
        lines.push(Line::styled("  No OKR reflection in any sprint's retro.", theme.dim()));
    }
    // Wrapped under themselves, not cut: the wide screen's narrower column
    // would otherwise cut what 80 columns show whole.
    for (sprint, reflection) in &screen.reflections {
        for (index, part) in text::wrap(reflection, room).into_iter().enumerate() {
            let sprint = if index == 0 { format!("S{sprint:<3}") } else { String::new() };
            lines.push(Line::raw(format!("  {sprint:<4} {part}")));
        }
    }
    let is_selected = selected == Some(QuarterRow::Note);
    let note = if screen.note.is_empty() { "(none yet: e writes it)".to_owned() } else { screen.note.clone() };
    let style = if is_selected { theme.selected() } else { Style::default() };
    lines.push(Line::from(vec![
        marker(is_selected, theme),
        Span::styled(format!("Note: {}", text::fit(&note, width.saturating_sub(8))), style),
    ]));
    if board.quarter.state == QuarterState::Open {
        for advice in closing_advice(board, today) {
            for (index, part) in text::wrap(&advice, width.saturating_sub(2)).into_iter().enumerate() {
                let mark = if index == 0 { "⚠" } else { " " };
                lines.push(Line::styled(format!("{mark} {part}"), theme.warning()));
            }
        }
    }
    lines
}
