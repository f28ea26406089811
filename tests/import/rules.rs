//! The import rules of docs/import.md ("Safe on real data") through the real binary,
//! with files shaped like the ones the systems send.

use crate::common::{self, Env};
use serde_json::Value;

/// HubSpot CRM owners v3 (`GET /crm/v3/owners/?limit=500`): two active owners.
const OWNERS_ACTIVE: &str = r#"{
  "results": [
    {
      "id": "41629779",
      "email": "kira.muller@acme.com",
      "type": "PERSON",
      "firstName": "Kira",
      "lastName": "Müller",
      "userId": 9586504,
      "userIdIncludingInactive": 9586504,
      "createdAt": "2019-12-25T13:01:35.228Z",
      "updatedAt": "2023-08-22T13:40:26.790Z",
      "archived": false,
      "teams": [{"id": "368389", "name": "Sales EMEA", "primary": true}]
    },
    {
      "id": "52188230",
      "email": "lee.park@acme.com",
      "type": "PERSON",
      "firstName": "Lee",
      "lastName": "Park",
      "userId": 9586511,
      "userIdIncludingInactive": 9586511,
      "createdAt": "2021-03-01T09:00:00.000Z",
      "updatedAt": "2024-01-15T10:30:00.000Z",
      "archived": false
    }
  ]
}
"#;

/// The same call with `archived=true` after Kira left: HubSpot sends her with empty
/// names, `userId` null, `archived` true.
const OWNERS_ARCHIVED: &str = r#"{
  "results": [
    {
      "id": "41629779",
      "email": "kira.muller@acme.com",
      "type": "PERSON",
      "firstName": "",
      "lastName": "",
      "userId": null,
      "userIdIncludingInactive": 9586504,
      "createdAt": "2019-12-25T13:01:35.228Z",
      "updatedAt": "2025-10-02T07:12:44.100Z",
      "archived": true
    }
  ]
}
"#;

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("no {key} in {v}"))
}

#[test]
fn an_archived_hubspot_owner_with_empty_names_keeps_its_name() {
    let env = Env::new();
    env.import(&env.file("owners.json", OWNERS_ACTIVE), "hubspot", &[]);
    let archived = env.file("archived.json", OWNERS_ARCHIVED);
    let r = env.import(&archived, "hubspot", &[]);
    assert_eq!(r["names_kept"], serde_json::json!([1]), "{r}");
    assert_eq!(r["profiles_updated"], 1, "the status changes: {r}");
    let warning = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|w| w.contains("empty name"))
        .unwrap_or_else(|| panic!("no warning about the blank name: {r}"));
    assert!(warning.starts_with("Row 1 has an empty name"), "{warning}");
    let kira = env.show("hubspot:41629779");
    assert_eq!(text(&kira, "name"), "Kira Müller");
    assert_eq!(text(&kira, "status"), "deactivated");
    let account = common::conn(&kira, "hubspot", "41629779");
    assert_eq!(
        text(account, "name"),
        "Kira Müller",
        "the account's name too"
    );

    // The human report says it too, naming the row.
    let out = env.ok(&["import", archived.to_str().unwrap(), "--system", "hubspot"]);
    assert!(
        out.contains("Note: Row 1 has an empty name: the name stored was kept"),
        "{out}"
    );
}

#[test]
fn new_profiles_named_from_their_email_are_flagged() {
    let env = Env::new();
    let file = env.file(
        "staff.csv",
        "external_id,email,name\ne1,ann.lee@acme.com,Ann Lee\ne2,bo@acme.com,\ne3,,\n",
    );
    let r = env.import(&file, "personio", &[]);
    assert_eq!(r["named_from_email"], serde_json::json!([2]), "{r}");
    assert_eq!(r["named_from_id"], serde_json::json!([3]), "{r}");
    assert_eq!(text(&env.show("personio:e2"), "name"), "bo");
    let notes: Vec<&str> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("Row 2 creates a profile named from its email")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("Row 3 creates a profile named by its external ID")),
        "{notes:?}"
    );
}
