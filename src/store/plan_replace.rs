//! `quarterdeck import FILE`: a plan file written into the board as one
//! undoable step, as a new quarter or in place of the quarter it is (same
//! stable id or same label). Merging builds the plan to write first
//! (`plan::merge`), then replaces the quarter with it.

use std::collections::HashSet;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{
    Store,
    plan_export::QUARTER_ITEMS,
    plan_import::{insert_plan, uid},
};
use crate::{domain::Id, plan::Plan};

/// Something in a plan that clashes with the board; the message begins
/// with the field (`items[3].number is 42: ...`), so that the command line
/// can point at its line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanConflict(pub String);

impl std::fmt::Display for PlanConflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PlanConflict {}

impl Store {
    /// The quarter on the board that `plan` is: the one with its stable id,
    /// else the one with its label.
    pub fn quarter_of_plan(&self, plan: &Plan) -> anyhow::Result<Option<Id>> {
        if let Some(id) = uid(&plan.quarter.id) {
            let found = self.conn.query_row("SELECT id FROM quarter WHERE uid = ?1", [id], |row| row.get(0)).optional()?;
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(self
            .conn
            .query_row("SELECT id FROM quarter WHERE label = ?1", [plan.quarter.label.trim()], |row| row.get(0))
            .optional()?)
    }

    /// Writes `plan` as one undoable step named `label`: a new quarter, or
    /// in place of quarter `replacing` and its items. Nothing is written
    /// when anything in the plan is wrong or clashes with the board.
    pub fn import_plan_file(&mut self, plan: &Plan, today: NaiveDate, replacing: Option<Id>, label: &str) -> anyhow::Result<Id> {
        plan.validate()?;
        let dates = plan.sprint_dates()?;
        self.refuse_clashes(plan, replacing)?;
        self.record(label, |tx| {
            if let Some(quarter_id) = replacing {
                delete_quarter(tx, quarter_id)?;
            }
            insert_plan(tx, plan, &dates, today)
        })
    }

    /// Ids and item numbers the plan gives that another quarter of the
    /// board (not the one replaced) has already.
    fn refuse_clashes(&self, plan: &Plan, replacing: Option<Id>) -> anyhow::Result<()> {
        // One read transaction for the whole check: 10,000 lookups each
        // taking and dropping the file's shared lock cost more than the
        // lookups themselves. Nothing is written; dropping it ends it.
        let _reading = self.conn.unchecked_transaction()?;
        let (replaced_ids, replaced_items): (HashSet<String>, HashSet<Id>) = match replacing {
            Some(quarter_id) => {
                let old = self.export_plan(quarter_id)?;
                let ids = old.stable_ids().into_iter().filter_map(|(_, id)| uid(&Some(id.to_owned()))).collect();
                (ids, old.items.iter().filter_map(|item| item.number).collect())
            }
            None => Default::default(),
        };
        for (field, id) in plan.stable_ids() {
            let Some(canonical) = uid(&Some(id.to_owned())) else { continue };
            if replaced_ids.contains(&canonical) {
                continue;
            }
            if let Ok(found) = self.resolve(&canonical, None) {
                return Err(PlanConflict(format!(
                    "{field} is {id}, which another quarter of this board has already ({}): leave the id out to load a copy",
                    found.name
                ))
                .into());
            }
        }
        let mut taken = self.conn.prepare_cached("SELECT 1 FROM item WHERE id = ?1")?;
        for (i, item) in plan.items.iter().enumerate() {
            let Some(number) = item.number else { continue };
            if !replaced_items.contains(&number) && taken.exists([number])? {
                return Err(PlanConflict(format!(
                    "items[{i}].number is {number}, which item #{number} of another quarter has: leave the number out for a new one"
                ))
                .into());
            }
        }
        Ok(())
    }
}

/// Deletes a quarter with its items (those in its sprints, and the
/// backlog's when it holds it), as part of a recorded step.
fn delete_quarter(tx: &Transaction<'_>, quarter_id: Id) -> rusqlite::Result<()> {
    tx.execute(&format!("DELETE FROM item WHERE id IN ({QUARTER_ITEMS})"), [quarter_id])?;
    tx.execute("DELETE FROM quarter WHERE id = ?1", params![quarter_id])?;
    Ok(())
}
