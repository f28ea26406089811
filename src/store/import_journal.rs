//! The import journal (docs/import.md "Undo of an import"): as an import writes, what
//! it needs to be taken back: the links it made, the fields it changed (as they were),
//! the review items it touched. The profiles it creates are a range of ids, kept on the
//! run. One cached INSERT per changed row; the links, a million in a second system's
//! first import, go in packs of `PACK` (schema migration 13); nothing for unchanged rows.

use rusqlite::{Connection, params};

use super::import_review::ItemChange;
use crate::domain::planner::{AccountFields, ProfileFields};
use crate::error::Error;

pub struct Journal<'c> {
    run: i64,
    insert: rusqlite::Statement<'c>,
    insert_links: rusqlite::Statement<'c>,
    /// Links not written yet, packed (`Link::pack`).
    links: Vec<u8>,
    /// Rows written (links, updates, review changes).
    pub rows: u64,
    /// Of those, review items met again as they were (only when they were seen moved).
    pub seen: u64,
    /// The ids of the profiles created, first and last.
    pub created: Option<(i64, i64)>,
}

impl<'c> Journal<'c> {
    pub fn new(db: &'c Connection, run: i64) -> Result<Journal<'c>, Error> {
        Ok(Journal {
            run,
            insert: db.prepare(
                "INSERT INTO import_journal (run, kind, employee_id, version_before, connection_id,
                     account_changed, email, name, picture_url, active,
                     profile_changed, profile_name, profile_picture, profile_status,
                     review_item, review_change, review_before)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            )?,
            insert_links: db.prepare("INSERT INTO import_links (run, links) VALUES (?1, ?2)")?,
            links: Vec::with_capacity(PACK * Link::SIZE),
            rows: 0,
            seen: 0,
            created: None,
        })
    }

    /// Connection `conn_id` was linked by email to `employee`, which had `version`.
    pub fn link(&mut self, employee: i64, version: i64, conn_id: i64) -> Result<(), Error> {
        self.rows += 1;
        Link {
            connection: conn_id,
            employee,
            version_before: version,
        }
        .pack(&mut self.links);
        if self.links.len() >= PACK * Link::SIZE {
            self.write_links()?;
        }
        Ok(())
    }

    fn write_links(&mut self) -> Result<(), Error> {
        if !self.links.is_empty() {
            self.insert_links.execute(params![self.run, self.links])?;
            self.links.clear();
        }
        Ok(())
    }

    /// Writes what is still held; a journal dropped without it loses its last links.
    pub fn finish(mut self) -> Result<(), Error> {
        self.write_links()
    }

    /// A matched row changed connection `conn_id` (when `account` holds its fields as
    /// they were) and/or its employee (when `profile` does), which had `version`.
    pub fn update(
        &mut self,
        employee: i64,
        version: i64,
        conn_id: i64,
        account: Option<&AccountFields>,
        profile: Option<&ProfileFields>,
    ) -> Result<(), Error> {
        self.rows += 1;
        self.insert.execute(params![
            self.run,
            "update",
            employee,
            version,
            conn_id,
            account.is_some(),
            account.and_then(|a| a.email.as_deref()),
            account.and_then(|a| a.name.as_deref()),
            account.and_then(|a| a.picture_url.as_deref()),
            account.and_then(|a| a.active),
            profile.is_some(),
            profile.map(|p| p.name.as_str()),
            profile.and_then(|p| p.picture_url.as_deref()),
            profile.map(|p| p.status.as_str()),
            None::<i64>,
            None::<String>,
            None::<String>
        ])?;
        Ok(())
    }

    pub fn created(&mut self, id: i64) {
        self.created = Some(match self.created {
            None => (id, id),
            Some((first, _)) => (first, id),
        });
    }

    pub fn review(&mut self, change: ItemChange) -> Result<(), Error> {
        self.rows += 1;
        let (item, what, before) = match change {
            ItemChange::Raised(id) => (id, "raised", None),
            ItemChange::Refreshed(id, before) => {
                (id, "refreshed", Some(serde_json::to_string(&before)?))
            }
            ItemChange::Seen(id, before) => {
                self.seen += 1;
                (id, "refreshed", Some(serde_json::to_string(&before)?))
            }
            ItemChange::Settled(id) => (id, "settled", None),
        };
        self.insert.execute(params![
            self.run,
            "review",
            None::<i64>,
            None::<i64>,
            None::<i64>,
            false,
            None::<String>,
            None::<String>,
            None::<String>,
            None::<bool>,
            false,
            None::<String>,
            None::<String>,
            None::<String>,
            item,
            what,
            before
        ])?;
        Ok(())
    }

    pub fn run(&self) -> i64 {
        self.run
    }

    /// Whether the import changed anything that undo would take back. A review item met
    /// again as it was is not such a change: an unchanged file that meets its conflicts
    /// again must not become the import `roster undo` takes back.
    pub fn is_empty(&self) -> bool {
        self.rows == self.seen && self.created.is_none()
    }
}

/// Links per row of `import_links`: 96 KiB.
const PACK: usize = 4096;

/// A link an import made by email: what its undo needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub connection: i64,
    pub employee: i64,
    /// The profile's version before the link (the import left it one higher).
    pub version_before: i64,
}

impl Link {
    const SIZE: usize = 24;

    fn pack(&self, out: &mut Vec<u8>) {
        for n in [self.connection, self.employee, self.version_before] {
            out.extend_from_slice(&n.to_le_bytes());
        }
    }

    /// The links of a pack; `None` when it is not a whole number of links.
    pub fn unpack(pack: &[u8]) -> Option<Vec<Link>> {
        if !pack.len().is_multiple_of(Link::SIZE) {
            return None;
        }
        let n = |b: &[u8]| i64::from_le_bytes(b.try_into().expect("8 bytes"));
        Some(
            pack.chunks_exact(Link::SIZE)
                .map(|c| Link {
                    connection: n(&c[0..8]),
                    employee: n(&c[8..16]),
                    version_before: n(&c[16..24]),
                })
                .collect(),
        )
    }
}

/// The links run `run` made by email, in the order it made them: its packs, and the
/// 'link' rows of a journal written before the packs (schema migration 13).
pub fn links(db: &Connection, run: i64) -> Result<Vec<Link>, Error> {
    let mut out: Vec<Link> = db
        .prepare_cached(
            "SELECT connection_id, employee_id, version_before FROM import_journal
             WHERE run = ?1 AND kind = 'link' ORDER BY id",
        )?
        .query_map([run], |r| {
            Ok(Link {
                connection: r.get(0)?,
                employee: r.get(1)?,
                version_before: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt =
        db.prepare_cached("SELECT links FROM import_links WHERE run = ?1 ORDER BY id")?;
    let mut rows = stmt.query([run])?;
    while let Some(r) = rows.next()? {
        let pack = r.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
        out.extend(Link::unpack(pack).ok_or_else(|| {
            Error::Damaged(format!(
                "The journal of import run {run} cannot be read back: a pack of links is {} bytes long.",
                pack.len()
            ))
        })?);
    }
    Ok(out)
}

/// Records on the run which profiles it created.
pub fn record_created(db: &Connection, run: i64, created: Option<(i64, i64)>) -> Result<(), Error> {
    if let Some((first, last)) = created {
        db.prepare_cached(
            "UPDATE import_runs SET first_created = ?2, last_created = ?3 WHERE id = ?1",
        )?
        .execute(params![run, first, last])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_come_back_as_they_were_packed_and_a_torn_pack_is_refused() {
        let links: Vec<Link> = (0..3)
            .map(|i| Link {
                connection: 1_000_000 + i,
                employee: -i,
                version_before: i64::MAX - i,
            })
            .collect();
        let mut pack = Vec::new();
        for l in &links {
            l.pack(&mut pack);
        }
        assert_eq!(pack.len(), 3 * Link::SIZE);
        assert_eq!(Link::unpack(&pack), Some(links));
        assert_eq!(Link::unpack(&pack[..pack.len() - 1]), None);
        assert_eq!(Link::unpack(&[]), Some(Vec::new()));
    }
}
