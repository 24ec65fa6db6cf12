//! `quarterdeck forecast KR` on the real binary, against a quarter counted
//! by hand: every closed sprint delivered exactly 10 points in 2 items
//! (one through a carried item, one through work added mid-sprint).

mod common;

use std::path::Path;

use common::{run_cli, success_stdout};
use serde_json::Value;

fn write(board: &Path, today: &str, args: &[&str]) {
    success_stdout(&run_cli(board, today, args));
}

fn forecast_json(board: &Path, today: &str, kr: &str) -> Value {
    serde_json::from_str(&success_stdout(&run_cli(board, today, &["forecast", kr, "--json"]))).expect("JSON")
}

/// 2027-Q1 from 2027-01-04, six sprints of two weeks, O1 with KR1.1; the
/// board as on its first day, nothing closed.
fn new_quarter() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let board = dir.path().join("board.sqlite3");
    write(&board, "2027-01-04", &["init", "--label", "2027-Q1", "--start", "2027-01-04", "--sprints", "6", "--weeks", "2"]);
    write(&board, "2027-01-04", &["add", "objective", "Checkout is effortless"]);
    write(&board, "2027-01-04", &["add", "kr", "O1", "Checkout conversion", "--unit", "%", "--start", "12", "--target", "20"]);
    (dir, board)
}

/// S1-S3 closed, each having delivered 10 points in 2 items: S1 two of its
/// three 5-point items (#1, #2; #3 carried), S2 the carried #3 and #4, S3
/// #5 and #6, the second added after its start. Then 25 points of open
/// work tagged KR1.1 (#7-#11).
fn three_sprints_of_ten_points() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, board) = new_quarter();
    let b = board.as_path();
    for title in ["A", "B", "C"] {
        write(b, "2027-01-04", &["add", "item", title, "--points", "5"]);
    }
    for item in ["#1", "#2", "#3"] {
        write(b, "2027-01-04", &["move", item, "--sprint", "S1"]);
    }
    write(b, "2027-01-04", &["sprint", "start", "S1"]);
    write(b, "2027-01-10", &["state", "#1", "done"]);
    write(b, "2027-01-12", &["state", "#2", "done"]);
    write(b, "2027-01-17", &["sprint", "close", "S1", "--carry-to", "S2"]);

    write(b, "2027-01-18", &["add", "item", "D", "--points", "5"]);
    write(b, "2027-01-18", &["move", "#4", "--sprint", "S2"]);
    write(b, "2027-01-18", &["sprint", "start", "S2"]);
    write(b, "2027-01-20", &["state", "#3", "done"]);
    write(b, "2027-01-25", &["state", "#4", "done"]);
    write(b, "2027-01-31", &["sprint", "close", "S2"]);

    write(b, "2027-02-01", &["add", "item", "E", "--points", "5"]);
    write(b, "2027-02-01", &["move", "#5", "--sprint", "S3"]);
    write(b, "2027-02-01", &["sprint", "start", "S3"]);
    write(b, "2027-02-03", &["add", "item", "F (added mid-sprint)", "--points", "5"]);
    write(b, "2027-02-03", &["move", "#6", "--sprint", "S3"]);
    write(b, "2027-02-05", &["state", "#5", "done"]);
    write(b, "2027-02-07", &["state", "#6", "done"]);
    write(b, "2027-02-14", &["sprint", "close", "S3"]);

    for title in ["G", "H", "I", "J", "K"] {
        write(b, "2027-02-15", &["add", "item", title, "--points", "5", "--kr", "KR1.1"]);
    }
    (dir, board)
}

#[test]
fn ten_points_a_sprint_forecasts_twenty_five_open_points_certainly_done_by_s6() {
    let (_dir, board) = three_sprints_of_ten_points();
    // Counted by hand: S4 and S5 do 20 points, S6 the last 5: every trial
    // says S6.
    let forecast = forecast_json(&board, "2027-02-15", "KR1.1");
    assert_eq!(forecast["status"], "forecast");
    assert_eq!((forecast["open_items"].as_u64(), forecast["open_points"].as_u64()), (Some(5), Some(25)));
    assert_eq!(forecast["closed_sprints"], 3);
    assert_eq!(forecast["trials"], 10_000);
    let likely = forecast["likely"].as_array().expect("likely");
    let answers: Vec<(u64, &str, u64)> = likely
        .iter()
        .map(|likely| {
            (
                likely["percent"].as_u64().unwrap_or(0),
                likely["sprint"].as_str().unwrap_or("-"),
                likely["sprints"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(answers, vec![(50, "S6", 3), (85, "S6", 3), (95, "S6", 3)]);

    let text = success_stdout(&run_cli(&board, "2027-02-15", &["forecast", "KR1.1"]));
    assert!(text.contains("85 % likely done by S6 (50 %: S6, 95 %: S6)"), "{text}");

    // 10 more points (35) take four sprints: one after S6.
    for title in ["L", "M"] {
        write(&board, "2027-02-15", &["add", "item", title, "--points", "5", "--kr", "KR1.1"]);
    }
    let text = success_stdout(&run_cli(&board, "2027-02-15", &["forecast", "KR1.1"]));
    assert!(text.contains("85 % likely done after S6, +1 sprint"), "{text}");
    let forecast = forecast_json(&board, "2027-02-15", "KR1.1");
    assert_eq!(forecast["likely"][1]["sprint"], Value::Null);
    assert_eq!(forecast["likely"][1]["after_quarter"], 1);
}

#[test]
fn the_same_board_gives_the_same_forecast_and_a_changed_one_another() {
    let (_dir, board) = three_sprints_of_ten_points();
    // Unestimated items make the answer depend on the draws.
    write(&board, "2027-02-15", &["add", "item", "Unsized", "--kr", "KR1.1"]);
    let first = success_stdout(&run_cli(&board, "2027-02-15", &["forecast", "KR1.1", "--json"]));
    let second = success_stdout(&run_cli(&board, "2027-02-15", &["forecast", "KR1.1", "--json"]));
    assert_eq!(first, second, "two runs on one board agree");
    write(&board, "2027-02-15", &["add", "item", "More", "--points", "8", "--kr", "KR1.1"]);
    let changed = success_stdout(&run_cli(&board, "2027-02-15", &["forecast", "KR1.1", "--json"]));
    assert_ne!(first, changed, "the board changed, so does the forecast");
    let value: Value = serde_json::from_str(&changed).expect("JSON");
    let sprints: Vec<u64> = (0..3).map(|index| value["likely"][index]["sprints"].as_u64().unwrap_or(0)).collect();
    assert!(sprints[0] <= sprints[1] && sprints[1] <= sprints[2], "ordered: {sprints:?}");
    assert_eq!(value["unestimated_items"], 1);
}

#[test]
fn a_quarter_created_on_its_first_day_has_too_little_history_and_says_how_much_it_needs() {
    let (_dir, board) = new_quarter();
    let text = success_stdout(&run_cli(&board, "2027-01-04", &["forecast", "KR1.1"]));
    assert!(text.contains("no open items: nothing to forecast"), "{text}");
    write(&board, "2027-01-04", &["add", "item", "Save a card", "--points", "3", "--kr", "KR1.1"]);
    let text = success_stdout(&run_cli(&board, "2027-01-04", &["forecast", "KR1.1"]));
    assert!(text.contains("too little history: 0 closed sprints of the 3 a forecast needs"), "{text}");
    write(&board, "2027-01-04", &["sprint", "start", "S1"]);
    write(&board, "2027-01-17", &["sprint", "close", "S1"]);
    let forecast = forecast_json(&board, "2027-01-18", "KR1.1");
    assert_eq!(forecast["status"], "too_little_history");
    assert_eq!(forecast["summary"], "too little history: 1 closed sprint of the 3 a forecast needs");
    assert_eq!((forecast["closed_sprints"].as_u64(), forecast["sprints_needed"].as_u64()), (Some(1), Some(3)));
    assert_eq!(forecast["likely"], serde_json::json!([]));
}

#[test]
fn a_reference_that_is_not_a_kr_exits_1_naming_it() {
    let (_dir, board) = new_quarter();
    for (reference, says) in [("O1", "O1: that is O1 in 2027-Q1, not a key result"), ("KR1.9", "KR1.9: no KR1.9 in 2027-Q1")] {
        let output = run_cli(&board, "2027-01-04", &["forecast", reference]);
        assert_eq!(output.status.code(), Some(1), "{reference}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{reference}: {stderr}");
    }
}

/// `report quarter` gives each KR the same forecast as `quarterdeck
/// forecast`, in Markdown and HTML; a sprint's review gives none.
#[test]
fn the_quarter_report_says_each_krs_forecast_as_the_command_does() {
    let (_dir, board) = three_sprints_of_ten_points();
    let markdown = success_stdout(&run_cli(&board, "2027-02-15", &["report", "quarter"]));
    assert!(markdown.contains("**Forecast:** 85 % likely done by S6 (50 %: S6, 95 %: S6)"), "{markdown}");
    let html = success_stdout(&run_cli(&board, "2027-02-15", &["report", "quarter", "--format", "html"]));
    assert!(html.contains("85 % likely done by S6 (50 %: S6, 95 %: S6)"), "the HTML too");
    let review = success_stdout(&run_cli(&board, "2027-02-15", &["report", "review", "S3"]));
    assert!(!review.contains("Forecast"), "{review}");
}

/// `show KR` carries the same forecast as `quarterdeck forecast` and the
/// KR's details: a `forecast` line, and a `forecast` field in `--json`.
#[test]
fn show_gives_the_krs_forecast_in_the_commands_words() {
    let (_dir, board) = three_sprints_of_ten_points();
    let text = success_stdout(&run_cli(&board, "2027-02-15", &["show", "KR1.1"]));
    assert!(text.contains("\nforecast    85 % likely done by S6 (50 %: S6, 95 %: S6)\n"), "{text}");
    let shown: Value =
        serde_json::from_str(&success_stdout(&run_cli(&board, "2027-02-15", &["show", "KR1.1", "--json"]))).expect("JSON");
    assert_eq!(shown["forecast"], forecast_json(&board, "2027-02-15", "KR1.1")["summary"]);
    assert_eq!(shown["forecast"], "85 % likely done by S6 (50 %: S6, 95 %: S6)");

    let (_dir, board) = new_quarter();
    let shown: Value =
        serde_json::from_str(&success_stdout(&run_cli(&board, "2027-01-04", &["show", "KR1.1", "--json"]))).expect("JSON");
    assert_eq!(shown["forecast"], "no open items: nothing to forecast");
}
