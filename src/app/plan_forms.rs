//! The forms of the quarter's plan: objectives, key results, sprints, the
//! quarter's settings and the cascade's sprint range, with the checks that
//! span fields (M9, sprint dates, M2).

use chrono::{Days, NaiveDate};

use super::form::{Field, FieldKind, Form, Purpose, TakenDates, Value, field};
use crate::{
    domain::{
        Board, Id, KeyResult, Objective, Quarter, Sprint,
        capacity::{Advice, advise, sprint_advice},
        planning::goal_breaks_m2,
    },
    store::{KeyResultFields, ObjectiveFields, SprintFields},
};

/// More points than this in one sprint is a typing slip.
const MAX_CAPACITY: u32 = 999;

fn text(label: &'static str, help: &'static str, required: Option<&'static str>, value: &str) -> Field {
    field(label, help, FieldKind::Text { required }, value.to_owned())
}

impl Form {
    /// A new objective, or `existing` to edit.
    pub fn objective(existing: Option<&Objective>, board: &Board) -> Self {
        let (title, owner, parent) = match existing {
            Some(objective) => {
                let parent = objective
                    .parent_id
                    .and_then(|id| board.objective(id))
                    .map_or_else(|| objective.parent_note.clone(), |parent| format!("O{}", parent.number));
                (objective.title.as_str(), objective.owner.as_str(), parent)
            }
            None => ("", "", String::new()),
        };
        let fields = vec![
            text(
                "Objective",
                "qualitative and inspiring, such as \"Make checkout effortless\"",
                Some("Give the objective a title"),
                title,
            ),
            text("Owner", "who answers for it; optional", None, owner),
            text("Aligns to", "O2 for an objective here, or a company objective in words; optional", None, &parent),
        ];
        match existing {
            Some(objective) => {
                Form::new(format!("Edit O{}", objective.number), "saves", Purpose::EditObjective(objective.id), fields)
            }
            None => Form::new("New objective".into(), "adds it", Purpose::AddObjective, fields),
        }
    }

    /// A new key result under `objective`, or `existing` to edit.
    pub fn key_result(existing: Option<&KeyResult>, objective: &Objective) -> Self {
        let number = |value: f64| crate::format::number(value);
        let (title, unit, start, target, current, owner, confidence) = match existing {
            Some(kr) => (
                kr.title.clone(),
                kr.unit.clone(),
                number(kr.start),
                number(kr.target),
                number(kr.current),
                kr.owner.clone(),
                kr.confidence.to_string(),
            ),
            None => Default::default(),
        };
        let confidence = if confidence.is_empty() { "50".to_owned() } else { confidence };
        let fields = vec![
            text("Key result", "a measurable outcome, such as \"Checkout conversion\"", Some("Give the KR a title"), &title),
            text("Unit", "%, s, orders...", Some("M9: a KR is measured in a unit, such as %, s or orders"), &unit),
            field("Start", "the value when the quarter starts", FieldKind::Number, start),
            field("Target", "the value to reach (may be below the start)", FieldKind::Number, target),
            field("Current", "the latest reading; the start if none yet", FieldKind::Number, current),
            text("Owner", "optional", None, &owner),
            field("Confidence", "0 to 100 %", FieldKind::Whole { min: 0, max: 100, what: "%" }, confidence),
        ];
        match existing {
            Some(kr) => Form::new(format!("Edit {}", kr.code), "saves", Purpose::EditKeyResult(kr.id), fields),
            None => Form::new(
                format!("New key result for O{}", objective.number),
                "adds it",
                Purpose::AddKeyResult { objective: objective.id },
                fields,
            ),
        }
    }

    /// A new sprint after the last one, as long as it, with the capacity
    /// the team suggests (else the last sprint's).
    pub fn new_sprint(board: &Board, today: NaiveDate) -> Self {
        let last = board.sprints.iter().max_by_key(|sprint| sprint.end);
        let start = last.map_or(board.quarter.start, |sprint| sprint.end + Days::new(1));
        let end = start + Days::new(last.map_or(13, |sprint| (sprint.end - sprint.start).num_days().unsigned_abs()));
        let advice = advise(board, today, start, end, None);
        let capacity = advice.points().unwrap_or_else(|| last.map_or(20, |sprint| sprint.capacity));
        let mut form =
            Form::new("New sprint".into(), "adds it", Purpose::AddSprint, sprint_date_fields(start, end, capacity, &advice));
        form.taken = taken(board, None);
        form
    }

    /// A sprint's dates, capacity and goal, and why its goal serves no KR.
    pub fn sprint(sprint: &Sprint, board: &Board, today: NaiveDate) -> Self {
        let advice = sprint_advice(board, sprint, today);
        let mut fields = sprint_date_fields(sprint.start, sprint.end, sprint.capacity, &advice);
        fields.push(text("Sprint goal", "an outcome, such as \"Checkout loads in under 1.8 s\"", None, &sprint.goal));
        fields.push(text(
            "Why no KR",
            "if it serves no KR (ctrl-t picks KRs): a critical bug, a law...",
            None,
            &sprint.no_kr_reason,
        ));
        let purpose = Purpose::EditSprint { sprint: sprint.id, serves_kr: !sprint.krs.is_empty() };
        let mut form = Form::new(format!("Sprint {} goal, dates and capacity", sprint.number), "saves", purpose, fields);
        form.taken = taken(board, Some(sprint.id));
        // The goal is what planning changes most; dates and capacity are a
        // shift-tab away.
        form.focused = 3;
        form
    }

    pub fn quarter_settings(quarter: &Quarter) -> Self {
        Form::new(
            format!("Quarter {}", quarter.label),
            "saves",
            Purpose::QuarterSettings(quarter.id),
            vec![
                text("Label", "such as 2027-Q1", Some("Give the quarter a label, such as 2027-Q1"), &quarter.label),
                field("Start date", "YYYY-MM-DD; the sprints keep their own dates", FieldKind::Date, quarter.start.to_string()),
            ],
        )
    }

    /// The cascade: which sprints focus on `kr`.
    pub fn focus(kr: &KeyResult, board: &Board) -> Self {
        let count = u32::try_from(board.sprints.len()).unwrap_or(1).max(1);
        let selected: Vec<u32> = board
            .sprints
            .iter()
            .filter(|sprint| sprint.krs.iter().any(|link| link.focus && link.key_result_id == kr.id))
            .map(|sprint| sprint.number)
            .collect();
        let from = selected.first().copied().unwrap_or(1);
        let to = selected.last().copied().unwrap_or(from);
        let range = FieldKind::Whole { min: 1, max: count, what: "(a sprint number)" };
        Form::new(
            format!("Focus sprints on {}", kr.code),
            "makes it their focus KR",
            Purpose::Focus { key_result: kr.id },
            vec![
                field("From sprint", "the first sprint of the range", range, from.to_string()),
                field("To sprint", "the last; each sprint has one focus KR", range, to.to_string()),
            ],
        )
    }
}

fn sprint_date_fields(start: NaiveDate, end: NaiveDate, capacity: u32, advice: &Advice) -> Vec<Field> {
    let capacity_help = match advice {
        Advice::NoTeam => "points the team can take on; set up the team for a suggestion here".to_owned(),
        advice => format!("points; team: {}", advice.brief()),
    };
    vec![
        field("Start date", "YYYY-MM-DD", FieldKind::Date, start.to_string()),
        field("End date", "YYYY-MM-DD, the sprint's last day", FieldKind::Date, end.to_string()),
        field("Capacity", capacity_help, FieldKind::Whole { min: 0, max: MAX_CAPACITY, what: "points" }, capacity.to_string()),
    ]
}

fn taken(board: &Board, except: Option<Id>) -> Vec<TakenDates> {
    board
        .sprints
        .iter()
        .filter(|sprint| Some(sprint.id) != except)
        .map(|sprint| TakenDates { number: sprint.number, start: sprint.start, end: sprint.end })
        .collect()
}

/// The rules that look at more than one field; an error lands on the field
/// to fix.
pub(super) fn check_across_fields(form: &Form, results: &mut [Result<Value, String>]) {
    match form.purpose {
        Purpose::AddKeyResult { .. } | Purpose::EditKeyResult(_) => {
            // No reading yet: the KR stands at its start.
            // (Only the start's own error shows while it has one.)
            if form.fields.get(4).is_some_and(|field| field.input.value().trim().is_empty()) {
                results[4] = Ok(results.get(2).and_then(|start| start.clone().ok()).unwrap_or(Value::Number(0.0)));
            }
            if let (Some(Ok(Value::Number(start))), Some(Ok(Value::Number(target)))) = (results.get(2), results.get(3))
                && start == target
            {
                results[3] = Err("M9: the target must differ from the start: a KR measures a change".into());
            }
        }
        Purpose::AddSprint | Purpose::EditSprint { .. } => check_sprint_dates(form, results),
        Purpose::Focus { .. } => {
            if let (Some(Ok(Value::Whole(from))), Some(Ok(Value::Whole(to)))) = (results.first(), results.get(1))
                && to < from
            {
                results[1] = Err(format!("The range ends before it starts: {to} or more"));
            }
        }
        _ => {}
    }
}

/// The sprint form's field holding why its goal serves no KR.
pub(super) const SPRINT_NO_KR_REASON: usize = 4;

impl Form {
    /// Advice on what is typed now, under the field it concerns; unlike an
    /// error it never stops a save (the method advises, never blocks).
    pub fn advice(&self) -> Option<(usize, &'static str)> {
        let Purpose::EditSprint { serves_kr, .. } = self.purpose else { return None };
        let goal = self.fields.get(3).map_or("", |field| field.input.value());
        let reason = self.fields.get(SPRINT_NO_KR_REASON).map_or("", |field| field.input.value());
        (!goal.trim().is_empty() && goal_breaks_m2(serves_kr, reason))
            .then_some((SPRINT_NO_KR_REASON, "M2: this goal serves no KR. Pick its KRs (ctrl-t) or say why; it saves either way"))
    }
}

fn check_sprint_dates(form: &Form, results: &mut [Result<Value, String>]) {
    let (Some(Ok(Value::Date(start))), Some(Ok(Value::Date(end)))) = (results.first(), results.get(1)) else { return };
    let (start, end) = (*start, *end);
    if end <= start {
        results[1] = Err("A sprint ends after it starts: pick a later end date".into());
        return;
    }
    if let Some(other) = form.taken.iter().find(|other| start <= other.end && end >= other.start) {
        results[0] =
            Err(format!("Overlaps Sprint {} ({} to {}): sprints must not overlap", other.number, other.start, other.end));
    }
}

pub fn objective_fields(values: &[Value], board: &Board, editing: Option<Id>) -> Option<ObjectiveFields> {
    let [Value::Text(title), Value::Text(owner), Value::Text(parent)] = values else { return None };
    // "O2" names another objective of this board; anything else is a note.
    let parent_id = parent
        .strip_prefix(['O', 'o'])
        .and_then(|number| number.parse::<u32>().ok())
        .and_then(|number| board.objectives.iter().find(|objective| objective.number == number))
        .map(|objective| objective.id)
        .filter(|id| Some(*id) != editing);
    Some(ObjectiveFields {
        title: title.clone(),
        owner: owner.clone(),
        parent_id,
        parent_note: if parent_id.is_some() { String::new() } else { parent.clone() },
    })
}

pub fn key_result_fields(values: &[Value]) -> Option<KeyResultFields> {
    let [
        Value::Text(title),
        Value::Text(unit),
        Value::Number(start),
        Value::Number(target),
        Value::Number(current),
        Value::Text(owner),
        Value::Whole(confidence),
    ] = values
    else {
        return None;
    };
    Some(KeyResultFields {
        title: title.clone(),
        unit: unit.clone(),
        start: *start,
        target: *target,
        current: *current,
        owner: owner.clone(),
        confidence: u8::try_from(*confidence).ok()?,
    })
}

/// A sprint form's values; a new sprint's form has no goal fields.
pub fn sprint_fields(values: &[Value]) -> Option<SprintFields> {
    let (start, end, capacity, rest) = match values {
        [Value::Date(start), Value::Date(end), Value::Whole(capacity), rest @ ..] => (*start, *end, *capacity, rest),
        _ => return None,
    };
    let (goal, no_kr_reason) = match rest {
        [Value::Text(goal), Value::Text(reason)] => (goal.clone(), reason.clone()),
        [] => (String::new(), String::new()),
        _ => return None,
    };
    Some(SprintFields { start, end, capacity, goal, no_kr_reason })
}
