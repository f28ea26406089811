//! The mass-create safeguard at its exact edges (README "Importing"): an import that
//! would create more new profiles than 20% of the profiles that exist, in a file of more
//! than 50 rows, stops and asks for `--allow-mass-create`; the first import into an
//! empty store goes through (there is nothing to protect).

use crate::common::Env;

/// A generic CSV of accounts `ids` (each with an email of its own).
fn accounts(env: &Env, name: &str, ids: impl Iterator<Item = usize>) -> std::path::PathBuf {
    let mut csv = String::from("external_id,email,name\n");
    for i in ids {
        csv.push_str(&format!("a-{i},p{i}@acme.io,Person {i}\n"));
    }
    env.file(name, csv)
}

/// A store holding `n` profiles (accounts a-0 … a-(n-1) of `personio`), made by its
/// first import, which needs no `--allow-mass-create`.
fn store_of(n: usize) -> Env {
    let env = Env::new();
    let r = env.import(&accounts(&env, "first.csv", 0..n), "personio", &[]);
    assert_eq!(r["created"], n, "{r}");
    env
}

#[test]
fn the_first_import_into_an_empty_store_needs_no_allow_mass_create() {
    let env = Env::new();
    let file = accounts(&env, "everyone.csv", 0..120);
    let dry = env.import(&file, "personio", &["--dry-run"]);
    assert_eq!(dry["created"], 120);
    assert_eq!(dry["mass_create"], serde_json::Value::Null, "{dry}");
    let r = env.import(&file, "personio", &[]);
    assert_eq!(r["created"], 120, "{r}");
    assert_eq!(r["mass_create"], serde_json::Value::Null, "{r}");
    // A store whose profiles are all deactivated is not empty: the rule applies.
    let env = Env::new();
    for i in 0..3 {
        let id = env.new_employee(&format!("Gone {i}"), None).to_string();
        env.ok(&["deactivate", &id]);
    }
    let before = env.tables();
    let msg = env.fails(
        &["import", file.to_str().unwrap(), "--system", "personio"],
        2,
    );
    assert!(
        msg.contains("would create 120 new profiles, more than 20% of the 3 that exist"),
        "{msg}"
    );
    before.assert_same(&env.tables(), "the safeguard");
}

#[test]
fn twenty_percent_is_allowed_one_more_is_not() {
    // 250 profiles: 50 new ones are 20%, 51 are more.
    let env = store_of(250);
    // 60 rows: 9 or 10 found by ID, the rest new.
    let over = accounts(&env, "over.csv", (241..250).chain(1000..1051));
    let before = env.tables();
    let msg = env.fails(
        &["import", over.to_str().unwrap(), "--system", "personio"],
        2,
    );
    assert!(
        msg.contains("would create 51 new profiles, more than 20% of the 250 that exist")
            && msg.contains("--allow-mass-create"),
        "{msg}"
    );
    before.assert_same(&env.tables(), "the safeguard");
    let dry = env.import(&over, "personio", &["--dry-run"]);
    assert_eq!(
        dry["mass_create"],
        serde_json::json!({"created": 51, "existing": 250})
    );
    let at = accounts(&env, "at.csv", (240..250).chain(1000..1050));
    let dry = env.import(&at, "personio", &["--dry-run"]);
    assert_eq!(dry["mass_create"], serde_json::Value::Null, "{dry}");
    let r = env.import(&at, "personio", &[]);
    assert_eq!(
        (r["rows"].as_u64(), r["created"].as_u64()),
        (Some(60), Some(50))
    );
}

#[test]
fn fifty_rows_never_trip_it_fifty_one_may() {
    // 10 profiles: any file of new people is far over 20%.
    let env = store_of(10);
    let fifty = accounts(&env, "fifty.csv", 100..150);
    let r = env.import(&fifty, "personio", &[]);
    assert_eq!(r["created"], 50, "{r}");
    // Now 60 exist: 51 rows, all new, trip it; with the flag they go in.
    let fifty_one = accounts(&env, "fifty-one.csv", 200..251);
    let msg = env.fails(
        &[
            "import",
            fifty_one.to_str().unwrap(),
            "--system",
            "personio",
        ],
        2,
    );
    assert!(
        msg.contains("would create 51 new profiles, more than 20% of the 60 that exist"),
        "{msg}"
    );
    let r = env.import(&fifty_one, "personio", &["--allow-mass-create"]);
    assert_eq!(r["created"], 51, "{r}");
}

#[test]
fn the_help_states_the_rule() {
    let env = Env::new();
    let help = env.ok(&["import", "--help"]);
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("more new profiles than 20% of the profiles that exist")
            && flat.contains("more than 50 rows")
            && flat.contains("first import into an empty store"),
        "{help}"
    );
}
