//! `y` in the board and the conflict chooser (docs/sync.md): the
//! sync runs as a child in the background while the board takes keys, and
//! a merge's conflicts are chosen field by field. The child here is a
//! stand-in script printing the JSON object the engine prints.

#![allow(clippy::unwrap_used)]

mod common;

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use common::{app_at, board_path, demo_store, key, keys, render, tick_until};
use quarterdeck::{
    app::{App, background::Program},
    plan::{Conflict, ConflictKind, ObjectKind, Side},
    store::replace_conflicts_in,
};
use ratatui::crossterm::event::KeyCode;
use serde_json::{Value, json};

fn conflict(id: &str, code: &str, field: &str, base: Value, mine: Value, theirs: Value) -> Conflict {
    Conflict {
        kind: ConflictKind::BothChanged,
        object: ObjectKind::Item,
        id: id.into(),
        code: code.into(),
        field: field.into(),
        base,
        mine,
        theirs,
    }
}

/// A demo board tied to a (never used) remote, with a merge waiting on
/// three fields, one of an item the board has (#1) and one deleted on mine.
fn board_with_conflicts(path: &Path) {
    let mut store = demo_store(path);
    store.set_sync_link("../remote.git", "/nowhere", "main", "quarterdeck").unwrap();
    drop(store);
    let mut conn = rusqlite::Connection::open(path).unwrap();
    let tx = conn.transaction().unwrap();
    replace_conflicts_in(
        &tx,
        &[
            conflict("a", "#1", "points", json!(3), json!(5), json!(8)),
            conflict(
                "b",
                "#1",
                "title",
                json!("Export"),
                json!("Export CSV"),
                json!("Export CSV and a very long title that cannot fit in any narrow column at all"),
            ),
            Conflict {
                kind: ConflictKind::DeletedVsChanged { deleted_on: Side::Mine },
                ..conflict("c", "#99", "krs", json!(["KR1.2"]), Value::Null, json!(["KR1.2", "KR2.1"]))
            },
        ],
    )
    .unwrap();
    tx.commit().unwrap();
}

/// A stand-in for `quarterdeck sync --json`: waits a moment, then prints
/// `reply` (and records its arguments and environment beside itself).
fn stand_in(dir: &Path, reply: &str, pause: &str) -> PathBuf {
    let script = dir.join("fake-sync");
    let said = dir.join("args");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$@ FROM_BOARD=$QUARTERDECK_SYNC_FROM_BOARD\" > '{}'\nsleep {pause}\ncat <<'JSON'\n{reply}\nJSON\n",
            said.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// The demo on a board tied to a repository, in an app at 80x24 with no
/// overlay, whose syncs run `program` (a script written beside the board).
fn tied_app(dir: &Path, path: &Path, script: &str) -> App {
    let mut store = demo_store(path);
    store.set_sync_link("../remote.git", "/nowhere", "main", "quarterdeck").unwrap();
    drop(store);
    let mut app = app_at(path, 80, 24);
    app.overlays.clear();
    let program = dir.join("sync-program");
    std::fs::write(&program, script).unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    app.sync_program = Program(program);
    app
}

fn status(app: &App) -> String {
    app.status.as_ref().map(|status| status.text.clone()).unwrap_or_default()
}

#[test]
fn the_chooser_shows_mine_theirs_and_base_at_80x24_and_160x48() {
    let (_dir, path) = board_path();
    board_with_conflicts(&path);
    for (width, height) in [(80, 24), (160, 48)] {
        let mut app = app_at(&path, width, height);
        app.overlays.clear();
        keys(&mut app, "y");
        assert!(app.sync_chooser().is_some(), "y with a merge waiting opens the chooser");
        assert!(!app.sync_running(), "and starts no sync");
        insta::assert_snapshot!(format!("chooser_{width}x{height}"), render(&app));
    }
}

/// Trial 19c: at 80 columns a long title pushed `to choose` / `chosen:
/// mine` off the row, so only colour said which fields were settled.
#[test]
fn a_long_title_gives_way_to_the_field_and_the_choice_at_80_columns() {
    let (_dir, path) = board_path();
    board_with_conflicts(&path);
    let long = "Test merchant dashboard with screen reader support and every other assistive tool we know of";
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE item SET title = ?1 WHERE id = 1", [long]).unwrap();
    drop(conn);
    let mut app = app_at(&path, 80, 24);
    app.overlays.clear();
    keys(&mut app, "y");
    let screen = render(&app);
    let row = screen.lines().find(|line| line.contains("#1 'Test merchant") && line.contains("points")).unwrap_or_default();
    assert!(row.contains("· points · to choose") && row.contains('…'), "{screen}");
    keys(&mut app, "m");
    let screen = render(&app);
    assert!(screen.lines().any(|line| line.contains("· points · chosen: mine")), "{screen}");
}

#[test]
fn m_and_t_write_the_side_at_once_and_enter_waits_for_every_field() {
    let (dir, path) = board_path();
    board_with_conflicts(&path);
    let mut app = app_at(&path, 80, 24);
    app.overlays.clear();
    app.sync_program =
        Program(stand_in(dir.path(), r#"{"outcome": "merged", "summary": "Merged: took theirs for #1 points"}"#, "0"));
    keys(&mut app, "ym");
    let chosen: Vec<_> = app.store.sync_conflicts().unwrap().into_iter().map(|stored| stored.chosen).collect();
    assert_eq!(chosen, [Some(Side::Mine), None, None], "m wrote mine for the first field");
    // Written to the file: another connection reads it.
    let other = quarterdeck::store::Store::open(&path).unwrap();
    assert_eq!(other.sync_conflicts().unwrap()[0].chosen, Some(Side::Mine));
    // The selection moved on to the next field waiting; Enter refuses.
    key(&mut app, KeyCode::Enter);
    assert!(!app.sync_running(), "Enter with fields unchosen starts nothing");
    assert!(status(&app).contains("2 fields wait"), "{}", status(&app));
    keys(&mut app, "tk");
    keys(&mut app, "jjt");
    let chosen: Vec<_> = app.store.sync_conflicts().unwrap().into_iter().map(|stored| stored.chosen).collect();
    assert_eq!(chosen, [Some(Side::Mine), Some(Side::Theirs), Some(Side::Theirs)]);
    assert!(render(&app).contains("every field chosen"), "{}", render(&app));
    key(&mut app, KeyCode::Enter);
    assert!(app.sync_running(), "Enter with every field chosen runs the sync again");
    tick_until(&mut app, |app| !app.sync_running());
    assert_eq!(status(&app), "Merged: took theirs for #1 points");
}

#[test]
fn esc_leaves_the_chooser_and_the_merge_waits_with_its_choices() {
    let (_dir, path) = board_path();
    board_with_conflicts(&path);
    let mut app = app_at(&path, 80, 24);
    app.overlays.clear();
    keys(&mut app, "yt");
    key(&mut app, KeyCode::Esc);
    assert!(app.sync_chooser().is_none());
    assert!(status(&app).contains("The merge waits"), "{}", status(&app));
    assert_eq!(app.store.sync_conflicts().unwrap()[0].chosen, Some(Side::Theirs), "nothing lost");
    keys(&mut app, "y");
    assert_eq!(app.sync_chooser().map(|chooser| chooser.unchosen()), Some(2), "y opens it again as it was");
}

#[test]
fn y_runs_the_sync_in_the_background_while_the_board_takes_keys() {
    let (dir, path) = board_path();
    let mut store = demo_store(&path);
    store.set_sync_link("../remote.git", "/nowhere", "main", "quarterdeck").unwrap();
    drop(store);
    let mut app = app_at(&path, 80, 24);
    app.overlays.clear();
    // A sync that ends only when the test lets it.
    let gate = dir.path().join("gate");
    let pause = format!("0; while [ ! -e '{}' ]; do sleep 0.02; done", gate.display());
    let reply = r##"{"outcome": "sent", "summary": "Sent 2 changes · up to date", "message": null, "sent": ["#4 points 3 → 5"], "conflicts": 0, "waiting": 0}"##;
    app.sync_program = Program(stand_in(dir.path(), reply, &pause));
    keys(&mut app, "y");
    assert!(app.sync_running());
    assert_eq!(status(&app), "Syncing…");
    // The board takes keys meanwhile, and a second y starts nothing.
    keys(&mut app, "2");
    assert_eq!(app.focus, quarterdeck::app::Pane::Timeline, "a key acts while the sync runs");
    keys(&mut app, "y");
    assert!(status(&app).contains("already running"), "{}", status(&app));
    assert!(!app.poll_sync(), "still running");
    std::fs::write(&gate, "").unwrap();
    tick_until(&mut app, |app| !app.sync_running());
    assert_eq!(status(&app), "Sent 2 changes · up to date");
    assert!(!app.status.as_ref().unwrap().is_error);
    let said = std::fs::read_to_string(dir.path().join("args")).unwrap();
    assert!(
        said.starts_with(&format!("sync --json --db {} --today 2026-11-23 FROM_BOARD=1", path.display())),
        "the child's arguments and environment: {said}"
    );
}

/// Trial 19c: the Synced dialog said "(and 1 more, in the commit's
/// message)" with room to spare, and at 160 columns, where that line fit
/// the status line, no dialog opened: the renumbering was shown nowhere.
/// Now a summary that names only the first of several opens the whole
/// account; a dialog taller than the screen says more lines follow.
#[test]
fn a_completed_syncs_dialog_lists_every_change_it_made() {
    let received: Vec<String> = (1..=14).map(|n| format!("\"#{} points 1 → 2\"", 20 + n)).collect();
    let reply = format!(
        r##"{{"outcome": "merged", "summary": "Merged: sent 1 change, received 15 changes (commit 45edd9f); #2 points: kept 13 (mine); theirs 8 is in commit d101954 (and 1 more, in the commit's message)", "sent": ["#2 points 8 → 13"], "received": ["added #6 'Welcome email series'", {}], "chosen": ["#2 points: kept 13 (mine); theirs 8 is in commit d101954"], "renumbered": ["#6 'Offline fraud rules' (added on this laptop) is now #8"]}}"##,
        received.join(", ")
    );
    let script = format!("#!/bin/sh\ncat <<'EOF'\n{reply}\nEOF\n");
    for (width, height) in [(160, 48), (80, 24)] {
        let (dir, path) = board_path();
        let mut app = tied_app(dir.path(), &path, &script);
        app.resize(width, height).unwrap();
        keys(&mut app, "y");
        tick_until(&mut app, |app| !app.sync_running());
        let screen = render(&app);
        assert!(screen.contains("Synced"), "a dialog opens at {width}x{height}:\n{screen}");
        assert!(screen.contains("received: added #6 'Welcome email series'"), "{screen}");
        // The status line keeps the one line; the dialog lists the rest.
        assert!(
            screen.lines().filter(|line| line.contains("(and 1 more")).all(|line| !line.contains('│')),
            "the dialog lists the rest itself:\n{screen}"
        );
        if width == 160 {
            // The dialog wraps its text: looked for by its first words.
            assert!(screen.contains("renumbered: #6 'Offline fraud rules'"), "{screen}");
        } else {
            assert!(screen.contains("more lines: j"), "more lines follow, and the key that shows them:\n{screen}");
        }
    }
}

#[test]
fn a_failed_sync_shows_its_message_as_an_error_and_conflicts_open_the_chooser() {
    let (dir, path) = board_path();
    board_with_conflicts(&path);
    let mut app = app_at(&path, 80, 24);
    app.overlays.clear();
    // No merge waiting yet for this board's view: the rows go, then come back.
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    let tx = conn.transaction().unwrap();
    replace_conflicts_in(&tx, &[]).unwrap();
    tx.commit().unwrap();
    app.sync_program = Program(stand_in(
        dir.path(),
        r#"{"outcome": "offline", "summary": "Offline", "message": "the remote ../remote.git could not be reached; 3 changes wait: sync again when it is back"}"#,
        "0.05",
    ));
    keys(&mut app, "y");
    tick_until(&mut app, |app| !app.sync_running());
    assert!(app.status.as_ref().unwrap().is_error);
    assert!(status(&app).starts_with("the remote ../remote.git could not be reached"), "{}", status(&app));
    // Longer than the status line at 80 columns: it opens whole (trial
    // 19, F1); Esc closes it.
    assert!(render(&app).contains("sync again when it is back"), "{}", render(&app));
    key(&mut app, KeyCode::Esc);
    assert!(app.overlays.is_empty());

    // The engine records the conflicts while it runs, then reports them.
    let gate = dir.path().join("gate");
    let pause = format!("0; while [ ! -e '{}' ]; do sleep 0.02; done", gate.display());
    app.sync_program = Program(stand_in(
        dir.path(),
        r#"{"outcome": "conflicts", "summary": "1 field waits for a side", "conflicts": 1}"#,
        &pause,
    ));
    keys(&mut app, "y");
    assert!(app.sync_running());
    board_with_conflicts_again(&mut conn);
    std::fs::write(&gate, "").unwrap();
    tick_until(&mut app, |app| !app.sync_running());
    assert!(app.sync_chooser().is_some(), "a sync ending with conflicts opens the chooser");
    assert_eq!(status(&app), "1 field waits for a side");
}

fn board_with_conflicts_again(conn: &mut rusqlite::Connection) {
    let tx = conn.transaction().unwrap();
    replace_conflicts_in(&tx, &[conflict("a", "#1", "points", json!(3), json!(5), json!(8))]).unwrap();
    tx.commit().unwrap();
}

#[test]
fn y_on_a_board_not_tied_says_how_to_tie_it() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 200, 48);
    app.overlays.clear();
    keys(&mut app, "y");
    assert!(!app.sync_running());
    let said = status(&app);
    assert!(said.contains(&format!("tie it with `quarterdeck --db {} sync init REMOTE`", path.display())), "{said}");
    // At 80 columns the command is never cut short: FILE stands for the path.
    app.resize(80, 24).unwrap();
    keys(&mut app, "y");
    assert_eq!(status(&app), "Not tied to a git repository: `quarterdeck --db FILE sync init REMOTE`");
    assert!(render(&app).contains("`quarterdeck --db FILE sync init REMOTE`"), "{}", render(&app));
}

#[test]
fn a_child_that_prints_no_report_says_so() {
    let (dir, path) = board_path();
    let mut app = tied_app(dir.path(), &path, "#!/bin/sh\necho 'error: something broke' >&2\nexit 2\n");
    keys(&mut app, "y");
    tick_until(&mut app, |app| !app.sync_running());
    assert!(status(&app).ends_with("failed: error: something broke"), "{}", status(&app));
    assert!(app.status.as_ref().unwrap().is_error);
}

/// Trial 19: `q` during a slow sync kept the board open until the sync
/// ended (~90 s) with no way out. The first `q` says a second one stops
/// the sync; the second stops the child and quits at once.
#[test]
fn a_second_q_stops_a_slow_sync_and_quits() {
    let (dir, path) = board_path();
    let mut app = tied_app(dir.path(), &path, "#!/bin/sh\nexec sleep 300\n");
    keys(&mut app, "y");
    let pid = app.sync_process_id().unwrap();
    keys(&mut app, "q");
    assert!(!app.should_quit, "the first q waits for the sync");
    let said = status(&app);
    assert!(said.contains("q again stops it and quits now"), "{said}");
    assert!(said.chars().count() < 79, "the whole line fits 80 columns: {said}");
    let started = Instant::now();
    keys(&mut app, "q");
    assert!(app.should_quit, "the second q quits");
    assert!(started.elapsed() < Duration::from_secs(2), "at once: {:?}", started.elapsed());
    assert!(!app.sync_running());
    let deadline = Instant::now() + Duration::from_secs(10);
    while Path::new(&format!("/proc/{pid}")).exists() {
        assert!(Instant::now() < deadline, "the sync child {pid} still runs");
        std::thread::sleep(Duration::from_millis(10));
    }
}
