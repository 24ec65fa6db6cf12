//! Every kind of change on hand-made copies of the demo quarter.

use chrono::NaiveDate;

use super::*;
use crate::domain::{ItemState, SprintState};
use crate::plan::{PlanCheckIn, PlanItem, PlanRetroNote};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

/// The demo with its items numbered #1.. and ranked, as export writes it.
fn demo() -> Plan {
    let mut plan = Plan::demo(date("2026-11-23")).expect("demo");
    for (at, item) in plan.items.iter_mut().enumerate() {
        let number = i64::try_from(at + 1).expect("small");
        item.number = Some(number);
        item.rank = Some(number * 1000);
        item.id = Some(format!("item-{number}"));
    }
    plan
}

fn lines_after(change: impl FnOnce(&mut Plan)) -> Vec<String> {
    let before = demo();
    let mut after = before.clone();
    change(&mut after);
    describe_changes(&before, &after)
}

#[test]
fn the_demo_against_itself_has_no_changes() {
    let plan = Plan::demo(date("2026-11-23")).expect("demo");
    assert_eq!(describe_changes(&plan, &plan), Vec::<String>::new());
    assert_eq!(describe_changes(&demo(), &demo()), Vec::<String>::new());
    assert_eq!(summary_of(&[]), "no changes");
}

#[test]
fn an_added_and_a_removed_item_are_named_with_their_number_title_tags_and_points() {
    let lines = lines_after(|plan| {
        let mut item = plan.items[0].clone();
        item.id = Some("new".into());
        item.number = Some(43);
        item.title = "Export CSV".into();
        item.krs = vec!["KR1.2".into()];
        item.points = 3;
        item.sprint = None;
        item.state = ItemState::Todo;
        item.rank = Some(999_999);
        plan.items.remove(6);
        plan.items.push(item);
    });
    assert_eq!(
        lines,
        vec!["added #43 'Export CSV' (KR1.2, 3 pts)".to_owned(), format!("removed #7 {}", words::quoted(&demo().items[6].title))]
    );
}

#[test]
fn an_items_fields_each_give_a_line_in_the_teams_words() {
    let before = demo();
    let mut after = before.clone();
    let item: &mut PlanItem = &mut after.items[11];
    item.points = if item.points == 5 { 8 } else { 5 };
    item.sprint = Some(3);
    item.krs = vec!["KR1.2".into()];
    item.title = "Faster\nsearch\u{7}".into();
    item.state = ItemState::Done;
    item.done_on = Some(date("2026-11-20"));
    let lines = describe_changes(&before, &after);
    let old = &before.items[11];
    let mut expected = vec!["#12 title: 'Faster search'".to_owned()];
    expected.push(format!("#12 points {} → {}", old.points, after.items[11].points));
    if old.state != ItemState::Done {
        expected.push("#12 done on 2026-11-20".into());
    }
    if old.sprint != Some(3) {
        expected.push("#12 moved to S3".into());
    }
    if !old.krs.contains(&"KR1.2".to_owned()) {
        expected.push("#12 tagged KR1.2".into());
    }
    let untagged: Vec<&String> = old.krs.iter().filter(|kr| *kr != "KR1.2").collect();
    if !untagged.is_empty() {
        expected.push(format!("#12 untagged {}", untagged.iter().map(|kr| kr.as_str()).collect::<Vec<_>>().join(", ")));
    }
    assert_eq!(lines, expected);
}

#[test]
fn a_re_ranked_backlog_is_one_line_naming_the_items_that_moved() {
    let lines = lines_after(|plan| {
        plan.items[3].rank = Some(40_500);
        plan.items[8].rank = Some(500);
    });
    assert_eq!(lines, vec!["backlog re-ranked (#4, #9 moved)".to_owned()]);
    let lines = lines_after(|plan| plan.items.iter_mut().for_each(|item| item.rank = item.rank.map(|rank| rank * 2)));
    assert!(lines.is_empty(), "new ranks in the same order move nothing: {lines:?}");
}

#[test]
fn a_renumbered_item_says_its_new_number() {
    let lines = lines_after(|plan| plan.items[4].number = Some(47));
    assert_eq!(lines, vec!["#5 is now #47".to_owned()]);
}

#[test]
fn key_results_check_ins_and_objectives_read_by_their_codes() {
    let lines = lines_after(|plan| {
        let kr = &mut plan.objectives[0].key_results[1];
        kr.target = 90.0;
        kr.check_ins.push(PlanCheckIn { id: None, date: date("2027-01-15"), value: 48.0, confidence: 6, note: String::new() });
        plan.objectives[0].title = "Checkout that just works".into();
    });
    assert_eq!(
        lines,
        vec![
            "O1 title: 'Checkout that just works'".to_owned(),
            format!("KR1.2 target {} → 90", words::number(demo().objectives[0].key_results[1].target)),
            "KR1.2 checked in 48 on 2027-01-15".to_owned(),
        ]
    );
}

#[test]
fn sprints_say_their_goal_start_close_and_retro_notes() {
    let before = demo();
    let mut after = before.clone();
    after.sprints[2].goal = "Ship the new checkout".into();
    after.sprints[2].state = Some(SprintState::Closed);
    after.sprints[3].state = Some(SprintState::Active);
    after.sprints[2].retro.push(PlanRetroNote { id: None, kind: "went_well".into(), text: "Pairing on the API".into() });
    let lines = describe_changes(&before, &after);
    assert!(lines.contains(&"S3 goal: 'Ship the new checkout'".to_owned()), "{lines:?}");
    assert!(lines.contains(&"S3 closed".to_owned()), "{lines:?}");
    assert!(lines.contains(&"S4 started".to_owned()), "{lines:?}");
    assert!(lines.contains(&"S3 retro note added (went well): 'Pairing on the API'".to_owned()), "{lines:?}");
}

#[test]
fn the_team_and_the_quarter_fields_give_lines_too() {
    let lines = lines_after(|plan| {
        plan.team[0].focus_factor = 55;
        plan.team[0].days_off = vec![0.0, 2.0];
        let mut member = plan.team[0].clone();
        member.id = None;
        member.name = "Noor".into();
        plan.team.push(member);
        plan.quarter.closing_note = "A good one".into();
        plan.quarter.checkin_cadence = crate::domain::settings::CheckInCadence::Monthly;
    });
    let name = &demo().team[0].name;
    assert!(lines.contains(&"quarter check-in cadence two_weeks → monthly".to_owned()), "{lines:?}");
    assert!(lines.contains(&"quarter closing note: 'A good one'".to_owned()), "{lines:?}");
    assert!(lines.iter().any(|line| line.starts_with(&format!("{name} focus ")) && line.ends_with("→ 55%")), "{lines:?}");
    assert!(lines.contains(&"added Noor to the team (focus 55%)".to_owned()), "{lines:?}");
}

#[test]
fn long_or_hostile_text_is_cut_and_kept_on_one_line() {
    let lines = lines_after(|plan| plan.items[0].title = format!("A\r\n\u{1b}[31m{}", "é".repeat(60)));
    assert_eq!(lines.len(), 1);
    assert!(!lines[0].chars().any(char::is_control), "{:?}", lines[0]);
    assert!(lines[0].ends_with("…'"), "{}", lines[0]);
}

#[test]
fn the_summary_names_what_changed_in_one_line() {
    let lines = vec![
        "added #43 'Export CSV' (KR1.2, 3 pts)".to_owned(),
        "#12 points 3 → 5".to_owned(),
        "KR1.2 checked in 48 on 2027-01-15".to_owned(),
    ];
    assert_eq!(summary_of(&lines), "3 changes: added #43, #12 points, KR1.2 check-in");
    let many: Vec<String> = (1..=7).map(|n| format!("#{n} points 1 → 2")).collect();
    assert_eq!(summary_of(&many), "7 changes: #1 points, #2 points, #3 points, #4 points and 3 more");
    assert_eq!(summary_of(&["S3 goal: 'x'".to_owned()]), "1 change: S3 goal");
}

#[test]
fn the_order_of_lines_does_not_depend_on_the_order_of_the_maps() {
    let before = demo();
    let mut after = before.clone();
    after.items.iter_mut().step_by(3).for_each(|item| item.points += 1);
    after.items.truncate(30);
    let first = describe_changes(&before, &after);
    assert_eq!(first, describe_changes(&before, &after));
    let numbers: Vec<i64> = first.iter().filter_map(|line| line.strip_prefix('#')?.split(' ').next()?.parse().ok()).collect();
    assert!(numbers.windows(2).all(|pair| pair[0] < pair[1]), "{numbers:?}");
}

#[test]
fn a_kr_whose_code_shifted_is_no_re_tag_of_the_items_and_sprints_that_serve_it() {
    let mut before = demo();
    for (objective, o) in before.objectives.iter_mut().zip(1..) {
        for (kr, k) in objective.key_results.iter_mut().zip(1..) {
            kr.id = Some(format!("kr-{o}-{k}"));
        }
    }
    before.items[0].krs = vec!["KR1.1".into()];
    before.sprints[0].krs = vec!["KR1.1".into()];
    let mut after = before.clone();
    // A KR added before KR1.1 on another laptop: what was KR1.1 is KR1.2.
    let mut added = after.objectives[0].key_results[0].clone();
    added.id = Some("kr-new".into());
    added.title = "Refunds within a day".into();
    added.check_ins.clear();
    after.objectives[0].key_results.insert(0, added);
    for plan_krs in after.items.iter_mut().map(|item| &mut item.krs).chain(after.sprints.iter_mut().map(|sprint| &mut sprint.krs))
    {
        for kr in plan_krs.iter_mut() {
            if let Some(rest) = kr.strip_prefix("KR1.") {
                let position: u32 = rest.parse().expect("a KR code");
                *kr = format!("KR1.{}", position + 1);
            }
        }
    }
    let lines = describe_changes(&before, &after);
    assert!(lines.iter().all(|line| !line.contains("tagged") && !line.contains("serves")), "{lines:?}");
}
