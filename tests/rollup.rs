//! `quarterdeck rollup` and `report rollup` on real git repositories made
//! here, each with plan files committed under `quarterdeck/`: three teams
//! and a company, figures counted by hand on the fixture plans.

#![allow(clippy::unwrap_used)]

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::Value;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_quarterdeck");
const TODAY: &str = "2027-02-01";
const GROW_REVENUE_ID: &str = "01a24fa0-0000-7000-8000-000000000001";

/// git as the tests' own user, never the machine's configuration.
fn git(home: &Path, dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .expect("git on PATH (.ci/run installs it)");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

/// A folder of repositories made for one test.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new() -> Self {
        Self { dir: tempfile::tempdir().unwrap() }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A clone named `name` holding `files` (path, text), committed on main.
    fn clone_with(&self, name: &str, files: &[(&str, &str)]) -> PathBuf {
        let repo = self.path(name);
        std::fs::create_dir_all(&repo).unwrap();
        git(self.dir.path(), &repo, &["init", "-q", "-b", "main"]);
        for (path, text) in files {
            let file = repo.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        git(self.dir.path(), &repo, &["add", "-A"]);
        git(self.dir.path(), &repo, &["commit", "-q", "-m", "plan"]);
        repo
    }

    /// A bare repository `NAME.git` with the plan as `quarterdeck/2027-Q1.toml`.
    fn bare_with_plan(&self, name: &str, plan: &str) -> PathBuf {
        let clone = self.clone_with(&format!("{name}-work"), &[("quarterdeck/2027-Q1.toml", plan)]);
        let bare = self.path(&format!("{name}.git"));
        git(self.dir.path(), self.dir.path(), &["clone", "-q", "--bare", clone.to_str().unwrap(), bare.to_str().unwrap()]);
        bare
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(["--today", TODAY])
            .args(args)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("QUARTERDECK_DB")
            .output()
            .unwrap()
    }
}

fn path_arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A plan of 2027-Q1 with one two-week sprint and these objectives.
fn plan(objectives: &str) -> String {
    format!("[quarter]\nlabel = \"2027-Q1\"\nstart = \"2027-01-04\"\n\n{objectives}\n[[sprints]]\nweeks = 2\ncapacity = 20\n")
}

/// An objective with one KR: `(title, parent, id, kr title, start, target, current, confidence)`.
#[allow(clippy::too_many_arguments)]
fn objective(
    title: &str,
    parent: &str,
    id: Option<&str>,
    kr: &str,
    start: f64,
    target: f64,
    current: f64,
    confidence: u8,
) -> String {
    let id = id.map_or_else(String::new, |id| format!("id = \"{id}\"\n"));
    format!(
        "[[objectives]]\n{id}title = \"{title}\"\nparent = \"{parent}\"\n[[objectives.key_results]]\ntitle = \"{kr}\"\nunit = \"pts\"\n\
         start = {start:?}\ntarget = {target:?}\ncurrent = {current:?}\nconfidence = {confidence}\n\n"
    )
}

/// The company and three teams: web aligns by id, app by `TEAM:O2`, data
/// by title; app's second objective aligns to nothing.
fn four_repositories(fixture: &Fixture) -> Vec<PathBuf> {
    let company = plan(&format!(
        "{}{}",
        objective("Grow revenue", "", Some(GROW_REVENUE_ID), "Revenue", 1.0, 2.0, 1.5, 70),
        objective("Delight customers", "", None, "NPS", 20.0, 40.0, 25.0, 50)
    ));
    let web = plan(&objective("Fast checkout", GROW_REVENUE_ID, None, "Conversion", 10.0, 30.0, 20.0, 80));
    let app = plan(&format!(
        "{}{}",
        objective("App reviews", "company:O2", None, "Store rating", 3.0, 4.5, 4.2, 60),
        objective("Tech debt", "", None, "Crash-free", 90.0, 99.0, 99.0, 90)
    ));
    // Progress beyond the target counts as reached in an objective's progress.
    let data = plan(&objective("Reports on time", "grow revenue", None, "Reports", 0.0, 10.0, 12.0, 40));
    vec![
        fixture.bare_with_plan("company", &company),
        fixture.bare_with_plan("web", &web),
        fixture.bare_with_plan("app", &app),
        fixture.bare_with_plan("data", &data),
    ]
}

fn json_of(output: &Output) -> Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|error| panic!("{error}: {}", stdout(output)))
}

/// `check --json FILE`'s warnings: the board's health screen on that plan.
fn warnings_of(fixture: &Fixture, repo: &Path) -> u64 {
    let file = fixture.path("check.toml");
    let shown = Command::new("git").arg("-C").arg(repo).args(["show", "HEAD:quarterdeck/2027-Q1.toml"]).output().unwrap();
    std::fs::write(&file, shown.stdout).unwrap();
    let checked = fixture.run(&["check", "--json", "--warn-only", path_arg(&file)]);
    json_of(&checked)["warnings"].as_u64().unwrap()
}

#[test]
fn three_teams_and_a_company_align_by_id_team_code_and_title_with_figures_counted_by_hand() {
    let fixture = Fixture::new();
    let repos = four_repositories(&fixture);
    let mut args = vec!["rollup", "--json"];
    args.extend(repos.iter().map(|repo| path_arg(repo)));
    let output = fixture.run(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let view = json_of(&output);
    assert_eq!(view["quarter"], "2027-Q1");
    let teams: Vec<&str> = view["teams"].as_array().unwrap().iter().map(|team| team["team"].as_str().unwrap()).collect();
    assert_eq!(teams, ["company", "web", "app", "data"]);
    for (team, repo) in view["teams"].as_array().unwrap().iter().zip(&repos) {
        assert_eq!(team["health_warnings"].as_u64().unwrap(), warnings_of(&fixture, repo), "{team}");
    }

    let company = view["company"].as_array().unwrap();
    assert_eq!(company.len(), 2, "{company:?}");
    // Grow revenue: (1.5 - 1) / (2 - 1) = 50 %.
    assert_eq!((company[0]["ref"].as_str(), company[0]["progress"].as_f64()), (Some("O1"), Some(0.5)));
    assert_eq!(company[0]["krs"][0]["confidence"], 70);
    let aligned: Vec<(&str, f64)> = company[0]["aligned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|objective| (objective["team"].as_str().unwrap(), objective["progress"].as_f64().unwrap()))
        .collect();
    // web by id: (20 - 10) / (30 - 10) = 50 %; data by title: 12 of 10 is
    // 120 % for the KR, clamped to 100 % in the objective's progress.
    assert_eq!(aligned, [("web", 0.5), ("data", 1.0)]);
    assert_eq!(company[0]["aligned"][1]["krs"][0]["progress"].as_f64(), Some(1.2));
    // Delight customers: (25 - 20) / (40 - 20) = 25 %; app:O1 by TEAM:O2:
    // (4.2 - 3) / (4.5 - 3) = 80 %.
    assert_eq!(company[1]["progress"].as_f64(), Some(0.25));
    let app = &company[1]["aligned"][0];
    assert_eq!((app["team"].as_str(), app["title"].as_str()), (Some("app"), Some("App reviews")));
    assert!((app["progress"].as_f64().unwrap() - 0.8).abs() < 1e-9, "{app}");
    let unaligned: Vec<&str> = view["unaligned"].as_array().unwrap().iter().map(|o| o["title"].as_str().unwrap()).collect();
    assert_eq!(unaligned, ["Tech debt"]);
    assert_eq!(view["skipped"], Value::Array(Vec::new()));
}

#[test]
fn the_text_view_fits_80_columns_and_cleans_a_hostile_title() {
    let fixture = Fixture::new();
    let mut repos = four_repositories(&fixture);
    let long = "Checkout \\u001b[31mred and a title long enough to run well past the right edge of the terminal";
    repos.push(fixture.bare_with_plan("shop", &plan(&objective(long, "company:O1", None, "Orders", 0.0, 4.0, 1.0, 50))));
    let mut args = vec!["rollup"];
    args.extend(repos.iter().map(|repo| path_arg(repo)));
    let output = fixture.run(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("Roll-up of 2027-Q1 on 2027-02-01: 5 teams"), "{text}");
    for line in text.lines() {
        assert!(unicode_width(line) <= 80, "wider than 80: {line:?}");
    }
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("shop:O1") && text.contains("Checkout ␛[31mred") && text.contains('…'), "{text}");
    assert!(text.contains("  web:O1") && text.contains("Aligned to nothing") && text.contains("app:O2"), "{text}");
}

fn unicode_width(line: &str) -> usize {
    line.chars().count()
}

#[test]
fn the_rollup_list_in_config_names_the_teams_and_their_branches() {
    let fixture = Fixture::new();
    let repos = four_repositories(&fixture);
    // The plans of `web` sit on a branch of their own only.
    let branchy = fixture.clone_with("branchy", &[("README.md", "no plans on main\n")]);
    git(fixture.dir.path(), &branchy, &["checkout", "-q", "-b", "plans"]);
    std::fs::create_dir_all(branchy.join("quarterdeck")).unwrap();
    std::fs::write(
        branchy.join("quarterdeck/q1.toml"),
        plan(&objective("Checkout", GROW_REVENUE_ID, None, "Conv", 0.0, 10.0, 5.0, 70)),
    )
    .unwrap();
    git(fixture.dir.path(), &branchy, &["add", "-A"]);
    git(fixture.dir.path(), &branchy, &["commit", "-q", "-m", "plans"]);
    git(fixture.dir.path(), &branchy, &["checkout", "-q", "main"]);
    let config = format!(
        "[[rollup]]\nname = \"The Company\"\nrepo = \"{}\"\n\n[[rollup]]\nname = \"Shop front\"\nrepo = \"{}\"\nbranch = \"plans\"\n",
        path_arg(&repos[0]),
        path_arg(&branchy)
    );
    std::fs::create_dir_all(fixture.path("config/quarterdeck")).unwrap();
    std::fs::write(fixture.path("config/quarterdeck/config.toml"), config).unwrap();
    let output = fixture.run(&["rollup", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let view = json_of(&output);
    assert_eq!(view["company"][0]["team"], "The Company");
    assert_eq!(view["company"][0]["aligned"][0]["team"], "Shop front");
    assert_eq!(view["company"][0]["aligned"][0]["progress"].as_f64(), Some(0.5));

    // A bad entry is named with its file and field, and nothing is read.
    std::fs::write(fixture.path("config/quarterdeck/config.toml"), "[[rollup]]\nname = \"x\"\nrepos = \"y\"\n").unwrap();
    let output = fixture.run(&["rollup"]);
    let said = stderr(&output);
    assert_ne!(output.status.code(), Some(0));
    assert!(said.contains("config.toml") && said.contains("repos") && stdout(&output).is_empty(), "{said}");

    // No repository named and none listed: told how to name them, exit 2.
    std::fs::write(fixture.path("config/quarterdeck/config.toml"), "").unwrap();
    let output = fixture.run(&["rollup"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("[[rollup]]"), "{}", stderr(&output));
}

#[test]
fn repositories_that_cannot_be_read_are_skipped_and_named_and_the_others_still_shown() {
    let fixture = Fixture::new();
    let repos = four_repositories(&fixture);
    let not_git = fixture.path("plain-folder");
    std::fs::create_dir_all(&not_git).unwrap();
    let no_plans = fixture.clone_with("empty-team", &[("README.md", "hello\n")]);
    let broken = fixture.clone_with("broken", &[("quarterdeck/2027-Q1.toml", "[quarter]\nlabel = \"2027-Q1\"\nstart = 5\n")]);
    let unreachable = format!("file://{}", fixture.path("nowhere.git").display());
    let output = fixture.run(&[
        "rollup",
        path_arg(&repos[0]),
        path_arg(&not_git),
        path_arg(&no_plans),
        path_arg(&broken),
        &unreachable,
        path_arg(&repos[1]),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("company:O1") && text.contains("web:O1"), "{text}");
    let said = stderr(&output);
    assert!(said.contains("skipped plain-folder") && said.contains("is not a git repository"), "{said}");
    assert!(said.contains("skipped empty-team") && said.contains("holds no plan files"), "{said}");
    assert!(said.contains("skipped broken") && said.contains("quarterdeck/2027-Q1.toml:3:"), "{said}");
    assert!(said.contains("skipped nowhere") && said.contains("could not be cloned"), "{said}");

    // The same in JSON: the skipped listed, stdout one object.
    let output = fixture.run(&["rollup", "--json", path_arg(&repos[1]), path_arg(&not_git)]);
    assert_eq!(output.status.code(), Some(1));
    let view = json_of(&output);
    assert_eq!(view["skipped"][0]["team"], "plain-folder");

    // Nothing readable at all: every reason said, exit 1, nothing on stdout.
    let output = fixture.run(&["rollup", path_arg(&not_git)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty() && stderr(&output).contains("no plan could be read"), "{}", stderr(&output));
}

#[test]
fn git_missing_is_said_with_what_to_do() {
    let fixture = Fixture::new();
    let repo = fixture.clone_with("team", &[("README.md", "x\n")]);
    let empty_path = fixture.path("no-programs");
    std::fs::create_dir_all(&empty_path).unwrap();
    let output = Command::new(BIN)
        .args(["rollup", path_arg(&repo)])
        .env("PATH", &empty_path)
        .env("HOME", fixture.dir.path())
        .env("XDG_CONFIG_HOME", fixture.path("config"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("git is not installed"), "{}", stderr(&output));
}

#[test]
fn a_url_is_cloned_shallow_and_read_and_a_quarter_can_be_chosen() {
    let fixture = Fixture::new();
    let repos = four_repositories(&fixture);
    let url = format!("file://{}", repos[1].display());
    let output = fixture.run(&["rollup", "--json", "--quarter", "2027-q1", path_arg(&repos[0]), &url]);
    assert!(output.status.success(), "{}", stderr(&output));
    let view = json_of(&output);
    assert_eq!(view["teams"][1]["team"], "web");
    assert_eq!(view["company"][0]["aligned"][0]["team"], "web");

    // A quarter a team does not hold skips that team, naming what it holds.
    let output = fixture.run(&["rollup", "--quarter", "2027-Q2", path_arg(&repos[0])]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("holds no plan of 2027-Q2 (it holds 2027-Q1)"), "{}", stderr(&output));
}

#[test]
fn report_rollup_writes_markdown_and_a_page_with_no_script_that_escapes_a_hostile_title() {
    let fixture = Fixture::new();
    let mut repos = four_repositories(&fixture);
    let hostile = "<script>alert(1)</script> & \\\"quoted\\\"";
    repos.push(fixture.bare_with_plan("evil", &plan(&objective(hostile, "company:O1", None, "KR", 0.0, 1.0, 0.5, 50))));
    let out = fixture.path("rollup.html");
    let mut args = vec!["report", "rollup", "--out", path_arg(&out)];
    args.extend(repos.iter().map(|repo| path_arg(repo)));
    let output = fixture.run(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("Content-Security-Policy"), "{page}");
    assert!(!page.to_lowercase().contains("<script"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;"), "{page}");
    assert!(page.contains("prefers-color-scheme") && page.contains("@media print"), "{page}");

    let output = fixture.run(&["report", "rollup", path_arg(&repos[0]), path_arg(&repos[1])]);
    let markdown = stdout(&output);
    assert!(markdown.starts_with("# Roll-up, 2027-Q1\n"), "{markdown}");
    assert!(markdown.contains("### company:O1 Grow revenue") && markdown.contains("#### web:O1 Fast checkout"), "{markdown}");
    assert!(markdown.contains("| KR1.1 | 20 pts | 30 pts | 50 % | 80 % |  | Conversion |"), "{markdown}");
}

#[test]
fn a_closed_quarter_shows_its_scores_and_the_objective_score_is_their_mean_to_a_tenth() {
    let fixture = Fixture::new();
    let repos = four_repositories(&fixture);
    let closed = "[quarter]\nlabel = \"2027-Q1\"\nstart = \"2027-01-04\"\nstate = \"closed\"\nclosed_on = \"2027-01-18\"\n\n\
        [[objectives]]\ntitle = \"Grow\"\nparent = \"company:O1\"\n\
        [[objectives.key_results]]\ntitle = \"A\"\nunit = \"pts\"\nstart = 0.0\ntarget = 10.0\ncurrent = 7.0\nconfidence = 60\nscore = 0.7\n\
        [[objectives.key_results]]\ntitle = \"B\"\nunit = \"pts\"\nstart = 0.0\ntarget = 10.0\ncurrent = 4.0\nconfidence = 60\nscore = 0.4\n\n\
        [[sprints]]\nweeks = 2\ncapacity = 20\nstate = \"closed\"\n";
    let team = fixture.bare_with_plan("closers", closed);
    let output = fixture.run(&["rollup", "--json", path_arg(&repos[0]), path_arg(&team)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let view = json_of(&output);
    let grow = &view["company"][0]["aligned"][0];
    let scores: Vec<f64> = grow["krs"].as_array().unwrap().iter().map(|kr| kr["score"].as_f64().unwrap()).collect();
    assert_eq!(scores, [0.7, 0.4]);
    // (0.7 + 0.4) / 2 = 0.55, to a tenth halves up: 0.6.
    assert_eq!(grow["score"].as_f64(), Some(0.6));
    // The company's quarter is open: no score yet.
    assert_eq!(view["company"][0]["score"], Value::Null);
    let text = stdout(&fixture.run(&["rollup", path_arg(&repos[0]), path_arg(&team)]));
    assert!(text.lines().any(|line| line.starts_with("  closers:O1") && line.contains("0.6")), "{text}");
}

#[test]
fn a_board_tied_with_another_folder_is_read_with_the_same_dir_flag_or_config_entry() {
    let fixture = Fixture::new();
    let repos = four_repositories(&fixture);
    let web = plan(&objective("Fast checkout", GROW_REVENUE_ID, None, "Conversion", 10.0, 30.0, 20.0, 80));
    let top = fixture.clone_with("top", &[("2027-Q1.toml", &web)]);
    let planning = fixture.clone_with("planning", &[("plans/okrs/2027-Q1.toml", &web)]);
    // Not under quarterdeck/: named as holding none, with what to do.
    let missed = fixture.run(&["rollup", path_arg(&repos[0]), path_arg(&top)]);
    assert!(stderr(&missed).contains("--dir"), "{}", stderr(&missed));
    let output = fixture.run(&["rollup", "--json", "--dir", "", path_arg(&top)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json_of(&output)["teams"][0]["team"], "top", "{}", stdout(&output));
    let config = format!(
        "[[rollup]]\nname = \"Company\"\nrepo = \"{}\"\n\n[[rollup]]\nname = \"Web\"\nrepo = \"{}\"\ndir = \"plans/okrs\"\n",
        path_arg(&repos[0]),
        path_arg(&planning)
    );
    std::fs::create_dir_all(fixture.path("config/quarterdeck")).unwrap();
    std::fs::write(fixture.path("config/quarterdeck/config.toml"), config).unwrap();
    let output = fixture.run(&["rollup", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json_of(&output)["company"][0]["aligned"][0]["team"], "Web", "{}", stdout(&output));
}

#[test]
fn a_bare_repository_whose_head_names_no_commit_is_read_at_its_only_branch() {
    // `git init --bare` points HEAD at master; sync pushed main.
    let fixture = Fixture::new();
    let work = fixture.clone_with(
        "web-work",
        &[("quarterdeck/2027-Q1.toml", &plan(&objective("Fast checkout", "", None, "Conversion", 10.0, 30.0, 20.0, 80)))],
    );
    let bare = fixture.path("web.git");
    git(fixture.dir.path(), fixture.dir.path(), &["init", "-q", "--bare", "--initial-branch=master", path_arg(&bare)]);
    git(fixture.dir.path(), &work, &["push", "-q", path_arg(&bare), "main"]);
    let output = fixture.run(&["rollup", path_arg(&bare)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("Fast checkout"), "{}", stdout(&output));
    // Two branches, neither main: the message says to name one.
    git(fixture.dir.path(), &work, &["push", "-q", path_arg(&bare), "main:plans", "main:other"]);
    git(fixture.dir.path(), &bare, &["branch", "-D", "main"]);
    let output = fixture.run(&["rollup", path_arg(&bare)]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("several branches (other, plans)") && stderr(&output).contains("--branch"),
        "{}",
        stderr(&output)
    );
}
