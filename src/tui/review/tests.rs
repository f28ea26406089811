//! The review inbox in the app: an item of each kind in the test store, worked through
//! from the keyboard (every resolution asked first with Cancel selected), the header's
//! count and the tabs following at once, undo, the stale refusal, the background rescan,
//! and snapshots of the view at 120×35 and 80×24.

use crossterm::event::KeyCode;

use super::{Inbox, Scan};
use crate::domain::actions::NewEmployee;
use crate::domain::review::{ItemId, Kind};
use crate::service::import::ImportRequest;
use crate::tui::state::{Mode, Popup};
use crate::tui::tests::Harness;

/// The test store (`tui::tests::fill`) and: Janet Doe (#7) who shares Jane Doe's
/// address, a Pipedrive import whose account 88 has that address (a conflict: #1 and #7)
/// and whose account 78 has 山田 太郎's, who has Pipedrive 77 (same system); the
/// rescan's suggestions (Jane Doe #1 and #5: same name and domain; #1 and #7: same
/// email); Pat Pending (#6) pending.
fn inbox(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(width, height);
    let svc = &mut h.app.svc;
    svc.new_employee(&NewEmployee {
        name: "Janet Doe".into(),
        email: Some("jane@acme.com".into()),
        login_access: false,
    })
    .unwrap();
    let file = h.dir.path().join("pipedrive.csv");
    std::fs::write(
        &file,
        "external_id,email,name\n88,jane@acme.com,Jane Doe\n78,yamada@acme.jp,Taro Yamada\n",
    )
    .unwrap();
    let report = h
        .app
        .svc
        .import(&ImportRequest::new(&file, "pipedrive"), &mut |_| {})
        .unwrap();
    assert_eq!(report.tally.conflicts.len(), 2, "{:?}", report.tally);
    h.app.svc.rescan().unwrap();
    h.start();
    h
}

fn counts(h: &Harness) -> crate::service::review::InboxCounts {
    h.state.inbox.counts.expect("the inbox is counted")
}

fn opened(inbox: &Inbox) -> Vec<ItemId> {
    inbox
        .view
        .as_ref()
        .map(|v| v.items.iter().map(|i| i.id).collect())
        .unwrap_or_default()
}

/// Selects the first item of `kind` in the inbox and opens it.
fn open_kind(h: &mut Harness, kind: Kind) {
    let at = h
        .state
        .inbox
        .view
        .as_ref()
        .unwrap()
        .items
        .iter()
        .position(|i| i.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} item"));
    h.keys("g");
    for _ in 0..at {
        h.keys("j");
    }
    h.enter();
    assert_eq!(h.state.mode(), Mode::ReviewItem);
}

fn choices(h: &Harness) -> Vec<String> {
    let d = h
        .state
        .inbox
        .view
        .as_ref()
        .unwrap()
        .detail
        .as_ref()
        .unwrap();
    d.choices.iter().map(|c| c.label.clone()).collect()
}

/// The digit of the resolution whose label starts with `label`.
fn digit(h: &Harness, label: &str) -> char {
    let at = choices(h)
        .iter()
        .position(|c| c.starts_with(label))
        .unwrap_or_else(|| panic!("no resolution {label:?} in {:?}", choices(h)));
    char::from_digit(at as u32 + 1, 10).unwrap()
}

fn dialog(h: &Harness) -> &crate::tui::state::Dialog {
    match &h.state.popup {
        Some(Popup::Dialog(d)) => d,
        other => panic!("no dialog: {other:?}"),
    }
}

#[test]
fn five_opens_the_inbox_newest_first_with_its_count_in_the_header() {
    let mut h = inbox(120, 35);
    let c = counts(&h);
    assert_eq!(
        (c.conflict, c.same_system, c.duplicate, c.pending),
        (1, 1, 2, 1)
    );
    assert!(h.screen().lines().next().unwrap().contains("Review 5"));
    h.keys("5");
    assert_eq!(h.state.mode(), Mode::Review);
    let items = &h.state.inbox.view.as_ref().unwrap().items;
    assert_eq!(items.len(), 5);
    let keys: Vec<_> = items.iter().map(|i| i.key()).collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(keys, sorted, "newest first");
    assert_eq!(
        items.last().unwrap().id,
        ItemId::Pending(6),
        "Pat, from 2024"
    );
    // Tab shows one kind at a time.
    h.press(KeyCode::Tab);
    let view = h.state.inbox.view.as_ref().unwrap();
    assert_eq!(view.kind, Some(Kind::Conflict));
    assert!(view.items.iter().all(|i| i.kind == Kind::Conflict));
    h.esc();
    assert_eq!(h.state.mode(), Mode::Table);
}

#[test]
fn a_conflict_is_linked_after_its_question_and_undo_opens_it_again() {
    let mut h = inbox(120, 35);
    h.keys("5");
    open_kind(&mut h, Kind::Conflict);
    let d = digit(&h, "Link the account to Jane Doe (#1)");
    h.keys(&d.to_string());
    let dlg = dialog(&h);
    assert_eq!(
        dlg.buttons[dlg.selected].label, "Cancel",
        "Cancel is selected"
    );
    // Enter on Cancel changes nothing.
    h.enter();
    assert_eq!(counts(&h).conflict, 1);
    assert_eq!(h.state.mode(), Mode::ReviewItem);
    // Down to the link, Enter, then the confirming button.
    let at = d.to_digit(10).unwrap() as usize - 1;
    for _ in 0..at {
        h.keys("j");
    }
    h.enter();
    h.press(KeyCode::Right);
    h.enter();
    assert!(
        h.status()
            .contains("linked Pipedrive account 88 to Jane Doe (#1)"),
        "{}",
        h.status()
    );
    assert_eq!(counts(&h).conflict, 0);
    assert_eq!(h.state.mode(), Mode::Review, "back to the list");
    assert!(h.screen().lines().next().unwrap().contains("Review 4"));
    let jane = h.svc.profile(1).unwrap();
    assert!(jane.connections.iter().any(|c| c.external_id == "88"));
    h.keys("u");
    h.keys("y");
    assert_eq!(counts(&h).conflict, 1, "{}", h.status());
    assert!(opened(&h.state.inbox).contains(&ItemId::Stored(1)));
}

#[test]
fn every_resolution_from_the_keyboard() {
    let mut h = inbox(120, 35);
    h.keys("5");
    let tabs = h.state.counts;
    // Same system: a new profile for the account.
    open_kind(&mut h, Kind::SameSystem);
    let d = digit(&h, "Create a new profile");
    h.keys(&d.to_string());
    let seat = format!(
        "Tracked {} \u{2192} {}: one more billed seat.",
        tabs.tracked,
        tabs.tracked + 1
    );
    assert!(
        h.dialog_text().contains(&seat),
        "the new seat is asked about: {}",
        h.dialog_text()
    );
    h.keys("y");
    assert!(h.status().contains("created"), "{}", h.status());
    assert_eq!(counts(&h).same_system, 0);
    assert_eq!(h.state.counts.active, tabs.active + 1, "the tab follows");
    // The conflict: ignored.
    open_kind(&mut h, Kind::Conflict);
    let d = digit(&h, "Ignore the account");
    h.keys(&format!("{d}y"));
    assert!(h.status().contains("ignored"), "{}", h.status());
    assert_eq!(counts(&h).conflict, 0);
    // A duplicate: dismissed; the other: merged (with the merge preview first).
    open_kind(&mut h, Kind::Duplicate);
    let d = digit(&h, "Dismiss");
    h.keys(&format!("{d}y"));
    assert!(h.status().contains("dismissed"), "{}", h.status());
    open_kind(&mut h, Kind::Duplicate);
    let d = digit(&h, "Merge them: keep Jane Doe (#1)");
    h.keys(&d.to_string());
    assert!(matches!(
        dialog(&h).body,
        crate::tui::state::Body::Merge(..)
    ));
    h.keys("y");
    assert!(h.status().contains("merged"), "{}", h.status());
    assert_eq!(counts(&h).duplicate, 0);
    // The pending profile: activated; the Pending tab follows at once.
    open_kind(&mut h, Kind::Pending);
    let d = digit(&h, "Activate it");
    h.keys(&format!("{d}y"));
    assert_eq!(counts(&h).total(), 0, "{}", h.status());
    assert_eq!(h.state.counts.pending, 0);
    assert!(h.screen().contains("The review inbox is empty"));
    // Each decision is in the log; undo takes the last back.
    let log = h
        .svc
        .log(&crate::domain::audit::LogFilter::default(), 20)
        .unwrap();
    for action in [
        "review-create",
        "review-ignore",
        "review-dismiss",
        "review-merge",
    ] {
        assert!(log.iter().any(|e| e.action == action), "{action}");
    }
    h.keys("uy");
    assert_eq!(counts(&h).pending, 1);
    assert_eq!(h.state.counts.pending, 1);
}

#[test]
fn a_pending_profile_is_discarded_to_deactivated() {
    let mut h = inbox(80, 24);
    h.keys("5");
    let before = h.state.counts;
    open_kind(&mut h, Kind::Pending);
    let d = digit(&h, "Discard it");
    h.keys(&format!("{d}y"));
    assert_eq!(h.state.counts.pending, before.pending - 1, "{}", h.status());
    assert_eq!(h.state.counts.deactivated, before.deactivated + 1);
}

#[test]
fn a_resolution_on_rows_changed_since_is_refused_as_stale() {
    let mut h = inbox(120, 35);
    h.keys("5");
    open_kind(&mut h, Kind::Conflict);
    let d = digit(&h, "Link the account to Janet Doe (#7)");
    h.keys(&d.to_string());
    // Another admin edits Janet while the question is open.
    let mut other = h.other_session();
    other
        .edit(
            7,
            &crate::domain::actions::Edit {
                name: Some("Janet Q. Doe".into()),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    h.keys("y");
    assert!(
        h.status().contains("changed by someone else"),
        "{}",
        h.status()
    );
    assert_eq!(counts(&h).conflict, 1);
    assert!(h.svc.profile(7).unwrap().connections.is_empty());
    // The item shows the profile as it is now.
    assert!(h.screen().contains("Janet Q. Doe"));
}

#[test]
fn the_rescan_runs_in_the_background_and_its_finds_show() {
    let mut h = Harness::new(120, 35);
    h.keys("5");
    assert_eq!(counts(&h).duplicate, 0);
    h.app.handle_key(KeyCode::Char('r').into());
    assert_eq!(
        h.state.inbox.scan,
        Scan::Asked,
        "the key does not wait for it"
    );
    h.app.settle();
    assert_eq!(h.state.inbox.scan, Scan::Idle);
    assert!(
        h.status().starts_with("Looked for duplicates"),
        "{}",
        h.status()
    );
    assert_eq!(counts(&h).duplicate, 1, "Jane Doe #1 and #5");
    assert!(
        opened(&h.state.inbox)
            .iter()
            .any(|i| matches!(i, ItemId::Stored(_)))
    );
}

#[test]
fn the_inbox_at_120x35() {
    let mut h = inbox(120, 35);
    h.keys("5");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn the_inbox_at_80x24() {
    let mut h = inbox(80, 24);
    h.keys("5");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn a_conflict_opened_at_120x35() {
    let mut h = inbox(120, 35);
    h.keys("5");
    open_kind(&mut h, Kind::Conflict);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn a_conflict_opened_at_80x24() {
    let mut h = inbox(80, 24);
    h.keys("5");
    open_kind(&mut h, Kind::Conflict);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn a_resolution_asked_at_80x24() {
    let mut h = inbox(80, 24);
    h.keys("5");
    open_kind(&mut h, Kind::SameSystem);
    h.keys("1");
    insta::assert_snapshot!(h.screen());
}

/// An inbox of 1,250 pending profiles: the view reads one step when it opens, walks
/// down to the oldest and back up to the newest through every item exactly once in the
/// inbox's order (as `roster review` lists them), never holding more than `KEPT`, and
/// `End` / `Home` jump to either end with the selection's place in the separator.
#[test]
fn a_long_inbox_is_read_a_window_at_a_time() {
    use super::window::{FIRST, KEPT};
    use crate::domain::model::Review;
    use crate::domain::review::InboxPage;

    let mut h = Harness::new(100, 30);
    h.app.svc.set_review(Review::Manual).unwrap();
    let file = h.dir.path().join("many.csv");
    let mut csv = String::from("external_id,email,name\n");
    for i in 0..1250 {
        csv.push_str(&format!(
            "{},p{i}@many.example,Person {i:04}\n",
            500_000 + i
        ));
    }
    std::fs::write(&file, csv).unwrap();
    let mut req = ImportRequest::new(&file, "pipedrive");
    req.allow_mass_create = true;
    h.app.svc.import(&req, &mut |_| {}).unwrap();
    let all: Vec<ItemId> = h
        .app
        .svc
        .inbox(None, &InboxPage::First, 100_000)
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert!(all.len() >= 1250, "{}", all.len());
    h.start();
    h.keys("5");
    let view = |h: &Harness| h.state.inbox.view.clone().expect("the view is open");
    assert_eq!(view(&h).items.len(), FIRST);
    assert!(
        h.screen()
            .contains(&format!(" 1 of {} ", thousands(all.len())))
    );

    // A page at a time to the oldest and back: the window is always a run of the whole
    // inbox in its order, and the selection where the keys took it.
    let page = 30 - 12;
    let window_is_a_run = |h: &Harness| {
        let v = view(h);
        assert!(v.items.len() <= KEPT, "{}", v.items.len());
        let ids: Vec<ItemId> = v.items.iter().map(|i| i.id).collect();
        let start = all.iter().position(|id| *id == ids[0]).unwrap();
        assert_eq!(ids, all[start..start + ids.len()], "a run of the inbox");
        start + v.cursor
    };
    let mut at = 0;
    while at + 1 < all.len() {
        h.press(KeyCode::PageDown);
        at = (at + page).min(all.len() - 1);
        assert_eq!(window_is_a_run(&h), at);
    }
    assert_eq!(view(&h).selected().unwrap().id, *all.last().unwrap());
    while at > 0 {
        h.press(KeyCode::PageUp);
        at = at.saturating_sub(page);
        assert_eq!(window_is_a_run(&h), at);
    }
    assert!(view(&h).newer.is_none());

    // Deep in the window, a change reads it again from just above the selection: the
    // same item stays selected, its place is still known, and the read stays small.
    while at < 700 {
        h.press(KeyCode::PageDown);
        at += page;
    }
    let selected = view(&h).selected().unwrap().id;
    super::reload(&mut h.app.state, &mut h.app.svc);
    let v = view(&h);
    assert_eq!(v.selected().unwrap().id, selected);
    assert_eq!(window_is_a_run(&h), at);
    assert!(
        v.items.len() <= 200,
        "a change reads {} items",
        v.items.len()
    );
    let place = format!(" {} of {} ", thousands(at + 1), thousands(all.len()));
    assert!(h.screen().contains(&place), "{place}: {}", h.screen());
    h.press(KeyCode::Home);

    h.press(KeyCode::End);
    let v = view(&h);
    assert_eq!(v.selected().unwrap().id, *all.last().unwrap());
    assert!(v.items.len() <= FIRST + 1, "End reads the oldest step only");
    let n = thousands(all.len());
    assert!(
        h.screen().contains(&format!(" {n} of {n} ")),
        "{}",
        h.screen()
    );
    h.press(KeyCode::PageUp);
    h.press(KeyCode::Home);
    assert_eq!(view(&h).selected().unwrap().id, all[0]);
    assert!(h.screen().contains(&format!(" 1 of {n} ")));
}

fn thousands(n: usize) -> String {
    crate::tui::text::thousands(n as u64)
}
