//! `quarterdeck report review S3` and `quarterdeck report quarter`: a
//! sprint's review or the whole quarter for people who never open a
//! terminal, as Markdown (wikis, chat) or one self-contained HTML file
//! (docs/reports.md). Every figure comes from the functions the board's
//! review, charts and health screens use (`gather`); the two writers only
//! lay them out.

mod document;
mod gather;
mod html;
mod markdown;
mod rollup;
mod svg;

use std::{io::Write, path::PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};

pub use gather::{KrLine, OutcomeLine, Report, ReportKind, SprintSection};

use crate::store::Store;

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Headings and tables that render on GitHub, Confluence and Slack
    #[default]
    Markdown,
    /// One self-contained page: inline CSS and SVG charts, no script
    Html,
}

/// Where and how a report is written.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The format [default: from --out's extension (.html, .htm: html),
    /// else markdown]
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write to this file (atomically: whole or not at all) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// One sprint's review: output, outcome, the charts, health, retro
    /// notes and deferred items
    #[command(
        after_help = "Examples:\n  quarterdeck report review S3\n  quarterdeck report review S2 --format html --out s2.html"
    )]
    Review {
        /// The sprint: S3, 2026-Q4:S3, or its id
        #[arg(value_name = "SPRINT")]
        sprint: String,
        /// The quarter, by its label [default: the one the board opens on]
        #[arg(long, value_name = "LABEL")]
        quarter: Option<String>,
        #[command(flatten)]
        to: ReportArgs,
    },
    /// The whole quarter: each KR against its expected line, the charts,
    /// health, and every started sprint's review
    #[command(
        after_help = "Examples:\n  quarterdeck report quarter\n  quarterdeck report quarter --quarter 2026-Q4 --format html --out q4.html"
    )]
    Quarter {
        /// The quarter, by its label [default: the one the board opens on]
        #[arg(long, value_name = "LABEL")]
        quarter: Option<String>,
        #[command(flatten)]
        to: ReportArgs,
    },
    /// The company view across teams' repositories (`quarterdeck rollup`):
    /// each company objective with the teams' objectives aligned to it,
    /// their KRs, scores and health; reads only (docs/rollup.md)
    #[command(
        after_help = "Examples:\n  quarterdeck report rollup ../company ../web ../app --out rollup.html\n  quarterdeck report rollup --quarter 2027-Q1   # the [[rollup]] list in config.toml"
    )]
    Rollup {
        #[command(flatten)]
        from: super::rollup::RollupArgs,
        #[command(flatten)]
        to: ReportArgs,
    },
}

impl ReportArgs {
    /// `--format` when given, else what `--out`'s extension says (`.html`
    /// and `.htm`: HTML), else Markdown: `--out r.html` alone must not
    /// write Markdown into a page a browser opens.
    pub fn format(&self) -> ReportFormat {
        self.format.unwrap_or_else(|| match super::files::extension(self.out.as_deref()).as_deref() {
            Some("html" | "htm") => ReportFormat::Html,
            _ => ReportFormat::Markdown,
        })
    }
}

/// Builds the report `command` asks for from `store` (read only) and
/// writes it to its `--out` file, or to `out`.
pub fn run(store: &Store, command: &ReportCommand, today: NaiveDate, out: impl Write) -> anyhow::Result<()> {
    let (report, to) = match command {
        ReportCommand::Review { sprint, quarter, to } => (gather::review(store, sprint, quarter.as_deref(), today)?, to),
        ReportCommand::Quarter { quarter, to } => (gather::quarter(store, quarter.as_deref(), today)?, to),
        ReportCommand::Rollup { .. } => anyhow::bail!("report rollup reads repositories, not a board: see run_rollup"),
    };
    let text = render(&report, to.format());
    write(&text, to.out.as_deref(), out)
}

/// The report as text in `format`.
pub fn render(report: &Report, format: ReportFormat) -> String {
    match format {
        ReportFormat::Markdown => markdown::render(report),
        ReportFormat::Html => html::render(report),
    }
}

/// `report rollup`: the company view written as the other reports are.
pub fn run_rollup(view: &crate::cli::rollup::RollUp, to: &ReportArgs, out: impl Write) -> anyhow::Result<()> {
    let text = match to.format() {
        ReportFormat::Markdown => markdown::render_blocks(rollup::blocks(view)),
        ReportFormat::Html => html::render_page(&rollup::title(view), rollup::blocks(view)),
    };
    write(&text, to.out.as_deref(), out)
}

fn write(text: &str, path: Option<&std::path::Path>, mut out: impl Write) -> anyhow::Result<()> {
    match path {
        Some(path) => super::files::write_atomically(path, text.as_bytes()),
        None => {
            out.write_all(text.as_bytes())?;
            Ok(out.flush()?)
        }
    }
}
