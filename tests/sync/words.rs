//! What a sync says is true: `sent` is what the remote received, values
//! read as people write them, messages one line, counters that count.

use std::os::unix::fs::PermissionsExt;

use serde_json::Value;

use crate::net::Net;

fn lines(report: &Value, key: &str) -> Vec<String> {
    report[key].as_array().unwrap().iter().map(|line| line.as_str().unwrap().to_owned()).collect()
}

fn refuse_pushes(net: &Net, words: &str) -> std::path::PathBuf {
    let hook = net.remote.join("hooks/pre-receive");
    std::fs::write(&hook, format!("#!/bin/sh\necho '{words}        ' >&2\nexit 1\n")).unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    hook
}

#[test]
fn after_a_refused_push_the_next_sync_names_the_change_it_sends() {
    let (net, a, b) = Net::two_laptops();
    let hook = refuse_pushes(&net, "policy: main is frozen for the release");
    net.ok(&b, &["edit", "#3", "--points", "13"]);
    assert_eq!(net.sync(&b, &[]).0["outcome"], "refused");
    std::fs::remove_file(&hook).unwrap();
    net.ok(&a, &["edit", "#4", "--points", "8"]);
    net.synced(&a);
    let report = net.synced(&b);
    assert_eq!(report["outcome"], "merged", "{report}");
    let sent = lines(&report, "sent");
    assert!(sent.iter().any(|line| line.contains("#3 points") && line.contains("13")), "{report}");
    assert!(report["summary"].as_str().unwrap().starts_with("Merged: sent 1 change,"), "{report}");
}

#[test]
fn taking_theirs_sends_nothing_it_did_not_keep_and_numbers_read_as_written() {
    let (net, a, b) = Net::two_laptops();
    net.ok(&a, &["edit", "KR1.2", "--owner", "Marco A"]);
    net.ok(&a, &["edit", "KR2.1", "--target", "55"]);
    net.synced(&a);
    net.ok(&b, &["edit", "KR1.2", "--owner", "Marco B"]);
    net.ok(&b, &["edit", "KR2.1", "--target", "60"]);
    let (report, code) = net.sync(&b, &[]);
    assert_eq!((report["outcome"].as_str(), code), (Some("conflicts"), 1), "{report}");
    let message = report["message"].as_str().unwrap();
    assert!(message.contains("KR2.1 target: mine 60, theirs 55"), "{message}");
    assert!(message.contains("mine 'Marco B', theirs 'Marco A'"), "{message}");
    let report = net.synced_with(&b, &["--theirs"]);
    let all = report.to_string();
    assert!(!lines(&report, "sent").iter().any(|line| line.contains("Marco B") || line.contains("60")), "{report}");
    assert!(!all.contains("60.0") && !all.contains("55.0"), "{report}");
    assert!(
        lines(&report, "chosen").iter().any(|line| line.starts_with("KR2.1 target: kept 55 (theirs); mine 60 is in commit")),
        "{report}"
    );
    net.synced(&a);
    net.assert_same(&a, &b);
}

/// The board's plan file with the item numbered `number` left out.
fn without_item(plan: &str, number: u32) -> String {
    plan.split("\n\n")
        .filter(|block| !(block.starts_with("[[items]]") && block.contains(&format!("\nnumber = {number}\n"))))
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[test]
fn an_item_deleted_on_one_side_and_changed_on_the_other_reads_as_what_each_did() {
    let (net, a, b) = Net::two_laptops();
    let plan = net.dir.path().join("without-40.toml");
    std::fs::write(&plan, without_item(&net.export(&a), 40)).unwrap();
    net.ok(&a, &["import", plan.to_str().unwrap(), "--replace"]);
    net.synced(&a);
    net.ok(&b, &["edit", "#40", "--points", "5"]);
    let (report, code) = net.sync(&b, &[]);
    assert_eq!((report["outcome"].as_str(), code), (Some("conflicts"), 1), "{report}");
    let message = report["message"].as_str().unwrap();
    assert!(
        message.contains("#40 'Evaluate a new search engine for the catalogue': deleted on theirs; mine changed points 3 → 5"),
        "{message}"
    );
    assert!(!message.contains('{') && !message.contains("\"id\""), "{message}");
    let report = net.synced_with(&b, &["--mine"]);
    let chosen = lines(&report, "chosen");
    assert!(
        chosen.iter().any(|line| line.starts_with("#40 'Evaluate a new search engine for the catalogue': kept mine (changed points 3 → 5); theirs (deleted on theirs) is in commit")),
        "{report}"
    );
    let log = net.git(&["log", "-1", "--format=%B", "main"]);
    assert!(!log.contains('{'), "{log}");
}

#[test]
fn a_refused_push_says_the_hooks_words_then_what_to_do_on_one_line() {
    let net = Net::new();
    let a = net.demo_board("a");
    net.synced(&a);
    refuse_pushes(&net, "policy: main is frozen for the release");
    net.ok(&a, &["edit", "#3", "--points", "13"]);
    let (report, code) = net.sync(&a, &[]);
    assert_eq!((report["outcome"].as_str(), code), (Some("refused"), 1), "{report}");
    let message = report["message"].as_str().unwrap();
    assert_eq!(
        message,
        "the remote refused the push: policy: main is frozen for the release. Nothing was lost: 1 change waits on this board; ask whoever keeps the repository why, then sync again"
    );
    let (status, _) = net.sync(&a, &["status"]);
    assert_eq!(status["message"].as_str(), Some(message), "{status}");
}

#[test]
fn a_fetch_that_reaches_the_remote_clears_offline() {
    let net = Net::new();
    let a = net.demo_board("a");
    net.synced(&a);
    let away = net.dir.path().join("away.git");
    std::fs::rename(&net.remote, &away).unwrap();
    net.ok(&a, &["edit", "#3", "--points", "13"]);
    assert_eq!(net.sync(&a, &[]).0["outcome"], "offline");
    let (fetched, code) = net.sync(&a, &["fetch"]);
    assert_eq!((fetched["outcome"].as_str(), code), (Some("offline"), 1), "{fetched}");
    std::fs::rename(&away, &net.remote).unwrap();
    let (fetched, code) = net.sync(&a, &["fetch"]);
    assert_eq!((fetched["outcome"].as_str(), code), (Some("fetched"), 0), "{fetched}");
    let (status, _) = net.sync(&a, &["status"]);
    assert_eq!(status["message"], Value::Null, "{status}");
    assert_eq!(status["waiting"], 1, "{status}");
}

#[test]
fn changes_wait_counts_what_waits_after_a_re_tie_an_undo_and_a_refused_init() {
    let net = Net::new();
    let a = net.demo_board("a");
    net.synced(&a);
    net.tie(&a);
    assert_eq!(net.sync(&a, &["status"]).0["waiting"], 0, "re-tied to the same remote");
    let b = net.joined("b");
    net.ok(&a, &["edit", "#3", "--points", "13"]);
    net.synced(&a);
    assert_eq!(net.synced(&b)["outcome"], "received");
    net.ok(&b, &["undo", "--yes"]);
    assert_eq!(net.sync(&b, &["status"]).0["waiting"], 1, "one undo is one change");
    let report = net.synced(&b);
    assert_eq!(report["summary"].as_str().map(|s| s.starts_with("Sent 1 change")), Some(true), "{report}");
    assert_eq!(report["waiting"], 0, "{report}");

    let other = net.board("other");
    net.ok(&other, &["demo"]);
    let elsewhere = net.dir.path().join("elsewhere.git");
    let (tied, code) = net.sync(&other, &["init", elsewhere.to_str().unwrap()]);
    assert_eq!(code, 0, "{tied}");
    let (refused, code) = net.sync(&other, &["init", net.remote.to_str().unwrap()]);
    assert_eq!((refused["outcome"].as_str(), code), (Some("failed"), 2), "{refused}");
    let (status, _) = net.sync(&other, &["status"]);
    assert_eq!(status["message"], Value::Null, "a refused init leaves no error: {status}");
    assert!(status["summary"].as_str().unwrap().contains("elsewhere.git"), "{status}");
}

#[test]
fn sync_init_to_a_remote_that_cannot_be_reached_says_nothing_was_tied() {
    let net = Net::new();
    let board = net.board("dave");
    net.ok(&board, &["demo"]);
    let nowhere = "file:///nonexistent/quarterdeck/plans.git";
    let (report, code) = net.sync(&board, &["init", nowhere]);
    assert_eq!((report["outcome"].as_str(), code), (Some("offline"), 1), "{report}");
    let message = report["message"].as_str().unwrap();
    assert!(message.contains("nothing was changed, the board is not tied to it"), "{message}");
    assert!(message.contains(&format!("sync init {nowhere}` again")), "{message}");
    assert!(!message.contains("next sync") && !message.contains('\n'), "{message}");
    assert_eq!(net.sync(&board, &["status"]).0["outcome"], "not_tied");
}

#[test]
fn a_second_sync_of_one_board_waits_for_the_first_and_never_says_offline() {
    let (net, a, b) = Net::two_laptops();
    // The clone held by another sync: this one waits, then says so.
    let lock = std::fs::File::create(net.dir.path().join("b.sqlite3.sync/.git/quarterdeck-sync.lock")).unwrap();
    lock.lock().unwrap();
    net.ok(&b, &["edit", "#3", "--points", "13"]);
    let (report, code) = net.sync_with(&b, &[], &[("QUARTERDECK_SYNC_LOCK_WAIT_MS", "300")]);
    assert_eq!((report["outcome"].as_str(), code), (Some("failed"), 1), "{report}");
    assert!(report["message"].as_str().unwrap().starts_with("another sync of this board is running"), "{report}");
    assert_eq!(net.sync(&b, &["status"]).0["message"], Value::Null, "not the board's trouble");
    drop(lock);
    // Two at once, for real: the second waits for the first; both complete.
    for round in 0..3 {
        net.ok(&a, &["edit", "#4", "--points", &(round + 5).to_string()]);
        net.synced(&a);
        net.ok(&b, &["edit", "#5", "--points", &(round + 5).to_string()]);
        let ((first, first_code), (second, code)) = std::thread::scope(|scope| {
            let first = scope.spawn(|| net.sync(&b, &[]));
            let second = net.sync(&b, &[]);
            (first.join().unwrap(), second)
        });
        assert!(first_code == 0 && code == 0, "round {round}: {first} / {second}");
        assert!(!first.to_string().contains("offline") && !second.to_string().contains("offline"), "{first} / {second}");
    }
    net.synced(&a);
    net.assert_same(&a, &b);
}

#[test]
fn mine_with_no_conflict_says_so_and_an_unusable_clone_is_moved_aside_by_its_own_name() {
    let net = Net::new();
    let a = net.demo_board("a");
    net.synced(&a);
    net.ok(&a, &["edit", "#3", "--points", "13"]);
    let report = net.synced_with(&a, &["--mine"]);
    assert_eq!(report["outcome"], "sent", "{report}");
    assert!(report["message"].as_str().unwrap().contains("no conflict was waiting for --mine: synced as usual"), "{report}");
    let clone = net.dir.path().join("a.sqlite3.sync");
    std::fs::remove_dir_all(&clone).unwrap();
    std::fs::create_dir(&clone).unwrap();
    let report = net.synced(&a);
    let message = report["message"].as_str().unwrap();
    assert!(message.contains("a.sqlite3.sync.unusable-"), "{message}");
    let aside = std::fs::read_dir(net.dir.path()).unwrap().filter_map(Result::ok).map(|entry| entry.file_name());
    assert!(aside.into_iter().any(|name| name.to_string_lossy().starts_with("a.sqlite3.sync.unusable-")));
}
