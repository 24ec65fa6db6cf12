//! The sprint review (`r`): both of the method's questions on one screen,
//! "what did we deliver?" (output) and "what impact did it have?"
//! (outcome), with the sprint's start, close and the goal's verdict.
//! Closing asks where each unfinished item goes. The retro's notes are
//! under the outcome (see `retro`).

use super::{Action, App, Confirm, Context, Overlay, Pane, Pending, commands::FollowUp, edits::Refresh};
use crate::{
    domain::{
        Board, Id, KeyResult, Pace, Sprint, SprintState, check_ins, codes,
        ids::{ItemId, SprintId},
        kr_progress, method, pace,
        planning::{EarlierUnclosed, Split},
        retro::RetroNote,
        review::{self, KrMove, Outcome, Output},
    },
    ops::{Command, Place},
    store::{CarryTo, DeferredItem, SprintRecord},
};

/// Deferred items the review lists at most; it says how many more there are.
pub const DEFERRED_SHOWN: usize = 5;

/// A line of the output half besides the record: why the sprint reads as
/// it does (M2's goal at start, M12) and what waits, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewNote {
    /// M2: the goal it started with, changed since.
    GoalAtStart(String),
    /// It serves no KR, on purpose: the reason.
    NoKr(String),
    /// M12: the sprint before served no KR on purpose, and why.
    RedirectedBefore {
        number: u32,
        reason: String,
    },
    /// M12: this one does too: two in a row.
    RedirectedTwice,
    /// The heading of the deferred items, with how many there are.
    DeferredHeading(usize),
    DeferredItem(DeferredItem),
    /// How many deferred items are not listed.
    DeferredMore(usize),
}

/// The review screen of one sprint: its record as read when it opened
/// (read again after every change).
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub sprint_id: Id,
    pub record: SprintRecord,
    /// The first line shown: the review scrolls at small sizes.
    pub scroll: u16,
    /// The sprint's retro notes, list by list.
    pub notes: Vec<RetroNote>,
    /// The selected retro slot (see `Review::slots`).
    pub note_cursor: usize,
    /// The first open items that say why they wait, with their count.
    pub deferred: (Vec<DeferredItem>, usize),
}

/// One KR in the outcome half.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeRow<'a> {
    pub kr: &'a KeyResult,
    pub movement: KrMove,
    /// The goal serves it (else: an item it delivered is tagged with it).
    pub served: bool,
    /// Its pace at the sprint's end, against the quarter's straight line.
    pub pace: Pace,
    /// Its confidence at the sprint's end: the latest check-in's by then.
    pub confidence: u8,
}

impl Review {
    pub fn output(&self) -> Output {
        review::output(&self.record.items)
    }

    /// What the output half says besides the record, line by line.
    pub fn notes(&self, board: &Board, sprint: &Sprint) -> Vec<ReviewNote> {
        let mut notes = Vec::new();
        if let Some(at_start) = method::goal_at_start_if_changed(sprint) {
            notes.push(ReviewNote::GoalAtStart(at_start.to_owned()));
        }
        if method::serves_no_kr_deliberately(sprint) {
            notes.push(ReviewNote::NoKr(sprint.no_kr_reason.clone()));
        }
        if let Some(before) = method::redirected_before(&board.sprints, sprint) {
            notes.push(ReviewNote::RedirectedBefore { number: before.number, reason: before.no_kr_reason.clone() });
            if method::redirected_twice(&board.sprints, sprint) {
                notes.push(ReviewNote::RedirectedTwice);
            }
        }
        let (items, total) = &self.deferred;
        if *total > 0 {
            notes.push(ReviewNote::DeferredHeading(*total));
            notes.extend(items.iter().take(DEFERRED_SHOWN).cloned().map(ReviewNote::DeferredItem));
            let shown = items.len().min(DEFERRED_SHOWN);
            if *total > shown {
                notes.push(ReviewNote::DeferredMore(total - shown));
            }
        }
        notes
    }

    /// The outcome half: each KR the sprint served or delivered on, from
    /// its value the day before the sprint to its value at the end (today
    /// while it runs).
    pub fn outcome<'a>(&self, board: &'a Board, sprint: &Sprint, today: chrono::NaiveDate) -> Vec<OutcomeRow<'a>> {
        let served: Vec<Id> = sprint.krs.iter().map(|link| link.key_result_id).collect();
        let until = review::judged_until(sprint, today);
        review::outcome_key_results(&served, &self.record.items)
            .into_iter()
            .filter_map(|id| board.key_result(id))
            .map(|kr| {
                let movement = review::kr_move(kr, sprint.start, until);
                let progress = kr_progress(kr.start, kr.target, movement.at_sprint_end);
                let confidence = check_ins::latest_on(&kr.check_ins, until).map_or(kr.confidence, |check_in| check_in.confidence);
                OutcomeRow {
                    kr,
                    movement,
                    served: served.contains(&kr.id),
                    pace: pace(progress, board.elapsed(until)),
                    confidence,
                }
            })
            .collect()
    }

    /// The sprint's OKR/BAU split (M4): the points it holds, or held when
    /// it closed (its frozen record), split by the quarter's own KRs; the
    /// same split as planning, health and the charts show.
    pub fn planned_split(&self, board: &Board) -> Split {
        let quarter_krs: Vec<Id> = board.key_results().map(|kr| kr.id).collect();
        review::planned_split(&self.record.items, |id| quarter_krs.contains(&id))
    }

    /// M11: it delivered its points (added work too) while none of its KRs moved.
    pub fn high_output_low_outcome(&self, rows: &[OutcomeRow<'_>]) -> bool {
        let moves: Vec<KrMove> = rows.iter().map(|row| row.movement).collect();
        review::high_output_low_outcome(&self.output(), &moves)
    }

    /// The lines the output half takes on screen: its heading, goal and
    /// verdict, the planned sprint's warning, six tallies, the OKR/BAU
    /// split, the frozen record's line, a blank, and an item a line (or a
    /// line saying none), then the review's notes. The review screen draws
    /// exactly these (it checks in debug builds).
    pub fn output_height(&self, board: &Board, sprint: &Sprint) -> usize {
        let planned = usize::from(sprint.state == SprintState::Planned);
        let notes = self.notes(board, sprint);
        // The deferred items follow the record after a blank line.
        let blank_before_deferred = usize::from(notes.iter().any(ReviewNote::is_deferred));
        11 + planned + usize::from(self.record.frozen) + self.record.items.len().max(1) + notes.len() + blank_before_deferred
    }

    /// The lines the outcome half takes: its heading, three lines a KR (or
    /// a line saying none), and M11's warning after a blank.
    pub fn outcome_height(&self, board: &Board, sprint: &Sprint, today: chrono::NaiveDate) -> usize {
        let rows = self.outcome(board, sprint, today);
        // The M11 warning: a blank line and three lines of text.
        1 + (3 * rows.len()).max(1) + 4 * usize::from(self.high_output_low_outcome(&rows))
    }

    /// Where carried item `id` went, for a closed sprint.
    pub fn carried_to(&self, id: Id) -> Option<&str> {
        self.record.carried_to.iter().find(|(item, _)| *item == id).map(|(_, to)| to.as_str())
    }
}

/// Closing a sprint: each unfinished item with where it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct CarryDialog {
    pub sprint_id: Id,
    pub number: u32,
    /// The first sprint after it still to come or running (`Board::carry_target`):
    /// the first choice for unfinished work.
    pub next: Option<(Id, u32)>,
    pub items: Vec<(Id, String, u32, CarryTo)>,
    pub cursor: usize,
}

impl CarryDialog {
    /// Where an item goes next when the user steps its destination.
    fn step(&self, to: CarryTo) -> CarryTo {
        match (to, self.next) {
            (CarryTo::Sprint(_), _) => CarryTo::TopOfBacklog,
            (CarryTo::TopOfBacklog, _) => CarryTo::BottomOfBacklog,
            (CarryTo::BottomOfBacklog, Some((next, _))) => CarryTo::Sprint(next),
            (CarryTo::BottomOfBacklog, None) => CarryTo::TopOfBacklog,
        }
    }

    /// A destination in words.
    pub fn describe(&self, to: CarryTo) -> String {
        match to {
            CarryTo::Sprint(_) => {
                self.next.map_or_else(|| "the next sprint".to_owned(), |(_, number)| format!("Sprint {number}"))
            }
            CarryTo::TopOfBacklog => "top of the backlog".to_owned(),
            CarryTo::BottomOfBacklog => "bottom of the backlog".to_owned(),
        }
    }
}

impl App {
    /// The review open on top, if any.
    pub fn review(&self) -> Option<&Review> {
        self.overlays.iter().rev().find_map(|overlay| match overlay {
            Overlay::Review(review) => Some(&**review),
            _ => None,
        })
    }

    /// The sprint `r` reviews: the one being planned, the one selected in
    /// the timeline, else the one whose review is due (an ended sprint not
    /// closed, then today's).
    fn sprint_to_review(&self) -> Option<Id> {
        if let Some(sprint) = self.planned_sprint() {
            return Some(sprint.id);
        }
        let board = self.board.as_ref()?;
        if self.focus == Pane::Timeline {
            return board.sprints.get(self.sprint_selected).map(|sprint| sprint.id);
        }
        board.sprint_due_for_review(self.today).map(|sprint| sprint.id)
    }

    /// `r`: the review of a sprint, on a screen of its own.
    pub(super) fn open_review(&mut self) -> anyhow::Result<()> {
        let Some(sprint_id) = self.sprint_to_review() else {
            self.say("No sprint to review: select one in the timeline (2)".into());
            return Ok(());
        };
        let record = self.store.sprint_record(sprint_id)?;
        let notes = self.store.retro_notes(sprint_id)?;
        let deferred = self.store.deferred_items(DEFERRED_SHOWN)?;
        self.overlays.push(Overlay::Review(Box::new(Review { sprint_id, record, scroll: 0, notes, note_cursor: 0, deferred })));
        Ok(())
    }

    /// Reads the open review's record and notes again (after a change,
    /// here or in another window, and after undo); the cursor stays on its
    /// note, or where it was in its list. A review whose sprint is gone
    /// closes.
    pub(super) fn refresh_review(&mut self) -> anyhow::Result<()> {
        let Some(sprint_id) = self.review().map(|review| review.sprint_id) else { return Ok(()) };
        if self.board.as_ref().and_then(|board| board.sprint(sprint_id)).is_none() {
            self.overlays.retain(|overlay| !matches!(overlay, Overlay::Review(_)));
            return Ok(());
        }
        let record = self.store.sprint_record(sprint_id)?;
        let notes = self.store.retro_notes(sprint_id)?;
        let deferred = self.store.deferred_items(DEFERRED_SHOWN)?;
        for overlay in &mut self.overlays {
            if let Overlay::Review(review) = overlay {
                review.record = record.clone();
                review.deferred.clone_from(&deferred);
                let (note, list, index) = review.cursor_place();
                review.notes.clone_from(&notes);
                review.place_cursor(note, list, index);
            }
        }
        Ok(())
    }

    fn reviewed_sprint(&self) -> Option<&Sprint> {
        self.board.as_ref()?.sprint(self.review()?.sprint_id)
    }

    /// `s` in the review: starts a planned sprint.
    pub(super) fn start_reviewed_sprint(&mut self) -> anyhow::Result<()> {
        let Some(sprint) = self.reviewed_sprint() else { return Ok(()) };
        if sprint.state != SprintState::Planned {
            self.say(format!("Sprint {} is {} already", sprint.number, sprint.state.as_str()));
            return Ok(());
        }
        let (id, number) = (sprint.id, sprint.number);
        self.ask_to_start(id, number);
        Ok(())
    }

    /// "Start Sprint 3 now?": asked first, as everywhere a sprint starts,
    /// with what it commits to and what the method still misses.
    fn ask_to_start(&mut self, id: Id, number: u32) {
        let question = self.start_question(id, format!("Start Sprint {number} now?"));
        self.overlays.extend(question.map(Overlay::Confirm));
    }

    /// Starts sprint `id`: one step, its commitment recorded.
    pub(super) fn start_sprint(&mut self, id: Id) -> anyhow::Result<()> {
        let Some(sprint) = self.board.as_ref().and_then(|board| board.sprint(id)) else { return Ok(()) };
        let label =
            format!("Started Sprint {}: committed to {}", sprint.number, crate::format::count(sprint.load, "point", "points"));
        // The method's advice on it was in the question that asked to start it.
        self.run_command(Command::StartSprint { sprint: SprintId(id) }, FollowUp::saying(Refresh::Board, label)).map(drop)
    }

    /// When today has entered a sprint that was never started, the board
    /// offers to start it (recording its commitment) as it opens.
    pub(super) fn offer_sprint_start(&mut self) {
        // A closed quarter is read-only, and a draft has no sprints.
        let Some(board) = self.board.as_ref().filter(|board| board.quarter.state == crate::domain::QuarterState::Open) else {
            return;
        };
        let Some(sprint) = board.sprints.iter().find(|sprint| sprint.due_to_start(self.today)) else { return };
        let question = self.start_question(
            sprint.id,
            format!("Sprint {} runs from {}. Start it now?", sprint.number, sprint.start.format("%a %b %-d")),
        );
        self.overlays.extend(question.map(Overlay::Confirm));
    }

    /// After another window's change: a question to start a sprint that is
    /// no longer planned (started or closed there, or deleted) goes, and
    /// the status says why.
    pub(super) fn drop_stale_start_questions(&mut self) {
        let Some(board) = self.board.as_ref() else { return };
        let before = self.overlays.len();
        self.overlays.retain(|overlay| match overlay {
            Overlay::Confirm(Confirm { action: Pending::StartSprint { sprint }, .. }) => {
                board.sprint(*sprint).is_some_and(|sprint| sprint.state == SprintState::Planned)
            }
            _ => true,
        });
        if self.overlays.len() < before {
            self.say("The sprint was started in another window meanwhile: nothing to ask".into());
        }
    }

    /// `s` in the timeline: asks to start the selected sprint, as the board
    /// does when today enters it; a sprint started or closed says so.
    pub(super) fn ask_start_selected_sprint(&mut self) {
        let Some(sprint) = self.board.as_ref().and_then(|board| board.sprints.get(self.sprint_selected)) else { return };
        match sprint.state {
            SprintState::Planned => {
                let (id, number) = (sprint.id, sprint.number);
                self.ask_to_start(id, number);
            }
            SprintState::Active => {
                let (review, close) = (self.key(Context::Board, Action::Review), self.key(Context::Review, Action::CloseSprint));
                self.say(format!("Sprint {} is running: {review} opens its review, where {close} closes it", sprint.number))
            }
            SprintState::Closed => {
                let review = self.key(Context::Board, Action::Review);
                self.say(format!("Sprint {} is closed: {review} opens its review", sprint.number));
            }
        }
    }

    /// The question before starting sprint `id`: what its commitment will
    /// be, and the method's advice that applies (an earlier sprint left
    /// unclosed, no OKRs yet, nothing planned).
    fn start_question(&self, id: Id, question: String) -> Option<Confirm> {
        let board = self.board.as_ref()?;
        let sprint = board.sprint(id)?;
        let items = self.store.sprint_items(sprint.id).map_or(0, |items| items.len());
        let mut details = vec![format!(
            "Starting records its commitment: {}, {}.",
            crate::format::count(items as u64, "item", "items"),
            crate::format::count(sprint.load, "point", "points")
        )];
        match crate::domain::planning::earlier_unclosed(&board.sprints, sprint) {
            Some(EarlierUnclosed::NotStarted(number)) => {
                details.push(format!("Sprint {number} has not started yet: sprints run in order."));
            }
            // Advice: its unfinished items come over when it closes.
            Some(EarlierUnclosed::NotClosed(number)) => details.push(format!(
                "Sprint {number} is not closed: close it first ({}, then {}) if its unfinished items should be part of this commitment.",
                self.key(Context::Board, Action::Review),
                self.key(Context::Review, Action::CloseSprint)
            )),
            None => details.push("What is added or taken out later shows as scope change in its review.".into()),
        }
        // The same figure the command layer's start warns with.
        if let Some(off) = crate::domain::planning::start_off_dates(sprint.start, sprint.end, self.today) {
            details.push(format!("It is dated {} to {}: today is {off}.", sprint.start, sprint.end));
        }
        if board.objectives.is_empty() {
            details.push("The quarter has no OKRs yet: the method writes them before sprint 1 starts (M1).".into());
        }
        if items == 0 {
            details.push(format!("It holds nothing yet: {} plans it.", self.key(Context::Board, Action::PlanSprint)));
        }
        Some(Confirm { question, details: details.join(" "), action: Pending::StartSprint { sprint: sprint.id } })
    }

    /// `i` in the review: a check-in on one of the KRs its outcome shows
    /// (asked which, when there are several; every KR of the quarter when
    /// it shows none); the outcome updates at once.
    pub(super) fn check_in_from_review(&mut self) {
        let (Some(review), Some(board), Some(sprint)) = (self.review(), self.board.as_ref(), self.reviewed_sprint()) else {
            return;
        };
        let krs: Vec<Id> = review.outcome(board, sprint, self.today).iter().map(|row| row.kr.id).collect();
        // With none in its outcome, every KR of the quarter: a chooser
        // either way, so a note typed next never runs as review keys.
        let (subject, krs) = if krs.is_empty() {
            (board.quarter.label.clone(), board.key_results().map(|kr| kr.id).collect())
        } else {
            (format!("Sprint {}", sprint.number), krs)
        };
        if krs.is_empty() {
            self.say("No KR to check in on yet: add one in the OKR pane (1)".into());
            return;
        }
        self.offer_krs(super::pickers::PickerKind::CheckIn, subject, &krs);
    }

    /// `v` in the review: the goal's verdict, one step on.
    pub(super) fn step_goal_verdict(&mut self) -> anyhow::Result<()> {
        let Some(sprint) = self.reviewed_sprint() else { return Ok(()) };
        let (id, verdict) = (sprint.id, sprint.verdict.next());
        let label = format!("Sprint {}'s goal: {}", sprint.number, verdict.word());
        let command = Command::SetGoalVerdict { sprint: SprintId(id), verdict };
        self.run_command(command, FollowUp::saying(Refresh::Board, label)).map(drop)
    }

    /// `c` in the review: asks where unfinished items go, then closes.
    pub(super) fn ask_close_sprint(&mut self) -> anyhow::Result<()> {
        let (Some(sprint), Some(board), Some(review)) = (self.reviewed_sprint(), self.board.as_ref(), self.review()) else {
            return Ok(());
        };
        if sprint.state == SprintState::Closed {
            let undo = self.key(Context::Review, Action::Undo);
            self.say(format!("Sprint {} is closed already; {undo} reopens it", sprint.number));
            return Ok(());
        }
        // Closed against a commitment it never made, its review would count
        // all its work as added later: it starts first.
        if sprint.state == SprintState::Planned {
            let (start, close) = (self.key(Context::Review, Action::StartSprint), self.key(Context::Review, Action::CloseSprint));
            self.say(format!(
                "Sprint {} was never started: {start} starts it (what it holds becomes its commitment), then {close} closes it",
                sprint.number
            ));
            return Ok(());
        }
        let next = board.carry_target(sprint, self.today).map(|other| (other.id, other.number));
        let first = next.map_or(CarryTo::TopOfBacklog, |(id, _)| CarryTo::Sprint(id));
        let items: Vec<(Id, String, u32, CarryTo)> = review
            .record
            .items
            .iter()
            .filter(|item| item.outcome == Outcome::Carried)
            .map(|item| (item.item_id, item.title.clone(), item.points, first))
            .collect();
        let (id, number) = (sprint.id, sprint.number);
        if items.is_empty() {
            self.overlays.push(Overlay::Confirm(Confirm {
                question: format!("Close Sprint {number}?"),
                details: format!(
                    "Every item is done or out of it. Its record is frozen; {} reopens it.",
                    self.key(Context::Review, Action::Undo)
                ),
                action: Pending::CloseSprint { sprint: id, carry: Vec::new() },
            }));
        } else {
            self.overlays.push(Overlay::Carry(CarryDialog { sprint_id: id, number, next, items, cursor: 0 }));
        }
        Ok(())
    }

    /// Keys of the carry dialog.
    pub(super) fn carry_action(&mut self, action: super::Action) -> anyhow::Result<()> {
        use super::Action as A;
        let Some(Overlay::Carry(dialog)) = self.overlays.last_mut() else { return Ok(()) };
        let count = dialog.items.len().max(1);
        match action {
            A::MoveDown => dialog.cursor = (dialog.cursor + 1) % count,
            A::MoveUp => dialog.cursor = (dialog.cursor + count - 1) % count,
            A::Toggle => {
                let to = dialog.items.get(dialog.cursor).map(|item| item.3);
                if let Some(to) = to {
                    let next = dialog.step(to);
                    dialog.items[dialog.cursor].3 = next;
                }
            }
            A::SameForAll => {
                if let Some(to) = dialog.items.get(dialog.cursor).map(|item| item.3) {
                    dialog.items.iter_mut().for_each(|item| item.3 = to);
                }
            }
            A::Cancel => {
                self.overlays.pop();
                self.say("The sprint stays open".into());
            }
            A::Choose => {
                // Closing freezes the record: asked, answered yes only by y,
                // like every question that ends something.
                let Some(Overlay::Carry(dialog)) = self.overlays.pop() else { return Ok(()) };
                let carry: Vec<(Id, CarryTo)> = dialog.items.iter().map(|item| (item.0, item.3)).collect();
                let places: Vec<String> =
                    dialog.items.iter().map(|item| format!("#{} → {}", item.0, dialog.describe(item.3))).collect();
                self.overlays.push(Overlay::Confirm(Confirm {
                    question: format!("Close Sprint {}?", dialog.number),
                    details: format!(
                        "Unfinished: {}. Its record is frozen; {} reopens it.",
                        places.join(", "),
                        self.key(Context::Review, Action::Undo)
                    ),
                    action: Pending::CloseSprint { sprint: dialog.sprint_id, carry },
                }));
            }
            _ => {}
        }
        Ok(())
    }

    /// Closes sprint `id`, sending its unfinished items where `carry` says.
    pub(super) fn close_sprint(&mut self, id: Id, carry: &[(Id, CarryTo)]) -> anyhow::Result<()> {
        let Some(sprint) = self.board.as_ref().and_then(|board| board.sprint(id)) else { return Ok(()) };
        let moved = match carry.len() {
            0 => String::new(),
            1 => ", 1 item carried over".to_owned(),
            count => format!(", {count} items carried over"),
        };
        let label = format!("Closed {}{moved}", codes::sprint(sprint.number));
        let places = carry
            .iter()
            .map(|(item, to)| {
                let place = match to {
                    CarryTo::Sprint(next) => Place::Sprint(SprintId(*next)),
                    CarryTo::TopOfBacklog => Place::TopOfBacklog,
                    CarryTo::BottomOfBacklog => Place::BottomOfBacklog,
                };
                (ItemId(*item), place)
            })
            .collect();
        let command = Command::CloseSprintPlacing { sprint: SprintId(id), places };
        self.run_command(command, FollowUp::saying(Refresh::Everything, label)).map(drop)
    }
}

impl ReviewNote {
    /// It belongs to the deferred list, after the record.
    pub fn is_deferred(&self) -> bool {
        matches!(self, Self::DeferredHeading(_) | Self::DeferredItem(_) | Self::DeferredMore(_))
    }
}
