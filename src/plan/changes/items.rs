//! Items' changes, and the backlog's order as one line.

use super::words::{changed, one_line, or_none, quoted, text_changed, word};
use super::{KrKeys, key_or, match_by, tag_changes};
use crate::domain::ItemState;
use crate::plan::{Plan, PlanItem};

/// A re-ranked backlog names at most this many moved items.
const MOVED_NAMED: usize = 5;

fn code(item: &PlanItem, at: usize) -> String {
    item.number.map_or_else(|| format!("items[{at}] {}", quoted(&item.title)), |number| format!("#{number}"))
}

fn sprint_code(sprint: Option<u32>) -> String {
    sprint.map_or_else(|| String::from("the backlog"), |number| format!("S{number}"))
}

pub(super) fn items(before: &Plan, after: &Plan, lines: &mut Vec<String>) {
    let key = |at: usize, item: &PlanItem| {
        key_or(item.id.as_ref(), || item.number.map_or_else(|| format!("items[{at}]"), |number| format!("#{number}")))
    };
    let matched = match_by(&before.items, &after.items, key);
    let kr_keys = KrKeys::of((before, after));
    let mut added = matched.added.iter().peekable();
    // Lines in after's order (by number, as export writes), each added
    // item where it falls among the changed ones.
    for &(was, at) in &matched.pairs {
        while let Some(&&new) = added.peek().filter(|&&&new| new < at) {
            lines.push(added_line(&after.items[new], new));
            added.next();
        }
        let (was, now) = (&before.items[was], &after.items[at]);
        // Most of a large backlog is unchanged: nothing to say of it.
        if was != now || !kr_keys.same() {
            item_changes(&kr_keys, was, now, &code(now, at), lines);
        }
    }
    lines.extend(added.map(|&new| added_line(&after.items[new], new)));
    for &was in &matched.removed {
        let item = &before.items[was];
        lines.push(format!("removed {} {}", code(item, was), quoted(&item.title)));
    }
    if let Some(line) = reranked(before, after, &matched.pairs) {
        lines.push(line);
    }
}

fn added_line(item: &PlanItem, at: usize) -> String {
    let mut details: Vec<String> = Vec::new();
    details.push(if item.krs.is_empty() { String::from("BAU") } else { item.krs.join(", ") });
    details.push(crate::format::count(item.points, "pt", "pts"));
    details.extend(item.sprint.map(|number| format!("S{number}")));
    if item.state != ItemState::Todo {
        details.push(item.state.as_str().to_owned());
    }
    let details: Vec<String> = details.iter().map(|detail| one_line(detail)).collect();
    format!("added {} {} ({})", code(item, at), quoted(&item.title), details.join(", "))
}

fn item_changes(kr_keys: &KrKeys, before: &PlanItem, after: &PlanItem, code: &str, lines: &mut Vec<String>) {
    if before.number != after.number {
        let was = or_none(before.number, |number| format!("#{number}"));
        lines.push(format!("{was} is now {code}"));
    }
    text_changed(lines, code, "title", &before.title, &after.title);
    if before.description != after.description {
        lines.push(format!("{code} description changed"));
    }
    changed(lines, code, "kind", &before.kind, &after.kind, |kind| kind.as_str().to_owned());
    changed(lines, code, "points", &before.points, &after.points, u32::to_string);
    state_lines(before, after, code, lines);
    if before.sprint != after.sprint {
        lines.push(format!("{code} moved to {}", sprint_code(after.sprint)));
    }
    let (tagged, untagged) = tag_changes(kr_keys, &before.krs, &after.krs);
    if !tagged.is_empty() {
        lines.push(format!("{code} tagged {}", one_line(&tagged.join(", "))));
    }
    if !untagged.is_empty() {
        let bau = if after.krs.is_empty() { " (now BAU)" } else { "" };
        lines.push(format!("{code} untagged {}{bau}", one_line(&untagged.join(", "))));
    }
    text_changed(lines, code, "deferred because", &before.deferred_reason, &after.deferred_reason);
    if before.other_krs != after.other_krs {
        lines.push(format!("{code} tags of other quarters changed"));
    }
    flag(lines, code, before.needs_retag, after.needs_retag, "waits for this quarter's KR tags");
    flag(lines, code, before.done_in_earlier_quarter, after.done_in_earlier_quarter, "done in an earlier quarter");
    if before.external != after.external {
        let origin = or_none(after.external.as_ref(), |external| one_line(&format!("{} {}", external.source, external.key)));
        lines.push(format!("{code} imported from: {origin}"));
    }
}

fn flag(lines: &mut Vec<String>, code: &str, before: bool, after: bool, what: &str) {
    if before != after {
        let not = if after { "" } else { "no longer " };
        lines.push(format!("{code} {not}{what}"));
    }
}

fn state_lines(before: &PlanItem, after: &PlanItem, code: &str, lines: &mut Vec<String>) {
    let day = |done_on: Option<chrono::NaiveDate>| done_on.map(|day| format!(" on {day}")).unwrap_or_default();
    match (before.state, after.state) {
        (was, ItemState::Done) if was != ItemState::Done => lines.push(format!("{code} done{}", day(after.done_on))),
        (ItemState::Done, now) if now != ItemState::Done => lines.push(format!("{code} reopened ({})", now.as_str())),
        (was, now) if was != now => lines.push(format!("{code} state {} → {}", word(&was), word(&now))),
        _ => changed(lines, code, "done on", &before.done_on, &after.done_on, |day| or_none(*day, |day| day.to_string())),
    }
}

/// The items in both plans in backlog order: by rank, those without one
/// after in file order (as the board loads a plan); `side` picks a pair's
/// place in that plan.
fn backlog(items: &[PlanItem], pairs: &[(usize, usize)], side: fn(&(usize, usize)) -> usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_by_key(|&pair| {
        let at = side(&pairs[pair]);
        (items[at].rank.is_none(), items[at].rank, at)
    });
    order
}

/// `backlog re-ranked (#4, #9 moved)`: the fewest items whose moves turn
/// before's order of the items both hold into after's (those off the
/// longest run the two orders share), or none when the order is the same.
fn reranked(before: &Plan, after: &Plan, pairs: &[(usize, usize)]) -> Option<String> {
    let before_order = backlog(&before.items, pairs, |pair| pair.0);
    let after_order = backlog(&after.items, pairs, |pair| pair.1);
    let mut place_after = vec![0; pairs.len()];
    for (place, &pair) in after_order.iter().enumerate() {
        place_after[pair] = place;
    }
    let sequence: Vec<usize> = before_order.iter().map(|&pair| place_after[pair]).collect();
    let staying = longest_rising(&sequence);
    if staying.len() == sequence.len() {
        return None;
    }
    let mut stays = vec![false; pairs.len()];
    for &at in &staying {
        stays[before_order[at]] = true;
    }
    let mut moved: Vec<(Option<i64>, String)> = (0..pairs.len())
        .filter(|&pair| !stays[pair])
        .map(|pair| {
            let at = pairs[pair].1;
            (after.items[at].number, code(&after.items[at], at))
        })
        .collect();
    moved.sort();
    let more = moved.len().saturating_sub(MOVED_NAMED);
    let named: Vec<String> = moved.into_iter().take(MOVED_NAMED).map(|(_, code)| code).collect();
    let more = if more > 0 { format!(" and {more} more") } else { String::new() };
    Some(format!("backlog re-ranked ({}{more} moved)", named.join(", ")))
}

/// The places of one longest strictly rising run in `sequence`
/// (patience sorting, n log n: a backlog may hold 10,000 items).
fn longest_rising(sequence: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; sequence.len()];
    for (at, &value) in sequence.iter().enumerate() {
        let length = tails.partition_point(|&tail| sequence[tail] < value);
        previous[at] = length.checked_sub(1).map(|before| tails[before]);
        if length == tails.len() {
            tails.push(at);
        } else {
            tails[length] = at;
        }
    }
    let mut run = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(place) = at {
        run.push(place);
        at = previous[place];
    }
    run.reverse();
    run
}
