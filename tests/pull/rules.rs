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
