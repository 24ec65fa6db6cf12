//! A child process the board runs in the background without blocking a
//! key: `quarterdeck sync fetch --json` for `sync.auto`, and the `y` key's
//! `quarterdeck sync --json` (issue 19; docs/sync-board.md). The child
//! gets no terminal (stdin null, stdout and stderr captured), is polled
//! from the event loop's tick, and is killed when the board quits.
//!
//! Use: [`BackgroundRun::start`] with [`sync_program`] and the arguments,
//! then [`BackgroundRun::poll`] on every tick until it gives a
//! [`Finished`]; dropping the run kills a child still running.

use std::{
    ffi::OsString,
    io::Read,
    path::PathBuf,
    process::{Child, Command, Stdio},
    thread::JoinHandle,
};

use serde::Deserialize;

/// Names the program the board runs for a sync instead of its own
/// executable: a test hook (docs/reliability.md), so tests can stand in a
/// script for the engine.
pub const SYNC_PROGRAM_VARIABLE: &str = "QUARTERDECK_SYNC_PROGRAM";

/// The program a background sync runs: this very executable, or the one
/// [`SYNC_PROGRAM_VARIABLE`] names.
pub fn sync_program() -> std::io::Result<PathBuf> {
    match std::env::var_os(SYNC_PROGRAM_VARIABLE).filter(|value| !value.is_empty()) {
        Some(program) => Ok(PathBuf::from(program)),
        None => std::env::current_exe(),
    }
}

/// The arguments of a sync run for `board`: `subcommand` is `["sync"]` or
/// `["sync", "fetch"]`; `--json`, `--db BOARD` and `--today D` follow.
pub fn sync_args(subcommand: &[&str], board: &std::path::Path, today: chrono::NaiveDate) -> Vec<OsString> {
    let mut args: Vec<OsString> = subcommand.iter().map(OsString::from).collect();
    args.push("--json".into());
    args.push("--db".into());
    args.push(board.as_os_str().to_owned());
    args.push("--today".into());
    args.push(today.to_string().into());
    args
}

/// The one JSON object every `sync --json` prints (docs/cli.md), success
/// or not. Fields the contract may add later are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SyncReport {
    pub outcome: String,
    pub summary: String,
    pub message: Option<String>,
    pub sent: Vec<String>,
    pub received: Vec<String>,
    pub chosen: Vec<String>,
    pub renumbered: Vec<String>,
    pub conflicts: i64,
    pub waiting: i64,
    pub incoming: i64,
    pub last_sync_at: Option<String>,
    pub commit: Option<String>,
}

/// How a background run ended: the child's report, or what went wrong in
/// words that name the program (never a panic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// The child's exit code (none when a signal ended it).
    pub code: Option<i32>,
    pub report: Result<SyncReport, String>,
}

/// A child running in the background.
pub struct BackgroundRun {
    child: Child,
    program: String,
    output: Option<JoinHandle<Vec<u8>>>,
    errors: Option<JoinHandle<Vec<u8>>>,
}

impl BackgroundRun {
    /// Starts `program args` with no terminal; an error names the program.
    pub fn start(program: &std::path::Path, args: &[OsString]) -> Result<Self, String> {
        let name = program.display().to_string();
        let mut child = Command::new(program)
            .args(args)
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

    /// The run's end when the child has exited and its output is read,
    /// without waiting for either: a process the child started may hold
    /// its output open a while after it exited; the run ends when that
    /// closes too.
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
        Some(Finished { code: status.code(), report: parse_report(&self.program, &output, &errors) })
    }

    /// Ends the child now (the board quits); waits for it so that no
    /// zombie is left.
    pub fn stop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }

    /// The child's process id (tests check it is gone).
    pub fn id(&self) -> u32 {
        self.child.id()
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

/// The JSON object the child printed, or a sentence naming the program
/// and what it printed instead.
pub fn parse_report(program: &str, output: &[u8], errors: &[u8]) -> Result<SyncReport, String> {
    let text = String::from_utf8_lossy(output);
    // The object is the last non-empty line (a child may warn before it).
    let last = text.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("").trim();
    serde_json::from_str::<SyncReport>(last).map_err(|_| {
        let said = if last.is_empty() { String::from_utf8_lossy(errors).trim().to_owned() } else { last.to_owned() };
        let said: String = said.chars().take(80).collect();
        if said.is_empty() {
            format!("{program} printed nothing (expected the JSON object of `sync --json`)")
        } else {
            format!("{program} printed no JSON object of `sync --json`: {said:?}")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_read_from_the_last_line_and_garbage_is_named() {
        let line = br#"{"outcome": "fetched", "summary": "2 to fetch", "message": null, "incoming": 2}"#;
        let report = parse_report("qd", line, b"").expect("the contract's object");
        assert_eq!((report.outcome.as_str(), report.incoming), ("fetched", 2));
        let garbage = parse_report("/bin/qd", b"hello\n", b"").expect_err("not JSON");
        assert!(garbage.contains("/bin/qd") && garbage.contains("hello"), "{garbage}");
        let silent = parse_report("/bin/qd", b"", b"boom\n").expect_err("nothing");
        assert!(silent.contains("boom"), "{silent}");
    }
}
