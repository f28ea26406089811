//! The terminal app (SPEC §5): Elm-like. Keys resolve to actions through one key table
//! (`keys`), `update` applies an action to the `State` calling the same service functions
//! as the command line, and `view` draws the state, nothing else.

pub mod action;
pub mod app;
pub mod form;
pub mod keys;
pub mod list;
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
pub use run::{Exit, run};

#[cfg(test)]
mod tests;
