//! Forms over the board: fields named by what they mean, focus, and a
//! parse into a domain value or field errors. Nothing is written until the
//! parse succeeds; errors show under their field, and the form keeps what
//! was typed.
//!
//! Each form is a constructor (its fields, named by [`Field`]) and a parse
//! function from its [`Values`] to what the store takes, checked by the
//! domain's rules (`domain::validate`): no positional field indices.

use std::borrow::Cow;

use crate::domain::codes;
use chrono::{Datelike, Days, NaiveDate};
use tui_input::Input;

pub use crate::domain::validate::{Field, FieldError, TakenDates};
use crate::{
    domain::{Id, ItemDetail, ItemKind, quarter_label, validate, values},
    store::{NewItem, board::NewQuarter},
};

use crate::domain::values::{MAX_SPRINT_WEEKS, MAX_SPRINTS};
const KINDS: &[&str] = &["story", "bug", "chore", "spike"];

/// What a field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Any text; `required` is the message when it is empty, or `None`.
    Text { required: Option<&'static str> },
    /// A title ([`values::Title`]); `required` is the message when it is empty.
    Title { required: &'static str },
    /// A whole number from `min` to `max` of `what` ("sprints", "points").
    Whole { min: u32, max: u32, what: &'static str },
    /// A date written YYYY-MM-DD.
    Date,
    /// One of a few words.
    Choice(&'static [&'static str]),
    /// Any number, such as 3.5 or -2 (a KR's values); `optional` lets it
    /// be left empty.
    Number { optional: bool },
    /// Days from 0 to `max`, in half days (days off in a sprint).
    Days { max: u32 },
    /// An item's estimate ([`values::Points`]).
    Points,
    /// A KR's confidence ([`values::Confidence`]).
    Confidence,
    /// A member's focus factor ([`values::FocusFactor`]).
    FocusFactor,
    /// A sprint's capacity ([`values::Capacity`]).
    Capacity,
}

/// A valid field's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Whole(u32),
    Date(NaiveDate),
    Number(f64),
    /// Days off in a sprint, checked against its working days.
    Days(values::DaysOff),
    /// An optional field left empty.
    Empty,
}

/// One input of a form.
#[derive(Debug, Clone)]
pub struct FormField {
    /// What the field means; how parse functions and the store find it.
    pub key: Field,
    pub label: Cow<'static, str>,
    pub help: Cow<'static, str>,
    pub kind: FieldKind,
    pub input: Input,
    pub error: Option<String>,
}

/// What the form is for, and so what submitting it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    NewQuarter,
    /// A new backlog item, tagged with the KR the backlog is filtered by.
    AddItem {
        tag: Option<Id>,
    },
    EditItem(Id),
    AddObjective,
    EditObjective(Id),
    AddKeyResult {
        objective: Id,
    },
    EditKeyResult(Id),
    AddSprint,
    /// A sprint's dates, capacity and goal; `serves_kr` says whether the
    /// goal is linked to a KR (M2).
    EditSprint {
        sprint: Id,
        serves_kr: bool,
    },
    QuarterSettings(Id),
    /// A team member: name, focus factor and days off per sprint.
    AddMember,
    EditMember(Id),
    /// The OKR-sprint cascade: a range of sprints focused on this KR.
    Focus {
        key_result: Id,
    },
    /// A new check-in on this KR.
    AddCheckIn {
        key_result: Id,
    },
    /// A correction of one of this KR's check-ins.
    EditCheckIn {
        key_result: Id,
        check_in: Id,
    },
    /// A retro note of `sprint` in `list`: a new one, or `note`.
    RetroNote {
        sprint: Id,
        list: crate::domain::retro::RetroList,
        note: Option<Id>,
    },
    /// A KR's score at the quarter's close (kept on the quarter screen).
    QuarterScore {
        key_result: Id,
    },
    /// An objective's closing note, or (`None`) the quarter retro's note.
    QuarterNote {
        objective: Option<Id>,
    },
}

#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    /// What Enter does, for the form's key line ("creates the quarter").
    pub submit: &'static str,
    pub purpose: Purpose,
    pub fields: Vec<FormField>,
    pub focused: usize,
    /// For sprint forms: the other sprints' dates.
    pub taken: Vec<TakenDates>,
    /// Each field's text as the form opened (or as the file last had it):
    /// a save writes only the fields whose text differs, so a field the
    /// user left alone never overwrites another window's change.
    pub opened_with: Vec<String>,
    /// One line over the fields: the row changed in another window, or
    /// what a second Esc would do.
    pub notice: Option<String>,
    /// Esc was pressed once over typed changes: a second one discards them.
    pub discard_armed: bool,
    /// A sprint form's KRs were chosen (and written, as a step of their
    /// own) from inside it: cancelling the form leaves them.
    pub krs_written: bool,
}

pub(super) fn field(
    key: Field,
    label: impl Into<Cow<'static, str>>,
    help: impl Into<Cow<'static, str>>,
    kind: FieldKind,
    value: String,
) -> FormField {
    FormField { key, label: label.into(), help: help.into(), kind, input: Input::new(value), error: None }
}

/// The values of a form whose every field is well formed, by field.
#[derive(Debug, Clone, Default)]
pub struct Values(Vec<(Field, Value)>);

impl Values {
    fn get(&self, key: Field) -> Option<&Value> {
        self.0.iter().find(|(field, _)| *field == key).map(|(_, value)| value)
    }

    /// A text field's value. A parse function reads only the fields its
    /// constructor made, so a missing one is empty.
    pub fn text(&self, key: Field) -> String {
        match self.get(key) {
            Some(Value::Text(text)) => text.clone(),
            _ => String::new(),
        }
    }

    pub fn whole(&self, key: Field) -> u32 {
        match self.get(key) {
            Some(Value::Whole(value)) => *value,
            _ => 0,
        }
    }

    /// A number field's value; `None` when an optional one is empty.
    pub fn number(&self, key: Field) -> Option<f64> {
        match self.get(key) {
            Some(Value::Number(value)) => Some(*value),
            _ => None,
        }
    }

    pub fn date(&self, key: Field) -> Option<NaiveDate> {
        match self.get(key) {
            Some(Value::Date(date)) => Some(*date),
            _ => None,
        }
    }

    /// The fields of one kind, such as every `DaysOff(sprint)`, in order.
    pub fn all(&self) -> impl Iterator<Item = (Field, &Value)> {
        self.0.iter().map(|(field, value)| (*field, value))
    }
}

impl Form {
    /// A form with focus on its first field.
    pub(super) fn new(title: String, submit: &'static str, purpose: Purpose, fields: Vec<FormField>) -> Self {
        let opened_with = fields.iter().map(|field| field.input.value().to_owned()).collect();
        Self {
            title,
            submit,
            purpose,
            fields,
            focused: 0,
            taken: Vec::new(),
            opened_with,
            notice: None,
            discard_armed: false,
            krs_written: false,
        }
    }

    fn index(&self, key: Field) -> Option<usize> {
        self.fields.iter().position(|field| field.key == key)
    }

    /// The text typed in field `key` now.
    pub fn text(&self, key: Field) -> &str {
        self.index(key).map_or("", |index| self.fields[index].input.value())
    }

    /// Whether the user changed field `key` since the form opened.
    pub fn touched(&self, key: Field) -> bool {
        self.index(key).is_some_and(|index| self.touched_at(index))
    }

    fn touched_at(&self, index: usize) -> bool {
        self.fields.get(index).is_some_and(|field| self.opened_with.get(index).is_none_or(|opened| field.input.value() != opened))
    }

    /// Whether the user changed any field.
    pub fn is_touched(&self) -> bool {
        (0..self.fields.len()).any(|index| self.touched_at(index))
    }

    /// `value` when the user changed field `key`, else `None`: what a save
    /// writes.
    pub fn changed<T>(&self, key: Field, value: T) -> Option<T> {
        self.touched(key).then_some(value)
    }

    /// Takes in the row as another window left it (`fresh`, the same form
    /// built from the file): fields the user left alone show the new text,
    /// fields the user changed keep the user's text. Says which fields
    /// changed underneath, naming those that clash with the user's edits.
    pub fn rebase(&mut self, fresh: &Form) {
        let mut followed = Vec::new();
        let mut clashed = Vec::new();
        for (index, field) in self.fields.iter_mut().enumerate() {
            let now = fresh.fields.iter().find(|now| now.key == field.key);
            let (Some(opened), Some(now)) = (self.opened_with.get_mut(index), now) else { continue };
            let now = now.input.value();
            if now == opened {
                continue;
            }
            if field.input.value() == opened {
                field.input = Input::new(now.to_owned());
                followed.push(field.label.to_string());
            } else {
                clashed.push(format!("{} (now {})", field.label, if now.is_empty() { "empty" } else { now }));
            }
            now.clone_into(opened);
        }
        self.taken.clone_from(&fresh.taken);
        // A sprint's form knows whether its goal serves a KR (M2).
        self.purpose = fresh.purpose;
        self.notice = match (clashed.is_empty(), followed.is_empty()) {
            (true, true) => return,
            (false, _) => {
                // `{save}`: the form's save key, named when it is drawn.
                Some(format!("Changed elsewhere: {}. Your edits are kept; {{save}} saves them over it", clashed.join(", ")))
            }
            (true, false) => Some(format!("Changed elsewhere, and updated here: {}", followed.join(", "))),
        };
    }

    /// A quarter starting next Monday, with six two-week sprints.
    pub fn new_quarter(today: NaiveDate) -> Self {
        let days_to_monday = (7 - today.weekday().num_days_from_monday()) % 7;
        let start = today + Days::new(u64::from(days_to_monday));
        Self::new(
            "New quarter".into(),
            "creates the quarter",
            Purpose::NewQuarter,
            vec![
                field(
                    Field::Label,
                    "Label",
                    "such as 2027-Q1",
                    FieldKind::Text { required: Some("Give the quarter a label, such as 2027-Q1") },
                    quarter_label(start),
                ),
                field(
                    Field::StartDate,
                    "Start date",
                    "YYYY-MM-DD, the first day of sprint 1",
                    FieldKind::Date,
                    start.to_string(),
                ),
                field(
                    Field::SprintCount,
                    "Number of sprints",
                    "6 by default; 4-5 for three-week sprints",
                    FieldKind::Whole { min: 1, max: MAX_SPRINTS, what: "sprints" },
                    "6".into(),
                ),
                field(
                    Field::SprintWeeks,
                    "Sprint length in weeks",
                    "1 to 4",
                    FieldKind::Whole { min: 1, max: MAX_SPRINT_WEEKS, what: "weeks" },
                    "2".into(),
                ),
            ]
            .into_iter()
            .chain(super::plan_forms::settings_fields(crate::domain::settings::QuarterSettings::default()))
            .collect(),
        )
    }

    fn item_fields(title: &str, points: u32, kind: ItemKind, description: &str, deferred_reason: &str) -> Vec<FormField> {
        vec![
            field(
                Field::Title,
                "Title",
                "what the item delivers",
                FieldKind::Title { required: "Give the item a title" },
                title.to_owned(),
            ),
            field(Field::Points, "Points", "the estimate, 0 to 100", FieldKind::Points, points.to_string()),
            field(Field::Kind, "Kind", "story, bug, chore or spike", FieldKind::Choice(KINDS), kind.as_str().to_owned()),
            field(
                Field::Description,
                "Description",
                "one line here; optional",
                FieldKind::Text { required: None },
                description.to_owned(),
            ),
            field(
                Field::DeferredReason,
                "Deferred",
                "because...: why a BAU item waits, for the review; optional",
                FieldKind::Text { required: None },
                deferred_reason.to_owned(),
            ),
        ]
    }

    pub fn add_item(tag: Option<(Id, &str)>) -> Self {
        let title = match tag {
            Some((_, code)) => format!("New backlog item (tagged {code})"),
            None => "New backlog item".into(),
        };
        Self::new(
            title,
            "adds it to the bottom of the backlog",
            Purpose::AddItem { tag: tag.map(|(id, _)| id) },
            Self::item_fields("", 0, ItemKind::Story, "", ""),
        )
    }

    pub fn edit_item(item: &ItemDetail) -> Self {
        let row = &item.row;
        Self::new(
            format!("Edit item {}", codes::item(row.id)),
            "saves",
            Purpose::EditItem(row.id),
            Self::item_fields(&row.title, row.points, row.kind, &item.description, &item.deferred_reason),
        )
    }

    /// Puts the focus on field `key`.
    pub fn focus_on(&mut self, key: Field) {
        if let Some(index) = self.index(key) {
            self.focused = index;
        }
    }

    pub fn focus_next(&mut self) {
        self.focused = (self.focused + 1) % self.fields.len();
    }

    pub fn focus_previous(&mut self) {
        self.focused = (self.focused + self.fields.len() - 1) % self.fields.len();
    }

    pub fn focused_input(&mut self) -> &mut Input {
        &mut self.fields[self.focused].input
    }

    /// In a field of a few words (a kind, a cadence), the next word after
    /// the one typed, from the first again after the last: a space is
    /// never part of one, so `Space` there steps instead of typing. Returns
    /// whether the focused field is such a field.
    pub fn cycle_choice(&mut self) -> bool {
        let Some(field) = self.fields.get_mut(self.focused) else { return false };
        let FieldKind::Choice(words) = field.kind else { return false };
        let typed = field.input.value().trim().to_lowercase();
        let next = words.iter().position(|word| *word == typed).map_or(0, |at| (at + 1) % words.len());
        field.input = Input::new(words[next].to_owned());
        field.error = None;
        true
    }

    /// The focused field was edited: its error, about the text it had, goes.
    pub fn clear_focused_error(&mut self) {
        if let Some(field) = self.fields.get_mut(self.focused) {
            field.error = None;
        }
    }

    /// Checks every field, then `parse` turns the values into what the
    /// form is for, checked by the domain's rules. Errors land beside their
    /// fields (focus goes to the first bad one); the value comes back when
    /// there is none.
    pub fn parse<T>(&mut self, parse: impl FnOnce(&Values) -> Result<T, Vec<FieldError>>) -> Option<T> {
        let mut values = Values::default();
        let mut errors = Vec::new();
        for field in &self.fields {
            match check(field.kind, &field.label, field.input.value()) {
                Ok(value) => values.0.push((field.key, value)),
                Err(message) => errors.push(FieldError { field: field.key, message }),
            }
        }
        let parsed = if errors.is_empty() { parse(&values).map_err(|domain| errors = domain).ok() } else { None };
        for field in &mut self.fields {
            field.error = errors.iter().find(|error| error.field == field.key).map(|error| error.message.clone());
        }
        if let Some(first_bad) = self.fields.iter().position(|field| field.error.is_some()) {
            self.focused = first_bad;
        }
        parsed
    }
}

/// A field's text as its kind's value, or what is wrong with it in words
/// (`domain::validate` parses; `label` names the field in a message).
fn check(kind: FieldKind, label: &str, text: &str) -> Result<Value, String> {
    let text = text.trim();
    match kind {
        FieldKind::Text { required: Some(message) } if text.is_empty() => Err(message.to_owned()),
        FieldKind::Text { .. } => Ok(Value::Text(text.to_owned())),
        FieldKind::Title { required } if text.is_empty() => Err(required.to_owned()),
        FieldKind::Title { .. } => values::Title::parse(text).map(|title| Value::Text(title.into_string())).map_err(message),
        FieldKind::Whole { min, max, what } => validate::whole(text, min, max, what, label).map(Value::Whole),
        // An emptied field means none.
        // The field names the sprint; the message does not need it.
        FieldKind::Days { max } => values::DaysOff::parse(text, max, 0).map(Value::Days).map_err(message),
        FieldKind::Points => values::Points::parse(text).map(|points| Value::Whole(points.get())).map_err(message),
        FieldKind::Confidence => {
            values::Confidence::parse(text).map(|share| Value::Whole(u32::from(share.get()))).map_err(message)
        }
        FieldKind::FocusFactor => {
            values::FocusFactor::parse(text).map(|share| Value::Whole(u32::from(share.get()))).map_err(message)
        }
        FieldKind::Capacity => values::Capacity::parse(text).map(|points| Value::Whole(points.get())).map_err(message),
        FieldKind::Number { optional: true } if text.is_empty() => Ok(Value::Empty),
        FieldKind::Number { .. } => validate::number(text).map(Value::Number),
        FieldKind::Date => validate::date(text).map(Value::Date),
        FieldKind::Choice(words) => {
            let lower = text.to_lowercase();
            match words.iter().find(|word| **word == lower) {
                Some(word) => Ok(Value::Text((*word).to_owned())),
                None => Err(format!("\"{text}\" is not one of: {}", words.join(", "))),
            }
        }
    }
}

fn message(error: FieldError) -> String {
    error.message
}

/// The new quarter a new-quarter form describes.
pub fn new_quarter(values: &Values) -> Result<NewQuarter, Vec<FieldError>> {
    let start = values.date(Field::StartDate).ok_or_else(|| vec![FieldError::new(Field::StartDate, "Give a start date")])?;
    let span = values::SprintSpan::new(values.whole(Field::SprintCount), values.whole(Field::SprintWeeks))
        .map_err(|error| vec![error])?;
    Ok(NewQuarter { label: values.text(Field::Label), start, span })
}

/// The item an item form describes.
pub fn new_item(values: &Values) -> Result<NewItem, Vec<FieldError>> {
    let kind = ItemKind::parse(&values.text(Field::Kind))
        .ok_or_else(|| vec![FieldError::new(Field::Kind, format!("One of: {}", KINDS.join(", ")))])?;
    // The form checked each field as typed; the same parses make the types.
    let title = values::Title::parse(&values.text(Field::Title));
    let points = values::Points::new(values.whole(Field::Points));
    let (title, points) = match (title, points) {
        (Ok(title), Ok(points)) => (title, points),
        (title, points) => return Err(title.err().into_iter().chain(points.err()).collect()),
    };
    Ok(NewItem {
        title,
        points,
        kind,
        description: values.text(Field::Description),
        deferred_reason: values.text(Field::DeferredReason),
    })
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;
