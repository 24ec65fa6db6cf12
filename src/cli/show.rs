//! `quarterdeck show REF`: one objective, key result, sprint or item, with
//! its fields, as `name  value` lines or one JSON object (docs/cli.md,
//! "show"). The fields are those `list` prints, and a few more.

use std::io::Write;

use anyhow::bail;

use super::{
    list::board_on,
    output::{Record, write_table},
};
use crate::{
    domain::{Board, ItemDetail, codes, ids::QuarterId},
    store::{Resolved, Store},
};

/// What `show` prints of the object `text` names, looked up in the quarter
/// `--quarter` names (else the one the board opens on).
pub fn run(store: &Store, text: &str, quarter: Option<&str>, json: bool, mut out: impl Write) -> anyhow::Result<()> {
    let board = board_on(store, quarter)?;
    let found = store.resolve(text, Some(QuarterId(board.quarter.id))).map_err(|error| anyhow::anyhow!("{text}: {error}"))?;
    // An object of another quarter is shown on that quarter's board.
    let board = match &found.quarter {
        Some((id, label)) if id.0 != board.quarter.id => board_on(store, Some(label))?,
        _ => board,
    };
    let (record, check_ins) = match found.object {
        Resolved::Item(id) => match store.item_detail(id.0)? {
            Some(detail) => {
                // A number given here since the last sync: `#47*` in text; in
                // JSON the ref stays one `resolve` reads, with `provisional`.
                let fixed_upto = store.sync_link_for_display()?.map(|(link, _)| link.numbers_fixed_upto);
                let provisional = fixed_upto.is_some_and(|fixed| detail.row.id > fixed);
                (item(&detail, &found.uid, provisional, json), None)
            }
            None => bail!("{text}: no such item"),
        },
        Resolved::Objective(id) => (objective(&board, id.0, &found.uid)?, None),
        Resolved::KeyResult(id) => key_result(store, &board, id.0, &found.uid)?,
        Resolved::Sprint(id) => (sprint(&board, id.0, &found.uid)?, None),
        _ => bail!(
            "{text}: that is {}; show prints an objective (O1), a key result (KR1.2), a sprint (S3) or an item (#42)",
            found.name
        ),
    };
    if json {
        writeln!(out, "{}", record.json())?;
    } else {
        record.write_plain(&mut out)?;
        if let Some(rows) = check_ins.filter(|rows: &Vec<Vec<String>>| !rows.is_empty()) {
            writeln!(out)?;
            write_table(&mut out, &["CHECK-IN", "VALUE", "CONFIDENCE", "NOTE"], &rows)?;
        }
    }
    Ok(out.flush()?)
}

fn item(detail: &ItemDetail, uid: &str, provisional: bool, json: bool) -> Record {
    let item = &detail.row;
    let sprint = item.sprint_number.map(|number| match &item.sprint_quarter {
        Some(quarter) => format!("{quarter}:{}", codes::sprint(number)),
        None => codes::sprint(number),
    });
    let shown = if json { codes::item(item.id) } else { codes::item_shown(item.id, provisional) };
    let record = Record::new().text("type", "item").text("ref", shown);
    let record = if json { record.number("provisional", provisional) } else { record };
    record
        .text("id", uid)
        .text("title", &item.title)
        .text("kind", item.kind.as_str())
        .number("points", item.points)
        .text("state", item.state.as_str())
        .optional("sprint", sprint)
        .list("krs", item.kr_codes.iter().map(|code| code.replacen(' ', ":", 1)).collect())
        .text("description", &detail.description)
        .optional("done_on", detail.done_on.map(|day| day.to_string()))
        .text("deferred_because", &detail.deferred_reason)
        .pairs(
            "external",
            detail.external.as_ref().map(|external| vec![("source", external.source.clone()), ("key", external.key.clone())]),
        )
}

fn objective(board: &Board, id: i64, uid: &str) -> anyhow::Result<Record> {
    let Some(objective) = board.objectives.iter().find(|objective| objective.id == id) else {
        bail!("the objective is not on the board any more");
    };
    let parent = objective.parent_id.and_then(|parent| board.objectives.iter().find(|other| other.id == parent));
    Ok(Record::new()
        .text("type", "objective")
        .text("ref", codes::objective(objective.number))
        .text("id", uid)
        .text("quarter", &board.quarter.label)
        .text("title", &objective.title)
        .text("owner", &objective.owner)
        .list("krs", objective.key_results.iter().map(|kr| kr.code.clone()).collect())
        .optional("aligns_to", parent.map(|parent| codes::objective(parent.number)))
        .text("aligns_to_note", &objective.parent_note))
}

/// A KR's fields, with its check-ins as rows for plain text (JSON counts
/// them), and its forecast in the words the board's KR details and
/// `report quarter` use (`Forecast::summary`).
fn key_result(store: &Store, board: &Board, id: i64, uid: &str) -> anyhow::Result<(Record, Option<Vec<Vec<String>>>)> {
    let Some((objective, kr)) = board
        .objectives
        .iter()
        .find_map(|objective| objective.key_results.iter().find(|kr| kr.id == id).map(|kr| (objective, kr)))
    else {
        bail!("the key result is not on the board any more");
    };
    let record = Record::new()
        .text("type", "key_result")
        .text("ref", &kr.code)
        .text("id", uid)
        .text("quarter", &board.quarter.label)
        .text("objective", codes::objective(objective.number))
        .text("title", &kr.title)
        .text("unit", &kr.unit)
        .number("start", kr.start)
        .number("current", kr.current)
        .number("target", kr.target)
        .number("confidence", kr.confidence)
        .text("owner", &kr.owner)
        .number("check_ins", kr.check_ins.len())
        .text("forecast", store.kr_forecast(id)?.summary());
    let rows = kr
        .check_ins
        .iter()
        .map(|check_in| {
            vec![
                check_in.date.to_string(),
                crate::format::number(check_in.value),
                format!("{}%", check_in.confidence),
                check_in.note.clone(),
            ]
        })
        .collect();
    Ok((record, Some(rows)))
}

fn sprint(board: &Board, id: i64, uid: &str) -> anyhow::Result<Record> {
    let Some(sprint) = board.sprints.iter().find(|sprint| sprint.id == id) else {
        bail!("the sprint is not on the board any more");
    };
    let krs = sprint.krs.iter().filter_map(|link| board.key_result(link.key_result_id)).map(|kr| kr.code.clone()).collect();
    Ok(Record::new()
        .text("type", "sprint")
        .text("ref", codes::sprint(sprint.number))
        .text("id", uid)
        .text("quarter", &board.quarter.label)
        .text("start", sprint.start.to_string())
        .text("end", sprint.end.to_string())
        .text("state", sprint.state.as_str())
        .text("goal", &sprint.goal)
        .list("krs", krs)
        .text("no_kr_reason", &sprint.no_kr_reason)
        .number("capacity", sprint.capacity)
        .number("load", sprint.load)
        .number("done_points", sprint.done_points)
        .optional("started_on", sprint.started_on.map(|day| day.to_string()))
        .optional("closed_on", sprint.closed_on.map(|day| day.to_string())))
}
