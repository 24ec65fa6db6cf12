//! Jira's "Export CSV (all fields)", Cloud and Server: a header repeated
//! once per value (`Labels`, `Sprint`, `Component/s`, `Comment`), locale,
//! 24-hour and ISO dates, comments as `date;author;body`.

use std::io::BufRead;

use super::{
    ExternalItem, ExternalNote, Items, ReadError, StatusCategory,
    csv_table::{DateForms, Expected, Header, Row, push_once},
    dates::csv_date,
};

const EXPECTED: Expected = Expected { what: "a Jira CSV export (all fields)", required: &["Issue key", "Summary", "Status"] };

const DATE_FORMS: DateForms =
    DateForms { tool: "Jira", forms: "`12/Oct/26 3:05 PM`, `12/Oct/26 15:05`, `2026-10-12 15:05` and ISO 8601" };

/// Resolutions that mean the work will not be done.
const CANCELING_RESOLUTIONS: &[&str] =
    &["won't do", "won't fix", "duplicate", "declined", "cannot reproduce", "canceled", "cancelled"];

pub(super) fn read<'a>(input: impl BufRead + 'a) -> Result<Items<'a>, ReadError> {
    super::csv_table::items(input, &EXPECTED, Columns::find, Columns::item)
}

/// Where each field is, found once from the header.
struct Columns {
    key: Option<usize>,
    issue_id: Option<usize>,
    summary: Option<usize>,
    description: Option<usize>,
    issue_type: Option<usize>,
    status: Option<usize>,
    status_category: Option<usize>,
    resolution: Option<usize>,
    priority: Option<usize>,
    assignee: Option<usize>,
    created: Option<usize>,
    updated: Option<usize>,
    resolved: Option<usize>,
    parent_key: Option<usize>,
    parent_id: Option<usize>,
    parent_summary: Option<usize>,
    points: Vec<usize>,
    labels: Vec<usize>,
    sprints: Vec<usize>,
    comments: Vec<usize>,
}

impl Columns {
    fn find(header: &Header) -> Self {
        let points = ["Custom field (Story point estimate)", "Custom field (Story Points)"]
            .iter()
            .flat_map(|name| header.positions(name))
            .collect();
        let mut labels = header.positions("Labels");
        labels.extend(header.positions("Component/s"));
        Self {
            key: header.position("Issue key"),
            issue_id: header.position("Issue id"),
            summary: header.position("Summary"),
            description: header.position("Description"),
            issue_type: header.position("Issue Type"),
            status: header.position("Status"),
            status_category: header.position("Status Category"),
            resolution: header.position("Resolution"),
            priority: header.position("Priority"),
            assignee: header.position("Assignee"),
            created: header.position("Created"),
            updated: header.position("Updated"),
            resolved: header.position("Resolved"),
            parent_key: header.first_of(&["Parent key", "Parent"]),
            parent_id: header.position("Parent id"),
            parent_summary: header.position("Parent summary"),
            points,
            labels,
            sprints: header.positions("Sprint"),
            comments: header.positions("Comment"),
        }
    }

    fn item(&self, row: &Row) -> Result<ExternalItem, ReadError> {
        let key = row.cell(self.key).to_owned();
        if key.is_empty() {
            return Err(row.error(self.key, "this issue has no key: every row needs its `Issue key`".into()));
        }
        let status = row.cell(self.status).to_owned();
        let mut labels = Vec::new();
        row.cells(&self.labels).for_each(|label| push_once(&mut labels, label));
        Ok(ExternalItem {
            line: row.line,
            title: row.cell(self.summary).to_owned(),
            description: row.text_block(self.description),
            points: self.points(row)?,
            category: category(&status, row.cell(self.status_category), row.cell(self.resolution)),
            status,
            labels,
            sprints: row.cells(&self.sprints).map(str::to_owned).collect(),
            kind: row.filled(self.issue_type),
            parent: self.parent(row),
            priority: row.filled(self.priority),
            // Not kept by the import (docs/import.md): a date it cannot read does not stop it.
            created: row.lenient_date(self.created),
            updated: row.lenient_date(self.updated),
            done_at: row.date(self.resolved, &DATE_FORMS)?,
            notes: self.notes(row),
            depends: Vec::new(),
            extra: row.named_cells(&[
                ("Issue id", self.issue_id),
                ("Assignee", self.assignee),
                ("Parent summary", self.parent_summary),
            ]),
            key,
        })
    }

    /// The first point column with a value.
    fn points(&self, row: &Row) -> Result<Option<f64>, ReadError> {
        let Some(position) = self.points.iter().copied().find(|position| !row.cell(Some(*position)).is_empty()) else {
            return Ok(None);
        };
        row.number(Some(position))
    }

    /// The parent as the file names it: `Parent key` or `Parent`, else
    /// `Parent id`. Jira often names it only by its numeric `Issue id`, and
    /// the parent may come later in the file: the import, which sees every
    /// item, matches that against the `Issue id` each item keeps in
    /// `extra`, so reading holds nothing from row to row.
    fn parent(&self, row: &Row) -> Option<String> {
        [self.parent_key, self.parent_id]
            .into_iter()
            .map(|position| row.cell(position))
            .find(|cell| !cell.is_empty())
            .map(str::to_owned)
    }

    /// `Comment` cells: `date;author;body`, the body free to hold `;`. A
    /// cell not in that shape is kept whole as the body.
    fn notes(&self, row: &Row) -> Vec<ExternalNote> {
        row.cells(&self.comments)
            .map(|cell| {
                let mut parts = cell.splitn(3, ';');
                match (parts.next().and_then(csv_date), parts.next(), parts.next()) {
                    (Some(at), Some(author), Some(body)) => {
                        ExternalNote { at: Some(at), author: author.trim().to_owned(), body: body.to_owned() }
                    }
                    _ => ExternalNote { at: None, author: String::new(), body: cell.to_owned() },
                }
            })
            .collect()
    }
}

/// Where a Jira status falls: a canceling resolution first, then the file's
/// `Status Category`, then Jira's default status words.
fn category(status: &str, status_category: &str, resolution: &str) -> StatusCategory {
    let resolution = resolution.replace('’', "'").to_lowercase();
    if CANCELING_RESOLUTIONS.contains(&resolution.as_str()) {
        return StatusCategory::Canceled;
    }
    let word = if status_category.is_empty() { status } else { status_category };
    match word.to_lowercase().as_str() {
        "to do" | "todo" | "open" | "backlog" | "selected for development" | "new" => StatusCategory::Todo,
        "in progress" => StatusCategory::Doing,
        "done" | "closed" | "resolved" => StatusCategory::Done,
        _ => StatusCategory::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_fall_by_resolution_then_category_then_default_words() {
        assert_eq!(category("Done", "", "Won't Do"), StatusCategory::Canceled);
        assert_eq!(category("Closed", "Done", "Won’t Fix"), StatusCategory::Canceled);
        assert_eq!(category("In Review", "In Progress", ""), StatusCategory::Doing);
        assert_eq!(category("In Review", "", ""), StatusCategory::Unknown);
        assert_eq!(category("Selected for Development", "", ""), StatusCategory::Todo);
        assert_eq!(category("Resolved", "", "Fixed"), StatusCategory::Done);
    }
}
