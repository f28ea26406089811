//! Reliability (docs/reliability.md): bad input, concurrent writers and sessions, crashes,
//! file permissions, hostile data, and the real app in a pseudo-terminal. One test binary
//! for all of them.

#[path = "../common/mod.rs"]
mod common;
#[path = "../pty/mod.rs"]
mod pty;

mod bad_input;
mod concurrency;
mod crash;
mod files;
mod hostile;
mod hostile_dialogs;
mod readers;
mod review_actions;
mod review_files;
mod review_undo;
mod service_concurrency;
mod shared;
mod terminal;
