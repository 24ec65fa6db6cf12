//! The settings from the outside: `config --default`, `--theme` and
//! `NO_COLOR`, read off the bytes the real binary prints.

use quarterdeck::config::{Config, DEFAULT_CONFIG};

use super::{Session, board_path, quarterdeck};
use std::fs;

#[test]
fn config_default_prints_the_documented_settings_and_they_parse() {
    let (_dir, board) = board_path();
    let output = quarterdeck(&board, &["config", "--default"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed = String::from_utf8(output.stdout).unwrap();
    assert_eq!(printed, DEFAULT_CONFIG);
    assert_eq!(Config::parse(&printed, "stdout").unwrap(), Config::default());
    for setting in ["\nmouse = false\n", "\ntheme = \"default\"\n", "high-contrast", "light", "NO_COLOR"] {
        assert!(printed.contains(setting), "{setting:?} missing:\n{printed}");
    }
    assert!(!board.exists(), "printing the settings opens no board");
}

/// `quarterdeck config` with `XDG_CONFIG_HOME` at `config_home`.
fn config_in(config_home: &std::path::Path, board: &std::path::Path) -> std::process::Output {
    std::process::Command::new(super::BIN)
        .arg("config")
        .env("XDG_CONFIG_HOME", config_home)
        .env("QUARTERDECK_DB", board)
        .output()
        .unwrap()
}

#[test]
fn config_alone_prints_the_settings_file_where_it_is_or_says_there_is_none() {
    let (dir, board) = board_path();
    let home = dir.path().join("config-home");
    let none = config_in(&home, &board);
    assert!(none.status.success(), "{}", String::from_utf8_lossy(&none.stderr));
    let said = String::from_utf8(none.stdout).unwrap();
    let file = home.join("quarterdeck").join("config.toml");
    assert!(said.contains(&format!("No settings file at {}", file.display())), "{said}");
    assert!(said.contains("every setting is at its default") && said.contains("config --default"), "{said}");

    fs::create_dir_all(file.parent().unwrap()).unwrap();
    fs::write(&file, "theme = \"light\"\n# the projector room \u{202e}moor\n").unwrap();
    let shown = config_in(&home, &board);
    assert!(shown.status.success(), "{}", String::from_utf8_lossy(&shown.stderr));
    let printed = String::from_utf8(shown.stdout).unwrap();
    assert!(printed.starts_with(&format!("# {} (read by the board", file.display())), "{printed}");
    assert!(printed.contains("\ntheme = \"light\"\n"), "{printed}");
    assert!(printed.contains("# the projector room"), "{printed}");
    assert!(!printed.contains('\u{202e}'), "the file's text is cleaned before it reaches the terminal: {printed:?}");

    fs::write(&file, "theme = \"neon\"\n").unwrap();
    let wrong = config_in(&home, &board);
    assert_eq!(wrong.status.code(), Some(1));
    let error = String::from_utf8(wrong.stderr).unwrap();
    assert!(error.contains(&file.display().to_string()) && error.contains("neon") && error.contains("theme"), "{error}");
    assert!(wrong.stdout.is_empty());
    assert!(!board.exists(), "printing the settings opens no board");
}

/// Every SGR (`ESC [ … m`) in `raw`, as its list of numbers.
fn sgr_codes(raw: &str) -> Vec<Vec<u16>> {
    raw.split("\u{1b}[")
        .skip(1)
        .filter_map(|rest| {
            let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
            (rest[end..].starts_with('m')).then(|| rest[..end].split(';').map(|n| n.parse().unwrap_or(0)).collect())
        })
        .collect()
}

/// What one SGR asks for: (any colour, grey, dim). `39` and `49` only go
/// back to the terminal's own colours, so they are no colour.
fn sgr_effects(codes: &[u16]) -> (bool, bool, bool) {
    let (mut colour, mut grey, mut dim) = (false, false, false);
    let mut rest = codes.iter().copied();
    while let Some(code) = rest.next() {
        match code {
            38 | 48 => {
                colour = true;
                match rest.next() {
                    Some(5) => grey |= matches!(rest.next(), Some(7 | 8)),
                    Some(2) => {
                        rest.nth(2);
                    }
                    _ => {}
                }
            }
            90 | 37 => (colour, grey) = (true, true),
            30..=36 | 40..=47 | 91..=97 | 100..=107 => colour = true,
            2 => dim = true,
            _ => {}
        }
    }
    (colour, grey, dim)
}

/// The bytes the board prints for its demo screen and a dialog (which has a
/// shadow), run with `args` and `env`.
fn board_bytes(args: &[&str], env: &[(&str, &str)]) -> String {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let mut argv = vec![env!("CARGO_BIN_EXE_quarterdeck")];
    argv.extend_from_slice(args);
    let mut session = Session::launch(&argv, &board, dir.path(), 120, 36, env);
    session.wait_for("Sprint 3 of 6");
    session.press("?");
    session.wait_for("Help: keys");
    // `?` again closes it: a lone escape followed by `q` reads as alt-q.
    session.press("?q");
    assert!(session.wait_exit().success());
    session.raw_text()
}

#[test]
fn no_color_means_no_colour_codes_in_any_theme() {
    for theme in ["default", "high-contrast", "light"] {
        let raw = board_bytes(&["--theme", theme], &[("NO_COLOR", "1")]);
        let coloured: Vec<_> = sgr_codes(&raw).into_iter().filter(|codes| sgr_effects(codes).0).collect();
        assert!(coloured.is_empty(), "{theme}: {coloured:?}");
    }
}

#[test]
fn high_contrast_on_the_command_line_draws_no_grey_and_no_dim() {
    let raw = board_bytes(&["--theme", "high-contrast"], &[("NO_COLOR", "")]);
    let codes = sgr_codes(&raw);
    assert!(codes.iter().any(|codes| sgr_effects(codes).0), "an empty NO_COLOR keeps colour");
    let quiet: Vec<_> = codes.into_iter().filter(|codes| matches!(sgr_effects(codes), (_, true, _) | (_, _, true))).collect();
    assert!(quiet.is_empty(), "{quiet:?}");
    // The default theme does draw grey, so the check above can fail.
    let raw = board_bytes(&[], &[("NO_COLOR", "")]);
    assert!(sgr_codes(&raw).iter().any(|codes| sgr_effects(codes).1), "the default theme has grey text");
}

/// The bytes `quarterdeck present` prints through all its screens, run
/// with `args` and, when given, this `config.toml`.
fn presentation_bytes(args: &[&str], config: Option<&str>) -> String {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let config_home = dir.path().join("config-home");
    if let Some(config) = config {
        fs::create_dir_all(config_home.join("quarterdeck")).unwrap();
        fs::write(config_home.join("quarterdeck/config.toml"), config).unwrap();
    }
    let config_home = config_home.display().to_string();
    let mut argv = vec![env!("CARGO_BIN_EXE_quarterdeck"), "present"];
    argv.extend_from_slice(args);
    let env = [("NO_COLOR", ""), ("XDG_CONFIG_HOME", config_home.as_str())];
    let mut session = Session::launch(&argv, &board, dir.path(), 120, 36, &env);
    for title in ["Board · ", "Sprint 3 review", "Health · ", "Burn-up of points"] {
        session.wait_for(title);
        session.press("\u{1b}[C");
    }
    session.press("q");
    assert!(session.wait_exit().success());
    session.raw_text()
}

#[test]
fn the_presentation_is_high_contrast_unless_the_run_names_a_theme_or_the_terminal_is_light() {
    let quiet =
        |raw: &str| sgr_codes(raw).into_iter().filter(|codes| matches!(sgr_effects(codes), (_, true, _) | (_, _, true))).count();
    // Light's accent is blue (palette 4); high contrast's is bright cyan (14).
    let has = |raw: &str, colour: u16| sgr_codes(raw).iter().any(|codes| codes.windows(3).any(|run| run == [38, 5, colour]));
    let high_contrast = |raw: &str| quiet(raw) == 0 && has(raw, 14) && !has(raw, 4);
    let light = |raw: &str| has(raw, 4) && !has(raw, 14) && quiet(raw) > 0;
    assert!(high_contrast(&presentation_bytes(&[], None)), "no grey, no dim");
    // `theme = "default"` is the board's theme for a dark terminal.
    assert!(high_contrast(&presentation_bytes(&[], Some("theme = \"default\"\n"))));
    assert!(light(&presentation_bytes(&["--theme", "light"], None)), "--theme light is honoured");
    // On a light terminal high contrast's bright colours would vanish.
    assert!(light(&presentation_bytes(&[], Some("theme = \"light\"\n"))), "config.toml's light is honoured");
    // The run's theme wins over the file's.
    assert!(high_contrast(&presentation_bytes(&["--theme", "high-contrast"], Some("theme = \"light\"\n"))));
}
