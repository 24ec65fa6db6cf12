//! Item numbers mean the same item on every laptop after a sync.

use std::path::Path;

use crate::net::Net;

/// Adds an item to `board` from the command line; its `#N`.
fn added_item(net: &Net, board: &Path, title: &str) -> String {
    let out: serde_json::Value = serde_json::from_str(&net.ok(board, &["add", "item", title, "--json"])).unwrap();
    out["ref"].as_str().map(str::to_owned).unwrap_or_else(|| panic!("{out}"))
}

#[test]
fn items_added_on_both_sides_with_one_number_the_remotes_keeps_it_and_the_other_is_renumbered() {
    let (net, a, b) = Net::two_laptops();
    let added = |board, title| added_item(&net, board, title);
    let from_a = added(&a, "Export CSV from a");
    let from_b = added(&b, "Import CSV from b");
    assert_eq!(from_a, from_b, "both laptops gave the same number");
    net.synced(&a);
    let report = net.synced(&b);
    let renumbered = report["renumbered"][0].as_str().unwrap_or_else(|| panic!("{report}"));
    assert!(renumbered.starts_with(&format!("{from_b} 'Import CSV from b' (added on this laptop) is now #")), "{renumbered}");
    let received = report["received"].to_string();
    assert!(!received.contains(&format!("\"{from_b} is now")), "the renumbering read as the remote's item moving: {received}");
    net.synced(&a);
    net.assert_same(&a, &b);
    assert_eq!(net.item(&b, &from_a)["title"], "Export CSV from a");
}

/// Every KR's code, by its stable id.
fn kr_codes(net: &Net, board: &Path) -> std::collections::BTreeMap<String, String> {
    let krs: serde_json::Value = serde_json::from_str(&net.ok(board, &["list", "krs", "--json"])).unwrap();
    krs.as_array()
        .unwrap()
        .iter()
        .map(|kr| (kr["id"].as_str().unwrap().to_owned(), kr["ref"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn kr_codes_said_before_a_sync_mean_the_same_kr_after_it_when_both_laptops_add_krs() {
    let (net, a, b) = Net::two_laptops();
    let before = kr_codes(&net, &a);
    assert_eq!(before, kr_codes(&net, &b));
    net.ok(&a, &["add", "kr", "O1", "Refunds within a day", "--unit", "%", "--start", "40", "--target", "90"]);
    net.ok(&b, &["add", "kr", "O1", "Saved cards used", "--unit", "%", "--start", "10", "--target", "30"]);
    net.ok(&b, &["add", "kr", "O2", "Guides read", "--unit", "guides", "--start", "0", "--target", "5"]);
    net.synced(&a);
    net.synced(&b);
    net.synced(&a);
    net.assert_same(&a, &b);
    for board in [&a, &b] {
        let after = kr_codes(&net, board);
        for (id, code) in &before {
            assert_eq!(after.get(id), Some(code), "a KR the team knew as {code} changed its code");
        }
        assert_eq!(after.len(), before.len() + 3, "{after:?}");
    }
}

#[test]
fn an_undo_after_a_sync_renumbers_nothing_and_the_next_sync_sends_its_other_changes() {
    let (net, a, b) = Net::two_laptops();
    let added = |board, title| added_item(&net, board, title);
    let from_a = added(&a, "Alice item X");
    added(&b, "Bob item Y");
    net.synced(&a);
    let merge = net.synced(&b);
    let renumbered = merge["renumbered"][0].as_str().unwrap_or_else(|| panic!("{merge}"));
    let bobs = renumbered.rsplit(' ').next().unwrap().trim_end_matches('*').to_owned();
    net.synced(&a);
    // b takes back the sync's import: Alice's item goes, Bob's would
    // fall back to the number the remote gave to Alice's.
    net.ok(&b, &["undo", "--yes"]);
    let report = net.synced(&b);
    assert_eq!(report["outcome"], "sent", "{report}");
    let sent = report["sent"].to_string();
    assert!(!sent.contains("is now"), "an undo renumbered an item the remote had fixed: {sent}");
    assert!(sent.contains("removed") && sent.contains("Alice item X"), "the undo's delete is sent: {sent}");
    assert_eq!(report["renumbered"], serde_json::json!([]), "{report}");
    net.synced(&a);
    net.assert_same(&a, &b);
    for board in [&a, &b] {
        assert_eq!(net.item(board, &bobs)["title"], "Bob item Y");
        assert!(!net.run(board, &["show", &from_a, "--json"]).status.success(), "{from_a} was deleted by the undo");
    }
}

#[test]
fn a_kr_code_a_merge_shifts_is_named_and_its_items_read_as_no_re_tag() {
    let (net, a, b) = Net::two_laptops();
    net.ok(&a, &["add", "kr", "O3", "Alice KR: p99 latency", "--unit", "ms", "--start", "900", "--target", "400"]);
    net.ok(&b, &["add", "kr", "O3", "Bob KR: support NPS", "--unit", "pts", "--start", "20", "--target", "40"]);
    let code = |board| kr_codes(&net, board).into_values().filter(|code| code.starts_with("KR3.")).max().unwrap();
    let bobs = code(&b);
    net.ok(&a, &["add", "item", "Alice item X", "--points", "1", "--kr", &bobs]);
    net.ok(&b, &["add", "item", "Bob item Y", "--points", "2", "--kr", &bobs]);
    net.synced(&a);
    let report = net.synced(&b);
    let renumbered: Vec<&str> = report["renumbered"].as_array().unwrap().iter().filter_map(|line| line.as_str()).collect();
    let now = code(&b);
    assert_ne!(bobs, now, "the remote kept its code");
    assert!(
        renumbered.contains(&format!("{bobs} 'Bob KR: support NPS' is now {now}").as_str()),
        "the shifted KR is named: {renumbered:?}"
    );
    assert!(renumbered.iter().any(|line| line.contains("'Bob item Y' (added on this laptop) is now #")), "{renumbered:?}");
    let received = report["received"].to_string();
    assert!(!received.contains("tagged"), "a code shift read as a re-tag: {received}");
}

/// Trial 19b, N4: a KR deleted on one laptop moves the codes of the KRs
/// after it on every laptop; the laptop that receives the deletion is told
/// which codes moved, not only that one KR went.
#[test]
fn a_kr_deleted_on_the_other_laptop_names_the_codes_it_moved_here() {
    use quarterdeck::{ops, store::Store};
    let (net, a, b) = Net::two_laptops();
    let before = kr_codes(&net, &a);
    let (first, second, third) = ("KR1.1", "KR1.2", "KR1.3");
    let id_of = |code: &str| before.iter().find(|(_, shown)| shown.as_str() == code).map(|(id, _)| id.clone()).unwrap();
    let (second_id, third_id) = (id_of(second), id_of(third));
    {
        // What the board's `d` on a KR runs, on laptop b.
        let mut store = Store::open(&b).unwrap();
        let found = store.resolve(first, None).unwrap();
        let today = chrono::NaiveDate::parse_from_str(crate::net::TODAY, "%Y-%m-%d").unwrap();
        ops::apply(&mut store, &ops::Command::Delete { object: found.object }, today).unwrap();
    }
    net.synced(&b);
    let report = net.synced(&a);
    assert_eq!(report["outcome"], "received", "{report}");
    let moved: Vec<&str> = report["renumbered"].as_array().unwrap().iter().filter_map(serde_json::Value::as_str).collect();
    assert!(moved.iter().any(|line| line.starts_with(second) && line.ends_with(&format!("is now {first}"))), "{report}");
    assert!(moved.iter().any(|line| line.starts_with(third) && line.ends_with(&format!("is now {second}"))), "{report}");
    let after = kr_codes(&net, &a);
    assert_eq!((after[&second_id].as_str(), after[&third_id].as_str()), (first, second));
}
