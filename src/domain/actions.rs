//! The actions (docs/model.md) as pure functions: profiles in, a `Plan` (row changes plus the
//! sentence the audit log keeps) out. No database here; the service reads the profiles and
//! the store applies the plan in one transaction.

use super::change::{ChangeSet, Op};
use super::model::{Block, ConnKey, Connection, Employee, Origin, Profile, Status};
use super::sanitize::sanitize;
use super::validate;
use crate::error::Error;

/// Who acts and when; the domain never reads a clock or the environment.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub actor: &'a str,
    pub now: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Machine name of the action, as the audit log records it ("move", "merge", …).
    pub action: &'static str,
    /// One sentence saying what happened, for the log and the status line.
    pub summary: String,
    pub changes: ChangeSet,
}

fn update_employee(e: &Employee, f: impl FnOnce(&mut Employee)) -> Op {
    let mut after = e.clone();
    f(&mut after);
    Op::UpdateEmployee {
        before: e.clone(),
        after,
    }
}

fn update_connection(c: &Connection, f: impl FnOnce(&mut Connection)) -> Op {
    let mut after = c.clone();
    f(&mut after);
    Op::UpdateConnection {
        before: c.clone(),
        after,
    }
}

fn find<'p>(profile: &'p Profile, key: &ConnKey) -> Result<&'p Connection, Error> {
    profile.connection(key).ok_or_else(|| {
        Error::NotFound(format!(
            "{} has no {} connection with external ID {}.",
            profile.employee.label(),
            sanitize(&super::system::display_name(&key.system)),
            sanitize(&key.external_id)
        ))
    })
}

fn refuse_merged(profile: &Profile) -> Result<(), Error> {
    match profile.employee.merged_into {
        Some(into) => Err(Error::Refused(format!(
            "{} was merged into #{into}; act on #{into} instead.",
            profile.employee.label()
        ))),
        None => Ok(()),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmployee {
    pub name: String,
    pub email: Option<String>,
    pub login_access: bool,
}

pub fn new_employee(id: i64, input: &NewEmployee, ctx: Ctx) -> Result<Plan, Error> {
    let name = validate::name(&input.name)?;
    let email = match &input.email {
        Some(e) => validate::email(e)?,
        None => None,
    };
    let employee = Employee::fresh(id, name, email, None, input.login_access, ctx.now);
    Ok(Plan {
        action: "new",
        summary: format!("Created {}.", employee.label()),
        changes: ChangeSet {
            ops: vec![Op::InsertEmployee { after: employee }],
        },
    })
}

#[derive(Debug, Clone)]
pub struct ManualConnection {
    pub system: String,
    pub external_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
}

/// Links `profile` to an account by hand. `owner` is whoever holds the account now;
/// `block` is an existing block of this account on this profile, which a manual
/// connection lifts (the admin's explicit choice overrides the earlier refusal).
pub fn connect(
    profile: &Profile,
    input: &ManualConnection,
    owner: Option<&Employee>,
    block: Option<&Block>,
    ctx: Ctx,
) -> Result<Plan, Error> {
    refuse_merged(profile)?;
    super::system::validate_key(&input.system)?;
    let external_id = validate::external_id(&super::system::normalize_external_id(
        &input.system,
        &input.external_id,
    ))?;
    let email = match &input.email {
        Some(e) => validate::email(e)?,
        None => None,
    };
    let name = match &input.name {
        Some(n) => Some(validate::name(n)?),
        None => None,
    };
    let connection = Connection {
        system: input.system.clone(),
        external_id,
        employee_id: profile.employee.id,
        email,
        name,
        picture_url: None,
        manages: false,
        origin: Origin::Manual,
        created_by: ctx.actor.to_owned(),
        created_at: ctx.now.to_owned(),
        matched_value: None,
        active: None,
    };
    if let Some(owner) = owner {
        return Err(Error::Refused(format!(
            "{} already belongs to {}.",
            connection.label(),
            owner.label()
        )));
    }
    let mut changes = ChangeSet::default();
    if let Some(b) = block {
        changes.push(Op::DeleteBlock { before: b.clone() });
    }
    let summary = format!(
        "Connected {} to {}.",
        connection.label(),
        profile.employee.label()
    );
    changes.push(Op::InsertConnection { after: connection });
    Ok(Plan {
        action: "connect",
        summary,
        changes,
    })
}

pub fn manage(profile: &Profile, key: &ConnKey) -> Result<Plan, Error> {
    let conn = find(profile, key)?;
    if conn.manages {
        return Err(Error::Unchanged(format!(
            "Nothing to change: {} is already managed by {}.",
            profile.employee.label(),
            conn.label()
        )));
    }
    let mut changes = ChangeSet::default();
    if let Some(current) = profile.managed_by() {
        changes.push(update_connection(current, |c| c.manages = false));
    }
    changes.push(update_connection(conn, |c| c.manages = true));
    Ok(Plan {
        action: "manage",
        summary: format!("{} now manages {}.", conn.label(), profile.employee.label()),
        changes,
    })
}

pub fn unmanage(profile: &Profile) -> Result<Plan, Error> {
    let Some(current) = profile.managed_by() else {
        return Err(Error::Unchanged(format!(
            "Nothing to change: {} is not managed by any system; it is already managed manually.",
            profile.employee.label()
        )));
    };
    Ok(Plan {
        action: "unmanage",
        summary: format!(
            "{} is managed manually now (was managed by {}).",
            profile.employee.label(),
            current.label()
        ),
        changes: ChangeSet {
            ops: vec![update_connection(current, |c| c.manages = false)],
        },
    })
}

/// Move to new employee: the connection leaves for a fresh profile (id `new_id`) that it
/// manages. The original's managed-by clears by itself when it pointed at this connection,
/// because the flag travels with the connection.
pub fn move_to_new(profile: &Profile, key: &ConnKey, new_id: i64, ctx: Ctx) -> Result<Plan, Error> {
    refuse_merged(profile)?;
    let conn = find(profile, key)?;
    if profile.connections.len() < 2 {
        return Err(Error::Refused(format!(
            "{} holds only this connection; moving it would leave an empty duplicate. Move is offered when a profile holds two or more connections; use remove instead.",
            profile.employee.label()
        )));
    }
    let new = Employee::fresh(
        new_id,
        validate::fallback_name(
            conn.name.as_deref(),
            conn.email.as_deref(),
            &conn.external_id,
        ),
        conn.email.clone(),
        conn.picture_url.clone(),
        false,
        ctx.now,
    );
    let summary = format!(
        "Moved {} from {} to the new employee {}.",
        conn.label(),
        profile.employee.label(),
        new.label()
    );
    let moved = update_connection(conn, |c| {
        c.employee_id = new_id;
        c.manages = true;
        c.origin = Origin::Moved;
        c.created_by = ctx.actor.to_owned();
        c.created_at = ctx.now.to_owned();
        c.matched_value = Some(format!("moved from #{}", profile.employee.id));
    });
    Ok(Plan {
        action: "move",
        summary,
        changes: ChangeSet {
            ops: vec![Op::InsertEmployee { after: new }, moved],
        },
    })
}

/// Remove connection, optionally recording a block so imports never relink it here.
/// `already_blocked` says whether that block exists already (then it is not written twice).
pub fn remove(
    profile: &Profile,
    key: &ConnKey,
    block: bool,
    already_blocked: bool,
) -> Result<Plan, Error> {
    let conn = find(profile, key)?;
    let mut changes = ChangeSet::default();
    changes.push(Op::DeleteConnection {
        before: conn.clone(),
    });
    if block && !already_blocked {
        changes.push(Op::InsertBlock {
            after: Block {
                system: conn.system.clone(),
                external_id: conn.external_id.clone(),
                employee_id: profile.employee.id,
            },
        });
    }
    let summary = if block {
        format!(
            "Removed {} from {} and blocked it from being linked there again.",
            conn.label(),
            profile.employee.label()
        )
    } else {
        format!(
            "Removed {} from {}.",
            conn.label(),
            profile.employee.label()
        )
    };
    Ok(Plan {
        action: if block { "remove-block" } else { "remove" },
        summary,
        changes,
    })
}

/// Merge: keep `keep`, fold `other` into it. The kept profile's management stays as it
/// is: the accounts that move in never manage it (a profile managed manually stays
/// manual, so no import overwrites the name the admin set). `blocks` are the blocks on
/// `keep` of `other`'s accounts: a merge would put a blocked account where an admin
/// said it must not go, so it is refused, naming the block.
pub fn merge(keep: &Profile, other: &Profile, blocks: &[Block], ctx: Ctx) -> Result<Plan, Error> {
    if keep.employee.id == other.employee.id {
        return Err(Error::Refused(
            "An employee cannot be merged into itself; name two different profiles.".into(),
        ));
    }
    refuse_merged(keep)?;
    if let Some(into) = other.employee.merged_into {
        return Err(Error::Refused(format!(
            "{} was already merged into #{into}.",
            other.employee.label()
        )));
    }
    if keep.employee.status == Status::Deactivated {
        return Err(Error::Refused(format!(
            "{} is deactivated; activate it before merging another profile into it.",
            keep.employee.label()
        )));
    }
    if let Some(b) = blocks.first() {
        return Err(blocked_merge(keep, other, b));
    }
    let mut changes = ChangeSet::default();
    for conn in &other.connections {
        changes.push(update_connection(conn, |c| {
            c.employee_id = keep.employee.id;
            c.manages = false;
            c.origin = Origin::Merged;
            c.created_by = ctx.actor.to_owned();
            c.created_at = ctx.now.to_owned();
            c.matched_value = Some(format!("merged from #{}", other.employee.id));
        }));
    }
    changes.push(update_employee(&other.employee, |e| {
        e.status = Status::Deactivated;
        e.merged_into = Some(keep.employee.id);
    }));
    Ok(Plan {
        action: "merge",
        summary: format!(
            "Merged {} into {} ({} connection{} moved).",
            other.employee.label(),
            keep.employee.label(),
            other.connections.len(),
            if other.connections.len() == 1 {
                ""
            } else {
                "s"
            }
        ),
        changes,
    })
}

/// The refusal of a merge that would move the account of `block` onto the kept
/// profile it is blocked from: which account, which profiles, and the ways on that are
/// open today (the account must leave `other` first).
fn blocked_merge(keep: &Profile, other: &Profile, block: &Block) -> Error {
    let (k, o) = (keep.employee.label(), other.employee.label());
    let account = ConnKey::new(&block.system, &block.external_id);
    let label = find(other, &account)
        .map(|c| c.label())
        .unwrap_or_else(|_| account.to_string());
    let args = format!(
        "{} --system {} --external-id {}",
        other.employee.id,
        sanitize(&block.system),
        sanitize(&block.external_id)
    );
    let mut off = format!("remove it there (`roster remove {args}`)");
    if other.connections.len() > 1 {
        off.push_str(&format!(
            " or move it to a profile of its own (`roster move {args}`)"
        ));
    }
    Error::Refused(format!(
        "Nothing was merged: {label} of {o} is blocked from {k} (an admin removed it from there with --block), and the merge would link it there again. To merge anyway, first take the account off {o}: {off}; to have it on {k} after all, then connect it to {k} by hand, which lifts the block."
    ))
}

/// Field changes asked for by an edit: `None` leaves a field as it is; for email and
/// picture `Some("")` clears it.
#[derive(Debug, Default, Clone)]
pub struct Edit {
    pub name: Option<String>,
    pub email: Option<String>,
    pub picture_url: Option<String>,
    pub login_access: Option<bool>,
}

pub fn edit(profile: &Profile, input: &Edit) -> Result<Plan, Error> {
    refuse_merged(profile)?;
    let e = &profile.employee;
    let name = match &input.name {
        Some(n) => validate::name(n)?,
        None => e.name.clone(),
    };
    let email = match &input.email {
        Some(v) => validate::email(v)?,
        None => e.email.clone(),
    };
    let picture_url = match &input.picture_url {
        Some(p) if p.trim().is_empty() => None,
        Some(p) => {
            validate::check_len("picture URL", p.trim())?;
            Some(p.trim().to_owned())
        }
        None => e.picture_url.clone(),
    };
    let login_access = input.login_access.unwrap_or(e.login_access);
    if let Some(manager) = profile.managed_by() {
        let mut locked = Vec::new();
        if name != e.name {
            locked.push("name");
        }
        if picture_url != e.picture_url {
            locked.push("profile picture");
        }
        if !locked.is_empty() {
            let system = sanitize(&manager.system_name()).into_owned();
            let it = if locked.len() == 1 { "it" } else { "them" };
            return Err(Error::Refused(format!(
                "The {} of {} cannot be edited: the profile is managed by {system}, whose next import overwrites {it}. To edit {it}, take the profile over first with `roster unmanage {}` (\"Manage manually\" in the app); email and login access stay editable.",
                locked.join(" and "),
                e.label(),
                e.id
            )));
        }
    }
    let mut changed = Vec::new();
    if name != e.name {
        changed.push("name");
    }
    if email != e.email {
        changed.push("email");
    }
    if picture_url != e.picture_url {
        changed.push("picture");
    }
    if login_access != e.login_access {
        changed.push("login access");
    }
    if changed.is_empty() {
        return Err(Error::Unchanged(format!(
            "Nothing to change: {} already has these values.",
            e.label()
        )));
    }
    let op = update_employee(e, |a| {
        a.name = name;
        a.email = email;
        a.picture_url = picture_url;
        a.login_access = login_access;
    });
    Ok(Plan {
        action: "edit",
        summary: format!("Edited the {} of {}.", changed.join(", "), e.label()),
        changes: ChangeSet { ops: vec![op] },
    })
}

/// Lifts a block: imports may link the account to the profile again (by ID or email).
/// A block that is not there is nothing to change.
pub fn unblock(profile: &Profile, block: &Block, exists: bool) -> Result<Plan, Error> {
    let account = format!(
        "{} account {}",
        sanitize(&super::system::display_name(&block.system)),
        sanitize(&block.external_id)
    );
    if !exists {
        return Err(Error::Unchanged(format!(
            "Nothing to change: the {account} is not blocked from {}.",
            profile.employee.label()
        )));
    }
    Ok(Plan {
        action: "unblock",
        summary: format!(
            "Lifted the block on the {account} for {}: imports may link it there again.",
            profile.employee.label()
        ),
        changes: ChangeSet {
            ops: vec![Op::DeleteBlock {
                before: block.clone(),
            }],
        },
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    Activate,
    Deactivate,
    Discard,
}

pub fn change_status(profile: &Profile, change: StatusChange) -> Result<Plan, Error> {
    refuse_merged(profile)?;
    let e = &profile.employee;
    let (action, target, verb) = match change {
        StatusChange::Activate => ("activate", Status::Active, "Activated"),
        StatusChange::Deactivate => ("deactivate", Status::Deactivated, "Deactivated"),
        StatusChange::Discard => ("discard", Status::Deactivated, "Discarded"),
    };
    if e.status == target {
        return Err(Error::Unchanged(format!(
            "Nothing to change: {} is already {}.",
            e.label(),
            target
        )));
    }
    if change == StatusChange::Discard && e.status != Status::Pending {
        return Err(Error::Refused(format!(
            "{} is {}; only pending profiles can be discarded (use deactivate).",
            e.label(),
            e.status
        )));
    }
    Ok(Plan {
        action,
        summary: format!("{verb} {}.", e.label()),
        changes: ChangeSet {
            ops: vec![update_employee(e, |a| a.status = target)],
        },
    })
}

#[cfg(test)]
mod tests;
