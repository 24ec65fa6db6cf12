//! The retro, in the sprint review: three lists of notes (went well, to
//! improve, OKR reflection) under the outcome. A cursor selects a note, or
//! an empty list's slot, so that every list can take a first note; `a`
//! adds to the selected list, `e` edits, `d` deletes, `K`/`J` reorder, and
//! `b` turns a "to improve" note into a backlog item. Each is one undoable
//! step.
//!
//! `j`/`k` read the review: while the selected note is out of view they
//! scroll towards it, then they move the selection, and the review scrolls
//! to keep it in view (at 80x24 the retro is below output and outcome).

use super::{
    Action, App, Confirm, Overlay, Pending, Step,
    commands::{FollowUp, Words},
    detail::Deletion,
    edits::{Refresh, quoted},
    form::{Field, FieldError, FieldKind, Form, Purpose, Values, field},
    review::Review,
};
use crate::{
    domain::{
        Board, Id,
        ids::{RetroNoteId, SprintId},
        retro::{RetroList, RetroNote},
    },
    geometry::{REVIEW_SIDE_BY_SIDE, review_body},
    ops,
    store::Resolved,
};

/// One line of the retro a cursor can rest on: a note, or the slot of an
/// empty list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot<'a> {
    pub list: RetroList,
    pub note: Option<&'a RetroNote>,
    /// Its line in the retro section (0 is the section's heading).
    pub line: usize,
}

impl Review {
    /// Every slot of the three lists, in order.
    pub fn slots(&self) -> Vec<Slot<'_>> {
        let mut slots = Vec::new();
        let mut line = 1;
        for list in RetroList::ALL {
            line += 1; // the list's heading
            let before = slots.len();
            for note in self.notes.iter().filter(|note| note.list == list) {
                slots.push(Slot { list, note: Some(note), line });
                line += 1;
            }
            if slots.len() == before {
                slots.push(Slot { list, note: None, line });
                line += 1;
            }
        }
        slots
    }

    /// The lines the retro section takes: its heading, and each list's
    /// heading and slots.
    pub fn retro_height(&self) -> usize {
        self.slots().last().map_or(0, |slot| slot.line + 1)
    }

    pub fn selected_slot(&self) -> Option<Slot<'_>> {
        let slots = self.slots();
        slots.get(self.note_cursor.min(slots.len().saturating_sub(1))).copied()
    }

    /// The selected note, if the cursor is on one.
    pub fn selected_note(&self) -> Option<&RetroNote> {
        self.selected_slot().and_then(|slot| slot.note)
    }

    /// Puts the cursor on note `id`, else on the slot at `index` of `list`
    /// (the last one if the list grew shorter): where a note that went
    /// (here or in another window) leaves it.
    pub(super) fn place_cursor(&mut self, id: Option<Id>, list: RetroList, index: usize) {
        let slots = self.slots();
        let on_note = slots.iter().position(|slot| slot.note.is_some_and(|note| Some(note.id) == id));
        let in_list = || {
            let first = slots.iter().position(|slot| slot.list == list)?;
            let count = slots.iter().filter(|slot| slot.list == list).count();
            Some(first + index.min(count - 1))
        };
        self.note_cursor = on_note.or_else(in_list).unwrap_or(0);
    }

    /// The selected note's id, list and index in its list, for
    /// [`Review::place_cursor`] after the notes are read again.
    pub(super) fn cursor_place(&self) -> (Option<Id>, RetroList, usize) {
        let slots = self.slots();
        let Some(slot) = self.selected_slot() else { return (None, RetroList::WentWell, 0) };
        let index = slots.iter().take(self.note_cursor).filter(|other| other.list == slot.list).count();
        (slot.note.map(|note| note.id), slot.list, index)
    }
}

/// Where the retro sits in the review, in lines, at one terminal size.
struct Geometry {
    /// The retro's first line in its column.
    retro_top: usize,
    /// The longest column's lines: scrolling stops where it ends.
    content: usize,
    /// Lines in view.
    view: usize,
}

impl Geometry {
    /// The furthest the review scrolls.
    fn last(&self) -> usize {
        self.content.saturating_sub(self.view)
    }

    /// The first line in view: `scroll` as the screen shows it (the review
    /// may have been scrolled at another size).
    fn first(&self, scroll: u16) -> usize {
        usize::from(scroll).min(self.last())
    }
}

impl App {
    /// A key in the review that the retro takes; `false` leaves it to the
    /// review (verdict, start, close, back, undo...).
    pub(super) fn retro_action(&mut self, action: Action) -> anyhow::Result<bool> {
        // A key that acts on the selected note first brings it into view,
        // so that what it acts on is on screen.
        if matches!(action, Action::Add | Action::Edit | Action::Delete | Action::RankUp | Action::RankDown | Action::NoteToItem)
        {
            self.follow_note();
        }
        match action {
            Action::MoveDown => self.read_on(true),
            Action::MoveUp => self.read_on(false),
            Action::First => self.jump(Step::First),
            Action::Last => self.jump(Step::Last),
            Action::PageDown => {
                self.scroll_review_by(self.review_geometry().map_or(1, |at| at.view.saturating_sub(2)).cast_signed())
            }
            Action::PageUp => {
                self.scroll_review_by(-self.review_geometry().map_or(1, |at| at.view.saturating_sub(2)).cast_signed())
            }
            Action::Add => self.open_note_form(false),
            Action::Edit => self.open_note_form(true),
            Action::Delete => self.ask_delete_note(),
            Action::RankUp => self.move_note(true)?,
            Action::RankDown => self.move_note(false)?,
            Action::NoteToItem => self.note_to_item()?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn review_mut(&mut self) -> Option<&mut Review> {
        self.overlays.iter_mut().rev().find_map(|overlay| match overlay {
            Overlay::Review(review) => Some(&mut **review),
            _ => None,
        })
    }

    /// The review's lines at this size: the same counts the review screen
    /// draws (it checks them in debug builds).
    fn review_geometry(&self) -> Option<Geometry> {
        self.geometry_of(self.review()?)
    }

    /// `review`'s lines at this size: all of them, and how many are in view
    /// (the presentation pages by these).
    pub(super) fn review_extent(&self, review: &Review) -> Option<(usize, usize)> {
        self.geometry_of(review).map(|at| (at.content, at.view))
    }

    fn geometry_of(&self, review: &Review) -> Option<Geometry> {
        let board = self.board.as_ref()?;
        let sprint = board.sprint(review.sprint_id)?;
        let output = review.output_height(board, sprint);
        let outcome = review.outcome_height(board, sprint, self.today);
        let body = review_body(ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1));
        let (retro_top, content) = if body.width >= REVIEW_SIDE_BY_SIDE {
            let top = outcome + 1;
            (top, output.max(top + review.retro_height()))
        } else {
            let top = output + 1 + outcome + 1;
            (top, top + review.retro_height())
        };
        Some(Geometry { retro_top, content, view: usize::from(body.height).max(1) })
    }

    /// `j`/`k`: scroll towards the selected note while it is out of view,
    /// else select the next (previous) one; past the last (first) note,
    /// scroll on.
    fn read_on(&mut self, down: bool) {
        let (Some(at), Some(review)) = (self.review_geometry(), self.review()) else { return };
        let slots = review.slots();
        let Some(line) = review.selected_slot().map(|slot| at.retro_top + slot.line) else { return };
        let scroll = at.first(review.scroll);
        let in_view = (scroll..scroll + at.view).contains(&line);
        let next = if down { review.note_cursor + 1 } else { review.note_cursor.wrapping_sub(1) };
        if !in_view || next >= slots.len() {
            self.scroll_review_by(if down { 1 } else { -1 });
            return;
        }
        if let Some(review) = self.review_mut() {
            review.note_cursor = next;
        }
        self.follow_note();
    }

    /// `g`/`G`: the top of the review with the first note, or the bottom
    /// with the last.
    fn jump(&mut self, step: Step) {
        let Some(review) = self.review_mut() else { return };
        let count = review.slots().len();
        review.note_cursor = step.apply(review.note_cursor, count, count);
        review.scroll = if matches!(step, Step::First) { 0 } else { u16::MAX };
        self.scroll_review_by(0);
    }

    /// Scrolls by `lines`, no further than the longest column's end.
    fn scroll_review_by(&mut self, lines: isize) {
        let Some(at) = self.review_geometry() else { return };
        if let Some(review) = self.review_mut() {
            let scroll = at.first(review.scroll).saturating_add_signed(lines).min(at.last());
            review.scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
        }
    }

    /// Scrolls as little as it takes to show the selected note, with its
    /// list's heading when it is the list's first.
    pub(super) fn follow_note(&mut self) {
        let (Some(at), Some(review)) = (self.review_geometry(), self.review()) else { return };
        let slots = review.slots();
        let Some(slot) = slots.get(review.note_cursor) else { return };
        let line = at.retro_top + slot.line;
        let first_of_list = review.note_cursor == 0 || slots[review.note_cursor - 1].list != slot.list;
        let top = if first_of_list { line - 1 } else { line };
        let scroll = at.first(review.scroll);
        let scroll = if top < scroll {
            top
        } else if line >= scroll + at.view {
            line + 1 - at.view
        } else {
            scroll
        };
        if let Some(review) = self.review_mut() {
            review.scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
        }
    }

    /// `a` (`e`): the note form for a new note in the selected list (for
    /// the selected note).
    fn open_note_form(&mut self, edit: bool) {
        let (Some(board), Some(review)) = (self.board.as_ref(), self.review()) else { return };
        let Some(slot) = review.selected_slot() else { return };
        if edit && slot.note.is_none() {
            self.say(format!("No note to edit: '{}' is empty", slot.list.name()));
            return;
        }
        let note = slot.note.filter(|_| edit);
        if let Some(form) = note_form(board, review.sprint_id, slot.list, note) {
            self.overlays.push(Overlay::Form(Box::new(form)));
        }
    }

    /// Enter in the note form: adds the note, or writes the text if the
    /// user changed it.
    pub(super) fn save_note(&mut self, sprint: Id, list: RetroList, note: Option<Id>) -> anyhow::Result<()> {
        let Some((text, form)) = self.parse_form(note_text) else { return Ok(()) };
        let id = match note {
            Some(id) => {
                let Some(text) = form.changed(Field::Note, text) else {
                    self.say("Nothing changed".into());
                    return Ok(());
                };
                let label = format!("Saved the retro note {}", quoted(&text));
                let command = ops::Command::EditRetroNote { note: RetroNoteId(id), text };
                self.run_command(command, FollowUp::saying(Refresh::Review, label))?;
                id
            }
            None => {
                let label = format!("Added {} to '{}'", quoted(&text), list.name());
                let command = ops::Command::RetroNote { sprint: SprintId(sprint), list, text: text.clone() };
                let outcome = self.run_command(command, FollowUp::saying(Refresh::Review, label))?;
                match outcome.created.map(|created| created.object) {
                    Some(Resolved::RetroNote(id)) => id.row(),
                    _ => return Ok(()),
                }
            }
        };
        if let Some(review) = self.review_mut() {
            review.place_cursor(Some(id), list, 0);
        }
        self.follow_note();
        Ok(())
    }

    /// `d`: asks before deleting the selected note, naming it.
    fn ask_delete_note(&mut self) {
        let Some(note) = self.review().and_then(Review::selected_note) else {
            self.say("No note selected: j and k select one".into());
            return;
        };
        let item = note.became_item().map(|item| format!(" Item {} stays in the backlog.", crate::domain::codes::item(item)));
        let confirm = Confirm {
            question: format!("Delete the retro note {}?", quoted(&note.text)),
            details: format!(
                "From '{}'.{} {} brings it back.",
                note.list.name(),
                item.unwrap_or_default(),
                self.key(super::Context::Review, super::Action::Undo)
            ),
            action: Pending::Delete {
                target: Deletion::RetroNote(note.id),
                label: format!("Deleted the retro note {}", quoted(&note.text)),
            },
        };
        self.overlays.push(Overlay::Confirm(confirm));
    }

    /// `K`/`J`: the selected note one place up (down) its list.
    fn move_note(&mut self, up: bool) -> anyhow::Result<()> {
        let Some(note) = self.review().and_then(Review::selected_note) else { return Ok(()) };
        let (id, list) = (note.id, note.list);
        let label = format!("Moved {} {} in '{}'", quoted(&note.text), if up { "up" } else { "down" }, list.name());
        let command = ops::Command::MoveRetroNote { note: RetroNoteId(id), up };
        match self.try_command(command, FollowUp::saying(Refresh::Review, label))? {
            Ok(_) => self.follow_note(),
            Err(_) => self.say(format!("Already the {} note in '{}'", if up { "first" } else { "last" }, list.name())),
        }
        Ok(())
    }

    /// `b`: the selected "to improve" note becomes a backlog item at the
    /// bottom of the backlog, and says so; one step.
    fn note_to_item(&mut self) -> anyhow::Result<()> {
        let Some(note) = self.review().and_then(Review::selected_note) else {
            self.say("Select a 'to improve' note first".into());
            return Ok(());
        };
        let (id, title) = (note.id, quoted(&note.text));
        let words = Words::Naming(format!("{title} is now backlog item "), ", at the bottom".to_owned());
        let command = ops::Command::RetroNoteToItem { note: RetroNoteId(id) };
        match self.try_command(command, FollowUp::new(Refresh::Everything, words))? {
            Ok(_) => self.follow_note(),
            // The command says which item it became ("… became item #42 already").
            Err(refused) => self.say(match refused.to_string().split_once("became ") {
                Some((_, item)) => format!("{title} became {item}"),
                None => refused.to_string(),
            }),
        }
        Ok(())
    }
}

/// The one-field form of a retro note: a new one in `list`, or `note`.
pub(super) fn note_form(board: &Board, sprint: Id, list: RetroList, note: Option<&RetroNote>) -> Option<Form> {
    let number = board.sprint(sprint)?.number;
    let help = match list {
        RetroList::WentWell => "what helped the team, to keep doing",
        RetroList::ToImprove => "what to change; it can become a backlog item",
        RetroList::OkrReflection => "did the sprint move a KR? which, and why (not)?",
    };
    let text = note.map(|note| note.text.clone()).unwrap_or_default();
    let fields = vec![field(Field::Note, "Note", help, FieldKind::Text { required: Some("Write the note") }, text)];
    let purpose = Purpose::RetroNote { sprint, list, note: note.map(|note| note.id) };
    Some(match note {
        Some(_) => Form::new(format!("Sprint {number} retro: edit a '{}' note", list.name()), "saves", purpose, fields),
        None => Form::new(format!("Sprint {number} retro: a new '{}' note", list.name()), "adds it to the list", purpose, fields),
    })
}

/// The text a note form holds.
fn note_text(values: &Values) -> Result<String, Vec<FieldError>> {
    Ok(values.text(Field::Note))
}
