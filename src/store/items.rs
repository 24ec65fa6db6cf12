//! The backlog, read one window at a time.
//!
//! The backlog can hold 100,000 items; the screen shows forty. So the pane
//! asks for the rows it shows (`LIMIT`/`OFFSET` over the rank index) plus
//! the count and points of the whole filtered list, never the whole table.

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, board::date_column};
use crate::domain::{Id, ItemDetail, ItemKind, ItemRow, ItemState};

/// Which backlog items are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ItemFilter {
    /// Only items tagged with this KR ("OKR as backlog filter").
    pub key_result: Option<Id>,
}

/// Columns of an [`ItemRow`], in the order `item_row` reads them, for a
/// query whose items are `i` and whose sprints are `s`. Every statement
/// below is assembled from fixed text at compile time: user values only
/// ever travel as bound parameters.
macro_rules! item_row_columns {
    () => {
        "SELECT i.id, i.rank, i.title, i.kind, i.points, i.state, s.number,
                (SELECT group_concat(key_result_id) FROM item_kr WHERE item_id = i.id) "
    };
}

macro_rules! item_row_select {
    () => {
        concat!(item_row_columns!(), " FROM item i LEFT JOIN sprint s ON s.id = i.sprint_id ")
    };
}

const PAGE_ALL: &str = concat!(item_row_select!(), " ORDER BY i.rank, i.id LIMIT ?1 OFFSET ?2");
/// A KR's items come in rank order straight from the tag index
/// (`item_kr (key_result_id, rank, item_id, points)`): no sort.
const PAGE_BY_KR: &str = concat!(
    item_row_columns!(),
    " FROM item_kr t JOIN item i ON i.id = t.item_id LEFT JOIN sprint s ON s.id = i.sprint_id
      WHERE t.key_result_id = ?3 ORDER BY t.rank, t.item_id LIMIT ?1 OFFSET ?2"
);
/// Kept by triggers: one row read, whatever the backlog's size.
const SUMMARY: &str = "SELECT items, points FROM backlog_tally WHERE scope = ?1";
const POSITION_ALL: &str = "SELECT count(*) FROM item i, (SELECT rank, id FROM item WHERE id = ?1) AS me
     WHERE i.rank < me.rank OR (i.rank = me.rank AND i.id < me.id)";
const POSITION_BY_KR: &str = "SELECT count(*) FROM item_kr t, (SELECT rank, id FROM item WHERE id = ?1) AS me
     WHERE t.key_result_id = ?3 AND (t.rank < me.rank OR (t.rank = me.rank AND t.item_id < me.id))";

/// An item row with its tags as KR ids; `Store::item_rows` turns them into codes.
fn item_row(row: &Row<'_>) -> rusqlite::Result<(ItemRow, Option<String>)> {
    let kind: String = row.get(3)?;
    let state: String = row.get(5)?;
    let tags: Option<String> = row.get(7)?;
    let item = ItemRow {
        id: row.get(0)?,
        rank: row.get(1)?,
        title: row.get(2)?,
        kind: ItemKind::parse(&kind).unwrap_or(ItemKind::Story),
        points: row.get(4)?,
        state: ItemState::parse(&state).unwrap_or(ItemState::Todo),
        sprint_number: row.get(6)?,
        kr_codes: Vec::new(),
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
            self.conn.prepare_cached(sql)?.query_map(params, item_row)?.collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(mut item, tags)| {
                let ids = tags.iter().flat_map(|tags| tags.split(',')).filter_map(|id| id.parse().ok());
                item.kr_codes = self.kr_codes(ids)?;
                Ok(item)
            })
            .collect()
    }

    pub fn backlog_summary(&self, filter: ItemFilter) -> rusqlite::Result<BacklogSummary> {
        // Scope 0 is the whole backlog; a KR nobody tagged has no row yet.
        let scope = filter.key_result.unwrap_or(0);
        let summary = self
            .conn
            .prepare_cached(SUMMARY)?
            .query_row([scope], |row| Ok(BacklogSummary { count: row.get(0)?, points: row.get(1)? }))
            .optional()?;
        Ok(summary.unwrap_or_default())
    }

    /// Up to `limit` rows of the filtered backlog from position `offset`.
    pub fn backlog_page(&self, filter: ItemFilter, offset: usize, limit: usize) -> rusqlite::Result<Vec<ItemRow>> {
        let (limit, offset) = (i64::try_from(limit).unwrap_or(i64::MAX), i64::try_from(offset).unwrap_or(i64::MAX));
        match filter.key_result {
            None => self.item_rows(PAGE_ALL, params![limit, offset]),
            Some(kr) => self.item_rows(PAGE_BY_KR, params![limit, offset, kr]),
        }
    }

    /// Position of item `id` in the filtered backlog, if it is listed there.
    pub fn backlog_position(&self, filter: ItemFilter, id: Id) -> rusqlite::Result<Option<usize>> {
        let exists: bool =
            self.conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM item WHERE id = ?1)")?.query_row([id], |row| row.get(0))?;
        if !exists {
            return Ok(None);
        }
        let position: usize = match filter.key_result {
            None => self.conn.prepare_cached(POSITION_ALL)?.query_row([id], |row| row.get(0))?,
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

    pub fn item_detail(&self, id: Id) -> rusqlite::Result<Option<ItemDetail>> {
        let Some(row) = self.item_rows(concat!(item_row_select!(), " WHERE i.id = ?1"), [id])?.pop() else {
            return Ok(None);
        };
        let (description, done_on) = self
            .conn
            .prepare_cached("SELECT description, done_on IS NOT NULL, done_on FROM item WHERE id = ?1")?
            .query_row([id], |sql_row| {
                let has_date: bool = sql_row.get(1)?;
                Ok((sql_row.get::<_, String>(0)?, if has_date { Some(date_column(sql_row, 2)?) } else { None }))
            })?;
        Ok(Some(ItemDetail { row, description, done_on }))
    }
}

impl Store {
    /// The sprint backlog: items planned into `sprint_id`, in rank order.
    pub fn sprint_items(&self, sprint_id: Id) -> rusqlite::Result<Vec<ItemRow>> {
        self.item_rows(concat!(item_row_select!(), " WHERE i.sprint_id = ?1 ORDER BY i.rank, i.id"), [sprint_id])
    }
}
