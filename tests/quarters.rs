//! Quarter close and the next quarter: drafting, scoring, closing, opening
//! with the same cadence and the unfinished items, and earlier quarters
//! kept readable (and read-only).

#![allow(clippy::unwrap_used)]

mod common;

use chrono::NaiveDate;
use common::{app_at, board_path, demo_store, key, keys, render, select_okr};
use quarterdeck::{
    domain::QuarterState,
    store::{ItemFilter, Opened, QuarterClose, Store},
};
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;

/// A day in the demo's last sprint (S6: Jan 4 - Jan 17, 2027).
fn last_sprint_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 12).unwrap()
}

fn one<T: rusqlite::types::FromSql>(path: &std::path::Path, sql: &str) -> T {
    Connection::open(path).unwrap().query_row(sql, [], |row| row.get(0)).unwrap()
}

/// Closes the demo quarter with KR1.1 scored 0.9 and a note, then opens the next.
fn close_and_open(store: &mut Store) -> Opened {
    let board = store.load_board().unwrap().unwrap();
    let kr = board.key_results().next().unwrap().id;
    let close = QuarterClose {
        kr_scores: vec![(kr, quarterdeck::domain::values::Score::new(0.9).expect("a score"))],
        objective_notes: vec![(board.objectives[0].id, "Checkout got faster".into())],
        note: "Plan fewer KRs".into(),
    };
    store.close_quarter(board.quarter.id, &close, last_sprint_day(), "Closed 2026-Q4").unwrap();
    store.open_next_quarter(board.quarter.id, last_sprint_day(), "Opened").unwrap()
}

#[test]
fn a_draft_is_never_taken_for_the_running_quarter() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let running = store.load_board().unwrap().unwrap().quarter;
    let draft = store.create_draft("2027-Q1", NaiveDate::from_ymd_opt(2027, 1, 18).unwrap(), "Drafting").unwrap();
    assert_eq!(store.load_board().unwrap().unwrap().quarter.id, running.id, "the draft starts later, yet is not current");
    let viewed = store.load_board_viewing(Some(draft)).unwrap().unwrap();
    assert_eq!(viewed.quarter.state, QuarterState::Draft);
    assert!(viewed.sprints.is_empty());
    assert_eq!(store.create_draft("2027-Q1", last_sprint_day(), "Again").unwrap(), draft, "one draft at a time");
}

#[test]
fn closing_and_opening_carry_the_unfinished_work_and_keep_history() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let old = store.load_board().unwrap().unwrap();
    let frozen_before: i64 = one(&path, "SELECT count(*) FROM sprint_record_item");
    let unfinished_in_sprints: i64 = one(
        &path,
        "SELECT count(*) FROM item i JOIN sprint s ON s.id = i.sprint_id WHERE s.quarter_id = 1 AND i.state != 'done'",
    );
    assert!(unfinished_in_sprints > 0, "the demo has unfinished sprint work");
    let Opened::Quarter { id, label, carried, to_retag } = close_and_open(&mut store) else { panic!("not opened") };
    assert_eq!(label, "2027-Q1");
    assert_eq!(i64::try_from(carried).unwrap(), unfinished_in_sprints);
    assert!(to_retag > 0);

    let new = store.load_board().unwrap().unwrap();
    assert_eq!(new.quarter.id, id);
    assert_eq!(new.sprints.len(), old.sprints.len(), "same number of sprints");
    for (new, old) in new.sprints.iter().zip(&old.sprints) {
        assert_eq!(new.end - new.start, old.end - old.start, "same length");
    }
    assert_eq!(new.sprints[0].start, old.sprints.last().unwrap().end.succ_opt().unwrap());
    assert_eq!(new.team.len(), old.team.len(), "the team came over");
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM sprint_record_item"), frozen_before, "frozen records intact");
    assert_eq!(
        one::<i64>(
            &path,
            "SELECT count(*) FROM item WHERE sprint_id IN (SELECT id FROM sprint WHERE quarter_id = 1) AND state != 'done'"
        ),
        0
    );

    // The carried items keep their old tags, named with their quarter, and wait for new ones.
    let waiting = store.backlog_page(&ItemFilter { needs_retag: true, ..ItemFilter::default() }, 0, 100).unwrap();
    assert_eq!(waiting.len(), to_retag);
    assert!(waiting.iter().all(|item| item.kr_codes.iter().all(|code| code.starts_with("2026-Q4 KR"))), "{waiting:?}");
    // Tagging one clears its mark, and keeps the history tag.
    let item = waiting[0].id;
    store.change_items_tags(&[item], &[], &[], "Tagged").unwrap();
    assert_eq!(one::<i64>(&path, &format!("SELECT needs_retag FROM item WHERE id = {item}")), 0);
    assert!(one::<i64>(&path, &format!("SELECT count(*) FROM item_kr WHERE item_id = {item}")) > 0);

    // The closed quarter reads back with its scores and notes.
    let closed = store.load_board_viewing(Some(old.quarter.id)).unwrap().unwrap();
    assert!(closed.quarter.is_closed());
    let kr = closed.key_results().next().unwrap().id;
    assert_eq!(closed.quarter.closing.kr_score(kr), Some(0.9));
    assert_eq!(closed.quarter.closing.objective_note(closed.objectives[0].id), "Checkout got faster");
    assert_eq!(closed.quarter.closing.note, "Plan fewer KRs");
    // In the new quarter, a sprint of the old one is named with its quarter
    // (its done items are found by their filter: the backlog leaves them out).
    store.load_board().unwrap();
    let done = store.backlog_page(&ItemFilter { earlier_done: true, ..ItemFilter::default() }, 0, 1).unwrap();
    assert_eq!((done[0].sprint_number, done[0].sprint_quarter.as_deref()), (Some(1), Some("2026-Q4")));
    // Its backlog is what its sprints delivered: done items only now.
    let delivered = store.backlog_page(&ItemFilter { quarter: Some(old.quarter.id), ..ItemFilter::default() }, 0, 100).unwrap();
    assert!(!delivered.is_empty());
    assert!(delivered.iter().all(|item| item.state == quarterdeck::domain::ItemState::Done));
}

#[test]
fn the_drafted_okrs_become_the_next_quarter() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let start = NaiveDate::from_ymd_opt(2027, 1, 18).unwrap();
    let draft = store.create_draft("2027-Q1", start, "Drafting").unwrap();
    Connection::open(&path)
        .unwrap()
        .execute_batch(&format!(
            "INSERT INTO objective (quarter_id, position, title) VALUES ({draft}, 1, 'Grow repeat purchases')"
        ))
        .unwrap();
    let Opened::Quarter { id, .. } = close_and_open(&mut store) else { panic!("not opened") };
    assert_eq!(id, draft);
    let board = store.load_board().unwrap().unwrap();
    assert_eq!(board.quarter.state, QuarterState::Open);
    assert_eq!(board.objectives[0].title, "Grow repeat purchases");
    assert_eq!(board.sprints[0].start, start);
}

/// An item tagged ahead with a drafted KR (in the last sprint) is carried
/// without the re-tag mark; one still tagged only with the old KRs gets it.
#[test]
fn an_item_tagged_ahead_with_a_drafted_kr_needs_no_retag() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let draft = store.create_draft("2027-Q1", NaiveDate::from_ymd_opt(2027, 1, 18).unwrap(), "Drafting").unwrap();
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO objective (quarter_id, position, title) VALUES ({draft}, 1, 'Grow repeat purchases');
         INSERT INTO key_result (objective_id, position, title, unit, start_value, target_value, current_value)
             VALUES (last_insert_rowid(), 1, 'Repeat purchase rate', '%', 20, 30, 20);
         INSERT INTO item_kr (item_id, key_result_id) VALUES (29, last_insert_rowid());"
    ))
    .unwrap();
    drop(conn);
    close_and_open(&mut store);
    assert_eq!(one::<i64>(&path, "SELECT needs_retag FROM item WHERE id = 29"), 0, "tagged ahead");
    assert_eq!(one::<i64>(&path, "SELECT needs_retag FROM item WHERE id = 30"), 1, "still on the old KRs");
}

#[test]
fn undo_takes_back_the_opening_then_the_close() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let before_items: String =
        one(&path, "SELECT group_concat(id || ':' || coalesce(sprint_id, '-') || ':' || needs_retag) FROM item");
    close_and_open(&mut store);
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM quarter"), 2);
    store.undo().unwrap();
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM quarter"), 1, "the opened quarter is gone");
    assert_eq!(one::<String>(&path, "SELECT state FROM quarter"), "closed");
    store.undo().unwrap();
    assert_eq!(one::<String>(&path, "SELECT state FROM quarter"), "open");
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM key_result WHERE score IS NOT NULL"), 0);
    let after_items: String =
        one(&path, "SELECT group_concat(id || ':' || coalesce(sprint_id, '-') || ':' || needs_retag) FROM item");
    assert_eq!(after_items, before_items);
}

#[test]
fn a_second_window_cannot_open_twice() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let mut other = Store::open(&path).unwrap();
    let closed = store.load_board().unwrap().unwrap().quarter.id;
    close_and_open(&mut store);
    assert!(
        matches!(other.open_next_quarter(closed, last_sprint_day(), "Opened").unwrap(), Opened::AlreadyOpen(label) if label == "2027-Q1")
    );
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM quarter"), 2);
    assert!(other.close_quarter(closed, &QuarterClose::default(), last_sprint_day(), "Close").is_err(), "closed already");
}

fn app_in_last_sprint(path: &std::path::Path, width: u16, height: u16) -> quarterdeck::app::App {
    drop(demo_store(path));
    let mut app = app_in_last_sprint_again(path);
    app.resize(width, height).unwrap();
    app
}

#[test]
fn n_drafts_next_quarter_beside_the_running_one() {
    let (_dir, path) = board_path();
    let mut app = app_in_last_sprint(&path, 160, 48);
    keys(&mut app, "n");
    let screen = render(&app);
    assert!(screen.contains("Next quarter 2027-Q1 (draft)"), "{screen}");
    assert!(screen.contains("Running quarter 2026-Q4"), "{screen}");
    assert!(!screen.contains("Advice"), "in the last sprint no advice: {screen}");
    keys(&mut app, "a");
    common::key(&mut app, KeyCode::Enter);
    keys(&mut app, "Grow repeat purchases");
    common::key(&mut app, KeyCode::Enter);
    assert!(render(&app).contains("O1 Grow repeat purchases"));
    keys(&mut app, "n");
    let screen = render(&app);
    assert!(screen.contains("O1 Make checkout effortless"), "back on the running quarter: {screen}");
    assert!(!screen.contains("(draft)"));
}

#[test]
fn drafting_outside_the_last_sprint_is_advised_against_not_refused() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    app.overlays.clear();
    keys(&mut app, "n");
    let screen = render(&app);
    assert!(screen.contains("2027-Q1 (draft)"), "{screen}");
    assert!(screen.contains("Advice: the method drafts"), "{screen}");
}

#[test]
fn q_closes_with_scores_and_notes_then_o_opens_the_next() {
    let (_dir, path) = board_path();
    let mut app = app_in_last_sprint(&path, 160, 48);
    keys(&mut app, "Q");
    let screen = render(&app);
    assert!(screen.contains("Scores proposed from progress"), "{screen}");
    assert!(screen.contains("KR1.1"), "{screen}");
    // Down past the quarter to KR1.1 (quarter, O1, KR1.1), score it.
    keys(&mut app, "jj");
    keys(&mut app, "e");
    common::clear_field(&mut app);
    keys(&mut app, "1.5");
    common::key(&mut app, KeyCode::Enter);
    assert!(render(&app).contains("1.5 is not a score: write 0.0 to 1.0"), "bad input names the field and its value");
    common::clear_field(&mut app);
    keys(&mut app, "0.65");
    common::key(&mut app, KeyCode::Enter);
    assert!(render(&app).contains("0.7 on target"), "{}", render(&app));
    // O1's closing note.
    keys(&mut app, "k");
    keys(&mut app, "e");
    keys(&mut app, "Checkout got faster");
    common::key(&mut app, KeyCode::Enter);
    keys(&mut app, "c");
    assert!(render(&app).contains("sprints not closed"), "advice before closing: {}", render(&app));
    keys(&mut app, "y");
    assert_eq!(one::<String>(&path, "SELECT state FROM quarter"), "closed");
    assert_eq!(one::<f64>(&path, "SELECT score FROM key_result WHERE id = 1"), 0.7);
    assert_eq!(one::<String>(&path, "SELECT closing_note FROM objective WHERE position = 1"), "Checkout got faster");
    assert!(render(&app).contains("2026-Q4 (closed, read-only)"));
    keys(&mut app, "o");
    let screen = render(&app);
    assert!(screen.contains("Opened 2027-Q1"), "{screen}");
    assert!(screen.contains(" 2027-Q1 "), "{screen}");
}

#[test]
fn an_earlier_quarter_is_readable_and_read_only() {
    let (_dir, path) = board_path();
    let mut app = viewing_the_closed_quarter(&path);
    let screen = render(&app);
    assert!(screen.contains("2026-Q4 (closed, read-only)"), "{screen}");
    assert!(screen.contains("0.9 on target"), "KR1.1's score where its progress was: {screen}");
    assert!(screen.contains("OKRs of 2026-Q4 (closed)"), "{screen}");
    let before: i64 = one(&path, "SELECT count(*) FROM change_log");
    select_okr(&mut app, "KR1.1");
    for key in ["a", "e", "d", "i", "s"] {
        keys(&mut app, key);
        assert!(render(&app).contains("2026-Q4 is closed: read-only"), "{key}: {}", render(&app));
        assert!(app.overlays.is_empty(), "{key} opened nothing");
    }
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM change_log"), before, "nothing written");
    // The viewed quarter is remembered across a restart.
    app.save_ui_state().unwrap();
    drop(app);
    let app = app_at(&path, 160, 48);
    assert!(render(&app).contains("2026-Q4 (closed, read-only)"));
}

/// The quarter screen in the last sprint: the scores proposed from
/// progress, in colour's words, the retro's reflections and the advice.
#[test]
fn close_screen_80x24() {
    let (_dir, path) = board_path();
    let mut app = app_in_last_sprint(&path, 80, 24);
    keys(&mut app, "Qjj");
    insta::assert_snapshot!(render(&app));
}

#[test]
fn close_screen_160x48() {
    let (_dir, path) = board_path();
    let mut app = app_in_last_sprint(&path, 160, 48);
    keys(&mut app, "Qjj");
    insta::assert_snapshot!(render(&app));
}

#[test]
fn draft_beside_the_running_quarter_160x48() {
    let (_dir, path) = board_path();
    let mut app = app_in_last_sprint(&path, 160, 48);
    keys(&mut app, "n");
    insta::assert_snapshot!(render(&app));
}

#[test]
fn a_close_in_one_window_shows_in_the_other() {
    let (_dir, path) = board_path();
    let mut app = app_in_last_sprint(&path, 160, 48);
    let mut other = app_in_last_sprint_again(&path);
    keys(&mut app, "Qcy");
    assert!(render(&app).contains("2026-Q4 (closed, read-only)"));
    // The other window reads the file again before its next key.
    keys(&mut other, "j");
    assert!(render(&other).contains("2026-Q4 (closed, read-only)"), "{}", render(&other));
    keys(&mut app, "o");
    keys(&mut other, "j");
    assert!(render(&other).contains(" 2027-Q1 "), "{}", render(&other));
}

/// A second window on a board that holds the demo already.
fn app_in_last_sprint_again(path: &std::path::Path) -> quarterdeck::app::App {
    common::app_on_day(path, last_sprint_day())
}

#[test]
fn the_filter_menu_lists_the_items_to_retag_and_tagging_one_clears_its_mark() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let Opened::Quarter { to_retag, .. } = close_and_open(&mut store) else { panic!("not opened") };
    drop(store);
    let mut app = app_at(&path, 160, 48);
    app.overlays.clear();
    keys(&mut app, "f");
    assert!(render(&app).contains("To re-tag: carried from a closed quarter"), "{}", render(&app));
    keys(&mut app, "jj");
    common::key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("↻ to re-tag"), "{screen}");
    assert!(screen.contains(&format!("{to_retag} items")), "{screen}");
    assert!(screen.contains("↻ "), "{screen}");
    // Tag the first one (with nothing new: saving the picker is the re-tagging).
    keys(&mut app, "3t");
    common::key(&mut app, KeyCode::Enter);
    assert!(render(&app).contains(&format!("{} items", to_retag - 1)), "{}", render(&app));
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM item WHERE needs_retag = 1"), i64::try_from(to_retag - 1).unwrap());
}

/// An earlier quarter: its scores where progress was, the items its
/// sprints delivered, no edit offered in the hints.
#[test]
fn closed_quarter_160x48() {
    let (_dir, path) = board_path();
    let app = viewing_the_closed_quarter(&path);
    insta::assert_snapshot!(render(&app));
}

/// The demo closed and the next quarter opened, then `[` back to the demo.
fn viewing_the_closed_quarter(path: &std::path::Path) -> quarterdeck::app::App {
    let mut store = demo_store(path);
    close_and_open(&mut store);
    drop(store);
    let mut app = app_at(path, 160, 48);
    app.overlays.clear();
    keys(&mut app, "[");
    app
}

#[test]
fn only_the_running_quarter_closes_and_only_after_a_close_the_next_opens() {
    let (_dir, path) = board_path();
    let mut app = app_in_last_sprint(&path, 80, 24);
    keys(&mut app, "Qo");
    assert!(render(&app).contains("2026-Q4 is running: close it first (c)"), "{}", render(&app));
    keys(&mut app, "Q");
    keys(&mut app, "n");
    keys(&mut app, "Q");
    assert!(render(&app).contains("Next quarter's OKRs: scored when that quarter closes"), "{}", render(&app));
    keys(&mut app, "c");
    assert!(render(&app).contains("2027-Q1 is a draft: only the running quarter closes"), "{}", render(&app));
    assert_eq!(one::<i64>(&path, "SELECT count(*) FROM quarter WHERE state = 'closed'"), 0);
}

/// A closed quarter is read as it ended: weeks later its KRs are not
/// "stale", as there is nothing left to check in.
#[test]
fn a_closed_quarter_read_weeks_later_shows_no_stale_kr() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    close_and_open(&mut store);
    drop(store);
    let later = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    let keymap = quarterdeck::app::Keymap::default_keys().unwrap();
    let mut app = quarterdeck::app::App::new(Store::open(&path).unwrap(), keymap, later).unwrap();
    app.resize(160, 48).unwrap();
    app.overlays.clear();
    keys(&mut app, "[");
    let screen = render(&app);
    assert!(screen.contains("OKRs of 2026-Q4 (closed)"), "{screen}");
    assert!(!screen.contains("stale"), "{screen}");
}

#[test]
fn opening_late_lays_every_sprint_planned_never_closed_without_a_record() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    let late = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    store.close_quarter(board.quarter.id, &QuarterClose::default(), late, "Closed").unwrap();
    let Opened::Quarter { id, .. } = store.open_next_quarter(board.quarter.id, late, "Opened").unwrap() else { panic!() };
    let states: String = one(&path, &format!("SELECT group_concat(DISTINCT state) FROM sprint WHERE quarter_id = {id}"));
    assert_eq!(states, "planned", "sprints already over are not born closed (no review, no record)");
}

#[test]
fn a_draft_begun_early_opens_after_the_closed_quarters_last_sprint() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    store.create_draft("2027-Q1", NaiveDate::from_ymd_opt(2027, 1, 18).unwrap(), "Drafting").unwrap();
    // The team adds a sprint 7 to the running quarter after drafting began.
    Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO sprint (quarter_id, number, start_date, end_date, capacity, state)
             VALUES (?1, 7, '2027-01-18', '2027-01-31', 20, 'planned')",
            [board.quarter.id],
        )
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2027, 1, 29).unwrap();
    store.close_quarter(board.quarter.id, &QuarterClose::default(), day, "Closed").unwrap();
    let Opened::Quarter { id, .. } = store.open_next_quarter(board.quarter.id, day, "Opened").unwrap() else { panic!() };
    let first: String = one(&path, &format!("SELECT min(start_date) FROM sprint WHERE quarter_id = {id}"));
    assert_eq!(first, "2027-02-01", "the day after the closed quarter's S7, not inside it");
}

#[test]
fn drafting_while_viewing_an_earlier_quarter_drafts_the_one_after_the_running_quarter() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    close_and_open(&mut store);
    drop(store);
    let mut app = app_at(&path, 160, 48);
    app.overlays.clear();
    keys(&mut app, "[");
    assert!(render(&app).contains("2026-Q4 (closed, read-only)"), "{}", render(&app));
    keys(&mut app, "n");
    let (draft_start, draft_label): (String, String) = Connection::open(&path)
        .unwrap()
        .query_row("SELECT start_date, label FROM quarter WHERE state = 'draft'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let running_end: String =
        one(&path, "SELECT max(s.end_date) FROM sprint s JOIN quarter q ON q.id = s.quarter_id WHERE q.state = 'open'");
    assert!(draft_start > running_end, "draft {draft_label} from {draft_start}; the running quarter ends {running_end}");
    assert_ne!(draft_label, one::<String>(&path, "SELECT label FROM quarter WHERE state = 'open'"));
}

/// A dump of what the close and the opening write, to compare before and after undo.
fn quarter_rows(path: &std::path::Path) -> String {
    let mut out = String::new();
    for sql in [
        "SELECT group_concat(id||':'||label||':'||start_date||':'||state||':'||coalesce(closed_on,'-')||':'||closing_note, ' ') FROM quarter",
        "SELECT group_concat(id||':'||quarter_id||':'||number||':'||start_date||':'||state, ' ') FROM sprint",
        "SELECT group_concat(id||':'||quarter_id||':'||name, ' ') FROM team_member",
        "SELECT group_concat(id||':'||coalesce(sprint_id,'-')||':'||needs_retag||':'||state, ' ') FROM item",
        "SELECT group_concat(id||':'||coalesce(score,'-'), ' ') FROM key_result",
        "SELECT group_concat(id||':'||closing_note, ' ') FROM objective",
        "SELECT group_concat(item_id||':'||key_result_id, ' ') FROM item_kr",
    ] {
        out.push_str(&one::<Option<String>>(path, sql).unwrap_or_default());
        out.push('\n');
    }
    out
}

#[test]
fn undo_twice_takes_back_opening_from_a_draft_and_the_close_with_a_closing_note() {
    let (_dir, path) = board_path();
    let mut app = app_in_last_sprint(&path, 160, 48);
    keys(&mut app, "na");
    common::key(&mut app, KeyCode::Enter);
    keys(&mut app, "Grow repeat purchases");
    common::key(&mut app, KeyCode::Enter);
    keys(&mut app, "n");
    let before = quarter_rows(&path);
    // Past the two quarter lines to O1: its closing note.
    keys(&mut app, "Qjje");
    common::clear_field(&mut app);
    keys(&mut app, "0.9");
    common::key(&mut app, KeyCode::Enter);
    keys(&mut app, "cyo");
    assert_ne!(quarter_rows(&path), before);
    // Each of the two steps asks first (issue 15): `y` confirms.
    keys(&mut app, "uyuy");
    assert_eq!(quarter_rows(&path), before, "{}", render(&app));
}

/// `Esc` on the quarter screen keeps what was typed: `Q` shows it again,
/// and the close writes it (a trial lost a score and a note to `Esc`).
#[test]
fn scores_and_notes_typed_survive_leaving_the_quarter_screen() {
    let (_dir, path) = board_path();
    let mut app = app_in_last_sprint(&path, 160, 48);
    keys(&mut app, "Qjje");
    common::clear_field(&mut app);
    keys(&mut app, "0.9");
    common::key(&mut app, KeyCode::Enter);
    keys(&mut app, "ke");
    keys(&mut app, "Saved cards shipped");
    common::key(&mut app, KeyCode::Enter);
    common::key(&mut app, KeyCode::Esc);
    assert!(app.overlays.is_empty(), "back on the board");
    assert!(render(&app).contains("typed are kept"), "{}", render(&app));
    keys(&mut app, "Q");
    let screen = render(&app);
    assert!(screen.contains("0.9 on target") && screen.contains("Saved cards shipped"), "{screen}");
    keys(&mut app, "cy");
    assert_eq!(one::<f64>(&path, "SELECT score FROM key_result WHERE id = 1"), 0.9);
    assert_eq!(one::<String>(&path, "SELECT closing_note FROM objective WHERE position = 1"), "Saved cards shipped");
}

#[test]
fn the_next_quarter_keeps_the_teams_roles() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    close_and_open(&mut store);
    // The demo's roles (Priya, Product Owner; Sofia, Scrum Master; Jonas,
    // OKR champion) on the running quarter's team after the opening.
    let roles: Vec<(String, i64, i64, i64)> = Connection::open(&path)
        .unwrap()
        .prepare(
            "SELECT m.name, m.product_owner, m.scrum_master, m.okr_champion FROM team_member m
             JOIN quarter q ON q.id = m.quarter_id WHERE q.state = 'open'
             AND (m.product_owner + m.scrum_master + m.okr_champion) > 0 ORDER BY m.name",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(roles, [("Jonas".into(), 0, 0, 1), ("Priya".into(), 1, 0, 0), ("Sofia".into(), 0, 1, 0)]);
}

#[test]
fn a_planning_day_between_quarters_pushes_the_next_quarter_a_day_on() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    Connection::open(&path).unwrap().execute("UPDATE quarter SET overlap_strategy = 'planning_day'", []).unwrap();
    close_and_open(&mut store);
    // S6 ends Sunday Jan 17; Monday Jan 18 is the planning day, of neither quarter.
    let start: String = one(&path, "SELECT start_date FROM quarter WHERE state = 'open'");
    assert_eq!(start, "2027-01-19");
    let first: String =
        one(&path, "SELECT min(s.start_date) FROM sprint s JOIN quarter q ON q.id = s.quarter_id WHERE q.state = 'open'");
    assert_eq!(first, "2027-01-19");
}

#[test]
fn an_item_of_a_closed_quarter_is_not_written_by_a_form_left_open() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    // Another window closes the quarter while this one's item form is open.
    store.close_quarter(board.quarter.id, &QuarterClose::default(), last_sprint_day(), "Closed").unwrap();
    let rename = quarterdeck::store::ItemChanges {
        title: Some(quarterdeck::domain::values::Title::parse("Renamed").expect("a title")),
        points: None,
        kind: None,
        description: None,
        deferred_reason: None,
    };
    // #17 waits in the backlog (no sprint), #1 was delivered by the closed S1.
    for item in [17, 1] {
        let refused = store.update_item(item, &rename, "Saved").unwrap_err();
        assert!(refused.to_string().contains("2026-Q4 is closed"), "#{item}: {refused}");
    }
    assert!(store.step_item_state(17, true, last_sprint_day(), |_, _| "Step".into()).is_err());
    let renamed: i64 = one(&path, "SELECT count(*) FROM item WHERE title = 'Renamed'");
    assert_eq!(renamed, 0);
    // Once the next quarter opens, its backlog is written again.
    store.open_next_quarter(board.quarter.id, last_sprint_day(), "Opened").unwrap();
    store.update_item(17, &rename, "Saved").unwrap();
    assert!(store.update_item(1, &rename, "Saved").is_err(), "what the closed quarter delivered stays its history");
}

#[test]
fn a_kr_filter_of_a_quarter_closed_in_another_window_is_cleared_and_said() {
    let (_dir, path) = board_path();
    let mut app = app_in_last_sprint(&path, 160, 48);
    select_okr(&mut app, "KR2.2");
    assert!(app.backlog.filter.key_result.is_some(), "selecting a KR filters the backlog");
    // Another window closes the quarter and opens the next.
    let mut other = Store::open(&path).unwrap();
    close_and_open(&mut other);
    app.poll_external_changes().unwrap();
    assert_eq!(app.backlog.filter.key_result, None);
    let screen = render(&app);
    assert!(screen.contains("it was cleared"), "{screen}");
    assert!(!screen.contains(" old "), "no item the closed quarter delivered is listed:\n{screen}");
}

#[test]
fn an_edit_of_a_closed_quarter_with_none_running_says_how_to_open_the_next() {
    let (_dir, path) = board_path();
    let mut app = app_in_last_sprint(&path, 80, 24);
    keys(&mut app, "Qcy");
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "3a");
    let screen = render(&app);
    assert!(screen.contains("is closed: read-only (Q, then o, opens the next quarter)"), "{screen}");
}

/// The line after opening the next quarter names the user's filter key,
/// not `f` (the keymap rebinds it).
#[test]
fn opening_the_next_quarter_names_the_users_filter_key() {
    let (_dir, path) = board_path();
    let mut store = demo_store(&path);
    let board = store.load_board().unwrap().unwrap();
    let close = QuarterClose { kr_scores: Vec::new(), objective_notes: Vec::new(), note: String::new() };
    store.close_quarter(board.quarter.id, &close, last_sprint_day(), "Closed 2026-Q4").unwrap();
    drop(store);
    let mut app = common::app_with_keymap(&path, "[board]\nfilter_menu = [\"ctrl-f\"]\n", 160, 48);
    keys(&mut app, "Q");
    keys(&mut app, "o");
    let screen = render(&app);
    assert!(screen.contains("Opened 2027-Q1"), "{screen}");
    assert!(screen.contains("(ctrl-f lists those to re-tag)"), "{screen}");
    assert!(!screen.contains("(f lists"), "{screen}");
}
