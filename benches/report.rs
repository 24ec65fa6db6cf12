//! Criterion benchmark of `report quarter` on a 10,000-item quarter (target
//! under 500 ms, docs/benchmarks.md): the board read, every figure gathered
//! through the board's own review, charts and health, and the page written,
//! in Markdown and in HTML, to memory.

#![allow(clippy::unwrap_used)]

mod common;

use common::{board, today};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use quarterdeck::{
    cli::report::{self, ReportCommand, ReportFormat},
    store::Store,
};

fn bench_report_quarter(c: &mut Criterion) {
    let mut group = c.benchmark_group("report_quarter");
    let items = 10_000;
    let path = board(items);
    let store = Store::open_read_only(&path).unwrap();
    for format in [ReportFormat::Markdown, ReportFormat::Html] {
        let command = ReportCommand::Quarter { quarter: None, to: report::ReportArgs { format: Some(format), out: None } };
        group.bench_function(BenchmarkId::new(format!("{format:?}").to_lowercase(), items), |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(1 << 20);
                report::run(&store, &command, today(), &mut out).unwrap();
                assert!(out.len() > 1000);
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench_report_quarter);
criterion_main!(benches);
