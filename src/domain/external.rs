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
    /// The sprint and the KRs count by their stable ids (`sprint_uid`,
    /// `kr_uids`, the store reads them), not by row ids, so the hash stays
    /// true in a plan file imported into another board.
    pub fn fingerprint(&self, sprint_uid: Option<&str>, kr_uids: &[String]) -> String {
        let mut krs = kr_uids.to_vec();
        krs.sort_unstable();
        let sprint = sprint_uid.unwrap_or_default();
        let krs = krs.join(",");
        let points = self.points.to_string();
        // A separator no field holds (title and description are text a
        // user typed, but never a NUL) so fields cannot run into each other.
        let parts = [
            self.title.as_str(),
            self.description.as_str(),
            points.as_str(),
            self.state.as_str(),
            self.kind.as_str(),
            sprint,
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

    fn uids(uids: &[&str]) -> Vec<String> {
        uids.iter().map(|uid| (*uid).to_owned()).collect()
    }

    #[test]
    fn the_fingerprint_is_stable_and_ignores_the_order_of_tags() {
        let print = fields().fingerprint(Some("s-2"), &uids(&["kr-b", "kr-a"]));
        assert_eq!(print, fields().fingerprint(Some("s-2"), &uids(&["kr-a", "kr-b"])));
        assert_eq!(print.len(), 16);
    }

    #[test]
    fn every_field_changes_the_fingerprint() {
        let krs = uids(&["kr-a"]);
        let base = fields().fingerprint(Some("s-2"), &krs);
        let changed = [
            ImportedFields { title: "Export TSV".into(), ..fields() },
            ImportedFields { description: "x".into(), ..fields() },
            ImportedFields { points: 5, ..fields() },
            ImportedFields { state: ItemState::Done, ..fields() },
            ImportedFields { kind: ItemKind::Bug, ..fields() },
        ];
        for other in changed {
            assert_ne!(other.fingerprint(Some("s-2"), &krs), base, "{other:?}");
        }
        assert_ne!(fields().fingerprint(None, &krs), base);
        assert_ne!(fields().fingerprint(Some("s-2"), &[]), base);
        // Fields cannot run into each other.
        let joined = ImportedFields { title: "Export CSVx".into(), description: String::new(), ..fields() };
        let split = ImportedFields { title: "Export CSV".into(), description: "x".into(), ..fields() };
        assert_ne!(joined.fingerprint(None, &[]), split.fingerprint(None, &[]));
    }
}
