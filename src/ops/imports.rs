//! Whole quarters written at once: a plan file imported (one undoable
//! step) and the demo loaded onto a board that starts with it. The advice
//! on such a change is the whole quarter's health check, as
//! `quarterdeck check` lists it.

use chrono::NaiveDate;

use super::{OpError, Outcome, advice, run::created};
use crate::{
    domain::ids::QuarterId,
    plan::Plan,
    store::{Resolved, Store},
};

/// `plan`'s quarter as a new quarter, or in place of `replacing`.
pub(super) fn import(
    store: &mut Store,
    today: NaiveDate,
    plan: &Plan,
    replacing: Option<QuarterId>,
    step: &str,
) -> Result<Outcome, OpError> {
    let id = store.import_plan_file(plan, today, replacing.map(QuarterId::row), step)?;
    let mut outcome = wrote_quarter(store, today, plan, id, step.to_owned())?;
    outcome.warnings.extend(plan.advice());
    outcome.warnings.extend(left_out(store, plan)?);
    Ok(outcome)
}

/// The plan's links to objects of other quarters (`parent_id`,
/// `other_krs`) that neither the board nor the plan holds: the import
/// leaves them out, as another board may hold them, and says so.
fn left_out(store: &Store, plan: &Plan) -> Result<Vec<String>, OpError> {
    let holds = |uid: &str, objective: bool| -> bool {
        store.resolve(uid, None).is_ok_and(|found| match found.object {
            Resolved::Objective(_) => objective,
            Resolved::KeyResult(_) => !objective,
            _ => false,
        })
    };
    let mut said = Vec::new();
    for (o, objective) in plan.objectives.iter().enumerate() {
        if let Some(parent) = objective.parent_id.as_deref().filter(|parent| !holds(parent, true)) {
            said.push(format!(
                "objectives[{o}].parent_id {parent} is an objective neither this board nor the plan has: imported without it (set the parent on a board that holds it)"
            ));
        }
    }
    for (i, item) in plan.items.iter().enumerate() {
        for kr in item.other_krs.iter().filter(|kr| !holds(kr, false)) {
            said.push(format!(
                "items[{i}].other_krs names {kr}, a key result neither this board nor the plan has: imported without that tag"
            ));
        }
    }
    Ok(said)
}

/// A sync's merged quarters as one step (`Command::ImportSynced`).
pub(super) fn import_synced(
    store: &mut Store,
    today: NaiveDate,
    plans: &[(Plan, Option<QuarterId>)],
    step: &str,
    to: &crate::store::SyncedTo,
) -> Result<Outcome, OpError> {
    let rows: Vec<(&Plan, Option<i64>)> = plans.iter().map(|(plan, id)| (plan, id.map(QuarterId::row))).collect();
    if !store.import_synced(&rows, today, step, to)? {
        return Err(OpError::Refused(super::BOARD_CHANGED_DURING_SYNC.to_owned()));
    }
    let mut warnings = Vec::new();
    for (plan, _) in plans {
        warnings.extend(plan.advice());
        warnings.extend(left_out(store, plan)?);
    }
    Ok(Outcome { summary: step.to_owned(), created: None, warnings })
}

/// `plan` onto an empty board, or (`replace`) in place of all it holds.
pub(super) fn load(store: &mut Store, today: NaiveDate, plan: &Plan, replace: bool) -> Result<Outcome, OpError> {
    let id = store.import_plan(plan, today, replace)?;
    wrote_quarter(store, today, plan, id, format!("Loaded {}", plan.quarter.label))
}

fn wrote_quarter(store: &Store, today: NaiveDate, plan: &Plan, id: i64, summary: String) -> Result<Outcome, OpError> {
    let created = created(store, Resolved::Quarter(QuarterId(id)), plan.quarter.label.trim().to_owned())?;
    Ok(Outcome { summary, created: Some(created), warnings: advice::whole_quarter(store, today, id)? })
}
