//! Exchanges that do not complete, and say why: offline, git missing, a
//! push refused, a board not tied, a clone gone, a sync killed at each step.

use std::os::unix::{fs::PermissionsExt, process::ExitStatusExt};

use crate::net::Net;

/// Found in the lead's own trial: `--db team/board.sqlite3` (a relative
/// path in a subfolder) cloned into `team/team/board.sqlite3.sync`, said
/// "No such file or directory", and left that stray clone in the way of
/// the next try.
#[test]
fn sync_init_with_a_relative_board_path_in_a_subfolder_ties_it() {
    let net = Net::new();
    let folder = net.dir.path().join("team");
    std::fs::create_dir(&folder).unwrap();
    net.ok(&net.dir.path().join("team/board.sqlite3"), &["demo"]);
    let remote = net.remote.display().to_string();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_quarterdeck"));
    command.current_dir(net.dir.path()).args(["--db", "team/board.sqlite3", "--today", crate::net::TODAY]);
    command.args(["sync", "init", &remote, "--json"]);
    crate::net::git_env(&mut command, net.dir.path());
    let output = command.output().unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{report}{}", String::from_utf8_lossy(&output.stderr));
    assert!(folder.join("board.sqlite3.sync").join(".git").is_dir(), "the clone is beside the board: {report}");
    assert!(!folder.join("team").exists(), "no stray clone below it");
    let sent = net.synced(&folder.join("board.sqlite3"));
    assert_eq!(sent["outcome"], "sent", "{sent}");
}

#[test]
fn offline_edits_on_both_sides_merge_when_the_remote_returns() {
    let (net, a, b) = Net::two_laptops();
    let away = net.dir.path().join("moved-away.git");
    std::fs::rename(&net.remote, &away).unwrap();
    net.ok(&a, &["edit", "#3", "--points", "13"]);
    net.ok(&b, &["edit", "#4", "--points", "8"]);
    let (report, code) = net.sync(&a, &[]);
    assert_eq!((report["outcome"].as_str(), code), (Some("offline"), 1), "{report}");
    let message = report["message"].as_str().unwrap();
    assert!(message.starts_with("offline: 1 change waits on this board; they go with the next sync"), "{message}");
    assert_eq!(report["waiting"], 1, "{report}");
    let (report, _) = net.sync(&b, &[]);
    assert_eq!(report["outcome"], "offline", "{report}");
    let (status, _) = net.sync(&a, &["status"]);
    assert!(status["message"].as_str().is_some_and(|last| last.starts_with("offline")), "{status}");
    std::fs::rename(&away, &net.remote).unwrap();
    net.synced(&a);
    assert_eq!(net.synced(&b)["outcome"], "merged");
    net.synced(&a);
    net.assert_same(&a, &b);
    assert_eq!((net.item(&b, "#3")["points"].as_i64(), net.item(&a, "#4")["points"].as_i64()), (Some(13), Some(8)));
}

#[test]
fn git_missing_is_said_with_exit_2() {
    let net = Net::new();
    let a = net.demo_board("a");
    let empty = net.dir.path().join("no-git-here");
    std::fs::create_dir(&empty).unwrap();
    let (report, code) = net.sync_with(&a, &[], &[("PATH", empty.to_str().unwrap())]);
    assert_eq!((report["outcome"].as_str(), code), (Some("git_missing"), 2), "{report}");
    assert!(report["message"].as_str().unwrap().contains("install git"), "{report}");
}

#[test]
fn a_push_refused_by_a_hook_says_the_hooks_words_and_keeps_the_changes_waiting() {
    let net = Net::new();
    let a = net.demo_board("a");
    net.synced(&a);
    let hook = net.remote.join("hooks/pre-receive");
    std::fs::write(&hook, "#!/bin/sh\necho 'pushes are closed during the review' >&2\nexit 1\n").unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    net.ok(&a, &["edit", "#3", "--points", "13"]);
    let (report, code) = net.sync(&a, &[]);
    assert_eq!((report["outcome"].as_str(), code), (Some("refused"), 1), "{report}");
    assert!(report["message"].as_str().unwrap().contains("pushes are closed during the review"), "{report}");
    assert_eq!(report["waiting"], 1, "{report}");
    std::fs::remove_file(&hook).unwrap();
    assert_eq!(net.synced(&a)["outcome"], "sent");
}

#[test]
fn a_board_not_tied_is_told_how_to_tie_it() {
    let net = Net::new();
    let board = net.board("alone");
    net.ok(&board, &["demo"]);
    for args in [&[][..], &["fetch"], &["status"]] {
        let (report, code) = net.sync(&board, args);
        assert_eq!((report["outcome"].as_str(), code), (Some("not_tied"), 2), "{report}");
        assert!(report["message"].as_str().unwrap().contains("sync init REMOTE"), "{report}");
    }
}

#[test]
fn a_board_whose_quarter_has_the_remotes_label_with_another_id_is_refused_and_unchanged() {
    let net = Net::new();
    let a = net.demo_board("a");
    net.synced(&a);
    let other = net.board("other");
    net.ok(&other, &["demo"]);
    let remote = net.remote.display().to_string();
    let (report, code) = net.sync(&other, &["init", &remote]);
    assert_eq!((report["outcome"].as_str(), code), (Some("failed"), 2), "{report}");
    assert!(report["message"].as_str().unwrap().contains("tie a new board"), "{report}");
    assert_eq!(net.sync(&other, &["status"]).0["outcome"], "not_tied");
}

#[test]
fn a_new_path_becomes_a_bare_repository_and_a_deleted_clone_is_made_again() {
    let net = Net::new();
    let board = net.board("a");
    net.ok(&board, &["demo"]);
    let fresh = net.dir.path().join("fresh.git");
    let (report, code) = net.sync(&board, &["init", fresh.to_str().unwrap()]);
    assert_eq!(code, 0, "{report}");
    assert!(report["message"].as_str().unwrap().contains("made a new bare repository"), "{report}");
    net.synced(&board);
    std::fs::remove_dir_all(net.dir.path().join("a.sqlite3.sync")).unwrap();
    net.ok(&board, &["edit", "#3", "--points", "13"]);
    let report = net.synced(&board);
    assert_eq!(report["outcome"], "sent", "{report}");
    assert!(report["message"].as_str().unwrap().contains("cloned it again"), "{report}");
}

#[test]
fn a_sync_killed_at_every_step_loses_nothing_and_the_next_one_completes() {
    let (net, a, b) = Net::two_laptops();
    for (n, step) in quarterdeck::sync::STEPS.iter().enumerate() {
        let points = (n + 1).to_string();
        net.ok(&b, &["edit", "#7", "--title", &format!("Title from b {n}")]);
        net.synced(&b);
        net.ok(&a, &["edit", "#8", "--points", &points]);
        let output = net.run_with(&a, &["sync", "--json"], &[("QUARTERDECK_SYNC_KILL_AT", step)]);
        assert_eq!(output.status.signal(), Some(9), "step {step}: not killed: {}", String::from_utf8_lossy(&output.stdout));
        // A change made after the kill, before the next sync.
        net.ok(&a, &["edit", "#9", "--points", &points]);
        let report = net.synced(&a);
        assert!(["merged", "sent", "received"].contains(&report["outcome"].as_str().unwrap()), "step {step}: {report}");
        net.synced(&b);
        net.assert_same(&a, &b);
        let item = |number| net.item(&b, number);
        assert_eq!(item("#8")["points"].as_u64().map(|p| p.to_string()), Some(points.clone()), "step {step}");
        assert_eq!(item("#9")["points"].as_u64().map(|p| p.to_string()), Some(points.clone()), "step {step}");
        assert_eq!(net.item(&a, "#7")["title"].as_str().map(str::to_owned), Some(format!("Title from b {n}")), "step {step}");
    }
}
