//! Findings of the outside review (issue #11; docs/reliability.md, "Findings of the
//! outside review") about actions, reproduced from the command line: each test's name
//! or comment holds the reproduction.

use crate::common;

use common::Env;

/// Finding 2, the reproduction: `connect --external-id "h1 "` stored the space, imports
/// trim it; after `remove --block` the next import linked `h1` back to the blocked
/// profile by email, and the prediction printed by `remove` ("creates a new profile")
/// was wrong.
#[test]
fn a_padded_external_id_from_connect_is_blocked_like_the_imported_one() {
    let r = Env::new();
    let ann = r.new_employee("Ann", Some("ann@x.io"));
    let id = ann.to_string();
    r.ok(&[
        "connect",
        &id,
        "--system",
        "hubspot",
        "--external-id",
        "h1 ",
        "--email",
        "ann@x.io",
    ]);
    assert_eq!(
        common::conn_keys(&r.show(&id)),
        [("hubspot".into(), "h1".into())]
    );
    // Every way of naming the account meets it, padded or not.
    assert_eq!(r.holder("hubspot", "h1"), ann);
    assert_eq!(r.show("hubspot: h1 ")["id"], ann);
    let removed = r.json(&[
        "remove",
        &id,
        "--system",
        "hubspot",
        "--external-id",
        " h1",
        "--block",
    ]);
    assert_eq!(
        removed["next_import"]["outcome"], "creates_profile",
        "{removed}"
    );
    let file = r.file("hubspot.csv", "external_id,email,name\nh1,ann@x.io,Ann H\n");
    let report = r.import(&file, "hubspot", &[]);
    assert_eq!(report["linked_by_email"], 0, "{report}");
    assert_eq!(report["created"], 1, "{report}");
    assert_ne!(r.holder("hubspot", "h1"), ann, "the block did not hold");
}

/// Finding 3, the reproduction: import (active), `deactivate`, `remove`, `undo`: the
/// connection came back without the system's `active` flag, so the next import of the
/// unchanged file saw the flag "change" to true and reactivated the profile.
#[test]
fn a_deactivation_stands_after_remove_undo_and_the_same_file_again() {
    let r = Env::new();
    let file = r.file(
        "hubspot.csv",
        "external_id,email,name,active\nh1,ann@x.io,Ann,true\n",
    );
    r.import(&file, "hubspot", &[]);
    let id = r.holder("hubspot", "h1").to_string();
    r.ok(&["deactivate", &id]);
    r.ok(&["remove", &id, "--system", "hubspot"]);
    r.ok(&["undo"]);
    assert_eq!(r.show(&id)["managed_by"]["external_id"], "h1");
    let report = r.import(&file, "hubspot", &[]);
    assert_eq!(report["unchanged"], 1, "{report}");
    assert_eq!(r.show(&id)["status"], "deactivated");
}
