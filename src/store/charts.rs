//! What the charts (`domain::charts`) need beyond the loaded board: sums,
//! and the items the sprints hold (never the whole backlog, so a quarter of
//! 100,000 items costs what its sprints hold). Read when the charts open
//! and on reload, never per frame.

use super::StoreError;
use super::{Store, board::points_sum};
use crate::domain::{
    Id,
    charts::{self, QuarterWork},
    planning::Split,
    review::{self, Output},
};

/// The charts' facts for one quarter, owned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartFacts {
    /// Planned points per sprint split OKR/BAU (a closed sprint's from its
    /// frozen record); sprints with nothing planned are left out.
    pub splits: Vec<(Id, Split)>,
    /// The quarter's work with each item counted once (`charts::quarter_work`):
    /// the scope each sprint added, and the points done per done date,
    /// oldest first.
    pub work: QuarterWork,
    /// Each closed sprint's frozen record, tallied.
    pub closed_outputs: Vec<(Id, Output)>,
    /// Each running (started, not closed) sprint's committed points, as its
    /// review counts them: the commitment made at the start.
    pub commitments: Vec<(Id, u32)>,
}

impl Store {
    pub fn chart_facts(&self, quarter_id: Id) -> Result<ChartFacts, StoreError> {
        let closed = self.closed_records(quarter_id)?;
        Ok(ChartFacts {
            splits: self.planned_splits(quarter_id, &closed)?,
            work: charts::quarter_work(&self.held_items(quarter_id)?),
            // The closed sprints' records are frozen, so their output is
            // read from the record (as the review shows it), not from the
            // items now.
            closed_outputs: closed.iter().map(|(id, items)| (*id, review::output(items))).collect(),
            commitments: self.commitments(quarter_id)?,
        })
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
