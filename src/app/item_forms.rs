//! Adding, editing and deleting backlog items through forms and a
//! confirmation. Each write is one recorded action.

use ratatui::crossterm::event::KeyEvent;

use super::{
    Action, App, Confirm, Context, Overlay, Pending,
    commands::{FollowUp, Then},
    detail::Deletion,
    edits::{Refresh, quoted},
    form::{self, Field, Form},
};
use crate::domain::codes;
use crate::{
    domain::{
        Id,
        ids::{ItemId, KeyResultId},
        validate::FieldError,
    },
    ops::{Command, ItemEdit},
};

/// A value the form let through that the command's type refuses: the form
/// and the type disagree, so the message is the type's.
pub(super) fn field_error(error: FieldError) -> anyhow::Error {
    anyhow::anyhow!(error.message)
}

impl App {
    pub(super) fn open_add_form(&mut self) {
        if self.board.is_none() {
            return;
        }
        let tag = self.backlog.filter.key_result.and_then(|id| {
            let code = self.board.as_ref()?.key_result(id)?.code.clone();
            Some((id, code))
        });
        self.overlays.push(Overlay::Form(Box::new(Form::add_item(tag.as_ref().map(|(id, code)| (*id, code.as_str()))))));
    }

    pub(super) fn open_edit_form(&mut self) -> anyhow::Result<()> {
        let Some(id) = self.backlog.selected_id() else { return Ok(()) };
        if let Some(item) = self.store.item_detail(id)? {
            self.overlays.push(Overlay::Form(Box::new(Form::edit_item(&item))));
        }
        Ok(())
    }

    pub(super) fn add_item(&mut self, tag: Option<Id>) -> anyhow::Result<()> {
        let Some((item, _)) = self.parse_form(form::new_item) else { return Ok(()) };
        let label = format!("Added {} to the bottom of the backlog", quoted(item.title.as_str()));
        let command = Command::AddItem {
            title: item.title,
            points: item.points,
            kind: item.kind,
            krs: tag.map(KeyResultId).into_iter().collect(),
            description: item.description,
            deferred_reason: item.deferred_reason,
        };
        let follow = FollowUp::saying(Refresh::Backlog, label).then(Then::SelectCreated);
        self.run_command(command, follow).map(drop)
    }

    pub(super) fn update_item(&mut self, id: Id) -> anyhow::Result<()> {
        let Some((item, form)) = self.parse_form(form::new_item) else { return Ok(()) };
        let label = format!("Saved {}", quoted(item.title.as_str()));
        let edit = ItemEdit {
            title: form.changed(Field::Title, item.title),
            points: form.changed(Field::Points, item.points),
            kind: form.changed(Field::Kind, item.kind),
            description: form.changed(Field::Description, item.description),
            deferred_reason: form.changed(Field::DeferredReason, item.deferred_reason),
        };
        // Points count in sprint loads.
        self.run_command(Command::EditItem { item: ItemId(id), edit }, FollowUp::saying(Refresh::Everything, label)).map(drop)
    }

    /// Asks before deleting, naming the item and what goes with it.
    pub(super) fn ask_delete(&mut self) {
        let Some(row) = self.backlog.selected_row() else { return };
        let tags = if row.is_bau() { "no KR (BAU)".to_owned() } else { format!("tagged {}", row.kr_codes.join(", ")) };
        let sprint = row.sprint_number.map_or_else(|| "in no sprint".to_owned(), |number| format!("planned in Sprint {number}"));
        let confirm = Confirm {
            question: format!("Delete item {} '{}'?", codes::item(row.id), row.title),
            details: format!(
                "{} points, {tags}, {sprint}. {} brings it back.",
                row.points,
                self.key(Context::Board, Action::Undo)
            ),
            action: Pending::Delete { target: Deletion::Items(vec![row.id]), label: format!("Deleted {}", quoted(&row.title)) },
        };
        self.overlays.push(Overlay::Confirm(confirm));
    }

    /// Keys while a confirmation is open, from the `[confirm]` keymap;
    /// other keys do nothing.
    pub(super) fn confirm_key(&mut self, key: &KeyEvent) -> anyhow::Result<()> {
        match self.keymap.action(Context::Confirm, key) {
            Some(Action::Yes) => {
                let Some(Overlay::Confirm(confirm)) = self.overlays.pop() else { return Ok(()) };
                match confirm.action {
                    Pending::Delete { target, label } => self.delete_plan_part(&target, label)?,
                    Pending::UndoForeign { step } => self.undo_foreign(step)?,
                    Pending::Replay { step, redo } => self.replay_asked(step, redo)?,
                    Pending::StartSprint { sprint } => self.start_sprint(sprint)?,
                    Pending::CloseSprint { sprint, carry } => self.close_sprint(sprint, &carry)?,
                    Pending::CloseQuarter { quarter } => self.close_quarter(quarter)?,
                    Pending::QuitDroppingWaiting => self.quit_dropping_waiting(),
                }
            }
            Some(Action::No) => {
                let Some(Overlay::Confirm(confirm)) = self.overlays.pop() else { return Ok(()) };
                self.say(match confirm.action {
                    Pending::Delete { .. } => "Nothing was deleted".into(),
                    Pending::UndoForeign { .. } | Pending::Replay { redo: false, .. } => "Nothing was undone".into(),
                    Pending::Replay { redo: true, .. } => "Nothing was redone".into(),
                    Pending::StartSprint { .. } => format!(
                        "The sprint stays planned; {} then {} starts it",
                        self.key(Context::Board, Action::Review),
                        self.key(Context::Review, Action::StartSprint)
                    ),
                    Pending::CloseSprint { .. } => "The sprint stays open".into(),
                    Pending::CloseQuarter { .. } => "The quarter stays open".into(),
                    Pending::QuitDroppingWaiting if self.write_is_waiting() => {
                        "Still waiting: the change is written once the other program lets go".into()
                    }
                    Pending::QuitDroppingWaiting => "The waiting change was written meanwhile".into(),
                });
            }
            _ => {}
        }
        Ok(())
    }
}
