//! What changed between two versions of a board's quarters, in words, for
//! the commit message and the sync summary (`added #43 'Export CSV'`,
//! `#12 points 3 → 5`).
//!
//! A stand-in until `plan::describe_changes` lands: the one place the sync
//! asks for such lines, so that swapping it is one edit.

use std::collections::BTreeMap;

use crate::plan::{Plan, PlanItem};

/// Lines for what `after` changed from `before`, quarter by quarter
/// (matched by quarter id).
pub fn describe(before: &BTreeMap<String, Plan>, after: &BTreeMap<String, Plan>) -> Vec<String> {
    let mut lines = Vec::new();
    for (id, plan) in after {
        match before.get(id) {
            None => lines.push(format!("added quarter {}", plan.quarter.label)),
            Some(old) if old != plan => lines.extend(describe_quarter(old, plan)),
            Some(_) => {}
        }
    }
    for (id, plan) in before {
        if !after.contains_key(id) {
            lines.push(format!("removed quarter {}", plan.quarter.label));
        }
    }
    lines
}

fn number(item: &PlanItem) -> String {
    item.number.map_or_else(|| "#?".to_owned(), |number| format!("#{number}"))
}

fn describe_quarter(before: &Plan, after: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    let key = |item: &PlanItem| item.id.clone().unwrap_or_default();
    let old: BTreeMap<String, &PlanItem> = before.items.iter().map(|item| (key(item), item)).collect();
    let new: BTreeMap<String, &PlanItem> = after.items.iter().map(|item| (key(item), item)).collect();
    for item in &after.items {
        let Some(was) = old.get(&key(item)) else {
            lines.push(format!("added {} '{}'", number(item), item.title));
            continue;
        };
        let code = number(item);
        if was.number != item.number {
            lines.push(format!("{} '{}' is now {code}", number(was), item.title));
        }
        let fields = [
            ("title", was.title.clone(), item.title.clone()),
            ("points", was.points.to_string(), item.points.to_string()),
            ("state", format!("{:?}", was.state).to_lowercase(), format!("{:?}", item.state).to_lowercase()),
            ("sprint", sprint(was.sprint), sprint(item.sprint)),
            ("krs", was.krs.join(", "), item.krs.join(", ")),
            ("description", was.description.clone(), item.description.clone()),
        ];
        for (field, from, to) in fields {
            if from != to {
                lines.push(format!("{code} {field} {from} → {to}"));
            }
        }
        if was.rank != item.rank && lines.last().is_none_or(|line| !line.starts_with(&code)) {
            lines.push(format!("{code} moved in the backlog"));
        }
    }
    for item in &before.items {
        if !new.contains_key(&key(item)) {
            lines.push(format!("removed {} '{}'", number(item), item.title));
        }
    }
    let check_ins = |plan: &Plan| -> usize {
        plan.objectives.iter().flat_map(|objective| &objective.key_results).map(|kr| kr.check_ins.len()).sum()
    };
    let added = check_ins(after).saturating_sub(check_ins(before));
    if added > 0 {
        lines.push(format!("{} added", super::report::count(added, "check-in", "check-ins")));
    }
    let others = |plan: &Plan| (plan.quarter.clone(), plan.objectives.clone(), plan.sprints.clone(), plan.team.clone());
    if lines.is_empty() && others(before) != others(after) {
        lines.push(format!("{}: objectives, key results, sprints or team changed", after.quarter.label));
    }
    lines
}

fn sprint(number: Option<u32>) -> String {
    number.map_or_else(|| "backlog".to_owned(), |number| format!("S{number}"))
}
