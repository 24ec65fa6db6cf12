//! The commands a board applies to items it holds in hand (the selection,
//! or the items marked): a state step, a swap with a neighbour, one state,
//! tags, sprint or deletion for several; and a step replayed by its id.

use std::cell::RefCell;

use super::{OpError, Outcome};
use crate::{
    domain::{Id, ItemState, codes, ids::ItemId, rules},
    store::{Resolved, Store},
};

fn done(summary: String) -> Outcome {
    Outcome { summary, created: None, warnings: Vec::new() }
}

fn rows(items: &[ItemId]) -> Vec<Id> {
    items.iter().map(|item| item.row()).collect()
}

/// How a summary names `items`: one by its title, several by their count.
fn items_name(store: &Store, items: &[ItemId]) -> Result<String, OpError> {
    match items {
        [] => Err(OpError::Refused("No items named: select or mark the items first".to_owned())),
        [item] => match store.item_title(item.row())? {
            Some(title) => Ok(rules::quoted(&title)),
            None => Err(OpError::NotFound(format!("{} is not on the board (deleted meanwhile?)", codes::item(item.row())))),
        },
        several => Ok(format!("{} items", several.len())),
    }
}

pub(super) fn step_state(store: &mut Store, item: ItemId, forward: bool, today: chrono::NaiveDate) -> Result<Outcome, OpError> {
    // The label is made inside the step, from the title and state the file
    // holds then: no read before it.
    let said = RefCell::new(String::new());
    let label = |title: &str, next: ItemState| {
        let text = format!("{} is now {}", rules::quoted(title), next.as_str());
        said.replace(text.clone());
        text
    };
    match store.step_item_state(item.row(), forward, today, label)? {
        Some(_) => Ok(done(said.into_inner())),
        None if forward => {
            Err(OpError::Refused(format!("{} is done already: nothing comes after done", codes::item(item.row()))))
        }
        None => Err(OpError::Refused(format!("{} is todo already: nothing comes before it", codes::item(item.row())))),
    }
}

pub(super) fn swap_ranks(store: &mut Store, item: ItemId, other: ItemId, up: bool) -> Result<Outcome, OpError> {
    if item == other {
        return Err(OpError::Refused(format!("{} cannot swap places with itself", codes::item(item.row()))));
    }
    let summary = format!("Moved {} {}", items_name(store, &[item])?, if up { "up" } else { "down" });
    store.swap_ranks(item.row(), other.row(), &summary)?;
    Ok(done(summary))
}

pub(super) fn set_states(
    store: &mut Store,
    items: &[ItemId],
    state: ItemState,
    today: chrono::NaiveDate,
) -> Result<Outcome, OpError> {
    let verb = if items.len() == 1 { "is" } else { "are" };
    let summary = format!("{} {verb} now {}", items_name(store, items)?, state.as_str());
    store.set_items_state(&rows(items), state, today, &summary)?;
    Ok(done(summary))
}

pub(super) fn tag_items(
    store: &mut Store,
    items: &[ItemId],
    add: &[super::KeyResultId],
    remove: &[super::KeyResultId],
) -> Result<Outcome, OpError> {
    let name = items_name(store, items)?;
    let summary = if add.is_empty() && remove.is_empty() {
        format!("Kept the tags of {name} for this quarter")
    } else {
        let codes = |krs: &[super::KeyResultId]| -> Result<Vec<String>, OpError> {
            krs.iter()
                .map(|kr| Ok(store.describe(Resolved::KeyResult(*kr))?.name.split(" in ").next().unwrap_or_default().to_owned()))
                .collect()
        };
        let mut parts = Vec::new();
        if !add.is_empty() {
            parts.push(format!("tagged {}", codes(add)?.join(", ")));
        }
        if !remove.is_empty() {
            parts.push(format!("untagged {}", codes(remove)?.join(", ")));
        }
        format!("{}: {name}", capitalized(&parts.join(", ")))
    };
    let krs = |krs: &[super::KeyResultId]| krs.iter().map(|kr| kr.row()).collect::<Vec<_>>();
    store.change_items_tags(&rows(items), &krs(add), &krs(remove), &summary)?;
    Ok(done(summary))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub(super) fn move_items(store: &mut Store, items: &[ItemId], sprint: Option<super::SprintId>) -> Result<Outcome, OpError> {
    let name = items_name(store, items)?;
    let summary = match sprint {
        Some(sprint) => {
            let to = store.describe(Resolved::Sprint(sprint))?.name;
            format!("Moved {name} to {}", to.split(" in ").next().unwrap_or(&to))
        }
        None if items.len() == 1 => format!("Took {name} out of its sprint"),
        None => format!("Took {name} out of their sprints"),
    };
    store.set_items_sprint(&rows(items), sprint.map(super::SprintId::row), &summary)?;
    Ok(done(summary))
}

pub(super) fn delete_items(store: &mut Store, items: &[ItemId]) -> Result<Outcome, OpError> {
    let summary = format!("Deleted {}", items_name(store, items)?);
    store.delete_items(&rows(items), &summary)?;
    Ok(done(summary))
}

pub(super) fn replay_step(store: &mut Store, step: i64, redo: bool) -> Result<Outcome, OpError> {
    let replayed = if redo { store.redo_step(step)? } else { store.undo_step(step)? };
    match replayed {
        Some(label) => Ok(done(format!("{}: {label}", if redo { "Redone" } else { "Undone" }))),
        None if redo => Err(OpError::Refused("That step was redone meanwhile: nothing changed".to_owned())),
        None => Err(OpError::Refused("That step was undone meanwhile: nothing changed".to_owned())),
    }
}

pub(super) fn delete(store: &mut Store, object: Resolved) -> Result<Outcome, OpError> {
    if let Resolved::Item(item) = object {
        return delete_items(store, &[item]);
    }
    let summary = format!("Deleted {}", store.describe(object)?.name);
    match object {
        Resolved::Objective(id) => store.delete_objective(id.row(), &summary)?,
        Resolved::KeyResult(id) => store.delete_key_result(id.row(), &summary)?,
        Resolved::CheckIn(id) => store.delete_check_in(id.row(), &summary)?,
        Resolved::Sprint(id) => store.delete_sprint(id.row(), &summary)?,
        Resolved::RetroNote(id) => store.delete_retro_note(id.row(), &summary)?,
        Resolved::Member(id) => store.delete_member(id.row(), &summary)?,
        Resolved::Item(_) | Resolved::Quarter(_) => {
            return Err(OpError::Refused("A quarter is not deleted: close it, or replace it by importing a plan".to_owned()));
        }
    }
    Ok(done(summary))
}
