//! Finding 3 of the outside review (issue #11; docs/reliability.md, "Findings of the
//! outside review"): undo restores every row exactly as it was. For every undoable
//! action, the whole rows of employees, connections, blocks and tab_counts (every
//! column) are read before the action and after its undo, and compared. Bookkeeping
//! columns are the documented exception: `employees.version` and `employees.updated_at`
//! move on (an undo is a change: a view read before it must be stale), and
//! `connections.id` is SQLite's row id, which nothing refers to.

use roster::domain::actions::{Edit, ManualConnection, NewEmployee, StatusChange};
use roster::domain::model::{ConnKey, Review};
use roster::service::import::ImportRequest;
use roster::service::{Service, actor};
use roster::store::Store;
use rusqlite::types::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Every row of a table by its key, each as column → value.
type Rows = BTreeMap<String, BTreeMap<String, Value>>;

/// Columns that an undo moves on instead of restoring (see the module comment).
const BOOKKEEPING: &[(&str, &str)] = &[
    ("employees", "version"),
    ("employees", "updated_at"),
    ("connections", "id"),
];

fn dump(db: &Path) -> BTreeMap<&'static str, Rows> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut all = BTreeMap::new();
    for (table, key) in [
        ("employees", "id"),
        ("connections", "system || ':' || external_id"),
        (
            "blocks",
            "system || ':' || external_id || '@' || employee_id",
        ),
        ("tab_counts", "tab"),
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT {key} AS row_key, * FROM {table}"))
            .unwrap();
        let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
        let mut rows = Rows::new();
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            let key: Value = r.get(0).unwrap();
            let mut cols = BTreeMap::new();
            for (i, name) in names.iter().enumerate().skip(1) {
                if !BOOKKEEPING.contains(&(table, name.as_str())) {
                    cols.insert(name.clone(), r.get::<_, Value>(i).unwrap());
                }
            }
            rows.insert(format!("{key:?}"), cols);
        }
        all.insert(table, rows);
    }
    all
}

fn versions(db: &Path) -> BTreeMap<i64, i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT id, version FROM employees").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn import(svc: &mut Service, dir: &Path, name: &str, system: &str, csv: &str) {
    let file = dir.join(name);
    std::fs::write(&file, csv).unwrap();
    svc.import(&ImportRequest::new(&file, system), &mut |_| {})
        .unwrap();
}

fn key(system: &str, id: &str) -> ConnKey {
    ConnKey::new(system, id)
}

/// Finding 3, the reproduction in its widest form: `remove` then `undo` lost the
/// connection's `active` flag (and the next import of an unchanged file reactivated a
/// profile the admin had deactivated). Every undoable action, each undone, leaves every
/// data column of every row as it was.
#[test]
fn every_undoable_action_undone_restores_every_column_of_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let mut svc = Service::new(Store::open(&db).unwrap(), actor::current(Some("tester")));
    import(
        &mut svc,
        dir.path(),
        "hubspot.csv",
        "hubspot",
        "external_id,email,name,picture_url,active\n\
         h1,ann@x.io,Ann,https://img/ann,true\n\
         h2,bo@x.io,Bo,,false\n\
         h3,cy@x.io,Cy,https://img/cy,true\n",
    );
    import(
        &mut svc,
        dir.path(),
        "crm.csv",
        "crm",
        "external_id,email,name,active\nc1,ANN@x.io,Ann C,true\nc2,cy@x.io,Cy C,false\n",
    );
    svc.set_review(Review::Manual).unwrap();
    import(
        &mut svc,
        dir.path(),
        "hr.csv",
        "hr",
        "external_id,email,name\nr1,dee@x.io,Dee\n",
    );
    svc.set_review(Review::Auto).unwrap();
    let (eve, _) = svc
        .new_employee(&NewEmployee {
            name: "Eve".into(),
            email: Some("eve@x.io".into()),
            login_access: true,
        })
        .unwrap();
    let connect = |system: &str, id: &str| ManualConnection {
        system: system.into(),
        external_id: id.into(),
        email: Some("eve.p@x.io".into()),
        name: Some("Eve P".into()),
    };
    svc.connect(eve, &connect("podio", "p1"), None).unwrap();
    svc.connect(eve, &connect("podio", "p2"), None).unwrap();
    svc.remove(eve, &key("podio", "p2"), true, None).unwrap();
    let ann = svc.resolve("hubspot:h1").unwrap();
    let bo = svc.resolve("hubspot:h2").unwrap();
    let cy = svc.resolve("hubspot:h3").unwrap();
    let dee = svc.resolve("hr:r1").unwrap();
    assert_eq!(svc.resolve("crm:c1").unwrap(), ann);

    type Action = Box<dyn Fn(&mut Service)>;
    let actions: Vec<(&str, Action)> = vec![
        (
            "new",
            Box::new(|s: &mut Service| {
                s.new_employee(&NewEmployee {
                    name: "Zed".into(),
                    email: Some("ann@x.io".into()),
                    login_access: false,
                })
                .map(|_| ())
                .unwrap()
            }),
        ),
        (
            "connect",
            Box::new(move |s: &mut Service| {
                s.connect(eve, &connect("hubspot", "h9"), None).unwrap();
            }),
        ),
        (
            "connect lifting a block",
            Box::new(move |s: &mut Service| {
                s.connect(eve, &connect("podio", "p2"), None).unwrap();
            }),
        ),
        (
            "manage",
            Box::new(move |s: &mut Service| {
                s.manage(ann, &key("crm", "c1"), None).unwrap();
            }),
        ),
        (
            "unmanage",
            Box::new(move |s: &mut Service| {
                s.unmanage(ann, None).unwrap();
            }),
        ),
        (
            "move",
            Box::new(move |s: &mut Service| {
                s.move_to_new(ann, &key("crm", "c1"), None).unwrap();
            }),
        ),
        (
            "remove",
            Box::new(move |s: &mut Service| {
                s.remove(ann, &key("hubspot", "h1"), false, None).unwrap();
            }),
        ),
        (
            "remove --block",
            Box::new(move |s: &mut Service| {
                s.remove(ann, &key("crm", "c1"), true, None).unwrap();
            }),
        ),
        (
            "merge",
            Box::new(move |s: &mut Service| {
                s.merge(eve, cy, &[]).unwrap();
            }),
        ),
        (
            "edit",
            Box::new(move |s: &mut Service| {
                s.edit(
                    eve,
                    &Edit {
                        name: Some("Eve Q".into()),
                        email: Some("".into()),
                        picture_url: Some("https://img/eve".into()),
                        login_access: Some(false),
                    },
                    None,
                )
                .unwrap();
            }),
        ),
        (
            "activate",
            Box::new(move |s: &mut Service| {
                s.change_status(bo, StatusChange::Activate, None).unwrap();
            }),
        ),
        (
            "deactivate",
            Box::new(move |s: &mut Service| {
                s.change_status(ann, StatusChange::Deactivate, None)
                    .unwrap();
            }),
        ),
        (
            "discard",
            Box::new(move |s: &mut Service| {
                s.change_status(dee, StatusChange::Discard, None).unwrap();
            }),
        ),
    ];
    for (name, action) in &actions {
        let before = dump(&db);
        let versions_before = versions(&db);
        action(&mut svc);
        assert_ne!(
            dump(&db),
            before,
            "{name} changed nothing: the test proves nothing"
        );
        svc.undo().unwrap();
        let after = dump(&db);
        for table in before.keys() {
            assert_eq!(
                after[table], before[table],
                "undoing {name} did not restore {table} exactly"
            );
        }
        // The bookkeeping moved on for the rows the undo touched, and only forward.
        let versions_after = versions(&db);
        for (id, v) in &versions_before {
            assert!(
                versions_after[id] >= *v,
                "{name}: #{id} went back in version"
            );
        }
    }
    let found = svc.check(false).unwrap();
    assert!(found.is_empty(), "{found:?}");
}

/// Audit entries written before the row images carried the `active` flag can still be
/// undone, and undoing them keeps the flag the row holds (no action ever changed it).
#[test]
fn an_entry_written_before_the_flag_was_kept_undoes_and_keeps_the_flag() {
    use roster::domain::change::{ChangeSet, Op};
    use roster::store::audit::{self, NewEntry};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let mut svc = Service::new(Store::open(&db).unwrap(), actor::current(Some("tester")));
    import(
        &mut svc,
        dir.path(),
        "hubspot.csv",
        "hubspot",
        "external_id,email,name,active\nh1,ann@x.io,Ann,false\n",
    );
    let ann = svc.resolve("hubspot:h1").unwrap();
    // An `unmanage` as an older roster recorded it: the images lack `active`.
    let before = svc.profile(ann).unwrap().connections[0].clone();
    let mut after = before.clone();
    after.manages = false;
    let changes = ChangeSet {
        ops: vec![Op::UpdateConnection {
            before: before.clone(),
            after: after.clone(),
        }],
    };
    let mut json = serde_json::to_value(&changes).unwrap();
    for side in ["before", "after"] {
        json["ops"][0][side]
            .as_object_mut()
            .unwrap()
            .remove("active");
    }
    let who = actor::current(Some("old roster"));
    svc.store_mut()
        .write(|conn| {
            roster::store::connections::update(conn, &after)?;
            audit::append_raw(
                conn,
                &NewEntry {
                    at: "2026-01-01T00:00:00.000Z",
                    actor: &who,
                    action: "unmanage",
                    summary: "Ann is managed manually now.",
                    changes: &changes,
                    undoable: true,
                    reverts: None,
                },
                &json.to_string(),
                [ann].into_iter(),
            )
        })
        .unwrap();
    svc.undo().unwrap();
    let restored = &svc.profile(ann).unwrap().connections[0];
    assert!(restored.manages);
    assert_eq!(restored.active, Some(false), "the flag was cleared");
}
