//! Pulling users straight from the systems' APIs (docs/pull.md): a configured source
//! (`source.rs`), its token (`token.rs`), a client that retries and keeps to the rate
//! limits (`http.rs`), each vendor's paging and error answers (`vendor.rs`), and the
//! pages as a stream (`pages.rs`) that the file import's reader and planner take as
//! NDJSON, one page a line: a pull is an import, with every rule of one. An owner in
//! both of HubSpot's lists is read once (`hubspot_lists.rs`).

pub mod http;
pub mod hubspot_lists;
pub mod pages;
pub mod redact;
pub mod source;
pub mod token;
pub mod vendor;

pub use pages::{Outcome, Pages};
pub use source::{Source, Vendor};
pub use token::Token;

/// Why a pull stopped: which page, and a sentence for the admin. `refused` marks the
/// answers that need the admin (a token refused, a scope missing): exit status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub page: u64,
    pub message: String,
    pub refused: bool,
}
