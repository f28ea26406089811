//! The JSON and NDJSON readers on the answers of the vendors' APIs as they send them
//! (the fixtures of `tests/fixtures`, and answers shaped like them): the records found
//! under each envelope, the pages and errors an answer announces, and the messages of a
//! file that cannot be read. `tests/import` runs the same files through the binary.

use crate::domain::planner::{Field, Record};
use crate::import::map::ColumnMap;
use crate::import::{Format, Item, ReadInfo, ReadOptions, Wording};

/// What a reader handed on.
#[derive(Debug, Default)]
struct Out {
    /// "id | email | name | picture | active" per record (`-` absent, `∅` empty).
    records: Vec<String>,
    rows: Vec<(u64, Option<u64>)>,
    problems: Vec<String>,
    /// "row id: reason".
    skipped: Vec<String>,
    /// The IDs of rows with problems (`Item::Seen`).
    seen: Vec<String>,
    info: ReadInfo,
}

fn field<T: ToString>(f: &Field<T>) -> String {
    match f {
        Field::Absent => "-".into(),
        Field::Empty => "∅".into(),
        Field::Value(v) => v.to_string(),
    }
}

fn line(r: &Record) -> String {
    format!(
        "{} | {} | {} | {} | {}",
        r.external_id,
        field(&r.email),
        field(&r.name),
        field(&r.picture_url),
        field(&r.active)
    )
}

fn read_as(
    system: &str,
    format: Format,
    map: Option<&str>,
    text: impl AsRef<[u8]>,
) -> Result<Out, String> {
    let map = map.map(|m| ColumnMap::parse(m, Wording::CLI).unwrap());
    let opts = ReadOptions {
        system,
        format: Some(format),
        preset: None,
        map: map.as_ref(),
        file: "users.json",
        wording: Wording::CLI,
    };
    let mut out = Out::default();
    let info = crate::import::read(&mut text.as_ref(), &opts, &mut |item| {
        match item {
            Item::Record(r) => {
                out.rows.push((r.row, r.line));
                out.records.push(line(&r));
            }
            Item::Problem(p) => out.problems.push(p.to_string()),
            Item::Skipped(s) => out
                .skipped
                .push(format!("{} {}: {}", s.row, s.external_id, s.reason)),
            Item::Seen { external_id, .. } => out.seen.push(external_id),
        }
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    out.info = info;
    Ok(out)
}

fn json(system: &str, text: &str) -> Out {
    read_as(system, Format::Json, None, text).unwrap()
}

fn ndjson(system: &str, text: &str) -> Out {
    read_as(system, Format::Ndjson, None, text).unwrap()
}

fn refused(system: &str, text: &str) -> String {
    match read_as(system, Format::Json, None, text) {
        Err(e) => e,
        Ok(out) => panic!("read: {out:?}"),
    }
}

/// Whether the reader warned that the file is one page of several, and what said so.
fn page_of_many(out: &Out) -> Option<String> {
    let w = out.info.warnings.iter().find(|w| w.contains("one page"))?;
    assert_eq!(out.info.warnings.len(), 1, "{:?}", out.info.warnings);
    let what = w.split_once("answer (")?.1.split_once(" says more")?.0;
    Some(what.to_owned())
}

const NEXT_PAGE_WARNING: &str = "users.json is one page of a longer answer (done: false says more pages follow); accounts on the other pages were not imported and are left as they are.";

/// A REST query answer (`/services/data/vXX.X/query?q=SELECT … FROM User`): the records
/// under `records`, each with its `attributes`; `done: false` and `nextRecordsUrl` say
/// that more pages follow; the Automated Process user is not a person.
#[test]
fn a_salesforce_query_answer_gives_its_records_and_says_it_is_one_page() {
    let file = include_str!("../../../tests/fixtures/salesforce/query-users.json");
    let out = json("salesforce", file);
    assert_eq!(
        out.records,
        [
            "0058d00000AbCdEAAV | elena.petrova@acme.example | Elena Petrova | https://acme.file.force.example/profilephoto/7290AbCdE/F | true",
            "0058d00000FgHiJAAV | marcus.lee@acme.example | Marcus Lee | https://acme.file.force.example/profilephoto/7290FgHiJ/F | false",
        ]
    );
    assert_eq!(out.rows, [(1, None), (2, None)]);
    assert_eq!(
        out.skipped,
        [
            "3 0058d00000KlMnOAAV: not a Standard user (UserType AutomatedProcess)",
            "4 0058d00000PqRsTAAV: not a Standard user (UserType Guest)",
            "5 0058d00000UvWxYAAV: not a Standard user (UserType CsnOnly)",
            "6 0058d00000ZaBcDAAV: not a Standard user (UserType PowerPartner)",
            "7 0058d00000EfGhIAAV: not a Standard user (UserType PowerCustomerSuccess)",
        ]
    );
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(out.info.warnings, [NEXT_PAGE_WARNING]);
    assert_eq!(out.info.format, Some(Format::Json));
    assert_eq!(out.info.preset.map(|p| p.as_str()), Some("salesforce"));
    // The last page: `done: true` and no `nextRecordsUrl`.
    let last = file.replace("\"done\": false", "\"done\": true").replace(
        "\"nextRecordsUrl\": \"/services/data/v62.0/query/0r8xx3XsmMNiWcxAAF-2000\",",
        "",
    );
    assert_eq!(page_of_many(&json("salesforce", &last)), None);
    // `nextRecordsUrl` alone says so too; an empty one does not.
    let url_only = file.replace("\"done\": false", "\"done\": true");
    assert_eq!(
        page_of_many(&json("salesforce", &url_only)).as_deref(),
        Some("nextRecordsUrl")
    );
    let empty_url = url_only.replace("/services/data/v62.0/query/0r8xx3XsmMNiWcxAAF-2000", " ");
    assert_eq!(page_of_many(&json("salesforce", &empty_url)), None);
}

/// `sf data query --json`: the records under `result.records`, the paging inside
/// `result`, and a list of warnings (strings) beside `result` that is not a second list
/// of records.
#[test]
fn an_sf_cli_answer_is_read_under_result_with_its_warnings_beside_it() {
    let file = include_str!("../../../tests/fixtures/salesforce/sf-data-query.json");
    let out = json("salesforce", file);
    assert_eq!(out.records.len(), 2, "{out:?}");
    assert!(out.records[0].starts_with("0058d00000AbCdEAAV | elena.petrova@acme.example"));
    assert_eq!(page_of_many(&out), None);
    let warned = file.replace(
        "\"warnings\": []",
        "\"warnings\": [\"The query result is missing 1000 records due to a 2000 record limit. Increase the limit with the --limit flag.\"]",
    );
    let out = json("salesforce", &warned);
    assert_eq!(out.records.len(), 2, "{out:?}");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let more = file.replace("\"done\": true", "\"done\": false");
    assert_eq!(
        page_of_many(&json("salesforce", &more)).as_deref(),
        Some("result.done: false")
    );
}

/// `GET /services/data/vXX.X/sobjects/User/{id}`: one record on its own, not an answer.
#[test]
fn one_salesforce_user_record_is_one_record() {
    let file = include_str!("../../../tests/fixtures/salesforce/user-record.json");
    let out = json("salesforce", file);
    assert_eq!(
        out.records,
        [
            "0058d00000AbCdEAAV | elena.petrova@acme.example | Elena Petrova | https://acme.file.force.example/profilephoto/7290AbCdE/F | true"
        ]
    );
    assert_eq!(out.rows, [(1, None)]);
    assert!(out.info.warnings.is_empty(), "{:?}", out.info.warnings);
}

const HUBSPOT_OWNERS: &str = r#"{
  "results": [
    {"id": "41629779", "email": "ana.ruiz@acme.com", "type": "PERSON", "firstName": "Ana", "lastName": "Ruiz", "userId": 9586504, "userIdIncludingInactive": 9586504, "createdAt": "2019-12-12T15:41:30.262Z", "updatedAt": "2025-10-01T08:00:00.000Z", "archived": false, "teams": [{"id": "368389", "name": "Sales EMEA", "primary": true}]},
    {"id": "52188230", "email": "lee.park@acme.com", "type": "PERSON", "firstName": "Lee", "lastName": "Park", "userId": 9586511, "userIdIncludingInactive": 9586511, "createdAt": "2021-03-01T09:00:00.000Z", "updatedAt": "2024-01-15T10:30:00.000Z", "archived": true},
    {"id": "60000001", "email": "queue@acme.com", "type": "QUEUE", "firstName": "", "lastName": "", "userId": null, "createdAt": "2022-05-05T05:05:05.000Z", "updatedAt": "2022-05-05T05:05:05.000Z", "archived": false}
  ],
  "paging": {"next": {"after": "60000002", "link": "https://api.hubapi.com/crm/v3/owners/?after=60000002"}}
}"#;

/// HubSpot CRM owners v3: string IDs, `archived` the inactive flag, a queue skipped, and
/// `paging.next.after` (or its link) the sign of another page; an empty cursor is none.
#[test]
fn hubspot_owners_with_their_paging() {
    let out = json("hubspot", HUBSPOT_OWNERS);
    assert_eq!(
        out.records,
        [
            "41629779 | ana.ruiz@acme.com | Ana Ruiz | - | true",
            "52188230 | lee.park@acme.com | Lee Park | - | false",
        ]
    );
    assert_eq!(out.skipped, ["3 60000001: not a person (type QUEUE)"]);
    assert_eq!(page_of_many(&out).as_deref(), Some("paging.next.after"));
    let link_only = HUBSPOT_OWNERS.replace("\"after\": \"60000002\", ", "");
    assert_eq!(
        page_of_many(&json("hubspot", &link_only)).as_deref(),
        Some("paging.next.after")
    );
    let last = HUBSPOT_OWNERS.replace(
        r#"{"after": "60000002", "link": "https://api.hubapi.com/crm/v3/owners/?after=60000002"}"#,
        r#"{"after": " ", "link": ""}"#,
    );
    assert_eq!(page_of_many(&json("hubspot", &last)), None);
    let no_paging = HUBSPOT_OWNERS.replace(
        r#""paging": {"next": {"after": "60000002", "link": "https://api.hubapi.com/crm/v3/owners/?after=60000002"}}"#,
        r#""paging": {}"#,
    );
    assert_eq!(page_of_many(&json("hubspot", &no_paging)), None);
}

fn pipedrive(additional_data: &str) -> String {
    format!(
        r#"{{"success":true,"data":[{{"id":12345,"name":"Jane Doe","default_currency":"EUR","locale":"en_US","lang":1,"email":"Jane.Doe@acme.com","phone":null,"activated":true,"last_login":"2025-11-03 08:30:01","created":"2021-06-01 10:00:00","modified":"2025-11-03 08:30:01","has_created_company":true,"access":[{{"app":"sales","admin":true,"permission_set_id":"62cc4d7f"}}],"active_flag":true,"timezone_name":"Europe/Berlin","timezone_offset":"+01:00","role_id":1,"icon_url":"https://avatars.pipedrive.com/12345.png","is_you":true,"is_admin":1}},{{"id":12346,"name":"Ravi Shah","default_currency":"EUR","locale":"en_GB","lang":1,"email":"ravi.shah@acme.com","phone":"+44 20 7946 0000","activated":true,"last_login":null,"created":"2022-02-02 12:00:00","modified":"2024-12-01 12:00:00","has_created_company":false,"access":[{{"app":"sales","admin":false,"permission_set_id":"7c3a1e2f"}}],"active_flag":false,"timezone_name":"Europe/London","timezone_offset":"+00:00","role_id":1,"icon_url":null,"is_you":false,"is_admin":0}}],"additional_data":{additional_data}}}"#
    )
}

/// Pipedrive users (API v1): numeric IDs, `active_flag`, `icon_url` the picture; the
/// page's `additional_data.pagination.more_items_in_collection` (or the v2 cursor
/// `additional_data.next_cursor`) says whether more follow.
#[test]
fn pipedrive_users_with_their_pagination() {
    let last =
        pipedrive(r#"{"pagination":{"start":0,"limit":100,"more_items_in_collection":false}}"#);
    let out = json("pipedrive", &last);
    assert_eq!(
        out.records,
        [
            "12345 | Jane.Doe@acme.com | Jane Doe | https://avatars.pipedrive.com/12345.png | true",
            "12346 | ravi.shah@acme.com | Ravi Shah | ∅ | false",
        ]
    );
    assert_eq!(page_of_many(&out), None);
    let more = pipedrive(
        r#"{"pagination":{"start":0,"limit":2,"more_items_in_collection":true,"next_start":2}}"#,
    );
    assert_eq!(
        page_of_many(&json("pipedrive", &more)).as_deref(),
        Some("additional_data.pagination.more_items_in_collection")
    );
    let cursor = pipedrive(r#"{"next_cursor":"eyJmaWVsZCI6ImlkIiwiaWQiOjEyMzQ2fQ"}"#);
    assert_eq!(
        page_of_many(&json("pipedrive", &cursor)).as_deref(),
        Some("additional_data.next_cursor")
    );
    let no_cursor = pipedrive(r#"{"next_cursor":null}"#);
    assert_eq!(page_of_many(&json("pipedrive", &no_cursor)), None);
}

/// Slack `users.list`: names and emails under `profile`, Slackbot and bots skipped, the
/// deleted member inactive; `response_metadata.next_cursor` another page.
#[test]
fn slack_members_with_their_cursor() {
    let file = include_str!("../../../tests/fixtures/slack/users-list.json");
    let out = json("slack", file);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert!(
        out.skipped
            .iter()
            .any(|s| s.ends_with("USLACKBOT: Slackbot")),
        "{:?}",
        out.skipped
    );
    assert!(!out.records.is_empty());
    for r in &out.records {
        assert!(r.contains('@'), "a person has an email: {r}");
    }
    let more = file.replace(
        "\"next_cursor\": \"\"",
        "\"next_cursor\": \"dXNlcjpVMDYxTkZUVDI=\"",
    );
    assert_ne!(more, file, "the fixture is the last page");
    assert_eq!(page_of_many(&out), None);
    assert_eq!(
        page_of_many(&json("slack", &more)).as_deref(),
        Some("response_metadata.next_cursor")
    );
}

/// Zendesk users: (big) numeric IDs, the picture under `photo.content_url` (`"photo":
/// null` clears it), `active` and `suspended` both flags, end-users skipped; offset
/// paging (`next_page`) and cursor paging (`meta.has_more`).
#[test]
fn zendesk_users_with_both_kinds_of_paging() {
    let user = |id: &str, photo: &str, active: &str, suspended: &str, role: &str| {
        format!(
            r#"{{"id": {id}, "url": "https://acme.zendesk.example/api/v2/users/{id}.json", "name": "Sofia Lindqvist", "email": "sofia.lindqvist@acme.example", "photo": {photo}, "role": "{role}", "role_type": null, "active": {active}, "suspended": {suspended}, "shared_agent": false, "ticket_restriction": null, "tags": [], "user_fields": {{}}}}"#
        )
    };
    let photo = r#"{"url": "https://acme.zendesk.example/api/v2/attachments/382000000001.json", "id": 382000000001, "content_url": "https://acme.zendesk.example/system/photos/382000000001/sofia.png", "thumbnails": [{"id": 382000000002, "content_url": "https://acme.zendesk.example/system/photos/382000000001/sofia_thumb.png"}]}"#;
    let users = [
        user("381234567890", photo, "true", "false", "agent"),
        user("381234567891", "null", "true", "true", "admin"),
        user("381234567892", "null", "true", "false", "end-user"),
        user(
            "123456789012345678901234567890",
            "null",
            "false",
            "false",
            "agent",
        ),
    ]
    .join(",");
    let offset = format!(
        r#"{{"users": [{users}], "next_page": "https://acme.zendesk.example/api/v2/users.json?page=2", "previous_page": null, "count": 201}}"#
    );
    let out = json("zendesk", &offset);
    assert_eq!(
        out.records,
        [
            "381234567890 | sofia.lindqvist@acme.example | Sofia Lindqvist | https://acme.zendesk.example/system/photos/382000000001/sofia.png | true",
            "381234567891 | sofia.lindqvist@acme.example | Sofia Lindqvist | ∅ | false",
            "123456789012345678901234567890 | sofia.lindqvist@acme.example | Sofia Lindqvist | ∅ | false",
        ]
    );
    assert_eq!(
        out.skipped,
        ["3 381234567892: an end-user (a customer, not staff)"]
    );
    assert_eq!(page_of_many(&out).as_deref(), Some("next_page"));
    let cursor = |has_more: bool| {
        format!(
            r#"{{"users": [{users}], "meta": {{"has_more": {has_more}, "after_cursor": "xyz", "before_cursor": null}}, "links": {{"next": "https://acme.zendesk.example/api/v2/users.json?page[after]=xyz", "prev": null}}}}"#
        )
    };
    assert_eq!(
        page_of_many(&json("zendesk", &cursor(true))).as_deref(),
        Some("meta.has_more")
    );
    assert_eq!(page_of_many(&json("zendesk", &cursor(false))), None);
}

/// Okta `GET /api/v1/users`: a bare array, the email and names under `profile`, the
/// status words; keys of the first record listed when it does not fit.
#[test]
fn okta_users_with_their_profile() {
    let file = include_str!("../../../tests/fixtures/okta/users.json");
    let out = json("okta", file);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(
        out.records[0],
        "00u1a2b3c4d5E6F7g8h9 | amara.nwosu@acme.example | Amara Nwosu | - | true"
    );
    assert!(out.records[1].starts_with("00u2b3c4d5e6F7G8h9i0 | diego.fuentes@"));
    assert!(
        out.records[1].ends_with("| false"),
        "STAGED: {}",
        out.records[1]
    );
}

/// Microsoft Graph `GET /users`: the records under `value`, `@odata.nextLink` another
/// page, the sign-in name the email when `mail` is null.
#[test]
fn graph_users_with_their_next_link() {
    let file = include_str!("../../../tests/fixtures/entra/graph-users.json");
    let out = json("entra", file);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(
        out.records[1],
        "a3b1c9d7-2e4f-4a6b-8c0d-1e2f3a4b5c6d | tomasz.wisniewski@acme.example | Tomasz Wiśniewski | - | true"
    );
    assert_eq!(page_of_many(&out).as_deref(), Some("@odata.nextLink"));
}

/// The error answers of the APIs are refused as such, quoting what they said.
#[test]
fn error_answers_are_refused_with_what_they_say() {
    let cases = [
        (
            "slack",
            r#"{"ok":false,"error":"invalid_auth"}"#,
            r#"("ok": false, "error": 'invalid_auth')"#,
        ),
        (
            "entra",
            r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired or is not yet valid.","innerError":{"date":"2025-11-03T08:00:00","request-id":"c1a2","client-request-id":"c1a2"}}}"#,
            r#"("error": 'InvalidAuthenticationToken' 'Access token has expired or is not yet valid.')"#,
        ),
        (
            "entra",
            r#"{"error":{"code":"Request_ResourceNotFound"}}"#,
            r#"("error": 'Request_ResourceNotFound')"#,
        ),
        (
            "entra",
            r#"{"error":{"message":"Insufficient privileges to complete the operation."}}"#,
            r#"("error": 'Insufficient privileges to complete the operation.')"#,
        ),
        ("entra", r#"{"error":{}}"#, r#"("error")"#),
        (
            "okta",
            r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oaeXyz","errorCauses":[]}"#,
            r#"("errorCode": 'E0000011', "errorSummary": 'Invalid token provided')"#,
        ),
        (
            "salesforce",
            r#"{"code":1,"context":"DataQuery","commandName":"DataQuery","message":"sObject type 'Usr' is not supported.","name":"INVALID_TYPE","status":1,"stack":"INVALID_TYPE: ...","exitCode":1,"warnings":[]}"#,
            r#"("status": '1', "message": 'sObject type 'Usr' is not supported.')"#,
        ),
        (
            "hubspot",
            r#"{"status":"error","message":"Authentication credentials not found.","correlationId":"4f1b0c1e-7a3e-4d8f-9f5b-2a6c8e0d1b2a","category":"INVALID_AUTHENTICATION"}"#,
            r#"("status": 'error', "message": 'Authentication credentials not found.')"#,
        ),
        (
            "pipedrive",
            r#"{"success":false,"error":"unauthorized access","errorCode":401,"error_info":"Please check developers.pipedrive.com"}"#,
            r#"("success": false, "error": 'unauthorized access', "errorCode": '401')"#,
        ),
    ];
    for (system, answer, said) in cases {
        let e = refused(system, answer);
        assert_eq!(
            e,
            format!(
                "Nothing was imported: users.json is an error answer of the API {said}, not a list of users; ask the API again."
            ),
            "{system}"
        );
    }
    // A status without a message, a zero status or a success: not errors.
    let page = |head: &str| {
        format!(
            r#"{{{head}"result": {{"records": [{{"attributes": {{"type": "User"}}, "Id": "0058d00000AbCdEAAV", "Name": "A", "IsActive": true}}], "done": true}}}}"#
        )
    };
    for head in [
        r#""status": 1, "#,
        r#""status": 0, "message": "ok", "#,
        r#""success": true, "#,
        r#""error": "", "#,
    ] {
        let out = json("salesforce", &page(head));
        assert_eq!(out.records.len(), 1, "{head}: {out:?}");
    }
}

/// A key twice in an object: JSON readers disagree on which one counts, so the row
/// (or the answer) is refused, naming the key.
#[test]
fn a_key_twice_is_a_problem_of_its_record_or_of_the_answer() {
    let out = json(
        "hubspot",
        r#"{"results": [{"id": "1", "email": "a@acme.com", "firstName": "A", "Email": "b@acme.com", "archived": false}, {"id": "2", "email": "c@acme.com", "firstName": "C", "archived": false}]}"#,
    );
    assert_eq!(
        out.problems,
        [
            "row 1: the key \"email\" appears twice in this record (JSON readers disagree on which one counts); remove one"
        ]
    );
    assert_eq!(out.records, ["2 | c@acme.com | C | - | true"]);
    let out = json(
        "hubspot",
        r#"{"results": [{"id": "1", "email": "a@acme.com", "firstName": "A", "archived": false}], "Results": []}"#,
    );
    assert_eq!(
        out.problems,
        [
            "the key \"Results\" appears twice in the top-level object (JSON readers disagree on which one counts); remove one"
        ]
    );
}

/// Two lists of objects in one answer: which one holds the users is not guessed.
#[test]
fn two_lists_of_records_are_a_problem() {
    let out = json(
        "zendesk",
        r#"{"users": [{"id": 1, "name": "A", "email": "a@acme.com", "role": "agent"}], "identities": [{"id": 9, "user_id": 1, "type": "email", "value": "a@acme.com"}], "count": 1}"#,
    );
    assert_eq!(
        out.problems,
        [
            "it holds two lists of records, under \"users\" and \"identities\"; give the one to import on its own"
        ]
    );
    // A list of plain values beside the records is not a second list.
    let out = json(
        "zendesk",
        r#"{"users": [{"id": 1, "name": "A", "email": "a@acme.com", "role": "agent"}], "tags": ["vip", "emea"], "count": 1}"#,
    );
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(out.records.len(), 1);
}

/// An object with an ID of its own is a record even when it holds lists (HubSpot v2's
/// `remoteList`); an ID after a list of records leaves which is the record open.
#[test]
fn an_object_with_an_id_is_a_record_and_its_lists_are_fields() {
    let out = json(
        "hubspot",
        r#"{"portalId": 62515, "ownerId": 64, "type": "PERSON", "firstName": "Holly", "lastName": "Flax", "email": "holly.flax@acme.example", "remoteList": [{"id": 641, "remoteId": "9586504", "remoteType": "HUBSPOT", "active": true}], "isActive": true}"#,
    );
    assert_eq!(
        out.records,
        ["64 | holly.flax@acme.example | Holly Flax | - | true"]
    );
    let out = json(
        "generic",
        r#"{"records": [{"id": "a-1", "email": "a@acme.com"}], "id": "x"}"#,
    );
    assert_eq!(
        out.problems,
        [
            "the top-level object has an ID of its own after a list of records under \"records\"; give the records as a list, or the one record on its own"
        ]
    );
}

/// Elements of a list of records that are not objects are problems of their rows.
#[test]
fn elements_that_are_not_objects_are_named_by_row() {
    let out = json(
        "workday",
        r#"[{"external_id": "w-1", "email": "a@acme.com"}, "w-2", 3, -4, 5.5, true, null, ["w-6"], {"external_id": "w-9"}]"#,
    );
    let not_object = "it is not an object (expected {\"key\": value, …})";
    let rows: Vec<String> = (2..=8).map(|r| format!("row {r}: {not_object}")).collect();
    assert_eq!(out.problems, rows);
    assert_eq!(
        out.records,
        ["w-1 | a@acme.com | - | - | -", "w-9 | - | - | - | -"]
    );
    // A bare array whose first element is not an object.
    let out = json("workday", r#"[1, {"external_id": "w-1"}]"#);
    assert_eq!(out.problems, [format!("row 1: {not_object}")]);
}

/// A document that is not a list nor an object says what it is.
#[test]
fn a_document_of_one_value_says_what_it_holds() {
    for (doc, found) in [
        ("42", "a number"),
        ("-42", "a number"),
        ("4.2", "a number"),
        ("\"users\"", "a string"),
        ("null", "null"),
        ("true", "a single value"),
    ] {
        let out = json("workday", doc);
        assert_eq!(
            out.problems,
            [format!(
                "the JSON is malformed: expected an array of objects, found {found} at line 1 column {} (before the first record)",
                doc.len()
            )],
            "{doc}"
        );
    }
}

/// Values are taken as the file writes them: numbers as their digits (past 64 bits,
/// negative, with a fraction), booleans as true/false, an object or list where one
/// value belongs is a problem.
#[test]
fn numbers_are_their_digits_and_nested_values_are_problems() {
    let out = ndjson(
        "workday",
        "{\"external_id\": -7, \"email\": \"a@acme.com\", \"name\": 12.50}\n\
         {\"external_id\": 123456789012345678901234567890, \"active\": false}\n\
         {\"external_id\": \"w-3\", \"name\": true}\n",
    );
    assert_eq!(
        out.records,
        [
            "-7 | a@acme.com | 12.50 | - | -",
            "123456789012345678901234567890 | - | - | - | false",
            "w-3 | - | true | - | -",
        ]
    );
    let out = json(
        "workday",
        r#"[{"external_id": "w-1", "email": {"work": "a@acme.com"}, "name": ["A"], "picture_url": {}}]"#,
    );
    assert_eq!(
        out.problems,
        [
            "row 1: the email is an object or a list, not a single value",
            "row 1: the name is an object or a list, not a single value",
            "row 1: the picture URL is an object or a list, not a single value",
        ]
    );
    assert_eq!(out.seen, ["w-1"]);
}

/// A file that is not JSON, cut off, or not UTF-8: one problem that says which, and
/// where the reading stopped.
#[test]
fn a_broken_document_says_how_and_where() {
    let out = json(
        "workday",
        r#"[{"external_id": "w-1"}, {"external_id": "w-2",}]"#,
    );
    assert_eq!(
        out.problems,
        ["the JSON is malformed: trailing comma at line 1 column 48 (after row 1)"]
    );
    assert_eq!(out.records, ["w-1 | - | - | - | -"]);
    let out = json("workday", r#"{"results": [{"external_id": "w-1"}, {"ext"#);
    assert_eq!(
        out.problems,
        [
            "the JSON ends too early (EOF while parsing a string at line 1 column 42); the file may be cut off (after row 1)"
        ]
    );
    let out = read_as(
        "workday",
        Format::Json,
        None,
        // Latin-1 "é" in a name: not UTF-8.
        b"[{\"external_id\": \"w-1\", \"name\": \"Ren\xe9\"}]",
    );
    let out = out.unwrap();
    assert_eq!(
        out.problems,
        [
            "the file is not valid UTF-8 (line 1, column 37); save or export it as UTF-8 (before the first record)"
        ]
    );
    assert!(out.records.is_empty());
}

/// NDJSON: a record a line, the problems named by row and line (blank lines count as
/// lines, not rows); a line past the longest record is skipped without being held.
#[test]
fn ndjson_problems_are_named_by_row_and_line() {
    let text = "\u{feff}{\"external_id\": \"w-1\", \"email\": \"a@acme.com\"}\n\
        \n\
        {\"external_id\": \"w-2\", \"email\": \"nobody\"}\r\n\
        {\"external_id\": \"w-3\"\n\
        [1]\n\
        {\"external_id\": \"w-4\", \"email\": \"d@acme.com\"}\n";
    let out = ndjson("workday", text);
    assert_eq!(
        out.records,
        [
            "w-1 | a@acme.com | - | - | -",
            "w-4 | d@acme.com | - | - | -"
        ]
    );
    assert_eq!(out.rows, [(1, Some(1)), (5, Some(6))]);
    assert_eq!(
        out.problems,
        [
            "row 2 (line 3): the email 'nobody' has no '@'",
            "row 3 (line 4): the JSON ends too early (EOF while parsing an object at line 1 column 21); the file may be cut off",
            "row 4 (line 5): it is not an object (expected {\"key\": value, …})",
        ]
    );
    let mut long = b"{\"external_id\": \"w-1\"}\n{\"external_id\": \"w-2\", \"name\": \"".to_vec();
    long.extend(std::iter::repeat_n(
        b'x',
        crate::import::MAX_RECORD_BYTES + 10,
    ));
    long.extend_from_slice(
        b"\"}\n{\"external_id\": \"w-3\", \"bad\": \"\xff\"}\n{\"external_id\": \"w-4\"}\n",
    );
    let out = read_as("workday", Format::Ndjson, None, &long).unwrap();
    assert_eq!(
        out.problems,
        [
            "row 2 (line 2): the line is longer than 1 MiB; a record is at most that long (is the file NDJSON?)",
            "row 3 (line 3): the line is not valid UTF-8 (byte 0xFF at column 32); save or export the file as UTF-8",
        ]
    );
    assert_eq!(out.rows, [(1, Some(1)), (4, Some(4))]);
    // A line of exactly the longest length is read.
    let head = "{\"external_id\": \"w-1\", \"notes\": \"";
    let pad = "x".repeat(crate::import::MAX_RECORD_BYTES - head.len() - 2);
    let out = ndjson("workday", &format!("{head}{pad}\"}}"));
    assert_eq!(out.records, ["w-1 | - | - | - | -"]);
    // The last line may end without a line break.
    let out = ndjson(
        "workday",
        "{\"external_id\": \"w-1\"}\n{\"external_id\": \"w-2\"}",
    );
    assert_eq!(out.records, ["w-1 | - | - | - | -", "w-2 | - | - | - | -"]);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
}

/// Pages of an answer given a line each: the last page says whether more follow, and a
/// line of records alone leaves what the pages said as it was.
#[test]
fn ndjson_pages_say_more_only_on_the_last_page() {
    let page = |ids: [&str; 2], after: &str| {
        format!(
            r#"{{"results": [{{"id": "{}", "email": "o{0}@acme.com", "firstName": "O", "archived": false}}, {{"id": "{}", "email": "o{1}@acme.com", "firstName": "O", "archived": false}}], "paging": {{"next": {{"after": "{after}"}}}}}}"#,
            ids[0], ids[1]
        )
    };
    let text = format!("{}\n{}\n", page(["1", "2"], "3"), page(["3", "4"], ""));
    let out = ndjson("hubspot", &text);
    assert_eq!(out.records.len(), 4);
    assert_eq!(page_of_many(&out), None);
    let text = format!("{}\n{}\n", page(["1", "2"], ""), page(["3", "4"], "5"));
    assert_eq!(
        page_of_many(&ndjson("hubspot", &text)).as_deref(),
        Some("paging.next.after")
    );
    // A record on its own line after the last page: the page's word stands.
    let text = format!(
        "{}\n{}\n",
        page(["1", "2"], "3"),
        r#"{"id": "9", "email": "o9@acme.com", "firstName": "O", "archived": false}"#
    );
    let out = ndjson("hubspot", &text);
    assert_eq!(out.records.len(), 3);
    assert_eq!(page_of_many(&out).as_deref(), Some("paging.next.after"));
}

/// When the first record fits no mapping, the refusal lists its keys as paths: nested
/// objects by their keys two levels down, deeper ones by their path only.
#[test]
fn the_keys_of_a_first_record_that_does_not_fit_are_listed() {
    // SOQL without `Id`, with a parent relationship two levels deep.
    let e = refused(
        "salesforce",
        r#"{"totalSize": 1, "done": true, "records": [{"attributes": {"type": "User", "url": "/x"}, "Name": "Elena Petrova", "Manager": {"attributes": {"type": "User", "url": "/y"}, "Profile": {"attributes": {"type": "Profile", "url": "/z"}, "Name": "System Administrator"}}, "Tags": [], "Alias": "epetr", "Quota": 12, "IsPortalEnabled": false, "Offset": -60, "Rate": 1.5, "ManagerId": null}]}"#,
    );
    assert_eq!(
        e,
        "Nothing was imported: users.json: there is no external_id or id among the keys of the first record (attributes, Name, Manager.attributes.type, Manager.attributes.url, Manager.Profile.attributes, Manager.Profile.Name, Tags, Alias, Quota, IsPortalEnabled, Offset, Rate, ManagerId); name the ID column with --map external_id=COLUMN, or choose a preset with --preset; nor does it look like a Salesforce User export (no id or user id column or key)."
    );
    // At the top level, the scalars of an answer are keys of the one record.
    let e = refused(
        "workday",
        r#"{"Personalnummer": 7, "E-Mail": "a@acme.com", "Aktiv": true, "Leer": null, "Name": {"Vorname": "A"}}"#,
    );
    assert!(
        e.ends_with("(Personalnummer, E-Mail, Aktiv, Leer, Name.Vorname); name the ID column with --map external_id=COLUMN, or choose a preset with --preset."),
        "{e}"
    );
}

/// Dotted names are paths into nested objects, and found as written too; `null` for an
/// object clears every name under it; a `--map` path reads a key of the admin's own.
#[test]
fn dotted_names_are_paths_and_keys() {
    let out = json(
        "okta",
        r#"[{"id": "00u1a2b3c4d5E6F7g8h9", "status": "ACTIVE", "statusChanged": null, "profile": {"firstName": "Amara", "lastName": "Nwosu", "login": "amara@acme.example", "email": "amara@acme.example"}},
            {"id": "00u2b3c4d5e6F7G8h9i0", "status": "SUSPENDED", "profile": null},
            {"id": "00u3c4d5e6f7G8H9i0j1", "status": "ACTIVE", "profile.email": "flat@acme.example", "profile": {"firstName": "Flat"}}]"#,
    );
    assert_eq!(
        out.records,
        [
            "00u1a2b3c4d5E6F7g8h9 | amara@acme.example | Amara Nwosu | - | true",
            "00u2b3c4d5e6F7G8h9i0 | ∅ | ∅ | - | false",
            "00u3c4d5e6f7G8H9i0j1 | flat@acme.example | Flat | - | true",
        ]
    );
    let out = read_as(
        "workday",
        Format::Json,
        Some("external_id=worker.id,email=worker.contact.email,name=Name"),
        r#"{"data": [{"worker": {"id": "W-1", "contact": {"email": "a@acme.com", "phone": "1"}}, "Name": "A"}, {"worker": {"id": "W-2", "contact": null}, "Name": "B"}]}"#,
    )
    .unwrap();
    assert_eq!(
        out.records,
        ["W-1 | a@acme.com | A | - | -", "W-2 | ∅ | B | - | -"]
    );
}

/// A file that fits the system's preset by its names but not by its IDs is refused
/// whole on its first record, saying what it looks like; a later record whose ID does
/// not fit is a problem of its row.
#[test]
fn ids_of_another_system_refuse_the_file_on_the_first_record_only() {
    let zendesk = r#"{"users": [{"id": 381234567890, "name": "Sofia Lindqvist", "email": "sofia.lindqvist@acme.example", "role": "agent", "shared_agent": false, "ticket_restriction": null, "suspended": false}], "next_page": null, "count": 1}"#;
    assert_eq!(
        refused("salesforce", zendesk),
        "Nothing was imported: users.json does not hold Salesforce accounts: on row 1, the external ID '381234567890' does not fit: a Salesforce User ID is 15 or 18 letters and digits starting with 005; this looks like a Zendesk users answer: numeric ids, role/shared_agent/ticket_restriction/suspended; import it with --system zendesk."
    );
    let unknown = r#"{"records": [{"attributes": {"type": "User"}, "Id": "41629779", "Name": "A", "Email": "a@acme.com"}]}"#;
    assert_eq!(
        refused("salesforce", unknown),
        "Nothing was imported: users.json does not hold Salesforce accounts: on row 1, the external ID '41629779' does not fit: a Salesforce User ID is 15 or 18 letters and digits starting with 005; check that --system salesforce is the system this file comes from."
    );
    let later = r#"{"records": [{"attributes": {"type": "User"}, "Id": "0055g00000ABcdE", "Name": "A", "Email": "a@acme.com"}, {"attributes": {"type": "User"}, "Id": "41629779", "Name": "B", "Email": "b@acme.com"}, {"attributes": {"type": "User"}, "Id": "0055g00000XyZ12", "Name": "C", "Email": "c"}]}"#;
    let out = json("salesforce", later);
    assert_eq!(
        out.problems,
        [
            "row 2: the external ID '41629779' does not fit: a Salesforce User ID is 15 or 18 letters and digits starting with 005",
            "row 3: the email 'c' has no '@'",
        ]
    );
    assert_eq!(out.seen, ["41629779", "0055g00000XyZ12AAF"]);
    // A first row with a problem but an ID that fits: later IDs are problems too.
    let first_bad = later.replacen("a@acme.com", "a", 1);
    let out = json("salesforce", &first_bad);
    assert_eq!(out.problems.len(), 3, "{:?}", out.problems);
}

/// When no row has an email or a name, the reader warns that profiles would be named
/// after their IDs, saying how to map the columns; one row with either is enough.
#[test]
fn a_file_without_emails_or_names_is_warned_of() {
    let warned = "no row of users.json has an email or a name, read as generic (a file with the generic columns), so new profiles are named after their external IDs; if the file has them, name them with --map email=…,name=… (the keys of the first record are: external_id, Mail, Anzeigename)";
    let out = json(
        "workday",
        r#"[{"external_id": "w-1", "Mail": "a@acme.com", "Anzeigename": "A"}, {"external_id": "w-2"}]"#,
    );
    assert_eq!(out.info.warnings, [warned]);
    assert_eq!(out.records.len(), 2);
    for fields in [r#""email": "b@acme.com""#, r#""name": "B""#] {
        let text = format!(
            r#"[{{"external_id": "w-1", "Mail": "a@acme.com", "Anzeigename": "A"}}, {{"external_id": "w-2", {fields}}}]"#
        );
        assert_eq!(
            json("workday", &text).info.warnings,
            [] as [&str; 0],
            "{fields}"
        );
    }
    // No record at all: nothing to warn of.
    assert!(json("workday", r#"{"data": []}"#).info.warnings.is_empty());
    assert!(json("workday", "[]").info.warnings.is_empty());
}

/// The keys of a first record are kept for its message up to 300 (a record of
/// thousands of keys is not copied whole); an empty key is not a name.
#[test]
fn a_first_record_of_many_keys_lists_thirty_and_counts_three_hundred() {
    let keys: Vec<String> = (1..=320).map(|i| format!("\"field{i}\": {i}")).collect();
    let e = refused("workday", &format!("[{{\"\": 0, {}}}]", keys.join(", ")));
    let listed: Vec<String> = (1..=30).map(|i| format!("field{i}")).collect();
    assert!(
        e.contains(&format!("({}, … (300 in all))", listed.join(", "))),
        "{e}"
    );
}

/// After the first record only the chosen mapping's names are read: a name of another
/// preset that a later record holds twice is not a problem (nobody reads it), one the
/// mapping reads is.
#[test]
fn later_records_are_read_for_the_chosen_mapping_only() {
    let out = json(
        "hubspot",
        r#"{"results": [
            {"id": "1", "email": "a@acme.com", "firstName": "A", "lastName": "One", "userId": 1, "archived": false},
            {"id": "2", "email": "b@acme.com", "firstName": "B", "lastName": "Two", "userId": 2, "userId": 3, "archived": false},
            {"id": "3", "email": "c@acme.com", "firstName": "C", "lastName": "Three", "lastName": "Four", "archived": false}
        ]}"#,
    );
    assert_eq!(
        out.records,
        [
            "1 | a@acme.com | A One | - | true",
            "2 | b@acme.com | B Two | - | true"
        ]
    );
    assert_eq!(
        out.problems,
        [
            "row 3: the key \"lastname\" appears twice in this record (JSON readers disagree on which one counts); remove one"
        ]
    );
}

/// A key that other names lie under (`profile` for Okta's `profile.email`) mapped as a
/// field of its own takes a single value of any kind; `null` clears it; a list or an
/// object is a problem. A key that leads on to names is listed when the first record
/// does not fit.
#[test]
fn a_key_with_names_under_it_takes_a_single_value() {
    let read = |profile: &str| {
        read_as(
            "workday",
            Format::Json,
            Some("external_id=id,email=profile"),
            format!(r#"[{{"id": "w-1", "profile": {profile}}}]"#),
        )
        .unwrap()
    };
    assert_eq!(
        read(r#""a@acme.com""#).records,
        ["w-1 | a@acme.com | - | - | -"]
    );
    assert_eq!(read("null").records, ["w-1 | ∅ | - | - | -"]);
    for (value, problem) in [
        ("true", "row 1: the email 'true' has no '@'"),
        ("42", "row 1: the email '42' has no '@'"),
        ("-42", "row 1: the email '-42' has no '@'"),
        ("4.2", "row 1: the email '4.2' has no '@'"),
        (
            r#"["a@acme.com"]"#,
            "row 1: the email is an object or a list, not a single value",
        ),
        (
            r#"{"email": "a@acme.com"}"#,
            "row 1: the email is an object or a list, not a single value",
        ),
    ] {
        assert_eq!(read(value).problems, [problem], "{value}");
    }
    // Okta's `profile` given as text: listed among the keys.
    let e = refused(
        "okta",
        r#"[{"status": "ACTIVE", "profile": "amara@acme.example"}]"#,
    );
    assert!(
        e.contains("among the keys of the first record (status, profile)"),
        "{e}"
    );
}

/// Signs of an answer that say nothing: an empty error, a status that is not an error
/// (even with a message), a cursor given as a number is still a cursor.
#[test]
fn an_answer_without_records_is_an_error_only_when_it_says_so() {
    for answer in [
        r#"{"ok": true, "members": [], "error": ""}"#,
        r#"{"status": "success", "message": "0 users", "data": []}"#,
        r#"{"status": 0, "message": "", "result": {"records": [], "totalSize": 0, "done": true}}"#,
    ] {
        let out = json("slack", answer);
        assert!(
            out.records.is_empty() && out.problems.is_empty(),
            "{answer}: {out:?}"
        );
        assert!(out.info.warnings.is_empty(), "{answer}: {out:?}");
    }
    let numeric = HUBSPOT_OWNERS.replace(
        r#"{"after": "60000002", "link": "https://api.hubapi.com/crm/v3/owners/?after=60000002"}"#,
        r#"{"after": 60000002}"#,
    );
    assert_eq!(
        page_of_many(&json("hubspot", &numeric)).as_deref(),
        Some("paging.next.after")
    );
}

/// The top level of an NDJSON line is a record: `null` under a key that leads on
/// clears every name under it, a list after the ID is a field (a problem where a single
/// value belongs); keys are told apart by their letters, not only by a hash (`id` and
/// `ip`, `url` and `uri`), and compared ignoring case.
#[test]
fn the_top_level_of_a_line_is_a_record() {
    let out = ndjson(
        "okta",
        "{\"id\": \"00u2b3c4d5e6F7G8h9i0\", \"status\": \"SUSPENDED\", \"statusChanged\": null, \"profile\": null}\n\
         {\"id\": \"00u1a2b3c4d5E6F7g8h9\", \"status\": \"ACTIVE\", \"profile\": {\"firstName\": \"Amara\", \"email\": \"amara@acme.example\"}}\n",
    );
    assert_eq!(
        out.records,
        [
            "00u2b3c4d5e6F7G8h9i0 | ∅ | ∅ | - | false",
            "00u1a2b3c4d5E6F7g8h9 | amara@acme.example | Amara | - | true",
        ]
    );
    let out = ndjson(
        "workday",
        "{\"external_id\": \"w-1\", \"email\": [\"a@acme.com\"], \"id\": 7, \"ip\": \"10.1.2.3\", \"url\": \"https://hr.acme.com/w-1\", \"uri\": \"/w-1\"}\n\
         {\"external_id\": \"w-2\", \"Email\": \"b@acme.com\", \"EMAIL\": \"c@acme.com\"}\n",
    );
    assert_eq!(
        out.problems,
        [
            "row 1 (line 1): the email is an object or a list, not a single value",
            "row 2 (line 2): the key \"email\" appears twice in this record (JSON readers disagree on which one counts); remove one",
            "the key \"EMAIL\" appears twice in the top-level object (JSON readers disagree on which one counts); remove one",
        ]
    );
}

/// Inside an answer's `result` only scalars and lists are looked at: a top-level
/// object that is a record lists `result` as one key, not what it holds.
#[test]
fn what_an_object_under_result_holds_is_not_a_key_of_the_record() {
    let e = refused(
        "workday",
        r#"{"name": "A", "result": {"score": 5, "detail": {"q1": 5}}, "active": true}"#,
    );
    assert!(
        e.contains("among the keys of the first record (name, result, active);"),
        "{e}"
    );
}
