//! `quarterdeck export --format json|csv` on the real binary: the same
//! quarter as the plan file, and items as CSV a spreadsheet cannot run.

mod common;

use common::{demo_board_file, run_cli, success_stdout};
use quarterdeck::plan::Plan;
use serde_json::Value;

#[test]
fn json_export_is_the_plan_file_as_one_json_document() {
    let (dir, board) = demo_board_file("2027-01-20");
    let json: Value =
        serde_json::from_str(&success_stdout(&run_cli(&board, "2027-01-20", &["export", "--format", "json"]))).expect("JSON");
    let toml_text = success_stdout(&run_cli(&board, "2027-01-20", &["export", "--format", "toml"]));
    // Read back as the plan's own type, the two are the same quarter.
    let from_json: Plan = serde_json::from_value(json.clone()).expect("the JSON reads as a plan");
    let from_toml: Plan = toml::from_str(&toml_text).expect("TOML");
    assert_eq!(from_json, from_toml, "the JSON carries what the plan file carries");
    assert_eq!(json["quarter"]["label"], "2026-Q4");
    assert_eq!(json["items"].as_array().map(Vec::len), Some(40));

    // --out is --output's alias; the file is the same as stdout.
    let file = dir.path().join("plan.json");
    let path = file.to_str().expect("path");
    success_stdout(&run_cli(&board, "2027-01-20", &["export", "--format", "json", "--out", path]));
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("JSON");
    assert_eq!(written, json);
}

/// A board with items whose titles a spreadsheet would run, quote or split.
fn hostile_board() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let board = dir.path().join("board.sqlite3");
    let day = "2027-01-04";
    for args in [
        &["init", "--label", "2027-Q1", "--start", day, "--sprints", "6", "--weeks", "2"][..],
        &["add", "objective", "Checkout is effortless"],
        &["add", "kr", "O1", "Conversion", "--unit", "%", "--start", "12", "--target", "20"],
        &["add", "kr", "O1", "Load time", "--unit", "s", "--start", "3", "--target", "1"],
        &["add", "item", "=HYPERLINK(\"http://evil.example\",\"click\")", "--points", "3", "--kr", "KR1.1", "--kr", "KR1.2"],
        &["add", "item", "+1 more checkout", "--points", "2"],
        &["add", "item", "Two steps", "--kind", "bug"],
        &["edit", "#3", "--title=-2 steps"],
        &["add", "item", "@SUM(A1:A9)"],
        &["add", "item", "Comma, \"quoted\" and plain"],
        &["add", "item", "Escape \u{1b}[31mred"],
        &["edit", "#2", "--deferred", "=cmd|' /C calc'!A0"],
        &["move", "#1", "--sprint", "S1"],
    ] {
        success_stdout(&run_cli(&board, day, args));
    }
    (dir, board)
}

#[test]
fn csv_export_has_one_row_per_item_with_its_kr_codes_and_neutralises_formulas() {
    let (_dir, board) = hostile_board();
    let text = success_stdout(&run_cli(&board, "2027-01-04", &["export", "--format", "csv"]));
    assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'), "RFC 4180 line ends: {text:?}");
    assert!(!text.contains('\u{1b}'), "no escape reaches a terminal: {text:?}");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    assert_eq!(header, ["number", "krs", "title", "kind", "state", "points", "sprint", "bau", "deferred_because", "external"]);
    let rows: Vec<Vec<String>> = reader.records().map(|row| row.expect("row").iter().map(str::to_owned).collect()).collect();
    let row = |number: &str| rows.iter().find(|row| row[0] == number).unwrap_or_else(|| panic!("row {number}: {rows:?}"));
    assert_eq!(rows.len(), 6);
    assert_eq!(
        row("1"),
        &["1", "KR1.1 KR1.2", "'=HYPERLINK(\"http://evil.example\",\"click\")", "story", "todo", "3", "S1", "no", "", ""]
    );
    assert_eq!(row("2")[2], "'+1 more checkout");
    assert_eq!((row("2")[7].as_str(), row("2")[8].as_str()), ("yes", "'=cmd|' /C calc'!A0"));
    assert_eq!((row("3")[2].as_str(), row("3")[3].as_str()), ("'-2 steps", "bug"));
    assert_eq!(row("4")[2], "'@SUM(A1:A9)");
    assert_eq!(row("5")[2], "Comma, \"quoted\" and plain", "quoted, not split");
    assert!(text.contains("\"Comma, \"\"quoted\"\" and plain\""), "RFC 4180 quoting: {text}");
    assert_eq!(row("6")[2], "Escape ␛[31mred");
    // No cell of any row begins with what a spreadsheet runs.
    for cell in rows.iter().flatten() {
        assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?}");
    }
}

#[test]
fn csv_export_gives_an_imported_items_tool_and_key() {
    let (dir, board) = hostile_board();
    let jira = dir.path().join("jira.csv");
    std::fs::write(&jira, "Issue key,Summary,Status\r\nPROJ-123,Imported story,To Do\r\n").expect("jira file");
    success_stdout(&run_cli(&board, "2027-01-04", &["import", "--from", "jira-csv", jira.to_str().expect("utf-8")]));
    let text = success_stdout(&run_cli(&board, "2027-01-04", &["export", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let external = reader.headers().expect("header").iter().position(|name| name == "external").expect("an external column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|row| row.expect("row")).collect();
    let imported = rows.iter().find(|row| &row[2] == "Imported story").expect("the imported item");
    assert_eq!(&imported[external], "jira-csv:PROJ-123");
    assert_eq!(&rows[0][external], "", "an item made on the board has none");
}

#[test]
fn an_unknown_format_is_refused_naming_the_ones_there_are() {
    let (_dir, board) = hostile_board();
    let output = run_cli(&board, "2027-01-04", &["export", "--format", "xlsx"]);
    assert_eq!(output.status.code(), Some(1), "a user error, as docs/cli.md says");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("xlsx") && stderr.contains("toml, json, csv"), "{stderr}");
}

#[test]
fn json_export_escapes_what_a_terminal_would_run_or_hide() {
    let (_dir, board) = hostile_board();
    success_stdout(&run_cli(&board, "2027-01-04", &["edit", "#4", "--title", "Right\u{202e}to left"]));
    let text = success_stdout(&run_cli(&board, "2027-01-04", &["export", "--format", "json"]));
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "{text}");
    assert!(text.contains("Escape \\u001b[31mred") && text.contains("Right\\u202eto left"), "{text}");
    let json: Value = serde_json::from_str(&text).expect("JSON");
    let titles: Vec<&str> = json["items"].as_array().expect("items").iter().filter_map(|item| item["title"].as_str()).collect();
    assert!(titles.contains(&"Right\u{202e}to left"), "the text itself is kept: {titles:?}");
}

/// Without `--format`, `--out`'s extension chooses (a trial's `--out
/// plan.json` and `--out items.csv` were written as TOML); `--format` wins.
#[test]
fn without_format_the_out_files_extension_chooses_it() {
    let (dir, board) = demo_board_file("2027-01-20");
    let out = |name: &str, extra: &[&str]| {
        let file = dir.path().join(name);
        let path = file.to_str().expect("path").to_owned();
        let mut args = vec!["export", "--out", path.as_str()];
        args.extend_from_slice(extra);
        success_stdout(&run_cli(&board, "2027-01-20", &args));
        std::fs::read_to_string(&file).expect("written")
    };
    let json: Value = serde_json::from_str(&out("plan.JSON", &[])).expect("JSON from .JSON");
    assert_eq!(json["quarter"]["label"], "2026-Q4");
    assert!(out("items.csv", &[]).starts_with("number,krs,title"), "CSV from .csv");
    assert!(out("plan.toml", &[]).starts_with("# A Quarterdeck plan"), "TOML from .toml");
    assert!(out("plan.txt", &[]).starts_with("# A Quarterdeck plan"), "else the plan format");
    assert!(out("forced.csv", &["--format", "toml"]).starts_with("# A Quarterdeck plan"), "--format wins");
    assert!(success_stdout(&run_cli(&board, "2027-01-20", &["export"])).starts_with("# A Quarterdeck plan"));
}
