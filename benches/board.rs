//! Criterion benchmarks of the board at 1,000, 10,000 and 100,000 items:
//! cold open to first frame, one frame, each keypress end to end (key, store,
//! refreshed state, frame), and the bulk load of `demo --items N`.
//! Results and targets: docs/benchmarks.md.

#![allow(clippy::unwrap_used)]

mod common;

use std::{cell::RefCell, hint::black_box};

use common::{HEIGHT, LARGE, SIZES, WIDTH, board, draw, today};
use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use quarterdeck::{
    app::{Action, App, Context, Keymap, OkrRow},
    domain::SprintState,
    plan::Plan,
    store::Store,
};
use ratatui::{
    Terminal,
    backend::TestBackend,
    crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers},
};

fn open_app(path: &std::path::Path) -> App {
    let store = Store::open(path).unwrap();
    let mut app = App::new(store, Keymap::default_keys().unwrap(), today()).unwrap();
    app.resize(WIDTH, HEIGHT).unwrap();
    app
}

/// A key as the board's keypaths press it: `r` stands for redo (ctrl-r);
/// an upper-case letter comes with shift, as from a terminal.
fn key(code: KeyCode) -> KeyEvent {
    let modifiers = match code {
        KeyCode::Char('r') => KeyModifiers::CONTROL,
        KeyCode::Char(ch) if ch.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    KeyEvent::new(code, modifiers)
}

/// A key without modifiers (`r` itself: the review).
fn plain(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn press(app: &mut App, key: KeyEvent) {
    app.handle_event(&Event::Key(key));
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
fn bench_keys(c: &mut Criterion, name: &str, setup: fn(&mut App), next: impl FnMut(&App) -> KeyEvent) {
    bench_keys_at(c, name, &SIZES, setup, next);
}

/// [`bench_keys`] at the board sizes `sizes`.
fn bench_keys_at(c: &mut Criterion, name: &str, sizes: &[usize], setup: fn(&mut App), mut next: impl FnMut(&App) -> KeyEvent) {
    let mut group = c.benchmark_group(name);
    for &items in sizes {
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
    bench_keys(c, "key_open_planning", setup, |app| {
        key(if app.planning().is_none() { KeyCode::Char('p') } else { KeyCode::Esc })
    });
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
        key(if down { KeyCode::Char('j') } else { KeyCode::Char('k') })
    });
}

/// Steps between an objective (whole backlog) and its first KR (filtered).
fn key_filter_by_kr(c: &mut Criterion) {
    let setup = |app: &mut App| {
        app.update(Action::FocusOkrs).unwrap();
        app.update(Action::First).unwrap();
    };
    bench_keys(c, "key_filter_by_kr", setup, |app| {
        key(if app.backlog.filter.key_result.is_none() { KeyCode::Char('j') } else { KeyCode::Char('k') })
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
        key(if up { KeyCode::Char('K') } else { KeyCode::Char('J') })
    });
}

/// Steps the selected item's state on and back (`s`/`S`, issue 16): a
/// recorded one-row write through the command layer, the backlog read
/// again and the frame. On from todo, back from doing or done, so that every press writes.
fn key_step_state(c: &mut Criterion) {
    let setup = |app: &mut App| {
        app.update(Action::FocusBacklog).unwrap();
        app.update(Action::PageDown).unwrap();
    };
    // On from todo, back otherwise: every press writes.
    bench_keys(c, "key_step_state", setup, |app| {
        let todo = app.backlog.selected_row().is_some_and(|row| row.state == quarterdeck::domain::ItemState::Todo);
        key(if todo { KeyCode::Char('s') } else { KeyCode::Char('S') })
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
        key(if undo { KeyCode::Char('u') } else { KeyCode::Char('r') })
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
                    for code in before {
                        press(&mut app, key(*code));
                    }
                    let started = std::time::Instant::now();
                    press(&mut app, key(KeyCode::Enter));
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

/// The timeline focused (`2`) on the running sprint, Sprint 3 on the
/// demo's `today`, which the board selects as it opens.
fn focus_running_sprint(app: &mut App) {
    app.update(Action::FocusTimeline).unwrap();
    let sprint = &app.board.as_ref().unwrap().sprints[app.sprint_selected];
    assert!(sprint.number == 3 && sprint.state == SprintState::Active, "the running sprint is selected");
}

/// Opening the running sprint's review (`r` in the timeline): its record
/// worked out from the commitment and the items now, its outcome, and the
/// first frame; `Esc` back, in turn.
fn key_open_review(c: &mut Criterion) {
    bench_keys_at(c, "key_open_review", &LARGE, focus_running_sprint, |app| {
        plain(if app.review().is_none() { KeyCode::Char('r') } else { KeyCode::Esc })
    });
}

/// Recording a check-in: Enter on a filled check-in form (the recorded
/// write, the board read again, a frame). Each iteration first opens a
/// fresh form (`i` on the first KR in the OKR pane) and types a reading,
/// untimed. The KR's check-ins grow by one an iteration.
fn key_check_in(c: &mut Criterion) {
    let mut group = c.benchmark_group("key_check_in");
    group.sample_size(10);
    for items in LARGE {
        let path = board(items);
        let mut app = open_app(&path);
        app.update(Action::FocusOkrs).unwrap();
        app.update(Action::First).unwrap();
        app.update(Action::MoveDown).unwrap();
        let Some(OkrRow::KeyResult { id: kr, .. }) = app.okr_rows().get(app.okr_selected).copied() else {
            panic!("a KR is selected in the OKR pane");
        };
        let before = app.board.as_ref().unwrap().key_result(kr).unwrap().check_ins.len();
        let screen = RefCell::new((app, Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap()));
        let mut readings = ["12.5", "13"].into_iter().cycle();
        group.bench_function(BenchmarkId::from_parameter(items), |b| {
            b.iter_batched(
                || {
                    let (app, terminal) = &mut *screen.borrow_mut();
                    // The previous save closed its form and recorded it.
                    assert!(app.overlays.is_empty(), "the check-in was saved");
                    press(app, plain(KeyCode::Char('i')));
                    assert_eq!(app.context(), Context::Form);
                    press(app, KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
                    for ch in readings.next().unwrap().chars() {
                        press(app, plain(KeyCode::Char(ch)));
                    }
                    draw(terminal, app);
                },
                |()| {
                    let (app, terminal) = &mut *screen.borrow_mut();
                    press(app, plain(KeyCode::Enter));
                    draw(terminal, app);
                },
                BatchSize::PerIteration,
            );
        });
        let (app, _) = screen.into_inner();
        let after = app.board.as_ref().unwrap().key_result(kr).unwrap().check_ins.len();
        if after > before {
            eprintln!("key_check_in/{items}: the KR went from {before} to {after} check-ins");
        }
    }
    group.finish();
}

/// Closing the running sprint: Enter in its carry dialog (the record
/// frozen, unfinished items carried to the next sprint, one recorded step;
/// then the whole board, the backlog's window and the frozen record read
/// again, and a frame). Each iteration closes it on a fresh copy of the
/// same board, opened and taken to the dialog (`2`, `r`, `c`) untimed.
fn key_close_sprint(c: &mut Criterion) {
    let mut group = c.benchmark_group("key_close_sprint");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    for items in LARGE {
        let prepared = board(items);
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("close.sqlite3");
        let open_dialog = || {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
            }
            std::fs::copy(&prepared, &copy).unwrap();
            let mut app = open_app(&copy);
            focus_running_sprint(&mut app);
            press(&mut app, plain(KeyCode::Char('r')));
            press(&mut app, plain(KeyCode::Char('c')));
            assert_eq!(app.context(), Context::Carry, "Sprint 3 has unfinished items to carry");
            let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
            draw(&mut terminal, &app);
            (app, terminal)
        };
        // Enter chooses the places, `y` answers the question that follows.
        let close = |(mut app, mut terminal): (App, Terminal<TestBackend>)| {
            press(&mut app, plain(KeyCode::Enter));
            press(&mut app, plain(KeyCode::Char('y')));
            draw(&mut terminal, &app);
            (app, terminal)
        };
        // Once untimed: the close went through.
        let (app, _) = close(open_dialog());
        let sprint = &app.board.as_ref().unwrap().sprints[app.sprint_selected];
        assert_eq!(sprint.state, SprintState::Closed, "{:?}", app.status);
        drop(app);
        group.bench_function(BenchmarkId::from_parameter(items), |b| {
            b.iter_batched(open_dialog, close, BatchSize::PerIteration);
        });
    }
    group.finish();
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
    key_step_state,
    key_move_selection,
    key_filter_by_kr,
    key_rerank,
    key_undo,
    key_tag,
    key_move_to_sprint,
    key_open_review,
    key_check_in,
    key_close_sprint,
    demo_load
);
criterion_main!(benches);
