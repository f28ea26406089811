//! Findings of the outside review (issue #11; docs/reliability.md, "Findings of the
//! outside review") about actions, reproduced from the command line: each test's name
//! or comment holds the reproduction.

use crate::common;

use common::Env;

/// Finding 2, the reproduction: `connect --external-id "h1 "` stored the space, imports
/// trim it; after `remove --block` the next import linked `h1` back to the blocked
/// profile by email, and the prediction printed by `remove` ("creates a new profile")
/// was wrong.
#[test]
fn a_padded_external_id_from_connect_is_blocked_like_the_imported_one() {
    let r = Env::new();
    let ann = r.new_employee("Ann", Some("ann@x.io"));
    let id = ann.to_string();
    r.ok(&[
        "connect",
        &id,
        "--system",
        "hubspot",
        "--external-id",
        "h1 ",
        "--email",
        "ann@x.io",
    ]);
    assert_eq!(
        common::conn_keys(&r.show(&id)),
        [("hubspot".into(), "h1".into())]
    );
    // Every way of naming the account meets it, padded or not.
    assert_eq!(r.holder("hubspot", "h1"), ann);
    assert_eq!(r.show("hubspot: h1 ")["id"], ann);
    let removed = r.json(&[
        "remove",
        &id,
        "--system",
        "hubspot",
        "--external-id",
        " h1",
        "--block",
    ]);
    assert_eq!(
        removed["next_import"]["outcome"], "creates_profile",
        "{removed}"
    );
    let file = r.file("hubspot.csv", "external_id,email,name\nh1,ann@x.io,Ann H\n");
    let report = r.import(&file, "hubspot", &[]);
    assert_eq!(report["linked_by_email"], 0, "{report}");
    assert_eq!(report["created"], 1, "{report}");
    assert_ne!(r.holder("hubspot", "h1"), ann, "the block did not hold");
}

/// Finding 3, the reproduction: import (active), `deactivate`, `remove`, `undo`: the
/// connection came back without the system's `active` flag, so the next import of the
/// unchanged file saw the flag "change" to true and reactivated the profile.
#[test]
fn a_deactivation_stands_after_remove_undo_and_the_same_file_again() {
    let r = Env::new();
    let file = r.file(
        "hubspot.csv",
        "external_id,email,name,active\nh1,ann@x.io,Ann,true\n",
    );
    r.import(&file, "hubspot", &[]);
    let id = r.holder("hubspot", "h1").to_string();
    r.ok(&["deactivate", &id]);
    r.ok(&["remove", &id, "--system", "hubspot"]);
    r.ok(&["undo", "--yes"]);
    assert_eq!(r.show(&id)["managed_by"]["external_id"], "h1");
    let report = r.import(&file, "hubspot", &[]);
    assert_eq!(report["unchanged"], 1, "{report}");
    assert_eq!(r.show(&id)["status"], "deactivated");
}

/// Finding 4, the reproduction: Ann Hub (HubSpot manages her) merged into Ann Admin
/// (managed manually) handed Ann Admin to HubSpot, and the next HubSpot import
/// overwrote the name the admin had set. Now the kept profile stays manual, the preview
/// says so and how to hand it over, and the name survives the import.
#[test]
fn a_manual_name_survives_a_merge_and_the_next_import() {
    let r = Env::new();
    let file = r.file(
        "hubspot.csv",
        "external_id,email,name\nh1,ann@x.io,Ann Hub\n",
    );
    r.import(&file, "hubspot", &[]);
    let hub = r.holder("hubspot", "h1").to_string();
    let admin = r.new_employee("Ann Admin", Some("ann@corp.io")).to_string();

    let preview = r.json(&["merge", &admin, &hub]);
    assert_eq!(
        preview["result"]["managed_by"],
        serde_json::Value::Null,
        "{preview}"
    );
    let says = preview["management"].as_str().unwrap();
    assert!(says.contains("stays managed manually"), "{says}");
    assert!(
        says.contains(&format!("roster manage {admin} --system hubspot")),
        "{says}"
    );
    let human = r.ok(&["merge", &admin, &hub]);
    assert!(human.contains("stays managed manually"), "{human}");

    r.ok(&["merge", &admin, &hub, "--yes"]);
    assert_eq!(r.show(&admin)["managed_by"], serde_json::Value::Null);
    let renamed = r.file(
        "hubspot2.csv",
        "external_id,email,name\nh1,ann@x.io,Ann Renamed\n",
    );
    r.import(&renamed, "hubspot", &[]);
    assert_eq!(r.show(&admin)["name"], "Ann Admin");
    // Handing it over is the admin's explicit step.
    r.ok(&["manage", &admin, "--system", "hubspot"]);
    r.import(&renamed, "hubspot", &[]);
    assert_eq!(r.show(&admin)["name"], "Ann Renamed");
}

/// Finding 13, the reproduction: Ann's HubSpot account h1 removed with `--block`, the
/// next import gives it a profile of its own; merging that profile into Ann moved h1
/// back onto Ann and left the block stale. Refused (preview too), naming the block.
#[test]
fn a_merge_never_moves_an_account_onto_the_profile_it_is_blocked_from() {
    let r = Env::new();
    let ann = r.new_employee("Ann", Some("ann@x.io")).to_string();
    r.ok(&[
        "connect",
        &ann,
        "--system",
        "hubspot",
        "--external-id",
        "h1",
    ]);
    r.ok(&["remove", &ann, "--system", "hubspot", "--block"]);
    let file = r.file("hubspot.csv", "external_id,email,name\nh1,ann@x.io,Ann H\n");
    r.import(&file, "hubspot", &[]);
    let other = r.holder("hubspot", "h1").to_string();
    assert_ne!(other, ann);
    let before = r.dump();
    for args in [
        vec!["merge", &ann, &other],
        vec!["merge", &ann, &other, "--yes"],
    ] {
        let err = r.fails(&args, 2);
        assert!(
            err.contains(&format!(
                "HubSpot account h1 of Ann H (#{other}) is blocked from Ann (#{ann})"
            )),
            "{err}"
        );
        assert!(err.contains("by hand, which lifts the block"), "{err}");
        assert!(
            err.contains(&format!(
                "roster remove {other} --system hubspot --external-id h1"
            )),
            "{err}"
        );
    }
    assert_eq!(r.dump(), before, "something was written");
    // The ways the message names work: off the other profile, then by hand onto Ann.
    r.ok(&[
        "remove",
        &other,
        "--system",
        "hubspot",
        "--external-id",
        "h1",
    ]);
    r.ok(&[
        "connect",
        &ann,
        "--system",
        "hubspot",
        "--external-id",
        "h1",
    ]);
    r.ok(&["merge", &ann, &other, "--yes"]);
    assert_eq!(r.holder("hubspot", "h1").to_string(), ann);
}

/// Finding 6, the reproduction: a name with a line break (a quoted CSV cell), then the
/// same person linked by email from another system, and `roster check` failed: the
/// search text the import added to was out of step with the full recomputation.
#[test]
fn a_name_with_a_line_break_then_a_link_by_email_keeps_check_passing() {
    let r = Env::new();
    let a = r.file(
        "a.csv",
        "external_id,email,name\na1,ann@x.io,\"Ann\nZed\"\n",
    );
    r.import(&a, "alpha", &[]);
    let b = r.file("b.csv", "external_id,email,name\nb1,ANN@x.io,Ann B\n");
    let report = r.import(&b, "beta", &[]);
    assert_eq!(report["linked_by_email"], 1, "{report}");
    let check = r.json(&["check"]);
    assert_eq!(check["ok"], true, "{check}");
    // And the filter finds her by either line of the name and by the new account.
    for term in ["zed", "b1"] {
        let rows = r.json(&["list", "--filter", term]);
        assert_eq!(rows.as_array().unwrap().len(), 1, "{term}: {rows}");
    }
}

/// Finding 10, the reproduction: an import bringing `Kofi@…` written with the KELVIN
/// SIGN (U+212A) linked the account to kofi@'s profile: Unicode lower-casing folds it to
/// `k`. Only ASCII letters are folded now: it is another person's address.
#[test]
fn an_email_with_the_kelvin_sign_is_not_kofis_email() {
    let r = Env::new();
    let kofi = r.new_employee("Kofi", Some("kofi@x.io"));
    let file = r.file(
        "hubspot.csv",
        "external_id,email,name\nh1,\u{212a}ofi@x.io,Not Kofi\nh2,KOFI@X.IO,Kofi H\n",
    );
    let report = r.import(&file, "hubspot", &[]);
    assert_eq!(report["created"], 1, "{report}");
    assert_eq!(report["linked_by_email"], 1, "{report}");
    assert_ne!(r.holder("hubspot", "h1"), kofi);
    assert_eq!(r.holder("hubspot", "h2"), kofi);
    assert_eq!(r.json(&["check"])["ok"], true);
}

/// Finding 12, the reproduction: an action read the clock before it waited for the
/// write lock, so its audit entry and its rows carried a time from before the writer it
/// waited for had even finished (the log's ids and times disagreed). Now the time is
/// read inside the transaction: after the lock was released.
#[test]
fn an_action_that_waited_for_the_lock_is_timed_after_the_wait() {
    use std::io::{BufRead, BufReader};
    let r = Env::new();
    r.new_employee("First", None);
    let go = r.path("go");
    // A writer that holds the lock until the test lets it go.
    let mut holder = std::process::Command::new(env!("CARGO_BIN_EXE_roster"))
        .arg("--db")
        .arg(&r.db)
        .args(["new", "--name", "Holder"])
        .env_remove("ROSTER_WAIT")
        .env("ROSTER_DEBUG_PAUSE", "write-start:wait")
        .env("ROSTER_DEBUG_RESUME", &go)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = BufReader::new(holder.stderr.take().unwrap());
    let mut line = String::new();
    said.read_line(&mut line).unwrap();
    assert!(line.contains("paused at write-start"), "{line}");
    // On a terminal the waiting command says that it waits: proof it met the lock.
    let mut waiting = crate::pty::App::spawn(&r.db, 120, 10, &["new", "--name", "Waited"], &[]);
    waiting.wait_for("roster: waiting for another roster session");
    let released = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    std::fs::write(&go, "").unwrap();
    assert_eq!(waiting.wait_exit(), Some(0));
    assert!(holder.wait().unwrap().success());

    let log = r.json(&["log"]);
    let entries = log.as_array().unwrap();
    let waited = entries
        .iter()
        .find(|e| e["summary"].as_str().unwrap().contains("Waited"))
        .unwrap();
    let at = waited["at"].as_str().unwrap();
    assert!(
        at >= released.as_str(),
        "timed {at}, before the lock was released at {released}"
    );
    let id = waited["employees"][0].as_i64().unwrap().to_string();
    let shown = r.show(&id);
    assert!(
        shown["created_at"].as_str().unwrap() >= released.as_str(),
        "{shown}"
    );
    // Newest first: ids and times in the same order.
    for pair in entries.windows(2) {
        assert!(pair[0]["id"].as_i64() > pair[1]["id"].as_i64());
        assert!(pair[0]["at"].as_str() >= pair[1]["at"].as_str(), "{log}");
    }
}

/// Finding 15, the reproduction: `roster settings review manual` twice logged two
/// entries, the second changing nothing. Now the second says so and logs nothing.
#[test]
fn setting_review_to_what_it_is_changes_nothing_and_logs_nothing() {
    let r = Env::new();
    let out = r.ok(&["settings", "review", "auto"]);
    assert!(out.contains("already auto; nothing was changed"), "{out}");
    assert_eq!(r.json(&["log"]).as_array().unwrap().len(), 0);
    r.ok(&["settings", "review", "manual"]);
    let out = r.ok(&["settings", "review", "manual"]);
    assert!(out.contains("already manual; nothing was changed"), "{out}");
    let log = r.json(&["log"]);
    assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
    assert_eq!(log[0]["action"], "settings");
}

/// Finding 15, the reproduction: `roster check --fix` rewrote derived data without an
/// audit entry. Now what it changed is one entry (on the profiles it touched); a fix
/// that changes nothing writes none.
#[test]
fn check_fix_audits_what_it_changed_and_nothing_else() {
    let r = Env::new();
    let ann = r.new_employee("Ann", Some("ann@x.io")).to_string();
    r.new_employee("Bo", None);
    r.ok(&["check", "--fix"]);
    assert_eq!(
        r.json(&["log"]).as_array().unwrap().len(),
        2,
        "a no-op fix was logged"
    );
    let db = rusqlite::Connection::open(&r.db).unwrap();
    db.execute_batch(&format!(
        "UPDATE employees SET suppliers = 'nope' WHERE id = {ann};
         UPDATE tab_counts SET n = 99 WHERE tab = 'active';"
    ))
    .unwrap();
    drop(db);
    r.ok(&["check", "--fix"]);
    let log = r.json(&["log"]);
    assert_eq!(log.as_array().unwrap().len(), 3, "{log}");
    let entry = &log[0];
    assert_eq!(entry["action"], "check-fix", "{entry}");
    let summary = entry["summary"].as_str().unwrap();
    assert!(
        summary.contains("the suppliers column of 1 profile"),
        "{summary}"
    );
    assert!(summary.contains("the tab counts"), "{summary}");
    assert_eq!(
        entry["changes"]["repaired"]["suppliers"][0].to_string(),
        ann
    );
    // It shows in the history of the profile it touched.
    let history = r.json(&["log", &ann, "--limit", "1"]);
    assert_eq!(history[0]["action"], "check-fix", "{history}");
    r.ok(&["check", "--fix"]);
    assert_eq!(r.json(&["log"]).as_array().unwrap().len(), 3);
}
