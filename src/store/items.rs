//! The backlog, read one window at a time.
//!
//! The backlog can hold 100,000 items; the screen shows forty. So the pane
//! asks for the rows it shows (`LIMIT`/`OFFSET` over the rank index) plus
//! the count and points of the whole filtered list, never the whole table.

use rusqlite::{OptionalExtension, Row, params, types::Value};

use super::StoreError;
use super::{Store, board::date_column, clean};
use crate::domain::{Id, ItemDetail, ItemKind, ItemRow, ItemState};

/// Which backlog items are listed. All conditions set must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemFilter {
    /// Only items tagged with this KR ("OKR as backlog filter").
    pub key_result: Option<Id>,
    /// Only items tagged with any KR of this objective.
    pub objective: Option<Id>,
    /// Only items whose title contains this text (ASCII letters in any case).
    pub search: Option<String>,
    pub state: Option<crate::domain::ItemState>,
    pub placement: Placement,
    /// Only items that move no KR.
    pub bau_only: bool,
    /// Only items carried from a closed quarter that wait for new tags.
    pub needs_retag: bool,
    /// Only items planned into a sprint of this quarter: a closed quarter's
    /// backlog is what its sprints delivered.
    pub quarter: Option<Id>,
    /// Only items done in an earlier quarter (filed away when the next
    /// quarter opened); without it the backlog leaves them out.
    pub earlier_done: bool,
}

/// Whether items are listed by the sprint they are planned into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Placement {
    #[default]
    Any,
    NotInASprint,
    Sprint(Id),
}

impl ItemFilter {
    /// Only a KR (or nothing) is set: the indexed fast paths apply.
    fn is_kr_only(&self) -> bool {
        self.objective.is_none()
            && self.search.is_none()
            && self.state.is_none()
            && self.placement == Placement::Any
            && !self.bau_only
            && !self.needs_retag
            && self.quarter.is_none()
            && !self.earlier_done
    }

    pub fn is_empty(&self) -> bool {
        self.key_result.is_none() && self.is_kr_only()
    }

    /// Parameters ?3 to ?13 of the general filter (`WHERE_GENERAL`), for
    /// the backlog beside quarter `shown`.
    fn general_params(&self, shown: Option<Id>) -> [Value; 11] {
        let (placement, sprint) = match self.placement {
            Placement::Any => (0, None),
            Placement::NotInASprint => (1, None),
            Placement::Sprint(id) => (2, Some(id)),
        };
        [
            self.key_result.map_or(Value::Null, Value::Integer),
            self.search.clone().map_or(Value::Null, Value::Text),
            self.state.map_or(Value::Null, |state| Value::Text(state.as_str().to_owned())),
            Value::Integer(placement),
            sprint.map_or(Value::Null, Value::Integer),
            Value::Integer(i64::from(self.bau_only)),
            self.objective.map_or(Value::Null, Value::Integer),
            Value::Integer(i64::from(self.needs_retag)),
            self.quarter.map_or(Value::Null, Value::Integer),
            shown.map_or(Value::Null, Value::Integer),
            Value::Integer(i64::from(self.earlier_done)),
        ]
    }
}

/// Every filter at once, each condition switched off by its parameter:
/// ?3 KR, ?4 title text, ?5 state, ?6 placement (0 any, 1 none, 2 sprint ?7),
/// ?8 BAU only (no tag to a KR of quarter ?12, the quarter on screen: an
/// earlier quarter's tags are history), ?9 objective, ?10 waiting for new
/// tags, ?11 a quarter's sprints, ?13 done in an earlier quarter (else
/// such items are left out, except from a quarter's own sprints, ?11).
/// Used when more than a KR is set; it reads every item.
macro_rules! where_general {
    () => {
        " WHERE (?3 IS NULL OR i.id IN (SELECT item_id FROM item_kr WHERE key_result_id = ?3))
            AND (?4 IS NULL OR instr(lower(i.title), lower(?4)) > 0)
            AND (?5 IS NULL OR i.state = ?5)
            AND (?6 = 0 OR (?6 = 1 AND i.sprint_id IS NULL) OR (?6 = 2 AND i.sprint_id = ?7))
            AND (?8 = 0 OR NOT EXISTS (SELECT 1 FROM item_kr t JOIN key_result k ON k.id = t.key_result_id
                                       JOIN objective o ON o.id = k.objective_id
                                       WHERE t.item_id = i.id AND (?12 IS NULL OR o.quarter_id = ?12)))
            AND (?9 IS NULL OR i.id IN (SELECT t.item_id FROM item_kr t JOIN key_result k ON k.id = t.key_result_id
                                        WHERE k.objective_id = ?9))
            AND (?10 = 0 OR i.needs_retag = 1)
            AND (?11 IS NULL OR i.sprint_id IN (SELECT id FROM sprint WHERE quarter_id = ?11))
            AND (CASE WHEN ?13 = 1 THEN i.done_in_earlier_quarter = 1
                      ELSE i.done_in_earlier_quarter = 0 OR ?11 IS NOT NULL END) "
    };
}

/// Columns of an [`ItemRow`], in the order `item_row` reads them, for a
/// query whose items are `i` and whose sprints are `s`. Every statement
/// below is assembled from fixed text at compile time: user values only
/// ever travel as bound parameters.
macro_rules! item_row_columns {
    () => {
        concat!(
            "SELECT i.id, CAST(i.rank AS INTEGER), i.title, i.kind, ",
            shown_points!("i.points"),
            ", i.state, s.number, (SELECT group_concat(key_result_id) FROM item_kr WHERE item_id = i.id), i.needs_retag = 1, ",
            "s.quarter_id, (SELECT CAST(label AS TEXT) FROM quarter WHERE id = s.quarter_id) "
        )
    };
}

macro_rules! item_row_select {
    () => {
        concat!(item_row_columns!(), " FROM item i LEFT JOIN sprint s ON s.id = i.sprint_id ")
    };
}

/// The backlog unfiltered: the quarter's work, without what was done in
/// earlier quarters, straight from the partial index `item_current_by_rank`.
///
/// The windows say `LIMIT +?1`, not `LIMIT ?1`: SQLite lets the value of a
/// bare `LIMIT` parameter choose the plan, so it parsed and planned each
/// window's statement again on every run (0.1-0.3 ms, twice per re-rank);
/// as an expression the limit keeps the cached plan, which is the same.
const PAGE_ALL: &str =
    concat!(item_row_select!(), " WHERE i.done_in_earlier_quarter = 0 ORDER BY i.rank, i.id LIMIT +?1 OFFSET ?2");
/// A KR's items come in rank order straight from the tag index
/// (`item_kr (key_result_id, rank, item_id, points)`): no sort.
const PAGE_BY_KR: &str = concat!(
    item_row_columns!(),
    " FROM item_kr t JOIN item i ON i.id = t.item_id LEFT JOIN sprint s ON s.id = i.sprint_id
      WHERE t.key_result_id = ?3 ORDER BY t.rank, t.item_id LIMIT +?1 OFFSET ?2"
);
/// Items by id (a JSON array in ?1), in backlog order, as `items_by_id`
/// reads them: each looked up by key (`CROSS JOIN` keeps the list outside;
/// as `i.id IN (...)` the planner walked the rank index for the order, a
/// scan of the whole backlog), then the few rows sorted.
const ITEMS_BY_ID: &str = concat!(
    item_row_columns!(),
    " FROM json_each(?1) AS j CROSS JOIN item i ON i.id = j.value LEFT JOIN sprint s ON s.id = i.sprint_id
      ORDER BY i.rank, i.id"
);
const PAGE_GENERAL: &str = concat!(item_row_select!(), where_general!(), " ORDER BY i.rank, i.id LIMIT +?1 OFFSET ?2");
// The statements below leave ?1 or ?2 unused; they are bound all the same,
// so that the filter's parameters keep their numbers.
const SUMMARY_GENERAL: &str =
    concat!("SELECT count(*), coalesce(sum(", shown_points!("i.points"), "), 0) FROM item i", where_general!());
const POSITION_GENERAL: &str = concat!(
    "SELECT count(*) FROM item i, (SELECT rank, id FROM item WHERE id = ?1) AS me",
    where_general!(),
    " AND (i.rank < me.rank OR (i.rank = me.rank AND i.id < me.id))"
);
const LISTED_GENERAL: &str = concat!("SELECT EXISTS (SELECT 1 FROM item i", where_general!(), " AND i.id = ?1)");

/// Kept by triggers: one row read, whatever the backlog's size.
const SUMMARY: &str = "SELECT items, points FROM backlog_tally WHERE scope = ?1";
/// The unfiltered backlog: every item (scope 0) less those done in
/// earlier quarters (scope -2, schema v10); two rows read.
const SUMMARY_CURRENT: &str = "SELECT a.items - coalesce(b.items, 0), a.points - coalesce(b.points, 0)
     FROM backlog_tally a LEFT JOIN backlog_tally b ON b.scope = -2 WHERE a.scope = 0";
/// The tally's scope of open items in no sprint (schema v4).
const CANDIDATE_SCOPE: i64 = -1;
/// Two plain ranges of the partial index `item_current_by_rank`, added:
/// with the two as one `OR`, SQLite's planner may scan the whole index
/// (4 ms at 100,000 items, on every re-rank).
const POSITION_ALL: &str = "SELECT
       (SELECT count(*) FROM item i WHERE i.done_in_earlier_quarter = 0 AND i.rank < me.rank)
     + (SELECT count(*) FROM item i WHERE i.done_in_earlier_quarter = 0 AND i.rank = me.rank AND i.id < me.id)
     FROM (SELECT rank, id FROM item WHERE id = ?1) AS me";
const POSITION_BY_KR: &str = "SELECT count(*) FROM item_kr t, (SELECT rank, id FROM item WHERE id = ?1) AS me
     WHERE t.key_result_id = ?3 AND (t.rank < me.rank OR (t.rank = me.rank AND t.item_id < me.id))";

/// An item row with its tags as KR ids; `Store::item_rows` turns them into
/// codes. Rank and points come cleaned by the query (`item_row_columns`).
fn item_row(store: &Store, row: &Row<'_>) -> rusqlite::Result<(ItemRow, Option<String>)> {
    // A sprint of another quarter than the one shown is named with it.
    let sprint_quarter: Option<Id> = row.get(9)?;
    let other_quarter = match (sprint_quarter, store.shown_quarter.get()) {
        (Some(quarter), Some(shown)) if quarter != shown => clean::lenient(row, 10)?,
        _ => None,
    };
    let id: Id = row.get(0)?;
    let (kind, _) = clean::text(row, 3)?;
    let (state, _) = clean::text(row, 5)?;
    let tags: Option<String> = row.get(7)?;
    let item = ItemRow {
        id,
        rank: row.get(1)?,
        title: store.text_of(row, 2, || format!("Item #{id}: title"))?,
        kind: ItemKind::parse(&kind).unwrap_or(ItemKind::Story),
        points: u32::try_from(row.get::<_, i64>(4)?).unwrap_or(u32::MAX),
        state: ItemState::parse(&state).unwrap_or(ItemState::Todo),
        sprint_number: row.get::<_, Option<clean::Whole<u32>>>(6)?.map(|number| number.0),
        kr_codes: Vec::new(),
        okr_work: false,
        needs_retag: row.get(8)?,
        sprint_quarter: other_quarter,
    };
    Ok((item, tags))
}

/// Count and total points of a filtered backlog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BacklogSummary {
    pub count: usize,
    pub points: u64,
}

impl Store {
    /// Runs an item query and names each item's tags by KR code, in code order.
    fn item_rows(&self, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<Vec<ItemRow>> {
        let rows: Vec<(ItemRow, Option<String>)> =
            self.conn.prepare_cached(sql)?.query_map(params, |row| item_row(self, row))?.collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(mut item, tags)| {
                self.name_tags(&mut item, tags.as_deref())?;
                Ok(item)
            })
            .collect()
    }

    pub fn backlog_summary(&self, filter: &ItemFilter) -> Result<BacklogSummary, StoreError> {
        // Negative only if a writer broke the triggers' arithmetic; never fatal.
        let read = |row: &Row<'_>| Ok(BacklogSummary { count: clean::whole(row, 0)?, points: clean::whole(row, 1)? });
        // The tally adds stored points; with some shown otherwise, the
        // total is counted from the rows, as they are shown.
        if !filter.is_kr_only() || self.points_repaired()? {
            let [a, b, c, d, e, f, g, h, j, k, l] = filter.general_params(self.shown_quarter.get());
            return Ok(self
                .conn
                .prepare_cached(SUMMARY_GENERAL)?
                .query_row(params![0, 0, a, b, c, d, e, f, g, h, j, k, l], read)?);
        }
        let Some(scope) = filter.key_result else {
            return Ok(self.conn.prepare_cached(SUMMARY_CURRENT)?.query_row([], read).optional()?.unwrap_or_default());
        };
        // A KR nobody tagged has no row yet.
        let summary = self.conn.prepare_cached(SUMMARY)?.query_row([scope], read).optional()?;
        Ok(summary.unwrap_or_default())
    }

    /// Up to `limit` rows of the filtered backlog from position `offset`.
    pub fn backlog_page(&self, filter: &ItemFilter, offset: usize, limit: usize) -> Result<Vec<ItemRow>, StoreError> {
        let (limit, offset) = (i64::try_from(limit).unwrap_or(i64::MAX), i64::try_from(offset).unwrap_or(i64::MAX));
        if !filter.is_kr_only() {
            let [a, b, c, d, e, f, g, h, j, k, l] = filter.general_params(self.shown_quarter.get());
            return Ok(self.item_rows(PAGE_GENERAL, params![limit, offset, a, b, c, d, e, f, g, h, j, k, l])?);
        }
        Ok(match filter.key_result {
            None => self.item_rows(PAGE_ALL, params![limit, offset])?,
            Some(kr) => self.item_rows(PAGE_BY_KR, params![limit, offset, kr])?,
        })
    }

    /// Position of item `id` in the filtered backlog, if it is listed there.
    pub fn backlog_position(&self, filter: &ItemFilter, id: Id) -> Result<Option<usize>, StoreError> {
        let exists: bool =
            self.conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM item WHERE id = ?1)")?.query_row([id], |row| row.get(0))?;
        if !exists {
            return Ok(None);
        }
        if !filter.is_kr_only() {
            let [a, b, c, d, e, f, g, h, j, k, l] = filter.general_params(self.shown_quarter.get());
            let listed: bool = self
                .conn
                .prepare_cached(LISTED_GENERAL)?
                .query_row(params![id, 0, a, b, c, d, e, f, g, h, j, k, l], |row| row.get(0))?;
            if !listed {
                return Ok(None);
            }
            let position = self
                .conn
                .prepare_cached(POSITION_GENERAL)?
                .query_row(params![id, 0, a, b, c, d, e, f, g, h, j, k, l], |row| row.get(0))?;
            return Ok(Some(position));
        }
        let position: usize = match filter.key_result {
            None => {
                let filed: bool = self
                    .conn
                    .prepare_cached("SELECT done_in_earlier_quarter = 1 FROM item WHERE id = ?1")?
                    .query_row([id], |row| row.get(0))?;
                if filed {
                    return Ok(None);
                }
                self.conn.prepare_cached(POSITION_ALL)?.query_row([id], |row| row.get(0))?
            }
            Some(kr) => {
                let tagged: bool = self
                    .conn
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM item_kr WHERE item_id = ?1 AND key_result_id = ?2)")?
                    .query_row([id, kr], |row| row.get(0))?;
                if !tagged {
                    return Ok(None);
                }
                self.conn.prepare_cached(POSITION_BY_KR)?.query_row(params![id, 0, kr], |row| row.get(0))?
            }
        };
        Ok(Some(position))
    }

    pub fn item_detail(&self, id: Id) -> Result<Option<ItemDetail>, StoreError> {
        let Some(row) = self.item_rows(concat!(item_row_select!(), " WHERE i.id = ?1"), [id])?.pop() else {
            return Ok(None);
        };
        let (description, done_on, deferred_reason) = self
            .conn
            .prepare_cached("SELECT description, done_on IS NOT NULL, done_on, deferred_reason FROM item WHERE id = ?1")?
            .query_row([id], |sql_row| {
                let has_date: bool = sql_row.get(1)?;
                let description = self.text_of(sql_row, 0, || format!("Item #{id}: description"))?;
                let deferred_reason = self.text_of(sql_row, 3, || format!("Item #{id}: deferred because"))?;
                Ok((description, if has_date { Some(date_column(sql_row, 2)?) } else { None }, deferred_reason))
            })?;
        let external = self.external_key(id)?;
        Ok(Some(ItemDetail { row, description, done_on, deferred_reason, external }))
    }
}

/// An open item that says why it waits ("deferred because").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeferredItem {
    pub id: Id,
    pub title: String,
    pub reason: String,
}

impl Store {
    /// The first `limit` open items in no sprint, in backlog order, that
    /// say why they wait (the partial index `item_deferred`, schema v10),
    /// with how many there are in all. An item planned into a sprint waits
    /// no longer, whatever its reason said.
    pub fn deferred_items(&self, limit: usize) -> Result<(Vec<DeferredItem>, usize), StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let items = self
            .conn
            .prepare_cached(
                "SELECT id, title, deferred_reason FROM item INDEXED BY item_deferred
                 WHERE deferred_reason != '' AND state != 'done' AND sprint_id IS NULL ORDER BY rank LIMIT ?1",
            )?
            .query_map([limit], |row| {
                let id: Id = row.get(0)?;
                Ok(DeferredItem {
                    id,
                    title: self.text_of(row, 1, || format!("Item #{id}: title"))?,
                    reason: self.text_of(row, 2, || format!("Item #{id}: deferred because"))?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let total: usize = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM item INDEXED BY item_deferred
                 WHERE deferred_reason != '' AND state != 'done' AND sprint_id IS NULL",
            )?
            .query_row([], |row| row.get(0))?;
        Ok((items, total))
    }

    /// The items `ids` as backlog rows, in backlog order; an id no item has
    /// is left out. Reads each by key: the board re-reads the rows it holds
    /// after a write that cannot change which items they are, instead of
    /// its window by position (OFFSET walks the rank index: 6-11 ms deep in
    /// a 100,000-item backlog).
    pub fn items_by_id(&self, ids: &[Id]) -> Result<Vec<ItemRow>, StoreError> {
        let list: Vec<String> = ids.iter().map(Id::to_string).collect();
        Ok(self.item_rows(ITEMS_BY_ID, [format!("[{}]", list.join(","))])?)
    }

    /// The sprint backlog: items planned into `sprint_id`, in rank order.
    pub fn sprint_items(&self, sprint_id: Id) -> Result<Vec<ItemRow>, StoreError> {
        Ok(self.item_rows(concat!(item_row_select!(), " WHERE i.sprint_id = ?1 ORDER BY i.rank, i.id"), [sprint_id])?)
    }
}

/// How strongly an item serves sprint ?2: each of its KRs the sprint serves
/// counts 1, the sprint's focus KR 2 (`domain::planning::relevance`).
/// Candidates that serve the sprint, most relevant first, in the order of
/// the `sprint_relevance_order` index (schema v4): no scoring, no sort.
const RELEVANT_CANDIDATES: &str = concat!(
    item_row_columns!(),
    ", r.relevance FROM sprint_relevance r JOIN item i ON i.id = r.item_id LEFT JOIN sprint s ON s.id = i.sprint_id
     WHERE r.sprint_id = ?2 AND i.sprint_id IS NULL AND i.state != 'done'
     ORDER BY r.relevance DESC, r.rank, r.item_id LIMIT ?1"
);
/// Then the candidates tagged with another of its quarter's KRs, in backlog
/// order (read down the rank index, each tag looked up by key)...
const QUARTER_KR_CANDIDATES: &str = concat!(
    item_row_columns!(),
    ", 0 FROM item i LEFT JOIN sprint s ON s.id = i.sprint_id
     WHERE i.sprint_id IS NULL AND i.state != 'done'
       AND NOT EXISTS (SELECT 1 FROM sprint_relevance r WHERE r.item_id = i.id AND r.sprint_id = ?2)
       AND EXISTS (SELECT 1 FROM item_kr t JOIN key_result k ON k.id = t.key_result_id JOIN objective o ON o.id = k.objective_id
                   WHERE t.item_id = i.id AND o.quarter_id = (SELECT quarter_id FROM sprint WHERE id = ?2))
     ORDER BY i.rank, i.id LIMIT ?1"
);
/// ...and last BAU, tagged with none of its quarter's KRs: untagged items
/// sink (method.md, "OKR as backlog filter") but stay.
const BAU_CANDIDATES: &str = concat!(
    item_row_columns!(),
    ", 0 FROM item i LEFT JOIN sprint s ON s.id = i.sprint_id
     WHERE i.sprint_id IS NULL AND i.state != 'done'
       AND NOT EXISTS (SELECT 1 FROM item_kr t JOIN key_result k ON k.id = t.key_result_id JOIN objective o ON o.id = k.objective_id
                       WHERE t.item_id = i.id AND o.quarter_id = (SELECT quarter_id FROM sprint WHERE id = ?2))
     ORDER BY i.rank, i.id LIMIT ?1"
);

impl Store {
    /// Sprint planning's candidates: open items in no sprint, those that
    /// serve the sprint's KRs most first (its focus KR counts twice), then
    /// those tagged with its quarter's other KRs, then BAU, each by backlog
    /// rank (`domain::planning::candidate_order`); at most `limit`, with the
    /// number of all candidates.
    pub fn planning_candidates(&self, sprint_id: Id, limit: usize) -> Result<(Vec<(ItemRow, u32)>, usize), StoreError> {
        let mut rows: Vec<((ItemRow, Option<String>), u32)> = Vec::new();
        for query in [RELEVANT_CANDIDATES, QUARTER_KR_CANDIDATES, BAU_CANDIDATES] {
            let wanted = i64::try_from(limit.saturating_sub(rows.len())).unwrap_or(i64::MAX);
            if wanted == 0 {
                break;
            }
            let mut statement = self.conn.prepare_cached(query)?;
            let found = statement.query_map(params![wanted, sprint_id], |row| Ok((item_row(self, row)?, row.get(11)?)))?;
            rows.extend(found.collect::<rusqlite::Result<Vec<_>>>()?);
        }
        let mut candidates = Vec::with_capacity(rows.len());
        for ((mut item, tags), relevance) in rows {
            self.name_tags(&mut item, tags.as_deref())?;
            candidates.push((item, relevance));
        }
        let total: usize = self.conn.prepare_cached(SUMMARY)?.query_row([CANDIDATE_SCOPE], |row| row.get(0))?;
        Ok((candidates, total))
    }
}

/// The filtered backlog in rank order, whole, each row with its stable id
/// (column 11), for the command line's `list items`.
const EACH_GENERAL: &str = concat!(
    item_row_columns!(),
    ", CAST(i.uid AS TEXT) FROM item i LEFT JOIN sprint s ON s.id = i.sprint_id ",
    where_general!(),
    " ORDER BY i.rank, i.id LIMIT +?1 OFFSET ?2"
);
/// The same, unfiltered, straight from the partial index
/// `item_current_by_rank` (as `PAGE_ALL`).
const EACH_ALL: &str = concat!(
    item_row_columns!(),
    ", CAST(i.uid AS TEXT) FROM item i LEFT JOIN sprint s ON s.id = i.sprint_id
     WHERE i.done_in_earlier_quarter = 0 ORDER BY i.rank, i.id"
);
/// The same, a KR's items only, from the tag index (as `PAGE_BY_KR`).
const EACH_BY_KR: &str = concat!(
    item_row_columns!(),
    ", CAST(i.uid AS TEXT) FROM item_kr t JOIN item i ON i.id = t.item_id LEFT JOIN sprint s ON s.id = i.sprint_id
     WHERE t.key_result_id = ?1 ORDER BY t.rank, t.item_id"
);

impl Store {
    /// Hands each item of the filtered backlog to `visit`, in rank order,
    /// with its stable id, one row at a time: a list of 100,000 items is
    /// never held whole. Stops at the first error `visit` returns.
    pub fn each_backlog_item<E: From<StoreError>>(
        &self,
        filter: &ItemFilter,
        mut visit: impl FnMut(&ItemRow, &str) -> Result<(), E>,
    ) -> Result<(), E> {
        let typed = |error: rusqlite::Error| E::from(StoreError::from(error));
        // The indexed fast paths where they apply, as `backlog_page`'s.
        let (statement, values): (_, Vec<Value>) = match (filter.is_kr_only(), filter.key_result) {
            (true, None) => (self.conn.prepare_cached(EACH_ALL), Vec::new()),
            (true, Some(kr)) => (self.conn.prepare_cached(EACH_BY_KR), vec![Value::Integer(kr)]),
            (false, _) => {
                // LIMIT -1: no limit.
                let mut values = vec![Value::Integer(-1), Value::Integer(0)];
                values.extend(filter.general_params(self.shown_quarter.get()));
                (self.conn.prepare_cached(EACH_GENERAL), values)
            }
        };
        let mut statement = statement.map_err(typed)?;
        let mut rows = statement.query(rusqlite::params_from_iter(values)).map_err(typed)?;
        while let Some(row) = rows.next().map_err(typed)? {
            let read = || -> rusqlite::Result<(ItemRow, Option<String>)> {
                let (mut item, tags) = item_row(self, row)?;
                let uid: Option<String> = row.get(11)?;
                self.name_tags(&mut item, tags.as_deref())?;
                Ok((item, uid))
            };
            let (item, uid) = read().map_err(typed)?;
            visit(&item, uid.as_deref().unwrap_or_default())?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use rusqlite::{StatementStatus, params, types::Value};

    use super::{PAGE_ALL, PAGE_BY_KR, PAGE_GENERAL};
    use crate::{plan::Plan, store::Store};

    /// The backlog's window is read on every key that moves or writes: its
    /// statements must run from the cache as prepared, not be parsed and
    /// planned again on each run (SQLite does that for a bare `LIMIT ?`
    /// parameter, whose value it lets choose the plan: 0.1-0.3 ms a read).
    #[test]
    fn the_backlog_windows_are_planned_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("board.sqlite3")).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        store.import_plan(&Plan::demo(today).unwrap(), today, false).unwrap();
        // A title search (?4) sends a filter down the general statement.
        let general = |limit: i64| {
            let mut values = vec![Value::Integer(limit), Value::Integer(0), Value::Null, Value::Text("a".into())];
            values.extend([Value::Null, Value::Integer(0), Value::Null, Value::Integer(0), Value::Null]);
            values.extend([Value::Integer(0), Value::Null, Value::Null, Value::Integer(0)]);
            rusqlite::params_from_iter(values)
        };
        for (name, sql) in [("PAGE_ALL", PAGE_ALL), ("PAGE_BY_KR", PAGE_BY_KR), ("PAGE_GENERAL", PAGE_GENERAL)] {
            for limit in [40, 1, 40] {
                let mut statement = store.conn.prepare_cached(sql).unwrap();
                let rows = match name {
                    "PAGE_ALL" => statement.query_map(params![limit, 0], |_| Ok(())).unwrap().count(),
                    "PAGE_BY_KR" => statement.query_map(params![limit, 0, 1], |_| Ok(())).unwrap().count(),
                    _ => statement.query_map(general(limit), |_| Ok(())).unwrap().count(),
                };
                assert!(rows > 0, "{name} read nothing");
            }
            let statement = store.conn.prepare_cached(sql).unwrap();
            assert_eq!(statement.get_status(StatementStatus::RePrepare), 0, "{name} was prepared again");
        }
    }
}
