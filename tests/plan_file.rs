//! The plan file from the shell, as a user runs it: `export`, an edit in
//! the TOML, `import --replace` / `--merge [--prune]`, a broken file that
//! changes nothing, and `check FILE` for CI. The real binary on temporary
//! boards filled by `quarterdeck demo`.

use std::{
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

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(board: &Path, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.push("--json");
    serde_json::from_str(&stdout(&quarterdeck(board, &args))).expect("JSON")
}

/// The board's current quarter exported to `name` beside the board.
fn export_to(board: &Path, name: &str) -> PathBuf {
    let file = board.with_file_name(name);
    stdout(&quarterdeck(board, &["export", "--format", "toml", "--output", file.to_str().expect("path")]));
    file
}

/// The `[[items]]` table of item `number` in `text`: its start and end.
fn item_table(text: &str, number: i64) -> (usize, usize) {
    let marker = format!("\nnumber = {number}\n");
    let at = text.find(&marker).unwrap_or_else(|| panic!("no item {number}"));
    let start = text[..at].rfind("[[items]]").expect("table");
    let end = text[at..].find("\n[[").map_or(text.len(), |end| at + end);
    (start, end)
}

fn items_by_ref(board: &Path) -> Vec<Value> {
    match json(board, &["list", "items"]) {
        Value::Array(items) => items,
        other => panic!("not an array: {other}"),
    }
}

#[test]
fn export_without_output_prints_the_same_bytes_as_the_file() {
    let (_dir, board) = demo_board();
    let printed = stdout(&quarterdeck(&board, &["export"]));
    let file = export_to(&board, "plan.toml");
    assert_eq!(std::fs::read_to_string(file).expect("read"), printed);
    assert!(printed.contains("[quarter]") && printed.contains("[[items]]"));
    let again = stdout(&quarterdeck(&board, &["export", "--format", "toml"]));
    assert_eq!(printed, again, "deterministic: nothing volatile such as the time of export");
}

#[test]
fn a_quarter_edited_in_its_file_and_imported_with_replace_shows_the_change() {
    let (_dir, board) = demo_board();
    let file = export_to(&board, "plan.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    // A title, a KR's target, and item #31 moved into sprint 4.
    let edited = text.replacen("title = \"Make checkout effortless\"", "title = \"Make checkout delightful\"", 1).replacen(
        "target = 20.0",
        "target = 22.5",
        1,
    );
    let (start, end) = item_table(&edited, 31);
    let table = &edited[start..end];
    assert!(!table.contains("\nsprint = "), "#31 waits in the backlog: {table}");
    let moved = table.replace("\nstate = \"todo\"\n", "\nstate = \"todo\"\nsprint = 4\n");
    let edited = format!("{}{moved}{}", &edited[..start], &edited[end..]);
    std::fs::write(&file, edited).expect("write");

    let refused = quarterdeck(&board, &["import", file.to_str().expect("path")]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("--replace") && stderr(&refused).contains("--merge"), "{}", stderr(&refused));

    let imported = stdout(&quarterdeck(&board, &["import", file.to_str().expect("path"), "--replace"]));
    assert!(imported.contains("Imported"), "{imported}");
    let objectives = json(&board, &["list", "objectives"]);
    assert_eq!(objectives[0]["title"], "Make checkout delightful", "{objectives}");
    let kr = json(&board, &["show", "KR1.1"]);
    assert_eq!(kr["target"], 22.5, "{kr}");
    let item = json(&board, &["show", "#31"]);
    assert_eq!(item["sprint"], "S4", "{item}");
    // Nothing else changed: exporting gives the edited file back.
    assert_eq!(stdout(&quarterdeck(&board, &["export"])), std::fs::read_to_string(&file).expect("read"));
}

#[test]
fn merge_updates_and_adds_by_id_and_prune_removes_what_the_file_lacks() {
    let (_dir, board) = demo_board();
    let file = export_to(&board, "plan.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    // The file loses item #40, renames #1 and gains a hand-written item.
    let (start, end) = item_table(&text, 40);
    let text = format!("{}{}", &text[..start], &text[end..]);
    let (start, end) = item_table(&text, 1);
    let renamed =
        text[start..end].replace("title = \"Store card tokens with the payment provider\"", "title = \"Vault card tokens\"");
    let edited = format!("{}{renamed}{}", &text[..start], &text[end..]);
    let added = "\n[[items]]\ntitle = \"Written by hand\"\npoints = 2\nkrs = [\"KR1.1\"]\n";
    std::fs::write(&file, format!("{edited}{added}")).expect("write");
    let count = items_by_ref(&board).len();

    stdout(&quarterdeck(&board, &["import", file.to_str().expect("path"), "--merge"]));
    let items = items_by_ref(&board);
    assert_eq!(items.len(), count + 1, "kept #40 and added one");
    assert_eq!(json(&board, &["show", "#1"])["title"], "Vault card tokens");
    let new = items.iter().find(|item| item["title"] == "Written by hand").expect("added");
    assert_eq!(new["ref"], "#41", "a new number above every one used: {new}");
    assert!(items.iter().any(|item| item["ref"] == "#40"), "merge without --prune keeps what the file lacks");

    stdout(&quarterdeck(&board, &["import", file.to_str().expect("path"), "--merge", "--prune"]));
    let items = items_by_ref(&board);
    assert!(!items.iter().any(|item| item["ref"] == "#40"), "--prune removes it");
    // The hand-written item has no id in the file: the merge cannot match
    // it, so it is new again, and --prune removes the copy the board had.
    assert_eq!(items.iter().filter(|item| item["title"] == "Written by hand").count(), 1);
}

#[test]
fn a_broken_plan_file_changes_nothing_and_names_its_line_and_column() {
    let (_dir, board) = demo_board();
    let file = export_to(&board, "plan.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    let before = std::fs::read(&board).expect("board bytes");
    let line_of = |text: &str, needle: &str| text[..text.find(needle).expect("needle")].matches('\n').count() + 1;

    // A typo in a key.
    let typo = text.replacen("\ncapacity = ", "\ncapacty = ", 1);
    std::fs::write(&file, &typo).expect("write");
    let output = quarterdeck(&board, &["import", file.to_str().expect("path"), "--replace"]);
    assert_eq!(output.status.code(), Some(1));
    let expected = format!("plan.toml:{}:1:", line_of(&typo, "\ncapacty") + 1);
    assert!(stderr(&output).contains(&expected) && stderr(&output).contains("capacty"), "{}", stderr(&output));

    // An unknown KR code, then points out of range: each at its own line.
    let unknown = text.replacen("krs = [\"KR1.1\"]", "krs = [\"KR9.9\"]", 1);
    std::fs::write(&file, &unknown).expect("write");
    let output = quarterdeck(&board, &["import", file.to_str().expect("path"), "--replace"]);
    assert_eq!(output.status.code(), Some(1));
    let expected = format!("plan.toml:{}:1:", line_of(&unknown, "krs = [\"KR9.9\"]"));
    assert!(stderr(&output).contains(&expected) && stderr(&output).contains("KR9.9"), "{}", stderr(&output));

    let (start, end) = item_table(&text, 1);
    let points = format!("{}{}{}", &text[..start], text[start..end].replace("\npoints = 5\n", "\npoints = 500\n"), &text[end..]);
    std::fs::write(&file, &points).expect("write");
    let output = quarterdeck(&board, &["import", file.to_str().expect("path"), "--replace"]);
    let expected = format!("plan.toml:{}:1:", line_of(&points, "\npoints = 500") + 1);
    assert!(stderr(&output).contains(&expected) && stderr(&output).contains("500"), "{}", stderr(&output));

    assert_eq!(std::fs::read(&board).expect("board bytes"), before, "the board file is unchanged, byte for byte");
}

#[test]
fn check_on_a_plan_file_exits_0_when_rules_hold_and_1_naming_the_rule() {
    let (_dir, board) = demo_board();
    let file = export_to(&board, "plan.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    // The same rules and the same output as on the board itself.
    let on_board = quarterdeck(&board, &["check"]);
    let on_file = quarterdeck(&board, &["check", file.to_str().expect("path")]);
    assert_eq!(on_file.status.code(), on_board.status.code());
    assert_eq!(String::from_utf8_lossy(&on_file.stdout), String::from_utf8_lossy(&on_board.stdout));
    let json_of = |args: &[&str]| -> Value {
        let output = quarterdeck(&board, args);
        serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("JSON: {}", stderr(&output)))
    };
    assert_eq!(json_of(&["check", file.to_str().expect("path"), "--json"]), json_of(&["check", "--json"]));

    // Sprint 4's capacity far under its load breaks M5 or M7-like rules:
    // whichever warns, it is named and the exit code is 1.
    let overloaded = text.replace("\ncapacity = ", "\ncapacity = 1\n#");
    std::fs::write(&file, &overloaded).expect("write");
    let output = quarterdeck(&board, &["check", file.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stdout));
    let said = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(said.lines().any(|line| line.starts_with('M') && line.contains("warn")), "{said}");
    let warned = quarterdeck(&board, &["check", file.to_str().expect("path"), "--warn-only"]);
    assert_eq!(warned.status.code(), Some(0));

    let broken = quarterdeck(&board, &["check", board.with_file_name("missing.toml").to_str().expect("path")]);
    assert_eq!(broken.status.code(), Some(1));
    std::fs::write(&file, "[quarter]\nlabel = \"Q\"\nstart = 3\n").expect("write");
    let broken = quarterdeck(&board, &["check", file.to_str().expect("path")]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(stderr(&broken).contains("plan.toml:3:9"), "{}", stderr(&broken));
}

#[test]
fn an_import_is_one_step_that_undo_takes_back() {
    let (_dir, board) = demo_board();
    let file = export_to(&board, "plan.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replacen("title = \"Make checkout effortless\"", "title = \"Changed\"", 1)).expect("write");
    stdout(&quarterdeck(&board, &["import", file.to_str().expect("path"), "--replace"]));
    assert_eq!(json(&board, &["list", "objectives"])[0]["title"], "Changed");
    let mut store = quarterdeck::store::Store::open(&board).expect("open");
    let undone = store.undo().expect("undo").expect("a step");
    assert!(undone.contains("Imported plan.toml"), "{undone}");
    drop(store);
    assert_eq!(json(&board, &["list", "objectives"])[0]["title"], "Make checkout effortless");
    assert_eq!(stdout(&quarterdeck(&board, &["export"])), text, "the board is as it was");
}

#[test]
fn an_id_another_quarter_has_is_refused_at_its_line_and_nothing_changes() {
    let (_dir, board) = demo_board();
    let file = export_to(&board, "plan.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    // Another quarter by its label and without its own id, yet bringing
    // the board's objects: a copy loaded beside them would share their ids.
    let quarter_id = text.lines().find(|line| line.starts_with("id = ")).expect("the quarter's id").to_owned();
    let copy = text.replacen(&format!("{quarter_id}\n"), "", 1).replacen("label = \"2026-Q4\"", "label = \"Copy\"", 1);
    std::fs::write(&file, &copy).expect("write");
    let before = std::fs::read(&board).expect("board bytes");
    let output = quarterdeck(&board, &["import", file.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(1));
    let objective_id = copy.find("[[objectives]]\nid = ").expect("objective") + "[[objectives]]\n".len();
    let line = copy[..objective_id].matches('\n').count() + 1;
    let said = stderr(&output);
    assert!(said.contains(&format!("plan.toml:{line}:1: objectives[0].id is")), "{said}");
    assert_eq!(std::fs::read(&board).expect("board bytes"), before);
}

/// `text` with the first line that starts `from` (after `after`, a line
/// that marks the table) made `to`, and that line's number.
fn with_line(text: &str, after: &str, from: &str, to: &str) -> (String, usize) {
    let table = text.find(after).unwrap_or_else(|| panic!("no {after}"));
    let at = table + text[table..].find(&format!("\n{from}")).unwrap_or_else(|| panic!("no {from} after {after}")) + 1;
    let end = at + text[at..].find('\n').expect("line end");
    (format!("{}{to}{}", &text[..at], &text[end..]), text[..at].matches('\n').count() + 1)
}

#[test]
fn a_wrong_value_in_a_plan_is_told_in_the_domain_s_words_for_every_kind_of_field() {
    let (_dir, board) = demo_board();
    let file = export_to(&board, "plan.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    let before = std::fs::read(&board).expect("board bytes");
    let cases: &[(&str, &str, &str, &str)] = &[
        // A date that names no day, in the words of the command line's --date.
        ("[quarter]", "start = ", "start = \"2027-02-31\"", "quarter.start: 2027-02-31 is not a day: February 2027 has 28 days"),
        ("[quarter]", "start = ", "start = 2027-01-04", "write the date in quotes, start = \"2027-01-04\""),
        ("[quarter]", "state = ", "state = \"running\"", "quarter.state is \"running\": write draft, open or closed"),
        // A KR's numbers.
        (
            "[[objectives.key_results]]",
            "target = ",
            "target = \"twenty\"",
            "target is \"twenty\": target is a number, e.g. target = 20",
        ),
        (
            "[[objectives.key_results]]",
            "current = ",
            "current = \"1,5\"",
            "\"1,5\" is not a number: write decimals with a point, 1.5",
        ),
        (
            "[[objectives.key_results]]",
            "confidence = ",
            "confidence = 170",
            "objectives[0].key_results[0].confidence: 170 is not a confidence: write a percentage from 0 to 100",
        ),
        ("[[objectives.key_results.check_ins]]", "confidence = ", "confidence = 300", "300 is not a confidence"),
        (
            "[[objectives.key_results.check_ins]]",
            "date = ",
            "date = \"2027-04-31\"",
            "2027-04-31 is not a day: April 2027 has 30 days",
        ),
        // An item's fields.
        ("[[items]]", "points = ", "points = -8", "items[0].points: -8: points cannot be negative: between 0 and 100 points"),
        (
            "[[items]]",
            "points = ",
            "points = 200",
            "items[0].points: 200 is not an estimate: points are a whole number from 0 to 100",
        ),
        ("[[items]]", "points = ", "points = \"5\"", "in quotes: write the number without them, points = 5"),
        ("[[items]]", "kind = ", "kind = \"epic\"", "items[0].kind is \"epic\": write story, bug, chore or spike"),
        ("[[items]]", "sprint = ", "sprint = \"S1\"", "items[0].sprint is \"S1\": sprint is a whole number"),
        ("[[items]]", "krs = ", "krs = \"KR1.1\"", "krs is a list, in square brackets: krs = [\"KR1.1\"]"),
        ("[[items]]", "title = ", "title = 42", "items[0].title is 42: title is text, in quotes"),
        // A sprint's, a member's.
        ("[[sprints]]", "capacity = ", "capacity = -20", "sprints[0].capacity: -20: capacity cannot be negative"),
        ("[[sprints]]", "capacity = ", "capacity = 1000", "1000 is not a capacity: write a whole number of points from 0 to 999"),
        ("[[sprints]]", "state = ", "state = \"open\"", "sprints[0].state is \"open\": write planned, active or closed"),
        ("[[team]]", "focus_factor = ", "focus_factor = 300", "team[0].focus_factor: 300 is not a focus factor"),
        ("[[team]]", "days_off = ", "days_off = [\"two\"]", "team[0].days_off[0] is \"two\": days_off is a number"),
    ];
    for (table, from, to, message) in cases {
        let (broken, line) = with_line(&text, table, from, to);
        std::fs::write(&file, &broken).expect("write");
        let output = quarterdeck(&board, &["import", file.to_str().expect("path"), "--replace"]);
        let said = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{to}: {said}");
        assert!(said.contains(&format!("plan.toml:{line}:")), "{to}: at line {line}: {said}");
        assert!(said.contains(message), "{to}: {said}");
        for serde_words in ["invalid type", "invalid value", "expected u32", "expected f64", "out of range"] {
            assert!(!said.contains(serde_words), "{to}: serde's words: {said}");
        }
    }
    assert_eq!(std::fs::read(&board).expect("board bytes"), before, "the board file is unchanged, byte for byte");
}

/// A small quarter written by hand: six sprints (S1 closed, with its
/// commitment and record), items #1 to #4, one member.
const SIX_SPRINTS: &str = include_str!("fixtures/six_sprints.toml");

/// A new board holding [`SIX_SPRINTS`], imported from `six.toml` beside it.
fn six_sprint_board() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let board = dir.path().join("board.sqlite3");
    let file = dir.path().join("six.toml");
    std::fs::write(&file, SIX_SPRINTS).expect("write");
    stdout(&quarterdeck(&board, &["import", file.to_str().expect("path")]));
    (dir, board, file)
}

/// Each `(from, to)` made in [`SIX_SPRINTS`] is refused by `import
/// --replace` and by `check FILE`, at the line of the last `at` and with
/// `message`, and the board file stays as it was, byte for byte.
fn each_is_refused(cases: &[(&str, &str, &str, &str)]) {
    each_is_refused_in(SIX_SPRINTS, cases);
}

/// [`each_is_refused`], with each change made in `plan`.
fn each_is_refused_in(plan: &str, cases: &[(&str, &str, &str, &str)]) {
    let (_dir, board, file) = six_sprint_board();
    let before = std::fs::read(&board).expect("board bytes");
    for (from, to, at, message) in cases {
        assert!(plan.contains(from), "no {from}");
        let broken = plan.replacen(from, to, 1);
        let line = broken[..broken.rfind(at).unwrap_or_else(|| panic!("no {at}"))].matches('\n').count() + 1;
        std::fs::write(&file, &broken).expect("write");
        for args in [vec!["import", file.to_str().expect("path"), "--replace"], vec!["check", file.to_str().expect("path")]] {
            let output = quarterdeck(&board, &args);
            let said = stderr(&output);
            assert_eq!(output.status.code(), Some(1), "{to}: {said}");
            assert!(said.contains(&format!("six.toml:{line}:")), "{to}: at line {line}: {said}");
            assert!(said.contains(message), "{to}: {said}");
            assert!(!said.contains("constraint"), "{to}: the database's words: {said}");
        }
    }
    assert_eq!(std::fs::read(&board).expect("board bytes"), before, "the board file is unchanged, byte for byte");
}

#[test]
fn references_to_what_the_plan_lacks_are_refused_at_their_lines() {
    each_is_refused(&[
        (
            "carried_to = \"S2\"",
            "carried_to = \"S9\"",
            "carried_to",
            "sprints[0].record[0].carried_to is \"S9\": write a sprint of this plan (S1 to S6), top or bottom",
        ),
        ("carried_to = \"S2\"", "carried_to = \"elsewhere\"", "carried_to", "carried_to is \"elsewhere\": write a sprint"),
        (
            "[[sprints.record]]\nitem = 1",
            "[[sprints.record]]\nitem = 42",
            "item = 42",
            "sprints[0].record[0].item is 42, but no item of the plan has number 42",
        ),
        (
            "[[sprints.commitment]]\nitem = 1",
            "[[sprints.commitment]]\nitem = 77",
            "item = 77",
            "sprints[0].commitment[0].item is 77, but no item of the plan has number 77",
        ),
    ]);
}

#[test]
fn values_that_contradict_each_other_are_refused_naming_both() {
    each_is_refused(&[
        (
            "state = \"done\"",
            "state = \"todo\"",
            "done_on",
            "items[3].done_on is 2026-07-10, but items[3].state is todo: done_on is only for a done item",
        ),
        (
            "weeks = 2\ncapacity = 21",
            "weeks = 2\nend = \"2026-08-02\"\ncapacity = 21",
            "end = ",
            "sprints[1].end is 2026-08-02 and sprints[1].weeks is 2: end is in place of weeks",
        ),
        (
            "closed_on = \"2026-07-17\"",
            "closed_on = \"2026-07-01\"",
            "closed_on",
            "sprints[0].closed_on is 2026-07-01, before started_on, 2026-07-06",
        ),
        (
            "capacity = 21",
            "capacity = 21\nstate = \"planned\"\nstarted_on = \"2026-07-20\"",
            "started_on = \"2026-07-20\"",
            "sprints[1].started_on is 2026-07-20, but sprints[1].state is planned",
        ),
        (
            "capacity = 21",
            "capacity = 21\nstate = \"planned\"\nclosed_on = \"2026-07-31\"",
            "closed_on = \"2026-07-31\"",
            "sprints[1].closed_on is 2026-07-31, but sprints[1].state is planned",
        ),
        (
            "[quarter]",
            "item_numbers_used = 1\n\n[quarter]",
            "item_numbers_used",
            "item_numbers_used is 1, but items[3].number is 4: write at least the highest item number, item_numbers_used = 4",
        ),
    ]);
}

#[test]
fn what_the_board_keeps_once_is_refused_twice_before_the_database_sees_it() {
    each_is_refused(&[
        ("number = 2", "number = 1", "number = 1\n", "items[1].number is 1, which items[0] has too"),
        (
            "krs = [\"KR1.1\"]\nstate",
            "krs = [\"KR1.1\", \"KR1.1\"]\nstate",
            "KR1.1\", \"KR1.1",
            "sprints[0].krs names KR1.1 twice",
        ),
        ("krs = [\"KR1.1\"]\n\n", "krs = [\"KR1.1\", \"KR1.1\"]\n\n", "KR1.1\", \"KR1.1", "items[0].krs names KR1.1 twice"),
        (
            "[[sprints.record]]\nitem = 1",
            "[[sprints.record]]\nitem = 1\ntitle = \"A\"\npoints = 3\ncommitted = true\noutcome = \"done\"\n\n[[sprints.record]]\nitem = 1",
            "item = 1\ntitle = \"A\"\npoints = 3\ncommitted",
            "sprints[0].record[1].item is 1, which sprints[0].record[0] names too",
        ),
    ]);
}

#[test]
fn a_table_field_written_as_a_value_is_told_to_write_its_table() {
    let without_team = SIX_SPRINTS.replacen("[[team]]\nname = \"Ann\"\n", "", 1);
    each_is_refused_in(
        &without_team,
        &[
            (
                "[quarter]",
                "team = [\"Ann\", \"Ann\"]\n\n[quarter]",
                "team = ",
                "team[0] is \"Ann\": team is a list of tables, one per entry: write [[team]] on a line of its own with name = \"Ann\"",
            ),
            ("[quarter]", "team = \"Ann\"\n\n[quarter]", "team = ", "team is \"Ann\": team is a list of tables"),
        ],
    );
}

#[test]
fn a_plan_s_advice_and_the_links_it_leaves_out_are_warning_lines_of_the_import() {
    let dir = tempfile::tempdir().expect("temp dir");
    let board = dir.path().join("board.sqlite3");
    let file = dir.path().join("six.toml");
    let elsewhere = "0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b";
    let text = SIX_SPRINTS
        .replacen(
            "confidence = 60\n",
            "confidence = 60\n\n[[objectives.key_results.check_ins]]\ndate = \"2099-12-07\"\nvalue = 10\nconfidence = 60\n",
            1,
        )
        .replacen("title = \"Grow the community\"", &format!("title = \"Grow the community\"\nparent_id = \"{elsewhere}\""), 1)
        .replacen("title = \"B\"", &format!("title = \"B\"\nother_krs = [\"{elsewhere}\"]"), 1);
    std::fs::write(&file, &text).expect("write");
    let checked = quarterdeck(&board, &["check", file.to_str().expect("path")]);
    assert!(
        stderr(&checked).contains("warning: KR1.1: the check-in is dated 2099-12-07, outside 2026-Q3 (2026-07-06 to 2026-09-27)"),
        "{}",
        stderr(&checked)
    );
    let said = stdout(&quarterdeck(&board, &["import", file.to_str().expect("path")]));
    for line in [
        "warning: KR1.1: the check-in is dated 2099-12-07, outside 2026-Q3 (2026-07-06 to 2026-09-27)",
        &format!("warning: objectives[0].parent_id {elsewhere} is an objective neither this board nor the plan has"),
        &format!("warning: items[1].other_krs names {elsewhere}, a key result neither this board nor the plan has"),
    ] {
        assert!(said.lines().any(|said| said.starts_with(line)), "{line}\n{said}");
    }
}

/// Two members may share a name (two Alexes), as the board allows: a plan
/// the board exports must import, so the file does not refuse it either.
#[test]
fn two_team_members_may_share_a_name_as_on_the_board() {
    let (_dir, board, file) = six_sprint_board();
    let twice = SIX_SPRINTS.replacen("[[team]]\nname = \"Ann\"\n", "[[team]]\nname = \"Ann\"\n\n[[team]]\nname = \"Ann\"\n", 1);
    assert_ne!(twice, SIX_SPRINTS, "the fixture has a member named Ann");
    std::fs::write(&file, &twice).expect("write");
    let output = quarterdeck(&board, &["import", file.to_str().expect("path"), "--replace"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let exported = stdout(&quarterdeck(&board, &["export"]));
    assert_eq!(exported.matches("name = \"Ann\"").count(), 2, "{exported}");
}
