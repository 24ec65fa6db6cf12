//! The user's settings: `config.toml` beside `keymap.toml` in the platform
//! config folder (`~/.config/quarterdeck/` on Linux). Every setting is
//! optional, and a file that is not understood stops the board with a
//! message naming the file and the setting, before the terminal is taken.

use std::{path::Path, time::Duration};

use anyhow::Context;
use serde::Deserialize;

use crate::ui::ThemeName;

/// What `quarterdeck config --default` prints: every setting at its
/// default, with what it does and the values it takes. A test parses it, so
/// it stays valid and in step with `Config`.
pub const DEFAULT_CONFIG: &str = r#"# Quarterdeck's settings: config.toml in the platform config folder
# (~/.config/quarterdeck/ on Linux), beside keymap.toml. Every setting is
# optional; a line left out keeps the default shown here.

# Clicks select panes and rows, and the wheel scrolls: true or false.
# Off by default, because while a program takes the mouse the terminal no
# longer selects text with it (most terminals still do with Shift held).
# For one run: --mouse (or QUARTERDECK_MOUSE=1).
mouse = false

# The colours: "default" (a dark terminal), "high-contrast" (no dim or grey
# text, bold bright states: for projectors) or "light" (dark colours for a
# light terminal background). NO_COLOR=1 turns colour off in every theme.
# The presentation (quarterdeck present, P) is high contrast, or light when
# this says "light". For one run: --theme NAME (the presentation's too).
theme = "default"

# The teams `quarterdeck rollup` and `report rollup` read when no repository
# is named on the command line (docs/rollup.md): one [[rollup]] per team's
# repository, each with a name, the repository (a path to a clone or a bare
# repository, or a URL) and optionally the branch to read (default: the
# repository's HEAD, a bare one's default branch). None by default:
# [[rollup]]
# name = "payments"
# repo = "git@example.com:payments/board.git"
# branch = "main"
# dir = "quarterdeck"   # optional: the folder of plan files (sync init --dir)
# A board tied to a git repository (quarterdeck sync init) can fetch in
# the background, so the header says what waits on the remote ("2 to
# fetch") without a key: "off", or how often, as "30s", "5m" or "1h". The
# fetch writes nothing to the board; `y` (quarterdeck sync) merges.
[sync]
auto = "off"
"#;

#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Clicks select panes and rows and the wheel scrolls. Off by default:
    /// while a program takes the mouse, the terminal no longer lets its
    /// user select text with it.
    #[serde(default)]
    pub mouse: bool,
    /// The colours the board draws with (`ThemeName`).
    #[serde(default)]
    pub theme: ThemeName,
    /// The teams' repositories the roll-up reads when none is named.
    #[serde(default)]
    pub rollup: Vec<RollupEntry>,
    /// `[sync]`: the board's background fetch.
    #[serde(default)]
    pub sync: SyncSettings,
}

/// One team's repository for `quarterdeck rollup` (`[[rollup]]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollupEntry {
    /// The team's name in the roll-up.
    pub name: String,
    /// A path to a clone or a bare repository, or a URL.
    pub repo: String,
    /// The branch to read; omitted: the repository's HEAD.
    #[serde(default)]
    pub branch: Option<String>,
    /// The folder of plan files, as `sync init --dir` set it; omitted:
    /// `quarterdeck` (or `rollup --dir`).
    #[serde(default)]
    pub dir: Option<String>,
}

/// `[sync]` in config.toml (issue 19).
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSettings {
    /// How often a tied board runs `sync fetch` in the background; none
    /// (absent or `"off"`): never.
    #[serde(default, deserialize_with = "auto_interval")]
    pub auto: Option<Duration>,
}

/// `"30s"`, `"5m"`, `"1h"` or `"off"`, as `sync.auto` takes it.
fn auto_interval<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse_interval(&text).map_err(serde::de::Error::custom)
}

/// The interval `text` says (none for `"off"`), or what is wrong with it.
pub fn parse_interval(text: &str) -> Result<Option<Duration>, String> {
    let wrong = || format!("{text:?} is not an interval: write \"off\" or a number with s, m or h, as \"30s\", \"5m\", \"1h\"");
    let text = text.trim();
    if text.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let split = text.len().saturating_sub(1);
    let (number, unit) = (text.get(..split).ok_or_else(wrong)?, text.get(split..).ok_or_else(wrong)?);
    let number: u64 = number.parse().map_err(|_| wrong())?;
    let seconds = match unit {
        "s" => number,
        "m" => number.saturating_mul(60),
        "h" => number.saturating_mul(3600),
        _ => return Err(wrong()),
    };
    if seconds < 10 {
        // A remote asked every second is a remote hammered.
        return Err(format!("{text:?} is too often: fetch every 10s or more"));
    }
    Ok(Some(Duration::from_secs(seconds)))
}

impl Config {
    /// Reads settings from TOML; `source` names the file in errors.
    pub fn parse(text: &str, source: &str) -> anyhow::Result<Self> {
        toml::from_str(text).with_context(|| format!("reading settings {source} (`quarterdeck config --default` lists them)"))
    }

    /// The settings in `path`, or the defaults when there is no such file.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        match crate::cli::files::read_user_text(path) {
            Ok(text) => Self::parse(&text, &path.display().to_string()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(error) => Err(error)
                .with_context(|| format!("reading settings {} (`quarterdeck config --default` lists them)", path.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mouse_is_off_unless_asked_for() {
        assert_eq!(Config::parse("", "c.toml").expect("empty is fine"), Config::default());
        assert!(!Config::default().mouse);
        assert!(Config::parse("mouse = true\n", "c.toml").expect("valid").mouse);
    }

    #[test]
    fn a_bad_setting_is_named_with_its_file() {
        let typo = format!("{:#}", Config::parse("mous = true\n", "/home/a/c.toml").expect_err("unknown"));
        assert!(typo.contains("/home/a/c.toml") && typo.contains("mous") && typo.contains("mouse"), "{typo}");
        let wrong = format!("{:#}", Config::parse("mouse = \"yes\"\n", "c.toml").expect_err("not a boolean"));
        assert!(wrong.contains("c.toml") && wrong.contains("mouse") && wrong.contains("bool"), "{wrong}");
    }

    #[test]
    fn each_theme_is_read_by_its_name() {
        assert_eq!(Config::default().theme, ThemeName::Default);
        for name in ThemeName::ALL {
            let config = Config::parse(&format!("theme = \"{}\"\n", name.as_str()), "c.toml").expect("a theme");
            assert_eq!(config.theme, name);
        }
    }

    #[test]
    fn a_theme_that_is_not_text_is_named_with_the_choices() {
        let error = format!("{:#}", Config::parse("theme = 5\n", "/home/a/c.toml").expect_err("not a name"));
        for expected in ["/home/a/c.toml", "line 1", "theme", "5", "\"default\"", "\"high-contrast\"", "\"light\""] {
            assert!(error.contains(expected), "{expected:?} missing from: {error}");
        }
    }

    #[test]
    fn an_unknown_theme_is_named_with_its_file_line_and_the_choices() {
        let error = format!("{:#}", Config::parse("theme = \"neon\"\n", "/home/a/c.toml").expect_err("no such theme"));
        for expected in ["/home/a/c.toml", "line 1", "theme", "neon", "default", "high-contrast", "light"] {
            assert!(error.contains(expected), "{expected:?} missing from: {error}");
        }
    }

    #[test]
    fn the_documented_default_is_the_default() {
        assert_eq!(Config::parse(DEFAULT_CONFIG, "config --default").expect("valid TOML"), Config::default());
        // Every setting is there, each after a comment about it. Naming the
        // fields here stops the build when one is added and not listed.
        let Config { mouse: _, theme: _, rollup: _, sync: SyncSettings { auto: _ } } = Config::default();
        for setting in ["mouse = ", "theme = ", "auto = "] {
            let line = DEFAULT_CONFIG.lines().position(|line| line.starts_with(setting)).expect(setting);
            // A table's first setting is under the table's name.
            let above = DEFAULT_CONFIG.lines().take(line).filter(|above| !above.starts_with('[')).last();
            assert!(above.is_some_and(|above| above.starts_with('#')), "{setting}");
        }
        // Every theme's name is in its comment.
        for name in ThemeName::ALL {
            assert!(DEFAULT_CONFIG.contains(&format!("\"{}\"", name.as_str())), "{name:?}");
        }
    }

    #[test]
    fn rollup_entries_are_read_and_a_bad_one_is_named_with_its_file_and_field() {
        let text = "[[rollup]]\nname = \"web\"\nrepo = \"/srv/web.git\"\nbranch = \"main\"\n\n[[rollup]]\nname = \"app\"\nrepo = \"../app\"\n";
        let config = Config::parse(text, "c.toml").expect("two teams");
        assert_eq!(config.rollup.len(), 2);
        assert_eq!(config.rollup[0].branch.as_deref(), Some("main"));
        assert_eq!((config.rollup[1].name.as_str(), config.rollup[1].branch.as_deref()), ("app", None));
        let missing = format!("{:#}", Config::parse("[[rollup]]\nname = \"web\"\n", "/home/a/c.toml").expect_err("no repo"));
        assert!(missing.contains("/home/a/c.toml") && missing.contains("repo"), "{missing}");
        let typo = format!(
            "{:#}",
            Config::parse("[[rollup]]\nname = \"w\"\nrepo = \"r\"\nbrnch = \"x\"\n", "c.toml").expect_err("typo")
        );
        assert!(typo.contains("c.toml") && typo.contains("brnch") && typo.contains("branch"), "{typo}");
        let wrong = format!("{:#}", Config::parse("[[rollup]]\nname = 5\nrepo = \"r\"\n", "c.toml").expect_err("a number"));
        assert!(wrong.contains("c.toml") && wrong.contains("name"), "{wrong}");
    }

    #[test]
    fn sync_auto_takes_an_interval_or_off() {
        let every =
            |text: &str| Config::parse(&format!("[sync]\nauto = \"{text}\"\n"), "/home/a/c.toml").map(|config| config.sync.auto);
        assert_eq!(every("30s").expect("seconds"), Some(Duration::from_secs(30)));
        assert_eq!(every("5m").expect("minutes"), Some(Duration::from_secs(300)));
        assert_eq!(every("1h").expect("hours"), Some(Duration::from_secs(3600)));
        assert_eq!(every("off").expect("off"), None);
        assert_eq!(Config::parse("", "c.toml").expect("absent").sync.auto, None);
        for wrong in ["5x", "m", "", "-5m", "five minutes"] {
            let error = format!("{:#}", every(wrong).expect_err(wrong));
            for expected in ["/home/a/c.toml", "auto", "\"30s\""] {
                assert!(error.contains(expected), "{wrong:?}: {expected:?} missing from {error}");
            }
        }
        let often = format!("{:#}", every("1s").expect_err("too often"));
        assert!(often.contains("auto") && often.contains("10s"), "{often}");
        let typo = format!("{:#}", Config::parse("[sync]\nautom = \"5m\"\n", "c.toml").expect_err("unknown"));
        assert!(typo.contains("autom") && typo.contains("auto"), "{typo}");
    }

    #[test]
    fn a_missing_file_means_the_defaults() {
        let dir = std::env::temp_dir().join("quarterdeck-no-such-folder-for-config");
        assert_eq!(Config::load(&dir.join("config.toml")).expect("defaults"), Config::default());
    }
}
