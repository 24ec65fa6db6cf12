//! Issue 19, `sync.auto`: the board runs `sync fetch --json` as a child in
//! the background, never blocking a key, one at a time, and kills it when
//! it quits. The engine is stood in for by small shell scripts.

#![allow(clippy::unwrap_used)]

mod common;

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use common::{app_at, board_path, demo_store};
use quarterdeck::app::{App, background::BackgroundRun};

/// An executable shell script in `dir`.
fn stand_in(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A tied demo board whose fetch runs `script` every 10 ms.
fn tied_app(dir: &Path, script: &str) -> App {
    let path = dir.join("board.sqlite3");
    let mut store = demo_store(&path);
    store.set_sync_link("../remote.git", "/tmp/clone", "main", "quarterdeck").unwrap();
    drop(store);
    let mut app = app_at(&path, 80, 24);
    app.set_auto_fetch(Some(Duration::from_millis(10)));
    app.use_sync_program(stand_in(dir, "engine", script));
    app
}

/// Polls as the event loop does until `done`, failing after 10 s.
fn poll_until(app: &mut App, done: impl Fn(&App) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(app) {
        assert!(Instant::now() < deadline, "gave up waiting; status: {:?}", app.status);
        app.poll_background();
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn is_running(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn a_slow_fetch_never_blocks_and_dies_with_the_board() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tied_app(dir.path(), "sleep 30");
    poll_until(&mut app, App::fetch_is_running);
    let pid = app.fetch_process_id().unwrap();
    // Polling a child that runs is immediate, and starts no second one.
    let started = Instant::now();
    for _ in 0..20 {
        assert!(!app.poll_background());
    }
    assert!(started.elapsed() < Duration::from_millis(500), "{:?}", started.elapsed());
    assert_eq!(app.fetch_process_id(), Some(pid), "never two at once");
    assert!(is_running(pid));
    drop(app);
    assert!(!is_running(pid), "the board quit and its child went with it");
}

#[test]
fn the_child_gets_the_contract_arguments_and_its_report_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let args = dir.path().join("args");
    let script = format!(
        "echo \"$@\" > '{}'\necho '{{\"outcome\": \"fetched\", \"summary\": \"2 to fetch\", \"message\": null, \"incoming\": 2}}'",
        args.display()
    );
    let mut app = tied_app(dir.path(), &script);
    poll_until(&mut app, App::fetch_is_running);
    poll_until(&mut app, |app| !app.fetch_is_running());
    assert_eq!(app.status, None, "a fetch that worked says nothing");
    let said = std::fs::read_to_string(&args).unwrap();
    let board = dir.path().join("board.sqlite3");
    assert_eq!(said.trim(), format!("sync fetch --json --db {} --today {}", board.display(), common::today()));
}

#[test]
fn a_child_printing_garbage_is_named_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tied_app(dir.path(), "echo 'Segmentation fault'");
    poll_until(&mut app, |app| app.status.is_some());
    let status = app.status.clone().unwrap();
    assert!(status.is_error, "{status:?}");
    assert!(status.text.contains("engine") && status.text.contains("Segmentation fault"), "{}", status.text);
    assert!(status.text.contains("sync.auto"), "{}", status.text);
}

#[test]
fn an_offline_fetch_shows_in_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = tied_app(
        dir.path(),
        "echo '{\"outcome\": \"offline\", \"summary\": \"offline\", \"message\": \"the remote did not answer\"}'; exit 1",
    );
    poll_until(&mut app, |app| app.sync.as_ref().is_some_and(|facts| facts.trouble.is_some()));
    assert!(common::render(&app).lines().next().unwrap().contains("offline"), "{}", common::render(&app));
}

#[test]
fn a_board_never_tied_runs_no_fetch() {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    app.set_auto_fetch(Some(Duration::from_millis(1)));
    app.use_sync_program(stand_in(dir.path(), "engine", "sleep 30"));
    std::thread::sleep(Duration::from_millis(20));
    app.poll_background();
    assert!(!app.fetch_is_running());
}

#[test]
fn the_runner_reads_a_large_output_without_waiting_on_a_full_pipe() {
    let dir = tempfile::tempdir().unwrap();
    // 200 KB on stderr first: more than a pipe holds.
    let script = stand_in(
        dir.path(),
        "chatty",
        "head -c 200000 /dev/zero | tr '\\0' x >&2\necho '{\"outcome\": \"up_to_date\", \"summary\": \"up to date\"}'",
    );
    let mut run = BackgroundRun::start(&script, &[]).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let finished = loop {
        if let Some(finished) = run.poll() {
            break finished;
        }
        assert!(Instant::now() < deadline, "the child never finished");
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!((finished.code, finished.report.unwrap().outcome), (Some(0), quarterdeck::sync::Outcome::UpToDate));
}

#[test]
fn a_program_that_is_not_there_is_named() {
    let error = BackgroundRun::start(Path::new("/nonexistent/quarterdeck"), &[]).err().unwrap();
    assert!(error.contains("/nonexistent/quarterdeck"), "{error}");
}
