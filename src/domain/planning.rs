//! Sprint planning's checks (method.md: M2, M4, M5, M6, M7). Each warning
//! states the rule in one line; none blocks the user.

use super::Sprint;

/// Share of planned points that should serve a KR (M4): 60-70 %.
pub const OKR_SHARE_BAND: (f64, f64) = (0.60, 0.70);
/// Share of the last sprint kept for next quarter's OKR planning (M6).
pub const LAST_SPRINT_RESERVE: f64 = 0.10;

/// Planned points of a sprint, split by whether the item moves a KR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Split {
    pub okr_points: u32,
    pub bau_points: u32,
}

impl Split {
    /// The split of `items`, each its points and whether it is OKR work
    /// (tagged with one of the quarter's own KRs). Every split the board
    /// shows is summed here or by `review::planned_split`, which calls it.
    pub fn of(items: impl IntoIterator<Item = (u32, bool)>) -> Self {
        items.into_iter().fold(Self::default(), |split, (points, okr_work)| {
            if okr_work {
                Self { okr_points: split.okr_points.saturating_add(points), ..split }
            } else {
                Self { bau_points: split.bau_points.saturating_add(points), ..split }
            }
        })
    }

    pub fn total(self) -> u32 {
        self.okr_points + self.bau_points
    }

    /// Share of planned points that serve a KR, or `None` with nothing planned.
    pub fn okr_share(self) -> Option<f64> {
        (self.total() > 0).then(|| f64::from(self.okr_points) / f64::from(self.total()))
    }

    /// The split in words, as planning and the review show it:
    /// `OKR 10 pts (62 %) · BAU 6 pts (38 %)`.
    pub fn describe(self) -> String {
        let share =
            |okr: bool| self.okr_share().map_or_else(|| "–".to_owned(), |share| percent(if okr { share } else { 1.0 - share }));
        format!("OKR {} pts ({}) · BAU {} pts ({})", self.okr_points, share(true), self.bau_points, share(false))
    }
}

/// One broken rule, in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub rule: &'static str,
    pub text: String,
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// M2: a sprint goal references at least one KR, or carries a written
/// reason. Advice only: a goal that breaks it is saved all the same.
pub fn goal_breaks_m2(serves_kr: bool, no_kr_reason: &str) -> bool {
    !serves_kr && no_kr_reason.trim().is_empty()
}

/// What the planning screen warns about for `sprint` among `sprints`.
pub fn planning_warnings(sprint: &Sprint, sprints: &[Sprint], split: Split) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if goal_breaks_m2(!sprint.krs.is_empty(), &sprint.no_kr_reason) {
        warnings.push(Warning {
            rule: "M2",
            text: "The sprint goal serves no KR and gives no reason: link a KR, or write why (M2).".into(),
        });
    }
    if split.total() > sprint.capacity {
        warnings.push(Warning {
            rule: "M7",
            text: format!(
                "Over capacity: {} of {} points planned; planned points stay within capacity (M7).",
                split.total(),
                sprint.capacity
            ),
        });
    }
    if let Some(share) = split.okr_share() {
        let (low, high) = OKR_SHARE_BAND;
        if share < low {
            warnings.push(Warning {
                rule: "M4",
                text: format!("Only {} of points serve a KR; aim for 60-70 %, with 30-40 % for BAU (M4).", percent(share)),
            });
        } else if share > high {
            warnings.push(Warning {
                rule: "M4",
                text: format!("{} of points serve a KR; leave 30-40 % for BAU work, bugs and upkeep (M4).", percent(share)),
            });
        }
    }
    let capacities: Vec<u32> = sprints.iter().map(|other| other.capacity).collect();
    #[allow(clippy::cast_precision_loss)] // a handful of sprints
    let average = capacities.iter().map(|c| f64::from(*c)).sum::<f64>() / capacities.len().max(1) as f64;
    if sprint.number == 1 && f64::from(sprint.capacity) >= average && sprints.len() > 1 {
        warnings.push(Warning {
            rule: "M5",
            text: format!(
                "Sprint 1 has {} points of capacity, the average is {average:.0}: plan it lower, OKR planning takes time (M5).",
                sprint.capacity
            ),
        });
    }
    let is_last = sprints.iter().map(|other| other.number).max() == Some(sprint.number) && sprints.len() > 1;
    let room = (f64::from(sprint.capacity) * (1.0 - LAST_SPRINT_RESERVE)).floor();
    if is_last && f64::from(split.total()) > room {
        warnings.push(Warning {
            rule: "M6",
            text: format!("Keep 10-15 % of the last sprint for next quarter's OKR planning: plan at most {room:.0} points (M6)."),
        });
    }
    warnings
}

/// How strongly an item serves a sprint: each of its KRs the sprint serves
/// counts 1, its focus KR 2. Candidates are listed by this, then by rank.
pub fn relevance(item_krs: &[super::Id], sprint: &Sprint) -> u32 {
    sprint.krs.iter().filter(|link| item_krs.contains(&link.key_result_id)).map(|link| if link.focus { 2 } else { 1 }).sum()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::{SprintKr, SprintState};

    fn sprint(number: u32, capacity: u32, krs: &[(i64, bool)]) -> Sprint {
        let day = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
        Sprint {
            id: i64::from(number),
            number,
            start: day,
            end: day,
            goal: "goal".into(),
            no_kr_reason: String::new(),
            capacity,
            state: SprintState::Planned,
            krs: krs.iter().map(|&(key_result_id, focus)| SprintKr { key_result_id, focus }).collect(),
            load: 0,
            done_points: 0,
            started_on: None,
            closed_on: None,
            verdict: crate::domain::GoalVerdict::Open,
        }
    }

    fn rules(warnings: &[Warning]) -> Vec<&'static str> {
        warnings.iter().map(|warning| warning.rule).collect()
    }

    #[test]
    fn a_well_planned_sprint_has_no_warning() {
        let sprints = [sprint(1, 16, &[(1, true)]), sprint(2, 20, &[(1, true)]), sprint(3, 20, &[(2, true)])];
        let split = Split { okr_points: 13, bau_points: 7 };
        assert_eq!(planning_warnings(&sprints[1], &sprints, split), []);
    }

    #[test]
    fn each_rule_is_named_when_broken() {
        let sprints = [sprint(1, 20, &[]), sprint(2, 20, &[(1, true)]), sprint(3, 20, &[(2, false)])];
        // Sprint 1: no KR and no reason (M2), above average capacity? equal -> M5.
        assert_eq!(rules(&planning_warnings(&sprints[0], &sprints, Split::default())), ["M2", "M5"]);
        // Over capacity, and too little OKR work.
        let split = Split { okr_points: 10, bau_points: 12 };
        assert_eq!(rules(&planning_warnings(&sprints[1], &sprints, split)), ["M7", "M4"]);
        // Too much OKR work leaves no room for BAU.
        let split = Split { okr_points: 16, bau_points: 2 };
        assert_eq!(rules(&planning_warnings(&sprints[1], &sprints, split)), ["M4"]);
        // The last sprint keeps 10 % free: 19 of 20 is too much.
        let split = Split { okr_points: 12, bau_points: 7 };
        assert_eq!(rules(&planning_warnings(&sprints[2], &sprints, split)), ["M6"]);
    }

    #[test]
    fn a_written_reason_satisfies_m2() {
        let mut first = sprint(1, 10, &[]);
        first.no_kr_reason = "Regulation".into();
        let sprints = [first, sprint(2, 20, &[])];
        assert_eq!(rules(&planning_warnings(&sprints[0], &sprints, Split::default())), Vec::<&str>::new());
    }

    #[test]
    fn a_split_sums_okr_and_bau_points_and_says_so_in_words() {
        // 8 + 5 OKR, 3 + 0 BAU: 13 of 16 is 81 %, 3 of 16 is 19 %.
        let split = Split::of([(8, true), (3, false), (5, true), (0, false)]);
        assert_eq!(split, Split { okr_points: 13, bau_points: 3 });
        assert_eq!(split.describe(), "OKR 13 pts (81 %) · BAU 3 pts (19 %)");
        assert_eq!(Split::default().describe(), "OKR 0 pts (–) · BAU 0 pts (–)");
    }

    #[test]
    fn relevance_counts_the_focus_kr_twice() {
        let target = sprint(3, 20, &[(1, true), (2, false)]);
        assert_eq!(relevance(&[1, 2], &target), 3);
        assert_eq!(relevance(&[2], &target), 1);
        assert_eq!(relevance(&[5], &target), 0);
    }
}
