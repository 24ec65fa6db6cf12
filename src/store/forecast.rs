//! What the forecast per key result (`domain::forecast`) reads: the team's
//! closed sprints' throughput, the KR's open work and where its quarter
//! stands. One read, so the board, planning, `quarterdeck forecast` and
//! the quarter's report all forecast from the same facts.

use super::{Store, StoreError, board::points_sum};
use crate::domain::{
    Id,
    forecast::{self, Forecast, OpenWork, QuarterSprints, Throughput},
    review,
};

/// The facts one KR's forecast is worked out from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastFacts {
    /// Every closed sprint of the board's quarters (drafts aside), oldest
    /// first: what each delivered, as its review counts it (its frozen
    /// record's done items and their points).
    pub history: Vec<Throughput>,
    pub open: OpenWork,
    pub quarter: QuarterSprints,
}

impl ForecastFacts {
    pub fn forecast(&self) -> Forecast {
        forecast::forecast(&self.history, self.open, self.quarter)
    }
}

impl Store {
    /// The forecast of KR `key_result_id`'s open work (`domain::forecast`).
    pub fn kr_forecast(&self, key_result_id: Id) -> Result<Forecast, StoreError> {
        Ok(self.forecast_facts(key_result_id)?.forecast())
    }

    /// The forecasts of several KRs (planning's, a quarter report's): the
    /// team's history is read once for all of them, not once a KR.
    pub fn kr_forecasts(&self, key_results: &[Id]) -> Result<Vec<Forecast>, StoreError> {
        if key_results.is_empty() {
            return Ok(Vec::new());
        }
        let history = self.throughput_history()?;
        key_results
            .iter()
            .map(|&key_result_id| {
                let quarter = self.quarter_sprints(self.quarter_of_kr(key_result_id)?)?;
                Ok(forecast::forecast(&history, self.open_work(key_result_id)?, quarter))
            })
            .collect()
    }

    pub fn forecast_facts(&self, key_result_id: Id) -> Result<ForecastFacts, StoreError> {
        Ok(ForecastFacts {
            history: self.throughput_history()?,
            open: self.open_work(key_result_id)?,
            quarter: self.quarter_sprints(self.quarter_of_kr(key_result_id)?)?,
        })
    }

    fn quarter_of_kr(&self, key_result_id: Id) -> rusqlite::Result<Id> {
        self.conn.query_row(
            "SELECT o.quarter_id FROM key_result k JOIN objective o ON o.id = k.objective_id WHERE k.id = ?1",
            [key_result_id],
            |row| row.get(0),
        )
    }

    /// The board's closed sprints' throughput, oldest first, counted by the
    /// review's own tally of the frozen record (`review::output`).
    fn throughput_history(&self) -> Result<Vec<Throughput>, StoreError> {
        let closed: Vec<Id> = self
            .conn
            .prepare_cached(
                "SELECT s.id FROM sprint s JOIN quarter q ON q.id = s.quarter_id
                 WHERE s.state = 'closed' AND q.state != 'draft'
                 ORDER BY s.end_date, q.start_date, s.number",
            )?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        closed
            .into_iter()
            .map(|id| {
                let done = review::output(&self.sprint_record(id)?.items).done;
                Ok(Throughput { points: done.points, items: done.items })
            })
            .collect()
    }

    /// The KR's todo and doing items: their points, and how many have none.
    fn open_work(&self, key_result_id: Id) -> rusqlite::Result<OpenWork> {
        self.conn.query_row(
            concat!(
                "SELECT coalesce(sum(p), 0), coalesce(sum(p = 0), 0), count(*) FROM (SELECT ",
                shown_points!("i.points"),
                " AS p FROM item_kr t JOIN item i ON i.id = t.item_id
                 WHERE t.key_result_id = ?1 AND i.state != 'done')"
            ),
            [key_result_id],
            |row| Ok(OpenWork { points: points_sum(row, 0)?, unestimated: row.get(1)?, items: row.get(2)? }),
        )
    }

    /// The quarter's first sprint not closed, and its last sprint.
    fn quarter_sprints(&self, quarter_id: Id) -> rusqlite::Result<QuarterSprints> {
        let (first_open, last): (Option<u32>, Option<u32>) = self.conn.query_row(
            concat!(
                "SELECT min(CASE WHEN state != 'closed' THEN ",
                shown_whole!("number"),
                " END), max(",
                shown_whole!("number"),
                ") FROM sprint WHERE quarter_id = ?1"
            ),
            [quarter_id],
            |row| {
                Ok((
                    row.get::<_, Option<super::clean::Whole<u32>>>(0)?.map(|n| n.0),
                    row.get::<_, Option<super::clean::Whole<u32>>>(1)?.map(|n| n.0),
                ))
            },
        )?;
        let last = last.unwrap_or(0);
        Ok(QuarterSprints { first_open: first_open.unwrap_or(last + 1), last })
    }
}
