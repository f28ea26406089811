//! Reads that may be slow on a big store run here, on threads with their own
//! connections, so the screen never waits: the tab counts on one; on the other the rows
//! of a filtered view, as bounded scan steps (`Service::step`) whose finds are sent one
//! step at a time, and re-reads of the rows around the screen after a change. Only the
//! newest request matters: a newer one cancels the read in progress (`Canceller`) and
//! the thread gives the older one up at its next step, so typing a filter never queues
//! scans up. Answers carry the request they answer; the app drops the ones that the user
//! has moved past.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread;
use std::time::Duration;

use super::state::State;
use super::table::RANK_CAP;
use super::table::list::ListWindow;
use super::table::rows::Scan;
use crate::domain::listing::{Counts, Found, Page, SortKey, View};
use crate::error::Error;
use crate::service::Service;
use crate::service::browse::{Canceller, Opener};
use crate::service::review::InboxCounts;
use crate::service::search_index::Slot;

/// How often the search index's thread asks whether the store changed (a cheap read; the
/// rebuild after a change reads every row, about a second at a million).
const RENEW_INDEX: Duration = Duration::from_millis(500);

enum RowsJob {
    /// Read the rows around the screen again (a filtered view, after a change).
    Refresh {
        generation: u64,
        view: View,
        window: Box<ListWindow>,
        height: usize,
        budget: usize,
    },
    /// A filtered view's scan, step by step.
    Scan(Box<Scan>),
}

enum Answer {
    Refresh(u64, Result<ListWindow, Error>),
    /// One step of the scan with this id; true on its last.
    Found(u64, Result<Found, Error>, bool),
    Counts(Result<(Counts, InboxCounts), Error>),
    Matches(View, Result<Counts, Error>),
    Rank(View, SortKey, Result<Option<u64>, Error>),
}

/// The counting thread's reads: the tab and inbox counts, a filter's match counts per
/// tab, a row's position. All but the match counts take milliseconds; those may walk
/// every row (a common term at a million), so a newer filter stops them.
/// The newest of each kind, with the number of its request.
#[derive(Default)]
struct CountsJobs {
    totals: Option<u64>,
    matches: Option<(u64, View)>,
    rank: Option<(View, SortKey)>,
}

impl CountsJobs {
    fn add(&mut self, id: u64, job: CountsJob) {
        match job {
            CountsJob::Totals => self.totals = Some(id),
            CountsJob::Matches(v) => self.matches = Some((id, v)),
            CountsJob::Rank(v, k) => self.rank = Some((v, k)),
        }
    }
}

enum CountsJob {
    Totals,
    Matches(View),
    Rank(View, SortKey),
}

/// Runs the counting jobs asked, the quick ones first; false when the app is gone.
fn run_counts(svc: &mut Service, jobs: CountsJobs, tx: &Sender<(u64, Answer)>) -> bool {
    // A stop meant for an older filter's count may hit a quick read: it is read again.
    let totals = |svc: &mut Service| -> Result<(Counts, InboxCounts), Error> {
        Ok((svc.counts()?, svc.inbox_counts()?))
    };
    if let Some(id) = jobs.totals {
        let c = match totals(svc) {
            Err(Error::Cancelled) => totals(svc),
            r => r,
        };
        if tx.send((id, Answer::Counts(c))).is_err() {
            return false;
        }
    }
    if let Some((view, key)) = jobs.rank {
        let r = match svc.rank(&view, &key, RANK_CAP) {
            Err(Error::Cancelled) => svc.rank(&view, &key, RANK_CAP),
            r => r,
        };
        if tx.send((0, Answer::Rank(view, key, r))).is_err() {
            return false;
        }
    }
    if let Some((id, view)) = jobs.matches {
        let m = svc.match_counts(&view);
        if tx.send((id, Answer::Matches(view, m))).is_err() {
            return false;
        }
    }
    true
}

/// The same reads done here and now (the app without a worker: tests).
pub fn count_inline(state: &mut State, svc: &mut Service, totals: bool) {
    let again = totals;
    let jobs = CountsJobs {
        totals: totals.then_some(0),
        matches: state.matches_to_ask(again).map(|v| (0, v)),
        rank: state.rank_wanted.take(),
    };
    let (tx, rx) = channel();
    run_counts(svc, jobs, &tx);
    drop(tx);
    while let Ok((_, a)) = rx.try_recv() {
        take_count(state, a);
    }
}

/// Takes in one answer of the counting thread.
fn take_count(state: &mut State, answer: Answer) {
    match answer {
        Answer::Counts(Ok((c, inbox))) => {
            state.counts = c;
            state.counts_known = true;
            state.inbox.counts = Some(inbox);
        }
        Answer::Matches(view, Ok(c)) => state.take_matches(&view, c),
        Answer::Rank(view, key, Ok(before)) => state.take_rank(&view, &key, before),
        Answer::Counts(Err(e)) | Answer::Rank(_, _, Err(e)) => state.error(e.to_string()),
        // A stopped count is an older filter's.
        Answer::Matches(_, Err(Error::Cancelled)) => {}
        Answer::Matches(_, Err(e)) => state.error(e.to_string()),
        Answer::Refresh(..) | Answer::Found(..) => {}
    }
}

pub struct Worker {
    rows: Sender<(u64, RowsJob)>,
    /// The search index the scans use, as its thread last built it.
    index_slot: Slot,
    /// Ends the search index's thread when the worker goes.
    _index: Sender<()>,
    counts: Sender<(u64, CountsJob)>,
    answers: Receiver<(u64, Answer)>,
    canceller: Canceller,
    /// Stops a match count in progress (a newer filter came).
    counts_canceller: Canceller,
    /// The number of the last match count asked; it is not answered yet.
    matches_sent: u64,
    matches_in_flight: bool,
    /// The store changed since the match counts were asked.
    matches_stale: bool,
    /// The number of the newest rows job: the thread gives up any older one.
    latest: Arc<AtomicU64>,
    /// The number of the last request sent, of each kind.
    rows_sent: u64,
    counts_sent: u64,
    /// The last request of each kind is not answered yet.
    rows_waiting: bool,
    counts_waiting: bool,
    /// The rows job in flight is a refresh.
    refresh_in_flight: bool,
    /// The rows job in flight is the scan with this id.
    scan_in_flight: Option<u64>,
}

impl Worker {
    /// Opens two more connections to the store and starts their threads.
    pub fn start(opener: &Opener) -> Result<Worker, Error> {
        let mut rows_svc = opener.reader()?;
        let mut counts_svc = opener.reader()?;
        let mut index_svc = opener.indexer()?;
        let canceller = rows_svc.canceller();
        let counts_canceller = counts_svc.canceller();

        // The search index: built on a third thread when the store changed, used by
        // the rows thread's scans while it describes their snapshot.
        let slot = Slot::default();
        let index_slot = slot.clone();
        rows_svc.use_search_index(slot.clone());
        // Match counts use the search index too.
        counts_svc.use_search_index(slot.clone());
        let (index, index_rx) = channel::<()>();
        thread::spawn(move || {
            loop {
                // A failure (a busy moment) leaves the scans to walk the tab; the next
                // turn tries again.
                let _ = index_svc.renew_search_index(&slot);
                match index_rx.recv_timeout(RENEW_INDEX) {
                    Err(RecvTimeoutError::Timeout) => {}
                    _ => return,
                }
            }
        });
        let (rows_tx, rows_rx) = channel::<(u64, RowsJob)>();
        let (counts_tx, counts_rx) = channel::<(u64, CountsJob)>();
        let (answer_tx, answers) = channel::<(u64, Answer)>();
        let latest = Arc::new(AtomicU64::new(0));
        let tx = answer_tx.clone();
        let newest = latest.clone();
        thread::spawn(move || {
            while let Ok(mut job) = rows_rx.recv() {
                // Only the newest request matters.
                while let Ok(newer) = rows_rx.try_recv() {
                    job = newer;
                }
                let (id, job) = job;
                let current = || newest.load(Ordering::SeqCst) == id;
                if run_rows(&mut rows_svc, id, job, &current, &tx).is_err() {
                    return;
                }
            }
        });
        thread::spawn(move || {
            while let Ok((id, job)) = counts_rx.recv() {
                let mut jobs = CountsJobs::default();
                jobs.add(id, job);
                while let Ok((id, newer)) = counts_rx.try_recv() {
                    jobs.add(id, newer);
                }
                if !run_counts(&mut counts_svc, jobs, &answer_tx) {
                    return;
                }
            }
        });
        Ok(Worker {
            rows: rows_tx,
            index_slot,
            _index: index,
            counts: counts_tx,
            answers,
            canceller,
            counts_canceller,
            matches_sent: 0,
            matches_in_flight: false,
            matches_stale: false,
            latest,
            rows_sent: 0,
            counts_sent: 0,
            rows_waiting: false,
            counts_waiting: false,
            refresh_in_flight: false,
            scan_in_flight: None,
        })
    }

    /// The stamp of the snapshot the search index describes (`None` while none is built).
    pub fn search_stamp(&self) -> Option<(i64, i64)> {
        self.index_slot.get().map(|i| i.stamp())
    }

    /// Something is being read.
    pub fn busy(&self) -> bool {
        self.rows_waiting || self.counts_waiting || self.matches_in_flight
    }

    /// Sends the reads the state asks for.
    pub fn dispatch(&mut self, state: &mut State) {
        let height = state.table_height();
        if state.rows.filter_dirty {
            state.rows.filter_dirty = false;
            state.scan_first();
        }
        let view = state.view();
        let rows = &mut state.rows;
        match rows.scan.as_mut() {
            Some(scan) if !scan.sent => {
                scan.sent = true;
                let job = RowsJob::Scan(Box::new(scan.clone()));
                let id = scan.id;
                if self.refresh_in_flight {
                    // The scan takes the refresh's place; it is asked again after.
                    rows.refresh_dirty = true;
                    self.refresh_in_flight = false;
                }
                self.send_rows(job);
                self.scan_in_flight = Some(id);
            }
            None if self.scan_in_flight.is_some() => {
                // The scan in flight is of no use any more: stop it.
                self.scan_in_flight = None;
                self.rows_sent += 1;
                self.latest.store(self.rows_sent, Ordering::SeqCst);
                self.canceller.cancel();
                if !self.refresh_in_flight {
                    self.rows_waiting = false;
                }
            }
            _ => {}
        }
        if rows.refresh_dirty && rows.scan.is_none() {
            rows.refresh_dirty = false;
            self.send_rows(RowsJob::Refresh {
                generation: rows.list_gen,
                view,
                window: Box::new(rows.list.clone()),
                height,
                budget: rows.scan_budget,
            });
            self.refresh_in_flight = true;
            self.scan_in_flight = None;
        }
        let changed = state.counts_dirty;
        if state.counts_dirty {
            state.counts_dirty = false;
            self.counts_sent += 1;
            if self
                .counts
                .send((self.counts_sent, CountsJob::Totals))
                .is_ok()
            {
                self.counts_waiting = true;
            }
        }
        if let Some((view, key)) = state.rank_wanted.take() {
            let _ = self.counts.send((0, CountsJob::Rank(view, key)));
        }
        // The rows first: a filter's match counts are asked once its rows are in (a
        // change meanwhile is remembered until then).
        self.matches_stale |= changed;
        if !self.rows_waiting
            && let Some(view) = state.matches_to_ask(std::mem::take(&mut self.matches_stale))
        {
            if self.matches_in_flight {
                self.counts_canceller.cancel();
            }
            self.matches_sent += 1;
            if self
                .counts
                .send((self.matches_sent, CountsJob::Matches(view)))
                .is_ok()
            {
                self.matches_in_flight = true;
            }
        }
    }

    fn send_rows(&mut self, job: RowsJob) {
        self.rows_sent += 1;
        self.latest.store(self.rows_sent, Ordering::SeqCst);
        if self.rows.send((self.rows_sent, job)).is_ok() {
            if self.rows_waiting {
                // The read in progress is for an older request.
                self.canceller.cancel();
            }
            self.rows_waiting = true;
        }
    }

    /// Takes in the answers that have arrived.
    pub fn collect(&mut self, state: &mut State) {
        while let Ok((id, answer)) = self.answers.try_recv() {
            let newest = id == self.rows_sent;
            match answer {
                Answer::Counts(_) | Answer::Rank(..) | Answer::Matches(..) => {
                    match &answer {
                        Answer::Counts(_) if id == self.counts_sent => self.counts_waiting = false,
                        Answer::Matches(..) if id == self.matches_sent => {
                            self.matches_in_flight = false
                        }
                        _ => {}
                    }
                    take_count(state, answer);
                }
                Answer::Found(scan_id, result, last) => {
                    if newest && last {
                        self.rows_waiting = false;
                        self.scan_in_flight = None;
                    }
                    let ours = state.rows.scan.as_ref().is_some_and(|s| s.id == scan_id);
                    match result {
                        Ok(found) => state.take_found(scan_id, found),
                        Err(e) if ours => {
                            state.rows.scan = None;
                            state.error(e.to_string());
                        }
                        Err(_) => {}
                    }
                }
                Answer::Refresh(generation, result) => {
                    if newest {
                        self.rows_waiting = false;
                        self.refresh_in_flight = false;
                    }
                    match result {
                        // The user moved meanwhile: read again from where the rows are now.
                        _ if generation != state.rows.list_gen => state.rows.refresh_dirty = true,
                        Ok(window) => {
                            state.rows.list = window;
                            state.rows.list_gen += 1;
                            state.want_rows();
                        }
                        Err(e) => state.error(e.to_string()),
                    }
                }
            }
        }
    }
}

/// Runs one rows job, answering on `tx`; gives it up when `current` says a newer one
/// came. Fails only when the app is gone.
fn run_rows(
    svc: &mut Service,
    id: u64,
    job: RowsJob,
    current: &dyn Fn() -> bool,
    tx: &Sender<(u64, Answer)>,
) -> Result<(), ()> {
    let send = |a: Answer| tx.send((id, a)).map_err(|_| ());
    match job {
        RowsJob::Refresh {
            generation,
            view,
            window,
            height,
            budget,
        } => loop {
            let mut w = (*window).clone();
            let result = svc.snapshot(|s| {
                let mut fetch = |p: &Page, n: usize| s.filtered(&view, p, n, budget, current);
                w.refresh(&mut fetch, height)
            });
            match result {
                // Cancelled for a newer request; or by a late cancel meant for the
                // previous one, and then this one is still wanted.
                Err(Error::Cancelled) => {
                    if !current() {
                        return Ok(());
                    }
                }
                result => return send(Answer::Refresh(generation, result.map(|_| w))),
            }
        },
        RowsJob::Scan(mut scan) => loop {
            if !current() {
                return Ok(());
            }
            match scan.step(svc) {
                Err(Error::Cancelled) => continue,
                Err(e) => return send(Answer::Found(scan.id, Err(e), true)),
                Ok(found) => {
                    let last = scan.last_step(&found);
                    scan.advance(&found);
                    send(Answer::Found(scan.id, Ok(found), last))?;
                    if last {
                        return Ok(());
                    }
                }
            }
        },
    }
}
