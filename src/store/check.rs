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

/// What `fix_derived` rewrote: for each derived column, the employees (or accounts)
/// whose value did not match their data, and the tab counts when they were off.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Repaired {
    pub suppliers: Vec<i64>,
    pub search: Vec<i64>,
    pub sort_name: Vec<i64>,
    pub email_norm: Vec<i64>,
    /// Accounts (`system:external_id`) whose email key was rewritten.
    pub account_email_norm: Vec<String>,
    /// The tab counts as they were kept and as the rows say, when they differed.
    pub counts: Option<(String, String)>,
}

impl Repaired {
    pub fn is_empty(&self) -> bool {
        self.suppliers.is_empty()
            && self.search.is_empty()
            && self.sort_name.is_empty()
            && self.email_norm.is_empty()
            && self.account_email_norm.is_empty()
            && self.counts.is_none()
    }

    /// Every employee whose row was rewritten.
    pub fn employees(&self) -> std::collections::BTreeSet<i64> {
        [
            &self.suppliers,
            &self.search,
            &self.sort_name,
            &self.email_norm,
        ]
        .into_iter()
        .flatten()
        .copied()
        .collect()
    }

    /// "the suppliers column of 2 profiles, the tab counts (…)": what was recomputed.
    pub fn describe(&self) -> String {
        let profiles = |n: usize| format!("{n} profile{}", if n == 1 { "" } else { "s" });
        let mut parts = Vec::new();
        for (what, ids) in [
            ("the suppliers column", &self.suppliers),
            ("the search text", &self.search),
            ("the sort key", &self.sort_name),
            ("the email key", &self.email_norm),
        ] {
            if !ids.is_empty() {
                parts.push(format!("{what} of {}", profiles(ids.len())));
            }
        }
        if !self.account_email_norm.is_empty() {
            let n = self.account_email_norm.len();
            parts.push(format!(
                "the email key of {n} account{}",
                if n == 1 { "" } else { "s" }
            ));
        }
        if let Some((kept, truth)) = &self.counts {
            parts.push(format!("the tab counts (were {kept}, now {truth})"));
        }
        parts.join(", ")
    }
}

/// Runs an `UPDATE … RETURNING` and collects what it returns.
fn returning<T: rusqlite::types::FromSql>(db: &Connection, sql: &str) -> Result<Vec<T>, Error> {
    let mut stmt = db.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Recomputes the derived data (suppliers column, search text, sort key, email keys, tab
/// counts) from the rows; says what it changed (nothing when all was in step).
pub fn fix_derived(db: &Connection) -> Result<Repaired, Error> {
    let mut fixed = Repaired {
        suppliers: returning(
            db,
            "UPDATE employees SET suppliers = coalesce((
                 SELECT group_concat(system, ',' ORDER BY system)
                 FROM (SELECT DISTINCT system FROM connections WHERE employee_id = employees.id)), '')
             WHERE suppliers <> coalesce((
                 SELECT group_concat(system, ',' ORDER BY system)
                 FROM (SELECT DISTINCT system FROM connections WHERE employee_id = employees.id)), '')
             RETURNING id",
        )?,
        search: returning(
            db,
            &format!(
                "UPDATE employees AS e SET search = roster_search(e.name, e.email, {ACCOUNTS_JSON})
                 WHERE e.search <> roster_search(e.name, e.email, {ACCOUNTS_JSON})
                 RETURNING id"
            ),
        )?,
        email_norm: returning(
            db,
            "UPDATE employees SET email_norm = roster_email_norm(email)
             WHERE email_norm IS NOT roster_email_norm(email) RETURNING id",
        )?,
        account_email_norm: returning(
            db,
            "UPDATE connections SET email_norm = roster_email_norm(email)
             WHERE email_norm IS NOT roster_email_norm(email)
             RETURNING system || ':' || external_id",
        )?,
        sort_name: returning(
            db,
            "UPDATE employees SET sort_name = roster_sort_key(name)
             WHERE sort_name <> roster_sort_key(name) RETURNING id",
        )?,
        counts: None,
    };
    for ids in [
        &mut fixed.suppliers,
        &mut fixed.search,
        &mut fixed.email_norm,
        &mut fixed.sort_name,
    ] {
        ids.sort_unstable();
    }
    fixed.account_email_norm.sort();
    let kept = counts::read(db)?;
    let truth = counts::recompute(db)?;
    if kept != truth {
        counts::store(db, &truth)?;
        fixed.counts = Some((kept.to_string(), truth.to_string()));
    }
    Ok(fixed)
}
