//! The command line (clap). The reads (`list`, `show`, `review`, `check`)
//! open the board read-only; the writes (`write`) build `ops::Command`s and
//! apply them through `ops::apply`, as the board does.

pub mod check;
pub mod doctor;
pub mod export;
pub mod files;
pub mod forecast;
pub mod import;
pub mod import_external;
pub mod list;
pub mod output;
pub mod report;
pub mod review;
pub mod rollup;
pub mod settings;
pub mod show;
pub mod sync;
pub mod write;
pub mod write_run;

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::ui::ThemeName;

/// What every command says on a board with no quarter: each way to make one.
pub(crate) const NO_QUARTER_YET: &str = "the board has no quarter yet: start one with \
    `quarterdeck init --label L --start DATE --sprints N --weeks N` or `quarterdeck import FILE`, \
    create one on the board, or fill it with `quarterdeck demo`";

#[derive(Debug, Parser)]
#[command(
    name = "quarterdeck",
    version,
    about = "A keyboard-first planning board for Scrum teams under quarterly OKRs",
    long_about = "A keyboard-first planning board for Scrum teams under quarterly OKRs.\n\n\
        The board's keys can be changed in keymap.toml, its settings in config.toml, both in \
        $XDG_CONFIG_HOME/quarterdeck/ (~/.config/quarterdeck/ when XDG_CONFIG_HOME is not set; \
        the platform config folder elsewhere). `quarterdeck config --default` prints every setting."
)]
pub struct Cli {
    /// The board file [default: board.sqlite3 in the platform data folder]
    #[arg(long, global = true, env = "QUARTERDECK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Treat this date (YYYY-MM-DD) as today: for trying a plan on another day
    #[arg(long, global = true, env = "QUARTERDECK_TODAY", value_name = "DATE", value_parser = crate::domain::validate::date)]
    pub today: Option<NaiveDate>,

    /// Let clicks select panes and rows and the wheel scroll (also `mouse = true` in config.toml)
    #[arg(long, env = "QUARTERDECK_MOUSE", value_parser = clap::builder::BoolishValueParser::new())]
    pub mouse: bool,

    /// The colours for this run, the presentation's too, over `theme` in config.toml
    #[arg(long, global = true, value_enum, value_name = "NAME")]
    pub theme: Option<ThemeName>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill the board with the demo quarter, without opening the board
    Demo {
        /// Replace a board that already holds a quarter (everything on it goes)
        #[arg(long)]
        force: bool,
        /// Grow the backlog to this many items, for trying the board at scale
        #[arg(long, value_name = "N")]
        items: Option<usize>,
    },
    /// Show the board read-only for a projector: OKRs, the sprint review,
    /// health and charts, switched with ← and →, long ones paged with ↑ and ↓;
    /// follows edits made elsewhere. High contrast unless --theme names another
    Present,
    /// Print the board's items, objectives, key results or sprints, as
    /// aligned text or JSON (--json), without opening the board; reads only
    #[command(
        subcommand,
        after_help = "Examples:\n  quarterdeck list items --sprint S3 --state doing\n  quarterdeck list items --kr KR1.2 --json\n  quarterdeck list krs --quarter 2026-Q4"
    )]
    List(list::ListCommand),
    /// Print one objective, key result, sprint or item with its fields,
    /// as text or JSON (--json); reads only
    #[command(after_help = "Examples:\n  quarterdeck show '#42'\n  quarterdeck show KR1.2 --json\n  quarterdeck show 2026-Q4:S3")]
    Show {
        /// What to show: O1, KR1.2, S3, #42 (or 42), each after a quarter
        /// if you like (2026-Q4:S3), or an object's id
        #[arg(value_name = "REF")]
        reference: String,
        #[command(flatten)]
        on: list::QuarterArgs,
    },
    /// Check the method's rules M1-M13 on the quarter, as the board's health
    /// screen does: exit 0 when all hold, 1 when one warns; reads only
    #[command(
        after_help = "Examples:\n  quarterdeck check\n  quarterdeck check plan.toml            # a plan file, as in CI\n  quarterdeck check --json --warn-only   # in CI: report, never fail"
    )]
    Check {
        /// A plan file (docs/plan-format.md) to check instead of the board
        #[arg(value_name = "FILE", conflicts_with = "quarter")]
        file: Option<PathBuf>,
        /// Exit 0 even when a rule warns (the method advises, never blocks)
        #[arg(long)]
        warn_only: bool,
        #[command(flatten)]
        on: list::QuarterArgs,
    },
    /// Print a sprint's review: what it delivered (output) and how its key
    /// results moved (outcome), as the board's review screen shows them; reads only
    #[command(after_help = "Examples:\n  quarterdeck review S3\n  quarterdeck review 2026-Q4:S2 --json")]
    Review {
        /// The sprint: S3, 2026-Q4:S3, or its id
        #[arg(value_name = "SPRINT")]
        sprint: String,
        #[command(flatten)]
        on: list::QuarterArgs,
    },
    /// Forecast when a key result's open items are done: the sprint by which
    /// it is 50 %, 85 % and 95 % likely, from the team's closed sprints
    /// (10,000 trials, the same answer for the same board); reads only
    #[command(after_help = "Examples:\n  quarterdeck forecast KR1.2\n  quarterdeck forecast 2026-Q4:KR2.1 --json")]
    Forecast {
        /// The key result: KR1.2, 2026-Q4:KR1.2, or its id
        #[arg(value_name = "KR")]
        key_result: String,
        #[command(flatten)]
        on: list::QuarterArgs,
    },
    /// Write a quarter as a plan file (TOML, docs/plan-format.md): every
    /// object with its stable id, sorted, the same board giving the same
    /// bytes; or the same as JSON, or its items as CSV for a spreadsheet
    #[command(
        after_help = "Examples:\n  quarterdeck export --format toml > plan.toml\n  quarterdeck export --quarter 2026-Q4 --output 2026-Q4.toml\n  quarterdeck export --format csv --out items.csv"
    )]
    Export {
        /// The file format [default: from --output's extension (.json, .csv, .toml), else toml]
        #[arg(long, value_enum)]
        format: Option<export::ExportFormat>,
        /// The quarter to write, by label [default: the board's current quarter]
        #[arg(long, value_name = "LABEL")]
        quarter: Option<String>,
        /// Write to this file (atomically) instead of stdout
        #[arg(long, short, visible_alias = "out", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Read a plan file into the board, all or nothing, as one undoable
    /// step; a board that holds its quarter asks for --replace or --merge.
    /// With --from: another tool's export (Jira CSV, Linear CSV,
    /// Taskwarrior), all or nothing, as one undoable step (docs/import.md)
    #[command(
        after_help = "Examples:\n  quarterdeck import plan.toml\n  quarterdeck import plan.toml --replace\n  quarterdeck import plan.toml --merge --prune\n  quarterdeck import --from jira-csv export.csv --map checkout=KR1.2 --sprint-map \"Team Sprint 14=S2\" --dry-run\n  task export | quarterdeck import --from taskwarrior -"
    )]
    Import {
        /// The plan file (docs/plan-format.md), or with --from the tool's export (`-`: standard input)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Read another tool's export instead of a plan file
        #[arg(long, value_enum, value_name = "TOOL", conflicts_with_all = ["replace", "merge"])]
        from: Option<crate::import::Source>,
        /// With --from: a label, tag, component or project to a key result (repeatable)
        #[arg(long = "map", value_name = "LABEL=KR", requires = "from")]
        maps: Vec<String>,
        /// With --from: a sprint name of the file to a sprint of the quarter (repeatable)
        #[arg(long = "sprint-map", value_name = "NAME=SPRINT", requires = "from")]
        sprint_maps: Vec<String>,
        /// With --from: a status word to todo, doing or done (repeatable)
        #[arg(long = "state-map", value_name = "STATUS=STATE", requires = "from")]
        state_maps: Vec<String>,
        /// With --from: take the file's values for items edited on the board since the last import
        #[arg(long, requires = "from")]
        overwrite: bool,
        /// With --from: print what it would create, update and skip, and why; change nothing
        #[arg(long, requires = "from")]
        dry_run: bool,
        /// With --from: the report as JSON
        #[arg(long, requires = "from")]
        json: bool,
        /// Put the file's quarter in place of the board's quarter of the same id or label
        #[arg(long, conflicts_with = "merge")]
        replace: bool,
        /// Update the board's quarter from the file by stable id: change what matches, add what is new
        #[arg(long)]
        merge: bool,
        /// With --merge: also remove what the file no longer has
        #[arg(long, requires = "merge")]
        prune: bool,
    },
    /// Write a sprint's review or the whole quarter for people who never
    /// open a terminal: Markdown (wikis, chat) or one self-contained HTML
    /// page; reads only
    #[command(
        subcommand,
        after_help = "Examples:\n  quarterdeck report review S3\n  quarterdeck report review S2 --format html --out s2.html\n  quarterdeck report quarter --quarter 2026-Q4 --format html > q4.html"
    )]
    Report(report::ReportCommand),
    /// Share the board through a git remote the team already has: `sync
    /// init REMOTE` ties it, `sync` exchanges changes (docs/sync.md)
    #[command(
        after_help = "Examples:\n  quarterdeck sync init git@example.com:team/plans.git\n  quarterdeck sync\n  quarterdeck sync --theirs\n  quarterdeck sync status --json"
    )]
    Sync(sync::SyncArgs),
    /// A company view across teams' repositories: each company objective
    /// with the teams' objectives aligned to it, their KRs, scores and
    /// health, read from the plan files at each branch's tip; reads only
    #[command(
        after_help = "Examples:\n  quarterdeck rollup ../company ../web ../app\n  quarterdeck rollup git@example.com:web/board.git --branch main --json\n  quarterdeck rollup --quarter 2027-Q1   # the [[rollup]] list in config.toml"
    )]
    Rollup {
        #[command(flatten)]
        from: rollup::RollupArgs,
        /// Print one JSON object (fields in docs/cli.md, "rollup")
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Write(Box<write::WriteCommand>),
    /// Print a shell's tab completion script for quarterdeck
    #[command(
        after_help = "Examples:\n  quarterdeck completions bash > ~/.local/share/bash-completion/completions/quarterdeck\n  quarterdeck completions zsh > ~/.zfunc/_quarterdeck\n  quarterdeck completions fish > ~/.config/fish/completions/quarterdeck.fish"
    )]
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), every command and option in it
    #[command(after_help = "Example:\n  quarterdeck man > ~/.local/share/man/man1/quarterdeck.1 && man quarterdeck")]
    Man,
    /// List values of the wrong kind another program left in the board
    /// (a fraction in a whole-number column, text that is not a day) and
    /// what SQLite's checks say of the file: exit 0 when clean, 1 when
    /// something was found. Repairs them (one undoable step) after asking
    /// on a terminal, or with --yes; never writes otherwise
    Doctor {
        /// Repair without asking, for scripts
        #[arg(long)]
        yes: bool,
        /// Print one JSON object (fields in docs/cli.md, "doctor")
        #[arg(long)]
        json: bool,
    },
    /// Print the settings file (config.toml) and where it is, checked, without opening the board
    Config {
        /// Print every setting at its default, each with what it does and its values
        #[arg(long)]
        default: bool,
    },
}

/// Writes `shell`'s completion script for the whole command line to `out`.
pub fn write_completions(shell: clap_complete::Shell, out: &mut impl std::io::Write) {
    clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "quarterdeck", out);
}

/// Writes the manual page (section 1, roff) to `out`: the main page, then
/// each command's (`list items` too) as a section of it.
pub fn write_man_page(out: &mut impl std::io::Write) -> std::io::Result<()> {
    let command = <Cli as clap::CommandFactory>::command();
    clap_mangen::Man::new(command.clone()).render(out)?;
    write_command_sections(out, "quarterdeck", &command)
}

fn write_command_sections(out: &mut impl std::io::Write, parent: &str, command: &clap::Command) -> std::io::Result<()> {
    for sub in command.get_subcommands().filter(|sub| sub.get_name() != "help") {
        let name = format!("{parent} {}", sub.get_name());
        writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
        let man = clap_mangen::Man::new(sub.clone().bin_name(name.clone()));
        man.render_description_section(out)?;
        man.render_synopsis_section(out)?;
        man.render_options_section(out)?;
        if sub.get_after_help().is_some() {
            man.render_extra_section(out)?;
        }
        write_command_sections(out, &name, sub)?;
    }
    Ok(())
}

pub use crate::shell::default_board_path;

/// A user's keymap, if there is one: `keymap.toml` in the config folder.
pub fn user_keymap_path() -> Option<PathBuf> {
    user_config_file("keymap.toml")
}

/// A user's settings, if there are any: `config.toml` in the config folder.
pub fn user_settings_path() -> Option<PathBuf> {
    user_config_file("config.toml")
}

fn user_config_file(name: &str) -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "quarterdeck").map(|dirs| dirs.config_dir().join(name))
}

pub fn today(cli: &Cli) -> NaiveDate {
    cli.today.unwrap_or_else(|| chrono::Local::now().date_naive())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Cli;

    #[test]
    fn a_today_written_right_that_names_no_day_says_which_part_does_not_exist() {
        let error = Cli::try_parse_from(["quarterdeck", "--today", "2027-02-30"]).expect_err("no such day").to_string();
        assert!(error.contains("2027-02-30 is not a day: February 2027 has 28 days"), "{error}");
        let cli = Cli::try_parse_from(["quarterdeck", "--today", "2027-02-28"]).expect("a day");
        assert_eq!(cli.today.map(|day| day.to_string()).as_deref(), Some("2027-02-28"));
    }
}
