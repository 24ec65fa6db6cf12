//! The quarter's health (method.md, "Rules the board checks"): every rule
//! M1-M13 with its state and the objects that break it. The rules
//! themselves live where the screens that enforce them use them
//! (planning, check-ins, validation, M10, the review); this module only
//! gathers them, so the health screen and those screens cannot disagree.

use chrono::NaiveDate;

use super::{
    Board, Id, Sprint, SprintState, check_ins, codes, method,
    planning::{Split, planning_warnings},
    review::{self, RecordItem},
    rules::copied_kr,
    settings, validate,
};

/// M1: at most this many objectives a quarter...
pub const MAX_OBJECTIVES: usize = 3;
/// ...and at most this many key results in all (6-8 is the healthy range).
pub const MAX_KEY_RESULTS: usize = 8;

/// The rules in order, each with its statement in one line.
pub const RULES: [(&str, &str); 13] = [
    ("M1", "1-3 objectives with KRs, at most 8 KRs, set before sprint 1"),
    ("M2", "Every sprint has a goal: an outcome serving a KR, or why not"),
    ("M3", "At least two thirds of the sprints have KR-linked goals"),
    ("M4", "60-70 % of planned points serve a KR, 30-40 % BAU"),
    ("M5", "Sprint 1 is planned below average capacity"),
    ("M6", "Next quarter's OKR planning keeps its room (overlap strategy)"),
    ("M7", "A sprint's planned points stay within its capacity"),
    ("M8", "Every KR is checked in at the quarter's check-in cadence"),
    ("M9", "A KR is measurable: a unit, and a target that differs from its start"),
    ("M10", "A KR is an outcome: not a task, and no item copies its title"),
    ("M11", "A sprint that delivered its points moved one of its KRs"),
    ("M12", "After a sprint off the KRs on purpose, the next goes back"),
    ("M13", "A quarter is about 90 days: 8 to 16 weeks"),
];

/// An object of the board a rule can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    /// The quarter itself (M1 with no objective, M13).
    Quarter,
    Objective(Id),
    KeyResult(Id),
    Sprint(Id),
    Item(Id),
}

/// One object breaking a rule: which, its code (`KR1.2`, `S3`, `#42`), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    pub object: Object,
    pub code: String,
    pub why: String,
}

/// A rule with its state: ok when nothing breaks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleState {
    pub rule: &'static str,
    pub statement: &'static str,
    pub breaches: Vec<Breach>,
}

impl RuleState {
    pub fn is_ok(&self) -> bool {
        self.breaches.is_empty()
    }
}

/// What the board alone does not hold, read from the store.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    /// Planned points per sprint id, split OKR/BAU (M4, M6, M7); a sprint
    /// not listed has nothing planned.
    pub splits: &'a [(Id, Split)],
    /// Items whose title may copy a KR's (M10): id and title.
    pub title_copies: &'a [(Id, String)],
    /// The record of each closed sprint, by sprint id (M11).
    pub closed_records: &'a [(Id, Vec<RecordItem>)],
    /// Next quarter's OKRs are drafted, with an objective at least (M6
    /// under the drafts strategy).
    pub next_quarter_drafted: bool,
}

/// Which of the [`Facts`] a check of some rules reads: the advice on one
/// change asks for a few rules, and reading the facts only those need keeps
/// a command fast (docs/reliability.md, "Concurrency"). A fact not read is
/// left empty; the rules that read it then say what empty facts make them
/// say, so only the rules asked for may be kept from such a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactsNeeded {
    pub splits: bool,
    pub title_copies: bool,
    pub closed_records: bool,
    pub next_quarter_drafted: bool,
    /// The board's own parts a check may go without: the KRs' check-ins
    /// (their readings) and the sprints.
    pub readings: bool,
    pub sprints: bool,
}

impl FactsNeeded {
    /// Every fact: the whole check, as the health screen runs it.
    pub const ALL: Self = Self {
        splits: true,
        title_copies: true,
        closed_records: true,
        next_quarter_drafted: true,
        readings: true,
        sprints: true,
    };

    /// The facts that `rules` (`"M7"`, ...) read in [`check`].
    pub fn for_rules<'a>(rules: impl IntoIterator<Item = &'a str>) -> Self {
        let mut needed = Self {
            splits: false,
            title_copies: false,
            closed_records: false,
            next_quarter_drafted: false,
            readings: false,
            sprints: false,
        };
        for rule in rules {
            match rule {
                // Planning's warnings read each sprint and its split.
                "M2" | "M4" | "M5" | "M7" | "M12" => (needed.sprints, needed.splits) = (true, true),
                "M6" => (needed.sprints, needed.splits, needed.next_quarter_drafted) = (true, true, true),
                // A KR's cadence reads its check-ins; only it, not the sprints.
                "M8" => needed.readings = true,
                // A KR's unit, start, target and title: the KRs alone.
                "M9" => {}
                "M10" => needed.title_copies = true,
                "M11" => (needed.sprints, needed.closed_records, needed.readings) = (true, true, true),
                // M1, M3 and M13 read the sprints (an unknown rule: all of them).
                _ => needed.sprints = true,
            }
        }
        needed
    }
}

/// Every rule, M1 to M13 in order, on `board` as it stands on `today`.
pub fn check(board: &Board, today: NaiveDate, facts: &Facts<'_>) -> Vec<RuleState> {
    let mut breaches: [Vec<Breach>; 13] = Default::default();
    breaches[0] = m1(board, today);
    // M2, M4-M7 and M12 are planning's checks, asked of every sprint.
    for sprint in &board.sprints {
        let split = facts.splits.iter().find(|(id, _)| *id == sprint.id).map_or_else(Split::default, |(_, split)| *split);
        for warning in planning_warnings(sprint, &board.sprints, split, board.quarter.overlap) {
            if let Some(index) = RULES.iter().position(|(rule, _)| *rule == warning.rule) {
                breaches[index].push(sprint_breach(sprint, warning.text));
            }
        }
    }
    if let Some(breach) = drafts_kept(board, today, facts.next_quarter_drafted) {
        breaches[5].push(breach);
    }
    breaches[2] = m3(board);
    for kr in board.key_results() {
        if let Some(stale) = check_ins::kr_stale(kr, &board.quarter, today) {
            breaches[7].push(Breach { object: Object::KeyResult(kr.id), code: kr.code.clone(), why: stale.describe() });
        }
        let errors = validate::key_result(&kr.unit, kr.start, kr.target);
        if !errors.is_empty() {
            let why = errors.iter().map(|error| error.message.trim_start_matches("M9: ")).collect::<Vec<_>>().join("; ");
            breaches[8].push(Breach { object: Object::KeyResult(kr.id), code: kr.code.clone(), why });
        }
        if method::kr_reads_as_task(&kr.title, kr.start, kr.target) {
            let why = "reads as a task (0 to 1, \"ship ...\"): measure the outcome it should bring".to_owned();
            breaches[9].push(Breach { object: Object::KeyResult(kr.id), code: kr.code.clone(), why });
        }
    }
    for (id, title) in facts.title_copies {
        if let Some(kr) = copied_kr(title, board.key_results()) {
            breaches[9].push(Breach {
                object: Object::Item(*id),
                code: codes::item(*id),
                why: format!("its title copies {} \"{}\"", kr.code, kr.title),
            });
        }
    }
    for (id, items) in facts.closed_records {
        if let Some(sprint) = board.sprint(*id)
            && let Some(why) = m11(board, sprint, items, today)
        {
            breaches[10].push(sprint_breach(sprint, why));
        }
    }
    if let Some(why) = method::quarter_length_advice(board) {
        breaches[12].push(Breach { object: Object::Quarter, code: board.quarter.label.clone(), why });
    }
    RULES.iter().zip(breaches).map(|(&(rule, statement), breaches)| RuleState { rule, statement, breaches }).collect()
}

/// How many rules are in warning.
pub fn warnings(states: &[RuleState]) -> usize {
    states.iter().filter(|state| !state.is_ok()).count()
}

fn sprint_breach(sprint: &Sprint, why: String) -> Breach {
    Breach { object: Object::Sprint(sprint.id), code: codes::sprint(sprint.number), why }
}

/// M6 under the drafts strategy: by the last sprint, next quarter's OKRs
/// are written ahead (`n` drafts them). The reserve strategy is checked
/// with planning's warnings; a planning day needs nothing written before.
fn drafts_kept(board: &Board, today: NaiveDate, drafted: bool) -> Option<Breach> {
    let last = board.sprints.iter().max_by_key(|sprint| sprint.number)?;
    let due = board.quarter.overlap == settings::OverlapStrategy::Drafts && today >= last.start && !drafted;
    due.then(|| {
        let why = "the team drafts next quarter's OKRs ahead: none is written yet; draft them in this sprint".to_owned();
        sprint_breach(last, why)
    })
}

/// M1: a quarter without objectives, objectives without a KR, and the
/// objectives and KRs past the limits.
fn m1(board: &Board, today: NaiveDate) -> Vec<Breach> {
    if board.objectives.is_empty() {
        // A sprint starts only when the team starts it: on its first day a
        // planned sprint 1 is due, not started.
        let first = board.sprints.first();
        let why = if first.is_some_and(|sprint| sprint.state != SprintState::Planned) {
            "sprint 1 started without OKRs: write 1-3 objectives, each with its KRs"
        } else if first.is_some_and(|sprint| sprint.start <= today) {
            "sprint 1 is due and the quarter has no OKRs: write 1-3 objectives, each with its KRs, before starting it"
        } else {
            "no objective yet: write 1-3, each with its KRs, before sprint 1 starts"
        }
        .to_owned();
        return vec![Breach { object: Object::Quarter, code: board.quarter.label.clone(), why }];
    }
    let mut breaches: Vec<Breach> = board
        .objectives
        .iter()
        .filter(|objective| objective.key_results.is_empty())
        .map(|objective| Breach {
            object: Object::Objective(objective.id),
            code: codes::objective(objective.number),
            why: "no key result: an objective is measured by at least one KR".to_owned(),
        })
        .collect();
    breaches.extend(board.objectives.iter().skip(MAX_OBJECTIVES).map(|objective| Breach {
        object: Object::Objective(objective.id),
        code: codes::objective(objective.number),
        why: format!("{} objectives: at most {MAX_OBJECTIVES}", board.objectives.len()),
    }));
    let count = board.key_results().count();
    breaches.extend(board.key_results().skip(MAX_KEY_RESULTS).map(|kr| Breach {
        object: Object::KeyResult(kr.id),
        code: kr.code.clone(),
        why: format!("{count} key results: at most {MAX_KEY_RESULTS}"),
    }));
    breaches
}

/// M3: when fewer than two thirds of the sprints serve a KR, those that do not.
fn m3(board: &Board) -> Vec<Breach> {
    let total = board.sprints.len();
    let linked = board.sprints.iter().filter(|sprint| !sprint.krs.is_empty()).count();
    let needed = (2 * total).div_ceil(3);
    if linked >= needed {
        return Vec::new();
    }
    board
        .sprints
        .iter()
        .filter(|sprint| sprint.krs.is_empty())
        .map(|sprint| sprint_breach(sprint, format!("goal serves no KR: {}, {needed} needed", linked_of(linked, total))))
        .collect()
}

/// "1 of 6 sprints is KR-linked", "2 of 6 sprints are": the verb agrees
/// with the sprints linked, the noun with all of them.
fn linked_of(linked: usize, total: usize) -> String {
    let sprints = if total == 1 { "sprint" } else { "sprints" };
    let verb = if linked == 1 { "is" } else { "are" };
    format!("{linked} of {total} {sprints} {verb} KR-linked")
}

/// M11 for a closed sprint, judged as its review judges it.
fn m11(board: &Board, sprint: &Sprint, items: &[RecordItem], today: NaiveDate) -> Option<String> {
    let served: Vec<Id> = sprint.krs.iter().map(|link| link.key_result_id).collect();
    let until = review::judged_until(sprint, today);
    let moves: Vec<review::KrMove> = review::outcome_key_results(&served, items)
        .into_iter()
        .filter_map(|id| board.key_result(id))
        .map(|kr| review::kr_move(kr, sprint.start, until))
        .collect();
    let output = review::output(items);
    review::high_output_low_outcome(&output, &moves).then(|| {
        let held = crate::format::count(output.held().points, "point", "points");
        format!("delivered {} of its {held}; none of its KRs moved", output.done.points)
    })
}

#[cfg(test)]
#[path = "health_tests.rs"]
mod tests;
