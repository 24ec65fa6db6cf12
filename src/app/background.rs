//! A `quarterdeck` command run by the board as a child process in the
//! background (`y` runs `sync --json`; `sync.auto` runs `sync fetch
//! --json`): started with no terminal (stdin null, output captured), looked
//! at from the event loop's idle tick without blocking, and its one JSON
//! object read when it ends. The board keeps taking keys meanwhile.
//!
//! The child's output is read to its end by a thread of its own, so that a
//! long report never fills the pipe and stalls the child; the loop only
//! looks whether that thread has sent the result.

use std::{
    ffi::OsString,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError, channel},
    time::Duration,
};

use serde::Deserialize;

/// Set for a sync the board runs: the engine then never lets git ask on
/// the screen (`sync::git::Git::without_prompts`), whose terminal the board
/// holds.
pub const FROM_BOARD_ENV: &str = "QUARTERDECK_SYNC_FROM_BOARD";

/// The program the board runs for a sync: this very executable, or, in
/// tests, a stand-in that prints a JSON line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program(pub PathBuf);

impl Program {
    /// The running executable (the board and the sync are one program).
    pub fn current() -> Self {
        Self(std::env::current_exe().unwrap_or_else(|_| PathBuf::from("quarterdeck")))
    }
}

/// What a `--json` sync command prints: the one object of the contract in
/// docs/sync.md. Fields it leaves out read as empty, so that an older or
/// newer engine still gives the board a line to show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SyncReply {
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

impl SyncReply {
    /// Whether the exchange failed in a way the user must act on (the
    /// status line shows it as an error).
    pub fn is_failure(&self) -> bool {
        matches!(self.outcome.as_str(), "offline" | "refused" | "not_tied" | "git_missing" | "failed")
    }

    /// The line for the status bar: the message when it failed, else the summary.
    pub fn line(&self) -> String {
        match (&self.message, self.is_failure()) {
            (Some(message), true) if !message.trim().is_empty() => message.clone(),
            _ if !self.summary.trim().is_empty() => self.summary.clone(),
            _ => format!("sync: {}", self.outcome),
        }
    }
}

/// A child that ran and ended: its reply, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    Reply(Box<SyncReply>),
    /// It could not be waited for, or printed no JSON object: what it said.
    Failed(String),
}

/// A child command running in the background.
#[derive(Debug)]
pub struct Background {
    result: Receiver<std::io::Result<Output>>,
}

impl Background {
    /// Starts `program args…` with stdin null and its output captured, the
    /// `env` pairs set. Fails only when the program cannot be started.
    pub fn start(program: &Path, args: &[OsString], env: &[(&str, &str)]) -> std::io::Result<Self> {
        let mut command = Command::new(program);
        command.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let child = command.spawn()?;
        let (sender, result) = channel();
        std::thread::Builder::new().name("background command".into()).spawn(move || {
            // The board may have gone: nobody left to tell.
            let _ = sender.send(child.wait_with_output());
        })?;
        Ok(Self { result })
    }

    /// The result when the child has ended, without waiting; `None` while it runs.
    pub fn poll(&mut self) -> Option<Ended> {
        match self.result.try_recv() {
            Ok(output) => Some(ended(output)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Ended::Failed("the background command was lost".into())),
        }
    }

    /// Waits at most `timeout` for the child to end.
    pub fn wait(&mut self, timeout: Duration) -> Option<Ended> {
        match self.result.recv_timeout(timeout) {
            Ok(output) => Some(ended(output)),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => Some(Ended::Failed("the background command was lost".into())),
        }
    }
}

fn ended(output: std::io::Result<Output>) -> Ended {
    match output {
        Ok(output) => read_reply(&output),
        Err(error) => Ended::Failed(format!("waiting for the sync failed: {error}")),
    }
}

/// The one JSON object the child printed (its last non-empty line, so a
/// stray line before it does no harm), else what it said on stderr.
pub fn read_reply(output: &Output) -> Ended {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let reply = stdout
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .and_then(|line| serde_json::from_str::<SyncReply>(line).ok())
        .or_else(|| serde_json::from_str::<SyncReply>(stdout.trim()).ok());
    if let Some(reply) = reply {
        return Ended::Reply(Box::new(reply));
    }
    let said = String::from_utf8_lossy(&output.stderr);
    let said = said.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("").trim();
    Ended::Failed(match (said.is_empty(), output.status.code()) {
        (false, _) => format!("the sync failed: {said}"),
        (true, Some(code)) => format!("the sync ended with exit code {code} and printed no report"),
        (true, None) => "the sync was stopped by a signal before it printed a report".into(),
    })
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt;

    use super::*;

    fn output(stdout: &str, stderr: &str, code: i32) -> Output {
        Output {
            status: std::process::ExitStatus::from_raw(code << 8),
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_reply_is_the_last_json_line_and_a_failure_shows_its_message() {
        let line = r#"{"outcome": "offline", "summary": "Offline: 3 changes wait", "message": "the remote could not be reached: try again later", "waiting": 3}"#;
        let Ended::Reply(reply) = read_reply(&output(&format!("noise\n{line}\n"), "", 1)) else { panic!("a reply") };
        assert_eq!((reply.waiting, reply.is_failure()), (3, true));
        assert_eq!(reply.line(), "the remote could not be reached: try again later");
        let Ended::Reply(reply) = read_reply(&output(r#"{"outcome": "sent", "summary": "Sent 2 changes"}"#, "", 0)) else {
            panic!("a reply")
        };
        assert_eq!((reply.line().as_str(), reply.is_failure()), ("Sent 2 changes", false));
    }

    #[test]
    fn no_json_names_what_the_child_said_or_its_exit_code() {
        assert_eq!(
            read_reply(&output("", "error: no such board\n", 2)),
            Ended::Failed("the sync failed: error: no such board".into())
        );
        assert_eq!(read_reply(&output("", "", 3)), Ended::Failed("the sync ended with exit code 3 and printed no report".into()));
    }
}
