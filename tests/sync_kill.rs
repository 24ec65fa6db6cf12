//! A sync killed anywhere (issue 19, docs/reliability.md): at each of
//! `sync::STEPS` by the engine's own hook (`QUARTERDECK_SYNC_KILL_AT`, a
//! SIGKILL), and from outside at moments spread over a sync, with changes
//! waiting on both sides. Afterwards the board passes `integrity_check`,
//! holds either its state before the sync or the merged state (never
//! half), the clone passes `git fsck`, the remote's history was never
//! rewritten, undo and redo still work, and the next sync completes with
//! both boards equal and every change there.

#![allow(clippy::unwrap_used)]

#[allow(dead_code)] // the helpers the other sync suites use too
#[path = "sync/net.rs"]
mod net;

use std::{
    os::unix::process::ExitStatusExt,
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use net::{Net, TODAY, git_env};

/// `PRAGMA integrity_check` on the board file, read-only.
fn assert_intact(board: &Path, when: &str) {
    let db = rusqlite::Connection::open_with_flags(board, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let said: String = db.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
    assert_eq!(said, "ok", "{when}: the board is damaged");
}

/// `git fsck` in the board's clone: unreferenced objects are allowed, a
/// missing or broken one is not.
fn assert_clone_sound(net: &Net, board: &Path, when: &str) {
    let clone = format!("{}.sync", board.display());
    let mut git = Command::new("git");
    git.args(["-C", &clone, "fsck", "--full"]);
    git_env(&mut git, net.dir.path());
    let output = git.output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{when}: git fsck failed in the clone: {said}");
    assert!(!said.contains("missing") && !said.contains("broken") && !said.contains("error"), "{when}: {said}");
}

/// Every tip the remote had is an ancestor of the next: nothing rewritten.
struct Tips(Vec<String>);

impl Tips {
    fn see(&mut self, net: &Net, when: &str) {
        let tip = net.git(&["rev-parse", "main"]);
        if let Some(last) = self.0.last() {
            let mut git = Command::new("git");
            git.arg("-C").arg(&net.remote).args(["merge-base", "--is-ancestor", last, &tip]);
            git_env(&mut git, net.dir.path());
            assert!(git.status().unwrap().success(), "{when}: the remote's history was rewritten: {last} is not in {tip}");
        }
        self.0.push(tip);
    }
}

/// Undo then redo on the board: both work and redo gives the board back.
fn assert_undo_works(net: &Net, board: &Path, when: &str) {
    let before = net.export(board);
    net.ok(board, &["undo", "--yes"]);
    net.ok(board, &["redo", "--yes"]);
    assert!(net.export(board) == before, "{when}: undo then redo did not give the board back");
}

/// Changes on both sides: b's sent, a's waiting; `n` makes them new.
fn changes_on_both_sides(net: &Net, a: &Path, b: &Path, n: usize) {
    net.ok(b, &["edit", "#7", "--title", &format!("Title from b {n}")]);
    net.ok(b, &["add", "item", &format!("Added on b {n}")]);
    net.synced(b);
    net.ok(a, &["edit", "#8", "--points", &(n % 13 + 1).to_string()]);
    net.ok(a, &["add", "item", &format!("Added on a {n}")]);
    net.ok(a, &["checkin", "KR1.1", &(n + 3).to_string(), "--note", &format!("check-in on a {n}")]);
}

/// After a killed sync of `a`: sound, before-or-merged, then completes.
fn after_the_kill(net: &Net, a: &Path, b: &Path, n: usize, before: &str, tips: &mut Tips, when: &str) {
    assert_intact(a, when);
    assert_clone_sound(net, a, when);
    tips.see(net, when);
    let killed = net.export(a);
    assert_undo_works(net, a, when);
    let report = net.synced(a);
    assert!(["merged", "sent", "received", "up_to_date"].contains(&report["outcome"].as_str().unwrap()), "{when}: {report}");
    let merged = net.export(a);
    assert!(killed == before || killed == merged, "{when}: the killed sync left the board half way");
    tips.see(net, when);
    net.synced(b);
    net.assert_same(a, b);
    assert_intact(a, when);
    assert_clone_sound(net, a, when);
    let exported = net.export(b);
    for wanted in
        [format!("Added on a {n}"), format!("Added on b {n}"), format!("check-in on a {n}"), format!("Title from b {n}")]
    {
        assert!(exported.contains(&wanted), "{when}: {wanted:?} is lost");
    }
    let points = net.item(b, "#8")["points"].as_u64();
    assert_eq!(points, Some((n % 13 + 1) as u64), "{when}: a's points of #8 are lost");
}

#[test]
fn a_sync_killed_at_each_step_leaves_the_board_whole_and_git_sound_and_the_next_one_completes() {
    let (net, a, b) = Net::two_laptops();
    let mut tips = Tips(vec![]);
    tips.see(&net, "start");
    for (n, step) in quarterdeck::sync::STEPS.iter().enumerate() {
        changes_on_both_sides(&net, &a, &b, n);
        let before = net.export(&a);
        let output = net.run_with(&a, &["sync", "--json"], &[("QUARTERDECK_SYNC_KILL_AT", step)]);
        assert_eq!(output.status.signal(), Some(9), "step {step}: not killed: {}", String::from_utf8_lossy(&output.stdout));
        after_the_kill(&net, &a, &b, n, &before, &mut tips, &format!("killed at {step}"));
    }
}

/// A sync killed from outside (SIGKILL) after `delay`, as a power cut
/// would; whether it had finished is fine too: true when it was killed.
fn kill_after(net: &Net, board: &Path, delay: Duration) -> bool {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quarterdeck"));
    command.arg("--db").arg(board).args(["--today", TODAY, "sync", "--json"]);
    git_env(&mut command, net.dir.path());
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    std::thread::sleep(delay);
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill();
    child.wait().unwrap();
    !finished
}

#[test]
fn a_sync_killed_from_outside_at_moments_spread_over_it_loses_nothing() {
    let (net, a, b) = Net::two_laptops();
    let mut tips = Tips(vec![]);
    tips.see(&net, "start");
    // How long a merging sync takes here: the kills are spread over it.
    changes_on_both_sides(&net, &a, &b, 100);
    let started = Instant::now();
    net.synced(&a);
    let took = started.elapsed();
    net.synced(&b);
    let moments: u32 = std::env::var("SYNC_KILL_MOMENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(6);
    let mut killed = 0;
    for k in 0..moments {
        let n = 200 + k as usize;
        changes_on_both_sides(&net, &a, &b, n);
        let before = net.export(&a);
        let delay = took.mul_f64(f64::from(k) / f64::from(moments.max(1)) * 1.1);
        killed += usize::from(kill_after(&net, &a, delay));
        after_the_kill(&net, &a, &b, n, &before, &mut tips, &format!("killed after {delay:?} of {took:?}"));
    }
    eprintln!("{killed} of {moments} syncs killed before they ended (a merging sync took {took:?})");
    assert!(killed * 2 >= moments as usize, "most kills should land inside a sync: {killed} of {moments}");
}
