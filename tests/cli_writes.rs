//! The command line's writes, run as a user runs them: the real binary on
//! temporary boards. Each write is one `ops::apply`; bad input is named
//! and changes nothing; a write beside another writer waits, then lands.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use common::folder_files;
use serde_json::Value;

mod common;

const TODAY: &str = "2027-01-04";

fn quarterdeck(board: &Path, args: &[&str]) -> Output {
    common::run_cli(board, TODAY, args)
}

/// Runs a command that must succeed; its stdout.
fn ok(board: &Path, args: &[&str]) -> String {
    let output = quarterdeck(board, args);
    assert!(output.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8")
}

fn json(board: &Path, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.push("--json");
    serde_json::from_str(&ok(board, &args)).expect("JSON")
}

fn new_board() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let board = dir.path().join("board.sqlite3");
    (dir, board)
}

/// A quarter with O1, KR1.1 and two items (#1 tagged, #2 BAU).
fn small_board() -> (tempfile::TempDir, PathBuf) {
    let (dir, board) = new_board();
    ok(&board, &["init", "--label", "2027-Q1", "--start", TODAY, "--sprints", "6", "--weeks", "2"]);
    ok(&board, &["add", "objective", "Make checkout effortless", "--owner", "Priya"]);
    ok(&board, &["add", "kr", "O1", "Checkout conversion", "--unit", "%", "--start", "12", "--target", "20"]);
    ok(&board, &["add", "item", "One-click payment", "--points", "5", "--kr", "KR1.1"]);
    ok(&board, &["add", "item", "Fix VAT rounding", "--points", "2", "--kind", "bug"]);
    (dir, board)
}

#[test]
fn a_new_user_builds_a_quarter_from_the_shell_alone() {
    let (_dir, board) = new_board();
    let init = ok(&board, &["init", "--label", "2027-Q1", "--start", TODAY, "--sprints", "6", "--weeks", "2"]);
    assert!(init.starts_with("Started quarter 2027-Q1: 6 sprints of 2 weeks from 2027-01-04"), "{init}");
    let objective = ok(&board, &["add", "objective", "Make checkout effortless", "--owner", "Priya"]);
    assert!(objective.starts_with("Added O1 Make checkout effortless\n"), "{objective}");
    assert!(objective.contains("warning: O1: no key result"), "the method's advice: {objective}");
    let kr = json(
        &board,
        &["add", "kr", "O1", "Checkout conversion", "--unit", "%", "--start", "12", "--target", "20", "--confidence", "70"],
    );
    assert_eq!(kr["ref"], "KR1.1");
    let item = json(&board, &["add", "item", "One-click payment", "--points", "5", "--kr", "KR1.1"]);
    assert_eq!(item["ref"], "#1");
    let bau = ok(&board, &["add", "item", "Fix VAT rounding", "--points", "2", "--kind", "bug"]);
    assert!(bau.contains("warning: #2 moves no KR: it is BAU"), "{bau}");
    ok(&board, &["edit", "S1", "--goal", "Buyers pay in one click", "--capacity", "6"]);
    assert_eq!(ok(&board, &["tag", "S1", "KR1.1"]), "S1 in 2027-Q1 serves KR1.1 in 2027-Q1\n");
    for item in ["#1", "#2"] {
        ok(&board, &["move", item, "--sprint", "S1"]);
    }
    let over = ok(&board, &["move", "#1", "--sprint", "S1"]);
    assert!(over.contains("warning: S1: Over capacity: 7 of 6"), "{over}");
    ok(&board, &["sprint", "start", "S1"]);
    assert_eq!(ok(&board, &["state", "#1", "done"]), "#1 is done\n");
    let checkin = ok(&board, &["checkin", "KR1.1", "13.5", "--confidence", "60", "--note", "One-click for 10 %"]);
    assert!(checkin.contains("confidence dropped from 70 % to 60 %"), "{checkin}");
    let close = ok(&board, &["sprint", "close", "S1"]);
    assert!(close.starts_with("Closed S1 in 2027-Q1; 1 unfinished item went to S2 in 2027-Q1"), "{close}");
    ok(&board, &["retro", "S1", "--went-well", "Pairing on the payment flow"]);
    ok(&board, &["retro", "S1", "--okr", "KR1.1 moved"]);
    assert_eq!(ok(&board, &["undo"]), "Undone: Added a retro note to S1 in 2027-Q1\n");

    let items: Vec<Value> = serde_json::from_str(&ok(&board, &["list", "items", "--json"])).expect("JSON");
    let shown: Vec<(String, String, Value)> = items
        .iter()
        .map(|item| {
            (
                item["ref"].as_str().unwrap_or("").to_owned(),
                item["state"].as_str().unwrap_or("").to_owned(),
                item["sprint"].clone(),
            )
        })
        .collect();
    assert_eq!(shown, [("#1".into(), "done".into(), Value::from("S1")), ("#2".into(), "todo".into(), Value::from("S2"))]);
    let krs: Vec<Value> = serde_json::from_str(&ok(&board, &["list", "krs", "--json"])).expect("JSON");
    assert_eq!((krs[0]["current"].as_f64(), krs[0]["confidence"].as_u64()), (Some(13.5), Some(60)));
    let check = json(&board, &["check", "--warn-only"]);
    assert_eq!(check["quarter"], "2027-Q1");
    let show = ok(&board, &["show", "S1"]);
    assert!(show.contains("closed"), "{show}");
}

#[test]
fn every_write_answers_help_with_an_example() {
    let (_dir, board) = new_board();
    let commands: [&[&str]; 17] = [
        &["init"],
        &["add", "objective"],
        &["add", "kr"],
        &["add", "item"],
        &["add", "sprint"],
        &["edit"],
        &["tag"],
        &["move"],
        &["state"],
        &["checkin"],
        &["sprint", "start"],
        &["sprint", "close"],
        &["retro"],
        &["undo"],
        &["redo"],
        &["add"],
        &["sprint"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let help = ok(&board, &args);
        let needs_example = !matches!(command, ["add"] | ["sprint"]);
        assert!(!needs_example || help.contains("Example"), "{command:?}: {help}");
    }
    assert!(!board.exists(), "help opens no board");
}

#[test]
fn bad_input_exits_1_naming_the_argument_and_changes_nothing() {
    let (dir, board) = small_board();
    let before = folder_files(dir.path());
    let cases: [(&[&str], &str); 19] = [
        (&["add", "item", "Big", "--points", "500"], "--points: 500 is not an estimate: points are a whole number from 0 to 100"),
        // A leading minus reaches the domain's parse, not clap's "unexpected argument".
        (&["add", "item", "Less", "--points", "-3"], "--points: -3: points cannot be negative: between 0 and 100 points"),
        (&["edit", "#1", "--points", "-1"], "--points: -1: points cannot be negative"),
        (&["edit", "S1", "--capacity", "-20"], "--capacity: -20: capacity cannot be negative"),
        (&["add", "sprint", "--weeks", "-2"], "--weeks: -2: weeks cannot be negative: between 1 and 4 weeks"),
        (&["init", "--label", "2027-Q2", "--start", TODAY, "--sprints", "-6"], "--sprints: -6: sprints cannot be negative"),
        (&["checkin", "KR1.1", "15", "--confidence", "-5"], "--confidence: -5: confidence cannot be negative"),
        (&["add", "item", "  "], "TITLE: Title: give it a few words"),
        (&["add", "item", "Tagged", "--kr", "O1"], "--kr O1: that is O1 in 2027-Q1, not a key result"),
        (&["add", "kr", "O1", "Churn", "--unit", "%", "--start", "5", "--target", "5"], "--target: M9: the target must differ"),
        (&["add", "kr", "O9", "Churn", "--unit", "%", "--start", "5", "--target", "3"], "OBJECTIVE O9: no O9 in 2027-Q1"),
        (&["checkin", "KR1.1", "1,5"], "VALUE: \"1,5\" is not a number: write decimals with a point, 1.5"),
        (
            &["checkin", "KR1.1", "15", "--confidence", "150"],
            "--confidence: 150 is not a confidence: write a percentage from 0 to 100",
        ),
        (&["checkin", "KR1.1", "15", "--date", "2027-02-30"], "--date: 2027-02-30 is not a day"),
        (
            &["checkin", "KR1.1", "15", "--date", "2027-03-01"],
            "--date: A check-in records a reading taken: 2027-01-04 or earlier",
        ),
        (&["edit", "#1", "--target", "30"], "--target does not apply to #1 (an item)"),
        (&["move", "#1", "--rank", "middle"], "--rank middle: write top, bottom, or after REF"),
        (&["sprint", "close", "S1"], "never started"),
        (&["init", "--label", "2027-Q2", "--start", TODAY], "the board already runs 2027-Q1"),
    ];
    for (args, message) in cases {
        let output = quarterdeck(&board, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.starts_with("quarterdeck: ") && stderr.contains(message), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    let unknown = quarterdeck(&board, &["state", "#1", "finished"]);
    assert_eq!(unknown.status.code(), Some(1), "clap's own errors are user errors too");
    assert_eq!(folder_files(dir.path()), before, "nothing was written");
}

#[test]
fn a_kr_value_may_be_negative_and_a_single_point_is_singular() {
    let (_dir, board) = small_board();
    let kr = ok(&board, &["add", "kr", "O1", "Net margin", "--unit", "%", "--start", "-4", "--target", "2"]);
    assert!(kr.starts_with("Added KR1.2"), "{kr}");
    ok(&board, &["edit", "KR1.2", "--start", "-5", "--target", "-1"]);
    ok(&board, &["checkin", "KR1.2", "-3.5", "--confidence", "60"]);
    let one = ok(&board, &["add", "item", "Tiny fix", "--points", "1"]);
    assert!(one.starts_with("Added #3 Tiny fix (story, 1 point)\n"), "{one}");
    let init = ok(&new_board().1, &["init", "--label", "2027-Q1", "--start", TODAY, "--sprints", "1", "--weeks", "1"]);
    assert!(init.starts_with("Started quarter 2027-Q1: 1 sprint of 1 week from"), "{init}");
}

#[test]
fn a_read_of_a_missing_board_says_how_to_make_one_from_the_shell() {
    let (_dir, board) = new_board();
    let output = quarterdeck(&board, &["list", "items"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("there is no board at"), "{stderr}");
    // The commands name the board, so that pasted they make this one (#18 second trial).
    let (init, import) =
        (format!("quarterdeck --db {} init", board.display()), format!("quarterdeck --db {} import FILE", board.display()));
    assert!(stderr.contains(&init) && stderr.contains(&import), "{stderr}");
    let write = quarterdeck(&board, &["add", "item", "Export CSV"]);
    assert!(String::from_utf8_lossy(&write.stderr).contains(&import), "{write:?}");
    assert!(!board.exists());
}

#[test]
fn starting_a_closed_sprint_says_it_is_closed_without_guessing_why() {
    let (_dir, board) = small_board();
    ok(&board, &["sprint", "start", "S1"]);
    ok(&board, &["sprint", "close", "S1"]);
    let output = quarterdeck(&board, &["sprint", "start", "S1"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Sprint 1 is closed already; nothing was written"), "{stderr}");
    assert!(!stderr.contains("another window"), "the store does not guess a cause: {stderr}");
}

#[test]
fn a_board_that_cannot_be_opened_exits_2_and_no_write_creates_one() {
    let (dir, board) = new_board();
    let output = quarterdeck(&board, &["add", "item", "Export CSV"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no board at"), "{output:?}");
    assert!(!board.exists(), "only init makes a board");
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "not a board").expect("written");
    let output = quarterdeck(&junk, &["state", "#1", "done"]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(std::fs::read(&junk).expect("still there"), b"not a board");
}

#[test]
fn edit_tag_move_and_rank_change_what_they_name() {
    let (_dir, board) = small_board();
    ok(&board, &["edit", "#2", "--title", "Fix VAT rounding on Swiss invoices", "--points", "3", "--kind", "chore"]);
    let item = json(&board, &["show", "#2"]);
    assert_eq!(
        (item["title"].as_str(), item["points"].as_u64(), item["kind"].as_str()),
        (Some("Fix VAT rounding on Swiss invoices"), Some(3), Some("chore"))
    );
    ok(&board, &["edit", "KR1.1", "--target", "30", "--owner", "Marco"]);
    let kr = json(&board, &["show", "KR1.1"]);
    assert_eq!((kr["target"].as_f64(), kr["owner"].as_str()), (Some(30.0), Some("Marco")));
    ok(&board, &["edit", "O1", "--title", "Checkout is effortless"]);
    ok(&board, &["edit", "S3", "--goal", "Checkout loads in under 1.8 s", "--capacity", "20"]);
    let sprint = json(&board, &["show", "S3"]);
    assert_eq!((sprint["goal"].as_str(), sprint["capacity"].as_u64()), (Some("Checkout loads in under 1.8 s"), Some(20)));

    assert_eq!(ok(&board, &["tag", "#2", "KR1.1"]), "#2 moves KR1.1 in 2027-Q1\n");
    let untagged = ok(&board, &["tag", "#2", "KR1.1", "--remove"]);
    assert!(untagged.starts_with("#2 moves no KR (BAU)\nwarning: #2 moves no KR"), "{untagged}");

    ok(&board, &["add", "item", "Saved cards", "--points", "3"]);
    ok(&board, &["move", "#3", "--rank", "top"]);
    ok(&board, &["move", "#1", "--rank", "after", "#2"]);
    let order = |board: &Path| -> Vec<String> {
        let items: Vec<Value> = serde_json::from_str(&ok(board, &["list", "items", "--json"])).expect("JSON");
        items.iter().map(|item| item["ref"].as_str().unwrap_or("").to_owned()).collect()
    };
    assert_eq!(order(&board), ["#3", "#2", "#1"]);
    ok(&board, &["move", "#3", "--rank", "bottom"]);
    assert_eq!(order(&board), ["#2", "#1", "#3"]);
    ok(&board, &["move", "#1", "--sprint", "S2"]);
    ok(&board, &["move", "#1", "--backlog"]);
    assert_eq!(json(&board, &["show", "#1"])["sprint"], Value::Null);
    ok(&board, &["undo"]);
    assert_eq!(json(&board, &["show", "#1"])["sprint"], "S2", "undo takes the last command back");
    ok(&board, &["redo"]);
    assert_eq!(json(&board, &["show", "#1"])["sprint"], Value::Null);

    let sprint = json(&board, &["add", "sprint", "--weeks", "3", "--goal", "Buyers keep their cards"]);
    assert_eq!(sprint["ref"], "S7");
    let added = json(&board, &["show", "S7"]);
    assert_eq!((added["start"].as_str(), added["end"].as_str()), (Some("2027-03-29"), Some("2027-04-18")));
}

#[test]
fn write_json_gives_the_reference_id_summary_and_warnings() {
    let (_dir, board) = small_board();
    let added = json(&board, &["add", "item", "Export CSV", "--points", "3"]);
    let keys: Vec<&str> = added.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["id", "ref", "summary", "warnings"], "(in JSON's key order)");
    assert_eq!(added["ref"], "#3");
    let id = added["id"].as_str().expect("id");
    assert_eq!(json(&board, &["show", id])["ref"], "#3", "the id reads back");
    assert!(added["warnings"][0].as_str().is_some_and(|warning| warning.starts_with("#3 moves no KR")));
    let state = json(&board, &["state", "#3", "doing"]);
    assert_eq!((&state["ref"], &state["id"], &state["warnings"]), (&Value::Null, &Value::Null, &Value::Array(Vec::new())));
}

#[test]
fn a_write_beside_another_writer_waits_for_the_lock_then_lands() {
    let (_dir, board) = small_board();
    let holder = rusqlite::Connection::open(&board).expect("open");
    holder.execute_batch("BEGIN IMMEDIATE").expect("lock held");
    let mut child = Command::new(env!("CARGO_BIN_EXE_quarterdeck"))
        .args(["state", "#1", "doing", "--db"])
        .arg(&board)
        .args(["--today", TODAY])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    // A write takes milliseconds: still running after a second means it
    // is waiting for the lock, not done nor failed.
    let held_since = Instant::now();
    while held_since.elapsed() < Duration::from_secs(1) {
        assert!(child.try_wait().expect("status").is_none(), "the write did not wait for the lock");
        std::thread::yield_now();
    }
    holder.execute_batch("COMMIT").expect("lock released");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("status") {
            break status;
        }
        assert!(Instant::now() < deadline, "the write never landed");
        std::thread::yield_now();
    };
    let output = child.wait_with_output().expect("output");
    assert!(status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "#1 is doing\n");
    assert_eq!(json(&board, &["show", "#1"])["state"], "doing");
}

#[test]
fn an_open_board_shows_a_write_made_from_the_shell_and_loses_nothing() {
    let (_dir, board) = new_board();
    drop(common::demo_store(&board));
    let mut app = common::app_at(&board, 160, 48);
    let day = common::today().to_string();
    let added = common::run_cli(&board, &day, &["add", "item", "Written from the shell", "--points", "3", "--json"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let added: Value = serde_json::from_slice(&added.stdout).expect("JSON");
    let reference = added["ref"].as_str().expect("a reference").to_owned();
    let moved = common::run_cli(&board, &day, &["move", &reference, "--rank", "top"]);
    assert!(moved.status.success(), "{}", String::from_utf8_lossy(&moved.stderr));
    assert!(app.poll_external_changes().expect("polled"), "the board saw the file change");
    let screen = common::render(&app);
    assert!(screen.contains("Written from the shell"), "{screen}");
    // The board's own edit after it lands beside the shell's.
    common::keys(&mut app, "3gs");
    let items: Vec<Value> =
        serde_json::from_slice(&common::run_cli(&board, &day, &["list", "items", "--json"]).stdout).expect("JSON");
    assert_eq!(items[0]["ref"].as_str(), Some(reference.as_str()), "the shell's item is at the top");
    assert_eq!(items[0]["state"], "doing", "the board's key acted on it: nothing lost");
}

#[test]
fn a_check_in_outside_the_quarter_and_a_sprint_started_before_its_dates_are_said_not_refused() {
    let (_dir, board) = small_board();
    let old = ok(&board, &["checkin", "KR1.1", "14", "--date", "2020-01-01"]);
    assert!(
        old.contains("warning: the check-in is dated 2020-01-01, outside 2027-Q1 (2027-01-04 to 2027-03-28)"),
        "the method advises: {old}"
    );
    let inside = ok(&board, &["checkin", "KR1.1", "15"]);
    assert!(!inside.contains("outside"), "{inside}");
    let early = common::run_cli(&board, "2026-12-07", &["sprint", "start", "S1"]);
    let said = String::from_utf8_lossy(&early.stdout);
    assert!(early.status.success(), "{early:?}");
    assert!(said.starts_with("Started S1 in 2027-Q1 on 2026-12-07"), "{said}");
    assert!(said.contains("warning: S1 is dated 2027-01-04 to 2027-01-17: started 28 days before its first day"), "{said}");
    let on_time = ok(&board, &["sprint", "close", "S1"]);
    assert!(!on_time.contains("is dated"), "{on_time}");
}

/// The board's store on `board`, as an open window holds it.
fn open_window(board: &Path) -> quarterdeck::store::Store {
    quarterdeck::store::Store::open(board).expect("opened")
}

fn sprint_id(store: &quarterdeck::store::Store, number: u32) -> i64 {
    let board = store.load_board().expect("read").expect("a quarter");
    board.sprints.iter().find(|sprint| sprint.number == number).expect("the sprint").id
}

#[test]
fn undoing_a_boards_start_after_the_shell_closed_the_sprint_is_refused_and_changes_nothing() {
    let (_dir, board) = small_board();
    let mut window = open_window(&board);
    let s1 = sprint_id(&window, 1);
    ok(&board, &["move", "#1", "--sprint", "S1"]);
    window.start_sprint(s1, chrono::NaiveDate::from_ymd_opt(2027, 1, 5).expect("a day"), "Started S1").expect("started");
    ok(&board, &["state", "#1", "done"]);
    ok(&board, &["sprint", "close", "S1"]);
    let before = folder_files(board.parent().expect("a folder"));
    let refused = window.undo().expect_err("refused");
    assert!(matches!(refused, quarterdeck::store::StoreError::SprintChangedSince { sprint: 1, closed: true }), "{refused:?}");
    assert_eq!(refused.to_string(), "S1 was closed since (elsewhere): undo its close first; nothing was changed");
    assert_eq!(folder_files(board.parent().expect("a folder")), before, "nothing changed");
    let shown = json(&board, &["show", "S1"]);
    assert_eq!(shown["state"], "closed");
    assert_eq!(shown["started_on"], "2027-01-05", "{shown}");
}

#[test]
fn undoing_the_shells_start_after_the_board_closed_the_sprint_is_refused_and_changes_nothing() {
    let (_dir, board) = small_board();
    ok(&board, &["move", "#1", "--sprint", "S1"]);
    ok(&board, &["sprint", "start", "S1"]);
    let mut window = open_window(&board);
    let s1 = sprint_id(&window, 1);
    window.close_sprint(s1, common::today(), &[], "Closed S1").expect("closed");
    drop(window);
    let before = folder_files(board.parent().expect("a folder"));
    let output = quarterdeck(&board, &["undo"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("S1 was closed since (elsewhere): undo its close first; nothing was changed"), "{stderr}");
    assert_eq!(folder_files(board.parent().expect("a folder")), before, "nothing changed");
    let shown = json(&board, &["show", "S1"]);
    assert_eq!((shown["state"].as_str(), shown["started_on"].as_str()), (Some("closed"), Some(TODAY)), "{shown}");
}

#[test]
fn closing_a_closed_sprint_says_it_is_closed_already() {
    let (_dir, board) = small_board();
    ok(&board, &["sprint", "start", "S1"]);
    ok(&board, &["sprint", "close", "S1"]);
    let output = quarterdeck(&board, &["sprint", "close", "S1"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Sprint 1 is closed already; nothing was written"), "{stderr}");
    assert!(!stderr.contains("no longer on the board"), "{stderr}");
    let never = quarterdeck(&board, &["sprint", "close", "S2"]);
    assert!(String::from_utf8_lossy(&never.stderr).contains("Sprint 2 was never started"), "{never:?}");
}

#[test]
fn a_retro_notes_error_names_the_flag_typed() {
    let (_dir, board) = small_board();
    for flag in ["--went-well", "--to-improve", "--okr"] {
        let output = quarterdeck(&board, &["retro", "S1", flag, ""]);
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("{flag}: Write the note")), "{stderr}");
        assert!(!stderr.contains("--note"), "no such flag: {stderr}");
    }
    let long = "x".repeat(300);
    let output = quarterdeck(&board, &["retro", "S1", "--to-improve", &long]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("--note") && !stderr.contains("TITLE"), "{stderr}");
}

#[test]
fn a_board_that_cannot_be_opened_exits_2_for_every_subcommand() {
    let (_dir, board) = new_board();
    let commands: [&[&str]; 8] = [
        &["present"],
        &["export"],
        &["check"],
        &["review", "S1"],
        &["show", "S1"],
        &["list", "items"],
        &["state", "#1", "done"],
        &["sprint", "start", "S1"],
    ];
    for args in commands {
        let output = quarterdeck(&board, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        assert!(!board.exists(), "{args:?} made no board");
    }
}

#[test]
fn a_board_with_no_quarter_names_every_way_to_make_one() {
    let (_dir, board) = new_board();
    drop(open_window(&board));
    let commands: [&[&str]; 4] = [&["list", "items"], &["check"], &["export"], &["add", "objective", "Make checkout effortless"]];
    for args in commands {
        let output = quarterdeck(&board, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        for way in
            ["quarterdeck init --label L --start DATE --sprints N --weeks N", "quarterdeck import FILE", "quarterdeck demo"]
        {
            assert!(stderr.contains(way), "{args:?} names {way}: {stderr}");
        }
    }
}

#[test]
fn the_command_lines_help_names_no_board_key_and_the_manual_says_where_the_keymap_lives() {
    let (_dir, board) = new_board();
    for command in ["check", "review"] {
        let help = ok(&board, &[command, "--help"]);
        assert!(!help.contains("(H)") && !help.contains("(r)"), "a keymap may rebind these: {help}");
    }
    let page = ok(&board, &["man"]);
    assert!(!page.contains("(H)") && !page.contains("(r)"), "no board key in the manual");
    assert!(page.contains("$XDG_CONFIG_HOME/quarterdeck/") && page.contains("keymap.toml"), "where the keymap lives");
}

#[test]
fn starting_a_sprint_out_of_order_is_said_not_refused() {
    let (_dir, board) = small_board();
    ok(&board, &["sprint", "start", "S1"]);
    ok(&board, &["sprint", "close", "S1"]);
    let skipped = ok(&board, &["sprint", "start", "S3"]);
    assert!(skipped.starts_with("Started S3"), "the method advises, never blocks: {skipped}");
    assert!(skipped.contains("warning: S2 has not started yet: sprints run in order, S3 after it"), "{skipped}");
    let running = ok(&board, &["sprint", "start", "S2"]);
    assert!(!running.contains("S1 is not closed") && !running.contains("has not started"), "S1 is closed: {running}");
    let later = ok(&board, &["sprint", "start", "S4"]);
    assert!(
        later.contains("warning: S2 is not closed: close it first if its unfinished items should be part of S4's commitment"),
        "{later}"
    );
}

#[test]
fn undoing_a_close_whose_carried_items_a_later_start_committed_to_is_refused() {
    let (_dir, board) = small_board();
    ok(&board, &["move", "#1", "--sprint", "S1"]);
    let mut window = open_window(&board);
    let (s1, s2) = (sprint_id(&window, 1), sprint_id(&window, 2));
    window.start_sprint(s1, common::today(), "Started S1").expect("started");
    let carry = [(1, quarterdeck::store::CarryTo::Sprint(s2))];
    window.close_sprint(s1, common::today(), &carry, "Closed S1").expect("closed");
    ok(&board, &["sprint", "start", "S2"]);
    let before = folder_files(board.parent().expect("a folder"));
    let refused = window.undo().expect_err("refused");
    assert_eq!(refused.to_string(), "S2 was started since (elsewhere): undo its start first; nothing was changed");
    assert_eq!(folder_files(board.parent().expect("a folder")), before, "nothing changed");
    ok(&board, &["undo"]);
    assert!(window.undo().expect("undone").is_some_and(|label| label.starts_with("Closed S1")), "then the close goes");
}

/// Untrusted text never reaches the terminal raw: a title with an escape
/// sequence comes back in the summary, the advice and an error cleaned, as
/// the board draws it (`␛`), never as the escape itself.
#[test]
fn a_title_with_escapes_is_printed_cleaned_in_summaries_warnings_and_errors() {
    let (_dir, board) = small_board();
    let added = ok(&board, &["add", "item", "\u{1b}[31mRed\u{1b}[0m"]);
    assert!(!added.contains('\u{1b}'), "{added:?}");
    assert!(added.contains("␛[31mRed"), "{added:?}");
    let refused = quarterdeck(&board, &["show", "\u{1b}[2J"]);
    let said = String::from_utf8(refused.stderr).expect("utf-8");
    assert_eq!(refused.status.code(), Some(1), "{said}");
    assert!(!said.contains('\u{1b}'), "{said:?}");
}
