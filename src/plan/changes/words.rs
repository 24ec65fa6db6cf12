//! The words of a change line: untrusted text made safe for one line and
//! cut, values as people write them, and the one-line summary.

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

/// Titles and notes in a change line are cut to this many characters.
const TEXT_IN_LINE: usize = 40;

/// A summary names at most this many changes, then how many more.
const NAMED_IN_SUMMARY: usize = 4;

/// Text from a plan file (anyone's laptop) made safe for one line: control
/// characters and line breaks become spaces, runs of spaces one, and it is
/// cut at `TEXT_IN_LINE` characters (whole graphemes) with `…`.
pub(super) fn one_line(text: &str) -> String {
    let spaced: String = text.chars().map(|ch| if ch.is_control() { ' ' } else { ch }).collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let joined = words.join(" ");
    let mut graphemes = joined.graphemes(true);
    let cut: String = graphemes.by_ref().take(TEXT_IN_LINE).collect();
    if graphemes.next().is_some() { format!("{cut}…") } else { cut }
}

/// Text quoted as the board quotes titles: `'Export CSV'`.
pub(super) fn quoted(text: &str) -> String {
    format!("'{}'", one_line(text))
}

/// A number as people write it: `80`, `0.5`.
pub(super) fn number(value: f64) -> String {
    crate::format::number(value)
}

/// A word the plan file spells an enum with (`two_weeks`, `active`).
pub(super) fn word(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(word)) => word,
        Ok(other) => other.to_string(),
        Err(_) => String::from("?"),
    }
}

/// `none` for a value a plan leaves out.
pub(super) fn or_none<T>(value: Option<T>, show: impl FnOnce(T) -> String) -> String {
    value.map_or_else(|| String::from("none"), show)
}

/// `CODE FIELD OLD → NEW` when the values differ.
pub(super) fn changed<T: PartialEq>(
    lines: &mut Vec<String>,
    code: &str,
    field: &str,
    before: &T,
    after: &T,
    show: impl Fn(&T) -> String,
) {
    if before != after {
        lines.push(format!("{code} {field} {} → {}", show(before), show(after)));
    }
}

/// `CODE FIELD: 'NEW'` when a text differs (`removed` when it went).
pub(super) fn text_changed(lines: &mut Vec<String>, code: &str, field: &str, before: &str, after: &str) {
    if before != after {
        let new = if after.trim().is_empty() { String::from("removed") } else { quoted(after) };
        lines.push(format!("{code} {field}: {new}"));
    }
}

/// What a change line names, without its values: `#12 points`,
/// `added #43`, `KR1.2 check-in`.
fn head(line: &str) -> String {
    if let Some((code, _)) = line.split_once(" checked in ") {
        return format!("{code} check-in");
    }
    let cuts = [" '", " (", ": ", " → "];
    let at = cuts.iter().filter_map(|cut| line.find(cut).map(|at| (at, *cut))).min();
    let head = match at {
        // `#12 points 3 → 5`: the old value goes with the new.
        Some((at, " → ")) => line[..at].rsplit_once(' ').map_or(&line[..at], |(head, _)| head),
        Some((at, _)) => &line[..at],
        None => line,
    };
    one_line(head)
}

/// One line for a commit's subject and a status bar:
/// `3 changes: added #43, #12 points, KR1.2 check-in`.
pub fn summary_of(lines: &[String]) -> String {
    if lines.is_empty() {
        return String::from("no changes");
    }
    let mut heads: Vec<String> = Vec::new();
    for line in lines {
        let head = head(line);
        if !heads.contains(&head) {
            heads.push(head);
        }
    }
    let more = heads.len().saturating_sub(NAMED_IN_SUMMARY);
    heads.truncate(NAMED_IN_SUMMARY);
    let mut named = heads.join(", ");
    if more > 0 {
        named.push_str(&format!(" and {more} more"));
    }
    let count = crate::format::count(u64::try_from(lines.len()).unwrap_or(u64::MAX), "change", "changes");
    format!("{count}: {named}")
}
