//! A move of a selection: by rows, by pages, or to either end. Its own
//! module so that the screens' modules (team, retro) share it without
//! growing `app/mod.rs`.

/// A move of the selection in a list.
#[derive(Debug, Clone, Copy)]
pub(super) enum Step {
    By(isize),
    Page(isize),
    First,
    Last,
}

impl Step {
    pub(super) fn apply(self, current: usize, count: usize, page: usize) -> usize {
        let last = count.saturating_sub(1);
        match self {
            Self::By(delta) => current.saturating_add_signed(delta).min(last),
            Self::Page(pages) => current.saturating_add_signed(pages * page.max(1).cast_signed()).min(last),
            Self::First => 0,
            Self::Last => last,
        }
    }
}
