//! The values a user enters, as types with one parse each. A form, the
//! command line and the plan file all turn text (or a number read from a
//! file) into these through the same parse, so a limit lives in one place
//! and every front end words a bad value the same way: a [`FieldError`]
//! naming the field and what to write instead.

use super::{
    Id,
    quarter_close::round_score,
    validate::{self, Field, FieldError},
};

/// Bigger estimates mean the item should be split.
pub const MAX_POINTS: u32 = 100;

/// An item's estimate in points: 0 to [`MAX_POINTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Points(u32);

impl Points {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let a_what = format!("an estimate: points are a whole number from 0 to {MAX_POINTS}");
        whole_of(text, 0, MAX_POINTS, ("points", "Points"), &a_what)
            .map(Self)
            .map_err(|message| FieldError::new(Field::Points, message))
    }

    /// A number read from elsewhere (a file), held to the same range.
    pub fn new(points: u32) -> Result<Self, FieldError> {
        Self::parse(&points.to_string())
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// A whole number from `min` to `max` (`what`, `label` as
/// [`validate::whole`] takes them). A number out of that range is named, as
/// not being `a_what` ("a confidence: write a percentage from 0 to 100"),
/// so that a message read away from its form (the command line, a plan
/// file) still says what the value is and what to write.
fn whole_of(text: &str, min: u32, max: u32, (what, label): (&str, &str), a_what: &str) -> Result<u32, String> {
    let text = text.trim();
    validate::whole(text, min, max, what, label).map_err(|message| {
        let figure = if what == "%" { text.strip_suffix('%').map_or(text, str::trim_end) } else { text };
        // Only a whole number at least 0 is out of range: the other
        // messages (negative, not a number) already say what is wrong.
        match figure.parse::<u128>() {
            Ok(value) => format!("{value} is not {a_what}"),
            Err(_) => message,
        }
    })
}

/// A share from 0 to 100 %, for the field `field` labelled `label`;
/// `a_what` says what a value out of range is not.
fn percent(text: &str, field: Field, label: &str, a_what: &str) -> Result<u8, FieldError> {
    whole_of(text, 0, 100, ("%", label), a_what)
        .map(|value| u8::try_from(value).unwrap_or(100))
        .map_err(|message| FieldError::new(field, message))
}

/// How likely a KR's target is reached, 0 to 100 % ("70" or "70%").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Confidence(u8);

impl Confidence {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        percent(text, Field::Confidence, "Confidence", "a confidence: write a percentage from 0 to 100").map(Self)
    }

    pub fn new(value: u32) -> Result<Self, FieldError> {
        Self::parse(&value.to_string())
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// Per cent of a working day a member gives to sprint work, 0 to 100 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FocusFactor(u8);

impl FocusFactor {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        percent(text, Field::FocusFactor, "Focus factor", "a focus factor: write a percentage from 0 to 100").map(Self)
    }

    pub fn new(value: u32) -> Result<Self, FieldError> {
        Self::parse(&value.to_string())
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// A sprint's capacity in points: 0 to [`validate::MAX_CAPACITY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Capacity(u32);

impl Capacity {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let a_what = format!("a capacity: write a whole number of points from 0 to {}", validate::MAX_CAPACITY);
        whole_of(text, 0, validate::MAX_CAPACITY, ("points", "Capacity"), &a_what)
            .map(Self)
            .map_err(|message| FieldError::new(Field::Capacity, message))
    }

    pub fn new(points: u32) -> Result<Self, FieldError> {
        Self::parse(&points.to_string())
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// A KR's score at the quarter's close: 0.0 to 1.0, kept to one decimal.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Score(f64);

impl Score {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let value = validate::number(text.trim()).map_err(|message| FieldError::new(Field::Score, message))?;
        Self::new(value)
    }

    pub fn new(value: f64) -> Result<Self, FieldError> {
        if (0.0..=1.0).contains(&value) {
            Ok(Self(round_score(value)))
        } else {
            let value = crate::format::number(value);
            Err(FieldError::new(Field::Score, format!("{value} is not a score: write 0.0 to 1.0 (0.7 is a stretch goal met)")))
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// Longest title: a line on the board, not a description.
pub const MAX_TITLE_CHARS: usize = 500;

/// A title (an objective's, a KR's, an item's): a few words, not empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

impl Title {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let title = text.trim();
        if title.is_empty() {
            return Err(FieldError::new(Field::Title, "Title: give it a few words saying what it is"));
        }
        let length = title.chars().count();
        if length > MAX_TITLE_CHARS {
            return Err(FieldError::new(
                Field::Title,
                format!("Title: {MAX_TITLE_CHARS} characters at most (now {length}); put the rest in the description"),
            ));
        }
        Ok(Self(title.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Days a member is away in one sprint: 0 up to its working days, in whole
/// or half days. Empty text is none.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct DaysOff(f64);

impl DaysOff {
    /// `working` is the sprint's working days, `sprint` its id (the field).
    pub fn parse(text: &str, working: u32, sprint: Id) -> Result<Self, FieldError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Self(0.0));
        }
        let error = |message| FieldError::new(Field::DaysOff(sprint), message);
        match text.parse::<f64>() {
            Ok(days) if days.is_finite() => Self::new(days, working, text).map_err(error),
            _ => Err(error(format!("\"{text}\" is not a number of days: 0 to {working}, like 2 or 1.5"))),
        }
    }

    fn new(days: f64, working: u32, typed: &str) -> Result<Self, String> {
        validate::days_off(days, working, typed).map(Self)
    }

    /// A number read from a file, held to the same rule.
    pub fn of(days: f64, working: u32, sprint: Id) -> Result<Self, FieldError> {
        if !days.is_finite() {
            return Err(FieldError::new(Field::DaysOff(sprint), format!("0 to {working} days (the sprint's working days)")));
        }
        Self::new(days, working, &days.to_string()).map_err(|message| FieldError::new(Field::DaysOff(sprint), message))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// The most sprints a quarter may have: weekly sprints for 13 weeks.
pub const MAX_SPRINTS: u32 = 13;
/// The longest sprint, in weeks.
pub const MAX_SPRINT_WEEKS: u32 = 4;

/// A new quarter's sprints: how many, each so many weeks long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SprintSpan {
    pub count: u32,
    pub weeks: u32,
}

impl SprintSpan {
    pub fn parse(count: &str, weeks: &str) -> Result<Self, FieldError> {
        let count = validate::whole(count.trim(), 1, MAX_SPRINTS, "sprints", "Sprints")
            .map_err(|message| FieldError::new(Field::SprintCount, message))?;
        let weeks = validate::whole(weeks.trim(), 1, MAX_SPRINT_WEEKS, "weeks", "Weeks")
            .map_err(|message| FieldError::new(Field::SprintWeeks, message))?;
        Ok(Self { count, weeks })
    }

    /// Each sprint's length in weeks, in order.
    pub fn weeks(self) -> Vec<u32> {
        vec![self.weeks; self.count as usize]
    }
}

/// A confidence read back from the file (a KR's, its latest check-in's).
/// Only this type writes the file, and the board cleans what it reads
/// (`store::board::percent`), so a stored value is trusted without a second
/// parse; it is still held to 0-100 %, so that a row edited by hand outside
/// the board cannot carry a broken value back in. Not for what a user typed:
/// that goes through `parse`.
impl Confidence {
    /// Even odds: a new KR's confidence when none is given.
    pub const EVEN: Self = Self(50);

    pub fn from_stored(percent: u8) -> Self {
        Self(percent.min(100))
    }
}

impl SprintSpan {
    /// Numbers read from elsewhere (a form's checked fields), held to the
    /// same ranges as [`SprintSpan::parse`].
    pub fn new(count: u32, weeks: u32) -> Result<Self, FieldError> {
        Self::parse(&count.to_string(), &weeks.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message<T: std::fmt::Debug>(result: Result<T, FieldError>) -> String {
        result.expect_err("a bad value").message
    }

    #[test]
    fn points_take_0_to_100_and_say_why_not() {
        assert_eq!(Points::parse("0").map(Points::get), Ok(0));
        assert_eq!(Points::parse(" 100 ").map(Points::get), Ok(100));
        assert_eq!(Points::new(8).map(Points::get), Ok(8));
        assert_eq!(message(Points::parse("101")), "101 is not an estimate: points are a whole number from 0 to 100");
        assert_eq!(message(Points::parse("-1")), "Points cannot be negative: between 0 and 100 points");
        assert_eq!(message(Points::parse("3.5")), "\"3.5\" is not a whole number: between 0 and 100 points");
        assert_eq!(message(Points::parse("")), "Give a number, between 0 and 100 points");
        assert_eq!(Points::parse("x").expect_err("bad").field, Field::Points);
    }

    #[test]
    fn confidence_and_focus_factor_are_shares() {
        assert_eq!(Confidence::parse("70%").map(Confidence::get), Ok(70));
        assert_eq!(Confidence::parse("100").map(Confidence::get), Ok(100));
        assert_eq!(message(Confidence::parse("101")), "101 is not a confidence: write a percentage from 0 to 100");
        assert_eq!(message(Confidence::parse("150 %")), "150 is not a confidence: write a percentage from 0 to 100");
        assert_eq!(message(Confidence::parse("-5")), "Confidence cannot be negative: between 0 and 100 %");
        assert_eq!(Confidence::new(300).expect_err("too high").field, Field::Confidence);
        assert_eq!(FocusFactor::parse("0").map(FocusFactor::get), Ok(0));
        assert_eq!(message(FocusFactor::parse("high")), "\"high\" is not a whole number: between 0 and 100 %");
        assert_eq!(FocusFactor::new(101).expect_err("too high").field, Field::FocusFactor);
    }

    #[test]
    fn capacity_stops_at_999() {
        assert_eq!(Capacity::parse("999").map(Capacity::get), Ok(999));
        assert_eq!(message(Capacity::parse("1000")), "1000 is not a capacity: write a whole number of points from 0 to 999");
        assert_eq!(message(Capacity::parse("-2")), "Capacity cannot be negative: between 0 and 999 points");
    }

    #[test]
    fn a_score_is_0_to_1_rounded_to_a_tenth() {
        assert_eq!(Score::parse("0.74").map(Score::get), Ok(0.7));
        assert_eq!(Score::parse("1").map(Score::get), Ok(1.0));
        assert_eq!(message(Score::parse("1.2")), "1.2 is not a score: write 0.0 to 1.0 (0.7 is a stretch goal met)");
        assert_eq!(message(Score::parse("-0.1")), "-0.1 is not a score: write 0.0 to 1.0 (0.7 is a stretch goal met)");
        assert_eq!(message(Score::parse("0,7")), "\"0,7\" is not a number: write decimals with a point, 0.7");
        assert_eq!(Score::parse("x").expect_err("bad").field, Field::Score);
    }

    #[test]
    fn a_title_is_trimmed_not_empty_and_not_a_page() {
        assert_eq!(Title::parse("  Ship it ").map(Title::into_string), Ok("Ship it".to_owned()));
        assert_eq!(message(Title::parse("   ")), "Title: give it a few words saying what it is");
        let long = "x".repeat(MAX_TITLE_CHARS + 1);
        assert!(message(Title::parse(&long)).starts_with("Title: 500 characters at most (now 501)"));
    }

    #[test]
    fn a_quarter_has_1_to_13_sprints_of_1_to_4_weeks() {
        assert_eq!(SprintSpan::parse("6", "2").map(SprintSpan::weeks), Ok(vec![2; 6]));
        let error = SprintSpan::parse("14", "2").expect_err("too many");
        assert_eq!((error.field, error.message.as_str()), (Field::SprintCount, "Between 1 and 13 sprints"));
        let error = SprintSpan::parse("6", "0").expect_err("too short");
        assert_eq!((error.field, error.message.as_str()), (Field::SprintWeeks, "Between 1 and 4 weeks"));
    }

    #[test]
    fn days_off_are_whole_or_half_days_within_the_sprint() {
        assert_eq!(DaysOff::parse("", 10, 7).map(DaysOff::get), Ok(0.0));
        assert_eq!(DaysOff::parse("1.5", 10, 7).map(DaysOff::get), Ok(1.5));
        assert_eq!(message(DaysOff::parse("1.3", 10, 7)), "1.3 days: use whole or half days, like 2 or 1.5");
        assert_eq!(message(DaysOff::parse("11", 10, 7)), "\"11\" is not 0 to 10 days (the sprint's working days)");
        assert_eq!(message(DaysOff::parse("two", 10, 7)), "\"two\" is not a number of days: 0 to 10, like 2 or 1.5");
        assert_eq!(DaysOff::parse("two", 10, 7).expect_err("bad").field, Field::DaysOff(7));
        assert!(DaysOff::of(f64::NAN, 10, 7).is_err());
        assert_eq!(DaysOff::of(2.0, 10, 7).map(DaysOff::get), Ok(2.0));
    }

    #[test]
    fn a_stored_confidence_stays_a_share_and_a_span_has_one_parse() {
        assert_eq!(Confidence::from_stored(70).get(), 70);
        assert_eq!(Confidence::from_stored(250).get(), 100, "a row edited by hand");
        assert_eq!(Confidence::EVEN.get(), 50);
        assert_eq!(SprintSpan::new(6, 2), SprintSpan::parse("6", "2"));
        assert_eq!(SprintSpan::new(6, 0).expect_err("no weeks").field, Field::SprintWeeks);
    }
}
