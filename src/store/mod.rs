//! The SQLite store: one file, WAL, foreign keys, one transaction per action.

pub mod apply;
pub mod audit;
pub mod check;
pub mod connections;
pub mod counts;
pub mod employees;
pub mod import_writer;
pub mod listing;
pub mod scan_back;
pub mod schema;
pub mod search_sql;
pub mod settings;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::Error;

/// How long a writer waits for another writer before giving up. Actions are short
/// transactions, and a big import holds the lock for seconds at most, so this is ample.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Store {
    conn: Connection,
    path: PathBuf,
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

impl Store {
    /// Opens (creating it owner-only when missing) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Store, Error> {
        let io = |what: &str, e: std::io::Error| {
            Error::Io(format!("Cannot {what} {}: {e}.", path.display()))
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.exists()
        {
            DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| io("create the folder of", e))?;
        }
        if !path.exists() {
            // Created here, not by SQLite, so the file never exists with looser permissions;
            // SQLite gives the -wal and -shm files the same mode as the database.
            OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .open(path)
                .map_err(|e| io("create", e))?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| Error::Io(format!("Cannot open {}: {e}.", path.display())))?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
        };
        store.configure().map_err(|e| match e {
            Error::Db(db) => Error::Io(format!(
                "{} is not a roster database, or it is damaged: {db}.",
                path.display()
            )),
            other => other,
        })?;
        Ok(store)
    }

    fn configure(&mut self) -> Result<(), Error> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        self.conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
        self.conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             PRAGMA synchronous = NORMAL;
             PRAGMA cache_size = -32000;",
        )?;
        schema::migrate(&mut self.conn)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection for reads outside a write transaction.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Runs `f` in one write transaction (taken at once, so two writers queue instead
    /// of failing half-way); commits when `f` succeeds, rolls back otherwise.
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&Connection) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` on one consistent snapshot (a read transaction).
    pub fn read<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T, Error>) -> Result<T, Error> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
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
