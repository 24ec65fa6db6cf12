//! Text on its way to the screen: made safe, then made to fit.
//!
//! Anything typed, pasted or imported may hold control characters or bidi
//! overrides that would move the cursor, change colours or reorder what a
//! reader sees. They are shown as visible symbols instead. Invisible
//! characters (soft hyphen, zero-width spaces and joiners, byte order mark)
//! are dropped: terminals give them width 0, 1 or join them with their
//! neighbours, so what ratatui counts and what the terminal draws would
//! differ, and borders would shift.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// The columns a grapheme cluster takes, as ratatui counts it: a flag (two
/// regional indicators), a skin-toned emoji, a letter with its combining
/// marks are each one cluster, measured and cut whole. Cutting inside one
/// left half a flag on screen, which terminals draw at another width than
/// ratatui counts, so a stray glyph stayed on the next screen.
fn columns(grapheme: &str) -> usize {
    grapheme.width()
}

/// The columns cleaned `text` takes on screen, cluster by cluster as
/// ratatui draws it.
pub fn width_of(text: &str) -> usize {
    text.graphemes(true).map(columns).sum()
}

/// Characters of no width that terminals disagree on: dropped.
fn is_invisible(ch: char) -> bool {
    matches!(ch, '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

fn is_unsafe(ch: char) -> bool {
    ch.is_control()
        || is_invisible(ch)
        || matches!(
            ch,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}'
        )
}

/// What one character of untrusted text is drawn as: itself, a visible
/// symbol of width 1, or nothing.
fn clean_char(ch: char) -> Option<char> {
    Some(match ch {
        '\t' => ' ',
        '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + ch as u32).unwrap_or('\u{FFFD}'),
        '\u{7F}' => '\u{2421}',
        // Line and paragraph separators break lines like `\n`: shown, as `\n` is.
        '\u{2028}' => '\u{2424}',
        '\u{2029}' => '¶',
        ch if is_invisible(ch) => return None,
        ch if is_unsafe(ch) => '\u{FFFD}',
        ch => ch,
    })
}

/// One line of untrusted text, safe to draw: C0 controls become their
/// control pictures (`␛`), line separators `␤` and `¶`, other controls and
/// bidi marks `�`; invisible characters are dropped.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter_map(clean_char).collect())
}

/// A line being typed, as drawn in `width` columns: the cleaned text from
/// the first column shown, and the cursor's column in it. `cursor` counts
/// the value's characters; the text scrolls to keep the cursor in view.
/// (The input widget's own columns count the characters cleaning drops or
/// replaces, so its cursor would stray from the cleaned text.)
pub fn input_line(value: &str, cursor: usize, width: usize) -> (String, usize) {
    let before = width_of(&value.chars().take(cursor).filter_map(clean_char).collect::<String>());
    let scroll = before.saturating_sub(width.saturating_sub(1));
    let mut skipped = 0;
    let mut shown = String::new();
    for grapheme in clean(value).graphemes(true) {
        if skipped < scroll {
            skipped += columns(grapheme);
        } else {
            shown.push_str(grapheme);
        }
    }
    (shown, before.saturating_sub(skipped))
}

/// Cleans `text` and cuts it to `width` columns, ending in `…` when cut;
/// never inside a grapheme cluster.
pub fn fit(text: &str, width: usize) -> String {
    let text = clean(text);
    if width_of(&text) <= width {
        return text.into_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for grapheme in text.graphemes(true) {
        let w = columns(grapheme);
        if used + w + 1 > width {
            break;
        }
        out.push_str(grapheme);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `text` cleaned, cut and padded with spaces to exactly `width` columns.
pub fn pad(text: &str, width: usize) -> String {
    let mut out = fit(text, width);
    let used = width_of(&out);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// `text` cleaned and broken into lines of at most `width` columns, at
/// spaces; a word longer than a line is cut with `…`. Nothing is lost
/// silently: where a line would be cut, the words go on the next.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_words(text, width, false)
}

/// `text` cleaned and broken into lines of at most `width` columns, at
/// spaces, like [`wrap`]; but a word longer than a line (a file's path) is
/// never cut: it is broken across lines, after a `/` where one falls in
/// the line, else where the line ends. Every character is kept.
pub fn wrap_whole(text: &str, width: usize) -> Vec<String> {
    wrap_words(text, width.max(1), true)
}

/// [`wrap`] and [`wrap_whole`]: a word longer than a line is cut, or
/// broken across lines when `whole`.
fn wrap_words(text: &str, width: usize, whole: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in clean(text).split(' ').filter(|word| !word.is_empty()) {
        let needed = if line.is_empty() { width_of(word) } else { width_of(&line) + 1 + width_of(word) };
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        if !whole {
            line.push_str(&fit(word, width));
            continue;
        }
        let mut rest = word;
        while width_of(rest) > width {
            let (head, tail) = split_long_word(rest, width);
            lines.push(head.to_owned());
            rest = tail;
        }
        line.push_str(rest);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A word longer than `width` split in two: the head fills at most
/// `width` columns and ends after its last `/` if it has one.
fn split_long_word(word: &str, width: usize) -> (&str, &str) {
    let mut end = 0;
    let mut after_slash = None;
    let mut used = 0;
    for (at, grapheme) in word.grapheme_indices(true) {
        let w = columns(grapheme);
        if used + w > width {
            break;
        }
        used += w;
        end = at + grapheme.len();
        if grapheme == "/" {
            after_slash = Some(end);
        }
    }
    // A grapheme wider than the whole line still goes somewhere.
    let end = after_slash.unwrap_or(end).max(word.graphemes(true).next().map_or(word.len(), str::len));
    word.split_at(end)
}

/// `text` cleaned and fit to `width` columns by leaving out its start,
/// marked `…`: the end of a path (the file's name) is what stays.
pub fn fit_left(text: &str, width: usize) -> String {
    let text = clean(text);
    if width_of(&text) <= width {
        return text.into_owned();
    }
    let mut kept = Vec::new();
    let mut used = 1;
    for grapheme in text.graphemes(true).rev() {
        let w = columns(grapheme);
        if used + w > width {
            break;
        }
        kept.push(grapheme);
        used += w;
    }
    if width == 0 {
        return String::new();
    }
    std::iter::once("…").chain(kept.into_iter().rev()).collect()
}

pub use crate::format::number;

/// A value with its unit: `15.1 %`, `2 s`, `104 tickets`.
pub fn with_unit(value: f64, unit: &str) -> String {
    let unit = clean(unit);
    if unit.is_empty() { number(value) } else { format!("{} {unit}", number(value)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_whole_breaks_a_long_path_after_a_slash_and_keeps_every_character() {
        let path = "/work/a-rather-long-folder/quarter-planning-2026/checkout-team-board.sqlite3";
        let lines = wrap_whole(&format!("DAMAGED: {path} · ok"), 30);
        assert!(lines.iter().all(|line| width_of(line) <= 30), "{lines:?}");
        assert!(lines.concat().contains(path), "{lines:?}");
        assert!(lines.iter().any(|line| line.ends_with("quarter-planning-2026/")), "{lines:?}");
        assert!(!lines.concat().contains('…'));
        assert_eq!(wrap_whole("abcdefgh", 3), ["abc", "def", "gh"]);
    }

    #[test]
    fn fit_left_keeps_the_end() {
        assert_eq!(fit_left("/a/b/board.sqlite3", 15), "…/board.sqlite3");
        assert_eq!(fit_left("short", 10), "short");
        assert_eq!(width_of(&fit_left("/a/very/long/path/board.sqlite3", 8)), 8);
    }

    #[test]
    fn control_and_bidi_characters_become_visible() {
        assert_eq!(clean("plain"), "plain");
        assert_eq!(clean("red\u{1b}[31m"), "red\u{241b}[31m");
        assert_eq!(clean("a\u{202E}b"), "a\u{FFFD}b");
        assert_eq!(clean("bell\u{7}"), "bell\u{2407}");
        assert_eq!(clean("tab\there"), "tab here");
        assert_eq!(clean("c1\u{9b}"), "c1\u{FFFD}");
    }

    #[test]
    fn invisible_characters_never_reach_the_screen() {
        // Width 0 in one terminal and 1 in another, or joining what is
        // around them: dropped.
        for ch in ['\u{AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'] {
            assert_eq!(clean(&format!("a{ch}b")), "ab", "U+{:04X}", u32::from(ch));
        }
        // Line breaks that are not control characters: a visible mark of width 1.
        assert_eq!(clean("a\u{2028}b\u{2029}c"), "a␤b¶c");
        let cleaned = clean("x\u{AD}\u{200B}\u{200C}\u{200D}\u{2028}\u{2029}\u{FEFF}y");
        assert_eq!(cleaned.width(), cleaned.chars().count(), "one column per character: {cleaned}");
        assert_eq!(pad("a\u{200B}\u{FEFF}b", 4), "ab  ");
    }

    #[test]
    fn an_input_line_keeps_its_cursor_on_the_cleaned_text() {
        // The cursor counts characters of the value; it lands after what
        // is drawn of the characters before it.
        assert_eq!(input_line("ab\u{200B}c", 3, 10), ("abc".to_owned(), 2));
        assert_eq!(input_line("ab\u{200B}c", 4, 10), ("abc".to_owned(), 3));
        assert_eq!(input_line("a\u{1b}b", 2, 10), ("a␛b".to_owned(), 2));
        // Scrolled so that the cursor stays in view, on the last column.
        assert_eq!(input_line("abcdef", 6, 4), ("def".to_owned(), 3));
        assert_eq!(input_line("日本語", 3, 4), ("語".to_owned(), 2));
    }

    /// Cut whole clusters only: a flag, a skin-toned emoji, a letter with
    /// its combining mark, CJK (#18: half a flag left a stray glyph).
    #[test]
    fn text_is_measured_and_cut_by_grapheme_cluster() {
        let flags = "\u{1F1F8}\u{1F1EA}\u{1F1F3}\u{1F1F4}"; // 🇸🇪🇳🇴
        assert_eq!(width_of(flags), 4);
        assert_eq!(fit(flags, 3), "\u{1F1F8}\u{1F1EA}…", "never half a flag");
        assert_eq!(fit(&format!("ab{flags}"), 4), "ab…", "the flag goes whole");
        let thumbs = "\u{1F44D}\u{1F3FD}"; // 👍🏽
        assert_eq!(fit(&format!("{thumbs}{thumbs}x"), 4), format!("{thumbs}…"));
        let accented = "e\u{301}"; // é as e + combining acute
        assert_eq!(fit(&format!("{accented}{accented}{accented}"), 2), format!("{accented}…"));
        assert_eq!(pad(accented, 3), format!("{accented}  "), "one column");
        assert_eq!(fit("日本語のテキスト", 7), "日本語…");
        // Joiners are dropped (terminals disagree on them): a family is
        // three faces, each measured as drawn.
        assert_eq!(clean("\u{1F468}\u{200D}\u{1F469}"), "\u{1F468}\u{1F469}");
        assert_eq!(input_line(flags, 4, 10), (flags.to_owned(), 4));
        assert_eq!(input_line(flags, 4, 3), ("\u{1F1F3}\u{1F1F4}".to_owned(), 2), "scrolled by whole flags");
        for text in [flags, thumbs, "e\u{301}x", "日本"] {
            for width in 0..6 {
                let cut = fit(text, width);
                assert!(width_of(&cut) <= width.max(1), "{text:?} at {width}: {cut:?}");
                assert!(cut.trim_end_matches('…').graphemes(true).all(|g| text.contains(g)), "{text:?} at {width}: {cut:?}");
            }
        }
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(fit("Checkout conversion", 30), "Checkout conversion");
        assert_eq!(fit("Checkout conversion", 10), "Checkout …");
        assert_eq!(fit("Checkout", 8), "Checkout");
        assert_eq!(fit("日本語のテキスト", 7), "日本語…");
        assert_eq!(pad("ab", 4), "ab  ");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_loses_nothing() {
        assert_eq!(wrap("Show or hide this help", 30), vec!["Show or hide this help"]);
        assert_eq!(wrap("Show or hide this help", 12), vec!["Show or hide", "this help"]);
        assert_eq!(wrap("Show or hide this help", 4), vec!["Show", "or", "hide", "this", "help"]);
        // A word longer than a line is cut, visibly.
        assert_eq!(wrap("a Quarterdeck", 6), vec!["a", "Quart…"]);
        assert_eq!(wrap("", 6), vec![""]);
    }

    /// `number` itself is tested where it lives (`crate::format`).
    #[test]
    fn a_value_goes_with_its_unit() {
        assert_eq!(with_unit(1.2, "s"), "1.2 s");
        assert_eq!(with_unit(20.0, ""), "20");
    }
}
