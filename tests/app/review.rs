//! The review inbox in the real app, in a pseudo-terminal: a conflict resolved from the
//! keyboard (asked first, Cancel selected), then checked through the command line.

use crate::pty;

use pty::{App, json, roster};

#[test]
fn a_conflict_is_resolved_from_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("roster.db");
    roster(
        &db,
        &["new", "--name", "Jane Doe", "--email", "jane@acme.com"],
    );
    roster(
        &db,
        &["new", "--name", "Janet Doe", "--email", "jane@acme.com"],
    );
    let file = dir.path().join("users.csv");
    std::fs::write(&file, "external_id,email,name\n88,jane@acme.com,Jane D.\n").unwrap();
    roster(
        &db,
        &["import", file.to_str().unwrap(), "--system", "pipedrive"],
    );
    assert_eq!(json(&db, &["review"])[0]["kind"], "conflict");

    let mut app = App::spawn(&db, 80, 24, &[], &[]);
    app.wait_for("Review 1");
    app.keys("5");
    app.wait_for("Review inbox");
    app.wait_for("Pipedrive 88");
    app.send("\r");
    app.wait_for("Resolutions");
    app.wait_for("Link the account to Janet Doe (#2)");
    app.keys("2");
    app.wait_for("[ Cancel (n) ]");
    // Cancel is selected: Enter changes nothing.
    app.send("\r");
    app.wait_for("Cancelled; nothing was changed.");
    app.keys("2");
    app.wait_for("[ Link (y) ]");
    app.keys("y");
    app.wait_for("linked Pipedrive account 88 to Janet Doe (#2)");
    app.wait_for("Review 0");
    app.wait_for("The review inbox is empty");
    app.keys("q");
    assert_eq!(app.wait_exit(), Some(0));
    app.assert_restored();

    assert_eq!(json(&db, &["review"]), serde_json::json!([]));
    assert_eq!(json(&db, &["show", "pipedrive:88"])["id"], 2);
    let log = json(&db, &["log"]);
    let link = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "review-link");
    assert!(link.is_some(), "{log}");
}
