//! The presentation mode's screens, drawn for a projector: the
//! high-contrast theme (unless `--theme` names another), large gauges,
//! one thing a line, few columns, and no hints but the keys that switch
//! screens and leave, and the page when a screen has more than one.

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::{Block, Paragraph, Tabs},
};

use super::{
    Theme, charts, health,
    hints::{Hint, for_action, hint_line},
    layout, review, text,
};
use crate::{
    app::{
        Action, App, Context,
        charts::ChartsScreen,
        present::{Presentation, Screen},
        review::Review,
    },
    domain::{Board, ItemRow, KeyResult, check_ins::kr_stale, kr_progress, objective_progress, pace},
};

/// Gauges fill this share of the width, and never less than `MIN_GAUGE`,
/// but leave a title `READABLE_TITLE` wide: on a narrow screen the words
/// matter more than the bar's length.
const GAUGE_SHARE: usize = 2;
const MIN_GAUGE: usize = 10;
const READABLE_TITLE: usize = 24;
/// A KR line's code, percentage and pace word: what the gauge and the
/// title share the rest of the line with.
const KR_FIXED: usize = 10 + 1 + 6 + 1 + PACE_WIDTH;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, presentation: &Presentation, theme: Theme) {
    let areas = layout::board_areas(area);
    let titles = Screen::ALL.iter().map(|screen| format!(" {} ", screen.title()));
    let selected = Screen::ALL.iter().position(|screen| *screen == presentation.screen);
    let tabs = Tabs::new(titles).select(selected).style(theme.bold()).highlight_style(theme.selected()).divider("│");
    frame.render_widget(tabs, areas.header);
    sync_status(frame, areas.header, app, theme);
    let (page, pages) = (app.presentation_page(), app.presentation_pages());
    let key = |action| app.keymap.key(Context::Present, action);
    let leave = if presentation.standalone { "quits" } else { "back" };
    // Help and the way out are kept however narrow the line; the page,
    // when there are more, with the keys that turn them, is the first
    // left out (with a `…`).
    let mut hints = vec![
        Hint::new(format!("{} {}", key(Action::PreviousPane), key(Action::NextPane)), "screens"),
        for_action(Action::Help, key(Action::Help), "help"),
        for_action(Action::Back, key(Action::Back), leave),
    ];
    if pages > 1 {
        hints.push(Hint::new(format!("{} {}", key(Action::PageUp), key(Action::PageDown)), format!("page {}/{pages}", page + 1)));
    }
    frame.render_widget(Paragraph::new(hint_line(&hints, usize::from(areas.hints.width), theme)), areas.hints);

    let body = areas.body();
    let Some(board) = &app.board else {
        frame.render_widget(Paragraph::new(" No quarter on this board yet.").style(theme.bold()), body);
        return;
    };
    // Lines in view inside a screen's frame: a page.
    let first = page * usize::from(body.height.saturating_sub(2)).max(1);
    match presentation.screen {
        Screen::Okrs => draw_okrs(frame, body, app, (board, &presentation.next_up), first, theme),
        Screen::Review => match &presentation.review {
            Some(review) => {
                // A page is the lines the review's body shows.
                let view = usize::from(layout::review_body(area).height).max(1);
                let scroll = u16::try_from(page * view).unwrap_or(u16::MAX);
                review::draw_with(frame, body, app, board, &Review { scroll, ..review.clone() }, theme, false);
            }
            None => empty(frame, body, " Sprint review ", " No sprint has started yet.", theme),
        },
        Screen::Health => match &presentation.health {
            Some(screen) => health::draw_from(frame, body, board, screen, Some(first), theme),
            None => empty(frame, body, " Health ", " Nothing to check yet.", theme),
        },
        Screen::Charts => match &presentation.charts {
            Some(screen) => charts::draw_page(frame, body, board, &ChartsScreen { page, ..screen.clone() }, None, theme),
            None => empty(frame, body, " Charts ", " Nothing to chart yet.", theme),
        },
    }
}

/// Where the board's sync stands, at the right of the tabs: a room sees
/// whether the board it is shown is up to date (`synced 10:42 · 2 to
/// fetch`). Said in full where there is room, else its most important
/// parts; nothing for a board never tied to a repository.
fn sync_status(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let Some(facts) = &app.sync else { return };
    // Each tab is its title in spaces, padded a column each side, and a divider.
    let tabs: usize = Screen::ALL.iter().map(|screen| screen.title().chars().count() + 5).sum();
    let room = usize::from(area.width).saturating_sub(tabs + 2);
    let parts = crate::domain::sync_status::sync_parts(facts, app.today, None);
    let warning = parts.iter().any(|part| part.warning);
    let full = crate::domain::sync_status::sync_line(facts, app.today, None);
    let said = if full.chars().count() <= room {
        full
    } else {
        // Most important first, short, as many as fit.
        let mut said = String::new();
        for part in parts {
            let next = if said.is_empty() { part.short } else { format!("{said} · {}", part.short) };
            if next.chars().count() > room {
                break;
            }
            said = next;
        }
        said
    };
    if said.is_empty() {
        return;
    }
    let style = if warning { theme.warning() } else { theme.bold() };
    frame.render_widget(Paragraph::new(Line::styled(format!("{said} "), style).right_aligned()), area);
}

fn empty(frame: &mut Frame<'_>, area: Rect, title: &str, message: &str, theme: Theme) {
    let block = Block::bordered().title(Line::styled(title.to_owned(), theme.title())).border_style(theme.border(true));
    frame.render_widget(Paragraph::new(message.to_owned()).style(theme.bold()).block(block), area);
}

/// Every objective, then its key results, one a line, each with a gauge
/// half the screen wide in its pace's colour.
fn draw_okrs(frame: &mut Frame<'_>, area: Rect, app: &App, (board, next_up): (&Board, &[ItemRow]), first: usize, theme: Theme) {
    let title = format!(" Board · {} ", text::clean(&board.quarter.label));
    let block = Block::bordered().title(Line::styled(title, theme.title())).border_style(theme.border(true));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let gauge = (width / GAUGE_SHARE).min(width.saturating_sub(KR_FIXED + READABLE_TITLE)).max(MIN_GAUGE);
    let elapsed = board.elapsed(app.today);
    let mut lines = Vec::new();
    for objective in &board.objectives {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        let progress = objective_progress(&objective.key_results);
        let head = format!(" {} ", crate::domain::codes::objective(objective.number));
        lines.push(gauge_line(&head, &objective.title, progress, (gauge, width), (theme.bold(), ""), theme));
        for kr in &objective.key_results {
            let stale = kr_stale(kr, &board.quarter, app.today).is_some();
            lines.push(kr_line(kr, (elapsed, stale), gauge, width, theme));
        }
    }
    if lines.is_empty() {
        lines.push(Line::styled(" No objectives yet.", theme.bold()));
    }
    if !next_up.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(" Next up in the backlog (not in a sprint, by rank)", theme.title()));
        // The KRs column fits every item's tags while titles keep 24 columns.
        let widest = next_up.iter().map(|item| item.tags_text().chars().count()).max().unwrap_or(0);
        let krs_width = widest.min(width.saturating_sub(9 + 1 + 1 + 8 + 24)).max(14);
        lines.extend(next_up.iter().map(|item| next_up_line(item, app.is_provisional(item.id), (width, krs_width), theme)));
    }
    let page: Vec<Line<'_>> = lines.into_iter().skip(first).collect();
    frame.render_widget(Paragraph::new(page), inner);
}

/// `  #17  Apple Pay and Google Pay buttons     KR1.1   8 pts`: one item,
/// its KRs (or BAU) and points; the title takes what is left.
/// `(width, krs_width)`: the line's and its KRs column's.
fn next_up_line(item: &ItemRow, provisional: bool, (width, krs_width): (usize, usize), theme: Theme) -> Line<'static> {
    let code = format!("   {:<6}", crate::domain::codes::item_shown(item.id, provisional));
    let krs = format!(" {:<krs_width$}", text::fit(&item.tags_text(), krs_width));
    let points = format!("{:>4} pts", item.points);
    let title_width = width.saturating_sub(code.chars().count() + 1 + krs.chars().count() + points.chars().count());
    Line::from(vec![
        Span::styled(code, theme.title()),
        Span::raw(" "),
        Span::styled(text::pad(&item.title, title_width), theme.bold()),
        Span::styled(krs, theme.bold()),
        Span::styled(points, theme.bold()),
    ])
}

/// A KR's gauge, its pace in words after the percentage (the colour alone
/// is lost under NO_COLOR and on a washed-out projector), and `⚠` when
/// stale (M8).
fn kr_line(kr: &KeyResult, (elapsed, stale): (f64, bool), gauge: usize, width: usize, theme: Theme) -> Line<'static> {
    let progress = kr_progress(kr.start, kr.target, kr.current);
    let kr_pace = pace(progress, elapsed);
    let word = match (kr_pace.word(), stale) {
        (word, true) => format!("{word} ⚠"),
        (word, false) => word.to_owned(),
    };
    let code = format!("   {:<6} ", text::clean(&kr.code));
    gauge_line(&code, &kr.title, progress, (gauge, width), (theme.pace(kr_pace), &word), theme)
}

/// `code title ████████░░░░ 62 % on pace`: the title takes what the code,
/// the gauge, the percentage and the word (`PACE_WIDTH` wide, so the
/// gauges line up; none for an objective) leave.
fn gauge_line(
    code: &str,
    title: &str,
    progress: Option<f64>,
    (gauge, width): (usize, usize),
    (style, word): (ratatui::style::Style, &str),
    theme: Theme,
) -> Line<'static> {
    let percent = progress.map_or_else(|| "   – ".to_owned(), |p| format!(" {:>3.0} %", p.clamp(0.0, 1.0) * 100.0));
    let word = format!(" {word:<PACE_WIDTH$}");
    let fixed = code.chars().count() + 1 + gauge + percent.chars().count() + word.chars().count();
    let title_width = width.saturating_sub(fixed);
    let filled = progress.map_or(0, |p| {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)] // 0..=gauge
        let cells = (p.clamp(0.0, 1.0) * gauge as f64).round() as usize;
        cells
    });
    Line::from(vec![
        Span::styled(code.to_owned(), theme.title()),
        Span::styled(text::pad(title, title_width), theme.bold()),
        Span::raw(" "),
        Span::styled("█".repeat(filled), style),
        Span::styled("░".repeat(gauge - filled), theme.bold()),
        Span::styled(percent, theme.bold()),
        Span::styled(word, style),
    ])
}

/// Room for the longest pace word and a stale mark: "no target ⚠".
const PACE_WIDTH: usize = 11;
