//! `roster export` (README "Exporting"): the table and the connections as CSV and JSON,
//! formula cells neutralised, and the round trip: a store exported and restored into an
//! empty store through `--system roster` (the `roster` preset) has the same profiles and
//! connections.

use serde_json::Value;

use crate::common::Env;

/// A store with what real stores hold: profiles of three systems, some linked by email,
/// a conflict, a hand-made profile with login access, a manual connection, a moved one,
/// a merge, a deactivated and a pending profile, a managed one taken over by hand, a
/// name that a spreadsheet would run.
fn busy_store() -> Env {
    let env = Env::new();
    let sf = env.file(
        "sf.csv",
        "Id,Email,Name,IsActive\n\
         005000000000001AAA,ann@acme.io,Ann Lee,true\n\
         005000000000002AAA,bo@acme.io,=HYPERLINK(\"http://evil\"),true\n\
         005000000000003AAA,cy@acme.io,Cy Diaz,false\n",
    );
    env.import(&sf, "salesforce", &[]);
    let hs = env.file(
        "hs.csv",
        "external_id,email,name,picture_url\n\
         101,ANN@acme.io,Ann L.,https://img/ann.png\n\
         102,dee@acme.io,+Dee Dot,\n\
         103,'quoted@acme.io,@Eve,\n",
    );
    env.ok(&["settings", "review", "manual"]);
    env.import(&hs, "hubspot", &[]);
    env.ok(&["settings", "review", "auto"]);
    let hand = env.new_employee("Fay Hand", Some("fay@acme.io"));
    env.ok(&["edit", &hand.to_string(), "--login", "on"]);
    env.ok(&[
        "connect",
        &hand.to_string(),
        "--system",
        "pipedrive",
        "--external-id",
        "77",
        "--email",
        "fay@pd.io",
    ]);
    let ann = env.holder("salesforce", "005000000000001AAA").to_string();
    env.ok(&["move", &ann, "--system", "hubspot"]);
    env.ok(&["unmanage", &ann]);
    let bo = env.holder("salesforce", "005000000000002AAA").to_string();
    env.ok(&["merge", &hand.to_string(), &bo, "--yes"]);
    env
}

/// Every profile as `show --json` gives it, without what a restore cannot keep (the
/// version counter and the time of the last change, which the restore is).
fn profiles(env: &Env) -> Vec<Value> {
    env.list()
        .iter()
        .map(|r| {
            let mut p = env.show(&r["id"].to_string());
            let o = p.as_object_mut().unwrap();
            o.remove("version");
            o.remove("updated_at");
            o.remove("blocks");
            // Which import created a profile is the store's history, not the profile:
            // a restore is one import of its own.
            o.remove("created_by_import");
            p
        })
        .collect()
}

#[test]
fn an_export_restored_into_an_empty_store_gives_the_same_profiles_and_connections() {
    let env = busy_store();
    let before = profiles(&env);
    assert!(before.len() >= 6, "{before:?}");
    for format in ["csv", "json"] {
        let text = env.ok(&["export", "--connections", "--format", format]);
        let file = env.file(&format!("export.{format}"), &text);
        let copy = Env::new();
        let dry = copy.import(&file, "roster", &["--dry-run"]);
        assert_eq!(dry["created"], before.len(), "{dry}");
        assert!(!copy.db.exists() || copy.list().is_empty());
        let r = copy.import(&file, "roster", &[]);
        assert_eq!(r["created"], before.len(), "{r}");
        assert_eq!(
            profiles(&copy),
            before,
            "{format}: the restored store differs"
        );
        copy.ok(&["check"]);
        // The restore is one action: undo takes it back.
        copy.ok(&["undo", "--yes"]);
        assert!(copy.list().is_empty());
        copy.ok(&["check"]);
    }
}

#[test]
fn a_restore_into_a_store_with_profiles_is_refused_and_writes_nothing() {
    let env = busy_store();
    let file = env.file("export.csv", env.ok(&["export", "--connections"]));
    let before = env.tables();
    let err = env.fails(&["import", Env::path_str(&file), "--system", "roster"], 2);
    assert!(err.contains("empty store only"), "{err}");
    before.assert_same(&env.tables(), "a restore into a full store");
}

#[test]
fn formula_cells_are_neutralised_in_csv_and_kept_in_json() {
    let env = busy_store();
    let csv = env.ok(&["export"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        roster::domain::export::TABLE
    );
    let name = headers.iter().position(|h| h == "name").unwrap();
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[name].to_owned())
        .collect();
    for risky in ["=HYPERLINK(\"http://evil\")", "+Dee Dot", "@Eve"] {
        assert!(
            names.contains(&format!("'{risky}")),
            "{risky} not neutralised: {names:?}"
        );
        assert!(!names.contains(&risky.to_owned()), "{names:?}");
    }
    // No cell of the whole file starts a formula.
    for record in csv::Reader::from_reader(csv.as_bytes()).records() {
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
    // JSON is no spreadsheet: its values are as stored.
    let json: Value = serde_json::from_str(&env.ok(&["export", "--format", "json"])).unwrap();
    let names: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"+Dee Dot"), "{names:?}");
}

#[test]
fn the_table_export_follows_the_tab_and_says_manual_for_a_profile_managed_by_hand() {
    let env = busy_store();
    let all: Value = serde_json::from_str(&env.ok(&["export", "--format", "json"])).unwrap();
    let rows = all.as_array().unwrap();
    assert_eq!(rows.len(), env.list().len());
    let ann = env.holder("salesforce", "005000000000001AAA");
    let row = rows.iter().find(|r| r["id"] == ann).unwrap();
    assert_eq!(row["managed_by"], "manual");
    assert_eq!(row["login_access"], false, "JSON keeps the boolean");
    let pending: Value =
        serde_json::from_str(&env.ok(&["export", "--tab", "pending", "--format", "json"])).unwrap();
    let pending = pending.as_array().unwrap();
    assert!(!pending.is_empty());
    assert!(
        pending.iter().all(|r| r["status"] == "pending"),
        "{pending:?}"
    );
    // The connections export: one row per connection, one for a profile without any.
    let conns: Value =
        serde_json::from_str(&env.ok(&["export", "--connections", "--format", "json"])).unwrap();
    let conns = conns.as_array().unwrap();
    let accounts: usize = env
        .list()
        .iter()
        .map(|r| {
            env.show(&r["id"].to_string())["connections"]
                .as_array()
                .unwrap()
                .len()
                .max(1)
        })
        .sum();
    assert_eq!(conns.len(), accounts);
    let linked = conns.iter().find(|r| r["system"] == "pipedrive").unwrap();
    assert_eq!(linked["origin"], "manual");
    assert_eq!(
        linked["created_by"].as_str().map(|s| s.contains("tester")),
        Some(true)
    );
}

#[test]
fn a_bad_roster_export_is_refused_with_every_problem_by_row() {
    let env = busy_store();
    let table = env.file("table.csv", env.ok(&["export"]));
    let copy = Env::new();
    let err = copy.fails(&["import", Env::path_str(&table), "--system", "roster"], 2);
    assert!(
        err.contains("is not a roster connections export") && err.contains("export --connections"),
        "{err}"
    );
    let text = env.ok(&["export", "--connections"]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .filter(|r: &Vec<String>| !r[col("system")].is_empty())
        .collect();
    // Row 1 gets a status roster does not have; row 3 repeats row 2's account.
    rows[0][col("status")] = "retired".into();
    rows[2][col("system")] = rows[1][col("system")].clone();
    rows[2][col("external_id")] = rows[1][col("external_id")].clone();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&headers).unwrap();
    for r in &rows {
        out.write_record(r).unwrap();
    }
    let lines = [String::from_utf8(out.into_inner().unwrap()).unwrap()];
    let bad = env.file("bad.csv", lines.concat());
    let err = copy.fails(&["import", Env::path_str(&bad), "--system", "roster"], 2);
    assert!(
        err.contains("row 1: status 'retired' is not active, pending or deactivated"),
        "{err}"
    );
    assert!(err.contains("row 3: the account"), "{err}");
    assert!(err.contains("is on row 2 too"), "{err}");
    assert!(!copy.db.exists() || copy.list().is_empty());
}
