//! The facts behind the figures shown in several places (method.md: "a
//! figure ... is computed once, by one domain function, from the same
//! data"): each sprint's OKR/BAU split (planning, health M4, the charts,
//! the review), the items the sprints held (the burn-up's scope and done
//! points) and the finished sprints of earlier quarters (velocity). The
//! store only reads the rows; the domain works the figures out.

use std::collections::{HashMap, hash_map::Entry};

use super::StoreError;
use super::{
    Store,
    board::{date_column, points_sum},
};
use crate::domain::{
    Id, Quarter, TeamMember,
    capacity::{Measured, VELOCITY_WINDOW, focused_days},
    charts::HeldItem,
    planning::Split,
    review::{self, RecordItem},
};

impl Store {
    /// The ids of the quarter's own KRs: only a tag to one of these makes
    /// an item OKR work.
    fn quarter_kr_ids(&self, quarter_id: Id) -> rusqlite::Result<Vec<Id>> {
        self.conn
            .prepare_cached("SELECT k.id FROM objective o JOIN key_result k ON k.objective_id = o.id WHERE o.quarter_id = ?1")?
            .query_map([quarter_id], |row| row.get(0))?
            .collect()
    }

    /// Each sprint's planned points of the quarter, split OKR/BAU (M4): a
    /// closed sprint's from its frozen record (what it held when it closed,
    /// carried items too), never from what is left in it (its done items);
    /// any other sprint's from the items planned into it now. Sprints with
    /// nothing planned are left out.
    /// `closed` holds the quarter's closed sprints' records (`closed_records`),
    /// read once for this and for what else the caller needs of them.
    pub(super) fn planned_splits(&self, quarter_id: Id, closed: &[(Id, Vec<RecordItem>)]) -> rusqlite::Result<Vec<(Id, Split)>> {
        // Points as the rows show them (`shown_points!`). Each planned
        // item's tags are looked up by primary key (item_kr, then its KR and
        // objective), so the cost follows what is planned, not how many
        // items the quarter's KRs tag.
        let rows = self
            .conn
            .prepare_cached(concat!(
                "SELECT s.id, ",
                shown_points!("i.points"),
                ", EXISTS (SELECT 1 FROM item_kr t JOIN key_result k ON k.id = t.key_result_id
                           JOIN objective o ON o.id = k.objective_id
                           WHERE t.item_id = i.id AND o.quarter_id = ?1)
                 FROM sprint s JOIN item i ON i.sprint_id = s.id
                 WHERE s.quarter_id = ?1 AND s.state != 'closed'
                 ORDER BY s.number, s.id"
            ))?
            .query_map([quarter_id], |row| Ok((row.get::<_, Id>(0)?, points_sum(row, 1)?, row.get::<_, bool>(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut splits: Vec<(Id, Split)> = Vec::new();
        for chunk in rows.chunk_by(|a, b| a.0 == b.0) {
            let split = Split::of(chunk.iter().map(|(_, points, okr_work)| (*points, *okr_work)));
            splits.push((chunk[0].0, split));
        }
        let quarter_krs = self.quarter_kr_ids(quarter_id)?;
        for (id, items) in closed {
            let split = review::planned_split(items, |kr| quarter_krs.contains(&kr));
            if split.total() > 0 {
                splits.push((*id, split));
            }
        }
        Ok(splits)
    }

    /// The frozen record of each closed sprint of the quarter, in number
    /// order (M11, the splits, the charts' velocity).
    pub(super) fn closed_records(&self, quarter_id: Id) -> Result<Vec<(Id, Vec<RecordItem>)>, StoreError> {
        self.closed_sprint_ids(quarter_id)?.into_iter().map(|id| Ok((id, self.sprint_record(id)?.items))).collect()
    }

    /// A closed sprint's split from its frozen record, as health, the
    /// charts and its review show it; `None` for a sprint not closed (its
    /// split is its items' now).
    pub fn frozen_split(&self, sprint_id: Id) -> Result<Option<Split>, StoreError> {
        let (quarter_id, state): (Id, String) =
            self.conn.query_row("SELECT quarter_id, state FROM sprint WHERE id = ?1", [sprint_id], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        if state != "closed" {
            return Ok(None);
        }
        let quarter_krs = self.quarter_kr_ids(quarter_id)?;
        Ok(Some(review::planned_split(&self.sprint_record(sprint_id)?.items, |kr| quarter_krs.contains(&kr))))
    }

    fn closed_sprint_ids(&self, quarter_id: Id) -> rusqlite::Result<Vec<Id>> {
        self.conn
            .prepare_cached("SELECT id FROM sprint WHERE quarter_id = ?1 AND state = 'closed' ORDER BY number")?
            .query_map([quarter_id], |row| row.get(0))?
            .collect()
    }

    /// Every item each sprint of the quarter held, for the burn-up
    /// (`charts::quarter_work` counts each once): a closed sprint's frozen
    /// record less its removed items (an item edited after the close leaves
    /// the burn-up as it was; a done one's day is its done date, else the
    /// sprint's close), any other sprint's items now (a done one's day is
    /// its done date).
    pub(super) fn held_items(&self, quarter_id: Id) -> rusqlite::Result<Vec<HeldItem>> {
        let rows = self
            .conn
            .prepare_cached(concat!(
                "SELECT s.id, s.number, ",
                shown_sprint_start!(),
                ", i.id, ",
                shown_points!("i.points"),
                ", CASE WHEN i.state = 'done' AND typeof(i.done_on) = 'text' THEN i.done_on END
                 FROM sprint s JOIN item i ON i.sprint_id = s.id
                 WHERE s.quarter_id = ?1 AND s.state != 'closed'
                 UNION ALL
                 SELECT s.id, s.number, ",
                shown_sprint_start!(),
                ", r.item_id, max(r.points, 0),
                        CASE WHEN r.outcome = 'done' THEN
                            CASE WHEN typeof(i.done_on) = 'text' THEN i.done_on ELSE coalesce(s.closed_on, s.end_date) END
                        END
                 FROM sprint s JOIN sprint_record_item r ON r.sprint_id = s.id
                 LEFT JOIN item i ON i.id = r.item_id
                 WHERE s.quarter_id = ?1 AND s.state = 'closed' AND r.outcome != 'removed'"
            ))?
            .query_map([quarter_id], |row| {
                Ok(HeldItem {
                    sprint_id: row.get(0)?,
                    sprint_number: super::clean::whole(row, 1)?,
                    sprint_start: date_column(row, 2)?,
                    item_id: row.get(3)?,
                    points: points_sum(row, 4)?,
                    // A date that does not parse (a damaged row) has no
                    // place on the axis.
                    done_on: super::clean::optional_day(row, 5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The last finished sprints of earlier quarters that delivered
    /// something in focused days of their own team (at most
    /// `VELOCITY_WINDOW`, oldest first): velocity and focus carry across
    /// quarters. A closed sprint's done points are its frozen record's.
    pub(super) fn earlier_sprints(&self, quarter: &Quarter) -> rusqlite::Result<Vec<Measured>> {
        let mut candidates = self.conn.prepare_cached(concat!(
            "SELECT s.id, s.number, s.start_date, s.end_date, s.quarter_id, q.label,
                    CASE WHEN s.state = 'closed' THEN ",
            frozen_done_points!(),
            " ELSE (SELECT coalesce(sum(",
            shown_points!("i.points"),
            "), 0) FROM item i WHERE i.sprint_id = s.id AND i.state = 'done') END
             FROM sprint s JOIN quarter q ON q.id = s.quarter_id
             WHERE s.quarter_id != ?1 AND q.state != 'draft' AND s.end_date < ?2
             ORDER BY s.end_date DESC, s.number DESC"
        ))?;
        let mut rows = candidates.query(rusqlite::params![quarter.id, quarter.start.to_string()])?;
        let mut teams: HashMap<Id, Vec<TeamMember>> = HashMap::new();
        let mut measured = Vec::new();
        while measured.len() < VELOCITY_WINDOW
            && let Some(row) = rows.next()?
        {
            let done_points = points_sum(row, 6)?;
            let (Some(start), Some(end)) = (super::clean::optional_day(row, 2)?, super::clean::optional_day(row, 3)?) else {
                continue;
            };
            if done_points == 0 {
                continue;
            }
            let (id, quarter_id): (Id, Id) = (row.get(0)?, row.get(4)?);
            if let Entry::Vacant(slot) = teams.entry(quarter_id) {
                slot.insert(self.load_team(quarter_id)?);
            }
            let days = teams.get(&quarter_id).map_or(0.0, |team| focused_days(team, start, end, Some(id)));
            if days > 0.0 {
                measured.push(Measured {
                    quarter: Some(super::clean::text(row, 5)?.0),
                    number: super::clean::whole(row, 1)?,
                    end,
                    done_points,
                    focused_days: days,
                });
            }
        }
        measured.reverse();
        Ok(measured)
    }
}
