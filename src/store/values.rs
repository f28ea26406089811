//! The domain's word-valued types as SQLite reads and writes them: a status or an origin
//! is stored as its word, and a word the store does not know is an error (a damaged or
//! newer database), never quietly another value.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::model::{Origin, Status};

fn word<T>(v: ValueRef<'_>, what: &str, parse: impl Fn(&str) -> Option<T>) -> FromSqlResult<T> {
    let s = v.as_str()?;
    parse(s).ok_or_else(|| FromSqlError::Other(format!("unknown {what} {s:?}").into()))
}

impl FromSql for Status {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Status> {
        word(v, "status", Status::parse)
    }
}

impl ToSql for Status {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Origin {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Origin> {
        word(v, "origin", Origin::parse)
    }
}

impl ToSql for Origin {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_status_is_an_error_not_deactivated() {
        let db = rusqlite::Connection::open_in_memory().unwrap();
        let read = |s: &str| db.query_row("SELECT ?1", [s], |r| r.get::<_, Status>(0));
        assert_eq!(read("pending").unwrap(), Status::Pending);
        let e = read("archived").unwrap_err().to_string();
        assert!(e.contains("unknown status \"archived\""), "{e}");
    }
}
