//! The team and capacity screen (`C`): who is on the team, their focus
//! factor and days off per sprint, and the capacity each sprint's focused
//! days suggest. In planning, `c` takes the suggestion as the sprint's
//! capacity; any other number stays the user's to set.

use super::{
    App, Confirm, Overlay, Pending, Step,
    commands::FollowUp,
    detail::Deletion,
    edits::Refresh,
    form::{Field, FieldError, FieldKind, Form, FormField, Purpose, Value, Values, field},
    item_forms::field_error,
};
use crate::{
    domain::{
        Board, Id, TeamMember,
        calendar::working_days,
        capacity::{Advice, sprint_advice},
        ids::{MemberId, QuarterId, SprintId},
        quoted,
        roles::Roles,
        values::{Capacity, FocusFactor},
    },
    ops::{Command, MemberEdit, SprintEdit},
    plan::DEFAULT_FOCUS_FACTOR,
    store::{MemberFields, Resolved},
};

impl App {
    /// `C`: the team screen, over the board or the planning screen.
    pub(super) fn open_team(&mut self) {
        if self.board.is_some() {
            self.overlays.push(Overlay::Team { selected: 0 });
        }
    }

    /// The member selected on the team screen, if it is open.
    fn selected_member(&self) -> Option<&TeamMember> {
        let Some(Overlay::Team { selected }) = self.overlays.last() else { return None };
        let team = &self.board.as_ref()?.team;
        // A delete or an undo may have left the index past the end.
        team.get((*selected).min(team.len().saturating_sub(1)))
    }

    pub(super) fn move_in_team(&mut self, step: Step) {
        let count = self.board.as_ref().map_or(0, |board| board.team.len());
        if let Some(Overlay::Team { selected }) = self.overlays.last_mut() {
            *selected = step.apply(*selected, count, count);
        }
    }

    pub(super) fn open_add_member(&mut self) {
        if let Some(board) = &self.board {
            let form = member_form(None, board);
            self.overlays.push(Overlay::Form(Box::new(form)));
        }
    }

    pub(super) fn open_edit_member(&mut self) {
        if let (Some(member), Some(board)) = (self.selected_member(), &self.board) {
            let form = member_form(Some(member), board);
            self.overlays.push(Overlay::Form(Box::new(form)));
        }
    }

    pub(super) fn ask_delete_member(&mut self) {
        let Some(member) = self.selected_member() else { return };
        let name = quoted(&member.name);
        let confirm = Confirm {
            question: format!("Take {name} off the team?"),
            details: format!(
                "Their focus factor and days off go; the sprints keep the capacity they have. {} brings them back.",
                self.key(super::Context::Team, super::Action::Undo)
            ),
            action: Pending::Delete { target: Deletion::Member(member.id), label: format!("Took {name} off the team") },
        };
        self.overlays.push(Overlay::Confirm(confirm));
    }

    pub(super) fn save_member(&mut self, editing: Option<Id>) -> anyhow::Result<()> {
        let Some((fields, form)) = self.parse_form(member_fields) else { return Ok(()) };
        let Some(board) = &self.board else { return Ok(()) };
        let (quarter_id, name) = (board.quarter.id, quoted(&fields.name));
        let id = match editing {
            Some(id) => {
                let label = format!("Saved {name}: focus factor and days off");
                let edit = MemberEdit {
                    name: form.changed(Field::Name, fields.name.clone()),
                    focus_factor: form.changed(Field::FocusFactor, fields.focus_factor),
                    roles: form.changed(Field::Roles, fields.roles),
                    days_off: fields
                        .days_off
                        .iter()
                        .copied()
                        .filter(|(sprint, _)| form.touched(Field::DaysOff(*sprint)))
                        .map(|(sprint, days)| (SprintId(sprint), days))
                        .collect(),
                };
                self.run_command(Command::EditMember { member: MemberId(id), edit }, FollowUp::saying(Refresh::Board, label))?;
                id
            }
            None => {
                let label = format!("Added {name} to the team");
                let command = Command::AddMember {
                    quarter: QuarterId(quarter_id),
                    name: fields.name.clone(),
                    focus_factor: fields.focus_factor,
                    roles: fields.roles,
                    days_off: fields.days_off.iter().map(|(sprint, days)| (SprintId(*sprint), *days)).collect(),
                };
                let outcome = self.run_command(command, FollowUp::saying(Refresh::Board, label))?;
                match outcome.created.map(|created| created.object) {
                    Some(Resolved::Member(id)) => id.row(),
                    _ => return Ok(()),
                }
            }
        };
        let index = self.board.as_ref().and_then(|board| board.team.iter().position(|member| member.id == id));
        if let (Some(index), Some(Overlay::Team { selected })) = (index, self.overlays.last_mut()) {
            *selected = index;
        }
        Ok(())
    }

    /// `c` in planning: the sprint's capacity becomes the team's suggestion.
    pub(super) fn use_suggested_capacity(&mut self) -> anyhow::Result<()> {
        let (Some(sprint), Some(board)) = (self.planned_sprint(), &self.board) else { return Ok(()) };
        let (id, number, capacity) = (sprint.id, sprint.number, sprint.capacity);
        match sprint_advice(board, sprint, self.today) {
            Advice::Suggested(suggestion) if suggestion.points == capacity => {
                self.say(format!(
                    "Sprint {number}'s capacity is already the suggested {}",
                    crate::format::count(capacity, "point", "points")
                ));
            }
            Advice::Suggested(suggestion) => {
                let label = format!(
                    "Set Sprint {number}'s capacity to {} points, as the team suggests (was {capacity})",
                    suggestion.points
                );
                let edit = SprintEdit {
                    capacity: Some(Capacity::new(suggestion.points).map_err(field_error)?),
                    ..SprintEdit::default()
                };
                self.run_command(Command::EditSprint { sprint: SprintId(id), edit }, FollowUp::saying(Refresh::Board, label))?;
            }
            advice => self.say(format!("No suggestion for Sprint {number}: {}", advice.describe())),
        }
        Ok(())
    }
}

/// A member's form: name, focus factor, and days off in each sprint.
pub(super) fn member_form(existing: Option<&TeamMember>, board: &Board) -> Form {
    let name = existing.map(|member| member.name.clone()).unwrap_or_default();
    let focus = existing.map_or(DEFAULT_FOCUS_FACTOR, |member| member.focus_factor);
    let mut fields: Vec<FormField> = vec![
        field(Field::Name, "Name", "who is on the team", FieldKind::Text { required: Some("Give the member a name") }, name),
        field(
            Field::FocusFactor,
            "Focus factor",
            "% of a working day for sprint work; meetings and support take the rest",
            FieldKind::FocusFactor,
            focus.to_string(),
        ),
    ];
    for sprint in &board.sprints {
        let working = working_days(sprint.start, sprint.end);
        let days = existing.map_or(0.0, |member| member.days_off_in(sprint.id));
        fields.push(field(
            Field::DaysOff(sprint.id),
            format!("Off in Sprint {}", sprint.number),
            format!(
                "days away from {} to {} ({working} working days); half days allowed",
                sprint.start.format("%a %-d %b"),
                sprint.end.format("%a %-d %b")
            ),
            FieldKind::Days { max: working },
            crate::format::number(days),
        ));
    }
    // Last, so the days off keep their places under the focus factor.
    fields.push(field(
        Field::Roles,
        "Roles",
        "po (Product Owner), sm (Scrum Master), champion (OKR champion); any, or none",
        FieldKind::Text { required: None },
        existing.map(|member| member.roles.words()).unwrap_or_default(),
    ));
    match existing {
        Some(member) => Form::new(format!("Team member {}", member.name), "saves", Purpose::EditMember(member.id), fields),
        None => Form::new("New team member".into(), "adds them to the team", Purpose::AddMember, fields),
    }
}

/// The member a member form describes: days off for the sprints it has
/// fields for (a sprint added meanwhile has none yet).
fn member_fields(values: &Values) -> Result<MemberFields, Vec<FieldError>> {
    let days_off = values
        .all()
        .filter_map(|(field, value)| match (field, value) {
            (Field::DaysOff(sprint), Value::Days(days)) => Some((sprint, *days)),
            _ => None,
        })
        .collect();
    let focus_factor = FocusFactor::new(values.whole(Field::FocusFactor)).map_err(|error| vec![error])?;
    let roles = Roles::parse(&values.text(Field::Roles)).map_err(|message| vec![FieldError::new(Field::Roles, message)])?;
    Ok(MemberFields { name: values.text(Field::Name), focus_factor, days_off, roles })
}
