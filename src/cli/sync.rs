//! `quarterdeck sync`: the board shared through a git remote (docs/sync.md,
//! docs/cli.md "sync"). Every `--json` prints exactly one JSON object, also
//! when it fails; the exit code is the outcome's.

use std::path::Path;

use chrono::NaiveDate;
use clap::{Args, Subcommand};

use crate::{
    plan::Side,
    store::Store,
    sync::{self, InitOptions, Options, Outcome, Report},
};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub action: Option<SyncAction>,
    /// Take this board's side for every conflict still to choose
    #[arg(long, conflicts_with = "theirs")]
    pub mine: bool,
    /// Take the remote's side for every conflict still to choose
    #[arg(long)]
    pub theirs: bool,
    /// Print one JSON object (fields in docs/cli.md, "sync")
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Tie the board to a repository: a URL, a bare repository, an existing
    /// clone (used in place), or a path that does not exist yet (a new bare
    /// repository is made there)
    Init {
        #[arg(value_name = "REMOTE-OR-CLONE")]
        remote: String,
        /// The branch to follow [default: the remote's, else main]
        #[arg(long, value_name = "NAME")]
        branch: Option<String>,
        /// The folder of the repository the plan files go in [default: quarterdeck]
        #[arg(long, value_name = "FOLDER")]
        dir: Option<String>,
        /// Print one JSON object
        #[arg(long)]
        json: bool,
    },
    /// Ask the remote what it has, without merging: updates the incoming
    /// count and the last fetch time (and clears an offline error), writes nothing else
    Fetch {
        /// Print one JSON object
        #[arg(long)]
        json: bool,
    },
    /// Print the sync state: last sync, changes waiting each way, conflicts; reads only
    Status {
        /// Print one JSON object
        #[arg(long)]
        json: bool,
    },
}

/// Runs `sync` on the board at `path`; prints the report and returns its
/// exit code.
pub fn run(path: &Path, args: &SyncArgs, today: NaiveDate, out: &mut impl std::io::Write) -> anyhow::Result<u8> {
    let json = match &args.action {
        Some(SyncAction::Init { json, .. } | SyncAction::Fetch { json } | SyncAction::Status { json }) => *json || args.json,
        None => args.json,
    };
    let side = if args.mine {
        Some(Side::Mine)
    } else if args.theirs {
        Some(Side::Theirs)
    } else {
        None
    };
    let options = Options { side, prompts: !json, today, board: path.to_owned() };
    let report = match open(path, matches!(args.action, Some(SyncAction::Status { .. }))) {
        Err(report) => *report,
        Ok(mut store) => match &args.action {
            None => sync::sync(&mut store, &options),
            Some(SyncAction::Init { remote, branch, dir, .. }) => {
                let init = InitOptions { target: remote.clone(), branch: branch.clone(), dir: dir.clone() };
                sync::init(&mut store, &init, &options)
            }
            Some(SyncAction::Fetch { .. }) => sync::fetch(&mut store, &options),
            Some(SyncAction::Status { .. }) => sync::status(&store, path),
        },
    };
    let code = report.exit_code();
    if json {
        writeln!(out, "{}", report.json())?;
    } else {
        super::output::write_lines(out, &report.lines().join("\n"))?;
    }
    Ok(code)
}

/// A board refused (not ours, damaged, not writable) is exit 2, as for
/// every command.
const BOARD_REFUSED: &str = "The board file was refused";

fn open(path: &Path, reading: bool) -> Result<Store, Box<Report>> {
    let opened = if reading { Store::open_to_read(path, "`sync status`") } else { Store::open(path) };
    let refused =
        |error: crate::store::StoreError| Box::new(Report::failed(Outcome::Failed, BOARD_REFUSED, error.to_string()).bad_input());
    let store = opened.map_err(refused)?;
    if !reading {
        store.refuse_if_damaged().map_err(refused)?;
    }
    Ok(store)
}
