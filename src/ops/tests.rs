//! `apply` on a real board file: each command's change, its advice, its
//! refusals (nothing written), and its undo step.

use chrono::NaiveDate;

use super::*;
use crate::{
    domain::{
        ItemState,
        ids::{ItemId, KeyResultId, ObjectiveId, SprintId},
        validate::Field,
        values::{Capacity, Confidence, Points, SprintSpan, Title},
    },
    store::{Resolved, Store},
};

pub(super) fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

pub(super) const TODAY: &str = "2027-01-04";

pub(super) struct Board {
    _dir: tempfile::TempDir,
    pub(super) store: Store,
    pub(super) objective: ObjectiveId,
    pub(super) kr: KeyResultId,
}

pub(super) fn run(store: &mut Store, command: &Command) -> Outcome {
    apply(store, command, date(TODAY)).unwrap_or_else(|error| panic!("{command:?}: {error}"))
}

pub(super) fn created<T>(outcome: &Outcome, kind: fn(Resolved) -> Option<T>) -> T {
    kind(outcome.created.as_ref().expect("made something").object).expect("of this kind")
}

pub(super) fn sprint(store: &Store, code: &str) -> SprintId {
    match store.resolve(code, None).expect("sprint").object {
        Resolved::Sprint(id) => id,
        other => panic!("{other:?}"),
    }
}

/// A quarter of 6 two-week sprints from today, with O1 and KR1.1.
pub(super) fn board() -> Board {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("board.sqlite3")).expect("open");
    let span = SprintSpan::parse("6", "2").expect("span");
    let init = run(
        &mut store,
        &Command::InitQuarter { label: "2027-Q1".into(), start: date(TODAY), span, settings: Default::default() },
    );
    let quarter = created(&init, |object| if let Resolved::Quarter(id) = object { Some(id) } else { None });
    let title = Title::parse("Make checkout effortless").expect("title");
    let added =
        run(&mut store, &Command::AddObjective { quarter, title, owner: "Priya".into(), aligns_to: Alignment::default() });
    assert_eq!(added.created.as_ref().map(|created| created.reference.as_str()), Some("O1"));
    let objective = created(&added, |object| if let Resolved::Objective(id) = object { Some(id) } else { None });
    let kr = run(
        &mut store,
        &Command::AddKeyResult {
            objective,
            title: Title::parse("Checkout conversion").expect("title"),
            unit: "%".into(),
            start: 12.0,
            target: 20.0,
            confidence: Some(Confidence::parse("70").expect("confidence")),
            owner: String::new(),
            current: None,
            reading_note: None,
        },
    );
    assert_eq!(kr.created.as_ref().map(|created| created.reference.as_str()), Some("KR1.1"));
    let kr = created(&kr, |object| if let Resolved::KeyResult(id) = object { Some(id) } else { None });
    Board { _dir: dir, store, objective, kr }
}

pub(super) fn add_item(store: &mut Store, title: &str, points: &str, krs: Vec<KeyResultId>) -> (ItemId, Outcome) {
    let command = Command::AddItem {
        title: Title::parse(title).expect("title"),
        points: Points::parse(points).expect("points"),
        kind: crate::domain::ItemKind::Story,
        krs,
        description: String::new(),
        deferred_reason: String::new(),
    };
    let outcome = run(store, &command);
    (created(&outcome, |object| if let Resolved::Item(id) = object { Some(id) } else { None }), outcome)
}

#[test]
fn a_new_objective_is_told_it_needs_a_key_result() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("board.sqlite3")).expect("open");
    let span = SprintSpan::parse("6", "2").expect("span");
    let init = run(
        &mut store,
        &Command::InitQuarter { label: "2027-Q1".into(), start: date(TODAY), span, settings: Default::default() },
    );
    let quarter = created(&init, |object| if let Resolved::Quarter(id) = object { Some(id) } else { None });
    let added = run(
        &mut store,
        &Command::AddObjective {
            quarter,
            title: Title::parse("Grow").expect("title"),
            owner: String::new(),
            aligns_to: Alignment::default(),
        },
    );
    assert!(
        added.warnings.iter().any(|warning| warning.starts_with("O1: no key result") && warning.ends_with("(M1)")),
        "{added:?}"
    );
    let uid = &added.created.as_ref().expect("made").uid;
    assert_eq!(store.resolve(uid, None).expect("by uid").object, Resolved::Objective(ObjectiveId(1)));
}

#[test]
fn an_item_with_no_kr_is_bau_and_a_tagged_one_is_not() {
    let mut board = board();
    let (bau, outcome) = add_item(&mut board.store, "Fix VAT rounding", "3", Vec::new());
    assert_eq!(outcome.created.as_ref().map(|created| created.reference.as_str()), Some("#1"));
    assert!(outcome.warnings.iter().any(|warning| warning.starts_with("#1 moves no KR: it is BAU")), "{outcome:?}");
    let (_, tagged) = add_item(&mut board.store, "One-click payment", "5", vec![board.kr]);
    assert!(tagged.warnings.is_empty(), "{tagged:?}");
    let outcome = run(&mut board.store, &Command::Tag { item: bau, add: vec![board.kr], remove: Vec::new() });
    assert_eq!(outcome.summary, "#1 moves KR1.1 in 2027-Q1");
    assert!(outcome.warnings.is_empty(), "{outcome:?}");
}

#[test]
fn an_item_that_copies_a_kr_title_gets_m10() {
    let mut board = board();
    let (_, outcome) = add_item(&mut board.store, "Checkout conversion", "3", vec![board.kr]);
    assert!(outcome.warnings.iter().any(|warning| warning.contains("copies KR1.1") && warning.ends_with("(M10)")), "{outcome:?}");
}

#[test]
fn planning_past_capacity_warns_and_still_plans() {
    let mut board = board();
    let s1 = sprint(&board.store, "S1");
    run(
        &mut board.store,
        &Command::EditSprint {
            sprint: s1,
            edit: SprintEdit { capacity: Some(Capacity::new(5).expect("capacity")), ..SprintEdit::default() },
        },
    );
    let (item, _) = add_item(&mut board.store, "One-click payment", "8", vec![board.kr]);
    let outcome = run(&mut board.store, &Command::Move { item, sprint: Some(s1) });
    assert_eq!(outcome.summary, "Planned #1 into S1 in 2027-Q1");
    assert!(
        outcome.warnings.iter().any(|warning| warning.starts_with("S1: Over capacity: 8 of 5") && warning.contains("(M7)")),
        "{outcome:?}"
    );
    assert_eq!(board.store.item_sprint(item.row()).expect("read"), Some(s1.row()));
}

#[test]
fn a_check_in_keeps_the_confidence_and_says_when_it_dropped() {
    let mut board = board();
    let check_in_on = |day: &str, value: f64, confidence: Option<&str>| Command::CheckIn {
        key_result: board.kr,
        value,
        confidence: confidence.map(|text| Confidence::parse(text).expect("confidence")),
        note: "after the A/B test".into(),
        date: date(day),
    };
    let check_in = |value: f64, confidence: Option<&str>| check_in_on(TODAY, value, confidence);
    let kept = run(&mut board.store, &check_in(13.0, None));
    assert!(kept.summary.ends_with("13 on 2027-01-04, confidence 70 %"), "{}", kept.summary);
    assert!(kept.warnings.is_empty(), "{kept:?}");
    let dropped = run(&mut board.store, &check_in(13.5, Some("40")));
    assert!(
        dropped.warnings.iter().any(|warning| warning.starts_with("KR1.1: confidence dropped from 70 % to 40 %")),
        "{dropped:?}"
    );
    let tomorrow = check_in_on("2027-01-05", 14.0, None);
    match apply(&mut board.store, &tomorrow, date(TODAY)) {
        Err(OpError::Field(error)) => assert_eq!(error.field, Field::CheckInDate),
        other => panic!("{other:?}"),
    }
    assert_eq!(board.store.check_ins_of(board.kr.row()).expect("read").len(), 2, "the refused one wrote nothing");
}

#[test]
fn m9_refuses_a_kr_whose_target_is_its_start_and_writes_nothing() {
    let mut board = board();
    let command = Command::AddKeyResult {
        objective: board.objective,
        title: Title::parse("Churn").expect("title"),
        unit: "%".into(),
        start: 5.0,
        target: 5.0,
        confidence: None,
        owner: String::new(),
        current: None,
        reading_note: None,
    };
    let error = apply(&mut board.store, &command, date(TODAY)).expect_err("M9");
    assert!(matches!(&error, OpError::Field(field) if field.field == Field::Target), "{error:?}");
    assert!(board.store.resolve("KR1.2", None).is_err(), "nothing written");
}

#[test]
fn a_sprint_runs_from_start_to_close_and_its_unfinished_items_carry_on() {
    let mut board = board();
    let (s1, s2) = (sprint(&board.store, "S1"), sprint(&board.store, "S2"));
    let (done, _) = add_item(&mut board.store, "One-click payment", "5", vec![board.kr]);
    let (open, _) = add_item(&mut board.store, "Saved cards", "3", vec![board.kr]);
    for item in [done, open] {
        run(&mut board.store, &Command::Move { item, sprint: Some(s1) });
    }
    run(&mut board.store, &Command::StartSprint { sprint: s1 });
    let again = apply(&mut board.store, &Command::StartSprint { sprint: s1 }, date(TODAY)).expect_err("started already");
    assert!(matches!(again, OpError::Store(_)), "{again:?}");
    run(&mut board.store, &Command::SetState { item: done, state: ItemState::Done });
    let closed = run(&mut board.store, &Command::CloseSprint { sprint: s1, carry: Carry::Proposed });
    assert_eq!(closed.summary, "Closed S1 in 2027-Q1; 1 unfinished item went to S2 in 2027-Q1");
    assert_eq!(board.store.item_sprint(open.row()).expect("read"), Some(s2.row()));
    let note = Command::RetroNote { sprint: s1, list: crate::domain::retro::RetroList::WentWell, text: "Pairing".into() };
    assert!(run(&mut board.store, &note).created.is_some());
    let undone = run(&mut board.store, &Command::Undo { confirmed: false });
    assert_eq!(undone.summary, "Undone: Added a retro note to S1 in 2027-Q1");
    let undone = run(&mut board.store, &Command::Undo { confirmed: false });
    assert!(undone.summary.starts_with("Undone: Closed S1"), "{}", undone.summary);
    assert_eq!(board.store.item_sprint(open.row()).expect("read"), Some(s1.row()), "the close's step took back");
}

#[test]
fn rank_moves_an_item_to_the_top_the_bottom_or_below_another() {
    let mut board = board();
    let items: Vec<ItemId> = (1..=4).map(|n| add_item(&mut board.store, &format!("Item {n}"), "1", vec![board.kr]).0).collect();
    let order = |store: &Store| -> Vec<i64> {
        store.backlog_page(&crate::store::ItemFilter::default(), 0, 10).expect("page").iter().map(|row| row.id).collect()
    };
    run(&mut board.store, &Command::Rank { item: items[3], to: RankTo::Top });
    assert_eq!(order(&board.store), [4, 1, 2, 3]);
    run(&mut board.store, &Command::Rank { item: items[0], to: RankTo::Bottom });
    assert_eq!(order(&board.store), [4, 2, 3, 1]);
    run(&mut board.store, &Command::Rank { item: items[0], to: RankTo::After(items[3]) });
    assert_eq!(order(&board.store), [4, 1, 2, 3]);
    let itself = apply(&mut board.store, &Command::Rank { item: items[0], to: RankTo::After(items[0]) }, date(TODAY));
    assert!(matches!(itself, Err(OpError::Refused(_))), "{itself:?}");
    run(&mut board.store, &Command::Undo { confirmed: false });
    assert_eq!(order(&board.store), [4, 2, 3, 1], "undo takes the last move back");
}

#[test]
fn an_edit_changes_only_the_fields_given_and_nothing_is_left_to_undo_at_the_start() {
    let mut board = board();
    let (item, _) = add_item(&mut board.store, "Export CSV", "3", vec![board.kr]);
    let edit = ItemEdit { points: Some(Points::new(5).expect("points")), ..ItemEdit::default() };
    run(&mut board.store, &Command::EditItem { item, edit });
    let detail = board.store.item_detail(item.row()).expect("read").expect("item");
    assert_eq!((detail.row.title.as_str(), detail.row.points), ("Export CSV", 5));
    let edit = KeyResultEdit { target: Some(12.0), ..KeyResultEdit::default() };
    let error = apply(&mut board.store, &Command::EditKeyResult { key_result: board.kr, edit }, date(TODAY)).expect_err("M9");
    assert!(matches!(error, OpError::Field(_)), "{error:?}");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut empty = Store::open(&dir.path().join("empty.sqlite3")).expect("open");
    let nothing = apply(&mut empty, &Command::Undo { confirmed: false }, date(TODAY)).expect_err("nothing to undo");
    assert_eq!(nothing.to_string(), "Nothing to undo: no step of yours is left");
}

#[test]
fn a_kr_edit_says_what_it_set_and_when_it_was_a_check_in() {
    let mut board = board();
    let edit = |edit: KeyResultEdit| Command::EditKeyResult { key_result: board.kr, edit };
    let target = run(&mut board.store, &edit(KeyResultEdit { target: Some(25.0), ..KeyResultEdit::default() }));
    assert!(target.summary.starts_with("Edited KR1.1") && target.summary.ends_with(": target 25"), "{}", target.summary);
    let confidence = Confidence::parse("40").expect("confidence");
    let both = KeyResultEdit { current: Some(13.5), confidence: Some(confidence), ..KeyResultEdit::default() };
    let checked = run(&mut board.store, &edit(both));
    assert!(checked.summary.ends_with(": current 13.5, confidence 40 % (checked in)"), "{}", checked.summary);
}

#[test]
fn closing_and_opening_a_quarter_are_undone_only_when_confirmed() {
    let mut board = board();
    let quarter = match board.store.resolve("O1", None).expect("O1").quarter {
        Some((quarter, _)) => quarter,
        None => panic!("O1 has a quarter"),
    };
    let closed = run(
        &mut board.store,
        &Command::CloseQuarter { quarter, note: "A good start".into(), scores: Vec::new(), objective_notes: Vec::new() },
    );
    assert_eq!(closed.summary, "Closed quarter 2027-Q1; each KR is scored from its progress");
    let opened = run(&mut board.store, &Command::OpenNextQuarter { closed: quarter });
    assert_eq!(opened.created.as_ref().map(|created| created.reference.as_str()), Some("2027-Q2"));
    let asked = apply(&mut board.store, &Command::Undo { confirmed: false }, date(TODAY)).expect_err("asks first");
    assert_eq!(asked.to_string(), "Undo opening 2027-Q2 asks first: confirm it to do it");
    assert!(board.store.resolve("2027-Q2:S1", None).is_ok(), "nothing undone yet");
    let undone = run(&mut board.store, &Command::Undo { confirmed: true });
    assert!(undone.summary.starts_with("Undone: "), "{}", undone.summary);
    assert!(board.store.resolve("2027-Q2:S1", None).is_err(), "the opening is undone");
}

#[test]
fn a_start_out_of_order_warns_as_the_boards_start_question_does_and_still_starts() {
    let mut board = board();
    let (s1, s2, s3) = (sprint(&board.store, "S1"), sprint(&board.store, "S2"), sprint(&board.store, "S3"));
    run(&mut board.store, &Command::StartSprint { sprint: s1 });
    let closed_again = run(&mut board.store, &Command::CloseSprint { sprint: s1, carry: Carry::Backlog });
    assert!(closed_again.summary.starts_with("Closed S1"), "{}", closed_again.summary);
    let refused = apply(&mut board.store, &Command::CloseSprint { sprint: s1, carry: Carry::Backlog }, date(TODAY))
        .expect_err("closed already");
    assert_eq!(refused.to_string(), "Sprint 1 is closed already; nothing was written");
    let skipped = run(&mut board.store, &Command::StartSprint { sprint: s3 });
    assert!(skipped.warnings.contains(&"S2 has not started yet: sprints run in order, S3 after it".to_owned()), "{skipped:?}");
    let in_order = run(&mut board.store, &Command::StartSprint { sprint: s2 });
    assert!(in_order.warnings.iter().all(|warning| !warning.contains("run in order")), "{in_order:?}");
}
