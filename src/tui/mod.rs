//! The terminal app (SPEC §5): Elm-like. Keys resolve to actions through one key table
//! (`keymap`), `update` applies an action to the `State` calling the same service functions
//! as the command line, and `view` draws the state, nothing else. Reads that may be slow
//! (tab counts, the rows of a filtered view) run on a worker thread (`worker`, `search`);
//! an import started in the app runs on a thread of its own (`app`).
//!
//! # Driving the app without a terminal (tests, benchmarks)
//!
//! [`App`] is the whole app minus the terminal; the event loop (`run`) is a thin shell
//! around it, so a headless driver measures the real thing:
//!
//! - [`App::open`]`(service, width, height)`: the first screen's rows are read (keyset
//!   page) before it returns; the worker thread starts and the tab counts follow from it.
//!   [`App::inline`] is the same without a worker (every read on the calling thread).
//! - [`App::handle_key`]`(KeyEvent)`: what the screen's thread does for one key: the key
//!   table, then `update`. It never waits for a scan: in a filtered view it moves among
//!   the rows held and leaves the rest to the worker. [`App::act`] takes an [`action::Action`]
//!   instead (e.g. `Action::Resize`).
//! - [`App::render`]`(&mut Frame)`: draws the state, e.g. `term.draw(|f| app.render(f))`
//!   on a `Terminal<TestBackend>`.
//! - [`App::tick`]: one idle turn of the event loop: takes in the worker's answers and
//!   sends it the reads put off ([`App::collect`] only takes answers in).
//! - [`App::settle`]: blocks until every read put off is answered and taken in, and any
//!   import running is over (`App::busy` tells whether anything is pending).
//! - `app.state` is public: `state.list` (the rows held, `selected()`, `position()`),
//!   `state.counts`, `state.scan` (the filter scan in progress), `state.status`.
//!   [`App::set_scan_budget`] sets the rows a scan step looks at (default `search::BUDGET`).
//!
//! A keypress as the user sees it is `handle_key` + `render`; the time until a filtered
//! view's rows are in is `handle_key` … `settle`. The benchmark (`benches/scale/app.rs`)
//! drives a million-employee store this way.

pub mod action;
pub mod app;
pub mod form;
pub mod keymap;
pub mod list;
pub mod mouse;
pub mod run;
pub mod search;
pub mod state;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod update;
pub mod view;
pub mod worker;

pub use app::App;
pub use run::{Exit, Options, run};

#[cfg(test)]
mod tests;
