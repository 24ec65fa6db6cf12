//! The real binary in a pseudo-terminal, measured as a user feels it: time
//! from start to the first full board, time from a keypress to the screen
//! change, and the process's peak memory. Prints a Markdown table for
//! docs/benchmarks.md. Run with `cargo bench --bench terminal`.

#![allow(clippy::unwrap_used)]

mod common;

use std::{
    io::Write,
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

use common::{SIZES, board};

const BIN: &str = env!("CARGO_BIN_EXE_quarterdeck");
const RUNS: usize = 15;
const KEYS_PER_RUN: usize = 20;

struct Measured {
    first_board: Duration,
    keypresses: Vec<Duration>,
    peak_kib: u64,
}

fn wait_until(screen: &Mutex<vt100::Parser>, done: impl Fn(&str) -> bool) -> Instant {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if done(&screen.lock().unwrap().screen().contents()) {
            return Instant::now();
        }
        assert!(Instant::now() < deadline, "screen never changed:\n{}", screen.lock().unwrap().screen().contents());
        thread::yield_now();
    }
}

fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn run_once(path: &std::path::Path, items: usize) -> Measured {
    let screen = Arc::new(Mutex::new(vt100::Parser::new(48, 160, 0)));
    let feed = Arc::clone(&screen);
    let started = Instant::now();
    let (mut child, mut writer) = common::spawn_in_pty(BIN, path, (48, 160), move |chunk| feed.lock().unwrap().process(chunk));
    let total = format!("{items} items");
    let shown = wait_until(&screen, |text| text.contains(&total) && text.contains("help"));
    let first_board = shown - started;

    writer.write_all(b"3g").unwrap();
    writer.flush().unwrap();
    wait_until(&screen, |text| text.contains(&format!(" 1/{items} ")));
    let mut keypresses = Vec::with_capacity(KEYS_PER_RUN);
    for step in 1..=KEYS_PER_RUN {
        let expect = format!(" {}/{items} ", step + 1);
        let pressed = Instant::now();
        writer.write_all(b"j").unwrap();
        writer.flush().unwrap();
        keypresses.push(wait_until(&screen, |text| text.contains(&expect)) - pressed);
    }
    let pid = child.process_id().unwrap();
    let peak_kib = peak_kib(pid);
    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    child.wait().unwrap();
    Measured { first_board, keypresses, peak_kib }
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn main() {
    // `cargo test --benches` runs benches as tests; a full run is only for `cargo bench`.
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    println!(
        "| items | start to first full board (median of {RUNS}) | keypress to screen change (median of {}) | peak memory |",
        RUNS * KEYS_PER_RUN
    );
    println!("|---|---|---|---|");
    for items in SIZES {
        let path = board(items);
        let runs: Vec<Measured> = (0..RUNS).map(|_| run_once(&path, items)).collect();
        let first = median(runs.iter().map(|run| run.first_board).collect());
        let keys = median(runs.iter().flat_map(|run| run.keypresses.iter().copied()).collect());
        let peak = runs.iter().map(|run| run.peak_kib).max().unwrap_or(0);
        #[allow(clippy::cast_precision_loss)]
        let peak_mb = peak as f64 / 1024.0;
        println!(
            "| {items} | {:.1} ms | {:.2} ms | {peak_mb:.1} MB |",
            first.as_secs_f64() * 1000.0,
            keys.as_secs_f64() * 1000.0
        );
    }
}
