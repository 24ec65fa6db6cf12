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
    domain::sync_status as domain_sync,
    domain::{
        Board,
        calendar::Rhythm,
        standing::{Standing, standing},
        sync_status::{SyncFacts, sync_parts},
    },
};

/// Between two parts of the header, and before the help corner.
const SEPARATOR: &str = "  ";

/// A piece of the header: `order` is its place on the line; `short` is
/// what it says where the line has no room for `text` (`S3 early`, `⚠5`).
struct Part {
    order: u8,
    text: String,
    short: Option<String>,
    style: Style,
}

impl Part {
    fn new(order: u8, text: String, style: Style) -> Self {
        Self { order, text, short: None, style }
    }

    fn or_short(mut self, short: String) -> Self {
        self.short = Some(short);
        self
    }
}

/// Said before the help corner where parts were left out for room.
const MORE: &str = "…";

/// `health` is the number of warnings the rules give (M1-M13), if any;
/// `rhythm` is the quarter's calendar as of the last reload; `keymap`
/// names the keys the header mentions (the help corner, the review, the
/// health check).
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    board: &Board,
    (today, rhythm): (NaiveDate, &Rhythm),
    (health, sync): (Option<usize>, Option<&SyncFacts>),
    keymap: &Keymap,
    theme: Theme,
) {
    let line = line(board, (today, rhythm), (health, sync), keymap, theme, usize::from(area.width));
    frame.render_widget(Paragraph::new(line), area);
}

/// The header as one line of `width` columns: the quarter and the help
/// corner always; then, in order of importance, the sprint's standing,
/// the warnings, stale KRs, a review due or what is next, and the
/// quarter's dates, each said short before anything is left out, and a
/// `…` before the help corner where anything was. A board tied to a git
/// repository (`sync`) also says where its sync stands, at the right:
/// conflicts and trouble (offline) right after the sprint, what waits to
/// send and to fetch after the warnings, and when it last synced last.
pub fn line(
    board: &Board,
    (today, rhythm): (NaiveDate, &Rhythm),
    (health, sync): (Option<usize>, Option<&SyncFacts>),
    keymap: &Keymap,
    theme: Theme,
    width: usize,
) -> Line<'static> {
    let help = keymap.keys_label(Context::Board, Action::Help).map(|key| format!("{key} help ")).unwrap_or_default();
    let mut parts = vec![Part::new(0, "Quarterdeck".to_owned(), theme.title()), Part::new(1, quarter_name(board), theme.bold())];
    let (sprint, sprint_short) = sprint_part(board, today);
    // A review not held comes before anything else that is next, and is
    // said short where the line is narrow. The calendar was worked out on
    // the last reload (`App::rhythm`), not per frame.
    let overdue: Vec<u32> = rhythm.overdue_reviews().collect();
    let review_key = keymap.key(Context::Board, Action::Review);
    let due = overdue_part(&overdue, true, &review_key).zip(overdue_part(&overdue, false, &review_key));
    let next = rhythm.next().map(|event| {
        // A review still due after its day (the weekend after it) is today's too.
        let day = if event.date <= today { "today".to_owned() } else { weekday_date(event.date, today) };
        format!("next: {} {day}", event.what)
    });
    // A draft has no sprints, so no end yet: "starts Jan 25" says it all.
    let span = (board.quarter.state != crate::domain::QuarterState::Draft)
        .then(|| format!("{} – {}", short_date(board.quarter.start, today), short_date(board.end(), today)));
    // A closed quarter is history: no review due, no stale KR to chase.
    let closed = board.quarter.is_closed();
    let stale = (!closed).then(|| stale_krs(rhythm.stale_krs)).flatten();
    let health_key = keymap.keys_label(Context::Board, Action::Health);
    let sync_key = keymap.keys_label(Context::Board, Action::Sync);

    // The sync's parts, most important first (`domain::sync_status`).
    let sync_part = |part: domain_sync::SyncPart, order: u8| {
        let style = if part.warning { theme.warning() } else { theme.dim() };
        Part::new(order, part.text, style).or_short(part.short)
    };
    let (urgent, later): (Vec<_>, Vec<_>) = sync
        .map(|facts| sync_parts(facts, today, sync_key.as_deref()))
        .unwrap_or_default()
        .into_iter()
        .partition(|part| part.warning);
    let mut later = later.into_iter();
    let last_sync = later.next_back().map(|part| sync_part(part, 9));
    // In order of importance: each is said whole, short, or left out.
    let optional: Vec<Part> = [Some(Part::new(3, sprint, theme.active()).or_short(sprint_short))]
        .into_iter()
        .chain(urgent.into_iter().map(|part| Some(sync_part(part, 7))))
        .chain([
            // A review not held is the sprint's standing too: the sprint is not
            // closed until it is.
            due.filter(|_| !closed).map(|(text, short)| Part::new(4, text, theme.warning()).or_short(short)),
            // The warning count before the stale KRs: it counts them too (M8),
            // so a narrow header that has room for one keeps the whole count.
            health.filter(|count| *count > 0).map(|count| {
                // Short, it still names the key that lists them.
                let short = health_key.as_deref().map_or_else(|| format!("⚠{count}"), |key| format!("⚠{count} ({key})"));
                Part::new(6, warnings(count, health_key.as_deref()), theme.warning()).or_short(short)
            }),
            stale.map(|(text, short)| Part::new(5, text, theme.warning()).or_short(short)),
        ])
        // On a tied board, what waits to be sent and fetched and when it last
        // synced come before the quarter's dates and what is merely next (a
        // board never tied keeps the line it had).
        .chain(later.map(|part| Some(sync_part(part, 8))))
        .chain([
            last_sync,
            span.map(|text| Part::new(2, text, theme.dim())),
            // What is merely next, last.
            next.filter(|_| !closed && overdue.is_empty()).map(|text| Part::new(4, text, theme.bold())),
        ])
        .flatten()
        .collect();
    let fixed: usize = 1 + parts.iter().map(|part| part.text.width() + SEPARATOR.len()).sum::<usize>() + help.width();
    let shown = fitted(&optional, fixed, width);
    let dropped = shown.iter().any(Option::is_none);
    let mut used = fixed + if dropped { MORE.width() + SEPARATOR.len() } else { 0 };
    for (mut part, said) in optional.into_iter().zip(shown) {
        if let Some(text) = said {
            used += text.width() + SEPARATOR.len();
            part.text = text;
            parts.push(part);
        }
    }
    parts.sort_by_key(|part| part.order);
    let mut spans: Vec<Span<'static>> = vec![Span::raw(" ")];
    for (index, part) in parts.into_iter().enumerate() {
        if index > 0 {
            spans.push(Span::raw(SEPARATOR));
        }
        spans.push(Span::styled(part.text, part.style));
    }
    if dropped {
        spans.push(Span::raw(SEPARATOR));
        spans.push(Span::styled(MORE, theme.dim()));
    }
    spans.push(Span::raw(" ".repeat(width.saturating_sub(used) + SEPARATOR.len())));
    spans.push(Span::styled(help, theme.key()));
    Line::from(spans)
}

/// What each part says in `width` columns, `fixed` of them taken. In
/// order of importance, each part is kept said short if it fits, and then
/// the one before it is said whole if that fits: so the sprint is said
/// whole rather than the stale KRs kept, but not at the cost of the
/// warnings. Room for a `…` is kept when any part is left out.
fn fitted(parts: &[Part], fixed: usize, width: usize) -> Vec<Option<String>> {
    let said = |part: &Part, whole: bool| {
        if whole { part.text.clone() } else { part.short.clone().unwrap_or_else(|| part.text.clone()) }
    };
    let fit = |reserve: usize| {
        // None: left out; Some(whole).
        let mut forms: Vec<Option<bool>> = vec![None; parts.len()];
        let used = |forms: &[Option<bool>]| {
            fixed
                + reserve
                + parts
                    .iter()
                    .zip(forms)
                    .filter_map(|(part, form)| form.map(|whole| said(part, whole).width() + SEPARATOR.len()))
                    .sum::<usize>()
        };
        let try_form = |forms: &mut Vec<Option<bool>>, index: usize, whole: bool| {
            let before = forms[index];
            forms[index] = Some(whole);
            if used(forms) > width {
                forms[index] = before;
            }
        };
        for index in 0..=parts.len() {
            if index < parts.len() {
                try_form(&mut forms, index, false);
            }
            if index > 0 && forms[index - 1].is_some() {
                try_form(&mut forms, index - 1, true);
            }
        }
        forms
    };
    let mut forms = fit(0);
    if forms.iter().any(Option::is_none) {
        forms = fit(MORE.width() + SEPARATOR.len());
    }
    parts.iter().zip(forms).map(|(part, form)| form.map(|whole| said(part, whole))).collect()
}

/// "⚠ 3 warnings (H)": the count, and the key that shows them.
fn warnings(count: usize, key: Option<&str>) -> String {
    let noun = if count == 1 { "warning" } else { "warnings" };
    match key {
        Some(key) => format!("⚠ {count} {noun} ({key})"),
        None => format!("⚠ {count} {noun}"),
    }
}

/// The sprint part, as the sprints' states and dates tell it together
/// (`domain::standing`), whole and short.
fn sprint_part(board: &Board, today: NaiveDate) -> (String, String) {
    let of = board.sprints.len();
    match standing(board, today) {
        Standing::Draft { starts } => (
            format!("starts {}, sprints when it opens", short_date(starts, today)),
            format!("starts {}", short_date(starts, today)),
        ),
        Standing::Running { sprint, day, days, early: None } => {
            (format!("Sprint {} of {of} (day {day}/{days})", sprint.number), format!("S{} d{day}/{days}", sprint.number))
        }
        Standing::Running { sprint, day, days, early: Some(early) } => (
            format!("Sprint {} of {of} (day {day}/{days}) · S{} started early", sprint.number, early.number),
            format!("S{} d{day}/{days} · S{} early", sprint.number, early.number),
        ),
        Standing::StartedEarly { sprint } => (
            format!("Sprint {} of {of} started early (dates from {})", sprint.number, short_date(sprint.start, today)),
            format!("S{} early", sprint.number),
        ),
        Standing::ClosedEarly { sprint, day, days } => {
            (format!("Sprint {} closed early (day {day}/{days})", sprint.number), format!("S{} closed", sprint.number))
        }
        Standing::Between { closed, next: Some(next) } => (
            format!("Sprint {} closed · Sprint {} starts {}", closed.number, next.number, short_date(next.start, today)),
            format!("S{} closed · S{} starts {}", closed.number, next.number, short_date(next.start, today)),
        ),
        Standing::Between { closed, next: None } => {
            (format!("Sprint {} closed", closed.number), format!("S{} closed", closed.number))
        }
        Standing::BeforeStart => ("Before sprint 1".to_owned(), "Before S1".to_owned()),
        Standing::Over => ("Quarter over".to_owned(), "Over".to_owned()),
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
/// without a check-in; the calendar marks that check-in overdue), whole
/// and short, or nothing when
/// every KR is checked in.
fn stale_krs(count: usize) -> Option<(String, String)> {
    match count {
        0 => None,
        1 => Some(("⚠ 1 KR stale".to_owned(), "⚠ 1 stale".to_owned())),
        count => Some((format!("⚠ {count} KRs stale"), format!("⚠ {count} stale"))),
    }
}

pub use crate::format::{short_date, weekday_date};
