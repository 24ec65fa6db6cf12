//! What a sync says: one report, printed as lines or as the one JSON
//! object of the contract (docs/cli.md, "sync"), with its exit code.

use serde::Serialize;

/// How an exchange ended (`outcome` in the JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
}

/// One sync's (or fetch's, or status's) account.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

    /// The report as lines for a person: the summary, what moved each
    /// way, then the message.
    /// The exit code: the outcome's, or 2 for bad input.
    pub fn exit_code(&self) -> u8 {
        if self.bad_input { 2 } else { self.outcome.exit_code() }
    }

    /// This report, for bad input (exit 2).
    pub fn bad_input(mut self) -> Self {
        self.bad_input = true;
        self
    }

    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![self.summary.clone()];
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
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// The time now as the sync state keeps it, UTC.
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
