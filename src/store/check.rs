//! `roster check`: SQLite's own integrity check plus roster's invariants.

use rusqlite::Connection;
use serde::Serialize;

use super::counts;
use super::search_sql::ACCOUNTS_JSON;
use crate::error::Error;

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// A stable name for the kind of problem.
    pub check: &'static str,
    pub detail: String,
    /// Whether `check --fix` can repair it (derived data only).
    pub fixable: bool,
}

fn rows(db: &Connection, sql: &str, limit: usize) -> Result<Vec<String>, Error> {
    let mut stmt = db.prepare(sql)?;
    let mut out = Vec::new();
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        if out.len() == limit {
            out.push("…".to_owned());
            break;
        }
        out.push(r.get::<_, String>(0)?);
    }
    Ok(out)
}

pub fn run(db: &Connection) -> Result<Vec<Finding>, Error> {
    let mut found = Vec::new();
    let mut add = |check: &'static str, details: Vec<String>, fixable: bool| {
        for detail in details {
            found.push(Finding {
                check,
                detail,
                fixable,
            });
        }
    };
    let integrity = rows(db, "PRAGMA integrity_check", 20)?;
    if integrity != ["ok"] {
        add("integrity", integrity, false);
    }
    add(
        "foreign-keys",
        rows(
            db,
            "SELECT 'row ' || rowid || ' of ' || \"table\" || ' points at a missing ' || parent
             FROM pragma_foreign_key_check",
            20,
        )?,
        false,
    );
    add(
        "orphan-connection",
        rows(
            db,
            "SELECT c.system || ':' || c.external_id || ' belongs to missing employee #' || c.employee_id
             FROM connections c LEFT JOIN employees e ON e.id = c.employee_id WHERE e.id IS NULL",
            20,
        )?,
        false,
    );
    add(
        "managed-by",
        rows(
            db,
            "SELECT 'employee #' || employee_id || ' is managed by ' || count(*) || ' connections'
             FROM connections WHERE manages = 1 GROUP BY employee_id HAVING count(*) > 1",
            20,
        )?,
        false,
    );
    add(
        "merged-into",
        rows(
            db,
            "SELECT 'employee #' || e.id || ' is merged into missing #' || e.merged_into
             FROM employees e LEFT JOIN employees k ON k.id = e.merged_into
             WHERE e.merged_into IS NOT NULL AND k.id IS NULL",
            20,
        )?,
        false,
    );
    add(
        "external-id",
        rows(
            db,
            "SELECT 'the ' || c.system || ' account ' || quote(c.external_id) || ' of employee #'
                    || c.employee_id || ' is not written in its canonical form '
                    || quote(roster_external_id(c.system, c.external_id))
                    || ', which another account holds: imports only ever meet that one; remove one of the two'
             FROM connections c WHERE c.external_id <> roster_external_id(c.system, c.external_id)",
            20,
        )?,
        false,
    );
    add(
        "email-norm",
        rows(
            db,
            "SELECT 'employee #' || id || ' has an email key that does not match its email'
             FROM employees WHERE email_norm IS NOT roster_email_norm(email)
             UNION ALL
             SELECT 'the ' || system || ' account ' || quote(external_id)
                    || ' has an email key that does not match its email'
             FROM connections WHERE email_norm IS NOT roster_email_norm(email)",
            20,
        )?,
        true,
    );
    add(
        "suppliers",
        rows(
            db,
            "SELECT 'employee #' || e.id || ' lists suppliers ''' || e.suppliers || ''' but holds '''
                    || coalesce(s.keys, '') || ''''
             FROM employees e LEFT JOIN (
                 SELECT employee_id, group_concat(system, ',' ORDER BY system) AS keys
                 FROM (SELECT DISTINCT employee_id, system FROM connections) GROUP BY employee_id
             ) s ON s.employee_id = e.id
             WHERE e.suppliers <> coalesce(s.keys, '')",
            20,
        )?,
        true,
    );
    add(
        "search",
        rows(
            db,
            &format!(
                "SELECT 'employee #' || e.id || ' has a search text that does not match its data'
                 FROM employees e WHERE e.search <> roster_search(e.name, e.email, {ACCOUNTS_JSON})"
            ),
            20,
        )?,
        true,
    );
    add(
        "sort-name",
        rows(
            db,
            "SELECT 'employee #' || id || ' has a sort key that does not match its name'
             FROM employees WHERE sort_name <> roster_sort_key(name)",
            20,
        )?,
        true,
    );
    let kept = counts::read(db)?;
    let truth = counts::recompute(db)?;
    if kept != truth {
        add(
            "counts",
            vec![format!(
                "the tab counts say {kept} but the rows say {truth}"
            )],
            true,
        );
    }
    let triggers: i64 = db.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'audit%append_only%'",
        [],
        |r| r.get(0),
    )?;
    if triggers < 4 {
        add(
            "audit-append-only",
            vec![format!(
                "only {triggers} of the 4 triggers that keep the audit log append-only exist"
            )],
            false,
        );
    }
    Ok(found)
}

/// Recomputes the derived data (suppliers column, search text, sort key, tab counts) from
/// the rows.
pub fn fix_derived(db: &Connection) -> Result<(), Error> {
    db.execute(
        "UPDATE employees SET suppliers = coalesce((
             SELECT group_concat(system, ',' ORDER BY system)
             FROM (SELECT DISTINCT system FROM connections WHERE employee_id = employees.id)), '')
         WHERE suppliers <> coalesce((
             SELECT group_concat(system, ',' ORDER BY system)
             FROM (SELECT DISTINCT system FROM connections WHERE employee_id = employees.id)), '')",
        [],
    )?;
    db.execute(
        &format!(
            "UPDATE employees AS e SET search = roster_search(e.name, e.email, {ACCOUNTS_JSON})
             WHERE e.search <> roster_search(e.name, e.email, {ACCOUNTS_JSON})"
        ),
        [],
    )?;
    for table in ["employees", "connections"] {
        db.execute(
            &format!(
                "UPDATE {table} SET email_norm = roster_email_norm(email)
                 WHERE email_norm IS NOT roster_email_norm(email)"
            ),
            [],
        )?;
    }
    db.execute(
        "UPDATE employees SET sort_name = roster_sort_key(name)
         WHERE sort_name <> roster_sort_key(name)",
        [],
    )?;
    let truth = counts::recompute(db)?;
    counts::store(db, &truth)
}
