//! The real binary in a pseudo-terminal, its output parsed as a terminal
//! would (vt100), watched for words of a lock reaching the user on every
//! frame, not only on those a wait happens to read.

use std::{
    io::{Read, Write},
    path::Path,
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

/// Words that must never reach a user: SQLite's, and the store's own for
/// a lock that outlasted its wait.
pub const LOCK_WORDS: [&str; 4] = ["locked", "busy", "Busy", "nothing was written yet"];

/// The status line of a board whose write waits for the lock: allowed (the
/// write goes through), but counted.
const WAITING: &str = "Waiting for another program";

/// How long a screen may take to show what a test waits for, on two cores
/// shared with the writers.
const DEADLINE: Duration = Duration::from_secs(30);

pub struct Screen {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every frame that showed a lock word, as it showed.
    alarms: Arc<Mutex<Vec<String>>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Screen {
    /// `quarterdeck ARGS` on `board` at 80x24, as if on the suite's day.
    pub fn start(board: &Path, home: &Path, args: &[&str]) -> Self {
        let pty = native_pty_system().openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_quarterdeck"));
        command.args(args);
        command.env("QUARTERDECK_DB", board);
        command.env("QUARTERDECK_TODAY", super::TODAY);
        command.env("HOME", home);
        command.env("TERM", "xterm-256color");
        let child = pty.slave.spawn_command(command).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
        let alarms = Arc::new(Mutex::new(Vec::new()));
        let (parsing, alarming) = (Arc::clone(&parser), Arc::clone(&alarms));
        thread::spawn(move || {
            let mut buffer = [0_u8; 16_384];
            while let Ok(read) = reader.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                let mut parser = parsing.lock().unwrap();
                parser.process(&buffer[..read]);
                let shown = parser.screen().contents();
                if LOCK_WORDS.iter().any(|words| shown.contains(words)) {
                    alarming.lock().unwrap().push(shown);
                }
            }
        });
        Self { child, writer, parser, alarms, _master: pty.master }
    }

    pub fn contents(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn press(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits until the screen shows `text`; whether the board said, in
    /// the meantime, that it waited for the lock.
    pub fn wait_for(&self, text: &str) -> bool {
        let mut waited = false;
        self.wait_until(text, |screen| {
            waited |= screen.contains(WAITING);
            screen.contains(text)
        });
        waited
    }

    /// Waits until `shown` holds for the screen, or fails showing it.
    pub fn wait_until(&self, what: &str, mut shown: impl FnMut(&str) -> bool) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if shown(&self.contents()) {
                return;
            }
            assert!(Instant::now() < deadline, "the screen never showed {what}:\n{}", self.contents());
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Every frame that showed a lock word.
    pub fn alarms(&self) -> Vec<String> {
        self.alarms.lock().unwrap().clone()
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "it did not exit:\n{}", self.contents());
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Screen {
    /// A failed test must not leave a board running.
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
