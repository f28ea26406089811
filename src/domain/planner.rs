//! The import planner (README "Importing › The rules"), pure: records in file order in, one `Step` per record
//! out. It reads the store only through `Keys` (the match keys, held in memory by the
//! store, or by a test) and keeps those keys current with the effect of each step, so
//! that every record sees the records before it.
//!
//! Planning never depends on what was written for earlier records: the rows a step
//! reads (`Keys::current`) are only ever changed by that step, and the email index is
//! loaded before the first step that changes an email. That is why a dry run and the
//! real run of the same file on the same store make the same plan.

use super::keys::{EmailIndex, MadeAccounts, fingerprint};
use super::matching::{self, EmailMatch};
use super::model::{Origin, Review, Status};
use super::validate::{fallback_name, normalize_email};
use crate::error::Error;

/// A field as a file supplies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field<T> {
    /// The file has no such column (or the record no such key): leave the value alone.
    Absent,
    /// The column is there and empty (or `null`): the value is cleared.
    Empty,
    Value(T),
}

impl<T> Field<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn given(&self) -> bool {
        !matches!(self, Field::Absent)
    }
}

/// One validated record of an import file, with its external ID in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1 for the first record of the file (a CSV header is not counted).
    pub row: u64,
    /// The line the record starts on, for CSV and NDJSON.
    pub line: Option<u64>,
    pub external_id: String,
    pub email: Field<String>,
    pub name: Field<String>,
    pub picture_url: Field<String>,
    /// `Empty` means the same as `Absent` here: the system said nothing about it.
    pub active: Field<bool>,
}

/// What a connection holds from its system.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountFields {
    pub email: Option<String>,
    pub name: Option<String>,
    pub picture_url: Option<String>,
    /// The `active` flag the system supplied last (`None`: never supplied).
    pub active: Option<bool>,
}

/// The employee fields a managing system may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileFields {
    pub name: String,
    pub picture_url: Option<String>,
    pub status: Status,
}

/// What the importer keeps in memory of an existing connection of the importing
/// system: enough to see, without reading the rows, that a record changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// The connection's row id in the store.
    pub conn_id: i64,
    pub employee_id: i64,
    pub manages: bool,
    pub email: u64,
    pub name: u64,
    pub picture: u64,
    pub active: Option<bool>,
    /// The account holds a name (not blank): a blank name in a record keeps it.
    pub named: bool,
    /// The employee's name is the connection's name (managed profiles only).
    pub name_in_sync: bool,
    /// The employee's picture is the managing connection's picture.
    pub picture_in_sync: bool,
}

impl Known {
    /// `managed`: the employee's name and picture when this connection manages it (only
    /// then do they matter to the import).
    pub fn new(
        conn_id: i64,
        employee_id: i64,
        account: &AccountFields,
        managed: Option<(&str, Option<&str>)>,
    ) -> Known {
        let (name_in_sync, picture_in_sync) = match managed {
            Some((name, picture)) => (
                account.name.as_deref() == Some(name),
                picture == account.picture_url.as_deref(),
            ),
            None => (false, false),
        };
        Known {
            conn_id,
            employee_id,
            manages: managed.is_some(),
            email: fingerprint(account.email.as_deref()),
            name: fingerprint(account.name.as_deref()),
            picture: fingerprint(account.picture_url.as_deref()),
            active: account.active,
            named: account
                .name
                .as_deref()
                .is_some_and(|n| !n.trim().is_empty()),
            name_in_sync,
            picture_in_sync,
        }
    }
}

/// The rows behind a `Known`, read when a record may change them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    pub account: AccountFields,
    pub profile: ProfileFields,
}

/// The store as the planner sees it.
pub trait Keys {
    /// The connection of the importing system with this external ID.
    fn connection(&self, external_id: &str) -> Option<Known>;
    /// The current rows of a connection found by `connection`.
    fn current(&mut self, known: &Known) -> Result<Current, Error>;
    /// The employees the account is blocked from.
    fn blocked(&self, external_id: &str) -> Vec<i64>;
    /// Who holds each email (primary or connection email; profiles merged into another
    /// left out); loaded on first use.
    fn emails(&mut self) -> Result<&mut EmailIndex, Error>;
    /// Whether the employee held an account of the importing system before the import.
    fn holds_system(&mut self, employee_id: i64) -> Result<bool, Error>;
    /// The external IDs of the importing system the employee held before the import,
    /// sorted.
    fn system_accounts(&mut self, employee_id: i64) -> Result<Vec<String>, Error>;
    /// When an admin chose to ignore the account in the review inbox: the review item
    /// that says so, and the account's email then (normalised; none when it had none).
    fn ignored(&self, external_id: &str) -> Option<(i64, Option<String>)>;
}

/// A connection an import creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub external_id: String,
    pub fields: AccountFields,
    pub manages: bool,
    pub origin: Origin,
    /// The value that made the link: the email for `import-email`, the external ID for
    /// `import-new`.
    pub matched_value: String,
}

/// A profile an import creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProfile {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub picture_url: Option<String>,
    pub status: Status,
}

/// Where a new profile's name comes from (README "Importing › The rules": the record's name, else the email's
/// local part, else the external ID; the report flags the last two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NamedFrom {
    Name,
    Email,
    ExternalId,
}

/// What one record does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Found by ID; nothing differs. `name_kept`: the record's name was blank and a
    /// stored name was kept.
    Unchanged { employee_id: i64, name_kept: bool },
    /// Found by ID; the connection and/or (when it manages) the employee change.
    Matched {
        conn_id: i64,
        employee_id: i64,
        /// The rows as they were (for the plan's before → after and the import's undo).
        before: Box<Current>,
        account: Option<AccountFields>,
        profile: Option<ProfileFields>,
        /// The name or an email changed: the employee's search text must follow.
        search_changed: bool,
        name_kept: bool,
    },
    /// Linked by email to the one employee holding it.
    Linked {
        employee_id: i64,
        account: NewAccount,
    },
    /// A new profile, managed by the new connection.
    Created {
        profile: NewProfile,
        account: NewAccount,
        named_from: NamedFrom,
    },
    /// More than one employee holds the email: nothing is done.
    Conflict { email: String, candidates: Vec<i64> },
    /// The one employee holding the email holds another account of the same system:
    /// two accounts of one system are two people, so nothing is done.
    SameSystem {
        email: String,
        candidate: i64,
        /// The candidate's accounts of the system, sorted.
        other_accounts: Vec<String>,
    },
    /// An admin chose to ignore this account in the review inbox (review item `item`)
    /// and its email has not changed since: nothing is done, nothing is raised.
    Ignored { item: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Matched,
    Unchanged,
    LinkedByEmail,
    New,
    Conflict,
    SameSystem,
    Ignored,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Matched => "matched",
            Outcome::Unchanged => "unchanged",
            Outcome::LinkedByEmail => "linked_by_email",
            Outcome::New => "new",
            Outcome::Conflict => "conflict",
            Outcome::SameSystem => "same_system",
            Outcome::Ignored => "ignored",
        }
    }
}

impl Step {
    pub fn outcome(&self) -> Outcome {
        match self {
            Step::Unchanged { .. } => Outcome::Unchanged,
            Step::Matched { .. } => Outcome::Matched,
            Step::Linked { .. } => Outcome::LinkedByEmail,
            Step::Created { .. } => Outcome::New,
            Step::Conflict { .. } => Outcome::Conflict,
            Step::SameSystem { .. } => Outcome::SameSystem,
            Step::Ignored { .. } => Outcome::Ignored,
        }
    }

    /// The employee the record ends on (none for a conflict).
    pub fn employee_id(&self) -> Option<i64> {
        match self {
            Step::Unchanged { employee_id, .. }
            | Step::Matched { employee_id, .. }
            | Step::Linked { employee_id, .. } => Some(*employee_id),
            Step::Created { profile, .. } => Some(profile.id),
            Step::Conflict { .. } | Step::SameSystem { .. } | Step::Ignored { .. } => None,
        }
    }
}

/// A new profile's name: the record's name, else the email's local part, else the
/// external ID; and which of them it is.
fn new_name(account: &AccountFields, external_id: &str) -> (String, NamedFrom) {
    fn given(v: Option<&str>) -> bool {
        v.is_some_and(|v| !v.trim().is_empty())
    }
    if given(account.name.as_deref()) {
        (
            fallback_name(account.name.as_deref(), None, external_id),
            NamedFrom::Name,
        )
    } else if given(
        account
            .email
            .as_deref()
            .and_then(|e| e.trim().split('@').next()),
    ) {
        (
            fallback_name(None, account.email.as_deref(), external_id),
            NamedFrom::Email,
        )
    } else {
        (external_id.to_owned(), NamedFrom::ExternalId)
    }
}

fn matches(known: u64, field: &Field<String>) -> bool {
    match field {
        Field::Absent => true,
        Field::Empty => known == fingerprint(None),
        Field::Value(v) => known == fingerprint(Some(v)),
    }
}

/// The same for a name, where a blank keeps what is there.
fn name_matches(known: u64, field: &Field<String>) -> bool {
    match field {
        Field::Absent | Field::Empty => true,
        Field::Value(v) => known == fingerprint(Some(v)),
    }
}

fn set(target: &mut Option<String>, field: &Field<String>) {
    match field {
        Field::Absent => {}
        Field::Empty => *target = None,
        Field::Value(v) => *target = Some(v.clone()),
    }
}

/// The account fields a new connection gets from a record.
fn account_of(r: &Record) -> AccountFields {
    AccountFields {
        email: r.email.value().cloned(),
        name: r.name.value().cloned(),
        picture_url: r.picture_url.value().cloned(),
        active: r.active.value().copied(),
    }
}

pub struct Planner {
    review: Review,
    next_id: i64,
    /// The accounts earlier rows linked or created.
    made: MadeAccounts,
}

impl Planner {
    /// `next_id` is the id the first new profile gets.
    pub fn new(review: Review, next_id: i64) -> Planner {
        Planner {
            review,
            next_id,
            made: MadeAccounts::new(next_id),
        }
    }

    /// Whether `employee` holds an account of the importing system: in the store, or
    /// from an earlier row (every profile the import created holds one).
    fn holds_system(&self, keys: &mut dyn Keys, employee: i64) -> Result<bool, Error> {
        Ok(self.made.of(employee).is_some() || keys.holds_system(employee)?)
    }

    /// The employee's accounts of the importing system, sorted.
    fn system_accounts(&self, keys: &mut dyn Keys, employee: i64) -> Result<Vec<String>, Error> {
        let mut all = keys.system_accounts(employee)?;
        all.extend(self.made.of(employee).map(str::to_owned));
        all.sort();
        Ok(all)
    }

    pub fn plan(&mut self, keys: &mut dyn Keys, r: &Record) -> Result<Step, Error> {
        // 1. By ID.
        if let Some(known) = keys.connection(&r.external_id) {
            return self.refresh(keys, &known, r);
        }
        // An account an admin ignored stays alone while its email is the same (a file
        // without an email column says nothing new about it).
        if let Some((item, then)) = keys.ignored(&r.external_id) {
            let same = match &r.email {
                Field::Absent => true,
                Field::Empty => then.is_none(),
                Field::Value(e) => then.as_deref() == Some(normalize_email(e).as_str()),
            };
            if same {
                return Ok(Step::Ignored { item });
            }
        }
        // 2. By email.
        let email = r.email.value();
        if let Some(email) = email {
            let norm = normalize_email(email);
            let holders = keys.emails()?.holders(&norm);
            let blocked = keys.blocked(&r.external_id);
            let decided =
                matching::decide(&holders, &blocked, &mut |id| self.holds_system(keys, id))?;
            match decided {
                EmailMatch::One(employee_id) => {
                    keys.emails()?.add(&norm, employee_id);
                    self.made.linked(employee_id, &r.external_id);
                    return Ok(Step::Linked {
                        employee_id,
                        account: NewAccount {
                            external_id: r.external_id.clone(),
                            fields: account_of(r),
                            manages: false,
                            origin: Origin::ImportEmail,
                            matched_value: email.clone(),
                        },
                    });
                }
                EmailMatch::SameSystem(candidate) => {
                    return Ok(Step::SameSystem {
                        email: email.clone(),
                        candidate,
                        other_accounts: self.system_accounts(keys, candidate)?,
                    });
                }
                EmailMatch::Many(candidates) => {
                    return Ok(Step::Conflict {
                        email: email.clone(),
                        candidates,
                    });
                }
                EmailMatch::None => {}
            }
        }
        // 3. New.
        let id = self.next_id;
        self.next_id += 1;
        self.made.created(id, &r.external_id);
        if let Some(email) = email {
            // Two sources: the primary email and the connection's email.
            let ix = keys.emails()?;
            let norm = normalize_email(email);
            ix.add(&norm, id);
            ix.add(&norm, id);
        }
        let fields = account_of(r);
        let status = if r.active.value() == Some(&false) {
            Status::Deactivated
        } else {
            self.review.new_profile_status()
        };
        let (name, named_from) = new_name(&fields, &r.external_id);
        Ok(Step::Created {
            profile: NewProfile {
                id,
                name,
                email: fields.email.clone(),
                picture_url: fields.picture_url.clone(),
                status,
            },
            account: NewAccount {
                external_id: r.external_id.clone(),
                fields,
                manages: true,
                origin: Origin::ImportNew,
                matched_value: r.external_id.clone(),
            },
            named_from,
        })
    }

    /// True when the record cannot change the connection nor (when it manages) its
    /// employee; decided from the fingerprints alone.
    fn surely_unchanged(known: &Known, r: &Record) -> bool {
        let account_same = matches(known.email, &r.email)
            && name_matches(known.name, &r.name)
            && matches(known.picture, &r.picture_url)
            && r.active.value().is_none_or(|a| known.active == Some(*a));
        account_same
            && (!known.manages
                || ((r.name.value().is_none() || known.name_in_sync)
                    && (!r.picture_url.given() || known.picture_in_sync)))
    }

    fn refresh(&mut self, keys: &mut dyn Keys, known: &Known, r: &Record) -> Result<Step, Error> {
        let employee_id = known.employee_id;
        // Blank is not a value for a name: it keeps the connection's name and the
        // managed profile's, and the report says so.
        let name_kept = r.name == Field::Empty && (known.named || known.manages);
        if Self::surely_unchanged(known, r) {
            return Ok(Step::Unchanged {
                employee_id,
                name_kept,
            });
        }
        let cur = keys.current(known)?;
        let mut account = cur.account.clone();
        set(&mut account.email, &r.email);
        if let Field::Value(n) = &r.name {
            account.name = Some(n.clone());
        }
        set(&mut account.picture_url, &r.picture_url);
        if let Some(a) = r.active.value() {
            account.active = Some(*a);
        }
        let mut profile = cur.profile.clone();
        if known.manages {
            if let Field::Value(n) = &r.name {
                profile.name = n.clone();
            }
            if r.picture_url.given() {
                profile.picture_url = account.picture_url.clone();
            }
            // The status follows the system when its flag changes; an admin's later
            // decision (activate, deactivate, discard) stands until it changes again.
            if let Some(&a) = r.active.value()
                && cur.account.active != Some(a)
            {
                profile.status = match (a, profile.status) {
                    (false, _) => Status::Deactivated,
                    (true, Status::Deactivated) => Status::Active,
                    (true, s) => s,
                };
            }
        }
        let search_changed = account.email != cur.account.email || profile.name != cur.profile.name;
        let account = (account != cur.account).then_some(account);
        let profile = (profile != cur.profile).then_some(profile);
        if account.is_none() && profile.is_none() {
            return Ok(Step::Unchanged {
                employee_id,
                name_kept,
            });
        }
        if let Some(a) = &account {
            let old = cur.account.email.as_deref().map(normalize_email);
            let new = a.email.as_deref().map(normalize_email);
            if old != new {
                let ix = keys.emails()?;
                if let Some(o) = old {
                    ix.remove(&o, employee_id);
                }
                if let Some(n) = new {
                    ix.add(&n, employee_id);
                }
            }
        }
        Ok(Step::Matched {
            conn_id: known.conn_id,
            employee_id,
            before: Box::new(cur),
            account,
            profile,
            search_changed,
            name_kept,
        })
    }
}

/// A record that was not linked because its email is held by several employees.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConflictRow {
    pub row: u64,
    pub external_id: String,
    pub email: String,
    pub candidates: Vec<i64>,
    pub kind: ConflictKind,
    /// For `same_system`: the candidate's accounts of the system, sorted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_accounts: Option<Vec<String>>,
}

/// Why a record was neither linked nor created (README "Importing › The rules"; docs/review.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Several profiles hold the email.
    Conflict,
    /// The one profile holding the email holds another account of the same system.
    SameSystem,
}

impl ConflictKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::Conflict => "conflict",
            ConflictKind::SameSystem => "same_system",
        }
    }
}

/// The counts of the import's report (README "Importing › The report").
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    pub rows: u64,
    /// Found by ID, changed or not.
    pub matched: u64,
    /// The matched rows that changed nothing.
    pub unchanged: u64,
    /// Employees whose name, picture or status the managing system changed.
    pub profiles_updated: u64,
    pub linked_by_email: u64,
    pub created: u64,
    pub conflicts: Vec<ConflictRow>,
    /// Rows whose blank name kept the name stored (a blank is not a name).
    pub names_kept: Vec<u64>,
    /// Rows that created a profile named from the email's local part (no name given).
    pub named_from_email: Vec<u64>,
    /// Rows that created a profile named by its external ID (neither name nor email).
    pub named_from_id: Vec<u64>,
    /// Rows the system marks as not people (bots, guests, customers): not imported.
    pub skipped: super::skipped::Skipped,
    /// Rows of accounts an admin chose to ignore in the review inbox: left alone.
    pub ignored: Vec<u64>,
}

impl Tally {
    /// The report's lines, as the command line and the app show them: label, count,
    /// what it means. Skipped rows are a line when there are any.
    pub fn report_lines(&self) -> Vec<(&'static str, u64, &'static str)> {
        let mut lines = vec![
            ("rows", self.rows, ""),
            ("matched", self.matched, "found by external ID"),
            (
                "unchanged",
                self.unchanged,
                "matched rows that change nothing",
            ),
            (
                "profiles updated",
                self.profiles_updated,
                "name, picture or status set by the managing system",
            ),
            (
                "linked by email",
                self.linked_by_email,
                "accounts linked to a profile",
            ),
            ("created", self.created, "new profiles"),
            (
                "conflicts",
                self.conflicts.len() as u64,
                "not linked, not created: kept for review",
            ),
        ];
        if !self.ignored.is_empty() {
            lines.push((
                "ignored",
                self.ignored.len() as u64,
                "accounts an admin chose to leave alone (review inbox)",
            ));
        }
        if self.skipped.count > 0 {
            lines.push((
                "skipped",
                self.skipped.count,
                "not people (bots, guests, customers): not imported",
            ));
        }
        lines
    }

    pub fn add(&mut self, r: &Record, step: &Step) {
        self.rows += 1;
        match step {
            Step::Unchanged { name_kept, .. } => {
                self.matched += 1;
                self.unchanged += 1;
                if *name_kept {
                    self.names_kept.push(r.row);
                }
            }
            Step::Matched {
                profile, name_kept, ..
            } => {
                self.matched += 1;
                if profile.is_some() {
                    self.profiles_updated += 1;
                }
                if *name_kept {
                    self.names_kept.push(r.row);
                }
            }
            Step::Linked { .. } => self.linked_by_email += 1,
            Step::Created { named_from, .. } => {
                self.created += 1;
                match named_from {
                    NamedFrom::Name => {}
                    NamedFrom::Email => self.named_from_email.push(r.row),
                    NamedFrom::ExternalId => self.named_from_id.push(r.row),
                }
            }
            Step::Conflict { email, candidates } => self.conflicts.push(ConflictRow {
                row: r.row,
                external_id: r.external_id.clone(),
                email: email.clone(),
                candidates: candidates.clone(),
                kind: ConflictKind::Conflict,
                other_accounts: None,
            }),
            Step::SameSystem {
                email,
                candidate,
                other_accounts,
            } => self.conflicts.push(ConflictRow {
                row: r.row,
                external_id: r.external_id.clone(),
                email: email.clone(),
                candidates: vec![*candidate],
                kind: ConflictKind::SameSystem,
                other_accounts: Some(other_accounts.clone()),
            }),
            Step::Ignored { .. } => self.ignored.push(r.row),
        }
    }
}

#[cfg(test)]
mod tests;
