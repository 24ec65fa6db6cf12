//! The salvage read behind `quarterdeck export` on a damaged board: the
//! plan's tables are copied, row by row where a whole read fails, into a
//! board in memory, and the plan is read from that copy by the export's own
//! reading (`plan_export::export`), so a salvaged plan is shaped exactly as
//! a whole one. A read that fails skips that row; what refers to something
//! not read is made consistent (and said): a tag to a KR not read is
//! dropped, an item in a sprint not read goes to the backlog unplanned.
//!
//! Each table is read in order of its key (`rowid`, or the first column of
//! a `WITHOUT ROWID` table's key) up to the first failure, then backwards
//! from the end up to the first failure, and the keys between are read one
//! at a time: SQLite finds each through the table's own tree, so a damaged
//! page loses only the rows on it (or under it), and a damaged index none.

use std::collections::{BTreeSet, HashSet};

use rusqlite::{
    Connection, OptionalExtension,
    types::{Value, ValueRef},
};

use super::{Store, StoreError, plan_export};
use crate::{
    domain::{Id, codes, references::parse_uid},
    plan::Plan,
};

/// The tables the plan is read from, in an order where a row's parent
/// comes first (for the consistency step; the copy has no foreign keys).
const PLAN_TABLES: [&str; 15] = [
    "quarter",
    "objective",
    "key_result",
    "check_in",
    "sprint",
    "sprint_kr",
    "retro_note",
    "sprint_commitment",
    "sprint_record_item",
    "item",
    "item_kr",
    "item_external",
    "team_member",
    "days_off",
    "number_high_water",
];

/// Keys past the last row read (when the end of a table could not be read)
/// tried before the table is taken to end: ids are given in order.
const PROBES_PAST_THE_END: i64 = 1000;

/// A plan read from a damaged board, and what was left out or moved.
#[derive(Debug)]
pub struct Salvaged {
    pub plan: Plan,
    /// Rows that could not be read, table by table (`item: 3 of 40 rows
    /// could not be read (ids 12-14)`).
    pub skipped: Vec<String>,
    /// What was changed to keep the plan consistent (`#12: its tag to a
    /// KR that could not be read is dropped`).
    pub adjusted: Vec<String>,
}

impl Salvaged {
    /// Whether every row the plan needs was read.
    pub fn is_whole(&self) -> bool {
        self.skipped.is_empty() && self.adjusted.is_empty()
    }
}

impl Store {
    /// The quarter `label` (the board's current one when `None`) read past
    /// damaged pages (see the module's notes); `None` when the quarter's
    /// own row cannot be read (or there is no such quarter).
    pub fn salvage_plan(&self, label: Option<&str>) -> Result<Option<Salvaged>, StoreError> {
        let copy = Connection::open_in_memory()?;
        // Values another program left (a real in a whole-number column) are
        // copied as they are; the export's reading cleans them.
        copy.execute_batch("PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF;")?;
        let mut skipped = Vec::new();
        for table in PLAN_TABLES {
            let Some(sql) = self
                .conn
                .query_row("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1", [table], |row| row.get(0))
                .optional()?
            else {
                continue;
            };
            let sql: String = sql;
            copy.execute_batch(&sql)?;
            if let Some(note) = copy_table(&self.conn, &copy, table, &sql)? {
                skipped.push(note);
            }
        }
        let adjusted = make_consistent(&copy)?;
        let Some(quarter_id) = quarter_of(&copy, label)? else {
            return Ok(None);
        };
        let mut plan = plan_export::export(&copy, quarter_id)?;
        let mut adjusted = adjusted;
        adjusted.extend(forget_unreadable_ids(&mut plan));
        Ok(Some(Salvaged { plan, skipped, adjusted }))
    }
}

/// Copies `table`'s readable rows from `board` into `copy`; says what could
/// not be read, if anything.
fn copy_table(board: &Connection, copy: &Connection, table: &str, sql: &str) -> Result<Option<String>, StoreError> {
    let key = if sql.to_ascii_uppercase().contains("WITHOUT ROWID") {
        let first: Option<String> = board
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}') WHERE pk = 1"))?
            .query_row([], |row| row.get(0))
            .optional()?;
        first.unwrap_or_else(|| "rowid".to_owned())
    } else {
        "rowid".to_owned()
    };
    let columns: usize = board.query_row(&format!("SELECT count(*) FROM pragma_table_info('{table}')"), [], |row| row.get(0))?;
    let marks = vec!["?"; columns].join(", ");
    let mut insert = copy.prepare(&format!("INSERT OR IGNORE INTO \"{table}\" VALUES ({marks})"))?;
    let mut read = 0_usize;
    // The key read back, when it is a whole number (a `WITHOUT ROWID`
    // table keyed by text is read by its scans alone).
    let mut keep = |row: &rusqlite::Row| -> rusqlite::Result<Option<i64>> {
        let values: Vec<Value> = (1..=columns).map(|at| row.get_ref(at).map(lossy)).collect::<rusqlite::Result<_>>()?;
        read += insert.execute(rusqlite::params_from_iter(values))?;
        Ok(match row.get_ref(0)? {
            ValueRef::Integer(key) => Some(key),
            _ => None,
        })
    };
    let scan = |order: &str, keep: &mut dyn FnMut(&rusqlite::Row) -> rusqlite::Result<Option<i64>>| -> (Vec<i64>, bool) {
        let mut keys = Vec::new();
        let whole = (|| -> rusqlite::Result<()> {
            let mut statement = board.prepare(&format!("SELECT {key}, * FROM \"{table}\" ORDER BY {key} {order}"))?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                keys.extend(keep(row)?);
            }
            Ok(())
        })()
        .is_ok();
        (keys, whole)
    };
    let (forward, whole) = scan("ASC", &mut keep);
    if whole {
        return Ok(None);
    }
    let (backward, _) = scan("DESC", &mut keep);
    // From the last key read to the first read backwards, both again: a
    // `WITHOUT ROWID` table may hold more rows under the key it failed on
    // (`INSERT OR IGNORE` keeps each row once). A table keyed by text has
    // no keys between to try.
    let keyed_by_number = key == "rowid" || !(forward.is_empty() && backward.is_empty());
    let from = forward.last().copied().unwrap_or(1);
    let until = backward.last().copied();
    let mut failed = Vec::new();
    let mut probe = board.prepare(&format!("SELECT {key}, * FROM \"{table}\" WHERE {key} = ?1"))?;
    let mut misses = 0;
    let mut at = from;
    while keyed_by_number && until.map_or(misses < PROBES_PAST_THE_END, |until| at <= until) {
        let found = (|| -> rusqlite::Result<bool> {
            let mut rows = probe.query([at])?;
            let mut any = false;
            while let Some(row) = rows.next()? {
                keep(row)?;
                any = true;
            }
            Ok(any)
        })();
        match found {
            Ok(true) => misses = 0,
            Ok(false) => misses += 1,
            Err(_) => {
                failed.push(at);
                misses += 1;
            }
        }
        at += 1;
    }
    drop(probe);
    // Past the last row found, a failure is as likely no row at all: kept
    // only up to the last key read or known.
    let last_known = until.unwrap_or_else(|| {
        copy.query_row(&format!("SELECT max({key}) FROM \"{table}\""), [], |row| row.get::<_, Option<i64>>(0))
            .ok()
            .flatten()
            .unwrap_or(0)
    });
    failed.retain(|key| *key <= last_known);
    if key == "rowid" {
        // An index that still reads names rows the table lost exactly.
        let copied: HashSet<i64> = copy
            .prepare(&format!("SELECT rowid FROM \"{table}\""))?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut named: BTreeSet<i64> = indexed_keys(board, table).into_iter().filter(|key| !copied.contains(key)).collect();
        if !named.is_empty() {
            named.extend(failed.iter().filter(|key| !copied.contains(key)));
            failed = named.into_iter().collect();
        }
    }
    let total: Option<usize> = board.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |row| row.get(0)).ok();
    let lost = match total {
        Some(total) if total > read => format!("{} of {total} rows could not be read", total - read),
        Some(_) if failed.is_empty() => return Ok(None),
        _ => "rows could not be read".to_owned(),
    };
    let by = if key == "rowid" { "id" } else { key.as_str() };
    let keys = if failed.is_empty() { String::new() } else { format!(" ({by} {})", ranges(&failed)) };
    Ok(Some(format!("{table}: {lost}{keys}")))
}

/// The rowids `table`'s indexes hold, as far as each can be read.
fn indexed_keys(board: &Connection, table: &str) -> BTreeSet<i64> {
    let mut keys = BTreeSet::new();
    let names: Vec<String> = board
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?1")
        .and_then(|mut statement| statement.query_map([table], |row| row.get(0))?.collect())
        .unwrap_or_default();
    for name in names {
        let _ = (|| -> rusqlite::Result<()> {
            let mut statement = board.prepare(&format!("SELECT rowid FROM \"{table}\" INDEXED BY \"{name}\""))?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                keys.insert(row.get(0)?);
            }
            Ok(())
        })();
    }
    keys
}

/// `3-5, 9`: sorted keys as ranges.
fn ranges(keys: &[i64]) -> String {
    let mut spans: Vec<(i64, i64)> = Vec::new();
    for &key in keys {
        match spans.last_mut() {
            Some((_, end)) if *end + 1 == key => *end = key,
            _ => spans.push((key, key)),
        }
    }
    spans
        .iter()
        .map(|(start, end)| if start == end { start.to_string() } else { format!("{start}-{end}") })
        .collect::<Vec<_>>()
        .join(", ")
}

/// References to rows that were not read, made consistent in the copy: a
/// KR whose objective was not read is left out (with its check-ins), a tag
/// to a KR not read is dropped, an item in a sprint not read goes to the
/// backlog unplanned. Says each.
fn make_consistent(copy: &Connection) -> Result<Vec<String>, StoreError> {
    let mut said = Vec::new();
    let orphan_krs: Vec<(Id, String)> = copy
        .prepare("SELECT id, title FROM key_result WHERE objective_id NOT IN (SELECT id FROM objective) ORDER BY id")?
        .query_map([], |row| Ok((row.get(0)?, row.get::<_, Value>(1).map(|title| text_of(&title))?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, title) in &orphan_krs {
        said.push(format!("key result {title:?} (id {id}): its objective could not be read, so it is left out"));
    }
    copy.execute("DELETE FROM key_result WHERE objective_id NOT IN (SELECT id FROM objective)", [])?;
    let dropped: Vec<(Id, Id)> = copy
        .prepare(
            "SELECT item_id, key_result_id FROM item_kr WHERE key_result_id NOT IN (SELECT id FROM key_result) ORDER BY 1, 2",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (item, kr) in &dropped {
        said.push(format!("#{item}: its tag to a KR that could not be read (id {kr}) is dropped"));
    }
    copy.execute("DELETE FROM item_kr WHERE key_result_id NOT IN (SELECT id FROM key_result)", [])?;
    let unplanned: Vec<Id> = copy
        .prepare("SELECT id FROM item WHERE sprint_id IS NOT NULL AND sprint_id NOT IN (SELECT id FROM sprint) ORDER BY id")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for item in &unplanned {
        said.push(format!("#{item}: its sprint could not be read, so it is saved in the backlog, unplanned"));
    }
    copy.execute(
        "UPDATE item SET sprint_id = NULL WHERE sprint_id IS NOT NULL AND sprint_id NOT IN (SELECT id FROM sprint)",
        [],
    )?;
    Ok(said)
}

/// A value as read, text that is not UTF-8 (damage in the middle of a
/// text) with `U+FFFD` where its bytes are not: the rest of it is saved.
fn lossy(value: ValueRef) -> Value {
    match value {
        ValueRef::Text(bytes) => Value::Text(String::from_utf8_lossy(bytes).into_owned()),
        ValueRef::Null => Value::Null,
        ValueRef::Integer(number) => Value::Integer(number),
        ValueRef::Real(number) => Value::Real(number),
        ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::Text(text) => text.clone(),
        Value::Blob(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        Value::Integer(number) => number.to_string(),
        Value::Real(number) => number.to_string(),
        Value::Null => String::new(),
    }
}

/// The quarter `label` names (exactly, else in any case), or the board's
/// current one: the running quarter, else the latest closed one, as
/// `Store::quarter_by_label` chooses.
fn quarter_of(copy: &Connection, label: Option<&str>) -> Result<Option<Id>, StoreError> {
    let id = match label {
        Some(label) => plan_export::quarter_labelled(copy, label)?,
        None => copy
            .query_row(
                "SELECT id FROM quarter WHERE state != 'draft' ORDER BY state = 'open' DESC, start_date DESC, id DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()?,
    };
    Ok(id)
}

/// Stable ids damaged past reading (not a UUID any more) left out of the
/// plan, so that the import gives the object a new one; says each.
fn forget_unreadable_ids(plan: &mut Plan) -> Vec<String> {
    let mut said = Vec::new();
    let mut dropped_tags = Vec::new();
    let mut forget = |id: &mut Option<String>, what: String| {
        if id.as_deref().is_some_and(|uid| parse_uid(uid).is_none()) {
            *id = None;
            said.push(format!("{what}: its stable id could not be read, so the import gives it a new one"));
        }
    };
    forget(&mut plan.quarter.id, "the quarter".to_owned());
    for (objective, o) in plan.objectives.iter_mut().zip(1_u32..) {
        forget(&mut objective.id, codes::objective(o));
        forget(&mut objective.parent_id, format!("{}'s parent", codes::objective(o)));
        for (kr, k) in objective.key_results.iter_mut().zip(1_u32..) {
            forget(&mut kr.id, codes::key_result(o, k));
            for check_in in &mut kr.check_ins {
                forget(&mut check_in.id, format!("{}'s check-in of {}", codes::key_result(o, k), check_in.date));
            }
        }
    }
    for (sprint, s) in plan.sprints.iter_mut().zip(1_u32..) {
        forget(&mut sprint.id, codes::sprint(s));
        for note in &mut sprint.retro {
            forget(&mut note.id, format!("a retro note of {}", codes::sprint(s)));
        }
    }
    for item in &mut plan.items {
        forget(&mut item.id, format!("#{}", item.number.unwrap_or_default()));
        let before = item.other_krs.len();
        item.other_krs.retain(|uid| parse_uid(uid).is_some());
        if item.other_krs.len() < before {
            dropped_tags.push(format!(
                "#{}: a tag to another quarter's KR could not be read, so it is dropped",
                item.number.unwrap_or_default()
            ));
        }
    }
    for member in &mut plan.team {
        forget(&mut member.id, format!("team member {}", member.name));
    }
    said.extend(dropped_tags);
    said
}
