//! roster's errors, by kind: the kind decides the exit status (2 for a mistake in what
//! was asked, 1 for a failure) and what the app does (a stale view is read again); the
//! message is a plain sentence for the admin that names the file, row or employee where
//! it arises (docs/architecture.md "Errors").

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// Bad usage or bad input; nothing was written (exit status 2).
    #[error("{0}")]
    Invalid(String),
    /// The named employee, connection or entry does not exist (exit status 2).
    #[error("{0}")]
    NotFound(String),
    /// A rule forbids the action as asked (exit status 2).
    #[error("{0}")]
    Refused(String),
    /// The target is already in the asked state (an activate of an active profile, an
    /// edit that changes nothing): nothing was written, and nothing needed to be; the
    /// command line says so and exits 0.
    #[error("{0}")]
    Unchanged(String),
    /// Someone changed the rows since they were read; nothing was written (exit status 1).
    #[error("{0}")]
    Stale(String),
    /// Another session holds the store's write lock (a long import) for longer than this
    /// process waits; nothing was written (exit status 1). Never SQLite's own "database
    /// is locked": the sentence says who holds it when that is known.
    #[error("{0}")]
    Busy(String),
    /// The read was given up for a newer one (the app's worker, when the user typed on).
    #[error("The read was cancelled for a newer one.")]
    Cancelled,
    #[error("the database failed: {0}")]
    Db(rusqlite::Error),
    /// A file, the terminal or the output could not be read or written (exit status 1).
    #[error("{0}")]
    Io(String),
    /// A check found problems: `roster check`, a backup's integrity check (exit status 1).
    #[error("{0}")]
    CheckFailed(String),
    /// A thread roster started stopped before it answered (an import's reader, the app's
    /// import); nothing was written (exit status 1).
    #[error("{0}")]
    Stopped(String),
    /// What the store holds cannot be read back: not a roster database, or an audit
    /// entry that no longer decodes (exit status 1).
    #[error("{0}")]
    Damaged(String),
    /// A value could not be written as JSON (exit status 1).
    #[error("Cannot write JSON: {0}.")]
    Json(#[from] serde_json::Error),
}

/// What a busy store says when nothing more is known about who holds it.
pub const BUSY_UNKNOWN: &str = "The store is busy: another roster session is writing to it; nothing was changed. Try again in a moment.";

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        if is_busy(&e) {
            Error::Busy(BUSY_UNKNOWN.into())
        } else if matches!(&e, rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::OperationInterrupted)
        {
            Error::Cancelled
        } else {
            Error::Db(e)
        }
    }
}

/// SQLite gave up waiting for a lock ("database is locked" / "database table is locked").
pub fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Unchanged(_) => 0,
            Error::Invalid(_) | Error::NotFound(_) | Error::Refused(_) => 2,
            Error::Stale(_)
            | Error::Busy(_)
            | Error::Cancelled
            | Error::Db(_)
            | Error::Io(_)
            | Error::CheckFailed(_)
            | Error::Stopped(_)
            | Error::Damaged(_)
            | Error::Json(_) => 1,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
