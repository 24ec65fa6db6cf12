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

/// Columns of an [`ItemRow`], in the order `item_row` reads them. Every
/// statement below is assembled from fixed text at compile time: user
/// values only ever travel as bound parameters.
macro_rules! item_row_select {
    () => {
        "SELECT i.id, i.rank, i.title, i.kind, i.points, i.state, s.number,
                (SELECT group_concat('KR' || o.position || '.' || k.position, ' ' ORDER BY o.position, k.position)
                 FROM item_kr ik JOIN key_result k ON k.id = ik.key_result_id
                 JOIN objective o ON o.id = k.objective_id WHERE ik.item_id = i.id)
         FROM item i LEFT JOIN sprint s ON s.id = i.sprint_id "
    };
}

/// Restricts to items tagged with the KR bound as `?3`.
macro_rules! tagged_with_kr {
    () => {
        " WHERE i.id IN (SELECT item_id FROM item_kr WHERE key_result_id = ?3) "
    };
}

const PAGE_ALL: &str = concat!(item_row_select!(), " ORDER BY i.rank, i.id LIMIT ?1 OFFSET ?2");
const PAGE_BY_KR: &str = concat!(item_row_select!(), tagged_with_kr!(), " ORDER BY i.rank, i.id LIMIT ?1 OFFSET ?2");
const SUMMARY_ALL: &str = "SELECT count(*), coalesce(sum(points), 0) FROM item";
const SUMMARY_BY_KR: &str = concat!("SELECT count(*), coalesce(sum(i.points), 0) FROM item i", tagged_with_kr!());
const POSITION_ALL: &str = "SELECT count(*) FROM item i, (SELECT rank, id FROM item WHERE id = ?1) AS me
     WHERE i.rank < me.rank OR (i.rank = me.rank AND i.id < me.id)";
const POSITION_BY_KR: &str = "SELECT count(*) FROM item i, (SELECT rank, id FROM item WHERE id = ?1) AS me
     WHERE (i.rank < me.rank OR (i.rank = me.rank AND i.id < me.id))
       AND i.id IN (SELECT item_id FROM item_kr WHERE key_result_id = ?3)";

fn item_row(row: &Row<'_>) -> rusqlite::Result<ItemRow> {
    let kind: String = row.get(3)?;
    let state: String = row.get(5)?;
    let codes: Option<String> = row.get(7)?;
    Ok(ItemRow {
        id: row.get(0)?,
        rank: row.get(1)?,
        title: row.get(2)?,
        kind: ItemKind::parse(&kind).unwrap_or(ItemKind::Story),
        points: row.get(4)?,
        state: ItemState::parse(&state).unwrap_or(ItemState::Todo),
        sprint_number: row.get(6)?,
        kr_codes: codes.map(|codes| codes.split(' ').map(str::to_owned).collect()).unwrap_or_default(),
    })
}

/// Count and total points of a filtered backlog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BacklogSummary {
    pub count: usize,
    pub points: u64,
}

impl Store {
    pub fn backlog_summary(&self, filter: ItemFilter) -> rusqlite::Result<BacklogSummary> {
        let read = |row: &Row<'_>| Ok(BacklogSummary { count: row.get(0)?, points: row.get(1)? });
        match filter.key_result {
            None => self.conn.prepare_cached(SUMMARY_ALL)?.query_row([], read),
            Some(kr) => self.conn.prepare_cached(SUMMARY_BY_KR)?.query_row(params![kr, 0, kr], read),
        }
    }

    /// Up to `limit` rows of the filtered backlog from position `offset`.
    pub fn backlog_page(&self, filter: ItemFilter, offset: usize, limit: usize) -> rusqlite::Result<Vec<ItemRow>> {
        let (limit, offset) = (i64::try_from(limit).unwrap_or(i64::MAX), i64::try_from(offset).unwrap_or(i64::MAX));
        match filter.key_result {
            None => self.conn.prepare_cached(PAGE_ALL)?.query_map(params![limit, offset], item_row)?.collect(),
            Some(kr) => self.conn.prepare_cached(PAGE_BY_KR)?.query_map(params![limit, offset, kr], item_row)?.collect(),
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
        let row =
            self.conn.prepare_cached(concat!(item_row_select!(), " WHERE i.id = ?1"))?.query_row([id], item_row).optional()?;
        let Some(row) = row else { return Ok(None) };
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
        self.conn
            .prepare_cached(concat!(item_row_select!(), " WHERE i.sprint_id = ?1 ORDER BY i.rank, i.id"))?
            .query_map([sprint_id], item_row)?
            .collect()
    }
}
