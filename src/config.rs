//! `roster.toml`: which store a plain `roster` opens, who may only read it, and the
//! sources `roster pull` reads (README "Configuration" documents every key).
//!
//! Two files at most are read: the user's (the first of `--config`, `ROSTER_CONFIG`,
//! `$XDG_CONFIG_HOME/roster/roster.toml` or `~/.config/roster/roster.toml`) and the
//! system's (`/etc/roster/roster.toml`); a key the user's sets wins. `viewers` is never
//! taken from a file the user picks: it is read from the system config that governs the
//! store (see `viewer_rule`), so pointing `--config` elsewhere escapes nothing.
//!
//! Unknown keys are refused, naming the file: a misspelt `viewers` must not silently let
//! a viewer change things. A new key is added as a field here.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::domain::sanitize::path as shown;
use crate::error::Error;

/// The system config: every user's `roster` reads it; `roster setup` writes it.
pub const SYSTEM_CONFIG: &str = "/etc/roster/roster.toml";

/// One config file as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The store a plain `roster` opens (`--db` and `ROSTER_DB` win over it). A relative
    /// path is taken from the config file's folder.
    pub db: Option<PathBuf>,
    /// Users (names or uids) who may read the store but not change it. Honoured only in
    /// the system config that governs the store.
    #[serde(default)]
    pub viewers: Vec<Viewer>,
    /// `[sources.NAME]` tables for `roster pull` (docs/pull.md lists every key). Checked
    /// for what they mean (the system, the URL, the token) only when a pull uses them:
    /// a source that is wrong must not stop the other commands.
    #[serde(default)]
    pub sources: BTreeMap<String, SourceConfig>,
}

/// One `[sources.NAME]` table as written (README "Pulling from the systems").
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// hubspot, pipedrive or salesforce; optional when the source's name is one of them.
    pub system: Option<String>,
    /// The API's address (default: the vendor's; Salesforce has none: the org's
    /// instance URL is required). HTTPS, except loopback addresses.
    pub base_url: Option<String>,
    /// The name of the environment variable that holds the token.
    pub token_env: Option<String>,
    /// A file that holds the token, owner-only (0600 or 0400). A relative path is taken
    /// from the config file's folder.
    pub token_file: Option<PathBuf>,
    /// Records asked for per page.
    pub page_size: Option<u32>,
    /// Seconds one request may take before it is tried again.
    pub timeout_secs: Option<u64>,
    /// How many times a page is tried again after a 429, a 5xx or a timeout.
    pub retries: Option<u32>,
    /// Salesforce's REST API version, e.g. "v62.0".
    pub api_version: Option<String>,
}

/// A viewer: a user name or a uid.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Viewer {
    Uid(u32),
    Name(String),
}

impl Viewer {
    /// Whether this entry names the user `uid` (by number, or by the name `uid` has or
    /// the uid that name has).
    pub fn names(&self, uid: u32) -> bool {
        match self {
            Viewer::Uid(n) => *n == uid,
            Viewer::Name(name) => {
                crate::users::uid_of(name) == Some(uid) || crate::users::user_name(uid) == *name
            }
        }
    }
}

/// A config file and where it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub path: PathBuf,
    pub config: Config,
}

/// The configs in force for this process.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Configs {
    /// The user's own: `--config`, `ROSTER_CONFIG` or the XDG one.
    pub user: Option<Loaded>,
    /// `/etc/roster/roster.toml`, when it exists.
    pub system: Option<Loaded>,
}

/// Where the store to open was named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    /// By the user's own config (a store roster may create, like `--db`).
    User(PathBuf),
    /// By the system config (a store `roster setup` made; never created by a user).
    System(PathBuf),
}

impl Configs {
    /// Reads the configs: `flag` is `--config`; the rest comes from the environment.
    pub fn load(flag: Option<&Path>) -> Result<Configs, Error> {
        let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        let xdg = env("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".config")))
            .map(|d| d.join("roster/roster.toml"));
        Configs::load_from(
            flag.map(Path::to_owned)
                .or_else(|| env("ROSTER_CONFIG").map(PathBuf::from)),
            xdg,
            Path::new(SYSTEM_CONFIG),
        )
    }

    /// `load` with every place given (tests point the system config elsewhere).
    pub fn load_from(
        chosen: Option<PathBuf>,
        xdg: Option<PathBuf>,
        system: &Path,
    ) -> Result<Configs, Error> {
        let user = match chosen {
            // Named on purpose: it must be there.
            Some(path) => Some(Loaded {
                config: read(&path)?,
                path,
            }),
            // A home that cannot be looked into (another user's HOME in the
            // environment) holds no config for this user.
            None => match xdg {
                Some(path) if path.try_exists().unwrap_or(false) => Some(Loaded {
                    config: read(&path)?,
                    path,
                }),
                _ => None,
            },
        };
        let system = match system.try_exists() {
            Ok(false) => None,
            _ if user.as_ref().is_some_and(|u| u.path == system) => None,
            // There, or not known to be absent (a folder that cannot be looked into):
            // read it, and say why when it cannot be.
            _ => Some(Loaded {
                config: read(system)?,
                path: system.to_owned(),
            }),
        };
        Ok(Configs { user, system })
    }

    /// The store the configs name, the user's first.
    pub fn db(&self) -> Option<(Named, &Path)> {
        if let Some(u) = &self.user
            && let Some(db) = &u.config.db
        {
            return Some((Named::User(db.clone()), &u.path));
        }
        if let Some(s) = &self.system
            && let Some(db) = &s.config.db
        {
            return Some((Named::System(db.clone()), &s.path));
        }
        None
    }

    /// Every configured source by name; the user's win over the system's of the same
    /// name.
    pub fn sources(&self) -> BTreeMap<String, SourceConfig> {
        let mut all = BTreeMap::new();
        for loaded in [&self.system, &self.user].into_iter().flatten() {
            all.extend(loaded.config.sources.clone());
        }
        all
    }
}

/// Reads and parses one config file; a relative `db` is made relative to its folder.
pub fn read(path: &Path) -> Result<Config, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::Invalid(match e.kind() {
            std::io::ErrorKind::NotFound => format!(
                "The config file {} does not exist; pass an existing file to --config (or ROSTER_CONFIG).",
                shown(path)
            ),
            std::io::ErrorKind::PermissionDenied => format!(
                "Cannot read the config file {}: permission denied. Every user of roster must be able to read it (chmod 644).",
                shown(path)
            ),
            _ => format!("Cannot read the config file {}: {e}.", shown(path)),
        })
    })?;
    parse(&text, path)
}

/// Parses the text of the config file at `path` (named in the messages).
pub fn parse(text: &str, path: &Path) -> Result<Config, Error> {
    let mut config: Config = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| {
                let before = text.get(..s.start).unwrap_or(text);
                format!(" (line {})", before.matches('\n').count() + 1)
            })
            .unwrap_or_default();
        let message = e.message().trim().trim_end_matches('.').replace('\n', "; ");
        Error::Invalid(format!(
            "The config file {} is not valid{line}: {message} (README \"Configuration\" lists its keys).",
            shown(path)
        ))
    })?;
    if let Some(db) = config.db.take() {
        if db.as_os_str().is_empty() {
            return Err(Error::Invalid(format!(
                "The config file {} sets db to an empty path; name the store's file, e.g. db = \"/srv/roster/roster.db\".",
                shown(path)
            )));
        }
        config.db = Some(match path.parent() {
            Some(dir) if db.is_relative() => dir.join(db),
            _ => db,
        });
    }
    for source in config.sources.values_mut() {
        if let Some(file) = source.token_file.take() {
            source.token_file = Some(match path.parent() {
                Some(dir) if file.is_relative() => dir.join(file),
                _ => file,
            });
        }
    }
    Ok(config)
}

/// Whether the user `uid` is a viewer of the store at `db`, as the system configs that
/// govern it say: the one the store names (`governing`, recorded by `roster setup`) and
/// `/etc/roster/roster.toml` when its `db` is this store. The sentence to refuse changes
/// with, or `None` when the user may change the store.
pub fn viewer_rule(db: &Path, governing: Option<&Path>, uid: u32) -> Result<Option<String>, Error> {
    let mut files: Vec<PathBuf> = governing.map(Path::to_owned).into_iter().collect();
    let system = Path::new(SYSTEM_CONFIG);
    if governing != Some(system) && system.exists() {
        files.push(system.to_owned());
    }
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    for file in files {
        let config = read(&file)?;
        let governs =
            Some(file.as_path()) == governing || config.db.as_deref().is_some_and(|d| same(d, db));
        if governs && config.viewers.iter().any(|v| v.names(uid)) {
            return Ok(Some(format!(
                "read-only: {} is a viewer in {}",
                crate::users::user_name(uid),
                shown(&file)
            )));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn every_key_parses_and_a_relative_db_is_taken_from_the_files_folder() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "roster.toml",
            "db = \"store/roster.db\"\nviewers = [\"alice\", 5002]\n\n[sources.hubspot]\ntoken_env = \"HUBSPOT_TOKEN\"\n\n[sources.sf-eu]\nsystem = \"salesforce\"\nbase_url = \"https://acme.my.salesforce.com\"\ntoken_file = \"/etc/roster/sf-eu.token\"\n",
        );
        let c = read(&p).unwrap();
        assert_eq!(c.db, Some(dir.path().join("store/roster.db")));
        assert_eq!(
            c.viewers,
            vec![Viewer::Name("alice".into()), Viewer::Uid(5002)]
        );
        assert_eq!(c.sources.len(), 2);
        assert_eq!(c.sources["sf-eu"].system.as_deref(), Some("salesforce"));
        assert_eq!(
            c.sources["hubspot"].token_env.as_deref(),
            Some("HUBSPOT_TOKEN")
        );
        // A relative token file is taken from the config's folder.
        let p = write(
            dir.path(),
            "t.toml",
            "[sources.pd]\nsystem = \"pipedrive\"\ntoken_file = \"secret/pd.token\"\npage_size = 500\ntimeout_secs = 5\nretries = 2\n[sources.sf]\napi_version = \"v62.0\"\n",
        );
        let c = read(&p).unwrap();
        assert_eq!(
            c.sources["pd"].token_file,
            Some(dir.path().join("secret/pd.token"))
        );
        assert_eq!(c.sources["pd"].page_size, Some(500));
        // A key no source has (a token written into the file) is refused, naming it.
        let p = write(
            dir.path(),
            "u.toml",
            "[sources.hubspot]\ntoken = \"pat-na1-123\"\n",
        );
        let e = read(&p).unwrap_err().to_string();
        assert!(e.contains("u.toml is not valid (line 2)"), "{e}");
        assert!(e.contains("unknown field `token`"), "{e}");
    }

    #[test]
    fn an_unknown_key_or_a_bad_value_is_one_sentence_naming_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "r.toml", "db = \"/x.db\"\nviewer = [\"bob\"]\n");
        let e = read(&p).unwrap_err().to_string();
        assert!(e.contains("r.toml is not valid (line 2)"), "{e}");
        assert!(e.contains("viewer"), "{e}");
        assert!(!e.contains('\n'), "{e}");
        let p = write(dir.path(), "s.toml", "viewers = [true]\n");
        let e = read(&p).unwrap_err().to_string();
        assert!(e.contains("s.toml is not valid (line 1)"), "{e}");
        let missing = dir.path().join("none.toml");
        let e = read(&missing).unwrap_err().to_string();
        assert!(e.contains("does not exist"), "{e}");
    }

    #[test]
    fn the_users_config_wins_key_by_key_over_the_systems() {
        let dir = tempfile::tempdir().unwrap();
        let system = write(
            dir.path(),
            "etc/roster.toml",
            "db = \"/srv/roster/roster.db\"\n[sources.hubspot]\ntoken_env = \"A\"\n[sources.pipedrive]\ntoken_env = \"P\"\n",
        );
        let xdg = write(
            dir.path(),
            "home/.config/roster/roster.toml",
            "[sources.hubspot]\ntoken_env = \"MINE\"\n",
        );
        let c = Configs::load_from(None, Some(xdg.clone()), &system).unwrap();
        assert_eq!(
            c.db(),
            Some((
                Named::System(PathBuf::from("/srv/roster/roster.db")),
                system.as_path()
            ))
        );
        let sources = c.sources();
        assert_eq!(sources["hubspot"].token_env.as_deref(), Some("MINE"));
        assert_eq!(sources["pipedrive"].token_env.as_deref(), Some("P"));
        // --config (or ROSTER_CONFIG) replaces the XDG file; its db wins.
        let chosen = write(dir.path(), "mine.toml", "db = \"/tmp/mine.db\"\n");
        let c = Configs::load_from(Some(chosen.clone()), Some(xdg), &system).unwrap();
        assert_eq!(
            c.db(),
            Some((Named::User(PathBuf::from("/tmp/mine.db")), chosen.as_path()))
        );
        // No files at all: nothing named.
        let none =
            Configs::load_from(None, Some(dir.path().join("no")), &dir.path().join("nx")).unwrap();
        assert_eq!(none, Configs::default());
        // A --config that is not there is a mistake, said so.
        assert!(Configs::load_from(Some(dir.path().join("nope.toml")), None, &system).is_err());
    }

    #[test]
    fn viewers_come_from_the_config_that_governs_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("roster.db");
        let governing = write(
            dir.path(),
            "sys.toml",
            &format!("db = \"{}\"\nviewers = [5002, \"root\"]\n", db.display()),
        );
        let said = viewer_rule(&db, Some(&governing), 5002).unwrap().unwrap();
        assert!(
            said.starts_with("read-only: 5002 is a viewer in "),
            "{said}"
        );
        assert!(said.ends_with("sys.toml"), "{said}");
        assert_eq!(viewer_rule(&db, Some(&governing), 5001).unwrap(), None);
        // By name: root is uid 0 on every box.
        assert!(viewer_rule(&db, Some(&governing), 0).unwrap().is_some());
        // A store the file does not govern is not affected by its viewers... unless
        // the store itself names the file.
        assert_eq!(
            viewer_rule(&dir.path().join("other.db"), None, 5002).unwrap(),
            None
        );
    }
}
