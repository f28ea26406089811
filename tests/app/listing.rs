//! Paging, counts and the bounded filter scan agree with a plain reading of the rows.

use roster::domain::actions::{ManualConnection, NewEmployee};
use roster::domain::listing::{Page, SortKey, Tab, Towards, View};
use roster::domain::sort_key::sort_key;
use roster::service::{Service, actor};
use roster::store::Store;

fn fill(n: usize) -> (tempfile::TempDir, Service) {
    let dir = tempfile::tempdir().unwrap();
    let mut svc = Service::new(
        Store::open(&dir.path().join("r.db")).unwrap(),
        actor::current(None),
    );
    for i in 0..n {
        // Names repeat so that ties on the name are broken by id.
        let (id, _) = svc
            .new_employee(&NewEmployee {
                name: format!("{} {}", ["anna", "Bert", "Çelik", "dora"][i % 4], i % 7),
                email: Some(format!("p{i}@example.com")),
                login_access: false,
            })
            .unwrap();
        if i % 3 == 0 {
            svc.connect(
                id,
                &ManualConnection {
                    system: "hubspot".into(),
                    external_id: format!("HS-{i}"),
                    email: None,
                    name: None,
                },
                None,
            )
            .unwrap();
        }
    }
    (dir, svc)
}

fn all_ids(svc: &mut Service, view: &View) -> Vec<i64> {
    let mut out = Vec::new();
    let mut page = Page::First;
    loop {
        let rows = svc.page(view, &page, 7).unwrap();
        let Some(last) = rows.last() else { break };
        page = Page::After(last.key());
        out.extend(rows.iter().map(|r| r.id));
    }
    out
}

#[test]
fn forward_and_backward_pages_cover_the_tab_once_in_order() {
    let (_dir, mut svc) = fill(60);
    let view = View::tab(Tab::Active);
    let forward = all_ids(&mut svc, &view);
    assert_eq!(forward.len(), 60);
    let mut unique = forward.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 60, "no row twice");
    // Backward from the end gives the same order.
    let mut backward = Vec::new();
    let mut page = Page::Last;
    loop {
        let rows = svc.page(&view, &page, 7).unwrap();
        let Some(first) = rows.first() else { break };
        page = Page::Before(first.key());
        let mut ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        ids.extend(backward);
        backward = ids;
    }
    assert_eq!(backward, forward);
    // The order is by name as people read it (case and accents folded: Çelik between
    // Bert and dora, not after them), then id.
    let rows = svc.page(&view, &Page::First, 60).unwrap();
    let keys: Vec<(String, i64)> = rows.iter().map(|r| (sort_key(&r.name), r.id)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let mut first_words: Vec<&str> = rows
        .iter()
        .map(|r| r.name.split(' ').next().unwrap())
        .collect();
    first_words.dedup();
    assert_eq!(first_words, ["anna", "Bert", "Çelik", "dora"]);
}

#[test]
fn the_bounded_scan_finds_what_the_filter_finds_in_order() {
    let (_dir, mut svc) = fill(80);
    for term in ["hs-", "ANNA", "p1", "hubspot", "zzz", "ç"] {
        let view = View {
            tab: Tab::Active,
            supplier: None,
            text: Some(term.into()),
        };
        let expected = all_ids(&mut svc, &view);
        // Small budgets force many resumptions.
        let mut got = Vec::new();
        let mut from: Option<SortKey> = None;
        let mut calls = 0;
        loop {
            calls += 1;
            let s = svc.step(&view, Towards::End, from.as_ref(), 5, 9).unwrap();
            got.extend(s.rows.iter().map(|r| r.id));
            match s.next {
                Some(k) => from = Some(k),
                None => break,
            }
            assert!(calls < 100, "the scan must end");
        }
        assert_eq!(got, expected, "term {term:?}");
        assert!(calls > 1, "term {term:?} needed several bounded steps");
    }
    assert_eq!(
        all_ids(
            &mut svc,
            &View {
                tab: Tab::Active,
                supplier: None,
                text: Some("hs-".into())
            }
        )
        .len(),
        27
    );
}
