//! What an import did (or, dry, would do), kept small whatever the file's
//! size: counts, the first few items of each kind, and each row's advice
//! grouped by what it says (a count and the first few rows), so a 100,000
//! row file reads as a short report in flat memory. `--json` asks for
//! every item ([`ImportReport::listing_all`]).

use std::collections::HashMap;

use crate::import::mapping::RowAdvice;

/// Items of each kind (created, would create, skipped as canceled...)
/// the plain report names before `… and N more`.
pub const LISTED: usize = 10;

/// Rows named in a group of advice before `and N more`.
const PLACES: usize = 3;

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub created: Tally<Entry>,
    pub updated: Tally<Entry>,
    pub unchanged: usize,
    /// Items left as they were, the first few of each reason.
    pub skipped: Tally<SkippedEntry>,
    /// Each reason items were skipped for, and how many, in the order met.
    pub skipped_by_reason: Vec<(String, usize)>,
    /// The rows' advice, one group per sentence, in the order first met.
    advice: Vec<AdviceGroup>,
    advice_index: HashMap<RowAdvice, usize>,
    /// The method's advice on the quarter after the import.
    pub warnings: Vec<String>,
    /// Every item is kept (`--json`), not only the first [`LISTED`].
    listing_all: bool,
}

/// How many of a kind there are, and the first of them (all of them when
/// the report lists all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally<T> {
    pub count: usize,
    pub listed: Vec<T>,
}

impl<T> Tally<T> {
    /// How many there are, listed or not.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// The listed ones, as a slice (`len` above counts them all).
impl<T> std::ops::Deref for Tally<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.listed
    }
}

impl<T> Default for Tally<T> {
    fn default() -> Self {
        Self { count: 0, listed: Vec::new() }
    }
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

/// Rows that got the same advice.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AdviceGroup {
    advice: RowAdvice,
    count: usize,
    /// The first rows: line and key.
    places: Vec<(usize, String)>,
}

impl ImportReport {
    /// An empty report; `listing_all` keeps every item (for `--json`: it
    /// grows with the file), else only the first [`LISTED`] of each kind.
    pub fn new(listing_all: bool) -> Self {
        Self {
            created: Tally::default(),
            updated: Tally::default(),
            unchanged: 0,
            skipped: Tally::default(),
            skipped_by_reason: Vec::new(),
            advice: Vec::new(),
            advice_index: HashMap::new(),
            warnings: Vec::new(),
            listing_all,
        }
    }

    /// Counts an item created; `entry` is made only when it is listed.
    pub fn created(&mut self, entry: impl FnOnce() -> Entry) {
        let keep = self.listing_all || self.created.count < LISTED;
        Self::count(&mut self.created, keep, entry);
    }

    pub fn updated(&mut self, entry: impl FnOnce() -> Entry) {
        let keep = self.listing_all || self.updated.count < LISTED;
        Self::count(&mut self.updated, keep, entry);
    }

    fn count<T>(tally: &mut Tally<T>, keep: bool, entry: impl FnOnce() -> T) {
        tally.count += 1;
        if keep {
            tally.listed.push(entry());
        }
    }

    /// Counts an item skipped for `reason`; listed while its reason has
    /// fewer than [`LISTED`].
    pub fn skipped(&mut self, reason: &str, entry: impl FnOnce() -> SkippedEntry) {
        let seen = match self.skipped_by_reason.iter_mut().find(|(known, _)| known == reason) {
            Some((_, count)) => {
                *count += 1;
                *count - 1
            }
            None => {
                self.skipped_by_reason.push((reason.to_owned(), 1));
                0
            }
        };
        let keep = self.listing_all || seen < LISTED;
        Self::count(&mut self.skipped, keep, entry);
    }

    /// Adds a row's advice to the group of the same advice.
    pub fn advise(&mut self, advice: RowAdvice, line: usize, key: &str) {
        let index = match self.advice_index.get(&advice) {
            Some(index) => *index,
            None => {
                self.advice_index.insert(advice.clone(), self.advice.len());
                self.advice.push(AdviceGroup { advice, count: 0, places: Vec::new() });
                self.advice.len() - 1
            }
        };
        let group = &mut self.advice[index];
        group.count += 1;
        if group.places.len() < PLACES {
            group.places.push((line, key.to_owned()));
        }
    }

    /// The rows' advice, a sentence for each group, then the quarter's.
    pub fn all_warnings(&self) -> Vec<String> {
        let mut sentences: Vec<String> = self.advice.iter().map(AdviceGroup::sentence).collect();
        sentences.extend(self.warnings.iter().cloned());
        sentences
    }

    /// The report for a person: the first few items of each kind, the
    /// warnings, then one line of counts. `source` names the file and its
    /// tool: `jira.csv (jira-csv)`.
    pub fn lines(&self, source: &str, dry_run: bool) -> Vec<String> {
        let mut lines = Vec::new();
        if dry_run {
            listed(&mut lines, &self.created, "to create", |entry| {
                format!("would create {} {}: {}", entry.item, entry.key, entry.title)
            });
            listed(&mut lines, &self.updated, "to update", |entry| {
                format!("would update {} {}: {}", entry.item, entry.key, entry.title)
            });
        }
        for (reason, count) in &self.skipped_by_reason {
            let mut shown = 0;
            for skipped in self.skipped.listed.iter().filter(|skipped| &skipped.reason == reason).take(LISTED) {
                lines.push(format!("skipped: {}", skipped.message));
                shown += 1;
            }
            if *count > shown {
                lines.push(format!("skipped: … and {} more {reason}", count - shown));
            }
        }
        lines.extend(self.all_warnings().iter().map(|warning| format!("warning: {warning}")));
        let reasons: Vec<String> = self.skipped_by_reason.iter().map(|(reason, count)| format!("{count} {reason}")).collect();
        let reasons = if reasons.is_empty() { String::new() } else { format!(" ({})", reasons.join(", ")) };
        let (heading, create, update) =
            if dry_run { ("Dry run of", "to create", "to update") } else { ("Imported", "created", "updated") };
        let changed = self.created.count + self.updated.count > 0;
        let tail = match (dry_run, changed) {
            (true, _) => "Dry run: nothing was changed.",
            (false, true) => "One step: undo takes it back.",
            (false, false) => "Nothing was changed.",
        };
        lines.push(format!(
            "{heading} {source}: {} {create}, {} {update}, {} unchanged, {} skipped{reasons}. {tail}",
            self.created.count, self.updated.count, self.unchanged, self.skipped.count
        ));
        lines
    }
}

/// The first [`LISTED`] of `tally` as lines, then `… and N more WHAT`.
fn listed<T>(lines: &mut Vec<String>, tally: &Tally<T>, what: &str, line: impl Fn(&T) -> String) {
    lines.extend(tally.listed.iter().take(LISTED).map(line));
    let shown = tally.listed.len().min(LISTED);
    if tally.count > shown {
        lines.push(format!("… and {} more {what}", tally.count - shown));
    }
}

impl AdviceGroup {
    /// One row: `line 7 (PROJ-4): WHAT: THEN`; more: `WHAT: 12000 items
    /// (line 2 CHK-0, line 20 CHK-6, line 38 CHK-12 and 11997 more): THEN`.
    fn sentence(&self) -> String {
        match self.places.as_slice() {
            [(line, key)] if self.count == 1 => self.advice.at(*line, key),
            places => {
                let mut named: Vec<String> = places.iter().map(|(line, key)| format!("line {line} {key}")).collect();
                let more = self.count - places.len();
                if more > 0 {
                    let last = named.pop().unwrap_or_default();
                    named.push(format!("{last} and {more} more"));
                }
                format!("{}: {} items ({}): {}", self.advice.what, self.count, named.join(", "), self.advice.then)
            }
        }
    }
}
