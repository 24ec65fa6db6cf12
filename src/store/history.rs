//! Undo and redo, kept in the board file (schema v3; windows apart since v6).
//!
//! Every user action runs through [`Store::record`]: one `BEGIN IMMEDIATE`
//! transaction that opens a history step, lets the capture triggers
//! (`capture.rs`) log how to reverse each row it changes, and closes the
//! step. Undo runs a step's log newest first inside one transaction; the
//! triggers capture that reversal, which becomes the step's redo. Bulk
//! changes are one step.
//!
//! Several windows may share the file. Each step names the run that made
//! it and its user ([`Session`]): undo and redo take this window's steps,
//! then this user's steps from runs that have ended (after a restart). A
//! step of a window still open is undone only when the user asks for it by
//! its id, after being told whose it is ([`Store::newest_foreign_step`]).

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Store, StoreError, session::has_ended};
use crate::domain::Id;

/// Steps kept; older ones are forgotten (the issue asks for at least 100).
pub const HISTORY_DEPTH: i64 = 200;

/// A step another window (or another user) made, offered for undo only
/// after asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignStep {
    pub id: i64,
    pub label: String,
    pub author: String,
    /// When it was made, `YYYY-MM-DD HH:MM` in UTC.
    pub at: String,
}

/// Which end of a state's steps to take: undo takes the newest done step;
/// redo the oldest undone one (the last one undone).
#[derive(Clone, Copy)]
enum Which {
    Newest,
    Oldest,
}

impl Store {
    /// Runs `work` as one user action labelled `label` ("Moved 'Export CSV'
    /// to Sprint 3"), undoable as one step. An action that changed nothing
    /// leaves no step. A row `work` needs that is not there (it returns
    /// `QueryReturnedNoRows`) was deleted elsewhere: [`StoreError::Deleted`].
    /// Another process's lock fails it with [`StoreError::Busy`], nothing written.
    /// A guard inside `work` may refuse the write with a [`StoreError`]
    /// (carried out of the closure by `StoreError::inside_sqlite`): the
    /// caller gets that refusal as it is. A transaction that fails is rolled
    /// back (rusqlite's `Transaction` rolls back when dropped), so nothing
    /// of it was written and a [`StoreError::Busy`] write is safe to retry.
    pub fn record<T>(
        &mut self,
        label: &str,
        work: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        self.record_unnamed(label, work).map_err(|error| self.named(error))
    }

    /// [`Store::record`], before its error names the file.
    fn record_unnamed<T>(
        &mut self,
        label: &str,
        work: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        self.ensure_writable()?;
        let mine = self.my_sessions(&["undone"])?;
        let tx = self.begin_immediate()?;
        tx.prepare_cached("INSERT INTO history_step (label, state, session, author) VALUES (?1, 'done', ?2, ?3)")?
            .execute(params![label, self.session.id, self.session.author])?;
        let step = tx.last_insert_rowid();
        tx.prepare_cached("UPDATE history_recording SET step = ?1")?.execute([step])?;
        let value = work(&tx).map_err(|error| match error {
            rusqlite::Error::QueryReturnedNoRows => StoreError::Deleted { action: label.to_owned() },
            error => error.into(),
        })?;
        tx.prepare_cached("UPDATE history_recording SET step = NULL")?.execute([])?;
        let changed: bool =
            tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM change_log WHERE step = ?1)")?.query_row([step], |row| row.get(0))?;
        if changed {
            // A new action ends this user's redo branch; other windows keep
            // theirs. An action that changed nothing is no new action: the
            // redo branch stays (the model test found it lost).
            for session in &mine {
                tx.prepare_cached("DELETE FROM history_step WHERE state = 'undone' AND session = ?1")?.execute([session])?;
            }
            // Each user keeps their newest steps, whatever other users do.
            tx.prepare_cached(
                "DELETE FROM history_step WHERE id IN
                     (SELECT id FROM history_step WHERE state = 'done' AND author = ?2 ORDER BY id DESC LIMIT -1 OFFSET ?1)",
            )?
            .execute(params![HISTORY_DEPTH, self.session.author])?;
        } else {
            tx.prepare_cached("DELETE FROM history_step WHERE id = ?1")?.execute([step])?;
        }
        tx.commit()?;
        Ok(value)
    }

    /// Undoes this window's newest step (else this user's newest from a run
    /// that has ended); returns its label, or `None` if there is none.
    pub fn undo(&mut self) -> Result<Option<String>, StoreError> {
        self.ensure_writable()?;
        let Some(step) = self.my_step("done", Which::Newest)? else { return Ok(None) };
        self.replay(step, "undone")
    }

    /// Redoes the step this window undid last; returns its label.
    pub fn redo(&mut self) -> Result<Option<String>, StoreError> {
        self.ensure_writable()?;
        let Some(step) = self.my_step("undone", Which::Oldest)? else { return Ok(None) };
        self.replay(step, "done")
    }

    /// The step `u` would take back next, when it asks first: its id and
    /// what it did ("opening 2027-Q1"). `None` when it needs no question.
    pub fn undo_needs_asking(&self) -> Result<Option<(i64, String)>, StoreError> {
        let Some(step) = self.my_step("done", Which::Newest)? else { return Ok(None) };
        self.step_question(step)
    }

    /// The step `Ctrl-r` would do again next, when it asks first.
    pub fn redo_needs_asking(&self) -> Result<Option<(i64, String)>, StoreError> {
        let Some(step) = self.my_step("undone", Which::Oldest)? else { return Ok(None) };
        self.step_question(step)
    }

    fn step_question(&self, step: i64) -> Result<Option<(i64, String)>, StoreError> {
        let ask: Option<String> =
            self.conn.query_row("SELECT ask FROM history_step WHERE id = ?1", [step], |row| row.get(0)).optional()?;
        Ok(ask.filter(|ask| !ask.is_empty()).map(|ask| (step, ask)))
    }

    /// Redoes the step `id` (after the user was asked), if it is undone.
    pub fn redo_step(&mut self, id: i64) -> Result<Option<String>, StoreError> {
        let undone: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM history_step WHERE id = ?1 AND state = 'undone')",
            [id],
            |row| row.get(0),
        )?;
        if undone { self.replay(id, "done") } else { Ok(None) }
    }

    /// Undoes the step `id`, whoever made it: after the user was asked.
    pub fn undo_step(&mut self, id: i64) -> Result<Option<String>, StoreError> {
        let done: bool =
            self.conn.query_row("SELECT EXISTS (SELECT 1 FROM history_step WHERE id = ?1 AND state = 'done')", [id], |row| {
                row.get(0)
            })?;
        if done { self.replay(id, "undone") } else { Ok(None) }
    }

    /// The newest step made by another window or user, when this window has
    /// nothing of its own to undo.
    pub fn newest_foreign_step(&self) -> Result<Option<ForeignStep>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, label, author, substr(replace(at, 'T', ' '), 1, 16) FROM history_step
                 WHERE state = 'done' ORDER BY id DESC LIMIT 1",
                [],
                |row| Ok(ForeignStep { id: row.get(0)?, label: row.get(1)?, author: row.get(2)?, at: row.get(3)? }),
            )
            .optional()?)
    }

    /// How many steps this window can undo and redo now.
    pub fn history_depths(&self) -> Result<(usize, usize), StoreError> {
        let mine = self.my_sessions(&["done", "undone"])?;
        let mut depths = (0, 0);
        for session in &mine {
            let (done, undone): (usize, usize) = self.conn.query_row(
                "SELECT count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'undone')
                 FROM history_step WHERE session = ?1",
                [session],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            depths = (depths.0 + done, depths.1 + undone);
        }
        Ok(depths)
    }

    /// The runs whose steps in `states` this window may take back without
    /// asking: its own, and its user's runs that have ended. Steps from
    /// before schema v6 (no session) count as the user's.
    fn my_sessions(&self, states: &[&str]) -> rusqlite::Result<Vec<String>> {
        let mut statement = self.conn.prepare_cached("SELECT DISTINCT session, author FROM history_step WHERE state = ?1")?;
        let mut mine = vec![self.session.id.clone()];
        for state in states {
            let found: Vec<(String, String)> =
                statement.query_map([state], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            for (session, author) in found {
                let ended_run_of_mine = session.is_empty() || (author == self.session.author && has_ended(&session));
                if ended_run_of_mine && !mine.contains(&session) {
                    mine.push(session);
                }
            }
        }
        Ok(mine)
    }

    /// This window's step in `state` at the `which` end: its own run's
    /// first, then the newest (or oldest) among its user's ended runs.
    fn my_step(&self, state: &str, which: Which) -> rusqlite::Result<Option<i64>> {
        if let Which::Oldest = which {
            // Redo takes back the step undone last, whichever run made it:
            // steps undone in turn are redone in turn.
            let mut statement = self.conn.prepare_cached(
                "SELECT id FROM history_step WHERE state = ?1 AND session = ?2 ORDER BY undone_order DESC, id LIMIT 1",
            )?;
            let mut best: Option<(i64, i64)> = None;
            for session in self.my_sessions(&[state])? {
                let found: Option<(i64, i64)> = statement
                    .query_row(params![state, session], |row| row.get(0))
                    .optional()?
                    .map(|id: i64| (self.undone_order(id).unwrap_or(0), id));
                best = best.max(found);
            }
            return Ok(best.map(|(_, id)| id));
        }
        let query = "SELECT max(id) FROM history_step WHERE state = ?1 AND session = ?2";
        let mut statement = self.conn.prepare_cached(query)?;
        let mut best: Option<i64> = None;
        for session in self.my_sessions(&[state])? {
            let found: Option<i64> = statement.query_row(params![state, session], |row| row.get(0))?;
            if session == self.session.id && found.is_some() {
                return Ok(found);
            }
            best = best.max(found);
        }
        Ok(best)
    }

    fn undone_order(&self, step: i64) -> Option<i64> {
        self.conn.query_row("SELECT undone_order FROM history_step WHERE id = ?1", [step], |row| row.get(0)).ok().flatten()
    }

    /// Reverses step `step` and leaves it in state `to`. A step that can no
    /// longer be reversed (the board changed under it beyond repair) is
    /// dropped from the history, saying so, so undo is never stuck.
    fn replay(&mut self, step: i64, to: &str) -> Result<Option<String>, StoreError> {
        self.ensure_writable()?;
        // Foreign keys are checked as each statement runs first: `PRAGMA
        // defer_foreign_keys` makes SQLite throw away every statement this
        // connection has prepared, and a long-lived writer (the board, an
        // importer) would prepare them all again after each undo. Only a
        // step whose rows come back in an order that breaks a key for a
        // moment is replayed again, from the start, with the check deferred.
        let replayed = match self.try_replay(step, to, false) {
            Err(error) if is_foreign_key(&error) => self.try_replay(step, to, true),
            replayed => replayed,
        };
        match replayed {
            Ok(None) => Ok(None),
            Ok(Some(Replayed::Done { label, kept: 0 })) => Ok(Some(label)),
            Ok(Some(Replayed::Done { label, kept })) => {
                let changes = if kept == 1 { "1 change" } else { "changes" };
                Ok(Some(format!("{label} (kept {changes} made elsewhere since)")))
            }
            Ok(Some(Replayed::NothingLeft(label))) => Err(StoreError::NothingLeftToReverse { label }),
            Ok(Some(Replayed::BreaksSprint { sprint, closed })) => Err(StoreError::SprintChangedSince { sprint, closed }),
            Err(error) if is_constraint(&error) => {
                let label: Option<String> =
                    self.conn.query_row("SELECT label FROM history_step WHERE id = ?1", [step], |row| row.get(0)).optional()?;
                self.write(|tx| tx.execute("DELETE FROM history_step WHERE id = ?1", [step]).map(|_| ()))?;
                Err(StoreError::NoLongerReversible { label: label.unwrap_or_default(), why: error })
            }
            Err(error) => Err(self.named(error.into())),
        }
    }

    fn try_replay(&mut self, step: i64, to: &str, defer_foreign_keys: bool) -> rusqlite::Result<Option<Replayed>> {
        let tx = self.begin_immediate()?;
        let Some(label) =
            tx.query_row("SELECT label FROM history_step WHERE id = ?1", [step], |row| row.get::<_, String>(0)).optional()?
        else {
            return Ok(None);
        };
        // Rows come back in an order that can break a foreign key for a
        // moment (a tag before its item); the check waits for the commit.
        if defer_foreign_keys {
            tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        }
        // Sprints already at odds (an old file) are not this step's doing.
        let at_odds_before: Vec<Id> = super::sprints::inconsistent_sprints(&tx)?.into_iter().map(|(id, _, _)| id).collect();
        let depended_on = super::sprints::closes_a_start_depends_on(&tx)?;
        let statements: Vec<String> = tx
            .prepare("SELECT sql FROM change_log WHERE step = ?1 ORDER BY seq DESC")?
            .query_map([step], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // Record the reversal as a scratch step, then make it this step's log.
        tx.prepare_cached("INSERT INTO history_step (label, state, session, author) SELECT label, ?2, session, author FROM history_step WHERE id = ?1")?
            .execute(params![step, to])?;
        let scratch = tx.last_insert_rowid();
        tx.prepare_cached("UPDATE history_recording SET step = ?1")?.execute([scratch])?;
        // A statement that finds nothing to change meets a row changed or
        // deleted elsewhere since: that change stands.
        let (mut applied, mut kept) = (0_usize, 0_usize);
        for sql in &statements {
            if tx.execute(sql, [])? > 0 {
                applied += 1;
            } else {
                kept += 1;
            }
        }
        if applied == 0 && !statements.is_empty() {
            // Nothing of the step is left to take back: it goes, and the
            // next undo takes the step before it.
            drop(tx);
            self.write(|tx| tx.execute("DELETE FROM history_step WHERE id = ?1", [step]).map(|_| ())).map_err(
                |error| match error {
                    StoreError::Sqlite(error) => error,
                    _ => rusqlite::Error::QueryReturnedNoRows,
                },
            )?;
            return Ok(Some(Replayed::NothingLeft(label)));
        }
        tx.prepare_cached("UPDATE history_recording SET step = NULL")?.execute([])?;
        // A reversal that leaves a sprint's state, start and record at odds
        // (its start undone while it was closed since, elsewhere) would
        // break every later read of it: refused, the step kept, nothing
        // changed (dropping `tx` rolls back). Undoing the later step first
        // makes it reversible again.
        let at_odds = super::sprints::inconsistent_sprints(&tx)?;
        if let Some(&(_, sprint, closed)) = at_odds.iter().find(|(id, _, _)| !at_odds_before.contains(id)) {
            return Ok(Some(Replayed::BreaksSprint { sprint, closed }));
        }
        // A close whose carried items a later sprint committed to since:
        // reopening it would pull them out of that commitment.
        for (closed_sprint, later) in depended_on {
            let still_closed: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM sprint WHERE id = ?1 AND state = 'closed')")?
                .query_row([closed_sprint], |row| row.get(0))?;
            if !still_closed {
                return Ok(Some(Replayed::BreaksSprint { sprint: later, closed: false }));
            }
        }
        // Not recorded: a copy the replay itself keeps true (see check_ins).
        super::check_ins::sync_all_current(&tx)?;
        // The KRs' backlog tallies are kept by triggers as rows change, but
        // a replay that deletes and puts back KRs with their tags (undoing
        // a quarter replaced whole by an import or a sync) left each one
        // an item too high: counted again from the tags instead.
        if statements.iter().any(|sql| sql.starts_with("INSERT INTO key_result ") || sql.starts_with("DELETE FROM key_result ")) {
            tx.execute_batch(
                "DELETE FROM backlog_tally WHERE scope > 0;
                 INSERT INTO backlog_tally (scope, items, points)
                     SELECT key_result_id, count(*), coalesce(sum(points), 0) FROM item_kr GROUP BY key_result_id;",
            )?;
        }
        tx.prepare_cached("DELETE FROM change_log WHERE step = ?1")?.execute([step])?;
        tx.prepare_cached("UPDATE change_log SET step = ?1 WHERE step = ?2")?.execute(params![step, scratch])?;
        tx.prepare_cached("DELETE FROM history_step WHERE id = ?1")?.execute([scratch])?;
        tx.prepare_cached(
            "UPDATE history_step SET state = ?1,
                 undone_order = CASE WHEN ?1 = 'undone' THEN (SELECT coalesce(max(undone_order), 0) + 1 FROM history_step) END
             WHERE id = ?2",
        )?
        .execute(params![to, step])?;
        tx.commit()?;
        Ok(Some(Replayed::Done { label, kept }))
    }
}

/// What replaying a step did.
enum Replayed {
    /// Taken back (or done again); `kept` changes made elsewhere since stood.
    Done { label: String, kept: usize },
    /// Everything it changed was changed or deleted elsewhere since.
    NothingLeft(String),
    /// Refused: it would leave sprint number `sprint` (closed or not now)
    /// with its state, start and record at odds.
    BreaksSprint { sprint: u32, closed: bool },
}

fn is_constraint(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
}

/// A foreign key broken, checked as the statement ran.
fn is_foreign_key(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(failure, _) if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
}

/// Renames the step being recorded, for an action whose words depend on
/// what it found in the file ("'Export CSV' is now done").
pub(super) fn relabel(tx: &Transaction<'_>, label: &str) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE history_step SET label = ?1 WHERE id = (SELECT step FROM history_recording)")?.execute([label])?;
    Ok(())
}

/// Makes the step being recorded ask before it is undone or redone, naming
/// what it did (`what`: "opening 2027-Q1"): a quarter's close or opening.
pub(super) fn ask_before_replay(tx: &Transaction<'_>, what: &str) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE history_step SET ask = ?1 WHERE id = (SELECT step FROM history_recording)")?.execute([what])?;
    Ok(())
}
