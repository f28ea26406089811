//! What this user may do with a store's files, found before SQLite is asked (which would
//! only say "unable to open database file" or, worse, create a store where none was
//! meant): change it, only read it (the files say so: the OS enforces it), or nothing at
//! all (one sentence naming the store, its group, its owner and who can add the user).

use nix::unistd::AccessFlags;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::domain::sanitize::path as shown;
use crate::error::Error;
use crate::users;

/// How far this user reaches the store at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Nothing is there (the folder can be looked into): a store may be created.
    Missing,
    /// The user may read and write the store's files.
    ReadWrite,
    /// The user may read the store but not change it: the sentence that says why.
    ReadOnly(String),
}

/// The file beside `db` with `suffix` appended to its name.
pub fn beside(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn can(path: &Path, how: AccessFlags) -> bool {
    // With the effective ids and every group of this process, as the kernel will check.
    nix::unistd::eaccess(path, how).is_ok()
}

/// How far this user reaches the store at `db`; an error (exit status 2) when not at
/// all.
pub fn probe(db: &Path) -> Result<Reach, Error> {
    let meta = match std::fs::symlink_metadata(db) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Reach::Missing),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(outsider(db));
        }
        // Anything else (a name too long, a loop) is said when the store is opened.
        Err(_) => return Ok(Reach::ReadWrite),
    };
    if !can(db, AccessFlags::R_OK) {
        return Err(outsider(db));
    }
    let folder = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let folder_writable = can(&folder, AccessFlags::W_OK | AccessFlags::X_OK);
    // SQLite writes the -wal and -shm files beside the store: they must be writable,
    // or creatable in the folder.
    let companions_writable = ["-wal", "-shm"].iter().all(|s| {
        let p = beside(db, s);
        match std::fs::symlink_metadata(&p) {
            Ok(_) => can(&p, AccessFlags::R_OK | AccessFlags::W_OK),
            Err(_) => folder_writable,
        }
    });
    if can(db, AccessFlags::W_OK) && companions_writable {
        return Ok(Reach::ReadWrite);
    }
    // Reading needs SQLite's -wal and -shm files: there, or creatable.
    let companions_there = ["-wal", "-shm"]
        .iter()
        .all(|s| can(&beside(db, s), AccessFlags::R_OK));
    if !companions_there && !folder_writable {
        return Err(Error::Refused(format!(
            "You may read the store {} but its -wal and -shm files are missing and you cannot create them; ask {} to open roster on it once (e.g. `roster check`), which leaves them there.",
            shown(db),
            who_writes(&meta)
        )));
    }
    let gid = meta.gid();
    let mode = meta.permissions().mode();
    Ok(Reach::ReadOnly(
        if mode & 0o020 != 0 && !users::in_group(gid) {
            format!("read-only: you are not in group {}", users::group_name(gid))
        } else {
            format!(
                "read-only: you cannot write to {} (mode {:03o}, owner {}, group {})",
                shown(db),
                mode & 0o777,
                users::user_name(meta.uid()),
                users::group_name(gid)
            )
        },
    ))
}

/// "a member of group roster-admins" or "alice": who can write the store.
fn who_writes(meta: &std::fs::Metadata) -> String {
    if meta.permissions().mode() & 0o020 != 0 {
        format!("a member of group {}", users::group_name(meta.gid()))
    } else {
        users::user_name(meta.uid())
    }
}

/// The sentence for a user who cannot open the store at `db` at all: the store, the
/// owner and group of what stops them (the store's file, or a folder above it), and
/// who can add them.
pub fn outsider(db: &Path) -> Error {
    let me = users::user_name(users::uid());
    // What stops this user: the store itself when it can be looked at, else the nearest
    // folder above it that can.
    let blocker = std::iter::once(db)
        .chain(db.ancestors().skip(1))
        .filter(|p| !p.as_os_str().is_empty())
        .find_map(|p| std::fs::metadata(p).ok().map(|m| (p.to_owned(), m)));
    let Some((what, meta)) = blocker else {
        return Error::Refused(format!(
            "You ({me}) cannot open the store {}: permission denied; ask its owner or root to give you access.",
            shown(db)
        ));
    };
    let (gid, owner) = (meta.gid(), users::user_name(meta.uid()));
    let group = users::group_name(gid);
    let bits = meta.permissions().mode() & 0o7777;
    let owner_or_root = if meta.uid() == 0 {
        "root".to_owned()
    } else {
        format!("{owner} or root")
    };
    if users::in_group(gid) {
        let fix = if meta.is_dir() {
            "chmod 2770"
        } else {
            "chmod 660"
        };
        return Error::Refused(format!(
            "You ({me}) cannot open the store {}: {} (owner {owner}, group {group}) has mode {bits:03o}, which keeps even its group out; ask {owner_or_root} to give the group access back (`roster check --fix` as {owner}, or {fix}).",
            shown(db),
            shown(&what),
        ));
    }
    let members = users::group_members(gid);
    let admins = if !members.is_empty() {
        format!(
            "an admin of group {group} (members: {})",
            members.join(", ")
        )
    } else {
        owner_or_root
    };
    Error::Refused(format!(
        "You ({me}) cannot open the store {}: {} belongs to group {group} (owner {owner}, mode {bits:03o}) and you are not in that group; ask {admins} to add you (e.g. `sudo usermod -aG {group} {me}`), then log in again.",
        shown(db),
        if what == db {
            "it".to_owned()
        } else {
            shown(&what).to_string()
        }
    ))
}
