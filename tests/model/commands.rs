//! The random steps of the model test, each turned into an `ops::Command`
//! on the objects the model holds, with what the model says it does: the
//! next model, or why the method refuses it. Objects are picked from the
//! model by index, so a step never names an object that is not there
//! (that case is `tests/store_errors.rs`'s); a step with nothing to act on
//! (no item yet, no KR to tag with) is skipped.

use std::collections::BTreeSet;

use proptest::{prelude::*, sample::Index};
use quarterdeck::{
    domain::{
        ItemKind, ItemState,
        ids::{CheckInId, ItemId, KeyResultId, ObjectiveId, QuarterId, SprintId},
        values::{Confidence, Points, Title},
    },
    ops::{Alignment, CheckInEdit, Command, ItemEdit, KeyResultEdit, RankTo},
    store::Resolved,
};

use super::{CheckIn, Item, KeyResult, Model, Objective, PENDING};

/// One random step, its objects named by index into the model's lists.
#[derive(Debug, Clone)]
pub enum Op {
    AddItem {
        title: u8,
        points: u32,
        kind: usize,
        krs: Vec<Index>,
        description: u8,
    },
    EditItem {
        item: Index,
        title: Option<u8>,
        points: Option<u32>,
        kind: Option<usize>,
        description: Option<u8>,
    },
    Rank {
        item: Index,
        to: u8,
        other: Index,
    },
    SwapWithAbove {
        item: Index,
    },
    SetState {
        item: Index,
        state: usize,
    },
    StepState {
        item: Index,
        forward: bool,
    },
    SetStates {
        items: Vec<Index>,
        state: usize,
    },
    Tag {
        item: Index,
        add: Vec<Index>,
        remove: Vec<Index>,
    },
    TagItems {
        items: Vec<Index>,
        add: Vec<Index>,
        remove: Vec<Index>,
    },
    Move {
        item: Index,
        sprint: Option<usize>,
    },
    MoveItems {
        items: Vec<Index>,
        sprint: Option<usize>,
    },
    DeleteItems {
        items: Vec<Index>,
    },
    AddObjective {
        title: u8,
        owner: u8,
    },
    EditObjective {
        objective: Index,
        title: Option<u8>,
        owner: Option<u8>,
    },
    DeleteObjective {
        objective: Index,
    },
    AddKeyResult {
        objective: Index,
        unit: bool,
        start: i8,
        target: i8,
        confidence: Option<u8>,
        current: Option<i8>,
    },
    EditKeyResult {
        kr: Index,
        title: Option<u8>,
        owner: Option<u8>,
        unit: Option<bool>,
        target: Option<i8>,
    },
    DeleteKeyResult {
        kr: Index,
    },
    CheckIn {
        kr: Index,
        value: i8,
        confidence: Option<u8>,
        day: i64,
        note: u8,
    },
    EditCheckIn {
        kr: Index,
        check_in: Index,
        value: Option<i8>,
        note: Option<u8>,
    },
    DeleteCheckIn {
        kr: Index,
        check_in: Index,
    },
    /// Handled by the test itself: the model goes back (or on) to a snapshot.
    Undo,
    Redo,
}

pub fn op() -> impl Strategy<Value = Op> {
    let index = any::<Index>;
    let indexes = || prop::collection::vec(any::<Index>(), 0..3);
    let some_indexes = || prop::collection::vec(any::<Index>(), 1..4);
    let small = || 0_u8..6;
    let points = prop_oneof![Just(0_u32), 1_u32..14, Just(100)];
    let sprint = || prop::option::of(0_usize..6);
    prop_oneof![
        6 => (small(), points.clone(), 0_usize..4, indexes(), small())
            .prop_map(|(title, points, kind, krs, description)| Op::AddItem { title, points, kind, krs, description }),
        2 => (index(), prop::option::of(small()), prop::option::of(points), prop::option::of(0_usize..4), prop::option::of(small()))
            .prop_map(|(item, title, points, kind, description)| Op::EditItem { item, title, points, kind, description }),
        2 => (index(), 0_u8..3, index()).prop_map(|(item, to, other)| Op::Rank { item, to, other }),
        2 => index().prop_map(|item| Op::SwapWithAbove { item }),
        2 => (index(), 0_usize..3).prop_map(|(item, state)| Op::SetState { item, state }),
        2 => (index(), any::<bool>()).prop_map(|(item, forward)| Op::StepState { item, forward }),
        1 => (some_indexes(), 0_usize..3).prop_map(|(items, state)| Op::SetStates { items, state }),
        3 => (index(), indexes(), indexes()).prop_map(|(item, add, remove)| Op::Tag { item, add, remove }),
        1 => (some_indexes(), indexes(), indexes()).prop_map(|(items, add, remove)| Op::TagItems { items, add, remove }),
        2 => (index(), sprint()).prop_map(|(item, sprint)| Op::Move { item, sprint }),
        1 => (some_indexes(), sprint()).prop_map(|(items, sprint)| Op::MoveItems { items, sprint }),
        1 => some_indexes().prop_map(|items| Op::DeleteItems { items }),
        3 => (small(), small()).prop_map(|(title, owner)| Op::AddObjective { title, owner }),
        1 => (index(), prop::option::of(small()), prop::option::of(small()))
            .prop_map(|(objective, title, owner)| Op::EditObjective { objective, title, owner }),
        1 => index().prop_map(|objective| Op::DeleteObjective { objective }),
        4 => (index(), prop::bool::weighted(0.9), -3_i8..4, -3_i8..4, prop::option::of(0_u8..=100), prop::option::of(-3_i8..4))
            .prop_map(|(objective, unit, start, target, confidence, current)| Op::AddKeyResult { objective, unit, start, target, confidence, current }),
        2 => (index(), prop::option::of(small()), prop::option::of(small()), prop::option::of(prop::bool::weighted(0.8)), prop::option::of(-3_i8..4))
            .prop_map(|(kr, title, owner, unit, target)| Op::EditKeyResult { kr, title, owner, unit, target }),
        1 => index().prop_map(|kr| Op::DeleteKeyResult { kr }),
        4 => (index(), -3_i8..10, prop::option::of(0_u8..=100), -40_i64..=2, small())
            .prop_map(|(kr, value, confidence, day, note)| Op::CheckIn { kr, value, confidence, day, note }),
        2 => (index(), index(), prop::option::of(-3_i8..10), prop::option::of(small()))
            .prop_map(|(kr, check_in, value, note)| Op::EditCheckIn { kr, check_in, value, note }),
        1 => (index(), index()).prop_map(|(kr, check_in)| Op::DeleteCheckIn { kr, check_in }),
        3 => Just(Op::Undo),
        2 => Just(Op::Redo),
    ]
}

/// A plain story of 3 points titled `Item n`.
pub fn add_item(n: u8) -> Command {
    Command::AddItem {
        title: title("Item", n),
        points: Points::new(3).expect("points"),
        kind: ItemKind::Story,
        krs: Vec::new(),
        description: String::new(),
        deferred_reason: String::new(),
    }
}

/// What the model expects of a command: the next model, or a refusal.
type Expected = Result<Model, String>;

fn title(prefix: &str, n: u8) -> Title {
    Title::parse(&format!("{prefix} {n}")).expect("a title")
}

fn pick<T>(list: &[T], at: Index) -> Option<&T> {
    (!list.is_empty()).then(|| &list[at.index(list.len())])
}

/// The distinct items the indexes name, in the order first named.
fn picked_items(model: &Model, indexes: &[Index]) -> Vec<i64> {
    let mut chosen = Vec::new();
    for at in indexes {
        if let Some(item) = pick(&model.items, *at)
            && !chosen.contains(&item.id)
        {
            chosen.push(item.id);
        }
    }
    chosen
}

/// The distinct KR ids the indexes name.
fn picked_krs(model: &Model, indexes: &[Index]) -> BTreeSet<i64> {
    let krs: Vec<i64> = model.key_results().map(|kr| kr.id).collect();
    indexes.iter().filter_map(|at| pick(&krs, *at).copied()).collect()
}

fn kr_ids(krs: &BTreeSet<i64>) -> Vec<KeyResultId> {
    krs.iter().map(|id| KeyResultId(*id)).collect()
}

fn position(model: &Model, item: i64) -> usize {
    model.items.iter().position(|candidate| candidate.id == item).expect("a modelled item")
}

fn item_mut(model: &mut Model, item: i64) -> &mut Item {
    let at = position(model, item);
    &mut model.items[at]
}

/// Tags on `items`: `add` put on, `remove` (but what `add` names) taken off.
fn tagged(model: &Model, items: &[i64], add: &BTreeSet<i64>, remove: &BTreeSet<i64>) -> Model {
    let mut next = model.clone();
    for item in items {
        let item = item_mut(&mut next, *item);
        item.krs.extend(add.iter().copied());
        item.krs.retain(|kr| !remove.contains(kr));
    }
    next
}

fn with_states(model: &Model, items: &[i64], state: ItemState) -> Model {
    let mut next = model.clone();
    for item in items {
        item_mut(&mut next, *item).state = state;
    }
    next
}

fn in_sprint(model: &Model, items: &[i64], sprint: Option<usize>) -> Model {
    let mut next = model.clone();
    for item in items {
        item_mut(&mut next, *item).sprint = sprint.map(|at| at as u32 + 1);
    }
    next
}

/// M9: a KR has a unit and a target other than its start.
fn m9(unit: &str, start: f64, target: f64) -> Result<(), String> {
    if unit.is_empty() || start == target { Err("M9".to_owned()) } else { Ok(()) }
}

fn without_krs(model: &mut Model, gone: &BTreeSet<i64>) {
    for item in &mut model.items {
        item.krs.retain(|kr| !gone.contains(kr));
    }
}

impl Model {
    /// The command `op` makes on this model and what the model expects of
    /// it; `None` when there is nothing for it to act on.
    pub fn command(&self, op: &Op) -> Option<(Command, Expected)> {
        let sprint_id = |at: Option<usize>| at.map(|at| SprintId(self.sprints[at]));
        let item_at = |at: Index| pick(&self.items, at).map(|item| item.id);
        match op {
            Op::AddItem { title: n, points, kind, krs, description } => {
                let krs = picked_krs(self, krs);
                let description = if *description == 0 { String::new() } else { format!("About {description}") };
                let mut next = self.clone();
                next.items.push(Item {
                    id: PENDING,
                    title: format!("Item {n}"),
                    points: *points,
                    kind: ItemKind::ALL[*kind],
                    state: ItemState::Todo,
                    sprint: None,
                    krs: krs.clone(),
                    description: description.clone(),
                });
                let command = Command::AddItem {
                    title: title("Item", *n),
                    points: Points::new(*points).expect("points"),
                    kind: ItemKind::ALL[*kind],
                    krs: kr_ids(&krs),
                    description,
                    deferred_reason: String::new(),
                };
                Some((command, Ok(next)))
            }
            Op::EditItem { item, title: new_title, points, kind, description } => {
                let id = item_at(*item)?;
                let mut next = self.clone();
                let edited = item_mut(&mut next, id);
                let description = description.map(|n| format!("Now {n}"));
                if let Some(n) = new_title {
                    edited.title = format!("Item {n}");
                }
                if let Some(points) = points {
                    edited.points = *points;
                }
                if let Some(kind) = kind {
                    edited.kind = ItemKind::ALL[*kind];
                }
                if let Some(description) = &description {
                    edited.description.clone_from(description);
                }
                let edit = ItemEdit {
                    title: new_title.map(|n| title("Item", n)),
                    points: points.map(|points| Points::new(points).expect("points")),
                    kind: kind.map(|kind| ItemKind::ALL[kind]),
                    description,
                    deferred_reason: None,
                };
                Some((Command::EditItem { item: ItemId(id), edit }, Ok(next)))
            }
            Op::Rank { item, to, other } => {
                let id = item_at(*item)?;
                let other = item_at(*other)?;
                let mut next = self.clone();
                let moved = next.items.remove(position(self, id));
                let (to, expected) = match to {
                    0 => {
                        next.items.insert(0, moved);
                        (RankTo::Top, Ok(next))
                    }
                    1 => {
                        next.items.push(moved);
                        (RankTo::Bottom, Ok(next))
                    }
                    _ if other == id => (RankTo::After(ItemId(other)), Err("below itself".to_owned())),
                    _ => {
                        let at = position(&next, other) + 1;
                        next.items.insert(at, moved);
                        (RankTo::After(ItemId(other)), Ok(next))
                    }
                };
                Some((Command::Rank { item: ItemId(id), to }, expected))
            }
            Op::SwapWithAbove { item } => {
                let id = item_at(*item)?;
                let at = position(self, id);
                if at == 0 {
                    return None;
                }
                let other = self.items[at - 1].id;
                let mut next = self.clone();
                next.items.swap(at, at - 1);
                Some((Command::SwapRanks { item: ItemId(id), other: ItemId(other), up: true }, Ok(next)))
            }
            Op::SetState { item, state } => {
                let id = item_at(*item)?;
                let state = ItemState::ALL[*state];
                Some((Command::SetState { item: ItemId(id), state }, Ok(with_states(self, &[id], state))))
            }
            Op::StepState { item, forward } => {
                let id = item_at(*item)?;
                let now = ItemState::ALL.iter().position(|state| *state == self.items[position(self, id)].state)?;
                let next = if *forward { now.checked_add(1).filter(|at| *at < 3) } else { now.checked_sub(1) };
                let expected = match next {
                    Some(at) => Ok(with_states(self, &[id], ItemState::ALL[at])),
                    None => Err("nothing comes after done, or before todo".to_owned()),
                };
                Some((Command::StepState { item: ItemId(id), forward: *forward }, expected))
            }
            Op::SetStates { items, state } => {
                let chosen = picked_items(self, items);
                if chosen.is_empty() {
                    return None;
                }
                let state = ItemState::ALL[*state];
                let command = Command::SetStates { items: chosen.iter().map(|id| ItemId(*id)).collect(), state };
                Some((command, Ok(with_states(self, &chosen, state))))
            }
            Op::Tag { item, add, remove } => {
                let id = item_at(*item)?;
                let add = picked_krs(self, add);
                let remove: BTreeSet<i64> = picked_krs(self, remove).difference(&add).copied().collect();
                if add.is_empty() && remove.is_empty() {
                    return None;
                }
                let command = Command::Tag { item: ItemId(id), add: kr_ids(&add), remove: kr_ids(&remove) };
                Some((command, Ok(tagged(self, &[id], &add, &remove))))
            }
            Op::TagItems { items, add, remove } => {
                let chosen = picked_items(self, items);
                let add = picked_krs(self, add);
                let remove: BTreeSet<i64> = picked_krs(self, remove).difference(&add).copied().collect();
                // With nothing to add or remove, TagItems is about carried
                // items' marks, which this model does not hold.
                if chosen.is_empty() || (add.is_empty() && remove.is_empty()) {
                    return None;
                }
                let command = Command::TagItems {
                    items: chosen.iter().map(|id| ItemId(*id)).collect(),
                    add: kr_ids(&add),
                    remove: kr_ids(&remove),
                };
                Some((command, Ok(tagged(self, &chosen, &add, &remove))))
            }
            Op::Move { item, sprint } => {
                let id = item_at(*item)?;
                Some((Command::Move { item: ItemId(id), sprint: sprint_id(*sprint) }, Ok(in_sprint(self, &[id], *sprint))))
            }
            Op::MoveItems { items, sprint } => {
                let chosen = picked_items(self, items);
                if chosen.is_empty() {
                    return None;
                }
                let command =
                    Command::MoveItems { items: chosen.iter().map(|id| ItemId(*id)).collect(), sprint: sprint_id(*sprint) };
                Some((command, Ok(in_sprint(self, &chosen, *sprint))))
            }
            Op::DeleteItems { items } => {
                let chosen = picked_items(self, items);
                if chosen.is_empty() {
                    return None;
                }
                let mut next = self.clone();
                next.items.retain(|item| !chosen.contains(&item.id));
                Some((Command::DeleteItems { items: chosen.iter().map(|id| ItemId(*id)).collect() }, Ok(next)))
            }
            _ => self.okr_command(op),
        }
    }

    /// The commands on objectives, KRs and check-ins.
    fn okr_command(&self, op: &Op) -> Option<(Command, Expected)> {
        let objective_at = |at: Index| pick(&self.objectives, at).map(|objective| objective.id);
        let krs: Vec<&KeyResult> = self.key_results().collect();
        let kr_at = |at: Index| pick(&krs, at).copied();
        match op {
            Op::AddObjective { title: n, owner } => {
                let mut next = self.clone();
                next.objectives.push(Objective {
                    id: PENDING,
                    title: format!("Objective {n}"),
                    owner: format!("Owner {owner}"),
                    key_results: Vec::new(),
                });
                let command = Command::AddObjective {
                    quarter: QuarterId(self.quarter),
                    title: title("Objective", *n),
                    owner: format!("Owner {owner}"),
                    aligns_to: Alignment::default(),
                };
                Some((command, Ok(next)))
            }
            Op::EditObjective { objective, title: new_title, owner } => {
                let id = objective_at(*objective)?;
                let mut next = self.clone();
                let edited = next.objectives.iter_mut().find(|objective| objective.id == id)?;
                if let Some(n) = new_title {
                    edited.title = format!("Objective {n}");
                }
                if let Some(owner) = owner {
                    edited.owner = format!("Owner {owner}");
                }
                let command = Command::EditObjective {
                    objective: ObjectiveId(id),
                    title: new_title.map(|n| title("Objective", n)),
                    owner: owner.map(|owner| format!("Owner {owner}")),
                    aligns_to: None,
                };
                Some((command, Ok(next)))
            }
            Op::DeleteObjective { objective } => {
                let id = objective_at(*objective)?;
                let mut next = self.clone();
                let at = next.objectives.iter().position(|objective| objective.id == id)?;
                let gone: BTreeSet<i64> = next.objectives.remove(at).key_results.iter().map(|kr| kr.id).collect();
                without_krs(&mut next, &gone);
                Some((Command::Delete { object: Resolved::Objective(ObjectiveId(id)) }, Ok(next)))
            }
            Op::AddKeyResult { objective, unit, start, target, confidence, current } => {
                let id = objective_at(*objective)?;
                let unit = if *unit { "%" } else { "" };
                let (start, target) = (f64::from(*start), f64::from(*target));
                let own = confidence.unwrap_or(50);
                let current = current.map(f64::from);
                let command = Command::AddKeyResult {
                    objective: ObjectiveId(id),
                    title: title("Result", 1),
                    unit: unit.to_owned(),
                    start,
                    target,
                    confidence: confidence.map(|c| Confidence::new(u32::from(c)).expect("a confidence")),
                    owner: "Marco".to_owned(),
                    current,
                    reading_note: None,
                };
                let expected = m9(unit, start, target).map(|()| {
                    let mut next = self.clone();
                    let first = current.filter(|value| *value != start).map(|value| CheckIn {
                        id: PENDING,
                        date: self.today,
                        value,
                        confidence: own,
                        note: "set from the command line".to_owned(),
                    });
                    let kr = KeyResult {
                        id: PENDING,
                        title: "Result 1".to_owned(),
                        unit: unit.to_owned(),
                        start,
                        target,
                        owner: "Marco".to_owned(),
                        confidence: own,
                        check_ins: first.into_iter().collect(),
                    };
                    next.objectives.iter_mut().find(|objective| objective.id == id).expect("picked").key_results.push(kr);
                    next
                });
                Some((command, expected))
            }
            Op::EditKeyResult { kr, title: new_title, owner, unit, target } => {
                let kr = kr_at(*kr)?;
                let unit = unit.map(|kept| if kept { "pts" } else { "" });
                let target = target.map(f64::from);
                let edit = KeyResultEdit {
                    title: new_title.map(|n| title("Result", n)),
                    owner: owner.map(|owner| format!("Owner {owner}")),
                    unit: unit.map(str::to_owned),
                    target,
                    ..KeyResultEdit::default()
                };
                let expected = m9(unit.unwrap_or(&kr.unit), kr.start, target.unwrap_or(kr.target)).map(|()| {
                    let mut next = self.clone();
                    let edited = next.key_result_mut(kr.id).expect("picked");
                    if let Some(n) = new_title {
                        edited.title = format!("Result {n}");
                    }
                    if let Some(owner) = owner {
                        edited.owner = format!("Owner {owner}");
                    }
                    if let Some(unit) = unit {
                        edited.unit = unit.to_owned();
                    }
                    if let Some(target) = target {
                        edited.target = target;
                    }
                    next
                });
                Some((Command::EditKeyResult { key_result: KeyResultId(kr.id), edit }, expected))
            }
            Op::DeleteKeyResult { kr } => {
                let id = kr_at(*kr)?.id;
                let mut next = self.clone();
                for objective in &mut next.objectives {
                    objective.key_results.retain(|kr| kr.id != id);
                }
                without_krs(&mut next, &BTreeSet::from([id]));
                Some((Command::Delete { object: Resolved::KeyResult(KeyResultId(id)) }, Ok(next)))
            }
            Op::CheckIn { kr, value, confidence, day, note } => {
                let kr = kr_at(*kr)?;
                let date = self.today + chrono::Duration::days(*day);
                let value = f64::from(*value);
                let command = Command::CheckIn {
                    key_result: KeyResultId(kr.id),
                    value,
                    confidence: confidence.map(|c| Confidence::new(u32::from(c)).expect("a confidence")),
                    note: format!("Reading {note}"),
                    date,
                };
                let expected = if date > self.today {
                    Err("a check-in records a reading taken: today or earlier".to_owned())
                } else {
                    let mut next = self.clone();
                    let confidence = confidence.unwrap_or(kr.current_confidence());
                    let check_in = CheckIn { id: PENDING, date, value, confidence, note: format!("Reading {note}") };
                    next.key_result_mut(kr.id).expect("picked").check_ins.push(check_in);
                    Ok(next)
                };
                Some((command, expected))
            }
            Op::EditCheckIn { kr, check_in, value, note } => {
                let kr = kr_at(*kr)?;
                let check_in = pick(&kr.check_ins, *check_in)?.id;
                let mut next = self.clone();
                let edited = next.key_result_mut(kr.id)?.check_ins.iter_mut().find(|c| c.id == check_in)?;
                if let Some(value) = value {
                    edited.value = f64::from(*value);
                }
                if let Some(note) = note {
                    edited.note = format!("Corrected {note}");
                }
                let edit = CheckInEdit {
                    value: value.map(f64::from),
                    note: note.map(|note| format!("Corrected {note}")),
                    ..CheckInEdit::default()
                };
                Some((Command::EditCheckIn { check_in: CheckInId(check_in), edit }, Ok(next)))
            }
            Op::DeleteCheckIn { kr, check_in } => {
                let kr = kr_at(*kr)?;
                let check_in = pick(&kr.check_ins, *check_in)?.id;
                let mut next = self.clone();
                next.key_result_mut(kr.id)?.check_ins.retain(|c| c.id != check_in);
                Some((Command::Delete { object: Resolved::CheckIn(CheckInId(check_in)) }, Ok(next)))
            }
            _ => None,
        }
    }
}
