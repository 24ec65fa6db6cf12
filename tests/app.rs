//! The app driven by key events against a temporary board, asserting on the
//! file's contents and on the rendered screen.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, clear_field, demo_store, key, keys, render, select_item, select_okr, select_sprint, today};
use quarterdeck::{
    app::{App, Detail, Overlay, Pane},
    store::{Store, UiKey},
};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

#[test]
fn d_on_the_welcome_screen_loads_the_demo() {
    let (_dir, path) = board_path();
    let mut app = app_at(&path, 160, 48);
    assert!(render(&app).contains("This board is empty"));
    keys(&mut app, "d");
    let screen = render(&app);
    for expected in ["OKRs", "Timeline", "Backlog", "KR1.1", "Checkout conversion", "40 items, 148 pts", "Sprint 3 of 6"] {
        assert!(screen.contains(expected), "missing {expected:?} in\n{screen}");
    }
    assert!(Store::open(&path).unwrap().has_quarter().unwrap(), "written to the file");
}

#[test]
fn tab_number_keys_and_shift_tab_switch_panes() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    assert_eq!(app.focus, Pane::Okrs);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Timeline);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Backlog);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Okrs);
    app.handle_event(&Event::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)));
    assert_eq!(app.focus, Pane::Backlog);
    keys(&mut app, "2");
    assert_eq!(app.focus, Pane::Timeline);
    assert!(render(&app).contains("S3 ▶"), "tabbed layout shows the timeline pane");
}

#[test]
fn selecting_a_kr_filters_the_backlog_and_esc_clears_it() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_okr(&mut app, "KR1.1");
    assert_eq!(app.backlog.summary.count, 10);
    let screen = render(&app);
    assert!(screen.contains("filter: KR1.1"), "{screen}");
    assert!(!screen.contains("Fix VAT rounding"), "BAU item hidden by the KR filter");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.backlog.summary.count, 40);
    assert!(!render(&app).contains("filter:"));
    keys(&mut app, "k");
    assert_eq!(app.backlog.filter.key_result, None, "an objective row lists the whole backlog");
}

#[test]
fn backlog_moves_jump_and_page() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "3");
    keys(&mut app, "G");
    assert_eq!(app.backlog.selected, 39);
    assert!(render(&app).contains("40/40"));
    assert!(render(&app).contains("Evaluate a new search engine"), "last row scrolled into view");
    keys(&mut app, "g");
    assert_eq!(app.backlog.selected, 0);
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.backlog.selected, app.backlog.height);
    key(&mut app, KeyCode::End);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.backlog.selected, 39, "stops at the last row");
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Up);
    assert_eq!(app.backlog.selected, 0, "stops at the first row");
}

#[test]
fn enter_opens_a_read_only_detail_and_esc_closes_it() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    select_item(&mut app, "Roll one-click payment out to 50 % of buyers");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("Item #13"), "{screen}");
    assert!(screen.contains("KR1.1 Checkout conversion, KR1.2 p95 checkout load time"), "{screen}");
    key(&mut app, KeyCode::Esc);
    assert!(app.overlays.is_empty());

    keys(&mut app, "2");
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Detail { detail: Detail::Sprint { items, .. }, .. }) = app.overlays.last() else { panic!("sprint detail") };
    assert_eq!(items.len(), 5);
    assert!(render(&app).contains("Sprint backlog (5 items)"));
    key(&mut app, KeyCode::Esc);

    select_okr(&mut app, "KR1.1");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("Key result KR1.1") && screen.contains("Check-ins"), "{screen}");
    assert!(screen.contains("10 items"), "{screen}");
}

#[test]
fn help_lists_the_keymap() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "?");
    let screen = render(&app);
    assert!(screen.contains("Next pane") && screen.contains("Open details of the selection"), "{screen}");
    assert!(screen.contains("pgdn"), "{screen}");
    keys(&mut app, "?");
    assert!(app.overlays.is_empty());
}

#[test]
fn the_same_pane_and_rows_come_back_after_a_restart() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_okr(&mut app, "KR1.3");
    select_sprint(&mut app, 4);
    select_item(&mut app, "3-D Secure challenge in an overlay, not a redirect"); // the third of KR1.3's items
    let (item, okr, sprint, filter) =
        (app.backlog.selected_id(), app.okr_selected, app.sprint_selected, app.backlog.filter.clone());
    keys(&mut app, "q");
    assert!(app.should_quit);
    drop(app);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.ui_value(UiKey::FocusedPane).unwrap().as_deref(), Some("backlog"));
    drop(store);
    let again = app_at(&path, 160, 48);
    assert_eq!(again.focus, Pane::Backlog);
    assert_eq!(again.okr_selected, okr);
    assert_eq!(again.sprint_selected, sprint);
    assert_eq!(again.backlog.filter, filter);
    assert_eq!(again.backlog.selected_id(), item);
    assert!(render(&again).contains("filter: KR1.3"));
}

#[test]
fn the_new_quarter_form_refuses_bad_input_and_keeps_it() {
    let (_dir, path) = board_path();
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "n");
    // Label: clear it, leaving it empty.
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    key(&mut app, KeyCode::Tab);
    for _ in 0..12 {
        key(&mut app, KeyCode::Backspace);
    }
    keys(&mut app, "2027-13-01");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Backspace);
    keys(&mut app, "0");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("Give the quarter a label"), "{screen}");
    // Written as YYYY-MM-DD, it is told which part names no day (not asked for its form).
    assert!(screen.contains("2027-13-01 is not a day: a year has 12 months"), "{screen}");
    assert!(screen.contains("Between 1 and 13 sprints"), "{screen}");
    assert!(!Store::open(&path).unwrap().has_quarter().unwrap(), "nothing written");
    assert!(matches!(app.overlays.last(), Some(Overlay::Form(_))), "the form stays open");

    // Fix each field; focus went to the first bad one (the label).
    keys(&mut app, "2027-Q1");
    key(&mut app, KeyCode::Tab);
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    keys(&mut app, "2027-01-04");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Backspace);
    keys(&mut app, "4");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Backspace);
    keys(&mut app, "3");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlays.is_empty(), "{}", render(&app));
    let board = Store::open(&path).unwrap().load_board().unwrap().unwrap();
    assert_eq!(board.quarter.label, "2027-Q1");
    assert_eq!(board.sprints.len(), 4);
    assert_eq!((board.sprints[3].end - board.sprints[0].start).num_days(), 83);
    assert!(render(&app).contains("Created quarter 2027-Q1 with 4 sprints"));
}

#[test]
fn a_paste_lands_in_the_focused_field_as_one_line() {
    let (_dir, path) = board_path();
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "n");
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    app.handle_event(&Event::Paste("Team\nAlpha\u{1b}[31m".into()));
    let Some(Overlay::Form(form)) = app.overlays.last() else { panic!("form") };
    assert_eq!(form.fields[0].input.value(), "Team Alpha [31m");
}

#[test]
fn edits_from_another_process_show_up() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    assert!(!app.poll_external_changes().unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE sprint SET goal = 'Changed elsewhere' WHERE number = 3", []).unwrap();
    assert!(app.poll_external_changes().unwrap());
    assert!(render(&app).contains("Changed elsewhere"));
}

#[test]
fn a_terminal_too_small_says_how_big_it_must_be() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 40, 10);
    let screen = render(&app);
    assert!(screen.contains("Terminal too small: 40x10") && screen.contains("needs 60x16"), "{screen}");
    keys(&mut app, "jjGg3");
    app.resize(30, 5).unwrap();
    render(&app);
    app.resize(160, 48).unwrap();
    assert!(render(&app).contains("Timeline"));
}

#[test]
fn untrusted_text_never_reaches_the_screen_raw() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE item SET title = 'Evil \u{1b}[2J\u{202e}title' WHERE id = 1", []).unwrap();
    conn.execute("UPDATE team_member SET name = 'Eve \u{1b}[31m' WHERE id = 1", []).unwrap();
    drop(conn);
    let mut app = app_at(&path, 160, 48);
    let screen = render(&app);
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{202e}'));
    assert!(screen.contains("Evil ␛[2J�title"), "{screen}");
    // Dialog titles name items and members too.
    select_item(&mut app, "Evil \u{1b}[2J\u{202e}title");
    keys(&mut app, "t");
    let screen = render(&app);
    assert!(!screen.contains('\u{1b}') && screen.contains("KRs moved by 'Evil ␛[2J�title'"), "{screen}");
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "Ce");
    let screen = render(&app);
    assert!(!screen.contains('\u{1b}') && screen.contains("Team member Eve ␛[31m"), "{screen}");
    let _ = today();
}

#[test]
fn an_empty_quarter_says_so_in_each_pane() {
    let (_dir, path) = board_path();
    let mut store = Store::open(&path).unwrap();
    let quarter = quarterdeck::store::board::NewQuarter {
        label: "Q".into(),
        start: today(),
        span: quarterdeck::domain::values::SprintSpan::new(6, 2).expect("a sprint span"),
    };
    store.create_quarter(&quarter, today()).unwrap();
    drop(store);
    let mut app = app_at(&path, 80, 24);
    // Sprint 1 starts today and was never started: not now.
    assert!(render(&app).contains("Start it now?"));
    keys(&mut app, "n");
    assert!(render(&app).contains("No objectives yet"));
    keys(&mut app, "3");
    assert!(render(&app).contains("The backlog is empty"));
    keys(&mut app, "2");
    assert!(render(&app).contains("no KR and no reason given (M2)"));
}

#[test]
fn long_item_ids_are_never_cut() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE item SET id = 1234567 WHERE id = 4", []).unwrap(); // a BAU item: no tags point at it
    drop(conn);
    let app = app_at(&path, 80, 24);
    let mut app = app;
    keys(&mut app, "3");
    assert!(render(&app).contains("1234567 Fix VAT rounding"), "{}", render(&app));
}

fn shift(app: &mut App, ch: char) {
    app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char(ch), KeyModifiers::SHIFT)));
}

fn backlog_titles(app: &App) -> Vec<String> {
    app.store.backlog_page(&quarterdeck::store::ItemFilter::default(), 0, 40).unwrap().into_iter().map(|row| row.title).collect()
}

#[test]
fn ranking_moves_the_item_and_keeps_it_selected_across_a_restart() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    let start = backlog_titles(&app);
    keys(&mut app, "3G");
    shift(&mut app, 'K');
    shift(&mut app, 'K');
    assert_eq!(app.backlog.selected, 37);
    assert_eq!(app.backlog.selected_row().unwrap().title, start[39]);
    assert!(render(&app).contains("Moved 'Evaluate a new search engine for the cat…' up"), "{}", render(&app));
    shift(&mut app, 'T');
    assert_eq!(app.backlog.selected, 0);
    assert_eq!(backlog_titles(&app)[0], start[39]);
    keys(&mut app, "jj");
    shift(&mut app, 'J');
    assert_eq!(app.backlog.selected, 3);
    keys(&mut app, "q");
    drop(app);

    let again = app_at(&path, 160, 48);
    let order = backlog_titles(&again);
    assert_eq!(order[0], start[39]);
    assert_eq!(order[3], start[1], "the item moved down stays where it went");
    assert_eq!(again.backlog.selected_row().unwrap().title, start[1]);
}

#[test]
fn state_moves_on_and_back_recording_the_done_date() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    select_item(&mut app, "Apple Pay and Google Pay buttons"); // todo, in no sprint
    let id = app.backlog.selected_id().unwrap();
    keys(&mut app, "s");
    assert!(render(&app).contains("is now doing"));
    keys(&mut app, "s");
    let done: Option<String> = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT done_on FROM item WHERE id = ?1", [id], |row| row.get(0))
        .unwrap();
    assert_eq!(done.as_deref(), Some("2026-11-23"));
    shift(&mut app, 'S');
    let done: Option<String> = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT done_on FROM item WHERE id = ?1", [id], |row| row.get(0))
        .unwrap();
    assert_eq!(done, None, "no longer done, no done date");
}

#[test]
fn undo_and_redo_work_across_a_restart() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    let start = backlog_titles(&app);
    select_item(&mut app, "Fix VAT rounding on Swiss invoices");
    shift(&mut app, 'K');
    shift(&mut app, 'S'); // done -> doing
    shift(&mut app, 'T');
    let edited = backlog_titles(&app);
    keys(&mut app, "q");
    drop(app);

    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "uuu");
    assert_eq!(backlog_titles(&app), start);
    assert!(render(&app).contains("Undid: Moved 'Fix VAT rounding on Swiss invoices' up"), "{}", render(&app));
    keys(&mut app, "u");
    assert!(render(&app).contains("Nothing to undo"));
    for _ in 0..3 {
        app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)));
    }
    assert_eq!(backlog_titles(&app), edited);
}

#[test]
fn item_edits_outside_the_backlog_say_where_to_go() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    shift(&mut app, 'K');
    assert!(render(&app).contains("Select an item in the backlog first"));
}

fn tags_of(path: &std::path::Path, id: i64) -> Vec<i64> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut statement = conn.prepare("SELECT key_result_id FROM item_kr WHERE item_id = ?1 ORDER BY 1").unwrap();
    statement.query_map([id], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

#[test]
fn t_tags_an_item_with_krs_and_untagging_all_makes_it_bau() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_item(&mut app, "Fix VAT rounding on Swiss invoices"); // BAU
    let id = app.backlog.selected_id().unwrap();
    keys(&mut app, "t");
    let screen = render(&app);
    assert!(screen.contains("KRs moved by 'Fix VAT rounding on Swiss invoices'"), "{screen}");
    assert!(screen.contains("[ ] KR1.1 Checkout conversion"), "{screen}");
    keys(&mut app, " jj ");
    key(&mut app, KeyCode::Enter);
    assert_eq!(tags_of(&path, id), [1, 3]);
    let screen = render(&app);
    assert!(screen.contains("Tagged 'Fix VAT rounding on Swiss invoices' with KR1.1, KR1.3"), "{screen}");
    assert!(screen.contains("KR1.1 KR1.3"), "the backlog row shows the tags");

    select_okr(&mut app, "KR1.1"); // filter by KR1.1: the item is listed now
    keys(&mut app, "3");
    assert_eq!(app.backlog.summary.count, 11);
    keys(&mut app, "t");
    let Some(Overlay::Picker(picker)) = app.overlays.last() else { panic!("picker") };
    assert!(picker.choices[0].chosen() && picker.choices[2].chosen(), "the picker shows the current tags");
    keys(&mut app, " jj ");
    key(&mut app, KeyCode::Enter);
    assert!(tags_of(&path, id).is_empty());
    assert!(render(&app).contains("moves no KR now: BAU"));
    keys(&mut app, "u");
    assert_eq!(tags_of(&path, id), [1, 3], "one undo step");
}

#[test]
fn esc_leaves_the_tags_as_they_were() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "3");
    keys(&mut app, "t jjj ");
    key(&mut app, KeyCode::Esc);
    assert_eq!(tags_of(&path, 1), [1]);
    assert!(app.overlays.is_empty());
}

#[test]
fn m_plans_an_item_into_a_sprint_and_its_load_follows() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_item(&mut app, "Evaluate a new search engine for the catalogue"); // 3 points, no sprint
    keys(&mut app, "m");
    assert!(render(&app).contains("Plan 'Evaluate a new search engine for the cat…' into"));
    keys(&mut app, "j"); // Not in a sprint, S3 (the closed S1 and S2 are not offered)
    key(&mut app, KeyCode::Enter);
    let board = app.board.as_ref().unwrap();
    assert_eq!(board.sprints[2].load, 20);
    let screen = render(&app);
    assert!(screen.contains("Moved 'Evaluate a new search engine for the cat…' to Sprint 3"), "{screen}");
    assert!(screen.contains("20/21"), "the timeline shows the new load");
    keys(&mut app, "m");
    let Some(Overlay::Picker(picker)) = app.overlays.last() else { panic!("picker") };
    assert_eq!(picker.cursor, 1, "the picker opens on the item's sprint (after 'Not in a sprint')");
    keys(&mut app, "k");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.board.as_ref().unwrap().sprints[2].load, 17);
    assert!(render(&app).contains("Took 'Evaluate a new search engine for the cat…' out of its sprint"));
}

#[test]
fn pickers_wrap_around() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "3tk");
    let Some(Overlay::Picker(picker)) = app.overlays.last() else { panic!("picker") };
    assert_eq!(picker.cursor, 6, "up from the first KR is the last");
    keys(&mut app, "j");
    let Some(Overlay::Picker(picker)) = app.overlays.last() else { panic!("picker") };
    assert_eq!(picker.cursor, 0);
}

#[test]
fn a_adds_an_item_after_checking_the_form() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    keys(&mut app, "3a");
    assert!(render(&app).contains("New backlog item"));
    key(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    keys(&mut app, "lots");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("Give the item a title"), "{screen}");
    assert!(screen.contains("\"lots\" is not a whole number"), "{screen}");
    assert_eq!(Store::open(&path).unwrap().backlog_summary(&Default::default()).unwrap().count, 40, "nothing written");

    keys(&mut app, "Export refunds as CSV"); // focus went back to the title
    key(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    keys(&mut app, "5");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlays.is_empty(), "{}", render(&app));
    assert_eq!(app.backlog.summary.count, 41);
    assert_eq!(app.backlog.selected_row().unwrap().title, "Export refunds as CSV", "the new item is selected");
    assert!(render(&app).contains("Added 'Export refunds as CSV' to the bottom of the backlog"));
    keys(&mut app, "u");
    assert_eq!(app.backlog.summary.count, 40, "one undo takes it away");
}

#[test]
fn an_item_added_under_a_kr_filter_is_tagged_with_it() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_okr(&mut app, "KR1.2"); // filter: KR1.2
    keys(&mut app, "3a");
    assert!(render(&app).contains("New backlog item (tagged KR1.2)"));
    keys(&mut app, "Preload fonts");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.backlog.selected_row().unwrap().kr_codes, ["KR1.2"]);
}

#[test]
fn e_edits_the_selected_item_and_sprint_loads_follow() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    select_item(&mut app, "Cache shipping rates per postcode");
    assert_eq!(app.backlog.selected_row().unwrap().title, "Cache shipping rates per postcode");
    keys(&mut app, "e");
    assert!(render(&app).contains("Edit item #12"));
    key(&mut app, KeyCode::Tab);
    clear_field(&mut app);
    keys(&mut app, "5");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.board.as_ref().unwrap().sprints[2].load, 20, "17 + 3 more points");
    assert!(render(&app).contains("Saved 'Cache shipping rates per postcode'"));
}

#[test]
fn d_asks_naming_the_item_and_deletes_only_on_yes() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    select_item(&mut app, "Roll one-click payment out to 50 % of buyers");
    keys(&mut app, "d");
    let screen = render(&app);
    assert!(screen.contains("Delete item #13 'Roll one-click payment out to 50 % of"), "{screen}");
    assert!(screen.contains("buyers'?"), "{screen}");
    assert!(screen.contains("2 points, tagged KR1.1, KR1.2, planned in Sprint 3"), "{screen}");
    keys(&mut app, "n");
    assert!(render(&app).contains("Nothing was deleted"));
    assert_eq!(app.backlog.summary.count, 40);
    keys(&mut app, "dy");
    assert_eq!(app.backlog.summary.count, 39);
    assert_eq!(app.board.as_ref().unwrap().sprints[2].load, 15);
    keys(&mut app, "u");
    assert_eq!(tags_of(&path, 13), [1, 2], "undo brings it back with its tags");
}

#[test]
fn slash_searches_titles_as_you_type_and_esc_clears() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "/");
    assert_eq!(app.focus, Pane::Backlog);
    keys(&mut app, "ca");
    let after_two = app.backlog.summary.count;
    keys(&mut app, "rd");
    assert!(after_two > app.backlog.summary.count, "the list narrows as you type");
    let titles: Vec<String> =
        app.store.backlog_page(&app.backlog.filter, 0, 50).unwrap().into_iter().map(|row| row.title).collect();
    assert!(!titles.is_empty() && titles.iter().all(|title| title.to_lowercase().contains("card")), "{titles:?}");
    assert!(render(&app).contains("search: card"));
    key(&mut app, KeyCode::Enter);
    assert!(render(&app).contains("filter: \"card\""), "enter keeps the search: {}", render(&app));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.backlog.summary.count, 40);
}

#[test]
fn the_filter_menu_combines_filters_with_the_kr_one() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "f");
    assert!(render(&app).contains("Filter the backlog"));
    key(&mut app, KeyCode::Enter); // BAU only
    assert_eq!(app.backlog.summary.count, 12);
    assert!(app.store.backlog_page(&app.backlog.filter, 0, 40).unwrap().iter().all(|row| row.is_bau()));
    keys(&mut app, "fj");
    key(&mut app, KeyCode::Enter); // and not in a sprint
    assert_eq!(app.backlog.summary.count, 7);
    let screen = render(&app);
    assert!(screen.contains("filter: not in a sprint · BAU only"), "{screen}");
    keys(&mut app, "fjj");
    key(&mut app, KeyCode::Enter); // and todo
    assert_eq!(app.backlog.summary.count, 7);
    assert!(render(&app).contains("filter: todo · not in a sprint · BAU only"));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.backlog.summary.count, 40, "esc clears every filter");

    select_okr(&mut app, "KR1.1"); // then only what is in sprint 3
    keys(&mut app, "3");
    keys(&mut app, "f");
    for _ in 0..7 {
        keys(&mut app, "j");
    }
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("KR1.1 Checkout conversion · in S3"), "{screen}");
    assert_eq!(app.backlog.summary.count, 1);
    assert_eq!(app.backlog.selected_row().unwrap().title, "Roll one-click payment out to 50 % of buyers");
}

#[test]
fn an_item_that_copies_a_kr_title_is_flagged_m10() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "3a");
    keys(&mut app, "checkout conversion");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("⚠ checkout conversion"), "{screen}");
    key(&mut app, KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains("M10: this title copies KR1.1 \"Checkout conversion\""), "{screen}");
}

#[test]
fn the_filter_menu_lists_orphan_krs() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    // Only done items move KR3.2 now.
    conn.execute("UPDATE item SET state = 'done' WHERE id IN (SELECT item_id FROM item_kr WHERE key_result_id = 7)", []).unwrap();
    drop(conn);
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "f");
    let screen = render(&app);
    assert!(screen.contains("Orphan KR: KR3.2 Uptime (no open item moves it)"), "{screen}");
    assert!(!screen.contains("Orphan KR: KR3.1"), "KR3.1 still has open items");
    for _ in 0..11 {
        keys(&mut app, "j");
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.backlog.filter.key_result, Some(7));
}

#[test]
fn capital_e_hands_the_description_to_the_editor_and_saves_what_comes_back() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 80, 24);
    select_item(&mut app, "One-click payment for saved cards"); // with a description
    shift(&mut app, 'E');
    let request = app.editor_request.take().expect("an editor is asked for");
    assert_eq!(request.text, "Behind the flag one_click; rolled out to 10 % of buyers.");

    app.finish_description(&request, Ok(format!("{}\n", request.text))).unwrap();
    assert!(render(&app).contains("is unchanged"));
    app.finish_description(&request, Err("The editor \"vi\" ended with exit status: 1".into())).unwrap();
    assert!(render(&app).contains("the description was not changed"));

    app.finish_description(&request, Ok("Line one.\nLine two.\n".into())).unwrap();
    assert!(render(&app).contains("Edited the description of 'One-click payment for saved cards'"));
    let saved = app.store.item_detail(request.item).unwrap().unwrap().description;
    assert_eq!(saved, "Line one.\nLine two.");
    keys(&mut app, "u");
    assert_eq!(app.store.item_detail(request.item).unwrap().unwrap().description, request.text, "one undo step");
}

#[test]
fn sprint_planning_ranks_candidates_by_kr_and_warns_as_the_plan_grows() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "p"); // the timeline's selection: the running sprint 3
    let screen = render(&app);
    assert!(screen.contains("Sprint planning: Sprint 3"), "{screen}");
    assert!(screen.contains("17/21 pts"), "{screen}");
    // The demo keeps the method: 60-70 % OKR work.
    assert!(screen.contains("OKR 11 pts (65 %) · BAU 6 pts (35 %)"), "{screen}");
    assert!(!screen.contains("(M4)"), "{screen}");
    let planning = app.planning().unwrap();
    let relevance: Vec<u32> = planning.candidates.iter().map(|(_, relevance)| *relevance).collect();
    assert!(relevance.windows(2).all(|pair| pair[0] >= pair[1]), "most relevant first: {relevance:?}");
    assert_eq!(planning.candidates[0].0.title, "Split checkout bundle by route", "serves the focus KR1.2");

    // Pull the two focus-KR items in: 17 + 5 + 2 = 24 > 21.
    keys(&mut app, " ");
    keys(&mut app, " ");
    assert_eq!(app.board.as_ref().unwrap().sprints[2].load, 24);
    let screen = render(&app);
    assert!(screen.contains("Over capacity: 24 of 21 points planned"), "{screen}");
    assert!(screen.contains("(M4)"), "too much OKR work is flagged: {screen}");
    assert!(screen.contains("Moved 'Measure p95 per step in real-user monito…' to Sprint 3"), "{screen}");

    // Take one back out from the sprint side, then undo that.
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "G ");
    assert_eq!(app.board.as_ref().unwrap().sprints[2].load, 22);
    keys(&mut app, "u");
    assert_eq!(app.planning().unwrap().sprint_items.len(), 7);
    key(&mut app, KeyCode::Esc);
    assert!(app.planning().is_none());
    assert!(render(&app).contains("24/21 ⚠"), "the timeline shows the overload");
}

#[test]
fn planning_sprint_one_and_the_last_sprint_gives_their_advice() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE sprint SET capacity = 25 WHERE number = 1", []).unwrap();
    drop(conn);
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "2gp");
    assert!(render(&app).contains("(M5)"), "{}", render(&app));
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "Gp");
    for _ in 0..3 {
        keys(&mut app, " "); // 5 + 3 + 3 points of churn work into sprint 6
    }
    keys(&mut app, "jj ");
    let screen = render(&app);
    assert!(screen.contains("(M6)"), "{screen}");
}

#[test]
fn moving_in_and_out_keeps_both_lists_as_a_fresh_read_would() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "p jj ");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "j ");
    let updated = app.planning().cloned().unwrap();
    keys(&mut app, "u");
    app.update(quarterdeck::app::Action::Redo).unwrap(); // a redo re-reads both lists
    let fresh = app.planning().cloned().unwrap();
    let titles = |rows: &[(quarterdeck::domain::ItemRow, u32)]| {
        rows.iter().map(|(row, score)| (row.title.clone(), *score)).collect::<Vec<_>>()
    };
    assert_eq!(titles(&updated.candidates), titles(&fresh.candidates));
    assert_eq!(updated.candidate_total, fresh.candidate_total);
    assert_eq!(updated.sprint_items, fresh.sprint_items);
}

#[test]
fn choosing_the_sprints_krs_in_planning_reranks_the_candidates() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "p");
    assert_eq!(app.planning().unwrap().candidates[0].0.title, "Split checkout bundle by route");
    keys(&mut app, "t");
    keys(&mut app, "jjj "); // add KR2.1 to sprint 3's KRs
    key(&mut app, KeyCode::Enter);
    assert!(render(&app).contains("Sprint 3's goal serves KR1.1, KR1.2, KR2.1"), "{}", render(&app));
    let planning = app.planning().unwrap();
    assert!(planning.candidates.iter().any(|(row, score)| row.kr_codes == ["KR2.1"] && *score == 1), "KR2.1 items now count");
}
