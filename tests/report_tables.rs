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
