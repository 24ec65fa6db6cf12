//! Criterion benchmarks of the plan file at 10,000 items (issue 16: each
//! under 1 s): exporting the quarter (read and written as TOML), and
//! importing that text into an empty board (parsed, checked and written
//! as one undoable step). Whole-process figures: docs/benchmarks.md.

#![allow(clippy::unwrap_used)]

mod common;

use common::{board, today};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use quarterdeck::{
    plan::Plan,
    store::{Store, plan_to_toml},
};

const ITEMS: usize = 10_000;

fn export_and_import(c: &mut Criterion) {
    let store = Store::open(&board(ITEMS)).unwrap();
    let quarter = store.quarter_by_label(None).unwrap().unwrap();
    let mut group = c.benchmark_group("plan_file");
    group.sample_size(10);
    group.bench_function("export_10000", |b| b.iter(|| plan_to_toml(&store.export_plan(quarter).unwrap()).unwrap()));
    let text = plan_to_toml(&store.export_plan(quarter).unwrap()).unwrap();
    group.bench_function("import_10000", |b| {
        b.iter_batched(
            || {
                let folder = tempfile::tempdir().unwrap();
                let empty = Store::open(&folder.path().join("empty.sqlite3")).unwrap();
                (folder, empty)
            },
            |(folder, mut empty)| {
                let plan = Plan::parse_located(&text, "plan.toml").unwrap();
                empty.import_plan_file(&plan, today(), None, "import").unwrap();
                (folder, empty)
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, export_and_import);
criterion_main!(benches);
