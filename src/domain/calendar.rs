//! The quarter's calendar: sprint dates and the integrated rhythm of events.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Start and inclusive end of one sprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SprintDates {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// Lays sprints end to end from `start`, one per entry of `weeks`.
///
/// Six two-week sprints, four or five three-week sprints and sprints of
/// unequal length are all valid; a sprint's end is the day before the next
/// one starts. Returns `None` if a length is zero or a date overflows.
pub fn plan_sprints(start: NaiveDate, weeks: &[u32]) -> Option<Vec<SprintDates>> {
    let mut next = start;
    let mut sprints = Vec::with_capacity(weeks.len());
    for &length in weeks {
        if length == 0 {
            return None;
        }
        let end = next.checked_add_days(Days::new(u64::from(length) * 7 - 1))?;
        sprints.push(SprintDates { start: next, end });
        next = end.succ_opt()?;
    }
    Some(sprints)
}

/// The customary label of the quarter a date falls in, such as `2027-Q1`.
pub fn quarter_label(date: NaiveDate) -> String {
    format!("{}-Q{}", date.year(), date.month0() / 3 + 1)
}

fn is_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Weekdays from `from` to `to`, both included.
pub fn working_days(from: NaiveDate, to: NaiveDate) -> u32 {
    let count = from.iter_days().take_while(|day| *day <= to).filter(|day| is_working_day(*day)).count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// Which working day of the span `start..=end` `today` is, and how many
/// working days the span has: the header's "day 4/10". A weekend day counts
/// as the working day before it.
pub fn working_day_of(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> (u32, u32) {
    let total = working_days(start, end);
    let done = working_days(start, today.min(end));
    (done.max(1).min(total), total)
}

/// The last working day of a sprint, when its review is held.
pub fn review_day(end: NaiveDate) -> NaiveDate {
    let mut day = end;
    while !is_working_day(day) {
        match day.pred_opt() {
            Some(previous) => day = previous,
            None => break,
        }
    }
    day
}

/// An event of the integrated rhythm (method.md, pattern 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RhythmEvent {
    pub date: NaiveDate,
    pub what: String,
}

/// The next event of the rhythm on or after `today`, for sprints in order.
///
/// Before sprint 1: the quarter kick-off (OKR planning and the first sprint
/// planning). Then each sprint ends in a review with an OKR progress check;
/// every other review (even sprints) also holds the monthly OKR check-in, and
/// the last one is followed by the quarterly retro.
pub fn next_event(sprints: &[SprintDates], today: NaiveDate) -> Option<RhythmEvent> {
    next_event_open(sprints, &[], today)
}

/// The next event, leaving out the reviews already held: those of the
/// sprints numbered in `closed` (a sprint closes at its review).
pub fn next_event_open(sprints: &[SprintDates], closed: &[usize], today: NaiveDate) -> Option<RhythmEvent> {
    let first = sprints.first()?;
    if today < first.start {
        return Some(RhythmEvent { date: first.start, what: "Quarter kick-off".to_owned() });
    }
    let last_number = sprints.len();
    sprints.iter().enumerate().find_map(|(index, sprint)| {
        let number = index + 1;
        let review = review_day(sprint.end);
        (review >= today && !closed.contains(&number)).then(|| {
            let what = if number == last_number {
                format!("Sprint {number} review + quarterly retro")
            } else if number % 2 == 0 {
                format!("Sprint {number} review + monthly OKR check-in")
            } else {
                format!("Sprint {number} review")
            };
            RhythmEvent { date: review, what }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn six_two_week_sprints_cover_twelve_weeks() {
        let sprints = plan_sprints(date("2027-01-04"), &[2; 6]).expect("valid");
        assert_eq!(sprints.len(), 6);
        assert_eq!(sprints[0], SprintDates { start: date("2027-01-04"), end: date("2027-01-17") });
        assert_eq!(sprints[1].start, date("2027-01-18"));
        assert_eq!(sprints[5], SprintDates { start: date("2027-03-15"), end: date("2027-03-28") });
    }

    #[test]
    fn four_three_week_sprints() {
        let sprints = plan_sprints(date("2027-01-04"), &[3; 4]).expect("valid");
        assert_eq!(sprints[0].end, date("2027-01-24"));
        assert_eq!(sprints[3], SprintDates { start: date("2027-03-08"), end: date("2027-03-28") });
    }

    #[test]
    fn unequal_sprints_follow_each_other_without_gaps() {
        let sprints = plan_sprints(date("2027-01-04"), &[3, 2, 2, 3, 2]).expect("valid");
        assert_eq!(sprints[0].end, date("2027-01-24"));
        assert_eq!(sprints[1].start, date("2027-01-25"));
        assert_eq!(sprints[4].end, date("2027-03-28"));
        for pair in sprints.windows(2) {
            assert_eq!(pair[0].end.succ_opt(), Some(pair[1].start));
        }
    }

    #[test]
    fn a_zero_length_sprint_is_refused() {
        assert_eq!(plan_sprints(date("2027-01-04"), &[2, 0, 2]), None);
    }

    #[test]
    fn labels_name_the_calendar_quarter() {
        assert_eq!(quarter_label(date("2027-01-04")), "2027-Q1");
        assert_eq!(quarter_label(date("2026-10-26")), "2026-Q4");
        assert_eq!(quarter_label(date("2026-06-30")), "2026-Q2");
    }

    #[test]
    fn working_days_skip_weekends() {
        let (start, end) = (date("2027-01-04"), date("2027-01-17"));
        assert_eq!(working_day_of(start, end, date("2027-01-04")), (1, 10));
        assert_eq!(working_day_of(start, end, date("2027-01-07")), (4, 10));
        assert_eq!(working_day_of(start, end, date("2027-01-09")), (5, 10)); // Saturday
        assert_eq!(working_day_of(start, end, date("2027-01-17")), (10, 10));
    }

    #[test]
    fn the_next_event_follows_the_rhythm() {
        let sprints = plan_sprints(date("2027-01-04"), &[2; 6]).expect("valid");
        let event = |day| next_event(&sprints, date(day)).expect("an event");
        assert_eq!(event("2026-12-20").what, "Quarter kick-off");
        assert_eq!(event("2027-01-05"), RhythmEvent { date: date("2027-01-15"), what: "Sprint 1 review".into() });
        assert_eq!(event("2027-01-16").what, "Sprint 2 review + monthly OKR check-in");
        assert_eq!(event("2027-03-20").what, "Sprint 6 review + quarterly retro");
        assert_eq!(next_event(&sprints, date("2027-03-27")), None);
    }
}
