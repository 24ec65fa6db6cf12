//! A sprint's goal and the KRs it serves, edited from planning or from the
//! timeline (`e`, `t`). A goal that serves no KR needs a reason (M2).

use super::{
    App, Overlay, Pane,
    edits::Refresh,
    form::{Form, Value},
    pickers::{Choice, ChoiceValue, Picker, PickerKind},
};
use crate::domain::{Id, Sprint};

impl App {
    /// The sprint `e` and `t` apply to: the one being planned, or the one
    /// selected in the timeline when it has the keys.
    pub(super) fn sprint_in_hand(&self) -> Option<&Sprint> {
        if self.planning.is_some() {
            return self.planned_sprint();
        }
        (self.focus == Pane::Timeline).then(|| self.board.as_ref()?.sprints.get(self.sprint_selected)).flatten()
    }

    pub(super) fn open_goal_form(&mut self) {
        if let Some(sprint) = self.sprint_in_hand() {
            let form = Form::sprint_goal(sprint);
            self.overlays.push(Overlay::Form(Box::new(form)));
        }
    }

    pub(super) fn save_sprint_goal(&mut self, sprint: Id, values: &[Value]) -> anyhow::Result<()> {
        let [Value::Text(goal), Value::Text(reason)] = values else { return Ok(()) };
        let number = self.board.as_ref().and_then(|board| board.sprints.iter().find(|s| s.id == sprint)).map_or(0, |s| s.number);
        let label = format!("Set the goal of Sprint {number}");
        self.store.set_sprint_goal(sprint, goal, reason, &label)?;
        self.after_edit(Refresh::Everything, label)
    }

    /// `t` on a sprint: the KRs its goal serves.
    pub(super) fn open_sprint_kr_picker(&mut self) {
        let (Some(sprint), Some(board)) = (self.sprint_in_hand(), &self.board) else { return };
        let choices = board
            .key_results()
            .map(|kr| Choice {
                value: ChoiceValue::Kr(kr.id),
                label: format!("{} {}", kr.code, kr.title),
                chosen: sprint.krs.iter().any(|link| link.key_result_id == kr.id),
            })
            .collect();
        let picker = Picker {
            kind: PickerKind::SprintKrs,
            item: sprint.id,
            item_title: format!("Sprint {}", sprint.number),
            choices,
            cursor: 0,
        };
        self.overlays.push(Overlay::Picker(picker));
    }

    pub(super) fn save_sprint_krs(&mut self, picker: &Picker, chosen: &[Id]) -> anyhow::Result<()> {
        let label = if chosen.is_empty() {
            format!("{}'s goal serves no KR now", picker.item_title)
        } else {
            format!("{}'s goal serves {}", picker.item_title, picker.chosen_codes().join(", "))
        };
        self.store.set_sprint_krs(picker.item, chosen, &label)?;
        if self.planning.is_some() {
            // Relevance follows the sprint's KRs.
            self.refresh_planning()?;
            self.say(label);
            return Ok(());
        }
        self.after_edit(Refresh::Everything, label)
    }
}
