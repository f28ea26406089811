//! Issue 6's correctness at a modest scale (not speed: that is `cargo bench`): a store of
//! about 60,000 profiles built through the real generator and importer, then paging,
//! counts and filtering checked against a plain reading of every row.

use crate::pty::roster;
use std::collections::HashSet;

use crossterm::event::{KeyCode, KeyEvent};
use roster::domain::listing::{ListRow, Page, SortKey, Tab, Towards, View};
use roster::domain::search::normalize_term;
use roster::service::{Service, actor};
use roster::store::listing;
use roster::store::{Store, counts};
use roster::tui::App;

const PEOPLE: &str = "50000";

/// Every row of a tab, as a plain query sorted in Rust: what the pages must add up to.
fn truth(store: &Store, tab: Tab) -> Vec<(String, i64, String)> {
    let cond = match tab {
        Tab::Active => "status = 'active'",
        Tab::Pending => "status = 'pending'",
        Tab::Deactivated => "status = 'deactivated'",
        Tab::Tracked => "status = 'active' AND suppliers <> ''",
        Tab::All => "1",
    };
    let mut rows: Vec<(String, i64, String)> = store
        .conn()
        .prepare(&format!(
            "SELECT name, id, search FROM employees WHERE {cond}"
        ))
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // The table's order: the sort key of the name (accents and case folded), then id.
    rows.sort_by_key(|r| (roster::domain::sort_key::sort_key(&r.0), r.1));
    rows
}

fn walk_forward(store: &Store, view: &View, size: usize) -> Vec<i64> {
    let mut out = Vec::new();
    let mut page = Page::First;
    loop {
        let rows: Vec<ListRow> = listing::page(store.conn(), view, &page, size).unwrap();
        let Some(last) = rows.last() else { break };
        page = Page::After(last.key());
        out.extend(rows.iter().map(|r| r.id));
    }
    out
}

fn walk_backward(store: &Store, view: &View, size: usize) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    let mut page = Page::Last;
    loop {
        let rows = listing::page(store.conn(), view, &page, size).unwrap();
        let Some(first) = rows.first() else { break };
        page = Page::Before(first.key());
        out.splice(0..0, rows.iter().map(|r| r.id));
    }
    out
}

#[test]
fn paging_counts_and_filtering_at_scale() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    let db = dir.path().join("scale.db");
    roster(
        &db,
        &[
            "gen",
            "--employees",
            PEOPLE,
            "--out",
            files.to_str().unwrap(),
        ],
    );
    for (file, system) in [
        ("salesforce.csv", "salesforce"),
        ("hubspot.json", "hubspot"),
    ] {
        let path = files.join(file);
        roster(
            &db,
            &[
                "import",
                path.to_str().unwrap(),
                "--system",
                system,
                "--allow-mass-create",
            ],
        );
    }
    let store = Store::open(&db).unwrap();

    // Counts: the kept ones equal the rows, and each tab's pages.
    let kept = counts::read(store.conn()).unwrap();
    assert_eq!(kept, counts::recompute(store.conn()).unwrap());
    assert!(kept.active > 50_000, "a store of the intended size: {kept}");
    assert!(kept.deactivated > 0);
    for tab in Tab::SCREEN {
        let view = View::tab(tab);
        let expected: Vec<i64> = truth(&store, tab).iter().map(|r| r.1).collect();
        assert_eq!(expected.len() as u64, kept.of(tab), "{tab:?} count");
        let forward = walk_forward(&store, &view, 997);
        assert_eq!(forward, expected, "{tab:?}: forward pages");
        let unique: HashSet<i64> = forward.iter().copied().collect();
        assert_eq!(unique.len(), forward.len(), "{tab:?}: a row twice");
        if tab == Tab::Active {
            assert_eq!(
                walk_backward(&store, &view, 1009),
                expected,
                "{tab:?}: backward"
            );
        }
    }

    // Filtering: the bounded scan, step by step, finds exactly the rows whose search
    // text holds the term, in order.
    let active = truth(&store, Tab::Active);
    for term in [
        "MÜLLER",
        "anna.s",
        "acme-sales",
        "005dn00000001",
        "no-such-person-zq",
    ] {
        let needle = normalize_term(term);
        let expected: Vec<i64> = active
            .iter()
            .filter(|r| r.2.contains(&needle))
            .map(|r| r.1)
            .collect();
        assert_eq!(expected.is_empty(), term.starts_with("no-such"), "{term:?}");
        let view = View {
            tab: Tab::Active,
            supplier: None,
            text: Some(term.to_owned()),
            narrow: Default::default(),
            sort: Default::default(),
        };
        let mut found = Vec::new();
        let mut from: Option<SortKey> = None;
        loop {
            let step = listing::scan(store.conn(), &view, Towards::End, from.as_ref(), 200, 5_000)
                .unwrap();
            found.extend(step.rows.iter().map(|r| r.id));
            match step.next {
                Some(k) => from = Some(k),
                None => break,
            }
        }
        assert_eq!(found, expected, "filter {term:?}");
        // And backwards from the end, as the app's End and moving up do.
        let mut back: Vec<i64> = Vec::new();
        let mut before: Option<SortKey> = None;
        loop {
            let step = listing::scan(
                store.conn(),
                &view,
                Towards::Start,
                before.as_ref(),
                200,
                5_000,
            )
            .unwrap();
            back.splice(0..0, step.rows.iter().map(|r| r.id));
            match step.next {
                Some(k) => before = Some(k),
                None => break,
            }
        }
        assert_eq!(back, expected, "filter {term:?} backwards");
        // The plain filtered page agrees on the first screen.
        let first = listing::page(store.conn(), &view, &Page::First, 60).unwrap();
        let first: Vec<i64> = first.iter().map(|r| r.id).collect();
        assert_eq!(
            first,
            expected[..expected.len().min(60)],
            "page of {term:?}"
        );
    }

    // The app on this store: End shows the tab's last row, and the counts are the kept ones.
    let svc = Service::new(Store::open(&db).unwrap(), actor::current(None));
    let mut app = App::open(svc, 120, 35);
    app.settle();
    assert_eq!(app.state.counts, kept);
    app.handle_key(KeyEvent::from(KeyCode::End));
    app.settle();
    assert_eq!(
        app.state.rows.list.selected().map(|r| r.id),
        active.last().map(|r| r.1)
    );
    app.handle_key(KeyEvent::from(KeyCode::Home));
    app.settle();
    assert_eq!(
        app.state.rows.list.selected().map(|r| r.id),
        active.first().map(|r| r.1)
    );
}
