//! The forecast on the board: in a KR's details and in sprint planning for
//! the sprint's KRs, the same words `quarterdeck forecast` prints.

mod common;

use chrono::NaiveDate;
use common::{app_on_day, board_path, demo_store, keys, render, run_cli, select_okr, select_sprint, success_stdout};
use ratatui::crossterm::event::KeyCode;

/// The demo with its running sprint 3 closed too: three closed sprints,
/// enough history for a forecast.
fn demo_with_three_closed_sprints() -> (tempfile::TempDir, std::path::PathBuf, NaiveDate) {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    success_stdout(&run_cli(&path, "2026-12-06", &["sprint", "close", "S3"]));
    (dir, path, NaiveDate::from_ymd_opt(2026, 12, 7).expect("date"))
}

#[test]
fn a_krs_details_show_its_forecast_as_the_command_line_words_it() {
    let (_dir, path, day) = demo_with_three_closed_sprints();
    let said = success_stdout(&run_cli(&path, "2026-12-07", &["forecast", "KR1.2"]));
    let summary = said.lines().last().expect("a summary line").to_owned();
    assert!(summary.starts_with("85 % likely done "), "{said}");

    let mut app = app_on_day(&path, day);
    app.resize(80, 24).expect("resize");
    select_okr(&mut app, "KR1.2");
    common::key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains(&format!("forecast {summary}")), "the board says what the command line says:\n{screen}");
    insta::assert_snapshot!("kr_detail_forecast_80x24", screen);
}

#[test]
fn planning_shows_the_forecast_of_each_kr_the_sprint_serves() {
    let (_dir, path, day) = demo_with_three_closed_sprints();
    let mut app = app_on_day(&path, day);
    app.resize(80, 24).expect("resize");
    select_sprint(&mut app, 5); // serves KR2.1 and KR2.2
    keys(&mut app, "p");
    let screen = render(&app);
    let line = screen.lines().find(|line| line.contains("forecast ")).unwrap_or_else(|| panic!("a forecast line:\n{screen}"));
    assert!(line.contains("KR2.1 85 % ") && line.contains("KR2.2 "), "{screen}");
    insta::assert_snapshot!("planning_forecast_80x24", screen);
}

#[test]
fn a_krs_forecast_follows_work_added_by_another_process() {
    let (_dir, path, day) = demo_with_three_closed_sprints();
    let mut app = app_on_day(&path, day);
    app.resize(80, 24).expect("resize");
    select_okr(&mut app, "KR1.2");
    common::key(&mut app, KeyCode::Enter);
    let before = render(&app);
    assert!(before.contains("forecast 85 % likely done by S5"), "{before}");
    // A hundred points more for KR1.2, added from the command line.
    success_stdout(&run_cli(&path, "2026-12-07", &["add", "item", "Rewrite checkout", "--points", "100", "--kr", "KR1.2"]));
    assert!(app.poll_external_changes().expect("poll"));
    let after = render(&app);
    let said = success_stdout(&run_cli(&path, "2026-12-07", &["forecast", "KR1.2"]));
    let summary = said.lines().last().expect("a summary line");
    assert!(summary.starts_with("85 % likely done after S6"), "{said}");
    // At 80 columns the line is cut after the 85 % answer.
    let answer = summary.split(" (").next().unwrap_or(summary);
    assert!(after.contains(&format!("forecast {answer}")), "the details read the forecast again:\n{after}");
}
