//! The reads behind the employees table, for both fronts: keyset pages of a view, the
//! tab counts, and bounded filter scans that never take long (a filter is a substring
//! search no index answers, so a rare term is found over several bounded steps; see
//! docs/architecture.md "A keypress"). A reader on a thread of its own can be stopped
//! from another thread (`Canceller`); a stopped read fails with `Error::Cancelled`.

use rusqlite::{Connection, InterruptHandle};
use std::path::PathBuf;

use super::Service;
use super::search_index::{Block, Probe, SearchIndex, Slot};
use crate::domain::audit::Actor;
use crate::domain::listing::{
    Counts, Found, ListRow, Page, SortBy, SortKey, Tab, Towards, View, merge_found,
};
use crate::error::Error;
use crate::store::{Store, counts, listing};
use std::sync::Arc;

/// The page cache of a reader's connection, in KiB: scans stream through the table, and
/// a small cache keeps the app's memory small (the screen's own connection keeps the
/// store's default).
pub(super) const READER_CACHE_KIB: i64 = 4096;
const INDEXER_CACHE_KIB: i64 = 512;

/// Stops the read in progress on one service's connection, from another thread.
pub struct Canceller(InterruptHandle);

impl Canceller {
    pub fn cancel(&self) {
        self.0.interrupt();
    }
}

/// Opens the same store again, as the same actor: a service of its own for another
/// thread (a connection is used by one thread at a time).
#[derive(Debug, Clone)]
pub struct Opener {
    path: PathBuf,
    actor: Actor,
    /// Why the original may not change the store: the copy may not either.
    read_only: Option<String>,
    /// The sources of roster.toml (a pull on its thread).
    sources: std::collections::BTreeMap<String, crate::config::SourceConfig>,
}

impl Opener {
    /// A service on a connection of its own (an import on its thread).
    pub fn open(&self) -> Result<Service, Error> {
        let mut store = Store::open(&self.path)?;
        if let Some(why) = &self.read_only {
            store.refuse_writes(why.clone());
        }
        let mut svc = Service::new(store, self.actor.clone());
        svc.set_sources(self.sources.clone());
        Ok(svc)
    }

    /// The same, for a thread that streams through the table (small page cache).
    pub fn reader(&self) -> Result<Service, Error> {
        let svc = self.open()?;
        svc.store.set_cache_kib(READER_CACHE_KIB)?;
        Ok(svc)
    }

    /// The same for the search index's thread: it reads each page once per build, so a
    /// smaller cache still (the app's memory holds the index itself).
    pub fn indexer(&self) -> Result<Service, Error> {
        let svc = self.open()?;
        svc.store.set_cache_kib(INDEXER_CACHE_KIB)?;
        Ok(svc)
    }
}

/// One consistent view of the store (a read transaction), for reads that must agree
/// with each other: the rows before and after a position, read again after a change.
pub struct Snapshot<'a> {
    db: &'a Connection,
    index: Option<Arc<SearchIndex>>,
}

impl Snapshot<'_> {
    /// Up to `limit` rows of `view` at `page`, in ascending order.
    pub fn page(&self, view: &View, page: &Page, limit: usize) -> Result<Vec<ListRow>, Error> {
        listing::page(self.db, view, page, limit)
    }

    /// Up to `limit` rows of a filtered `view` at `page`, found by bounded scan steps
    /// of `budget` rows; `go_on` is asked before each step, and when it says no the read
    /// stops with `Error::Cancelled` (a newer request came).
    pub fn filtered(
        &self,
        view: &View,
        page: &Page,
        limit: usize,
        budget: usize,
        go_on: &dyn Fn() -> bool,
    ) -> Result<Vec<ListRow>, Error> {
        let (towards, mut from) = match page {
            Page::First => (Towards::End, None),
            Page::After(k) => (Towards::End, Some(k.clone())),
            Page::Before(k) => (Towards::Start, Some(k.clone())),
            Page::Last => (Towards::Start, None),
        };
        let mut rows: Vec<ListRow> = Vec::new();
        while rows.len() < limit {
            if !go_on() {
                return Err(Error::Cancelled);
            }
            let want = limit - rows.len();
            let found = filtered_step(
                self.db,
                self.index.as_deref(),
                view,
                towards,
                from.as_ref(),
                want,
                budget,
            )?;
            match towards {
                Towards::End => rows.extend(found.rows),
                Towards::Start => {
                    let mut before = found.rows;
                    before.append(&mut rows);
                    rows = before;
                }
            }
            match found.next {
                Some(k) => from = Some(k),
                None => break,
            }
        }
        Ok(rows)
    }
}

impl Service {
    /// Up to `limit` rows of `view` at `page`, in ascending order (a keyset page: the
    /// same cost at row 10 as at row 1,000,000).
    pub fn page(&mut self, view: &View, page: &Page, limit: usize) -> Result<Vec<ListRow>, Error> {
        self.store.read(|db| listing::page(db, view, page, limit))
    }

    /// The four tab counts (kept by every write: instant at any size).
    /// The table's row of employee `id`, whatever its tab.
    /// Its key is in `sort`'s order.
    pub fn row(&mut self, id: i64, sort: SortBy) -> Result<Option<ListRow>, Error> {
        self.store.read(|db| listing::row(db, id, sort))
    }

    /// How many rows of `view` come before `key`, when fewer than `cap` do.
    pub fn rank(&mut self, view: &View, key: &SortKey, cap: u64) -> Result<Option<u64>, Error> {
        self.store.read(|db| listing::rank(db, view, key, cap))
    }

    /// How many rows of each tab `view`'s filters let through (its own tab aside): the
    /// header's counts while a filter is on. Walks each status tab once, only over the
    /// blocks the search index keeps for the text when it describes this snapshot (a
    /// rare term: a few blocks; a common one: the whole tab, most of a second at a
    /// million, on the worker and stopped by a newer request).
    pub fn match_counts(&mut self, view: &View) -> Result<Counts, Error> {
        let index = self.search.as_ref().and_then(Slot::get);
        self.store.read(|db| {
            let mut c = Counts::default();
            for tab in Tab::STATUSES {
                let (n, tracked) = count_tab(db, index.as_deref(), &view.on(tab))?;
                match tab {
                    Tab::Active => (c.active, c.tracked) = (n, tracked),
                    Tab::Pending => c.pending = n,
                    _ => c.deactivated = n,
                }
            }
            Ok(c)
        })
    }

    /// The stamp of the store's rows as they are now (`search_index`: an index with the
    /// same stamp describes them).
    pub fn change_stamp(&mut self) -> Result<(i64, i64), Error> {
        self.store.read(listing::change_stamp)
    }

    /// The system keys this store holds, sorted: what the filter's `supplier:` and
    /// `managed:` may name (a look-up per system, not a scan).
    pub fn held_systems(&mut self) -> Result<Vec<String>, Error> {
        self.store.read(crate::store::systems::held)
    }

    pub fn counts(&mut self) -> Result<Counts, Error> {
        self.store.read(counts::read)
    }

    /// One bounded step of reading `view` `towards` an end from `from` (exclusive; the
    /// edge when none), wanting `want` rows: in a plain tab one keyset page (rows read
    /// ahead), in a filtered view a scan that looks at no more than `budget` rows of the
    /// tab (only at the blocks the search index keeps for the term, when it describes
    /// this snapshot). `next` says where a following step goes on from.
    pub fn step(
        &mut self,
        view: &View,
        towards: Towards,
        from: Option<&SortKey>,
        want: usize,
        budget: usize,
    ) -> Result<Found, Error> {
        let want = want.max(1);
        let index = self.search.as_ref().and_then(Slot::get);
        self.store.read(|db| {
            if view.filtered() {
                return filtered_step(db, index.as_deref(), view, towards, from, want, budget);
            }
            let rows = listing::page(db, view, &towards.page(from), want)?;
            let next = if rows.len() < want {
                None
            } else {
                match towards {
                    Towards::End => rows.last().map(ListRow::key),
                    Towards::Start => rows.first().map(ListRow::key),
                }
            };
            Ok(Found { rows, next })
        })
    }

    /// Runs `f` on one consistent snapshot of the store.
    pub fn snapshot<T>(
        &mut self,
        f: impl FnOnce(&Snapshot<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let index = self.search.as_ref().and_then(Slot::get);
        self.store.read(|db| {
            f(&Snapshot {
                db,
                index: index.clone(),
            })
        })
    }

    /// Lets this service's filter scans use the index kept in `slot`.
    pub fn use_search_index(&mut self, slot: Slot) {
        self.search = Some(slot);
    }

    /// Builds the search index again into `slot` when it does not describe the store as
    /// it is now; true when it did. The old index is dropped first (a stale one is of no
    /// use, and the two never take memory at once).
    pub fn renew_search_index(&mut self, slot: &Slot) -> Result<bool, Error> {
        let current = slot.get().map(|i| i.stamp());
        let stamp = self.store.read(listing::change_stamp)?;
        if current == Some(stamp) {
            return Ok(false);
        }
        slot.put(None);
        let index = self.store.read(|db| {
            let mut b = SearchIndex::builder(listing::change_stamp(db)?);
            listing::each_search_text(db, |status, key, text| b.add(status, key, text))?;
            Ok(b.finish())
        })?;
        slot.put(Some(index));
        Ok(true)
    }

    /// Stops this service's read in progress when called from another thread.
    pub fn canceller(&self) -> Canceller {
        Canceller(self.store.conn().get_interrupt_handle())
    }

    /// How to open this service's store again, as its actor, on another thread.
    pub fn opener(&self) -> Opener {
        Opener {
            path: self.store.path().to_owned(),
            actor: self.actor.clone(),
            read_only: self.store.read_only().map(str::to_owned),
            sources: self.sources.clone(),
        }
    }

    /// A number that changes whenever another connection commits: the app polls it to
    /// know when to read again.
    pub fn data_version(&self) -> Result<i64, Error> {
        self.store.data_version()
    }
}

/// One bounded step of a filtered read (`Service::step`): All as its three status tabs
/// merged; a tab through the search index when it describes this snapshot and the
/// filter has a text it can answer for, else a plain scan of the tab.
fn filtered_step(
    db: &Connection,
    index: Option<&SearchIndex>,
    view: &View,
    towards: Towards,
    from: Option<&SortKey>,
    want: usize,
    budget: usize,
) -> Result<Found, Error> {
    if view.tab == Tab::All {
        let mut arms = Vec::new();
        for tab in Tab::STATUSES {
            let arm = view.on(tab);
            arms.push(filtered_step(db, index, &arm, towards, from, want, budget)?);
        }
        return Ok(merge_found(towards, want, arms));
    }
    if let Some((blocks, probe)) = usable(db, index, view)? {
        let at = Bounded {
            db,
            view,
            blocks,
            probe: &probe,
        };
        return at.step(towards, from, want, budget);
    }
    listing::scan(db, view, towards, from, want, budget)
}

/// The rows of a status tab's `view`, and the tracked among them (`match_counts`).
fn count_tab(
    db: &Connection,
    index: Option<&SearchIndex>,
    view: &View,
) -> Result<(u64, u64), Error> {
    let Some((blocks, probe)) = usable(db, index, view)? else {
        return listing::count_range(db, view, (None, None));
    };
    let (mut n, mut tracked) = (0, 0);
    let mut i = 0;
    while i < blocks.len() {
        if !blocks[i].may_hold(&probe) {
            i += 1;
            continue;
        }
        // A run of blocks that may hold the term, counted as one range.
        let start = i;
        while i < blocks.len() && blocks[i].may_hold(&probe) {
            i += 1;
        }
        let from = just_before(&blocks[start].first);
        let until = blocks.get(i).map(|b| b.first.clone());
        let (a, b) = listing::count_range(db, view, (Some(&from), until.as_ref()))?;
        n += a;
        tracked += b;
    }
    Ok((n, tracked))
}

/// The blocks of `view`'s tab and the probe of its text, when the index can answer for
/// this read: it describes this snapshot, the view is one status tab (or Tracked), and
/// the text is one it has bits for.
fn usable<'i>(
    db: &Connection,
    index: Option<&'i SearchIndex>,
    view: &View,
) -> Result<Option<(&'i [Block], Probe)>, Error> {
    // The blocks are in name order.
    let Some(index) = index.filter(|_| view.sort == SortBy::Name) else {
        return Ok(None);
    };
    let (Some(blocks), Some(probe)) = (
        index.blocks(view.tab),
        view.text.as_deref().and_then(Probe::of),
    ) else {
        return Ok(None);
    };
    if listing::change_stamp(db)? != index.stamp() {
        return Ok(None);
    }
    Ok(Some((blocks, probe)))
}

/// A filtered read of one tab through the search index: only the blocks that may hold
/// the term are scanned, each between its first key and the next block's.
struct Bounded<'a> {
    db: &'a Connection,
    view: &'a View,
    blocks: &'a [Block],
    probe: &'a Probe,
}

/// The key just before `k` in the table's order: "from `k` on" as an exclusive start.
fn just_before(k: &SortKey) -> SortKey {
    SortKey {
        sort_name: k.sort_name.clone(),
        id: k.id - 1,
    }
}

impl Bounded<'_> {
    /// What `Service::step` does for a filtered view, skipping the blocks that cannot
    /// hold the term; `budget` counts the rows of the blocks scanned.
    fn step(
        &self,
        towards: Towards,
        from: Option<&SortKey>,
        want: usize,
        budget: usize,
    ) -> Result<Found, Error> {
        let blocks = self.blocks;
        // The block that holds the first row to look at: towards the end the last one
        // that starts at or before the row just after `from` (ids are whole numbers);
        // towards the start, the one before the first block that starts at `from` or
        // after it.
        let mut at = match (towards, from) {
            (Towards::End, None) => 0,
            (Towards::End, Some(k)) => {
                let after = SortKey {
                    sort_name: k.sort_name.clone(),
                    id: k.id + 1,
                };
                blocks
                    .partition_point(|b| b.first <= after)
                    .saturating_sub(1)
            }
            (Towards::Start, None) => blocks.len(),
            (Towards::Start, Some(k)) => blocks.partition_point(|b| &b.first < k),
        };
        let mut from = from.cloned();
        let mut rows: Vec<ListRow> = Vec::new();
        let mut looked = 0usize;
        loop {
            // The block to scan, and its far edge in the direction of the walk.
            let (block, edge) = match towards {
                Towards::End => match blocks.get(at) {
                    Some(b) => (b, blocks.get(at + 1).map(|n| n.first.clone())),
                    None => return Ok(Found { rows, next: None }),
                },
                Towards::Start => match at.checked_sub(1) {
                    Some(i) => (&blocks[i], Some(just_before(&blocks[i].first))),
                    None => return Ok(Found { rows, next: None }),
                },
            };
            if block.may_hold(self.probe) {
                let left = want - rows.len();
                let found = listing::scan_range(
                    self.db,
                    self.view,
                    towards,
                    (from.as_ref(), edge.as_ref()),
                    left,
                    block.rows as usize + 1,
                )?;
                looked += block.rows as usize;
                match towards {
                    Towards::End => rows.extend(found.rows),
                    Towards::Start => {
                        let mut before = found.rows;
                        before.append(&mut rows);
                        rows = before;
                    }
                }
                if rows.len() >= want {
                    return Ok(Found {
                        rows,
                        next: found.next,
                    });
                }
            }
            // The block is done: the walk goes on at the next one's edge.
            from = match towards {
                Towards::End => match edge {
                    Some(next_first) => Some(just_before(&next_first)),
                    None => return Ok(Found { rows, next: None }),
                },
                Towards::Start => Some(block.first.clone()),
            };
            match towards {
                Towards::End => at += 1,
                Towards::Start => at -= 1,
            }
            if looked >= budget {
                return Ok(Found { rows, next: from });
            }
        }
    }
}
