//! The errors callers branch on. Every message is a plain sentence meant for the admin.

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
    /// Someone changed the rows since they were read; nothing was written (exit status 1).
    #[error("{0}")]
    Stale(String),
    #[error("the database failed: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(String),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Invalid(_) | Error::NotFound(_) | Error::Refused(_) => 2,
            Error::Stale(_) | Error::Db(_) | Error::Io(_) => 1,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
