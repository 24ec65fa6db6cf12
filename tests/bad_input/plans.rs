//! Plan files (`quarterdeck import FILE`, docs/plan-format.md) and the
//! settings and keymap files: each mistake is refused with exit code 1 at
//! its file, line and column, naming the field and what to write, and the
//! board file and its folder stay byte-identical.

use std::fs;

use super::harness::{Folder, Screen, assert_message, assert_unchanged};

/// A plan the board takes: each case below breaks one thing in it. Line
/// numbers in the cases count from here.
const PLAN: &str = r#"[quarter]
label = "2027-Q1"
start = "2027-01-04"

[[objectives]]
title = "Make checkout effortless"

[[objectives.key_results]]
title = "Checkout conversion"
unit = "%"
start = 12.0
target = 20.0
current = 12.0
confidence = 50

[[sprints]]
weeks = 2
goal = "One-click payment"
krs = ["KR1.1"]
capacity = 20

[[sprints]]
weeks = 2
goal = "Guest checkout"
krs = ["KR1.1"]
capacity = 20

[[items]]
title = "Pay with a saved card"
points = 5
krs = ["KR1.1"]
"#;

/// `PLAN` with `from` (which must be in it) replaced by `to`, imported into
/// a demo board: refused with exit 1 naming each of `names`, nothing
/// changed.
fn refused_plan(from: &str, to: &str, names: &[&str]) {
    assert!(PLAN.contains(from), "the case edits {from:?}, which the plan does not have");
    refused_plan_bytes(PLAN.replacen(from, to, 1).as_bytes(), names);
}

fn refused_plan_bytes(plan: &[u8], names: &[&str]) {
    let folder = Folder::new();
    let board = folder.demo_board();
    fs::write(folder.file("plan.toml"), plan).unwrap();
    let before = folder.snapshot();
    let plan_path = folder.file("plan.toml");
    let ran = folder.run(&board, &["import", &plan_path.to_string_lossy()]);
    assert_eq!(ran.code, Some(1), "{}", ran.all());
    assert_message(&ran.stderr, names, &[], "import");
    assert_unchanged(&folder, &before, "import");
}

/// The plan as given imports: so each case fails for its one change.
pub fn the_plan_the_cases_break_imports() {
    let folder = Folder::new();
    let board = folder.demo_board();
    fs::write(folder.file("plan.toml"), PLAN).unwrap();
    let ran = folder.run(&board, &["import", &folder.file("plan.toml").to_string_lossy()]);
    assert_eq!(ran.code, Some(0), "{}", ran.all());
}

pub fn plan_syntax_error() {
    refused_plan(r#"title = "Make checkout effortless""#, r#"title = "Make checkout effortless"#, &["plan.toml:6:", "expected"]);
}

pub fn plan_unknown_key() {
    refused_plan("capacity = 20\n\n[[sprints]]", "capacty = 20\n\n[[sprints]]", &["plan.toml:20:1", "capacty", "capacity"]);
}

pub fn plan_wrong_type() {
    refused_plan("points = 5", "points = \"five\"", &["plan.toml:30:10", "items[0].points", "\"five\""]);
}

pub fn plan_impossible_date() {
    refused_plan(
        "start = \"2027-01-04\"",
        "start = \"2027-02-31\"",
        &["plan.toml:3:9", "quarter.start", "2027-02-31", "28 days"],
    );
}

pub fn plan_sprint_ending_before_it_starts() {
    refused_plan(
        "weeks = 2\ngoal = \"One-click payment\"",
        "start = \"2027-01-10\"\nend = \"2027-01-05\"\ngoal = \"One-click payment\"",
        &["plan.toml:16:1", "sprints[0]", "later end date"],
    );
}

pub fn plan_overlapping_sprints() {
    refused_plan(
        "weeks = 2\ngoal = \"Guest checkout\"",
        "start = \"2027-01-10\"\nweeks = 2\ngoal = \"Guest checkout\"",
        &["plan.toml:22:1", "sprints[1]", "Overlaps Sprint 1"],
    );
}

pub fn plan_kr_start_equals_target() {
    refused_plan("target = 20.0", "target = 12.0", &["plan.toml:8:1", "key_results[0]", "start and target", "M9"]);
}

pub fn plan_negative_points() {
    refused_plan("points = 5", "points = -5", &["plan.toml:30:10", "items[0].points", "negative"]);
}

pub fn plan_duplicate_codes() {
    refused_plan(
        "krs = [\"KR1.1\"]\n",
        "krs = [\"KR1.1\", \"KR1.1\"]\n",
        &["plan.toml:19:1", "sprints[0].krs names KR1.1 twice"],
    );
}

pub fn plan_duplicate_item_numbers() {
    refused_plan(
        "points = 5\n",
        "points = 5\nnumber = 7\n\n[[items]]\ntitle = \"Guest checkout\"\nnumber = 7\n",
        &["plan.toml:", "items[1].number is 7", "items[0] has too"],
    );
}

pub fn plan_dangling_code() {
    refused_plan("points = 5\nkrs = [\"KR1.1\"]", "points = 5\nkrs = [\"KR9.9\"]", &["plan.toml:31:", "items[0].krs", "KR9.9"]);
}

pub fn plan_not_utf8() {
    let mut plan = PLAN.as_bytes().to_vec();
    let at = PLAN.find("Pay with").unwrap();
    plan.splice(at..at, *b"Caf\xe9 ");
    refused_plan_bytes(&plan, &["plan.toml", "line 29, column 13 is not UTF-8", "save the file as UTF-8"]);
}

/// A refused plan on a path with no board makes no board: the folder stays
/// empty but for the plan.
pub fn plan_refused_on_a_new_board_path_makes_no_file() {
    let folder = Folder::new();
    fs::write(folder.file("plan.toml"), PLAN.replacen("points = 5", "points = -5", 1)).unwrap();
    let before = folder.snapshot();
    let ran = folder.run(&folder.file("board.sqlite3"), &["import", &folder.file("plan.toml").to_string_lossy()]);
    assert_eq!(ran.code, Some(1), "{}", ran.all());
    assert_message(&ran.stderr, &["plan.toml:30:10", "negative"], &[], "import");
    assert_unchanged(&folder, &before, "a refused import on a new board path");
}

/// A settings or keymap file with `text`: the board (in a terminal) and the
/// presentation exit 1 naming the file, its line and column, and where the
/// right spellings are; nothing is written.
fn refused_config(name: &str, text: &[u8], names: &[&str]) {
    let folder = Folder::new();
    let board = folder.demo_board();
    folder.config_file(name, text);
    let before = folder.snapshot();
    let ran = folder.run(&board, &["present"]);
    assert_eq!(ran.code, Some(1), "present: {}", ran.all());
    assert_message(&ran.stderr, &[name], names, "present");
    assert_unchanged(&folder, &before, "present");
    let mut screen = Screen::start(&folder, &board, &[], (100, 30), &[]);
    assert_eq!(screen.wait_exit(), 1, "the board: {}", screen.raw_text());
    assert_message(&screen.raw_text(), &[name], names, "the board");
    assert_unchanged(&folder, &before, "the board");
}

pub fn settings_syntax_error() {
    refused_config("config.toml", b"mouse = tru\n", &["line 1, column 9", "config --default"]);
}

pub fn settings_unknown_key() {
    refused_config("config.toml", b"mous = true\n", &["line 1, column 1", "mous", "config --default"]);
}

pub fn settings_wrong_type() {
    refused_config("config.toml", b"mouse = \"yes\"\n", &["line 1, column 9", "boolean", "config --default"]);
}

pub fn settings_not_utf8() {
    refused_config(
        "config.toml",
        b"theme = \"d\xe9faut\"\n",
        &["line 1, column 11 is not UTF-8", "save the file as UTF-8", "config --default"],
    );
}

pub fn keymap_syntax_error() {
    refused_config("keymap.toml", b"[board]\nquit = [\"q\"\n", &["line 2", "README"]);
}

pub fn keymap_unknown_key() {
    refused_config("keymap.toml", b"[board]\nqit = [\"q\"]\n", &["line 2, column 1", "qit", "README"]);
}

pub fn keymap_wrong_type() {
    refused_config("keymap.toml", b"[board]\nquit = 5\n", &["line 2, column 8", "README"]);
}
