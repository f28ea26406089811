//! A dry run's plan, row by row (README "Importing"): what each record does, the fields it changes
//! (before → after), and for a link or a conflict the candidate profiles by name. A plan
//! may have a million rows: the first rows stay in memory (the app shows those), the
//! rest go to a temporary file as JSON lines and are read back while the report is
//! written, so a dry run's memory does not grow with the file.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};

use crate::domain::planner::{AccountFields, NamedFrom, Outcome, Record, Step};
use crate::error::Error;

/// One row of a dry run's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRow {
    pub row: u64,
    pub external_id: String,
    pub outcome: Outcome,
    /// The profile the record ends on (none for a conflict).
    pub employee_id: Option<i64>,
    /// That profile's name where the plan knows it without a lookup (matched, new,
    /// linked); null for unchanged rows and conflicts.
    pub employee_name: Option<String>,
    /// The fields the row changes, profile first, then account.
    pub changes: Vec<Change>,
    /// For a link, a conflict or a same_system conflict: the profiles by id and name.
    pub candidates: Vec<Candidate>,
    /// For a same_system conflict: the candidate's accounts of the system.
    pub other_accounts: Option<Vec<String>>,
    /// For a new profile: where its name comes from (`name`, `email`, `external_id`).
    pub named_from: Option<NamedFrom>,
    /// The record's name was blank and a stored name was kept.
    pub name_kept: bool,
}

/// A field before → after. `of`: `profile` (the employee as the table shows it) or
/// `account` (what the connection holds from its system).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub of: String,
    pub field: String,
    pub before: Option<FieldValue>,
    pub after: Option<FieldValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    Flag(bool),
    Text(String),
}

impl std::fmt::Display for FieldValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldValue::Flag(b) => write!(f, "{b}"),
            FieldValue::Text(t) => f.write_str(t),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: i64,
    /// None when the profile cannot be found (never in practice).
    pub name: Option<String>,
}

impl Candidate {
    /// "Jane Doe (#4)" (not yet escaped for a terminal).
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) => format!("{n} (#{})", self.id),
            None => format!("#{}", self.id),
        }
    }
}

impl PlanRow {
    /// The profile the row ends on, or its candidates, for people (not yet escaped for
    /// a terminal): "Jane Doe (#4)", "Ann (#1), which has HubSpot account h-1".
    pub fn who(&self, system: &str) -> String {
        let candidates = || {
            self.candidates
                .iter()
                .map(Candidate::label)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut text = match self.outcome {
            Outcome::Conflict => candidates(),
            Outcome::Ignored => "an admin ignored it in the review inbox: left alone".to_owned(),
            Outcome::SameSystem => format!(
                "{}, which has {system} account {}",
                candidates(),
                self.other_accounts
                    .as_deref()
                    .unwrap_or_default()
                    .join(", ")
            ),
            _ => match (self.employee_id, &self.employee_name) {
                (Some(id), Some(name)) => format!("{name} (#{id})"),
                (Some(id), None) => format!("#{id}"),
                (None, _) => String::new(),
            },
        };
        match self.named_from {
            Some(NamedFrom::Email) => text.push_str(", named from its email"),
            Some(NamedFrom::ExternalId) => text.push_str(", named by its external ID"),
            _ => {}
        }
        if self.name_kept {
            text.push_str(", blank name: the name stored is kept");
        }
        text
    }
}

impl Change {
    /// "name: Kira Müller → Kira M.", "account email: → jo@x.io", "picture url:
    /// https://p/1 → (none)" (not yet escaped for a terminal).
    pub fn text(&self) -> String {
        let value = |v: &Option<FieldValue>| v.as_ref().map(ToString::to_string);
        let of = if self.of == "account" { "account " } else { "" };
        let before = value(&self.before)
            .map(|b| format!("{b} "))
            .unwrap_or_default();
        format!(
            "{of}{}: {before}→ {}",
            self.field.replace('_', " "),
            value(&self.after).unwrap_or_else(|| "(none)".to_owned())
        )
    }
}

fn text(v: &Option<String>) -> Option<FieldValue> {
    v.clone().map(FieldValue::Text)
}

fn push(
    out: &mut Vec<Change>,
    of: &str,
    field: &str,
    before: Option<FieldValue>,
    after: Option<FieldValue>,
) {
    if before != after {
        out.push(Change {
            of: of.to_owned(),
            field: field.to_owned(),
            before,
            after,
        });
    }
}

/// An account's fields as changes from nothing (a new connection) or from `before`.
fn account_changes(out: &mut Vec<Change>, before: Option<&AccountFields>, after: &AccountFields) {
    let empty = AccountFields::default();
    let b = before.unwrap_or(&empty);
    push(out, "account", "email", text(&b.email), text(&after.email));
    push(out, "account", "name", text(&b.name), text(&after.name));
    push(
        out,
        "account",
        "picture_url",
        text(&b.picture_url),
        text(&after.picture_url),
    );
    push(
        out,
        "account",
        "active",
        b.active.map(FieldValue::Flag),
        after.active.map(FieldValue::Flag),
    );
}

/// The names of profiles for the plan, as they are when the row is planned: from the
/// store, or (in a dry run, where nothing was written) as earlier rows created or
/// renamed them. Created ids are consecutive from `first_new`, so their names sit in
/// one string.
pub struct Names<'c> {
    db: &'c Connection,
    first_new: i64,
    created: String,
    ends: Vec<usize>,
    /// Profiles an earlier row renamed (their managing account's new name).
    renamed: HashMap<i64, String>,
}

impl<'c> Names<'c> {
    pub fn new(db: &'c Connection, first_new: i64) -> Names<'c> {
        Names {
            db,
            first_new,
            created: String::new(),
            ends: Vec::new(),
            renamed: HashMap::new(),
        }
    }

    fn created(&mut self, name: &str) {
        self.created.push_str(name);
        self.ends.push(self.created.len());
    }

    pub fn of(&self, id: i64) -> Result<Option<String>, Error> {
        if let Some(n) = self.renamed.get(&id) {
            return Ok(Some(n.clone()));
        }
        if id >= self.first_new
            && let Ok(i) = usize::try_from(id - self.first_new)
            && let Some(end) = self.ends.get(i)
        {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            return Ok(Some(self.created[start..*end].to_owned()));
        }
        Ok(self
            .db
            .prepare_cached("SELECT name FROM employees WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    fn candidate(&self, id: i64) -> Result<Candidate, Error> {
        Ok(Candidate {
            id,
            name: self.of(id)?,
        })
    }
}

/// The plan's row of one record.
pub fn row_of(r: &Record, step: &Step, names: &mut Names<'_>) -> Result<PlanRow, Error> {
    let mut row = PlanRow {
        row: r.row,
        external_id: r.external_id.clone(),
        outcome: step.outcome(),
        employee_id: step.employee_id(),
        employee_name: None,
        changes: Vec::new(),
        candidates: Vec::new(),
        other_accounts: None,
        named_from: None,
        name_kept: false,
    };
    match step {
        Step::Ignored { .. } => {}
        Step::Unchanged { name_kept, .. } => row.name_kept = *name_kept,
        Step::Matched {
            employee_id,
            before,
            account,
            profile,
            name_kept,
            ..
        } => {
            row.name_kept = *name_kept;
            row.employee_name = Some(before.profile.name.clone());
            if let Some(p) = profile {
                let b = &before.profile;
                if p.name != b.name {
                    names.renamed.insert(*employee_id, p.name.clone());
                }
                push(
                    &mut row.changes,
                    "profile",
                    "name",
                    Some(FieldValue::Text(b.name.clone())),
                    Some(FieldValue::Text(p.name.clone())),
                );
                push(
                    &mut row.changes,
                    "profile",
                    "picture_url",
                    text(&b.picture_url),
                    text(&p.picture_url),
                );
                push(
                    &mut row.changes,
                    "profile",
                    "status",
                    Some(FieldValue::Text(b.status.as_str().to_owned())),
                    Some(FieldValue::Text(p.status.as_str().to_owned())),
                );
            }
            if let Some(a) = account {
                account_changes(&mut row.changes, Some(&before.account), a);
            }
        }
        Step::Linked {
            employee_id,
            account,
        } => {
            let c = names.candidate(*employee_id)?;
            row.employee_name = c.name.clone();
            row.candidates.push(c);
            account_changes(&mut row.changes, None, &account.fields);
        }
        Step::Created {
            profile,
            named_from,
            ..
        } => {
            names.created(&profile.name);
            row.employee_name = Some(profile.name.clone());
            row.named_from = Some(*named_from);
            push(
                &mut row.changes,
                "profile",
                "name",
                None,
                Some(FieldValue::Text(profile.name.clone())),
            );
            push(
                &mut row.changes,
                "profile",
                "email",
                None,
                text(&profile.email),
            );
            push(
                &mut row.changes,
                "profile",
                "picture_url",
                None,
                text(&profile.picture_url),
            );
            push(
                &mut row.changes,
                "profile",
                "status",
                None,
                Some(FieldValue::Text(profile.status.as_str().to_owned())),
            );
        }
        Step::Conflict { candidates, .. } => {
            for id in candidates {
                row.candidates.push(names.candidate(*id)?);
            }
        }
        Step::SameSystem {
            candidate,
            other_accounts,
            ..
        } => {
            row.candidates.push(names.candidate(*candidate)?);
            row.other_accounts = Some(other_accounts.clone());
        }
    }
    Ok(row)
}

/// How many rows stay in memory; the rest go to the temporary file.
const HEAD: usize = 1024;

/// The plan's rows: the first in memory, the rest in a temporary file.
#[derive(Debug, Default)]
pub struct Plan {
    head: Vec<PlanRow>,
    spool: Option<BufWriter<File>>,
    len: u64,
}

impl Plan {
    pub fn push(&mut self, row: PlanRow) -> Result<(), Error> {
        self.len += 1;
        if self.head.len() < HEAD && self.spool.is_none() {
            self.head.push(row);
            return Ok(());
        }
        if self.spool.is_none() {
            self.spool = Some(BufWriter::new(tempfile::tempfile().map_err(|e| {
                Error::Io(format!(
                    "Cannot write the dry run's plan to a temporary file: {e}."
                ))
            })?));
        }
        let w = self.spool.as_mut().expect("opened above");
        serde_json::to_writer(&mut *w, &row)?;
        w.write_all(b"\n").map_err(spool_error)
    }

    /// Every row, in file order.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first rows (all of them for a plan of up to a thousand rows).
    pub fn head(&self) -> &[PlanRow] {
        &self.head
    }

    /// Keeps the first `n` rows only (the app shows no more); `len` still counts all.
    pub fn keep_head(&mut self, n: usize) {
        self.head.truncate(n);
        self.head.shrink_to_fit();
        self.spool = None;
    }

    /// Every row in file order, read back from the temporary file past the first.
    pub fn rows(&self) -> Result<impl Iterator<Item = Result<PlanRow, Error>> + '_, Error> {
        let rest = match &self.spool {
            Some(w) => {
                let mut f = w.get_ref().try_clone().map_err(spool_error)?;
                f.flush().map_err(spool_error)?;
                f.seek(SeekFrom::Start(0)).map_err(spool_error)?;
                Some(BufReader::new(f).lines().map(|line| {
                    let line = line.map_err(spool_error)?;
                    Ok(serde_json::from_str(&line)?)
                }))
            }
            None => None,
        };
        Ok(self
            .head
            .iter()
            .cloned()
            .map(Ok)
            .chain(rest.into_iter().flatten()))
    }

    /// Writes what is buffered, so that `rows` reads every row.
    pub fn finish(&mut self) -> Result<(), Error> {
        if let Some(w) = self.spool.as_mut() {
            w.flush().map_err(spool_error)?;
        }
        Ok(())
    }
}

fn spool_error(e: std::io::Error) -> Error {
    Error::Io(format!(
        "Cannot read or write the dry run's plan in its temporary file: {e}."
    ))
}

impl Serialize for Plan {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq};
        let mut seq = s.serialize_seq(Some(self.len as usize))?;
        for row in self.rows().map_err(S::Error::custom)? {
            seq.serialize_element(&row.map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: u64) -> PlanRow {
        PlanRow {
            row: n,
            external_id: format!("x{n}"),
            outcome: Outcome::New,
            employee_id: Some(n as i64),
            employee_name: Some(format!("P{n}")),
            changes: vec![Change {
                of: "profile".into(),
                field: "name".into(),
                before: None,
                after: Some(FieldValue::Text(format!("P{n}"))),
            }],
            candidates: Vec::new(),
            other_accounts: None,
            named_from: Some(NamedFrom::Name),
            name_kept: false,
        }
    }

    #[test]
    fn a_long_plan_goes_to_its_file_and_comes_back_in_order() {
        let mut plan = Plan::default();
        for n in 1..=3000 {
            plan.push(row(n)).unwrap();
        }
        plan.finish().unwrap();
        assert_eq!(plan.len(), 3000);
        assert_eq!(plan.head().len(), HEAD);
        assert!(plan.spool.is_some(), "rows past the head are not held");
        for _ in 0..2 {
            let back: Vec<PlanRow> = plan.rows().unwrap().map(Result::unwrap).collect();
            assert_eq!(back.len(), 3000);
            assert!(
                back.iter()
                    .enumerate()
                    .all(|(i, r)| *r == row(i as u64 + 1))
            );
        }
        let json = serde_json::to_value(&plan).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 3000);
        assert_eq!(json[2999]["external_id"], "x3000");
        plan.keep_head(51);
        assert_eq!(plan.rows().unwrap().count(), 51);
        assert_eq!(plan.len(), 3000, "the count stays");
    }

    #[test]
    fn changes_read_before_arrow_after() {
        let c = |of: &str, field: &str, b: Option<&str>, a: Option<FieldValue>| Change {
            of: of.into(),
            field: field.into(),
            before: b.map(|b| FieldValue::Text(b.into())),
            after: a,
        };
        assert_eq!(
            c(
                "profile",
                "name",
                Some("Kira Müller"),
                Some(FieldValue::Text("Kira M.".into()))
            )
            .text(),
            "name: Kira Müller → Kira M."
        );
        assert_eq!(
            c(
                "account",
                "email",
                None,
                Some(FieldValue::Text("jo@x.io".into()))
            )
            .text(),
            "account email: → jo@x.io"
        );
        assert_eq!(
            c("profile", "picture_url", Some("https://p/1"), None).text(),
            "picture url: https://p/1 → (none)"
        );
        assert_eq!(
            Change {
                of: "account".into(),
                field: "active".into(),
                before: Some(FieldValue::Flag(true)),
                after: Some(FieldValue::Flag(false)),
            }
            .text(),
            "account active: true → false"
        );
    }
}
