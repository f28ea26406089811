//! Backup and check: the admin's tools for trusting the store.

use rusqlite::OpenFlags;
use rusqlite::backup::{Backup, StepResult};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::Service;
use crate::domain::sanitize::path;
use crate::error::Error;
use crate::files;
use crate::store::audit::{self, NewEntry};
use crate::store::check::{self, Finding};
use crate::store::literal;

impl Service {
    /// Copies the live database to `dest` with SQLite's online backup (other sessions
    /// keep working meanwhile), owner-only, then verifies the copy. `dest` is created
    /// new (never over a file or through a link) and the copy goes into that very file:
    /// SQLite is given its name literally (`file:x.db` is a file called so, not a URI)
    /// and the file it opened must be the one just created.
    pub fn backup(&mut self, dest: &Path) -> Result<u64, Error> {
        // Refuse to overwrite: a backup that silently replaces an older one is a loss.
        let created = files::create_new(dest).map_err(|e| {
            Error::Invalid(if e.kind() == std::io::ErrorKind::AlreadyExists {
                format!(
                    "Cannot write the backup to {}: the file exists, and a backup never overwrites one; name a new file.",
                    path(dest)
                )
            } else {
                format!("Cannot write the backup to {}: {e}.", path(dest))
            })
        })?;
        let replaced = || {
            Error::Io(format!(
                "The backup was not written: {} was replaced by another file while roster wrote it; that file was left alone.",
                path(dest)
            ))
        };
        let result = (|| {
            let mut copy = rusqlite::Connection::open_with_flags(
                literal(dest),
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_NOFOLLOW,
            )?;
            if !files::is_same(&created, dest) {
                return Err(replaced());
            }
            {
                let backup = Backup::new(self.store().conn(), &mut copy)?;
                while backup.step(100)? == StepResult::More {}
            }
            let ok: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            if ok != "ok" {
                return Err(Error::CheckFailed(format!(
                    "The backup at {} failed its integrity check: {ok}.",
                    path(dest)
                )));
            }
            if !files::is_same(&created, dest) {
                return Err(replaced());
            }
            Ok(created.metadata().map(|m| m.len()).unwrap_or(0))
        })();
        // Only the file this backup created is removed, never one put in its place.
        if result.is_err() && files::is_same(&created, dest) {
            let _ = std::fs::remove_file(dest);
        }
        result
    }

    /// Runs the integrity check and roster's invariants, and checks that the database's
    /// files are owner-only; with `fix`, first recomputes the derived data (it never
    /// touches profiles, connections or the audit log) and makes the files owner-only,
    /// never through a symbolic link (a link is reported for the admin to look at).
    /// What `fix` changed is written to the audit log, one entry; nothing changed, no
    /// entry.
    pub fn check(&mut self, fix: bool) -> Result<Vec<Finding>, Error> {
        if fix {
            let mut tightened = Vec::new();
            for loose in loose_files(self.store().path()).iter().filter(|l| !l.link) {
                if tighten(&loose.path)? {
                    tightened.push(path(&loose.path));
                }
            }
            let actor = self.actor().clone();
            self.store_mut().write(|db| {
                let repaired = check::fix_derived(db)?;
                if repaired.is_empty() && tightened.is_empty() {
                    return Ok(());
                }
                let mut done = Vec::new();
                if !repaired.is_empty() {
                    done.push(format!("recomputed {}", repaired.describe()));
                }
                if !tightened.is_empty() {
                    done.push(format!("made {} owner-only", tightened.join(", ")));
                }
                let summary = format!("roster check --fix {}.", done.join("; "));
                audit::append_raw(
                    db,
                    &NewEntry {
                        at: &super::now(),
                        actor: &actor,
                        action: "check-fix",
                        summary: &summary,
                        changes: &Default::default(),
                        undoable: false,
                        reverts: None,
                    },
                    &serde_json::json!({"repaired": repaired, "owner_only": tightened}).to_string(),
                    repaired.employees().into_iter(),
                )?;
                Ok(())
            })?;
        }
        let mut found = self.store_mut().read(check::run)?;
        for loose in loose_files(self.store().path()) {
            let (file, mode) = (path(&loose.path), loose.mode);
            found.push(if loose.link {
                Finding {
                    check: "permissions",
                    detail: format!(
                        "{file} is a symbolic link to a file others can read or write (mode {mode:03o}); roster never changes a mode through a link: make the file it points at owner-only (chmod 600) or replace the link by the file"
                    ),
                    fixable: false,
                }
            } else {
                Finding {
                    check: "permissions",
                    detail: format!(
                        "{file} can be read or written by others (mode {mode:03o}); it should be owner-only (600)"
                    ),
                    fixable: true,
                }
            });
        }
        Ok(found)
    }
}

/// A file of the database that others may read or write.
struct Loose {
    path: PathBuf,
    mode: u32,
    /// `path` is a symbolic link (the mode is its target's).
    link: bool,
}

/// The database's files (the database, its WAL and shared-memory files, the note of a
/// long writer) that others than the owner may read or write.
fn loose_files(db: &Path) -> Vec<Loose> {
    ["", "-wal", "-shm", "-writer"]
        .iter()
        .filter_map(|suffix| {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            let path = PathBuf::from(name);
            let link = std::fs::symlink_metadata(&path)
                .ok()?
                .file_type()
                .is_symlink();
            let mode = std::fs::metadata(&path).ok()?.permissions().mode() & 0o777;
            (mode & 0o077 != 0).then_some(Loose { path, mode, link })
        })
        .collect()
}

/// Makes the regular file at `file` owner-only, through a descriptor opened without
/// following a link, so a link put there meanwhile is never followed; says whether it
/// did.
fn tighten(file: &Path) -> Result<bool, Error> {
    let fail =
        |e: std::io::Error| Error::Io(format!("Cannot make {} owner-only: {e}.", path(file)));
    match files::open_regular(file, false).map_err(fail)? {
        Some(f) => {
            f.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(fail)?;
            Ok(true)
        }
        None => Ok(false),
    }
}
