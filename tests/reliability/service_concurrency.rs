//! Optimistic concurrency and concurrent writers, on the service layer the app uses.

use roster::domain::actions::{Edit, NewEmployee};
use roster::error::Error;
use roster::service::{Service, actor};
use roster::store::Store;
use std::path::Path;

fn service(db: &Path, who: &str) -> Service {
    Service::new(Store::open(db).unwrap(), actor::current(Some(who)))
}

fn login(on: bool) -> Edit {
    Edit {
        login_access: Some(on),
        ..Edit::default()
    }
}

#[test]
fn an_action_computed_from_a_stale_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let mut alice = service(&db, "alice");
    let mut bob = service(&db, "bob");
    let (id, _) = alice
        .new_employee(&NewEmployee {
            name: "Kim".into(),
            email: None,
            login_access: false,
        })
        .unwrap();
    // Both look at the profile.
    let seen_by_alice = alice.profile(id).unwrap().employee.version;
    let seen_by_bob = bob.profile(id).unwrap().employee.version;
    assert_eq!(seen_by_alice, seen_by_bob);
    // Bob changes it first.
    bob.edit(id, &login(true), Some(seen_by_bob)).unwrap();
    // Alice acts on what she saw: refused, and nothing of hers is written.
    let err = alice
        .edit(
            id,
            &Edit {
                email: Some("kim@example.com".into()),
                ..Edit::default()
            },
            Some(seen_by_alice),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Stale(_)), "{err:?}");
    assert!(err.to_string().contains("changed by someone else"), "{err}");
    assert_eq!(err.exit_code(), 1);
    let now = alice.profile(id).unwrap();
    assert_eq!(now.employee.email, None);
    assert!(now.employee.login_access, "Bob's change stands");
    // With a fresh read she succeeds.
    alice
        .edit(
            id,
            &Edit {
                email: Some("kim@example.com".into()),
                ..Edit::default()
            },
            Some(now.employee.version),
        )
        .unwrap();
}

#[test]
fn parallel_writers_all_succeed_without_database_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    // Create the schema once so the threads race on data, not on the migration.
    drop(service(&db, "setup"));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut svc = service(&db, &format!("writer{t}"));
                for i in 0..25 {
                    let (id, _) = svc
                        .new_employee(&NewEmployee {
                            name: format!("P{t}-{i}"),
                            email: None,
                            login_access: false,
                        })
                        .expect("create");
                    svc.edit(id, &login(true), None).expect("edit");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("no writer failed");
    }
    let mut svc = service(&db, "check");
    assert_eq!(svc.counts().unwrap().active, 100);
    assert_eq!(svc.log(&Default::default(), 1000).unwrap().len(), 200);
}
