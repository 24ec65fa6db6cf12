//! The charts screen (`R`): the burn-up, velocity, the OKR/BAU split and
//! each KR against its expected line, one chart at a time (`←` `→`, `Tab`).
//! The series are worked out when the screen opens and on every reload
//! (`App::reload`), never per frame.

use super::{App, Overlay};
use crate::{
    domain::{
        Board,
        charts::{self, BurnUp, KrSeries, Series, SprintFigures},
    },
    store::ChartFacts,
};

/// One KR's chart: its code, title and unit, and its two lines.
#[derive(Debug, Clone, PartialEq)]
pub struct KrChart {
    pub code: String,
    pub title: String,
    pub unit: String,
    pub series: KrSeries,
}

/// Which chart is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartPage {
    BurnUp,
    Velocity,
    Split,
    /// The KR at this index of `ChartsScreen::krs`.
    KeyResult(usize),
}

/// The charts' series as last worked out, and the page on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartsScreen {
    pub sprints: Vec<SprintFigures>,
    pub burn_up: BurnUp,
    /// OKR share in per cent at x = the sprint's number.
    pub okr_shares: Series,
    pub krs: Vec<KrChart>,
    pub page: usize,
}

impl ChartsScreen {
    /// The three quarter charts, then one per KR.
    pub fn page_count(&self) -> usize {
        3 + self.krs.len()
    }

    pub fn current(&self) -> ChartPage {
        match self.page {
            0 => ChartPage::BurnUp,
            1 => ChartPage::Velocity,
            2 => ChartPage::Split,
            page => ChartPage::KeyResult(page - 3),
        }
    }

    /// The series for `board` with the store's sums, on `today`.
    pub fn compute(board: &Board, facts: &ChartFacts, today: chrono::NaiveDate) -> Self {
        let sprints: Vec<SprintFigures> = board
            .sprints
            .iter()
            .map(|sprint| {
                let split = facts.splits.iter().find(|(id, _)| *id == sprint.id).map(|(_, split)| *split).unwrap_or_default();
                let closed = facts.closed_outputs.iter().find(|(id, _)| *id == sprint.id).map(|(_, output)| output);
                let at_start = facts.commitments.iter().find(|(id, _)| *id == sprint.id).map(|(_, points)| *points);
                let committed = charts::commitment(closed.map(|output| output.committed.points), at_start, sprint.load);
                // A closed sprint's done points are its frozen record's.
                let done = closed.map_or(sprint.done_points, |output| output.done.points);
                // Each item once, in the first sprint that held it.
                let scope = facts.work.scope_of(sprint.id);
                SprintFigures { number: sprint.number, start: sprint.start, end: sprint.end, committed, done, scope, split }
            })
            .collect();
        let (start, end) = (board.quarter.start, board.end());
        let burn_up = charts::burn_up(start, end, &sprints, &facts.work.done_by_day, today);
        let okr_shares = charts::okr_shares(&sprints);
        let krs = board
            .key_results()
            .map(|kr| KrChart {
                code: kr.code.clone(),
                title: kr.title.clone(),
                unit: kr.unit.clone(),
                series: charts::kr_series(kr, start, end),
            })
            .collect();
        Self { sprints, burn_up, okr_shares, krs, page: 0 }
    }
}

impl App {
    /// The charts screen, when it is open.
    pub fn charts(&self) -> Option<&ChartsScreen> {
        self.overlays.iter().rev().find_map(|overlay| match overlay {
            Overlay::Charts(screen) => Some(&**screen),
            _ => None,
        })
    }

    pub(super) fn compute_charts(&self) -> anyhow::Result<Option<ChartsScreen>> {
        let Some(board) = &self.board else { return Ok(None) };
        let facts = self.store.chart_facts(board.quarter.id)?;
        Ok(Some(ChartsScreen::compute(board, &facts, self.today)))
    }

    pub(super) fn open_charts(&mut self) -> anyhow::Result<()> {
        if let Some(screen) = self.compute_charts()? {
            self.overlays.push(Overlay::Charts(Box::new(screen)));
        }
        Ok(())
    }

    /// Works the series out again after a reload, keeping the page (within
    /// the pages there are now). Nothing is read while the screen is shut.
    pub(super) fn refresh_charts(&mut self) -> anyhow::Result<()> {
        if self.charts().is_none() {
            return Ok(());
        }
        let fresh = self.compute_charts()?;
        for overlay in &mut self.overlays {
            if let (Overlay::Charts(screen), Some(fresh)) = (overlay, &fresh) {
                let page = screen.page.min(fresh.page_count() - 1);
                **screen = ChartsScreen { page, ..fresh.clone() };
            }
        }
        Ok(())
    }

    /// The next chart (`by` 1) or the previous (`by` -1), wrapping around.
    pub(super) fn turn_chart(&mut self, by: isize) {
        if let Some(Overlay::Charts(screen)) = self.overlays.last_mut() {
            let count = screen.page_count().cast_signed();
            screen.page = (screen.page.cast_signed() + by).rem_euclid(count).cast_unsigned();
        }
    }
}
