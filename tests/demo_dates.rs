//! `quarterdeck demo` on any day of the week: the demo quarter is moved to
//! run today, and nothing in it happened after today (no item done
//! tomorrow, no check-in ahead, no burn-up row for a day still to come).

mod common;

use chrono::{Days, NaiveDate};
use common::{demo_board_file, run_cli, success_stdout};
use quarterdeck::plan::Plan;

#[test]
fn no_demo_item_is_done_and_no_check_in_is_made_after_today() {
    let monday = NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
    for offset in 0..7 {
        let today = monday + Days::new(offset);
        let text = today.to_string();
        let (_dir, board) = demo_board_file(&text);
        let json = success_stdout(&run_cli(&board, &text, &["export", "--format", "json"]));
        let plan: Plan = serde_json::from_str(&json).expect("the export reads as a plan");
        for item in &plan.items {
            if let Some(done_on) = item.done_on {
                assert!(done_on <= today, "today {today}: {:?} is done on {done_on}", item.title);
            }
        }
        for kr in plan.objectives.iter().flat_map(|objective| &objective.key_results) {
            for check_in in &kr.check_ins {
                assert!(check_in.date <= today, "today {today}: {:?} has a check-in on {}", kr.title, check_in.date);
            }
        }
    }
}

#[test]
fn the_demo_burn_up_does_nothing_after_today() {
    // A Monday: the demo's third sprint starts today.
    let (_dir, board) = demo_board_file("2026-12-07");
    let report = success_stdout(&run_cli(&board, "2026-12-07", &["report", "quarter"]));
    let burn_up = report.split("Burn-up: scope and done points").nth(1).expect("the burn-up's table");
    let rows = burn_up.lines().skip_while(|line| !line.starts_with('|')).take_while(|line| line.starts_with('|'));
    let mut done_today = None;
    for row in rows.skip(2) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (date, done) = (cells[1], cells[3]);
        // Later sprints' planned scope steps up on their first days; the
        // done points stay as they are today.
        if date <= "2026-12-07" {
            done_today = Some(done.to_owned());
        } else {
            assert_eq!(Some(done), done_today.as_deref(), "done points grow after today: {row}");
        }
    }
}
