//! The command layer: every change a user can make, as a [`Command`] with
//! its data, applied by one function ([`apply`]) in one transaction with
//! its undo step. The board, the command line and importers build
//! Commands; nothing outside decides the method's rules for a change.
//!
//! A Command names its objects by id (already resolved from what the user
//! typed, see `Store::resolve`) and carries domain values already parsed
//! (`domain::values`), so `apply` never reads text a user typed. The method
//! advises and never blocks: what it says about a change comes back as
//! [`Outcome::warnings`], computed by the same domain functions the board's
//! planning and health screens use.

mod advice;
pub mod external;
mod external_report;
mod imports;
mod items;
mod reviews;
mod run;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_board;

use chrono::NaiveDate;

use crate::{
    domain::{
        GoalVerdict, ItemKind, ItemState,
        ids::{CheckInId, ItemId, KeyResultId, MemberId, ObjectiveId, QuarterId, RetroNoteId, SprintId},
        retro::RetroList,
        roles::Roles,
        settings::{CheckInCadence, OverlapStrategy, QuarterSettings},
        validate::FieldError,
        values::{Capacity, Confidence, DaysOff, FocusFactor, Points, Score, SprintSpan, Title},
    },
    plan::Plan,
    store::{ResolveError, Resolved, StoreError},
};

pub use run::apply;

/// Every change a user can make, with its data.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// A new quarter with its sprints laid end to end, all planned.
    InitQuarter {
        label: String,
        start: NaiveDate,
        span: SprintSpan,
        /// Its check-in cadence and overlap strategy.
        settings: QuarterSettings,
    },
    AddObjective {
        quarter: QuarterId,
        title: Title,
        owner: String,
        /// What it aligns to: another objective of the board, or one
        /// outside it in words (none: neither).
        aligns_to: Alignment,
    },
    /// A KR under `objective`; M9 (a unit, a target that differs from the
    /// start) is checked as the KR form checks it.
    AddKeyResult {
        objective: ObjectiveId,
        title: Title,
        unit: String,
        start: f64,
        target: f64,
        /// The KR's own confidence until its first check-in (50 % if none).
        confidence: Option<Confidence>,
        owner: String,
        /// A first reading other than the start: a check-in dated today.
        current: Option<f64>,
        /// That check-in's note (none: "set from the command line").
        reading_note: Option<String>,
    },
    /// An item at the bottom of the backlog, tagged with `krs` (none: BAU).
    AddItem {
        title: Title,
        points: Points,
        kind: ItemKind,
        krs: Vec<KeyResultId>,
        description: String,
        /// Why a BAU item waits, for the review; may be empty.
        deferred_reason: String,
    },
    /// A sprint after the quarter's last one.
    AddSprint {
        quarter: QuarterId,
        start: NaiveDate,
        end: NaiveDate,
        capacity: Capacity,
        goal: String,
        /// Why its goal serves no KR (M2), when it serves none; may be empty.
        no_kr_reason: String,
    },
    EditItem {
        item: ItemId,
        edit: ItemEdit,
    },
    EditObjective {
        objective: ObjectiveId,
        title: Option<Title>,
        owner: Option<String>,
        aligns_to: Option<Alignment>,
    },
    EditKeyResult {
        key_result: KeyResultId,
        edit: KeyResultEdit,
    },
    EditSprint {
        sprint: SprintId,
        edit: SprintEdit,
    },
    /// Tags an item with KRs (`add`) and takes others off (`remove`).
    Tag {
        item: ItemId,
        add: Vec<KeyResultId>,
        remove: Vec<KeyResultId>,
    },
    /// Links a sprint's goal to KRs it serves (`add`), unlinks others (`remove`).
    TagSprint {
        sprint: SprintId,
        add: Vec<KeyResultId>,
        remove: Vec<KeyResultId>,
    },
    /// Plans an item into a sprint, or (`None`) takes it out to the backlog.
    Move {
        item: ItemId,
        sprint: Option<SprintId>,
    },
    /// Moves an item within the backlog's order.
    Rank {
        item: ItemId,
        to: RankTo,
    },
    SetState {
        item: ItemId,
        state: ItemState,
    },
    /// Steps an item's state on (todo, doing, done) or back, from the state
    /// the file holds when it is written (another window may have stepped
    /// it since a front end showed it).
    StepState {
        item: ItemId,
        forward: bool,
    },
    /// Swaps an item's place in the backlog's order with `other`, its
    /// neighbour as a front end shows the list (filtered or not); `up` says
    /// that the neighbour was above it (the summary's words).
    SwapRanks {
        item: ItemId,
        other: ItemId,
        up: bool,
    },
    /// One state for several items, as one step.
    SetStates {
        items: Vec<ItemId>,
        state: ItemState,
    },
    /// Tags several items with KRs (`add`) and takes others off (`remove`),
    /// as one step; the tags no one touched stay. With nothing to add or
    /// remove, items carried from a closed quarter keep their tags for this
    /// one (their mark to tag again goes).
    TagItems {
        items: Vec<ItemId>,
        add: Vec<KeyResultId>,
        remove: Vec<KeyResultId>,
    },
    /// Plans several items into a sprint, or (`None`) out of any, as one step.
    MoveItems {
        items: Vec<ItemId>,
        sprint: Option<SprintId>,
    },
    DeleteItems {
        items: Vec<ItemId>,
    },
    /// Deletes one object with what hangs on it (a KR's check-ins and tags,
    /// a sprint's plan, a member's days off), as one step. A quarter is
    /// not deleted this way.
    Delete {
        object: Resolved,
    },
    /// Corrects a check-in; `None` fields stay as the file has them.
    EditCheckIn {
        check_in: CheckInId,
        edit: CheckInEdit,
    },
    /// Says whether a sprint met its goal.
    SetGoalVerdict {
        sprint: SprintId,
        verdict: GoalVerdict,
    },
    /// Closes a started sprint, sending each unfinished item to its own
    /// place (the board's close dialog); items not named stay where the
    /// store's close leaves them.
    CloseSprintPlacing {
        sprint: SprintId,
        places: Vec<(ItemId, Place)>,
    },
    /// Makes a KR the focus of `sprints` (M3: one focus KR a sprint).
    SetFocus {
        key_result: KeyResultId,
        sprints: Vec<SprintId>,
    },
    EditRetroNote {
        note: RetroNoteId,
        text: String,
    },
    /// Moves a retro note one place up (or down) its list.
    MoveRetroNote {
        note: RetroNoteId,
        up: bool,
    },
    /// A "to improve" note becomes a backlog item at the bottom.
    RetroNoteToItem {
        note: RetroNoteId,
    },
    /// A member of the quarter's team, with their days off in its sprints.
    AddMember {
        quarter: QuarterId,
        name: String,
        focus_factor: FocusFactor,
        roles: Roles,
        /// Days off by sprint, parsed against each sprint's working days.
        days_off: Vec<(SprintId, DaysOff)>,
    },
    EditMember {
        member: MemberId,
        edit: MemberEdit,
    },
    /// Changes a quarter's label, start or settings; `None` fields stay.
    EditQuarter {
        quarter: QuarterId,
        edit: QuarterEdit,
    },
    /// Starts drafting the quarter after the running one (its OKRs only);
    /// a draft that another window started meanwhile is kept.
    DraftQuarter {
        label: String,
        start: NaiveDate,
    },
    /// A KR reading; confidence `None` keeps the KR's current confidence.
    CheckIn {
        key_result: KeyResultId,
        value: f64,
        confidence: Option<Confidence>,
        note: String,
        date: NaiveDate,
    },
    StartSprint {
        sprint: SprintId,
    },
    /// Closes a started sprint; its unfinished items go to `carry`.
    CloseSprint {
        sprint: SprintId,
        carry: Carry,
    },
    /// Closes the running quarter; each KR is scored from its progress
    /// unless `scores` gives its score (0.0-1.0, as typed on the board's
    /// quarter screen).
    CloseQuarter {
        quarter: QuarterId,
        note: String,
        scores: Vec<(KeyResultId, Score)>,
        /// A note on each objective's outcome, where one was written.
        objective_notes: Vec<(ObjectiveId, String)>,
    },
    /// Opens the quarter after the closed quarter `closed`.
    OpenNextQuarter {
        closed: QuarterId,
    },
    RetroNote {
        sprint: SprintId,
        list: RetroList,
        text: String,
    },
    /// Takes back the newest step of this user. A step that asks first (a
    /// quarter's close or opening) is refused unless `confirmed`.
    Undo {
        confirmed: bool,
    },
    Redo {
        confirmed: bool,
    },
    /// Takes back (or, `redo`, does again) one recorded step named by its
    /// id, whoever made it: what a person confirmed after being asked
    /// (another window's step, a quarter's close). A step replayed
    /// meanwhile is refused.
    ReplayStep {
        step: i64,
        redo: bool,
    },
    /// A plan file's quarter onto the board as one undoable step named
    /// `step`: a new quarter, or in place of `replacing` (an import's
    /// `--replace`, or a merge already worked out into `plan`). The plan
    /// was read and checked by `plan::read_plan_file`; the store checks it
    /// again against the board (ids and item numbers of other quarters).
    ImportPlan {
        plan: Box<Plan>,
        replacing: Option<QuarterId>,
        step: String,
    },
    /// A sync's merged quarters (docs/sync.md) as ONE undoable step named
    /// `step`, each a new quarter or in place of the one it names, with the
    /// board's sync state in the same transaction. Refused, nothing
    /// written, when the board changed since the sync exported it
    /// ([`BOARD_CHANGED_DURING_SYNC`]): the sync starts over.
    ImportSynced {
        plans: Vec<(Plan, Option<QuarterId>)>,
        step: String,
        to: crate::store::SyncedTo,
    },
    /// The demo quarter (or any plan) onto a board that has no quarter, or
    /// (`replace`) in place of everything on it. Not an undo step: it is
    /// how a board starts, as `quarterdeck demo` and the welcome screen do.
    LoadPlan {
        plan: Box<Plan>,
        replace: bool,
    },
}

/// Why `Command::ImportSynced` was refused: the sync tells it from others.
pub const BOARD_CHANGED_DURING_SYNC: &str = "the board changed while the sync merged it: nothing was written; sync again";

/// The fields of an item to change; `None` leaves one as the file has it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemEdit {
    pub title: Option<Title>,
    pub points: Option<Points>,
    pub kind: Option<ItemKind>,
    pub description: Option<String>,
    pub deferred_reason: Option<String>,
}

/// The fields of a KR to change.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyResultEdit {
    /// A new current value: a check-in dated today, never an overwrite.
    pub current: Option<f64>,
    /// The note of the check-in a new value or confidence makes (none:
    /// "set from the command line").
    pub reading_note: Option<String>,
    pub title: Option<Title>,
    pub unit: Option<String>,
    pub start: Option<f64>,
    pub target: Option<f64>,
    pub confidence: Option<Confidence>,
    pub owner: Option<String>,
}

/// The fields of a sprint to change.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SprintEdit {
    /// New start and end, checked against the other sprints' dates.
    pub dates: Option<(NaiveDate, NaiveDate)>,
    pub goal: Option<String>,
    pub capacity: Option<Capacity>,
    pub no_kr_reason: Option<String>,
}

/// What an objective aligns to: an objective of the board (`parent`), or
/// one outside it in words (`note`, "Company O2: grow revenue").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Alignment {
    pub parent: Option<ObjectiveId>,
    pub note: String,
}

/// The fields of a team member to change; `days_off` holds only the
/// sprints whose days change.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MemberEdit {
    pub name: Option<String>,
    pub focus_factor: Option<FocusFactor>,
    pub roles: Option<Roles>,
    pub days_off: Vec<(SprintId, DaysOff)>,
}

/// The fields of a quarter to change.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuarterEdit {
    pub label: Option<String>,
    pub start: Option<NaiveDate>,
    pub cadence: Option<CheckInCadence>,
    pub overlap: Option<OverlapStrategy>,
}

/// The fields of a check-in to change.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckInEdit {
    pub date: Option<NaiveDate>,
    pub value: Option<f64>,
    pub confidence: Option<Confidence>,
    pub note: Option<String>,
}

/// Where one unfinished item of a closing sprint goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Sprint(SprintId),
    TopOfBacklog,
    BottomOfBacklog,
}

/// Where an item goes in the backlog's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankTo {
    Top,
    Bottom,
    /// Just below this item.
    After(ItemId),
}

/// Where a closing sprint's unfinished items go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carry {
    /// Into the next sprint not closed nor over, else to the backlog's top
    /// (what the board's close dialog proposes).
    Proposed,
    Sprint(SprintId),
    /// To the top of the backlog, unplanned.
    Backlog,
}

/// What a command did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// What changed, in one line for a person ("Added #42 Export CSV").
    pub summary: String,
    /// The object made, when the command made one.
    pub created: Option<Created>,
    /// The method's advice on the change (never a refusal), one line each.
    pub warnings: Vec<String>,
}

/// An object a command made: how a user names it and its stable id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub object: Resolved,
    /// Its code as a reference reads it back: `#42`, `KR1.2`, `S7`, `O3`.
    pub reference: String,
    /// Its stable id (a UUID), which never changes.
    pub uid: String,
}

/// Why a command changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// A value breaks a rule of its field; the message says what to write.
    #[error("{}", .0.message)]
    Field(FieldError),
    /// What the command names is not on the board (any more).
    #[error("{0}")]
    NotFound(String),
    /// The change does not apply to the board as it is (a sprint started
    /// already, nothing to undo); the message says why and what to do.
    #[error("{0}")]
    Refused(String),
    /// The step to undo or redo is a quarter's close or opening, which a
    /// person confirms first (`Command::Undo { confirmed: true }`); it
    /// names the step.
    #[error("{0} asks first: confirm it to do it")]
    NeedsConfirming(String),
    /// The store refused or failed the write; nothing was written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl OpError {
    /// Another program held the board's write lock past the store's wait:
    /// nothing was written, and the same command may be applied again.
    pub fn is_busy(&self) -> bool {
        matches!(self, Self::Store(StoreError::Busy))
    }
}

impl OpError {
    /// The error as `anyhow` for a front end that branches on the store's
    /// own error (the board waits on a busy lock): a store error is handed
    /// back whole, not wrapped.
    pub fn into_anyhow(self) -> anyhow::Error {
        match self {
            Self::Store(error) => anyhow::Error::new(error),
            other => anyhow::Error::new(other),
        }
    }
}

impl From<FieldError> for OpError {
    fn from(error: FieldError) -> Self {
        Self::Field(error)
    }
}

impl From<rusqlite::Error> for OpError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Store(error.into())
    }
}

impl From<ResolveError> for OpError {
    fn from(error: ResolveError) -> Self {
        match error {
            ResolveError::NotFound(message) | ResolveError::Ambiguous(message) => Self::NotFound(message),
            ResolveError::Invalid(error) => Self::NotFound(error.to_string()),
            ResolveError::Store(error) => Self::Store(error),
        }
    }
}
