//! UI state and `update`: an [`Action`] in, store calls and state changes
//! out. No drawing happens here; `crate::ui` reads this state to draw.

pub mod action;
pub mod background;
pub mod backlog;
pub mod calendar;
pub mod charts;
mod check_ins;
mod commands;
mod damage;
pub mod detail;
pub mod editor;
mod edits;
mod filters;
pub mod form;
mod form_keys;
pub mod health;
mod item_forms;
pub mod keymap;
mod kr_chooser;
mod marking;
pub mod mouse;
mod okrs;
mod owner_field;
mod pane;
mod persist;
pub mod pickers;
mod plan_edits;
mod plan_forms;
pub mod planning;
pub mod present;
pub mod quarters;
mod refresh;
pub mod retro;
pub mod review;
pub mod screens;
mod selection;
use selection::Step;
mod sprint_goal;
pub mod sync_view;
mod team;
mod waiting;

use chrono::NaiveDate;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};
use tui_input::{InputRequest, backend::crossterm::EventHandler};

pub use self::{
    action::{Action, Context},
    backlog::Backlog,
    detail::{Confirm, Detail, Pending},
    keymap::{KEYMAP_HELP, Keymap},
    okrs::{OkrRow, first_okr_row},
    pane::Pane,
    screens::{Layer, Overlay},
    waiting::{WAITING_LINE, held_line},
};
use crate::{domain::Board, geometry as layout, plan::Plan, store::Store};

/// The line under the board that says what just happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub is_error: bool,
}

pub struct App {
    /// The background check of the file; first, so that it ends (and its
    /// connection closes) before the store's connection when dropped.
    file_check: Option<crate::store::FileCheck>,
    pub store: Store,
    pub today: NaiveDate,
    pub keymap: Keymap,
    /// The quarter on screen; `None` shows the welcome screen.
    pub board: Option<Board>,
    pub focus: Pane,
    /// Index into [`App::okr_rows`].
    pub okr_selected: usize,
    /// The first OKR row in view; follows the selection only when it leaves the pane.
    pub okr_scroll: usize,
    /// Index into the board's sprints.
    pub sprint_selected: usize,
    pub backlog: Backlog,
    /// Dialogs over the board, the top one last.
    pub overlays: Vec<Overlay>,
    pub status: Option<Status>,
    pub should_quit: bool,
    /// Set by `Suspend`; the terminal loop does the suspending.
    pub suspend_requested: bool,
    /// Set by `EditDescription`; the terminal loop runs the editor.
    pub editor_request: Option<editor::EditorRequest>,
    /// The terminal's size, which decides the layout and page length.
    pub size: (u16, u16),
    /// Lines of the damaged file's banner the layout was last made under
    /// (see [`App::fit_under_banner`]).
    banner_laid_out: usize,
    /// Selection or focus changed since the UI state was last saved.
    ui_state_changed: bool,
    data_version: i64,
    /// A write waiting for another program's lock, retried from the loop.
    waiting: Option<waiting::WaitingWrite>,
    /// A command a busy lock stopped during the event being handled.
    blocked: Option<commands::Blocked>,
    /// How many rules M1-M13 are in warning, as of the last reload: the
    /// header shows it without checking the rules on every frame.
    pub health_warnings: Option<usize>,
    /// An edit of this window may have changed the warnings: they are
    /// checked again when the board is next idle, not inside the keypress
    /// (a re-rank must stay within its budget; see docs/benchmarks.md).
    health_stale: bool,
    /// Scores and notes typed on the running quarter's screen and left with
    /// `Esc`: shown again on `Q` until the close writes them.
    kept_quarter_edits: Option<(crate::domain::Id, quarters::Edits)>,
    /// The quarter's calendar as of the last reload: the header's next and
    /// overdue events, and the calendar screen's list.
    pub rhythm: crate::domain::calendar::Rhythm,
    /// The quarter on screen when it is not the running one: an earlier
    /// (closed) quarter, or the draft of the next. Kept in the UI state.
    pub viewed_quarter: Option<crate::domain::Id>,
    /// The running quarter, beside the draft while it is drafted.
    pub running: Option<Board>,
    /// Where the board's sync stands, as of the last reload; none for a
    /// board never tied to a repository (`sync_view`).
    pub sync: Option<crate::domain::sync_status::SyncFacts>,
    /// `sync.auto`'s background fetch, when set.
    auto_fetch: Option<sync_view::AutoFetch>,
}

impl App {
    pub fn new(mut store: Store, keymap: Keymap, today: NaiveDate) -> anyhow::Result<Self> {
        // Waiting for a lock blocks the screen: wait briefly, then wait in
        // the loop, where keys still work (see `waiting`).
        store.set_lock_wait(waiting::LOCK_WAIT)?;
        let data_version = store.data_version()?;
        let mut app = Self {
            file_check: None,
            store,
            today,
            keymap,
            board: None,
            focus: Pane::Okrs,
            okr_selected: 0,
            okr_scroll: 0,
            sprint_selected: 0,
            backlog: Backlog::default(),
            overlays: Vec::new(),
            status: None,
            should_quit: false,
            suspend_requested: false,
            editor_request: None,
            size: (80, 24),
            banner_laid_out: 0,
            ui_state_changed: false,
            data_version,
            waiting: None,
            blocked: None,
            health_warnings: None,
            health_stale: false,
            kept_quarter_edits: None,
            rhythm: crate::domain::calendar::Rhythm::default(),
            viewed_quarter: None,
            running: None,
            sync: None,
            auto_fetch: None,
        };
        // The board alone: restoring the UI state reads the backlog, once,
        // with the saved filter and selection.
        app.viewed_quarter = app.store.ui_value(crate::store::UiKey::ViewedQuarter)?.and_then(|id| id.parse().ok());
        app.load_viewed_board()?;
        app.refresh_sync()?;
        app.refresh_rhythm();
        app.refresh_health()?;
        app.restore_ui_state()?;
        app.offer_sprint_start();
        Ok(app)
    }

    /// The sprint planning screen, when it is open: a screen on the stack,
    /// under any dialog opened from it.
    pub fn planning(&self) -> Option<&planning::Planning> {
        self.overlays.iter().rev().find_map(|overlay| match overlay {
            Overlay::Planning(planning) => Some(&**planning),
            _ => None,
        })
    }

    pub(super) fn planning_mut(&mut self) -> Option<&mut planning::Planning> {
        planning_in(&mut self.overlays)
    }

    /// Re-reads the board from the store, keeping the selections.
    pub(crate) fn reload(&mut self) -> anyhow::Result<()> {
        self.load_viewed_board()?;
        self.drop_filters_off_the_board();
        let sprints = self.board.as_ref().map_or(0, |board| board.sprints.len());
        self.sprint_selected = self.sprint_selected.min(sprints.saturating_sub(1));
        self.okr_selected = self.okr_selected.min(self.okr_rows().len().saturating_sub(1));
        // `quarterdeck present` never shows the backlog: its window is not read.
        if !self.presentation().is_some_and(|presentation| presentation.standalone) {
            let keep = self.backlog.selected_id();
            self.backlog.reload(&self.store, keep)?;
        }
        self.refresh_charts()?;
        self.refresh_rhythm();
        self.refresh_sync()?;
        let rules = self.refresh_health()?;
        self.refresh_presentation(rules)
    }

    pub fn resize(&mut self, width: u16, height: u16) -> anyhow::Result<()> {
        self.size = (width, height);
        self.banner_laid_out = self.banner_lines(width, height).len();
        let board = self.board_area();
        let rows = layout::backlog_rows(board.width, board.height, self.running_lines());
        self.backlog.set_height(&self.store, usize::from(rows))?;
        Ok(())
    }

    /// Lines the running quarter's OKRs take beside a draft (an objective
    /// one, a KR two); 0 when not drafting. The layout makes room for them.
    pub fn running_lines(&self) -> usize {
        self.running.as_ref().map_or(0, |running| running.objectives.len() + 2 * running.key_results().count())
    }

    /// Handles one terminal event. Errors are shown in the status line; a
    /// write that meets another program's lock waits (see `waiting`).
    pub fn handle_event(&mut self, event: &Event) {
        self.handle_event_at(event, None);
    }

    /// Handles one terminal event; a mouse event comes with what is under
    /// the pointer (`ui::hit::route` works it out).
    pub fn handle_event_at(&mut self, event: &Event, pointer: Option<mouse::Target>) {
        if self.cancel_waiting_write(event) || self.waiting_dialog_event(event) {
            return;
        }
        // Another window may have written since the last look: act on the
        // file as it is, never on a stale picture of it.
        if matches!(event, Event::Key(_) | Event::Paste(_) | Event::Mouse(_))
            && let Err(error) = self.follow_external_changes()
        {
            self.reading_failed(&error);
        }
        // A form, picker or question closes before its write: kept aside so
        // that it can open again when the write did not happen. (Only the
        // top dialog: planning's lists are not copied on every key.)
        let dialog = (self.overlays.len(), self.overlays.last().filter(|overlay| overlay.closes_before_writing()).cloned());
        self.blocked = None;
        if let Err(error) = self.dispatch(event, pointer) {
            self.event_failed(event, dialog, &error);
        }
    }

    /// Carries out one event on the screen as it is.
    fn dispatch(&mut self, event: &Event, pointer: Option<mouse::Target>) -> anyhow::Result<()> {
        match event {
            // The presentation takes its keys at any size, and no clicks.
            Event::Key(key) if key.kind != KeyEventKind::Release && self.context() == Context::Present => {
                self.handle_key(key, event)
            }
            Event::Paste(_) | Event::Mouse(_) if self.presentation().is_some() => Ok(()),
            // Below the minimum size the board is not drawn: a key must not
            // act on what the user cannot see (`d y` would delete unseen).
            Event::Key(key) if key.kind != KeyEventKind::Release && self.is_hidden() => self.hidden_key(key),
            Event::Paste(_) | Event::Mouse(_) if self.is_hidden() => Ok(()),
            Event::Key(key) if key.kind != KeyEventKind::Release => self.handle_key(key, event),
            Event::Paste(_) => {
                self.forward_to_form(event);
                Ok(())
            }
            Event::Resize(width, height) => self.resize(*width, *height),
            Event::Mouse(mouse) => self.handle_mouse(mouse, pointer),
            _ => Ok(()),
        }
    }

    /// Whether the terminal is too small to show anything but a request
    /// to enlarge it.
    fn is_hidden(&self) -> bool {
        let screen = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
        layout::board_mode(screen, self.board_area()) == layout::Mode::TooSmall
    }

    /// A key while the board cannot be seen: only quit and help, which
    /// change nothing in the file, do anything.
    fn hidden_key(&mut self, key: &KeyEvent) -> anyhow::Result<()> {
        // A dialog cannot be seen either, and binds neither: its keys of a
        // read-only view apply, so ctrl-c still quits.
        let context = match self.context() {
            Context::Form | Context::Picker | Context::Confirm | Context::Search => Context::Viewer,
            context => context,
        };
        match self.keymap.action(context, key) {
            Some(action @ (Action::Quit | Action::Help)) => self.update(action),
            _ => Ok(()),
        }
    }

    fn handle_key(&mut self, key: &KeyEvent, event: &Event) -> anyhow::Result<()> {
        // A dialog takes every key: its own actions, and in a form or the
        // search line the rest as typing.
        match self.context() {
            Context::Confirm => self.confirm_key(key),
            Context::Form => self.form_key(key, event),
            Context::Search => self.search_key(key, event),
            Context::Picker => self.picker_key(key),
            Context::Carry => match self.keymap.action(Context::Carry, key) {
                Some(action) => self.carry_action(action),
                None => Ok(()),
            },
            context => match self.keymap.action(context, key) {
                Some(action) => self.update(action),
                None => Ok(()),
            },
        }
    }

    pub(super) fn forward_to_form(&mut self, event: &Event) {
        if let Some(Overlay::Form(form)) = self.overlays.last_mut() {
            let before = form.focused_input().value().to_owned();
            let input = form.focused_input();
            // A paste may carry line breaks or tabs; a one-line field keeps
            // them as spaces. (The input widget does not take paste events.)
            if let Event::Paste(text) = event {
                for ch in text.chars() {
                    input.handle(InputRequest::InsertChar(if ch.is_control() { ' ' } else { ch }));
                }
            } else {
                input.handle_event(event);
            }
            // An error names what was typed: once that changes, it goes
            // (the next save checks the field again).
            if form.focused_input().value() != before {
                form.clear_focused_error();
            }
        }
    }

    /// Carries out one action.
    pub fn update(&mut self, action: Action) -> anyhow::Result<()> {
        self.status = None;
        if self.refuse_if_closed(action) {
            return Ok(());
        }
        if self.screen_action(action)? {
            return Ok(());
        }
        match action {
            Action::Quit if self.write_is_waiting() => self.ask_before_dropping_waiting(),
            Action::Quit => self.quit(),
            Action::Suspend => self.suspend_requested = true,
            Action::Help => match self.overlays.last() {
                Some(Overlay::Help { .. }) => {
                    self.overlays.pop();
                }
                _ => self.overlays.push(Overlay::Help { scroll: 0 }),
            },
            Action::Back => self.back()?,
            Action::LoadDemo => self.load_demo()?,
            Action::NewQuarter if self.board.is_some() => self.toggle_draft()?,
            Action::NewQuarter => self.overlays.push(Overlay::Form(Box::new(form::Form::new_quarter(self.today)))),
            Action::Quarters | Action::CloseQuarter | Action::OpenQuarter => self.open_quarters()?,
            Action::PreviousQuarter => self.step_quarter(-1)?,
            Action::NextQuarter => self.step_quarter(1)?,
            Action::CheckIn => self.check_in_on_selection(),
            Action::Team => self.open_team(),
            Action::UseSuggestedCapacity => self.use_suggested_capacity()?,
            Action::Add => match self.focus {
                Pane::Okrs if self.planning().is_none() => self.open_add_okr(),
                Pane::Timeline if self.planning().is_none() => self.open_add_sprint(),
                _ => self.open_add_form(),
            },
            Action::Edit if self.sprint_in_hand().is_some() => self.open_sprint_form(),
            Action::Edit if self.focus == Pane::Okrs => self.open_edit_okr(),
            Action::Edit => self.open_edit_form()?,
            Action::TagItem if self.sprint_in_hand().is_some() => self.open_sprint_kr_picker(),
            Action::Delete if self.sprint_in_hand().is_some() => self.ask_delete_sprint(),
            Action::Delete if self.focus == Pane::Okrs => self.ask_delete_okr()?,
            Action::Delete if self.backlog.marked.is_some() => self.ask_delete_marked()?,
            Action::Delete => self.ask_delete(),
            Action::Mark => self.toggle_mark(),
            Action::QuarterSettings => self.open_quarter_settings(),
            Action::FocusSprints => self.focus_sprints_on_selection(),
            Action::NextPane => self.focus(self.focus.offset(1)),
            Action::PreviousPane => self.focus(self.focus.offset(-1)),
            Action::PlanSprint => self.open_planning()?,
            Action::ToggleInSprint => self.toggle_in_sprint()?,
            Action::FocusOkrs => self.focus(Pane::Okrs),
            Action::FocusTimeline => self.focus(Pane::Timeline),
            Action::FocusBacklog => self.focus(Pane::Backlog),
            Action::OpenDetail => self.open_detail()?,
            Action::MoveDown => self.move_selection(Step::By(1))?,
            Action::MoveUp => self.move_selection(Step::By(-1))?,
            Action::PageDown => self.move_selection(Step::Page(1))?,
            Action::PageUp => self.move_selection(Step::Page(-1))?,
            Action::First => self.move_selection(Step::First)?,
            Action::Last => self.move_selection(Step::Last)?,
            Action::RankUp => self.rank_by(-1)?,
            Action::RankDown => self.rank_by(1)?,
            Action::RankTop => self.rank_to_end(true)?,
            Action::RankBottom => self.rank_to_end(false)?,
            Action::StateForward | Action::StateBack if self.backlog.marked.is_some() => self.open_state_picker()?,
            Action::StateForward if self.focus == Pane::Timeline => self.ask_start_selected_sprint(),
            Action::StateForward => self.step_state(true)?,
            Action::StateBack => self.step_state(false)?,
            Action::EditDescription => self.request_editor()?,
            Action::Search => self.open_search(),
            Action::FilterMenu => self.open_filter_menu()?,
            Action::TagItem => self.open_tag_picker()?,
            Action::MoveToSprint => self.open_sprint_picker()?,
            Action::Undo => self.undo()?,
            Action::Redo => self.redo()?,
            Action::Review => self.open_review()?,
            Action::StartSprint => self.start_reviewed_sprint()?,
            Action::CloseSprint => self.ask_close_sprint()?,
            Action::GoalVerdict => self.step_goal_verdict()?,
            Action::Health => self.open_health()?,
            Action::Present => {
                // The wall shows the running quarter, as `quarterdeck present`
                // does: never a draft (or an earlier quarter) by accident.
                if self.viewed_quarter.is_some() {
                    self.view_quarter(None)?;
                }
                self.open_presentation(false)?;
            }
            Action::Charts => self.open_charts()?,
            Action::Calendar => self.open_calendar(),
            // The dialogs carry these out in their own key handlers, and
            // the keymap binds them nowhere else.
            Action::Save
            | Action::NextField
            | Action::PreviousField
            | Action::Cancel
            | Action::PickKrs
            | Action::Toggle
            | Action::Choose
            | Action::Yes
            | Action::No
            | Action::KeepSearch
            | Action::ClearSearch
            | Action::SameForAll
            | Action::NoteToItem => {}
        }
        Ok(())
    }

    fn focus(&mut self, pane: Pane) {
        if self.board.is_some() && self.focus != pane {
            self.focus = pane;
            self.ui_state_changed = true;
        }
    }

    /// `Esc` on the board or over a dialog (a screen's own is in
    /// `screen_action`): close the dialog, stop marking, or clear the filter.
    fn back(&mut self) -> anyhow::Result<()> {
        if self.overlays.is_empty() && self.backlog.marked.take().is_some() {
            self.say("Stopped marking".into());
            return Ok(());
        }
        if self.overlays.pop().is_none() && !self.backlog.filter.is_empty() {
            self.set_filter(crate::store::ItemFilter::default())?;
            self.status = Some(Status { text: "Showing the whole backlog".into(), is_error: false });
        }
        Ok(())
    }

    fn load_demo(&mut self) -> anyhow::Result<()> {
        if self.store.has_quarter()? {
            return Ok(());
        }
        let plan = Plan::demo(self.today)?;
        let label = plan.quarter.label.clone();
        let command = crate::ops::Command::LoadPlan { plan: Box::new(plan), replace: false };
        self.apply_now(&command).map_err(|error| error.into_anyhow().context("loading the demo quarter"))?;
        self.reload()?;
        self.select_running_sprint();
        self.status = Some(Status { text: format!("Loaded the demo quarter {label}"), is_error: false });
        Ok(())
    }

    /// Enter in a form: parse it into what it is for and save that. A form
    /// that does not parse stays open with its errors.
    pub(super) fn submit_form(&mut self) -> anyhow::Result<()> {
        let Some(Overlay::Form(form)) = self.overlays.last() else { return Ok(()) };
        match form.purpose {
            form::Purpose::NewQuarter => self.create_quarter(),
            form::Purpose::AddItem { tag } => self.add_item(tag),
            form::Purpose::EditItem(id) => self.update_item(id),
            form::Purpose::AddObjective => self.save_objective(None),
            form::Purpose::EditObjective(id) => self.save_objective(Some(id)),
            form::Purpose::AddKeyResult { objective } => self.save_key_result(plan_edits::KrSave::Add { objective }),
            form::Purpose::EditKeyResult(id) => self.save_key_result(plan_edits::KrSave::Edit(id)),
            form::Purpose::AddSprint => self.save_sprint(None),
            form::Purpose::EditSprint { sprint, .. } => self.save_sprint(Some(sprint)),
            form::Purpose::QuarterSettings(id) => self.save_quarter(id),
            form::Purpose::Focus { key_result } => self.save_focus(key_result),
            form::Purpose::AddMember => self.save_member(None),
            form::Purpose::EditMember(id) => self.save_member(Some(id)),
            form::Purpose::AddCheckIn { key_result } => self.save_check_in(key_result, None),
            form::Purpose::EditCheckIn { key_result, check_in } => self.save_check_in(key_result, Some(check_in)),
            form::Purpose::RetroNote { sprint, list, note } => self.save_note(sprint, list, note),
            form::Purpose::QuarterScore { key_result } => {
                self.save_quarter_score(key_result);
                Ok(())
            }
            form::Purpose::QuarterNote { objective } => {
                self.save_quarter_note(objective);
                Ok(())
            }
        }
    }

    /// Parses the form on top with `parse`. When it parses, the form closes
    /// and comes back with the value: its `changed` says which fields the
    /// user touched, so a save writes only those.
    pub(super) fn parse_form<T>(
        &mut self,
        parse: impl FnOnce(&form::Values) -> Result<T, Vec<form::FieldError>>,
    ) -> Option<(T, form::Form)> {
        let Some(Overlay::Form(form)) = self.overlays.last_mut() else { return None };
        let Some(value) = form.parse(parse) else {
            // The form's own errors say what is wrong now; an error line
            // left from an earlier try (a full disk, say) would mislead.
            if self.status.as_ref().is_some_and(|status| status.is_error) {
                self.status = None;
            }
            return None;
        };
        let Some(Overlay::Form(form)) = self.overlays.pop() else { return None };
        Some((value, *form))
    }

    pub(super) fn select_running_sprint(&mut self) {
        if let Some(board) = &self.board {
            self.sprint_selected = board.sprints.iter().position(|sprint| sprint.contains(self.today)).unwrap_or(0);
            self.ui_state_changed = true;
        }
    }
}

/// The planning screen in a stack of screens, borrowing only the stack (so
/// the store and the board stay free to use beside it).
pub(super) fn planning_in(overlays: &mut [Overlay]) -> Option<&mut planning::Planning> {
    overlays.iter_mut().rev().find_map(|overlay| match overlay {
        Overlay::Planning(planning) => Some(&mut **planning),
        _ => None,
    })
}
