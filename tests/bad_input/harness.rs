//! What every bad-input case needs: the real binary run with a deadline
//! (a plain process, or the board in a pseudo-terminal), every file of a
//! folder snapshotted to prove it unchanged, and the checks every message
//! must pass.

use std::{
    collections::BTreeMap,
    fs,
    io::{Read, Write},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_quarterdeck");
pub const TODAY: &str = "2026-11-23";
/// No case may take longer: a hang is a failure, never a stuck suite.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// What a run printed and how it ended.
pub struct Ran {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Ran {
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Both streams, for messages that may go to either.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout_text(), self.stderr)
    }
}

/// Runs `quarterdeck ARGS` with `board` as `--db` (if any), a private home
/// and config folder under `home`, and no terminal; fails if it has not
/// ended by the deadline.
pub fn run(board: Option<&Path>, home: &Path, args: &[&str]) -> Ran {
    let mut command = Command::new(BIN);
    command.args(args).args(["--today", TODAY]).env_remove("QUARTERDECK_DB").env_remove("QUARTERDECK_TODAY");
    if let Some(board) = board {
        command.arg("--db").arg(board);
    }
    command.env("HOME", home).env("XDG_CONFIG_HOME", home.join("config")).env("XDG_DATA_HOME", home.join("data"));
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("quarterdeck runs");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let deadline = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("quarterdeck {args:?} did not end within {DEADLINE:?}: a hang");
        }
        thread::sleep(Duration::from_millis(10));
    };
    let stdout = out.join().expect("stdout read");
    let stderr = String::from_utf8_lossy(&err.join().expect("stderr read")).into_owned();
    Ran { code: status.code(), stdout, stderr }
}

/// A folder for one case: the board's folder and a home beside it, both
/// gone with the case.
pub struct Folder {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub home: PathBuf,
}

impl Folder {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("boards");
        let home = dir.path().join("home");
        fs::create_dir_all(&path).expect("boards folder");
        fs::create_dir_all(home.join("config/quarterdeck")).expect("config folder");
        Self { _dir: dir, path, home }
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// A board filled with the demo quarter, made by the real binary.
    pub fn demo_board(&self) -> PathBuf {
        let board = self.file("board.sqlite3");
        let made = run(Some(&board), &self.home, &["demo"]);
        assert_eq!(made.code, Some(0), "demo: {}", made.stderr);
        board
    }

    /// Writes a settings or keymap file where the board reads it.
    pub fn config_file(&self, name: &str, text: &[u8]) -> PathBuf {
        let path = self.home.join("config/quarterdeck").join(name);
        fs::write(&path, text).expect("config written");
        path
    }

    /// Every entry of the board's folder and the config folder, by kind and
    /// bytes (a FIFO and a folder by kind only: reading a FIFO would hang).
    pub fn snapshot(&self) -> BTreeMap<PathBuf, String> {
        let mut entries = BTreeMap::new();
        for root in [&self.path, &self.home] {
            walk(root, &mut entries);
        }
        entries
    }

    /// Runs `quarterdeck ARGS` on `board` with this folder's home.
    pub fn run(&self, board: &Path, args: &[&str]) -> Ran {
        run(Some(board), &self.home, args)
    }
}

fn walk(folder: &Path, entries: &mut BTreeMap<PathBuf, String>) {
    let Ok(listing) = fs::read_dir(folder) else {
        entries.insert(folder.to_owned(), "unreadable folder".into());
        return;
    };
    for entry in listing.flatten() {
        let path = entry.path();
        let meta = fs::symlink_metadata(&path).expect("metadata");
        let kind = meta.file_type();
        let what = if kind.is_symlink() {
            format!("symlink to {:?}", fs::read_link(&path).ok())
        } else if kind.is_dir() {
            walk(&path, entries);
            "folder".into()
        } else if kind.is_file() {
            fs::read(&path).map_or_else(|error| format!("unreadable: {error}"), |bytes| fingerprint(&bytes))
        } else {
            "special file".into()
        };
        entries.insert(path, what);
    }
}

/// Length and a 64-bit FNV-1a hash: enough to tell any change a test makes.
fn fingerprint(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x100_0000_01b3));
    format!("{} bytes, {hash:016x}", bytes.len())
}

/// Fails unless the folder is as `before` was: no file changed, none
/// appeared, none disappeared.
pub fn assert_unchanged(folder: &Folder, before: &BTreeMap<PathBuf, String>, what: &str) {
    let after = folder.snapshot();
    if &after != before {
        let changed: Vec<_> = (before.keys().chain(after.keys()))
            .filter(|path| before.get(*path) != after.get(*path))
            .map(|path| format!("{}: {:?} -> {:?}", path.display(), before.get(path), after.get(path)))
            .collect();
        panic!("{what} changed the folder:\n{}", changed.join("\n"));
    }
}

/// The checks every message passes: it names `names` (a file, a field, a
/// line), says each of `says`, and is never a panic or a raw library error.
pub fn assert_message(text: &str, names: &[&str], says: &[&str], what: &str) {
    for name in names.iter().chain(says) {
        assert!(text.contains(name), "{what}: the message does not say {name:?}:\n{text}");
    }
    assert_clean(text, what);
}

/// Never a panic, never SQLite's or rusqlite's own words alone.
pub fn assert_clean(text: &str, what: &str) {
    for raw in [
        "panicked",
        "RUST_BACKTRACE",
        "Error code",
        "Invalid column type",
        "Conversion error",
        "SqliteFailure",
        "FromSqlConversionFailure",
    ] {
        assert!(!text.contains(raw), "{what}: raw {raw:?} reached the user:\n{text}");
    }
}

/// Feeds the board's bytes to the terminal emulator. vt100 can overflow on
/// bytes drawn for a size it was resized from (a burst of resizes): then the
/// screen starts blank and takes the chunk again from its last full clear,
/// because the frame drawn after the last resize may sit in the same chunk
/// as the bytes that overflowed, and an idle board draws nothing more.
fn feed(parser: &mut vt100::Parser, bytes: &[u8]) {
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.process(bytes))).is_ok() {
        return;
    }
    let (rows, cols) = parser.screen().size();
    *parser = vt100::Parser::new(rows, cols, 0);
    const CLEAR: &[u8] = b"\x1b[2J";
    if let Some(start) = bytes.windows(CLEAR.len()).rposition(|window| window == CLEAR) {
        let tail = &bytes[start..];
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.process(tail))).is_err() {
            *parser = vt100::Parser::new(rows, cols, 0);
        }
    }
}

/// The board in a pseudo-terminal: the screen as a terminal shows it, and
/// every byte the board printed.
pub struct Screen {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Screen {
    /// `quarterdeck ARGS` (no subcommand: the board) on `board`, in a
    /// terminal of `cols` x `rows`, as `argv_prefix` (e.g. `setpriv ...`).
    pub fn start(folder: &Folder, board: &Path, args: &[&str], size: (u16, u16), argv_prefix: &[&str]) -> Self {
        let (cols, rows) = size;
        let pty = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("pty");
        let mut argv: Vec<String> = argv_prefix.iter().map(|part| (*part).to_owned()).collect();
        argv.push(BIN.to_owned());
        argv.extend(args.iter().map(|arg| (*arg).to_owned()));
        argv.extend(["--today".to_owned(), TODAY.to_owned(), "--db".to_owned(), board.to_string_lossy().into_owned()]);
        let mut command = CommandBuilder::from_argv(argv.iter().map(Into::into).collect());
        command.env_remove("QUARTERDECK_DB");
        command.env_remove("QUARTERDECK_TODAY");
        command.env("HOME", &folder.home);
        command.env("XDG_CONFIG_HOME", folder.home.join("config"));
        command.env("XDG_DATA_HOME", folder.home.join("data"));
        command.env("TERM", "xterm-256color");
        let child = pty.slave.spawn_command(command).expect("board starts");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (parser_in, raw_in) = (Arc::clone(&parser), Arc::clone(&raw));
        thread::spawn(move || {
            let mut buffer = [0_u8; 8192];
            while let Ok(read) = reader.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                feed(&mut parser_in.lock().expect("screen"), &buffer[..read]);
                raw_in.lock().expect("raw").extend_from_slice(&buffer[..read]);
            }
        });
        Self { child, master: pty.master, writer, parser, raw }
    }

    pub fn contents(&self) -> String {
        self.parser.lock().expect("screen").screen().contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().expect("raw").clone()
    }

    /// Everything printed, as text (a message printed before or after the
    /// full screen is in it, even when the screen was cleared since).
    pub fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw()).into_owned()
    }

    /// Waits until the screen shows `text`, or fails showing it.
    pub fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + DEADLINE;
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        panic!("the screen never showed {text:?}:\n{}\nprinted: {}", self.contents(), self.raw_text());
    }

    pub fn press(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("keys written");
        self.writer.flush().expect("keys flushed");
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.parser.lock().expect("screen").screen_mut().set_size(rows, cols);
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize");
    }

    /// The exit code, once the board has ended; fails after the deadline.
    pub fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // What it printed last may still be on its way to the reader.
                let settled = Instant::now() + Duration::from_millis(300);
                let mut seen = self.raw().len();
                while Instant::now() < settled {
                    thread::sleep(Duration::from_millis(30));
                    let now = self.raw().len();
                    if now == seen {
                        break;
                    }
                    seen = now;
                }
                return status.exit_code();
            }
            assert!(Instant::now() < deadline, "the board did not exit (a hang):\n{}", self.contents());
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Screen {
    /// A failed case must not leave a board running.
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Whether this runs as root, which ignores mode bits: then the board runs
/// as `nobody` for a read-only file or folder to mean anything.
pub fn runs_as_root() -> bool {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|line| line.strip_prefix("Uid:")).is_some_and(|ids| ids.split_whitespace().next() == Some("0"))
}
