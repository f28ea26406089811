//! Reads that may be slow on a big store run here, on a thread with its own connection,
//! so the screen never waits: the tab counts, and the rows of a filtered view (a filter
//! may scan). A newer request interrupts the read in progress (SQLite's interrupt), so
//! typing a filter never queues scans up. Answers carry the generation they were asked
//! for; the app drops the ones that the user has moved past.

use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread;

use rusqlite::InterruptHandle;

use super::list::{ListWindow, first_limit};
use super::state::State;
use crate::error::Error;
use crate::service::Service;
use crate::store::Store;
use crate::store::audit::Actor;
use crate::store::listing::{Counts, Page, View};

/// Each worker connection's SQLite page cache, in KiB.
const WORKER_CACHE_KIB: i64 = 4096;

enum RowsJob {
    First {
        generation: u64,
        view: View,
        height: usize,
    },
    Refresh {
        generation: u64,
        view: View,
        window: Box<ListWindow>,
        height: usize,
    },
}

enum Answer {
    First(u64, Result<ListWindow, Error>),
    Refresh(u64, Result<ListWindow, Error>),
    Counts(Result<Counts, Error>),
}

pub struct Worker {
    rows: Sender<(u64, RowsJob)>,
    counts: Sender<u64>,
    answers: Receiver<(u64, Answer)>,
    interrupt: InterruptHandle,
    /// The number of the last request sent, of each kind.
    rows_sent: u64,
    counts_sent: u64,
    /// The last request of each kind is not answered yet.
    rows_waiting: bool,
    counts_waiting: bool,
}

fn interrupted(e: &Error) -> bool {
    matches!(e, Error::Db(rusqlite::Error::SqliteFailure(f, _))
        if f.code == rusqlite::ErrorCode::OperationInterrupted)
}

impl Worker {
    /// Opens two more connections to the store at `path` and starts their threads.
    pub fn start(path: &Path, actor: &Actor) -> Result<Worker, Error> {
        let open = || -> Result<Service, Error> {
            let store = Store::open(path)?;
            // Scans stream through the table; a small page cache keeps the app's memory
            // small (the screen's own connection keeps the store's default).
            store
                .conn()
                .pragma_update(None, "cache_size", -WORKER_CACHE_KIB)?;
            Ok(Service::new(store, actor.clone()))
        };
        let mut rows_svc = open()?;
        let mut counts_svc = open()?;
        let interrupt = rows_svc.store().conn().get_interrupt_handle();
        let (rows_tx, rows_rx) = channel::<(u64, RowsJob)>();
        let (counts_tx, counts_rx) = channel::<u64>();
        let (answer_tx, answers) = channel::<(u64, Answer)>();
        let tx = answer_tx.clone();
        thread::spawn(move || {
            while let Ok(mut job) = rows_rx.recv() {
                // Only the newest request matters.
                while let Ok(newer) = rows_rx.try_recv() {
                    job = newer;
                }
                loop {
                    let answer = run_rows(&mut rows_svc, &job.1);
                    let result = match &answer {
                        Answer::First(_, r) | Answer::Refresh(_, r) => r.as_ref().err(),
                        Answer::Counts(_) => None,
                    };
                    if result.is_some_and(interrupted) {
                        // Interrupted for a newer request, or by a late interrupt meant
                        // for the previous one: then this one is still wanted.
                        match rows_rx.try_recv() {
                            Ok(newer) => {
                                job = newer;
                                continue;
                            }
                            Err(TryRecvError::Empty) => continue,
                            Err(TryRecvError::Disconnected) => return,
                        }
                    }
                    if tx.send((job.0, answer)).is_err() {
                        return;
                    }
                    break;
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
            interrupt,
            rows_sent: 0,
            counts_sent: 0,
            rows_waiting: false,
            counts_waiting: false,
        })
    }

    /// Something is being read.
    pub fn busy(&self) -> bool {
        self.rows_waiting || self.counts_waiting
    }

    /// Sends the reads the state asks for.
    pub fn dispatch(&mut self, state: &mut State) {
        let height = state.table_height();
        if state.filter_dirty {
            state.filter_dirty = false;
            state.searching = true;
            state.refresh_dirty = false;
            self.send_rows(RowsJob::First {
                generation: state.view_gen,
                view: state.view(),
                height,
            });
        }
        if state.refresh_dirty && !state.searching {
            state.refresh_dirty = false;
            self.send_rows(RowsJob::Refresh {
                generation: state.list_gen,
                view: state.view(),
                window: Box::new(state.list.clone()),
                height,
            });
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
        if self.rows.send((self.rows_sent, job)).is_ok() {
            if self.rows_waiting {
                // The read in progress is for an older request.
                self.interrupt.interrupt();
            }
            self.rows_waiting = true;
        }
    }

    /// Takes in the answers that have arrived.
    pub fn collect(&mut self, state: &mut State) {
        while let Ok((id, answer)) = self.answers.try_recv() {
            match &answer {
                Answer::Counts(_) if id == self.counts_sent => self.counts_waiting = false,
                Answer::First(..) | Answer::Refresh(..) if id == self.rows_sent => {
                    self.rows_waiting = false
                }
                _ => {}
            }
            match answer {
                Answer::First(generation, result) if generation == state.view_gen => {
                    state.searching = false;
                    match result {
                        Ok(window) => {
                            state.list = window;
                            state.list_gen += 1;
                        }
                        Err(e) => state.error(e.to_string()),
                    }
                }
                Answer::Refresh(generation, _) if generation != state.list_gen => {
                    // The user moved meanwhile: read again from where the rows are now.
                    state.refresh_dirty = true;
                }
                Answer::Refresh(_, Ok(window)) => state.list = window,
                Answer::Refresh(_, Err(e)) => state.error(e.to_string()),
                Answer::Counts(Ok(c)) => {
                    state.counts = c;
                    state.counts_known = true;
                }
                Answer::Counts(Err(e)) => state.error(e.to_string()),
                // The answer for a view the user has left.
                Answer::First(..) => {}
            }
        }
    }
}

fn run_rows(svc: &mut Service, job: &RowsJob) -> Answer {
    match job {
        RowsJob::First {
            generation,
            view,
            height,
        } => {
            let rows = svc.page(view, &Page::First, first_limit(*height));
            Answer::First(
                *generation,
                rows.map(|rows| {
                    let mut w = ListWindow::default();
                    w.set_first(rows, *height);
                    w
                }),
            )
        }
        RowsJob::Refresh {
            generation,
            view,
            window,
            height,
        } => {
            let mut w = (**window).clone();
            let result = w.refresh(&mut |p: &Page, n: usize| svc.page(view, p, n), *height);
            Answer::Refresh(*generation, result.map(|_| w))
        }
    }
}
