//! `roster pull SOURCE` (docs/pull.md): the pages of a configured source go through the
//! file import as they arrive, so a pull has every rule, the dry run, the safeguard, the
//! report, the review items and the undo of an import. A page that cannot be had stops
//! the pull before anything is written, and the error names that page.

use std::io::BufReader;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use super::Service;
use super::import::{ImportReport, ImportRequest, Progress};
use crate::config::SourceConfig;
use crate::domain::sanitize::escape_for_text;
use crate::error::Error;
use crate::import::{Format, Input, Wording};
use crate::pull::{Outcome, Pages, Source, Token, redact};

#[derive(Debug, Clone)]
pub struct PullRequest {
    /// The source's name in roster.toml.
    pub source: String,
    pub dry_run: bool,
    pub allow_mass_create: bool,
}

/// A pull's report: the import's, and what the pages were.
#[derive(Debug)]
pub struct PullReport {
    pub source: String,
    /// The address pulled from (without secrets).
    pub endpoint: String,
    pub pages: u64,
    pub retries: u32,
    pub waited: std::time::Duration,
    pub import: ImportReport,
}

impl Service {
    /// The configured sources (from roster.toml), for `roster pull` and the app's `p`.
    pub fn set_sources(&mut self, sources: std::collections::BTreeMap<String, SourceConfig>) {
        self.sources = sources;
    }

    /// The names of the configured sources, sorted.
    pub fn source_names(&self) -> Vec<String> {
        self.sources.keys().cloned().collect()
    }

    /// Pulls one source (or, with `dry_run`, plans it).
    pub fn pull(
        &mut self,
        req: &PullRequest,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<PullReport, Error> {
        let config = self.sources.get(&req.source).ok_or_else(|| {
            let names = self.source_names();
            Error::NotFound(if names.is_empty() {
                format!(
                    "No source {} is configured: roster.toml has no [sources] (README \"Pulling from the systems\" shows one).",
                    escape_for_text(&req.source)
                )
            } else {
                format!(
                    "No source {} is configured; roster.toml has {}.",
                    escape_for_text(&req.source),
                    names
                        .iter()
                        .map(|n| escape_for_text(n))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
        })?;
        let source = Source::resolve(&req.source, config)?;
        let token = Token::read(&source)?;
        let secret = token.secret().to_owned();
        let vendor = source.vendor;
        let endpoint = redact::url(&crate::pull::vendor::first(&source).url);
        let endpoint = endpoint
            .split_once('?')
            .map_or(endpoint.clone(), |(path, _)| path.to_owned());
        let (pages, outcome) = Pages::new(source, token);
        let mut input = Input {
            reader: Box::new(BufReader::with_capacity(256 * 1024, pages)),
            size: None,
            bytes_read: Arc::new(AtomicU64::new(0)),
        };
        let import = ImportRequest {
            path: endpoint.clone().into(),
            system: vendor.key().to_owned(),
            format: Some(Format::Ndjson),
            preset: Some(vendor.preset()),
            map: None,
            dry_run: req.dry_run,
            allow_mass_create: req.allow_mass_create,
            // The vendor's own key: never a mistyped one.
            new_system: false,
            wording: Wording::CLI,
        };
        let result = self.import_input(&import, &mut input, progress);
        let done: Outcome = outcome.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let name = escape_for_text(&req.source);
        match result {
            Ok(mut report) => {
                // The pages are NDJSON only on the way in.
                report.format = None;
                report
                    .warnings
                    .extend(crate::pull::hubspot_lists::notes(&done.in_both));
                Ok(PullReport {
                    source: req.source.clone(),
                    endpoint,
                    pages: done.pages,
                    retries: done.retries,
                    waited: done.waited,
                    import: report,
                })
            }
            Err(e) => Err(match done.failure {
                Some(f) => {
                    let message = format!(
                        "Nothing was pulled from the source {name}: {}.",
                        f.message.trim_end_matches('.')
                    );
                    if f.refused {
                        Error::Refused(message)
                    } else {
                        Error::Io(message)
                    }
                }
                // The records themselves were refused (or the store said no): the
                // import's sentence, its lines named as the pages they are.
                None => relabel(e, &secret),
            }),
        }
    }
}

/// An import error of a pull: NDJSON lines are pages; never the token.
fn relabel(e: Error, secret: &str) -> Error {
    let fix = |m: String| redact::scrub(&m.replace(" (line ", " (page "), secret);
    match e {
        Error::Invalid(m) => Error::Invalid(fix(m)),
        Error::Refused(m) => Error::Refused(fix(m)),
        Error::Io(m) => Error::Io(fix(m)),
        other => other,
    }
}
