//! The new-quarter form: fields, focus and validation. Nothing is written
//! until every field is valid; errors show under their field and the form
//! keeps what was typed.

use chrono::{Datelike, Days, NaiveDate};
use tui_input::Input;

use crate::{domain::quarter_label, store::board::NewQuarter};

/// The most sprints a quarter may have: weekly sprints for 13 weeks.
const MAX_SPRINTS: u32 = 13;
const MAX_SPRINT_WEEKS: u32 = 4;

#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub help: &'static str,
    pub input: Input,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct QuarterForm {
    pub fields: [Field; 4],
    pub focused: usize,
}

const LABEL: usize = 0;
const START: usize = 1;
const SPRINTS: usize = 2;
const WEEKS: usize = 3;

impl QuarterForm {
    /// A form filled with sensible defaults: the quarter starting next Monday.
    pub fn new(today: NaiveDate) -> Self {
        let days_to_monday = (7 - today.weekday().num_days_from_monday()) % 7;
        let start = today + Days::new(u64::from(days_to_monday));
        let field = |label, help, value: String| Field { label, help, input: Input::new(value), error: None };
        Self {
            fields: [
                field("Label", "such as 2027-Q1", quarter_label(start)),
                field("Start date", "YYYY-MM-DD, the first day of sprint 1", start.to_string()),
                field("Number of sprints", "6 by default; 4-5 for three-week sprints", "6".into()),
                field("Sprint length in weeks", "1 to 4", "2".into()),
            ],
            focused: 0,
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

    /// Checks every field, records the errors beside them, and returns the
    /// quarter to create when all are valid.
    pub fn validate(&mut self) -> Option<NewQuarter> {
        let label = self.fields[LABEL].input.value().trim().to_owned();
        let label_result = if label.is_empty() { Err("Give the quarter a label, such as 2027-Q1".to_owned()) } else { Ok(label) };
        let start_text = self.fields[START].input.value().trim().to_owned();
        let start_result = NaiveDate::parse_from_str(&start_text, "%Y-%m-%d")
            .map_err(|_| format!("\"{start_text}\" is not a date: write it as YYYY-MM-DD"));
        let count_result = whole_number(self.fields[SPRINTS].input.value(), 1, MAX_SPRINTS, "sprints");
        let weeks_result = whole_number(self.fields[WEEKS].input.value(), 1, MAX_SPRINT_WEEKS, "weeks");

        self.fields[LABEL].error = label_result.as_ref().err().cloned();
        self.fields[START].error = start_result.as_ref().err().cloned();
        self.fields[SPRINTS].error = count_result.as_ref().err().cloned();
        self.fields[WEEKS].error = weeks_result.as_ref().err().cloned();
        if let Some(first_bad) = self.fields.iter().position(|field| field.error.is_some()) {
            self.focused = first_bad;
        }
        let (label, start, count, weeks) = (label_result.ok()?, start_result.ok()?, count_result.ok()?, weeks_result.ok()?);
        Some(NewQuarter { label, start, sprint_weeks: vec![weeks; count as usize] })
    }
}

fn whole_number(text: &str, min: u32, max: u32, what: &str) -> Result<u32, String> {
    let text = text.trim();
    match text.parse::<u32>() {
        Ok(value) if (min..=max).contains(&value) => Ok(value),
        Ok(_) => Err(format!("Between {min} and {max} {what}")),
        Err(_) => Err(format!("\"{text}\" is not a whole number: between {min} and {max} {what}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    fn set(form: &mut QuarterForm, index: usize, value: &str) {
        form.fields[index].input = Input::new(value.to_owned());
    }

    #[test]
    fn defaults_are_valid_and_start_next_monday() {
        let mut form = QuarterForm::new(date("2026-11-25"));
        let quarter = form.validate().expect("defaults valid");
        assert_eq!(quarter.start, date("2026-11-30"));
        assert_eq!(quarter.label, "2026-Q4");
        assert_eq!(quarter.sprint_weeks, vec![2; 6]);
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let mut form = QuarterForm::new(date("2026-11-25"));
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
        let mut form = QuarterForm::new(date("2026-11-25"));
        set(&mut form, SPRINTS, "0");
        assert_eq!(form.validate(), None);
        set(&mut form, SPRINTS, "4");
        set(&mut form, WEEKS, "3");
        let quarter = form.validate().expect("valid now");
        assert_eq!(quarter.sprint_weeks, vec![3; 4]);
        assert!(form.fields.iter().all(|field| field.error.is_none()));
    }
}
