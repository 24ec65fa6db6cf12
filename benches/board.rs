//! Criterion benchmarks of the board at 1,000, 10,000 and 100,000 items:
//! cold open to first frame, one frame, each keypress end to end (key, store,
//! refreshed state, frame), and the bulk load of `demo --items N`.
//! Results and targets: docs/benchmarks.md.

#![allow(clippy::unwrap_used)]

mod common;

use std::hint::black_box;

use common::{SIZES, board, today};
use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use quarterdeck::{
    app::{Action, App, Keymap},
    plan::Plan,
    store::Store,
    ui::{self, Theme},
};
use ratatui::{
    Terminal,
    backend::TestBackend,
    crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers},
};

const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

fn open_app(path: &std::path::Path) -> App {
    let store = Store::open(path).unwrap();
    let mut app = App::new(store, Keymap::default_keys().unwrap(), today()).unwrap();
    app.resize(WIDTH, HEIGHT).unwrap();
    app
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|frame| ui::draw(frame, app, Theme::default())).unwrap();
}

fn press(app: &mut App, code: KeyCode) {
    // Redo is ctrl-r; an upper-case letter comes with shift, as from a terminal.
    let modifiers = match code {
        KeyCode::Char('r') => KeyModifiers::CONTROL,
        KeyCode::Char(ch) if ch.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    app.handle_event(&Event::Key(KeyEvent::new(code, modifiers)));
}

fn cold_open(c: &mut Criterion) {
    let mut group = c.benchmark_group("cold_open_to_first_frame");
    for items in SIZES {
        let path = board(items);
        group.bench_with_input(BenchmarkId::from_parameter(items), &path, |b, path| {
            b.iter(|| {
                let app = open_app(path);
                let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
                draw(&mut terminal, &app);
                black_box(terminal);
            });
        });
    }
    group.finish();
}

/// One full redraw of a screen that `setup` opens.
fn bench_frame(c: &mut Criterion, name: &str, setup: fn(&mut App)) {
    let mut group = c.benchmark_group(name);
    for items in SIZES {
        let path = board(items);
        let mut app = open_app(&path);
        setup(&mut app);
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        group.bench_function(BenchmarkId::from_parameter(items), |b| {
            b.iter(|| {
                // A full redraw: without the clear, ratatui would diff
                // against an identical previous frame and send nothing.
                terminal.clear().unwrap();
                draw(&mut terminal, &app);
            });
        });
    }
    group.finish();
}

fn frame(c: &mut Criterion) {
    bench_frame(c, "frame_board", |app| app.update(Action::FocusBacklog).unwrap());
}

/// One keypress path end to end: `setup` places the app, then each
/// iteration presses the key `next` picks and draws the frame.
fn bench_keys(c: &mut Criterion, name: &str, setup: fn(&mut App), mut next: impl FnMut(&App) -> KeyCode) {
    let mut group = c.benchmark_group(name);
    for items in SIZES {
        let path = board(items);
        let mut app = open_app(&path);
        setup(&mut app);
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        draw(&mut terminal, &app);
        group.bench_function(BenchmarkId::from_parameter(items), |b| {
            b.iter(|| {
                let key = next(&app);
                press(&mut app, key);
                draw(&mut terminal, &app);
            });
        });
    }
    group.finish();
}

/// One full redraw of the sprint planning screen (the running sprint).
fn frame_planning(c: &mut Criterion) {
    bench_frame(c, "frame_planning", |app| app.update(Action::PlanSprint).unwrap());
}

/// Opening the planning screen (`p`): ranking every candidate by KR
/// relevance, reading the sprint backlog, and the first frame.
fn key_open_planning(c: &mut Criterion) {
    let setup = |app: &mut App| app.update(Action::FocusTimeline).unwrap();
    bench_keys(c, "key_open_planning", setup, |app| if app.planning().is_none() { KeyCode::Char('p') } else { KeyCode::Esc });
}

/// Moves down the backlog and back up, reading new windows as it goes.
fn key_move_selection(c: &mut Criterion) {
    let mut down = true;
    let setup = |app: &mut App| app.update(Action::FocusBacklog).unwrap();
    bench_keys(c, "key_move_selection", setup, move |app| {
        let selected = app.backlog.selected;
        if selected == 0 || selected + 1 == app.backlog.summary.count {
            down = selected == 0;
        }
        if down { KeyCode::Char('j') } else { KeyCode::Char('k') }
    });
}

/// Steps between an objective (whole backlog) and its first KR (filtered).
fn key_filter_by_kr(c: &mut Criterion) {
    let setup = |app: &mut App| {
        app.update(Action::FocusOkrs).unwrap();
        app.update(Action::First).unwrap();
    };
    bench_keys(c, "key_filter_by_kr", setup, |app| {
        if app.backlog.filter.key_result.is_none() { KeyCode::Char('j') } else { KeyCode::Char('k') }
    });
}

/// Re-ranks the selected item (`K`/`J`): a recorded two-row write, then the
/// refreshed board and frame. Alternates so the backlog stays as it was.
fn key_rerank(c: &mut Criterion) {
    let setup = |app: &mut App| {
        app.update(Action::FocusBacklog).unwrap();
        app.update(Action::PageDown).unwrap();
    };
    let mut up = true;
    bench_keys(c, "key_rerank", setup, move |_| {
        up = !up;
        if up { KeyCode::Char('K') } else { KeyCode::Char('J') }
    });
}

/// Undo and redo of a re-rank, in turn: each replays a history step.
fn key_undo(c: &mut Criterion) {
    let setup = |app: &mut App| {
        app.update(Action::FocusBacklog).unwrap();
        app.update(Action::PageDown).unwrap();
        app.update(Action::RankUp).unwrap();
    };
    let mut undo = false;
    bench_keys(c, "key_undo_redo", setup, move |_| {
        undo = !undo;
        if undo { KeyCode::Char('u') } else { KeyCode::Char('r') }
    });
}

/// A picker's writing keypress: `before` opens and sets the picker
/// (untimed), then Enter (the recorded write, refresh and frame) is timed.
fn bench_picker(c: &mut Criterion, name: &str, before: &'static [KeyCode]) {
    let mut group = c.benchmark_group(name);
    for items in SIZES {
        let path = board(items);
        let mut app = open_app(&path);
        app.update(Action::FocusBacklog).unwrap();
        app.update(Action::PageDown).unwrap();
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        group.bench_function(BenchmarkId::from_parameter(items), |b| {
            b.iter_custom(|iterations| {
                let mut timed = std::time::Duration::ZERO;
                for _ in 0..iterations {
                    for key in before {
                        press(&mut app, *key);
                    }
                    let started = std::time::Instant::now();
                    press(&mut app, KeyCode::Enter);
                    draw(&mut terminal, &app);
                    timed += started.elapsed();
                }
                timed
            });
        });
    }
    group.finish();
}

/// `t`, space on the first KR, Enter: tags or untags in turn.
fn key_tag(c: &mut Criterion) {
    bench_picker(c, "key_tag", &[KeyCode::Char('t'), KeyCode::Char(' ')]);
}

/// `m`, then down one sprint (or back to "not in a sprint" at the end), Enter.
fn key_move_to_sprint(c: &mut Criterion) {
    bench_picker(c, "key_move_to_sprint", &[KeyCode::Char('m'), KeyCode::Char('j')]);
}

fn demo_load(c: &mut Criterion) {
    let mut group = c.benchmark_group("demo_load_items");
    group.sample_size(10);
    for items in SIZES {
        let dir = tempfile::tempdir().unwrap();
        group.bench_function(BenchmarkId::from_parameter(items), |b| {
            b.iter_batched(
                || {
                    let path = dir.path().join(format!("load-{}.sqlite3", std::process::id()));
                    for suffix in ["", "-wal", "-shm"] {
                        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                    }
                    path
                },
                // What `quarterdeck demo --items N` does: make the plan, write it.
                |path| {
                    let mut store = Store::open(&path).unwrap();
                    store.import_synthetic(&Plan::synthetic(today(), items).unwrap(), today(), false).unwrap();
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    cold_open,
    frame,
    frame_planning,
    key_open_planning,
    key_move_selection,
    key_filter_by_kr,
    key_rerank,
    key_undo,
    key_tag,
    key_move_to_sprint,
    demo_load
);
criterion_main!(benches);
