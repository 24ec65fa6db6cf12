//! Criterion benchmarks of a sync's merge on a 10,000-item board (issue
//! 19: writing and merging 100 changed items under 1 s in all): the board
//! exported to a plan, `plan::merge3` of two sides that each changed 100
//! items (points, titles, states, sprints; theirs also added items and mine
//! re-ranked some), the merged plan written as TOML, the three together,
//! and `plan::describe_changes` of the 100 changes. Results:
//! docs/benchmarks.md, "Sync: merging plan files".

#![allow(clippy::unwrap_used)]

mod common;

use std::hint::black_box;

use common::board;
use criterion::{Criterion, criterion_group, criterion_main};
use quarterdeck::{
    domain::ItemState,
    plan::{Plan, describe_changes, merge3},
    store::{Store, plan_to_toml},
};

const ITEMS: usize = 10_000;
const CHANGED: usize = 100;

/// `base` with `CHANGED` items changed, every `stride`th from `first`.
fn changed(base: &Plan, first: usize, stride: usize, side: &str) -> Plan {
    let mut plan = base.clone();
    let count = plan.items.len();
    for (n, at) in (first..).step_by(stride).take(CHANGED).map(|at| at % count).enumerate() {
        let item = &mut plan.items[at];
        match n % 4 {
            0 => item.points += 1,
            1 => item.title = format!("{} ({side})", item.title),
            2 => {
                item.state = ItemState::Done;
                item.done_on = Some(common::today());
            }
            _ => item.rank = item.rank.map(|rank| rank / 2 + n as i64),
        }
    }
    plan
}

fn sync_merge(c: &mut Criterion) {
    let store = Store::open(&board(ITEMS)).unwrap();
    let quarter = store.quarter_by_label(None).unwrap().unwrap();
    let base = store.export_plan(quarter).unwrap();
    let mine = changed(&base, 3, 97, "mine");
    let mut theirs = changed(&base, 50, 89, "theirs");
    let next = theirs.item_numbers_used.unwrap_or(0);
    for n in 1..=5 {
        let mut item = theirs.items[0].clone();
        let id = format!("00000000-0000-7000-8000-{n:012x}");
        (item.id, item.number, item.title) = (Some(id), Some(next + n), format!("Added on the other laptop {n}"));
        theirs.items.push(item);
    }
    theirs.item_numbers_used = Some(next + 5);

    let mut group = c.benchmark_group("sync_merge");
    group.sample_size(10);
    group.bench_function("export_10000", |b| b.iter(|| store.export_plan(quarter).unwrap()));
    group.bench_function("merge3_100_each", |b| b.iter(|| merge3(&base, &mine, &theirs).unwrap()));
    let merged = merge3(&base, &mine, &theirs).unwrap();
    assert!(merged.problem.is_none(), "{:?}", merged.problem);
    group.bench_function("plan_to_toml_10000", |b| b.iter(|| plan_to_toml(&merged.plan).unwrap()));
    group.bench_function("export_merge_toml", |b| {
        b.iter(|| {
            // The board as the sync exports it; the merge takes `mine`,
            // the same board with its 100 changes.
            black_box(store.export_plan(quarter).unwrap());
            let merge = merge3(&base, &mine, &theirs).unwrap();
            black_box(plan_to_toml(&merge.plan).unwrap())
        });
    });
    let lines = describe_changes(&base, &mine);
    assert!(lines.len() >= CHANGED / 2, "{} lines", lines.len());
    group.bench_function("describe_changes_100", |b| b.iter(|| describe_changes(&base, &mine)));
    group.finish();
}

criterion_group!(benches, sync_merge);
criterion_main!(benches);
