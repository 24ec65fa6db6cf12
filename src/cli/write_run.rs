//! Runs a write of the command line: opens the board for writing, turns
//! the arguments into one `ops::Command` (each reference resolved by
//! `Store::resolve`, each value parsed by its domain type), applies it
//! with `ops::apply`, and prints what changed and the method's advice.
//!
//! A bad argument is named with what to write instead, and nothing is
//! written (exit 1); a board that cannot be opened is [`BoardNotOpened`]
//! (exit 2). A write that meets another program's lock waits for it, as
//! the board does, then lands.

use std::{
    io::Write,
    path::Path,
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use chrono::{Days, NaiveDate};

use super::{
    output::JsonObject,
    write::{AddCommand, EditArgs, SprintCommand, WriteCommand},
};
use crate::{
    domain::{
        Board, ItemState,
        ids::{ItemId, KeyResultId, ObjectiveId, QuarterId, SprintId},
        retro::RetroList,
        settings::QuarterSettings,
        validate::{self, Field, FieldError},
        values::{Capacity, Confidence, Points, SprintSpan, Title},
    },
    ops::{self, Alignment, Carry, Command, ItemEdit, KeyResultEdit, OpError, Outcome, RankTo, SprintEdit},
    store::{Resolved, Store},
};

/// The board file cannot be opened for a write: exit 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BoardNotOpened(pub String);

/// How long a write waits in all for another program's lock.
const LOCK_PATIENCE: Duration = Duration::from_secs(120);

/// Runs `command` on the board at `path`, printing to `out`.
pub fn run(path: &Path, command: &WriteCommand, today: NaiveDate, mut out: impl Write) -> anyhow::Result<()> {
    let creates = matches!(command, WriteCommand::Init { .. });
    // A symbolic link to nothing is for `Store::open` to name.
    if !creates && std::fs::symlink_metadata(path).is_err() {
        return Err(BoardNotOpened(format!(
            "no board at {}: start one with `{}` or `{}`, or name another with --db PATH",
            path.display(),
            crate::shell::command_line(
                &["init", "--label", "L", "--start", "DATE", "--sprints", "N", "--weeks", "N"],
                Some(path)
            ),
            crate::shell::command_line(&["import", "FILE"], Some(path))
        ))
        .into());
    }
    let mut store = Store::open(path)
        .map_err(|error| anyhow::Error::new(error).context(BoardNotOpened("the board cannot be opened".into())))?;
    if store.is_read_only() {
        return Err(BoardNotOpened(format!(
            "{} cannot be written here (read-only): nothing was changed; fix its permissions or use --db PATH",
            path.display()
        ))
        .into());
    }
    // Damage SQLite would not notice until it read the damaged page: the
    // write is refused before it begins, and the file stays as it was.
    store.refuse_if_damaged()?;
    let (built, json) = build(&store, command, today)?;
    let outcome = apply_waiting(&mut store, &built, today).map_err(|error| worded(&error, command))?;
    if json {
        let object = JsonObject::new()
            .optional("ref", outcome.created.as_ref().map(|created| created.reference.as_str()).filter(|code| !code.is_empty()))
            .optional("id", outcome.created.as_ref().map(|created| created.uid.as_str()))
            .string("summary", &outcome.summary)
            .strings("warnings", &outcome.warnings);
        writeln!(out, "{}", object.finish())?;
    } else {
        super::output::write_lines(&mut out, &outcome.summary)?;
        for warning in &outcome.warnings {
            super::output::write_lines(&mut out, &format!("warning: {warning}"))?;
        }
    }
    Ok(out.flush()?)
}

/// Applies `command`, waiting while another program holds the lock (the
/// store's own wait, again and again) up to [`LOCK_PATIENCE`].
fn apply_waiting(store: &mut Store, command: &Command, today: NaiveDate) -> Result<Outcome, OpError> {
    let started = Instant::now();
    let mut said = false;
    loop {
        match ops::apply(store, command, today) {
            Err(error) if error.is_busy() && started.elapsed() < LOCK_PATIENCE => {
                if !said {
                    let _ = writeln!(std::io::stderr(), "quarterdeck: waiting for another program that is writing to the board…");
                    said = true;
                }
            }
            result => return result,
        }
    }
}

/// An error of `apply` for the person who typed `command`: a field's error
/// names the argument typed.
fn worded(error: &OpError, command: &WriteCommand) -> anyhow::Error {
    match error {
        OpError::Field(field) => {
            anyhow::anyhow!("{}: {}; nothing was changed", argument_in(field.field, command), field.message)
        }
        OpError::NeedsConfirming(step) => anyhow::anyhow!("{step} asks first: add --yes to do it; nothing was changed"),
        other => anyhow::anyhow!("{other}"),
    }
}

/// The argument of `command` that gave `field`'s value: a retro note is
/// the list's flag the user typed, an edited title `--title`.
fn argument_in(field: Field, command: &WriteCommand) -> &'static str {
    match (command, field) {
        (WriteCommand::Retro { went_well: Some(_), .. }, Field::Note | Field::Title) => "--went-well",
        (WriteCommand::Retro { to_improve: Some(_), .. }, Field::Note | Field::Title) => "--to-improve",
        (WriteCommand::Retro { okr: Some(_), .. }, Field::Note | Field::Title) => "--okr",
        (WriteCommand::Edit(_), Field::Title) => "--title",
        _ => argument_of(field),
    }
}

/// The option that gives `field`'s value.
fn argument_of(field: Field) -> &'static str {
    match field {
        Field::Label => "--label",
        Field::StartDate | Field::Start => "--start",
        Field::SprintCount => "--sprints",
        Field::SprintWeeks => "--weeks",
        Field::Title => "TITLE",
        Field::Points => "--points",
        Field::Unit => "--unit",
        Field::Target => "--target",
        Field::Confidence => "--confidence",
        Field::CheckInDate => "--date",
        Field::Value => "VALUE",
        Field::Note => "--note",
        Field::Capacity => "--capacity",
        Field::Goal => "--goal",
        _ => "a value",
    }
}

/// A value parsed by its domain type; its error names `argument`.
fn parsed<T>(argument: &str, result: Result<T, FieldError>) -> anyhow::Result<T> {
    result.map_err(|error| anyhow::anyhow!("{argument}: {}; nothing was changed", error.message))
}

/// `typed`, a number or a date, parsed by `parse`: its error names
/// `argument` and the value as typed.
fn parsed_value<T>(argument: &str, typed: &str, parse: impl FnOnce(&str) -> Result<T, String>) -> anyhow::Result<T> {
    parse(typed.trim())
        .map_err(|message| anyhow::anyhow!("{}; nothing was changed", validate::naming_value(argument, typed, &message)))
}

/// A whole number parsed by its domain type (`Points::parse`, ...).
fn whole<T>(argument: &str, typed: &str, parse: fn(&str) -> Result<T, FieldError>) -> anyhow::Result<T> {
    parsed_value(argument, typed, |text| parse(text).map_err(|error| error.message))
}

fn number(argument: &str, text: &str) -> anyhow::Result<f64> {
    parsed_value(argument, text, validate::number)
}

fn date(argument: &str, text: &str) -> anyhow::Result<NaiveDate> {
    parsed_value(argument, text, validate::date)
}

/// The object `text` names, of the kind `pick` takes (`wanted`, `example`
/// for the message when it is another kind).
fn resolve<T>(
    store: &Store,
    argument: &str,
    text: &str,
    (wanted, example): (&str, &str),
    pick: fn(Resolved) -> Option<T>,
) -> anyhow::Result<T> {
    let found = store.resolve(text, None).map_err(|error| anyhow::anyhow!("{argument} {text}: {error}"))?;
    match pick(found.object) {
        Some(object) => Ok(object),
        None => bail!("{argument} {text}: that is {}, not {wanted}; write one as {example}", found.name),
    }
}

fn item(store: &Store, argument: &str, text: &str) -> anyhow::Result<ItemId> {
    resolve(store, argument, text, ("an item", "#42"), |object| if let Resolved::Item(id) = object { Some(id) } else { None })
}

fn key_result(store: &Store, argument: &str, text: &str) -> anyhow::Result<KeyResultId> {
    resolve(
        store,
        argument,
        text,
        ("a key result", "KR1.2"),
        |object| {
            if let Resolved::KeyResult(id) = object { Some(id) } else { None }
        },
    )
}

fn sprint(store: &Store, argument: &str, text: &str) -> anyhow::Result<SprintId> {
    resolve(store, argument, text, ("a sprint", "S3"), |object| if let Resolved::Sprint(id) = object { Some(id) } else { None })
}

fn objective(store: &Store, argument: &str, text: &str) -> anyhow::Result<ObjectiveId> {
    resolve(
        store,
        argument,
        text,
        ("an objective", "O1"),
        |object| {
            if let Resolved::Objective(id) = object { Some(id) } else { None }
        },
    )
}

/// The quarter the board opens on, where new objectives and sprints go.
fn running_board(store: &Store) -> anyhow::Result<Board> {
    match store.load_board().context("reading the board")? {
        Some(board) => Ok(board),
        None => {
            bail!(super::NO_QUARTER_YET)
        }
    }
}

fn title(text: &str) -> anyhow::Result<Title> {
    parsed("TITLE", Title::parse(text))
}

fn confidence(text: Option<&String>) -> anyhow::Result<Option<Confidence>> {
    text.map(|text| whole("--confidence", text, Confidence::parse)).transpose()
}

/// The Command `command` asks for, and whether to print JSON.
fn build(store: &Store, command: &WriteCommand, today: NaiveDate) -> anyhow::Result<(Command, bool)> {
    Ok(match command {
        WriteCommand::Init { label, start, sprints, weeks, out } => {
            let span = SprintSpan::parse(sprints, weeks).map_err(|error| {
                let typed = if error.field == Field::SprintCount { sprints } else { weeks };
                anyhow::anyhow!(
                    "{}; nothing was changed",
                    validate::naming_value(argument_of(error.field), typed, &error.message)
                )
            })?;
            (
                Command::InitQuarter {
                    label: label.clone(),
                    start: date("--start", start)?,
                    span,
                    settings: QuarterSettings::default(),
                },
                out.json,
            )
        }
        WriteCommand::Add(add) => build_add(store, add)?,
        WriteCommand::Edit(edit) => (build_edit(store, edit)?, edit.out.json),
        WriteCommand::Tag { item: reference, krs, remove, out } => {
            let found = store.resolve(reference, None).map_err(|error| anyhow::anyhow!("REF {reference}: {error}"))?;
            let krs = krs.iter().map(|kr| key_result(store, "KR", kr)).collect::<anyhow::Result<Vec<_>>>()?;
            let (add, remove) = if *remove { (Vec::new(), krs) } else { (krs, Vec::new()) };
            let command = match found.object {
                Resolved::Item(item) => Command::Tag { item, add, remove },
                Resolved::Sprint(sprint) => Command::TagSprint { sprint, add, remove },
                _ => bail!("REF {reference}: that is {}; tag an item (#42) or a sprint's goal (S3)", found.name),
            };
            (command, out.json)
        }
        WriteCommand::Move { item: reference, sprint: to, backlog, rank, out } => {
            let item = item(store, "REF", reference)?;
            let command = match (to, backlog, rank.as_slice()) {
                (Some(to), ..) => Command::Move { item, sprint: Some(sprint(store, "--sprint", to)?) },
                (None, true, _) => Command::Move { item, sprint: None },
                (None, false, [place]) if place.eq_ignore_ascii_case("top") => Command::Rank { item, to: RankTo::Top },
                (None, false, [place]) if place.eq_ignore_ascii_case("bottom") => Command::Rank { item, to: RankTo::Bottom },
                (None, false, [place, other]) if place.eq_ignore_ascii_case("after") => {
                    Command::Rank { item, to: RankTo::After(self::item(store, "--rank after", other)?) }
                }
                (None, false, place) => {
                    bail!("--rank {}: write top, bottom, or after REF (--rank after '#17'); nothing was changed", place.join(" "))
                }
            };
            (command, out.json)
        }
        WriteCommand::State { item: reference, state, out } => {
            (Command::SetState { item: item(store, "REF", reference)?, state: ItemState::from(*state) }, out.json)
        }
        WriteCommand::Checkin { key_result: kr, value, confidence: given, note, date: day, out } => {
            let command = Command::CheckIn {
                key_result: key_result(store, "KR", kr)?,
                value: number("VALUE", value)?,
                confidence: confidence(given.as_ref())?,
                note: note.clone(),
                date: day.as_deref().map(|day| date("--date", day)).transpose()?.unwrap_or(today),
            };
            (command, out.json)
        }
        WriteCommand::Sprint(SprintCommand::Start { sprint: reference, out }) => {
            (Command::StartSprint { sprint: sprint(store, "SPRINT", reference)? }, out.json)
        }
        WriteCommand::Sprint(SprintCommand::Close { sprint: reference, carry_to, backlog, out }) => {
            let carry = match (carry_to, backlog) {
                (Some(to), _) => Carry::Sprint(sprint(store, "--carry-to", to)?),
                (None, true) => Carry::Backlog,
                (None, false) => Carry::Proposed,
            };
            (Command::CloseSprint { sprint: sprint(store, "SPRINT", reference)?, carry }, out.json)
        }
        WriteCommand::Retro { sprint: reference, went_well, to_improve, okr, out } => {
            let (list, text) = match (went_well, to_improve, okr) {
                (Some(text), ..) => (RetroList::WentWell, text),
                (None, Some(text), _) => (RetroList::ToImprove, text),
                (None, None, Some(text)) => (RetroList::OkrReflection, text),
                (None, None, None) => bail!("write the note with --went-well, --to-improve or --okr TEXT"),
            };
            (Command::RetroNote { sprint: sprint(store, "SPRINT", reference)?, list, text: text.clone() }, out.json)
        }
        WriteCommand::Undo { yes, out } => (Command::Undo { confirmed: *yes }, out.json),
        WriteCommand::Redo { yes, out } => (Command::Redo { confirmed: *yes }, out.json),
    })
}

fn build_add(store: &Store, add: &AddCommand) -> anyhow::Result<(Command, bool)> {
    Ok(match add {
        AddCommand::Objective { title: text, owner, out } => {
            let quarter = QuarterId(running_board(store)?.quarter.id);
            (
                Command::AddObjective { quarter, title: title(text)?, owner: owner.clone(), aligns_to: Alignment::default() },
                out.json,
            )
        }
        AddCommand::Kr { objective: reference, title: text, unit, start, target, confidence: given, owner, out } => {
            let command = Command::AddKeyResult {
                objective: objective(store, "OBJECTIVE", reference)?,
                title: title(text)?,
                unit: unit.clone(),
                start: number("--start", start)?,
                target: number("--target", target)?,
                confidence: confidence(given.as_ref())?,
                owner: owner.clone(),
                current: None,
                reading_note: None,
            };
            (command, out.json)
        }
        AddCommand::Item { title: text, points, kind, krs, out } => {
            let command = Command::AddItem {
                title: title(text)?,
                points: whole("--points", points, Points::parse)?,
                kind: (*kind).into(),
                krs: krs.iter().map(|kr| key_result(store, "--kr", kr)).collect::<anyhow::Result<_>>()?,
                description: String::new(),
                deferred_reason: String::new(),
            };
            (command, out.json)
        }
        AddCommand::Sprint { start, weeks, capacity, goal, out } => {
            let board = running_board(store)?;
            let last = board.sprints.last();
            let weeks = whole("--weeks", weeks, |text| SprintSpan::parse("1", text))?.weeks;
            let start = match start {
                Some(start) => date("--start", start)?,
                None => last.and_then(|sprint| sprint.end.checked_add_days(Days::new(1))).unwrap_or(board.quarter.start),
            };
            let end = start.checked_add_days(Days::new(u64::from(weeks) * 7 - 1)).context("--start: too late a date")?;
            let capacity = match capacity {
                Some(text) => whole("--capacity", text, Capacity::parse)?,
                None => parsed("--capacity", Capacity::new(last.map_or(weeks * 10, |sprint| sprint.capacity)))?,
            };
            let quarter = QuarterId(board.quarter.id);
            (Command::AddSprint { quarter, start, end, capacity, goal: goal.clone(), no_kr_reason: String::new() }, out.json)
        }
    })
}

/// The options of `edit` that apply to the kind of object it names; one
/// that does not is refused, naming it.
fn build_edit(store: &Store, edit: &EditArgs) -> anyhow::Result<Command> {
    let found = store.resolve(&edit.reference, None).map_err(|error| anyhow::anyhow!("REF {}: {error}", edit.reference))?;
    let given: [(&str, bool); 13] = [
        ("--title", edit.title.is_some()),
        ("--points", edit.points.is_some()),
        ("--kind", edit.kind.is_some()),
        ("--description", edit.description.is_some()),
        ("--deferred", edit.deferred.is_some()),
        ("--owner", edit.owner.is_some()),
        ("--unit", edit.unit.is_some()),
        ("--start", edit.start.is_some()),
        ("--target", edit.target.is_some()),
        ("--confidence", edit.confidence.is_some()),
        ("--goal", edit.goal.is_some()),
        ("--capacity", edit.capacity.is_some()),
        ("--no-kr-reason", edit.no_kr_reason.is_some()),
    ];
    let (kind, allowed): (&str, &[&str]) = match found.object {
        Resolved::Item(_) => ("an item", &["--title", "--points", "--kind", "--description", "--deferred"]),
        Resolved::Objective(_) => ("an objective", &["--title", "--owner"]),
        Resolved::KeyResult(_) => ("a key result", &["--title", "--owner", "--unit", "--start", "--target", "--confidence"]),
        Resolved::Sprint(_) => ("a sprint", &["--goal", "--capacity", "--no-kr-reason"]),
        _ => bail!("REF {}: that is {}; edit changes an item, objective, key result or sprint", edit.reference, found.name),
    };
    if let Some((option, _)) = given.iter().find(|(option, set)| *set && !allowed.contains(option)) {
        bail!("{option} does not apply to {} ({kind}): its fields are {}; nothing was changed", found.name, allowed.join(", "));
    }
    if !given.iter().any(|(_, set)| *set) {
        bail!("nothing to change: give {} with its new value", allowed.join(", "));
    }
    let title = edit.title.as_deref().map(|text| parsed("--title", Title::parse(text))).transpose()?;
    let number_of = |option: &str, text: &Option<String>| text.as_deref().map(|text| number(option, text)).transpose();
    Ok(match found.object {
        Resolved::Item(item) => Command::EditItem {
            item,
            edit: ItemEdit {
                title,
                points: edit.points.as_deref().map(|text| whole("--points", text, Points::parse)).transpose()?,
                kind: edit.kind.map(Into::into),
                description: edit.description.clone(),
                deferred_reason: edit.deferred.clone(),
            },
        },
        Resolved::Objective(objective) => Command::EditObjective { objective, title, owner: edit.owner.clone(), aligns_to: None },
        Resolved::KeyResult(key_result) => Command::EditKeyResult {
            key_result,
            edit: KeyResultEdit {
                title,
                unit: edit.unit.clone(),
                start: number_of("--start", &edit.start)?,
                target: number_of("--target", &edit.target)?,
                confidence: confidence(edit.confidence.as_ref())?,
                owner: edit.owner.clone(),
                current: None,
                reading_note: None,
            },
        },
        Resolved::Sprint(sprint) => Command::EditSprint {
            sprint,
            edit: SprintEdit {
                goal: edit.goal.clone(),
                capacity: edit.capacity.as_deref().map(|text| whole("--capacity", text, Capacity::parse)).transpose()?,
                no_kr_reason: edit.no_kr_reason.clone(),
                dates: None,
            },
        },
        _ => bail!("REF {}: edit changes an item, objective, key result or sprint", edit.reference),
    })
}
