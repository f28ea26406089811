//! Files roster writes beside its data (backups, generated exports, the `-writer` note):
//! never through a symbolic link, never over a file someone else put there, owner-only.
//! See docs/reliability.md ("Files, audit and actor").

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::Path;

/// Creates `path` as a new file, owner-only (0600 whatever the umask), for writing.
/// Fails with `AlreadyExists` when anything is at `path`, a symbolic link too
/// (`O_CREAT | O_EXCL` never follows one), so nothing is ever overwritten.
pub fn create_new(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
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
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_new_file_is_owner_only_and_never_replaces_a_file_or_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new");
        let file = create_new(&path).unwrap();
        assert_eq!(file.metadata().unwrap().permissions().mode() & 0o777, 0o600);
        assert!(is_same(&file, &path));
        assert_eq!(
            create_new(&path).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        let target = dir.path().join("target");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(create_new(&link).is_err());
        assert!(open_regular(&link, true).unwrap().is_none());
        assert!(open_regular(&target, true).unwrap().is_some());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    }
}
