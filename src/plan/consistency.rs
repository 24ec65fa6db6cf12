//! A plan's values that each read well alone but contradict each other or
//! name something the plan lacks: a record's item no item has, a sprint
//! with both `end` and `weeks`, two items with one number. Each is found
//! here, before the store writes a row, so that the user reads the field,
//! its value and what to write, never a database's constraint.

use std::collections::{HashMap, HashSet};

use anyhow::bail;

use super::Plan;
use crate::domain::{ItemState, SprintState};

impl Plan {
    /// The plan's fields checked against each other (called by `validate`).
    pub(super) fn validate_consistency(&self) -> anyhow::Result<()> {
        self.validate_sprint_days()?;
        let numbers = self.validate_item_numbers()?;
        self.validate_frozen_items(&numbers)?;
        self.validate_no_repeats()
    }

    /// `end` is in place of `weeks`; a sprint is started and closed in order,
    /// and only once it has been.
    fn validate_sprint_days(&self) -> anyhow::Result<()> {
        let dates = self.sprint_dates()?;
        for (s, (sprint, span)) in self.sprints.iter().zip(&dates).enumerate() {
            if let (Some(end), Some(weeks)) = (sprint.end, sprint.weeks) {
                bail!(
                    "sprints[{s}].end is {end} and sprints[{s}].weeks is {weeks}: end is in place of weeks, so write one of them (end = \"{end}\" or weeks = {weeks})"
                );
            }
            let state = sprint.state;
            if state == Some(SprintState::Planned) {
                if let Some(day) = sprint.started_on {
                    bail!(
                        "sprints[{s}].started_on is {day}, but sprints[{s}].state is planned: a planned sprint has not started (leave started_on out, or write state = \"active\")"
                    );
                }
                if let Some(day) = sprint.closed_on {
                    bail!(
                        "sprints[{s}].closed_on is {day}, but sprints[{s}].state is planned: only a closed sprint has closed_on (leave it out, or write state = \"closed\")"
                    );
                }
            }
            if state == Some(SprintState::Active)
                && let Some(day) = sprint.closed_on
            {
                bail!(
                    "sprints[{s}].closed_on is {day}, but sprints[{s}].state is active: only a closed sprint has closed_on (leave it out, or write state = \"closed\")"
                );
            }
            let started = sprint.started_on.unwrap_or(span.start);
            if let Some(closed) = sprint.closed_on.filter(|closed| *closed < started) {
                let from = if sprint.started_on.is_some() { "started_on" } else { "its first day (started_on omitted)" };
                bail!(
                    "sprints[{s}].closed_on is {closed}, before {from}, {started}: a sprint closes on or after the day it started (write closed_on = \"{started}\" or later)"
                );
            }
        }
        Ok(())
    }

    /// Each item's own number, and `item_numbers_used` at least the highest;
    /// returns the numbers the plan gives, with the item that gives each.
    fn validate_item_numbers(&self) -> anyhow::Result<HashMap<i64, usize>> {
        let mut numbers: HashMap<i64, usize> = HashMap::new();
        for (i, item) in self.items.iter().enumerate() {
            if item.done_on.is_some() && item.state != ItemState::Done {
                let day = item.done_on.map(|day| day.to_string()).unwrap_or_default();
                bail!(
                    "items[{i}].done_on is {day}, but items[{i}].state is {}: done_on is only for a done item (leave it out, or write state = \"done\")",
                    item.state.as_str()
                );
            }
            let Some(number) = item.number else { continue };
            if let Some(first) = numbers.insert(number, i) {
                bail!(
                    "items[{i}].number is {number}, which items[{first}] has too: each item has its own number (leave it out for the next one free)"
                );
            }
        }
        if let Some(used) = self.item_numbers_used {
            let highest = numbers.iter().max_by_key(|(number, _)| **number);
            if let Some((&number, &i)) = highest.filter(|(number, _)| **number > used) {
                bail!(
                    "item_numbers_used is {used}, but items[{i}].number is {number}: write at least the highest item number, item_numbers_used = {number} (or leave it out)"
                );
            }
            if used < 0 {
                bail!("item_numbers_used is {used}: write 0 or more, or leave it out");
            }
        }
        Ok(numbers)
    }

    /// A commitment's or a record's item is an item of the plan (or, up to
    /// `item_numbers_used`, one deleted since), named once; a carried item
    /// went to a sprint of the plan or the backlog.
    fn validate_frozen_items(&self, numbers: &HashMap<i64, usize>) -> anyhow::Result<()> {
        let known = |number: i64| {
            numbers.contains_key(&number) || self.item_numbers_used.is_some_and(|used| (1..=used).contains(&number))
        };
        let no_such = |place: String, number: i64| {
            let deleted = match self.item_numbers_used {
                Some(used) => format!(" nor is it a number used before (1 to item_numbers_used, {used})"),
                None => String::new(),
            };
            anyhow::anyhow!(
                "{place} is {number}, but no item of the plan has number {number}{deleted}: write the number of one of its [[items]] (number = {number} on that item)"
            )
        };
        let last = self.sprints.len();
        for (s, sprint) in self.sprints.iter().enumerate() {
            let mut named: HashMap<i64, usize> = HashMap::new();
            for (c, committed) in sprint.commitment.iter().flatten().enumerate() {
                if !known(committed.item) {
                    return Err(no_such(format!("sprints[{s}].commitment[{c}].item"), committed.item));
                }
                if let Some(first) = named.insert(committed.item, c) {
                    bail!(
                        "sprints[{s}].commitment[{c}].item is {}, which sprints[{s}].commitment[{first}] names too: list each item once",
                        committed.item
                    );
                }
            }
            named.clear();
            for (r, recorded) in sprint.record.iter().flatten().enumerate() {
                if !known(recorded.item) {
                    return Err(no_such(format!("sprints[{s}].record[{r}].item"), recorded.item));
                }
                if let Some(first) = named.insert(recorded.item, r) {
                    bail!(
                        "sprints[{s}].record[{r}].item is {}, which sprints[{s}].record[{first}] names too: list each item once",
                        recorded.item
                    );
                }
                let to = recorded.carried_to.as_str();
                let sprint_named = to.strip_prefix('S').and_then(|number| number.parse::<usize>().ok());
                let fits =
                    to.is_empty() || to == "top" || to == "bottom" || sprint_named.is_some_and(|n| (1..=last).contains(&n));
                if !fits {
                    bail!(
                        "sprints[{s}].record[{r}].carried_to is \"{to}\": write a sprint of this plan (S1 to S{last}), top or bottom (of the backlog), e.g. carried_to = \"top\""
                    );
                }
            }
        }
        Ok(())
    }

    /// What the board keeps once per list or per team: a KR code in a
    /// sprint's or an item's `krs`, a member's name.
    fn validate_no_repeats(&self) -> anyhow::Result<()> {
        let lists = self
            .sprints
            .iter()
            .enumerate()
            .map(|(s, sprint)| (format!("sprints[{s}].krs"), &sprint.krs))
            .chain(self.items.iter().enumerate().map(|(i, item)| (format!("items[{i}].krs"), &item.krs)));
        for (field, codes) in lists {
            let mut seen = HashSet::new();
            if let Some(code) = codes.iter().find(|code| !seen.insert(code.as_str())) {
                bail!("{field} names {code} twice: list each KR once");
            }
        }
        // Two members may share a name (two Alexes), as on the board: they
        // are told apart by their ids, so a board's export always imports.
        Ok(())
    }
}
