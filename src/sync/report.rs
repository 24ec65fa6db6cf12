//! What a sync says: one report, printed as lines or as the one JSON
//! object of the contract (docs/cli.md, "sync"), with its exit code.

use serde::{Deserialize, Serialize};

/// How an exchange ended (`outcome` in the JSON). The board reads it
/// back from the child it runs; a word it does not know reads as `failed`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    UpToDate,
    Sent,
    Received,
    Merged,
    Conflicts,
    Offline,
    Refused,
    Fetched,
    Status,
    NotTied,
    GitMissing,
    #[default]
    #[serde(other)]
    Failed,
}

impl Outcome {
    /// 0 done; 1 the exchange did not complete; 2 bad input, a board not
    /// tied, git missing, the board file refused.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::UpToDate | Self::Sent | Self::Received | Self::Merged | Self::Fetched | Self::Status => 0,
            Self::Conflicts | Self::Offline | Self::Refused | Self::Failed => 1,
            Self::NotTied | Self::GitMissing => 2,
        }
    }

    /// Whether the exchange did not happen (the board shows it as an
    /// error, with its message).
    pub fn is_failure(self) -> bool {
        matches!(self, Self::Offline | Self::Refused | Self::NotTied | Self::GitMissing | Self::Failed)
    }
}

/// One sync's (or fetch's, or status's) account: printed by the command
/// line, read back by the board from the child it runs (fields left out
/// read as empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Report {
    pub outcome: Outcome,
    /// One line for a status bar.
    pub summary: String,
    /// What went wrong and what to do, or none.
    pub message: Option<String>,
    pub sent: Vec<String>,
    pub received: Vec<String>,
    pub chosen: Vec<String>,
    pub renumbered: Vec<String>,
    pub conflicts: usize,
    pub waiting: i64,
    pub incoming: i64,
    pub last_sync_at: Option<String>,
    pub commit: Option<String>,
    /// The arguments or the board were wrong (exit 2, whatever the outcome).
    #[serde(skip)]
    pub bad_input: bool,
}

impl Report {
    pub fn new(outcome: Outcome, summary: impl Into<String>) -> Self {
        Self {
            outcome,
            summary: summary.into(),
            message: None,
            sent: Vec::new(),
            received: Vec::new(),
            chosen: Vec::new(),
            renumbered: Vec::new(),
            conflicts: 0,
            waiting: 0,
            incoming: 0,
            last_sync_at: None,
            commit: None,
            bad_input: false,
        }
    }

    /// A report that stops with `message`.
    pub fn failed(outcome: Outcome, summary: impl Into<String>, message: impl Into<String>) -> Self {
        let mut report = Self::new(outcome, summary);
        report.message = Some(message.into());
        report
    }

    /// Another sync of the board holds the clone (exit 1); not the board's
    /// trouble, so it is not kept as `last_error`.
    pub fn busy() -> Self {
        Self::failed(Outcome::Failed, "Another sync of this board is running", super::repo::BUSY)
    }

    /// The exit code: the outcome's, or 2 for bad input.
    pub fn exit_code(&self) -> u8 {
        if self.bad_input { 2 } else { self.outcome.exit_code() }
    }

    /// This report, for bad input (exit 2).
    pub fn bad_input(mut self) -> Self {
        self.bad_input = true;
        self
    }

    /// The one line a status bar shows: the message of a failure, else
    /// the summary.
    pub fn line(&self) -> String {
        match &self.message {
            Some(message) if self.outcome.is_failure() && !message.trim().is_empty() => message.clone(),
            _ if !self.summary.trim().is_empty() => self.summary.clone(),
            _ => "the sync printed no summary".to_owned(),
        }
    }

    /// Whether the summary names only the first of the values chosen and
    /// the numbers moved (`(and 2 more, in the commit's message)`): the
    /// board then shows the whole account.
    pub fn says_more_elsewhere(&self) -> bool {
        self.summary.ends_with(MORE_IN_THE_COMMIT)
    }

    /// The report as lines for a person: the summary, what moved each
    /// way, then the message. The summary's pointer to the commit's
    /// message for the rest goes: the lines below list it.
    pub fn lines(&self) -> Vec<String> {
        let summary = match self.summary.strip_suffix(MORE_IN_THE_COMMIT).and_then(|cut| cut.rsplit_once(" (and ")) {
            Some((summary, _)) => summary.to_owned(),
            None => self.summary.clone(),
        };
        let mut lines = vec![summary];
        for (heading, entries) in
            [("sent", &self.sent), ("received", &self.received), ("chosen", &self.chosen), ("renumbered", &self.renumbered)]
        {
            lines.extend(entries.iter().map(|entry| format!("  {heading}: {entry}")));
        }
        if let Some(message) = &self.message {
            lines.push(message.clone());
        }
        lines
    }

    pub fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| r#"{"outcome":"failed"}"#.to_owned())
    }
}

/// `n thing` / `n things`.
/// How a summary that names the first of several values chosen or numbers
/// moved ends (`... (and 2 more, in the commit's message)`).
pub const MORE_IN_THE_COMMIT: &str = ", in the commit's message)";

pub fn count(n: usize, one: &str, many: &str) -> String {
    crate::format::count(u64::try_from(n).unwrap_or(u64::MAX), one, many)
}

/// The time now as the sync state keeps it, UTC.
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
