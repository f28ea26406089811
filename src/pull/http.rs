//! Asking for one page: the token in a header, a timeout per request, bounded retries
//! with backoff for 429, 5xx and timeouts (a 429's `Retry-After` honoured), the
//! vendors' rate-limit headers kept to (a window used up is waited out before the next
//! request), and 401/403 failing at once with a sentence that says what to fix.

use std::time::{Duration, Instant};

use super::source::{Source, TokenFrom, Vendor};
use super::token::Token;
use super::vendor::{self, ErrorAnswer};
use crate::domain::sanitize::escape_for_text;

/// The largest page roster reads (a page of 2,000 Salesforce users is about 2 MiB).
pub const MAX_PAGE_BYTES: u64 = 64 << 20;

/// The longest wait a `Retry-After` or a rate-limit window may ask; longer (a daily
/// limit) fails the pull, saying when to try again.
pub const MAX_WAIT: Duration = Duration::from_secs(300);

/// The first retry's wait; each further one doubles it, up to `MAX_BACKOFF`.
const BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Why a page could not be had: a sentence, and whether the admin must fix something
/// (a token refused, a scope missing) rather than try again later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub refused: bool,
}

pub struct Client {
    agent: ureq::Agent,
    vendor: Vendor,
    auth: (&'static str, String),
    extra: Vec<(&'static str, String)>,
    retries: u32,
    /// Where the token comes from, for the sentence of a 401.
    token_place: String,
    /// The rate-limit window is used up until then.
    not_before: Option<Instant>,
    /// Time spent waiting for rate limits and backoff.
    pub waited: Duration,
    /// Retries made.
    pub retried: u32,
}

impl Client {
    pub fn new(source: &Source, token: &Token) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(source.timeout))
            .http_status_as_error(false)
            // A redirect is answered as an error: the token is never sent on to another
            // address.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(concat!("roster/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client {
            agent,
            vendor: source.vendor,
            auth: vendor::auth_header(source.vendor, token.secret()),
            extra: vendor::extra_headers(source),
            retries: source.retries,
            token_place: match &source.token {
                TokenFrom::Env(v) => format!("the environment variable {}", escape_for_text(v)),
                TokenFrom::File(p) => {
                    format!("the token file {}", crate::domain::sanitize::path(p))
                }
            },
            not_before: None,
            waited: Duration::ZERO,
            retried: 0,
        }
    }

    /// GETs `url` and returns its body, trying again as the answers allow.
    pub fn get(&mut self, url: &str) -> Result<Vec<u8>, Refusal> {
        let name = self.vendor.name();
        let mut attempt = 0u32;
        loop {
            if let Some(t) = self.not_before.take() {
                self.sleep(t.saturating_duration_since(Instant::now()));
            }
            let mut req = self.agent.get(url).header(self.auth.0, &self.auth.1);
            req = req.header("Accept", "application/json");
            for (k, v) in &self.extra {
                req = req.header(*k, v);
            }
            // What went wrong this time, and how long to wait before the next try.
            let (why, wait): (String, Option<Duration>) = match req.call() {
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    let headers = resp.headers().clone();
                    let body = resp
                        .body_mut()
                        .with_config()
                        .limit(MAX_PAGE_BYTES)
                        .read_to_vec();
                    match (status, body) {
                        (200..=299, Ok(body)) => {
                            self.pace(&headers);
                            return Ok(body);
                        }
                        (200..=299, Err(ureq::Error::BodyExceedsLimit(_))) => {
                            return Err(Refusal {
                                message: format!(
                                    "the answer is larger than {} MiB, more than a page can be",
                                    MAX_PAGE_BYTES >> 20
                                ),
                                refused: false,
                            });
                        }
                        (200..=299, Err(e)) => {
                            (format!("the answer broke off ({})", transport(&e)), None)
                        }
                        (status, body) => {
                            let answer = vendor::error_answer(
                                self.vendor,
                                body.as_deref().unwrap_or_default(),
                            );
                            match status {
                                429 => {
                                    let said = said(status, &answer);
                                    match retry_after(&headers)
                                        .or_else(|| window(self.vendor, &headers))
                                    {
                                        Some(w) if w > MAX_WAIT => {
                                            return Err(Refusal {
                                                message: format!(
                                                    "{name} asks to wait {} s before the next request ({said}); pull again later",
                                                    w.as_secs()
                                                ),
                                                refused: false,
                                            });
                                        }
                                        w => (format!("{name} answered {said}"), w),
                                    }
                                }
                                500..=599 => {
                                    (format!("{name} answered {}", said(status, &answer)), None)
                                }
                                401 => {
                                    return Err(Refusal {
                                        message: format!(
                                            "{name} refused the token ({}); put a valid token in {}",
                                            said(status, &answer),
                                            self.token_place
                                        ),
                                        refused: true,
                                    });
                                }
                                403 => return Err(self.forbidden(status, &answer)),
                                _ => {
                                    return Err(Refusal {
                                        message: format!(
                                            "{name} answered {}",
                                            said(status, &answer)
                                        ),
                                        refused: matches!(status, 400..=499),
                                    });
                                }
                            }
                        }
                    }
                }
                Err(e) => match e {
                    ureq::Error::Timeout(_) => {
                        ("no answer within the timeout (timeout_secs)".into(), None)
                    }
                    ureq::Error::Io(_)
                    | ureq::Error::ConnectionFailed
                    | ureq::Error::HostNotFound
                    | ureq::Error::Protocol(_) => (transport(&e), None),
                    other => {
                        return Err(Refusal {
                            message: transport(&other),
                            refused: false,
                        });
                    }
                },
            };
            if attempt >= self.retries {
                let tries = attempt + 1;
                return Err(Refusal {
                    message: if tries == 1 {
                        why
                    } else {
                        format!("{why}, {tries} tries in a row")
                    },
                    refused: false,
                });
            }
            let backoff = BACKOFF
                .saturating_mul(1 << attempt.min(16))
                .min(MAX_BACKOFF);
            self.sleep(wait.unwrap_or(backoff));
            attempt += 1;
            self.retried += 1;
        }
    }

    fn forbidden(&self, status: u16, answer: &ErrorAnswer) -> Refusal {
        let name = self.vendor.name();
        let said = said(status, answer);
        let message = if !answer.scopes.is_empty() {
            format!(
                "the token lacks a scope {name} requires ({said}); grant {} to the app whose token this is",
                answer.scopes.join(" or ")
            )
        } else if answer.code.as_deref() == Some("REQUEST_LIMIT_EXCEEDED") {
            format!(
                "{name}'s API request limit for the org is used up ({said}); pull again once it resets"
            )
        } else {
            let need = match self.vendor {
                Vendor::HubSpot => "the crm.objects.owners.read scope",
                Vendor::Pipedrive => {
                    "a user who may see the company's users (users:read for an OAuth app)"
                }
                Vendor::Salesforce => {
                    "API Enabled and View Setup and Configuration for the token's user"
                }
            };
            format!("{name} refused the request ({said}); the token needs {need}")
        };
        Refusal {
            message,
            refused: true,
        }
    }

    /// Keeps to the rate-limit window the answer reports: when none is left, the next
    /// request waits for the window to end.
    fn pace(&mut self, headers: &ureq::http::HeaderMap) {
        let remaining = |k: &str| number(headers, k);
        let wait = match self.vendor {
            // The per-10-seconds window ("X-HubSpot-RateLimit-Interval-Milliseconds") and
            // the secondly one.
            Vendor::HubSpot => {
                if remaining("x-hubspot-ratelimit-remaining") == Some(0) {
                    Some(Duration::from_millis(
                        number(headers, "x-hubspot-ratelimit-interval-milliseconds")
                            .unwrap_or(10_000),
                    ))
                } else if remaining("x-hubspot-ratelimit-secondly-remaining") == Some(0) {
                    Some(Duration::from_secs(1))
                } else {
                    None
                }
            }
            // A 2-second window; `x-ratelimit-reset` is the seconds until it resets.
            Vendor::Pipedrive => (remaining("x-ratelimit-remaining") == Some(0))
                .then(|| Duration::from_secs(number(headers, "x-ratelimit-reset").unwrap_or(2))),
            // Only a daily count (`Sforce-Limit-Info: api-usage=N/M`); over it is a 403.
            Vendor::Salesforce => None,
        };
        if let Some(w) = wait {
            self.not_before = Some(Instant::now() + w.min(MAX_WAIT));
        }
    }

    fn sleep(&mut self, d: Duration) {
        if !d.is_zero() {
            std::thread::sleep(d);
            self.waited += d;
        }
    }
}

/// "500 Internal Server Error: message (CODE)"
fn said(status: u16, a: &ErrorAnswer) -> String {
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default();
    let mut s = format!("{status}{reason}");
    match (&a.code, &a.message) {
        (Some(c), Some(m)) => s.push_str(&format!(" {c}: {}", short(m))),
        (Some(c), None) => s.push_str(&format!(" {c}")),
        (None, Some(m)) => s.push_str(&format!(": {}", short(m))),
        (None, None) => {}
    }
    s
}

/// A vendor's message, cut to a line.
fn short(m: &str) -> String {
    let m = m.lines().next().unwrap_or("").trim();
    let cut: String = m.chars().take(300).collect();
    let cut = cut.trim_end_matches('.');
    escape_for_text(cut)
}

fn number(headers: &ureq::http::HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// `Retry-After`: seconds, or an HTTP date.
fn retry_after(headers: &ureq::http::HeaderMap) -> Option<Duration> {
    let v = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let secs = (when.timestamp() - chrono::Utc::now().timestamp()).max(0);
    Some(Duration::from_secs(secs as u64))
}

/// The rate-limit window's end, when a 429 came without `Retry-After`.
fn window(vendor: Vendor, headers: &ureq::http::HeaderMap) -> Option<Duration> {
    match vendor {
        Vendor::Pipedrive => number(headers, "x-ratelimit-reset").map(Duration::from_secs),
        Vendor::HubSpot => {
            number(headers, "x-hubspot-ratelimit-interval-milliseconds").map(Duration::from_millis)
        }
        Vendor::Salesforce => None,
    }
}

/// A transport failure in words (ureq's own text names no token: the token travels in
/// a header, never in the URL).
fn transport(e: &ureq::Error) -> String {
    match e {
        ureq::Error::ConnectionFailed => "the connection failed".into(),
        ureq::Error::HostNotFound => "the host was not found".into(),
        ureq::Error::Io(io) => format!("the connection failed ({io})"),
        other => format!("the request failed ({other})"),
    }
}
