//! The board's three panes and their `Tab` order.

/// The three panes of the board, in `Tab` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Okrs,
    Timeline,
    Backlog,
}

impl Pane {
    pub const ALL: [Self; 3] = [Self::Okrs, Self::Timeline, Self::Backlog];

    pub fn title(self) -> &'static str {
        match self {
            Self::Okrs => "OKRs",
            Self::Timeline => "Timeline",
            Self::Backlog => "Backlog",
        }
    }

    pub(super) fn key(self) -> &'static str {
        match self {
            Self::Okrs => "okrs",
            Self::Timeline => "timeline",
            Self::Backlog => "backlog",
        }
    }

    pub(super) fn index(self) -> usize {
        Self::ALL.iter().position(|pane| *pane == self).unwrap_or(0)
    }

    pub(super) fn offset(self, by: isize) -> Self {
        let count = Self::ALL.len().cast_signed();
        let index = (self.index().cast_signed() + by).rem_euclid(count);
        Self::ALL[index.cast_unsigned()]
    }
}
