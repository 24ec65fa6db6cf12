//! One review, every front end (#17, D3): the board's `r`, `quarterdeck
//! review` (text and JSON) and `report review` say the same lines with
//! the same figures for a sprint closed, running and not started, all from
//! `domain::review::output_rows`. The figures are counted by hand from the
//! demo on its day 1 of S3.

#![allow(clippy::unwrap_used)]

mod common;

use common::{app_at, board_path, demo_store, keys, render, run_cli, select_sprint, success_stdout};

const TODAY: &str = "2026-11-23";

/// The first two whole numbers right after `label` on the first line that
/// has them there: a row of the board, of `review`'s table or of the
/// report's Markdown table.
fn figures(text: &str, label: &str) -> Option<(u64, u64)> {
    text.lines().find_map(|line| {
        let line = line.to_lowercase();
        let at = line.find(label)?;
        let rest = line[at + label.len()..].trim_start_matches([' ', '|']);
        if !rest.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let mut numbers = rest.split(|c: char| !c.is_ascii_digit()).filter(|part| !part.is_empty());
        Some((numbers.next()?.parse().ok()?, numbers.next()?.parse().ok()?))
    })
}

/// What each front end says of sprint `number`.
struct Said {
    board: String,
    text: String,
    json: serde_json::Value,
    markdown: String,
}

fn said(path: &std::path::Path, number: u32) -> Said {
    let mut app = app_at(path, 160, 48);
    select_sprint(&mut app, number);
    keys(&mut app, "r");
    let code = format!("S{number}");
    let json = success_stdout(&run_cli(path, TODAY, &["review", &code, "--json"]));
    Said {
        board: render(&app),
        text: success_stdout(&run_cli(path, TODAY, &["review", &code])),
        json: serde_json::from_str(&json).unwrap(),
        markdown: success_stdout(&run_cli(path, TODAY, &["report", "review", &code])),
    }
}

/// Every row in all three texts with the same figures, and in the JSON.
fn agree(said: &Said, rows: &[(&str, &str, (u64, u64))]) {
    for (label, key, expected) in rows {
        // The board shows what it held in the record under it, not as a line.
        if *key != "held" {
            assert_eq!(figures(&said.board, label), Some(*expected), "board {label:?}:\n{}", said.board);
        }
        assert_eq!(figures(&said.text, label), Some(*expected), "review {label:?}:\n{}", said.text);
        assert_eq!(figures(&said.markdown, &format!("| {label} |")), Some(*expected), "report {label:?}:\n{}", said.markdown);
        let (items, points) = expected;
        assert_eq!(said.json["output"][key], serde_json::json!({"items": items, "points": points}), "json {key}");
    }
}

#[test]
fn a_closed_a_running_and_a_planned_sprint_read_the_same_on_the_board_in_review_and_in_the_report() {
    let (_dir, path) = board_path();
    drop(demo_store(&path));

    // S2, closed: #5-#9 committed, 5 + 3 + 3 + 1 + 6 = 18 points, all done.
    let closed = said(&path, 2);
    agree(
        &closed,
        &[
            ("committed", "committed", (5, 18)),
            ("of it done", "committed_done", (5, 18)),
            ("added later", "added", (0, 0)),
            ("done in all", "done", (5, 18)),
            ("carried over", "carried", (0, 0)),
            ("held at the end", "held", (5, 18)),
        ],
    );

    // S3, running since today: #10 4, #11 3 (done), #12 2, #13 2, #14 6
    // committed; 4 items, 14 points unfinished, open, not carried.
    let running = said(&path, 3);
    agree(
        &running,
        &[
            ("committed", "committed", (5, 17)),
            ("of it done", "committed_done", (1, 3)),
            ("added later", "added", (0, 0)),
            ("done in all", "done", (1, 3)),
            ("unfinished", "open", (4, 14)),
            ("held now", "held", (5, 17)),
        ],
    );
    assert_eq!(running.json["output"]["carried"], serde_json::json!({"items": 0, "points": 0}), "nothing carried yet");
    for text in [&running.board, &running.text, &running.markdown] {
        assert!(!text.to_lowercase().contains("carried"), "a running sprint carries nothing yet:\n{text}");
    }
    assert!(running.board.contains("→ open     #10 Lazy-load"), "{}", running.board);
    assert!(running.text.contains("#10   open     committed"), "{}", running.text);
    assert!(running.markdown.contains("| #10 | open | committed | 4 |"), "{}", running.markdown);
    let outcomes: Vec<&str> =
        running.json["items"].as_array().unwrap().iter().map(|item| item["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["open", "done", "open", "open", "open"]);

    // S4, not started: #15 3 and #16 2 planned, nothing committed or added.
    let planned = said(&path, 4);
    agree(
        &planned,
        &[
            ("committed", "committed", (0, 0)),
            ("planned so far", "planned", (2, 5)),
            ("done in all", "done", (0, 0)),
            ("unfinished", "open", (2, 5)),
            ("held now", "held", (2, 5)),
        ],
    );
    assert_eq!(planned.json["output"]["added"], serde_json::json!({"items": 0, "points": 0}), "nothing added after a start");
    for text in [&planned.board, &planned.text, &planned.markdown] {
        assert!(text.contains("Not started: no commitment recorded yet."), "{text}");
        let lower = text.to_lowercase();
        assert!(!lower.contains("carried") && !lower.contains("added later"), "{text}");
    }
    assert!(planned.text.contains("#15   open     planned"), "{}", planned.text);
    assert!(planned.markdown.contains("| #15 | open | planned | 3 |"), "{}", planned.markdown);
}
