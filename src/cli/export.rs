//! `quarterdeck export --format toml|json|csv`: a quarter as a plan file
//! (docs/plan-format.md), the same plan as one JSON document, or its items
//! as CSV rows for a spreadsheet; to stdout or, written atomically, to a
//! file. All three are made from one read (`Store::export_plan`), so they
//! never disagree.

use std::{io::Write, path::Path};

use anyhow::{Context, bail};

use super::output::json_escape_invisible;
use crate::{
    domain::codes,
    plan::Plan,
    store::{Salvaged, Store, StoreError, damage_of_file, plan_to_toml},
    ui::text,
};

/// The formats `export` writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// The plan format (docs/plan-format.md)
    #[default]
    Toml,
    /// The same plan as one JSON document
    Json,
    /// One row per item, with its KR codes, for spreadsheets
    Csv,
}

impl ExportFormat {
    /// `--format` when given, else what `--output`'s extension says
    /// (`.json`, `.csv`), else the plan format: `--out items.csv` alone
    /// must not write TOML into a file a spreadsheet opens.
    pub fn chosen(format: Option<Self>, output: Option<&Path>) -> Self {
        format.unwrap_or_else(|| match super::files::extension(output).as_deref() {
            Some("json") => Self::Json,
            Some("csv") => Self::Csv,
            _ => Self::Toml,
        })
    }
}

/// How much of the quarter an export saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// Read whole from a sound board (or from a damaged one, every row
    /// read): exit 0.
    Whole,
    /// Read from a damaged board, some rows skipped or references
    /// changed (said on stderr): exit 1.
    Partly,
}

/// Writes quarter `quarter` (the board's current one when `None`) in
/// `format` to `output`, or to `out` when no file is named. On a damaged
/// board (the file check finds damage, or the read meets it) the plan is
/// read past the damage (`Store::salvage_plan`) and what was skipped is
/// said on `notes`, with what to do next.
pub fn run(
    store: &Store,
    format: ExportFormat,
    quarter: Option<&str>,
    output: Option<&Path>,
    out: impl Write,
    mut notes: impl Write,
) -> anyhow::Result<Saved> {
    // A damaged index can hide rows from a read that does not fail, so a
    // damaged file is always read past the damage, never trusted whole.
    let whole = match store.refuse_if_damaged() {
        Ok(()) => read_whole(store, quarter),
        Err(error) => Err(error.into()),
    };
    let damage = match whole {
        Ok(plan) => return write(&plan, format, output, out).map(|()| Saved::Whole),
        Err(error) => match damage_of(store, &error) {
            Some(damage) => damage,
            None => return Err(error),
        },
    };
    // Nothing is written unless it is a plan: the error is the damage
    // (exit 2), said with what stopped the salvage.
    let damaged = || anyhow::Error::new(StoreError::Damaged { path: Some(store.path().to_owned()), sqlite: damage.clone() });
    let quarter_words = quarter.map(|label| format!("the quarter {label}")).unwrap_or_else(|| "the board's quarter".to_owned());
    let Some(salvaged) = store.salvage_plan(quarter)? else {
        return Err(damaged().context(NothingSaved(format!(
            "export read past the damage, but {quarter_words} itself cannot be read: nothing was written"
        ))));
    };
    if let Err(broken) = salvaged.plan.validate() {
        let lost = salvaged.skipped.join("; ");
        return Err(damaged().context(NothingSaved(format!(
            "export read past the damage, but what it could read is not a plan ({broken:#}; not read: {lost}): nothing was written"
        ))));
    }
    write(&salvaged.plan, format, output, out)?;
    let said = salvage_notes(store.path(), &damage, &salvaged, output);
    // The plan is saved: a closed stderr must not fail it.
    let _ = super::output::write_lines(&mut notes, &said);
    Ok(if salvaged.is_whole() { Saved::Whole } else { Saved::Partly })
}

/// A salvage that saved nothing: its words go before the damage's (which
/// the command line words whole, with the file), and are kept as they are.
#[derive(Debug)]
pub struct NothingSaved(String);

impl std::fmt::Display for NothingSaved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The normal read: one read of the quarter, failing at the first damage.
fn read_whole(store: &Store, quarter: Option<&str>) -> anyhow::Result<Plan> {
    let Some(quarter_id) = store.quarter_by_label(quarter)? else {
        match quarter {
            Some(label) => {
                let labels: Vec<String> = store.quarters()?.into_iter().rev().map(|quarter| quarter.label).collect();
                if labels.is_empty() {
                    bail!("--quarter {label}: the board has no quarter yet");
                }
                bail!("--quarter {label}: no such quarter on this board; its quarters are {}", labels.join(", "));
            }
            None => bail!(super::NO_QUARTER_YET),
        }
    };
    Ok(store.export_plan(quarter_id)?)
}

/// SQLite's words when `error` is the file's damage: said so by SQLite,
/// or a read failing otherwise (a value of the wrong kind where the
/// damaged page was) on a file the check finds damaged.
fn damage_of(store: &Store, error: &anyhow::Error) -> Option<String> {
    let store_error = error.chain().find_map(|cause| cause.downcast_ref::<StoreError>())?;
    store_error.damage().map(str::to_owned).or_else(|| match store_error {
        StoreError::Sqlite(_) => damage_of_file(store.path()),
        _ => None,
    })
}

fn write(plan: &Plan, format: ExportFormat, output: Option<&Path>, mut out: impl Write) -> anyhow::Result<()> {
    let text = match format {
        ExportFormat::Toml => plan_to_toml(plan)?,
        ExportFormat::Json => plan_to_json(plan)?,
        ExportFormat::Csv => plan_items_to_csv(plan)?,
    };
    match output {
        Some(path) => super::files::write_atomically(path, text.as_bytes()),
        None => {
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
    }
}

/// What a salvage says on stderr: that the board is damaged and left as
/// it was, what was skipped or changed, and what to do next.
fn salvage_notes(board: &Path, damage: &str, salvaged: &Salvaged, output: Option<&Path>) -> String {
    let plan = output.map_or_else(|| "plan.toml".to_owned(), |path| path.display().to_string());
    let mut lines = vec![format!(
        "warning: {} is damaged (SQLite says: {damage}); it was read past the damage and left as it was",
        board.display()
    )];
    if salvaged.is_whole() {
        lines.push("warning: every row of the quarter was read: nothing was skipped".to_owned());
    } else {
        lines.push("warning: saved what could still be read, but not all of it as it was:".to_owned());
        lines.extend(salvaged.skipped.iter().chain(&salvaged.adjusted).map(|note| format!("  {note}")));
    }
    lines.push(format!(
        "Next: load the plan into a new board: quarterdeck --db NEW.sqlite3 import {plan} \
         (then check it, and keep {} for SQLite's recovery)",
        board.display()
    ));
    lines.join("\n")
}

/// The plan as one JSON document, its fields as the plan file names them;
/// strings escape every control, bidi and invisible character, as the
/// command line's other JSON does.
pub fn plan_to_json(plan: &Plan) -> anyhow::Result<String> {
    let body = serde_json::to_string_pretty(plan).context("writing the plan as JSON")?;
    Ok(format!("{}\n", json_escape_invisible(&body)))
}

/// The columns of the CSV export, in order.
/// `external` came last, so a sheet that reads the others by position still does.
pub const CSV_COLUMNS: [&str; 10] =
    ["number", "krs", "title", "kind", "state", "points", "sprint", "bau", "deferred_because", "external"];

/// One row per item of the plan (RFC 4180: CRLF line ends, a field with a
/// comma, quote or line end in quotes), every text made safe for a
/// spreadsheet (`spreadsheet_safe`).
pub fn plan_items_to_csv(plan: &Plan) -> anyhow::Result<String> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS)?;
    for item in &plan.items {
        let row = [
            item.number.map(|number| number.to_string()).unwrap_or_default(),
            item.krs.join(" "),
            item.title.clone(),
            item.kind.as_str().to_owned(),
            item.state.as_str().to_owned(),
            item.points.to_string(),
            item.sprint.map(codes::sprint).unwrap_or_default(),
            if item.krs.is_empty() { "yes" } else { "no" }.to_owned(),
            item.deferred_reason.clone(),
            // `jira-csv:PROJ-123`: the tool and key an import matches on.
            item.external.as_ref().map(|external| format!("{}:{}", external.source, external.key)).unwrap_or_default(),
        ];
        writer.write_record(row.iter().map(|cell| spreadsheet_safe(cell)))?;
    }
    let bytes = writer.into_inner().context("writing the items as CSV")?;
    String::from_utf8(bytes).context("writing the items as CSV")
}

/// A cell a spreadsheet shows as text and never runs: control characters
/// made visible as the board shows them, and a value that begins with `=`,
/// `+`, `-`, `@`, a tab or a carriage return (a formula to Excel, Calc and
/// Sheets) given a leading `'`, as OWASP's "CSV injection" advice says.
pub fn spreadsheet_safe(cell: &str) -> String {
    let starts_formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let cleaned = text::clean(cell);
    if starts_formula { format!("'{cleaned}") } else { cleaned.into_owned() }
}
