//! Text on its way to the screen: made safe, then made to fit.
//!
//! Anything typed, pasted or imported may hold control characters or bidi
//! overrides that would move the cursor, change colours or reorder what a
//! reader sees. They are shown as visible symbols instead.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

fn is_unsafe(ch: char) -> bool {
    ch.is_control() || matches!(ch, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// One line of untrusted text, safe to draw: C0 controls become their
/// control pictures (`␛`), other controls and bidi marks become `�`.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|ch| match ch {
                '\t' => ' ',
                '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + ch as u32).unwrap_or('\u{FFFD}'),
                '\u{7F}' => '\u{2421}',
                ch if is_unsafe(ch) => '\u{FFFD}',
                ch => ch,
            })
            .collect(),
    )
}

/// Cleans `text` and cuts it to `width` columns, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    let text = clean(text);
    if text.width() <= width {
        return text.into_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
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
    let used = out.width();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// A number as people write it: no trailing zeros, at most two decimals.
pub fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

/// A value with its unit: `15.1 %`, `2 s`, `104 tickets`.
pub fn with_unit(value: f64, unit: &str) -> String {
    let unit = clean(unit);
    if unit.is_empty() { number(value) } else { format!("{} {unit}", number(value)) }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(fit("Checkout conversion", 30), "Checkout conversion");
        assert_eq!(fit("Checkout conversion", 10), "Checkout …");
        assert_eq!(fit("Checkout", 8), "Checkout");
        assert_eq!(fit("日本語のテキスト", 7), "日本語…");
        assert_eq!(pad("ab", 4), "ab  ");
    }

    #[test]
    fn numbers_drop_needless_zeros() {
        assert_eq!(number(20.0), "20");
        assert_eq!(number(15.10), "15.1");
        assert_eq!(number(2.346), "2.35");
        assert_eq!(number(-0.001), "0");
        assert_eq!(with_unit(1.2, "s"), "1.2 s");
    }
}
