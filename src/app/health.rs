//! The health screen (`H`): every rule M1-M13 with its state and the
//! objects that break it; `Enter` goes to the selected object. The rules
//! are checked when the screen opens and on every reload (`App::reload`),
//! never per frame or per key.

use super::{App, OkrRow, Overlay, Pane, selection::Step};
use crate::{
    domain::health::{self, Breach, Object, RuleState},
    store::ItemFilter,
};

/// The health screen's state: the rules as last checked, and which
/// breaking object is selected (counted over all the rules, in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthScreen {
    pub rules: Vec<RuleState>,
    pub selected: usize,
}

impl HealthScreen {
    /// The objects breaking a rule, in the screen's order.
    pub fn objects(&self) -> impl Iterator<Item = &Breach> {
        self.rules.iter().flat_map(|rule| rule.breaches.iter())
    }

    pub fn selected_object(&self) -> Option<&Breach> {
        self.objects().nth(self.selected)
    }

    pub fn warnings(&self) -> usize {
        health::warnings(&self.rules)
    }
}

impl App {
    /// The health screen, when it is open.
    pub fn health(&self) -> Option<&HealthScreen> {
        self.overlays.iter().rev().find_map(|overlay| match overlay {
            Overlay::Health(screen) => Some(&**screen),
            _ => None,
        })
    }

    /// The rules checked on the board as the store has it now; `None`
    /// without a quarter.
    pub(super) fn check_health(&self) -> anyhow::Result<Option<Vec<RuleState>>> {
        let Some(board) = &self.board else { return Ok(None) };
        let facts = self.store.health_facts(board.quarter.id)?;
        Ok(Some(health::check(board, self.today, &facts.as_facts())))
    }

    /// Checks the rules again after a reload: the header's count, and the
    /// open screen's list (its selection kept within it). Returns them for
    /// the presentation, so they are checked once.
    pub(super) fn refresh_health(&mut self) -> anyhow::Result<Option<Vec<RuleState>>> {
        let rules = self.check_health()?;
        self.health_stale = false;
        self.health_warnings = rules.as_deref().map(health::warnings);
        for overlay in &mut self.overlays {
            if let (Overlay::Health(screen), Some(rules)) = (overlay, &rules) {
                screen.rules.clone_from(rules);
                screen.selected = screen.selected.min(screen.objects().count().saturating_sub(1));
            }
        }
        Ok(rules)
    }

    pub(super) fn open_health(&mut self) -> anyhow::Result<()> {
        if let Some(rules) = self.check_health()? {
            self.health_warnings = Some(health::warnings(&rules));
            self.overlays.push(Overlay::Health(Box::new(HealthScreen { rules, selected: 0 })));
        }
        Ok(())
    }

    pub(super) fn move_in_health(&mut self, step: Step) {
        if let Some(Overlay::Health(screen)) = self.overlays.last_mut() {
            let count = screen.objects().count();
            screen.selected = step.apply(screen.selected, count, 10);
        }
    }

    /// `Enter` goes to the selected object; `H` (or `Esc`) closes.
    pub(super) fn health_action(&mut self, action: super::Action) -> anyhow::Result<()> {
        let Some(Overlay::Health(screen)) = self.overlays.last() else { return Ok(()) };
        if action != super::Action::OpenDetail {
            self.overlays.pop();
            return Ok(());
        }
        let Some(breach) = screen.selected_object().cloned() else { return Ok(()) };
        self.overlays.pop();
        if !self.go_to(breach.object)? {
            self.say(format!("{} is no longer on the board", breach.code));
        }
        Ok(())
    }

    /// Focuses the pane that lists `object` and selects it there; false
    /// when it is gone.
    fn go_to(&mut self, object: Object) -> anyhow::Result<bool> {
        match object {
            // The quarter's OKRs (M1 with none, M13): the OKR pane.
            Object::Quarter => {
                self.focus(Pane::Okrs);
                self.okr_selected = 0;
                self.scroll_okrs_to_selection();
            }
            Object::Objective(_) | Object::KeyResult(_) => {
                let found = self.okr_rows().iter().position(|row| match (row, object) {
                    (OkrRow::Objective { id, .. }, Object::Objective(wanted))
                    | (OkrRow::KeyResult { id, .. }, Object::KeyResult(wanted)) => *id == wanted,
                    _ => false,
                });
                let Some(index) = found else { return Ok(false) };
                self.focus(Pane::Okrs);
                self.okr_selected = index;
                self.scroll_okrs_to_selection();
                self.follow_okr_selection()?;
            }
            Object::Sprint(id) => {
                let found = self.board.as_ref().and_then(|board| board.sprints.iter().position(|sprint| sprint.id == id));
                let Some(index) = found else { return Ok(false) };
                self.focus(Pane::Timeline);
                self.sprint_selected = index;
            }
            Object::Item(id) => {
                // An item the filter hides is shown by showing the whole backlog.
                if self.store.backlog_position(&self.backlog.filter, id)?.is_none() {
                    self.set_filter(ItemFilter::default())?;
                }
                let Some(position) = self.store.backlog_position(&self.backlog.filter, id)? else { return Ok(false) };
                self.focus(Pane::Backlog);
                self.backlog.move_to(&self.store, position)?;
            }
        }
        self.ui_state_changed = true;
        Ok(true)
    }
}
