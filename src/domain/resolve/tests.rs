use super::*;
use crate::domain::change::Check;

const CTX: Ctx = Ctx {
    actor: "admin",
    now: "2026-01-02T03:04:05.000Z",
};

fn employee(id: i64, name: &str, email: &str, status: Status) -> Employee {
    Employee {
        id,
        name: name.into(),
        email: Some(email.into()),
        picture_url: None,
        login_access: false,
        status,
        merged_into: None,
        version: 3,
        created_at: "t".into(),
        updated_at: "t".into(),
    }
}

fn profile(id: i64, name: &str, email: &str) -> Profile {
    Profile {
        employee: employee(id, name, email, Status::Active),
        connections: Vec::new(),
    }
}

fn conflict() -> (InboxItem, ItemState) {
    let item = InboxItem {
        id: ItemId::Stored(12),
        kind: Kind::Conflict,
        reason: "r".into(),
        accounts: vec![ItemAccount {
            role: "account".into(),
            system: "salesforce".into(),
            external_id: "005A".into(),
            email: Some("jane@acme.com".into()),
            name: Some("Jane Doe".into()),
        }],
        profiles: vec![3, 4],
        names: vec!["Jane".into(), "Jane D".into()],
        raised_at: "t".into(),
        import_run: Some(1),
        seen_at: "t".into(),
    };
    let state = ItemState {
        id: 12,
        kind: "conflict".into(),
        subject: "salesforce:005A".into(),
        closed: None,
    };
    (item, state)
}

fn closing(plan: &Plan) -> &ItemState {
    plan.changes
        .ops
        .iter()
        .find_map(|op| match op {
            Op::UpdateReviewItem { after, .. } => Some(after),
            _ => None,
        })
        .expect("the item closes")
}

#[test]
fn link_connects_the_account_and_closes_the_item() {
    let (item, state) = conflict();
    let plan = link(
        &item,
        &state,
        &profile(3, "Jane", "jane@acme.com"),
        None,
        None,
        CTX,
    )
    .unwrap();
    assert_eq!(plan.action, "review-link");
    let conn = plan
        .changes
        .ops
        .iter()
        .find_map(|op| match op {
            Op::InsertConnection { after } => Some(after),
            _ => None,
        })
        .unwrap();
    assert_eq!((conn.employee_id, conn.manages), (3, false));
    assert_eq!(conn.matched_value.as_deref(), Some("review item 12"));
    let closed = closing(&plan).closed.as_ref().unwrap();
    assert_eq!(
        (closed.why.as_str(), closed.by.as_str()),
        ("resolved", "admin")
    );
    // Its undo opens the item again.
    let inverse = plan.changes.inverse();
    assert!(
        matches!(&inverse.ops[0], Op::UpdateReviewItem { after, .. } if after.closed.is_none())
    );
}

#[test]
fn an_account_placed_since_is_stale() {
    let (item, state) = conflict();
    let owner = employee(9, "Other", "o@x.io", Status::Active);
    let e = link(
        &item,
        &state,
        &profile(3, "J", "j@x.io"),
        Some(&owner),
        None,
        CTX,
    )
    .unwrap_err();
    assert!(matches!(e, Error::Stale(_)), "{e}");
    assert!(e.to_string().contains("belongs to Other (#9)"), "{e}");
    assert!(matches!(
        create(&item, &state, 40, Some(&owner), CTX),
        Err(Error::Stale(_))
    ));
}

#[test]
fn create_makes_a_managed_profile_from_the_account() {
    let (item, state) = conflict();
    let plan = create(&item, &state, 40, None, CTX).unwrap();
    let Op::InsertEmployee { after: e } = &plan.changes.ops[0] else {
        panic!("{plan:?}")
    };
    assert_eq!(
        (e.id, e.name.as_str(), e.status),
        (40, "Jane Doe", Status::Active)
    );
    let Op::InsertConnection { after: c } = &plan.changes.ops[1] else {
        panic!("{plan:?}")
    };
    assert!(c.manages && c.employee_id == 40);
}

#[test]
fn ignore_and_dismiss_only_close_the_item() {
    let (item, state) = conflict();
    let plan = ignore(&item, &state, CTX).unwrap();
    assert_eq!(plan.changes.ops.len(), 1);
    assert_eq!(closing(&plan).closed.as_ref().unwrap().why, "ignored");
    assert!(
        plan.summary.contains("while its email stays jane@acme.com"),
        "{}",
        plan.summary
    );
    let plan = dismiss(
        &item,
        &state,
        &[profile(3, "A", "a@x"), profile(4, "B", "b@x")],
        CTX,
    )
    .unwrap();
    assert_eq!(closing(&plan).closed.as_ref().unwrap().why, "dismissed");
}

#[test]
fn each_kind_takes_its_resolutions() {
    let (mut item, _) = conflict();
    assert!(check_allowed(&item, Resolution::Merge(3)).is_ok());
    let e = check_allowed(&item, Resolution::Dismiss).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Review item 12 is a conflict item, which cannot be dismissed; it takes --link EMP, --create, --ignore or --merge KEEP."
    );
    item.kind = Kind::Duplicate;
    assert!(check_allowed(&item, Resolution::Link(3)).is_err());
    assert!(check_allowed(&item, Resolution::Dismiss).is_ok());
}

#[test]
fn merge_folds_the_others_and_links_a_conflicts_account() {
    let (item, state) = conflict();
    let keep = profile(3, "Jane", "jane@acme.com");
    let other = profile(4, "Jane D", "jane@acme.com");
    let plan = merge(
        &item,
        Some(&state),
        &keep,
        &[Fold {
            profile: &other,
            blocks: &[],
        }],
        Some((None, None)),
        CTX,
    )
    .unwrap();
    assert!(
        plan.summary.contains("merged Jane D (#4) into Jane (#3)"),
        "{}",
        plan.summary
    );
    assert!(
        plan.summary
            .contains("linked Salesforce account 005A to Jane (#3)")
    );
    assert!(
        plan.changes.ops.iter().any(
            |op| matches!(op, Op::UpdateEmployee { after, .. } if after.merged_into == Some(3))
        )
    );
    assert!(
        plan.changes
            .ops
            .iter()
            .any(|op| matches!(op, Op::InsertConnection { after } if after.employee_id == 3))
    );
    // The merge rules hold: a deactivated profile is not kept.
    let mut gone = keep.clone();
    gone.employee.status = Status::Deactivated;
    let e = merge(
        &item,
        Some(&state),
        &gone,
        &[Fold {
            profile: &other,
            blocks: &[],
        }],
        None,
        CTX,
    )
    .unwrap_err();
    assert!(e.to_string().contains("is deactivated"), "{e}");
}

#[test]
fn a_pending_profile_is_activated_or_discarded() {
    let (mut item, _) = conflict();
    item.id = ItemId::Pending(7);
    item.kind = Kind::Pending;
    let mut p = profile(7, "Kira", "kira@x.io");
    p.employee.status = Status::Pending;
    let plan = pending(&item, &p, Resolution::Create).unwrap();
    assert_eq!(
        plan.summary,
        "Review item p7: activated Kira (#7) as a new person."
    );
    assert!(
        matches!(&plan.changes.ops[0], Op::UpdateEmployee { after, .. } if after.status == Status::Active)
    );
    let plan = pending(&item, &p, Resolution::Ignore).unwrap();
    assert!(
        matches!(&plan.changes.ops[0], Op::UpdateEmployee { after, .. } if after.status == Status::Deactivated)
    );
    p.employee.status = Status::Active;
    assert!(matches!(
        pending(&item, &p, Resolution::Create),
        Err(Error::Stale(_))
    ));
}

#[test]
fn the_item_op_checks_what_it_finds() {
    use crate::domain::change::{Current, check_op};
    let (_, state) = conflict();
    let op = close(&state, Closed::Resolved, "n".into(), CTX);
    assert!(check_op(&op, Current::ReviewItem(Some(&state), None), Check::Version).is_ok());
    let Op::UpdateReviewItem { after, .. } = &op else {
        unreachable!()
    };
    let e = check_op(&op, Current::ReviewItem(Some(after), None), Check::Version).unwrap_err();
    assert_eq!(e, "review item 12 was closed (resolved) by admin");
    // Reopening while another item of the same case is open would make two.
    let undo = crate::domain::change::ChangeSet {
        ops: vec![op.clone()],
    }
    .inverse();
    let e = check_op(
        &undo.ops[0],
        Current::ReviewItem(Some(after), Some(30)),
        Check::Content,
    )
    .unwrap_err();
    assert_eq!(e, "review item 30 is open for the same case now");
}

#[test]
fn a_blank_account_name_gives_the_connection_none() {
    let (mut item, state) = conflict();
    let name_of = |item: &InboxItem| {
        let plan = create(item, &state, 40, None, CTX).unwrap();
        match &plan.changes.ops[1] {
            Op::InsertConnection { after } => after.name.clone(),
            op => panic!("{op:?}"),
        }
    };
    item.accounts[0].name = Some("  Jane Doe ".into());
    assert_eq!(name_of(&item).as_deref(), Some("Jane Doe"));
    item.accounts[0].name = Some("   ".into());
    assert_eq!(name_of(&item), None);
}

#[test]
fn link_takes_a_blank_account_name_as_none() {
    let (mut item, state) = conflict();
    item.accounts[0].name = Some("  ".into());
    let plan = link(
        &item,
        &state,
        &profile(3, "Jane", "jane@acme.com"),
        None,
        None,
        CTX,
    )
    .unwrap();
    assert!(
        plan.changes
            .ops
            .iter()
            .any(|op| matches!(op, Op::InsertConnection { after } if after.name.is_none())),
        "{plan:?}"
    );
}

#[test]
fn a_merge_says_how_many_connections_it_moved() {
    let (item, state) = conflict();
    let keep = profile(3, "Jane", "jane@acme.com");
    let account = |system: &str| Connection {
        system: system.into(),
        external_id: "9".into(),
        employee_id: 4,
        email: None,
        name: None,
        picture_url: None,
        manages: false,
        origin: Origin::Manual,
        created_by: "admin".into(),
        created_at: "t".into(),
        matched_value: None,
        active: None,
    };
    let summary = |systems: &[&str]| {
        let mut other = profile(4, "Jane D", "jane@acme.com");
        other.connections = systems.iter().map(|s| account(s)).collect();
        let fold = [Fold {
            profile: &other,
            blocks: &[],
        }];
        merge(&item, Some(&state), &keep, &fold, None, CTX)
            .unwrap()
            .summary
    };
    assert!(summary(&[]).contains("(0 connections moved)"));
    assert!(summary(&["hubspot"]).contains("(1 connection moved)"));
    assert!(
        summary(&["hubspot", "pipedrive", "slack"]).contains("(3 connections moved)"),
        "{}",
        summary(&["hubspot", "pipedrive", "slack"])
    );
}

#[test]
fn a_pending_item_stands_for_its_profile_and_settled_items_close_as_settled() {
    let (mut item, state) = conflict();
    assert_eq!(pending_id(&item), None);
    item.id = ItemId::Pending(7);
    assert_eq!(pending_id(&item), Some(7));
    let mut other = state.clone();
    other.id = 13;
    let ops = settle(&[state.clone(), other], "placed by import #2", CTX);
    assert_eq!(ops.len(), 2);
    for (op, id) in ops.iter().zip([12, 13]) {
        let Op::UpdateReviewItem { before, after } = op else {
            panic!("{op:?}")
        };
        assert_eq!(
            (before.id, after.id, before.closed.is_none()),
            (id, id, true)
        );
        let closed = after.closed.as_ref().unwrap();
        assert_eq!(
            (
                closed.why.as_str(),
                closed.note.as_str(),
                closed.by.as_str(),
                closed.at.as_str()
            ),
            ("settled", "placed by import #2", "admin", CTX.now)
        );
    }
}
