//! A pull keeps the import's rules: the mass-create safeguard, and the cases it cannot
//! decide go to the review inbox.

use super::answers::{self, people};
use super::stub::Stub;
use super::{Setup, source};

#[test]
fn the_mass_create_safeguard_stops_a_pull_as_it_stops_an_import() {
    let stub = Stub::start(move |req| answers::hubspot(req, &people(0..80), &[]));
    let s = Setup::new(&source("hubspot", "hubspot", &stub.url(), ""));
    for i in 0..100 {
        s.env.new_employee(&format!("Existing {i}"), None);
    }
    let before = s.env.tables();
    let e = s.fails(&["hubspot"], 2);
    assert!(
        e.contains("would create 80 new profiles, more than 20% of the 100 that exist"),
        "{e}"
    );
    assert!(e.contains("--allow-mass-create"), "{e}");
    before.assert_same(&s.env.tables(), "a pull stopped by the safeguard");
    // The dry run says so; the flag lets it through.
    let dry = s.pull(&["hubspot", "--dry-run"]);
    assert_eq!(dry["mass_create"]["created"], 80, "{dry}");
    let r = s.pull(&["hubspot", "--allow-mass-create"]);
    assert_eq!(r["created"], 80);
}

#[test]
fn an_account_whose_email_belongs_to_a_profile_with_another_of_its_accounts_goes_to_review() {
    let stub = Stub::start(move |req| answers::hubspot(req, &people(0..3), &[]));
    let s = Setup::new(&source("hubspot", "hubspot", &stub.url(), ""));
    // Person 1's email is on a profile that already has another HubSpot account.
    let id = s.env.new_employee("Person One", Some(&answers::email(1)));
    s.env.ok(&[
        "connect",
        &id.to_string(),
        "--system",
        "hubspot",
        "--external-id",
        "999",
    ]);
    let r = s.pull(&["hubspot"]);
    assert_eq!(r["created"], 2, "{r}");
    assert_eq!(r["conflicts"][0]["kind"], "same_system", "{r}");
    assert_eq!(r["conflicts"][0]["external_id"], answers::hubspot_id(1));
    let review = s.env.json(&["review", "--kind", "same_system"]);
    let items = review
        .as_array()
        .cloned()
        .unwrap_or_else(|| review["items"].as_array().cloned().unwrap_or_default());
    assert_eq!(items.len(), 1, "{review}");
    assert!(
        items[0].to_string().contains(&answers::hubspot_id(1)),
        "{review}"
    );
}

/// HubSpot documents `archived=true` as returning only archived owners: an owner in both
/// lists was archived (or restored) while the pull ran. Its active record is imported, the
/// archived one left out, and the report says so; the next pull settles it.
#[test]
fn an_owner_in_both_hubspot_lists_is_imported_once_as_the_active_list_has_it() {
    let active = people(0..30);
    let mut archived = vec![answers::Person {
        n: 7,
        active: false,
    }];
    archived.extend(people(30..32).into_iter().map(|mut p| {
        p.active = false;
        p
    }));
    let stub = {
        let archived = archived.clone();
        Stub::start(move |req| answers::hubspot(req, &active, &archived))
    };
    let s = Setup::new(&source("hubspot", "hubspot", &stub.url(), "page_size = 10"));
    let r = s.pull(&["hubspot"]);
    assert_eq!(r["rows"], 32, "owner 7 is read once: {r}");
    assert_eq!(r["created"], 32, "{r}");
    let note = format!(
        "HubSpot owner {} is in both the active and the archived list",
        answers::hubspot_id(7)
    );
    let warnings = r["warnings"].to_string();
    assert!(warnings.contains(&note), "{warnings}");
    assert!(
        warnings.contains("imported as the active list has it"),
        "{warnings}"
    );
    assert!(
        !warnings.contains("gives it another"),
        "the two records agree but for the flag: {warnings}"
    );
    let seven = s.env.show(&format!("hubspot:{}", answers::hubspot_id(7)));
    assert_eq!(seven["status"], "active", "{seven}");
    assert_eq!(seven["name"], "First7 Last7");

    // The next pull meets owner 7 in the archived list only: it is deactivated then.
    drop(stub);
    let active: Vec<_> = people(0..30).into_iter().filter(|p| p.n != 7).collect();
    let stub = Stub::start(move |req| answers::hubspot(req, &active, &archived));
    std::fs::write(
        &s.config,
        source("hubspot", "hubspot", &stub.url(), "page_size = 10"),
    )
    .unwrap();
    let again = s.pull(&["hubspot"]);
    assert!(
        !again["warnings"].to_string().contains("in both"),
        "{again}"
    );
    assert_eq!(again["profiles_updated"], 1, "owner 7 deactivated: {again}");
    let seven = s.env.show(&format!("hubspot:{}", answers::hubspot_id(7)));
    assert_eq!(seven["status"], "deactivated", "{seven}");
    assert_eq!(seven["name"], "First7 Last7", "a blank name is not a name");
}

/// When the two records of an owner in both lists disagree on more than the flag, the
/// report says what the archived one gives, for the admin to check in HubSpot.
#[test]
fn an_owner_in_both_lists_with_another_email_there_is_named_with_it() {
    let active = people(0..3);
    let stub = Stub::start(move |req| {
        if req.param("archived") == Some("true") {
            let moved = answers::hubspot_archived_owner(
                &answers::Person {
                    n: 1,
                    active: false,
                },
                "first1.last1@old-acme.example",
            );
            return stub_page(vec![moved]);
        }
        answers::hubspot(req, &active, &[])
    });
    let s = Setup::new(&source("hubspot", "hubspot", &stub.url(), ""));
    let r = s.pull(&["hubspot", "--dry-run"]);
    assert_eq!(r["rows"], 3, "{r}");
    let warnings = r["warnings"].to_string();
    assert!(
        warnings.contains(&format!(
            "HubSpot owner {}: the archived list gives it another email (first1.last1@old-acme.example); check the owner in HubSpot.",
            answers::hubspot_id(1)
        )),
        "{warnings}"
    );
    let one = r["plan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["external_id"] == answers::hubspot_id(1))
        .cloned()
        .unwrap_or_else(|| panic!("{r}"));
    assert_eq!(one["outcome"], "new", "{one}");
}

fn stub_page(results: Vec<serde_json::Value>) -> super::stub::Reply {
    super::stub::Reply::json(
        200,
        serde_json::to_vec_pretty(&serde_json::json!({ "results": results })).unwrap(),
    )
}
