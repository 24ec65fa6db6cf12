//! KR check-ins from the board: `i` on a KR (the OKR pane, a KR's details,
//! and the sprint review) records one in a typed form; in a KR's details a
//! selected check-in is edited (`e`) or deleted (`d`, asked first). Each is
//! one undo step: history is corrected openly, never silently replaced.

use chrono::NaiveDate;

use super::{
    App, Confirm, Context, Overlay, Pending, Step,
    commands::{FollowUp, Then},
    detail::{Deletion, Detail},
    edits::Refresh,
    form::{Field, FieldError, FieldKind, Form, Purpose, Values, field},
};
use crate::{
    domain::{
        CheckIn, Id, KeyResult,
        check_ins::newest_first,
        ids::{CheckInId, KeyResultId},
        review, validate,
        values::Confidence,
    },
    format::number,
    ops,
    store::CheckInFields,
};

impl Form {
    /// A new check-in on `kr` dated `today`, starting from its current
    /// reading; or `existing` to correct.
    pub fn check_in(kr: &KeyResult, existing: Option<&CheckIn>, today: NaiveDate) -> Self {
        let (date, value, confidence, note) = match existing {
            Some(check_in) => (check_in.date, check_in.value, check_in.confidence, check_in.note.as_str()),
            None => (today, kr.current, kr.confidence, ""),
        };
        let fields = vec![
            field(
                Field::CheckInDate,
                "Date",
                "YYYY-MM-DD: the day of the reading, today or before",
                FieldKind::Date,
                date.to_string(),
            ),
            field(
                Field::Value,
                format!("Value ({})", kr.unit),
                format!("the reading now; start {}, target {}", number(kr.start), number(kr.target)),
                FieldKind::Number { optional: false },
                number(value),
            ),
            field(
                Field::Confidence,
                "Confidence",
                "0 to 100 %: how likely the target is reached",
                FieldKind::Confidence,
                confidence.to_string(),
            ),
            field(
                Field::Note,
                "Note",
                "what moved it, in a few words; optional",
                FieldKind::Text { required: None },
                note.to_owned(),
            ),
        ];
        match existing {
            Some(check_in) => Form::new(
                format!("Edit {}'s check-in of {}", kr.code, check_in.date),
                "saves",
                Purpose::EditCheckIn { key_result: kr.id, check_in: check_in.id },
                fields,
            ),
            None => {
                let mut form = Form::new(
                    format!("Check-in on {}", kr.code),
                    "records it",
                    Purpose::AddCheckIn { key_result: kr.id },
                    fields,
                );
                // The reading is what changes; the date is usually today.
                form.focus_on(Field::Value);
                form
            }
        }
    }
}

impl Form {
    /// Dates a new check-in `day`, the last day the review of sprint
    /// `number` reads (an ended sprint's last day), and says so under it.
    fn date_from_review(&mut self, day: NaiveDate, number: u32) {
        if let Some(date) = self.fields.iter_mut().find(|field| field.key == Field::CheckInDate) {
            date.input = tui_input::Input::new(day.to_string());
            date.help = format!("Sprint {number}'s review reads KRs up to this day; any day up to today").into();
        }
        // Said over the fields too: the focus is on the value, not the date.
        self.notice = Some(format!("Dated {}: Sprint {number}'s review reads up to that day", day.format("%b %-d")));
        // The date is the form's own default, not a change the user typed.
        self.opened_with = self.fields.iter().map(|field| field.input.value().to_owned()).collect();
    }
}

/// The check-in a check-in form describes: a reading taken `today` or
/// before, with a short note.
pub fn check_in_fields(values: &Values, today: NaiveDate) -> Result<CheckInFields, Vec<FieldError>> {
    let date = values.date(Field::CheckInDate).unwrap_or(today);
    let note = values.text(Field::Note);
    let confidence = Confidence::new(values.whole(Field::Confidence));
    let errors: Vec<FieldError> =
        validate::check_in(date, today, &note).into_iter().chain(confidence.as_ref().err().cloned()).collect();
    let (Ok(confidence), true) = (confidence, errors.is_empty()) else { return Err(errors) };
    Ok(CheckInFields { date, value: values.number(Field::Value).unwrap_or_default(), confidence, note })
}

/// A reading with its unit, for the status line and the history's labels.
fn with_unit(value: f64, unit: &str) -> String {
    if unit.is_empty() { number(value) } else { format!("{} {unit}", number(value)) }
}

impl App {
    /// The check-in form for KR `key_result` over whatever is open (the
    /// OKR pane, a KR's details, the sprint review). Saving it records one
    /// check-in as one undo step, and every open screen shows it.
    pub fn open_check_in_form(&mut self, key_result: Id) {
        let Some(kr) = self.board.as_ref().and_then(|board| board.key_result(key_result)) else { return };
        let mut form = Form::check_in(kr, None, self.today);
        // From a sprint's review the reading is dated the last day the
        // review judges (an ended sprint's last day), so the review it was
        // entered in moves; the date stays editable.
        if let Some(sprint) = self.review().and_then(|review| self.board.as_ref()?.sprint(review.sprint_id)) {
            let day = review::judged_until(sprint, self.today);
            if day != self.today {
                form.date_from_review(day, sprint.number);
            }
        }
        self.overlays.push(Overlay::Form(Box::new(form)));
    }

    /// The KR whose details are on top, with the check-in selected there
    /// (newest first).
    fn selected_check_in(&self) -> Option<(&KeyResult, &CheckIn)> {
        let Some(Overlay::Detail { detail: Detail::KeyResult { id, selected, .. }, .. }) = self.overlays.last() else {
            return None;
        };
        let kr = self.board.as_ref()?.key_result(*id)?;
        let ordered = newest_first(&kr.check_ins);
        // A delete or an undo may have left the index past the end.
        let check_in = ordered.get((*selected).min(ordered.len().saturating_sub(1)))?;
        Some((kr, *check_in))
    }

    pub(super) fn move_in_check_ins(&mut self, step: Step) {
        let count = match self.overlays.last() {
            Some(Overlay::Detail { detail: Detail::KeyResult { id, .. }, .. }) => {
                self.board.as_ref().and_then(|board| board.key_result(*id)).map_or(0, |kr| kr.check_ins.len())
            }
            _ => return,
        };
        if let Some(Overlay::Detail { detail: Detail::KeyResult { selected, .. }, .. }) = self.overlays.last_mut() {
            *selected = step.apply(*selected, count, 5);
        }
    }

    /// `e` in a KR's details: corrects the selected check-in.
    pub(super) fn open_edit_check_in(&mut self) {
        match self.selected_check_in() {
            Some((kr, check_in)) => {
                let form = Form::check_in(kr, Some(check_in), self.today);
                self.overlays.push(Overlay::Form(Box::new(form)));
            }
            None => self.say(self.no_check_in_yet()),
        }
    }

    /// `d` in a KR's details: asks, naming the check-in, before it goes.
    pub(super) fn ask_delete_check_in(&mut self) {
        let Some((kr, check_in)) = self.selected_check_in() else {
            self.say(self.no_check_in_yet());
            return;
        };
        let reading = with_unit(check_in.value, &kr.unit);
        let name = format!("{}'s check-in of {} ({reading})", kr.code, check_in.date);
        let confirm = Confirm {
            question: format!("Delete {name}?"),
            details: format!(
                "The KR's current value becomes its latest check-in left, or its start. {} brings it back.",
                self.key(super::Context::KeyResult, super::Action::Undo)
            ),
            action: Pending::Delete { target: Deletion::CheckIn(check_in.id), label: format!("Deleted {name}") },
        };
        self.overlays.push(Overlay::Confirm(confirm));
    }

    fn no_check_in_yet(&self) -> String {
        let key = self.keymap.keys_label(Context::KeyResult, super::Action::CheckIn).unwrap_or_else(|| "-".to_owned());
        format!("No check-in to select yet: {key} records one")
    }

    pub(super) fn save_check_in(&mut self, key_result: Id, editing: Option<Id>) -> anyhow::Result<()> {
        let today = self.today;
        let Some((fields, form)) = self.parse_form(|values| check_in_fields(values, today)) else { return Ok(()) };
        let Some(kr) = self.board.as_ref().and_then(|board| board.key_result(key_result)) else { return Ok(()) };
        let reading = with_unit(fields.value, &kr.unit);
        let code = kr.code.clone();
        match editing {
            Some(id) => {
                let label = format!("Corrected {code}'s check-in of {}: {reading}", fields.date);
                let edit = ops::CheckInEdit {
                    date: form.changed(Field::CheckInDate, fields.date),
                    value: form.changed(Field::Value, fields.value),
                    confidence: form.changed(Field::Confidence, fields.confidence),
                    note: form.changed(Field::Note, fields.note.clone()),
                };
                let command = ops::Command::EditCheckIn { check_in: CheckInId(id), edit };
                self.run_command(command, FollowUp::saying(Refresh::Board, label).with_advice()).map(drop)
            }
            None => {
                let label = format!("Checked in {code} at {reading} on {}", fields.date);
                let command = ops::Command::CheckIn {
                    key_result: KeyResultId(key_result),
                    value: fields.value,
                    confidence: Some(fields.confidence),
                    note: fields.note.clone(),
                    date: fields.date,
                };
                // The method's advice on it (a confidence that dropped), after what was done.
                let follow = FollowUp::saying(Refresh::Board, label).with_advice().then(Then::SelectNewestCheckIn);
                self.run_command(command, follow).map(drop)
            }
        }
    }

    /// A new check-in shows at the top of an open KR's list: select it.
    pub(super) fn select_check_in_newest(&mut self) {
        if let Some(Overlay::Detail { detail: Detail::KeyResult { selected, .. }, .. }) = self.overlays.last_mut() {
            *selected = 0;
        }
    }
}
