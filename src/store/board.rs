//! Reading and creating a quarter with its OKRs and sprints.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, params};

use super::StoreError;
use super::{Store, clean};
use crate::domain::{
    Board, GoalVerdict, Id, KeyResult, Objective, Quarter, QuarterState, Sprint, SprintKr, SprintState, check_ins, codes,
    health::FactsNeeded,
    plan_sprints,
    settings::{CheckInCadence, OverlapStrategy, QuarterSettings},
    values::SprintSpan,
};

/// What the new-quarter form asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct NewQuarter {
    pub label: String,
    pub start: NaiveDate,
    /// How many sprints, each so many weeks long.
    pub span: SprintSpan,
}

/// Capacity a new sprint starts with: two points a working day, a common
/// first guess for a small team; the user sets the real number.
const DEFAULT_POINTS_PER_WEEK: u32 = 10;

pub(super) fn date_column(row: &Row<'_>, index: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = row.get(index)?;
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|error| rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(error)))
}

/// A percentage, clamped and rounded into 0-100 (out-of-range values come
/// only from outside writers; the forms keep to the range).
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped to 0-100 first
pub(super) fn percent(value: f64) -> u8 {
    value.clamp(0.0, 100.0).round() as u8
}

/// A sum of points, which fits `u32` unless a writer broke the rules.
pub(super) fn points_sum(row: &Row<'_>, index: usize) -> rusqlite::Result<u32> {
    Ok(u32::try_from(row.get::<_, i64>(index)?.max(0)).unwrap_or(u32::MAX))
}

impl Store {
    /// Whether the board holds a quarter yet (else the welcome screen shows).
    pub fn has_quarter(&self) -> Result<bool, StoreError> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM quarter)", [], |row| row.get(0))?)
    }

    /// The running quarter with its OKRs and sprints (see
    /// [`Store::load_board_viewing`]).
    pub fn load_board(&self) -> Result<Option<Board>, StoreError> {
        self.load_board_viewing(None)
    }

    /// The quarter on screen with its OKRs and sprints: `viewed` while it
    /// exists (an earlier quarter, or the draft), else the running quarter,
    /// else the latest closed one. A draft is never taken by default.
    pub fn load_board_viewing(&self, viewed: Option<Id>) -> Result<Option<Board>, StoreError> {
        self.load_board_parts(viewed, FactsNeeded::ALL)
    }

    /// The running quarter with only the parts a health check of a few
    /// rules reads (`needed`: the KRs' check-ins, the sprints); a part not
    /// read is left empty (a KR read without its check-ins has no current
    /// value).
    /// For the advice on one change, never for a screen.
    pub fn load_board_for_rules(&self, needed: FactsNeeded) -> Result<Option<Board>, StoreError> {
        self.load_board_parts(None, needed)
    }

    fn load_board_parts(&self, viewed: Option<Id>, needed: FactsNeeded) -> Result<Option<Board>, StoreError> {
        // Names the items shown cleaned, also those not on screen yet.
        self.points_repaired()?;
        let quarter = self
            .conn
            .prepare_cached(concat!(
                "SELECT id, label, ",
                shown_quarter_start!(),
                ", state, closing_note, checkin_cadence, overlap_strategy
                 FROM quarter q WHERE state != 'draft' OR id IS ?1
                 ORDER BY id IS ?1 DESC, state = 'open' DESC, start_date DESC, id DESC LIMIT 1"
            ))?
            .query_row([viewed], |row| {
                let label = self.text_of(row, 1, || "The quarter: label".into())?;
                let mut quarter = Quarter::open(row.get(0)?, label, date_column(row, 2)?);
                quarter.state = QuarterState::parse(&clean::text(row, 3)?.0);
                quarter.closing.note = self.text_of(row, 4, || "The quarter: closing note".into())?;
                // The schema's CHECKs keep both to known words.
                quarter.cadence = CheckInCadence::parse(&clean::text(row, 5)?.0).unwrap_or_default();
                quarter.overlap = OverlapStrategy::parse(&clean::text(row, 6)?.0).unwrap_or_default();
                Ok(quarter)
            })
            .optional()?;
        self.shown_quarter.set(quarter.as_ref().map(|quarter| quarter.id));
        self.refresh_kr_codes()?;
        let Some(mut quarter) = quarter else {
            return Ok(None);
        };
        if quarter.is_closed() {
            quarter.closing = self.load_closing(quarter.id, std::mem::take(&mut quarter.closing.note))?;
        }
        let objectives = self.load_objectives(quarter.id, needed.readings)?;
        let sprints = if needed.sprints { self.load_sprints(quarter.id)? } else { Vec::new() };
        let team = self.load_team(quarter.id)?;
        let earlier_sprints = self.earlier_sprints(&quarter)?;
        Ok(Some(Board { quarter, objectives, sprints, team, earlier_sprints }))
    }

    fn load_objectives(&self, quarter_id: Id, readings: bool) -> rusqlite::Result<Vec<Objective>> {
        let mut objectives: Vec<Objective> = self
            .conn
            .prepare_cached(
                "SELECT id, position, title, owner, parent_id, parent_note
                 FROM objective WHERE quarter_id = ?1 ORDER BY position, id",
            )?
            .query_map([quarter_id], |row| {
                let number: u32 = clean::whole(row, 1)?;
                let who = |what: &'static str| move || format!("{}: {what}", codes::objective(number));
                Ok(Objective {
                    id: row.get(0)?,
                    number,
                    title: self.text_of(row, 2, who("title"))?,
                    owner: self.text_of(row, 3, who("owner"))?,
                    parent_id: clean::link(row, 4)?,
                    parent_note: self.text_of(row, 5, who("parent note"))?,
                    key_results: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut key_results = self.conn.prepare_cached(
            // Not `current_value`: a KR's current value is its latest
            // check-in's (`check_ins::reading`), filled in below.
            "SELECT id, position, title, unit, start_value, target_value, owner, confidence
             FROM key_result WHERE objective_id = ?1 ORDER BY position, id",
        )?;
        for objective in &mut objectives {
            let number = objective.number;
            objective.key_results = key_results
                .query_map([objective.id], |row| {
                    let position: u32 = clean::whole(row, 1)?;
                    let code = codes::key_result(number, position);
                    let who = |what: &'static str| {
                        let code = &code;
                        move || format!("{code}: {what}")
                    };
                    Ok(KeyResult {
                        id: row.get(0)?,
                        objective_id: objective.id,
                        title: self.text_of(row, 2, who("title"))?,
                        unit: self.text_of(row, 3, who("unit"))?,
                        start: self.number_of(row, 4, who("start value"))?,
                        target: self.number_of(row, 5, who("target value"))?,
                        current: 0.0,
                        owner: self.text_of(row, 6, who("owner"))?,
                        confidence: percent(self.number_of(row, 7, who("confidence"))?),
                        code,
                        check_ins: Vec::new(),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
        }
        if !readings {
            return Ok(objectives);
        }
        let mut check_ins = self.conn.prepare_cached(concat!(
            "SELECT c.id, ",
            shown_check_in_date!(),
            ", c.value, c.confidence, c.note FROM check_in c WHERE c.key_result_id = ?1 ORDER BY 2, c.id"
        ))?;
        for kr in objectives.iter_mut().flat_map(|objective| objective.key_results.iter_mut()) {
            kr.check_ins = check_ins
                .query_map([kr.id], |row| self.check_in_row(row, &format!("{}, ", kr.code)))?
                .collect::<rusqlite::Result<_>>()?;
            (kr.current, kr.confidence) = check_ins::reading(kr.start, kr.confidence, &kr.check_ins);
        }
        Ok(objectives)
    }

    fn load_sprints(&self, quarter_id: Id) -> rusqlite::Result<Vec<Sprint>> {
        let mut sprints: Vec<Sprint> = self
            .conn
            .prepare_cached(
                // Load and done points in one pass over each sprint's items,
                // adding the points as the rows show them. A closed sprint's
                // come from its frozen record (what it held when it closed,
                // and what of that got done), as its review, planning, the
                // charts and velocity read them: its carried items have left
                // it, and an item edited afterwards does not change it.
                concat!(
                    "SELECT s.id, s.number, ",
                    shown_sprint_start!(),
                    ", ",
                    shown_sprint_end!(),
                    ", s.goal, s.no_kr_reason, s.capacity, s.state,
                            s.started_on, s.goal_verdict, s.closed_on,
                            CASE WHEN s.state = 'closed'
                                 THEN (SELECT coalesce(sum(max(r.points, 0)), 0) FROM sprint_record_item r
                                       WHERE r.sprint_id = s.id AND r.outcome != 'removed')
                                 ELSE coalesce(sum(",
                    shown_points!("i.points"),
                    "), 0) END,
                            CASE WHEN s.state = 'closed' THEN ",
                    frozen_done_points!(),
                    " ELSE coalesce(sum(",
                    shown_points!("i.points"),
                    ") FILTER (WHERE i.state = 'done'), 0) END
                     , s.goal_at_start FROM sprint s LEFT JOIN item i ON i.sprint_id = s.id
                     WHERE s.quarter_id = ?1 GROUP BY s.id ORDER BY s.number"
                ),
            )?
            .query_map([quarter_id], |row| {
                let (state, _) = clean::text(row, 7)?;
                let number: u32 = clean::whole(row, 1)?;
                Ok(Sprint {
                    id: row.get(0)?,
                    number,
                    start: date_column(row, 2)?,
                    end: date_column(row, 3)?,
                    goal: self.text_of(row, 4, || format!("Sprint {number}: goal"))?,
                    goal_at_start: match row.get_ref(13)? {
                        rusqlite::types::ValueRef::Null => None,
                        _ => Some(self.text_of(row, 13, || format!("Sprint {number}: goal at start"))?),
                    },
                    no_kr_reason: self.text_of(row, 5, || format!("Sprint {number}: reason for no KR"))?,
                    capacity: clean::whole(row, 6)?,
                    state: SprintState::parse(&state).unwrap_or(SprintState::Planned),
                    krs: Vec::new(),
                    started_on: clean::optional_day(row, 8)?,
                    verdict: GoalVerdict::parse(&clean::text(row, 9)?.0),
                    closed_on: clean::optional_day(row, 10)?,
                    load: points_sum(row, 11)?,
                    done_points: points_sum(row, 12)?,
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

    /// Creates an empty quarter with its sprints laid end to end, all
    /// planned whatever `today` is: a sprint starts only when a person starts
    /// it (the seeds put OKR planning before the first sprint), and closes
    /// only through its review. The board offers to start the one today
    /// falls in. `today` stays in the signature for the callers' sake.
    pub fn create_quarter(&mut self, new: &NewQuarter, _today: NaiveDate) -> Result<Id, StoreError> {
        self.create_quarter_with(new, QuarterSettings::default())
    }

    /// [`Store::create_quarter`] with the method's settings for it.
    pub fn create_quarter_with(&mut self, new: &NewQuarter, settings: QuarterSettings) -> Result<Id, StoreError> {
        let weeks = new.span.weeks();
        // SprintSpan's parse refuses 0 weeks; its fields are public, so the
        // store still says so rather than lay sprints of no days.
        let dates = plan_sprints(new.start, &weeks).ok_or(StoreError::SprintWithoutWeeks)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO quarter (label, start_date, checkin_cadence, overlap_strategy) VALUES (?1, ?2, ?3, ?4)",
                params![new.label, new.start.to_string(), settings.cadence.as_str(), settings.overlap.as_str()],
            )?;
            let quarter_id = tx.last_insert_rowid();
            let mut insert = tx.prepare_cached(
                "INSERT INTO sprint (quarter_id, number, start_date, end_date, capacity, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for ((number, sprint), weeks) in (1_u32..).zip(&dates).zip(&weeks) {
                insert.execute(params![
                    quarter_id,
                    number,
                    sprint.start.to_string(),
                    sprint.end.to_string(),
                    weeks * DEFAULT_POINTS_PER_WEEK,
                    SprintState::Planned.as_str(),
                ])?;
            }
            Ok(quarter_id)
        })
    }
}

impl Store {
    /// "Orphan KRs": the quarter's KRs that no open (todo or doing) item
    /// moves, in code order. Nothing in the backlog works on them.
    pub fn orphan_key_results(&self, quarter_id: Id) -> Result<Vec<Id>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT k.id FROM key_result k JOIN objective o ON o.id = k.objective_id
                 WHERE o.quarter_id = ?1 AND NOT EXISTS (
                     SELECT 1 FROM item_kr t JOIN item i ON i.id = t.item_id
                     WHERE t.key_result_id = k.id AND i.state != 'done')
                 ORDER BY o.position, k.position",
            )?
            .query_map([quarter_id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()
            .map_err(StoreError::from)
    }
}
