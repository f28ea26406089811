//! The SQLite store: one file, WAL, foreign keys, one transaction per action.

pub mod access;
pub mod apply;
pub mod audit;
pub mod bulk;
pub mod check;
pub mod connections;
pub mod counts;
pub mod duplicates;
pub mod employees;
pub mod holder;
pub mod import_journal;
pub mod import_review;
pub mod import_runs;
pub mod import_undo;
pub mod import_writer;
pub mod inbox;
pub mod listing;
pub mod presence;
pub mod review;
pub mod schema;
pub mod search_sql;
pub mod settings;
pub mod systems;
pub mod values;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::domain::sanitize::path as shown;
use crate::error::{Error, is_busy};
use crate::files::Mode;
use access::Reach;
use holder::Holder;

/// How long the commands wait for another writer before giving up with `Error::Busy`.
/// Actions hold the write lock for milliseconds; an import holds it for its whole
/// transaction (about 30 s for a million new rows), and cron may start two at once: a
/// script would rather wait than fail. `--wait SECONDS` changes it.
pub const CLI_WAIT: Duration = Duration::from_secs(600);

/// How long the terminal app waits: enough for any action of another session, short
/// enough that the screen never seems frozen behind an import (it says who is writing).
pub const APP_WAIT: Duration = Duration::from_millis(500);

/// The longest wait roster accepts (`--wait`, `ROSTER_WAIT`): a day. SQLite counts its
/// busy timeout in milliseconds in an `i32` (about 24.8 days); longer would not fit.
pub const MAX_WAIT: Duration = Duration::from_secs(86_400);

/// Each connection's SQLite page cache, in KiB, unless a reader asks for less
/// (`set_cache_kib`).
pub const DEFAULT_CACHE_KIB: i64 = 32_000;

/// While waiting for the write lock, how long each attempt waits inside SQLite.
const WAIT_STEP: Duration = Duration::from_millis(200);

/// After how long a waiting writer says that it waits (`Store::on_wait`).
const WAIT_NOTICE: Duration = Duration::from_secs(1);

/// Told once per write that waits for another writer, with who that is when known.
pub type OnWait = Box<dyn FnMut(Option<&Holder>) + Send>;

/// A transaction begun by `BEGIN IMMEDIATE`: rolled back when dropped uncommitted.
struct Open<'c> {
    conn: &'c Connection,
    done: bool,
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if !self.done && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// The settings `roster setup --shared` records in a shared store: the group's id, and
/// the system config that governs the store (its viewers).
pub const SHARED_GROUP: &str = "shared_group";
pub const SHARED_CONFIG: &str = "shared_config";

/// The most a WAL file keeps between checkpoints and after the last connection closes
/// (SQLite truncates it to this). The file itself stays: see `persist_wal`.
const WAL_KEEP_BYTES: i64 = 64 * 1024 * 1024;

pub struct Store {
    conn: Connection,
    path: PathBuf,
    wait: Duration,
    on_wait: Option<OnWait>,
    /// Why this process may not change the store (the files or the config say so).
    read_only: Option<String>,
    /// The mode of the store's files: owner-only, or its group's when shared.
    mode: Mode,
    /// The system config that governs a shared store.
    governing: Option<PathBuf>,
}

/// The default database: `$XDG_DATA_HOME/roster/roster.db`, else
/// `~/.local/share/roster/roster.db`.
pub fn default_path() -> Result<PathBuf, Error> {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join("roster").join("roster.db"));
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => Ok(PathBuf::from(home).join(".local/share/roster/roster.db")),
        None => Err(Error::Invalid(
            "Neither XDG_DATA_HOME nor HOME is set, so there is no default database; pass --db PATH or set ROSTER_DB."
                .into(),
        )),
    }
}

/// The store named by the system config: opened, never created (`roster setup` makes
/// it), so that a user for whom it is missing or out of reach gets a sentence, and
/// nothing in their home.
pub fn require_shared(db: &Path, config: &Path) -> Result<(), Error> {
    match std::fs::symlink_metadata(db) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(access::outsider(db)),
        Err(_) => Err(Error::Invalid(format!(
            "The store {} named in {} does not exist, and roster creates nothing for you: an admin makes it with `roster setup --shared {} --group GROUP` (or corrects db there); for a store of your own, pass --db PATH.",
            shown(db),
            shown(config),
            shown(db.parent().unwrap_or(Path::new("DIR")))
        ))),
    }
}

/// The name to give SQLite for the file at `path`, taken literally. The bundled SQLite
/// reads names that start with `file:` as URIs (it is built with URI support, whatever
/// the open flags say), so `file:live.db` would open `live.db`: a relative path is
/// given as `./path`, which is never a URI and never `:memory:`.
pub fn literal(path: &Path) -> PathBuf {
    if path.is_relative() {
        Path::new(".").join(path)
    } else {
        path.to_owned()
    }
}

impl Store {
    /// Opens (creating it owner-only when missing) and migrates the database at `path`;
    /// writes wait up to `CLI_WAIT` for another writer.
    pub fn open(path: &Path) -> Result<Store, Error> {
        Store::open_waiting(path, CLI_WAIT)
    }

    /// The same, waiting up to `wait` for another writer (also while opening, should a
    /// migration or a recovery hold the lock).
    pub fn open_waiting(path: &Path, wait: Duration) -> Result<Store, Error> {
        let wait = wait.min(MAX_WAIT);
        let io = |what: &str, e: std::io::Error| {
            Error::Io(format!("Cannot {what} {}: {e}.", shown(path)))
        };
        if path.as_os_str().is_empty() || path.as_os_str() == ":memory:" {
            return Err(Error::Invalid(format!(
                "roster needs a file for its database: '{}' would be a database in memory, lost when roster ends; pass --db PATH (e.g. ./roster.db).",
                shown(path)
            )));
        }
        if path.is_dir() {
            return Err(Error::Invalid(format!(
                "{} is a folder; --db takes the database file (e.g. {}).",
                shown(path),
                shown(&path.join("roster.db"))
            )));
        }
        let reach = access::probe(path)?;
        if reach == Reach::Missing {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
                && !dir.exists()
            {
                DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(dir)
                    .map_err(|e| io("create the folder of", e))?;
            }
            // Created here, not by SQLite, so the file never exists with looser
            // permissions; SQLite gives the -wal and -shm files the same mode as the
            // database (and, in a shared store's setgid folder, they take its group).
            OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .open(path)
                .map_err(|e| io("create", e))?;
        }
        let read_only = match reach {
            Reach::ReadOnly(why) => Some(why),
            _ => None,
        };
        let access = if read_only.is_some() {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        };
        let conn =
            Connection::open_with_flags(literal(path), access | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| Error::Io(format!("Cannot open {}: {e}.", shown(path))))?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
            wait,
            on_wait: None,
            read_only,
            mode: Mode::OWNER_ONLY,
            governing: None,
        };
        store.configure().map_err(|e| match e {
            Error::Db(db) => Error::Damaged(format!(
                "{} is not a roster database, or it is damaged: {db}.",
                shown(path)
            )),
            other => other,
        })?;
        let (group, governing) = store.read(|db| {
            Ok((
                settings::get(db, SHARED_GROUP)?,
                settings::get(db, SHARED_CONFIG)?,
            ))
        })?;
        if let Some(gid) = group.and_then(|g| g.parse().ok()) {
            store.mode = Mode::shared(gid);
        }
        store.governing = governing.map(PathBuf::from);
        Ok(store)
    }

    fn configure(&mut self) -> Result<(), Error> {
        self.conn.busy_timeout(self.wait)?;
        persist_wal(&self.conn);
        if self.read_only.is_none() {
            self.conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
        }
        self.conn.execute_batch(&format!(
            "PRAGMA foreign_keys = ON;
             PRAGMA synchronous = NORMAL;
             PRAGMA journal_size_limit = {WAL_KEEP_BYTES};"
        ))?;
        self.set_cache_kib(DEFAULT_CACHE_KIB)?;
        if let Some(why) = &self.read_only {
            let version: i64 = self
                .conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if (version as usize) < schema::latest_version() {
                return Err(Error::Refused(format!(
                    "The store {} must first be upgraded to this roster's schema, and you cannot write it ({}); ask someone who can to run `roster check` on it once.",
                    shown(&self.path),
                    why.trim_start_matches("read-only: ")
                )));
            }
            // The functions the queries call; no migration can run.
            search_sql::register(&self.conn)?;
            return Ok(());
        }
        schema::migrate(&mut self.conn)
    }

    /// Why this process may not change the store, when it may not.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// From now on every write is refused up front with `why` (a viewer).
    pub fn refuse_writes(&mut self, why: String) {
        self.read_only = Some(why);
    }

    /// The mode of the store's files (and of what roster writes beside it).
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The system config that governs this store, when `roster setup` recorded one.
    pub fn governing(&self) -> Option<&Path> {
        self.governing.as_deref()
    }

    /// Sets this connection's SQLite page cache to `kib` KiB: big for an import's
    /// writes, small for a thread that streams through the table.
    pub fn set_cache_kib(&self, kib: i64) -> Result<(), Error> {
        self.conn.pragma_update(None, "cache_size", -kib)?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection for reads outside a write transaction.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// How long writes (and reads, in the rare moments SQLite makes them wait) wait for
    /// another writer before giving up with `Error::Busy`.
    pub fn set_wait(&mut self, wait: Duration) -> Result<(), Error> {
        let wait = wait.min(MAX_WAIT);
        self.wait = wait;
        self.conn.busy_timeout(wait)?;
        Ok(())
    }

    pub fn wait(&self) -> Duration {
        self.wait
    }

    /// Called once per write that has waited a second for another writer (the command
    /// line says so on a terminal).
    pub fn on_wait(&mut self, f: OnWait) {
        self.on_wait = Some(f);
    }

    /// Runs `f` in one write transaction (taken at once, so two writers queue instead
    /// of failing half-way); commits when `f` succeeds, rolls back otherwise. Waits up
    /// to the store's wait for the write lock, then fails with `Error::Busy`, which
    /// names the long writer holding it when one registered (`write_as`).
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&Connection) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.write_inner(None, f)
    }

    /// `write`, for a writer that may hold the lock for long (an import): while it
    /// does, a process that finds the store busy is told who writes and since when.
    pub fn write_as<T>(
        &mut self,
        holder: &Holder,
        f: impl FnOnce(&Connection) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.write_inner(Some(holder), f)
    }

    fn write_inner<T>(
        &mut self,
        holder: Option<&Holder>,
        f: impl FnOnce(&Connection) -> Result<T, Error>,
    ) -> Result<T, Error> {
        // Every change of every front comes through here: a user who may only read is
        // told so before anything is tried, never with an error of SQLite's.
        if let Some(why) = &self.read_only {
            return Err(Error::Refused(format!("{why}; nothing was changed.")));
        }
        self.begin_immediate()?;
        // From here the write lock is held; the guard rolls back on any early return.
        let mut tx = Open {
            conn: &self.conn,
            done: false,
        };
        let _registration = holder.and_then(|h| holder::register(&self.path, h, self.mode));
        crate::debug::pause("write-start");
        let out = f(tx.conn)?;
        crate::debug::pause("commit");
        tx.conn
            .execute_batch("COMMIT")
            .map_err(|e| self.busy_or(e))?;
        tx.done = true;
        crate::debug::pause("committed");
        Ok(out)
    }

    /// `BEGIN IMMEDIATE`, waiting for the write lock up to the store's wait, in steps, so
    /// that a long wait can be told about.
    fn begin_immediate(&mut self) -> Result<(), Error> {
        let started = Instant::now();
        let step = WAIT_STEP.min(self.wait);
        let mut told = false;
        if step != self.wait {
            self.conn.busy_timeout(step)?;
        }
        let result = loop {
            match self.conn.execute_batch("BEGIN IMMEDIATE") {
                Ok(()) => break Ok(()),
                Err(e) if is_busy(&e) => {
                    let waited = started.elapsed();
                    if waited >= self.wait {
                        break Err(self.busy_error());
                    }
                    if !told && waited >= WAIT_NOTICE {
                        told = true;
                        if let Some(on_wait) = self.on_wait.as_mut() {
                            on_wait(holder::current(&self.path).as_ref());
                        }
                    }
                    let left = self.wait - waited;
                    if left < step {
                        self.conn.busy_timeout(left)?;
                    }
                }
                Err(e) => break Err(e.into()),
            }
        };
        if step != self.wait {
            self.conn.busy_timeout(self.wait)?;
        }
        result
    }

    /// The sentence for a store that stayed busy: who writes, when that is known.
    pub fn busy_error(&self) -> Error {
        busy_error(&self.path, self.wait)
    }

    /// A failure of SQLite, with a busy one told as `busy_error` says.
    fn busy_or(&self, e: rusqlite::Error) -> Error {
        if is_busy(&e) {
            self.busy_error()
        } else {
            e.into()
        }
    }

    /// Runs `f` on one consistent snapshot (a read transaction).
    pub fn read<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T, Error>) -> Result<T, Error> {
        let path = &self.path;
        let wait = self.wait;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(|e| {
                if is_busy(&e) {
                    busy_error(path, wait)
                } else {
                    e.into()
                }
            })?;
        let out = f(&tx)?;
        tx.finish()?;
        Ok(out)
    }

    /// A number that changes whenever another connection commits: the app polls it to
    /// know when to refresh.
    pub fn data_version(&self) -> Result<i64, Error> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }
}

/// Keeps the -wal and -shm files when the last connection closes (SQLite would delete
/// them): a user who may only read the store cannot create them, and SQLite cannot read
/// a WAL store without them. The WAL is truncated (`journal_size_limit`), not removed.
fn persist_wal(conn: &Connection) {
    let mut on: libc::c_int = 1;
    // SAFETY: SQLITE_FCNTL_PERSIST_WAL takes a pointer to an int that it reads (and
    // writes back) during the call only; the handle is this connection's, alive here.
    unsafe {
        rusqlite::ffi::sqlite3_file_control(
            conn.handle(),
            c"main".as_ptr(),
            rusqlite::ffi::SQLITE_FCNTL_PERSIST_WAL,
            (&mut on as *mut libc::c_int).cast(),
        );
    }
}

/// The sentence for the store at `path` that stayed busy for `wait`.
fn busy_error(path: &Path, wait: Duration) -> Error {
    let waited = if wait >= Duration::from_secs(1) {
        format!("roster waited {} s and changed nothing", wait.as_secs())
    } else {
        "nothing was changed".to_owned()
    };
    match holder::current(path) {
        Some(h) => Error::Busy(format!(
            "The store is busy with {}; {waited}. Try again when it finishes.",
            crate::domain::sanitize::escape_for_text(&h.describe(chrono::Utc::now()))
        )),
        None => Error::Busy(format!(
            "The store is busy: another roster session is writing to it; {waited}. Try again in a moment."
        )),
    }
}
