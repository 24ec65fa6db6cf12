//! `quarterdeck check`: the method's rules M1-M13 on the board, as the
//! board's health screen (`H`) checks them (`domain::health::check`, the
//! one place they are gathered), for a team's CI: exit 0 when all hold,
//! 1 when one warns (0 with `--warn-only`). Shape in docs/cli.md, "check".

use std::io::Write;

use chrono::NaiveDate;

use super::{list::board_on, output::JsonObject};
use crate::{domain::health, store::Store};

/// Checks the plan file `file` as if it were the board: it is read (a
/// broken one is an error at its line and column) and loaded into a
/// temporary board, and the same rules run on it, with the same output.
pub fn run_on_file(file: &std::path::Path, today: NaiveDate, json: bool, out: impl Write) -> anyhow::Result<usize> {
    let (plan, _) = crate::plan::read_plan_file(file)?;
    let folder = tempfile::Builder::new().prefix("quarterdeck-check-").tempdir()?;
    let mut store = Store::open(&folder.path().join("check.sqlite3"))?;
    store.import_plan_file(&plan, today, None, "check")?;
    // The plan's own advice, as its import says it; on stderr, so that
    // `--json` stays one object.
    for said in plan.advice() {
        super::output::write_lines(&mut std::io::stderr(), &format!("warning: {said}"))?;
    }
    run(&store, Some(&plan.quarter.label), today, json, out)
}

/// Prints the rules' states; returns how many rules warn.
pub fn run(store: &Store, quarter: Option<&str>, today: NaiveDate, json: bool, mut out: impl Write) -> anyhow::Result<usize> {
    let board = board_on(store, quarter)?;
    let facts = store.health_facts(board.quarter.id)?;
    let rules = health::check(&board, today, &facts.as_facts());
    let warnings = health::warnings(&rules);
    if json {
        let states: Vec<String> = rules
            .iter()
            .map(|state| {
                let breaches: Vec<String> = state
                    .breaches
                    .iter()
                    .map(|breach| JsonObject::new().string("ref", &breach.code).string("why", &breach.why).finish())
                    .collect();
                JsonObject::new()
                    .string("rule", state.rule)
                    .string("statement", state.statement)
                    .boolean("ok", state.is_ok())
                    .raw("breaches", &format!("[{}]", breaches.join(", ")))
                    .finish()
            })
            .collect();
        let object = JsonObject::new()
            .string("quarter", &board.quarter.label)
            .string("today", &today.to_string())
            .number("warnings", warnings)
            .raw("rules", &format!("[\n  {}\n]", states.join(",\n  ")))
            .finish();
        writeln!(out, "{object}")?;
        out.flush()?;
        return Ok(warnings);
    }
    writeln!(out, "Health of {} on {today}", crate::ui::text::clean(&board.quarter.label))?;
    for state in &rules {
        writeln!(out, "{:<4} {:<4} {}", state.rule, if state.is_ok() { "ok" } else { "warn" }, state.statement)?;
        for breach in &state.breaches {
            let text = format!("{}: {}", breach.code, breach.why);
            writeln!(out, "          {}", crate::ui::text::clean(&text))?;
        }
    }
    match warnings {
        0 => writeln!(out, "All {} rules hold.", rules.len())?,
        1 => writeln!(out, "1 rule of {} warns.", rules.len())?,
        n => writeln!(out, "{n} rules of {} warn.", rules.len())?,
    }
    out.flush()?;
    Ok(warnings)
}
