//! A synthetic board's undo history (`quarterdeck demo --items N`): real
//! recorded edits through the same store calls the board makes, so undo is
//! measured against a full history.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::{Store, StoreError};
use crate::{
    domain::{Id, quoted},
    plan::{Plan, SyntheticEdit},
};

impl Store {
    /// Writes a synthetic board (`Plan::synthetic`) with a full undo history
    /// of edits on it: what `quarterdeck demo --items N` and the benches load.
    pub fn import_synthetic(&mut self, plan: &Plan, today: NaiveDate, replace: bool) -> Result<Id, StoreError> {
        let quarter_id = self.import_plan(plan, today, replace)?;
        // More edits than the history keeps, since an edit that changes
        // nothing (a tag an item already has) leaves no step: it ends full.
        let depth = usize::try_from(super::history::HISTORY_DEPTH).unwrap_or(0);
        self.write_synthetic_history(quarter_id, &plan.synthetic_history(depth + depth / 2), today)?;
        Ok(quarter_id)
    }

    /// Applies `edits` to the quarter `quarter_id`, each as one recorded step.
    pub fn write_synthetic_history(
        &mut self,
        quarter_id: Id,
        edits: &[SyntheticEdit],
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        let key_results: Vec<(Id, String)> = self
            .conn
            .prepare(
                "SELECT k.id, 'KR' || o.position || '.' || k.position FROM key_result k JOIN objective o ON o.id = k.objective_id
                 WHERE o.quarter_id = ?1 ORDER BY o.position, k.position",
            )?
            .query_map([quarter_id], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // A generated history is one bulk load, not a user's actions: it is
        // made durable once, at the end, rather than at each of its steps.
        self.conn.execute_batch("PRAGMA synchronous = NORMAL")?;
        let written = self.apply_edits(quarter_id, &key_results, edits, today);
        self.conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(FULL);")?;
        written
    }

    fn apply_edits(
        &mut self,
        quarter_id: Id,
        key_results: &[(Id, String)],
        edits: &[SyntheticEdit],
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        for edit in edits {
            match *edit {
                SyntheticEdit::RankDown(place) => {
                    let ((id, title), (below, _)) = (self.item_at(place)?, self.item_at(place + 1)?);
                    self.swap_ranks(id, below, &format!("Moved {} down", quoted(&title)))?;
                }
                SyntheticEdit::Tag(place, picks) => {
                    let (id, title) = self.item_at(place)?;
                    let mut tags: Vec<&(Id, String)> = picks.iter().flatten().filter_map(|pick| key_results.get(*pick)).collect();
                    tags.dedup();
                    let codes: Vec<&str> = tags.iter().map(|(_, code)| code.as_str()).collect();
                    let ids: Vec<Id> = tags.iter().map(|(id, _)| *id).collect();
                    self.set_item_tags(id, &ids, &format!("Tagged {} with {}", quoted(&title), codes.join(", ")))?;
                }
                SyntheticEdit::State(place, state) => {
                    let (id, title) = self.item_at(place)?;
                    self.set_item_state(id, state, today, &format!("{} is now {}", quoted(&title), state.as_str()))?;
                }
                SyntheticEdit::Sprint(place, number) => {
                    // A closed sprint's record is frozen: only items and
                    // sprints still open take part (the sprint asked for,
                    // else the next one still to close).
                    let (id, title) = self.movable_item_at(place)?;
                    let target: Option<(Id, u32)> = match number {
                        Some(number) => self
                            .conn
                            .query_row(
                                "SELECT id, number FROM sprint WHERE quarter_id = ?1 AND state != 'closed'
                                 ORDER BY number < ?2, number LIMIT 1",
                                rusqlite::params![quarter_id, number],
                                |row| Ok((row.get(0)?, row.get(1)?)),
                            )
                            .optional()?,
                        None => None,
                    };
                    let (sprint, number) = (target.map(|(id, _)| id), target.map(|(_, number)| number));
                    let label = match number {
                        Some(number) => format!("Moved {} to Sprint {number}", quoted(&title)),
                        None => format!("Took {} out of its sprint", quoted(&title)),
                    };
                    self.set_item_sprint(id, sprint, &label)?;
                }
            }
        }
        Ok(())
    }

    /// The item at `place` (wrapping round) in backlog order among those
    /// in no closed sprint.
    fn movable_item_at(&self, place: usize) -> Result<(Id, String), StoreError> {
        let movable: i64 = self.conn.query_row(
            "SELECT count(*) FROM item i LEFT JOIN sprint s ON s.id = i.sprint_id WHERE s.state IS NOT 'closed'",
            [],
            |row| row.get(0),
        )?;
        let offset = i64::try_from(place).unwrap_or(i64::MAX) % movable.max(1);
        self.conn
            .prepare_cached(
                "SELECT i.id, i.title FROM item i LEFT JOIN sprint s ON s.id = i.sprint_id WHERE s.state IS NOT 'closed'
                 ORDER BY i.rank, i.id LIMIT 1 OFFSET ?1",
            )?
            .query_row([offset], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?
            .ok_or(StoreError::NoItemAt { place, outside_closed: true })
    }

    /// The item at `place` in backlog order (0 is the top).
    fn item_at(&self, place: usize) -> Result<(Id, String), StoreError> {
        let offset = i64::try_from(place).unwrap_or(i64::MAX);
        self.conn
            .prepare_cached("SELECT id, title FROM item ORDER BY rank, id LIMIT 1 OFFSET ?1")?
            .query_row([offset], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?
            .ok_or(StoreError::NoItemAt { place, outside_closed: false })
    }
}
