//! The app without its terminal: the state, the service it acts through, the worker
//! thread for slow reads, and an import running on a thread of its own. The event loop
//! (`run.rs`) drives it from the keyboard; tests and benchmarks drive it the same way
//! with key events and draw it on ratatui's `TestBackend`:
//!
//! ```no_run
//! # use roster::{service::Service, tui::App};
//! # use crossterm::event::{KeyCode, KeyEvent};
//! # use ratatui::{Terminal, backend::TestBackend};
//! # fn demo(svc: Service) {
//! let mut app = App::open(svc, 120, 35); // the first screen's rows are read
//! let mut term = Terminal::new(TestBackend::new(120, 35)).unwrap();
//! term.draw(|f| app.render(f)).unwrap(); // the first frame
//! app.handle_key(KeyEvent::from(KeyCode::PageDown)); // what a keypress does at once
//! term.draw(|f| app.render(f)).unwrap();
//! app.settle(); // waits for the reads the app put off (counts, filtered rows)
//! # }
//! ```

use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::thread;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseEvent};
use ratatui::Frame;

use super::action::Action;
use super::keymap;
use super::mouse::{self, Step};
use super::state::{ImportStage, State};
use super::theme::no_color_requested;
use super::update::{idle, poll, start, update};
use super::view::view;
use super::worker::Worker;
use crate::error::Error;
use crate::service::Service;
use crate::service::browse::Opener;
use crate::service::import::{ImportReport, ImportRequest, Phase, Progress};

/// How often the store is asked whether another process changed it (a cheap read of a
/// counter in SQLite's shared memory), and who else has it open: with the event loop's
/// idle tick, another admin's change shows within a second.
const POLL_STORE: Duration = Duration::from_millis(500);
/// How often a running import reports its progress to the screen, at most.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);
/// `settle` gives up after this long (a stuck read must not hang a test forever).
const SETTLE_LIMIT: Duration = Duration::from_secs(120);

enum ImportMsg {
    Progress(Progress),
    Done(Box<Result<ImportReport, Error>>),
}

/// An import running on its own thread, with its own connection.
struct ImportJob {
    rx: Receiver<ImportMsg>,
}

impl ImportJob {
    fn start(opener: Opener, request: ImportRequest, source: Option<String>) -> ImportJob {
        let (tx, rx) = channel();
        thread::spawn(move || {
            let progress_tx = tx.clone();
            let mut last: Option<Instant> = None;
            let result = opener.open().and_then(|mut svc| {
                let mut progress = |p: &Progress| {
                    if p.phase == Phase::Finishing
                        || last.is_none_or(|l| l.elapsed() >= PROGRESS_EVERY)
                    {
                        last = Some(Instant::now());
                        let _ = progress_tx.send(ImportMsg::Progress(*p));
                    }
                };
                match &source {
                    Some(s) => crate::tui::pull::run(&mut svc, s, &request, &mut progress),
                    None => svc.import(&request, &mut progress),
                }
            });
            // The dialog lists the first rows of a dry run's plan; keep no more.
            let result = result.map(|mut r| {
                if let Some(plan) = r.plan.as_mut() {
                    plan.keep_head(crate::tui::import::PLAN_ROWS + 1);
                }
                r
            });
            let _ = tx.send(ImportMsg::Done(Box::new(result)));
        });
        ImportJob { rx }
    }
}

pub struct App {
    pub state: State,
    pub svc: Service,
    worker: Option<Worker>,
    import: Option<ImportJob>,
    rescan: Option<crate::tui::review::job::Rescan>,
    last_poll: Instant,
}

impl App {
    /// The app on `svc` at `width` × `height` (colour unless `NO_COLOR`), with a worker
    /// thread for the slow reads; the first screen's rows are read before it returns,
    /// the tab counts follow from the worker.
    pub fn open(svc: Service, width: u16, height: u16) -> App {
        App::build(svc, width, height, true)
    }

    /// The same without a worker: every read is done on the calling thread by `tick`
    /// (tests; also the app's fallback when the store cannot be opened twice).
    pub fn inline(svc: Service, width: u16, height: u16) -> App {
        App::build(svc, width, height, false)
    }

    fn build(svc: Service, width: u16, height: u16, threaded: bool) -> App {
        let mut state = State::new(width, height, !no_color_requested());
        state.read_only = svc.read_only().map(str::to_owned);
        state.here = svc.joined().then(|| svc.here());
        let worker = if threaded {
            Worker::start(&svc.opener()).ok()
        } else {
            None
        };
        let mut app = App {
            state,
            svc,
            worker,
            import: None,
            rescan: None,
            last_poll: Instant::now(),
        };
        start(&mut app.state, &mut app.svc);
        app
    }

    /// A key from the terminal: resolved through the key table and applied. Never waits
    /// for a slow read: those are put off (see `tick` and `settle`).
    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        let action = if self.state.debug_panic && key.code == KeyCode::F(12) {
            Some(Action::DebugPanic)
        } else {
            keymap::resolve(self.state.chain(), self.state.fallback(), &key)
        };
        if let Some(a) = action {
            self.act(a);
        }
    }

    /// What a mouse event does (when the mouse is on): the keys it stands for, see
    /// `mouse.rs`.
    pub fn handle_mouse(&mut self, ev: MouseEvent) {
        for step in mouse::steps(&self.state, &ev) {
            match step {
                Step::Key(code) => self.handle_key(KeyEvent::from(code)),
                Step::Act(a) => self.act(a),
            }
        }
    }

    /// Applies one action (a resolved key, or a resize).
    pub fn act(&mut self, action: Action) {
        update(&mut self.state, &mut self.svc, action);
    }

    /// Draws the screen: a pure function of the state.
    pub fn render(&self, frame: &mut Frame) {
        view(&self.state, frame);
    }

    /// Takes in what the worker and a running import have answered.
    pub fn collect(&mut self) {
        if let Some(w) = self.worker.as_mut() {
            w.collect(&mut self.state);
        }
        crate::tui::review::job::collect(&mut self.state, &mut self.svc, &mut self.rescan);
        let Some(job) = self.import.as_ref() else {
            return;
        };
        loop {
            match job.rx.try_recv() {
                Ok(ImportMsg::Progress(p)) => {
                    if let Some(flow) = &self.state.import {
                        self.state.progress =
                            Some(crate::tui::import::progress_line(&flow.request, &p));
                    }
                }
                Ok(ImportMsg::Done(result)) => {
                    self.import = None;
                    crate::tui::import::finished(&mut self.state, &mut self.svc, *result);
                    return;
                }
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    self.import = None;
                    let e = Error::Stopped(
                        "The import stopped unexpectedly; nothing was written.".into(),
                    );
                    crate::tui::import::finished(&mut self.state, &mut self.svc, Err(e));
                    return;
                }
            }
        }
    }

    /// What the app does while the keyboard is idle: sends the reads put off to the
    /// worker (or does them, without one), starts an import asked for, and about once a
    /// second looks for changes made by other processes.
    pub fn idle(&mut self) {
        match self.worker.as_mut() {
            Some(w) => w.dispatch(&mut self.state),
            None => idle(&mut self.state, &mut self.svc),
        }
        if let Some(flow) = self.state.import.as_mut()
            && flow.stage == ImportStage::Asked
            && self.import.is_none()
        {
            flow.stage = ImportStage::Running;
            self.import = Some(ImportJob::start(
                self.svc.opener(),
                flow.request.clone(),
                flow.source.clone(),
            ));
        }
        crate::tui::review::job::idle(&mut self.state, &self.svc, &mut self.rescan);
        if self.last_poll.elapsed() >= POLL_STORE {
            self.last_poll = Instant::now();
            poll(&mut self.state, &mut self.svc);
        }
    }

    /// `collect` then `idle`: one turn of the event loop without a key.
    pub fn tick(&mut self) {
        self.collect();
        self.idle();
    }

    /// Reads or an import are wanted and not yet sent.
    pub fn work_waiting(&self) -> bool {
        let s = &self.state;
        s.rows.filter_dirty
            || s.rows.refresh_dirty
            || s.counts_waiting()
            || s.rows
                .scan
                .as_ref()
                .is_some_and(|scan| !scan.sent || self.worker.is_none())
            || s.import
                .as_ref()
                .is_some_and(|f| f.stage == ImportStage::Asked)
            || s.inbox.scan == crate::tui::review::Scan::Asked
    }

    /// Something is put off, being read, or imported.
    pub fn busy(&self) -> bool {
        self.work_waiting()
            || self.worker.as_ref().is_some_and(Worker::busy)
            || self.import.is_some()
            || self.rescan.is_some()
    }

    /// Blocks until every read put off is done and its answer taken in, and any import
    /// running is over: the screen then shows what the store holds.
    pub fn settle(&mut self) {
        let deadline = Instant::now() + SETTLE_LIMIT;
        loop {
            self.tick();
            if !self.busy() || Instant::now() > deadline {
                return;
            }
            thread::sleep(Duration::from_millis(1));
        }
    }

    /// The worker's search index describes the store as it is now (a filter's rare term
    /// is then found without walking the tab; the benchmark waits for it).
    pub fn search_ready(&mut self) -> bool {
        let built = self.worker.as_ref().and_then(Worker::search_stamp);
        built.is_some() && built == self.svc.change_stamp().ok()
    }

    /// Makes the worker's scans look at no more than `budget` rows a step (tests force
    /// many steps on a small store this way).
    pub fn set_scan_budget(&mut self, budget: usize) {
        self.state.rows.scan_budget = budget.max(1);
    }
}
