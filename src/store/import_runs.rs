//! The import runs as history (`roster imports`, the pane's "came from"): the run records
//! and, for one run, its journal (README "Commands", docs/import.md "Undo of an import").
//! Reads only; the writer and the undo keep these tables.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::import_journal::{Link, links};
use crate::domain::import_run::ImportRun;
use crate::error::Error;

/// One import run as recorded, with the ids of the profiles it created, first and last
/// (consecutive), which the history reads to list them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    pub run: ImportRun,
    pub created_ids: Option<(i64, i64)>,
}

const COLUMNS: &str = "id, at, actor, system, file, preset, rows, matched, unchanged,
    profiles_updated, linked_by_email, created, conflicts, audit_id, undone_by,
    first_created, last_created";

fn run_row(r: &Row<'_>) -> rusqlite::Result<RunRow> {
    let first: Option<i64> = r.get(15)?;
    let last: Option<i64> = r.get(16)?;
    Ok(RunRow {
        run: ImportRun {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            system: r.get(3)?,
            file: r.get(4)?,
            preset: r.get(5)?,
            rows: r.get(6)?,
            matched: r.get(7)?,
            unchanged: r.get(8)?,
            profiles_updated: r.get(9)?,
            linked_by_email: r.get(10)?,
            created: r.get(11)?,
            conflicts: r.get(12)?,
            audit_id: r.get(13)?,
            undone_by: r.get(14)?,
        },
        created_ids: first.zip(last),
    })
}

/// The newest `limit` runs, newest first.
pub fn list(db: &Connection, limit: usize) -> Result<Vec<RunRow>, Error> {
    let mut stmt = db.prepare(&format!(
        "SELECT {COLUMNS} FROM import_runs ORDER BY id DESC LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit.min(i64::MAX as usize) as i64], run_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get(db: &Connection, id: i64) -> Result<Option<RunRow>, Error> {
    Ok(db
        .query_row(
            &format!("SELECT {COLUMNS} FROM import_runs WHERE id = ?1"),
            [id],
            run_row,
        )
        .optional()?)
}

/// The run that created profile `employee`, when an import did (and was not undone).
pub fn creator_of(db: &Connection, employee: i64) -> Result<Option<RunRow>, Error> {
    // Runs are few next to profiles; the newest that holds the id in its range made it.
    Ok(db
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM import_runs
                 WHERE first_created <= ?1 AND last_created >= ?1 AND undone_by IS NULL
                 ORDER BY id DESC LIMIT 1"
            ),
            [employee],
            run_row,
        )
        .optional()?)
}

/// One journal row of a run: a link by email, an update (with the fields before), a
/// review item raised, refreshed or settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalRow {
    pub kind: String,
    pub employee_id: Option<i64>,
    pub connection_id: Option<i64>,
    pub account_changed: bool,
    pub email: Option<String>,
    pub name: Option<String>,
    pub picture_url: Option<String>,
    pub profile_changed: bool,
    pub profile_name: Option<String>,
    pub profile_picture: Option<String>,
    pub profile_status: Option<String>,
    pub review_item: Option<i64>,
    pub review_change: Option<String>,
}

impl JournalRow {
    fn link(l: &Link) -> JournalRow {
        JournalRow {
            kind: "link".to_owned(),
            employee_id: Some(l.employee),
            connection_id: Some(l.connection),
            account_changed: false,
            email: None,
            name: None,
            picture_url: None,
            profile_changed: false,
            profile_name: None,
            profile_picture: None,
            profile_status: None,
            review_item: None,
            review_change: None,
        }
    }
}

/// The journal of run `run`: the links it made by email, then its updates and review
/// changes, each in the order the import wrote them (file order).
pub fn journal(db: &Connection, run: i64) -> Result<Vec<JournalRow>, Error> {
    let mut out: Vec<JournalRow> = links(db, run)?.iter().map(JournalRow::link).collect();
    let mut stmt = db.prepare(
        "SELECT kind, employee_id, connection_id, account_changed, email, name, picture_url,
                profile_changed, profile_name, profile_picture, profile_status,
                review_item, review_change
         FROM import_journal WHERE run = ?1 AND kind <> 'link' ORDER BY id",
    )?;
    let rows = stmt.query_map(params![run], |r| {
        Ok(JournalRow {
            kind: r.get(0)?,
            employee_id: r.get(1)?,
            connection_id: r.get(2)?,
            account_changed: r.get(3)?,
            email: r.get(4)?,
            name: r.get(5)?,
            picture_url: r.get(6)?,
            profile_changed: r.get(7)?,
            profile_name: r.get(8)?,
            profile_picture: r.get(9)?,
            profile_status: r.get(10)?,
            review_item: r.get(11)?,
            review_change: r.get(12)?,
        })
    })?;
    for row in rows {
        out.push(row?);
    }
    Ok(out)
}

/// An account: system, external ID, email, name.
pub type Account = (String, String, Option<String>, Option<String>);

/// A profile an import created: id, name, status, the external ID of its account.
pub type Created = (i64, String, Option<String>, Option<String>);

/// The account of connection `id`, when it still is.
pub fn account(db: &Connection, id: i64) -> Result<Option<Account>, Error> {
    Ok(db
        .query_row(
            "SELECT system, external_id, email, name FROM connections WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?)
}

/// The profiles with ids in `first..=last` and the account of `system` each holds that
/// an import created (its first such), in id order.
pub fn created_profiles(
    db: &Connection,
    first: i64,
    last: i64,
    system: &str,
) -> Result<Vec<Created>, Error> {
    let mut stmt = db.prepare(
        "SELECT e.id, e.name, e.status,
                (SELECT c.external_id FROM connections c
                  WHERE c.employee_id = e.id AND c.system = ?3 ORDER BY c.id LIMIT 1)
         FROM employees e WHERE e.id BETWEEN ?1 AND ?2 ORDER BY e.id",
    )?;
    let rows = stmt.query_map(params![first, last, system], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The kind of review item `id`.
pub fn review_kind(db: &Connection, id: i64) -> Result<Option<String>, Error> {
    Ok(db
        .query_row("SELECT kind FROM review_items WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The name of employee `id`.
pub fn employee_name(db: &Connection, id: i64) -> Result<Option<String>, Error> {
    Ok(db
        .query_row("SELECT name FROM employees WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The profiles one run created: first id, last id, the run, its system, its time.
pub type Span = (i64, i64, i64, String, String);

/// The id ranges of the profiles each run created (runs undone made none), by first id.
pub fn created_spans(db: &Connection) -> Result<Vec<Span>, Error> {
    let mut stmt = db.prepare(
        "SELECT first_created, last_created, id, system, at FROM import_runs
         WHERE first_created IS NOT NULL AND undone_by IS NULL ORDER BY first_created",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
