//! Linear's CSV export of issues, in its 30-column and 34-column shapes
//! (the wider one adds UUID, time in status and the relations): ISO UTC
//! dates, labels joined with ", ", rows shorter than the header, and a
//! `'` Linear puts before text beginning with `+ - = @` so a spreadsheet
//! does not run it, which is taken off again.

use std::io::BufRead;

use super::{
    ExternalItem, Items, ReadError, StatusCategory,
    csv_table::{DateForms, Expected, Header, Row, push_once},
};

const EXPECTED: Expected = Expected { what: "a Linear CSV export", required: &["ID", "Title", "Status"] };

const DATE_FORMS: DateForms = DateForms { tool: "Linear", forms: "ISO 8601 such as `2026-10-12T15:05:00.000Z`" };

pub(super) fn read<'a>(input: impl BufRead + 'a) -> Result<Items<'a>, ReadError> {
    super::csv_table::items(input, &EXPECTED, Columns::find, Columns::item)
}

struct Columns {
    id: Option<usize>,
    title: Option<usize>,
    description: Option<usize>,
    status: Option<usize>,
    estimate: Option<usize>,
    priority: Option<usize>,
    project: Option<usize>,
    assignee: Option<usize>,
    labels: Option<usize>,
    cycle_number: Option<usize>,
    cycle_name: Option<usize>,
    created: Option<usize>,
    updated: Option<usize>,
    started: Option<usize>,
    completed: Option<usize>,
    canceled: Option<usize>,
    parent: Option<usize>,
    uuid: Option<usize>,
    blocked_by: Option<usize>,
    duplicate_of: Option<usize>,
}

impl Columns {
    fn find(header: &Header) -> Self {
        Self {
            id: header.position("ID"),
            title: header.position("Title"),
            description: header.position("Description"),
            status: header.position("Status"),
            estimate: header.position("Estimate"),
            priority: header.position("Priority"),
            project: header.position("Project"),
            assignee: header.position("Assignee"),
            labels: header.position("Labels"),
            cycle_number: header.position("Cycle Number"),
            cycle_name: header.position("Cycle Name"),
            created: header.position("Created"),
            updated: header.position("Updated"),
            started: header.position("Started"),
            completed: header.position("Completed"),
            canceled: header.position("Canceled"),
            parent: header.position("Parent issue"),
            uuid: header.position("UUID"),
            blocked_by: header.position("Blocked by"),
            duplicate_of: header.position("Duplicate of"),
        }
    }

    fn item(&self, row: &Row) -> Result<ExternalItem, ReadError> {
        let text = |position| unprefixed(row.cell(position)).to_owned();
        let key = text(self.id);
        if key.is_empty() {
            return Err(row.error(self.id, "this issue has no `ID`: every row needs one, such as ENG-42".into()));
        }
        let status = text(self.status);
        let completed = row.date(self.completed, &DATE_FORMS)?;
        let mut labels = Vec::new();
        push_once(&mut labels, &text(self.project));
        row.cell(self.labels).split(", ").for_each(|label| push_once(&mut labels, unprefixed(label.trim())));
        let sprint = match (text(self.cycle_name), row.cell(self.cycle_number)) {
            (name, _) if !name.is_empty() => Some(name),
            (_, number) if !number.is_empty() => Some(format!("Cycle {number}")),
            _ => None,
        };
        let category = category(
            &status,
            !row.cell(self.canceled).is_empty() || !row.cell(self.duplicate_of).is_empty(),
            completed.is_some(),
            !row.cell(self.started).is_empty(),
        );
        Ok(ExternalItem {
            line: row.line,
            title: text(self.title),
            description: unprefixed(&row.text_block(self.description)).to_owned(),
            points: row.number(self.estimate)?,
            status,
            category,
            labels,
            sprints: sprint.into_iter().collect(),
            kind: None,
            parent: row.filled(self.parent),
            priority: row.filled(self.priority).filter(|priority| priority != "No priority"),
            // Not kept by the import (docs/import.md): a date it cannot read does not stop it.
            created: row.lenient_date(self.created),
            updated: row.lenient_date(self.updated),
            done_at: completed,
            notes: Vec::new(),
            depends: row
                .cell(self.blocked_by)
                .split(',')
                .map(str::trim)
                .filter(|key| !key.is_empty())
                .map(str::to_owned)
                .collect(),
            extra: row.named_cells(&[("UUID", self.uuid), ("Assignee", self.assignee), ("Duplicate of", self.duplicate_of)]),
            key,
        })
    }
}

/// Text without the `'` Linear adds before `+ - = @`.
fn unprefixed(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['+', '-', '=', '@']) => rest,
        _ => text,
    }
}

/// Where a Linear status falls: its word (Linear's default statuses and
/// status types), else the dates the row carries (canceled, completed,
/// started).
fn category(status: &str, canceled: bool, completed: bool, started: bool) -> StatusCategory {
    match status.to_lowercase().as_str() {
        "backlog" | "unstarted" | "todo" | "triage" => StatusCategory::Todo,
        "started" | "in progress" => StatusCategory::Doing,
        "completed" | "done" => StatusCategory::Done,
        "canceled" | "cancelled" | "duplicate" => StatusCategory::Canceled,
        _ if canceled => StatusCategory::Canceled,
        _ if completed => StatusCategory::Done,
        _ if started => StatusCategory::Doing,
        _ => StatusCategory::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spreadsheet_guard_is_taken_off_only_before_formula_characters() {
        assert_eq!(unprefixed("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unprefixed("'-1 day"), "-1 day");
        assert_eq!(unprefixed("'tis the season"), "'tis the season");
        assert_eq!(unprefixed("plain"), "plain");
    }

    #[test]
    fn a_custom_status_falls_by_the_dates_of_its_row() {
        assert_eq!(category("In Review", false, false, true), StatusCategory::Doing);
        assert_eq!(category("Shipped", false, true, true), StatusCategory::Done);
        assert_eq!(category("Won't fix", true, false, false), StatusCategory::Canceled);
        assert_eq!(category("Ideas", false, false, false), StatusCategory::Unknown);
        assert_eq!(category("Todo", false, false, false), StatusCategory::Todo);
    }
}
