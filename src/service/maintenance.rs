//! Backup and check: the admin's tools for trusting the store.

use rusqlite::MAIN_DB;
use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::Service;
use crate::error::Error;
use crate::store::check::{self, Finding};

impl Service {
    /// Copies the live database to `dest` with SQLite's online backup (other sessions
    /// keep working meanwhile), owner-only, then verifies the copy.
    pub fn backup(&mut self, dest: &Path) -> Result<u64, Error> {
        // Refuse to overwrite: a backup that silently replaces an older one is a loss.
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(dest)
            .map_err(|e| {
                Error::Invalid(format!(
                    "Cannot write the backup to {}: {e}.",
                    crate::domain::sanitize::path(dest)
                ))
            })?;
        let result = (|| {
            self.store()
                .conn()
                .backup(MAIN_DB, dest, None::<fn(rusqlite::backup::Progress)>)?;
            let copy = rusqlite::Connection::open(dest)?;
            let ok: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            if ok != "ok" {
                return Err(Error::Io(format!(
                    "The backup at {} failed its integrity check: {ok}.",
                    crate::domain::sanitize::path(dest)
                )));
            }
            Ok(std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(dest);
        }
        result
    }

    /// Runs the integrity check and roster's invariants; with `fix`, first recomputes
    /// the derived data (it never touches profiles, connections or the audit log).
    pub fn check(&mut self, fix: bool) -> Result<Vec<Finding>, Error> {
        if fix {
            self.store_mut().write(check::fix_derived)?;
        }
        self.store_mut().read(check::run)
    }
}
