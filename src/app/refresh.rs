//! Keeping every open screen true to the file when another process (a
//! second window, `sqlite3`, the command line) writes to it.
//!
//! The board checks `PRAGMA data_version` before every action and whenever
//! it is idle, so it never acts on a stale picture. After a change from
//! elsewhere, every open screen refreshes from the store: the board and
//! the backlog, planning, detail views, and open forms, which take in the
//! new row without losing what the user typed.

use super::{Action, App, Context, Overlay, detail::Detail, form::Form, form::Purpose};

impl App {
    /// When the board is idle: picks up commits made by another process,
    /// and checks the rules again after this window's own edit; returns
    /// whether the screen must be drawn again.
    pub fn poll_external_changes(&mut self) -> anyhow::Result<bool> {
        if self.follow_external_changes()? {
            return Ok(true);
        }
        self.refresh_stale_health()
    }

    /// Before an action: picks up commits made by another process; returns
    /// whether there were any. The rules' check after this window's own
    /// edit is left to the idle poll: run here, it landed in the next key
    /// (a `J` after a `K` paid for the `K`'s check, 0.3-1.3 ms).
    pub(super) fn follow_external_changes(&mut self) -> anyhow::Result<bool> {
        let version = self.store.data_version()?;
        if version == self.data_version {
            return Ok(false);
        }
        self.data_version = version;
        self.refresh_all()?;
        Ok(true)
    }

    /// Checks the rules again after this window's own edit, once it is idle;
    /// returns whether the header's count changed (and so must be drawn).
    fn refresh_stale_health(&mut self) -> anyhow::Result<bool> {
        if !std::mem::take(&mut self.health_stale) {
            return Ok(false);
        }
        let before = self.health_warnings;
        self.refresh_health()?;
        Ok(self.health_warnings != before)
    }

    /// Re-reads the board and everything open over it.
    pub(super) fn refresh_all(&mut self) -> anyhow::Result<()> {
        let quarter_selection = self.quarter_screen_selection();
        self.reload()?;
        self.refresh_quarter_screen(quarter_selection)?;
        self.refresh_sync_chooser();
        if self.planning().is_some() && self.planned_sprint().is_none() {
            self.close_planning();
            self.say("The sprint being planned was deleted in another window".into());
        }
        self.refresh_planning_lists()?;
        self.refresh_review()?;
        self.drop_stale_start_questions();
        for index in 0..self.overlays.len() {
            match &self.overlays[index] {
                Overlay::Detail { detail, .. } => {
                    let fresh = self.fresh_detail(detail)?;
                    if let (Some(fresh), Overlay::Detail { detail, .. }) = (fresh, &mut self.overlays[index]) {
                        *detail = fresh;
                    }
                }
                Overlay::Form(form) => {
                    let fresh = self.fresh_form(form.purpose)?;
                    let close = self.keymap.keys_label(Context::Form, Action::Cancel).unwrap_or_else(|| "-".to_owned());
                    if let Overlay::Form(form) = &mut self.overlays[index] {
                        match fresh {
                            Some(fresh) => form.rebase(&fresh),
                            None if is_edit(form.purpose) => {
                                form.notice = Some(format!("Deleted elsewhere: there is nothing left to save; {close} closes"));
                            }
                            None => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A detail view read again; `None` when its object is gone (the view
    /// then keeps what it showed).
    fn fresh_detail(&self, detail: &Detail) -> anyhow::Result<Option<Detail>> {
        Ok(match detail {
            Detail::Objective { id } => Some(Detail::Objective { id: *id }),
            Detail::KeyResult { id, selected, .. } => Some(self.key_result_detail(*id, *selected)?),
            Detail::Sprint { id, .. } => Some(Detail::Sprint { id: *id, items: self.store.sprint_items(*id)? }),
            Detail::Item(item) => self.store.item_detail(item.row.id)?.map(|item| Detail::Item(Box::new(item))),
            Detail::Message { .. } => Some(detail.clone()),
        })
    }

    /// The form for `purpose` as the file has its row now, or `None` when
    /// the row is gone (or the form adds a new one).
    fn fresh_form(&self, purpose: Purpose) -> anyhow::Result<Option<Form>> {
        let Some(board) = &self.board else { return Ok(None) };
        Ok(match purpose {
            Purpose::EditItem(id) => self.store.item_detail(id)?.map(|item| Form::edit_item(&item)),
            Purpose::EditObjective(id) => board.objective(id).map(|objective| Form::objective(Some(objective), board)),
            Purpose::EditKeyResult(id) => board.key_result(id).and_then(|kr| {
                let objective = board.objective(kr.objective_id)?;
                Some(Form::key_result(Some(kr), objective))
            }),
            Purpose::EditSprint { sprint, .. } => board.sprint(sprint).map(|sprint| Form::sprint(sprint, board, self.today)),
            Purpose::QuarterSettings(_) => Some(Form::quarter_settings(&board.quarter)),
            Purpose::EditMember(id) => {
                board.team.iter().find(|member| member.id == id).map(|member| super::team::member_form(Some(member), board))
            }
            Purpose::AddSprint => Some(Form::new_sprint(board, self.today)),
            Purpose::EditCheckIn { key_result, check_in } => board.key_result(key_result).and_then(|kr| {
                let existing = kr.check_ins.iter().find(|row| row.id == check_in)?;
                Some(Form::check_in(kr, Some(existing), self.today))
            }),
            // The review read the notes again before the forms (above).
            Purpose::RetroNote { sprint, list, note: Some(id) } => {
                let note = self.review().and_then(|review| review.notes.iter().find(|note| note.id == id));
                note.and_then(|note| super::retro::note_form(board, sprint, list, Some(note)))
            }
            Purpose::NewQuarter
            | Purpose::AddItem { .. }
            | Purpose::AddObjective
            | Purpose::AddKeyResult { .. }
            | Purpose::AddMember
            | Purpose::Focus { .. }
            | Purpose::AddCheckIn { .. }
            | Purpose::QuarterScore { .. }
            | Purpose::QuarterNote { .. }
            | Purpose::RetroNote { note: None, .. } => None,
        })
    }
}

fn is_edit(purpose: Purpose) -> bool {
    matches!(
        purpose,
        Purpose::EditItem(_)
            | Purpose::EditObjective(_)
            | Purpose::EditKeyResult(_)
            | Purpose::EditSprint { .. }
            | Purpose::QuarterSettings(_)
            | Purpose::EditMember(_)
            | Purpose::EditCheckIn { .. }
            | Purpose::RetroNote { note: Some(_), .. }
    )
}
