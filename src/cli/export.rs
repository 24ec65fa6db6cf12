//! `quarterdeck export --format toml`: a quarter as a plan file
//! (docs/plan-format.md), to stdout or, written atomically, to a file.

use std::{io::Write, path::Path};

use anyhow::bail;

use crate::store::{Store, plan_to_toml};

/// The formats `export` writes.
#[derive(Debug, Clone, Copy, Default, clap::ValueEnum)]
pub enum ExportFormat {
    /// The plan format (docs/plan-format.md)
    #[default]
    Toml,
}

/// Writes quarter `quarter` (the board's current one when `None`) as TOML
/// to `output`, or to `out` when no file is named.
pub fn run(store: &Store, quarter: Option<&str>, output: Option<&Path>, mut out: impl Write) -> anyhow::Result<()> {
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
    let text = plan_to_toml(&store.export_plan(quarter_id)?)?;
    match output {
        Some(path) => super::files::write_atomically(path, text.as_bytes()),
        None => {
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
    }
}
