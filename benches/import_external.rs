//! Criterion benchmark of `import --from` at 100,000 items (issue 17: under
//! 2 s, flat memory): items made in code as a reader gives them, one at a
//! time (the readers are built on another branch; this measures the
//! mapping, the store's writes and the undo log), imported into a board
//! with a quarter, as one step. Whole-process figures: docs/benchmarks.md.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use quarterdeck::{
    domain::{settings::QuarterSettings, values::SprintSpan},
    import::{ExternalItem, Source, StatusCategory, mapping::Maps},
    ops::{
        self, Command,
        external::{ExternalImport, import_external},
    },
    store::Store,
};

const ITEMS: usize = 100_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()
}

/// Item `n` as a Jira row would give it: every fifth done, every tenth a
/// bug, a description and a comment-sized text.
fn item(n: usize) -> ExternalItem {
    ExternalItem {
        line: n + 2,
        key: format!("PROJ-{n}"),
        title: format!("Imported story number {n} of the backlog"),
        description: "As a buyer I want to pay in one click\nso that checkout is quick.".to_owned(),
        points: Some((n % 8) as f64),
        status: "To Do".to_owned(),
        category: if n.is_multiple_of(5) { StatusCategory::Done } else { StatusCategory::Todo },
        labels: vec!["checkout".to_owned(), "web".to_owned()],
        sprints: Vec::new(),
        kind: Some(if n.is_multiple_of(10) { "Bug" } else { "Story" }.to_owned()),
        parent: None,
        priority: Some("Medium".to_owned()),
        created: None,
        updated: None,
        done_at: None,
        notes: Vec::new(),
        depends: Vec::new(),
        extra: Vec::new(),
    }
}

fn board(folder: &std::path::Path) -> Store {
    let mut store = Store::open(&folder.join("board.sqlite3")).unwrap();
    let span = SprintSpan::new(6, 2).unwrap();
    let init = Command::InitQuarter { label: "2027-Q1".into(), start: today(), span, settings: QuarterSettings::default() };
    ops::apply(&mut store, &init, today()).unwrap();
    store
}

fn import(c: &mut Criterion) {
    let maps = Maps::default();
    let how = ExternalImport {
        source: Source::JiraCsv,
        maps: &maps,
        overwrite: false,
        dry_run: false,
        step: "Imported".into(),
        list_all: true,
    };
    let mut group = c.benchmark_group("import_external");
    group.sample_size(10);
    group.bench_function("jira_100000", |b| {
        b.iter_batched(
            || {
                let folder = tempfile::tempdir().unwrap();
                let store = board(folder.path());
                (folder, store)
            },
            |(folder, mut store)| {
                let report = import_external(&mut store, &how, (0..ITEMS).map(|n| Ok(item(n))), today()).unwrap();
                assert_eq!(report.created.len(), ITEMS);
                (folder, store)
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
