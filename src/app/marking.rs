//! Marking a range of backlog items (`v`, then moving) to tag, plan, set
//! the state of or delete them all at once, as one undo step.

use super::{
    Action, App, Confirm, Context, Overlay, Pane, Pending,
    commands::{FollowUp, Then},
    detail::Deletion,
    edits::{Refresh, quoted},
    pickers::{Choice, ChoiceValue, Picker, PickerKind},
};
use crate::{
    domain::{Id, ItemRow, ItemState, ids::ItemId},
    ops::Command,
};

impl App {
    /// `v`: starts marking at the selected item, or stops.
    pub(super) fn toggle_mark(&mut self) {
        // The keys as the keymap has them ("-" for an action left without one).
        let key = |action| self.keymap.keys_label(Context::Board, action).unwrap_or_else(|| "-".to_owned());
        if self.focus != Pane::Backlog || self.board.is_none() {
            self.say(format!("Marking works in the backlog ({})", key(Action::FocusBacklog)));
            return;
        }
        if self.backlog.marked.take().is_some() {
            self.say("Stopped marking".into());
        } else if self.backlog.summary.count > 0 {
            let text = format!(
                "Marking: move to mark more, then {} tags, {} plans, {} sets the state, {} deletes; {} or {} stops",
                key(Action::TagItem),
                key(Action::MoveToSprint),
                key(Action::StateForward),
                key(Action::Delete),
                key(Action::Mark),
                key(Action::Back)
            );
            self.backlog.marked = Some(self.backlog.selected);
            self.say(text);
        }
    }

    /// The marked rows (none when not marking), read in one window.
    fn marked_rows(&self) -> Result<Vec<ItemRow>, crate::store::StoreError> {
        let Some(range) = self.backlog.marked_range() else { return Ok(Vec::new()) };
        self.store.backlog_page(&self.backlog.filter, *range.start(), range.end() - range.start() + 1)
    }

    /// The items an item action applies to: the marked range, or else the
    /// selected item; with a name for the status line.
    pub(super) fn items_in_hand(&mut self) -> anyhow::Result<Option<(Vec<Id>, String)>> {
        if self.backlog.marked.is_some() {
            let rows = self.marked_rows()?;
            let ids: Vec<Id> = rows.iter().map(|row| row.id).collect();
            if ids.len() == 1 {
                return Ok(Some((ids, rows[0].title.clone())));
            }
            let name = format!("{} marked items", ids.len());
            return Ok(Some((ids, name)));
        }
        Ok(self.selected_item().map(|(id, title)| (vec![id], title)))
    }

    /// `s`/`S` with items marked: one state for them all.
    pub(super) fn open_state_picker(&mut self) -> anyhow::Result<()> {
        let Some((items, item_title)) = self.items_in_hand()? else { return Ok(()) };
        let choices = ItemState::ALL
            .iter()
            .map(|state| Choice::new(ChoiceValue::State(*state), state.as_str().to_owned(), false))
            .collect();
        self.overlays.push(Overlay::Picker(Picker { kind: PickerKind::State, items, item_title, choices, cursor: 0 }));
        Ok(())
    }

    pub(super) fn set_marked_state(&mut self, items: &[Id], name: &str, state: ItemState) -> anyhow::Result<()> {
        let verb = if items.len() == 1 { "is" } else { "are" };
        let label = format!("{name} {verb} now {}", state.as_str());
        let command = Command::SetStates { items: items.iter().copied().map(ItemId).collect(), state };
        self.run_command(command, FollowUp::saying(Refresh::Everything, label).then(Then::ClearMarks)).map(drop)
    }

    /// `d` with items marked: asks, naming how many and their points.
    pub(super) fn ask_delete_marked(&mut self) -> anyhow::Result<()> {
        let rows = self.marked_rows()?;
        if rows.is_empty() {
            return Ok(());
        }
        let points: u32 = rows.iter().map(|row| row.points).sum();
        let planned = rows.iter().filter(|row| row.sprint_number.is_some()).count();
        let first = rows.first().map(|row| quoted(&row.title)).unwrap_or_default();
        let confirm = Confirm {
            question: format!("Delete the {} marked items?", rows.len()),
            details: format!(
                "From {first} on: {points} points, {planned} of them planned in a sprint. {} brings them all back.",
                self.key(super::Context::Board, super::Action::Undo)
            ),
            action: Pending::Delete {
                target: Deletion::Items(rows.iter().map(|row| row.id).collect()),
                label: format!("Deleted {}", crate::format::count(rows.len() as u64, "item", "items")),
            },
        };
        self.overlays.push(Overlay::Confirm(confirm));
        Ok(())
    }
}
