//! Who holds the write lock for long (an import): a small file beside the database,
//! `<db>-writer` (with the store's mode), that the long writer fills once it holds SQLite's write lock and keeps
//! locked (flock) until its transaction ends. Another process that finds the store busy
//! reads it to say who is writing and since when. The kernel drops the flock when the
//! writer dies, even by `kill -9`, so a stale file is recognised and never blamed.

use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use crate::files::{self, Mode};

/// What a long writer says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// A phrase: "an import of salesforce.csv (Salesforce)".
    pub what: String,
    /// The actor's label: "alice (as cron) from 10.0.0.7".
    pub actor: String,
    /// When it took the lock (UTC, RFC 3339); `register` stamps it.
    pub since: String,
    pub pid: u32,
}

impl Holder {
    /// "an import of x.csv by alice, started at 10:02:13 (2 min ago)".
    pub fn describe(&self, now: DateTime<Utc>) -> String {
        let when = match DateTime::parse_from_rfc3339(&self.since) {
            Ok(t) => {
                let local = t.with_timezone(&Local);
                let today = now.with_timezone(&Local).date_naive() == local.date_naive();
                let at = if today {
                    local.format("%H:%M:%S").to_string()
                } else {
                    local.format("%Y-%m-%d %H:%M:%S").to_string()
                };
                let secs = (now - t.with_timezone(&Utc)).num_seconds().max(0);
                let ago = if secs < 120 {
                    format!("{secs} s ago")
                } else {
                    format!("{} min ago", secs / 60)
                };
                format!(", started at {at} ({ago})")
            }
            Err(_) => String::new(),
        };
        format!("{} by {}{when}", self.what, self.actor)
    }
}

/// The file beside `db`.
pub fn path_for(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-writer");
    PathBuf::from(name)
}

/// A registration in force; dropping it (the transaction ended) empties and unlocks
/// the file.
pub struct Registration {
    file: File,
}

impl Drop for Registration {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        // Closing the file releases the lock.
    }
}

fn flock(file: &File, op: libc::c_int) -> bool {
    // SAFETY: flock on a file descriptor this File owns.
    unsafe { libc::flock(file.as_raw_fd(), op) == 0 }
}

/// Says who writes. Called with SQLite's write lock held, so only one process at a time
/// fills the file. Best effort: a failure here never fails the write itself.
/// The note is never written through a symbolic link or into anything but a regular
/// file of its own: one put in its place (a link to a file of the admin's) is replaced
/// by a new file, never truncated.
pub fn register(db: &Path, holder: &Holder, mode: Mode) -> Option<Registration> {
    let holder = Holder {
        since: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        ..holder.clone()
    };
    let mut file = open_note(&path_for(db), mode)?;
    if !flock(&file, libc::LOCK_EX) {
        return None;
    }
    let text = serde_json::to_string(&holder).ok()?;
    file.set_len(0).ok()?;
    file.rewind().ok()?;
    file.write_all(text.as_bytes()).ok()?;
    file.flush().ok()?;
    Some(Registration { file })
}

/// The note at `path`, opened for writing: the regular file found there, else a new
/// one (whatever else was there, a link or a FIFO, is replaced, its target untouched).
fn open_note(path: &Path, mode: Mode) -> Option<File> {
    match files::open_regular(path, true) {
        Ok(Some(file)) => return Some(file),
        Ok(None) => {
            // A link, a FIFO or a hard-linked file: the name goes, not what it points at.
            std::fs::remove_file(path).ok()?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(_) => return None,
    }
    // Another writer cannot be creating it at the same time: the caller holds SQLite's
    // write lock.
    files::create_new(path, mode).ok()
}

/// The live holder of `db`'s write lock, when a long writer registered one and still
/// runs.
pub fn current(db: &Path) -> Option<Holder> {
    let mut file = files::open_regular(&path_for(db), false).ok()??;
    if flock(&file, libc::LOCK_SH | libc::LOCK_NB) {
        // Nobody holds it: the file is empty, or left by a writer that died.
        return None;
    }
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registration_is_seen_until_it_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("r.db");
        assert_eq!(current(&db), None);
        let h = Holder {
            what: "an import of x.csv".into(),
            actor: "alice".into(),
            since: Utc::now().to_rfc3339(),
            pid: 1,
        };
        let reg = register(&db, &h, Mode::OWNER_ONLY).unwrap();
        let seen = current(&db).unwrap();
        // The time is the registration's (the lock was just taken), not the caller's.
        assert!(seen.since >= h.since, "{seen:?}");
        assert_eq!(
            seen,
            Holder {
                since: seen.since.clone(),
                ..h.clone()
            }
        );
        drop(reg);
        assert_eq!(current(&db), None);
        assert!(
            h.describe(Utc::now())
                .starts_with("an import of x.csv by alice, started at ")
        );
    }
}
