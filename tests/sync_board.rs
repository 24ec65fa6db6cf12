//! Issue 19, the board's part: where a board tied to a git repository
//! stands with its sync, in the header and the presentation; item numbers
//! given on this laptop since the last sync shown provisional (`#47*`).
//! The store's `sync_link` is set directly, as a sync would leave it.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, demo_store, keys, render};
use quarterdeck::{app::Action, store::Store};
use rusqlite::Connection;

/// The demo board, tied as if synced on 20 Nov (midday UTC: the same day
/// in every time zone the tests run in) with 3 changes to send, 2 to
/// fetch, and the newest item numbered here since.
fn tied_demo() -> (tempfile::TempDir, std::path::PathBuf, i64) {
    let (dir, path) = board_path();
    let mut store = demo_store(&path);
    store.set_sync_link("git@example.com:team/board.git", "/tmp/clone", "main", "quarterdeck").unwrap();
    let newest: i64 = Connection::open(&path).unwrap().query_row("SELECT max(id) FROM item", [], |row| row.get(0)).unwrap();
    store
        .update_sync_link(|link| {
            link.last_sync_at = Some("2026-11-20T12:00:00Z".into());
            link.pushed_count = link.change_count - 3;
            link.incoming = 2;
            link.numbers_fixed_upto = newest - 1;
        })
        .unwrap();
    drop(store);
    (dir, path, newest)
}

fn header(app: &quarterdeck::app::App) -> String {
    render(app).lines().next().unwrap().to_owned()
}

#[test]
fn header_80x24_says_where_the_sync_stands() {
    let (_dir, path, _) = tied_demo();
    let app = app_at(&path, 80, 24);
    insta::assert_snapshot!(header(&app));
}

#[test]
fn header_160x48_says_where_the_sync_stands() {
    let (_dir, path, _) = tied_demo();
    let app = app_at(&path, 160, 48);
    let line = header(&app);
    for said in ["3 to send", "2 to fetch", "synced 20 Nov"] {
        assert!(line.contains(said), "{said:?} missing from {line}");
    }
    insta::assert_snapshot!(line);
}

#[test]
fn a_board_never_tied_says_nothing_of_syncs() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));
    let screen = render(&app_at(&path, 160, 48));
    assert!(!screen.contains("sync") && !screen.contains("to send"), "{screen}");
}

#[test]
fn the_header_follows_a_sync_run_by_another_process() {
    let (_dir, path, _) = tied_demo();
    let mut app = app_at(&path, 160, 48);
    assert!(header(&app).contains("2 to fetch"));
    // What `quarterdeck sync` leaves: all sent and received, a conflict
    // waiting, the remote unreachable since.
    let other = Connection::open(&path).unwrap();
    other
        .execute_batch(
            "UPDATE sync_link SET pushed_count = change_count, incoming = 0, last_error = 'offline: the remote did not answer';
             INSERT INTO sync_conflict (object_kind, object_id, code, field, kind, base, mine, theirs)
             VALUES ('item', 'u1', '#4', 'points', 'both_changed', '3', '5', '8');",
        )
        .unwrap();
    assert!(app.poll_external_changes().unwrap());
    let line = header(&app);
    assert!(line.contains("⚠ 1 conflict: y") && line.contains("offline"), "{line}");
    assert!(!line.contains("to send") && !line.contains("to fetch"), "{line}");
}

/// A merge waiting for choices on two items (`codes`), the sync's
/// `last_error` as given, written as the engine leaves them.
fn two_conflicts_waiting(path: &std::path::Path, last_error: &str, codes: (&str, &str)) {
    let conn = Connection::open(path).unwrap();
    conn.execute("UPDATE sync_link SET last_error = ?1", [last_error]).unwrap();
    conn.execute(
        "INSERT INTO sync_conflict (object_kind, object_id, code, field, kind, base, mine, theirs)
         VALUES ('item', 'u1', ?1, 'points', 'both_changed', '3', '5', '8'),
                ('item', 'u2', ?2, 'title', 'both_changed', '\"a\"', '\"b\"', '\"c\"')",
        [codes.0, codes.1],
    )
    .unwrap();
}

#[test]
fn an_edit_on_the_board_is_one_more_change_to_send() {
    let (_dir, path, _) = tied_demo();
    let mut app = app_at(&path, 160, 48);
    app.update(Action::FocusBacklog).unwrap();
    app.update(Action::RankDown).unwrap();
    assert!(header(&app).contains("4 to send"), "{}", header(&app));
}

#[test]
fn the_at_80x24_the_conflicts_are_kept_before_the_counts() {
    let (_dir, path, _) = tied_demo();
    two_conflicts_waiting(&path, "offline", ("#4", "#5"));
    let line = header(&app_at(&path, 80, 24));
    assert!(line.contains("⚠ 2 conflicts: y") && line.contains("? help"), "{line}");
}

#[test]
fn a_provisional_number_has_a_star_in_the_backlog_and_the_detail() {
    let (_dir, path, newest) = tied_demo();
    let mut app = app_at(&path, 160, 48);
    let title = Connection::open(&path)
        .unwrap()
        .query_row("SELECT title FROM item WHERE id = ?1", [newest], |row| row.get::<_, String>(0))
        .unwrap();
    common::select_item(&mut app, &title);
    let screen = render(&app);
    let start: String = title.chars().take(16).collect();
    let row = screen.lines().find(|line| line.contains(&start)).unwrap();
    assert!(row.contains(&format!("{newest}* ")), "{row}");
    assert!(!screen.contains(&format!("{}*", newest - 1)), "a fixed number has no star: {screen}");
    common::key(&mut app, ratatui::crossterm::event::KeyCode::Enter);
    let screen = render(&app);
    assert!(screen.contains(&format!("Item #{newest}*")), "{screen}");
    assert!(screen.contains("number provisional until the next sync"), "{screen}");
}

#[test]
fn the_help_explains_the_star_on_a_tied_board_only() {
    let (_dir, path, _) = tied_demo();
    let mut app = app_at(&path, 160, 48);
    app.update(Action::Help).unwrap();
    *app.overlays.last_mut().unwrap().scroll_mut().unwrap() = u16::MAX;
    assert!(render(&app).contains("number provisional until the next sync"), "{}", render(&app));
    let (_untied, path) = board_path();
    drop(demo_store(&path));
    let mut app = app_at(&path, 160, 48);
    app.update(Action::Help).unwrap();
    *app.overlays.last_mut().unwrap().scroll_mut().unwrap() = u16::MAX;
    assert!(!render(&app).contains("provisional"));
}

#[test]
fn the_presentation_shows_the_same_status_line() {
    let (_dir, path, _) = tied_demo();
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "P");
    let top = header(&app);
    assert!(top.contains("synced 20 Nov · 3 to send · 2 to fetch"), "{top}");
    let mut narrow = app_at(&path, 80, 24);
    keys(&mut narrow, "P");
    let top = header(&narrow);
    assert!(top.contains("3 to send") || top.contains("↑3"), "{top}");
    // Never over the tabs: the last tab's name stands apart.
    assert!(top.contains("Charts  "), "{top}");
}

#[test]
fn the_presentation_stars_a_provisional_number_next_up() {
    let (_dir, path, newest) = tied_demo();
    // Everything fixed but what is next up: the first item not in a sprint.
    let next: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT min(id) FROM item WHERE sprint_id IS NULL AND state != 'done'", [], |row| row.get(0))
        .unwrap();
    let mut store = Store::open(&path).unwrap();
    store.update_sync_link(|link| link.numbers_fixed_upto = next - 1).unwrap();
    drop(store);
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "P");
    let screen = render(&app);
    assert!(screen.contains(&format!("#{next}*")), "{screen}");
    assert!(newest >= next);
}

#[test]
fn list_and_show_print_a_provisional_number_with_a_star_and_say_so_in_json() {
    let (_dir, board) = common::demo_board_file("2026-11-23");
    let newest: i64 = Connection::open(&board).unwrap().query_row("SELECT max(id) FROM item", [], |row| row.get(0)).unwrap();
    // Untied: no star, `provisional` false.
    let list = common::success_stdout(&common::run_cli(&board, "2026-11-23", &["list", "items"]));
    assert!(!list.contains('*'), "{list}");
    let mut store = Store::open(&board).unwrap();
    store.set_sync_link("../remote.git", "/tmp/clone", "main", "quarterdeck").unwrap();
    store.update_sync_link(|link| link.numbers_fixed_upto = newest - 1).unwrap();
    drop(store);
    let list = common::success_stdout(&common::run_cli(&board, "2026-11-23", &["list", "items"]));
    assert!(list.lines().any(|line| line.starts_with(&format!("#{newest}* "))), "{list}");
    assert!(list.lines().any(|line| line.starts_with(&format!("#{} ", newest - 1))), "{list}");
    let json = common::success_stdout(&common::run_cli(&board, "2026-11-23", &["list", "items", "--json"]));
    let items: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    for item in &items {
        let number: i64 = item["ref"].as_str().unwrap()[1..].parse().unwrap();
        assert_eq!(item["provisional"], serde_json::Value::Bool(number == newest), "{item}");
    }
    let code = format!("#{newest}");
    let show = common::success_stdout(&common::run_cli(&board, "2026-11-23", &["show", &code]));
    assert!(show.lines().any(|line| line.starts_with("ref") && line.ends_with(&format!("#{newest}*"))), "{show}");
    let json = common::success_stdout(&common::run_cli(&board, "2026-11-23", &["show", &code, "--json"]));
    let item: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!((item["ref"].as_str(), item["provisional"].as_bool()), (Some(code.as_str()), Some(true)));
}

/// Trial 19, F4: a merge waiting for choices keeps the engine's words as
/// `last_error`; the header and the presentation both say the conflicts
/// wait, and neither says the sync failed.
#[test]
fn a_merge_waiting_for_choices_is_said_the_same_in_the_header_and_the_presentation() {
    let (_dir, path, _) = tied_demo();
    two_conflicts_waiting(
        &path,
        "2 conflicts wait: both sides changed #29 points; #31 title. Nothing was written.",
        ("#29", "#31"),
    );
    for (width, height) in [(160, 48), (80, 24)] {
        let mut app = app_at(&path, width, height);
        let board = header(&app);
        keys(&mut app, "P");
        let presented = header(&app);
        for line in [&board, &presented] {
            assert!(line.contains("⚠ 2 conflicts"), "{line}");
            assert!(!line.contains("failed"), "{line}");
        }
    }
}

/// Trial 19: an empty board tied to a repository (a new laptop's) offers
/// `y` in the welcome screen's box, not only in the footer.
#[test]
fn the_welcome_screen_of_an_empty_tied_board_offers_y() {
    let (_dir, path) = board_path();
    let app = app_at(&path, 80, 24);
    assert!(!render(&app).contains("Receive the shared quarter"), "a board never tied offers no sync");
    drop(app);
    let mut store = Store::open(&path).unwrap();
    store.set_sync_link("../remote.git", "/nowhere", "main", "quarterdeck").unwrap();
    drop(store);
    let screen = render(&app_at(&path, 80, 24));
    assert!(screen.contains("│  y  Receive the shared quarter"), "{screen}");
    assert!(screen.contains("q  Quit"), "{screen}");
}

/// Trial 19, F7 (the board's words): a sync's import is a step that asks
/// before `u` takes it back (the store marks it, as a quarter's close);
/// the question names the sync and says what undoing it does: on this
/// board only, sent by the next sync as a new change.
#[test]
fn undoing_a_sync_asks_in_words_for_a_sync() {
    let (_dir, path) = common::demo_board_file("2026-11-23");
    common::success_stdout(&common::run_cli(&path, "2026-11-23", &["edit", "#4", "--points", "13"]));
    // The import's step as the sync leaves it (`history_step.ask`), a run
    // of this user's that has ended (no session: the user's own).
    Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE history_step SET label = 'Synced with commit 54ffa4c', ask = 'the sync with commit 54ffa4c', session = ''
             WHERE id = (SELECT max(id) FROM history_step)",
            [],
        )
        .unwrap();
    let mut app = app_at(&path, 160, 48);
    keys(&mut app, "u");
    let screen = render(&app);
    assert!(screen.contains("Undo the sync with commit 54ffa4c?"), "{screen}");
    assert!(
        screen.contains(
            "It takes back the other laptops' changes that sync brought; the next sync takes them back on every board too."
        ),
        "{screen}"
    );
    assert!(!screen.contains("sprints"), "no quarter's words for a sync: {screen}");
    keys(&mut app, "y");
    let points = || -> i64 {
        Connection::open(&path).unwrap().query_row("SELECT points FROM item WHERE id = 4", [], |row| row.get(0)).unwrap()
    };
    assert_ne!(points(), 13, "undone on yes");
    common::ctrl(&mut app, 'r');
    let screen = render(&app);
    assert!(screen.contains("Redo the sync with commit 54ffa4c?"), "{screen}");
    assert!(screen.contains("It brings those changes back; the next sync sends them to every board again."), "{screen}");
}
