//! Backlog filters beyond the KR one: search titles as you type (`/`) and
//! the filter menu (`f`). The active filter is always shown in the
//! backlog's title, and `Esc` clears it.

use ratatui::crossterm::event::{Event, KeyEvent};
use tui_input::{Input, backend::crossterm::EventHandler};

use super::{
    Action, App, Context, Overlay, Pane,
    pickers::{Choice, ChoiceValue, FilterChoice, Picker, PickerKind},
};
use crate::domain::codes;
use crate::{
    domain::ItemState,
    store::{ItemFilter, Placement},
};

impl App {
    /// After a reload: a KR or objective filter whose object is not on the
    /// board on screen (its quarter closed and the next opened, perhaps in
    /// another window) would filter by something the title cannot name,
    /// so it goes, and the status says so.
    pub(super) fn drop_filters_off_the_board(&mut self) {
        let Some(board) = self.board.as_ref() else { return };
        let filter = &mut self.backlog.filter;
        let kr_gone = filter.key_result.is_some_and(|id| board.key_result(id).is_none());
        let objective_gone = filter.objective.is_some_and(|id| board.objective(id).is_none());
        if kr_gone {
            filter.key_result = None;
        }
        if objective_gone {
            filter.objective = None;
        }
        if kr_gone || objective_gone {
            self.say(format!("The backlog's filter named a KR or objective not in {}: it was cleared", board.quarter.label));
        }
    }

    /// `/`: a search line over the backlog; the list narrows as you type.
    pub(super) fn open_search(&mut self) {
        if self.board.is_none() {
            return;
        }
        self.focus = Pane::Backlog;
        let text = self.backlog.filter.search.clone().unwrap_or_default();
        self.overlays.push(Overlay::Search(Input::new(text)));
    }

    /// Keys while the search line is open: the `[search]` keymap's, and
    /// any other key types into the line.
    pub(super) fn search_key(&mut self, key: &KeyEvent, event: &Event) -> anyhow::Result<()> {
        match self.keymap.action(Context::Search, key) {
            Some(Action::KeepSearch) => {
                self.overlays.pop();
            }
            Some(Action::ClearSearch) => {
                self.overlays.pop();
                return self.set_filter(ItemFilter { search: None, ..self.backlog.filter.clone() });
            }
            _ => {
                let Some(Overlay::Search(input)) = self.overlays.last_mut() else { return Ok(()) };
                input.handle_event(event);
                let text = input.value().trim().to_owned();
                let search = (!text.is_empty()).then_some(text);
                return self.set_filter(ItemFilter { search, ..self.backlog.filter.clone() });
            }
        }
        Ok(())
    }

    /// `f`: the filter menu, with the orphan KRs (no open item moves them).
    pub(super) fn open_filter_menu(&mut self) -> anyhow::Result<()> {
        let Some(board) = &self.board else { return Ok(()) };
        let orphans = self.store.orphan_key_results(board.quarter.id)?;
        let filter = &self.backlog.filter;
        let mut choices = vec![
            (FilterChoice::BauOnly, "BAU only: items that move no KR".to_owned(), filter.bau_only),
            (FilterChoice::NotInASprint, "Not in a sprint".to_owned(), filter.placement == Placement::NotInASprint),
        ];
        // Offered while items carried from a closed quarter wait for tags.
        if filter.needs_retag || self.store.has_items_to_retag()? {
            let label = "↻ To re-tag: carried from a closed quarter, still tagged with its KRs".to_owned();
            choices.push((FilterChoice::NeedsRetag, label, filter.needs_retag));
        }
        // Offered once a quarter has been opened after another.
        if filter.earlier_done || self.store.has_items_done_in_earlier_quarters()? {
            let label = "✓ Done in earlier quarters (each stays in its quarter, [ shows it)".to_owned();
            choices.push((FilterChoice::EarlierDone, label, filter.earlier_done));
        }
        choices.extend(
            ItemState::ALL
                .map(|state| (FilterChoice::State(state), format!("State: {}", state.as_str()), filter.state == Some(state))),
        );
        choices.extend(board.sprints.iter().map(|sprint| {
            (
                FilterChoice::Sprint(sprint.id),
                format!("In Sprint {}", sprint.number),
                filter.placement == Placement::Sprint(sprint.id),
            )
        }));
        choices.extend(orphans.iter().filter_map(|id| board.key_result(*id)).map(|kr| {
            let chosen = filter.key_result == Some(kr.id);
            (FilterChoice::Kr(kr.id), format!("Orphan KR: {} {} (no open item moves it)", kr.code, kr.title), chosen)
        }));
        choices.extend(board.objectives.iter().map(|objective| {
            let chosen = filter.objective == Some(objective.id);
            (
                FilterChoice::Objective(objective.id),
                format!("Objective {}: {}", codes::objective(objective.number), objective.title),
                chosen,
            )
        }));
        choices.push((FilterChoice::ClearAll, "Clear every filter".to_owned(), false));
        let choices =
            choices.into_iter().map(|(value, label, chosen)| Choice::new(ChoiceValue::Filter(value), label, chosen)).collect();
        self.focus = Pane::Backlog;
        self.overlays.push(Overlay::Picker(Picker {
            kind: PickerKind::Filter,
            items: Vec::new(),
            item_title: String::new(),
            choices,
            cursor: 0,
        }));
        Ok(())
    }

    /// Adds a filter (choosing an active one again turns it off).
    pub(super) fn apply_filter_choice(&mut self, choice: FilterChoice) -> anyhow::Result<()> {
        let mut filter = self.backlog.filter.clone();
        match choice {
            FilterChoice::BauOnly => filter.bau_only = !filter.bau_only,
            FilterChoice::NotInASprint => {
                filter.placement =
                    if filter.placement == Placement::NotInASprint { Placement::Any } else { Placement::NotInASprint };
            }
            FilterChoice::State(state) => filter.state = if filter.state == Some(state) { None } else { Some(state) },
            FilterChoice::Sprint(id) => {
                filter.placement = if filter.placement == Placement::Sprint(id) { Placement::Any } else { Placement::Sprint(id) };
            }
            FilterChoice::Kr(id) => filter.key_result = if filter.key_result == Some(id) { None } else { Some(id) },
            FilterChoice::Objective(id) => filter.objective = if filter.objective == Some(id) { None } else { Some(id) },
            FilterChoice::NeedsRetag => filter.needs_retag = !filter.needs_retag,
            FilterChoice::EarlierDone => filter.earlier_done = !filter.earlier_done,
            FilterChoice::ClearAll => filter = ItemFilter::default(),
        }
        self.set_filter(filter)
    }

    /// Lists the backlog by `filter`, keeping the selected item if listed.
    pub(super) fn set_filter(&mut self, mut filter: ItemFilter) -> anyhow::Result<()> {
        // A closed quarter's backlog is what its sprints delivered, whatever
        // else the filter says.
        filter.quarter = self.closed_quarter_scope();
        if self.backlog.filter != filter {
            self.backlog.filter = filter;
            // Marked positions meant items of the list as it was.
            self.backlog.marked = None;
            self.ui_state_changed = true;
            let keep = self.backlog.selected_id();
            self.backlog.selected = 0;
            self.backlog.reload(&self.store, keep)?;
        }
        Ok(())
    }
}
