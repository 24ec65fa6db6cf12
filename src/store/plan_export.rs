//! Reading a whole quarter back out of the board as a [`Plan`], for
//! `quarterdeck export` and for merging an imported plan into what the
//! board holds. Everything that is the board's state goes in (stable ids,
//! numbers, ranks, the frozen records of closed sprints); caches
//! (`current_value`, tallies, relevance) and the view (`ui_state`) do not.
//!
//! Objects come in a stable order, each sorted by its own key: objectives
//! and KRs by position (their codes), check-ins by date, sprints by number,
//! retro notes by kind and position, items by number, the team by row.

use std::collections::HashMap;

use anyhow::Context;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use super::{Store, StoreError, board::percent, clean};
use crate::{
    domain::{CheckIn, Id, ItemKind, ItemState, SprintState, check_ins, codes, roles::Roles, settings},
    plan::{
        Plan, PlanCheckIn, PlanCommitted, PlanExternal, PlanItem, PlanKeyResult, PlanMember, PlanObjective, PlanQuarter,
        PlanRecorded, PlanRetroNote, PlanSprint, QuarterStateWord, RETRO_KINDS,
    },
};

impl Store {
    /// The quarter with `label` (exactly, else in any case), or the one the
    /// board shows when `label` is `None`.
    pub fn quarter_by_label(&self, label: Option<&str>) -> Result<Option<Id>, StoreError> {
        let id = match label {
            Some(label) => quarter_labelled(&self.conn, label)?,
            None => self.load_board()?.map(|board| board.quarter.id),
        };
        Ok(id)
    }

    /// The quarter `quarter_id` as a plan: what `export --format toml` writes.
    pub fn export_plan(&self, quarter_id: Id) -> Result<Plan, StoreError> {
        Ok(export(&self.conn, quarter_id)?)
    }
}

/// The quarter labelled `label`, exactly, else in any case.
pub(super) fn quarter_labelled(conn: &Connection, label: &str) -> rusqlite::Result<Option<Id>> {
    conn.query_row(
        "SELECT id FROM quarter WHERE label = ?1 OR lower(label) = lower(?1) ORDER BY label = ?1 DESC LIMIT 1",
        [label.trim()],
        |row| row.get(0),
    )
    .optional()
}

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|text| NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok())
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

pub(super) fn export(conn: &Connection, quarter_id: Id) -> rusqlite::Result<Plan> {
    let quarter = conn.query_row(
        concat!(
            "SELECT uid, label, ",
            shown_quarter_start!(),
            ", checkin_cadence, overlap_strategy, state, closed_on, closing_note FROM quarter q WHERE id = ?1"
        ),
        [quarter_id],
        |row| {
            Ok(PlanQuarter {
                id: row.get(0)?,
                label: clean::lenient(row, 1)?,
                start: date(clean::lenient(row, 2)?).unwrap_or_default(),
                checkin_cadence: settings::CheckInCadence::parse(&clean::lenient::<String>(row, 3)?).unwrap_or_default(),
                overlap_strategy: settings::OverlapStrategy::parse(&clean::lenient::<String>(row, 4)?).unwrap_or_default(),
                state: QuarterStateWord::parse(&clean::lenient::<String>(row, 5)?),
                closed_on: date(clean::lenient(row, 6)?),
                closing_note: clean::lenient(row, 7)?,
            })
        },
    )?;
    let (objectives, kr_codes) = export_okrs(conn, quarter_id)?;
    let (sprints, sprint_numbers) = export_sprints(conn, quarter_id, &kr_codes)?;
    let items = export_items(conn, quarter_id, &kr_codes, &sprint_numbers)?;
    let team = export_team(conn, quarter_id, &sprint_numbers)?;
    let item_numbers_used = conn.query_row(
        "SELECT max(coalesce((SELECT max(id) FROM item), 0), coalesce((SELECT high FROM number_high_water WHERE kind = 'item'), 0))",
        [],
        |row| row.get(0),
    )?;
    Ok(Plan { item_numbers_used: Some(item_numbers_used), quarter, objectives, sprints, items, team })
}

/// Objectives with their KRs and check-ins, and each KR's code by its id.
pub(super) fn export_okrs(conn: &Connection, quarter_id: Id) -> rusqlite::Result<(Vec<PlanObjective>, HashMap<Id, String>)> {
    let mut objectives = Vec::new();
    let mut kr_codes = HashMap::new();
    let mut objective_rows = conn.prepare(
        "SELECT o.id, o.uid, o.title, o.owner, o.parent_note, p.uid, o.closing_note
         FROM objective o LEFT JOIN objective p ON p.id = o.parent_id WHERE o.quarter_id = ?1 ORDER BY o.position, o.id",
    )?;
    let mut kr_rows = conn.prepare(
        "SELECT id, uid, title, unit, start_value, target_value, owner, confidence, score
         FROM key_result WHERE objective_id = ?1 ORDER BY position, id",
    )?;
    let mut check_in_rows = conn.prepare(concat!(
        "SELECT c.id, c.uid, ",
        shown_check_in_date!(),
        ", c.value, c.confidence, c.note FROM check_in c WHERE c.key_result_id = ?1 ORDER BY 3, c.id"
    ))?;
    let rows: Vec<(Id, PlanObjective)> = objective_rows
        .query_map([quarter_id], |row| {
            Ok((
                row.get(0)?,
                PlanObjective {
                    id: row.get(1)?,
                    title: clean::lenient(row, 2)?,
                    owner: clean::lenient(row, 3)?,
                    parent: clean::lenient(row, 4)?,
                    parent_id: row.get(5)?,
                    closing_note: clean::lenient(row, 6)?,
                    key_results: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for ((objective_id, mut objective), o) in rows.into_iter().zip(1_u32..) {
        let krs: Vec<(Id, PlanKeyResult)> = kr_rows
            .query_map([objective_id], |row| {
                Ok((
                    row.get(0)?,
                    PlanKeyResult {
                        id: row.get(1)?,
                        title: clean::lenient(row, 2)?,
                        unit: clean::lenient(row, 3)?,
                        start: clean::number(row, 4)?.0,
                        target: clean::number(row, 5)?.0,
                        current: clean::number(row, 4)?.0,
                        owner: clean::lenient(row, 6)?,
                        confidence: percent(clean::number(row, 7)?.0),
                        score: row.get(8)?,
                        check_ins: Vec::new(),
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for ((kr_id, mut kr), k) in krs.into_iter().zip(1_u32..) {
            let readings: Vec<(CheckIn, Option<String>)> = check_in_rows
                .query_map([kr_id], |row| {
                    Ok((
                        CheckIn {
                            id: row.get(0)?,
                            date: date(clean::lenient(row, 2)?).unwrap_or_default(),
                            value: clean::number(row, 3)?.0,
                            confidence: percent(clean::number(row, 4)?.0),
                            note: clean::lenient(row, 5)?,
                        },
                        row.get(1)?,
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let only: Vec<CheckIn> = readings.iter().map(|(check_in, _)| check_in.clone()).collect();
            // The current value is the check-ins' (one source of truth), not
            // the copy kept in `current_value` for readers of the file.
            kr.current = check_ins::reading(kr.start, kr.confidence, &only).0;
            kr.check_ins = readings
                .into_iter()
                .map(|(check_in, uid)| PlanCheckIn {
                    id: uid,
                    date: check_in.date,
                    value: check_in.value,
                    confidence: check_in.confidence,
                    note: check_in.note,
                })
                .collect();
            kr_codes.insert(kr_id, codes::key_result(o, k));
            objective.key_results.push(kr);
        }
        objectives.push(objective);
    }
    Ok((objectives, kr_codes))
}

/// KR codes of `ids` that are this quarter's, in code order.
fn codes_of(ids: impl Iterator<Item = Id>, kr_codes: &HashMap<Id, String>) -> Vec<String> {
    let mut found: Vec<&String> = ids.filter_map(|id| kr_codes.get(&id)).collect();
    found.sort_by_key(|code| code_order(code));
    found.dedup();
    found.into_iter().cloned().collect()
}

/// `KR1.10` after `KR1.9`.
fn code_order(code: &str) -> (u32, u32) {
    let mut parts = code.trim_start_matches("KR").split('.').map(|part| part.parse().unwrap_or(u32::MAX));
    (parts.next().unwrap_or(u32::MAX), parts.next().unwrap_or(u32::MAX))
}

/// Sprints with their KR links, retro notes and frozen records, and each
/// sprint's number by its id.
fn export_sprints(
    conn: &Connection,
    quarter_id: Id,
    kr_codes: &HashMap<Id, String>,
) -> rusqlite::Result<(Vec<PlanSprint>, HashMap<Id, u32>)> {
    let mut sprint_rows = conn.prepare(concat!(
        "SELECT s.id, s.uid, ",
        shown_sprint_start!(),
        ", ",
        shown_sprint_end!(),
        ", s.goal, s.no_kr_reason, s.capacity, s.state, s.goal_at_start, s.goal_verdict, s.started_on, s.closed_on
             FROM sprint s WHERE s.quarter_id = ?1 ORDER BY s.number, s.id"
    ))?;
    let mut links = conn.prepare("SELECT key_result_id, focus FROM sprint_kr WHERE sprint_id = ?1")?;
    let mut notes = conn.prepare("SELECT uid, category, text FROM retro_note WHERE sprint_id = ?1 ORDER BY position, id")?;
    let mut committed =
        conn.prepare("SELECT item_id, title, points FROM sprint_commitment WHERE sprint_id = ?1 ORDER BY position, item_id")?;
    let mut recorded = conn.prepare(
        "SELECT item_id, title, points, committed, outcome, key_results, carried_to
         FROM sprint_record_item WHERE sprint_id = ?1 ORDER BY position, item_id",
    )?;
    let rows: Vec<(Id, PlanSprint)> = sprint_rows
        .query_map([quarter_id], |row| {
            let verdict: String = clean::lenient(row, 9)?;
            Ok((
                row.get(0)?,
                PlanSprint {
                    id: row.get(1)?,
                    weeks: None,
                    start: date(clean::lenient(row, 2)?),
                    end: date(clean::lenient(row, 3)?),
                    goal: clean::lenient(row, 4)?,
                    krs: Vec::new(),
                    focus: None,
                    no_kr_reason: clean::lenient(row, 5)?,
                    goal_at_start: clean::lenient(row, 8)?,
                    capacity: super::clean::whole(row, 6)?,
                    state: SprintState::parse(&clean::lenient::<String>(row, 7)?),
                    verdict: non_empty(verdict),
                    started_on: date(clean::lenient(row, 10)?),
                    closed_on: date(clean::lenient(row, 11)?),
                    retro: Vec::new(),
                    commitment: None,
                    record: None,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut numbers = HashMap::new();
    let mut sprints = Vec::with_capacity(rows.len());
    for ((sprint_id, mut sprint), number) in rows.into_iter().zip(1_u32..) {
        numbers.insert(sprint_id, number);
        let linked: Vec<(Id, bool)> =
            links.query_map([sprint_id], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        sprint.krs = codes_of(linked.iter().map(|(id, _)| *id), kr_codes);
        sprint.focus = linked.iter().find(|(_, focus)| *focus).and_then(|(id, _)| kr_codes.get(id)).cloned();
        let mut retro: Vec<(usize, PlanRetroNote)> = notes
            .query_map([sprint_id], |row| {
                let kind: String = clean::lenient(row, 1)?;
                Ok((
                    RETRO_KINDS.iter().position(|known| *known == kind).unwrap_or(RETRO_KINDS.len()),
                    PlanRetroNote { id: row.get(0)?, kind, text: clean::lenient(row, 2)? },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        // Stable: within a kind, the notes keep their order.
        retro.sort_by_key(|(kind, _)| *kind);
        sprint.retro = retro.into_iter().map(|(_, note)| note).collect();
        if sprint.state.is_some_and(|state| state != SprintState::Planned) {
            sprint.commitment = Some(
                committed
                    .query_map([sprint_id], |row| {
                        Ok(PlanCommitted { item: row.get(0)?, title: clean::lenient(row, 1)?, points: clean::whole(row, 2)? })
                    })?
                    .collect::<rusqlite::Result<_>>()?,
            );
        }
        if sprint.state == Some(SprintState::Closed) {
            sprint.record = Some(
                recorded
                    .query_map([sprint_id], |row| {
                        let ids: String = row.get(5)?;
                        Ok(PlanRecorded {
                            item: row.get(0)?,
                            title: clean::lenient(row, 1)?,
                            points: clean::whole(row, 2)?,
                            committed: row.get(3)?,
                            outcome: row.get(4)?,
                            krs: codes_of(ids.split(',').filter_map(|id| id.trim().parse().ok()), kr_codes),
                            carried_to: row.get(6)?,
                        })
                    })?
                    .collect::<rusqlite::Result<_>>()?,
            );
        }
        sprints.push(sprint);
    }
    Ok((sprints, numbers))
}

/// The quarter's items (`?1`): those planned into its sprints, and the
/// backlog's (items in no sprint) when the quarter holds it: the open
/// quarter, else the latest closed one, as the board shows it; a draft never.
pub(super) const QUARTER_ITEMS: &str = "SELECT id FROM item WHERE sprint_id IN (SELECT id FROM sprint WHERE quarter_id = ?1)
     OR (sprint_id IS NULL AND ?1 IS (SELECT id FROM quarter WHERE state != 'draft' ORDER BY state = 'open' DESC, start_date DESC, id DESC LIMIT 1))";

fn export_items(
    conn: &Connection,
    quarter_id: Id,
    kr_codes: &HashMap<Id, String>,
    sprint_numbers: &HashMap<Id, u32>,
) -> rusqlite::Result<Vec<PlanItem>> {
    let mut tags: HashMap<Id, Vec<Id>> = HashMap::new();
    let mut tag_rows = conn.prepare(&format!(
        "SELECT t.item_id, t.key_result_id FROM item_kr t
         JOIN key_result k ON k.id = t.key_result_id JOIN objective o ON o.id = k.objective_id
         WHERE o.quarter_id = ?1 AND t.item_id IN ({QUARTER_ITEMS})"
    ))?;
    let mut rows = tag_rows.query([quarter_id])?;
    while let Some(row) = rows.next()? {
        tags.entry(row.get(0)?).or_default().push(row.get(1)?);
    }
    // Tags to other quarters' KRs (history) go by the KR's stable id.
    let mut other_tags: HashMap<Id, Vec<String>> = HashMap::new();
    let mut other_rows = conn.prepare(&format!(
        "SELECT t.item_id, k.uid FROM item_kr t
         JOIN key_result k ON k.id = t.key_result_id JOIN objective o ON o.id = k.objective_id
         WHERE o.quarter_id != ?1 AND t.item_id IN ({QUARTER_ITEMS}) ORDER BY t.item_id, k.uid"
    ))?;
    let mut rows = other_rows.query([quarter_id])?;
    while let Some(row) = rows.next()? {
        other_tags.entry(row.get(0)?).or_default().push(row.get(1)?);
    }
    let mut item_rows = conn.prepare(&format!(
        "SELECT id, uid, CAST(rank AS INTEGER), title, description, kind, {points}, state, sprint_id, done_on, deferred_reason, needs_retag,
                done_in_earlier_quarter, e.source, e.key, e.fingerprint
         FROM item LEFT JOIN item_external e ON e.item_id = item.id WHERE id IN ({QUARTER_ITEMS}) ORDER BY id",
        points = shown_points!("points")
    ))?;
    item_rows
        .query_map([quarter_id], |row| {
            let number: Id = row.get(0)?;
            let sprint: Option<Id> = row.get(8)?;
            Ok(PlanItem {
                id: row.get(1)?,
                number: Some(number),
                rank: row.get(2)?,
                title: clean::lenient(row, 3)?,
                description: clean::lenient(row, 4)?,
                kind: ItemKind::parse(&clean::lenient::<String>(row, 5)?).unwrap_or(ItemKind::Story),
                points: row.get(6)?,
                state: ItemState::parse(&clean::lenient::<String>(row, 7)?).unwrap_or(ItemState::Todo),
                sprint: sprint.and_then(|id| sprint_numbers.get(&id).copied()),
                krs: codes_of(tags.get(&number).into_iter().flatten().copied(), kr_codes),
                other_krs: other_tags.remove(&number).unwrap_or_default(),
                done_on: date(clean::lenient(row, 9)?),
                deferred_reason: clean::lenient(row, 10)?,
                needs_retag: row.get(11)?,
                done_in_earlier_quarter: row.get(12)?,
                external: match row.get::<_, Option<String>>(13)? {
                    Some(source) => Some(PlanExternal { source, key: row.get(14)?, fingerprint: row.get(15)? }),
                    None => None,
                },
            })
        })?
        .collect()
}

/// The team with each member's days off, sprint by sprint (trailing
/// sprints without any left out).
fn export_team(conn: &Connection, quarter_id: Id, sprint_numbers: &HashMap<Id, u32>) -> rusqlite::Result<Vec<PlanMember>> {
    let mut members = conn.prepare(
        "SELECT id, uid, name, focus_factor, product_owner, scrum_master, okr_champion FROM team_member WHERE quarter_id = ?1 ORDER BY id",
    )?;
    let mut days = conn.prepare("SELECT sprint_id, days FROM days_off WHERE member_id = ?1")?;
    let rows: Vec<(Id, PlanMember)> = members
        .query_map([quarter_id], |row| {
            let roles = Roles { product_owner: row.get(4)?, scrum_master: row.get(5)?, okr_champion: row.get(6)? };
            Ok((
                row.get(0)?,
                PlanMember {
                    id: row.get(1)?,
                    name: clean::lenient(row, 2)?,
                    focus_factor: percent(clean::number(row, 3)?.0),
                    days_off: Vec::new(),
                    roles: roles.words().split(", ").filter(|word| !word.is_empty()).map(str::to_owned).collect(),
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut team = Vec::with_capacity(rows.len());
    for (member_id, mut member) in rows {
        let away: Vec<(Id, f64)> =
            days.query_map([member_id], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut days_off = vec![0.0; sprint_numbers.len()];
        for (sprint_id, days) in away {
            if let Some(slot) = sprint_numbers.get(&sprint_id).and_then(|number| days_off.get_mut(*number as usize - 1)) {
                *slot = days;
            }
        }
        while days_off.last() == Some(&0.0) {
            days_off.pop();
        }
        member.days_off = days_off;
        team.push(member);
    }
    Ok(team)
}

/// A plan as the TOML text `export --format toml` writes.
pub fn plan_to_toml(plan: &Plan) -> anyhow::Result<String> {
    let body = toml::to_string(plan).context("writing the plan as TOML")?;
    Ok(format!("# A Quarterdeck plan: one quarter (docs/plan-format.md).\n\n{body}"))
}
