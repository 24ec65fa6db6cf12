//! The plan's own rules, checked before anything is written: references
//! resolve, values are in their ranges (the domain's parses), KRs are
//! measurable (M9), ids are UUIDs and unique, the team's values fit.

use anyhow::bail;

use super::*;

/// The tools an item may come from (`item_external.source`, schema v11).
const EXTERNAL_SOURCES: [&str; 3] = ["jira-csv", "linear-csv", "taskwarrior"];

impl Plan {
    /// Cross-field rules the TOML types cannot say: references resolve,
    /// numbers are in range, KRs are measurable (M9).
    pub fn validate(&self) -> anyhow::Result<()> {
        if self.quarter.label.trim().is_empty() {
            bail!("quarter.label is empty: give the quarter a label such as \"2027-Q1\"");
        }
        let codes: HashSet<String> = self.kr_codes().collect();
        for (o, objective) in self.objectives.iter().enumerate() {
            if let Err(error) = Title::parse(&objective.title) {
                bail!("objectives[{o}].title is empty or too long: {}", error.message);
            }
            for (k, kr) in objective.key_results.iter().enumerate() {
                let field = format!("objectives[{o}].key_results[{k}]");
                if kr.title.trim().is_empty() || kr.unit.trim().is_empty() {
                    bail!("{field} needs a title and a unit");
                }
                if !(kr.start.is_finite() && kr.target.is_finite() && kr.current.is_finite()) {
                    bail!("{field}: start, target and current must be numbers");
                }
                if kr.start == kr.target {
                    bail!("{field}: start and target are both {}; a key result must measure a change (M9)", kr.start);
                }
                let confidences = std::iter::once((format!("{field}.confidence"), kr.confidence)).chain(
                    kr.check_ins
                        .iter()
                        .enumerate()
                        .map(|(c, check_in)| (format!("{field}.check_ins[{c}].confidence"), check_in.confidence)),
                );
                for (place, confidence) in confidences {
                    if let Err(error) = Confidence::new(u32::from(confidence)) {
                        bail!("{}", validate::naming_value(&place, &confidence.to_string(), &error.message));
                    }
                }
                if let Some(Err(error)) = kr.score.map(Score::new) {
                    let score = kr.score.unwrap_or_default();
                    bail!("{}", validate::naming_value(&format!("{field}.score"), &score.to_string(), &error.message));
                }
            }
        }
        if self.sprints.is_empty() {
            bail!("the plan has no [[sprints]]: a quarter needs at least one sprint");
        }
        self.sprint_dates()?;
        for (s, sprint) in self.sprints.iter().enumerate() {
            if let Err(error) = Capacity::new(sprint.capacity) {
                bail!(
                    "{}",
                    validate::naming_value(&format!("sprints[{s}].capacity"), &sprint.capacity.to_string(), &error.message)
                );
            }
            for (key, code) in sprint.krs.iter().map(|code| ("krs", code)).chain(sprint.focus.iter().map(|code| ("focus", code)))
            {
                if !codes.contains(code) {
                    bail!("sprints[{s}].{key} names {code}, which is not a key result of this plan");
                }
            }
            if let Some(focus) = &sprint.focus
                && !sprint.krs.contains(focus)
            {
                bail!("sprints[{s}].focus {focus} must also be listed in sprints[{s}].krs");
            }
            if let Some(verdict) = &sprint.verdict
                && !["met", "partly", "not_met"].contains(&verdict.as_str())
            {
                bail!("sprints[{s}].verdict is \"{verdict}\": write met, partly or not_met, or leave it out");
            }
            for (n, note) in sprint.retro.iter().enumerate() {
                if !RETRO_KINDS.contains(&note.kind.as_str()) {
                    bail!("sprints[{s}].retro[{n}].kind is \"{}\": write {}", note.kind, RETRO_KINDS.join(", "));
                }
            }
            for (r, recorded) in sprint.record.iter().flatten().enumerate() {
                if !RECORD_OUTCOMES.contains(&recorded.outcome.as_str()) {
                    bail!("sprints[{s}].record[{r}].outcome is \"{}\": write {}", recorded.outcome, RECORD_OUTCOMES.join(", "));
                }
                if let Some(code) = recorded.krs.iter().find(|code| !codes.contains(*code)) {
                    bail!("sprints[{s}].record[{r}].krs names {code}, which is not a key result of this plan");
                }
            }
        }
        for (i, item) in self.items.iter().enumerate() {
            if let Err(error) = Title::parse(&item.title) {
                bail!("items[{i}].title is empty or too long: {}", error.message);
            }
            if let Err(error) = Points::new(item.points) {
                bail!("{}", validate::naming_value(&format!("items[{i}].points"), &item.points.to_string(), &error.message));
            }
            if let Some(id) = item.other_krs.iter().find(|id| crate::domain::references::parse_uid(id).is_none()) {
                bail!("items[{i}].other_krs names \"{id}\", which is not a stable id: write a KR's UUID, or leave it out");
            }
            if let Some(number) = item.number.filter(|number| *number < 1) {
                bail!("items[{i}].number is {number}: item numbers start at 1 (leave it out for the next one free)");
            }
            if let Some(number) = item.sprint
                && (number == 0 || number as usize > self.sprints.len())
            {
                bail!("items[{i}].sprint is {number}, but the plan has sprints 1 to {}", self.sprints.len());
            }
            if let Some(code) = item.krs.iter().find(|code| !codes.contains(*code)) {
                bail!("items[{i}].krs names {code}, which is not a key result of this plan");
            }
            if let Some(external) = &item.external {
                if !EXTERNAL_SOURCES.contains(&external.source.as_str()) {
                    bail!("items[{i}].external.source is \"{}\": write {}", external.source, EXTERNAL_SOURCES.join(", "));
                }
                if external.key.trim().is_empty() {
                    bail!(
                        "items[{i}].external.key is empty: write the item's key in that tool (PROJ-123), or leave external out"
                    );
                }
            }
        }
        self.validate_team()?;
        self.validate_ids()?;
        self.validate_consistency()
    }

    /// Ids are optional, but one given is a UUID and no other object of
    /// the plan has it.
    fn validate_ids(&self) -> anyhow::Result<()> {
        let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        for (field, id) in self.stable_ids() {
            let Some(uid) = crate::domain::references::parse_uid(id) else {
                bail!(
                    "{field} is \"{id}\", which is not an id: write a UUID such as 0190a5b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b, or leave it out"
                );
            };
            if let Some(first) = seen.insert(uid, field.clone()) {
                bail!("{field} is {id}, which {first} has too: each object has its own id (leave one out for a new one)");
            }
        }
        Ok(())
    }

    fn validate_team(&self) -> anyhow::Result<()> {
        let dates = self.sprint_dates()?;
        for (m, member) in self.team.iter().enumerate() {
            if member.name.trim().is_empty() {
                bail!("team[{m}].name is empty");
            }
            if let Err(message) = member.roles() {
                bail!("team[{m}].roles: {message}");
            }
            if let Err(error) = FocusFactor::new(u32::from(member.focus_factor)) {
                let place = format!("team[{m}].focus_factor");
                bail!("{}", validate::naming_value(&place, &member.focus_factor.to_string(), &error.message));
            }
            if member.days_off.len() > self.sprints.len() {
                bail!("team[{m}].days_off lists {} sprints, but the plan has {}", member.days_off.len(), self.sprints.len());
            }
            for (s, (days, span)) in member.days_off.iter().zip(&dates).enumerate() {
                let working = crate::domain::calendar::working_days(span.start, span.end);
                if !(days.is_finite() && (0.0..=f64::from(working)).contains(days)) {
                    bail!("team[{m}].days_off[{s}] is {days}: sprint {} has 0 to {working} working days", s + 1);
                }
            }
        }
        Ok(())
    }
}
