//! The reports' figures tables as the trial of issue #17 read them: one row
//! a day in each KR's table, and velocity that calls a sprint not started
//! planned, as its review does.

mod common;

use common::{demo_board_file, run_cli, success_stdout};

const TODAY: &str = "2026-12-07";

fn quarter_report() -> String {
    let (_dir, board) = demo_board_file(TODAY);
    success_stdout(&run_cli(&board, TODAY, &["report", "quarter"]))
}

/// The body rows of the Markdown table under `caption`.
fn table_rows<'a>(report: &'a str, caption: &str) -> Vec<Vec<&'a str>> {
    let after = report.split(caption).nth(1).unwrap_or_else(|| panic!("no table {caption:?} in\n{report}"));
    after
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|row| row.trim_matches('|').split('|').map(str::trim).collect())
        .collect()
}

#[test]
fn each_kr_table_has_one_row_a_day_with_the_days_last_value() {
    let report = quarter_report();
    // KR1.1 starts at 12 % and its first check-in (12 %) is on the
    // quarter's first day: one row for that day.
    let rows = table_rows(&report, "KR1.1 against its expected line");
    let dates: Vec<&str> = rows.iter().map(|row| row[0]).collect();
    assert_eq!(dates, ["2026-11-09", "2026-11-25", "2026-12-04"], "{rows:?}");
    for code in ["KR1.2", "KR1.3", "KR2.1", "KR2.2", "KR3.1", "KR3.2"] {
        let rows = table_rows(&report, &format!("{code} against its expected line"));
        let mut dates: Vec<&str> = rows.iter().map(|row| row[0]).collect();
        let count = dates.len();
        dates.dedup();
        assert_eq!(dates.len(), count, "{code}: a day twice in {rows:?}");
    }
}

#[test]
fn velocity_calls_a_sprint_not_started_planned_and_counts_a_started_one_from_its_start() {
    let (_dir, board) = demo_board_file(TODAY);
    let report = success_stdout(&run_cli(&board, TODAY, &["report", "quarter"]));
    let rows = table_rows(&report, "Velocity: points committed");
    let committed: Vec<(&str, &str)> = rows.iter().map(|row| (row[0], row[1])).collect();
    // S3 started today (its review counts its commitment); S4-S6 have not
    // started: what is planned into them is no commitment yet.
    let review = success_stdout(&run_cli(&board, TODAY, &["review", "S3", "--json"]));
    let review: serde_json::Value = serde_json::from_str(&review).expect("JSON");
    let s3 = review["output"]["committed"]["points"].as_u64().expect("S3's committed points").to_string();
    assert_eq!(committed[2], ("S3", s3.as_str()), "{rows:?}");
    for (sprint, cell) in &committed[3..] {
        assert!(cell.starts_with("planned "), "{sprint} has not started: {cell}");
    }
    for (sprint, cell) in &committed[..3] {
        assert!(cell.parse::<u32>().is_ok(), "{sprint} has started: {cell}");
    }
    // The HTML draws a not-started sprint's bar as planned, and says so.
    let html = success_stdout(&run_cli(&board, TODAY, &["report", "quarter", "--format", "html"]));
    assert_eq!(html.matches("<rect class=\"mark planned\"").count(), 3, "S4-S6 drawn as planned");
    assert!(html.contains("Planned (not started)"));
}
