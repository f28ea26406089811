//! Employee rows.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::model::{Employee, Profile};
use crate::domain::search::{AccountText, search_text};
use crate::domain::sort_key::sort_key;
use crate::domain::suppliers;
use crate::domain::validate::normalize_email;
use crate::error::Error;

pub const COLUMNS: &str = "id, name, email, picture_url, login_access, status, merged_into, version, created_at, updated_at";

pub fn from_row(r: &Row<'_>) -> rusqlite::Result<Employee> {
    Ok(Employee {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        picture_url: r.get(3)?,
        login_access: r.get(4)?,
        status: r.get(5)?,
        merged_into: r.get(6)?,
        version: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Employee>, Error> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM employees WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

pub fn require(conn: &Connection, id: i64) -> Result<Employee, Error> {
    get(conn, id)?.ok_or_else(|| Error::NotFound(format!("There is no employee #{id}.")))
}

pub fn profile(conn: &Connection, id: i64) -> Result<Profile, Error> {
    let employee = require(conn, id)?;
    let connections = super::connections::of_employee(conn, id)?;
    Ok(Profile {
        employee,
        connections,
    })
}

/// Employees whose primary email is `email` (compared as `normalize_email` says: trimmed,
/// ASCII case folded).
pub fn by_primary_email(conn: &Connection, email: &str) -> Result<Vec<Employee>, Error> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM employees WHERE email_norm = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([normalize_email(email)], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The id the next new employee gets. Ids are never reused, also not after an undo
/// removed the newest profile (AUTOINCREMENT keeps the high-water mark).
pub fn next_id(conn: &Connection) -> Result<i64, Error> {
    Ok(conn.query_row(
        "SELECT max(
            coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'employees'), 0),
            coalesce((SELECT max(id) FROM employees), 0)) + 1",
        [],
        |r| r.get(0),
    )?)
}

pub fn insert(conn: &Connection, e: &Employee) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT INTO employees (id, name, email, email_norm, picture_url, login_access, status,
                                merged_into, version, created_at, updated_at, sort_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        e.id,
        e.name,
        e.email,
        e.email.as_deref().map(normalize_email),
        e.picture_url,
        e.login_access,
        e.status.as_str(),
        e.merged_into,
        e.version,
        e.created_at,
        e.updated_at,
        sort_key(&e.name)
    ])?;
    Ok(())
}

/// Writes the content fields of `e`; version and timestamps are the store's business
/// (see `apply::touch`).
pub fn update(conn: &Connection, e: &Employee) -> Result<(), Error> {
    conn.prepare_cached(
        "UPDATE employees SET name = ?2, email = ?3, email_norm = ?4, picture_url = ?5,
                login_access = ?6, status = ?7, merged_into = ?8, sort_name = ?9
         WHERE id = ?1",
    )?
    .execute(params![
        e.id,
        e.name,
        e.email,
        e.email.as_deref().map(normalize_email),
        e.picture_url,
        e.login_access,
        e.status.as_str(),
        e.merged_into,
        sort_key(&e.name)
    ])?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<(), Error> {
    conn.prepare_cached("DELETE FROM employees WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// After a change to the employee or its connections: recompute the derived columns
/// (suppliers, search text) and move the version on, so that a view read before is
/// known to be stale.
pub fn touch(conn: &Connection, id: i64, now: &str) -> Result<(), Error> {
    let Some(e) = get(conn, id)? else {
        return Ok(());
    };
    let accounts = super::connections::of_employee(conn, id)?;
    let suppliers = suppliers::encode(&suppliers::keys(accounts.iter().map(|c| c.system.as_str())));
    let search = search_text(
        &e.name,
        e.email.as_deref(),
        accounts.iter().map(|c| AccountText {
            system: &c.system,
            external_id: &c.external_id,
            email: c.email.as_deref(),
        }),
    );
    conn.prepare_cached(
        "UPDATE employees SET version = version + 1, updated_at = ?2, suppliers = ?3, search = ?4
         WHERE id = ?1",
    )?
    .execute(params![id, now, suppliers, search])?;
    Ok(())
}

/// The employees an import would link an account with this email to (README "Importing
/// › The rules", step 2):
/// primary email or any connection's email equal to it, leaving out profiles merged
/// into another and the account `except` itself (when predicting a removal).
pub fn email_candidates(
    conn: &Connection,
    email: &str,
    except: Option<&crate::domain::model::ConnKey>,
) -> Result<Vec<i64>, Error> {
    let (sys, ext) = except
        .map(|k| (k.system.as_str(), k.external_id.as_str()))
        .unwrap_or(("", ""));
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM employees WHERE email_norm = ?1 AND merged_into IS NULL
         UNION
         SELECT c.employee_id FROM connections c JOIN employees e ON e.id = c.employee_id
         WHERE c.email_norm = ?1 AND e.merged_into IS NULL
           AND NOT (c.system = ?2 AND c.external_id = ?3)
         ORDER BY 1",
    )?;
    let rows = stmt.query_map(params![normalize_email(email), sys, ext], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Names of employees, for the human report of conflicts.
pub fn names(
    db: &Connection,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, Error> {
    let mut out = std::collections::HashMap::new();
    let mut stmt = db.prepare_cached("SELECT name FROM employees WHERE id = ?1")?;
    for id in ids {
        if out.contains_key(id) {
            continue;
        }
        if let Some(n) = stmt.query_row([id], |r| r.get(0)).optional()? {
            out.insert(*id, n);
        }
    }
    Ok(out)
}
