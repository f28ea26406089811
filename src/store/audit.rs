//! The audit log: append-only (triggers refuse UPDATE and DELETE), one entry per change.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::audit::{Actor, Entry, LogFilter};
use crate::domain::change::ChangeSet;
use crate::error::Error;

pub struct NewEntry<'a> {
    pub at: &'a str,
    pub actor: &'a Actor,
    pub action: &'a str,
    pub summary: &'a str,
    pub changes: &'a ChangeSet,
    pub undoable: bool,
    pub reverts: Option<i64>,
}

pub fn append(db: &Connection, e: &NewEntry<'_>) -> Result<i64, Error> {
    append_raw(
        db,
        e,
        &serde_json::to_string(e.changes)?,
        e.changes.employee_ids().into_iter(),
    )
}

/// Appends an entry whose before/after is given as JSON (imports keep a summary there
/// rather than a million row images).
pub fn append_raw(
    db: &Connection,
    e: &NewEntry<'_>,
    changes_json: &str,
    employees: impl Iterator<Item = i64>,
) -> Result<i64, Error> {
    db.prepare_cached(
        "INSERT INTO audit (at, actor, os_user, ssh_client, action, summary, changes, undoable, reverts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        e.at,
        e.actor.name,
        e.actor.os_user,
        e.actor.ssh_client,
        e.action,
        e.summary,
        changes_json,
        e.undoable,
        e.reverts
    ])?;
    let id = db.last_insert_rowid();
    let mut stmt = db.prepare_cached(
        "INSERT OR IGNORE INTO audit_employees (employee_id, audit_id) VALUES (?1, ?2)",
    )?;
    for emp in employees {
        stmt.execute(params![emp, id])?;
    }
    Ok(id)
}

const COLUMNS: &str = "a.id, a.at, a.actor, a.os_user, a.ssh_client, a.action, a.summary, a.undoable, \
     a.reverts, a.changes, \
     (SELECT group_concat(employee_id, ',') FROM audit_employees WHERE audit_id = a.id)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Entry> {
    let changes: String = r.get(9)?;
    let employees: Option<String> = r.get(10)?;
    Ok(Entry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        os_user: r.get(3)?,
        ssh_client: r.get(4)?,
        action: r.get(5)?,
        summary: r.get(6)?,
        undoable: r.get(7)?,
        reverts: r.get(8)?,
        changes: serde_json::from_str(&changes).unwrap_or(serde_json::Value::String(changes)),
        employees: employees
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| s.parse().ok())
            .collect(),
    })
}

/// Newest first, at most `limit`, those `filter` lets through.
pub fn list(db: &Connection, filter: &LogFilter, limit: usize) -> Result<Vec<Entry>, Error> {
    let limit = limit.min(i64::MAX as usize) as i64;
    let (from, order) = match filter.employee {
        Some(_) => (
            "audit_employees ae JOIN audit a ON a.id = ae.audit_id WHERE ae.employee_id = ?1",
            "ae.audit_id",
        ),
        None => ("audit a WHERE ?1 IS NULL", "a.id"),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM {from}
           AND (?2 IS NULL OR a.actor = ?2 OR a.os_user = ?2)
           AND (?3 IS NULL OR a.action = ?3)
           AND (?4 IS NULL OR a.at >= ?4)
         ORDER BY {order} DESC LIMIT ?5"
    );
    let mut stmt = db.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(
            params![
                filter.employee,
                filter.by,
                filter.action,
                filter.since,
                limit
            ],
            from_row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The actions the log holds, sorted: what `--action` may name besides the known ones.
pub fn actions(db: &Connection) -> Result<Vec<String>, Error> {
    let mut stmt = db.prepare_cached("SELECT DISTINCT action FROM audit ORDER BY 1")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One entry by its id.
pub fn get(db: &Connection, id: i64) -> Result<Option<Entry>, Error> {
    Ok(db
        .prepare_cached(&format!("SELECT {COLUMNS} FROM audit a WHERE a.id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// What undoing an entry takes back.
#[derive(Debug, Clone)]
pub enum Undo {
    /// An action: its row images, applied in reverse.
    Changes(ChangeSet),
    /// An import: its run, taken back through the import journal.
    Import { run: i64 },
}

/// The most recent entry that can still be undone: undoable and not undone yet.
pub fn last_undoable(db: &Connection) -> Result<Option<(Entry, Undo)>, Error> {
    let entry = db
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM audit a
             WHERE a.undoable = 1
               AND NOT EXISTS (SELECT 1 FROM audit u WHERE u.reverts = a.id)
             ORDER BY a.id DESC LIMIT 1"
        ))?
        .query_row([], from_row)
        .optional()?;
    match entry {
        Some(entry) => Ok(Some(undo_of(db, entry)?)),
        None => Ok(None),
    }
}

/// Entry `id` and what undoing it takes back; refused when it is not there, cannot be
/// undone, or was undone already.
pub fn undoable(db: &Connection, id: i64) -> Result<(Entry, Undo), Error> {
    let Some(entry) = get(db, id)? else {
        return Err(Error::NotFound(format!(
            "There is no entry #{id} in the audit log (`roster log` lists them)."
        )));
    };
    if !entry.undoable {
        return Err(Error::Refused(format!(
            "Entry #{id} \u{201c}{}\u{201d} cannot be undone (only actions on profiles and imports can).",
            entry.summary
        )));
    }
    let undone: Option<i64> = db
        .prepare_cached("SELECT id FROM audit WHERE reverts = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if let Some(by) = undone {
        return Err(Error::Refused(format!(
            "Entry #{id} \u{201c}{}\u{201d} was undone already (by entry #{by}).",
            entry.summary
        )));
    }
    undo_of(db, entry)
}

/// What undoing `entry` takes back.
fn undo_of(db: &Connection, entry: Entry) -> Result<(Entry, Undo), Error> {
    if entry.action == "import" {
        let run = entry.changes["import_run"].as_i64().ok_or_else(|| {
            Error::Damaged(format!(
                "Audit entry {} names no import run to undo.",
                entry.id
            ))
        })?;
        return Ok((entry, Undo::Import { run }));
    }
    let mut images = entry.changes.clone();
    fill_flags_not_kept(db, &mut images)?;
    let changes: ChangeSet = serde_json::from_value(images).map_err(|e| {
        Error::Damaged(format!(
            "Audit entry {} cannot be read back for undo: {e}.",
            entry.id
        ))
    })?;
    Ok((entry, Undo::Changes(changes)))
}

/// Entries written before the connections' row images carried the system's `active`
/// flag lack it. No action changed that flag (only imports do, and they keep no row
/// images), so the flag such an image stands for is the one the row holds now: undo
/// then neither refuses over it nor clears it. A connection that no longer exists (an
/// undone remove brings it back) had its flag lost with the old image: none.
fn fill_flags_not_kept(db: &Connection, changes: &mut serde_json::Value) -> Result<(), Error> {
    let Some(ops) = changes.get_mut("ops").and_then(|o| o.as_array_mut()) else {
        return Ok(());
    };
    for op in ops {
        for side in ["before", "after"] {
            let Some(image) = op.get_mut(side).and_then(|i| i.as_object_mut()) else {
                continue;
            };
            if !image.contains_key("manages") || image.contains_key("active") {
                continue;
            }
            let key = |k: &str| image.get(k).and_then(|v| v.as_str()).unwrap_or_default();
            let conn = super::connections::get(
                db,
                &crate::domain::model::ConnKey::new(key("system"), key("external_id")),
            )?;
            let flag = conn.and_then(|c| c.active);
            image.insert("active".into(), serde_json::json!(flag));
        }
    }
    Ok(())
}
