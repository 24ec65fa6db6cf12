//! Codes a merge changed for objects this board already had: a KR, an
//! objective or a sprint the other laptop's additions moved down the list
//! (`KR3.3 'Support NPS' is now KR3.4`). Codes are places, so a sync that
//! shifts one says so, as it says an item's new number.

use std::collections::HashMap;

use super::words::quoted;
use crate::domain::codes;
use crate::plan::Plan;

/// One line per object of `before` (matched by stable id) whose code
/// differs in `after`: objectives, then KRs, then sprints.
pub fn code_shifts(before: &Plan, after: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    for kind in [objectives, krs, sprints] {
        let now = by_id(kind(after));
        let mut shifted: Vec<(String, String, String)> = by_id(kind(before))
            .into_iter()
            .filter_map(|(id, (was, name))| {
                let (code, _) = now.get(&id)?;
                (*code != was).then(|| (was, name, code.clone()))
            })
            .collect();
        shifted.sort();
        for (was, name, code) in shifted {
            let named = if name.trim().is_empty() { String::new() } else { format!(" {}", quoted(&name)) };
            lines.push(format!("{was}{named} is now {code}"));
        }
    }
    lines
}

/// An object's stable id (if it has one), its code and what names it.
type Coded<'p> = (Option<&'p String>, String, &'p str);

fn by_id(objects: Vec<Coded<'_>>) -> HashMap<String, (String, String)> {
    objects.into_iter().filter_map(|(id, code, name)| Some((id?.clone(), (code, name.to_owned())))).collect()
}

fn objectives(plan: &Plan) -> Vec<Coded<'_>> {
    plan.objectives
        .iter()
        .zip(1_u32..)
        .map(|(objective, at)| (objective.id.as_ref(), codes::objective(at), objective.title.as_str()))
        .collect()
}

fn krs(plan: &Plan) -> Vec<Coded<'_>> {
    let mut coded = Vec::new();
    for (objective, at) in plan.objectives.iter().zip(1_u32..) {
        for (kr, position) in objective.key_results.iter().zip(1_u32..) {
            coded.push((kr.id.as_ref(), codes::key_result(at, position), kr.title.as_str()));
        }
    }
    coded
}

fn sprints(plan: &Plan) -> Vec<Coded<'_>> {
    plan.sprints.iter().zip(1_u32..).map(|(sprint, at)| (sprint.id.as_ref(), codes::sprint(at), sprint.goal.as_str())).collect()
}
