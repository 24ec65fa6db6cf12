//! From another tool's item ([`ExternalItem`]) to what the board writes:
//! one place for all three readers. Labels map to KRs (`--map`), the
//! latest sprint name to a sprint of the quarter (`--sprint-map`, else by
//! equal name), the status word to a state (`--state-map`, else the
//! reader's category), through the same domain values the board's forms
//! use (`Title::parse`, `Points::new`). Pure: the command line resolves
//! the flags against the board first ([`Maps`]).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{ExternalItem, ReadError, Source, StatusCategory};
use crate::{
    domain::{Id, ItemKind, ItemState, external::ImportedFields, values::MAX_POINTS, values::Points, values::Title},
    store::external::ExternalWrite,
};

/// How a source is named in the file (`item_external.source`) and in
/// `--from`.
pub fn source_name(source: Source) -> &'static str {
    match source {
        Source::JiraCsv => "jira-csv",
        Source::LinearCsv => "linear-csv",
        Source::Taskwarrior => "taskwarrior",
    }
}

/// A sprint a name maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SprintTarget {
    pub id: Id,
    /// Its code (`S2`), for messages.
    pub code: String,
    /// A closed sprint's record is frozen: nothing is planned into it.
    pub closed: bool,
}

/// The flags, resolved against the board. Keys are compared without case
/// and surrounding spaces ([`key_of`]).
#[derive(Debug, Clone, Default)]
pub struct Maps {
    /// `--map LABEL=KR1.2`: a label, tag, component or project to KRs.
    pub krs: HashMap<String, Vec<Id>>,
    /// Each `--map` as typed (`checkout=KR1.2`) with its label's key, to
    /// say after the import which label no row carried.
    pub kr_flags: Vec<(String, String)>,
    /// `--sprint-map "Team Sprint 14=S2"`.
    pub sprints: HashMap<String, SprintTarget>,
    /// The quarter's sprints by the names a file may give them: `S2`,
    /// `Sprint 2` and the sprint's goal.
    pub sprint_names: HashMap<String, SprintTarget>,
    /// `--state-map "In Review=doing"`.
    pub states: HashMap<String, ItemState>,
    /// The code of the quarter's first sprint that is not closed (`S2`),
    /// which the advice for a sprint name no map places proposes; `None`
    /// when every sprint of the quarter is closed.
    pub first_open_sprint: Option<String>,
    /// Advice on the flags themselves (a `--sprint-map` to a closed
    /// sprint), said once in the report whatever the rows.
    pub flag_warnings: Vec<String>,
}

/// How a map's key is compared: "In Review", "in review " and "IN REVIEW" are one.
pub fn key_of(text: &str) -> String {
    text.trim().to_lowercase()
}

/// What to do with one item of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    Write(Box<ToWrite>),
    Skip(Skipped),
}

/// An item to create or update, with what the mapping said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToWrite {
    pub line: usize,
    pub write: ExternalWrite,
    /// Advice on this row's values (points rounded).
    pub warnings: Vec<RowAdvice>,
    /// Why the item goes to the backlog although the file names a sprint:
    /// said only when the item does end in the backlog (an item the board
    /// keeps in its sprint, or in a closed one, is not "left in the backlog").
    pub sprint_advice: Option<RowAdvice>,
}

/// Advice on one row, in two parts so that many rows with the same advice
/// read as one sentence with their count: `what` about the row and `then`
/// what the import did and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowAdvice {
    pub what: String,
    pub then: String,
}

impl RowAdvice {
    /// The advice for one row: `line 7 (PROJ-4): WHAT: THEN`.
    pub fn at(&self, line: usize, key: &str) -> String {
        format!("line {line} ({key}): {}: {}", self.what, self.then)
    }
}

/// An item left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub line: usize,
    pub key: String,
    pub title: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    Canceled,
    Deleted,
    RecurringTemplate,
}

impl SkipReason {
    /// The reason as counted in the report: `3 skipped (2 canceled, 1 recurring template)`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Canceled => "canceled",
            Self::Deleted => "deleted",
            Self::RecurringTemplate => "recurring template",
        }
    }

    /// The reason as said of one row.
    pub fn explained(self) -> &'static str {
        match self {
            Self::RecurringTemplate => "a recurring task's template: its instances are imported",
            Self::Canceled | Self::Deleted => self.as_str(),
        }
    }
}

/// Maps one item; an item the board cannot take (no title, a status no
/// map places) is an error naming its line, the column and what to do.
pub fn map(source: Source, item: ExternalItem, maps: &Maps) -> Result<Mapped, ReadError> {
    let error = |column: &str, message: String| ReadError { line: item.line, column: Some(column.to_owned()), message };
    let state = match maps.states.get(&key_of(&item.status)) {
        Some(state) => *state,
        None => match item.category {
            StatusCategory::Todo => ItemState::Todo,
            StatusCategory::Doing => ItemState::Doing,
            StatusCategory::Done => ItemState::Done,
            StatusCategory::Canceled | StatusCategory::Deleted | StatusCategory::RecurringTemplate => {
                let reason = match item.category {
                    StatusCategory::Deleted => SkipReason::Deleted,
                    StatusCategory::RecurringTemplate => SkipReason::RecurringTemplate,
                    _ => SkipReason::Canceled,
                };
                return Ok(Mapped::Skip(Skipped { line: item.line, key: item.key, title: item.title, reason }));
            }
            StatusCategory::Unknown => {
                return Err(error(
                    source.status_column(),
                    format!(
                        "{}: the status {:?} is not one the import can place as todo, doing or done; add --state-map \"{}=doing\" (or =todo, =done) and import again",
                        item.key,
                        item.status,
                        item.status.trim()
                    ),
                ));
            }
        },
    };
    let title =
        Title::parse(&item.title).map_err(|field| error(source.title_column(), format!("{}: {}", item.key, field.message)))?;
    let mut warnings = Vec::new();
    let points = whole_points(item.points, &mut warnings);
    let mut krs: Vec<Id> = item.labels.iter().filter_map(|label| maps.krs.get(&key_of(label))).flatten().copied().collect();
    krs.sort_unstable();
    krs.dedup();
    let (sprint, sprint_advice) = latest_sprint(&item.sprints, maps);
    let fields = ImportedFields {
        title: title.as_str().to_owned(),
        description: description(&item),
        points: points.get(),
        state,
        kind: kind(item.kind.as_deref()),
        sprint,
        krs,
    };
    let done_on = item.done_at.map(|at| at.date());
    // No `--map` at all: the file says nothing of KRs, so an item it
    // updates keeps the board's tags.
    let keep_krs = maps.krs.is_empty();
    let write = ExternalWrite { source: source_name(source), key: item.key, fields, done_on, keep_krs };
    Ok(Mapped::Write(Box::new(ToWrite { line: item.line, write, warnings, sprint_advice })))
}

/// A done date no later than `today`: a done item's date after it (a
/// typo, a clock ahead) becomes `today`, and the advice says so, since
/// the burn-up would count the work done on days not come yet.
pub fn done_by_today(write: &mut ExternalWrite, today: NaiveDate) -> Option<RowAdvice> {
    write.done_on.filter(|done_on| write.fields.state == ItemState::Done && *done_on > today)?;
    write.done_on = Some(today);
    // The row's own date stays out of the advice, so rows group as one sentence.
    Some(RowAdvice {
        what: "a done date later than today".to_owned(),
        then: format!("done on {today} (today) instead; the burn-up counts no work done on days not come yet"),
    })
}

/// Points as the domain holds them: whole, from 0 to [`MAX_POINTS`]; a
/// value changed to fit says so.
fn whole_points(points: Option<f64>, warnings: &mut Vec<RowAdvice>) -> Points {
    let Some(given) = points.filter(|points| points.is_finite()) else { return Points::default() };
    let rounded = given.round().clamp(0.0, f64::from(MAX_POINTS));
    // In range by the clamp above.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let whole = rounded as u32;
    if given < 0.0 || given > f64::from(MAX_POINTS) {
        warnings.push(RowAdvice {
            what: format!("{given} points is not an estimate from 0 to {MAX_POINTS}"),
            then: format!("imported as {whole}"),
        });
    } else if rounded != given {
        warnings
            .push(RowAdvice { what: format!("{given} points rounded to {whole}"), then: "points are whole numbers".to_owned() });
    }
    Points::new(whole).unwrap_or_default()
}

/// The sprint of the latest sprint name that maps to one of the quarter's
/// open sprints; none says why the item would stay in the backlog, and
/// proposes the quarter's first open sprint (never a closed one).
fn latest_sprint(names: &[String], maps: &Maps) -> (Option<Id>, Option<RowAdvice>) {
    let latest = names.iter().rev().find_map(|name| {
        let key = key_of(name);
        let by_flag = maps.sprints.get(&key).map(|target| (name, target, true));
        by_flag.or_else(|| maps.sprint_names.get(&key).map(|target| (name, target, false)))
    });
    match latest {
        Some((_, target, _)) if !target.closed => (Some(target.id), None),
        // A `--sprint-map` to a closed sprint is said once, of the flag
        // (`Maps::flag_warnings`), not again of each of its rows.
        Some((_, _, true)) => (None, None),
        Some((name, target, false)) => (
            None,
            Some(RowAdvice {
                what: format!("sprint {name:?} is {}, which is closed (its record stays as it was)", target.code),
                then: match &maps.first_open_sprint {
                    Some(open) => {
                        format!("left in the backlog; map it to an open sprint, such as --sprint-map \"{name}={open}\"")
                    }
                    None => "left in the backlog; every sprint of the quarter is closed, so none can take it".to_owned(),
                },
            }),
        ),
        None => {
            let advice = names.last().map(|name| RowAdvice {
                what: format!("sprint {name:?} is no sprint of the quarter"),
                then: match &maps.first_open_sprint {
                    Some(open) => format!("left in the backlog; add --sprint-map \"{name}={open}\" to plan it"),
                    None => "left in the backlog; every sprint of the quarter is closed, so none can take it".to_owned(),
                },
            });
            (None, advice)
        }
    }
}

/// The board's kind for the tool's issue type: bugs stay bugs.
fn kind(issue_type: Option<&str>) -> ItemKind {
    let issue_type = issue_type.map(key_of).unwrap_or_default();
    if issue_type.contains("bug") || issue_type.contains("defect") {
        ItemKind::Bug
    } else if issue_type.contains("spike") || issue_type.contains("research") {
        ItemKind::Spike
    } else if issue_type.contains("chore") || issue_type.contains("maintenance") {
        ItemKind::Chore
    } else {
        ItemKind::Story
    }
}

/// The description with the comments (annotations) appended under
/// "Comments:", oldest first, each with its date and author: the board
/// has no comments of its own, and this keeps them readable in the
/// item's details.
fn description(item: &ExternalItem) -> String {
    let mut text = item.description.trim_end().to_owned();
    if item.notes.is_empty() {
        return text;
    }
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str("Comments:");
    for note in &item.notes {
        let mut by = note.at.map(|at| at.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
        if !note.author.trim().is_empty() {
            if !by.is_empty() {
                by.push(' ');
            }
            by.push_str(note.author.trim());
        }
        let body = note.body.trim().replace('\n', "\n  ");
        text.push_str(&if by.is_empty() { format!("\n- {body}") } else { format!("\n- {by}: {body}") });
    }
    text
}

#[cfg(test)]
#[path = "mapping_tests.rs"]
mod tests;
