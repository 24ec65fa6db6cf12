//! The retro's three lists on the review: each headed, its notes
//! numbered, the selected note (or an empty list's slot) highlighted. A
//! note that became a backlog item says so at its end, in its text.

use ratatui::text::Line;

use super::{Theme, text};
use crate::app::{Action, App, Context, review::Review};

/// The retro section, a line for each of the review's slots (as
/// `Review::slots` places them) under the headings; without `keys` (the
/// presentation) no cursor and no key to add a note.
pub(super) fn lines(app: &App, review: &Review, width: usize, theme: Theme, keys: bool) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("Retro: what do we keep, and what do we change?", theme.bold())];
    let add = if keys { app.keymap.keys_label(Context::Review, Action::Add).unwrap_or_default() } else { String::new() };
    let slots = review.slots();
    let mut number = 0;
    for (index, slot) in slots.iter().enumerate() {
        if index == 0 || slots[index - 1].list != slot.list {
            lines.push(Line::styled(text::fit(slot.list.heading(), width), theme.title()));
            number = 0;
        }
        // The cursor shows as a mark too, not only as colour.
        let (mark, style) = if keys && index == review.note_cursor { ("▸", theme.selected()) } else { (" ", theme.dim()) };
        let line = match slot.note {
            Some(note) => {
                number += 1;
                let plain = if note.became_item().is_some() { theme.dim() } else { Default::default() };
                let style = if mark == " " { plain } else { style };
                Line::styled(text::pad(&format!("{mark}{number:>2}. {}", note.text), width), style)
            }
            None if add.is_empty() => Line::styled(text::pad(&format!("{mark}    (none yet)"), width), style),
            None => Line::styled(text::pad(&format!("{mark}    (none yet: {add} adds one)"), width), style),
        };
        lines.push(line);
    }
    debug_assert_eq!(lines.len(), review.retro_height(), "the retro's lines and its slots disagree");
    lines
}
