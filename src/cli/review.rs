//! `quarterdeck review S3`: a sprint's review, output and outcome, as text
//! or one JSON object (docs/cli.md, "review"). Every figure comes from the
//! board's own review (`app::review::Review` over `domain::review`), never
//! from a second sum.

use std::io::Write;

use anyhow::bail;
use chrono::NaiveDate;

use super::{
    list::board_on,
    output::{JsonObject, write_table},
};
use crate::{
    app::review::Review,
    domain::{
        Board, Sprint, codes,
        ids::QuarterId,
        review::{self, Stage, Tally},
    },
    store::{Resolved, Store},
};

/// The board of the quarter sprint `text` (S3, 2026-Q4:S3, an id) is in,
/// that sprint and its stable id; an error naming `text` when it is no sprint.
pub fn sprint_on(store: &Store, text: &str, quarter: Option<&str>) -> anyhow::Result<(Board, Sprint, String)> {
    let board = board_on(store, quarter)?;
    let found = store.resolve(text, Some(QuarterId(board.quarter.id))).map_err(|error| anyhow::anyhow!("{text}: {error}"))?;
    let Resolved::Sprint(sprint_id) = found.object else {
        bail!("{text}: that is {}, not a sprint; write one as S3 or 2026-Q4:S3", found.name);
    };
    let board = match &found.quarter {
        Some((id, label)) if id.0 != board.quarter.id => board_on(store, Some(label))?,
        _ => board,
    };
    let Some(sprint) = board.sprints.iter().find(|sprint| sprint.id == sprint_id.0).cloned() else {
        bail!("{text}: the sprint is not on the board any more");
    };
    Ok((board, sprint, found.uid))
}

/// The board's review of sprint `id`, built as `r` builds it, for its
/// figures (the notes and deferred items are the screen's, not figures).
pub fn board_review(store: &Store, id: crate::domain::Id) -> anyhow::Result<Review> {
    Ok(Review {
        sprint_id: id,
        record: store.sprint_record(id)?,
        scroll: 0,
        notes: Vec::new(),
        note_cursor: 0,
        deferred: (Vec::new(), 0),
    })
}

pub fn run(
    store: &Store,
    text: &str,
    quarter: Option<&str>,
    today: NaiveDate,
    json: bool,
    mut out: impl Write,
) -> anyhow::Result<()> {
    let (board, sprint, uid) = sprint_on(store, text, quarter)?;
    let sprint = &sprint;
    let review = board_review(store, sprint.id)?;
    let output = review.output();
    let outcome = review.outcome(&board, sprint, today);
    let split = review.planned_split(&board);
    let flagged = review.high_output_low_outcome(&outcome);
    let stage = Stage::of(sprint.state);
    let rows = review::output_rows(&output, stage);
    let code = codes::sprint(sprint.number);
    if json {
        let tally = |tally: Tally| JsonObject::new().number("items", tally.items).number("points", tally.points).finish();
        // Every documented field always: one a line of the output doesn't
        // show at this stage (`added` before the start, `carried` before
        // the close; `planned`, `open` after them) is zero.
        let mut figures = JsonObject::new();
        for key in ["committed", "committed_done", "added", "removed", "done", "carried", "held", "planned", "open"] {
            let value = rows.iter().find(|row| row.key == key).map_or_else(Tally::default, |row| row.tally);
            figures = figures.raw(key, &tally(value));
        }
        let krs: Vec<String> = outcome
            .iter()
            .map(|row| {
                // `+ 0.0`: no `-0` for a KR that did not move.
                let made = row.movement.progress_made();
                JsonObject::new()
                    .string("kr", &row.kr.code)
                    .boolean("served", row.served)
                    .number("at_sprint_start", row.movement.at_sprint_start)
                    .number("at_sprint_end", row.movement.at_sprint_end)
                    .number("target", row.movement.target)
                    .raw("progress_made", &made.map_or_else(|| "null".to_owned(), |made| (made + 0.0).to_string()))
                    .boolean("moved", row.movement.moved())
                    .string("pace", row.pace.word())
                    .number("confidence", row.confidence)
                    .finish()
            })
            .collect();
        let items: Vec<String> = review
            .record
            .items
            .iter()
            .map(|item| {
                JsonObject::new()
                    .string("ref", &codes::item(item.item_id))
                    .string("title", &item.title)
                    .number("points", item.points)
                    .boolean("committed", item.committed)
                    .string("outcome", review::outcome_word(item.outcome, stage))
                    .finish()
            })
            .collect();
        let object = JsonObject::new()
            .string("sprint", &code)
            .string("id", &uid)
            .string("quarter", &board.quarter.label)
            .string("state", sprint.state.as_str())
            .string("goal", &sprint.goal)
            .string("verdict", sprint.verdict.as_str())
            .boolean("frozen", review.record.frozen)
            .raw("output", &figures.finish())
            .raw(
                "split",
                &JsonObject::new().number("okr_points", split.okr_points).number("bau_points", split.bau_points).finish(),
            )
            .raw("outcome", &format!("[{}]", krs.join(", ")))
            .boolean("high_output_low_outcome", flagged)
            .raw("items", &format!("[{}]", items.join(", ")))
            .finish();
        writeln!(out, "{object}")?;
        return Ok(out.flush()?);
    }
    let goal = if sprint.goal.is_empty() { "-".into() } else { crate::ui::text::clean(&sprint.goal).into_owned() };
    writeln!(out, "Review of {code} in {} ({}, {} to {})", board.quarter.label, sprint.state.as_str(), sprint.start, sprint.end)?;
    writeln!(out, "Goal: {goal}")?;
    writeln!(out, "Verdict: {}", sprint.verdict.word())?;
    writeln!(out)?;
    if stage == Stage::NotStarted {
        writeln!(out, "{}", review::NOT_STARTED)?;
    }
    let rows: Vec<Vec<String>> =
        rows.iter().map(|row| vec![row.words.to_owned(), row.tally.items.to_string(), row.tally.points.to_string()]).collect();
    write_table(&mut out, &["OUTPUT", "ITEMS", "POINTS"], &rows)?;
    writeln!(out, "OKR work {} pts, BAU {} pts", split.okr_points, split.bau_points)?;
    writeln!(out)?;
    let rows: Vec<Vec<String>> = outcome
        .iter()
        .map(|row| {
            vec![
                row.kr.code.clone(),
                if row.served { "served".into() } else { "delivered on".into() },
                crate::format::number(row.movement.at_sprint_start),
                crate::format::number(row.movement.at_sprint_end),
                crate::format::number(row.movement.target),
                row.movement.progress_made().map_or_else(|| "-".into(), review::made_words),
                row.pace.word().to_owned(),
                format!("{}%", row.confidence),
            ]
        })
        .collect();
    write_table(&mut out, &["OUTCOME", "HOW", "START", "END", "TARGET", "MADE", "PACE", "CONFIDENCE"], &rows)?;
    if flagged {
        writeln!(out, "M11: high output, low outcome: it delivered its points while none of its KRs moved")?;
    }
    writeln!(out)?;
    let rows: Vec<Vec<String>> = review
        .record
        .items
        .iter()
        .map(|item| {
            vec![
                codes::item(item.item_id),
                review::outcome_word(item.outcome, stage).to_owned(),
                review::planned_word(item.committed, stage).to_owned(),
                item.points.to_string(),
                item.title.clone(),
            ]
        })
        .collect();
    write_table(&mut out, &["ITEM", "OUTCOME", "PLANNED", "POINTS", "TITLE"], &rows)?;
    Ok(out.flush()?)
}
