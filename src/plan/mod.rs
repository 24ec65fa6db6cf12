//! The plan format: a whole quarter as TOML (documented in docs/plan-format.md).
//!
//! The demo quarter ships in it (`assets/demo.toml`), and import and export
//! use it too. KRs are named by their code (`KR1.2`: objective 1, second KR)
//! and sprints by their number, so a plan reads well by hand.

mod advice;
mod changes;
mod consistency;
mod located;
mod merge;
mod rules;
mod synthetic;
mod three_way;
mod worded;

pub use changes::{code_shifts, describe_changes, summary_of};
pub use located::{PlanFileError, read_plan_file};
pub use merge::merge;
pub use synthetic::SyntheticEdit;
pub use three_way::{Choices, Conflict, ConflictKind, ObjectKind, Renumbered, Side, ThreeWay, merge3, with_fixed_numbers};

use std::collections::HashSet;

use anyhow::{Context, bail};
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::codes;
use crate::domain::{
    ItemKind, ItemState, SprintState, quarter_label, validate,
    values::{Capacity, Confidence, FocusFactor, Points, Score, Title},
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The highest item number the board had given when the plan was
    /// written: a number is never given twice, even after its item went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_numbers_used: Option<i64>,
    pub quarter: PlanQuarter,
    #[serde(default)]
    pub objectives: Vec<PlanObjective>,
    #[serde(default)]
    pub sprints: Vec<PlanSprint>,
    #[serde(default)]
    pub items: Vec<PlanItem>,
    /// The people whose days make the sprints' capacity.
    #[serde(default)]
    pub team: Vec<PlanMember>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanQuarter {
    /// Its stable id (a UUID); omitted: the board gives it a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub label: String,
    pub start: NaiveDate,
    /// How often KRs are checked in: `two_weeks` (the default) or `monthly`.
    #[serde(default)]
    pub checkin_cadence: crate::domain::settings::CheckInCadence,
    /// `reserve` (the default), `planning_day` or `drafts`.
    #[serde(default)]
    pub overlap_strategy: crate::domain::settings::OverlapStrategy,
    /// `draft`, `open` or `closed`; omitted: `open`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<QuarterStateWord>,
    /// The day a closed quarter closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_on: Option<NaiveDate>,
    /// The quarter retro's note, written when it closed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub closing_note: String,
}

/// A quarter's state as the plan file spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuarterStateWord {
    Draft,
    Open,
    Closed,
}

impl QuarterStateWord {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        [Self::Draft, Self::Open, Self::Closed].into_iter().find(|state| state.as_str() == word)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanObjective {
    /// Its stable id (a UUID); omitted: the board gives it a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub title: String,
    #[serde(default)]
    pub owner: String,
    /// A company or other team's objective this one aligns to.
    #[serde(default)]
    pub parent: String,
    /// The stable id of another objective on the board this one aligns to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// What the objective achieved, written when the quarter closed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub closing_note: String,
    #[serde(default)]
    pub key_results: Vec<PlanKeyResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanKeyResult {
    /// Its stable id (a UUID); omitted: the board gives it a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub title: String,
    pub unit: String,
    pub start: f64,
    pub target: f64,
    pub current: f64,
    #[serde(default)]
    pub owner: String,
    pub confidence: u8,
    /// The score the quarter closed with (0 to 1, in tenths).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default)]
    pub check_ins: Vec<PlanCheckIn>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanCheckIn {
    /// Its stable id (a UUID); omitted: the board gives it a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub date: NaiveDate,
    pub value: f64,
    pub confidence: u8,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSprint {
    /// Its stable id (a UUID); omitted: the board gives it a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Length in weeks; sprints follow each other from the quarter's start.
    /// Omitted when `start` and `end` are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weeks: Option<u32>,
    /// Its first day; omitted: the day after the sprint before it ends
    /// (the quarter's start for sprint 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    /// Its last day; omitted: `weeks` after its start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    #[serde(default)]
    pub goal: String,
    /// Codes of the KRs the goal serves.
    #[serde(default)]
    pub krs: Vec<String>,
    /// The cascade's focus KR, one of `krs`.
    #[serde(default)]
    pub focus: Option<String>,
    /// Why the goal serves no KR (M2).
    #[serde(default)]
    pub no_kr_reason: String,
    /// The goal as it read when the sprint started, if it was changed
    /// since (M2); omitted for a started sprint: its goal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_at_start: Option<String>,
    pub capacity: u32,
    /// Omitted: taken from the dates on the day the plan is loaded.
    #[serde(default)]
    pub state: Option<SprintState>,
    /// The team's verdict on the goal at its review: `met`, `partly` or
    /// `not_met`; omitted: not said yet.
    #[serde(default)]
    pub verdict: Option<String>,
    /// The day the team started it; omitted: its first day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_on: Option<NaiveDate>,
    /// The day the team closed it; omitted: its last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_on: Option<NaiveDate>,
    /// The sprint's retro notes.
    #[serde(default)]
    pub retro: Vec<PlanRetroNote>,
    /// What a started sprint committed to when it started, in backlog
    /// order; omitted: what it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<Vec<PlanCommitted>>,
    /// A closed sprint's frozen record; omitted: what it holds, as done or
    /// carried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Vec<PlanRecorded>>,
}

/// An item a sprint committed to when it started, as it read then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanCommitted {
    /// The item's number (`#42`).
    pub item: i64,
    pub title: String,
    pub points: u32,
}

/// An item of a closed sprint's frozen record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRecorded {
    /// The item's number (`#42`).
    pub item: i64,
    pub title: String,
    pub points: u32,
    /// In the commitment (true), or taken on after the start.
    pub committed: bool,
    /// `done`, `carried` or `removed`.
    pub outcome: String,
    /// Codes of the KRs it was tagged with when the sprint closed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub krs: Vec<String>,
    /// Where a carried item went: `S4`, `top` or `bottom` of the backlog.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub carried_to: String,
}

/// The outcomes a frozen record names.
pub const RECORD_OUTCOMES: [&str; 3] = ["done", "carried", "removed"];

/// A retro note: what went well, what to improve, or an OKR reflection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRetroNote {
    /// Its stable id (a UUID); omitted: the board gives it a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `went_well`, `to_improve` or `okr_reflection`.
    pub kind: String,
    pub text: String,
}

/// The kinds of retro note, as the file and the plan name them.
pub const RETRO_KINDS: [&str; 3] = ["went_well", "to_improve", "okr_reflection"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanItem {
    /// Its stable id (a UUID); omitted: the board gives it a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its number (`#42`); omitted: the next one free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<i64>,
    /// Its place in the backlog, smallest first; omitted: after the items
    /// that give one, in the order of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<i64>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_kind")]
    pub kind: ItemKind,
    #[serde(default)]
    pub points: u32,
    #[serde(default = "default_state")]
    pub state: ItemState,
    /// Number of the sprint the item is planned into.
    #[serde(default)]
    pub sprint: Option<u32>,
    /// Codes of the KRs the item moves; none means BAU.
    #[serde(default)]
    pub krs: Vec<String>,
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
    /// Why a BAU item waits ("deferred because").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub deferred_reason: String,
    /// Stable ids of KRs of other quarters it is tagged with: history,
    /// such as the closed quarter's KRs of an item carried from it. A KR
    /// the board does not have is left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_krs: Vec<String>,
    /// Carried from a closed quarter, waiting for this quarter's KR tags.
    #[serde(default, skip_serializing_if = "is_false")]
    pub needs_retag: bool,
    /// Done in a quarter that closed before this one opened.
    #[serde(default, skip_serializing_if = "is_false")]
    pub done_in_earlier_quarter: bool,
    /// Where it was imported from (`import --from`), so that importing the
    /// tool's file again updates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<PlanExternal>,
}

/// An imported item's origin in a plan file (`[items.external]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanExternal {
    /// `jira-csv`, `linear-csv` or `taskwarrior`.
    pub source: String,
    /// Its key in that tool: `PROJ-123`, a Linear id, a Taskwarrior uuid.
    pub key: String,
    /// The hash of its fields as the last import wrote them (schema v11):
    /// an item whose fields hash differently was edited on the board since.
    pub fingerprint: String,
}

fn is_false(value: &bool) -> bool {
    !*value
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanMember {
    /// Its stable id (a UUID); omitted: the board gives it a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    /// Per cent of a working day that goes to sprint work.
    #[serde(default = "default_focus_factor")]
    pub focus_factor: u8,
    /// Days away in sprint 1, 2, ...; sprints past the end of the list: none.
    #[serde(default)]
    pub days_off: Vec<f64>,
    /// The method's roles they hold: `po`, `sm`, `champion`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

impl PlanMember {
    /// Their roles, or the words that name none.
    pub fn roles(&self) -> Result<crate::domain::roles::Roles, String> {
        crate::domain::roles::Roles::parse(&self.roles.join(", "))
    }
}

/// A common first guess: meetings, support and interruptions take the rest.
pub const DEFAULT_FOCUS_FACTOR: u8 = 70;

fn default_focus_factor() -> u8 {
    DEFAULT_FOCUS_FACTOR
}

fn default_kind() -> ItemKind {
    ItemKind::Story
}

fn default_state() -> ItemState {
    ItemState::Todo
}

/// The demo quarter, embedded so the binary needs no files beside it.
const DEMO_TOML: &str = include_str!("../../assets/demo.toml");

impl Plan {
    /// Reads a plan from TOML; `source` names the file in error messages.
    pub fn parse(text: &str, source: &str) -> anyhow::Result<Self> {
        let plan = Self::from_toml(text).map_err(|(_, message)| anyhow::anyhow!("reading plan {source}: {message}"))?;
        plan.validate().with_context(|| format!("checking plan {source}"))?;
        Ok(plan)
    }

    /// The demo quarter, moved so that it is running on `today`: it started
    /// four weeks before this week's Monday, so today falls in sprint 3.
    /// Nothing in the demo is dated after sprint 3's first day (this
    /// Monday), so nothing is done or checked in after today.
    pub fn demo(today: NaiveDate) -> anyhow::Result<Self> {
        let plan = Self::parse(DEMO_TOML, "assets/demo.toml")?;
        let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
        let start = monday - Days::new(28);
        let days = (start - plan.quarter.start).num_days();
        let mut plan = plan.shifted(days);
        plan.quarter.label = quarter_label(start);
        Ok(plan)
    }

    /// The same plan with every date moved by `days`.
    #[must_use]
    pub fn shifted(mut self, days: i64) -> Self {
        let shift = |date: &mut NaiveDate| {
            *date += chrono::Duration::days(days);
        };
        shift(&mut self.quarter.start);
        for kr in self.objectives.iter_mut().flat_map(|objective| objective.key_results.iter_mut()) {
            kr.check_ins.iter_mut().for_each(|check_in| shift(&mut check_in.date));
        }
        self.items.iter_mut().filter_map(|item| item.done_on.as_mut()).for_each(shift);
        self
    }

    /// Codes of every KR in the plan, `KR1.1` first.
    pub fn kr_codes(&self) -> impl Iterator<Item = String> + '_ {
        self.objectives
            .iter()
            .zip(1_u32..)
            .flat_map(|(objective, o)| (1..).take(objective.key_results.len()).map(move |k| codes::key_result(o, k)))
    }

    /// Every stable id the plan gives, with the field that gives it
    /// (`items[3].id`), in the order of the file.
    pub fn stable_ids(&self) -> Vec<(String, &str)> {
        fn add<'p>(ids: &mut Vec<(String, &'p str)>, field: String, id: &'p Option<String>) {
            ids.extend(id.as_deref().map(|id| (field, id)));
        }
        let mut ids = Vec::new();
        add(&mut ids, "quarter.id".into(), &self.quarter.id);
        for (o, objective) in self.objectives.iter().enumerate() {
            add(&mut ids, format!("objectives[{o}].id"), &objective.id);
            for (k, kr) in objective.key_results.iter().enumerate() {
                add(&mut ids, format!("objectives[{o}].key_results[{k}].id"), &kr.id);
                for (c, check_in) in kr.check_ins.iter().enumerate() {
                    add(&mut ids, format!("objectives[{o}].key_results[{k}].check_ins[{c}].id"), &check_in.id);
                }
            }
        }
        for (s, sprint) in self.sprints.iter().enumerate() {
            add(&mut ids, format!("sprints[{s}].id"), &sprint.id);
            for (n, note) in sprint.retro.iter().enumerate() {
                add(&mut ids, format!("sprints[{s}].retro[{n}].id"), &note.id);
            }
        }
        for (i, item) in self.items.iter().enumerate() {
            add(&mut ids, format!("items[{i}].id"), &item.id);
        }
        for (m, member) in self.team.iter().enumerate() {
            add(&mut ids, format!("team[{m}].id"), &member.id);
        }
        ids
    }

    /// Each sprint's first and last day: its own `start` and `end` where it
    /// gives them, else laid end to end from the quarter's start by `weeks`.
    pub fn sprint_dates(&self) -> anyhow::Result<Vec<crate::domain::calendar::SprintDates>> {
        let mut dates: Vec<crate::domain::calendar::SprintDates> = Vec::with_capacity(self.sprints.len());
        for (s, sprint) in self.sprints.iter().enumerate() {
            let start = match (sprint.start, dates.last()) {
                (Some(start), _) => start,
                (None, Some(before)) => before.end.succ_opt().context("sprint dates run past the calendar")?,
                (None, None) => self.quarter.start,
            };
            let end = match (sprint.end, sprint.weeks) {
                (Some(end), _) => end,
                (None, Some(0)) => bail!("sprints[{s}].weeks is 0: a sprint lasts at least one week"),
                (None, Some(weeks)) => {
                    start.checked_add_days(Days::new(u64::from(weeks) * 7 - 1)).context("sprint dates run past the calendar")?
                }
                (None, None) => bail!("sprints[{s}] needs its length: weeks = 2, or its start and end dates"),
            };
            let taken: Vec<crate::domain::validate::TakenDates> = (1_u32..)
                .zip(&dates)
                .map(|(number, span)| crate::domain::validate::TakenDates { number, start: span.start, end: span.end })
                .collect();
            if let Some(error) = crate::domain::validate::sprint_dates(start, end, &taken).first() {
                bail!("sprints[{s}] runs {start} to {end}: {}", error.message);
            }
            dates.push(crate::domain::calendar::SprintDates { start, end });
        }
        Ok(dates)
    }
}

#[cfg(test)]
mod tests;
