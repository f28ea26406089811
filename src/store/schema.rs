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
    // 6: external IDs in the one canonical form (domain/system.rs normalize_external_id):
    // `connect` once stored them untrimmed ("h1 "), which imports (trimmed) never met,
    // so a block on "h1 " did not hold against "h1". An ID whose canonical form is taken
    // by another account is left for `roster check` to name (a human decides); a block
    // whose canonical form exists already is a duplicate and goes.
    r#"
    CREATE TEMP TABLE m6_touched AS
        SELECT DISTINCT employee_id FROM connections
        WHERE external_id <> roster_external_id(system, external_id);
    UPDATE OR IGNORE connections SET external_id = roster_external_id(system, external_id)
        WHERE external_id <> roster_external_id(system, external_id);
    UPDATE OR IGNORE blocks SET external_id = roster_external_id(system, external_id)
        WHERE external_id <> roster_external_id(system, external_id);
    DELETE FROM blocks WHERE external_id <> roster_external_id(system, external_id);
    UPDATE employees AS e
        SET search = roster_search(e.name, e.email,
            (SELECT json_group_array(json_array(c.system, c.external_id, c.email))
               FROM connections c WHERE c.employee_id = e.id))
        WHERE e.id IN (SELECT employee_id FROM m6_touched);
    DROP TABLE m6_touched;
    "#,
    // 7: the review inbox's items (docs/review.md): what an import or the store cannot
    // decide safely. One open item per (kind, subject); an item is never deleted, it
    // closes (when, by whom, why). The accounts and profiles involved are child rows, so
    // that the inbox can find the items of a profile or of an account. No foreign key
    // to employees: an undone import removes the profiles it created, and the closed
    // items it raised keep naming them (ids are never reused).
    r#"
    CREATE TABLE review_items (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        kind        TEXT NOT NULL
                    CHECK (kind IN ('conflict', 'same_system', 'duplicate', 'pending')),
        -- What makes two items the same case: 'system:external_id' for conflict and
        -- same_system, the sorted profile ids ('3,17') for duplicate, the id for pending.
        subject     TEXT NOT NULL,
        reason      TEXT NOT NULL,
        raised_at   TEXT NOT NULL,
        import_run  INTEGER REFERENCES import_runs(id),
        -- The last time an import met the same case again (refreshing the item).
        seen_at     TEXT NOT NULL,
        seen_run    INTEGER REFERENCES import_runs(id),
        closed_at   TEXT,
        closed_by   TEXT,
        closed_why  TEXT CHECK (closed_why IN
                        ('resolved', 'settled', 'ignored', 'dismissed', 'undone')),
        closed_note TEXT,
        CHECK ((closed_at IS NULL) = (closed_why IS NULL))
    );
    CREATE UNIQUE INDEX review_items_open ON review_items(kind, subject)
        WHERE closed_at IS NULL;
    CREATE TABLE review_accounts (
        item_id     INTEGER NOT NULL REFERENCES review_items(id),
        pos         INTEGER NOT NULL,
        -- 'account': the account the item is about; 'other': the other accounts of the
        -- same system that the candidate holds (same_system).
        role        TEXT NOT NULL CHECK (role IN ('account', 'other')),
        system      TEXT NOT NULL,
        external_id TEXT NOT NULL,
        email       TEXT,
        name        TEXT,
        PRIMARY KEY (item_id, pos)
    ) WITHOUT ROWID;
    CREATE INDEX review_accounts_by_account ON review_accounts(system, external_id);
    CREATE TABLE review_profiles (
        item_id     INTEGER NOT NULL REFERENCES review_items(id),
        employee_id INTEGER NOT NULL,
        PRIMARY KEY (item_id, employee_id)
    ) WITHOUT ROWID;
    CREATE INDEX review_profiles_by_employee ON review_profiles(employee_id);
    "#,
    // 8: the search text cuts every part at its line breaks (domain/search.rs), so that
    // adding an account to a stored text gives the full recomputation; only texts of
    // profiles with a line break in a name, an email or an external ID change.
    r#"
    UPDATE employees AS e
        SET search = roster_search(e.name, e.email,
            (SELECT json_group_array(json_array(c.system, c.external_id, c.email))
               FROM connections c WHERE c.employee_id = e.id))
        WHERE instr(e.name, char(10)) > 0 OR instr(coalesce(e.email, ''), char(10)) > 0
           OR e.id IN (SELECT employee_id FROM connections
                       WHERE instr(external_id, char(10)) > 0
                          OR instr(coalesce(email, ''), char(10)) > 0);
    "#,
    // 9: emails are compared with ASCII letters folded only (domain/validate.rs
    // normalize_email); Unicode lower-casing made look-alikes equal (KELVIN SIGN K = k).
    // Only emails with a character outside printable ASCII can differ.
    r#"
    UPDATE employees SET email_norm = roster_email_norm(email)
        WHERE email GLOB '*[^ -~]*';
    UPDATE connections SET email_norm = roster_email_norm(email)
        WHERE email GLOB '*[^ -~]*';
    "#,
    // 10: the import journal (docs/import.md "Undo of an import"): what each import
    // changed, so that `roster undo` can take it back. The profiles an import creates
    // have consecutive ids: the run keeps the range, not a row per profile. The journal
    // of a run goes when the run is undone.
    r#"
    ALTER TABLE import_runs ADD COLUMN first_created INTEGER;
    ALTER TABLE import_runs ADD COLUMN last_created INTEGER;
    ALTER TABLE import_runs ADD COLUMN undone_by INTEGER REFERENCES audit(id);
    CREATE TABLE import_journal (
        id              INTEGER PRIMARY KEY,
        run             INTEGER NOT NULL REFERENCES import_runs(id),
        -- link: the import linked connection_id to employee_id by email;
        -- update: it changed connection_id and/or its employee (the fields before);
        -- review: it raised, refreshed or settled review item review_item.
        kind            TEXT NOT NULL CHECK (kind IN ('link', 'update', 'review')),
        employee_id     INTEGER,
        -- The profile's version before the import: the import left version_before + 1.
        version_before  INTEGER,
        connection_id   INTEGER,
        account_changed INTEGER NOT NULL DEFAULT 0 CHECK (account_changed IN (0, 1)),
        email           TEXT,
        name            TEXT,
        picture_url     TEXT,
        active          INTEGER,
        profile_changed INTEGER NOT NULL DEFAULT 0 CHECK (profile_changed IN (0, 1)),
        profile_name    TEXT,
        profile_picture TEXT,
        profile_status  TEXT,
        review_item     INTEGER REFERENCES review_items(id),
        review_change   TEXT CHECK (review_change IN ('raised', 'refreshed', 'settled')),
        -- refreshed: the item as it was (JSON of store::review::Snapshot).
        review_before   TEXT
    );
    CREATE INDEX import_journal_by_run ON import_journal(run);
    "#,
    // 11: the rows that refer to a profile, found by index: deleting profiles (the undo of
    // an import removes the ones it created) makes SQLite look for each one's referrers
    // (foreign keys), which without these is a scan of the table per profile. Profiles
    // merged into another are few: the index holds only them.
    r#"
    CREATE INDEX employees_merged_into ON employees(merged_into) WHERE merged_into IS NOT NULL;
    CREATE INDEX blocks_by_employee ON blocks(employee_id);
    "#,
    // 12: the review inbox's reads (docs/review.md): its pages walk the open items and
    // the Pending tab newest first; an account's items (is it ignored?) are found by
    // subject.
    r#"
    CREATE INDEX review_items_open_by_time ON review_items(raised_at, id)
        WHERE closed_at IS NULL;
    CREATE INDEX review_items_by_subject ON review_items(subject, id);
    CREATE INDEX employees_pending ON employees(created_at, id) WHERE status = 'pending';
    "#,
    // 13: the links an import makes by email, journaled in packs (store::import_journal):
    // a row of import_journal per link cost a second-system import of a million rows
    // several seconds. `links` holds, for each link, three little-endian 64-bit integers:
    // the connection, the profile it was linked to, the profile's version before.
    // Runs journaled before this migration keep their links as 'link' rows of
    // import_journal; the undo reads both.
    r#"
    CREATE TABLE import_links (
        id    INTEGER PRIMARY KEY,
        run   INTEGER NOT NULL REFERENCES import_runs(id),
        links BLOB NOT NULL
    );
    CREATE INDEX import_links_by_run ON import_links(run);
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

    /// Deleting a profile (undo of an import, of `new`, of `move`) checks every foreign
    /// key that points at `employees`: each must have an index led by its column, or
    /// the check scans the whole child table once per deleted profile (the undo of a
    /// 100,000-profile import was quadratic before migration 11).
    #[test]
    fn every_foreign_key_into_employees_is_indexed() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut checked = 0;
        for table in &tables {
            let keys: Vec<(String, String)> = conn
                .prepare("SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?1)")
                .unwrap()
                .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            for (_, column) in keys.into_iter().filter(|(p, _)| p == "employees") {
                let led: i64 = conn
                    .query_row(
                        "SELECT count(*) FROM pragma_index_list(?1) AS l
                         WHERE (SELECT name FROM pragma_index_info(l.name) WHERE seqno = 0) = ?2",
                        [table, &column],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert!(
                    led > 0,
                    "{table}.{column} refers to employees without an index"
                );
                checked += 1;
            }
        }
        assert!(
            checked >= 3,
            "only {checked} foreign keys into employees were found"
        );
    }

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

    /// Finding 2 of the outside review (issue #11): `connect --external-id "h1 "` stored
    /// the space; an upgraded store meets imports (which trim) with the canonical ID.
    #[test]
    fn migration_6_writes_external_ids_in_their_canonical_form() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::search_sql::register(&conn).unwrap();
        for sql in &MIGRATIONS[..5] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 5).unwrap();
        conn.execute_batch(
            "INSERT INTO employees (id, name, status, created_at, updated_at, search)
                 VALUES (1, 'Ann', 'active', 't', 't', 'stale'), (2, 'Bo', 'active', 't', 't', 'bo');
             INSERT INTO connections (system, external_id, employee_id, origin, created_by, created_at)
                 VALUES ('hubspot', 'h1 ', 1, 'manual', 'x', 't'),
                        ('hubspot', ' h2', 1, 'manual', 'x', 't'),
                        ('hubspot', 'h2', 2, 'import-new', 'x', 't');
             INSERT INTO blocks (system, external_id, employee_id)
                 VALUES ('hubspot', 'h1 ', 2), ('hubspot', 'h2 ', 1), ('hubspot', 'h2', 1);",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let ids: Vec<String> = conn
            .prepare("SELECT external_id FROM connections ORDER BY employee_id, external_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // "h1 " became "h1"; " h2" stays, its canonical form being another account's.
        assert_eq!(ids, [" h2", "h1", "h2"]);
        let blocks: Vec<String> = conn
            .prepare("SELECT external_id || '@' || employee_id FROM blocks ORDER BY 1")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(blocks, ["h1@2", "h2@1"]);
        let search: String = conn
            .query_row("SELECT search FROM employees WHERE id = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(search.contains("h1") && search != "stale", "{search}");
        let found = crate::store::check::run(&conn).unwrap();
        let odd: Vec<_> = found.iter().filter(|f| f.check == "external-id").collect();
        assert_eq!(odd.len(), 1, "{found:?}");
        assert!(odd[0].detail.contains("' h2'"), "{odd:?}");
    }

    /// Finding 6 of the outside review (issue #11): a text an older roster computed for
    /// a name with a line break is rewritten in the form the check expects.
    #[test]
    fn migration_8_rewrites_the_search_text_of_names_with_line_breaks() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::search_sql::register(&conn).unwrap();
        for sql in &MIGRATIONS[..7] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 7).unwrap();
        conn.execute_batch(
            "INSERT INTO employees (id, name, email, status, created_at, updated_at, search)
                 VALUES (1, 'Ann' || char(10) || 'Zed', 'ann@x.io', 'active', 't', 't',
                         'ann' || char(10) || 'zed' || char(10) || 'ann@x.io'),
                        (2, 'Bo', 'bo@x.io', 'active', 't', 't', 'bo' || char(10) || 'bo@x.io');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let found = crate::store::check::run(&conn).unwrap();
        assert!(found.iter().all(|f| f.check != "search"), "{found:?}");
    }

    /// Finding 10 of the outside review (issue #11): email keys an older roster stored
    /// with Unicode lower-casing are rewritten with ASCII folding only, and the check
    /// knows the rule.
    #[test]
    fn migration_9_folds_stored_email_keys_by_ascii_only() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::search_sql::register(&conn).unwrap();
        for sql in &MIGRATIONS[..8] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 8).unwrap();
        conn.execute_batch(
            "INSERT INTO employees (id, name, email, email_norm, status, created_at, updated_at)
                 VALUES (1, 'Kofi', 'Kofi@X.io', 'kofi@x.io', 'active', 't', 't'),
                        (2, 'Kelvin', char(8490) || 'ofi@x.io', 'kofi@x.io', 'active', 't', 't');
             INSERT INTO connections (system, external_id, employee_id, email, email_norm,
                                      origin, created_by, created_at)
                 VALUES ('hubspot', 'h2', 2, char(8490) || 'OFI@x.io', 'kofi@x.io', 'manual', 'x', 't');",
        )
        .unwrap();
        let before = crate::store::check::run(&conn).unwrap();
        assert_eq!(
            before.iter().filter(|f| f.check == "email-norm").count(),
            2,
            "{before:?}"
        );
        migrate(&mut conn).unwrap();
        let keys: Vec<String> = conn
            .prepare(
                "SELECT email_norm FROM employees UNION ALL SELECT email_norm FROM connections",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(keys, ["kofi@x.io", "\u{212a}ofi@x.io", "\u{212a}ofi@x.io"]);
        let found = crate::store::check::run(&conn).unwrap();
        assert!(found.iter().all(|f| f.check != "email-norm"), "{found:?}");
    }
}
