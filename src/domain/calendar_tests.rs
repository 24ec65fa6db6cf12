//! The sprints' dates and the calendar of the quarter's events.

use super::*;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

/// The calendar at a monthly check-in cadence (the rhythm these tests were
/// written for: with two-week sprints, a check-in in every other review).
fn monthly_calendar(sprints: &[SprintRhythm], stale_krs: usize, today: NaiveDate) -> Vec<CalendarEvent> {
    let settings = RhythmSettings { cadence: CheckInCadence::Monthly, ..RhythmSettings::defaults_for(sprints) };
    quarter_calendar_with(sprints, &settings, stale_krs, today)
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
    assert_eq!(event("2026-12-20"), RhythmEvent { date: date("2027-01-04"), what: "Quarter kick-off".into() });
    // Every two weeks by default: each review of a two-week sprint holds a check-in.
    assert_eq!(event("2027-01-05"), RhythmEvent { date: date("2027-01-15"), what: "Sprint 1 review + OKR check-in".into() });
    // On the weekend after its day, a review not held is still due.
    assert_eq!(event("2027-01-16"), RhythmEvent { date: date("2027-01-15"), what: "Sprint 1 review + OKR check-in".into() });
    assert_eq!(event("2027-01-18"), RhythmEvent { date: date("2027-01-18"), what: "Sprint 2 planning".into() });
    assert_eq!(event("2027-01-19").what, "Sprint 2 review + OKR check-in");
    assert_eq!(event("2027-03-20"), RhythmEvent { date: date("2027-03-22"), what: "Next quarter's OKR planning".into() });
    assert_eq!(event("2027-03-23").what, "Sprint 6 review + OKR check-in + quarterly retro");
    assert_eq!(next_event(&sprints, date("2027-03-29")), None, "the quarter is over");
}

/// Each event as `(date, kind, sprint)`.
fn outline(events: &[CalendarEvent]) -> Vec<(String, EventKind, u32)> {
    events.iter().map(|event| (event.date.to_string(), event.kind, event.sprint)).collect()
}

fn calendar_of(weeks: &[u32], today: &str) -> Vec<CalendarEvent> {
    let sprints = plan_sprints(date("2027-01-04"), weeks).expect("valid");
    monthly_calendar(&SprintRhythm::by_dates(&sprints, date(today)), 0, date(today))
}

fn row(day: &str, kind: EventKind, sprint: u32) -> (String, EventKind, u32) {
    (day.to_owned(), kind, sprint)
}

use EventKind::{CheckIn, KickOff, NextQuarterPlanning, Planning, QuarterRetro, Review};

#[test]
fn six_two_week_sprints_make_the_whole_rhythm() {
    let events = calendar_of(&[2; 6], "2026-12-01");
    assert_eq!(
        outline(&events),
        vec![
            row("2027-01-04", KickOff, 1),
            row("2027-01-15", Review, 1),
            row("2027-01-18", Planning, 2),
            row("2027-01-29", Review, 2),
            row("2027-01-29", CheckIn, 2),
            row("2027-02-01", Planning, 3),
            row("2027-02-12", Review, 3),
            row("2027-02-15", Planning, 4),
            row("2027-02-26", Review, 4),
            row("2027-02-26", CheckIn, 4),
            row("2027-03-01", Planning, 5),
            row("2027-03-12", Review, 5),
            row("2027-03-15", Planning, 6),
            row("2027-03-22", NextQuarterPlanning, 6),
            row("2027-03-26", Review, 6),
            row("2027-03-26", CheckIn, 6),
            row("2027-03-26", QuarterRetro, 6),
        ]
    );
    assert!(events.iter().all(|event| event.state == EventState::Upcoming), "nothing is held before the quarter");
}

#[test]
fn four_three_week_sprints_check_in_monthly_at_the_second_third_and_fourth_review() {
    let events = calendar_of(&[3; 4], "2026-12-01");
    assert_eq!(
        outline(&events),
        vec![
            row("2027-01-04", KickOff, 1),
            row("2027-01-22", Review, 1),
            row("2027-01-25", Planning, 2),
            row("2027-02-12", Review, 2),
            row("2027-02-12", CheckIn, 2),
            row("2027-02-15", Planning, 3),
            row("2027-03-05", Review, 3),
            row("2027-03-05", CheckIn, 3),
            row("2027-03-08", Planning, 4),
            row("2027-03-22", NextQuarterPlanning, 4),
            row("2027-03-26", Review, 4),
            row("2027-03-26", CheckIn, 4),
            row("2027-03-26", QuarterRetro, 4),
        ]
    );
}

#[test]
fn five_three_week_sprints_check_in_monthly_and_end_on_a_review_without_one() {
    let events = calendar_of(&[3; 5], "2026-12-01");
    let tail: Vec<_> = outline(&events).split_off(events.len() - 5);
    assert_eq!(
        tail,
        vec![
            row("2027-03-26", CheckIn, 4),
            row("2027-03-29", Planning, 5),
            row("2027-04-12", NextQuarterPlanning, 5),
            row("2027-04-16", Review, 5),
            row("2027-04-16", QuarterRetro, 5),
        ]
    );
    let check_ins: Vec<u32> = events.iter().filter(|event| event.kind == CheckIn).map(|event| event.sprint).collect();
    // Monthly: Feb 12, Mar 5, Mar 26 (each the review nearest a month on).
    assert_eq!(check_ins, vec![2, 3, 4]);
}

#[test]
fn unequal_sprints_keep_each_event_inside_its_sprint() {
    let weeks = [2, 3, 1, 2];
    let sprints = plan_sprints(date("2027-01-04"), &weeks).expect("valid");
    let events = calendar_of(&weeks, "2026-12-01");
    assert_eq!(
        outline(&events),
        vec![
            row("2027-01-04", KickOff, 1),
            row("2027-01-15", Review, 1),
            row("2027-01-18", Planning, 2),
            row("2027-02-05", Review, 2),
            row("2027-02-05", CheckIn, 2),
            row("2027-02-08", Planning, 3),
            row("2027-02-12", Review, 3),
            row("2027-02-15", Planning, 4),
            row("2027-02-22", NextQuarterPlanning, 4),
            row("2027-02-26", Review, 4),
            row("2027-02-26", CheckIn, 4),
            row("2027-02-26", QuarterRetro, 4),
        ]
    );
    for event in &events {
        let dates = sprints[event.sprint as usize - 1];
        assert!(dates.start <= event.date && event.date <= dates.end, "{event:?} lies in its sprint {dates:?}");
    }
    assert_eq!(events.last().map(|event| event.kind), Some(QuarterRetro), "the retro comes last");
}

#[test]
fn a_one_week_last_sprint_plans_next_quarter_on_its_first_day() {
    let sprints = plan_sprints(date("2027-01-04"), &[2, 1]).expect("valid");
    assert_eq!(next_quarter_planning_day(sprints[1]), date("2027-01-18"));
}

#[test]
fn reviews_fall_on_the_last_working_day() {
    // A sprint from a Thursday ends on a Wednesday: its review is that day.
    let sprints = plan_sprints(date("2027-01-07"), &[2, 2]).expect("valid");
    let events = monthly_calendar(&SprintRhythm::by_dates(&sprints, date("2027-01-01")), 0, date("2027-01-01"));
    let reviews: Vec<String> = events.iter().filter(|event| event.kind == Review).map(|event| event.date.to_string()).collect();
    assert_eq!(reviews, vec!["2027-01-20", "2027-02-03"]);
    // From a Monday the sprint ends on a Sunday: its review is the Friday.
    assert_eq!(review_day(date("2027-01-17")), date("2027-01-15"));
}

/// Six two-week sprints, the first `closed` of them closed and the first
/// `started` started.
fn held(started: u32, closed: u32) -> Vec<SprintRhythm> {
    let sprints = plan_sprints(date("2027-01-04"), &[2; 6]).expect("valid");
    SprintRhythm::by_dates(&sprints, date("2027-01-01"))
        .into_iter()
        .map(|sprint| SprintRhythm {
            started: sprint.number <= started,
            closed: sprint.number <= closed,
            planned: sprint.number <= started,
            ..sprint
        })
        .collect()
}

fn state(events: &[CalendarEvent], kind: EventKind, sprint: u32) -> EventState {
    events.iter().find(|event| event.kind == kind && event.sprint == sprint).map(|event| event.state).expect("the event")
}

#[test]
fn a_review_not_held_is_overdue_and_a_closed_one_is_done() {
    // Sprint 3 runs; sprint 1 was closed, sprint 2 ended without its review.
    let events = monthly_calendar(&held(3, 1), 0, date("2027-02-03"));
    assert_eq!(state(&events, KickOff, 1), EventState::Done);
    assert_eq!(state(&events, Review, 1), EventState::Done);
    assert_eq!(state(&events, Review, 2), EventState::Overdue);
    assert_eq!(state(&events, CheckIn, 2), EventState::Done, "no KR is stale");
    assert_eq!(state(&events, Planning, 3), EventState::Done);
    assert_eq!(state(&events, Review, 3), EventState::Upcoming);
    let rhythm = Rhythm { events, stale_krs: 0 };
    assert_eq!(rhythm.overdue_reviews().collect::<Vec<_>>(), vec![2]);
    assert_eq!(rhythm.next(), Some(RhythmEvent { date: date("2027-02-12"), what: "Sprint 3 review".into() }));
    // Closed early, before its review day: held, so not next any more.
    let events = monthly_calendar(&held(3, 3), 0, date("2027-02-10"));
    assert_eq!(state(&events, Review, 3), EventState::Done);
    assert_eq!(Rhythm { events, stale_krs: 0 }.next().map(|event| event.what), Some("Sprint 4 planning".into()));
}

#[test]
fn a_review_is_overdue_once_its_sprint_ended_unclosed() {
    // Friday the 29th is sprint 2's review day; the sprint ends on Sunday.
    let on = |day| state(&monthly_calendar(&held(2, 1), 0, date(day)), Review, 2);
    assert_eq!(on("2027-01-29"), EventState::Today);
    assert_eq!(on("2027-01-31"), EventState::Today, "still due on the sprint's last day");
    assert_eq!(on("2027-02-01"), EventState::Overdue);
    // The quarterly retro is held in the last review: overdue with it.
    let after = monthly_calendar(&held(6, 5), 0, date("2027-03-29"));
    assert_eq!((state(&after, Review, 6), state(&after, QuarterRetro, 6)), (EventState::Overdue, EventState::Overdue));
    let closed = monthly_calendar(&held(6, 6), 0, date("2027-03-29"));
    assert_eq!((state(&closed, Review, 6), state(&closed, QuarterRetro, 6)), (EventState::Done, EventState::Done));
    assert_eq!(state(&monthly_calendar(&held(2, 2), 0, date("2027-02-01")), Review, 2), EventState::Done);
    // Due on the weekend: the next event, said "today" by the header.
    let rhythm = Rhythm { events: monthly_calendar(&held(2, 1), 0, date("2027-01-30")), stale_krs: 0 };
    assert_eq!(rhythm.next().map(|event| event.what), Some("Sprint 2 review + OKR check-in".into()));
}

#[test]
fn stale_krs_make_the_latest_check_in_overdue() {
    let events = monthly_calendar(&held(5, 4), 2, date("2027-03-03"));
    assert_eq!(state(&events, CheckIn, 2), EventState::Done, "an earlier check-in stays done");
    assert_eq!(state(&events, CheckIn, 4), EventState::Overdue);
    assert_eq!(state(&events, CheckIn, 6), EventState::Upcoming);
    // Before any check-in day has passed there is none to be overdue.
    let events = monthly_calendar(&held(2, 1), 2, date("2027-01-20"));
    assert!(events.iter().all(|event| event.state != EventState::Overdue), "{events:?}");
}

#[test]
fn today_on_an_event_day() {
    // Sprint 2's review day holds its review and the monthly check-in.
    let events = monthly_calendar(&held(2, 1), 0, date("2027-01-29"));
    assert_eq!(state(&events, Review, 2), EventState::Today);
    assert_eq!(state(&events, CheckIn, 2), EventState::Today);
    let rhythm = Rhythm { events, stale_krs: 0 };
    assert_eq!(rhythm.next_index().map(|index| rhythm.events[index].kind), Some(Review));
    // A planning day whose sprint was not started yet: today.
    let events = monthly_calendar(&held(2, 2), 0, date("2027-02-01"));
    assert_eq!(state(&events, Planning, 3), EventState::Today);
    // Started, the planning was held.
    let events = monthly_calendar(&held(3, 2), 0, date("2027-02-01"));
    assert_eq!(state(&events, Planning, 3), EventState::Done);
    // Not started two days in: still due while the sprint runs; not after.
    assert_eq!(state(&monthly_calendar(&held(2, 2), 0, date("2027-02-03")), Planning, 3), EventState::Today);
    assert_eq!(state(&monthly_calendar(&held(2, 2), 0, date("2027-02-15")), Planning, 3), EventState::Done);
}

#[test]
fn every_event_says_what_it_is_in_the_method_words() {
    assert_eq!(KickOff.describe(1), "Quarter kick-off: OKR planning + Sprint 1 planning");
    assert_eq!(Review.describe(3), "Sprint 3 review + OKR progress check");
    assert!(NextQuarterPlanning.describe(6).contains("10-15 %"), "it carries M6's reserve");
    assert_eq!(QuarterRetro.describe(6), "Quarterly retro: sprint retro + OKR retro");
    for state in [EventState::Done, EventState::Today, EventState::Upcoming, EventState::Overdue] {
        assert!(!state.word().is_empty() && !state.symbol().is_empty());
    }
}

/// Six two-week sprints from Mon Jan 4, 2027, as the board has them.
fn six_sprints(started: u32) -> Vec<SprintRhythm> {
    let sprints = plan_sprints(date("2027-01-04"), &[2; 6]).expect("valid");
    SprintRhythm::by_dates(&sprints, date("2027-01-01"))
        .into_iter()
        .map(|sprint| SprintRhythm { started: sprint.number <= started, planned: sprint.number <= started, ..sprint })
        .collect()
}

fn check_in_days(weeks: &[u32], cadence: CheckInCadence) -> Vec<String> {
    let sprints = plan_sprints(date("2027-01-04"), weeks).expect("valid");
    let rhythm = SprintRhythm::by_dates(&sprints, date("2027-01-01"));
    let settings = RhythmSettings { cadence, ..RhythmSettings::defaults_for(&rhythm) };
    quarter_calendar_with(&rhythm, &settings, 0, date("2027-01-01"))
        .iter()
        .filter(|event| event.kind == CheckIn)
        .map(|event| event.date.to_string())
        .collect()
}

#[test]
fn check_ins_follow_the_cadence_not_the_sprint_length() {
    // Every two weeks (the default): every review of two-week sprints.
    assert_eq!(
        check_in_days(&[2; 6], CheckInCadence::TwoWeeks),
        ["2027-01-15", "2027-01-29", "2027-02-12", "2027-02-26", "2027-03-12", "2027-03-26"]
    );
    // Monthly with two-week sprints: every other review.
    assert_eq!(check_in_days(&[2; 6], CheckInCadence::Monthly), ["2027-01-29", "2027-02-26", "2027-03-26"]);
    // Monthly with three-week sprints still falls monthly (not every other
    // review, which would leave six weeks between them).
    assert_eq!(check_in_days(&[3; 4], CheckInCadence::Monthly), ["2027-02-12", "2027-03-05", "2027-03-26"]);
}

#[test]
fn next_quarters_planning_follows_the_overlap_strategy() {
    let sprints = six_sprints(0);
    let planning = |overlap| {
        let settings = RhythmSettings { overlap, ..RhythmSettings::defaults_for(&sprints) };
        quarter_calendar_with(&sprints, &settings, 0, date("2027-01-01"))
            .into_iter()
            .filter(|event| matches!(event.kind, NextQuarterPlanning | EventKind::DraftsAhead | EventKind::PlanningDay))
            .map(|event| (event.date.to_string(), event.kind))
            .collect::<Vec<_>>()
    };
    assert_eq!(planning(OverlapStrategy::Reserve), [("2027-03-22".to_owned(), NextQuarterPlanning)]);
    // The planning day: the first working day after the last sprint, last of all.
    assert_eq!(planning(OverlapStrategy::PlanningDay), [("2027-03-29".to_owned(), EventKind::PlanningDay)]);
    assert_eq!(planning(OverlapStrategy::Drafts), [("2027-03-15".to_owned(), EventKind::DraftsAhead)]);
    assert!(EventKind::PlanningDay.describe(6).contains("Planning day between quarters"));
}

#[test]
fn the_kick_off_is_held_once_the_okrs_exist_and_sprint_1_was_planned_and_started() {
    let kick_off = |sprints: &[SprintRhythm], has_okrs: bool, today: &str| {
        let settings = RhythmSettings { has_okrs, ..RhythmSettings::defaults_for(sprints) };
        state(&quarter_calendar_with(sprints, &settings, 0, date(today)), KickOff, 1)
    };
    assert_eq!(kick_off(&six_sprints(1), true, "2027-01-05"), EventState::Done);
    assert_eq!(kick_off(&six_sprints(1), false, "2027-01-05"), EventState::Today, "no OKRs yet: still due");
    assert_eq!(kick_off(&six_sprints(0), true, "2027-01-05"), EventState::Today, "sprint 1 not started");
    // Started with nothing in it: not planned.
    let empty: Vec<SprintRhythm> = six_sprints(1).into_iter().map(|sprint| SprintRhythm { planned: false, ..sprint }).collect();
    assert_eq!(kick_off(&empty, true, "2027-01-05"), EventState::Today);
    assert_eq!(kick_off(&six_sprints(0), false, "2027-01-20"), EventState::Overdue, "sprint 1 is over");
    assert_eq!(kick_off(&six_sprints(0), false, "2027-01-01"), EventState::Upcoming);
}

#[test]
fn a_planning_day_between_quarters_belongs_to_neither() {
    // The last sprint ends Sunday Mar 28, 2027.
    let end = date("2027-03-28");
    assert_eq!(planning_day_after(end), date("2027-03-29"));
    assert_eq!(next_quarter_start(end, OverlapStrategy::PlanningDay), date("2027-03-30"), "the day after the planning day");
    assert_eq!(next_quarter_start(end, OverlapStrategy::Reserve), date("2027-03-29"));
    assert_eq!(next_quarter_start(end, OverlapStrategy::Drafts), date("2027-03-29"));
}

#[test]
fn a_sprint_closed_early_has_its_review_done_on_the_day_it_closed_never_in_the_future() {
    // Six sprints from Mon 2027-01-04; S1 and S2 closed; S3 (Feb 1-14)
    // closed on its first day, Feb 1, its review planned for Fri Feb 12.
    let closed_on = date("2027-02-01");
    let sprints: Vec<SprintRhythm> = held(3, 3)
        .into_iter()
        .map(|sprint| SprintRhythm {
            started_on: Some(sprint.dates.start),
            closed_on: Some(if sprint.number == 3 { closed_on } else { review_day(sprint.dates.end) }),
            ..sprint
        })
        .map(|sprint| if sprint.number > 3 { SprintRhythm { started_on: None, closed_on: None, ..sprint } } else { sprint })
        .collect();
    let events = quarter_calendar(&sprints, 0, closed_on);
    let review = events.iter().find(|event| event.kind == Review && event.sprint == 3).expect("S3's review");
    assert_eq!((review.date, review.state), (closed_on, EventState::Done));
    let check_in = events.iter().find(|event| event.kind == CheckIn && event.sprint == 3).expect("S3's check-in");
    assert_eq!((check_in.date, check_in.state), (closed_on, EventState::Done));
    for event in &events {
        assert!(event.state != EventState::Done || event.date <= closed_on, "done in the future: {event:?}");
    }
    // The next event is S4's planning on Mon Feb 15.
    let next = events.iter().find(|event| event.state.is_ahead()).expect("a next event");
    assert_eq!((next.kind, next.sprint, next.date), (Planning, 4, date("2027-02-15")));

    // S1 started and closed on Dec 7, before its dates (Jan 4-17): its
    // kick-off and review are done that day, not on Jan 4 and Jan 15.
    let early = date("2026-12-07");
    let sprints: Vec<SprintRhythm> =
        held(1, 1)
            .into_iter()
            .map(|sprint| {
                if sprint.number == 1 {
                    SprintRhythm { started_on: Some(early), closed_on: Some(early), ..sprint }
                } else {
                    sprint
                }
            })
            .collect();
    let events = quarter_calendar(&sprints, 0, early);
    for event in events.iter().filter(|event| event.sprint == 1 && event.kind != NextQuarterPlanning) {
        assert_eq!((event.date, event.state), (early, EventState::Done), "{event:?}");
    }
    // A sprint closed on a day not known: done by today, never after it.
    let unknown: Vec<SprintRhythm> = held(1, 1);
    let events = quarter_calendar(&unknown, 0, early);
    assert!(events.iter().all(|event| event.state != EventState::Done || event.date <= early), "{events:?}");
}
