//! `quarterdeck sync` as laptops use it: the real binary, two (or three)
//! boards and a bare repository in a temporary folder, git configured by
//! environment only (no global config needed). docs/sync.md.

#![allow(clippy::unwrap_used)]

mod common;

#[path = "sync/net.rs"]
mod net;

#[path = "sync/exchange.rs"]
mod exchange;
#[path = "sync/failures.rs"]
mod failures;
#[path = "sync/numbers.rs"]
mod numbers;
#[path = "sync/words.rs"]
mod words;
