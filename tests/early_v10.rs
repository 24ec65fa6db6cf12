//! Boards made by an early build of schema version 10 (main at 999e637):
//! user_version 10 without the stable ids (`uid`) that issue 16 later
//! folded into v10. The upgrade tells them by their columns, not their
//! version, and completes them inside its one transaction, after the
//! checked backup; a board that an earlier upgrade already set to 11
//! without them is completed the same way. If the completion fails
//! part-way, nothing of it is left.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{
    board_path, demo_board_file, every_row, first_column, folder_files, look_without_changing, run_cli, success_stdout,
    user_version,
};
use quarterdeck::store::{APPLICATION_ID, LATEST_VERSION, backup::backup_path};
use rusqlite::Connection;

const TODAY: &str = "2027-01-04";

/// The tables v10 gives a `uid`.
const WITH_UID: [&str; 8] = ["quarter", "objective", "key_result", "check_in", "sprint", "item", "retro_note", "team_member"];

/// Schemas 1 to 9 as today, and v10 as commit 999e637 had it.
fn early_v10_schema() -> String {
    [
        include_str!("../src/store/schema_v1.sql"),
        include_str!("../src/store/schema_v2.sql"),
        include_str!("../src/store/schema_v3.sql"),
        include_str!("../src/store/schema_v4.sql"),
        include_str!("../src/store/schema_v5.sql"),
        include_str!("../src/store/schema_v6.sql"),
        include_str!("../src/store/schema_v7.sql"),
        include_str!("../src/store/schema_v8.sql"),
        include_str!("../src/store/schema_v9.sql"),
        include_str!("fixtures/schema_v10_at_999e637.sql"),
    ]
    .join("\n")
}

/// A board as the build at 999e637 left it, holding the demo's rows (the
/// columns it has of them): made by today's `demo` beside it, then copied
/// table by table into the early schema.
fn early_v10_board(path: &Path) {
    let (_demo_dir, demo) = demo_board_file(TODAY);
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(&early_v10_schema()).unwrap();
    conn.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 10;")).unwrap();
    conn.execute("ATTACH ?1 AS demo", [demo.to_str().unwrap()]).unwrap();
    // The rows as they are, tallies included: the schema's triggers, which
    // would count each copied row again, are set aside while copying.
    let triggers = first_column(&conn, "SELECT sql FROM main.sqlite_master WHERE type = 'trigger'");
    for name in first_column(&conn, "SELECT name FROM main.sqlite_master WHERE type = 'trigger'") {
        conn.execute_batch(&format!("DROP TRIGGER main.{name}")).unwrap();
    }
    for table in first_column(&conn, "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
        let columns = first_column(&conn, &format!("SELECT name FROM pragma_table_info('{table}')")).join(", ");
        conn.execute_batch(&format!("INSERT OR REPLACE INTO main.{table} ({columns}) SELECT {columns} FROM demo.{table}"))
            .unwrap();
    }
    for trigger in triggers {
        conn.execute_batch(&trigger).unwrap();
    }
    conn.execute_batch("DETACH demo").unwrap();
    assert!(!has_uid(&conn, "item"), "the early v10 has no uid");
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
}

fn has_uid(conn: &Connection, table: &str) -> bool {
    conn.query_row("SELECT count(*) FROM pragma_table_info(?1) WHERE name = 'uid'", [table], |row| row.get::<_, i64>(0)).unwrap()
        > 0
}

/// Every table v10 gives a uid has one, filled on every row (as v10's own
/// step fills them: a UUIDv7), unique, with its index and triggers.
fn assert_complete(path: &Path) {
    let conn = look_without_changing(path);
    for table in WITH_UID {
        assert!(has_uid(&conn, table), "{table}.uid");
        let (rows, good, distinct): (i64, i64, i64) = conn
            .query_row(
                &format!(
                    "SELECT count(*), count(*) FILTER (WHERE uid GLOB '????????-????-7???-[89ab]???-????????????'), \
                     count(DISTINCT uid) FROM {table}"
                ),
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .unwrap();
        assert_eq!((good, distinct), (rows, rows), "{table}: every row a UUIDv7 of its own");
        for name in [format!("{table}_by_uid"), format!("{table}_uid"), format!("{table}_uid_kept")] {
            let found: i64 =
                conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = ?1", [&name], |row| row.get(0)).unwrap();
            assert_eq!(found, 1, "{name}");
        }
    }
    let verdict: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
    assert_eq!(verdict, "ok");
}

/// Every read works on the completed board, a write as well, and doctor is clean.
fn assert_every_read_and_write_works(path: &Path) {
    let items = success_stdout(&run_cli(path, TODAY, &["list", "items"]));
    assert!(items.contains("#1"), "{items}");
    for read in [&["list", "objectives"][..], &["list", "krs"], &["list", "sprints"], &["show", "#1"], &["show", "KR1.1"]] {
        success_stdout(&run_cli(path, TODAY, read));
    }
    let shown = success_stdout(&run_cli(path, TODAY, &["show", "#1", "--json"]));
    assert!(shown.contains("\"uid\"") || shown.contains("\"id\""), "{shown}");
    let exported = success_stdout(&run_cli(path, TODAY, &["export", "--format", "toml"]));
    assert!(exported.contains("id = \""), "the plan carries each object's id: {exported}");
    success_stdout(&run_cli(path, TODAY, &["add", "item", "Written after the repair", "--points", "2"]));
    let items = success_stdout(&run_cli(path, TODAY, &["list", "items"]));
    assert!(items.contains("Written after the repair"), "{items}");
    let doctor = success_stdout(&run_cli(path, TODAY, &["doctor"]));
    assert!(doctor.contains("No problems found"), "{doctor}");
    let mut app = common::app_at(path, 120, 36);
    let screen = common::render(&app);
    assert!(screen.contains("Checkout conversion") && !screen.contains("no such column"), "the board opens:\n{screen}");
    common::keys(&mut app, "q");
}

#[test]
fn a_board_from_an_early_schema_10_is_completed_by_the_upgrade_and_works() {
    let (dir, path) = board_path();
    early_v10_board(&path);
    let before = every_row(&path);
    let output = run_cli(&path, TODAY, &["add", "item", "First after the upgrade", "--points", "3"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(user_version(&path), LATEST_VERSION);
    assert_complete(&path);
    let backup = backup_path(&path, 10);
    assert_eq!(every_row(&backup), before, "the backup holds the old rows");
    assert_eq!(user_version(&backup), 10);
    assert!(!has_uid(&look_without_changing(&backup), "item"), "the backup is the board as it was");
    assert_every_read_and_write_works(&path);
    assert!(folder_files(dir.path()).contains_key("board.sqlite3.v10-backup"));
}

/// An earlier upgrade (before this repair) set 11 without the uids: every
/// read failed with raw SQL. A read now says it needs the upgrade; the
/// next write completes it, after a backup of the v11 board.
#[test]
fn a_board_an_earlier_upgrade_left_at_11_without_uids_is_completed_too() {
    let (_dir, path) = board_path();
    early_v10_board(&path);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../src/store/schema_v11.sql")).unwrap();
        conn.execute_batch(&format!("PRAGMA user_version = {LATEST_VERSION};")).unwrap();
    }
    let output = run_cli(&path, TODAY, &["list", "items"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("`list items` needs the board upgraded"), "{stderr}");
    assert!(!stderr.contains("no such column"), "{stderr}");
    let before = every_row(&path);
    success_stdout(&run_cli(&path, TODAY, &["add", "item", "Completes it", "--points", "1"]));
    assert_complete(&path);
    assert_eq!(every_row(&backup_path(&path, LATEST_VERSION)), before, "the backup holds the old rows");
    assert_every_read_and_write_works(&path);
}

/// The completion fails at its last table (an index by its name is there
/// already): the whole upgrade is one transaction, so nothing is changed.
#[test]
fn an_upgrade_that_fails_part_way_leaves_the_board_as_it_was() {
    let (_dir, path) = board_path();
    early_v10_board(&path);
    Connection::open(&path).unwrap().execute_batch("CREATE INDEX team_member_by_uid ON team_member (name);").unwrap();
    let before = every_row(&path);
    let schema_before =
        first_column(&look_without_changing(&path), "SELECT coalesce(sql, name) FROM sqlite_master ORDER BY name");
    let output = run_cli(&path, TODAY, &["add", "item", "Never", "--points", "1"]);
    assert!(!output.status.success(), "the upgrade failed");
    assert_eq!(user_version(&path), 10);
    assert_eq!(every_row(&path), before, "no row changed");
    assert_eq!(
        first_column(&look_without_changing(&path), "SELECT coalesce(sql, name) FROM sqlite_master ORDER BY name"),
        schema_before,
        "no column, index or trigger added"
    );
    assert!(!has_uid(&look_without_changing(&path), "quarter"), "not even the first table's uid");
}
