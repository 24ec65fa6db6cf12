//! Criterion benchmarks of the forecast per key result (issue 17: a
//! 10,000-trial forecast for a KR with 1,000 open items under 50 ms): the
//! domain function alone on 1,000 open items (3,500 points, 100 of them
//! unestimated) over twelve closed sprints, and the whole read and
//! forecast of a KR on a 10,000-item board. Results: docs/benchmarks.md.

#![allow(clippy::unwrap_used)]

mod common;

use common::board;
use criterion::{Criterion, criterion_group, criterion_main};
use quarterdeck::{
    domain::forecast::{OpenWork, QuarterSprints, Throughput, forecast},
    store::Store,
};

fn forecasts(c: &mut Criterion) {
    let history: Vec<Throughput> = [21, 34, 18, 27, 30, 25, 16, 33, 29, 22, 26, 31]
        .iter()
        .map(|&points| Throughput { points, items: points as usize / 4 })
        .collect();
    let open = OpenWork { points: 3_500, unestimated: 100, items: 1_000 };
    let quarter = QuarterSprints { first_open: 3, last: 6 };
    let mut group = c.benchmark_group("forecast");
    group.bench_function("kr_with_1000_open_items", |b| b.iter(|| forecast(&history, open, quarter)));

    let store = Store::open(&board(10_000)).unwrap();
    let kr = store.resolve("KR1.1", None).unwrap();
    let quarterdeck::store::Resolved::KeyResult(kr) = kr.object else { panic!("KR1.1 is a KR") };
    group.bench_function("store_read_and_forecast_10000_items", |b| b.iter(|| store.kr_forecast(kr.0).unwrap()));
    group.finish();
}

criterion_group!(benches, forecasts);
criterion_main!(benches);
