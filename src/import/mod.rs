//! Reading the exports of the tools teams leave (Jira CSV, Linear CSV,
//! Taskwarrior JSON) into one shape, [`ExternalItem`], which the import
//! (`ops`) turns into the board's Commands. The readers know each tool's
//! file and nothing of the board: mapping labels to KRs, sprint names to
//! sprints and statuses to states happens after, in one place for all three.
//! docs/import.md describes each format as read.

use chrono::NaiveDateTime;

/// The tools whose exports `quarterdeck import --from` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Source {
    /// Jira's "Export Excel CSV (all fields)"
    #[value(name = "jira-csv")]
    JiraCsv,
    /// Linear's CSV export of issues
    #[value(name = "linear-csv")]
    LinearCsv,
    /// `task export`: one JSON array, or one JSON object a line
    #[value(name = "taskwarrior")]
    Taskwarrior,
}

impl Source {
    /// The file's own header (Taskwarrior: key) of the title, for messages
    /// about it: the user looks for `Summary` in a Jira file, not `title`.
    pub fn title_column(self) -> &'static str {
        match self {
            Self::JiraCsv => "Summary",
            Self::LinearCsv => "Title",
            Self::Taskwarrior => "description",
        }
    }

    /// The file's own header (Taskwarrior: key) of the status word.
    pub fn status_column(self) -> &'static str {
        match self {
            Self::JiraCsv | Self::LinearCsv => "Status",
            Self::Taskwarrior => "status",
        }
    }
}

/// Where a tool's status word falls, as far as the file itself says
/// (Jira's status category, Linear's status type, Taskwarrior's status).
/// `--state-map` is applied to [`ExternalItem::status`] before this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusCategory {
    Todo,
    Doing,
    Done,
    /// Won't do, canceled, declined, duplicate: skipped and counted.
    Canceled,
    /// Deleted (Taskwarrior): skipped and counted.
    Deleted,
    /// A recurring task's template (Taskwarrior's status `recurring`): its
    /// pending instances are the work and are imported; it is skipped and
    /// counted, or it would be a duplicate of them.
    RecurringTemplate,
    /// A word the reader cannot place; the import asks for `--state-map`.
    Unknown,
}

/// One work item of another tool, as its export gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalItem {
    /// The 1-based line of the file its record starts on, for messages.
    pub line: usize,
    /// The tool's own key: `PROJ-123`, a Linear id (`ENG-42`), a Taskwarrior uuid.
    pub key: String,
    pub title: String,
    /// Multi-line text as the tool holds it (may be empty).
    pub description: String,
    /// Story points or estimate, when the file has one.
    pub points: Option<f64>,
    /// The tool's own status word ("In Review", "pending").
    pub status: String,
    pub category: StatusCategory,
    /// Everything `--map LABEL=KR` may name: labels, tags, components and
    /// the project, empty cells dropped, in file order, each once.
    pub labels: Vec<String>,
    /// Sprint (Jira) or cycle (Linear) names in file order; the last is the latest.
    pub sprints: Vec<String>,
    /// The issue type (Story, Bug, Sub-task), when the file has one.
    pub kind: Option<String>,
    /// The parent's key (a sub-task's story), when the file has one. Jira
    /// often names the parent only by its numeric issue id: then this is
    /// that id, to match against the `("Issue id", id)` in `extra` that
    /// every Jira item carries (the parent may come later in the file).
    pub parent: Option<String>,
    pub priority: Option<String>,
    pub created: Option<NaiveDateTime>,
    pub updated: Option<NaiveDateTime>,
    /// When it was done (resolved, completed, end).
    pub done_at: Option<NaiveDateTime>,
    /// Comments and annotations, oldest first.
    pub notes: Vec<ExternalNote>,
    /// Keys of the items it waits for.
    pub depends: Vec<String>,
    /// Other fields worth keeping (Taskwarrior's user-defined attributes).
    pub extra: Vec<(String, String)>,
}

/// A comment (Jira, `date;author;body`) or an annotation (Taskwarrior).
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalNote {
    pub at: Option<NaiveDateTime>,
    pub author: String,
    pub body: String,
}

/// What is wrong with a file, where, and what to do; the caller adds the
/// file's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}{}: {message}", column.as_ref().map(|column| format!(", column {column}")).unwrap_or_default())]
pub struct ReadError {
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
}

/// The items of `input`, one at a time, so a large file is never held
/// whole. A header that is not the tool's (or an empty file) is an error
/// before the first item.
pub fn read<'a>(source: Source, input: impl std::io::BufRead + 'a) -> Result<Items<'a>, ReadError> {
    match source {
        Source::JiraCsv => jira::read(input),
        Source::LinearCsv => linear::read(input),
        Source::Taskwarrior => taskwarrior::read(input),
    }
}

/// Why `text` (read as `parsed`, when it is a number) is not a number of
/// points, and what to write; both readers say it alike.
fn not_points(text: &str, parsed: Option<f64>) -> String {
    match parsed {
        Some(number) if number < 0.0 => {
            format!("`{text}` is below zero: points cannot be negative; write 0 or more, such as 3")
        }
        _ => format!("`{text}` is not a number of points: write a number such as 3 or 0.5"),
    }
}

/// What [`read`] gives: each item, or where and why a record cannot be read.
pub type Items<'a> = Box<dyn Iterator<Item = Result<ExternalItem, ReadError>> + 'a>;

mod byte_order_mark;
mod csv_quotes;
mod csv_table;
mod dates;
mod jira;
mod linear;
pub mod mapping;
mod taskwarrior;
