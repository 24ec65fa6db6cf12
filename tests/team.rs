//! Capacity from the team: members with a focus factor and days off per
//! sprint, the capacity their focused days and the velocity of finished
//! sprints suggest, and taking that suggestion in planning. Keys go in
//! through the app; the file and the screen are checked.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, clear_field, demo_store, key, keys, render};
use quarterdeck::app::Overlay;
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

fn one<T: rusqlite::types::FromSql>(path: &std::path::Path, sql: &str) -> T {
    Connection::open(path).unwrap().query_row(sql, [], |row| row.get(0)).unwrap()
}

/// Days off of a member in sprint `number`, 0 when there is no row.
fn days_off(path: &std::path::Path, name: &str, number: u32) -> f64 {
    one(
        path,
        &format!(
            "SELECT coalesce((SELECT d.days FROM days_off d JOIN team_member m ON m.id = d.member_id
                              JOIN sprint s ON s.id = d.sprint_id WHERE m.name = '{name}' AND s.number = {number}), 0)"
        ),
    )
}

/// Moves `tabs` fields on in the open form, then replaces what is typed there.
fn retype(app: &mut quarterdeck::app::App, tabs: usize, text: &str) {
    for _ in 0..tabs {
        key(app, KeyCode::Tab);
    }
    clear_field(app);
    keys(app, text);
}

#[test]
fn the_team_screen_shows_days_off_focused_days_and_the_suggestion() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "C");
    let screen = render(&app);
    for expected in [
        "Team and capacity",
        "Marco             60 %     ·     ·     ·     ·     ·     5",
        "Sofia             75 %     2     ·     ·     ·     1     ·",
        // Marco (10 x 0.6) + Sofia (8 x 0.75) + Jonas 7.5 + Aiko 5 = 24.5.
        "Focused days             24.5  25.2  24.5  26.0  25.2  23.0",
        "Done points                15    18     3     ·     ·     ·",
        // 33 points in 49.75 focused days: 0.66 a day; sprint 3: 24.5 x 0.663 = 16.2.
        "Suggested                   ·     ·    16    17    16    15",
        "Capacity set               16    20    21    20    21    18",
        "Velocity 0.66 points per focused day: 33 points done in 49.8",
    ] {
        assert!(screen.contains(expected), "missing {expected:?} in\n{screen}");
    }
    // Help names what the keys do here: they act on members.
    let mut tall = app_at(&path, 160, 200);
    keys(&mut tall, "C?");
    assert!(render(&tall).contains("Add a team member: focus factor and days off per sprint"), "{}", render(&tall));
    key(&mut app, KeyCode::Esc);
    assert!(app.overlays.is_empty(), "esc goes back to the board");
}

#[test]
fn a_member_is_added_with_checks_then_edited_deleted_and_brought_back() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "Ca");
    assert!(render(&app).contains("New team member"));
    retype(&mut app, 1, "120");
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    keys(&mut app, "11"); // Sprint 3 after its "0": ten working days at most
    key(&mut app, KeyCode::Tab);
    keys(&mut app, ".3");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("Give the member a name"), "{screen}");
    assert!(screen.contains("120 is not a focus factor"), "{screen}");
    assert!(screen.contains("\"011\" is not 0 to 10 days"), "{screen}");
    assert!(screen.contains("0.3 days: use whole or half days"), "{screen}");
    // The demo's team: four who work in the sprints and Priya, its Product Owner.
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM team_member"), 5, "nothing written yet");

    // Focus is on the first bad field, the name.
    keys(&mut app, "Ravi");
    retype(&mut app, 1, "80");
    retype(&mut app, 3, "2.5");
    retype(&mut app, 1, ""); // an emptied field means no days off
    key(&mut app, KeyCode::Enter);
    assert_eq!(one::<i64>(&path, "SELECT focus_factor FROM team_member WHERE name = 'Ravi'"), 80);
    assert!((days_off(&path, "Ravi", 3) - 2.5).abs() < 1e-9);
    assert_eq!(
        one::<i64>(&path, "SELECT count(*) FROM days_off d JOIN team_member m ON m.id = d.member_id WHERE m.name = 'Ravi'"),
        1
    );
    let screen = render(&app);
    assert!(screen.contains("Added 'Ravi' to the team"), "{screen}");
    assert!(screen.contains("▸ Ravi              80 %     ·     ·   2.5"), "the new member is selected\n{screen}");
    // Ravi adds (10 - 2.5) x 0.8 = 6 focused days to sprint 3: 30.5.
    assert!(screen.contains("Focused days             32.5  33.2  30.5"), "{screen}");

    // Edit: Sprint 3 back to none, Sprint 6 a week away.
    keys(&mut app, "e");
    assert!(render(&app).contains("Team member Ravi"));
    retype(&mut app, 4, "0");
    retype(&mut app, 3, "5");
    key(&mut app, KeyCode::Enter);
    assert!(days_off(&path, "Ravi", 3).abs() < 1e-9, "a day count of 0 leaves no row");
    assert!((days_off(&path, "Ravi", 6) - 5.0).abs() < 1e-9);
    assert!(render(&app).contains("Saved 'Ravi': focus factor and days off"));

    keys(&mut app, "d");
    let Some(Overlay::Confirm(confirm)) = app.overlays.last() else { panic!("no confirmation") };
    assert_eq!(confirm.question, "Take 'Ravi' off the team?");
    keys(&mut app, "y");
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM team_member WHERE name = 'Ravi'"), 0);
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM days_off WHERE member_id NOT IN (SELECT id FROM team_member)"), 0);
    assert!(matches!(app.overlays.last(), Some(Overlay::Team { .. })), "back on the team screen");

    keys(&mut app, "u");
    assert!((days_off(&path, "Ravi", 6) - 5.0).abs() < 1e-9, "undo brings Ravi back with the days off");
    keys(&mut app, "uu");
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM team_member"), 5, "undoing the add leaves the demo team");
}

#[test]
fn planning_shows_the_suggestion_and_c_takes_it_as_one_undoable_step() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "2p"); // Sprint 3, running today
    let screen = render(&app);
    assert!(screen.contains("load    17/21 pts"), "{screen}");
    assert!(screen.contains("team    suggests 16 pts (24.5 focused days x 0.66 pts/day) · c sets it"), "{screen}");
    keys(&mut app, "c");
    assert_eq!(one::<i64>(&path, "SELECT capacity FROM sprint WHERE number = 3"), 16);
    let screen = render(&app);
    assert!(screen.contains("Set Sprint 3's capacity to 16 points, as the team suggests (was 21)"), "{screen}");
    assert!(screen.contains("load    17/16 pts"), "{screen}");
    assert!(screen.contains("Over capacity: 17 of 16 points planned"), "M7 now warns\n{screen}");
    keys(&mut app, "c");
    assert!(render(&app).contains("already the suggested 16 points"));
    keys(&mut app, "u");
    assert_eq!(one::<i64>(&path, "SELECT capacity FROM sprint WHERE number = 3"), 21, "an override comes back with u");

    // The sprint form says the same, and any other number overrides it.
    keys(&mut app, "e"); // focus on the goal; the capacity is just above
    key(&mut app, KeyCode::BackTab);
    let screen = render(&app);
    assert!(screen.contains("points; team: suggests 16 pts"), "{screen}");
    clear_field(&mut app);
    keys(&mut app, "19");
    key(&mut app, KeyCode::Enter);
    assert_eq!(one::<i64>(&path, "SELECT capacity FROM sprint WHERE number = 3"), 19);
}

#[test]
fn without_a_team_or_a_finished_sprint_the_board_says_why_there_is_no_suggestion() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    Connection::open(&path).unwrap().execute_batch("DELETE FROM days_off; DELETE FROM team_member;").unwrap();
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "2p");
    assert!(render(&app).contains("no team yet: C adds who works when"), "{}", render(&app));
    keys(&mut app, "c");
    assert!(render(&app).contains("No suggestion for Sprint 3: no team yet"), "{}", render(&app));
    keys(&mut app, "C");
    assert!(render(&app).contains("No one is on the team yet."));

    // A team, but nothing done in a finished sprint yet. A closed sprint's
    // done points are its frozen record's (as its review and the charts
    // count them), so its record holds nothing done either.
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "UPDATE item SET state = 'todo', done_on = NULL WHERE state = 'done';
             UPDATE sprint_record_item SET outcome = 'carried' WHERE outcome = 'done';",
        )
        .unwrap();
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "Ca");
    keys(&mut app, "Ana");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    let screen = render(&app);
    assert!(screen.contains("7.0 focused days; no velocity yet"), "{screen}");
}
