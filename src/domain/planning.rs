//! Sprint planning's checks (method.md: M2, M4, M5, M6, M7, M12). Each
//! warning states the rule in one line; none blocks the user.

use chrono::NaiveDate;

use super::{Sprint, method, settings::OverlapStrategy};

/// How far a start on `day` falls outside a sprint's dates (`start` to
/// `end`): "28 days before its first day", "3 days after its last day";
/// `None` within them. Advice, never a refusal: a team may start early.
pub fn start_off_dates(start: NaiveDate, end: NaiveDate, day: NaiveDate) -> Option<String> {
    let days = |count: i64| crate::format::count(count.unsigned_abs(), "day", "days");
    if day < start {
        Some(format!("{} before its first day", days((start - day).num_days())))
    } else if day > end {
        Some(format!("{} after its last day", days((day - end).num_days())))
    } else {
        None
    }
}

/// A sprint started on `day` outside its dates, as the command layer's
/// start says it: `S1 is dated 2027-01-04 to 2027-01-17: started 28 days
/// before its first day`.
pub fn started_off_dates(sprint: &Sprint, day: NaiveDate) -> Option<String> {
    start_off_dates(sprint.start, sprint.end, day)
        .map(|off| format!("{} is dated {} to {}: started {off}", super::codes::sprint(sprint.number), sprint.start, sprint.end))
}

/// An earlier sprint that is not closed when a sprint starts: sprints run
/// in order, and a sprint's unfinished items come over when it closes.
/// Advice, never a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EarlierUnclosed {
    /// Sprint `number` has not started yet.
    NotStarted(u32),
    /// Sprint `number` runs still: close it first if its unfinished items
    /// should be part of this commitment.
    NotClosed(u32),
}

/// The first sprint before `sprint` (by number) among `sprints` that is not
/// closed: what the board's start question and the command line's start
/// both advise on.
pub fn earlier_unclosed(sprints: &[Sprint], sprint: &Sprint) -> Option<EarlierUnclosed> {
    let other = sprints.iter().find(|other| other.number < sprint.number && other.state != super::SprintState::Closed)?;
    Some(if other.state == super::SprintState::Planned {
        EarlierUnclosed::NotStarted(other.number)
    } else {
        EarlierUnclosed::NotClosed(other.number)
    })
}

/// The command line's words for [`earlier_unclosed`]: `S2 is not closed:
/// close it first if its unfinished items should be part of S3's commitment`.
pub fn started_out_of_order(sprints: &[Sprint], sprint: &Sprint) -> Option<String> {
    let this = super::codes::sprint(sprint.number);
    Some(match earlier_unclosed(sprints, sprint)? {
        EarlierUnclosed::NotStarted(number) => {
            format!("{} has not started yet: sprints run in order, {this} after it", super::codes::sprint(number))
        }
        EarlierUnclosed::NotClosed(number) => format!(
            "{} is not closed: close it first if its unfinished items should be part of {this}'s commitment",
            super::codes::sprint(number)
        ),
    })
}

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
    format!("{} %", crate::format::whole_percent(share))
}

/// M2: a sprint goal references at least one KR, or carries a written
/// reason. Advice only: a goal that breaks it is saved all the same.
pub fn goal_breaks_m2(serves_kr: bool, no_kr_reason: &str) -> bool {
    !serves_kr && no_kr_reason.trim().is_empty()
}

/// What the planning screen (and health, for every sprint) warns about for
/// `sprint` among `sprints`, under the quarter's overlap strategy: M6's
/// reserve is asked of the last sprint only when the team keeps one (a
/// planning day or written drafts make room otherwise).
pub fn planning_warnings(sprint: &Sprint, sprints: &[Sprint], split: Split, overlap: OverlapStrategy) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if method::goal_is_missing(&sprint.goal) {
        warnings.push(Warning { rule: "M2", text: format!("{} (M2).", method::GOAL_MISSING) });
    } else if method::goal_reads_as_activity(&sprint.goal) {
        warnings.push(Warning { rule: "M2", text: format!("{} (M2).", method::GOAL_AS_OUTCOME) });
    }
    // A missing goal is one M2 warning, whatever it would serve.
    if !method::goal_is_missing(&sprint.goal) && goal_breaks_m2(!sprint.krs.is_empty(), &sprint.no_kr_reason) {
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
    // A sprint that serves no KR and says why is exempt from the split.
    let exempt = method::serves_no_kr_deliberately(sprint);
    if let Some(share) = split.okr_share().filter(|_| !exempt) {
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
                "Sprint 1 has {} points of capacity, the average is {}: plan it lower, OKR planning takes time (M5).",
                sprint.capacity,
                // As it is (15.5), never rounded into a contradiction ("16 ... the average is 16").
                crate::format::number(average)
            ),
        });
    }
    let is_last = sprints.iter().map(|other| other.number).max() == Some(sprint.number) && sprints.len() > 1;
    let room = (f64::from(sprint.capacity) * (1.0 - LAST_SPRINT_RESERVE)).floor();
    if is_last && overlap.keeps_reserve() && f64::from(split.total()) > room {
        warnings.push(Warning {
            rule: "M6",
            text: format!("Keep 10-15 % of the last sprint for next quarter's OKR planning: plan at most {room:.0} points (M6)."),
        });
    }
    if method::redirected_twice(sprints, sprint) {
        warnings.push(Warning {
            rule: "M12",
            text: format!(
                "Sprint {} served no KR either: after a sprint redirected on purpose, the next goes back to the KRs (M12).",
                sprint.number - 1
            ),
        });
    }
    warnings
}

/// How strongly an item serves a sprint: each of its KRs the sprint serves
/// counts 1, its focus KR 2. Candidates are listed by this, then by rank.
pub fn relevance(item_krs: &[super::Id], sprint: &Sprint) -> u32 {
    sprint.krs.iter().filter(|link| item_krs.contains(&link.key_result_id)).map(|link| if link.focus { 2 } else { 1 }).sum()
}

/// Where a candidate stands in planning's list ("OKR as backlog filter":
/// untagged items sink but stay): by how strongly it serves the sprint
/// (its focus KR's items first, then its other KRs'), then items tagged
/// with the quarter's other KRs (`okr_work`), then BAU; by backlog rank
/// within each. Compare keys: the smaller comes first.
pub fn candidate_order(
    relevance: u32,
    okr_work: bool,
    rank: i64,
    id: super::Id,
) -> (std::cmp::Reverse<u32>, bool, i64, super::Id) {
    (std::cmp::Reverse(relevance), !okr_work, rank, id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{SprintKr, SprintState};

    #[test]
    fn a_start_outside_the_sprint_s_dates_says_how_far() {
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("day");
        let (start, end) = (day("2027-01-04"), day("2027-01-17"));
        let mut first = sprint(1, 20, &[]);
        (first.start, first.end) = (start, end);
        assert_eq!(
            started_off_dates(&first, day("2026-12-07")).as_deref(),
            Some("S1 is dated 2027-01-04 to 2027-01-17: started 28 days before its first day")
        );
        assert_eq!(start_off_dates(start, end, day("2027-01-18")).as_deref(), Some("1 day after its last day"));
        assert_eq!(start_off_dates(start, end, start), None);
        assert_eq!(start_off_dates(start, end, end), None);
    }

    fn sprint(number: u32, capacity: u32, krs: &[(i64, bool)]) -> Sprint {
        let day = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
        Sprint {
            id: i64::from(number),
            number,
            start: day,
            end: day,
            goal: "goal".into(),
            goal_at_start: None,
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
        assert_eq!(planning_warnings(&sprints[1], &sprints, split, OverlapStrategy::Reserve), []);
    }

    #[test]
    fn each_rule_is_named_when_broken() {
        let sprints = [sprint(1, 20, &[]), sprint(2, 20, &[(1, true)]), sprint(3, 20, &[(2, false)])];
        // Sprint 1: no KR and no reason (M2), above average capacity? equal -> M5.
        assert_eq!(rules(&planning_warnings(&sprints[0], &sprints, Split::default(), OverlapStrategy::Reserve)), ["M2", "M5"]);
        // Over capacity, and too little OKR work.
        let split = Split { okr_points: 10, bau_points: 12 };
        assert_eq!(rules(&planning_warnings(&sprints[1], &sprints, split, OverlapStrategy::Reserve)), ["M7", "M4"]);
        // Too much OKR work leaves no room for BAU.
        let split = Split { okr_points: 16, bau_points: 2 };
        assert_eq!(rules(&planning_warnings(&sprints[1], &sprints, split, OverlapStrategy::Reserve)), ["M4"]);
        // The last sprint keeps 10 % free: 19 of 20 is too much.
        let split = Split { okr_points: 12, bau_points: 7 };
        assert_eq!(rules(&planning_warnings(&sprints[2], &sprints, split, OverlapStrategy::Reserve)), ["M6"]);
        // A planning day between quarters or drafts written ahead make room
        // otherwise: the last sprint keeps no reserve.
        for overlap in [OverlapStrategy::PlanningDay, OverlapStrategy::Drafts] {
            assert_eq!(rules(&planning_warnings(&sprints[2], &sprints, split, overlap)), Vec::<&str>::new(), "{overlap:?}");
        }
    }

    #[test]
    fn a_written_reason_satisfies_m2() {
        let mut first = sprint(1, 10, &[]);
        first.no_kr_reason = "Regulation".into();
        let sprints = [first, sprint(2, 20, &[])];
        assert_eq!(
            rules(&planning_warnings(&sprints[0], &sprints, Split::default(), OverlapStrategy::Reserve)),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn m5_names_the_average_as_it_is_not_rounded_into_a_contradiction() {
        // 16 + 15 = 31 over two sprints: 15.5, which {:.0} showed as 16.
        let sprints = [sprint(1, 16, &[(1, true)]), sprint(2, 15, &[(1, true)])];
        let warnings = planning_warnings(&sprints[0], &sprints, Split::default(), OverlapStrategy::Reserve);
        let m5 = warnings.iter().find(|warning| warning.rule == "M5").expect("M5");
        assert!(m5.text.contains("16 points of capacity, the average is 15.5"), "{}", m5.text);
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
    fn the_goal_is_advised_when_missing_or_an_activity() {
        let sprints = [sprint(1, 10, &[(1, true)]), sprint(2, 20, &[(1, true)])];
        // (goal, rules, words in the warning)
        let cases = [
            ("", &["M2"][..], "no goal"),
            ("   ", &["M2"][..], "no goal"),
            ("We implement the CSV export", &["M2"][..], "Buyers pay with one click"),
            ("Build one-click payment", &["M2"][..], "outcome"),
            ("Buyers pay with one click", &[][..], ""),
        ];
        for (goal, expected, words) in cases {
            let mut planned = sprints[1].clone();
            planned.goal = goal.into();
            let warnings = planning_warnings(&planned, &sprints, Split::default(), OverlapStrategy::Reserve);
            assert_eq!(rules(&warnings), expected, "{goal:?}");
            assert!(warnings.iter().all(|warning| warning.text.contains(words)), "{goal:?}: {warnings:?}");
        }
    }

    #[test]
    fn a_sprint_redirected_on_purpose_is_exempt_from_the_split() {
        let mut redirected = sprint(2, 20, &[]);
        redirected.no_kr_reason = "Critical bug in payments".into();
        let sprints = [sprint(1, 10, &[(1, true)]), redirected.clone(), sprint(3, 20, &[(1, true)])];
        // All BAU: M4 would say "only 0 %", but the reason exempts it.
        let split = Split { okr_points: 0, bau_points: 15 };
        assert_eq!(rules(&planning_warnings(&sprints[1], &sprints, split, OverlapStrategy::Reserve)), Vec::<&str>::new());
        // Without the reason it is M2 and M4.
        let mut unexplained = redirected;
        unexplained.no_kr_reason.clear();
        assert_eq!(rules(&planning_warnings(&unexplained, &sprints, split, OverlapStrategy::Reserve)), ["M2", "M4"]);
    }

    #[test]
    fn a_second_redirected_sprint_in_a_row_breaks_m12() {
        let mut second = sprint(2, 20, &[]);
        second.no_kr_reason = "Critical bug".into();
        let mut third = sprint(3, 20, &[]);
        third.no_kr_reason = "Regulation".into();
        let sprints = [sprint(1, 10, &[(1, true)]), second, third, sprint(4, 20, &[(1, true)])];
        let flagged: Vec<Vec<&str>> = sprints
            .iter()
            .map(|one| rules(&planning_warnings(one, &sprints, Split::default(), OverlapStrategy::Reserve)))
            .collect();
        assert_eq!(flagged, [vec![], vec![], vec!["M12"], vec![]]);
    }

    #[test]
    fn untagged_candidates_sink_below_the_quarters_krs() {
        // (name, relevance, tagged with a KR of the quarter, rank)
        let candidates = [
            ("BAU, top of the backlog", 0, false, 1),
            ("another KR of the quarter", 0, true, 2),
            ("a KR the sprint serves", 1, true, 3),
            ("the focus KR", 2, true, 4),
            ("BAU, lower", 0, false, 5),
            ("the focus KR, lower", 2, true, 6),
            ("another KR, lower", 0, true, 7),
        ];
        let mut sorted = candidates.to_vec();
        sorted.sort_by_key(|(_, relevance, okr_work, rank)| candidate_order(*relevance, *okr_work, *rank, *rank));
        let names: Vec<&str> = sorted.iter().map(|(name, ..)| *name).collect();
        assert_eq!(
            names,
            [
                "the focus KR",
                "the focus KR, lower",
                "a KR the sprint serves",
                "another KR of the quarter",
                "another KR, lower",
                "BAU, top of the backlog",
                "BAU, lower"
            ]
        );
    }

    #[test]
    fn relevance_counts_the_focus_kr_twice() {
        let target = sprint(3, 20, &[(1, true), (2, false)]);
        assert_eq!(relevance(&[1, 2], &target), 3);
        assert_eq!(relevance(&[2], &target), 1);
        assert_eq!(relevance(&[5], &target), 0);
    }
}
