//! `quarterdeck report rollup`: the company view (`cli::rollup`) as
//! report blocks, so the Markdown and the HTML are the other reports'
//! writers (the same escaping, CSP, light/dark/print and phone cards).

use super::document::{Block, Table};
use crate::cli::rollup::{self, ObjectiveView, RollUp};

/// The page's heading.
pub fn title(rollup: &RollUp) -> String {
    format!("Roll-up, {}", rollup.quarter)
}

pub fn blocks(rollup: &RollUp) -> Vec<Block> {
    let mut blocks = vec![
        Block::Heading(1, title(rollup)),
        Block::Text(format!("Read from the teams' repositories on {} by quarterdeck.", rollup.today)),
        Block::Heading(2, "Teams".into()),
    ];
    let mut teams =
        Table::new("Each team's plan and health (the method's rules that warn)", &["Team", "Health", "Commit", "Repository"]);
    for team in &rollup.teams {
        teams = teams.row(vec![
            team.team.clone(),
            rollup::health_of_rules(team),
            team.commit.clone(),
            format!("{} ({})", team.repo, team.file),
        ]);
    }
    blocks.push(Block::Table(teams));
    if !rollup.companies.is_empty() {
        blocks.push(Block::Heading(2, "Company objectives".into()));
    }
    for company in &rollup.companies {
        objective_blocks(&mut blocks, rollup, &company.objective, 3);
        for aligned in &company.aligned {
            objective_blocks(&mut blocks, rollup, aligned, 4);
        }
    }
    if !rollup.unaligned.is_empty() {
        blocks.push(Block::Heading(2, "Aligned to nothing".into()));
        for objective in &rollup.unaligned {
            objective_blocks(&mut blocks, rollup, objective, 3);
        }
    }
    if !rollup.skipped.is_empty() {
        blocks.push(Block::Heading(2, "Skipped".into()));
        for skipped in &rollup.skipped {
            blocks.push(Block::Warning(rollup::skipped_line(skipped)));
        }
    }
    blocks
}

fn objective_blocks(blocks: &mut Vec<Block>, rollup: &RollUp, objective: &ObjectiveView, level: u8) {
    blocks.push(Block::Heading(level, format!("{}:{} {}", objective.team, objective.code, objective.title)));
    let mut fields = format!("progress {}", rollup::percent(objective.progress));
    if objective.score.is_some() {
        fields.push_str(&format!(", score {}", rollup::score(objective.score)));
    }
    fields.push_str(&format!(", team health {}", rollup::health_words(rollup.team(&objective.team))));
    blocks.push(Block::Field("Figures", fields));
    let mut table = Table::new(
        format!("{}:{}'s key results", objective.team, objective.code),
        &["KR", "Now", "Target", "Progress", "Confidence", "Score", "Title"],
    );
    for kr in &objective.krs {
        table = table.row(vec![
            kr.code.clone(),
            crate::ui::text::with_unit(kr.current, &kr.unit),
            crate::ui::text::with_unit(kr.target, &kr.unit),
            rollup::percent(kr.progress),
            format!("{} %", kr.confidence),
            rollup::score(kr.score),
            kr.title.clone(),
        ]);
    }
    blocks.push(Block::Table(table));
}
