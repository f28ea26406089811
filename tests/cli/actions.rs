//! Every action (docs/model.md) through the real binary: JSON shapes, exit codes, messages.

use crate::common;

use common::Env;
use serde_json::Value;

fn conn<'a>(emp: &'a Value, system: &str) -> &'a Value {
    emp["connections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["system"] == system)
        .unwrap_or_else(|| panic!("no {system} connection in {emp}"))
}

#[test]
fn the_readme_session() {
    let r = Env::new();
    let jane = r.json(&[
        "new",
        "--name",
        "Jane Doe",
        "--email",
        "jane@example.com",
        "--login",
        "on",
    ]);
    let id = jane["id"].as_i64().unwrap().to_string();
    assert_eq!(jane["login_access"], true);
    assert_eq!(jane["status"], "active");
    assert_eq!(jane["tracked"], false);

    r.ok(&[
        "connect",
        &id,
        "--system",
        "salesforce",
        "--external-id",
        "0055g00000AbCdE",
        "--email",
        "jane@example.com",
    ]);
    r.ok(&[
        "connect",
        "jane@example.com",
        "--system",
        "hubspot",
        "--external-id",
        "4711",
        "--email",
        "jane.doe@hubmail.io",
        "--name",
        "Jane D.",
    ]);
    let shown = r.json(&["show", &id]);
    assert_eq!(
        shown["suppliers"],
        serde_json::json!(["hubspot", "salesforce"])
    );
    assert_eq!(shown["tracked"], true);
    assert_eq!(conn(&shown, "hubspot")["origin"], "manual");

    let managed = r.json(&["manage", &id, "--system", "hubspot"]);
    assert_eq!(
        managed["employee"]["managed_by"],
        serde_json::json!({"system": "hubspot", "external_id": "4711"})
    );

    let refused = r.fails(&["edit", &id, "--name", "Janet"], 2);
    assert!(refused.contains("managed by HubSpot"), "{refused}");
    assert!(refused.contains("roster unmanage"), "{refused}");
    // Email stays editable while managed.
    r.ok(&["edit", &id, "--email", "jane@example.org"]);

    let moved = r.json(&["move", &id, "--system", "hubspot"]);
    let new = &moved["new_employee"];
    assert_eq!(new["login_access"], false);
    assert_eq!(new["name"], "Jane D.");
    assert_eq!(new["email"], "jane.doe@hubmail.io");
    assert_eq!(
        new["managed_by"],
        serde_json::json!({"system": "hubspot", "external_id": "4711"})
    );
    assert_eq!(conn(new, "hubspot")["origin"], "moved");
    assert_eq!(moved["employee"]["managed_by"], Value::Null);
    assert_eq!(
        moved["employee"]["suppliers"],
        serde_json::json!(["salesforce"])
    );
    let new_id = new["id"].as_i64().unwrap().to_string();

    let removed = r.ok(&["remove", &id, "--system", "salesforce"]);
    assert!(
        removed.contains("Removed Salesforce account"),
        "{}",
        removed
    );
    assert!(
        r.json(&["show", &id])["connections"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let undone = r.json(&["undo", "--yes"]);
    assert!(
        undone["summary"]
            .as_str()
            .unwrap()
            .starts_with("Undid: Removed Salesforce"),
        "{undone}"
    );
    assert_eq!(
        r.json(&["show", &id])["suppliers"],
        serde_json::json!(["salesforce"])
    );

    // Merge: preview first, nothing changes; then --yes.
    let before = r.tables();
    let preview = r.ok(&["merge", &id, &new_id]);
    assert!(preview.contains("Merge preview"), "{}", preview);
    assert!(preview.contains("Nothing was changed"), "{}", preview);
    before.assert_same(&r.tables(), "the merge preview");
    let merged = r.json(&["merge", &id, &new_id, "--yes"]);
    assert_eq!(
        merged["employee"]["suppliers"],
        serde_json::json!(["hubspot", "salesforce"])
    );
    // The kept profile had no manager since the move: it stays managed manually (the
    // accounts that move in never take over; finding 4 of issue #11).
    assert_eq!(merged["employee"]["managed_by"], Value::Null);
    let folded = r.json(&["show", &new_id]);
    assert_eq!(folded["status"], "deactivated");
    assert_eq!(folded["merged_into"], jane["id"]);

    let log = r.json(&["log"]);
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "merge", "undo", "remove", "move", "edit", "manage", "connect", "connect", "new"
        ]
    );
    // The harness acts as "tester"; the OS user is recorded beside it.
    let os_user = log[0]["os_user"].as_str().unwrap().to_owned();
    assert!(!os_user.is_empty());
    assert_ne!(os_user, "tester");
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor"] == "tester" && e["os_user"] == os_user.as_str())
    );
    // Each entry keeps the rows before and after.
    let move_entry = &log[3];
    assert!(move_entry["changes"]["ops"].as_array().unwrap().len() >= 2);
    assert!(move_entry["employees"].as_array().unwrap().len() == 2);
}

#[test]
fn actor_is_recorded_beside_the_os_user() {
    let r = Env::new();
    // Without --actor, the actor is the OS user (the harness's cmd() acts as "tester",
    // so these runs build their own command).
    let bare = |args: &[&str]| Env::succeeds(&mut r.bare(), args);
    bare(&["new", "--name", "Z"]);
    let log = r.json(&["log"]);
    assert_eq!(log[0]["actor"], log[0]["os_user"]);
    bare(&["--actor", "ops-bot", "new", "--name", "A"]);
    let log = r.json(&["log"]);
    assert_eq!(log[0]["actor"], "ops-bot");
    assert_ne!(log[0]["os_user"], "ops-bot");
    assert!(log[0]["os_user"].as_str().is_some_and(|u| !u.is_empty()));
    // The SSH client address is kept when there is one.
    r.run_with(&["new", "--name", "B"], |c| {
        c.env("SSH_CLIENT", "203.0.113.9 52144 22");
    });
    let log = r.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["ssh_client"], "203.0.113.9");
    assert_eq!(log.as_array().unwrap().len(), 1);
}

#[test]
fn errors_are_one_clear_line_with_the_right_exit_code() {
    let r = Env::new();
    let a = r.new_employee("Ann One", Some("shared@example.com"));
    let b = r.new_employee("Ann Two", Some("Shared@Example.com"));
    r.ok(&[
        "connect",
        &a.to_string(),
        "--system",
        "salesforce",
        "--external-id",
        "X1",
    ]);

    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (vec!["show", "999999"], 2, "There is no employee #999999."),
        (
            vec!["show", "shared@example.com"],
            2,
            "belongs to 2 employees",
        ),
        (
            vec!["show", "nobody@example.com"],
            2,
            "No employee has the email",
        ),
        (
            vec!["show", "hubspot:404"],
            2,
            "No employee holds the HubSpot account 404",
        ),
        (vec!["show", "what?"], 2, "does not name an employee"),
        (
            vec!["frobnicate"],
            2,
            "unrecognized subcommand 'frobnicate'",
        ),
        (vec!["list", "--tab", "nope"], 2, "invalid value 'nope'"),
        (vec!["edit", "1"], 2, "Nothing to edit"),
        (
            vec!["edit", "1", "--email", "not-an-email"],
            2,
            "is not an email address",
        ),
        (vec!["new", "--name", "  "], 2, "name cannot be empty"),
        (
            vec!["connect", "1", "--system", "Bad Key", "--external-id", "1"],
            2,
            "not a valid system key",
        ),
        (
            vec!["move", "1", "--system", "salesforce"],
            2,
            "holds only this connection",
        ),
        (
            vec!["remove", "1", "--system", "hubspot"],
            2,
            "has no HubSpot connection",
        ),
        (
            vec!["discard", "1"],
            2,
            "only pending profiles can be discarded",
        ),
        (
            vec!["merge", "1", "1", "--yes"],
            2,
            "cannot be merged into itself",
        ),
    ];
    for (args, code, needle) in cases {
        let msg = r.fails(&args, code);
        assert!(msg.contains(needle), "roster {args:?}: {msg}");
        assert_eq!(msg.trim_end().lines().count(), 1, "roster {args:?}: {msg}");
    }

    let taken = r.fails(
        &[
            "connect",
            &b.to_string(),
            "--system",
            "salesforce",
            "--external-id",
            "X1",
        ],
        2,
    );
    assert!(
        taken.contains("Salesforce account X1 already belongs to Ann One (#1)"),
        "{taken}"
    );
    // The ambiguous email lists the candidates by name and id.
    let amb = r.fails(&["show", "shared@example.com"], 2);
    assert!(
        amb.contains("Ann One (#1)") && amb.contains("Ann Two (#2)"),
        "{amb}"
    );
    // Nothing to undo is refused as a sentence too; but here there are actions to undo.
    assert_eq!(r.run(&["undo", "--yes"]).code, 0);
}

#[test]
fn nothing_to_undo() {
    let r = Env::new();
    let msg = r.fails(&["undo", "--yes"], 2);
    assert!(msg.contains("nothing to undo"), "{msg}");
}

#[test]
fn system_external_id_selector_and_two_accounts_of_one_system() {
    let r = Env::new();
    let id = r.new_employee("Sam", None).to_string();
    r.ok(&["connect", &id, "--system", "hubspot", "--external-id", "1"]);
    r.ok(&["connect", &id, "--system", "hubspot", "--external-id", "2"]);
    assert_eq!(r.json(&["show", "hubspot:2"])["id"].as_i64(), Some(1));
    let msg = r.fails(&["manage", &id, "--system", "hubspot"], 2);
    assert!(msg.contains("holds 2 HubSpot connections (1, 2)"), "{msg}");
    assert!(msg.contains("--external-id"), "{msg}");
    let m = r.json(&["manage", &id, "--system", "hubspot", "--external-id", "2"]);
    assert_eq!(m["employee"]["managed_by"]["external_id"], "2");
    // Move is offered with two connections, even of the same system.
    let moved = r.json(&["move", &id, "--system", "hubspot", "--external-id", "2"]);
    assert_eq!(
        moved["new_employee"]["name"], "2",
        "no name or email: the external ID"
    );
    assert_eq!(moved["employee"]["managed_by"], Value::Null);
}

#[test]
fn status_changes_and_tabs() {
    let r = Env::new();
    let a = r.new_employee("Alpha", None).to_string();
    let b = r.new_employee("Bravo", None).to_string();
    r.ok(&["connect", &b, "--system", "pipedrive", "--external-id", "9"]);
    let tab = |t: &str| -> Vec<String> {
        r.json(&["list", "--tab", t])
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(tab("active"), ["Alpha", "Bravo"]);
    assert_eq!(tab("tracked"), ["Bravo"]);
    let d = r.json(&["deactivate", &b]);
    assert_eq!(d["employee"]["status"], "deactivated");
    assert_eq!(d["employee"]["tracked"], false);
    assert_eq!(tab("deactivated"), ["Bravo"]);
    assert!(tab("tracked").is_empty());
    r.ok(&["activate", &b]);
    assert_eq!(tab("tracked"), ["Bravo"]);
    assert_eq!(tab("all"), ["Alpha", "Bravo"]);
    let only_pd = r.json(&["list", "--supplier", "pipedrive"]);
    assert_eq!(only_pd.as_array().unwrap().len(), 1);
    // The name the table shows works as well as the key; a bad one is refused.
    assert_eq!(r.json(&["list", "--supplier", "Pipedrive"]), only_pd);
    let err = r.fails(&["list", "--supplier", "Pipe drive"], 2);
    assert!(err.contains("is not a valid system key"), "{err}");
    let filtered = r.json(&["list", "--filter", "ALP"]);
    assert_eq!(filtered[0]["id"].as_i64().unwrap().to_string(), a);
    assert_eq!(filtered.as_array().unwrap().len(), 1);
    // The filter also finds external IDs and systems.
    assert_eq!(r.json(&["list", "--filter", "pipedr"])[0]["name"], "Bravo");
    let row = &r.json(&["list"])[1];
    for field in [
        "id",
        "name",
        "email",
        "picture_url",
        "status",
        "login_access",
        "tracked",
        "suppliers",
        "managed_by",
    ] {
        assert!(row.get(field).is_some(), "list item lacks {field}: {row}");
    }
}

#[test]
fn remove_predicts_the_reconnect_and_block_prevents_it() {
    let r = Env::new();
    let id = r.new_employee("Pat", Some("pat@example.com")).to_string();
    r.ok(&[
        "connect",
        &id,
        "--system",
        "hubspot",
        "--external-id",
        "77",
        "--email",
        "PAT@example.com",
    ]);
    let out = r.json(&["remove", &id, "--system", "hubspot"]);
    assert_eq!(out["next_import"]["outcome"], "reconnects");
    assert_eq!(out["next_import"]["email"], "PAT@example.com");
    r.ok(&["undo", "--yes"]);
    let out = r.ok(&["remove", &id, "--system", "hubspot", "--block"]);
    assert!(out.contains("create a new profile"), "{}", out);
    let log = r.json(&["log", &id, "--limit", "1"]);
    assert_eq!(log[0]["action"], "remove-block");
    // A manual connect lifts the block (the admin's explicit choice wins).
    r.ok(&["connect", &id, "--system", "hubspot", "--external-id", "77"]);
    let ops = &r.json(&["log", &id, "--limit", "1"])[0]["changes"]["ops"];
    assert_eq!(ops[0]["op"], "delete_block");
}

#[test]
fn remove_of_an_account_connected_without_email_says_the_profile_email_may_reconnect_it() {
    let r = Env::new();
    let id = r.new_employee("Jane", Some("jane@x.io")).to_string();
    r.ok(&["connect", &id, "--system", "hubspot", "--external-id", "h1"]);
    let out = r.json(&["remove", &id, "--system", "hubspot"]);
    assert_eq!(out["next_import"]["outcome"], "may_reconnect", "{out}");
    assert_eq!(
        out["next_import"]["emails"],
        serde_json::json!(["jane@x.io"])
    );
    // What the importer then does, when HubSpot brings that email: it reconnects.
    let file = r.file(
        "hubspot.csv",
        "external_id,email,name\nh1,JANE@x.io,Jane H\n",
    );
    let report = r.import(&file, "hubspot", &[]);
    assert_eq!(report["linked_by_email"], 1, "{report}");
    assert_eq!(r.holder("hubspot", "h1").to_string(), id);
    // Removed and blocked, it can no longer come back here.
    let text = r.ok(&["remove", &id, "--system", "hubspot", "--block"]);
    assert!(text.contains("create a new profile"), "{text}");
    let connect_pipedrive = |external_id: &str| {
        r.ok(&[
            "connect",
            &id,
            "--system",
            "pipedrive",
            "--external-id",
            external_id,
        ]);
    };
    connect_pipedrive("p1");
    let human = r.ok(&["remove", &id, "--system", "pipedrive"]);
    assert!(
        human.contains("not known here") && human.contains("jane@x.io"),
        "{human}"
    );
    // Jane held only that connection: Move was never possible, so it is not suggested.
    assert!(!human.contains("roster move"), "{human}");
    assert!(human.contains("roster remove --block"), "{human}");
    // When another profile holds the email too, the import would find two: no reconnect.
    r.new_employee("Jane Twin", Some("JANE@x.io"));
    connect_pipedrive("p2");
    let out = r.json(&["remove", &id, "--system", "pipedrive"]);
    assert_eq!(out["next_import"]["outcome"], "creates_profile", "{out}");
}

#[test]
fn the_audit_log_records_rows_as_the_action_left_them() {
    let r = Env::new();
    let id = r.new_employee("Versioned", None).to_string();
    let after =
        |n: usize| r.json(&["log", "--limit", "1"])[0]["changes"]["ops"][n]["after"].clone();
    let shown = r.show(&id);
    assert_eq!(after(0)["version"], shown["version"]);
    assert_eq!(after(0)["updated_at"], shown["updated_at"]);
    std::thread::sleep(std::time::Duration::from_millis(5));
    r.ok(&["deactivate", &id]);
    let shown = r.show(&id);
    assert_eq!(after(0)["version"], shown["version"]);
    assert_eq!(after(0)["updated_at"], shown["updated_at"]);
    assert_eq!(after(0)["status"], "deactivated");
    // Undo still finds the rows as they were left, and puts the profile back.
    r.ok(&["undo", "--yes"]);
    assert_eq!(r.show(&id)["status"], "active");
}

#[test]
fn discard_sends_a_pending_profile_to_deactivated() {
    let r = Env::new();
    let id = r.new_employee("Pending Person", None);
    // Only imports create pending profiles; put one there directly.
    let db = rusqlite::Connection::open(&r.db).unwrap();
    db.execute(
        "UPDATE employees SET status = 'pending' WHERE id = ?1",
        [id],
    )
    .unwrap();
    drop(db);
    let pending = r.json(&["list", "--tab", "pending"]);
    assert_eq!(pending.as_array().unwrap().len(), 1);
    let out = r.json(&["discard", &id.to_string()]);
    assert_eq!(out["employee"]["status"], "deactivated");
}

#[test]
fn undo_refuses_when_the_rows_changed_since() {
    let r = Env::new();
    let id = r.new_employee("Ola", None).to_string();
    r.ok(&["connect", &id, "--system", "hubspot", "--external-id", "5"]);
    r.ok(&[
        "connect",
        &id,
        "--system",
        "salesforce",
        "--external-id",
        "6",
    ]);
    r.ok(&["move", &id, "--system", "hubspot"]);
    // Something outside this session (an import, another admin's tool) changes the
    // moved account afterwards.
    let db = rusqlite::Connection::open(&r.db).unwrap();
    db.execute(
        "UPDATE connections SET email = 'changed@example.com' WHERE external_id = '5'",
        [],
    )
    .unwrap();
    drop(db);
    let before = r.tables();
    let msg = r.fails(&["undo", "--yes"], 1);
    assert!(msg.contains("Cannot undo"), "{msg}");
    assert!(msg.contains("HubSpot account 5 was changed"), "{msg}");
    assert!(msg.contains("Nothing was changed"), "{msg}");
    before.assert_same(&r.tables(), "a refused undo");
}

#[test]
fn undo_walks_back_and_restores_a_created_profile_away() {
    let r = Env::new();
    let id = r.new_employee("Una", None).to_string();
    r.ok(&["edit", &id, "--login", "on"]);
    r.ok(&["undo", "--yes"]);
    assert_eq!(r.json(&["show", &id])["login_access"], false);
    r.ok(&["undo", "--yes"]);
    r.fails(&["show", &id], 2);
    // Ids are never reused after an undo removed the newest profile.
    let next = r.new_employee("Next", None);
    assert_eq!(next, 2);
    let log = r.json(&["log"]);
    assert_eq!(log[1]["action"], "undo");
    assert_eq!(log[1]["reverts"], 1);
}

#[test]
fn settings_review() {
    let r = Env::new();
    assert_eq!(r.ok(&["settings", "review"]).trim(), "review auto");
    r.ok(&["settings", "review", "manual"]);
    assert_eq!(r.ok(&["settings", "review"]).trim(), "review manual");
    assert_eq!(r.json(&["log"])[0]["action"], "settings");
}

#[cfg(unix)]
#[test]
fn database_and_folder_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let r = Env::new();
    let db = r.path("nested/deeper/roster.db");
    r.run_with(&["list"], |c| {
        c.arg("--db").arg(&db);
    });
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    assert_eq!(mode(db.parent().unwrap().parent().unwrap()), 0o700);
}

#[test]
fn default_path_follows_xdg_data_home() {
    let r = Env::new();
    let home = r.path("xdg");
    let out = assert_cmd::Command::cargo_bin("roster")
        .unwrap()
        .env_remove("ROSTER_DB")
        .env("XDG_DATA_HOME", &home)
        .args(["list"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(home.join("roster/roster.db").exists());
    // ROSTER_DB wins over the default.
    let env_db = r.path("env.db");
    let out = assert_cmd::Command::cargo_bin("roster")
        .unwrap()
        .env("ROSTER_DB", &env_db)
        .env("XDG_DATA_HOME", &home)
        .args(["new", "--name", "E"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(env_db.exists());
}

#[test]
fn human_output_escapes_hostile_data() {
    let r = Env::new();
    let evil = "Eve\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}gnp.exe";
    let id = r.new_employee(evil, None).to_string();
    for args in [vec!["list"], vec!["show", &id], vec!["log"]] {
        let out = r.ok(&args);
        assert!(!out.contains('\u{1b}'), "{args:?}: {out:?}");
        assert!(!out.contains('\u{202e}'), "{args:?}: {out:?}");
        assert!(
            out.contains("Eve␛]0;pwned␇␛[2J<U+202E>gnp.exe"),
            "{args:?}: {out}"
        );
    }
    // Stored as given: JSON carries the original (escaped by JSON itself).
    assert_eq!(r.json(&["show", &id])["name"], evil);
}
