//! Helpers shared by the integration tests: temporary boards on real files,
//! a fixed "today", and rendering an app into a test terminal.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use chrono::NaiveDate;
use quarterdeck::{
    app::{App, Keymap, OkrRow},
    domain::codes,
    plan::Plan,
    store::Store,
    ui::{self, Theme},
};
use ratatui::{
    Terminal,
    backend::TestBackend,
    crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers},
};
use tempfile::TempDir;

/// The day the tests live on: a Monday, so the demo is on day 1 of sprint 3.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// A folder that disappears with the test, and a board path inside it.
pub fn board_path() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("board.sqlite3");
    (dir, path)
}

pub fn demo_store(path: &std::path::Path) -> Store {
    let mut store = Store::open(path).unwrap();
    store.import_plan(&Plan::demo(today()).unwrap(), today(), false).unwrap();
    store
}

pub fn app_at(path: &std::path::Path, width: u16, height: u16) -> App {
    let store = Store::open(path).unwrap();
    let mut app = App::new(store, Keymap::default_keys().unwrap(), today()).unwrap();
    app.resize(width, height).unwrap();
    app
}

/// An app at 160x48 made on `day` (the calendar and the header are worked
/// out when the board loads), with no question on opening.
#[allow(dead_code)] // not every test file uses it
pub fn app_on_day(path: &std::path::Path, day: chrono::NaiveDate) -> App {
    let store = Store::open(path).unwrap();
    let mut app = App::new(store, Keymap::default_keys().unwrap(), day).unwrap();
    app.resize(160, 48).unwrap();
    app.overlays.clear();
    app
}

/// An app whose keymap is the defaults with `user` (a keymap file's text)
/// over them, as `~/.config/quarterdeck/keymap.toml` would be.
pub fn app_with_keymap(path: &std::path::Path, user: &str, width: u16, height: u16) -> App {
    let store = Store::open(path).unwrap();
    let keymap = Keymap::layered(Some((user, "keymap.toml"))).unwrap();
    let mut app = App::new(store, keymap, today()).unwrap();
    app.resize(width, height).unwrap();
    app
}

/// Presses `ch` with ctrl.
pub fn ctrl(app: &mut App, ch: char) {
    app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char(ch), KeyModifiers::CONTROL)));
}

/// The screen as text, one line per row, as a user would read it.
pub fn render(app: &App) -> String {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::draw(frame, app, Theme::default())).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn key(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// Types `text` key by key; an upper-case letter comes with shift.
pub fn keys(app: &mut App, text: &str) {
    for ch in text.chars() {
        let modifiers = if ch.is_ascii_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
        app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char(ch), modifiers)));
    }
}

/// Focuses the backlog and selects the row titled `title`: from the top,
/// `j` until that row is selected, so a test never depends on where the
/// demo ranks it. Fails showing the screen when the list has no such row.
pub fn select_item(app: &mut App, title: &str) {
    keys(app, "3g");
    while app.backlog.selected_row().map(|row| row.title.as_str()) != Some(title) {
        let before = app.backlog.selected;
        keys(app, "j");
        assert_ne!(app.backlog.selected, before, "{title:?} is not in the backlog:\n{}", render(app));
    }
}

/// Focuses the timeline and selects sprint `number` (the `S3` of the
/// screen): from the first, `j` until it is selected. Fails showing the
/// screen when there is no such sprint.
pub fn select_sprint(app: &mut App, number: u32) {
    keys(app, "2g");
    let selected =
        |app: &App| app.board.as_ref().and_then(|board| board.sprints.get(app.sprint_selected)).map(|sprint| sprint.number);
    while selected(app) != Some(number) {
        let before = app.sprint_selected;
        keys(app, "j");
        assert_ne!(app.sprint_selected, before, "there is no sprint {number} in the timeline:\n{}", render(app));
    }
}

/// The code of the selected OKR row as the screen shows it: `O2`, `KR1.1`.
pub fn selected_okr(app: &App) -> Option<String> {
    let board = app.board.as_ref()?;
    Some(match app.okr_rows().get(app.okr_selected)? {
        OkrRow::Objective { objective, .. } => codes::objective(board.objectives[*objective].number),
        OkrRow::KeyResult { objective, key_result, .. } => board.objectives[*objective].key_results[*key_result].code.clone(),
    })
}

/// Focuses the OKR pane and selects the objective or KR with `code` (`O2`,
/// `KR1.1`): from the top, `j` until it is selected, so the backlog is
/// filtered by that KR as a user's moves would leave it. Fails showing the
/// screen when there is no such row.
pub fn select_okr(app: &mut App, code: &str) {
    keys(app, "1g");
    while selected_okr(app).as_deref() != Some(code) {
        let before = app.okr_selected;
        keys(app, "j");
        assert_ne!(app.okr_selected, before, "{code:?} is not in the OKR pane:\n{}", render(app));
    }
}

/// Empties the focused form field (ctrl-u).
pub fn clear_field(app: &mut App) {
    app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
}

/// Where `text` first shows in `screen` (one line per row), as (column,
/// row) in cells; fails showing the screen when it is not there.
pub fn locate(screen: &str, text: &str) -> (usize, usize) {
    screen
        .lines()
        .enumerate()
        .find_map(|(row, line)| line.find(text).map(|at| (line[..at].chars().count(), row)))
        .unwrap_or_else(|| panic!("{text:?} is not on screen:\n{screen}"))
}

/// Every file in `folder` with its bytes, to check that a folder was left
/// exactly as it was.
pub fn folder_files(folder: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap())
        .map(|entry| (entry.file_name().to_string_lossy().into_owned(), std::fs::read(entry.path()).unwrap()))
        .collect()
}

/// Selects the KR with `code` (`KR1.2`) in the OKR pane, as a user would:
/// `1`, then `j` until it is the selection.
pub fn select_kr(app: &mut App, code: &str) {
    keys(app, "1g");
    for _ in 0..app.okr_rows().len() {
        let selected = app.okr_rows().get(app.okr_selected).copied();
        if let Some(quarterdeck::app::OkrRow::KeyResult { id, .. }) = selected
            && app.board.as_ref().and_then(|board| board.key_result(id)).is_some_and(|kr| kr.code == code)
        {
            return;
        }
        keys(app, "j");
    }
    panic!("no KR {code} in the OKR pane");
}

/// Runs the real binary on `board` as if on `today`, whatever the
/// environment names, and waits for it.
pub fn run_cli(board: &std::path::Path, today: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_quarterdeck"))
        .args(args)
        .arg("--db")
        .arg(board)
        .args(["--today", today])
        .env_remove("QUARTERDECK_DB")
        .env_remove("QUARTERDECK_TODAY")
        .output()
        .expect("quarterdeck runs")
}

/// A temporary board file filled by `quarterdeck demo` run as if on `today`.
pub fn demo_board_file(today: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let board = dir.path().join("board.sqlite3");
    let output = run_cli(&board, today, &["demo"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (dir, board)
}

/// What a run that must succeed printed.
pub fn success_stdout(output: &std::process::Output) -> String {
    assert!(output.status.success(), "failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).expect("utf-8")
}

/// A board as schema version 1 wrote it, with a little of everything.
pub fn write_v1_board(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(include_str!("../../src/store/schema_v1.sql")).unwrap();
    conn.execute_batch(&format!("PRAGMA application_id = {}; PRAGMA user_version = 1;", quarterdeck::store::APPLICATION_ID))
        .unwrap();
    conn.execute_batch(
        "INSERT INTO quarter (id, label, start_date) VALUES (1, '2026-Q4', '2026-10-26');
         INSERT INTO objective (id, quarter_id, position, title) VALUES (1, 1, 1, 'Objective');
         INSERT INTO key_result (id, objective_id, position, title, unit, start_value, target_value, current_value)
             VALUES (1, 1, 1, 'KR one', '%', 0, 10, 5), (2, 1, 2, 'KR two', 's', 3, 1, 2);
         INSERT INTO sprint (id, quarter_id, number, start_date, end_date, capacity)
             VALUES (1, 1, 1, '2026-10-26', '2026-11-08', 20);
         INSERT INTO item (id, title, points, rank, sprint_id) VALUES
             (1, 'first', 3, 300, 1), (2, 'second', 5, 100, NULL), (3, 'third', 8, 200, NULL);
         INSERT INTO item_kr (item_id, key_result_id) VALUES (1, 1), (2, 1), (3, 2), (3, 1);",
    )
    .unwrap();
}

/// Damages the item table's first page of a checkpointed board (a leaf
/// header whose free space points past the page), which SQLite finds
/// "malformed"; returns the file's bytes as left.
pub fn damage_item_page(board: &std::path::Path) -> Vec<u8> {
    let conn = rusqlite::Connection::open(board).unwrap();
    let (page_size, root): (u64, u64) = (
        conn.query_row("PRAGMA page_size", [], |row| row.get(0)).unwrap(),
        conn.query_row("SELECT rootpage FROM sqlite_master WHERE name = 'item'", [], |row| row.get(0)).unwrap(),
    );
    drop(conn);
    let mut bytes = std::fs::read(board).unwrap();
    let at = usize::try_from(page_size * (root - 1)).unwrap();
    bytes[at..at + 16].copy_from_slice(&[0x0d, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    std::fs::write(board, &bytes).unwrap();
    bytes
}

/// A connection that reads `path` without changing anything beside it
/// (`immutable`: no `-wal` or `-shm` made, no lock taken).
#[allow(dead_code)] // not every test file uses it
pub fn look_without_changing(path: &std::path::Path) -> rusqlite::Connection {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI;
    rusqlite::Connection::open_with_flags(format!("file:{}?immutable=1", path.display()), flags).unwrap()
}

/// The first column of every row `sql` reads, as text.
#[allow(dead_code)] // not every test file uses it
pub fn first_column(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
    conn.prepare(sql).unwrap().query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// The board's `user_version`, read without changing the file.
#[allow(dead_code)] // not every test file uses it
pub fn user_version(path: &std::path::Path) -> i64 {
    look_without_changing(path).query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap()
}

/// Every row of every table, as text, read without changing the file: two
/// files hold the same data when these are equal.
#[allow(dead_code)] // not every test file uses it
pub fn every_row(path: &std::path::Path) -> Vec<String> {
    let conn = look_without_changing(path);
    let mut rows = Vec::new();
    for table in first_column(&conn, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
        let mut statement = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1")).unwrap();
        let columns = statement.column_count();
        let mut found = statement.query([]).unwrap();
        while let Some(row) = found.next().unwrap() {
            let values: Vec<String> =
                (0..columns).map(|at| format!("{:?}", row.get::<_, rusqlite::types::Value>(at).unwrap())).collect();
            rows.push(format!("{table}: {}", values.join(", ")));
        }
    }
    rows
}

/// Polls the app as the loop's idle tick does (a background sync's end)
/// until `done`, with a deadline far from any of the code's own.
pub fn tick_until(app: &mut App, done: impl Fn(&App) -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !done(app) {
        assert!(std::time::Instant::now() < deadline, "timed out; status {:?}\n{}", app.status, render(app));
        app.poll_sync();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
