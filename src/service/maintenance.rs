//! Backup and check: the admin's tools for trusting the store.

use rusqlite::OpenFlags;
use rusqlite::backup::{Backup, StepResult};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::Service;
use crate::domain::sanitize::path;
use crate::error::Error;
use crate::files::{self, Mode};
use crate::store::access::beside;
use crate::store::audit::{self, NewEntry};
use crate::store::check::{self, Finding};
use crate::store::{literal, presence};

impl Service {
    /// Copies the live database to `dest` with SQLite's online backup (other sessions
    /// keep working meanwhile), with the store's mode (owner-only, or its group's when
    /// shared), then verifies the copy. `dest` is created
    /// new (never over a file or through a link) and the copy goes into that very file:
    /// SQLite is given its name literally (`file:x.db` is a file called so, not a URI)
    /// and the file it opened must be the one just created.
    pub fn backup(&mut self, dest: &Path) -> Result<u64, Error> {
        // Refuse to overwrite: a backup that silently replaces an older one is a loss.
        // A shared store's backup is its group's too, wherever it is written.
        let created = files::create_new(dest, self.store().mode()).map_err(|e| {
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

    /// Runs the integrity check and roster's invariants, and checks the mode of the
    /// store's files: owner-only for a private store; for a shared one, its group's
    /// (the folder setgid, group read and write, no world bit). With `fix`, first
    /// recomputes the derived data (it never touches profiles, connections or the audit
    /// log) and gives the files their mode back, never through a symbolic link (a link
    /// is reported for the admin to look at). What `fix` changed is written to the audit
    /// log, one entry; nothing changed, no entry.
    pub fn check(&mut self, fix: bool) -> Result<Vec<Finding>, Error> {
        let mode = self.store().mode();
        let mut unfixed = Vec::new();
        if fix {
            self.writable()?;
            let mut restored = Vec::new();
            for off in off_files(self.store().path(), mode)
                .iter()
                .filter(|o| !o.link)
            {
                match restore(off, mode) {
                    Ok(()) => restored.push(path(&off.path)),
                    Err(e) => unfixed.push((off.path.clone(), e)),
                }
            }
            let actor = self.actor().clone();
            self.store_mut().write(|db| {
                let repaired = check::fix_derived(db)?;
                if repaired.is_empty() && restored.is_empty() {
                    return Ok(());
                }
                let mut done = Vec::new();
                if !repaired.is_empty() {
                    done.push(format!("recomputed {}", repaired.describe()));
                }
                if !restored.is_empty() {
                    done.push(match mode.group {
                        None => format!("made {} owner-only", restored.join(", ")),
                        Some(gid) => format!(
                            "gave {} the shared mode of group {} (no world bits)",
                            restored.join(", "),
                            crate::users::group_name(gid)
                        ),
                    });
                }
                let summary = format!("roster check --fix {}.", done.join("; "));
                let files_key = if mode.group.is_some() {
                    "shared_mode"
                } else {
                    "owner_only"
                };
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
                    &serde_json::json!({"repaired": repaired, files_key: restored}).to_string(),
                    repaired.employees().into_iter(),
                )?;
                Ok(())
            })?;
        }
        let mut found = self.store_mut().read(check::run)?;
        for off in off_files(self.store().path(), mode) {
            let (file, bits) = (path(&off.path), off.bits);
            let should = match mode.group {
                None => "it should be owner-only (600)".to_owned(),
                Some(gid) => format!(
                    "in a store shared by group {g} it should be {} and belong to group {g}",
                    if off.dir { "2770" } else { "660" },
                    g = crate::users::group_name(gid)
                ),
            };
            let failed = unfixed.iter().find(|(p, _)| *p == off.path);
            found.push(if off.link {
                Finding {
                    check: "permissions",
                    detail: format!(
                        "{file} is a symbolic link to a file whose mode is off (mode {bits:03o}: {}); roster never changes a mode through a link: fix the file it points at or replace the link by the file",
                        off.faults.join(", ")
                    ),
                    fixable: false,
                }
            } else if let Some((_, e)) = failed {
                Finding {
                    check: "permissions",
                    detail: format!(
                        "{file} (mode {bits:03o}, owner {}): {}; {should}, and roster could not change it ({e}): ask its owner or root to run `roster check --fix`",
                        crate::users::user_name(off.owner),
                        off.faults.join(", ")
                    ),
                    fixable: false,
                }
            } else if mode.group.is_none() {
                Finding {
                    check: "permissions",
                    detail: format!(
                        "{file} can be read or written by others (mode {bits:03o}); {should}"
                    ),
                    fixable: true,
                }
            } else {
                Finding {
                    check: "permissions",
                    detail: format!(
                        "{file} (mode {bits:03o}): {}; {should}",
                        off.faults.join(", ")
                    ),
                    fixable: true,
                }
            });
        }
        Ok(found)
    }
}

/// A file or folder of the store whose mode is not the store's.
struct Off {
    path: PathBuf,
    /// Its permission bits (its target's, for a link).
    bits: u32,
    owner: u32,
    dir: bool,
    /// `path` is a symbolic link.
    link: bool,
    /// What is wrong, in words.
    faults: Vec<String>,
}

/// The store's files (the database, its WAL and shared-memory files, the note of a long
/// writer, the sessions folder, and for a shared store its folder) whose mode is not
/// the store's.
fn off_files(db: &Path, mode: Mode) -> Vec<Off> {
    let mut names: Vec<(PathBuf, bool)> = ["", "-wal", "-shm", "-writer"]
        .iter()
        .map(|s| (beside(db, s), false))
        .collect();
    names.push((presence::folder(db), true));
    if mode.group.is_some()
        && let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty())
    {
        names.push((dir.to_owned(), true));
    }
    names
        .into_iter()
        .filter_map(|(path, dir)| {
            let link = std::fs::symlink_metadata(&path)
                .ok()?
                .file_type()
                .is_symlink();
            let meta = std::fs::metadata(&path).ok()?;
            let faults = mode.faults(&meta);
            (!faults.is_empty()).then(|| Off {
                bits: meta.permissions().mode() & 0o7777,
                owner: meta.uid(),
                dir: dir || meta.is_dir(),
                path,
                link,
                faults,
            })
        })
        .collect()
}

/// Gives `off` the store's mode, through a descriptor opened without following a link,
/// so a link put there meanwhile is never followed.
fn restore(off: &Off, mode: Mode) -> Result<(), std::io::Error> {
    let file = files::open_nofollow(&off.path, off.dir)?;
    mode.apply(&file)
}
