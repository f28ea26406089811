//! The system keys a store holds: those of its connections and of its import runs (an
//! import whose rows all went to review still made the system one of the store's).

use rusqlite::Connection;

use crate::error::Error;

/// Whether the store holds `key`: one index look-up each.
pub fn holds(db: &Connection, key: &str) -> Result<bool, Error> {
    Ok(db.query_row(
        "SELECT EXISTS (SELECT 1 FROM connections WHERE system = ?1)
             OR EXISTS (SELECT 1 FROM import_runs WHERE system = ?1)",
        [key],
        |r| r.get(0),
    )?)
}

/// Every system key the store holds, sorted. The connections' keys are read by
/// stepping from one key to the next in their unique index (a million connections of
/// three systems cost three look-ups, not a scan).
pub fn held(db: &Connection) -> Result<Vec<String>, Error> {
    let mut stmt = db.prepare(
        "WITH RECURSIVE keys(k) AS (
             SELECT MIN(system) FROM connections
             UNION ALL
             SELECT (SELECT MIN(system) FROM connections WHERE system > k) FROM keys
             WHERE k IS NOT NULL)
         SELECT k FROM keys WHERE k IS NOT NULL
         UNION
         SELECT DISTINCT system FROM import_runs
         ORDER BY 1",
    )?;
    let keys = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(keys)
}
