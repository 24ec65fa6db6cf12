//! The quarter's calendar: sprint dates and the integrated rhythm of events.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::{
    Board, Sprint, SprintState, check_ins,
    settings::{CheckInCadence, OverlapStrategy},
};

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

/// What is held on a day of the rhythm (method.md, pattern 3, and the
/// ceremonies). Two events of one day are held in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKind {
    /// OKR planning and the first sprint's planning, on sprint 1's first day.
    KickOff,
    /// A sprint's planning, on its first day.
    Planning,
    /// Next quarter's OKR planning, during the last sprint (M6: it keeps
    /// 10-15 % of that sprint's capacity free for it).
    NextQuarterPlanning,
    /// Next quarter's OKRs written as drafts, from the last sprint's first
    /// day (the overlap strategy "drafts", M6).
    DraftsAhead,
    /// A sprint's review with its OKR progress check, on its last working day.
    Review,
    /// The OKR check-in at the quarter's cadence, held in the review
    /// nearest each time it falls due.
    CheckIn,
    /// The quarterly retro (sprint retro and OKR retro), after the last review.
    QuarterRetro,
    /// A planning day between quarters for next quarter's OKRs, the first
    /// working day after the last sprint (the overlap strategy
    /// "planning day", M6).
    PlanningDay,
}

impl EventKind {
    /// Its short name, for the header's "next:" ("Sprint 3 review").
    pub fn name(self, sprint: u32) -> String {
        match self {
            Self::KickOff => "Quarter kick-off".to_owned(),
            Self::Planning => format!("Sprint {sprint} planning"),
            Self::NextQuarterPlanning => "next quarter's OKR planning".to_owned(),
            Self::DraftsAhead => "next quarter's OKR drafts".to_owned(),
            Self::Review => format!("Sprint {sprint} review"),
            Self::CheckIn => "OKR check-in".to_owned(),
            Self::QuarterRetro => "quarterly retro".to_owned(),
            Self::PlanningDay => "planning day".to_owned(),
        }
    }

    /// What it is in words, for the calendar screen.
    pub fn describe(self, sprint: u32) -> String {
        match self {
            Self::KickOff => format!("Quarter kick-off: OKR planning + Sprint {sprint} planning"),
            Self::Planning => format!("Sprint {sprint} planning"),
            Self::NextQuarterPlanning => "Next quarter's OKR planning (10-15 % reserve, M6)".to_owned(),
            // `{new_quarter}`: the key that drafts, named by the front end.
            Self::DraftsAhead => "Next quarter's OKRs drafted in writing, in this sprint ({new_quarter}; M6)".to_owned(),
            Self::Review => format!("Sprint {sprint} review + OKR progress check"),
            Self::CheckIn => "OKR check-in: a check-in on every KR".to_owned(),
            Self::QuarterRetro => "Quarterly retro: sprint retro + OKR retro".to_owned(),
            Self::PlanningDay => "Planning day between quarters: next quarter's OKR planning (M6)".to_owned(),
        }
    }
}

/// Where an event stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventState {
    Done,
    Today,
    Upcoming,
    /// Not held when it should have been: a review whose sprint ended
    /// without being closed (the last one's retro too), or a check-in
    /// whose KRs went stale (M8).
    Overdue,
}

impl EventState {
    pub fn word(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Today => "today",
            Self::Upcoming => "upcoming",
            Self::Overdue => "overdue",
        }
    }

    /// The state where colour does not show (NO_COLOR).
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Done => "✓",
            Self::Today => "▶",
            Self::Upcoming => "·",
            Self::Overdue => "⚠",
        }
    }

    /// Still to come: today's or a later one.
    pub fn is_ahead(self) -> bool {
        matches!(self, Self::Today | Self::Upcoming)
    }
}

/// One event of the quarter's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarEvent {
    pub date: NaiveDate,
    pub kind: EventKind,
    /// The number of the sprint it belongs to.
    pub sprint: u32,
    pub state: EventState,
}

impl CalendarEvent {
    pub fn describe(&self) -> String {
        self.kind.describe(self.sprint)
    }
}

/// What the calendar needs to know of one sprint: its dates, and whether
/// its planning (it was started) and its review (it was closed) were held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SprintRhythm {
    pub number: u32,
    pub dates: SprintDates,
    pub started: bool,
    pub closed: bool,
    /// Its planning gave it something: a goal or items.
    pub planned: bool,
    /// The day it was started, when known: its planning was held then.
    pub started_on: Option<NaiveDate>,
    /// The day it was closed, when known: its review was held then.
    pub closed_on: Option<NaiveDate>,
}

/// What the calendar follows of the quarter besides its sprints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RhythmSettings {
    pub quarter_start: NaiveDate,
    pub cadence: CheckInCadence,
    pub overlap: OverlapStrategy,
    /// The quarter has its OKRs (an objective with a KR): the kick-off's
    /// OKR planning was held.
    pub has_okrs: bool,
}

impl RhythmSettings {
    /// The defaults (check-ins every two weeks, a reserve in the last
    /// sprint) for a quarter that starts with `sprints` and has its OKRs.
    pub fn defaults_for(sprints: &[SprintRhythm]) -> Self {
        Self {
            quarter_start: sprints.first().map_or(NaiveDate::MIN, |sprint| sprint.dates.start),
            cadence: CheckInCadence::default(),
            overlap: OverlapStrategy::default(),
            has_okrs: true,
        }
    }

    /// The settings of `board`'s quarter.
    pub fn of_board(board: &Board) -> Self {
        Self {
            quarter_start: board.quarter.start,
            cadence: board.quarter.cadence,
            overlap: board.quarter.overlap,
            has_okrs: board.objectives.iter().any(|objective| !objective.key_results.is_empty()),
        }
    }
}

impl SprintRhythm {
    /// A sprint as the board has it.
    pub fn of(sprint: &Sprint) -> Self {
        Self {
            number: sprint.number,
            dates: SprintDates { start: sprint.start, end: sprint.end },
            started: sprint.state != SprintState::Planned,
            closed: sprint.state == SprintState::Closed,
            planned: sprint.load > 0 || !sprint.goal.trim().is_empty(),
            started_on: sprint.started_on,
            closed_on: sprint.closed_on,
        }
    }

    /// Sprints by their dates alone, numbered in order: each started once
    /// its first day is past (its planning held that day), none closed.
    #[cfg(test)]
    fn by_dates(sprints: &[SprintDates], today: NaiveDate) -> Vec<Self> {
        (1..)
            .zip(sprints)
            .map(|(number, dates)| {
                let started = dates.start < today;
                Self { number, dates: *dates, started, closed: false, planned: started, started_on: None, closed_on: None }
            })
            .collect()
    }
}

/// The sprints whose review holds an OKR check-in at `cadence`, in order:
/// from the quarter's start, each time a check-in falls due (every 14 days,
/// or on the same day each month) it is held in the review nearest that
/// day (the earlier of two as near), once per review. With two-week
/// sprints, two weeks is every review and monthly every other one; with
/// three-week sprints a monthly check-in still falls monthly.
pub fn check_in_sprints(sprints: &[SprintRhythm], quarter_start: NaiveDate, cadence: CheckInCadence) -> Vec<u32> {
    let reviews: Vec<(NaiveDate, u32)> = sprints.iter().map(|sprint| (review_day(sprint.dates.end), sprint.number)).collect();
    let Some(&(last_review, _)) = reviews.last() else { return Vec::new() };
    let mut held: Vec<u32> = Vec::new();
    let mut due = cadence.next_due(quarter_start);
    // A check-in due up to half a step after the last review is held there.
    while due <= last_review + (cadence.next_due(due) - due) / 2 {
        let nearest = reviews.iter().min_by_key(|(review, _)| ((*review - due).num_days().abs(), *review));
        if let Some(&(_, number)) = nearest
            && !held.contains(&number)
        {
            held.push(number);
        }
        let next = cadence.next_due(due);
        if next <= due {
            break;
        }
        due = next;
    }
    held.sort_unstable();
    held
}

/// The day of next quarter's OKR planning: the first working day of the
/// last sprint's last week (its first day, for a one-week sprint), so it
/// falls inside the sprint and before its review.
pub fn next_quarter_planning_day(last: SprintDates) -> NaiveDate {
    let last_week = last.end.checked_sub_days(Days::new(6)).unwrap_or(last.start).max(last.start);
    let day = last_week.iter_days().take_while(|day| *day <= last.end).find(|day| is_working_day(*day)).unwrap_or(last_week);
    day.min(review_day(last.end))
}

/// The whole calendar of the quarter's events, in date order (two on one
/// day in [`EventKind`]'s order), each with its state on `today`.
///
/// The calendar at the default settings (two-week check-ins, a reserve in
/// the last sprint): a shorthand for tests; the board always reads
/// [`quarter_calendar_with`] with its quarter's settings.
#[cfg(test)]
pub fn quarter_calendar(sprints: &[SprintRhythm], stale_krs: usize, today: NaiveDate) -> Vec<CalendarEvent> {
    quarter_calendar_with(sprints, &RhythmSettings::defaults_for(sprints), stale_krs, today)
}

/// The kick-off opens sprint 1 (it is that sprint's planning); every later
/// sprint opens with its planning; each sprint ends in its review, those
/// nearest each check-in due at the quarter's cadence with an OKR check-in
/// too; next quarter's OKR planning follows the overlap strategy, and the
/// quarterly retro follows the last review. Any event is done once its day
/// is past, a planning once its sprint was started, a review (with its
/// check-in and retro) once its sprint was closed. What is still to hold
/// after its day is due (today): a planning while its sprint runs
/// unstarted, a review until its sprint ends. A review whose sprint ended
/// without being closed is overdue, with the retro if it is the last, and
/// so is the latest past check-in while `stale_krs` KRs are stale (M8).
///
/// The quarter's calendar following its `settings`: its check-ins
/// fall at its cadence ([`check_in_sprints`]), next quarter's OKR planning
/// follows its overlap strategy (in the last sprint, on a planning day
/// after it, or as drafts from its first day), and the kick-off is held
/// only once the quarter has its OKRs and sprint 1 was planned and started.
pub fn quarter_calendar_with(
    sprints: &[SprintRhythm],
    settings: &RhythmSettings,
    stale_krs: usize,
    today: NaiveDate,
) -> Vec<CalendarEvent> {
    let mut events = Vec::with_capacity(sprints.len() * 3 + 2);
    let last_number = sprints.last().map(|sprint| sprint.number);
    let check_ins = check_in_sprints(sprints, settings.quarter_start, settings.cadence);
    for (index, sprint) in sprints.iter().enumerate() {
        let review = review_day(sprint.dates.end);
        let mut held = vec![(if index == 0 { EventKind::KickOff } else { EventKind::Planning }, sprint.dates.start)];
        let is_last = Some(sprint.number) == last_number;
        if is_last {
            held.push(match settings.overlap {
                OverlapStrategy::Reserve => (EventKind::NextQuarterPlanning, next_quarter_planning_day(sprint.dates)),
                OverlapStrategy::Drafts => (EventKind::DraftsAhead, first_working_day(sprint.dates.start)),
                OverlapStrategy::PlanningDay => (EventKind::PlanningDay, planning_day_after(sprint.dates.end)),
            });
        }
        held.push((EventKind::Review, review));
        if check_ins.contains(&sprint.number) {
            held.push((EventKind::CheckIn, review));
        }
        if is_last {
            held.push((EventKind::QuarterRetro, review));
        }
        events.extend(held.into_iter().map(|(kind, date)| {
            let state = if kind == EventKind::KickOff {
                kick_off_state(date, sprint, settings.has_okrs, today)
            } else {
                state_on(kind, date, sprint, today)
            };
            CalendarEvent { date: held_on(kind, date, sprint, state, today), kind, sprint: sprint.number, state }
        }));
    }
    // Grouped by sprint, each sprint's events in date order: a sprint
    // started or closed early holds its events on days among another's,
    // and the calendar still shows each sprint once.
    events.sort_by_key(|event| (event.sprint, event.date, event.kind));
    // The latest check-in held by today (by date: the list is grouped by
    // sprint, and one held early today comes after an earlier sprint's).
    if stale_krs > 0
        && let Some(check_in) = events
            .iter_mut()
            .filter(|event| event.kind == EventKind::CheckIn && event.state == EventState::Done && event.date <= today)
            .max_by_key(|event| event.date)
    {
        check_in.state = EventState::Overdue;
    }
    events
}

/// A check-in event is done only when every KR has a check-in in its
/// window: after the check-in event before it (the earlier ones in the
/// list, which is grouped by sprint in order) and on or before its day.
/// One whose review was held without them is overdue. `krs` holds each
/// KR's check-in dates.
pub fn mark_check_ins_not_held(events: &mut [CalendarEvent], krs: &[Vec<NaiveDate>]) {
    let mut after: Option<NaiveDate> = None;
    for event in events.iter_mut().filter(|event| event.kind == EventKind::CheckIn) {
        let window = |date: &NaiveDate| after.is_none_or(|after| *date > after) && *date <= event.date;
        if event.state == EventState::Done && !krs.iter().all(|dates| dates.iter().any(window)) {
            event.state = EventState::Overdue;
        }
        after = Some(event.date);
    }
}

/// The day an event was held: a planning on the day its sprint was
/// started, a review (with its check-in and retro) on the day its sprint
/// was closed, when that came before the day planned for it. An event is
/// never done on a day still to come: one held on a day not known is
/// held by today.
fn held_on(kind: EventKind, planned: NaiveDate, sprint: &SprintRhythm, state: EventState, today: NaiveDate) -> NaiveDate {
    if state != EventState::Done {
        return planned;
    }
    let held = match kind {
        EventKind::KickOff | EventKind::Planning => sprint.started_on,
        EventKind::Review | EventKind::CheckIn | EventKind::QuarterRetro => sprint.closed_on,
        EventKind::NextQuarterPlanning | EventKind::DraftsAhead | EventKind::PlanningDay => None,
    };
    held.filter(|held| *held < planned).unwrap_or(planned).min(today)
}

/// The planning day between quarters (overlap strategy `planning_day`):
/// the first working day after the last sprint of the quarter.
pub fn planning_day_after(last_sprint_end: NaiveDate) -> NaiveDate {
    first_working_day(last_sprint_end + Days::new(1))
}

/// The first day of the quarter after one whose last sprint ends on
/// `last_sprint_end`: the next day, or the day after the planning day when
/// the team holds one between quarters (so that day belongs to neither).
pub fn next_quarter_start(last_sprint_end: NaiveDate, overlap: OverlapStrategy) -> NaiveDate {
    match overlap {
        OverlapStrategy::PlanningDay => planning_day_after(last_sprint_end) + Days::new(1),
        OverlapStrategy::Reserve | OverlapStrategy::Drafts => last_sprint_end + Days::new(1),
    }
}

/// The first working day on or after `day`.
fn first_working_day(day: NaiveDate) -> NaiveDate {
    day.iter_days().take(7).find(|day| is_working_day(*day)).unwrap_or(day)
}

/// The kick-off is held once the quarter has its OKRs and sprint 1 was
/// planned (a goal or items) and started; until then it is due from its
/// day while sprint 1 runs, and overdue after.
fn kick_off_state(date: NaiveDate, sprint: &SprintRhythm, has_okrs: bool, today: NaiveDate) -> EventState {
    if has_okrs && sprint.started && sprint.planned {
        EventState::Done
    } else if today < date {
        EventState::Upcoming
    } else if today <= sprint.dates.end {
        EventState::Today
    } else {
        EventState::Overdue
    }
}

fn state_on(kind: EventKind, date: NaiveDate, sprint: &SprintRhythm, today: NaiveDate) -> EventState {
    let by_date = match date.cmp(&today) {
        std::cmp::Ordering::Less => EventState::Done,
        std::cmp::Ordering::Equal => EventState::Today,
        std::cmp::Ordering::Greater => EventState::Upcoming,
    };
    match kind {
        EventKind::KickOff | EventKind::Planning if sprint.started => EventState::Done,
        // Its sprint runs and was never started: still due (the board
        // offers to start it).
        EventKind::KickOff | EventKind::Planning if date < today && today <= sprint.dates.end => EventState::Today,
        // A check-in and the retro are held in the review.
        EventKind::Review | EventKind::CheckIn | EventKind::QuarterRetro if sprint.closed => EventState::Done,
        // Not held by the end of its sprint (`Sprint::ended_unclosed`), nor
        // the quarterly retro held in the last one.
        EventKind::Review | EventKind::QuarterRetro if sprint.dates.end < today => EventState::Overdue,
        // Its day has passed, but its sprint has not ended: still due now
        // (the weekend after a Friday review), with what is held in it.
        EventKind::Review | EventKind::CheckIn | EventKind::QuarterRetro if date < today && today <= sprint.dates.end => {
            EventState::Today
        }
        _ => by_date,
    }
}

/// The quarter's calendar as of a reload, with what the header needs of
/// it: the board works it out when it reads the file, never per frame.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rhythm {
    pub events: Vec<CalendarEvent>,
    /// How many KRs are stale (M8) on the day.
    pub stale_krs: usize,
}

impl Rhythm {
    /// The calendar of `board` on `today`.
    pub fn of_board(board: &Board, today: NaiveDate) -> Self {
        let sprints: Vec<SprintRhythm> = board.sprints.iter().map(SprintRhythm::of).collect();
        let stale_krs = board.key_results().filter(|kr| check_ins::kr_stale(kr, &board.quarter, today).is_some()).count();
        let mut events = quarter_calendar_with(&sprints, &RhythmSettings::of_board(board), stale_krs, today);
        let check_in_dates: Vec<Vec<NaiveDate>> =
            board.key_results().map(|kr| kr.check_ins.iter().map(|check_in| check_in.date).collect()).collect();
        mark_check_ins_not_held(&mut events, &check_in_dates);
        Self { events, stale_krs }
    }

    /// The index of the next event: the first that is today or later.
    pub fn next_index(&self) -> Option<usize> {
        self.events.iter().position(|event| event.state.is_ahead())
    }

    /// The next event, with everything else held that day in its words.
    pub fn next(&self) -> Option<RhythmEvent> {
        let first = self.events.get(self.next_index()?)?;
        let names: Vec<String> = self
            .events
            .iter()
            .filter(|event| event.date == first.date && event.state.is_ahead())
            .map(|event| event.kind.name(event.sprint))
            .collect();
        Some(RhythmEvent { date: first.date, what: capitalised(&names.join(" + ")) })
    }

    /// The sprints whose review is overdue, in order.
    pub fn overdue_reviews(&self) -> impl Iterator<Item = u32> + '_ {
        self.events
            .iter()
            .filter(|event| event.kind == EventKind::Review && event.state == EventState::Overdue)
            .map(|event| event.sprint)
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The next event of the rhythm: its day, and what is held then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RhythmEvent {
    pub date: NaiveDate,
    pub what: String,
}

/// The next event of the rhythm for sprints in order, by their dates alone
/// (no review held), at the default settings: a shorthand for tests.
#[cfg(test)]
pub fn next_event(sprints: &[SprintDates], today: NaiveDate) -> Option<RhythmEvent> {
    Rhythm { events: quarter_calendar(&SprintRhythm::by_dates(sprints, today), 0, today), stale_krs: 0 }.next()
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod tests;
