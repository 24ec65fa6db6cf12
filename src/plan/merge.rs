//! `import --merge`: a plan file laid over the quarter the board holds,
//! object by object, matched by stable id. What the file has wins (its
//! objects keep the file's order, so its codes `KR1.2` and sprint numbers
//! mean what they say in the file); what only the board has stays, after
//! the file's objects, with its references renumbered to match, unless
//! `prune` asks for the file alone.

use std::collections::{HashMap, HashSet};

use super::{Plan, PlanItem, PlanKeyResult, PlanObjective, PlanSprint};

fn key(id: &Option<String>) -> Option<String> {
    id.as_deref().and_then(crate::domain::references::parse_uid)
}

fn ids<'a, T: 'a>(objects: impl IntoIterator<Item = &'a T>, id: impl Fn(&T) -> &Option<String>) -> HashSet<String> {
    objects.into_iter().filter_map(|object| key(id(object))).collect()
}

/// The plan to write in place of the board's quarter `board` when `file`
/// is merged into it.
pub fn merge(board: &Plan, file: &Plan, prune: bool) -> Plan {
    let mut merged = file.clone();
    if merged.quarter.id.is_none() {
        merged.quarter.id.clone_from(&board.quarter.id);
    }
    merged.item_numbers_used = board.item_numbers_used.max(file.item_numbers_used);
    // A matched item the file gives no number or rank keeps the board's:
    // a hand-written file does not renumber what it updates.
    let board_items: HashMap<String, &PlanItem> = board.items.iter().filter_map(|item| Some((key(&item.id)?, item))).collect();
    for item in &mut merged.items {
        if let Some(old) = key(&item.id).and_then(|id| board_items.get(&id)) {
            item.number = item.number.or(old.number);
            item.rank = item.rank.or(old.rank);
        }
    }
    if prune {
        return merged;
    }
    merge_okrs(&mut merged, board);
    let codes = code_map(board, &merged);
    merge_sprints(&mut merged, board, &codes);
    let numbers = sprint_map(board, &merged);
    let known = ids(&merged.items, |item| &item.id);
    for item in board.items.iter().filter(|item| key(&item.id).is_none_or(|id| !known.contains(&id))) {
        let mut item = item.clone();
        item.sprint = item.sprint.and_then(|number| numbers.get(&number).copied());
        item.krs = item.krs.iter().filter_map(|code| codes.get(code).cloned()).collect();
        merged.items.push(item);
    }
    let known = ids(&merged.team, |member| &member.id);
    for member in board.team.iter().filter(|member| key(&member.id).is_none_or(|id| !known.contains(&id))) {
        let mut member = member.clone();
        let mut days_off = vec![0.0; merged.sprints.len()];
        for (number, days) in (1_u32..).zip(&member.days_off) {
            if let Some(slot) = numbers.get(&number).and_then(|merged| days_off.get_mut(*merged as usize - 1)) {
                *slot = *days;
            }
        }
        while days_off.last() == Some(&0.0) {
            days_off.pop();
        }
        member.days_off = days_off;
        merged.team.push(member);
    }
    merged
}

/// Board-only objectives after the file's; board-only KRs after the
/// file's KRs of their objective; board-only check-ins beside the file's.
fn merge_okrs(merged: &mut Plan, board: &Plan) {
    for objective in &board.objectives {
        let found = key(&objective.id).and_then(|id| merged.objectives.iter_mut().find(|mine| key(&mine.id) == Some(id.clone())));
        match found {
            None => merged.objectives.push(objective.clone()),
            Some(mine) => merge_krs(mine, objective),
        }
    }
}

fn merge_krs(mine: &mut PlanObjective, board: &PlanObjective) {
    for kr in &board.key_results {
        let found = key(&kr.id).and_then(|id| mine.key_results.iter_mut().find(|other| key(&other.id) == Some(id.clone())));
        match found {
            None => mine.key_results.push(kr.clone()),
            Some(other) => merge_check_ins(other, kr),
        }
    }
}

fn merge_check_ins(mine: &mut PlanKeyResult, board: &PlanKeyResult) {
    let known = ids(&mine.check_ins, |check_in| &check_in.id);
    let extra: Vec<_> =
        board.check_ins.iter().filter(|check_in| key(&check_in.id).is_none_or(|id| !known.contains(&id))).cloned().collect();
    if !extra.is_empty() {
        mine.check_ins.extend(extra);
        // Stable: a day's check-ins keep their order.
        mine.check_ins.sort_by_key(|check_in| check_in.date);
    }
}

/// Board-only sprints after the file's (they keep their dates); a matched
/// sprint keeps the board's retro notes the file lacks, and the board's
/// frozen records when the file gives none.
fn merge_sprints(merged: &mut Plan, board: &Plan, codes: &HashMap<String, String>) {
    let translate = |sprint: &mut PlanSprint| {
        sprint.krs = sprint.krs.iter().filter_map(|code| codes.get(code).cloned()).collect();
        sprint.focus = sprint.focus.as_ref().and_then(|code| codes.get(code).cloned());
        for recorded in sprint.record.iter_mut().flatten() {
            recorded.krs = recorded.krs.iter().filter_map(|code| codes.get(code).cloned()).collect();
        }
    };
    for sprint in &board.sprints {
        let found = key(&sprint.id).and_then(|id| merged.sprints.iter_mut().find(|mine| key(&mine.id) == Some(id.clone())));
        match found {
            None => {
                let mut sprint = sprint.clone();
                translate(&mut sprint);
                merged.sprints.push(sprint);
            }
            Some(mine) => {
                let known = ids(&mine.retro, |note| &note.id);
                mine.retro
                    .extend(sprint.retro.iter().filter(|note| key(&note.id).is_none_or(|id| !known.contains(&id))).cloned());
                let mut board_sprint = sprint.clone();
                translate(&mut board_sprint);
                if mine.commitment.is_none() {
                    mine.commitment = board_sprint.commitment;
                }
                if mine.record.is_none() {
                    mine.record = board_sprint.record;
                }
                if mine.started_on.is_none() {
                    mine.started_on = board_sprint.started_on;
                }
                if mine.closed_on.is_none() {
                    mine.closed_on = board_sprint.closed_on;
                }
            }
        }
    }
}

/// Each board KR's code in the merged plan, by its stable id.
fn code_map(board: &Plan, merged: &Plan) -> HashMap<String, String> {
    let merged_codes: HashMap<String, String> = merged
        .objectives
        .iter()
        .flat_map(|objective| &objective.key_results)
        .zip(merged.kr_codes())
        .filter_map(|(kr, code)| Some((key(&kr.id)?, code)))
        .collect();
    board
        .objectives
        .iter()
        .flat_map(|objective| &objective.key_results)
        .zip(board.kr_codes())
        .filter_map(|(kr, code)| Some((code, merged_codes.get(&key(&kr.id)?)?.clone())))
        .collect()
}

/// Each board sprint's number in the merged plan, by its stable id.
fn sprint_map(board: &Plan, merged: &Plan) -> HashMap<u32, u32> {
    let merged_numbers: HashMap<String, u32> =
        merged.sprints.iter().zip(1_u32..).filter_map(|(sprint, number)| Some((key(&sprint.id)?, number))).collect();
    board
        .sprints
        .iter()
        .zip(1_u32..)
        .filter_map(|(sprint, number)| Some((number, *merged_numbers.get(&key(&sprint.id)?)?)))
        .collect()
}
