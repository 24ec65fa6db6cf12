//! Criterion benchmarks of the quarter at a glance at 10,000 and 100,000
//! items with a year of history (`common::board_with_a_year`): opening
//! health (`H`) and the charts (`R`), each reading its facts and drawing its
//! first frame, and the presentation following another program's change
//! (`PRAGMA data_version` seen, the board, health, charts and review read
//! again, a frame); and the store's reads behind them alone. Results and
//! budgets: docs/benchmarks.md.

#![allow(clippy::unwrap_used)]

mod common;

use std::cell::{Cell, RefCell};

use common::{HEIGHT, LARGE, WIDTH, board_with_a_year, draw, today};
use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use quarterdeck::{
    app::{App, Context, Keymap},
    store::Store,
};
use ratatui::{
    Terminal,
    backend::TestBackend,
    crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers},
};

fn press(app: &mut App, code: KeyCode) {
    let modifiers =
        if matches!(code, KeyCode::Char(ch) if ch.is_ascii_uppercase()) { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    app.handle_event(&Event::Key(KeyEvent::new(code, modifiers)));
}

/// A screen's opening key (`H`, `R`) timed with its first frame; `Esc`
/// back before each, untimed.
fn bench_open(c: &mut Criterion, name: &str, open: char, context: Context) {
    let mut group = c.benchmark_group(name);
    for items in LARGE {
        let path = board_with_a_year(items);
        let store = Store::open(&path).unwrap();
        let mut app = App::new(store, Keymap::default_keys().unwrap(), today()).unwrap();
        app.resize(WIDTH, HEIGHT).unwrap();
        let screen = RefCell::new((app, Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap()));
        group.bench_function(BenchmarkId::from_parameter(items), |b| {
            b.iter_batched(
                || {
                    let (app, terminal) = &mut *screen.borrow_mut();
                    press(app, KeyCode::Esc);
                    assert_eq!(app.context(), Context::Board);
                    draw(terminal, app);
                },
                |()| {
                    let (app, terminal) = &mut *screen.borrow_mut();
                    press(app, KeyCode::Char(open));
                    draw(terminal, app);
                    assert_eq!(app.context(), context);
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

fn key_open_health(c: &mut Criterion) {
    bench_open(c, "key_open_health", 'H', Context::Health);
}

fn key_open_charts(c: &mut Criterion) {
    bench_open(c, "key_open_charts", 'R', Context::Charts);
}

/// `quarterdeck present` on a read-only store: another connection renames
/// a KR (untimed, committed), then the presentation's poll sees the change,
/// reads everything again and draws (timed).
fn present_follows_a_change(c: &mut Criterion) {
    let mut group = c.benchmark_group("present_follows_a_change");
    for items in LARGE {
        let path = board_with_a_year(items);
        let store = Store::open_read_only(&path).unwrap();
        let mut app = App::new(store, Keymap::default_keys().unwrap(), today()).unwrap();
        app.overlays.clear();
        app.resize(WIDTH, HEIGHT).unwrap();
        app.open_presentation(true).unwrap();
        let screen = RefCell::new((app, Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap()));
        let writer = rusqlite::Connection::open(&path).unwrap();
        let kr: i64 = writer.query_row("SELECT min(id) FROM key_result", [], |row| row.get(0)).unwrap();
        let turn = Cell::new(0_u64);
        group.bench_function(BenchmarkId::from_parameter(items), |b| {
            b.iter_batched(
                || {
                    turn.set(turn.get() + 1);
                    let title = format!("Checkout conversion {}", turn.get());
                    writer.execute("UPDATE key_result SET title = ?1 WHERE id = ?2", rusqlite::params![title, kr]).unwrap();
                },
                |()| {
                    let (app, terminal) = &mut *screen.borrow_mut();
                    assert!(app.poll_external_changes().unwrap(), "the change was seen");
                    draw(terminal, app);
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

/// Where the time goes: the store's reads behind each screen, alone.
fn store_reads(c: &mut Criterion) {
    let mut group = c.benchmark_group("store_reads");
    for items in LARGE {
        let path = board_with_a_year(items);
        let store = Store::open_read_only(&path).unwrap();
        let quarter = store.load_board().unwrap().unwrap().quarter.id;
        group.bench_function(BenchmarkId::new("load_board", items), |b| b.iter(|| store.load_board().unwrap()));
        group.bench_function(BenchmarkId::new("health_facts", items), |b| b.iter(|| store.health_facts(quarter).unwrap()));
        group.bench_function(BenchmarkId::new("chart_facts", items), |b| b.iter(|| store.chart_facts(quarter).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, key_open_health, key_open_charts, present_follows_a_change, store_reads);
criterion_main!(benches);
