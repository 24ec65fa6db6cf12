//! `quarterdeck config`: the settings file as the board reads it, checked,
//! and where it is (`--default` prints every setting instead).

use std::path::Path;

use anyhow::Context;

use crate::{config::Config, ui::text::clean};

/// What `quarterdeck config` prints: the settings file's place and its
/// text, read as the board reads it (a setting it does not understand is
/// an error naming the file and the setting); or that there is none and
/// every setting is at its default.
pub fn shown(path: Option<&Path>) -> anyhow::Result<String> {
    let defaults = "`quarterdeck config --default` prints every setting with what it does";
    let Some(path) = path else {
        return Ok(format!("No settings folder for this user (no home folder): every setting is at its default; {defaults}.\n"));
    };
    let place = path.display().to_string();
    match super::files::read_user_text(path) {
        Ok(text) => {
            Config::parse(&text, &place)?;
            let mut shown = format!("# {} (read by the board; {defaults})\n", clean(&place));
            for line in text.lines() {
                shown.push_str(&clean(line));
                shown.push('\n');
            }
            Ok(shown)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(format!(
            "No settings file at {}: every setting is at its default. To change one, write it there; {defaults}.\n",
            clean(&place)
        )),
        Err(error) => Err(error).with_context(|| format!("reading settings {place} ({defaults})")),
    }
}
