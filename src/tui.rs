//! The terminal loop: read events, update the app, draw when something
//! changed. Nothing is drawn while idle; the loop wakes twice a second only
//! to notice edits from another process and to save the UI state.

use std::{
    io::{self, IsTerminal, stdout},
    process::ExitCode,
    sync::{
        Arc,
        atomic::{AtomicI32, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

use anyhow::Context;
use ratatui::{
    DefaultTerminal, Terminal,
    crossterm::{
        cursor::Show,
        event::{self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste},
        execute,
        terminal::{Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode},
    },
    prelude::CrosstermBackend,
};
use signal_hook::{
    consts::{SIGHUP, SIGINT, SIGTERM, SIGTSTP},
    iterator::Signals,
};

use crate::{
    app::{App, Status},
    store::StoreError,
    ui::{self, Theme},
};

/// How long the loop sleeps waiting for a key before it checks the file.
const IDLE_POLL: Duration = Duration::from_millis(500);
/// While the file check runs, its verdict is looked for this often, so a
/// damaged file's banner shows soon after the first frame.
const CHECK_POLL: Duration = Duration::from_millis(50);
/// How long a stop signal waits for the loop to end by itself.
const STOP_GRACE: Duration = Duration::from_secs(2);
/// UI state is saved once the keys have rested this long.
const SAVE_UI_STATE_AFTER: Duration = Duration::from_secs(1);
/// How often a write waiting for another program's lock is tried again.
/// Each try waits inside SQLite for at most `app::waiting::LOCK_WAIT`.
const RETRY_WRITE_EVERY: Duration = Duration::from_millis(250);

/// Terminal modes the board turns on beyond ratatui's raw mode and
/// alternate screen. Whatever turns them on, every way out turns them off:
/// quit, a stop signal, a panic, and handing the terminal to the shell or
/// an editor.
#[derive(Debug, Clone, Copy, Default)]
pub struct Modes {
    /// Report clicks and the wheel (opt-in: it takes text selection away).
    pub mouse: bool,
}

impl Modes {
    fn enable(self) -> io::Result<()> {
        // Pasted text arrives as one event, not as keys that would run actions.
        execute!(stdout(), EnableBracketedPaste)?;
        if self.mouse {
            execute!(stdout(), EnableClickReports)?;
        }
        Ok(())
    }

    /// Turns off every mode the board may have turned on, and shows the
    /// cursor ratatui hides while drawing. Safe to call twice, or for a mode
    /// never turned on: terminals ignore that.
    fn disable() {
        let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste, Show);
    }
}

/// Hands the terminal back for good: our modes off, cursor shown, raw mode
/// and the alternate screen left. Every way out goes through here.
/// Failures are ignored: there is no one left to tell. (`ratatui::restore`
/// prints them, and printing to a terminal that hung up panics.)
fn hand_back() {
    Modes::disable();
    let _ = ratatui::try_restore();
}

/// How the board ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The user quit.
    Quit,
    /// A signal (SIGTERM, SIGHUP, SIGINT) stopped it.
    Signal(i32),
}

impl Ending {
    /// A signal's ending is 128 + its number, as shells report a process a
    /// signal ended, so that scripts and supervisors can tell the two apart.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Self::Quit => ExitCode::SUCCESS,
            Self::Signal(signal) => ExitCode::from(signal_exit_code(signal)),
        }
    }
}

fn signal_exit_code(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(u8::MAX)
}

/// Clicks and wheel turns, in SGR coordinates (any column, any width).
/// Unlike crossterm's `EnableMouseCapture`, no motion reports: moving the
/// pointer over an idle board must not wake it up.
struct EnableClickReports;

impl ratatui::crossterm::Command for EnableClickReports {
    fn write_ansi(&self, f: &mut impl std::fmt::Write) -> std::fmt::Result {
        f.write_str("\x1b[?1000h\x1b[?1006h")
    }
}

/// Runs the board until the user quits or a signal asks us to stop. The
/// terminal is restored on every way out, panics included.
pub fn run(mut app: App, theme: Theme, modes: Modes) -> anyhow::Result<Ending> {
    // The number of the stop signal received, 0 while none.
    let stop = Arc::new(AtomicI32::new(0));
    watch_signals(Arc::clone(&stop))?;
    // The hook that reports a panic, before ratatui wraps it in its own.
    let report = std::panic::take_hook();
    let mut terminal = ratatui::try_init().context("opening the terminal")?;
    // Ours replaces ratatui's: it also turns off our modes and shows the
    // cursor (or the shell would be left reporting clicks), and it cannot
    // panic again when the terminal has hung up, which would abort.
    drop(std::panic::take_hook());
    std::panic::set_hook(Box::new(move |info| {
        hand_back();
        report(info);
    }));
    let result =
        modes.enable().map_err(anyhow::Error::from).and_then(|()| run_loop(&mut terminal, &mut app, &stop, theme, modes));
    hand_back();
    // The terminal's drop shows a hidden cursor and reports a failure with
    // `eprintln!`, which panics when the terminal has hung up. So it is
    // shown here, or, when the terminal is gone, the terminal is not
    // dropped at all: the process is ending.
    if terminal.show_cursor().is_err() {
        std::mem::forget(terminal);
    }
    // `q` saved already; any other way out saves here. Best effort: it never
    // waits for another program's lock, and a failure does not change how
    // the board ends.
    if !app.should_quit {
        app.save_ui_state_on_leaving();
    }
    // Stopped, not waited for; its connection closes before the board's.
    app.end_file_check();
    match stop.load(Ordering::Relaxed) {
        // A terminal that hung up is no terminal any more. Reading it fails,
        // which may end the loop before the kernel's SIGHUP reaches the
        // watcher: it ends as that SIGHUP would.
        0 if result.is_err() && !io::stdout().is_terminal() => Ok(Ending::Signal(SIGHUP)),
        0 => result.map(|()| Ending::Quit),
        // A signal's ending wins over the error it may have caused.
        signal => Ok(Ending::Signal(signal)),
    }
}

fn run_loop(terminal: &mut DefaultTerminal, app: &mut App, stop: &AtomicI32, theme: Theme, modes: Modes) -> anyhow::Result<()> {
    let size = terminal.size()?;
    // Reading the backlog's rows can fail (the file busy for a moment): the
    // board still runs, and says so.
    if let Err(error) = app.resize(size.width, size.height) {
        app.reading_failed(&error);
    }
    let mut redraw = true;
    let mut last_key = Instant::now();
    let mut last_try = Instant::now();
    loop {
        if redraw {
            if let Err(error) = app.fit_under_banner() {
                app.reading_failed(&error);
            }
            terminal.draw(|frame| ui::draw(frame, app, theme))?;
            redraw = false;
            // After the first frame, never before it: the check reads the
            // whole file, in its own thread.
            app.start_file_check();
        }
        if app.should_quit || stop.load(Ordering::Relaxed) != 0 {
            return Ok(());
        }
        let was_waiting = app.write_is_waiting();
        let timeout = if was_waiting {
            RETRY_WRITE_EVERY.saturating_sub(last_try.elapsed())
        } else if app.file_check_running() {
            CHECK_POLL
        } else {
            IDLE_POLL
        };
        if poll(timeout)? {
            // Drain everything queued (a resize storm, a fast typist) and
            // draw once for all of it.
            loop {
                let event = event::read()?;
                panic_on_request(&event);
                ui::hit::route(app, &event);
                redraw |= changes_screen(&event);
                if app.should_quit || !poll(Duration::ZERO)? {
                    break;
                }
            }
            if app.suspend_requested {
                app.suspend_requested = false;
                suspend(terminal, modes)?;
                redraw = true;
            }
            if let Some(request) = app.editor_request.take() {
                if app.write_is_waiting() {
                    // What the user would type could not be written yet.
                    app.status = Some(Status { text: crate::app::held_line(StoreError::Held), is_error: true });
                } else {
                    let edited = edit_outside(terminal, &request.text, modes)?;
                    app.finish_description_or_wait(request, edited);
                }
                redraw = true;
            }
            last_key = Instant::now();
        } else {
            // A resize before crossterm watched for SIGWINCH (at start-up)
            // sends no event, and the screen would stay at the old size
            // until a key: the idle tick asks the terminal.
            if let Ok(now) = terminal.size()
                && (now.width, now.height) != app.size
            {
                if let Err(error) = app.resize(now.width, now.height) {
                    app.status = Some(Status { text: format!("Reading the board failed: {error:#}"), is_error: true });
                }
                redraw = true;
            }
            match app.poll_external_changes() {
                Ok(changed) => redraw |= changed,
                Err(error) => {
                    app.reading_failed(&error);
                    redraw = true;
                }
            }
            if app.ui_state_changed() && last_key.elapsed() >= SAVE_UI_STATE_AFTER {
                app.save_ui_state_when_idle();
                redraw |= app.status.is_some();
            }
        }
        redraw |= app.poll_file_check();
        redraw |= app.poll_background();
        if !was_waiting {
            // A write that just began to wait was tried a moment ago.
            last_try = Instant::now();
        } else if app.write_is_waiting() && last_try.elapsed() >= RETRY_WRITE_EVERY {
            redraw |= app.retry_waiting_write();
            last_try = Instant::now();
        }
    }
}

/// On SIGTERM, SIGHUP or SIGINT the loop is asked to stop, which it does
/// within one poll, saving the UI state if the file is free. If it has not
/// ended after a grace period, the process ends here: when the terminal
/// hangs up, crossterm can spin reading end-of-file inside a call that
/// never returns to the loop.
fn watch_signals(stop: Arc<AtomicI32>) -> anyhow::Result<()> {
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT]).context("installing signal handlers")?;
    thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                stop.store(signal, Ordering::Relaxed);
                thread::sleep(STOP_GRACE);
                hand_back();
                std::process::exit(i32::from(signal_exit_code(signal)));
            }
        })
        .context("starting the signal watcher")?;
    Ok(())
}

/// Debug builds only: F12 panics when `QUARTERDECK_TEST_PANIC` is set, so
/// the end-to-end tests can check that a panic hands the terminal back.
fn panic_on_request(event: &event::Event) {
    if cfg!(debug_assertions)
        && std::env::var_os("QUARTERDECK_TEST_PANIC").is_some()
        && matches!(event, event::Event::Key(key) if key.code == event::KeyCode::F(12))
    {
        panic!("panic requested by the test hook QUARTERDECK_TEST_PANIC");
    }
}

/// Whether an event can change what is on screen: all but a released
/// mouse button (a click acts on the press).
fn changes_screen(event: &event::Event) -> bool {
    !matches!(event, event::Event::Mouse(mouse) if matches!(mouse.kind, event::MouseEventKind::Up(_) | event::MouseEventKind::Moved))
}

/// `event::poll`, treating a signal's interruption as "no event".
fn poll(timeout: Duration) -> io::Result<bool> {
    match event::poll(timeout) {
        Err(error) if error.kind() == io::ErrorKind::Interrupted => Ok(false),
        other => other,
    }
}

/// Runs `$VISUAL` or `$EDITOR` (else `vi`) on a private temporary file
/// holding `text`, with the terminal handed over, and returns the file's
/// text afterwards, or why there is none.
fn edit_outside(terminal: &mut DefaultTerminal, text: &str, modes: Modes) -> anyhow::Result<Result<String, String>> {
    // An empty variable is set in name only: the next one decides.
    let named = |variable: &str| std::env::var(variable).ok().filter(|editor| !editor.trim().is_empty());
    let editor = named("VISUAL").or_else(|| named("EDITOR")).unwrap_or_else(|| "vi".to_owned());
    // A folder of our own (created exclusively, private), not a guessable
    // name in the shared temporary folder: there a planted symlink would
    // make us overwrite whatever it points to. Editors that save by
    // replacing the file can do so inside it. Removed with its contents
    // when `folder` is dropped.
    let mut folder = tempfile::Builder::new();
    folder.prefix("quarterdeck-");
    #[cfg(unix)]
    folder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    let folder = folder.tempdir().context("creating a folder for the editor")?;
    // `.md`, so that editors highlight the description as markdown.
    let path = folder.path().join("description.md");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    // A text file ends with a line break, as editors expect.
    let contents = if text.is_empty() || text.ends_with('\n') { text.to_owned() } else { format!("{text}\n") };
    std::io::Write::write_all(&mut options.open(&path)?, contents.as_bytes())?;

    // The editor may be a command with arguments ("code --wait"): the shell splits it.
    let status = handed_over(terminal, modes, || {
        std::process::Command::new("sh").arg("-c").arg(format!("{editor} \"$1\"")).arg("sh").arg(&path).status()
    })?;

    let result = match status {
        Ok(status) if status.success() => {
            std::fs::read_to_string(&path).map_err(|error| format!("Reading the edited text failed: {error}"))
        }
        Ok(status) => Err(format!("The editor \"{editor}\" ended with {status}")),
        Err(error) => Err(format!("The editor \"{editor}\" could not start: {error}")),
    };
    Ok(result)
}

/// Ctrl-Z: give the shell its terminal back, stop, and take it again on `fg`.
fn suspend(terminal: &mut DefaultTerminal, modes: Modes) -> anyhow::Result<()> {
    handed_over(terminal, modes, || signal_hook::low_level::raise(SIGTSTP))??;
    Ok(())
}

/// Gives the terminal to `work` (the shell after Ctrl-Z, an editor), then
/// takes it back and redraws everything.
fn handed_over<T>(terminal: &mut DefaultTerminal, modes: Modes, work: impl FnOnce() -> T) -> anyhow::Result<T> {
    Modes::disable();
    let _ = execute!(stdout(), LeaveAlternateScreen);
    disable_raw_mode()?;
    let value = work();
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, Clear(ClearType::All))?;
    modes.enable()?;
    // A new terminal has no previous frame, so the next draw writes every
    // cell. (`Terminal::clear` would ask the terminal where its cursor is,
    // and fail where the terminal does not answer.)
    *terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok(value)
}
