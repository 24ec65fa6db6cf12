//! The commands of a sprint's rituals as the board makes them: a check-in
//! corrected, a goal's verdict, a close with a place for each unfinished
//! item, a KR's focus over sprints, and the retro's notes.

use std::cell::RefCell;

use chrono::NaiveDate;

use super::{CheckInEdit, MemberEdit, OpError, Outcome, Place, QuarterEdit};
use crate::{
    domain::{
        GoalVerdict, codes,
        ids::{CheckInId, ItemId, KeyResultId, MemberId, QuarterId, RetroNoteId, SprintId},
        roles::Roles,
        rules,
        validate::{Field, FieldError},
        values::{DaysOff, FocusFactor},
    },
    store::{CarryTo, CheckInChanges, MemberChanges, MemberFields, NoteToItem, QuarterChanges, Resolved, Store},
};

fn done(summary: String) -> Outcome {
    Outcome { summary, created: None, warnings: Vec::new() }
}

/// An object's name without its quarter: `S3` of `S3 in 2027-Q1`.
fn short_name(store: &Store, object: Resolved) -> Result<String, OpError> {
    let name = store.describe(object)?.name;
    Ok(name.split_once(" in ").map_or(name.as_str(), |(code, _)| code).to_owned())
}

pub(super) fn edit_check_in(store: &mut Store, check_in: CheckInId, edit: &CheckInEdit) -> Result<Outcome, OpError> {
    let summary = format!("Corrected {}", store.describe(Resolved::CheckIn(check_in))?.name);
    let changes = CheckInChanges {
        date: edit.date,
        value: edit.value,
        confidence: edit.confidence,
        note: edit.note.as_ref().map(|note| note.trim().to_owned()),
    };
    store.update_check_in(check_in.row(), &changes, &summary)?;
    // A corrected date gets the advice a new check-in's gets.
    let key_result = store.check_in_key_result(check_in.row())?.map(KeyResultId);
    let outside = match (edit.date, key_result) {
        (Some(date), Some(key_result)) => super::advice::outside_its_quarter(store, key_result, date)?,
        _ => None,
    };
    Ok(Outcome { warnings: outside.into_iter().collect(), ..done(summary) })
}

pub(super) fn set_goal_verdict(store: &mut Store, sprint: SprintId, verdict: GoalVerdict) -> Result<Outcome, OpError> {
    let summary = format!("{}'s goal: {}", short_name(store, Resolved::Sprint(sprint))?, verdict.word());
    store.set_goal_verdict(sprint.row(), verdict, &summary)?;
    Ok(done(summary))
}

pub(super) fn close_sprint_placing(
    store: &mut Store,
    sprint: SprintId,
    places: &[(ItemId, Place)],
    today: NaiveDate,
) -> Result<Outcome, OpError> {
    let name = short_name(store, Resolved::Sprint(sprint))?;
    if places.iter().any(|(_, place)| *place == Place::Sprint(sprint)) {
        return Err(OpError::Refused(format!("{name} cannot carry its items into itself: name a later sprint")));
    }
    let carry: Vec<_> = places
        .iter()
        .map(|(item, place)| {
            let to = match place {
                Place::Sprint(to) => CarryTo::Sprint(to.row()),
                Place::TopOfBacklog => CarryTo::TopOfBacklog,
                Place::BottomOfBacklog => CarryTo::BottomOfBacklog,
            };
            (item.row(), to)
        })
        .collect();
    let moved = match carry.len() {
        0 => String::new(),
        1 => ", 1 item carried over".to_owned(),
        count => format!(", {count} items carried over"),
    };
    let summary = format!("Closed {name}{moved}");
    store.close_sprint(sprint.row(), today, &carry, &summary)?;
    Ok(done(summary))
}

pub(super) fn set_focus(store: &mut Store, key_result: KeyResultId, sprints: &[SprintId]) -> Result<Outcome, OpError> {
    let kr = short_name(store, Resolved::KeyResult(key_result))?;
    let names = sprints.iter().map(|sprint| short_name(store, Resolved::Sprint(*sprint))).collect::<Result<Vec<_>, _>>()?;
    let summary = match names.as_slice() {
        [] => return Err(OpError::Refused(format!("No sprint named for {kr}'s focus: name one or more sprints"))),
        [one] => format!("{one} now focuses on {kr}"),
        several => format!("{} now focus on {kr}", several.join(", ")),
    };
    let rows: Vec<_> = sprints.iter().map(|sprint| sprint.row()).collect();
    store.set_focus(key_result.row(), &rows, &summary)?;
    Ok(done(summary))
}

fn note_text(text: &str) -> Result<&str, OpError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::new(Field::Note, "Write the note: a few words the team agreed on").into());
    }
    Ok(text)
}

pub(super) fn edit_retro_note(store: &mut Store, note: RetroNoteId, text: &str) -> Result<Outcome, OpError> {
    let text = note_text(text)?;
    let summary = format!("Saved the retro note {}", rules::quoted(text));
    store.edit_retro_note(note.row(), text, &summary)?;
    Ok(done(summary))
}

pub(super) fn move_retro_note(store: &mut Store, note: RetroNoteId, up: bool) -> Result<Outcome, OpError> {
    let summary = format!("Moved a retro note {}", if up { "up" } else { "down" });
    if store.move_retro_note(note.row(), up, &summary)? {
        Ok(done(summary))
    } else {
        Err(OpError::Refused(format!("The note is the {} of its list already", if up { "first" } else { "last" })))
    }
}

pub(super) fn retro_note_to_item(store: &mut Store, note: RetroNoteId) -> Result<Outcome, OpError> {
    // The label names the new item, known inside the step.
    let said = RefCell::new(String::new());
    let label = |item: crate::domain::Id| {
        let text = format!("A retro note is now backlog item {}, at the bottom", codes::item(item));
        said.replace(text.clone());
        text
    };
    match store.retro_note_to_item(note.row(), label)? {
        NoteToItem::Made(item) => {
            let found = store.describe(Resolved::Item(ItemId(item)))?;
            let created = super::Created { object: found.object, reference: codes::item(item), uid: found.uid };
            Ok(Outcome { summary: said.into_inner(), created: Some(created), warnings: Vec::new() })
        }
        NoteToItem::Already(item) => Err(OpError::Refused(format!("The note became item {} already", codes::item(item)))),
        NoteToItem::NotToImprove => Err(OpError::Refused("Only a 'to improve' note becomes a backlog item".to_owned())),
        NoteToItem::NotATitle(error) => Err(error.into()),
    }
}

fn name_of(name: &str) -> Result<&str, OpError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldError::new(Field::Name, "Give the member's name").into());
    }
    Ok(name)
}

fn days(days_off: &[(SprintId, DaysOff)]) -> Vec<(crate::domain::Id, DaysOff)> {
    days_off.iter().map(|(sprint, days)| (sprint.row(), *days)).collect()
}

pub(super) fn add_member(
    store: &mut Store,
    quarter: QuarterId,
    name: &str,
    focus_factor: FocusFactor,
    roles: Roles,
    days_off: &[(SprintId, DaysOff)],
) -> Result<Outcome, OpError> {
    let name = name_of(name)?;
    let fields = MemberFields { name: name.to_owned(), focus_factor, days_off: days(days_off), roles };
    let summary = format!("Added {} to the team", rules::quoted(name));
    let id = store.add_member(quarter.row(), &fields, &summary)?;
    let found = store.describe(Resolved::Member(MemberId(id)))?;
    let created = super::Created { object: found.object, reference: name.to_owned(), uid: found.uid };
    Ok(Outcome { summary, created: Some(created), warnings: Vec::new() })
}

pub(super) fn edit_member(store: &mut Store, member: MemberId, edit: &MemberEdit) -> Result<Outcome, OpError> {
    let name = edit.name.as_deref().map(name_of).transpose()?;
    let changes = MemberChanges {
        name: name.map(str::to_owned),
        focus_factor: edit.focus_factor,
        days_off: days(&edit.days_off),
        roles: edit.roles,
    };
    let summary = format!("Saved {}: focus factor and days off", store.describe(Resolved::Member(member))?.name);
    store.update_member(member.row(), &changes, &summary)?;
    Ok(done(summary))
}

pub(super) fn edit_quarter(store: &mut Store, quarter: QuarterId, edit: &QuarterEdit) -> Result<Outcome, OpError> {
    let label = edit.label.as_deref().map(str::trim);
    if let Some(label) = label {
        if label.is_empty() {
            return Err(FieldError::new(Field::Label, "Give the quarter a label, such as 2027-Q1").into());
        }
        if let Some(error) = crate::domain::labels::taken_label_error(label, &store.quarter_labels_except(Some(quarter.row()))?) {
            return Err(error.into());
        }
    }
    let summary = format!("Saved the settings of {}", store.describe(Resolved::Quarter(quarter))?.name);
    let changes =
        QuarterChanges { label: label.map(str::to_owned), start: edit.start, cadence: edit.cadence, overlap: edit.overlap };
    store.update_quarter_with(quarter.row(), &changes, &summary)?;
    Ok(done(summary))
}

pub(super) fn draft_quarter(store: &mut Store, label: &str, start: NaiveDate) -> Result<Outcome, OpError> {
    let label = label.trim();
    if label.is_empty() {
        return Err(FieldError::new(Field::Label, "Give the draft a label, such as 2027-Q2").into());
    }
    let summary = format!("Started drafting {label}");
    let id = store.create_draft(label, start, &summary)?;
    let found = store.describe(Resolved::Quarter(QuarterId(id)))?;
    let created = super::Created { object: found.object, reference: label.to_owned(), uid: found.uid };
    Ok(Outcome { summary, created: Some(created), warnings: Vec::new() })
}
