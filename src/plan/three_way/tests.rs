//! The three-way merge on the demo quarter as `export` writes it (every
//! object with an id, items numbered and ranked), and a property test on
//! random edits of two copies of it.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::*;
use crate::domain::ItemState;
use crate::plan::{PlanCheckIn, PlanItem, PlanObjective, PlanRetroNote};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

/// A UUID made from a side's tag and a counter, so each side's new objects
/// have ids of their own.
pub(super) fn uid(side: u16, n: u64) -> String {
    format!("00000000-0000-4000-8{side:03x}-{n:012x}")
}

/// The demo as the board exports it: ids, numbers, ranks, numbers used.
pub(super) fn exported() -> Plan {
    with_ids(Plan::demo(date("2026-11-23")).expect("demo"))
}

/// `plan` with every object given an id, items numbered and ranked.
fn with_ids(mut plan: Plan) -> Plan {
    let mut n = 0;
    let mut next = || {
        n += 1;
        Some(uid(0, n))
    };
    plan.quarter.id = next();
    for objective in &mut plan.objectives {
        objective.id = next();
        for kr in &mut objective.key_results {
            kr.id = next();
            kr.check_ins.iter_mut().for_each(|check_in| check_in.id = next());
        }
    }
    for sprint in &mut plan.sprints {
        sprint.id = next();
        sprint.retro.iter_mut().for_each(|note| note.id = next());
    }
    for (item, number) in plan.items.iter_mut().zip(1_i64..) {
        item.id = next();
        item.number = Some(number);
        item.rank = Some(number * 1000);
    }
    plan.team.iter_mut().for_each(|member| member.id = next());
    plan.item_numbers_used = Some(i64::try_from(plan.items.len()).expect("items"));
    plan.validate().expect("valid");
    plan
}

fn merged(base: &Plan, mine: &Plan, theirs: &Plan) -> ThreeWay {
    let merge = merge3(base, mine, theirs).expect("merges");
    assert_eq!(merge.problem, None, "the merged plan passes its checks");
    merge
}

fn item<'p>(plan: &'p Plan, id: &Option<String>) -> &'p PlanItem {
    plan.items.iter().find(|item| item.id == *id).expect("item in plan")
}

fn new_item(side: u16, n: u64, number: i64, title: &str) -> PlanItem {
    let mut item = exported().items[0].clone();
    item.id = Some(uid(side, n));
    item.number = Some(number);
    item.rank = Some(number * 1000);
    item.title = title.into();
    item.sprint = None;
    item.state = ItemState::Todo;
    item.done_on = None;
    item
}

fn backlog(plan: &Plan) -> Vec<String> {
    let mut items: Vec<&PlanItem> = plan.items.iter().collect();
    items.sort_by_key(|item| item.rank);
    items.iter().map(|item| item.title.clone()).collect()
}

#[test]
fn edits_to_different_items_and_fields_merge_without_a_question() {
    let base = exported();
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    mine.items[0].points = 13;
    mine.items[5].title = "Mine's title".into();
    theirs.items[1].points = 1;
    theirs.items[5].description = "Theirs' words".into();
    theirs.quarter.closing_note = "Closing".into();
    let merge = merged(&base, &mine, &theirs);
    assert!(merge.conflicts.is_empty(), "{:?}", merge.conflicts);
    let plan = &merge.plan;
    assert_eq!(item(plan, &base.items[0].id).points, 13);
    assert_eq!(item(plan, &base.items[1].id).points, 1);
    assert_eq!(item(plan, &base.items[5].id).title, "Mine's title");
    assert_eq!(item(plan, &base.items[5].id).description, "Theirs' words");
    assert_eq!(plan.quarter.closing_note, "Closing");
}

#[test]
fn the_same_field_changed_both_ways_is_a_conflict_resolved_each_way() {
    let base = exported();
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    mine.items[2].points = 40;
    theirs.items[2].points = 41;
    theirs.items[2].title = "Theirs renamed it".into();
    let merge = merged(&base, &mine, &theirs);
    assert_eq!(merge.conflicts.len(), 1);
    let conflict = &merge.conflicts[0];
    assert_eq!(conflict.kind, ConflictKind::BothChanged);
    assert_eq!(conflict.object, ObjectKind::Item);
    assert_eq!((conflict.code.as_str(), conflict.field.as_str()), ("#3", "points"));
    assert_eq!((&conflict.mine, &conflict.theirs), (&Value::from(40), &Value::from(41)));
    assert_eq!(conflict.base, Value::from(base.items[2].points));
    assert_eq!(item(&merge.plan, &base.items[2].id).points, 40, "holds mine until resolved");
    assert_eq!(item(&merge.plan, &base.items[2].id).title, "Theirs renamed it");

    let theirs_way = merge.resolve(&Choices::all(Side::Theirs)).expect("resolves");
    assert!(theirs_way.conflicts.is_empty());
    assert_eq!(item(&theirs_way.plan, &base.items[2].id).points, 41);
    let mut choices = Choices::default();
    choices.choose(conflict, Side::Mine);
    let mine_way = merge.resolve(&choices).expect("resolves");
    assert!(mine_way.conflicts.is_empty());
    assert_eq!(item(&mine_way.plan, &base.items[2].id).points, 40);
    assert_eq!(item(&mine_way.plan, &base.items[2].id).title, "Theirs renamed it");
}

#[test]
fn check_ins_and_retro_notes_from_both_sides_all_survive() {
    let base = exported();
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    let check_in = |side, day: &str, value| PlanCheckIn {
        id: Some(uid(side, 1)),
        date: date(day),
        value,
        confidence: 60,
        note: String::new(),
    };
    mine.objectives[0].key_results[1].check_ins.push(check_in(1, "2026-11-24", 2.0));
    theirs.objectives[0].key_results[1].check_ins.push(check_in(2, "2026-11-25", 1.9));
    let note = |side| PlanRetroNote { id: Some(uid(side, 2)), kind: "went_well".into(), text: format!("side {side}") };
    mine.sprints[1].retro.push(note(1));
    theirs.sprints[1].retro.push(note(2));
    theirs.objectives[0].key_results[0].check_ins[0].note = "Edited by theirs".into();
    let merge = merged(&base, &mine, &theirs);
    assert!(merge.conflicts.is_empty(), "{:?}", merge.conflicts);
    let kr = &merge.plan.objectives[0].key_results[1];
    let ids: HashSet<_> = kr.check_ins.iter().map(|check_in| check_in.id.clone()).collect();
    assert!(ids.contains(&Some(uid(1, 1))) && ids.contains(&Some(uid(2, 1))));
    assert_eq!(kr.check_ins.len(), base.objectives[0].key_results[1].check_ins.len() + 2);
    assert_eq!(merge.plan.sprints[1].retro.len(), base.sprints[1].retro.len() + 2);
    assert_eq!(merge.plan.objectives[0].key_results[0].check_ins[0].note, "Edited by theirs");
}

#[test]
fn a_check_in_edited_differently_on_both_sides_conflicts_on_that_field() {
    let base = exported();
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    mine.objectives[0].key_results[0].check_ins[0].value = 13.0;
    theirs.objectives[0].key_results[0].check_ins[0].value = 14.0;
    let merge = merged(&base, &mine, &theirs);
    assert_eq!(merge.conflicts.len(), 1);
    assert_eq!(merge.conflicts[0].object, ObjectKind::CheckIn);
    assert_eq!(merge.conflicts[0].field, "value");
    assert!(merge.conflicts[0].code.starts_with("KR1.1 check-in "), "{}", merge.conflicts[0].code);
}

#[test]
fn deletes_go_unless_the_other_side_changed_the_object() {
    let base = exported();
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    let gone = mine.items.remove(10).id;
    let kept = mine.items.remove(11).id;
    let changed = theirs.items.iter_mut().find(|item| item.id == kept).expect("item");
    changed.points = 40;
    let merge = merged(&base, &mine, &theirs);
    assert!(!merge.plan.items.iter().any(|item| item.id == gone), "deleted, unchanged on the other side");
    assert!(!merge.plan.items.iter().any(|item| item.id == kept), "holds mine: deleted");
    assert_eq!(merge.conflicts.len(), 1);
    let conflict = &merge.conflicts[0];
    assert_eq!(conflict.kind, ConflictKind::DeletedVsChanged { deleted_on: Side::Mine });
    assert_eq!((conflict.code.as_str(), conflict.field.as_str()), ("#13", ""));
    let theirs_way = merge.resolve(&Choices::all(Side::Theirs)).expect("resolves");
    assert_eq!(item(&theirs_way.plan, &kept).points, 40, "theirs' changed item is back");

    // The other way round: theirs deleted what mine changed; mine is held.
    let swapped = merged(&base, &theirs, &mine);
    assert_eq!(item(&swapped.plan, &kept).points, 40);
    assert_eq!(swapped.conflicts[0].kind, ConflictKind::DeletedVsChanged { deleted_on: Side::Theirs });
}

#[test]
fn items_both_sides_numbered_alike_are_renumbered_and_reported() {
    let base = exported();
    let next = base.item_numbers_used.expect("used") + 1;
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    mine.items.push(new_item(2, 1, next, "Mine's new item"));
    mine.item_numbers_used = Some(next);
    theirs.items.push(new_item(1, 1, next, "Theirs' new item"));
    theirs.items.push(new_item(1, 2, next + 1, "Theirs' second item"));
    theirs.item_numbers_used = Some(next + 1);
    let merge = merged(&base, &mine, &theirs);
    let numbers: HashSet<i64> = merge.plan.items.iter().filter_map(|item| item.number).collect();
    assert_eq!(numbers.len(), merge.plan.items.len(), "each item its own number");
    // Theirs keeps the number (its id also sorts first here); mine's moves on.
    assert_eq!(item(&merge.plan, &Some(uid(1, 1))).number, Some(next));
    assert_eq!(item(&merge.plan, &Some(uid(2, 1))).number, Some(next + 2));
    assert_eq!(merge.plan.item_numbers_used, Some(next + 2));
    let report = &merge.renumbered;
    assert_eq!(report.len(), 1);
    assert_eq!((report[0].side, report[0].from, report[0].to), (Side::Mine, next, next + 2));
    assert_eq!(report[0].title, "Mine's new item");
}

#[test]
fn both_sides_moves_in_the_backlog_survive() {
    let base = exported();
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    // Mine raises the fifth item to the top; theirs sinks the first to the bottom.
    mine.items[4].rank = Some(1);
    theirs.items[0].rank = Some(1_000_000);
    let merge = merged(&base, &mine, &theirs);
    let order = backlog(&merge.plan);
    let titles: Vec<&str> = base.items.iter().map(|item| item.title.as_str()).collect();
    assert_eq!(order[0], titles[4]);
    assert_eq!(order.last().map(String::as_str), Some(titles[0]));
    assert_eq!(order.len(), titles.len());
    assert_eq!(order[1], titles[1]);
}

#[test]
fn kr_tags_merge_as_sets_and_codes_follow_the_merged_order() {
    let base = exported();
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    // Theirs adds a KR before KR1.1: what mine tags KR1.2 is KR1.3 after.
    let mut kr = base.objectives[0].key_results[0].clone();
    kr.id = Some(uid(1, 9));
    kr.title = "A first KR".into();
    kr.check_ins.clear();
    theirs.objectives[0].key_results.insert(0, kr);
    let shift = |code: &String| match code.strip_prefix("KR1.") {
        Some(n) => format!("KR1.{}", n.parse::<u32>().expect("n") + 1),
        None => code.clone(),
    };
    for item in &mut theirs.items {
        item.krs = item.krs.iter().map(shift).collect();
    }
    for sprint in &mut theirs.sprints {
        sprint.krs = sprint.krs.iter().map(shift).collect();
        sprint.focus = sprint.focus.as_ref().map(shift);
        for recorded in sprint.record.iter_mut().flatten() {
            recorded.krs = recorded.krs.iter().map(shift).collect();
        }
    }
    theirs.validate().expect("theirs valid");
    let bau = base.items.iter().position(|item| item.krs.is_empty()).expect("a BAU item");
    mine.items[bau].krs = vec!["KR1.2".into()];
    theirs.items[bau].krs = vec!["KR2.1".into()];
    let merge = merged(&base, &mine, &theirs);
    assert!(merge.conflicts.is_empty(), "{:?}", merge.conflicts);
    let tags: HashSet<&str> = item(&merge.plan, &base.items[bau].id).krs.iter().map(String::as_str).collect();
    assert_eq!(tags, HashSet::from(["KR1.3", "KR2.1"]));
    assert_eq!(merge.plan.objectives[0].key_results[0].title, "A first KR");
}

#[test]
fn an_objective_deleted_on_one_side_drops_the_tags_to_its_krs() {
    let base = exported();
    let (mut mine, theirs) = (base.clone(), base.clone());
    let last = mine.objectives.len();
    let code_prefix = format!("KR{last}.");
    mine.objectives.pop();
    for item in &mut mine.items {
        item.krs.retain(|code| !code.starts_with(&code_prefix));
    }
    for sprint in &mut mine.sprints {
        sprint.krs.retain(|code| !code.starts_with(&code_prefix));
        sprint.focus = sprint.focus.take().filter(|code| !code.starts_with(&code_prefix));
    }
    for sprint in mine.sprints.iter_mut().flat_map(|sprint| sprint.record.iter_mut().flatten()) {
        sprint.krs.retain(|code| !code.starts_with(&code_prefix));
    }
    let merge = merge3(&base, &mine, &theirs).expect("merges");
    assert_eq!(merge.plan.objectives.len(), last - 1);
    let _: &[PlanObjective] = &merge.plan.objectives;
    assert!(merge.plan.items.iter().flat_map(|item| &item.krs).all(|code| !code.starts_with(&code_prefix)));
}

#[test]
fn a_conflict_names_references_by_the_codes_each_side_gives_them() {
    let base = exported();
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    mine.items[6].sprint = Some(5);
    theirs.items[6].sprint = Some(6);
    mine.items[7].state = ItemState::Done;
    mine.items[7].done_on = Some(date("2026-11-20"));
    theirs.items[7].state = ItemState::Doing;
    theirs.items[7].done_on = None;
    let merge = merged(&base, &mine, &theirs);
    let field = |name: &str| merge.conflicts.iter().find(|conflict| conflict.field == name).expect("conflict");
    let sprint = field("sprint");
    assert_eq!((&sprint.mine, &sprint.theirs), (&Value::from("S5"), &Value::from("S6")));
    let state = field("state, done_on");
    assert_eq!(state.mine, serde_json::json!(["done", "2026-11-20"]));
    assert_eq!(state.theirs, serde_json::json!(["doing", null]));
}

#[test]
fn the_merged_plan_is_a_plan_file_that_reads_back_the_same() {
    let base = exported();
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    mine.items.push(new_item(1, 1, base.item_numbers_used.expect("used") + 1, "Mine's"));
    mine.item_numbers_used = mine.items.last().and_then(|item| item.number);
    theirs.items[0].krs.push("KR2.1".into());
    theirs.items[0].krs.dedup();
    theirs.team[0].days_off = vec![1.0, 0.5];
    let merge = merged(&base, &mine, &theirs);
    let text = toml::to_string(&merge.plan).expect("writes");
    assert_eq!(Plan::parse(&text, "merged.toml").expect("reads back"), merge.plan);
}

#[test]
fn sprints_both_sides_added_on_the_same_days_are_named_as_the_merged_plans_problem() {
    let base = exported();
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    let mut sprint = base.sprints[5].clone();
    (sprint.retro, sprint.commitment, sprint.record, sprint.state) = (Vec::new(), None, None, None);
    let last = base.sprint_dates().expect("dates")[5];
    sprint.start = last.end.succ_opt();
    sprint.end = sprint.start.and_then(|start| start.checked_add_days(chrono::Days::new(13)));
    sprint.weeks = None;
    sprint.id = Some(uid(1, 1));
    mine.sprints.push(sprint.clone());
    sprint.id = Some(uid(2, 1));
    theirs.sprints.push(sprint);
    mine.validate().expect("mine valid");
    let merge = merge3(&base, &mine, &theirs).expect("merges");
    assert_eq!(merge.plan.sprints.len(), 8, "both sprints are kept");
    let problem = merge.problem.expect("a problem");
    assert!(problem.contains("sprints[7]"), "{problem}");
}

#[test]
fn theirs_keeps_its_item_number_even_when_mines_id_sorts_first() {
    let base = exported();
    let next = base.item_numbers_used.expect("used") + 1;
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    // Mine's id sorts first (side 1), yet theirs' number has been said aloud.
    mine.items.push(new_item(1, 1, next, "Export CSV"));
    mine.item_numbers_used = Some(next);
    theirs.items.push(new_item(2, 1, next, "Theirs' new item"));
    theirs.item_numbers_used = Some(next);
    let merge = merged(&base, &mine, &theirs);
    assert_eq!(item(&merge.plan, &Some(uid(2, 1))).number, Some(next));
    assert_eq!(item(&merge.plan, &Some(uid(1, 1))).number, Some(next + 1));
    let report: Vec<(Side, i64, i64, &str)> =
        merge.renumbered.iter().map(|moved| (moved.side, moved.from, moved.to, moved.title.as_str())).collect();
    assert_eq!(report, vec![(Side::Mine, next, next + 1, "Export CSV")]);
    // The other way round, the other item keeps it: whichever side is theirs.
    let swapped = merged(&base, &theirs, &mine);
    assert_eq!(item(&swapped.plan, &Some(uid(1, 1))).number, Some(next));
    assert_eq!(item(&swapped.plan, &Some(uid(2, 1))).number, Some(next + 1));
}

#[test]
fn an_item_the_base_has_keeps_the_base_number_whatever_a_side_says() {
    // An undo of a sync's import on mine gave the remote's #15 back to
    // #14 and deleted theirs' #14: the number people said stays.
    let base = exported();
    let mut mine = base.clone();
    let gone = mine.items.remove(13).id;
    let moved = mine.items[13].id.clone();
    let was = mine.items[13].number.expect("numbered");
    mine.items[13].number = Some(was - 1);
    mine.items[13].points = 21;
    let merge = merged(&base, &mine, &base);
    assert!(merge.conflicts.is_empty(), "{:?}", merge.conflicts);
    assert!(merge.renumbered.is_empty(), "{:?}", merge.renumbered);
    assert!(!merge.plan.items.iter().any(|item| item.id == gone), "the undo's delete is kept");
    assert_eq!(item(&merge.plan, &moved).number, Some(was), "the remote's number stays");
    assert_eq!(item(&merge.plan, &moved).points, 21, "the side's other changes are kept");
    // Also when the other side deleted the item: kept with its own number.
    let mut theirs = base.clone();
    theirs.items.retain(|item| item.id != moved);
    let merge = merged(&base, &mine, &theirs).resolve(&Choices::all(Side::Mine)).expect("resolves");
    assert_eq!(item(&merge.plan, &moved).number, Some(was));
}
