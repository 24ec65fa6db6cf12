//! `quarterdeck`: parse the command line, open the board, run the board or
//! a subcommand, and turn errors into a message and an exit code.

use std::{
    io::{IsTerminal, Write},
    path::Path,
    process::ExitCode,
    sync::{Arc, atomic::AtomicBool},
};

use anyhow::{Context, bail};
use clap::Parser;
use quarterdeck::{
    app::{App, KEYMAP_HELP, Keymap, Status},
    cli::{self, Cli, Command},
    config::{Config, DEFAULT_CONFIG},
    ops::{self, OpError},
    plan::Plan,
    shell::command_line,
    store::{Store, StoreError},
    tui,
    ui::Theme,
};

fn main() -> ExitCode {
    // A limit on file size (`ulimit -f`) ends a process that writes past it
    // with SIGXFSZ unless the signal is caught; caught, the write fails with
    // EFBIG, SQLite rolls it back, and the user is told the file cannot grow
    // (`StoreError::DiskFull`) instead of losing the board mid-keystroke.
    let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, Arc::new(AtomicBool::new(false)));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            // `--help` and `--version` are answers; anything else is a user
            // error (exit 1, as every other one), not a board that cannot be
            // opened (2, which clap would use).
            return if error.use_stderr() { ExitCode::FAILURE } else { ExitCode::SUCCESS };
        }
    };
    match run(&cli) {
        Ok(code) => code,
        // A reader that stopped reading (`| head`) got what it wanted.
        Err(error)
            if error.chain().any(|cause| {
                cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            // Not `eprintln!`: it panics when the terminal has hung up.
            // Cleaned: a message may echo what the user typed or a title.
            let _ = cli::output::write_lines(&mut std::io::stderr(), &format!("quarterdeck: {error:#}"));
            // A file refused (not ours, newer, damaged, or not writable when
            // it had to be written): exit 2.
            let refused = error.downcast_ref::<BoardNotOpened>().is_some()
                || error.chain().any(|cause| cause.is::<cli::write_run::BoardNotOpened>())
                || error.chain().any(|cause| {
                    matches!(
                        cause.downcast_ref(),
                        Some(
                            StoreError::Refused(_)
                                | StoreError::ReadOnly { .. }
                                | StoreError::NotAFile { .. }
                                | StoreError::DanglingLink { .. }
                                | StoreError::Damaged { .. }
                        )
                    )
                });
            if refused { ExitCode::from(2) } else { ExitCode::FAILURE }
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let path = match &cli.db {
        Some(path) => path.clone(),
        None => cli::default_board_path()?,
    };
    run_on(cli, &path).map_err(|error| damage_named(error, &path))
}

/// A damaged file met by any read or write (SQLite's "malformed"), as the
/// store words it with the file named, in place of whatever was being done:
/// the user's next step is the same whatever the read was.
fn damage_named(error: anyhow::Error, path: &Path) -> anyhow::Error {
    // Refused at open: its message names the file and the damage already.
    // (`StoreError::Refused` is transparent: the chain shows either.)
    // An export that read past the damage and saved nothing says why.
    if error.downcast_ref::<cli::export::NothingSaved>().is_some()
        || error.chain().any(|cause| {
            cause.is::<quarterdeck::store::RefusedFile>() || matches!(cause.downcast_ref(), Some(StoreError::Refused(_)))
        })
    {
        return error;
    }
    let damaged = error.chain().find_map(|cause| {
        let store = cause.downcast_ref::<StoreError>().or_else(|| match cause.downcast_ref::<OpError>() {
            Some(OpError::Store(inner)) => Some(inner),
            _ => None,
        });
        store
            .and_then(StoreError::damage)
            .map(str::to_owned)
            .or_else(|| cause.downcast_ref::<rusqlite::Error>().and_then(quarterdeck::store::damage_in))
            // A message made into text on its way (SQLite's fixed words
            // for SQLITE_CORRUPT and SQLITE_NOTADB).
            .or_else(|| {
                let text = cause.to_string();
                ["database disk image is malformed", "file is not a database"]
                    .into_iter()
                    .find(|words| text.contains(words))
                    .map(str::to_owned)
            })
    });
    // A read that failed otherwise (a value of the wrong kind where the
    // damaged page was) may still be the file's damage: checked then only.
    let from_the_file = || {
        error.chain().any(|cause| {
            matches!(cause.downcast_ref(), Some(StoreError::Sqlite(_)))
                || matches!(cause.downcast_ref(), Some(OpError::Store(StoreError::Sqlite(_))))
                || cause.is::<rusqlite::Error>()
        }) && path.is_file()
    };
    let damaged = damaged.or_else(|| from_the_file().then(|| quarterdeck::store::damage_of_file(path)).flatten());
    match damaged {
        Some(sqlite) => StoreError::Damaged { path: Some(path.to_owned()), sqlite }.into(),
        None => error,
    }
}

fn run_on(cli: &Cli, path: &Path) -> anyhow::Result<ExitCode> {
    let path = path.to_owned();
    let today = cli::today(cli);
    match cli.command {
        Some(Command::Demo { force, items }) => load_demo(&path, today, force, items).map(|()| ExitCode::SUCCESS),
        Some(Command::Doctor { yes, json }) => {
            let clean = cli::doctor::run(&path, cli::doctor::DoctorFlags { yes, json }, std::io::stdout().lock())
                .map_err(|error| error.context(BoardNotOpened))?;
            Ok(if clean { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Some(Command::Config { default: true }) => {
            // `write_all`, not `print!`: a closed pipe (`| head`) is an error to
            // report, not a panic.
            std::io::stdout().write_all(DEFAULT_CONFIG.as_bytes()).context("printing the default settings")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Config { default: false }) => {
            let shown = cli::settings::shown(cli::user_settings_path().as_deref())?;
            std::io::stdout().write_all(shown.as_bytes()).context("printing the settings")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::List(ref command)) => {
            reading(&path, |store| cli::list::run(store, command, std::io::BufWriter::new(std::io::stdout().lock())))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Show { ref reference, ref on }) => {
            reading(&path, |store| cli::show::run(store, reference, on.quarter.as_deref(), on.json, std::io::stdout().lock()))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Review { ref sprint, ref on }) => {
            reading(&path, |store| {
                cli::review::run(store, sprint, on.quarter.as_deref(), today, on.json, std::io::stdout().lock())
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { ref file, warn_only, ref on }) => {
            let warnings = match file {
                Some(file) => cli::check::run_on_file(file, today, on.json, std::io::stdout().lock())?,
                None => reading(&path, |store| {
                    cli::check::run(store, on.quarter.as_deref(), today, on.json, std::io::stdout().lock())
                })?,
            };
            Ok(if warnings > 0 && !warn_only { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Some(Command::Rollup { ref from, json }) => {
            rollup(from, today, |view| cli::rollup::print(view, json, std::io::stdout().lock()))
        }
        Some(Command::Report(cli::report::ReportCommand::Rollup { ref from, ref to })) => {
            rollup(from, today, |view| cli::report::run_rollup(view, to, std::io::stdout().lock()))
        }
        Some(Command::Report(ref report)) => {
            reading(&path, |store| cli::report::run(store, report, today, std::io::stdout().lock()))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Forecast { ref key_result, ref on }) => {
            reading(&path, |store| {
                cli::forecast::run(store, key_result, on.quarter.as_deref(), on.json, std::io::stdout().lock())
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Export { format, ref quarter, ref output }) => {
            let format = cli::export::ExportFormat::chosen(format, output.as_deref());
            let saved = reading(&path, |store| {
                cli::export::run(
                    store,
                    format,
                    quarter.as_deref(),
                    output.as_deref(),
                    std::io::stdout().lock(),
                    std::io::stderr(),
                )
            })?;
            // Read past damage with something skipped: saved, not whole.
            Ok(if saved == cli::export::Saved::Whole { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Some(Command::Import {
            ref file,
            from: Some(source),
            ref maps,
            ref sprint_maps,
            ref state_maps,
            overwrite,
            dry_run,
            json,
            ..
        }) => {
            let mut store = Store::open(&path)?;
            store.refuse_if_damaged()?;
            let flags = cli::import_external::ExternalFlags {
                maps: maps.clone(),
                sprint_maps: sprint_maps.clone(),
                state_maps: state_maps.clone(),
                overwrite,
                dry_run,
                json,
            };
            let said = cli::import_external::run(&mut store, source, file, &flags, today)?;
            cli::output::write_lines(&mut std::io::stdout(), &said).context("printing what was imported")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Import { ref file, replace, merge, prune, .. }) => {
            let plan = cli::import::read(file)?;
            let mut store = Store::open(&path)?;
            store.refuse_if_damaged()?;
            let on_existing = match (replace, merge) {
                (true, _) => cli::import::OnExisting::Replace,
                (_, true) => cli::import::OnExisting::Merge { prune },
                _ => cli::import::OnExisting::Refuse,
            };
            let said = cli::import::run(&mut store, file, plan, on_existing, today)?;
            cli::output::write_lines(&mut std::io::stdout(), &said).context("printing what was imported")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Sync(ref args)) => {
            let code = cli::sync::run(&path, args, today, &mut std::io::stdout().lock()).context("printing the sync report")?;
            Ok(ExitCode::from(code))
        }
        Some(Command::Write(ref command)) => {
            cli::write_run::run(&path, command, today, std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Completions { shell }) => {
            let mut out = std::io::stdout().lock();
            cli::write_completions(shell, &mut out);
            out.flush().context("printing the completions")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man) => {
            cli::write_man_page(&mut std::io::stdout().lock()).context("printing the manual page")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Present) => {
            // The same keymap and settings as the board, checked first: a
            // file that is not understood is the same message, terminal or not.
            let keymap = load_keymap()?;
            let settings = load_settings()?;
            // Read-only: nothing is created, migrated, written or locked, so
            // the Scrum Master keeps editing the same file elsewhere. Opened
            // before the terminal is asked for: a board that cannot be opened
            // is exit 2, as for every read.
            let store = open_for_reading(&path, true)?;
            if !std::io::stdout().is_terminal() {
                bail!("the presentation needs a terminal");
            }
            let mut app = App::new(store, keymap, today)?;
            // A question the board would ask on opening has no place here.
            app.overlays.clear();
            app.open_presentation(true)?;
            // High contrast for a projector, unless this run names a theme
            // (or the settings say the terminal is light).
            let presenting = cli.theme.unwrap_or(settings.theme.presented());
            let theme = Theme::from_env(presenting).presenting_in(presenting);
            Ok(tui::run(app, theme, tui::Modes::default())?.exit_code())
        }
        None => {
            if !std::io::stdout().is_terminal() {
                bail!(
                    "the board needs a terminal; to fill a board from a script, use `{}`",
                    command_line(&["demo"], Some(&path))
                );
            }
            let keymap = load_keymap()?;
            let settings = load_settings()?;
            let store = Store::open(&path)?;
            let modes = tui::Modes { mouse: cli.mouse || settings.mouse };
            // `P` presents in high contrast, unless this run names a theme
            // (or the settings say the terminal is light).
            let theme = Theme::from_env(cli.theme.unwrap_or(settings.theme))
                .presenting_in(cli.theme.unwrap_or(settings.theme.presented()));
            let mut app = App::new(store, keymap, today)?;
            // The status line is one line, as wide as the terminal is now.
            let width = ratatui::crossterm::terminal::size().map_or(80, |(width, _)| width);
            app.status = opening_notice(&app.store, width);
            // `sync.auto`: a tied board fetches in the background.
            app.set_auto_fetch(settings.sync.auto);
            // A stop signal ends the board with 128 + its number.
            Ok(tui::run(app, theme, modes)?.exit_code())
        }
    }
}

/// The board could not be opened for a read: exit 2, as for a refused file.
#[derive(Debug)]
struct BoardNotOpened;

impl std::fmt::Display for BoardNotOpened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the board cannot be opened")
    }
}

/// Opens the board for the presentation or a command that only reads:
/// nothing is created, migrated or written (`Store::open_read_only`). A
/// board that must be made or upgraded first is refused in words naming
/// the reader: the presentation, or the command as typed (`list items`).
fn open_for_reading(path: &Path, presentation: bool) -> anyhow::Result<Store> {
    let opened = if presentation { Store::open_read_only(path) } else { Store::open_to_read(path, &command_words()) };
    opened.map_err(|error| anyhow::Error::new(error).context(BoardNotOpened))
}

/// The command the user typed, its subcommands only (`list items`,
/// `show`), in backticks: the arguments are already parsed, so this asks
/// clap for the names again.
fn command_words() -> String {
    let matches = <Cli as clap::CommandFactory>::command().try_get_matches_from(std::env::args_os());
    let mut words = Vec::new();
    let mut at = matches.as_ref().ok();
    while let Some((name, sub)) = at.and_then(clap::ArgMatches::subcommand) {
        words.push(name.to_owned());
        at = Some(sub);
    }
    if words.is_empty() { "this command".to_owned() } else { format!("`{}`", words.join(" ")) }
}

/// Runs a command that only reads the board, then names on stderr each
/// value it showed cleaned (`Store::cleaned_values`, the whole file's), as
/// the board's status line does, so a script's user learns of a value
/// another program left; stdout stays the command's own.
fn reading<T>(path: &Path, read: impl FnOnce(&Store) -> anyhow::Result<T>) -> anyhow::Result<T> {
    let store = open_for_reading(path, false)?;
    let result = read(&store)?;
    let cleaned = store.cleaned_values().unwrap_or_else(|_| store.repairs());
    if !cleaned.is_empty() {
        let note = format!(
            "warning: {}: {} shown cleaned: {}; run `{}` to repair",
            store.path().display(),
            plural(cleaned.len(), "value"),
            cleaned.join("; "),
            command_line(&["doctor"], Some(store.path()))
        );
        // A closed stderr must not fail a read that worked.
        let _ = cli::output::write_lines(&mut std::io::stderr(), &note);
    }
    Ok(result)
}

/// What the board says once when it opens: that it is read-only, and which
/// rows it shows cleaned (see `Store::repairs`) and that `quarterdeck
/// doctor` repairs them. The status line is one line, cut where it is too
/// narrow (`width` columns, its margin taken): the values are named when
/// they fit, else counted, and doctor lists them. The command names the
/// board's file (pasted, a bare `quarterdeck doctor` reads the default
/// board); where even the count and the file do not fit, `FILE` stands
/// for it, rather than a command cut short.
fn opening_notice(store: &Store, width: u16) -> Option<Status> {
    let mut notes = Vec::new();
    if store.is_read_only() {
        notes.push(format!("Read-only: {} cannot be written here; you can look, not change", store.path().display()));
    }
    let repairs = store.repairs();
    if repairs.is_empty() {
        return (!notes.is_empty()).then(|| Status { text: notes.join(" · "), is_error: false });
    }
    let values = plural(repairs.len(), "value");
    let doctor = command_line(&["doctor"], Some(store.path()));
    let them = if repairs.len() == 1 { "it" } else { "them" };
    let with = |cleaned: String| notes.iter().cloned().chain([cleaned]).collect::<Vec<_>>().join(" · ");
    let fits = |text: &String| quarterdeck::ui::text::width_of(text) < usize::from(width);
    let shortest =
        with(format!("{values} shown cleaned: `{}` repairs {them}", command_line(&["doctor"], Some(Path::new("FILE")))));
    [
        with(format!("{values} shown cleaned: {}; run `{doctor}` to repair", repairs.join("; "))),
        with(format!("{values} shown cleaned: run `{doctor}` to see and repair {them}")),
    ]
    .into_iter()
    .find(fits)
    .or(Some(shortest))
    .map(|text| Status { text, is_error: true })
}

/// `rollup` and `report rollup`: reads the repositories, writes the view
/// with `write`, and says what was skipped (exit 1); no repository to read
/// or no git is exit 2.
fn rollup(
    from: &cli::rollup::RollupArgs,
    today: chrono::NaiveDate,
    write: impl FnOnce(&cli::rollup::RollUp) -> anyhow::Result<()>,
) -> anyhow::Result<ExitCode> {
    let said = |error: &dyn std::fmt::Display| {
        let _ = cli::output::write_lines(&mut std::io::stderr(), &format!("quarterdeck: {error}"));
    };
    let config = if from.repos.is_empty() { load_settings()?.rollup } else { Vec::new() };
    let view = cli::rollup::sources(&from.repos, from.branch.as_deref(), &from.dir, &config)
        .map_err(anyhow::Error::from)
        .and_then(|sources| cli::rollup::gather(&sources, from.quarter.as_deref(), today));
    let view = match view {
        Ok(view) => view,
        Err(error) => {
            said(&format!("{error:#}"));
            let bad_input = matches!(
                error.downcast_ref(),
                Some(cli::rollup::RollupError::NoRepositories | cli::rollup::RollupError::GitMissing)
            );
            return Ok(if bad_input { ExitCode::from(2) } else { ExitCode::FAILURE });
        }
    };
    write(&view)?;
    for skipped in &view.skipped {
        said(&format!("skipped {}", cli::rollup::skipped_line(skipped)));
    }
    Ok(if view.skipped.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 { format!("1 {noun}") } else { format!("{count} {noun}s") }
}

/// `config.toml`'s settings, or the defaults when there is none; a file
/// that is not understood stops here, naming the file and the setting.
fn load_settings() -> anyhow::Result<Config> {
    Ok(match cli::user_settings_path() {
        Some(path) => Config::load(&path)?,
        None => Config::default(),
    })
}

fn load_keymap() -> anyhow::Result<Keymap> {
    let Some(path) = cli::user_keymap_path().filter(|path| path.exists()) else {
        return Keymap::default_keys();
    };
    let text =
        cli::files::read_user_text(&path).with_context(|| format!("reading keymap {} ({})", path.display(), KEYMAP_HELP))?;
    Keymap::layered(Some((&text, &path.display().to_string())))
}

fn load_demo(path: &Path, today: chrono::NaiveDate, force: bool, items: Option<usize>) -> anyhow::Result<()> {
    let mut store = Store::open(path)?;
    store.refuse_if_damaged()?;
    if store.has_quarter()? && !force {
        bail!(
            "{} already holds a quarter; nothing was changed. Add --force to replace everything on it with the demo",
            path.display()
        );
    }
    let plan = match items {
        Some(items) => {
            let plan = Plan::synthetic(today, items)?;
            store.import_synthetic(&plan, today, force)?;
            plan
        }
        None => {
            let plan = Plan::demo(today)?;
            let command = ops::Command::LoadPlan { plan: Box::new(plan.clone()), replace: force };
            ops::apply(&mut store, &command, today).map_err(OpError::into_anyhow)?;
            plan
        }
    };
    let krs: usize = plan.objectives.iter().map(|objective| objective.key_results.len()).sum();
    println!(
        "Loaded the demo quarter {} into {}: {} objectives, {krs} key results, {} sprints, {} items.",
        plan.quarter.label,
        path.display(),
        plan.objectives.len(),
        plan.sprints.len(),
        plan.items.len()
    );
    Ok(())
}
