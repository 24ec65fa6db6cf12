//! `quarterdeck forecast KR`: when the KR's open work is likely done
//! (`domain::forecast`, read by `Store::forecast_facts`), as text or one
//! JSON object (docs/cli.md, "forecast").

use std::io::Write;

use anyhow::bail;

use super::{
    list::board_on,
    output::{JsonObject, write_lines},
};
use crate::{
    domain::{
        forecast::{Forecast, HISTORY_NEEDED, Landing},
        ids::QuarterId,
    },
    store::{ForecastFacts, Resolved, Store},
};

/// Prints the forecast of the KR `text` names, looked up in the quarter
/// `--quarter` names (else the one the board opens on).
pub fn run(store: &Store, text: &str, quarter: Option<&str>, json: bool, mut out: impl Write) -> anyhow::Result<()> {
    let board = board_on(store, quarter)?;
    let found = store.resolve(text, Some(QuarterId(board.quarter.id))).map_err(|error| anyhow::anyhow!("{text}: {error}"))?;
    let Resolved::KeyResult(id) = found.object else {
        bail!("{text}: that is {}, not a key result; forecast takes a KR, written as KR1.2", found.name);
    };
    let board = match &found.quarter {
        Some((quarter_id, label)) if quarter_id.0 != board.quarter.id => board_on(store, Some(label))?,
        _ => board,
    };
    let Some(kr) = board.objectives.iter().flat_map(|objective| &objective.key_results).find(|kr| kr.id == id.0) else {
        bail!("{text}: the key result is not on the board any more");
    };
    let facts = store.forecast_facts(id.0)?;
    let forecast = facts.forecast();
    if json {
        writeln!(out, "{}", json_object(&kr.code, &found.uid, &board.quarter.label, &facts, &forecast))?;
    } else {
        let mut text = format!("Forecast of {} in {}: {}\n", kr.code, board.quarter.label, kr.title);
        let count = |n: usize, one: &str, many: &str| crate::format::count(n as u64, one, many);
        text.push_str(&format!(
            "Open work: {}, {} ({} unestimated); history: {}\n",
            count(facts.open.items, "item", "items"),
            crate::format::count(facts.open.points, "point", "points"),
            facts.open.unestimated,
            count(facts.history.len(), "closed sprint", "closed sprints")
        ));
        text.push_str(&forecast.summary());
        write_lines(&mut out, &text)?;
    }
    Ok(out.flush()?)
}

/// The JSON shape docs/cli.md documents.
fn json_object(code: &str, uid: &str, quarter: &str, facts: &ForecastFacts, forecast: &Forecast) -> String {
    let (status, likely) = match forecast {
        Forecast::NoOpenWork => ("no_open_items", Vec::new()),
        Forecast::TooLittleHistory { .. } => ("too_little_history", Vec::new()),
        Forecast::NoThroughput { .. } => ("no_throughput", Vec::new()),
        Forecast::Likely { likely, .. } => (
            "forecast",
            likely
                .iter()
                .map(|likely| {
                    let (sprint, beyond) = match likely.landing {
                        Landing::InQuarter(number) => (Some(crate::domain::codes::sprint(number)), 0),
                        Landing::AfterQuarter { beyond, .. } => (None, beyond),
                        Landing::Never => (None, likely.sprints),
                    };
                    JsonObject::new()
                        .number("percent", likely.percent)
                        .optional("sprint", sprint.as_deref())
                        .number("after_quarter", beyond)
                        .number("sprints", likely.sprints)
                        .string("words", &likely.landing.words())
                        .finish()
                })
                .collect(),
        ),
    };
    let trials = match forecast {
        Forecast::Likely { trials, .. } => *trials,
        _ => 0,
    };
    JsonObject::new()
        .string("kr", code)
        .string("id", uid)
        .string("quarter", quarter)
        .string("status", status)
        .string("summary", &forecast.summary())
        .number("open_items", facts.open.items)
        .number("open_points", facts.open.points)
        .number("unestimated_items", facts.open.unestimated)
        .number("closed_sprints", facts.history.len())
        .number("sprints_needed", HISTORY_NEEDED)
        .number("trials", trials)
        .raw("likely", &format!("[{}]", likely.join(", ")))
        .finish()
}
