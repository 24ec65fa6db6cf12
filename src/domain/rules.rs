//! The method's checks on the backlog (method.md, "Rules the board checks").
//! The board warns and explains; it never blocks.

use super::KeyResult;

/// Titles compared as people read them: case, spacing and a closing full
/// stop do not make a different title.
fn normalise(text: &str) -> String {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    words.join(" ").trim_end_matches(['.', '!', ':', ';']).to_owned()
}

/// M10: the KR whose title an item's title copies, if any: a KR used as a
/// backlog item ("OKRs as sprint backlog" mistake).
pub fn copied_kr<'a>(title: &str, key_results: impl IntoIterator<Item = &'a KeyResult>) -> Option<&'a KeyResult> {
    let title = normalise(title);
    if title.is_empty() {
        return None;
    }
    key_results.into_iter().find(|kr| normalise(&kr.title) == title)
}

/// The one-line explanation the board shows with an M10 flag.
pub fn m10_explanation(kr: &KeyResult) -> String {
    format!(
        "M10: this title copies {} \"{}\". A KR is an outcome to move, not a task: name the work that moves it.",
        kr.code, kr.title
    )
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
