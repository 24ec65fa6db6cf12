//! The OKR pane's rows: each objective followed by its key results.

use super::App;
use crate::domain::Id;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OkrRow {
    /// Index into the board's objectives.
    Objective { id: Id, objective: usize },
    /// Indices into the board's objectives and that objective's KRs.
    KeyResult { id: Id, objective: usize, key_result: usize },
}

impl App {
    /// The OKR pane's rows, derived from the board (a dozen at most).
    pub fn okr_rows(&self) -> Vec<OkrRow> {
        let Some(board) = &self.board else {
            return Vec::new();
        };
        board
            .objectives
            .iter()
            .enumerate()
            .flat_map(|(o, objective)| {
                std::iter::once(OkrRow::Objective { id: objective.id, objective: o }).chain(
                    objective.key_results.iter().enumerate().map(move |(k, kr)| OkrRow::KeyResult {
                        id: kr.id,
                        objective: o,
                        key_result: k,
                    }),
                )
            })
            .collect()
    }
}
