//! The kept tab counts always equal the counts of the rows, whatever the action.

use roster::domain::actions::{Edit, ManualConnection, NewEmployee, StatusChange};
use roster::domain::model::ConnKey;
use roster::service::{Service, actor};
use roster::store::{Store, counts};

fn assert_counts_true(svc: &mut Service, step: &str) {
    let kept = svc.counts().unwrap();
    let truth = counts::recompute(svc.store().conn()).unwrap();
    assert_eq!(kept, truth, "after {step}");
}

#[test]
fn counts_follow_every_action_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let mut svc = Service::new(
        Store::open(&dir.path().join("r.db")).unwrap(),
        actor::current(None),
    );
    let new = |svc: &mut Service, name: &str| {
        svc.new_employee(&NewEmployee {
            name: name.into(),
            email: None,
            login_access: false,
        })
        .unwrap()
        .0
    };
    let connect = |svc: &mut Service, id: i64, system: &str, x: &str| {
        svc.connect(
            id,
            &ManualConnection {
                system: system.into(),
                external_id: x.into(),
                email: None,
                name: None,
            },
            None,
        )
        .unwrap();
    };
    let a = new(&mut svc, "A");
    let b = new(&mut svc, "B");
    assert_counts_true(&mut svc, "new");
    connect(&mut svc, a, "hubspot", "1");
    connect(&mut svc, a, "salesforce", "2");
    connect(&mut svc, b, "pipedrive", "3");
    assert_eq!(svc.counts().unwrap().tracked, 2);
    assert_counts_true(&mut svc, "connect");
    let (moved_to, _) = svc
        .move_to_new(a, &ConnKey::new("hubspot", "1"), None)
        .unwrap();
    assert_eq!(svc.counts().unwrap().tracked, 3);
    assert_counts_true(&mut svc, "move");
    svc.merge(a, moved_to, &[]).unwrap();
    assert_counts_true(&mut svc, "merge");
    svc.change_status(b, StatusChange::Deactivate, None)
        .unwrap();
    assert_counts_true(&mut svc, "deactivate");
    svc.remove(a, &ConnKey::new("salesforce", "2"), true, None)
        .unwrap();
    assert_counts_true(&mut svc, "remove");
    svc.edit(
        a,
        &Edit {
            login_access: Some(true),
            ..Edit::default()
        },
        None,
    )
    .unwrap();
    for step in 0..8 {
        svc.undo().unwrap();
        assert_counts_true(&mut svc, &format!("undo {step}"));
    }
    let c = svc.counts().unwrap();
    assert_eq!((c.active, c.tracked), (2, 0));
}
