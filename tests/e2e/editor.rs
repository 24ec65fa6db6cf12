//! The item's description in the user's own editor: which editor, the
//! private file it is given, and what comes back.

use std::{fs, path::Path};

use super::{Session, board_path, quarterdeck};

/// An "editor" in `dir`: a shell script that runs `first` (if any), then
/// appends a line to the file it is given. Returns its path, for `VISUAL`.
#[cfg(unix)]
fn editor_script(dir: &Path, first: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let editor = dir.join("editor.sh");
    fs::write(&editor, format!("#!/bin/sh\n{first}\necho 'Written in the editor.' >> \"$1\"\n")).unwrap();
    fs::set_permissions(&editor, fs::Permissions::from_mode(0o755)).unwrap();
    editor.display().to_string()
}

#[cfg(unix)]
#[test]
fn the_description_is_edited_in_the_users_editor() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let editor = editor_script(dir.path(), "");
    let mut session = Session::start_with(&board, dir.path(), 80, 24, &[("VISUAL", editor.as_str())]);
    session.wait_for("Sprint 3 of 6");
    session.select_item("One-click payment for saved cards");
    session.press("E");
    session.wait_for("Edited the description of 'One-click payment for saved cards'");
    assert!(session.screen.lock().unwrap().screen().alternate_screen(), "the board took the terminal back");
    session.press("q");
    assert!(session.wait_exit().success());
    let conn = rusqlite::Connection::open(&board).unwrap();
    let description: String = conn.query_row("SELECT description FROM item WHERE id = 5", [], |row| row.get(0)).unwrap();
    assert_eq!(description, "Behind the flag one_click; rolled out to 10 % of buyers.\nWritten in the editor.");
}

/// The file handed to `$EDITOR` once had a name anyone could guess in the
/// shared temporary folder: a symlink planted there made the board
/// overwrite the file it pointed to.
#[cfg(unix)]
#[test]
fn the_editor_file_never_follows_a_planted_symlink() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    // The editor also notes which file it was given.
    let named = dir.path().join("named");
    let editor = editor_script(dir.path(), &format!("echo \"$1\" > {}", named.display()));
    let tmp = dir.path().join("tmp");
    fs::create_dir(&tmp).unwrap();
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, "precious\n").unwrap();
    let tmp_dir = tmp.display().to_string();
    let mut session =
        Session::start_with(&board, dir.path(), 80, 24, &[("VISUAL", editor.as_str()), ("TMPDIR", tmp_dir.as_str())]);
    session.wait_for("Sprint 3 of 6");
    let pid = session.child.process_id().unwrap();
    let planted = tmp.join(format!("quarterdeck-{pid}-description.md"));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    session.select_item("One-click payment for saved cards");
    session.press("E");
    session.wait_for("Edited the description of 'One-click payment for saved cards'");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious\n", "the victim is untouched");
    let named = fs::read_to_string(&named).unwrap();
    let named = Path::new(named.trim_end());
    assert_ne!(named, planted);
    assert_eq!(named.extension().unwrap(), "md", "editors highlight markdown");
    assert!(!named.exists(), "the temporary file is removed: {}", named.display());
    session.press("q");
    assert!(session.wait_exit().success());
}

/// `VISUAL=""` is unset in all but name: the user's `$EDITOR` runs, not a
/// shell asked to run "" (#18); and the editor's folder is the user's
/// alone (0700), as the file in it is (0600).
#[cfg(unix)]
#[test]
fn an_empty_visual_falls_back_to_editor_and_the_editors_folder_is_private() {
    let (dir, board) = board_path();
    assert!(quarterdeck(&board, &["demo"]).status.success());
    let modes = dir.path().join("modes");
    let editor = editor_script(dir.path(), &format!("stat -c '%a' \"$(dirname \"$1\")\" \"$1\" > {}", modes.display()));
    let mut session = Session::start_with(&board, dir.path(), 80, 24, &[("VISUAL", ""), ("EDITOR", editor.as_str())]);
    session.wait_for("Sprint 3 of 6");
    session.select_item("One-click payment for saved cards");
    session.press("E");
    session.wait_for("Edited the description of 'One-click payment for saved cards'");
    assert_eq!(
        fs::read_to_string(&modes).unwrap().split_whitespace().collect::<Vec<_>>(),
        ["700", "600"],
        "the folder, then the file"
    );
    session.press("q");
    assert!(session.wait_exit().success());
}
