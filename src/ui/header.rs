//! The top line: the quarter, the sprint running today, and what is next.

use chrono::NaiveDate;
use ratatui::{
    Frame,
    layout::Rect,
    style::Style,
    text::{Line, Span},
    widgets::Paragraph,
};
use unicode_width::UnicodeWidthStr;

use super::{Theme, text};
use crate::{
    app::{Action, Context, Keymap},
    domain::{
        Board,
        calendar::Rhythm,
        standing::{Standing, standing},
    },
};

/// Between two parts of the header, and before the help corner.
const SEPARATOR: &str = "  ";

/// A piece of the header: `order` is its place on the line.
struct Part {
    order: u8,
    text: String,
    style: Style,
}

/// `health` is the warning count's part ("⚠ 3 warnings (H)"), if any;
/// `rhythm` is the quarter's calendar as of the last reload; `help` the
/// keymap names the keys the header mentions (the help corner, the review).
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    board: &Board,
    (today, rhythm): (NaiveDate, &Rhythm),
    health: Option<&str>,
    keymap: &Keymap,
    theme: Theme,
) {
    let help = keymap.keys_label(Context::Board, Action::Help).map(|key| format!("{key} help ")).unwrap_or_default();
    // Two spaces part the parts, as they part the hint bar's hints; the
    // line starts and ends one space in.
    let width = usize::from(area.width);
    let mut parts = vec![
        Part { order: 0, text: "Quarterdeck".to_owned(), style: theme.title() },
        Part { order: 1, text: quarter_name(board), style: theme.bold() },
    ];
    let sprint = sprint_part(board, today);
    // A review not held comes before anything else that is next, and is
    // said short where the line is narrow. The calendar was worked out on
    // the last reload (`App::rhythm`), not per frame.
    let overdue: Vec<u32> = rhythm.overdue_reviews().collect();
    let due = overdue_part(&overdue, width >= 120, &keymap.key(Context::Board, Action::Review));
    let next = match &due {
        Some(text) => Some(text.clone()),
        None => rhythm.next().map(|event| {
            // A review still due after its day (the weekend after it) is today's too.
            let day = if event.date <= today { "today".to_owned() } else { weekday_date(event.date, today) };
            format!("next: {} {day}", event.what)
        }),
    };
    // A draft has no sprints, so no end yet: "starts Jan 25" says it all.
    let span = (board.quarter.state != crate::domain::QuarterState::Draft)
        .then(|| format!("{} – {}", short_date(board.quarter.start, today), short_date(board.end(), today)));
    // A closed quarter is history: no review due, no stale KR to chase.
    let closed = board.quarter.is_closed();
    let stale = stale_krs(rhythm.stale_krs).filter(|_| !closed);
    let next = next.filter(|_| !closed);
    let due = due.filter(|_| !closed);

    // In order of importance: each is shown only if it still fits.
    let optional = [
        Some(Part { order: 3, text: sprint, style: theme.active() }),
        // A review that is due outranks stale KRs; what is merely next does not.
        next.clone().filter(|_| due.is_some()).map(|text| Part { order: 4, text, style: theme.warning() }),
        // The warning count before the stale KRs: it counts them too (M8),
        // so a narrow header that has room for one keeps the whole count.
        health.map(|text| Part { order: 6, text: text.to_owned(), style: theme.warning() }),
        stale.map(|text| Part { order: 5, text, style: theme.warning() }),
        next.filter(|_| due.is_none()).map(|text| Part { order: 4, text, style: theme.bold() }),
        span.map(|text| Part { order: 2, text, style: theme.dim() }),
    ];
    // The leading space, each part after its separator, and the help
    // after one (the part before it has its separator in the count).
    let mut used: usize = 1 + parts.iter().map(|part| part.text.width() + SEPARATOR.len()).sum::<usize>() + help.width();
    for part in optional.into_iter().flatten() {
        if used + part.text.width() + SEPARATOR.len() <= width {
            used += part.text.width() + SEPARATOR.len();
            parts.push(part);
        }
    }
    parts.sort_by_key(|part| part.order);
    let mut spans: Vec<Span<'_>> = vec![Span::raw(" ")];
    for (index, part) in parts.into_iter().enumerate() {
        if index > 0 {
            spans.push(Span::raw(SEPARATOR));
        }
        spans.push(Span::styled(part.text, part.style));
    }
    spans.push(Span::raw(" ".repeat(width.saturating_sub(used) + SEPARATOR.len())));
    spans.push(Span::styled(help, theme.key()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The sprint part, as the sprints' states and dates tell it together
/// (`domain::standing`).
fn sprint_part(board: &Board, today: NaiveDate) -> String {
    let of = board.sprints.len();
    match standing(board, today) {
        Standing::Draft { starts } => format!("starts {}, sprints when it opens", short_date(starts, today)),
        Standing::Running { sprint, day, days } => format!("Sprint {} of {of} (day {day}/{days})", sprint.number),
        Standing::StartedEarly { sprint } => {
            format!("Sprint {} of {of} started early (dates from {})", sprint.number, short_date(sprint.start, today))
        }
        Standing::ClosedEarly { sprint, day, days } => format!("Sprint {} closed early (day {day}/{days})", sprint.number),
        Standing::Between { closed, next: Some(next) } => {
            format!("Sprint {} closed · Sprint {} starts {}", closed.number, next.number, short_date(next.start, today))
        }
        Standing::Between { closed, next: None } => format!("Sprint {} closed", closed.number),
        Standing::BeforeStart => "Before sprint 1".to_owned(),
        Standing::Over => "Quarter over".to_owned(),
    }
}

/// "⚠ review S3 overdue": the sprints that ended without being closed;
/// where the line is wide, also what to do about it.
fn overdue_part(sprints: &[u32], wide: bool, review: &str) -> Option<String> {
    let first = *sprints.first()?;
    let names = sprints.iter().map(|sprint| format!("S{sprint}")).collect::<Vec<_>>().join(", ");
    Some(match (sprints.len(), wide) {
        (1, true) => format!("⚠ review {names} overdue: not held yet, {review} reviews it"),
        (1, false) => format!("⚠ review {names} overdue"),
        (_, true) => format!("⚠ reviews {names} overdue: not held yet, {review} reviews S{first}"),
        (count, false) => format!("⚠ {count} reviews overdue"),
    })
}

/// The quarter on screen, with its state when it is not the running one:
/// `2026-Q4 (closed, read-only)`, `2027-Q1 (draft)`.
fn quarter_name(board: &Board) -> String {
    let label = text::clean(&board.quarter.label);
    match board.quarter.state {
        crate::domain::QuarterState::Open => label.into_owned(),
        crate::domain::QuarterState::Closed => format!("{label} (closed, read-only)"),
        crate::domain::QuarterState::Draft => format!("{label} (draft)"),
    }
}

/// "⚠ 2 KRs stale" (M8: a KR goes past the quarter's check-in cadence
/// without a check-in; the calendar marks that check-in overdue), or nothing when
/// every KR is checked in.
fn stale_krs(count: usize) -> Option<String> {
    match count {
        0 => None,
        1 => Some("⚠ 1 KR stale".to_owned()),
        count => Some(format!("⚠ {count} KRs stale")),
    }
}

pub use crate::format::{short_date, weekday_date};
