//! Who has the store open in the app right now: one small file per session in a folder
//! beside the store (`<db>-sessions/`), each held with an exclusive `flock` for the
//! session's life. Counting takes a non-blocking shared lock on each file: a file whose
//! lock is held belongs to a live session. The kernel drops the lock when a process
//! dies, even by `kill -9`, so a session that could not clean up is simply no longer
//! counted, and whoever counts next removes its file. Nothing is ever written to SQLite
//! for this (readers of the store stay readers).

use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use super::access::beside;
use crate::files::{self, Mode};

/// What a session file says about its session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub uid: u32,
    /// The OS user by uid (its number when it has no name).
    pub user: String,
    pub pid: u32,
    pub ssh_client: Option<String>,
}

/// The folder of the session files of `db`.
pub fn folder(db: &Path) -> PathBuf {
    beside(db, "-sessions")
}

/// This process's session, held until dropped (then its file goes).
pub struct Session {
    file: File,
    path: PathBuf,
}

impl Drop for Session {
    fn drop(&mut self) {
        // Only while it is still this session's file (never one put in its place).
        if files::is_same(&self.file, &self.path) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn flock(file: &File, op: libc::c_int) -> bool {
    // SAFETY: flock on a file descriptor this File owns.
    unsafe { libc::flock(file.as_raw_fd(), op) == 0 }
}

/// Says that this process has the store at `db` open. Best effort: a user who cannot
/// write beside the store (a viewer by file permissions) is not counted, and nothing
/// fails because of it.
pub fn join(db: &Path, mode: Mode, me: &Seen) -> Option<Session> {
    let dir = folder(db);
    files::create_dir(&dir, mode).ok()?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let name = format!("{}-{}-{nanos}", me.uid, me.pid);
    // Written and locked under a name the counters skip, then put in place: a counter
    // never sees the file unlocked.
    let draft = dir.join(format!(".{name}"));
    let mut file = files::create_new(&draft, mode).ok()?;
    let ok = flock(&file, libc::LOCK_EX | libc::LOCK_NB)
        && serde_json::to_writer(&mut file, me).is_ok()
        && file.flush().is_ok();
    let path = dir.join(&name);
    if !ok || std::fs::rename(&draft, &path).is_err() {
        let _ = std::fs::remove_file(&draft);
        return None;
    }
    Some(Session { file, path })
}

/// The sessions that have the store at `db` open now, except `mine`. Files left by
/// sessions that died are removed on the way (when this user may).
pub fn others(db: &Path, mine: Option<&Session>) -> Vec<Seen> {
    let Ok(entries) = std::fs::read_dir(folder(db)) else {
        return Vec::new();
    };
    let mut seen = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.')
            || mine.is_some_and(|m| m.path == path)
        {
            continue;
        }
        let Ok(Some(file)) = files::open_regular(&path, false) else {
            continue;
        };
        if flock(&file, libc::LOCK_SH | libc::LOCK_NB) {
            // Nobody holds it: its session is gone.
            drop(file);
            let _ = std::fs::remove_file(&path);
            continue;
        }
        let who = std::io::read_to_string(&file)
            .ok()
            .and_then(|t| serde_json::from_str::<Seen>(&t).ok());
        if let Some(who) = who {
            seen.push(who);
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me(pid: u32) -> Seen {
        Seen {
            uid: 1000,
            user: "alice".into(),
            pid,
            ssh_client: None,
        }
    }

    #[test]
    fn a_session_is_counted_by_others_until_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("r.db");
        assert!(others(&db, None).is_empty());
        let a = join(&db, Mode::OWNER_ONLY, &me(1)).unwrap();
        let b = join(&db, Mode::OWNER_ONLY, &me(2)).unwrap();
        assert_eq!(others(&db, Some(&a)), vec![me(2)]);
        assert_eq!(others(&db, Some(&b)), vec![me(1)]);
        assert_eq!(others(&db, None).len(), 2);
        drop(b);
        assert!(others(&db, Some(&a)).is_empty());
    }

    #[test]
    fn a_file_left_by_a_dead_session_is_not_counted_and_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("r.db");
        let a = join(&db, Mode::OWNER_ONLY, &me(1)).unwrap();
        // What a killed process leaves: the file, with no lock on it.
        let left = folder(&db).join("1000-99-1");
        std::fs::write(&left, serde_json::to_string(&me(99)).unwrap()).unwrap();
        assert!(others(&db, Some(&a)).is_empty());
        assert!(!left.exists());
    }
}
