//! `E`: an item's description in the user's own editor. The app asks for
//! it; the terminal loop hands the terminal over, runs the editor and gives
//! the text back to [`App::finish_description`].

use super::{Action, App, Context, Pane, commands::FollowUp, edits::Refresh, edits::quoted};
use crate::{
    domain::{Id, ids::ItemId},
    ops::{Command, ItemEdit},
};

/// A description waiting to be edited outside the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorRequest {
    pub item: Id,
    pub title: String,
    pub text: String,
}

impl App {
    pub(super) fn request_editor(&mut self) -> anyhow::Result<()> {
        if self.focus != Pane::Backlog {
            let (edit, backlog) =
                (self.key(Context::Board, Action::EditDescription), self.key(Context::Board, Action::FocusBacklog));
            self.say(format!("{edit} edits the description of a backlog item ({backlog})"));
            return Ok(());
        }
        let Some(id) = self.backlog.selected_id() else { return Ok(()) };
        if let Some(item) = self.store.item_detail(id)? {
            self.editor_request = Some(EditorRequest { item: id, title: item.row.title, text: item.description });
        }
        Ok(())
    }

    /// Takes what the editor left: `Ok(text)`, or why there is none.
    pub fn finish_description(&mut self, request: &EditorRequest, edited: Result<String, String>) -> anyhow::Result<()> {
        let text = match edited {
            Ok(text) => text.trim_end().to_owned(),
            Err(why) => {
                self.status = Some(super::Status { text: format!("{why}; the description was not changed"), is_error: true });
                return Ok(());
            }
        };
        if text == request.text.trim_end() {
            self.say(format!("The description of {} is unchanged", quoted(&request.title)));
            return Ok(());
        }
        let label = format!("Edited the description of {}", quoted(&request.title));
        let edit = ItemEdit { description: Some(text), ..ItemEdit::default() };
        self.run_command(Command::EditItem { item: ItemId(request.item), edit }, FollowUp::saying(Refresh::Backlog, label))
            .map(drop)
    }
}
