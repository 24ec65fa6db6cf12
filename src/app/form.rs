//! Forms over the board: a list of typed fields, focus, and validation.
//! Nothing is written until every field is valid; errors show under their
//! field, and the form keeps what was typed.

use std::borrow::Cow;

use chrono::{Datelike, Days, NaiveDate};
use tui_input::Input;

use crate::{
    domain::{Id, ItemDetail, ItemKind, quarter_label},
    store::{NewItem, board::NewQuarter},
};

/// The most sprints a quarter may have: weekly sprints for 13 weeks.
const MAX_SPRINTS: u32 = 13;
const MAX_SPRINT_WEEKS: u32 = 4;
/// Bigger estimates mean the item should be split.
const MAX_POINTS: u32 = 100;
const KINDS: &[&str] = &["story", "bug", "chore", "spike"];

/// The item form's fields, in order.
pub const ITEM_TITLE: usize = 0;
pub const ITEM_POINTS: usize = 1;
pub const ITEM_KIND: usize = 2;
pub const ITEM_DESCRIPTION: usize = 3;

/// What a field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Any text; `required` is the message when it is empty, or `None`.
    Text { required: Option<&'static str> },
    /// A whole number from `min` to `max` of `what` ("sprints", "points").
    Whole { min: u32, max: u32, what: &'static str },
    /// A date written YYYY-MM-DD.
    Date,
    /// One of a few words.
    Choice(&'static [&'static str]),
    /// Any number, such as 3.5 or -2 (a KR's values).
    Number,
    /// Days from 0 to `max`, in half days (days off in a sprint).
    Days { max: u32 },
}

/// A valid field's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Whole(u32),
    Date(NaiveDate),
    Number(f64),
}

#[derive(Debug, Clone)]
pub struct Field {
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
}

/// Another sprint's number and dates, which a sprint form must not overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TakenDates {
    pub number: u32,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    /// What Enter does, for the form's key line ("creates the quarter").
    pub submit: &'static str,
    pub purpose: Purpose,
    pub fields: Vec<Field>,
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
}

pub(super) fn field(
    label: impl Into<Cow<'static, str>>,
    help: impl Into<Cow<'static, str>>,
    kind: FieldKind,
    value: String,
) -> Field {
    Field { label: label.into(), help: help.into(), kind, input: Input::new(value), error: None }
}

impl Form {
    /// A form with focus on its first field.
    pub(super) fn new(title: String, submit: &'static str, purpose: Purpose, fields: Vec<Field>) -> Self {
        let opened_with = fields.iter().map(|field| field.input.value().to_owned()).collect();
        Self { title, submit, purpose, fields, focused: 0, taken: Vec::new(), opened_with, notice: None, discard_armed: false }
    }

    /// Whether the user changed field `index` since the form opened.
    pub fn touched(&self, index: usize) -> bool {
        self.fields.get(index).is_some_and(|field| self.opened_with.get(index).is_none_or(|opened| field.input.value() != opened))
    }

    /// Whether the user changed any field.
    pub fn is_touched(&self) -> bool {
        (0..self.fields.len()).any(|index| self.touched(index))
    }

    /// `value` when the user changed field `index`, else `None`: what a
    /// save writes.
    pub fn changed<T>(&self, index: usize, value: T) -> Option<T> {
        self.touched(index).then_some(value)
    }

    /// Takes in the row as another window left it (`fresh`, the same form
    /// built from the file): fields the user left alone show the new text,
    /// fields the user changed keep the user's text. Says which fields
    /// changed underneath, naming those that clash with the user's edits.
    pub fn rebase(&mut self, fresh: &Form) {
        let mut followed = Vec::new();
        let mut clashed = Vec::new();
        for (index, field) in self.fields.iter_mut().enumerate() {
            let (Some(opened), Some(now)) = (self.opened_with.get_mut(index), fresh.fields.get(index)) else { continue };
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
                Some(format!("Changed in another window: {}. Your edits are kept; enter saves them over it", clashed.join(", ")))
            }
            (true, false) => Some(format!("Changed in another window, and updated here: {}", followed.join(", "))),
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
                    "Label",
                    "such as 2027-Q1",
                    FieldKind::Text { required: Some("Give the quarter a label, such as 2027-Q1") },
                    quarter_label(start),
                ),
                field("Start date", "YYYY-MM-DD, the first day of sprint 1", FieldKind::Date, start.to_string()),
                field(
                    "Number of sprints",
                    "6 by default; 4-5 for three-week sprints",
                    FieldKind::Whole { min: 1, max: MAX_SPRINTS, what: "sprints" },
                    "6".into(),
                ),
                field(
                    "Sprint length in weeks",
                    "1 to 4",
                    FieldKind::Whole { min: 1, max: MAX_SPRINT_WEEKS, what: "weeks" },
                    "2".into(),
                ),
            ],
        )
    }

    fn item_fields(title: &str, points: u32, kind: ItemKind, description: &str) -> Vec<Field> {
        vec![
            field(
                "Title",
                "what the item delivers",
                FieldKind::Text { required: Some("Give the item a title") },
                title.to_owned(),
            ),
            field(
                "Points",
                "the estimate, 0 to 100",
                FieldKind::Whole { min: 0, max: MAX_POINTS, what: "points" },
                points.to_string(),
            ),
            field("Kind", "story, bug, chore or spike", FieldKind::Choice(KINDS), kind.as_str().to_owned()),
            field("Description", "one line here; optional", FieldKind::Text { required: None }, description.to_owned()),
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
            Self::item_fields("", 0, ItemKind::Story, ""),
        )
    }

    pub fn edit_item(item: &ItemDetail) -> Self {
        let row = &item.row;
        Self::new(
            format!("Edit item #{}", row.id),
            "saves",
            Purpose::EditItem(row.id),
            Self::item_fields(&row.title, row.points, row.kind, &item.description),
        )
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

    /// Checks every field, records the errors beside them (focus goes to the
    /// first bad one), and returns the values when all are valid.
    pub fn validate(&mut self) -> Option<Vec<Value>> {
        let mut results: Vec<Result<Value, String>> =
            self.fields.iter().map(|field| check(field.kind, field.input.value())).collect();
        super::plan_forms::check_across_fields(self, &mut results);
        for (field, result) in self.fields.iter_mut().zip(&results) {
            field.error = result.as_ref().err().cloned();
        }
        if let Some(first_bad) = self.fields.iter().position(|field| field.error.is_some()) {
            self.focused = first_bad;
            return None;
        }
        results.into_iter().collect::<Result<_, _>>().ok()
    }
}

fn check(kind: FieldKind, text: &str) -> Result<Value, String> {
    let text = text.trim();
    match kind {
        FieldKind::Text { required: Some(message) } if text.is_empty() => Err(message.to_owned()),
        FieldKind::Text { .. } => Ok(Value::Text(text.to_owned())),
        FieldKind::Whole { min, max, what } => match text.parse::<u32>() {
            Ok(value) if (min..=max).contains(&value) => Ok(Value::Whole(value)),
            Ok(_) => Err(format!("Between {min} and {max} {what}")),
            Err(_) => Err(format!("\"{text}\" is not a whole number: between {min} and {max} {what}")),
        },
        // An emptied field means none.
        FieldKind::Days { .. } if text.is_empty() => Ok(Value::Number(0.0)),
        FieldKind::Days { max } => match text.parse::<f64>() {
            Ok(days) if (0.0..=f64::from(max)).contains(&days) && (days * 2.0).fract() == 0.0 => Ok(Value::Number(days)),
            Ok(days) if (0.0..=f64::from(max)).contains(&days) => {
                Err(format!("{days} days: use whole or half days, like 2 or 1.5"))
            }
            _ => Err(format!("\"{text}\" is not 0 to {max} days (the sprint's working days)")),
        },
        FieldKind::Number => match text.parse::<f64>() {
            Ok(value) if value.is_finite() => Ok(Value::Number(value)),
            _ => Err(format!("\"{text}\" is not a number: write it like 12 or 3.5")),
        },
        FieldKind::Date => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Value::Date)
            .map_err(|_| format!("\"{text}\" is not a date: write it as YYYY-MM-DD")),
        FieldKind::Choice(words) => {
            let lower = text.to_lowercase();
            match words.iter().find(|word| **word == lower) {
                Some(word) => Ok(Value::Text((*word).to_owned())),
                None => Err(format!("\"{text}\" is not one of: {}", words.join(", "))),
            }
        }
    }
}

/// The new quarter a valid new-quarter form describes.
pub fn new_quarter(values: &[Value]) -> Option<NewQuarter> {
    match values {
        [Value::Text(label), Value::Date(start), Value::Whole(count), Value::Whole(weeks)] => {
            Some(NewQuarter { label: label.clone(), start: *start, sprint_weeks: vec![*weeks; *count as usize] })
        }
        _ => None,
    }
}

/// The item a valid item form describes.
pub fn new_item(values: &[Value]) -> Option<NewItem> {
    match values {
        [Value::Text(title), Value::Whole(points), Value::Text(kind), Value::Text(description)] => Some(NewItem {
            title: title.clone(),
            points: *points,
            kind: ItemKind::parse(kind)?,
            description: description.clone(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LABEL: usize = 0;
    const START: usize = 1;
    const SPRINTS: usize = 2;
    const WEEKS: usize = 3;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    fn set(form: &mut Form, index: usize, value: &str) {
        form.fields[index].input = Input::new(value.to_owned());
    }

    #[test]
    fn defaults_are_valid_and_start_next_monday() {
        let mut form = Form::new_quarter(date("2026-11-25"));
        let quarter = form.validate().as_deref().and_then(new_quarter).expect("defaults valid");
        assert_eq!(quarter.start, date("2026-11-30"));
        assert_eq!(quarter.label, "2026-Q4");
        assert_eq!(quarter.sprint_weeks, vec![2; 6]);
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let mut form = Form::new_quarter(date("2026-11-25"));
        set(&mut form, LABEL, "  ");
        set(&mut form, START, "2027-02-30");
        set(&mut form, SPRINTS, "0");
        set(&mut form, WEEKS, "two");
        assert_eq!(form.validate(), None);
        assert!(form.fields[LABEL].error.as_deref().is_some_and(|e| e.contains("label")));
        assert!(form.fields[START].error.as_deref().is_some_and(|e| e.contains("2027-02-30")));
        assert!(form.fields[SPRINTS].error.as_deref().is_some_and(|e| e.contains("Between 1")));
        assert!(form.fields[WEEKS].error.as_deref().is_some_and(|e| e.contains("\"two\"")));
        assert_eq!(form.focused, LABEL, "focus goes to the first bad field");
        assert_eq!(form.fields[START].input.value(), "2027-02-30", "what was typed stays");
    }

    #[test]
    fn fixing_a_field_clears_its_error() {
        let mut form = Form::new_quarter(date("2026-11-25"));
        set(&mut form, SPRINTS, "0");
        assert_eq!(form.validate(), None);
        set(&mut form, SPRINTS, "4");
        set(&mut form, WEEKS, "3");
        let quarter = form.validate().as_deref().and_then(new_quarter).expect("valid now");
        assert_eq!(quarter.sprint_weeks, vec![3; 4]);
        assert!(form.fields.iter().all(|field| field.error.is_none()));
    }

    #[test]
    fn item_fields_check_title_points_and_kind() {
        let mut form = Form::add_item(None);
        set(&mut form, 1, "3.5");
        set(&mut form, 2, "epic");
        assert_eq!(form.validate(), None);
        assert_eq!(form.fields[0].error.as_deref(), Some("Give the item a title"));
        assert!(form.fields[1].error.as_deref().is_some_and(|e| e.contains("\"3.5\" is not a whole number")));
        assert!(form.fields[2].error.as_deref().is_some_and(|e| e.contains("story, bug, chore, spike")));
        set(&mut form, 0, "Export orders");
        set(&mut form, 1, "5");
        set(&mut form, 2, "Bug");
        let item = form.validate().as_deref().and_then(new_item).expect("valid");
        assert_eq!((item.title.as_str(), item.points, item.kind), ("Export orders", 5, ItemKind::Bug));
    }
}
