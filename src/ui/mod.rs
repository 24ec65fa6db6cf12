//! Drawing. Views read the app's state and draw it; they never write.

mod backlog;
mod calendar;
mod charts;
mod detail;
mod dialogs;
mod header;
mod health;
mod help;
pub mod hints;
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
    text::Line,
    widgets::{Clear, Paragraph, Tabs, Wrap},
};

pub use self::theme::{Theme, ThemeName};
use crate::app::{App, Context, Layer, Overlay, Pane};

/// Draws the whole screen for the app's current state: the stack of units
/// bottom-up (the welcome screen or the board's panes, then each screen and
/// dialog opened over them), from the last unit that covers what is under
/// it. The unit on top is drawn last, and it is the one whose keys apply.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: Theme) {
    let area = frame.area();
    let banner = app.banner_lines(area.width, area.height);
    if banner.is_empty() {
        draw_in(frame, area, app, theme);
        return;
    }
    // A damaged file: the banner takes the top lines for as long as the
    // board runs, and is drawn last, over any dialog that reaches it. The
    // app lays the board out in the same place (`App::board_area`).
    let (banner_area, board) = layout::under_banner(area, banner.len());
    draw_in(frame, board, app, theme);
    let lines: Vec<Line<'_>> = banner.into_iter().map(Line::raw).collect();
    frame.render_widget(Clear, banner_area);
    frame.render_widget(Paragraph::new(lines).style(theme.error().reversed()), banner_area);
}

fn draw_in(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    if layout::board_mode(frame.area(), area) == layout::Mode::TooSmall {
        draw_too_small(frame, area, theme);
        return;
    }
    // The last unit that covers what is under it: drawing starts there.
    let cover = app.overlays.iter().rposition(|overlay| overlay.layer() != Layer::Dialog);
    match cover.map(|index| app.overlays[index].layer()) {
        Some(Layer::Window) => {}
        // The header, status and hints stay around a screen of the body.
        Some(_) => draw_base(frame, area, app, false, theme),
        None => draw_base(frame, area, app, true, theme),
    }
    for overlay in &app.overlays[cover.unwrap_or(0)..] {
        draw_unit(frame, area, app, overlay, theme);
    }
}

/// The bottom of the stack: the welcome screen, or the board's header, its
/// panes (unless a screen covers them), its status line and hints.
fn draw_base(frame: &mut Frame<'_>, area: Rect, app: &App, panes: bool, theme: Theme) {
    let Some(board) = &app.board else {
        welcome::draw(frame, area, app, theme);
        return;
    };
    let areas = layout::board_areas_beside(area, app.running_lines());
    header::draw(
        frame,
        areas.header,
        board,
        (app.today, &app.rhythm),
        (app.health_warnings, app.sync.as_ref()),
        &app.keymap,
        theme,
    );
    if panes {
        draw_panes(frame, &areas, app, board, theme);
    }
    draw_status(frame, areas.status, app, theme);
    draw_hints(frame, areas.hints, app, theme);
}

fn draw_panes(frame: &mut Frame<'_>, areas: &layout::BoardAreas, app: &App, board: &crate::domain::Board, theme: Theme) {
    if let Some(tabs) = areas.tabs {
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
}

/// One unit of the stack, over what is drawn under it.
fn draw_unit(frame: &mut Frame<'_>, area: Rect, app: &App, overlay: &Overlay, theme: Theme) {
    let body = layout::board_areas_beside(area, app.running_lines()).body();
    if overlay.layer() == Layer::Body {
        // A screen over another fills the body: nothing under it shows through.
        frame.render_widget(Clear, body);
    }
    match (overlay, &app.board) {
        (Overlay::Present(presentation), _) => present::draw(frame, area, app, presentation, theme.for_presentation()),
        (Overlay::Help { scroll }, _) => help::draw(frame, area, app, *scroll, theme),
        (Overlay::Detail { detail, scroll }, _) => detail::draw(frame, area, app, detail, *scroll, theme),
        (Overlay::Form(form), _) => dialogs::draw_form(frame, area, form, &app.keymap, theme),
        (Overlay::Confirm(confirm), _) => dialogs::draw_confirm(frame, area, confirm, &app.keymap, theme),
        (Overlay::Picker(picker), _) => dialogs::draw_picker(frame, area, picker, &app.keymap, theme),
        (Overlay::Carry(dialog), _) => dialogs::draw_carry(frame, area, dialog, &app.keymap, theme),
        (Overlay::Team { selected }, Some(board)) => team::draw(frame, area, app, board, *selected, theme),
        (Overlay::Quarters(screen), Some(board)) => quarters::draw(frame, body, app, board, screen, theme),
        (Overlay::Charts(screen), Some(board)) => charts::draw(frame, body, app, board, screen, theme),
        (Overlay::Health(screen), Some(board)) => health::draw(frame, body, board, screen, theme),
        (Overlay::Review(review), Some(board)) => review::draw(frame, body, app, board, review, theme),
        (Overlay::Planning(_), Some(board)) => planning::draw(frame, body, app, board, theme),
        (Overlay::Calendar(screen), Some(board)) => calendar::draw(frame, body, app, board, screen, theme),
        // The search line is drawn in the backlog's title; the screens
        // need a quarter, which they are never opened without.
        (Overlay::Search(_), _)
        | (
            Overlay::Team { .. }
            | Overlay::Quarters(_)
            | Overlay::Charts(_)
            | Overlay::Health(_)
            | Overlay::Review(_)
            | Overlay::Planning(_)
            | Overlay::Calendar(_),
            None,
        ) => {}
    }
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
        Some(status) => (status.text.clone(), if status.is_error { theme.error() } else { theme.good() }),
        None if app.write_is_waiting() => (app.waiting_line(), theme.warning()),
        None => return,
    };
    let line = text::fit(&text, usize::from(area.width.saturating_sub(1)));
    frame.render_widget(Paragraph::new(Line::styled(format!(" {line}"), style)), area);
}

/// The hint bar: the hinted actions of the current context, keys from the keymap.
fn draw_hints(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    frame.render_widget(Paragraph::new(hint_line(app, app.context(), area.width, theme)), area);
}

/// The hinted actions of `context` that fit in `width`, in the action
/// list's order; help and quit are always kept, and a `…` says where
/// others were left out (`hints::hint_line`).
pub(crate) fn hint_line(app: &App, context: Context, width: u16, theme: Theme) -> Line<'static> {
    // A dialog says its keys inside its frame (the search line has none:
    // its keys are hinted here).
    if matches!(context, Context::Form | Context::Picker | Context::Confirm) {
        return Line::raw("");
    }
    let hints: Vec<hints::Hint> = app
        .keymap
        .bindings(context)
        .filter(|(action, _)| action.hinted_in(context))
        // A closed quarter is read-only: its hints offer no edit.
        .filter(|(action, _)| !(action.edits() && app.board.as_ref().is_some_and(|board| board.quarter.is_closed())))
        .filter_map(|(action, _)| {
            let key = format!("[{}]", app.keymap.keys_label(context, action)?);
            let words = action.hint()?;
            Some(hints::for_action(action, key, words))
        })
        .collect();
    hints::hint_line(&hints, usize::from(width), theme)
}
