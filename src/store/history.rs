//! Undo and redo, kept in the board file (schema v3).
//!
//! Every user action runs through [`Store::record`]: one `BEGIN IMMEDIATE`
//! transaction that opens a history step, lets the capture triggers log
//! how to reverse each row it changes, and closes the step. Undo runs a
//! step's log newest first inside one transaction; the triggers capture
//! that reversal, which becomes the step's redo. Bulk changes are one step.

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use self::Which::{Newest, Oldest};
use super::Store;

/// Undo takes the newest done step; redo the oldest undone one.
#[derive(Clone, Copy)]
enum Which {
    Newest,
    Oldest,
}

/// Steps kept; older ones are forgotten (the issue asks for at least 100).
pub const HISTORY_DEPTH: i64 = 200;

impl Store {
    /// Runs `work` as one user action labelled `label` ("Moved 'Export CSV'
    /// to Sprint 3"), undoable as one step. An action that changed nothing
    /// leaves no step.
    pub fn record<T>(&mut self, label: &str, work: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>) -> anyhow::Result<T> {
        self.ensure_writable()?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // A new action ends the redo branch.
        tx.prepare_cached("DELETE FROM history_step WHERE state = 'undone'")?.execute([])?;
        tx.prepare_cached("INSERT INTO history_step (label, state) VALUES (?1, 'done')")?.execute([label])?;
        let step = tx.last_insert_rowid();
        tx.prepare_cached("UPDATE history_recording SET step = ?1")?.execute([step])?;
        let value = work(&tx)?;
        tx.prepare_cached("UPDATE history_recording SET step = NULL")?.execute([])?;
        let changed: bool =
            tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM change_log WHERE step = ?1)")?.query_row([step], |row| row.get(0))?;
        if changed {
            tx.prepare_cached(
                "DELETE FROM history_step WHERE id IN
                     (SELECT id FROM history_step WHERE state = 'done' ORDER BY id DESC LIMIT -1 OFFSET ?1)",
            )?
            .execute([HISTORY_DEPTH])?;
        } else {
            tx.prepare_cached("DELETE FROM history_step WHERE id = ?1")?.execute([step])?;
        }
        tx.commit()?;
        Ok(value)
    }

    /// Undoes the newest done step; returns its label, or `None` if there is
    /// nothing to undo.
    pub fn undo(&mut self) -> anyhow::Result<Option<String>> {
        self.replay("done", "undone", Newest)
    }

    /// Redoes the oldest undone step; returns its label.
    pub fn redo(&mut self) -> anyhow::Result<Option<String>> {
        self.replay("undone", "done", Oldest)
    }

    /// How many steps can be undone and redone now.
    pub fn history_depths(&self) -> rusqlite::Result<(usize, usize)> {
        self.conn.query_row(
            "SELECT count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'undone') FROM history_step",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
    }

    /// Reverses one step in state `from` and leaves it in state `to`.
    fn replay(&mut self, from: &str, to: &str, which: Which) -> anyhow::Result<Option<String>> {
        self.ensure_writable()?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let query = match which {
            Newest => "SELECT id, label FROM history_step WHERE state = ?1 ORDER BY id DESC LIMIT 1",
            Oldest => "SELECT id, label FROM history_step WHERE state = ?1 ORDER BY id ASC LIMIT 1",
        };
        let Some((step, label)) =
            tx.query_row(query, [from], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))).optional()?
        else {
            return Ok(None);
        };
        // Rows come back in an order that can break a foreign key for a
        // moment (a tag before its item); the check waits for the commit.
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let statements: Vec<(i64, String)> = tx
            .prepare("SELECT seq, sql FROM change_log WHERE step = ?1 ORDER BY seq DESC")?
            .query_map([step], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // Record the reversal as a scratch step, then make it this step's log.
        tx.prepare_cached("INSERT INTO history_step (label, state) VALUES (?1, ?2)")?.execute(params![label, to])?;
        let scratch = tx.last_insert_rowid();
        tx.prepare_cached("UPDATE history_recording SET step = ?1")?.execute([scratch])?;
        for (_, sql) in &statements {
            tx.execute_batch(sql)?;
        }
        tx.prepare_cached("UPDATE history_recording SET step = NULL")?.execute([])?;
        tx.prepare_cached("DELETE FROM change_log WHERE step = ?1")?.execute([step])?;
        tx.prepare_cached("UPDATE change_log SET step = ?1 WHERE step = ?2")?.execute(params![step, scratch])?;
        tx.prepare_cached("DELETE FROM history_step WHERE id = ?1")?.execute([scratch])?;
        tx.prepare_cached("UPDATE history_step SET state = ?1 WHERE id = ?2")?.execute(params![to, step])?;
        tx.commit()?;
        Ok(Some(label))
    }
}
