//! Pickers over the board: which KRs an item moves (`t`, several at once)
//! and which sprint it is planned into (`m`, one).

use ratatui::crossterm::event::KeyEvent;

use super::{
    Action, App, Context, Overlay,
    commands::{FollowUp, Then, Words},
    edits::{Refresh, quoted},
};
use crate::{
    domain::{
        Id, ItemState, SprintState,
        ids::{ItemId, KeyResultId, SprintId},
    },
    ops::Command,
    store::Resolved,
};

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: ChoiceValue,
    pub label: String,
    pub tick: Tick,
    /// The tick as the picker opened: saving writes only the choices
    /// whose tick the user changed.
    pub opened: Tick,
}

/// A choice's box: off, on, or (for marked items) on for some of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    Off,
    /// Some of the marked items have it; saving leaves them as they are.
    Some,
    On,
}

impl Choice {
    pub fn new(value: ChoiceValue, label: String, chosen: bool) -> Self {
        let tick = if chosen { Tick::On } else { Tick::Off };
        Self { value, label, tick, opened: tick }
    }

    pub fn chosen(&self) -> bool {
        self.tick == Tick::On
    }

    /// Space: on and off; a choice that opened as "some" comes back to it.
    fn toggle(&mut self) {
        self.tick = match (self.tick, self.opened) {
            (Tick::Some, _) => Tick::On,
            (Tick::On, _) => Tick::Off,
            (Tick::Off, Tick::Some) => Tick::Some,
            (Tick::Off, _) => Tick::On,
        };
    }
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
    /// Items carried from a closed quarter, waiting for new tags.
    NeedsRetag,
    /// Items done in an earlier quarter, which the backlog leaves out.
    EarlierDone,
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
    /// Which KR to check in on (a reviewed sprint's, an objective's, ...);
    /// enter opens the form.
    CheckIn,
    /// Which KR to focus sprints on (the cascade); enter opens the form.
    Focus,
}

impl PickerKind {
    /// Whether the picker ticks several choices (toggle), rather than
    /// taking the one under the cursor.
    pub fn ticks_several(self) -> bool {
        matches!(self, Self::Tags | Self::SprintKrs)
    }
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
    /// The KRs whose tick the user turned to `tick`, with their codes
    /// (each KR choice's label starts with its code).
    pub fn turned(&self, tick: Tick) -> (Vec<Id>, Vec<&str>) {
        self.choices
            .iter()
            .filter(|choice| choice.tick == tick && choice.opened != tick)
            .filter_map(|choice| match choice.value {
                ChoiceValue::Kr(id) => Some((id, choice.label.split(' ').next().unwrap_or_default())),
                _ => None,
            })
            .unzip()
    }

    /// The codes ticked on, for the status line.
    pub fn chosen_codes(&self) -> Vec<&str> {
        self.choices.iter().filter(|choice| choice.chosen()).filter_map(|choice| choice.label.split(' ').next()).collect()
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
            PickerKind::CheckIn => format!("Check in on a KR of {}", self.item_title),
            PickerKind::Focus => format!("Focus sprints on a KR of {}", self.item_title),
            PickerKind::State => format!("Set the state of {}", self.subject()),
        }
    }
}

impl App {
    pub(super) fn open_tag_picker(&mut self) -> anyhow::Result<()> {
        let Some((items, item_title)) = self.items_in_hand()? else { return Ok(()) };
        let Some(board) = &self.board else { return Ok(()) };
        // A KR on some of the marked items shows as such, and stays so
        // unless the user ticks it.
        let counts = self.store.tag_counts(&items)?;
        // The backlog is the running quarter's work: a draft's KRs carry
        // their quarter, so `KR1.1` is never two KRs.
        let quarter = if board.quarter.state == crate::domain::QuarterState::Draft {
            format!("{} ", board.quarter.label)
        } else {
            String::new()
        };
        let choices = board
            .key_results()
            .map(|kr| {
                let tagged = counts.iter().find(|(id, _)| *id == kr.id).map_or(0, |(_, count)| *count);
                let text = format!("{quarter}{} {}", kr.code, kr.title);
                let mut choice = Choice::new(ChoiceValue::Kr(kr.id), text, tagged > 0);
                if tagged > 0 && tagged < items.len() {
                    (choice.tick, choice.opened) = (Tick::Some, Tick::Some);
                }
                choice
            })
            .collect();
        self.overlays.push(Overlay::Picker(Picker { kind: PickerKind::Tags, items, item_title, choices, cursor: 0 }));
        Ok(())
    }

    pub(super) fn open_sprint_picker(&mut self) -> anyhow::Result<()> {
        let Some((items, item_title)) = self.items_in_hand()? else { return Ok(()) };
        let Some(board) = &self.board else { return Ok(()) };
        let current = if items.len() == 1 { self.backlog.selected_row().and_then(|row| row.sprint_number) } else { None };
        // A closed sprint's record is frozen: nothing moves into or out of it.
        let in_closed = current
            .and_then(|number| board.sprints.iter().find(|sprint| sprint.number == number))
            .filter(|sprint| sprint.state == SprintState::Closed)
            .map(|sprint| sprint.number);
        if let Some(number) = in_closed {
            let undo = self.key(super::Context::Board, super::Action::Undo);
            self.say(format!("Sprint {number} is closed: its items stay in its record ({undo} reopens it)"));
            return Ok(());
        }
        let mut choices = vec![Choice::new(ChoiceValue::Sprint(None), "Not in a sprint".into(), current.is_none())];
        choices.extend(board.sprints.iter().filter(|sprint| sprint.state != SprintState::Closed).map(|sprint| {
            Choice::new(
                ChoiceValue::Sprint(Some(sprint.id)),
                format!(
                    "Sprint {} ({}, {}/{} pts)  {}",
                    sprint.number,
                    sprint.state.as_str(),
                    sprint.load,
                    sprint.capacity,
                    sprint.goal
                ),
                current == Some(sprint.number),
            )
        }));
        let cursor = choices.iter().position(Choice::chosen).unwrap_or(0);
        self.overlays.push(Overlay::Picker(Picker { kind: PickerKind::Sprint, items, item_title, choices, cursor }));
        Ok(())
    }

    /// Keys while a picker is open: it takes them all, from the `[picker]`
    /// keymap; other keys do nothing.
    pub(super) fn picker_key(&mut self, key: &KeyEvent) -> anyhow::Result<()> {
        let action = self.keymap.action(Context::Picker, key);
        let Some(Overlay::Picker(picker)) = self.overlays.last_mut() else { return Ok(()) };
        let count = picker.choices.len().max(1);
        match action {
            Some(Action::Cancel) => {
                self.overlays.pop();
            }
            // The list wraps around: a short list is quicker to go round.
            Some(Action::MoveDown) => picker.cursor = (picker.cursor + 1) % count,
            Some(Action::MoveUp) => picker.cursor = (picker.cursor + count - 1) % count,
            Some(Action::Toggle) if picker.kind.ticks_several() => {
                if let Some(choice) = picker.choices.get_mut(picker.cursor) {
                    choice.toggle();
                }
            }
            Some(Action::Choose) => {
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
                let ((add, added), (remove, removed)) = (picker.turned(Tick::On), picker.turned(Tick::Off));
                if add.is_empty() && remove.is_empty() {
                    // Saved as they are, tags of an item carried from a
                    // closed quarter are its tags for this one: its ↻ goes.
                    if self.store.waiting_for_tags(&picker.items)? > 0 {
                        let label = format!("Kept the tags of {title} for this quarter (↻ cleared)");
                        let command = Command::TagItems { items: item_ids(&picker.items), add: Vec::new(), remove: Vec::new() };
                        return self
                            .run_command(command, FollowUp::saying(Refresh::Backlog, label).then(Then::ClearMarks))
                            .map(drop);
                    }
                    self.say(format!("The tags of {title} stay as they are"));
                    return Ok(());
                }
                let krs = |ids: &[Id]| ids.iter().copied().map(KeyResultId).collect();
                let command = Command::TagItems { items: item_ids(&picker.items), add: krs(&add), remove: krs(&remove) };
                let follow = match picker.items.as_slice() {
                    // One item is said by the tags it has now, which may
                    // hold another window's since the picker opened.
                    [item] => FollowUp::new(Refresh::Backlog, Words::TagsNow { item: *item, title }),
                    _ => FollowUp::saying(Refresh::Backlog, marked_tags_label(&title, &added, &removed)),
                };
                self.run_command(command, follow.then(Then::ClearMarks)).map(drop)
            }
            PickerKind::Sprint => {
                let Some(choice) = picker.choices.get(picker.cursor) else { return Ok(()) };
                let ChoiceValue::Sprint(sprint) = choice.value else { return Ok(()) };
                let label = match sprint {
                    Some(_) => format!("Moved {title} to {}", choice.label.split(" (").next().unwrap_or("the sprint")),
                    None if picker.items.len() == 1 => format!("Took {title} out of its sprint"),
                    None => format!("Took {title} out of their sprints"),
                };
                let command = Command::MoveItems { items: item_ids(&picker.items), sprint: sprint.map(SprintId) };
                // Sprint loads change with it.
                self.run_command(command, FollowUp::saying(Refresh::Everything, label).then(Then::ClearMarks)).map(drop)
            }
            PickerKind::SprintKrs => self.save_sprint_krs(picker),
            PickerKind::CheckIn | PickerKind::Focus => {
                if let Some(ChoiceValue::Kr(id)) = picker.choices.get(picker.cursor).map(|choice| choice.value) {
                    self.act_on_kr(picker.kind, id);
                }
                Ok(())
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

/// What a tag picker did to marked items, in words: the tags added and
/// taken off (the others stay as they were).
fn marked_tags_label(title: &str, added: &[&str], removed: &[&str]) -> String {
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("tagged with {}", added.join(", ")));
    }
    if !removed.is_empty() {
        parts.push(format!("{} taken off", removed.join(", ")));
    }
    format!("{title}: {}; their other tags stay", parts.join(", "))
}

impl App {
    /// One item's tags as the file has them now, in words.
    pub(super) fn tags_now(&self, item: Id, title: &str) -> anyhow::Result<String> {
        let codes = self
            .store
            .tag_counts(&[item])?
            .into_iter()
            .map(|(kr, _)| {
                let name = self.store.describe(Resolved::KeyResult(KeyResultId(kr)))?.name;
                Ok(name.split(" in ").next().unwrap_or_default().to_owned())
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(if codes.is_empty() {
            format!("{title} moves no KR now: BAU")
        } else {
            format!("Tagged {title} with {}", codes.join(", "))
        })
    }
}

fn item_ids(items: &[Id]) -> Vec<ItemId> {
    items.iter().copied().map(ItemId).collect()
}
