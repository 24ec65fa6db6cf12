//! Text in a real terminal (tmux): a title cut to fit is cut between
//! grapheme clusters, never inside one. A flag is two regional indicators;
//! cut between them, half a flag reached the screen (#18), which terminals
//! draw at another width than the board counts. Needs `tmux`: `.ci/run`
//! installs it and sets `QUARTERDECK_REQUIRE_TMUX`, so there a missing tmux
//! fails; elsewhere the test says it was skipped.

#![allow(clippy::unwrap_used)]

mod common;

use std::{
    path::Path,
    process::{Command, Output},
    time::{Duration, Instant},
};

const BIN: &str = env!("CARGO_BIN_EXE_quarterdeck");

/// A tmux server of this test's own, killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start() -> Option<Self> {
        let found = Command::new("tmux").arg("-V").output().is_ok_and(|output| output.status.success());
        if !found {
            assert!(
                std::env::var_os("QUARTERDECK_REQUIRE_TMUX").is_none(),
                "tmux is required here (QUARTERDECK_REQUIRE_TMUX) but cannot be run"
            );
            eprintln!("skipped: tmux is not installed (apt-get install tmux runs this test)");
            return None;
        }
        Some(Self { socket: format!("qd-text-{}", std::process::id()) })
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().unwrap()
    }

    fn screen(&self) -> String {
        String::from_utf8(self.run(&["capture-pane", "-p", "-t", "qd"]).stdout).unwrap()
    }

    /// The screen once it shows `text` and has stopped changing (two
    /// captures alike: the board draws nothing while idle, so a frame is
    /// whole, not caught half written), or a failure after a deadline.
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut before = String::new();
        loop {
            let screen = self.screen();
            if screen.contains(text) && screen == before {
                return screen;
            }
            assert!(Instant::now() < deadline, "{text:?} never showed still:\n{screen}");
            before = screen;
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn is_regional_indicator(ch: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&ch)
}

/// The lengths of the runs of regional indicators on `line`: a whole flag
/// is two, so every run is even unless a flag was cut in half.
fn flag_runs(line: &str) -> Vec<usize> {
    let mut runs = Vec::new();
    let mut run = 0;
    for ch in line.chars() {
        if is_regional_indicator(ch) {
            run += 1;
        } else if run > 0 {
            runs.push(run);
            run = 0;
        }
    }
    if run > 0 {
        runs.push(run);
    }
    runs
}

#[test]
fn a_title_of_flags_is_cut_between_flags_at_every_width_and_leaves_nothing_behind() {
    let Some(tmux) = Tmux::start() else { return };
    let (dir, board) = common::board_path();
    let today = "2027-01-04";
    common::success_stdout(&common::run_cli(&board, today, &["demo"]));
    // 24 flags: longer than the title column at any of these widths.
    let flags = "🇸🇪🇳🇴🇩🇰🇫🇮🇩🇪🇫🇷🇪🇸🇮🇹🇳🇱🇧🇪🇸🇪🇳🇴🇩🇰🇫🇮🇩🇪🇫🇷🇪🇸🇮🇹🇳🇱🇧🇪🇸🇪🇳🇴🇩🇰🇫🇮";
    let title = format!("Launch in {flags} markets");
    common::success_stdout(&common::run_cli(&board, today, &["add", "item", &title, "--points", "3"]));
    // Each width moves the cut by one column: one of two falls inside a
    // flag if the cut goes by character.
    for width in 80..=84 {
        let command = format!("env HOME={} {BIN} --db {} --today {today}", dir.path().display(), quoted(&board));
        let size = width.to_string();
        let started = tmux.run(&["new-session", "-d", "-s", "qd", "-x", &size, "-y", "24", &command]);
        assert!(started.status.success(), "{}", String::from_utf8_lossy(&started.stderr));
        tmux.wait_for("Sprint");
        tmux.run(&["send-keys", "-t", "qd", "3", "G"]);
        let screen = tmux.wait_for("Launch in");
        let row = screen.lines().find(|line| line.contains("Launch in")).unwrap();
        assert!(row.contains('…'), "the title is cut at {width} columns: {row}");
        assert!(flag_runs(row).iter().all(|run| run % 2 == 0), "half a flag at {width} columns: {row}");
        // Another screen over the row: no piece of a flag stays behind.
        tmux.run(&["send-keys", "-t", "qd", "H"]);
        let health = tmux.wait_for("M13");
        assert!(!health.chars().any(is_regional_indicator), "a flag left on health at {width} columns:\n{health}");
        tmux.run(&["send-keys", "-t", "qd", "q"]);
        let deadline = Instant::now() + Duration::from_secs(20);
        while tmux.run(&["has-session", "-t", "qd"]).status.success() {
            assert!(Instant::now() < deadline, "the board did not quit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// `path` for a shell command line.
fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}
