//! Promises of the README that had no test of their own, through the real binary: a
//! block holds across merge, move, undo and repeated imports; a merge into a deactivated
//! profile is refused; the picture (and name) of a managed profile cannot be edited.

use crate::common;

use common::Env;
use serde_json::Value;

/// The HubSpot owner whose account is removed and blocked from Jane (#1).
const OWNER: &str = "41629779";

fn owners(env: &Env) -> std::path::PathBuf {
    env.file(
        "owners.csv",
        format!("external_id,email,name\n{OWNER},jane@acme.io,Jane H\n"),
    )
}

/// Who holds the HubSpot account now (none: it is not linked).
fn holder(env: &Env) -> Option<i64> {
    let run = env.run(&["show", &format!("hubspot:{OWNER}"), "--json"]);
    (run.code == 0).then(|| run.json()["id"].as_i64().unwrap())
}

fn has_block(env: &Env) -> bool {
    env.tables()
        .rows("blocks")
        .iter()
        .any(|b| b.contains(&format!("external_id=\"{OWNER}\"")) && b.ends_with("employee_id=1"))
}

/// The account is not on Jane, the block is there, and an import of it again does
/// not bring it back to her.
fn block_holds(env: &Env, file: &std::path::Path, when: &str) -> Value {
    assert!(has_block(env), "{when}: the block is gone");
    let r = env.import(file, "hubspot", &[]);
    assert_ne!(
        holder(env),
        Some(1),
        "{when}: the account is back on Jane: {r}"
    );
    for c in r["conflicts"].as_array().unwrap() {
        assert!(
            !c["candidates"]
                .as_array()
                .unwrap()
                .contains(&Value::from(1)),
            "{when}: Jane is a candidate: {r}"
        );
    }
    assert!(has_block(env), "{when}: the import lifted the block");
    r
}

#[test]
fn a_block_holds_across_imports_undo_move_and_merge() {
    let env = Env::new();
    let jane = env.new_employee("Jane", Some("jane@acme.io"));
    assert_eq!(jane, 1);
    let file = owners(&env);
    env.import(&file, "hubspot", &[]);
    assert_eq!(holder(&env), Some(1), "linked by email");
    env.ok(&["remove", "1", "--system", "hubspot", "--block"]);

    // Repeated imports: the first gives the account a profile of its own, the next
    // find it there by ID.
    let first = block_holds(&env, &file, "the first import after the block");
    assert_eq!(first["created"], 1, "{first}");
    let own = holder(&env).expect("a profile of its own");
    for n in 2..=3 {
        let again = block_holds(&env, &file, &format!("import {n}"));
        assert_eq!(again["unchanged"], 1, "{again}");
        assert_eq!(holder(&env), Some(own));
    }

    // Undo of a later action leaves the block; undoing the removal itself is refused,
    // since the account belongs to another profile now.
    env.ok(&["edit", "1", "--login", "on"]);
    env.ok(&["undo", "--yes"]);
    block_holds(&env, &file, "after an undo");

    // Move: Jane's Salesforce account leaves for a profile of its own, which has
    // Jane's email too.
    env.ok(&[
        "connect",
        "1",
        "--system",
        "salesforce",
        "--external-id",
        "0055000000AbCdEAAZ",
        "--email",
        "jane@acme.io",
    ]);
    env.ok(&[
        "connect",
        "1",
        "--system",
        "pipedrive",
        "--external-id",
        "7",
    ]);
    let moved = env.json(&["move", "1", "--system", "salesforce"])["new_employee"]["id"]
        .as_i64()
        .unwrap();
    block_holds(&env, &file, "after a move");
    assert_eq!(holder(&env), Some(own), "found by ID where it was");

    // The account taken off its profile: the next import weighs the profiles holding
    // the email, never Jane.
    env.ok(&["remove", &own.to_string(), "--system", "hubspot"]);
    let r = block_holds(&env, &file, "after the account was removed elsewhere");
    assert_eq!(
        r["conflicts"][0]["candidates"],
        serde_json::json!([own, moved]),
        "{r}"
    );
    assert_eq!(holder(&env), None);

    // Merge: folding the account's profile into Jane is refused, naming the block;
    // folding Jane into it keeps the account where it is.
    env.ok(&[
        "connect",
        &own.to_string(),
        "--system",
        "hubspot",
        "--external-id",
        OWNER,
    ]);
    let before = env.tables();
    let msg = env.fails(&["merge", "1", &own.to_string(), "--yes"], 2);
    assert!(msg.contains("is blocked from Jane (#1)"), "{msg}");
    before.assert_same(&env.tables(), "a refused merge");
    env.ok(&["merge", &moved.to_string(), "1", "--yes"]);
    let r = block_holds(&env, &file, "after Jane was merged into another profile");
    assert_eq!(r["matched"], 1, "found by ID: {r}");
    assert_eq!(holder(&env), Some(own));
}

#[test]
fn a_merge_into_a_deactivated_profile_is_refused() {
    let env = Env::new();
    let keep = env.new_employee("Keep", Some("k@acme.io")).to_string();
    let other = env.new_employee("Other", Some("o@acme.io")).to_string();
    env.ok(&[
        "connect",
        &other,
        "--system",
        "pipedrive",
        "--external-id",
        "9",
    ]);
    env.ok(&["deactivate", &keep]);
    let before = env.tables();
    for args in [
        vec!["merge", &keep, &other, "--yes"],
        vec!["merge", &keep, &other],
    ] {
        let msg = env.fails(&args, 2);
        assert!(
            msg.contains(
                "Keep (#1) is deactivated; activate it before merging another profile into it."
            ),
            "{args:?}: {msg}"
        );
    }
    before.assert_same(&env.tables(), "a refused merge into a deactivated profile");
    // Activated, it takes the merge.
    env.ok(&["activate", &keep]);
    env.ok(&["merge", &keep, &other, "--yes"]);
    assert_eq!(env.show("pipedrive:9")["id"], 1);
    assert_eq!(env.show(&other)["merged_into"], 1);
}

#[test]
fn the_picture_and_name_of_a_managed_profile_cannot_be_edited() {
    let env = Env::new();
    let file = env.file(
        "owners.csv",
        "external_id,email,name,picture_url\n52188230,lee@acme.io,Lee Park,https://p/lee.png\n",
    );
    env.import(&file, "hubspot", &[]);
    let lee = env.holder("hubspot", "52188230").to_string();
    let before = env.tables();
    for (args, locked) in [
        (
            vec!["--picture-url", "https://p/other.png"],
            "profile picture",
        ),
        (vec!["--picture-url", ""], "profile picture"),
        (vec!["--name", "Lee P."], "name"),
        (
            vec!["--name", "Lee P.", "--picture-url", "https://p/other.png"],
            "name and profile picture",
        ),
    ] {
        let mut all = vec!["edit", &lee];
        all.extend(args.iter().copied());
        let msg = env.fails(&all, 2);
        assert!(
            msg.contains(&format!(
                "The {locked} of Lee Park (#1) cannot be edited: the profile is managed by HubSpot"
            )) && msg.contains(&format!("roster unmanage {lee}")),
            "{args:?}: {msg}"
        );
    }
    before.assert_same(&env.tables(), "refused edits of a managed profile");
    // Email and login access stay editable.
    env.ok(&["edit", &lee, "--email", "lee.park@acme.io", "--login", "on"]);
    // Managed manually, the picture is the admin's; the next import leaves it.
    env.ok(&["unmanage", &lee]);
    env.ok(&["edit", &lee, "--picture-url", "https://p/mine.png"]);
    env.import(&file, "hubspot", &[]);
    assert_eq!(env.show(&lee)["picture_url"], "https://p/mine.png");
}
