//! The sync's import of a merged quarter as the difference from what the
//! board holds: the items that changed are updated, new ones inserted,
//! gone ones deleted, by number and stable id, so that a sync that merged
//! 100 items of a 10,000-item quarter writes (and its undo step holds)
//! 100 items, not the whole quarter. Everything else of the quarter must
//! be as the board has it; any other change (objectives, KRs, check-ins,
//! sprints, the team, an item's key in another tool) falls back to the
//! full replace (`plan_replace::replace_in`). The board after either is
//! the same (tests/sync_diff_import.rs compares them table by table).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{Transaction, params, types::Value};

use super::{
    plan_export::{export, export_okrs},
    plan_import::{insert_batched, uid},
    plan_replace::replace_in,
};
use crate::{
    domain::{Id, SprintState, calendar::SprintDates},
    plan::{Plan, PlanItem},
};

/// `plan` written in place of quarter `replacing` (or as a new quarter),
/// as the items' difference where only items changed, else as a full
/// replace; inside a recorded step. `as_read` is the replaced quarter as
/// exported in this transaction's view of the file, if the caller has it
/// (else it is exported here).
pub(super) fn import_in(
    tx: &Transaction<'_>,
    plan: &Plan,
    dates: &[SprintDates],
    today: NaiveDate,
    replacing: Option<Id>,
    as_read: Option<&Plan>,
) -> rusqlite::Result<Id> {
    if let Some(quarter_id) = replacing {
        let exported;
        let board = match as_read {
            Some(board) => board,
            None => {
                exported = export(tx, quarter_id)?;
                &exported
            }
        };
        if only_items_differ(board, plan) {
            write_item_difference(tx, quarter_id, board, plan)?;
            return Ok(quarter_id);
        }
    }
    replace_in(tx, plan, dates, today, replacing)
}

/// Whether `new` is `board` with only its items changed, in ways the
/// difference writes exactly as the full replace would.
fn only_items_differ(board: &Plan, new: &Plan) -> bool {
    // Every field named, so that a field added to `Plan` is decided here.
    let Plan { item_numbers_used: _, quarter, objectives, sprints, items: _, team } = new;
    if *quarter != board.quarter || *objectives != board.objectives || *sprints != board.sprints || *team != board.team {
        return false;
    }
    // The full replace records a started sprint's commitment (and a closed
    // one's record) from its items where the plan gives none.
    let frozen = sprints.iter().all(|sprint| match sprint.state {
        None => false,
        Some(SprintState::Planned) => true,
        Some(SprintState::Active) => sprint.commitment.is_some(),
        Some(SprintState::Closed) => sprint.commitment.is_some() && sprint.record.is_some(),
    });
    let by_number: HashMap<i64, &PlanItem> = board.items.iter().filter_map(|item| Some((item.number?, item))).collect();
    let mut numbers = HashSet::new();
    frozen
        && by_number.len() == board.items.len()
        && new.items.iter().all(|item| {
            // Placed by the plan (no number or rank given out here), once each.
            let (Some(number), Some(_), Some(id)) = (item.number, item.rank, uid(&item.id)) else { return false };
            let old = by_number.get(&number);
            numbers.insert(number)
                && old.is_none_or(|old| uid(&old.id) == Some(id))
                // A key another item holds stays with the item first in the
                // file: left to the full replace.
                && old.map_or(item.external.is_none(), |old| old.external == item.external)
        })
}

/// The item columns as the full replace writes them, but the number, the
/// stable id and `done_in_earlier_quarter`.
fn columns(item: &PlanItem, sprint_ids: &HashMap<u32, Id>) -> [Value; 10] {
    [
        Value::Text(item.title.clone()),
        Value::Text(item.description.clone()),
        Value::Text(item.kind.as_str().to_owned()),
        Value::Integer(i64::from(item.points)),
        Value::Text(item.state.as_str().to_owned()),
        item.rank.map_or(Value::Null, Value::Integer),
        item.sprint.and_then(|number| sprint_ids.get(&number)).map_or(Value::Null, |id| Value::Integer(*id)),
        item.done_on.map_or(Value::Null, |date| Value::Text(date.to_string())),
        Value::Text(item.deferred_reason.clone()),
        Value::Integer(i64::from(item.needs_retag)),
    ]
}

fn write_item_difference(tx: &Transaction<'_>, quarter_id: Id, board: &Plan, new: &Plan) -> rusqlite::Result<()> {
    let sprint_ids: HashMap<u32, Id> = tx
        .prepare("SELECT number, id FROM sprint WHERE quarter_id = ?1")?
        .query_map([quarter_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let kr_ids: HashMap<String, Id> = export_okrs(tx, quarter_id)?.1.into_iter().map(|(id, code)| (code, id)).collect();
    let kr_id = |code: &String| kr_ids.get(code).copied().ok_or(rusqlite::Error::InvalidQuery);
    let old_items: HashMap<i64, &PlanItem> = board.items.iter().filter_map(|item| Some((item.number?, item))).collect();
    let kept: HashSet<i64> = new.items.iter().filter_map(|item| item.number).collect();

    // Gone first: a stable id may come back on another number.
    let mut delete = tx.prepare_cached("DELETE FROM item WHERE id = ?1")?;
    for number in old_items.keys().filter(|number| !kept.contains(number)) {
        delete.execute([number])?;
    }
    let mut update = tx.prepare_cached(
        "UPDATE item SET title = ?2, description = ?3, kind = ?4, points = ?5, state = ?6, rank = ?7, sprint_id = ?8,
             done_on = ?9, deferred_reason = ?10, needs_retag = ?11 WHERE id = ?1",
    )?;
    // Written after the columns: moving an item unfiles it (schema v10's
    // trigger), where the plan says what it is.
    let mut filed =
        tx.prepare_cached("UPDATE item SET done_in_earlier_quarter = ?2 WHERE id = ?1 AND done_in_earlier_quarter IS NOT ?2")?;
    let mut untag = tx.prepare_cached("DELETE FROM item_kr WHERE item_id = ?1 AND key_result_id = ?2")?;
    let mut tag = tx.prepare_cached("INSERT INTO item_kr (item_id, key_result_id, rank, points) VALUES (?1, ?2, ?3, ?4)")?;
    let mut untag_other = tx.prepare_cached(
        "DELETE FROM item_kr WHERE item_id = ?1 AND key_result_id = (SELECT id FROM key_result WHERE uid = ?2)",
    )?;
    let mut tag_other = tx.prepare_cached(
        "INSERT OR IGNORE INTO item_kr (item_id, key_result_id, rank, points) SELECT ?1, id, ?2, ?3 FROM key_result WHERE uid = ?4",
    )?;
    let mut added = Vec::new();
    for item in &new.items {
        let Some(number) = item.number else { continue };
        let Some(old) = old_items.get(&number) else {
            added.push(item);
            continue;
        };
        if *old == item {
            continue;
        }
        let (now, before) = (columns(item, &sprint_ids), columns(old, &sprint_ids));
        if now != before {
            let mut values = vec![Value::Integer(number)];
            values.extend(now);
            update.execute(rusqlite::params_from_iter(values))?;
        }
        filed.execute(params![number, item.done_in_earlier_quarter])?;
        for code in old.krs.iter().filter(|code| !item.krs.contains(code)) {
            untag.execute(params![number, kr_id(code)?])?;
        }
        for code in item.krs.iter().filter(|code| !old.krs.contains(code)) {
            tag.execute(params![number, kr_id(code)?, item.rank, item.points])?;
        }
        for kr in old.other_krs.iter().filter(|kr| !item.other_krs.contains(kr)).filter_map(|kr| uid(&Some(kr.clone()))) {
            untag_other.execute(params![number, kr])?;
        }
        for kr in item.other_krs.iter().filter(|kr| !old.other_krs.contains(kr)).filter_map(|kr| uid(&Some(kr.clone()))) {
            tag_other.execute(params![number, item.rank, item.points, kr])?;
        }
    }
    insert_items(tx, &added, &sprint_ids, &kr_id)?;
    if let Some(used) = new.item_numbers_used {
        tx.prepare_cached("UPDATE number_high_water SET high = max(high, ?1) WHERE kind = 'item'")?.execute([used])?;
    }
    Ok(())
}

/// New items, written as the full replace writes them.
fn insert_items(
    tx: &Transaction<'_>,
    added: &[&PlanItem],
    sprint_ids: &HashMap<u32, Id>,
    kr_id: &dyn Fn(&String) -> rusqlite::Result<Id>,
) -> rusqlite::Result<()> {
    let rows = added.iter().map(|item| {
        let [title, description, kind, points, state, rank, sprint, done_on, deferred, needs_retag] = columns(item, sprint_ids);
        [
            item.number.map_or(Value::Null, Value::Integer),
            title,
            description,
            kind,
            points,
            state,
            rank,
            sprint,
            done_on,
            deferred,
            uid(&item.id).map_or(Value::Null, Value::Text),
            needs_retag,
            Value::Integer(i64::from(item.done_in_earlier_quarter)),
        ]
    });
    insert_batched(
        tx,
        "INSERT INTO item (id, title, description, kind, points, state, rank, sprint_id, done_on, deferred_reason, uid, needs_retag, done_in_earlier_quarter)",
        rows,
    )?;
    let mut tags = Vec::new();
    for item in added {
        for code in &item.krs {
            tags.push(
                [item.number, Some(kr_id(code)?), item.rank, Some(i64::from(item.points))]
                    .map(|value| value.map_or(Value::Null, Value::Integer)),
            );
        }
    }
    insert_batched(tx, "INSERT INTO item_kr (item_id, key_result_id, rank, points)", tags.into_iter())?;
    let mut history_tag = tx.prepare_cached(
        "INSERT OR IGNORE INTO item_kr (item_id, key_result_id, rank, points) SELECT ?1, id, ?2, ?3 FROM key_result WHERE uid = ?4",
    )?;
    for item in added {
        for kr in item.other_krs.iter().filter_map(|kr| uid(&Some(kr.clone()))) {
            history_tag.execute(params![item.number, item.rank, item.points, kr])?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "plan_difference_tests.rs"]
mod tests;
