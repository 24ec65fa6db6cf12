//! A cleaned value that collides (the #18 trial, items 1 and 2): a fraction
//! in a column that numbers siblings, rounded, equals a sibling's number
//! (two `O3`, two `S6`); a sprint whose two days are not days is shown in
//! its place among the sprints. Reads name the collision, `doctor` lists
//! it and repairs it so that the codes end distinct, and the board's
//! export imports again.

#![allow(clippy::unwrap_used)]

mod common;

use common::{demo_board_file, run_cli};

const TODAY: &str = "2027-01-04";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn spoil(board: &std::path::Path, sql: &str) {
    rusqlite::Connection::open(board).unwrap().execute_batch(sql).unwrap();
}

/// The codes in the first column of a `list`, in order.
fn codes(board: &std::path::Path, what: &str) -> Vec<String> {
    let output = run_cli(board, TODAY, &["list", what]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout).lines().skip(1).filter_map(|line| line.split_whitespace().next().map(str::to_owned)).collect()
}

fn distinct(codes: &[String]) -> bool {
    let mut sorted = codes.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted.len() == codes.len()
}

#[test]
fn an_objective_rounded_onto_a_sibling_is_named_and_doctor_renumbers_the_objectives() {
    let (_dir, board) = demo_board_file(TODAY);
    spoil(&board, "UPDATE objective SET position = 2.5 WHERE position = 1");
    assert_eq!(codes(&board, "objectives"), ["O2", "O3", "O3"], "shown as the board rounds them");

    let read = run_cli(&board, TODAY, &["list", "objectives"]);
    let named = "objective #1: position = 2.5 (a fraction), shown as 3, which O3 'Keep the platform trusted' also is";
    assert!(text(&read.stderr).contains(named), "{}", text(&read.stderr));

    let repaired = run_cli(&board, TODAY, &["doctor", "--yes"]);
    let said = text(&repaired.stdout);
    assert_eq!(repaired.status.code(), Some(0), "{said}{}", text(&repaired.stderr));
    assert!(said.contains("objectives of 2026-Q4 renumbered 1-3 in the order the board showed them"), "{said}");
    assert_eq!(codes(&board, "objectives"), ["O1", "O2", "O3"]);
    assert!(distinct(&codes(&board, "krs")), "{:?}", codes(&board, "krs"));
    let doctor = run_cli(&board, TODAY, &["doctor"]);
    assert_eq!(doctor.status.code(), Some(0), "{}", text(&doctor.stdout));
    // Each KR3.x is reachable again: KR3.1 is the platform's.
    let shown = run_cli(&board, TODAY, &["show", "KR3.1"]);
    assert!(text(&shown.stdout).contains("Monthly churn"), "{}", text(&shown.stdout));

    assert!(run_cli(&board, TODAY, &["undo"]).status.success());
    assert!(text(&run_cli(&board, TODAY, &["doctor"]).stdout).contains(named), "undo brings it back");
}

#[test]
fn a_sprint_rounded_onto_a_sibling_is_repaired_without_a_unique_clash() {
    let (_dir, board) = demo_board_file(TODAY);
    spoil(&board, "UPDATE sprint SET number = 5.5 WHERE number = 3");
    assert!(!distinct(&codes(&board, "sprints")), "two S6 before the repair");

    let listed = run_cli(&board, TODAY, &["doctor", "--json"]);
    assert_eq!(listed.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(json["values"][0]["collides_with"].as_str().map(|s| s.starts_with("S6 (sprint #")), Some(true), "{json}");

    let before = codes(&board, "sprints");
    let repaired = run_cli(&board, TODAY, &["doctor", "--yes"]);
    assert_eq!(repaired.status.code(), Some(0), "{}{}", text(&repaired.stdout), text(&repaired.stderr));
    assert_eq!(codes(&board, "sprints"), ["S1", "S2", "S3", "S4", "S5", "S6"]);
    assert_eq!(run_cli(&board, TODAY, &["doctor"]).status.code(), Some(0), "no problem left");

    let undone = run_cli(&board, TODAY, &["undo"]);
    assert!(undone.status.success(), "{}", text(&undone.stderr));
    assert_eq!(codes(&board, "sprints"), before, "undo puts every number back");
}

#[test]
fn two_objectives_stored_with_one_position_are_a_problem_not_no_problems_found() {
    let (_dir, board) = demo_board_file(TODAY);
    spoil(&board, "UPDATE objective SET position = 3 WHERE position = 2");
    let listed = run_cli(&board, TODAY, &["doctor"]);
    let said = text(&listed.stdout);
    assert_eq!(listed.status.code(), Some(1), "{said}");
    assert!(said.contains("position = 3 (a sibling's number), shown as 3, which O3 '"), "{said}");
    assert!(run_cli(&board, TODAY, &["doctor", "--yes"]).status.success());
    assert_eq!(codes(&board, "objectives"), ["O1", "O2", "O3"]);
}

#[test]
fn a_fraction_that_collides_with_nothing_keeps_every_code() {
    let (_dir, board) = demo_board_file(TODAY);
    spoil(&board, "UPDATE objective SET position = 3.4 WHERE position = 3");
    let repaired = run_cli(&board, TODAY, &["doctor", "--yes"]);
    assert!(!text(&repaired.stdout).contains("renumbered"), "{}", text(&repaired.stdout));
    assert_eq!(codes(&board, "objectives"), ["O1", "O2", "O3"]);
}

#[test]
fn a_retro_note_at_a_fraction_is_named_and_repaired() {
    let (_dir, board) = demo_board_file(TODAY);
    spoil(&board, "UPDATE retro_note SET position = 1.5 WHERE id = (SELECT min(id) FROM retro_note)");
    let listed = run_cli(&board, TODAY, &["doctor"]);
    assert!(text(&listed.stdout).contains("position = 1.5 (a fraction), shown as 2"), "{}", text(&listed.stdout));
    assert!(run_cli(&board, TODAY, &["doctor", "--yes"]).status.success());
    assert_eq!(run_cli(&board, TODAY, &["doctor"]).status.code(), Some(0));
}

/// Each sprint's (code, first day, last day), as `list sprints` shows it.
fn sprint_days(board: &std::path::Path) -> Vec<(String, chrono::NaiveDate, chrono::NaiveDate)> {
    let output = run_cli(board, TODAY, &["list", "sprints"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let day = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    text(&output.stdout)
        .lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            (fields[0].to_owned(), day(fields[1]), day(fields[2]))
        })
        .collect()
}

/// The board's export, imported into a new board: whether it was taken.
fn export_imports(board: &std::path::Path) -> Result<(), String> {
    let exported = run_cli(board, TODAY, &["export"]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, &exported.stdout).unwrap();
    let imported = run_cli(&dir.path().join("new.sqlite3"), TODAY, &["import", plan.to_str().unwrap()]);
    if imported.status.success() { Ok(()) } else { Err(text(&imported.stderr)) }
}

#[test]
fn a_sprint_with_neither_day_a_day_is_shown_after_the_previous_one_and_its_export_imports() {
    let (_dir, board) = demo_board_file(TODAY);
    let before = sprint_days(&board);
    spoil(&board, "UPDATE sprint SET start_date = '2026-13-45', end_date = '2026-13-99' WHERE number = 2");
    let shown = sprint_days(&board);
    assert_eq!(shown, before, "S2 is shown the day after S1 ends, as long as its neighbours");
    assert_eq!(export_imports(&board), Ok(()), "the export of the cleaned board");

    assert!(run_cli(&board, TODAY, &["doctor", "--yes"]).status.success());
    assert_eq!(sprint_days(&board), before, "doctor writes the days shown");
    assert_eq!(export_imports(&board), Ok(()), "the export of the repaired board");
}

#[test]
fn the_first_sprints_with_no_days_are_laid_before_the_next_and_none_overlaps() {
    let (_dir, board) = demo_board_file(TODAY);
    let before = sprint_days(&board);
    spoil(
        &board,
        "UPDATE sprint SET start_date = 'x', end_date = 'y' WHERE number IN (1, 2); UPDATE sprint SET start_date = '2026-02-30' WHERE number = 5",
    );
    assert_eq!(sprint_days(&board), before);
    assert_eq!(export_imports(&board), Ok(()));
}

/// The stable id of the row a `show` of `code` names.
fn id_of(board: &std::path::Path, code: &str) -> String {
    let shown = run_cli(board, TODAY, &["show", code]);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    let said = text(&shown.stdout);
    said.lines().find_map(|line| line.strip_prefix("id")).map(|id| id.trim().to_owned()).expect(&said)
}

#[test]
fn a_code_two_rows_are_shown_with_is_refused_naming_both_and_each_id_still_reaches_one() {
    let (_dir, board) = demo_board_file(TODAY);
    // Each KR3.1's id, while the codes still differ (O1 is 'Make checkout effortless').
    let (checkout, churn) = (id_of(&board, "KR1.1"), id_of(&board, "KR3.1"));
    spoil(&board, "UPDATE objective SET position = 2.5 WHERE id = 1");
    let before = std::fs::read(&board).unwrap();

    let refused = run_cli(&board, TODAY, &["checkin", "KR3.1", "6.9"]);
    let said = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{said}");
    for part in [
        "KR3.1 names two KRs in 2026-Q4: 'Checkout conversion' (id ",
        "and 'Monthly churn' (id ",
        "run `quarterdeck doctor --yes` to give them distinct codes, or name one by its id",
    ] {
        assert!(said.contains(part), "{part:?} in {said}");
    }
    assert!(said.contains(&checkout) && said.contains(&churn), "{said}");
    assert_eq!(std::fs::read(&board).unwrap(), before, "nothing written");

    let objective = run_cli(&board, TODAY, &["show", "O3"]);
    assert_eq!(objective.status.code(), Some(1));
    assert!(text(&objective.stderr).contains("O3 names two objectives in 2026-Q4: 'Make checkout effortless'"));

    for (id, title) in [(&checkout, "Checkout conversion"), (&churn, "Monthly churn")] {
        let shown = run_cli(&board, TODAY, &["show", id]);
        assert!(text(&shown.stdout).contains(title), "{id}: {}", text(&shown.stdout));
    }
    let checked = run_cli(&board, TODAY, &["checkin", &churn, "6.9"]);
    assert!(checked.status.success(), "{}", text(&checked.stderr));
}

#[test]
fn a_sprint_code_two_sprints_are_shown_with_is_refused() {
    let (_dir, board) = demo_board_file(TODAY);
    spoil(&board, "UPDATE sprint SET number = 5.5 WHERE number = 3");
    let refused = run_cli(&board, TODAY, &["show", "S6"]);
    assert_eq!(refused.status.code(), Some(1));
    let said = text(&refused.stderr);
    assert!(said.contains("S6 names two sprints in 2026-Q4: sprint #"), "{said}");
}

/// The sprints' codes in the order of their first days.
fn codes_by_day(board: &std::path::Path) -> Vec<String> {
    let mut sprints = sprint_days(board);
    sprints.sort_by_key(|(_, start, _)| *start);
    sprints.into_iter().map(|(code, ..)| code).collect()
}

#[test]
fn doctor_renumbers_sprints_in_the_order_of_their_days() {
    for spoiled in ["UPDATE sprint SET number = 5.5 WHERE number = 3", "UPDATE sprint SET number = 6.5 WHERE number = 4"] {
        let (_dir, board) = demo_board_file(TODAY);
        let days_before: Vec<_> = sprint_days(&board).into_iter().map(|(_, start, end)| (start, end)).collect();
        spoil(&board, spoiled);
        let repaired = run_cli(&board, TODAY, &["doctor", "--yes"]);
        let said = text(&repaired.stdout);
        assert_eq!(repaired.status.code(), Some(0), "{spoiled}: {said}");
        assert!(said.contains("sprints of 2026-Q4 renumbered 1-6 by their dates"), "{said}");
        assert_eq!(codes_by_day(&board), ["S1", "S2", "S3", "S4", "S5", "S6"], "{spoiled}");
        let days: Vec<_> = sprint_days(&board).into_iter().map(|(_, start, end)| (start, end)).collect();
        assert_eq!(days, days_before, "{spoiled}: each sprint keeps the code its days had");
    }
}
