//! The importer: the real binary on files admins export, the presets, a bounded fuzz
//! harness, the dry-run-equals-real-run property, and the engine against a reference
//! model of the rules (`model.rs`, `differential.rs`). One test binary for all of them.

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod differential;
mod export;
mod fuzz;
mod model;
mod plan;
mod presets;
mod prop;
mod rules;
mod safeguard;
mod system_keys;
mod vendors;
