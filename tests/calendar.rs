//! The quarter's calendar (`L`): every event of the rhythm with its state,
//! `Enter` to the review or planning where an event is held, and the
//! header's next and overdue events.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::Days;
use common::{app_at, board_path, demo_store, key, keys, render, today};
use quarterdeck::{
    app::{Action, App, Context, Keymap},
    domain::calendar::{EventKind, EventState},
    store::Store,
};
use ratatui::crossterm::event::KeyCode;

/// The demo board, `days` after the tests' today, at `width` x `height`.
fn demo_on(days: u64, width: u16, height: u16) -> (tempfile::TempDir, App) {
    let (dir, path) = board_path();
    drop(demo_store(&path));
    if days == 0 {
        return (dir, app_at(&path, width, height));
    }
    let mut app = App::new(Store::open(&path).unwrap(), Keymap::default_keys().unwrap(), today() + Days::new(days)).unwrap();
    app.resize(width, height).unwrap();
    // Today entered a sprint never started: the board offers to start it.
    if app.context() == Context::Confirm {
        keys(&mut app, "n");
    }
    (dir, app)
}

/// The screen's line that holds `text`; fails showing the screen.
fn line_with(app: &App, text: &str) -> String {
    let screen = render(app);
    screen.lines().find(|line| line.contains(text)).map(str::to_owned).unwrap_or_else(|| panic!("no {text:?} in:\n{screen}"))
}

/// The screen's line that holds both `text` and `and`.
fn line_with_both(app: &App, text: &str, and: &str) -> String {
    let screen = render(app);
    screen
        .lines()
        .find(|line| line.contains(text) && line.contains(and))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no {text:?} with {and:?} in:\n{screen}"))
}

fn header(app: &App) -> String {
    render(app).lines().next().unwrap().to_owned()
}

#[test]
fn l_opens_the_calendar_on_the_next_event() {
    let (_dir, mut app) = demo_on(0, 160, 48);
    keys(&mut app, "L");
    assert_eq!(app.context(), Context::Calendar);
    let selected = app.calendar().unwrap().selected;
    let event = app.rhythm.events[selected];
    assert_eq!((event.kind, event.sprint, event.state), (EventKind::Review, 3, EventState::Upcoming));
    assert_eq!(app.rhythm.next_index(), Some(selected));
    let next = line_with(&app, "Sprint 3 review + OKR progress check");
    assert!(next.contains("› · upcoming  Fri Dec 4") && next.contains("← next"), "{next}");
    assert!(line_with(&app, "Quarter kick-off: OKR planning + Sprint 1 planning").contains("✓ done      Mon Oct 26"));
    assert!(line_with(&app, "Sprint 3 planning").contains("✓ done"), "sprint 3 was started");
    // Every two weeks (the demo's cadence, the default): in every review.
    assert!(line_with_both(&app, "OKR check-in", "Fri Nov 6").contains("✓ done"), "in sprint 1's review: {}", render(&app));
    assert!(line_with_both(&app, "OKR check-in", "Fri Nov 20").contains("✓ done"), "and sprint 2's");
    assert!(line_with(&app, "Next quarter's OKR planning").contains("10-15 %"), "it carries M6's reserve");
    assert!(line_with(&app, "Sprint 3 · Nov 23 – Dec 6").contains("running"));
    // `Esc` closes it, and so does `L` again.
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Board);
    keys(&mut app, "LL");
    assert_eq!(app.context(), Context::Board);
}

#[test]
fn enter_on_a_review_opens_that_sprints_review_and_esc_comes_back() {
    let (_dir, mut app) = demo_on(0, 160, 48);
    keys(&mut app, "L");
    // From sprint 3's review up to sprint 2's: its check-in, then the review.
    keys(&mut app, "kkk");
    let selected = app.calendar().unwrap().selected;
    assert_eq!((app.rhythm.events[selected].kind, app.rhythm.events[selected].sprint), (EventKind::Review, 2));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Review);
    let sprint_two = app.board.as_ref().unwrap().sprints[1].id;
    assert_eq!(app.review().unwrap().sprint_id, sprint_two);
    assert!(render(&app).contains("Sprint 2 review"), "{}", render(&app));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Calendar, "back to the calendar");
    // The check-in of sprint 2 is held in its review too.
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.review().unwrap().sprint_id, sprint_two);
}

#[test]
fn enter_on_a_planning_opens_that_sprints_planning() {
    let (_dir, mut app) = demo_on(0, 160, 48);
    // Past sprint 3's check-in (held in its review) to sprint 4's planning.
    keys(&mut app, "Ljj");
    let selected = app.calendar().unwrap().selected;
    assert_eq!((app.rhythm.events[selected].kind, app.rhythm.events[selected].sprint), (EventKind::Planning, 4));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Planning);
    assert_eq!(app.planned_sprint().unwrap().number, 4);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Calendar);
    // The kick-off is sprint 1's planning.
    keys(&mut app, "g");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.planned_sprint().unwrap().number, 1);
}

#[test]
fn the_calendar_scrolls_at_80x24() {
    let (_dir, mut app) = demo_on(0, 80, 24);
    keys(&mut app, "L");
    let screen = render(&app);
    assert!(screen.contains("Quarter kick-off") && !screen.contains("Quarterly retro"), "{screen}");
    keys(&mut app, "G");
    let screen = render(&app);
    assert!(line_with(&app, "Quarterly retro").contains('›'), "{screen}");
    assert!(!screen.contains("Quarter kick-off"), "{screen}");
    key(&mut app, KeyCode::PageUp);
    key(&mut app, KeyCode::PageUp);
    assert_eq!(app.calendar().unwrap().selected, 0);
    assert!(line_with(&app, "Quarter kick-off").contains('›'));
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.calendar().unwrap().selected, 10);
}

#[test]
fn the_header_marks_a_review_overdue_until_its_sprint_is_closed() {
    // Tuesday of sprint 4: sprint 3 ended on Sunday without its review.
    let (_dir, mut app) = demo_on(15, 80, 24);
    assert!(header(&app).contains("⚠ review S3 overdue"), "{}", header(&app));
    keys(&mut app, "L");
    assert!(line_with(&app, "Sprint 3 review").contains("⚠ overdue   Fri Dec 4"));
    assert!(line_with(&app, "Calendar").contains("overdue"), "the title counts them");
    // Held: the review closes the sprint.
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "rc");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "y"); // the close is asked
    key(&mut app, KeyCode::Esc);
    assert!(!header(&app).contains("review S3"), "{}", header(&app));
    keys(&mut app, "L");
    assert!(line_with(&app, "Sprint 3 review").contains("✓ done"));
}

#[test]
fn the_wide_header_says_what_to_do_about_an_overdue_review() {
    let (_dir, app) = demo_on(15, 160, 48);
    assert!(header(&app).contains("⚠ review S3 overdue: not held yet, r reviews it"), "{}", header(&app));
}

#[test]
fn stale_krs_make_the_last_check_in_overdue() {
    // Eighteen days after the demo's last check-ins: every KR is stale (M8).
    let (_dir, mut app) = demo_on(15, 160, 48);
    assert!(app.rhythm.stale_krs > 0);
    keys(&mut app, "L");
    // The latest check-in day passed (sprint 3's review, every two weeks).
    assert!(line_with_both(&app, "OKR check-in", "Fri Dec 4").contains("⚠ overdue"));
    assert!(line_with_both(&app, "OKR check-in", "Fri Nov 20").contains("✓ done"), "an earlier one stays done");
    // On the demo's own day the KRs are fresh: the check-in was held.
    let (_dir, mut app) = demo_on(0, 160, 48);
    keys(&mut app, "L");
    assert!(line_with_both(&app, "OKR check-in", "Fri Nov 20").contains("✓ done"));
}

#[test]
fn the_header_shows_the_next_event_and_says_today_on_its_day() {
    let (_dir, app) = demo_on(0, 160, 48);
    assert!(header(&app).contains("next: Sprint 3 review + OKR check-in Fri Dec 4"), "{}", header(&app));
    // The review day of sprint 3 (a Friday).
    let (_dir, app) = demo_on(11, 160, 48);
    assert!(header(&app).contains("next: Sprint 3 review + OKR check-in today"), "{}", header(&app));
}

#[test]
fn help_and_the_readme_list_the_calendar_key() {
    let (_dir, app) = demo_on(0, 160, 48);
    assert_eq!(app.keymap.keys_label(Context::Board, Action::Calendar).as_deref(), Some("L"));
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("| `L` | the quarter's calendar"), "the README's keys table lists L");
}

/// Help opened from a screen lists that screen's keys first, so they show
/// at 80x24 without scrolling past every other screen's.
#[test]
fn help_from_the_calendar_starts_with_its_keys() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "L?");
    let screen = render(&app);
    assert!(screen.contains("Here: The quarter's calendar"), "{screen}");
    let welcome = screen.find("Welcome screen").unwrap_or(usize::MAX);
    assert!(screen.find("Here: The quarter's calendar") < Some(welcome), "the calendar's keys come first:\n{screen}");
}

/// The header and the calendar tell what the sprints' states and dates
/// say together: a sprint closed before its dates is closed, the next one
/// starts on its first day, and nothing still to come is marked done.
#[test]
fn a_sprint_closed_before_its_dates_is_closed_in_the_header_and_the_calendar() {
    let (_dir, path) = board_path();
    let day = "2026-12-07";
    for args in [
        &["init", "--label", "2027-Q1", "--start", "2027-01-04", "--sprints", "6", "--weeks", "2"][..],
        &["sprint", "start", "S1"],
        &["sprint", "close", "S1", "--backlog"],
    ] {
        let output = common::run_cli(&path, day, args);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    for (width, height) in [(80, 24), (160, 48)] {
        let mut app = common::app_on_day(&path, today);
        app.resize(width, height).unwrap();
        let screen = render(&app);
        let header = screen.lines().next().unwrap();
        // At 80 columns said short, to keep the warnings beside it.
        let said = if width == 80 { "S1 closed · S2 starts Jan 18" } else { "Sprint 1 closed · Sprint 2 starts Jan 18" };
        assert!(header.contains(said), "{header}");
        keys(&mut app, "L");
        assert_nothing_done_in_the_future(&app, today);
    }
}

/// The demo's S3 closed on its first day: the header says so, and its
/// review and check-in are done that day, not on the days planned for them.
#[test]
fn a_sprint_closed_on_its_first_day_is_closed_early_in_the_header() {
    for (width, height) in [(80, 24), (160, 48)] {
        let (_dir, mut app) = demo_on(0, width, height);
        common::select_sprint(&mut app, 3);
        keys(&mut app, "rc");
        key(&mut app, KeyCode::Enter);
        keys(&mut app, "y");
        key(&mut app, KeyCode::Esc);
        let screen = render(&app);
        let header = screen.lines().next().unwrap();
        assert!(header.contains("Sprint 3 closed early (day 1/10)"), "{screen}");
        assert_nothing_done_in_the_future(&app, today());
        keys(&mut app, "L");
        let calendar = render(&app);
        assert!(!calendar.contains("Fri Dec 4"), "S3's review was held on Nov 23:\n{calendar}");
    }
}

#[track_caller]
fn assert_nothing_done_in_the_future(app: &App, today: chrono::NaiveDate) {
    for event in &app.rhythm.events {
        assert!(event.state != EventState::Done || event.date <= today, "done in the future: {event:?}");
    }
}

/// A quarter from Mon Jan 4 whose S1 was started and closed on Dec 7
/// (its one KR checked in that day), whose S2 (Jan 18-31) was closed early
/// on Wed Jan 20 with no check-in since, and whose S3 was started early
/// that day. By hand: the events come grouped S1, S2, S3, ... S6, each
/// sprint once and in date order; S1's check-in (held Dec 7) is done, S2's
/// (held Jan 20, no check-in after Dec 7) is not: overdue.
#[test]
fn after_early_starts_and_closes_each_sprint_is_shown_once_and_a_check_in_is_done_only_with_its_check_ins() {
    let (_dir, path) = board_path();
    for (day, args) in [
        ("2026-12-07", &["init", "--label", "2027-Q1", "--start", "2027-01-04", "--sprints", "6", "--weeks", "2"][..]),
        ("2026-12-07", &["add", "objective", "Faster checkout"]),
        ("2026-12-07", &["add", "kr", "O1", "Checkout time", "--unit", "s", "--start", "60", "--target", "30"]),
        ("2026-12-07", &["checkin", "KR1.1", "55", "--confidence", "60", "--note", "first"]),
        ("2026-12-07", &["sprint", "start", "S1"]),
        ("2026-12-07", &["sprint", "close", "S1", "--backlog"]),
        ("2027-01-18", &["sprint", "start", "S2"]),
        ("2027-01-20", &["sprint", "close", "S2", "--backlog"]),
        ("2027-01-20", &["sprint", "start", "S3"]),
    ] {
        let output = common::run_cli(&path, day, args);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 20).unwrap();
    let app = common::app_on_day(&path, today);
    let sprints: Vec<u32> = app.rhythm.events.iter().map(|event| event.sprint).collect();
    let mut grouped = sprints.clone();
    grouped.dedup();
    assert_eq!(grouped, vec![1, 2, 3, 4, 5, 6], "each sprint once: {sprints:?}");
    for sprint in 1..=6 {
        let dates: Vec<_> = app.rhythm.events.iter().filter(|event| event.sprint == sprint).map(|event| event.date).collect();
        assert!(dates.is_sorted(), "S{sprint}'s events in date order: {dates:?}");
    }
    let check_ins: Vec<(u32, EventState)> = app
        .rhythm
        .events
        .iter()
        .filter(|event| event.kind == quarterdeck::domain::calendar::EventKind::CheckIn && event.sprint <= 2)
        .map(|event| (event.sprint, event.state))
        .collect();
    assert_eq!(check_ins, vec![(1, EventState::Done), (2, EventState::Overdue)]);
}
