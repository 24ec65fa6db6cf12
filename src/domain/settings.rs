//! The quarter's settings of the method (schema v10): how often the team
//! checks its KRs in (M8, the calendar's check-ins), independent of sprint
//! length, and how it overlaps this quarter with the next (M6, the
//! calendar). Both are carried to the next quarter when it opens.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How often KRs are checked in (M8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckInCadence {
    /// Every two weeks (at the sprint review, with two-week sprints).
    #[default]
    TwoWeeks,
    Monthly,
}

impl CheckInCadence {
    pub const ALL: [Self; 2] = [Self::TwoWeeks, Self::Monthly];

    /// The value in the file and the plan format.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TwoWeeks => "two_weeks",
            Self::Monthly => "monthly",
        }
    }

    /// What a form and the plan file accept: the stored value or the words.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
            "two_weeks" | "2_weeks" | "biweekly" | "fortnightly" => Some(Self::TwoWeeks),
            "monthly" | "month" => Some(Self::Monthly),
            _ => None,
        }
    }

    /// In words: "every two weeks", "monthly".
    pub fn words(self) -> &'static str {
        match self {
            Self::TwoWeeks => "every two weeks",
            Self::Monthly => "monthly",
        }
    }

    /// The day the next check-in is due after one on `from`.
    pub fn next_due(self, from: NaiveDate) -> NaiveDate {
        match self {
            Self::TwoWeeks => from.checked_add_days(Days::new(14)),
            Self::Monthly => from.checked_add_months(Months::new(1)),
        }
        .unwrap_or(NaiveDate::MAX)
    }
}

/// How next quarter's OKR planning fits beside this quarter's work (M6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverlapStrategy {
    /// The last sprint keeps 10-15 % of its capacity free for it.
    #[default]
    Reserve,
    /// A planning day between the quarters.
    PlanningDay,
    /// Next quarter's OKRs written as drafts ahead, during the last sprint.
    Drafts,
}

impl OverlapStrategy {
    pub const ALL: [Self; 3] = [Self::Reserve, Self::PlanningDay, Self::Drafts];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reserve => "reserve",
            Self::PlanningDay => "planning_day",
            Self::Drafts => "drafts",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
            "reserve" => Some(Self::Reserve),
            "planning_day" | "day" => Some(Self::PlanningDay),
            "drafts" | "draft" => Some(Self::Drafts),
            _ => None,
        }
    }

    /// In words, for forms and help.
    pub fn words(self) -> &'static str {
        match self {
            Self::Reserve => "a reserve of 10-15 % in the last sprint",
            Self::PlanningDay => "a planning day between quarters",
            Self::Drafts => "written drafts ahead, in the last sprint",
        }
    }

    /// Whether M6 asks the last sprint to keep its reserve.
    pub fn keeps_reserve(self) -> bool {
        self == Self::Reserve
    }
}

/// Both settings of a quarter, as a form or the plan file gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QuarterSettings {
    pub cadence: CheckInCadence,
    pub overlap: OverlapStrategy,
}

/// The words the forms take, as the file stores them.
pub const CADENCE_CHOICES: &[&str] = &["two_weeks", "monthly"];
pub const OVERLAP_CHOICES: &[&str] = &["reserve", "planning_day", "drafts"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_back_what_they_write() {
        for cadence in CheckInCadence::ALL {
            assert_eq!(CheckInCadence::parse(cadence.as_str()), Some(cadence));
        }
        for strategy in OverlapStrategy::ALL {
            assert_eq!(OverlapStrategy::parse(strategy.as_str()), Some(strategy));
        }
        assert_eq!(CheckInCadence::parse("two weeks"), Some(CheckInCadence::TwoWeeks));
        assert_eq!(OverlapStrategy::parse("planning day"), Some(OverlapStrategy::PlanningDay));
        assert_eq!(CheckInCadence::parse("weekly"), None);
    }

    #[test]
    fn a_monthly_check_in_is_due_a_calendar_month_later() {
        let day = |text: &str| text.parse::<NaiveDate>().expect("date");
        assert_eq!(CheckInCadence::TwoWeeks.next_due(day("2027-01-04")), day("2027-01-18"));
        assert_eq!(CheckInCadence::Monthly.next_due(day("2027-01-04")), day("2027-02-04"));
        assert_eq!(CheckInCadence::Monthly.next_due(day("2027-01-31")), day("2027-02-28"));
    }
}
