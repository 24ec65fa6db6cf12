//! The sprint review's arithmetic (method.md: "Sprint review", M11): what
//! a sprint committed to, what was added, removed, done and carried over,
//! and whether its key results moved.
//!
//! A sprint's record is worked out from two lists: what it held when it
//! started (its commitment, with copies of titles and points) and what it
//! holds now. Closing a sprint freezes that record in the file, so its
//! numbers never change afterwards, whatever later happens to its items.

use chrono::NaiveDate;

use super::{Id, KeyResult, planning::Split};

/// An item as the sprint committed to it when it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub item_id: Id,
    pub title: String,
    pub points: u32,
}

/// An item planned into the sprint now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub item_id: Id,
    pub title: String,
    pub points: u32,
    pub done: bool,
    /// The KRs it is tagged with.
    pub key_results: Vec<Id>,
}

/// What became of an item of the sprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Unfinished: it goes on, in the next sprint or the backlog.
    Carried,
    /// Committed, then taken out of the sprint (or deleted) before its end.
    Removed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Carried => "carried",
            Self::Removed => "removed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Done, Self::Carried, Self::Removed].into_iter().find(|outcome| outcome.as_str() == text)
    }
}

/// One line of a sprint's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordItem {
    pub item_id: Id,
    pub title: String,
    pub points: u32,
    /// In the commitment, or added after the start.
    pub committed: bool,
    pub outcome: Outcome,
    /// The KRs it was tagged with: those of a done item are KRs the sprint
    /// delivered on.
    pub key_results: Vec<Id>,
}

/// The record of a sprint from its commitment and what it holds now:
/// committed items first, in commitment order, then the added ones.
pub fn record(commitment: &[Committed], now: &[Planned]) -> Vec<RecordItem> {
    let outcome = |item: &Planned| if item.done { Outcome::Done } else { Outcome::Carried };
    let mut items: Vec<RecordItem> = commitment
        .iter()
        .map(|committed| match now.iter().find(|item| item.item_id == committed.item_id) {
            Some(item) => RecordItem {
                item_id: item.item_id,
                title: item.title.clone(),
                points: item.points,
                committed: true,
                outcome: outcome(item),
                key_results: item.key_results.clone(),
            },
            None => RecordItem {
                item_id: committed.item_id,
                title: committed.title.clone(),
                points: committed.points,
                committed: true,
                outcome: Outcome::Removed,
                key_results: Vec::new(),
            },
        })
        .collect();
    items.extend(now.iter().filter(|item| !commitment.iter().any(|committed| committed.item_id == item.item_id)).map(|item| {
        RecordItem {
            item_id: item.item_id,
            title: item.title.clone(),
            points: item.points,
            committed: false,
            outcome: outcome(item),
            key_results: item.key_results.clone(),
        }
    }));
    items
}

/// A count of items and their points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub items: usize,
    pub points: u32,
}

impl Tally {
    fn of<'a>(items: impl Iterator<Item = &'a RecordItem>) -> Self {
        items.fold(Self::default(), |tally, item| Self {
            items: tally.items + 1,
            points: tally.points.saturating_add(item.points),
        })
    }
}

/// The output half of the review: "what did we deliver?"
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Output {
    pub committed: Tally,
    /// Of the commitment, what got done.
    pub committed_done: Tally,
    pub added: Tally,
    pub removed: Tally,
    /// Everything done, added items included.
    pub done: Tally,
    pub carried: Tally,
}

impl Output {
    /// What the sprint held at its end (or holds now): everything done and
    /// everything unfinished, planned at the start or added later; removed
    /// work is not counted against it.
    pub fn held(&self) -> Tally {
        Tally { items: self.done.items + self.carried.items, points: self.done.points.saturating_add(self.carried.points) }
    }
}

pub fn output(items: &[RecordItem]) -> Output {
    let tally = |keep: &dyn Fn(&RecordItem) -> bool| Tally::of(items.iter().filter(|item| keep(item)));
    Output {
        committed: tally(&|item| item.committed),
        committed_done: tally(&|item| item.committed && item.outcome == Outcome::Done),
        added: tally(&|item| !item.committed),
        removed: tally(&|item| item.outcome == Outcome::Removed),
        done: tally(&|item| item.outcome == Outcome::Done),
        carried: tally(&|item| item.outcome == Outcome::Carried),
    }
}

/// Where a sprint stands, for the words its review uses: before its start
/// nothing is committed or added yet (what it holds is its plan), and
/// until its close unfinished work is open, not carried over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    NotStarted,
    Running,
    Closed,
}

impl Stage {
    pub fn of(state: super::SprintState) -> Self {
        use super::SprintState;
        match state {
            SprintState::Planned => Self::NotStarted,
            SprintState::Active => Self::Running,
            SprintState::Closed => Self::Closed,
        }
    }
}

/// What the review says of a sprint not started, above its figures.
pub const NOT_STARTED: &str = "Not started: no commitment recorded yet.";

/// One line of the output half: its name in `review --json` and its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputRow {
    pub key: &'static str,
    pub words: &'static str,
    pub tally: Tally,
}

/// The output half, line by line, as every front end shows it (the
/// board's `r`, `review`, the reports): a sprint not started holds what
/// is "planned so far", not work "added later"; a sprint not closed has
/// "unfinished" work, not work "carried over".
pub fn output_rows(output: &Output, stage: Stage) -> [OutputRow; 7] {
    let row = |key, words, tally| OutputRow { key, words, tally };
    let held = match stage {
        Stage::Closed => "held at the end",
        Stage::NotStarted | Stage::Running => "held now",
    };
    [
        row("committed", "committed", output.committed),
        row("committed_done", "of it done", output.committed_done),
        match stage {
            Stage::NotStarted => row("planned", "planned so far", output.added),
            Stage::Running | Stage::Closed => row("added", "added later", output.added),
        },
        row("removed", "removed", output.removed),
        row("done", "done in all", output.done),
        match stage {
            Stage::Closed => row("carried", "carried over", output.carried),
            Stage::NotStarted | Stage::Running => row("open", "unfinished", output.carried),
        },
        row("held", held, output.held()),
    ]
}

/// What became of an item, in a word, as every front end says it: an
/// unfinished item of a sprint not closed is `open`, not carried yet.
pub fn outcome_word(outcome: Outcome, stage: Stage) -> &'static str {
    match (outcome, stage) {
        (Outcome::Carried, Stage::NotStarted | Stage::Running) => "open",
        _ => outcome.as_str(),
    }
}

/// How an item came into the sprint, in a word: in its commitment, added
/// after its start, or (before its start) planned.
pub fn planned_word(committed: bool, stage: Stage) -> &'static str {
    match (committed, stage) {
        (true, _) => "committed",
        (false, Stage::NotStarted) => "planned",
        (false, Stage::Running | Stage::Closed) => "added",
    }
}

/// A KR's move over the sprint as a share of its way, in whole per cent
/// with its sign: `+39 %`, `-5 %`, `+0 %` (rounded first, so a tiny step
/// back never reads `-0`).
pub fn made_words(made: f64) -> String {
    format!("{:+} %", crate::format::whole_percent(made))
}

/// A sprint's OKR/BAU split (M4) from its record: the points it held at
/// its end (or holds now), done or not, planned at the start or added later;
/// removed work is out of it. An item is OKR work when it is tagged with
/// one of the quarter's own KRs (`quarter_kr`); a tag to an earlier
/// quarter's KR is history. Planning, health, the charts and the review all
/// show this split, so a closed sprint's is read from its frozen record,
/// never from its done items.
pub fn planned_split(items: &[RecordItem], quarter_kr: impl Fn(Id) -> bool) -> Split {
    Split::of(
        items
            .iter()
            .filter(|item| item.outcome != Outcome::Removed)
            .map(|item| (item.points, item.key_results.iter().any(|id| quarter_kr(*id)))),
    )
}

/// The KRs the outcome half looks at: those the goal served, then those
/// tagged on an item the sprint delivered, each once.
pub fn outcome_key_results(served: &[Id], items: &[RecordItem]) -> Vec<Id> {
    let mut ids: Vec<Id> = served.to_vec();
    for id in items.iter().filter(|item| item.outcome == Outcome::Done).flat_map(|item| item.key_results.iter()) {
        if !ids.contains(id) {
            ids.push(*id);
        }
    }
    ids
}

/// M11 thresholds: a sprint "delivered its points" when at least this
/// share of the points it held got done (added work too)...
pub const M11_DELIVERED_SHARE: f64 = 0.9;
/// ...and a KR "moved" when its value changed by at least this share of
/// the way from its start to its target.
pub const M11_MOVED_SHARE: f64 = 0.01;

/// How one KR did over the sprint: its value at the sprint's start and end
/// (from the check-ins on or before those dates), with its start and target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KrMove {
    pub start: f64,
    pub target: f64,
    pub at_sprint_start: f64,
    pub at_sprint_end: f64,
}

impl KrMove {
    /// The change over the sprint as a share of the KR's whole way (positive
    /// when it went toward the target); `None` for a KR that cannot be
    /// measured (M9).
    pub fn progress_made(&self) -> Option<f64> {
        let span = self.target - self.start;
        (span != 0.0 && span.is_finite()).then(|| (self.at_sprint_end - self.at_sprint_start) / span)
    }

    pub fn moved(&self) -> bool {
        self.progress_made().is_some_and(|made| made.abs() >= M11_MOVED_SHARE)
    }
}

/// How `kr` did between a sprint's first and last day (for a sprint still
/// running, `until` today).
pub fn kr_move(kr: &KeyResult, from: NaiveDate, until: NaiveDate) -> KrMove {
    // The value at the start is the one the sprint began with: the last
    // reading before its first day.
    let before = from.pred_opt().unwrap_or(from);
    KrMove { start: kr.start, target: kr.target, at_sprint_start: kr.value_on(before), at_sprint_end: kr.value_on(until) }
}

/// The last day a sprint's review judges it by: a closed sprint as it stood
/// when it closed (a later check-in does not change its review), a running
/// one up to today.
pub fn judged_until(sprint: &super::Sprint, today: NaiveDate) -> NaiveDate {
    use super::SprintState;
    match (sprint.state, sprint.closed_on) {
        (SprintState::Closed, Some(closed)) => closed.min(sprint.end),
        (SprintState::Closed, None) => sprint.end,
        _ => today.min(sprint.end),
    }
}

/// M11, high output, low outcome: the sprint delivered (about) all the
/// points it held, while none of its KRs moved. Output is all of its done
/// work, planned at the start or added later (method.md, M11): a sprint
/// started empty and filled afterwards delivers as much as one planned
/// ahead. A sprint that held nothing, or has no KR, is not flagged: there
/// is nothing to compare.
pub fn high_output_low_outcome(output: &Output, moves: &[KrMove]) -> bool {
    let held = f64::from(output.held().points);
    let delivered = held > 0.0 && f64::from(output.done.points) >= held * M11_DELIVERED_SHARE;
    delivered && !moves.is_empty() && !moves.iter().any(KrMove::moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn committed(item_id: Id, points: u32) -> Committed {
        Committed { item_id, title: format!("item {item_id}"), points }
    }

    fn planned(item_id: Id, points: u32, done: bool) -> Planned {
        Planned { item_id, title: format!("item {item_id} now"), points, done, key_results: vec![1] }
    }

    #[test]
    fn the_record_counts_committed_added_removed_done_and_carried() {
        // 1 done, 2 carried, 3 removed (or deleted), 4 added and done, 5 added and carried.
        let commitment = [committed(1, 3), committed(2, 5), committed(3, 8)];
        let now = [planned(1, 3, true), planned(2, 5, false), planned(4, 2, true), planned(5, 1, false)];
        let items = record(&commitment, &now);
        let outcomes: Vec<(Id, bool, Outcome)> = items.iter().map(|item| (item.item_id, item.committed, item.outcome)).collect();
        assert_eq!(
            outcomes,
            [
                (1, true, Outcome::Done),
                (2, true, Outcome::Carried),
                (3, true, Outcome::Removed),
                (4, false, Outcome::Done),
                (5, false, Outcome::Carried)
            ]
        );
        assert_eq!(items[2].title, "item 3", "a removed item keeps the title it was committed with");
        let output = output(&items);
        assert_eq!(output.committed, Tally { items: 3, points: 16 });
        assert_eq!(output.committed_done, Tally { items: 1, points: 3 });
        assert_eq!(output.added, Tally { items: 2, points: 3 });
        assert_eq!(output.removed, Tally { items: 1, points: 8 });
        assert_eq!(output.done, Tally { items: 2, points: 5 });
        assert_eq!(output.carried, Tally { items: 2, points: 6 });
    }

    #[test]
    fn the_outcome_looks_at_served_krs_and_those_delivered_on() {
        let mut items = record(&[], &[planned(1, 3, true), planned(2, 5, false)]);
        items[0].key_results = vec![7, 2];
        items[1].key_results = vec![9];
        assert_eq!(outcome_key_results(&[2, 3], &items), [2, 3, 7], "a carried item's KR is not delivered on");
    }

    #[test]
    fn a_krs_value_on_a_day_is_its_latest_reading_by_then() {
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date");
        let reading =
            |id, date: &str, value| super::super::CheckIn { id, date: day(date), value, confidence: 50, note: String::new() };
        let kr = KeyResult {
            id: 1,
            objective_id: 1,
            code: "KR1.1".into(),
            title: "Conversion".into(),
            unit: "%".into(),
            start: 12.0,
            target: 20.0,
            current: 15.0,
            owner: String::new(),
            confidence: 50,
            check_ins: vec![reading(2, "2026-11-20", 14.0), reading(1, "2026-11-06", 13.0), reading(3, "2026-12-04", 15.0)],
        };
        assert_eq!(kr.value_on(day("2026-11-01")), 12.0, "the start before the first reading");
        assert_eq!(kr.value_on(day("2026-11-20")), 14.0, "a reading on the day counts");
        let sprint = kr_move(&kr, day("2026-11-23"), day("2026-12-06"));
        assert_eq!((sprint.at_sprint_start, sprint.at_sprint_end), (14.0, 15.0));
        assert!(sprint.moved());
    }

    #[test]
    fn m11_flags_output_without_outcome() {
        let full = Output {
            committed: Tally { items: 4, points: 20 },
            committed_done: Tally { items: 4, points: 18 },
            done: Tally { items: 4, points: 18 },
            carried: Tally { items: 1, points: 2 },
            ..Output::default()
        };
        let still = KrMove { start: 10.0, target: 20.0, at_sprint_start: 14.0, at_sprint_end: 14.05 };
        let moved = KrMove { at_sprint_end: 15.0, ..still };
        assert!(high_output_low_outcome(&full, &[still]), "18 of 20 points done, the KR moved 0.5 %");
        assert!(!high_output_low_outcome(&full, &[still, moved]), "one KR moved");
        let half = Output {
            committed_done: Tally { items: 2, points: 10 },
            done: Tally { items: 2, points: 10 },
            carried: Tally { items: 2, points: 10 },
            ..full
        };
        assert!(!high_output_low_outcome(&half, &[still]), "half the commitment is not high output");
        assert!(!high_output_low_outcome(&full, &[]), "no KR to look at");
        let down = KrMove { start: 8.0, target: 5.0, at_sprint_start: 7.0, at_sprint_end: 6.5 };
        assert!(down.moved() && down.progress_made().is_some_and(|made| made > 0.0), "a KR that goes down moves too");
    }

    #[test]
    fn m11_counts_work_added_after_the_start() {
        // Started on the quarter's first day with nothing planned, then
        // 8 + 5 + 2 = 15 points added and all done: 15 of 15 held, while the
        // commitment at the start was 0 points.
        let items = record(&[], &[planned(1, 8, true), planned(2, 5, true), planned(3, 2, true)]);
        let filled = output(&items);
        assert_eq!(filled.committed.points, 0);
        assert_eq!((filled.done.points, filled.held().points), (15, 15));
        let flat = KrMove { start: 10.0, target: 20.0, at_sprint_start: 12.0, at_sprint_end: 12.0 };
        assert!(high_output_low_outcome(&filled, &[flat]), "15 of 15 points done, the KR flat");
        // #1 (10 committed) unfinished, #4 and #5 (12 + 2) added and done:
        // 14 done of 10 + 12 + 2 = 24 held.
        let mixed = record(&[committed(1, 10)], &[planned(1, 10, false), planned(4, 12, true), planned(5, 2, true)]);
        let mixed = output(&mixed);
        assert_eq!((mixed.done.points, mixed.held().points), (14, 24));
        assert!(!high_output_low_outcome(&mixed, &[flat]), "14 of 24 held is 58 %: not high output");
        let removed = record(&[committed(1, 10), committed(2, 6)], &[planned(2, 6, true)]);
        let removed = output(&removed);
        assert_eq!((removed.done.points, removed.held().points), (6, 6), "removed work is not held");
        assert!(high_output_low_outcome(&removed, &[flat]));
    }

    #[test]
    fn a_sprint_not_started_plans_and_one_not_closed_has_open_work() {
        let items = record(&[committed(1, 3)], &[planned(1, 3, false), planned(2, 5, false)]);
        let figures = output(&items);
        let words = |stage| output_rows(&figures, stage).map(|row| (row.key, row.words));
        assert_eq!(words(Stage::NotStarted)[2], ("planned", "planned so far"));
        assert_eq!(words(Stage::NotStarted)[5], ("open", "unfinished"));
        assert_eq!(words(Stage::Running)[2], ("added", "added later"));
        assert_eq!(words(Stage::Running)[5], ("open", "unfinished"));
        assert_eq!(words(Stage::Closed)[5], ("carried", "carried over"));
        assert_eq!(output_rows(&figures, Stage::Running)[5].tally, Tally { items: 2, points: 8 });
        assert_eq!(outcome_word(Outcome::Carried, Stage::Running), "open");
        assert_eq!(outcome_word(Outcome::Carried, Stage::Closed), "carried");
        assert_eq!(planned_word(false, Stage::NotStarted), "planned");
        assert_eq!(planned_word(false, Stage::Running), "added");
    }

    #[test]
    fn a_kr_that_barely_moved_back_made_plus_zero_never_minus_zero() {
        assert_eq!(made_words(-0.001), "+0 %");
        assert_eq!(made_words(0.0), "+0 %");
        assert_eq!(made_words(0.3875), "+39 %");
        assert_eq!(made_words(-0.05), "-5 %");
    }

    #[test]
    fn the_planned_split_is_what_the_sprint_held_not_what_it_did() {
        // Committed: #1 8 pts KR 1, #2 5 pts BAU, #3 3 pts KR 9 (an earlier
        // quarter's KR), #6 4 pts KR 1 later removed; added: #4 2 pts KR 1.
        // At the end #1 and #2 done, #3 and #4 carried.
        let commitment = [committed(1, 8), committed(2, 5), committed(3, 3), committed(6, 4)];
        let mut now = vec![planned(1, 8, true), planned(2, 5, true), planned(3, 3, false), planned(4, 2, false)];
        now[1].key_results.clear();
        now[2].key_results = vec![9];
        let items = record(&commitment, &now);
        let ours = |id: Id| id == 1;
        // OKR: #1 8 + #4 2 = 10; BAU: #2 5 + #3 3 (an old quarter's KR) = 8;
        // #6 was removed. 10 of 18 = 56 %, where the done points alone
        // (#1 8 OKR, #2 5 BAU) would say 62 %.
        assert_eq!(planned_split(&items, ours), Split { okr_points: 10, bau_points: 8 });
    }
}
