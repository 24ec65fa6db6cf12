//! A bare repository and boards tied to it, in one temporary folder.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::Value;
use tempfile::TempDir;

pub const TODAY: &str = "2027-01-04";

pub struct Net {
    pub dir: TempDir,
    pub remote: PathBuf,
}

/// The environment a laptop's git needs, with nothing from the user's.
pub fn git_env(command: &mut Command, home: &Path) {
    command
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Tester")
        .env("GIT_AUTHOR_EMAIL", "tester@example.com")
        .env("GIT_COMMITTER_NAME", "Tester")
        .env("GIT_COMMITTER_EMAIL", "tester@example.com")
        .env_remove("QUARTERDECK_DB")
        .env_remove("QUARTERDECK_TODAY")
        .env_remove("QUARTERDECK_SYNC_KILL_AT");
}

impl Net {
    /// A new bare repository, empty.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let remote = dir.path().join("remote.git");
        let mut git = Command::new("git");
        git.args(["init", "-q", "--bare", "--initial-branch=main"]).arg(&remote);
        git_env(&mut git, dir.path());
        assert!(git.status().unwrap().success());
        Self { dir, remote }
    }

    pub fn board(&self, name: &str) -> PathBuf {
        self.dir.path().join(format!("{name}.sqlite3"))
    }

    /// `quarterdeck --db BOARD ARGS` with `env` added.
    pub fn run_with(&self, board: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_quarterdeck"));
        command.arg("--db").arg(board).args(["--today", TODAY]).args(args);
        git_env(&mut command, self.dir.path());
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().unwrap()
    }

    pub fn run(&self, board: &Path, args: &[&str]) -> Output {
        self.run_with(board, args, &[])
    }

    /// A command that must succeed; its standard output.
    pub fn ok(&self, board: &Path, args: &[&str]) -> String {
        let output = self.run(board, args);
        assert!(
            output.status.success(),
            "{args:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// `sync ... --json`: the one JSON object and the exit code.
    pub fn sync(&self, board: &Path, args: &[&str]) -> (Value, i32) {
        self.sync_with(board, args, &[])
    }

    pub fn sync_with(&self, board: &Path, args: &[&str], env: &[(&str, &str)]) -> (Value, i32) {
        let mut all = vec!["sync"];
        all.extend_from_slice(args);
        all.push("--json");
        let output = self.run_with(board, &all, env);
        let text = String::from_utf8_lossy(&output.stdout);
        let value: Value = serde_json::from_str(text.trim())
            .unwrap_or_else(|_| panic!("not one JSON object: {text} / {}", String::from_utf8_lossy(&output.stderr)));
        (value, output.status.code().unwrap_or(-1))
    }

    /// A sync that must complete.
    pub fn synced(&self, board: &Path) -> Value {
        self.synced_with(board, &[])
    }

    /// `sync ARGS` that must complete.
    pub fn synced_with(&self, board: &Path, args: &[&str]) -> Value {
        let (report, code) = self.sync(board, args);
        assert_eq!(code, 0, "{report}");
        report
    }

    /// A board with the demo quarter, tied to the remote.
    pub fn demo_board(&self, name: &str) -> PathBuf {
        let board = self.board(name);
        self.ok(&board, &["demo"]);
        self.tie(&board);
        board
    }

    /// Two laptops on one quarter: the demo board `a` tied and sent, and
    /// board `b` that joined it.
    pub fn two_laptops() -> (Self, PathBuf, PathBuf) {
        let net = Self::new();
        let a = net.demo_board("a");
        net.synced(&a);
        let b = net.joined("b");
        (net, a, b)
    }

    /// A board with no quarter that joins: tied, then synced.
    pub fn joined(&self, name: &str) -> PathBuf {
        let board = self.board(name);
        self.tie(&board);
        let report = self.synced(&board);
        assert_eq!(report["outcome"], "received", "{report}");
        board
    }

    pub fn tie(&self, board: &Path) {
        let remote = self.remote.display().to_string();
        let (report, code) = self.sync(board, &["init", &remote]);
        assert_eq!(code, 0, "{report}");
    }

    /// What `export` writes: equal for boards that hold the same quarter.
    pub fn export(&self, board: &Path) -> String {
        self.ok(board, &["export"])
    }

    pub fn assert_same(&self, a: &Path, b: &Path) {
        let (a, b) = (self.export(a), self.export(b));
        assert!(a == b, "the boards differ:\n{}", first_difference(&a, &b));
    }

    /// An item's field as `show --json` gives it.
    pub fn item(&self, board: &Path, number: &str) -> Value {
        serde_json::from_str(&self.ok(board, &["show", number, "--json"])).unwrap()
    }

    /// git in the bare repository.
    pub fn git(&self, args: &[&str]) -> String {
        let mut git = Command::new("git");
        git.arg("-C").arg(&self.remote).args(args);
        git_env(&mut git, self.dir.path());
        let output = git.output().unwrap();
        assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    }
}

fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map_or_else(|| "(one is longer)".to_owned(), |(at, (x, y))| format!("line {}: {x} / {y}", at + 1))
}
