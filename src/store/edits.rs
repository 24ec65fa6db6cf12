//! Edits of backlog items. Each is one recorded user action: one
//! transaction and one undo step, labelled as the status line says it.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::StoreError;
use super::{
    Store,
    plan_import::{NEXT_ITEM_NUMBER, RANK_GAP},
};
use crate::domain::{
    Id, ItemState,
    values::{Points, Title},
};

impl Store {
    /// Swaps the backlog places of two items: two rows written, whatever
    /// the backlog's size.
    pub fn swap_ranks(&mut self, moved: Id, other: Id, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            refuse_closed_items(tx, &[moved, other])?;
            let rank_of =
                |id: Id| tx.prepare_cached("SELECT rank FROM item WHERE id = ?1")?.query_row([id], |row| row.get::<_, i64>(0));
            let (mine, theirs) = (rank_of(moved)?, rank_of(other)?);
            // Equal ranks (from an outside edit) would swap to the same order.
            let (mine, theirs) = if mine == theirs { (mine, mine + if moved < other { 1 } else { -1 }) } else { (mine, theirs) };
            tx.prepare_cached("UPDATE item SET rank = ?1 WHERE id = ?2")?.execute(params![theirs, moved])?;
            tx.prepare_cached("UPDATE item SET rank = ?1 WHERE id = ?2")?.execute(params![mine, other])?;
            Ok(())
        })
    }

    /// Moves an item above (or below) every other item.
    pub fn rank_to_end(&mut self, id: Id, top: bool, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            refuse_closed_items(tx, &[id])?;
            // An item already alone at that end stays as it is: a move that
            // changes no order leaves no undo step (the model test found it).
            let sql = if top {
                "UPDATE item SET rank = (SELECT min(rank) FROM item) - ?1 WHERE id = ?2 \
                 AND EXISTS (SELECT 1 FROM item AS other WHERE other.id != item.id AND other.rank <= item.rank)"
            } else {
                "UPDATE item SET rank = (SELECT max(rank) FROM item) + ?1 WHERE id = ?2 \
                 AND EXISTS (SELECT 1 FROM item AS other WHERE other.id != item.id AND other.rank >= item.rank)"
            };
            tx.prepare_cached(sql)?.execute(params![RANK_GAP, id])?;
            Ok(())
        })
    }

    /// Moves an item just below `after` in the backlog: into the gap
    /// between `after` and the item below it, so one row is written; only
    /// when no gap is left are the items below moved down to make one.
    pub fn rank_after(&mut self, id: Id, after: Id, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            refuse_closed_items(tx, &[id, after])?;
            let anchor: i64 = tx.prepare_cached("SELECT rank FROM item WHERE id = ?1")?.query_row([after], |row| row.get(0))?;
            let below: Option<i64> = tx
                .prepare_cached("SELECT min(rank) FROM item WHERE rank > ?1 AND id != ?2")?
                .query_row(params![anchor, id], |row| row.get(0))?;
            // Already just below `after`: the order stays, and so does the
            // file (no undo step for a move that moves nothing).
            let mine: Option<i64> =
                tx.prepare_cached("SELECT rank FROM item WHERE id = ?1")?.query_row([id], |row| row.get(0)).optional()?;
            if let Some(mine) = mine
                && mine > anchor
                && below.is_none_or(|below| mine < below)
            {
                return Ok(());
            }
            let rank = match below {
                None => anchor + RANK_GAP,
                Some(below) if below - anchor >= 2 => anchor + (below - anchor) / 2,
                Some(_) => {
                    tx.prepare_cached("UPDATE item SET rank = rank + ?1 WHERE rank > ?2 AND id != ?3")?
                        .execute(params![RANK_GAP, anchor, id])?;
                    anchor + RANK_GAP / 2
                }
            };
            super::found(tx.prepare_cached("UPDATE item SET rank = ?1 WHERE id = ?2")?.execute(params![rank, id])?)
        })
    }

    /// Steps an item's state on (todo, doing, done) or back, from the state
    /// the file holds when the step is written, not the one on screen.
    /// Returns the new state, or `None` at either end; `label` makes the
    /// step's label from the item's title and the new state.
    pub fn step_item_state(
        &mut self,
        id: Id,
        forward: bool,
        today: NaiveDate,
        label: impl Fn(&str, ItemState) -> String,
    ) -> Result<Option<ItemState>, StoreError> {
        self.record("Changed an item's state", |tx| {
            refuse_closed_items(tx, &[id])?;
            let (title, state): (String, String) = tx
                .prepare_cached("SELECT title, state FROM item WHERE id = ?1")?
                .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))?;
            let Some(next) = ItemState::parse(&state).unwrap_or(ItemState::Todo).step(forward) else { return Ok(None) };
            let done_on = (next == ItemState::Done).then(|| today.to_string());
            tx.prepare_cached("UPDATE item SET state = ?1, done_on = ?2 WHERE id = ?3")?.execute(params![
                next.as_str(),
                done_on,
                id
            ])?;
            super::history::relabel(tx, &label(&title, next))?;
            Ok(Some(next))
        })
    }

    /// Sets an item's state; done records `today` as its done date.
    pub fn set_item_state(&mut self, id: Id, state: ItemState, today: NaiveDate, label: &str) -> Result<(), StoreError> {
        self.set_items_state(&[id], state, today, label)
    }

    /// Sets the state of several items, as one step. Items already in that
    /// state keep their done date.
    pub fn set_items_state(&mut self, ids: &[Id], state: ItemState, today: NaiveDate, label: &str) -> Result<(), StoreError> {
        let done_on = (state == ItemState::Done).then(|| today.to_string());
        self.record(label, |tx| {
            refuse_closed_items(tx, ids)?;
            let mut update = tx.prepare_cached(
                "UPDATE item SET state = ?1, done_on = CASE WHEN state = ?1 THEN done_on ELSE ?2 END WHERE id = ?3",
            )?;
            for id in ids {
                update.execute(params![state.as_str(), done_on, id])?;
            }
            Ok(())
        })
    }

    /// The sprint an item is planned into, if any.
    pub fn item_sprint(&self, id: Id) -> rusqlite::Result<Option<Id>> {
        Ok(self
            .conn
            .prepare_cached("SELECT sprint_id FROM item WHERE id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()?
            .flatten())
    }

    /// The title of an item, for status messages.
    pub fn item_title(&self, id: Id) -> Result<Option<String>, StoreError> {
        self.conn
            .prepare_cached("SELECT title FROM item WHERE id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()
            .map_err(StoreError::from)
    }
}

impl Store {
    /// Replaces an item's KR tags; none makes it BAU. (The synthetic
    /// history's edits; the board changes tags as a difference.)
    pub fn set_item_tags(&mut self, id: Id, key_results: &[Id], label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            refuse_closed_items(tx, &[id])?;
            relink(tx, ITEM_TAGS, id, key_results)
        })
    }

    /// Adds the KRs `add` to every item of `ids` and takes `remove` off
    /// them, as one step; every other tag stays as the file has it. An item
    /// deleted meanwhile is skipped; a single item that is gone is an error.
    pub fn change_items_tags(&mut self, ids: &[Id], add: &[Id], remove: &[Id], label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            refuse_closed_items(tx, ids)?;
            if let [id] = ids {
                let exists: bool =
                    tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM item WHERE id = ?1)")?.query_row([id], |row| row.get(0))?;
                super::found(usize::from(exists))?;
            }
            for id in ids {
                change_links(tx, ITEM_TAGS, *id, add, remove)?;
                // Tagged by the user: an item carried from a closed quarter
                // no longer waits for its new tags.
                tx.prepare_cached("UPDATE item SET needs_retag = 0 WHERE id = ?1 AND needs_retag != 0")?.execute([id])?;
            }
            Ok(())
        })
    }

    /// How many of `ids` each KR tags (for one item: its tags), in one
    /// query however many items are marked.
    pub fn tag_counts(&self, ids: &[Id]) -> Result<Vec<(Id, usize)>, StoreError> {
        let sql = format!(
            "SELECT key_result_id, count(*) FROM item_kr WHERE item_id IN ({}) GROUP BY key_result_id",
            super::id_list(ids)
        );
        Ok(self.conn.prepare(&sql)?.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<rusqlite::Result<_>>()?)
    }

    /// Plans an item into a sprint, or takes it out (`None`).
    pub fn set_item_sprint(&mut self, id: Id, sprint: Option<Id>, label: &str) -> Result<(), StoreError> {
        self.set_items_sprint(&[id], sprint, label)
    }

    /// Plans several items into a sprint (or out of any), as one step.
    pub fn set_items_sprint(&mut self, ids: &[Id], sprint: Option<Id>, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            refuse_closed_items(tx, ids)?;
            // Planning left open while another window closed the quarter.
            if let Some(sprint) = sprint {
                super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Sprint, sprint)?;
                refuse_closed_sprint(tx, "SELECT number FROM sprint WHERE id = ?1 AND state = 'closed'", sprint)?;
            }
            let mut update = tx.prepare_cached("UPDATE item SET sprint_id = ?1 WHERE id = ?2 AND sprint_id IS NOT ?1")?;
            for id in ids {
                // A closed sprint's items stay: its record is frozen.
                refuse_closed_sprint(
                    tx,
                    "SELECT s.number FROM item i JOIN sprint s ON s.id = i.sprint_id WHERE i.id = ?1 AND s.state = 'closed'",
                    *id,
                )?;
                update.execute(params![sprint, id])?;
            }
            Ok(())
        })
    }
}

/// Refuses a write to items of a closed quarter (a form or question left
/// open across another window's close): they are its history now.
fn refuse_closed_items(tx: &Transaction<'_>, ids: &[Id]) -> rusqlite::Result<()> {
    ids.iter().try_for_each(|id| super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Item, *id))
}

/// Refuses the write when `sql` finds a closed sprint's number for `id`.
fn refuse_closed_sprint(tx: &Transaction<'_>, sql: &str, id: Id) -> rusqlite::Result<()> {
    match tx.prepare_cached(sql)?.query_row([id], |row| row.get(0)).optional()? {
        Some(sprint) => Err(super::StoreError::SprintClosed { sprint }.inside_sqlite()),
        None => Ok(()),
    }
}

/// The fields of a new item. Title and points are the domain's types, so a
/// value that broke their rules cannot reach the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub title: Title,
    pub points: Points,
    pub kind: crate::domain::ItemKind,
    pub description: String,
    /// Why it waits, for a BAU item ("deferred because"); may be empty.
    pub deferred_reason: String,
}

/// The fields of an item form the user changed; `None` leaves a field as
/// the file has it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemChanges {
    pub title: Option<Title>,
    pub points: Option<Points>,
    pub kind: Option<crate::domain::ItemKind>,
    pub description: Option<String>,
    pub deferred_reason: Option<String>,
}

impl Store {
    /// Adds an item at the bottom of the backlog, tagged with `tag` if given.
    pub fn add_item(&mut self, item: &NewItem, tag: Option<Id>, label: &str) -> Result<Id, StoreError> {
        self.add_item_tagged(item, tag.as_slice(), label)
    }

    /// Adds an item at the bottom of the backlog tagged with every KR of
    /// `tags`, as one step.
    pub fn add_item_tagged(&mut self, item: &NewItem, tags: &[Id], label: &str) -> Result<Id, StoreError> {
        self.record(label, |tx| {
            let id: Id = tx.prepare_cached(NEXT_ITEM_NUMBER)?.query_row([], |row| row.get(0))?;
            tx.prepare_cached(
                "INSERT INTO item (id, title, description, kind, points, rank, deferred_reason)
                 VALUES (?6, ?1, ?2, ?3, ?4, (SELECT coalesce(max(rank), 0) FROM item) + ?5, ?7)",
            )?
            .execute(params![
                item.title.as_str(),
                item.description,
                item.kind.as_str(),
                item.points.get(),
                RANK_GAP,
                id,
                item.deferred_reason
            ])?;
            for kr in tags {
                tx.prepare_cached(
                    "INSERT INTO item_kr (item_id, key_result_id, rank, points) SELECT id, ?2, rank, points FROM item WHERE id = ?1",
                )?
                .execute(params![id, kr])?;
            }
            Ok(id)
        })
    }

    /// Writes the fields the user changed onto the item as it is in the
    /// file now; the others keep whatever another window gave them.
    pub fn update_item(&mut self, id: Id, changes: &ItemChanges, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            refuse_closed_items(tx, &[id])?;
            let found = tx
                .prepare_cached(
                    "UPDATE item SET title = coalesce(?1, title), description = coalesce(?2, description),
                                     kind = coalesce(?3, kind), points = coalesce(?4, points),
                                     deferred_reason = coalesce(?6, deferred_reason)
                     WHERE id = ?5",
                )?
                .execute(params![
                    changes.title.as_ref().map(Title::as_str),
                    changes.description,
                    changes.kind.map(crate::domain::ItemKind::as_str),
                    changes.points.map(Points::get),
                    id,
                    changes.deferred_reason
                ])?;
            super::found(found)
        })
    }

    /// Deletes items with their tags, as one undoable step.
    pub fn delete_items(&mut self, ids: &[Id], label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            refuse_closed_items(tx, ids)?;
            let mut delete = tx.prepare_cached("DELETE FROM item WHERE id = ?1")?;
            for id in ids {
                delete.execute([id])?;
            }
            Ok(())
        })
    }
}

impl Store {
    pub fn set_item_description(&mut self, id: Id, description: &str, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            refuse_closed_items(tx, &[id])?;
            tx.prepare_cached("UPDATE item SET description = ?1 WHERE id = ?2")?.execute(params![description, id])?;
            Ok(())
        })
    }
}

impl Store {
    /// Adds KRs to those a sprint goal serves and takes others off; every
    /// other link (and its focus flag) stays as the file has it.
    pub fn change_sprint_krs(&mut self, id: Id, add: &[Id], remove: &[Id], label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            let exists: bool =
                tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM sprint WHERE id = ?1)")?.query_row([id], |row| row.get(0))?;
            super::found(usize::from(exists))?;
            change_links(tx, SPRINT_KRS, id, add, remove)
        })
    }
}

/// An item's KR tags. A tag carries its item's rank and points (schema v2).
const ITEM_TAGS: KrLinks = KrLinks {
    current: "SELECT key_result_id FROM item_kr WHERE item_id = ?1",
    remove: "DELETE FROM item_kr WHERE item_id = ?1 AND key_result_id = ?2",
    add: "INSERT INTO item_kr (item_id, key_result_id, rank, points)
          SELECT id, ?2, rank, points FROM item
          WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM item_kr WHERE item_id = ?1 AND key_result_id = ?2)",
};

/// The KRs a sprint goal serves.
const SPRINT_KRS: KrLinks = KrLinks {
    current: "SELECT key_result_id FROM sprint_kr WHERE sprint_id = ?1",
    remove: "DELETE FROM sprint_kr WHERE sprint_id = ?1 AND key_result_id = ?2",
    add: "INSERT INTO sprint_kr (sprint_id, key_result_id, focus)
          SELECT ?1, ?2, 0 WHERE NOT EXISTS (SELECT 1 FROM sprint_kr WHERE sprint_id = ?1 AND key_result_id = ?2)",
};

/// Adds and removes links of `owner`; a link already there (or already
/// gone) is left alone, so the undo log holds only real changes.
fn change_links(tx: &Transaction<'_>, links: KrLinks, owner: Id, add: &[Id], remove: &[Id]) -> rusqlite::Result<()> {
    let mut drop = tx.prepare_cached(links.remove)?;
    for kr in remove {
        drop.execute(params![owner, kr])?;
    }
    let mut insert = tx.prepare_cached(links.add)?;
    for kr in add {
        insert.execute(params![owner, kr])?;
    }
    Ok(())
}

/// The three statements of a table linking an owner (?1) to KRs (?2).
#[derive(Clone, Copy)]
struct KrLinks {
    current: &'static str,
    remove: &'static str,
    add: &'static str,
}

/// Makes `owner`'s KR links exactly `wanted`, touching only the links that
/// change, so that kept links keep their other columns (a sprint's focus)
/// and the undo log holds only real changes.
fn relink(tx: &Transaction<'_>, links: KrLinks, owner: Id, wanted: &[Id]) -> rusqlite::Result<()> {
    let current: Vec<Id> =
        tx.prepare_cached(links.current)?.query_map([owner], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
    let remove: Vec<Id> = current.iter().copied().filter(|kr| !wanted.contains(kr)).collect();
    change_links(tx, links, owner, wanted, &remove)
}
