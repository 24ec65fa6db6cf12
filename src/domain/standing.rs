//! Where the quarter stands on a day, as the header says it: the sprint
//! that runs and its working day, or what was closed and what comes next.
//! The sprints' states and their dates together tell it: a sprint started
//! before its first day runs, and one closed before its last day is closed,
//! whatever the dates alone would say.

use chrono::NaiveDate;

use super::{Board, QuarterState, Sprint, SprintState, working_day_of};

/// Where the quarter stands on a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Standing<'a> {
    /// A draft has no sprints yet: they come when it opens on `starts`.
    Draft { starts: NaiveDate },
    /// `sprint` runs today (or is due to start: its dates hold today), on
    /// working day `day` of `days`; `early` is a later sprint started
    /// before its dates while this one runs (two sprints active at once).
    Running { sprint: &'a Sprint, day: u32, days: u32, early: Option<&'a Sprint> },
    /// `sprint` was started before its first day and runs already.
    StartedEarly { sprint: &'a Sprint },
    /// Today is in `sprint`'s dates, but it was closed before its last
    /// working day: today is day `day` of `days`.
    ClosedEarly { sprint: &'a Sprint, day: u32, days: u32 },
    /// Before any sprint's dates, after `closed` was closed (early), or in
    /// the dates of `closed`, closed on its last working day: the next
    /// sprint, `next`, starts on its first day.
    Between { closed: &'a Sprint, next: Option<&'a Sprint> },
    /// Before the quarter's first sprint, none started.
    BeforeStart,
    /// After the last sprint's dates.
    Over,
}

/// Where `board`'s quarter stands on `today`. The sprint whose dates hold
/// today and that was started runs, and a later one started early beside
/// it is named with it; otherwise a sprint started but not closed runs,
/// even before its dates (started early); otherwise the sprint whose
/// dates hold today runs, unless it was closed already (closed early, or
/// closed on its last working day, which is not early).
/// Before the first sprint's dates, a sprint closed early says so with
/// the next one's start.
pub fn standing(board: &Board, today: NaiveDate) -> Standing<'_> {
    if board.quarter.state == QuarterState::Draft {
        return Standing::Draft { starts: board.quarter.start };
    }
    let started_early = board.sprints.iter().find(|sprint| sprint.state == SprintState::Active && today < sprint.start);
    let on_today = board.sprint_on(today);
    if let Some(sprint) = on_today.filter(|sprint| sprint.state == SprintState::Active) {
        let (day, days) = working_day_of(sprint.start, sprint.end, today);
        return Standing::Running { sprint, day, days, early: started_early };
    }
    if let Some(sprint) = started_early {
        return Standing::StartedEarly { sprint };
    }
    if let Some(sprint) = on_today {
        let (day, days) = working_day_of(sprint.start, sprint.end, today);
        return match sprint.state {
            SprintState::Closed if closed_before_its_last_day(sprint, today) => Standing::ClosedEarly { sprint, day, days },
            // Closed on (or after) its last working day: closed, not early.
            SprintState::Closed => {
                Standing::Between { closed: sprint, next: board.sprints.iter().find(|next| next.number > sprint.number) }
            }
            SprintState::Planned | SprintState::Active => Standing::Running { sprint, day, days, early: None },
        };
    }
    if board.sprints.first().is_some_and(|first| today < first.start) {
        let closed = board.sprints.iter().rev().find(|sprint| sprint.state == SprintState::Closed);
        return match closed {
            Some(closed) => Standing::Between { closed, next: board.sprints.iter().find(|sprint| sprint.number > closed.number) },
            None => Standing::BeforeStart,
        };
    }
    if board.sprints.is_empty() && today < board.quarter.start {
        return Standing::BeforeStart;
    }
    Standing::Over
}

/// Whether a closed sprint was closed with working days of its own still
/// ahead: by the day it was closed, else (an older row without one) today.
fn closed_before_its_last_day(sprint: &Sprint, today: NaiveDate) -> bool {
    let closed_on = sprint.closed_on.unwrap_or(today);
    let (day, days) = working_day_of(sprint.start, sprint.end, closed_on);
    closed_on < sprint.end && day < days
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{GoalVerdict, Quarter};

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    /// Two-week sprints from Monday 2027-01-04: ten working days each.
    fn sprint(number: u32, state: SprintState) -> Sprint {
        let start = date("2027-01-04") + chrono::Days::new(u64::from(number - 1) * 14);
        Sprint {
            id: i64::from(number),
            number,
            start,
            end: start + chrono::Days::new(13),
            goal: String::new(),
            goal_at_start: None,
            no_kr_reason: String::new(),
            capacity: 20,
            state,
            krs: Vec::new(),
            load: 0,
            done_points: 0,
            started_on: None,
            closed_on: None,
            verdict: GoalVerdict::Open,
        }
    }

    fn board(states: &[SprintState]) -> Board {
        Board {
            quarter: Quarter::open(1, "2027-Q1".into(), date("2027-01-04")),
            objectives: Vec::new(),
            sprints: (1..).zip(states).map(|(number, state)| sprint(number, *state)).collect(),
            team: Vec::new(),
            earlier_sprints: Vec::new(),
        }
    }

    fn number(sprint: &Sprint) -> u32 {
        sprint.number
    }

    use SprintState::{Active, Closed, Planned};

    #[test]
    fn a_sprint_in_its_dates_runs_on_its_working_day() {
        let board = board(&[Active, Planned, Planned]);
        // Mon Jan 4 .. Wed Jan 13: Jan 4-8 are five working days, Jan 11-13 three more: day 8 of 10.
        assert!(
            matches!(standing(&board, date("2027-01-13")), Standing::Running { sprint, day: 8, days: 10, early: None } if sprint.number == 1)
        );
        // Saturday Jan 16 counts the five days of each week: day 10.
        assert!(matches!(standing(&board, date("2027-01-16")), Standing::Running { day: 10, days: 10, .. }));
        // Not started on its first day: still the one whose dates hold today.
        assert!(
            matches!(standing(&board, date("2027-01-18")), Standing::Running { sprint, day: 1, early: None, .. } if sprint.number == 2)
        );
    }

    #[test]
    fn sprint_one_closed_before_its_dates_is_closed_and_sprint_two_is_next() {
        // S1 runs Jan 4-17 by its dates; it was started on Dec 7 and closed.
        let closed = board(&[Closed, Planned, Planned]);
        let Standing::Between { closed: sprint, next } = standing(&closed, date("2026-12-07")) else {
            panic!("{:?}", standing(&closed, date("2026-12-07")))
        };
        assert_eq!((sprint.number, next.map(number)), (1, Some(2)));
        assert_eq!(next.map(|next| next.start), Some(date("2027-01-18")));
        // Started early and not closed: it runs.
        let early = board(&[Active, Planned, Planned]);
        assert!(matches!(standing(&early, date("2026-12-07")), Standing::StartedEarly { sprint } if sprint.number == 1));
        // Nothing started: before sprint 1, as the dates say.
        assert_eq!(standing(&board(&[Planned, Planned]), date("2026-12-07")), Standing::BeforeStart);
    }

    #[test]
    fn a_sprint_closed_on_its_first_day_is_closed_early_not_running() {
        // S3 runs Feb 1-14; closed on Mon Feb 1, its working day 1 of 10.
        let board = board(&[Closed, Closed, Closed, Planned]);
        assert!(matches!(
            standing(&board, date("2027-02-01")),
            Standing::ClosedEarly { sprint, day: 1, days: 10 } if sprint.number == 3
        ));
        // S4 started the same day, before its dates: it is the one that runs.
        let board = self::board(&[Closed, Closed, Closed, Active]);
        assert!(matches!(standing(&board, date("2027-02-01")), Standing::StartedEarly { sprint } if sprint.number == 4));
    }

    #[test]
    fn a_sprint_closed_on_its_last_day_is_closed_not_closed_early() {
        // S1 runs Mon Jan 4 to Sun Jan 17.
        let mut board = board(&[Closed, Planned]);
        for (closed_on, today) in [("2027-01-17", "2027-01-17"), ("2027-01-15", "2027-01-16"), ("2027-01-17", "2027-01-17")] {
            board.sprints[0].closed_on = Some(date(closed_on));
            let Standing::Between { closed, next } = standing(&board, date(today)) else {
                panic!("closed {closed_on}, today {today}: {:?}", standing(&board, date(today)))
            };
            assert_eq!((closed.number, next.map(number)), (1, Some(2)));
        }
        // Without a close date, today tells: its last day is not early.
        board.sprints[0].closed_on = None;
        assert!(matches!(standing(&board, date("2027-01-17")), Standing::Between { .. }));
        // Closed on Wed Jan 13, day 8 of 10: early, still on its last day.
        board.sprints[0].closed_on = Some(date("2027-01-13"));
        assert!(matches!(standing(&board, date("2027-01-17")), Standing::ClosedEarly { day: 10, days: 10, .. }));
    }

    #[test]
    fn with_two_sprints_active_the_one_holding_today_runs_and_the_early_one_is_named_beside_it() {
        // S2 runs Jan 18-31 and was started; S3 (Feb 1-14) was started
        // early too. Wed Jan 20: Jan 18, 19, 20 are S2's working days 1-3 of 10.
        let board = board(&[Closed, Active, Active, Planned]);
        let Standing::Running { sprint, day, days, early } = standing(&board, date("2027-01-20")) else {
            panic!("{:?}", standing(&board, date("2027-01-20")))
        };
        assert_eq!((sprint.number, day, days, early.map(number)), (2, 3, 10, Some(3)));
    }

    #[test]
    fn after_the_last_sprint_the_quarter_is_over_and_a_draft_starts_later() {
        assert_eq!(standing(&board(&[Closed, Active]), date("2027-02-01")), Standing::Over);
        let mut draft = board(&[]);
        draft.quarter.state = QuarterState::Draft;
        assert_eq!(standing(&draft, date("2026-12-07")), Standing::Draft { starts: date("2027-01-04") });
    }
}
