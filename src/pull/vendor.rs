//! What each vendor's API asks and answers, as the vendors document them:
//! - HubSpot CRM owners v3: `GET /crm/v3/owners?limit=&archived=&after=`, the next page's
//!   cursor in `paging.next.after`; pulled twice, active owners (`archived=false`) then
//!   archived ones (`archived=true`), so that deactivations arrive too. Errors
//!   `{"status":"error","message","correlationId","category"}` (403 `MISSING_SCOPES` names
//!   the scopes under `errors[].context.requiredGranularScopes`).
//! - Pipedrive users v1: `GET /v1/users?start=&limit=`, `additional_data.pagination`
//!   (`more_items_in_collection`, `next_start`). The endpoint answers every user in one
//!   page today and documents no paging; roster asks with `start`/`limit` anyway and
//!   follows `more_items_in_collection` when an answer has it, so it is right both ways.
//!   Errors `{"success":false,"error","error_info"}`.
//! - Salesforce REST query: `GET /services/data/vXX.X/query?q=SELECT … FROM User`, then
//!   `nextRecordsUrl` while `done` is false. Errors `[{"message","errorCode"}]`.

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::source::{Source, Vendor, origin};

/// The fields of a Salesforce User the preset reads (UserType: non-people are skipped).
pub const SALESFORCE_SOQL: &str = "SELECT Id, Username, Name, FirstName, LastName, Email, IsActive, UserType, FullPhotoUrl FROM User";

/// One page to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub url: String,
    state: State,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    HubSpot { archived: bool },
    Pipedrive { start: u64 },
    Salesforce,
}

impl PageRequest {
    /// For a page of HubSpot owners: whether it is of the archived list.
    pub fn hubspot_archived(&self) -> Option<bool> {
        match self.state {
            State::HubSpot { archived } => Some(archived),
            _ => None,
        }
    }
}

/// What a page said: how many records, and the page after it.
#[derive(Debug, PartialEq, Eq)]
pub struct Read {
    pub records: u64,
    pub next: Option<PageRequest>,
}

/// The first page of a pull.
pub fn first(source: &Source) -> PageRequest {
    match source.vendor {
        Vendor::HubSpot => hubspot(source, false, None),
        Vendor::Pipedrive => pipedrive(source, 0),
        Vendor::Salesforce => PageRequest {
            url: format!(
                "{}/services/data/{}/query?q={}",
                source.base_url,
                source.api_version,
                encode(SALESFORCE_SOQL)
            ),
            state: State::Salesforce,
        },
    }
}

fn hubspot(source: &Source, archived: bool, after: Option<&str>) -> PageRequest {
    let mut url = format!(
        "{}/crm/v3/owners?limit={}&archived={archived}",
        source.base_url, source.page_size
    );
    if let Some(a) = after {
        url.push_str("&after=");
        url.push_str(&encode(a));
    }
    PageRequest {
        url,
        state: State::HubSpot { archived },
    }
}

fn pipedrive(source: &Source, start: u64) -> PageRequest {
    PageRequest {
        url: format!(
            "{}/v1/users?start={start}&limit={}",
            source.base_url, source.page_size
        ),
        state: State::Pipedrive { start },
    }
}

/// The header that carries the token.
pub fn auth_header(vendor: Vendor, token: &str) -> (&'static str, String) {
    match vendor {
        // Private app tokens and OAuth access tokens alike.
        Vendor::HubSpot | Vendor::Salesforce => ("Authorization", format!("Bearer {token}")),
        // The API token of a user (Settings › Personal preferences › API).
        Vendor::Pipedrive => ("x-api-token", token.to_owned()),
    }
}

/// Headers a vendor's pages need besides the token.
pub fn extra_headers(source: &Source) -> Vec<(&'static str, String)> {
    match source.vendor {
        Vendor::Salesforce => vec![(
            "Sforce-Query-Options",
            format!("batchSize={}", source.page_size),
        )],
        _ => Vec::new(),
    }
}

#[derive(Deserialize)]
struct HubSpotPage {
    results: Vec<IgnoredAny>,
    paging: Option<HubSpotPaging>,
}

#[derive(Deserialize)]
struct HubSpotPaging {
    next: Option<HubSpotNext>,
}

#[derive(Deserialize)]
struct HubSpotNext {
    after: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct PipedrivePage {
    success: Option<bool>,
    data: Option<Vec<IgnoredAny>>,
    additional_data: Option<PipedriveMore>,
}

#[derive(Deserialize)]
struct PipedriveMore {
    pagination: Option<PipedrivePagination>,
}

#[derive(Deserialize)]
struct PipedrivePagination {
    more_items_in_collection: Option<bool>,
    next_start: Option<u64>,
}

#[derive(Deserialize)]
struct SalesforcePage {
    done: bool,
    #[serde(rename = "nextRecordsUrl")]
    next_records_url: Option<String>,
    records: Vec<IgnoredAny>,
}

/// Reads a page's paging: the records it holds and the page after it. `Err` is a
/// phrase for a page that is not the vendor's answer.
pub fn read(source: &Source, asked: &PageRequest, body: &[u8]) -> Result<Read, String> {
    let json = |e: serde_json::Error| {
        if e.is_data() {
            format!("is not a {} answer ({e})", describe(source.vendor))
        } else {
            format!("is not valid JSON ({e})")
        }
    };
    match &asked.state {
        State::HubSpot { archived } => {
            let page: HubSpotPage = serde_json::from_slice(body).map_err(json)?;
            let after = page
                .paging
                .and_then(|p| p.next)
                .and_then(|n| n.after)
                .and_then(|a| match a {
                    serde_json::Value::String(s) if !s.trim().is_empty() => Some(s),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                });
            let next = match (after, archived) {
                (Some(a), _) => Some(hubspot(source, *archived, Some(&a))),
                (None, false) => Some(hubspot(source, true, None)),
                (None, true) => None,
            };
            if next.as_ref().is_some_and(|n| n.url == asked.url) {
                return Err("names itself as the next page (paging.next.after repeats)".into());
            }
            Ok(Read {
                records: page.results.len() as u64,
                next,
            })
        }
        State::Pipedrive { start } => {
            let page: PipedrivePage = serde_json::from_slice(body).map_err(json)?;
            if page.success == Some(false) {
                return Err("says \"success\": false".into());
            }
            let records = page.data.map_or(0, |d| d.len() as u64);
            let more = page.additional_data.and_then(|a| a.pagination);
            let next = match more {
                Some(PipedrivePagination {
                    more_items_in_collection: Some(true),
                    next_start,
                }) => {
                    let next_start = next_start.unwrap_or(start + records);
                    if next_start <= *start {
                        return Err(format!(
                            "says more users follow but its next_start ({next_start}) does not move past start {start}"
                        ));
                    }
                    Some(pipedrive(source, next_start))
                }
                _ => None,
            };
            Ok(Read { records, next })
        }
        State::Salesforce => {
            let page: SalesforcePage = serde_json::from_slice(body).map_err(json)?;
            let next = match (page.done, page.next_records_url) {
                (true, _) => None,
                (false, Some(path)) => Some(PageRequest {
                    url: same_origin(source, &path)?,
                    state: State::Salesforce,
                }),
                (false, None) => {
                    return Err("says \"done\": false without a nextRecordsUrl".into());
                }
            };
            Ok(Read {
                records: page.records.len() as u64,
                next,
            })
        }
    }
}

/// A next-page link, kept on the source's own host: the token is never sent elsewhere.
fn same_origin(source: &Source, link: &str) -> Result<String, String> {
    if link.starts_with('/') && !link.starts_with("//") {
        return Ok(format!("{}{link}", origin(&source.base_url)));
    }
    if origin(link).eq_ignore_ascii_case(origin(&source.base_url)) {
        return Ok(link.to_owned());
    }
    Err(format!(
        "points the next page at another host ({}); roster sends the token to {} only",
        super::redact::url(origin(link)),
        origin(&source.base_url)
    ))
}

fn describe(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::HubSpot => "HubSpot owners",
        Vendor::Pipedrive => "Pipedrive users",
        Vendor::Salesforce => "Salesforce query",
    }
}

/// What an error answer says: its message, its code, and the scopes it names.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ErrorAnswer {
    pub message: Option<String>,
    pub code: Option<String>,
    pub scopes: Vec<String>,
}

/// Reads a vendor's error body (any shape tolerated: a proxy's HTML page gives nothing).
pub fn error_answer(vendor: Vendor, body: &[u8]) -> ErrorAnswer {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return ErrorAnswer::default();
    };
    let text = |v: Option<&serde_json::Value>| {
        v.and_then(|x| x.as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    match vendor {
        Vendor::HubSpot => {
            let mut scopes = Vec::new();
            for e in v
                .pointer("/errors")
                .and_then(|e| e.as_array())
                .into_iter()
                .flatten()
            {
                for key in ["requiredGranularScopes", "requiredScopes"] {
                    for s in e
                        .pointer(&format!("/context/{key}"))
                        .and_then(|s| s.as_array())
                        .into_iter()
                        .flatten()
                    {
                        if let Some(s) = s.as_str() {
                            scopes.push(s.to_owned());
                        }
                    }
                }
            }
            ErrorAnswer {
                message: text(v.get("message")),
                code: text(v.get("category")).or_else(|| text(v.get("policyName"))),
                scopes,
            }
        }
        Vendor::Pipedrive => ErrorAnswer {
            message: text(v.get("error")),
            code: v
                .get("errorCode")
                .map(|c| c.to_string().trim_matches('"').to_owned()),
            scopes: Vec::new(),
        },
        Vendor::Salesforce => {
            let first = v.get(0).unwrap_or(&v);
            ErrorAnswer {
                message: text(first.get("message")),
                code: text(first.get("errorCode")),
                scopes: Vec::new(),
            }
        }
    }
}

/// Percent-encodes a query value (unreserved characters kept, space as `+`).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SourceConfig;

    fn source(name: &str, extra: &str) -> Source {
        let c: SourceConfig = toml::from_str(&format!(
            "token_env = \"T\"\nbase_url = \"http://127.0.0.1:1\"\n{extra}"
        ))
        .unwrap();
        Source::resolve(name, &c).unwrap()
    }

    #[test]
    fn hubspot_pages_through_active_then_archived_owners() {
        let s = source("hubspot", "page_size = 2");
        let p1 = first(&s);
        assert_eq!(
            p1.url,
            "http://127.0.0.1:1/crm/v3/owners?limit=2&archived=false"
        );
        let body = br#"{"results":[{"id":"1"},{"id":"2"}],"paging":{"next":{"after":"2","link":"https://api.hubapi.com/crm/v3/owners?after=2"}}}"#;
        let r = read(&s, &p1, body).unwrap();
        assert_eq!(r.records, 2);
        let p2 = r.next.unwrap();
        assert_eq!(
            p2.url,
            "http://127.0.0.1:1/crm/v3/owners?limit=2&archived=false&after=2"
        );
        let r = read(&s, &p2, br#"{"results":[{"id":"3"}]}"#).unwrap();
        let p3 = r.next.unwrap();
        assert_eq!(
            p3.url,
            "http://127.0.0.1:1/crm/v3/owners?limit=2&archived=true"
        );
        let r = read(&s, &p3, br#"{"results":[]}"#).unwrap();
        assert_eq!(
            r,
            Read {
                records: 0,
                next: None
            }
        );
        assert!(
            read(&s, &p3, br#"{"results":[{"id":"1"}"#)
                .unwrap_err()
                .contains("not valid JSON")
        );
        assert!(
            read(&s, &p3, br#"{"status":"error"}"#)
                .unwrap_err()
                .contains("not a HubSpot owners answer")
        );
    }

    #[test]
    fn pipedrive_follows_more_items_in_collection_and_stops_without_it() {
        let s = source("pipedrive", "page_size = 2");
        let p1 = first(&s);
        assert_eq!(p1.url, "http://127.0.0.1:1/v1/users?start=0&limit=2");
        let r = read(&s, &p1, br#"{"success":true,"data":[{"id":1},{"id":2}],"additional_data":{"pagination":{"start":0,"limit":2,"more_items_in_collection":true,"next_start":2}}}"#).unwrap();
        assert_eq!(
            r.next.unwrap().url,
            "http://127.0.0.1:1/v1/users?start=2&limit=2"
        );
        // The answer as the endpoint gives it today: every user, no pagination.
        let r = read(
            &s,
            &p1,
            br#"{"success":true,"data":[{"id":1},{"id":2},{"id":3}]}"#,
        )
        .unwrap();
        assert_eq!(
            r,
            Read {
                records: 3,
                next: None
            }
        );
        assert!(read(&s, &p1, br#"{"success":false,"error":"x"}"#).is_err());
    }

    #[test]
    fn salesforce_follows_next_records_url_on_its_own_host_only() {
        let s = source("sf", "system = \"salesforce\"");
        let p1 = first(&s);
        assert!(
            p1.url.starts_with(
                "http://127.0.0.1:1/services/data/v62.0/query?q=SELECT+Id%2C+Username"
            ),
            "{}",
            p1.url
        );
        let r = read(&s, &p1, br#"{"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v62.0/query/01gD-2000","records":[{"attributes":{"type":"User"},"Id":"005000000000001AAA"}]}"#).unwrap();
        assert_eq!(
            r.next.unwrap().url,
            "http://127.0.0.1:1/services/data/v62.0/query/01gD-2000"
        );
        let e = read(&s, &p1, br#"{"totalSize":3,"done":false,"nextRecordsUrl":"https://evil.example/x","records":[]}"#).unwrap_err();
        assert!(e.contains("another host"), "{e}");
        assert!(read(&s, &p1, br#"{"totalSize":3,"done":false,"records":[]}"#).is_err());
    }

    #[test]
    fn error_answers_give_their_message_code_and_scopes() {
        let hs = br#"{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","correlationId":"c-1","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.owners.read"]}}],"links":{"scopes":"https://developers.hubspot.com/scopes"},"category":"MISSING_SCOPES"}"#;
        let e = error_answer(Vendor::HubSpot, hs);
        assert_eq!(e.code.as_deref(), Some("MISSING_SCOPES"));
        assert_eq!(e.scopes, ["crm.objects.owners.read"]);
        let pd = br#"{"success":false,"error":"unauthorized access","errorCode":401,"error_info":"Please check developers.pipedrive.com for more information about Pipedrive API.","data":null,"additional_data":null}"#;
        let e = error_answer(Vendor::Pipedrive, pd);
        assert_eq!(
            (e.message.as_deref(), e.code.as_deref()),
            (Some("unauthorized access"), Some("401"))
        );
        let sf = br#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#;
        let e = error_answer(Vendor::Salesforce, sf);
        assert_eq!(e.code.as_deref(), Some("INVALID_SESSION_ID"));
        assert_eq!(
            error_answer(Vendor::Salesforce, b"<html>"),
            ErrorAnswer::default()
        );
    }
}
