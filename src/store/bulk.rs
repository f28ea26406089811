//! Writes by the hundred thousand (a big import, the undo of one): a table's secondary
//! indexes are dropped inside the transaction and built again at the end, since a
//! sorted build costs a fraction of that many random inserts or deletes. The UNIQUE
//! (system, external_id) constraint stays; the transaction keeps it all or nothing, and
//! readers see the old indexes until the commit.

use rusqlite::Connection;

use crate::error::Error;

/// Tables whose secondary indexes are dropped, with the SQL that builds them again.
#[derive(Debug, Default)]
pub struct Deferred {
    tables: Vec<(String, Vec<String>)>,
}

/// Indexes that stay. One on `employee_id` alone: new profiles get ascending ids, so its
/// inserts are appends, and its small integer keys stay in the cache otherwise. One on
/// `merged_into`: deleting profiles looks up their referrers through it (foreign keys),
/// and it holds only merged profiles, so keeping it costs nothing. The Pending tab's, on
/// `(created_at, id)`: a new profile goes at its end, and building it again would read
/// the whole table.
fn kept(db: &Connection, index: &str) -> bool {
    let columns: Vec<String> = db
        .prepare("SELECT name FROM pragma_index_info(?1)")
        .and_then(|mut s| {
            s.query_map([index], |r| r.get::<_, Option<String>>(0))?
                .map(|c| c.map(Option::unwrap_or_default))
                .collect()
        })
        .unwrap_or_default();
    columns == ["employee_id"] || columns == ["merged_into"] || columns == ["created_at", "id"]
}

impl Deferred {
    /// Drops the secondary indexes of `table` (once).
    pub fn defer(&mut self, db: &Connection, table: &str) -> Result<(), Error> {
        if self.tables.iter().any(|(t, _)| t == table) {
            return Ok(());
        }
        let indexes: Vec<(String, String)> = db
            .prepare(
                "SELECT name, sql FROM sqlite_schema
                 WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
            )?
            .query_map([table], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|(name, _)| !kept(db, name))
            .collect();
        for (name, _) in &indexes {
            db.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        }
        self.tables.push((
            table.to_owned(),
            indexes.into_iter().map(|(_, sql)| sql).collect(),
        ));
        Ok(())
    }

    /// Builds the dropped indexes again; returns the tables.
    pub fn rebuild(self, db: &Connection) -> Result<Vec<String>, Error> {
        let mut tables = Vec::new();
        for (table, indexes) in self.tables {
            for sql in indexes {
                db.execute_batch(&sql)?;
            }
            tables.push(table);
        }
        Ok(tables)
    }
}

/// Whether a table of `existing` rows that gets (or loses) `projected` rows is better
/// served by building its indexes afresh: at least `min` rows and a quarter of the
/// table. Measured at 1M rows: a random insert into a name or email index costs about
/// 5 µs, a rebuild about 2 µs per row of the table.
pub fn worth_rebuilding(projected: u64, existing: u64, min: u64) -> bool {
    projected >= min && projected * 4 >= existing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexes(db: &Connection, table: &str) -> Vec<String> {
        db.prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?1
               AND sql IS NOT NULL ORDER BY name",
        )
        .unwrap()
        .query_map([table], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    /// Deleting profiles looks up, for each, the profiles merged into it: without the
    /// index on `merged_into` that is a scan of the table per profile (an undo of 100,000
    /// created profiles took minutes). It stays when the others are dropped.
    #[test]
    fn the_indexes_deletes_need_stay_and_the_others_come_back() {
        let mut db = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut db).unwrap();
        let all = indexes(&db, "employees");
        assert!(all.contains(&"employees_merged_into".to_owned()), "{all:?}");
        let tx = db.transaction().unwrap();
        let mut d = Deferred::default();
        d.defer(&tx, "employees").unwrap();
        d.defer(&tx, "connections").unwrap();
        assert_eq!(
            indexes(&tx, "employees"),
            ["employees_merged_into", "employees_pending"]
        );
        assert_eq!(
            indexes(&tx, "connections"),
            ["connections_by_employee", "connections_one_manager"]
        );
        assert_eq!(d.rebuild(&tx).unwrap(), ["employees", "connections"]);
        assert_eq!(indexes(&tx, "employees"), all);
    }
}
