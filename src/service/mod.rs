//! One function per user action, under both the terminal app and the command line.
//! Each action reads, plans (pure domain), applies and audits in one transaction.

pub mod actor;
pub mod blocks;
pub mod browse;
pub mod export;
pub mod history;
pub mod import;
pub mod imports;
pub mod maintenance;
pub mod plan;
pub mod pull;
pub mod restore;
pub mod review;
pub mod search_index;
pub mod selector;
pub mod setup;
pub mod systems;
pub mod undo;

use rusqlite::Connection;
use serde::Serialize;

use crate::domain::actions::{self, Ctx, Edit, ManualConnection, NewEmployee, Plan, StatusChange};
use crate::domain::audit::{Actor, Entry};
use crate::domain::change::Check;
use crate::domain::matching::{self, EmailMatch};
use crate::domain::model::{Block, ConnKey, Employee, Profile, Review};
use crate::error::Error;
use crate::store::apply::{Mismatch, apply};
use crate::store::audit::{self, NewEntry, Undo};
use crate::store::{Store, connections, employees, presence, settings};

/// The current time as the store records it (UTC, RFC 3339, milliseconds).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A version the caller read and acts upon; the action is refused when the profile has
/// moved on since (another admin, an import).
#[derive(Debug, Clone, Copy)]
pub struct Expect {
    pub id: i64,
    pub version: i64,
}

/// What the action did, for the status line and the command line.
#[derive(Debug, Clone)]
pub struct Done {
    pub audit_id: i64,
    pub summary: String,
}

/// What the next import of a removed account will do (docs/model.md, "Remove
/// connection").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum NextImport {
    /// It links the account to this same profile again, by this email.
    Reconnects { email: String },
    /// It links the account to another profile that holds the email.
    LinksTo { email: String, employee: i64 },
    /// Several profiles hold the email: a conflict, nothing is linked.
    Conflict { email: String, candidates: Vec<i64> },
    /// The one profile holding the email holds another account of the system: a
    /// conflict of kind `same_system`, nothing is linked.
    SameSystem { email: String, employee: i64 },
    /// The account's email in the system is not known here (it was connected by hand
    /// without one): if the import brings one of these emails of the profile, it
    /// reconnects the profile.
    MayReconnect { emails: Vec<String> },
    /// Nobody matches: the account gets a new profile.
    CreatesProfile,
}

#[derive(Debug, Clone, Serialize)]
pub struct MergePreview {
    pub keep: Profile,
    pub other: Profile,
    /// The kept profile as it will be after the merge.
    pub result: Profile,
}

impl MergePreview {
    /// Who manages the kept profile after the merge, in a sentence: as before (the
    /// accounts that move in never take over), and for a profile managed manually, how
    /// to hand it to a system (`hand_over` words that for the asking front).
    pub fn management(&self, hand_over: impl Fn(&ConnKey, bool) -> String) -> String {
        let k = self.keep.employee.label();
        if let Some(m) = self.keep.managed_by() {
            return format!("{k} stays managed by {}.", m.label());
        }
        let mut text = format!(
            "{k} stays managed manually: no import changes its name or picture, and the accounts that move in do not manage it."
        );
        // The system an admin would most likely hand it to: the one that managed the
        // folded profile, else any account of the result.
        let candidate = self
            .other
            .managed_by()
            .or_else(|| self.result.connections.first());
        if let Some(c) = candidate {
            let ambiguous = self
                .result
                .connections
                .iter()
                .filter(|o| o.system == c.system)
                .count()
                > 1;
            text.push(' ');
            text.push_str(&hand_over(&c.key(), ambiguous));
        }
        text
    }
}

pub struct Service {
    store: Store,
    actor: Actor,
    /// The in-memory search index this service's filter scans use when it describes
    /// their snapshot (the app's worker builds it; `browse.rs`).
    search: Option<search_index::Slot>,
    /// This app session, as the others see it (`join`); `Some(None)` when it could not
    /// say so (a user who may not write beside the store still sees the others).
    session: Option<Option<presence::Session>>,
    /// The sources `roster pull` and the app's `p` may pull from (roster.toml).
    sources: std::collections::BTreeMap<String, crate::config::SourceConfig>,
}

/// Who has the store open in the app besides this session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Here {
    /// This session's OS user.
    pub me: String,
    /// The other sessions' OS users (one entry per session).
    pub others: Vec<String>,
}

impl Service {
    pub fn new(store: Store, actor: Actor) -> Service {
        Service {
            store,
            actor,
            search: None,
            session: None,
            sources: Default::default(),
        }
    }

    /// Opens the store at `path` for `actor`, waiting up to `wait` for another writer:
    /// read-only when the files allow no more (the OS enforces it) or when the system
    /// config that governs the store lists this user among its `viewers` (every change
    /// is then refused up front, in one sentence). A user who cannot open it at all is
    /// told whom to ask.
    pub fn open(
        path: &std::path::Path,
        wait: std::time::Duration,
        actor: Actor,
    ) -> Result<Service, Error> {
        let mut store = Store::open_waiting(path, wait)?;
        if store.read_only().is_none() {
            let rule =
                match crate::config::viewer_rule(path, store.governing(), crate::users::uid()) {
                    Ok(rule) => rule,
                    // Who the viewers are cannot be known: nobody changes the store until
                    // the config is readable again.
                    Err(e) => Some(format!(
                        "read-only: the config that lists this store's viewers cannot be read ({})",
                        e.to_string().trim_end_matches('.')
                    )),
                };
            if let Some(why) = rule {
                store.refuse_writes(why);
            }
        }
        Ok(Service::new(store, actor))
    }

    /// Why this user may not change the store ("read-only: …"), when they may not.
    pub fn read_only(&self) -> Option<&str> {
        self.store.read_only()
    }

    /// Refuses up front, in one sentence (exit status 2), when this user may not change
    /// the store; the fronts call it before they start a change. The store refuses
    /// every write the same way (`Store::write`), so nothing gets past a forgotten call.
    pub fn writable(&self) -> Result<(), Error> {
        match self.store.read_only() {
            Some(why) => Err(Error::Refused(format!("{why}; nothing was changed."))),
            None => Ok(()),
        }
    }

    /// Says to the others that this session has the store open (the app does, for as
    /// long as it runs). Best effort: see `store::presence`.
    pub fn join(&mut self) {
        let me = presence::Seen {
            uid: crate::users::uid(),
            user: self.actor.os_user.clone(),
            pid: std::process::id(),
            ssh_client: self.actor.ssh_client.clone(),
        };
        self.session = Some(presence::join(self.store.path(), self.store.mode(), &me));
    }

    /// Whether this session asked to be among those here (`join`).
    pub fn joined(&self) -> bool {
        self.session.is_some()
    }

    /// Who has the store open in the app now, besides this session.
    pub fn here(&self) -> Here {
        Here {
            me: self.actor.os_user.clone(),
            others: presence::others(
                self.store.path(),
                self.session.as_ref().and_then(Option::as_ref),
            )
            .into_iter()
            .map(|s| s.user)
            .collect(),
        }
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Runs one action: checks the versions the caller acted upon, plans it from rows read
    /// inside the write transaction, applies and audits it, all or nothing.
    fn perform(
        &mut self,
        expect: &[Expect],
        plan: impl FnOnce(&Connection, Ctx) -> Result<Plan, Error>,
    ) -> Result<Done, Error> {
        let actor = self.actor.clone();
        let provenance = actor.label();
        self.store.write(|db| {
            // The time is read once the write lock is held, so that the audit entries'
            // ids (given in commit order) and times agree, and so do the rows' times.
            let at = now();
            check_expected(db, expect)?;
            let ctx = Ctx {
                actor: &provenance,
                now: &at,
            };
            let mut plan = plan(db, ctx)?;
            // The review items the action settles close with it (and open with its undo).
            let settled = review::settled_by(db, &plan.changes, ctx)?;
            plan.changes.ops.extend(settled);
            apply(db, &mut plan.changes, Check::Version, &at).map_err(|m| match m {
                Mismatch::Row(what) => Error::Stale(format!(
                    "Nothing was changed: {what} while this action was prepared. Look again and retry."
                )),
                Mismatch::Error(e) => e,
            })?;
            let audit_id = audit::append(
                db,
                &NewEntry {
                    at: &at,
                    actor: &actor,
                    action: plan.action,
                    summary: &plan.summary,
                    changes: &plan.changes,
                    undoable: true,
                    reverts: None,
                },
            )?;
            Ok(Done {
                audit_id,
                summary: plan.summary,
            })
        })
    }

    // ---- reads ---------------------------------------------------------------------

    pub fn resolve(&mut self, selector: &str) -> Result<i64, Error> {
        self.store.read(|db| selector::employee(db, selector))
    }

    pub fn profile(&mut self, id: i64) -> Result<Profile, Error> {
        self.store.read(|db| employees::profile(db, id))
    }

    /// The audit log, newest first: the entries `filter` lets through, at most `limit`.
    pub fn log(
        &mut self,
        filter: &crate::domain::audit::LogFilter,
        limit: usize,
    ) -> Result<Vec<Entry>, Error> {
        self.store.read(|db| audit::list(db, filter, limit))
    }

    pub fn review(&mut self) -> Result<Review, Error> {
        self.store.read(settings::review)
    }

    /// Which of `profile`'s connections `--system S [--external-id X]` names.
    pub fn connection_key(
        &mut self,
        employee: i64,
        system: &str,
        external_id: Option<&str>,
    ) -> Result<ConnKey, Error> {
        let profile = self.profile(employee)?;
        selector::connection(&profile, system, external_id)
    }

    /// What the next import of `key` would do once it is removed from `employee`
    /// (optionally with a block), decided by the importer's own matching rule.
    pub fn predict_after_remove(
        &mut self,
        employee: i64,
        key: &ConnKey,
        block: bool,
    ) -> Result<NextImport, Error> {
        self.store.read(|db| {
            let profile = employees::profile(db, employee)?;
            let conn = profile.connection(key).ok_or_else(|| {
                Error::NotFound(format!(
                    "{} has no connection {key}.",
                    profile.employee.label()
                ))
            })?;
            let mut blocked = connections::blocked_employees(db, key)?;
            if block {
                blocked.push(employee);
            }
            // One system, one account per person: a candidate holding another account
            // of the system is not linked.
            let mut holds_system = |id: i64| -> Result<bool, Error> {
                Ok(connections::of_employee(db, id)?
                    .iter()
                    .any(|c| c.system == key.system && &c.key() != key))
            };
            let Some(email) = conn.email.clone() else {
                // Of the profile's emails, those the importer would link to it alone.
                let mut emails = Vec::new();
                for e in profile.emails_except(key) {
                    let candidates = employees::email_candidates(db, &e, Some(key))?;
                    if matching::decide(&candidates, &blocked, &mut holds_system)?
                        == EmailMatch::One(employee)
                    {
                        emails.push(e);
                    }
                }
                return Ok(if emails.is_empty() {
                    NextImport::CreatesProfile
                } else {
                    NextImport::MayReconnect { emails }
                });
            };
            let candidates = employees::email_candidates(db, &email, Some(key))?;
            Ok(
                match matching::decide(&candidates, &blocked, &mut holds_system)? {
                    EmailMatch::None => NextImport::CreatesProfile,
                    EmailMatch::SameSystem(id) => NextImport::SameSystem {
                        email,
                        employee: id,
                    },
                    EmailMatch::One(id) if id == employee => NextImport::Reconnects { email },
                    EmailMatch::One(id) => NextImport::LinksTo {
                        email,
                        employee: id,
                    },
                    EmailMatch::Many(candidates) => NextImport::Conflict { email, candidates },
                },
            )
        })
    }

    pub fn merge_preview(&mut self, keep: i64, other: i64) -> Result<MergePreview, Error> {
        let actor = self.actor.label();
        self.store.read(|db| {
            let keep = employees::profile(db, keep)?;
            let other = employees::profile(db, other)?;
            let at = now();
            let blocks = connections::blocks_on(db, keep.employee.id, &other.connections)?;
            let plan = actions::merge(
                &keep,
                &other,
                &blocks,
                Ctx {
                    actor: &actor,
                    now: &at,
                },
            )?;
            let mut result = keep.clone();
            for op in &plan.changes.ops {
                if let crate::domain::change::Op::UpdateConnection { after, .. } = op
                    && after.employee_id == keep.employee.id
                {
                    result.connections.push(after.clone());
                }
            }
            result.connections.sort_by_key(|c| c.key());
            Ok(MergePreview {
                keep,
                other,
                result,
            })
        })
    }

    // ---- actions -------------------------------------------------------------------

    pub fn new_employee(&mut self, input: &NewEmployee) -> Result<(i64, Done), Error> {
        let mut id = 0;
        let done = self.perform(&[], |db, ctx| {
            id = employees::next_id(db)?;
            actions::new_employee(id, input, ctx)
        })?;
        Ok((id, done))
    }

    pub fn connect(
        &mut self,
        employee: i64,
        input: &ManualConnection,
        expect: Option<i64>,
    ) -> Result<Done, Error> {
        self.perform(&expected(employee, expect), |db, ctx| {
            let profile = employees::profile(db, employee)?;
            let key = ConnKey::new(
                &input.system,
                crate::domain::system::normalize_external_id(&input.system, &input.external_id),
            );
            let input = ManualConnection {
                external_id: key.external_id.clone(),
                ..input.clone()
            };
            let owner = match connections::get(db, &key)? {
                Some(c) => Some(employees::require(db, c.employee_id)?),
                None => None,
            };
            let block = Block {
                system: key.system.clone(),
                external_id: key.external_id.clone(),
                employee_id: employee,
            };
            let blocked = connections::block_exists(db, &block)?;
            actions::connect(
                &profile,
                &input,
                owner.as_ref(),
                blocked.then_some(&block),
                ctx,
            )
        })
    }

    pub fn manage(
        &mut self,
        employee: i64,
        key: &ConnKey,
        expect: Option<i64>,
    ) -> Result<Done, Error> {
        self.perform(&expected(employee, expect), |db, _| {
            actions::manage(&employees::profile(db, employee)?, key)
        })
    }

    pub fn unmanage(&mut self, employee: i64, expect: Option<i64>) -> Result<Done, Error> {
        self.perform(&expected(employee, expect), |db, _| {
            actions::unmanage(&employees::profile(db, employee)?)
        })
    }

    /// Move to new employee; returns the new profile's id.
    pub fn move_to_new(
        &mut self,
        employee: i64,
        key: &ConnKey,
        expect: Option<i64>,
    ) -> Result<(i64, Done), Error> {
        let mut new_id = 0;
        let done = self.perform(&expected(employee, expect), |db, ctx| {
            new_id = employees::next_id(db)?;
            actions::move_to_new(&employees::profile(db, employee)?, key, new_id, ctx)
        })?;
        Ok((new_id, done))
    }

    pub fn remove(
        &mut self,
        employee: i64,
        key: &ConnKey,
        block: bool,
        expect: Option<i64>,
    ) -> Result<Done, Error> {
        self.perform(&expected(employee, expect), |db, _| {
            let exists = connections::block_exists(
                db,
                &Block {
                    system: key.system.clone(),
                    external_id: key.external_id.clone(),
                    employee_id: employee,
                },
            )?;
            actions::remove(&employees::profile(db, employee)?, key, block, exists)
        })
    }

    pub fn merge(&mut self, keep: i64, other: i64, expect: &[Expect]) -> Result<Done, Error> {
        self.perform(expect, |db, ctx| {
            let keep = employees::profile(db, keep)?;
            let other = employees::profile(db, other)?;
            let blocks = connections::blocks_on(db, keep.employee.id, &other.connections)?;
            actions::merge(&keep, &other, &blocks, ctx)
        })
    }

    pub fn edit(
        &mut self,
        employee: i64,
        input: &Edit,
        expect: Option<i64>,
    ) -> Result<Done, Error> {
        self.perform(&expected(employee, expect), |db, _| {
            actions::edit(&employees::profile(db, employee)?, input)
        })
    }

    pub fn change_status(
        &mut self,
        employee: i64,
        change: StatusChange,
        expect: Option<i64>,
    ) -> Result<Done, Error> {
        self.perform(&expected(employee, expect), |db, _| {
            actions::change_status(&employees::profile(db, employee)?, change)
        })
    }

    /// Reverses the most recent action that is still undoable.
    pub fn undo(&mut self) -> Result<Done, Error> {
        self.undo_checked(None)
    }

    /// Undo, refused unless the most recent undoable action is still entry `expect` (the
    /// one the app showed before asking).
    pub fn undo_checked(&mut self, expect: Option<i64>) -> Result<Done, Error> {
        self.undo_entry(None, expect)
    }

    /// The entry an undo would take back: entry `id` (refused when it cannot be undone
    /// or was undone already), else the most recent one that can be.
    pub fn undo_target(&mut self, id: Option<i64>) -> Result<Entry, Error> {
        self.store.read(|db| match id {
            Some(id) => Ok(audit::undoable(db, id)?.0),
            None => audit::last_undoable(db)?
                .map(|(entry, _)| entry)
                .ok_or_else(|| Error::Refused("There is nothing to undo.".into())),
        })
    }

    /// Undoes entry `id` (any entry still undoable, when nothing since depends on the
    /// rows it left: they must hold what it wrote), else the most recent undoable one,
    /// refused unless that is still `expect` when given.
    pub fn undo_entry(&mut self, id: Option<i64>, expect: Option<i64>) -> Result<Done, Error> {
        let actor = self.actor.clone();
        // The undo of a big import works like one: the import's page cache and sorter.
        self.store.set_cache_kib(import::IMPORT_CACHE_KIB)?;
        let result = self.store.write(|db| {
            let at = now();
            let (entry, undo) = match id {
                Some(id) => audit::undoable(db, id)?,
                None => audit::last_undoable(db)?
                    .ok_or_else(|| Error::Refused("There is nothing to undo.".into()))?,
            };
            if expect.is_some_and(|id| id != entry.id) {
                return Err(Error::Stale(format!(
                    "Nothing was undone: the most recent action is now \u{201c}{}\u{201d} (by {} at {}). Look again and retry.",
                    entry.summary, entry.actor, entry.at
                )));
            }
            let changes = match undo {
                Undo::Import { run } => return undo::import_run(db, &entry, run, &actor, &at),
                Undo::Changes(changes) => changes,
            };
            let mut inverse = changes.inverse();
            apply(db, &mut inverse, Check::Content, &at).map_err(|m| match m {
                Mismatch::Row(what) => Error::Stale(format!(
                    "Cannot undo \u{201c}{}\u{201d} (by {} at {}): {what} since. Nothing was changed.",
                    entry.summary, entry.actor, entry.at
                )),
                Mismatch::Error(e) => e,
            })?;
            let summary = format!("Undid: {}", entry.summary);
            let audit_id = audit::append(
                db,
                &NewEntry {
                    at: &at,
                    actor: &actor,
                    action: "undo",
                    summary: &summary,
                    changes: &inverse,
                    undoable: false,
                    reverts: Some(entry.id),
                },
            )?;
            Ok(Done { audit_id, summary })
        });
        self.store.set_cache_kib(crate::store::DEFAULT_CACHE_KIB)?;
        result
    }

    /// Sets where new imported profiles land; `None` when it was so already (nothing is
    /// written, nothing is audited: only changes are).
    pub fn set_review(&mut self, review: Review) -> Result<Option<Done>, Error> {
        let actor = self.actor.clone();
        self.store.write(|db| {
            let at = now();
            let before = settings::review(db)?;
            if before == review {
                return Ok(None);
            }
            settings::set(db, "review", review.as_str())?;
            let summary = format!(
                "Review of new imported profiles set to {} (was {}).",
                review.as_str(),
                before.as_str()
            );
            let audit_id = audit::append_raw(
                db,
                &NewEntry {
                    at: &at,
                    actor: &actor,
                    action: "settings",
                    summary: &summary,
                    changes: &Default::default(),
                    undoable: false,
                    reverts: None,
                },
                &serde_json::json!({"review": {"before": before.as_str(), "after": review.as_str()}})
                    .to_string(),
                std::iter::empty(),
            )?;
            Ok(Some(Done { audit_id, summary }))
        })
    }
}

fn expected(id: i64, version: Option<i64>) -> Vec<Expect> {
    version
        .map(|version| Expect { id, version })
        .into_iter()
        .collect()
}

fn check_expected(db: &Connection, expect: &[Expect]) -> Result<(), Error> {
    for e in expect {
        let current: Employee = employees::require(db, e.id)?;
        if current.version != e.version {
            return Err(Error::Stale(format!(
                "{} was changed by someone else since you looked at it; nothing was changed. The view is refreshed: look again and retry.",
                current.label()
            )));
        }
    }
    Ok(())
}
