//! What `quarterdeck sync` writes into the board (docs/sync.md): the
//! merged quarters as ONE undoable step together with the sync state, and
//! a merge that waits for choices. The import refuses to write over a
//! board that changed since the sync exported it (another window, another
//! process): the sync then starts over from the board as it is, so that
//! no edit is ever replaced by a stale copy.

use chrono::NaiveDate;

use super::{Store, StoreError, plan_difference::import_in, sync_state::update_link_in};
use crate::{
    domain::Id,
    plan::{Conflict, Plan},
};

/// What a completed merge leaves in the board's sync state, written in the
/// transaction of its import.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncedTo {
    /// The commit whose plan files the board now holds exactly.
    pub commit: String,
    /// `change_count` as the sync exported the board: the import's step
    /// must be the only change since.
    pub seen_changes: i64,
    /// The board's quarters as the sync exported them, if nothing else
    /// wrote the file while it did.
    pub read: Option<BoardAsRead>,
}

/// The board's quarters as a sync exported them, and the file's
/// `PRAGMA data_version` then: while no other connection has written the
/// file since (the same version under the import's lock), they are what
/// the board holds, and the import takes its difference from them instead
/// of exporting each quarter again (a tenth of a 10,000-item sync).
#[derive(Debug, Clone, PartialEq)]
pub struct BoardAsRead {
    pub data_version: i64,
    pub quarters: Vec<(Id, Plan)>,
}

/// How a sync's import names itself when undo or redo asks first: "the
/// sync with commit 54ffa4c (...)". The board words its question by it.
pub const SYNC_IMPORT_ASK: &str = "the sync with commit";

impl Store {
    /// Writes `plans` (each a new quarter, or in place of the quarter it
    /// names) as one step named `label`, and records that the board holds
    /// `to.commit`, in one transaction. Returns false, writing nothing, when
    /// the board changed since the sync read it.
    pub fn import_synced(
        &mut self,
        plans: &[(&Plan, Option<Id>)],
        today: NaiveDate,
        label: &str,
        to: &SyncedTo,
    ) -> Result<bool, StoreError> {
        let mut dates = Vec::with_capacity(plans.len());
        for (plan, replacing) in plans {
            plan.validate().map_err(StoreError::InvalidPlan)?;
            dates.push(plan.sprint_dates().map_err(StoreError::InvalidPlan)?);
            self.refuse_clashes(plan, *replacing)?;
        }
        let changed = std::cell::Cell::new(false);
        let written = self.record(label, |tx| {
            // The step this import records is one change; any other since
            // the export is someone's edit the merge did not see.
            let count: i64 = tx.query_row("SELECT change_count FROM sync_link WHERE id = 1", [], |row| row.get(0))?;
            if count != to.seen_changes + 1 {
                changed.set(true);
                return Err(rusqlite::Error::InvalidQuery);
            }
            let version: i64 = tx.query_row("PRAGMA data_version", [], |row| row.get(0))?;
            let as_read = to.read.as_ref().filter(|read| read.data_version == version);
            for ((plan, replacing), dates) in plans.iter().zip(&dates) {
                let board = as_read.and_then(|read| read.quarters.iter().find(|(id, _)| Some(*id) == *replacing));
                import_in(tx, plan, dates, today, *replacing, board.map(|(_, board)| board))?;
            }
            // One stray `u` would take a teammate's work off every laptop
            // with the next sync: the step asks first, as a quarter's close.
            let short: String = to.commit.chars().take(7).collect();
            super::history::ask_before_replay(
                tx,
                &format!("{SYNC_IMPORT_ASK} {short} (what it brought from the other laptops)"),
            )?;
            update_link_in(tx, |link| {
                link.synced_commit = Some(to.commit.clone());
                link.pending_theirs = None;
            })?;
            tx.execute("DELETE FROM sync_conflict", [])?;
            Ok(())
        });
        if changed.get() {
            return Ok(false);
        }
        written.map(|()| true)
    }

    /// A merge that waits for choices: the remote commit it merges and its
    /// conflicts (sides chosen before are kept for the same fields).
    pub fn record_waiting_merge(&mut self, theirs: &str, conflicts: &[Conflict], why: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            super::sync_state::replace_conflicts_in(tx, conflicts)?;
            update_link_in(tx, |link| {
                link.pending_theirs = Some(theirs.to_owned());
                link.last_error = Some(why.to_owned());
            })
        })
    }
}

impl Store {
    /// A completed exchange: the sync state `change` leaves, and no merge
    /// waiting any more.
    pub fn finish_sync(&mut self, change: impl FnOnce(&mut super::SyncLink)) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute("DELETE FROM sync_conflict", [])?;
            update_link_in(tx, |link| {
                link.pending_theirs = None;
                change(link);
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Plan;
    use crate::store::NewItem;

    /// A tied demo board and a merged plan of its quarter (one title
    /// changed), with the change count the sync saw.
    fn tied_with_a_merge(dir: &std::path::Path) -> (Store, NaiveDate, Id, i64, Plan) {
        let today = NaiveDate::from_ymd_opt(2027, 1, 4).expect("day");
        let mut store = Store::open(&dir.join("board.sqlite3")).expect("store");
        let quarter = store.import_plan(&Plan::demo(today).expect("demo"), today, false).expect("demo");
        store.set_sync_link("remote", "clone", "main", "quarterdeck").expect("tie");
        let seen = store.sync_link().expect("read").expect("tied").change_count;
        let mut merged = store.export_plan(quarter).expect("export");
        merged.items[0].title = "Merged title".into();
        (store, today, quarter, seen, merged)
    }

    #[test]
    fn an_import_over_a_board_changed_since_the_export_writes_nothing() {
        let dir = tempfile::tempdir().expect("temp");
        let (mut store, today, quarter, seen, merged) = tied_with_a_merge(dir.path());
        // Another window's edit lands between the export and the import.
        store
            .write(|tx| tx.execute("INSERT INTO history_step (label, state) VALUES ('Edited elsewhere', 'done')", []))
            .expect("edit");
        let to = SyncedTo { commit: "abc".into(), seen_changes: seen, read: None };
        assert!(!store.import_synced(&[(&merged, Some(quarter))], today, "Synced", &to).expect("asked"));
        assert_ne!(store.export_plan(quarter).expect("export").items[0].title, "Merged title");
        assert_eq!(store.sync_link().expect("read").expect("tied").synced_commit, None);
        let seen = store.sync_link().expect("read").expect("tied").change_count;
        let to = SyncedTo { commit: "abc".into(), seen_changes: seen, read: None };
        assert!(store.import_synced(&[(&merged, Some(quarter))], today, "Synced", &to).expect("written"));
        let quarter = store.quarter_by_label(Some("2026-Q4")).expect("read").expect("there");
        assert!(store.export_plan(quarter).expect("export").items.iter().any(|item| item.title == "Merged title"));
        assert_eq!(store.sync_link().expect("read").expect("tied").synced_commit.as_deref(), Some("abc"));
    }

    /// The import takes its difference from the board as the sync read it
    /// only while no other connection has written the file since: a write
    /// that records no step (here a title set by hand in SQL) is seen.
    #[test]
    fn an_import_reads_the_board_again_after_another_connections_write() {
        let dir = tempfile::tempdir().expect("temp");
        let (mut store, today, quarter, seen, merged) = tied_with_a_merge(dir.path());
        let as_read = store.export_plan(quarter).expect("export");
        let read_at = store.data_version().expect("version");
        let last = as_read.items.last().and_then(|item| item.number).expect("numbered");
        let mut other = Store::open(&dir.path().join("board.sqlite3")).expect("second connection");
        other.write(|tx| tx.execute("UPDATE item SET title = 'Set elsewhere' WHERE id = ?1", [last])).expect("written");
        let read = Some(BoardAsRead { data_version: read_at, quarters: vec![(quarter, as_read.clone())] });
        let to = SyncedTo { commit: "abc".into(), seen_changes: seen, read };
        assert!(store.import_synced(&[(&merged, Some(quarter))], today, "Synced", &to).expect("written"));
        assert_eq!(
            store.export_plan(quarter).expect("export"),
            merged,
            "the board is the merge, not the merge over a stale read"
        );

        // Nothing written since the read: the read is taken as the board.
        std::fs::create_dir(dir.path().join("again")).expect("folder");
        let (mut store, today, quarter, seen, merged) = tied_with_a_merge(&dir.path().join("again"));
        let read = Some(BoardAsRead {
            data_version: store.data_version().expect("version"),
            quarters: vec![(quarter, store.export_plan(quarter).expect("export"))],
        });
        let to = SyncedTo { commit: "abc".into(), seen_changes: seen, read };
        assert!(store.import_synced(&[(&merged, Some(quarter))], today, "Synced", &to).expect("written"));
        assert_eq!(store.export_plan(quarter).expect("export"), merged);
    }

    /// An item added here and renumbered by a sync (the other laptop's
    /// item took its number): undoing the add removes this item, under its
    /// new number, never the other laptop's item that took the old one
    /// (trial 19c: `u` removed a teammate's item everywhere).
    #[test]
    fn undoing_an_add_after_a_sync_renumbered_it_removes_that_item_not_the_one_with_its_old_number() {
        let dir = tempfile::tempdir().expect("temp");
        let (mut store, today, quarter, _, _) = tied_with_a_merge(dir.path());
        let new = |title: &str| NewItem {
            title: crate::domain::values::Title::parse(title).expect("title"),
            points: crate::domain::values::Points::parse("3").expect("points"),
            kind: crate::domain::ItemKind::Story,
            description: String::new(),
            deferred_reason: String::new(),
        };
        let mine = store.add_item(&new("Offline fraud rules"), None, "Added 'Offline fraud rules'").expect("added");
        store
            .set_item_state(mine, crate::domain::ItemState::Doing, today, "Moved 'Offline fraud rules' to doing")
            .expect("state");

        // The sync, another process: the remote's item keeps the number,
        // this laptop's moves past it.
        let mut sync = Store::open(&dir.path().join("board.sqlite3")).expect("the sync's connection");
        let mut merged = sync.export_plan(quarter).expect("export");
        let at = merged.items.iter().position(|item| item.number == Some(mine)).expect("mine");
        let mut theirs = merged.items[at].clone();
        merged.items[at].number = Some(mine + 1);
        (theirs.id, theirs.title) = (Some("00000000-0000-7000-8000-00000000abcd".into()), "Welcome email series".into());
        theirs.state = crate::domain::ItemState::Todo;
        merged.items.push(theirs);
        merged.item_numbers_used = Some(mine + 1);
        let seen = sync.sync_link().expect("read").expect("tied").change_count;
        let to = SyncedTo { commit: "abc".into(), seen_changes: seen, read: None };
        assert!(sync.import_synced(&[(&merged, Some(quarter))], today, "Synced", &to).expect("written"));

        assert_eq!(store.undo().expect("undone").as_deref(), Some("Moved 'Offline fraud rules' to doing"));
        assert_eq!(store.undo().expect("undone").as_deref(), Some("Added 'Offline fraud rules'"));
        let items = store.export_plan(quarter).expect("export").items;
        let theirs = items.iter().find(|item| item.number == Some(mine)).expect("the remote's item keeps its number");
        assert_eq!((theirs.title.as_str(), theirs.state), ("Welcome email series", crate::domain::ItemState::Todo));
        assert!(items.iter().all(|item| item.title != "Offline fraud rules"), "this laptop's item is gone");
    }

    #[test]
    fn a_syncs_import_asks_before_it_is_undone_or_redone() {
        let dir = tempfile::tempdir().expect("temp");
        let (mut store, today, quarter, seen, merged) = tied_with_a_merge(dir.path());
        let to = SyncedTo { commit: "54ffa4c0123".into(), seen_changes: seen, read: None };
        assert!(store.import_synced(&[(&merged, Some(quarter))], today, "Synced with commit 54ffa4c", &to).expect("written"));
        let (step, what) = store.undo_needs_asking().expect("read").expect("asks");
        assert!(what.starts_with("the sync with commit 54ffa4c "), "{what}");
        store.undo_step(step).expect("undone");
        assert_eq!(store.redo_needs_asking().expect("read").map(|(_, what)| what.starts_with(SYNC_IMPORT_ASK)), Some(true));
    }
}
