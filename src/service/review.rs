//! The review inbox (README "The review inbox", docs/review.md) for both fronts: its
//! pages and counts, one item with the profiles it names, the duplicate scan (whole
//! store on demand, the profiles an import touched after each import), and the
//! resolutions, each an audited, undoable action through `Service::perform`.

use rusqlite::Connection;
use std::collections::HashSet;
use std::time::{Duration, Instant};

use super::{Done, Expect, Service, now};
use crate::domain::actions::{Ctx, Plan};
use crate::domain::change::{ChangeSet, Op};
use crate::domain::duplicates::suggest;
use crate::domain::model::{Block, ConnKey, Profile, Status};
use crate::domain::resolve::{self, Fold};
use crate::domain::review::{
    Closed, Closing, InboxItem, InboxPage, ItemId, ItemState, Kind, Resolution, Seen,
};
use crate::error::Error;
use crate::store::audit::{self, NewEntry};
use crate::store::duplicates::{self, ScanCounts, Scope, Writing};
use crate::store::import_review::ItemChange;
use crate::store::{connections, employees, inbox, review};

/// The open items, per kind and in all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct InboxCounts {
    pub conflict: u64,
    pub same_system: u64,
    pub duplicate: u64,
    pub pending: u64,
}

impl InboxCounts {
    pub fn total(&self) -> u64 {
        self.conflict + self.same_system + self.duplicate + self.pending
    }

    pub fn of(&self, kind: Kind) -> u64 {
        match kind {
            Kind::Conflict => self.conflict,
            Kind::SameSystem => self.same_system,
            Kind::Duplicate => self.duplicate,
            Kind::Pending => self.pending,
        }
    }
}

/// One item with the profiles it names, as the admin sees it before deciding.
#[derive(Debug, Clone)]
pub struct ItemDetail {
    pub item: InboxItem,
    /// The profiles named, in the item's order (those that no longer exist left out).
    pub profiles: Vec<Profile>,
    /// For an item about an account: the profile holding that account now, if any.
    pub owner: Option<i64>,
    /// For a pending profile: the profiles an open duplicate suggestion pairs it with
    /// (what it may be merged into).
    pub partners: Vec<Profile>,
}

impl ItemDetail {
    /// What the admin saw, for the stale check of a resolution.
    pub fn seen(&self) -> Seen {
        Seen {
            seen_at: match self.item.id {
                ItemId::Stored(_) => Some(self.item.seen_at.clone()),
                ItemId::Pending(_) => None,
            },
            versions: self
                .profiles
                .iter()
                .map(|p| (p.employee.id, p.employee.version))
                .collect(),
        }
    }
}

/// What a rescan did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ScanReport {
    /// Profiles the hashed pass found may pair.
    pub candidates: u64,
    #[serde(flatten)]
    pub counts: ScanCounts,
    #[serde(skip)]
    pub took: Duration,
    pub audit_id: Option<i64>,
}

impl ScanReport {
    /// What it did, in one sentence (the CLI and the app say it).
    pub fn summary(&self) -> String {
        let c = &self.counts;
        format!(
            "Looked for duplicates over the store in {:.1} s: {} suggestion{} ({} new, {} changed); {} item{} closed as no longer suggested.",
            self.took.as_secs_f64(),
            c.suggested,
            if c.suggested == 1 { "" } else { "s" },
            c.raised,
            c.refreshed,
            c.closed,
            if c.closed == 1 { "" } else { "s" }
        )
    }
}

/// An import that touched at most one profile in this many of the store looks at the
/// touched profiles' neighbours through the indexes; a bigger one first narrows them
/// down to those that may pair, by the hashed pass over every profile.
const NEIGHBOURS_PER_STORE: usize = 32;

/// The duplicate scan after an import (in the import's transaction): the groups of the
/// profiles it touched, raised or refreshed, and the open items naming them that the
/// rules no longer suggest, closed. `changed` is told each change (the import's journal).
pub fn after_import(
    db: &Connection,
    touched: &[i64],
    w: &Writing<'_>,
    changed: &mut dyn FnMut(ItemChange) -> Result<(), Error>,
) -> Result<ScanCounts, Error> {
    if touched.is_empty() {
        return Ok(ScanCounts::default());
    }
    let seeds: HashSet<i64> = touched.iter().copied().collect();
    let store = crate::store::import_writer::employee_count(db)? as usize;
    let look_at: Vec<i64> = if touched.len() * NEIGHBOURS_PER_STORE <= store {
        touched.to_vec()
    } else {
        // A touched profile in a group is a candidate of the hashed pass.
        duplicates::candidates(db)?
            .into_iter()
            .filter(|id| seeds.contains(id))
            .collect()
    };
    let facts = duplicates::neighbourhood(db, &look_at)?;
    let found = suggest(&facts, &duplicates::dismissed(db)?, Some(&seeds));
    duplicates::write(db, &found, Scope::Naming(&seeds), w, changed)
}

/// The exact pass of a full scan over `candidates` (and the profiles of the open
/// duplicate items, so that each is judged again), then the items in step.
fn full_scan(
    db: &Connection,
    mut candidates: Vec<i64>,
    w: &Writing<'_>,
    changed: &mut dyn FnMut(ItemChange) -> Result<(), Error>,
) -> Result<ScanCounts, Error> {
    candidates.extend(open_duplicate_profiles(db)?);
    candidates.sort_unstable();
    candidates.dedup();
    let facts = duplicates::neighbourhood(db, &candidates)?;
    let found = suggest(&facts, &duplicates::dismissed(db)?, None);
    duplicates::write(db, &found, Scope::All, w, changed)
}

fn open_duplicate_profiles(db: &Connection) -> Result<Vec<i64>, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT DISTINCT p.employee_id FROM review_items i
         JOIN review_profiles p ON p.item_id = i.id
         WHERE i.kind = 'duplicate' AND i.closed_at IS NULL",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The items an action settles by itself (docs/review.md "Items that close by
/// themselves"), as changes appended to it, so that its undo opens them again:
/// - a profile merged into another: the open items naming it;
/// - a profile deactivated (or discarded): the open duplicate items naming it;
/// - an account connected (by hand, by a resolution): the open items about it, and its
///   ignore, which the admin's choice ends.
pub fn settled_by(db: &Connection, changes: &ChangeSet, ctx: Ctx) -> Result<Vec<Op>, Error> {
    let mut done: HashSet<i64> = changes
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::UpdateReviewItem { before, .. } => Some(before.id),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    let settle = |state: ItemState, note: String, done: &mut HashSet<i64>, out: &mut Vec<Op>| {
        if done.insert(state.id) {
            out.push(resolve::close(&state, Closed::Settled, note, ctx));
        }
    };
    for op in &changes.ops {
        match op {
            Op::UpdateEmployee { before, after } => {
                if let (None, Some(into)) = (before.merged_into, after.merged_into) {
                    for s in review::open_naming(db, before.id)? {
                        let note = format!(
                            "{} was merged into #{into}; what the item asked is settled with it (a later import or scan raises what is left).",
                            before.label()
                        );
                        settle(s, note, &mut done, &mut out);
                    }
                } else if before.status != Status::Deactivated
                    && after.status == Status::Deactivated
                {
                    for s in review::open_naming(db, before.id)? {
                        if s.kind == Kind::Duplicate.as_str() {
                            let note = format!(
                                "{} was deactivated: a deactivated profile is nobody's duplicate.",
                                before.label()
                            );
                            settle(s, note, &mut done, &mut out);
                        }
                    }
                }
            }
            Op::InsertConnection { after: c } => {
                for (i, s) in review::of_account(db, &c.system, &c.external_id)?
                    .into_iter()
                    .enumerate()
                {
                    let note = format!("{} was connected to #{}.", c.label(), c.employee_id);
                    match &s.closed {
                        None => settle(s, note, &mut done, &mut out),
                        // The newest item decides whether the account is ignored.
                        Some(closing) => {
                            if i == 0
                                && closing.why == Closed::Ignored.as_str()
                                && done.insert(s.id)
                            {
                                let mut after = s.clone();
                                after.closed = Some(Closing {
                                    at: ctx.now.to_owned(),
                                    by: ctx.actor.to_owned(),
                                    why: Closed::Settled.as_str().to_owned(),
                                    note: format!(
                                        "{note} It is no longer ignored (it was: {})",
                                        closing.note
                                    ),
                                });
                                out.push(Op::UpdateReviewItem { before: s, after });
                            }
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

impl Service {
    /// Up to `limit` open items (of `kind`) at `page`, newest first.
    pub fn inbox(
        &mut self,
        kind: Option<Kind>,
        page: &InboxPage,
        limit: usize,
    ) -> Result<Vec<InboxItem>, Error> {
        self.store.read(|db| inbox::page(db, kind, page, limit))
    }

    pub fn inbox_counts(&mut self) -> Result<InboxCounts, Error> {
        self.store.read(|db| {
            let mut c = InboxCounts {
                pending: crate::store::counts::read(db)?.pending,
                ..InboxCounts::default()
            };
            for (kind, n) in review::open_by_kind(db)? {
                match kind {
                    Kind::Conflict => c.conflict = n,
                    Kind::SameSystem => c.same_system = n,
                    Kind::Duplicate => c.duplicate = n,
                    Kind::Pending => c.pending += n,
                }
            }
            Ok(c)
        })
    }

    /// One item with its profiles. An item that is closed (or a profile no longer
    /// pending) is refused, saying why.
    pub fn review_item(&mut self, id: ItemId) -> Result<ItemDetail, Error> {
        self.store.read(|db| detail(db, id))
    }

    /// Looks for duplicates over the whole store: a hashed pass over every profile (a
    /// read, however long), then the exact rules over the few that may pair and the
    /// items in step (a short write). One audit entry when the inbox changed.
    pub fn rescan(&mut self) -> Result<ScanReport, Error> {
        let started = Instant::now();
        // One pass through every row in rowid order gains nothing from a big page cache:
        // a small one keeps the rescan's memory to its own tables of hashes.
        self.store.set_cache_kib(super::browse::READER_CACHE_KIB)?;
        let candidates = self.store.read(duplicates::candidates);
        self.store.set_cache_kib(crate::store::DEFAULT_CACHE_KIB)?;
        let candidates = candidates?;
        let n = candidates.len() as u64;
        let actor = self.actor.clone();
        let by = actor.label();
        let (counts, audit_id) = self.store.write(|db| {
            let at = now();
            let w = Writing {
                at: &at,
                by: &by,
                run: None,
            };
            let counts = full_scan(db, candidates, &w, &mut |_| Ok(()))?;
            if counts.raised + counts.refreshed + counts.closed == 0 {
                return Ok((counts, None));
            }
            let summary = format!(
                "Looked for duplicates: {} suggestion{}; {} raised, {} refreshed, {} closed as no longer suggested.",
                counts.suggested,
                super::import::plural(counts.suggested),
                counts.raised,
                counts.refreshed,
                counts.closed
            );
            let id = audit::append_raw(
                db,
                &NewEntry {
                    at: &at,
                    actor: &actor,
                    action: "review-scan",
                    summary: &summary,
                    changes: &ChangeSet::default(),
                    undoable: false,
                    reverts: None,
                },
                &serde_json::to_string(&counts)?,
                std::iter::empty(),
            )?;
            Ok((counts, Some(id)))
        })?;
        Ok(ScanReport {
            candidates: n,
            counts,
            took: started.elapsed(),
            audit_id,
        })
    }

    /// Resolves item `id` as `how`: an audited, undoable action. `seen`: what the admin
    /// saw (`ItemDetail::seen`); the resolution is refused as stale when the item or its
    /// profiles changed since.
    pub fn resolve_item(
        &mut self,
        id: ItemId,
        how: Resolution,
        seen: Option<&Seen>,
    ) -> Result<Done, Error> {
        let expect: Vec<Expect> = seen
            .map(|s| {
                s.versions
                    .iter()
                    .map(|(id, version)| Expect {
                        id: *id,
                        version: *version,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut new_id = 0;
        self.perform(&expect, |db, ctx| {
            let d = detail(db, id)?;
            if let Some(s) = seen
                && s.seen_at.is_some()
                && s.seen_at.as_deref() != Some(d.item.seen_at.as_str())
            {
                return Err(Error::Stale(format!(
                    "Nothing was changed: review item {id} was met again by an import since you looked at it (it may name other profiles now). Look again and retry."
                )));
            }
            resolve::check_allowed(&d.item, how)?;
            new_id = employees::next_id(db)?;
            plan(db, &d, how, new_id, ctx)
        })
    }
}

/// The item and its profiles, read in one transaction.
fn detail(db: &Connection, id: ItemId) -> Result<ItemDetail, Error> {
    let item = match inbox::item(db, id)? {
        Some(item) => item,
        None => return Err(missing(db, id)?),
    };
    if let ItemId::Stored(n) = id
        && let Some(state) = review::state(db, n)?
        && let Some(c) = state.closed
    {
        return Err(Error::Stale(format!(
            "Review item {n} is closed ({}, by {} at {}): {} Nothing was changed.",
            c.why,
            c.by,
            crate::domain::sanitize::escape_for_text(&c.at),
            crate::domain::sanitize::escape_for_text(&c.note)
        )));
    }
    let mut profiles = Vec::new();
    for p in &item.profiles {
        if employees::get(db, *p)?.is_some() {
            profiles.push(employees::profile(db, *p)?);
        }
    }
    let owner = match item.account() {
        Some(a) => {
            connections::get(db, &ConnKey::new(&a.system, &a.external_id))?.map(|c| c.employee_id)
        }
        None => None,
    };
    let mut partners = Vec::new();
    if let ItemId::Pending(p) = id {
        let mut seen = HashSet::from([p]);
        for s in review::open_naming(db, p)? {
            if s.kind != Kind::Duplicate.as_str() {
                continue;
            }
            for other in review::snapshot(db, s.id)?.profiles {
                if seen.insert(other) && employees::get(db, other)?.is_some() {
                    partners.push(employees::profile(db, other)?);
                }
            }
        }
    }
    Ok(ItemDetail {
        item,
        profiles,
        owner,
        partners,
    })
}

/// Why item `id` cannot be found: it never existed, or (pending) its profile moved on.
fn missing(db: &Connection, id: ItemId) -> Result<Error, Error> {
    Ok(match id {
        ItemId::Stored(n) => Error::NotFound(format!(
            "There is no review item {n}; `roster review` lists the open ones."
        )),
        ItemId::Pending(n) => match employees::get(db, n)? {
            Some(e) => Error::Stale(format!(
                "{} is {} now, no longer pending: review item p{n} is closed. Nothing was changed.",
                e.label(),
                e.status
            )),
            None => Error::NotFound(format!(
                "There is no employee #{n}, so no review item p{n}; `roster review` lists the open ones."
            )),
        },
    })
}

/// The resolution's plan, from rows read in the write transaction.
fn plan(
    db: &Connection,
    d: &ItemDetail,
    how: Resolution,
    new_id: i64,
    ctx: Ctx,
) -> Result<Plan, Error> {
    let item = &d.item;
    let state = match item.id {
        ItemId::Stored(n) => review::state(db, n)?,
        ItemId::Pending(_) => None,
    };
    let owner = match d.owner {
        Some(o) => Some(employees::require(db, o)?),
        None => None,
    };
    let profile_of = |id: i64| -> Result<Profile, Error> { employees::profile(db, id) };
    let block_of = |employee: i64| -> Result<Option<Block>, Error> {
        let Some(a) = item.account() else {
            return Ok(None);
        };
        let b = Block {
            system: a.system.clone(),
            external_id: a.external_id.clone(),
            employee_id: employee,
        };
        Ok(connections::block_exists(db, &b)?.then_some(b))
    };
    let stored = || {
        state
            .as_ref()
            .ok_or_else(|| Error::Damaged(format!("Review item {} cannot be read back.", item.id)))
    };
    match (item.id, how) {
        (ItemId::Pending(p), Resolution::Merge(keep)) => {
            if keep == p {
                return Err(Error::Refused(format!(
                    "Review item {}: a profile cannot be merged into itself; to take it on as a new person, activate it (--create).",
                    item.id
                )));
            }
            let keep = profile_of(keep)?;
            let other = profile_of(p)?;
            let blocks = connections::blocks_on(db, keep.employee.id, &other.connections)?;
            resolve::merge(
                item,
                None,
                &keep,
                &[Fold {
                    profile: &other,
                    blocks: &blocks,
                }],
                None,
                ctx,
            )
        }
        (ItemId::Pending(p), _) => resolve::pending(item, &profile_of(p)?, how),
        (_, Resolution::Link(target)) => resolve::link(
            item,
            stored()?,
            &profile_of(target)?,
            owner.as_ref(),
            block_of(target)?.as_ref(),
            ctx,
        ),
        (_, Resolution::Create) => resolve::create(item, stored()?, new_id, owner.as_ref(), ctx),
        (_, Resolution::Ignore) => resolve::ignore(item, stored()?, ctx),
        (_, Resolution::Dismiss) => resolve::dismiss(item, stored()?, &d.profiles, ctx),
        (_, Resolution::Merge(keep)) => {
            if !item.profiles.contains(&keep) {
                return Err(Error::Refused(format!(
                    "Review item {} names {}; keep one of them (--merge {}).",
                    item.id,
                    item.profiles
                        .iter()
                        .map(|p| format!("#{p}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    item.profiles[0]
                )));
            }
            let keep_profile = profile_of(keep)?;
            let mut others = Vec::new();
            for p in item.profiles.iter().filter(|p| **p != keep) {
                let other = profile_of(*p)?;
                let blocks = connections::blocks_on(db, keep, &other.connections)?;
                others.push((other, blocks));
            }
            let folds: Vec<Fold<'_>> = others
                .iter()
                .map(|(p, b)| Fold {
                    profile: p,
                    blocks: b,
                })
                .collect();
            let link = match item.kind {
                Kind::Conflict => Some((owner.as_ref(), block_of(keep)?)),
                _ => None,
            };
            let link = link.as_ref().map(|(o, b)| (*o, b.as_ref()));
            resolve::merge(item, Some(stored()?), &keep_profile, &folds, link, ctx)
        }
    }
}
