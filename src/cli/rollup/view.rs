//! The company view worked out once from the teams' plans: each plan is
//! loaded into a temporary board (as `check plan.toml` does) and every
//! figure comes from the domain functions the board uses (`kr_progress`,
//! `objective_progress`, `quarter_close` scores, `health::check`). Nothing
//! is counted here; this file only aligns objectives to their parents.

use anyhow::Context;
use chrono::NaiveDate;

use super::read::{Skipped, TeamPlans};
use crate::{
    cli::list::board_on,
    domain::{Board, codes, health, kr_progress, objective_progress, quarter_close},
    plan::Plan,
    store::Store,
};

/// One team's quarter as the roll-up shows it.
#[derive(Debug, Clone)]
pub struct TeamView {
    pub team: String,
    pub repo: String,
    pub commit: String,
    /// The plan file's path in the repository.
    pub file: String,
    /// How many of the method's rules warn (the board's health screen).
    pub warnings: usize,
    pub rules: usize,
}

#[derive(Debug, Clone)]
pub struct KrView {
    pub code: String,
    pub title: String,
    pub unit: String,
    pub start: f64,
    pub current: f64,
    pub target: f64,
    pub progress: Option<f64>,
    pub confidence: u8,
    /// Its score, once the quarter is closed.
    pub score: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct ObjectiveView {
    pub team: String,
    pub code: String,
    /// Its stable id, when the plan gives one.
    pub id: Option<String>,
    pub title: String,
    /// What the plan says it aligns to (`parent`).
    pub parent: String,
    pub progress: Option<f64>,
    pub score: Option<f64>,
    pub krs: Vec<KrView>,
}

/// A company objective (one other teams' objectives align to) and those.
#[derive(Debug, Clone)]
pub struct CompanySection {
    pub objective: ObjectiveView,
    pub aligned: Vec<ObjectiveView>,
}

#[derive(Debug, Clone)]
pub struct RollUp {
    pub quarter: String,
    pub today: NaiveDate,
    pub teams: Vec<TeamView>,
    pub companies: Vec<CompanySection>,
    /// Objectives that align to nothing and nothing aligns to, team by team.
    pub unaligned: Vec<ObjectiveView>,
    pub skipped: Vec<Skipped>,
}

impl RollUp {
    pub fn team(&self, name: &str) -> Option<&TeamView> {
        self.teams.iter().find(|team| team.team == name)
    }
}

/// The quarter to show: `wanted`, else the latest that has started by
/// `today` in any repository (else the earliest of all).
pub fn chosen_quarter(teams: &[TeamPlans], wanted: Option<&str>, today: NaiveDate) -> Option<String> {
    if let Some(label) = wanted {
        return Some(label.trim().to_owned());
    }
    let quarters = teams.iter().flat_map(|team| team.plans.iter().map(|(_, plan)| (plan.quarter.start, &plan.quarter.label)));
    let (started, later): (Vec<_>, Vec<_>) = quarters.partition(|(start, _)| *start <= today);
    started.into_iter().max().or_else(|| later.into_iter().min()).map(|(_, label)| label.clone())
}

/// Builds the view of `quarter` from the teams that hold it; a team
/// without it is skipped and said.
pub fn build(teams: Vec<TeamPlans>, quarter: &str, today: NaiveDate, mut skipped: Vec<Skipped>) -> anyhow::Result<RollUp> {
    let folder = tempfile::Builder::new().prefix("quarterdeck-rollup-").tempdir().context("making a temporary folder")?;
    let mut views = Vec::new();
    let mut objectives = Vec::new();
    for (index, team) in teams.into_iter().enumerate() {
        let Some((file, plan)) = team.plans.iter().find(|(_, plan)| plan.quarter.label.eq_ignore_ascii_case(quarter)) else {
            let held: Vec<&str> = team.plans.iter().map(|(_, plan)| plan.quarter.label.as_str()).collect();
            skipped.push(Skipped {
                team: team.source.team.clone(),
                repo: team.source.repo.clone(),
                why: format!("holds no plan of {quarter} (it holds {})", held.join(", ")),
            });
            continue;
        };
        let (view, team_objectives) = team_figures(&folder.path().join(format!("{index}.sqlite3")), &team, file, plan, today)
            .with_context(|| format!("{} ({}): reading {file}", team.source.team, team.source.repo))?;
        views.push(view);
        objectives.extend(team_objectives);
    }
    let (companies, unaligned) = align(objectives);
    Ok(RollUp { quarter: quarter.to_owned(), today, teams: views, companies, unaligned, skipped })
}

/// One team's figures, from its plan loaded into a temporary board.
fn team_figures(
    board_file: &std::path::Path,
    team: &TeamPlans,
    file: &str,
    plan: &Plan,
    today: NaiveDate,
) -> anyhow::Result<(TeamView, Vec<ObjectiveView>)> {
    let mut store = Store::open(board_file)?;
    store.import_plan_file(plan, today, None, "rollup")?;
    let board = board_on(&store, Some(&plan.quarter.label))?;
    let facts = store.health_facts(board.quarter.id)?;
    let rules = health::check(&board, today, &facts.as_facts());
    let view = TeamView {
        team: team.source.team.clone(),
        repo: team.source.repo.clone(),
        commit: team.commit.clone(),
        file: file.to_owned(),
        warnings: health::warnings(&rules),
        rules: rules.len(),
    };
    Ok((view, objective_views(&team.source.team, &board, plan)))
}

/// The board's objectives in the plan's order, each with the plan's id
/// and parent (the import keeps the order).
fn objective_views(team: &str, board: &Board, plan: &Plan) -> Vec<ObjectiveView> {
    let closed = board.quarter.is_closed();
    board
        .objectives
        .iter()
        .enumerate()
        .map(|(index, objective)| {
            let planned = plan.objectives.get(index).filter(|planned| planned.title == objective.title);
            let krs: Vec<KrView> = objective
                .key_results
                .iter()
                .map(|kr| KrView {
                    code: kr.code.clone(),
                    title: kr.title.clone(),
                    unit: kr.unit.clone(),
                    start: kr.start,
                    current: kr.current,
                    target: kr.target,
                    progress: kr_progress(kr.start, kr.target, kr.current),
                    confidence: kr.confidence,
                    score: closed.then(|| board.quarter.closing.kr_score(kr.id)).flatten(),
                })
                .collect();
            let scores: Vec<f64> = krs.iter().filter_map(|kr| kr.score).collect();
            ObjectiveView {
                team: team.to_owned(),
                code: codes::objective(objective.number),
                id: planned.and_then(|planned| planned.id.clone()),
                title: objective.title.clone(),
                parent: objective.parent_note.clone(),
                progress: objective_progress(&objective.key_results),
                score: if closed { quarter_close::objective_score(&scores) } else { None },
                krs,
            }
        })
        .collect()
}

/// Which objective `parent` names, among `all` (not `child` itself): by
/// stable id first, then `TEAM:O1`, then by title (the first in the
/// repositories' order). Ids win because titles change and repeat.
fn parent_of(child: usize, all: &[ObjectiveView]) -> Option<usize> {
    let parent = all[child].parent.trim();
    if parent.is_empty() {
        return None;
    }
    let others = || all.iter().enumerate().filter(move |(index, _)| *index != child);
    others()
        .find(|(_, objective)| objective.id.as_deref().is_some_and(|id| id.eq_ignore_ascii_case(parent)))
        .or_else(|| {
            let (team, code) = parent.rsplit_once(':')?;
            others().find(|(_, objective)| {
                objective.team.eq_ignore_ascii_case(team.trim()) && objective.code.eq_ignore_ascii_case(code.trim())
            })
        })
        .or_else(|| others().find(|(_, objective)| objective.title.trim().eq_ignore_ascii_case(parent)))
        .map(|(index, _)| index)
}

/// Company objectives (those others align to) with what aligns to them,
/// and the rest that align to nothing.
fn align(objectives: Vec<ObjectiveView>) -> (Vec<CompanySection>, Vec<ObjectiveView>) {
    let parents: Vec<Option<usize>> = (0..objectives.len()).map(|index| parent_of(index, &objectives)).collect();
    let is_company = |index: usize| parents.contains(&Some(index));
    let mut companies = Vec::new();
    let mut unaligned = Vec::new();
    for (index, objective) in objectives.iter().enumerate() {
        if is_company(index) {
            let aligned = parents
                .iter()
                .enumerate()
                .filter(|(_, parent)| **parent == Some(index))
                .map(|(child, _)| objectives[child].clone());
            companies.push(CompanySection { objective: objective.clone(), aligned: aligned.collect() });
        } else if parents[index].is_none() {
            unaligned.push(objective.clone());
        }
    }
    (companies, unaligned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objective(team: &str, code: &str, id: Option<&str>, title: &str, parent: &str) -> ObjectiveView {
        ObjectiveView {
            team: team.into(),
            code: code.into(),
            id: id.map(str::to_owned),
            title: title.into(),
            parent: parent.into(),
            progress: None,
            score: None,
            krs: Vec::new(),
        }
    }

    #[test]
    fn a_parent_is_found_by_id_first_then_team_and_code_then_title() {
        let all = vec![
            objective("company", "O1", Some("id-a"), "Grow", ""),
            // Its title is the id the web team names: the id still wins.
            objective("company", "O2", Some("id-b"), "id-a", ""),
            objective("web", "O1", None, "Checkout", "id-a"),
            objective("app", "O1", None, "Reviews", " Company:o2 "),
            objective("data", "O1", None, "Reports", "grow"),
            objective("ops", "O1", None, "Uptime", "nothing of that name"),
        ];
        let found: Vec<Option<usize>> = (0..all.len()).map(|index| parent_of(index, &all)).collect();
        assert_eq!(found, [None, None, Some(0), Some(1), Some(0), None]);
        let (companies, unaligned) = align(all);
        let tops: Vec<(&str, usize)> =
            companies.iter().map(|company| (company.objective.title.as_str(), company.aligned.len())).collect();
        assert_eq!(tops, [("Grow", 2), ("id-a", 1)]);
        let rest: Vec<&str> = unaligned.iter().map(|objective| objective.title.as_str()).collect();
        assert_eq!(rest, ["Uptime"]);
    }
}
