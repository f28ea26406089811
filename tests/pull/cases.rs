//! The cases every pull meets: many pages, 429 with Retry-After, a 500 then success, a
//! 401, a 403, a timeout, a malformed page in the middle; each one imports the right
//! records or writes nothing and names the failing page.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::answers::{self, Person, people};
use super::stub::{Reply, Stub};
use super::{Setup, TOKEN, source};

fn hubspot_stub(active: Vec<Person>, archived: Vec<Person>) -> Stub {
    Stub::start(move |req| answers::hubspot(req, &active, &archived))
}

fn hubspot_setup(stub: &Stub, extra: &str) -> Setup {
    Setup::new(&source("hubspot", "hubspot", &stub.url(), extra))
}

#[test]
fn many_pages_of_active_and_archived_owners_are_imported_and_can_be_undone() {
    let mut archived = people(250..255);
    for p in &mut archived {
        p.active = false;
    }
    let stub = hubspot_stub(people(0..250), archived);
    let s = hubspot_setup(&stub, "page_size = 20");
    let r = s.pull(&["hubspot"]);
    assert_eq!(r["rows"], 255, "{r}");
    assert_eq!(r["created"], 255);
    // 13 pages of active owners, then one of archived ones.
    assert_eq!(r["pages"], 14);
    assert_eq!(r["system"], "hubspot");
    // Archived owners come with empty names (as HubSpot sends them): the five new
    // profiles are named from their emails, and the report says so. No page is taken
    // for "one of many".
    assert_eq!(
        r["warnings"],
        serde_json::json!([
            "Rows 251, 252, 253, 254 and 255 create profiles named from their email (the file gives no name): rename them, or import a file with names."
        ]),
        "{r}"
    );
    let reqs = stub.requests();
    assert_eq!(reqs.len(), 14);
    assert!(
        reqs.iter()
            .all(|q| q.header("authorization") == Some(&format!("Bearer {TOKEN}")))
    );
    assert_eq!(reqs[0].target, "/crm/v3/owners?limit=20&archived=false");
    assert_eq!(
        reqs[1].target,
        "/crm/v3/owners?limit=20&archived=false&after=20"
    );
    assert_eq!(reqs[13].target, "/crm/v3/owners?limit=20&archived=true");
    let first = s.env.show(&format!("hubspot:{}", answers::hubspot_id(0)));
    assert_eq!(first["name"], "First0 Last0");
    assert_eq!(first["email"], "person0@acme.example");
    let gone = s.env.show(&format!("hubspot:{}", answers::hubspot_id(252)));
    assert_eq!(
        gone["status"], "deactivated",
        "archived owners arrive deactivated"
    );
    // The same pull again changes nothing...
    let again = s.pull(&["hubspot"]);
    assert_eq!(again["unchanged"], 255, "{again}");
    assert_eq!(again["undoable"], false);
    // ... and the first one is taken back like an import (the second changed nothing).
    let before_undo = s.env.list().len();
    assert_eq!(before_undo, 255);
    // `--yes` where the command has it (it asks without a terminal otherwise).
    let mut run = s.run(&["undo", "--yes"]);
    if run.stderr.contains("unexpected argument '--yes'") {
        run = s.run(&["undo"]);
    }
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(s.env.list().len(), 0);
    // The audit log names the endpoint it came from.
    let log = s.env.json(&["log", "--limit", "100"]).to_string();
    assert!(
        log.contains(&format!(
            "Imported {}/crm/v3/owners from HubSpot: 255 rows",
            stub.url()
        )),
        "{log}"
    );
}

#[test]
fn a_dry_run_shows_the_plan_and_writes_nothing() {
    let stub = hubspot_stub(people(0..30), Vec::new());
    let s = hubspot_setup(&stub, "page_size = 10");
    s.env.new_employee("Someone", Some("person3@acme.example"));
    let before = s.env.tables();
    let r = s.pull(&["hubspot", "--dry-run"]);
    assert_eq!(r["dry_run"], true);
    assert_eq!(
        (r["created"].as_u64(), r["linked_by_email"].as_u64()),
        (Some(29), Some(1))
    );
    assert_eq!(r["plan"].as_array().map(Vec::len), Some(30));
    before.assert_same(&s.env.tables(), "a dry run");
}

#[test]
fn a_429_with_retry_after_is_waited_out_and_the_pull_goes_on() {
    let hits = AtomicUsize::new(0);
    let active = people(0..30);
    let stub = Stub::start(move |req| {
        if req.param("after") == Some("10") && hits.fetch_add(1, Ordering::SeqCst) == 0 {
            return answers::hubspot_error(
                429,
                "You have reached your ten_secondly_rolling limit.",
                "RATE_LIMITS",
            )
            .header("Retry-After", "1");
        }
        answers::hubspot(req, &active, &[])
    });
    let s = hubspot_setup(&stub, "page_size = 10");
    let t = Instant::now();
    let r = s.pull(&["hubspot"]);
    assert!(
        t.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was honoured"
    );
    assert_eq!(r["created"], 30, "{r}");
    assert_eq!(r["retries"], 1);
    let after: Vec<_> = stub
        .requests()
        .iter()
        .filter(|q| q.param("after") == Some("10"))
        .map(|q| q.target.clone())
        .collect();
    assert_eq!(after.len(), 2, "page 2 asked again: {after:?}");
}

#[test]
fn a_500_then_success_is_tried_again_and_a_lasting_one_fails_naming_the_page() {
    let hits = AtomicUsize::new(0);
    let active = people(0..30);
    let stub = Stub::start(move |req| {
        if req.param("after") == Some("20") && hits.fetch_add(1, Ordering::SeqCst) == 0 {
            return Reply::json(500, "{\"status\":\"error\",\"message\":\"internal error\"}");
        }
        answers::hubspot(req, &active, &[])
    });
    let s = hubspot_setup(&stub, "page_size = 10");
    let r = s.pull(&["hubspot"]);
    assert_eq!(r["created"], 30, "{r}");
    assert_eq!(r["retries"], 1);

    // A server that keeps failing: after the bounded retries, nothing is written.
    let active = people(0..30);
    let stub = Stub::start(move |req| {
        if req.param("after") == Some("10") {
            return Reply::json(503, "<html>busy</html>");
        }
        answers::hubspot(req, &active, &[])
    });
    let s = hubspot_setup(&stub, "page_size = 10\nretries = 2");
    s.env.new_employee("Kept", None);
    let before = s.env.tables();
    let e = s.fails(&["hubspot"], 1);
    assert!(
        e.contains("Nothing was pulled from the source hubspot: page 2 (GET http://127.0.0.1:"),
        "{e}"
    );
    assert!(
        e.contains(
            "&after=10) failed: HubSpot answered 503 Service Unavailable, 3 tries in a row."
        ),
        "{e}"
    );
    assert_eq!(
        stub.requests()
            .iter()
            .filter(|q| q.param("after") == Some("10"))
            .count(),
        3
    );
    before.assert_same(&s.env.tables(), "a pull whose page 2 kept failing");
}

#[test]
fn a_401_fails_at_once_with_what_to_fix_and_writes_nothing() {
    let stub = Stub::start(|_| {
        answers::hubspot_error(
            401,
            "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
            "INVALID_AUTHENTICATION",
        )
    });
    let s = hubspot_setup(&stub, "");
    s.env.new_employee("Kept", None);
    let before = s.env.tables();
    let e = s.fails(&["hubspot"], 2);
    assert!(e.contains("page 1 (GET "), "{e}");
    assert!(
        e.contains("HubSpot refused the token (401 Unauthorized INVALID_AUTHENTICATION: Authentication credentials not found"),
        "{e}"
    );
    assert!(
        e.contains("put a valid token in the environment variable ROSTER_TEST_TOKEN"),
        "{e}"
    );
    assert_eq!(stub.requests().len(), 1, "a 401 is not tried again");
    before.assert_same(&s.env.tables(), "a refused token");
}

#[test]
fn a_403_names_the_missing_scope() {
    let stub = Stub::start(|_| {
        Reply::json(
            403,
            r#"{"status":"error","message":"This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.","correlationId":"019e63ab-542f-7af5-a5b9-c3b0f5ac5ff1","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.owners.read"]}}],"links":{"scopes":"https://developers.hubspot.com/scopes"},"category":"MISSING_SCOPES"}"#,
        )
    });
    let s = hubspot_setup(&stub, "");
    let e = s.fails(&["hubspot"], 2);
    assert!(
        e.contains("the token lacks a scope HubSpot requires (403 Forbidden MISSING_SCOPES"),
        "{e}"
    );
    assert!(
        e.contains("grant crm.objects.owners.read to the app"),
        "{e}"
    );
    assert_eq!(stub.requests().len(), 1);
}

#[test]
fn a_timeout_is_tried_again_then_fails_naming_the_page() {
    let active = people(0..30);
    let stub = Stub::start(move |req| {
        let reply = answers::hubspot(req, &active, &[]);
        if req.param("after") == Some("10") {
            return reply.after(Duration::from_secs(3));
        }
        reply
    });
    let s = hubspot_setup(&stub, "page_size = 10\ntimeout_secs = 1\nretries = 1");
    s.env.new_employee("Kept", None);
    let before = s.env.tables();
    let e = s.fails(&["hubspot"], 1);
    assert!(e.contains("page 2 (GET "), "{e}");
    assert!(
        e.contains("failed: no answer within the timeout (timeout_secs), 2 tries in a row."),
        "{e}"
    );
    before.assert_same(&s.env.tables(), "a page that timed out");
}

#[test]
fn a_malformed_page_in_the_middle_writes_nothing_and_is_named() {
    let active = people(0..50);
    let stub = Stub::start(move |req| {
        if req.param("after") == Some("20") {
            // Cut off in the middle of an owner.
            return Reply::json(
                200,
                r#"{"results":[{"id":"41629020","email":"person20@acme.example","firstName":"Fi"#,
            );
        }
        answers::hubspot(req, &active, &[])
    });
    let s = hubspot_setup(&stub, "page_size = 10");
    // A store with something in it already: the pull's first pages must not stay.
    s.env.new_employee("Kept", Some("kept@acme.example"));
    let before = s.env.tables();
    let e = s.fails(&["hubspot"], 1);
    assert!(
        e.contains("Nothing was pulled from the source hubspot: page 3 (GET "),
        "{e}"
    );
    assert!(e.contains("&after=20) is not valid JSON"), "{e}");
    before.assert_same(&s.env.tables(), "a malformed page 3");
    // A page of the wrong shape is named the same way.
    let active = people(0..50);
    let stub = Stub::start(move |req| {
        if req.param("after") == Some("10") {
            return Reply::json(200, r#"{"results":{"id":"1"}}"#);
        }
        answers::hubspot(req, &active, &[])
    });
    let s = hubspot_setup(&stub, "page_size = 10");
    let e = s.fails(&["hubspot"], 1);
    assert!(
        e.contains("page 2 (GET ") && e.contains("is not a HubSpot owners answer"),
        "{e}"
    );
    assert!(!s.env.db.exists() || s.env.list().is_empty());
}

#[test]
fn a_record_the_importer_refuses_names_its_page() {
    let stub = Stub::start(move |req| {
        let mut reply = answers::hubspot(req, &people(0..30), &[]);
        if req.param("after") == Some("20") {
            let text = String::from_utf8(reply.body).unwrap();
            reply.body = text
                .replace("person25@acme.example", "person25-no-at")
                .into_bytes();
        }
        reply
    });
    let s = hubspot_setup(&stub, "page_size = 10");
    s.env.new_employee("Kept", None);
    let before = s.env.tables();
    let e = s.fails(&["hubspot"], 2);
    assert!(e.contains("row 26 (page 3)"), "{e}");
    before.assert_same(&s.env.tables(), "a refused record");
}

#[test]
fn pull_all_pulls_every_source_and_names_the_one_that_failed() {
    let good = hubspot_stub(people(0..5), Vec::new());
    let bad = Stub::start(|_| answers::pipedrive_error(401, "unauthorized access"));
    let s = Setup::new(&format!(
        "{}{}",
        source("hubspot", "hubspot", &good.url(), ""),
        source("pd", "pipedrive", &bad.url(), "")
    ));
    let run = s.run(&["pull", "--all"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stdout.contains("Pulled the source hubspot (2 pages)."),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("Nothing was pulled from the source pd: page 1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("1 of 2 sources failed: pd; nothing of it was written"),
        "{}",
        run.stderr
    );
    assert_eq!(s.env.list().len(), 5, "the good source was pulled");
    // --json: one entry per source.
    let run = s.run(&["pull", "--all", "--json"]);
    let all = run.json();
    assert_eq!(all[0]["source"], "hubspot");
    assert_eq!(all[0]["unchanged"], 5);
    assert_eq!(all[1]["source"], "pd");
    assert_eq!(all[1]["exit"], 2);
}

#[test]
fn config_mistakes_are_one_sentence_and_exit_2() {
    let s = Setup::new(
        "[sources.hubspot]\ntoken_env = \"ROSTER_TEST_TOKEN\"\nbase_url = \"http://192.0.2.1\"\n",
    );
    let e = s.fails(&["hubspot"], 2);
    assert!(e.contains("tokens travel over HTTPS only"), "{e}");
    let e = s.fails(&["sf"], 2);
    assert!(
        e.contains("No source sf is configured; roster.toml has hubspot."),
        "{e}"
    );
    let s = Setup::new("[sources.hubspot]\ntoken_env = \"ROSTER_UNSET_TOKEN_VAR\"\n");
    let e = s.fails(&["hubspot"], 2);
    assert!(
        e.contains("ROSTER_UNSET_TOKEN_VAR, which is not set"),
        "{e}"
    );
    let s = Setup::new("[sources.hubspot]\ntoken_env = \"X\"\nretry = 3\n");
    let e = s.fails(&["hubspot"], 2);
    assert!(
        e.contains("is not valid (line 3)") && e.contains("unknown field `retry`"),
        "{e}"
    );
    let s = Setup::new("");
    let e = s.fails(&["--all"], 2);
    assert!(e.contains("configures no source"), "{e}");
}
