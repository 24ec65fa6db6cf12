//! Keys that act on a KR (`i` check in, `c` focus sprints) pressed where no
//! KR is selected: they offer the KRs in view to choose from, so that what
//! the user types next goes to a chooser or a form, never to the board as
//! commands (a note typed after `i` on an objective once ran `d`, then
//! `Enter`, and deleted an item).

use super::{
    Action, App, Context, OkrRow, Overlay, Pane,
    detail::Detail,
    pickers::{Choice, ChoiceValue, Picker, PickerKind},
};
use crate::domain::{Id, codes};

/// What the selection offers to a key that acts on a KR.
enum InView {
    /// A KR is selected (or its details are open): act on it.
    One(Id),
    /// KRs to choose from, and what they belong to ("O1", "#13", "2026-Q4").
    Several(String, Vec<Id>),
}

impl App {
    /// `i`: a check-in on the KR in view, or on one chosen from the KRs in
    /// view (see [`App::krs_in_view`]).
    pub(super) fn check_in_on_selection(&mut self) {
        self.act_on_kr_in_view(PickerKind::CheckIn, "check in on");
    }

    /// `c`: the sprints that focus on the KR in view (the cascade), or on
    /// one chosen from the KRs in view.
    pub(super) fn focus_sprints_on_selection(&mut self) {
        self.act_on_kr_in_view(PickerKind::Focus, "focus sprints on");
    }

    fn act_on_kr_in_view(&mut self, kind: PickerKind, what: &str) {
        match self.krs_in_view() {
            Some(InView::One(id)) => self.act_on_kr(kind, id),
            Some(InView::Several(subject, krs)) => self.offer_krs(kind, subject, &krs),
            None => {
                let add = self.keymap.keys_label(Context::Board, Action::Add).unwrap_or_else(|| "-".to_owned());
                self.say(format!("No KR to {what} yet: {add} in the OKR pane (1) adds one"));
            }
        }
    }

    /// The KR whose details are open or that the OKR pane selects; else the
    /// KRs of what is selected: an objective's, the timeline's sprint's
    /// (those its goal serves), the backlog item's (its tags); else, when
    /// that has none, every KR of the quarter. `None`: the quarter has none.
    fn krs_in_view(&self) -> Option<InView> {
        if let Some(Overlay::Detail { detail: Detail::KeyResult { id, .. }, .. }) = self.overlays.last() {
            return Some(InView::One(*id));
        }
        let board = self.board.as_ref()?;
        let (subject, in_view): (String, Vec<Id>) = match self.focus {
            Pane::Okrs => match self.okr_rows().get(self.okr_selected) {
                Some(OkrRow::KeyResult { id, .. }) => return Some(InView::One(*id)),
                Some(OkrRow::Objective { objective, .. }) => {
                    let objective = &board.objectives[*objective];
                    (codes::objective(objective.number), objective.key_results.iter().map(|kr| kr.id).collect())
                }
                None => (String::new(), Vec::new()),
            },
            Pane::Timeline => board.sprints.get(self.sprint_selected).map_or_else(Default::default, |sprint| {
                (codes::sprint(sprint.number), sprint.krs.iter().map(|link| link.key_result_id).collect())
            }),
            Pane::Backlog => self.backlog.selected_row().map_or_else(Default::default, |row| {
                let tagged = board.key_results().filter(|kr| row.kr_codes.contains(&kr.code)).map(|kr| kr.id).collect();
                (codes::item(row.id), tagged)
            }),
        };
        if !in_view.is_empty() {
            return Some(InView::Several(subject, in_view));
        }
        let every: Vec<Id> = board.key_results().map(|kr| kr.id).collect();
        (!every.is_empty()).then(|| InView::Several(board.quarter.label.clone(), every))
    }

    /// One of `krs`: acted on straight away when there is one, else a
    /// chooser whose choice opens the form (`kind`: a check-in, a focus).
    pub(super) fn offer_krs(&mut self, kind: PickerKind, subject: String, krs: &[Id]) {
        let Some(board) = self.board.as_ref() else { return };
        let choices: Vec<Choice> = krs
            .iter()
            .filter_map(|id| board.key_result(*id))
            .map(|kr| Choice::new(ChoiceValue::Kr(kr.id), format!("{} {}", kr.code, kr.title), false))
            .collect();
        match choices.as_slice() {
            [] => {}
            [only] => {
                if let ChoiceValue::Kr(id) = only.value {
                    self.act_on_kr(kind, id);
                }
            }
            _ => self.overlays.push(Overlay::Picker(Picker { kind, items: Vec::new(), item_title: subject, choices, cursor: 0 })),
        }
    }

    /// The form a KR chooser's choice opens.
    pub(super) fn act_on_kr(&mut self, kind: PickerKind, id: Id) {
        if kind == PickerKind::Focus {
            self.open_focus_form(id);
        } else {
            self.open_check_in_form(id);
        }
    }
}
