//! The store side of an import: the match keys loaded once into memory (`StoreKeys`),
//! the writes of each planned step with cached statements (`Writer`), and the derived
//! columns (suppliers, version) brought up to date in bulk at the end.

use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{HashMap, HashSet};

use crate::domain::keys::{EmailIndex, KeyMap, key_map, key128};
use crate::domain::model::Status;
use crate::domain::planner::{AccountFields, Current, Keys, Known, ProfileFields, Record, Step};
use crate::domain::review::ReviewCounts;
use crate::domain::search::{AccountText, account_parts, search_text};
use crate::domain::sort_key::sort_key;
use crate::domain::validate::normalize_email;
use crate::error::Error;
use crate::store::bulk::Deferred;
use crate::store::counts::{self, Delta, Place};
use crate::store::import_journal::Journal;
use crate::store::import_review::ReviewWriter;
use crate::store::search_sql::ACCOUNTS_JSON;

fn str_at<'a>(r: &'a rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'a str> {
    Ok(r.get_ref(i)?.as_str()?)
}

/// The match keys of one system, from the store.
pub struct StoreKeys<'c> {
    db: &'c Connection,
    ids: KeyMap<Known>,
    blocks: HashMap<String, Vec<i64>>,
    /// The accounts admins chose to ignore (docs/review.md): review item, email then.
    ignored: HashMap<String, (i64, Option<String>)>,
    emails: Option<EmailIndex>,
    /// The employees holding an account of the system, sorted; built on first use.
    holders: Option<Vec<i64>>,
    /// The highest connection row id before the import: rows above it are the
    /// import's own.
    last_conn_id: i64,
    system: String,
    /// Set when the email index was loaded (for the progress indication).
    pub on_emails_loaded: Option<Box<dyn FnMut(usize) + 'c>>,
}

impl<'c> StoreKeys<'c> {
    /// Loads every connection of `system` and its blocks; the email index waits until
    /// a record needs it.
    pub fn load(db: &'c Connection, system: &str) -> Result<StoreKeys<'c>, Error> {
        let count: i64 = db.query_row(
            "SELECT count(*) FROM connections WHERE system = ?1",
            [system],
            |r| r.get(0),
        )?;
        let mut ids = key_map(count as usize);
        let mut stmt = db.prepare(
            "SELECT c.id, c.external_id, c.employee_id, c.manages, c.email, c.name, c.picture_url,
                    c.active, e.name, e.picture_url
             FROM connections c
             LEFT JOIN employees e ON c.manages = 1 AND e.id = c.employee_id
             WHERE c.system = ?1",
        )?;
        let mut rows = stmt.query([system])?;
        while let Some(r) = rows.next()? {
            let external_id = str_at(r, 1)?;
            let manages: bool = r.get(3)?;
            let account = AccountFields {
                email: r.get(4)?,
                name: r.get(5)?,
                picture_url: r.get(6)?,
                active: r.get(7)?,
            };
            let managed = if manages {
                let picture = r
                    .get_ref(9)?
                    .as_str_or_null()
                    .map_err(rusqlite::Error::from)?;
                Some((str_at(r, 8)?, picture))
            } else {
                None
            };
            let known = Known::new(r.get(0)?, r.get(2)?, &account, managed);
            ids.insert(key128(external_id), known);
        }
        let mut blocks: HashMap<String, Vec<i64>> = HashMap::new();
        let mut stmt =
            db.prepare("SELECT external_id, employee_id FROM blocks WHERE system = ?1")?;
        let mut rows = stmt.query([system])?;
        while let Some(r) = rows.next()? {
            blocks.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
        let last_conn_id =
            db.query_row("SELECT coalesce(max(id), 0) FROM connections", [], |r| {
                r.get(0)
            })?;
        Ok(StoreKeys {
            db,
            ids,
            blocks,
            ignored: super::review::ignored_of_system(db, system)?,
            emails: None,
            holders: None,
            last_conn_id,
            system: system.to_owned(),
            on_emails_loaded: None,
        })
    }

    fn load_emails(&self) -> Result<EmailIndex, Error> {
        let db = self.db;
        let merged: HashSet<i64> = db
            .prepare("SELECT id FROM employees WHERE merged_into IS NOT NULL")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        // Most connections share their employee's email: size for the employees.
        let mut ix = EmailIndex::with_capacity(employee_count(db)? as usize);
        for sql in [
            "SELECT email_norm, id FROM employees WHERE email_norm IS NOT NULL",
            // A table scan: through connections_by_email every row would be a random lookup.
            "SELECT email_norm, employee_id FROM connections NOT INDEXED WHERE email_norm IS NOT NULL",
        ] {
            let mut stmt = db.prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(1)?;
                if !merged.contains(&id) {
                    ix.add_key(key128(str_at(r, 0)?), id);
                }
            }
        }
        Ok(ix)
    }
}

impl Keys for StoreKeys<'_> {
    fn connection(&self, external_id: &str) -> Option<Known> {
        self.ids.get(&key128(external_id)).copied()
    }

    fn current(&mut self, known: &Known) -> Result<Current, Error> {
        let mut stmt = self.db.prepare_cached(
            "SELECT c.email, c.name, c.picture_url, c.active, e.name, e.picture_url, e.status
             FROM connections c JOIN employees e ON e.id = c.employee_id
             WHERE c.id = ?1",
        )?;
        let current = stmt
            .query_row([known.conn_id], |r| {
                Ok(Current {
                    account: AccountFields {
                        email: r.get(0)?,
                        name: r.get(1)?,
                        picture_url: r.get(2)?,
                        active: r.get(3)?,
                    },
                    profile: ProfileFields {
                        name: r.get(4)?,
                        picture_url: r.get(5)?,
                        status: r.get(6)?,
                    },
                })
            })
            .optional()?;
        current.ok_or_else(|| {
            Error::Stale(format!(
                "Connection row {} vanished during the import; nothing was imported.",
                known.conn_id
            ))
        })
    }

    fn blocked(&self, external_id: &str) -> Vec<i64> {
        self.blocks.get(external_id).cloned().unwrap_or_default()
    }

    fn ignored(&self, external_id: &str) -> Option<(i64, Option<String>)> {
        self.ignored.get(external_id).cloned()
    }

    fn emails(&mut self) -> Result<&mut EmailIndex, Error> {
        if self.emails.is_none() {
            let ix = self.load_emails()?;
            if let Some(f) = self.on_emails_loaded.as_mut() {
                f(ix.len());
            }
            self.emails = Some(ix);
        }
        Ok(self.emails.as_mut().expect("loaded above"))
    }

    fn holds_system(&mut self, employee_id: i64) -> Result<bool, Error> {
        let holders = self.holders.get_or_insert_with(|| {
            let mut ids: Vec<i64> = self.ids.values().map(|k| k.employee_id).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        });
        Ok(holders.binary_search(&employee_id).is_ok())
    }

    fn system_accounts(&mut self, employee_id: i64) -> Result<Vec<String>, Error> {
        let mut stmt = self.db.prepare_cached(
            "SELECT external_id FROM connections
             WHERE employee_id = ?1 AND system = ?2 AND id <= ?3 ORDER BY external_id",
        )?;
        let rows = stmt
            .query_map(params![employee_id, self.system, self.last_conn_id], |r| {
                r.get(0)
            })?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(rows)
    }
}

/// Writes the steps of one import inside the caller's transaction.
pub struct Writer<'c> {
    db: &'c Connection,
    update_connection: rusqlite::Statement<'c>,
    update_employee: rusqlite::Statement<'c>,
    insert_employee: rusqlite::Statement<'c>,
    insert_connection: rusqlite::Statement<'c>,
    system: String,
    created_by: String,
    now: String,
    /// Employees that got a connection: suppliers and version to update.
    linked: Vec<i64>,
    /// Employees whose connection or fields changed: version to move on.
    changed: Vec<i64>,
    created: Vec<i64>,
    /// Employees whose search text must be computed again (an email or name changed).
    research: Vec<i64>,
    /// How the tab counts move.
    delta: Delta,
    link_employee: rusqlite::Statement<'c>,
    /// Tables whose secondary indexes were dropped for a big import.
    deferred: Deferred,
    review: ReviewWriter,
    journal: Journal<'c>,
}

/// What `Writer::finish` did.
pub struct Finished {
    /// Every employee the import created or changed, sorted.
    pub employees: Vec<i64>,
    /// The time spent building dropped indexes again.
    pub rebuild: std::time::Duration,
    /// The tables whose indexes were built again.
    pub rebuilt_tables: Vec<String>,
    pub review: ReviewCounts,
    /// Whether the import changed anything that undo would take back.
    pub undoable: bool,
}

impl<'c> Writer<'c> {
    /// `run`: the import-run record the review items it raises name.
    pub fn new(
        db: &'c Connection,
        system: &str,
        created_by: &str,
        now: &str,
        run: i64,
    ) -> Result<Writer<'c>, Error> {
        // The SQL functions used here (roster_add_supplier, roster_search…) are
        // registered when the store opens (search_sql::register).
        Ok(Writer {
            db,
            update_connection: db.prepare(
                "UPDATE connections SET email = ?2, email_norm = ?3, name = ?4,
                        picture_url = ?5, active = ?6
                 WHERE id = ?1",
            )?,
            update_employee: db.prepare(
                "UPDATE employees SET name = ?2, picture_url = ?3, status = ?4, sort_name = ?5
                 WHERE id = ?1",
            )?,
            insert_employee: db.prepare(
                "INSERT INTO employees (id, name, email, email_norm, picture_url, login_access,
                                        status, suppliers, search, version, created_at, updated_at,
                                        sort_name)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?9, 1, ?8, ?8, ?10)",
            )?,
            insert_connection: db.prepare(
                "INSERT INTO connections (system, external_id, employee_id, email, email_norm, name,
                                          picture_url, manages, origin, created_by, created_at,
                                          matched_value, active)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?,
            system: system.to_owned(),
            created_by: created_by.to_owned(),
            now: now.to_owned(),
            linked: Vec::new(),
            changed: Vec::new(),
            created: Vec::new(),
            research: Vec::new(),
            delta: Delta::default(),
            link_employee: db.prepare(
                "UPDATE employees SET suppliers = roster_add_supplier(suppliers, ?2),
                        search = roster_search_add(search, ?3),
                        version = version + 1, updated_at = ?4
                 WHERE id = ?1",
            )?,
            deferred: Deferred::default(),
            review: ReviewWriter::new(db, system, run, now, created_by)?,
            journal: Journal::new(db, run)?,
        })
    }

    /// For an import that inserts rows by the hundred thousand: drops the secondary
    /// indexes of `table` now and builds them again in `finish` (`store::bulk`).
    pub fn defer_indexes(&mut self, table: &str) -> Result<(), Error> {
        self.deferred.defer(self.db, table)
    }

    pub fn write(&mut self, record: &Record, step: &Step) -> Result<(), Error> {
        let journal = &mut self.journal;
        self.review
            .write(self.db, record, step, &mut |change| journal.review(change))?;
        match step {
            Step::Unchanged { .. }
            | Step::Conflict { .. }
            | Step::SameSystem { .. }
            | Step::Ignored { .. } => {}
            Step::Matched {
                conn_id,
                employee_id,
                before,
                account,
                profile,
                search_changed,
                ..
            } => {
                if let Some(a) = account {
                    self.update_connection.execute(params![
                        conn_id,
                        a.email,
                        a.email.as_deref().map(normalize_email),
                        a.name,
                        a.picture_url,
                        a.active
                    ])?;
                }
                let (place, version) = self.state(*employee_id)?;
                self.journal.update(
                    *employee_id,
                    version,
                    *conn_id,
                    account.as_ref().map(|_| &before.account),
                    profile.as_ref().map(|_| &before.profile),
                )?;
                if let Some(p) = profile {
                    self.update_employee.execute(params![
                        employee_id,
                        p.name,
                        p.picture_url,
                        p.status.as_str(),
                        sort_key(&p.name)
                    ])?;
                    self.delta.add(place, -1);
                    self.delta.add(Place::new(p.status, true), 1);
                }
                self.changed.push(*employee_id);
                if *search_changed {
                    self.research.push(*employee_id);
                }
            }
            Step::Linked {
                employee_id,
                account,
            } => {
                let (before, version) = self.state(*employee_id)?;
                self.insert_connection(*employee_id, account)?;
                self.journal
                    .link(*employee_id, version, self.db.last_insert_rowid())?;
                let parts = account_parts(&AccountText {
                    system: &self.system,
                    external_id: &account.external_id,
                    email: account.fields.email.as_deref(),
                })
                .join("\n");
                self.link_employee
                    .execute(params![employee_id, self.system, parts, self.now])?;
                self.delta.add(before, -1);
                self.delta.add(
                    Place {
                        tracked: before.status == Status::Active,
                        ..before
                    },
                    1,
                );
                self.linked.push(*employee_id);
            }
            Step::Created {
                profile, account, ..
            } => {
                let search = search_text(
                    &profile.name,
                    profile.email.as_deref(),
                    [AccountText {
                        system: &self.system,
                        external_id: &account.external_id,
                        email: account.fields.email.as_deref(),
                    }],
                );
                self.insert_employee.execute(params![
                    profile.id,
                    profile.name,
                    profile.email,
                    profile.email.as_deref().map(normalize_email),
                    profile.picture_url,
                    profile.status.as_str(),
                    self.system,
                    self.now,
                    search,
                    sort_key(&profile.name)
                ])?;
                self.insert_connection(profile.id, account)?;
                self.delta.add(Place::new(profile.status, true), 1);
                self.created.push(profile.id);
                self.journal.created(profile.id);
            }
        }
        Ok(())
    }

    /// Where the employee is counted now, and its version (for the journal).
    fn state(&mut self, employee_id: i64) -> Result<(Place, i64), Error> {
        let mut stmt = self.db.prepare_cached(
            "SELECT status, suppliers <> '', version FROM employees WHERE id = ?1",
        )?;
        let found = stmt
            .query_row([employee_id], |r| {
                Ok((Place::new(r.get(0)?, r.get(1)?), r.get(2)?))
            })
            .optional()?;
        found.ok_or_else(|| {
            Error::Stale(format!(
                "Employee #{employee_id} vanished during the import; nothing was imported."
            ))
        })
    }

    fn insert_connection(
        &mut self,
        employee_id: i64,
        a: &crate::domain::planner::NewAccount,
    ) -> Result<(), Error> {
        self.insert_connection.execute(params![
            self.system,
            a.external_id,
            employee_id,
            a.fields.email,
            a.fields.email.as_deref().map(normalize_email),
            a.fields.name,
            a.fields.picture_url,
            a.manages,
            a.origin.as_str(),
            self.created_by,
            self.now,
            a.matched_value,
            a.fields.active
        ])?;
        Ok(())
    }

    /// Brings the derived columns of the touched employees up to date, in bulk, and
    /// builds dropped indexes again.
    pub fn finish(mut self) -> Result<Finished, Error> {
        self.linked.sort_unstable();
        self.linked.dedup();
        self.changed.sort_unstable();
        self.changed.dedup();
        self.changed
            .retain(|id| self.linked.binary_search(id).is_err());
        for chunk in self.changed.chunks(CHUNK) {
            self.db
                .prepare_cached(
                    "UPDATE employees SET version = version + 1, updated_at = ?2
                     WHERE id IN (SELECT value FROM json_each(?1))",
                )?
                .execute(params![json_ids(chunk), self.now])?;
        }
        self.research.sort_unstable();
        self.research.dedup();
        for chunk in self.research.chunks(CHUNK) {
            self.db
                .prepare_cached(&format!(
                    "UPDATE employees AS e SET search = roster_search(e.name, e.email, {ACCOUNTS_JSON})
                     WHERE e.id IN (SELECT value FROM json_each(?1))"
                ))?
                .execute(params![json_ids(chunk)])?;
        }
        counts::adjust(self.db, self.delta)?;
        let started = std::time::Instant::now();
        let rebuilt_tables = std::mem::take(&mut self.deferred).rebuild(self.db)?;
        let rebuild = started.elapsed();
        let mut all = self.created;
        all.append(&mut self.linked);
        all.append(&mut self.changed);
        all.sort_unstable();
        all.dedup();
        crate::store::import_journal::record_created(
            self.db,
            self.journal.run(),
            self.journal.created,
        )?;
        let undoable = !self.journal.is_empty();
        self.journal.finish()?;
        Ok(Finished {
            employees: all,
            rebuild,
            rebuilt_tables,
            review: self.review.counts,
            undoable,
        })
    }
}

const CHUNK: usize = 50_000;

fn json_ids(ids: &[i64]) -> String {
    let mut s = String::with_capacity(ids.len() * 8 + 2);
    s.push('[');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&id.to_string());
    }
    s.push(']');
    s
}

/// Links employees to an audit entry, in bulk.
pub fn link_audit(db: &Connection, audit_id: i64, employees: &[i64]) -> Result<(), Error> {
    for chunk in employees.chunks(CHUNK) {
        db.prepare_cached(
            "INSERT OR IGNORE INTO audit_employees (employee_id, audit_id)
             SELECT value, ?2 FROM json_each(?1)",
        )?
        .execute(params![json_ids(chunk), audit_id])?;
    }
    Ok(())
}

/// The import-run record: which file, which system, who, the counts (the audit entry of
/// an import points at it).
pub struct Run<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub system: &'a str,
    pub file: &'a str,
    pub preset: Option<&'a str>,
}

/// Records an import run before its rows are written (review items and the journal
/// name it); `finish_run` fills in its counts.
pub fn start_run(db: &Connection, r: &Run<'_>) -> Result<i64, Error> {
    db.prepare_cached(
        "INSERT INTO import_runs (at, actor, system, file, rows, matched, unchanged,
                                  profiles_updated, linked_by_email, created, conflicts,
                                  preset)
         VALUES (?1, ?2, ?3, ?4, 0, 0, 0, 0, 0, 0, 0, ?5)",
    )?
    .execute(params![r.at, r.actor, r.system, r.file, r.preset])?;
    Ok(db.last_insert_rowid())
}

/// The counts and the audit entry of a finished run.
pub fn finish_run(
    db: &Connection,
    run: i64,
    t: &crate::domain::planner::Tally,
    preset: Option<&str>,
    audit_id: i64,
) -> Result<(), Error> {
    db.prepare_cached(
        "UPDATE import_runs SET rows = ?2, matched = ?3, unchanged = ?4, profiles_updated = ?5,
                linked_by_email = ?6, created = ?7, conflicts = ?8, preset = ?9, audit_id = ?10
         WHERE id = ?1",
    )?
    .execute(params![
        run,
        t.rows as i64,
        t.matched as i64,
        t.unchanged as i64,
        t.profiles_updated as i64,
        t.linked_by_email as i64,
        t.created as i64,
        t.conflicts.len() as i64,
        preset,
        audit_id
    ])?;
    Ok(())
}

/// The employee count the mass-create safeguard compares with: from the kept tab
/// counts (every profile is in one of the three status tabs), not a count of the table.
pub fn employee_count(db: &Connection) -> Result<u64, Error> {
    Ok(counts::read(db)?.of(crate::domain::listing::Tab::All))
}

pub fn connection_count(db: &Connection) -> Result<u64, Error> {
    Ok(db.query_row("SELECT count(*) FROM connections", [], |r| {
        r.get::<_, i64>(0)
    })? as u64)
}
