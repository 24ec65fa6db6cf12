//! The command line's reads (`list ...`), run as a user runs them: the
//! real binary on temporary boards filled by `quarterdeck demo`.

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
    process::Output,
};

use serde_json::Value;

mod common;

const TODAY: &str = "2027-01-20";

fn quarterdeck(board: &Path, args: &[&str]) -> Output {
    common::run_cli(board, TODAY, args)
}

fn demo_board() -> (tempfile::TempDir, PathBuf) {
    common::demo_board_file(TODAY)
}

fn stdout(output: &Output) -> String {
    common::success_stdout(output)
}

fn json(board: &Path, args: &[&str]) -> Vec<Value> {
    match json_value(board, args) {
        Value::Array(values) => values,
        other => panic!("not an array: {other}"),
    }
}

/// What a command prints with `--json`: an array for `list`, one object for `show`.
fn json_value(board: &Path, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.push("--json");
    serde_json::from_str(&stdout(&quarterdeck(board, &args))).expect("JSON")
}

fn field<'a>(value: &'a Value, key: &str) -> &'a Value {
    value.get(key).unwrap_or_else(|| panic!("no {key} in {value}"))
}

#[test]
fn list_items_prints_the_backlog_in_aligned_columns() {
    let (_dir, board) = demo_board();
    let text = stdout(&quarterdeck(&board, &["list", "items"]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 40, "a header and the demo's 40 items:\n{text}");
    assert!(lines[0].starts_with("REF  STATE  POINTS  SPRINT  KRS"), "{}", lines[0]);
    assert!(lines[1].starts_with("#1   done   5       S1      KR1.1"), "{}", lines[1]);
    // Every title starts in the header's TITLE column.
    let title_column = lines[0].find("TITLE").expect("a TITLE column");
    for line in &lines[1..] {
        assert_eq!(&line[title_column - 2..title_column], "  ", "the title column lines up: {line}");
        assert_ne!(line.as_bytes()[title_column], b' ', "a title starts there: {line}");
    }
}

#[test]
fn list_items_json_gives_each_item_with_its_reference_stable_id_sprint_and_krs() {
    let (_dir, board) = demo_board();
    let items = json(&board, &["list", "items"]);
    assert_eq!(items.len(), 40);
    let first = &items[0];
    assert_eq!(field(first, "ref"), "#1");
    assert_eq!(field(first, "title"), "Store card tokens with the payment provider");
    assert_eq!(field(first, "points"), 5);
    assert_eq!(field(first, "state"), "done");
    assert_eq!(field(first, "sprint"), "S1");
    assert_eq!(field(first, "krs"), &serde_json::json!(["KR1.1"]));
    let ids: BTreeSet<&str> = items.iter().map(|item| field(item, "id").as_str().expect("text")).collect();
    assert_eq!(ids.len(), 40, "ids are unique");
    assert!(ids.iter().all(|id| id.len() == 36 && id.matches('-').count() == 4), "uuids: {ids:?}");
    // An item in no sprint says null.
    assert!(items.iter().any(|item| field(item, "sprint").is_null()));
    // The stable id is the one `show`/`resolve` reads: the same on a second run.
    assert_eq!(json(&board, &["list", "items"])[0]["id"], first["id"]);
}

#[test]
fn each_filter_keeps_exactly_the_items_that_match_it() {
    let (_dir, board) = demo_board();
    let all = json(&board, &["list", "items"]);
    let refs = |items: &[Value]| -> Vec<String> { items.iter().map(|item| item["ref"].to_string()).collect() };
    let count_where = |keep: &dyn Fn(&Value) -> bool| -> Vec<String> {
        refs(&all.iter().filter(|item| keep(item)).cloned().collect::<Vec<_>>())
    };

    let in_s1 = json(&board, &["list", "items", "--sprint", "S1"]);
    assert_eq!(refs(&in_s1), count_where(&|item| item["sprint"] == "S1"));
    assert_eq!(in_s1.len(), 4, "the demo's S1 holds #1-#4");

    let kr11 = json(&board, &["list", "items", "--kr", "kr1.1"]);
    assert_eq!(refs(&kr11), count_where(&|item| item["krs"].as_array().is_some_and(|krs| krs.contains(&"KR1.1".into()))));
    assert!(!kr11.is_empty());

    let done = json(&board, &["list", "items", "--state", "done"]);
    assert_eq!(refs(&done), count_where(&|item| item["state"] == "done"));

    let bau = json(&board, &["list", "items", "--bau"]);
    assert_eq!(refs(&bau), count_where(&|item| item["krs"].as_array().is_some_and(Vec::is_empty)));
    assert!(refs(&bau).contains(&"\"#4\"".to_owned()), "#4 is BAU in the demo");

    // Filters add up: done BAU items of S1.
    let both = json(&board, &["list", "items", "--sprint", "S1", "--bau", "--state", "done"]);
    assert_eq!(refs(&both), ["\"#4\""]);
    // A quarter named by label, in any case, lists the same.
    assert_eq!(refs(&json(&board, &["list", "items", "--quarter", "2026-q4"])), refs(&all));
}

#[test]
fn objectives_krs_and_sprints_are_listed_as_text_and_json() {
    let (_dir, board) = demo_board();
    let objectives = json(&board, &["list", "objectives"]);
    assert_eq!(objectives.len(), 3);
    assert_eq!(objectives[0]["ref"], "O1");
    assert_eq!(objectives[0]["krs"], serde_json::json!(["KR1.1", "KR1.2", "KR1.3"]));
    let krs = json(&board, &["list", "krs"]);
    assert_eq!(krs.len(), 7, "3 + 2 + 2 KRs in the demo");
    assert_eq!(krs[1]["ref"], "KR1.2");
    assert_eq!(krs[1]["objective"], "O1");
    let sprints = json(&board, &["list", "sprints"]);
    assert_eq!(sprints.len(), 6);
    assert_eq!(sprints[0]["ref"], "S1");
    assert_eq!(sprints[0]["done_points"], 15, "#1-#4: 5 + 3 + 2 + 5");

    for (what, header) in [("objectives", "REF  OWNER"), ("krs", "REF    START"), ("sprints", "REF  START")] {
        let text = stdout(&quarterdeck(&board, &["list", what]));
        assert!(text.starts_with(header), "{what}:\n{text}");
    }
    // A stable id listed is one the resolver finds.
    let id = krs[1]["id"].as_str().expect("an id");
    let by_id = json(&board, &["list", "items", "--kr", id]);
    assert_eq!(by_id, json(&board, &["list", "items", "--kr", "KR1.2"]));
}

#[test]
fn untrusted_text_is_cleaned_in_plain_output_and_escaped_in_json() {
    let (_dir, board) = demo_board();
    let title = "Pay\u{1b}[2J now\u{202e}\u{9b}";
    let conn = rusqlite::Connection::open(&board).expect("board");
    conn.execute("UPDATE item SET title = ?1 WHERE id = 1", [title]).expect("title written");
    drop(conn);

    let output = quarterdeck(&board, &["list", "items", "--json"]);
    let raw = String::from_utf8(output.stdout.clone()).expect("utf-8");
    assert!(!raw.chars().any(|ch| ch.is_control() && ch != '\n'), "no raw control character: {raw:?}");
    assert!(raw.contains(r#""Pay\u001b[2J now\u202e\u009b""#), "{raw}");
    let items: Vec<Value> = serde_json::from_str(&raw).expect("JSON");
    assert_eq!(items[0]["title"], title, "the escapes read back as the title");

    let text = stdout(&quarterdeck(&board, &["list", "items"]));
    assert!(!text.chars().any(|ch| ch.is_control() && ch != '\n'), "{text:?}");
    assert!(text.contains("Pay␛[2J now"), "{text}");
}

#[test]
fn a_bad_reference_or_argument_exits_1_naming_it() {
    let (_dir, board) = demo_board();
    for (args, says) in [
        (&["list", "items", "--kr", "O1"][..], "--kr O1: that is O1 in 2026-Q4, not a key result"),
        (&["list", "items", "--kr", "KR1.9"][..], "--kr KR1.9: no KR1.9 in 2026-Q4: its KRs are"),
        (&["list", "items", "--sprint", "S9"][..], "--sprint S9: no S9 in 2026-Q4: its sprints are S1-S6"),
        (&["list", "items", "--sprint", "nope"][..], "--sprint nope: \"nope\" is not a reference"),
        (
            &["list", "krs", "--quarter", "2030-Q1"][..],
            "--quarter 2030-Q1: no such quarter on this board; its quarters are 2026-Q4",
        ),
        (&["list", "items", "--state", "finished"][..], "'--state <STATE>'"),
        (&["list", "things"][..], "unrecognized subcommand 'things'"),
    ] {
        let output = quarterdeck(&board, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?} printed nothing");
    }
    // Help is an answer, not an error.
    let help = quarterdeck(&board, &["list", "items", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("quarterdeck list items --kr KR1.2"));
}

#[test]
fn a_file_that_is_not_a_board_exits_2_and_a_read_creates_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "not a board").expect("written");
    let output = quarterdeck(&junk, &["list", "items"]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a Quarterdeck board"));
    assert_eq!(std::fs::read(&junk).expect("still there"), b"not a board");

    let missing = dir.path().join("none.sqlite3");
    let output = quarterdeck(&missing, &["list", "sprints", "--json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!missing.exists(), "a read makes no board");

    let (_dir, board) = demo_board();
    let before = std::fs::read(&board).expect("board");
    for what in ["items", "objectives", "krs", "sprints"] {
        stdout(&quarterdeck(&board, &["list", what]));
    }
    stdout(&quarterdeck(&board, &["show", "KR1.1"]));
    assert_eq!(std::fs::read(&board).expect("board"), before, "a read writes nothing");
}

/// The JSON shapes docs/cli.md documents: each ```json block whose info
/// string names a command (```json list items) shows one element of that
/// command's array.
fn documented_shapes() -> Vec<(Vec<String>, BTreeSet<String>)> {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli.md")).expect("docs/cli.md");
    let mut shapes = Vec::new();
    let mut lines = docs.lines();
    while let Some(line) = lines.next() {
        let Some(command) = line.strip_prefix("```json ") else { continue };
        let block: Vec<&str> = lines.by_ref().take_while(|line| *line != "```").collect();
        let example: Value = serde_json::from_str(&block.join("\n")).unwrap_or_else(|error| panic!("{command}: {error}"));
        let element = example.as_array().and_then(|array| array.first()).unwrap_or(&example);
        let keys = element.as_object().unwrap_or_else(|| panic!("{command}: not an object")).keys().cloned().collect();
        shapes.push((command.split_whitespace().map(str::to_owned).collect(), keys));
    }
    shapes
}

#[test]
fn every_documented_json_shape_is_exactly_what_the_command_prints() {
    let (_dir, board) = demo_board();
    let shapes = documented_shapes();
    let commands: BTreeSet<String> = shapes.iter().map(|(command, _)| command.join(" ")).collect();
    for wanted in
        ["list items", "list objectives", "list krs", "list sprints", "show #4", "show O2", "show KR1.1", "show S3", "review S2"]
    {
        assert!(commands.contains(wanted), "docs/cli.md documents `{wanted} --json`");
    }
    for (command, keys) in shapes {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let printed = match json_value(&board, &args) {
            Value::Array(values) => values,
            object => vec![object],
        };
        assert!(!printed.is_empty(), "{command:?} printed elements to check");
        for element in printed {
            let printed_keys: BTreeSet<String> = element.as_object().expect("an object").keys().cloned().collect();
            assert_eq!(printed_keys, keys, "{command:?}: documented fields");
        }
    }
}

#[test]
fn show_prints_an_item_objective_kr_or_sprint_with_its_fields() {
    let (_dir, board) = demo_board();
    let item = json_value(&board, &["show", "#4"]);
    assert_eq!(item["type"], "item");
    assert_eq!(item["title"], "Fix VAT rounding on Swiss invoices");
    assert_eq!(item["kind"], "bug");
    assert_eq!(item["krs"], serde_json::json!([]), "#4 is BAU");
    // The same item by its number without `#`, and by its stable id.
    let listed = &json(&board, &["list", "items"])[3];
    assert_eq!(json_value(&board, &["show", "4"])["id"], listed["id"]);
    assert_eq!(json_value(&board, &["show", listed["id"].as_str().expect("id")])["ref"], "#4");

    let kr = json_value(&board, &["show", "kr1.1"]);
    assert_eq!(
        (kr["type"].as_str(), kr["objective"].as_str(), kr["check_ins"].as_u64()),
        (Some("key_result"), Some("O1"), Some(3))
    );
    let text = stdout(&quarterdeck(&board, &["show", "KR1.1"]));
    assert!(text.starts_with("type        key_result\nref         KR1.1\n"), "{text}");
    assert!(text.contains("2027-01-15  15.1   70%         One-click at 10 % of buyers"), "its check-ins: {text}");

    let sprint = json_value(&board, &["show", "2026-Q4:S3"]);
    assert_eq!((sprint["state"].as_str(), sprint["load"].as_u64()), (Some("active"), Some(17)));
    assert_eq!(sprint["krs"], serde_json::json!(["KR1.1", "KR1.2"]));
    let objective = json_value(&board, &["show", "O2"]);
    assert_eq!(objective["krs"], serde_json::json!(["KR2.1", "KR2.2"]));

    for (args, says) in [
        (&["show", "KR7.1"][..], "KR7.1: no KR7.1 in 2026-Q4"),
        (&["show", "#999"][..], "#999: no item #999: the newest item is #40"),
        (&["show", "2026-Q4"][..], "\"2026-Q4\" is not a reference"),
    ] {
        let output = quarterdeck(&board, args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains(says), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
}

#[test]
fn review_gives_the_boards_output_and_outcome_figures() {
    let (_dir, board) = demo_board();
    let review = json_value(&board, &["review", "S2"]);
    assert_eq!(
        (review["sprint"].as_str(), review["state"].as_str(), review["frozen"].as_bool()),
        (Some("S2"), Some("closed"), Some(true))
    );
    // By hand from the items S2 held: #5-#9, 5 + 3 + 3 + 1 + 6 points, all done.
    let items = json(&board, &["list", "items", "--sprint", "S2"]);
    let refs: Vec<&str> = items.iter().map(|item| item["ref"].as_str().expect("ref")).collect();
    assert_eq!(refs, ["#5", "#6", "#7", "#8", "#9"]);
    let points = |keep: &dyn Fn(&Value) -> bool| -> u64 {
        items.iter().filter(|item| keep(item)).map(|item| item["points"].as_u64().expect("points")).sum()
    };
    assert_eq!(review["output"]["committed"], serde_json::json!({"items": 5, "points": 18}));
    assert_eq!(review["output"]["done"], serde_json::json!({"items": 5, "points": points(&|_| true)}));
    assert_eq!(review["output"]["carried"], serde_json::json!({"items": 0, "points": 0}));
    let okr = points(&|item| !item["krs"].as_array().expect("krs").is_empty());
    assert_eq!(review["split"], serde_json::json!({"okr_points": okr, "bau_points": 18 - okr}));
    assert_eq!((okr, 18 - okr), (12, 6));
    // KR1.1 from its check-in before the sprint (12, 2026-12-21) to its
    // last by the close (15.1, 2027-01-15): 3.1 of the way 12 -> 20.
    let kr11 = &review["outcome"][0];
    assert_eq!(
        (kr11["kr"].as_str(), kr11["at_sprint_start"].as_f64(), kr11["at_sprint_end"].as_f64()),
        (Some("KR1.1"), Some(12.0), Some(15.1))
    );
    assert!((kr11["progress_made"].as_f64().expect("made") - 3.1 / 8.0).abs() < 1e-9);
    assert_eq!(kr11["moved"], true);
    assert_eq!(review["high_output_low_outcome"], false);

    let text = stdout(&quarterdeck(&board, &["review", "S2"]));
    // The board's words for a closed sprint (`domain::review::output_rows`).
    assert!(text.contains("of it done       5      18"), "{text}");
    assert!(text.contains("OKR work 12 pts, BAU 6 pts"), "{text}");
    assert!(text.contains("KR1.1    served  12     15.1  20      +39 %"), "{text}");

    let output = quarterdeck(&board, &["review", "KR1.1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("KR1.1: that is KR1.1 in 2026-Q4, not a sprint"));
}

#[test]
fn check_runs_the_boards_rules_and_exits_1_while_one_warns() {
    let (_dir, board) = demo_board();
    // The demo's S1 delivered its 15 points while KR1.1 stayed at 12 (M11).
    let output = quarterdeck(&board, &["check"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("M11  warn A sprint that delivered its points moved one of its KRs"), "{text}");
    assert!(text.contains("          S1: delivered 15 of its 15 points; none of its KRs moved"), "{text}");
    assert!(text.contains("M1   ok   "), "{text}");
    assert!(text.ends_with("1 rule of 13 warns.\n"), "{text}");

    let report = quarterdeck(&board, &["check", "--json", "--warn-only"]);
    assert_eq!(report.status.code(), Some(0), "--warn-only reports and passes");
    let report: Value = serde_json::from_slice(&report.stdout).expect("JSON");
    let rules = report["rules"].as_array().expect("rules");
    let names: Vec<&str> = rules.iter().map(|rule| rule["rule"].as_str().expect("rule")).collect();
    assert_eq!(names, (1..=13).map(|n| format!("M{n}")).collect::<Vec<_>>());
    assert_eq!(report["warnings"], 1);
    assert_eq!(rules[10]["ok"], false);
    assert_eq!(
        rules[10]["breaches"],
        serde_json::json!([{"ref": "S1", "why": "delivered 15 of its 15 points; none of its KRs moved"}])
    );
    assert_eq!(rules.iter().filter(|rule| rule["ok"] == false).count(), 1, "warnings counts the rules that warn");

    // A check-in during S1 moves KR1.1 (12 -> 13 of 12 -> 20): every rule holds.
    let conn = rusqlite::Connection::open(&board).expect("board");
    conn.execute(
        "INSERT INTO check_in (key_result_id, date, value, confidence, note)
         SELECT k.id, '2027-01-02', 13, 60, '' FROM key_result k JOIN objective o ON o.id = k.objective_id
         WHERE o.position = 1 AND k.position = 1",
        [],
    )
    .expect("check-in");
    drop(conn);
    let output = quarterdeck(&board, &["check"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    assert!(String::from_utf8_lossy(&output.stdout).ends_with("All 13 rules hold.\n"));
}

#[test]
fn completions_and_the_man_page_cover_every_command_without_a_board() {
    let dir = tempfile::tempdir().expect("temp dir");
    let nowhere = dir.path().join("none.sqlite3");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout(&quarterdeck(&nowhere, &["completions", shell]));
        for word in ["quarterdeck", "list", "items", "review", "check", "warn-only", "completions"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
    let output = quarterdeck(&nowhere, &["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(1), "an unknown shell is a user error");
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid value 'tcsh'"));

    let page = stdout(&quarterdeck(&nowhere, &["man"]));
    assert!(page.contains(".TH quarterdeck 1"), "a section 1 page: {}", &page[..200.min(page.len())]);
    for section in
        ["QUARTERDECK LIST ITEMS", "QUARTERDECK SHOW", "QUARTERDECK REVIEW", "QUARTERDECK CHECK", "QUARTERDECK COMPLETIONS"]
    {
        assert!(page.contains(&format!(".SH \"{section}\"")), "the page has {section}");
    }
    assert!(page.contains("warn\\-only"), "options are listed");
    assert!(!nowhere.exists(), "neither opens a board");
}

#[test]
fn an_earlier_quarters_objects_are_named_with_it_and_read_back() {
    let (_dir, board) = demo_board();
    {
        let mut store = quarterdeck::store::Store::open(&board).expect("board");
        let closed = store.load_board().expect("read").expect("a quarter").quarter.id;
        let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 20).expect("a day");
        store.close_quarter(closed, &quarterdeck::store::QuarterClose::default(), day, "Closed").expect("closed");
        store.open_next_quarter(closed, day, "Opened").expect("opened");
    }
    let quarters: Vec<String> = {
        let conn = rusqlite::Connection::open(&board).expect("board");
        let mut statement = conn.prepare("SELECT label FROM quarter ORDER BY start_date").expect("sql");
        statement.query_map([], |row| row.get(0)).expect("rows").collect::<Result<_, _>>().expect("labels")
    };
    assert_eq!(quarters[0], "2026-Q4");
    // The new quarter's backlog: carried items still tagged with 2026-Q4's
    // KRs, written so that the resolver reads them back.
    let items = json(&board, &["list", "items"]);
    let old_tag = items
        .iter()
        .flat_map(|item| item["krs"].as_array().expect("krs").iter())
        .find_map(|kr| kr.as_str().filter(|kr| kr.starts_with("2026-Q4:KR")))
        .expect("a carried item keeps its old tag")
        .to_owned();
    let tagged = json(&board, &["list", "items", "--kr", &old_tag]);
    assert!(
        !tagged.is_empty() && tagged.iter().all(|item| item["krs"].as_array().expect("krs").contains(&old_tag.as_str().into()))
    );

    // The closed quarter's backlog is what its sprints held, named as there.
    let closed = json(&board, &["list", "items", "--quarter", "2026-Q4", "--sprint", "S1"]);
    assert_eq!(closed.iter().map(|item| item["ref"].as_str().expect("ref")).collect::<Vec<_>>(), ["#1", "#2", "#3", "#4"]);
    assert!(closed.iter().all(|item| item["sprint"] == "S1"));
    assert_eq!(json_value(&board, &["show", "2026-Q4:S1"])["quarter"], "2026-Q4");
    assert_eq!(json_value(&board, &["review", "2026-Q4:S2"])["output"]["done"]["points"], 18);
}

/// A read leaves the folder as it found it: no `-wal` or `-shm` of its
/// making beside a board nobody has open (#18).
#[test]
fn reads_leave_the_folder_as_they_found_it() {
    let (dir, board) = demo_board();
    for args in [&["list", "items", "--json"][..], &["show", "KR1.1"], &["review", "S2"], &["check", "--warn-only"], &["export"]]
    {
        let output = quarterdeck(&board, args);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("the folder")
            .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["board.sqlite3"], "after {args:?}");
    }
}
