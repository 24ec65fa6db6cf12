//! The method's advice on a change, from the domain's own rules: the
//! health check (M1-M13) on the objects a command touched, as the board's
//! health screen and planning show it, and what only a change can tell (a
//! check-in whose confidence dropped, an item left with no KR).

use chrono::NaiveDate;

use super::{Created, OpError, Outcome};
use crate::{
    domain::{
        Board, Id, check_ins, codes,
        health::{self, Object},
        ids::{CheckInId, KeyResultId, SprintId},
        planning,
        validate::{self, FieldError},
        values::Confidence,
    },
    store::{CheckInFields, Resolved, Store},
};

/// An object a change touched, with the rules the change can break on it.
pub(super) type Touched = (Object, &'static [&'static str]);

/// The quarter's length (init).
pub(super) const QUARTER_LENGTH: &[&str] = &["M13"];
/// Objectives and KRs: how many, measurable, outcomes not tasks.
pub(super) const OKRS: &[&str] = &["M1", "M9", "M10"];
/// An item's title (it may copy a KR's).
pub(super) const ITEM: &[&str] = &["M10"];
/// A sprint's load: split, reserve, capacity.
pub(super) const LOAD: &[&str] = &["M4", "M6", "M7"];
/// A sprint as planning checks it (its goal, load, and place in the quarter).
pub(super) const PLANNING: &[&str] = &["M2", "M4", "M5", "M6", "M7", "M12"];
/// A sprint closing: output without outcome.
pub(super) const CLOSE: &[&str] = &["M11"];
/// A KR's check-ins: its cadence.
pub(super) const CHECK_IN: &[&str] = &["M8"];

/// The health check's breaches of the rules each `touched` object can
/// break through the change, one line each:
/// `S3: Over capacity: 23 of 20 points planned; ... (M7).`
pub(super) fn health(store: &Store, today: NaiveDate, touched: &[Touched]) -> Result<Vec<String>, OpError> {
    if touched.is_empty() {
        return Ok(Vec::new());
    }
    let needed = health::FactsNeeded::for_rules(touched.iter().flat_map(|(_, rules)| rules.iter().copied()));
    let Some(board) = store.load_board_for_rules(needed)? else { return Ok(Vec::new()) };
    breaches(store, &board, today, needed, |rule, breach| {
        touched.iter().any(|(object, rules)| *object == breach.object && rules.contains(&rule))
    })
}

/// Every breach of quarter `quarter`, as `quarterdeck check` lists them,
/// when it is the one the board runs (the health check reads that one):
/// the advice on a change that wrote a whole quarter (an import).
pub(super) fn whole_quarter(store: &Store, today: NaiveDate, quarter: Id) -> Result<Vec<String>, OpError> {
    match store.load_board()? {
        Some(board) if board.quarter.id == quarter => breaches(store, &board, today, health::FactsNeeded::ALL, |_, _| true),
        _ => Ok(Vec::new()),
    }
}

/// The breaches of the health check that `applies` keeps, one line each;
/// `needed` covers the facts of every rule `applies` keeps.
fn breaches(
    store: &Store,
    board: &Board,
    today: NaiveDate,
    needed: health::FactsNeeded,
    applies: impl Fn(&str, &health::Breach) -> bool,
) -> Result<Vec<String>, OpError> {
    let facts = store.health_facts_needed(board.quarter.id, needed)?;
    let mut warnings = Vec::new();
    for rule in health::check(board, today, &facts.as_facts()) {
        for breach in rule.breaches.iter().filter(|breach| applies(rule.rule, breach)) {
            let why = breach.why.trim_end_matches('.');
            let tag = format!("({})", rule.rule);
            warnings.push(if why.contains(&tag) {
                format!("{}: {why}", breach.code)
            } else {
                format!("{}: {why} {tag}", breach.code)
            });
        }
    }
    Ok(warnings)
}

/// A check-in dated outside its KR's quarter, said (never refused).
pub(super) fn outside_its_quarter(store: &Store, key_result: KeyResultId, date: NaiveDate) -> Result<Option<String>, OpError> {
    let Some((quarter, _)) = store.describe(Resolved::KeyResult(key_result))?.quarter else { return Ok(None) };
    let Some(summary) = store.quarters()?.into_iter().find(|summary| summary.id == quarter.row()) else { return Ok(None) };
    let end = summary.end.unwrap_or(summary.start);
    Ok(check_ins::outside_quarter(date, &summary.label, summary.start, end))
}

/// A sprint started on `today` outside its dates, said (never refused):
/// read before the start, as the board's start question reads it.
pub(super) fn start_off_dates(store: &Store, sprint: SprintId, today: NaiveDate) -> Result<Option<String>, OpError> {
    let Some(quarter) = store.describe(Resolved::Sprint(sprint))?.quarter.map(|(quarter, _)| quarter.row()) else {
        return Ok(None);
    };
    let board = store.load_board_viewing(Some(quarter))?;
    let found = board.as_ref().and_then(|board| board.sprint(sprint.row()));
    Ok(found.and_then(|sprint| planning::started_off_dates(sprint, today)))
}

/// A sprint started while an earlier one is not closed, said (never
/// refused), as the board's start question says it.
pub(super) fn start_out_of_order(store: &Store, sprint: SprintId) -> Result<Option<String>, OpError> {
    let Some(quarter) = store.describe(Resolved::Sprint(sprint))?.quarter.map(|(quarter, _)| quarter.row()) else {
        return Ok(None);
    };
    let board = store.load_board_viewing(Some(quarter))?;
    let Some(board) = board else { return Ok(None) };
    Ok(board.sprint(sprint.row()).and_then(|found| planning::started_out_of_order(&board.sprints, found)))
}

/// An item left with no KR is BAU: said so, as the backlog marks it.
pub(super) fn bau(item: Id, untagged: bool) -> Option<String> {
    untagged.then(|| {
        format!(
            "{} moves no KR: it is BAU (business as usual); tag it with the KR it moves, or give the reason it waits",
            codes::item(item)
        )
    })
}

/// The KRs of `tags` (KR id, count) by name, or `no KR (BAU)`.
pub(super) fn kr_names(store: &Store, tags: &[(Id, usize)]) -> Result<String, OpError> {
    if tags.is_empty() {
        return Ok("no KR (BAU)".to_owned());
    }
    let names = tags
        .iter()
        .map(|(kr, _)| Ok(store.describe(Resolved::KeyResult(KeyResultId(*kr)))?.name))
        .collect::<Result<Vec<_>, OpError>>()?;
    Ok(names.join(", "))
}

/// Records a check-in; the KR's confidence carries on when none is given.
/// A confidence lower than the KR's before is said, for the next review.
pub(super) fn check_in(
    store: &mut Store,
    key_result: KeyResultId,
    value: f64,
    confidence: Option<Confidence>,
    note: &str,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<Outcome, OpError> {
    if let Some(error) = validate::check_in(date, today, note).into_iter().next() {
        return Err(OpError::Field(error));
    }
    if !value.is_finite() {
        return Err(FieldError::new(validate::Field::Value, "Give the reading as a number, like 12 or 3.5").into());
    }
    let name = store.describe(Resolved::KeyResult(key_result))?.name;
    let before = store.key_result_confidence(key_result.row())?;
    let confidence = confidence.unwrap_or(Confidence::from_stored(before));
    let fields = CheckInFields { date, value, confidence, note: note.trim().to_owned() };
    let confidence = confidence.get();
    let summary = format!("Checked in {name}: {} on {date}, confidence {confidence} %", crate::format::number(value));
    let id = store.add_check_in(key_result.row(), &fields, &summary)?;
    let uid = store.describe(Resolved::CheckIn(CheckInId(id)))?.uid;
    let created = Created { object: Resolved::CheckIn(CheckInId(id)), reference: String::new(), uid };
    let mut warnings = health(store, today, &[(Object::KeyResult(key_result.row()), CHECK_IN)])?;
    warnings.extend(outside_its_quarter(store, key_result, date)?);
    if confidence < before {
        let code = name.split_once(" in ").map_or(name.as_str(), |(code, _)| code);
        warnings.push(format!(
            "{code}: confidence dropped from {before} % to {confidence} %: say what changed at the next sprint review"
        ));
    }
    Ok(Outcome { summary, created: Some(created), warnings })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::health::{FactsNeeded, RULES};

    /// The rules of `rules`, as a check that read only what they need
    /// finds them, and as the whole check finds them.
    fn both_ways(store: &Store, today: NaiveDate, rules: &[&str]) -> (Vec<health::Breach>, Vec<health::Breach>) {
        let of_rules = |states: Vec<health::RuleState>| -> Vec<health::Breach> {
            states.into_iter().filter(|state| rules.contains(&state.rule)).flat_map(|state| state.breaches).collect()
        };
        let board = store.load_board().expect("read").expect("board");
        let whole = health::check(&board, today, &store.health_facts(board.quarter.id).expect("facts").as_facts());
        let needed = FactsNeeded::for_rules(rules.iter().copied());
        let part = store.load_board_for_rules(needed).expect("read").expect("board");
        let facts = store.health_facts_needed(part.quarter.id, needed).expect("facts");
        (of_rules(health::check(&part, today, &facts.as_facts())), of_rules(whole))
    }

    #[test]
    fn a_check_that_reads_only_what_its_rules_need_finds_what_the_whole_check_finds() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&dir.path().join("board.sqlite3")).expect("open");
        let today = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
        let plan = crate::plan::Plan::demo(today).expect("demo");
        super::super::apply(&mut store, &super::super::Command::LoadPlan { plan: Box::new(plan), replace: false }, today)
            .expect("demo loaded");
        let groups = [QUARTER_LENGTH, OKRS, ITEM, LOAD, PLANNING, CLOSE, CHECK_IN];
        let single: Vec<[&str; 1]> = RULES.iter().map(|(rule, _)| [*rule]).collect();
        let mut found = 0;
        for rules in groups.into_iter().chain(single.iter().map(|rule| rule.as_slice())) {
            let (part, whole) = both_ways(&store, today, rules);
            assert_eq!(part, whole, "{rules:?}");
            found += whole.len();
        }
        assert!(found > 0, "the demo breaks some rules on purpose");
    }
}
