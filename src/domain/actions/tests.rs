use super::*;
use crate::domain::change::{Check, Current, check_op};

const CTX: Ctx = Ctx {
    actor: "alice",
    now: "2026-11-28T10:00:00Z",
};

fn employee(id: i64, name: &str, email: Option<&str>) -> Employee {
    Employee {
        id,
        name: name.into(),
        email: email.map(Into::into),
        picture_url: None,
        login_access: true,
        status: Status::Active,
        merged_into: None,
        version: 3,
        created_at: "2026-01-01T00:00:00Z".into(),
        updated_at: "2026-01-01T00:00:00Z".into(),
    }
}

fn conn(emp: i64, system: &str, id: &str, manages: bool) -> Connection {
    Connection {
        system: system.into(),
        external_id: id.into(),
        employee_id: emp,
        email: Some(format!("{id}@example.com")),
        name: Some(format!("Account {id}")),
        picture_url: Some(format!("https://img/{id}")),
        manages,
        origin: Origin::ImportNew,
        created_by: "import".into(),
        created_at: "2026-01-01T00:00:00Z".into(),
        matched_value: None,
        active: None,
    }
}

fn profile(id: i64, conns: Vec<Connection>) -> Profile {
    Profile {
        employee: employee(id, &format!("Person {id}"), Some("p@example.com")),
        connections: conns,
    }
}

/// Applies a plan to in-memory profiles, the way the store would, so the tests can
/// look at the result.
fn after_conns(plan: &Plan) -> Vec<Connection> {
    plan.changes
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::UpdateConnection { after, .. } | Op::InsertConnection { after } => {
                Some(after.clone())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn move_with_one_connection_is_refused() {
    let p = profile(1, vec![conn(1, "hubspot", "h1", true)]);
    let err = move_to_new(&p, &ConnKey::new("hubspot", "h1"), 2, CTX).unwrap_err();
    assert!(matches!(err, Error::Refused(_)));
    assert!(err.to_string().contains("only this connection"), "{err}");
}

#[test]
fn move_creates_managed_profile_and_clears_original_manager() {
    let p = profile(
        1,
        vec![
            conn(1, "salesforce", "s1", false),
            conn(1, "hubspot", "h1", true),
        ],
    );
    let plan = move_to_new(&p, &ConnKey::new("hubspot", "h1"), 9, CTX).unwrap();
    let Op::InsertEmployee { after: new } = &plan.changes.ops[0] else {
        panic!("first op must create the profile: {plan:?}");
    };
    assert_eq!(new.id, 9);
    assert_eq!(new.name, "Account h1");
    assert_eq!(new.email.as_deref(), Some("h1@example.com"));
    assert_eq!(new.picture_url.as_deref(), Some("https://img/h1"));
    assert!(!new.login_access);
    assert_eq!(new.status, Status::Active);
    let moved = &after_conns(&plan)[0];
    assert_eq!(moved.employee_id, 9);
    assert!(
        moved.manages,
        "the new profile is managed by the moved connection"
    );
    assert_eq!(moved.origin, Origin::Moved);
    assert_eq!(moved.created_by, "alice");
    // Nothing else of the original is touched, so it keeps no manager pointing at it.
    let still_on_original: Vec<_> = p
        .connections
        .iter()
        .filter(|c| c.key() != moved.key())
        .collect();
    assert!(still_on_original.iter().all(|c| !c.manages));
    assert_eq!(plan.changes.ops.len(), 2);
}

#[test]
fn move_of_an_unmanaging_connection_keeps_the_original_manager() {
    let p = profile(
        1,
        vec![
            conn(1, "salesforce", "s1", true),
            conn(1, "hubspot", "h1", false),
        ],
    );
    let plan = move_to_new(&p, &ConnKey::new("hubspot", "h1"), 9, CTX).unwrap();
    // The salesforce connection is not in the plan: it stays the original's manager.
    assert!(
        after_conns(&plan)
            .iter()
            .all(|c| c.system == "hubspot" && c.manages)
    );
}

#[test]
fn merge_keeps_the_kept_profiles_manager() {
    let a = profile(1, vec![conn(1, "salesforce", "s1", true)]);
    let b = profile(2, vec![conn(2, "hubspot", "h2", true)]);
    let plan = merge(&a, &b, &[], CTX).unwrap();
    let moved = after_conns(&plan);
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].employee_id, 1);
    assert!(!moved[0].manages, "A keeps its own manager");
    assert_eq!(moved[0].origin, Origin::Merged);
    let folded = plan.changes.ops.iter().find_map(|op| match op {
        Op::UpdateEmployee { after, .. } => Some(after),
        _ => None,
    });
    let folded = folded.expect("B is updated");
    assert_eq!(folded.status, Status::Deactivated);
    assert_eq!(folded.merged_into, Some(1));
}

/// Finding 4 of the outside review (issue #11): merging into a profile managed manually
/// handed it to the folded profile's system, whose next import overwrote the name the
/// admin had set. A profile managed manually stays manual.
#[test]
fn merge_into_a_profile_managed_manually_keeps_it_manual() {
    let a = profile(1, vec![conn(1, "salesforce", "s1", false)]);
    let b = profile(2, vec![conn(2, "hubspot", "h2", true)]);
    let plan = merge(&a, &b, &[], CTX).unwrap();
    assert!(
        !after_conns(&plan)[0].manages,
        "the moved account took over"
    );
    let empty = profile(3, vec![]);
    assert!(!after_conns(&merge(&empty, &b, &[], CTX).unwrap())[0].manages);
}

/// Finding 13 of the outside review (issue #11): a merge moved an account onto the
/// profile it is blocked from and left the block stale. Refused, naming the block.
#[test]
fn merge_refuses_to_move_an_account_onto_the_profile_it_is_blocked_from() {
    let a = profile(1, vec![conn(1, "salesforce", "s1", true)]);
    let b = profile(2, vec![conn(2, "hubspot", "h2", true)]);
    let block = Block {
        system: "hubspot".into(),
        external_id: "h2".into(),
        employee_id: 1,
    };
    let err = merge(&a, &b, &[block], CTX).unwrap_err();
    assert!(matches!(err, Error::Refused(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("HubSpot account h2 of Person 2 (#2) is blocked from Person 1 (#1)"),
        "{text}"
    );
    assert!(
        text.contains("roster remove 2 --system hubspot --external-id h2"),
        "{text}"
    );
    // Move is named only where it is possible: the profile holds another account.
    assert!(!text.contains("roster move"), "{text}");
    let b2 = profile(
        2,
        vec![
            conn(2, "hubspot", "h2", true),
            conn(2, "podio", "p2", false),
        ],
    );
    let block = Block {
        system: "hubspot".into(),
        external_id: "h2".into(),
        employee_id: 1,
    };
    let text = merge(&a, &b2, &[block], CTX).unwrap_err().to_string();
    assert!(
        text.contains("roster move 2 --system hubspot --external-id h2"),
        "{text}"
    );
}

#[test]
fn merge_refuses_itself_and_already_merged() {
    let a = profile(1, vec![]);
    assert!(merge(&a, &a, &[], CTX).is_err());
    let mut b = profile(2, vec![]);
    b.employee.merged_into = Some(5);
    assert!(
        merge(&a, &b, &[], CTX)
            .unwrap_err()
            .to_string()
            .contains("already merged")
    );
}

#[test]
fn a_merged_profile_refuses_every_change_and_points_at_the_one_it_went_into() {
    let mut b = profile(2, vec![]);
    b.employee.merged_into = Some(1);
    b.employee.status = Status::Deactivated;
    let edited = edit(
        &b,
        &Edit {
            name: Some("New".into()),
            ..Edit::default()
        },
    );
    for result in [
        edited,
        change_status(&b, StatusChange::Activate),
        change_status(&b, StatusChange::Deactivate),
        move_to_new(&b, &ConnKey::new("hubspot", "h1"), 9, CTX),
    ] {
        let err = result.unwrap_err().to_string();
        assert!(err.contains("merged into #1; act on #1 instead"), "{err}");
    }
}

#[test]
fn edit_of_a_managed_name_is_refused_with_the_way_out() {
    let p = profile(4, vec![conn(4, "hubspot", "h1", true)]);
    let err = edit(
        &p,
        &Edit {
            name: Some("New".into()),
            ..Edit::default()
        },
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("managed by HubSpot"), "{msg}");
    assert!(msg.contains("roster unmanage 4"), "{msg}");
    // Email and login stay editable.
    let plan = edit(
        &p,
        &Edit {
            email: Some("new@x.io".into()),
            login_access: Some(false),
            ..Edit::default()
        },
    )
    .unwrap();
    assert_eq!(plan.changes.ops.len(), 1);
}

#[test]
fn manage_switches_the_single_manager() {
    let p = profile(
        1,
        vec![
            conn(1, "salesforce", "s1", true),
            conn(1, "hubspot", "h1", false),
        ],
    );
    let plan = manage(&p, &ConnKey::new("hubspot", "h1")).unwrap();
    let after = after_conns(&plan);
    // Clearing comes first so that at no point two connections manage one profile.
    assert_eq!(
        (after[0].system.as_str(), after[0].manages),
        ("salesforce", false)
    );
    assert_eq!(
        (after[1].system.as_str(), after[1].manages),
        ("hubspot", true)
    );
    assert!(unmanage(&profile(2, vec![])).is_err());
}

#[test]
fn discard_only_pending() {
    let p = profile(1, vec![]);
    assert!(change_status(&p, StatusChange::Discard).is_err());
    let mut pending = p.clone();
    pending.employee.status = Status::Pending;
    let plan = change_status(&pending, StatusChange::Discard).unwrap();
    assert_eq!(plan.action, "discard");
    assert!(change_status(&p, StatusChange::Activate).is_err());
}

#[test]
fn connect_refuses_a_taken_account_naming_the_owner() {
    let p = profile(1, vec![]);
    let owner = employee(7, "Owner Person", None);
    let err = connect(
        &p,
        &ManualConnection {
            system: "salesforce".into(),
            external_id: "X1".into(),
            email: None,
            name: None,
        },
        Some(&owner),
        None,
        CTX,
    )
    .unwrap_err();
    assert!(err.to_string().contains("Owner Person (#7)"), "{err}");
}

#[test]
fn undo_is_refused_after_a_conflicting_change() {
    let p = profile(
        1,
        vec![
            conn(1, "salesforce", "s1", false),
            conn(1, "hubspot", "h1", true),
        ],
    );
    let plan = move_to_new(&p, &ConnKey::new("hubspot", "h1"), 9, CTX).unwrap();
    let undo = plan.changes.inverse();
    // The inverse first puts the connection back, then deletes the new profile.
    let Op::UpdateConnection {
        before: expected,
        after: restored,
    } = &undo.ops[0]
    else {
        panic!("{undo:?}");
    };
    assert_eq!(restored, &p.connections[1]);
    // Untouched since: applicable.
    assert!(
        check_op(
            &undo.ops[0],
            Current::Connection(Some(expected)),
            Check::Content
        )
        .is_ok()
    );
    // An import refreshed the account's email since: undo must refuse.
    let mut refreshed = expected.clone();
    refreshed.email = Some("changed@example.com".into());
    let err = check_op(
        &undo.ops[0],
        Current::Connection(Some(&refreshed)),
        Check::Content,
    )
    .unwrap_err();
    assert!(err.contains("was changed"), "{err}");
    // Someone removed it since: refuse too.
    assert!(check_op(&undo.ops[0], Current::Connection(None), Check::Content).is_err());
}

#[test]
fn stale_version_is_refused_but_content_check_ignores_bookkeeping() {
    let p = profile(1, vec![]);
    let plan = edit(
        &p,
        &Edit {
            login_access: Some(false),
            ..Edit::default()
        },
    )
    .unwrap();
    let op = &plan.changes.ops[0];
    let mut newer = p.employee.clone();
    newer.version += 1;
    assert!(check_op(op, Current::Employee(Some(&newer)), Check::Version).is_err());
    assert!(check_op(op, Current::Employee(Some(&newer)), Check::Content).is_ok());
}

#[test]
fn remove_records_a_block_only_when_asked_and_not_there_yet() {
    let p = profile(1, vec![conn(1, "hubspot", "h1", false)]);
    let key = ConnKey::new("hubspot", "h1");
    let blocks = |block, exists| {
        let plan = remove(&p, &key, block, exists).unwrap();
        plan.changes
            .ops
            .iter()
            .filter(|op| matches!(op, Op::InsertBlock { .. }))
            .count()
    };
    assert_eq!(blocks(false, false), 0);
    assert_eq!(blocks(false, true), 0);
    assert_eq!(blocks(true, false), 1);
    assert_eq!(blocks(true, true), 0, "a block is not written twice");
}

#[test]
fn unblock_lifts_a_block_that_is_there_and_says_when_there_is_none() {
    let p = profile(1, vec![]);
    let b = Block {
        system: "hubspot".into(),
        external_id: "h1".into(),
        employee_id: 1,
    };
    let plan = unblock(&p, &b, true).unwrap();
    assert_eq!(
        plan.changes.ops,
        vec![Op::DeleteBlock { before: b.clone() }]
    );
    assert!(matches!(unblock(&p, &b, false), Err(Error::Unchanged(_))));
}

/// The edited profile as the plan leaves it.
fn edited(plan: &Plan) -> Employee {
    match plan.changes.ops.as_slice() {
        [Op::UpdateEmployee { after, .. }] => after.clone(),
        ops => panic!("{ops:?}"),
    }
}

#[test]
fn an_edit_says_what_it_changed_and_what_it_cannot() {
    // Managed: the name and the picture are locked; one is "it", both are "them".
    let managed = profile(4, vec![conn(4, "hubspot", "h1", true)]);
    let picture = |p: &str| Edit {
        picture_url: Some(p.into()),
        ..Edit::default()
    };
    let one = edit(&managed, &picture("https://x/1"))
        .unwrap_err()
        .to_string();
    assert!(
        one.contains("The profile picture of Person 4 (#4)"),
        "{one}"
    );
    assert!(one.contains("overwrites it. To edit it,"), "{one}");
    let both = Edit {
        name: Some("New".into()),
        ..picture("https://x/1")
    };
    let both = edit(&managed, &both).unwrap_err().to_string();
    assert!(both.contains("The name and profile picture of"), "{both}");
    assert!(both.contains("overwrites them. To edit them,"), "{both}");

    // Manual: the summary names exactly the fields that change; a padded picture is
    // trimmed, a blank one clears it.
    let p = profile(5, vec![]);
    let plan = edit(
        &p,
        &Edit {
            name: Some(" Person 5 ".into()),
            email: Some("new@x.io".into()),
            picture_url: Some("  https://x/2 ".into()),
            login_access: Some(true),
        },
    )
    .unwrap();
    assert_eq!(plan.summary, "Edited the email, picture of Person 5 (#5).");
    assert_eq!(edited(&plan).picture_url.as_deref(), Some("https://x/2"));
    let plan = edit(
        &p,
        &Edit {
            name: Some("Pia".into()),
            login_access: Some(false),
            ..Edit::default()
        },
    )
    .unwrap();
    assert_eq!(
        plan.summary,
        "Edited the name, login access of Person 5 (#5)."
    );
    let mut with_picture = p.clone();
    with_picture.employee.picture_url = Some("https://x/3".into());
    let plan = edit(&with_picture, &picture("   ")).unwrap();
    assert_eq!(plan.summary, "Edited the picture of Person 5 (#5).");
    assert_eq!(edited(&plan).picture_url, None);
    // The values it has already: nothing to change.
    let same = Edit {
        name: Some("Person 5".into()),
        email: Some(" p@example.com ".into()),
        picture_url: Some(String::new()),
        login_access: Some(true),
    };
    assert!(matches!(edit(&p, &same), Err(Error::Unchanged(_))));
}
