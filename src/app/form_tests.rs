//! The forms' parses: a new quarter's and an item's fields into what the
//! store takes, and a title held to the command line's limit.

use super::*;

const LABEL: usize = 0;
const START: usize = 1;
const SPRINTS: usize = 2;
const WEEKS: usize = 3;

fn parse_quarter(form: &mut Form) -> Option<NewQuarter> {
    form.parse(new_quarter)
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn set(form: &mut Form, index: usize, value: &str) {
    form.fields[index].input = Input::new(value.to_owned());
}

#[test]
fn defaults_are_valid_and_start_next_monday() {
    let mut form = Form::new_quarter(date("2026-11-25"));
    let quarter = parse_quarter(&mut form).expect("defaults valid");
    assert_eq!(quarter.start, date("2026-11-30"));
    assert_eq!(quarter.label, "2026-Q4");
    assert_eq!(quarter.span.weeks(), vec![2; 6]);
}

#[test]
fn each_bad_field_gets_its_own_message() {
    let mut form = Form::new_quarter(date("2026-11-25"));
    set(&mut form, LABEL, "  ");
    set(&mut form, START, "2027-02-30");
    set(&mut form, SPRINTS, "0");
    set(&mut form, WEEKS, "two");
    assert_eq!(parse_quarter(&mut form), None);
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
    assert_eq!(parse_quarter(&mut form), None);
    set(&mut form, SPRINTS, "4");
    set(&mut form, WEEKS, "3");
    let quarter = parse_quarter(&mut form).expect("valid now");
    assert_eq!(quarter.span.weeks(), vec![3; 4]);
    assert!(form.fields.iter().all(|field| field.error.is_none()));
}

#[test]
fn a_title_is_held_to_the_same_limit_as_on_the_command_line() {
    let mut form = Form::add_item(None);
    set(&mut form, 0, &"x".repeat(values::MAX_TITLE_CHARS + 1));
    assert_eq!(form.parse(new_item), None);
    assert!(form.fields[0].error.as_deref().is_some_and(|e| e.starts_with("Title: 500 characters at most")));
    set(&mut form, 0, &"x".repeat(values::MAX_TITLE_CHARS));
    assert!(form.parse(new_item).is_some());
}

#[test]
fn item_fields_check_title_points_and_kind() {
    let mut form = Form::add_item(None);
    set(&mut form, 1, "3.5");
    set(&mut form, 2, "epic");
    assert_eq!(form.parse(new_item), None);
    assert_eq!(form.fields[0].error.as_deref(), Some("Give the item a title"));
    assert!(form.fields[1].error.as_deref().is_some_and(|e| e.contains("\"3.5\" is not a whole number")));
    assert!(form.fields[2].error.as_deref().is_some_and(|e| e.contains("story, bug, chore, spike")));
    set(&mut form, 0, "Export orders");
    set(&mut form, 1, "5");
    set(&mut form, 2, "Bug");
    let item = form.parse(new_item).expect("valid");
    assert_eq!((item.title.as_str(), item.points.get(), item.kind), ("Export orders", 5, ItemKind::Bug));
}
