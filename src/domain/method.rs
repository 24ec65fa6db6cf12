//! The method's rules on words and rhythm, as the seeds teach them
//! (method.md: M2's goal as an outcome, M10's KR as a task, M12's
//! redirected sprints, M13's quarter length). Pure functions shared by
//! planning, the forms, the review and health; each only advises.

use super::{Board, Sprint};

/// Words that open an activity rather than an outcome ("Build the export",
/// "We implement X"), as a verb in the base form; `-s`, `-ed` and `-ing`
/// forms count too.
const ACTIVITY_VERBS: [&str; 22] = [
    "implement",
    "build",
    "ship",
    "develop",
    "create",
    "write",
    "add",
    "refactor",
    "migrate",
    "finish",
    "complete",
    "do",
    "make",
    "launch",
    "release",
    "deploy",
    "integrate",
    "rewrite",
    "program",
    "install",
    "configure",
    "upgrade",
];

/// Openings that only say who acts ("We implement", "The team will build").
const SUBJECTS: [&str; 9] = ["we", "we'll", "we’ll", "will", "the", "team", "let's", "to", "i"];

/// Whether `word` (lower case) is a form of `verb`: build, builds,
/// building; ship, shipped, shipping; create, created, creating.
/// Irregular forms (built) are rare in goals and left out.
fn is_form_of(word: &str, verb: &str) -> bool {
    if word == verb {
        return true;
    }
    let stem = verb.strip_suffix('e').unwrap_or(verb);
    let doubled = verb.chars().last().map(|last| format!("{verb}{last}")).unwrap_or_default();
    [verb, stem, doubled.as_str()]
        .iter()
        .any(|base| word.strip_prefix(base).is_some_and(|ending| ["s", "es", "d", "ed", "ing"].contains(&ending)))
}

/// Nouns of measure: after one of the verbs above they make a metric's
/// name, not an activity ("Release frequency", "Build time", "Install
/// success rate").
const MEASURES: [&str; 14] = [
    "frequency",
    "rate",
    "time",
    "times",
    "duration",
    "count",
    "speed",
    "success",
    "volume",
    "cadence",
    "size",
    "lead",
    "failures",
    "errors",
];

/// Whether `text` opens with an activity verb ("Build ...", "We implement
/// ...", "Ship ..."), not a metric named after one ("Release frequency").
fn opens_with_activity(text: &str) -> bool {
    let mut words = text
        .split_whitespace()
        .map(|word| word.trim_matches(|ch: char| !ch.is_alphanumeric() && ch != '\'' && ch != '’').to_lowercase())
        .filter(|word| !word.is_empty())
        .skip_while(|word| SUBJECTS.contains(&word.as_str()));
    let Some(deed) = words.next() else { return false };
    let measured = words.next().is_some_and(|next| MEASURES.contains(&next.as_str()));
    !measured && ACTIVITY_VERBS.iter().any(|verb| is_form_of(&deed, verb))
}

/// M2: a goal of only spaces is no goal.
pub fn goal_is_missing(goal: &str) -> bool {
    goal.trim().is_empty()
}

/// M2: a goal that reads as an activity, not an outcome ("Not: we
/// implement feature X").
pub fn goal_reads_as_activity(goal: &str) -> bool {
    !goal_is_missing(goal) && opens_with_activity(goal)
}

/// The advice for a goal that reads as an activity, with an outcome to copy.
pub const GOAL_AS_OUTCOME: &str =
    "The goal reads as an activity: say the outcome, \"Buyers pay with one click\", not \"Build one-click payment\"";

/// The same in a form's width (under 56 characters).
pub const GOAL_AS_OUTCOME_BRIEF: &str = "M2: an activity; name the outcome: \"Buyers pay faster\"";

/// A form's advice for a sprint without a goal.
pub const GOAL_MISSING_BRIEF: &str = "M2: no goal yet: write the outcome this sprint brings";

/// The advice for a sprint without a goal.
pub const GOAL_MISSING: &str = "The sprint has no goal: write the outcome it should bring";

/// M2: the goal the sprint started with, when it has been changed since
/// (the review shows both); `None` before it starts or while unchanged.
pub fn goal_at_start_if_changed(sprint: &Sprint) -> Option<&str> {
    sprint.goal_at_start.as_deref().filter(|at_start| at_start.trim() != sprint.goal.trim())
}

/// A sprint that serves no KR on purpose, saying why (critical bug,
/// regulation): exempt from M4's split, and M12 watches what follows it.
pub fn serves_no_kr_deliberately(sprint: &Sprint) -> bool {
    sprint.krs.is_empty() && !sprint.no_kr_reason.trim().is_empty()
}

/// The sprint just before `sprint`, when it served no KR on purpose: its
/// reason shows at `sprint`'s review (M12).
pub fn redirected_before<'a>(sprints: &'a [Sprint], sprint: &Sprint) -> Option<&'a Sprint> {
    sprints.iter().find(|other| other.number + 1 == sprint.number).filter(|before| serves_no_kr_deliberately(before))
}

/// M12: `sprint` serves no KR on purpose right after another that did:
/// two in a row.
pub fn redirected_twice(sprints: &[Sprint], sprint: &Sprint) -> bool {
    serves_no_kr_deliberately(sprint) && redirected_before(sprints, sprint).is_some()
}

/// M13: a quarter is about 90 days; under this many weeks...
pub const MIN_QUARTER_WEEKS: i64 = 8;
/// ...or over this many gets advice.
pub const MAX_QUARTER_WEEKS: i64 = 16;

/// M13: whether a quarter of `days` is outside 8 to 16 weeks.
pub fn quarter_days_off_rhythm(days: i64) -> bool {
    !(MIN_QUARTER_WEEKS * 7..=MAX_QUARTER_WEEKS * 7).contains(&days)
}

/// The new-quarter form's advice (under 56 characters).
pub const QUARTER_LENGTH_BRIEF: &str = "M13: a quarter is about 12 weeks; 8 to 16 advised";

/// M13: advice when the quarter's sprints span under 8 or over 16 weeks;
/// nothing for a quarter with no sprint yet (nothing to measure).
pub fn quarter_length_advice(board: &Board) -> Option<String> {
    board.sprints.last()?;
    let days = (board.end() - board.quarter.start).num_days() + 1;
    let weeks = days as f64 / 7.0;
    let shown = if days % 7 == 0 { format!("{}", days / 7) } else { format!("{weeks:.1}") };
    if !quarter_days_off_rhythm(days) {
        return None;
    }
    if days < MIN_QUARTER_WEEKS * 7 {
        Some(format!(
            "{shown} weeks: a quarter is about 90 days (12 weeks); under {MIN_QUARTER_WEEKS} leaves no room to move a KR"
        ))
    } else {
        Some(format!("{shown} weeks: a quarter is about 90 days (12 weeks); over {MAX_QUARTER_WEEKS} and the OKRs go stale"))
    }
}

/// M10: a KR that reads as a task: a 0-to-1 switch, or a title that opens
/// with what to do ("Ship the new checkout", "Launch in Spain").
pub fn kr_reads_as_task(title: &str, start: f64, target: f64) -> bool {
    let zero_to_one = start == 0.0 && (target - 1.0).abs() < f64::EPSILON;
    zero_to_one || opens_with_activity(title)
}

/// The same in a form's width (under 56 characters).
pub const KR_AS_OUTCOME_BRIEF: &str = "M10: reads as a task; measure: \"Conversion 12→20 %\"";

/// The advice for a KR that reads as a task, with an outcome to copy.
pub const KR_AS_OUTCOME: &str = "M10: this KR reads as a task (0 to 1, \"ship ...\"). Measure the outcome: \"Checkout conversion from 12 % to 20 %\", not \"Ship one-click payment\"";

#[cfg(test)]
#[path = "method_tests.rs"]
mod tests;
