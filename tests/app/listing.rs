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
            narrow: Default::default(),
            sort: Default::default(),
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
                text: Some("hs-".into()),
                narrow: Default::default(),
                sort: Default::default(),
            }
        )
        .len(),
        27
    );
}

/// Every filtered row of `view`, step by step in both directions, as the app reads them.
fn walk(svc: &mut Service, view: &View, towards: Towards, want: usize, budget: usize) -> Vec<i64> {
    let mut got: Vec<i64> = Vec::new();
    let mut from: Option<SortKey> = None;
    for _ in 0..10_000 {
        let s = svc
            .step(view, towards, from.as_ref(), want, budget)
            .unwrap();
        let ids = s.rows.iter().map(|r| r.id);
        match towards {
            Towards::End => got.extend(ids),
            Towards::Start => {
                let mut before: Vec<i64> = ids.collect();
                before.extend(got);
                got = before;
            }
        }
        match s.next {
            Some(k) => from = Some(k),
            None => return got,
        }
    }
    panic!("the walk must end");
}

#[test]
fn the_search_index_finds_what_the_scan_finds_and_is_not_used_once_stale() {
    use roster::service::search_index::{BLOCK, Slot};
    let (_dir, mut svc) = fill(3 * BLOCK + 40);
    let slot = Slot::default();
    svc.use_search_index(slot.clone());
    assert!(svc.renew_search_index(&slot).unwrap(), "built");
    assert!(
        !svc.renew_search_index(&slot).unwrap(),
        "nothing changed since"
    );
    for term in [
        "p123@",
        "p7",
        "hs-6",
        "anna",
        "ÇELIK 2",
        "zzqx",
        "q",
        "@example.com",
        "dora 3",
    ] {
        for tab in [Tab::Active, Tab::Tracked] {
            let view = View {
                tab,
                supplier: None,
                text: Some(term.into()),
                narrow: Default::default(),
                sort: Default::default(),
            };
            let expected = all_ids(&mut svc, &view);
            for (want, budget) in [(5, 300), (60, 20_000), (1, 1)] {
                assert_eq!(
                    walk(&mut svc, &view, Towards::End, want, budget),
                    expected,
                    "{term:?} {tab:?} forwards, want {want}, budget {budget}"
                );
                assert_eq!(
                    walk(&mut svc, &view, Towards::Start, want, budget),
                    expected,
                    "{term:?} {tab:?} backwards, want {want}, budget {budget}"
                );
            }
        }
    }
    // A change the index has not seen: the scans walk the tab and find the new row.
    let (id, _) = svc
        .new_employee(&NewEmployee {
            name: "Zed Quuxley".into(),
            email: None,
            login_access: false,
        })
        .unwrap();
    let view = View {
        tab: Tab::Active,
        supplier: None,
        text: Some("quuxley".into()),
        narrow: Default::default(),
        sort: Default::default(),
    };
    assert_eq!(walk(&mut svc, &view, Towards::End, 5, 300), [id]);
    assert!(svc.renew_search_index(&slot).unwrap(), "built again");
    assert_eq!(walk(&mut svc, &view, Towards::End, 5, 300), [id]);
    assert_eq!(walk(&mut svc, &view, Towards::Start, 5, 300), [id]);
}

/// Every row of `view` read plainly, in the table's order: the store's full rows of the
/// three status tabs, filtered here by what the view asks.
fn expected(svc: &mut Service, view: &View) -> Vec<i64> {
    use roster::domain::listing::{ListRow, Managed};
    use roster::domain::model::Status;
    let mut rows: Vec<ListRow> = Vec::new();
    for tab in Tab::STATUSES {
        rows.extend(svc.page(&View::tab(tab), &Page::First, 100_000).unwrap());
    }
    rows.sort_by_key(|r| r.key());
    let text = view.text.as_deref().map(|t| t.trim().to_lowercase());
    rows.into_iter()
        .filter(|r| match view.tab {
            Tab::All => true,
            Tab::Tracked => r.tracked(),
            Tab::Active => r.status == Status::Active,
            Tab::Pending => r.status == Status::Pending,
            Tab::Deactivated => r.status == Status::Deactivated,
        })
        .filter(|r| view.narrow.status.is_none_or(|s| r.status == s))
        .filter(|r| view.narrow.login.is_none_or(|l| r.login_access == l))
        .filter(|r| match &view.narrow.managed {
            None => true,
            Some(Managed::Manual) => r.managed_by.is_none(),
            Some(Managed::By(s)) => r.managed_by.as_ref().is_some_and(|m| &m.system == s),
        })
        .filter(|r| {
            view.supplier
                .as_ref()
                .is_none_or(|s| r.suppliers.contains(s))
        })
        .filter(|r| {
            text.as_ref().is_none_or(|t| {
                let p = svc.profile(r.id).unwrap();
                let mut hay = vec![r.name.to_lowercase(), r.email.clone().unwrap_or_default()];
                for c in &p.connections {
                    hay.push(c.system.clone());
                    hay.push(c.external_id.to_lowercase());
                }
                hay.iter().any(|h| h.contains(t.as_str()))
            })
        })
        .map(|r| r.id)
        .collect()
}

/// A store with the three statuses mixed, some profiles with login access and some
/// managed by hand (their HubSpot connection no longer manages them).
fn mixed(n: usize) -> (tempfile::TempDir, Service) {
    use roster::domain::actions::{Edit, StatusChange};
    let (dir, mut svc) = fill(n);
    let ids = all_ids(&mut svc, &View::tab(Tab::Active));
    for (i, id) in ids.into_iter().enumerate() {
        match i % 5 {
            1 => {
                svc.change_status(id, StatusChange::Deactivate, None)
                    .unwrap();
            }
            2 => {
                let edit = Edit {
                    name: None,
                    email: None,
                    picture_url: None,
                    login_access: Some(true),
                };
                svc.edit(id, &edit, None).unwrap();
            }
            3 if svc
                .profile(id)
                .unwrap()
                .connections
                .iter()
                .any(|c| c.manages) =>
            {
                svc.unmanage(id, None).unwrap();
            }
            _ => {}
        }
    }
    (dir, svc)
}

#[test]
fn the_all_view_reads_the_three_tabs_as_one_order() {
    let (_dir, mut svc) = mixed(90);
    let view = View::tab(Tab::All);
    let forward = all_ids(&mut svc, &view);
    assert_eq!(forward.len(), 90);
    assert_eq!(forward, expected(&mut svc, &view));
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
    // The position of a row in All counts the rows of every tab before it.
    let rows = svc.page(&view, &Page::First, 90).unwrap();
    for i in [0usize, 1, 37, 89] {
        assert_eq!(
            svc.rank(&view, &rows[i].key(), 1000).unwrap(),
            Some(i as u64)
        );
    }
    assert_eq!(
        svc.rank(&view, &rows[50].key(), 50).unwrap(),
        None,
        "beyond the cap"
    );
}

#[test]
fn typed_filters_and_text_find_what_a_plain_reading_finds_in_every_tab() {
    use roster::domain::search::parse_filter;
    let (_dir, mut svc) = mixed(90);
    let systems = svc.held_systems().unwrap();
    assert_eq!(systems, ["hubspot"]);
    let mut nonempty = 0;
    for filter in [
        "anna",
        "status:deactivated",
        "login:on",
        "login:off dora",
        "managed:manual",
        "managed:hubspot bert",
        "supplier:hubspot",
        "supplier:hubspot status:active login:off",
        "hs-1 managed:manual",
        "zzqx status:pending",
    ] {
        let f = parse_filter(filter, &systems).unwrap();
        for tab in Tab::SHOWN {
            let view = View {
                tab,
                supplier: f.supplier.clone(),
                text: f.text.clone(),
                narrow: f.narrow.clone(),
                sort: Default::default(),
            };
            let want = expected(&mut svc, &view);
            nonempty += usize::from(!want.is_empty());
            for (n, budget) in [(5, 7), (60, 20_000)] {
                assert_eq!(
                    walk(&mut svc, &view, Towards::End, n, budget),
                    want,
                    "{filter:?} on {tab:?}, forwards, {n} a step, budget {budget}"
                );
                assert_eq!(
                    walk(&mut svc, &view, Towards::Start, n, budget),
                    want,
                    "{filter:?} on {tab:?}, backwards, {n} a step, budget {budget}"
                );
            }
        }
        // The header's counts while filtering: each tab's matches.
        let c = svc
            .match_counts(&View {
                tab: Tab::All,
                supplier: f.supplier.clone(),
                text: f.text.clone(),
                narrow: f.narrow.clone(),
                sort: Default::default(),
            })
            .unwrap();
        for tab in Tab::SHOWN {
            let view = View {
                tab,
                supplier: f.supplier.clone(),
                text: f.text.clone(),
                narrow: f.narrow.clone(),
                sort: Default::default(),
            };
            assert_eq!(
                c.of(tab),
                expected(&mut svc, &view).len() as u64,
                "{filter:?} {tab:?}"
            );
        }
    }
    assert!(nonempty > 20, "the filters find rows: {nonempty}");
}

#[test]
fn the_search_index_is_not_used_once_an_edit_or_an_undo_changed_the_rows() {
    use roster::domain::actions::Edit;
    use roster::service::search_index::Slot;
    let (_dir, mut svc) = fill(300);
    let slot = Slot::default();
    svc.use_search_index(slot.clone());
    assert!(svc.renew_search_index(&slot).unwrap());
    let find = |svc: &mut Service, term: &str, tab: Tab| {
        let view = View {
            text: Some(term.into()),
            ..View::tab(tab)
        };
        let found = walk(svc, &view, Towards::End, 5, 50);
        let counted = svc.match_counts(&view).unwrap().of(tab);
        assert_eq!(counted, found.len() as u64, "{term} {tab:?}");
        found
    };
    // A rename the index never saw: found by the walk and the count alike.
    let id = all_ids(&mut svc, &View::tab(Tab::Active))[150];
    let rename = |name: &str| Edit {
        name: Some(name.into()),
        email: None,
        picture_url: None,
        login_access: None,
    };
    svc.edit(id, &rename("Olga Plimsoll"), None).unwrap();
    for tab in [Tab::Active, Tab::All] {
        assert_eq!(find(&mut svc, "plimsoll", tab), [id]);
    }
    svc.edit(id, &rename("Zed Quuxley"), None).unwrap();
    assert!(svc.renew_search_index(&slot).unwrap(), "built again");
    for tab in [Tab::Active, Tab::All] {
        assert_eq!(find(&mut svc, "quuxley", tab), [id]);
        assert_eq!(find(&mut svc, "plimsoll", tab), Vec::<i64>::new());
    }
    // An undo brings back a name the index has no bits for: it is not believed.
    svc.undo().unwrap();
    for tab in [Tab::Active, Tab::All] {
        assert_eq!(find(&mut svc, "plimsoll", tab), [id]);
        assert_eq!(find(&mut svc, "quuxley", tab), Vec::<i64>::new());
    }
}

#[test]
fn every_sort_pages_and_scans_in_its_own_order_on_a_tab_and_on_all() {
    use roster::domain::listing::{ListRow, SortBy};
    let (_dir, mut svc) = mixed(60);
    let mut rows: Vec<ListRow> = Vec::new();
    for tab in Tab::STATUSES {
        rows.extend(svc.page(&View::tab(tab), &Page::First, 1000).unwrap());
    }
    for sort in SortBy::ALL {
        let value = |r: &ListRow| -> String {
            match sort {
                SortBy::Name | SortBy::Id => String::new(),
                SortBy::Email => r.email.clone().unwrap_or_default().trim().to_lowercase(),
                SortBy::Login => if r.login_access { "0" } else { "1" }.into(),
                SortBy::Status => r.status.as_str().into(),
                SortBy::Suppliers => r.suppliers.join(","),
                SortBy::ManagedBy => r
                    .managed_by
                    .as_ref()
                    .map(|m| m.system.clone())
                    .unwrap_or_default(),
            }
        };
        let mut order: Vec<(String, String, i64, Tab)> = rows
            .iter()
            .map(|r| {
                let name = if sort == SortBy::Id {
                    String::new()
                } else {
                    r.sort_name.clone()
                };
                (value(r), name, r.id, Tab::of(r.status))
            })
            .collect();
        order.sort_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));
        for tab in [Tab::Active, Tab::All] {
            let view = View {
                sort,
                ..View::tab(tab)
            };
            let want: Vec<i64> = order
                .iter()
                .filter(|o| tab == Tab::All || o.3 == tab)
                .map(|o| o.2)
                .collect();
            assert_eq!(all_ids(&mut svc, &view), want, "{sort:?} {tab:?} pages");
            // A filter that lets every row through reads by scans, in the same order.
            let filtered = View {
                text: Some("@example.com".into()),
                ..view.clone()
            };
            assert_eq!(
                walk(&mut svc, &filtered, Towards::End, 5, 7),
                want,
                "{sort:?} {tab:?} scans"
            );
            assert_eq!(
                walk(&mut svc, &filtered, Towards::Start, 5, 7),
                want,
                "{sort:?} {tab:?} back"
            );
            let keys: Vec<_> = svc.page(&view, &Page::First, 100).unwrap();
            for i in [0usize, 3, want.len() - 1] {
                assert_eq!(
                    svc.rank(&view, &keys[i].key(), 1000).unwrap(),
                    Some(i as u64),
                    "{sort:?} {tab:?} rank"
                );
            }
        }
    }
}
