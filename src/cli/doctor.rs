//! `quarterdeck doctor`: lists the values of the wrong kind another writer
//! left in the board file (`Store::wrong_values`) and what SQLite's own
//! checks say of it, and repairs the values on the user's word, as one
//! undoable step. Contract in docs/cli.md, "doctor".

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::Context;

use super::output::JsonObject;
use crate::shell::command_line;
use crate::store::{Store, WrongValue};

/// What to do once the values are listed.
#[derive(Debug, Clone, Copy)]
pub struct DoctorFlags {
    /// Repair without asking (for scripts).
    pub yes: bool,
    pub json: bool,
}

/// Lists, and repairs when told to; true when the file is clean (or all
/// was repaired), for the exit code.
pub fn run(path: &Path, flags: DoctorFlags, mut out: impl Write) -> anyhow::Result<bool> {
    let store = open_to_look(path)?;
    let damage = store.file_damage()?;
    // On a damaged file the damage explains rows pointing nowhere, and
    // naming them would read the damaged pages again.
    let dangling = if damage.is_empty() { store.dangling_rows()? } else { Vec::new() };
    let found = Found { damage, dangling };
    let wrong = store.wrong_values()?;
    let file = path.display();
    if wrong.is_empty() && found.is_empty() {
        if flags.json {
            writeln!(out, "{}", json(path, &wrong, &found, None))?;
        } else {
            writeln!(out, "No problems found in {file}")?;
        }
        return Ok(true);
    }
    if flags.json && !flags.yes {
        writeln!(out, "{}", json(path, &wrong, &found, None))?;
        return Ok(false);
    }
    if !flags.json {
        list(&mut out, path, &wrong, &found)?;
    }
    if !found.damage.is_empty() || wrong.is_empty() {
        return Ok(false);
    }
    let asked = !flags.yes && std::io::stdin().is_terminal() && !flags.json;
    let repair = flags.yes || (asked && confirmed(&mut out, wrong.len())?);
    if !repair {
        // Exit 1 either way: what was found is still there.
        if asked {
            writeln!(out, "Nothing changed.")?;
        } else {
            writeln!(out, "Nothing changed: run `{}` to repair them", command_line(&["doctor", "--yes"], Some(path)))?;
        }
        return Ok(false);
    }
    drop(store);
    let mut store = Store::open(path)?;
    if store.is_read_only() {
        writeln!(
            out,
            "{file} cannot be written here: nothing repaired. Fix the file's permissions (or run as its owner), \
             then run `{}` again",
            command_line(&["doctor", "--yes"], Some(path))
        )?;
        return Ok(false);
    }
    let repaired = store.repair_wrong_values("Repair wrong values (doctor)")?;
    if flags.json {
        writeln!(out, "{}", json(path, &repaired.values, &found, Some(&repaired.renumbered)))?;
    } else {
        let undo = command_line(&["undo"], Some(path));
        writeln!(out, "Repaired {} in {file} (one step: `{undo}` takes it back)", count(repaired.values.len()))?;
        for group in &repaired.renumbered {
            writeln!(out, "  {group}, so that no two share a code")?;
        }
    }
    // Rows pointing nowhere are still there: exit 1.
    Ok(found.dangling.is_empty())
}

/// What SQLite's checks found: damage to the file (`integrity_check`),
/// and rows that point at a row that is not there (`foreign_key_check`),
/// which are not damage and leave the values repairable.
struct Found {
    damage: Vec<String>,
    dangling: Vec<String>,
}

impl Found {
    fn is_empty(&self) -> bool {
        self.damage.is_empty() && self.dangling.is_empty()
    }
}

/// Opens the board without writing to it. A file this user cannot write
/// is opened as the board opens it (immutable, so no `-wal` or `-shm` is
/// left behind, which a viewer could not remove); any other read-only.
fn open_to_look(path: &Path) -> anyhow::Result<Store> {
    // Only a regular file is tried for writing: opening a FIFO to write
    // blocks until a reader comes, and the store refuses what is not a file.
    let writable = path.is_file() && std::fs::OpenOptions::new().write(true).open(path).is_ok();
    Ok(if path.is_file() && !writable { Store::open(path)? } else { Store::open_to_read(path, "`doctor`")? })
}

fn count(values: usize) -> String {
    if values == 1 { "1 value".to_owned() } else { format!("{values} values") }
}

fn list(out: &mut impl Write, path: &Path, wrong: &[WrongValue], found: &Found) -> anyhow::Result<()> {
    let file = path.display();
    let damage = &found.damage;
    if !damage.is_empty() {
        // The values are not repaired on a damaged file: what to do is the
        // same advice the board and every command give.
        let remedies = crate::store::damaged_remedies(Some(path)).join("; or ");
        writeln!(out, "{file}: the file is damaged. What to do: {remedies}. SQLite's checks found:")?;
        for line in damage {
            writeln!(out, "  {line}")?;
        }
    }
    if !found.dangling.is_empty() {
        writeln!(
            out,
            "{file}: rows that point at a row that is not there (the file is not damaged; doctor does not \
             remove them: delete each with sqlite3, or point it at a row that is there):"
        )?;
        for line in &found.dangling {
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

/// `{"file", "clean", "damaged", "damage": [..], "dangling": [..], "repaired", "renumbered": [..], "values": [{"table", "row", "column", "found", "problem", "shown", "collides_with"}]}`;
/// `renumbered` is given after a repair (else empty).
fn json(path: &Path, wrong: &[WrongValue], found: &Found, renumbered: Option<&[String]>) -> String {
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
                .optional("collides_with", value.collides_with.as_deref())
                .finish()
        })
        .collect();
    JsonObject::new()
        .string("file", &path.display().to_string())
        .boolean("clean", wrong.is_empty() && found.is_empty())
        .boolean("damaged", !found.damage.is_empty())
        .strings("damage", &found.damage)
        .strings("dangling", &found.dangling)
        .boolean("repaired", renumbered.is_some())
        .strings("renumbered", renumbered.unwrap_or_default())
        .raw("values", &format!("[{}]", values.join(", ")))
        .finish()
}
