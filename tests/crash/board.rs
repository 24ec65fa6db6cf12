//! The board, the real binary, in a pseudo-terminal: keys in, the screen
//! as a terminal would show it, and SIGKILL at a moment the harness draws.

use std::{
    io::{Read, Write},
    path::Path,
    process::Command,
    sync::{Arc, Mutex},
    thread::{self, JoinHandle},
    time::{Duration, Instant},
};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_quarterdeck");

/// How long the board may take to show what a test waits for: a debug
/// build on a loaded two-core machine.
const PATIENCE: Duration = Duration::from_secs(20);

pub struct Board {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    reading: Option<JoinHandle<()>>,
    // Kept open so the board's terminal does not hang up before the kill.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Board {
    /// Starts the board on `board` as if on `today`, in a 160x48 terminal.
    pub fn start(board: &Path, home: &Path, today: &str) -> Self {
        let (rows, cols) = (48, 160);
        let pty = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("a pty");
        let mut command = CommandBuilder::new(BIN);
        command.args(["--db".as_ref(), board.as_os_str(), "--today".as_ref(), today.as_ref()]);
        command.env_remove("QUARTERDECK_DB");
        command.env_remove("QUARTERDECK_TODAY");
        command.env("HOME", home);
        command.env("TERM", "xterm-256color");
        let child = pty.slave.spawn_command(command).expect("the board starts");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("a reader");
        let writer = pty.master.take_writer().expect("a writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let screen_in = Arc::clone(&screen);
        let reading = thread::spawn(move || {
            let mut buffer = [0_u8; 16384];
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                screen_in.lock().expect("screen").process(&buffer[..n]);
            }
        });
        Self { child, writer, screen, reading: Some(reading), _master: pty.master }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().expect("screen").screen().contents()
    }

    pub fn press(&mut self, keys: &str) {
        // A board that died under a key is the harness's finding, not a panic here.
        let _ = self.writer.write_all(keys.as_bytes()).and_then(|()| self.writer.flush());
    }

    /// Waits until the screen shows `text`; the screen if it never does.
    pub fn wait_for(&self, text: &str) -> Result<(), String> {
        self.wait_for_any(&[text]).map(|_| ())
    }

    /// Waits until the screen shows one of `texts`; returns which.
    pub fn wait_for_any(&self, texts: &[&str]) -> Result<usize, String> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let screen = self.contents();
            if let Some(found) = texts.iter().position(|text| screen.contains(text)) {
                return Ok(found);
            }
            if Instant::now() > deadline {
                return Err(format!("the screen never showed {texts:?}:\n{screen}"));
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// SIGKILL, as a power cut or `kill -9` ends it (portable-pty's own
    /// kill sends SIGHUP, which the board handles), then everything it
    /// printed before it died is read.
    pub fn kill(&mut self) {
        if let Some(pid) = self.child.process_id() {
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
        }
        let _ = self.child.wait();
        // The terminal's side reads end-of-file once the board is gone.
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.reading.as_ref().is_some_and(|reading| !reading.is_finished()) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn process_id(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// Whether the board is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Board {
    fn drop(&mut self) {
        if self.running() {
            self.kill();
        }
    }
}
