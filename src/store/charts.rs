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
}

impl Store {
    pub fn chart_facts(&self, quarter_id: Id) -> rusqlite::Result<ChartFacts> {
        Ok(ChartFacts {
            splits: self.planned_splits(quarter_id)?,
            done_by_day: self.done_by_day(quarter_id)?,
            closed_outputs: self.closed_outputs(quarter_id)?,
        })
    }

    fn done_by_day(&self, quarter_id: Id) -> rusqlite::Result<Vec<(NaiveDate, u32)>> {
        let rows = self
            .conn
            .prepare_cached(concat!(
                "SELECT i.done_on, coalesce(sum(",
                shown_points!("i.points"),
                "), 0)
                 FROM sprint s JOIN item i ON i.sprint_id = s.id
                 WHERE s.quarter_id = ?1 AND i.state = 'done' AND typeof(i.done_on) = 'text'
                 GROUP BY i.done_on
                 ORDER BY i.done_on"
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
}
