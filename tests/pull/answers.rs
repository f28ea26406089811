//! The vendors' answers as their documentation shows them (the shapes the stub replays):
//! - HubSpot CRM owners v3, `GET /crm/v3/owners`: `{"results":[owner…],"paging":{"next":
//!   {"after":"…","link":"…"}}}`, an owner `{"id":"41629779","email","type":"PERSON",
//!   "firstName","lastName","userId","userIdIncludingInactive","createdAt","updatedAt",
//!   "archived","teams":[…]}` (developers.hubspot.com, CRM API › Owners).
//! - Pipedrive users v1, `GET /v1/users`: `{"success":true,"data":[user…]}` (and, where an
//!   answer pages, `additional_data.pagination`), a user with a numeric `id`, `name`,
//!   `email`, `active_flag`, `icon_url`, `is_admin`, `role_id`… (developers.pipedrive.com).
//! - Salesforce REST query: `{"totalSize","done","nextRecordsUrl","records":[{"attributes":
//!   {"type":"User","url"},…}]}` (REST API Developer Guide › Query).
//! - Their errors: HubSpot `{"status":"error","message","correlationId","category"}`,
//!   Pipedrive `{"success":false,"error","errorCode","error_info"}`, Salesforce
//!   `[{"message","errorCode"}]`.
#![allow(dead_code)]

use serde_json::{Value, json};

use super::stub::{Reply, Request};

/// A person in the systems: number n gives the IDs, names and emails below.
#[derive(Debug, Clone)]
pub struct Person {
    pub n: u64,
    pub active: bool,
}

pub fn people(range: std::ops::Range<u64>) -> Vec<Person> {
    range.map(|n| Person { n, active: true }).collect()
}

pub fn email(n: u64) -> String {
    format!("person{n}@acme.example")
}

pub fn hubspot_id(n: u64) -> String {
    (41_629_000 + n).to_string()
}

pub fn hubspot_owner(p: &Person) -> Value {
    if !p.active {
        return hubspot_archived_owner(p, &email(p.n));
    }
    json!({
        "id": hubspot_id(p.n),
        "email": email(p.n),
        "type": "PERSON",
        "firstName": format!("First{}", p.n),
        "lastName": format!("Last{}", p.n),
        "userId": 9_586_000 + p.n,
        "userIdIncludingInactive": 9_586_000 + p.n,
        "createdAt": "2019-12-25T13:01:35.228Z",
        "updatedAt": "2023-08-22T13:40:26.790Z",
        "archived": false,
        "teams": [{"id": "368389", "name": "Sales Team", "primary": true}]
    })
}

/// An owner of the `archived=true` list as HubSpot sends it: empty names, `userId` null
/// (the user's ID only in `userIdIncludingInactive`), no teams.
pub fn hubspot_archived_owner(p: &Person, email: &str) -> Value {
    json!({
        "id": hubspot_id(p.n),
        "email": email,
        "type": "PERSON",
        "firstName": "",
        "lastName": "",
        "userId": null,
        "userIdIncludingInactive": 9_586_000 + p.n,
        "createdAt": "2019-12-25T13:01:35.228Z",
        "updatedAt": "2025-10-02T07:12:44.100Z",
        "archived": true
    })
}

/// Serves `GET /crm/v3/owners` over `active` and `archived` owners as HubSpot pages them
/// (`after` is the index of the next owner, as an opaque string).
pub fn hubspot(req: &Request, active: &[Person], archived: &[Person]) -> Reply {
    assert_eq!(req.path(), "/crm/v3/owners", "{}", req.target);
    let limit: usize = req.param("limit").unwrap().parse().unwrap();
    let after: usize = req.param("after").map_or(0, |a| a.parse().unwrap());
    let list = if req.param("archived") == Some("true") {
        archived
    } else {
        active
    };
    let end = (after + limit).min(list.len());
    let results: Vec<Value> = list[after.min(end)..end]
        .iter()
        .map(hubspot_owner)
        .collect();
    let mut page = json!({ "results": results });
    if end < list.len() {
        page["paging"] = json!({"next": {
            "after": end.to_string(),
            "link": format!("https://api.hubapi.com/crm/v3/owners/?limit={limit}&after={end}")
        }});
    }
    Reply::json(200, serde_json::to_vec_pretty(&page).unwrap())
        .header("X-HubSpot-RateLimit-Max", "190")
        .header("X-HubSpot-RateLimit-Remaining", "189")
        .header("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
}

pub fn hubspot_error(status: u16, message: &str, category: &str) -> Reply {
    Reply::json(
        status,
        json!({
            "status": "error",
            "message": message,
            "correlationId": "aeb5f871-7f07-4993-9211-075dc63e7cbf",
            "category": category
        })
        .to_string(),
    )
}

pub fn pipedrive_user(p: &Person) -> Value {
    json!({
        "id": 10_000 + p.n,
        "name": format!("First{} Last{}", p.n, p.n),
        "default_currency": "EUR",
        "locale": "en_US",
        "lang": 1,
        "email": email(p.n),
        "phone": null,
        "activated": true,
        "last_login": "2024-05-01 09:12:44",
        "created": "2021-02-03 10:00:00",
        "modified": "2024-05-01 09:12:44",
        "has_created_company": p.n == 0,
        "access": [{"app": "sales", "admin": false, "permission_set_id": "62b5c3c6-6a39-11ec-8d3d-0242ac130003"}],
        "active_flag": p.active,
        "timezone_name": "Europe/Berlin",
        "timezone_offset": "+01:00",
        "role_id": 1,
        "icon_url": format!("https://pipedrive-profile-pics.s3.example/{}.png", p.n),
        "is_you": p.n == 0,
        "is_deleted": false,
        "is_admin": 0
    })
}

/// Serves `GET /v1/users`: with `paged`, `start`/`limit` pages and
/// `additional_data.pagination`; without, every user in one answer (as the endpoint
/// does today).
pub fn pipedrive(req: &Request, users: &[Person], paged: bool) -> Reply {
    assert_eq!(req.path(), "/v1/users", "{}", req.target);
    if !paged {
        let data: Vec<Value> = users.iter().map(pipedrive_user).collect();
        return Reply::json(200, json!({"success": true, "data": data}).to_string())
            .header("x-ratelimit-limit", "40")
            .header("x-ratelimit-remaining", "39")
            .header("x-ratelimit-reset", "2");
    }
    let start: usize = req.param("start").unwrap().parse().unwrap();
    let limit: usize = req.param("limit").unwrap().parse().unwrap();
    let end = (start + limit).min(users.len());
    let data: Vec<Value> = users[start.min(end)..end]
        .iter()
        .map(pipedrive_user)
        .collect();
    let more = end < users.len();
    let mut pagination = json!({"start": start, "limit": limit, "more_items_in_collection": more});
    if more {
        pagination["next_start"] = json!(end);
    }
    Reply::json(
        200,
        json!({"success": true, "data": data, "additional_data": {"pagination": pagination}})
            .to_string(),
    )
}

pub fn pipedrive_error(status: u16, error: &str) -> Reply {
    Reply::json(
        status,
        json!({
            "success": false,
            "error": error,
            "errorCode": status,
            "error_info": "Please check developers.pipedrive.com for more information about Pipedrive API.",
            "data": null,
            "additional_data": null
        })
        .to_string(),
    )
}

/// An 18-character Salesforce User ID (key prefix 005, checksum suffix).
pub fn salesforce_id(n: u64) -> String {
    let short = format!("005Dn00000{n:05}");
    roster::domain::system::salesforce_18(&short).unwrap()
}

pub fn salesforce_user(p: &Person, user_type: &str) -> Value {
    let id = salesforce_id(p.n);
    json!({
        "attributes": {"type": "User", "url": format!("/services/data/v62.0/sobjects/User/{id}")},
        "Id": id,
        "Username": format!("person{}@acme.example.prod", p.n),
        "Name": format!("First{} Last{}", p.n, p.n),
        "FirstName": format!("First{}", p.n),
        "LastName": format!("Last{}", p.n),
        "Email": email(p.n),
        "IsActive": p.active,
        "UserType": user_type,
        "FullPhotoUrl": format!("https://acme.my.salesforce.com/profilephoto/005/F/{}", p.n)
    })
}

/// Serves the query and its `nextRecordsUrl` pages (`/services/data/v62.0/query/01gD-N`,
/// N the index of the next record).
pub fn salesforce(req: &Request, users: &[(Person, &str)], batch: usize) -> Reply {
    let start: usize = if req.path() == "/services/data/v62.0/query" {
        assert!(
            req.param("q").unwrap().starts_with("SELECT+Id"),
            "{}",
            req.target
        );
        0
    } else {
        let locator = req
            .path()
            .strip_prefix("/services/data/v62.0/query/01gD000000ABCDE-")
            .unwrap_or_else(|| panic!("{}", req.target));
        locator.parse().unwrap()
    };
    let end = (start + batch).min(users.len());
    let records: Vec<Value> = users[start..end]
        .iter()
        .map(|(p, t)| salesforce_user(p, t))
        .collect();
    let mut page =
        json!({"totalSize": users.len(), "done": end == users.len(), "records": records});
    if end < users.len() {
        page["nextRecordsUrl"] = json!(format!("/services/data/v62.0/query/01gD000000ABCDE-{end}"));
    }
    Reply::json(200, page.to_string()).header("Sforce-Limit-Info", "api-usage=25/15000")
}

pub fn salesforce_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(
        status,
        json!([{"message": message, "errorCode": code}]).to_string(),
    )
}
