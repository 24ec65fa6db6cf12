//! Values of the wrong kind that another writer (`sqlite3`, a script) left
//! in the file: a fraction in a whole-number column, text that is not a
//! day in a date column. The readers show each cleaned by the rules of
//! `clean.rs` (the `shown_*` SQL and [`super::clean::Whole`]); this finds
//! them to name them once and for `quarterdeck doctor`, and writes the
//! shown value back on the user's word, as one undoable step.

use rusqlite::{Connection, params, types::Value};

use super::{Store, StoreError};
use crate::domain::Id;

/// One value the file holds of the wrong kind, with what it is shown as.
#[derive(Debug, Clone, PartialEq)]
pub struct WrongValue {
    pub table: &'static str,
    /// The row as a user knows it: "sprint S3", "check-in #14 of KR1.2".
    pub row: String,
    pub column: &'static str,
    /// The value as stored, as a user could recognise it: `2.5`, `'yesterday'`.
    pub found: String,
    /// Why it is wrong: "a fraction", "not a day".
    pub problem: &'static str,
    /// What the board shows instead, and what a repair writes (unless the
    /// row's siblings are renumbered, see `ordinals.rs`).
    pub shown: String,
    /// The sibling shown with the same code ("O3 'Keep the platform
    /// trusted'"): a code names only one of the two.
    pub collides_with: Option<String>,
    pub(super) id: Id,
    pub(super) shown_value: Value,
    pub(super) repair: &'static str,
}

impl std::fmt::Display for WrongValue {
    /// "sprint S3: capacity = 2.5 (a fraction), shown as 3", and for a
    /// collision ", which O3 'Keep the platform trusted' also is".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} = {} ({}), shown as {}", self.row, self.column, self.found, self.problem, self.shown)?;
        match &self.collides_with {
            Some(sibling) => write!(f, ", which {sibling} also is"),
            None => Ok(()),
        }
    }
}

/// What a repair changed: the values found, and a line for each group of
/// siblings renumbered so that no two share a code.
#[derive(Debug, Clone, PartialEq)]
pub struct Repaired {
    pub values: Vec<WrongValue>,
    pub renumbered: Vec<String>,
}

/// What a column must hold.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Whole,
    Day,
}

/// One column's check: `find` selects each wrong row's id, its name, the
/// value as stored and as shown; `repair` writes the shown value (?1) to
/// the row (?2).
struct Check {
    table: &'static str,
    column: &'static str,
    kind: Kind,
    find: &'static str,
    repair: &'static str,
}

/// Sprint `s` named as users know it, with its number as shown.
macro_rules! sprint_name {
    () => {
        concat!("'sprint S' || ", shown_whole!("s.number"))
    };
}

/// Every column read with a kind the schema does not enforce (states and
/// kinds are kept to known words by the schema's CHECKs; text columns are
/// read lossily by `clean::text` and named as they are read), but for the
/// columns that number siblings (`ordinals.rs`).
const CHECKS: &[Check] = &[
    Check {
        table: "quarter",
        column: "start_date",
        kind: Kind::Day,
        find: concat!(
            "SELECT q.id, 'quarter ' || q.label, q.start_date, ",
            shown_quarter_start!(),
            " FROM quarter q WHERE date(q.start_date) IS NOT q.start_date"
        ),
        repair: "UPDATE quarter SET start_date = ?1 WHERE id = ?2",
    },
    Check {
        table: "sprint",
        column: "capacity",
        kind: Kind::Whole,
        find: concat!(
            "SELECT s.id, ",
            sprint_name!(),
            ", s.capacity, ",
            shown_whole!("s.capacity"),
            " FROM sprint s WHERE typeof(s.capacity) != 'integer'"
        ),
        repair: "UPDATE sprint SET capacity = ?1 WHERE id = ?2",
    },
    Check {
        table: "sprint",
        column: "start_date",
        kind: Kind::Day,
        find: concat!(
            "SELECT s.id, ",
            sprint_name!(),
            ", s.start_date, ",
            shown_sprint_start!(),
            " FROM sprint s WHERE date(s.start_date) IS NOT s.start_date"
        ),
        repair: "UPDATE sprint SET start_date = ?1 WHERE id = ?2",
    },
    Check {
        table: "sprint",
        column: "end_date",
        kind: Kind::Day,
        find: concat!(
            "SELECT s.id, ",
            sprint_name!(),
            ", s.end_date, ",
            shown_sprint_end!(),
            " FROM sprint s WHERE date(s.end_date) IS NOT s.end_date"
        ),
        repair: "UPDATE sprint SET end_date = ?1 WHERE id = ?2",
    },
    Check {
        table: "check_in",
        column: "date",
        kind: Kind::Day,
        find: concat!(
            "SELECT c.id, 'check-in #' || c.id || ' of ' || ",
            kr_name!(),
            ", c.date, ",
            shown_check_in_date!(),
            " FROM check_in c JOIN key_result k ON k.id = c.key_result_id JOIN objective o ON o.id = k.objective_id
             WHERE date(c.date) IS NOT c.date"
        ),
        repair: "UPDATE check_in SET date = ?1 WHERE id = ?2",
    },
    Check {
        table: "item",
        column: "points",
        kind: Kind::Whole,
        // `needs_cleaning` first, so that SQLite walks the partial index.
        find: concat!(
            "SELECT id, 'item #' || id, points, ",
            shown_points!("points"),
            " FROM item WHERE ",
            needs_cleaning!(),
            " AND (typeof(points) != 'integer' OR points NOT BETWEEN 0 AND 4294967295)"
        ),
        repair: "UPDATE item SET points = ?1 WHERE id = ?2",
    },
    Check {
        table: "item",
        column: "rank",
        kind: Kind::Whole,
        find: concat!(
            "SELECT id, 'item #' || id, rank, CAST(rank AS INTEGER) FROM item WHERE ",
            needs_cleaning!(),
            " AND typeof(rank) != 'integer'"
        ),
        repair: "UPDATE item SET rank = ?1 WHERE id = ?2",
    },
];

/// Why a stored value is not of its column's kind.
fn problem(kind: Kind, found: &Value) -> &'static str {
    match (kind, found) {
        (Kind::Day, Value::Null) => "empty, not a day",
        (Kind::Day, _) => "not a day",
        (Kind::Whole, found) => problem_of_whole(found),
    }
}

/// Why a stored value is not a whole number in range.
pub(super) fn problem_of_whole(found: &Value) -> &'static str {
    match found {
        Value::Real(_) => "a fraction",
        Value::Integer(_) => "out of range",
        Value::Text(_) => "text, not a number",
        Value::Null => "empty",
        Value::Blob(_) => "a blob, not a number",
    }
}

pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "empty".into(),
        Value::Integer(number) => number.to_string(),
        Value::Real(number) => number.to_string(),
        Value::Text(text) => format!("'{text}'"),
        Value::Blob(bytes) => format!("a blob of {} bytes", bytes.len()),
    }
}

/// Every wrong value in the file as `conn` sees it now.
fn scan(conn: &Connection) -> rusqlite::Result<Vec<WrongValue>> {
    let mut found = super::ordinals::scan(conn)?;
    found.extend(scan_checks(conn)?);
    Ok(found)
}

/// The wrong values of [`CHECKS`].
fn scan_checks(conn: &Connection) -> rusqlite::Result<Vec<WrongValue>> {
    let mut found = Vec::new();
    for check in CHECKS {
        let mut statement = conn.prepare_cached(check.find)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let stored: Value = row.get(2)?;
            let shown_value: Value = row.get(3)?;
            found.push(WrongValue {
                table: check.table,
                row: super::clean::text(row, 1)?.0,
                column: check.column,
                problem: problem(check.kind, &stored),
                found: describe(&stored),
                shown: match &shown_value {
                    Value::Text(text) => text.clone(),
                    other => describe(other),
                },
                collides_with: None,
                id: row.get(0)?,
                shown_value,
                repair: check.repair,
            });
        }
    }
    Ok(found)
}

impl Store {
    /// Every value of the wrong kind in the file, with what it is shown as
    /// (docs/reliability.md, "Wrong values and `quarterdeck doctor`").
    pub fn wrong_values(&self) -> Result<Vec<WrongValue>, StoreError> {
        Ok(scan(&self.conn)?)
    }

    /// Names each wrong value once among [`Store::repairs`] (items are
    /// named by the item scan), and each row the board leaves out because
    /// its link points at a row that is not there.
    pub(super) fn note_wrong_values(&self) -> rusqlite::Result<()> {
        for wrong in scan(&self.conn)?.into_iter().filter(|wrong| wrong.table != "item") {
            self.note_repair(wrong.to_string());
        }
        // A KR whose objective is gone would vanish without a word.
        for dangling in super::dangling::dangling_rows(&self.conn, &super::dangling::SHOWN_BY_LINK)? {
            self.note_repair(dangling);
        }
        Ok(())
    }

    /// Writes each wrong value as it is shown, as the file has them when
    /// the write starts, and renumbers siblings whose codes collide: one
    /// transaction, one undo step. The values it changed.
    pub fn repair_wrong_values(&mut self, label: &str) -> Result<Repaired, StoreError> {
        self.record(label, |tx| {
            // Named before any renumbering, as the user saw them.
            let found = scan_checks(tx)?;
            for wrong in &found {
                tx.prepare_cached(wrong.repair)?.execute(params![wrong.shown_value, wrong.id])?;
            }
            // A check-in's day decides which reading is the KR's latest.
            if found.iter().any(|wrong| wrong.table == "check_in") {
                super::check_ins::sync_all_current(tx)?;
            }
            let (mut values, renumbered) = super::ordinals::repair(tx)?;
            values.extend(found);
            Ok(Repaired { values, renumbered })
        })
    }

    /// What SQLite's `PRAGMA integrity_check` says of the file (a damaged
    /// page, a broken index). Empty when it is clean.
    pub fn file_damage(&self) -> Result<Vec<String>, StoreError> {
        // One finding may span lines ("*** in database main ***\nPage 7: ...").
        Ok(self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .iter()
            .flat_map(|finding| finding.lines().map(str::to_owned).collect::<Vec<_>>())
            .filter(|line| line != "ok" && !line.starts_with("***"))
            .collect())
    }

    /// Each row that points at a row that is not there (SQLite's
    /// `PRAGMA foreign_key_check`), in words: not damage to the file, but
    /// a row the board cannot place.
    pub fn dangling_rows(&self) -> Result<Vec<String>, StoreError> {
        Ok(super::dangling::dangling_rows(&self.conn, &[])?)
    }
}
