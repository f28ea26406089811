//! `roster backup` and `roster check`.

use crate::common;

use common::Env;

#[test]
fn check_passes_on_a_healthy_store_and_finds_broken_invariants() {
    let r = Env::new();
    let id = r.new_employee("Checked", None).to_string();
    r.ok(&["connect", &id, "--system", "hubspot", "--external-id", "1"]);
    let ok = r.json(&["check"]);
    assert_eq!(ok["ok"], true, "{ok}");

    // Damage derived data and an invariant behind roster's back.
    let db = rusqlite::Connection::open(&r.db).unwrap();
    db.execute_batch(
        "UPDATE tab_counts SET n = 99 WHERE tab = 'tracked';
         UPDATE employees SET suppliers = 'nope', sort_name = 'zzz';
         PRAGMA foreign_keys = OFF;
         INSERT INTO connections (system, external_id, employee_id, origin, created_by, created_at)
             VALUES ('pipedrive', 'ghost', 4242, 'manual', 'x', 'x');",
    )
    .unwrap();
    drop(db);
    let run = r.run(&["check", "--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let kinds: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["check"].as_str().unwrap())
        .collect();
    for kind in [
        "counts",
        "suppliers",
        "sort-name",
        "orphan-connection",
        "foreign-keys",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert!(run.stderr.contains("check --fix"), "{}", run.stderr);
    // --fix repairs the derived data, not the orphan (that needs a human).
    let run = r.run(&["check", "--fix", "--json"]);
    let kinds: Vec<String> = run.json()["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["check"].as_str().unwrap().to_owned())
        .collect();
    assert!(!kinds.contains(&"counts".to_owned()), "{kinds:?}");
    assert!(!kinds.contains(&"suppliers".to_owned()), "{kinds:?}");
    assert!(!kinds.contains(&"sort-name".to_owned()), "{kinds:?}");
    assert!(kinds.contains(&"orphan-connection".to_owned()), "{kinds:?}");
}

#[test]
fn backup_copies_a_whole_owner_only_database_and_never_overwrites() {
    use std::os::unix::fs::PermissionsExt;
    let r = Env::new();
    r.new_employee("Backed Up", Some("b@example.com"));
    let dest = r.path("backup.db");
    let out = r.ok(&["backup", dest.to_str().unwrap()]);
    assert!(out.contains("integrity ok"), "{out}");
    assert_eq!(
        std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The copy is a working roster database with the same content.
    let copy = r.run_with(&["show", "b@example.com", "--json"], |c| {
        c.arg("--db").arg(&dest);
    });
    assert_eq!(copy.code, 0, "{}", copy.stderr);
    assert_eq!(copy.json()["name"], "Backed Up");
    let again = r.fails(&["backup", dest.to_str().unwrap()], 2);
    assert!(
        again.contains("the file exists, and a backup never overwrites one"),
        "{again}"
    );
}

#[test]
fn the_audit_log_refuses_updates_and_deletes() {
    let r = Env::new();
    r.new_employee("Audited", None);
    let db = rusqlite::Connection::open(&r.db).unwrap();
    for sql in [
        "UPDATE audit SET actor = 'someone else'",
        "DELETE FROM audit",
        "DELETE FROM audit_employees",
    ] {
        let err = db.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(r.json(&["log"]).as_array().unwrap().len(), 1);
}
