//! Boards of N items for the benchmarks, made once per run with the same
//! generator as `quarterdeck demo --items N`.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use chrono::NaiveDate;
use quarterdeck::{
    app::App,
    plan::Plan,
    store::Store,
    ui::{self, Theme},
};
use ratatui::{Terminal, backend::TestBackend};

pub const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// A fixed "today", so every run measures the same board.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// The terminal the benches draw in: a projector's.
pub const WIDTH: u16 = 160;
pub const HEIGHT: u16 = 48;
/// The sizes of the benches that need large boards only.
pub const LARGE: [usize; 2] = [10_000, 100_000];

/// One frame of `app` in the default theme.
pub fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|frame| ui::draw(frame, app, Theme::default())).unwrap();
}

/// `name` under the target folder, with no board (nor its log) there yet.
fn fresh_path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-boards");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

/// A fresh board file of `items` items under the target folder.
pub fn board(items: usize) -> PathBuf {
    let path = fresh_path(&format!("board-{items}.sqlite3"));
    let mut store = Store::open(&path).unwrap();
    store.import_synthetic(&Plan::synthetic(today(), items).unwrap(), today(), false).unwrap();
    path
}

/// Weeks of check-ins in [`board_with_a_year`].
pub const WEEKS: u64 = 52;

/// A fresh board of `items` items with a year of history: a check-in on
/// every KR each week for 52 weeks up to `today`, then the 200-step edit
/// history, all written through the store's own recorded calls as
/// `demo --items N` writes its history.
pub fn board_with_a_year(items: usize) -> PathBuf {
    let path = fresh_path(&format!("year-{items}.sqlite3"));
    let plan = Plan::synthetic(today(), items).unwrap();
    let mut store = Store::open(&path).unwrap();
    let quarter_id = store.import_plan(&plan, today(), false).unwrap();
    let board = store.load_board().unwrap().unwrap();
    for kr in board.key_results() {
        for week in (0..WEEKS).rev() {
            let date = today() - chrono::Days::new(7 * week);
            #[allow(clippy::cast_precision_loss)] // a few dozen weeks
            let value = kr.start + (kr.target - kr.start) * (WEEKS - week) as f64 / WEEKS as f64;
            let fields = quarterdeck::store::CheckInFields {
                date,
                value,
                confidence: quarterdeck::domain::values::Confidence::new(60).expect("a confidence"),
                note: format!("week {week}"),
            };
            store.add_check_in(kr.id, &fields, "Check-in").unwrap();
        }
    }
    let depth = usize::try_from(quarterdeck::store::HISTORY_DEPTH).unwrap();
    store.write_synthetic_history(quarter_id, &plan.synthetic_history(depth + depth / 2), today()).unwrap();
    path
}

/// The board binary `bin` on the board at `path` in a new pseudo-terminal
/// of `rows` x `cols`, as the terminal benches start it: the process, and
/// what to write keys to. Each chunk the board prints goes to `chunk`, on a
/// reader thread, until the terminal closes.
pub fn spawn_in_pty(
    bin: &str,
    path: &std::path::Path,
    (rows, cols): (u16, u16),
    mut chunk: impl FnMut(&[u8]) + Send + 'static,
) -> (Box<dyn portable_pty::Child + Send + Sync>, Box<dyn std::io::Write + Send>) {
    use std::io::Read;

    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let pty = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
    let mut command = CommandBuilder::new(bin);
    command.env("QUARTERDECK_DB", path);
    command.env("QUARTERDECK_TODAY", "2026-11-23");
    command.env("TERM", "xterm-256color");
    let child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let writer = pty.master.take_writer().unwrap();
    std::thread::spawn(move || {
        let mut buffer = [0_u8; 65536];
        while let Ok(n) = reader.read(&mut buffer) {
            if n == 0 {
                break;
            }
            chunk(&buffer[..n]);
        }
    });
    (child, writer)
}
