//! The backlog pane's state: a filter, a selection, and a window of rows.
//!
//! Only the rows around the visible part are held in memory. Moving within
//! them costs nothing; scrolling past them reads one more window with one
//! indexed query. Nothing reloads the whole backlog.

use crate::{
    domain::{Id, ItemRow},
    store::{ItemFilter, Store, StoreError, items::BacklogSummary},
};

/// Rows read around the visible ones, above and below, as a share of a
/// screen: half a screen each way keeps a fresh window cheap to read (it is
/// read whenever the filter changes) while `j`/`k` still read one only
/// every half screen.
const MARGIN_DIVISOR: usize = 2;

#[derive(Debug, Default)]
pub struct Backlog {
    pub filter: ItemFilter,
    pub summary: BacklogSummary,
    /// Position of the selected row in the filtered backlog.
    pub selected: usize,
    /// Position of the first visible row.
    pub scroll: usize,
    /// How many rows the pane shows; set from the terminal's size.
    pub height: usize,
    /// Where marking (`v`) started; the marked range runs from here to the
    /// selection.
    pub marked: Option<usize>,
    /// Position of `rows[0]` in the filtered backlog.
    window_start: usize,
    rows: Vec<ItemRow>,
}

impl Backlog {
    /// The rows on screen, with their positions.
    pub fn visible(&self) -> impl Iterator<Item = (usize, &ItemRow)> {
        let from = self.scroll.saturating_sub(self.window_start);
        (self.window_start + from..).zip(self.rows.iter().skip(from).take(self.height.max(1)))
    }

    pub fn selected_row(&self) -> Option<&ItemRow> {
        self.held_row(self.selected)
    }

    /// The marked positions, when marking.
    pub fn marked_range(&self) -> Option<std::ops::RangeInclusive<usize>> {
        let anchor = self.marked?.min(self.summary.count.saturating_sub(1));
        Some(anchor.min(self.selected)..=anchor.max(self.selected))
    }

    /// The held row at `position` in the filtered backlog, if held.
    pub fn held_row(&self, position: usize) -> Option<&ItemRow> {
        position.checked_sub(self.window_start).and_then(|index| self.rows.get(index))
    }

    pub fn selected_id(&self) -> Option<Id> {
        self.selected_row().map(|row| row.id)
    }

    /// Re-reads the count and the window, keeping `keep` selected if it is
    /// still listed (else the same position, within bounds).
    pub fn reload(&mut self, store: &Store, keep: Option<Id>) -> Result<(), StoreError> {
        self.summary = store.backlog_summary(&self.filter)?;
        if let Some(id) = keep
            && let Some(position) = store.backlog_position(&self.filter, id)?
        {
            self.selected = position;
        }
        self.rows.clear();
        self.clamp_and_fetch(store)
    }

    /// The held rows' item ids with `a` and `b` trading places: the window
    /// after a swap of their ranks. `None` unless both are held.
    pub fn held_ids_swapping(&self, a: Id, b: Id) -> Option<Vec<Id>> {
        let mut ids = self.held_ids();
        let (at_a, at_b) = (ids.iter().position(|id| *id == a)?, ids.iter().position(|id| *id == b)?);
        ids.swap(at_a, at_b);
        Some(ids)
    }

    /// The held rows' item ids, in order.
    pub fn held_ids(&self) -> Vec<Id> {
        self.rows.iter().map(|row| row.id).collect()
    }

    /// After a write that cannot change which items the held window has
    /// (two held rows swapped, a state changed while the filter does not
    /// select by state): reads those rows again by id, expecting them in
    /// the order `expected`, and selects position `selected`. The window
    /// is not read again by position, which costs more the deeper it is.
    /// Rows that come back otherwise (another program wrote, ranks that
    /// collided) fall back to a whole reload, keeping the selected item.
    pub fn reload_held(&mut self, store: &Store, selected: usize, expected: &[Id]) -> Result<(), StoreError> {
        let keep = self.selected_id();
        let summary = store.backlog_summary(&self.filter)?;
        let rows = store.items_by_id(expected)?;
        if summary.count != self.summary.count || !rows.iter().map(|row| row.id).eq(expected.iter().copied()) {
            return self.reload(store, keep);
        }
        self.summary = summary;
        self.rows = rows;
        self.selected = selected;
        self.clamp_and_fetch(store)
    }

    /// Moves the selection by `delta` rows (clamped to the list).
    pub fn move_by(&mut self, store: &Store, delta: isize) -> Result<(), StoreError> {
        self.selected = self.selected.saturating_add_signed(delta);
        self.clamp_and_fetch(store)
    }

    pub fn move_to(&mut self, store: &Store, position: usize) -> Result<(), StoreError> {
        self.selected = position;
        self.clamp_and_fetch(store)
    }

    pub fn set_height(&mut self, store: &Store, height: usize) -> Result<(), StoreError> {
        self.height = height;
        self.clamp_and_fetch(store)
    }

    fn clamp_and_fetch(&mut self, store: &Store) -> Result<(), StoreError> {
        let count = self.summary.count;
        let height = self.height.max(1);
        self.selected = self.selected.min(count.saturating_sub(1));
        if self.selected < self.scroll {
            self.scroll = self.selected;
        } else if self.selected >= self.scroll + height {
            self.scroll = self.selected + 1 - height;
        }
        self.scroll = self.scroll.min(count.saturating_sub(height));
        let wanted_end = (self.scroll + height).min(count);
        let held_end = self.window_start + self.rows.len();
        if self.scroll >= self.window_start && wanted_end <= held_end && !(self.rows.is_empty() && count > 0) {
            return Ok(());
        }
        let margin = height / MARGIN_DIVISOR;
        let start = self.scroll.saturating_sub(margin);
        let limit = height + 2 * margin;
        self.rows = store.backlog_page(&self.filter, start, limit)?;
        self.window_start = start;
        Ok(())
    }
}
