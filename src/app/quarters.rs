//! Quarters one after another: `n` drafts next quarter's OKRs, `Q` lists
//! the quarters, scores and closes the running one and opens the next, and
//! `[` `]` step through earlier quarters, which are read-only.

use super::{
    Action, App, Confirm, Context, Overlay, Pending,
    commands::{FollowUp, Then, Words},
    edits::Refresh,
    form::{Field, FieldKind, Form, Purpose, Values, field},
    item_forms::field_error,
};
use crate::{
    domain::{
        Board, Id, QuarterState,
        ids::{KeyResultId, ObjectiveId, QuarterId},
        labels::next_quarter_label,
        quarter_close::{closing_advice, drafting_advice, kr_score, next_quarter_start},
        validate::FieldError,
        values::Score,
    },
    ops::{Command, OpError},
    store::QuarterSummary,
};

/// The `Q` screen: the quarters, and the viewed quarter's scores, notes
/// and retro. For the running quarter the scores are proposals (computed
/// from progress, editable) until `c` closes it; for a closed quarter they
/// are what it closed with.
#[derive(Debug, Clone)]
pub struct QuarterScreen {
    /// The quarter the screen shows: `c` closes it only while it runs.
    pub quarter: Id,
    pub quarters: Vec<QuarterSummary>,
    /// Index into [`QuarterScreen::rows`].
    pub selected: usize,
    /// What the screen shows: the scores typed, else the proposals.
    pub scores: Vec<(Id, f64)>,
    /// The scores the user typed; the close computes the rest itself, from
    /// the KRs as the file has them then.
    pub typed: Vec<(Id, f64)>,
    pub objective_notes: Vec<(Id, String)>,
    pub note: String,
    /// The sprints' OKR reflections: (sprint number, text).
    pub reflections: Vec<(u32, String)>,
}

/// What the user typed on a running quarter's screen and has not written.
#[derive(Debug, Clone, Default)]
pub(super) struct Edits {
    typed: Vec<(Id, f64)>,
    objective_notes: Vec<(Id, String)>,
    note: String,
}

/// A quarter screen line by identity, so that a refresh keeps it selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selected {
    Quarter(Id),
    Objective(Id),
    KeyResult(Id),
    Note,
}

/// A selectable line of the quarter screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuarterRow {
    /// Index into the quarters.
    Quarter(usize),
    Objective(Id),
    KeyResult(Id),
    /// The quarter retro's note.
    Note,
}

impl QuarterScreen {
    /// Whether the user typed a score or a note here that is not written yet.
    fn has_typed(&self) -> bool {
        !self.typed.is_empty() || self.objective_notes.iter().any(|(_, note)| !note.is_empty()) || !self.note.is_empty()
    }

    pub fn rows(&self, board: &Board) -> Vec<QuarterRow> {
        let mut rows: Vec<QuarterRow> = (0..self.quarters.len()).map(QuarterRow::Quarter).collect();
        for objective in &board.objectives {
            rows.push(QuarterRow::Objective(objective.id));
            rows.extend(objective.key_results.iter().map(|kr| QuarterRow::KeyResult(kr.id)));
        }
        rows.push(QuarterRow::Note);
        rows
    }

    pub fn score(&self, kr: Id) -> Option<f64> {
        self.scores.iter().find(|(id, _)| *id == kr).map(|(_, score)| *score)
    }

    pub fn objective_note(&self, objective: Id) -> &str {
        self.objective_notes.iter().find(|(id, _)| *id == objective).map_or("", |(_, note)| note.as_str())
    }

    fn set_objective_note(&mut self, objective: Id, note: String) {
        self.objective_notes.retain(|(id, _)| *id != objective);
        self.objective_notes.push((objective, note));
    }
}

impl App {
    /// The quarter screen, when it is open.
    pub fn quarter_screen(&self) -> Option<&QuarterScreen> {
        self.overlays.iter().rev().find_map(|overlay| match overlay {
            Overlay::Quarters(screen) => Some(&**screen),
            _ => None,
        })
    }

    fn quarter_screen_mut(&mut self) -> Option<&mut QuarterScreen> {
        self.overlays.iter_mut().rev().find_map(|overlay| match overlay {
            Overlay::Quarters(screen) => Some(&mut **screen),
            _ => None,
        })
    }

    /// The closed quarter on screen, if it is one: the backlog then lists
    /// what its sprints delivered.
    pub(super) fn closed_quarter_scope(&self) -> Option<Id> {
        self.board.as_ref().filter(|board| board.quarter.is_closed()).map(|board| board.quarter.id)
    }

    /// One line saying why an edit of a closed quarter changes nothing.
    pub(super) fn refuse_if_closed(&mut self, action: Action) -> bool {
        let Some(board) = &self.board else { return false };
        if !board.quarter.is_closed() || !action.edits() {
            return false;
        }
        // Where to go instead: the running quarter, or opening the next one.
        let running =
            self.store.quarters().is_ok_and(|quarters| quarters.iter().any(|quarter| quarter.state == QuarterState::Open));
        let key = |context, action| self.key(context, action);
        let instead = if running {
            format!(
                "{} or {} goes to the running quarter",
                key(Context::Board, Action::NextQuarter),
                key(Context::Board, Action::Quarters)
            )
        } else {
            format!(
                "{}, then {}, opens the next quarter",
                key(Context::Board, Action::Quarters),
                key(Context::Quarters, Action::OpenQuarter)
            )
        };
        let text = format!("{} is closed: read-only ({instead})", board.quarter.label);
        self.status = Some(super::Status { text, is_error: true });
        true
    }

    /// `Q`: the quarter screen.
    pub(super) fn open_quarters(&mut self) -> anyhow::Result<()> {
        let Some(board) = &self.board else { return Ok(()) };
        // What was typed before `Esc`, if this quarter still runs.
        let edits = match &self.kept_quarter_edits {
            Some((quarter, edits)) if *quarter == board.quarter.id => edits.clone(),
            _ => Edits::default(),
        };
        let screen = self.read_quarter_screen(board, &edits)?;
        let selected = screen.quarters.iter().position(|quarter| quarter.id == board.quarter.id).unwrap_or(0);
        self.overlays.push(Overlay::Quarters(Box::new(QuarterScreen { selected, ..screen })));
        Ok(())
    }

    /// The quarter screen for `board`'s quarter as the file has it, with the
    /// user's unsaved `edits` over a running quarter's proposals.
    fn read_quarter_screen(&self, board: &Board, edits: &Edits) -> anyhow::Result<QuarterScreen> {
        let (scores, typed, objective_notes, note) = if board.quarter.is_closed() {
            let closing = &board.quarter.closing;
            (closing.kr_scores.clone(), Vec::new(), closing.objective_notes.clone(), closing.note.clone())
        } else if board.quarter.state == QuarterState::Draft {
            (Vec::new(), Vec::new(), Vec::new(), String::new())
        } else {
            (proposed_scores(board, &edits.typed), edits.typed.clone(), edits.objective_notes.clone(), edits.note.clone())
        };
        Ok(QuarterScreen {
            quarter: board.quarter.id,
            quarters: self.store.quarters()?,
            selected: 0,
            scores,
            typed,
            objective_notes,
            note,
            reflections: self.store.quarter_reflections(board.quarter.id)?,
        })
    }

    /// What the quarter screen has selected, by identity, read before a
    /// refresh so that the same line is selected after it.
    pub(super) fn quarter_screen_selection(&self) -> Option<Selected> {
        let (Some(board), Some(screen)) = (&self.board, self.quarter_screen()) else { return None };
        Some(match screen.rows(board).get(screen.selected)? {
            QuarterRow::Quarter(index) => Selected::Quarter(screen.quarters.get(*index)?.id),
            QuarterRow::Objective(id) => Selected::Objective(*id),
            QuarterRow::KeyResult(id) => Selected::KeyResult(*id),
            QuarterRow::Note => Selected::Note,
        })
    }

    /// The quarter screen re-read after another window's change: its list,
    /// scores, notes and reflections as the file has them, the scores and
    /// notes typed here kept while the quarter still runs, the same line
    /// selected. A running quarter another window closed stays on screen,
    /// closed: `c` then closes nothing.
    pub(super) fn refresh_quarter_screen(&mut self, selection: Option<Selected>) -> anyhow::Result<()> {
        let Some(old) = self.quarter_screen().cloned() else { return Ok(()) };
        let shown = self.board.as_ref().map(|board| board.quarter.id);
        if shown != Some(old.quarter) && self.store.quarters()?.iter().any(|quarter| quarter.id == old.quarter) {
            let running = self.store.load_board()?.map(|board| board.quarter.id);
            self.viewed_quarter = Some(old.quarter).filter(|id| Some(*id) != running);
            self.ui_state_changed = true;
            self.reload()?;
        }
        let Some(board) = self.board.clone() else { return Ok(()) };
        let edits = Edits { typed: old.typed.clone(), objective_notes: old.objective_notes.clone(), note: old.note.clone() };
        let mut screen = self.read_quarter_screen(&board, &edits)?;
        let rows = screen.rows(&board);
        let position = |wanted: Selected| {
            rows.iter().position(|row| match (row, wanted) {
                (QuarterRow::Quarter(index), Selected::Quarter(id)) => screen.quarters.get(*index).is_some_and(|q| q.id == id),
                (QuarterRow::Objective(a), Selected::Objective(b)) | (QuarterRow::KeyResult(a), Selected::KeyResult(b)) => {
                    *a == b
                }
                (QuarterRow::Note, Selected::Note) => true,
                _ => false,
            })
        };
        screen.selected = selection.and_then(position).unwrap_or(old.selected).min(rows.len().saturating_sub(1));
        // Only a running quarter's screen holds what the user typed.
        let was_running = old.quarters.iter().any(|quarter| quarter.id == old.quarter && quarter.state == QuarterState::Open);
        let typed = old.has_typed();
        if was_running && typed && old.quarter == board.quarter.id && board.quarter.is_closed() {
            self.say(format!(
                "{} was closed in another window: the scores and notes typed here were not written",
                board.quarter.label
            ));
        }
        if let Some(slot) = self.quarter_screen_mut() {
            *slot = screen;
        }
        Ok(())
    }

    /// Keys of the quarter screen.
    pub(super) fn quarters_action(&mut self, action: Action) -> anyhow::Result<()> {
        let (Some(board), Some(screen)) = (self.board.clone(), self.quarter_screen()) else { return Ok(()) };
        let rows = screen.rows(&board);
        let row = rows.get(screen.selected).copied();
        match action {
            Action::MoveDown | Action::MoveUp | Action::First | Action::Last => {
                let last = rows.len().saturating_sub(1);
                if let Some(screen) = self.quarter_screen_mut() {
                    screen.selected = match action {
                        Action::MoveDown => (screen.selected + 1).min(last),
                        Action::MoveUp => screen.selected.saturating_sub(1),
                        Action::First => 0,
                        _ => last,
                    };
                }
            }
            Action::OpenDetail => {
                if let Some(QuarterRow::Quarter(index)) = row {
                    let id = screen.quarters[index].id;
                    self.overlays.pop();
                    self.view_quarter(Some(id))?;
                } else {
                    return self.quarters_action(Action::Edit);
                }
            }
            Action::Edit if board.quarter.state != QuarterState::Open => {
                self.say(format!(
                    "{} is {}: its scores and notes are read-only",
                    board.quarter.label,
                    board.quarter.state.word()
                ));
            }
            Action::Edit => {
                let form = match row {
                    Some(QuarterRow::KeyResult(id)) => {
                        let Some(kr) = board.key_result(id) else { return Ok(()) };
                        let score = screen.score(id).unwrap_or(0.0);
                        let help = "0.0 to 1.0, kept to a tenth: 0.7-1.0 on target, 0.4-0.6 progress, 0-0.3 missed";
                        let fields = vec![field(
                            Field::Value,
                            "Score",
                            help,
                            FieldKind::Number { optional: false },
                            format!("{score:.1}"),
                        )];
                        Form::new(
                            format!("Score of {} {}", kr.code, kr.title),
                            "keeps it",
                            Purpose::QuarterScore { key_result: id },
                            fields,
                        )
                    }
                    Some(QuarterRow::Objective(id)) => {
                        let Some(objective) = board.objective(id) else { return Ok(()) };
                        let text = screen.objective_note(id).to_owned();
                        let help = "What the objective achieved, in a line or two";
                        let fields = vec![field(Field::Note, "Closing note", help, FieldKind::Text { required: None }, text)];
                        let title = format!("Closing note of {}", crate::domain::codes::objective(objective.number));
                        Form::new(title, "keeps it", Purpose::QuarterNote { objective: Some(id) }, fields)
                    }
                    Some(QuarterRow::Note) => {
                        let help = "The quarter retro: what the team takes into the next quarter";
                        let fields = vec![field(
                            Field::Note,
                            "Quarter retro note",
                            help,
                            FieldKind::Text { required: None },
                            screen.note.clone(),
                        )];
                        Form::new("The quarter retro".into(), "keeps it", Purpose::QuarterNote { objective: None }, fields)
                    }
                    _ => {
                        self.say("Select a KR, an objective or the retro note to edit".into());
                        return Ok(());
                    }
                };
                self.overlays.push(Overlay::Form(Box::new(form)));
            }
            Action::CloseQuarter => self.ask_close_quarter(&board),
            Action::OpenQuarter => self.open_next_quarter()?,
            Action::Back | Action::Quarters => {
                // Leaving keeps what was typed (a trial lost it to `Esc`):
                // it is there again on `Q`, until the close writes it.
                if let Some(Overlay::Quarters(screen)) = self.overlays.pop()
                    && screen.has_typed()
                    && !board.quarter.is_closed()
                    && screen.quarter == board.quarter.id
                {
                    let edits = Edits { typed: screen.typed, objective_notes: screen.objective_notes, note: screen.note };
                    self.kept_quarter_edits = Some((screen.quarter, edits));
                    self.say("The scores and notes typed are kept: Q shows them again, c writes them".into());
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Saves a score form into the quarter screen (written when it closes).
    pub(super) fn save_quarter_score(&mut self, key_result: Id) {
        let Some((score, _)) = self.parse_form(parse_score) else { return };
        if let Some(screen) = self.quarter_screen_mut() {
            for scores in [&mut screen.scores, &mut screen.typed] {
                scores.retain(|(id, _)| *id != key_result);
                scores.push((key_result, score));
            }
        }
        let close = self.key(Context::Quarters, Action::CloseQuarter);
        self.say(format!("Score {score:.1}: written when the quarter closes ({close})"));
    }

    pub(super) fn save_quarter_note(&mut self, objective: Option<Id>) {
        let Some((text, _)) = self.parse_form(|values: &Values| Ok(values.text(Field::Note))) else { return };
        if let Some(screen) = self.quarter_screen_mut() {
            match objective {
                Some(id) => screen.set_objective_note(id, text),
                None => screen.note = text,
            }
        }
        let close = self.key(Context::Quarters, Action::CloseQuarter);
        self.say(format!("Note kept: written when the quarter closes ({close})"));
    }

    fn ask_close_quarter(&mut self, board: &Board) {
        if board.quarter.state != QuarterState::Open {
            self.say(format!("{} is {}: only the running quarter closes", board.quarter.label, board.quarter.state.word()));
            return;
        }
        let advice = closing_advice(board, self.today);
        let (open, undo) = (self.key(Context::Quarters, Action::OpenQuarter), self.key(Context::Quarters, Action::Undo));
        let details = if advice.is_empty() {
            format!("Scores and notes are written, the quarter becomes read-only; {open} then opens the next. {undo} reopens it.")
        } else {
            format!("Advice: {}. Close all the same? {undo} reopens it.", advice.join("; "))
        };
        self.overlays.push(Overlay::Confirm(Confirm {
            question: format!("Close {} with these scores?", board.quarter.label),
            details,
            action: Pending::CloseQuarter { quarter: board.quarter.id },
        }));
    }

    /// `y` on the close question: one step, scores and notes together,
    /// only while the quarter the screen shows still runs.
    pub(super) fn close_quarter(&mut self, quarter: Id) -> anyhow::Result<()> {
        let Some(screen) = self.quarter_screen() else { return Ok(()) };
        let now = self.store.quarters()?.into_iter().find(|summary| summary.id == quarter);
        if screen.quarter != quarter || now.as_ref().is_none_or(|summary| summary.state != QuarterState::Open) {
            let label = now.map_or_else(|| "That quarter".to_owned(), |summary| summary.label);
            self.say(format!("{label} is no longer running (changed in another window): nothing was closed"));
            return Ok(());
        }
        let scores = screen
            .typed
            .iter()
            .map(|(kr, score)| Ok((KeyResultId(*kr), Score::new(*score).map_err(field_error)?)))
            .collect::<anyhow::Result<_>>()?;
        let command = Command::CloseQuarter {
            quarter: QuarterId(quarter),
            note: screen.note.clone(),
            scores,
            objective_notes: screen.objective_notes.iter().map(|(id, note)| (ObjectiveId(*id), note.clone())).collect(),
        };
        let label = self.board.as_ref().map_or_else(String::new, |board| board.quarter.label.clone());
        let (open, undo) = (self.key(Context::Quarters, Action::OpenQuarter), self.key(Context::Quarters, Action::Undo));
        let text = format!("Closed {label}: read-only now. {open} opens the next quarter; {undo} reopens it");
        let follow = FollowUp::saying(Refresh::Board, text).then(Then::ShowClosedQuarter(quarter));
        self.run_command(command, follow).map(drop)
    }

    /// After a quarter's close: it is viewed, read-only, under the quarters
    /// screen read again.
    pub(super) fn show_closed_quarter(&mut self, quarter: Id) -> anyhow::Result<()> {
        self.viewed_quarter = Some(quarter);
        self.reload()?;
        self.overlays.retain(|overlay| !matches!(overlay, Overlay::Quarters(_)));
        self.open_quarters()
    }

    /// `o`: opens the quarter after the latest closed one, with its cadence,
    /// the drafted OKRs and the unfinished items.
    pub(super) fn open_next_quarter(&mut self) -> anyhow::Result<()> {
        let quarters = self.store.quarters()?;
        if let Some(open) = quarters.iter().find(|quarter| quarter.state == QuarterState::Open) {
            let (close, next) =
                (self.key(Context::Quarters, Action::CloseQuarter), self.key(Context::Quarters, Action::OpenQuarter));
            self.say(format!("{} is running: close it first ({close}), then {next} opens the next", open.label));
            return Ok(());
        }
        let Some(closed) = quarters.iter().find(|quarter| quarter.state == QuarterState::Closed) else { return Ok(()) };
        let label = closed.label.clone();
        // The command's summary counts what came over; the board says
        // where to find the items to tag again.
        let filters = self.key(Context::Board, Action::FilterMenu);
        let words = Words::SummaryAnd(format!(" ({filters} lists those to re-tag)"));
        let follow = FollowUp::new(Refresh::Board, words).then(Then::ShowOpenedQuarter);
        match self.try_command(Command::OpenNextQuarter { closed: QuarterId(closed.id) }, follow)? {
            Ok(_) => {}
            // Changed in another window since the screen was drawn.
            Err(refused) => self.say(format!("{refused} (after {label})")),
        }
        Ok(())
    }

    /// Shows quarter `id` (`None`: the running one), remembered across runs.
    pub(super) fn view_quarter(&mut self, id: Option<Id>) -> anyhow::Result<()> {
        let running = self.store.load_board()?.map(|board| board.quarter.id);
        self.viewed_quarter = id.filter(|id| Some(*id) != running);
        self.okr_selected = 0;
        self.okr_scroll = 0;
        self.backlog.marked = None;
        self.reload()?;
        let scope = self.closed_quarter_scope();
        let filter = crate::store::ItemFilter { quarter: scope, ..crate::store::ItemFilter::default() };
        self.set_filter(filter)?;
        self.select_running_sprint();
        self.ui_state_changed = true;
        if let Some(board) = &self.board {
            let text = match board.quarter.state {
                QuarterState::Closed => format!("Viewing {} (closed, read-only)", board.quarter.label),
                QuarterState::Draft => format!(
                    "Drafting {}: {} goes back to the running quarter",
                    board.quarter.label,
                    self.key(Context::Board, Action::NewQuarter)
                ),
                QuarterState::Open => format!("Viewing the running quarter {}", board.quarter.label),
            };
            self.say(text);
        }
        Ok(())
    }

    /// `[` and `]`: the quarter before or after the one on screen (drafts
    /// aside: `n` opens the draft).
    pub(super) fn step_quarter(&mut self, by: isize) -> anyhow::Result<()> {
        let Some(board) = &self.board else { return Ok(()) };
        let mut quarters: Vec<QuarterSummary> =
            self.store.quarters()?.into_iter().filter(|quarter| quarter.state != QuarterState::Draft).collect();
        quarters.sort_by_key(|quarter| (quarter.start, quarter.id));
        let here = quarters.iter().position(|quarter| quarter.id == board.quarter.id).unwrap_or(quarters.len());
        let Some(next) = here.checked_add_signed(by).and_then(|index| quarters.get(index)) else {
            self.say(if by < 0 { "No earlier quarter".into() } else { "No later quarter".into() });
            return Ok(());
        };
        self.view_quarter(Some(next.id))
    }

    /// `n` on the board: drafts next quarter's OKRs (or opens the draft),
    /// and from the draft goes back to the running quarter. A closed
    /// quarter can be drafted after too, until the next one opens.
    pub(super) fn toggle_draft(&mut self) -> anyhow::Result<()> {
        let Some(board) = self.board.clone() else { return Ok(()) };
        if board.quarter.state == QuarterState::Draft {
            return self.view_quarter(None);
        }
        // The draft follows the running quarter, whichever quarter is on
        // screen (`[` may show an earlier, closed one).
        let running = self.store.load_board()?.unwrap_or(board);
        let id = match self.store.draft_quarter()? {
            Some((id, _)) => id,
            None => {
                let start = next_quarter_start(&running).unwrap_or(self.today);
                // Never the running quarter's label: its pattern continued.
                let taken = self.store.quarter_labels_except(None)?;
                let label = next_quarter_label(&running.quarter.label, start, &taken);
                match self.apply_now(&Command::DraftQuarter { label, start }).map_err(OpError::into_anyhow)?.created {
                    Some(created) => match created.object {
                        crate::store::Resolved::Quarter(id) => id.row(),
                        _ => return Ok(()),
                    },
                    None => return Ok(()),
                }
            }
        };
        self.view_quarter(Some(id))?;
        if let (Some(advice), Some(draft)) = (drafting_advice(&running, self.today), &self.board) {
            self.say(format!("Drafting {}. {advice}", draft.quarter.label));
        }
        Ok(())
    }
}

/// The running quarter's scores as the screen shows them: each typed one,
/// else the one its progress proposes (the rule the close applies too); a
/// KR that cannot be measured (start equals target, M9) has none.
fn proposed_scores(board: &Board, typed: &[(Id, f64)]) -> Vec<(Id, f64)> {
    board
        .key_results()
        .filter_map(|kr| {
            let typed = typed.iter().find(|(id, _)| *id == kr.id).map(|(_, score)| *score);
            typed.or_else(|| kr_score(kr.start, kr.target, kr.current)).map(|score| (kr.id, score))
        })
        .collect()
}

fn parse_score(values: &Values) -> Result<f64, Vec<FieldError>> {
    // The score's field on this form is its value: the error lands there.
    crate::domain::values::Score::new(values.number(Field::Value).unwrap_or(0.0))
        .map(crate::domain::values::Score::get)
        .map_err(|error| vec![FieldError::new(Field::Value, error.message)])
}

impl App {
    /// Reads the quarter on screen, and the running quarter beside a draft.
    pub(super) fn load_viewed_board(&mut self) -> anyhow::Result<()> {
        self.board = self.store.load_board_viewing(self.viewed_quarter)?;
        let drafting = self.board.as_ref().is_some_and(|board| board.quarter.state == QuarterState::Draft);
        // The backlog is the running quarter's work: its KRs and sprints
        // are named plainly there, the draft's KRs with the draft's label.
        self.running = if drafting { self.store.load_board()? } else { None };
        // Beside a draft, the running quarter's pane grows and the backlog's shrinks.
        let rows = usize::from(crate::geometry::backlog_rows(self.size.0, self.size.1, self.running_lines()));
        if rows != self.backlog.height {
            self.backlog.set_height(&self.store, rows)?;
        }
        Ok(())
    }
}
