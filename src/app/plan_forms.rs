//! The forms of the quarter's plan: objectives, key results, sprints, the
//! quarter's settings and the cascade's sprint range. Each has a
//! constructor and a parse into what the store takes, checked by the
//! domain's rules (M9, sprint dates; M2 only advises).

use chrono::{Days, NaiveDate};

use super::form::{Field, FieldError, FieldKind, Form, FormField, Purpose, TakenDates, Values, field};
use crate::domain::codes;
use crate::{
    domain::{
        Board, Id, KeyResult, Objective, Quarter, Sprint,
        capacity::{Advice, advise, sprint_advice},
        method,
        planning::goal_breaks_m2,
        settings::{CADENCE_CHOICES, CheckInCadence, OVERLAP_CHOICES, OverlapStrategy, QuarterSettings},
        validate,
        values::{Capacity, Confidence, Title},
    },
    store::{CheckInFields, KeyResultFields, ObjectiveFields, SprintFields},
};

fn text(key: Field, label: &'static str, help: &'static str, required: Option<&'static str>, value: &str) -> FormField {
    field(key, label, help, FieldKind::Text { required }, value.to_owned())
}

impl Form {
    /// A new objective, or `existing` to edit.
    pub fn objective(existing: Option<&Objective>, board: &Board) -> Self {
        let (title, owner, parent) = match existing {
            Some(objective) => {
                let parent = objective
                    .parent_id
                    .and_then(|id| board.objective(id))
                    .map_or_else(|| objective.parent_note.clone(), |parent| codes::objective(parent.number));
                (objective.title.as_str(), objective.owner.as_str(), parent)
            }
            None => ("", "", String::new()),
        };
        let fields = vec![
            field(
                Field::Title,
                "Objective",
                "qualitative and inspiring, such as \"Make checkout effortless\"",
                FieldKind::Title { required: "Give the objective a title" },
                title.to_owned(),
            ),
            text(Field::Owner, "Owner", "who answers for it; optional", None, owner),
            text(
                Field::AlignsTo,
                "Aligns to",
                "O2 for an objective here, or a company objective in words; optional",
                None,
                &parent,
            ),
        ];
        match existing {
            Some(objective) => Form::new(
                format!("Edit {}", codes::objective(objective.number)),
                "saves",
                Purpose::EditObjective(objective.id),
                fields,
            ),
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
            field(
                Field::Title,
                "Key result",
                "a measurable outcome, such as \"Checkout conversion\"",
                FieldKind::Title { required: "Give the KR a title" },
                title.clone(),
            ),
            text(Field::Unit, "Unit", "%, s, orders...", Some(M9_UNIT), &unit),
            field(Field::Start, "Start", "the value when the quarter starts", FieldKind::Number { optional: false }, start),
            field(
                Field::Target,
                "Target",
                "the value to reach (may be below the start)",
                FieldKind::Number { optional: false },
                target,
            ),
            field(
                Field::Current,
                "Current",
                "the latest check-in's value (the start if none); a new one is a check-in dated today",
                FieldKind::Number { optional: true },
                current,
            ),
            text(Field::Owner, "Owner", "optional", None, &owner),
            field(Field::Confidence, "Confidence", "0 to 100 %", FieldKind::Confidence, confidence),
        ];
        match existing {
            Some(kr) => Form::new(format!("Edit {}", kr.code), "saves", Purpose::EditKeyResult(kr.id), fields),
            None => Form::new(
                format!("New key result for {}", codes::objective(objective.number)),
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
        fields.push(text(
            Field::Goal,
            "Sprint goal",
            "an outcome, such as \"Checkout loads in under 1.8 s\"",
            None,
            &sprint.goal,
        ));
        fields.push(text(
            Field::NoKrReason,
            "Why no KR",
            "if it serves no KR ({pick_krs} picks KRs): a critical bug, a law...",
            None,
            &sprint.no_kr_reason,
        ));
        let purpose = Purpose::EditSprint { sprint: sprint.id, serves_kr: !sprint.krs.is_empty() };
        let mut form = Form::new(format!("Sprint {} goal, dates and capacity", sprint.number), "saves", purpose, fields);
        form.taken = taken(board, Some(sprint.id));
        // The goal is what planning changes most; dates and capacity are a
        // shift-tab away.
        form.focus_on(Field::Goal);
        form
    }

    pub fn quarter_settings(quarter: &Quarter) -> Self {
        Form::new(
            format!("Quarter {}", quarter.label),
            "saves",
            Purpose::QuarterSettings(quarter.id),
            vec![
                text(Field::Label, "Label", "such as 2027-Q1", Some("Give the quarter a label, such as 2027-Q1"), &quarter.label),
                field(
                    Field::StartDate,
                    "Start date",
                    "YYYY-MM-DD; the sprints keep their own dates",
                    FieldKind::Date,
                    quarter.start.to_string(),
                ),
            ]
            .into_iter()
            .chain(settings_fields(QuarterSettings { cadence: quarter.cadence, overlap: quarter.overlap }))
            .collect(),
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
                field(Field::FromSprint, "From sprint", "the first sprint of the range", range, from.to_string()),
                field(Field::ToSprint, "To sprint", "the last; each sprint has one focus KR", range, to.to_string()),
            ],
        )
    }
}

fn sprint_date_fields(start: NaiveDate, end: NaiveDate, capacity: u32, advice: &Advice) -> Vec<FormField> {
    let capacity_help = match advice {
        Advice::NoTeam => "points the team can take on; set up the team for a suggestion here".to_owned(),
        advice => format!("points; team: {}", advice.brief()),
    };
    vec![
        field(Field::StartDate, "Start date", "YYYY-MM-DD", FieldKind::Date, start.to_string()),
        field(Field::EndDate, "End date", "YYYY-MM-DD, the sprint's last day", FieldKind::Date, end.to_string()),
        field(Field::Capacity, "Capacity", capacity_help, FieldKind::Capacity, capacity.to_string()),
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

/// The message under an empty unit (M9), at once with the field's own check.
const M9_UNIT: &str = "M9: a KR is measured in a unit, such as %, s or orders";

impl Form {
    /// Advice on what is typed now, under the field it concerns; unlike an
    /// error it never stops a save (the method advises, never blocks).
    pub fn advice(&self) -> Option<(Field, &'static str)> {
        match self.purpose {
            Purpose::EditSprint { serves_kr, .. } => {
                let (goal, reason) = (self.text(Field::Goal), self.text(Field::NoKrReason));
                if method::goal_is_missing(goal) {
                    Some((Field::Goal, method::GOAL_MISSING_BRIEF))
                } else if method::goal_reads_as_activity(goal) {
                    Some((Field::Goal, method::GOAL_AS_OUTCOME_BRIEF))
                } else {
                    goal_breaks_m2(serves_kr, reason).then_some((
                        Field::NoKrReason,
                        "M2: this goal serves no KR. Pick its KRs ({pick_krs}) or say why; it saves either way",
                    ))
                }
            }
            Purpose::AddKeyResult { .. } | Purpose::EditKeyResult(_) => {
                let number = |field| self.text(field).trim().parse::<f64>().ok();
                let (start, target) = (number(Field::Start).unwrap_or(f64::NAN), number(Field::Target).unwrap_or(f64::NAN));
                method::kr_reads_as_task(self.text(Field::Title), start, target)
                    .then_some((Field::Title, method::KR_AS_OUTCOME_BRIEF))
            }
            Purpose::NewQuarter => {
                let number = |field| self.text(field).trim().parse::<i64>().ok();
                let days = number(Field::SprintCount)? * number(Field::SprintWeeks)? * 7;
                method::quarter_days_off_rhythm(days).then_some((Field::SprintWeeks, method::QUARTER_LENGTH_BRIEF))
            }
            _ => None,
        }
    }
}

/// The objective an objective form describes; "O2" names another
/// objective of this board, anything else is a note.
pub fn objective_fields(values: &Values, board: &Board, editing: Option<Id>) -> Result<ObjectiveFields, Vec<FieldError>> {
    let parent = values.text(Field::AlignsTo);
    let parent_id = parent
        .strip_prefix(['O', 'o'])
        .and_then(|number| number.parse::<u32>().ok())
        .and_then(|number| board.objectives.iter().find(|objective| objective.number == number))
        .map(|objective| objective.id)
        .filter(|id| Some(*id) != editing);
    Ok(ObjectiveFields {
        title: Title::parse(&values.text(Field::Title)).map_err(|error| vec![error])?,
        owner: values.text(Field::Owner),
        parent_id,
        parent_note: if parent_id.is_some() { String::new() } else { parent },
    })
}

/// The note of a check-in made by changing a KR's current value in its form.
pub const FROM_KR_FORM: &str = "set in the KR form";

/// The KR a KR form describes, measurable by M9, and the current value
/// typed (`None`: left empty). A new KR's current value other than its
/// start is its first check-in, dated `today`: a KR's current value is
/// always its latest check-in's.
pub fn key_result_fields(values: &Values, today: NaiveDate) -> Result<(KeyResultFields, Option<f64>), Vec<FieldError>> {
    let (start, target) = (values.number(Field::Start).unwrap_or_default(), values.number(Field::Target).unwrap_or_default());
    let unit = values.text(Field::Unit);
    // The form checked each field as typed; the same parses make the types.
    let title = Title::parse(&values.text(Field::Title));
    let confidence = Confidence::new(values.whole(Field::Confidence));
    let errors: Vec<FieldError> = validate::key_result(&unit, start, target)
        .into_iter()
        .chain(title.as_ref().err().cloned())
        .chain(confidence.as_ref().err().cloned())
        .collect();
    let (Ok(title), Ok(confidence), true) = (title, confidence, errors.is_empty()) else { return Err(errors) };
    let current = values.number(Field::Current);
    let first_check_in = current.filter(|value| *value != start).map(|value| CheckInFields {
        date: today,
        value,
        confidence,
        note: FROM_KR_FORM.into(),
    });
    let fields = KeyResultFields { title, unit, start, target, first_check_in, owner: values.text(Field::Owner), confidence };
    Ok((fields, current))
}

/// The sprint a sprint form describes: dates that do not overlap the
/// `taken` ones; a new sprint's form has no goal fields.
pub fn sprint_fields(values: &Values, taken: &[TakenDates]) -> Result<SprintFields, Vec<FieldError>> {
    let (Some(start), Some(end)) = (values.date(Field::StartDate), values.date(Field::EndDate)) else {
        return Err(vec![FieldError::new(Field::StartDate, "Give both dates")]);
    };
    let capacity = Capacity::new(values.whole(Field::Capacity));
    let errors: Vec<FieldError> =
        validate::sprint_dates(start, end, taken).into_iter().chain(capacity.as_ref().err().cloned()).collect();
    let (Ok(capacity), true) = (capacity, errors.is_empty()) else { return Err(errors) };
    Ok(SprintFields { start, end, capacity, goal: values.text(Field::Goal), no_kr_reason: values.text(Field::NoKrReason) })
}

/// The quarter's label and start date.
pub fn quarter_fields(values: &Values) -> Result<(String, NaiveDate, QuarterSettings), Vec<FieldError>> {
    let start = values.date(Field::StartDate).ok_or_else(|| vec![FieldError::new(Field::StartDate, "Give a start date")])?;
    Ok((values.text(Field::Label), start, quarter_settings(values)?))
}

/// The method's two settings of a quarter, for the quarter form and the
/// new-quarter form.
pub fn settings_fields(settings: QuarterSettings) -> [FormField; 2] {
    [
        field(
            Field::CheckInCadence,
            "Check-in cadence",
            "two_weeks or monthly: how often KRs are checked in (M8)",
            FieldKind::Choice(CADENCE_CHOICES),
            settings.cadence.as_str().to_owned(),
        ),
        field(
            Field::OverlapStrategy,
            "Overlap strategy",
            "reserve (10-15 % of the last sprint), planning_day or drafts (M6)",
            FieldKind::Choice(OVERLAP_CHOICES),
            settings.overlap.as_str().to_owned(),
        ),
    ]
}

/// The settings the two fields of [`settings_fields`] hold.
pub fn quarter_settings(values: &Values) -> Result<QuarterSettings, Vec<FieldError>> {
    let cadence = CheckInCadence::parse(&values.text(Field::CheckInCadence));
    let overlap = OverlapStrategy::parse(&values.text(Field::OverlapStrategy));
    match (cadence, overlap) {
        (Some(cadence), Some(overlap)) => Ok(QuarterSettings { cadence, overlap }),
        (cadence, _) => Err(vec![if cadence.is_none() {
            FieldError::new(Field::CheckInCadence, format!("Check-in cadence: one of {}", CADENCE_CHOICES.join(", ")))
        } else {
            FieldError::new(Field::OverlapStrategy, format!("Overlap strategy: one of {}", OVERLAP_CHOICES.join(", ")))
        }]),
    }
}

/// The cascade's range of sprints, first and last.
pub fn focus_range(values: &Values) -> Result<(u32, u32), Vec<FieldError>> {
    let (from, to) = (values.whole(Field::FromSprint), values.whole(Field::ToSprint));
    let errors = validate::sprint_range(from, to);
    if errors.is_empty() { Ok((from, to)) } else { Err(errors) }
}
