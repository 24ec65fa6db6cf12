//! `quarterdeck doctor`: lists the values of the wrong kind another writer
//! left in the board file (`Store::wrong_values`) and what SQLite's own
//! checks say of it, and repairs the values on the user's word, as one
//! undoable step. Contract in docs/cli.md, "doctor".

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::Context;

use super::output::JsonObject;
use crate::store::{Store, WrongValue};

/// What to do once the values are listed.
#[derive(Debug, Clone, Copy)]
pub struct DoctorFlags {
    /// Repair without asking (for scripts).
    pub yes: bool,
    pub json: bool,
}

/// What the file is damaged with, said to the user: what it means and
/// what to do (the values are not repaired on a damaged file).
const DAMAGED: &str = "the file is damaged: restore a backup, save what can still be read with \
    `quarterdeck export`, or recover it with sqlite3's `.recover`";

/// Lists, and repairs when told to; true when the file is clean (or all
/// was repaired), for the exit code.
pub fn run(path: &Path, flags: DoctorFlags, mut out: impl Write) -> anyhow::Result<bool> {
    let store = open_to_look(path)?;
    let damage = store.file_damage()?;
    let wrong = store.wrong_values()?;
    let file = path.display();
    if wrong.is_empty() && damage.is_empty() {
        if flags.json {
            writeln!(out, "{}", json(path, &wrong, &damage, false))?;
        } else {
            writeln!(out, "No problems found in {file}")?;
        }
        return Ok(true);
    }
    if flags.json && !flags.yes {
        writeln!(out, "{}", json(path, &wrong, &damage, false))?;
        return Ok(false);
    }
    if !flags.json {
        list(&mut out, path, &wrong, &damage)?;
    }
    if !damage.is_empty() || wrong.is_empty() {
        return Ok(false);
    }
    let asked = !flags.yes && std::io::stdin().is_terminal() && !flags.json;
    let repair = flags.yes || (asked && confirmed(&mut out, wrong.len())?);
    if !repair {
        if !asked {
            writeln!(out, "Nothing changed: run `quarterdeck doctor --yes` to repair them")?;
        }
        return Ok(false);
    }
    drop(store);
    let mut store = Store::open(path)?;
    if store.is_read_only() {
        writeln!(out, "{file} cannot be written here: nothing repaired")?;
        return Ok(false);
    }
    let repaired = store.repair_wrong_values("Repair wrong values (doctor)")?;
    if flags.json {
        writeln!(out, "{}", json(path, &repaired, &damage, true))?;
    } else {
        writeln!(out, "Repaired {} in {file} (one step: `quarterdeck undo` takes it back)", count(repaired.len()))?;
    }
    Ok(true)
}

/// Opens the board without writing to it. A file this user cannot write
/// is opened as the board opens it (immutable, so no `-wal` or `-shm` is
/// left behind, which a viewer could not remove); any other read-only.
fn open_to_look(path: &Path) -> anyhow::Result<Store> {
    let writable = std::fs::OpenOptions::new().write(true).open(path).is_ok();
    Ok(if path.is_file() && !writable { Store::open(path)? } else { Store::open_to_read(path, "`doctor`")? })
}

fn count(values: usize) -> String {
    if values == 1 { "1 value".to_owned() } else { format!("{values} values") }
}

fn list(out: &mut impl Write, path: &Path, wrong: &[WrongValue], damage: &[String]) -> anyhow::Result<()> {
    let file = path.display();
    if !damage.is_empty() {
        writeln!(out, "{file}: {DAMAGED}. SQLite's checks found:")?;
        for line in damage {
            writeln!(out, "  {line}")?;
        }
    }
    if !wrong.is_empty() {
        writeln!(out, "{file}: {} of the wrong kind, shown cleaned:", count(wrong.len()))?;
        for value in wrong {
            writeln!(out, "  {value}")?;
        }
    }
    Ok(())
}

/// Asks on the terminal; only `y` or `yes` repairs.
fn confirmed(out: &mut impl Write, values: usize) -> anyhow::Result<bool> {
    let these = if values == 1 { "this value".to_owned() } else { format!("these {values} values") };
    write!(out, "Repair {these}? [y/N] ")?;
    out.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).context("reading the answer")?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// `{"file", "clean", "damaged", "damage": [..], "repaired", "values": [{"table", "row", "column", "found", "problem", "shown"}]}`.
fn json(path: &Path, wrong: &[WrongValue], damage: &[String], repaired: bool) -> String {
    let values: Vec<String> = wrong
        .iter()
        .map(|value| {
            JsonObject::new()
                .string("table", value.table)
                .string("row", &value.row)
                .string("column", value.column)
                .string("found", &value.found)
                .string("problem", value.problem)
                .string("shown", &value.shown)
                .finish()
        })
        .collect();
    JsonObject::new()
        .string("file", &path.display().to_string())
        .boolean("clean", wrong.is_empty() && damage.is_empty())
        .boolean("damaged", !damage.is_empty())
        .strings("damage", damage)
        .boolean("repaired", repaired)
        .raw("values", &format!("[{}]", values.join(", ")))
        .finish()
}
