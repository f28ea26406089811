//! The review inbox through the command line (README "The review inbox"): each kind
//! arising, each resolution with its undo, the remembered ignore and dismiss, items that
//! close by themselves, and stale resolutions refused.

use serde_json::Value;

use crate::common::Env;
use roster::domain::review::{ItemId, Resolution};

/// The open items, as `roster review --json` lists them.
fn inbox(env: &Env, kind: Option<&str>) -> Vec<Value> {
    let mut args = vec!["review", "--limit", "0"];
    if let Some(k) = kind {
        args.extend_from_slice(&["--kind", k]);
    }
    match env.json(&args) {
        Value::Array(items) => items,
        v => panic!("review --json is not an array: {v}"),
    }
}

fn one(env: &Env, kind: &str) -> Value {
    let items = inbox(env, Some(kind));
    assert_eq!(items.len(), 1, "{kind}: {items:#?}");
    items.into_iter().next().unwrap()
}

fn id(item: &Value) -> String {
    item["id"].as_str().expect("ids are strings").to_owned()
}

fn profiles(item: &Value) -> Vec<i64> {
    item["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_i64().unwrap())
        .collect()
}

/// Two profiles with one email (A and B), an account that matches both (a conflict),
/// two Salesforce users sharing one address (same_system).
struct Store {
    env: Env,
    a: i64,
    b: i64,
    jo: i64,
}

fn store() -> Store {
    let env = Env::new();
    let a = env.new_employee("Sales Team", Some("sales@acme.io"));
    let b = env.new_employee("Sam Sales", Some("SALES@acme.io"));
    let h = env.file(
        "h.csv",
        "external_id,email,name\nh-1,sales@acme.io,Sales Desk\n",
    );
    env.import(&h, "hubspot", &[]);
    let s = env.file(
        "s.csv",
        "external_id,email,name\ns-1,jo@acme.io,Jo Park\ns-2,jo@acme.io,Jo Portal\n",
    );
    env.import(&s, "sfx", &[]);
    let jo = env.holder("sfx", "s-1");
    Store { env, a, b, jo }
}

#[test]
fn each_kind_arises_and_is_listed() {
    let Store { env, a, b, jo } = store();
    let conflict = one(&env, "conflict");
    assert_eq!(profiles(&conflict), [a, b]);
    let account = &conflict["accounts"][0];
    assert_eq!(
        (
            account["system"].as_str(),
            account["external_id"].as_str(),
            account["email"].as_str(),
            account["name"].as_str()
        ),
        (
            Some("hubspot"),
            Some("h-1"),
            Some("sales@acme.io"),
            Some("Sales Desk")
        )
    );
    assert!(conflict["import_run"].as_i64().is_some(), "{conflict}");
    assert!(conflict["raised_at"].as_str().unwrap().starts_with("20"));
    assert!(
        conflict["reason"]
            .as_str()
            .unwrap()
            .contains("which 2 profiles hold"),
        "{conflict}"
    );
    let same = one(&env, "same_system");
    assert_eq!(profiles(&same), [jo]);
    assert_eq!(same["accounts"][0]["external_id"], "s-2");
    // A and B shared an email before any import: the scan on demand finds them.
    assert!(inbox(&env, Some("duplicate")).is_empty());
    let run = env.run(&["review", "--rescan", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("1 suggestion (1 new"), "{}", run.stderr);
    let dup = one(&env, "duplicate");
    assert_eq!(profiles(&dup), [a, b]);
    assert_eq!(dup["import_run"], Value::Null);
    assert!(
        dup["reason"]
            .as_str()
            .unwrap()
            .contains("they share the email sales@acme.io"),
        "{dup}"
    );
    // An import raises the duplicates of the profiles it touched: the same folded name
    // and the same domain.
    let emile = env.new_employee("Émile Zola", Some("ez@zola.fr"));
    let f = env.file(
        "p.csv",
        "external_id,email,name\np-1,emile@zola.fr,EMILE ZOLA\n",
    );
    let r = env.import(&f, "pipedrive", &[]);
    assert_eq!(r["review_items"]["raised"], 1, "{r}");
    let new = env.holder("pipedrive", "p-1");
    let dups = inbox(&env, Some("duplicate"));
    let zola = dups.iter().find(|d| profiles(d) == [emile, new]).unwrap();
    assert_eq!(zola["import_run"], r["import_run"]);
    assert!(
        zola["reason"]
            .as_str()
            .unwrap()
            .contains("the same name (emile zola) and emails at zola.fr"),
        "{zola}"
    );
    // Pending: the profiles an import leaves in the Pending tab.
    env.ok(&["settings", "review", "manual"]);
    let g = env.file(
        "g.csv",
        "external_id,email,name\ng-1,kofi@ghana.io,Kofi Mensah\n",
    );
    let r = env.import(&g, "gusto", &[]);
    let kofi = env.holder("gusto", "g-1");
    let pending = one(&env, "pending");
    assert_eq!(id(&pending), format!("p{kofi}"));
    assert_eq!(profiles(&pending), [kofi]);
    assert_eq!(pending["import_run"], r["import_run"]);
    // Newest first, every kind in one list; the text says how to resolve each.
    let all = inbox(&env, None);
    assert_eq!(all.len(), 5, "{all:#?}");
    assert_eq!(id(&all[0]), format!("p{kofi}"));
    let text = env.ok(&["review"]);
    assert!(
        text.starts_with(
            "Review inbox: 5 open (1 conflict, 1 same system, 2 duplicate, 1 pending)"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "roster review resolve p{kofi} --create | --merge KEEP | --ignore"
        )),
        "{text}"
    );
}

/// The open items and the rows of the profiles (but their version and time, which
/// move on), for "undo puts everything back".
fn state(env: &Env, ids: &[i64]) -> String {
    let mut out = serde_json::to_string(&inbox(env, None)).unwrap();
    for i in ids {
        let mut p = env.show(&i.to_string());
        let p = p.as_object_mut().unwrap();
        p.remove("version");
        p.remove("updated_at");
        out.push_str(&serde_json::to_string(p).unwrap());
    }
    out
}

/// Resolves, checks the item closed, undoes, checks everything back as before.
fn resolve_and_undo(env: &Env, item: &str, how: &[&str], touched: &[i64]) -> Value {
    let before = state(env, touched);
    let mut args = vec!["review", "resolve", item];
    args.extend_from_slice(how);
    let done = env.json(&args);
    assert!(
        inbox(env, None).iter().all(|i| id(i) != item),
        "{item} still open after {how:?}"
    );
    let log = env.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["summary"], done["summary"]);
    assert!(
        log[0]["action"].as_str().unwrap().starts_with("review-"),
        "{log}"
    );
    env.ok(&["undo", "--yes"]);
    assert_eq!(state(env, touched), before, "undo of {how:?} on {item}");
    done
}

#[test]
fn each_resolution_closes_its_item_and_undo_opens_it_again() {
    let Store { env, a, b, jo } = store();
    let conflict = id(&one(&env, "conflict"));
    let same = id(&one(&env, "same_system"));

    let done = resolve_and_undo(&env, &conflict, &["--link", &b.to_string()], &[a, b]);
    assert!(
        done["summary"]
            .as_str()
            .unwrap()
            .contains("linked HubSpot account h-1 to Sam Sales"),
        "{done}"
    );
    let done = resolve_and_undo(&env, &same, &["--create"], &[jo]);
    assert!(
        done["summary"]
            .as_str()
            .unwrap()
            .contains("created Jo Portal (#"),
        "{done}"
    );
    resolve_and_undo(&env, &conflict, &["--ignore"], &[a, b]);
    let done = resolve_and_undo(&env, &conflict, &["--merge", &a.to_string()], &[a, b]);
    assert!(
        done["summary"].as_str().unwrap().contains(
            "merged Sam Sales (#2) into Sales Team (#1) (0 connections moved) and linked HubSpot account h-1 to Sales Team (#1)"
        ),
        "{done}"
    );
    env.ok(&["review", "--rescan"]);
    let dup = id(&one(&env, "duplicate"));
    resolve_and_undo(&env, &dup, &["--dismiss"], &[a, b]);
    resolve_and_undo(&env, &dup, &["--merge", &b.to_string()], &[a, b]);

    env.ok(&["settings", "review", "manual"]);
    let g = env.file(
        "g.csv",
        "external_id,email,name\ng-1,kofi@ghana.io,Kofi Mensah\n",
    );
    env.import(&g, "gusto", &[]);
    let kofi = env.holder("gusto", "g-1");
    let p = format!("p{kofi}");
    let done = resolve_and_undo(&env, &p, &["--create"], &[kofi]);
    assert_eq!(
        done["summary"],
        format!("Review item {p}: activated Kofi Mensah (#{kofi}) as a new person.")
    );
    resolve_and_undo(&env, &p, &["--ignore"], &[kofi]);
    resolve_and_undo(&env, &p, &["--merge", &a.to_string()], &[kofi, a]);

    // After the real thing, the rows say what was decided.
    env.ok(&["review", "resolve", &conflict, "--link", &b.to_string()]);
    assert_eq!(env.holder("hubspot", "h-1"), b);
    let c = crate::common::conn(&env.show(&b.to_string()), "hubspot", "h-1").clone();
    assert_eq!(c["origin"], "manual");
    assert_eq!(c["matched_value"], format!("review item {conflict}"));
    env.ok(&["review", "resolve", &same, "--create"]);
    let portal = env.show("sfx:s-2");
    assert_eq!(portal["name"], "Jo Portal");
    assert_eq!(portal["managed_by"]["external_id"], "s-2");
    env.ok(&["review", "resolve", &p, "--merge", &a.to_string()]);
    assert_eq!(env.show(&kofi.to_string())["status"], "deactivated");
    assert_eq!(env.holder("gusto", "g-1"), a);
    env.ok(&["check"]);
}

#[test]
fn an_ignored_account_is_left_alone_until_its_email_changes() {
    let Store { env, a, b, .. } = store();
    let conflict = id(&one(&env, "conflict"));
    env.ok(&["review", "resolve", &conflict, "--ignore"]);
    // The same file again: no new item, nothing linked or created, counted as ignored.
    let h = env.path("h.csv");
    let r = env.import(&h, "hubspot", &[]);
    assert_eq!(r["ignored"], serde_json::json!([1]), "{r}");
    assert_eq!(r["conflicts"], serde_json::json!([]), "{r}");
    assert!(inbox(&env, Some("conflict")).is_empty());
    // Even when only one profile holds the email now: the admin said leave it alone.
    env.ok(&["edit", &b.to_string(), "--email", "sam@acme.io"]);
    let dry = env.import(&h, "hubspot", &["--dry-run"]);
    assert_eq!(dry["plan"][0]["outcome"], "ignored", "{dry}");
    assert_eq!(dry["linked_by_email"], 0);
    let text = env.ok(&["import", Env::path_str(&h), "--system", "hubspot"]);
    assert!(text.contains("ignored"), "{text}");
    assert!(env.run(&["show", "hubspot:h-1"]).code != 0);
    // Its email changed: a new case, decided by the rules again (one holder: linked).
    let moved = env.file(
        "h2.csv",
        "external_id,email,name\nh-1,team@acme.io,Sales Desk\n",
    );
    env.ok(&["edit", &a.to_string(), "--email", "team@acme.io"]);
    let r = env.import(&moved, "hubspot", &[]);
    assert_eq!(r["linked_by_email"], 1, "{r}");
    assert_eq!(env.holder("hubspot", "h-1"), a);
}

#[test]
fn connecting_an_ignored_account_by_hand_ends_the_ignore() {
    let Store { env, a, .. } = store();
    let conflict = id(&one(&env, "conflict"));
    env.ok(&["review", "resolve", &conflict, "--ignore"]);
    let a = a.to_string();
    env.ok(&["connect", &a, "--system", "hubspot", "--external-id", "h-1"]);
    env.ok(&["remove", &a, "--system", "hubspot", "--external-id", "h-1"]);
    // No longer ignored: the next import decides by the rules (a conflict again).
    let r = env.import(&env.path("h.csv"), "hubspot", &[]);
    assert_eq!(r["ignored"], serde_json::json!([]), "{r}");
    assert_eq!(r["conflicts"].as_array().unwrap().len(), 1, "{r}");
}

#[test]
fn a_dismissed_suggestion_is_not_made_again() {
    let Store { env, a, b, .. } = store();
    env.ok(&["review", "--rescan"]);
    let dup = id(&one(&env, "duplicate"));
    env.ok(&["review", "resolve", &dup, "--dismiss"]);
    let again = env.ok(&["review", "--rescan"]);
    assert!(again.contains("0 suggestions"), "{again}");
    assert!(inbox(&env, Some("duplicate")).is_empty());
    // An import touching both says nothing either.
    let f = env.file(
        "x.csv",
        "external_id,email,name\nx-1,sales@acme.io,Sales Team\n",
    );
    env.ok(&["edit", &b.to_string(), "--email", "sam@acme.io"]);
    let r = env.import(&f, "xero", &[]);
    assert_eq!(r["linked_by_email"], 1, "{r}");
    env.ok(&["edit", &b.to_string(), "--email", "sales@acme.io"]);
    env.import(&f, "xero", &[]);
    assert!(inbox(&env, Some("duplicate")).is_empty());
    // A third profile with the email is a new pair with each: suggested, without the
    // dismissed one.
    let c = env.new_employee("Sales Desk", Some("sales@acme.io"));
    env.ok(&["review", "--rescan"]);
    let mut pairs: Vec<Vec<i64>> = inbox(&env, Some("duplicate"))
        .iter()
        .map(profiles)
        .collect();
    pairs.sort();
    assert_eq!(pairs, [vec![a, c], vec![b, c]]);
}

#[test]
fn items_close_by_themselves_when_settled_otherwise() {
    let Store { env, a, b, .. } = store();
    env.ok(&["review", "--rescan"]);
    let dup = one(&env, "duplicate");
    // A merge by hand settles the duplicate and the conflict naming the folded profile.
    env.ok(&["merge", &a.to_string(), &b.to_string(), "--yes"]);
    assert!(inbox(&env, Some("duplicate")).is_empty());
    assert!(inbox(&env, Some("conflict")).is_empty());
    let log = env.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["action"], "merge");
    // Undoing the merge opens them again.
    env.ok(&["undo", "--yes"]);
    assert_eq!(id(&one(&env, "duplicate")), id(&dup));
    // Connecting the account by hand settles its conflict.
    env.ok(&[
        "connect",
        &b.to_string(),
        "--system",
        "hubspot",
        "--external-id",
        "h-1",
    ]);
    assert!(inbox(&env, Some("conflict")).is_empty());
    // Deactivating a profile settles its duplicate suggestions.
    env.ok(&["deactivate", &b.to_string()]);
    assert!(inbox(&env, Some("duplicate")).is_empty());
    // A pending profile activated is no longer in the inbox.
    env.ok(&["settings", "review", "manual"]);
    let g = env.file(
        "g.csv",
        "external_id,email,name\ng-1,kofi@ghana.io,Kofi Mensah\n",
    );
    env.import(&g, "gusto", &[]);
    let kofi = env.holder("gusto", "g-1");
    assert_eq!(inbox(&env, Some("pending")).len(), 1);
    env.ok(&["activate", &kofi.to_string()]);
    assert!(inbox(&env, Some("pending")).is_empty());
    let gone = env.fails(&["review", "resolve", &format!("p{kofi}"), "--create"], 1);
    assert!(gone.contains("is active now, no longer pending"), "{gone}");
}

#[test]
fn a_resolution_on_rows_changed_since_they_were_seen_is_refused() {
    let Store { env, a, b, .. } = store();
    let conflict = one(&env, "conflict");
    let item: ItemId = id(&conflict).parse().unwrap();
    let open = || {
        let store = roster::store::Store::open(&env.db).unwrap();
        roster::service::Service::new(store, roster::service::actor::current(Some("t")))
    };
    let mut svc = open();
    let detail = svc.review_item(item).unwrap();
    let seen = detail.seen();
    assert_eq!(seen.versions.len(), 2);
    // Another admin edits one of the candidates meanwhile.
    env.ok(&["edit", &a.to_string(), "--name", "Sales Team EMEA"]);
    let e = svc
        .resolve_item(item, Resolution::Link(b), Some(&seen))
        .unwrap_err();
    assert!(matches!(e, roster::error::Error::Stale(_)), "{e}");
    assert_eq!(one(&env, "conflict")["id"], conflict["id"]);
    // Another admin resolves it meanwhile.
    let seen = svc.review_item(item).unwrap().seen();
    env.ok(&["review", "resolve", &id(&conflict), "--ignore"]);
    let e = svc
        .resolve_item(item, Resolution::Link(b), Some(&seen))
        .unwrap_err();
    assert!(matches!(e, roster::error::Error::Stale(_)), "{e}");
    assert!(e.to_string().contains("is closed (ignored, by"), "{e}");
    // An import meets the item again (seen_at moves on): refused too.
    env.ok(&["undo", "--yes"]);
    let seen = svc.review_item(item).unwrap().seen();
    std::thread::sleep(std::time::Duration::from_millis(5));
    env.import(&env.path("h.csv"), "hubspot", &[]);
    let e = svc
        .resolve_item(item, Resolution::Create, Some(&seen))
        .unwrap_err();
    assert!(e.to_string().contains("was met again by an import"), "{e}");
    // Undo of a resolution whose rows changed since is refused as well: an import
    // renamed the account it linked.
    let linked = env.json(&[
        "review",
        "resolve",
        &id(&conflict),
        "--link",
        &b.to_string(),
    ]);
    let renamed = env.file(
        "r.csv",
        "external_id,email,name\nh-1,sales@acme.io,Sales Desk EMEA\n",
    );
    env.import(&renamed, "hubspot", &[]);
    let e = svc.undo_checked(linked["audit_id"].as_i64()).unwrap_err();
    assert!(matches!(e, roster::error::Error::Stale(_)), "{e}");
    assert_eq!(env.holder("hubspot", "h-1"), b);
}

#[test]
fn wrong_resolutions_are_refused_in_one_sentence() {
    let Store { env, a, .. } = store();
    let conflict = id(&one(&env, "conflict"));
    let e = env.fails(&["review", "resolve", &conflict, "--dismiss"], 2);
    assert!(
        e.contains("cannot be dismissed; it takes --link EMP"),
        "{e}"
    );
    let e = env.fails(&["review", "resolve", &conflict, "--merge", "99"], 2);
    assert!(e.contains("99"), "{e}");
    let e = env.fails(&["review", "resolve", "999", "--create"], 2);
    assert!(e.contains("There is no review item 999"), "{e}");
    let e = env.fails(&["review", "resolve", "x1", "--create"], 2);
    assert!(e.contains("is not a review item id"), "{e}");
    let run = env.run(&["review", "resolve", &conflict, "--create", "--ignore"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = env.run(&["review", "resolve", &conflict]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // Merging a conflict into a profile it does not name.
    let other = env.new_employee("Other", Some("other@x.io"));
    let e = env.fails(
        &[
            "review",
            "resolve",
            &conflict,
            "--merge",
            &other.to_string(),
        ],
        2,
    );
    assert!(e.contains(&format!("names #{a}, #")), "{e}");
    assert_eq!(one(&env, "conflict")["id"], conflict.as_str());
}

#[test]
fn undoing_an_import_takes_back_the_duplicates_it_raised() {
    let env = Env::new();
    let emile = env.new_employee("Émile Zola", Some("ez@zola.fr"));
    let f = env.file(
        "p.csv",
        "external_id,email,name\np-1,emile@zola.fr,EMILE ZOLA\n",
    );
    let r = env.import(&f, "pipedrive", &[]);
    assert_eq!(r["review_items"]["raised"], 1, "{r}");
    assert_eq!(profiles(&one(&env, "duplicate")), [emile, emile + 1]);
    env.ok(&["undo", "--yes"]);
    assert!(inbox(&env, Some("duplicate")).is_empty());
    assert!(env.run(&["show", "pipedrive:p-1"]).code != 0);
    env.ok(&["check"]);
}
