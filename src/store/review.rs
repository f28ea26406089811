//! The review inbox's items (docs/review.md): raised by imports for the accounts they
//! could not place (`conflict`, `same_system`), one open item per (kind, subject), closed
//! (never deleted) when settled. The inbox, its resolutions and the duplicate scan build
//! on these rows.

use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

pub use crate::domain::review::{
    Closed, Closing, InboxItem, Item, ItemAccount, ItemId, ItemState, Kind,
};
use crate::error::Error;

/// The subject of an item about one account: `system:external_id` (system keys hold no
/// colon).
pub fn account_subject(system: &str, external_id: &str) -> String {
    format!("{system}:{external_id}")
}

/// An item as an import raises (or meets again) it.
#[derive(Debug, Clone)]
pub struct Raise<'a> {
    pub kind: Kind,
    pub subject: String,
    pub reason: String,
    pub at: &'a str,
    pub import_run: Option<i64>,
    pub accounts: Vec<ItemAccount>,
    pub profiles: Vec<i64>,
}

/// An item as it is stored, for the undo of the import that refreshed it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    pub reason: String,
    pub seen_at: String,
    pub seen_run: Option<i64>,
    pub accounts: Vec<ItemAccount>,
    pub profiles: Vec<i64>,
}

/// What `raise` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Raised {
    New(i64),
    /// The open item of the same case, refreshed; with what it held before.
    Refreshed(i64, Box<Snapshot>),
    /// The open item of the same case, met again as it was: only when it was last seen
    /// moved on. Not a change an import can be taken back for.
    Seen(i64, Box<Snapshot>),
}

/// Raises an item, or refreshes the open item of the same (kind, subject).
pub fn raise(db: &Connection, item: &Raise<'_>) -> Result<Raised, Error> {
    let open: Option<i64> = db
        .prepare_cached(
            "SELECT id FROM review_items WHERE kind = ?1 AND subject = ?2 AND closed_at IS NULL",
        )?
        .query_row(params![item.kind.as_str(), item.subject], |r| r.get(0))
        .optional()?;
    let raised = match open {
        Some(id) => {
            let before = snapshot(db, id)?;
            db.prepare_cached(
                "UPDATE review_items SET reason = ?2, seen_at = ?3, seen_run = ?4 WHERE id = ?1",
            )?
            .execute(params![id, item.reason, item.at, item.import_run])?;
            let mut profiles = item.profiles.clone();
            profiles.sort_unstable();
            // The reason is text made from the same facts and names the import run, so
            // it differs each time: the accounts and profiles say whether it is the same.
            if before.accounts == item.accounts && before.profiles == profiles {
                Raised::Seen(id, Box::new(before))
            } else {
                Raised::Refreshed(id, Box::new(before))
            }
        }
        None => {
            db.prepare_cached(
                "INSERT INTO review_items (kind, subject, reason, raised_at, import_run, seen_at, seen_run)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5)",
            )?
            .execute(params![
                item.kind.as_str(),
                item.subject,
                item.reason,
                item.at,
                item.import_run
            ])?;
            Raised::New(db.last_insert_rowid())
        }
    };
    let id = match &raised {
        Raised::New(id) | Raised::Refreshed(id, _) | Raised::Seen(id, _) => *id,
    };
    set_children(db, id, &item.accounts, &item.profiles)?;
    Ok(raised)
}

fn set_children(
    db: &Connection,
    id: i64,
    accounts: &[ItemAccount],
    profiles: &[i64],
) -> Result<(), Error> {
    db.prepare_cached("DELETE FROM review_accounts WHERE item_id = ?1")?
        .execute([id])?;
    db.prepare_cached("DELETE FROM review_profiles WHERE item_id = ?1")?
        .execute([id])?;
    let mut add = db.prepare_cached(
        "INSERT INTO review_accounts (item_id, pos, role, system, external_id, email, name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (pos, a) in accounts.iter().enumerate() {
        add.execute(params![
            id,
            pos as i64,
            a.role,
            a.system,
            a.external_id,
            a.email,
            a.name
        ])?;
    }
    let mut add = db.prepare_cached(
        "INSERT OR IGNORE INTO review_profiles (item_id, employee_id) VALUES (?1, ?2)",
    )?;
    for p in profiles {
        add.execute(params![id, p])?;
    }
    Ok(())
}

/// What an item holds now (besides its kind and subject, which never change).
pub fn snapshot(db: &Connection, id: i64) -> Result<Snapshot, Error> {
    let (reason, seen_at, seen_run) = db
        .prepare_cached("SELECT reason, seen_at, seen_run FROM review_items WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let accounts = db
        .prepare_cached(
            "SELECT role, system, external_id, email, name FROM review_accounts
             WHERE item_id = ?1 ORDER BY pos",
        )?
        .query_map([id], |r| {
            Ok(ItemAccount {
                role: r.get(0)?,
                system: r.get(1)?,
                external_id: r.get(2)?,
                email: r.get(3)?,
                name: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let profiles = db
        .prepare_cached(
            "SELECT employee_id FROM review_profiles WHERE item_id = ?1 ORDER BY employee_id",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Snapshot {
        reason,
        seen_at,
        seen_run,
        accounts,
        profiles,
    })
}

/// Puts an item back as `before` held it (the undo of a refresh).
pub fn restore(db: &Connection, id: i64, before: &Snapshot) -> Result<(), Error> {
    db.prepare_cached(
        "UPDATE review_items SET reason = ?2, seen_at = ?3, seen_run = ?4 WHERE id = ?1",
    )?
    .execute(params![id, before.reason, before.seen_at, before.seen_run])?;
    set_children(db, id, &before.accounts, &before.profiles)
}

/// Closes an open item.
pub fn close(
    db: &Connection,
    id: i64,
    at: &str,
    by: &str,
    why: Closed,
    note: &str,
) -> Result<(), Error> {
    db.prepare_cached(
        "UPDATE review_items SET closed_at = ?2, closed_by = ?3, closed_why = ?4, closed_note = ?5
         WHERE id = ?1 AND closed_at IS NULL",
    )?
    .execute(params![id, at, by, why.as_str(), note])?;
    Ok(())
}

/// Opens a closed item again (the undo of an import that settled it).
pub fn reopen(db: &Connection, id: i64) -> Result<(), Error> {
    db.prepare_cached(
        "UPDATE review_items
         SET closed_at = NULL, closed_by = NULL, closed_why = NULL, closed_note = NULL
         WHERE id = ?1",
    )?
    .execute([id])?;
    Ok(())
}

/// The open items about accounts of `system`, by external ID: (item id, kind).
pub fn open_for_system(
    db: &Connection,
    system: &str,
) -> Result<HashMap<String, Vec<(i64, Kind)>>, Error> {
    let prefix = account_subject(system, "");
    let mut out: HashMap<String, Vec<(i64, Kind)>> = HashMap::new();
    let mut stmt = db.prepare_cached(
        "SELECT id, kind, subject FROM review_items
         WHERE closed_at IS NULL AND kind IN ('conflict', 'same_system')
           AND subject >= ?1 AND subject < ?2",
    )?;
    // Every subject that starts with "system:" sorts between "system:" and "system;".
    let end = format!("{system};");
    let mut rows = stmt.query(params![prefix, end])?;
    while let Some(r) = rows.next()? {
        let subject: String = r.get(2)?;
        let kind: String = r.get(1)?;
        if let (Some(external_id), Some(kind)) = (subject.strip_prefix(&prefix), Kind::parse(&kind))
        {
            out.entry(external_id.to_owned())
                .or_default()
                .push((r.get(0)?, kind));
        }
    }
    Ok(out)
}

/// The items, newest first; only the open ones when `open_only`.
pub fn items(db: &Connection, open_only: bool) -> Result<Vec<Item>, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT id, kind, subject, reason, raised_at, import_run, seen_at, seen_run,
                closed_at, closed_by, closed_why, closed_note
         FROM review_items WHERE closed_at IS NULL OR NOT ?1 ORDER BY id DESC",
    )?;
    let mut out = stmt
        .query_map([open_only], |r| {
            Ok(Item {
                id: r.get(0)?,
                kind: r.get(1)?,
                subject: r.get(2)?,
                reason: r.get(3)?,
                accounts: Vec::new(),
                profiles: Vec::new(),
                raised_at: r.get(4)?,
                import_run: r.get(5)?,
                seen_at: r.get(6)?,
                seen_run: r.get(7)?,
                closed_at: r.get(8)?,
                closed_by: r.get(9)?,
                closed_why: r.get(10)?,
                closed_note: r.get(11)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for item in &mut out {
        let s = snapshot(db, item.id)?;
        item.accounts = s.accounts;
        item.profiles = s.profiles;
    }
    Ok(out)
}

/// An item's kind, subject and closing, as a change's row image sees it.
pub fn state(db: &Connection, id: i64) -> Result<Option<ItemState>, Error> {
    Ok(db
        .prepare_cached(
            "SELECT id, kind, subject, closed_at, closed_by, closed_why, closed_note
             FROM review_items WHERE id = ?1",
        )?
        .query_row([id], |r| {
            let at: Option<String> = r.get(3)?;
            Ok(ItemState {
                id: r.get(0)?,
                kind: r.get(1)?,
                subject: r.get(2)?,
                closed: match at {
                    Some(at) => Some(Closing {
                        at,
                        by: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                        why: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                        note: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    }),
                    None => None,
                },
            })
        })
        .optional()?)
}

/// Writes an item's closing (`None` opens it again).
pub fn set_state(db: &Connection, s: &ItemState) -> Result<(), Error> {
    let c = s.closed.as_ref();
    db.prepare_cached(
        "UPDATE review_items SET closed_at = ?2, closed_by = ?3, closed_why = ?4, closed_note = ?5
         WHERE id = ?1",
    )?
    .execute(params![
        s.id,
        c.map(|c| &c.at),
        c.map(|c| &c.by),
        c.map(|c| &c.why),
        c.map(|c| &c.note)
    ])?;
    Ok(())
}

/// Another open item of the same (kind, subject) than item `except`.
pub fn open_of_case(
    db: &Connection,
    kind: &str,
    subject: &str,
    except: i64,
) -> Result<Option<i64>, Error> {
    Ok(db
        .prepare_cached(
            "SELECT id FROM review_items
             WHERE kind = ?1 AND subject = ?2 AND closed_at IS NULL AND id <> ?3",
        )?
        .query_row(params![kind, subject, except], |r| r.get(0))
        .optional()?)
}

/// The open items that name `employee` among their profiles.
pub fn open_naming(db: &Connection, employee: i64) -> Result<Vec<ItemState>, Error> {
    let ids: Vec<i64> = db
        .prepare_cached(
            "SELECT i.id FROM review_profiles p JOIN review_items i ON i.id = p.item_id
             WHERE p.employee_id = ?1 AND i.closed_at IS NULL ORDER BY i.id",
        )?
        .query_map([employee], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for id in ids {
        out.extend(state(db, id)?);
    }
    Ok(out)
}

/// The items about one account (the import kinds), newest first.
pub fn of_account(
    db: &Connection,
    system: &str,
    external_id: &str,
) -> Result<Vec<ItemState>, Error> {
    let ids: Vec<i64> = db
        .prepare_cached(
            "SELECT id FROM review_items
             WHERE subject = ?1 AND kind IN ('conflict', 'same_system') ORDER BY id DESC",
        )?
        .query_map([account_subject(system, external_id)], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for id in ids {
        out.extend(state(db, id)?);
    }
    Ok(out)
}

/// The accounts of `system` an admin chose to ignore, by external ID, with the email
/// (normalised) they had then: those whose newest item closed as `ignored`.
pub fn ignored_of_system(
    db: &Connection,
    system: &str,
) -> Result<HashMap<String, (i64, Option<String>)>, Error> {
    let prefix = account_subject(system, "");
    let end = format!("{system};");
    let mut stmt = db.prepare_cached(
        "SELECT i.id, i.subject, a.email FROM review_items i
         LEFT JOIN review_accounts a ON a.item_id = i.id AND a.role = 'account'
         WHERE i.closed_why = 'ignored' AND i.kind IN ('conflict', 'same_system')
           AND i.subject >= ?1 AND i.subject < ?2
           AND NOT EXISTS (SELECT 1 FROM review_items j
                           WHERE j.subject = i.subject AND j.id > i.id
                             AND j.kind IN ('conflict', 'same_system'))",
    )?;
    let mut out = HashMap::new();
    let mut rows = stmt.query(params![prefix, end])?;
    while let Some(r) = rows.next()? {
        let subject: String = r.get(1)?;
        let email: Option<String> = r.get(2)?;
        if let Some(x) = subject.strip_prefix(&prefix) {
            out.insert(
                x.to_owned(),
                (
                    r.get(0)?,
                    email
                        .as_deref()
                        .map(crate::domain::validate::normalize_email),
                ),
            );
        }
    }
    Ok(out)
}

/// The open items by kind (stored ones; pending profiles are the Pending tab's count).
pub fn open_by_kind(db: &Connection) -> Result<Vec<(Kind, u64)>, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT kind, count(*) FROM review_items WHERE closed_at IS NULL GROUP BY kind",
    )?;
    let rows: Vec<(String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, n)| Kind::parse(&k).map(|k| (k, n as u64)))
        .collect())
}

/// One stored item as the inbox shows it (open or not).
pub fn inbox_item(db: &Connection, id: i64) -> Result<Option<InboxItem>, Error> {
    let found = db
        .prepare_cached(
            "SELECT kind, reason, raised_at, import_run, seen_at FROM review_items WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .optional()?;
    let Some((kind, reason, raised_at, import_run, seen_at)) = found else {
        return Ok(None);
    };
    let Some(kind) = Kind::parse(&kind) else {
        return Err(Error::Damaged(format!(
            "Review item {id} has the unknown kind '{kind}'."
        )));
    };
    let s = snapshot(db, id)?;
    let names = super::employees::names(db, &s.profiles)?;
    Ok(Some(InboxItem {
        names: s
            .profiles
            .iter()
            .map(|p| names.get(p).cloned().unwrap_or_default())
            .collect(),
        id: ItemId::Stored(id),
        kind,
        reason,
        accounts: s.accounts,
        profiles: s.profiles,
        raised_at,
        import_run,
        seen_at,
    }))
}
