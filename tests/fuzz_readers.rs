//! Fuzzing the readers of files a user hands the board: the plan file, the
//! importers' CSV and JSON, the settings and the keymap. Each reader gets
//! real valid files mutated (bytes, lines, fields: `fuzz/mutate.rs`) and
//! files generated from structured values; whatever it gets, it answers
//! within a time bound, never panics, and every error names the file (or
//! the field) and, where the format has them, a line and column inside it.
//! tests/import_readers.rs mutates the import fixtures byte by byte; here
//! they also get whole lines and cells changed. docs/reliability.md,
//! "Fuzzing and properties", gives the case counts and the long run.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "fuzz/mutate.rs"]
mod mutate;

use std::path::{Path, PathBuf};

use mutate::{Mutation, line_count, mutated, mutation, within};
use proptest::{prelude::*, sample::Index};
use quarterdeck::{
    app::Keymap,
    config::Config,
    import::{Source, read},
    plan::{PlanFileError, read_plan_file},
    store::{Store, plan_to_toml},
};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

/// The demo's quarter as `quarterdeck export` writes it (ids, numbers,
/// records of closed sprints), made once.
fn exported_demo() -> &'static [u8] {
    static EXPORTED: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    EXPORTED.get_or_init(|| {
        let (_dir, path) = common::board_path();
        let store = common::demo_store(&path);
        let quarter = store.quarter_by_label(None).unwrap().expect("a quarter");
        plan_to_toml(&store.export_plan(quarter).unwrap()).unwrap().into_bytes()
    })
}

/// The plan files the mutations start from.
fn plan_seeds() -> Vec<Vec<u8>> {
    vec![fixture("assets/demo.toml"), exported_demo().to_vec(), fixture("tests/fixtures/six_sprints.toml")]
}

/// The chars of line `line` (1-based) of `bytes`, read as the reader reads
/// text; `None` when there is no such line.
fn chars_on_line(text: &str, line: usize) -> Option<usize> {
    text.split('\n').nth(line - 1).map(|line| line.chars().count())
}

/// Reads `bytes` as the plan file `plan.toml` (in a fresh folder) within the
/// time bound. A refusal must be a `PlanFileError` naming the file and a
/// line and column inside it (or, for bytes that are not UTF-8, a message
/// naming the file); a plan it accepts must go onto an empty board or be
/// refused there with a message, never a panic.
fn check_plan_file(bytes: Vec<u8>) -> Result<(), String> {
    within("reading a plan file", move || {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.toml");
        std::fs::write(&path, &bytes).unwrap();
        let shown = path.display().to_string();
        match read_plan_file(&path) {
            Ok((plan, _)) => {
                let mut store = Store::open(&dir.path().join("board.sqlite3")).unwrap();
                if let Err(error) = store.import_plan_file(&plan, common::today(), None, "import") {
                    let message = error.to_string();
                    if message.trim().is_empty() {
                        return Err("an accepted plan was refused by the store with an empty message".to_owned());
                    }
                }
                Ok(())
            }
            Err(error) => match (error.downcast_ref::<PlanFileError>(), std::str::from_utf8(&bytes)) {
                (Some(located), Ok(text)) => {
                    let lines = line_count(&bytes);
                    let on_line = chars_on_line(text, located.line);
                    if located.file != shown
                        || !(1..=lines).contains(&located.line)
                        || located.column == 0
                        || on_line.is_none_or(|chars| located.column > chars + 1)
                        || located.message.trim().is_empty()
                    {
                        return Err(format!("{located} (the file has {lines} lines; that line {on_line:?} chars)"));
                    }
                    Ok(())
                }
                (Some(located), Err(_)) => Err(format!("a located error in bytes that are not UTF-8: {located}")),
                (None, utf8) => {
                    let message = format!("{error:#}");
                    if utf8.is_ok() || !message.contains(&shown) || !message.contains("UTF-8") {
                        return Err(format!("not a located error: {message}"));
                    }
                    Ok(())
                }
            },
        }
    })
}

/// The contexts and actions of the built-in keymap, read from its file.
fn keymap_names() -> Vec<(String, String)> {
    let text = String::from_utf8(fixture("assets/keymap.toml")).unwrap();
    let mut context = String::new();
    let mut names = Vec::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
            context = name.to_owned();
        } else if let Some((action, _)) = line.split_once(" = ")
            && !line.starts_with('#')
        {
            names.push((context.clone(), action.trim().to_owned()));
        }
    }
    names
}

/// A TOML error names where it is: `line L, column C`, L within the text.
fn located_in_toml(message: &str, text: &str) -> bool {
    let Some(at) = message.find("at line ") else { return true };
    let line: usize = message[at + 8..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap_or(0);
    (1..=line_count(text.as_bytes())).contains(&line) && message[at..].contains("column ")
}

/// Reads `text` as the user's keymap `k.toml`: every refusal names the
/// file, and a TOML error its line and column.
fn check_keymap(text: String) -> Result<(), String> {
    within("reading a keymap", move || match Keymap::layered(Some((&text, "/home/u/k.toml"))) {
        Ok(keymap) => {
            // An accepted keymap answers for every key it names.
            let _ = keymap.bindings(quarterdeck::app::Context::Board).count();
            Ok(())
        }
        Err(error) => {
            let message = format!("{error:#}");
            if message.contains("/home/u/k.toml") && located_in_toml(&message, &text) { Ok(()) } else { Err(message) }
        }
    })
}

/// Reads `bytes` as the settings file `config.toml` through
/// `Config::load`, as the board does: every refusal names the file, and a
/// TOML error its line and column.
fn check_config(bytes: Vec<u8>) -> Result<(), String> {
    within("reading the settings", move || {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, &bytes).unwrap();
        match Config::load(&path) {
            Ok(_) => Ok(()),
            Err(error) => {
                let message = format!("{error:#}");
                let text = String::from_utf8_lossy(&bytes);
                if message.contains(&path.display().to_string()) && located_in_toml(&message, &text) {
                    Ok(())
                } else {
                    Err(message)
                }
            }
        }
    })
}

const IMPORT_SEEDS: &[(&str, Source)] = &[
    ("jira_all_fields.csv", Source::JiraCsv),
    ("jira_cloud_status_category.csv", Source::JiraCsv),
    ("linear_30_columns.csv", Source::LinearCsv),
    ("linear_34_columns.csv", Source::LinearCsv),
    ("taskwarrior_array.json", Source::Taskwarrior),
    ("taskwarrior.ndjson", Source::Taskwarrior),
];

/// Reads `bytes` as `source` to the end within the time bound: every item
/// and every error names a line inside the file, a named column is never
/// empty, and every message says something.
fn check_import(source: Source, bytes: Vec<u8>) -> Result<(), String> {
    within("reading an import", move || {
        let lines = line_count(&bytes);
        let results: Vec<_> = match read(source, bytes.as_slice()) {
            Ok(items) => items.collect(),
            Err(error) => vec![Err(error)],
        };
        for result in results {
            match result {
                Ok(item) if !(1..=lines).contains(&item.line) => return Err(format!("item on line {} of {lines}", item.line)),
                Ok(_) => {}
                Err(error) => {
                    let unnamed_column = error.column.as_ref().is_some_and(|column| column.trim().is_empty());
                    if !(1..=lines).contains(&error.line) || unnamed_column || error.message.trim().is_empty() {
                        return Err(format!("{source:?}: {error} (of {lines} lines)"));
                    }
                }
            }
        }
        Ok(())
    })
}

/// A small plan file from structured values, right or wrong: weeks,
/// capacities, points, confidences and dates in and out of range, KR codes
/// that exist or dangle, a sprint referring to one beyond the last.
fn generated_plan() -> impl Strategy<Value = String> {
    let date = prop_oneof![
        4 => (2026_i32..2028, 1_u32..13, 1_u32..29).prop_map(|(y, m, d)| format!("\"{y}-{m:02}-{d:02}\"")),
        1 => prop::sample::select(vec!["\"2027-02-30\"", "\"2026-13-45\"", "\"not a date\"", "20270104"]).prop_map(str::to_owned),
    ];
    let sprint = (-1_i64..5, -5_i64..200, prop::option::of(0_usize..6));
    let key_result = (-10.0_f64..200.0, -10.0_f64..200.0, any::<bool>(), -10_i64..120, prop::option::of(date.clone()));
    let objective = prop::collection::vec(key_result, 0..3);
    let item = (-3_i64..200, prop::option::of(0_usize..8), prop::collection::vec((1_usize..4, 1_usize..4), 0..3), 0_usize..4);
    (
        date,
        prop::collection::vec(sprint, 0..5),
        prop::collection::vec(objective, 0..3),
        prop::collection::vec(item, 0..8),
        prop::collection::vec((0_i64..120, prop::collection::vec(-2.0_f64..12.0, 0..4)), 0..3),
    )
        .prop_map(|(start, sprints, objectives, items, team)| {
            let mut text = format!("[quarter]\nlabel = \"2027-Q1\"\nstart = {start}\n");
            for (number, (o, key_results)) in objectives.iter().enumerate().map(|(o, krs)| (o + 1, (o, krs))) {
                text.push_str(&format!("\n[[objectives]]\ntitle = \"O{number}\"\nowner = \"Priya\"\n"));
                let _ = o;
                for (from, to, unit, confidence, check_in) in key_results {
                    let unit = if *unit { "%" } else { "" };
                    text.push_str(&format!(
                        "\n[[objectives.key_results]]\ntitle = \"KR\"\nunit = \"{unit}\"\nstart = {from:?}\ntarget = {to:?}\nconfidence = {confidence}\n"
                    ));
                    if let Some(date) = check_in {
                        text.push_str(&format!("check_ins = [{{ date = {date}, value = {to:?}, confidence = 50, note = \"n\" }}]\n"));
                    }
                }
            }
            for (weeks, capacity, focus) in &sprints {
                text.push_str(&format!("\n[[sprints]]\nweeks = {weeks}\ncapacity = {capacity}\ngoal = \"g\"\n"));
                if let Some(kr) = focus {
                    text.push_str(&format!("focus = \"KR1.{kr}\"\nkrs = [\"KR1.{kr}\"]\n"));
                }
            }
            for (focus, days_off) in &team {
                let days: Vec<String> = days_off.iter().map(|day| format!("{day:?}")).collect();
                text.push_str(&format!("\n[[team]]\nname = \"M\"\nfocus_factor = {focus}\ndays_off = [{}]\n", days.join(", ")));
            }
            for (points, sprint, krs, state) in &items {
                let state = ["todo", "doing", "done", "later"][*state];
                let krs: Vec<String> = krs.iter().map(|(o, k)| format!("\"KR{o}.{k}\"")).collect();
                text.push_str(&format!("\n[[items]]\ntitle = \"I\"\npoints = {points}\nstate = \"{state}\"\nkrs = [{}]\n", krs.join(", ")));
                if let Some(sprint) = sprint {
                    text.push_str(&format!("sprint = {sprint}\n"));
                }
            }
            text
        })
}

/// A keymap file from the real contexts and actions, each bound to keys
/// that are right, clashing, malformed or none.
fn generated_keymap() -> impl Strategy<Value = String> {
    let names = keymap_names();
    let key = prop::sample::select(vec![
        "q",
        "x",
        "ctrl-q",
        "alt-x",
        "shift-up",
        "enter",
        "esc",
        "f1",
        "ctrl-",
        "hyper-q",
        "",
        "ctrl-alt-shift-k",
        "é",
        "🇸🇪",
        "pagedown",
        "tab",
        "K",
        "space",
        "ctrl-c",
    ]);
    let binding = (prop::sample::select(names), prop::collection::vec(key, 0..3));
    prop::collection::vec(binding, 0..12).prop_map(|bindings| {
        let mut text = String::new();
        for ((context, action), keys) in bindings {
            let keys: Vec<String> = keys.iter().map(|key| format!("{key:?}")).collect();
            text.push_str(&format!("[{context}]\n{action} = [{}]\n", keys.join(", ")));
        }
        text
    })
}

/// A settings file of the two settings (and a stray one) with values right
/// and wrong.
fn generated_config() -> impl Strategy<Value = String> {
    let value =
        prop::sample::select(vec!["true", "false", "\"default\"", "\"light\"", "\"high-contrast\"", "\"neon\"", "1", "[]"]);
    prop::collection::vec((prop::sample::select(vec!["mouse", "theme", "mous", "colour"]), value), 0..4)
        .prop_map(|pairs| pairs.into_iter().map(|(key, value)| format!("{key} = {value}\n")).collect())
}

/// A Jira CSV from its header and rows of cells taken from odd values.
fn generated_jira() -> impl Strategy<Value = Vec<u8>> {
    let cell = prop_oneof![
        3 => "[a-zA-Z0-9 ,\"\n-]{0,12}",
        1 => prop::sample::select(vec!["01/Feb/27 10:00 AM", "2027-02-30", "-1", "1e999", "Done", "To Do", "\u{feff}", "\u{1b}[2J"]).prop_map(str::to_owned),
    ];
    prop::collection::vec(prop::collection::vec(cell, 0..10), 0..6).prop_map(|rows| {
        let seed = fixture("tests/fixtures/import/jira_all_fields.csv");
        let header = seed.split(|byte| *byte == b'\n').next().unwrap_or_default().to_vec();
        let mut out = header;
        for row in rows {
            out.push(b'\n');
            let cells: Vec<String> = row.iter().map(|cell| format!("\"{}\"", cell.replace('"', "\"\""))).collect();
            out.extend_from_slice(cells.join(",").as_bytes());
        }
        out
    })
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..6)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_mutated_plan_file_is_read_or_refused_at_its_line_and_column(seed in any::<Index>(), changes in mutations()) {
        let seeds = plan_seeds();
        let bytes = mutated(&seeds[seed.index(seeds.len())], &changes);
        check_plan_file(bytes).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn a_generated_plan_file_is_read_or_refused_at_its_line_and_column(text in generated_plan()) {
        check_plan_file(text.into_bytes()).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn a_mutated_import_is_read_or_refused_at_its_line(seed in 0..IMPORT_SEEDS.len(), changes in mutations(), as_other in any::<Index>()) {
        let (name, source) = IMPORT_SEEDS[seed];
        let bytes = mutated(&fixture(&format!("tests/fixtures/import/{name}")), &changes);
        check_import(source, bytes.clone()).map_err(TestCaseError::fail)?;
        // Another tool's reader on the same file must refuse it as plainly.
        let other = [Source::JiraCsv, Source::LinearCsv, Source::Taskwarrior][as_other.index(3)];
        check_import(other, bytes).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn a_generated_jira_export_is_read_or_refused_at_its_line(bytes in generated_jira()) {
        check_import(Source::JiraCsv, bytes.clone()).map_err(TestCaseError::fail)?;
        check_import(Source::LinearCsv, bytes).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn a_mutated_keymap_is_read_or_refused_naming_the_file(seed in any::<bool>(), changes in mutations()) {
        let base = if seed { fixture("assets/keymap.toml") } else { fixture("tests/fixtures/rebound_keymap.toml") };
        let text = String::from_utf8_lossy(&mutated(&base, &changes)).into_owned();
        check_keymap(text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn a_generated_keymap_is_read_or_refused_naming_the_file(text in generated_keymap()) {
        check_keymap(text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn mutated_settings_are_read_or_refused_naming_the_file(changes in mutations()) {
        let bytes = mutated(quarterdeck::config::DEFAULT_CONFIG.as_bytes(), &changes);
        check_config(bytes).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn generated_settings_are_read_or_refused_naming_the_file(text in generated_config()) {
        check_config(text.into_bytes()).map_err(TestCaseError::fail)?;
    }
}

/// The seeds themselves are valid: a mutation is what makes a case wrong.
#[test]
fn every_seed_reads_cleanly() {
    for seed in plan_seeds() {
        let dir = tempfile::tempdir().unwrap();
        let path: &Path = &dir.path().join("plan.toml");
        std::fs::write(path, seed).unwrap();
        read_plan_file(path).unwrap_or_else(|error| panic!("{error:#}"));
    }
    Keymap::layered(Some((&String::from_utf8(fixture("tests/fixtures/rebound_keymap.toml")).unwrap(), "k.toml"))).unwrap();
    Config::parse(quarterdeck::config::DEFAULT_CONFIG, "c.toml").unwrap();
    for (name, source) in IMPORT_SEEDS {
        let bytes = fixture(&format!("tests/fixtures/import/{name}"));
        assert!(read(*source, bytes.as_slice()).unwrap().all(|item| item.is_ok()), "{name}");
    }
}
