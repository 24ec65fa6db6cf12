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
    fn work_that_moves_a_kr_is_not_flagged() {
        let krs = [kr("KR1.1", "Checkout conversion")];
        assert_eq!(copied_kr("A/B test checkout button copy", &krs), None);
        assert_eq!(copied_kr("Improve checkout conversion", &krs), None);
        assert_eq!(copied_kr("", &krs), None);
    }
}
