//! Objects matched by id and merged field by field: a field changed on one
//! side takes that side's value, changed alike on both that value, changed
//! differently on both is a conflict that holds mine until resolved. Sets
//! (KR tags, a sprint's KRs, roles) merge as sets and never conflict.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::order::merge_orders;
use super::tree::key;
use super::{Choices, Conflict, ConflictKind, ObjectKind, Side};

/// How one kind of object merges: its lists of child objects, its
/// set-valued fields, and the fields that only make sense together (an
/// item's state and its done day), which merge as one.
struct Shape {
    children: &'static [(&'static str, ObjectKind)],
    sets: &'static [&'static str],
    groups: &'static [&'static [&'static str]],
}

fn shape(kind: ObjectKind) -> Shape {
    let bare = Shape { children: &[], sets: &[], groups: &[] };
    match kind {
        ObjectKind::Objective => Shape { children: &[("key_results", ObjectKind::KeyResult)], ..bare },
        ObjectKind::KeyResult => Shape { children: &[("check_ins", ObjectKind::CheckIn)], ..bare },
        ObjectKind::Sprint => Shape {
            children: &[("retro", ObjectKind::RetroNote)],
            sets: &["krs"],
            groups: &[&["start", "end", "weeks"], &["state", "started_on", "closed_on"]],
        },
        ObjectKind::Item => Shape { sets: &["krs", "other_krs"], groups: &[&["state", "done_on"]], ..bare },
        ObjectKind::Member => Shape { sets: &["roles"], ..bare },
        ObjectKind::Quarter | ObjectKind::CheckIn | ObjectKind::RetroNote => bare,
    }
}

/// The merge's running state: the choices made so far, the codes each side
/// gives its objects, and the conflicts found.
pub(super) struct Merger<'a> {
    pub choices: &'a Choices,
    /// Codes by key as mine says them, then theirs (for what mine lacks).
    pub codes: [&'a HashMap<String, String>; 2],
    pub conflicts: Vec<Conflict>,
}

impl Merger<'_> {
    fn code(&self, id: &str) -> String {
        self.codes.iter().find_map(|codes| codes.get(id)).cloned().unwrap_or_else(|| id.to_owned())
    }

    /// The side a conflict takes: the one chosen, else mine (recorded).
    fn settle(&mut self, conflict: Conflict) -> Side {
        match self.choices.side(&conflict.id, &conflict.field) {
            Some(side) => side,
            None => {
                self.conflicts.push(conflict);
                Side::Mine
            }
        }
    }

    /// Three versions of a list of objects merged by id, in the merged order.
    pub fn list<'v>(&mut self, kind: ObjectKind, base: &'v [Value], mine: &'v [Value], theirs: &'v [Value]) -> Vec<Value> {
        let by_key =
            |values: &'v [Value]| -> HashMap<&'v str, &'v Value> { values.iter().map(|value| (key(value), value)).collect() };
        let (base_by, mine_by, theirs_by) = (by_key(base), by_key(mine), by_key(theirs));
        let mut merged: Vec<(&'v str, Value)> = Vec::with_capacity(mine.len().max(theirs.len()));
        let mut seen = HashSet::with_capacity(merged.capacity());
        for at in mine.iter().chain(theirs).chain(base).map(key).filter(|at| seen.insert(*at)) {
            let kept = match (base_by.get(at).copied(), mine_by.get(at).copied(), theirs_by.get(at).copied()) {
                (was, Some(mine), Some(theirs)) => Some(self.object(kind, at, was, mine, theirs)),
                (None, Some(added), None) | (None, None, Some(added)) => Some(added.clone()),
                (Some(was), Some(changed), None) => self.deleted_on_one_side(kind, at, was, changed, Side::Theirs),
                (Some(was), None, Some(changed)) => self.deleted_on_one_side(kind, at, was, changed, Side::Mine),
                (_, None, None) => None,
            };
            merged.extend(kept.map(|value| (at, value)));
        }
        // The backlog is put in order once its items are merged (`numbers::
        // rank_items`, by rank, not by place in the file): no order here.
        if kind == ObjectKind::Item {
            return merged.into_iter().map(|(_, value)| value).collect();
        }
        let order = |values: &[Value]| -> Vec<String> { values.iter().map(|value| key(value).to_owned()).collect() };
        let keep: HashSet<String> = merged.iter().map(|(at, _)| (*at).to_owned()).collect();
        let mut merged: HashMap<&str, Value> = merged.into_iter().collect();
        merge_orders(&order(base), &order(mine), &order(theirs), &keep)
            .into_iter()
            .filter_map(|id| merged.remove(id.as_str()))
            .collect()
    }

    /// Deleted on one side: gone if the other left it as it was; changed
    /// there, a conflict (holding mine: kept if mine changed it).
    fn deleted_on_one_side(
        &mut self,
        kind: ObjectKind,
        id: &str,
        was: &Value,
        changed: &Value,
        deleted_on: Side,
    ) -> Option<Value> {
        if was == changed {
            return None;
        }
        let (mine, theirs) = match deleted_on {
            Side::Mine => (Value::Null, changed.clone()),
            Side::Theirs => (changed.clone(), Value::Null),
        };
        let conflict = Conflict {
            kind: ConflictKind::DeletedVsChanged { deleted_on },
            object: kind,
            id: id.to_owned(),
            code: self.code(id),
            field: String::new(),
            base: was.clone(),
            mine,
            theirs,
        };
        let keeps = self.settle(conflict) != deleted_on;
        keeps.then(|| keep_base_number(kind, was, changed))
    }

    /// One object both sides have, field by field, its child lists by id.
    pub fn object<'v>(
        &mut self,
        kind: ObjectKind,
        id: &str,
        base: Option<&'v Value>,
        mine: &'v Value,
        theirs: &'v Value,
    ) -> Value {
        // Most objects of a large plan are untouched on both sides: the
        // field-by-field merge of three equal objects is that object.
        if base == Some(mine) && mine == theirs {
            return mine.clone();
        }
        let shape = shape(kind);
        let empty = Map::new();
        let fields = |value: Option<&'v Value>| value.and_then(Value::as_object).unwrap_or(&empty);
        let (base_fields, mine_fields, theirs_fields) = (fields(base), fields(Some(mine)), fields(Some(theirs)));
        let mut merged = Map::new();
        let mut names: Vec<&String> = mine_fields.keys().chain(theirs_fields.keys()).chain(base_fields.keys()).collect();
        let mut seen = HashSet::new();
        names.retain(|name| seen.insert(name.as_str()));
        let grouped = |name: &str| shape.groups.iter().any(|group| group.contains(&name));
        for name in names {
            if let Some((_, child)) = shape.children.iter().find(|(field, _)| field == name) {
                let children =
                    self.list(*child, list_of(base_fields, name), list_of(mine_fields, name), list_of(theirs_fields, name));
                merged.insert(name.clone(), Value::Array(children));
                continue;
            }
            if grouped(name) {
                continue;
            }
            let value = |fields: &Map<String, Value>| fields.get(name).cloned().unwrap_or(Value::Null);
            let (was, m, t) = (value(base_fields), value(mine_fields), value(theirs_fields));
            let result = if shape.sets.contains(&name.as_str()) {
                merge_set(&was, &m, &t)
            } else if kind == ObjectKind::Item && name == "number" && !was.is_null() {
                // Once the remote has an item, its number is its name:
                // neither side renumbers it (an undo of a sync would).
                was
            } else if name == "rank" {
                // Ranks are settled with the whole order (see `ranks`).
                three_way(&was, &m, &t).unwrap_or_else(|| if m.as_i64() < t.as_i64() { m } else { t })
            } else {
                self.field(kind, id, name, was, m, t)
            };
            insert(&mut merged, name, result);
        }
        for group in shape.groups {
            let value = |fields: &Map<String, Value>| {
                Value::Array(group.iter().map(|name| fields.get(*name).cloned().unwrap_or(Value::Null)).collect())
            };
            let result = self.field(kind, id, &group.join(", "), value(base_fields), value(mine_fields), value(theirs_fields));
            for (name, value) in group.iter().zip(result.as_array().cloned().unwrap_or_default()) {
                insert(&mut merged, name, value);
            }
        }
        Value::Object(merged)
    }

    fn field(&mut self, kind: ObjectKind, id: &str, name: &str, base: Value, mine: Value, theirs: Value) -> Value {
        if let Some(value) = three_way(&base, &mine, &theirs) {
            return value;
        }
        let conflict = Conflict {
            kind: ConflictKind::BothChanged,
            object: kind,
            id: id.to_owned(),
            code: self.code(id),
            field: name.to_owned(),
            base,
            mine: mine.clone(),
            theirs: theirs.clone(),
        };
        match self.settle(conflict) {
            Side::Mine => mine,
            Side::Theirs => theirs,
        }
    }
}

/// `changed` with the number `was` had, for an item: a number the remote
/// has given stays the item's (see `object`).
fn keep_base_number(kind: ObjectKind, was: &Value, changed: &Value) -> Value {
    let mut kept = changed.clone();
    if let (ObjectKind::Item, Some(number), Some(fields)) = (kind, was.get("number"), kept.as_object_mut()) {
        fields.insert("number".to_owned(), number.clone());
    }
    kept
}

fn list_of<'m>(fields: &'m Map<String, Value>, name: &str) -> &'m [Value] {
    fields.get(name).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn insert(merged: &mut Map<String, Value>, name: &str, value: Value) {
    if !value.is_null() {
        merged.insert(name.to_owned(), value);
    }
}

/// The value when at most one side changed it (or both alike).
fn three_way(base: &Value, mine: &Value, theirs: &Value) -> Option<Value> {
    if mine == theirs || theirs == base {
        Some(mine.clone())
    } else if mine == base {
        Some(theirs.clone())
    } else {
        None
    }
}

/// A list that is a set: what either side added is in, what either side
/// removed is out. When the result is one side's set, that side's list
/// (its order) is kept; else the base's entries first, then the rest in
/// sorted order, so that swapping the sides gives the same list.
fn merge_set(base: &Value, mine: &Value, theirs: &Value) -> Value {
    if let Some(value) = three_way(base, mine, theirs) {
        return value;
    }
    let entries = |value: &Value| -> Vec<Value> { value.as_array().cloned().unwrap_or_default() };
    let (was, m, t) = (entries(base), entries(mine), entries(theirs));
    let kept = |entry: &Value| {
        let (in_base, in_mine, in_theirs) = (was.contains(entry), m.contains(entry), t.contains(entry));
        (in_mine && in_theirs) || (!in_base && (in_mine || in_theirs))
    };
    let mut result: Vec<Value> = was.iter().filter(|entry| kept(entry)).cloned().collect();
    let mut added: Vec<Value> = m.iter().chain(&t).filter(|entry| kept(entry) && !result.contains(entry)).cloned().collect();
    added.sort_by_key(Value::to_string);
    added.dedup();
    result.extend(added);
    let same_set = |side: &Vec<Value>| side.len() == result.len() && result.iter().all(|entry| side.contains(entry));
    match (same_set(&m), same_set(&t)) {
        (true, false) => mine.clone(),
        (false, true) => theirs.clone(),
        _ => Value::Array(result),
    }
}
