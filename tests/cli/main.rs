//! The command line through the real binary: every action's JSON shape, exit code and
//! message, and the maintenance commands. One test binary (one link) for all of them.

#[path = "../common/mod.rs"]
mod common;

mod actions;
mod admin_day;
mod fit_in;
mod imports;
mod maintenance;
mod promises;
mod review;
