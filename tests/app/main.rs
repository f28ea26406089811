//! What the app shows and how it runs: paging, counts and filtering against a plain
//! reading of the rows (also at a modest scale), and the real app in a pseudo-terminal.
//! One test binary for all of them.

#[path = "../pty/mod.rs"]
mod pty;

mod counts;
mod hangup;
mod listing;
mod progress;
mod review;
mod scale;
mod terminal;
