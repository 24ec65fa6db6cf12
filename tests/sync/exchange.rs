//! Exchanges that complete: sending, joining, merging, conflicts, undo.

use crate::net::Net;

#[test]
fn the_first_sync_sends_and_a_second_board_joins_and_receives() {
    let net = Net::new();
    let a = net.demo_board("a");
    let report = net.synced(&a);
    assert_eq!(report["outcome"], "sent", "{report}");
    assert!(report["commit"].as_str().is_some_and(|commit| commit.len() == 7), "{report}");
    assert_eq!(report["waiting"], 0, "{report}");
    assert!(net.git(&["ls-tree", "-r", "--name-only", "main"]).contains("quarterdeck/2026-Q4.toml"));
    let b = net.joined("b");
    net.assert_same(&a, &b);
    // Nothing changed: no new commit.
    let tip = net.git(&["rev-parse", "main"]);
    assert_eq!(net.synced(&a)["outcome"], "up_to_date");
    assert_eq!(net.git(&["rev-parse", "main"]), tip);
    // Tying again to the same remote says so and keeps the last sync.
    let remote = net.remote.display().to_string();
    let (again, code) = net.sync(&a, &["init", &remote]);
    assert_eq!(code, 0, "{again}");
    assert!(again["message"].as_str().unwrap().contains("re-tied"), "{again}");
    assert_eq!(net.synced(&a)["outcome"], "up_to_date");
    let (status, code) = net.sync(&a, &["status"]);
    assert_eq!((status["outcome"].as_str(), code), (Some("status"), 0), "{status}");
}

#[test]
fn edits_to_different_items_and_to_different_fields_of_one_item_merge() {
    let (net, a, b) = Net::two_laptops();
    net.ok(&a, &["edit", "#3", "--points", "13"]);
    net.ok(&b, &["edit", "#3", "--title", "Saved cards, renamed"]);
    net.ok(&b, &["edit", "#4", "--points", "8"]);
    net.synced(&a);
    let report = net.synced(&b);
    assert_eq!(report["outcome"], "merged", "{report}");
    assert_eq!(net.synced(&a)["outcome"], "received");
    net.assert_same(&a, &b);
    let item = net.item(&a, "#3");
    assert_eq!((item["points"].as_i64(), item["title"].as_str()), (Some(13), Some("Saved cards, renamed")), "{item}");
    assert_eq!(net.item(&a, "#4")["points"], 8);
    // The commit message says what changed, in words.
    let log = net.git(&["log", "--format=%B", "main"]);
    assert!(log.contains("#3 points 2 → 13") && log.contains("#4 points 5 → 8"), "{log}");
}

fn conflict_resolved_with(side: &str, kept: i64) {
    let (net, a, b) = Net::two_laptops();
    net.ok(&a, &["edit", "#5", "--points", "2"]);
    net.ok(&b, &["edit", "#5", "--points", "13"]);
    net.synced(&a);
    let tip = net.git(&["rev-parse", "main"]);
    let (report, code) = net.sync(&b, &[]);
    assert_eq!((report["outcome"].as_str(), code), (Some("conflicts"), 1), "{report}");
    assert_eq!(report["conflicts"], 1, "{report}");
    assert!(report["message"].as_str().unwrap().contains("#5 points"), "{report}");
    // Nothing written: the board keeps its value, the remote its tip.
    assert_eq!(net.item(&b, "#5")["points"], 13);
    assert_eq!(net.git(&["rev-parse", "main"]), tip);
    let (status, _) = net.sync(&b, &["status"]);
    assert_eq!(status["conflicts"], 1, "{status}");
    let (report, code) = net.sync(&b, &[side]);
    assert_eq!((report["outcome"].as_str(), code), (Some("merged"), 0), "{report}");
    let chosen = report["chosen"][0].as_str().unwrap();
    assert!(chosen.starts_with(&format!("#5 points: kept {kept}")) && chosen.contains("is in commit"), "{chosen}");
    // The one line the board shows names it too, and the value not kept is
    // in the commit it names.
    assert!(report["summary"].as_str().unwrap().contains(chosen), "{report}");
    let other = if kept == 13 { 2 } else { 13 };
    let commit = chosen.rsplit(' ').next().unwrap();
    let plan = net.git(&["show", &format!("{commit}:quarterdeck/2026-Q4.toml")]);
    let item = plan.split("[[items]]").find(|item| item.contains("number = 5\n")).unwrap();
    assert!(item.contains(&format!("points = {other}\n")), "{item}");
    net.synced(&a);
    net.assert_same(&a, &b);
    assert_eq!(net.item(&a, "#5")["points"], kept);
}

#[test]
fn the_same_field_on_both_sides_conflicts_and_mine_resolves_it() {
    conflict_resolved_with("--mine", 13);
}

#[test]
fn the_same_field_on_both_sides_conflicts_and_theirs_resolves_it() {
    conflict_resolved_with("--theirs", 2);
}

#[test]
fn check_ins_on_one_kr_from_both_sides_all_survive() {
    let (net, a, b) = Net::two_laptops();
    let count = |board| net.ok(board, &["show", "KR1.1", "--json"]).parse::<serde_json::Value>().unwrap()["check_ins"].as_u64();
    let before = count(&a).unwrap();
    net.ok(&a, &["checkin", "KR1.1", "10", "--note", "from a", "--date", "2027-01-04"]);
    net.ok(&b, &["checkin", "KR1.1", "12", "--note", "from b", "--date", "2027-01-03"]);
    net.synced(&a);
    let report = net.synced(&b);
    assert_eq!(report["outcome"], "merged", "both check-ins merge without a question: {report}");
    net.synced(&a);
    net.assert_same(&a, &b);
    assert_eq!(count(&a), Some(before + 2));
    let exported = net.export(&a);
    assert!(exported.contains("from a") && exported.contains("from b"));
    // The KR reads its latest check-in: a's, of the 4th.
    assert_eq!(net.ok(&b, &["show", "KR1.1", "--json"]).parse::<serde_json::Value>().unwrap()["current"], 10);
}

#[test]
fn undo_after_a_sync_is_a_new_change_the_next_sync_sends() {
    let (net, a, b) = Net::two_laptops();
    net.ok(&b, &["edit", "#6", "--points", "21"]);
    net.synced(&b);
    assert_eq!(net.synced(&a)["outcome"], "received");
    assert_eq!(net.item(&a, "#6")["points"], 21);
    let old_tip = net.git(&["rev-parse", "main"]);
    // A sync's import asks first (one stray undo would take a teammate's
    // work off every laptop), naming the sync; nothing changes until --yes.
    let asked = net.run(&a, &["undo"]);
    let said = String::from_utf8_lossy(&asked.stderr);
    assert!(!asked.status.success(), "{said}");
    assert!(said.contains("Undo the sync with commit ") && said.contains("add --yes"), "{said}");
    assert_eq!(net.item(&a, "#6")["points"], 21, "nothing was undone");
    net.ok(&a, &["undo", "--yes"]);
    let report = net.synced(&a);
    assert_eq!(report["outcome"], "sent", "{report}");
    let new_tip = net.git(&["rev-parse", "main"]);
    assert_ne!(old_tip, new_tip);
    net.git(&["merge-base", "--is-ancestor", &old_tip, &new_tip]);
    net.synced(&b);
    net.assert_same(&a, &b);
    assert_ne!(net.item(&b, "#6")["points"], 21);
}

#[test]
fn an_existing_clone_is_used_in_place_and_holds_the_plan_file_after_a_sync() {
    let net = Net::new();
    let clone = net.dir.path().join("my-clone");
    let mut git = std::process::Command::new("git");
    git.arg("clone").arg("-q").arg(&net.remote).arg(&clone);
    crate::net::git_env(&mut git, net.dir.path());
    assert!(git.output().unwrap().status.success());
    let board = net.board("a");
    net.ok(&board, &["demo"]);
    let (report, code) = net.sync(&board, &["init", clone.to_str().unwrap()]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(net.synced(&board)["outcome"], "sent");
    assert!(clone.join("quarterdeck/2026-Q4.toml").is_file(), "the clone's working files are on the synced commit");
    assert!(!net.dir.path().join("a.sqlite3.sync").exists(), "no second clone is made");
    let b = net.joined("b");
    net.assert_same(&board, &b);
}

#[test]
fn sync_init_on_an_empty_bare_repository_points_its_head_at_the_branch_it_pushes() {
    let net = Net::new();
    // As plain `git init --bare` makes it: HEAD names master.
    net.git(&["symbolic-ref", "HEAD", "refs/heads/master"]);
    let a = net.demo_board("a");
    net.synced(&a);
    assert_eq!(net.git(&["symbolic-ref", "HEAD"]), "refs/heads/main");
    net.git(&["rev-parse", "--verify", "HEAD^{commit}"]);
}
