//! Where closing a sprint spends its time (`cargo bench --bench
//! close_sprint`): the close keypress of `key_close_sprint` split into the
//! store's recorded transaction, the board read again, the backlog's
//! window, the frozen record, and the frame; each on a fresh copy of the
//! same board, as the criterion bench does, and on a copy that has already
//! taken one write (a check-in) since it was opened. Prints medians.
//! Results: docs/benchmarks.md.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{board, today};
use quarterdeck::{
    app::{Action, App, Keymap, Overlay},
    domain::SprintState,
    store::{CheckInFields, Store},
    ui::{self, Theme},
};
use ratatui::{
    Terminal,
    backend::TestBackend,
    crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers},
};

const RUNS: usize = 21;
const PARTS: [&str; 6] =
    ["whole keypress (Enter, frame)", "store.close_sprint", "load_board", "backlog window", "sprint_record", "frame"];

fn press(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|frame| ui::draw(frame, app, Theme::default())).unwrap();
}

/// A fresh copy of `prepared`, opened, with the running sprint's carry
/// dialog open and drawn; `warm`: after one recorded write.
fn dialog(prepared: &std::path::Path, copy: &std::path::Path, warm: bool) -> (App, Terminal<TestBackend>) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
    std::fs::copy(prepared, copy).unwrap();
    let mut app = App::new(Store::open(copy).unwrap(), Keymap::default_keys().unwrap(), today()).unwrap();
    app.resize(160, 48).unwrap();
    if warm {
        let kr = app.board.as_ref().unwrap().objectives[0].key_results[0].id;
        let fields = CheckInFields {
            date: today(),
            value: 1.0,
            confidence: quarterdeck::domain::values::Confidence::new(50).expect("a confidence"),
            note: String::new(),
        };
        app.store.add_check_in(kr, &fields, "warm-up").unwrap();
        app.board = app.store.load_board().unwrap();
    }
    app.update(Action::FocusTimeline).unwrap();
    press(&mut app, KeyCode::Char('r'));
    press(&mut app, KeyCode::Char('c'));
    assert!(matches!(app.overlays.last(), Some(Overlay::Carry(_))));
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    draw(&mut terminal, &app);
    (app, terminal)
}

const STEPS: [&str; 7] = [
    "begin, history step",
    "sprint row closed",
    "commitment and items read",
    "items carried (UPDATE, triggers)",
    "record rows written",
    "history step ended, pruned",
    "COMMIT (synchronous = FULL)",
];

/// The statements `Store::close_sprint` runs inside its recorded
/// transaction, replayed one by one on a fresh copy with a connection set
/// up as the store sets its own, each timed. Returns the times and the
/// write-ahead log's growth in pages.
fn replay(prepared: &std::path::Path, copy: &std::path::Path) -> ([Duration; 7], u64) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
    std::fs::copy(prepared, copy).unwrap();
    let conn = rusqlite::Connection::open(copy).unwrap();
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).unwrap();
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;").unwrap();
    // As a board that has been open a while: its pages read, its log there.
    conn.query_row("SELECT count(*) FROM item", [], |_| Ok(())).unwrap();
    let wal = || std::fs::metadata(format!("{}-wal", copy.display())).map_or(0, |meta| meta.len());
    let (sprint, next): (i64, i64) = conn
        .query_row(
            "SELECT s.id, n.id FROM sprint s JOIN sprint n ON n.number = s.number + 1 WHERE s.state = 'active'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    let before = wal();
    let mut times = [Duration::ZERO; 7];
    let mut lap = Instant::now();
    let mut split = |index: usize| {
        times[index] = lap.elapsed();
        lap = Instant::now();
    };
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn.execute("DELETE FROM history_step WHERE state = 'undone' AND session = 'bench'", []).unwrap();
    conn.execute("INSERT INTO history_step (label, state, session, author) VALUES ('Closed S3', 'done', 'bench', 'bench')", [])
        .unwrap();
    conn.execute("UPDATE history_recording SET step = ?1", [conn.last_insert_rowid()]).unwrap();
    split(0);
    conn.execute("UPDATE sprint SET state = 'closed', closed_on = '2026-11-23' WHERE id = ?1 AND state != 'closed'", [sprint])
        .unwrap();
    split(1);
    let read = |sql: &str| -> Vec<(i64, bool)> {
        conn.prepare(sql)
            .unwrap()
            .query_map([sprint], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    read("SELECT item_id, points > 0 FROM sprint_commitment WHERE sprint_id = ?1 ORDER BY position");
    let items = read(
        "SELECT i.id, i.state = 'done', coalesce((SELECT group_concat(key_result_id) FROM item_kr WHERE item_id = i.id), '')
         FROM item i WHERE i.sprint_id = ?1 ORDER BY i.rank, i.id",
    );
    split(2);
    for (item, _) in items.iter().filter(|(_, done)| !done) {
        conn.execute("UPDATE item SET sprint_id = ?2 WHERE id = ?1", [*item, next]).unwrap();
        conn.query_row("SELECT number FROM sprint WHERE id = ?1", [next], |_| Ok(())).unwrap();
    }
    split(3);
    conn.execute("DELETE FROM sprint_record_item WHERE sprint_id = ?1", [sprint]).unwrap();
    for (position, (item, done)) in (1_i64..).zip(&items) {
        conn.execute(
            "INSERT INTO sprint_record_item (sprint_id, item_id, position, title, points, committed, outcome, key_results, carried_to)
             VALUES (?1, ?2, ?3, 'an item title of some length', 3, 1, ?4, '1,2', ?5)",
            rusqlite::params![sprint, item, position, if *done { "done" } else { "carried" }, if *done { "" } else { "S4" }],
        )
        .unwrap();
    }
    split(4);
    conn.execute("UPDATE history_recording SET step = NULL", []).unwrap();
    conn.execute(
        "DELETE FROM history_step WHERE id IN
             (SELECT id FROM history_step WHERE state = 'done' AND author = 'bench' ORDER BY id DESC LIMIT -1 OFFSET 200)",
        [],
    )
    .unwrap();
    split(5);
    conn.execute_batch("COMMIT").unwrap();
    split(6);
    (times, (wal() - before) / (4096 + 24))
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("close.sqlite3");
    for items in [10_000, 100_000] {
        let prepared = board(items);
        for warm in [false, true] {
            let mut times: Vec<[Duration; 6]> = Vec::new();
            let mut carried = 0;
            for _ in 0..RUNS {
                let mut run = [Duration::ZERO; 6];
                // The keypress as the app does it.
                let (mut app, mut terminal) = dialog(&prepared, &copy, warm);
                let started = Instant::now();
                press(&mut app, KeyCode::Enter);
                draw(&mut terminal, &app);
                run[0] = started.elapsed();
                assert_eq!(app.board.as_ref().unwrap().sprints[app.sprint_selected].state, SprintState::Closed);
                drop((app, terminal));
                // The same, part by part.
                let (mut app, mut terminal) = dialog(&prepared, &copy, warm);
                let Some(Overlay::Carry(carry)) = app.overlays.pop() else { unreachable!() };
                carried = carry.items.len();
                let to: Vec<_> = carry.items.iter().map(|item| (item.0, item.3)).collect();
                let mut lap = Instant::now();
                let mut split = |index: usize| {
                    run[index] = lap.elapsed();
                    lap = Instant::now();
                };
                app.store.close_sprint(carry.sprint_id, today(), &to, "Closed S3").unwrap();
                split(1);
                app.board = app.store.load_board().unwrap();
                split(2);
                let keep = app.backlog.selected_id();
                app.backlog.reload(&app.store, keep).unwrap();
                split(3);
                let record = app.store.sprint_record(carry.sprint_id).unwrap();
                split(4);
                if let Some(Overlay::Review(review)) = app.overlays.last_mut() {
                    review.record = record;
                }
                draw(&mut terminal, &app);
                split(5);
                times.push(run);
            }
            let state = if warm { "after one write" } else { "fresh copy" };
            println!("close_sprint/{items} ({state}; {carried} items carried), median of {RUNS}:");
            for (index, part) in PARTS.iter().enumerate() {
                let mut column: Vec<Duration> = times.iter().map(|run| run[index]).collect();
                column.sort();
                println!("  {part:<32} {:>8.3} ms", column[RUNS / 2].as_secs_f64() * 1e3);
            }
        }
        let runs: Vec<([Duration; 7], u64)> = (0..RUNS).map(|_| replay(&prepared, &copy)).collect();
        println!("close_sprint/{items}: its transaction replayed statement by statement, median of {RUNS}:");
        for (index, step) in STEPS.iter().enumerate() {
            let mut column: Vec<Duration> = runs.iter().map(|run| run.0[index]).collect();
            column.sort();
            println!("  {step:<32} {:>8.3} ms", column[RUNS / 2].as_secs_f64() * 1e3);
        }
        println!("  pages written to the log: {}", runs[0].1);
    }
}
