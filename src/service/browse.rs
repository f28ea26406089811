//! The reads behind the employees table, for both fronts: keyset pages of a view, the
//! tab counts, and bounded filter scans that never take long (a filter is a substring
//! search no index answers, so a rare term is found over several bounded steps; see
//! docs/architecture.md "A keypress"). A reader on a thread of its own can be stopped
//! from another thread (`Canceller`); a stopped read fails with `Error::Cancelled`.

use rusqlite::{Connection, InterruptHandle};
use std::path::PathBuf;

use super::Service;
use crate::domain::audit::Actor;
use crate::domain::listing::{Counts, Found, ListRow, Page, SortKey, Towards, View};
use crate::error::Error;
use crate::store::{Store, counts, listing};

/// The page cache of a reader's connection, in KiB: scans stream through the table, and
/// a small cache keeps the app's memory small (the screen's own connection keeps the
/// store's default).
pub(super) const READER_CACHE_KIB: i64 = 4096;

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
}

/// One consistent view of the store (a read transaction), for reads that must agree
/// with each other: the rows before and after a position, read again after a change.
pub struct Snapshot<'a> {
    db: &'a Connection,
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
            let found = listing::scan(self.db, view, towards, from.as_ref(), want, budget)?;
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
    pub fn row(&mut self, id: i64) -> Result<Option<ListRow>, Error> {
        self.store.read(|db| listing::row(db, id))
    }

    /// How many rows of `view` come before `key`, when fewer than `cap` do.
    pub fn rank(&mut self, view: &View, key: &SortKey, cap: u64) -> Result<Option<u64>, Error> {
        self.store.read(|db| listing::rank(db, view, key, cap))
    }

    pub fn counts(&mut self) -> Result<Counts, Error> {
        self.store.read(counts::read)
    }

    /// One bounded step of reading `view` `towards` an end from `from` (exclusive; the
    /// edge when none), wanting `want` rows: in a plain tab one keyset page (rows read
    /// ahead), in a filtered view a scan that looks at no more than `budget` rows of the
    /// tab. `next` says where a following step goes on from.
    pub fn step(
        &mut self,
        view: &View,
        towards: Towards,
        from: Option<&SortKey>,
        want: usize,
        budget: usize,
    ) -> Result<Found, Error> {
        let want = want.max(1);
        self.store.read(|db| {
            if view.text.is_some() {
                return listing::scan(db, view, towards, from, want, budget);
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
        self.store.read(|db| f(&Snapshot { db }))
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
