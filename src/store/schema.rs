//! The schema, as migrations applied in order at open; `PRAGMA user_version` records how
//! many have run. Append new migrations; never edit a released one.

use rusqlite::Connection;

use crate::error::Error;

const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    CREATE TABLE employees (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        name         TEXT NOT NULL,
        email        TEXT,
        email_norm   TEXT,
        picture_url  TEXT,
        login_access INTEGER NOT NULL DEFAULT 0 CHECK (login_access IN (0, 1)),
        status       TEXT NOT NULL CHECK (status IN ('active', 'pending', 'deactivated')),
        merged_into  INTEGER REFERENCES employees(id),
        -- Derived from the connections, kept current by the store in the same transaction:
        -- the sorted distinct system keys, comma-separated ('' = no connection).
        suppliers    TEXT NOT NULL DEFAULT '',
        -- Also derived: what the filter searches (see domain/search.rs).
        search       TEXT NOT NULL DEFAULT '',
        version      INTEGER NOT NULL DEFAULT 1,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
    );
    CREATE INDEX employees_by_tab_name ON employees(status, name COLLATE NOCASE, id);
    CREATE INDEX employees_tracked ON employees(name COLLATE NOCASE, id)
        WHERE status = 'active' AND suppliers <> '';
    CREATE INDEX employees_by_email ON employees(email_norm) WHERE email_norm IS NOT NULL;

    CREATE TABLE connections (
        id            INTEGER PRIMARY KEY,
        system        TEXT NOT NULL,
        external_id   TEXT NOT NULL,
        employee_id   INTEGER NOT NULL REFERENCES employees(id),
        email         TEXT,
        email_norm    TEXT,
        name          TEXT,
        picture_url   TEXT,
        manages       INTEGER NOT NULL DEFAULT 0 CHECK (manages IN (0, 1)),
        origin        TEXT NOT NULL CHECK (origin IN
                        ('import-id', 'import-email', 'import-new', 'moved', 'manual', 'merged')),
        created_by    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        matched_value TEXT,
        UNIQUE (system, external_id)
    );
    CREATE INDEX connections_by_employee ON connections(employee_id);
    CREATE UNIQUE INDEX connections_one_manager ON connections(employee_id) WHERE manages = 1;
    CREATE INDEX connections_by_email ON connections(email_norm) WHERE email_norm IS NOT NULL;

    CREATE TABLE blocks (
        system      TEXT NOT NULL,
        external_id TEXT NOT NULL,
        employee_id INTEGER NOT NULL REFERENCES employees(id),
        PRIMARY KEY (system, external_id, employee_id)
    ) WITHOUT ROWID;

    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE audit (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL,
        os_user    TEXT NOT NULL,
        ssh_client TEXT,
        action     TEXT NOT NULL,
        summary    TEXT NOT NULL,
        changes    TEXT NOT NULL,
        undoable   INTEGER NOT NULL CHECK (undoable IN (0, 1)),
        reverts    INTEGER REFERENCES audit(id)
    );
    CREATE INDEX audit_by_reverts ON audit(reverts) WHERE reverts IS NOT NULL;
    CREATE INDEX audit_undoable ON audit(id) WHERE undoable = 1;
    CREATE TABLE audit_employees (
        employee_id INTEGER NOT NULL,
        audit_id    INTEGER NOT NULL REFERENCES audit(id),
        PRIMARY KEY (employee_id, audit_id)
    ) WITHOUT ROWID;
    CREATE TRIGGER audit_is_append_only_u BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_is_append_only_d BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_employees_is_append_only_u BEFORE UPDATE ON audit_employees
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_employees_is_append_only_d BEFORE DELETE ON audit_employees
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

    -- The header's tab counts, adjusted by every write (see store/counts.rs).
    CREATE TABLE tab_counts (
        tab TEXT PRIMARY KEY,
        n   INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO tab_counts (tab, n) VALUES
        ('active', 0), ('pending', 0), ('deactivated', 0), ('tracked', 0);

    CREATE TABLE import_runs (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        at               TEXT NOT NULL,
        actor            TEXT NOT NULL,
        system           TEXT NOT NULL,
        file             TEXT NOT NULL,
        rows             INTEGER NOT NULL,
        matched          INTEGER NOT NULL,
        unchanged        INTEGER NOT NULL,
        profiles_updated INTEGER NOT NULL,
        linked_by_email  INTEGER NOT NULL,
        created          INTEGER NOT NULL,
        conflicts        INTEGER NOT NULL,
        audit_id         INTEGER REFERENCES audit(id)
    );
    "#,
    // 2: the `active` flag a system supplied last for each account (NULL: never), so an
    // import changes a managed profile's status only when the system's flag changes.
    r#"
    ALTER TABLE connections ADD COLUMN active INTEGER CHECK (active IN (0, 1));
    ALTER TABLE import_runs ADD COLUMN preset TEXT;
    "#,
    // 3: the tab index also carries the suppliers and the search text, so that the `/`
    // filter walks the index alone, in name order, without a table lookup per row
    // (0.4 µs a row instead of 3–6 µs: a whole million in half a second).
    r#"
    DROP INDEX employees_by_tab_name;
    CREATE INDEX employees_by_tab_name
        ON employees(status, name COLLATE NOCASE, id, suppliers, search);
    "#,
    // 4: the Tracked tab walks the active entries of the tab index (it holds the
    // suppliers, so skipping the untracked needs no table lookup); its own partial index
    // cost every big import a rebuild of 3 s a million.
    r#"
    DROP INDEX employees_tracked;
    "#,
    // 5: the table sorts by `sort_name` (domain/sort_key.rs: accents and case folded for
    // every script), not by NOCASE, which folds ASCII only ("Émile" after "Zoe").
    r#"
    ALTER TABLE employees ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
    UPDATE employees SET sort_name = roster_sort_key(name);
    DROP INDEX employees_by_tab_name;
    CREATE INDEX employees_by_tab_name
        ON employees(status, sort_name, id, suppliers, search);
    "#,
];

/// Brings the schema up to date; each migration runs in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<(), Error> {
    // Migrations compute derived columns with the same Rust code as every write.
    super::search_sql::register(conn)?;
    let current: usize =
        conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    if current > MIGRATIONS.len() {
        return Err(Error::Invalid(format!(
            "This database was written by a newer roster (schema {current}; this build knows {}). Upgrade roster.",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while this one waited for the lock.
        let now: usize = tx.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
        if now > i {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

pub fn latest_version() -> usize {
    MIGRATIONS.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_5_gives_existing_profiles_their_sort_key() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..4] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        for (id, name) in [(1, "Zoe Adams"), (2, "Émile Zola"), (3, "anna Berg")] {
            conn.execute(
                "INSERT INTO employees (id, name, status, created_at, updated_at)
                 VALUES (?1, ?2, 'active', 'then', 'then')",
                rusqlite::params![id, name],
            )
            .unwrap();
        }
        migrate(&mut conn).unwrap();
        let order: Vec<String> = conn
            .prepare(
                "SELECT name FROM employees INDEXED BY employees_by_tab_name
                 WHERE status = 'active' ORDER BY sort_name, id",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(order, ["anna Berg", "Émile Zola", "Zoe Adams"]);
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, latest_version());
    }
}
