//! The one layout of a line of key hints (the board's hint bar, a screen's
//! or a dialog's key line, the presentation's footer): hints in order of
//! importance, the least important dropped when the line is too narrow
//! for the keys the user has, and a visible `…` where any was dropped.
//! Nothing is cut silently, whatever the keys' names' lengths.

use ratatui::{
    style::Style,
    text::{Line, Span},
};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use crate::app::Action;

/// Between two hints.
const GAP: &str = "  ";
/// Said where hints were left out for room.
const MORE: &str = "…";

/// One hint: the key as the line writes it (`esc`, `[?]`, `← →`), what
/// it does, and whether it stays however narrow the line (leaving, help).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub key: String,
    pub words: String,
    pub kept: bool,
}

impl Hint {
    pub fn new(key: impl Into<String>, words: impl Into<String>) -> Self {
        Self { key: key.into(), words: words.into(), kept: false }
    }

    /// A hint that is never dropped for room.
    pub fn kept(key: impl Into<String>, words: impl Into<String>) -> Self {
        Self { key: key.into(), words: words.into(), kept: true }
    }

    /// The words after the key, a space between; a hint without a key
    /// (`page 2/3`) is its words alone.
    fn said(&self) -> String {
        if self.key.is_empty() || self.words.is_empty() { self.words.clone() } else { format!(" {}", self.words) }
    }

    fn width(&self) -> usize {
        self.key.width() + self.said().width()
    }
}

/// Whether a hint for `action` stays however narrow its line: the way
/// out (back, cancel, no, quit) and help.
pub fn is_kept(action: Action) -> bool {
    matches!(action, Action::Back | Action::Cancel | Action::No | Action::Quit | Action::Help)
}

/// The hint for `action`: its key, its words, kept if `is_kept`.
pub fn for_action(action: Action, key: impl Into<String>, words: impl Into<String>) -> Hint {
    Hint { key: key.into(), words: words.into(), kept: is_kept(action) }
}

/// `hints`, most important first, on one line of `width` columns after a
/// leading space: what does not fit is left out from the least important
/// up, the kept ones last, and the line then ends in `…`. A line that
/// holds not even its kept hints is cut with `…`.
pub fn hint_line(hints: &[Hint], width: usize, theme: Theme) -> Line<'static> {
    let shown = chosen(hints, width.saturating_sub(1));
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    let mut room = |text: &str, style: Style, spans: &mut Vec<Span<'static>>| {
        let fitted = super::text::fit(text, width.saturating_sub(used));
        used += fitted.width();
        if !fitted.is_empty() {
            spans.push(Span::styled(fitted, style));
        }
    };
    for (index, hint) in shown.iter().enumerate() {
        if index > 0 {
            room(GAP, Style::default(), &mut spans);
        }
        room(&hint.key, theme.key(), &mut spans);
        room(&hint.said(), Style::default(), &mut spans);
    }
    if shown.len() < hints.len() {
        let gap = if shown.is_empty() { "" } else { " " };
        room(&format!("{gap}{MORE}"), theme.dim(), &mut spans);
    }
    Line::from(spans)
}

/// The hints that fit in `room` columns, in their order.
fn chosen(hints: &[Hint], room: usize) -> Vec<&Hint> {
    let line_width = |hints: &[&Hint]| -> usize {
        hints.iter().map(|hint| hint.width()).sum::<usize>() + GAP.len() * hints.len().saturating_sub(1)
    };
    let all: Vec<&Hint> = hints.iter().collect();
    if line_width(&all) <= room {
        return all;
    }
    // Room for ` …` at the end, then the kept hints, then the others in
    // order while they fit.
    let room = room.saturating_sub(1 + MORE.width());
    let mut keep: Vec<bool> = hints.iter().map(|hint| hint.kept).collect();
    let width_of =
        |keep: &[bool]| line_width(&hints.iter().zip(keep).filter(|(_, kept)| **kept).map(|(hint, _)| hint).collect::<Vec<_>>());
    for index in 0..hints.len() {
        if keep[index] {
            continue;
        }
        keep[index] = true;
        if width_of(&keep) > room {
            keep[index] = false;
        }
    }
    hints.iter().zip(keep).filter(|(_, kept)| *kept).map(|(hint, _)| hint).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line<'_>) -> String {
        line.spans.iter().map(|span| span.content.as_ref()).collect()
    }

    fn hints() -> Vec<Hint> {
        vec![
            Hint::new("j", "reads on"),
            Hint::new("i", "check in"),
            Hint::new("a", "adds a note"),
            Hint::new("b", "to backlog"),
            Hint::new("v", "verdict"),
            Hint::kept("backspace", "back"),
        ]
    }

    #[test]
    fn a_line_with_room_shows_every_hint_two_spaces_apart() {
        let line = hint_line(&hints(), 80, Theme::default());
        assert_eq!(text(&line), " j reads on  i check in  a adds a note  b to backlog  v verdict  backspace back");
    }

    #[test]
    fn a_narrow_line_drops_the_least_important_and_says_so() {
        let line = text(&hint_line(&hints(), 60, Theme::default()));
        assert_eq!(line, " j reads on  i check in  a adds a note  backspace back …");
        assert!(line.width() <= 60, "{line}");
        // Narrower than the kept hint itself: cut, visibly.
        let line = text(&hint_line(&[Hint::kept("ctrl-left", "back to the board")], 12, Theme::default()));
        assert!(line.ends_with('…') && line.width() <= 12, "{line}");
    }
}
