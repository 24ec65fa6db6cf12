//! What the quarter's health check needs beyond the loaded board (see
//! `domain::health`): each sprint's planned points split OKR/BAU, M10's
//! candidates, and the records of closed sprints. Read when the health
//! screen opens and on reload, never per frame.

use crate::domain::{Id, health::Facts, planning::Split, review::RecordItem};

use super::{Store, board::points_sum, clean};

/// The facts `domain::health::check` reads, owned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HealthFacts {
    pub splits: Vec<(Id, Split)>,
    pub title_copies: Vec<(Id, String)>,
    pub closed_records: Vec<(Id, Vec<RecordItem>)>,
}

impl HealthFacts {
    pub fn as_facts(&self) -> Facts<'_> {
        Facts { splits: &self.splits, title_copies: &self.title_copies, closed_records: &self.closed_records }
    }
}

impl Store {
    /// The health check's facts for quarter `quarter_id`.
    pub fn health_facts(&self, quarter_id: Id) -> rusqlite::Result<HealthFacts> {
        Ok(HealthFacts {
            splits: self.planned_splits(quarter_id)?,
            title_copies: self.kr_title_copies(quarter_id)?,
            closed_records: self.closed_records(quarter_id)?,
        })
    }

    /// Planned points per sprint of the quarter, split by whether the item
    /// has a KR tag (as planning's `Split`). Sprints with nothing planned
    /// are left out.
    pub(super) fn planned_splits(&self, quarter_id: Id) -> rusqlite::Result<Vec<(Id, Split)>> {
        self.conn
            .prepare_cached(concat!(
                // Points as the rows show them (`shown_points!`), so a
                // damaged row cannot overflow the sums.
                "SELECT s.id,
                        coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM item_kr t WHERE t.item_id = i.id) THEN ",
                shown_points!("i.points"),
                " END), 0),
                        coalesce(sum(CASE WHEN NOT EXISTS (SELECT 1 FROM item_kr t WHERE t.item_id = i.id) THEN ",
                shown_points!("i.points"),
                " END), 0)
                 FROM sprint s JOIN item i ON i.sprint_id = s.id
                 WHERE s.quarter_id = ?1
                 GROUP BY s.id"
            ))?
            .query_map([quarter_id], |row| {
                Ok((row.get(0)?, Split { okr_points: points_sum(row, 1)?, bau_points: points_sum(row, 2)? }))
            })?
            .collect()
    }

    /// M10's candidates: items whose title equals one of the quarter's KR
    /// titles, ignoring case; a lookup per KR in `item_by_title_nocase`.
    fn kr_title_copies(&self, quarter_id: Id) -> rusqlite::Result<Vec<(Id, String)>> {
        self.conn
            .prepare_cached(
                "SELECT DISTINCT i.id, i.title, i.rank
                 FROM objective o
                 JOIN key_result k ON k.objective_id = o.id
                 JOIN item i ON i.title = k.title COLLATE NOCASE
                 WHERE o.quarter_id = ?1
                 ORDER BY i.rank",
            )?
            // A title that is not valid text is read as the board shows it.
            .query_map([quarter_id], |row| Ok((row.get(0)?, clean::text(row, 1)?.0)))?
            .collect()
    }

    /// The frozen record of each closed sprint of the quarter (M11).
    fn closed_records(&self, quarter_id: Id) -> rusqlite::Result<Vec<(Id, Vec<RecordItem>)>> {
        let ids = self
            .conn
            .prepare_cached("SELECT id FROM sprint WHERE quarter_id = ?1 AND state = 'closed' ORDER BY number")?
            .query_map([quarter_id], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<Id>>>()?;
        ids.into_iter().map(|id| Ok((id, self.sprint_record(id)?.items))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m10_candidates_come_from_the_title_index() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("board.sqlite3")).expect("open");
        let plans: Vec<String> = store
            .conn
            .prepare("EXPLAIN QUERY PLAN SELECT i.id FROM key_result k JOIN item i ON i.title = k.title COLLATE NOCASE")
            .expect("prepare")
            .query_map([], |row| row.get(3))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert!(plans.iter().any(|step| step.contains("item_by_title_nocase")), "{plans:?}");
    }
}
