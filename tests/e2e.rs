//! End to end: the real `quarterdeck` binary, in a pseudo-terminal for the
//! board and as a plain process for its subcommands.

#![allow(clippy::unwrap_used)]

mod common;
// Beside this file, which is long enough already: the board and another
// program's write lock; the settings.
#[path = "e2e/closing.rs"]
mod closing;
#[path = "e2e/damaged.rs"]
mod damaged;
#[path = "e2e/editor.rs"]
mod editor;
#[path = "e2e/glance.rs"]
mod glance;
#[path = "e2e/locked.rs"]
mod locked;
#[path = "e2e/present.rs"]
mod present;
#[path = "e2e/quarters.rs"]
mod quarters;
#[path = "e2e/salvage.rs"]
mod salvage;
#[path = "e2e/settings.rs"]
mod settings;
#[path = "e2e/two_boards.rs"]
mod two_boards;
#[path = "e2e/wrong_values.rs"]
mod wrong_values;

use std::{
    fs,
    io::{Read, Write},
    path::Path,
    process::Command,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    thread::{self, JoinHandle},
    time::{Duration, Instant},
};

use common::{board_path, folder_files};
use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_quarterdeck");
const TODAY: &str = "2026-11-23";

fn quarterdeck(board: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN).args(args).env("QUARTERDECK_DB", board).env("QUARTERDECK_TODAY", TODAY).output().unwrap()
}

/// The board running in a pseudo-terminal, with a screen that parses what
/// it prints as a terminal would.
struct Session {
    child: Box<dyn Child + Send + Sync>,
    /// The terminal's side of the pseudo-terminal; `None` once hung up.
    master: Option<Box<dyn portable_pty::MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    /// The thread reading what the board prints, and how to tell it to stop.
    reading: Option<JoinHandle<()>>,
    stop_reading: Arc<AtomicBool>,
}

impl Session {
    fn start(board: &Path, home: &Path, cols: u16, rows: u16) -> Self {
        Self::start_with(board, home, cols, rows, &[])
    }

    fn start_with(board: &Path, home: &Path, cols: u16, rows: u16, env: &[(&str, &str)]) -> Self {
        Self::launch(&[BIN], board, home, cols, rows, env)
    }

    /// Runs `argv` (the binary, perhaps behind `setpriv`) on `board`.
    fn launch(argv: &[&str], board: &Path, home: &Path, cols: u16, rows: u16, env: &[(&str, &str)]) -> Self {
        let pty = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut command = CommandBuilder::from_argv(argv.iter().map(Into::into).collect());
        command.env("QUARTERDECK_DB", board);
        command.env("QUARTERDECK_TODAY", TODAY);
        command.env("HOME", home);
        command.env("TERM", "xterm-256color");
        command.env("QUARTERDECK_TEST_PANIC", "1");
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pty.slave.spawn_command(command).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let stop_reading = Arc::new(AtomicBool::new(false));
        let (screen_in, raw_in, stop) = (Arc::clone(&screen), Arc::clone(&raw), Arc::clone(&stop_reading));
        let reading = thread::spawn(move || {
            let mut buffer = [0_u8; 8192];
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                screen_in.lock().unwrap().process(&buffer[..n]);
                raw_in.lock().unwrap().extend_from_slice(&buffer[..n]);
                if stop.load(Ordering::SeqCst) {
                    break;
                }
            }
        });
        Self { child, master: Some(pty.master), writer: Some(writer), screen, raw, reading: Some(reading), stop_reading }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`, or fails showing the screen.
    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        panic!("the screen never showed {text:?}:\n{}", self.contents());
    }

    fn resize(&self, cols: u16, rows: u16) {
        self.screen.lock().unwrap().screen_mut().set_size(rows, cols);
        self.master.as_ref().unwrap().resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
    }

    fn press(&mut self, keys: &str) {
        let writer = self.writer.as_mut().unwrap();
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
    }

    /// Focuses the backlog and selects the item titled `title` through a
    /// kept search that lists it alone, so no test counts rows in the
    /// demo's order.
    fn select_item(&mut self, title: &str) {
        self.press(&format!("3/{title}\r"));
        self.wait_for("1/1");
    }

    /// Closes the terminal's side of the pseudo-terminal, as a terminal
    /// emulator does when its window is closed: the board's terminal hangs
    /// up, and the kernel sends the board SIGHUP.
    fn hang_up(&mut self) {
        // The reading thread holds a copy of the terminal's side. It lets
        // go after its next read, which the redraw of `?` (help) wakes.
        self.stop_reading.store(true, Ordering::SeqCst);
        self.press("?");
        self.reading.take().unwrap().join().unwrap();
        self.writer = None;
        self.master = None;
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        self.wait_exit_within(Duration::from_secs(10))
    }

    fn wait_exit_within(&mut self, time: Duration) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + time;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.drain_output();
                return status;
            }
            assert!(Instant::now() < deadline, "the board did not exit:\n{}", self.contents());
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether the terminal was handed back: alternate screen left, no
    /// mouse reporting left on for the shell, and the cursor shown.
    fn restored(&self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            let raw = self.raw.lock().unwrap().clone();
            let text = String::from_utf8_lossy(&raw);
            let left = text.rfind("\u{1b}[?1049l");
            if left.is_some_and(|at| at > text.rfind("\u{1b}[?1049h").unwrap_or(0))
                && !self.screen.lock().unwrap().screen().alternate_screen()
                && self.mouse_mode() == vt100::MouseProtocolMode::None
                && text.rfind("\u{1b}[?25h") > text.rfind("\u{1b}[?25l")
                && !self.screen.lock().unwrap().screen().hide_cursor()
            {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits (a little) until everything the exited board printed has been
    /// read: the child can end before the reader thread has taken its last
    /// bytes, and a test reading the output at once would miss them.
    fn drain_output(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.reading.as_ref().is_some_and(|reading| !reading.is_finished()) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
    }

    fn mouse_mode(&self) -> vt100::MouseProtocolMode {
        self.screen.lock().unwrap().screen().mouse_protocol_mode()
    }

    /// Everything the board has printed so far, as text.
    fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// A left click at the 0-based `(column, row)`, as a terminal reports it
    /// in SGR mode: press, then release.
    fn click(&mut self, (column, row): (usize, usize)) {
        let (x, y) = (column + 1, row + 1);
        self.press(&format!("\u{1b}[<0;{x};{y}M\u{1b}[<0;{x};{y}m"));
    }

    /// Where `text` first shows on screen, as (column, row).
    fn locate(&self, text: &str) -> (usize, usize) {
        common::locate(&self.contents(), text)
    }

    fn signal(&self, name: &str) {
        let pid = self.child.process_id().unwrap().to_string();
        assert!(Command::new("kill").args(["-s", name, &pid]).status().unwrap().success());
    }
}

impl Drop for Session {
    /// A failed test must not leave a board running.
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

#[test]
fn a_new_user_loads_the_demo_quits_and_finds_the_same_board() {
    let (dir, _) = board_path();
    let home = dir.path().join("home");
    fs::create_dir_all(&home).unwrap();
    let board = home.join(".local/share/quarterdeck/board.sqlite3");

    let mut session = Session::start(&board, &home, 160, 48);
    session.wait_for("Load the demo quarter");
    session.press("d");
    session.wait_for("40 items, 148 pts");
    let screen = session.contents();
    for pane in ["OKRs", "Timeline", "Backlog", "Sprint 3 of 6"] {
        assert!(screen.contains(pane), "{pane} missing:\n{screen}");
    }
    session.press("3jj");
    session.wait_for("3/40");
    session.press("q");
    assert!(session.wait_exit().success());
    assert!(session.restored(), "terminal restored after q");

    let mut again = Session::start(&board, &home, 160, 48);
    again.wait_for("3/40");
    assert!(again.contents().contains("Checkout conversion"));
    again.press("q");
    assert!(again.wait_exit().success());

    let conn = rusqlite::Connection::open(&board).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn the_terminal_is_restored_on_sigterm_sighup_and_ctrl_c() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    // With the mouse on too: the shell must not be left reporting clicks.
    for env in [&[][..], &[MOUSE_ON][..]] {
        // A signal ends the board with 128 + its number, as a shell reports
        // a process it ended; ctrl-c in the board is a key, a plain quit.
        for (stop, code) in [("TERM", 143), ("HUP", 129), ("INT", 130), ("ctrl-c", 0)] {
            let mut session = Session::start_with(&board, dir.path(), 80, 24, env);
            session.wait_for("Sprint 3 of 6");
            if stop == "ctrl-c" {
                session.press("\u{3}");
            } else {
                session.signal(stop);
            }
            assert_eq!(session.wait_exit().exit_code(), code, "exit code after {stop} with {env:?}");
            assert!(session.restored(), "terminal restored after {stop} with {env:?}");
        }
    }
}

#[test]
fn the_terminal_is_restored_after_a_panic() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    for env in [&[][..], &[MOUSE_ON][..]] {
        let mut session = Session::start_with(&board, dir.path(), 80, 24, env);
        session.wait_for("Sprint 3 of 6");
        session.press("\u{1b}[24~"); // F12: the debug build's panic hook
        assert!(!session.wait_exit().success());
        assert!(session.restored(), "terminal restored after a panic with {env:?}");
    }
}

/// Found by closing the terminal under a running board: when its terminal
/// hangs up, the board must end, not spin. A hang-up is SIGHUP from the
/// kernel, so the board ends as on SIGHUP: 129.
#[test]
fn the_board_ends_when_its_terminal_hangs_up() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let mut session = Session::start(&board, dir.path(), 80, 24);
    session.wait_for("Sprint 3 of 6");
    session.hang_up();
    let status = session.wait_exit_within(Duration::from_secs(5));
    assert_eq!(status.exit_code(), 129, "ended as on SIGHUP: {status:?}");
}

/// A write waits for a lock another process holds. A signal in that wait
/// ends the board (within a poll since the write waits in the loop; else,
/// after the grace period, from the signal watcher): the terminal must be
/// handed back either way.
#[test]
fn a_signal_while_waiting_on_a_locked_file_restores_the_terminal() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let mut session = Session::start(&board, dir.path(), 80, 24);
    session.wait_for("Sprint 3 of 6");
    let lock = rusqlite::Connection::open(&board).unwrap();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    // Rank the second backlog item up: a write, which now waits.
    session.press("3jK");
    thread::sleep(Duration::from_millis(500));
    session.signal("TERM");
    assert_eq!(session.wait_exit_within(Duration::from_secs(4)).exit_code(), 143);
    assert!(session.restored(), "terminal restored after a signal during a lock wait");
    drop(lock);
}

#[test]
fn the_board_adapts_to_a_resize_and_to_a_tiny_terminal() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let mut session = Session::start(&board, dir.path(), 50, 12);
    session.wait_for("needs 60x16");
    session.press("jjG");
    session.resize(160, 48);
    session.wait_for("Timeline");
    session.resize(80, 24);
    session.wait_for("1 OKRs");
    session.press("q");
    assert!(session.wait_exit().success(), "no panic below the minimum size");
}

#[test]
fn demo_fills_a_board_and_refuses_one_that_holds_a_quarter() {
    let (_dir, board) = board_path();
    let first = quarterdeck(&board, &["demo"]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let said = String::from_utf8_lossy(&first.stdout);
    assert!(said.contains("3 objectives, 7 key results, 6 sprints, 40 items"), "{said}");

    let before = fs::read(&board).unwrap();
    let second = quarterdeck(&board, &["demo"]);
    assert!(!second.status.success());
    let error = String::from_utf8_lossy(&second.stderr);
    assert!(error.contains("already holds a quarter") && error.contains("--force"), "{error}");
    assert_eq!(fs::read(&board).unwrap(), before, "nothing changed");

    let forced = quarterdeck(&board, &["demo", "--force"]);
    assert!(forced.status.success());
    let conn = rusqlite::Connection::open(&board).unwrap();
    let items: i64 = conn.query_row("SELECT count(*) FROM item", [], |row| row.get(0)).unwrap();
    assert_eq!(items, 40);
}

#[cfg(unix)]
#[test]
fn the_board_file_and_folder_are_created_private() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, _) = board_path();
    let board = dir.path().join("new/folder/board.sqlite3");
    assert!(quarterdeck(&board, &["demo"]).status.success());
    assert_eq!(fs::metadata(&board).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn foreign_and_newer_files_exit_2_and_stay_untouched() {
    let (_dir, board) = board_path();
    fs::write(&board, "not a board").unwrap();
    let output = quarterdeck(&board, &["demo"]);
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains(&board.display().to_string()) && error.contains("not a Quarterdeck board"), "{error}");
    assert_eq!(fs::read(&board).unwrap(), b"not a board");

    let (_dir2, newer) = board_path();
    assert!(quarterdeck(&newer, &["demo"]).status.success());
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.execute_batch("PRAGMA user_version = 99; PRAGMA journal_mode = DELETE;").unwrap();
    drop(conn);
    let before = fs::read(&newer).unwrap();
    let output = quarterdeck(&newer, &["demo", "--force"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("newer Quarterdeck"));
    assert_eq!(fs::read(&newer).unwrap(), before);
}

#[test]
fn the_board_without_a_terminal_says_what_to_do() {
    let (_dir, board) = board_path();
    let output = quarterdeck(&board, &[]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs a terminal"));
}

const MOUSE_ON: (&str, &str) = ("QUARTERDECK_MOUSE", "1");

#[test]
fn the_mouse_is_off_unless_turned_on_and_a_click_selects() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let mut plain = Session::start(&board, dir.path(), 160, 48);
    plain.wait_for("Sprint 3 of 6");
    assert_eq!(plain.mouse_mode(), vt100::MouseProtocolMode::None, "off by default: the terminal keeps text selection");
    plain.press("q");
    plain.wait_exit();

    let mut session = Session::start_with(&board, dir.path(), 160, 48, &[MOUSE_ON]);
    session.wait_for("Sprint 3 of 6");
    assert_eq!(session.mouse_mode(), vt100::MouseProtocolMode::PressRelease, "clicks, no motion reports");
    assert!(session.raw_text().contains("\u{1b}[?1006h"), "SGR coordinates, for any width");
    session.wait_for("Apple Pay and Google Pay");
    let at = session.locate("Apple Pay and Google Pay");
    session.click(at);
    session.wait_for(" 17/40 ");
    session.press("q");
    assert!(session.wait_exit().success());
    assert!(session.restored(), "mouse reporting off after q");
}

#[test]
fn the_shell_gets_the_terminal_without_mouse_reporting_on_ctrl_z() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let mut session = Session::start_with(&board, dir.path(), 80, 24, &[MOUSE_ON]);
    session.wait_for("Sprint 3 of 6");
    let before = session.raw_text().len();
    session.press("\u{1a}");
    // Under a test harness the board may or may not really stop; a CONT
    // resumes it if it did.
    thread::sleep(Duration::from_millis(300));
    session.signal("CONT");
    let deadline = Instant::now() + Duration::from_secs(10);
    let handed = loop {
        let text = session.raw_text()[before..].to_owned();
        if text.contains("\u{1b}[?1049h") && session.mouse_mode() == vt100::MouseProtocolMode::PressRelease {
            break text;
        }
        assert!(Instant::now() < deadline, "the board never took the terminal back:\n{}", session.contents());
        thread::sleep(Duration::from_millis(20));
    };
    let mouse_off = handed.find("\u{1b}[?1000l").expect("mouse reporting turned off");
    let left = handed.find("\u{1b}[?1049l").expect("alternate screen left");
    let back = handed.find("\u{1b}[?1049h").unwrap();
    let mouse_on = handed.rfind("\u{1b}[?1000h").expect("mouse reporting turned on again");
    assert!(mouse_off < left && left < back && back < mouse_on, "off, hand over, take back, on");
    session.press("q");
    assert!(session.wait_exit().success());
    assert!(session.restored());
}

#[test]
fn mouse_can_be_set_in_config_toml_and_a_bad_setting_is_named() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let config = dir.path().join("config-home/quarterdeck");
    fs::create_dir_all(&config).unwrap();
    fs::write(config.join("config.toml"), "mouse = true\n").unwrap();
    let config_home = dir.path().join("config-home").display().to_string();
    let mut session = Session::start_with(&board, dir.path(), 80, 24, &[("XDG_CONFIG_HOME", config_home.as_str())]);
    session.wait_for("Sprint 3 of 6");
    assert_eq!(session.mouse_mode(), vt100::MouseProtocolMode::PressRelease);
    session.press("q");
    assert!(session.wait_exit().success());

    fs::write(config.join("config.toml"), "mouse = \"yes\"\n").unwrap();
    let mut refused = Session::start_with(&board, dir.path(), 80, 24, &[("XDG_CONFIG_HOME", config_home.as_str())]);
    assert!(!refused.wait_exit().success());
    let text = refused.raw_text();
    assert!(text.contains("config.toml") && text.contains("mouse"), "{text}");
    assert!(!text.contains("\u{1b}[?1049h"), "refused before the terminal was taken");
}

#[test]
fn a_damaged_board_exits_2_and_says_to_restore_it() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    fs::OpenOptions::new().write(true).open(&board).unwrap().set_len(4096).unwrap();
    let before = fs::read(&board).unwrap();
    let output = quarterdeck(&board, &["demo", "--force"]);
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("is damaged") && error.contains("restore it from a backup"), "{error}");
    assert_eq!(fs::read(&board).unwrap(), before);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no -wal or -shm made");
}

/// Root may write any file, so as root (as in CI) the board runs as
/// `nobody` for the permissions to apply.
fn runs_as_root() -> bool {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    status.lines().find_map(|line| line.strip_prefix("Uid:")).is_some_and(|ids| ids.split_whitespace().next() == Some("0"))
}

const NOBODY: u32 = 65_534;

/// A read-only board (its file, or its folder) opens read-only: the screen
/// says so, a write attempt says why it changed nothing, and quitting exits
/// 0 with the folder exactly as it was.
#[test]
fn a_read_only_board_opens_read_only_and_leaves_no_files() {
    use std::os::unix::fs::{PermissionsExt, chown};
    let mode = |path: &Path, mode: u32| fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    let root = runs_as_root();
    let argv: &[&str] = if root { &["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", BIN] } else { &[BIN] };
    for read_only_folder in [false, true] {
        let (dir, _) = board_path();
        let folder = dir.path().join("boards");
        fs::create_dir(&folder).unwrap();
        let board = folder.join("board.sqlite3");
        assert!(quarterdeck(&board, &["demo"]).status.success());
        mode(dir.path(), 0o755);
        if read_only_folder {
            if root {
                chown(&board, Some(NOBODY), Some(NOBODY)).unwrap();
            }
            mode(&folder, 0o555);
        } else {
            mode(&board, 0o444);
            mode(&folder, if root { 0o777 } else { 0o755 });
        }
        let before = folder_files(&folder);

        let mut session = Session::launch(argv, &board, &folder, 120, 30, &[]);
        session.wait_for("Read-only");
        session.wait_for("Sprint 3 of 6");
        session.press("u");
        session.wait_for("Read-only board: nothing was changed");
        session.press("q");
        assert!(session.wait_exit().success(), "quitting a read-only board exits 0:\n{}", session.contents());

        let after = folder_files(&folder);
        assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>(), "no new files ({read_only_folder})");
        assert!(after == before, "every file byte-identical ({read_only_folder})");
        mode(&folder, 0o755);
    }
}

#[test]
fn a_board_with_a_bad_row_opens_and_names_it_once() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let conn = rusqlite::Connection::open(&board).unwrap();
    conn.execute_batch("UPDATE item SET points = 5000000000 WHERE id = (SELECT min(id) FROM item);").unwrap();
    drop(conn);
    let mut session = Session::start(&board, dir.path(), 200, 40);
    session.wait_for("points 5000000000 out of range, shown as 100");
    session.press("q");
    assert!(session.wait_exit().success());
}
