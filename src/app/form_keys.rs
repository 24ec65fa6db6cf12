//! Keys while a form is open: it takes them all. Typing goes to the
//! focused field; a form with typed changes asks before Esc throws them
//! away; the sprint form picks its KRs without closing (ctrl-t).

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::{App, Overlay, form::Purpose};

impl App {
    pub(super) fn form_key(&mut self, key: &KeyEvent, event: &Event) -> anyhow::Result<()> {
        let Some(Overlay::Form(form)) = self.overlays.last_mut() else { return Ok(()) };
        // A second Esc must follow the first straight away to discard.
        let armed = std::mem::take(&mut form.discard_armed);
        match key.code {
            KeyCode::Esc if form.is_touched() && !armed => {
                form.discard_armed = true;
                form.notice = Some("Esc again throws away what you typed; enter saves it".into());
            }
            KeyCode::Esc => {
                self.overlays.pop();
                if armed {
                    self.say("Nothing was saved".into());
                }
            }
            KeyCode::Enter => self.submit_form()?,
            KeyCode::Tab | KeyCode::Down => form.focus_next(),
            KeyCode::BackTab | KeyCode::Up => form.focus_previous(),
            KeyCode::Char('t') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                if let Purpose::EditSprint { sprint, .. } = form.purpose {
                    self.open_sprint_kr_picker_for(sprint);
                }
            }
            _ => self.forward_to_form(event),
        }
        Ok(())
    }
}
