//! The history of imports (`roster imports [N]`, the pane's "came from"): each run as
//! recorded, and what one run did, account by account, read from its journal (README
//! "Commands"; docs/import.md "Undo of an import" describes the journal).

use serde::Serialize;

use super::Service;
pub use crate::domain::import_run::ImportRun;
use crate::error::Error;
use crate::store::employees;
use crate::store::import_runs::{self, JournalRow};

/// One field an import changed: as it was before, and as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: Option<String>,
    pub now: Option<String>,
}

/// One thing a run did (`roster imports N --json`: `lines`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunLine {
    /// `created` (a new profile with its account), `linked` (an account linked by email),
    /// `updated` (an account's or its profile's fields), `review` (an item of the inbox).
    pub action: &'static str,
    pub employee_id: Option<i64>,
    /// The profile's name now (null when it is gone).
    pub employee: Option<String>,
    pub system: Option<String>,
    pub external_id: Option<String>,
    /// `updated`: each field before → now. An account's fields are `email`, `name`,
    /// `picture_url`; its profile's `profile_name`, `profile_picture`, `status`.
    pub changes: Vec<FieldChange>,
    pub review_item: Option<i64>,
    /// `review`: "raised", "refreshed" or "settled", and the item's kind.
    pub review_change: Option<String>,
    pub review_kind: Option<String>,
}

/// What one run did (`roster imports N`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportRunDetail {
    pub run: ImportRun,
    pub lines: Vec<RunLine>,
}

/// The profiles one run created: ids `first..=last` (an import's new profiles have
/// consecutive ids), by `run` of `system` at `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedSpan {
    pub first: i64,
    pub last: i64,
    pub run: i64,
    pub system: String,
    pub at: String,
}

/// Which span holds profile `id` (`spans` sorted by `first`, as `created_spans` gives).
pub fn span_of(spans: &[CreatedSpan], id: i64) -> Option<&CreatedSpan> {
    let i = spans.partition_point(|s| s.first <= id);
    spans[..i].last().filter(|s| id <= s.last)
}

/// Runs `roster imports` lists by default.
pub const RUNS_LISTED: usize = 50;

impl Service {
    /// The newest `limit` import runs, newest first.
    pub fn import_runs(&mut self, limit: usize) -> Result<Vec<ImportRun>, Error> {
        self.store.read(|db| {
            Ok(import_runs::list(db, limit)?
                .into_iter()
                .map(|r| r.run)
                .collect())
        })
    }

    /// What every import that is not undone created, as id ranges (few: one per run),
    /// for the Pending tab's "Came from" column.
    pub fn created_spans(&mut self) -> Result<Vec<CreatedSpan>, Error> {
        self.store.read(|db| {
            Ok(import_runs::created_spans(db)?
                .into_iter()
                .map(|(first, last, run, system, at)| CreatedSpan {
                    first,
                    last,
                    run,
                    system,
                    at,
                })
                .collect())
        })
    }

    /// The import run that created profile `employee`, when one did.
    pub fn created_by_import(&mut self, employee: i64) -> Result<Option<ImportRun>, Error> {
        self.store
            .read(|db| Ok(import_runs::creator_of(db, employee)?.map(|r| r.run)))
    }

    /// What run `id` did: the profiles it created, then the links, updates and review
    /// items in file order. A run that was undone kept nothing to show.
    pub fn import_run(&mut self, id: i64) -> Result<ImportRunDetail, Error> {
        self.store.read(|db| {
            let Some(row) = import_runs::get(db, id)? else {
                let newest = import_runs::list(db, 1)?;
                return Err(Error::Invalid(match newest.first() {
                    Some(r) => format!(
                        "There is no import run #{id}; the runs are #1 to #{} (roster imports lists them).",
                        r.run.id
                    ),
                    None => format!("There is no import run #{id}: nothing was imported yet."),
                }));
            };
            let mut lines = Vec::new();
            if let (Some((first, last)), None) = (row.created_ids, row.run.undone_by) {
                for (eid, name, _status, external_id) in
                    import_runs::created_profiles(db, first, last, &row.run.system)?
                {
                    lines.push(RunLine {
                        action: "created",
                        employee_id: Some(eid),
                        employee: Some(name),
                        system: Some(row.run.system.clone()),
                        external_id,
                        changes: Vec::new(),
                        review_item: None,
                        review_change: None,
                        review_kind: None,
                    });
                }
            }
            for j in import_runs::journal(db, id)? {
                lines.push(journal_line(db, j)?);
            }
            Ok(ImportRunDetail {
                run: row.run,
                lines,
            })
        })
    }
}

fn journal_line(db: &rusqlite::Connection, j: JournalRow) -> Result<RunLine, Error> {
    let account = match j.connection_id {
        Some(c) => import_runs::account(db, c)?,
        None => None,
    };
    let employee = match j.employee_id {
        Some(e) => employees::get(db, e)?,
        None => None,
    };
    let mut changes = Vec::new();
    if j.account_changed {
        let (email, name) = account
            .as_ref()
            .map(|(_, _, e, n)| (e.clone(), n.clone()))
            .unwrap_or_default();
        let picture: Option<String> = match j.connection_id {
            Some(c) => db
                .query_row(
                    "SELECT picture_url FROM connections WHERE id = ?1",
                    [c],
                    |r| r.get(0),
                )
                .ok()
                .flatten(),
            None => None,
        };
        push_change(&mut changes, "email", j.email, email);
        push_change(&mut changes, "name", j.name, name);
        push_change(&mut changes, "picture_url", j.picture_url, picture);
    }
    if j.profile_changed {
        let e = employee.as_ref();
        push_change(
            &mut changes,
            "profile_name",
            j.profile_name,
            e.map(|e| e.name.clone()),
        );
        push_change(
            &mut changes,
            "profile_picture",
            j.profile_picture,
            e.and_then(|e| e.picture_url.clone()),
        );
        push_change(
            &mut changes,
            "status",
            j.profile_status,
            e.map(|e| e.status.to_string()),
        );
    }
    let action = match j.kind.as_str() {
        "link" => "linked",
        "update" => "updated",
        _ => "review",
    };
    let review_kind = match j.review_item {
        Some(i) => import_runs::review_kind(db, i)?,
        None => None,
    };
    Ok(RunLine {
        action,
        employee_id: j.employee_id,
        employee: employee.map(|e| e.name),
        system: account.as_ref().map(|a| a.0.clone()),
        external_id: account.map(|a| a.1),
        changes,
        review_item: j.review_item,
        review_change: j.review_change,
        review_kind,
    })
}

/// A field whose value before differs from its value now (one the import changed and
/// nothing changed back).
fn push_change(
    out: &mut Vec<FieldChange>,
    field: &'static str,
    before: Option<String>,
    now: Option<String>,
) {
    if before != now {
        out.push(FieldChange { field, before, now });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(first: i64, last: i64, run: i64) -> CreatedSpan {
        CreatedSpan {
            first,
            last,
            run,
            system: "hubspot".into(),
            at: "then".into(),
        }
    }

    #[test]
    fn span_of_finds_the_run_whose_range_holds_the_id() {
        let spans = [span(3, 5, 1), span(9, 9, 2), span(12, 20, 4)];
        let run = |id| span_of(&spans, id).map(|s| s.run);
        assert_eq!(run(1), None);
        assert_eq!(run(3), Some(1));
        assert_eq!(run(5), Some(1));
        assert_eq!(run(6), None, "made by hand between two imports");
        assert_eq!(run(9), Some(2));
        assert_eq!(run(20), Some(4));
        assert_eq!(run(21), None);
        assert_eq!(span_of(&[], 4), None);
    }
}
