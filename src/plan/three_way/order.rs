//! Three orders of one list (the backlog, the objectives, a KR's check-ins)
//! merged so that both sides' moves survive.
//!
//! The rule: an object keeps its base place unless a side moved it. A side
//! moved an object when it is not on the longest run of that side's list
//! that keeps the base order (so moving one item up moves that item, not
//! the ten it jumped over); an object a side added counts as moved by it.
//! Objects no side moved keep the base order. Each moved object is then put
//! right after its neighbour above in the order of the side that moved it
//! (skipping neighbours that the merge drops), the top when it has none.
//! Objects that want the same neighbour go in the order of their ids, and
//! an object both sides moved takes the higher of its two places (ties: the
//! side whose neighbour above has the smaller id), so swapping mine and
//! theirs gives the same order.

use std::collections::{HashMap, HashSet};

/// The merged order of the ids in `keep`, from the base's, mine's and
/// theirs' orders of the list.
pub(super) fn merge_orders(base: &[String], mine: &[String], theirs: &[String], keep: &HashSet<String>) -> Vec<String> {
    let mine_run = stable_run(base, mine);
    let theirs_run = stable_run(base, theirs);
    let mine_place: HashMap<&str, usize> = places(mine);
    let theirs_place: HashMap<&str, usize> = places(theirs);
    let in_base: HashSet<&str> = base.iter().map(String::as_str).collect();
    // Objects of the base each side moved (added ones are not in these).
    let moved = |place: &HashMap<&str, usize>, run: &HashSet<&str>| -> HashSet<String> {
        base.iter().filter(|id| place.contains_key(id.as_str()) && !run.contains(id.as_str())).cloned().collect()
    };
    let (mine_moved, theirs_moved) = (moved(&mine_place, &mine_run), moved(&theirs_place, &theirs_run));

    let mut result: Vec<String> = base
        .iter()
        .filter(|id| keep.contains(*id) && !mine_moved.contains(*id) && !theirs_moved.contains(*id))
        .cloned()
        .collect();
    let mut pending: Vec<Pending> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for id in mine.iter().chain(theirs).filter(|id| keep.contains(*id)) {
        if !seen.insert(id.as_str()) {
            continue;
        }
        let added = !in_base.contains(id.as_str());
        let by_mine = mine_place.contains_key(id.as_str()) && (added || mine_moved.contains(id));
        let by_theirs = theirs_place.contains_key(id.as_str()) && (added || theirs_moved.contains(id));
        let mine_side = (mine, &mine_moved, &theirs_moved);
        let theirs_side = (theirs, &theirs_moved, &mine_moved);
        let (order, own_moves, others_moves) = match (by_mine, by_theirs) {
            (false, false) => continue,
            (true, false) => mine_side,
            (false, true) => theirs_side,
            (true, true) => {
                if std::ptr::eq(higher_place(id, mine, theirs, &mine_place, &theirs_place, keep), mine) {
                    mine_side
                } else {
                    theirs_side
                }
            }
        };
        // A moved object follows a neighbour the other side left in place
        // (theirs sank `a` below `e`; mine raising `e` does not carry `a`
        // up with it); an added one keeps its neighbour whatever happened
        // to it.
        let skip =
            |other: &String| !keep.contains(other) || (!added && others_moves.contains(other) && !own_moves.contains(other));
        let place = order.iter().position(|other| other == id).unwrap_or(0);
        let above = order[..place].iter().rev().find(|other| !skip(other)).cloned();
        pending.push(Pending { id: id.clone(), order, above });
    }
    pending.sort_by(|a, b| a.id.cmp(&b.id));
    place_pending(&mut result, pending);
    // Defensive: an id kept that no list holds goes last, in id order.
    let placed: HashSet<&String> = result.iter().collect();
    let mut missing: Vec<String> = keep.iter().filter(|id| !placed.contains(id)).cloned().collect();
    missing.sort();
    result.extend(missing);
    result
}

/// A moved object waiting for its place: after `above` (the top if none),
/// in the order of the side that moved it.
struct Pending<'o> {
    id: String,
    order: &'o [String],
    above: Option<String>,
}

fn places(order: &[String]) -> HashMap<&str, usize> {
    order.iter().enumerate().map(|(place, id)| (id.as_str(), place)).collect()
}

/// Of an object both sides moved, the order that puts it higher.
fn higher_place<'o>(
    id: &str,
    mine: &'o [String],
    theirs: &'o [String],
    mine_place: &HashMap<&str, usize>,
    theirs_place: &HashMap<&str, usize>,
    keep: &HashSet<String>,
) -> &'o [String] {
    let (m, t) = (mine_place[id], theirs_place[id]);
    if m != t {
        return if m < t { mine } else { theirs };
    }
    let above = |order: &'o [String], place: usize| order[..place].iter().rev().find(|other| keep.contains(*other));
    if above(theirs, t) < above(mine, m) { theirs } else { mine }
}

/// Puts each moved object after its neighbour once that is placed;
/// `pending` is in id order, which orders objects after one neighbour.
fn place_pending(result: &mut Vec<String>, mut pending: Vec<Pending>) {
    let mut in_result: HashSet<String> = result.iter().cloned().collect();
    while !pending.is_empty() {
        let ready = |waiting: &Pending| waiting.above.as_ref().is_none_or(|above| in_result.contains(above));
        let chosen: Vec<(String, Option<String>)> = if pending.iter().any(ready) {
            let (now, later): (Vec<Pending>, Vec<Pending>) = pending.into_iter().partition(ready);
            pending = later;
            now.into_iter().map(|waiting| (waiting.id, waiting.above)).collect()
        } else {
            // Moves that chase each other (mine put a after b, theirs b
            // after a): the smallest id goes after its nearest neighbour
            // above that is already placed.
            let waiting = pending.remove(0);
            let place = waiting.order.iter().position(|other| *other == waiting.id).unwrap_or(0);
            let above = waiting.order[..place].iter().rev().find(|other| in_result.contains(*other)).cloned();
            vec![(waiting.id, above)]
        };
        // Objects after one neighbour go in id order: insert the last first.
        for (id, above) in chosen.into_iter().rev() {
            let at = above.and_then(|above| result.iter().position(|other| *other == above)).map_or(0, |place| place + 1);
            in_result.insert(id.clone());
            result.insert(at, id);
        }
    }
}

/// The ids of `side` on its longest run in base order (objects it did not
/// move), found as the longest increasing run of their base places.
fn stable_run<'s>(base: &[String], side: &'s [String]) -> HashSet<&'s str> {
    let base_place = places(base);
    let sequence: Vec<(usize, &'s str)> =
        side.iter().filter_map(|id| base_place.get(id.as_str()).map(|place| (*place, id.as_str()))).collect();
    // Patience sorting: tails[k] ends the best run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; sequence.len()];
    for (i, (place, _)) in sequence.iter().enumerate() {
        let length = tails.partition_point(|&t| sequence[t].0 < *place);
        before[i] = length.checked_sub(1).map(|k| tails[k]);
        if length == tails.len() {
            tails.push(i);
        } else {
            tails[length] = i;
        }
    }
    let mut run = HashSet::new();
    let mut at = tails.last().copied();
    while let Some(i) = at {
        run.insert(sequence[i].1);
        at = before[i];
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    fn merged(base: &str, mine: &str, theirs: &str) -> String {
        let keep: HashSet<String> = ids(mine).into_iter().chain(ids(theirs)).collect();
        merge_orders(&ids(base), &ids(mine), &ids(theirs), &keep).join(" ")
    }

    #[test]
    fn one_side_reordering_gives_its_order() {
        assert_eq!(merged("a b c d e", "e a c b d", "a b c d e"), "e a c b d");
        assert_eq!(merged("a b c d e", "a b c d e", "d a b e c"), "d a b e c");
    }

    #[test]
    fn moves_on_both_sides_both_survive() {
        // Mine raised e to the top; theirs sank a to the bottom.
        assert_eq!(merged("a b c d e", "e a b c d", "b c d e a"), "e b c d a");
    }

    #[test]
    fn added_items_keep_their_neighbour_above_and_tie_by_id() {
        assert_eq!(merged("a b c", "a x b c", "a b y c"), "a x b y c");
        assert_eq!(merged("a b c", "a y b c", "a x b c"), "a x y b c");
        assert_eq!(merged("a b c", "a x b c", "a y b c"), "a x y b c");
    }

    #[test]
    fn an_item_moved_both_ways_takes_the_higher_place_and_chasing_moves_end() {
        assert_eq!(merged("a b c d", "d a b c", "a b d c"), "d a b c");
        assert_eq!(merged("a b c d", "a b d c", "d a b c"), "d a b c");
        let chase = merged("a b", "b a", "b a");
        assert_eq!(chase, "b a");
    }
}
