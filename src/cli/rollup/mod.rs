//! `quarterdeck rollup REPO…`: a read-only company view across teams'
//! repositories (docs/rollup.md). Each repository's plan files are read
//! at the tip of its branch (`read`), each team's quarter loaded into a
//! temporary board for its figures, and objectives aligned to the company
//! objectives they name (`view`). A repository that cannot be read is
//! skipped and named; the others are still shown (exit 1).

pub mod read;
pub mod view;

use std::io::Write;

use chrono::NaiveDate;

pub use read::{Skipped, Source};
pub use view::{CompanySection, KrView, ObjectiveView, RollUp, TeamView};

use super::output::{JsonObject, write_lines};
use crate::{config::RollupEntry, format::whole_percent};

/// The repositories a roll-up reads and the quarter it shows.
#[derive(Debug, clap::Args)]
pub struct RollupArgs {
    /// Each team's repository: a path to a clone or a bare repository, or a
    /// URL (cloned shallow, removed after) [default: [[rollup]] in config.toml]
    #[arg(value_name = "REPO")]
    pub repos: Vec<String>,
    /// The branch to read in every repository [default: each one's HEAD]
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
    /// The folder of plan files in every repository, as `sync init --dir` set it ("" for the top)
    #[arg(long, value_name = "FOLDER", default_value = read::PLAN_DIR)]
    pub dir: String,
    /// The quarter, by its label [default: the latest that has started]
    #[arg(long, value_name = "LABEL")]
    pub quarter: Option<String>,
}

/// What went wrong for every repository at once.
#[derive(Debug, thiserror::Error)]
pub enum RollupError {
    #[error(
        "no repository to read: name them (`quarterdeck rollup REPO…`) or list them as [[rollup]] in config.toml (`quarterdeck config --default` shows how)"
    )]
    NoRepositories,
    #[error("{}", crate::sync::git::GitError::Missing)]
    GitMissing,
    #[error("{0}")]
    NothingRead(String),
}

/// The repositories to read: those named, else config.toml's `[[rollup]]`.
pub fn sources(repos: &[String], branch: Option<&str>, dir: &str, config: &[RollupEntry]) -> Result<Vec<Source>, RollupError> {
    let sources: Vec<Source> = if repos.is_empty() {
        config
            .iter()
            .map(|entry| Source {
                team: entry.name.clone(),
                repo: entry.repo.clone(),
                branch: branch.map(str::to_owned).or_else(|| entry.branch.clone()),
                dir: entry.dir.clone().unwrap_or_else(|| dir.to_owned()),
            })
            .collect()
    } else {
        repos.iter().map(|repo| Source::from_argument(repo, branch, dir)).collect()
    };
    if sources.is_empty() {
        return Err(RollupError::NoRepositories);
    }
    Ok(sources)
}

/// Reads every repository and builds the view of the quarter.
pub fn gather(sources: &[Source], quarter: Option<&str>, today: NaiveDate) -> anyhow::Result<RollUp> {
    let mut teams = Vec::new();
    let mut skipped = Vec::new();
    for source in sources {
        match read::read_team(source) {
            Ok(team) => teams.push(team),
            Err(read::Failure::GitMissing) => return Err(RollupError::GitMissing.into()),
            Err(read::Failure::Skipped(why)) => skipped.push(why),
        }
    }
    let Some(label) = view::chosen_quarter(&teams, quarter, today) else {
        let said: Vec<String> = skipped.iter().map(skipped_line).collect();
        return Err(RollupError::NothingRead(format!("no plan could be read:\n{}", said.join("\n"))).into());
    };
    view::build(teams, &label, today, skipped)
}

/// `web (/srv/web.git): is not a git repository: …`
pub fn skipped_line(skipped: &Skipped) -> String {
    format!("{} ({}): {}", skipped.team, skipped.repo, skipped.why)
}

/// `42 %`, or `-` when a KR cannot be measured.
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_owned(), |share| format!("{} %", whole_percent(share)))
}

/// A closed quarter's score (`0.7`), or nothing while it runs.
pub fn score(score: Option<f64>) -> String {
    score.map_or_else(String::new, |score| format!("{score:.1}"))
}

/// `2 warn`, or `ok`: how many of the method's rules warn on the team's quarter.
pub fn health_words(team: Option<&TeamView>) -> String {
    match team {
        Some(team) if team.warnings == 0 => "ok".into(),
        Some(team) => format!("{} warn", team.warnings),
        None => String::new(),
    }
}

/// `2 of 13 warn`, or `all 13 hold`.
pub fn health_of_rules(team: &TeamView) -> String {
    match team.warnings {
        0 => format!("all {} hold", team.rules),
        warnings => format!("{warnings} of {} warn", team.rules),
    }
}

/// The roll-up's lines wide enough for a terminal of 80 columns.
const WIDTH: usize = 80;

/// Prints the view as aligned text or one JSON object.
pub fn print(rollup: &RollUp, json: bool, mut out: impl Write) -> anyhow::Result<()> {
    if json {
        writeln!(out, "{}", to_json(rollup))?;
        return Ok(out.flush()?);
    }
    let teams = crate::format::count(u32::try_from(rollup.teams.len()).unwrap_or(u32::MAX), "team", "teams");
    write_lines(&mut out, &format!("Roll-up of {} on {}: {teams}", rollup.quarter, rollup.today))?;
    writeln!(out)?;
    let team_rows: Vec<Vec<String>> = rollup
        .teams
        .iter()
        .map(|team| vec![team.team.clone(), health_of_rules(team), team.commit.clone(), team.repo.clone()])
        .collect();
    super::output::write_table_within(&mut out, &["TEAM", "HEALTH", "COMMIT", "REPOSITORY"], &team_rows, WIDTH)?;
    let header = ["REF", "NOW/TARGET", "PROGRESS", "CONF", "SCORE", "HEALTH", "TITLE"];
    if !rollup.companies.is_empty() {
        writeln!(out, "\nCompany objectives")?;
        let mut rows = Vec::new();
        for company in &rollup.companies {
            objective_rows(&mut rows, rollup, &company.objective, "");
            for aligned in &company.aligned {
                objective_rows(&mut rows, rollup, aligned, "  ");
            }
        }
        super::output::write_table_within(&mut out, &header, &rows, WIDTH)?;
    }
    if !rollup.unaligned.is_empty() {
        writeln!(out, "\nAligned to nothing")?;
        let mut rows = Vec::new();
        for objective in &rollup.unaligned {
            objective_rows(&mut rows, rollup, objective, "");
        }
        super::output::write_table_within(&mut out, &header, &rows, WIDTH)?;
    }
    // What was skipped is said on stderr (`main`), once.
    Ok(out.flush()?)
}

fn objective_rows(rows: &mut Vec<Vec<String>>, rollup: &RollUp, objective: &ObjectiveView, indent: &str) {
    rows.push(vec![
        format!("{indent}{}:{}", objective.team, objective.code),
        String::new(),
        percent(objective.progress),
        String::new(),
        score(objective.score),
        health_words(rollup.team(&objective.team)),
        objective.title.clone(),
    ]);
    for kr in &objective.krs {
        rows.push(vec![
            format!("{indent}  {}", kr.code),
            format!("{}/{}", crate::format::number(kr.current), crate::format::number(kr.target)),
            percent(kr.progress),
            format!("{}%", kr.confidence),
            score(kr.score),
            String::new(),
            kr.title.clone(),
        ]);
    }
}

fn optional_number(value: Option<f64>) -> String {
    value.map_or_else(|| "null".to_owned(), |value| value.to_string())
}

fn objective_json(rollup: &RollUp, objective: &ObjectiveView, aligned: Option<&[ObjectiveView]>) -> String {
    let krs: Vec<String> = objective
        .krs
        .iter()
        .map(|kr| {
            JsonObject::new()
                .string("ref", &kr.code)
                .string("title", &kr.title)
                .string("unit", &kr.unit)
                .number("start", kr.start)
                .number("current", kr.current)
                .number("target", kr.target)
                .raw("progress", &optional_number(kr.progress))
                .number("confidence", kr.confidence)
                .raw("score", &optional_number(kr.score))
                .finish()
        })
        .collect();
    let mut object = JsonObject::new()
        .string("team", &objective.team)
        .string("ref", &objective.code)
        .optional("id", objective.id.as_deref())
        .string("title", &objective.title)
        .string("parent", &objective.parent)
        .raw("progress", &optional_number(objective.progress))
        .raw("score", &optional_number(objective.score))
        .number("health_warnings", rollup.team(&objective.team).map_or(0, |team| team.warnings))
        .raw("krs", &format!("[{}]", krs.join(", ")));
    if let Some(aligned) = aligned {
        let aligned: Vec<String> = aligned.iter().map(|child| objective_json(rollup, child, None)).collect();
        object = object.raw("aligned", &format!("[{}]", aligned.join(", ")));
    }
    object.finish()
}

/// The view as one JSON object (fields in docs/cli.md, "rollup").
pub fn to_json(rollup: &RollUp) -> String {
    let teams: Vec<String> = rollup
        .teams
        .iter()
        .map(|team| {
            JsonObject::new()
                .string("team", &team.team)
                .string("repo", &team.repo)
                .string("commit", &team.commit)
                .string("file", &team.file)
                .number("health_warnings", team.warnings)
                .number("rules", team.rules)
                .finish()
        })
        .collect();
    let companies: Vec<String> =
        rollup.companies.iter().map(|company| objective_json(rollup, &company.objective, Some(&company.aligned))).collect();
    let unaligned: Vec<String> = rollup.unaligned.iter().map(|objective| objective_json(rollup, objective, None)).collect();
    let skipped: Vec<String> = rollup
        .skipped
        .iter()
        .map(|skipped| {
            JsonObject::new().string("team", &skipped.team).string("repo", &skipped.repo).string("why", &skipped.why).finish()
        })
        .collect();
    let list = |items: &[String]| format!("[{}]", items.join(", "));
    JsonObject::new()
        .string("quarter", &rollup.quarter)
        .string("today", &rollup.today.to_string())
        .raw("teams", &list(&teams))
        .raw("company", &list(&companies))
        .raw("unaligned", &list(&unaligned))
        .raw("skipped", &list(&skipped))
        .finish()
}
