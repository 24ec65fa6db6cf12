//! The board's side of trial 19, with the real program and the real git
//! and a bare repository: a sync's message longer than the status line
//! (F1: a hook refuses the push; git is missing) is readable whole, the
//! advice last after git's words; an item deleted on one laptop and
//! changed on the other reads as such in the conflict chooser (F9).

#![allow(clippy::unwrap_used)]

mod common;
#[allow(dead_code)]
#[path = "sync/net.rs"]
mod net;

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
};

use common::{app_at, key, render, tick_until};
use quarterdeck::app::{Detail, Overlay, background::Program};
use ratatui::crossterm::event::KeyCode;

/// This very program, run as the board runs its sync, with the test's git
/// environment (`net::git_env`'s: a home of its own, an author).
fn real_sync(net: &net::Net) -> PathBuf {
    real_sync_with(net, "")
}

/// `real_sync` with `more` shell set before the program runs.
fn real_sync_with(net: &net::Net, more: &str) -> PathBuf {
    let script = net.dir.path().join("real-sync");
    let home = net.dir.path().display();
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexport HOME='{home}' XDG_CONFIG_HOME='{home}/.config' GIT_CONFIG_NOSYSTEM=1 \
             GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.com GIT_COMMITTER_NAME=Tester \
             GIT_COMMITTER_EMAIL=tester@example.com\n{more}\nexec '{}' \"$@\"\n",
            env!("CARGO_BIN_EXE_quarterdeck")
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// The text of the dialog framed with `title`, its lines joined by
/// spaces: a wrapped sentence reads whole.
fn dialog_text(screen: &str, title: &str) -> String {
    let lines: Vec<Vec<char>> = screen.lines().map(|line| line.chars().collect()).collect();
    let Some(top) = screen.lines().position(|line| line.contains(&format!("┌ {title}"))) else { return String::new() };
    let left = lines[top].iter().position(|ch| *ch == '┌').unwrap();
    let right = left + lines[top][left..].iter().position(|ch| *ch == '┐').unwrap();
    let inside: Vec<String> = lines[top + 1..]
        .iter()
        .take_while(|line| line.get(left) == Some(&'│'))
        .map(|line| line[left + 1..right].iter().collect::<String>())
        .collect();
    inside.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn refusing_hook(remote: &Path) {
    let hook = remote.join("hooks/pre-receive");
    std::fs::write(&hook, "#!/bin/sh\necho 'policy: main is frozen for the release' >&2\nexit 1\n").unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_refused_push_shows_its_whole_advice_at_80x24() {
    let net = net::Net::new();
    let board = net.demo_board("bob");
    net.synced(&board);
    refusing_hook(&net.remote);
    net.ok(&board, &["edit", "#27", "--points", "3"]);
    let mut app = app_at(&board, 80, 24);
    app.overlays.clear();
    app.sync_program = Program(real_sync(&net));
    common::keys(&mut app, "y");
    tick_until(&mut app, |app| !app.sync_running());
    assert!(app.status.as_ref().unwrap().is_error);
    let Some(Overlay::Detail { detail: Detail::Message { text, .. }, .. }) = app.overlays.last() else {
        panic!("no dialog with the whole message:\n{}", render(&app));
    };
    assert!(text.contains("ask whoever keeps the repository why, then sync again"), "{text}");
    let shown = dialog_text(&render(&app), "The sync stopped");
    assert!(shown.contains("policy: main is frozen for the release"), "{shown}");
    assert!(shown.contains("ask whoever keeps the repository why, then sync again"), "the advice, whole: {shown}");
    assert!(!shown.contains('␊'), "line breaks are not drawn as symbols: {shown}");
    key(&mut app, KeyCode::Esc);
    assert!(app.overlays.is_empty(), "Esc closes it");
}

#[test]
fn git_missing_shows_its_whole_advice_at_80x24() {
    let net = net::Net::new();
    let board = net.demo_board("carol");
    let mut app = app_at(&board, 80, 24);
    app.overlays.clear();
    let empty = net.dir.path().join("no-programs");
    std::fs::create_dir(&empty).unwrap();
    app.sync_program = Program(real_sync_with(&net, &format!("export PATH='{}'", empty.display())));
    common::keys(&mut app, "y");
    tick_until(&mut app, |app| !app.sync_running());
    let shown = dialog_text(&render(&app), "The sync stopped");
    assert!(shown.contains("git is not installed or not on PATH"), "{}", render(&app));
    assert!(shown.contains("and try again"), "the advice, whole: {shown}");
}

/// Trial 19, F9: Alice deletes an item in her board, Bob changes its
/// points: Bob's chooser names the conflict `deleted on theirs, changed
/// on mine` with the item's title, never an empty field.
#[test]
fn an_item_deleted_there_and_changed_here_reads_as_such_in_the_chooser() {
    let net = net::Net::new();
    let alice = net.demo_board("alice");
    net.synced(&alice);
    let bob = net.joined("bob");
    let title = net.item(&alice, "#27")["title"].as_str().unwrap().to_owned();
    let mut board = app_at(&alice, 160, 48);
    board.overlays.clear();
    common::select_item(&mut board, &title);
    common::keys(&mut board, "dy");
    drop(board);
    net.synced(&alice);
    net.ok(&bob, &["edit", "#27", "--points", "13"]);
    let (report, code) = net.sync(&bob, &[]);
    assert_eq!((report["outcome"].as_str(), code), (Some("conflicts"), 1), "{report}");
    for (width, height) in [(80, 24), (160, 48)] {
        let mut app = app_at(&bob, width, height);
        app.overlays.clear();
        common::keys(&mut app, "y");
        assert!(app.sync_chooser().is_some(), "{}", render(&app));
        let screen = render(&app);
        // The row says what each side did and that it waits; at 80 columns
        // the title gives way to that (trial 19c), and the base line below
        // names the item whole.
        let row = screen.lines().find(|line| line.contains("#27 '")).unwrap_or_default();
        assert!(
            row.contains("· deleted on theirs, changed on mine · ") && (row.contains("to choose") || row.contains("chosen: ")),
            "{screen}"
        );
        assert!(screen.contains(&format!("'{title}'")), "the title whole, on the base line:\n{screen}");
        if width == 160 {
            assert!(row.contains(&format!("#27 '{title}' · deleted on theirs")), "{screen}");
        }
        assert!(!screen.contains("·  ·"), "no empty field:\n{screen}");
        common::keys(&mut app, "m");
        let said = app.status.as_ref().map(|status| status.text.clone()).unwrap_or_default();
        assert!(said.starts_with("#27 deleted on theirs, changed on mine: mine"), "{said}");
    }
}
