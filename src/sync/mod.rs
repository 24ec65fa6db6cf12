//! Sharing a board through a git remote the team already has
//! (`quarterdeck sync`, docs/sync.md): the quarter written as plan files
//! in a clone, committed, merged three ways by stable id and field
//! (`plan::merge3`), imported through the Commands, pushed.

pub mod git;
pub mod readable;
