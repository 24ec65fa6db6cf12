//! The user's own `git`, run as a program: their credentials, SSH keys,
//! hooks and configuration apply, and we link no git library. Every run
//! names what it did when it fails, in git's own words (made inert for a
//! terminal: git relays what a remote or a hook prints).

use std::{
    ffi::OsStr,
    io,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

use crate::ui::text::clean;

/// Why a git command did not do its work.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// No `git` program on PATH.
    #[error("git is not installed or not on PATH: install git (for example `apt-get install git`) and try again")]
    Missing,
    /// git ran and failed: what was asked and what git said.
    #[error("`git {args}` failed in {}: {says}", dir.display())]
    Failed { args: String, dir: PathBuf, code: Option<i32>, says: String },
    /// git could not be started for another reason (permissions, a broken PATH entry).
    #[error("git could not be started: {0}")]
    Start(io::Error),
}

/// git in one working folder (a clone, or a bare repository).
#[derive(Debug, Clone)]
pub struct Git {
    dir: PathBuf,
    /// Whether git may ask on the terminal (the command line may; the
    /// board, which owns the screen, never lets it).
    may_prompt: bool,
}

impl Git {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into(), may_prompt: true }
    }

    /// git that never asks for a password or a passphrase: it fails
    /// instead, and the caller says what to do (an SSH agent, a credential
    /// helper).
    pub fn without_prompts(mut self) -> Self {
        self.may_prompt = false;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs `git ARGS` in the folder; its standard output on success.
    pub fn run<I, S>(&self, args: I) -> Result<String, GitError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<S> = args.into_iter().collect();
        let output = self.output(&args, None)?;
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// `run` with `input` on git's standard input (`hash-object --stdin`,
    /// `mktree`).
    pub fn run_with_input<I, S>(&self, args: I, input: &[u8]) -> Result<String, GitError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<S> = args.into_iter().collect();
        let output = self.output(&args, Some(input))?;
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// `run`, but a failure is an answer (`Ok(None)`) rather than an error:
    /// for questions git answers with its exit code (`merge-base
    /// --is-ancestor`, `rev-parse --verify` of a ref that may not exist).
    pub fn ask<I, S>(&self, args: I) -> Result<Option<String>, GitError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        match self.run(args) {
            Ok(out) => Ok(Some(out)),
            Err(GitError::Failed { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    fn output<S: AsRef<OsStr>>(&self, args: &[S], input: Option<&[u8]>) -> Result<Output, GitError> {
        let mut command = Command::new("git");
        command.arg("-C").arg(&self.dir).args(args);
        // Messages in English whatever the locale, so that what we tell
        // from git's words (an unreachable remote) reads the same.
        command.env("LC_ALL", "C").env("LANGUAGE", "C");
        if !self.may_prompt {
            command.env("GIT_TERMINAL_PROMPT", "0").env("GIT_SSH_COMMAND", ssh_without_prompts());
        }
        command.stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() });
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Err(GitError::Missing),
            Err(error) => return Err(GitError::Start(error)),
        };
        if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
            use io::Write;
            // A git that ends early closes its end; its exit status says why.
            let _ = stdin.write_all(bytes);
        }
        let output = child.wait_with_output().map_err(GitError::Start)?;
        if output.status.success() {
            return Ok(output);
        }
        Err(GitError::Failed {
            args: args.iter().map(|arg| arg.as_ref().to_string_lossy().into_owned()).collect::<Vec<_>>().join(" "),
            dir: self.dir.clone(),
            code: output.status.code(),
            says: String::from_utf8_lossy(&output.stderr).trim().lines().map(clean).collect::<Vec<_>>().join("\n"),
        })
    }
}

/// The user's SSH command (GIT_SSH_COMMAND, else `ssh`) in batch mode: a
/// key that needs a passphrase the agent does not hold fails at once
/// instead of asking on a screen the board owns.
fn ssh_without_prompts() -> String {
    let ssh = std::env::var("GIT_SSH_COMMAND").ok().filter(|command| !command.trim().is_empty()).unwrap_or_else(|| "ssh".into());
    format!("{ssh} -o BatchMode=yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_runs_and_a_failure_names_the_command_and_what_git_said() {
        let dir = tempfile::tempdir().expect("temp");
        let git = Git::new(dir.path());
        match git.run(["init", "-q", "--bare"]) {
            Err(GitError::Missing) => panic!("these tests need git on PATH (.ci/run installs it)"),
            other => {
                other.expect("git init");
            }
        }
        assert_eq!(git.ask(["rev-parse", "--verify", "-q", "refs/heads/nowhere"]).expect("asked"), None);
        let error = git.run(["show", "HEAD:nothing.toml"]).expect_err("no such commit");
        let said = error.to_string();
        assert!(said.contains("git show HEAD:nothing.toml") && said.contains(&dir.path().display().to_string()), "{said}");
    }
}
