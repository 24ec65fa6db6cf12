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
    /// The quarter's check-in cadence (M8).
    CheckInCadence,
    /// The quarter's overlap strategy (M6).
    OverlapStrategy,
    /// A KR's score at the quarter's close.
    Score,
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
    if days < 0.0 {
        return Err(format!("Days off cannot be negative: 0 to {working} days (the sprint's working days)"));
    }
    if !(0.0..=f64::from(working)).contains(&days) {
        return Err(format!("\"{typed}\" is not 0 to {working} days (the sprint's working days)"));
    }
    if (days * 2.0).fract() != 0.0 {
        return Err(format!("{days} days: use whole or half days, like 2 or 1.5"));
    }
    Ok(days)
}

/// A date typed as YYYY-MM-DD. Text written so that names no day (the
/// 30th of February, a 13th month) is told which part does not exist, not
/// asked for the form it already has.
pub fn date(text: &str) -> Result<NaiveDate, String> {
    if text.is_empty() {
        return Err("Give a date, as YYYY-MM-DD".to_owned());
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date);
    }
    let not_a_date = || format!("\"{text}\" is not a date: write it as YYYY-MM-DD");
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else { return Err(not_a_date()) };
    let digits = |part: &str, widths: std::ops::RangeInclusive<usize>| {
        widths.contains(&part.len()) && part.bytes().all(|byte| byte.is_ascii_digit())
    };
    if !(digits(year, 4..=4) && digits(month, 1..=2) && digits(day, 1..=2)) {
        return Err(not_a_date());
    }
    let (Ok(year), Ok(month), Ok(day)) = (year.parse::<i32>(), month.parse::<u32>(), day.parse::<u32>()) else {
        return Err(not_a_date());
    };
    let Some(month_name) = u8::try_from(month).ok().and_then(|month| chrono::Month::try_from(month).ok()) else {
        return Err(format!("{text} is not a day: a year has 12 months, 01 to 12"));
    };
    // The first of the next month, one day back: the month's last day.
    let next = if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    let days = next.and_then(|first| first.pred_opt()).map_or(31, |last| chrono::Datelike::day(&last));
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => Ok(date),
        None if day == 0 => Err(format!("{text} is not a day: days are numbered from 01")),
        None => Err(format!("{text} is not a day: {} {year} has {days} days", month_name.name())),
    }
}

/// A whole number from `min` to `max` of `what` ("points", "%"), typed in
/// the field labelled `label`. A negative number is a whole number: it is
/// told that it cannot be negative.
pub fn whole(text: &str, min: u32, max: u32, what: &str, label: &str) -> Result<u32, String> {
    let range = format!("between {min} and {max} {what}");
    // A share may be typed with its sign: "70%" is 70 %.
    let text = if what == "%" { text.strip_suffix('%').map_or(text, str::trim_end) } else { text };
    if text.is_empty() {
        return Err(format!("Give a number, {range}"));
    }
    match text.parse::<i128>() {
        Ok(value) if value < 0 => Err(format!("{label} cannot be negative: {range}")),
        Ok(value) => u32::try_from(value).ok().filter(|value| (min..=max).contains(value)).ok_or_else(|| capitalised(&range)),
        Err(_) if text.parse::<f64>().is_ok_and(|value| value < 0.0) => Err(format!("{label} cannot be negative: {range}")),
        Err(_) => Err(format!("\"{text}\" is not a whole number: {range}")),
    }
}

/// Any number, such as 3.5 or -2 (a KR's values). A decimal comma or a unit
/// after the number is named as what is wrong.
pub fn number(text: &str) -> Result<f64, String> {
    if text.is_empty() {
        return Err("Give a number, like 12 or 3.5".to_owned());
    }
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => return Ok(value),
        Ok(value) if value.is_infinite() && !text.to_lowercase().contains("inf") => {
            return Err(format!("\"{text}\" is too large a number"));
        }
        _ => {}
    }
    let with_point = text.replace(',', ".");
    if text.contains(',') && with_point.parse::<f64>().is_ok_and(f64::is_finite) {
        return Err(format!("\"{text}\" is not a number: write decimals with a point, {with_point}"));
    }
    let figure = text.trim_end_matches(|ch: char| !ch.is_ascii_digit()).trim_end();
    if figure.len() < text.len() && figure.parse::<f64>().is_ok_and(f64::is_finite) {
        return Err(format!("\"{text}\" is not a number: write the number alone, {figure}"));
    }
    Err(format!("\"{text}\" is not a number: write it like 12 or 3.5"))
}

/// A field's error read away from its form (the command line, a plan
/// file): `name` (`--points`, `items[3].points`), the value as typed, then
/// what is wrong, the value named once: `--points: -3: points cannot be
/// negative: ...`, `--confidence: 150 is not a confidence: ...`.
pub fn naming_value(name: &str, typed: &str, message: &str) -> String {
    let typed = typed.trim();
    if message.starts_with(typed) || message.starts_with(&format!("\"{typed}\"")) {
        return format!("{name}: {message}");
    }
    let mut chars = message.chars();
    let message: String = chars.next().map(|first| first.to_lowercase().chain(chars).collect()).unwrap_or_default();
    format!("{name}: {typed}: {message}")
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
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
        assert!(days_off(-1.0, 10, "-1").is_err_and(|message| message.starts_with("Days off cannot be negative")));
    }

    #[test]
    fn a_date_written_right_that_names_no_day_says_which_part_does_not_exist() {
        assert_eq!(super::date("2027-01-17"), Ok(date("2027-01-17")));
        let cases = [
            ("2027-02-30", "2027-02-30 is not a day: February 2027 has 28 days"),
            ("2028-02-30", "2028-02-30 is not a day: February 2028 has 29 days"),
            ("2027-01-32", "2027-01-32 is not a day: January 2027 has 31 days"),
            ("2027-04-31", "2027-04-31 is not a day: April 2027 has 30 days"),
            ("2027-12-32", "2027-12-32 is not a day: December 2027 has 31 days"),
            ("2027-13-01", "2027-13-01 is not a day: a year has 12 months, 01 to 12"),
            ("2027-00-10", "2027-00-10 is not a day: a year has 12 months, 01 to 12"),
            ("2027-01-00", "2027-01-00 is not a day: days are numbered from 01"),
            ("17.01.2027", "\"17.01.2027\" is not a date: write it as YYYY-MM-DD"),
            ("2027-1", "\"2027-1\" is not a date: write it as YYYY-MM-DD"),
            ("tomorrow", "\"tomorrow\" is not a date: write it as YYYY-MM-DD"),
            ("", "Give a date, as YYYY-MM-DD"),
        ];
        for (typed, message) in cases {
            assert_eq!(super::date(typed), Err(message.to_owned()), "{typed}");
        }
    }

    #[test]
    fn a_whole_number_out_of_range_says_why_a_negative_one_that_it_cannot_be() {
        assert_eq!(whole("5", 0, 100, "points", "Points"), Ok(5));
        assert_eq!(whole("70 %", 0, 100, "%", "Focus factor"), Ok(70), "a share with its sign");
        assert_eq!(whole("-5%", 0, 100, "%", "Confidence"), Err("Confidence cannot be negative: between 0 and 100 %".to_owned()));
        let cases = [
            ("-5", "Points cannot be negative: between 0 and 100 points"),
            ("-2.5", "Points cannot be negative: between 0 and 100 points"),
            ("101", "Between 0 and 100 points"),
            ("99999999999999", "Between 0 and 100 points"),
            ("3.5", "\"3.5\" is not a whole number: between 0 and 100 points"),
            ("five", "\"five\" is not a whole number: between 0 and 100 points"),
            ("", "Give a number, between 0 and 100 points"),
        ];
        for (typed, message) in cases {
            assert_eq!(whole(typed, 0, 100, "points", "Points"), Err(message.to_owned()), "{typed}");
        }
    }

    #[test]
    fn a_number_with_a_comma_or_a_unit_is_told_so() {
        assert_eq!(number("-2.5"), Ok(-2.5));
        let cases = [
            ("1,5", "\"1,5\" is not a number: write decimals with a point, 1.5"),
            ("12 %", "\"12 %\" is not a number: write the number alone, 12"),
            ("1.2s", "\"1.2s\" is not a number: write the number alone, 1.2"),
            ("1e999", "\"1e999\" is too large a number"),
            ("NaN", "\"NaN\" is not a number: write it like 12 or 3.5"),
            ("twelve", "\"twelve\" is not a number: write it like 12 or 3.5"),
            ("", "Give a number, like 12 or 3.5"),
        ];
        for (typed, message) in cases {
            assert_eq!(number(typed), Err(message.to_owned()), "{typed}");
        }
    }

    #[test]
    fn a_message_away_from_its_form_names_the_value_once() {
        assert_eq!(
            naming_value("--points", "-3", "Points cannot be negative: between 0 and 100 points"),
            "--points: -3: points cannot be negative: between 0 and 100 points"
        );
        assert_eq!(
            naming_value("--confidence", "150", "150 is not a confidence: write a percentage from 0 to 100"),
            "--confidence: 150 is not a confidence: write a percentage from 0 to 100"
        );
        assert_eq!(naming_value("VALUE", "1,5", "\"1,5\" is not a number"), "VALUE: \"1,5\" is not a number");
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
