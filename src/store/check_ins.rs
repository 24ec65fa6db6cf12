//! A KR's check-ins: append-only readings, each add, edit and delete one
//! recorded user action (one undo step). A wrong check-in is edited or
//! deleted, never replaced by a later one silently.
//!
//! The board reads a KR's current value from its check-ins
//! (`domain::check_ins::reading`), not from `key_result.current_value`.
//! That column is kept a copy of the same rule for other readers
//! (`sqlite3`, reports): every transaction that changes a KR's check-ins or
//! its start sets it again (see [`sync_current`]).

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;
use super::{
    Store,
    board::{date_column, percent},
};
use crate::domain::{CheckIn, Id, check_ins, values::Confidence};

/// A check-in's fields, as its form edits them.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInFields {
    pub date: NaiveDate,
    pub value: f64,
    pub confidence: Confidence,
    pub note: String,
}

/// The fields of a check-in form the user changed (`None`: as the file
/// has it).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckInChanges {
    pub date: Option<NaiveDate>,
    pub value: Option<f64>,
    pub confidence: Option<Confidence>,
    pub note: Option<String>,
}

impl Store {
    /// Records a check-in on KR `key_result`.
    pub fn add_check_in(&mut self, key_result: Id, fields: &CheckInFields, label: &str) -> Result<Id, StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::KeyResult, key_result)?;
            let id = insert(tx, key_result, fields)?;
            sync_current(tx, key_result)?;
            Ok(id)
        })
    }

    /// The key result a check-in reads, if the check-in is on the board.
    pub fn check_in_key_result(&self, id: Id) -> Result<Option<Id>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT key_result_id FROM check_in WHERE id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()?)
    }

    /// Writes the fields the user changed onto the check-in as the file has
    /// it now.
    pub fn update_check_in(&mut self, id: Id, changes: &CheckInChanges, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::CheckIn, id)?;
            let key_result: Id = tx.query_row("SELECT key_result_id FROM check_in WHERE id = ?1", [id], |row| row.get(0))?;
            tx.execute(
                "UPDATE check_in SET date = coalesce(?2, date), value = coalesce(?3, value),
                                     confidence = coalesce(?4, confidence), note = coalesce(?5, note)
                 WHERE id = ?1",
                params![
                    id,
                    changes.date.map(|date| date.to_string()),
                    changes.value,
                    changes.confidence.map(Confidence::get),
                    changes.note
                ],
            )?;
            sync_current(tx, key_result)
        })
    }

    pub fn delete_check_in(&mut self, id: Id, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::CheckIn, id)?;
            let key_result: Id = tx.query_row("SELECT key_result_id FROM check_in WHERE id = ?1", [id], |row| row.get(0))?;
            tx.execute("DELETE FROM check_in WHERE id = ?1", [id])?;
            sync_current(tx, key_result)
        })
    }

    /// The value of KR `key_result` on `date`: its latest check-in on or
    /// before that day, else its start (`domain::check_ins::value_on`, the
    /// one rule). `None` when there is no such KR. The sprint review asks
    /// it for a sprint's first and last day.
    pub fn key_result_value_on(&self, key_result: Id, date: NaiveDate) -> Result<Option<f64>, StoreError> {
        let start: Option<f64> = self
            .conn
            .prepare_cached("SELECT start_value FROM key_result WHERE id = ?1")?
            .query_row([key_result], |row| row.get(0))
            .optional()?;
        let Some(start) = start else { return Ok(None) };
        Ok(Some(check_ins::value_on(start, &self.check_ins_of(key_result)?, date)))
    }

    /// A KR's confidence now: its latest check-in's, else its own
    /// (`domain::check_ins::reading`, the one rule).
    pub fn key_result_confidence(&self, key_result: Id) -> Result<u8, StoreError> {
        let (start, stored): (f64, f64) = self
            .conn
            .prepare_cached("SELECT start_value, confidence FROM key_result WHERE id = ?1")?
            .query_row([key_result], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(check_ins::reading(start, percent(stored), &self.check_ins_of(key_result)?).1)
    }

    /// A KR's check-ins, oldest first, cleaned as the board shows them.
    pub fn check_ins_of(&self, key_result: Id) -> Result<Vec<CheckIn>, StoreError> {
        self.conn
            .prepare_cached(concat!(
                "SELECT c.id, ",
                shown_check_in_date!(),
                ", c.value, c.confidence, c.note FROM check_in c WHERE c.key_result_id = ?1 ORDER BY 2, c.id"
            ))?
            .query_map([key_result], |row| self.check_in_row(row, ""))?
            .collect::<rusqlite::Result<_>>()
            .map_err(StoreError::from)
    }

    /// A check-in from a row of `id, date, value, confidence, note`,
    /// cleaned as the board shows it; `owner` ("KR1.2, ") names it in the
    /// notes about cleaned rows.
    pub(super) fn check_in_row(&self, row: &rusqlite::Row<'_>, owner: &str) -> rusqlite::Result<CheckIn> {
        let id: Id = row.get(0)?;
        let who = |what: &'static str| move || format!("{owner}check-in {id}: {what}");
        Ok(CheckIn {
            id,
            date: date_column(row, 1)?,
            value: self.number_of(row, 2, who("value"))?,
            confidence: percent(self.number_of(row, 3, who("confidence"))?),
            note: self.text_of(row, 4, who("note"))?,
        })
    }
}

pub(super) fn insert(tx: &Connection, key_result: Id, fields: &CheckInFields) -> rusqlite::Result<Id> {
    tx.prepare_cached("INSERT INTO check_in (key_result_id, date, value, confidence, note) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![key_result, fields.date.to_string(), fields.value, fields.confidence.get(), fields.note])?;
    Ok(tx.last_insert_rowid())
}

/// The latest check-in's value, else the start: `check_ins::reading` in
/// SQL, for the copy in `key_result.current_value`. A macro, so that the
/// statements below are whole string literals (no SQL built at run time).
macro_rules! current {
    () => {
        concat!(
            "coalesce((SELECT c.value FROM check_in c WHERE c.key_result_id = key_result.id ORDER BY ",
            shown_check_in_date!(),
            " DESC, c.id DESC LIMIT 1), start_value)"
        )
    };
}

/// Sets `key_result.current_value` of one KR to what its check-ins say. A
/// KR whose copy is right is not written, so undo logs nothing for it.
pub(super) fn sync_current(tx: &Connection, key_result: Id) -> rusqlite::Result<()> {
    tx.prepare_cached(concat!(
        "UPDATE key_result SET current_value = ",
        current!(),
        " WHERE id = ?1 AND current_value IS NOT ",
        current!()
    ))?
    .execute([key_result])?;
    Ok(())
}

/// Each KR of quarter `quarter` as the file has it now: (id, start,
/// target, current value from its check-ins). A KR whose numbers do not
/// read as numbers is left out (it cannot be scored).
pub(super) fn quarter_readings(tx: &Connection, quarter: Id) -> rusqlite::Result<Vec<(Id, f64, f64, f64)>> {
    let rows = tx
        .prepare_cached(concat!(
            "SELECT key_result.id, start_value, target_value, ",
            current!(),
            " FROM key_result JOIN objective o ON o.id = key_result.objective_id WHERE o.quarter_id = ?1"
        ))?
        .query_map([quarter], |row| {
            let number = |index| row.get::<_, f64>(index).ok();
            Ok((row.get(0)?, number(1), number(2), number(3)))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().filter_map(|(id, start, target, current)| Some((id, start?, target?, current?))).collect())
}

/// [`sync_current`] for every KR, after an undo or redo: another window's
/// steps in between can leave a replayed copy behind its check-ins.
pub(super) fn sync_all_current(tx: &Connection) -> rusqlite::Result<()> {
    tx.prepare_cached(concat!("UPDATE key_result SET current_value = ", current!(), " WHERE current_value IS NOT ", current!()))?
        .execute([])?;
    Ok(())
}
