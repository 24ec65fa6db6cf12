//! Criterion benchmarks of whole syncs (issue 19) on a 10,000-item board
//! tied to a local bare repository, through `sync::sync` with the real git:
//!
//! - `up_to_date_10000`: a sync with nothing changed on either side
//!   (budget: under 300 ms plus git's own time);
//! - `git_only_up_to_date`: the stand-in that does only git: the same git
//!   commands that sync runs (read from `GIT_TRACE` of one), replayed;
//! - `merge_100_each_10000`: this board changed 100 items and the other
//!   laptop 100 others: the sync that commits, fetches, merges, imports and
//!   pushes (budget: under 1 s). Git's share of it is printed from
//!   `GIT_TRACE_PERFORMANCE` before the bench runs.
//!
//! Results: docs/benchmarks.md, "Sync".

#![allow(clippy::unwrap_used)]

mod common;

use std::{
    hint::black_box,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use common::{board, today};
use criterion::{Criterion, criterion_group, criterion_main};
use quarterdeck::{
    domain::{ids::ItemId, values::Points},
    ops::{self, Command as Op, ItemEdit},
    store::Store,
    sync::{self, InitOptions, Options, Outcome},
};

const ITEMS: usize = 10_000;
const CHANGED: i64 = 100;

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git").arg("-C").arg(dir).args(args).output().unwrap();
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn options(path: &Path) -> Options {
    Options { side: None, prompts: false, today: today(), board: path.to_owned() }
}

/// A board named `name` (10,000 items, or none to join), tied to
/// `remote`, its clone given an identity of its own (the bench sets no
/// environment).
fn tied(name: &str, remote: &Path, items: bool) -> (Store, PathBuf) {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-sync").join(format!("{name}.sqlite3"));
    if items {
        std::fs::rename(board(ITEMS), &path).unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let init = InitOptions { target: remote.display().to_string(), branch: None, dir: None };
    let report = sync::init(&mut store, &init, &options(&path));
    assert!(report.message.is_none() || report.outcome != Outcome::Failed, "{report:?}");
    let clone = PathBuf::from(format!("{}.sync", path.display()));
    git(&clone, &["config", "user.name", "Bench"]);
    git(&clone, &["config", "user.email", "bench@example.com"]);
    (store, path)
}

fn synced(store: &mut Store, path: &Path) -> Outcome {
    let report = sync::sync(store, &options(path));
    assert!(report.message.is_none(), "{report:?}");
    report.outcome
}

/// 100 items' points changed, spread over the backlog: this laptop the
/// even numbers (`parity` 0), the other the odd ones (1), so they never
/// change one field of one item (no conflict waits).
fn change_100(store: &mut Store, parity: i64, stride: i64, round: u32) {
    for n in 0..CHANGED {
        let half = ITEMS as i64 / 2;
        let item = ItemId(2 + 2 * ((n * stride + i64::from(round)) % half) - parity);
        let points = Points::parse(&((round + n as u32) % 13 + 1).to_string()).unwrap();
        let edit = ItemEdit { points: Some(points), ..ItemEdit::default() };
        ops::apply(store, &Op::EditItem { item, edit }, today()).unwrap();
    }
}

/// `quarterdeck sync` on `board` as a process, with git's `variable`
/// (`GIT_TRACE`, `GIT_TRACE_PERFORMANCE`) writing to `trace`: what it wrote.
fn traced_sync(board: &Path, variable: &str, trace: &Path) -> String {
    let _ = std::fs::remove_file(trace);
    let output = Command::new(env!("CARGO_BIN_EXE_quarterdeck"))
        .arg("--db")
        .arg(board)
        .args(["--today", &today().to_string(), "sync", "--json"])
        .env(variable, trace)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
    std::fs::read_to_string(trace).unwrap_or_default()
}

/// The top-level git commands of one sync, from `GIT_TRACE`: replayed by
/// the git-only stand-in.
fn git_commands_of_a_sync(path: &Path, trace: &Path) -> Vec<Vec<String>> {
    let text = traced_sync(path, "GIT_TRACE", trace);
    assert!(!text.is_empty(), "GIT_TRACE wrote nothing");
    let mut commands = vec![];
    let mut child = false;
    for line in text.lines() {
        if line.contains("trace: run_command:") {
            child = true;
        } else if let Some((_, command)) = line.split_once("trace: built-in: git ") {
            if !child {
                commands.push(command.split(' ').map(|word| word.trim_matches('\'').to_owned()).collect());
            }
            child = false;
        }
    }
    commands
}

/// Seconds git itself ran in one sync of `board` (`GIT_TRACE_PERFORMANCE`,
/// top-level commands only: a fetch's or push's helpers run inside it),
/// and how many commands.
fn git_seconds_of_sync(board: &Path, trace: &Path) -> (f64, usize) {
    let text = traced_sync(board, "GIT_TRACE_PERFORMANCE", trace);
    let helpers =
        ["upload-pack", "receive-pack", "rev-list --objects", "maintenance", "pack-objects", "index-pack", "unpack-objects"];
    let mut total = 0.0;
    let mut count = 0;
    for line in text.lines().filter(|line| line.contains("git command:")) {
        if helpers.iter().any(|helper| line.contains(helper)) {
            continue;
        }
        let seconds =
            line.split("performance: ").nth(1).and_then(|rest| rest.split(' ').next()).and_then(|s| s.parse::<f64>().ok());
        total += seconds.unwrap_or(0.0);
        count += 1;
    }
    (total, count)
}

fn sync_benches(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-sync");
    let _ = std::fs::remove_dir_all(&dir);
    // The other laptop joins with an empty board, as `sync init` tells it to.
    std::fs::create_dir_all(&dir).unwrap();
    let remote = dir.join("remote.git");
    git(&dir, &["init", "-q", "--bare", "--initial-branch=main", remote.to_str().unwrap()]);
    let (mut mine, mine_path) = tied("mine", &remote, true);
    assert_eq!(synced(&mut mine, &mine_path), Outcome::Sent);
    let (mut theirs, theirs_path) = tied("theirs", &remote, false);
    synced(&mut theirs, &theirs_path);
    assert_eq!(synced(&mut mine, &mine_path), Outcome::UpToDate);
    let clone = PathBuf::from(format!("{}.sync", mine_path.display()));
    let trace = dir.join("trace.txt");

    let mut group = c.benchmark_group("sync");
    group.sample_size(10);
    group.bench_function("up_to_date_10000", |b| {
        b.iter(|| assert_eq!(black_box(synced(&mut mine, &mine_path)), Outcome::UpToDate));
    });
    let commands = git_commands_of_a_sync(&mine_path, &trace);
    eprintln!("the git commands of an up-to-date sync: {}", commands.len());
    group.bench_function("git_only_up_to_date", |b| {
        b.iter(|| {
            for command in &commands {
                black_box(Command::new("git").current_dir(&clone).args(command).output().unwrap());
            }
        });
    });
    let (seconds, count) = git_seconds_of_sync(&mine_path, &trace);
    eprintln!("git's own time in an up-to-date sync: {:.1} ms in {count} commands", seconds * 1000.0);

    let mut round = 0;
    group.bench_function("merge_100_each_10000", |b| {
        b.iter_custom(|iterations| {
            let mut spent = Duration::ZERO;
            for _ in 0..iterations {
                round += 1;
                change_100(&mut theirs, 1, 89, round);
                assert_eq!(synced(&mut theirs, &theirs_path), Outcome::Sent);
                change_100(&mut mine, 0, 97, round);
                let started = Instant::now();
                assert_eq!(black_box(synced(&mut mine, &mine_path)), Outcome::Merged);
                spent += started.elapsed();
                synced(&mut theirs, &theirs_path);
            }
            spent
        });
    });
    group.finish();
    round += 1;
    change_100(&mut theirs, 1, 89, round);
    synced(&mut theirs, &theirs_path);
    change_100(&mut mine, 0, 97, round);
    drop(mine);
    let (seconds, count) = git_seconds_of_sync(&mine_path, &trace);
    eprintln!("git's own time in a merging sync of 100 changes each: {:.1} ms in {count} commands", seconds * 1000.0);
}

criterion_group!(benches, sync_benches);
criterion_main!(benches);
