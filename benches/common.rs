//! Boards of N items for the benchmarks, made once per run with the same
//! generator as `quarterdeck demo --items N`.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use chrono::NaiveDate;
use quarterdeck::{plan::Plan, store::Store};

pub const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// A fixed "today", so every run measures the same board.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// A fresh board file of `items` items under the target folder.
pub fn board(items: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-boards");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("board-{items}.sqlite3"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut store = Store::open(&path).unwrap();
    store.import_synthetic(&Plan::synthetic(today(), items).unwrap(), today(), false).unwrap();
    path
}
