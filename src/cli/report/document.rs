//! A report as a list of blocks (headings, fields, tables, charts), built
//! once from the gathered figures, so the Markdown and the HTML say the
//! same things in the same order and only their markup differs.

use chrono::{Days, NaiveDate};

use super::gather::{KrLine, Report, ReportKind, SprintSection};
use crate::{
    app::charts::KrChart,
    domain::{
        charts::{BurnUp, Series, SprintFigures},
        codes,
        health::RULES,
        retro::RetroList,
        review::{self, Stage, Tally},
    },
    format::{number, whole_percent},
    ui::text::with_unit,
};

/// A table: a caption, its column names and rows of cells (raw text: each
/// writer escapes it).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub(super) fn new(caption: impl Into<String>, header: &[&str]) -> Self {
        Self { caption: caption.into(), header: header.iter().map(|&name| name.to_owned()).collect(), rows: Vec::new() }
    }

    pub(super) fn row(mut self, cells: Vec<String>) -> Self {
        self.rows.push(cells);
        self
    }
}

/// A chart: what the HTML draws, with the table that says the same in text.
#[derive(Debug, Clone, PartialEq)]
pub enum Drawing {
    /// Scope and done points over the quarter's days.
    BurnUp(BurnUp),
    /// Committed and done points per sprint.
    Velocity(Vec<SprintFigures>),
    /// OKR and BAU points per sprint.
    Split(Vec<SprintFigures>),
    /// A KR's check-ins and its expected line.
    KeyResult(KrChart),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Its heading: "Burn-up", "KR1.1: Checkout conversion".
    pub title: String,
    pub drawing: Drawing,
    /// The x axis's first and last labels (a line chart's dates).
    pub axis: (String, String),
    /// The chart's figures: its text equivalent.
    pub table: Table,
}

/// One piece of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading of level 1-4.
    Heading(u8, String),
    /// A label and its value on one line: "Goal: ...".
    Field(&'static str, String),
    /// The heading of a short list: "Went well".
    ListHeading(&'static str),
    Text(String),
    /// A warning of the method (M11, a rule that breaks).
    Warning(String),
    List(Vec<String>),
    Table(Table),
    Chart(Box<Chart>),
}

/// The report's blocks, the page's title first.
pub fn blocks(report: &Report) -> Vec<Block> {
    let mut blocks =
        vec![Block::Heading(1, report.title()), Block::Text(format!("Read from the board on {} by quarterdeck.", report.today))];
    let review = matches!(report.kind, ReportKind::Review(_));
    if review {
        for sprint in &report.sprints {
            sprint_blocks(&mut blocks, sprint, 2);
        }
    }
    if !review {
        // The quarter at a glance first: the burn-up, velocity and split.
        charts(&mut blocks, report);
    }
    key_results(&mut blocks, report);
    if review {
        charts(&mut blocks, report);
    }
    health(&mut blocks, report);
    deferred(&mut blocks, report);
    if !review {
        blocks.push(Block::Heading(2, "Sprint reviews".into()));
        if report.sprints.is_empty() {
            blocks.push(Block::Text("No sprint has started yet.".into()));
        }
        for sprint in &report.sprints {
            sprint_blocks(&mut blocks, sprint, 3);
        }
    }
    blocks
}

fn percent(share: f64) -> String {
    format!("{} %", whole_percent(share))
}

fn tally(name: &str, tally: Tally) -> Vec<String> {
    vec![name.to_owned(), tally.items.to_string(), tally.points.to_string()]
}

/// A sprint's review: output, outcome, its items and its retro notes.
fn sprint_blocks(blocks: &mut Vec<Block>, sprint: &SprintSection, level: u8) {
    blocks
        .push(Block::Heading(level, format!("{}: {} to {} ({})", sprint.code, sprint.start, sprint.end, sprint.state.as_str())));
    blocks.push(Block::Field("Goal", if sprint.goal.is_empty() { "-".into() } else { sprint.goal.clone() }));
    blocks.push(Block::Field("Verdict", sprint.verdict.to_owned()));
    blocks.push(Block::Heading(level + 1, "Output: what was delivered".into()));
    let stage = Stage::of(sprint.state);
    if stage == Stage::NotStarted {
        blocks.push(Block::Text(review::NOT_STARTED.into()));
    }
    let mut table = Table::new(format!("{}'s output", sprint.code), &["Output", "Items", "Points"]);
    for row in review::output_rows(&sprint.output, stage) {
        table = table.row(tally(row.words, row.tally));
    }
    blocks.push(Block::Table(table));
    blocks.push(Block::Field("Planned split (M4)", sprint.split.describe()));
    blocks.push(Block::Heading(level + 1, "Outcome: impact on key results".into()));
    if sprint.outcome.is_empty() {
        blocks.push(Block::Text("The sprint served no KR and delivered on none.".into()));
    } else {
        let mut table = Table::new(
            format!("How {}'s key results moved", sprint.code),
            &["KR", "Title", "How", "At start", "At end", "Target", "Made", "Pace", "Confidence"],
        );
        for line in &sprint.outcome {
            table = table.row(vec![
                line.code.clone(),
                line.title.clone(),
                if line.served { "served".into() } else { "delivered on".into() },
                number(line.movement.at_sprint_start),
                number(line.movement.at_sprint_end),
                number(line.movement.target),
                line.movement.progress_made().map_or_else(|| "-".into(), review::made_words),
                line.pace.word().to_owned(),
                format!("{} %", line.confidence),
            ]);
        }
        blocks.push(Block::Table(table));
    }
    if sprint.high_output_low_outcome {
        blocks.push(Block::Warning(
            "M11: high output, low outcome: the sprint delivered its points while none of its KRs moved.".into(),
        ));
    }
    blocks.push(Block::Heading(level + 1, "Items".into()));
    if sprint.items.is_empty() {
        blocks.push(Block::Text("The sprint held no item.".into()));
    } else {
        let mut table = Table::new(format!("{}'s items", sprint.code), &["Item", "Outcome", "Planned", "Points", "Title"]);
        for item in &sprint.items {
            table = table.row(vec![
                codes::item(item.item_id),
                review::outcome_word(item.outcome, stage).to_owned(),
                review::planned_word(item.committed, stage).to_owned(),
                item.points.to_string(),
                item.title.clone(),
            ]);
        }
        blocks.push(Block::Table(table));
    }
    blocks.push(Block::Heading(level + 1, "Retro notes".into()));
    if sprint.retro.is_empty() {
        blocks.push(Block::Text("No retro notes.".into()));
    }
    for list in RetroList::ALL {
        let notes: Vec<String> = sprint.retro.iter().filter(|note| note.list == list).map(|note| note.text.clone()).collect();
        if !notes.is_empty() {
            blocks.push(Block::ListHeading(list.heading()));
            blocks.push(Block::List(notes));
        }
    }
}

/// Each KR against its expected line, then (quarter report) a section per KR.
fn key_results(blocks: &mut Vec<Block>, report: &Report) {
    blocks.push(Block::Heading(2, "Key results against their expected line".into()));
    if report.krs.is_empty() {
        blocks.push(Block::Text("The quarter has no key result yet.".into()));
        return;
    }
    let mut table = Table::new(
        format!("Key results on {}", report.today),
        &["KR", "Title", "Start", "Now", "Expected today", "Target", "Progress", "Pace", "Confidence"],
    );
    for kr in &report.krs {
        table = table.row(vec![
            kr.code.clone(),
            kr.title.clone(),
            with_unit(kr.start, &kr.unit),
            with_unit(kr.current, &kr.unit),
            with_unit(kr.expected, &kr.unit),
            with_unit(kr.target, &kr.unit),
            kr.progress.map_or_else(|| "-".into(), percent),
            kr.pace.word().to_owned(),
            format!("{} %", kr.confidence),
        ]);
    }
    blocks.push(Block::Table(table));
    if report.kind == ReportKind::Quarter {
        for (kr, chart) in report.krs.iter().zip(&report.charts.krs) {
            kr_section(blocks, kr, chart, report.quarter_start);
        }
    }
}

/// The quarter report's section of one KR: its chart against the expected
/// line, then when its open work is likely done (the board's forecast).
fn kr_section(blocks: &mut Vec<Block>, kr: &KrLine, chart: &KrChart, quarter_start: NaiveDate) {
    blocks.push(Block::Chart(Box::new(kr_chart(chart, &kr.title, quarter_start))));
    if let Some(forecast) = &kr.forecast {
        blocks.push(Block::Field("Forecast", forecast.summary()));
    }
}

fn day_date(quarter_start: NaiveDate, day: f64) -> String {
    // Days are whole and within the quarter (`charts::day_of`).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let days = day.max(0.0) as u64;
    quarter_start.checked_add_days(Days::new(days)).map_or_else(|| format!("day {days}"), |date| date.to_string())
}

fn kr_chart(chart: &KrChart, title: &str, quarter_start: NaiveDate) -> Chart {
    let expected = |x: f64| value_at_line(&chart.series.expected, x);
    let mut table = Table::new(format!("{} against its expected line", chart.code), &["Date", "Value", "Expected that day"]);
    // One row a day: the line may hold the start and a check-in on day 0,
    // or two check-ins on one day; the day's last value is what it read.
    let actual = &chart.series.actual;
    let last_of_each_day = actual.iter().enumerate().filter(|(at, (x, _))| actual.get(at + 1).is_none_or(|(next, _)| next != x));
    for (_, (x, y)) in last_of_each_day {
        table = table.row(vec![
            day_date(quarter_start, *x),
            with_unit(*y, &chart.unit),
            expected(*x).map_or_else(|| "-".into(), |value| with_unit(value, &chart.unit)),
        ]);
    }
    let days = chart.series.expected.last().map_or(0.0, |(x, _)| *x);
    Chart {
        title: format!("{}: {title}", chart.code),
        drawing: Drawing::KeyResult(chart.clone()),
        axis: (day_date(quarter_start, 0.0), day_date(quarter_start, days)),
        table,
    }
}

/// The expected line's value at `x`: it is straight between its points.
fn value_at_line(line: &Series, x: f64) -> Option<f64> {
    line.windows(2).find(|pair| pair[0].0 <= x && x <= pair[1].0).map(|pair| {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        if x1 > x0 { y0 + (y1 - y0) * (x - x0) / (x1 - x0) } else { y1 }
    })
}

/// The last value a step line has reached by `x`.
fn step_value_at(line: &Series, x: f64) -> f64 {
    line.iter().take_while(|(at, _)| *at <= x).last().map_or(0.0, |(_, y)| *y)
}

fn charts(blocks: &mut Vec<Block>, report: &Report) {
    let charts = &report.charts;
    blocks.push(Block::Heading(2, "Charts".into()));
    let mut days: Vec<f64> = charts.burn_up.scope.iter().chain(&charts.burn_up.done).map(|(x, _)| *x).collect();
    days.sort_by(f64::total_cmp);
    days.dedup();
    let mut table = Table::new("Burn-up: scope and done points", &["Date", "Scope (pts)", "Done (pts)"]);
    for day in days {
        table = table.row(vec![
            day_date(report.quarter_start, day),
            number(step_value_at(&charts.burn_up.scope, day)),
            number(step_value_at(&charts.burn_up.done, day)),
        ]);
    }
    blocks.push(Block::Chart(Box::new(Chart {
        title: "Burn-up".into(),
        drawing: Drawing::BurnUp(charts.burn_up.clone()),
        axis: (day_date(report.quarter_start, 0.0), day_date(report.quarter_start, charts.burn_up.days)),
        table,
    })));
    let mut table = Table::new(
        "Velocity: points committed (planned, for a sprint not started) and done per sprint",
        &["Sprint", "Committed", "Done"],
    );
    for sprint in &charts.sprints {
        table = table.row(vec![codes::sprint(sprint.number), sprint.committed.describe(), sprint.done.to_string()]);
    }
    blocks.push(Block::Chart(Box::new(Chart {
        title: "Velocity".into(),
        drawing: Drawing::Velocity(charts.sprints.clone()),
        axis: Default::default(),
        table,
    })));
    let mut table =
        Table::new("Planned points per sprint, OKR and BAU (M4: 60-70 % OKR)", &["Sprint", "OKR pts", "BAU pts", "OKR share"]);
    for sprint in &charts.sprints {
        table = table.row(vec![
            codes::sprint(sprint.number),
            sprint.split.okr_points.to_string(),
            sprint.split.bau_points.to_string(),
            sprint.split.okr_share().map_or_else(|| "-".into(), percent),
        ]);
    }
    blocks.push(Block::Chart(Box::new(Chart {
        title: "OKR/BAU split (M4)".into(),
        drawing: Drawing::Split(charts.sprints.clone()),
        axis: Default::default(),
        table,
    })));
    if report.kind != ReportKind::Quarter {
        // The quarter report draws each KR in its own section.
        for chart in &charts.krs {
            blocks.push(Block::Chart(Box::new(kr_chart(chart, &chart.title, report.quarter_start))));
        }
    }
}

fn health(blocks: &mut Vec<Block>, report: &Report) {
    blocks.push(Block::Heading(2, "Health".into()));
    let holding = report.health.iter().filter(|rule| rule.is_ok()).count();
    blocks.push(Block::Text(format!("{holding} of {} rules hold on {}.", RULES.len(), report.today)));
    let mut table = Table::new("Rules that warn", &["Rule", "Says", "Object", "Why"]);
    for rule in report.health.iter().filter(|rule| !rule.is_ok()) {
        for breach in &rule.breaches {
            table = table.row(vec![rule.rule.to_owned(), rule.statement.to_owned(), breach.code.clone(), breach.why.clone()]);
        }
    }
    if !table.rows.is_empty() {
        blocks.push(Block::Table(table));
    }
}

fn deferred(blocks: &mut Vec<Block>, report: &Report) {
    blocks.push(Block::Heading(2, "Deferred items".into()));
    if report.deferred.is_empty() {
        blocks.push(Block::Text("No open item says why it waits.".into()));
        return;
    }
    let mut table = Table::new("Open items that wait, and why", &["Item", "Title", "Why it waits"]);
    for item in &report.deferred {
        table = table.row(vec![codes::item(item.id), item.title.clone(), item.reason.clone()]);
    }
    blocks.push(Block::Table(table));
}
