//! `quarterdeck list items|objectives|krs|sprints`: the board's objects
//! as aligned text or JSON (shapes in docs/cli.md, "list"). Objects are
//! named by the references of `Store::resolve`, as everywhere.

use std::io::Write;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};

use super::output::{JsonArray, JsonObject, write_table};
use crate::{
    domain::{Board, ItemRow, ItemState, codes, external::ExternalKey, ids::QuarterId},
    store::{ItemFilter, Placement, Resolved, Store},
};

#[derive(Debug, Subcommand)]
pub enum ListCommand {
    /// The backlog in rank order, filtered as the board's backlog is
    #[command(
        after_help = "Examples:\n  quarterdeck list items --sprint S3\n  quarterdeck list items --kr KR1.2 --state todo --json\n  quarterdeck list items --bau"
    )]
    Items(ItemsArgs),
    /// The quarter's objectives, each with its key results' codes
    #[command(after_help = "Example:\n  quarterdeck list objectives --quarter 2027-Q1 --json")]
    Objectives(QuarterArgs),
    /// The quarter's key results with their start, current and target values
    #[command(after_help = "Example:\n  quarterdeck list krs --json")]
    Krs(QuarterArgs),
    /// The quarter's sprints with their dates, state, goal, load and done points
    #[command(after_help = "Example:\n  quarterdeck list sprints")]
    Sprints(QuarterArgs),
}

#[derive(Debug, Args)]
pub struct QuarterArgs {
    /// The quarter, by its label [default: the one the board opens on: the
    /// running quarter, else the latest closed one]
    #[arg(long, value_name = "LABEL")]
    pub quarter: Option<String>,
    /// Print JSON instead of text (its shape is in docs/cli.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ItemsArgs {
    /// Only items tagged with this key result (KR1.2, 2026-Q4:KR1.2, or its id)
    #[arg(long, value_name = "KR")]
    pub kr: Option<String>,
    /// Only items planned into this sprint (S3, 2026-Q4:S3, or its id)
    #[arg(long, value_name = "SPRINT")]
    pub sprint: Option<String>,
    /// Only items in this state
    #[arg(long, value_enum)]
    pub state: Option<StateArg>,
    /// Only business-as-usual items: tagged with no key result of the quarter
    #[arg(long)]
    pub bau: bool,
    #[command(flatten)]
    pub on: QuarterArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StateArg {
    Todo,
    Doing,
    Done,
}

impl From<StateArg> for ItemState {
    fn from(state: StateArg) -> Self {
        match state {
            StateArg::Todo => Self::Todo,
            StateArg::Doing => Self::Doing,
            StateArg::Done => Self::Done,
        }
    }
}

/// Runs a `list` command, printing to `out`.
pub fn run(store: &Store, command: &ListCommand, out: impl Write) -> anyhow::Result<()> {
    match command {
        ListCommand::Items(args) => items(store, args, out),
        ListCommand::Objectives(args) => objectives(store, &board_on(store, args.quarter.as_deref())?, args.json, out),
        ListCommand::Krs(args) => key_results(store, &board_on(store, args.quarter.as_deref())?, args.json, out),
        ListCommand::Sprints(args) => sprints(store, &board_on(store, args.quarter.as_deref())?, args.json, out),
    }
}

/// The quarter a read is on, loaded as the board loads it (which also
/// makes it the store's quarter on screen, for codes and BAU).
pub fn board_on(store: &Store, label: Option<&str>) -> anyhow::Result<Board> {
    let quarters = store.quarters().context("reading the board's quarters")?;
    let id = match label {
        None => None,
        Some(label) => {
            let label = label.trim();
            let found = quarters
                .iter()
                .find(|quarter| quarter.label == label)
                .or_else(|| quarters.iter().find(|quarter| quarter.label.eq_ignore_ascii_case(label)));
            match found {
                Some(quarter) => Some(quarter.id),
                None if quarters.is_empty() => bail!("--quarter {label}: the board has no quarter yet"),
                None => {
                    let labels: Vec<&str> = quarters.iter().rev().map(|quarter| quarter.label.as_str()).collect();
                    bail!("--quarter {label}: no such quarter on this board; its quarters are {}", labels.join(", "))
                }
            }
        }
    };
    match store.load_board_viewing(id).context("reading the board")? {
        Some(board) => Ok(board),
        None => bail!(super::NO_QUARTER_YET),
    }
}

/// What `--kr` or `--sprint` names, checked to be of the kind wanted.
fn resolve_as(store: &Store, board: &Board, option: &str, text: &str, wanted: &str) -> anyhow::Result<Resolved> {
    let found =
        store.resolve(text, Some(QuarterId(board.quarter.id))).map_err(|error| anyhow::anyhow!("{option} {text}: {error}"))?;
    let kind_ok = matches!((found.object, wanted), (Resolved::KeyResult(_), "a key result") | (Resolved::Sprint(_), "a sprint"));
    if !kind_ok {
        bail!(
            "{option} {text}: that is {}, not {wanted}; write one as {}",
            found.name,
            if wanted == "a sprint" { "S3" } else { "KR1.2" }
        );
    }
    Ok(found.object)
}

fn items(store: &Store, args: &ItemsArgs, out: impl Write) -> anyhow::Result<()> {
    let board = board_on(store, args.on.quarter.as_deref())?;
    // As the board's backlog filters: a closed quarter's backlog is what
    // its sprints delivered.
    let mut filter = ItemFilter {
        quarter: board.quarter.is_closed().then_some(board.quarter.id),
        state: args.state.map(ItemState::from),
        bau_only: args.bau,
        ..ItemFilter::default()
    };
    if let Some(text) = &args.kr
        && let Resolved::KeyResult(kr) = resolve_as(store, &board, "--kr", text, "a key result")?
    {
        filter.key_result = Some(kr.0);
    }
    if let Some(text) = &args.sprint
        && let Resolved::Sprint(sprint) = resolve_as(store, &board, "--sprint", text, "a sprint")?
    {
        filter.placement = Placement::Sprint(sprint.0);
    }
    // On a board tied to a repository, numbers given here since the last
    // sync are provisional: `#47*` (docs/cli.md).
    let fixed_upto = store.sync_link_for_display()?.map(|(link, _)| link.numbers_fixed_upto);
    let provisional = |id: i64| fixed_upto.is_some_and(|fixed| id > fixed);
    if args.on.json {
        let mut array = JsonArray::start(out)?;
        store.each_backlog_item(&filter, |item, uid| -> anyhow::Result<()> {
            // An indexed read by the item's id; most items have none.
            let external = store.external_key(item.id)?;
            Ok(array.push(&item_json(item, uid, external.as_ref(), provisional(item.id)))?)
        })?;
        array.end()?;
        return Ok(());
    }
    let mut rows = Vec::new();
    store.each_backlog_item(&filter, |item, _| -> anyhow::Result<()> {
        rows.push(vec![
            codes::item_shown(item.id, provisional(item.id)),
            item.state.as_str().to_owned(),
            item.points.to_string(),
            sprint_code(item, " ").unwrap_or_else(|| "-".into()),
            if item.kr_codes.is_empty() { "BAU".into() } else { item.kr_codes.join(", ") },
            item.title.clone(),
        ]);
        Ok(())
    })?;
    let mut out = out;
    write_table(&mut out, &["REF", "STATE", "POINTS", "SPRINT", "KRS", "TITLE"], &rows)?;
    Ok(out.flush()?)
}

/// The item's sprint as a code, with its quarter (joined by `joint`) when
/// that is not the quarter listed.
fn sprint_code(item: &ItemRow, joint: &str) -> Option<String> {
    item.sprint_number.map(|number| match &item.sprint_quarter {
        Some(quarter) => format!("{quarter}{joint}{}", codes::sprint(number)),
        None => codes::sprint(number),
    })
}

/// An item in JSON: references in the form `Store::resolve` reads back
/// (`2026-Q4:KR1.2` for another quarter's KR).
fn item_json(item: &ItemRow, uid: &str, external: Option<&ExternalKey>, provisional: bool) -> String {
    let krs: Vec<String> = item.kr_codes.iter().map(|code| code.replacen(' ', ":", 1)).collect();
    JsonObject::new()
        .string("ref", &codes::item(item.id))
        .boolean("provisional", provisional)
        .string("id", uid)
        .string("title", &item.title)
        .string("kind", item.kind.as_str())
        .number("points", item.points)
        .string("state", item.state.as_str())
        .optional("sprint", sprint_code(item, ":").as_deref())
        .strings("krs", &krs)
        .raw("external", &external_json(external))
        .finish()
}

/// Where an imported item came from, `{"source": "jira-csv", "key":
/// "PROJ-7"}`, or `null` for an item made on the board.
fn external_json(external: Option<&ExternalKey>) -> String {
    external.map_or_else(
        || "null".to_owned(),
        |external| super::output::pairs_json(&[("source", external.source.clone()), ("key", external.key.clone())]),
    )
}

/// An object's stable id, by its code in the quarter listed.
fn uid_of(store: &Store, board: &Board, code: &str) -> anyhow::Result<String> {
    Ok(store.resolve(code, Some(QuarterId(board.quarter.id))).map_err(|error| anyhow::anyhow!("{error}"))?.uid)
}

fn objectives(store: &Store, board: &Board, json: bool, out: impl Write) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    let mut objects = Vec::new();
    for objective in &board.objectives {
        let code = codes::objective(objective.number);
        let krs: Vec<String> = objective.key_results.iter().map(|kr| kr.code.clone()).collect();
        match json {
            true => objects.push(
                JsonObject::new()
                    .string("ref", &code)
                    .string("id", &uid_of(store, board, &code)?)
                    .string("quarter", &board.quarter.label)
                    .string("title", &objective.title)
                    .string("owner", &objective.owner)
                    .strings("krs", &krs)
                    .finish(),
            ),
            false => rows.push(vec![code, objective.owner.clone(), krs.join(", "), objective.title.clone()]),
        }
    }
    print(out, json, &["REF", "OWNER", "KRS", "TITLE"], &rows, &objects)
}

fn key_results(store: &Store, board: &Board, json: bool, out: impl Write) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    let mut objects = Vec::new();
    for objective in &board.objectives {
        for kr in &objective.key_results {
            match json {
                true => objects.push(
                    JsonObject::new()
                        .string("ref", &kr.code)
                        .string("id", &uid_of(store, board, &kr.code)?)
                        .string("objective", &codes::objective(objective.number))
                        .string("title", &kr.title)
                        .string("unit", &kr.unit)
                        .number("start", kr.start)
                        .number("current", kr.current)
                        .number("target", kr.target)
                        .number("confidence", kr.confidence)
                        .string("owner", &kr.owner)
                        .finish(),
                ),
                false => rows.push(vec![
                    kr.code.clone(),
                    crate::format::number(kr.start),
                    crate::format::number(kr.current),
                    crate::format::number(kr.target),
                    kr.unit.clone(),
                    format!("{}%", kr.confidence),
                    kr.owner.clone(),
                    kr.title.clone(),
                ]),
            }
        }
    }
    print(out, json, &["REF", "START", "NOW", "TARGET", "UNIT", "CONFIDENCE", "OWNER", "TITLE"], &rows, &objects)
}

fn sprints(store: &Store, board: &Board, json: bool, out: impl Write) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    let mut objects = Vec::new();
    for sprint in &board.sprints {
        let code = codes::sprint(sprint.number);
        match json {
            true => objects.push(
                JsonObject::new()
                    .string("ref", &code)
                    .string("id", &uid_of(store, board, &code)?)
                    .string("start", &sprint.start.to_string())
                    .string("end", &sprint.end.to_string())
                    .string("state", sprint.state.as_str())
                    .string("goal", &sprint.goal)
                    .number("capacity", sprint.capacity)
                    .number("load", sprint.load)
                    .number("done_points", sprint.done_points)
                    .finish(),
            ),
            false => rows.push(vec![
                code,
                sprint.start.to_string(),
                sprint.end.to_string(),
                sprint.state.as_str().to_owned(),
                format!("{}/{}", sprint.load, sprint.capacity),
                sprint.done_points.to_string(),
                sprint.goal.clone(),
            ]),
        }
    }
    print(out, json, &["REF", "START", "END", "STATE", "LOAD/CAP", "DONE", "GOAL"], &rows, &objects)
}

/// A short list, as a JSON array of `objects` or a table of `rows`.
fn print(mut out: impl Write, json: bool, header: &[&str], rows: &[Vec<String>], objects: &[String]) -> anyhow::Result<()> {
    if json {
        let mut array = JsonArray::start(out)?;
        for object in objects {
            array.push(object)?;
        }
        return Ok(array.end()?);
    }
    write_table(&mut out, header, rows)?;
    Ok(out.flush()?)
}
