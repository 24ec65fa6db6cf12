//! A sprint's retro notes: three lists (went well, to improve, OKR
//! reflection), each in the team's order. Each change is one recorded user
//! action, so undo takes it back; a "to improve" note that becomes a
//! backlog item does so in one step with the item.

use rusqlite::{Transaction, params};

use super::StoreError;
use super::{
    Store,
    plan_import::{NEXT_ITEM_NUMBER, RANK_GAP},
};
use crate::domain::{
    Id, ItemKind,
    retro::{RetroList, RetroNote, became_item, marked_as_item, sort_notes},
    validate::FieldError,
    values::Title,
};

/// What turning a note into a backlog item did, judged on the note as the
/// file has it (another window may have changed it since it was drawn).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteToItem {
    /// The new item's id.
    Made(Id),
    /// The note had become this item already: nothing was written.
    Already(Id),
    /// Only a "to improve" note becomes an item: nothing was written.
    NotToImprove,
    /// The note's text is no item title (too long): nothing was written.
    NotATitle(FieldError),
}

impl Store {
    /// A sprint's notes, list by list, each list in its order.
    pub fn retro_notes(&self, sprint: Id) -> Result<Vec<RetroNote>, StoreError> {
        let mut notes = self
            .conn
            .prepare_cached("SELECT id, category, CAST(text AS TEXT), position FROM retro_note WHERE sprint_id = ?1")?
            .query_map([sprint], |row| {
                let category: String = row.get(1)?;
                let position: i64 = super::clean::whole(row, 3)?;
                let id: Id = row.get(0)?;
                // The table's CHECK keeps other words out.
                let list = RetroList::parse(&category).unwrap_or(RetroList::WentWell);
                Ok((RetroNote { id, list, text: super::clean::lenient(row, 2)? }, (position, id)))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        sort_notes(&mut notes);
        Ok(notes.into_iter().map(|(note, _)| note).collect())
    }

    /// Adds a note at the end of its list.
    pub fn add_retro_note(&mut self, sprint: Id, list: RetroList, text: &str, label: &str) -> Result<Id, StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Sprint, sprint)?;
            tx.prepare_cached(
                "INSERT INTO retro_note (sprint_id, category, position, text)
                 VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM retro_note WHERE sprint_id = ?1 AND category = ?2), ?3)",
            )?
            .execute(params![sprint, list.as_str(), text])?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Sets a note's text.
    pub fn edit_retro_note(&mut self, id: Id, text: &str, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::RetroNote, id)?;
            let rows = tx.prepare_cached("UPDATE retro_note SET text = ?2 WHERE id = ?1")?.execute(params![id, text])?;
            super::found(rows)
        })
    }

    pub fn delete_retro_note(&mut self, id: Id, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::RetroNote, id)?;
            let rows = tx.prepare_cached("DELETE FROM retro_note WHERE id = ?1")?.execute([id])?;
            super::found(rows)
        })
    }

    /// Moves a note one place up (or down) its list, as the file orders
    /// the list now. Returns `false` when it is at that end already.
    pub fn move_retro_note(&mut self, id: Id, up: bool, label: &str) -> Result<bool, StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::RetroNote, id)?;
            let mut list = list_of(tx, id)?;
            let Some(at) = list.iter().position(|(note, _)| *note == id) else {
                return Err(rusqlite::Error::QueryReturnedNoRows);
            };
            let Some(other) = (if up { at.checked_sub(1) } else { Some(at + 1).filter(|next| *next < list.len()) }) else {
                return Ok(false);
            };
            list.swap(at, other);
            // Positions 1, 2, 3... in the new order, written only where they
            // change: two rows, unless an outside edit left equal positions.
            let mut update = tx.prepare_cached("UPDATE retro_note SET position = ?2 WHERE id = ?1")?;
            for (position, (note, was)) in (1_i64..).zip(&list) {
                if position != *was {
                    update.execute(params![note, position])?;
                }
            }
            Ok(true)
        })
    }

    /// Turns a "to improve" note into a backlog item at the bottom of the
    /// backlog, titled with the note's text; the note stays, marked with
    /// the item it became. One step: undo takes back both. `label` makes
    /// the step's label from the new item's id.
    pub fn retro_note_to_item(&mut self, id: Id, label: impl Fn(Id) -> String) -> Result<NoteToItem, StoreError> {
        self.record("Made a retro note a backlog item", |tx| {
            let (category, text, sprint): (String, String, u32) = tx
                .prepare_cached(
                    "SELECT n.category, CAST(n.text AS TEXT), s.number FROM retro_note n JOIN sprint s ON s.id = n.sprint_id
                     WHERE n.id = ?1",
                )?
                .query_row([id], |row| {
                    Ok((super::clean::lenient(row, 0)?, super::clean::lenient(row, 1)?, super::clean::whole(row, 2)?))
                })?;
            if RetroList::parse(&category) != Some(RetroList::ToImprove) {
                return Ok(NoteToItem::NotToImprove);
            }
            if let Some(item) = became_item(&text) {
                return Ok(NoteToItem::Already(item));
            }
            // Read inside the step, so parsed here: the same rule as a typed title.
            let title = match Title::parse(&text) {
                Ok(title) => title,
                Err(error) => return Ok(NoteToItem::NotATitle(error)),
            };
            let item: Id = tx.prepare_cached(NEXT_ITEM_NUMBER)?.query_row([], |row| row.get(0))?;
            let description = format!("From the Sprint {sprint} retro, to improve.");
            tx.prepare_cached(
                "INSERT INTO item (id, title, description, kind, points, rank)
                 VALUES (?1, ?2, ?3, ?4, 0, (SELECT coalesce(max(rank), 0) FROM item) + ?5)",
            )?
            .execute(params![item, title.as_str(), description, ItemKind::Chore.as_str(), RANK_GAP])?;
            tx.prepare_cached("UPDATE retro_note SET text = ?2 WHERE id = ?1")?
                .execute(params![id, marked_as_item(&text, item)])?;
            super::history::relabel(tx, &label(item))?;
            Ok(NoteToItem::Made(item))
        })
    }
}

/// The notes of `id`'s list with their positions, in the list's order.
fn list_of(tx: &Transaction<'_>, id: Id) -> rusqlite::Result<Vec<(Id, i64)>> {
    // A note that is gone ends the step as deleted elsewhere (`Store::record`).
    let (sprint, category): (Id, String) = tx
        .prepare_cached("SELECT sprint_id, category FROM retro_note WHERE id = ?1")?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    tx.prepare_cached("SELECT id, position FROM retro_note WHERE sprint_id = ?1 AND category = ?2 ORDER BY position, id")?
        .query_map(params![sprint, category], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect()
}
