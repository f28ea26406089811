//! The review inbox as the fronts list it (docs/review.md): the open stored items and
//! the profiles of the Pending tab, newest first, one keyset page at a time (the same
//! cost at the millionth item as at the first: each side walks an index in order).

use rusqlite::{Connection, OptionalExtension, params};

use super::review::{self, InboxItem, ItemAccount, ItemId, Kind};
use crate::domain::review::{InboxKey, InboxPage};
use crate::domain::system::display_name;
use crate::error::Error;

/// Up to `limit` open items of `kind` (all kinds when none) at `page`, newest first.
pub fn page(
    db: &Connection,
    kind: Option<Kind>,
    page: &InboxPage,
    limit: usize,
) -> Result<Vec<InboxItem>, Error> {
    let limit = limit.min(100_000);
    // Newest first is descending order; Before and Last walk it backwards.
    let (from, backwards) = match page {
        InboxPage::First => (None, false),
        InboxPage::After(k) => (Some(k), false),
        InboxPage::Before(k) => (Some(k), true),
        InboxPage::Last => (None, true),
    };
    let mut keys: Vec<(InboxKey, ItemId)> = Vec::new();
    if kind != Some(Kind::Pending) {
        keys.extend(stored_keys(db, kind, from, backwards, limit)?);
    }
    if kind.is_none() || kind == Some(Kind::Pending) {
        keys.extend(pending_keys(db, from, backwards, limit)?);
    }
    keys.sort_by(|a, b| b.0.cmp(&a.0));
    if backwards {
        // The `limit` closest to the key, still in the inbox's order.
        let skip = keys.len().saturating_sub(limit);
        keys.drain(..skip);
    } else {
        keys.truncate(limit);
    }
    let mut out = Vec::with_capacity(keys.len());
    for (_, id) in keys {
        out.extend(item(db, id)?);
    }
    Ok(out)
}

/// The comparison that keeps the keys strictly past `from` on one side, for rows of
/// `tag`: SQL row values compare (at, num); the tag decides equal ones.
fn past(from: &InboxKey, tag: u8, backwards: bool) -> &'static str {
    match (backwards, tag < from.tag) {
        // Older (smaller) keys: (at, num, tag) < from.
        (false, true) => "<=",
        (false, false) => "<",
        (true, _) if tag > from.tag => ">=",
        (true, _) => ">",
    }
}

fn stored_keys(
    db: &Connection,
    kind: Option<Kind>,
    from: Option<&InboxKey>,
    backwards: bool,
    limit: usize,
) -> Result<Vec<(InboxKey, ItemId)>, Error> {
    let order = if backwards { "ASC" } else { "DESC" };
    let range = match from {
        Some(k) => format!("AND (raised_at, id) {} (?2, ?3)", past(k, 1, backwards)),
        None => String::new(),
    };
    let sql = format!(
        "SELECT raised_at, id FROM review_items INDEXED BY review_items_open_by_time
         WHERE closed_at IS NULL AND (?1 IS NULL OR kind = ?1) {range}
         ORDER BY raised_at {order}, id {order} LIMIT ?4"
    );
    let (at, num) = from.map_or((String::new(), 0), |k| (k.at.clone(), k.num));
    let mut stmt = db.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![kind.map(Kind::as_str), at, num, limit as i64],
        |r| {
            let num: i64 = r.get(1)?;
            Ok((
                InboxKey {
                    at: r.get(0)?,
                    num,
                    tag: 1,
                },
                ItemId::Stored(num),
            ))
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn pending_keys(
    db: &Connection,
    from: Option<&InboxKey>,
    backwards: bool,
    limit: usize,
) -> Result<Vec<(InboxKey, ItemId)>, Error> {
    let order = if backwards { "ASC" } else { "DESC" };
    let range = match from {
        Some(k) => format!("AND (created_at, id) {} (?1, ?2)", past(k, 0, backwards)),
        None => String::new(),
    };
    let sql = format!(
        "SELECT created_at, id FROM employees INDEXED BY employees_pending
         WHERE status = 'pending' {range}
         ORDER BY created_at {order}, id {order} LIMIT ?3"
    );
    let (at, num) = from.map_or((String::new(), 0), |k| (k.at.clone(), k.num));
    let mut stmt = db.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![at, num, limit as i64], |r| {
        let num: i64 = r.get(1)?;
        Ok((
            InboxKey {
                at: r.get(0)?,
                num,
                tag: 0,
            },
            ItemId::Pending(num),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One item as the inbox shows it; a pending item only while its profile is pending.
pub fn item(db: &Connection, id: ItemId) -> Result<Option<InboxItem>, Error> {
    match id {
        ItemId::Stored(n) => review::inbox_item(db, n),
        ItemId::Pending(n) => pending(db, n),
    }
}

/// The item of a profile waiting in the Pending tab.
fn pending(db: &Connection, id: i64) -> Result<Option<InboxItem>, Error> {
    let found = db
        .prepare_cached(
            "SELECT name, created_at, version FROM employees WHERE id = ?1 AND status = 'pending'",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .optional()?;
    let Some((name, created_at, version)) = found else {
        return Ok(None);
    };
    let accounts: Vec<ItemAccount> = super::connections::of_employee(db, id)?
        .into_iter()
        .map(|c| ItemAccount {
            role: "account".to_owned(),
            system: c.system,
            external_id: c.external_id,
            email: c.email,
            name: c.name,
        })
        .collect();
    // The import that created it wrote its rows with the run's own time.
    let run: Option<i64> = db
        .prepare_cached("SELECT max(id) FROM import_runs WHERE at = ?1")?
        .query_row([&created_at], |r| r.get(0))?;
    let from = match (accounts.first(), run) {
        (Some(a), Some(run)) => format!(
            ", created by import run {run} from its {} account {}",
            display_name(&a.system),
            a.external_id
        ),
        (Some(a), None) => format!(
            ", with its {} account {}",
            display_name(&a.system),
            a.external_id
        ),
        (None, _) => String::new(),
    };
    Ok(Some(InboxItem {
        id: ItemId::Pending(id),
        kind: Kind::Pending,
        reason: format!(
            "{name} (#{id}) waits in the Pending tab{from}. Activate it if it is a new person, merge it into the profile it duplicates, or discard it."
        ),
        accounts,
        profiles: vec![id],
        names: vec![name],
        raised_at: created_at,
        import_run: run,
        // A pending item changes with its profile.
        seen_at: version.to_string(),
    }))
}
