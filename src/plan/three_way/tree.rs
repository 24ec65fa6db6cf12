//! A plan as a tree of JSON values whose references name objects by their
//! stable ids, not by place: a KR code (`KR1.2`) becomes the KR's id, a
//! sprint number its sprint's id, an item number in a commitment or record
//! the item's id, a member's days off a map from sprint id to days. Places
//! change when the other laptop adds or removes objects; ids do not, so the
//! three plans are merged in this form and the codes are written back from
//! the merged order afterwards.

use std::collections::HashMap;

use anyhow::Context;
use serde_json::{Map, Value};

use super::untouched::{Untouched, restored, stub};
use crate::domain::codes;
use crate::plan::{Plan, PlanItem};

/// One side's plan as a tree, with each object's code as that side says it.
pub(super) struct Tree {
    pub root: Value,
    /// Each object's key (its id) to its code: `#42`, `KR1.2`, `S3`, `O1`.
    pub codes: HashMap<String, String>,
}

/// The key of an object without an id: unique to its side and place, so
/// it never matches another side's object (it is new where it appears).
fn key_of(id: Option<&String>, side: &str, place: &str) -> String {
    id.cloned().unwrap_or_else(|| format!("~{side}:{place}"))
}

pub(super) fn is_made_up(key: &str) -> bool {
    key.starts_with('~')
}

pub(super) fn list_mut<'v>(value: &'v mut Value, field: &str) -> impl Iterator<Item = &'v mut Value> {
    value.get_mut(field).and_then(Value::as_array_mut).into_iter().flatten()
}

/// A sprint's commitment and record entries.
fn frozen_mut(sprint: &mut Value) -> impl Iterator<Item = &mut Value> {
    let lists = sprint.as_object_mut().into_iter().flat_map(|fields| fields.iter_mut());
    lists
        .filter(|(name, _)| *name == "commitment" || *name == "record")
        .flat_map(|(_, entries)| entries.as_array_mut().into_iter().flatten())
}

pub(super) fn list<'v>(value: &'v Value, field: &str) -> &'v [Value] {
    value.get(field).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

pub(super) fn key(value: &Value) -> &str {
    value.get("id").and_then(Value::as_str).unwrap_or_default()
}

fn set(value: &mut Value, field: &str, new: Value) {
    if let Some(map) = value.as_object_mut() {
        if new.is_null() {
            map.remove(field);
        } else {
            map.insert(field.to_owned(), new);
        }
    }
}

fn rewrite_strings(value: &mut Value, field: &str, map: impl Fn(&str) -> Option<String>) {
    if let Some(Value::Array(entries)) = value.get_mut(field) {
        entries.retain_mut(|entry| match entry.as_str().and_then(&map) {
            Some(new) => {
                *entry = Value::String(new);
                true
            }
            None => false,
        });
    }
}

impl Tree {
    /// `plan` as a tree; `side` tells apart the keys of objects without
    /// ids; `untouched` items are stubs (see `untouched`).
    pub fn of(plan: &Plan, side: &str, untouched: &Untouched<'_>) -> anyhow::Result<Self> {
        let mut root = without_items(plan)?;
        let items = plan
            .items
            .iter()
            .map(|item| match item.id.as_deref().filter(|id| untouched.contains_key(id)) {
                Some(id) => Ok(stub(id, item)),
                None => serde_json::to_value(item),
            })
            .collect::<Result<Vec<_>, _>>()
            .context("writing a plan's items as a tree")?;
        if let Some(fields) = root.as_object_mut() {
            fields.insert("items".into(), Value::Array(items));
        }
        let mut codes_by_key = HashMap::new();
        let mut kr_keys: HashMap<String, String> = HashMap::new();
        set_key(root.get_mut("quarter"), &plan.quarter.id, side, "quarter", plan.quarter.label.clone(), &mut codes_by_key);
        let kr_codes: Vec<String> = plan.kr_codes().collect();
        let mut kr_codes = kr_codes.into_iter();
        for (o, (objective, tree)) in plan.objectives.iter().zip(list_mut(&mut root, "objectives")).enumerate() {
            let code = codes::objective(u32::try_from(o + 1).unwrap_or(u32::MAX));
            set_key(Some(tree), &objective.id, side, &format!("objectives[{o}]"), code, &mut codes_by_key);
            for (k, (kr, tree)) in objective.key_results.iter().zip(list_mut(tree, "key_results")).enumerate() {
                let code = kr_codes.next().unwrap_or_default();
                let kr_key = set_key(
                    Some(tree),
                    &kr.id,
                    side,
                    &format!("objectives[{o}].key_results[{k}]"),
                    code.clone(),
                    &mut codes_by_key,
                );
                kr_keys.insert(code.clone(), kr_key);
                for (c, (check_in, tree)) in kr.check_ins.iter().zip(list_mut(tree, "check_ins")).enumerate() {
                    let place = format!("objectives[{o}].key_results[{k}].check_ins[{c}]");
                    set_key(
                        Some(tree),
                        &check_in.id,
                        side,
                        &place,
                        format!("{code} check-in {}", check_in.date),
                        &mut codes_by_key,
                    );
                }
            }
        }
        let mut sprint_keys: HashMap<u32, String> = HashMap::new();
        for (s, (sprint, tree)) in plan.sprints.iter().zip(list_mut(&mut root, "sprints")).enumerate() {
            let number = u32::try_from(s + 1).unwrap_or(u32::MAX);
            let code = codes::sprint(number);
            let sprint_key = set_key(Some(tree), &sprint.id, side, &format!("sprints[{s}]"), code.clone(), &mut codes_by_key);
            sprint_keys.insert(number, sprint_key);
            for (n, (note, tree)) in sprint.retro.iter().zip(list_mut(tree, "retro")).enumerate() {
                set_key(
                    Some(tree),
                    &note.id,
                    side,
                    &format!("sprints[{s}].retro[{n}]"),
                    format!("{code} retro"),
                    &mut codes_by_key,
                );
            }
        }
        let mut item_keys: HashMap<i64, String> = HashMap::new();
        for (i, (item, tree)) in plan.items.iter().zip(list_mut(&mut root, "items")).enumerate() {
            let code = item.number.map_or_else(|| format!("items[{i}]"), |number| format!("#{number}"));
            let item_key = set_key(Some(tree), &item.id, side, &format!("items[{i}]"), code, &mut codes_by_key);
            item_keys.extend(item.number.map(|number| (number, item_key)));
        }
        for (m, (member, tree)) in plan.team.iter().zip(list_mut(&mut root, "team")).enumerate() {
            set_key(Some(tree), &member.id, side, &format!("team[{m}]"), member.name.clone(), &mut codes_by_key);
        }
        let kr = |code: &str| kr_keys.get(code).cloned();
        let sprint = |number: u64| u32::try_from(number).ok().and_then(|number| sprint_keys.get(&number).cloned());
        for tree in list_mut(&mut root, "items") {
            rewrite_strings(tree, "krs", kr);
            let planned = tree.get("sprint").and_then(Value::as_u64).and_then(sprint);
            set(tree, "sprint", planned.map_or(Value::Null, Value::String));
        }
        for tree in list_mut(&mut root, "sprints") {
            rewrite_strings(tree, "krs", kr);
            let focus = tree.get("focus").and_then(Value::as_str).and_then(kr);
            set(tree, "focus", focus.map_or(Value::Null, Value::String));
            for frozen in frozen_mut(tree) {
                if let Some(item_key) = frozen.get("item").and_then(Value::as_i64).and_then(|number| item_keys.get(&number)) {
                    set(frozen, "item", Value::String(item_key.clone()));
                }
                rewrite_strings(frozen, "krs", kr);
                let carried = frozen.get("carried_to").and_then(Value::as_str).unwrap_or_default();
                let to_sprint = carried.strip_prefix('S').and_then(|n| n.parse::<u64>().ok()).and_then(sprint);
                if let Some(sprint_key) = to_sprint {
                    set(frozen, "carried_to", Value::String(sprint_key));
                }
            }
        }
        for tree in list_mut(&mut root, "team") {
            let days: Map<String, Value> = list(tree, "days_off")
                .iter()
                .zip(1..)
                .filter_map(|(days, number)| Some((sprint(number)?, days.clone())))
                .collect();
            set(tree, "days_off", Value::Object(days));
        }
        Ok(Self { root, codes: codes_by_key })
    }
}

/// `plan` as a tree but for its items, which `Tree::of` writes one by one.
fn without_items(plan: &Plan) -> anyhow::Result<Value> {
    // Every field named, so that a field added to `Plan` is decided here.
    let Plan { item_numbers_used, quarter, objectives, sprints, items: _, team } = plan;
    let shell = Plan {
        item_numbers_used: *item_numbers_used,
        quarter: quarter.clone(),
        objectives: objectives.clone(),
        sprints: sprints.clone(),
        items: Vec::new(),
        team: team.clone(),
    };
    serde_json::to_value(shell).context("writing a plan as a tree")
}

fn set_key(
    tree: Option<&mut Value>,
    id: &Option<String>,
    side: &str,
    place: &str,
    code: String,
    codes_by_key: &mut HashMap<String, String>,
) -> String {
    let key = key_of(id.as_ref(), side, place);
    if let Some(tree) = tree {
        set(tree, "id", Value::String(key.clone()));
    }
    codes_by_key.insert(key.clone(), code);
    key
}

/// The merged tree back as a plan: ids to codes and numbers by the merged
/// order; a reference to an object the merge dropped is left out (a tag of
/// a deleted KR, a focus no longer among the sprint's KRs, a plan into a
/// deleted sprint), as the board does when the object goes.
pub(super) fn into_plan(mut root: Value, untouched: &Untouched<'_>) -> anyhow::Result<Plan> {
    let mut kr_codes: HashMap<String, String> = HashMap::new();
    for (o, objective) in list(&root, "objectives").iter().enumerate() {
        for (k, kr) in list(objective, "key_results").iter().enumerate() {
            let code = codes::key_result(u32::try_from(o + 1).unwrap_or(u32::MAX), u32::try_from(k + 1).unwrap_or(u32::MAX));
            kr_codes.insert(key(kr).to_owned(), code);
        }
    }
    let sprint_numbers: HashMap<String, u64> =
        list(&root, "sprints").iter().zip(1..).map(|(sprint, number)| (key(sprint).to_owned(), number)).collect();
    let item_numbers: HashMap<String, i64> =
        list(&root, "items").iter().filter_map(|item| Some((key(item).to_owned(), item.get("number")?.as_i64()?))).collect();
    let kr = |id: &str| kr_codes.get(id).cloned();
    for tree in list_mut(&mut root, "items") {
        rewrite_strings(tree, "krs", kr);
        let planned = tree.get("sprint").and_then(Value::as_str).and_then(|id| sprint_numbers.get(id).copied());
        set(tree, "sprint", planned.map_or(Value::Null, Value::from));
    }
    for tree in list_mut(&mut root, "sprints") {
        rewrite_strings(tree, "krs", kr);
        let focus = tree.get("focus").and_then(Value::as_str).and_then(kr);
        let focus = focus.filter(|code| list(tree, "krs").iter().any(|listed| listed.as_str() == Some(code)));
        set(tree, "focus", focus.map_or(Value::Null, Value::String));
        for frozen in frozen_mut(tree) {
            if let Some(number) = frozen.get("item").and_then(Value::as_str).and_then(|id| item_numbers.get(id)) {
                set(frozen, "item", Value::from(*number));
            }
            rewrite_strings(frozen, "krs", kr);
            let carried = frozen.get("carried_to").and_then(Value::as_str).unwrap_or_default().to_owned();
            if !["", "top", "bottom"].contains(&carried.as_str()) {
                let to = sprint_numbers.get(&carried).map_or_else(String::new, |number| format!("S{number}"));
                set(frozen, "carried_to", Value::String(to));
            }
        }
    }
    let sprints: Vec<String> = list(&root, "sprints").iter().map(|sprint| key(sprint).to_owned()).collect();
    for tree in list_mut(&mut root, "team") {
        let days = tree.get("days_off").and_then(Value::as_object).cloned().unwrap_or_default();
        let length = sprints.iter().rposition(|sprint| days.contains_key(sprint)).map_or(0, |last| last + 1);
        let list: Vec<Value> =
            sprints[..length].iter().map(|sprint| days.get(sprint).cloned().unwrap_or_else(|| Value::from(0.0))).collect();
        set(tree, "days_off", Value::Array(list));
    }
    strip_made_up_ids(&mut root);
    let items = root.as_object_mut().and_then(|fields| fields.remove("items"));
    let mut plan: Plan = serde_json::from_value(root).context("reading the merged plan")?;
    plan.items = match items {
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|tree| match untouched.get(key(&tree)) {
                Some(item) => Ok(restored(item, &tree)),
                None => serde_json::from_value::<PlanItem>(tree),
            })
            .collect::<Result<_, _>>()
            .context("reading the merged plan's items")?,
        _ => Vec::new(),
    };
    Ok(plan)
}

fn strip_made_up_ids(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("id").and_then(Value::as_str).is_some_and(is_made_up) {
                map.remove("id");
            }
            map.values_mut().for_each(strip_made_up_ids);
        }
        Value::Array(entries) => entries.iter_mut().for_each(strip_made_up_ids),
        _ => {}
    }
}
