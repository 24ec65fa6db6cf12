//! A KR's check-ins (method.md: "Check-in", rule M8): its readings over
//! time, and what the board derives from them. One rule makes a KR's
//! current value: its latest check-in (by date, then by id for two on one
//! day), else its start. Every reader goes through these functions, so the
//! OKR pane, the details, the review and the store cannot disagree.

use chrono::NaiveDate;

use super::{CheckIn, settings::CheckInCadence};

/// A check-in dated outside its quarter (`label`, `start` to `end`), as
/// advice: a reading of another quarter is likely a typo in the date, but
/// a baseline taken the week before is fine, so it is said, never refused.
/// The command layer's check-in (the board's form and the command line)
/// says it; `None` inside the quarter.
pub fn outside_quarter(date: NaiveDate, label: &str, start: NaiveDate, end: NaiveDate) -> Option<String> {
    (date < start || date > end).then(|| format!("the check-in is dated {date}, outside {label} ({start} to {end})"))
}

/// The latest check-in: by date, then by id (the later one entered).
pub fn latest(check_ins: &[CheckIn]) -> Option<&CheckIn> {
    check_ins.iter().max_by_key(|check_in| (check_in.date, check_in.id))
}

/// A KR's current value and confidence: its latest check-in's, else its
/// start and the confidence stored with it.
pub fn reading(start: f64, stored_confidence: u8, check_ins: &[CheckIn]) -> (f64, u8) {
    latest(check_ins).map_or((start, stored_confidence), |check_in| (check_in.value, check_in.confidence))
}

/// A KR's value on `date`: its latest check-in on or before that day, else
/// its start. The sprint review asks it for a sprint's first and last day.
pub fn value_on(start: f64, check_ins: &[CheckIn], date: NaiveDate) -> f64 {
    latest_on(check_ins, date).map_or(start, |check_in| check_in.value)
}

/// The latest check-in on or before `date`: the reading a KR had that day.
pub fn latest_on(check_ins: &[CheckIn], date: NaiveDate) -> Option<&CheckIn> {
    check_ins.iter().filter(|check_in| check_in.date <= date).max_by_key(|check_in| (check_in.date, check_in.id))
}

/// How far the latest check-in moved the KR, and from what.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// Latest value minus the one before it (signed, in the KR's unit).
    pub delta: f64,
    /// The previous check-in's date; `None`: the KR's start, it being the
    /// first check-in.
    pub since: Option<NaiveDate>,
}

/// The change the latest check-in made since the one before it (or since
/// the start, for the first); `None` before any check-in.
pub fn change_since_previous(start: f64, check_ins: &[CheckIn]) -> Option<Change> {
    let mut ordered: Vec<&CheckIn> = check_ins.iter().collect();
    ordered.sort_by_key(|check_in| (check_in.date, check_in.id));
    let (last, earlier) = ordered.split_last()?;
    let previous = earlier.last();
    Some(Change {
        delta: last.value - previous.map_or(start, |check_in| check_in.value),
        since: previous.map(|check_in| check_in.date),
    })
}

/// A stale KR (M8): how long it went without a check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stale {
    pub days: i64,
    /// Whether it ever had one; if not, `days` count from the quarter's start.
    pub checked_in: bool,
}

impl Stale {
    /// "stale: last check-in 16 days ago", for the KR's row.
    pub fn describe(self) -> String {
        if self.checked_in {
            format!("stale: last check-in {} days ago", self.days)
        } else {
            format!("stale: no check-in in {} days", self.days)
        }
    }
}

/// M8 at the default cadence (two weeks), a shorthand for tests: every
/// screen asks [`kr_stale`], at the quarter's cadence.
#[cfg(test)]
pub fn stale(check_ins: &[CheckIn], quarter_start: NaiveDate, today: NaiveDate) -> Option<Stale> {
    stale_at(CheckInCadence::TwoWeeks, check_ins, quarter_start, today)
}

/// M8 at the quarter's `cadence`: past the day the next check-in was due
/// (14 days after the latest, or a calendar month), counted from the
/// quarter's start before the first. Every screen asks this one.
pub fn stale_at(cadence: CheckInCadence, check_ins: &[CheckIn], quarter_start: NaiveDate, today: NaiveDate) -> Option<Stale> {
    let last = latest(check_ins).map(|check_in| check_in.date);
    let from = last.unwrap_or(quarter_start);
    let days = (today - from).num_days();
    (today > cadence.next_due(from)).then_some(Stale { days, checked_in: last.is_some() })
}

/// M8 for a KR of `quarter`, at the quarter's cadence.
pub fn kr_stale(kr: &super::KeyResult, quarter: &super::Quarter, today: NaiveDate) -> Option<Stale> {
    stale_at(quarter.cadence, &kr.check_ins, quarter.start, today)
}

/// Where a straight line from the start (at the quarter's start) to the
/// target (at its end) stands when `elapsed` (0..1) of the quarter is gone:
/// the value a KR on pace would have.
pub fn expected_value(start: f64, target: f64, elapsed: f64) -> f64 {
    start + (target - start) * elapsed.clamp(0.0, 1.0)
}

/// The check-ins newest first, as the KR's details list them.
pub fn newest_first(check_ins: &[CheckIn]) -> Vec<&CheckIn> {
    let mut ordered: Vec<&CheckIn> = check_ins.iter().collect();
    ordered.sort_by_key(|check_in| std::cmp::Reverse((check_in.date, check_in.id)));
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_in_outside_its_quarter_is_said() {
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("day");
        let (start, end) = (day("2027-01-04"), day("2027-03-28"));
        assert_eq!(
            outside_quarter(day("2020-01-01"), "2027-Q1", start, end).as_deref(),
            Some("the check-in is dated 2020-01-01, outside 2027-Q1 (2027-01-04 to 2027-03-28)")
        );
        assert_eq!(outside_quarter(day("2027-03-29"), "2027-Q1", start, end).map(|_| ()), Some(()));
        assert_eq!(outside_quarter(start, "2027-Q1", start, end), None);
        assert_eq!(outside_quarter(end, "2027-Q1", start, end), None);
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    /// A test's check-ins as `(id, date, value)`.
    type Rows<'a> = &'a [(i64, &'a str, f64)];
    /// An expected change: the delta and the previous check-in's date.
    type Expected<'a> = Option<(f64, Option<&'a str>)>;
    /// Expected staleness: days and whether it was ever checked in.
    type ExpectedStale = Option<(i64, bool)>;

    /// Check-ins from `(id, date, value)`, confidence 10 x id.
    fn history(rows: Rows<'_>) -> Vec<CheckIn> {
        rows.iter()
            .map(|&(id, day, value)| CheckIn {
                id,
                date: date(day),
                value,
                confidence: u8::try_from(id * 10).expect("small id"),
                note: String::new(),
            })
            .collect()
    }

    #[test]
    fn the_latest_by_date_then_id_is_the_current_reading() {
        let cases: &[(Rows<'_>, (f64, u8))] = &[
            // No check-in: the start, with the stored confidence.
            (&[], (12.0, 55)),
            (&[(1, "2027-01-04", 12.5)], (12.5, 10)),
            // Entered out of order: the date wins, not the id.
            (&[(2, "2027-01-15", 13.0), (1, "2027-01-20", 14.0)], (14.0, 10)),
            // Two on one day: the later entered wins.
            (&[(3, "2027-01-20", 14.5), (1, "2027-01-20", 14.0), (2, "2027-01-04", 1.0)], (14.5, 30)),
        ];
        for (rows, expected) in cases {
            assert_eq!(reading(12.0, 55, &history(rows)), *expected, "{rows:?}");
        }
    }

    #[test]
    fn value_on_a_date_is_the_latest_check_in_on_or_before_it() {
        let check_ins =
            history(&[(1, "2027-01-04", 12.0), (2, "2027-01-15", 12.9), (4, "2027-01-29", 15.1), (3, "2027-01-29", 14.0)]);
        let cases: &[(&str, f64)] = &[
            ("2027-01-01", 11.0), // before the first: the start
            ("2027-01-04", 12.0), // on the day counts
            ("2027-01-14", 12.0),
            ("2027-01-15", 12.9),
            ("2027-01-29", 15.1), // two that day: the later entered
            ("2027-03-31", 15.1),
        ];
        for &(day, expected) in cases {
            assert_eq!(value_on(11.0, &check_ins, date(day)), expected, "on {day}");
        }
        assert_eq!(value_on(11.0, &[], date("2027-03-31")), 11.0, "no check-in: the start");
    }

    #[test]
    fn change_since_previous_compares_the_two_latest() {
        let cases: &[(Rows<'_>, Expected<'_>)] = &[
            (&[], None),
            // The first check-in moved the KR from its start.
            (&[(1, "2027-01-15", 12.4)], Some((0.4, None))),
            (&[(1, "2027-01-13", 12.4), (2, "2027-01-27", 12.8)], Some((0.4, Some("2027-01-13")))),
            // A KR that goes down: a negative change.
            (&[(2, "2027-01-27", 7.4), (1, "2027-01-13", 7.9)], Some((-0.5, Some("2027-01-13")))),
            // Same day twice: the earlier entered is the previous one.
            (&[(1, "2027-01-13", 13.0), (2, "2027-01-13", 13.5)], Some((0.5, Some("2027-01-13")))),
        ];
        for (rows, expected) in cases {
            let got = change_since_previous(12.0, &history(rows));
            match (got, expected) {
                (None, None) => {}
                (Some(change), Some((delta, since))) => {
                    assert!((change.delta - delta).abs() < 1e-9, "{rows:?}: {change:?}");
                    assert_eq!(change.since, since.map(date), "{rows:?}");
                }
                _ => panic!("{rows:?}: got {got:?}, want {expected:?}"),
            }
        }
    }

    #[test]
    fn stale_after_more_than_fourteen_days() {
        let start = date("2027-01-04");
        let cases: &[(Rows<'_>, &str, ExpectedStale)] = &[
            (&[(1, "2027-01-15", 1.0)], "2027-01-29", None), // 14 days: still fresh
            (&[(1, "2027-01-15", 1.0)], "2027-01-30", Some((15, true))),
            (&[(1, "2027-01-15", 1.0), (2, "2027-01-10", 1.0)], "2027-01-31", Some((16, true))),
            (&[], "2027-01-18", None), // a new quarter's first two weeks
            (&[], "2027-01-20", Some((16, false))),
            (&[], "2026-12-01", None),                       // quarter not started
            (&[(1, "2027-02-10", 1.0)], "2027-01-31", None), // dated ahead: not stale
        ];
        for &(rows, today, expected) in cases {
            let got = stale(&history(rows), start, date(today)).map(|stale| (stale.days, stale.checked_in));
            assert_eq!(got, expected, "{rows:?} on {today}");
        }
        assert_eq!(Stale { days: 16, checked_in: true }.describe(), "stale: last check-in 16 days ago");
        assert_eq!(Stale { days: 16, checked_in: false }.describe(), "stale: no check-in in 16 days");
    }

    #[test]
    fn a_monthly_cadence_allows_a_calendar_month() {
        let start = date("2027-01-04");
        let monthly = |rows: Rows<'_>, today: &str| {
            stale_at(CheckInCadence::Monthly, &history(rows), start, date(today)).map(|stale| stale.days)
        };
        assert_eq!(monthly(&[(1, "2027-01-15", 1.0)], "2027-01-30"), None, "16 days: fresh at a monthly cadence");
        assert_eq!(monthly(&[(1, "2027-01-15", 1.0)], "2027-02-15"), None, "a month to the day");
        assert_eq!(monthly(&[(1, "2027-01-15", 1.0)], "2027-02-16"), Some(32));
        assert_eq!(monthly(&[], "2027-02-05"), Some(32), "before the first: from the quarter's start");
    }

    #[test]
    fn the_expected_line_runs_from_start_to_target() {
        let cases: &[(f64, f64, f64, f64)] = &[
            (12.0, 20.0, 0.0, 12.0),
            (12.0, 20.0, 0.5, 16.0),
            (12.0, 20.0, 1.0, 20.0),
            (8.0, 5.0, 0.5, 6.5), // going down
            (12.0, 20.0, 1.5, 20.0),
        ];
        for &(start, target, elapsed, expected) in cases {
            assert!((expected_value(start, target, elapsed) - expected).abs() < 1e-9);
        }
    }

    #[test]
    fn newest_first_orders_by_date_then_id() {
        let check_ins = history(&[(1, "2027-01-04", 1.0), (3, "2027-01-15", 2.0), (2, "2027-01-15", 3.0)]);
        let ids: Vec<i64> = newest_first(&check_ins).iter().map(|check_in| check_in.id).collect();
        assert_eq!(ids, [3, 2, 1]);
    }
}
