//! The difference import against the full replace: the same board, the
//! same merged plan, the same rows in every table (row ids that the full
//! replace gives anew compared by the stable id they stand for), and the
//! difference's undo takes the board back to what it was.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;
use rusqlite::{Connection, types::Value};

use super::{import_in, only_items_differ, replace_in};
use crate::{
    domain::{Id, ItemState},
    plan::{Plan, PlanCheckIn, PlanItem},
    store::Store,
};

/// Tables that hold the history or the sync's own state: not the board.
const NOT_COMPARED: [&str; 6] =
    ["change_log", "history_step", "history_recording", "sync_link", "sync_conflict", "sqlite_sequence"];

/// A column's value as the object it stands for: a row id of a table the
/// full replace fills anew becomes that row's stable id.
fn canonical(conn: &Connection, table: &str, column: &str, value: Value, foreign: &BTreeMap<(String, String), String>) -> String {
    let uid_of = |target: &str, id: i64| -> String {
        conn.query_row(&format!("SELECT uid FROM {target} WHERE id = ?1"), [id], |row| row.get(0))
            .unwrap_or_else(|_| format!("missing {target} {id}"))
    };
    match (table, column, &value) {
        ("sprint_record_item", "key_results", Value::Text(ids)) if !ids.is_empty() => {
            ids.split(',').map(|id| uid_of("key_result", id.trim().parse().expect("an id"))).collect::<Vec<_>>().join(",")
        }
        ("backlog_tally", "scope", Value::Integer(id)) if *id > 0 => uid_of("key_result", *id),
        (_, _, Value::Integer(id)) => match foreign.get(&(table.to_owned(), column.to_owned())) {
            Some(target) if target != "item" => uid_of(target, *id),
            _ => id.to_string(),
        },
        _ => format!("{value:?}"),
    }
}

/// Every board table's rows, canonical, sorted.
fn board_rows(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .expect("tables")
        .query_map([], |row| row.get(0))
        .expect("tables")
        .collect::<rusqlite::Result<_>>()
        .expect("tables");
    let mut foreign = BTreeMap::new();
    for table in &tables {
        let mut keys =
            conn.prepare(&format!("SELECT \"from\", \"table\" FROM pragma_foreign_key_list('{table}')")).expect("keys");
        for key in keys.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))).expect("keys") {
            let (column, target) = key.expect("key");
            foreign.insert((table.clone(), column), target);
        }
    }
    let mut rows = BTreeMap::new();
    for table in tables.iter().filter(|table| !NOT_COMPARED.contains(&table.as_str())) {
        let mut statement = conn.prepare(&format!("SELECT * FROM {table}")).expect("rows");
        let columns: Vec<String> = statement.column_names().into_iter().map(str::to_owned).collect();
        let has_uid = columns.iter().any(|column| column == "uid");
        let mut found = statement.query([]).expect("rows");
        let mut all = Vec::new();
        while let Some(row) = found.next().expect("row") {
            let mut fields = Vec::new();
            for (i, column) in columns.iter().enumerate() {
                // A row id the full replace gives anew: its uid says which.
                if column == "id" && has_uid && table != "item" {
                    continue;
                }
                let value: Value = row.get(i).expect("value");
                fields.push(format!("{column}={}", canonical(conn, table, column, value, &foreign)));
            }
            all.push(fields.join(" "));
        }
        all.sort();
        rows.insert(table.clone(), all);
    }
    rows
}

/// The rows one board has and the other lacks, table by table; empty
/// when they are the same.
fn differences(left: &BTreeMap<String, Vec<String>>, right: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut found = Vec::new();
    for table in left.keys().chain(right.keys()).collect::<std::collections::BTreeSet<_>>() {
        let (l, r) = (left.get(table).cloned().unwrap_or_default(), right.get(table).cloned().unwrap_or_default());
        found.extend(l.iter().filter(|row| !r.contains(row)).map(|row| format!("{table} only left: {row}")));
        found.extend(r.iter().filter(|row| !l.contains(row)).map(|row| format!("{table} only right: {row}")));
    }
    found
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 4).expect("day")
}

/// An edit of the board's plan, as a merge may bring it: the items' first.
#[derive(Debug, Clone)]
enum Edit {
    Remove(usize),
    Add { rank: i64, sprint: Option<u32>, kr: Option<usize>, points: u32 },
    Retitle(usize, String),
    Points(usize, u32),
    Rerank(usize, i64),
    Move(usize, Option<u32>),
    State(usize, usize),
    Tag(usize, usize),
    Untag(usize),
    Filed(usize),
    Retag(usize),
    Deferred(usize, String),
    NumbersUsed(i64),
    // Beyond the items: the full replace writes these.
    CheckIn(usize, f64),
    Goal(usize, String),
    DropObjective,
    DropMember,
}

/// An edit of the items only: the import writes the difference.
fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => any::<usize>().prop_map(Edit::Remove),
        3 => (0..20_000_i64, proptest::option::of(1..7_u32), proptest::option::of(any::<usize>()), 0..13_u32)
            .prop_map(|(rank, sprint, kr, points)| Edit::Add { rank, sprint, kr, points }),
        3 => (any::<usize>(), "[a-z ]{1,12}").prop_map(|(i, title)| Edit::Retitle(i, title)),
        3 => (any::<usize>(), 0..13_u32).prop_map(|(i, points)| Edit::Points(i, points)),
        3 => (any::<usize>(), 0..20_000_i64).prop_map(|(i, rank)| Edit::Rerank(i, rank)),
        3 => (any::<usize>(), proptest::option::of(1..7_u32)).prop_map(|(i, sprint)| Edit::Move(i, sprint)),
        2 => (any::<usize>(), 0..3_usize).prop_map(|(i, state)| Edit::State(i, state)),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(i, kr)| Edit::Tag(i, kr)),
        2 => any::<usize>().prop_map(Edit::Untag),
        1 => any::<usize>().prop_map(Edit::Filed),
        1 => any::<usize>().prop_map(Edit::Retag),
        1 => (any::<usize>(), "[a-z ]{0,8}").prop_map(|(i, why)| Edit::Deferred(i, why)),
        1 => (0..500_i64).prop_map(Edit::NumbersUsed),
    ]
}

/// Any edit: the items' and the rest's (which the full replace writes).
fn any_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => edit(),
        1 => (any::<usize>(), 0.0..100.0_f64).prop_map(|(kr, value)| Edit::CheckIn(kr, value)),
        1 => (any::<usize>(), "[a-z ]{1,12}").prop_map(|(s, goal)| Edit::Goal(s, goal)),
        1 => Just(Edit::DropObjective),
        1 => Just(Edit::DropMember),
    ]
}

fn apply(plan: &mut Plan, edit: &Edit, next_number: &mut i64) {
    let codes: Vec<String> = plan
        .objectives
        .iter()
        .enumerate()
        .flat_map(|(o, objective)| {
            (0..objective.key_results.len()).map(move |k| crate::domain::codes::key_result(o as u32 + 1, k as u32 + 1))
        })
        .collect();
    let count = plan.items.len().max(1);
    fn item(plan: &mut Plan, i: usize) -> Option<&mut PlanItem> {
        let count = plan.items.len().max(1);
        plan.items.get_mut(i % count)
    }
    match edit {
        Edit::Remove(i) => {
            if !plan.items.is_empty() {
                plan.items.remove(i % count);
            }
        }
        Edit::Add { rank, sprint, kr, points } => {
            let mut new = plan.items[0].clone();
            new.id = Some(uuid::Uuid::now_v7().hyphenated().to_string());
            new.number = Some(*next_number);
            plan.item_numbers_used = plan.item_numbers_used.map(|used| used.max(*next_number));
            *next_number += 1;
            new.rank = Some(*rank);
            new.sprint = *sprint;
            new.title = format!("New item {next_number}");
            new.points = *points;
            new.state = ItemState::Todo;
            new.done_on = None;
            new.krs = kr.and_then(|kr| codes.get(kr % codes.len().max(1)).cloned()).into_iter().collect();
            new.other_krs.clear();
            new.external = None;
            new.done_in_earlier_quarter = false;
            plan.items.push(new);
        }
        Edit::Retitle(i, title) => item(plan, *i).into_iter().for_each(|item| item.title = format!("T {title}")),
        Edit::Points(i, points) => item(plan, *i).into_iter().for_each(|item| item.points = *points),
        Edit::Rerank(i, rank) => item(plan, *i).into_iter().for_each(|item| item.rank = Some(*rank)),
        Edit::Move(i, sprint) => item(plan, *i).into_iter().for_each(|item| item.sprint = *sprint),
        Edit::State(i, state) => item(plan, *i).into_iter().for_each(|item| {
            item.state = ItemState::ALL[*state];
            item.done_on = (item.state == ItemState::Done).then(today);
        }),
        Edit::Tag(i, kr) => {
            let code = codes.get(kr % codes.len().max(1)).cloned();
            if let (Some(item), Some(code)) = (item(plan, *i), code)
                && !item.krs.contains(&code)
            {
                item.krs.push(code);
            }
        }
        Edit::Untag(i) => item(plan, *i).into_iter().for_each(|item| {
            item.krs.pop();
        }),
        Edit::Filed(i) => {
            item(plan, *i).into_iter().for_each(|item| item.done_in_earlier_quarter = !item.done_in_earlier_quarter)
        }
        Edit::Retag(i) => item(plan, *i).into_iter().for_each(|item| item.needs_retag = !item.needs_retag),
        Edit::Deferred(i, why) => item(plan, *i).into_iter().for_each(|item| item.deferred_reason = why.clone()),
        Edit::NumbersUsed(more) => plan.item_numbers_used = plan.item_numbers_used.map(|used| used + more),
        Edit::CheckIn(kr, value) => {
            let krs: Vec<_> = plan.objectives.iter_mut().flat_map(|objective| &mut objective.key_results).collect();
            let count = krs.len().max(1);
            if let Some(kr) = krs.into_iter().nth(kr % count) {
                kr.check_ins.push(PlanCheckIn {
                    id: Some(uuid::Uuid::now_v7().hyphenated().to_string()),
                    date: today(),
                    value: *value,
                    confidence: 5,
                    note: "merged".into(),
                });
                kr.current = *value;
            }
        }
        Edit::Goal(s, goal) => {
            let count = plan.sprints.len().max(1);
            plan.sprints.get_mut(s % count).into_iter().for_each(|sprint| sprint.goal = goal.clone());
        }
        Edit::DropObjective => {
            let dropped = plan.objectives.len();
            if dropped > 1 {
                plan.objectives.pop();
                let gone = format!("KR{dropped}.");
                for item in &mut plan.items {
                    item.krs.retain(|code| !code.starts_with(&gone));
                }
                for sprint in &mut plan.sprints {
                    sprint.krs.retain(|code| !code.starts_with(&gone));
                    sprint.focus = sprint.focus.take().filter(|code| !code.starts_with(&gone));
                }
            }
        }
        Edit::DropMember => {
            plan.team.pop();
        }
    }
}

/// A board made from the demo, copied: one copy for each import.
struct Boards {
    _dir: tempfile::TempDir,
    by_difference: Store,
    by_replace: Store,
    quarter: Id,
}

fn boards() -> Boards {
    let dir = tempfile::tempdir().expect("temp");
    let first = dir.path().join("difference.sqlite3");
    let quarter = {
        let mut store = Store::open(&first).expect("store");
        store.import_plan(&Plan::demo(today()).expect("demo"), today(), false).expect("demo")
    };
    let second = dir.path().join("replace.sqlite3");
    std::fs::copy(&first, &second).expect("copy");
    Boards {
        by_difference: Store::open(&first).expect("store"),
        by_replace: Store::open(&second).expect("store"),
        quarter,
        _dir: dir,
    }
}

fn import(store: &mut Store, plan: &Plan, quarter: Id, by_difference: bool) -> Result<(), crate::store::StoreError> {
    let dates = plan.sprint_dates().map_err(crate::store::StoreError::InvalidPlan)?;
    store.record("Synced", |tx| {
        if by_difference {
            import_in(tx, plan, &dates, today(), Some(quarter), None)
        } else {
            replace_in(tx, plan, &dates, today(), Some(quarter))
        }
        .map(|_| ())
    })
}

fn change_count(store: &Store) -> i64 {
    store.conn.query_row("SELECT count(*) FROM change_log", [], |row| row.get(0)).expect("count")
}

#[test]
fn the_board_read_back_is_written_as_nothing() {
    let mut boards = boards();
    let plan = boards.by_difference.export_plan(boards.quarter).expect("export");
    assert!(only_items_differ(&plan, &plan), "the demo's own export takes the difference");
    let before = board_rows(&boards.by_difference.conn);
    import(&mut boards.by_difference, &plan, boards.quarter, true).expect("import");
    assert_eq!(board_rows(&boards.by_difference.conn), before);
    assert_eq!(change_count(&boards.by_difference), 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_difference_import_leaves_the_board_a_full_replace_leaves(edits in proptest::collection::vec(edit(), 1..12)) {
        prop_assert!(compare(&edits)?.unwrap_or(true), "an edit of items only is written as the difference");
    }

    #[test]
    fn any_merged_plan_leaves_the_board_a_full_replace_leaves(edits in proptest::collection::vec(any_edit(), 1..12)) {
        compare(&edits)?;
    }
}

/// Both imports of the board's plan with `edits`, compared; whether the
/// difference was written (`None`: the plan is not one to import).
fn compare(edits: &[Edit]) -> Result<Option<bool>, TestCaseError> {
    let mut boards = boards();
    let mut plan = boards.by_difference.export_plan(boards.quarter).expect("export");
    let board = plan.clone();
    let before = board_rows(&boards.by_difference.conn);
    let mut next_number = plan.items.iter().filter_map(|item| item.number).max().unwrap_or(0) + 1;
    for edit in edits {
        apply(&mut plan, edit, &mut next_number);
    }
    if plan.validate().is_err() || plan.sprint_dates().is_err() {
        return Ok(None);
    }
    let by_difference = only_items_differ(&board, &plan);
    let replaced = import(&mut boards.by_replace, &plan, boards.quarter, false);
    let differed = import(&mut boards.by_difference, &plan, boards.quarter, true);
    prop_assert_eq!(differed.is_ok(), replaced.is_ok(), "{:?} / {:?}", differed, replaced);
    if replaced.is_err() {
        return Ok(None);
    }
    let (difference, replace) = (board_rows(&boards.by_difference.conn), board_rows(&boards.by_replace.conn));
    prop_assert_eq!(differences(&difference, &replace), Vec::<String>::new());
    if by_difference {
        prop_assert!(change_count(&boards.by_difference) <= change_count(&boards.by_replace));
    }
    // Undo takes back what the import wrote; the highest number given
    // stays (numbers are never reused). The full replace's undo leaves
    // each KR's backlog tally one item too high (found here; not this
    // change's to mend), so the fallback is compared with it instead.
    boards.by_difference.undo().expect("undo");
    boards.by_replace.undo().expect("undo");
    let (difference, replace) = (board_rows(&boards.by_difference.conn), board_rows(&boards.by_replace.conn));
    if by_difference {
        let without_high_water = |mut rows: BTreeMap<String, Vec<String>>| {
            rows.remove("number_high_water");
            rows
        };
        prop_assert_eq!(differences(&without_high_water(difference), &without_high_water(before)), Vec::<String>::new());
    } else {
        prop_assert_eq!(differences(&difference, &replace), Vec::<String>::new());
    }
    Ok(Some(by_difference))
}

#[test]
fn a_changed_point_and_its_undo_match() {
    compare(&[Edit::Points(62359, 12)]).expect("equal");
}
