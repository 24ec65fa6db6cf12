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
    store::{Store, plan_to_toml},
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

/// Writes quarter `quarter` (the board's current one when `None`) in
/// `format` to `output`, or to `out` when no file is named.
pub fn run(
    store: &Store,
    format: ExportFormat,
    quarter: Option<&str>,
    output: Option<&Path>,
    mut out: impl Write,
) -> anyhow::Result<()> {
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
    let plan = store.export_plan(quarter_id)?;
    let text = match format {
        ExportFormat::Toml => plan_to_toml(&plan)?,
        ExportFormat::Json => plan_to_json(&plan)?,
        ExportFormat::Csv => plan_items_to_csv(&plan)?,
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
