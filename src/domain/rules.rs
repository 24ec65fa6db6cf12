//! The method's checks on the backlog (method.md, "Rules the board checks").
//! The board warns and explains; it never blocks.

use super::KeyResult;

/// Titles compared as people read them: case, spacing and a closing full
/// stop do not make a different title. Lazy, so that comparing a title
/// with each KR's (every backlog row, every frame) allocates nothing and
/// mostly stops at the first letter.
fn normalised(text: &str) -> impl Iterator<Item = char> + Clone + '_ {
    let text = text.trim_end_matches(|ch: char| ch.is_whitespace() || matches!(ch, '.' | '!' | ':' | ';'));
    text.split_whitespace()
        .enumerate()
        .flat_map(|(index, word)| (index > 0).then_some(' ').into_iter().chain(word.chars().flat_map(char::to_lowercase)))
}

/// M10: the KR whose title an item's title copies, if any: a KR used as a
/// backlog item ("OKRs as sprint backlog" mistake).
pub fn copied_kr<'a>(title: &str, key_results: impl IntoIterator<Item = &'a KeyResult>) -> Option<&'a KeyResult> {
    let title = normalised(title);
    // An empty title copies nothing.
    title.clone().next()?;
    key_results.into_iter().find(|kr| normalised(&kr.title).eq(title.clone()))
}

/// Beginnings a title must have to copy one of `kr_titles` (as
/// [`copied_kr`] compares), for looking titles up in an index ordered as
/// SQLite's NOCASE orders (ASCII case folded, every other byte as stored):
/// a title that starts with none of them, so compared, copies none of the
/// KRs. This only narrows the search; `copied_kr` decides. Built from the
/// same normalisation, so the health check and the backlog's flag cannot
/// disagree: any title that starts with whitespace (dropped by the
/// comparison), and each KR's normalised title spelled with every
/// character whose lower case gives it (`K` for `k`, the Kelvin sign
/// too), up to its first space.
pub fn m10_title_prefixes<'a>(kr_titles: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut prefixes: Vec<String> = WHITESPACE.iter().map(char::to_string).collect();
    for kr_title in kr_titles {
        let wanted: Vec<char> = normalised(kr_title).collect();
        if !wanted.is_empty() {
            prefixes.extend(spellings(&wanted));
        }
    }
    // A prefix covered by a shorter one adds nothing to the search.
    prefixes.sort_by_key(|prefix| prefix.len());
    let mut kept: Vec<String> = Vec::new();
    for prefix in prefixes {
        if !kept.iter().any(|shorter| nocase_starts_with(&prefix, shorter)) {
            kept.push(prefix);
        }
    }
    kept
}

/// Whether `text` starts with `prefix` under SQLite's NOCASE (ASCII only).
pub fn nocase_starts_with(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len() && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Enough of a title to find it among 100,000 in a few index steps.
const PREFIX_BYTES: usize = 24;
/// Spellings kept per KR before stopping early (still a correct superset).
const MAX_SPELLINGS: usize = 32;

/// The ways a title can begin whose normalised form begins with `wanted`'s
/// first word, each as stored (one spelling stands for every ASCII case).
fn spellings(wanted: &[char]) -> Vec<String> {
    // (how much of `wanted` is spelled, the spelling)
    let mut open: Vec<(usize, String)> = vec![(0, String::new())];
    let mut done = Vec::new();
    while let Some((at, spelled)) = open.pop() {
        // Stop at a space (a title may put any whitespace there) and at
        // U+FFFD (a title's bytes that are not UTF-8 read as it).
        let stop = at == wanted.len() || matches!(wanted[at], ' ' | '\u{FFFD}') || spelled.len() >= PREFIX_BYTES;
        if stop || open.len() + done.len() >= MAX_SPELLINGS {
            done.push(spelled);
            continue;
        }
        let rest = &wanted[at..];
        // The character itself, and those whose lower case begins with it.
        let itself = (!lowers(rest[0])).then_some((rest[0], LowerCase::of(rest[0])));
        for (stored, lower) in itself.into_iter().chain(lowering_to(rest[0]).iter().copied()) {
            let lower = lower.as_slice();
            if stored.is_ascii_uppercase() || !rest.starts_with(lower) {
                continue;
            }
            let mut next = spelled.clone();
            next.push(stored);
            open.push((at + lower.len(), next));
        }
    }
    done
}

/// A character's lower case: one to three characters.
#[derive(Debug, Clone, Copy)]
struct LowerCase {
    chars: [char; 3],
    len: usize,
}

impl LowerCase {
    fn of(ch: char) -> Self {
        let mut chars = ['\0'; 3];
        let mut len = 0;
        for lower in ch.to_lowercase() {
            chars[len] = lower;
            len += 1;
        }
        Self { chars, len }
    }

    fn as_slice(&self) -> &[char] {
        &self.chars[..self.len]
    }
}

/// Whether `ch`'s lower case is something else.
fn lowers(ch: char) -> bool {
    let mut lower = ch.to_lowercase();
    lower.len() != 1 || lower.next() != Some(ch)
}

/// The characters other than ASCII capitals whose lower case begins with an
/// ASCII character (a test checks every character): for the usual, ASCII
/// KR title, the full table of [`lowering`] is never built (it takes a
/// few milliseconds).
const LOWERING_TO_ASCII: [(char, LowerCase); 2] = [
    ('\u{212A}', LowerCase { chars: ['k', '\0', '\0'], len: 1 }),
    ('\u{130}', LowerCase { chars: ['i', '\u{307}', '\0'], len: 2 }),
];

/// The characters whose lower case is not themselves and begins with
/// `first`, with their lower case (ASCII capitals left out for an ASCII
/// `first`: NOCASE folds them).
fn lowering_to(first: char) -> &'static [(char, LowerCase)] {
    if first.is_ascii() {
        let from = LOWERING_TO_ASCII.iter().position(|(_, lower)| lower.chars[0] == first);
        return from.map_or(&[], |from| &LOWERING_TO_ASCII[from..=from]);
    }
    let table = lowering();
    let from = table.partition_point(|(_, lower)| lower.chars[0] < first);
    let to = table.partition_point(|(_, lower)| lower.chars[0] <= first);
    &table[from..to]
}

/// Every character whose lower case is not itself, with its lower case,
/// ordered by the lower case's first character. Cased letters all lie
/// below U+1F000 (a test checks the whole range).
fn lowering() -> &'static [(char, LowerCase)] {
    static TABLE: std::sync::OnceLock<Vec<(char, LowerCase)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<(char, LowerCase)> =
            (0..CASED_BELOW).filter_map(char::from_u32).filter(|&ch| lowers(ch)).map(|ch| (ch, LowerCase::of(ch))).collect();
        table.sort_by_key(|(_, lower)| lower.chars[0]);
        table
    })
}

const CASED_BELOW: u32 = 0x1_F000;

/// Every character `char::is_whitespace` accepts (a test checks the list).
const WHITESPACE: [char; 25] = [
    '\u{9}', '\u{A}', '\u{B}', '\u{C}', '\u{D}', ' ', '\u{85}', '\u{A0}', '\u{1680}', '\u{2000}', '\u{2001}', '\u{2002}',
    '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}', '\u{2009}', '\u{200A}', '\u{2028}', '\u{2029}',
    '\u{202F}', '\u{205F}', '\u{3000}',
];

/// The one-line explanation the board shows with an M10 flag.
pub fn m10_explanation(kr: &KeyResult) -> String {
    format!(
        "M10: this title copies {} \"{}\". A KR is an outcome to move, not a task: name the work that moves it.",
        kr.code, kr.title
    )
}

/// Titles in status messages and history labels are cut to this many characters.
const TITLE_IN_STATUS: usize = 40;

/// A title as status messages and undo labels quote it: `'Export CSV'`,
/// cut with `…` when long.
pub fn quoted(title: &str) -> String {
    let cut: String = title.chars().take(TITLE_IN_STATUS).collect();
    if cut.len() < title.len() { format!("'{cut}…'") } else { format!("'{cut}'") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kr(code: &str, title: &str) -> KeyResult {
        KeyResult {
            id: 1,
            objective_id: 1,
            code: code.into(),
            title: title.into(),
            unit: "%".into(),
            start: 0.0,
            target: 1.0,
            current: 0.0,
            owner: String::new(),
            confidence: 50,
            check_ins: Vec::new(),
        }
    }

    #[test]
    fn an_item_titled_like_a_kr_is_flagged() {
        let krs = [kr("KR1.1", "Checkout conversion"), kr("KR1.2", "p95 checkout load time")];
        assert_eq!(copied_kr("Checkout conversion", &krs).map(|kr| kr.code.as_str()), Some("KR1.1"));
        assert_eq!(copied_kr("  checkout   CONVERSION. ", &krs).map(|kr| kr.code.as_str()), Some("KR1.1"));
        assert_eq!(copied_kr("P95 checkout load time", &krs).map(|kr| kr.code.as_str()), Some("KR1.2"));
    }

    #[test]
    fn every_title_the_flag_finds_starts_with_one_of_the_prefixes() {
        let titles = ["Increase checkout conversion", "Keep p95 load time under 2 s", "Ünïcode straße", "Ship it"];
        let krs: Vec<KeyResult> = titles.iter().map(|title| kr("KR1.1", title)).collect();
        let prefixes = m10_title_prefixes(titles);
        let copies = [
            "Increase checkout conversion",
            "INCREASE   checkout conversion.",
            "  increase checkout conversion",
            "\u{A0}Increase checkout conversion",
            "\tincrease\ncheckout conversion!",
            "\u{212A}eep P95 load time under 2 S",
            "KEEP p95 LOAD time under 2 s;",
            "ÜNÏCODE STRA\u{1E9E}E",
            "ünïcode straße",
            "SHIP IT",
            "ship\u{3000}it",
        ];
        for title in copies {
            assert!(copied_kr(title, &krs).is_some(), "the flag finds {title:?}");
            assert!(prefixes.iter().any(|prefix| nocase_starts_with(title, prefix)), "{title:?} in {prefixes:?}");
        }
        assert!(!prefixes.iter().any(|prefix| nocase_starts_with("Improve checkout", prefix)), "{prefixes:?}");
    }

    #[test]
    fn the_tables_behind_the_prefixes_hold_for_every_character() {
        for code in 0..=u32::from(char::MAX) {
            let Some(ch) = char::from_u32(code) else { continue };
            assert_eq!(ch.is_whitespace(), WHITESPACE.contains(&ch), "{code:#x}");
            if code >= CASED_BELOW {
                assert!(ch.to_lowercase().eq(std::iter::once(ch)), "{code:#x} has a lower case");
            }
            let first = ch.to_lowercase().next().unwrap_or(ch);
            if lowers(ch) && first.is_ascii() && !ch.is_ascii_uppercase() {
                let listed = LOWERING_TO_ASCII.iter().find(|(stored, _)| *stored == ch);
                assert!(listed.is_some_and(|(_, lower)| ch.to_lowercase().eq(lower.as_slice().iter().copied())), "{code:#x}");
            }
        }
    }

    #[test]
    fn work_that_moves_a_kr_is_not_flagged() {
        let krs = [kr("KR1.1", "Checkout conversion")];
        assert_eq!(copied_kr("A/B test checkout button copy", &krs), None);
        assert_eq!(copied_kr("Improve checkout conversion", &krs), None);
        assert_eq!(copied_kr("", &krs), None);
    }
}
