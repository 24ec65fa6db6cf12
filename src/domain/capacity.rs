//! Capacity from the team. Each member's working days in a sprint, less
//! their days off, times their focus factor, give the sprint's focused
//! person-days. The velocity of the last finished sprints (points done per
//! focused day) turns those days into a suggested capacity in points. The
//! suggestion is advice: the sprint's capacity is whatever the team sets.

use chrono::NaiveDate;

use super::{Board, Id, Sprint, SprintState, TeamMember, calendar::working_days, codes};

/// Finished sprints the velocity looks back on: recent enough to describe
/// the team as it is, enough to even out one odd sprint.
pub const VELOCITY_WINDOW: usize = 3;

/// Focused person-days of the team from `start` to `end`, with the days off
/// recorded for `sprint` (none for a sprint not yet created).
pub fn focused_days(team: &[TeamMember], start: NaiveDate, end: NaiveDate, sprint: Option<Id>) -> f64 {
    let working = f64::from(working_days(start, end));
    team.iter()
        .map(|member| {
            let away = sprint.map_or(0.0, |id| member.days_off_in(id));
            (working - away).max(0.0) * f64::from(member.focus_factor) / 100.0
        })
        .sum()
}

/// A sprint counts for velocity once it is closed or its last day is past.
pub fn is_finished(sprint: &Sprint, today: NaiveDate) -> bool {
    sprint.state == SprintState::Closed || sprint.end < today
}

/// A finished sprint as velocity measures it: what it got done in the
/// team's focused days (its own quarter's team, with its days off).
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// The label of its quarter when that is an earlier one (`2026-Q4`);
    /// `None` for the quarter on the board.
    pub quarter: Option<String>,
    pub number: u32,
    pub end: NaiveDate,
    pub done_points: u32,
    pub focused_days: f64,
}

impl Measured {
    /// `S3`, or `2026-Q4 S6` for an earlier quarter's sprint.
    pub fn name(&self) -> String {
        match &self.quarter {
            Some(label) => format!("{label} {}", codes::sprint(self.number)),
            None => codes::sprint(self.number),
        }
    }
}

/// Points the team finished per focused person-day, measured over
/// `sprints`, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Velocity {
    pub points_per_day: f64,
    pub done_points: u32,
    pub focused_days: f64,
    pub sprints: Vec<Measured>,
}

impl Velocity {
    /// The sprints measured, in words: `Sprints 2, 3, 4` in the quarter on
    /// the board, `2026-Q4 S6, S1` across quarters.
    pub fn sprint_names(&self) -> String {
        if self.sprints.iter().all(|sprint| sprint.quarter.is_none()) {
            let numbers: Vec<String> = self.sprints.iter().map(|sprint| sprint.number.to_string()).collect();
            let word = if numbers.len() == 1 { "Sprint" } else { "Sprints" };
            format!("{word} {}", numbers.join(", "))
        } else {
            self.sprints.iter().map(Measured::name).collect::<Vec<_>>().join(", ")
        }
    }
}

/// Velocity over the last [`VELOCITY_WINDOW`] finished sprints that
/// delivered something, whatever their quarter: the team does not forget
/// its pace when a new quarter opens (`Board::earlier_sprints`). A finished
/// sprint with nothing done is left out: on a new board that means "not
/// tracked", not "the team did nothing".
pub fn velocity(board: &Board, today: NaiveDate) -> Option<Velocity> {
    let mut measured: Vec<Measured> = board.earlier_sprints.clone();
    measured.extend(board.sprints.iter().filter(|sprint| is_finished(sprint, today)).map(|sprint| Measured {
        quarter: None,
        number: sprint.number,
        end: sprint.end,
        done_points: sprint.done_points,
        focused_days: focused_days(&board.team, sprint.start, sprint.end, Some(sprint.id)),
    }));
    measured.retain(|sprint| sprint.done_points > 0 && sprint.focused_days > 0.0);
    // Earlier quarters' sprints ended before this quarter's: by end date,
    // then (for a board's own sprints of odd dates) by number.
    measured.sort_by_key(|sprint| (sprint.quarter.is_none(), sprint.end, sprint.number));
    let window = measured.split_off(measured.len().saturating_sub(VELOCITY_WINDOW));
    let done_points: u32 = window.iter().map(|sprint| sprint.done_points).fold(0, u32::saturating_add);
    let focused_days: f64 = window.iter().map(|sprint| sprint.focused_days).sum();
    (focused_days > 0.0).then(|| Velocity {
        points_per_day: f64::from(done_points) / focused_days,
        done_points,
        focused_days,
        sprints: window,
    })
}

/// What the board can say about a sprint's capacity.
#[derive(Debug, Clone, PartialEq)]
pub enum Advice {
    /// Nobody is on the team yet.
    NoTeam,
    /// The team's days are known, but no finished sprint has delivered yet.
    NoVelocity {
        focused_days: f64,
    },
    Suggested(Suggestion),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Whole points, rounded down: plan for what the team can finish.
    pub points: u32,
    pub focused_days: f64,
    pub velocity: Velocity,
}

impl Advice {
    /// The advice in one line, for the planning screen, the sprint form and
    /// the team screen.
    pub fn describe(&self) -> String {
        match self {
            Self::NoTeam => "no team yet to suggest a capacity from".to_owned(),
            Self::NoVelocity { focused_days } => {
                format!("{focused_days:.1} focused days; no finished sprint with done items yet to measure velocity")
            }
            Self::Suggested(suggestion) => {
                let velocity = &suggestion.velocity;
                format!(
                    "{} points suggested: {:.1} focused days x {:.2} points a day (velocity of {})",
                    suggestion.points,
                    suggestion.focused_days,
                    velocity.points_per_day,
                    velocity.sprint_names()
                )
            }
        }
    }

    /// The advice in a few words, for a form's help line or a summary.
    pub fn brief(&self) -> String {
        match self {
            Self::NoTeam => "no team set up yet".to_owned(),
            Self::NoVelocity { focused_days } => format!("{focused_days:.1} focused days; no velocity yet"),
            Self::Suggested(suggestion) => format!(
                "suggests {} pts ({:.1} focused days x {:.2} pts/day)",
                suggestion.points, suggestion.focused_days, suggestion.velocity.points_per_day
            ),
        }
    }

    /// The team's focused days in the sprint, once there is a team.
    pub fn focused_days(&self) -> Option<f64> {
        match self {
            Self::NoTeam => None,
            Self::NoVelocity { focused_days } => Some(*focused_days),
            Self::Suggested(suggestion) => Some(suggestion.focused_days),
        }
    }

    pub fn points(&self) -> Option<u32> {
        match self {
            Self::Suggested(suggestion) => Some(suggestion.points),
            Self::NoTeam | Self::NoVelocity { .. } => None,
        }
    }
}

/// The suggested capacity for the days `start..=end` (the days off of
/// `sprint`, if it exists).
pub fn advise(board: &Board, today: NaiveDate, start: NaiveDate, end: NaiveDate, sprint: Option<Id>) -> Advice {
    if board.team.is_empty() {
        return Advice::NoTeam;
    }
    let focused_days = focused_days(&board.team, start, end, sprint);
    let Some(velocity) = velocity(board, today) else {
        return Advice::NoVelocity { focused_days };
    };
    // A hair over, so 0.6 x 25 focused days is 15 and not 14.999...
    let exact = velocity.points_per_day * focused_days + 1e-9;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // non-negative, and far below u32::MAX
    let points = exact.floor().min(f64::from(u32::MAX)) as u32;
    Advice::Suggested(Suggestion { points, focused_days, velocity })
}

/// [`advise`] for a sprint of the board.
pub fn sprint_advice(board: &Board, sprint: &Sprint, today: NaiveDate) -> Advice {
    advise(board, today, sprint.start, sprint.end, Some(sprint.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Quarter;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    /// Two-week sprints from Monday 2027-01-04: ten working days each.
    fn sprint(number: u32, done_points: u32) -> Sprint {
        let start = date("2027-01-04") + chrono::Days::new(u64::from(number - 1) * 14);
        Sprint {
            id: i64::from(number) * 10,
            number,
            start,
            end: start + chrono::Days::new(13),
            goal: String::new(),
            goal_at_start: None,
            no_kr_reason: String::new(),
            capacity: 20,
            state: SprintState::Planned,
            krs: Vec::new(),
            load: done_points,
            done_points,
            started_on: None,
            closed_on: None,
            verdict: crate::domain::GoalVerdict::Open,
        }
    }

    fn member(name: &str, focus_factor: u8, days_off: &[(Id, f64)]) -> TeamMember {
        TeamMember { id: 1, name: name.into(), focus_factor, days_off: days_off.to_vec(), roles: Default::default() }
    }

    fn board(sprints: Vec<Sprint>, team: Vec<TeamMember>) -> Board {
        Board {
            quarter: Quarter::open(1, "2027-Q1".into(), date("2027-01-04")),
            objectives: Vec::new(),
            sprints,
            team,
            earlier_sprints: Vec::new(),
        }
    }

    #[test]
    fn focused_days_take_off_days_away_then_apply_the_focus_factor() {
        let team = [member("Ana", 80, &[(10, 2.0)]), member("Ben", 50, &[(10, 0.5), (20, 3.0)])];
        let first = sprint(1, 0);
        // Ana (10 - 2) x 0.8 = 6.4; Ben (10 - 0.5) x 0.5 = 4.75.
        assert!((focused_days(&team, first.start, first.end, Some(first.id)) - 11.15).abs() < 1e-9);
        // A sprint not created yet has no days off.
        assert!((focused_days(&team, first.start, first.end, None) - 13.0).abs() < 1e-9);
        // More days off than working days leave none, never fewer than none.
        let away = [member("Cy", 100, &[(10, 12.0)])];
        assert!(focused_days(&away, first.start, first.end, Some(10)).abs() < 1e-9);
    }

    #[test]
    fn velocity_is_done_points_per_focused_day_over_the_last_three_finished_sprints() {
        let team = vec![member("Ana", 100, &[]), member("Ben", 100, &[])];
        let sprints = vec![sprint(1, 40), sprint(2, 10), sprint(3, 12), sprint(4, 14), sprint(5, 0)];
        let board = board(sprints, team);
        // On the first day of sprint 5, sprints 1-4 are finished; the window is 2-4.
        let velocity = velocity(&board, date("2027-03-01")).expect("finished sprints");
        assert_eq!(velocity.sprint_names(), "Sprints 2, 3, 4");
        assert_eq!(velocity.done_points, 36);
        assert!((velocity.focused_days - 60.0).abs() < 1e-9);
        assert!((velocity.points_per_day - 0.6).abs() < 1e-9);
        // 0.6 points a day x 20 focused days in sprint 5 = 12 points.
        let advice = sprint_advice(&board, &board.sprints[4], date("2027-03-01"));
        assert_eq!(advice.points(), Some(12));
        assert_eq!(advice.describe(), "12 points suggested: 20.0 focused days x 0.60 points a day (velocity of Sprints 2, 3, 4)");
        assert_eq!(advice.brief(), "suggests 12 pts (20.0 focused days x 0.60 pts/day)");
    }

    #[test]
    fn days_off_lower_the_suggestion_and_it_rounds_down() {
        let mut team = vec![member("Ana", 70, &[(50, 3.0)])];
        team[0].id = 7;
        let board = board(vec![sprint(1, 7), sprint(2, 0), sprint(3, 0), sprint(4, 0), sprint(5, 0)], team);
        // Sprint 1: 10 x 0.7 = 7 focused days for 7 points: 1 point a day.
        // Sprint 5: (10 - 3) x 0.7 = 4.9 days: 4.9 points, so 4.
        match sprint_advice(&board, &board.sprints[4], date("2027-01-20")) {
            Advice::Suggested(suggestion) => {
                assert_eq!(suggestion.points, 4);
                assert!((suggestion.focused_days - 4.9).abs() < 1e-9);
            }
            other => panic!("expected a suggestion, got {other:?}"),
        }
    }

    #[test]
    fn a_closed_sprint_counts_before_its_end_and_an_empty_one_never() {
        let team = vec![member("Ana", 100, &[])];
        let mut sprints = vec![sprint(1, 0), sprint(2, 5)];
        sprints[1].state = SprintState::Closed;
        let board = board(sprints, team);
        // Sprint 1 is over but delivered nothing; sprint 2 was closed early.
        let velocity = velocity(&board, date("2027-01-20")).expect("sprint 2 counts");
        assert_eq!(velocity.sprint_names(), "Sprint 2");
    }

    #[test]
    fn without_a_team_or_a_finished_sprint_there_is_no_suggestion() {
        let lonely = board(vec![sprint(1, 5)], Vec::new());
        assert_eq!(sprint_advice(&lonely, &lonely.sprints[0], date("2027-06-01")), Advice::NoTeam);
        let new = board(vec![sprint(1, 0), sprint(2, 0)], vec![member("Ana", 50, &[])]);
        match sprint_advice(&new, &new.sprints[0], date("2027-01-04")) {
            Advice::NoVelocity { focused_days } => assert!((focused_days - 5.0).abs() < 1e-9),
            other => panic!("expected no velocity, got {other:?}"),
        }
    }

    #[test]
    fn velocity_carries_across_quarters() {
        // The quarter before ended with S5 (12 points) and S6 (9 points),
        // each in 15 focused days of its own team. The new quarter's team
        // (Ana, 100 %) has finished nothing yet.
        let earlier = |number: u32, end: &str, done_points: u32| Measured {
            quarter: Some("2026-Q4".into()),
            number,
            end: date(end),
            done_points,
            focused_days: 15.0,
        };
        let mut board = board(vec![sprint(1, 0), sprint(2, 0)], vec![member("Ana", 100, &[])]);
        board.earlier_sprints = vec![earlier(4, "2026-12-06", 30), earlier(5, "2026-12-20", 12), earlier(6, "2027-01-03", 9)];
        // On the new quarter's first day: the last three, S4-S6, give
        // (30 + 12 + 9) / 45 = 51 / 45 points a day.
        let before = velocity(&board, date("2027-01-04")).expect("the team's velocity from the quarter before");
        assert_eq!(before.sprint_names(), "2026-Q4 S4, 2026-Q4 S5, 2026-Q4 S6");
        assert_eq!(before.done_points, 51);
        // Sprint 1 of the new quarter: 10 working days x 100 % = 10 days:
        // 51 / 45 x 10 = 11.33, so 11 points.
        assert_eq!(sprint_advice(&board, &board.sprints[0], date("2027-01-04")).points(), Some(11));
        // Once the new sprint 1 is finished with 10 points in its 10 days,
        // the window is S5, S6 of 2026-Q4 and S1: (12 + 9 + 10) / 40.
        board.sprints[0].done_points = 10;
        let after = velocity(&board, date("2027-01-18")).expect("velocity");
        assert_eq!(after.sprint_names(), "2026-Q4 S5, 2026-Q4 S6, S1");
        assert_eq!(after.done_points, 31);
        assert!((after.focused_days - 40.0).abs() < 1e-9);
    }
}
