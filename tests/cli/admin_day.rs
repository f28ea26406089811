//! The command line for an admin's day (README "The command line"): targets already in
//! the asked state, the log's own filters, the supplier check, undo that says whose
//! action it takes back, and blocks one can see and lift.

use crate::common;

use common::Env;

/// `roster --actor bob ARGS`, which must succeed.
fn bob(r: &Env, args: &[&str]) -> String {
    let mut c = r.bare();
    c.args(["--actor", "bob"]);
    Env::succeeds(&mut c, args)
}

/// Lena (#1) with a HubSpot account removed and blocked, and a Salesforce account.
fn lena(r: &Env) {
    r.ok(&["new", "--name", "Lena Berg", "--email", "lena@x.io"]);
    r.ok(&[
        "connect",
        "1",
        "--system",
        "hubspot",
        "--external-id",
        "77",
        "--email",
        "lena@x.io",
    ]);
    r.ok(&[
        "connect",
        "1",
        "--system",
        "salesforce",
        "--external-id",
        "S1",
    ]);
    r.ok(&["remove", "1", "--system", "hubspot", "--block"]);
}

#[test]
fn a_target_already_as_asked_exits_0_and_says_so() {
    let r = Env::new();
    lena(&r);
    for (args, needle) in [
        (vec!["activate", "1"], "is already active"),
        (
            vec!["edit", "1", "--name", "Lena Berg"],
            "already has these values",
        ),
        (vec!["unmanage", "1"], "already managed manually"),
    ] {
        let out = r.ok(&args);
        assert!(
            out.starts_with("Nothing to change:") && out.contains(needle),
            "roster {args:?}: {out}"
        );
    }
    let j = r.json(&["activate", "1"]);
    assert_eq!(j["changed"], false, "{j}");
    assert_eq!(j["audit_id"], serde_json::Value::Null);
    assert_eq!(r.json(&["deactivate", "1"])["changed"], true);
    let discard = r.ok(&["discard", "1"]);
    assert!(discard.contains("already deactivated"), "{discard}");
    // Nothing was audited by the three that changed nothing.
    let log = r.json(&["log"]);
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["deactivate", "remove-block", "connect", "connect", "new"]
    );
}

#[test]
fn log_filters_by_who_acted_action_and_time_with_old_and_new() {
    let r = Env::new();
    lena(&r);
    bob(&r, &["edit", "1", "--name", "Lena Borg"]);
    r.ok(&["edit", "1", "--login", "on"]);
    let by_bob = r.json(&["log", "--by", "bob"]);
    let by_bob = by_bob.as_array().unwrap();
    assert_eq!(by_bob.len(), 1, "{by_bob:?}");
    assert_eq!(
        by_bob[0]["fields"],
        serde_json::json!([{"employee": 1, "field": "name", "old": "Lena Berg", "new": "Lena Borg"}])
    );
    let text = r.ok(&["log", "--by", "bob"]);
    assert!(
        text.contains("name: Lena Berg \u{2192} Lena Borg"),
        "{text}"
    );
    assert!(!text.contains("login access"), "{text}");
    // --by is not the global --actor: the global one names who acts, not whom to show.
    let everyone: serde_json::Value = serde_json::from_str(&bob(&r, &["log", "--json"])).unwrap();
    assert_eq!(everyone.as_array().unwrap().len(), 6);
    let edits = r.json(&["log", "--action", "edit"]);
    assert_eq!(edits.as_array().unwrap().len(), 2);
    let future = r.json(&["log", "--since", "2999-01-01"]);
    assert!(future.as_array().unwrap().is_empty());
    assert_eq!(
        r.json(&["log", "--since", "1h"]).as_array().unwrap().len(),
        6
    );
    let typo = r.fails(&["log", "--action", "edti"], 2);
    assert!(
        typo.contains("The actions are:") && typo.contains("edit,"),
        "{typo}"
    );
    let bad = r.fails(&["log", "--since", "yesterday"], 2);
    assert!(bad.contains("--since yesterday"), "{bad}");
}

#[test]
fn a_supplier_filter_naming_no_system_is_an_error_naming_the_close_one() {
    let r = Env::new();
    lena(&r);
    let msg = r.fails(&["list", "--supplier", "hubspto"], 2);
    assert!(msg.contains("Did you mean hubspot?"), "{msg}");
    assert!(msg.contains("salesforce"), "{msg}");
    // A known system nobody is connected to lists nothing, without an error.
    assert_eq!(
        r.json(&["list", "--supplier", "okta"]),
        serde_json::json!([])
    );
    assert_eq!(
        r.json(&["list", "--supplier", "Salesforce"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn merge_help_explains_keep_other_and_yes() {
    let r = Env::new();
    let help = r.ok(&["merge", "--help"]);
    for needle in [
        "The profile that stays",
        "folded into KEEP",
        "Without it, roster prints the side-by-side preview",
    ] {
        assert!(help.contains(needle), "{needle}: {help}");
    }
}

#[test]
fn undo_says_what_and_whose_and_takes_back_another_admins_only_by_id() {
    let r = Env::new();
    lena(&r);
    r.ok(&["edit", "1", "--name", "Lena Borg"]);
    bob(&r, &["edit", "1", "--email", "l2@x.io"]);
    // Without a terminal and without --yes: nothing is undone, and it says what it was.
    let asked = r.fails(&["undo"], 2);
    assert!(
        asked.contains("Nothing was undone") && asked.contains("Edited the email"),
        "{asked}"
    );
    // --yes takes back only one's own: bob's newer edit is named, not undone.
    let refused = r.fails(&["undo", "--yes"], 2);
    assert!(
        refused.contains("bob)'s, not yours") && refused.contains("roster undo --id 6 --yes"),
        "{refused}"
    );
    assert_eq!(r.show("1")["email"], "l2@x.io");
    // An older entry by id, when nothing since depends on it: the block (#4).
    let out = r.ok(&["undo", "--id", "4", "--yes"]);
    assert!(
        out.contains("Undid: Removed HubSpot account 77") && out.contains("entry #4"),
        "{out}"
    );
    assert_eq!(r.show("1")["blocks"], serde_json::json!([]));
    // An entry whose rows changed since is refused: the name edit (#5) under bob's email.
    let stale = r.fails(&["undo", "--id", "5", "--yes"], 1);
    assert!(stale.contains("Cannot undo"), "{stale}");
    let again = r.fails(&["undo", "--id", "4", "--yes"], 2);
    assert!(again.contains("was undone already"), "{again}");
    let j: serde_json::Value =
        serde_json::from_str(&bob(&r, &["undo", "--yes", "--json"])).unwrap();
    assert_eq!(j["undone"]["id"], 6, "{j}");
    assert_eq!(r.show("1")["email"], "lena@x.io");
}

#[test]
fn blocks_are_shown_and_lifted_and_the_lift_is_undoable() {
    let r = Env::new();
    lena(&r);
    let shown = r.show("1");
    let blocks = shown["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 1, "{shown}");
    assert_eq!(blocks[0]["system"], "hubspot");
    assert_eq!(blocks[0]["external_id"], "77");
    assert_eq!(blocks[0]["email"], "lena@x.io");
    assert_eq!(blocks[0]["audit_id"], 4);
    assert!(blocks[0]["by"].is_string() && blocks[0]["at"].is_string());
    let text = r.ok(&["show", "1"]);
    assert!(
        text.contains("Blocked: imports never link") && text.contains("roster unblock 1"),
        "{text}"
    );
    let out = r.ok(&["unblock", "1", "--system", "hubspot"]);
    assert!(
        out.contains("Lifted the block on the HubSpot account 77"),
        "{out}"
    );
    assert_eq!(r.show("1")["blocks"], serde_json::json!([]));
    let again = r.ok(&["unblock", "1", "--system", "hubspot", "--external-id", "77"]);
    assert!(again.starts_with("Nothing to change"), "{again}");
    // The next import links the account by email again; undo puts the block back.
    r.ok(&["undo", "--yes"]);
    assert_eq!(r.show("1")["blocks"][0]["external_id"], "77");
    let csv = r.file("h.csv", "external_id,email,name\n77,lena@x.io,Lena\n");
    r.import(&csv, "hubspot", &[]);
    assert_eq!(
        r.holder("hubspot", "77"),
        2,
        "the block held: a new profile"
    );
}

#[test]
fn a_new_profile_with_an_email_another_holds_names_it() {
    let r = Env::new();
    lena(&r);
    let out = r.ok(&["new", "--name", "Lena Two", "--email", "LENA@x.io"]);
    assert!(
        out.contains("Note: Lena Berg (#1) holds this email too"),
        "{out}"
    );
    let quiet = r.ok(&["new", "--name", "Other", "--email", "other@x.io"]);
    assert!(!quiet.contains("Note:"), "{quiet}");
}

#[test]
fn status_commands_take_several_employees_and_stdin() {
    let r = Env::new();
    for name in ["A", "B", "C"] {
        r.ok(&["new", "--name", name]);
    }
    // A bad selector changes nothing.
    let bad = r.fails(&["deactivate", "1", "99"], 2);
    assert!(bad.contains("99"), "{bad}");
    assert_eq!(r.show("1")["status"], "active");
    let out = r.ok(&["deactivate", "1", "2"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    // From stdin, with one already as asked.
    let mut c = r.cmd();
    c.args(["activate", "-", "--json"]).write_stdin("1\n2 3\n");
    let v: serde_json::Value = serde_json::from_str(&Env::succeeds(&mut c, &[])).unwrap();
    let changed: Vec<bool> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["changed"].as_bool().unwrap())
        .collect();
    assert_eq!(changed, [true, true, false]);
    assert_eq!(r.show("2")["status"], "active");
    // Each its own entry.
    let log = r.json(&["log", "--action", "activate"]);
    assert_eq!(log.as_array().unwrap().len(), 2);
}
