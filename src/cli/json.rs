//! The JSON shapes of SPEC §4. Field names are a stable interface: add, never rename.

use serde_json::{Value, json};

use crate::domain::model::{Connection, Profile};
use crate::store::audit::Entry;
use crate::store::listing::ListRow;

fn managed_by(system: &str, external_id: &str) -> Value {
    json!({ "system": system, "external_id": external_id })
}

pub fn list_row(r: &ListRow) -> Value {
    json!({
        "id": r.id,
        "name": r.name,
        "email": r.email,
        "picture_url": r.picture_url,
        "status": r.status,
        "login_access": r.login_access,
        "tracked": r.tracked(),
        "suppliers": r.suppliers,
        "managed_by": r.managed_by.as_ref().map(|k| managed_by(&k.system, &k.external_id)),
        "version": r.version,
    })
}

pub fn connection(c: &Connection) -> Value {
    json!({
        "system": c.system,
        "external_id": c.external_id,
        "email": c.email,
        "name": c.name,
        "picture_url": c.picture_url,
        "origin": c.origin,
        "created_at": c.created_at,
        "created_by": c.created_by,
        "managed": c.manages,
        "matched_value": c.matched_value,
    })
}

/// The employee object; with its connections for `show` and the action results.
pub fn employee(p: &Profile) -> Value {
    let e = &p.employee;
    json!({
        "id": e.id,
        "name": e.name,
        "email": e.email,
        "picture_url": e.picture_url,
        "status": e.status,
        "login_access": e.login_access,
        "tracked": p.tracked(),
        "suppliers": p.supplier_keys(),
        "managed_by": p.managed_by().map(|c| managed_by(&c.system, &c.external_id)),
        "merged_into": e.merged_into,
        "version": e.version,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
        "connections": p.connections.iter().map(connection).collect::<Vec<_>>(),
    })
}

pub fn log_entry(e: &Entry) -> Value {
    json!({
        "id": e.id,
        "at": e.at,
        "actor": e.actor,
        "os_user": e.os_user,
        "ssh_client": e.ssh_client,
        "action": e.action,
        "summary": e.summary,
        "employees": e.employees,
        "undoable": e.undoable,
        "reverts": e.reverts,
        "changes": e.changes,
    })
}
