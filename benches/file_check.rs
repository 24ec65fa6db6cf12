//! The background file check (#18) on a 100,000-item board: a key while
//! the check runs, against the same key with no check (`key_move_selection`
//! in `benches/board.rs`, budget 10 ms at 100,000 items); how long the
//! check takes; and how long stopping it takes, which is what quitting
//! waits for. Results: docs/benchmarks.md. Run with
//! `cargo bench --bench file_check`.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{HEIGHT, WIDTH, board, draw, today};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use quarterdeck::{
    app::{Action, App, Keymap},
    store::Store,
};
use ratatui::{
    Terminal,
    backend::TestBackend,
    crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers},
};

/// The board the budget is set for (docs/benchmarks.md).
const ITEMS: usize = 100_000;

/// One board for both measurements: building it takes seconds.
fn the_board() -> &'static std::path::Path {
    static BOARD: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BOARD.get_or_init(|| board(ITEMS))
}

fn open_app(path: &std::path::Path) -> App {
    let store = Store::open(path).unwrap();
    let mut app = App::new(store, Keymap::default_keys().unwrap(), today()).unwrap();
    app.resize(WIDTH, HEIGHT).unwrap();
    app.update(Action::FocusBacklog).unwrap();
    app
}

/// `j`/`k` through the backlog, as `key_move_selection` moves, with the
/// check running in its thread throughout (started again whenever it
/// ends), and without it.
fn key_move_selection_while_checking(c: &mut Criterion) {
    let path = the_board();
    let mut group = c.benchmark_group("key_move_selection_while_checking");
    for checking in [false, true] {
        let mut app = open_app(path);
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        draw(&mut terminal, &app);
        let mut down = true;
        let name = if checking { "checking" } else { "no check" };
        group.bench_function(BenchmarkId::new(name, ITEMS), |b| {
            b.iter(|| {
                if checking && !app.file_check_running() {
                    app.end_file_check();
                    app.start_file_check();
                }
                let selected = app.backlog.selected;
                if selected == 0 || selected + 1 == app.backlog.summary.count {
                    down = selected == 0;
                }
                let code = if down { KeyCode::Char('j') } else { KeyCode::Char('k') };
                app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
                draw(&mut terminal, &app);
            });
        });
        app.end_file_check();
    }
    group.finish();
}

/// The check's whole run (start to verdict), and stopping it a moment after
/// it started (what `q` waits for while a check runs), printed as medians.
fn check_and_stop(c: &mut Criterion) {
    let _ = c;
    let path = the_board();
    let mut app = open_app(path);
    let median = |mut values: Vec<Duration>| {
        values.sort();
        values[values.len() / 2]
    };
    let mut whole = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        app.start_file_check();
        while app.file_check_running() {
            std::thread::sleep(Duration::from_millis(1));
        }
        whole.push(started.elapsed());
        assert!(!app.poll_file_check(), "the bench's board is sound");
        app.end_file_check();
    }
    let mut stops = Vec::new();
    for _ in 0..20 {
        app.start_file_check();
        // Let it get under way: stopping one that has not begun is no test.
        std::thread::sleep(Duration::from_millis(50));
        assert!(app.file_check_running());
        let stopping = Instant::now();
        app.end_file_check();
        stops.push(stopping.elapsed());
    }
    println!(
        "file check at {ITEMS} items: whole check {:.0} ms (median of 5); stopping it mid-check {:.2} ms (median of 20)",
        median(whole).as_secs_f64() * 1000.0,
        median(stops).as_secs_f64() * 1000.0
    );
}

criterion_group!(benches, key_move_selection_while_checking, check_and_stop);
criterion_main!(benches);
