//! The quarter's, objectives', KRs', sprints' and the team's changes.

use super::words::{changed, number, one_line, or_none, quoted, text_changed, word};
use super::{KrKeys, key_or, match_by, tag_changes};
use crate::domain::{SprintState, codes};
use crate::plan::{Plan, PlanCheckIn, PlanKeyResult, PlanMember, PlanRetroNote, PlanSprint};

fn place(at: usize) -> u32 {
    u32::try_from(at + 1).unwrap_or(u32::MAX)
}

fn date(day: &Option<chrono::NaiveDate>) -> String {
    or_none(*day, |day| day.to_string())
}

pub(super) fn quarter(before: &Plan, after: &Plan, lines: &mut Vec<String>) {
    let (was, now) = (&before.quarter, &after.quarter);
    changed(lines, "quarter", "label", &was.label, &now.label, |label| one_line(label));
    changed(lines, "quarter", "start", &was.start, &now.start, ToString::to_string);
    changed(lines, "quarter", "check-in cadence", &was.checkin_cadence, &now.checkin_cadence, word);
    changed(lines, "quarter", "overlap strategy", &was.overlap_strategy, &now.overlap_strategy, word);
    if was.state != now.state {
        let state = now.state.map_or("open", |state| state.as_str());
        let on = now.closed_on.filter(|_| state == "closed").map(|day| format!(" on {day}")).unwrap_or_default();
        lines.push(format!("quarter {state}{on}"));
    } else {
        changed(lines, "quarter", "closed on", &was.closed_on, &now.closed_on, date);
    }
    text_changed(lines, "quarter", "closing note", &was.closing_note, &now.closing_note);
}

pub(super) fn objectives(before: &Plan, after: &Plan, lines: &mut Vec<String>) {
    let matched = match_by(&before.objectives, &after.objectives, |at, objective| {
        key_or(objective.id.as_ref(), || codes::objective(place(at)))
    });
    let mut added = matched.added.iter().peekable();
    for &(was, at) in &matched.pairs {
        while let Some(&&new) = added.peek().filter(|&&&new| new < at) {
            added_objective(after, new, lines);
            added.next();
        }
        let (old, new) = (&before.objectives[was], &after.objectives[at]);
        let code = codes::objective(place(at));
        text_changed(lines, &code, "title", &old.title, &new.title);
        text_changed(lines, &code, "owner", &old.owner, &new.owner);
        text_changed(lines, &code, "aligned to", &old.parent, &new.parent);
        if old.parent_id != new.parent_id {
            let parent = new.parent_id.as_ref().and_then(|id| after.objectives.iter().position(|o| o.id.as_ref() == Some(id)));
            lines.push(format!("{code} aligned to: {}", or_none(parent, |at| codes::objective(place(at)))));
        }
        text_changed(lines, &code, "closing note", &old.closing_note, &new.closing_note);
        key_results(&old.key_results, &new.key_results, place(at), lines);
    }
    for &new in added {
        added_objective(after, new, lines);
    }
    for &was in &matched.removed {
        let objective = &before.objectives[was];
        lines.push(format!("removed {} {}", codes::objective(place(was)), quoted(&objective.title)));
    }
}

fn added_objective(after: &Plan, at: usize, lines: &mut Vec<String>) {
    let objective = &after.objectives[at];
    lines.push(format!("added {} {}", codes::objective(place(at)), quoted(&objective.title)));
    key_results(&[], &objective.key_results, place(at), lines);
}

fn key_results(before: &[PlanKeyResult], after: &[PlanKeyResult], objective: u32, lines: &mut Vec<String>) {
    let kr_code = |at: usize| codes::key_result(objective, place(at));
    let matched = match_by(before, after, |at, kr| key_or(kr.id.as_ref(), || kr_code(at)));
    let mut added = matched.added.iter().peekable();
    for &(was, at) in &matched.pairs {
        while let Some(&&new) = added.peek().filter(|&&&new| new < at) {
            added_kr(&after[new], &kr_code(new), lines);
            added.next();
        }
        let (old, new, code) = (&before[was], &after[at], kr_code(at));
        text_changed(lines, &code, "title", &old.title, &new.title);
        changed(lines, &code, "unit", &old.unit, &new.unit, |unit| one_line(unit));
        changed(lines, &code, "start", &old.start, &new.start, |value| number(*value));
        changed(lines, &code, "target", &old.target, &new.target, |value| number(*value));
        changed(lines, &code, "current", &old.current, &new.current, |value| number(*value));
        text_changed(lines, &code, "owner", &old.owner, &new.owner);
        changed(lines, &code, "confidence", &old.confidence, &new.confidence, u8::to_string);
        changed(lines, &code, "score", &old.score, &new.score, |score| or_none(*score, number));
        check_ins(&old.check_ins, &new.check_ins, &code, lines);
    }
    for &new in added {
        added_kr(&after[new], &kr_code(new), lines);
    }
    for &was in &matched.removed {
        lines.push(format!("removed {} {}", kr_code(was), quoted(&before[was].title)));
    }
}

fn added_kr(kr: &PlanKeyResult, code: &str, lines: &mut Vec<String>) {
    let unit = one_line(&kr.unit);
    lines.push(format!("added {code} {} ({} → {} {unit})", quoted(&kr.title), number(kr.start), number(kr.target)));
    check_ins(&[], &kr.check_ins, code, lines);
}

/// Check-ins are added, seldom changed: each is named by its day.
fn check_ins(before: &[PlanCheckIn], after: &[PlanCheckIn], kr: &str, lines: &mut Vec<String>) {
    let key = |_: usize, check_in: &PlanCheckIn| {
        key_or(check_in.id.as_ref(), || format!("{} {}", check_in.date, number(check_in.value)))
    };
    let matched = match_by(before, after, key);
    for &(was, at) in &matched.pairs {
        if before[was] != after[at] {
            lines.push(format!("{kr} check-in of {} changed", after[at].date));
        }
    }
    for &new in &matched.added {
        lines.push(format!("{kr} checked in {} on {}", number(after[new].value), after[new].date));
    }
    for &was in &matched.removed {
        lines.push(format!("{kr} check-in of {} removed", before[was].date));
    }
}

pub(super) fn sprints(before: &Plan, after: &Plan, lines: &mut Vec<String>) {
    let matched = match_by(&before.sprints, &after.sprints, |at, sprint| key_or(sprint.id.as_ref(), || codes::sprint(place(at))));
    let mut added = matched.added.iter().peekable();
    for &(was, at) in &matched.pairs {
        while let Some(&&new) = added.peek().filter(|&&&new| new < at) {
            added_sprint(&after.sprints[new], new, lines);
            added.next();
        }
        sprint_changes((before, after), &before.sprints[was], &after.sprints[at], &codes::sprint(place(at)), lines);
    }
    for &new in added {
        added_sprint(&after.sprints[new], new, lines);
    }
    for &was in &matched.removed {
        lines.push(format!("removed {}", codes::sprint(place(was))));
    }
}

fn added_sprint(sprint: &PlanSprint, at: usize, lines: &mut Vec<String>) {
    let code = codes::sprint(place(at));
    let goal = if sprint.goal.trim().is_empty() { String::new() } else { format!(" {}", quoted(&sprint.goal)) };
    lines.push(format!("added {code}{goal} (capacity {})", sprint.capacity));
    retro(&[], &sprint.retro, &code, lines);
}

fn sprint_changes(plans: (&Plan, &Plan), old: &PlanSprint, new: &PlanSprint, code: &str, lines: &mut Vec<String>) {
    text_changed(lines, code, "goal", &old.goal, &new.goal);
    changed(lines, code, "weeks", &old.weeks, &new.weeks, |weeks| or_none(*weeks, |weeks| weeks.to_string()));
    changed(lines, code, "start", &old.start, &new.start, date);
    changed(lines, code, "end", &old.end, &new.end, date);
    changed(lines, code, "capacity", &old.capacity, &new.capacity, u32::to_string);
    let (serves, stops) = tag_changes(&KrKeys::of(plans), &old.krs, &new.krs);
    if !serves.is_empty() {
        lines.push(format!("{code} serves {}", one_line(&serves.join(", "))));
    }
    if !stops.is_empty() {
        lines.push(format!("{code} no longer serves {}", one_line(&stops.join(", "))));
    }
    changed(lines, code, "focus", &old.focus, &new.focus, |focus| or_none(focus.as_deref(), one_line));
    text_changed(lines, code, "serves no KR because", &old.no_kr_reason, &new.no_kr_reason);
    if old.goal_at_start != new.goal_at_start {
        text_changed(
            lines,
            code,
            "goal at its start",
            old.goal_at_start.as_deref().unwrap_or_default(),
            new.goal_at_start.as_deref().unwrap_or_default(),
        );
    }
    let state_changed = old.state != new.state;
    if state_changed {
        lines.push(match new.state {
            Some(SprintState::Active) => format!("{code} started"),
            Some(SprintState::Closed) => format!("{code} closed"),
            state => format!(
                "{code} state {} → {}",
                or_none(old.state, |s| s.as_str().to_owned()),
                or_none(state, |s| s.as_str().to_owned())
            ),
        });
    } else {
        changed(lines, code, "started on", &old.started_on, &new.started_on, date);
        changed(lines, code, "closed on", &old.closed_on, &new.closed_on, date);
    }
    if old.verdict != new.verdict {
        lines.push(format!("{code} verdict: {}", or_none(new.verdict.as_deref(), one_line)));
    }
    if !state_changed && old.commitment != new.commitment {
        lines.push(format!("{code} commitment changed"));
    }
    if !state_changed && old.record != new.record {
        lines.push(format!("{code} record changed"));
    }
    retro(&old.retro, &new.retro, code, lines);
}

fn retro(before: &[PlanRetroNote], after: &[PlanRetroNote], sprint: &str, lines: &mut Vec<String>) {
    let key = |_: usize, note: &PlanRetroNote| key_or(note.id.as_ref(), || format!("{} {}", note.kind, note.text));
    let kind = |note: &PlanRetroNote| one_line(&note.kind.replace('_', " "));
    let matched = match_by(before, after, key);
    for &(was, at) in &matched.pairs {
        if before[was] != after[at] {
            lines.push(format!("{sprint} retro note changed ({}): {}", kind(&after[at]), quoted(&after[at].text)));
        }
    }
    for &new in &matched.added {
        lines.push(format!("{sprint} retro note added ({}): {}", kind(&after[new]), quoted(&after[new].text)));
    }
    for &was in &matched.removed {
        lines.push(format!("{sprint} retro note removed ({}): {}", kind(&before[was]), quoted(&before[was].text)));
    }
}

pub(super) fn team(before: &Plan, after: &Plan, lines: &mut Vec<String>) {
    let matched = match_by(&before.team, &after.team, |_, member| key_or(member.id.as_ref(), || member.name.clone()));
    for &(was, at) in &matched.pairs {
        member_changes(&before.team[was], &after.team[at], lines);
    }
    for &new in &matched.added {
        let member = &after.team[new];
        lines.push(format!("added {} to the team (focus {}%)", one_line(&member.name), member.focus_factor));
    }
    for &was in &matched.removed {
        lines.push(format!("removed {} from the team", one_line(&before.team[was].name)));
    }
}

fn member_changes(old: &PlanMember, new: &PlanMember, lines: &mut Vec<String>) {
    let name = one_line(&new.name);
    if old.name != new.name {
        lines.push(format!("{} is now called {name}", one_line(&old.name)));
    }
    changed(lines, &name, "focus", &old.focus_factor, &new.focus_factor, |focus| format!("{focus}%"));
    let sprints = old.days_off.len().max(new.days_off.len());
    for at in 0..sprints {
        let days = |list: &[f64]| list.get(at).copied().unwrap_or(0.0);
        let (was, now) = (days(&old.days_off), days(&new.days_off));
        let code = codes::sprint(place(at));
        changed(lines, &name, &format!("days off in {code}"), &was, &now, |days| number(*days));
    }
    if old.roles != new.roles {
        let roles = if new.roles.is_empty() { String::from("none") } else { one_line(&new.roles.join(", ")) };
        lines.push(format!("{name} roles: {roles}"));
    }
}
