//! The three-way merge of plan files (docs/plan-format.md, "Merging three
//! ways"): base, mine and theirs merged by stable id and field, never by
//! line, so that two laptops' edits to different objects, or to different
//! fields of one object, merge without a question. `sync` calls it on the
//! plan file; the board's field-by-field chooser and `sync --mine|--theirs`
//! call `resolve`.

mod fields;
mod numbers;
mod order;
mod tree;
mod untouched;

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::Plan;
use fields::Merger;
use tree::{Tree, list};

/// One side of a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Mine,
    Theirs,
}

/// The kinds of object a plan holds, as a conflict names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Quarter,
    Objective,
    KeyResult,
    CheckIn,
    Sprint,
    RetroNote,
    Item,
    Member,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Both sides changed the field, to different values.
    BothChanged,
    /// One side deleted the object, the other changed it; `field` is empty
    /// and the values are the whole object (null on the side that deleted).
    DeletedVsChanged { deleted_on: Side },
}

/// A field both sides changed differently. The merged plan holds mine
/// until it is resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct Conflict {
    pub kind: ConflictKind,
    pub object: ObjectKind,
    /// The object's stable id.
    pub id: String,
    /// The object's code as mine names it (theirs, if mine deleted it):
    /// `#42`, `KR1.2`, `O1`, `S3`, `KR1.2 check-in 2027-01-15`, `S3 retro`,
    /// a member's name, the quarter's label.
    pub code: String,
    /// The plan file's field (`points`); fields that only make sense
    /// together are one, named by all of them (`state, done_on`).
    pub field: String,
    /// The values as the plan file writes them, except that references
    /// read as codes that side gives them (`sprint`: `"S3"`; `krs`:
    /// `["KR1.2"]`; a record's `item`: `"#42"`); null where a side has
    /// none. A group of fields is a list of their values in order.
    pub base: Value,
    pub mine: Value,
    pub theirs: Value,
}

/// An item the merge gave a new number: both sides had added an item with
/// the same number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct Renumbered {
    pub id: String,
    pub title: String,
    /// The side that added it.
    pub side: Side,
    pub from: i64,
    pub to: i64,
}

/// What to take for conflicts: one side for all, or one for each conflict
/// by its object's id and field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices {
    pub all: Option<Side>,
    pub each: HashMap<(String, String), Side>,
}

impl Choices {
    pub fn all(side: Side) -> Self {
        Self { all: Some(side), each: HashMap::new() }
    }

    /// The side for one conflict.
    pub fn choose(&mut self, conflict: &Conflict, side: Side) {
        self.each.insert((conflict.id.clone(), conflict.field.clone()), side);
    }

    fn side(&self, id: &str, field: &str) -> Option<Side> {
        self.each.get(&(id.to_owned(), field.to_owned())).copied().or(self.all)
    }
}

/// A merge's result: the merged plan, what is left to choose, and the
/// items given new numbers (for the sync summary).
#[derive(Debug, Clone)]
pub struct ThreeWay {
    pub plan: Plan,
    pub conflicts: Vec<Conflict>,
    pub renumbered: Vec<Renumbered>,
    /// The merged plan's first problem by its own checks (`Plan::validate`),
    /// such as sprints the two sides added on the same days; none usually.
    pub problem: Option<String>,
    /// Base, mine and theirs, kept for `resolve` while there is anything
    /// to choose or anything was chosen (a 10,000-item merge with neither
    /// copies no plan).
    inputs: Option<Box<[Plan; 3]>>,
    choices: Choices,
}

/// Merges `mine` and `theirs`, both edited from `base`.
pub fn merge3(base: &Plan, mine: &Plan, theirs: &Plan) -> anyhow::Result<ThreeWay> {
    merge_keeping_inputs([base, mine, theirs], Choices::default())
}

fn merge_keeping_inputs([base, mine, theirs]: [&Plan; 3], choices: Choices) -> anyhow::Result<ThreeWay> {
    let mut merge = merge_with([base, mine, theirs], choices, ItemsWay::Shortcut)?;
    if !merge.conflicts.is_empty() || merge.choices != Choices::default() {
        merge.inputs = Some(Box::new([base.clone(), mine.clone(), theirs.clone()]));
    }
    Ok(merge)
}

/// `mine` with the numbers `base` gave its items put back, when it
/// changed any (an undo of a sync's import gives a number the remote has
/// fixed back to another item): the merge of `mine` with an unchanged
/// `base`, so only the numbers move. `None` when every number stands.
pub fn with_fixed_numbers(base: &Plan, mine: &Plan) -> anyhow::Result<Option<ThreeWay>> {
    let fixed: HashMap<&str, i64> = base.items.iter().filter_map(|item| Some((item.id.as_deref()?, item.number?))).collect();
    let moved = mine.items.iter().any(|item| {
        let was = item.id.as_deref().and_then(|id| fixed.get(id));
        matches!((was, item.number), (Some(was), Some(now)) if *was != now)
    });
    if moved { merge3(base, mine, base).map(Some) } else { Ok(None) }
}

impl ThreeWay {
    /// The merge again with `choices` added to those made before: the
    /// chosen conflicts take their side and leave `conflicts`.
    pub fn resolve(&self, choices: &Choices) -> anyhow::Result<Self> {
        let mut all = self.choices.clone();
        all.all = choices.all.or(all.all);
        all.each.extend(choices.each.iter().map(|(at, side)| (at.clone(), *side)));
        match &self.inputs {
            Some(inputs) => {
                let [base, mine, theirs] = &**inputs;
                merge_keeping_inputs([base, mine, theirs], all)
            }
            // Nothing was left to choose and nothing chosen: choosing now
            // changes nothing.
            None => Ok(self.clone()),
        }
    }
}

/// How items no side touched are merged: by the shortcut (`untouched`),
/// or field by field as every other item; the tests compare the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemsWay {
    Shortcut,
    #[cfg(test)]
    FieldByField,
}

/// [`merge3`] with every item merged field by field: what the shortcut
/// for untouched items must equal.
#[cfg(test)]
fn merge3_field_by_field(base: &Plan, mine: &Plan, theirs: &Plan) -> anyhow::Result<ThreeWay> {
    merge_with([base, mine, theirs], Choices::default(), ItemsWay::FieldByField)
}

fn merge_with([base, mine, theirs]: [&Plan; 3], choices: Choices, way: ItemsWay) -> anyhow::Result<ThreeWay> {
    let untouched = match way {
        ItemsWay::Shortcut => untouched::untouched(base, mine, theirs),
        #[cfg(test)]
        ItemsWay::FieldByField => untouched::Untouched::new(),
    };
    let tree_of = |plan: &Plan, side: &str| Tree::of(plan, side, &untouched);
    let (base_tree, mine_tree, theirs_tree) = (tree_of(base, "base")?, tree_of(mine, "mine")?, tree_of(theirs, "theirs")?);
    let (b, m, t) = (&base_tree.root, &mine_tree.root, &theirs_tree.root);
    let mut merger = Merger { choices: &choices, codes: [&mine_tree.codes, &theirs_tree.codes], conflicts: Vec::new() };
    let quarter_id = tree::key(&m["quarter"]).to_owned();
    let quarter = merger.object(ObjectKind::Quarter, &quarter_id, b.get("quarter"), &m["quarter"], &t["quarter"]);
    let mut root = serde_json::Map::new();
    root.insert("quarter".into(), quarter);
    for (field, kind) in [
        ("objectives", ObjectKind::Objective),
        ("sprints", ObjectKind::Sprint),
        ("items", ObjectKind::Item),
        ("team", ObjectKind::Member),
    ] {
        let merged = merger.list(kind, list(b, field), list(m, field), list(t, field));
        root.insert(field.into(), Value::Array(merged));
    }
    let mut root = Value::Object(root);
    let backlog = |plan: &Plan, tree: &Tree| numbers::backlog_order(plan, list(&tree.root, "items"));
    let orders = [backlog(base, &base_tree), backlog(mine, &mine_tree), backlog(theirs, &theirs_tree)];
    let used = [base, mine, theirs].iter().filter_map(|plan| plan.item_numbers_used).max();
    let renumbered = numbers::renumber_items(&mut root, used, mine_tree.root.get("items"), theirs_tree.root.get("items"));
    numbers::rank_items(&mut root, &orders);
    let highest = list(&root, "items").iter().filter_map(|item| item.get("number")?.as_i64()).max();
    if let Some(used) = used.map(|used| used.max(highest.unwrap_or(0))) {
        root["item_numbers_used"] = Value::from(used);
    }
    let plan = tree::into_plan(root, &untouched)?;
    let problem = plan.validate().err().map(|error| format!("{error:#}"));
    let mut conflicts = merger.conflicts;
    for conflict in &mut conflicts {
        by_code(&mut conflict.base, &base_tree.codes);
        by_code(&mut conflict.mine, &mine_tree.codes);
        by_code(&mut conflict.theirs, &theirs_tree.codes);
    }
    Ok(ThreeWay { plan, conflicts, renumbered, problem, inputs: None, choices })
}

/// A conflict's value with its references (a sprint, KR tags, a record's
/// items) named by the codes its side gives them (`S3`, `KR1.2`, `#42`),
/// as the person choosing reads them; an object's own `id` stays.
fn by_code(value: &mut Value, codes: &HashMap<String, String>) {
    match value {
        Value::String(text) => {
            if let Some(code) = codes.get(text.as_str()) {
                code.clone_into(text);
            }
        }
        Value::Array(entries) => entries.iter_mut().for_each(|entry| by_code(entry, codes)),
        Value::Object(fields) => {
            fields.iter_mut().filter(|(name, _)| *name != "id").for_each(|(_, field)| by_code(field, codes));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod properties;
