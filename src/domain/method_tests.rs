//! The method's rules on words and rhythm, table-driven.

use chrono::NaiveDate;

use super::*;
use crate::domain::{GoalVerdict, Quarter, SprintKr, SprintState};

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, month, day).expect("date")
}

fn sprint(number: u32, krs: &[i64], reason: &str) -> Sprint {
    let start = day(1, 4) + chrono::Days::new(u64::from(number - 1) * 14);
    Sprint {
        id: i64::from(number),
        number,
        start,
        end: start + chrono::Days::new(13),
        goal: "Buyers pay with one click".into(),
        goal_at_start: None,
        no_kr_reason: reason.into(),
        capacity: 20,
        state: SprintState::Planned,
        krs: krs.iter().map(|&key_result_id| SprintKr { key_result_id, focus: false }).collect(),
        load: 0,
        done_points: 0,
        started_on: None,
        closed_on: None,
        verdict: GoalVerdict::Open,
    }
}

#[test]
fn a_forms_advice_fits_its_width() {
    for advice in [GOAL_AS_OUTCOME_BRIEF, GOAL_MISSING_BRIEF, KR_AS_OUTCOME_BRIEF, QUARTER_LENGTH_BRIEF] {
        assert!(advice.chars().count() <= 56, "{advice}");
    }
}

#[test]
fn a_goal_is_missing_when_it_holds_only_spaces() {
    for (goal, missing) in [("", true), ("   ", true), ("\t\n", true), ("Buyers pay with one click", false), (" x ", false)] {
        assert_eq!(goal_is_missing(goal), missing, "{goal:?}");
    }
}

#[test]
fn a_goal_that_reads_as_an_activity_gets_advice() {
    let cases = [
        ("We implement feature X", true),
        ("Build the CSV export", true),
        ("Ship one-click payment", true),
        ("we will build the export", true),
        ("The team will migrate billing", true),
        ("Implementing SSO", true),
        ("Shipped: new onboarding", true),
        ("Create a landing page", true),
        ("Buyers pay with one click", false),
        ("One-click payment live for 10 % of buyers", false),
        ("New customers reach their first report within a day", false),
        ("Checkout errors below 1 %", false),
        ("Payments succeed the first time", false),
        ("", false),
        ("   ", false),
    ];
    for (goal, activity) in cases {
        assert_eq!(goal_reads_as_activity(goal), activity, "{goal:?}");
    }
}

#[test]
fn a_goal_changed_after_the_start_keeps_the_one_it_started_with() {
    // (goal at start, goal now, shown as changed)
    let cases = [
        (None, "Buyers pay with one click", None),
        (Some("Buyers pay with one click"), "Buyers pay with one click", None),
        (Some("Buyers pay with one click"), " Buyers pay with one click ", None),
        (Some("Buyers pay with one click"), "Half of buyers pay with one click", Some("Buyers pay with one click")),
        (Some(""), "A goal written late", Some("")),
    ];
    for (at_start, now, changed) in cases {
        let mut one = sprint(1, &[1], "");
        one.goal_at_start = at_start.map(str::to_owned);
        one.goal = now.into();
        assert_eq!(goal_at_start_if_changed(&one), changed, "{at_start:?} -> {now:?}");
    }
}

#[test]
fn a_kr_that_reads_as_a_task_gets_advice() {
    let cases = [
        ("Checkout conversion", 12.0, 20.0, false),
        ("Ship the new checkout", 0.0, 100.0, true),
        ("Launch in Spain", 0.0, 3.0, true),
        ("New checkout live", 0.0, 1.0, true),
        ("Monthly churn", 8.0, 5.0, false),
        ("Activation within 7 days", 0.0, 50.0, false),
        ("Uptime", 99.5, 99.9, false),
        // A metric named after a verb is a measure, not a task.
        ("Release frequency", 1.0, 4.0, false),
        ("Build time in minutes", 12.0, 5.0, false),
        ("Deploy success rate", 90.0, 99.0, false),
        ("Release the new app", 0.0, 100.0, true),
    ];
    for (title, start, target, task) in cases {
        assert_eq!(kr_reads_as_task(title, start, target), task, "{title}");
    }
}

#[test]
fn a_sprint_serves_no_kr_deliberately_only_with_a_reason() {
    let cases = [(&[][..], "", false), (&[][..], "Critical bug", true), (&[][..], "  ", false), (&[1][..], "Regulation", false)];
    for (krs, reason, deliberate) in cases {
        assert_eq!(serves_no_kr_deliberately(&sprint(1, krs, reason)), deliberate, "{krs:?} {reason:?}");
    }
}

#[test]
fn two_redirected_sprints_in_a_row_break_m12() {
    // (KRs and reason of sprints 1-4, the sprints flagged, the sprints whose
    // review names the one before)
    type Case = ([(&'static [i64], &'static str); 4], &'static [u32], &'static [u32]);
    let cases: [Case; 4] = [
        ([(&[1], ""), (&[1], ""), (&[2], ""), (&[2], "")], &[], &[]),
        ([(&[1], ""), (&[], "Critical bug"), (&[2], ""), (&[2], "")], &[], &[3]),
        ([(&[1], ""), (&[], "Critical bug"), (&[], "Regulation"), (&[2], "")], &[3], &[3, 4]),
        // No reason is M2's warning, not a deliberate redirection.
        ([(&[1], ""), (&[], ""), (&[], "Regulation"), (&[2], "")], &[], &[4]),
    ];
    for (shape, flagged, named) in cases {
        let sprints: Vec<Sprint> = shape.iter().zip(1..).map(|((krs, reason), number)| sprint(number, krs, reason)).collect();
        let twice: Vec<u32> = sprints.iter().filter(|one| redirected_twice(&sprints, one)).map(|one| one.number).collect();
        assert_eq!(twice, flagged, "{shape:?}");
        let reviewed: Vec<u32> =
            sprints.iter().filter(|one| redirected_before(&sprints, one).is_some()).map(|one| one.number).collect();
        assert_eq!(reviewed, named, "{shape:?}");
    }
}

#[test]
fn a_quarter_under_8_or_over_16_weeks_gets_advice() {
    // (sprints, weeks each, advice)
    let cases = [
        (0, 2, None),
        (6, 2, None),
        (4, 2, None),
        (3, 2, Some("6 weeks")),
        (8, 2, None),
        (12, 2, Some("24 weeks")),
        (5, 3, None),
        (6, 3, Some("18 weeks")),
    ];
    for (count, weeks, advice) in cases {
        let sprints = (1..=count)
            .map(|number: u32| {
                let mut one = sprint(number, &[1], "");
                one.start = day(1, 4) + chrono::Days::new(u64::from((number - 1) * weeks * 7));
                one.end = one.start + chrono::Days::new(u64::from(weeks * 7 - 1));
                one
            })
            .collect();
        let board = Board {
            quarter: Quarter::open(1, "2027-Q1".into(), day(1, 4)),
            objectives: Vec::new(),
            sprints,
            team: Vec::new(),
            earlier_sprints: Vec::new(),
        };
        let given = quarter_length_advice(&board);
        assert_eq!(given.is_some(), advice.is_some(), "{count}x{weeks}: {given:?}");
        if let (Some(given), Some(expected)) = (given, advice) {
            assert!(given.starts_with(expected), "{given}");
        }
    }
}

#[test]
fn a_quarters_length_in_days_is_judged_in_weeks() {
    // (days, outside 8-16 weeks)
    for (days, off) in [(55, true), (56, false), (84, false), (112, false), (113, true), (168, true)] {
        assert_eq!(quarter_days_off_rhythm(days), off, "{days}");
    }
}
