//! What identity and support systems actually send (issue 13, docs/import.md "Presets"),
//! imported through the real binary with `--system S` and nothing else. The files under
//! tests/fixtures/<vendor>/ have the shapes the vendors document and answer with (keys,
//! nesting, value types, envelopes, paging fields, non-human accounts); the people in
//! them are made up.

use crate::common;

use common::{Env, conn};
use serde_json::{Value, json};
use std::path::PathBuf;

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

fn text(path: &str) -> String {
    std::fs::read_to_string(fixture(path)).unwrap()
}

/// (name, email, status) of the profile holding `system:id`.
fn person(env: &Env, system: &str, id: &str) -> (String, String, String) {
    let p = env.show(&format!("{system}:{id}"));
    (
        p["name"].as_str().unwrap_or_default().to_owned(),
        p["email"].as_str().unwrap_or_default().to_owned(),
        p["status"].as_str().unwrap().to_owned(),
    )
}

fn s(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.to_owned(), b.to_owned(), c.to_owned())
}

/// The reasons of a report's skipped rows, with their counts.
fn skipped(r: &Value) -> Vec<(String, u64)> {
    r["skipped_reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["reason"].as_str().unwrap().to_owned(),
                x["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn entra_graph_users_answer() {
    let env = Env::new();
    let r = env.import(&fixture("entra/graph-users.json"), "entra", &[]);
    assert_eq!(r["preset"], "entra");
    assert_eq!(
        (r["rows"].as_u64(), r["created"].as_u64()),
        (Some(4), Some(4))
    );
    let e = "entra";
    assert_eq!(
        person(&env, e, "4f6c2a1e-8b3d-4c7a-9e21-0d5b7a3c9f10"),
        s("Natalie Okafor", "Natalie.Okafor@acme.example", "active")
    );
    // No mailbox: the sign-in name is the address.
    assert_eq!(
        person(&env, e, "a3b1c9d7-2e4f-4a6b-8c0d-1e2f3a4b5c6d"),
        s(
            "Tomasz Wiśniewski",
            "tomasz.wisniewski@acme.example",
            "active"
        )
    );
    assert_eq!(
        person(&env, e, "0c9e8d7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f"),
        s("Priya Raman", "priya.raman@acme.example", "deactivated")
    );
    // The guest is an outsider.
    assert_eq!(skipped(&r), [("a guest (userType Guest)".to_owned(), 1)]);
    env.fails(&["show", "entra:7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6"], 2);
    let w = r["warnings"][0].as_str().unwrap();
    assert!(
        w.contains("one page of a longer answer (@odata.nextLink says"),
        "{w}"
    );
    assert_eq!(env.list()[0]["suppliers"], json!(["entra"]));

    // Without userType in $select the guest still shows by its #EXT# sign-in name.
    let mut answer: Value = serde_json::from_str(&text("entra/graph-users.json")).unwrap();
    for u in answer["value"].as_array_mut().unwrap() {
        u.as_object_mut().unwrap().remove("userType");
    }
    let env = Env::new();
    let r = env.import(&env.file("users.json", answer.to_string()), "entra", &[]);
    assert_eq!(
        skipped(&r),
        [(
            "an external account (#EXT# in userPrincipalName)".to_owned(),
            1
        )]
    );
}

#[test]
fn entra_download_users_csv_meets_the_graph_answer() {
    let env = Env::new();
    env.import(&fixture("entra/graph-users.json"), "entra", &[]);
    let before = env.dump();
    let r = env.import(&fixture("entra/download-users.csv"), "entra", &[]);
    assert_eq!(
        (r["format"].as_str(), r["preset"].as_str()),
        (Some("csv"), Some("entra"))
    );
    assert_eq!(
        (
            r["rows"].as_u64(),
            r["unchanged"].as_u64(),
            r["created"].as_u64()
        ),
        (Some(3), Some(3), Some(0)),
        "the same users, found by ID, changed in nothing: {r}"
    );
    assert_eq!(r["skipped"], 1);
    assert_eq!(r["warnings"], json!([]));
    // Only the import's own audit entry is new.
    let profiles = |d: &str| d.lines().filter(|l| l.starts_with('{')).count();
    assert_eq!(profiles(&before), profiles(&env.dump()));

    // Into an empty store, the CSV alone.
    let env = Env::new();
    env.import(&fixture("entra/download-users.csv"), "entra", &[]);
    assert_eq!(
        person(&env, "entra", "a3b1c9d7-2e4f-4a6b-8c0d-1e2f3a4b5c6d"),
        s(
            "Tomasz Wiśniewski",
            "tomasz.wisniewski@acme.example",
            "active"
        )
    );
    assert_eq!(
        person(&env, "entra", "0c9e8d7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f").2,
        "deactivated"
    );
}

#[test]
fn okta_users_answer_and_its_status_words() {
    let env = Env::new();
    let r = env.import(&fixture("okta/users.json"), "okta", &[]);
    assert_eq!(r["preset"], "okta");
    assert_eq!(r["created"], 8);
    assert_eq!(r["warnings"], json!([]));
    let o = "okta";
    assert_eq!(
        person(&env, o, "00u1a2b3c4d5E6F7g8h9"),
        s("Amara Nwosu", "amara.nwosu@acme.example", "active")
    );
    let status = |id| person(&env, o, id).2;
    for active in [
        "00u4d5e6f7g8H9I0j1k2", // PASSWORD_EXPIRED
        "00u5e6f7g8h9I0J1k2l3", // LOCKED_OUT
        "00u6f7g8h9i0J1K2l3m4", // RECOVERY
    ] {
        assert_eq!(status(active), "active", "{active}");
    }
    for inactive in [
        "00u2b3c4d5e6F7G8h9i0", // STAGED
        "00u3c4d5e6f7G8H9i0j1", // PROVISIONED
        "00u7g8h9i0j1K2L3m4n5", // SUSPENDED
        "00u8h9i0j1k2L3M4n5o6", // DEPROVISIONED
    ] {
        assert_eq!(status(inactive), "deactivated", "{inactive}");
    }

    // A status word Okta may add later is not guessed.
    let mut users: Value = serde_json::from_str(&text("okta/users.json")).unwrap();
    users[1]["status"] = json!("PENDING_USER_ACTION");
    let env = Env::new();
    let f = env.file("users.json", users.to_string());
    let err = env.fails(&["import", f.to_str().unwrap(), "--system", "okta"], 2);
    assert!(
        err.contains("row 2: 'PENDING_USER_ACTION' in status is neither an active value"),
        "{err}"
    );
    assert!(
        err.contains(
            "--map active=status:ACTIVE|PASSWORD_EXPIRED|LOCKED_OUT|RECOVERY|PENDING_USER_ACTION"
        ),
        "{err}"
    );
    assert!(env.list().is_empty(), "nothing was written");
}

#[test]
fn google_workspace_download_users_csv() {
    let env = Env::new();
    let r = env.import(&fixture("google/users.csv"), "google", &[]);
    assert_eq!(r["preset"], "google");
    assert_eq!(r["created"], 4);
    let g = "google";
    assert_eq!(
        person(&env, g, "mei.chen@acme.example"),
        s("Mei Chen", "mei.chen@acme.example", "active")
    );
    assert_eq!(
        person(&env, g, "rafael.souza@acme.example").2,
        "deactivated"
    );
    assert_eq!(person(&env, g, "lena.vogel@acme.example").2, "active");
    assert_eq!(
        person(&env, g, "olu.adeyemi@acme.example").2,
        "deactivated",
        "archived"
    );
    // The email is the ID: the connection's external ID.
    let p = env.show("google:mei.chen@acme.example");
    assert_eq!(
        conn(&p, "google", "mei.chen@acme.example")["origin"],
        "import-new"
    );
}

#[test]
fn slack_users_list_skips_bots_slackbot_and_guests() {
    let env = Env::new();
    let r = env.import(&fixture("slack/users-list.json"), "slack", &[]);
    assert_eq!(r["preset"], "slack");
    assert_eq!(
        (r["rows"].as_u64(), r["created"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(
        skipped(&r),
        [
            ("Slackbot".to_owned(), 1),
            ("a bot (is_bot)".to_owned(), 1),
            ("a guest (is_restricted)".to_owned(), 2),
        ]
    );
    assert_eq!(
        r["warnings"],
        json!([]),
        "an empty next_cursor is the last page"
    );
    let k = env.show("slack:U01A2B3C4D5");
    assert_eq!(
        (
            k["name"].as_str(),
            k["email"].as_str(),
            k["status"].as_str()
        ),
        (
            Some("Kofi Mensah"),
            Some("kofi.mensah@acme.example"),
            Some("active")
        )
    );
    assert_eq!(
        k["picture_url"],
        "https://secure.gravatar.example/avatar/U01A2B3C4D5-192.png"
    );
    assert_eq!(
        person(&env, "slack", "W0123ABCDEF"),
        s("Jun Park", "jun.park@acme.example", "active")
    );
    assert_eq!(
        person(&env, "slack", "U02B3C4D5E6"),
        s("Greta Holm", "greta.holm@acme.example", "deactivated"),
        "deleted"
    );
    // The human report names the reasons and rows.
    let f = fixture("slack/users-list.json");
    let out = Env::new().ok(&["import", f.to_str().unwrap(), "--system", "slack"]);
    assert!(out.contains("  skipped           4   not people"), "{out}");
    assert!(
        out.contains("2 a guest (is_restricted): rows 6 (U04D5E6F7A8), 7 (U05E6F7A8B9)"),
        "{out}"
    );
}

#[test]
fn zendesk_users_answer_keeps_staff_only() {
    let env = Env::new();
    let r = env.import(&fixture("zendesk/users.json"), "zendesk", &[]);
    assert_eq!(r["preset"], "zendesk");
    assert_eq!(r["created"], 4);
    assert_eq!(
        skipped(&r),
        [("an end-user (a customer, not staff)".to_owned(), 2)]
    );
    assert_eq!(r["warnings"], json!([]), "next_page is null");
    let z = "zendesk";
    let sofia = env.show("zendesk:381234567890");
    assert_eq!(
        (sofia["name"].as_str(), sofia["status"].as_str()),
        (Some("Sofia Lindqvist"), Some("active"))
    );
    assert_eq!(
        sofia["picture_url"],
        "https://acme.zendesk.example/system/photos/382000000001/sofia.png"
    );
    assert_eq!(env.show("zendesk:381234567891")["picture_url"], Value::Null);
    assert_eq!(
        person(&env, z, "381234567892").2,
        "deactivated",
        "suspended"
    );
    assert_eq!(person(&env, z, "381234567893").2, "deactivated", "deleted");
    env.fails(&["show", "zendesk:9876543210987"], 2);
}

#[test]
fn salesforce_rest_query_answer_skips_non_standard_users_and_says_it_is_partial() {
    let env = Env::new();
    let r = env.import(&fixture("salesforce/query-users.json"), "salesforce", &[]);
    assert_eq!(r["preset"], "salesforce");
    assert_eq!(
        (r["rows"].as_u64(), r["created"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        skipped(&r),
        [
            (
                "not a Standard user (UserType AutomatedProcess)".to_owned(),
                1
            ),
            ("not a Standard user (UserType Guest)".to_owned(), 1),
            ("not a Standard user (UserType CsnOnly)".to_owned(), 1),
            ("not a Standard user (UserType PowerPartner)".to_owned(), 1),
            (
                "not a Standard user (UserType PowerCustomerSuccess)".to_owned(),
                1
            ),
        ]
    );
    let w = r["warnings"][0].as_str().unwrap();
    assert!(
        w.contains("one page of a longer answer (done: false says"),
        "{w}"
    );
    let sf = "salesforce";
    assert_eq!(
        person(&env, sf, "0058d00000AbCdEAAV"),
        s("Elena Petrova", "elena.petrova@acme.example", "active")
    );
    assert_eq!(person(&env, sf, "0058d00000FgHiJ").2, "deactivated");
    // The guest user carries Elena's email: skipped, not linked to her.
    assert_eq!(
        env.show("salesforce:0058d00000AbCdE")["connections"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn salesforce_cli_answer_and_a_single_record() {
    let env = Env::new();
    let r = env.import(&fixture("salesforce/sf-data-query.json"), "salesforce", &[]);
    assert_eq!(
        (r["preset"].as_str(), r["created"].as_u64()),
        (Some("salesforce"), Some(2))
    );
    assert_eq!(r["warnings"], json!([]), "done: true");
    assert_eq!(
        person(&env, "salesforce", "0058d00000FgHiJAAV").0,
        "Marcus Lee"
    );
    let r = env.import(&fixture("salesforce/user-record.json"), "salesforce", &[]);
    assert_eq!(
        (r["rows"].as_u64(), r["unchanged"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn hubspot_owners_v2_answer() {
    let env = Env::new();
    let r = env.import(&fixture("hubspot/owners-v2.json"), "hubspot", &[]);
    assert_eq!(
        (r["preset"].as_str(), r["created"].as_u64()),
        (Some("hubspot"), Some(2))
    );
    assert_eq!(skipped(&r), [("not a person (type QUEUE)".to_owned(), 1)]);
    assert_eq!(
        person(&env, "hubspot", "64"),
        s("Holly Flax", "holly.flax@acme.example", "active")
    );
    assert_eq!(
        person(&env, "hubspot", "65"),
        s("Ryan Howard", "ryan.howard@acme.example", "deactivated")
    );
}

/// Issue 12 item 3: the IDs of a system's own export are the system's; a file that does
/// not fit is refused whole, saying what it looks like.
#[test]
fn another_systems_answer_is_refused_saying_what_it_looks_like() {
    let env = Env::new();
    // The v3 owners answer has `id` and `email`, as a Salesforce export may: its IDs
    // tell it apart.
    let owners = env.file(
        "owners.json",
        r#"{"results":[{"id":"41629779","email":"kira.muller@acme.example","type":"PERSON","firstName":"Kira","lastName":"Müller","userId":9586504,"userIdIncludingInactive":9586504,"createdAt":"2019-12-25T13:01:35.228Z","updatedAt":"2023-08-22T13:40:26.790Z","archived":false}]}"#,
    );
    let err = env.fails(
        &["import", owners.to_str().unwrap(), "--system", "salesforce"],
        2,
    );
    assert!(err.contains("does not hold Salesforce accounts: on row 1, the external ID '41629779' does not fit: a Salesforce User ID is 15 or 18 letters and digits starting with 005"), "{err}");
    assert!(err.contains("this looks like a HubSpot owners answer: numeric ids, firstName/lastName/userId/userIdIncludingInactive; import it with --system hubspot"), "{err}");
    // The v2 answer has no `id`: it does not fit the Salesforce columns at all.
    let v2 = fixture("hubspot/owners-v2.json");
    let err = env.fails(
        &["import", v2.to_str().unwrap(), "--system", "salesforce"],
        2,
    );
    assert!(err.contains("it does not look like a Salesforce User export but like a HubSpot owners answer (portalId/ownerId/firstName/lastName); import it with --system hubspot"), "{err}");
    // A Pipedrive answer given as HubSpot's is not "no id column".
    let pipedrive = env.file(
        "users.json",
        r#"{"success":true,"data":[{"id":12345,"name":"Jane Doe","email":"jane@acme.example","active_flag":true,"role_id":1,"icon_url":null,"is_admin":1}],"additional_data":{"pagination":{"start":0,"limit":100,"more_items_in_collection":false}}}"#,
    );
    let err = env.fails(
        &["import", pipedrive.to_str().unwrap(), "--system", "hubspot"],
        2,
    );
    assert!(err.contains("it does not look like a HubSpot owners answer but like a Pipedrive users answer (active_flag/role_id/icon_url/is_admin); import it with --system pipedrive"), "{err}");
    assert!(!err.contains("no id"), "{err}");
    // An 18-character ID whose letters were re-cased (a spreadsheet) is not Salesforce's.
    let recased = env.file(
        "users.csv",
        "Id,Name,Email,IsActive\n0058d00000abcdeaav,Elena Petrova,elena@acme.example,true\n",
    );
    let err = env.fails(
        &[
            "import",
            recased.to_str().unwrap(),
            "--system",
            "salesforce",
        ],
        2,
    );
    assert!(
        err.contains("its last three characters are not the checksum of the first 15 (expected"),
        "{err}"
    );
    // Slack members given as Okta's.
    let slack = fixture("slack/users-list.json");
    let err = env.fails(&["import", slack.to_str().unwrap(), "--system", "okta"], 2);
    assert!(err.contains("like a Slack users.list answer"), "{err}");
    assert!(
        env.list().is_empty() && env.json(&["log"]) == json!([]),
        "nothing was written"
    );
}

/// Issue 12 item 5: every paged shape says when more pages follow; an empty cursor is
/// the last page.
#[test]
fn partial_answers_are_flagged_for_every_paged_shape_and_only_then() {
    let cases: Vec<(&str, Value, bool)> = vec![
        (
            "hubspot",
            json!({"results": [{"id": "1", "firstName": "A", "lastName": "B", "email": "a@x.example", "archived": false}], "paging": {"next": {"after": "NTI1Cg%3D%3D", "link": "?after=NTI1Cg%3D%3D"}}}),
            true,
        ),
        (
            "hubspot",
            json!({"results": [{"id": "1", "firstName": "A", "lastName": "B", "email": "a@x.example", "archived": false}], "paging": {"next": {"after": "", "link": ""}}}),
            false,
        ),
        (
            "pipedrive",
            json!({"success": true, "data": [{"id": 1, "name": "A", "email": "a@x.example", "active_flag": true}], "additional_data": {"pagination": {"start": 0, "limit": 1, "more_items_in_collection": true, "next_start": 1}}}),
            true,
        ),
        (
            "salesforce",
            json!({"totalSize": 2, "done": true, "records": [{"attributes": {"type": "User", "url": "/services/data/v62.0/sobjects/User/0058d00000AbCdEAAV"}, "Id": "0058d00000AbCdEAAV", "Name": "A", "Email": "a@x.example", "IsActive": true}]}),
            false,
        ),
        (
            "salesforce",
            json!({"totalSize": 2, "done": true, "nextRecordsUrl": "/services/data/v62.0/query/01gxx-2000", "records": [{"attributes": {"type": "User", "url": "/x"}, "Id": "0058d00000AbCdEAAV", "Name": "A", "IsActive": true}]}),
            true,
        ),
        (
            "salesforce",
            json!({"status": 0, "result": {"records": [{"attributes": {"type": "User", "url": "/x"}, "Id": "0058d00000AbCdEAAV", "Name": "A", "IsActive": true}], "totalSize": 3000, "done": false}, "warnings": []}),
            true,
        ),
        (
            "entra",
            json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": [{"id": "4f6c2a1e-8b3d-4c7a-9e21-0d5b7a3c9f10", "displayName": "A", "mail": "a@x.example", "userPrincipalName": "a@x.example"}]}),
            false,
        ),
        (
            "slack",
            json!({"ok": true, "members": [{"id": "U01", "team_id": "T1", "real_name": "A", "deleted": false, "is_bot": false, "profile": {"real_name": "A", "email": "a@x.example"}}], "response_metadata": {"next_cursor": "dXNlcjpVMDYxTkZUVDI="}}),
            true,
        ),
        (
            "zendesk",
            json!({"users": [{"id": 1, "name": "A", "email": "a@x.example", "role": "agent", "active": true, "suspended": false}], "next_page": "https://acme.zendesk.example/api/v2/users.json?page=2", "previous_page": null, "count": 201}),
            true,
        ),
        (
            "zendesk",
            json!({"users": [{"id": 1, "name": "A", "email": "a@x.example", "role": "agent", "active": true, "suspended": false}], "meta": {"has_more": true, "after_cursor": "xyz", "before_cursor": null}, "links": {"next": "https://acme.zendesk.example/api/v2/users.json?page[after]=xyz", "prev": null}}),
            true,
        ),
        (
            "zendesk",
            json!({"users": [{"id": 1, "name": "A", "email": "a@x.example", "role": "agent", "active": true, "suspended": false}], "meta": {"has_more": false, "after_cursor": null, "before_cursor": null}, "links": {"next": null, "prev": null}}),
            false,
        ),
    ];
    for (i, (system, answer, partial)) in cases.into_iter().enumerate() {
        let env = Env::new();
        let f = env.file(&format!("page{i}.json"), answer.to_string());
        let r = env.import(&f, system, &[]);
        assert_eq!(r["rows"], 1, "case {i}: {r}");
        let flagged = r["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("one page of a longer answer"));
        assert_eq!(flagged, partial, "case {i} ({system}): {r}");
    }
}

#[test]
fn error_answers_of_the_apis_are_refused_as_such() {
    let cases = [
        (
            "slack",
            r#"{"ok":false,"error":"invalid_auth"}"#,
            "\"ok\": false, \"error\": 'invalid_auth'",
        ),
        (
            "entra",
            r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired or is not yet valid.","innerError":{"date":"2025-11-03T08:00:00","request-id":"c1a2","client-request-id":"c1a2"}}}"#,
            "'InvalidAuthenticationToken'",
        ),
        (
            "okta",
            r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oaeXyz","errorCauses":[]}"#,
            "'Invalid token provided'",
        ),
        (
            "salesforce",
            r#"{"code":1,"context":"DataQuery","commandName":"DataQuery","message":"sObject type 'Usr' is not supported.","name":"INVALID_TYPE","status":1,"stack":"INVALID_TYPE: ...","exitCode":1,"warnings":[]}"#,
            "sObject type 'Usr' is not supported.",
        ),
        (
            "hubspot",
            r#"{"status":"error","message":"Authentication credentials not found.","correlationId":"4b5d","category":"INVALID_AUTHENTICATION"}"#,
            "Authentication credentials not found.",
        ),
        (
            "zendesk",
            r#"{"error":"Couldn't authenticate you"}"#,
            "Couldn't authenticate you",
        ),
    ];
    for (system, body, said) in cases {
        let env = Env::new();
        let f = env.file("answer.json", body);
        let err = env.fails(&["import", f.to_str().unwrap(), "--system", system], 2);
        assert!(
            err.contains("is an error answer of the API ("),
            "{system}: {err}"
        );
        assert!(err.contains(said), "{system}: {err}");
    }
}

/// Issue 13 item 3: `--map` reaches into nested objects and names the values of a
/// status; the flag error names the field the admin mapped.
#[test]
fn map_takes_dotted_paths_and_value_lists() {
    let env = Env::new();
    let r = env.import(
        &fixture("okta/users.json"),
        "idp",
        &[
            "--map",
            "external_id=id,email=profile.email,first_name=profile.firstName,last_name=profile.lastName,inactive=status:SUSPENDED|DEPROVISIONED|STAGED|PROVISIONED",
        ],
    );
    assert_eq!(r["created"], 8);
    assert_eq!(
        person(&env, "idp", "00u1a2b3c4d5E6F7g8h9"),
        s("Amara Nwosu", "amara.nwosu@acme.example", "active")
    );
    assert_eq!(person(&env, "idp", "00u4d5e6f7g8H9I0j1k2").2, "active");
    assert_eq!(person(&env, "idp", "00u7g8h9i0j1K2L3m4n5").2, "deactivated");

    // Google's status words, for a CSV read with the map.
    let env = Env::new();
    env.import(
        &fixture("google/users.csv"),
        "gws",
        &["--map", "external_id=Email Address [Required],email=Email Address [Required],first_name=First Name [Required],last_name=Last Name [Required],active=Status [READ ONLY]:Active"],
    );
    assert_eq!(
        person(&env, "gws", "rafael.souza@acme.example").2,
        "deactivated"
    );
    assert_eq!(person(&env, "gws", "mei.chen@acme.example").2, "active");

    // A yes/no column that is not: the message names inactive and the column.
    let env = Env::new();
    let f = env.file("u.csv", "id,Locked\n1,sometimes\n");
    let err = env.fails(
        &[
            "import",
            f.to_str().unwrap(),
            "--system",
            "x",
            "--map",
            "external_id=id,inactive=Locked",
        ],
        2,
    );
    assert!(
        err.contains("'sometimes' in Locked is not a yes/no value for inactive"),
        "{err}"
    );
    assert!(!err.contains("active flag"), "{err}");
}

/// Issue 13 item 4: a mapping that gives no row an email or a name is said, not silent.
#[test]
fn a_mapping_without_emails_and_names_is_a_warning() {
    let env = Env::new();
    let r = env.import(
        &fixture("okta/users.json"),
        "idp",
        &["--map", "external_id=id"],
    );
    let w = r["warnings"][0].as_str().unwrap();
    assert!(w.contains("no row of"), "{w}");
    assert!(w.contains("has an email or a name"), "{w}");
    assert!(w.contains("profile.email"), "the keys are listed: {w}");
    // The human report says it as a note.
    let env = Env::new();
    let f = fixture("okta/users.json");
    let out = env.ok(&[
        "import",
        f.to_str().unwrap(),
        "--system",
        "idp",
        "--map",
        "external_id=id",
        "--dry-run",
    ]);
    assert!(out.contains("\nNote: no row of"), "{out}");
    // Generic reading takes `id` as the external ID.
    let env = Env::new();
    let f = env.file("people.csv", "id,email,name\n7,kim@acme.example,Kim Lee\n");
    let r = env.import(&f, "hris", &[]);
    assert_eq!(
        (r["preset"].as_str(), r["created"].as_u64()),
        (Some("generic"), Some(1))
    );
    assert_eq!(r["warnings"], json!([]));
    assert_eq!(person(&env, "hris", "7").0, "Kim Lee");
}

/// NDJSON of answers, a page a line (as a script that pages through an API writes
/// them): each line is read as its own answer.
#[test]
fn ndjson_of_answer_pages_reads_every_page() {
    let env = Env::new();
    let page = |ids: [u32; 2], after: &str| json!({"results": ids.iter().map(|i| json!({"id": i.to_string(), "email": format!("o{i}@acme.example"), "firstName": "O", "lastName": i.to_string(), "archived": false})).collect::<Vec<_>>(), "paging": {"next": {"after": after, "link": ""}}});
    let f = env.file(
        "pages.ndjson",
        format!("{}\n{}\n", page([1, 2], "3"), page([3, 4], "")),
    );
    let r = env.import(&f, "hubspot", &[]);
    assert_eq!(
        (r["format"].as_str(), r["created"].as_u64()),
        (Some("ndjson"), Some(4))
    );
    assert_eq!(person(&env, "hubspot", "4").0, "O 4");
    assert_eq!(
        r["warnings"],
        json!([]),
        "the last page says it is the last"
    );
    // Without the last page, the file is partial.
    let env = Env::new();
    let f = env.file("pages.ndjson", format!("{}\n", page([1, 2], "3")));
    let r = env.import(&f, "hubspot", &[]);
    assert!(
        r["warnings"][0]
            .as_str()
            .unwrap()
            .contains("one page of a longer answer"),
        "{r}"
    );
}

/// One record on its own (a HubSpot owner with its `teams`, an Okta user): its lists are
/// its fields, not records.
#[test]
fn a_single_record_with_lists_of_its_own() {
    let env = Env::new();
    let owner = env.file(
        "owner.json",
        r#"{"id": "41629779", "email": "kira.muller@acme.example", "type": "PERSON", "firstName": "Kira", "lastName": "Müller", "userId": 9586504, "archived": false, "teams": [{"id": "368389", "name": "Sales EMEA", "primary": true}]}"#,
    );
    let r = env.import(&owner, "hubspot", &[]);
    assert_eq!(r["created"], 1, "{r}");
    assert_eq!(person(&env, "hubspot", "41629779").0, "Kira Müller");
    // Keys sorted the other way round (the list first) cannot tell which is the record.
    let sorted = env.file(
        "sorted.json",
        r#"{"teams": [{"id": "368389", "name": "Sales EMEA", "primary": true}], "id": "41629780", "email": "lee@acme.example", "firstName": "Lee", "lastName": "Park", "archived": false}"#,
    );
    let err = env.fails(
        &["import", sorted.to_str().unwrap(), "--system", "hubspot"],
        2,
    );
    assert!(
        err.contains("has an ID of its own after a list of records under \"teams\""),
        "{err}"
    );
}
