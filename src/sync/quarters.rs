//! A board's quarters merged three ways: each quarter (matched by its
//! quarter id, never by file name) by `plan::merge3`; a quarter on one
//! side only is added, or stays deleted when the other side had left it
//! as it was.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, bail};

use super::repo::Files;
use crate::{
    plan::{Choices, Conflict, ObjectKind, Plan, Renumbered, Side, ThreeWay, merge3},
    store::plan_to_toml,
};

/// Quarters by quarter id.
pub type Quarters = BTreeMap<String, Plan>;

/// Reads plan files into quarters; a file that does not read names itself.
pub fn quarters_of(files: &Files, commit: &str) -> anyhow::Result<Quarters> {
    let mut quarters = Quarters::new();
    for (name, bytes) in files {
        let source = format!("{name} of commit {}", super::repo::short(commit));
        let plan = Plan::parse(&String::from_utf8_lossy(bytes), &source)?;
        let id = plan.quarter.id.clone().with_context(|| format!("{source}: the quarter has no id"))?;
        quarters.insert(id, plan);
    }
    Ok(quarters)
}

/// Quarters as the plan files the repository holds: `<label>.toml`,
/// written as `export` writes them.
pub fn files_of(quarters: &Quarters) -> anyhow::Result<Files> {
    let mut files = Files::new();
    for plan in quarters.values() {
        files.insert(format!("{}.toml", plan.quarter.label.trim()), plan_to_toml(plan)?.into_bytes());
    }
    Ok(files)
}

/// The merge of every quarter.
#[derive(Debug, Default)]
pub struct Merged {
    pub quarters: Quarters,
    /// What is still to choose.
    pub conflicts: Vec<Conflict>,
    /// Conflicts settled by a choice, with the side taken.
    pub chosen: Vec<(Conflict, Side)>,
    pub renumbered: Vec<Renumbered>,
}

fn side_for(choices: &Choices, conflict: &Conflict) -> Option<Side> {
    choices.each.get(&(conflict.id.clone(), conflict.field.clone())).copied().or(choices.all)
}

/// Merges `mine` and `theirs`, both from `base`, with `choices` taken.
pub fn merge_quarters(base: &Quarters, mine: &Quarters, theirs: &Quarters, choices: &Choices) -> anyhow::Result<Merged> {
    let mut merged = Merged::default();
    let ids: BTreeSet<&String> = mine.keys().chain(theirs.keys()).collect();
    for id in ids {
        let plan = match (mine.get(id), theirs.get(id)) {
            (Some(m), Some(t)) => {
                // Both added it without a common past: nothing is a change
                // of the other's, so every differing field is asked about.
                let empty = Plan {
                    item_numbers_used: None,
                    quarter: m.quarter.clone(),
                    objectives: vec![],
                    sprints: vec![],
                    items: vec![],
                    team: vec![],
                };
                let first = merge3(base.get(id).unwrap_or(&empty), m, t)?;
                let mut taken = choices.clone();
                let followed = follow_check_ins(&first, &mut taken);
                // Nothing to choose: the merge is done. Resolving would run
                // the whole merge again (a third of a 10,000-item sync).
                let done = if first.conflicts.is_empty() {
                    first
                } else {
                    let done = first.resolve(&taken)?;
                    for conflict in first
                        .conflicts
                        .iter()
                        .filter(|conflict| !followed.contains(&(conflict.id.clone(), conflict.field.clone())))
                    {
                        if let Some(side) = side_for(choices, conflict) {
                            merged.chosen.push((conflict.clone(), side));
                        }
                    }
                    done
                };
                if let Some(problem) = &done.problem {
                    bail!(
                        "the merge of quarter {} does not hold together: {problem}. Nothing was written: change one side (for example move a sprint) and sync again",
                        m.quarter.label
                    );
                }
                merged.conflicts.extend(done.conflicts.iter().cloned());
                merged.renumbered.extend(done.renumbered.iter().cloned());
                done.plan
            }
            // Deleted on the other side, and not changed on this one.
            (Some(one), None) | (None, Some(one)) if base.get(id) == Some(one) => continue,
            (Some(one), None) | (None, Some(one)) => one.clone(),
            (None, None) => continue,
        };
        merged.quarters.insert(id.clone(), plan);
    }
    let mut numbers = BTreeMap::new();
    for plan in merged.quarters.values() {
        for number in plan.items.iter().filter_map(|item| item.number) {
            if let Some(other) = numbers.insert(number, plan.quarter.label.clone()) {
                bail!(
                    "item #{number} is in quarter {other} and in quarter {} after the merge: nothing was written; renumber one of them on this board (move it to a new item) and sync again",
                    plan.quarter.label
                );
            }
        }
    }
    Ok(merged)
}

/// A KR's `current` and `confidence` are its latest check-in's, and
/// check-ins are append-only: when both sides checked in, the merged
/// check-ins say which side's reading is the latest, and that is no
/// question for a person. Chooses it in `choices`; returns those settled.
fn follow_check_ins(merge: &ThreeWay, choices: &mut Choices) -> BTreeSet<(String, String)> {
    let mut followed = BTreeSet::new();
    for conflict in &merge.conflicts {
        if conflict.object != ObjectKind::KeyResult || !matches!(conflict.field.as_str(), "current" | "confidence") {
            continue;
        }
        let kr = merge
            .plan
            .objectives
            .iter()
            .flat_map(|objective| &objective.key_results)
            .find(|kr| kr.id.as_deref() == Some(&conflict.id));
        let Some(latest) = kr.and_then(|kr| kr.check_ins.iter().max_by_key(|check_in| check_in.date)) else { continue };
        let reading = if conflict.field == "current" { latest.value } else { f64::from(latest.confidence) };
        let is = |value: &serde_json::Value| value.as_f64().is_some_and(|value| (value - reading).abs() < 1e-9);
        let side = if is(&conflict.theirs) {
            Side::Theirs
        } else if is(&conflict.mine) {
            Side::Mine
        } else {
            continue;
        };
        choices.choose(conflict, side);
        followed.insert((conflict.id.clone(), conflict.field.clone()));
    }
    followed
}

/// The highest item number the quarters hold.
pub fn highest_number(quarters: &Quarters) -> i64 {
    quarters.values().flat_map(|plan| plan.items.iter().filter_map(|item| item.number)).max().unwrap_or(0)
}
