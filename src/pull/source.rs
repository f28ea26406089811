//! A configured source (`[sources.NAME]` in roster.toml), checked for what it means:
//! which system, which address (HTTPS, except loopback), where the token comes from.

use std::path::PathBuf;
use std::time::Duration;

use crate::config::SourceConfig;
use crate::domain::sanitize::escape_for_text;
use crate::error::Error;
use crate::import::Preset;

/// The systems roster pulls from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    HubSpot,
    Pipedrive,
    Salesforce,
}

impl Vendor {
    pub const ALL: [Vendor; 3] = [Vendor::HubSpot, Vendor::Pipedrive, Vendor::Salesforce];

    /// The system key the pulled accounts are stored under.
    pub fn key(self) -> &'static str {
        match self {
            Vendor::HubSpot => "hubspot",
            Vendor::Pipedrive => "pipedrive",
            Vendor::Salesforce => "salesforce",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Vendor::HubSpot => "HubSpot",
            Vendor::Pipedrive => "Pipedrive",
            Vendor::Salesforce => "Salesforce",
        }
    }

    pub fn of_key(key: &str) -> Option<Vendor> {
        Vendor::ALL.into_iter().find(|v| v.key() == key)
    }

    /// The import preset that reads its answers.
    pub fn preset(self) -> Preset {
        Preset::parse(self.key()).expect("every vendor has its preset")
    }

    /// The vendor's own address; Salesforce has one per org.
    fn default_base_url(self) -> Option<&'static str> {
        match self {
            Vendor::HubSpot => Some("https://api.hubapi.com"),
            Vendor::Pipedrive => Some("https://api.pipedrive.com"),
            Vendor::Salesforce => None,
        }
    }

    /// Records per page: the default and the most the API gives.
    fn page_sizes(self) -> (u32, u32, u32) {
        match self {
            // Owners v3: `limit` up to 500.
            Vendor::HubSpot => (100, 1, 500),
            // Users v1: `limit` up to 500.
            Vendor::Pipedrive => (100, 1, 500),
            // `Sforce-Query-Options: batchSize`, 200 to 2,000 (2,000 when not asked).
            Vendor::Salesforce => (2000, 200, 2000),
        }
    }
}

/// Where the token is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenFrom {
    Env(String),
    File(PathBuf),
}

/// A source ready to pull from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub vendor: Vendor,
    /// Without a trailing `/`.
    pub base_url: String,
    pub token: TokenFrom,
    pub page_size: u32,
    pub timeout: Duration,
    pub retries: u32,
    pub api_version: String,
}

pub const DEFAULT_TIMEOUT_SECS: u64 = 30;
pub const DEFAULT_RETRIES: u32 = 4;
pub const MAX_RETRIES: u32 = 10;
pub const DEFAULT_SALESFORCE_VERSION: &str = "v62.0";

impl Source {
    /// Checks the source `name` as configured; one sentence naming the source and the
    /// key when something is wrong.
    pub fn resolve(name: &str, c: &SourceConfig) -> Result<Source, Error> {
        let bad = |what: String| {
            Error::Invalid(format!(
                "The source {} in roster.toml {what} (README \"Pulling from the systems\" lists the keys).",
                escape_for_text(name)
            ))
        };
        let vendor = match c.system.as_deref().map(str::trim) {
            Some(s) => Vendor::of_key(s).ok_or_else(|| {
                bad(format!(
                    "has system = {:?}; roster pulls from hubspot, pipedrive or salesforce",
                    escape_for_text(s)
                ))
            })?,
            None => Vendor::of_key(name).ok_or_else(|| {
                bad(
                    "has no system; add system = \"hubspot\", \"pipedrive\" or \"salesforce\""
                        .into(),
                )
            })?,
        };
        let base_url = match (
            c.base_url.as_deref().map(str::trim),
            vendor.default_base_url(),
        ) {
            (Some(u), _) if !u.is_empty() => u.trim_end_matches('/').to_owned(),
            (_, Some(d)) => d.to_owned(),
            _ => {
                return Err(bad(
                    "has no base_url; set it to the org's instance URL, e.g. base_url = \"https://acme.my.salesforce.com\"".into(),
                ));
            }
        };
        check_url(&base_url).map_err(|why| bad(format!("has base_url {why}")))?;
        let token = match (&c.token_env, &c.token_file) {
            (Some(_), Some(_)) => {
                return Err(bad("sets both token_env and token_file; keep one".into()));
            }
            (Some(env), None) if !env.trim().is_empty() => TokenFrom::Env(env.trim().to_owned()),
            (None, Some(file)) if !file.as_os_str().is_empty() => TokenFrom::File(file.clone()),
            _ => {
                return Err(bad(
                    "says nowhere where its token is; add token_env = \"NAME\" (an environment variable) or token_file = \"PATH\" (a file only you can read)".into(),
                ));
            }
        };
        let (default_size, min, max) = vendor.page_sizes();
        let page_size = c.page_size.unwrap_or(default_size);
        if !(min..=max).contains(&page_size) {
            return Err(bad(format!(
                "has page_size = {page_size}; {} takes {min} to {max} records a page",
                vendor.name()
            )));
        }
        let timeout = c.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS);
        if !(1..=600).contains(&timeout) {
            return Err(bad(format!(
                "has timeout_secs = {timeout}; give 1 to 600 seconds"
            )));
        }
        let retries = c.retries.unwrap_or(DEFAULT_RETRIES);
        if retries > MAX_RETRIES {
            return Err(bad(format!(
                "has retries = {retries}; give 0 to {MAX_RETRIES}"
            )));
        }
        let api_version = match (&c.api_version, vendor) {
            (Some(v), Vendor::Salesforce) => {
                let v = v.trim();
                let digits = v.strip_prefix('v').unwrap_or(v);
                let ok = digits.split_once('.').is_some_and(|(a, b)| {
                    !a.is_empty()
                        && !b.is_empty()
                        && a.bytes().all(|c| c.is_ascii_digit())
                        && b.bytes().all(|c| c.is_ascii_digit())
                });
                if !ok {
                    return Err(bad(format!(
                        "has api_version = {:?}; write it as Salesforce does, e.g. \"v62.0\"",
                        escape_for_text(v)
                    )));
                }
                format!("v{digits}")
            }
            (Some(_), _) => {
                return Err(bad(format!(
                    "sets api_version, which only a Salesforce source has ({} has one API version)",
                    vendor.name()
                )));
            }
            (None, _) => DEFAULT_SALESFORCE_VERSION.to_owned(),
        };
        Ok(Source {
            name: name.to_owned(),
            vendor,
            base_url,
            token,
            page_size,
            timeout: Duration::from_secs(timeout),
            retries,
            api_version,
        })
    }
}

/// HTTPS, or HTTP to this machine only (tests and local sandboxes); no user part (the
/// token goes in token_env or token_file), nothing after the address but a path.
fn check_url(url: &str) -> Result<(), String> {
    let shown = crate::pull::redact::url(url);
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("{shown:?}, which is not a URL (https://…)"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(format!(
            "{shown:?} with a user part; put the token in token_env or token_file instead"
        ));
    }
    if rest.contains(['?', '#']) {
        return Err(format!("{shown:?} with a query; give the address only"));
    }
    let host = host_of(authority);
    if host.is_empty() {
        return Err(format!("{shown:?}, which names no host"));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if is_loopback(&host) => Ok(()),
        "http" => Err(format!(
            "{shown:?}: tokens travel over HTTPS only (plain http is for 127.0.0.1, ::1 and localhost)"
        )),
        _ => Err(format!("{shown:?}; use https://")),
    }
}

/// The host of `host:port`, `[v6]:port` or `host`.
pub fn host_of(authority: &str) -> String {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("").to_owned();
    }
    authority
        .rsplit_once(':')
        .map_or(authority, |(h, _)| h)
        .to_ascii_lowercase()
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The `scheme://host[:port]` part of a URL.
pub fn origin(url: &str) -> &str {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            &url[..scheme.len() + 3 + end]
        }
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> SourceConfig {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn a_source_named_after_its_system_needs_no_system_and_gets_the_vendors_address() {
        let s = Source::resolve("hubspot", &cfg("token_env = \"HS\"")).unwrap();
        assert_eq!(s.vendor, Vendor::HubSpot);
        assert_eq!(s.base_url, "https://api.hubapi.com");
        assert_eq!(s.token, TokenFrom::Env("HS".into()));
        assert_eq!((s.page_size, s.retries), (100, DEFAULT_RETRIES));
        let s = Source::resolve(
            "sf-eu",
            &cfg("system = \"salesforce\"\nbase_url = \"https://acme.my.salesforce.com/\"\ntoken_file = \"/t\"\napi_version = \"62.0\""),
        )
        .unwrap();
        assert_eq!(s.base_url, "https://acme.my.salesforce.com");
        assert_eq!(s.api_version, "v62.0");
        assert_eq!(origin("http://127.0.0.1:9/a/b?c"), "http://127.0.0.1:9");
    }

    #[test]
    fn mistakes_are_one_sentence_naming_the_source_and_the_key() {
        let e = |name: &str, text: &str| Source::resolve(name, &cfg(text)).unwrap_err().to_string();
        assert!(e("crm", "token_env = \"X\"").contains("source crm in roster.toml has no system"));
        assert!(e("x", "system = \"zoho\"\ntoken_env = \"X\"").contains("system = \"zoho\""));
        assert!(e("salesforce", "token_env = \"X\"").contains("has no base_url"));
        assert!(e("hubspot", "").contains("says nowhere where its token is"));
        assert!(e("hubspot", "token_env = \"A\"\ntoken_file = \"/b\"").contains("both"));
        assert!(
            e(
                "hubspot",
                "token_env = \"A\"\nbase_url = \"http://api.hubapi.com\""
            )
            .contains("HTTPS only")
        );
        assert!(
            e(
                "hubspot",
                "token_env = \"A\"\nbase_url = \"https://u:secret@h\""
            )
            .contains("user part")
        );
        assert!(
            !e(
                "hubspot",
                "token_env = \"A\"\nbase_url = \"https://u:secret@h\""
            )
            .contains("secret")
        );
        assert!(e("hubspot", "token_env = \"A\"\npage_size = 501").contains("1 to 500"));
        assert!(
            e("pipedrive", "token_env = \"A\"\napi_version = \"v1\"").contains("only a Salesforce")
        );
        // Loopback over plain HTTP is fine: tests and sandboxes.
        for url in [
            "http://127.0.0.1:8080",
            "http://[::1]:9",
            "http://localhost",
        ] {
            let text = format!("token_env = \"A\"\nbase_url = \"{url}\"");
            assert!(Source::resolve("hubspot", &cfg(&text)).is_ok(), "{url}");
        }
    }
}
