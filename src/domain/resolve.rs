//! The review inbox's resolutions as pure plans (README "The review inbox", docs/review.md):
//! an open item and the profiles it names in, the row changes out, the item's closing
//! among them, so that the audit log keeps the decision and undo opens the item again.
//! Which resolutions apply to which kind is `allowed`.

use super::actions::{self, Ctx, ManualConnection, Plan, StatusChange};
use super::change::{ChangeSet, Op};
use super::model::{Block, Connection, Employee, Origin, Profile, Status};
use super::review::{Closed, Closing, InboxItem, ItemAccount, ItemId, ItemState, Kind, Resolution};
use super::sanitize::sanitize;
use super::system::display_name;
use super::validate;
use crate::error::Error;

/// The resolutions of each kind, as the flags of `roster review resolve` name them.
pub fn allowed(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Conflict => &["--link EMP", "--create", "--ignore", "--merge KEEP"],
        Kind::SameSystem => &["--link EMP", "--create", "--ignore"],
        Kind::Duplicate => &["--merge KEEP", "--dismiss"],
        Kind::Pending => &["--create", "--merge KEEP", "--ignore"],
    }
}

/// Refuses a resolution that does not apply to the item's kind, saying which do.
pub fn check_allowed(item: &InboxItem, how: Resolution) -> Result<(), Error> {
    let ok = matches!(
        (item.kind, how),
        (
            Kind::Conflict,
            Resolution::Link(_) | Resolution::Create | Resolution::Ignore | Resolution::Merge(_)
        ) | (
            Kind::SameSystem,
            Resolution::Link(_) | Resolution::Create | Resolution::Ignore
        ) | (Kind::Duplicate, Resolution::Merge(_) | Resolution::Dismiss)
            | (
                Kind::Pending,
                Resolution::Create | Resolution::Ignore | Resolution::Merge(_)
            )
    );
    if ok {
        return Ok(());
    }
    let what = match how {
        Resolution::Link(_) => "linked",
        Resolution::Create => "resolved by creating a profile",
        Resolution::Ignore => "ignored",
        Resolution::Merge(_) => "merged",
        Resolution::Dismiss => "dismissed",
    };
    Err(Error::Refused(format!(
        "Review item {} is a {} item, which cannot be {what}; it takes {}.",
        item.id,
        item.kind.words(),
        super::duplicates::and_list(
            &allowed(item.kind)
                .iter()
                .map(|s| (*s).to_owned())
                .collect::<Vec<_>>()
        )
        .replace(" and ", " or ")
    )))
}

/// "Review item 12" / "Review p17": how summaries start.
fn title(item: &InboxItem) -> String {
    format!("Review item {}", item.id)
}

/// The change that closes `state`.
pub fn close(state: &ItemState, why: Closed, note: String, ctx: Ctx) -> Op {
    let mut after = state.clone();
    after.closed = Some(Closing {
        at: ctx.now.to_owned(),
        by: ctx.actor.to_owned(),
        why: why.as_str().to_owned(),
        note,
    });
    Op::UpdateReviewItem {
        before: state.clone(),
        after,
    }
}

/// The account an item of the import kinds is about.
fn account(item: &InboxItem) -> Result<&ItemAccount, Error> {
    item.account().ok_or_else(|| {
        Error::Damaged(format!(
            "Review item {} names no account; it cannot be linked or created.",
            item.id
        ))
    })
}

/// "Salesforce account 005…".
fn account_label(a: &ItemAccount) -> String {
    format!(
        "{} account {}",
        sanitize(&display_name(&a.system)),
        sanitize(&a.external_id)
    )
}

fn refuse_owned(a: &ItemAccount, owner: Option<&Employee>) -> Result<(), Error> {
    match owner {
        Some(o) => Err(Error::Stale(format!(
            "Nothing was changed: {} belongs to {} now (an import or an admin placed it since). Look again and retry.",
            account_label(a),
            o.label()
        ))),
        None => Ok(()),
    }
}

/// The connection a resolution makes for the item's account.
fn connection(
    a: &ItemAccount,
    employee: i64,
    manages: bool,
    item: &InboxItem,
    ctx: Ctx,
) -> Result<Connection, Error> {
    Ok(Connection {
        system: a.system.clone(),
        external_id: a.external_id.clone(),
        employee_id: employee,
        email: match &a.email {
            Some(e) => validate::email(e)?,
            None => None,
        },
        name: a
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        picture_url: None,
        manages,
        origin: Origin::Manual,
        created_by: ctx.actor.to_owned(),
        created_at: ctx.now.to_owned(),
        matched_value: Some(format!("review item {}", item.id)),
        active: None,
    })
}

/// Link the account to `target`. `owner`: who holds the account now (refused when
/// anyone does); `block`: a block of the account on `target`, which the admin's choice
/// lifts (as a manual connection does).
pub fn link(
    item: &InboxItem,
    state: &ItemState,
    target: &Profile,
    owner: Option<&Employee>,
    block: Option<&Block>,
    ctx: Ctx,
) -> Result<Plan, Error> {
    let a = account(item)?;
    refuse_owned(a, owner)?;
    let input = ManualConnection {
        system: a.system.clone(),
        external_id: a.external_id.clone(),
        email: a.email.clone(),
        name: a.name.clone().filter(|n| !n.trim().is_empty()),
    };
    let mut plan = actions::connect(target, &input, None, block, ctx)?;
    for op in &mut plan.changes.ops {
        if let Op::InsertConnection { after } = op {
            after.matched_value = Some(format!("review item {}", item.id));
        }
    }
    let summary = format!(
        "{}: linked {} to {}.",
        title(item),
        account_label(a),
        target.employee.label()
    );
    plan.changes
        .push(close(state, Closed::Resolved, summary.clone(), ctx));
    Ok(Plan {
        action: Resolution::Link(target.employee.id).action(),
        summary,
        changes: plan.changes,
    })
}

/// A new profile (`new_id`) for the account, managed by it.
pub fn create(
    item: &InboxItem,
    state: &ItemState,
    new_id: i64,
    owner: Option<&Employee>,
    ctx: Ctx,
) -> Result<Plan, Error> {
    let a = account(item)?;
    refuse_owned(a, owner)?;
    let conn = connection(a, new_id, true, item, ctx)?;
    let employee = Employee::fresh(
        new_id,
        validate::fallback_name(a.name.as_deref(), a.email.as_deref(), &a.external_id),
        conn.email.clone(),
        None,
        false,
        ctx.now,
    );
    let summary = format!(
        "{}: created {} for {}, which manages it.",
        title(item),
        employee.label(),
        account_label(a)
    );
    let mut changes = ChangeSet::default();
    changes.push(Op::InsertEmployee { after: employee });
    changes.push(Op::InsertConnection { after: conn });
    changes.push(close(state, Closed::Resolved, summary.clone(), ctx));
    Ok(Plan {
        action: Resolution::Create.action(),
        summary,
        changes,
    })
}

/// Leave the account alone: imports skip it while its email stays the one it has now.
pub fn ignore(item: &InboxItem, state: &ItemState, ctx: Ctx) -> Result<Plan, Error> {
    let a = account(item)?;
    let email = match &a.email {
        Some(e) => format!("while its email stays {}", sanitize(e)),
        None => "while it has no email".to_owned(),
    };
    let summary = format!(
        "{}: ignored {}; imports leave it alone {email}.",
        title(item),
        account_label(a)
    );
    Ok(Plan {
        action: Resolution::Ignore.action(),
        summary: summary.clone(),
        changes: ChangeSet {
            ops: vec![close(state, Closed::Ignored, summary, ctx)],
        },
    })
}

/// Not one person: the item's pairs are never suggested again.
pub fn dismiss(
    item: &InboxItem,
    state: &ItemState,
    profiles: &[Profile],
    ctx: Ctx,
) -> Result<Plan, Error> {
    let who: Vec<String> = profiles.iter().map(|p| p.employee.label()).collect();
    let summary = format!(
        "{}: dismissed the suggestion that {} are one person; it is not made again.",
        title(item),
        super::duplicates::and_list(&who)
    );
    Ok(Plan {
        action: Resolution::Dismiss.action(),
        summary: summary.clone(),
        changes: ChangeSet {
            ops: vec![close(state, Closed::Dismissed, summary, ctx)],
        },
    })
}

/// One profile folded into the kept one, with the blocks of its accounts on it.
pub struct Fold<'a> {
    pub profile: &'a Profile,
    pub blocks: &'a [Block],
}

/// Keep `keep` and fold `others` into it (the merge rules and refusals of a merge by
/// hand, one merge each); for a conflict also link the account to `keep` (`owner`: who
/// holds the account now, `block`: its block on `keep`). `state`: the stored item, which
/// closes (none for a pending profile).
pub fn merge(
    item: &InboxItem,
    state: Option<&ItemState>,
    keep: &Profile,
    others: &[Fold<'_>],
    link: Option<(Option<&Employee>, Option<&Block>)>,
    ctx: Ctx,
) -> Result<Plan, Error> {
    if others.is_empty() {
        return Err(Error::Refused(format!(
            "{}: there is nothing to merge into {}.",
            title(item),
            keep.employee.label()
        )));
    }
    let mut changes = ChangeSet::default();
    let mut keep_now = keep.clone();
    let mut moved = 0;
    for fold in others {
        let plan = actions::merge(&keep_now, fold.profile, fold.blocks, ctx)?;
        for op in &plan.changes.ops {
            if let Op::UpdateConnection { after, .. } = op {
                keep_now.connections.push(after.clone());
                moved += 1;
            }
        }
        changes.ops.extend(plan.changes.ops);
    }
    let folded: Vec<String> = others.iter().map(|f| f.profile.employee.label()).collect();
    let mut summary = format!(
        "{}: merged {} into {} ({moved} connection{} moved)",
        title(item),
        super::duplicates::and_list(&folded),
        keep.employee.label(),
        if moved == 1 { "" } else { "s" }
    );
    if let Some((owner, block)) = link {
        let a = account(item)?;
        refuse_owned(a, owner)?;
        if let Some(b) = block {
            changes.push(Op::DeleteBlock { before: b.clone() });
        }
        changes.push(Op::InsertConnection {
            after: connection(a, keep.employee.id, false, item, ctx)?,
        });
        summary.push_str(&format!(
            " and linked {} to {}",
            account_label(a),
            keep.employee.label()
        ));
    }
    summary.push('.');
    if let Some(state) = state {
        changes.push(close(state, Closed::Resolved, summary.clone(), ctx));
    }
    Ok(Plan {
        action: Resolution::Merge(keep.employee.id).action(),
        summary,
        changes,
    })
}

/// A pending profile taken on as a new person (`Create`) or discarded (`Ignore`).
pub fn pending(item: &InboxItem, profile: &Profile, how: Resolution) -> Result<Plan, Error> {
    let label = profile.employee.label();
    let (change, what) = match how {
        Resolution::Create => (
            StatusChange::Activate,
            format!("activated {label} as a new person"),
        ),
        Resolution::Ignore => (
            StatusChange::Discard,
            format!("discarded {label} (it moves to Deactivated)"),
        ),
        _ => {
            return Err(Error::Refused(format!(
                "{}: a pending profile is activated (--create), merged (--merge KEEP) or discarded (--ignore).",
                title(item)
            )));
        }
    };
    if profile.employee.status != Status::Pending {
        return Err(Error::Stale(format!(
            "Nothing was changed: {} is {} now, no longer pending. Look again and retry.",
            profile.employee.label(),
            profile.employee.status
        )));
    }
    let plan = actions::change_status(profile, change)?;
    Ok(Plan {
        action: how.action(),
        summary: format!("{}: {what}.", title(item)),
        changes: plan.changes,
    })
}

/// The id a pending item stands for, checked against the profile.
pub fn pending_id(item: &InboxItem) -> Option<i64> {
    match item.id {
        ItemId::Pending(id) => Some(id),
        ItemId::Stored(_) => None,
    }
}

/// The notes of items an action settles by itself (docs/review.md "Items that close by
/// themselves"): they close as `settled`, in the action's change, so that its undo
/// opens them again.
pub fn settle(states: &[ItemState], note: &str, ctx: Ctx) -> Vec<Op> {
    states
        .iter()
        .map(|s| close(s, Closed::Settled, note.to_owned(), ctx))
        .collect()
}

#[cfg(test)]
mod tests;
