//! The store side of the duplicate suggestions (docs/review.md "Duplicate suggestions"):
//! what the rules see of the profiles (`domain::duplicates`), read for a few profiles and
//! their neighbours through the indexes, or for every profile in one pass; and the
//! `duplicate` review items kept in step with what the rules suggest.

use rusqlite::{Connection, params};
use std::collections::{HashMap, HashSet};

use super::import_review::ItemChange;
use super::review::{self, Closed, Kind, Raise, Raised};
use crate::domain::duplicates::{self, CAP, Dismissed, Facts, Hashed, Suggestion};
use crate::error::Error;

/// The statuses whose profiles the rules compare: a deactivated profile (discarded,
/// merged away, gone) is nobody's duplicate.
const LIVE: &str = "status IN ('active', 'pending')";

/// Every profile that may be in a suggestion, by one pass over the profiles and one over
/// the accounts' emails, hashed (`duplicates::Hashed`).
pub fn candidates(db: &Connection) -> Result<Vec<i64>, Error> {
    let upper: i64 = db.query_row("SELECT count(*) FROM employees", [], |r| r.get(0))?;
    let mut hashed = Hashed::new(upper as usize);
    let mut ids: Vec<i64> = Vec::with_capacity(upper as usize);
    // A profile's accounts mostly carry its own email: hash it once.
    let mut primary: Vec<u64> = Vec::with_capacity(upper as usize);
    // The table itself, in its rowid order: through the tab index SQLite would look each
    // row up and sort them again (six times the CPU at 100,000 profiles).
    let mut stmt = db.prepare(&format!(
        "SELECT id, sort_name, email_norm FROM employees NOT INDEXED WHERE {LIVE} ORDER BY id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let who = hashed.profile(r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?);
        ids.push(r.get(0)?);
        match r
            .get_ref(2)?
            .as_str_or_null()
            .map_err(rusqlite::Error::from)?
        {
            Some(e) if !e.is_empty() => {
                hashed.email(who, e);
                primary.push(duplicates::hash_str(e));
            }
            _ => primary.push(0),
        }
    }
    let mut stmt = db.prepare(
        "SELECT employee_id, email_norm FROM connections NOT INDEXED
         WHERE email_norm IS NOT NULL AND email_norm <> ''",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let Ok(who) = ids.binary_search(&r.get(0)?) else {
            continue;
        };
        let e = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        if primary[who] != duplicates::hash_str(e) {
            hashed.email(who as u32, e);
        }
    }
    // Not needed by the sort below, which is where the memory peaks.
    drop(primary);
    Ok(hashed
        .candidates()
        .into_iter()
        .map(|w| ids[w as usize])
        .collect())
}

/// What the rules see of `seeds` and of every profile that shares an email or a
/// folded name with one of them: enough for `suggest` to find every group a seed is in.
pub fn neighbourhood(db: &Connection, seeds: &[i64]) -> Result<Vec<Facts>, Error> {
    let mut wanted: HashSet<i64> = HashSet::new();
    let mut facts: HashMap<i64, Facts> = HashMap::new();
    let mut by_email = db.prepare_cached(&format!(
        "SELECT id FROM employees WHERE email_norm = ?1 AND {LIVE}
         UNION
         SELECT c.employee_id FROM connections c JOIN employees e ON e.id = c.employee_id
         WHERE c.email_norm = ?1 AND e.{LIVE}
         LIMIT ?2"
    ))?;
    let mut by_name = db
        .prepare_cached("SELECT id FROM employees WHERE status = ?1 AND sort_name = ?2 LIMIT ?3")?;
    for seed in seeds {
        let Some(f) = load(db, *seed)? else { continue };
        wanted.insert(f.id);
        for e in &f.emails {
            let holders: Vec<i64> = by_email
                .query_map(params![e, CAP as i64 + 1], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            if holders.len() <= CAP {
                wanted.extend(holders);
            }
        }
        if !f.folded.trim().is_empty() {
            let mut holders: Vec<i64> = Vec::new();
            for status in ["active", "pending"] {
                holders.extend(
                    by_name
                        .query_map(params![status, f.folded, CAP as i64 + 1], |r| r.get(0))?
                        .collect::<Result<Vec<i64>, _>>()?,
                );
            }
            // A common name is no evidence: its holders need not be read.
            if holders.len() <= CAP {
                wanted.extend(holders);
            }
        }
        facts.insert(f.id, f);
    }
    let mut out = Vec::with_capacity(wanted.len());
    for id in wanted {
        match facts.remove(&id) {
            Some(f) => out.push(f),
            None => out.extend(load(db, id)?),
        }
    }
    out.sort_by_key(|f| f.id);
    Ok(out)
}

/// One live profile's facts (none when it is deactivated or gone).
fn load(db: &Connection, id: i64) -> Result<Option<Facts>, Error> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT name, email FROM employees WHERE id = ?1 AND {LIVE}"
    ))?;
    let mut rows = stmt.query([id])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let name: String = r.get(0)?;
    let mut emails: Vec<String> = r.get::<_, Option<String>>(1)?.into_iter().collect();
    let mut accounts = db.prepare_cached(
        "SELECT email FROM connections WHERE employee_id = ?1 AND email IS NOT NULL",
    )?;
    emails.extend(
        accounts
            .query_map([id], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?,
    );
    Ok(Some(Facts::new(id, &name, emails)))
}

/// The pairs admins dismissed: every pair of every dismissed `duplicate` item.
pub fn dismissed(db: &Connection) -> Result<Dismissed, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT p.item_id, p.employee_id FROM review_items i
         JOIN review_profiles p ON p.item_id = i.id
         WHERE i.kind = 'duplicate' AND i.closed_why = 'dismissed'
         ORDER BY p.item_id, p.employee_id",
    )?;
    let rows: Vec<(i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut out = Dismissed::new();
    for group in rows.chunk_by(|a, b| a.0 == b.0) {
        let ids: Vec<i64> = group.iter().map(|(_, e)| *e).collect();
        duplicates::dismiss_all(&mut out, &ids);
    }
    Ok(out)
}

/// Which open `duplicate` items a scan answers for: every one (a full scan), or those
/// naming one of the profiles it looked at.
pub enum Scope<'a> {
    All,
    Naming(&'a HashSet<i64>),
}

/// What a scan did to the inbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ScanCounts {
    /// Suggestions the rules make now.
    pub suggested: u64,
    /// Items raised for suggestions not open before.
    pub raised: u64,
    /// Open items whose sentence changed.
    pub refreshed: u64,
    /// Open items the rules no longer suggest, closed.
    pub closed: u64,
}

/// Who writes, when, and for which import run (none for a rescan asked for).
pub struct Writing<'a> {
    pub at: &'a str,
    pub by: &'a str,
    pub run: Option<i64>,
}

/// Keeps the `duplicate` items in step with `suggestions`: raises the new ones,
/// refreshes the sentence of those open already, and closes (settled) the open items in
/// `scope` that the rules no longer suggest. `changed` is told each change (an import's
/// journal, to take them back with it).
pub fn write(
    db: &Connection,
    suggestions: &[Suggestion],
    scope: Scope<'_>,
    w: &Writing<'_>,
    changed: &mut dyn FnMut(ItemChange) -> Result<(), Error>,
) -> Result<ScanCounts, Error> {
    let mut counts = ScanCounts {
        suggested: suggestions.len() as u64,
        ..ScanCounts::default()
    };
    let open = open_items(db, &scope)?;
    let mut names_wanted: Vec<i64> = suggestions
        .iter()
        .flat_map(|s| s.profiles.iter().copied())
        .collect();
    names_wanted.sort_unstable();
    names_wanted.dedup();
    let names = super::employees::names(db, &names_wanted)?;
    let mut kept: HashSet<String> = HashSet::new();
    for s in suggestions {
        let subject = s.subject();
        let reason = s.sentence(&names);
        let item = Raise {
            kind: Kind::Duplicate,
            subject: subject.clone(),
            reason: reason.clone(),
            at: w.at,
            import_run: w.run,
            accounts: Vec::new(),
            profiles: s.profiles.clone(),
        };
        match open.get(subject.as_str()) {
            // The same suggestion as before: nothing to write.
            Some((_, old)) if *old == reason => {}
            // `raise` refreshes the open item of the same subject.
            _ => match review::raise(db, &item)? {
                Raised::New(id) => {
                    counts.raised += 1;
                    changed(ItemChange::Raised(id))?;
                }
                Raised::Refreshed(id, before) => {
                    counts.refreshed += 1;
                    changed(ItemChange::Refreshed(id, before))?;
                }
                Raised::Seen(id, before) => {
                    counts.refreshed += 1;
                    changed(ItemChange::Seen(id, before))?;
                }
            },
        }
        kept.insert(subject);
    }
    for (subject, (id, _)) in &open {
        if kept.contains(subject) {
            continue;
        }
        let note = match w.run {
            Some(run) => format!(
                "No longer suggested after import run {run}: the profiles changed (an email, a name, a status)."
            ),
            None => "No longer suggested by the rescan: the profiles changed (an email, a name, a status).".to_owned(),
        };
        review::close(db, *id, w.at, w.by, Closed::Settled, &note)?;
        counts.closed += 1;
        changed(ItemChange::Settled(*id))?;
    }
    Ok(counts)
}

/// The open `duplicate` items in `scope`: subject → (id, sentence).
fn open_items(db: &Connection, scope: &Scope<'_>) -> Result<HashMap<String, (i64, String)>, Error> {
    let mut out = HashMap::new();
    let mut put = |r: &rusqlite::Row<'_>| -> rusqlite::Result<()> {
        out.insert(r.get(1)?, (r.get(0)?, r.get(2)?));
        Ok(())
    };
    match scope {
        Scope::All => {
            let mut stmt = db.prepare_cached(
                "SELECT id, subject, reason FROM review_items
                 WHERE kind = 'duplicate' AND closed_at IS NULL",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                put(r)?;
            }
        }
        Scope::Naming(ids) => {
            let mut stmt = db.prepare_cached(
                "SELECT i.id, i.subject, i.reason FROM review_profiles p
                 JOIN review_items i ON i.id = p.item_id
                 WHERE p.employee_id = ?1 AND i.kind = 'duplicate' AND i.closed_at IS NULL",
            )?;
            for id in ids.iter() {
                let mut rows = stmt.query([id])?;
                while let Some(r) = rows.next()? {
                    put(r)?;
                }
            }
        }
    }
    Ok(out)
}
