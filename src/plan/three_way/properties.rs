//! Properties of the three-way merge on random edits of two copies of one
//! base (the demo as `export` writes it): swapping the sides changes only
//! which side conflicts hold and which keeps a number both gave (theirs);
//! merging a side with an unchanged other, or
//! with itself, gives that side; nothing added on either side is lost; the
//! merged plan passes the plan's own checks.

use std::collections::HashSet;

use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use super::tests::{exported, uid};
use super::*;
use crate::domain::ItemState;
use crate::plan::{PlanCheckIn, PlanRetroNote};

/// One edit a user makes on the board, naming objects by place (taken
/// modulo the number there is).
#[derive(Debug, Clone)]
enum Edit {
    Points(usize, u32),
    Title(usize, u8),
    State(usize, u8),
    Move(usize, usize),
    Tag(usize, usize),
    Sprint(usize, Option<u32>),
    Add(u8),
    Delete(usize),
    CheckIn(usize, u8),
    NoteCheckIn(usize, u8),
    Retro(usize, u8),
    Goal(usize, u8),
    KrTitle(usize, u8),
    AddKr(usize),
    DaysOff(usize, usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    // Edits gather on the top ten items, so that the two sides often edit
    // the same ones (conflicts, deletes of changed items).
    let place = 0..10_usize;
    prop_oneof![
        (place.clone(), 0..20_u32).prop_map(|(i, points)| Edit::Points(i, points)),
        (place.clone(), 0..3_u8).prop_map(|(i, n)| Edit::Title(i, n)),
        (place.clone(), 0..3_u8).prop_map(|(i, n)| Edit::State(i, n)),
        (place.clone(), 0..64_usize).prop_map(|(i, to)| Edit::Move(i, to)),
        (place.clone(), 0..8_usize).prop_map(|(i, kr)| Edit::Tag(i, kr)),
        (place.clone(), prop::option::of(1..=6_u32)).prop_map(|(i, sprint)| Edit::Sprint(i, sprint)),
        (0..4_u8).prop_map(Edit::Add),
        place.clone().prop_map(Edit::Delete),
        (0..8_usize, 0..3_u8).prop_map(|(kr, n)| Edit::CheckIn(kr, n)),
        (0..8_usize, 0..3_u8).prop_map(|(kr, n)| Edit::NoteCheckIn(kr, n)),
        (0..6_usize, 0..3_u8).prop_map(|(s, n)| Edit::Retro(s, n)),
        (0..6_usize, 0..3_u8).prop_map(|(s, n)| Edit::Goal(s, n)),
        (0..8_usize, 0..3_u8).prop_map(|(kr, n)| Edit::KrTitle(kr, n)),
        (0..3_usize).prop_map(Edit::AddKr),
        (0..6_usize, 0..6_usize, 0..3_u8).prop_map(|(m, s, days)| Edit::DaysOff(m, s, days)),
    ]
}

/// A copy of the plan being edited: its side's tag for new ids.
struct Copy {
    plan: Plan,
    side: u16,
    made: u64,
}

impl Copy {
    fn new_id(&mut self) -> Option<String> {
        self.made += 1;
        Some(uid(self.side, self.made))
    }

    fn apply(&mut self, edit: &Edit) {
        let day = |n: u8| NaiveDate::from_ymd_opt(2026, 11, 2).and_then(|day| day.checked_add_days(Days::new(u64::from(n))));
        let items = self.plan.items.len();
        let krs: Vec<(usize, usize)> = self
            .plan
            .objectives
            .iter()
            .enumerate()
            .flat_map(|(o, objective)| (0..objective.key_results.len()).map(move |k| (o, k)))
            .collect();
        let codes: Vec<String> = self.plan.kr_codes().collect();
        match *edit {
            Edit::Points(i, points) if items > 0 => self.plan.items[i % items].points = points,
            Edit::Title(i, n) if items > 0 => self.plan.items[i % items].title = format!("Title {n} of side {}", self.side),
            Edit::State(i, n) if items > 0 => {
                let item = &mut self.plan.items[i % items];
                item.state = [ItemState::Todo, ItemState::Doing, ItemState::Done][usize::from(n)];
                item.done_on = (item.state == ItemState::Done).then(|| day(n)).flatten();
            }
            Edit::Move(i, to) if items > 1 => self.move_item(i % items, to % items),
            Edit::Tag(i, kr) if items > 0 => {
                let code = &codes[kr % codes.len()];
                let tags = &mut self.plan.items[i % items].krs;
                match tags.iter().position(|tag| tag == code) {
                    Some(at) => drop(tags.remove(at)),
                    None => tags.push(code.clone()),
                }
            }
            Edit::Sprint(i, sprint) if items > 0 => self.plan.items[i % items].sprint = sprint,
            Edit::Add(n) => {
                let number = self.plan.item_numbers_used.unwrap_or(0) + 1;
                let rank = self.plan.items.iter().filter_map(|item| item.rank).max().unwrap_or(0) + 1000;
                let mut item = self.plan.items.first().cloned().unwrap_or_else(|| exported().items[0].clone());
                (item.id, item.number, item.rank) = (self.new_id(), Some(number), Some(rank));
                (item.title, item.state, item.done_on, item.sprint) = (format!("New {n}"), ItemState::Todo, None, None);
                self.plan.items.push(item);
                self.plan.item_numbers_used = Some(number);
            }
            Edit::Delete(i) if items > 0 => drop(self.plan.items.remove(i % items)),
            Edit::CheckIn(kr, n) => {
                let (o, k) = krs[kr % krs.len()];
                let id = self.new_id();
                let date = day(n).unwrap_or_default();
                let check_in = PlanCheckIn { id, date, value: f64::from(n) + 0.5, confidence: 50, note: String::new() };
                self.plan.objectives[o].key_results[k].check_ins.push(check_in);
            }
            Edit::NoteCheckIn(kr, n) => {
                let (o, k) = krs[kr % krs.len()];
                if let Some(check_in) = self.plan.objectives[o].key_results[k].check_ins.first_mut() {
                    check_in.note = format!("Note {n} of side {}", self.side);
                }
            }
            Edit::Retro(s, n) => {
                let note = PlanRetroNote { id: self.new_id(), kind: "to_improve".into(), text: format!("Retro {n}") };
                self.plan.sprints[s % 6].retro.push(note);
            }
            Edit::Goal(s, n) => self.plan.sprints[s % 6].goal = format!("Goal {n} of side {}", self.side),
            Edit::KrTitle(kr, n) => {
                let (o, k) = krs[kr % krs.len()];
                self.plan.objectives[o].key_results[k].title = format!("KR title {n}");
            }
            Edit::AddKr(o) => {
                let objectives = self.plan.objectives.len();
                let mut kr = self.plan.objectives[0].key_results[0].clone();
                (kr.id, kr.title) = (self.new_id(), format!("Added by side {}", self.side));
                kr.check_ins.clear();
                self.plan.objectives[o % objectives].key_results.push(kr);
            }
            Edit::DaysOff(m, s, days) => {
                let team = self.plan.team.len();
                if team > 0 {
                    let member = &mut self.plan.team[m % team];
                    if member.days_off.len() <= s {
                        member.days_off.resize(s + 1, 0.0);
                    }
                    member.days_off[s] = f64::from(days);
                }
            }
            _ => {}
        }
    }

    /// As the board moves an item: a rank between its new neighbours, or
    /// every item ranked afresh when there is no room.
    fn move_item(&mut self, from: usize, to: usize) {
        let mut order: Vec<usize> = (0..self.plan.items.len()).collect();
        order.sort_by_key(|&i| self.plan.items[i].rank);
        let moving = order.remove(from);
        order.insert(to, moving);
        let rank = |place: usize| self.plan.items[order[place]].rank.unwrap_or(0);
        let below = if to == 0 { rank(1) - 2000 } else { rank(to - 1) };
        let above = if to + 1 == order.len() { rank(to - 1) + 2000 } else { rank(to + 1) };
        if above - below > 1 {
            self.plan.items[moving].rank = Some(below + (above - below) / 2);
        } else {
            for (place, &i) in order.iter().enumerate() {
                self.plan.items[i].rank = Some(i64::try_from(place).unwrap_or(0) * 1000);
            }
        }
    }
}

fn edited(base: &Plan, side: u16, edits: &[Edit]) -> Plan {
    let mut copy = Copy { plan: base.clone(), side, made: 0 };
    edits.iter().for_each(|edit| copy.apply(edit));
    copy.plan.validate().expect("an edited copy is a valid plan");
    copy.plan
}

/// `plan` with its items' numbers left out and the items listed by id:
/// what a merge gives whichever side keeps a number both sides gave.
fn without_numbers(plan: &Plan) -> Plan {
    let mut plan = plan.clone();
    plan.items.iter_mut().for_each(|item| item.number = None);
    plan.items.sort_by(|a, b| a.id.cmp(&b.id));
    plan
}

/// Ids of items, check-ins and retro notes a plan has that `base` lacks.
fn added(base: &Plan, plan: &Plan) -> HashSet<String> {
    all_ids(plan).difference(&all_ids(base)).cloned().collect()
}

fn all_ids(plan: &Plan) -> HashSet<String> {
    plan.stable_ids().into_iter().map(|(_, id)| id.to_owned()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn merging_is_symmetric_idempotent_and_loses_nothing_added(
        mine_edits in prop::collection::vec(edit(), 0..12),
        theirs_edits in prop::collection::vec(edit(), 0..12),
    ) {
        let base = exported();
        let (a, b) = (edited(&base, 1, &mine_edits), edited(&base, 2, &theirs_edits));

        let ab = merge3(&base, &a, &b).expect("merges");
        let ba = merge3(&base, &b, &a).expect("merges");
        prop_assert_eq!(&ab.problem, &None);
        prop_assert_eq!(ab.conflicts.len(), ba.conflicts.len());
        let ab_mine = ab.resolve(&Choices::all(Side::Mine)).expect("resolves");
        let ba_theirs = ba.resolve(&Choices::all(Side::Theirs)).expect("resolves");
        prop_assert!(ab_mine.conflicts.is_empty() && ba_theirs.conflicts.is_empty());
        // Theirs keeps its item numbers, so swapping the sides may give
        // items both added with one number the other way round; nothing else.
        prop_assert_eq!(
            without_numbers(&ab_mine.plan),
            without_numbers(&ba_theirs.plan),
            "swapping sides changes only what conflicts hold and who keeps a number"
        );
        for theirs_item in &b.items {
            let merged = ab.plan.items.iter().find(|item| item.id == theirs_item.id);
            prop_assert!(merged.is_none_or(|item| item.number == theirs_item.number), "theirs keeps its numbers");
        }
        prop_assert!(ab.renumbered.iter().all(|moved| moved.side == Side::Mine), "only mine's items are renumbered");
        prop_assert_eq!(&ab_mine.plan, &ab.plan, "conflicts hold mine until resolved");

        let merged_ids = all_ids(&ab.plan);
        for id in added(&base, &a).union(&added(&base, &b)) {
            prop_assert!(merged_ids.contains(id), "{} added on one side is kept", id);
        }
        let numbers: Vec<i64> = ab.plan.items.iter().filter_map(|item| item.number).collect();
        prop_assert_eq!(numbers.iter().collect::<HashSet<_>>().len(), numbers.len(), "each item its own number");

        // Items no side touched skip the field-by-field merge: the result
        // is the same as if they had not.
        let whole_way = merge3_field_by_field(&base, &a, &b).expect("merges");
        prop_assert_eq!(&ab.plan, &whole_way.plan, "the shortcut for untouched items changes nothing");
        prop_assert_eq!(&ab.conflicts, &whole_way.conflicts);
        prop_assert_eq!(&ab.renumbered, &whole_way.renumbered);

        for (mine, theirs, expected) in [(&a, &base, &a), (&base, &a, &a), (&a, &a, &a)] {
            let merge = merge3(&base, mine, theirs).expect("merges");
            prop_assert!(merge.conflicts.is_empty());
            prop_assert!(merge.renumbered.is_empty());
            prop_assert_eq!(&merge.plan, expected);
        }
    }
}
