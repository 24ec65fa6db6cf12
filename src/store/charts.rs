//! What the charts (`domain::charts`) need beyond the loaded board, as
//! sums: a quarter of 100,000 items is summed in SQL, never read row by
//! row. Read when the charts open and on reload, never per frame.

use chrono::NaiveDate;

use super::{Store, board::points_sum};
use crate::domain::{
    Id,
    planning::Split,
    review::{self, Output},
};

/// The charts' facts for one quarter, owned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartFacts {
    /// Planned points per sprint split OKR/BAU; sprints with nothing planned
    /// are left out.
    pub splits: Vec<(Id, Split)>,
    /// Points of the quarter's sprints' done items, summed per done date,
    /// oldest first.
    pub done_by_day: Vec<(NaiveDate, u32)>,
    /// Each closed sprint's frozen record, tallied.
    pub closed_outputs: Vec<(Id, Output)>,
    /// Each running (started, not closed) sprint's committed points, as its
    /// review counts them: the commitment made at the start.
    pub commitments: Vec<(Id, u32)>,
}

impl Store {
    pub fn chart_facts(&self, quarter_id: Id) -> rusqlite::Result<ChartFacts> {
        Ok(ChartFacts {
            splits: self.planned_splits(quarter_id)?,
            done_by_day: self.done_by_day(quarter_id)?,
            closed_outputs: self.closed_outputs(quarter_id)?,
            commitments: self.commitments(quarter_id)?,
        })
    }

    /// A closed sprint's done points come from its frozen record, as its
    /// velocity and review do: an item edited after the close (more points,
    /// back to todo, deleted) leaves the burn-up as it was. Its day is the
    /// item's done date, else the sprint's close.
    fn done_by_day(&self, quarter_id: Id) -> rusqlite::Result<Vec<(NaiveDate, u32)>> {
        let rows = self
            .conn
            .prepare_cached(concat!(
                "SELECT day, coalesce(sum(points), 0) FROM (
                     SELECT i.done_on AS day, ",
                shown_points!("i.points"),
                " AS points
                     FROM sprint s JOIN item i ON i.sprint_id = s.id
                     WHERE s.quarter_id = ?1 AND s.state != 'closed' AND i.state = 'done'
                       AND typeof(i.done_on) = 'text'
                     UNION ALL
                     SELECT CASE WHEN typeof(i.done_on) = 'text' THEN i.done_on
                                 ELSE coalesce(s.closed_on, s.end_date) END, r.points
                     FROM sprint s JOIN sprint_record_item r ON r.sprint_id = s.id
                     LEFT JOIN item i ON i.id = r.item_id
                     WHERE s.quarter_id = ?1 AND s.state = 'closed' AND r.outcome = 'done')
                 WHERE typeof(day) = 'text'
                 GROUP BY day
                 ORDER BY day"
            ))?
            .query_map([quarter_id], |row| Ok((row.get::<_, String>(0)?, points_sum(row, 1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // A date that does not parse (a damaged row) has no place on the axis.
        Ok(rows.into_iter().filter_map(|(day, points)| Some((day.parse().ok()?, points))).collect())
    }

    /// The closed sprints' records are frozen, so their output is read from
    /// the record (as the review shows it), not from the items now.
    fn closed_outputs(&self, quarter_id: Id) -> rusqlite::Result<Vec<(Id, Output)>> {
        let ids = self
            .conn
            .prepare_cached("SELECT id FROM sprint WHERE quarter_id = ?1 AND state = 'closed' ORDER BY number")?
            .query_map([quarter_id], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<Id>>>()?;
        ids.into_iter().map(|id| Ok((id, review::output(&self.sprint_record(id)?.items)))).collect()
    }

    fn commitments(&self, quarter_id: Id) -> rusqlite::Result<Vec<(Id, u32)>> {
        self.conn
            .prepare_cached(
                "SELECT s.id, coalesce(sum(c.points), 0)
                 FROM sprint s LEFT JOIN sprint_commitment c ON c.sprint_id = s.id
                 WHERE s.quarter_id = ?1 AND s.state = 'active'
                 GROUP BY s.id",
            )?
            .query_map([quarter_id], |row| Ok((row.get(0)?, points_sum(row, 1)?)))?
            .collect()
    }
}
