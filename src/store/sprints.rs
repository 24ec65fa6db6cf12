//! Sprints that start and close (schema v7). Starting records the
//! commitment; closing freezes the record and sends unfinished items on.
//! Each is one recorded user action, so undo reopens a closed sprint.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::StoreError;
use super::{Store, plan_import::RANK_GAP};
use crate::domain::{
    GoalVerdict, Id, SprintState, codes,
    review::{Committed, Outcome, Planned, RecordItem, record},
};

/// Where an unfinished item goes when its sprint closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CarryTo {
    /// Into this sprint (the next one, as a rule).
    Sprint(Id),
    TopOfBacklog,
    BottomOfBacklog,
}

/// What a sprint's review reads: its record, frozen when it closed, or
/// worked out from its commitment and its items while it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SprintRecord {
    pub items: Vec<RecordItem>,
    /// Read from the frozen record of a closed sprint.
    pub frozen: bool,
    /// Where each carried item went, for a closed sprint: `S4`, `top`, `bottom`.
    pub carried_to: Vec<(Id, String)>,
}

impl Store {
    /// Starts a sprint on `today`: it becomes active, what it holds now
    /// becomes its commitment (titles and points copied), and its goal now
    /// its goal at start (M2: a goal changed later keeps this one).
    pub fn start_sprint(&mut self, id: Id, today: NaiveDate, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Sprint, id)?;
            // Started (or closed) already, in another window perhaps since
            // this one asked: said as such, not as a deleted sprint.
            let started: Option<(u32, String)> = tx
                .query_row("SELECT number, CAST(state AS TEXT) FROM sprint WHERE id = ?1 AND state != 'planned'", [id], |row| {
                    Ok((super::clean::whole(row, 0)?, super::clean::lenient(row, 1)?))
                })
                .optional()?;
            if let Some((sprint, state)) = started {
                return Err(StoreError::StartedAlready { sprint, state }.inside_sqlite());
            }
            let rows = tx.execute(
                "UPDATE sprint SET state = 'active', started_on = ?2, goal_at_start = goal WHERE id = ?1 AND state = 'planned'",
                params![id, today.to_string()],
            )?;
            super::found(rows)?;
            tx.execute("DELETE FROM sprint_commitment WHERE sprint_id = ?1", [id])?;
            tx.execute(
                "INSERT INTO sprint_commitment (sprint_id, item_id, position, title, points)
                 SELECT ?1, id, row_number() OVER (ORDER BY rank, id), CAST(title AS TEXT), max(CAST(points AS INTEGER), 0)
                 FROM item WHERE sprint_id = ?1",
                [id],
            )?;
            Ok(())
        })
    }

    /// The record a review shows: frozen for a closed sprint, else worked
    /// out from the commitment and the items now.
    pub fn sprint_record(&self, id: Id) -> Result<SprintRecord, StoreError> {
        let state: String = self.conn.query_row("SELECT state FROM sprint WHERE id = ?1", [id], |row| row.get(0))?;
        if SprintState::parse(&state) == Some(SprintState::Closed) {
            return Ok(self.frozen_record(id)?);
        }
        let commitment = self
            .conn
            .prepare_cached("SELECT item_id, title, points FROM sprint_commitment WHERE sprint_id = ?1 ORDER BY position")?
            .query_map([id], |row| Ok(Committed { item_id: row.get(0)?, title: row.get(1)?, points: row.get(2)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let now = planned_items(&self.conn, id)?;
        Ok(SprintRecord { items: record(&commitment, &now), frozen: false, carried_to: Vec::new() })
    }

    fn frozen_record(&self, id: Id) -> rusqlite::Result<SprintRecord> {
        let mut carried_to = Vec::new();
        let items = self
            .conn
            .prepare_cached(
                "SELECT item_id, title, points, committed, outcome, key_results, carried_to
                 FROM sprint_record_item WHERE sprint_id = ?1 ORDER BY position",
            )?
            .query_map([id], |row| {
                let outcome: String = row.get(4)?;
                let key_results: String = row.get(5)?;
                Ok((
                    RecordItem {
                        item_id: row.get(0)?,
                        title: row.get(1)?,
                        points: row.get(2)?,
                        committed: row.get(3)?,
                        outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Carried),
                        key_results: key_results.split(',').filter_map(|id| id.parse().ok()).collect(),
                    },
                    row.get::<_, String>(6)?,
                ))
            })?
            .map(|row| {
                row.map(|(item, to)| {
                    if !to.is_empty() {
                        carried_to.push((item.item_id, to));
                    }
                    item
                })
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(SprintRecord { items, frozen: true, carried_to })
    }

    /// Closes a sprint on `today`: its record is frozen, and each
    /// unfinished item goes where `carry` says (the top of the backlog
    /// when it says nothing). One step: undo reopens the sprint and brings
    /// the items back.
    pub fn close_sprint(&mut self, id: Id, today: NaiveDate, carry: &[(Id, CarryTo)], label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Sprint, id)?;
            // Its record is worked out against its commitment, made when it
            // started: a sprint never started has none.
            let planned: Option<u32> = tx
                .query_row("SELECT number FROM sprint WHERE id = ?1 AND state = 'planned'", [id], |row| row.get(0))
                .optional()?;
            if let Some(sprint) = planned {
                return Err(StoreError::NotStarted { sprint }.inside_sqlite());
            }
            // Closed already (here or elsewhere): said as such, not as a
            // deleted sprint.
            let closed: Option<u32> = tx
                .query_row("SELECT number FROM sprint WHERE id = ?1 AND state = 'closed'", [id], |row| row.get(0))
                .optional()?;
            if let Some(sprint) = closed {
                return Err(StoreError::StartedAlready { sprint, state: "closed".into() }.inside_sqlite());
            }
            let rows = tx.execute(
                "UPDATE sprint SET state = 'closed', closed_on = ?2 WHERE id = ?1 AND state != 'closed'",
                params![id, today.to_string()],
            )?;
            super::found(rows)?;
            let commitment = tx
                .prepare_cached("SELECT item_id, title, points FROM sprint_commitment WHERE sprint_id = ?1 ORDER BY position")?
                .query_map([id], |row| Ok(Committed { item_id: row.get(0)?, title: row.get(1)?, points: row.get(2)? }))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let items = record(&commitment, &planned_items(tx, id)?);
            // Unfinished items go on first. Those sent to the top go in
            // reverse, so that they keep their order there.
            let destination = |item: &RecordItem| {
                carry.iter().find(|(item_id, _)| *item_id == item.item_id).map_or(CarryTo::TopOfBacklog, |(_, to)| *to)
            };
            let carried = items.iter().filter(|item| item.outcome == Outcome::Carried);
            let mut carried_to = Vec::new();
            for item in carried.clone().filter(|item| destination(item) != CarryTo::TopOfBacklog) {
                carried_to.push((item.item_id, carry_item(tx, item.item_id, destination(item))?));
            }
            for item in carried.rev().filter(|item| destination(item) == CarryTo::TopOfBacklog) {
                carried_to.push((item.item_id, carry_item(tx, item.item_id, CarryTo::TopOfBacklog)?));
            }
            tx.execute("DELETE FROM sprint_record_item WHERE sprint_id = ?1", [id])?;
            for (position, item) in (1_i64..).zip(&items) {
                let to = carried_to.iter().find(|(item_id, _)| *item_id == item.item_id).map_or("", |(_, to)| to.as_str());
                let key_results = item.key_results.iter().map(Id::to_string).collect::<Vec<_>>().join(",");
                tx.prepare_cached(
                    "INSERT INTO sprint_record_item
                         (sprint_id, item_id, position, title, points, committed, outcome, key_results, carried_to)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?
                .execute(params![
                    id,
                    item.item_id,
                    position,
                    item.title,
                    item.points,
                    item.committed,
                    item.outcome.as_str(),
                    key_results,
                    to
                ])?;
            }
            Ok(())
        })
    }

    /// Records the team's verdict on a sprint's goal.
    pub fn set_goal_verdict(&mut self, id: Id, verdict: GoalVerdict, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            super::quarters::refuse_closed(tx, super::quarters::QuarterPart::Sprint, id)?;
            let rows = tx.execute("UPDATE sprint SET goal_verdict = ?2 WHERE id = ?1", params![id, verdict.as_str()])?;
            super::found(rows)
        })
    }
}

/// The sprints whose state, start and record disagree: planned yet started
/// or recorded, active without a start or with a record, closed without a
/// start or a close date. An undo that would make one is refused
/// (`history::try_replay`); with their state and number.
pub(super) fn inconsistent_sprints(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<(Id, u32, bool)>> {
    conn.prepare_cached(
        "SELECT s.id, s.number, s.state = 'closed' FROM sprint s
         WHERE CASE s.state
             WHEN 'planned' THEN s.started_on IS NOT NULL OR s.closed_on IS NOT NULL
                 OR EXISTS (SELECT 1 FROM sprint_record_item r WHERE r.sprint_id = s.id)
             WHEN 'active' THEN s.started_on IS NULL OR s.closed_on IS NOT NULL
                 OR EXISTS (SELECT 1 FROM sprint_record_item r WHERE r.sprint_id = s.id)
             ELSE s.started_on IS NULL OR s.closed_on IS NULL
         END",
    )?
    .query_map([], |row| Ok((row.get(0)?, super::clean::whole(row, 1)?, row.get(2)?)))?
    .collect()
}

/// Closed sprints whose carried items a later sprint committed to when it
/// started since: (the closed sprint, the later sprint's number). Undoing
/// such a close would take those items out of that commitment, so it is
/// refused until the later start is undone (`history::try_replay`).
pub(super) fn closes_a_start_depends_on(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<(Id, u32)>> {
    conn.prepare_cached(
        "SELECT DISTINCT s.id, t.number FROM sprint_record_item r
         JOIN sprint s ON s.id = r.sprint_id AND s.state = 'closed'
         JOIN sprint t ON t.quarter_id = s.quarter_id AND 'S' || t.number = r.carried_to AND t.state != 'planned'
         JOIN sprint_commitment c ON c.sprint_id = t.id AND c.item_id = r.item_id",
    )?
    .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
    .collect()
}

/// The items planned into sprint `id` now, with their tags.
fn planned_items(conn: &rusqlite::Connection, id: Id) -> rusqlite::Result<Vec<Planned>> {
    conn.prepare_cached(
        "SELECT i.id, CAST(i.title AS TEXT), max(CAST(i.points AS INTEGER), 0), i.state = 'done',
                coalesce((SELECT group_concat(key_result_id) FROM item_kr WHERE item_id = i.id), '')
         FROM item i WHERE i.sprint_id = ?1 ORDER BY i.rank, i.id",
    )?
    .query_map([id], |row| {
        let tags: String = row.get(4)?;
        Ok(Planned {
            item_id: row.get(0)?,
            title: super::clean::lenient(row, 1)?,
            points: u32::try_from(row.get::<_, i64>(2)?).unwrap_or(u32::MAX),
            done: row.get(3)?,
            key_results: tags.split(',').filter_map(|id| id.parse().ok()).collect(),
        })
    })?
    .collect()
}

/// Sends an unfinished item on; returns where, in the record's words.
fn carry_item(tx: &Transaction<'_>, item: Id, to: CarryTo) -> rusqlite::Result<String> {
    match to {
        CarryTo::Sprint(sprint) => {
            tx.execute("UPDATE item SET sprint_id = ?2 WHERE id = ?1", params![item, sprint])?;
            let number: u32 =
                tx.query_row("SELECT number FROM sprint WHERE id = ?1", [sprint], |row| super::clean::whole(row, 0))?;
            Ok(codes::sprint(number))
        }
        CarryTo::TopOfBacklog => {
            tx.execute(
                "UPDATE item SET sprint_id = NULL, rank = (SELECT min(rank) FROM item) - ?2 WHERE id = ?1",
                params![item, RANK_GAP],
            )?;
            Ok("top".into())
        }
        CarryTo::BottomOfBacklog => {
            tx.execute(
                "UPDATE item SET sprint_id = NULL, rank = (SELECT max(rank) FROM item) + ?2 WHERE id = ?1",
                params![item, RANK_GAP],
            )?;
            Ok("bottom".into())
        }
    }
}

/// For a quarter whose sprints come from a plan (the demo, an import) with
/// their states already set: each started sprint committed to the items it
/// holds, and each closed one is recorded as they stand (done, or carried).
pub(super) fn record_as_planned(tx: &Transaction<'_>, quarter_id: Id) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE sprint SET started_on = start_date, goal_at_start = coalesce(goal_at_start, goal)
         WHERE quarter_id = ?1 AND state IN ('active', 'closed')",
        [quarter_id],
    )?;
    tx.execute("UPDATE sprint SET closed_on = end_date WHERE quarter_id = ?1 AND state = 'closed'", [quarter_id])?;
    tx.execute(
        "INSERT INTO sprint_commitment (sprint_id, item_id, position, title, points)
         SELECT i.sprint_id, i.id, row_number() OVER (PARTITION BY i.sprint_id ORDER BY i.rank, i.id), i.title, i.points
         FROM item i JOIN sprint s ON s.id = i.sprint_id WHERE s.quarter_id = ?1 AND s.state IN ('active', 'closed')",
        [quarter_id],
    )?;
    tx.execute(
        "INSERT INTO sprint_record_item (sprint_id, item_id, position, title, points, committed, outcome, key_results)
         SELECT i.sprint_id, i.id, row_number() OVER (PARTITION BY i.sprint_id ORDER BY i.rank, i.id), i.title, i.points, 1,
                CASE WHEN i.state = 'done' THEN 'done' ELSE 'carried' END,
                coalesce((SELECT group_concat(key_result_id) FROM item_kr WHERE item_id = i.id), '')
         FROM item i JOIN sprint s ON s.id = i.sprint_id WHERE s.quarter_id = ?1 AND s.state = 'closed'",
        [quarter_id],
    )?;
    Ok(())
}
