//! Reading each team's plan files from its repository without touching a
//! working tree: `git ls-tree` and `git show REV:path` at the tip of the
//! branch, through the user's own git (`sync::git::Git`). A URL is cloned
//! bare and shallow into a temporary folder, removed after.

use std::path::{Path, PathBuf};

use crate::{
    plan::Plan,
    sync::git::{Git, GitError},
};

/// The folder of a repository that holds the plan files, one per quarter
/// (`sync init`'s default).
pub use crate::sync::link::DEFAULT_PLAN_DIR as PLAN_DIR;

/// One team's repository, as named on the command line or in config.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub team: String,
    pub repo: String,
    pub branch: Option<String>,
    /// The repository's folder of plan files (`sync init --dir`; `""`:
    /// the top).
    pub dir: String,
}

impl Source {
    /// A repository named on the command line: the team is its folder's
    /// or URL's last part without `.git`.
    pub fn from_argument(repo: &str, branch: Option<&str>, dir: &str) -> Self {
        Self { team: team_name(repo), repo: repo.to_owned(), branch: branch.map(str::to_owned), dir: dir.to_owned() }
    }

    /// Where its plan files are, as git names a path: `quarterdeck/`, or
    /// nothing for the top folder.
    fn plan_folder(&self) -> String {
        let dir = self.dir.trim_matches('/');
        if dir.is_empty() { String::new() } else { format!("{dir}/") }
    }
}

/// `/srv/web.git` -> `web`, `https://host/org/app/` -> `app`.
pub fn team_name(repo: &str) -> String {
    let trimmed = repo.trim_end_matches(['/', '\\']);
    let last = trimmed.rsplit(['/', '\\', ':']).next().unwrap_or(trimmed);
    let name = last.strip_suffix(".git").unwrap_or(last);
    if name.is_empty() { repo.to_owned() } else { name.to_owned() }
}

/// A team's plans as read at one commit.
#[derive(Debug, Clone)]
pub struct TeamPlans {
    pub source: Source,
    /// The commit read, abbreviated.
    pub commit: String,
    /// Each plan file's path in the repository and its plan.
    pub plans: Vec<(String, Plan)>,
}

/// Why a repository was left out, in words naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub team: String,
    pub repo: String,
    pub why: String,
}

/// Why reading one repository stopped.
pub enum Failure {
    /// git is not there: nothing can be read from any repository.
    GitMissing,
    Skipped(Skipped),
}

/// Whether `repo` names a remote to clone rather than a folder: a URL
/// (`scheme://`) or scp-like `user@host:path`, and not a folder that exists.
fn is_url(repo: &str) -> bool {
    if Path::new(repo).exists() {
        return false;
    }
    repo.contains("://") || repo.split_once(':').is_some_and(|(host, _)| host.contains('@') && !host.contains('/'))
}

/// Reads every plan file of `source` at the tip of its branch.
pub fn read_team(source: &Source) -> Result<TeamPlans, Failure> {
    let skip = |why: String| Failure::Skipped(Skipped { team: source.team.clone(), repo: source.repo.clone(), why });
    let git_failed = |error: GitError| match error {
        GitError::Missing => Failure::GitMissing,
        other => skip(other.to_string()),
    };
    // A URL is cloned bare and shallow: only the tip is read.
    let clone_folder;
    let dir: PathBuf = if is_url(&source.repo) {
        clone_folder = tempfile::Builder::new()
            .prefix("quarterdeck-rollup-")
            .tempdir()
            .map_err(|error| skip(format!("no temporary folder to clone into: {error}")))?;
        let target = clone_folder.path().join("repo.git");
        let mut args: Vec<String> = vec!["clone".into(), "--quiet".into(), "--bare".into(), "--depth".into(), "1".into()];
        if let Some(branch) = &source.branch {
            args.extend(["--branch".into(), branch.clone()]);
        }
        args.extend([source.repo.clone(), target.display().to_string()]);
        Git::new(clone_folder.path()).run(&args).map_err(|error| match error {
            GitError::Missing => Failure::GitMissing,
            GitError::Failed { says, .. } => {
                skip(format!("could not be cloned (is the URL right and the host reachable?): {}", says.replace('\n', " ")))
            }
            other => skip(other.to_string()),
        })?;
        target
    } else {
        let path = PathBuf::from(&source.repo);
        if !path.is_dir() {
            return Err(skip("no such folder: name a clone, a bare repository or a URL".into()));
        }
        path
    };
    let git = Git::new(&dir);
    if git.ask(["rev-parse", "--git-dir"]).map_err(git_failed)?.is_none() {
        return Err(skip("is not a git repository: name a clone, a bare repository or a URL".into()));
    }
    let rev = match (&source.branch, is_url(&source.repo)) {
        // The shallow clone was made of that branch: its HEAD.
        (Some(_), true) => "HEAD".to_owned(),
        (None, _) => head_or_only_branch(&git).map_err(git_failed)?.map_err(skip)?,
        (Some(branch), false) => branch_rev(&git, branch)
            .map_err(git_failed)?
            .ok_or_else(|| skip(format!("has no branch {branch} (neither refs/heads/{branch} nor origin/{branch})")))?,
    };
    let Some(commit) = git.ask(["rev-parse", "--verify", "-q", "--short", &format!("{rev}^{{commit}}")]).map_err(git_failed)?
    else {
        return Err(skip(format!("has no commit at {rev} yet: nothing to read")));
    };
    let folder = source.plan_folder();
    let mut listing_args = vec!["ls-tree", "--name-only", "-z", &rev];
    if !folder.is_empty() {
        listing_args.push(&folder);
    }
    let listing = git.run(listing_args).map_err(git_failed)?;
    let files: Vec<&str> = listing.split('\0').filter(|path| path.ends_with(".toml")).collect();
    if files.is_empty() {
        return Err(skip(format!(
            "holds no plan files: nothing under {folder}*.toml at {rev} (tie a board with `quarterdeck sync init`; a board tied with --dir: give the same --dir here)"
        )));
    }
    let mut plans = Vec::new();
    for file in files {
        let text = git.run(["show", &format!("{rev}:{file}")]).map_err(git_failed)?;
        let named = format!("{}:{file}", source.repo);
        let plan = Plan::parse_located(&text, &named).map_err(|error| skip(format!("plan file does not read: {error}")))?;
        plans.push((file.to_owned(), plan));
    }
    Ok(TeamPlans { source: source.clone(), commit: commit.trim().to_owned(), plans })
}

/// HEAD, or where HEAD names no commit (`git init --bare` points it at
/// `master` while `sync` pushes `main`), the repository's only branch, else
/// `main`. Several branches and none of them `main`: why, naming them.
fn head_or_only_branch(git: &Git) -> Result<Result<String, String>, GitError> {
    if git.ask(["rev-parse", "--verify", "-q", "HEAD^{commit}"])?.is_some() {
        return Ok(Ok("HEAD".to_owned()));
    }
    let listed = git.run(["for-each-ref", "--format=%(refname:short)", "refs/heads"])?;
    let branches: Vec<&str> = listed.lines().map(str::trim).filter(|name| !name.is_empty()).collect();
    Ok(match branches.as_slice() {
        [] => Err("has no commit yet: nothing to read (a board tied with `quarterdeck sync init` puts its plans there with `quarterdeck sync`)".to_owned()),
        [only] => Ok(format!("refs/heads/{only}")),
        several if several.contains(&"main") => Ok("refs/heads/main".to_owned()),
        several => Err(format!(
            "has no commit at HEAD and several branches ({}): name the one that holds the plans with --branch NAME",
            several.join(", ")
        )),
    })
}

/// The branch's tip: a local branch, else the remote's of that name.
fn branch_rev(git: &Git, branch: &str) -> Result<Option<String>, GitError> {
    for candidate in [format!("refs/heads/{branch}"), format!("refs/remotes/origin/{branch}")] {
        if git.ask(["rev-parse", "--verify", "-q", &candidate])?.is_some() {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_team_is_named_by_the_last_part_without_git() {
        assert_eq!(team_name("/srv/web.git"), "web");
        assert_eq!(team_name("https://host/org/app/"), "app");
        assert_eq!(team_name("git@host:org/pay.git"), "pay");
        assert_eq!(team_name("payments"), "payments");
    }

    #[test]
    fn urls_are_told_from_folders() {
        assert!(is_url("https://example.com/a.git"));
        assert!(is_url("git@example.com:a/b.git"));
        assert!(!is_url("/no/such/folder"));
        assert!(!is_url("C:/x"));
    }
}
