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
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread;

use super::state::State;
use super::table::list::ListWindow;
use super::table::rows::Scan;
use crate::domain::listing::{Counts, Found, Page, View};
use crate::error::Error;
use crate::service::Service;
use crate::service::browse::{Canceller, Opener};

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
    Counts(Result<Counts, Error>),
}

pub struct Worker {
    rows: Sender<(u64, RowsJob)>,
    counts: Sender<u64>,
    answers: Receiver<(u64, Answer)>,
    canceller: Canceller,
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
        let canceller = rows_svc.canceller();
        let (rows_tx, rows_rx) = channel::<(u64, RowsJob)>();
        let (counts_tx, counts_rx) = channel::<u64>();
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
            while let Ok(mut id) = counts_rx.recv() {
                while let Ok(newer) = counts_rx.try_recv() {
                    id = newer;
                }
                if answer_tx
                    .send((id, Answer::Counts(counts_svc.counts())))
                    .is_err()
                {
                    return;
                }
            }
        });
        Ok(Worker {
            rows: rows_tx,
            counts: counts_tx,
            answers,
            canceller,
            latest,
            rows_sent: 0,
            counts_sent: 0,
            rows_waiting: false,
            counts_waiting: false,
            refresh_in_flight: false,
            scan_in_flight: None,
        })
    }

    /// Something is being read.
    pub fn busy(&self) -> bool {
        self.rows_waiting || self.counts_waiting
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
        if state.counts_dirty {
            state.counts_dirty = false;
            self.counts_sent += 1;
            if self.counts.send(self.counts_sent).is_ok() {
                self.counts_waiting = true;
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
                Answer::Counts(result) => {
                    if id == self.counts_sent {
                        self.counts_waiting = false;
                    }
                    match result {
                        Ok(c) => {
                            state.counts = c;
                            state.counts_known = true;
                        }
                        Err(e) => state.error(e.to_string()),
                    }
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
