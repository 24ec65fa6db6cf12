//! Reading rows as an importer or `sqlite3` may have left them.
//!
//! SQLite stores any value in any column: a title may be a blob or hold
//! bytes that are not UTF-8, points may be 5000000000, negative or 2.5, a
//! KR value may be text. One such row must not make the board unopenable,
//! so values are read cleaned (text lossily, numbers clamped or rounded),
//! and each cleaned row is named once in [`Store::repairs`].

use rusqlite::{Row, types::ValueRef};

use super::Store;
use crate::domain::Id;

/// The points an item shows, in SQL, so that every total adds exactly the
/// values the rows show: a whole number that fits `u32` as stored, a
/// fraction rounded, a larger number as 100 (the most the item form takes),
/// and a negative number, text or a blob as 0. `Store::scan_items` names
/// each row this changes.
macro_rules! shown_points {
    ($column:literal) => {
        concat!(
            "(CASE WHEN typeof(",
            $column,
            ") NOT IN ('integer', 'real') OR ",
            $column,
            " < 0 THEN 0 WHEN ",
            $column,
            " > 4294967295 THEN 100 WHEN typeof(",
            $column,
            ") = 'integer' THEN ",
            $column,
            " ELSE CAST(round(",
            $column,
            ") AS INTEGER) END)"
        )
    };
}

/// A closed sprint `s`'s done points, from its frozen record (as its
/// review counts them), in SQL: the one spelling for the board's sprints
/// and for velocity's earlier quarters.
macro_rules! frozen_done_points {
    () => {
        "(SELECT coalesce(sum(max(r.points, 0)), 0) FROM sprint_record_item r WHERE r.sprint_id = s.id AND r.outcome = 'done')"
    };
}

/// The condition of the partial index `item_needs_cleaning` (schema v6),
/// spelled as the index spells it so that SQLite uses the index.
macro_rules! needs_cleaning {
    () => {
        "(typeof(title) != 'text' OR typeof(points) != 'integer' OR points NOT BETWEEN 0 AND 4294967295
          OR typeof(rank) != 'integer')"
    };
}

/// Items whose points or rank are not what the schema means, or whose title
/// is not text. (Text that is not UTF-8 cannot be found in SQL; the row
/// readers name it when they meet it.)
const SCAN_ITEMS: &str = concat!(
    "SELECT id, typeof(title) != 'text', points, ",
    shown_points!("points"),
    ", rank, CAST(rank AS INTEGER) FROM item WHERE ",
    needs_cleaning!()
);

/// A day as readers see it, in SQL: the stored text when it is a real
/// `YYYY-MM-DD` day (SQLite's `date()` gives it back unchanged), else NULL,
/// for a fallback. `2026-13-45`, `2026-02-30` and `yesterday` are not days.
macro_rules! valid_date {
    ($column:literal) => {
        concat!("(CASE WHEN date(", $column, ") IS ", $column, " THEN ", $column, " END)")
    };
}

/// Quarter `q`'s first day as shown: as stored when it is a day, else its
/// first sprint's start, else today (docs/reliability.md, wrong values).
macro_rules! shown_quarter_start {
    () => {
        concat!(
            "coalesce(",
            valid_date!("q.start_date"),
            ", (SELECT min(qs.start_date) FROM sprint qs WHERE qs.quarter_id = q.id AND date(qs.start_date) IS qs.start_date), date('now'))"
        )
    };
}

/// Sprint `s`'s length in days as shown when a day of its own is not a
/// day: the previous sprint's of its quarter (by number) with both days,
/// else the next one's, else 14. (SQLite takes no outer column in a
/// subquery's ORDER BY, so "the nearest" is spelled as the two.)
macro_rules! cleaned_sprint_length {
    () => {
        concat!("coalesce(", neighbour_sprint_length!("<", "DESC"), ", ", neighbour_sprint_length!(">", "ASC"), ", 14)")
    };
}

/// The length in days of the sprint of `s`'s quarter numbered nearest
/// below (`<`, `DESC`) or above (`>`, `ASC`) `s` whose days are both days.
macro_rules! neighbour_sprint_length {
    ($side:literal, $order:literal) => {
        concat!(
            "(SELECT CAST(julianday(len_s.end_date) - julianday(len_s.start_date) AS INTEGER) + 1 FROM sprint len_s
                WHERE len_s.quarter_id = s.quarter_id AND len_s.number ",
            $side,
            " s.number AND date(len_s.start_date) IS len_s.start_date AND date(len_s.end_date) IS len_s.end_date
                  AND len_s.end_date >= len_s.start_date ORDER BY len_s.number ",
            $order,
            " LIMIT 1)"
        )
    };
}

/// How many sprints of `s`'s quarter are numbered between `s` and the
/// sprint aliased `$other` (a neighbour that has the day `s` lacks).
macro_rules! sprints_between {
    ($other:literal) => {
        concat!(
            "(SELECT count(*) FROM sprint mid_s WHERE mid_s.quarter_id = s.quarter_id AND mid_s.number > min(",
            $other,
            ".number, s.number) AND mid_s.number < max(",
            $other,
            ".number, s.number))"
        )
    };
}

/// The first day of the next sprint of `s`'s quarter (by number) whose first
/// day is a day, or NULL.
macro_rules! next_sprint_start {
    () => {
        "(SELECT next_s.start_date FROM sprint next_s WHERE next_s.quarter_id = s.quarter_id AND next_s.number > s.number
            AND date(next_s.start_date) IS next_s.start_date ORDER BY next_s.number LIMIT 1)"
    };
}

/// Sprint `s`'s first day as shown: as stored when it is a day; else its
/// length (`cleaned_sprint_length!`) before its last day; with neither day
/// a day, where it belongs among its quarter's sprints: the day after the
/// previous sprint's end (one length later for each sprint between them
/// whose end is not a day either), else one length before the next
/// sprint's start, else its quarter's first day. So a cleaned sprint never
/// lands on a sibling's days, and its export imports.
macro_rules! shown_sprint_start {
    () => {
        concat!(
            "coalesce(",
            valid_date!("s.start_date"),
            ", date(",
            valid_date!("s.end_date"),
            ", '-' || (",
            cleaned_sprint_length!(),
            " - 1) || ' days'), (SELECT date(prev_s.end_date, '+' || (1 + ",
            cleaned_sprint_length!(),
            " * ",
            sprints_between!("prev_s"),
            ") || ' days') FROM sprint prev_s WHERE prev_s.quarter_id = s.quarter_id AND prev_s.number < s.number
                AND date(prev_s.end_date) IS prev_s.end_date ORDER BY prev_s.number DESC LIMIT 1),
             (SELECT date(next_s.start_date, '-' || (",
            cleaned_sprint_length!(),
            " * (1 + ",
            sprints_between!("next_s"),
            ")) || ' days') FROM sprint next_s WHERE next_s.quarter_id = s.quarter_id AND next_s.number > s.number
                AND date(next_s.start_date) IS next_s.start_date ORDER BY next_s.number LIMIT 1),
             (SELECT ",
            shown_quarter_start!(),
            " FROM quarter q WHERE q.id = s.quarter_id))"
        )
    };
}

/// Sprint `s`'s last day as shown: as stored when it is a day, else its
/// length (`cleaned_sprint_length!`) after its first day as shown, ending
/// before the next sprint's first day when its own first day is not a day
/// either.
macro_rules! shown_sprint_end {
    () => {
        concat!(
            "coalesce(",
            valid_date!("s.end_date"),
            ", date(",
            valid_date!("s.start_date"),
            ", '+' || (",
            cleaned_sprint_length!(),
            " - 1) || ' days'), min(date(",
            shown_sprint_start!(),
            ", '+' || (",
            cleaned_sprint_length!(),
            " - 1) || ' days'), coalesce(date(",
            next_sprint_start!(),
            ", '-1 day'), '9999-12-31')))"
        )
    };
}

/// Check-in `c`'s day as shown: as stored when it is a day, else its
/// quarter's first day, so that it never passes for the latest reading.
macro_rules! shown_check_in_date {
    () => {
        concat!(
            "coalesce(",
            valid_date!("c.date"),
            ", (SELECT ",
            shown_quarter_start!(),
            " FROM key_result ck JOIN objective co ON co.id = ck.objective_id JOIN quarter q ON q.id = co.quarter_id
                WHERE ck.id = c.key_result_id))"
        )
    };
}

/// A whole-number column as shown, in SQL: the whole number as stored, a
/// fraction rounded, anything else (text, a blob) 0. [`Whole`] is the same
/// rule in Rust.
macro_rules! shown_whole {
    ($column:literal) => {
        concat!(
            "(CASE typeof(",
            $column,
            ") WHEN 'integer' THEN ",
            $column,
            " WHEN 'real' THEN CAST(round(",
            $column,
            ") AS INTEGER) ELSE 0 END)"
        )
    };
}

/// Key result `k` of objective `o` named as users know it, as shown.
macro_rules! kr_name {
    () => {
        concat!("'KR' || ", shown_whole!("o.position"), " || '.' || ", shown_whole!("k.position"))
    };
}

/// A whole-number column read as another writer may have left it: a
/// fraction rounded (half away from zero, as SQLite's `round`), text, a
/// blob or a number out of `T`'s range as 0. [`Store::wrong_values`]
/// names each such value; this only keeps the read from failing.
#[derive(Debug, Clone, Copy)]
pub(super) struct Whole<T>(pub T);

impl<T: TryFrom<i64> + Default> rusqlite::types::FromSql for Whole<T> {
    fn column_result(value: ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        #[allow(clippy::cast_possible_truncation)] // `as` saturates; out of range is 0 below
        let whole = match value {
            ValueRef::Integer(number) => number,
            ValueRef::Real(number) if number.is_finite() => number.round() as i64,
            _ => 0,
        };
        Ok(Self(T::try_from(whole).unwrap_or_default()))
    }
}

/// A column holding another row's id: an id that is not a whole number
/// points at no row, so it reads as none (`quarterdeck doctor` reports it
/// with SQLite's `foreign_key_check`).
pub(super) fn link(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<Id>> {
    Ok(match row.get_ref(index)? {
        ValueRef::Integer(id) => Some(id),
        _ => None,
    })
}

/// Text read whatever was stored: bytes that are not UTF-8 (or a blob)
/// lossily, a number as written, and empty as none (or "" where the text
/// is not optional). For readers that copy text out (`export`); the
/// board's readers name what they clean ([`Store::text_of`]).
pub(super) trait LenientText: Sized {
    fn from_value(value: ValueRef<'_>) -> Self;
}

impl LenientText for Option<String> {
    fn from_value(value: ValueRef<'_>) -> Self {
        match value {
            ValueRef::Null => None,
            ValueRef::Text(bytes) | ValueRef::Blob(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
            ValueRef::Integer(number) => Some(number.to_string()),
            ValueRef::Real(number) => Some(number.to_string()),
        }
    }
}

impl LenientText for String {
    fn from_value(value: ValueRef<'_>) -> Self {
        Option::<String>::from_value(value).unwrap_or_default()
    }
}

/// A text column as [`LenientText`] reads it.
pub(super) fn lenient<T: LenientText>(row: &Row<'_>, index: usize) -> rusqlite::Result<T> {
    Ok(T::from_value(row.get_ref(index)?))
}

/// A day, or none when the column holds no `YYYY-MM-DD` day (a damaged
/// row's day has no place on an axis or in a plan).
pub(super) fn optional_day(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    Ok(match row.get_ref(index)? {
        ValueRef::Text(bytes) => {
            std::str::from_utf8(bytes).ok().and_then(|text| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        }
        _ => None,
    })
}

/// A whole-number column's value as read by [`Whole`].
pub(super) fn whole<T: TryFrom<i64> + Default>(row: &Row<'_>, index: usize) -> rusqlite::Result<T> {
    Ok(row.get::<_, Whole<T>>(index)?.0)
}

/// The cleaned rows found so far, named for the user.
#[derive(Debug, Default)]
pub(super) struct Repairs {
    notes: Vec<String>,
    /// `PRAGMA data_version` when items were last scanned: only another
    /// writer can leave bad rows, and only its commits change the version.
    scanned_at: Option<i64>,
    /// Some item's points are shown other than stored: the tally kept by
    /// triggers adds stored points, so totals are counted from the rows.
    points_repaired: bool,
}

impl Repairs {
    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
}

/// A value as the user could recognise it in a note.
fn describe(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "empty".into(),
        ValueRef::Integer(number) => number.to_string(),
        ValueRef::Real(number) => number.to_string(),
        ValueRef::Text(bytes) => format!("'{}'", String::from_utf8_lossy(bytes)),
        ValueRef::Blob(bytes) => format!("a blob of {} bytes", bytes.len()),
    }
}

/// Text as stored; when it is not UTF-8 text, a lossy copy (U+FFFD for the
/// bad bytes) and `true`.
pub(super) fn text(row: &Row<'_>, index: usize) -> rusqlite::Result<(String, bool)> {
    Ok(match row.get_ref(index)? {
        ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_owned(), false),
            Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
        },
        ValueRef::Blob(bytes) => (String::from_utf8_lossy(bytes).into_owned(), true),
        ValueRef::Null => (String::new(), true),
        ValueRef::Integer(number) => (number.to_string(), false),
        ValueRef::Real(number) => (number.to_string(), false),
    })
}

/// A number as stored; otherwise text that reads as a number, else 0,
/// with how it was stored.
pub(super) fn number(row: &Row<'_>, index: usize) -> rusqlite::Result<(f64, Option<String>)> {
    let value = row.get_ref(index)?;
    #[allow(clippy::cast_precision_loss)] // KR values are far below 2^52
    let clean = match value {
        ValueRef::Integer(number) => return Ok((number as f64, None)),
        ValueRef::Real(number) if number.is_finite() => return Ok((number, None)),
        ValueRef::Text(bytes) => {
            std::str::from_utf8(bytes).ok().and_then(|text| text.trim().parse::<f64>().ok()).filter(|n| n.is_finite())
        }
        _ => None,
    };
    Ok((clean.unwrap_or(0.0), Some(describe(value))))
}

impl Store {
    /// The rows shown cleaned since the board was opened, one line each,
    /// such as "Item #42: points 5000000000 out of range, shown as 100".
    pub fn repairs(&self) -> Vec<String> {
        self.repairs.borrow().notes.clone()
    }

    /// [`Store::repairs`] after a scan of the whole file for rows shown
    /// cleaned, also those the last read did not reach.
    pub fn cleaned_values(&self) -> Result<Vec<String>, super::StoreError> {
        self.points_repaired()?;
        Ok(self.repairs())
    }

    pub(super) fn note_repair(&self, note: String) {
        self.repairs.borrow_mut().note(note);
    }

    /// Reads a text column, naming the row when it had to be cleaned.
    pub(super) fn text_of(&self, row: &Row<'_>, index: usize, who: impl FnOnce() -> String) -> rusqlite::Result<String> {
        let (text, cleaned) = text(row, index)?;
        if cleaned {
            self.note_repair(format!("{}: not valid text, shown with \u{FFFD} for the bad bytes", who()));
        }
        Ok(text)
    }

    /// Reads a number column, naming the row when it had to be cleaned.
    pub(super) fn number_of(&self, row: &Row<'_>, index: usize, who: impl FnOnce() -> String) -> rusqlite::Result<f64> {
        let (value, stored) = number(row, index)?;
        if let Some(stored) = stored {
            self.note_repair(format!("{}: {stored} is not a number, shown as {value}", who()));
        }
        Ok(value)
    }

    /// Whether some item's points are shown other than stored. Scans the
    /// items when another writer has committed since the last scan.
    pub(super) fn points_repaired(&self) -> Result<bool, super::StoreError> {
        let version = self.data_version()?;
        if self.repairs.borrow().scanned_at != Some(version) {
            self.scan_items()?;
            self.note_wrong_values()?;
            self.repairs.borrow_mut().scanned_at = Some(version);
        }
        Ok(self.repairs.borrow().points_repaired)
    }

    fn scan_items(&self) -> rusqlite::Result<()> {
        let mut found = Vec::new();
        let mut points_repaired = false;
        let mut statement = self.conn.prepare_cached(SCAN_ITEMS)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id: Id = row.get(0)?;
            if row.get(1)? {
                found.push(format!("Item #{id}: title is not text, shown with \u{FFFD} for bytes that are not UTF-8"));
            }
            let (stored, shown): (ValueRef<'_>, i64) = (row.get_ref(2)?, row.get(3)?);
            if !matches!(stored, ValueRef::Integer(points) if points == shown) {
                points_repaired = true;
                let why = if matches!(stored, ValueRef::Integer(_)) { "out of range" } else { "not a whole number" };
                found.push(format!("Item #{id}: points {} {why}, shown as {shown}", describe(stored)));
            }
            let (stored, sorted): (ValueRef<'_>, i64) = (row.get_ref(4)?, row.get(5)?);
            if !matches!(stored, ValueRef::Integer(_)) {
                found.push(format!("Item #{id}: rank {} not a whole number, taken as {sorted}", describe(stored)));
            }
        }
        let mut repairs = self.repairs.borrow_mut();
        repairs.points_repaired = points_repaired;
        for note in found {
            repairs.note(note);
        }
        Ok(())
    }
}
