//! A large Jira CSV export ("all fields" shape: repeated Labels, Sprint,
//! Component/s and Comment columns, quoted multi-line descriptions with
//! commas and quotes, locale dates, CRLF, a BOM), written row by row so
//! even the writing holds no more than one row. Shared by
//! benches/import_read.rs and examples/read_import.rs.

#![allow(dead_code, clippy::unwrap_used)]

use std::{
    fs::File,
    io::{BufWriter, Write},
    path::Path,
};

const HEADER: &str = "Summary,Issue key,Issue id,Issue Type,Status,Project key,Project name,Priority,Resolution,\
Assignee,Reporter,Created,Updated,Last Viewed,Resolved,Component/s,Component/s,Labels,Labels,Labels,Description,\
Custom field (Story point estimate),Custom field (Story Points),Sprint,Sprint,Parent id,Comment,Comment,Watchers,Watchers";

const STATUSES: [(&str, &str); 5] =
    [("To Do", ""), ("In Progress", ""), ("In Review", ""), ("Done", "Done"), ("Closed", "Won't Do")];
const LABELS: [&str; 4] = ["checkout", "onboarding", "payments", "mobile"];
const MONTHS: [&str; 3] = ["Oct", "Nov", "Dec"];

/// Writes a Jira export of `rows` issues to `path`.
pub fn write_jira_csv(path: &Path, rows: usize) {
    let mut out = BufWriter::new(File::create(path).unwrap());
    out.write_all(b"\xEF\xBB\xBF").unwrap();
    write!(out, "{HEADER}\r\n").unwrap();
    for row in 0..rows {
        let (status, resolution) = STATUSES[row % STATUSES.len()];
        let day = 1 + row % 28;
        let month = MONTHS[row % MONTHS.len()];
        let hour = 1 + row % 12;
        let minute = row % 60;
        let resolved = if resolution.is_empty() { String::new() } else { format!("{day:02}/{month}/26 {hour}:{minute:02} PM") };
        let parent = if row % 10 == 9 { format!("{}", 10_000 + row - 1) } else { String::new() };
        let kind = if parent.is_empty() { "Story" } else { "Sub-task" };
        write!(
            out,
            "Checkout step {row}: make the \"{label}\" flow faster,CHK-{row},{id},{kind},{status},CHK,Checkout,Medium,{resolution},\
             ana.silva,li.wei,{day:02}/{month}/26 {hour}:{minute:02} AM,2026-{month_number:02}-{day:02} 15:{minute:02},,{resolved},\
             Payments,,{label},{second_label},,\"Why: customers drop out at step {row}.\r\nWhat: \"\"one tap\"\", no redirect,\r\n\
             no CVC prompt.\",{points},,Team Sprint {sprint},Team Sprint {next_sprint},{parent},\
             {day:02}/{month}/26 10:12 AM;ana.silva;Looked at it; fine,,ana.silva,\r\n",
            label = LABELS[row % LABELS.len()],
            second_label = LABELS[(row / 4) % LABELS.len()],
            id = 10_000 + row,
            month_number = 10 + row % MONTHS.len(),
            points = [1, 2, 3, 5, 8][row % 5],
            sprint = 10 + row % 6,
            next_sprint = 11 + row % 6,
        )
        .unwrap();
    }
    out.flush().unwrap();
}
