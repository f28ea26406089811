//! The event loop: draw, wait for a key (or a resize, a signal, a tick), hand it to the
//! app (`app.rs`: the key table, update). Reads put off while typing run when the
//! keyboard is idle; the store is polled about once a second for changes made by other
//! processes.

use std::io::IsTerminal;
use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};

use super::action::Action;
use super::app::App;
use super::terminal::{self, Signals};
use crate::error::Error;
use crate::service::Service;

const STDIN: std::os::fd::RawFd = 0;
const TICK: Duration = Duration::from_millis(250);
/// How often to look for a worker's answer while one is awaited.
const ANSWER_TICK: Duration = Duration::from_millis(15);

/// How the app ended: normally, or by a signal (its number).
pub enum Exit {
    Quit,
    Signal(i32),
}

/// How the app is opened.
#[derive(Debug, Default)]
pub struct Options {
    /// The status line's first message.
    pub intro: Option<String>,
    /// Take the mouse (`--mouse`): clicks and the wheel, see `mouse.rs`.
    pub mouse: bool,
}

/// Runs the app on `svc` until the user quits or a signal arrives.
pub fn run(mut svc: Service, options: Options) -> Result<Exit, Error> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::Invalid(
            "The terminal app needs a terminal; from scripts use the commands (see `roster --help`)."
                .into(),
        ));
    }
    let io = |e: std::io::Error| Error::Io(format!("The terminal failed: {e}."));
    let signals = Signals::register().map_err(io)?;
    let (w, h) = crossterm::terminal::size().map_err(io)?;
    let mut term = terminal::enter(options.mouse).map_err(io)?;
    // The others see this session (the header counts them) while it runs.
    svc.join();
    // The first frame shows at once, before the rows are read.
    let mut app = App::open(svc, w, h);
    app.state.debug_panic = std::env::var("ROSTER_DEBUG_PANIC_KEY").is_ok_and(|v| v == "1");
    app.state.mouse = options.mouse;
    if let Some(text) = options.intro {
        app.state.info(text);
    }
    let result = event_loop(&mut term, &mut app, &signals);
    terminal::leave();
    if terminal::hung_up(STDIN) {
        // ratatui's drop would try to show the cursor on the vanished terminal and
        // print its failure to a stderr that is gone too (a panic): skip it.
        std::mem::forget(term);
    }
    // After SIGHUP the terminal is gone and writing to it fails: the signal is the news.
    if let Some(sig) = signals.received() {
        return Ok(Exit::Signal(sig));
    }
    if terminal::hung_up(STDIN) {
        return Ok(Exit::Signal(libc::SIGHUP));
    }
    result.map_err(io)?;
    Ok(Exit::Quit)
}

fn event_loop(term: &mut terminal::Term, app: &mut App, signals: &Signals) -> std::io::Result<()> {
    loop {
        app.collect();
        if app.state.quit || signals.received().is_some() || terminal::hung_up(STDIN) {
            return Ok(());
        }
        if app.state.clear {
            app.state.clear = false;
            term.clear()?;
        }
        term.draw(|f| app.render(f))?;
        if let Some(value) = app.state.clipboard.take() {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(super::yank::osc52(&value).as_bytes())?;
            out.flush()?;
        }
        let timeout = if app.work_waiting() {
            Duration::ZERO
        } else if app.busy() {
            ANSWER_TICK
        } else {
            TICK
        };
        if event::poll(timeout)? {
            // A hung-up terminal polls as readable, and crossterm's read would then spin
            // on empty reads for ever.
            if terminal::hung_up(STDIN) {
                return Ok(());
            }
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => app.handle_key(k),
                Event::Resize(w, h) => app.act(Action::Resize(w, h)),
                Event::Mouse(m) => app.handle_mouse(m),
                _ => {}
            }
        } else {
            // The keyboard is idle: do the reads put off.
            app.idle();
        }
    }
}
