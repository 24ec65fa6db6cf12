//! One exchange (`quarterdeck sync`): the board written as plan files and
//! committed on the commit it last synced, the remote fetched, the two
//! merged by quarter (`plan::merge3`), the merge imported through the
//! Commands in ONE transaction with the sync state, then pushed. Steps in
//! docs/sync.md; every step is safe to be killed at (`kill_at`).

use anyhow::Context;

use super::{
    Options,
    changes::describe,
    kill_at,
    quarters::{Merged, Quarters, files_of, highest_number, merge_quarters, quarters_of},
    readable,
    repo::{RemoteError, Repo, short},
    report::{MORE_IN_THE_COMMIT, Outcome, Report, count, now},
};
use crate::{
    domain::ids::QuarterId,
    ops::{self, BOARD_CHANGED_DURING_SYNC, Command, OpError},
    plan::{Choices, Conflict, ConflictKind, Side},
    store::{BoardAsRead, Store, SyncedTo},
};

/// How often a sync starts over (the board changed under it, the remote
/// moved during the push) before it says so.
pub const ATTEMPTS: usize = 4;

/// How one attempt ended.
pub enum Attempt {
    Done(Box<Report>),
    /// Start over: the board changed meanwhile, or the push met new commits.
    Again,
}

/// Every quarter of the board as it is now.
fn export_board(store: &Store) -> anyhow::Result<Quarters> {
    let mut quarters = Quarters::new();
    for quarter in store.quarters()? {
        let plan = store.export_plan(quarter.id)?;
        let id = plan.quarter.id.clone().with_context(|| format!("quarter {} has no stable id", quarter.label))?;
        quarters.insert(id, plan);
    }
    Ok(quarters)
}

/// The board's quarters as exported, by their rows, for the import.
fn as_read(store: &Store, board: Quarters, data_version: i64) -> anyhow::Result<BoardAsRead> {
    let mut quarters = Vec::with_capacity(board.len());
    for plan in board.into_values() {
        if let Some(id) = store.quarter_of_plan(&plan)? {
            quarters.push((id, plan));
        }
    }
    Ok(BoardAsRead { data_version, quarters })
}

/// A commit message: a subject, then one line per change.
fn message(subject: &str, lines: &[String]) -> String {
    let mut text = format!("{subject}\n");
    if !lines.is_empty() {
        text.push('\n');
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

fn chosen_line(conflict: &Conflict, side: Side, mine: &str, theirs: &str) -> String {
    let (other, other_word, commit) = match side {
        Side::Mine => (Side::Theirs, "theirs", theirs),
        Side::Theirs => (Side::Mine, "mine", mine),
    };
    let side_word = if side == Side::Mine { "mine" } else { "theirs" };
    if matches!(conflict.kind, ConflictKind::DeletedVsChanged { .. }) {
        return format!(
            "{}: kept {side_word} ({}); {other_word} ({}) is in commit {}",
            readable::subject(conflict),
            readable::side_value(conflict, Some(side)),
            readable::side_value(conflict, Some(other)),
            short(commit)
        );
    }
    format!(
        "{}: kept {} ({side_word}); {other_word} {} is in commit {}",
        readable::subject(conflict),
        readable::side_value(conflict, Some(side)),
        readable::side_value(conflict, Some(other)),
        short(commit)
    )
}

/// The sides chosen so far (the board's chooser) and `--mine|--theirs`.
fn choices(store: &Store, all: Option<Side>) -> anyhow::Result<Choices> {
    let mut choices = Choices { all, ..Choices::default() };
    for stored in store.sync_conflicts()? {
        if let Some(side) = stored.chosen {
            choices.choose(&stored.conflict, side);
        }
    }
    Ok(choices)
}

/// What an exchange got from the remote side.
struct Taken {
    result: Option<String>,
    quarters: Quarters,
    received: Vec<String>,
    chosen: Vec<String>,
    renumbered: Vec<String>,
    merged: bool,
}

/// One try at the exchange.
pub fn attempt(store: &mut Store, repo: &Repo, options: &Options, notes: &mut Vec<String>) -> anyhow::Result<Attempt> {
    let link = store.sync_link()?.context("the board is no longer tied to a repository")?;
    let mut parent = link.synced_commit.clone();
    if let Some(commit) = parent.clone() {
        if repo.has_commit(&commit)? {
            repo.check_out(&commit)?;
        } else {
            notes.push(format!(
                "the clone does not hold commit {} this board last synced with: the sync merges with the remote as if for the first time",
                short(&commit)
            ));
            parent = None;
        }
    }
    let seen = link.change_count;
    let version = store.data_version()?;
    let board = export_board(store)?;
    // Nothing else wrote the file while the quarters were read: they are
    // one consistent view of it, which the import may take as the board's.
    let read_whole = store.data_version()? == version;
    kill_at("exported");
    let parent_files = match &parent {
        Some(commit) => repo.files(commit)?,
        None => Default::default(),
    };
    let parent_quarters = match &parent {
        Some(commit) => quarters_of(&parent_files, commit)?,
        None => Quarters::new(),
    };
    let mine = fixed_numbers(&parent_quarters, &board)?;
    let mine_files = files_of(&mine)?;
    let committed = describe(&parent_quarters, &mine);
    // Nothing changed since the last sync: no commit, no import (cheap).
    let mine_commit = if mine_files == parent_files {
        parent.clone()
    } else {
        let subject = format!("quarterdeck: {}", crate::plan::summary_of(&committed));
        let parents: Vec<&str> = parent.iter().map(String::as_str).collect();
        Some(repo.commit(&mine_files, &parents, &message(&subject, &committed))?)
    };
    kill_at("committed");
    let theirs = match repo.fetch() {
        Ok(theirs) => theirs,
        Err(RemoteError::Offline(said)) => return Ok(Attempt::Done(Box::new(offline(store, &link.remote, &said)?))),
        Err(RemoteError::Git(error)) => return Err(error.into()),
        Err(RemoteError::NotFastForward | RemoteError::Refused(_)) => None,
        Err(RemoteError::Busy) => return Ok(Attempt::Done(Box::new(Report::busy()))),
    };
    store.update_sync_link(|link| link.last_fetch_at = Some(now()))?;
    kill_at("fetched");
    // The remote's tip as read for the merge: what it held before the push.
    let mut theirs_read = None;
    let taken = match (&mine_commit, &theirs) {
        (_, None) => Taken::unchanged(mine_commit.clone(), &mine),
        (Some(m), Some(t)) if repo.is_ancestor(t, m)? => Taken::unchanged(mine_commit.clone(), &mine),
        (None, Some(t)) => Taken::fast_forward(repo, t, &mine)?,
        (Some(m), Some(t)) if repo.is_ancestor(m, t)? => Taken::fast_forward(repo, t, &mine)?,
        (Some(m), Some(t)) => {
            let base = match repo.merge_base(m, t)? {
                // Most often the commit this board last synced: read already.
                Some(base) if parent.as_deref() == Some(base.as_str()) => parent_quarters.clone(),
                Some(base) => quarters_of(&repo.files(&base)?, &base)?,
                None => Quarters::new(),
            };
            let theirs_quarters = theirs_read.insert(quarters_of(&repo.files(t)?, t)?);
            let merged = merge_quarters(&base, &mine, theirs_quarters, &choices(store, options.side)?)?;
            if !merged.conflicts.is_empty() {
                return Ok(Attempt::Done(Box::new(waiting_conflicts(store, t, &merged, options)?)));
            }
            Taken::merged(repo, m, t, &mine, merged)?
        }
    };
    kill_at("merged");
    let mut imported = false;
    if let Some(result) = taken.result.clone() {
        let plans = taken
            .quarters
            .iter()
            .filter(|(id, plan)| board.get(*id) != Some(*plan))
            .map(|(_, plan)| Ok((plan.clone(), store.quarter_of_plan(plan)?.map(QuarterId))))
            .collect::<anyhow::Result<Vec<_>>>()?;
        if plans.is_empty() {
            store.update_sync_link(|link| link.synced_commit = Some(result.clone()))?;
        } else {
            let step = format!("Synced with commit {}", short(&result));
            let read = read_whole.then(|| as_read(store, board, version)).transpose()?;
            let to = SyncedTo { commit: result.clone(), seen_changes: seen, read };
            match ops::apply(store, &Command::ImportSynced { plans, step, to }, options.today) {
                Ok(_) => imported = true,
                Err(OpError::Refused(said)) if said == BOARD_CHANGED_DURING_SYNC => return Ok(Attempt::Again),
                Err(error) => return Err(error.into_anyhow()),
            }
        }
        kill_at("imported");
        repo.check_out(&result)?;
    }
    // What the remote received from this board: its tip before the push
    // against the commit pushed, whatever step (this sync or one refused
    // before it) committed the change.
    let mut sent_to_remote = None;
    if let Some(result) = taken.result.as_deref().filter(|result| theirs.as_deref() != Some(*result)) {
        match repo.push(result) {
            Ok(()) => {
                let read;
                let before = match (&theirs, &theirs_read) {
                    (_, Some(merged_with)) => merged_with,
                    (Some(tip), None) if parent.as_ref() == Some(tip) => &parent_quarters,
                    (Some(tip), None) => {
                        read = quarters_of(&repo.files(tip)?, tip)?;
                        &read
                    }
                    (None, None) => &Quarters::new(),
                };
                sent_to_remote = Some(describe(before, &taken.quarters));
            }
            Err(RemoteError::NotFastForward) => return Ok(Attempt::Again),
            Err(RemoteError::Offline(said)) => return Ok(Attempt::Done(Box::new(offline(store, &link.remote, &said)?))),
            Err(RemoteError::Refused(said)) => return Ok(Attempt::Done(Box::new(refused(store, &said)?))),
            Err(RemoteError::Busy) => return Ok(Attempt::Done(Box::new(Report::busy()))),
            Err(RemoteError::Git(error)) => return Err(error.into()),
        }
        kill_at("pushed");
    }
    let fixed = highest_number(&taken.quarters);
    let pushed = sent_to_remote.is_some();
    store.finish_sync(|link| {
        if pushed {
            link.pushed_commit = taken.result.clone();
        }
        link.pushed_count = seen + i64::from(imported);
        link.last_sync_at = Some(now());
        link.incoming = 0;
        link.numbers_fixed_upto = fixed;
        link.last_error = None;
    })?;
    Ok(Attempt::Done(Box::new(taken.report(sent_to_remote))))
}

/// The board's quarters with the item numbers the last sync fixed put
/// back where the board changed them (an undo of a sync's import): the
/// remote's numbers are never given to other items.
fn fixed_numbers(parent: &Quarters, board: &Quarters) -> anyhow::Result<Quarters> {
    let mut mine = board.clone();
    for (id, plan) in &mut mine {
        if let Some(fixed) = parent.get(id).map(|base| crate::plan::with_fixed_numbers(base, plan)).transpose()?.flatten() {
            *plan = fixed.plan;
        }
    }
    Ok(mine)
}

/// KRs, objectives and sprints are named by place: the other side's
/// additions and deletions can move the codes this board's people say, and
/// the summary says so (`KR3.4 'NPS' is now KR3.3`).
fn code_shifts(mine: &Quarters, now: &Quarters) -> Vec<String> {
    mine.iter().filter_map(|(id, plan)| Some(crate::plan::code_shifts(plan, now.get(id)?))).flatten().collect()
}

/// Whether `line` (`#41 is now #43`, perhaps after a quarter's label) is
/// an item's renumbering that a `renumbered` line already names.
fn said_in(line: &str, renumbered: &[String]) -> bool {
    let line = line.rsplit_once(": ").map_or(line, |(_, rest)| rest);
    let Some((from, to)) = line.split_once(" is now ") else { return false };
    from.starts_with('#')
        && !from.contains(' ')
        && renumbered.iter().any(|moved| moved.starts_with(&format!("{from} ")) && moved.ends_with(&format!("is now {to}")))
}

impl Taken {
    fn unchanged(result: Option<String>, mine: &Quarters) -> Self {
        Self { result, quarters: mine.clone(), received: vec![], chosen: vec![], renumbered: vec![], merged: false }
    }

    fn fast_forward(repo: &Repo, theirs: &str, mine: &Quarters) -> anyhow::Result<Self> {
        let quarters = quarters_of(&repo.files(theirs)?, theirs)?;
        let received = describe(mine, &quarters);
        let renumbered = code_shifts(mine, &quarters);
        Ok(Self { result: Some(theirs.to_owned()), quarters, received, chosen: vec![], renumbered, merged: false })
    }

    fn merged(repo: &Repo, mine_commit: &str, theirs: &str, mine: &Quarters, merged: Merged) -> anyhow::Result<Self> {
        let mut received = describe(mine, &merged.quarters);
        let chosen: Vec<String> =
            merged.chosen.iter().map(|(conflict, side)| chosen_line(conflict, *side, mine_commit, theirs)).collect();
        let mut renumbered: Vec<String> = merged
            .renumbered
            .iter()
            .map(|moved| {
                let whose = match moved.side {
                    Side::Mine => "added on this laptop",
                    Side::Theirs => "added on the remote",
                };
                format!("#{} '{}' ({whose}) is now #{}", moved.from, moved.title, moved.to)
            })
            .collect();
        renumbered.extend(code_shifts(mine, &merged.quarters));
        // `#41 is now #43` among what came in would read as the other
        // laptop's item moving: `renumbered` says it, with whose it is.
        received.retain(|line| !said_in(line, &renumbered));
        let mut lines = received.clone();
        lines.extend(chosen.iter().cloned());
        lines.extend(renumbered.iter().cloned());
        let subject = format!("quarterdeck: merged {} with this board", short(theirs));
        let result = repo.commit(&files_of(&merged.quarters)?, &[mine_commit, theirs], &message(&subject, &lines))?;
        Ok(Self { result: Some(result), quarters: merged.quarters, received, chosen, renumbered, merged: true })
    }

    /// The account of the exchange; `sent` is what the remote received
    /// (none when nothing was pushed).
    fn report(self, sent: Option<Vec<String>>) -> Report {
        let pushed = sent.is_some();
        let sent = sent.unwrap_or_default();
        let commit = self.result.as_deref().map(|commit| short(commit).to_owned());
        let at = commit.as_deref().map(|commit| format!(" (commit {commit})")).unwrap_or_default();
        let (outcome, summary) = if self.merged {
            (
                Outcome::Merged,
                format!(
                    "Merged: sent {}, received {}{at}",
                    count(sent.len(), "change", "changes"),
                    count(self.received.len(), "change", "changes")
                ),
            )
        } else if pushed {
            (Outcome::Sent, format!("Sent {}{at}", count(sent.len().max(1), "change", "changes")))
        } else if !self.received.is_empty() {
            (Outcome::Received, format!("Received {}{at}", count(self.received.len(), "change", "changes")))
        } else {
            (Outcome::UpToDate, "Up to date".to_owned())
        };
        // The values a resolution did not keep and the numbers that changed
        // are named in the one line the board shows, not only in the lists.
        let said: Vec<&String> = self.chosen.iter().chain(&self.renumbered).collect();
        let summary = match said.as_slice() {
            [] => summary,
            [one] => format!("{summary}; {one}"),
            [first, rest @ ..] => format!("{summary}; {first} (and {} more{MORE_IN_THE_COMMIT}", rest.len()),
        };
        let mut report = Report::new(outcome, summary);
        report.sent = sent;
        report.received = self.received;
        report.chosen = self.chosen;
        report.renumbered = self.renumbered;
        report.commit = commit;
        report
    }
}

fn offline(store: &mut Store, remote: &str, said: &str) -> anyhow::Result<Report> {
    let waiting = store.sync_link()?.map_or(0, |link| link.waiting());
    let changes = count(usize::try_from(waiting).unwrap_or(0), "change waits", "changes wait");
    Ok(Report::failed(
        Outcome::Offline,
        format!("Offline: {changes} on this board"),
        format!("offline: {changes} on this board; they go with the next sync. The remote {remote} could not be reached: {said}"),
    ))
}

fn refused(store: &mut Store, said: &str) -> anyhow::Result<Report> {
    let waiting = store.sync_link()?.map_or(0, |link| link.waiting());
    Ok(Report::failed(
        Outcome::Refused,
        "The remote refused the push".to_owned(),
        format!(
            "the remote refused the push: {said}. Nothing was lost: {} on this board; ask whoever keeps the repository why, then sync again",
            count(usize::try_from(waiting).unwrap_or(0), "change waits", "changes wait")
        ),
    ))
}

fn waiting_conflicts(store: &mut Store, theirs: &str, merged: &Merged, options: &Options) -> anyhow::Result<Report> {
    let n = merged.conflicts.len();
    let again = crate::shell::command_line(&["sync", "--mine"], Some(&options.board));
    let why = format!(
        "{} wait{}: both sides changed {}. Nothing was written. Choose each in the board, or take one side for all: `{again}` (or --theirs)",
        count(n, "conflict", "conflicts"),
        if n == 1 { "s" } else { "" },
        merged.conflicts.iter().map(readable::conflict_line).collect::<Vec<_>>().join("; ")
    );
    store.record_waiting_merge(theirs, &merged.conflicts, &why)?;
    let mut report =
        Report::failed(Outcome::Conflicts, format!("{} to choose: the merge waits", count(n, "conflict", "conflicts")), why);
    report.conflicts = n;
    Ok(report)
}
