//! What changed between two plans of one quarter, in the words and codes a
//! team says aloud (`#12 points 3 → 5`, `KR1.2 checked in 48 on
//! 2027-01-15`): the lines a sync's summary and its commit message show.
//! Objects are matched by stable id (by their code or name when a plan
//! gives none), so a change is named once whatever moved around it.

mod items;
mod others;
mod shifts;
mod words;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use super::Plan;
pub use shifts::code_shifts;
pub use words::summary_of;

/// Every difference between `before` and `after`, one line each, in a
/// fixed order: the quarter, its objectives and KRs, sprints, items (by
/// number, then one line for the backlog's order), the team.
pub fn describe_changes(before: &Plan, after: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    others::quarter(before, after, &mut lines);
    others::objectives(before, after, &mut lines);
    others::sprints(before, after, &mut lines);
    items::items(before, after, &mut lines);
    others::team(before, after, &mut lines);
    lines
}

/// Two lists' objects matched by key: the pairs (before's place, after's
/// place) in after's order, after's places with no match (added) and
/// before's places with no match (removed).
struct Matched {
    pairs: Vec<(usize, usize)>,
    added: Vec<usize>,
    removed: Vec<usize>,
}

fn match_by<T>(before: &[T], after: &[T], key: impl Fn(usize, &T) -> String) -> Matched {
    let mut places: HashMap<String, usize> = before.iter().enumerate().map(|(at, object)| (key(at, object), at)).collect();
    let mut matched = Matched { pairs: Vec::new(), added: Vec::new(), removed: Vec::new() };
    for (at, object) in after.iter().enumerate() {
        match places.remove(&key(at, object)) {
            Some(was) => matched.pairs.push((was, at)),
            None => matched.added.push(at),
        }
    }
    let mut removed: Vec<usize> = places.into_values().collect();
    removed.sort_unstable();
    matched.removed = removed;
    matched
}

/// Each side's KRs by code, read once per description (not per item: a
/// 10,000-item backlog would read them 20,000 times).
pub(super) struct KrKeys {
    was: HashMap<String, String>,
    now: HashMap<String, String>,
}

impl KrKeys {
    pub(super) fn of(plans: (&Plan, &Plan)) -> Self {
        Self { was: kr_keys(plans.0), now: kr_keys(plans.1) }
    }

    /// Whether every KR code names the same KR on both sides: then equal
    /// tags are equal references.
    pub(super) fn same(&self) -> bool {
        self.was == self.now
    }
}

/// The KR tags `after` adds and those it drops, compared by the KR they
/// name (its stable id), so a KR whose code shifted (KR3.3 is now KR3.4)
/// is no re-tag; each said by its own side's code.
fn tag_changes<'t>(keys: &KrKeys, before: &'t [String], after: &'t [String]) -> (Vec<&'t str>, Vec<&'t str>) {
    let key = |keys: &HashMap<String, String>, code: &str| keys.get(code).cloned().unwrap_or_else(|| code.to_owned());
    let before_keys: Vec<String> = before.iter().map(|code| key(&keys.was, code)).collect();
    let after_keys: Vec<String> = after.iter().map(|code| key(&keys.now, code)).collect();
    let tagged = after.iter().zip(&after_keys).filter(|(_, id)| !before_keys.contains(id)).map(|(code, _)| code.as_str());
    let untagged = before.iter().zip(&before_keys).filter(|(_, id)| !after_keys.contains(id)).map(|(code, _)| code.as_str());
    (tagged.collect(), untagged.collect())
}

/// Each KR's key (its stable id, else its code) by its code in `plan`.
fn kr_keys(plan: &Plan) -> HashMap<String, String> {
    let mut keys = HashMap::new();
    for (objective, at) in plan.objectives.iter().zip(1_u32..) {
        for (kr, position) in objective.key_results.iter().zip(1_u32..) {
            let code = crate::domain::codes::key_result(at, position);
            keys.insert(code.clone(), key_or(kr.id.as_ref(), || code));
        }
    }
    keys
}

/// An object's key: its stable id, else what names it without one.
fn key_or(id: Option<&String>, fallback: impl FnOnce() -> String) -> String {
    id.map_or_else(|| format!("~{}", fallback()), Clone::clone)
}
