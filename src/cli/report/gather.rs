//! What a report holds, worked out once from the board read-only: the
//! review's output and outcome through `app::review::Review` (as `review`
//! and the board's `r` screen), the charts' series through
//! `ChartsScreen::compute` (`R`), the rules through `health::check` (`H`),
//! each KR's pace and expected value through `domain::okr` and
//! `check_ins::expected_value` (the OKR pane). Nothing is counted here.

use chrono::NaiveDate;

use super::super::{
    list::board_on,
    review::{board_review, sprint_on},
};
use crate::{
    app::charts::ChartsScreen,
    domain::{
        Board, Pace, Sprint, SprintState, check_ins, codes,
        forecast::Forecast,
        health,
        health::RuleState,
        kr_progress, pace,
        planning::Split,
        retro::RetroNote,
        review::{KrMove, Output, RecordItem},
    },
    store::{DeferredItem, Store},
};

/// Which report this is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportKind {
    /// One sprint's review: its code.
    Review(String),
    Quarter,
}

/// Everything a report shows, in the order it shows it.
#[derive(Debug, Clone)]
pub struct Report {
    pub kind: ReportKind,
    pub quarter: String,
    /// The quarter's first day: the charts' day 0.
    pub quarter_start: NaiveDate,
    /// The day the report reads the board on (`--today` or the clock).
    pub today: NaiveDate,
    /// Each KR with its progress against its expected line.
    pub krs: Vec<KrLine>,
    /// The burn-up, velocity, OKR/BAU split and KR series, as `R` shows them.
    pub charts: ChartsScreen,
    pub health: Vec<RuleState>,
    /// The reviewed sprint, or every started sprint of the quarter in order.
    pub sprints: Vec<SprintSection>,
    /// Open backlog items that say why they wait, and how many there are.
    pub deferred: Vec<DeferredItem>,
}

impl Report {
    /// The page's heading: "Sprint review S3, 2027-Q1" or "Quarter report, 2027-Q1".
    pub fn title(&self) -> String {
        match &self.kind {
            ReportKind::Review(code) => format!("Sprint review {code}, {}", self.quarter),
            ReportKind::Quarter => format!("Quarter report, {}", self.quarter),
        }
    }
}

/// One KR as the quarter stands on the report's day.
#[derive(Debug, Clone, PartialEq)]
pub struct KrLine {
    pub code: String,
    pub title: String,
    pub unit: String,
    pub start: f64,
    pub target: f64,
    pub current: f64,
    /// Where a KR on pace would be today: the expected line's value.
    pub expected: f64,
    /// `(current - start) / (target - start)`; `None` when not measurable.
    pub progress: Option<f64>,
    pub pace: Pace,
    pub confidence: u8,
    /// When its open items are likely done (`report quarter` only: a
    /// sprint's review is about what happened).
    pub forecast: Option<Forecast>,
}

/// One KR in a sprint's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeLine {
    pub code: String,
    pub title: String,
    pub served: bool,
    pub movement: KrMove,
    pub pace: Pace,
    pub confidence: u8,
}

/// One sprint's review: what it delivered and what it moved.
#[derive(Debug, Clone)]
pub struct SprintSection {
    pub code: String,
    pub state: SprintState,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub goal: String,
    pub verdict: &'static str,
    pub output: Output,
    pub split: Split,
    pub outcome: Vec<OutcomeLine>,
    /// M11: high output, low outcome.
    pub high_output_low_outcome: bool,
    pub items: Vec<RecordItem>,
    pub retro: Vec<RetroNote>,
}

/// `report review SPRINT`.
pub fn review(store: &Store, sprint: &str, quarter: Option<&str>, today: NaiveDate) -> anyhow::Result<Report> {
    let (board, sprint, _) = sprint_on(store, sprint, quarter)?;
    let section = sprint_section(store, &board, &sprint, today)?;
    quarter_parts(store, &board, ReportKind::Review(section.code.clone()), vec![section], today)
}

/// `report quarter`: every sprint that has started, in order.
pub fn quarter(store: &Store, quarter: Option<&str>, today: NaiveDate) -> anyhow::Result<Report> {
    let board = board_on(store, quarter)?;
    let sections = board
        .sprints
        .iter()
        .filter(|sprint| sprint.state != SprintState::Planned)
        .map(|sprint| sprint_section(store, &board, sprint, today))
        .collect::<anyhow::Result<Vec<_>>>()?;
    quarter_parts(store, &board, ReportKind::Quarter, sections, today)
}

fn quarter_parts(
    store: &Store,
    board: &Board,
    kind: ReportKind,
    sprints: Vec<SprintSection>,
    today: NaiveDate,
) -> anyhow::Result<Report> {
    let facts = store.chart_facts(board.quarter.id)?;
    let health_facts = store.health_facts(board.quarter.id)?;
    let elapsed = board.elapsed(today);
    // A sprint's review is about what happened: only the quarter forecasts.
    let ids: Vec<_> = board.key_results().map(|kr| kr.id).collect();
    let forecasts = if kind == ReportKind::Quarter { store.kr_forecasts(&ids)? } else { Vec::new() };
    let mut forecasts = forecasts.into_iter();
    let krs = board
        .key_results()
        .map(|kr| {
            let progress = kr_progress(kr.start, kr.target, kr.current);
            KrLine {
                code: kr.code.clone(),
                title: kr.title.clone(),
                unit: kr.unit.clone(),
                start: kr.start,
                target: kr.target,
                current: kr.current,
                expected: check_ins::expected_value(kr.start, kr.target, elapsed),
                progress,
                pace: pace(progress, elapsed),
                confidence: kr.confidence,
                forecast: forecasts.next(),
            }
        })
        .collect();
    Ok(Report {
        kind,
        quarter: board.quarter.label.clone(),
        quarter_start: board.quarter.start,
        today,
        krs,
        charts: ChartsScreen::compute(board, &facts, today),
        health: health::check(board, today, &health_facts.as_facts()),
        sprints,
        deferred: store.deferred_items(usize::MAX)?.0,
    })
}

/// A sprint's review as the board's `r` screen builds it.
fn sprint_section(store: &Store, board: &Board, sprint: &Sprint, today: NaiveDate) -> anyhow::Result<SprintSection> {
    let review = board_review(store, sprint.id)?;
    let rows = review.outcome(board, sprint, today);
    let high_output_low_outcome = review.high_output_low_outcome(&rows);
    let outcome = rows
        .iter()
        .map(|row| OutcomeLine {
            code: row.kr.code.clone(),
            title: row.kr.title.clone(),
            served: row.served,
            movement: row.movement,
            pace: row.pace,
            confidence: row.confidence,
        })
        .collect();
    Ok(SprintSection {
        code: codes::sprint(sprint.number),
        state: sprint.state,
        start: sprint.start,
        end: sprint.end,
        goal: sprint.goal.clone(),
        verdict: sprint.verdict.word(),
        output: review.output(),
        split: review.planned_split(board),
        outcome,
        high_output_low_outcome,
        items: review.record.items,
        retro: store.retro_notes(sprint.id)?,
    })
}
