//! The conflict chooser: a screen of its own, opened when a sync ends with
//! conflicts (or with `y` while a merge waits for choices). One row per
//! conflicting field, with mine, theirs and the base; `m` takes mine, `t`
//! theirs (written at once, one transaction: `Store::choose_sync_conflict`),
//! `Enter` runs the sync again once every field is chosen, and the engine
//! completes the merge with the choices. `Esc` leaves; the merge waits and
//! the choices made so far stay.

use super::{Action, App, Overlay, selection::Step};
use crate::{
    plan::{Conflict, ConflictKind, Side},
    store::StoredConflict,
};

/// What a conflict is about, as its heading says it: the field (`points`),
/// or, for a whole object one side deleted and the other changed (the
/// conflict then has no field), `deleted on theirs, changed on mine`.
pub fn field_label(conflict: &Conflict) -> String {
    if !conflict.field.is_empty() {
        return conflict.field.clone();
    }
    match conflict.kind {
        ConflictKind::DeletedVsChanged { deleted_on: Side::Theirs } => "deleted on theirs, changed on mine".to_owned(),
        ConflictKind::DeletedVsChanged { deleted_on: Side::Mine } => "deleted on mine, changed on theirs".to_owned(),
        _ => "the whole object".to_owned(),
    }
}

/// One conflict as the chooser shows it: the stored conflict and the
/// title of the object it is about, when the board has it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChooserRow {
    pub stored: StoredConflict,
    pub title: Option<String>,
}

/// The chooser's state: the conflicts as the file holds them, and the
/// selected one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncChooser {
    pub rows: Vec<ChooserRow>,
    pub selected: usize,
}

impl SyncChooser {
    /// How many fields wait for a side.
    pub fn unchosen(&self) -> usize {
        self.rows.iter().filter(|row| row.stored.chosen.is_none()).count()
    }
}

impl App {
    /// The chooser, when it is open.
    pub fn sync_chooser(&self) -> Option<&SyncChooser> {
        self.overlays.iter().rev().find_map(|overlay| match overlay {
            Overlay::SyncChooser(chooser) => Some(&**chooser),
            _ => None,
        })
    }

    /// Opens the chooser on the waiting merge's conflicts (or reads them
    /// again when it is open already).
    pub(super) fn open_sync_chooser(&mut self) -> anyhow::Result<()> {
        if !self.chooser_open() {
            self.overlays.push(Overlay::SyncChooser(Box::default()));
        }
        self.read_sync_chooser()
    }

    /// Reads the conflicts again into an open chooser, keeping its
    /// selection within them; a failed read shows in the status line.
    pub(super) fn refresh_sync_chooser(&mut self) {
        if self.chooser_open()
            && let Err(error) = self.read_sync_chooser()
        {
            self.reading_failed(&error);
        }
    }

    fn read_sync_chooser(&mut self) -> anyhow::Result<()> {
        let rows = self
            .store
            .sync_conflicts()?
            .into_iter()
            .map(|stored| {
                let title = self.title_of(&stored);
                ChooserRow { stored, title }
            })
            .collect::<Vec<_>>();
        // A merge the sync completed (or another window resolved) leaves
        // nothing to choose: the chooser closes.
        if rows.is_empty() {
            self.overlays.retain(|overlay| !matches!(overlay, Overlay::SyncChooser(_)));
            return Ok(());
        }
        for overlay in &mut self.overlays {
            if let Overlay::SyncChooser(chooser) = overlay {
                chooser.selected = chooser.selected.min(rows.len() - 1);
                chooser.rows.clone_from(&rows);
            }
        }
        Ok(())
    }

    /// An item's title, by the number in its code (`#42` is item 42);
    /// one deleted on this board is named by the title a side of a
    /// whole-object conflict holds.
    fn title_of(&self, stored: &StoredConflict) -> Option<String> {
        let conflict = &stored.conflict;
        let number = conflict.code.strip_prefix('#')?.parse().ok()?;
        match self.store.item_detail(number).ok().flatten() {
            Some(detail) => Some(detail.row.title),
            None => [&conflict.mine, &conflict.theirs, &conflict.base]
                .into_iter()
                .find_map(|side| side.get("title").and_then(serde_json::Value::as_str).map(str::to_owned)),
        }
    }

    /// The chooser's own keys; `true` when the action was one of them.
    pub(super) fn sync_chooser_action(&mut self, action: Action) -> anyhow::Result<bool> {
        match action {
            Action::TakeMine => self.take_side(Side::Mine)?,
            Action::TakeTheirs => self.take_side(Side::Theirs)?,
            Action::Sync => self.complete_merge()?,
            Action::Back => {
                self.overlays.pop();
                let again = self.key(super::Context::Board, Action::Sync);
                self.say(format!("The merge waits for your choices; {again} opens them again"));
            }
            action => match Step::of(action) {
                Some(step) => self.move_in_chooser(step),
                None => return Ok(false),
            },
        }
        Ok(true)
    }

    fn move_in_chooser(&mut self, step: Step) {
        if let Some(Overlay::SyncChooser(chooser)) = self.overlays.last_mut() {
            chooser.selected = step.apply(chooser.selected, chooser.rows.len(), 5);
        }
    }

    /// `m` / `t`: writes the side for the selected field at once, then
    /// moves to the next field still waiting for one.
    fn take_side(&mut self, side: Side) -> anyhow::Result<()> {
        let Some(Overlay::SyncChooser(chooser)) = self.overlays.last() else { return Ok(()) };
        let Some(row) = chooser.rows.get(chooser.selected) else { return Ok(()) };
        let (id, field, code, label) = (
            row.stored.conflict.id.clone(),
            row.stored.conflict.field.clone(),
            row.stored.conflict.code.clone(),
            field_label(&row.stored.conflict),
        );
        let still_there = self.store.choose_sync_conflict(&id, &field, side)?;
        self.read_sync_chooser()?;
        if !still_there {
            self.say("That conflict is no longer waiting (another window synced)".into());
            return Ok(());
        }
        let word = match side {
            Side::Mine => "mine",
            Side::Theirs => "theirs",
        };
        if let Some(Overlay::SyncChooser(chooser)) = self.overlays.last_mut() {
            let from = chooser.selected;
            let count = chooser.rows.len();
            if let Some(next) =
                (1..count).map(|offset| (from + offset) % count).find(|at| chooser.rows[*at].stored.chosen.is_none())
            {
                chooser.selected = next;
            }
            let left = chooser.unchosen();
            let sync_key = self.key(super::Context::SyncConflicts, Action::Sync);
            let then = match left {
                0 => format!("every field is chosen: {sync_key} completes the merge"),
                1 => "1 field left to choose".to_owned(),
                left => format!("{left} fields left to choose"),
            };
            self.say(format!("{} {label}: {word}; {then}", crate::ui::text::clean(&code)));
        }
        Ok(())
    }

    /// `Enter`: once every field is chosen, the sync runs again and
    /// completes the merge with the choices.
    fn complete_merge(&mut self) -> anyhow::Result<()> {
        let left = self.sync_chooser().map_or(0, SyncChooser::unchosen);
        if left > 0 {
            let (mine, theirs) = (
                self.key(super::Context::SyncConflicts, Action::TakeMine),
                self.key(super::Context::SyncConflicts, Action::TakeTheirs),
            );
            let fields = if left == 1 { "1 field waits".to_owned() } else { format!("{left} fields wait") };
            self.status =
                Some(super::Status { text: format!("{fields} for a side: {mine} takes mine, {theirs} theirs"), is_error: true });
            return Ok(());
        }
        self.start_sync()
    }
}
