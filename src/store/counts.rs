//! The tab counts of the header, kept in a small table so that reading them is
//! instant at any size. Every write path adjusts them in its own transaction (a trigger
//! would do it too, but doubles the cost of a bulk import); `recompute` is the truth
//! that `roster check` compares them with.

use rusqlite::{Connection, params};
use std::collections::BTreeMap;

use crate::domain::listing::{Counts, Tab};
use crate::domain::model::Status;
use crate::error::Error;

/// Where one employee is counted: its status, and whether it is tracked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub status: Status,
    pub tracked: bool,
}

impl Place {
    pub fn new(status: Status, has_connections: bool) -> Place {
        Place {
            status,
            tracked: status == Status::Active && has_connections,
        }
    }
}

/// Where employee `id` is counted now (`None`: it does not exist).
pub fn place_of(db: &Connection, id: i64) -> Result<Option<Place>, Error> {
    let mut stmt =
        db.prepare_cached("SELECT status, suppliers <> '' FROM employees WHERE id = ?1")?;
    let mut rows = stmt.query([id])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    Ok(Some(Place::new(r.get(0)?, r.get(1)?)))
}

/// Where each of `ids` is counted now (absent ids are not counted anywhere).
pub fn places(
    db: &Connection,
    ids: impl IntoIterator<Item = i64>,
) -> Result<BTreeMap<i64, Place>, Error> {
    let mut out = BTreeMap::new();
    for id in ids {
        if let Some(p) = place_of(db, id)? {
            out.insert(id, p);
        }
    }
    Ok(out)
}

/// Signed changes to the four counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delta {
    pub active: i64,
    pub pending: i64,
    pub deactivated: i64,
    pub tracked: i64,
}

impl Delta {
    pub fn add(&mut self, place: Place, sign: i64) {
        match place.status {
            Status::Active => self.active += sign,
            Status::Pending => self.pending += sign,
            Status::Deactivated => self.deactivated += sign,
        }
        if place.tracked {
            self.tracked += sign;
        }
    }

    /// The change from `before` to `after` for the same employees.
    pub fn between(before: &BTreeMap<i64, Place>, after: &BTreeMap<i64, Place>) -> Delta {
        let mut d = Delta::default();
        for p in before.values() {
            d.add(*p, -1);
        }
        for p in after.values() {
            d.add(*p, 1);
        }
        d
    }

    pub fn is_zero(&self) -> bool {
        *self == Delta::default()
    }
}

pub fn adjust(db: &Connection, d: Delta) -> Result<(), Error> {
    if d.is_zero() {
        return Ok(());
    }
    let mut stmt = db.prepare_cached("UPDATE tab_counts SET n = n + ?2 WHERE tab = ?1")?;
    for (tab, n) in [
        ("active", d.active),
        ("pending", d.pending),
        ("deactivated", d.deactivated),
        ("tracked", d.tracked),
    ] {
        if n != 0 {
            stmt.execute(params![tab, n])?;
        }
    }
    Ok(())
}

pub fn read(db: &Connection) -> Result<Counts, Error> {
    let mut c = Counts::default();
    let mut stmt = db.prepare_cached("SELECT tab, n FROM tab_counts")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let n = r.get::<_, i64>(1)?.max(0) as u64;
        match r.get::<_, String>(0)?.as_str() {
            "active" => c.active = n,
            "pending" => c.pending = n,
            "deactivated" => c.deactivated = n,
            "tracked" => c.tracked = n,
            _ => {}
        }
    }
    Ok(c)
}

/// The counts from the rows themselves (a scan: for checks, not for the screen).
pub fn recompute(db: &Connection) -> Result<Counts, Error> {
    let n = |sql: &str| -> Result<u64, Error> {
        Ok(db.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
    };
    Ok(Counts {
        active: n("SELECT count(*) FROM employees WHERE status = 'active'")?,
        pending: n("SELECT count(*) FROM employees WHERE status = 'pending'")?,
        deactivated: n("SELECT count(*) FROM employees WHERE status = 'deactivated'")?,
        tracked: n(
            "SELECT count(*) FROM employees INDEXED BY employees_by_tab_name
             WHERE status = 'active' AND suppliers <> ''",
        )?,
    })
}

/// Overwrites the kept counts with `c` (after a repair or a bulk rebuild).
pub fn store(db: &Connection, c: &Counts) -> Result<(), Error> {
    for tab in Tab::SCREEN {
        db.execute(
            "INSERT INTO tab_counts (tab, n) VALUES (?1, ?2)
             ON CONFLICT (tab) DO UPDATE SET n = excluded.n",
            params![tab_key(tab), c.of(tab) as i64],
        )?;
    }
    Ok(())
}

fn tab_key(tab: Tab) -> &'static str {
    match tab {
        Tab::Active => "active",
        Tab::Pending => "pending",
        Tab::Deactivated => "deactivated",
        Tab::Tracked | Tab::All => "tracked",
    }
}
