//! The sprint planning screen's state: candidates ranked by how strongly
//! they serve the sprint's KRs, the sprint backlog, and which side has the
//! keys. `Space` moves the selected item in or out, as one undoable step.

use super::{App, Overlay, Status, commands::FollowUp, edits::Refresh, edits::quoted};
use crate::{
    domain::{
        Id, ItemRow, ItemState, Sprint,
        forecast::Forecast,
        ids::{ItemId, SprintId},
        planning::{Split, Warning, candidate_order, planning_warnings, relevance},
    },
    ops::Command,
};

/// Candidates listed at most: planning picks from the top of the list.
pub const CANDIDATE_LIMIT: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Candidates,
    Sprint,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Planning {
    pub sprint_id: Id,
    /// Candidates with their relevance to the sprint's KRs, best first.
    pub candidates: Vec<(ItemRow, u32)>,
    /// All candidates, of which `candidates` are the first.
    pub candidate_total: usize,
    pub sprint_items: Vec<ItemRow>,
    /// A closed sprint's split from its frozen record (what it held when it
    /// closed, carried items too), which moving items now does not change.
    pub frozen_split: Option<Split>,
    /// When each KR the sprint's goal serves is likely done
    /// (`domain::forecast`), in the goal's order.
    pub forecasts: Vec<(Id, Forecast)>,
    pub side: Side,
    pub candidate_cursor: usize,
    pub sprint_cursor: usize,
}

impl Planning {
    /// Planned points split by whether the item moves a KR of this
    /// quarter (M4): tags to an earlier quarter's KRs are history. A closed
    /// sprint's comes from its frozen record, as health, the charts and its
    /// review read it.
    pub fn split(&self) -> Split {
        self.frozen_split.unwrap_or_else(|| Split::of(self.sprint_items.iter().map(|item| (item.points, item.okr_work))))
    }

    pub fn cursor_mut(&mut self) -> (&mut usize, usize) {
        match self.side {
            Side::Candidates => (&mut self.candidate_cursor, self.candidates.len()),
            Side::Sprint => (&mut self.sprint_cursor, self.sprint_items.len()),
        }
    }
}

impl App {
    /// The sprint being planned, from the board.
    pub fn planned_sprint(&self) -> Option<&Sprint> {
        let planning = self.planning()?;
        self.board.as_ref()?.sprint(planning.sprint_id)
    }

    /// The rules broken by the plan as it stands.
    pub fn planning_warnings(&self) -> Vec<Warning> {
        let (Some(planning), Some(sprint), Some(board)) = (self.planning(), self.planned_sprint(), &self.board) else {
            return Vec::new();
        };
        let mut warnings = planning_warnings(sprint, &board.sprints, planning.split(), board.quarter.overlap);
        // M10 where the mistake is made: a KR's title planned as an item.
        let copies: Vec<(&crate::domain::ItemRow, &crate::domain::KeyResult)> = planning
            .sprint_items
            .iter()
            .filter_map(|item| Some((item, crate::domain::copied_kr(&item.title, board.key_results())?)))
            .collect();
        if let Some((item, kr)) = copies.first() {
            let more = if copies.len() > 1 { format!(" (and {} more)", copies.len() - 1) } else { String::new() };
            let text = format!(
                "{} copies {}'s title{more}: a KR is an outcome, not a task; name the work that moves it (M10).",
                crate::domain::codes::item(item.id),
                kr.code
            );
            warnings.push(Warning { rule: "M10", text });
        }
        if sprint.state == crate::domain::SprintState::Closed {
            // Advice, not a block: the review of a closed sprint reads its
            // frozen record, which moving items now does not change.
            let text = format!("Sprint {} is closed: load and split are its frozen record's, whatever moves now.", sprint.number);
            warnings.insert(0, Warning { rule: "closed", text });
        }
        warnings
    }

    /// `p`: plans the sprint selected in the timeline, on a screen of its
    /// own pushed on the stack (`Esc` goes back to the board).
    pub(super) fn open_planning(&mut self) -> anyhow::Result<()> {
        let Some(sprint) = self.board.as_ref().and_then(|board| board.sprints.get(self.sprint_selected)) else {
            return Ok(());
        };
        let sprint_id = sprint.id;
        let (candidates, candidate_total) = self.store.planning_candidates(sprint_id, CANDIDATE_LIMIT)?;
        let sprint_items = self.store.sprint_items(sprint_id)?;
        let frozen_split = self.store.frozen_split(sprint_id)?;
        let forecasts = self.kr_forecasts(sprint_id)?;
        // One planning screen at a time: another sprint's takes its place.
        self.close_planning();
        self.overlays.push(Overlay::Planning(Box::new(Planning {
            sprint_id,
            candidates,
            candidate_total,
            sprint_items,
            frozen_split,
            forecasts,
            side: Side::Candidates,
            candidate_cursor: 0,
            sprint_cursor: 0,
        })));
        Ok(())
    }

    pub(super) fn close_planning(&mut self) {
        self.overlays.retain(|overlay| !matches!(overlay, Overlay::Planning(_)));
    }

    pub(super) fn switch_planning_side(&mut self) {
        if let Some(planning) = self.planning_mut() {
            planning.side = match planning.side {
                Side::Candidates => Side::Sprint,
                Side::Sprint => Side::Candidates,
            };
        }
    }

    /// `Space`: the selected candidate into the sprint, or the selected
    /// sprint item back out.
    pub(super) fn toggle_in_sprint(&mut self) -> anyhow::Result<()> {
        let Some(planning) = self.planning() else { return Ok(()) };
        let number = self.planned_sprint().map_or(0, |sprint| sprint.number);
        let (item, into) = match planning.side {
            Side::Candidates => (planning.candidates.get(planning.candidate_cursor).map(|(item, _)| item), true),
            Side::Sprint => (planning.sprint_items.get(planning.sprint_cursor), false),
        };
        let Some(item) = item else { return Ok(()) };
        let (id, title) = (item.id, quoted(&item.title));
        let label =
            if into { format!("Moved {title} to Sprint {number}") } else { format!("Took {title} out of Sprint {number}") };
        let sprint = into.then_some(SprintId(planning.sprint_id));
        // One item changed lists: move it across instead of ranking every
        // candidate again (that read grows with the backlog).
        self.run_command(Command::Move { item: ItemId(id), sprint }, FollowUp::saying(Refresh::Everything, label.clone()))?;
        self.move_across(into, number);
        self.status = Some(Status { text: label, is_error: false });
        Ok(())
    }

    /// Moves the selected row to the other list, in its place there.
    fn move_across(&mut self, into: bool, number: u32) {
        let Some(planning) = super::planning_in(&mut self.overlays) else { return };
        if into {
            let (mut item, _) = planning.candidates.remove(planning.candidate_cursor);
            planning.candidate_total = planning.candidate_total.saturating_sub(1);
            item.sprint_number = Some(number);
            let at = planning.sprint_items.partition_point(|other| (other.rank, other.id) < (item.rank, item.id));
            planning.sprint_items.insert(at, item);
        } else {
            let mut item = planning.sprint_items.remove(planning.sprint_cursor);
            item.sprint_number = None;
            // Done items are not candidates.
            if item.state != ItemState::Done {
                let sprint = self.board.as_ref().and_then(|board| board.sprint(planning.sprint_id));
                let kr_ids: Vec<Id> = self
                    .board
                    .iter()
                    .flat_map(|board| board.key_results())
                    .filter(|kr| item.kr_codes.contains(&kr.code))
                    .map(|kr| kr.id)
                    .collect();
                let score = sprint.map_or(0, |sprint| relevance(&kr_ids, sprint));
                let key =
                    |(other, other_score): &(ItemRow, u32)| candidate_order(*other_score, other.okr_work, other.rank, other.id);
                let at = planning
                    .candidates
                    .partition_point(|entry| key(entry) < candidate_order(score, item.okr_work, item.rank, item.id));
                planning.candidates.insert(at, (item, score));
                planning.candidate_total += 1;
            }
        }
        planning.candidate_cursor = planning.candidate_cursor.min(planning.candidates.len().saturating_sub(1));
        planning.sprint_cursor = planning.sprint_cursor.min(planning.sprint_items.len().saturating_sub(1));
    }

    /// Reads the board and both lists again after a change.
    pub(super) fn refresh_planning(&mut self) -> anyhow::Result<()> {
        self.reload()?;
        self.refresh_planning_lists()
    }

    /// Planning's two lists read again (the board itself is already fresh).
    pub(super) fn refresh_planning_lists(&mut self) -> anyhow::Result<()> {
        let Some(sprint_id) = self.planning().map(|planning| planning.sprint_id) else { return Ok(()) };
        let forecasts = self.kr_forecasts(sprint_id)?;
        let Some(planning) = super::planning_in(&mut self.overlays) else { return Ok(()) };
        planning.forecasts = forecasts;
        let (candidates, total) = self.store.planning_candidates(planning.sprint_id, CANDIDATE_LIMIT)?;
        planning.candidates = candidates;
        planning.candidate_total = total;
        planning.sprint_items = self.store.sprint_items(planning.sprint_id)?;
        planning.frozen_split = self.store.frozen_split(planning.sprint_id)?;
        planning.candidate_cursor = planning.candidate_cursor.min(planning.candidates.len().saturating_sub(1));
        planning.sprint_cursor = planning.sprint_cursor.min(planning.sprint_items.len().saturating_sub(1));
        Ok(())
    }

    /// The forecast of each KR sprint `sprint_id`'s goal serves.
    fn kr_forecasts(&self, sprint_id: Id) -> anyhow::Result<Vec<(Id, Forecast)>> {
        let Some(sprint) = self.board.as_ref().and_then(|board| board.sprint(sprint_id)) else { return Ok(Vec::new()) };
        let served: Vec<Id> = sprint.krs.iter().map(|link| link.key_result_id).collect();
        let forecasts = self.store.kr_forecasts(&served)?;
        Ok(served.into_iter().zip(forecasts).collect())
    }
}
