//! The plain in-memory model of a board that `tests/model.rs` holds the
//! store to: items in rank order, objectives with their KRs and check-ins,
//! and the six sprints items are planned into. Only what the covered
//! Commands touch is modelled; `view` is what both sides are compared by.

mod commands;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use quarterdeck::{
    domain::{ItemKind, ItemState},
    store::{ItemFilter, Resolved, Store},
};

pub use commands::{Op, add_item as commands_add_item, op};

/// The id of an object the store has not made yet: `take_created` puts in
/// the one the store's outcome names.
pub const PENDING: i64 = -1;

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: i64,
    pub title: String,
    pub points: u32,
    pub kind: ItemKind,
    pub state: ItemState,
    /// The sprint's number (1-6).
    pub sprint: Option<u32>,
    /// KR ids.
    pub krs: BTreeSet<i64>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckIn {
    pub id: i64,
    pub date: NaiveDate,
    pub value: f64,
    pub confidence: u8,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeyResult {
    pub id: i64,
    pub title: String,
    pub unit: String,
    pub start: f64,
    pub target: f64,
    pub owner: String,
    /// Its own confidence, until its first check-in.
    pub confidence: u8,
    pub check_ins: Vec<CheckIn>,
}

impl KeyResult {
    /// The newest check-in (by date, then id), which gives the KR's value
    /// and confidence.
    fn latest(&self) -> Option<&CheckIn> {
        self.check_ins.iter().max_by_key(|check_in| (check_in.date, check_in.id))
    }

    pub fn current_confidence(&self) -> u8 {
        self.latest().map_or(self.confidence, |check_in| check_in.confidence)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    pub id: i64,
    pub title: String,
    pub owner: String,
    pub key_results: Vec<KeyResult>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub quarter: i64,
    /// Sprint ids, by number.
    pub sprints: Vec<i64>,
    pub today: NaiveDate,
    pub items: Vec<Item>,
    pub objectives: Vec<Objective>,
    /// Every item id the store ever gave: a new one is above all of them.
    pub item_ids_given: i64,
}

/// What both sides are compared by: everything a user sees of the
/// modelled objects, in the order the board shows it.
#[derive(Debug, PartialEq)]
pub struct View {
    pub items: Vec<ItemView>,
    /// id, number, title, owner, and its KRs.
    pub objectives: Vec<(i64, u32, String, String, Vec<KrView>)>,
    /// Each sprint's number and load (the points planned into it).
    pub loads: Vec<(u32, u32)>,
}

/// id, title, points, kind, state, sprint number, KR codes, description.
pub type ItemView = (i64, String, u32, ItemKind, ItemState, Option<u32>, Vec<String>, String);

/// id, code, title, unit, start, target, current, owner, confidence,
/// and its check-ins (id, date, value, confidence, note) oldest first.
pub type KrView = (i64, String, String, String, f64, f64, f64, String, u8, Vec<(i64, NaiveDate, f64, u8, String)>);

impl Model {
    pub fn new(quarter: i64, sprints: Vec<i64>, today: NaiveDate) -> Self {
        Self { quarter, sprints, today, items: Vec::new(), objectives: Vec::new(), item_ids_given: 0 }
    }

    pub fn key_results(&self) -> impl Iterator<Item = &KeyResult> {
        self.objectives.iter().flat_map(|objective| objective.key_results.iter())
    }

    pub fn key_result_mut(&mut self, id: i64) -> Option<&mut KeyResult> {
        self.objectives.iter_mut().flat_map(|objective| objective.key_results.iter_mut()).find(|kr| kr.id == id)
    }

    /// `KR1.2` for each KR id, in code order.
    fn codes(&self) -> Vec<(i64, String)> {
        let mut codes = Vec::new();
        for (o, objective) in self.objectives.iter().enumerate() {
            for (k, kr) in objective.key_results.iter().enumerate() {
                codes.push((kr.id, format!("KR{}.{}", o + 1, k + 1)));
            }
        }
        codes
    }

    pub fn view(&self) -> View {
        let codes = self.codes();
        let items = self
            .items
            .iter()
            .map(|item| {
                let krs = codes.iter().filter(|(id, _)| item.krs.contains(id)).map(|(_, code)| code.clone()).collect();
                (item.id, item.title.clone(), item.points, item.kind, item.state, item.sprint, krs, item.description.clone())
            })
            .collect();
        let objectives = self
            .objectives
            .iter()
            .enumerate()
            .map(|(o, objective)| {
                let krs = objective
                    .key_results
                    .iter()
                    .enumerate()
                    .map(|(k, kr)| {
                        let mut check_ins: Vec<_> =
                            kr.check_ins.iter().map(|c| (c.id, c.date, c.value, c.confidence, c.note.clone())).collect();
                        check_ins.sort_by_key(|c| (c.1, c.0));
                        let current = kr.latest().map_or(kr.start, |check_in| check_in.value);
                        (
                            kr.id,
                            format!("KR{}.{}", o + 1, k + 1),
                            kr.title.clone(),
                            kr.unit.clone(),
                            kr.start,
                            kr.target,
                            current,
                            kr.owner.clone(),
                            kr.current_confidence(),
                            check_ins,
                        )
                    })
                    .collect();
                (objective.id, (o + 1) as u32, objective.title.clone(), objective.owner.clone(), krs)
            })
            .collect();
        let loads = (1..=self.sprints.len() as u32)
            .map(|number| (number, self.items.iter().filter(|item| item.sprint == Some(number)).map(|item| item.points).sum()))
            .collect();
        View { items, objectives, loads }
    }

    /// The object a command made, in the place the model left for it;
    /// a KR's first check-in, which no outcome names, is read from the store.
    pub fn take_created(&mut self, created: Option<Resolved>, store: &Store) {
        match created {
            Some(Resolved::Item(id)) => {
                let id = id.row();
                assert!(id > self.item_ids_given, "item #{id} given again (numbers are never reused)");
                self.item_ids_given = id;
                if let Some(item) = self.items.iter_mut().find(|item| item.id == PENDING) {
                    item.id = id;
                }
            }
            Some(Resolved::Objective(id)) => {
                if let Some(objective) = self.objectives.iter_mut().find(|objective| objective.id == PENDING) {
                    objective.id = id.row();
                }
            }
            Some(Resolved::KeyResult(id)) => {
                let stored = store.check_ins_of(id.row()).unwrap();
                if let Some(kr) = self.key_result_mut(PENDING) {
                    kr.id = id.row();
                    for (check_in, found) in kr.check_ins.iter_mut().zip(stored) {
                        check_in.id = found.id;
                    }
                }
            }
            Some(Resolved::CheckIn(id)) => {
                let check_in = self
                    .objectives
                    .iter_mut()
                    .flat_map(|objective| objective.key_results.iter_mut())
                    .flat_map(|kr| kr.check_ins.iter_mut())
                    .find(|check_in| check_in.id == PENDING);
                if let Some(check_in) = check_in {
                    check_in.id = id.row();
                }
            }
            _ => {}
        }
    }
}

/// The same view, read through the store's public reads.
pub fn view_of_store(store: &Store, model: &Model) -> View {
    let rows = store.backlog_page(&ItemFilter::default(), 0, 100_000).unwrap();
    let items = rows
        .into_iter()
        .map(|row| {
            let detail = store.item_detail(row.id).unwrap().expect("a listed item has its detail");
            (row.id, row.title, row.points, row.kind, row.state, row.sprint_number, row.kr_codes, detail.description)
        })
        .collect();
    let board = store.load_board().unwrap().expect("the quarter");
    let objectives = board
        .objectives
        .iter()
        .map(|objective| {
            let krs = objective
                .key_results
                .iter()
                .map(|kr| {
                    let check_ins = kr.check_ins.iter().map(|c| (c.id, c.date, c.value, c.confidence, c.note.clone())).collect();
                    (
                        kr.id,
                        kr.code.clone(),
                        kr.title.clone(),
                        kr.unit.clone(),
                        kr.start,
                        kr.target,
                        kr.current,
                        kr.owner.clone(),
                        kr.confidence,
                        check_ins,
                    )
                })
                .collect();
            (objective.id, objective.number, objective.title.clone(), objective.owner.clone(), krs)
        })
        .collect();
    let loads = board.sprints.iter().map(|sprint| (sprint.number, sprint.load)).collect();
    assert_eq!(board.sprints.len(), model.sprints.len(), "the sprints are not modelled as changing");
    View { items, objectives, loads }
}
