//! The terminal app (README "The app"): Elm-like. Keys resolve to actions through one
//! key table (`keymap`), `update` applies an action to the `State` calling the same
//! service functions as the command line, and `view` draws the state, nothing else.
//! Reads that may be slow (tab counts, the rows of a filtered view) run on a worker
//! thread (`worker`, `table::rows`); an import started in the app runs on a thread of
//! its own (`app`).
//!
//! The code is grouped by feature, each with its update and its view: `table` (moving,
//! tabs, the filter), `pane` (one employee), `connection` (a connection's menu and its
//! actions), `profile` (the actions on one profile both offer), `import`. `update` and
//! `view` dispatch to them; `form`, `view/dialog.rs`, `view/popup.rs` are the widgets
//! they share; `refresh` and `confirm` the steps after a change. docs/architecture.md
//! says where to change what.
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
//! - `app.state` is public: `state.rows.list` (the rows held, `selected()`,
//!   `position()`), `state.counts`, `state.rows.scan` (the filter scan in progress),
//!   `state.status`. [`App::set_scan_budget`] sets the rows a scan step looks at (default
//!   `table::rows::BUDGET`).
//!
//! A keypress as the user sees it is `handle_key` + `render`; the time until a filtered
//! view's rows are in is `handle_key` … `settle`. The benchmark (`benches/scale/app.rs`)
//! drives a million-employee store this way.

pub mod action;
pub mod app;
pub mod audit;
pub mod confirm;
pub mod connection;
pub mod form;
pub mod import;
pub mod keymap;
pub mod marks;
pub mod mouse;
pub mod pane;
pub mod profile;
pub mod pull;
pub mod refresh;
pub mod review;
pub mod run;
pub mod state;
pub mod table;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod update;
pub mod view;
pub mod worker;
pub mod yank;

pub use app::App;
pub use run::{Exit, Options, run};

#[cfg(test)]
mod tests;
