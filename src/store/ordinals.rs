//! Whole-number columns that number siblings: an objective's position (its
//! `O3`), a key result's (`KR3.1`), a sprint's number (`S6`), a retro
//! note's place in its list. A fraction there is shown rounded
//! (`shown_whole!`), and rounded it may equal a sibling's number: two rows
//! shown as `O3`, whose code the resolver then refuses. This finds such
//! values, names the sibling they collide with, and repairs a group whose
//! codes collide by renumbering it 1..n, so that the codes end distinct
//! (docs/reliability.md, "Cleaned values that collide"): sprints by their
//! first day, the others in the order the board shows them.

use rusqlite::{Connection, Transaction, params, types::Value};

use super::wrong_values::{WrongValue, describe, problem_of_whole};
use crate::domain::Id;

/// One ordinal column.
pub(super) struct Ordinal {
    table: &'static str,
    column: &'static str,
    /// What one row is called with its id: "objective" for "objective #4".
    noun: &'static str,
    /// Every row, group by group, each group in the order it is renumbered
    /// in (a sprint's first day, else the stored value; then id): id, the group, the group as named
    /// ("objectives of 2026-Q4"), the value as stored, as shown, the row's
    /// name ("objective O3"), and how a user tells it apart
    /// ("O3 'Keep the platform trusted'").
    siblings: &'static str,
    /// Whether the number forms a code, so that two siblings shown with one
    /// number is a problem; a retro note's place is only an order, and a tie
    /// is ordered by id.
    forms_code: bool,
    /// Writes ?1 to row ?2.
    repair: &'static str,
    /// How a renumbering orders the rows, for the line that says so.
    renumbered_by: &'static str,
}

pub(super) const ORDINALS: &[Ordinal] = &[
    Ordinal {
        table: "sprint",
        column: "number",
        noun: "sprint",
        siblings: concat!(
            "SELECT s.id, s.quarter_id, 'sprints of ' || q.label, s.number, ",
            shown_whole!("s.number"),
            ", 'sprint S' || ",
            shown_whole!("s.number"),
            ", 'S' || ",
            shown_whole!("s.number"),
            " || ' (sprint #' || s.id || ')'",
            // Sprints follow their days as shown (a day that is not a day
            // cleaned): a renumbering keeps S1 the first.
            " FROM sprint s JOIN quarter q ON q.id = s.quarter_id ORDER BY s.quarter_id, ",
            shown_sprint_start!(),
            ", s.number, s.id"
        ),
        forms_code: true,
        repair: "UPDATE sprint SET number = ?1 WHERE id = ?2",
        renumbered_by: "by their dates",
    },
    Ordinal {
        table: "objective",
        column: "position",
        noun: "objective",
        siblings: concat!(
            "SELECT o.id, o.quarter_id, 'objectives of ' || q.label, o.position, ",
            shown_whole!("o.position"),
            ", 'objective O' || ",
            shown_whole!("o.position"),
            ", 'O' || ",
            shown_whole!("o.position"),
            " || ' ''' || CAST(o.title AS TEXT) || ''''",
            " FROM objective o JOIN quarter q ON q.id = o.quarter_id ORDER BY o.quarter_id, o.position, o.id"
        ),
        forms_code: true,
        repair: "UPDATE objective SET position = ?1 WHERE id = ?2",
        renumbered_by: "in the order the board showed them",
    },
    Ordinal {
        table: "key_result",
        column: "position",
        noun: "key result",
        siblings: concat!(
            "SELECT k.id, k.objective_id, 'key results of objective #' || o.id, k.position, ",
            shown_whole!("k.position"),
            ", 'key result ' || ",
            kr_name!(),
            ", ",
            kr_name!(),
            " || ' ''' || CAST(k.title AS TEXT) || ''''",
            " FROM key_result k JOIN objective o ON o.id = k.objective_id ORDER BY k.objective_id, k.position, k.id"
        ),
        forms_code: true,
        repair: "UPDATE key_result SET position = ?1 WHERE id = ?2",
        renumbered_by: "in the order the board showed them",
    },
    Ordinal {
        table: "retro_note",
        column: "position",
        noun: "retro note",
        siblings: concat!(
            "SELECT r.id, r.sprint_id || ' ' || r.category, 'retro notes of sprint #' || r.sprint_id, r.position, ",
            shown_whole!("r.position"),
            ", 'retro note #' || r.id, 'retro note #' || r.id",
            " FROM retro_note r ORDER BY r.sprint_id, r.category, r.position, r.id"
        ),
        forms_code: false,
        repair: "UPDATE retro_note SET position = ?1 WHERE id = ?2",
        renumbered_by: "in the order the board showed them",
    },
];

/// One sibling as read.
struct Sibling {
    id: Id,
    group: Value,
    group_name: String,
    stored: Value,
    shown: i64,
    name: String,
    known_as: String,
}

/// What a user recognises a colliding sibling by, kept short.
fn short(known_as: &str) -> String {
    const MOST: usize = 40;
    if known_as.chars().count() <= MOST {
        return known_as.to_owned();
    }
    let cut: String = known_as.chars().take(MOST - 1).collect();
    // The quote the title opened is closed again.
    if known_as.ends_with('\'') { format!("{cut}…'") } else { format!("{cut}…") }
}

fn siblings(conn: &Connection, ordinal: &Ordinal) -> rusqlite::Result<Vec<Vec<Sibling>>> {
    let mut groups: Vec<Vec<Sibling>> = Vec::new();
    let mut statement = conn.prepare_cached(ordinal.siblings)?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let sibling = Sibling {
            id: row.get(0)?,
            group: row.get(1)?,
            group_name: super::clean::text(row, 2)?.0,
            stored: row.get(3)?,
            shown: row.get(4)?,
            name: super::clean::text(row, 5)?.0,
            known_as: super::clean::text(row, 6)?.0,
        };
        match groups.last_mut() {
            Some(group) if group[0].group == sibling.group => group.push(sibling),
            _ => groups.push(vec![sibling]),
        }
    }
    Ok(groups)
}

fn is_whole(value: &Value) -> bool {
    matches!(value, Value::Integer(_))
}

/// The problems in one group, in the order the board shows it: each value
/// that is not a whole number, and each whole number an earlier sibling
/// already holds; each with the sibling it collides with, if any.
fn problems(ordinal: &Ordinal, group: &[Sibling]) -> Vec<WrongValue> {
    let mut found = Vec::new();
    for (at, row) in group.iter().enumerate() {
        let same = |other: &&Sibling| other.id != row.id && other.shown == row.shown;
        let clash = if ordinal.forms_code {
            // A sibling stored as this number explains the clash best.
            group.iter().filter(same).find(|other| is_whole(&other.stored)).or_else(|| group.iter().find(same))
        } else {
            None
        };
        let duplicate = is_whole(&row.stored)
            && ordinal.forms_code
            && group[..at].iter().any(|earlier| is_whole(&earlier.stored) && earlier.shown == row.shown);
        if is_whole(&row.stored) && !duplicate {
            continue;
        }
        found.push(WrongValue {
            table: ordinal.table,
            row: if clash.is_some() { format!("{} #{}", ordinal.noun, row.id) } else { row.name.clone() },
            column: ordinal.column,
            found: describe(&row.stored),
            problem: if duplicate { "a sibling's number" } else { problem_of_whole(&row.stored) },
            shown: row.shown.to_string(),
            collides_with: clash.map(|other| short(&other.known_as)),
            id: row.id,
            shown_value: Value::Integer(row.shown),
            repair: ordinal.repair,
        });
    }
    found
}

/// Every ordinal value of the wrong kind or colliding, as `conn` sees it.
pub(super) fn scan(conn: &Connection) -> rusqlite::Result<Vec<WrongValue>> {
    let mut found = Vec::new();
    for ordinal in ORDINALS {
        for group in siblings(conn, ordinal)? {
            found.extend(problems(ordinal, &group));
        }
    }
    Ok(found)
}

/// Repairs every ordinal group with a problem, in `tx`: a group whose
/// codes collide, or whose codes do not rise in its order (a sprint
/// numbered after a later sprint), is renumbered 1..n in that order
/// (`Ordinal::siblings`); in
/// any other group each wrong value is written as shown, so no code the
/// user sees changes. The values found, and a line for each group
/// renumbered ("objectives of 2026-Q4 renumbered O1-O3").
pub(super) fn repair(tx: &Transaction<'_>) -> rusqlite::Result<(Vec<WrongValue>, Vec<String>)> {
    let (mut found, mut renumbered) = (Vec::new(), Vec::new());
    for ordinal in ORDINALS {
        for group in siblings(tx, ordinal)? {
            let problems = problems(ordinal, &group);
            if problems.is_empty() {
                continue;
            }
            // Codes out of their order (a sprint numbered after a later
            // one) are renumbered too: a sprint's number follows its days.
            let out_of_order = ordinal.forms_code && group.windows(2).any(|pair| pair[0].shown >= pair[1].shown);
            if out_of_order || problems.iter().any(|wrong| wrong.collides_with.is_some()) {
                renumber(tx, ordinal, &group)?;
                renumbered.push(format!("{} renumbered 1-{} {}", group[0].group_name, group.len(), ordinal.renumbered_by));
            } else {
                for wrong in &problems {
                    tx.prepare_cached(ordinal.repair)?.execute(params![wrong.shown_value, wrong.id])?;
                }
            }
            found.extend(problems);
        }
    }
    Ok((found, renumbered))
}

/// Numbers `group` 1..n in its order. Each row first takes a number held
/// by no sibling and outside 1..n, so that no step clashes with a
/// sibling's (a sprint's number is unique in its quarter), and the undo
/// step, which replays the rows' changes backwards, clashes neither.
fn renumber(tx: &Transaction<'_>, ordinal: &Ordinal, group: &[Sibling]) -> rusqlite::Result<()> {
    let held: Vec<i64> = group.iter().filter_map(|row| if let Value::Integer(n) = row.stored { Some(n) } else { None }).collect();
    let count = i64::try_from(group.len()).unwrap_or(i64::MAX);
    let spare = (count + 1..).filter(|n| !held.contains(n));
    let mut write = tx.prepare_cached(ordinal.repair)?;
    for (row, spare) in group.iter().zip(spare) {
        write.execute(params![spare, row.id])?;
    }
    for (row, place) in group.iter().zip(1_i64..) {
        write.execute(params![place, row.id])?;
    }
    Ok(())
}
