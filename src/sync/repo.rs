//! The clone as the sync uses it: plan files read from and written into
//! commits with git's plumbing (no working tree is needed to merge), the
//! remote fetched and pushed. Every failure keeps git's own words.

use std::collections::BTreeMap;

use super::git::{Git, GitError};

/// The plan files of one commit: file name (`2027-Q1.toml`) to bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// How talking to the remote went wrong.
#[derive(Debug)]
pub enum RemoteError {
    /// The remote could not be reached (moved away, a bad URL, no network).
    Offline(String),
    /// The remote took no commits: it holds commits we have not merged.
    NotFastForward,
    /// The remote refused the push (a hook, a protected branch).
    Refused(String),
    /// Another git in the clone held a ref's lock (another sync of the
    /// board, or the user's own git in a clone used in place).
    Busy,
    /// git itself failed.
    Git(GitError),
}

/// git's words when another git held the clone's ref locks: the remote
/// answered, nothing was offline.
fn is_busy(said: &str) -> bool {
    said.contains("cannot lock ref") || (said.contains(".lock") && said.contains("File exists"))
}

/// What a sync that found the clone busy says.
pub const BUSY: &str = "another sync of this board is running (from the board, the command line or its background fetch): try again when it ends; nothing was changed";

/// A clone, its branch and the folder holding the plan files.
pub struct Repo {
    pub git: Git,
    pub branch: String,
    pub plan_dir: String,
    /// The clone beside the board, ours alone: its working files are put
    /// on each commit by force. A clone of the user's, used in place, is
    /// checked out without force, so that their own uncommitted work in it
    /// stops the checkout instead of being lost.
    pub ours: bool,
}

fn says(error: &GitError) -> String {
    match error {
        GitError::Failed { says, .. } => says.clone(),
        other => other.to_string(),
    }
}

impl Repo {
    fn remote_ref(&self) -> String {
        format!("refs/remotes/origin/{}", self.branch)
    }

    /// Takes the clone for this process: one sync (or fetch) of a board at
    /// a time, as two would trip on each other's ref locks. Waits up to
    /// `wait` for another to end; none when it is still running then. The
    /// lock is a file in the clone's git folder, held while the file lives.
    pub fn lock(&self, wait: std::time::Duration) -> anyhow::Result<Option<std::fs::File>> {
        let git_dir = self.git.run(["rev-parse", "--absolute-git-dir"])?;
        let path = std::path::Path::new(git_dir.trim()).join("quarterdeck-sync.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|error| anyhow::anyhow!("could not open the sync's lock {}: {error}", path.display()))?;
        let deadline = std::time::Instant::now() + wait;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Some(file)),
                Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
                Err(std::fs::TryLockError::Error(error)) => {
                    return Err(anyhow::anyhow!("could not lock {}: {error}", path.display()));
                }
            }
        }
    }

    /// Whether `commit` is an object of this clone.
    pub fn has_commit(&self, commit: &str) -> Result<bool, GitError> {
        Ok(self.git.ask(["cat-file", "-e", &format!("{commit}^{{commit}}")])?.is_some())
    }

    /// The plan files (`*.toml` in the plan folder) of `commit`.
    pub fn files(&self, commit: &str) -> Result<Files, GitError> {
        let folder = if self.plan_dir.is_empty() { commit.to_owned() } else { format!("{commit}:{}", self.plan_dir) };
        let Some(listing) = self.git.ask(["ls-tree", "-z", &folder])? else { return Ok(Files::new()) };
        let mut files = Files::new();
        for entry in listing.split('\0').filter(|entry| !entry.is_empty()) {
            let Some((head, name)) = entry.split_once('\t') else { continue };
            let mut parts = head.split(' ');
            let (Some(_mode), Some("blob"), Some(object)) = (parts.next(), parts.next(), parts.next()) else { continue };
            if name.ends_with(".toml") {
                files.insert(name.to_owned(), self.git.run(["cat-file", "blob", object])?.into_bytes());
            }
        }
        Ok(files)
    }

    /// A commit of `files` as the whole plan folder, on `parents`, with
    /// `message`; the rest of the first parent's tree is kept.
    pub fn commit(&self, files: &Files, parents: &[&str], message: &str) -> Result<String, GitError> {
        let mut listing = Vec::new();
        for (name, bytes) in files {
            let blob = self.git.run_with_input(["hash-object", "-w", "--stdin"], bytes)?;
            listing.extend_from_slice(format!("100644 blob {}\t{name}\0", blob.trim()).as_bytes());
        }
        let folder = self.git.run_with_input(["mktree", "-z"], &listing)?.trim().to_owned();
        let path: Vec<&str> = self.plan_dir.split('/').filter(|part| !part.is_empty()).collect();
        let base = parents.first().map(|parent| format!("{parent}^{{tree}}"));
        let tree = self.put(base.as_deref(), &path, &folder)?;
        let mut args = vec!["commit-tree".to_owned(), tree];
        for parent in parents {
            args.push("-p".into());
            args.push((*parent).to_owned());
        }
        args.push("-F".into());
        args.push("-".into());
        Ok(self.git.run_with_input(&args, message.as_bytes())?.trim().to_owned())
    }

    /// The tree `base` with `leaf` at `path` (a folder path), written.
    fn put(&self, base: Option<&str>, path: &[&str], leaf: &str) -> Result<String, GitError> {
        let Some((first, rest)) = path.split_first() else { return Ok(leaf.to_owned()) };
        let listing = match base {
            Some(base) => self.git.ask(["ls-tree", "-z", base])?.unwrap_or_default(),
            None => String::new(),
        };
        let mut entries: Vec<String> = Vec::new();
        let mut below = None;
        for entry in listing.split('\0').filter(|entry| !entry.is_empty()) {
            match entry.split_once('\t') {
                Some((head, name)) if name == *first => below = head.split(' ').nth(2).map(str::to_owned),
                _ => entries.push(entry.to_owned()),
            }
        }
        let inner = self.put(below.as_deref(), rest, leaf)?;
        entries.push(format!("040000 tree {inner}\t{first}"));
        let mut input = Vec::new();
        for entry in entries {
            input.extend_from_slice(entry.as_bytes());
            input.push(0);
        }
        Ok(self.git.run_with_input(["mktree", "-z"], &input)?.trim().to_owned())
    }

    /// Fetches the branch; the remote's tip, or none for a remote that has
    /// no such branch yet (an empty repository).
    pub fn fetch(&self) -> Result<Option<String>, RemoteError> {
        let spec = format!("+refs/heads/{}:{}", self.branch, self.remote_ref());
        match self.git.run(["fetch", "-q", "--no-tags", "origin", &spec]) {
            Ok(_) => {}
            Err(error @ GitError::Failed { .. }) => {
                let said = says(&error);
                if said.contains("couldn't find remote ref") {
                    return Ok(None);
                }
                if is_busy(&said) {
                    return Err(RemoteError::Busy);
                }
                return Err(RemoteError::Offline(said));
            }
            Err(error) => return Err(RemoteError::Git(error)),
        }
        self.tip().map_err(RemoteError::Git)
    }

    /// The remote branch's tip as last fetched.
    pub fn tip(&self) -> Result<Option<String>, GitError> {
        Ok(self.git.ask(["rev-parse", "--verify", "-q", &self.remote_ref()])?.map(|out| out.trim().to_owned()))
    }

    /// Pushes `commit` as the remote branch (never forced).
    pub fn push(&self, commit: &str) -> Result<(), RemoteError> {
        let spec = format!("{commit}:refs/heads/{}", self.branch);
        match self.git.run(["push", "-q", "origin", &spec]) {
            Ok(_) => Ok(()),
            Err(error @ GitError::Failed { .. }) => {
                let said = says(&error);
                if is_busy(&said) {
                    Err(RemoteError::Busy)
                } else if said.contains("[rejected]") || said.contains("non-fast-forward") || said.contains("fetch first") {
                    Err(RemoteError::NotFastForward)
                } else if said.contains("remote rejected") || said.contains("hook declined") || said.contains("denied") {
                    Err(RemoteError::Refused(refusal_words(&said)))
                } else {
                    Err(RemoteError::Offline(said))
                }
            }
            Err(error) => Err(RemoteError::Git(error)),
        }
    }

    /// Whether `ancestor` is `commit` or one of its ancestors.
    pub fn is_ancestor(&self, ancestor: &str, commit: &str) -> Result<bool, GitError> {
        Ok(self.git.ask(["merge-base", "--is-ancestor", ancestor, commit])?.is_some())
    }

    /// The best common ancestor of two commits, if they have one.
    pub fn merge_base(&self, a: &str, b: &str) -> Result<Option<String>, GitError> {
        Ok(self.git.ask(["merge-base", a, b])?.map(|out| out.trim().to_owned()))
    }

    /// Commits in `to` not in `from` (all of `to` when `from` is none).
    pub fn count_between(&self, from: Option<&str>, to: &str) -> Result<i64, GitError> {
        let range = from.map_or_else(|| to.to_owned(), |from| format!("{from}..{to}"));
        Ok(self.git.run(["rev-list", "--count", &range])?.trim().parse().unwrap_or(0))
    }

    /// Puts the clone's branch and working files on `commit`: what the
    /// board holds, for someone looking at the clone.
    pub fn check_out(&self, commit: &str) -> Result<(), GitError> {
        let force = if self.ours { "-f" } else { "-q" };
        self.git.run(["checkout", "-q", force, "-B", &self.branch, commit]).map(|_| ())
    }
}

/// What a refused push says, on one line: the remote's own words (its
/// `remote:` lines: a hook's reason) rather than git's `To …` and
/// `! [remote rejected]` lines around them.
fn refusal_words(said: &str) -> String {
    let remote: Vec<&str> = said
        .lines()
        .filter_map(|line| line.trim().strip_prefix("remote:"))
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if remote.is_empty() { one_line(said) } else { remote.join("; ") }
}

/// git's words on one line for a status bar: each line trimmed of its
/// padding, the lines joined with `; `.
pub fn one_line(said: &str) -> String {
    said.lines().map(str::trim).filter(|line| !line.is_empty()).collect::<Vec<_>>().join("; ")
}

/// The short form of a commit id, as summaries name it.
pub fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}
