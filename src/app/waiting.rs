//! A write that waits for another program's lock, without freezing the
//! board.
//!
//! SQLite lets one process write at a time. When another program holds the
//! lock (a long import, a second window mid-write), the store gives up after
//! a short wait ([`LOCK_WAIT`]) with [`StoreError::Busy`] instead of
//! blocking the screen for seconds. The app then keeps the event that asked
//! for the write, with the screen it was asked on, and the terminal loop
//! retries it until it goes through or the user cancels it with `Esc`.
//! Meanwhile the board stays live: keys that only read act on the screen as
//! it is now, and the store holds every other write ([`StoreError::Held`]),
//! so that none overtakes the waiting one.
//!
//! A retry replays the event on the screen it was asked on, read again from
//! the file first; the store's writes are deltas on the stored row, so a
//! retry applies to the row as the file has it then. The flow stays one
//! way: the event goes through `update` again, as if pressed once more.

use std::time::Duration;

use ratatui::crossterm::event::{Event, KeyEventKind};

use super::{App, Backlog, Overlay, Pane, Status, commands::FollowUp, editor::EditorRequest};
use crate::{
    domain::Id,
    ops::Command,
    store::{ItemFilter, StoreError},
};

/// What the status line says while a write waits.
pub const WAITING_LINE: &str = "Waiting for another program that is writing to the board…";

/// How long SQLite itself waits for another program's lock before a write
/// gives up and waits in the loop instead: long enough to ride out a second
/// window's short writes unnoticed, short enough that a key never feels
/// stuck.
pub const LOCK_WAIT: Duration = Duration::from_millis(100);

/// A write that met another program's lock, kept until it goes through or
/// is cancelled.
pub(super) struct WaitingWrite {
    replay: Replay,
    /// The screen the write was asked on.
    screen: Screen,
}

/// What to do again.
enum Replay {
    /// A command, as the key made it (ids, parsed values), with what the
    /// screen does once it lands: applied as it is, whatever the selection
    /// does meanwhile.
    Command { command: Command, follow: FollowUp },
    /// A key, click or paste, handled as when it came: a write not yet
    /// made a command.
    Event(Event),
    /// A description back from `$EDITOR`: the text is kept, not the editor run.
    Description { request: EditorRequest, text: String },
}

/// What an action reads from the screen to know what it applies to.
struct Screen {
    focus: Pane,
    okr_selected: usize,
    okr_scroll: usize,
    sprint_selected: usize,
    backlog: SavedBacklog,
    /// The screens and dialogs on the stack, planning among them.
    overlays: Vec<Overlay>,
    /// `PRAGMA data_version` when this screen last read the file.
    data_version: i64,
}

/// The backlog's position, without its rows: they are read again on each
/// try, as the file has them then.
struct SavedBacklog {
    filter: ItemFilter,
    selected: usize,
    scroll: usize,
    marked: Option<usize>,
    item: Option<Id>,
}

/// The screen the user is looking at, set aside while a try runs on the
/// screen the write was asked on.
struct Live {
    focus: Pane,
    okr_selected: usize,
    okr_scroll: usize,
    sprint_selected: usize,
    backlog: Backlog,
    /// The screens and dialogs on the stack, planning among them.
    overlays: Vec<Overlay>,
    status: Option<Status>,
    ui_state_changed: bool,
    data_version: i64,
}

/// The store's error behind `error`, if it is one: actions return
/// `anyhow` errors, and a store call's typed error rides inside them.
pub(super) fn store_error(error: &anyhow::Error) -> Option<&StoreError> {
    error.chain().find_map(|cause| {
        cause.downcast_ref::<StoreError>().or_else(|| match cause.downcast_ref::<crate::ops::OpError>() {
            Some(crate::ops::OpError::Store(inner)) => Some(inner),
            _ => None,
        })
    })
}

/// A failed write as the board words it. The store's messages do not guess
/// why what a write aimed at changed; the board does know: it wrote nothing
/// itself since it drew what the write was aimed at, so another window (or
/// program) changed it meanwhile.
pub(super) fn board_words(error: &anyhow::Error) -> String {
    let text = format!("{error:#}");
    let (store, worded) = match store_error(error) {
        Some(refused @ StoreError::StartedAlready { .. }) => {
            let store = refused.to_string();
            let worded = store.replacen(" already;", " already (changed in another window meanwhile);", 1);
            (store, worded)
        }
        Some(refused @ StoreError::Deleted { action }) => {
            (refused.to_string(), format!("Not done ({action}): it was deleted in another window meanwhile; nothing was written"))
        }
        _ => return text,
    };
    text.replacen(&store, &worded, 1)
}

/// What the status line says when an action met a damaged file: the
/// banner above says the rest.
fn damaged_line(damaged: &StoreError) -> String {
    match damaged {
        StoreError::Damaged { path: Some(path), .. } => {
            format!("Nothing was changed: {} is damaged (see above)", path.display())
        }
        other => other.to_string(),
    }
}

/// What the status line says when a write is refused because an earlier
/// one waits for the lock ([`StoreError::Held`], with what the action was
/// doing): the store's words, then how to cancel the waiting one (`Esc`,
/// see [`App::cancel_waiting_write`]), which the store never names.
pub fn held_line(refused: impl std::fmt::Display) -> String {
    format!("{refused:#}; esc cancels the waiting one")
}

impl App {
    /// Whether a write waits for another program's lock.
    pub fn write_is_waiting(&self) -> bool {
        self.waiting.is_some()
    }

    /// What became of an event that failed. `dialog` is the depth of the
    /// stack before it and the dialog then on top, if it was a form, picker
    /// or question: those close before their write, and must stay open
    /// when the write did not happen.
    pub(super) fn event_failed(&mut self, event: &Event, dialog: (usize, Option<Overlay>), error: &anyhow::Error) {
        let (depth, dialog) = dialog;
        let reopen = |app: &mut Self| {
            if app.overlays.len() < depth
                && let Some(dialog) = dialog
            {
                app.overlays.push(dialog);
            }
        };
        // Another program's lock, a write's or (rarely) a read's inside the
        // action: nothing was written, and trying again is safe.
        let blocked = self.take_blocked();
        if let Some(damaged) = self.damaged_in(error) {
            reopen(self);
            self.status = Some(Status { text: damaged_line(&damaged), is_error: true });
            return;
        }
        match store_error(error) {
            Some(StoreError::Busy) => {
                reopen(self);
                let replay = match blocked {
                    Some((command, follow)) => Replay::Command { command, follow },
                    None => Replay::Event(event.clone()),
                };
                self.wait_to_write(replay);
            }
            Some(StoreError::Held) => {
                reopen(self);
                self.status = Some(Status { text: held_line(error), is_error: true });
            }
            // A full disk: nothing was written, and the same write goes
            // through once there is room, so the form keeps what was typed.
            Some(StoreError::DiskFull { .. }) => {
                reopen(self);
                self.status = Some(Status { text: board_words(error), is_error: true });
            }
            _ => self.status = Some(Status { text: board_words(error), is_error: true }),
        }
    }

    /// Takes what `$EDITOR` left, as [`App::finish_description`] does, and
    /// keeps the text waiting when another program holds the lock.
    pub fn finish_description_or_wait(&mut self, request: EditorRequest, edited: Result<String, String>) {
        let text = edited.clone().unwrap_or_default();
        if let Err(error) = self.finish_description(&request, edited) {
            let blocked = self.take_blocked();
            match store_error(&error) {
                Some(StoreError::Busy) => self.wait_to_write(match blocked {
                    Some((command, follow)) => Replay::Command { command, follow },
                    None => Replay::Description { request, text },
                }),
                _ => {
                    let text = self.damaged_in(&error).map_or_else(|| board_words(&error), |damaged| damaged_line(&damaged));
                    self.status = Some(Status { text, is_error: true });
                }
            }
        }
    }

    /// The status line while a write waits: that it waits, and the key
    /// that cancels it (the board's back key).
    pub fn waiting_line(&self) -> String {
        format!("{WAITING_LINE} {} cancels", self.key(super::Context::Board, super::Action::Back))
    }

    /// The back key (`Esc`) while a write waits cancels it; returns whether it did.
    pub(super) fn cancel_waiting_write(&mut self, event: &Event) -> bool {
        // The screen's back key (`Esc` by default), as the waiting line says.
        let is_esc = matches!(event, Event::Key(key)
            if key.kind != KeyEventKind::Release && self.keymap.action(self.context(), key) == Some(super::Action::Back));
        // Esc in a dialog is the dialog's: a form keeps its own Esc.
        if !is_esc || self.dialog_open() || self.waiting.take().is_none() {
            return false;
        }
        self.store.hold_writes(false);
        self.say("Cancelled the waiting change: nothing was written".into());
        true
    }

    /// A key or paste for the dialog whose save waits (open again on top,
    /// as it was): it takes no edits, so that what lands is what was
    /// saved and the dialog closes as it would have. Its cancel key
    /// cancels the save and leaves the dialog open with what was typed.
    /// Returns whether the event was the waiting dialog's.
    pub(super) fn waiting_dialog_event(&mut self, event: &Event) -> bool {
        let key = match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => Some(key),
            Event::Paste(_) => None,
            _ => return false,
        };
        let Some(waiting) = &self.waiting else { return false };
        let (depth, Some(saved)) = (waiting.screen.overlays.len(), waiting.screen.overlays.last()) else { return false };
        if !saved.closes_before_writing()
            || self.overlays.len() != depth
            || !self.overlays.last().is_some_and(|open| same_dialog(open, saved))
        {
            return false;
        }
        let context = self.context();
        let cancel = if context == super::Context::Confirm { super::Action::No } else { super::Action::Cancel };
        if key.is_some_and(|key| self.keymap.action(context, key) == Some(cancel)) {
            self.waiting = None;
            self.store.hold_writes(false);
            self.say("Cancelled the waiting save: nothing was written; what you typed is still here".into());
        } else {
            self.status = Some(Status {
                text: format!(
                    "Saving waits for another program that is writing to the board: no edits until it lands; {} cancels the save",
                    self.key(context, cancel)
                ),
                is_error: false,
            });
        }
        true
    }

    /// Quit while a change waits: asks whether to drop it.
    pub(super) fn ask_before_dropping_waiting(&mut self) {
        self.overlays.push(Overlay::Confirm(super::detail::Confirm {
            question: "A change waits for another program that is writing to the board.".into(),
            details: "Quit now and it is not written; wait, and it is written once the other program lets go.".into(),
            action: super::detail::Pending::QuitDroppingWaiting,
        }));
    }

    /// The answer "drop it": the waiting change goes (if it has not landed
    /// meanwhile), and the board quits.
    pub(super) fn quit_dropping_waiting(&mut self) {
        if self.waiting.take().is_some() {
            self.store.hold_writes(false);
        }
        self.quit();
    }

    fn wait_to_write(&mut self, replay: Replay) {
        let backlog = SavedBacklog {
            filter: self.backlog.filter.clone(),
            selected: self.backlog.selected,
            scroll: self.backlog.scroll,
            marked: self.backlog.marked,
            item: self.backlog.selected_id(),
        };
        let screen = Screen {
            focus: self.focus,
            okr_selected: self.okr_selected,
            okr_scroll: self.okr_scroll,
            sprint_selected: self.sprint_selected,
            backlog,
            overlays: self.overlays.clone(),
            data_version: self.data_version,
        };
        self.waiting = Some(WaitingWrite { replay, screen });
        self.store.hold_writes(true);
        // The status line shows the waiting line instead.
        self.status = None;
    }

    /// Tries the waiting write again; the terminal loop calls this a few
    /// times a second while one waits. Returns whether the screen changed:
    /// the write went through or failed for another reason (the status line
    /// says which), or reading the file failed.
    pub fn retry_waiting_write(&mut self) -> bool {
        let Some(waiting) = self.waiting.take() else { return false };
        // The screen the user looks at first takes in what others wrote, so
        // that it is current whatever this try does.
        if let Err(error) = self.poll_external_changes() {
            self.reading_failed(&error);
            self.waiting = Some(waiting);
            return true;
        }
        if matches!(waiting.replay, Replay::Command { .. }) {
            return self.retry_command(waiting);
        }
        let live = self.set_aside();
        if let Err(error) = self.enter(&waiting.screen, live.backlog.height) {
            // Reading failed (SQLite can be busy for a reader too, briefly):
            // nothing was tried; the next try reads again.
            self.put_back(live);
            self.reading_failed(&error);
            self.waiting = Some(waiting);
            return true;
        }
        self.store.hold_writes(false);
        let result = match &waiting.replay {
            Replay::Command { .. } => Ok(()),
            // A click only selects: a waiting write is always a key.
            Replay::Event(event) => self.dispatch(event, None),
            Replay::Description { request, text } => self.finish_description(request, Ok(text.clone())),
        };
        match result {
            // The user goes on where they are now (a form opened meanwhile
            // keeps what was typed), with the change read in.
            Ok(()) => {
                let status = self.status.take();
                let mut live = live;
                // The dialog whose save waited is done with, unless the user
                // went on typing in it meanwhile.
                if let Some(saved) = waiting.screen.overlays.last().filter(|overlay| overlay.closes_before_writing()) {
                    let at = waiting.screen.overlays.len() - 1;
                    if live.overlays.get(at).is_some_and(|open| same_dialog(open, saved)) {
                        live.overlays.remove(at);
                    }
                }
                self.put_back(live);
                self.status = status;
                if let Err(error) = self.refresh_all() {
                    self.reading_failed(&error);
                }
                true
            }
            Err(error) if matches!(store_error(&error), Some(StoreError::Busy)) => {
                self.blocked = None;
                self.put_back(live);
                self.waiting = Some(waiting);
                self.store.hold_writes(true);
                false
            }
            Err(error) => {
                self.status = Some(Status { text: board_words(&error), is_error: true });
                true
            }
        }
    }

    /// A waiting command applied again on the screen as it is now: it names
    /// its objects by id, so where the selection went meanwhile does not
    /// matter. Returns whether the screen changed, as
    /// [`App::retry_waiting_write`] does.
    fn retry_command(&mut self, waiting: WaitingWrite) -> bool {
        let Replay::Command { command, follow } = &waiting.replay else { return false };
        self.store.hold_writes(false);
        match self.run_command(command.clone(), follow.clone().on_a_later_screen()) {
            Ok(_) => {
                // The dialog whose save waited is done with, unless the user
                // went on typing in it meanwhile.
                if let Some(saved) = waiting.screen.overlays.last().filter(|overlay| overlay.closes_before_writing()) {
                    let at = waiting.screen.overlays.len() - 1;
                    if self.overlays.get(at).is_some_and(|open| same_dialog(open, saved)) {
                        self.overlays.remove(at);
                    }
                }
                if let Err(error) = self.refresh_all() {
                    self.reading_failed(&error);
                }
                true
            }
            Err(error) if matches!(store_error(&error), Some(StoreError::Busy)) => {
                self.blocked = None;
                self.waiting = Some(waiting);
                self.store.hold_writes(true);
                false
            }
            Err(error) => {
                self.blocked = None;
                self.status = Some(Status { text: format!("{error:#}"), is_error: true });
                true
            }
        }
    }

    fn set_aside(&mut self) -> Live {
        Live {
            focus: self.focus,
            okr_selected: self.okr_selected,
            okr_scroll: self.okr_scroll,
            sprint_selected: self.sprint_selected,
            backlog: std::mem::take(&mut self.backlog),
            overlays: std::mem::take(&mut self.overlays),
            status: self.status.take(),
            ui_state_changed: self.ui_state_changed,
            data_version: self.data_version,
        }
    }

    fn put_back(&mut self, live: Live) {
        self.focus = live.focus;
        self.okr_selected = live.okr_selected;
        self.okr_scroll = live.okr_scroll;
        self.sprint_selected = live.sprint_selected;
        self.backlog = live.backlog;
        self.overlays = live.overlays;
        self.status = live.status;
        self.ui_state_changed = live.ui_state_changed;
        self.data_version = live.data_version;
    }

    /// Puts up the screen the write was asked on, read again from the file.
    fn enter(&mut self, screen: &Screen, height: usize) -> anyhow::Result<()> {
        self.focus = screen.focus;
        self.okr_selected = screen.okr_selected;
        self.okr_scroll = screen.okr_scroll;
        self.sprint_selected = screen.sprint_selected;
        self.overlays.clone_from(&screen.overlays);
        let mut backlog = Backlog::default();
        backlog.filter = screen.backlog.filter.clone();
        backlog.selected = screen.backlog.selected;
        backlog.scroll = screen.backlog.scroll;
        backlog.marked = screen.backlog.marked;
        backlog.height = height;
        backlog.reload(&self.store, screen.backlog.item)?;
        self.backlog = backlog;
        // As the screen saw the file then: a change made since is read in,
        // as before any key, and refreshes every list and dialog on it.
        self.data_version = screen.data_version;
        self.poll_external_changes()?;
        Ok(())
    }
}

/// Whether two dialogs are the same one in the same state: the same form
/// with the same text, the same picker with the same ticks, the same
/// question.
fn same_dialog(a: &Overlay, b: &Overlay) -> bool {
    match (a, b) {
        (Overlay::Form(a), Overlay::Form(b)) => {
            a.purpose == b.purpose
                && a.fields.iter().map(|field| field.input.value()).eq(b.fields.iter().map(|field| field.input.value()))
        }
        (Overlay::Picker(a), Overlay::Picker(b)) => a == b,
        (Overlay::Confirm(a), Overlay::Confirm(b)) => a == b,
        (Overlay::Carry(a), Overlay::Carry(b)) => a == b,
        _ => false,
    }
}
