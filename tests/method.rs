//! The method as the seeds teach it (issue 15): what the screens show of
//! M2's goal at start, M10 where the mistake is made, M12 and M13, deferred
//! work and its reason, the team's roles, untagged items sinking in
//! planning, and a demo that follows the method.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, clear_field, ctrl, demo_store, key, keys, render, select_item, select_sprint, today};
use quarterdeck::{
    app::App,
    domain::{Id, health::RuleState},
    store::{SprintChanges, Store},
};
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

fn demo(width: u16, height: u16) -> (tempfile::TempDir, std::path::PathBuf, App) {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    let app = app_at(&path, width, height);
    (dir, path, app)
}

fn sprint_id(path: &std::path::Path, number: u32) -> Id {
    Connection::open(path).unwrap().query_row("SELECT id FROM sprint WHERE number = ?1", [number], |row| row.get(0)).unwrap()
}

fn goal_at_start(path: &std::path::Path, number: u32) -> Option<String> {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT goal_at_start FROM sprint WHERE number = ?1", [number], |row| row.get(0))
        .unwrap()
}

/// The rules in warning, with the codes breaking each.
fn warnings(app: &mut App) -> Vec<(String, Vec<String>)> {
    keys(app, "H");
    let rules: Vec<RuleState> = app.health().unwrap().rules.clone();
    key(app, KeyCode::Esc);
    rules
        .into_iter()
        .filter(|rule| !rule.is_ok())
        .map(|rule| (rule.rule.to_owned(), rule.breaches.into_iter().map(|breach| breach.code).collect()))
        .collect()
}

#[test]
fn the_demo_opens_with_no_warning_but_the_one_it_shows_on_purpose_and_says_so() {
    let (_dir, _path, mut app) = demo(160, 48);
    assert_eq!(warnings(&mut app), [("M11".to_owned(), vec!["S1".to_owned()])]);
    // The demo's own text says M11 is on purpose, in sprint 1's review.
    select_sprint(&mut app, 1);
    keys(&mut app, "r");
    let screen = render(&app);
    assert!(screen.contains("M11 high output, low outcome"), "{screen}");
    assert!(screen.contains("Demo: M11 (high output, low outcome) is flagged here on purpose"), "{screen}");
}

#[test]
fn starting_a_sprint_records_its_goal_and_the_review_shows_both_after_a_change() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let s4 = sprint_id(&path, 4);
    assert_eq!(goal_at_start(&path, 4), None, "a planned sprint has no goal at start");
    store.start_sprint(s4, today(), "Started Sprint 4").unwrap();
    assert_eq!(goal_at_start(&path, 4).as_deref(), Some("Pass the PCI DSS 4.0 audit"));
    let changes = SprintChanges { goal: Some("PCI DSS 4.0 audit passed with no finding".into()), ..SprintChanges::default() };
    store.update_sprint(s4, &changes, "Saved Sprint 4").unwrap();
    assert_eq!(goal_at_start(&path, 4).as_deref(), Some("Pass the PCI DSS 4.0 audit"), "the change keeps the original");
    drop(store);

    let mut app = app_at(&path, 160, 48);
    select_sprint(&mut app, 4);
    keys(&mut app, "r");
    let screen = render(&app);
    assert!(screen.contains("Goal     PCI DSS 4.0 audit passed with no finding"), "{screen}");
    assert!(screen.contains("At start Pass the PCI DSS 4.0 audit  (M2: changed since)"), "{screen}");
    // Its reason for serving no KR shows too.
    assert!(screen.contains("No KR    on purpose: Regulation: the card-data audit is due before March"), "{screen}");

    // Undo takes the start back, goal at start with it.
    let mut store = Store::open(&path).unwrap();
    store.undo().unwrap();
    store.undo().unwrap();
    assert_eq!(goal_at_start(&path, 4), None);
}

#[test]
fn the_demos_running_sprint_shows_the_goal_it_started_with() {
    let (_dir, path, mut app) = demo(160, 48);
    assert_eq!(goal_at_start(&path, 3).as_deref(), Some("Checkout loads in under 2 s at p95"));
    assert_eq!(goal_at_start(&path, 1).as_deref(), Some("Buyers can save a card for next time"), "closed: its goal");
    select_sprint(&mut app, 3);
    keys(&mut app, "r");
    assert!(render(&app).contains("At start Checkout loads in under 2 s at p95"), "{}", render(&app));
    key(&mut app, KeyCode::Esc);
    // The sprint's details show it too.
    key(&mut app, KeyCode::Enter);
    assert!(render(&app).contains("At start    Checkout loads in under 2 s at p95"), "{}", render(&app));
}

#[test]
fn the_review_after_a_sprint_without_a_kr_names_its_reason_and_two_in_a_row_are_flagged() {
    let (_dir, path, mut app) = demo(160, 48);
    select_sprint(&mut app, 5);
    keys(&mut app, "r");
    let screen = render(&app);
    assert!(screen.contains("Before   S4 served no KR: Regulation: the card-data audit is due before March"), "{screen}");
    assert!(!screen.contains("M12"), "one sprint off the KRs is fine:\n{screen}");
    key(&mut app, KeyCode::Esc);

    // Sprint 5 goes off the KRs too, with a reason: M12, and no M4 for it.
    let conn = Connection::open(&path).unwrap();
    let s5 = sprint_id(&path, 5);
    conn.execute("DELETE FROM sprint_kr WHERE sprint_id = ?1", [s5]).unwrap();
    conn.execute("UPDATE sprint SET no_kr_reason = 'A critical outage' WHERE id = ?1", [s5]).unwrap();
    conn.execute("UPDATE item SET sprint_id = ?1 WHERE title = 'Rotate TLS certificates'", [s5]).unwrap();
    drop(conn);
    keys(&mut app, "r");
    assert!(render(&app).contains("⚠ M12 two sprints in a row off the KRs"), "{}", render(&app));
    key(&mut app, KeyCode::Esc);
    let flagged = warnings(&mut app);
    assert!(flagged.contains(&("M12".to_owned(), vec!["S5".to_owned()])), "{flagged:?}");
    assert!(!flagged.iter().any(|(rule, _)| rule == "M4"), "a sprint that says why is exempt from M4: {flagged:?}");
}

#[test]
fn a_quarter_of_24_weeks_gets_m13_advice() {
    let (_dir, path, mut app) = demo(160, 48);
    assert!(!warnings(&mut app).iter().any(|(rule, _)| rule == "M13"));
    // Six more two-week sprints: 24 weeks.
    let conn = Connection::open(&path).unwrap();
    for number in 7..=12 {
        conn.execute(
            "INSERT INTO sprint (quarter_id, number, start_date, end_date, goal, capacity, state)
             SELECT quarter_id, ?1, date(end_date, '+1 day'), date(end_date, '+14 days'), 'Buyers come back', 20, 'planned'
             FROM sprint WHERE number = ?1 - 1",
            [number],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO sprint_kr (sprint_id, key_result_id, focus) SELECT s.id, k.id, 1 FROM sprint s, key_result k
             WHERE s.number = ?1 AND k.title = 'Monthly churn'",
            [number],
        )
        .unwrap();
    }
    drop(conn);
    let flagged = warnings(&mut app);
    let m13 = flagged.iter().find(|(rule, _)| rule == "M13").unwrap_or_else(|| panic!("{flagged:?}"));
    assert_eq!(m13.1.len(), 1);
    keys(&mut app, "H");
    assert!(render(&app).contains("24 weeks: a quarter is about 90 days (12 weeks)"), "{}", render(&app));
}

#[test]
fn a_new_quarter_without_okrs_is_m1_and_its_empty_goals_m2_once_each() {
    let (_dir, path) = board_path();
    let mut app = app_at(&path, 160, 48);
    // The new-quarter form: a quarter with sprints and no objective yet.
    keys(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    // Made on its first day, sprint 1 waits to be started (no question yet).
    let flagged = warnings(&mut app);
    let label = app.board.as_ref().unwrap().quarter.label.clone();
    assert!(flagged.contains(&("M1".to_owned(), vec![label])), "{flagged:?}");
    // An empty goal is one M2 breach per sprint, not one for the goal and one for its KR.
    let m2 = flagged.iter().find(|(rule, _)| rule == "M2").unwrap();
    assert_eq!(m2.1, ["S1", "S2", "S3", "S4", "S5", "S6"]);
    keys(&mut app, "H");
    let screen = render(&app);
    // Sprint 1 is due today, not started: the OKRs come first.
    assert!(screen.contains("sprint 1 is due and the quarter has no OKRs"), "{screen}");
    assert!(screen.contains("The sprint has no goal: write the outcome it should bring (M2)."), "{screen}");
    // Enter on the quarter's M1 breach (the first) goes to the OKR pane, where objectives are added.
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "2");
    assert_eq!(app.focus, quarterdeck::app::Pane::Timeline);
    keys(&mut app, "H");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), quarterdeck::app::Context::Board);
    assert_eq!(app.focus, quarterdeck::app::Pane::Okrs);
}

#[test]
fn a_deferred_reason_is_set_in_the_item_form_and_shown_in_details_and_review() {
    let (_dir, path, mut app) = demo(160, 48);
    select_item(&mut app, "Rotate TLS certificates");
    keys(&mut app, "e");
    // Title, points, kind, description, then why it is deferred.
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab);
    }
    assert!(render(&app).contains("▸ Deferred"), "{}", render(&app));
    assert!(render(&app).contains("because...: why a BAU item waits"), "{}", render(&app));
    keys(&mut app, "Certificates last until May");
    key(&mut app, KeyCode::Enter);
    let stored: String = Connection::open(&path)
        .unwrap()
        .query_row("SELECT deferred_reason FROM item WHERE title = 'Rotate TLS certificates'", [], |row| row.get(0))
        .unwrap();
    assert_eq!(stored, "Certificates last until May");
    key(&mut app, KeyCode::Enter);
    assert!(render(&app).contains("Deferred    because Certificates last until May"), "{}", render(&app));
    key(&mut app, KeyCode::Esc);
    select_sprint(&mut app, 3);
    keys(&mut app, "r");
    let screen = render(&app);
    assert!(screen.contains("Deferred, and why (3)"), "{screen}");
    assert!(screen.contains("Rotate TLS certificates: Certificates last until May"), "{screen}");
}

#[test]
fn the_presentation_shows_what_is_deferred_and_why() {
    let (_dir, _path, mut app) = demo(160, 48);
    keys(&mut app, "P");
    // Board, then the review of the running sprint.
    key(&mut app, KeyCode::Right);
    let screen = render(&app);
    assert!(screen.contains("Deferred, and why (2)"), "{screen}");
    assert!(screen.contains("Export orders as CSV: Waits for the new orders API, due next quarter"), "{screen}");
}

#[test]
fn the_team_screen_records_roles_and_owner_fields_offer_the_names() {
    let (_dir, path, mut app) = demo(160, 48);
    keys(&mut app, "C");
    assert!(render(&app).contains("Product Owner Priya · Scrum Master Sofia · OKR champion Jonas"), "{}", render(&app));
    // Aiko, the fifth, becomes an OKR champion too (roles: the form's last field).
    keys(&mut app, "jjjje");
    key(&mut app, KeyCode::BackTab);
    keys(&mut app, "champion");
    key(&mut app, KeyCode::Enter);
    assert!(render(&app).contains("OKR champion Jonas, Aiko"), "{}", render(&app));
    let champions: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM team_member WHERE okr_champion = 1", [], |row| row.get(0))
        .unwrap();
    assert_eq!(champions, 2);
    // A word that names no role is refused, naming the field.
    keys(&mut app, "e");
    key(&mut app, KeyCode::BackTab);
    clear_field(&mut app);
    keys(&mut app, "boss");
    key(&mut app, KeyCode::Enter);
    assert!(render(&app).contains("\"boss\" is not a role: po, sm or champion"), "{}", render(&app));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);

    // The objective form's owner field names the team and completes from it.
    keys(&mut app, "1ge");
    key(&mut app, KeyCode::Tab);
    assert!(render(&app).contains("ctrl-t: Priya (PO), Marco, Sofia, Jonas, Aiko"), "{}", render(&app));
    clear_field(&mut app);
    keys(&mut app, "so");
    ctrl(&mut app, 't');
    key(&mut app, KeyCode::Enter);
    let owner: String = Connection::open(&path)
        .unwrap()
        .query_row("SELECT owner FROM objective WHERE position = 1 OR position = 0 ORDER BY position LIMIT 1", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(owner, "Sofia");
}

#[test]
fn planning_flags_an_item_copying_a_kr_where_it_is_planned() {
    let (_dir, path, mut app) = demo(160, 48);
    Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE item SET title = 'Activation within 7 days', sprint_id = (SELECT id FROM sprint WHERE number = 5)
             WHERE title = 'Sample store for new accounts'",
            [],
        )
        .unwrap();
    select_sprint(&mut app, 5);
    keys(&mut app, "p");
    let screen = render(&app);
    assert!(screen.contains("copies KR2.1's title: a KR is an outcome, not a task"), "{screen}");
    assert!(screen.contains("⚠ Activation within 7 days"), "the sprint backlog flags it:\n{screen}");
    key(&mut app, KeyCode::Esc);
    // The sprint's details too.
    key(&mut app, KeyCode::Enter);
    assert!(render(&app).contains("⚠ copies KR2.1 (M10)"), "{}", render(&app));
}

#[test]
fn untagged_candidates_sink_below_the_quarters_krs_in_planning() {
    let (_dir, path, mut app) = demo(160, 48);
    // A BAU item ranked first in the backlog, above every KR's items.
    Connection::open(&path).unwrap().execute("UPDATE item SET rank = -1 WHERE title = 'Rotate TLS certificates'", []).unwrap();
    select_sprint(&mut app, 5);
    keys(&mut app, "p");
    let planning = app.planning().unwrap();
    // (relevance, tagged with a KR of the quarter) in list order.
    let tiers: Vec<(u32, bool)> = planning.candidates.iter().map(|(item, relevance)| (*relevance, item.okr_work)).collect();
    let mut sorted = tiers.clone();
    sorted.sort_by_key(|(relevance, okr_work)| (std::cmp::Reverse(*relevance), !okr_work));
    assert_eq!(tiers, sorted, "focus KR, sprint KRs, the quarter's KRs, then BAU");
    let first_bau = tiers.iter().position(|(_, okr_work)| !okr_work).unwrap();
    assert!(tiers[..first_bau].iter().any(|(relevance, _)| *relevance == 0), "the quarter's other KRs come before BAU");
    // The BAU item first in the backlog comes after the quarter's other KRs' items.
    let titles: Vec<&str> = planning.candidates.iter().map(|(item, _)| item.title.as_str()).collect();
    let bau = titles.iter().position(|title| *title == "Rotate TLS certificates").unwrap();
    let other_kr = titles.iter().position(|title| *title == "Apple Pay and Google Pay buttons").unwrap();
    assert!(other_kr < bau, "{titles:?}");
    // Space out and in again puts it back in the same place.
    keys(&mut app, "j");
    let before: Vec<Id> = app.planning().unwrap().candidates.iter().map(|(item, _)| item.id).collect();
    keys(&mut app, " ");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "G ");
    let after: Vec<Id> = app.planning().unwrap().candidates.iter().map(|(item, _)| item.id).collect();
    assert_eq!(after, before);
}

#[test]
fn the_sprint_form_and_the_kr_form_advise_on_activities_and_tasks() {
    let (_dir, _path, mut app) = demo(160, 48);
    select_sprint(&mut app, 5);
    keys(&mut app, "e");
    // Dates, capacity, then the goal.
    for _ in 0..8 {
        if render(&app).contains("▸ Sprint goal") {
            break;
        }
        key(&mut app, KeyCode::Tab);
    }
    assert!(render(&app).contains("▸ Sprint goal"), "{}", render(&app));
    clear_field(&mut app);
    keys(&mut app, "Build the sample store");
    assert!(render(&app).contains("M2: an activity; name the outcome"), "{}", render(&app));
    clear_field(&mut app);
    assert!(render(&app).contains("M2: no goal yet"), "{}", render(&app));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);

    common::select_kr(&mut app, "KR2.1");
    keys(&mut app, "e");
    clear_field(&mut app);
    keys(&mut app, "Ship the sample store");
    assert!(render(&app).contains("M10: reads as a task"), "{}", render(&app));
}

#[test]
fn the_new_quarter_form_advises_on_a_quarter_under_8_or_over_16_weeks() {
    let (_dir, path) = board_path();
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "n");
    assert!(!render(&app).contains("M13"), "six sprints of two weeks: {}", render(&app));
    // Label, start, sprints: twelve sprints of two weeks are 24 weeks.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    keys(&mut app, "12");
    assert!(render(&app).contains("M13: a quarter is about 12 weeks; 8 to 16 advised"), "{}", render(&app));
    // Advice, not a refusal: it saves.
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.board.as_ref().unwrap().sprints.len(), 12);
}
