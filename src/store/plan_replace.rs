//! `quarterdeck import FILE`: a plan file written into the board as one
//! undoable step, as a new quarter or in place of the quarter it is (same
//! stable id or same label). Merging builds the plan to write first
//! (`plan::merge`), then replaces the quarter with it.

use std::collections::HashSet;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{
    Store, StoreError,
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
    pub fn quarter_of_plan(&self, plan: &Plan) -> Result<Option<Id>, StoreError> {
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
    pub fn import_plan_file(
        &mut self,
        plan: &Plan,
        today: NaiveDate,
        replacing: Option<Id>,
        label: &str,
    ) -> Result<Id, StoreError> {
        plan.validate().map_err(StoreError::InvalidPlan)?;
        let dates = plan.sprint_dates().map_err(StoreError::InvalidPlan)?;
        self.refuse_clashes(plan, replacing)?;
        self.record(label, |tx| replace_in(tx, plan, &dates, today, replacing))
    }

    /// Ids and item numbers the plan gives that another quarter of the
    /// board (not the one replaced) has already.
    pub(super) fn refuse_clashes(&self, plan: &Plan, replacing: Option<Id>) -> Result<(), StoreError> {
        // One read transaction for the whole check: 10,000 lookups each
        // taking and dropping the file's shared lock cost more than the
        // lookups themselves. Nothing is written; dropping it ends it.
        let _reading = self.conn.unchecked_transaction()?;
        let (replaced_ids, replaced_items) = match replacing {
            Some(quarter_id) => self.keys_of_quarter(quarter_id)?,
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

    /// The stable ids of everything quarter `quarter_id` holds, and its
    /// items' numbers: what a plan replacing it may give again. Read by
    /// SQL, not by exporting the quarter (a 10,000-item sync's import
    /// would export it twice more).
    fn keys_of_quarter(&self, quarter_id: Id) -> Result<(HashSet<String>, HashSet<Id>), StoreError> {
        const UIDS: [&str; 8] = [
            "SELECT uid FROM quarter WHERE id = ?1",
            "SELECT uid FROM objective WHERE quarter_id = ?1",
            "SELECT k.uid FROM key_result k JOIN objective o ON o.id = k.objective_id WHERE o.quarter_id = ?1",
            "SELECT c.uid FROM check_in c JOIN key_result k ON k.id = c.key_result_id
                JOIN objective o ON o.id = k.objective_id WHERE o.quarter_id = ?1",
            "SELECT uid FROM sprint WHERE quarter_id = ?1",
            "SELECT r.uid FROM retro_note r JOIN sprint s ON s.id = r.sprint_id WHERE s.quarter_id = ?1",
            "SELECT uid FROM team_member WHERE quarter_id = ?1",
            "SELECT uid FROM item WHERE id IN (QUARTER_ITEMS)",
        ];
        let mut ids = HashSet::new();
        for sql in UIDS {
            let sql = sql.replace("QUARTER_ITEMS", QUARTER_ITEMS);
            let mut rows = self.conn.prepare_cached(&sql)?;
            // A uid that is not text (a damaged value) is no id at all.
            let uids = rows.query_map([quarter_id], |row| row.get::<_, rusqlite::types::Value>(0))?;
            for found in uids {
                if let rusqlite::types::Value::Text(found) = found? {
                    ids.extend(uid(&Some(found)));
                }
            }
        }
        let numbers = self
            .conn
            .prepare_cached(QUARTER_ITEMS)?
            .query_map([quarter_id], |row| row.get(0))?
            .collect::<rusqlite::Result<HashSet<Id>>>()?;
        Ok((ids, numbers))
    }
}

/// `plan` written as a new quarter, or in place of quarter `replacing`
/// with the links other quarters have into it kept, inside a recorded step.
pub(super) fn replace_in(
    tx: &Transaction<'_>,
    plan: &Plan,
    dates: &[crate::domain::calendar::SprintDates],
    today: NaiveDate,
    replacing: Option<Id>,
) -> rusqlite::Result<Id> {
    let Some(quarter_id) = replacing else { return insert_plan(tx, plan, dates, today) };
    let links = Links::into_quarter(tx, quarter_id)?;
    delete_quarter(tx, quarter_id)?;
    let new = insert_plan(tx, plan, dates, today)?;
    links.restore(tx)?;
    Ok(new)
}

/// What other quarters hold that points into a quarter about to be
/// replaced, by row id: their items' tags to its KRs (history), their
/// objectives aligned to its objectives, their sprints' records naming its
/// KRs. Kept by stable id and pointed at the new rows afterwards, so that
/// replacing a quarter by its own export changes nothing elsewhere.
struct Links {
    tags: Vec<(Id, String)>,
    parents: Vec<(Id, String)>,
    records: Vec<(Id, Id, Vec<RecordedKr>)>,
}

/// A KR a frozen record names: another quarter's, kept by its row id, or
/// the replaced quarter's, found again by its stable id.
enum RecordedKr {
    Kept(String),
    Replaced(String),
}

impl Links {
    fn into_quarter(tx: &Transaction<'_>, quarter_id: Id) -> rusqlite::Result<Self> {
        let pairs = |sql: &str| -> rusqlite::Result<Vec<(Id, String)>> {
            tx.prepare(sql)?.query_map([quarter_id], |row| Ok((row.get(0)?, row.get(1)?)))?.collect()
        };
        let tags = pairs(&format!(
            "SELECT t.item_id, k.uid FROM item_kr t JOIN key_result k ON k.id = t.key_result_id
             JOIN objective o ON o.id = k.objective_id WHERE o.quarter_id = ?1 AND t.item_id NOT IN ({QUARTER_ITEMS})"
        ))?;
        let parents = pairs(
            "SELECT o.id, p.uid FROM objective o JOIN objective p ON p.id = o.parent_id WHERE p.quarter_id = ?1 AND o.quarter_id != ?1",
        )?;
        let kr_uids: std::collections::HashMap<String, String> =
            pairs("SELECT k.id, k.uid FROM key_result k JOIN objective o ON o.id = k.objective_id WHERE o.quarter_id = ?1")?
                .into_iter()
                .map(|(id, uid)| (id.to_string(), uid))
                .collect();
        let mut records = Vec::new();
        let mut rows = tx.prepare(
            "SELECT sprint_id, item_id, key_results FROM sprint_record_item
             WHERE key_results != '' AND sprint_id NOT IN (SELECT id FROM sprint WHERE quarter_id = ?1)",
        )?;
        let mut found = rows.query([quarter_id])?;
        while let Some(row) = found.next()? {
            let ids: String = row.get(2)?;
            let parts: Vec<&str> = ids.split(',').map(str::trim).collect();
            if parts.iter().any(|id| kr_uids.contains_key(*id)) {
                let named = parts
                    .iter()
                    .map(|id| {
                        kr_uids
                            .get(*id)
                            .map_or_else(|| RecordedKr::Kept((*id).to_owned()), |uid| RecordedKr::Replaced(uid.clone()))
                    })
                    .collect();
                records.push((row.get(0)?, row.get(1)?, named));
            }
        }
        Ok(Self { tags, parents, records })
    }

    fn restore(&self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        let mut tag = tx.prepare_cached(
            "INSERT OR IGNORE INTO item_kr (item_id, key_result_id) SELECT ?1, id FROM key_result WHERE uid = ?2",
        )?;
        for (item, kr) in &self.tags {
            tag.execute(params![item, kr])?;
        }
        let mut align =
            tx.prepare_cached("UPDATE objective SET parent_id = (SELECT id FROM objective WHERE uid = ?2) WHERE id = ?1")?;
        for (objective, parent) in &self.parents {
            align.execute(params![objective, parent])?;
        }
        let mut kr_by_uid = tx.prepare_cached("SELECT id FROM key_result WHERE uid = ?1")?;
        let mut record =
            tx.prepare_cached("UPDATE sprint_record_item SET key_results = ?3 WHERE sprint_id = ?1 AND item_id = ?2")?;
        for (sprint, item, named) in &self.records {
            let mut ids = Vec::with_capacity(named.len());
            for kr in named {
                match kr {
                    RecordedKr::Kept(id) => ids.push(id.clone()),
                    // A KR the new quarter no longer has leaves the record.
                    RecordedKr::Replaced(uid) => {
                        ids.extend(kr_by_uid.query_row([uid], |row| row.get::<_, Id>(0)).optional()?.map(|id| id.to_string()));
                    }
                }
            }
            record.execute(params![sprint, item, ids.join(",")])?;
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
