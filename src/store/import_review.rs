//! What an import does to the review inbox (docs/review.md): each record it could not
//! place (`conflict`, `same_system`) raises an open item, or refreshes the open item of
//! the same case; an open item about an account that the import now places (links,
//! creates, finds by ID) closes as settled. Real runs only.

use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

use super::employees::names;
use super::review::{self, Closed, ItemAccount, Kind, Raise, Raised, Snapshot};
use crate::domain::planner::{Record, Step};
use crate::domain::review::ReviewCounts;
use crate::domain::system::display_name;
use crate::error::Error;

/// One change to an item, for the undo of the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemChange {
    Raised(i64),
    Refreshed(i64, Box<Snapshot>),
    /// Met again as it was (only `seen_at` moved): journaled so that an undo puts it
    /// back, but not a change that makes the import undoable.
    Seen(i64, Box<Snapshot>),
    Settled(i64),
}

pub struct ReviewWriter {
    system: String,
    run: i64,
    at: String,
    actor: String,
    /// The items open before the import about accounts of the system, by external ID.
    open: HashMap<String, Vec<(i64, Kind)>>,
    pub counts: ReviewCounts,
}

impl ReviewWriter {
    pub fn new(
        db: &Connection,
        system: &str,
        run: i64,
        at: &str,
        actor: &str,
    ) -> Result<ReviewWriter, Error> {
        Ok(ReviewWriter {
            system: system.to_owned(),
            run,
            at: at.to_owned(),
            actor: actor.to_owned(),
            open: review::open_for_system(db, system)?,
            counts: ReviewCounts::default(),
        })
    }

    /// The inbox's side of one planned record; `changed` is told each change made.
    pub fn write(
        &mut self,
        db: &Connection,
        r: &Record,
        step: &Step,
        changed: &mut dyn FnMut(ItemChange) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let raised = match step {
            // Left alone: neither placed nor raised.
            Step::Ignored { .. } => return Ok(()),
            Step::Conflict { candidates, .. } => Some((Kind::Conflict, candidates.clone())),
            Step::SameSystem { candidate, .. } => Some((Kind::SameSystem, vec![*candidate])),
            _ => None,
        };
        // Open items of this account that the row settles: all of them when it is
        // placed, those of the other kind when it is a conflict again.
        if !self.open.is_empty()
            && let Some(items) = self.open.remove(&r.external_id)
        {
            for (id, kind) in items {
                if raised.as_ref().is_some_and(|(k, _)| *k == kind) {
                    continue;
                }
                let note = settled_note(r.row, self.run, step);
                review::close(db, id, &self.at, &self.actor, Closed::Settled, &note)?;
                self.counts.settled += 1;
                changed(ItemChange::Settled(id))?;
            }
        }
        let Some((kind, profiles)) = raised else {
            return Ok(());
        };
        let item = Raise {
            kind,
            subject: review::account_subject(&self.system, &r.external_id),
            reason: self.reason(db, r, step)?,
            at: &self.at,
            import_run: Some(self.run),
            accounts: self.accounts(db, r, step)?,
            profiles,
        };
        match review::raise(db, &item)? {
            Raised::New(id) => {
                self.counts.raised += 1;
                changed(ItemChange::Raised(id))
            }
            Raised::Refreshed(id, before) => {
                self.counts.refreshed += 1;
                changed(ItemChange::Refreshed(id, before))
            }
            Raised::Seen(id, before) => {
                self.counts.refreshed += 1;
                changed(ItemChange::Seen(id, before))
            }
        }
    }

    /// The account of the record, then (same_system) the candidate's other accounts of
    /// the system as the store holds them now.
    fn accounts(
        &self,
        db: &Connection,
        r: &Record,
        step: &Step,
    ) -> Result<Vec<ItemAccount>, Error> {
        let mut out = vec![ItemAccount {
            role: "account".to_owned(),
            system: self.system.clone(),
            external_id: r.external_id.clone(),
            email: r.email.value().cloned(),
            name: r.name.value().cloned(),
        }];
        if let Step::SameSystem { other_accounts, .. } = step {
            let mut stmt = db.prepare_cached(
                "SELECT email, name FROM connections WHERE system = ?1 AND external_id = ?2",
            )?;
            for x in other_accounts {
                let (email, name) = stmt
                    .query_row(params![self.system, x], |row| {
                        Ok((row.get(0)?, row.get(1)?))
                    })
                    .optional()?
                    .unwrap_or((None, None));
                out.push(ItemAccount {
                    role: "other".to_owned(),
                    system: self.system.clone(),
                    external_id: x.clone(),
                    email,
                    name,
                });
            }
        }
        Ok(out)
    }

    /// The item's sentence: what the account is, who holds its email, why it was not
    /// placed.
    fn reason(&self, db: &Connection, r: &Record, step: &Step) -> Result<String, Error> {
        let system = display_name(&self.system);
        let labels = |ids: &[i64]| -> Result<Vec<String>, Error> {
            let names = names(db, ids)?;
            Ok(ids
                .iter()
                .map(|id| match names.get(id) {
                    Some(n) => format!("{n} (#{id})"),
                    None => format!("#{id}"),
                })
                .collect())
        };
        Ok(match step {
            Step::Conflict { email, candidates } => format!(
                "The {system} account {} (row {} of import run {}) has the email {email}, which {} profiles hold: {}. It was not linked and no profile was created: link it to one of them, create a profile for it, or merge the profiles.",
                r.external_id,
                r.row,
                self.run,
                candidates.len(),
                labels(candidates)?.join(", ")
            ),
            Step::SameSystem {
                email,
                candidate,
                other_accounts,
            } => format!(
                "The {system} account {} (row {} of import run {}) has the email {email}, held by {}, which has another {system} account ({}). Two accounts of one system are two people, so it was not linked and no profile was created: create a profile for it, or link it if both accounts are one person's.",
                r.external_id,
                r.row,
                self.run,
                labels(&[*candidate])?.join(""),
                other_accounts.join(", ")
            ),
            _ => String::new(),
        })
    }
}

fn settled_note(row: u64, run: i64, step: &Step) -> String {
    let how = match step {
        Step::Unchanged { employee_id, .. } | Step::Matched { employee_id, .. } => {
            format!("found the account by ID on #{employee_id}")
        }
        Step::Linked { employee_id, .. } => format!("linked the account to #{employee_id}"),
        Step::Created { profile, .. } => {
            format!("created profile #{} for the account", profile.id)
        }
        Step::Conflict { .. } => "met it as a conflict of several profiles".to_owned(),
        Step::SameSystem { .. } => {
            "met it as a conflict of one system's accounts (same_system)".to_owned()
        }
        Step::Ignored { item } => format!("left it alone (ignored in review item {item})"),
    };
    format!("Row {row} of import run {run} {how}.")
}
