//! A `quarterdeck` command run by the board as a child process in the
//! background: `y` runs `sync --json`, `sync.auto` runs `sync fetch
//! --json` (issue 19; docs/sync.md). The child gets no terminal (stdin
//! null, stdout and stderr captured), is polled from the event loop's tick
//! without blocking, its one JSON object read when it ends, and it is
//! killed if the board drops it (quitting). The board keeps taking keys.
//!
//! Use: [`BackgroundRun::start`] with [`Program`] and [`sync_args`], then
//! [`BackgroundRun::poll`] on every tick until it gives a [`Finished`].

use std::{
    ffi::OsString,
    io::Read,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    thread::JoinHandle,
    time::{Duration, Instant},
};

use crate::sync::{Outcome, Report as SyncReport};

/// Set for a sync the board runs: the engine then never lets git ask on
/// the screen (`sync::git::Git::without_prompts`), whose terminal the board
/// holds.
pub const FROM_BOARD_ENV: &str = "QUARTERDECK_SYNC_FROM_BOARD";

/// Names a program to run in place of this executable for every sync the
/// board starts (a test's stand-in that prints a JSON line).
pub const SYNC_PROGRAM_VARIABLE: &str = "QUARTERDECK_SYNC_PROGRAM";

/// The program the board runs for a sync: this very executable, or the
/// one `QUARTERDECK_SYNC_PROGRAM` names, or a stand-in a test sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program(pub PathBuf);

impl Program {
    pub fn current() -> Self {
        let named = std::env::var_os(SYNC_PROGRAM_VARIABLE).filter(|value| !value.is_empty()).map(PathBuf::from);
        Self(named.or_else(|| std::env::current_exe().ok()).unwrap_or_else(|| PathBuf::from("quarterdeck")))
    }
}

/// The arguments of `quarterdeck SUBCOMMAND --json --db BOARD --today D`.
pub fn sync_args(subcommand: &[&str], board: &Path, today: chrono::NaiveDate) -> Vec<OsString> {
    let mut args: Vec<OsString> = subcommand.iter().map(OsString::from).collect();
    args.extend(["--json".into(), "--db".into(), board.as_os_str().to_owned(), "--today".into(), today.to_string().into()]);
    args
}

/// A child that ended: its exit code and its report, or what it printed
/// instead of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub code: Option<i32>,
    pub report: Result<SyncReport, String>,
}

impl Finished {
    /// The report, a child that printed none read as a failed one.
    pub fn into_report(self) -> SyncReport {
        self.report.unwrap_or_else(|said| SyncReport { outcome: Outcome::Failed, message: Some(said), ..SyncReport::default() })
    }
}

/// A child running in the background.
pub struct BackgroundRun {
    child: Child,
    program: String,
    output: Option<JoinHandle<Vec<u8>>>,
    errors: Option<JoinHandle<Vec<u8>>>,
}

impl BackgroundRun {
    /// Starts `program ARGS` with no terminal; git inside it never asks
    /// (`FROM_BOARD_ENV`, and git's own `GIT_TERMINAL_PROMPT=0` for any git
    /// run outside the engine's runner). The error names the program.
    pub fn start(program: &Path, args: &[OsString]) -> Result<Self, String> {
        let name = program.display().to_string();
        let mut child = Command::new(program)
            .args(args)
            .env(FROM_BOARD_ENV, "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| format!("could not start {name}: {error}"))?;
        // Read in threads: a child writing more than a pipe holds would
        // otherwise wait for us forever.
        let output = child.stdout.take().map(read_all);
        let errors = child.stderr.take().map(read_all);
        Ok(Self { child, program: name, output, errors })
    }

    /// The child's end, once it has ended and its output is read; never
    /// waits.
    pub fn poll(&mut self) -> Option<Finished> {
        let status = match self.child.try_wait() {
            Ok(Some(status)) => status,
            Ok(None) => return None,
            Err(error) => {
                return Some(Finished { code: None, report: Err(format!("{} could not be watched: {error}", self.program)) });
            }
        };
        let read = |reader: &Option<JoinHandle<Vec<u8>>>| reader.as_ref().is_none_or(JoinHandle::is_finished);
        if !read(&self.output) || !read(&self.errors) {
            return None;
        }
        let output = self.output.take().and_then(|reader| reader.join().ok()).unwrap_or_default();
        let errors = self.errors.take().and_then(|reader| reader.join().ok()).unwrap_or_default();
        Some(Finished { code: status.code(), report: parse_report(&self.program, status.code(), &output, &errors) })
    }

    /// `poll` for at most `timeout` (quitting gives a running sync a
    /// moment to end).
    pub fn wait(&mut self, timeout: Duration) -> Option<Finished> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(finished) = self.poll() {
                return Some(finished);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Kills the child if it still runs, and reaps it.
    pub fn stop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }

    /// The child's process id (tests check that it ends).
    pub fn id(&self) -> u32 {
        self.child.id()
    }
}

impl std::fmt::Debug for BackgroundRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackgroundRun").field("program", &self.program).field("pid", &self.child.id()).finish()
    }
}

impl Drop for BackgroundRun {
    fn drop(&mut self) {
        self.stop();
    }
}

fn read_all(mut from: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = from.read_to_end(&mut bytes);
        bytes
    })
}

/// The contract's object from what a child printed: its last non-empty
/// line (a child may warn before it). Without one, what it said instead:
/// stdout's last line, else stderr's, else its exit code.
pub fn parse_report(program: &str, code: Option<i32>, output: &[u8], errors: &[u8]) -> Result<SyncReport, String> {
    let text = String::from_utf8_lossy(output);
    let last_line = |text: &str| text.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("").trim().to_owned();
    let last = last_line(&text);
    serde_json::from_str::<SyncReport>(&last).map_err(|_| {
        let said = if last.is_empty() { last_line(&String::from_utf8_lossy(errors)) } else { last };
        let said: String = crate::ui::text::clean(&said).chars().take(120).collect();
        match (said.is_empty(), code) {
            (false, _) => format!("{program} failed: {said}"),
            (true, Some(code)) => format!("{program} ended with exit code {code} and printed no report"),
            (true, None) => format!("{program} was stopped by a signal before it printed a report"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_read_from_the_last_line_and_what_else_was_said_is_named() {
        let line = br#"{"outcome": "fetched", "summary": "2 to fetch", "message": null, "incoming": 2}"#;
        let report = parse_report("qd", Some(0), line, b"").expect("the contract's object");
        assert_eq!((report.outcome, report.incoming, report.outcome.is_failure()), (Outcome::Fetched, 2, false));
        let garbage = parse_report("/bin/qd", Some(0), b"hello\n", b"").expect_err("not JSON");
        assert!(garbage.contains("/bin/qd") && garbage.contains("hello"), "{garbage}");
        let silent = parse_report("/bin/qd", Some(2), b"", b"boom\n").expect_err("nothing");
        assert!(silent.contains("boom"), "{silent}");
        let mute = parse_report("/bin/qd", Some(3), b"", b"").expect_err("nothing at all");
        assert!(mute.contains("exit code 3"), "{mute}");
    }

    #[test]
    fn a_failure_shows_its_message_and_a_success_its_summary() {
        let line = br#"{"outcome": "offline", "summary": "Offline: 3 changes wait", "message": "the remote could not be reached: try again later", "waiting": 3}"#;
        let report = parse_report("qd", Some(1), line, b"").expect("a report");
        assert_eq!((report.waiting, report.outcome.is_failure()), (3, true));
        assert_eq!(report.line(), "the remote could not be reached: try again later");
        let sent = parse_report("qd", Some(0), br#"{"outcome": "sent", "summary": "Sent 2 changes"}"#, b"").expect("a report");
        assert_eq!((sent.line().as_str(), sent.outcome.is_failure()), ("Sent 2 changes", false));
        let unknown = parse_report("qd", Some(0), br#"{"outcome": "exploded"}"#, b"").expect("a report");
        assert_eq!(unknown.outcome, Outcome::Failed, "a word the board does not know is a failure");
    }
}
