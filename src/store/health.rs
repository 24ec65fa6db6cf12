//! What the quarter's health check needs beyond the loaded board (see
//! `domain::health`): each sprint's planned points split OKR/BAU (read in
//! `figures`, as the charts and planning read it), M10's candidates, and
//! the records of closed sprints. Read when the health
//! screen opens and on reload, never per frame.

use crate::domain::{
    Id,
    health::{Facts, FactsNeeded},
    planning::Split,
    review::RecordItem,
    rules::m10_title_prefixes,
};

use super::StoreError;
use super::{Store, clean};

/// The facts `domain::health::check` reads, owned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HealthFacts {
    pub splits: Vec<(Id, Split)>,
    pub title_copies: Vec<(Id, String)>,
    pub closed_records: Vec<(Id, Vec<RecordItem>)>,
    /// Next quarter's OKRs are drafted (M6 under the drafts strategy).
    pub next_quarter_drafted: bool,
}

impl HealthFacts {
    pub fn as_facts(&self) -> Facts<'_> {
        Facts {
            splits: &self.splits,
            title_copies: &self.title_copies,
            closed_records: &self.closed_records,
            next_quarter_drafted: self.next_quarter_drafted,
        }
    }
}

impl Store {
    /// The health check's facts for quarter `quarter_id`.
    pub fn health_facts(&self, quarter_id: Id) -> Result<HealthFacts, StoreError> {
        self.health_facts_needed(quarter_id, FactsNeeded::ALL)
    }

    /// The facts `needed` for quarter `quarter_id`, the others left empty:
    /// what a check of a few rules reads (the advice on one change).
    pub fn health_facts_needed(&self, quarter_id: Id, needed: FactsNeeded) -> Result<HealthFacts, StoreError> {
        // A closed sprint's split comes from its record.
        let closed_records = if needed.closed_records || needed.splits { self.closed_records(quarter_id)? } else { Vec::new() };
        Ok(HealthFacts {
            splits: if needed.splits { self.planned_splits(quarter_id, &closed_records)? } else { Vec::new() },
            title_copies: if needed.title_copies { self.kr_title_copies(quarter_id)? } else { Vec::new() },
            closed_records,
            next_quarter_drafted: needed.next_quarter_drafted
                && self
                    .conn
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM quarter q JOIN objective o ON o.quarter_id = q.id WHERE q.state = 'draft')",
                    )?
                    .query_row([], |row| row.get(0))?,
        })
    }

    /// M10's candidates: the items whose title may copy one of the
    /// quarter's KR titles, for `copied_kr` to judge (the backlog's flag,
    /// so the two cannot disagree). Each of `m10_title_prefixes` is a range
    /// of `item_by_title_nocase`, so the cost follows the number of KRs
    /// and of items that begin like one, not the backlog's size; titles
    /// that are not text (which the index orders apart) come from
    /// `item_needs_cleaning`. In backlog order.
    fn kr_title_copies(&self, quarter_id: Id) -> rusqlite::Result<Vec<(Id, String)>> {
        let kr_titles = self
            .conn
            .prepare_cached("SELECT k.title FROM objective o JOIN key_result k ON k.objective_id = o.id WHERE o.quarter_id = ?1")?
            .query_map([quarter_id], |row| Ok(clean::text(row, 0)?.0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        if kr_titles.is_empty() {
            return Ok(Vec::new());
        }
        // A title that is not valid text is read as the board shows it.
        let read = |row: &rusqlite::Row<'_>| Ok((row.get::<_, Id>(0)?, clean::text(row, 1)?.0, row.get::<_, f64>(2)?));
        let mut found: Vec<(Id, String, f64)> = Vec::new();
        let mut by_prefix = self.conn.prepare_cached(
            // 0xFF never occurs in UTF-8, so the range holds every title
            // that starts with the prefix, and only those.
            "SELECT id, title, CAST(rank AS REAL) FROM item
             WHERE title COLLATE NOCASE >= ?1 AND title COLLATE NOCASE < ?1 || CAST(x'FF' AS TEXT)",
        )?;
        for prefix in m10_title_prefixes(kr_titles.iter().map(String::as_str)) {
            found.extend(by_prefix.query_map([prefix], read)?.collect::<rusqlite::Result<Vec<_>>>()?);
        }
        found.extend(
            self.conn
                .prepare_cached(concat!(
                    "SELECT id, title, CAST(rank AS REAL) FROM item WHERE ",
                    needs_cleaning!(),
                    " AND typeof(title) != 'text'"
                ))?
                .query_map([], read)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        );
        found.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)));
        found.dedup_by_key(|(id, ..)| *id);
        Ok(found.into_iter().map(|(id, title, _)| (id, title)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(store: &Store, sql: &str) -> Vec<String> {
        store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("prepare")
            .query_map([], |row| row.get(3))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
    }

    #[test]
    fn m10_candidates_come_from_indexes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("board.sqlite3")).expect("open");
        let by_prefix = plan(
            &store,
            "SELECT id FROM item WHERE title COLLATE NOCASE >= 'ab' AND title COLLATE NOCASE < 'ab' || CAST(x'FF' AS TEXT)",
        );
        assert!(by_prefix.iter().any(|step| step.contains("item_by_title_nocase") && step.contains("title>?")), "{by_prefix:?}");
        let not_text = plan(&store, concat!("SELECT id FROM item WHERE ", needs_cleaning!(), " AND typeof(title) != 'text'"));
        assert!(not_text.iter().any(|step| step.contains("item_needs_cleaning")), "{not_text:?}");
    }
}
