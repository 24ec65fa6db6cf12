//! The user's settings: `config.toml` beside `keymap.toml` in the platform
//! config folder (`~/.config/quarterdeck/` on Linux). Every setting is
//! optional, and a file that is not understood stops the board with a
//! message naming the file and the setting, before the terminal is taken.

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Clicks select panes and rows and the wheel scrolls. Off by default:
    /// while a program takes the mouse, the terminal no longer lets its
    /// user select text with it.
    #[serde(default)]
    pub mouse: bool,
}

impl Config {
    /// Reads settings from TOML; `source` names the file in errors.
    pub fn parse(text: &str, source: &str) -> anyhow::Result<Self> {
        toml::from_str(text).with_context(|| format!("reading settings {source} (the settings are listed in the README)"))
    }

    /// The settings in `path`, or the defaults when there is no such file.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, &path.display().to_string()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(error) => Err(error).with_context(|| format!("reading settings {}", path.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mouse_is_off_unless_asked_for() {
        assert_eq!(Config::parse("", "c.toml").expect("empty is fine"), Config { mouse: false });
        assert_eq!(Config::parse("mouse = true\n", "c.toml").expect("valid"), Config { mouse: true });
    }

    #[test]
    fn a_bad_setting_is_named_with_its_file() {
        let typo = format!("{:#}", Config::parse("mous = true\n", "/home/a/c.toml").expect_err("unknown"));
        assert!(typo.contains("/home/a/c.toml") && typo.contains("mous") && typo.contains("mouse"), "{typo}");
        let wrong = format!("{:#}", Config::parse("mouse = \"yes\"\n", "c.toml").expect_err("not a boolean"));
        assert!(wrong.contains("c.toml") && wrong.contains("mouse") && wrong.contains("bool"), "{wrong}");
    }

    #[test]
    fn a_missing_file_means_the_defaults() {
        let dir = std::env::temp_dir().join("quarterdeck-no-such-folder-for-config");
        assert_eq!(Config::load(&dir.join("config.toml")).expect("defaults"), Config::default());
    }
}
