//! `quarterdeck import --from` on the demo board, as the second cold trial
//! of issue #17 used it, with its Jira export
//! (tests/fixtures/import/board/trial_jira.csv): each finding of that trial
//! as a test that failed before its fix.

use std::path::Path;

use serde_json::Value;

mod common;

const TODAY: &str = "2026-12-07";

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/import/board/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn ok_on(board: &Path, today: &str, args: &[&str]) -> String {
    common::success_stdout(&common::run_cli(board, today, args))
}

fn fails_on(board: &Path, today: &str, args: &[&str]) -> String {
    let output = common::run_cli(board, today, args);
    assert_eq!(output.status.code(), Some(1), "{args:?} should fail: {}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8(output.stderr).expect("utf-8")
}

const TRIAL_FLAGS: [&str; 8] =
    ["--state-map", "In Review=doing", "--map", "checkout=KR1.2", "--map", "payments=KR1.3", "--sprint-map", "Team Sprint 14=S3"];

/// `import --from jira-csv FILE` with the trial's flags and `more`.
fn import_trial(board: &Path, today: &str, file: &str, more: &[&str]) -> String {
    let file = fixture(file);
    let mut args = vec!["import", "--from", "jira-csv", file.as_str()];
    args.extend(TRIAL_FLAGS);
    args.extend(more);
    ok_on(board, today, &args)
}

fn items(board: &Path) -> Vec<Value> {
    let listed: Value = serde_json::from_str(&ok_on(board, TODAY, &["list", "items", "--json"])).expect("JSON");
    listed.as_array().expect("an array").clone()
}

fn by_key<'a>(items: &'a [Value], key: &str) -> &'a Value {
    items.iter().find(|item| item["external"]["key"] == key).unwrap_or_else(|| panic!("{key} on the board: {items:?}"))
}

#[test]
fn closing_a_sprint_carries_imported_items_on_without_counting_as_an_edit() {
    let (_dir, board) = common::demo_board_file(TODAY);
    import_trial(&board, TODAY, "trial_jira.csv", &[]);
    let again = import_trial(&board, TODAY, "trial_jira.csv", &[]);
    assert!(again.contains("5 unchanged"), "{again}");
    let closed = ok_on(&board, "2026-12-20", &["sprint", "close", "S3"]);
    assert!(closed.contains("went to S4"), "{closed}");
    let after = import_trial(&board, "2026-12-21", "trial_jira.csv", &[]);
    assert!(!after.contains("changed on the board"), "a carry-over is no edit: {after}");
    assert!(after.contains("0 created, 0 updated, 5 unchanged"), "{after}");
    // The file's Team Sprint 14 is closed S3 now: the item stays in S4.
    assert_eq!(by_key(&items(&board), "CHK-101")["sprint"], "S4");
    // An edit on the board after the carry-over is still an edit.
    let bundle = by_key(&items(&board), "CHK-101")["ref"].as_str().expect("ref").to_owned();
    ok_on(&board, "2026-12-21", &["edit", &bundle, "--title", "Bundle (board)"]);
    let edited = import_trial(&board, "2026-12-21", "trial_jira.csv", &[]);
    // Named with its line of the file, in plain output and in JSON.
    assert!(edited.contains(&format!("skipped: line 2 {bundle} CHK-101 changed on the board since the last import")), "{edited}");
    let json: Value = serde_json::from_str(&import_trial(&board, "2026-12-21", "trial_jira.csv", &["--json"])).expect("JSON");
    let kept = json["skipped"].as_array().expect("skipped").iter().find(|skipped| skipped["key"] == "CHK-101").expect("CHK-101");
    assert_eq!((kept["line"].as_u64(), kept["reason"].as_str()), (Some(2), Some("edited on the board")), "{json}");
}

/// A Jira file of `rows` under a small header, in `dir`.
fn jira_file(dir: &Path, name: &str, rows: &[&str]) -> String {
    let path = dir.join(name);
    let mut text = "Issue key,Summary,Status,Resolved,Labels,Sprint,Custom field (Story Points)\n".to_owned();
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    std::fs::write(&path, text).expect("file written");
    path.to_string_lossy().into_owned()
}

/// `import --from jira-csv FILE ARGS…` as of `today`, which must succeed.
fn import_file(board: &Path, today: &str, file: &str, args: &[&str]) -> String {
    let mut all = vec!["import", "--from", "jira-csv", file];
    all.extend(args);
    ok_on(board, today, &all)
}

#[test]
fn a_done_date_after_today_becomes_today_with_one_warning_naming_the_rows() {
    let (dir, board) = common::demo_board_file(TODAY);
    let file = jira_file(
        dir.path(),
        "future.csv",
        &[
            "DONE-1,Shipped next year,Done,12/Dec/27 3:05 PM,,,1",
            "DONE-2,Shipped in January,Done,2027-01-05 10:00,,,1",
            "DONE-3,Shipped last week,Done,30/Nov/26 9:00 AM,,,1",
        ],
    );
    let said = import_file(&board, TODAY, &file, &[]);
    assert!(
        said.contains(
            "warning: a done date later than today: 2 items (line 2 DONE-1, line 3 DONE-2): done on 2026-12-07 (today) instead"
        ),
        "{said}"
    );
    let listed = items(&board);
    let done_on = |key: &str| {
        let shown = ok_on(&board, TODAY, &["show", by_key(&listed, key)["ref"].as_str().expect("ref"), "--json"]);
        serde_json::from_str::<Value>(&shown).expect("JSON")["done_on"].clone()
    };
    assert_eq!(done_on("DONE-1"), "2026-12-07");
    assert_eq!(done_on("DONE-2"), "2026-12-07");
    assert_eq!(done_on("DONE-3"), "2026-11-30");
}

#[test]
fn a_map_label_no_row_carries_is_said_after_the_import_and_the_dry_run() {
    let (_dir, board) = common::demo_board_file(TODAY);
    for dry_run in [&["--dry-run"][..], &[]] {
        let mut more = vec!["--map", "nosuchlabel=KR1.2"];
        more.extend(dry_run);
        let said = import_trial(&board, TODAY, "trial_jira.csv", &more);
        assert!(said.contains("warning: --map \"nosuchlabel=KR1.2\": no row has the label nosuchlabel"), "{said}");
        assert!(!said.contains("no row has the label checkout"), "checkout is on rows: {said}");
    }
}

#[test]
fn a_recurring_tasks_template_is_skipped_and_counted_and_its_instances_imported() {
    let (dir, board) = common::demo_board_file(TODAY);
    let tasks = dir.path().join("recurring.json");
    std::fs::write(
        &tasks,
        concat!(
            r#"{"description": "Water the plants", "status": "recurring", "recur": "weekly", "mask": "--", "uuid": "aaaaaaaa-0000-4000-8000-000000000001", "entry": "20261101T090000Z"}"#,
            "\n",
            r#"{"description": "Water the plants", "status": "pending", "recur": "weekly", "imask": 1, "parent": "aaaaaaaa-0000-4000-8000-000000000001", "uuid": "aaaaaaaa-0000-4000-8000-000000000002", "entry": "20261201T090000Z"}"#,
            "\n",
        ),
    )
    .expect("file written");
    let file = tasks.to_string_lossy().into_owned();
    let said = ok_on(&board, TODAY, &["import", "--from", "taskwarrior", &file]);
    assert!(
        said.contains(
            "skipped: line 1 aaaaaaaa-0000-4000-8000-000000000001 \"Water the plants\": a recurring task's template: its instances are imported"
        ),
        "{said}"
    );
    assert!(said.contains("1 created, 0 updated, 0 unchanged, 1 skipped (1 recurring template)"), "{said}");
    let listed = items(&board);
    assert_eq!(listed.iter().filter(|item| item["title"] == "Water the plants").count(), 1, "no duplicate");
}

#[test]
fn a_key_on_two_rows_is_said_and_counted_once() {
    let (dir, board) = common::demo_board_file(TODAY);
    let file = jira_file(dir.path(), "dup.csv", &["DUP-1,First,To Do,,,,1", "DUP-1,Second,Done,,,,1"]);
    let said = import_file(&board, TODAY, &file, &[]);
    assert!(said.contains("warning: DUP-1 is on lines 2 and 3: the later row is kept"), "{said}");
    assert!(said.contains("1 created, 0 updated, 0 unchanged"), "{said}");
    assert!(
        said.contains(
            "warning: 1 item written moves no KR: it is BAU (business as usual); map its labels to KRs with --map LABEL=KR1.2, or tag it on the board"
        ),
        "BAU counted once, said of one: {said}"
    );
    assert_eq!(by_key(&items(&board), "DUP-1")["title"], "Second");
}

#[test]
fn repeated_flags_that_disagree_fail_naming_both_and_the_same_value_twice_is_fine() {
    let (_dir, board) = common::demo_board_file(TODAY);
    let file = fixture("trial_jira.csv");
    let before = std::fs::read(&board).expect("board");
    let base = ["import", "--from", "jira-csv", file.as_str()];
    let states = [&base[..], &["--state-map", "In Review=doing", "--state-map", "in review=done"]].concat();
    let error = fails_on(&board, TODAY, &states);
    assert!(
        error.contains("--state-map \"In Review=doing\" and --state-map \"in review=done\"")
            && error.contains("nothing was changed"),
        "{error}"
    );
    let sprints = [
        &base[..],
        &["--state-map", "In Review=doing", "--sprint-map", "Team Sprint 14=S3", "--sprint-map", "team sprint 14=S4"],
    ]
    .concat();
    let error = fails_on(&board, TODAY, &sprints);
    assert!(error.contains("--sprint-map \"Team Sprint 14=S3\" and --sprint-map \"team sprint 14=S4\""), "{error}");
    assert_eq!(std::fs::read(&board).expect("board"), before, "nothing changed");
    let same = [
        &base[..],
        &["--state-map", "In Review=doing", "--state-map", "in review=Doing", "--sprint-map", "Team Sprint 14=S3"],
        &["--sprint-map", "team sprint 14=S3", "--dry-run"],
    ]
    .concat();
    ok_on(&board, TODAY, &same);
}

#[test]
fn a_sprint_map_to_a_closed_sprint_is_said_once_for_the_flag_proposing_the_first_open_sprint() {
    let (_dir, board) = common::demo_board_file(TODAY);
    let file = fixture("trial_jira.csv");
    let base = ["import", "--from", "jira-csv", file.as_str(), "--state-map", "In Review=doing"];
    // First into S3, so the items are in a sprint when the flag names closed S1.
    ok_on(&board, TODAY, &[&base[..], &["--sprint-map", "Team Sprint 14=S3"]].concat());
    for (what, more) in [("planned items", &[][..]), ("a dry run", &["--dry-run"][..])] {
        let said = ok_on(&board, TODAY, &[&base[..], &["--sprint-map", "Team Sprint 14=S1"], more].concat());
        let flag: Vec<&str> =
            said.lines().filter(|line| line.contains("--sprint-map \"Team Sprint 14=S1\": S1 is closed")).collect();
        assert_eq!(flag.len(), 1, "{what}: {said}");
        assert!(flag[0].contains("such as --sprint-map \"Team Sprint 14=S3\""), "{what}: {said}");
    }
    // New items: the flag's advice says where they stay, once.
    let (_dir, fresh) = common::demo_board_file(TODAY);
    let said = ok_on(&fresh, TODAY, &[&base[..], &["--sprint-map", "Team Sprint 14=S1"]].concat());
    assert_eq!(said.matches("S1 is closed").count(), 1, "once, of the flag: {said}");
    assert!(said.contains("--sprint-map \"Team Sprint 14=S1\": S1 is closed"), "{said}");
    assert!(said.contains("new items stay in the backlog"), "{said}");
    assert!(said.contains("such as --sprint-map \"Team Sprint 14=S3\""), "{said}");
}

#[test]
fn a_negative_estimate_says_points_cannot_be_negative_and_changes_nothing() {
    let (dir, board) = common::demo_board_file(TODAY);
    let before = std::fs::read(&board).expect("board");
    let file = jira_file(dir.path(), "negative.csv", &["NEG-1,Minus four,To Do,,,,-4"]);
    let error = fails_on(&board, TODAY, &["import", "--from", "jira-csv", &file]);
    assert!(
        error.contains(
            "line 2, column Custom field (Story Points): `-4` is below zero: points cannot be negative; write 0 or more, such as 3"
        ),
        "{error}"
    );
    let tasks = dir.path().join("negative.json");
    std::fs::write(
        &tasks,
        r#"{"description": "Minus four", "status": "pending", "uuid": "bbbbbbbb-0000-4000-8000-000000000001", "estimate": -4}"#,
    )
    .expect("file written");
    let error = fails_on(&board, TODAY, &["import", "--from", "taskwarrior", &tasks.to_string_lossy()]);
    assert!(error.contains("`-4` is below zero: points cannot be negative"), "{error}");
    assert_eq!(std::fs::read(&board).expect("board"), before, "nothing changed");
}

#[test]
fn a_file_of_another_tool_is_said_as_a_statement_not_a_question() {
    let (dir, board) = common::demo_board_file(TODAY);
    let file = dir.path().join("other.csv");
    std::fs::write(&file, "Title,Key,State\nx,CHK-1,To Do\n").expect("file written");
    let error = fails_on(&board, TODAY, &["import", "--from", "jira-csv", &file.to_string_lossy()]);
    assert!(
        error.contains("line 1: no `Issue key` column, so this is not a Jira CSV export (all fields): export it again as one, or name the tool that made it with --from; nothing was changed"),
        "{error}"
    );
    assert!(!error.contains("?;"), "{error}");
}
