//! The items no side touched, merged without the field-by-field machinery.
//!
//! Most of a large backlog is the same in base, mine and theirs: a sync of
//! 100 changed items on a 10,000-item board merges 9,800 items that are
//! equal everywhere. Writing each as a tree of JSON values on three sides,
//! merging it field by field and reading it back is most of the merge's
//! time, and its result is the item as it was. Such an item goes through
//! the merge as a stub (its id, number and rank, which the backlog's order
//! and numbering need) and comes back as itself, with the rank the merged
//! order gives it.
//!
//! An item is untouched only where its references mean the same on every
//! side: its KR tags are codes (`KR1.2`) and its sprint a number, named by
//! place, so the shortcut is taken only when the three plans lay out their
//! KRs and sprints alike (same ids in the same places). Otherwise every
//! item goes the whole way.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::plan::{Plan, PlanItem};

/// Untouched items by id, as mine has them (equal on every side).
pub(super) type Untouched<'p> = HashMap<&'p str, &'p PlanItem>;

/// The items equal in `base`, `mine` and `theirs`, when references mean
/// the same on all three; none otherwise.
pub(super) fn untouched<'p>(base: &'p Plan, mine: &'p Plan, theirs: &'p Plan) -> Untouched<'p> {
    let layout = layout(mine);
    if layout.is_none() || layout != self::layout(base) || layout != self::layout(theirs) {
        return Untouched::new();
    }
    let (Some(base_items), Some(theirs_items)) = (by_id(base), by_id(theirs)) else { return Untouched::new() };
    if by_id(mine).is_none() {
        return Untouched::new();
    }
    mine.items
        .iter()
        .filter_map(|item| {
            let id = item.id.as_deref()?;
            (base_items.get(id) == Some(&item) && theirs_items.get(id) == Some(&item)).then_some((id, item))
        })
        .collect()
}

/// Where a plan's references point: each objective's KR ids in order (a
/// KR code is its place) and the sprint ids in order (a sprint number is
/// its place); none when an object has no id to compare by.
fn layout(plan: &Plan) -> Option<(Vec<Vec<&str>>, Vec<&str>)> {
    let krs = plan
        .objectives
        .iter()
        .map(|objective| objective.key_results.iter().map(|kr| kr.id.as_deref()).collect::<Option<Vec<_>>>())
        .collect::<Option<Vec<_>>>()?;
    let sprints = plan.sprints.iter().map(|sprint| sprint.id.as_deref()).collect::<Option<Vec<_>>>()?;
    Some((krs, sprints))
}

/// The items with ids by id; none when two items share an id (the merge
/// then matches them as it always has, the whole way).
fn by_id(plan: &Plan) -> Option<HashMap<&str, &PlanItem>> {
    let items: HashMap<&str, &PlanItem> = plan.items.iter().filter_map(|item| Some((item.id.as_deref()?, item))).collect();
    let with_ids = plan.items.iter().filter(|item| item.id.is_some()).count();
    (items.len() == with_ids).then_some(items)
}

/// An untouched item in the merge: what the order and the numbering read.
pub(super) fn stub(id: &str, item: &PlanItem) -> Value {
    let mut fields = Map::new();
    fields.insert("id".into(), Value::from(id));
    if let Some(number) = item.number {
        fields.insert("number".into(), Value::from(number));
    }
    if let Some(rank) = item.rank {
        fields.insert("rank".into(), Value::from(rank));
    }
    Value::Object(fields)
}

/// An untouched item back from the merge: itself, numbered and ranked as
/// its stub came out.
pub(super) fn restored(item: &PlanItem, stub: &Value) -> PlanItem {
    PlanItem {
        number: stub.get("number").and_then(Value::as_i64),
        rank: stub.get("rank").and_then(Value::as_i64),
        ..item.clone()
    }
}
