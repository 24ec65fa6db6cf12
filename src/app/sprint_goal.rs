//! The KRs a sprint's goal serves, picked from planning or from the
//! timeline (`t`). The goal itself is in the sprint's form (`e`,
//! `plan_edits`); a goal that serves no KR needs a reason there (M2).

use super::{
    App, Overlay, Pane,
    commands::{FollowUp, Then},
    edits::Refresh,
    form::Purpose,
    pickers::{Choice, ChoiceValue, Picker, PickerKind, Tick},
};
use crate::{
    domain::{
        Id, Sprint,
        ids::{KeyResultId, SprintId},
    },
    ops::Command,
};

impl App {
    /// The sprint `e` and `t` apply to: the one being planned, or the one
    /// selected in the timeline when it has the keys.
    pub(super) fn sprint_in_hand(&self) -> Option<&Sprint> {
        if self.planning().is_some() {
            return self.planned_sprint();
        }
        (self.focus == Pane::Timeline).then(|| self.board.as_ref()?.sprints.get(self.sprint_selected)).flatten()
    }

    /// `t` on a sprint: the KRs its goal serves.
    pub(super) fn open_sprint_kr_picker(&mut self) {
        if let Some(sprint) = self.sprint_in_hand().map(|sprint| sprint.id) {
            self.open_sprint_kr_picker_for(sprint);
        }
    }

    /// The KR picker of sprint `id`, over whatever is open (its form too).
    pub(super) fn open_sprint_kr_picker_for(&mut self, id: crate::domain::Id) {
        let Some(board) = &self.board else { return };
        let Some(sprint) = board.sprint(id) else { return };
        let choices = board
            .key_results()
            .map(|kr| {
                let serves = sprint.krs.iter().any(|link| link.key_result_id == kr.id);
                Choice::new(ChoiceValue::Kr(kr.id), format!("{} {}", kr.code, kr.title), serves)
            })
            .collect();
        let picker = Picker {
            kind: PickerKind::SprintKrs,
            items: vec![sprint.id],
            item_title: format!("Sprint {}", sprint.number),
            choices,
            cursor: 0,
        };
        self.overlays.push(Overlay::Picker(picker));
    }

    /// Saves the KRs the user ticked on or off; the others stay as the
    /// file has them.
    pub(super) fn save_sprint_krs(&mut self, picker: &Picker) -> anyhow::Result<()> {
        let ((add, _), (remove, _)) = (picker.turned(Tick::On), picker.turned(Tick::Off));
        let codes = picker.chosen_codes();
        let mut label = if codes.is_empty() {
            format!("{}'s goal serves no KR now", picker.item_title)
        } else {
            format!("{}'s goal serves {}", picker.item_title, codes.join(", "))
        };
        let Some(&sprint) = picker.items.first() else { return Ok(()) };
        // A sprint focuses a KR its goal serves: taking that KR off takes
        // the focus with it, and the status says so.
        let board = self.board.as_ref();
        let focus = board.and_then(|board| board.sprint(sprint)).and_then(|held| held.krs.iter().find(|link| link.focus));
        if let Some(kr) =
            focus.filter(|link| remove.contains(&link.key_result_id)).and_then(|link| board?.key_result(link.key_result_id))
        {
            label.push_str(&format!("; {} was its focus KR: it has none now (c sets one)", kr.code));
        }
        let krs = |ids: &[Id]| ids.iter().copied().map(KeyResultId).collect();
        let command = Command::TagSprint { sprint: SprintId(sprint), add: krs(&add), remove: krs(&remove) };
        // In planning, relevance follows the sprint's KRs: its lists are
        // read again, not the whole board.
        let follow = if self.planning().is_some() {
            FollowUp::saying(Refresh::Review, label).then(Then::RefreshPlanning)
        } else {
            FollowUp::saying(Refresh::Everything, label)
        };
        self.run_command(command, follow)?;
        // A sprint form open under the picker now knows whether its goal
        // serves a KR (M2's advice follows).
        for overlay in &mut self.overlays {
            if let Overlay::Form(form) = overlay
                && let Purpose::EditSprint { sprint: id, serves_kr } = &mut form.purpose
                && *id == sprint
            {
                *serves_kr = !codes.is_empty();
                form.krs_written = true;
            }
        }
        Ok(())
    }
}
