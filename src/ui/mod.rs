//! Drawing. Views read the app's state and draw it; they never write.

mod backlog;
mod calendar;
mod charts;
mod detail;
mod dialogs;
mod header;
mod health;
mod help;
pub mod hit;
mod key_result;
/// The layout arithmetic lives below the views and the app alike.
pub use crate::geometry as layout;
mod okrs;
mod planning;
mod present;
mod quarters;
mod retro;
mod review;
mod team;
pub mod text;
pub mod theme;
mod timeline;
mod welcome;

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::{Paragraph, Tabs, Wrap},
};

pub use self::theme::{Theme, ThemeName};
use crate::app::{Action, App, Context, Overlay, Pane, WAITING_LINE};

/// Draws the whole screen for the app's current state.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: Theme) {
    let area = frame.area();
    if layout::mode(area.width, area.height) == layout::Mode::TooSmall {
        draw_too_small(frame, area, theme);
        return;
    }
    if let Some(presentation) = &app.presentation {
        present::draw(frame, area, app, presentation, theme.for_presentation());
        return;
    }
    match &app.board {
        None => welcome::draw(frame, area, app, theme),
        Some(board) => {
            let areas = layout::board_areas_beside(area, app.running_lines());
            header::draw(frame, areas.header, board, (app.today, &app.rhythm), health_part(app).as_deref(), theme);
            if let Some(screen) = app.quarter_screen() {
                quarters::draw(frame, areas.body(), app, board, screen, theme);
            } else if let Some(screen) = app.charts() {
                charts::draw(frame, areas.body(), app, board, screen, theme);
            } else if let Some(screen) = app.health() {
                health::draw(frame, areas.body(), board, screen, theme);
            } else if let Some(review) = app.review() {
                review::draw(frame, areas.body(), app, board, review, theme);
            } else if app.planning().is_some() {
                planning::draw(frame, areas.body(), app, board, theme);
            } else if let Some(screen) = app.calendar() {
                // Under the review or planning it opened (`Enter`).
                calendar::draw(frame, areas.body(), app, board, screen, theme);
            } else if let Some(tabs) = areas.tabs {
                draw_tabs(frame, tabs, app.focus, theme);
                match app.focus {
                    Pane::Okrs => okrs::draw(frame, areas.okrs, app, board, true, theme),
                    Pane::Timeline => match &app.running {
                        Some(running) => okrs::draw_running(frame, areas.timeline, app, running, theme),
                        None => timeline::draw(frame, areas.timeline, app, board, true, theme),
                    },
                    Pane::Backlog => backlog::draw(frame, areas.backlog, app, board, true, theme),
                }
            } else {
                okrs::draw(frame, areas.okrs, app, board, app.focus == Pane::Okrs, theme);
                match &app.running {
                    // Drafting: the running quarter's OKRs stand beside the draft.
                    Some(running) => okrs::draw_running(frame, areas.timeline, app, running, theme),
                    None => timeline::draw(frame, areas.timeline, app, board, app.focus == Pane::Timeline, theme),
                }
                backlog::draw(frame, areas.backlog, app, board, app.focus == Pane::Backlog, theme);
            }
            draw_status(frame, areas.status, app, theme);
            draw_hints(frame, areas.hints, app, theme);
        }
    }
    for overlay in &app.overlays {
        match overlay {
            Overlay::Help { scroll } => help::draw(frame, area, app, *scroll, theme),
            Overlay::Detail { detail, scroll } => detail::draw(frame, area, app, detail, *scroll, theme),
            Overlay::Form(form) => dialogs::draw_form(frame, area, form, &app.keymap, theme),
            Overlay::Confirm(confirm) => dialogs::draw_confirm(frame, area, confirm, &app.keymap, theme),
            Overlay::Picker(picker) => dialogs::draw_picker(frame, area, picker, &app.keymap, theme),
            Overlay::Team { selected } => {
                if let Some(board) = &app.board {
                    team::draw(frame, area, app, board, *selected, theme);
                }
            }
            // The search line is drawn in the backlog's title, and
            // planning fills the body in place of the panes (above).
            Overlay::Carry(dialog) => dialogs::draw_carry(frame, area, dialog, &app.keymap, theme),
            // Planning and the review fill the body in place of the panes.
            Overlay::Search(_)
            | Overlay::Planning(_)
            | Overlay::Review(_)
            | Overlay::Health(_)
            | Overlay::Charts(_)
            | Overlay::Calendar(_)
            | Overlay::Quarters(_) => {}
        }
    }
}

/// The header's "⚠ 3 warnings (H)", from the count the app keeps (the
/// rules are not checked per frame); nothing while every rule is ok.
fn health_part(app: &App) -> Option<String> {
    let count = app.health_warnings.filter(|count| *count > 0)?;
    let noun = if count == 1 { "warning" } else { "warnings" };
    Some(match app.keymap.keys_label(Context::Board, Action::Health) {
        Some(key) => format!("  ⚠ {count} {noun} ({key}) "),
        None => format!("  ⚠ {count} {noun} "),
    })
}

fn draw_too_small(frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let lines = vec![
        Line::raw(format!("Terminal too small: {}x{}", area.width, area.height)),
        Line::raw(format!("Quarterdeck needs {}x{}.", layout::MIN_WIDTH, layout::MIN_HEIGHT)),
        Line::raw("Enlarge the window or make the font smaller."),
    ];
    frame.render_widget(Paragraph::new(lines).style(theme.warning()).wrap(Wrap { trim: true }), area);
}

/// The tab bar's titles: `1 OKRs`, `2 Timeline`, `3 Backlog`.
fn tab_titles() -> impl Iterator<Item = String> {
    (1..).zip(Pane::ALL).map(|(number, pane)| format!("{number} {}", pane.title()))
}

fn draw_tabs(frame: &mut Frame<'_>, area: Rect, focus: Pane, theme: Theme) {
    let titles = tab_titles();
    let selected = Pane::ALL.iter().position(|pane| *pane == focus);
    let tabs = Tabs::new(titles).select(selected).style(theme.dim()).highlight_style(theme.selected()).divider(" ");
    frame.render_widget(tabs, area);
}

/// What just happened; else, while a write waits for another program's
/// lock, that it waits and how to cancel it.
fn draw_status(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let (text, style) = match &app.status {
        Some(status) => (status.text.as_str(), if status.is_error { theme.error() } else { theme.good() }),
        None if app.write_is_waiting() => (WAITING_LINE, theme.warning()),
        None => return,
    };
    let line = text::fit(text, usize::from(area.width.saturating_sub(1)));
    frame.render_widget(Paragraph::new(Line::styled(format!(" {line}"), style)), area);
}

/// The hint bar: the hinted actions of the current context, keys from the keymap.
fn draw_hints(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    frame.render_widget(Paragraph::new(hint_line(app, app.context(), area.width, theme)), area);
}

/// The hinted actions of `context` that fit in `width`, in the action
/// list's order; help and quit are always kept, so no hint is cut in half.
pub(crate) fn hint_line(app: &App, context: Context, width: u16, theme: Theme) -> Line<'static> {
    // A dialog says its keys inside its frame (the search line has none:
    // its keys are hinted here).
    if matches!(context, Context::Form | Context::Picker | Context::Confirm) {
        return Line::raw("");
    }
    let hints: Vec<(Action, String, &str)> = app
        .keymap
        .bindings(context)
        .filter(|(action, _)| action.hinted_in(context))
        // A closed quarter is read-only: its hints offer no edit.
        .filter(|(action, _)| !(action.edits() && app.board.as_ref().is_some_and(|board| board.quarter.is_closed())))
        .filter_map(|(action, _)| Some((action, format!("[{}]", app.keymap.keys_label(context, action)?), action.hint()?)))
        .collect();
    let length = |keys: &String, hint: &str| keys.chars().count() + hint.chars().count() + 3;
    let kept = |action: Action| matches!(action, Action::Help | Action::Quit);
    let reserved: usize = hints.iter().filter(|(action, ..)| kept(*action)).map(|(_, keys, hint)| length(keys, hint)).sum();
    let mut room = usize::from(width).saturating_sub(1 + reserved);
    let mut spans = vec![Span::raw(" ")];
    for (action, keys, hint) in hints {
        if !kept(action) {
            if length(&keys, hint) > room {
                continue;
            }
            room -= length(&keys, hint);
        }
        spans.push(Span::styled(keys, theme.key()));
        spans.push(Span::raw(format!(" {hint}  ")));
    }
    Line::from(spans)
}
