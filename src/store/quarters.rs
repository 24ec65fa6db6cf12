//! Quarters that follow one another: drafting the next quarter's OKRs,
//! closing the running quarter with its scores, opening the next with the
//! same cadence, and the list the `Q` screen shows. Closing and opening
//! are each one recorded user action, so `u` takes either back whole.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Store, StoreError, board::date_column, clean};
use crate::domain::{
    Closing, Id, QuarterState, SprintDates, SprintState,
    calendar::next_quarter_start,
    labels::next_quarter_label,
    quarter_close::{copy_cadence, kr_score, round_score},
    settings::OverlapStrategy,
    values::Score,
};

/// One line of the quarter screen.
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterSummary {
    pub id: Id,
    pub label: String,
    pub start: NaiveDate,
    /// The last sprint's last day, when it has sprints.
    pub end: Option<NaiveDate>,
    pub state: QuarterState,
    pub sprints: usize,
}

/// What the close writes: the scores the user typed, each objective's
/// note, the quarter retro's note. Every other KR gets the score its
/// progress proposes, read inside the close from the KR as the file has it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuarterClose {
    /// Scores typed on the quarter screen, by KR id.
    pub kr_scores: Vec<(Id, Score)>,
    pub objective_notes: Vec<(Id, String)>,
    pub note: String,
}

/// What opening the next quarter did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// The new quarter, with how many unfinished items came over.
    Quarter { id: Id, label: String, carried: usize, to_retag: usize },
    /// A quarter runs already (another window opened it): nothing written.
    AlreadyOpen(String),
    /// The quarter to follow is not closed (any more): nothing written.
    NotClosed,
}

impl Store {
    /// Every quarter but drafts, newest first, and the drafts after them.
    pub fn quarters(&self) -> Result<Vec<QuarterSummary>, StoreError> {
        self.conn
            .prepare_cached(concat!(
                "SELECT q.id, q.label, ",
                shown_quarter_start!(),
                ", q.state, max(s.end_date), count(s.id)
                 FROM quarter q LEFT JOIN sprint s ON s.quarter_id = q.id
                 GROUP BY q.id ORDER BY q.state = 'draft', q.start_date DESC, q.id DESC"
            ))?
            .query_map([], |row| {
                let id: Id = row.get(0)?;
                Ok(QuarterSummary {
                    id,
                    label: self.text_of(row, 1, || format!("Quarter #{id}: label"))?,
                    start: date_column(row, 2)?,
                    state: QuarterState::parse(&clean::text(row, 3)?.0),
                    end: clean::optional_day(row, 4)?,
                    sprints: row.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()
            .map_err(StoreError::from)
    }

    /// Every quarter's label but `except`'s: the labels a new or renamed
    /// quarter must not take.
    pub fn quarter_labels_except(&self, except: Option<Id>) -> Result<Vec<String>, StoreError> {
        self.conn
            .prepare_cached("SELECT CAST(label AS TEXT) FROM quarter WHERE id IS NOT ?1 ORDER BY id")?
            .query_map([except], |row| clean::lenient(row, 0))?
            .collect::<rusqlite::Result<_>>()
            .map_err(StoreError::from)
    }

    /// The quarter being drafted, if any: its id and label.
    pub fn draft_quarter(&self) -> Result<Option<(Id, String)>, StoreError> {
        self.conn
            .prepare_cached("SELECT id, CAST(label AS TEXT) FROM quarter WHERE state = 'draft' ORDER BY start_date, id LIMIT 1")?
            .query_row([], |row| Ok((row.get(0)?, clean::lenient(row, 1)?)))
            .optional()
            .map_err(StoreError::from)
    }

    /// Starts drafting the next quarter: a quarter row with no sprints,
    /// which no screen takes for the running one.
    pub fn create_draft(&mut self, label: &str, start: NaiveDate, undo_label: &str) -> Result<Id, StoreError> {
        self.record(undo_label, |tx| {
            // Another window may have started one since the screen was drawn.
            if let Some(id) = tx
                .prepare_cached("SELECT id FROM quarter WHERE state = 'draft' ORDER BY start_date, id LIMIT 1")?
                .query_row([], |row| row.get(0))
                .optional()?
            {
                return Ok(id);
            }
            // The running quarter's settings go on (`,` on the draft changes them).
            tx.execute(
                "INSERT INTO quarter (label, start_date, state, checkin_cadence, overlap_strategy)
                 SELECT ?1, ?2, 'draft', coalesce(max(checkin_cadence), 'two_weeks'), coalesce(max(overlap_strategy), 'reserve')
                 FROM (SELECT checkin_cadence, overlap_strategy FROM quarter WHERE state != 'draft'
                       ORDER BY state = 'open' DESC, start_date DESC, id DESC LIMIT 1)",
                params![label, start.to_string()],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// A closed quarter's scores and notes.
    pub(super) fn load_closing(&self, quarter_id: Id, note: String) -> rusqlite::Result<Closing> {
        let kr_scores = self
            .conn
            .prepare_cached(
                "SELECT k.id, k.score FROM key_result k JOIN objective o ON o.id = k.objective_id
                 WHERE o.quarter_id = ?1 AND typeof(k.score) IN ('real', 'integer')",
            )?
            .query_map([quarter_id], |row| Ok((row.get(0)?, round_score(row.get(1)?))))?
            .collect::<rusqlite::Result<_>>()?;
        let objective_notes = self
            .conn
            .prepare_cached("SELECT id, closing_note FROM objective WHERE quarter_id = ?1 AND closing_note != ''")?
            .query_map([quarter_id], |row| {
                let id: Id = row.get(0)?;
                Ok((id, self.text_of(row, 1, || format!("Objective #{id}: closing note"))?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Closing { note, kr_scores, objective_notes })
    }

    /// The quarter retro's material: every OKR reflection of the quarter's
    /// sprints, as (sprint number, note), sprint by sprint in list order.
    pub fn quarter_reflections(&self, quarter_id: Id) -> Result<Vec<(u32, String)>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT s.number, r.text FROM retro_note r JOIN sprint s ON s.id = r.sprint_id
                 WHERE s.quarter_id = ?1 AND r.category = 'okr_reflection' ORDER BY s.number, r.position, r.id",
            )?
            .query_map([quarter_id], |row| {
                let number: u32 = clean::whole(row, 0)?;
                Ok((number, self.text_of(row, 1, || format!("Sprint {number}: OKR reflection"))?))
            })?
            .collect::<rusqlite::Result<_>>()
            .map_err(StoreError::from)
    }

    /// Closes the running quarter `id` with its scores and notes, as one
    /// step. A KR the user scored keeps the typed score; every other KR is
    /// scored from its progress as the file has it at the close (a check-in
    /// or a KR added in another window counts), and one that cannot be
    /// measured stays unscored. A KR or objective deleted meanwhile is
    /// passed over; a quarter that is no longer open (another window closed
    /// it) is an error.
    pub fn close_quarter(&mut self, id: Id, close: &QuarterClose, today: NaiveDate, label: &str) -> Result<(), StoreError> {
        self.record(label, |tx| {
            let rows = tx.execute(
                "UPDATE quarter SET state = 'closed', closed_on = ?2, closing_note = ?3 WHERE id = ?1 AND state = 'open'",
                params![id, today.to_string(), close.note],
            )?;
            super::found(rows)?;
            let closed_label: String =
                tx.query_row("SELECT CAST(label AS TEXT) FROM quarter WHERE id = ?1", [id], |row| clean::lenient(row, 0))?;
            super::history::ask_before_replay(tx, &format!("closing {closed_label}"))?;
            let mut score = tx.prepare_cached(
                "UPDATE key_result SET score = ?2 WHERE id = ?1
                 AND objective_id IN (SELECT id FROM objective WHERE quarter_id = ?3)",
            )?;
            for (kr, start, target, current) in super::check_ins::quarter_readings(tx, id)? {
                let typed = close.kr_scores.iter().find(|(typed, _)| *typed == kr).map(|(_, score)| score.get());
                if let Some(value) = typed.or_else(|| kr_score(start, target, current)) {
                    score.execute(params![kr, value, id])?;
                }
            }
            let mut note = tx.prepare_cached("UPDATE objective SET closing_note = ?2 WHERE id = ?1 AND quarter_id = ?3")?;
            for (objective, text) in &close.objective_notes {
                note.execute(params![objective, text, id])?;
            }
            Ok(())
        })
    }

    /// Opens the quarter after the closed quarter `closed`: the draft, if
    /// one is being written, else a new quarter from the day after the
    /// closed one's last sprint. It gets the closed quarter's cadence and
    /// team; unfinished items leave the closed quarter's sprints for the
    /// backlog, and those tagged with its KRs keep the tags (as history)
    /// and are marked to be tagged again. One step.
    pub fn open_next_quarter(&mut self, closed: Id, today: NaiveDate, label: &str) -> Result<Opened, StoreError> {
        self.record(label, |tx| {
            let state: Option<String> =
                tx.query_row("SELECT state FROM quarter WHERE id = ?1", [closed], |row| row.get(0)).optional()?;
            if state.as_deref() != Some("closed") {
                return Ok(Opened::NotClosed);
            }
            if let Some(open) = tx
                .query_row("SELECT CAST(label AS TEXT) FROM quarter WHERE state = 'open' LIMIT 1", [], |row| clean::lenient(row, 0))
                .optional()?
            {
                return Ok(Opened::AlreadyOpen(open));
            }
            let sprints = sprint_rows(tx, closed)?;
            let dates: Vec<SprintDates> = sprints.iter().map(|sprint| sprint.dates).collect();
            let overlap: String = tx.query_row(
                "SELECT CAST(overlap_strategy AS TEXT) FROM quarter WHERE id = ?1",
                [closed],
                |row| row.get(0),
            )?;
            let overlap = OverlapStrategy::parse(&overlap).unwrap_or_default();
            let after = dates.iter().map(|sprint| sprint.end).max().map(|end| next_quarter_start(end, overlap));
            let draft: Option<(Id, String, String)> = tx
                .query_row(
                    "SELECT id, CAST(label AS TEXT), start_date FROM quarter WHERE state = 'draft' ORDER BY start_date, id LIMIT 1",
                    [],
                    |row| Ok((row.get(0)?, clean::lenient(row, 1)?, clean::lenient(row, 2)?)),
                )
                .optional()?;
            let (id, new_label, start) = match draft {
                Some((id, label, start)) => {
                    // Never inside the closed quarter: a sprint may have been
                    // added to it after drafting began.
                    let start = start.parse().ok().max(after).unwrap_or(today);
                    tx.execute("UPDATE quarter SET state = 'open' WHERE id = ?1", [id])?;
                    (id, label, start)
                }
                None => {
                    let start = after.unwrap_or(today);
                    let taken: Vec<String> = tx
                        .prepare_cached("SELECT CAST(label AS TEXT) FROM quarter")?
                        .query_map([], |row| clean::lenient(row, 0))?
                        .collect::<rusqlite::Result<_>>()?;
                    let closed_label: String =
                        tx.query_row("SELECT CAST(label AS TEXT) FROM quarter WHERE id = ?1", [closed], |row| clean::lenient(row, 0))?;
                    let label = next_quarter_label(&closed_label, start, &taken);
                    // The closed quarter's settings go on.
                    tx.execute(
                        "INSERT INTO quarter (label, start_date, checkin_cadence, overlap_strategy)
                         SELECT ?1, ?2, checkin_cadence, overlap_strategy FROM quarter WHERE id = ?3",
                        params![label, start.to_string(), closed],
                    )?;
                    (tx.last_insert_rowid(), label, start)
                }
            };
            let mut insert = tx.prepare_cached(
                "INSERT INTO sprint (quarter_id, number, start_date, end_date, capacity, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            // All planned, even when opening late: a sprint is closed only
            // by its review (which freezes its record), and the board offers
            // to start the one today falls in, as for any planned sprint.
            for ((number, new), old) in (1_u32..).zip(copy_cadence(&dates, start)).zip(&sprints) {
                let planned = SprintState::Planned.as_str();
                insert.execute(params![id, number, new.start.to_string(), new.end.to_string(), old.capacity, planned])?;
            }
            tx.execute(
                "INSERT INTO team_member (quarter_id, name, focus_factor, product_owner, scrum_master, okr_champion)
                 SELECT ?1, name, focus_factor, product_owner, scrum_master, okr_champion
                 FROM team_member WHERE quarter_id = ?2 ORDER BY id",
                [id, closed],
            )?;
            // An item already tagged with a drafted KR of the new quarter
            // was re-tagged ahead: it needs no mark.
            let to_retag = tx.execute(
                "UPDATE item SET needs_retag = 1 WHERE state != 'done' AND needs_retag = 0 AND id IN
                     (SELECT t.item_id FROM item_kr t JOIN key_result k ON k.id = t.key_result_id
                      JOIN objective o ON o.id = k.objective_id WHERE o.quarter_id = ?1)
                   AND id NOT IN
                     (SELECT t.item_id FROM item_kr t JOIN key_result k ON k.id = t.key_result_id
                      JOIN objective o ON o.id = k.objective_id WHERE o.quarter_id = ?2)",
                [closed, id],
            )?;
            // What the closed quarter delivered stays in it: the backlog
            // lists the new quarter's work (the filter menu finds these).
            tx.execute(
                "UPDATE item SET done_in_earlier_quarter = 1 WHERE state = 'done' AND done_in_earlier_quarter = 0
                   AND sprint_id IN (SELECT id FROM sprint WHERE quarter_id = ?1)",
                [closed],
            )?;
            let carried = tx.execute(
                "UPDATE item SET sprint_id = NULL
                 WHERE state != 'done' AND sprint_id IN (SELECT id FROM sprint WHERE quarter_id = ?1)",
                [closed],
            )?;
            super::history::ask_before_replay(tx, &format!("opening {new_label}"))?;
            Ok(Opened::Quarter { id, label: new_label, carried, to_retag })
        })
    }

    /// Whether any item waits to be tagged again (the partial index answers).
    pub fn has_items_to_retag(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM item WHERE needs_retag = 1)")?
            .query_row([], |row| row.get(0))?)
    }

    /// Whether any item was done in an earlier quarter (filed away when
    /// the next opened); the tally answers.
    pub fn has_items_done_in_earlier_quarters(&self) -> Result<bool, StoreError> {
        self.conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM backlog_tally WHERE scope = -2 AND items > 0)")?
            .query_row([], |row| row.get(0))
            .map_err(StoreError::from)
    }

    /// How many of `ids` wait to be tagged again.
    pub fn waiting_for_tags(&self, ids: &[Id]) -> Result<usize, StoreError> {
        let sql = format!("SELECT count(*) FROM item WHERE needs_retag = 1 AND id IN ({})", super::id_list(ids));
        Ok(self.conn.query_row(&sql, [], |row| row.get(0))?)
    }

    /// The quarter whose KRs backlog rows name without a quarter label.
    pub fn set_shown_quarter(&self, id: Option<Id>) {
        self.shown_quarter.set(id);
    }

    /// Whether quarter `id` is closed, as the file has it now.
    pub fn quarter_is_closed(&self, id: Id) -> Result<bool, StoreError> {
        let state: Option<String> =
            self.conn.prepare_cached("SELECT state FROM quarter WHERE id = ?1")?.query_row([id], |row| row.get(0)).optional()?;
        Ok(state.as_deref() == Some("closed"))
    }
}

struct SprintRow {
    dates: SprintDates,
    capacity: i64,
}

fn sprint_rows(tx: &Transaction<'_>, quarter: Id) -> rusqlite::Result<Vec<SprintRow>> {
    tx.prepare_cached(concat!(
        "SELECT ",
        shown_sprint_start!(),
        ", ",
        shown_sprint_end!(),
        ", s.capacity FROM sprint s WHERE s.quarter_id = ?1 ORDER BY 1, s.number"
    ))?
    .query_map([quarter], |row| {
        Ok(SprintRow {
            dates: SprintDates { start: date_column(row, 0)?, end: date_column(row, 1)? },
            capacity: clean::whole(row, 2)?,
        })
    })?
    .collect()
}

/// A row that belongs to a quarter, to find that quarter's state.
#[derive(Debug, Clone, Copy)]
pub(super) enum QuarterPart {
    Quarter,
    Objective,
    KeyResult,
    CheckIn,
    Sprint,
    Member,
    RetroNote,
    /// An item belongs to the quarter of its sprint; one in no sprint to
    /// the running quarter, and so to the latest closed one while none
    /// runs (between a close and the next opening).
    Item,
}

/// Refuses, inside the write's transaction, a write aimed at a row of a
/// closed quarter: the close made it read-only, perhaps in another window
/// after this one's form or question opened. A row that is gone passes
/// (the write then finds nothing and says so). Undo and redo do not come
/// here, so they still reopen a close.
pub(super) fn refuse_closed(tx: &Connection, part: QuarterPart, id: Id) -> rusqlite::Result<()> {
    let sql = match part {
        QuarterPart::Quarter => "SELECT q.state, CAST(q.label AS TEXT) FROM quarter q WHERE q.id = ?1",
        QuarterPart::Objective => {
            "SELECT q.state, CAST(q.label AS TEXT) FROM quarter q JOIN objective o ON o.quarter_id = q.id WHERE o.id = ?1"
        }
        QuarterPart::KeyResult => {
            "SELECT q.state, CAST(q.label AS TEXT) FROM quarter q JOIN objective o ON o.quarter_id = q.id
             JOIN key_result k ON k.objective_id = o.id WHERE k.id = ?1"
        }
        QuarterPart::CheckIn => {
            "SELECT q.state, CAST(q.label AS TEXT) FROM quarter q JOIN objective o ON o.quarter_id = q.id
             JOIN key_result k ON k.objective_id = o.id JOIN check_in c ON c.key_result_id = k.id WHERE c.id = ?1"
        }
        QuarterPart::Sprint => {
            "SELECT q.state, CAST(q.label AS TEXT) FROM quarter q JOIN sprint s ON s.quarter_id = q.id WHERE s.id = ?1"
        }
        QuarterPart::Member => {
            "SELECT q.state, CAST(q.label AS TEXT) FROM quarter q JOIN team_member m ON m.quarter_id = q.id WHERE m.id = ?1"
        }
        QuarterPart::Item => {
            "SELECT q.state, CAST(q.label AS TEXT) FROM quarter q WHERE q.id = coalesce(
                 (SELECT s.quarter_id FROM item i JOIN sprint s ON s.id = i.sprint_id WHERE i.id = ?1),
                 (SELECT c.id FROM quarter c WHERE c.state = 'closed'
                    AND NOT EXISTS (SELECT 1 FROM quarter o WHERE o.state = 'open')
                    AND EXISTS (SELECT 1 FROM item WHERE id = ?1)
                  ORDER BY c.start_date DESC, c.id DESC LIMIT 1))"
        }
        QuarterPart::RetroNote => {
            "SELECT q.state, CAST(q.label AS TEXT) FROM quarter q JOIN sprint s ON s.quarter_id = q.id
             JOIN retro_note r ON r.sprint_id = s.id WHERE r.id = ?1"
        }
    };
    let found: Option<(String, String)> =
        tx.prepare_cached(sql)?.query_row([id], |row| Ok((clean::lenient(row, 0)?, clean::lenient(row, 1)?))).optional()?;
    match found {
        Some((state, quarter)) if state == "closed" => Err(StoreError::Closed { quarter }.inside_sqlite()),
        _ => Ok(()),
    }
}
