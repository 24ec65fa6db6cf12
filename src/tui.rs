//! The terminal loop: read events, update the app, draw when something
//! changed. Nothing is drawn while idle; the loop wakes twice a second only
//! to notice edits from another process and to save the UI state.

use std::{
    io::{self, stdout},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

use anyhow::Context;
use ratatui::{
    DefaultTerminal,
    crossterm::{
        event::{self, DisableBracketedPaste, EnableBracketedPaste},
        execute,
        terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode},
    },
};
use signal_hook::{
    consts::{SIGHUP, SIGINT, SIGTERM, SIGTSTP},
    iterator::Signals,
};

use crate::{
    app::{App, Status},
    ui::{self, Theme},
};

/// How long the loop sleeps waiting for a key before it checks the file.
const IDLE_POLL: Duration = Duration::from_millis(500);
/// How long a stop signal waits for the loop to end by itself.
const STOP_GRACE: Duration = Duration::from_secs(2);
/// UI state is saved once the keys have rested this long.
const SAVE_UI_STATE_AFTER: Duration = Duration::from_secs(1);

/// Runs the board until the user quits or a signal asks us to stop. The
/// terminal is restored on every way out, panics included (ratatui's hook).
pub fn run(mut app: App, theme: Theme) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop))?;
    let mut terminal = ratatui::try_init().context("opening the terminal")?;
    // Pasted text arrives as one event, not as keys that would run actions.
    let _ = execute!(stdout(), EnableBracketedPaste);
    let result = run_loop(&mut terminal, &mut app, &stop, theme);
    let _ = execute!(stdout(), DisableBracketedPaste);
    ratatui::restore();
    let saved = app.save_ui_state();
    result.and(saved)
}

fn run_loop(terminal: &mut DefaultTerminal, app: &mut App, stop: &AtomicBool, theme: Theme) -> anyhow::Result<()> {
    let size = terminal.size()?;
    app.resize(size.width, size.height)?;
    let mut redraw = true;
    let mut last_key = Instant::now();
    loop {
        if redraw {
            terminal.draw(|frame| ui::draw(frame, app, theme))?;
            redraw = false;
        }
        if app.should_quit || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        if poll(IDLE_POLL)? {
            // Drain everything queued (a resize storm, a fast typist) and
            // draw once for all of it.
            loop {
                let event = event::read()?;
                panic_on_request(&event);
                app.handle_event(&event);
                if app.should_quit || !poll(Duration::ZERO)? {
                    break;
                }
            }
            if app.suspend_requested {
                app.suspend_requested = false;
                suspend(terminal)?;
            }
            redraw = true;
            last_key = Instant::now();
        } else {
            match app.poll_external_changes() {
                Ok(changed) => redraw |= changed,
                Err(error) => {
                    app.status = Some(Status { text: format!("Reading the board failed: {error:#}"), is_error: true });
                    redraw = true;
                }
            }
            if app.ui_state_changed() && last_key.elapsed() >= SAVE_UI_STATE_AFTER {
                app.save_ui_state()?;
            }
        }
    }
}

/// On SIGTERM, SIGHUP or SIGINT the loop is asked to stop, which it does
/// within one poll, saving the UI state. If it has not ended after a grace
/// period, the process ends here: when the terminal hangs up, crossterm can
/// spin reading end-of-file inside a call that never returns to the loop.
fn watch_signals(stop: Arc<AtomicBool>) -> anyhow::Result<()> {
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT]).context("installing signal handlers")?;
    thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                stop.store(true, Ordering::Relaxed);
                thread::sleep(STOP_GRACE);
                let _ = execute!(stdout(), DisableBracketedPaste);
                ratatui::restore();
                std::process::exit(128 + signal);
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

/// `event::poll`, treating a signal's interruption as "no event".
fn poll(timeout: Duration) -> io::Result<bool> {
    match event::poll(timeout) {
        Err(error) if error.kind() == io::ErrorKind::Interrupted => Ok(false),
        other => other,
    }
}

/// Ctrl-Z: give the shell its terminal back, stop, and take it again on `fg`.
fn suspend(terminal: &mut DefaultTerminal) -> anyhow::Result<()> {
    let _ = execute!(stdout(), DisableBracketedPaste, LeaveAlternateScreen);
    disable_raw_mode()?;
    signal_hook::low_level::raise(SIGTSTP)?;
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    terminal.clear()?;
    Ok(())
}
