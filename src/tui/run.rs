//! The event loop: draw, wait for a key (or a resize, a signal, a tick), resolve it through
//! the key table, update. Reads put off while typing run when the keyboard is idle; the
//! store is polled about once a second for changes made by other processes.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyCode, KeyEventKind};

use super::action::Action;
use super::keys;
use super::state::State;
use super::terminal::{self, Signals};
use super::theme::no_color_requested;
use super::update::{idle, poll, start, update};
use super::view::view;
use super::worker::Worker;
use crate::error::Error;
use crate::service::Service;

const TICK: Duration = Duration::from_millis(250);
const POLL_STORE: Duration = Duration::from_millis(1000);
/// How often to look for a worker's answer while one is awaited.
const ANSWER_TICK: Duration = Duration::from_millis(15);

/// How the app ended: normally, or by a signal (its number).
pub enum Exit {
    Quit,
    Signal(i32),
}

/// Runs the app on `svc` until the user quits or a signal arrives.
pub fn run(mut svc: Service) -> Result<Exit, Error> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::Invalid(
            "The terminal app needs a terminal; from scripts use the commands (see `roster --help`)."
                .into(),
        ));
    }
    let io = |e: std::io::Error| Error::Io(format!("The terminal failed: {e}."));
    let signals = Signals::register().map_err(io)?;
    let (w, h) = crossterm::terminal::size().map_err(io)?;
    let mut state = State::new(w, h, !no_color_requested());
    state.db_label = svc.store().path().display().to_string();
    state.debug_panic = std::env::var("ROSTER_DEBUG_PANIC_KEY").is_ok_and(|v| v == "1");
    // Slow reads go to a worker; without one (it could not open the store a second
    // time) they are done in the loop.
    let mut worker = Worker::start(svc.store().path(), svc.actor()).ok();
    let mut term = terminal::enter().map_err(io)?;
    let result = event_loop(&mut term, &mut state, &mut svc, &signals, worker.as_mut());
    terminal::leave();
    // After SIGHUP the terminal is gone and writing to it fails: the signal is the news.
    if let Some(sig) = signals.received() {
        return Ok(Exit::Signal(sig));
    }
    result.map_err(io)?;
    Ok(Exit::Quit)
}

fn event_loop(
    term: &mut terminal::Term,
    state: &mut State,
    svc: &mut Service,
    signals: &Signals,
    mut worker: Option<&mut Worker>,
) -> std::io::Result<()> {
    // The first frame shows at once; the rows follow.
    term.draw(|f| view(state, f))?;
    start(state, svc);
    let mut last_poll = Instant::now();
    loop {
        if let Some(w) = worker.as_deref_mut() {
            w.collect(state);
        }
        if state.quit || signals.received().is_some() {
            return Ok(());
        }
        if state.clear {
            state.clear = false;
            term.clear()?;
        }
        term.draw(|f| view(state, f))?;
        let timeout = if state.filter_dirty || state.refresh_dirty || state.counts_dirty {
            Duration::ZERO
        } else if worker.as_ref().is_some_and(|w| w.busy()) {
            ANSWER_TICK
        } else {
            TICK
        };
        if event::poll(timeout)? {
            let action = match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    if state.debug_panic && k.code == KeyCode::F(12) {
                        Some(Action::DebugPanic)
                    } else {
                        keys::resolve(state.chain(), state.fallback(), &k)
                    }
                }
                Event::Resize(w, h) => Some(Action::Resize(w, h)),
                _ => None,
            };
            if let Some(a) = action {
                update(state, svc, a);
            }
        } else {
            // The keyboard is idle: do the reads put off.
            match worker.as_deref_mut() {
                Some(w) => w.dispatch(state),
                None => idle(state, svc),
            }
            if last_poll.elapsed() >= POLL_STORE {
                last_poll = Instant::now();
                poll(state, svc);
            }
        }
    }
}
