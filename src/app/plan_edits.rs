//! Editing the quarter's plan from the board: `a`, `e` and `d` in the OKR
//! pane (objectives and KRs) and in the timeline (sprints), `,` for the
//! quarter's settings and `c` on a KR for the OKR-sprint cascade.

use super::{
    Action, App, Confirm, Context, OkrRow, Overlay, Pane, Pending,
    commands::{FollowUp, Then},
    detail::Deletion,
    edits::Refresh,
    form::{Field, Form, Values},
    pickers::{Choice, ChoiceValue, Picker, PickerKind},
    plan_forms::{FROM_KR_FORM, focus_range, key_result_fields, objective_fields, quarter_fields, sprint_fields},
};
use crate::domain::codes;
use crate::{
    domain::{
        Id,
        ids::{CheckInId, ItemId, KeyResultId, MemberId, ObjectiveId, QuarterId, RetroNoteId, SprintId},
        labels::taken_label_error,
        quoted,
        values::Confidence,
    },
    ops::{Alignment, Command, KeyResultEdit, QuarterEdit, SprintEdit},
    store::{CheckInFields, Placement, Resolved},
};

/// Which KR a KR form saves: a new one under an objective, or an existing one.
#[derive(Debug, Clone, Copy)]
pub(super) enum KrSave {
    Add { objective: Id },
    Edit(Id),
}

/// M1: a team has at most 3 objectives and 6-8 KRs in a quarter.
const MAX_OBJECTIVES: usize = 3;
const MAX_KEY_RESULTS: usize = 8;

impl App {
    /// The objective the OKR pane's selection belongs to.
    fn selected_objective(&self) -> Option<&crate::domain::Objective> {
        let objective = match self.okr_rows().get(self.okr_selected)? {
            OkrRow::Objective { objective, .. } | OkrRow::KeyResult { objective, .. } => *objective,
        };
        self.board.as_ref()?.objectives.get(objective)
    }

    /// `a` in the OKR pane: an objective, or a KR for the selected one.
    pub(super) fn open_add_okr(&mut self) {
        let Some(board) = self.board.as_ref() else { return };
        let mut choices = vec![Choice::new(ChoiceValue::AddOkr(None), "A new objective".into(), false)];
        if let Some(objective) = self.selected_objective() {
            choices.push(Choice::new(
                ChoiceValue::AddOkr(Some(objective.id)),
                format!("A key result for {} {}", codes::objective(objective.number), objective.title),
                false,
            ));
        }
        let cursor = choices.len() - 1;
        let picker =
            Picker { kind: PickerKind::AddOkr, items: vec![board.quarter.id], item_title: String::new(), choices, cursor };
        self.overlays.push(Overlay::Picker(picker));
    }

    pub(super) fn open_okr_form(&mut self, objective: Option<Id>) {
        let Some(board) = self.board.as_ref() else { return };
        let form = match objective.and_then(|id| board.objective(id)) {
            Some(objective) => Form::key_result(None, objective),
            None => Form::objective(None, board),
        };
        let form = self.with_owners(form);
        self.overlays.push(Overlay::Form(Box::new(form)));
    }

    pub(super) fn open_edit_okr(&mut self) {
        let Some(board) = self.board.as_ref() else { return };
        let form = match self.okr_rows().get(self.okr_selected) {
            Some(OkrRow::Objective { objective, .. }) => Form::objective(board.objectives.get(*objective), board),
            Some(OkrRow::KeyResult { objective, key_result, .. }) => {
                let Some(objective) = board.objectives.get(*objective) else { return };
                Form::key_result(objective.key_results.get(*key_result), objective)
            }
            None => return,
        };
        let form = self.with_owners(form);
        self.overlays.push(Overlay::Form(Box::new(form)));
    }

    /// `d` in the OKR pane: asks, naming what goes with it.
    pub(super) fn ask_delete_okr(&mut self) -> anyhow::Result<()> {
        let Some(board) = self.board.as_ref() else { return Ok(()) };
        let (target, name, key_results) = match self.okr_rows().get(self.okr_selected) {
            Some(OkrRow::Objective { objective, .. }) => {
                let Some(objective) = board.objectives.get(*objective) else { return Ok(()) };
                let krs: Vec<Id> = objective.key_results.iter().map(|kr| kr.id).collect();
                (Deletion::Objective(objective.id), format!("{} '{}'", codes::objective(objective.number), objective.title), krs)
            }
            Some(OkrRow::KeyResult { id, .. }) => {
                let Some(kr) = board.key_result(*id) else { return Ok(()) };
                (Deletion::KeyResult(kr.id), format!("{} '{}'", kr.code, kr.title), vec![kr.id])
            }
            None => return Ok(()),
        };
        let impact = self.store.delete_impact(&key_results)?;
        let mut details = Vec::new();
        if matches!(target, Deletion::Objective(_)) {
            details.push(format!("its {}", crate::format::count(impact.key_results as u64, "key result", "key results")));
        }
        details.push(crate::format::count(impact.check_ins as u64, "check-in", "check-ins"));
        let tags = format!(
            "{} items lose the tag ({} of them become BAU; they stay in the backlog)",
            impact.tagged_items, impact.become_bau
        );
        let confirm = Confirm {
            question: format!("Delete {name}?"),
            details: format!(
                "Goes with it: {}. {tags}. {} brings it all back.",
                details.join(", "),
                self.key(super::Context::Board, super::Action::Undo)
            ),
            action: Pending::Delete { target, label: format!("Deleted {name}") },
        };
        self.overlays.push(Overlay::Confirm(confirm));
        Ok(())
    }

    pub(super) fn save_objective(&mut self, editing: Option<Id>) -> anyhow::Result<()> {
        let Some(board) = self.board.clone() else { return Ok(()) };
        let Some((fields, form)) = self.parse_form(|values| objective_fields(values, &board, editing)) else { return Ok(()) };
        let (quarter_id, count) = (board.quarter.id, board.objectives.len() + 1);
        let id = match editing {
            Some(id) => {
                let label = format!("Saved objective {}", quoted(fields.title.as_str()));
                let command = Command::EditObjective {
                    objective: ObjectiveId(id),
                    title: form.changed(Field::Title, fields.title.clone()),
                    owner: form.changed(Field::Owner, fields.owner.clone()),
                    aligns_to: form
                        .changed(Field::AlignsTo, (fields.parent_id, fields.parent_note.clone()))
                        .map(|(parent, note)| Alignment { parent: parent.map(ObjectiveId), note }),
                };
                self.run_command(command, FollowUp::saying(Refresh::Everything, label))?;
                id
            }
            None => {
                let label = format!("Added objective {}", quoted(fields.title.as_str()));
                let m1 = format!(". M1: {count} objectives; a team keeps to {MAX_OBJECTIVES} at most to stay focused");
                let command = Command::AddObjective {
                    quarter: QuarterId(quarter_id),
                    title: fields.title.clone(),
                    owner: fields.owner.clone(),
                    aligns_to: Alignment { parent: fields.parent_id.map(ObjectiveId), note: fields.parent_note.clone() },
                };
                let said = if count > MAX_OBJECTIVES { label + &m1 } else { label };
                let outcome = self.run_command(command, FollowUp::saying(Refresh::Everything, said))?;
                match outcome.created.map(|created| created.object) {
                    Some(Resolved::Objective(id)) => id.row(),
                    _ => return Ok(()),
                }
            }
        };
        self.select_okr(OkrRow::is_objective, id);
        Ok(())
    }

    pub(super) fn save_key_result(&mut self, saving: KrSave) -> anyhow::Result<()> {
        let today = self.today;
        let Some(((fields, current), form)) = self.parse_form(|values| key_result_fields(values, today)) else { return Ok(()) };
        let id = match saving {
            KrSave::Edit(id) => {
                let check_in = self.check_in_from_kr_form(id, &form, current, fields.confidence);
                let label = match &check_in {
                    Some(check_in) => {
                        format!(
                            "Saved KR {}, checked in at {}",
                            quoted(fields.title.as_str()),
                            crate::format::number(check_in.value)
                        )
                    }
                    None => format!("Saved KR {}", quoted(fields.title.as_str())),
                };
                // A new value or confidence on a checked-in KR becomes a
                // check-in in the command (ops), as the label says.
                let edit = KeyResultEdit {
                    current: check_in.as_ref().map(|check_in| check_in.value),
                    reading_note: Some(FROM_KR_FORM.into()),
                    title: form.changed(Field::Title, fields.title.clone()),
                    unit: form.changed(Field::Unit, fields.unit.clone()),
                    start: form.changed(Field::Start, fields.start),
                    target: form.changed(Field::Target, fields.target),
                    confidence: form.changed(Field::Confidence, fields.confidence),
                    owner: form.changed(Field::Owner, fields.owner.clone()),
                };
                let command = Command::EditKeyResult { key_result: KeyResultId(id), edit };
                self.run_command(command, FollowUp::saying(Refresh::Everything, label))?;
                id
            }
            KrSave::Add { objective } => {
                let total = self.board.as_ref().map_or(0, |board| board.key_results().count()) + 1;
                let label = format!("Added KR {}", quoted(fields.title.as_str()));
                let m1 = format!(". M1: {total} KRs; a team keeps to 6-8 in a quarter to stay focused");
                let command = Command::AddKeyResult {
                    objective: ObjectiveId(objective),
                    title: fields.title.clone(),
                    unit: fields.unit.clone(),
                    start: fields.start,
                    target: fields.target,
                    confidence: Some(fields.confidence),
                    owner: fields.owner.clone(),
                    current: fields.first_check_in.as_ref().map(|check_in| check_in.value),
                    reading_note: Some(FROM_KR_FORM.into()),
                };
                let said = if total > MAX_KEY_RESULTS { label + &m1 } else { label };
                let outcome = self.run_command(command, FollowUp::saying(Refresh::Everything, said))?;
                match outcome.created.map(|created| created.object) {
                    Some(Resolved::KeyResult(id)) => id.row(),
                    _ => return Ok(()),
                }
            }
        };
        self.select_okr(|row| !row.is_objective(), id);
        Ok(())
    }

    /// A KR form's new reading, as a check-in dated today: a current value
    /// the user changed, or a confidence changed on a KR that has check-ins
    /// (whose confidence is its latest check-in's). Never an overwrite.
    fn check_in_from_kr_form(&self, id: Id, form: &Form, current: Option<f64>, confidence: Confidence) -> Option<CheckInFields> {
        let kr = self.board.as_ref()?.key_result(id)?;
        let value = current.filter(|value| form.touched(Field::Current) && *value != kr.current);
        let confidence_changed = form.touched(Field::Confidence) && confidence.get() != kr.confidence && !kr.check_ins.is_empty();
        (value.is_some() || confidence_changed).then(|| CheckInFields {
            date: self.today,
            value: value.unwrap_or(kr.current),
            confidence,
            note: FROM_KR_FORM.into(),
        })
    }

    /// Selects the objective or KR with this id in the OKR pane. Objectives
    /// and KRs are numbered apart, so `kind` says which of the two `id` is.
    fn select_okr(&mut self, kind: impl Fn(&OkrRow) -> bool, id: Id) {
        if let Some(index) = self.okr_rows().iter().position(|row| kind(row) && row.id() == id) {
            self.okr_selected = index;
            self.scroll_okrs_to_selection();
            self.ui_state_changed = true;
        }
    }

    /// `a` in the timeline: a sprint after the last.
    pub(super) fn open_add_sprint(&mut self) {
        if let Some(board) = self.board.as_ref() {
            let form = Form::new_sprint(board, self.today);
            self.overlays.push(Overlay::Form(Box::new(form)));
        }
    }

    /// `e` on a sprint (timeline or planning): dates, capacity and goal.
    pub(super) fn open_sprint_form(&mut self) {
        if let (Some(sprint), Some(board)) = (self.sprint_in_hand(), self.board.as_ref()) {
            let form = Form::sprint(sprint, board, self.today);
            self.overlays.push(Overlay::Form(Box::new(form)));
        }
    }

    pub(super) fn save_sprint(&mut self, editing: Option<Id>) -> anyhow::Result<()> {
        let Some(Overlay::Form(open)) = self.overlays.last() else { return Ok(()) };
        let taken = open.taken.clone();
        let Some((fields, form)) = self.parse_form(|values| sprint_fields(values, &taken)) else { return Ok(()) };
        let Some(board) = self.board.as_ref() else { return Ok(()) };
        let quarter_id = board.quarter.id;
        let id = match editing {
            Some(id) => {
                let Some(sprint) = board.sprint(id) else { return Ok(()) };
                let label = describe_sprint_change(sprint, &fields);
                let edit = SprintEdit {
                    dates: (form.touched(Field::StartDate) || form.touched(Field::EndDate)).then_some((fields.start, fields.end)),
                    capacity: form.changed(Field::Capacity, fields.capacity),
                    goal: form.changed(Field::Goal, fields.goal.clone()),
                    no_kr_reason: form.changed(Field::NoKrReason, fields.no_kr_reason.clone()),
                };
                self.run_command(Command::EditSprint { sprint: SprintId(id), edit }, self.after_sprint_edit(label))?;
                id
            }
            None => {
                let label = format!("Added a sprint from {} to {}", fields.start, fields.end);
                let command = Command::AddSprint {
                    quarter: QuarterId(quarter_id),
                    start: fields.start,
                    end: fields.end,
                    capacity: fields.capacity,
                    goal: fields.goal.clone(),
                    no_kr_reason: fields.no_kr_reason.clone(),
                };
                let outcome = self.run_command(command, self.after_sprint_edit(label))?;
                match outcome.created.map(|created| created.object) {
                    Some(Resolved::Sprint(id)) => id.row(),
                    _ => return Ok(()),
                }
            }
        };
        if let Some(index) = self.board.as_ref().and_then(|board| board.sprints.iter().position(|sprint| sprint.id == id)) {
            self.sprint_selected = index;
        }
        Ok(())
    }

    /// What the screen does after a sprint's save: planning's lists too.
    fn after_sprint_edit(&self, label: String) -> FollowUp {
        FollowUp::saying(Refresh::Everything, label).then(Then::RefreshPlanning)
    }

    /// `d` in the timeline: asks, saying where its items go.
    pub(super) fn ask_delete_sprint(&mut self) {
        let Some(sprint) = self.sprint_in_hand() else { return };
        let confirm = Confirm {
            question: format!("Delete Sprint {} ({} to {})?", sprint.number, sprint.start, sprint.end),
            details: format!(
                "Its goal goes; its {} planned points go back to the backlog, unplanned. Later sprints are numbered again. {} brings it back.",
                sprint.load,
                self.key(super::Context::Board, super::Action::Undo)
            ),
            action: Pending::Delete { target: Deletion::Sprint(sprint.id), label: format!("Deleted Sprint {}", sprint.number) },
        };
        self.overlays.push(Overlay::Confirm(confirm));
    }

    pub(super) fn open_quarter_settings(&mut self) {
        if let Some(board) = self.board.as_ref() {
            let form = Form::quarter_settings(&board.quarter);
            self.overlays.push(Overlay::Form(Box::new(form)));
        }
    }

    /// The new-quarter form saved: the quarter with its sprints, all
    /// planned, and its settings.
    pub(super) fn create_quarter(&mut self) -> anyhow::Result<()> {
        let taken = self.store.quarter_labels_except(None)?;
        let parse = |values: &Values| {
            let quarter = super::form::new_quarter(values)?;
            let settings = super::plan_forms::quarter_settings(values)?;
            taken_label_error(&quarter.label, &taken).map_or(Ok((quarter, settings)), |error| Err(vec![error]))
        };
        let Some(((quarter, settings), _)) = self.parse_form(parse) else { return Ok(()) };
        let command = Command::InitQuarter { label: quarter.label.clone(), start: quarter.start, span: quarter.span, settings };
        self.apply_now(&command).map_err(|error| error.into_anyhow().context("creating the quarter"))?;
        self.reload()?;
        self.select_running_sprint();
        // Sprint 1 waits for a person to start it, once the OKRs are written
        // and it is planned: the board asks when it next opens on a day of
        // it, and `s` in the timeline starts it any time.
        let text = if quarter.start <= self.today {
            // What the method still misses before sprint 1 starts (M1: its
            // OKRs; its plan), on the one status line: said shorter where
            // the user's keys' names would not fit, never cut.
            let (plan, start) = (self.key(Context::Board, Action::PlanSprint), self.key(Context::Board, Action::StateForward));
            let label = &quarter.label;
            let room = usize::from(self.size.0).saturating_sub(1);
            let candidates = [
                format!("Created {label}: write the OKRs, plan sprint 1 ({plan}), start it ({start} in timeline)"),
                format!("Created {label}: write OKRs, plan S1 ({plan}), start it ({start} in timeline)"),
                format!("Created {label}: OKRs, plan S1 ({plan}), start ({start}, timeline)"),
                format!("Created {label}: write OKRs, plan S1, start it"),
            ];
            let fits = |text: &&String| unicode_width::UnicodeWidthStr::width(text.as_str()) <= room;
            let shortest = candidates.last().cloned().unwrap_or_default();
            candidates.iter().find(fits).cloned().unwrap_or(shortest)
        } else {
            format!("Created quarter {} with {}", quarter.label, crate::format::count(quarter.span.count, "sprint", "sprints"))
        };
        self.status = Some(super::Status { text, is_error: false });
        Ok(())
    }

    pub(super) fn save_quarter(&mut self, id: Id) -> anyhow::Result<()> {
        let taken = self.store.quarter_labels_except(Some(id))?;
        let parse = |values: &Values| {
            let fields = quarter_fields(values)?;
            taken_label_error(&fields.0, &taken).map_or(Ok(fields), |error| Err(vec![error]))
        };
        let Some(((quarter_label, start, settings), form)) = self.parse_form(parse) else { return Ok(()) };
        let label = format!(
            "Saved the quarter's settings ({quarter_label}, from {start}, check-ins {}, {})",
            settings.cadence.words(),
            settings.overlap.words()
        );
        let edit = QuarterEdit {
            label: form.changed(Field::Label, quarter_label.as_str()).map(str::to_owned),
            start: form.changed(Field::StartDate, start),
            cadence: form.changed(Field::CheckInCadence, settings.cadence),
            overlap: form.changed(Field::OverlapStrategy, settings.overlap),
        };
        self.run_command(Command::EditQuarter { quarter: QuarterId(id), edit }, FollowUp::saying(Refresh::Everything, label))
            .map(drop)
    }

    /// The sprints that focus on KR `id` (the cascade), in a form.
    pub(super) fn open_focus_form(&mut self, id: Id) {
        let Some(board) = self.board.as_ref() else { return };
        if let Some(kr) = board.key_result(id) {
            let form = Form::focus(kr, board);
            self.overlays.push(Overlay::Form(Box::new(form)));
        }
    }

    pub(super) fn save_focus(&mut self, key_result: Id) -> anyhow::Result<()> {
        let Some(((from, to), _)) = self.parse_form(focus_range) else { return Ok(()) };
        let Some(board) = self.board.as_ref() else { return Ok(()) };
        let code = board.key_result(key_result).map(|kr| kr.code.clone()).unwrap_or_default();
        let sprints = board
            .sprints
            .iter()
            .filter(|sprint| (from..=to).contains(&sprint.number))
            .map(|sprint| SprintId(sprint.id))
            .collect();
        let range = if from == to { format!("Sprint {from}") } else { format!("Sprints {from}-{to}") };
        let label = format!("{range} now focus on {code}");
        let command = Command::SetFocus { key_result: KeyResultId(key_result), sprints };
        self.run_command(command, FollowUp::saying(Refresh::Everything, label)).map(drop)
    }

    /// Carries out a confirmed deletion of part of the plan.
    pub(super) fn delete_plan_part(&mut self, target: &Deletion, label: String) -> anyhow::Result<()> {
        let command = match target {
            Deletion::Items(ids) => Command::DeleteItems { items: ids.iter().copied().map(ItemId).collect() },
            Deletion::Objective(id) => Command::Delete { object: Resolved::Objective(ObjectiveId(*id)) },
            Deletion::KeyResult(id) => Command::Delete { object: Resolved::KeyResult(KeyResultId(*id)) },
            Deletion::Sprint(id) => Command::Delete { object: Resolved::Sprint(SprintId(*id)) },
            Deletion::Member(id) => Command::Delete { object: Resolved::Member(MemberId(*id)) },
            Deletion::CheckIn(id) => Command::Delete { object: Resolved::CheckIn(CheckInId(*id)) },
            Deletion::RetroNote(id) => Command::Delete { object: Resolved::RetroNote(RetroNoteId(*id)) },
        };
        // A member's days off and a check-in touch neither the backlog nor
        // the OKR pane's rows.
        if matches!(target, Deletion::Member(_) | Deletion::CheckIn(_)) {
            return self.run_command(command, FollowUp::saying(Refresh::Board, label)).map(drop);
        }
        if matches!(target, Deletion::RetroNote(_)) {
            return self.run_command(command, FollowUp::saying(Refresh::Review, label)).map(drop);
        }
        // Filters on what goes are dropped before the backlog is read again
        // (and come back if nothing was deleted).
        let filter = self.backlog.filter.clone();
        self.drop_filters_on(target);
        let follow = FollowUp::saying(Refresh::Everything, label).then(Then::ClearMarks);
        if let Err(error) = self.run_command(command, follow) {
            self.backlog.filter = filter;
            return Err(error);
        }
        if self.focus == Pane::Okrs && matches!(target, Deletion::Objective(_) | Deletion::KeyResult(_)) {
            self.follow_okr_selection()?;
        }
        Ok(())
    }

    /// A filter on a KR, objective or sprint that is gone would hide the
    /// whole backlog: it goes too, before the one reload that follows.
    fn drop_filters_on(&mut self, target: &Deletion) {
        let Some(board) = self.board.as_ref() else { return };
        let filter = &mut self.backlog.filter;
        let gone_kr = |kr: Id| match target {
            Deletion::KeyResult(id) => kr == *id,
            Deletion::Objective(id) => board.key_result(kr).is_some_and(|kr| kr.objective_id == *id),
            Deletion::Items(_) | Deletion::Sprint(_) | Deletion::Member(_) | Deletion::CheckIn(_) | Deletion::RetroNote(_) => {
                false
            }
        };
        if filter.key_result.is_some_and(gone_kr) {
            filter.key_result = None;
        }
        if matches!(target, Deletion::Objective(id) if filter.objective == Some(*id)) {
            filter.objective = None;
        }
        if matches!(target, Deletion::Sprint(id) if filter.placement == Placement::Sprint(*id)) {
            filter.placement = Placement::Any;
        }
    }
}

/// What a sprint form changed, in words: "Set the goal of Sprint 3".
fn describe_sprint_change(sprint: &crate::domain::Sprint, fields: &crate::store::SprintFields) -> String {
    let number = sprint.number;
    let mut changes = Vec::new();
    if (fields.start, fields.end) != (sprint.start, sprint.end) {
        changes.push(format!("moved Sprint {number} to {} - {}", fields.start, fields.end));
    }
    if fields.capacity.get() != sprint.capacity {
        changes.push(format!(
            "set Sprint {number}'s capacity to {}",
            crate::format::count(fields.capacity.get(), "point", "points")
        ));
    }
    if fields.goal != sprint.goal || fields.no_kr_reason != sprint.no_kr_reason {
        changes.push(format!("set the goal of Sprint {number}"));
    }
    let text = if changes.is_empty() { format!("saved Sprint {number}") } else { changes.join("; ") };
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}
