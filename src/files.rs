//! Files roster writes beside its data (backups, generated exports, the `-writer` note,
//! the session files): never through a symbolic link, never over a file someone else put
//! there, and with the store's mode: owner-only for a private store; for a shared one
//! (`roster setup --shared`), readable and writable by its group and owned by it, never
//! by the world. See docs/reliability.md ("Files, audit and actor") and README "Sharing
//! one store on an ops box".

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// The mode of the files roster writes beside a store (and of the store itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    /// The group that shares the store, or `None` for a private store.
    pub group: Option<u32>,
}

impl Mode {
    /// A private store: everything owner-only.
    pub const OWNER_ONLY: Mode = Mode { group: None };

    /// A store shared by the group `gid`.
    pub fn shared(gid: u32) -> Mode {
        Mode { group: Some(gid) }
    }

    /// A file's permission bits: 0600, or 0660 when shared.
    pub fn file(&self) -> u32 {
        if self.group.is_some() { 0o660 } else { 0o600 }
    }

    /// A folder's: 0700, or 2770 when shared (setgid, so that whatever a member creates
    /// in it belongs to the group).
    pub fn dir(&self) -> u32 {
        if self.group.is_some() { 0o2770 } else { 0o700 }
    }

    /// What is wrong with a file or folder of this mode, as `meta` describes it, in
    /// words ("others can read or write it"); empty when nothing is.
    pub fn faults(&self, meta: &std::fs::Metadata) -> Vec<String> {
        let bits = meta.permissions().mode() & 0o7777;
        let mut faults = Vec::new();
        match self.group {
            None => {
                if bits & 0o077 != 0 {
                    faults.push("others than its owner can read or write it".to_owned());
                }
            }
            Some(gid) => {
                if bits & 0o007 != 0 {
                    faults.push("everyone on the box can reach it (a world bit)".to_owned());
                }
                if meta.gid() != gid {
                    faults.push(format!(
                        "it belongs to group {}, not {}",
                        crate::users::group_name(meta.gid()),
                        crate::users::group_name(gid)
                    ));
                }
                let want = if meta.is_dir() { 0o070 } else { 0o060 };
                if bits & want != want {
                    faults.push("its group cannot read and write it".to_owned());
                }
                if meta.is_dir() && bits & 0o2000 == 0 {
                    faults.push(
                        "it is not setgid, so files made in it would not belong to the group"
                            .to_owned(),
                    );
                }
            }
        }
        faults
    }

    /// Gives the open file or folder `file` this mode: the bits (whatever the umask made
    /// of them) and, when shared, the group.
    pub fn apply(&self, file: &File) -> io::Result<()> {
        let dir = file.metadata()?.is_dir();
        if let Some(gid) = self.group
            && file.metadata()?.gid() != gid
        {
            std::os::unix::fs::fchown(file, None, Some(gid))?;
        }
        file.set_permissions(std::fs::Permissions::from_mode(if dir {
            self.dir()
        } else {
            self.file()
        }))
    }
}

/// Creates `path` as a new file of `mode` (0600, or 0660 and the group's when shared,
/// whatever the umask), for writing. Fails with `AlreadyExists` when anything is at
/// `path`, a symbolic link too (`O_CREAT | O_EXCL` never follows one), so nothing is
/// ever overwritten.
pub fn create_new(path: &Path, mode: Mode) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)?;
    if mode != Mode::OWNER_ONLY
        && let Err(e) = mode.apply(&file)
    {
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(file)
}

/// Makes the folder `path` (not its parents) with `mode`, whatever the umask; an
/// existing folder is left as it is.
pub fn create_dir(path: &Path, mode: Mode) -> io::Result<()> {
    match std::fs::DirBuilder::new().mode(0o700).create(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(()),
        Err(e) => return Err(e),
    }
    if mode != Mode::OWNER_ONLY {
        let dir = open_nofollow(path, true)?;
        mode.apply(&dir)?;
    }
    Ok(())
}

/// Opens `path` (a file, or with `dir` a folder) for reading its metadata and changing
/// its mode, never through a symbolic link (ELOOP for a link).
pub fn open_nofollow(path: &Path, dir: bool) -> io::Result<File> {
    let mut flags = libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC;
    if dir {
        flags |= libc::O_DIRECTORY;
    }
    OpenOptions::new().read(true).custom_flags(flags).open(path)
}

/// Opens an existing regular file without following a symbolic link at `path` (and
/// without blocking on a FIFO someone put there). `None` for a link, a FIFO, a device
/// or a file with other hard links: nothing roster should read or write through.
pub fn open_regular(path: &Path, write: bool) -> io::Result<Option<File>> {
    let file = match OpenOptions::new()
        .read(true)
        .write(write)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
    {
        Ok(f) => f,
        // ELOOP: the last component is a symbolic link.
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Ok(None),
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.file_type().is_file() || meta.nlink() != 1 {
        return Ok(None);
    }
    Ok(Some(file))
}

/// Whether `path` names the very file `file` is open on (same device and inode), not
/// one put in its place since.
pub fn is_same(file: &File, path: &Path) -> bool {
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_owner_only_and_never_replaces_a_file_or_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new");
        let file = create_new(&path, Mode::OWNER_ONLY).unwrap();
        assert_eq!(file.metadata().unwrap().permissions().mode() & 0o777, 0o600);
        assert!(is_same(&file, &path));
        assert_eq!(
            create_new(&path, Mode::OWNER_ONLY).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        let target = dir.path().join("target");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(create_new(&link, Mode::OWNER_ONLY).is_err());
        assert!(open_regular(&link, true).unwrap().is_none());
        assert!(open_regular(&target, true).unwrap().is_some());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    }
}

#[cfg(test)]
mod shared_tests {
    use super::*;

    #[test]
    fn a_shared_file_or_folder_is_the_groups_whatever_the_umask() {
        let dir = tempfile::tempdir().unwrap();
        // The process's own group: any user may give a file to a group it is in.
        let gid = nix::unistd::getegid().as_raw();
        let mode = Mode::shared(gid);
        // SAFETY: umask only changes this process's creation mask; restored below.
        let old = unsafe { libc::umask(0o077) };
        let file = create_new(&dir.path().join("f"), mode);
        let made = create_dir(&dir.path().join("d"), mode);
        unsafe { libc::umask(old) };
        let meta = file.unwrap().metadata().unwrap();
        assert_eq!(meta.permissions().mode() & 0o7777, 0o660);
        assert_eq!(meta.gid(), gid);
        assert!(mode.faults(&meta).is_empty());
        made.unwrap();
        let meta = std::fs::metadata(dir.path().join("d")).unwrap();
        assert_eq!(meta.permissions().mode() & 0o7777, 0o2770);
        assert!(mode.faults(&meta).is_empty(), "{:?}", mode.faults(&meta));
        // A world bit, a folder without setgid, a file the group cannot write: said.
        std::fs::set_permissions(dir.path().join("d"), std::fs::Permissions::from_mode(0o775))
            .unwrap();
        let faults = mode.faults(&std::fs::metadata(dir.path().join("d")).unwrap());
        assert_eq!(faults.len(), 2, "{faults:?}");
        std::fs::set_permissions(dir.path().join("f"), std::fs::Permissions::from_mode(0o640))
            .unwrap();
        let faults = mode.faults(&std::fs::metadata(dir.path().join("f")).unwrap());
        assert_eq!(faults, ["its group cannot read and write it"]);
        assert_eq!(
            Mode::OWNER_ONLY.faults(&std::fs::metadata(dir.path().join("f")).unwrap()),
            ["others than its owner can read or write it"]
        );
    }
}
