//! The conflict chooser: each conflicting field of the merge that waits,
//! with mine, theirs and the base stacked under it, the side chosen marked
//! with `✓` (so it reads under NO_COLOR). The list scrolls to keep the
//! selected field in view; values are cut by grapheme with `…`.

use ratatui::{
    Frame,
    layout::Rect,
    text::Line,
    widgets::{Block, Paragraph},
};

use super::{Theme, text};
use crate::{
    app::{
        Action, App, Context,
        sync_chooser::{SyncChooser, field_label},
    },
    plan::Side,
    sync::readable::side_value,
};

/// Lines each conflict takes: its heading, mine, theirs, the base.
const LINES_PER_CONFLICT: usize = 4;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, chooser: &SyncChooser, theme: Theme) {
    let left = chooser.unchosen();
    let waiting = match left {
        0 => "every field chosen".to_owned(),
        1 => "1 field to choose".to_owned(),
        left => format!("{left} fields to choose"),
    };
    let title = format!(" Sync conflicts · {waiting} ");
    let keys = |action| app.keymap.keys_label(Context::SyncConflicts, action);
    let mut block = Block::bordered().title(Line::styled(title, theme.title())).border_style(theme.border(true));
    if let (Some(mine), Some(theirs), Some(done)) = (keys(Action::TakeMine), keys(Action::TakeTheirs), keys(Action::Sync)) {
        block = block
            .title_bottom(Line::styled(format!(" {mine}: mine · {theirs}: theirs · {done}: complete the merge "), theme.dim()));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let width = usize::from(inner.width);
    let height = usize::from(inner.height).max(1);
    let mut lines = Vec::new();
    for (index, row) in chooser.rows.iter().enumerate() {
        let conflict = &row.stored.conflict;
        let is_selected = index == chooser.selected;
        let marker = if is_selected { "›" } else { " " };
        let state = match row.stored.chosen {
            Some(Side::Mine) => "chosen: mine",
            Some(Side::Theirs) => "chosen: theirs",
            None => "to choose",
        };
        let head = format!(" {marker} {}", text::clean(&conflict.code));
        let tail = format!(" · {} · {state}", text::clean(&field_label(conflict)));
        // A long title gives way to the field and what was chosen, which
        // the row must say (also under NO_COLOR).
        let room = width.saturating_sub(text::width_of(&head) + text::width_of(&tail) + 3);
        let title = row
            .title
            .as_deref()
            .filter(|_| room >= 4)
            .map(|title| format!(" '{}'", text::fit(&text::clean(title), room)))
            .unwrap_or_default();
        let heading = format!("{head}{title}{tail}");
        let style = match (is_selected, row.stored.chosen) {
            (true, _) => theme.selected(),
            (false, None) => theme.warning(),
            (false, Some(_)) => theme.bold(),
        };
        lines.push(Line::styled(text::pad(&heading, width), style));
        for (side, word) in [(Some(Side::Mine), "mine"), (Some(Side::Theirs), "theirs"), (None, "base")] {
            let tick = if side.is_some() && side == row.stored.chosen { "✓" } else { " " };
            let value = format!("     {tick} {} {}", text::pad(word, 7), text::clean(&side_value(conflict, side)));
            let style = if side.is_none() { theme.dim() } else { ratatui::style::Style::default() };
            lines.push(Line::styled(text::fit(&value, width), style));
        }
    }
    // Scrolled just enough that the selected conflict shows whole.
    let bottom = (chooser.selected + 1) * LINES_PER_CONFLICT;
    let scroll = bottom.saturating_sub(height);
    let visible: Vec<Line<'_>> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}
