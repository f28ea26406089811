//! Pure rules: no database, no clock, no terminal.

pub mod actions;
pub mod change;
pub mod matching;
pub mod model;
pub mod sanitize;
pub mod search;
pub mod system;
pub mod validate;
