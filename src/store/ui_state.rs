//! What the screen looked like when the board was left, so that starting
//! again shows the same pane and the same rows.

use rusqlite::OptionalExtension;

use super::Store;
use super::StoreError;

/// Keys of the `ui_state` table (documented in docs/schema.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiKey {
    /// `okrs`, `timeline` or `backlog`.
    FocusedPane,
    /// `objective:ID` or `key_result:ID`.
    OkrSelection,
    /// A sprint id.
    SprintSelection,
    /// An item id.
    ItemSelection,
    /// A KR id filtering the backlog, or absent.
    KrFilter,
    /// The id of the quarter on screen when it is not the running one.
    ViewedQuarter,
}

impl UiKey {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FocusedPane => "focused_pane",
            Self::OkrSelection => "okr_selection",
            Self::SprintSelection => "sprint_selection",
            Self::ItemSelection => "item_selection",
            Self::KrFilter => "kr_filter",
            Self::ViewedQuarter => "viewed_quarter",
        }
    }
}

impl Store {
    pub fn ui_value(&self, key: UiKey) -> Result<Option<String>, StoreError> {
        self.conn
            .prepare_cached("SELECT value FROM ui_state WHERE key = ?1")?
            .query_row([key.as_str()], |row| row.get(0))
            .optional()
            .map_err(StoreError::from)
    }

    /// Writes the whole UI state in one transaction; `None` removes a key.
    /// A read-only board keeps none: a lost selection costs nothing, and
    /// leaving must not fail. A state the file holds already is not
    /// written: opening a board, looking and quitting leaves the file
    /// byte-for-byte as it was.
    pub fn save_ui_state(&mut self, values: &[(UiKey, Option<String>)]) -> Result<(), StoreError> {
        if self.is_read_only() {
            return Ok(());
        }
        let mut unchanged = true;
        for (key, value) in values {
            unchanged &= self.ui_value(*key)? == *value;
        }
        if unchanged {
            return Ok(());
        }
        self.write(|tx| {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO ui_state (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?;
            let mut delete = tx.prepare_cached("DELETE FROM ui_state WHERE key = ?1")?;
            for (key, value) in values {
                match value {
                    Some(value) => upsert.execute([key.as_str(), value])?,
                    None => delete.execute([key.as_str()])?,
                };
            }
            Ok(())
        })
    }
}
