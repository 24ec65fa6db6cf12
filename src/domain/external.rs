//! An imported item's fields as the board holds them, and their
//! fingerprint: what tells "edited on the board since the last import"
//! (schema v11's `item_external.fingerprint`). The store hashes an item as
//! it is now and compares it with the hash the last import left; the
//! import hashes what a file would write to tell "unchanged" from
//! "updated". Both sides use this one function.

use super::{Id, ItemKind, ItemState};

/// Where an imported item came from: the tool and its key there, as the
/// item's details, `show` and `--json` (`"external"`) give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalKey {
    /// `jira-csv`, `linear-csv` or `taskwarrior`.
    pub source: String,
    /// `PROJ-123`, a Linear id, a Taskwarrior uuid.
    pub key: String,
}

/// The fields an import writes onto an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFields {
    pub title: String,
    pub description: String,
    pub points: u32,
    pub state: ItemState,
    pub kind: ItemKind,
    pub sprint: Option<Id>,
    /// The KRs it is tagged with, sorted.
    pub krs: Vec<Id>,
}

impl ImportedFields {
    /// A stable hash of the fields (FNV-1a, 64 bits, as 16 hex digits):
    /// the same fields give the same text on every build and platform.
    pub fn fingerprint(&self) -> String {
        let mut krs = self.krs.clone();
        krs.sort_unstable();
        let sprint = self.sprint.map_or_else(String::new, |sprint| sprint.to_string());
        let krs = krs.iter().map(Id::to_string).collect::<Vec<_>>().join(",");
        let points = self.points.to_string();
        // A separator no field holds (title and description are text a
        // user typed, but never a NUL) so fields cannot run into each other.
        let parts = [
            self.title.as_str(),
            self.description.as_str(),
            points.as_str(),
            self.state.as_str(),
            self.kind.as_str(),
            sprint.as_str(),
            krs.as_str(),
        ];
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for part in parts {
            for byte in part.bytes().chain(std::iter::once(0)) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> ImportedFields {
        ImportedFields {
            title: "Export CSV".into(),
            description: String::new(),
            points: 3,
            state: ItemState::Todo,
            kind: ItemKind::Story,
            sprint: Some(2),
            krs: vec![5, 1],
        }
    }

    #[test]
    fn the_fingerprint_is_stable_and_ignores_the_order_of_tags() {
        let sorted = ImportedFields { krs: vec![1, 5], ..fields() };
        assert_eq!(fields().fingerprint(), sorted.fingerprint());
        assert_eq!(fields().fingerprint().len(), 16);
    }

    #[test]
    fn every_field_changes_the_fingerprint() {
        let base = fields().fingerprint();
        let changed = [
            ImportedFields { title: "Export TSV".into(), ..fields() },
            ImportedFields { description: "x".into(), ..fields() },
            ImportedFields { points: 5, ..fields() },
            ImportedFields { state: ItemState::Done, ..fields() },
            ImportedFields { kind: ItemKind::Bug, ..fields() },
            ImportedFields { sprint: None, ..fields() },
            ImportedFields { krs: vec![1], ..fields() },
            // Fields cannot run into each other.
            ImportedFields { title: "Export CSVx".into(), description: String::new(), ..fields() },
        ];
        for other in changed {
            assert_ne!(other.fingerprint(), base, "{other:?}");
        }
    }
}
