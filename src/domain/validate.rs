//! The method's rules for what a user enters, as typed field errors: the
//! forms use them, and the command line and importers will name the same
//! fields with the same words.
//!
//! A rule that only advises (M2: a goal without a KR) is not here: it never
//! stops a save (see `planning::goal_breaks_m2`).

use chrono::NaiveDate;

use super::Id;

/// The fields a user fills in, by what they mean (not where a form shows
/// them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Label,
    StartDate,
    EndDate,
    SprintCount,
    SprintWeeks,
    Title,
    Points,
    Kind,
    Description,
    Owner,
    /// The objective an objective aligns to: `O2`, or words.
    AlignsTo,
    Unit,
    /// A KR's value when the quarter starts.
    Start,
    Target,
    Current,
    Confidence,
    /// The day a check-in's reading was taken.
    CheckInDate,
    /// A check-in's reading.
    Value,
    /// A short note: a check-in's, or a retro note's text.
    Note,
    Capacity,
    Goal,
    NoKrReason,
    /// Why a BAU item waits ("deferred because").
    DeferredReason,
    FromSprint,
    ToSprint,
    Name,
    FocusFactor,
    /// The method's roles a team member holds.
    Roles,
    /// A team member's days off in the sprint with this id.
    DaysOff(Id),
}

/// What is wrong with one field, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl FieldError {
    pub fn new(field: Field, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

/// M9: a KR is measurable: a unit, and a target that differs from its start.
pub fn key_result(unit: &str, start: f64, target: f64) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if unit.trim().is_empty() {
        errors.push(FieldError::new(Field::Unit, "M9: a KR is measured in a unit, such as %, s or orders"));
    }
    if start == target {
        errors.push(FieldError::new(Field::Target, "M9: the target must differ from the start: a KR measures a change"));
    }
    errors
}

/// Longest check-in note: a line of context, not a report.
pub const MAX_NOTE_CHARS: usize = 120;

/// A check-in records a reading taken: today or earlier, with a short note.
pub fn check_in(date: NaiveDate, today: NaiveDate, note: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if date > today {
        errors.push(FieldError::new(Field::CheckInDate, format!("A check-in records a reading taken: {today} or earlier")));
    }
    let length = note.chars().count();
    if length > MAX_NOTE_CHARS {
        errors.push(FieldError::new(Field::Note, format!("A short note: {MAX_NOTE_CHARS} characters at most (now {length})")));
    }
    errors
}

/// Another sprint's number and dates, which a sprint must not overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TakenDates {
    pub number: u32,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// A sprint ends after it starts, and overlaps no other sprint.
pub fn sprint_dates(start: NaiveDate, end: NaiveDate, taken: &[TakenDates]) -> Vec<FieldError> {
    if end <= start {
        return vec![FieldError::new(Field::EndDate, "A sprint ends after it starts: pick a later end date")];
    }
    taken
        .iter()
        .find(|other| start <= other.end && end >= other.start)
        .map(|other| {
            let message =
                format!("Overlaps Sprint {} ({} to {}): sprints must not overlap", other.number, other.start, other.end);
            FieldError::new(Field::StartDate, message)
        })
        .into_iter()
        .collect()
}

/// More points than this in one sprint is a typing slip.
pub const MAX_CAPACITY: u32 = 999;

/// A sprint's capacity in points: 0 to [`MAX_CAPACITY`].
pub fn capacity(points: u32) -> Vec<FieldError> {
    if points > MAX_CAPACITY {
        return vec![FieldError::new(Field::Capacity, format!("Between 0 and {MAX_CAPACITY} points"))];
    }
    Vec::new()
}

/// Days a member is away in a sprint (`typed` as the user wrote it): 0 up
/// to its `working` days, in whole or half days. The message names what is
/// wrong; the caller names the field (`Field::DaysOff(sprint)`).
pub fn days_off(days: f64, working: u32, typed: &str) -> Result<f64, String> {
    if !(0.0..=f64::from(working)).contains(&days) {
        return Err(format!("\"{typed}\" is not 0 to {working} days (the sprint's working days)"));
    }
    if (days * 2.0).fract() != 0.0 {
        return Err(format!("{days} days: use whole or half days, like 2 or 1.5"));
    }
    Ok(days)
}

/// A range of sprints (the OKR-sprint cascade) ends where or after it starts.
pub fn sprint_range(from: u32, to: u32) -> Vec<FieldError> {
    if to < from {
        return vec![FieldError::new(Field::ToSprint, format!("The range ends before it starts: {from} or more"))];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    fn fields(errors: &[FieldError]) -> Vec<Field> {
        errors.iter().map(|error| error.field).collect()
    }

    #[test]
    fn capacity_and_days_off_stay_in_their_ranges() {
        assert!(capacity(999).is_empty());
        assert_eq!(fields(&capacity(1000)), [Field::Capacity]);
        assert_eq!(days_off(1.5, 10, "1.5"), Ok(1.5));
        assert!(days_off(1.3, 10, "1.3").is_err_and(|message| message.contains("half days")));
        assert!(days_off(11.0, 10, "011").is_err_and(|message| message.contains("\"011\" is not 0 to 10 days")));
        assert!(days_off(-1.0, 10, "-1").is_err());
    }

    #[test]
    fn m9_names_the_unit_and_the_target() {
        assert_eq!(fields(&key_result("%", 8.0, 5.0)), []);
        assert_eq!(fields(&key_result(" ", 8.0, 8.0)), [Field::Unit, Field::Target]);
    }

    #[test]
    fn sprints_end_after_they_start_and_do_not_overlap() {
        let taken = [TakenDates { number: 2, start: date("2027-01-11"), end: date("2027-01-24") }];
        assert_eq!(fields(&sprint_dates(date("2026-12-28"), date("2027-01-10"), &taken)), []);
        assert_eq!(fields(&sprint_dates(date("2027-01-10"), date("2027-01-10"), &taken)), [Field::EndDate]);
        let overlap = sprint_dates(date("2027-01-04"), date("2027-01-11"), &taken);
        assert_eq!(fields(&overlap), [Field::StartDate]);
        assert!(overlap[0].message.contains("Sprint 2"));
        assert_eq!(fields(&sprint_range(3, 2)), [Field::ToSprint]);
        assert_eq!(fields(&sprint_range(2, 2)), []);
    }

    #[test]
    fn a_check_in_is_dated_today_or_before_with_a_short_note() {
        let today = date("2027-01-29");
        let long = "x".repeat(MAX_NOTE_CHARS + 1);
        let cases: &[(&str, &str, &[Field])] = &[
            ("2027-01-29", "One-click at 10 % of buyers", &[]),
            ("2026-12-01", "", &[]),
            ("2027-01-30", "", &[Field::CheckInDate]),
            ("2027-01-29", &long, &[Field::Note]),
            ("2027-02-01", &long, &[Field::CheckInDate, Field::Note]),
        ];
        for &(day, note, expected) in cases {
            assert_eq!(fields(&check_in(date(day), today, note)), expected, "{day}");
        }
    }
}
