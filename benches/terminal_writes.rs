//! The board's writing keys in the real binary, in a pseudo-terminal, as a
//! user feels them: `K` and `J` (re-rank), `s` and `S` (state), each timed
//! from the key written to the pty until the frame that shows its status
//! line ("Moved … up", "… is now doing") has been read. Run with
//! `cargo bench --bench terminal_writes`.
//!
//! The reader is event-driven: it stamps each chunk it reads and wakes the
//! waiting side, which checks the screen; the time taken is the stamp of the
//! chunk that completed the change, so the harness does not spin against
//! the board for the two cores.
//!
//! A/B: `QUARTERDECK_BINS=/path/a,/path/b` runs each binary in turn, run
//! after run (interleaved), on the same board file, and prints one row per
//! binary and key. `QUARTERDECK_BENCH_ITEMS` sets the board's size
//! (100,000 by default), `QUARTERDECK_BENCH_RUNS` the runs per binary, and
//! `QUARTERDECK_BENCH_DEEP=1` presses the keys ten places from the bottom
//! instead of the top.

#![allow(clippy::unwrap_used)]

mod common;

use std::{
    io::Write,
    sync::{Arc, Condvar, Mutex},
    time::{Duration, Instant},
};

const BIN: &str = env!("CARGO_BIN_EXE_quarterdeck");
const ROUNDS_PER_RUN: usize = 10;
const HEIGHT: u16 = 48;
const WIDTH: u16 = 160;
/// The status line: the second row from the bottom.
const STATUS_ROW: u16 = HEIGHT - 2;
const KEYS: [(&str, u8); 4] = [("K", b'K'), ("J", b'J'), ("s", b's'), ("S", b'S')];

struct Screen {
    parser: vt100::Parser,
    /// When the last chunk was read.
    read_at: Instant,
}

struct Terminal {
    screen: Arc<(Mutex<Screen>, Condvar)>,
    writer: Box<dyn Write + Send>,
}

impl Terminal {
    fn status(&self) -> String {
        let screen = self.screen.0.lock().unwrap();
        status_of(&screen.parser)
    }

    /// Waits until `done` holds for the screen; returns when the chunk
    /// that made it hold was read.
    fn wait_until(&self, done: impl Fn(&vt100::Parser) -> bool) -> Instant {
        let deadline = Instant::now() + Duration::from_secs(20);
        let (lock, changed) = &*self.screen;
        let mut screen = lock.lock().unwrap();
        loop {
            if done(&screen.parser) {
                return screen.read_at;
            }
            assert!(Instant::now() < deadline, "screen never changed:\n{}", screen.parser.screen().contents());
            screen = changed.wait_timeout(screen, Duration::from_millis(50)).unwrap().0;
        }
    }

    /// Writes the key; returns when it began, so that a writer descheduled
    /// before it returns does not shorten the time measured.
    fn press(&mut self, bytes: &[u8]) -> Instant {
        let pressed = Instant::now();
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        pressed
    }
}

fn status_of(parser: &vt100::Parser) -> String {
    parser.screen().rows(0, WIDTH).nth(usize::from(STATUS_ROW)).unwrap_or_default().trim().to_owned()
}

/// One run of the binary `bin`: each writing key `ROUNDS_PER_RUN` times,
/// the durations by key in `KEYS` order.
fn run_once(bin: &str, path: &std::path::Path, items: usize) -> [Vec<Duration>; 4] {
    let screen = Screen { parser: vt100::Parser::new(HEIGHT, WIDTH, 0), read_at: Instant::now() };
    let screen = Arc::new((Mutex::new(screen), Condvar::new()));
    let feed = Arc::clone(&screen);
    let (mut child, writer) = common::spawn_in_pty(bin, path, (HEIGHT, WIDTH), move |chunk| {
        let read_at = Instant::now();
        let (lock, changed) = &*feed;
        let mut screen = lock.lock().unwrap();
        screen.parser.process(chunk);
        screen.read_at = read_at;
        changed.notify_all();
    });
    let mut terminal = Terminal { screen, writer };
    let total = format!("{items} items");
    terminal.wait_until(|parser| {
        let text = parser.screen().contents();
        text.contains(&total) && text.contains("help")
    });
    // The backlog, its top, then the tenth item (or the tenth from the
    // bottom); `S` twice makes it todo
    // whatever it was, so `s` and `S` then step it to doing and back.
    terminal.press(b"3g");
    terminal.wait_until(|parser| parser.screen().contents().contains(&format!(" 1/{items} ")));
    // Near the top, or (QUARTERDECK_BENCH_DEEP) near the bottom.
    let places: Vec<usize> = if std::env::var_os("QUARTERDECK_BENCH_DEEP").is_some() {
        terminal.press(b"G");
        terminal.wait_until(|parser| parser.screen().contents().contains(&format!(" {items}/{items} ")));
        (items - 9..items).rev().collect()
    } else {
        (2..=10).collect()
    };
    for place in places {
        terminal.press(if place > 10 { b"k" } else { b"j" });
        terminal.wait_until(|parser| parser.screen().contents().contains(&format!(" {place}/{items} ")));
    }
    for _ in 0..2 {
        let before = terminal.status();
        if before.contains("Already todo") {
            break;
        }
        terminal.press(b"S");
        terminal.wait_until(|parser| status_of(parser) != before);
    }
    let mut times: [Vec<Duration>; 4] = Default::default();
    for _ in 0..ROUNDS_PER_RUN {
        for (slot, (name, key)) in KEYS.iter().enumerate() {
            let before = terminal.status();
            let expect = match *name {
                "K" => "up",
                "J" => "down",
                "s" => "is now doing",
                _ => "is now todo",
            };
            let pressed = terminal.press(&[*key]);
            let shown = terminal.wait_until(|parser| {
                let status = status_of(parser);
                status != before && status.contains(expect)
            });
            times[slot].push(shown.saturating_duration_since(pressed));
        }
    }
    terminal.press(b"q");
    child.wait().unwrap();
    times
}

fn ms(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo test --benches` runs benches as tests; a full run is only for `cargo bench`.
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let bins: Vec<String> = std::env::var("QUARTERDECK_BINS")
        .map(|list| list.split(',').map(str::to_owned).collect())
        .unwrap_or_else(|_| vec![BIN.to_owned()]);
    let items: usize = std::env::var("QUARTERDECK_BENCH_ITEMS").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let runs: usize = std::env::var("QUARTERDECK_BENCH_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(5);
    let path = common::board(items);
    let mut all: Vec<[Vec<Duration>; 4]> = bins.iter().map(|_| Default::default()).collect();
    for _ in 0..runs {
        for (bin, times) in bins.iter().zip(&mut all) {
            let run = run_once(bin, &path, items);
            for (slot, durations) in run.into_iter().enumerate() {
                times[slot].extend(durations);
            }
        }
    }
    println!("| binary | key | median | min | max | presses |");
    println!("|---|---|---|---|---|---|");
    for (bin, times) in bins.iter().zip(all) {
        for ((name, _), mut durations) in KEYS.iter().zip(times) {
            durations.sort();
            println!(
                "| {bin} | `{name}` | {} ms | {} ms | {} ms | {} |",
                ms(durations[durations.len() / 2]),
                ms(durations[0]),
                ms(durations[durations.len() - 1]),
                durations.len()
            );
        }
    }
}
