//! The three readers of `quarterdeck import` through the library
//! (`quarterdeck::import::read`), on the fixtures in
//! tests/fixtures/import/ (its README says what each file covers). The
//! expected values were counted by hand from the fixtures.

use std::{fs::File, io::BufReader, path::PathBuf};

use chrono::NaiveDateTime;
use proptest::prelude::*;
use quarterdeck::import::{ExternalItem, ExternalNote, ReadError, Source, StatusCategory, read};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

/// Every item of a fixture, or the first error.
fn items(source: Source, name: &str) -> Result<Vec<ExternalItem>, ReadError> {
    let file = File::open(fixture(name)).expect("fixture opens");
    read(source, BufReader::new(file))?.collect()
}

fn read_all(source: Source, name: &str) -> Vec<ExternalItem> {
    items(source, name).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn read_error(source: Source, name: &str) -> ReadError {
    match items(source, name) {
        Ok(items) => panic!("{name} read without an error: {} items", items.len()),
        Err(error) => error,
    }
}

fn at(text: &str) -> Option<NaiveDateTime> {
    Some(NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("test date"))
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| (*value).to_owned()).collect()
}

fn by_key<'i>(items: &'i [ExternalItem], key: &str) -> &'i ExternalItem {
    items.iter().find(|item| item.key == key).unwrap_or_else(|| panic!("no item {key}"))
}

#[test]
fn a_jira_export_with_a_bom_crlf_and_repeated_columns_gives_every_field() {
    let items = read_all(Source::JiraCsv, "jira_all_fields.csv");
    let keys: Vec<_> = items.iter().map(|item| (item.key.as_str(), item.line)).collect();
    assert_eq!(keys, [("CHK-101", 2), ("CHK-102", 5), ("ONB-7", 6), ("ONB-8", 7), ("CHK-110", 8), ("CHK-111", 9)]);
    assert_eq!(
        items[0],
        ExternalItem {
            line: 2,
            key: "CHK-101".into(),
            title: "Pay with a saved card in one tap".into(),
            description: "Saved cards show first, newest on top.\n\"One tap\" means: no CVC prompt, no redirect.\n\
                          Edge cases: expired cards, 3-D Secure."
                .into(),
            points: Some(5.0),
            status: "In Progress".into(),
            category: StatusCategory::Doing,
            labels: strings(&["checkout", "mobile", "Payments"]),
            sprints: strings(&["Team Sprint 13", "Team Sprint 14"]),
            kind: Some("Story".into()),
            parent: None,
            priority: Some("High".into()),
            created: at("2026-10-12 15:05"),
            updated: at("2026-10-14 09:40"),
            done_at: None,
            notes: vec![ExternalNote {
                at: at("2026-10-13 10:12"),
                author: "ana.silva".into(),
                body: "Design review done; see the \"tap\" flow in Figma".into(),
            }],
            depends: vec![],
            extra: vec![("Issue id".into(), "10101".into()), ("Assignee".into(), "ana.silva".into())],
        }
    );
}

#[test]
fn a_jira_sub_task_takes_its_parent_key_points_from_the_second_column_and_24_hour_dates() {
    let items = read_all(Source::JiraCsv, "jira_all_fields.csv");
    let sub_task = by_key(&items, "CHK-102");
    assert_eq!(sub_task.kind.as_deref(), Some("Sub-task"));
    assert_eq!(sub_task.parent.as_deref(), Some("10101"), "Parent id as written: CHK-101's Issue id");
    assert!(items[0].extra.contains(&("Issue id".into(), "10101".into())), "for the import to match it");
    assert_eq!(sub_task.points, Some(2.0), "Story Points, the estimate column being empty");
    assert_eq!(sub_task.category, StatusCategory::Todo);
    assert_eq!(sub_task.labels, strings(&["checkout", "Payments"]), "the second Component/s column");
    assert_eq!(sub_task.sprints, strings(&["Team Sprint 14"]), "the second Sprint column alone");
    assert_eq!(sub_task.created, at("2026-10-12 15:20"));
    assert_eq!(sub_task.updated, at("2026-10-13 08:05"));
    assert!(sub_task.notes.is_empty() && sub_task.description.is_empty());
}

#[test]
fn jira_iso_dates_resolutions_comments_and_labels_counted_once() {
    let items = read_all(Source::JiraCsv, "jira_all_fields.csv");
    let done = by_key(&items, "ONB-7");
    assert_eq!(done.category, StatusCategory::Done);
    assert_eq!(done.created, at("2026-10-05 08:30"));
    assert_eq!(done.done_at, at("2026-10-09 16:45"), "the offset is dropped, the wall clock kept");
    assert_eq!(done.labels, strings(&["onboarding", "email"]), "onboarding twice in Labels and once in Component/s");
    assert_eq!(done.notes.len(), 2);
    assert_eq!(done.notes[0].body, "Fixed, deployed; verified on iOS; Android next");
    assert_eq!(
        done.notes[1],
        ExternalNote { at: at("2026-10-10 09:00"), author: "ana.silva".into(), body: "Android verified too".into() }
    );
    assert_eq!(done.priority.as_deref(), Some("Highest"));

    let wont_do = by_key(&items, "ONB-8");
    assert_eq!((wont_do.status.as_str(), wont_do.category), ("Closed", StatusCategory::Canceled));
    assert_eq!(wont_do.done_at, at("2026-10-10 11:00"));

    let in_review = by_key(&items, "CHK-110");
    assert_eq!((in_review.status.as_str(), in_review.category), ("In Review", StatusCategory::Unknown));
    assert_eq!(in_review.points, Some(3.0), "the first point column wins over Story Points 8");
    assert_eq!(in_review.created, at("2026-10-08 14:30"));

    let backlog = by_key(&items, "CHK-111");
    assert_eq!(backlog.category, StatusCategory::Todo);
    assert_eq!(backlog.description, "Legal wants \"refund\" not \"return\",\neverywhere.");
    assert!(backlog.labels.is_empty() && backlog.sprints.is_empty() && backlog.points.is_none());
}

#[test]
fn jira_cloud_status_category_wins_over_the_word_and_the_parent_is_named_as_written() {
    let items = read_all(Source::JiraCsv, "jira_cloud_status_category.csv");
    let fallen: Vec<_> = items.iter().map(|item| (item.key.as_str(), item.status.as_str(), item.category)).collect();
    assert_eq!(
        fallen,
        [
            ("CHK-200", "In Review", StatusCategory::Doing),
            ("CHK-201", "Ready for QA", StatusCategory::Todo),
            ("CHK-202", "Shipped", StatusCategory::Done),
            ("CHK-203", "Rejected", StatusCategory::Canceled),
        ]
    );
    assert_eq!(items[1].parent.as_deref(), Some("10300"), "Jira Cloud's `Parent` holds the parent's Issue id");
    assert_eq!(items[1].kind.as_deref(), Some("Subtask"));
    assert!(items[1].extra.contains(&("Parent summary".into(), "Guest checkout without an account".into())));
    assert_eq!(items[0].points, Some(8.0));
    assert_eq!(items[0].created, at("2026-10-12 15:05"));
    assert_eq!(items[2].labels, strings(&["checkout", "payments"]));
    assert_eq!(items[2].done_at, at("2026-10-06 12:00"));
}

#[test]
fn a_linear_export_of_30_columns_with_short_rows_and_guarded_text() {
    let items = read_all(Source::LinearCsv, "linear_30_columns.csv");
    let lines: Vec<_> = items.iter().map(|item| (item.key.as_str(), item.line)).collect();
    assert_eq!(lines, [("ENG-42", 2), ("ENG-43", 4), ("ENG-44", 5), ("ENG-45", 6), ("ENG-46", 7)]);
    assert_eq!(
        items[0],
        ExternalItem {
            line: 2,
            key: "ENG-42".into(),
            title: "Retry failed payments once".into(),
            description: "When the PSP times out, retry once.\nNever twice: see the double charge in ENG-31.".into(),
            points: Some(3.0),
            status: "In Progress".into(),
            category: StatusCategory::Doing,
            labels: strings(&["Checkout Q4", "checkout", "payments"]),
            sprints: strings(&["Team Sprint 14"]),
            kind: None,
            parent: None,
            priority: Some("High".into()),
            created: at("2026-10-01 09:00"),
            updated: at("2026-10-13 15:05"),
            done_at: None,
            notes: vec![],
            depends: vec![],
            extra: vec![("Assignee".into(), "li@example.com".into())],
        }
    );
    let guarded = &items[1];
    assert_eq!(guarded.title, "+1 tap checkout for returning users");
    assert_eq!(guarded.description, "- draft -");
    assert_eq!(guarded.labels, strings(&["Checkout Q4", "checkout", "@mobile"]));
    assert_eq!(guarded.sprints, strings(&["Cycle 15"]), "a cycle with a number and no name");
    assert_eq!(guarded.parent.as_deref(), Some("ENG-42"));
    assert_eq!(guarded.category, StatusCategory::Todo);
    assert_eq!(items[2].category, StatusCategory::Canceled);
    assert_eq!(
        (items[3].category, items[3].done_at, items[3].priority.clone()),
        (StatusCategory::Done, at("2026-10-09 12:00"), None)
    );
    let short = &items[4];
    assert_eq!((short.category, short.points), (StatusCategory::Todo, Some(1.0)));
    assert_eq!(short.labels, strings(&["onboarding", "growth"]));
    assert!(short.created.is_none() && short.sprints.is_empty());
}

#[test]
fn a_linear_export_of_34_columns_gives_relations_and_falls_custom_statuses_by_date() {
    let items = read_all(Source::LinearCsv, "linear_34_columns.csv");
    assert_eq!(items.len(), 4);
    assert_eq!(items[0].depends, strings(&["ENG-51", "ENG-52"]));
    assert_eq!(items[0].extra[0], ("UUID".into(), "0b6e6f1e-5a0d-4c3e-9a57-1d2f3e4a5b60".into()));
    assert_eq!(items[0].priority.as_deref(), Some("Urgent"));
    assert_eq!((items[1].status.as_str(), items[1].category), ("Duplicate", StatusCategory::Canceled));
    assert!(items[1].extra.contains(&("Duplicate of".into(), "ENG-49".into())));
    assert_eq!((items[2].title.as_str(), items[2].category), ("=Show saved addresses first", StatusCategory::Doing));
    assert_eq!((items[3].key.as_str(), items[3].line, items[3].category), ("ENG-53", 5, StatusCategory::Todo));
}

#[test]
fn a_taskwarrior_array_gives_every_field_and_each_status() {
    let items = read_all(Source::Taskwarrior, "taskwarrior_array.json");
    let fallen: Vec<_> = items.iter().map(|item| (item.line, item.status.as_str(), item.category)).collect();
    assert_eq!(
        fallen,
        [
            (2, "pending", StatusCategory::Todo),
            (3, "pending", StatusCategory::Doing),
            (4, "completed", StatusCategory::Done),
            (5, "deleted", StatusCategory::Deleted),
            (6, "waiting", StatusCategory::Todo),
        ]
    );
    assert_eq!(
        items[0],
        ExternalItem {
            line: 2,
            key: "5f0e3a1c-2b4d-4e6f-8a9b-0c1d2e3f4a01".into(),
            title: "Checkout: show the order total before payment".into(),
            description: String::new(),
            points: Some(3.0),
            status: "pending".into(),
            category: StatusCategory::Todo,
            labels: strings(&["checkout", "payments"]),
            sprints: vec![],
            kind: None,
            parent: None,
            priority: Some("H".into()),
            created: at("2026-10-05 09:00"),
            updated: at("2026-10-12 15:05"),
            done_at: None,
            notes: vec![
                ExternalNote {
                    at: at("2026-10-06 10:15"),
                    author: String::new(),
                    body: "PO: total must include shipping".into()
                },
                ExternalNote { at: at("2026-10-07 08:00"), author: String::new(), body: "Design ready; see board".into() },
            ],
            depends: strings(&["5f0e3a1c-2b4d-4e6f-8a9b-0c1d2e3f4a02"]),
            extra: vec![("estimate".into(), "3".into()), ("team".into(), "web".into())],
        }
    );
    assert_eq!(items[1].points, Some(2.0), "a `points` attribute written as text");
    assert_eq!(items[2].done_at, at("2026-10-09 17:00"));
    assert_eq!(items[4].labels, strings(&["onboarding", "research"]));
    assert!(items[4].extra.contains(&("due".into(), "20261115T000000Z".into())));
}

#[test]
fn taskwarrior_ndjson_reads_depends_as_a_comma_string_and_text_with_braces() {
    let items = read_all(Source::Taskwarrior, "taskwarrior.ndjson");
    assert_eq!(items.iter().map(|item| item.line).collect::<Vec<_>>(), [1, 2, 3]);
    // The template of a recurring task: its instances are the work (skipped in the import).
    assert_eq!((items[0].category, items[0].status.as_str()), (StatusCategory::RecurringTemplate, "recurring"));
    assert!(items[0].extra.contains(&("recur".into(), "weekly".into())));
    assert!(!items[0].extra.iter().any(|(key, _)| key == "mask" || key == "urgency" || key == "id"));
    assert_eq!(items[1].title, "Fraud rules for \"guest\" orders");
    assert_eq!(items[1].depends, strings(&["7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c01", "5f0e3a1c-2b4d-4e6f-8a9b-0c1d2e3f4a01"]));
    assert_eq!((items[1].points, items[1].priority.as_deref()), (Some(5.0), Some("M")));
    assert_eq!(items[1].labels, strings(&["checkout", "risk"]), "the project first, the tag equal to it once");
    assert_eq!(items[2].title, "Onboarding survey — results");
    assert_eq!(items[2].notes[0].body, "62 answers; {braces} and [brackets] in text");
}

/// (source, fixture, line, column, words the message holds)
const ERRORS: &[(Source, &str, usize, Option<&str>, &str)] = &[
    (Source::JiraCsv, "empty.csv", 1, None, "the file is empty"),
    (Source::LinearCsv, "empty.csv", 1, None, "the file is empty"),
    (Source::JiraCsv, "jira_not_jira.csv", 1, None, "no `Issue key` column, so this is not a Jira CSV export (all fields)"),
    (Source::LinearCsv, "linear_not_linear.csv", 1, None, "no `ID` column, so this is not a Linear CSV export"),
    (Source::JiraCsv, "jira_broken_quote.csv", 3, Some("Description"), "a quote opened in this record is never closed"),
    (Source::JiraCsv, "jira_quote_open_in_first_cell.csv", 2, Some("Summary"), "a quote opened in this record is never closed"),
    (Source::JiraCsv, "jira_text_after_quote.csv", 2, Some("Summary"), "this cell has text after its closing quote"),
    (Source::JiraCsv, "jira_too_many_cells.csv", 3, None, "this record has 4 cells where the header has 3"),
    (Source::JiraCsv, "jira_not_utf8.csv", 3, Some("Summary"), "not UTF-8 text: export the file again as UTF-8"),
    (Source::JiraCsv, "jira_bad_date.csv", 3, Some("Resolved"), "`31/Foo/26 9:00 AM` is not a date"),
    (Source::JiraCsv, "jira_bad_points.csv", 2, Some("Custom field (Story Points)"), "`three` is not a number of points"),
    (Source::LinearCsv, "linear_bad_estimate.csv", 2, Some("Estimate"), "`XL` is not a number of points"),
    (Source::Taskwarrior, "taskwarrior_empty.json", 1, None, "the file is empty: run `task export"),
    (Source::Taskwarrior, "taskwarrior_cut_short.json", 3, None, "this task is cut short"),
    (Source::Taskwarrior, "taskwarrior_bad_json.ndjson", 2, None, "this task is not valid JSON"),
    (Source::Taskwarrior, "taskwarrior_bad_date.json", 2, Some("end"), "`yesterday` is not a date"),
    (Source::Taskwarrior, "taskwarrior_not_utf8.ndjson", 2, None, "not UTF-8"),
    (Source::Taskwarrior, "taskwarrior_not_tasks.json", 1, None, "where a task `{` was expected"),
    (Source::Taskwarrior, "taskwarrior_bad_estimate.json", 1, Some("estimate"), "`\"big\"` is not a number of points"),
];

#[test]
fn every_broken_file_names_its_line_column_and_what_to_do() {
    for (source, name, line, column, words) in ERRORS {
        let error = read_error(*source, name);
        assert_eq!((error.line, error.column.as_deref()), (*line, *column), "{name}: {error}");
        assert!(error.message.contains(words), "{name}: {error}");
    }
    assert_eq!(
        read_error(Source::JiraCsv, "jira_bad_points.csv").to_string(),
        "line 2, column Custom field (Story Points): `three` is not a number of points: \
         write a number such as 3 or 0.5, or leave it empty"
    );
    assert_eq!(
        read_error(Source::Taskwarrior, "taskwarrior_bad_json.ndjson").to_string(),
        "line 2: this task is not valid JSON (expected `,` or `}`): export again with `task export`",
        "serde_json's own line and column count within the task, and would mislead"
    );
}

#[test]
fn a_date_in_a_form_jira_does_not_write_says_so_and_which_forms_are_read() {
    assert_eq!(
        read_error(Source::JiraCsv, "jira_numeric_date.csv").to_string(),
        "line 2, column Resolved: `12.10.2026 15:05` is not a date form Jira writes: the import reads \
         `12/Oct/26 3:05 PM`, `12/Oct/26 15:05`, `2026-10-12 15:05` and ISO 8601; export again with \
         Jira's default date format, or fix the cell"
    );
    let error = read_error(Source::JiraCsv, "jira_german_month.csv");
    assert!(error.message.contains("month names are read in English"), "{error}");
}

#[test]
fn a_bad_date_in_a_column_the_import_does_not_keep_does_not_stop_it() {
    let items = read_all(Source::JiraCsv, "jira_unkept_dates.csv");
    assert_eq!(items.len(), 2);
    assert_eq!((items[0].created, items[0].updated, items[0].done_at), (None, None, at("2026-10-14 09:00")));
    assert_eq!(items[1].created, None);
}

#[test]
fn a_quote_inside_an_unquoted_cell_reads_as_text() {
    let items = read_all(Source::JiraCsv, "jira_quote_inside_a_cell.csv");
    assert_eq!(items[0].description, "ab\"cd");
}

#[test]
fn records_before_a_broken_one_are_read_and_the_error_comes_in_its_place() {
    let file = File::open(fixture("jira_bad_date.csv")).expect("fixture opens");
    let results: Vec<_> = read(Source::JiraCsv, BufReader::new(file)).expect("header reads").collect();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().map(|item| item.key.as_str()), Ok("CHK-1"));
    assert!(results[1].is_err());
}

#[test]
fn a_file_of_one_tool_read_as_another_says_which_column_is_missing() {
    let error = read_error(Source::LinearCsv, "jira_all_fields.csv");
    // A statement and what to do, not a question before "; nothing was changed".
    assert_eq!(
        error.message,
        "no `ID` column, so this is not a Linear CSV export: export it again as one, or name the tool that made it with --from"
    );
    let error = read_error(Source::JiraCsv, "linear_30_columns.csv");
    assert_eq!(
        error.message,
        "no `Issue key` column, so this is not a Jira CSV export (all fields): export it again as one, or name the tool that made it with --from"
    );
    let error = read_error(Source::Taskwarrior, "jira_all_fields.csv");
    assert_eq!(error.line, 1);
}

const SOURCES: [Source; 3] = [Source::JiraCsv, Source::LinearCsv, Source::Taskwarrior];
const GOOD_FIXTURES: [&str; 6] = [
    "jira_all_fields.csv",
    "jira_cloud_status_category.csv",
    "linear_30_columns.csv",
    "linear_34_columns.csv",
    "taskwarrior_array.json",
    "taskwarrior.ndjson",
];

/// Reads `bytes` as `source` to the end; every error must name a line
/// within the file.
fn read_never_panics(source: Source, bytes: &[u8]) {
    let lines = bytes.iter().filter(|byte| **byte == b'\n').count() + 1;
    let results: Vec<_> = match read(source, bytes) {
        Ok(items) => items.collect(),
        Err(error) => vec![Err(error)],
    };
    for result in results {
        match result {
            Ok(item) => assert!((1..=lines).contains(&item.line), "item line {} of {lines}", item.line),
            Err(error) => assert!((1..=lines).contains(&error.line), "{error} (of {lines} lines)"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_bytes_never_panic_and_every_error_names_a_line(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for source in SOURCES {
            read_never_panics(source, &bytes);
        }
    }

    #[test]
    fn mutated_fixtures_never_panic_and_every_error_names_a_line(
        fixture_index in 0..GOOD_FIXTURES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3_u8), 1..8),
    ) {
        let mut bytes = std::fs::read(fixture(GOOD_FIXTURES[fixture_index])).expect("fixture reads");
        for (at, byte, how) in edits {
            if bytes.is_empty() { break; }
            let position = at.index(bytes.len());
            match how {
                0 => bytes[position] = byte,
                1 => { bytes.remove(position); }
                _ => bytes.insert(position, byte),
            }
        }
        for source in SOURCES {
            read_never_panics(source, &bytes);
        }
    }
}
