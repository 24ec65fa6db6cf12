//! Criterion benchmark of reading a 100,000-row Jira CSV export with
//! `quarterdeck::import::read` (issue 17: the whole import, reading and
//! writing, under 2 s with flat memory; reading is the small share
//! measured here). Peak memory: examples/read_import.rs under
//! `/usr/bin/time -v`. Figures: docs/benchmarks.md.

#![allow(clippy::unwrap_used)]

mod import_data;

use std::{fs::File, io::BufReader};

use criterion::{Criterion, criterion_group, criterion_main};
use quarterdeck::import::{Source, read};

const ROWS: usize = 100_000;

fn read_jira_csv(c: &mut Criterion) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("jira.csv");
    import_data::write_jira_csv(&path, ROWS);
    let mut group = c.benchmark_group("import_read");
    group.sample_size(10);
    group.bench_function("jira_csv_100000", |b| {
        b.iter(|| {
            let items = read(Source::JiraCsv, BufReader::new(File::open(&path).unwrap())).unwrap();
            let read_items = items.map(Result::unwrap).count();
            assert_eq!(read_items, ROWS);
        });
    });
    group.finish();
}

criterion_group!(benches, read_jira_csv);
criterion_main!(benches);
