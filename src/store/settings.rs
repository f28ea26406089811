//! Settings: a small key/value table.

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::model::Review;
use crate::error::Error;

pub fn get(db: &Connection, key: &str) -> Result<Option<String>, Error> {
    Ok(db
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub fn set(db: &Connection, key: &str, value: &str) -> Result<(), Error> {
    db.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// Where new imported profiles land; `auto` until an admin says otherwise.
pub fn review(db: &Connection) -> Result<Review, Error> {
    Ok(get(db, "review")?
        .as_deref()
        .and_then(Review::parse)
        .unwrap_or(Review::Auto))
}
