//! The plan format's own checks, on the demo and broken copies of it.

use super::*;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

#[test]
fn the_demo_is_a_believable_quarter() {
    let plan = Plan::demo(date("2026-11-23")).expect("demo parses");
    let krs: usize = plan.objectives.iter().map(|objective| objective.key_results.len()).sum();
    assert!((2..=3).contains(&plan.objectives.len()));
    assert!((6..=8).contains(&krs), "{krs} KRs");
    assert_eq!(plan.sprints.len(), 6);
    assert!(plan.sprints.iter().all(|sprint| sprint.weeks == Some(2)));
    assert_eq!(plan.sprints.iter().filter(|sprint| sprint.krs.is_empty()).count(), 1);
    assert!(plan.sprints.iter().filter(|sprint| sprint.krs.is_empty()).all(|sprint| !sprint.no_kr_reason.is_empty()));
    assert!((35..=45).contains(&plan.items.len()));
    assert!(plan.items.iter().any(|item| item.krs.is_empty()), "some BAU");
    assert!(plan.items.iter().filter(|item| !item.krs.is_empty()).count() > plan.items.len() / 2);
    assert!(plan.items.iter().any(|item| item.state == ItemState::Done));
    assert!(plan.items.iter().any(|item| item.sprint.is_some()));
}

#[test]
fn the_demo_names_roles_deferred_work_and_a_goal_at_start_and_refuses_an_unknown_role() {
    let mut plan = Plan::demo(date("2026-11-23")).expect("demo parses");
    let roles: Vec<crate::domain::roles::Roles> = plan.team.iter().map(|member| member.roles().expect("roles")).collect();
    assert_eq!(roles.iter().filter(|roles| roles.product_owner).count(), 1);
    assert_eq!(roles.iter().filter(|roles| roles.scrum_master).count(), 1);
    assert!(plan.items.iter().any(|item| item.krs.is_empty() && !item.deferred_reason.is_empty()));
    assert!(plan.sprints.iter().any(|sprint| sprint.goal_at_start.is_some()));
    plan.team[0].roles = vec!["boss".into()];
    let error = plan.validate().expect_err("an unknown role").to_string();
    assert!(error.contains("team[0].roles: \"boss\" is not a role"), "{error}");
}

#[test]
fn the_demo_runs_today_in_sprint_three() {
    for today in ["2026-11-23", "2026-11-29", "2027-03-03"] {
        let today = date(today);
        let plan = Plan::demo(today).expect("demo parses");
        let sprints = plan.sprint_dates().expect("dates");
        assert!(sprints[2].start <= today && today <= sprints[2].end, "{today}");
        let check_ins = plan.objectives.iter().flat_map(|o| &o.key_results).flat_map(|kr| &kr.check_ins);
        assert!(check_ins.clone().count() > 0);
        assert!(check_ins.into_iter().all(|check_in| check_in.date < today), "check-ins lie in the past");
    }
    assert_eq!(Plan::demo(date("2026-11-23")).expect("demo").quarter.label, "2026-Q4");
}

#[test]
fn broken_references_are_named() {
    let mut plan = Plan::demo(date("2026-11-23")).expect("demo");
    plan.items[3].krs = vec!["KR9.9".into()];
    let error = plan.validate().expect_err("unknown KR").to_string();
    assert!(error.contains("items[3]") && error.contains("KR9.9"), "{error}");

    let mut plan = Plan::demo(date("2026-11-23")).expect("demo");
    plan.objectives[0].key_results[0].target = plan.objectives[0].key_results[0].start;
    assert!(plan.validate().expect_err("M9").to_string().contains("M9"));
}

#[test]
fn team_errors_name_the_member_and_sprint() {
    let plan = Plan::demo(date("2026-11-23")).expect("demo");
    assert!(!plan.team.is_empty(), "the demo has a team");
    let broken = |change: &dyn Fn(&mut Plan)| {
        let mut plan = plan.clone();
        change(&mut plan);
        plan.validate().expect_err("invalid team").to_string()
    };
    assert!(broken(&|plan| plan.team[1].name = " ".into()).contains("team[1].name is empty"));
    assert!(broken(&|plan| plan.team[0].focus_factor = 101).contains("team[0].focus_factor: 101 is not a focus factor"));
    let too_long = broken(&|plan| plan.team[0].days_off = vec![0.0; 7]);
    assert!(too_long.contains("lists 7 sprints, but the plan has 6"), "{too_long}");
    let too_many = broken(&|plan| plan.team[2].days_off = vec![0.0, 11.0]);
    assert!(too_many.contains("team[2].days_off[1] is 11: sprint 2 has 0 to 10 working days"), "{too_many}");
}

#[test]
fn toml_errors_name_the_source_and_field() {
    let error = Plan::parse("[quarter]\nlabel = \"Q\"\nstart = \"not a date\"\n", "mine.toml").expect_err("bad date");
    let text = format!("{error:#}");
    assert!(text.contains("mine.toml") && text.contains("start"), "{text}");
}
