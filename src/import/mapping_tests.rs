use chrono::NaiveDate;

use super::*;
use crate::import::ExternalNote;

fn item(key: &str) -> ExternalItem {
    ExternalItem {
        line: 7,
        key: key.to_owned(),
        title: "Export CSV".to_owned(),
        description: String::new(),
        points: Some(3.0),
        status: "To Do".to_owned(),
        category: StatusCategory::Todo,
        labels: Vec::new(),
        sprints: Vec::new(),
        kind: None,
        parent: None,
        priority: None,
        created: None,
        updated: None,
        done_at: None,
        notes: Vec::new(),
        depends: Vec::new(),
        extra: Vec::new(),
    }
}

fn target(id: Id, code: &str, closed: bool) -> SprintTarget {
    SprintTarget { id, code: code.to_owned(), closed }
}

fn maps() -> Maps {
    let mut maps = Maps::default();
    maps.krs.insert(key_of("checkout"), vec![11]);
    maps.krs.insert(key_of("growth"), vec![12, 11]);
    maps.sprints.insert(key_of("Team Sprint 14"), target(102, "S2", false));
    maps.sprint_names.insert(key_of("S1"), target(101, "S1", true));
    maps.sprint_names.insert(key_of("Sprint 1"), target(101, "S1", true));
    maps.sprint_names.insert(key_of("S3"), target(103, "S3", false));
    maps.sprint_names.insert(key_of("Sprint 3"), target(103, "S3", false));
    maps.states.insert(key_of("In Review"), ItemState::Doing);
    // S1 is closed: the first open sprint is S3 (S2 is only a --sprint-map target here).
    maps.first_open_sprint = Some("S3".to_owned());
    maps
}

fn written(mapped: Mapped) -> ToWrite {
    match mapped {
        Mapped::Write(write) => *write,
        Mapped::Skip(skipped) => panic!("skipped: {skipped:?}"),
    }
}

/// Every piece of advice on the row, as one row says it.
fn said(write: &ToWrite) -> Vec<String> {
    write.warnings.iter().chain(&write.sprint_advice).map(|advice| advice.at(write.line, &write.write.key)).collect()
}

#[test]
fn a_plain_item_keeps_its_key_title_points_and_state_and_is_bau_with_no_label_mapped() {
    let write = written(map(Source::JiraCsv, item("PROJ-1"), &maps()).expect("maps"));
    assert_eq!(write.write.source, "jira-csv");
    assert_eq!(write.write.key, "PROJ-1");
    assert_eq!(write.write.fields.title, "Export CSV");
    assert_eq!(write.write.fields.points, 3);
    assert_eq!(write.write.fields.state, ItemState::Todo);
    assert_eq!(write.write.fields.kind, ItemKind::Story);
    assert_eq!(write.write.fields.krs, Vec::<Id>::new(), "no label mapped: BAU");
    assert_eq!(write.write.fields.sprint, None);
    assert!(said(&write).is_empty(), "{:?}", said(&write));
    assert!(!write.write.keep_krs, "a --map was given: the file's labels say the KRs");
}

#[test]
fn labels_map_to_krs_without_case_each_kr_once_and_unmapped_labels_are_ignored() {
    let mut given = item("PROJ-2");
    given.labels = vec!["Checkout".into(), "GROWTH".into(), "frontend".into()];
    let write = written(map(Source::JiraCsv, given, &maps()).expect("maps"));
    assert_eq!(write.write.fields.krs, vec![11, 12]);
}

#[test]
fn the_latest_sprint_that_maps_wins_by_sprint_map_or_by_equal_name() {
    let mut given = item("PROJ-3");
    given.sprints = vec!["Team Sprint 14".into(), "Sprint 3".into(), "Someone else's".into()];
    let write = written(map(Source::JiraCsv, given.clone(), &maps()).expect("maps"));
    assert_eq!(write.write.fields.sprint, Some(103), "Sprint 3 is later than Team Sprint 14");
    given.sprints = vec!["Sprint 3".into(), "team sprint 14".into()];
    let write = written(map(Source::JiraCsv, given, &maps()).expect("maps"));
    assert_eq!(write.write.fields.sprint, Some(102), "--sprint-map, without case");
}

#[test]
fn a_sprint_no_name_maps_leaves_the_item_in_the_backlog_saying_which_flag_to_add() {
    let mut given = item("PROJ-4");
    given.sprints = vec!["Team Sprint 99".into()];
    let write = written(map(Source::JiraCsv, given, &maps()).expect("maps"));
    assert_eq!(write.write.fields.sprint, None);
    let said = said(&write);
    assert_eq!(said.len(), 1);
    assert!(said[0].starts_with("line 7 (PROJ-4): sprint \"Team Sprint 99\""), "{}", said[0]);
    assert!(said[0].contains("--sprint-map \"Team Sprint 99=S3\""), "the first open sprint: {}", said[0]);
}

#[test]
fn the_flag_proposed_for_an_unknown_sprint_names_no_closed_sprint() {
    let mut given = item("PROJ-4");
    given.sprints = vec!["Team Sprint 99".into()];
    let mut all_closed = maps();
    all_closed.first_open_sprint = None;
    let write = written(map(Source::JiraCsv, given, &all_closed).expect("maps"));
    let said = said(&write);
    assert!(!said[0].contains("--sprint-map"), "no open sprint to propose: {}", said[0]);
    assert!(said[0].contains("every sprint of the quarter is closed"), "{}", said[0]);
}

#[test]
fn with_no_map_at_all_an_update_keeps_the_boards_kr_tags() {
    let write = written(map(Source::JiraCsv, item("PROJ-7"), &Maps::default()).expect("maps"));
    assert!(write.write.keep_krs);
}

#[test]
fn a_closed_sprint_is_not_planned_into() {
    let mut given = item("PROJ-5");
    given.sprints = vec!["Sprint 1".into()];
    let write = written(map(Source::JiraCsv, given, &maps()).expect("maps"));
    assert_eq!(write.write.fields.sprint, None);
    assert!(said(&write)[0].contains("is S1, which is closed"), "{:?}", said(&write));
    assert!(said(&write)[0].contains("such as --sprint-map \"Sprint 1=S3\""), "the first open sprint: {:?}", said(&write));
}

#[test]
fn points_are_rounded_and_capped_with_a_warning_naming_the_row() {
    let cases = [
        (Some(2.5), 3, Some("line 7 (PROJ-6): 2.5 points rounded to 3: points are whole numbers")),
        (Some(2.0), 2, None),
        (Some(250.0), MAX_POINTS, Some("line 7 (PROJ-6): 250 points is not an estimate from 0 to 100: imported as 100")),
        (Some(-1.0), 0, Some("line 7 (PROJ-6): -1 points is not an estimate from 0 to 100: imported as 0")),
        (None, 0, None),
        (Some(f64::NAN), 0, None),
    ];
    for (given, points, warning) in cases {
        let mut one = item("PROJ-6");
        one.points = given;
        let write = written(map(Source::JiraCsv, one, &maps()).expect("maps"));
        assert_eq!(write.write.fields.points, points, "{given:?}");
        assert_eq!(said(&write).first().map(String::as_str), warning, "{given:?}");
    }
}

#[test]
fn the_state_map_comes_before_the_readers_category() {
    let mut given = item("PROJ-7");
    given.status = "In Review".into();
    given.category = StatusCategory::Unknown;
    assert_eq!(written(map(Source::JiraCsv, given.clone(), &maps()).expect("maps")).write.fields.state, ItemState::Doing);
    given.category = StatusCategory::Done;
    assert_eq!(written(map(Source::JiraCsv, given, &maps()).expect("maps")).write.fields.state, ItemState::Doing);
    for (category, state) in [
        (StatusCategory::Todo, ItemState::Todo),
        (StatusCategory::Doing, ItemState::Doing),
        (StatusCategory::Done, ItemState::Done),
    ] {
        let mut one = item("PROJ-7");
        one.category = category;
        assert_eq!(written(map(Source::JiraCsv, one, &maps()).expect("maps")).write.fields.state, state);
    }
}

#[test]
fn an_unknown_status_with_no_map_is_an_error_naming_the_row_the_word_and_the_flag() {
    let mut given = item("PROJ-8");
    given.status = "Blocked by legal".into();
    given.category = StatusCategory::Unknown;
    let error = map(Source::JiraCsv, given, &maps()).expect_err("unknown");
    assert_eq!(error.line, 7);
    assert_eq!(error.column.as_deref(), Some("Status"), "the file's own header");
    assert!(error.message.contains("\"Blocked by legal\""), "{}", error.message);
    assert!(error.message.contains("--state-map \"Blocked by legal=doing\""), "{}", error.message);
}

#[test]
fn canceled_and_deleted_work_and_recurring_templates_are_skipped_with_their_reason() {
    for (category, reason) in [
        (StatusCategory::Canceled, SkipReason::Canceled),
        (StatusCategory::Deleted, SkipReason::Deleted),
        (StatusCategory::RecurringTemplate, SkipReason::RecurringTemplate),
    ] {
        let mut given = item("u-1");
        given.category = category;
        match map(Source::Taskwarrior, given, &maps()).expect("maps") {
            Mapped::Skip(skipped) => {
                assert_eq!((skipped.line, skipped.key.as_str(), skipped.reason), (7, "u-1", reason));
            }
            Mapped::Write(write) => panic!("written: {write:?}"),
        }
    }
}

#[test]
fn a_title_the_domain_refuses_is_an_error_naming_the_row_and_column() {
    let mut given = item("ENG-9");
    given.title = "   ".into();
    let error = map(Source::LinearCsv, given, &maps()).expect_err("no title");
    assert_eq!((error.line, error.column.as_deref()), (7, Some("Title")));
    assert!(error.message.starts_with("ENG-9: Title: give it a few words"), "{}", error.message);
}

#[test]
fn bugs_stay_bugs_and_sub_tasks_are_items() {
    let cases = [
        (Some("Bug"), ItemKind::Bug),
        (Some("Sub-task"), ItemKind::Story),
        (Some("Story"), ItemKind::Story),
        (Some("Spike"), ItemKind::Spike),
        (Some("Chore"), ItemKind::Chore),
        (None, ItemKind::Story),
    ];
    for (issue_type, kind) in cases {
        let mut given = item("PROJ-10");
        given.kind = issue_type.map(str::to_owned);
        given.parent = Some("PROJ-1".into());
        assert_eq!(written(map(Source::JiraCsv, given, &maps()).expect("maps")).write.fields.kind, kind, "{issue_type:?}");
    }
}

#[test]
fn comments_are_appended_to_the_description_oldest_first() {
    let mut given = item("PROJ-11");
    given.description = "First line\nsecond line\n".into();
    let at = NaiveDate::from_ymd_opt(2026, 11, 3).and_then(|day| day.and_hms_opt(14, 5, 0));
    given.notes = vec![
        ExternalNote { at, author: "alice".into(), body: "Looks good\nship it".into() },
        ExternalNote { at: None, author: String::new(), body: "later".into() },
    ];
    let write = written(map(Source::JiraCsv, given, &maps()).expect("maps"));
    assert_eq!(
        write.write.fields.description,
        "First line\nsecond line\n\nComments:\n- 2026-11-03 14:05 alice: Looks good\n  ship it\n- later"
    );
}

#[test]
fn a_done_item_keeps_the_day_it_was_done() {
    let mut given = item("PROJ-12");
    given.category = StatusCategory::Done;
    given.done_at = NaiveDate::from_ymd_opt(2026, 10, 9).and_then(|day| day.and_hms_opt(9, 0, 0));
    let write = written(map(Source::JiraCsv, given, &maps()).expect("maps"));
    assert_eq!(write.write.done_on, NaiveDate::from_ymd_opt(2026, 10, 9));
}
