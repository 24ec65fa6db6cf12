//! Dialog frames (centred, with a shadow and a title that says what
//! happens), forms, pickers and confirmations.

use ratatui::{
    Frame,
    layout::{Margin, Position, Rect},
    style::Style,
    text::{Line, Span},
    widgets::{Block, Clear, Paragraph, Wrap},
};

use super::{Theme, hints, layout, text};
use crate::{
    app::{
        Action, Confirm, Context, Keymap, Pending,
        form::{FieldKind, Form, FormField, Purpose},
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
    // The two-window notice is wrapped, not cut: it names the fields.
    // As wide as the longest value needs (a long title shows whole on a
    // wide screen), from 62 columns up to the screen's width.
    let label_width = form.fields.iter().map(|field| field.label.chars().count()).max().unwrap_or(0) + 1;
    let longest = form.fields.iter().map(|field| text::clean(field.input.value()).chars().count()).max().unwrap_or(0);
    let min_width = u16::try_from(label_width + longest + 6).unwrap_or(u16::MAX).min(area.width.saturating_sub(4)).max(62);
    let frame_width = layout::centred(area, 60, 0, min_width, 0).width;
    let notice = form
        .notice
        .as_ref()
        .map(|notice| text::wrap(&keymap.fill(Context::Form, notice), usize::from(frame_width.saturating_sub(6))));
    let notice_lines = notice.as_ref().map_or(0, Vec::len);
    // The keys wrap too: a narrow screen drops none of them.
    let mut keys = vec![(Action::Save, form.submit), (Action::NextField, "next field")];
    if matches!(form.purpose, Purpose::EditSprint { .. }) {
        keys.push((Action::PickKrs, "KRs"));
    }
    keys.push((Action::Cancel, "cancels"));
    let key_lines = key_lines(keymap, Context::Form, &keys, usize::from(frame_width.saturating_sub(2)), theme);
    // A field's error, advice or help under it, wrapped, never cut.
    let notes: Vec<Vec<Line<'static>>> = form
        .fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            field_note(field, index == form.focused, advice, keymap, usize::from(frame_width.saturating_sub(6)), theme)
        })
        .collect();
    let note_lines: usize = notes.iter().map(Vec::len).sum();
    let height = u16::try_from(form.fields.len() + note_lines + notice_lines + 1 + key_lines.len()).unwrap_or(u16::MAX);
    let inner = popup(frame, area, (60, 0), (min_width, height + 2), &form.title, theme);
    let input_x = 2 + label_width;
    let width = usize::from(inner.width).saturating_sub(input_x + 1);
    let mut lines = Vec::new();
    for (index, part) in notice.into_iter().flatten().enumerate() {
        let mark = if index == 0 { '!' } else { ' ' };
        lines.push(Line::styled(format!(" {mark} {part}"), theme.warning()));
    }
    let mut cursor = None;
    for (index, field) in form.fields.iter().enumerate() {
        let focused = index == form.focused;
        let marker = if focused { "▸ " } else { "  " };
        // The field being typed in scrolls to its cursor; the others show
        // from their start, cut with `…` (not their end, cut silently).
        let (visible, cursor_column) = if focused {
            let (shown, cursor) = text::input_line(field.input.value(), field.input.cursor(), width);
            (scrolled_mark(field.input.value(), shown), cursor)
        } else {
            (text::fit(field.input.value(), width), 0)
        };
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
        lines.extend(notes[index].iter().cloned());
    }
    lines.push(Line::raw(""));
    lines.extend(key_lines);
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(position) = cursor {
        frame.set_cursor_position(position);
    }
}

/// The lines under a field: its error (`✗`), else the form's advice for
/// it (`!`), else, when focused, its help; each wrapped to `width` with
/// its mark's indent, so nothing is cut mid-sentence.
fn field_note(
    field: &FormField,
    focused: bool,
    advice: Option<(crate::domain::validate::Field, &str)>,
    keymap: &Keymap,
    width: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    let (mark, text, style) = match (&field.error, advice.filter(|(at, _)| *at == field.key)) {
        (Some(error), _) => ("✗ ", error.clone(), theme.error()),
        // Advice and help name keys as `{action}`: the user's keys.
        (None, Some((_, advice))) => ("! ", keymap.fill(Context::Form, advice), theme.warning()),
        (None, None) if focused => {
            // A field of a few words says how to step through them.
            let help = match field.kind {
                FieldKind::Choice(_) => format!("space: next · {}", field.help),
                _ => field.help.to_string(),
            };
            ("  ", keymap.fill(Context::Form, &help), theme.dim())
        }
        (None, None) => return Vec::new(),
    };
    text::wrap(&text, width)
        .into_iter()
        .enumerate()
        .map(|(index, part)| Line::styled(format!("  {}{part}", if index == 0 { mark } else { "  " }), style))
        .collect()
}

/// A typed line scrolled to its cursor starts with `…` where its start is
/// out of view, so that it does not read as the whole value.
fn scrolled_mark(value: &str, shown: String) -> String {
    if shown.is_empty() || text::clean(value).starts_with(shown.as_str()) {
        return shown;
    }
    // The first cluster (a flag, an accented letter) goes whole.
    let first = unicode_segmentation::UnicodeSegmentation::graphemes(shown.as_str(), true).next().unwrap_or_default();
    let rest = &shown[first.len()..];
    // A wide first cluster gives way to `…` and a space: the columns stay.
    let pad = if text::width_of(first) > 1 { " " } else { "" };
    format!("…{pad}{rest}")
}

/// A picker: several choices (KRs), or one (a sprint, a filter, a state).
pub fn draw_picker(frame: &mut Frame<'_>, area: Rect, picker: &Picker, keymap: &Keymap, theme: Theme) {
    let height = u16::try_from(picker.choices.len() + 4).unwrap_or(u16::MAX);
    let inner = popup(frame, area, (70, 0), (60, height + 2), &picker.title(), theme);
    let width = usize::from(inner.width.saturating_sub(7));
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
                (PickerKind::AddOkr | PickerKind::State | PickerKind::CheckIn | PickerKind::Focus, _) => "",
            };
            let (pointer, style) = selection(index == picker.cursor, theme);
            Line::styled(format!("{pointer}{mark}{}", text::pad(&choice.label, width)), style)
        })
        .collect();
    lines.push(Line::raw(""));
    let choose = match picker.kind {
        PickerKind::Tags | PickerKind::SprintKrs => "saves",
        PickerKind::Sprint => "plans it there",
        PickerKind::Filter => "turns it on or off",
        PickerKind::AddOkr | PickerKind::CheckIn | PickerKind::Focus => "opens its form",
        PickerKind::State => "sets it",
    };
    let mut keys = Vec::new();
    if picker.kind.ticks_several() {
        keys.push((Action::Toggle, "chooses or drops"));
    }
    keys.extend([(Action::Choose, choose), (Action::Cancel, "cancels")]);
    lines.push(key_line(keymap, Context::Picker, &keys, usize::from(inner.width), theme));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The start of a chooser's line and its style: the selected line is marked
/// `▶` as well as reversed, so it reads under `NO_COLOR` and on a projector.
fn selection(selected: bool, theme: Theme) -> (&'static str, Style) {
    if selected { ("▶ ", theme.selected()) } else { ("  ", Style::new()) }
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
        Pending::QuitDroppingWaiting => ("Quit?", "drops the change and quits", "waits for it"),
    };
    let inner = popup(frame, area, (90, 0), (62, 10), title, theme);
    let mut lines = vec![
        Line::styled(text::clean(&confirm.question).into_owned(), theme.bold()),
        Line::raw(text::clean(&confirm.details).into_owned()),
        Line::raw(""),
    ];
    let width = usize::from(inner.width.saturating_sub(2));
    lines.extend(key_lines(keymap, Context::Confirm, &[(Action::Yes, yes), (Action::No, no)], width, theme));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner.inner(Margin::new(1, 0)));
}

/// A dialog's or a screen's key line in `width` columns: each action with
/// the first key the keymap gives it in `context` and what it does here
/// ("enter saves  esc cancels"), most important first; leaving is never
/// dropped for room (`hints::hint_line`). An action the user left
/// without a key is left out.
pub(super) fn key_line(
    keymap: &Keymap,
    context: Context,
    actions: &[(Action, &str)],
    width: usize,
    theme: Theme,
) -> Line<'static> {
    let hints: Vec<hints::Hint> = actions
        .iter()
        .filter_map(|(action, what)| {
            let key = keymap.keys_label(context, *action)?;
            Some(hints::for_action(*action, key, *what))
        })
        .collect();
    hints::hint_line(&hints, width, theme)
}

/// A dialog's keys as `key_line` says them, on as many lines of `width`
/// columns as they need: a key is never cut from its words.
pub(super) fn key_lines(
    keymap: &Keymap,
    context: Context,
    actions: &[(Action, &str)],
    width: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (action, what) in actions {
        let Some(key) = keymap.keys_label(context, *action) else { continue };
        let words = format!(" {what}  ");
        let needed = key.chars().count() + words.trim_end().chars().count();
        // One column is left clear of the border, so that a line that
        // fills its room does not read as one cut there.
        if used + needed >= width && spans.len() > 1 {
            lines.push(Line::from(std::mem::replace(&mut spans, vec![Span::raw(" ")])));
            used = 1;
        }
        used += key.chars().count() + words.chars().count();
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(words));
    }
    lines.push(Line::from(spans));
    lines
}

/// Closing a sprint: each unfinished item and where it goes.
pub fn draw_carry(frame: &mut Frame<'_>, area: Rect, dialog: &CarryDialog, keymap: &Keymap, theme: Theme) {
    let title = format!("Close Sprint {}: where do its unfinished items go?", dialog.number);
    let to_width = 24;
    // As wide as the longest title needs, where the screen has room: a
    // wide screen shows whole what a narrow one cuts.
    let longest = dialog.items.iter().map(|(_, title, ..)| text::clean(title).chars().count()).max().unwrap_or(0);
    let wanted = u16::try_from(longest + to_width + 15).unwrap_or(u16::MAX).min(area.width.saturating_sub(4));
    let keys = [
        (Action::MoveDown, "move"),
        (Action::Toggle, "next place"),
        (Action::SameForAll, "same for all"),
        (Action::Choose, "asks to close"),
        (Action::Cancel, "cancels"),
    ];
    let frame_width = layout::centred(area, 80, 0, 64.max(wanted), 0).width;
    let key_lines = key_lines(keymap, Context::Carry, &keys, usize::from(frame_width.saturating_sub(2)), theme);
    let height = u16::try_from(dialog.items.len() + 3 + key_lines.len()).unwrap_or(u16::MAX);
    let inner = popup(frame, area, (80, 0), (64.max(wanted), height + 2), &title, theme);
    let rows = usize::from(inner.height.saturating_sub(2 + u16::try_from(key_lines.len()).unwrap_or(1))).max(1);
    let skip = (dialog.cursor + 1).saturating_sub(rows);
    let width = usize::from(inner.width).saturating_sub(to_width + 13);
    let mut lines: Vec<Line<'_>> = dialog
        .items
        .iter()
        .enumerate()
        .skip(skip)
        .take(rows)
        .map(|(index, (id, title, points, to))| {
            let (pointer, style) = selection(index == dialog.cursor, theme);
            let text = format!(
                "{pointer}{:>4} {} {:>3} pts → {}",
                codes::item(*id),
                text::pad(title, width),
                points,
                text::pad(&dialog.describe(*to), to_width)
            );
            Line::styled(text, style)
        })
        .collect();
    lines.push(Line::raw(""));
    let undo = keymap.key(Context::Review, Action::Undo);
    lines.push(Line::styled(format!(" The sprint's record is frozen when it closes; {undo} reopens it."), theme.dim()));
    lines.extend(key_lines);
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::scrolled_mark;

    #[test]
    fn a_line_scrolled_to_its_cursor_starts_with_an_ellipsis() {
        assert_eq!(scrolled_mark("Checkout", "Checkout".to_owned()), "Checkout");
        assert_eq!(scrolled_mark("Checkout conversion", "conversion".to_owned()), "…onversion");
        assert_eq!(scrolled_mark("ab日本", "日本".to_owned()), "… 本");
        assert_eq!(scrolled_mark("", String::new()), "");
    }
}
