//! `roster imports [N]`: the import runs and what one did, account by account, from the
//! import journal (README "Commands", "JSON").

use crate::common::Env;

#[test]
fn imports_lists_runs_and_shows_what_one_did() {
    let env = Env::new();
    let jane = env.new_employee("Jane Doe", Some("jane@acme.com"));
    let first = env.file(
        "owners.csv",
        "external_id,email,name\n501,jane@acme.com,Jane D.\n502,new@acme.com,New Person\n",
    );
    env.import(&first, "hubspot", &[]);
    let second = env.file(
        "owners2.csv",
        "external_id,email,name\n501,jane@acme.com,Jane D.\n502,new@acme.com,Newer Person\n",
    );
    env.import(&second, "hubspot", &[]);

    let runs = env.json(&["imports"]);
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["id"], 2, "newest first");
    assert_eq!(runs[1]["created"], 1);
    assert_eq!(runs[1]["linked_by_email"], 1);
    assert_eq!(runs[0]["system"], "hubspot");
    assert!(runs[0]["file"].as_str().unwrap().ends_with("owners2.csv"));
    assert!(runs[0]["undone_by"].is_null());

    let one = env.json(&["imports", "1"]);
    let lines = one["lines"].as_array().unwrap();
    let created: Vec<_> = lines.iter().filter(|l| l["action"] == "created").collect();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["external_id"], "502");
    assert_eq!(created[0]["employee"], "Newer Person");
    let linked: Vec<_> = lines.iter().filter(|l| l["action"] == "linked").collect();
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0]["employee_id"], jane);
    assert_eq!(linked[0]["external_id"], "501");

    // The second run changed the new profile's name (its account manages it).
    let two = env.json(&["imports", "2"]);
    let updated: Vec<_> = two["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["action"] == "updated")
        .collect();
    assert_eq!(updated.len(), 1, "{two}");
    let changes = updated[0]["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["field"] == "profile_name"
            && c["before"] == "New Person"
            && c["now"] == "Newer Person"),
        "{changes:?}"
    );
    // show names the import that created a profile; one made by hand, none.
    let made = env.show("hubspot:502");
    assert_eq!(made["created_by_import"]["id"], 1, "{made}");
    assert_eq!(made["created_by_import"]["system"], "hubspot");
    assert!(env.show(&jane.to_string())["created_by_import"].is_null());
    let shown = env.ok(&["show", "hubspot:502"]);
    assert!(
        shown.contains("by HubSpot import #1 of owners.csv by "),
        "{shown}"
    );
    let text = env.ok(&["imports", "2"]);
    assert!(
        text.contains("profile_name \"New Person\" → \"Newer Person\""),
        "{text}"
    );
    let list = env.ok(&["imports"]);
    assert!(list.lines().next().unwrap().starts_with("#"), "{list}");
    assert!(list.contains("owners2.csv"), "{list}");

    // Undone: said so, and nothing is listed as done.
    env.ok(&["undo", "--yes"]);
    let two = env.json(&["imports", "2"]);
    assert!(two["run"]["undone_by"].is_i64(), "{two}");
    assert!(two["lines"].as_array().unwrap().is_empty());

    let err = env.fails(&["imports", "9"], 2);
    assert!(err.contains("There is no import run #9"), "{err}");
    assert!(err.contains("#1 to #2"), "{err}");
}

#[test]
fn imports_on_an_empty_store_says_how_to_import() {
    let env = Env::new();
    assert!(env.ok(&["imports"]).contains("No import yet"));
    assert_eq!(env.json(&["imports"]), serde_json::json!([]));
    let err = env.fails(&["imports", "1"], 2);
    assert!(err.contains("nothing was imported yet"), "{err}");
}

#[test]
fn list_of_the_pending_tab_says_which_import_each_came_from() {
    let env = Env::new();
    env.ok(&["settings", "review", "manual"]);
    let file = env.file("owners.csv", "external_id,email,name\n701,a@acme.com,Ann\n");
    env.import(&file, "hubspot", &[]);
    let pending = env.json(&["list", "--tab", "pending"]);
    assert_eq!(pending[0]["name"], "Ann");
    assert_eq!(pending[0]["import_run"], 1, "{pending}");
    let text = env.ok(&["list", "--tab", "pending"]);
    assert!(text.lines().next().unwrap().contains("CAME FROM"), "{text}");
    assert!(text.contains("HubSpot #1 at "), "{text}");
    // Other tabs keep their shape.
    let active = env.json(&["list", "--tab", "all"]);
    assert!(active[0].get("import_run").is_none(), "{active}");
}
