//! The calendar screen: the quarter's events in date order, under a line
//! per sprint, each with its date, what it is, and its state as a symbol
//! and a word (`✓ done`, `▶ today`, `⚠ overdue`, `· upcoming`), so it reads
//! under NO_COLOR. The next event says so; the list scrolls to keep the
//! selected event in view.

use chrono::NaiveDate;
use ratatui::{
    Frame,
    layout::Rect,
    style::Style,
    text::{Line, Span},
    widgets::{Block, Paragraph},
};
use unicode_width::UnicodeWidthStr;

use super::{
    Theme,
    header::{short_date, weekday_date},
    text,
};
use crate::{
    app::{Action, App, Context, Keymap, calendar::CalendarScreen},
    domain::{
        Board, SprintState,
        calendar::{CalendarEvent, EventState},
    },
};

/// Columns of the state's symbol and word (`⚠ overdue`).
const STATE_WIDTH: usize = 11;
/// Columns of an event's date (`Mon Oct 26`).
const DATE_WIDTH: usize = 11;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, board: &Board, screen: &CalendarScreen, theme: Theme) {
    let rhythm = &app.rhythm;
    let overdue = rhythm.events.iter().filter(|event| event.state == EventState::Overdue).count();
    let overdue = match overdue {
        0 => String::new(),
        count => format!(" · ⚠ {count} overdue"),
    };
    let title = format!(" Calendar · {}{overdue} ", text::clean(&board.quarter.label));
    let mut block = Block::bordered().title(Line::styled(title, theme.title())).border_style(theme.border(true));
    if let Some(keys) = app.keymap.keys_label(Context::Calendar, Action::OpenDetail) {
        block = block.title_bottom(Line::styled(format!(" {keys}: open the review or planning "), theme.dim()));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let width = usize::from(inner.width);
    let (lines, selected_line) = lines(app, board, screen, width, theme);
    // Scrolled just enough that the selected event is on screen, with its
    // sprint's line above it when there is room.
    let height = usize::from(inner.height).max(1);
    let scroll = selected_line.map_or(0, |line| (line + 1).saturating_sub(height));
    let visible: Vec<Line<'_>> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

/// Every line of the list, and which one holds the selected event.
fn lines(app: &App, board: &Board, screen: &CalendarScreen, width: usize, theme: Theme) -> (Vec<Line<'static>>, Option<usize>) {
    let next = app.rhythm.next_index();
    let mut lines = Vec::new();
    let mut selected_line = None;
    let mut sprint_shown = None;
    for (index, event) in app.rhythm.events.iter().enumerate() {
        if sprint_shown != Some(event.sprint) {
            sprint_shown = Some(event.sprint);
            lines.push(sprint_line(board, event.sprint, app.today, width, theme));
        }
        if index == screen.selected {
            selected_line = Some(lines.len());
        }
        lines.push(event_line(&app.keymap, (event, app.today), (index == screen.selected, next == Some(index)), width, theme));
    }
    (lines, selected_line)
}

/// "Sprint 3 · Nov 23 – Dec 6 · running"
fn sprint_line(board: &Board, number: u32, today: NaiveDate, width: usize, theme: Theme) -> Line<'static> {
    let text = match board.sprints.iter().find(|sprint| sprint.number == number) {
        Some(sprint) => {
            let state = match sprint.state {
                SprintState::Closed => "closed",
                _ if sprint.ended_unclosed(today) => "ended, not closed",
                SprintState::Active => "running",
                SprintState::Planned => "not started",
            };
            format!(" Sprint {number} · {} – {} · {state}", short_date(sprint.start, today), short_date(sprint.end, today))
        }
        None => format!(" Sprint {number}"),
    };
    Line::styled(text::fit(&text, width), theme.bold())
}

/// "› ▶ today     Fri Dec 4   Sprint 3 review + OKR progress check  ← next"
fn event_line(
    keymap: &Keymap,
    (event, today): (&CalendarEvent, NaiveDate),
    (is_selected, is_next): (bool, bool),
    width: usize,
    theme: Theme,
) -> Line<'static> {
    // The marker says which is selected where reverse video does not show.
    let marker = if is_selected { "›" } else { " " };
    let state = format!("{} {}", event.state.symbol(), event.state.word());
    let head =
        format!("  {marker} {} {} ", text::pad(&state, STATE_WIDTH), text::pad(&weekday_date(event.date, today), DATE_WIDTH));
    let tail = if is_next { "  ← next" } else { "" };
    let room = width.saturating_sub(head.width() + tail.width());
    let what = text::pad(
        &format!("{}{tail}", text::fit(&keymap.fill(Context::Board, &event.describe()), room)),
        width.saturating_sub(head.width()),
    );
    if is_selected {
        return Line::styled(format!("{head}{what}"), theme.selected());
    }
    let style = match event.state {
        EventState::Overdue => theme.warning(),
        EventState::Today => theme.active(),
        EventState::Done => theme.dim(),
        EventState::Upcoming => Style::default(),
    };
    let what_style = if is_next { theme.bold() } else { Style::default() };
    Line::from(vec![Span::styled(head, style), Span::styled(what, what_style)])
}
