//! The board's tie to a repository: `sync init`, the clone beside the
//! board (made again when it was deleted or spoiled), `sync fetch`,
//! `sync status`, and the sync state every report ends with.

use std::path::{Path, PathBuf};

use super::{
    Options,
    git::{Git, GitError},
    quarters::quarters_of,
    repo::{RemoteError, Repo},
    report::{Outcome, Report, count, now},
};
use crate::{shell::command_line, store::Store};

/// `sync init`'s arguments.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub target: String,
    pub branch: Option<String>,
    pub dir: Option<String>,
}

/// The folder the plan files go in unless `sync init --dir` says.
pub const DEFAULT_PLAN_DIR: &str = "quarterdeck";

/// The clone beside the board: `<board file>.sync`.
pub fn clone_beside(board: &Path) -> PathBuf {
    let mut name = board.file_name().map(|name| name.to_os_string()).unwrap_or_default();
    name.push(".sync");
    board.with_file_name(name)
}

/// A URL (`https://`, `ssh://`, `git@host:path`) rather than a path.
fn is_url(target: &str) -> bool {
    target.contains("://") || target.split_once(':').is_some_and(|(host, _)| host.contains('@') && !host.contains('/'))
}

/// A failure as a report: git missing is its own outcome.
pub fn failure(error: &anyhow::Error) -> Report {
    if error.chain().any(|cause| matches!(cause.downcast_ref(), Some(GitError::Missing))) {
        return Report::failed(Outcome::GitMissing, "git is missing", GitError::Missing.to_string());
    }
    Report::failed(Outcome::Failed, "Sync failed", format!("{error:#}"))
}

fn not_tied(board: &Path) -> Report {
    Report::failed(
        Outcome::NotTied,
        "Not tied to a repository",
        format!(
            "this board is not tied to a repository: tie it with `{}` (a URL, a bare repository, a clone, or a new folder)",
            command_line(&["sync", "init", "REMOTE"], Some(board))
        ),
    )
}

/// The report with the board's sync state as it is now; a sync that did
/// not complete leaves its message as `last_error`.
pub fn finish(store: &mut Store, report: Report) -> Report {
    let report = one_line(report);
    let stopped = matches!(report.outcome, Outcome::Offline | Outcome::Refused | Outcome::Failed | Outcome::GitMissing);
    if stopped && report.message.as_deref() != Some(super::repo::BUSY) {
        let message = report.message.clone();
        let _ = store.update_sync_link(|link| link.last_error = message);
    }
    with_state(store, report)
}

/// The report's message on one line for a status bar: git's words come
/// with newlines and padding.
fn one_line(mut report: Report) -> Report {
    report.message = report.message.map(|message| super::repo::one_line(&message));
    report
}

/// The report with the board's sync state as it is now; writes nothing.
fn with_state(store: &mut Store, mut report: Report) -> Report {
    if let Ok(Some(link)) = store.sync_link() {
        report.waiting = link.waiting();
        report.incoming = link.incoming;
        report.last_sync_at = link.last_sync_at;
    }
    if report.outcome == Outcome::Conflicts || report.outcome == Outcome::Status {
        report.conflicts = store.sync_conflicts().map_or(0, |conflicts| conflicts.iter().filter(|c| c.chosen.is_none()).count());
    }
    report
}

fn git(dir: &Path, options_prompts: bool) -> Git {
    let git = Git::new(dir);
    if options_prompts { git } else { git.without_prompts() }
}

/// A clone ready for the sync with what was said on the way, or the report
/// that ends it (a board not tied, a remote that cannot be cloned).
pub type Opened = Result<(Repo, Vec<String>), Box<Report>>;

/// The tied board's clone, made again when it is gone or unusable (the
/// notes say so); a report instead when the board is not tied.
pub fn open(store: &Store, options: &Options) -> anyhow::Result<Opened> {
    let Some(link) = store.sync_link()? else { return Ok(Err(Box::new(not_tied(&options.board)))) };
    let clone = PathBuf::from(&link.clone_path);
    let mut notes = Vec::new();
    let usable = clone.is_dir()
        && git(&clone, false)
            .ask(["rev-parse", "--show-toplevel"])?
            .is_some_and(|top| Path::new(top.trim()) == clone.canonicalize().unwrap_or_default());
    if !usable {
        if clone.exists() {
            // Named after the clone folder itself: `board.sqlite3.sync.unusable-<time>`.
            let mut name = clone.file_name().map(|name| name.to_os_string()).unwrap_or_default();
            name.push(format!(".unusable-{}", chrono::Utc::now().format("%Y%m%d%H%M%S")));
            let aside = clone.with_file_name(name);
            std::fs::rename(&clone, &aside).map_err(|error| {
                anyhow::anyhow!("the clone {} is unusable and could not be moved aside: {error}", clone.display())
            })?;
            notes.push(format!(
                "the clone {} was unusable: cloned it again (the old one is at {})",
                clone.display(),
                aside.display()
            ));
        } else {
            notes.push(format!("the clone {} was gone: cloned it again", clone.display()));
        }
        if let Err(says) = make_clone(&link.remote, &clone, options.prompts)? {
            return Ok(Err(Box::new(Report::failed(
                Outcome::Offline,
                "Offline: the remote could not be reached",
                format!(
                    "offline: the remote {} could not be cloned ({says}); the board keeps working, and its changes go with the next sync",
                    link.remote
                ),
            ))));
        }
    }
    let ours =
        clone == clone_beside(&options.board) || clone.canonicalize().ok() == clone_beside(&options.board).canonicalize().ok();
    let repo = Repo { git: git(&clone, options.prompts), branch: link.branch, plan_dir: link.plan_dir, ours };
    Ok(Ok((repo, notes)))
}

/// How long a sync or fetch waits for another of the same board to end:
/// 20 seconds, or `QUARTERDECK_SYNC_LOCK_WAIT_MS` (a test hook,
/// docs/reliability.md).
pub fn lock_wait() -> std::time::Duration {
    let millis = std::env::var("QUARTERDECK_SYNC_LOCK_WAIT_MS").ok().and_then(|ms| ms.parse().ok()).unwrap_or(20_000);
    std::time::Duration::from_millis(millis)
}

/// `git clone REMOTE CLONE`; git's words when the remote could not be
/// cloned (the callers say what that means for the board).
fn make_clone(remote: &str, clone: &Path, prompts: bool) -> anyhow::Result<Result<(), String>> {
    // Absolute: git runs in the clone's parent folder, where a relative
    // path (`--db team/board.sqlite3`) would name another place.
    let clone = &std::path::absolute(clone)?;
    let parent = clone.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match git(parent, prompts).run(["clone".as_ref(), "-q".as_ref(), remote.as_ref(), clone.as_os_str()]) {
        Ok(_) => Ok(Ok(())),
        Err(GitError::Failed { says, .. }) => Ok(Err(says)),
        Err(error) => Err(error.into()),
    }
}

/// `sync init` to a remote that could not be cloned: nothing is tied (or
/// the tie the board had stays), and the message says so and what to do.
fn not_cloned(store: &Store, remote: &str, says: &str, options: &Options) -> Report {
    let again = command_line(&["sync", "init", remote], Some(&options.board));
    let tie = match store.sync_link() {
        Ok(Some(link)) => format!("the board stays tied to {}", link.remote),
        _ => "the board is not tied to it".to_owned(),
    };
    Report::failed(
        Outcome::Offline,
        "Not tied: the remote could not be reached",
        format!(
            "offline: the remote {remote} could not be cloned ({says}): nothing was changed, {tie}. Check the address and the network, then run `{again}` again"
        ),
    )
}

/// `quarterdeck sync init REMOTE-OR-CLONE [--branch] [--dir]`.
/// A `sync init` that does not tie writes nothing (not even `last_error`):
/// the board's tie, if it had one, is as it was.
pub fn init(store: &mut Store, init: &InitOptions, options: &Options) -> Report {
    let report = match tie(store, init, options) {
        Ok(report) => report,
        Err(error) => failure(&error),
    };
    with_state(store, one_line(report))
}

fn bad(summary: &str, message: String) -> Report {
    Report::failed(Outcome::Failed, summary, message).bad_input()
}

fn tie(store: &mut Store, init: &InitOptions, options: &Options) -> anyhow::Result<Report> {
    let mut notes = Vec::new();
    let target = init.target.trim();
    let plan_dir = init.dir.clone().unwrap_or_else(|| DEFAULT_PLAN_DIR.to_owned()).trim_matches('/').to_owned();
    if target.is_empty() {
        return Ok(bad(
            "Nothing to tie to",
            "REMOTE-OR-CLONE is empty: give a URL, a bare repository, a clone, or a new folder".into(),
        ));
    }
    let mut clone = clone_beside(&options.board);
    let mut in_place = false;
    let mut empty_bare = None;
    let remote = if is_url(target) {
        target.to_owned()
    } else {
        let path = Path::new(target);
        if path.exists() {
            let path = path.canonicalize()?;
            let probe = git(&path, false);
            if probe.ask(["rev-parse", "--is-bare-repository"])?.is_some_and(|out| out.trim() == "true") {
                if probe.ask(["for-each-ref", "--count=1", "refs/heads"])?.is_some_and(|out| out.trim().is_empty()) {
                    empty_bare = Some(path.clone());
                }
                path.display().to_string()
            } else if probe.ask(["rev-parse", "--show-toplevel"])?.is_some_and(|top| Path::new(top.trim()) == path) {
                let Some(origin) = probe.ask(["remote", "get-url", "origin"])? else {
                    return Ok(bad(
                        "The clone has no remote",
                        format!(
                            "{} is a clone with no remote `origin`: add one with `git -C {} remote add origin URL`, then tie again",
                            path.display(),
                            crate::shell::quote_path(&path)
                        ),
                    ));
                };
                clone = path.clone();
                in_place = true;
                origin.trim().to_owned()
            } else {
                return Ok(bad(
                    "Not a repository",
                    format!(
                        "{} is not a git repository: give a bare repository, a clone, a URL, or a path that does not exist yet (a new bare repository is made there)",
                        path.display()
                    ),
                ));
            }
        } else {
            let branch = init.branch.clone().unwrap_or_else(|| "main".into());
            std::fs::create_dir_all(path)?;
            let path = path.canonicalize()?;
            git(&path, false).run(["init", "-q", "--bare", &format!("--initial-branch={branch}")])?;
            notes.push(format!("made a new bare repository at {}", path.display()));
            path.display().to_string()
        }
    };
    let mut made_clone = false;
    if !in_place {
        if clone.exists() {
            let usable = git(&clone, false).ask(["rev-parse", "--show-toplevel"])?.is_some();
            if !usable {
                return Ok(bad(
                    "The clone folder is in the way",
                    format!("{} exists and is not a clone: move it away, then tie again", clone.display()),
                ));
            }
            git(&clone, false).run(["remote", "set-url", "origin", &remote])?;
        } else {
            if let Err(says) = make_clone(&remote, &clone, options.prompts)? {
                return Ok(not_cloned(store, &remote, &says, options));
            }
            made_clone = true;
        }
    }
    let clone = clone.canonicalize()?;
    let probe = git(&clone, false);
    let branch = match &init.branch {
        Some(branch) => branch.clone(),
        None => {
            let head = if in_place { "HEAD" } else { "refs/remotes/origin/HEAD" };
            probe
                .ask(["symbolic-ref", "-q", "--short", head])?
                .map(|name| name.trim().trim_start_matches("origin/").to_owned())
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| "main".into())
        }
    };
    if let Some(bare) = &empty_bare {
        // `git init --bare` points HEAD at `master`; clones and `rollup`
        // read HEAD, so it names the branch the sync pushes.
        git(bare, false).run(["symbolic-ref", "HEAD", &format!("refs/heads/{branch}")])?;
    }
    let repo = Repo { git: git(&clone, options.prompts), branch: branch.clone(), plan_dir: plan_dir.clone(), ours: !in_place };
    let tip = match repo.fetch() {
        Ok(tip) => tip,
        Err(RemoteError::Git(error)) => return Err(error.into()),
        Err(_) => repo.tip()?,
    };
    let mut held = 0;
    if let Some(tip) = &tip {
        let remote_quarters = quarters_of(&repo.files(tip)?, tip)?;
        held = remote_quarters.len();
        for plan in remote_quarters.values() {
            let Some(board_quarter) = store.quarter_of_plan(plan)? else { continue };
            if store.export_plan(board_quarter)?.quarter.id != plan.quarter.id {
                if made_clone {
                    let _ = std::fs::remove_dir_all(&clone);
                }
                let new_board = command_line(&["sync", "init", &remote], Some(Path::new("NEW-BOARD.sqlite3")));
                return Ok(bad(
                    "Another quarter with the same label",
                    format!(
                        "the remote holds a quarter {label} that is not this board's {label} (another stable id): they would be two quarters with one label. Nothing was changed. To join the team's board, tie a new board: `{new_board}`, then sync it",
                        label = plan.quarter.label
                    ),
                ));
            }
        }
    }
    let previous = store.sync_link()?;
    store.set_sync_link(&remote, &clone.display().to_string(), &branch, &plan_dir)?;
    if let Some(previous) = previous {
        if (previous.remote.as_str(), previous.branch.as_str(), previous.plan_dir.as_str())
            == (remote.as_str(), branch.as_str(), plan_dir.as_str())
        {
            // The same tie again: what the board last synced still holds,
            // so the next sync merges from it rather than from nothing.
            store.update_sync_link(|link| {
                link.synced_commit = previous.synced_commit.clone();
                link.pushed_commit = previous.pushed_commit.clone();
                link.last_sync_at = previous.last_sync_at.clone();
                link.numbers_fixed_upto = previous.numbers_fixed_upto;
                // The changes that waited still wait; none is made up.
                link.change_count = previous.change_count;
                link.pushed_count = previous.pushed_count;
            })?;
            notes.push("re-tied to the same remote: the last sync is kept".to_owned());
        } else {
            notes.push(format!("re-tied: it was tied to {} (branch {})", previous.remote, previous.branch));
        }
    }
    let folder = if plan_dir.is_empty() { "the top folder".to_owned() } else { format!("{plan_dir}/") };
    let next = command_line(&["sync"], Some(&options.board));
    if held > 0 {
        let them = if held == 1 { "it" } else { "them" };
        notes.push(format!("the remote holds {}: `{next}` takes {them}", count(held, "quarter", "quarters")));
    } else {
        notes.push(format!("`{next}` sends the board"));
    }
    let mut report = Report::new(Outcome::Status, format!("Tied to {remote} (branch {branch}, plan files in {folder})"));
    report.message = Some(notes.join("; "));
    Ok(report)
}

/// Whether a `last_error` says the remote could not be reached.
fn is_offline(message: &str) -> bool {
    message.starts_with("offline")
}

/// `quarterdeck sync fetch`: asks the remote what it has; writes only
/// `incoming` and `last_fetch_at`, and clears an `offline` error (the
/// remote answered).
pub fn fetch(store: &mut Store, options: &Options) -> Report {
    let report = match fetch_report(store, options) {
        Ok(report) => report,
        Err(error) => failure(&error),
    };
    finish(store, report)
}

fn fetch_report(store: &mut Store, options: &Options) -> anyhow::Result<Report> {
    let (repo, _) = match open(store, options)? {
        Ok(opened) => opened,
        Err(report) => return Ok(*report),
    };
    let Some(_lock) = repo.lock(lock_wait())? else { return Ok(Report::busy()) };
    let synced = store.sync_link()?.and_then(|link| link.synced_commit);
    match repo.fetch() {
        Ok(tip) => {
            let incoming = match &tip {
                Some(tip) => {
                    repo.count_between(synced.as_deref().filter(|commit| repo.has_commit(commit).unwrap_or(false)), tip)?
                }
                None => 0,
            };
            store.update_sync_link(|link| {
                link.incoming = incoming;
                link.last_fetch_at = Some(now());
                // The remote answered: an `offline` error is no longer true.
                if link.last_error.as_deref().is_some_and(is_offline) {
                    link.last_error = None;
                }
            })?;
            let summary = if incoming == 0 {
                "Nothing new on the remote".to_owned()
            } else {
                format!("{} on the remote", count(usize::try_from(incoming).unwrap_or(0), "new commit", "new commits"))
            };
            Ok(Report::new(Outcome::Fetched, summary))
        }
        Err(RemoteError::Git(error)) => Err(error.into()),
        Err(RemoteError::Offline(said) | RemoteError::Refused(said)) => Ok(Report::failed(
            Outcome::Offline,
            "Offline: the remote could not be reached",
            format!("offline: the remote could not be reached: {said}"),
        )),
        Err(RemoteError::NotFastForward) => Ok(Report::new(Outcome::Fetched, "Fetched")),
        Err(RemoteError::Busy) => Ok(Report::busy()),
    }
}

/// `quarterdeck sync status`: the sync state; reads only.
pub fn status(store: &Store, board: &Path) -> Report {
    let link = match store.sync_link() {
        Ok(Some(link)) => link,
        Ok(None) => return not_tied(board),
        Err(error) => return failure(&error.into()),
    };
    let conflicts = store.sync_conflicts().map_or(0, |conflicts| conflicts.iter().filter(|c| c.chosen.is_none()).count());
    let mut parts = vec![format!("Tied to {} (branch {})", link.remote, link.branch)];
    parts.push(link.last_sync_at.as_ref().map_or_else(|| "never synced".to_owned(), |at| format!("last sync {at}")));
    parts.push(count(usize::try_from(link.waiting()).unwrap_or(0), "change waits", "changes wait"));
    if link.incoming > 0 {
        parts.push(format!("{} incoming", link.incoming));
    }
    if conflicts > 0 {
        parts.push(count(conflicts, "conflict to choose", "conflicts to choose"));
    }
    let mut report = Report::new(Outcome::Status, parts.join("; "));
    report.message = link.last_error.clone();
    report.waiting = link.waiting();
    report.incoming = link.incoming;
    report.last_sync_at = link.last_sync_at.clone();
    report.conflicts = conflicts;
    report.commit = link.synced_commit.as_deref().map(|commit| super::repo::short(commit).to_owned());
    report
}
