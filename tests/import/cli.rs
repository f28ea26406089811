//! The import engine (README "Importing", issue 3) through the real binary.

use crate::common;

use common::{Env, conn, conn_keys};
use serde_json::Value;

const PEOPLE: &str = "external_id,email,name,picture_url,title\n\
    sf-1,jane@acme.io,Jane Doe,https://img/jane,AE\n\
    sf-2,bob@acme.io,Bob Roe,,SDR\n\
    sf-3,,Carl Poe,,\n";

fn counts(r: &Value) -> [u64; 6] {
    [
        "rows",
        "matched",
        "unchanged",
        "linked_by_email",
        "created",
        "profiles_updated",
    ]
    .map(|k| r[k].as_u64().unwrap_or_else(|| panic!("no {k} in {r}")))
}

#[test]
fn new_accounts_create_managed_profiles_and_a_second_run_changes_nothing() {
    let env = Env::new();
    let f = env.file("people.csv", PEOPLE);
    let r = env.import(&f, "salesforce", &[]);
    assert_eq!(r["system"], "salesforce");
    assert_eq!(r["dry_run"], false);
    assert_eq!(counts(&r), [3, 0, 0, 0, 3, 0]);
    assert_eq!(r["conflicts"], Value::Array(vec![]));
    assert!(r.get("plan").is_none(), "no plan without --dry-run");

    let jane = env.show("salesforce:sf-1");
    assert_eq!(jane["name"], "Jane Doe");
    assert_eq!(jane["email"], "jane@acme.io");
    assert_eq!(jane["picture_url"], "https://img/jane");
    assert_eq!(jane["status"], "active");
    assert_eq!(jane["login_access"], false);
    assert_eq!(
        jane["managed_by"],
        serde_json::json!({"system": "salesforce", "external_id": "sf-1"})
    );
    let c = conn(&jane, "salesforce", "sf-1");
    assert_eq!(c["origin"], "import-new");
    assert_eq!(c["matched_value"], "sf-1");
    assert!(c["created_by"].as_str().unwrap().contains("tester"));
    // No email: the name is the one given; no name and no email: the external ID.
    assert_eq!(env.show("salesforce:sf-3")["email"], Value::Null);

    let before = env.dump();
    let again = env.import(&f, "salesforce", &[]);
    assert_eq!(counts(&again), [3, 3, 3, 0, 0, 0]);
    // Only the audit log grows (the import's own entry).
    let after = env.dump();
    assert_eq!(
        before
            .lines()
            .filter(|l| !l.starts_with('['))
            .collect::<Vec<_>>(),
        after
            .lines()
            .filter(|l| !l.starts_with('['))
            .collect::<Vec<_>>()
    );
}

#[test]
fn names_fall_back_to_the_email_then_the_external_id() {
    let env = Env::new();
    let f = env.file(
        "a.csv",
        "external_id,email,name\nx-1,mo.lee@acme.io,\nx-2,,\n",
    );
    env.import(&f, "podio", &[]);
    assert_eq!(env.show("podio:x-1")["name"], "mo.lee");
    assert_eq!(env.show("podio:x-2")["name"], "x-2");
}

#[test]
fn email_match_is_trimmed_and_case_insensitive_and_records_provenance() {
    let env = Env::new();
    let jane = env.new_employee("Jane Doe", Some("Jane.Doe@Acme.io"));
    let f = env.file(
        "owners.csv",
        "external_id,email,name\nh-1,  jane.doe@ACME.IO ,J. Doe (HubSpot)\n",
    );
    let r = env.import(&f, "hubspot", &[]);
    assert_eq!(counts(&r), [1, 0, 0, 1, 0, 0]);
    let p = env.show("hubspot:h-1");
    assert_eq!(p["id"], jane);
    assert_eq!(p["name"], "Jane Doe", "linking does not rename");
    assert_eq!(
        p["managed_by"],
        Value::Null,
        "a linked account does not manage"
    );
    let c = conn(&p, "hubspot", "h-1");
    assert_eq!(c["origin"], "import-email");
    assert_eq!(c["matched_value"], "jane.doe@ACME.IO");
    assert_eq!(c["email"], "jane.doe@ACME.IO");
}

#[test]
fn emails_of_connections_count_too() {
    let env = Env::new();
    let ann = env.new_employee("Ann", None);
    env.ok(&[
        "connect",
        &ann.to_string(),
        "--system",
        "podio",
        "--external-id",
        "p1",
        "--email",
        "ann@old.io",
    ]);
    let f = env.file("h.csv", "external_id,email\nh-9,ANN@old.io\n");
    env.import(&f, "hubspot", &[]);
    assert_eq!(env.holder("hubspot", "h-9"), ann);
}

#[test]
fn a_removed_connection_comes_back_by_email() {
    let env = Env::new();
    let f = env.file("p.csv", PEOPLE);
    env.import(&f, "salesforce", &[]);
    let jane = env.holder("salesforce", "sf-1");
    let removed = env.ok(&["remove", &jane.to_string(), "--system", "salesforce"]);
    assert!(removed.contains("will reconnect this profile by email jane@acme.io"));
    assert!(conn_keys(&env.show(&jane.to_string())).is_empty());
    let r = env.import(&f, "salesforce", &[]);
    assert_eq!(r["linked_by_email"], 1);
    assert_eq!(r["created"], 0);
    assert_eq!(env.holder("salesforce", "sf-1"), jane);
    let p = env.show(&jane.to_string());
    assert_eq!(conn(&p, "salesforce", "sf-1")["origin"], "import-email");
}

#[test]
fn a_moved_connection_is_followed_by_id_and_the_original_is_not_reconnected() {
    let env = Env::new();
    let sf = env.file(
        "sf.csv",
        "external_id,email,name\nsf-1,jane@acme.io,Jane Doe\n",
    );
    let hs = env.file(
        "hs.csv",
        "external_id,email,name\nh-1,jane@acme.io,Support Inbox\n",
    );
    env.import(&sf, "salesforce", &[]);
    env.import(&hs, "hubspot", &[]);
    let jane = env.holder("hubspot", "h-1");
    assert_eq!(jane, env.holder("salesforce", "sf-1"));
    let moved = env.json(&["move", &jane.to_string(), "--system", "hubspot"]);
    let new_id = moved["new_employee"]["id"].as_i64().unwrap();
    assert_ne!(new_id, jane);
    let hs2 = env.file(
        "hs2.csv",
        "external_id,email,name\nh-1,jane@acme.io,Support Inbox EMEA\n",
    );
    let r = env.import(&hs2, "hubspot", &[]);
    assert_eq!(r["matched"], 1);
    assert_eq!(r["linked_by_email"], 0);
    assert_eq!(
        r["profiles_updated"], 1,
        "the moved account manages its profile"
    );
    assert_eq!(env.holder("hubspot", "h-1"), new_id);
    assert_eq!(env.show(&new_id.to_string())["name"], "Support Inbox EMEA");
    let original = env.show(&jane.to_string());
    assert_eq!(
        conn_keys(&original),
        vec![("salesforce".to_string(), "sf-1".to_string())]
    );
    assert_eq!(original["name"], "Jane Doe");
}

#[test]
fn a_removed_and_blocked_account_gets_a_new_profile() {
    let env = Env::new();
    let f = env.file("p.csv", PEOPLE);
    env.import(&f, "salesforce", &[]);
    let jane = env.holder("salesforce", "sf-1");
    let out = env.ok(&[
        "remove",
        &jane.to_string(),
        "--system",
        "salesforce",
        "--block",
    ]);
    assert!(out.contains("create a new profile"), "{out}");
    let r = env.import(&f, "salesforce", &[]);
    assert_eq!(r["created"], 1);
    assert_eq!(r["linked_by_email"], 0);
    let holder = env.holder("salesforce", "sf-1");
    assert_ne!(holder, jane);
    assert_eq!(env.show(&holder.to_string())["email"], "jane@acme.io");
    assert!(conn_keys(&env.show(&jane.to_string())).is_empty());
}

#[test]
fn a_shared_email_is_a_conflict_naming_both_candidates() {
    let env = Env::new();
    let a = env.new_employee("Sales Team", Some("sales@acme.io"));
    let b = env.new_employee("Sam Sales", Some("SALES@acme.io"));
    let f = env.file(
        "h.csv",
        "external_id,email,name\nh-1,sales@acme.io,Sales\nh-2,new@acme.io,New\n",
    );
    let before =
        conn_keys(&env.show(&a.to_string())).len() + conn_keys(&env.show(&b.to_string())).len();
    let r = env.import(&f, "hubspot", &[]);
    assert_eq!(
        r["conflicts"],
        serde_json::json!([{"row": 1, "external_id": "h-1", "email": "sales@acme.io", "candidates": [a, b], "kind": "conflict"}])
    );
    assert_eq!(r["created"], 1);
    assert_eq!(before, 0);
    assert!(conn_keys(&env.show(&a.to_string())).is_empty());
    assert!(conn_keys(&env.show(&b.to_string())).is_empty());
    env.fails(&["show", "hubspot:h-1"], 2);
    // The human report names them.
    let text = env.ok(&[
        "import",
        env.file("h2.csv", "external_id,email\nh-3,sales@acme.io\n")
            .to_str()
            .unwrap(),
        "--system",
        "hubspot",
    ]);
    assert!(text.contains(&format!("Sales Team (#{a})")), "{text}");
    assert!(text.contains(&format!("Sam Sales (#{b})")), "{text}");
}

#[test]
fn profiles_merged_into_another_are_not_candidates() {
    let env = Env::new();
    let keep = env.new_employee("Keep", Some("k@acme.io"));
    let other = env.new_employee("Other", Some("dup@acme.io"));
    env.ok(&["merge", &keep.to_string(), &other.to_string(), "--yes"]);
    let f = env.file("h.csv", "external_id,email\nh-1,dup@acme.io\n");
    let r = env.import(&f, "hubspot", &[]);
    assert_eq!(r["created"], 1);
    assert_ne!(env.holder("hubspot", "h-1"), other);
}

#[test]
fn the_managing_system_renames_and_a_non_managing_one_does_not() {
    let env = Env::new();
    env.import(
        &env.file(
            "sf1.csv",
            "external_id,email,name,picture_url\nsf-1,jane@acme.io,Jane Doe,https://a/1\n",
        ),
        "salesforce",
        &[],
    );
    let jane = env.holder("salesforce", "sf-1");
    env.import(
        &env.file(
            "hs1.csv",
            "external_id,email,name,picture_url\nh-1,jane@acme.io,J Doe,https://b/1\n",
        ),
        "hubspot",
        &[],
    );
    // HubSpot does not manage Jane: its new name reaches only the connection.
    let r = env.import(
        &env.file(
            "hs2.csv",
            "external_id,email,name,picture_url\nh-1,jane@acme.io,Janet (HubSpot),https://b/2\n",
        ),
        "hubspot",
        &[],
    );
    assert_eq!(
        (
            r["matched"].as_u64(),
            r["profiles_updated"].as_u64(),
            r["unchanged"].as_u64()
        ),
        (Some(1), Some(0), Some(0))
    );
    let p = env.show(&jane.to_string());
    assert_eq!(p["name"], "Jane Doe");
    assert_eq!(p["picture_url"], "https://a/1");
    assert_eq!(conn(&p, "hubspot", "h-1")["name"], "Janet (HubSpot)");
    // Salesforce manages her: name and picture follow.
    let r = env.import(
        &env.file(
            "sf2.csv",
            "external_id,email,name,picture_url\nsf-1,jane@acme.io,Jane Smith,https://a/2\n",
        ),
        "salesforce",
        &[],
    );
    assert_eq!(r["profiles_updated"], 1);
    let p = env.show(&jane.to_string());
    assert_eq!(p["name"], "Jane Smith");
    assert_eq!(p["picture_url"], "https://a/2");
    // Once managed manually, Salesforce no longer renames.
    env.ok(&["unmanage", &jane.to_string()]);
    env.ok(&["edit", &jane.to_string(), "--name", "Jane S."]);
    let r = env.import(
        &env.file(
            "sf3.csv",
            "external_id,email,name,picture_url\nsf-1,jane@acme.io,Jane Smyth,https://a/3\n",
        ),
        "salesforce",
        &[],
    );
    assert_eq!(r["profiles_updated"], 0);
    assert_eq!(env.show(&jane.to_string())["name"], "Jane S.");
    // Managing again: the next import brings the name back in line.
    env.ok(&["manage", &jane.to_string(), "--system", "salesforce"]);
    let r = env.import(
        &env.file(
            "sf3b.csv",
            "external_id,email,name,picture_url\nsf-1,jane@acme.io,Jane Smyth,https://a/3\n",
        ),
        "salesforce",
        &[],
    );
    assert_eq!(
        (r["unchanged"].as_u64(), r["profiles_updated"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(env.show(&jane.to_string())["name"], "Jane Smyth");
}

#[test]
fn the_active_flag_creates_deactivated_profiles_and_follows_the_system() {
    let env = Env::new();
    let f = |name: &str, flag: &str| {
        env.file(name, format!("external_id,email,name,active\nsf-1,jane@acme.io,Jane,{flag}\nsf-2,gone@acme.io,Gone,false\n"))
    };
    env.import(&f("a.csv", "true"), "salesforce", &[]);
    assert_eq!(env.show("salesforce:sf-1")["status"], "active");
    assert_eq!(env.show("salesforce:sf-2")["status"], "deactivated");
    let r = env.import(&f("b.csv", "false"), "salesforce", &[]);
    assert_eq!(
        (r["profiles_updated"].as_u64(), r["unchanged"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(env.show("salesforce:sf-1")["status"], "deactivated");
    let r = env.import(&f("c.csv", "true"), "salesforce", &[]);
    assert_eq!(r["profiles_updated"], 1);
    assert_eq!(env.show("salesforce:sf-1")["status"], "active");
    // The admin deactivates her by hand; the system's unchanged flag does not undo that.
    env.ok(&["deactivate", "salesforce:sf-1"]);
    let r = env.import(&f("d.csv", "true"), "salesforce", &[]);
    assert_eq!(r["unchanged"], 2);
    assert_eq!(env.show("salesforce:sf-1")["status"], "deactivated");
}

#[test]
fn manual_review_sends_new_profiles_to_pending() {
    let env = Env::new();
    env.ok(&["settings", "review", "manual"]);
    let existing = env.new_employee("Jane", Some("jane@acme.io"));
    let r = env.import(&env.file("p.csv", PEOPLE), "salesforce", &[]);
    assert_eq!(
        (r["created"].as_u64(), r["linked_by_email"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(env.show("salesforce:sf-2")["status"], "pending");
    assert_eq!(env.show(&existing.to_string())["status"], "active");
    let pending = env.json(&["list", "--tab", "pending"]);
    assert_eq!(pending.as_array().unwrap().len(), 2);
}

#[test]
fn rows_see_the_rows_before_them() {
    let env = Env::new();
    let ann = env.new_employee("Ann", Some("ann@acme.io"));
    let f = env.file(
        "p.csv",
        "external_id,email,name\nh-1,ann@acme.io,Ann\nh-2,ANN@acme.io,Ann (second account)\nh-3,bo@acme.io,Bo\nh-4,BO@acme.io,Bo's assistant\n",
    );
    let r = env.import(&f, "hubspot", &[]);
    assert_eq!(
        (r["created"].as_u64(), r["linked_by_email"].as_u64()),
        (Some(1), Some(1))
    );
    // Row 1 gave Ann a HubSpot account, row 3 created Bo: rows 2 and 4 meet them
    // holding one, and two accounts of one system are two people.
    let kinds: Vec<(u64, &str, &Value)> = r["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["row"].as_u64().unwrap(),
                c["kind"].as_str().unwrap(),
                &c["other_accounts"],
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (2, "same_system", &serde_json::json!(["h-1"])),
            (4, "same_system", &serde_json::json!(["h-3"]))
        ]
    );
    assert_eq!(env.holder("hubspot", "h-1"), ann);
    env.fails(&["show", "hubspot:h-2"], 2);
    let bo = env.show("hubspot:h-3");
    assert_eq!(bo["managed_by"]["external_id"], "h-3");
    assert_eq!(bo["suppliers"], serde_json::json!(["hubspot"]));
}

#[test]
fn records_absent_from_a_file_change_nothing_and_absent_columns_are_left_alone() {
    let env = Env::new();
    env.import(&env.file("p.csv", PEOPLE), "salesforce", &[]);
    let bob = env.show("salesforce:sf-2");
    // A file with only Jane, and without the picture column.
    let r = env.import(
        &env.file(
            "q.csv",
            "external_id,email,name\nsf-1,jane@acme.io,Jane Doe\n",
        ),
        "salesforce",
        &[],
    );
    assert_eq!(r["unchanged"], 1);
    assert_eq!(
        env.show("salesforce:sf-1")["picture_url"],
        "https://img/jane"
    );
    assert_eq!(env.show("salesforce:sf-2"), bob);
}

#[test]
fn dry_run_writes_nothing_and_predicts_the_real_run() {
    let env = Env::new();
    env.import(&env.file("p.csv", PEOPLE), "salesforce", &[]);
    let a = env.new_employee("Shared A", Some("shared@acme.io"));
    let b = env.new_employee("Shared B", Some("shared@acme.io"));
    let f = env.file(
        "mixed.csv",
        "external_id,email,name,active\n\
         sf-1,jane@acme.io,Jane Doe,\n\
         sf-2,bob@acme.io,Robert Roe,\n\
         sf-4,JANE@acme.io,Jane (2nd),\n\
         sf-5,shared@acme.io,Shared,\n\
         sf-6,new@acme.io,Newton,false\n\
         sf-7,newton@acme.io,Newton 2,\n",
    );
    let before = env.tables();
    let dry = env.import(&f, "salesforce", &["--dry-run"]);
    before.assert_same(&env.tables(), "a dry run");
    assert_eq!(dry["dry_run"], true);
    let outcomes: Vec<&str> = dry["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        [
            "unchanged",
            "matched",
            "same_system",
            "conflict",
            "new",
            "new"
        ]
    );
    let real = env.import(&f, "salesforce", &[]);
    for k in [
        "rows",
        "matched",
        "unchanged",
        "linked_by_email",
        "created",
        "profiles_updated",
        "conflicts",
    ] {
        assert_eq!(dry[k], real[k], "{k}");
    }
    assert_eq!(dry["conflicts"][1]["candidates"], serde_json::json!([a, b]));
    for p in dry["plan"].as_array().unwrap() {
        let ext = p["external_id"].as_str().unwrap();
        match p["employee_id"].as_i64() {
            Some(id) => assert_eq!(env.holder("salesforce", ext), id, "{p}"),
            None => {
                env.fails(&["show", &format!("salesforce:{ext}")], 2);
            }
        }
    }
    assert_eq!(env.show("salesforce:sf-6")["status"], "deactivated");
    // The human dry run shows the plan.
    let text = env.ok(&[
        "import",
        f.to_str().unwrap(),
        "--system",
        "salesforce",
        "--dry-run",
    ]);
    assert!(text.starts_with("Dry run of"), "{text}");
    assert!(
        text.contains("Plan:") && text.contains("linked by email"),
        "{text}"
    );
}

#[test]
fn the_mass_create_safeguard_asks_for_allow_mass_create() {
    let env = Env::new();
    for i in 0..10 {
        env.new_employee(&format!("P{i}"), None);
    }
    let mut csv = String::from("external_id,email\n");
    for i in 0..51 {
        csv.push_str(&format!("x-{i},p{i}@acme.io\n"));
    }
    let f = env.file("many.csv", &csv);
    let before = env.tables();
    let err = env.fails(&["import", f.to_str().unwrap(), "--system", "podio"], 2);
    assert!(
        err.contains("would create 51 new profiles, more than 20% of the 10 that exist"),
        "{err}"
    );
    assert!(err.contains("--allow-mass-create"), "{err}");
    before.assert_same(&env.tables(), "the safeguard");
    let dry = env.import(&f, "podio", &["--dry-run"]);
    assert_eq!(
        dry["mass_create"],
        serde_json::json!({"created": 51, "existing": 10})
    );
    let r = env.import(&f, "podio", &["--allow-mass-create"]);
    assert_eq!(r["created"], 51);
    // 50 rows or fewer never trip it.
    let small = env.file(
        "small.csv",
        (0..50).fold(String::from("external_id\n"), |s, i| {
            s + &format!("y-{i}\n")
        }),
    );
    assert_eq!(env.import(&small, "podio", &[])["created"], 50);
}

#[test]
fn one_audit_entry_and_one_run_record_per_import() {
    let env = Env::new();
    env.new_employee("Jane", Some("jane@acme.io"));
    let zed = env.new_employee("Zed", None);
    env.import(&env.file("p.csv", PEOPLE), "salesforce", &[]);
    let log = env.json(&["log"]);
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 3);
    let e = &entries[0];
    assert_eq!(e["action"], "import");
    assert_eq!(e["undoable"], true);
    assert_eq!(e["changes"]["created"], 2);
    assert_eq!(e["changes"]["linked_by_email"], 1);
    assert!(e["summary"].as_str().unwrap().contains("p.csv"));
    // The profiles it touched show it in their history.
    let bob = env.holder("salesforce", "sf-2");
    let hist = env.json(&["log", &bob.to_string()]);
    assert_eq!(hist[0]["action"], "import");
    // The run record.
    let run = |conn: &rusqlite::Connection| -> (String, i64, i64, i64, Option<i64>) {
        conn.query_row(
            "SELECT system, rows, created, audit_id, undone_by FROM import_runs",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap()
    };
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let (system, rows, created, audit, undone_by) = run(&conn);
    assert_eq!((system.as_str(), rows, created), ("salesforce", 3, 2));
    assert_eq!(audit, e["id"].as_i64().unwrap());
    assert_eq!(undone_by, None);
    // Undo takes the import back: its entry stays, the run is marked, and the next undo
    // reaches the action before it.
    let out = env.ok(&["undo", "--yes"]);
    assert!(out.starts_with("Undid: Imported "), "{out}");
    env.fails(&["show", "salesforce:sf-2"], 2);
    let log = env.json(&["log"]);
    assert_eq!(log[0]["action"], "undo");
    assert_eq!(run(&conn).4, log[0]["id"].as_i64());
    let out = env.ok(&["undo", "--yes"]);
    assert!(
        out.contains(&format!("Undid: Created Zed (#{zed})")),
        "{out}"
    );
}

#[test]
fn stdin_ndjson_and_the_human_report() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["import", "-", "--system", "podio", "--format", "csv"])
        .write_stdin("external_id,email\np-1,a@acme.io\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Imported stdin for Podio (csv, read as generic)."),
        "{text}"
    );
    assert!(
        text.contains("\n  created           1   new profiles\n"),
        "{text}"
    );
    // Without --format, stdin is recognised by its content.
    let out = env
        .cmd()
        .args(["import", "-", "--system", "podio", "--json"])
        .write_stdin(
            "{\"external_id\": \"p-2\", \"email\": \"b@acme.io\"}\n{\"external_id\": \"p-3\"}\n",
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (r["created"].as_u64(), r["format"].as_str()),
        (Some(2), Some("ndjson"))
    );
    let f = env.file(
        "x.ndjson",
        "{\"external_id\": \"p-4\", \"name\": \"Quinn\"}\n\n{\"external_id\": \"p-5\"}\n",
    );
    assert_eq!(env.import(&f, "podio", &[])["created"], 2);
    assert_eq!(env.show("podio:p-4")["name"], "Quinn");
}

// ---- bad input: exit 2, every problem named, nothing written -----------------------

/// A store with some content, and a check that a bad import leaves it as it was.
fn refused(file_name: &str, content: &[u8], system: &str, extra: &[&str]) -> String {
    let env = Env::new();
    env.import(&env.file("p.csv", PEOPLE), "salesforce", &[]);
    let before = env.tables();
    let f = env.file(file_name, content);
    let mut args = vec!["import", f.to_str().unwrap(), "--system", system];
    args.extend_from_slice(extra);
    let err = env.fails(&args, 2);
    before.assert_same(&env.tables(), "a refused import");
    let dry = {
        let mut a = args.clone();
        a.push("--dry-run");
        env.fails(&a, 2)
    };
    assert_eq!(dry, err, "a dry run refuses the same way");
    assert!(err.starts_with("roster: Nothing was imported: "), "{err}");
    err
}

#[test]
fn malformed_csv_is_refused() {
    let err = refused(
        "bad.csv",
        b"external_id,email,name\nsf-1,jane@acme.io,Jane\nsf-9,x@acme.io,Too,Many,Fields\nsf-8,y@acme.io\n",
        "salesforce",
        &[],
    );
    assert!(err.contains("bad.csv has 2 problems"), "{err}");
    assert!(
        err.contains("row 2 (line 3): it has 5 fields but the header has 3"),
        "{err}"
    );
    assert!(err.contains("row 3 (line 4): it has 2 fields"), "{err}");
}

#[test]
fn an_unclosed_quote_is_refused_not_swallowing_the_rows_after_it() {
    let err = refused(
        "quote.csv",
        b"external_id,email,name\nsf-1,jane@acme.io,\"Jane\nsf-2,joe@acme.io,Joe\nsf-3,ann@acme.io,Ann\n",
        "salesforce",
        &[],
    );
    assert!(
        err.contains("row 1 (line 2): a quote opened in this row is never closed"),
        "{err}"
    );
}

#[test]
fn a_missing_external_id_column_is_refused() {
    let err = refused("nocol.csv", b"id_number,email\n1,a@b.c\n", "podio", &[]);
    assert!(
        err.contains(
            "nocol.csv: there is no external_id or id among the columns (id_number, email)"
        ),
        "{err}"
    );
    assert!(err.contains("--map external_id=COLUMN"), "{err}");
}

#[test]
fn an_empty_external_id_is_refused() {
    let err = refused(
        "empty.csv",
        b"external_id,email\nsf-1,jane@acme.io\n  ,x@acme.io\n",
        "salesforce",
        &[],
    );
    assert!(
        err.contains("empty.csv: row 2 (line 3): the external ID is empty."),
        "{err}"
    );
}

#[test]
fn an_email_without_at_is_refused() {
    let err = refused(
        "email.csv",
        b"external_id,email\nsf-1,jane@acme.io\nsf-7,jane.acme.io\n",
        "salesforce",
        &[],
    );
    assert!(
        err.contains("row 2 (line 3): the email 'jane.acme.io' has no '@'."),
        "{err}"
    );
}

#[test]
fn a_duplicate_external_id_is_refused() {
    let err = refused(
        "dup.csv",
        b"external_id,email\nsf-7,a@acme.io\nsf-8,b@acme.io\nsf-7,c@acme.io\n",
        "salesforce",
        &[],
    );
    assert!(
        err.contains("row 3 (line 4): the external ID 'sf-7' appears again (first on row 1)"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_is_refused() {
    let err = refused(
        "latin1.csv",
        b"external_id,email,name\nsf-7,j@acme.io,J\xfcrgen\n",
        "salesforce",
        &[],
    );
    assert!(
        err.contains("row 1 (line 2): the value in column 'name' is not valid UTF-8 (0xFC)"),
        "{err}"
    );
    assert!(err.contains("UTF-8"), "{err}");
    // The two halves of "é" in two columns: valid together, broken in each.
    let err = refused(
        "split.csv",
        b"external_id,email,name\nsf-8,j@acme.io\xc3,\xa9J\n",
        "salesforce",
        &[],
    );
    assert!(
        err.contains("row 1 (line 2): the value in column 'email' is not valid UTF-8 (0xC3)"),
        "{err}"
    );
    let err = refused(
        "latin1.json",
        b"[{\"external_id\": \"x\", \"name\": \"J\xfcrgen\"}]",
        "podio",
        &[],
    );
    assert!(
        err.contains("latin1.json: the file is not valid UTF-8 (line 1"),
        "{err}"
    );
    let err = refused(
        "latin1.ndjson",
        b"{\"external_id\": \"x\"}\n{\"external_id\": \"J\xfcrgen\"}\n",
        "podio",
        &[],
    );
    assert!(
        err.contains("row 2 (line 2): the line is not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn a_field_over_one_kib_is_refused() {
    let long = "x".repeat(1025);
    let err = refused(
        "long.csv",
        format!("external_id,email,name\nsf-7,a@acme.io,{long}\n").as_bytes(),
        "salesforce",
        &[],
    );
    assert!(
        err.contains("row 1 (line 2): the name is 1025 bytes long; the limit is 1024 bytes"),
        "{err}"
    );
}

#[test]
fn malformed_json_is_refused() {
    let err = refused(
        "bad.json",
        b"[{\"external_id\": \"a\"},\n {\"external_id\": \"b\" \"email\": \"x@y\"}]",
        "podio",
        &[],
    );
    assert!(
        err.contains("bad.json: the JSON is malformed: expected `,` or `}` at line 2 column"),
        "{err}"
    );
    assert!(err.contains("(after row 1)"), "{err}");
    let err = refused("cut.json", b"[{\"external_id\": \"a\"}", "podio", &[]);
    assert!(err.contains("ends too early"), "{err}");
    let err = refused(
        "scalar.json",
        b"[{\"external_id\": \"a\"}, 7]",
        "podio",
        &[],
    );
    assert!(err.contains("row 2: it is not an object"), "{err}");
}

#[test]
fn many_problems_are_listed_fifty_at_most_with_a_count() {
    let mut csv = String::from("external_id,email\n");
    for i in 0..70 {
        csv.push_str(&format!("x-{i},nobody{i}\n"));
    }
    let err = refused("many.csv", csv.as_bytes(), "podio", &[]);
    assert!(err.contains("many.csv has 70 problems"), "{err}");
    assert_eq!(err.matches("has no '@'").count(), 50);
    assert!(
        err.contains("… and 20 more (only the first 50 are listed)."),
        "{err}"
    );
}

#[test]
fn usage_mistakes_exit_2() {
    let env = Env::new();
    let f = env.file("p.csv", PEOPLE);
    let err = env.fails(
        &["import", f.to_str().unwrap(), "--system", "Sales Force"],
        2,
    );
    assert!(err.contains("not a valid system key"), "{err}");
    let err = env.fails(&["import", "/nonexistent/x.csv", "--system", "podio"], 2);
    assert!(
        err.contains("Cannot read /nonexistent/x.csv: there is no such file."),
        "{err}"
    );
    let err = env.fails(
        &[
            "import",
            f.to_str().unwrap(),
            "--system",
            "podio",
            "--map",
            "nope=x",
        ],
        2,
    );
    assert!(err.contains("--map names the field 'nope'"), "{err}");
    let empty = env.file("empty.csv", "");
    let err = env.fails(&["import", empty.to_str().unwrap(), "--system", "podio"], 2);
    assert!(err.contains("is empty"), "{err}");
}

// ---- scale paths -------------------------------------------------------------------

/// Every employee and connection row, without the timestamps that differ between runs.
fn rows_without_times(env: &Env) -> Vec<String> {
    let db = rusqlite::Connection::open(&env.db).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT id, name, email, email_norm, picture_url, login_access, status, merged_into,
                suppliers, version FROM employees ORDER BY id",
        "SELECT id, system, external_id, employee_id, email, email_norm, name, picture_url,
                manages, origin, matched_value, active FROM connections ORDER BY id",
    ] {
        let mut stmt = db.prepare(sql).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

#[test]
fn rebuilding_indexes_after_a_big_import_gives_the_same_store() {
    let data = Env::new();
    data.ok(&[
        "gen",
        "--employees",
        "1200",
        "--out",
        data.dir.path().to_str().unwrap(),
    ]);
    let files = [
        ("salesforce.csv", "salesforce"),
        ("hr.csv", "hr"),
        ("hubspot.json", "hubspot"),
        ("pipedrive.json", "pipedrive"),
        ("salesforce.csv", "salesforce"),
    ];
    let run = |rebuild_min: Option<&str>| {
        let env = Env::new();
        let mut reports = Vec::new();
        for (file, system) in files {
            let mut cmd = env.cmd();
            if let Some(n) = rebuild_min {
                cmd.env("ROSTER_INDEX_REBUILD_MIN", n);
            }
            let out = cmd
                .args([
                    "import",
                    data.dir.path().join(file).to_str().unwrap(),
                    "--system",
                    system,
                ])
                .args(["--allow-mass-create", "--json"])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let mut r: Value = serde_json::from_slice(&out.stdout).unwrap();
            for k in ["file", "import_run", "audit_id"] {
                r.as_object_mut().unwrap().remove(k);
            }
            reports.push(r);
        }
        (rows_without_times(&env), reports, env)
    };
    let (rebuilt, mut rebuilt_reports, env) = run(Some("100"));
    let (plain, mut plain_reports, _) = run(None);
    assert_eq!(
        rebuilt_reports[0]["rebuilt_indexes"],
        serde_json::json!(["employees", "connections"])
    );
    assert_eq!(plain_reports[0]["rebuilt_indexes"], serde_json::json!([]));
    for r in rebuilt_reports.iter_mut().chain(plain_reports.iter_mut()) {
        r.as_object_mut().unwrap().remove("rebuilt_indexes");
    }
    assert_eq!(rebuilt_reports, plain_reports);
    assert_eq!(rebuilt.len(), plain.len());
    assert!(rebuilt == plain, "the stores differ");
    assert!(rebuilt_reports[1]["linked_by_email"].as_u64().unwrap() > 500);
    // Every index is back.
    let db = rusqlite::Connection::open(&env.db).unwrap();
    let names: Vec<String> = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for ix in [
        "connections_by_email",
        "connections_by_employee",
        "connections_one_manager",
        "employees_by_email",
        "employees_by_tab_name",
    ] {
        assert!(names.iter().any(|n| n == ix), "{ix} is missing: {names:?}");
    }
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}
