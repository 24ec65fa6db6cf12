//! The board's tie to a git repository and the state of its syncs (schema
//! v12, `sync_link` and `sync_conflict`; docs/sync.md). The sync itself
//! (git, the merge, the import) is `crate::sync`; this is what it keeps in
//! the board, and what the header and the conflict chooser read.
//!
//! Every value is read defensively (docs/reliability.md): a wrong type in
//! one of these columns reads as "none" or 0, never stops the board.

use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde_json::Value;

use super::{Store, StoreError};
use crate::plan::{Conflict, ConflictKind, ObjectKind, Side};

/// What `sync_link` holds (one row; none for a board never tied).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncLink {
    /// As given to `sync init`: a URL or a path.
    pub remote: String,
    /// The working clone the plan files are written in.
    pub clone_path: String,
    /// The remote branch the board follows.
    pub branch: String,
    /// The folder of the clone holding the plan files (`""`: the top).
    pub plan_dir: String,
    /// The commit whose plan files hold exactly what the board held at its
    /// last sync; none before the first.
    pub synced_commit: Option<String>,
    /// The newest commit the remote accepted from this board.
    pub pushed_commit: Option<String>,
    /// UTC `YYYY-MM-DDTHH:MM:SSZ` of the last completed exchange.
    pub last_sync_at: Option<String>,
    /// UTC, the last time the remote answered a fetch.
    pub last_fetch_at: Option<String>,
    /// The remote's commits not yet merged, as of the last fetch.
    pub incoming: i64,
    /// Bumped by every history step made, undone or redone.
    pub change_count: i64,
    /// `change_count` as of what the last push sent.
    pub pushed_count: i64,
    /// Item numbers up to this one are the remote's: fixed. Higher ones
    /// were given on this laptop since and may change at the next sync.
    pub numbers_fixed_upto: i64,
    /// The remote commit whose merge waits for choices.
    pub pending_theirs: Option<String>,
    /// Why the last sync stopped (offline, refused), or none.
    pub last_error: Option<String>,
}

impl SyncLink {
    /// Changes made on this board that the remote has not seen.
    pub fn waiting(&self) -> i64 {
        (self.change_count - self.pushed_count).max(0)
    }

    /// Whether item number `number` may still change at the next sync.
    pub fn is_provisional(&self, number: i64) -> bool {
        number > self.numbers_fixed_upto
    }
}

/// One conflict of the merge that waits, with the side chosen so far.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredConflict {
    pub conflict: Conflict,
    pub chosen: Option<Side>,
}

const LINK_COLUMNS: &str = "remote, clone_path, branch, plan_dir, synced_commit, pushed_commit, last_sync_at, \
     last_fetch_at, incoming, change_count, pushed_count, numbers_fixed_upto, pending_theirs, last_error";

/// Text as stored, or none for NULL and values of another type.
fn text(row: &Row<'_>, column: usize) -> Option<String> {
    match row.get_ref(column).ok()? {
        rusqlite::types::ValueRef::Text(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
        _ => None,
    }
}

/// A whole number as stored; 0 for anything else.
fn whole(row: &Row<'_>, column: usize) -> i64 {
    match row.get_ref(column) {
        Ok(rusqlite::types::ValueRef::Integer(value)) => value,
        _ => 0,
    }
}

fn link_of(row: &Row<'_>) -> SyncLink {
    SyncLink {
        remote: text(row, 0).unwrap_or_default(),
        clone_path: text(row, 1).unwrap_or_default(),
        branch: text(row, 2).unwrap_or_default(),
        plan_dir: text(row, 3).unwrap_or_default(),
        synced_commit: text(row, 4),
        pushed_commit: text(row, 5),
        last_sync_at: text(row, 6),
        last_fetch_at: text(row, 7),
        incoming: whole(row, 8),
        change_count: whole(row, 9),
        pushed_count: whole(row, 10),
        numbers_fixed_upto: whole(row, 11),
        pending_theirs: text(row, 12),
        last_error: text(row, 13),
    }
}

fn kind_word(kind: ConflictKind) -> &'static str {
    match kind {
        ConflictKind::BothChanged => "both_changed",
        ConflictKind::DeletedVsChanged { deleted_on: Side::Mine } => "deleted_by_mine",
        ConflictKind::DeletedVsChanged { deleted_on: Side::Theirs } => "deleted_by_theirs",
    }
}

fn kind_of(word: &str) -> ConflictKind {
    match word {
        "deleted_by_mine" => ConflictKind::DeletedVsChanged { deleted_on: Side::Mine },
        "deleted_by_theirs" => ConflictKind::DeletedVsChanged { deleted_on: Side::Theirs },
        _ => ConflictKind::BothChanged,
    }
}

fn object_word(object: ObjectKind) -> String {
    serde_json::to_value(object).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default()
}

fn object_of(word: &str) -> ObjectKind {
    use ObjectKind::{CheckIn, Item, KeyResult, Member, Objective, Quarter, RetroNote, Sprint};
    [Quarter, Objective, KeyResult, CheckIn, Sprint, RetroNote, Item, Member]
        .into_iter()
        .find(|kind| object_word(*kind) == word)
        .unwrap_or(Item)
}

fn side_word(side: Side) -> &'static str {
    match side {
        Side::Mine => "mine",
        Side::Theirs => "theirs",
    }
}

fn json(row: &Row<'_>, column: usize) -> Value {
    text(row, column).and_then(|text| serde_json::from_str(&text).ok()).unwrap_or(Value::Null)
}

impl Store {
    /// The board's tie to a repository, or none.
    pub fn sync_link(&self) -> Result<Option<SyncLink>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {LINK_COLUMNS} FROM sync_link WHERE id = 1"))?
            .query_row([], |row| Ok(link_of(row)))
            .optional()?)
    }

    /// The tie and the number of conflicts still to choose, as the header
    /// and `list`/`show` read them; none also for a board of a schema
    /// before v12 opened read-only (not migrated, so without the tables).
    pub fn sync_link_for_display(&self) -> Result<Option<(SyncLink, usize)>, StoreError> {
        let has_tables =
            self.conn.prepare_cached("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_link'")?.exists([])?;
        if !has_tables {
            return Ok(None);
        }
        let Some(link) = self.sync_link()? else { return Ok(None) };
        let open: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM sync_conflict WHERE chosen IS NULL")?
            .query_row([], |row| row.get(0))?;
        Ok(Some((link, usize::try_from(open).unwrap_or(0))))
    }

    /// Ties the board to a repository (`sync init`), in place of any tie it
    /// had: the sync state starts afresh, and every change on the board
    /// waits for the first sync.
    pub fn set_sync_link(&mut self, remote: &str, clone_path: &str, branch: &str, plan_dir: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute("DELETE FROM sync_conflict", [])?;
            tx.execute(
                "INSERT OR REPLACE INTO sync_link (id, remote, clone_path, branch, plan_dir, change_count, pushed_count)
                 VALUES (1, ?1, ?2, ?3, ?4, 1, 0)",
                params![remote, clone_path, branch, plan_dir],
            )?;
            Ok(())
        })
    }

    /// Unties the board (`sync init` elsewhere starts from none).
    pub fn remove_sync_link(&mut self) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute_batch("DELETE FROM sync_conflict; DELETE FROM sync_link;")?;
            Ok(())
        })
    }

    /// Changes the sync state in one transaction of its own (no undo
    /// step): `change` gets the link as the file holds it now, and what it
    /// leaves is written back. Nothing is written for a board never tied.
    pub fn update_sync_link(&mut self, change: impl FnOnce(&mut SyncLink)) -> Result<(), StoreError> {
        self.write(|tx| update_link_in(tx, change))
    }

    /// The conflicts of the merge that waits, in the order it found them.
    pub fn sync_conflicts(&self) -> Result<Vec<StoredConflict>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT object_kind, object_id, code, field, kind, base, mine, theirs, chosen
             FROM sync_conflict ORDER BY position",
        )?;
        let rows = statement.query_map([], |row| {
            let conflict = Conflict {
                kind: kind_of(&text(row, 4).unwrap_or_default()),
                object: object_of(&text(row, 0).unwrap_or_default()),
                id: text(row, 1).unwrap_or_default(),
                code: text(row, 2).unwrap_or_default(),
                field: text(row, 3).unwrap_or_default(),
                base: json(row, 5),
                mine: json(row, 6),
                theirs: json(row, 7),
            };
            let chosen = match text(row, 8).as_deref() {
                Some("mine") => Some(Side::Mine),
                Some("theirs") => Some(Side::Theirs),
                _ => None,
            };
            Ok(StoredConflict { conflict, chosen })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Chooses `side` for one conflict of the merge that waits (the board's
    /// chooser). Returns whether the conflict was still there.
    pub fn choose_sync_conflict(&mut self, object_id: &str, field: &str, side: Side) -> Result<bool, StoreError> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE sync_conflict SET chosen = ?3 WHERE object_id = ?1 AND field = ?2",
                params![object_id, field, side_word(side)],
            )?;
            Ok(changed > 0)
        })
    }
}

/// `Store::update_sync_link` inside a transaction the caller holds (the
/// sync's import writes the board and its sync state in one).
pub fn update_link_in(tx: &Transaction<'_>, change: impl FnOnce(&mut SyncLink)) -> rusqlite::Result<()> {
    let Some(mut link) =
        tx.query_row(&format!("SELECT {LINK_COLUMNS} FROM sync_link WHERE id = 1"), [], |row| Ok(link_of(row))).optional()?
    else {
        return Ok(());
    };
    change(&mut link);
    tx.execute(
        "UPDATE sync_link SET remote = ?1, clone_path = ?2, branch = ?3, plan_dir = ?4, synced_commit = ?5,
             pushed_commit = ?6, last_sync_at = ?7, last_fetch_at = ?8, incoming = ?9, change_count = ?10,
             pushed_count = ?11, numbers_fixed_upto = ?12, pending_theirs = ?13, last_error = ?14
         WHERE id = 1",
        params![
            link.remote,
            link.clone_path,
            link.branch,
            link.plan_dir,
            link.synced_commit,
            link.pushed_commit,
            link.last_sync_at,
            link.last_fetch_at,
            link.incoming,
            link.change_count,
            link.pushed_count,
            link.numbers_fixed_upto,
            link.pending_theirs,
            link.last_error
        ],
    )?;
    Ok(())
}

/// Puts `conflicts` in place of the waiting merge's, keeping the side
/// already chosen for a conflict found again (same object and field).
pub fn replace_conflicts_in(tx: &Transaction<'_>, conflicts: &[Conflict]) -> rusqlite::Result<()> {
    let mut chosen: std::collections::HashMap<(String, String), String> = std::collections::HashMap::new();
    {
        let mut statement = tx.prepare("SELECT object_id, field, chosen FROM sync_conflict WHERE chosen IS NOT NULL")?;
        let rows = statement.query_map([], |row| {
            Ok(((text(row, 0).unwrap_or_default(), text(row, 1).unwrap_or_default()), text(row, 2).unwrap_or_default()))
        })?;
        for row in rows {
            let (at, side) = row?;
            chosen.insert(at, side);
        }
    }
    tx.execute("DELETE FROM sync_conflict", [])?;
    let mut insert = tx.prepare(
        "INSERT OR REPLACE INTO sync_conflict (object_kind, object_id, code, field, kind, base, mine, theirs, chosen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for conflict in conflicts {
        let side = chosen.get(&(conflict.id.clone(), conflict.field.clone()));
        insert.execute(params![
            object_word(conflict.object),
            conflict.id,
            conflict.code,
            conflict.field,
            kind_word(conflict.kind),
            conflict.base.to_string(),
            conflict.mine.to_string(),
            conflict.theirs.to_string(),
            side
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conflict(id: &str, field: &str) -> Conflict {
        Conflict {
            kind: ConflictKind::BothChanged,
            object: ObjectKind::Item,
            id: id.into(),
            code: "#4".into(),
            field: field.into(),
            base: Value::from(3),
            mine: Value::from(5),
            theirs: Value::from(8),
        }
    }

    #[test]
    fn a_link_counts_the_changes_that_wait_and_keeps_chosen_sides() {
        let dir = tempfile::tempdir().expect("temp");
        let mut store = Store::open(&dir.path().join("board.sqlite3")).expect("store");
        assert_eq!(store.sync_link().expect("read"), None);
        store.set_sync_link("../remote.git", "/tmp/clone", "main", "").expect("tie");
        let link = store.sync_link().expect("read").expect("tied");
        assert_eq!((link.branch.as_str(), link.waiting()), ("main", 1), "a board never synced waits whole");
        store.update_sync_link(|link| link.pushed_count = link.change_count).expect("pushed");
        assert_eq!(store.sync_link().expect("read").expect("tied").waiting(), 0);
        store
            .write(|tx| {
                tx.execute("INSERT INTO history_step (label, state) VALUES ('Added', 'done')", [])?;
                // An undo as history.rs makes it: its reversal recorded as a
                // scratch step, folded into the step it undoes.
                tx.execute("INSERT INTO history_step (label, state) VALUES ('Added', 'undone')", [])?;
                tx.execute("DELETE FROM history_step WHERE id = last_insert_rowid()", [])?;
                tx.execute("UPDATE history_step SET state = 'undone'", [])?;
                replace_conflicts_in(tx, &[conflict("a", "points"), conflict("b", "title")])
            })
            .expect("a step, its undo, two conflicts");
        assert_eq!(store.sync_link().expect("read").expect("tied").waiting(), 2);
        assert!(store.choose_sync_conflict("a", "points", Side::Theirs).expect("chosen"));
        store.write(|tx| replace_conflicts_in(tx, &[conflict("a", "points")])).expect("found again");
        let stored = store.sync_conflicts().expect("read");
        assert_eq!(stored.len(), 1);
        assert_eq!((stored[0].conflict.clone(), stored[0].chosen), (conflict("a", "points"), Some(Side::Theirs)));
    }

    #[test]
    fn wrong_values_read_as_none() {
        let dir = tempfile::tempdir().expect("temp");
        let mut store = Store::open(&dir.path().join("board.sqlite3")).expect("store");
        store.set_sync_link("r", "c", "main", "").expect("tie");
        store.write(|tx| tx.execute("UPDATE sync_link SET incoming = 'zz', synced_commit = x'00'", [])).expect("spoil");
        let link = store.sync_link().expect("read").expect("tied");
        assert_eq!((link.incoming, link.synced_commit), (0, None));
    }
}
