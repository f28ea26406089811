//! Pure rules: no database, no clock, no terminal.

pub mod actions;
pub mod audit;
pub mod change;
pub mod duplicates;
pub mod export;
pub mod import_run;
pub mod keys;
pub mod listing;
pub mod matching;
pub mod model;
pub mod planner;
pub mod resolve;
pub mod review;
pub mod sanitize;
pub mod search;
pub mod skipped;
pub mod sort_key;
pub mod suppliers;
pub mod system;
pub mod validate;
