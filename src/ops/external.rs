//! Another tool's export onto the board (`quarterdeck import --from`): each
//! item read is mapped (`import::mapping`) and written as it comes, all in
//! one transaction and one undo step, so a file of any size is never held
//! whole and an error on any row changes nothing. Undo of the import takes
//! away what it created and puts back what it updated.

use chrono::NaiveDate;

use super::{OpError, advice};
use crate::{
    domain::{Id, codes, health::Object},
    import::{
        ExternalItem, ReadError, Source,
        mapping::{self, Mapped, Maps},
    },
    store::{Store, StoreError, external::Written},
};

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ExternalImport<'a> {
    pub source: Source,
    pub maps: &'a Maps,
    /// Take the file's values for items edited on the board since the last import.
    pub overwrite: bool,
    /// Run everything, then roll it back.
    pub dry_run: bool,
    /// The undo step's name ("Imported backlog.csv").
    pub step: String,
}

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: Vec<Entry>,
    pub updated: Vec<Entry>,
    pub unchanged: usize,
    pub skipped: Vec<SkippedEntry>,
    /// Advice on rows (points rounded, a sprint not found) and then the
    /// method's advice on the quarter.
    pub warnings: Vec<String>,
}

/// An item created or updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `#12`
    pub item: String,
    pub key: String,
    pub title: String,
}

/// An item of the file left as it was, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedEntry {
    pub line: usize,
    pub key: String,
    /// The board's item, when there is one (an item edited on the board).
    pub item: Option<String>,
    /// `canceled`, `deleted`, `edited on the board` or `in a closed sprint`.
    pub reason: String,
    /// The sentence for a person.
    pub message: String,
}

/// Why an import changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A row of the file cannot be read or mapped: where and what to do.
    #[error(transparent)]
    Row(#[from] ReadError),
    #[error(transparent)]
    Op(#[from] OpError),
}

impl From<StoreError> for ImportError {
    fn from(error: StoreError) -> Self {
        Self::Op(OpError::Store(error))
    }
}

impl From<rusqlite::Error> for ImportError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Op(error.into())
    }
}

/// The reason an item edited on the board since the last import gives.
pub const EDITED_ON_THE_BOARD: &str = "edited on the board";

/// The reason an item in a closed sprint gives: that sprint's record is frozen.
pub const IN_A_CLOSED_SPRINT: &str = "in a closed sprint";

/// Imports `items` (as a reader gives them) as one step; on `today` for
/// done dates the file does not give.
pub fn import_external(
    store: &mut Store,
    how: &ExternalImport<'_>,
    items: impl Iterator<Item = Result<ExternalItem, ReadError>>,
    today: NaiveDate,
) -> Result<ImportReport, ImportError> {
    // What the method's advice looks at after the write: the items left
    // BAU, and the sprints items were planned into.
    let mut bau = 0_usize;
    let mut sprints: Vec<Id> = Vec::new();
    let mut report = store.write_external(&how.step, how.dry_run, today, |batch| -> Result<ImportReport, ImportError> {
        let mut report = ImportReport::default();
        for item in items {
            match mapping::map(how.source, item?, how.maps)? {
                Mapped::Skip(skipped) => {
                    let reason = skipped.reason.as_str();
                    report.skipped.push(SkippedEntry {
                        message: format!("line {} {} {:?}: {reason}, skipped", skipped.line, skipped.key, skipped.title),
                        line: skipped.line,
                        key: skipped.key,
                        item: None,
                        reason: reason.to_owned(),
                    });
                }
                Mapped::Write(to_write) => {
                    report.warnings.extend(to_write.warnings);
                    let write = to_write.write;
                    let planned = write.fields.sprint;
                    let untagged = write.fields.krs.is_empty();
                    let entry =
                        |id: Id| Entry { item: codes::item(id), key: write.key.clone(), title: write.fields.title.clone() };
                    let written = batch.write(&write, how.overwrite)?;
                    if matches!(written, Written::Created(_) | Written::Updated(_)) {
                        bau += usize::from(untagged);
                        sprints.extend(planned.filter(|sprint| !sprints.contains(sprint)));
                    }
                    match written {
                        Written::Created(id) => report.created.push(entry(id)),
                        Written::Updated(id) => report.updated.push(entry(id)),
                        Written::Unchanged(_) => report.unchanged += 1,
                        Written::InClosedSprint(id, sprint) => report.skipped.push(SkippedEntry {
                            message: format!(
                                "{} {} is in closed sprint {}, whose record stays as it was: kept",
                                codes::item(id),
                                write.key,
                                codes::sprint(sprint)
                            ),
                            line: to_write.line,
                            key: write.key.clone(),
                            item: Some(codes::item(id)),
                            reason: IN_A_CLOSED_SPRINT.to_owned(),
                        }),
                        Written::KeptBoardEdit(id) => report.skipped.push(SkippedEntry {
                            message: format!(
                                "{} {} changed on the board since the last import: kept; --overwrite to take the file's",
                                codes::item(id),
                                write.key
                            ),
                            line: to_write.line,
                            key: write.key.clone(),
                            item: Some(codes::item(id)),
                            reason: EDITED_ON_THE_BOARD.to_owned(),
                        }),
                    }
                }
            }
        }
        Ok(report)
    })?;
    // The method's advice, as after adding or planning an item on the
    // board: BAU work said once for the whole file, and the load of each
    // sprint items went into (split, reserve, capacity).
    if bau > 0 {
        let items = if bau == 1 {
            "1 item written moves no KR: it is".to_owned()
        } else {
            format!("{bau} items written move no KR: they are")
        };
        report.warnings.push(format!(
            "{items} BAU (business as usual); map their labels to KRs with --map LABEL=KR1.2, or tag them on the board"
        ));
    }
    if !how.dry_run {
        let touched: Vec<advice::Touched> = sprints.iter().map(|sprint| (Object::Sprint(*sprint), advice::LOAD)).collect();
        report.warnings.extend(advice::health(store, today, &touched)?);
    }
    Ok(report)
}

impl ImportReport {
    /// The report for a person: one line of counts, then each item skipped
    /// and each warning; a dry run also names each item it would create
    /// or update.
    pub fn lines(&self, heading: &str, dry_run: bool) -> Vec<String> {
        let mut lines = Vec::new();
        if dry_run {
            lines.extend(self.created.iter().map(|entry| format!("would create {} {}: {}", entry.item, entry.key, entry.title)));
            lines.extend(self.updated.iter().map(|entry| format!("would update {} {}: {}", entry.item, entry.key, entry.title)));
        }
        lines.extend(self.skipped.iter().map(|skipped| format!("skipped: {}", skipped.message)));
        lines.extend(self.warnings.iter().map(|warning| format!("warning: {warning}")));
        let mut reasons: Vec<String> = Vec::new();
        for reason in ["canceled", "deleted", EDITED_ON_THE_BOARD, IN_A_CLOSED_SPRINT] {
            let count = self.skipped.iter().filter(|skipped| skipped.reason == reason).count();
            if count > 0 {
                reasons.push(format!("{count} {reason}"));
            }
        }
        let reasons = if reasons.is_empty() { String::new() } else { format!(" ({})", reasons.join(", ")) };
        let (create, update) = if dry_run { ("to create", "to update") } else { ("created", "updated") };
        let changed = !(self.created.is_empty() && self.updated.is_empty());
        let tail = match (dry_run, changed) {
            (true, _) => "Dry run: nothing was changed.",
            (false, true) => "One step: undo takes it back.",
            (false, false) => "Nothing was changed.",
        };
        lines.push(format!(
            "{heading}: {} {create}, {} {update}, {} unchanged, {} skipped{reasons}. {tail}",
            self.created.len(),
            self.updated.len(),
            self.unchanged,
            self.skipped.len()
        ));
        lines
    }
}
