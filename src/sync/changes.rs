//! What changed between two versions of a board's quarters, in words, for
//! the commit message and the sync summary: each quarter (matched by
//! quarter id) by `plan::describe_changes` (`added #43 'Export CSV'`,
//! `#12 points 3 → 5`), a quarter added or removed as one line.

use std::collections::BTreeMap;

use crate::plan::{Plan, describe_changes};

/// Lines for what `after` changed from `before`. With several quarters on
/// either side, each line starts with its quarter's label.
pub fn describe(before: &BTreeMap<String, Plan>, after: &BTreeMap<String, Plan>) -> Vec<String> {
    let several = before.len().max(after.len()) > 1;
    let mut lines = Vec::new();
    for (id, plan) in after {
        match before.get(id) {
            None => lines.push(format!("added quarter {}", plan.quarter.label)),
            Some(old) if old != plan => {
                let label = &plan.quarter.label;
                lines.extend(
                    describe_changes(old, plan).into_iter().map(|line| if several { format!("{label}: {line}") } else { line }),
                );
            }
            Some(_) => {}
        }
    }
    for (id, plan) in before {
        if !after.contains_key(id) {
            lines.push(format!("removed quarter {}", plan.quarter.label));
        }
    }
    lines
}
