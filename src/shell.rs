//! Commands spelled for the user to paste: every message that tells the
//! user a command to run names the board file (a pasted `quarterdeck
//! doctor` would read the default board, not the one the message is
//! about) and quotes what the shell would split or expand. Rule in
//! docs/cli.md, "Commands in messages".

use std::path::{Path, PathBuf};

/// The board file used when neither `--db` nor `QUARTERDECK_DB` is given:
/// `$XDG_DATA_HOME/quarterdeck/board.sqlite3` on Linux. Here, below the
/// store and the command line, because both spell commands with it.
pub fn default_board_path() -> anyhow::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "quarterdeck")
        .ok_or_else(|| anyhow::anyhow!("no home folder found to keep the board in; give one with --db PATH"))?;
    Ok(dirs.data_dir().join("board.sqlite3"))
}

/// `quarterdeck --db BOARD WORDS…` as a user pastes it into a POSIX shell:
/// each word quoted when it needs to be ([`quote`]). `--db` is left out
/// when there is no board to name or the board is the default one, which
/// the command reads without it.
pub fn command_line(words: &[&str], board: Option<&Path>) -> String {
    let mut line = vec!["quarterdeck".to_owned()];
    if let Some(board) = board.filter(|board| !is_default_board(board)) {
        line.push("--db".to_owned());
        line.push(quote_path(board));
    }
    line.extend(words.iter().map(|word| quote(word)));
    line.join(" ")
}

/// A path as one shell word ([`quote`]).
pub fn quote_path(path: &Path) -> String {
    quote(&path.to_string_lossy())
}

/// One word as a POSIX shell reads it back: as it is when it holds only
/// characters no shell treats specially, else in single quotes, a `'`
/// inside written `'\''`. Control characters are then shown as the board
/// shows them (`␊`, `␛`): a message never carries them to the terminal raw,
/// though the command then no longer names such a file exactly.
pub fn quote(word: &str) -> String {
    let plain = |(at, ch): (usize, char)| {
        ch.is_alphanumeric() || matches!(ch, '_' | '-' | '.' | '/' | ',' | ':' | '@' | '+' | '%') || (ch == '=' && at > 0)
    };
    let quoted = if !word.is_empty() && word.chars().enumerate().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    };
    crate::ui::text::clean(&quoted).into_owned()
}

/// Whether `board` is the file the commands read when given no `--db`
/// (compared as written, then as the file system resolves both).
fn is_default_board(board: &Path) -> bool {
    let Ok(default) = default_board_path() else { return false };
    board == default || matches!((board.canonicalize(), default.canonicalize()), (Ok(board), Ok(default)) if board == default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_word_stays_and_others_are_single_quoted() {
        assert_eq!(quote("board.sqlite3"), "board.sqlite3");
        assert_eq!(quote("/tmp/b-1/x_y.sqlite3"), "/tmp/b-1/x_y.sqlite3");
        assert_eq!(quote("team boards/my board.sqlite3"), "'team boards/my board.sqlite3'");
        assert_eq!(quote("Bob's board"), r"'Bob'\''s board'");
        assert_eq!(quote("$HOME"), "'$HOME'");
        assert_eq!(quote("~/b"), "'~/b'");
        assert_eq!(quote("=b"), "'=b'");
        assert_eq!(quote("#42"), "'#42'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn control_characters_are_shown_cleaned() {
        assert_eq!(quote("a\nb\u{1b}[31m"), "'a\u{240A}b\u{241B}[31m'");
    }

    #[test]
    fn a_command_names_a_board_that_is_not_the_default() {
        let board = Path::new("team boards/my board.sqlite3");
        assert_eq!(
            command_line(&["doctor", "--yes"], Some(board)),
            "quarterdeck --db 'team boards/my board.sqlite3' doctor --yes"
        );
        assert_eq!(command_line(&["doctor"], None), "quarterdeck doctor");
        let default = default_board_path().expect("a home folder");
        assert_eq!(command_line(&["doctor"], Some(&default)), "quarterdeck doctor");
    }
}
