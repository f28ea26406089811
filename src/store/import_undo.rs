//! Takes an import back from its journal (docs/import.md "Undo of an import"), in the
//! caller's transaction, in bulk statements (a million-row import is undone in about the
//! time it took): refused as stale, naming what changed, unless every profile it
//! created, linked or changed still has the version it left and every review item it
//! touched is as it left it. Then the review items are put back, the fields restored,
//! the links and the created profiles removed, the derived columns and tab counts
//! brought in step, and the run's journal dropped.

use rusqlite::{Connection, OptionalExtension, params};

use super::bulk::{Deferred, worth_rebuilding};
use super::counts::{self, Delta, Place};
use super::import_journal::links;
use super::review::{self, Closed, Snapshot};
use super::search_sql::ACCOUNTS_JSON;
use crate::domain::model::Status;
use crate::domain::sanitize::sanitize;
use crate::error::Error;

/// What the undo did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Undone {
    pub removed_profiles: u64,
    pub removed_links: u64,
    /// Connections and profiles whose fields were put back.
    pub restored: u64,
    /// Review items closed, put back as they were, or opened again.
    pub review_items: u64,
    /// The profiles that remain and were changed back, sorted.
    pub employees: Vec<i64>,
}

/// The run's record as undo needs it.
struct RunRow {
    created: Option<(i64, i64)>,
    undone_by: Option<i64>,
}

fn run_row(db: &Connection, run: i64) -> Result<RunRow, Error> {
    db.query_row(
        "SELECT first_created, last_created, undone_by FROM import_runs WHERE id = ?1",
        [run],
        |r| {
            let first: Option<i64> = r.get(0)?;
            let last: Option<i64> = r.get(1)?;
            Ok(RunRow {
                created: first.zip(last),
                undone_by: r.get(2)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::Damaged(format!("Import run {run} is not in the store.")))
}

/// "Jane Doe (#4)", "Jane Doe (#4) and 2 more": the first of what changed.
fn named(found: &[(i64, String)], more: usize) -> String {
    let first = found
        .iter()
        .map(|(id, name)| format!("{} (#{id})", sanitize(name)))
        .collect::<Vec<_>>()
        .join(", ");
    if more > 0 {
        format!("{first} and {more} more")
    } else {
        first
    }
}

/// How many rows a stale message names.
const NAMED: usize = 3;

/// The phrase saying what changed since the import, if anything did.
fn what_changed(
    db: &Connection,
    run: i64,
    created: Option<(i64, i64)>,
) -> Result<Option<String>, Error> {
    // Profiles it linked or changed.
    let changed: Vec<(i64, String)> = db
        .prepare(
            "SELECT DISTINCT j.employee_id, coalesce(e.name, '')
             FROM (SELECT employee_id, version_before FROM import_journal
                   WHERE run = ?1 AND kind = 'update'
                   UNION ALL
                   SELECT employee_id, version_before FROM temp.undo_links) j
             LEFT JOIN employees e ON e.id = j.employee_id
             WHERE e.id IS NULL OR e.version <> j.version_before + 1
             ORDER BY j.employee_id LIMIT 100",
        )?
        .query_map([run], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    if !changed.is_empty() {
        let more = changed.len().saturating_sub(NAMED);
        let verb = if changed.len() == 1 { "was" } else { "were" };
        return Ok(Some(format!(
            "{} {verb} changed",
            named(&changed[..changed.len().min(NAMED)], more)
        )));
    }
    // Accounts it linked that were moved or removed.
    let moved: Option<i64> = db
        .query_row(
            "SELECT j.connection_id FROM temp.undo_links j
             LEFT JOIN connections c ON c.id = j.connection_id
             WHERE c.id IS NULL OR c.employee_id <> j.employee_id
             LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if moved.is_some() {
        return Ok(Some("an account it linked was moved or removed".to_owned()));
    }
    // Profiles it created: still there, as it left them, and nothing else refers to them.
    if let Some((first, last)) = created {
        let expected = last - first + 1;
        let present: i64 = db.query_row(
            "SELECT count(*) FROM employees WHERE id BETWEEN ?1 AND ?2",
            [first, last],
            |r| r.get(0),
        )?;
        let changed: Vec<(i64, String)> = db
            .prepare(
                "SELECT id, name FROM employees WHERE id BETWEEN ?1 AND ?2 AND version <> 1
                 ORDER BY id LIMIT 100",
            )?
            .query_map([first, last], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        if !changed.is_empty() {
            return Ok(Some(created_changed(db, &changed)?));
        }
        if present != expected {
            return Ok(Some(format!(
                "{} of the profiles it created no longer exist",
                expected - present
            )));
        }
    }
    // Review items it raised, refreshed or settled.
    let item: Option<i64> = db
        .query_row(
            "SELECT i.id FROM import_journal j JOIN review_items i ON i.id = j.review_item
             WHERE j.run = ?1 AND j.kind = 'review' AND NOT (
                 (j.review_change IN ('raised', 'refreshed')
                    AND i.closed_at IS NULL AND i.seen_run IS ?1)
              OR (j.review_change = 'settled' AND i.closed_why = 'settled'))
             LIMIT 1",
            [run],
            |r| r.get(0),
        )
        .optional()?;
    Ok(item.map(|id| format!("review item #{id} was changed")))
}

/// The phrase for created profiles that changed: what now refers to them, when
/// something does (a connection it did not make, a block, a profile merged into it).
fn created_changed(db: &Connection, changed: &[(i64, String)]) -> Result<String, Error> {
    let mut reasons = Vec::new();
    for (id, name) in changed.iter().take(NAMED) {
        let other_accounts: i64 = db.query_row(
            "SELECT count(*) - 1 FROM connections WHERE employee_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let blocks: i64 = db.query_row(
            "SELECT count(*) FROM blocks WHERE employee_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let merged: i64 = db.query_row(
            "SELECT count(*) FROM employees WHERE merged_into = ?1",
            [id],
            |r| r.get(0),
        )?;
        let mut refers = Vec::new();
        if other_accounts > 0 {
            refers.push("holds a connection the import did not make");
        }
        if blocks > 0 {
            refers.push("is named in a block");
        }
        if merged > 0 {
            refers.push("has a profile merged into it");
        }
        let who = format!("{} (#{id})", sanitize(name));
        reasons.push(if refers.is_empty() {
            format!("{who}, which it created, was changed")
        } else {
            format!("{who}, which it created, {}", refers.join(" and "))
        });
    }
    let more = changed.len().saturating_sub(NAMED);
    let mut text = reasons.join("; ");
    if more > 0 {
        text.push_str(&format!(" (and {more} more)"));
    }
    Ok(text)
}

/// How many employees `sql` counts in each place: rows of (status, has suppliers, n).
fn places(
    db: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<(Place, i64)>, Error> {
    let mut out = Vec::new();
    let mut stmt = db.prepare(sql)?;
    let mut rows = stmt.query(args)?;
    while let Some(r) = rows.next()? {
        out.push((
            Place::new(r.get::<_, Status>(0)?, r.get(1)?),
            r.get::<_, i64>(2)?,
        ));
    }
    Ok(out)
}

fn add_places(delta: &mut Delta, places: &[(Place, i64)], sign: i64) {
    for (place, n) in places {
        delta.add(*place, sign * n);
    }
}

const TOUCHED_PLACES: &str = "SELECT status, suppliers <> '', count(*) FROM employees
     WHERE id IN (SELECT id FROM temp.undo_touched) GROUP BY 1, 2";

/// Takes import run `run` back. `rebuild_min`: the fewest deleted rows for which a
/// table's indexes are built afresh. Errors with `Error::Stale` (the phrase saying what
/// changed) when it cannot.
pub fn undo(db: &Connection, run: i64, at: &str, rebuild_min: u64) -> Result<Undone, Error> {
    let row = run_row(db, run)?;
    if row.undone_by.is_some() {
        return Err(Error::Refused(format!(
            "Import run {run} was undone already."
        )));
    }
    // The links it made, from its packs (and the rows of an older journal), in a table
    // the statements below join.
    db.execute_batch(
        "DROP TABLE IF EXISTS temp.undo_links;
         CREATE TEMP TABLE undo_links (
             connection_id INTEGER PRIMARY KEY, employee_id INTEGER, version_before INTEGER);",
    )?;
    {
        let mut insert = db.prepare(
            "INSERT OR IGNORE INTO temp.undo_links (connection_id, employee_id, version_before)
             VALUES (?1, ?2, ?3)",
        )?;
        for l in links(db, run)? {
            insert.execute(params![l.connection, l.employee, l.version_before])?;
        }
    }
    if let Some(what) = what_changed(db, run, row.created)? {
        db.execute_batch("DROP TABLE temp.undo_links")?;
        return Err(Error::Stale(what));
    }
    let mut done = Undone::default();

    // The review items, last change first.
    let changes: Vec<(i64, String, Option<String>)> = db
        .prepare(
            "SELECT review_item, review_change, review_before FROM import_journal
             WHERE run = ?1 AND kind = 'review' ORDER BY id DESC",
        )?
        .query_map([run], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (item, change, before) in changes {
        match change.as_str() {
            "raised" => review::close(
                db,
                item,
                at,
                "roster undo",
                Closed::Undone,
                &format!("Import run {run}, which raised it, was undone."),
            )?,
            "refreshed" => {
                let before: Snapshot = serde_json::from_str(before.as_deref().unwrap_or("null"))
                    .map_err(|e| {
                        Error::Damaged(format!(
                            "The journal of import run {run} cannot be read back: {e}."
                        ))
                    })?;
                review::restore(db, item, &before)?;
            }
            _ => review::reopen(db, item)?,
        }
        done.review_items += 1;
    }

    // The profiles that stay: their places before, for the tab counts.
    db.execute_batch(
        "DROP TABLE IF EXISTS temp.undo_touched;
         CREATE TEMP TABLE undo_touched (id INTEGER PRIMARY KEY);
         DROP TABLE IF EXISTS temp.undo_research;
         CREATE TEMP TABLE undo_research (id INTEGER PRIMARY KEY);",
    )?;
    db.execute(
        "INSERT OR IGNORE INTO temp.undo_touched
         SELECT employee_id FROM import_journal WHERE run = ?1 AND kind = 'update'
         UNION ALL SELECT employee_id FROM temp.undo_links",
        [run],
    )?;
    // Their search text follows a removed account, a name or an email put back.
    db.execute(
        "INSERT OR IGNORE INTO temp.undo_research
         SELECT j.employee_id FROM import_journal j
         LEFT JOIN connections c ON c.id = j.connection_id
         LEFT JOIN employees e ON e.id = j.employee_id
         WHERE j.run = ?1 AND j.kind = 'update'
           AND ((j.account_changed AND c.email IS NOT j.email)
             OR (j.profile_changed AND e.name IS NOT j.profile_name))
         UNION ALL SELECT employee_id FROM temp.undo_links",
        [run],
    )?;
    let mut delta = Delta::default();
    add_places(&mut delta, &places(db, TOUCHED_PLACES, [])?, -1);

    // Fields put back.
    done.restored = db.execute(
        "UPDATE connections AS c
         SET email = j.email, email_norm = roster_email_norm(j.email), name = j.name,
             picture_url = j.picture_url, active = j.active
         FROM import_journal j
         WHERE j.run = ?1 AND j.kind = 'update' AND j.account_changed AND c.id = j.connection_id",
        [run],
    )? as u64;
    done.restored += db.execute(
        "UPDATE employees AS e
         SET name = j.profile_name, picture_url = j.profile_picture, status = j.profile_status,
             sort_name = roster_sort_key(j.profile_name)
         FROM import_journal j
         WHERE j.run = ?1 AND j.kind = 'update' AND j.profile_changed AND e.id = j.employee_id",
        [run],
    )? as u64;

    // Links and created profiles removed; for many rows, the indexes built afresh.
    let links: i64 = db.query_row("SELECT count(*) FROM temp.undo_links", [], |r| r.get(0))?;
    let created = row.created.map_or(0, |(first, last)| last - first + 1);
    let size = |table: &str| -> Result<i64, Error> {
        Ok(db.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    };
    let mut deferred = Deferred::default();
    if worth_rebuilding(
        (links + created) as u64,
        size("connections")? as u64,
        rebuild_min,
    ) {
        deferred.defer(db, "connections")?;
    }
    if worth_rebuilding(
        (created + links) as u64,
        size("employees")? as u64,
        rebuild_min,
    ) {
        deferred.defer(db, "employees")?;
    }
    done.removed_links = db.execute(
        "DELETE FROM connections WHERE id IN (SELECT connection_id FROM temp.undo_links)",
        [],
    )? as u64;
    if let Some((first, last)) = row.created {
        add_places(
            &mut delta,
            &places(
                db,
                "SELECT status, suppliers <> '', count(*) FROM employees
                 WHERE id BETWEEN ?1 AND ?2 GROUP BY 1, 2",
                [first, last],
            )?,
            -1,
        );
        db.execute(
            "DELETE FROM connections WHERE employee_id BETWEEN ?1 AND ?2",
            [first, last],
        )?;
        done.removed_profiles = db.execute(
            "DELETE FROM employees WHERE id BETWEEN ?1 AND ?2",
            [first, last],
        )? as u64;
    }

    // Derived columns of the profiles that stay.
    db.execute(
        "UPDATE employees AS e SET suppliers = coalesce((
             SELECT group_concat(system, ',' ORDER BY system)
             FROM (SELECT DISTINCT system FROM connections WHERE employee_id = e.id)), '')
         WHERE e.id IN (SELECT employee_id FROM temp.undo_links)",
        [],
    )?;
    db.execute(
        &format!(
            "UPDATE employees AS e SET search = roster_search(e.name, e.email, {ACCOUNTS_JSON})
             WHERE e.id IN (SELECT id FROM temp.undo_research)"
        ),
        [],
    )?;
    db.execute(
        "UPDATE employees SET version = version + 1, updated_at = ?1
         WHERE id IN (SELECT id FROM temp.undo_touched)",
        [at],
    )?;
    add_places(&mut delta, &places(db, TOUCHED_PLACES, [])?, 1);
    counts::adjust(db, delta)?;
    deferred.rebuild(db)?;

    done.employees = db
        .prepare("SELECT id FROM temp.undo_touched ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    db.execute_batch(
        "DROP TABLE temp.undo_touched; DROP TABLE temp.undo_research;
         DROP TABLE temp.undo_links;",
    )?;
    db.execute("DELETE FROM import_journal WHERE run = ?1", [run])?;
    db.execute("DELETE FROM import_links WHERE run = ?1", [run])?;
    Ok(done)
}

/// Marks the run as undone by audit entry `audit_id`.
pub fn mark_undone(db: &Connection, run: i64, audit_id: i64) -> Result<(), Error> {
    db.execute(
        "UPDATE import_runs SET undone_by = ?2 WHERE id = ?1",
        params![run, audit_id],
    )?;
    Ok(())
}
