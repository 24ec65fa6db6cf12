//! Item numbers mean the same item on every laptop after a sync.

use crate::net::Net;

#[test]
fn items_added_on_both_sides_with_one_number_the_remotes_keeps_it_and_the_other_is_renumbered() {
    let net = Net::new();
    let a = net.demo_board("a");
    net.synced(&a);
    let b = net.joined("b");
    let added = |board, title| -> String {
        let out: serde_json::Value = serde_json::from_str(&net.ok(board, &["add", "item", title, "--json"])).unwrap();
        out["ref"].as_str().map(str::to_owned).unwrap_or_else(|| panic!("{out}"))
    };
    let from_a = added(&a, "Export CSV from a");
    let from_b = added(&b, "Import CSV from b");
    assert_eq!(from_a, from_b, "both laptops gave the same number");
    net.synced(&a);
    let report = net.synced(&b);
    let renumbered = report["renumbered"][0].as_str().unwrap_or_else(|| panic!("{report}"));
    assert!(renumbered.starts_with(&format!("{from_b} 'Import CSV from b' is now #")), "{renumbered}");
    net.synced(&a);
    net.assert_same(&a, &b);
    assert_eq!(net.item(&b, &from_a)["title"], "Export CSV from a");
}
