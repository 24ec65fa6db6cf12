//! Another tool's export onto the board (`quarterdeck import --from`): each
//! item read is mapped (`import::mapping`) and written as it comes, all in
//! one transaction and one undo step, so a file of any size is never held
//! whole and an error on any row changes nothing. Undo of the import takes
//! away what it created and puts back what it updated.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::{OpError, advice};
use crate::{
    domain::{Id, codes, health::Object},
    import::{
        ExternalItem, ReadError, Source,
        mapping::{self, Mapped, Maps, ToWrite},
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
    /// Keep every item in the report (for `--json`), not only the first few.
    pub list_all: bool,
}

use super::external_report::LISTED;
pub use super::external_report::{Entry, ImportReport, SkippedEntry, Tally};

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

/// An item the file wrote, as its first row left it in the report.
#[derive(Debug, Clone, Copy)]
struct Seen {
    line: usize,
    outcome: Outcome,
    /// Written with no KR tag: BAU work for the method's advice.
    bau: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

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
    let mut sprints: Vec<Id> = Vec::new();
    // The `--map` labels no row has carried yet: a typo there strips the
    // file's KR tags without a word.
    let mut labels_unmet: HashSet<String> = how.maps.kr_flags.iter().map(|(label, _)| label.clone()).collect();
    // Each item written so far, by id: a key on two rows of one file is one
    // item, counted once and said (the later row is kept).
    let mut seen: HashMap<Id, Seen> = HashMap::new();
    let mut repeated = 0_usize;
    let mut report = store.write_external(&how.step, how.dry_run, today, |batch| -> Result<ImportReport, ImportError> {
        let mut report = ImportReport::new(how.list_all);
        report.warnings.extend(how.maps.flag_warnings.iter().cloned());
        for item in items {
            let item = item?;
            if !labels_unmet.is_empty() {
                for label in &item.labels {
                    labels_unmet.remove(&mapping::key_of(label));
                }
            }
            match mapping::map(how.source, item, how.maps)? {
                Mapped::Skip(skipped) => {
                    let reason = skipped.reason.as_str();
                    report.skipped(reason, || SkippedEntry {
                        message: format!(
                            "line {} {} {:?}: {}, skipped",
                            skipped.line,
                            skipped.key,
                            skipped.title,
                            skipped.reason.explained()
                        ),
                        line: skipped.line,
                        key: skipped.key,
                        item: None,
                        reason: reason.to_owned(),
                    });
                }
                Mapped::Write(to_write) => {
                    let ToWrite { line, mut write, mut warnings, sprint_advice } = *to_write;
                    warnings.extend(mapping::done_by_today(&mut write, today));
                    let written = batch.write(&mut write, how.overwrite)?;
                    // `write` now holds what the board holds (a sprint or
                    // KR tags the file does not give are the board's).
                    let entry =
                        |id: Id| Entry { item: codes::item(id), key: write.key.clone(), title: write.fields.title.clone() };
                    let skipped = |id: Id, reason: &str, message: String| SkippedEntry {
                        line,
                        key: write.key.clone(),
                        item: Some(codes::item(id)),
                        reason: reason.to_owned(),
                        message,
                    };
                    let id = written.id();
                    let earlier = seen.get(&id).copied();
                    if let Some(earlier) = earlier {
                        repeated += 1;
                        if repeated <= LISTED {
                            report
                                .warnings
                                .push(format!("{} is on lines {} and {line}: the later row is kept", write.key, earlier.line));
                        }
                    }
                    match (earlier.map(|earlier| earlier.outcome), written) {
                        (None, Written::Created(_)) => report.created(|| entry(id)),
                        (None, Written::Updated(_)) => report.updated(|| entry(id)),
                        (None, Written::Unchanged(_)) => report.unchanged += 1,
                        // The later row changes what the earlier left as it was.
                        (Some(Outcome::Unchanged), Written::Updated(_)) => {
                            report.unchanged -= 1;
                            report.updated(|| entry(id));
                        }
                        (Some(_), Written::Created(_) | Written::Updated(_) | Written::Unchanged(_)) => {}
                        (_, Written::InClosedSprint(_, sprint)) => {
                            let message = format!(
                                "line {line} {} {} is in closed sprint {}, whose record stays as it was: kept",
                                codes::item(id),
                                write.key,
                                codes::sprint(sprint)
                            );
                            if earlier.is_none() {
                                report.skipped(IN_A_CLOSED_SPRINT, || skipped(id, IN_A_CLOSED_SPRINT, message));
                            }
                            continue;
                        }
                        (_, Written::KeptBoardEdit(_)) => {
                            let message = format!(
                                "line {line} {} {} changed on the board since the last import: kept; --overwrite to take the file's",
                                codes::item(id),
                                write.key
                            );
                            if earlier.is_none() {
                                report.skipped(EDITED_ON_THE_BOARD, || skipped(id, EDITED_ON_THE_BOARD, message));
                            }
                            continue;
                        }
                    }
                    // The file's values are on the board: its advice holds.
                    for advice in warnings {
                        report.advise(advice, line, &write.key);
                    }
                    if let (Some(advice), None) = (sprint_advice, write.fields.sprint) {
                        report.advise(advice, line, &write.key);
                    }
                    let outcome = match (earlier, written) {
                        (Some(earlier), Written::Unchanged(_)) => earlier.outcome,
                        (Some(earlier), _) if earlier.outcome == Outcome::Created => Outcome::Created,
                        (_, Written::Created(_)) => Outcome::Created,
                        (_, Written::Updated(_)) => Outcome::Updated,
                        _ => Outcome::Unchanged,
                    };
                    let bau = outcome != Outcome::Unchanged && write.fields.krs.is_empty();
                    seen.insert(id, Seen { line, outcome, bau });
                    if matches!(written, Written::Created(_) | Written::Updated(_)) {
                        sprints.extend(write.fields.sprint.filter(|sprint| !sprints.contains(sprint)));
                    }
                }
            }
        }
        Ok(report)
    })?;
    for (_, flag) in how.maps.kr_flags.iter().filter(|(label, _)| labels_unmet.contains(label)) {
        let (typed, _) = flag.rsplit_once('=').unwrap_or((flag, ""));
        report.warnings.push(format!("--map {flag:?}: no row has the label {}; check its spelling in the file", typed.trim()));
    }
    if repeated > LISTED {
        report.warnings.push(format!("… and {} more rows whose key is on an earlier row too", repeated - LISTED));
    }
    let bau = seen.values().filter(|seen| seen.bau).count();
    // The method's advice, as after adding or planning an item on the
    // board: BAU work said once for the whole file, and the load of each
    // sprint items went into (split, reserve, capacity).
    if bau > 0 {
        let (items, their, them) = if bau == 1 {
            ("1 item written moves no KR: it is".to_owned(), "its", "it")
        } else {
            (format!("{bau} items written move no KR: they are"), "their", "them")
        };
        report.warnings.push(format!(
            "{items} BAU (business as usual); map {their} labels to KRs with --map LABEL=KR1.2, or tag {them} on the board"
        ));
    }
    if !how.dry_run {
        let touched: Vec<advice::Touched> = sprints.iter().map(|sprint| (Object::Sprint(*sprint), advice::LOAD)).collect();
        report.warnings.extend(advice::health(store, today, &touched)?);
    }
    Ok(report)
}
