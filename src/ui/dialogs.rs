//! Dialog frames (centred, with a shadow and a title that says what
//! happens), forms, pickers and confirmations.

use ratatui::{
    Frame,
    layout::{Margin, Position, Rect},
    style::Style,
    text::{Line, Span},
    widgets::{Block, Clear, Paragraph, Wrap},
};

use super::{Theme, layout, text};
use crate::{
    app::{
        Action, Confirm, Context, Keymap, Pending,
        form::{Form, Purpose},
        pickers::{Picker, PickerKind, Tick},
        review::CarryDialog,
    },
    domain::codes,
};

/// Draws an empty dialog of the given share of `area` and returns its inside.
pub(super) fn popup(frame: &mut Frame<'_>, area: Rect, size: (u16, u16), min: (u16, u16), title: &str, theme: Theme) -> Rect {
    let rect = layout::centred(area, size.0, size.1, min.0, min.1);
    let shadow = Rect::new(rect.x + 1, rect.y + 1, rect.width, rect.height).intersection(area);
    frame.render_widget(Block::new().style(theme.shadow()), shadow);
    frame.render_widget(Clear, rect);
    // Titles name items and members: untrusted text, cleaned like the rest.
    let title = format!(" {} ", text::fit(title, usize::from(rect.width.saturating_sub(4))));
    let block = Block::bordered().title(Line::styled(title, theme.title())).border_style(theme.border(true));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// A form: one line per field (label, then what is typed), and under the
/// focused field its help; under any field its error. Compact, so that a
/// KR's seven fields fit at 80x24.
pub fn draw_form(frame: &mut Frame<'_>, area: Rect, form: &Form, keymap: &Keymap, theme: Theme) {
    let advice = form.advice();
    let notes = form
        .fields
        .iter()
        .enumerate()
        .filter(|(index, field)| *index == form.focused || field.error.is_some() || advice.is_some_and(|(at, _)| at == field.key))
        .count();
    let notice = usize::from(form.notice.is_some());
    let height = u16::try_from(form.fields.len() + notes + notice + 2).unwrap_or(u16::MAX);
    let inner = popup(frame, area, (60, 0), (62, height + 2), &form.title, theme);
    let label_width = form.fields.iter().map(|field| field.label.chars().count()).max().unwrap_or(0) + 1;
    let input_x = 2 + label_width;
    let width = usize::from(inner.width).saturating_sub(input_x + 1);
    let note_width = usize::from(inner.width.saturating_sub(4));
    let mut lines = Vec::new();
    if let Some(notice) = &form.notice {
        lines.push(Line::styled(format!(" ! {}", text::fit(notice, note_width + 1)), theme.warning()));
    }
    let mut cursor = None;
    for (index, field) in form.fields.iter().enumerate() {
        let focused = index == form.focused;
        let marker = if focused { "▸ " } else { "  " };
        let (visible, cursor_column) = text::input_line(field.input.value(), field.input.cursor(), width);
        lines.push(Line::from(vec![
            Span::styled(marker, theme.key()),
            Span::styled(text::pad(&field.label, label_width), if focused { theme.bold() } else { Style::new() }),
            Span::styled(text::pad(&visible, width), theme.selected_unfocused()),
        ]));
        if focused {
            let offset = u16::try_from(input_x + cursor_column).unwrap_or(0);
            let y = inner.y + u16::try_from(lines.len() - 1).unwrap_or(0);
            cursor = Some(Position::new((inner.x + offset).min(inner.right().saturating_sub(1)), y));
        }
        match (&field.error, advice.filter(|(at, _)| *at == field.key)) {
            (Some(error), _) => lines.push(Line::styled(format!("  ✗ {}", text::fit(error, note_width)), theme.error())),
            (None, Some((_, advice))) => {
                lines.push(Line::styled(format!("  ! {}", text::fit(advice, note_width)), theme.warning()))
            }
            (None, None) if focused => {
                lines.push(Line::styled(format!("    {}", text::fit(&field.help, note_width)), theme.dim()));
            }
            (None, None) => {}
        }
    }
    lines.push(Line::raw(""));
    let mut keys = vec![(Action::Save, form.submit), (Action::NextField, "next field")];
    if matches!(form.purpose, Purpose::EditSprint { .. }) {
        keys.push((Action::PickKrs, "KRs"));
    }
    keys.push((Action::Cancel, "cancels"));
    lines.push(key_line(keymap, Context::Form, &keys, theme));
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(position) = cursor {
        frame.set_cursor_position(position);
    }
}

/// A picker: several choices (KRs), or one (a sprint, a filter, a state).
pub fn draw_picker(frame: &mut Frame<'_>, area: Rect, picker: &Picker, keymap: &Keymap, theme: Theme) {
    let height = u16::try_from(picker.choices.len() + 4).unwrap_or(u16::MAX);
    let inner = popup(frame, area, (70, 0), (60, height + 2), &picker.title(), theme);
    let width = usize::from(inner.width.saturating_sub(6));
    // On a short terminal the list scrolls to keep the cursor in view.
    let rows = usize::from(inner.height.saturating_sub(2)).max(1);
    let skip = (picker.cursor + 1).saturating_sub(rows);
    let mut lines: Vec<Line<'_>> = picker
        .choices
        .iter()
        .enumerate()
        .skip(skip)
        .take(rows)
        .map(|(index, choice)| {
            let mark = match (picker.kind, choice.chosen()) {
                (PickerKind::Tags, _) if choice.tick == Tick::Some => "[~] ",
                (PickerKind::Tags | PickerKind::SprintKrs, true) => "[x] ",
                (PickerKind::Tags | PickerKind::SprintKrs, false) => "[ ] ",
                (PickerKind::Sprint, true) => "(•) ",
                (PickerKind::Sprint, false) => "( ) ",
                (PickerKind::Filter, true) => "[on] ",
                (PickerKind::Filter, false) => "     ",
                (PickerKind::AddOkr | PickerKind::State | PickerKind::CheckIn, _) => "",
            };
            let style = if index == picker.cursor { theme.selected() } else { Style::new() };
            Line::styled(format!(" {mark}{}", text::pad(&choice.label, width)), style)
        })
        .collect();
    lines.push(Line::raw(""));
    let choose = match picker.kind {
        PickerKind::Tags | PickerKind::SprintKrs => "saves",
        PickerKind::Sprint => "plans it there",
        PickerKind::Filter => "turns it on or off",
        PickerKind::AddOkr | PickerKind::CheckIn => "opens its form",
        PickerKind::State => "sets it",
    };
    let mut keys = Vec::new();
    if picker.kind.ticks_several() {
        keys.push((Action::Toggle, "chooses or drops"));
    }
    keys.extend([(Action::Choose, choose), (Action::Cancel, "cancels")]);
    lines.push(key_line(keymap, Context::Picker, &keys, theme));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A question before a destructive action: what goes, and the keys.
pub fn draw_confirm(frame: &mut Frame<'_>, area: Rect, confirm: &Confirm, keymap: &Keymap, theme: Theme) {
    // Wrapped, never cut: the question names what will go.
    let (title, yes, no) = match confirm.action {
        Pending::Delete { .. } => ("Delete?", "deletes", "keeps it"),
        Pending::UndoForeign { .. } => ("Undo another window's step?", "undoes it", "leaves it"),
        Pending::Replay { redo: false, .. } => ("Undo?", "undoes it", "leaves it"),
        Pending::Replay { redo: true, .. } => ("Redo?", "redoes it", "leaves it"),
        Pending::StartSprint { .. } => ("Start the sprint?", "starts it", "not now"),
        Pending::CloseSprint { .. } => ("Close the sprint?", "closes it", "keeps it open"),
        Pending::CloseQuarter { .. } => ("Close the quarter?", "closes it", "keeps it open"),
    };
    let inner = popup(frame, area, (90, 0), (62, 10), title, theme);
    let lines = vec![
        Line::styled(text::clean(&confirm.question).into_owned(), theme.bold()),
        Line::raw(text::clean(&confirm.details).into_owned()),
        Line::raw(""),
        key_line(keymap, Context::Confirm, &[(Action::Yes, yes), (Action::No, no)], theme),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner.inner(Margin::new(1, 0)));
}

/// A dialog's key line: each action with the first key the keymap gives it
/// in `context` and what it does here ("enter saves  esc cancels"). An
/// action the user left without a key is left out.
pub(super) fn key_line(keymap: &Keymap, context: Context, actions: &[(Action, &str)], theme: Theme) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for (action, what) in actions {
        let Some(key) = keymap.keys_label(context, *action) else { continue };
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    Line::from(spans)
}

/// Closing a sprint: each unfinished item and where it goes.
pub fn draw_carry(frame: &mut Frame<'_>, area: Rect, dialog: &CarryDialog, keymap: &Keymap, theme: Theme) {
    let height = u16::try_from(dialog.items.len() + 4).unwrap_or(u16::MAX);
    let title = format!("Close Sprint {}: where do its unfinished items go?", dialog.number);
    let inner = popup(frame, area, (80, 0), (64, height + 2), &title, theme);
    let rows = usize::from(inner.height.saturating_sub(3)).max(1);
    let skip = (dialog.cursor + 1).saturating_sub(rows);
    let to_width = 24;
    let width = usize::from(inner.width).saturating_sub(to_width + 12);
    let mut lines: Vec<Line<'_>> = dialog
        .items
        .iter()
        .enumerate()
        .skip(skip)
        .take(rows)
        .map(|(index, (id, title, points, to))| {
            let style = if index == dialog.cursor { theme.selected() } else { Style::new() };
            let text = format!(
                " {:>4} {} {:>3} pts → {}",
                codes::item(*id),
                text::pad(title, width),
                points,
                text::pad(&dialog.describe(*to), to_width)
            );
            Line::styled(text, style)
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(" The sprint's record is frozen when it closes; u reopens it.", theme.dim()));
    lines.push(key_line(
        keymap,
        Context::Carry,
        &[
            (Action::MoveDown, "move"),
            (Action::Toggle, "next place"),
            (Action::SameForAll, "same for all"),
            (Action::Choose, "closes"),
            (Action::Cancel, "cancels"),
        ],
        theme,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
