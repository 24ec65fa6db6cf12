//! Retro notes (method: "Retro note per sprint: what went well, what to
//! improve, and OKR reflection"). Three lists per sprint, each in the
//! team's order. A "to improve" note can become a backlog item; the note
//! stays, and its text says which item it became, so the file read with
//! `sqlite3` says it too.

use super::{Id, codes};

/// The three lists of a sprint's retro, in the order the review shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetroList {
    WentWell,
    ToImprove,
    /// "Did the sprint move a KR?": the OKR side of the retro.
    OkrReflection,
}

impl RetroList {
    pub const ALL: [Self; 3] = [Self::WentWell, Self::ToImprove, Self::OkrReflection];

    /// The `category` column's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WentWell => "went_well",
            Self::ToImprove => "to_improve",
            Self::OkrReflection => "okr_reflection",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|list| list.as_str() == text)
    }

    /// The list's heading on the review.
    pub fn heading(self) -> &'static str {
        match self {
            Self::WentWell => "Went well",
            Self::ToImprove => "To improve",
            Self::OkrReflection => "OKR reflection: did the sprint move a KR?",
        }
    }

    /// The list in a sentence: "a note to 'to improve'".
    pub fn name(self) -> &'static str {
        match self {
            Self::WentWell => "went well",
            Self::ToImprove => "to improve",
            Self::OkrReflection => "OKR reflection",
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|list| *list == self).unwrap_or(0)
    }
}

/// One note in one of a sprint's three lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetroNote {
    pub id: Id,
    pub list: RetroList,
    pub text: String,
}

impl RetroNote {
    /// The item this note became, if it did.
    pub fn became_item(&self) -> Option<Id> {
        became_item(&self.text)
    }
}

/// The words before the item's code at the end of a note that became one.
const BECAME: &str = " (became item ";

/// `text` marked as having become item `id`: "Flaky deploys (became item #42)".
pub fn marked_as_item(text: &str, id: Id) -> String {
    format!("{text}{BECAME}{})", codes::item(id))
}

/// The item a note's text says it became: the mark `marked_as_item` adds.
pub fn became_item(text: &str) -> Option<Id> {
    let (_, code) = text.strip_suffix(')')?.rsplit_once(BECAME)?;
    code.strip_prefix('#')?.parse().ok()
}

/// Notes in the review's order: by list, then as `key` orders them within
/// a list (the store's position).
pub fn sort_notes<K: Ord>(notes: &mut [(RetroNote, K)]) {
    notes.sort_by(|(a, a_key), (b, b_key)| a.list.index().cmp(&b.list.index()).then(a_key.cmp(b_key)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_back_from_their_column() {
        for list in RetroList::ALL {
            assert_eq!(RetroList::parse(list.as_str()), Some(list));
        }
        assert_eq!(RetroList::parse("kudos"), None);
    }

    #[test]
    fn a_note_says_which_item_it_became() {
        let marked = marked_as_item("Flaky deploys", 42);
        assert_eq!(marked, "Flaky deploys (became item #42)");
        assert_eq!(became_item(&marked), Some(42));
        assert_eq!(became_item("Flaky deploys"), None);
        assert_eq!(became_item("Ship (became item #x)"), None);
        // Only the end counts: a note may quote another.
        assert_eq!(became_item("Like (became item #3) said, again"), None);
    }

    #[test]
    fn notes_sort_by_list_then_position() {
        let note = |id, list| RetroNote { id, list, text: String::new() };
        let mut notes = vec![
            (note(1, RetroList::OkrReflection), 1),
            (note(2, RetroList::WentWell), 2),
            (note(3, RetroList::WentWell), 1),
            (note(4, RetroList::ToImprove), 9),
        ];
        sort_notes(&mut notes);
        let ids: Vec<Id> = notes.iter().map(|(note, _)| note.id).collect();
        assert_eq!(ids, [3, 2, 4, 1]);
    }
}
