//! The import journal (docs/import.md "Undo of an import"): as an import writes, what
//! it needs to be taken back: the links it made, the fields it changed (as they were),
//! the review items it touched. The profiles it creates are a range of ids, kept on the
//! run. One cached INSERT per linked or changed row; nothing for unchanged rows.

use rusqlite::{Connection, params};

use super::import_review::ItemChange;
use crate::domain::planner::{AccountFields, ProfileFields};
use crate::error::Error;

pub struct Journal<'c> {
    run: i64,
    insert: rusqlite::Statement<'c>,
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
            rows: 0,
            seen: 0,
            created: None,
        })
    }

    /// Connection `conn_id` was linked by email to `employee`, which had `version`.
    pub fn link(&mut self, employee: i64, version: i64, conn_id: i64) -> Result<(), Error> {
        self.rows += 1;
        self.insert.execute(params![
            self.run,
            "link",
            employee,
            version,
            conn_id,
            false,
            None::<String>,
            None::<String>,
            None::<String>,
            None::<bool>,
            false,
            None::<String>,
            None::<String>,
            None::<String>,
            None::<i64>,
            None::<String>,
            None::<String>
        ])?;
        Ok(())
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
