//! The backlog's order and the item numbers people say aloud, settled over
//! the whole merged backlog once its items are merged.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::order::merge_orders;
use super::tree::{key, list, list_mut};
use super::{Renumbered, Side};
use crate::{domain::RANK_GAP, plan::Plan};

/// The items' keys in backlog order: by rank, the items without one after
/// in the order of the file (as the board loads a plan).
pub(super) fn backlog_order(plan: &Plan, items: &[Value]) -> Vec<String> {
    let mut order: Vec<(Option<i64>, usize, &str)> =
        plan.items.iter().zip(items).enumerate().map(|(i, (item, tree))| (item.rank, i, key(tree))).collect();
    order.sort_by_key(|(rank, i, _)| (rank.is_none(), *rank, *i));
    order.into_iter().map(|(_, _, id)| id.to_owned()).collect()
}

/// Puts the merged items in the merged backlog order (`orders`: base's,
/// mine's, theirs'). Ranks that already rise along it are kept, so a side
/// whose order wins keeps its ranks; else every item is ranked afresh. The
/// items are then listed by number, as `export` writes them; a plan with no
/// ranks at all keeps none, and its list order is the backlog's.
pub(super) fn rank_items(root: &mut Value, orders: &[Vec<String>; 3]) {
    let Some(items) = root.get_mut("items").and_then(Value::as_array_mut) else { return };
    let keep: HashSet<String> = items.iter().map(|item| key(item).to_owned()).collect();
    let order = merge_orders(&orders[0], &orders[1], &orders[2], &keep);
    let mut by_key: HashMap<String, Value> = items.drain(..).map(|item| (key(&item).to_owned(), item)).collect();
    let mut ordered: Vec<Value> = order.iter().filter_map(|id| by_key.remove(id)).collect();
    let ranks: Vec<Option<i64>> = ordered.iter().map(|item| item.get("rank").and_then(Value::as_i64)).collect();
    if ranks.iter().all(Option::is_none) {
        *items = ordered;
        return;
    }
    let rising = ranks.windows(2).all(|pair| matches!(pair, [Some(a), Some(b)] if a < b)) && ranks[0].is_some();
    if !rising {
        for (item, place) in ordered.iter_mut().zip(1_i64..) {
            item["rank"] = Value::from(place * RANK_GAP);
        }
    }
    // Stable: items without a number stay in backlog order, after the rest.
    ordered.sort_by_key(|item| item.get("number").and_then(Value::as_i64).map_or((true, 0), |number| (false, number)));
    *items = ordered;
}

/// Gives each item its own number: of items with one number (both sides
/// added an item as the next one), theirs keeps it (in a sync theirs is
/// the remote, whose numbers people have already said aloud) and the
/// others take the next numbers past every number used on either side, in
/// id order. Where theirs holds none of them, the one whose id sorts first
/// keeps it. Returns each renumbering; `mine_items` tells which side added
/// the item.
pub(super) fn renumber_items(
    root: &mut Value,
    used: Option<i64>,
    mine_items: Option<&Value>,
    theirs_items: Option<&Value>,
) -> Vec<Renumbered> {
    let mine: HashSet<&str> = mine_items.and_then(Value::as_array).into_iter().flatten().map(key).collect();
    let theirs: HashMap<&str, i64> = theirs_items
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| Some((key(item), item.get("number")?.as_i64()?)))
        .collect();
    let items = list(root, "items");
    let highest = items.iter().filter_map(|item| item.get("number")?.as_i64()).max().unwrap_or(0);
    let mut next = used.unwrap_or(0).max(highest) + 1;
    let mut holders: HashMap<i64, Vec<String>> = HashMap::new();
    for item in items {
        if let Some(number) = item.get("number").and_then(Value::as_i64) {
            holders.entry(number).or_default().push(key(item).to_owned());
        }
    }
    let mut shared: Vec<(i64, Vec<String>)> = holders.into_iter().filter(|(_, ids)| ids.len() > 1).collect();
    shared.sort();
    let mut new_numbers: HashMap<String, (i64, i64)> = HashMap::new();
    for (number, mut ids) in shared {
        ids.sort();
        let keeper = ids.iter().position(|id| theirs.get(id.as_str()) == Some(&number)).unwrap_or(0);
        ids.remove(keeper);
        for id in ids {
            new_numbers.insert(id, (number, next));
            next += 1;
        }
    }
    let mut renumbered = Vec::new();
    for item in list_mut(root, "items") {
        let id = key(item).to_owned();
        if let Some(&(from, to)) = new_numbers.get(&id) {
            item["number"] = Value::from(to);
            let title = item.get("title").and_then(Value::as_str).unwrap_or_default().to_owned();
            let side = if mine.contains(id.as_str()) { Side::Mine } else { Side::Theirs };
            renumbered.push(Renumbered { id, title, side, from, to });
        }
    }
    renumbered.sort_by_key(|renumbered| renumbered.to);
    renumbered
}
