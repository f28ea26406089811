//! roster: the Settings › Employees screen as a terminal app and a command line.

pub mod cli;
pub mod config;
pub mod debug;
pub mod demo;
pub mod domain;
pub mod error;
pub mod files;
pub mod import;
pub mod pull;
pub mod service;
pub mod store;
pub mod synth;
pub mod tui;
pub mod users;
