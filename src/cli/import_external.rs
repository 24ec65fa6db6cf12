//! `quarterdeck import --from jira-csv|linear-csv|taskwarrior FILE` (`-`:
//! standard input): the flags resolved against the board (a flag that
//! names no KR, sprint or state is an error naming it, before anything is
//! read), then the file streamed through `ops::external::import_external`,
//! and its report as lines or JSON.

use std::{
    collections::HashMap,
    io::{BufRead, BufReader},
    path::Path,
    time::Duration,
};

use anyhow::{Context, bail};
use chrono::NaiveDate;

use super::output::JsonObject;
use crate::{
    domain::{ItemState, SprintState, codes},
    import::{
        self, Source,
        mapping::{Maps, SprintTarget, key_of, source_name},
    },
    ops::external::{Entry, ExternalImport, ImportError, ImportReport, Tally, import_external},
    store::{Resolved, Store},
};

/// How long an import waits for another program writing to the board:
/// as long as any other write of the command line.
const LOCK_PATIENCE: Duration = Duration::from_secs(120);

/// The flags of `import --from`, as typed.
#[derive(Debug, Clone, Default)]
pub struct ExternalFlags {
    pub maps: Vec<String>,
    pub sprint_maps: Vec<String>,
    pub state_maps: Vec<String>,
    pub overwrite: bool,
    pub dry_run: bool,
    pub json: bool,
}

/// Imports `file` (`-`: standard input) from `source`; returns what to print.
pub fn run(store: &mut Store, source: Source, file: &Path, flags: &ExternalFlags, today: NaiveDate) -> anyhow::Result<String> {
    let maps = maps(store, flags)?;
    let stdin = file.as_os_str() == "-";
    let name = if stdin { "standard input".to_owned() } else { file.display().to_string() };
    let input: Box<dyn BufRead> = if stdin {
        Box::new(std::io::stdin().lock())
    } else {
        let opened = std::fs::File::open(file).with_context(|| format!("{name}: cannot be read; nothing was changed"))?;
        Box::new(BufReader::with_capacity(1 << 16, opened))
    };
    let in_file = |error: import::ReadError| anyhow::anyhow!("{name}: {error}; nothing was changed");
    let items = import::read(source, input).map_err(in_file)?;
    let short =
        if stdin { name.clone() } else { file.file_name().map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned()) };
    let named = format!("{short} ({})", source_name(source));
    let how = ExternalImport {
        source,
        maps: &maps,
        overwrite: flags.overwrite,
        dry_run: flags.dry_run,
        step: format!("Imported {named}"),
        list_all: flags.json,
    };
    store.set_lock_wait(LOCK_PATIENCE)?;
    let report = import_external(store, &how, items, today).map_err(|error| match error {
        ImportError::Row(error) => in_file(error),
        ImportError::Op(error) => error.into_anyhow(),
    })?;
    Ok(if flags.json { json(&report, flags.dry_run) } else { report.lines(&named, flags.dry_run).join("\n") })
}

/// `A=B` split at its last `=` (a label may hold one), both sides trimmed.
fn pair<'a>(flag: &str, value: &'a str) -> anyhow::Result<(&'a str, &'a str)> {
    match value.rsplit_once('=') {
        Some((from, to)) if !from.trim().is_empty() && !to.trim().is_empty() => Ok((from.trim(), to.trim())),
        _ => bail!("{flag} {value:?}: write it as NAME=VALUE, such as {flag} \"{}\"; nothing was changed", example(flag)),
    }
}

fn example(flag: &str) -> &'static str {
    match flag {
        "--map" => "checkout=KR1.2",
        "--sprint-map" => "Team Sprint 14=S2",
        _ => "In Review=doing",
    }
}

/// The flags against the board: KRs and sprints through `Store::resolve`,
/// on the board's current quarter; the quarter's sprints by equal name.
fn maps(store: &Store, flags: &ExternalFlags) -> anyhow::Result<Maps> {
    let mut maps = Maps::default();
    // Items go into the quarter's backlog: as every write, a board needs one.
    let Some(board) = store.load_board()? else { bail!("{}; nothing was changed", super::NO_QUARTER_YET) };
    let quarter = Some(crate::domain::ids::QuarterId(board.quarter.id));
    for value in &flags.maps {
        let (label, kr) = pair("--map", value)?;
        let found =
            store.resolve(kr, quarter).map_err(|error| anyhow::anyhow!("--map {value:?}: {error}; nothing was changed"))?;
        let Resolved::KeyResult(id) = found.object else {
            bail!("--map {value:?}: {} is not a key result; name one such as KR1.2; nothing was changed", found.name)
        };
        maps.krs.entry(key_of(label)).or_default().push(id.row());
        maps.kr_flags.push((key_of(label), value.clone()));
    }
    let sprint_state = |id: i64| board.sprints.iter().find(|sprint| sprint.id == id).map(|sprint| sprint.state);
    // The flag each sprint name was mapped by, to name both of two that disagree.
    let mut sprint_flags: HashMap<String, (&String, i64)> = HashMap::new();
    let mut closed_flags: Vec<(&String, &str, String)> = Vec::new();
    for value in &flags.sprint_maps {
        let (name, sprint) = pair("--sprint-map", value)?;
        let found = store
            .resolve(sprint, quarter)
            .map_err(|error| anyhow::anyhow!("--sprint-map {value:?}: {error}; nothing was changed"))?;
        let Resolved::Sprint(id) = found.object else {
            bail!("--sprint-map {value:?}: {} is not a sprint; name one such as S2; nothing was changed", found.name)
        };
        match sprint_flags.get(&key_of(name)) {
            Some((earlier, placed)) if *placed != id.row() => {
                bail!("{}", two_ways("--sprint-map", earlier, value, "sprint name"))
            }
            _ => {
                sprint_flags.insert(key_of(name), (value, id.row()));
            }
        }
        let code = found.name.split(" in ").next().unwrap_or(sprint).to_owned();
        let closed = sprint_state(id.row()).is_none_or(|state| state == SprintState::Closed);
        if closed {
            closed_flags.push((value, name, code.clone()));
        }
        maps.sprints.insert(key_of(name), SprintTarget { id: id.row(), code, closed });
    }
    maps.first_open_sprint = board
        .sprints
        .iter()
        .filter(|sprint| sprint.state != SprintState::Closed)
        .min_by_key(|sprint| sprint.number)
        .map(|sprint| codes::sprint(sprint.number));
    // Said once for the flag, whether its rows are new or already planned.
    for (value, name, code) in closed_flags {
        let instead = match &maps.first_open_sprint {
            Some(open) => format!("map it to an open sprint, such as --sprint-map \"{name}={open}\""),
            None => "every sprint of the quarter is closed, so none can take them".to_owned(),
        };
        maps.flag_warnings.push(format!(
            "--sprint-map {value:?}: {code} is closed (its record stays as it was), so no item is planned into it: new items stay in the backlog, others where they are; {instead}"
        ));
    }
    for sprint in &board.sprints {
        let target =
            SprintTarget { id: sprint.id, code: codes::sprint(sprint.number), closed: sprint.state == SprintState::Closed };
        let mut names = vec![codes::sprint(sprint.number), format!("Sprint {}", sprint.number)];
        if !sprint.goal.trim().is_empty() {
            names.push(sprint.goal.clone());
        }
        for name in names {
            maps.sprint_names.entry(key_of(&name)).or_insert_with(|| target.clone());
        }
    }
    // The flag each status was placed by, to name both of two that disagree.
    let mut state_flags: HashMap<String, (&String, ItemState)> = HashMap::new();
    for value in &flags.state_maps {
        let (status, state) = pair("--state-map", value)?;
        let Some(state) = ItemState::parse(&state.to_lowercase()) else {
            bail!("--state-map {value:?}: {state:?} is not a state; write todo, doing or done; nothing was changed")
        };
        match state_flags.get(&key_of(status)) {
            Some((earlier, placed)) if *placed != state => bail!("{}", two_ways("--state-map", earlier, value, "status")),
            _ => {
                state_flags.insert(key_of(status), (value, state));
            }
        }
        maps.states.insert(key_of(status), state);
    }
    Ok(maps)
}

/// Two flags that send one name (without case) two ways: both named.
fn two_ways(flag: &str, earlier: &str, later: &str, what: &str) -> String {
    format!(
        "{flag} {earlier:?} and {flag} {later:?} map the same {what} two ways (names compare without case); keep one of them; nothing was changed"
    )
}

/// The report as one JSON object (docs/cli.md, "import --from").
fn json(report: &ImportReport, dry_run: bool) -> String {
    let entries = |entries: &Tally<Entry>| -> String {
        let objects: Vec<String> = entries
            .listed
            .iter()
            .map(|entry| {
                JsonObject::new().string("ref", &entry.item).string("key", &entry.key).string("title", &entry.title).finish()
            })
            .collect();
        format!("[{}]", objects.join(", "))
    };
    let skipped: Vec<String> = report
        .skipped
        .listed
        .iter()
        .map(|skipped| {
            JsonObject::new()
                .number("line", skipped.line)
                .string("key", &skipped.key)
                .optional("ref", skipped.item.as_deref())
                .string("reason", &skipped.reason)
                .string("message", &skipped.message)
                .finish()
        })
        .collect();
    JsonObject::new()
        .boolean("dry_run", dry_run)
        .raw("created", &entries(&report.created))
        .raw("updated", &entries(&report.updated))
        .number("unchanged", report.unchanged)
        .raw("skipped", &format!("[{}]", skipped.join(", ")))
        .strings("warnings", &report.all_warnings())
        .finish()
}
