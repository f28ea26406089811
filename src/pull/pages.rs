//! The pages of a pull as one stream of NDJSON, a page a line, fetched as the reader
//! asks for more: only the page being read is held, so a pull of a million users never
//! sits in memory. The file import's reader takes each line as an answer of its own
//! (the last page says whether more follow); the planner sees records as from a file.
//! A page that cannot be had stops the stream with an error, and `Outcome` says which
//! page and why: the import then writes nothing.

use std::io::Read;
use std::sync::{Arc, Mutex};

use super::Failure;
use super::http::Client;
use super::hubspot_lists::{InBoth, Lists};
use super::redact;
use super::source::Source;
use super::token::Token;
use super::vendor::{self, PageRequest};

/// What a pull did so far, shared with whoever started it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub pages: u64,
    /// Records the pages held (before the reader skips non-people).
    pub records: u64,
    pub bytes: u64,
    pub retries: u32,
    pub waited: std::time::Duration,
    pub failure: Option<Failure>,
    /// HubSpot owners met in both the active and the archived list: read once.
    pub in_both: Vec<InBoth>,
}

pub struct Pages {
    source: Source,
    client: Client,
    token: Token,
    next: Option<PageRequest>,
    lists: Lists,
    line: Vec<u8>,
    pos: usize,
    outcome: Arc<Mutex<Outcome>>,
}

impl Pages {
    pub fn new(source: Source, token: Token) -> (Pages, Arc<Mutex<Outcome>>) {
        let outcome = Arc::new(Mutex::new(Outcome::default()));
        let pages = Pages {
            client: Client::new(&source, &token),
            next: Some(vendor::first(&source)),
            source,
            token,
            lists: Lists::default(),
            line: Vec::new(),
            pos: 0,
            outcome: outcome.clone(),
        };
        (pages, outcome)
    }

    /// Fetches the next page into `line`; false at the end.
    fn fetch(&mut self) -> Result<bool, Failure> {
        let Some(asked) = self.next.take() else {
            return Ok(false);
        };
        let page = self.outcome().pages + 1;
        let fail = |this: &Pages, why: String, refused: bool| Failure {
            page,
            message: redact::scrub(
                &format!("page {page} (GET {}) {why}", redact::url(&asked.url)),
                this.token.secret(),
            ),
            refused,
        };
        let got = self.client.get(&asked.url);
        {
            let mut o = self.outcome();
            o.retries = self.client.retried;
            o.waited = self.client.waited;
        }
        let mut body = match got {
            Ok(b) => b,
            Err(r) => return Err(fail(self, format!("failed: {}", r.message), r.refused)),
        };
        let read =
            vendor::read(&self.source, &asked, &body).map_err(|why| fail(self, why, false))?;
        let in_both = match asked.hubspot_archived() {
            Some(archived) => self.lists.pass(archived, &mut body),
            None => Vec::new(),
        };
        // JSON holds no raw line break inside a string: breaks between values are
        // whitespace, so the page becomes one line by turning them into spaces.
        for b in body.iter_mut() {
            if *b == b'\n' || *b == b'\r' {
                *b = b' ';
            }
        }
        body.push(b'\n');
        {
            let mut o = self.outcome();
            o.pages = page;
            o.records += read.records.saturating_sub(in_both.len() as u64);
            o.in_both.extend(in_both);
            o.bytes += body.len() as u64;
        }
        self.line = body;
        self.pos = 0;
        self.next = read.next;
        Ok(true)
    }

    fn outcome(&self) -> std::sync::MutexGuard<'_, Outcome> {
        self.outcome.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Read for Pages {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.line.len() {
            // The page read is let go before the next one comes.
            self.line = Vec::new();
            self.pos = 0;
            match self.fetch() {
                Ok(true) => {}
                Ok(false) => return Ok(0),
                Err(f) => {
                    let message = f.message.clone();
                    self.outcome().failure = Some(f);
                    return Err(std::io::Error::other(message));
                }
            }
        }
        let n = out.len().min(self.line.len() - self.pos);
        out[..n].copy_from_slice(&self.line[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
