//! Each rule's state on small hand-made boards.

use chrono::NaiveDate;

use super::*;
use crate::domain::{
    CheckIn, GoalVerdict, KeyResult, Objective, Quarter, SprintKr, SprintState,
    review::{Outcome, RecordItem},
};

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, month, day).expect("date")
}

fn kr(id: Id, objective: u32, title: &str) -> KeyResult {
    KeyResult {
        id,
        objective_id: i64::from(objective),
        code: format!("KR{objective}.{id}"),
        title: title.into(),
        unit: "%".into(),
        start: 0.0,
        target: 10.0,
        current: 0.0,
        owner: String::new(),
        confidence: 50,
        // Checked in the day before `today` (below): not stale.
        check_ins: vec![CheckIn { id, date: day(2, 14), value: 1.0, confidence: 50, note: String::new() }],
    }
}

fn sprint(number: u32, capacity: u32, krs: &[Id]) -> Sprint {
    let start = day(1, 4) + chrono::Days::new(u64::from(number - 1) * 14);
    Sprint {
        id: 100 + i64::from(number),
        number,
        start,
        end: start + chrono::Days::new(13),
        goal: "goal".into(),
        goal_at_start: None,
        no_kr_reason: String::new(),
        capacity,
        state: SprintState::Planned,
        krs: krs.iter().map(|&key_result_id| SprintKr { key_result_id, focus: true }).collect(),
        load: 0,
        done_points: 0,
        started_on: None,
        closed_on: None,
        verdict: GoalVerdict::Open,
    }
}

/// Two objectives with three KRs, and four sprints that break nothing
/// (sprint 1 lower, every goal serving a KR).
fn healthy() -> Board {
    Board {
        quarter: Quarter::open(1, "2027-Q1".into(), day(1, 4)),
        objectives: (1..=2)
            .map(|number| Objective {
                id: i64::from(number),
                number,
                title: format!("objective {number}"),
                owner: String::new(),
                parent_id: None,
                parent_note: String::new(),
                key_results: if number == 1 {
                    vec![kr(1, 1, "Conversion"), kr(2, 1, "Load time")]
                } else {
                    vec![kr(3, 2, "NPS")]
                },
            })
            .collect(),
        sprints: vec![sprint(1, 10, &[1]), sprint(2, 20, &[1]), sprint(3, 20, &[2]), sprint(4, 20, &[3])],
        team: Vec::new(),
        earlier_sprints: Vec::new(),
    }
}

fn today() -> NaiveDate {
    day(2, 15)
}

/// The codes breaking `rule`.
fn breaking(states: &[RuleState], rule: &str) -> Vec<String> {
    let state = states.iter().find(|state| state.rule == rule).expect("every rule is listed");
    state.breaches.iter().map(|breach| breach.code.clone()).collect()
}

fn done(item_id: Id, points: u32, key_results: Vec<Id>) -> RecordItem {
    RecordItem { item_id, title: format!("item {item_id}"), points, committed: true, outcome: Outcome::Done, key_results }
}

#[test]
fn a_healthy_board_lists_every_rule_in_order_and_ok() {
    let states = check(&healthy(), today(), &Facts::default());
    let rules: Vec<&str> = states.iter().map(|state| state.rule).collect();
    assert_eq!(rules, ["M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M10", "M11", "M12", "M13"]);
    assert!(states.iter().all(RuleState::is_ok), "{states:#?}");
    assert_eq!(warnings(&states), 0);
}

/// A board and the facts from the store, for a case to break.
struct World {
    board: Board,
    splits: Vec<(Id, Split)>,
    copies: Vec<(Id, String)>,
    records: Vec<(Id, Vec<RecordItem>)>,
}

#[test]
fn each_rule_names_what_breaks_it() {
    type Break = fn(&mut World);
    let cases: [(&str, Break, &[&str]); 16] = [
        (
            "M1",
            |w| {
                for number in 3..=4 {
                    let mut objective = w.board.objectives[1].clone();
                    objective.id = i64::from(number);
                    objective.number = number;
                    objective.key_results = (0..3).map(|n| kr(10 * i64::from(number) + n, number, "more")).collect();
                    w.board.objectives.push(objective);
                }
            },
            &["O4", "KR4.42"],
        ),
        ("M1", |w| w.board.objectives[1].key_results.clear(), &["O2"]),
        ("M1", |w| w.board.objectives.clear(), &["2027-Q1"]),
        ("M2", |w| w.board.sprints[1].krs.clear(), &["S2"]),
        (
            "M3",
            |w| {
                // Not two in a row, which would break M12 as well.
                w.board.sprints[1].krs.clear();
                w.board.sprints[3].krs.clear();
                w.board.sprints[1].no_kr_reason = "a critical bug".into();
                w.board.sprints[3].no_kr_reason = "regulation".into();
            },
            &["S2", "S4"],
        ),
        ("M4", |w| w.splits.push((102, Split { okr_points: 4, bau_points: 10 })), &["S2"]),
        ("M5", |w| w.board.sprints[0].capacity = 20, &["S1"]),
        ("M6", |w| w.splits.push((104, Split { okr_points: 13, bau_points: 6 })), &["S4"]),
        ("M7", |w| w.splits.push((103, Split { okr_points: 15, bau_points: 7 })), &["S3"]),
        ("M8", |w| w.board.objectives[0].key_results[1].check_ins.clear(), &["KR1.2"]),
        ("M9", |w| w.board.objectives[1].key_results[0].target = 0.0, &["KR2.3"]),
        (
            "M10",
            |w| {
                w.copies.push((42, "nps".into()));
                w.copies.push((43, "NPS survey".into()));
            },
            &["#42"],
        ),
        ("M10", |w| w.board.objectives[1].key_results[0].title = "Ship the new onboarding".into(), &["KR2.3"]),
        (
            "M11",
            |w| {
                w.board.sprints[0].state = SprintState::Closed;
                w.board.objectives[0].key_results[0].check_ins[0].date = day(3, 1);
                w.records.push((101, vec![done(1, 8, vec![1]), done(2, 2, vec![])]));
            },
            &["S1"],
        ),
        (
            "M12",
            |w| {
                // Six sprints, two of them redirected on purpose in a row:
                // four of six stay KR-linked (M3 holds), only M12 breaks.
                w.board.sprints.extend([sprint(5, 20, &[3]), sprint(6, 20, &[3])]);
                for index in [1, 2] {
                    w.board.sprints[index].krs.clear();
                    w.board.sprints[index].no_kr_reason = "a critical bug".into();
                }
            },
            &["S3"],
        ),
        ("M13", |w| w.board.sprints.extend((5..=9).map(|number| sprint(number, 20, &[3]))), &["2027-Q1"]),
    ];
    for (rule, breaks, expected) in cases {
        let mut w = World { board: healthy(), splits: Vec::new(), copies: Vec::new(), records: Vec::new() };
        breaks(&mut w);
        let facts = Facts { splits: &w.splits, title_copies: &w.copies, closed_records: &w.records, next_quarter_drafted: false };
        let states = check(&w.board, today(), &facts);
        assert_eq!(breaking(&states, rule), expected, "{rule}");
        let others: Vec<&str> =
            states.iter().filter(|state| !state.is_ok() && state.rule != rule).map(|state| state.rule).collect();
        // Two sprints without a KR break M3 only: each gives a reason (M2).
        // With no objective, the sprints' KR links point nowhere, yet
        // still count as links: only M1 speaks.
        assert_eq!(others, Vec::<&str>::new(), "{rule} alone breaks");
        assert_eq!(warnings(&states), 1, "{rule}");
    }
}

#[test]
fn a_closed_sprint_whose_kr_moved_is_not_high_output_low_outcome() {
    let mut board = healthy();
    board.sprints[0].state = SprintState::Closed;
    // KR1.1 was checked in (at 1.0, from 0) during sprint 1 (Jan 4-17).
    board.objectives[0].key_results[0].check_ins[0].date = day(1, 10);
    let records = [(101, vec![done(1, 8, vec![1])])];
    let states = check(&board, today(), &Facts { closed_records: &records, ..Facts::default() });
    assert_eq!(breaking(&states, "M11"), Vec::<String>::new());
}

#[test]
fn the_why_says_it_in_words() {
    let mut board = healthy();
    board.objectives[0].key_results[1].check_ins.clear();
    board.objectives[1].key_results[0].unit.clear();
    let states = check(&board, today(), &Facts::default());
    let why = |rule: &str| states.iter().find(|state| state.rule == rule).map(|state| state.breaches[0].why.clone());
    assert_eq!(why("M8").as_deref(), Some("stale: no check-in in 42 days"));
    assert_eq!(why("M9").as_deref(), Some("a KR is measured in a unit, such as %, s or orders"));
}

#[test]
fn a_quarter_without_okrs_says_so_before_and_after_sprint_1_starts() {
    let mut board = healthy();
    board.objectives.clear();
    let why = |board: &Board, today: NaiveDate| {
        let states = check(board, today, &Facts::default());
        states[0].breaches.iter().map(|breach| breach.why.clone()).collect::<Vec<_>>()
    };
    assert_eq!(why(&board, day(1, 1)), ["no objective yet: write 1-3, each with its KRs, before sprint 1 starts"]);
    assert_eq!(
        why(&board, day(1, 4)),
        ["sprint 1 is due and the quarter has no OKRs: write 1-3 objectives, each with its KRs, before starting it"]
    );
    board.sprints[0].state = SprintState::Active;
    assert_eq!(why(&board, day(1, 4)), ["sprint 1 started without OKRs: write 1-3 objectives, each with its KRs"]);
}

#[test]
fn a_sprint_redirected_on_purpose_is_exempt_from_m4() {
    let mut board = healthy();
    board.sprints[1].krs.clear();
    board.sprints[1].no_kr_reason = "a critical bug in payments".into();
    let splits = [(102, Split { okr_points: 0, bau_points: 14 })];
    let states = check(&board, today(), &Facts { splits: &splits, ..Facts::default() });
    assert_eq!(breaking(&states, "M4"), Vec::<String>::new());
}

#[test]
fn a_goal_that_reads_as_an_activity_is_m2_advice() {
    let mut board = healthy();
    board.sprints[2].goal = "We implement the CSV export".into();
    board.sprints[3].goal = " ".into();
    let states = check(&board, today(), &Facts::default());
    assert_eq!(breaking(&states, "M2"), ["S3", "S4"]);
}

#[test]
fn under_the_drafts_strategy_m6_asks_for_a_draft_by_the_last_sprint() {
    let mut board = healthy();
    board.quarter.overlap = crate::domain::settings::OverlapStrategy::Drafts;
    let m6 = |board: &Board, today: NaiveDate, drafted: bool| {
        let facts = Facts { next_quarter_drafted: drafted, ..Facts::default() };
        check(board, today, &facts)[5].breaches.iter().map(|breach| breach.code.clone()).collect::<Vec<_>>()
    };
    // The last sprint (S4) runs Feb 15-28.
    assert_eq!(m6(&board, day(2, 14), false), Vec::<String>::new(), "not due before the last sprint");
    assert_eq!(m6(&board, day(2, 15), false), ["S4"]);
    assert_eq!(m6(&board, day(2, 15), true), Vec::<String>::new(), "drafted");
    board.quarter.overlap = crate::domain::settings::OverlapStrategy::PlanningDay;
    assert_eq!(m6(&board, day(2, 15), false), Vec::<String>::new(), "a planning day needs no draft");
}

#[test]
fn the_kr_linked_count_agrees_with_its_number() {
    assert_eq!(linked_of(1, 6), "1 of 6 sprints is KR-linked");
    assert_eq!(linked_of(0, 6), "0 of 6 sprints are KR-linked");
    assert_eq!(linked_of(2, 6), "2 of 6 sprints are KR-linked");
}
