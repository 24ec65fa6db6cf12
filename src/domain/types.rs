//! Plain data types of the domain, as the board holds them in memory.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Row ids as SQLite hands them out.
pub type Id = i64;

#[derive(Debug, Clone, PartialEq)]
pub struct Quarter {
    pub id: Id,
    pub label: String,
    pub start: NaiveDate,
    pub state: super::QuarterState,
    /// Scores and notes, once the quarter is closed.
    pub closing: super::Closing,
    /// How often its KRs are checked in (M8, the calendar).
    pub cadence: super::settings::CheckInCadence,
    /// How it overlaps with the next quarter (M6, the calendar).
    pub overlap: super::settings::OverlapStrategy,
}

impl Quarter {
    /// A running quarter, as a new one starts.
    pub fn open(id: Id, label: String, start: NaiveDate) -> Self {
        Self {
            id,
            label,
            start,
            state: super::QuarterState::Open,
            closing: super::Closing::default(),
            cadence: super::settings::CheckInCadence::default(),
            overlap: super::settings::OverlapStrategy::default(),
        }
    }

    pub fn is_closed(&self) -> bool {
        self.state == super::QuarterState::Closed
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    pub id: Id,
    /// 1-based position within the quarter; gives the code `O1`, `O2`, ...
    pub number: u32,
    pub title: String,
    pub owner: String,
    /// Another objective of this board that this one aligns to.
    pub parent_id: Option<Id>,
    /// A company or other team's objective outside this board.
    pub parent_note: String,
    pub key_results: Vec<KeyResult>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeyResult {
    pub id: Id,
    pub objective_id: Id,
    /// The code users see, such as `KR1.2` (objective 1, second KR).
    pub code: String,
    pub title: String,
    pub unit: String,
    pub start: f64,
    pub target: f64,
    /// The latest check-in's value, else the start (`check_ins::reading`).
    pub current: f64,
    pub owner: String,
    /// 0-100 %: the latest check-in's, else the KR's own.
    pub confidence: u8,
    /// Oldest first (by date, then id).
    pub check_ins: Vec<CheckIn>,
}

impl KeyResult {
    /// The KR's value on `date`: its latest check-in on or before it, else
    /// its start (see `check_ins::value_on`).
    pub fn value_on(&self, date: NaiveDate) -> f64 {
        super::check_ins::value_on(self.start, &self.check_ins, date)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckIn {
    pub id: Id,
    pub date: NaiveDate,
    pub value: f64,
    pub confidence: u8,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SprintState {
    Planned,
    Active,
    Closed,
}

impl SprintState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Active => "active",
            Self::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "planned" => Some(Self::Planned),
            "active" => Some(Self::Active),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }

    /// The state a sprint with these dates has on `today`, for boards whose
    /// sprints have not been opened or closed by hand.
    pub fn by_date(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> Self {
        if end < today {
            Self::Closed
        } else if start <= today {
            Self::Active
        } else {
            Self::Planned
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sprint {
    pub id: Id,
    pub number: u32,
    pub start: NaiveDate,
    /// Inclusive: the sprint's last calendar day.
    pub end: NaiveDate,
    pub goal: String,
    /// The goal as it read when the sprint started (M2): a goal changed
    /// afterwards keeps this one, and the review shows both. `None` until
    /// it starts.
    pub goal_at_start: Option<String>,
    /// Why the goal serves no KR (M2), when it does not.
    pub no_kr_reason: String,
    pub capacity: u32,
    pub state: SprintState,
    /// KRs the goal serves, with whether each is a focus KR of the cascade.
    pub krs: Vec<SprintKr>,
    /// Sum of the points of the items planned into this sprint.
    pub load: u32,
    /// Sum of the points of its items that are done: what it delivered.
    pub done_points: u32,
    /// The day it was started (its commitment recorded), if it was.
    pub started_on: Option<NaiveDate>,
    /// The day it was closed (its record frozen), if it was.
    pub closed_on: Option<NaiveDate>,
    /// The team's verdict on its goal at the review.
    pub verdict: GoalVerdict,
}

/// Whether the sprint goal was met, as the team says at the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GoalVerdict {
    /// Not said yet.
    #[default]
    Open,
    Met,
    Partly,
    NotMet,
}

impl GoalVerdict {
    pub const ALL: [Self; 4] = [Self::Open, Self::Met, Self::Partly, Self::NotMet];

    /// As the file stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "",
            Self::Met => "met",
            Self::Partly => "partly",
            Self::NotMet => "not_met",
        }
    }

    pub fn parse(text: &str) -> Self {
        Self::ALL.into_iter().find(|verdict| verdict.as_str() == text).unwrap_or_default()
    }

    /// In words, for the review.
    pub fn word(self) -> &'static str {
        match self {
            Self::Open => "not said yet",
            Self::Met => "met",
            Self::Partly => "partly met",
            Self::NotMet => "not met",
        }
    }

    /// The next verdict, as `v` steps through them.
    pub fn next(self) -> Self {
        match self {
            Self::Open => Self::Met,
            Self::Met => Self::Partly,
            Self::Partly => Self::NotMet,
            Self::NotMet => Self::Open,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SprintKr {
    pub key_result_id: Id,
    pub focus: bool,
}

impl Sprint {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    pub fn is_overloaded(&self) -> bool {
        self.load > self.capacity
    }

    /// Its end has passed and nobody closed it: its review is due.
    pub fn ended_unclosed(&self, today: NaiveDate) -> bool {
        self.end < today && self.state != SprintState::Closed
    }

    /// Today falls in its dates and it was never started: starting it now
    /// records its commitment.
    pub fn due_to_start(&self, today: NaiveDate) -> bool {
        self.contains(today) && self.state == SprintState::Planned
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Story,
    Bug,
    Chore,
    Spike,
}

impl ItemKind {
    pub const ALL: [Self; 4] = [Self::Story, Self::Bug, Self::Chore, Self::Spike];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Story => "story",
            Self::Bug => "bug",
            Self::Chore => "chore",
            Self::Spike => "spike",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemState {
    Todo,
    Doing,
    Done,
}

impl ItemState {
    pub const ALL: [Self; 3] = [Self::Todo, Self::Doing, Self::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Todo => "todo",
            Self::Doing => "doing",
            Self::Done => "done",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == text)
    }

    /// The next state on (todo, doing, done) or back; `None` at either end.
    pub fn step(self, forward: bool) -> Option<Self> {
        match (self, forward) {
            (Self::Todo, true) | (Self::Done, false) => Some(Self::Doing),
            (Self::Doing, true) => Some(Self::Done),
            (Self::Doing, false) => Some(Self::Todo),
            (Self::Done, true) | (Self::Todo, false) => None,
        }
    }
}

/// One backlog row as the backlog pane shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    pub id: Id,
    pub rank: i64,
    pub title: String,
    pub kind: ItemKind,
    pub points: u32,
    pub state: ItemState,
    pub sprint_number: Option<u32>,
    /// KR codes such as `KR1.2`, in code order; empty means BAU. A KR of
    /// another quarter is named with it: `2026-Q4 KR1.2`.
    pub kr_codes: Vec<String>,
    /// Tagged with a KR of the quarter on screen: OKR work there (M4, the
    /// OKR/BAU chart). An item tagged only with an earlier quarter's KRs
    /// (carried, not tagged again) moves none of this quarter's: BAU here.
    pub okr_work: bool,
    /// Carried from a closed quarter, still tagged with its KRs: to be
    /// tagged again (`t` clears it).
    pub needs_retag: bool,
    /// The label of the quarter its sprint belongs to, when that is not the
    /// quarter on screen (an item a closed quarter's sprint delivered).
    pub sprint_quarter: Option<String>,
}

impl ItemRow {
    /// Business as usual: an item that moves no key result.
    pub fn is_bau(&self) -> bool {
        self.kr_codes.is_empty()
    }

    /// What a KRs column says of the item, on every screen: its KRs'
    /// codes (an earlier quarter's named with it), or BAU.
    pub fn tags_text(&self) -> String {
        if self.is_bau() { "BAU".to_owned() } else { self.kr_codes.join(" ") }
    }
}

/// Everything the detail view shows of one item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemDetail {
    pub row: ItemRow,
    pub description: String,
    pub done_on: Option<NaiveDate>,
    /// Why it waits ("deferred because"), for a BAU item; may be empty.
    pub deferred_reason: String,
    /// The tool and key it was imported from (`import --from`), if it was.
    pub external: Option<super::external::ExternalKey>,
}

/// The quarter on screen with its OKRs and sprints: small, so it is loaded
/// whole. Backlog items are not in here; they are read a window at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    pub quarter: Quarter,
    pub objectives: Vec<Objective>,
    pub sprints: Vec<Sprint>,
    /// The people whose days make the sprints' capacity.
    pub team: Vec<TeamMember>,
    /// The last finished sprints of earlier quarters (at most
    /// `capacity::VELOCITY_WINDOW` that delivered), oldest first: velocity
    /// and focus carry across quarters.
    pub earlier_sprints: Vec<super::capacity::Measured>,
}

/// One person of the team, with what they can give each sprint.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamMember {
    pub id: Id,
    pub name: String,
    /// Per cent of a working day that goes to sprint work (meetings,
    /// support and interruptions take the rest).
    pub focus_factor: u8,
    /// Days away (holidays, leave) per sprint id; half days allowed. A
    /// sprint not listed has none.
    pub days_off: Vec<(Id, f64)>,
    /// The method's roles they hold (Product Owner, Scrum Master, OKR champion).
    pub roles: super::roles::Roles,
}

impl TeamMember {
    pub fn days_off_in(&self, sprint: Id) -> f64 {
        self.days_off.iter().find(|(id, _)| *id == sprint).map_or(0.0, |(_, days)| *days)
    }
}

impl Board {
    pub fn key_results(&self) -> impl Iterator<Item = &KeyResult> {
        self.objectives.iter().flat_map(|objective| objective.key_results.iter())
    }

    pub fn objective(&self, id: Id) -> Option<&Objective> {
        self.objectives.iter().find(|objective| objective.id == id)
    }

    pub fn sprint(&self, id: Id) -> Option<&Sprint> {
        self.sprints.iter().find(|sprint| sprint.id == id)
    }

    pub fn key_result(&self, id: Id) -> Option<&KeyResult> {
        self.key_results().find(|kr| kr.id == id)
    }

    /// The sprint running on `today`, if any.
    pub fn sprint_on(&self, today: NaiveDate) -> Option<&Sprint> {
        self.sprints.iter().find(|sprint| sprint.contains(today))
    }

    /// The sprint whose review is due: one that ended without being
    /// closed, else today's.
    pub fn sprint_due_for_review(&self, today: NaiveDate) -> Option<&Sprint> {
        self.sprints.iter().find(|sprint| sprint.ended_unclosed(today)).or_else(|| self.sprint_on(today))
    }

    /// Where a closing sprint's unfinished work goes first: the next sprint
    /// after it that is neither closed nor over by `today`. Closing an
    /// overdue sprint late must not send its work into a sprint that has
    /// itself ended.
    pub fn carry_target(&self, closing: &Sprint, today: NaiveDate) -> Option<&Sprint> {
        self.sprints
            .iter()
            .filter(|other| other.number > closing.number)
            .find(|other| other.state != SprintState::Closed && other.end >= today)
    }

    /// The last day of the quarter: the end of its last sprint.
    pub fn end(&self) -> NaiveDate {
        self.sprints.last().map_or(self.quarter.start, |sprint| sprint.end)
    }

    /// Share of the quarter gone by on `today`, 0..1.
    pub fn elapsed(&self, today: NaiveDate) -> f64 {
        let total = (self.end() - self.quarter.start).num_days() + 1;
        let gone = (today - self.quarter.start).num_days() + 1;
        #[allow(clippy::cast_precision_loss)] // day counts are tiny
        let share = gone as f64 / total.max(1) as f64;
        share.clamp(0.0, 1.0)
    }
}
