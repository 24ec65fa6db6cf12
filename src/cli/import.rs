//! `quarterdeck import FILE`: a plan file into the board, all or nothing,
//! as one step that `quarterdeck undo` (or `u` on the board) takes back.
//! Into a board that holds the file's quarter (same stable id or label) it
//! asks for `--replace` (the file's quarter in place of the board's) or
//! `--merge` (by stable id; `--prune` also removes what the file lacks).

use std::path::Path;

use anyhow::bail;
use chrono::NaiveDate;

use crate::{
    domain::ids::QuarterId,
    ops::{self, Command, OpError},
    plan::{Plan, PlanFileError, merge, read_plan_file},
    store::{Store, StoreError},
};

/// What to do when the board already holds the file's quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    Refuse,
    Replace,
    Merge { prune: bool },
}

/// A plan file read and checked, before the board is opened: a plan that is
/// refused must not make a board where there was none.
pub struct ReadPlan {
    plan: Plan,
    text: String,
}

/// Reads and checks the plan in `file` (every problem at its line and
/// column), touching no board.
pub fn read(file: &Path) -> anyhow::Result<ReadPlan> {
    let (plan, text) = read_plan_file(file)?;
    Ok(ReadPlan { plan, text })
}

/// Imports the plan read from `file` through the command layer; returns the
/// line that says what was done, then the method's advice on the quarter,
/// one line each.
pub fn run(store: &mut Store, file: &Path, read: ReadPlan, on_existing: OnExisting, today: NaiveDate) -> anyhow::Result<String> {
    let ReadPlan { plan, text } = read;
    let source = file.display().to_string();
    let existing = store.quarter_of_plan(&plan)?;
    let name = file.file_name().map_or_else(|| source.clone(), |name| name.to_string_lossy().into_owned());
    let step = format!("Imported {name}");
    let (written, how) = match (existing, on_existing) {
        (None, _) => (plan, "as a new quarter"),
        (Some(_), OnExisting::Refuse) => bail!(
            "{source}: this board already holds quarter {}; nothing was changed. Add --replace to swap it for the file's, or --merge to update it by stable id (--merge --prune also removes what the file no longer has)",
            plan.quarter.label
        ),
        (Some(_), OnExisting::Replace) => (plan, "in place of the board's"),
        (Some(quarter_id), OnExisting::Merge { prune }) => {
            let board = store.export_plan(quarter_id)?;
            (merge(&board, &plan, prune), if prune { "merged, pruned" } else { "merged" })
        }
    };
    // A merged plan is checked again: what the board adds must fit too.
    written.validate().map_err(|error| PlanFileError::for_field(&text, &source, &error.to_string()))?;
    let said = summary(&written, &source, how);
    let command = Command::ImportPlan { plan: Box::new(written), replacing: existing.map(QuarterId), step };
    let outcome = ops::apply(store, &command, today).map_err(|error| match error {
        // Only the board shows it (an id or a number another quarter
        // has): still at its line and column in the file.
        OpError::Store(StoreError::PlanClash(conflict)) => PlanFileError::for_field(&text, &source, &conflict.0).into(),
        error => error.into_anyhow(),
    })?;
    // The method's advice on the quarter now on the board, as every
    // write's, after the line that says what was done.
    Ok(std::iter::once(said)
        .chain(outcome.warnings.iter().map(|warning| format!("warning: {warning}")))
        .collect::<Vec<_>>()
        .join("\n"))
}

fn summary(plan: &Plan, source: &str, how: &str) -> String {
    let krs: usize = plan.objectives.iter().map(|objective| objective.key_results.len()).sum();
    let count = |n: usize, noun: &str| if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") };
    format!(
        "Imported {} from {source} ({how}): {}, {}, {}, {}. One step: undo takes it back.",
        plan.quarter.label,
        count(plan.objectives.len(), "objective"),
        count(krs, "key result"),
        count(plan.sprints.len(), "sprint"),
        count(plan.items.len(), "item")
    )
}
