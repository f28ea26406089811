//! Backup and check: the admin's tools for trusting the store.

use rusqlite::MAIN_DB;
use std::fs::OpenOptions;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::Service;
use crate::domain::sanitize::path;
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
                Error::Invalid(if e.kind() == std::io::ErrorKind::AlreadyExists {
                    format!(
                        "Cannot write the backup to {}: the file exists, and a backup never overwrites one; name a new file.",
                        path(dest)
                    )
                } else {
                    format!("Cannot write the backup to {}: {e}.", path(dest))
                })
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
                    path(dest)
                )));
            }
            Ok(std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(dest);
        }
        result
    }

    /// Runs the integrity check and roster's invariants, and checks that the database's
    /// files are owner-only; with `fix`, first recomputes the derived data (it never
    /// touches profiles, connections or the audit log) and makes the files owner-only.
    pub fn check(&mut self, fix: bool) -> Result<Vec<Finding>, Error> {
        if fix {
            self.store_mut().write(check::fix_derived)?;
            for (file, _) in loose_files(self.store().path()) {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).map_err(
                    |e| Error::Io(format!("Cannot make {} owner-only: {e}.", path(&file))),
                )?;
            }
        }
        let mut found = self.store_mut().read(check::run)?;
        for (file, mode) in loose_files(self.store().path()) {
            found.push(Finding {
                check: "permissions",
                detail: format!(
                    "{} can be read or written by others (mode {mode:03o}); it should be owner-only (600)",
                    path(&file)
                ),
                fixable: true,
            });
        }
        Ok(found)
    }
}

/// The database's files (the database, its WAL and shared-memory files, the note of a
/// long writer) that others than the owner may read or write, with their modes.
fn loose_files(db: &Path) -> Vec<(PathBuf, u32)> {
    ["", "-wal", "-shm", "-writer"]
        .iter()
        .filter_map(|suffix| {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            let file = PathBuf::from(name);
            let mode = std::fs::metadata(&file).ok()?.permissions().mode() & 0o777;
            (mode & 0o077 != 0).then_some((file, mode))
        })
        .collect()
}
