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
    wrote_quarter(store, today, plan, id, step.to_owned())
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
