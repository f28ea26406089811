//! The importer: the real binary on files admins export, the presets, a bounded fuzz
//! harness and the dry-run-equals-real-run property. One test binary for all of them.

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod fuzz;
mod plan;
mod presets;
mod prop;
mod rules;
mod safeguard;
mod vendors;
