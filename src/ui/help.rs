//! The help overlay, generated from the keymap so it is never out of date.

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::Paragraph,
};

use super::{Theme, dialogs::popup, text};
use crate::app::{Action, App, Context};

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, scroll: u16, theme: Theme) {
    let title = match app.keymap.keys_label(Context::Viewer, Action::Back) {
        Some(key) => format!("Help: keys ({key} closes)"),
        None => "Help: keys".to_owned(),
    };
    let inner = popup(frame, area, (60, 80), (70, 16), &title, theme);
    // The keys of the screen the help was opened from come first, so they
    // show without scrolling; the others follow in their usual order.
    let here = app.context_under_help();
    let contexts = std::iter::once(here).chain(Context::ALL.into_iter().filter(|context| *context != here));
    let listing: Vec<(Context, Vec<(String, String)>)> = contexts
        .map(|context| {
            let rows = app
                .keymap
                .bindings(context)
                .map(|(action, keys)| {
                    (
                        keys.iter().map(|key| key.label()).collect::<Vec<_>>().join(", "),
                        // A line that names another key names the user's.
                        app.keymap.fill(context, action.description_in(context)),
                    )
                })
                .collect();
            (context, rows)
        })
        .collect();
    let key_width = listing.iter().flat_map(|(_, rows)| rows.iter().map(|(keys, _)| keys.chars().count())).max().unwrap_or(0) + 2;
    // A description longer than its column goes on under itself, never cut.
    // One column is left clear of the border, so that a description
    // filling its line does not read as one cut there.
    let description_width = usize::from(inner.width).saturating_sub(3 + key_width).max(1);
    let mut lines = Vec::new();
    // A damaged file: the whole advice comes first, which the banner on a
    // small screen only points to (`App::banner_lines`).
    if let Some(advice) = app.damage_banner() {
        let width = usize::from(inner.width).saturating_sub(1);
        for line in advice {
            lines.extend(text::wrap_whole(&line, width).into_iter().map(|part| Line::styled(part, theme.error())));
        }
        lines.push(Line::raw(""));
    }
    for (context, rows) in listing {
        let title = if context == here { format!("Here: {}", context.title()) } else { context.title().to_owned() };
        lines.push(Line::styled(title, theme.title()));
        for (keys, description) in rows {
            let mut keys = Some(keys);
            for part in text::wrap(&description, description_width) {
                let column = format!("  {:<key_width$}", keys.take().unwrap_or_default());
                lines.push(Line::from(vec![Span::styled(column, theme.key()), Span::raw(part)]));
            }
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("The board is saved as you go: there is no save key.", theme.dim()));
    if app.sync.is_some() {
        // Only a board tied to a repository numbers items provisionally.
        lines.push(Line::styled("An item shown #47* was numbered on this laptop since the last sync:", theme.dim()));
        lines.push(Line::styled(format!("{}.", crate::domain::codes::PROVISIONAL_NOTE), theme.dim()));
    }
    let max_scroll = u16::try_from(lines.len()).unwrap_or(u16::MAX).saturating_sub(inner.height);
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max_scroll), 0)), inner);
}
