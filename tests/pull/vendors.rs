//! Pipedrive and Salesforce, each through its own paging and its own error answers.

use super::answers::{self, Person, people};
use super::stub::Stub;
use super::{Setup, TOKEN, source};

#[test]
fn pipedrive_takes_the_one_page_answer_of_today_and_pages_when_an_answer_says_so() {
    let mut users = people(0..7);
    users[3].active = false;
    let one = users.clone();
    let stub = Stub::start(move |req| answers::pipedrive(req, &one, false));
    let s = Setup::new(&source("pipedrive", "pipedrive", &stub.url(), ""));
    let r = s.pull(&["pipedrive"]);
    assert_eq!(
        (r["created"].as_u64(), r["pages"].as_u64()),
        (Some(7), Some(1)),
        "{r}"
    );
    let reqs = stub.requests();
    assert_eq!(reqs[0].target, "/v1/users?start=0&limit=100");
    assert_eq!(reqs[0].header("x-api-token"), Some(TOKEN));
    assert_eq!(reqs[0].header("authorization"), None);
    let p = s.env.show("pipedrive:10003");
    assert_eq!(p["status"], "deactivated");
    assert_eq!(p["name"], "First3 Last3");
    assert_eq!(
        p["picture_url"],
        "https://pipedrive-profile-pics.s3.example/3.png"
    );

    // Paged: start/limit and additional_data.pagination to the end.
    let paged = people(0..25);
    let stub = Stub::start(move |req| answers::pipedrive(req, &paged, true));
    let s = Setup::new(&source("pd", "pipedrive", &stub.url(), "page_size = 10"));
    let r = s.pull(&["pd"]);
    assert_eq!(
        (r["created"].as_u64(), r["pages"].as_u64()),
        (Some(25), Some(3)),
        "{r}"
    );
    assert_eq!(r["warnings"], serde_json::json!([]));
    let targets: Vec<String> = stub.requests().iter().map(|q| q.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/v1/users?start=0&limit=10",
            "/v1/users?start=10&limit=10",
            "/v1/users?start=20&limit=10"
        ]
    );
}

#[test]
fn pipedrive_rate_limit_429_is_waited_out() {
    let hits = std::sync::atomic::AtomicUsize::new(0);
    let users = people(0..3);
    let stub = Stub::start(move |req| {
        if hits.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            return answers::pipedrive_error(429, "Request over limit")
                .header("x-ratelimit-limit", "20")
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", "1");
        }
        answers::pipedrive(req, &users, false)
    });
    let s = Setup::new(&source("pipedrive", "pipedrive", &stub.url(), ""));
    let r = s.pull(&["pipedrive"]);
    assert_eq!(
        (r["created"].as_u64(), r["retries"].as_u64()),
        (Some(3), Some(1)),
        "{r}"
    );
}

#[test]
fn salesforce_follows_next_records_url_and_skips_users_who_are_not_people() {
    let mut users: Vec<(Person, &str)> =
        people(0..9).into_iter().map(|p| (p, "Standard")).collect();
    users[2].1 = "AutomatedProcess";
    users[5].1 = "CspLitePortal";
    users[7].0.active = false;
    let stub = Stub::start(move |req| answers::salesforce(req, &users, 4));
    let s = Setup::new(&source(
        "sf-eu",
        "salesforce",
        &stub.url(),
        "api_version = \"v62.0\"\npage_size = 200",
    ));
    let r = s.pull(&["sf-eu"]);
    assert_eq!(r["pages"], 3, "{r}");
    assert_eq!(
        (r["created"].as_u64(), r["skipped"].as_u64()),
        (Some(7), Some(2)),
        "{r}"
    );
    let reqs = stub.requests();
    assert_eq!(
        reqs[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(
        reqs[0].header("sforce-query-options"),
        Some("batchSize=200")
    );
    assert_eq!(
        reqs[1].target,
        "/services/data/v62.0/query/01gD000000ABCDE-4"
    );
    let p = s
        .env
        .show(&format!("salesforce:{}", answers::salesforce_id(7)));
    assert_eq!(p["status"], "deactivated");
    assert_eq!(p["email"], "person7@acme.example");
}

#[test]
fn salesforce_session_errors_and_used_up_limits_are_said_plainly() {
    let stub = Stub::start(|_| {
        answers::salesforce_error(401, "INVALID_SESSION_ID", "Session expired or invalid")
    });
    let s = Setup::new(&source("sf", "salesforce", &stub.url(), ""));
    let e = s.fails(&["sf"], 2);
    assert!(e.contains("Salesforce refused the token (401 Unauthorized INVALID_SESSION_ID: Session expired or invalid)"), "{e}");
    let stub = Stub::start(|_| {
        answers::salesforce_error(
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "TotalRequests Limit exceeded.",
        )
    });
    let s = Setup::new(&source("sf", "salesforce", &stub.url(), ""));
    let e = s.fails(&["sf"], 2);
    assert!(e.contains("Salesforce's API request limit for the org is used up (403 Forbidden REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded)"), "{e}");
}
