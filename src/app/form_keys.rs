//! Keys while a form is open: it takes them all. The form's keys come from
//! the `[form]` keymap; any other key types into the focused field. A form
//! with typed changes asks before cancel throws them away; the sprint form
//! picks its KRs without closing.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::{Action, App, Context, Overlay, form::Purpose};

impl App {
    pub(super) fn form_key(&mut self, key: &KeyEvent, event: &Event) -> anyhow::Result<()> {
        let action = self.keymap.action(Context::Form, key);
        let notice = action.filter(|action| *action == Action::Cancel).map(|_| self.discard_notice());
        let Some(Overlay::Form(form)) = self.overlays.last_mut() else { return Ok(()) };
        // A second cancel must follow the first straight away to discard.
        let armed = std::mem::take(&mut form.discard_armed);
        match action {
            Some(Action::Cancel) if form.is_touched() && !armed => {
                form.discard_armed = true;
                form.notice = notice;
            }
            Some(Action::Cancel) => {
                let krs_written = form.krs_written;
                self.overlays.pop();
                if krs_written {
                    // The KRs chosen from inside the form were written then.
                    self.say("Nothing else was saved: the KRs chosen for the goal stand (u takes them back)".into());
                } else if armed {
                    self.say("Nothing was saved".into());
                }
            }
            Some(Action::Save) => self.submit_form()?,
            Some(Action::NextField) => form.focus_next(),
            Some(Action::PreviousField) => form.focus_previous(),
            Some(Action::PickKrs) => {
                if let Purpose::EditSprint { sprint, .. } = form.purpose {
                    self.open_sprint_kr_picker_for(sprint);
                } else {
                    // In an owner field: the team's next name.
                    self.complete_owner_in_form();
                }
            }
            // Space steps through a field of a few words; it types nowhere else.
            _ if is_plain_space(key) && form.cycle_choice() => {}
            // The loader binds no other action here: the key types.
            _ => self.forward_to_form(event),
        }
        Ok(())
    }

    /// "Esc again throws away what you typed; enter saves it", with the
    /// keys the keymap gives cancel and save.
    fn discard_notice(&self) -> String {
        let key = |action| self.keymap.keys_label(Context::Form, action);
        let again = key(Action::Cancel).map_or_else(|| "Cancel".to_owned(), |label| capitalised(&label));
        match key(Action::Save) {
            Some(save) => format!("{again} again throws away what you typed; {save} saves it"),
            None => format!("{again} again throws away what you typed"),
        }
    }
}

/// `label` with its first letter in upper case, to start a sentence.
fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `Space` with no modifier but Shift.
fn is_plain_space(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char(' ') && (key.modifiers - KeyModifiers::SHIFT).is_empty()
}
