//! Other tools' exports (`quarterdeck import --from TOOL FILE`,
//! docs/import.md) that cannot be read: refused with exit code 1, naming the
//! file, the line (and column where there is one) and what to do, with the
//! board byte-identical.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    sync::OnceLock,
    time::{Duration, Instant},
};

use super::harness::{BIN, DEADLINE, Folder, TODAY, assert_message, assert_unchanged};

fn refused_import(tool: &str, name: &str, bytes: &[u8], names: &[&str]) {
    let folder = Folder::new();
    let board = folder.demo_board();
    let file = folder.file(name);
    fs::write(&file, bytes).unwrap();
    let before = folder.snapshot();
    let ran = folder.run(&board, &["import", "--from", tool, &file.to_string_lossy()]);
    assert_eq!(ran.code, Some(1), "{}", ran.all());
    assert_message(&ran.stderr, &[name], names, &format!("import --from {tool}"));
    assert!(ran.stderr.contains("nothing was changed"), "{}", ran.stderr);
    assert_unchanged(&folder, &before, &format!("import --from {tool}"));
}

pub fn jira_broken_quoting() {
    refused_import(
        "jira-csv",
        "jira.csv",
        b"Issue key,Summary,Status\nCHK-1,\"Pay with a card,To Do\nCHK-2,Guest,To Do\n",
        &["line 2, column Summary", "quote"],
    );
}

pub fn jira_wrong_header() {
    refused_import("jira-csv", "jira.csv", b"Card Name,List,Labels\nPay,Doing,checkout\n", &["line 1", "Issue key", "--from"]);
}

pub fn jira_empty_file() {
    refused_import("jira-csv", "jira.csv", b"", &["line 1", "empty", "export it again"]);
}

pub fn jira_not_utf8() {
    refused_import(
        "jira-csv",
        "jira.csv",
        b"Issue key,Summary,Status\nCHK-1,Caf\xe9 banner,To Do\n",
        &["line 2, column Summary", "UTF-8"],
    );
}

pub fn linear_broken_quoting() {
    refused_import(
        "linear-csv",
        "linear.csv",
        b"ID,Title,Status\nENG-1,\"Retry payments,Todo\nENG-2,Guest,Todo\n",
        &["line 2, column Title", "quote"],
    );
}

pub fn linear_wrong_header() {
    refused_import("linear-csv", "linear.csv", b"Issue key,Summary,Status\nCHK-1,First,To Do\n", &["line 1", "`ID`", "--from"]);
}

pub fn linear_empty_file() {
    refused_import("linear-csv", "linear.csv", b"", &["line 1", "empty", "export it again"]);
}

pub fn linear_not_utf8() {
    refused_import(
        "linear-csv",
        "linear.csv",
        b"ID,Title,Status\nENG-1,Caf\xe9 banner,Todo\n",
        &["line 2, column Title", "UTF-8"],
    );
}

pub fn taskwarrior_broken_quoting() {
    refused_import(
        "taskwarrior",
        "tasks.json",
        b"[\n{\"uuid\":\"a\",\"description\":\"first\",\"status\":\"pending\"},\n{\"uuid\":\"b\",\"description\":\"sec\n",
        &["line 3", "task export"],
    );
}

pub fn taskwarrior_wrong_shape() {
    refused_import("taskwarrior", "tasks.json", b"{\"name\": \"not a task\"}\n", &["line 1", "uuid", "task export"]);
}

pub fn taskwarrior_empty_file() {
    refused_import("taskwarrior", "tasks.json", b"", &["line 1", "empty", "task export"]);
}

pub fn taskwarrior_not_utf8() {
    refused_import(
        "taskwarrior",
        "tasks.json",
        b"{\"uuid\":\"a\",\"description\":\"Caf\xe9\",\"status\":\"pending\"}\n",
        &["line 1", "UTF-8"],
    );
}

/// A 50 MB Jira export, made once per run: rows of a real shape, with a
/// quote opened on line 2 that is never closed, so the reader must go
/// through all of it before it can say so.
fn fifty_megabytes() -> &'static Path {
    static FILE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = FILE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        let mut out = std::io::BufWriter::new(fs::File::create(&path).unwrap());
        out.write_all(b"Issue key,Summary,Status,Description\nBIG-0,\"Opened and never closed,To Do,\n").unwrap();
        let padding = "x".repeat(120);
        let mut written = 0;
        let mut row = 1;
        while written < 50 * 1024 * 1024 {
            let line = format!("BIG-{row},Item {row},To Do,{padding}\n");
            out.write_all(line.as_bytes()).unwrap();
            written += line.len();
            row += 1;
        }
        out.flush().unwrap();
        (dir, path)
    });
    path
}

/// The 50 MB file is refused within the deadline, at its line, and the
/// reader's memory stays within a few times the file's size (sampled from
/// `/proc` while it runs).
pub fn a_50_mb_export() {
    let folder = Folder::new();
    let board = folder.demo_board();
    let big = fifty_megabytes();
    let before = folder.snapshot();
    let mut child = std::process::Command::new(BIN)
        .args(["import", "--from", "jira-csv"])
        .arg(big)
        .arg("--db")
        .arg(&board)
        .args(["--today", TODAY])
        .env("HOME", &folder.home)
        .env("XDG_CONFIG_HOME", folder.home.join("config"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let deadline = Instant::now() + DEADLINE;
    let mut peak_kb = 0_u64;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        let resident = fs::read_to_string(&status_file).unwrap_or_default();
        let kb = resident
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.split_whitespace().next()?.parse().ok());
        peak_kb = peak_kb.max(kb.unwrap_or(0));
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("a 50 MB export took longer than {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_message(&stderr, &["big.csv", "line 2, column Summary", "quote", "nothing was changed"], &[], "a 50 MB export");
    assert!(peak_kb < 300 * 1024, "reading 50 MB took {peak_kb} kB of memory");
    assert_unchanged(&folder, &before, "a 50 MB export");
}
