//! Items imported from another tool (schema v11's `item_external`): each
//! keeps its key in that tool, so importing the file again updates it,
//! and the fingerprint of its fields as the last import wrote them, so an
//! item edited on the board since is kept unless the import overwrites.
//!
//! A whole import is one transaction and one undo step, written item by
//! item as the file is read ([`Store::write_external`]): nothing of the
//! file is held whole, and an error anywhere rolls everything back.

use std::{
    cell::{Cell, RefCell},
    collections::{HashMap, HashSet},
};

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{
    CACHE_KIB, Store, StoreError,
    plan_import::{NEXT_ITEM_NUMBER, RANK_GAP},
};
use crate::domain::{
    Id, ItemKind, ItemState,
    external::{ExternalKey, ImportedFields},
};

/// One item of a file, mapped to what the board holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalWrite {
    pub source: &'static str,
    pub key: String,
    pub fields: ImportedFields,
    /// Its done date, when it is done (else today when it becomes done).
    pub done_on: Option<NaiveDate>,
    /// The file says nothing of KRs (no `--map` given): an item it updates
    /// keeps the board's KR tags. (A file whose sprint maps to no open
    /// sprint likewise leaves an updated item in the sprint it is in.)
    pub keep_krs: bool,
}

/// What writing one item did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Created(Id),
    Updated(Id),
    Unchanged(Id),
    /// Changed on the board since the last import: the board's values kept.
    KeptBoardEdit(Id),
    /// In a closed sprint (number given), whose record stays as it was:
    /// the file's changes are not taken.
    InClosedSprint(Id, u32),
}

impl Written {
    /// The item written (or kept).
    pub fn id(self) -> Id {
        match self {
            Self::Created(id)
            | Self::Updated(id)
            | Self::Unchanged(id)
            | Self::KeptBoardEdit(id)
            | Self::InClosedSprint(id, _) => id,
        }
    }
}

/// The import's handle on its open transaction.
pub struct ExternalBatch<'a> {
    tx: &'a Transaction<'a>,
    today: NaiveDate,
    /// The number and rank the next new item takes: read once, as the
    /// transaction holds the write lock and nobody else adds items.
    next: Cell<Option<(Id, i64)>>,
    /// Stable ids of the sprints and KRs met so far, by row id: a file
    /// names a few of them again and again.
    uids: RefCell<HashMap<(&'static str, Id), String>>,
    /// New items not yet inserted: written [`INSERTED_TOGETHER`] at a time
    /// by one multi-row INSERT, which costs SQLite one statement (and one
    /// statement journal of the pages it touches) instead of one each.
    pending: RefCell<Vec<NewItem>>,
    /// The keys of `pending`, so a key met twice in one file finds its item.
    pending_keys: RefCell<HashSet<String>>,
}

/// The page cache while importing, in KiB (negative: KiB, not pages).
const IMPORT_CACHE_KIB: i64 = -32_000;

/// New items inserted by one statement: a few hundred, far below SQLite's
/// limit of bound values (10 a row), and a buffer of flat size.
const INSERTED_TOGETHER: usize = 200;

/// A new item waiting in [`ExternalBatch::pending`], with its number, rank,
/// stable id and fingerprint already decided.
struct NewItem {
    id: Id,
    rank: i64,
    uid: String,
    print: String,
    done_on: Option<String>,
    kind: &'static str,
    state: &'static str,
    write: ExternalWrite,
}

impl Store {
    /// Runs `work` as one import named `label`: one transaction and one undo
    /// step that `work` fills through [`ExternalBatch::write`]. `work`'s
    /// error rolls back everything and comes back as it is; with `dry_run`
    /// everything runs and is rolled back at the end, and no step is kept.
    pub fn write_external<T, E: From<StoreError>>(
        &mut self,
        label: &str,
        dry_run: bool,
        today: NaiveDate,
        work: impl FnOnce(&ExternalBatch<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut failed: Option<E> = None;
        let run = |tx: &Transaction<'_>| -> rusqlite::Result<T> {
            let batch = ExternalBatch {
                tx,
                today,
                next: Cell::new(None),
                uids: RefCell::new(HashMap::new()),
                pending: RefCell::new(Vec::with_capacity(INSERTED_TOGETHER)),
                pending_keys: RefCell::new(HashSet::new()),
            };
            let value = work(&batch).map_err(|error| {
                failed = Some(error);
                // Only says "roll back": the caller gets `failed`.
                rusqlite::Error::InvalidQuery
            })?;
            batch.insert_pending()?;
            Ok(value)
        };
        // Each row's INSERT runs triggers, so SQLite keeps a statement
        // journal of the pages it touches, by default in a temporary file:
        // at 100,000 rows that file's writes were most of the import's time.
        // In memory for the import only (it holds one statement's pages).
        self.conn.pragma_update(None, "temp_store", "MEMORY").map_err(StoreError::from)?;
        // A larger page cache for the import: at 100,000 items the indexes
        // outgrow the usual 16 MiB and pages spill to the WAL mid-import
        // (a tenth of its time). A fixed size: memory stays flat whatever
        // the file's size.
        self.conn.pragma_update(None, "cache_size", IMPORT_CACHE_KIB).map_err(StoreError::from)?;
        let result = if dry_run {
            self.ensure_writable().and_then(|()| {
                // Dropped, not committed: a dry run leaves the file as it was.
                let tx = self.begin_immediate()?;
                Ok(run(&tx)?)
            })
        } else {
            self.record(label, run)
        };
        // Back to the default whatever happened, before any error goes out.
        self.conn.pragma_update(None, "temp_store", "DEFAULT").map_err(StoreError::from)?;
        self.conn.pragma_update(None, "cache_size", CACHE_KIB).map_err(StoreError::from)?;
        match (result, failed) {
            (_, Some(error)) => Err(error),
            (Ok(value), None) => Ok(value),
            (Err(error), None) => Err(error.into()),
        }
    }

    /// The external key of item `id`, when it was imported.
    pub fn external_key(&self, id: Id) -> Result<Option<ExternalKey>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT source, key FROM item_external WHERE item_id = ?1")?
            .query_row([id], |row| Ok(ExternalKey { source: row.get(0)?, key: row.get(1)? }))
            .optional()?)
    }
}

impl ExternalBatch<'_> {
    /// Writes one item: a new one, or onto the item imported before under
    /// the same source and key. That item, edited on the board since the
    /// last import, keeps the board's values unless `overwrite`.
    pub fn write(&self, item: &mut ExternalWrite, overwrite: bool) -> rusqlite::Result<Written> {
        let tx = self.tx;
        if self.pending_keys.borrow().contains(&item.key) {
            self.insert_pending()?;
        }
        let known: Option<(Id, String)> = tx
            .prepare_cached("SELECT item_id, fingerprint FROM item_external WHERE source = ?1 AND key = ?2")?
            .query_row(params![item.source, item.key], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let Some((id, last_print)) = known else {
            return Ok(Written::Created(self.insert(item)?));
        };
        let board = board_fields(tx, id)?;
        let board_print = self.fingerprint(&board)?;
        if board_print != last_print && !overwrite && !self.only_carried_over(id, &board, &last_print)? {
            return Ok(Written::KeptBoardEdit(id));
        }
        // What the file does not say stays as the board has it, so that an
        // item otherwise unchanged stays "unchanged".
        if item.keep_krs {
            item.fields.krs.clone_from(&board.krs);
        }
        if item.fields.sprint.is_none() {
            item.fields.sprint = board.sprint;
        }
        let new_print = self.fingerprint(&item.fields)?;
        let written = if board_print == new_print {
            Written::Unchanged(id)
        } else if let Some(sprint) = closed_sprint_of(tx, id)? {
            return Ok(Written::InClosedSprint(id, sprint));
        } else {
            self.update(id, item)?;
            Written::Updated(id)
        };
        tx.prepare_cached("UPDATE item_external SET fingerprint = ?1 WHERE item_id = ?2 AND fingerprint != ?1")?
            .execute(params![new_print, id])?;
        Ok(written)
    }

    /// Whether item `id` differs from what the last import left only by
    /// its sprint, and only because closing a sprint carried it on: the
    /// method moving work on, not an edit on the board. Told by the
    /// fingerprint with the board's sprint put back to a closed sprint
    /// that recorded the item as carried.
    fn only_carried_over(&self, id: Id, board: &ImportedFields, last_print: &str) -> rusqlite::Result<bool> {
        let carried_from: Vec<Id> = self
            .tx
            .prepare_cached("SELECT sprint_id FROM sprint_record_item WHERE item_id = ?1 AND outcome = 'carried'")?
            .query_map([id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for sprint in carried_from {
            let before = ImportedFields { sprint: Some(sprint), ..board.clone() };
            if self.fingerprint(&before)? == last_print {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn done_on(&self, item: &ExternalWrite) -> Option<String> {
        (item.fields.state == ItemState::Done).then(|| item.done_on.unwrap_or(self.today).to_string())
    }

    /// `fields`' fingerprint, its sprint and KRs by their stable ids.
    fn fingerprint(&self, fields: &ImportedFields) -> rusqlite::Result<String> {
        let sprint_uid = fields.sprint.map(|sprint| self.uid_of("sprint", sprint)).transpose()?;
        let kr_uids = fields.krs.iter().map(|kr| self.uid_of("key_result", *kr)).collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(fields.fingerprint(sprint_uid.as_deref(), &kr_uids))
    }

    /// The stable id of row `id` of `table` (`sprint` or `key_result`).
    fn uid_of(&self, table: &'static str, id: Id) -> rusqlite::Result<String> {
        if let Some(uid) = self.uids.borrow().get(&(table, id)) {
            return Ok(uid.clone());
        }
        let sql =
            if table == "sprint" { "SELECT uid FROM sprint WHERE id = ?1" } else { "SELECT uid FROM key_result WHERE id = ?1" };
        let uid: String = self.tx.prepare_cached(sql)?.query_row([id], |row| row.get(0))?;
        self.uids.borrow_mut().insert((table, id), uid.clone());
        Ok(uid)
    }

    /// Numbers a new item and queues it; inserted with the next
    /// [`INSERTED_TOGETHER`] or at the end of the import.
    fn insert(&self, item: &ExternalWrite) -> rusqlite::Result<Id> {
        let tx = self.tx;
        let (id, rank) = match self.next.get() {
            Some(next) => next,
            None => {
                let id: Id = tx.prepare_cached(NEXT_ITEM_NUMBER)?.query_row([], |row| row.get(0))?;
                let rank: i64 =
                    tx.prepare_cached("SELECT coalesce(max(rank), 0) + ?1 FROM item")?.query_row([RANK_GAP], |row| row.get(0))?;
                (id, rank)
            }
        };
        self.next.set(Some((id + 1, rank + RANK_GAP)));
        // The stable id made here rather than by the table's trigger: one
        // write per item, at 100,000 items (as a plan file's import does).
        let uid = uuid::Uuid::now_v7().hyphenated().to_string();
        let print = self.fingerprint(&item.fields)?;
        let done_on = self.done_on(item);
        self.pending_keys.borrow_mut().insert(item.key.clone());
        let full = {
            let mut pending = self.pending.borrow_mut();
            pending.push(NewItem {
                id,
                rank,
                uid,
                print,
                done_on,
                kind: item.fields.kind.as_str(),
                state: item.fields.state.as_str(),
                write: item.clone(),
            });
            pending.len() >= INSERTED_TOGETHER
        };
        if full {
            self.insert_pending()?;
        }
        Ok(id)
    }

    /// Inserts the queued new items: their rows, their keys and their KR tags.
    fn insert_pending(&self) -> rusqlite::Result<()> {
        let pending = std::mem::take(&mut *self.pending.borrow_mut());
        self.pending_keys.borrow_mut().clear();
        if pending.is_empty() {
            return Ok(());
        }
        let tx = self.tx;
        let rows = |columns: usize| {
            let row = format!("({})", vec!["?"; columns].join(", "));
            vec![row; pending.len()].join(", ")
        };
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(pending.len() * 10);
        for new in &pending {
            let fields = &new.write.fields;
            values.extend([
                &new.id as &dyn rusqlite::ToSql,
                &fields.title,
                &fields.description,
                &new.kind,
                &fields.points,
                &new.state,
                &new.done_on,
                &fields.sprint,
                &new.rank,
                &new.uid,
            ]);
        }
        tx.prepare_cached(&format!(
            "INSERT INTO item (id, title, description, kind, points, state, done_on, sprint_id, rank, uid) VALUES {}",
            rows(10)
        ))?
        .execute(values.as_slice())?;
        values.clear();
        for new in &pending {
            values.extend([&new.id as &dyn rusqlite::ToSql, &new.write.source, &new.write.key, &new.print]);
        }
        tx.prepare_cached(&format!("INSERT INTO item_external (item_id, source, key, fingerprint) VALUES {}", rows(4)))?
            .execute(values.as_slice())?;
        let mut tag = tx.prepare_cached(
            "INSERT INTO item_kr (item_id, key_result_id, rank, points) SELECT id, ?2, rank, points FROM item WHERE id = ?1",
        )?;
        for new in &pending {
            for kr in &new.write.fields.krs {
                tag.execute(params![new.id, kr])?;
            }
        }
        Ok(())
    }

    fn update(&self, id: Id, item: &ExternalWrite) -> rusqlite::Result<()> {
        let tx = self.tx;
        let fields = &item.fields;
        // A done item that stays done keeps its done date.
        tx.prepare_cached(
            "UPDATE item SET title = ?2, description = ?3, kind = ?4, points = ?5,
                 done_on = CASE WHEN state = ?6 THEN done_on ELSE ?7 END, state = ?6, sprint_id = ?8
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            fields.title,
            fields.description,
            fields.kind.as_str(),
            fields.points,
            fields.state.as_str(),
            self.done_on(item),
            fields.sprint
        ])?;
        let tagged = item_krs(tx, id)?;
        let mut untag = tx.prepare_cached("DELETE FROM item_kr WHERE item_id = ?1 AND key_result_id = ?2")?;
        for kr in tagged.iter().filter(|kr| !fields.krs.contains(kr)) {
            untag.execute(params![id, kr])?;
        }
        let mut tag = tx.prepare_cached(
            "INSERT INTO item_kr (item_id, key_result_id, rank, points) SELECT id, ?2, rank, points FROM item WHERE id = ?1",
        )?;
        for kr in fields.krs.iter().filter(|kr| !tagged.contains(kr)) {
            tag.execute(params![id, kr])?;
        }
        Ok(())
    }
}

/// The number of the closed sprint item `id` is in, if it is in one.
fn closed_sprint_of(tx: &Transaction<'_>, id: Id) -> rusqlite::Result<Option<u32>> {
    tx.prepare_cached("SELECT s.number FROM item i JOIN sprint s ON s.id = i.sprint_id WHERE i.id = ?1 AND s.state = 'closed'")?
        .query_row([id], |row| super::clean::whole(row, 0))
        .optional()
}

fn item_krs(tx: &Transaction<'_>, id: Id) -> rusqlite::Result<Vec<Id>> {
    tx.prepare_cached("SELECT key_result_id FROM item_kr WHERE item_id = ?1 ORDER BY key_result_id")?
        .query_map([id], |row| row.get(0))?
        .collect()
}

/// Item `id`'s fields as the board holds them now.
fn board_fields(tx: &Transaction<'_>, id: Id) -> rusqlite::Result<ImportedFields> {
    let krs = item_krs(tx, id)?;
    tx.prepare_cached("SELECT title, description, points, state, kind, sprint_id FROM item WHERE id = ?1")?.query_row(
        [id],
        |row| {
            Ok(ImportedFields {
                title: row.get(0)?,
                description: row.get(1)?,
                points: row.get(2)?,
                state: ItemState::parse(&row.get::<_, String>(3)?).unwrap_or(ItemState::Todo),
                kind: ItemKind::parse(&row.get::<_, String>(4)?).unwrap_or(ItemKind::Story),
                sprint: row.get(5)?,
                krs,
            })
        },
    )
}
