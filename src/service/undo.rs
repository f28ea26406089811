//! `roster undo` of an import (docs/import.md "Undo of an import"): the import's journal
//! taken back in the undo's transaction, audited like every undo.

use rusqlite::Connection;

use super::{Done, import};
use crate::domain::audit::{Actor, Entry};
use crate::error::Error;
use crate::store::audit::{self, NewEntry};
use crate::store::{import_undo, import_writer};

/// Takes back import run `run`, recorded by audit entry `entry`.
pub fn import_run(
    db: &Connection,
    entry: &Entry,
    run: i64,
    actor: &Actor,
    at: &str,
) -> Result<Done, Error> {
    let undone = import_undo::undo(db, run, at, import::rebuild_min()).map_err(|e| match e {
        Error::Stale(what) => Error::Stale(format!(
            "Cannot undo \u{201c}{}\u{201d} (by {} at {}): {what} since. Nothing was changed.",
            entry.summary, entry.actor, entry.at
        )),
        e => e,
    })?;
    let summary = format!("Undid: {}", entry.summary);
    let changes = serde_json::json!({
        "import_run": run,
        "removed_profiles": undone.removed_profiles,
        "removed_links": undone.removed_links,
        "restored": undone.restored,
        "review_items": undone.review_items,
    });
    let audit_id = audit::append_raw(
        db,
        &NewEntry {
            at,
            actor,
            action: "undo",
            summary: &summary,
            changes: &Default::default(),
            undoable: false,
            reverts: Some(entry.id),
        },
        &changes.to_string(),
        std::iter::empty(),
    )?;
    import_writer::link_audit(db, audit_id, &undone.employees)?;
    import_undo::mark_undone(db, run, audit_id)?;
    Ok(Done { audit_id, summary })
}
