//! Quarterdeck: a keyboard-first terminal planning board for Scrum teams
//! under quarterly OKRs. See README.md and docs/.

pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod format;
pub mod geometry;
pub mod import;
pub mod ops;
pub mod plan;
pub mod shell;
pub mod store;
pub mod sync;
pub mod tui;
pub mod ui;
