//! Finding the object a reference names (`O1`, `KR1.2`, `S3`, `#42`,
//! `2027-Q1:KR1.2`, or a stable id) on this board. The text is read by
//! [`crate::domain::references::parse`]; this module looks it up, and
//! when nothing answers says what there is instead.

use std::fmt;

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use crate::domain::{
    Id, codes,
    ids::{CheckInId, ItemId, KeyResultId, MemberId, ObjectiveId, QuarterId, RetroNoteId, SprintId},
    references::{self, ParseError, Reference, Target},
};

/// The object a reference resolved to, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Quarter(QuarterId),
    Objective(ObjectiveId),
    KeyResult(KeyResultId),
    CheckIn(CheckInId),
    Sprint(SprintId),
    Item(ItemId),
    RetroNote(RetroNoteId),
    Member(MemberId),
}

/// What a reference found: the object, the quarter it belongs to (none
/// for an item, which belongs to the board), its stable id and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub object: Resolved,
    /// The quarter's id and label.
    pub quarter: Option<(QuarterId, String)>,
    pub uid: String,
    /// What it is, in words for a message: `KR1.2 in 2027-Q1`, `#42`,
    /// `quarter 2027-Q1`, `a check-in of KR1.2 in 2027-Q1 (2027-01-15)`.
    pub name: String,
}

/// Why a reference found nothing; its message names what was typed and
/// what the board holds instead.
#[derive(Debug)]
pub enum ResolveError {
    /// The text is not a reference.
    Invalid(ParseError),
    /// Nothing on the board answers to it.
    NotFound(String),
    /// More than one row is shown with the code (another writer left a
    /// number that rounds onto a sibling's); the message names each.
    Ambiguous(String),
    /// The file could not be read.
    Store(StoreError),
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(error) => error.fmt(f),
            Self::NotFound(message) | Self::Ambiguous(message) => f.write_str(message),
            Self::Store(error) => write!(f, "reading the board: {error}"),
        }
    }
}

impl std::error::Error for ResolveError {}

impl From<rusqlite::Error> for ResolveError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Store(error.into())
    }
}

impl From<StoreError> for ResolveError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

/// Makes the typed id of one kind of object from its row id.
type Kind = fn(Id) -> Resolved;

/// Tables holding objects with a stable id, with the kind each holds.
const UID_TABLES: [(&str, Kind); 8] = [
    ("quarter", |id| Resolved::Quarter(QuarterId(id))),
    ("objective", |id| Resolved::Objective(ObjectiveId(id))),
    ("key_result", |id| Resolved::KeyResult(KeyResultId(id))),
    ("check_in", |id| Resolved::CheckIn(CheckInId(id))),
    ("sprint", |id| Resolved::Sprint(SprintId(id))),
    ("item", |id| Resolved::Item(ItemId(id))),
    ("retro_note", |id| Resolved::RetroNote(RetroNoteId(id))),
    ("team_member", |id| Resolved::Member(MemberId(id))),
];

impl Store {
    /// Resolves what a user typed against the board they are on: `on` is
    /// the quarter on screen, `None` the one the board shows by default
    /// (the running quarter, else the latest closed one). A quarter named
    /// before a `:` is looked up by label, in any case.
    pub fn resolve(&self, text: &str, on: Option<QuarterId>) -> Result<Found, ResolveError> {
        let reference = references::parse(text).map_err(ResolveError::Invalid)?;
        match &reference.target {
            Target::Uid(uid) => self.resolve_uid(uid, &reference),
            Target::Item(number) => self.resolve_item(*number, &reference),
            _ => {
                let (quarter, label) = self.quarter_for(&reference, on)?;
                self.resolve_in_quarter(&reference, quarter, &label)
            }
        }
    }

    /// What `object` is, as a reference to it would find it: its stable
    /// id, its quarter and its name (`KR1.2 in 2027-Q1`, `#42`), e.g. for
    /// a command to say what it made.
    pub fn describe(&self, object: Resolved) -> Result<Found, ResolveError> {
        let (table, id) = match object {
            Resolved::Quarter(id) => ("quarter", id.row()),
            Resolved::Objective(id) => ("objective", id.row()),
            Resolved::KeyResult(id) => ("key_result", id.row()),
            Resolved::CheckIn(id) => ("check_in", id.row()),
            Resolved::Sprint(id) => ("sprint", id.row()),
            Resolved::Item(id) => ("item", id.row()),
            Resolved::RetroNote(id) => ("retro_note", id.row()),
            Resolved::Member(id) => ("team_member", id.row()),
        };
        // Table names are our constants, never typed text.
        let uid: Option<String> = self
            .conn
            .prepare_cached(&format!("SELECT uid FROM {table} WHERE id = ?1"))?
            .query_row([id], |row| row.get(0))
            .optional()?;
        let Some(uid) = uid else { return Err(ResolveError::NotFound(format!("no {table} with row id {id} on this board"))) };
        Ok(Found { object, quarter: self.quarter_of(object)?, uid, name: self.name_of(object)? })
    }

    /// The quarter a reference is looked up in.
    fn quarter_for(&self, reference: &Reference, on: Option<QuarterId>) -> Result<(QuarterId, String), ResolveError> {
        let found: Option<(Id, String)> = if let Some(label) = &reference.quarter {
            // Labels are unique as written; an exact match wins over one in
            // another case.
            self.conn
                .prepare_cached(
                    "SELECT id, label FROM quarter WHERE label = ?1 COLLATE NOCASE ORDER BY label = ?1 DESC, id LIMIT 1",
                )?
                .query_row([label], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?
        } else {
            self.conn
                .prepare_cached(
                    "SELECT id, label FROM quarter WHERE state != 'draft' OR id IS ?1
                     ORDER BY id IS ?1 DESC, state = 'open' DESC, start_date DESC, id DESC LIMIT 1",
                )?
                .query_row([on], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?
        };
        if let Some((id, label)) = found {
            return Ok((QuarterId(id), label));
        }
        let labels: Vec<String> = self
            .conn
            .prepare_cached("SELECT label FROM quarter ORDER BY start_date, id")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Err(ResolveError::NotFound(match (&reference.quarter, labels.is_empty()) {
            (_, true) => format!("no {}: the board has no quarter yet", reference.code()),
            (Some(label), false) => format!("no quarter {label} on this board: its quarters are {}", labels.join(", ")),
            // A board with only a draft: name it with its label.
            (None, false) => format!("no running quarter: write the quarter first, as {}:{}", labels[0], reference.code()),
        }))
    }

    /// Codes are matched against the numbers as the board shows them
    /// (`shown_whole!`): a sprint another program left numbered 6.5 is
    /// shown, and found, as S7. A code two rows are shown with names
    /// neither: it is refused, naming each, so that nothing is written to
    /// the one the user did not mean (`doctor --yes` makes codes distinct).
    fn resolve_in_quarter(&self, reference: &Reference, quarter: QuarterId, label: &str) -> Result<Found, ResolveError> {
        let (sql, kind, make, numbers): (&str, &str, Kind, Vec<i64>) = match reference.target {
            Target::Objective(number) => (
                concat!(
                    "SELECT id, uid, '''' || CAST(title AS TEXT) || '''' FROM objective WHERE quarter_id = ?1 AND ",
                    shown_whole!("position"),
                    " = ?2 AND ?3 IS NULL ORDER BY id"
                ),
                "objectives",
                |id| Resolved::Objective(ObjectiveId(id)),
                vec![i64::from(number)],
            ),
            Target::KeyResult { objective, position } => (
                concat!(
                    "SELECT k.id, k.uid, '''' || CAST(k.title AS TEXT) || '''' FROM key_result k JOIN objective o ON o.id = k.objective_id WHERE o.quarter_id = ?1 AND ",
                    shown_whole!("o.position"),
                    " = ?2 AND ",
                    shown_whole!("k.position"),
                    " = ?3 ORDER BY k.id"
                ),
                "KRs",
                |id| Resolved::KeyResult(KeyResultId(id)),
                vec![i64::from(objective), i64::from(position)],
            ),
            Target::Sprint(number) => (
                concat!(
                    "SELECT id, uid, 'sprint #' || id || ' (' || CAST(start_date AS TEXT) || ' to ' || CAST(end_date AS TEXT) || ')' FROM sprint WHERE quarter_id = ?1 AND ",
                    shown_whole!("number"),
                    " = ?2 AND ?3 IS NULL ORDER BY id"
                ),
                "sprints",
                |id| Resolved::Sprint(SprintId(id)),
                vec![i64::from(number)],
            ),
            Target::Item(_) | Target::Uid(_) => {
                return Err(ResolveError::NotFound(self.missing_in_quarter(reference, quarter, label)?));
            }
        };
        let found: Vec<(Id, String, String)> = self
            .conn
            .prepare_cached(sql)?
            .query_map(params![quarter, numbers.first(), numbers.get(1)], |row| {
                Ok((row.get(0)?, row.get(1)?, super::clean::text(row, 2)?.0))
            })?
            .collect::<rusqlite::Result<_>>()?;
        match found.as_slice() {
            [] => Err(ResolveError::NotFound(self.missing_in_quarter(reference, quarter, label)?)),
            [(id, uid, _)] => Ok(Found {
                object: make(*id),
                quarter: Some((quarter, label.to_owned())),
                uid: uid.clone(),
                name: format!("{} in {label}", reference.code()),
            }),
            several => Err(ResolveError::Ambiguous(ambiguous(reference, kind, label, several))),
        }
    }

    /// "no KR1.9 in 2027-Q1: its KRs are KR1.1-KR1.3, KR2.1".
    fn missing_in_quarter(&self, reference: &Reference, quarter: QuarterId, label: &str) -> rusqlite::Result<String> {
        let (sql, kind, code): (&str, &str, fn(u32, u32) -> String) = match reference.target {
            Target::Objective(_) => {
                ("SELECT 0, position FROM objective WHERE quarter_id = ?1", "objectives", |_, n| codes::objective(n))
            }
            Target::KeyResult { .. } => (
                "SELECT o.position, k.position FROM key_result k JOIN objective o ON o.id = k.objective_id WHERE o.quarter_id = ?1",
                "KRs",
                codes::key_result,
            ),
            _ => ("SELECT 0, number FROM sprint WHERE quarter_id = ?1", "sprints", |_, n| codes::sprint(n)),
        };
        let numbers: Vec<(u32, u32)> = self
            .conn
            .prepare_cached(sql)?
            .query_map([quarter], |row| Ok((super::clean::whole(row, 0)?, super::clean::whole(row, 1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let missing = reference.code();
        Ok(if numbers.is_empty() {
            format!("no {missing} in {label}: it has no {kind} yet")
        } else {
            format!("no {missing} in {label}: its {kind} are {}", references::code_ranges(numbers, code))
        })
    }

    /// Items belong to the board, not to a quarter: `#42` is the same item
    /// whichever quarter is named, even one done in an earlier quarter.
    fn resolve_item(&self, number: Id, reference: &Reference) -> Result<Found, ResolveError> {
        if reference.quarter.is_some() {
            // A quarter named that is not on the board is still a mistake.
            self.quarter_for(reference, None)?;
        }
        let uid: Option<String> =
            self.conn.prepare_cached("SELECT uid FROM item WHERE id = ?1")?.query_row([number], |row| row.get(0)).optional()?;
        if let Some(uid) = uid {
            return Ok(Found { object: Resolved::Item(ItemId(number)), quarter: None, uid, name: codes::item(number) });
        }
        let high: Id =
            self.conn.prepare_cached(super::plan_import::NEXT_ITEM_NUMBER)?.query_row([], |row| row.get::<_, Id>(0))? - 1;
        let code = codes::item(number);
        Err(ResolveError::NotFound(if number <= high {
            format!("no item {code}: it was deleted (undo brings it back; its number is not used again)")
        } else if high == 0 {
            format!("no item {code}: the backlog has no items yet")
        } else {
            format!("no item {code}: the newest item is {}", codes::item(high))
        }))
    }

    /// A stable id names one object anywhere on the board.
    fn resolve_uid(&self, uid: &str, reference: &Reference) -> Result<Found, ResolveError> {
        if reference.quarter.is_some() {
            return Err(ResolveError::NotFound(format!(
                "{uid} is an object's id, which names it in any quarter: write it without the quarter"
            )));
        }
        for (table, kind) in UID_TABLES {
            // Table names are our constants, never typed text.
            let id: Option<Id> = self
                .conn
                .prepare_cached(&format!("SELECT id FROM {table} WHERE uid = ?1"))?
                .query_row([uid], |row| row.get(0))
                .optional()?;
            if let Some(id) = id {
                let object = kind(id);
                let quarter = self.quarter_of(object)?;
                let name = self.name_of(object)?;
                return Ok(Found { object, quarter, uid: uid.to_owned(), name });
            }
        }
        Err(ResolveError::NotFound(format!("no object on this board has the id {uid}")))
    }

    /// An object found by its stable id, in words, its code made by
    /// [`codes`] from the numbers as they are now.
    fn name_of(&self, object: Resolved) -> rusqlite::Result<String> {
        let row = |sql: &str, id: Id| -> rusqlite::Result<(String, u32, u32, String)> {
            self.conn
                .prepare_cached(sql)?
                .query_row([id], |row| Ok((row.get(0)?, super::clean::whole(row, 1)?, super::clean::whole(row, 2)?, row.get(3)?)))
        };
        const KR: &str = "FROM key_result k JOIN objective o ON o.id = k.objective_id JOIN quarter q ON q.id = o.quarter_id";
        Ok(match object {
            Resolved::Quarter(id) => format!("quarter {}", row("SELECT label, 0, 0, '' FROM quarter WHERE id = ?1", id.row())?.0),
            Resolved::Objective(id) => {
                let (label, number, ..) = row(
                    "SELECT q.label, o.position, 0, '' FROM objective o JOIN quarter q ON q.id = o.quarter_id WHERE o.id = ?1",
                    id.row(),
                )?;
                format!("{} in {label}", codes::objective(number))
            }
            Resolved::KeyResult(id) => {
                let (label, objective, position, _) =
                    row(&format!("SELECT q.label, o.position, k.position, '' {KR} WHERE k.id = ?1"), id.row())?;
                format!("{} in {label}", codes::key_result(objective, position))
            }
            Resolved::CheckIn(id) => {
                let (label, objective, position, date) = row(
                    "SELECT q.label, o.position, k.position, c.date FROM check_in c JOIN key_result k ON k.id = c.key_result_id
                     JOIN objective o ON o.id = k.objective_id JOIN quarter q ON q.id = o.quarter_id WHERE c.id = ?1",
                    id.row(),
                )?;
                format!("a check-in of {} in {label} ({date})", codes::key_result(objective, position))
            }
            Resolved::Sprint(id) => {
                let (label, number, ..) = row(
                    "SELECT q.label, s.number, 0, '' FROM sprint s JOIN quarter q ON q.id = s.quarter_id WHERE s.id = ?1",
                    id.row(),
                )?;
                format!("{} in {label}", codes::sprint(number))
            }
            Resolved::Item(id) => codes::item(id.row()),
            Resolved::RetroNote(id) => {
                let (label, number, ..) = row(
                    "SELECT q.label, s.number, 0, '' FROM retro_note r JOIN sprint s ON s.id = r.sprint_id
                     JOIN quarter q ON q.id = s.quarter_id WHERE r.id = ?1",
                    id.row(),
                )?;
                format!("a retro note of {} in {label}", codes::sprint(number))
            }
            Resolved::Member(id) => {
                let (label, _, _, name) = row(
                    "SELECT q.label, 0, 0, m.name FROM team_member m JOIN quarter q ON q.id = m.quarter_id WHERE m.id = ?1",
                    id.row(),
                )?;
                format!("team member {name} in {label}")
            }
        })
    }

    /// The quarter an object belongs to; none for an item.
    fn quarter_of(&self, object: Resolved) -> rusqlite::Result<Option<(QuarterId, String)>> {
        let (sql, id) = match object {
            Resolved::Objective(id) => {
                ("SELECT q.id, q.label FROM objective o JOIN quarter q ON q.id = o.quarter_id WHERE o.id = ?1", id.row())
            }
            Resolved::KeyResult(id) => (
                "SELECT q.id, q.label FROM key_result k JOIN objective o ON o.id = k.objective_id
                 JOIN quarter q ON q.id = o.quarter_id WHERE k.id = ?1",
                id.row(),
            ),
            Resolved::Sprint(id) => {
                ("SELECT q.id, q.label FROM sprint s JOIN quarter q ON q.id = s.quarter_id WHERE s.id = ?1", id.row())
            }
            Resolved::Quarter(id) => ("SELECT id, label FROM quarter WHERE id = ?1", id.row()),
            Resolved::CheckIn(id) => (
                "SELECT q.id, q.label FROM check_in c JOIN key_result k ON k.id = c.key_result_id
                 JOIN objective o ON o.id = k.objective_id JOIN quarter q ON q.id = o.quarter_id WHERE c.id = ?1",
                id.row(),
            ),
            Resolved::RetroNote(id) => (
                "SELECT q.id, q.label FROM retro_note r JOIN sprint s ON s.id = r.sprint_id
                 JOIN quarter q ON q.id = s.quarter_id WHERE r.id = ?1",
                id.row(),
            ),
            Resolved::Member(id) => {
                ("SELECT q.id, q.label FROM team_member m JOIN quarter q ON q.id = m.quarter_id WHERE m.id = ?1", id.row())
            }
            Resolved::Item(_) => return Ok(None),
        };
        self.conn.prepare_cached(sql)?.query_row([id], |row| Ok((QuarterId(row.get(0)?), row.get(1)?))).optional()
    }
}

/// "KR3.1 names two KRs in 2026-Q4: 'Checkout conversion' and 'Monthly
/// churn' (id ...); run `quarterdeck doctor --yes` ...".
fn ambiguous(reference: &Reference, kind: &str, label: &str, rows: &[(Id, String, String)]) -> String {
    let count = match rows.len() {
        2 => "two".to_owned(),
        3 => "three".to_owned(),
        n => n.to_string(),
    };
    // Each with its id, as a code cannot reach it until the codes differ.
    let names: Vec<String> = rows.iter().map(|(_, uid, name)| format!("{name} (id {uid})")).collect();
    let (last, first) = names.split_last().map_or(("", &[][..]), |(last, first)| (last.as_str(), first));
    format!(
        "{} names {count} {kind} in {label}: {} and {last}; run `quarterdeck doctor --yes` to give them distinct codes, \
         or name one by its id",
        reference.code(),
        first.join(", ")
    )
}
