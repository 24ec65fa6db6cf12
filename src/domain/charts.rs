//! The charts' series (`R`): plain numbers worked out from the board and
//! the store's sums, so the drawing only scales and plots them. Days are
//! counted from the quarter's first day (day 0).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::{Id, KeyResult, check_ins, planning::Split};

/// One sprint as the charts see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SprintFigures {
    pub number: u32,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Points committed (a closed sprint's frozen commitment, a running
    /// one's at its start), or planned into a sprint not started yet.
    pub committed: Commitment,
    /// Points done: a closed sprint's frozen record, else its done items.
    pub done: u32,
    /// Points of the quarter's scope this sprint was the first to take on
    /// (`quarter_work`): an item carried on from an earlier sprint was
    /// counted there already.
    pub scope: u32,
    /// Planned points split OKR/BAU (M4).
    pub split: Split,
}

/// Velocity's first bar. A team commits when a sprint starts (the review
/// counts the commitment made then), so a sprint not started has only
/// points planned into it, never a commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commitment {
    Committed(u32),
    /// A sprint not started: what is planned into it now.
    Planned(u32),
}

impl Commitment {
    pub fn points(self) -> u32 {
        match self {
            Self::Committed(points) | Self::Planned(points) => points,
        }
    }

    /// "17", or "planned 47" for a sprint not started.
    pub fn describe(self) -> String {
        match self {
            Self::Committed(points) => points.to_string(),
            Self::Planned(points) => format!("planned {points}"),
        }
    }
}

/// A sprint's commitment for velocity, the one rule the board's chart and
/// the reports share: a closed sprint's frozen record (`frozen`), else a
/// running one's commitment at its start (`at_start`), else (not started)
/// the points planned into it.
pub fn commitment(frozen: Option<u32>, at_start: Option<u32>, planned: u32) -> Commitment {
    frozen.or(at_start).map_or(Commitment::Planned(planned), Commitment::Committed)
}

/// An item one of the quarter's sprints held: in a closed sprint's frozen
/// record (removed work left out), else planned into it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldItem {
    pub sprint_id: Id,
    pub sprint_number: u32,
    /// The sprint's first day: an item it was the first to hold enters the
    /// quarter's scope on it.
    pub sprint_start: NaiveDate,
    pub item_id: Id,
    pub points: u32,
    /// The day it was done, when this sprint finished it.
    pub done_on: Option<NaiveDate>,
}

/// The quarter's work with each item counted once, however many sprints
/// it was carried through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuarterWork {
    /// Per sprint (in sprint order), the points of the items it was the
    /// first to hold; a sprint that took on nothing new is left out.
    pub scope: Vec<(Id, u32)>,
    /// Points done per day, oldest first, each item once: on the day the
    /// last sprint that finished it did so.
    pub done_by_day: Vec<(NaiveDate, u32)>,
}

impl QuarterWork {
    /// The scope sprint `id` added.
    pub fn scope_of(&self, id: Id) -> u32 {
        self.scope.iter().find(|(sprint, _)| *sprint == id).map_or(0, |(_, points)| *points)
    }
}

/// The burn-up's scope and done points from what the sprints held (method:
/// "the quarter's scope counts each item once"). An item counts in the
/// first sprint that held it, with the points the last one held it at (its
/// latest estimate, which is also what its done points are); it is done
/// once, on the day the last sprint that finished it did, but never before
/// it entered the scope (an imported item done before its sprint started),
/// so the done line never runs above the scope line.
pub fn quarter_work(held: &[HeldItem]) -> QuarterWork {
    let mut rows: Vec<&HeldItem> = held.iter().collect();
    rows.sort_by_key(|row| (row.sprint_number, row.sprint_id));
    // Item -> (first sprint, the day it entered scope, latest points, done day).
    let mut items: HashMap<Id, (Id, NaiveDate, u32, Option<NaiveDate>)> = HashMap::new();
    let mut sprints: Vec<Id> = Vec::new();
    for row in rows {
        if sprints.last() != Some(&row.sprint_id) {
            sprints.push(row.sprint_id);
        }
        let entry = items.entry(row.item_id).or_insert((row.sprint_id, row.sprint_start, row.points, None));
        entry.2 = row.points;
        if row.done_on.is_some() {
            entry.3 = row.done_on;
        }
    }
    let mut scope_by_sprint: HashMap<Id, u32> = HashMap::new();
    let mut done: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    for (first, in_scope_from, points, done_on) in items.values() {
        let scope = scope_by_sprint.entry(*first).or_default();
        *scope = scope.saturating_add(*points);
        if let Some(day) = done_on {
            let sum = done.entry((*day).max(*in_scope_from)).or_default();
            *sum = sum.saturating_add(*points);
        }
    }
    QuarterWork {
        scope: sprints.into_iter().filter_map(|id| scope_by_sprint.get(&id).map(|points| (id, *points))).collect(),
        done_by_day: done.into_iter().collect(),
    }
}

/// A line of points `(x, y)`, as ratatui's `Chart` takes them.
pub type Series = Vec<(f64, f64)>;

/// The burn-up: the scope the sprints took on, growing at each sprint's
/// start, and the points done, growing on each done date.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BurnUp {
    pub scope: Series,
    pub done: Series,
    /// Days in the quarter: the x axis runs from 0 to here.
    pub days: f64,
    /// The highest point of either line: the y axis runs to here.
    pub top: f64,
}

/// Whole days from the quarter's start to `day`, never before day 0.
#[allow(clippy::cast_precision_loss)] // day counts are tiny
pub fn day_of(quarter_start: NaiveDate, day: NaiveDate) -> f64 {
    (day - quarter_start).num_days().max(0) as f64
}

/// The burn-up from the sprints and the done points summed per done date
/// (`done_by_day` in date order). The done line runs on to `today` (within
/// the quarter), so a flat stretch shows as flat rather than missing.
pub fn burn_up(
    quarter_start: NaiveDate,
    quarter_end: NaiveDate,
    sprints: &[SprintFigures],
    done_by_day: &[(NaiveDate, u32)],
    today: NaiveDate,
) -> BurnUp {
    let days = day_of(quarter_start, quarter_end);
    let mut scope = vec![(0.0, 0.0)];
    let mut total = 0.0;
    for sprint in sprints {
        let x = day_of(quarter_start, sprint.start).min(days);
        // A step: flat up to the sprint's start, then up by what it took on.
        scope.push((x, total));
        total += f64::from(sprint.scope);
        scope.push((x, total));
    }
    scope.push((days, total));

    let mut done = vec![(0.0, 0.0)];
    let mut sum = 0.0;
    for (day, points) in done_by_day {
        // A done date after today (an importer or a hand edit may leave
        // one) counts as done today: the line never runs into days not
        // come yet.
        let x = day_of(quarter_start, (*day).min(today)).min(days);
        done.push((x, sum));
        sum += f64::from(*points);
        done.push((x, sum));
    }
    let until = day_of(quarter_start, today).min(days);
    if done.last().is_some_and(|(x, _)| *x < until) {
        done.push((until, sum));
    }
    BurnUp { scope, done, days, top: total.max(sum) }
}

/// The OKR share of each sprint's planned points, in per cent, at x = the
/// sprint's number; sprints with nothing planned have no point.
pub fn okr_shares(sprints: &[SprintFigures]) -> Series {
    sprints.iter().filter_map(|sprint| sprint.split.okr_share().map(|share| (f64::from(sprint.number), share * 100.0))).collect()
}

/// A KR's recorded values and the line it should follow.
#[derive(Debug, Clone, PartialEq)]
pub struct KrSeries {
    /// The start at day 0, then each check-in on its day.
    pub actual: Series,
    /// Straight from the start on day 0 to the target on the last day.
    pub expected: Series,
    /// The y axis's bounds, holding both lines.
    pub low: f64,
    pub high: f64,
}

pub fn kr_series(kr: &KeyResult, quarter_start: NaiveDate, quarter_end: NaiveDate) -> KrSeries {
    let days = day_of(quarter_start, quarter_end);
    let mut actual = vec![(0.0, kr.start)];
    actual.extend(kr.check_ins.iter().map(|check_in| (day_of(quarter_start, check_in.date).min(days), check_in.value)));
    let expected = vec![(0.0, kr.start), (days, check_ins::expected_value(kr.start, kr.target, 1.0))];
    let values = actual.iter().chain(&expected).map(|(_, y)| *y);
    let low = values.clone().fold(f64::INFINITY, f64::min);
    let high = values.fold(f64::NEG_INFINITY, f64::max);
    // A flat KR still gets a band to draw in.
    let (low, high) = if high > low { (low, high) } else { (low - 1.0, high + 1.0) };
    KrSeries { actual, expected, low, high }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CheckIn;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, d).expect("date")
    }

    fn sprint(number: u32, start: u32, committed: u32, okr: u32, bau: u32) -> SprintFigures {
        SprintFigures {
            number,
            start: day(start),
            end: day(start + 13),
            committed: Commitment::Planned(0),
            done: 0,
            scope: committed,
            split: Split { okr_points: okr, bau_points: bau },
        }
    }

    #[test]
    fn scope_steps_up_at_each_sprint_start() {
        let sprints = [sprint(1, 1, 10, 0, 0), sprint(2, 15, 5, 0, 0)];
        let chart = burn_up(day(1), day(28), &sprints, &[], day(1));
        assert_eq!(chart.scope, vec![(0.0, 0.0), (0.0, 0.0), (0.0, 10.0), (14.0, 10.0), (14.0, 15.0), (27.0, 15.0)]);
        assert_eq!(chart.days, 27.0);
        assert_eq!(chart.top, 15.0);
    }

    #[test]
    fn done_accumulates_by_date_and_runs_on_to_today() {
        let chart = burn_up(day(1), day(28), &[], &[(day(3), 2), (day(5), 3)], day(10));
        assert_eq!(chart.done, vec![(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (4.0, 2.0), (4.0, 5.0), (9.0, 5.0)]);
        assert_eq!(chart.top, 5.0);
    }

    #[test]
    fn done_work_dated_after_today_counts_today_never_later() {
        let chart = burn_up(day(1), day(28), &[], &[(day(3), 2), (day(20), 3), (day(27), 4)], day(10));
        assert_eq!(chart.done, vec![(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (9.0, 2.0), (9.0, 5.0), (9.0, 5.0), (9.0, 9.0)]);
        assert!(chart.done.iter().all(|(x, _)| *x <= 9.0), "nothing after today: {:?}", chart.done);
    }

    #[test]
    fn dates_outside_the_quarter_stay_on_the_axis() {
        let chart = burn_up(day(5), day(10), &[], &[(day(1), 1), (day(20), 1)], day(30));
        assert_eq!(chart.done.first(), Some(&(0.0, 0.0)));
        assert!(chart.done.iter().all(|(x, _)| (0.0..=5.0).contains(x)), "{:?}", chart.done);
        assert_eq!(chart.done.last(), Some(&(5.0, 2.0)));
    }

    #[test]
    fn okr_share_is_per_cent_and_skips_empty_sprints() {
        let sprints = [sprint(1, 1, 0, 13, 7), sprint(2, 15, 0, 0, 0), sprint(3, 29 - 28, 0, 0, 4)];
        assert_eq!(okr_shares(&sprints), vec![(1.0, 65.0), (3.0, 0.0)]);
    }

    #[test]
    fn kr_series_starts_at_the_start_and_expects_the_target_at_the_end() {
        let kr = KeyResult {
            id: 1,
            objective_id: 1,
            code: "KR1.1".into(),
            title: "t".into(),
            unit: "%".into(),
            start: 10.0,
            target: 50.0,
            current: 30.0,
            owner: String::new(),
            confidence: 50,
            check_ins: vec![CheckIn { id: 1, date: day(11), value: 30.0, confidence: 50, note: String::new() }],
        };
        let series = kr_series(&kr, day(1), day(21));
        assert_eq!(series.actual, vec![(0.0, 10.0), (10.0, 30.0)]);
        assert_eq!(series.expected, vec![(0.0, 10.0), (20.0, 50.0)]);
        assert_eq!((series.low, series.high), (10.0, 50.0));
    }

    #[test]
    fn a_flat_kr_still_has_room_on_its_axis() {
        let kr = KeyResult {
            id: 1,
            objective_id: 1,
            code: "KR1.1".into(),
            title: "t".into(),
            unit: String::new(),
            start: 3.0,
            target: 3.0,
            current: 3.0,
            owner: String::new(),
            confidence: 50,
            check_ins: Vec::new(),
        };
        let series = kr_series(&kr, day(1), day(21));
        assert_eq!((series.low, series.high), (2.0, 4.0));
    }

    #[test]
    fn a_sprint_not_started_has_points_planned_never_a_commitment() {
        assert_eq!(commitment(Some(17), None, 20), Commitment::Committed(17));
        assert_eq!(commitment(None, Some(19), 23), Commitment::Committed(19));
        assert_eq!(commitment(None, None, 47), Commitment::Planned(47));
        assert_eq!(commitment(None, None, 47).describe(), "planned 47");
        assert_eq!(commitment(None, Some(0), 47).describe(), "0");
    }

    fn held(sprint: u32, item: Id, points: u32, done_on: Option<NaiveDate>) -> HeldItem {
        // Sprint n starts on day 1 + 14 (n - 1).
        let sprint_start = day(1 + 14 * (sprint - 1));
        HeldItem { sprint_id: 100 + i64::from(sprint), sprint_number: sprint, sprint_start, item_id: item, points, done_on }
    }

    #[test]
    fn an_item_done_before_its_sprint_started_counts_as_done_when_it_entered_scope() {
        // Imported: #1 (5) and #2 (3) were done on day 3 and day 20, before
        // S3 (day 29) first held them; #3 (2) done in S3 on day 30.
        let work = quarter_work(&[held(3, 1, 5, Some(day(3))), held(3, 2, 3, Some(day(20))), held(3, 3, 2, Some(day(30)))]);
        assert_eq!(work.scope, vec![(103, 10)]);
        assert_eq!(work.done_by_day, vec![(day(29), 8), (day(30), 2)]);
    }

    #[test]
    fn a_carried_item_counts_once_in_scope_and_once_in_done() {
        // #1 (8 pts) is carried S1 -> S2 -> S3 and done in S3 on day 30;
        // #2 (5 pts) done in S1 on day 5; #3 (3 pts) held by S2, undone.
        let rows = [
            held(3, 1, 8, Some(day(30))),
            held(1, 1, 8, None),
            held(1, 2, 5, Some(day(5))),
            held(2, 1, 8, None),
            held(2, 3, 3, None),
        ];
        let work = quarter_work(&rows);
        // Scope: S1 took on #1 and #2 (8 + 5 = 13), S2 only #3 new (3), S3
        // nothing new: 16 in all, where summing each sprint's load says
        // 13 + 11 + 8 = 32.
        assert_eq!(work.scope, vec![(101, 13), (102, 3)]);
        assert_eq!(work.scope_of(103), 0);
        // Done: #2's 5 on day 5, #1's 8 on day 30, each once.
        assert_eq!(work.done_by_day, vec![(day(5), 5), (day(30), 8)]);
    }

    #[test]
    fn a_reestimated_item_counts_at_its_latest_points() {
        // #1 held at 8 by S1, re-estimated to 5 and done in S2 on day 20.
        let work = quarter_work(&[held(1, 1, 8, None), held(2, 1, 5, Some(day(20)))]);
        assert_eq!(work.scope, vec![(101, 5)]);
        assert_eq!(work.done_by_day, vec![(day(20), 5)]);
    }
}
