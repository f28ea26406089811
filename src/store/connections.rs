//! Connection rows and blocks.

use rusqlite::{Connection as Db, OptionalExtension, Row, params};

use crate::domain::model::{Block, ConnKey, Connection};
use crate::domain::validate::normalize_email;
use crate::error::Error;

pub const COLUMNS: &str = "system, external_id, employee_id, email, name, picture_url, manages, \
                           origin, created_by, created_at, matched_value, active";

pub fn from_row(r: &Row<'_>) -> rusqlite::Result<Connection> {
    Ok(Connection {
        system: r.get(0)?,
        external_id: r.get(1)?,
        employee_id: r.get(2)?,
        email: r.get(3)?,
        name: r.get(4)?,
        picture_url: r.get(5)?,
        manages: r.get(6)?,
        origin: r.get(7)?,
        created_by: r.get(8)?,
        created_at: r.get(9)?,
        matched_value: r.get(10)?,
        active: r.get(11)?,
    })
}

pub fn get(db: &Db, key: &ConnKey) -> Result<Option<Connection>, Error> {
    Ok(db
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM connections WHERE system = ?1 AND external_id = ?2"
        ))?
        .query_row(params![key.system, key.external_id], from_row)
        .optional()?)
}

pub fn of_employee(db: &Db, employee_id: i64) -> Result<Vec<Connection>, Error> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM connections WHERE employee_id = ?1 ORDER BY system, external_id"
    ))?;
    let rows = stmt.query_map([employee_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn insert(db: &Db, c: &Connection) -> Result<(), Error> {
    db.prepare_cached(
        "INSERT INTO connections (system, external_id, employee_id, email, email_norm, name,
                                  picture_url, manages, origin, created_by, created_at, matched_value,
                                  active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        c.system,
        c.external_id,
        c.employee_id,
        c.email,
        c.email.as_deref().map(normalize_email),
        c.name,
        c.picture_url,
        c.manages,
        c.origin.as_str(),
        c.created_by,
        c.created_at,
        c.matched_value,
        c.active
    ])?;
    Ok(())
}

pub fn update(db: &Db, c: &Connection) -> Result<(), Error> {
    db.prepare_cached(
        "UPDATE connections SET employee_id = ?3, email = ?4, email_norm = ?5, name = ?6,
                picture_url = ?7, manages = ?8, origin = ?9, created_by = ?10, created_at = ?11,
                matched_value = ?12, active = ?13
         WHERE system = ?1 AND external_id = ?2",
    )?
    .execute(params![
        c.system,
        c.external_id,
        c.employee_id,
        c.email,
        c.email.as_deref().map(normalize_email),
        c.name,
        c.picture_url,
        c.manages,
        c.origin.as_str(),
        c.created_by,
        c.created_at,
        c.matched_value,
        c.active
    ])?;
    Ok(())
}

pub fn delete(db: &Db, key: &ConnKey) -> Result<(), Error> {
    db.prepare_cached("DELETE FROM connections WHERE system = ?1 AND external_id = ?2")?
        .execute(params![key.system, key.external_id])?;
    Ok(())
}

pub fn block_exists(db: &Db, b: &Block) -> Result<bool, Error> {
    Ok(db
        .prepare_cached(
            "SELECT 1 FROM blocks WHERE system = ?1 AND external_id = ?2 AND employee_id = ?3",
        )?
        .exists(params![b.system, b.external_id, b.employee_id])?)
}

/// The blocks on `employee` of any of `accounts`.
pub fn blocks_on(db: &Db, employee: i64, accounts: &[Connection]) -> Result<Vec<Block>, Error> {
    let mut found = Vec::new();
    for c in accounts {
        let b = Block {
            system: c.system.clone(),
            external_id: c.external_id.clone(),
            employee_id: employee,
        };
        if block_exists(db, &b)? {
            found.push(b);
        }
    }
    Ok(found)
}

/// The employees an account is blocked from.
pub fn blocked_employees(db: &Db, key: &ConnKey) -> Result<Vec<i64>, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT employee_id FROM blocks WHERE system = ?1 AND external_id = ?2 ORDER BY employee_id",
    )?;
    let rows = stmt.query_map(params![key.system, key.external_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn insert_block(db: &Db, b: &Block) -> Result<(), Error> {
    db.prepare_cached(
        "INSERT OR IGNORE INTO blocks (system, external_id, employee_id) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![b.system, b.external_id, b.employee_id])?;
    Ok(())
}

pub fn delete_block(db: &Db, b: &Block) -> Result<(), Error> {
    db.prepare_cached(
        "DELETE FROM blocks WHERE system = ?1 AND external_id = ?2 AND employee_id = ?3",
    )?
    .execute(params![b.system, b.external_id, b.employee_id])?;
    Ok(())
}

/// Whether any account of `system` is connected.
pub fn has_system(db: &Db, system: &str) -> Result<bool, Error> {
    Ok(db
        .prepare_cached("SELECT 1 FROM connections WHERE system = ?1 LIMIT 1")?
        .exists([system])?)
}

/// The systems the connections name, sorted (a walk of the (system, external_id)
/// index: only asked for when a filter names none of them).
pub fn systems(db: &Db) -> Result<Vec<String>, Error> {
    let mut stmt = db.prepare_cached("SELECT DISTINCT system FROM connections ORDER BY 1")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The blocks on one employee, by system and external ID.
pub fn blocks_of(db: &Db, employee: i64) -> Result<Vec<Block>, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT system, external_id, employee_id FROM blocks WHERE employee_id = ?1 ORDER BY system, external_id",
    )?;
    let rows = stmt.query_map([employee], |r| {
        Ok(Block {
            system: r.get(0)?,
            external_id: r.get(1)?,
            employee_id: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
