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

impl OkrRow {
    /// The objective's or the KR's id: two tables, so two ids may be equal.
    pub fn id(&self) -> Id {
        match self {
            Self::Objective { id, .. } | Self::KeyResult { id, .. } => *id,
        }
    }

    pub fn is_objective(&self) -> bool {
        matches!(self, Self::Objective { .. })
    }

    /// Lines the row takes: an objective one, a KR two (title, details).
    pub fn height(&self) -> usize {
        match self {
            Self::Objective { .. } => 1,
            Self::KeyResult { .. } => 2,
        }
    }
}

/// The first OKR row to show in `height` lines: `scroll` (the one shown
/// before) while the selection is in view from there, else the nearest row
/// that brings it into view. The list moves only when the selection leaves
/// it, so a click never shifts the rows under the pointer.
pub fn first_okr_row(rows: &[OkrRow], selected: usize, height: usize, scroll: usize) -> usize {
    if selected < scroll {
        return selected;
    }
    let mut first = scroll;
    let mut used: usize = rows.iter().skip(first).take(selected + 1 - first).map(OkrRow::height).sum();
    while used > height && first < selected {
        used -= rows[first].height();
        first += 1;
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<OkrRow> {
        // O1 with three KRs, O2 with two: 1 + 6 + 1 + 4 = 12 lines.
        let kr = |objective, key_result| OkrRow::KeyResult { id: 0, objective, key_result };
        vec![
            OkrRow::Objective { id: 0, objective: 0 },
            kr(0, 0),
            kr(0, 1),
            kr(0, 2),
            OkrRow::Objective { id: 0, objective: 1 },
            kr(1, 0),
            kr(1, 1),
        ]
    }

    #[test]
    fn the_list_scrolls_only_as_far_as_the_selection_needs() {
        let rows = rows();
        assert_eq!(first_okr_row(&rows, 3, 8, 0), 0, "7 lines fit in 8");
        assert_eq!(first_okr_row(&rows, 5, 8, 0), 2, "KR 2.1 ends on line 10: two rows (3 lines) go");
        assert_eq!(first_okr_row(&rows, 3, 8, 2), 2, "moving back up within the view keeps it");
        assert_eq!(first_okr_row(&rows, 1, 8, 2), 1, "above the view: it starts at the selection");
        assert_eq!(first_okr_row(&rows, 6, 2, 0), 6, "a tiny pane shows the selection alone");
    }
}
