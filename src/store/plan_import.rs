//! Writing a whole plan (the demo, or an imported file) into the board.
//!
//! Every other write in the store takes the domain's value types
//! (`domain::values`: `Title`, `Points`, `Confidence`, ...). So do the few
//! rows here, objectives, KRs and the team: each value goes through its
//! type's parse, and one that breaks it makes the whole import write
//! nothing. Items (and check-ins, and closed sprints' records) keep the
//! plan's raw values and are written in batches of rows, for speed (a
//! 10,000-item quarter in well under a second): `Plan::validate`, run
//! before the write begins, checks their titles, points and confidences
//! with the same types' parses.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Transaction, params, params_from_iter, types::Value};

use super::StoreError;
use super::{
    Store,
    check_ins::{CheckInFields, sync_current},
};
use crate::domain::codes;
use crate::{
    domain::{
        CheckIn, Id, SprintState,
        calendar::{SprintDates, working_days},
        check_ins,
        validate::FieldError,
        values::{Confidence, DaysOff, FocusFactor, Score, Title},
    },
    plan::Plan,
};

pub use crate::domain::RANK_GAP;

/// The number a new item takes: one above any item has ever had (schema v6).
pub const NEXT_ITEM_NUMBER: &str = "SELECT max(coalesce((SELECT max(id) FROM item), 0), coalesce((SELECT high FROM number_high_water WHERE kind = 'item'), 0)) + 1";

impl Store {
    /// Writes `plan` as a new quarter in one transaction. With `replace`,
    /// everything on the board goes first (the demo's `--force`).
    pub fn import_plan(&mut self, plan: &Plan, today: NaiveDate, replace: bool) -> Result<Id, StoreError> {
        plan.validate().map_err(StoreError::InvalidPlan)?;
        if !replace {
            self.refuse_ids_on_board(plan)?;
        }
        let dates = plan.sprint_dates().map_err(StoreError::InvalidPlan)?;
        self.write(|tx| {
            if replace {
                // Items outlive quarters, so they are cleared on their own.
                // The history goes too: its steps describe rows that are
                // gone, and undoing them would write over the new board.
                tx.execute_batch("DELETE FROM item; DELETE FROM quarter; DELETE FROM ui_state; DELETE FROM history_step;")?;
            }
            insert_plan(tx, plan, &dates, today)
        })
    }
}

/// A value of the plan that its type refuses, at `field`
/// (`objectives[0].key_results[1].title`): the import writes nothing.
fn invalid_plan(field: &str, error: FieldError) -> rusqlite::Error {
    StoreError::InvalidPlan(anyhow::anyhow!("{field}: {}", error.message)).inside_sqlite()
}

/// Writes `plan` as a new quarter (its sprints laid on `dates`); returns
/// the quarter's id. The plan is checked; the caller makes it one step.
pub(super) fn insert_plan(tx: &Transaction<'_>, plan: &Plan, dates: &[SprintDates], today: NaiveDate) -> rusqlite::Result<Id> {
    tx.execute(
        "INSERT INTO quarter (label, start_date, checkin_cadence, overlap_strategy, uid, state, closed_on, closing_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            plan.quarter.label,
            plan.quarter.start.to_string(),
            plan.quarter.checkin_cadence.as_str(),
            plan.quarter.overlap_strategy.as_str(),
            uid(&plan.quarter.id),
            plan.quarter.state.map_or("open", |state| state.as_str()),
            plan.quarter.closed_on.map(|day| day.to_string()),
            plan.quarter.closing_note,
        ],
    )?;
    let quarter_id = tx.last_insert_rowid();
    let kr_ids = insert_okrs(tx, quarter_id, plan, today)?;
    let kr_id = |code: &String| kr_ids.get(code).copied().ok_or(rusqlite::Error::InvalidQuery);

    let mut sprint_ids = Vec::with_capacity(plan.sprints.len());
    let mut insert_sprint = tx.prepare_cached(
        "INSERT INTO sprint (quarter_id, number, start_date, end_date, goal, no_kr_reason, capacity, state, goal_at_start, uid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for ((number, sprint), span) in (1_u32..).zip(&plan.sprints).zip(dates) {
        let state = sprint.state.unwrap_or_else(|| SprintState::by_date(span.start, span.end, today));
        insert_sprint.execute(params![
            quarter_id,
            number,
            span.start.to_string(),
            span.end.to_string(),
            sprint.goal,
            sprint.no_kr_reason,
            sprint.capacity,
            state.as_str(),
            sprint.goal_at_start,
            uid(&sprint.id),
        ])?;
        sprint_ids.push(tx.last_insert_rowid());
    }

    let placed = place_items(tx, plan)?;
    let items = plan.items.iter().zip(&placed).map(|(item, (id, rank))| {
        let sprint_id = item.sprint.and_then(|number| sprint_ids.get(number as usize - 1)).copied();
        [
            Value::Integer(*id),
            Value::Text(item.title.clone()),
            Value::Text(item.description.clone()),
            Value::Text(item.kind.as_str().to_owned()),
            Value::Integer(i64::from(item.points)),
            Value::Text(item.state.as_str().to_owned()),
            Value::Integer(*rank),
            sprint_id.map_or(Value::Null, Value::Integer),
            item.done_on.map_or(Value::Null, |date| Value::Text(date.to_string())),
            Value::Text(item.deferred_reason.clone()),
            // Made here rather than by the table's trigger: one
            // write per item, at 100,000 items.
            Value::Text(uid(&item.id).unwrap_or_else(|| uuid::Uuid::now_v7().hyphenated().to_string())),
            Value::Integer(i64::from(item.needs_retag)),
            Value::Integer(i64::from(item.done_in_earlier_quarter)),
        ]
    });
    insert_batched(
        tx,
        "INSERT INTO item (id, title, description, kind, points, state, rank, sprint_id, done_on, deferred_reason, uid, needs_retag, done_in_earlier_quarter)",
        items,
    )?;
    // A tag carries its item's rank and points (schema v2).
    let mut tags = Vec::new();
    for (item, (id, rank)) in plan.items.iter().zip(&placed) {
        for code in &item.krs {
            tags.push([*id, kr_id(code)?, *rank, i64::from(item.points)].map(Value::Integer));
        }
    }
    insert_batched(tx, "INSERT INTO item_kr (item_id, key_result_id, rank, points)", tags.into_iter())?;
    // An item's key in another tool; a key another item of the board
    // holds already stays with that item.
    let mut external =
        tx.prepare_cached("INSERT OR IGNORE INTO item_external (item_id, source, key, fingerprint) VALUES (?1, ?2, ?3, ?4)")?;
    for (item, (id, _)) in plan.items.iter().zip(&placed) {
        if let Some(from) = &item.external {
            external.execute(params![id, from.source, from.key, from.fingerprint])?;
        }
    }
    let mut history_tag = tx.prepare_cached(
        "INSERT OR IGNORE INTO item_kr (item_id, key_result_id, rank, points) SELECT ?1, id, ?2, ?3 FROM key_result WHERE uid = ?4",
    )?;
    for (item, (id, rank)) in plan.items.iter().zip(&placed) {
        for kr in item.other_krs.iter().filter_map(|kr| uid(&Some(kr.clone()))) {
            history_tag.execute(params![id, rank, item.points, kr])?;
        }
    }
    if let Some(used) = plan.item_numbers_used {
        tx.prepare_cached("UPDATE number_high_water SET high = max(high, ?1) WHERE kind = 'item'")?.execute([used])?;
    }
    // Linked after the items, so that schema v4's triggers build each
    // sprint's relevance in one pass over the tags, not tag by tag.
    let mut link = tx.prepare_cached("INSERT INTO sprint_kr (sprint_id, key_result_id, focus) VALUES (?1, ?2, ?3)")?;
    for (sprint, sprint_id) in plan.sprints.iter().zip(&sprint_ids) {
        for code in &sprint.krs {
            link.execute(params![sprint_id, kr_id(code)?, sprint.focus.as_ref() == Some(code)])?;
        }
    }
    let sprints: Vec<(Id, SprintDates)> = sprint_ids.iter().copied().zip(dates.iter().copied()).collect();
    insert_team(tx, quarter_id, plan, &sprints)?;
    let mut verdict = tx.prepare_cached("UPDATE sprint SET goal_verdict = ?2 WHERE id = ?1")?;
    let mut note = tx.prepare_cached(
        "INSERT INTO retro_note (sprint_id, category, position, text, uid)
         VALUES (?1, ?2, (SELECT count(*) + 1 FROM retro_note WHERE sprint_id = ?1 AND category = ?2), ?3, ?4)",
    )?;
    for (sprint, sprint_id) in plan.sprints.iter().zip(&sprint_ids) {
        if let Some(word) = &sprint.verdict {
            verdict.execute(params![sprint_id, word])?;
        }
        for retro in &sprint.retro {
            note.execute(params![sprint_id, retro.kind, retro.text, uid(&retro.id)])?;
        }
    }
    // A plan's running and past sprints come started (and closed):
    // they committed to what they hold, unless the plan says otherwise.
    super::sprints::record_as_planned(tx, quarter_id)?;
    insert_frozen_records(tx, plan, &sprint_ids, &kr_ids)?;
    Ok(quarter_id)
}

/// Each item's number and rank: the plan's where it gives them, else the
/// next number free (never one used before) and a rank after every other
/// item, in the order of the file.
fn place_items(tx: &Transaction<'_>, plan: &Plan) -> rusqlite::Result<Vec<(Id, i64)>> {
    let board_rank: i64 = tx.query_row("SELECT coalesce(max(rank), 0) FROM item", [], |row| row.get(0))?;
    let first_rank = plan.items.iter().filter_map(|item| item.rank).fold(board_rank, i64::max);
    // Numbers are never used twice, even after the items that had them went.
    let board_number: Id = tx.query_row(NEXT_ITEM_NUMBER, [], |row| row.get(0))?;
    let first_number = plan.items.iter().filter_map(|item| item.number).map(|number| number + 1).fold(board_number, i64::max);
    let mut next_number = first_number;
    let mut next_rank = first_rank;
    Ok(plan
        .items
        .iter()
        .map(|item| {
            let number = item.number.unwrap_or_else(|| {
                next_number += 1;
                next_number - 1
            });
            let rank = item.rank.unwrap_or_else(|| {
                next_rank += RANK_GAP;
                next_rank
            });
            (number, rank)
        })
        .collect())
}

/// Started sprints' commitments, closed sprints' records and the days the
/// team started and closed them, where the plan gives them, in place of
/// what [`super::sprints::record_as_planned`] made from their items.
fn insert_frozen_records(
    tx: &Transaction<'_>,
    plan: &Plan,
    sprint_ids: &[Id],
    kr_ids: &HashMap<String, Id>,
) -> rusqlite::Result<()> {
    let mut days = tx.prepare_cached(
        "UPDATE sprint SET started_on = coalesce(?2, started_on), closed_on = coalesce(?3, closed_on) WHERE id = ?1",
    )?;
    let mut commit = tx.prepare_cached(
        "INSERT INTO sprint_commitment (sprint_id, item_id, position, title, points) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut record = tx.prepare_cached(
        "INSERT INTO sprint_record_item (sprint_id, item_id, position, title, points, committed, outcome, key_results, carried_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (sprint, sprint_id) in plan.sprints.iter().zip(sprint_ids) {
        if sprint.started_on.is_some() || sprint.closed_on.is_some() {
            days.execute(params![
                sprint_id,
                sprint.started_on.map(|day| day.to_string()),
                sprint.closed_on.map(|day| day.to_string())
            ])?;
        }
        if let Some(committed) = &sprint.commitment {
            tx.prepare_cached("DELETE FROM sprint_commitment WHERE sprint_id = ?1")?.execute([sprint_id])?;
            for (position, item) in (1_i64..).zip(committed) {
                commit.execute(params![sprint_id, item.item, position, item.title, item.points])?;
            }
        }
        if let Some(recorded) = &sprint.record {
            tx.prepare_cached("DELETE FROM sprint_record_item WHERE sprint_id = ?1")?.execute([sprint_id])?;
            for (position, item) in (1_i64..).zip(recorded) {
                let krs: Vec<String> = item.krs.iter().filter_map(|code| kr_ids.get(code)).map(Id::to_string).collect();
                record.execute(params![
                    sprint_id,
                    item.item,
                    position,
                    item.title,
                    item.points,
                    item.committed,
                    item.outcome,
                    krs.join(","),
                    item.carried_to
                ])?;
            }
        }
    }
    Ok(())
}

/// A plan's stable id in its canonical form; `None` (the plan gives none):
/// the table's trigger makes one (schema v10).
pub(super) fn uid(id: &Option<String>) -> Option<String> {
    id.as_deref().and_then(crate::domain::references::parse_uid)
}

impl Store {
    /// A plan loaded beside what the board holds may not bring an object
    /// the board has already (the same plan loaded twice): refused before
    /// anything is written, naming the field.
    fn refuse_ids_on_board(&self, plan: &Plan) -> Result<(), StoreError> {
        for (field, id) in plan.stable_ids() {
            let Some(canonical) = crate::domain::references::parse_uid(id) else { continue };
            if let Ok(found) = self.resolve(&canonical, None) {
                return Err(StoreError::AlreadyOnBoard { field: field.to_string(), uid: id.to_string(), name: found.name });
            }
        }
        Ok(())
    }
}

/// Inserts the team with each member's days off, sprint by sprint.
fn insert_team(tx: &Transaction<'_>, quarter_id: Id, plan: &Plan, sprints: &[(Id, SprintDates)]) -> rusqlite::Result<()> {
    let mut insert_member = tx.prepare_cached(
        "INSERT INTO team_member (quarter_id, name, focus_factor, product_owner, scrum_master, okr_champion, uid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut insert_days = tx.prepare_cached("INSERT INTO days_off (member_id, sprint_id, days) VALUES (?1, ?2, ?3)")?;
    for (m, member) in plan.team.iter().enumerate() {
        // Checked with the plan: words that name no role are refused there.
        let roles = member.roles().unwrap_or_default();
        let focus_factor = FocusFactor::new(u32::from(member.focus_factor))
            .map_err(|error| invalid_plan(&format!("team[{m}].focus_factor"), error))?;
        insert_member.execute(params![
            quarter_id,
            member.name,
            focus_factor.get(),
            roles.product_owner,
            roles.scrum_master,
            roles.okr_champion,
            uid(&member.id),
        ])?;
        let member_id = tx.last_insert_rowid();
        for (s, (days, (sprint_id, span))) in member.days_off.iter().zip(sprints).enumerate() {
            let days = DaysOff::of(*days, working_days(span.start, span.end), *sprint_id)
                .map_err(|error| invalid_plan(&format!("team[{m}].days_off[{s}]"), error))?;
            if days.get() > 0.0 {
                insert_days.execute(params![member_id, sprint_id, days.get()])?;
            }
        }
    }
    Ok(())
}

/// Rows per statement in a bulk load: one statement, and so one statement
/// journal and one round of trigger set-up, per batch rather than per row.
const BATCH_ROWS: usize = 200;

/// Inserts `rows` of `N` values with `head` ("INSERT INTO t (a, b)"), in
/// multi-row statements of [`BATCH_ROWS`] rows.
pub(super) fn insert_batched<const N: usize>(
    tx: &Transaction<'_>,
    head: &str,
    rows: impl Iterator<Item = [Value; N]>,
) -> rusqlite::Result<()> {
    let mut batch: Vec<Value> = Vec::with_capacity(BATCH_ROWS * N);
    for row in rows {
        batch.extend(row);
        if batch.len() == BATCH_ROWS * N {
            insert_batch(tx, head, N, &mut batch)?;
        }
    }
    if !batch.is_empty() {
        insert_batch(tx, head, N, &mut batch)?;
    }
    Ok(())
}

fn insert_batch(tx: &Transaction<'_>, head: &str, columns: usize, batch: &mut Vec<Value>) -> rusqlite::Result<()> {
    let row = format!("({})", vec!["?"; columns].join(", "));
    let sql = format!("{head} VALUES {}", vec![row; batch.len() / columns].join(", "));
    tx.prepare_cached(&sql)?.execute(params_from_iter(batch.drain(..)))?;
    Ok(())
}

/// Inserts objectives, KRs and check-ins; returns KR ids by code.
/// A KR's `current` that is not what its check-ins say (the latest, else
/// the start) is a reading of its own: recorded as a check-in dated the
/// import day, so the check-ins stay the one source of the current value.
fn insert_okrs(tx: &Transaction<'_>, quarter_id: Id, plan: &Plan, today: NaiveDate) -> rusqlite::Result<HashMap<String, Id>> {
    let mut kr_ids = HashMap::new();
    let mut insert_objective = tx.prepare_cached(
        "INSERT INTO objective (quarter_id, position, title, owner, parent_note, uid, closing_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut parents = Vec::new();
    let mut insert_kr = tx.prepare_cached(
        "INSERT INTO key_result (objective_id, position, title, unit, start_value, target_value, current_value, owner, confidence, uid, score)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let mut insert_check_in = tx.prepare_cached(
        "INSERT INTO check_in (key_result_id, date, value, confidence, note, uid) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (o, objective) in (1_u32..).zip(&plan.objectives) {
        let title =
            Title::parse(&objective.title).map_err(|error| invalid_plan(&format!("objectives[{}].title", o - 1), error))?;
        insert_objective.execute(params![
            quarter_id,
            o,
            title.as_str(),
            objective.owner,
            objective.parent,
            uid(&objective.id),
            objective.closing_note,
        ])?;
        let objective_id = tx.last_insert_rowid();
        parents.extend(uid(&objective.parent_id).map(|parent| (objective_id, parent)));
        for (k, kr) in (1_u32..).zip(&objective.key_results) {
            let field = |name: &str| format!("objectives[{}].key_results[{}].{name}", o - 1, k - 1);
            let title = Title::parse(&kr.title).map_err(|error| invalid_plan(&field("title"), error))?;
            let confidence =
                Confidence::new(u32::from(kr.confidence)).map_err(|error| invalid_plan(&field("confidence"), error))?;
            let score = kr.score.map(Score::new).transpose().map_err(|error| invalid_plan(&field("score"), error))?;
            insert_kr.execute(params![
                objective_id,
                k,
                title.as_str(),
                kr.unit,
                kr.start,
                kr.target,
                kr.start,
                kr.owner,
                confidence.get(),
                uid(&kr.id),
                score.map(Score::get),
            ])?;
            let kr_id = tx.last_insert_rowid();
            kr_ids.insert(codes::key_result(o, k), kr_id);
            for check_in in &kr.check_ins {
                insert_check_in.execute(params![
                    kr_id,
                    check_in.date.to_string(),
                    check_in.value,
                    check_in.confidence,
                    check_in.note,
                    uid(&check_in.id),
                ])?;
            }
            let check_ins: Vec<CheckIn> = kr
                .check_ins
                .iter()
                .zip(1..)
                .map(|(check_in, id)| CheckIn {
                    id,
                    date: check_in.date,
                    value: check_in.value,
                    confidence: check_in.confidence,
                    note: String::new(),
                })
                .collect();
            let (reading, _) = check_ins::reading(kr.start, kr.confidence, &check_ins);
            if reading != kr.current {
                let fields =
                    CheckInFields { date: today, value: kr.current, confidence, note: "current value in the plan file".into() };
                super::check_ins::insert(tx, kr_id, &fields)?;
            }
            sync_current(tx, kr_id)?;
        }
    }
    // After every objective is in, so that one may align to a later one.
    let mut align =
        tx.prepare_cached("UPDATE objective SET parent_id = (SELECT id FROM objective WHERE uid = ?2) WHERE id = ?1")?;
    for (objective_id, parent) in parents {
        align.execute(params![objective_id, parent])?;
    }
    Ok(kr_ids)
}
