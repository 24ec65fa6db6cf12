//! Edits of the quarter's plan: objectives, key results, sprints, the
//! quarter's settings and the OKR-sprint cascade. Each is one recorded
//! user action (one transaction, one undo step).
//!
//! Codes (`O2`, `KR2.1`) and sprint numbers come from positions, so adding
//! or deleting one renumbers its siblings in the same transaction.

use chrono::NaiveDate;
use rusqlite::{Transaction, params};

use super::StoreError;
use super::{
    Store,
    check_ins::{CheckInFields, insert as insert_check_in, sync_current},
};
use crate::domain::{
    Id, SprintState,
    settings::{CheckInCadence, OverlapStrategy},
    values::{Capacity, Confidence, Title},
};

/// An objective's fields, as its form edits them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectiveFields {
    pub title: Title,
    pub owner: String,
    /// Another objective of this board it aligns to...
    pub parent_id: Option<Id>,
    /// ...or one outside it, in words ("Company O2: grow revenue").
    pub parent_note: String,
}

/// The quarter form's fields the user changed; `None` leaves one as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuarterChanges {
    pub label: Option<String>,
    pub start: Option<NaiveDate>,
    pub cadence: Option<CheckInCadence>,
    pub overlap: Option<OverlapStrategy>,
}

/// A key result's fields, as its form edits them.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyResultFields {
    pub title: Title,
    pub unit: String,
    pub start: f64,
    pub target: f64,
    /// A first reading other than the start, recorded as a check-in
    /// (a KR's current value is its latest check-in's).
    pub first_check_in: Option<CheckInFields>,
    pub owner: String,
    /// The KR's confidence until its first check-in.
    pub confidence: Confidence,
}

/// A sprint's fields, as its form edits them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SprintFields {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub capacity: Capacity,
    pub goal: String,
    pub no_kr_reason: String,
}

/// The fields of an objective form the user changed (`None`: as the file
/// has it). `parent` is the link and the note together.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectiveChanges {
    pub title: Option<Title>,
    pub owner: Option<String>,
    pub parent: Option<(Option<Id>, String)>,
}

/// The fields of a KR form the user changed (`None`: as the file has it).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyResultChanges {
    pub title: Option<Title>,
    pub unit: Option<String>,
    pub start: Option<f64>,
    pub target: Option<f64>,
    /// A new current value (or confidence) is a check-in, never an
    /// overwrite: recorded with the edit, in the same step.
    pub check_in: Option<CheckInFields>,
    pub owner: Option<String>,
    /// The KR's own confidence, which counts until its first check-in.
    pub confidence: Option<Confidence>,
}

/// The fields of a sprint form the user changed (`None`: as the file has
/// it). The dates go together: a sprint moves as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SprintChanges {
    pub dates: Option<(NaiveDate, NaiveDate)>,
    pub capacity: Option<Capacity>,
    pub goal: Option<String>,
    pub no_kr_reason: Option<String>,
}

/// What deleting an objective or a KR takes with it, for its confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeleteImpact {
    pub key_results: usize,
    pub check_ins: usize,
    /// Items that lose a tag (they stay in the backlog).
    pub tagged_items: usize,
    /// Items that become BAU, having had no other tag.
    pub become_bau: usize,
}

impl Store {
    pub fn add_objective(&mut self, quarter_id: Id, fields: &ObjectiveFields, label: &str) -> Result<Id, StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Quarter, quarter_id)?;
            tx.execute(
                "INSERT INTO objective (quarter_id, position, title, owner, parent_id, parent_note)
                 VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM objective WHERE quarter_id = ?1), ?2, ?3, ?4, ?5)",
                params![quarter_id, fields.title.as_str(), fields.owner, fields.parent_id, fields.parent_note],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Writes the fields the user changed onto the objective as it is in
    /// the file now.
    pub fn update_objective(&mut self, id: Id, changes: &ObjectiveChanges, label: &str) -> Result<(), StoreError> {
        let (parent_id, parent_note) = changes.parent.clone().unzip();
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Objective, id)?;
            let rows = tx.execute(
                "UPDATE objective SET title = coalesce(?1, title), owner = coalesce(?2, owner),
                                      parent_id = CASE WHEN ?3 THEN ?4 ELSE parent_id END,
                                      parent_note = coalesce(?5, parent_note)
                 WHERE id = ?6",
                params![
                    changes.title.as_ref().map(Title::as_str),
                    changes.owner,
                    changes.parent.is_some(),
                    parent_id.flatten(),
                    parent_note,
                    id
                ],
            )?;
            super::found(rows)
        })
    }

    /// Deletes an objective with its KRs and their check-ins; items keep
    /// their other tags. Later objectives move up one place.
    pub fn delete_objective(&mut self, id: Id, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Objective, id)?;
            delete_closing_gap(tx, &OBJECTIVES, id)
        })
    }

    pub fn add_key_result(&mut self, objective_id: Id, fields: &KeyResultFields, label: &str) -> Result<Id, StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Objective, objective_id)?;
            tx.execute(
                "INSERT INTO key_result (objective_id, position, title, unit, start_value, target_value, current_value, owner, confidence)
                 VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM key_result WHERE objective_id = ?1),
                         ?2, ?3, ?4, ?5, ?4, ?6, ?7)",
                params![
                    objective_id,
                    fields.title.as_str(),
                    fields.unit,
                    fields.start,
                    fields.target,
                    fields.owner,
                    fields.confidence.get()
                ],
            )?;
            let id = tx.last_insert_rowid();
            if let Some(check_in) = &fields.first_check_in {
                insert_check_in(tx, id, check_in)?;
                sync_current(tx, id)?;
            }
            Ok(id)
        })
    }

    /// Writes the fields the user changed onto the KR as it is in the file
    /// now; a new reading is a check-in, recorded in the same step.
    pub fn update_key_result(&mut self, id: Id, changes: &KeyResultChanges, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::KeyResult, id)?;
            let rows = tx.execute(
                "UPDATE key_result SET title = coalesce(?2, title), unit = coalesce(?3, unit),
                                       start_value = coalesce(?4, start_value), target_value = coalesce(?5, target_value),
                                       owner = coalesce(?6, owner), confidence = coalesce(?7, confidence)
                 WHERE id = ?1",
                params![
                    id,
                    changes.title.as_ref().map(Title::as_str),
                    changes.unit,
                    changes.start,
                    changes.target,
                    changes.owner,
                    changes.confidence.map(Confidence::get)
                ],
            )?;
            super::found(rows)?;
            if let Some(check_in) = &changes.check_in {
                insert_check_in(tx, id, check_in)?;
            }
            // A new start moves the current value of a KR not checked in yet.
            sync_current(tx, id)
        })
    }

    /// Deletes a KR with its check-ins and tags; later KRs of its objective
    /// move up one place.
    pub fn delete_key_result(&mut self, id: Id, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::KeyResult, id)?;
            delete_closing_gap(tx, &KEY_RESULTS, id)
        })
    }

    /// What deleting these KRs (an objective's, or one) takes with it.
    pub fn delete_impact(&self, key_results: &[Id]) -> Result<DeleteImpact, StoreError> {
        let list = super::id_list(key_results);
        let count = |sql: String| self.conn.query_row(&sql, [], |row| row.get::<_, usize>(0));
        Ok(DeleteImpact {
            key_results: key_results.len(),
            check_ins: count(format!("SELECT count(*) FROM check_in WHERE key_result_id IN ({list})"))?,
            tagged_items: count(format!("SELECT count(DISTINCT item_id) FROM item_kr WHERE key_result_id IN ({list})"))?,
            become_bau: count(format!(
                "SELECT count(*) FROM (SELECT item_id FROM item_kr WHERE item_id IN
                     (SELECT item_id FROM item_kr WHERE key_result_id IN ({list}))
                 GROUP BY item_id HAVING count(*) = sum(key_result_id IN ({list})))"
            ))?,
        })
    }
}

/// A table whose rows are numbered 1, 2, ... within a parent.
struct Positioned {
    /// ?1 the row: its parent and position.
    find: &'static str,
    delete: &'static str,
    /// ?1 the parent, ?2 the deleted position: later rows move up one.
    close_gap: &'static str,
}

const OBJECTIVES: Positioned = Positioned {
    find: "SELECT quarter_id, position FROM objective WHERE id = ?1",
    delete: "DELETE FROM objective WHERE id = ?1",
    close_gap: "UPDATE objective SET position = position - 1 WHERE quarter_id = ?1 AND position > ?2",
};

const KEY_RESULTS: Positioned = Positioned {
    find: "SELECT objective_id, position FROM key_result WHERE id = ?1",
    delete: "DELETE FROM key_result WHERE id = ?1",
    close_gap: "UPDATE key_result SET position = position - 1 WHERE objective_id = ?1 AND position > ?2",
};

/// Deletes a numbered row and numbers the rows after it one lower, so the
/// codes users see (`O2`, `KR1.3`) stay without gaps.
fn delete_closing_gap(tx: &Transaction<'_>, table: &Positioned, id: Id) -> rusqlite::Result<()> {
    let (parent, position): (Id, i64) = tx.query_row(table.find, [id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    tx.execute(table.delete, [id])?;
    tx.execute(table.close_gap, params![parent, position])?;
    Ok(())
}

impl Store {
    /// Adds a sprint; sprints are numbered again by their start dates.
    pub fn add_sprint(&mut self, quarter_id: Id, fields: &SprintFields, today: NaiveDate, label: &str) -> Result<Id, StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Quarter, quarter_id)?;
            tx.execute(
                "INSERT INTO sprint (quarter_id, number, start_date, end_date, goal, no_kr_reason, capacity, state)
                 VALUES (?1, (SELECT coalesce(max(number), 0) + 1 FROM sprint WHERE quarter_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    quarter_id,
                    fields.start.to_string(),
                    fields.end.to_string(),
                    fields.goal,
                    fields.no_kr_reason,
                    fields.capacity.get(),
                    SprintState::by_date(fields.start, fields.end, today).as_str()
                ],
            )?;
            let id = tx.last_insert_rowid();
            renumber_sprints(tx, quarter_id)?;
            Ok(id)
        })
    }

    /// Saves the fields of a sprint the user changed: dates, capacity, goal.
    pub fn update_sprint(&mut self, id: Id, changes: &SprintChanges, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Sprint, id)?;
            let quarter_id: Id = tx.query_row("SELECT quarter_id FROM sprint WHERE id = ?1", [id], |row| row.get(0))?;
            tx.execute(
                "UPDATE sprint SET goal = coalesce(?1, goal), no_kr_reason = coalesce(?2, no_kr_reason),
                                   capacity = coalesce(?3, capacity)
                 WHERE id = ?4",
                params![changes.goal, changes.no_kr_reason, changes.capacity.map(Capacity::get), id],
            )?;
            // Moving a sprint leaves its state alone: it is started and
            // closed by the team (`store::sprints`), not by the calendar.
            if let Some((start, end)) = changes.dates {
                tx.execute(
                    "UPDATE sprint SET start_date = ?1, end_date = ?2 WHERE id = ?3 AND (start_date != ?1 OR end_date != ?2)",
                    params![start.to_string(), end.to_string(), id],
                )?;
            }
            renumber_sprints(tx, quarter_id)
        })
    }

    /// Deletes a sprint; its items go back to the backlog, unplanned, and
    /// the team's days off in it go.
    pub fn delete_sprint(&mut self, id: Id, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Sprint, id)?;
            let quarter_id: Id = tx.query_row("SELECT quarter_id FROM sprint WHERE id = ?1", [id], |row| row.get(0))?;
            // Said outright rather than left to ON DELETE SET NULL, so the
            // history logs each item's change and undo puts it back.
            tx.execute("UPDATE item SET sprint_id = NULL WHERE sprint_id = ?1", [id])?;
            tx.execute("DELETE FROM sprint_kr WHERE sprint_id = ?1", [id])?;
            tx.execute("DELETE FROM days_off WHERE sprint_id = ?1", [id])?;
            tx.execute("DELETE FROM sprint WHERE id = ?1", [id])?;
            renumber_sprints(tx, quarter_id)
        })
    }

    /// Writes the quarter's label and start date, each only if given.
    pub fn update_quarter(
        &mut self,
        id: Id,
        quarter_label: Option<&str>,
        start: Option<NaiveDate>,
        label: &str,
    ) -> Result<(), StoreError> {
        let changes = QuarterChanges { label: quarter_label.map(str::to_owned), start, ..QuarterChanges::default() };
        self.update_quarter_with(id, &changes, label)
    }

    /// Writes the fields of the quarter form that are given, as one step.
    pub fn update_quarter_with(&mut self, id: Id, changes: &QuarterChanges, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Quarter, id)?;
            let rows = tx.execute(
                "UPDATE quarter SET label = coalesce(?1, label), start_date = coalesce(?2, start_date),
                     checkin_cadence = coalesce(?3, checkin_cadence), overlap_strategy = coalesce(?4, overlap_strategy)
                 WHERE id = ?5",
                params![
                    changes.label,
                    changes.start.map(|start| start.to_string()),
                    changes.cadence.map(CheckInCadence::as_str),
                    changes.overlap.map(OverlapStrategy::as_str),
                    id
                ],
            )?;
            super::found(rows)
        })
    }

    /// The OKR-sprint cascade: `key_result` becomes the one focus KR of each
    /// of `sprints` (their goals serve it; other KRs they serve stay).
    pub fn set_focus(&mut self, key_result: Id, sprints: &[Id], label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::KeyResult, key_result)?;
            for sprint in sprints {
                tx.prepare_cached("UPDATE sprint_kr SET focus = 0 WHERE sprint_id = ?1 AND focus = 1 AND key_result_id != ?2")?
                    .execute(params![sprint, key_result])?;
                tx.prepare_cached(
                    "INSERT INTO sprint_kr (sprint_id, key_result_id, focus) VALUES (?1, ?2, 1)
                     ON CONFLICT (sprint_id, key_result_id) DO UPDATE SET focus = 1 WHERE focus = 0",
                )?
                .execute(params![sprint, key_result])?;
            }
            Ok(())
        })
    }
}

/// Numbers a quarter's sprints 1, 2, ... by start date. Numbers are unique,
/// so they first move out of the way.
fn renumber_sprints(tx: &Transaction<'_>, quarter_id: Id) -> rusqlite::Result<()> {
    let order: Vec<(Id, i64)> = tx
        .prepare_cached("SELECT id, number FROM sprint WHERE quarter_id = ?1 ORDER BY start_date, id")?
        .query_map([quarter_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if order.iter().zip(1..).all(|((_, number), wanted)| *number == wanted) {
        return Ok(());
    }
    let top: i64 = order.iter().map(|(_, number)| *number).max().unwrap_or(0);
    let mut set = tx.prepare_cached("UPDATE sprint SET number = ?1 WHERE id = ?2")?;
    for ((id, _), wanted) in order.iter().zip(1..) {
        set.execute(params![top + wanted, id])?;
    }
    for ((id, _), wanted) in order.iter().zip(1_i64..) {
        set.execute(params![wanted, id])?;
    }
    Ok(())
}
