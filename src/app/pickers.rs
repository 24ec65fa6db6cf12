//! Pickers over the board: which KRs an item moves (`t`, several at once)
//! and which sprint it is planned into (`m`, one).

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::{App, Overlay, edits::quoted};
use crate::domain::{Id, ItemState};

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: ChoiceValue,
    pub label: String,
    pub chosen: bool,
}

/// What choosing a row means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceValue {
    Kr(Id),
    /// `None`: "not in a sprint".
    Sprint(Option<Id>),
    Filter(FilterChoice),
    /// `a` in the OKR pane: a new objective (`None`) or a KR for one.
    AddOkr(Option<Id>),
    State(ItemState),
}

/// A line of the filter menu (`f`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterChoice {
    BauOnly,
    NotInASprint,
    State(ItemState),
    Sprint(Id),
    /// A KR's items: offered for the orphan KRs.
    Kr(Id),
    /// Items that move any KR of this objective.
    Objective(Id),
    ClearAll,
}

#[derive(Debug, Clone, PartialEq, Eq, Copy)]
pub enum PickerKind {
    /// Several KRs; space toggles, enter saves.
    Tags,
    /// One sprint; enter chooses.
    Sprint,
    /// One filter to add to the backlog's; enter applies.
    Filter,
    /// The KRs a sprint goal serves; space toggles, enter saves.
    SprintKrs,
    /// What to add in the OKR pane; enter opens its form.
    AddOkr,
    /// The state of the marked items; enter sets it.
    State,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub kind: PickerKind,
    /// What the choice applies to: items (one, or the marked range), a
    /// sprint, or the quarter.
    pub items: Vec<Id>,
    pub item_title: String,
    pub choices: Vec<Choice>,
    pub cursor: usize,
}

impl Picker {
    /// The KRs ticked in a KR picker.
    pub fn chosen_krs(&self) -> Vec<Id> {
        self.choices
            .iter()
            .filter(|choice| choice.chosen)
            .filter_map(|choice| match choice.value {
                ChoiceValue::Kr(id) => Some(id),
                _ => None,
            })
            .collect()
    }

    /// Their codes, for the status line: each KR choice's label starts with it.
    pub fn chosen_codes(&self) -> Vec<&str> {
        self.choices.iter().filter(|choice| choice.chosen).filter_map(|choice| choice.label.split(' ').next()).collect()
    }

    /// The items in words: one by its quoted title, several by how many
    /// ("3 marked items").
    fn subject(&self) -> String {
        if self.items.len() == 1 { quoted(&self.item_title) } else { self.item_title.clone() }
    }

    pub fn title(&self) -> String {
        match self.kind {
            PickerKind::Tags => format!("KRs moved by {}", self.subject()),
            PickerKind::Sprint => format!("Plan {} into", self.subject()),
            PickerKind::Filter => "Filter the backlog".to_owned(),
            PickerKind::SprintKrs => format!("KRs served by {}'s goal", self.item_title),
            PickerKind::AddOkr => "Add to the OKRs".to_owned(),
            PickerKind::State => format!("Set the state of {}", self.subject()),
        }
    }
}

impl App {
    pub(super) fn open_tag_picker(&mut self) -> anyhow::Result<()> {
        let Some((items, item_title)) = self.items_in_hand()? else { return Ok(()) };
        let Some(board) = &self.board else { return Ok(()) };
        // Several items start from the tags they all share.
        let tagged = self.store.shared_tags(&items)?;
        let choices = board
            .key_results()
            .map(|kr| Choice {
                value: ChoiceValue::Kr(kr.id),
                label: format!("{} {}", kr.code, kr.title),
                chosen: tagged.contains(&kr.id),
            })
            .collect();
        self.overlays.push(Overlay::Picker(Picker { kind: PickerKind::Tags, items, item_title, choices, cursor: 0 }));
        Ok(())
    }

    pub(super) fn open_sprint_picker(&mut self) -> anyhow::Result<()> {
        let Some((items, item_title)) = self.items_in_hand()? else { return Ok(()) };
        let Some(board) = &self.board else { return Ok(()) };
        let current = if items.len() == 1 { self.backlog.selected_row().and_then(|row| row.sprint_number) } else { None };
        let mut choices =
            vec![Choice { value: ChoiceValue::Sprint(None), label: "Not in a sprint".into(), chosen: current.is_none() }];
        choices.extend(board.sprints.iter().map(|sprint| Choice {
            value: ChoiceValue::Sprint(Some(sprint.id)),
            label: format!(
                "Sprint {} ({}, {}/{} pts)  {}",
                sprint.number,
                sprint.state.as_str(),
                sprint.load,
                sprint.capacity,
                sprint.goal
            ),
            chosen: current == Some(sprint.number),
        }));
        let cursor = choices.iter().position(|choice| choice.chosen).unwrap_or(0);
        self.overlays.push(Overlay::Picker(Picker { kind: PickerKind::Sprint, items, item_title, choices, cursor }));
        Ok(())
    }

    /// Keys while a picker is open: it takes them all.
    pub(super) fn picker_key(&mut self, key: &KeyEvent) -> anyhow::Result<()> {
        let Some(Overlay::Picker(picker)) = self.overlays.last_mut() else { return Ok(()) };
        let count = picker.choices.len().max(1);
        match key.code {
            KeyCode::Esc => {
                self.overlays.pop();
            }
            // The list wraps around: a short list is quicker to go round.
            KeyCode::Down | KeyCode::Char('j') => picker.cursor = (picker.cursor + 1) % count,
            KeyCode::Up | KeyCode::Char('k') => picker.cursor = (picker.cursor + count - 1) % count,
            KeyCode::Char(' ') if matches!(picker.kind, PickerKind::Tags | PickerKind::SprintKrs) => {
                if let Some(choice) = picker.choices.get_mut(picker.cursor) {
                    choice.chosen = !choice.chosen;
                }
            }
            KeyCode::Enter => {
                let Some(Overlay::Picker(picker)) = self.overlays.pop() else { return Ok(()) };
                self.apply_picker(&picker)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn apply_picker(&mut self, picker: &Picker) -> anyhow::Result<()> {
        let title = picker.subject();
        match picker.kind {
            PickerKind::Tags => {
                let chosen = picker.chosen_krs();
                let label = if chosen.is_empty() {
                    format!("{title} moves no KR now: BAU")
                } else {
                    format!("Tagged {title} with {}", picker.chosen_codes().join(", "))
                };
                self.store.set_items_tags(&picker.items, &chosen, &label)?;
                self.after_bulk_edit(super::edits::Refresh::Backlog, label)
            }
            PickerKind::Sprint => {
                let Some(choice) = picker.choices.get(picker.cursor) else { return Ok(()) };
                let ChoiceValue::Sprint(sprint) = choice.value else { return Ok(()) };
                let label = match sprint {
                    Some(_) => format!("Moved {title} to {}", choice.label.split(" (").next().unwrap_or("the sprint")),
                    None if picker.items.len() == 1 => format!("Took {title} out of its sprint"),
                    None => format!("Took {title} out of their sprints"),
                };
                self.store.set_items_sprint(&picker.items, sprint, &label)?;
                // Sprint loads change with it.
                self.after_bulk_edit(super::edits::Refresh::Everything, label)
            }
            PickerKind::SprintKrs => {
                let chosen = picker.chosen_krs();
                self.save_sprint_krs(picker, &chosen)
            }
            PickerKind::AddOkr => {
                if let Some(ChoiceValue::AddOkr(objective)) = picker.choices.get(picker.cursor).map(|choice| choice.value) {
                    self.open_okr_form(objective);
                }
                Ok(())
            }
            PickerKind::State => {
                let Some(ChoiceValue::State(state)) = picker.choices.get(picker.cursor).map(|choice| choice.value) else {
                    return Ok(());
                };
                self.set_marked_state(&picker.items, &title, state)
            }
            PickerKind::Filter => {
                let Some(ChoiceValue::Filter(choice)) = picker.choices.get(picker.cursor).map(|choice| choice.value) else {
                    return Ok(());
                };
                self.apply_filter_choice(choice)
            }
        }
    }
}
