//! `roster setup --shared DIR --group GROUP`: one store for the admins of an ops box.
//! DIR becomes setgid and the group's (2770), the store in it and its -wal, -shm and
//! everything roster writes there 0660 and the group's, never a world bit; the store
//! records its group and the system config that governs it, and the system config names
//! the store, so that every user's plain `roster` opens it. Run again, it repairs the
//! same (README "Sharing one store on an ops box").

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::Service;
use crate::config;
use crate::domain::audit::Actor;
use crate::domain::sanitize::path as shown;
use crate::error::Error;
use crate::files::{self, Mode};
use crate::store::access::beside;
use crate::store::audit::{self, NewEntry};
use crate::store::{SHARED_CONFIG, SHARED_GROUP, Store, presence, settings};
use crate::users;

/// What to set up.
#[derive(Debug, Clone)]
pub struct Shared {
    /// The folder of the shared store.
    pub dir: PathBuf,
    /// The group: a name or a number.
    pub group: String,
    /// The system config to write (default `/etc/roster/roster.toml`).
    pub config: PathBuf,
}

/// What was set up.
#[derive(Debug, Clone)]
pub struct SetUp {
    pub db: PathBuf,
    pub dir: PathBuf,
    pub gid: u32,
    pub config: PathBuf,
    /// What happened to the config: written, or named the store already.
    pub config_note: String,
}

/// The store's file in a shared folder.
pub const DB_NAME: &str = "roster.db";

pub fn setup(req: &Shared, actor: Actor) -> Result<SetUp, Error> {
    let gid = users::gid_of(&req.group).ok_or_else(|| {
        Error::Invalid(format!(
            "There is no group named {}; create it first (e.g. `groupadd {}`) or give its number.",
            crate::domain::sanitize::escape_for_text(&req.group),
            crate::domain::sanitize::escape_for_text(&req.group)
        ))
    })?;
    let group = users::group_name(gid);
    if !users::is_root() && !users::in_group(gid) {
        return Err(Error::Refused(format!(
            "Only root or a member of group {group} can set up a store shared by it, and you ({}) are not in it.",
            users::user_name(users::uid())
        )));
    }
    let dir = std::path::absolute(&req.dir).map_err(|e| {
        Error::Invalid(format!(
            "Cannot use {} as the folder: {e}.",
            shown(&req.dir)
        ))
    })?;
    let config_path = std::path::absolute(&req.config).map_err(|e| {
        Error::Invalid(format!(
            "Cannot use {} as the config: {e}.",
            shown(&req.config)
        ))
    })?;
    let db = dir.join(DB_NAME);
    let mode = Mode::shared(gid);

    // Everything that may refuse is checked before anything is changed.
    let config_text = planned_config(&config_path, &db, &req.dir, &group)?;
    if let Ok(meta) = std::fs::symlink_metadata(&dir)
        && !meta.is_dir()
    {
        return Err(Error::Invalid(format!(
            "{} is not a folder{}; name a folder for the shared store.",
            shown(&dir),
            if meta.file_type().is_symlink() {
                " (a symbolic link)"
            } else {
                ""
            }
        )));
    }
    reachable(&dir, gid, &group)?;

    let io = |what: &str, p: &Path, e: std::io::Error| {
        Error::Io(format!("Cannot {what} {}: {e}.", shown(p)))
    };
    if let Some(parent) = dir.parent() {
        open_dirs(parent).map_err(|e| io("create", parent, e))?;
    }
    files::create_dir(&dir, mode).map_err(|e| io("create", &dir, e))?;
    let folder = files::open_nofollow(&dir, true).map_err(|e| io("open", &dir, e))?;
    mode.apply(&folder)
        .map_err(|e| io("give the group the folder", &dir, e))?;
    // The store and the files beside it: made the group's (an existing private store
    // becomes the shared one).
    if std::fs::symlink_metadata(&db).is_err() {
        files::create_new(&db, mode).map_err(|e| io("create", &db, e))?;
    }
    for suffix in ["", "-wal", "-shm", "-writer"] {
        let p = beside(&db, suffix);
        match files::open_nofollow(&p, false) {
            Ok(f) => mode.apply(&f).map_err(|e| io("give the group", &p, e))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io("open", &p, e)),
        }
    }
    files::create_dir(&presence::folder(&db), mode)
        .and_then(|()| mode.apply(&files::open_nofollow(&presence::folder(&db), true)?))
        .map_err(|e| io("create", &presence::folder(&db), e))?;

    let mut svc = Service::new(Store::open(&db)?, actor);
    let config_str = config_path.to_string_lossy().into_owned();
    let by = svc.actor().clone();
    svc.store_mut().write(|conn| {
        let at = super::now();
        let before = (
            settings::get(conn, SHARED_GROUP)?,
            settings::get(conn, SHARED_CONFIG)?,
        );
        let after = (Some(gid.to_string()), Some(config_str.clone()));
        if before == after {
            return Ok(());
        }
        settings::set(conn, SHARED_GROUP, &gid.to_string())?;
        settings::set(conn, SHARED_CONFIG, &config_str)?;
        let summary = format!(
            "Shared the store with group {group} (gid {gid}); its system config is {}.",
            shown(&config_path)
        );
        audit::append_raw(
            conn,
            &NewEntry {
                at: &at,
                actor: &by,
                action: "setup",
                summary: &summary,
                changes: &Default::default(),
                undoable: false,
                reverts: None,
            },
            &serde_json::json!({
                "shared_group": {"before": before.0, "after": gid.to_string()},
                "shared_config": {"before": before.1, "after": config_str},
            })
            .to_string(),
            std::iter::empty(),
        )?;
        Ok(())
    })?;
    drop(svc);
    // SQLite made the -wal and -shm files with the store's mode (and kept them: see
    // `store::persist_wal`); make sure of it whatever it did.
    for suffix in ["-wal", "-shm"] {
        let p = beside(&db, suffix);
        if let Ok(f) = files::open_nofollow(&p, false) {
            mode.apply(&f).map_err(|e| io("give the group", &p, e))?;
        }
    }
    let config_note = write_config(&config_path, config_text)?;
    Ok(SetUp {
        db,
        dir,
        gid,
        config: config_path,
        config_note,
    })
}

/// The text to write to the config at `path` so that it names `db`: `None` when it
/// names it already. Refused when it names another store (pointing every user at a new
/// store is not done silently).
fn planned_config(
    path: &Path,
    db: &Path,
    dir: &Path,
    group: &str,
) -> Result<Option<String>, Error> {
    let line = format!(
        "db = {}\n",
        toml::Value::String(db.to_string_lossy().into_owned())
    );
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let current = config::parse(&text, path)?;
            match current.db {
                Some(named) if named == db => Ok(None),
                Some(named) => Err(Error::Refused(format!(
                    "{} already names the store {}; every user's roster opens that one. To share {} instead, change or remove its db line first, then run setup again.",
                    shown(path),
                    shown(&named),
                    shown(db)
                ))),
                // A top-level key goes before any table: first in the file.
                None => Ok(Some(format!("{line}{text}"))),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Some(format!(
            "# roster's system config: every user's `roster` reads it (README \"Configuration\").\n\
             # Written by `roster setup --shared {} --group {group}`.\n\
             \n\
             # The store every user's plain `roster` opens (--db and ROSTER_DB win over it).\n\
             {line}\
             \n\
             # Users (names or uids) who may read the store but not change it, e.g.\n\
             # viewers = [\"alice\", 5002]\n\
             viewers = []\n",
            dir.display()
        ))),
        Err(e) => Err(Error::Io(format!(
            "Cannot read the config {}: {e}.",
            shown(path)
        ))),
    }
}

/// Writes `text` to the config at `path`, whole or not at all (a new file renamed over
/// it); readable by every user, since every user's roster reads it. Says what it did.
fn write_config(path: &Path, text: Option<String>) -> Result<String, Error> {
    let Some(text) = text else {
        return Ok(format!("{} names the store already", shown(path)));
    };
    // Checked: what is written parses.
    config::parse(&text, path)?;
    let io =
        |e: std::io::Error| Error::Io(format!("Cannot write the config {}: {e}.", shown(path)));
    let parent = path.parent().unwrap_or(Path::new("/"));
    open_dirs(parent).map_err(io)?;
    let keep = std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o7777);
    let mut tmp = tempfile::NamedTempFile::new_in(parent).map_err(io)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(io)?;
    tmp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(keep.unwrap_or(0o644)))
        .map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(format!(
        "{} {} with db = the store",
        if keep.is_some() { "updated" } else { "wrote" },
        shown(path)
    ))
}

/// Creates the folders of `path` that are missing, each 0755 whatever the umask: every
/// user must reach the shared store's folder and read the system config.
fn open_dirs(path: &Path) -> std::io::Result<()> {
    let missing: Vec<&Path> = path.ancestors().take_while(|p| !p.exists()).collect();
    for dir in missing.into_iter().rev() {
        std::fs::create_dir(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))?;
    }
    Ok(())
}

/// Refuses when the members of `gid` could not reach `dir`: every folder above it must
/// let them through (x for others, or for the group when it is theirs).
fn reachable(dir: &Path, gid: u32, group: &str) -> Result<(), Error> {
    for above in dir.ancestors().skip(1) {
        let Ok(meta) = std::fs::metadata(above) else {
            continue;
        };
        let bits = meta.permissions().mode();
        if bits & 0o001 == 0 && !(meta.gid() == gid && bits & 0o010 != 0) {
            return Err(Error::Refused(format!(
                "Members of group {group} could not reach {}: {} (mode {:03o}, owner {}, group {}) does not let them through. Choose a folder they can reach (e.g. /srv/roster), or give them x on it (chmod o+x).",
                shown(dir),
                shown(above),
                bits & 0o777,
                users::user_name(meta.uid()),
                users::group_name(meta.gid())
            )));
        }
    }
    Ok(())
}
