//! Reading and creating a quarter with its OKRs and sprints.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, params};

use super::Store;
use crate::domain::{Board, CheckIn, Id, KeyResult, Objective, Quarter, Sprint, SprintKr, SprintState, plan_sprints};

/// What the new-quarter form asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct NewQuarter {
    pub label: String,
    pub start: NaiveDate,
    /// Length of each sprint in weeks, in order.
    pub sprint_weeks: Vec<u32>,
}

/// Capacity a new sprint starts with: two points a working day, a common
/// first guess for a small team; the user sets the real number.
const DEFAULT_POINTS_PER_WEEK: u32 = 10;

pub(super) fn date_column(row: &Row<'_>, index: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = row.get(index)?;
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|error| rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(error)))
}

fn confidence_column(row: &Row<'_>, index: usize) -> rusqlite::Result<u8> {
    let value: i64 = row.get(index)?;
    Ok(u8::try_from(value.clamp(0, 100)).unwrap_or(100))
}

impl Store {
    /// Whether the board holds a quarter yet (else the welcome screen shows).
    pub fn has_quarter(&self) -> rusqlite::Result<bool> {
        self.conn.query_row("SELECT EXISTS (SELECT 1 FROM quarter)", [], |row| row.get(0))
    }

    /// The quarter on screen with its OKRs and sprints: the latest quarter.
    pub fn load_board(&self) -> rusqlite::Result<Option<Board>> {
        let quarter = self
            .conn
            .prepare_cached("SELECT id, label, start_date FROM quarter ORDER BY start_date DESC, id DESC LIMIT 1")?
            .query_row([], |row| Ok(Quarter { id: row.get(0)?, label: row.get(1)?, start: date_column(row, 2)? }))
            .optional()?;
        self.refresh_kr_codes()?;
        let Some(quarter) = quarter else {
            return Ok(None);
        };
        let objectives = self.load_objectives(quarter.id)?;
        let sprints = self.load_sprints(quarter.id)?;
        let team = self.load_team(quarter.id)?;
        Ok(Some(Board { quarter, objectives, sprints, team }))
    }

    fn load_objectives(&self, quarter_id: Id) -> rusqlite::Result<Vec<Objective>> {
        let mut objectives: Vec<Objective> = self
            .conn
            .prepare_cached(
                "SELECT id, position, title, owner, parent_id, parent_note
                 FROM objective WHERE quarter_id = ?1 ORDER BY position, id",
            )?
            .query_map([quarter_id], |row| {
                Ok(Objective {
                    id: row.get(0)?,
                    number: row.get(1)?,
                    title: row.get(2)?,
                    owner: row.get(3)?,
                    parent_id: row.get(4)?,
                    parent_note: row.get(5)?,
                    key_results: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut key_results = self.conn.prepare_cached(
            "SELECT id, position, title, unit, start_value, target_value, current_value, owner, confidence
             FROM key_result WHERE objective_id = ?1 ORDER BY position, id",
        )?;
        for objective in &mut objectives {
            let number = objective.number;
            objective.key_results = key_results
                .query_map([objective.id], |row| {
                    let position: u32 = row.get(1)?;
                    Ok(KeyResult {
                        id: row.get(0)?,
                        objective_id: objective.id,
                        code: format!("KR{number}.{position}"),
                        title: row.get(2)?,
                        unit: row.get(3)?,
                        start: row.get(4)?,
                        target: row.get(5)?,
                        current: row.get(6)?,
                        owner: row.get(7)?,
                        confidence: confidence_column(row, 8)?,
                        check_ins: Vec::new(),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
        }
        let mut check_ins = self.conn.prepare_cached(
            "SELECT id, date, value, confidence, note FROM check_in WHERE key_result_id = ?1 ORDER BY date, id",
        )?;
        for kr in objectives.iter_mut().flat_map(|objective| objective.key_results.iter_mut()) {
            kr.check_ins = check_ins
                .query_map([kr.id], |row| {
                    Ok(CheckIn {
                        id: row.get(0)?,
                        date: date_column(row, 1)?,
                        value: row.get(2)?,
                        confidence: confidence_column(row, 3)?,
                        note: row.get(4)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(objectives)
    }

    fn load_sprints(&self, quarter_id: Id) -> rusqlite::Result<Vec<Sprint>> {
        let mut sprints: Vec<Sprint> = self
            .conn
            .prepare_cached(
                // Load and done points in one pass over each sprint's items.
                "SELECT s.id, s.number, s.start_date, s.end_date, s.goal, s.no_kr_reason, s.capacity, s.state,
                        coalesce(sum(i.points), 0), coalesce(sum(i.points) FILTER (WHERE i.state = 'done'), 0)
                 FROM sprint s LEFT JOIN item i ON i.sprint_id = s.id
                 WHERE s.quarter_id = ?1 GROUP BY s.id ORDER BY s.number",
            )?
            .query_map([quarter_id], |row| {
                let state: String = row.get(7)?;
                Ok(Sprint {
                    id: row.get(0)?,
                    number: row.get(1)?,
                    start: date_column(row, 2)?,
                    end: date_column(row, 3)?,
                    goal: row.get(4)?,
                    no_kr_reason: row.get(5)?,
                    capacity: row.get(6)?,
                    state: SprintState::parse(&state).unwrap_or(SprintState::Planned),
                    krs: Vec::new(),
                    load: row.get(8)?,
                    done_points: row.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut links = self.conn.prepare_cached(
            "SELECT sk.key_result_id, sk.focus FROM sprint_kr sk
             JOIN key_result k ON k.id = sk.key_result_id JOIN objective o ON o.id = k.objective_id
             WHERE sk.sprint_id = ?1 ORDER BY o.position, k.position",
        )?;
        for sprint in &mut sprints {
            sprint.krs = links
                .query_map([sprint.id], |row| Ok(SprintKr { key_result_id: row.get(0)?, focus: row.get(1)? }))?
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(sprints)
    }

    /// Creates an empty quarter with its sprints laid end to end. Sprints
    /// already over on `today` start closed and the running one active.
    pub fn create_quarter(&mut self, new: &NewQuarter, today: NaiveDate) -> anyhow::Result<Id> {
        let dates = plan_sprints(new.start, &new.sprint_weeks)
            .ok_or_else(|| anyhow::anyhow!("every sprint needs a length of at least one week"))?;
        self.write(|tx| {
            tx.execute("INSERT INTO quarter (label, start_date) VALUES (?1, ?2)", params![new.label, new.start.to_string()])?;
            let quarter_id = tx.last_insert_rowid();
            let mut insert = tx.prepare_cached(
                "INSERT INTO sprint (quarter_id, number, start_date, end_date, capacity, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for ((number, sprint), weeks) in (1_u32..).zip(&dates).zip(&new.sprint_weeks) {
                insert.execute(params![
                    quarter_id,
                    number,
                    sprint.start.to_string(),
                    sprint.end.to_string(),
                    weeks * DEFAULT_POINTS_PER_WEEK,
                    SprintState::by_date(sprint.start, sprint.end, today).as_str(),
                ])?;
            }
            Ok(quarter_id)
        })
    }
}

impl Store {
    /// "Orphan KRs": the quarter's KRs that no open (todo or doing) item
    /// moves, in code order. Nothing in the backlog works on them.
    pub fn orphan_key_results(&self, quarter_id: Id) -> rusqlite::Result<Vec<Id>> {
        self.conn
            .prepare_cached(
                "SELECT k.id FROM key_result k JOIN objective o ON o.id = k.objective_id
                 WHERE o.quarter_id = ?1 AND NOT EXISTS (
                     SELECT 1 FROM item_kr t JOIN item i ON i.id = t.item_id
                     WHERE t.key_result_id = k.id AND i.state != 'done')
                 ORDER BY o.position, k.position",
            )?
            .query_map([quarter_id], |row| row.get(0))?
            .collect()
    }
}
