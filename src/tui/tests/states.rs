//! Actions against the state, with a real store in a temporary folder and no terminal.

use crossterm::event::{KeyCode, KeyModifiers};

use super::Harness;
use crate::domain::listing::Tab;
use crate::domain::model::Status;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::state::{Body, Mode, Popup};
use crate::tui::update;

fn menu_labels(h: &Harness) -> Vec<String> {
    match &h.state.popup {
        Some(Popup::Menu(m)) => m.items.iter().map(|i| i.label.clone()).collect(),
        other => panic!("no menu open: {other:?}"),
    }
}

fn dialog_buttons(h: &Harness) -> Vec<String> {
    match &h.state.popup {
        Some(Popup::Dialog(d)) => d.buttons.iter().map(|b| b.label.clone()).collect(),
        other => panic!("no dialog open: {other:?}"),
    }
}

/// Opens Jane Doe #1 (managed by HubSpot, two connections).
fn open_jane(h: &mut Harness) {
    h.select("Jane Doe");
    assert_eq!(h.state.rows.list.selected().unwrap().id, 1);
    h.enter();
    assert_eq!(h.state.mode(), Mode::Pane);
}

#[test]
fn starts_on_active_with_counts() {
    let h = Harness::new(120, 35);
    assert_eq!(h.state.tab, Tab::Active);
    assert_eq!(h.state.counts.active, 5);
    assert_eq!(h.state.counts.pending, 1);
    assert_eq!(h.state.counts.tracked, 3);
    assert_eq!(h.selected_name(), "Bob 🎉 Party");
}

#[test]
fn moves_through_rows_and_tabs() {
    let mut h = Harness::new(120, 35);
    h.keys("j");
    assert!(h.selected_name().starts_with("Evil"));
    h.keys("G");
    assert_eq!(h.selected_name(), "山田 太郎");
    assert_eq!(h.state.rows.list.position(), Some(4));
    h.keys("g");
    assert_eq!(h.state.rows.list.position(), Some(0));
    h.press(KeyCode::End);
    h.press(KeyCode::Home);
    assert_eq!(h.selected_name(), "Bob 🎉 Party");
    h.keys("2");
    assert_eq!(h.state.tab, Tab::Pending);
    assert_eq!(h.selected_name(), "Pat Pending");
    h.press(KeyCode::Tab);
    assert_eq!(h.state.tab, Tab::Deactivated);
    assert!(h.state.rows.list.selected().is_none());
    h.press(KeyCode::BackTab);
    h.press(KeyCode::BackTab);
    assert_eq!(h.state.tab, Tab::Active);
    h.keys("4");
    assert_eq!(h.state.tab, Tab::Tracked);
    assert_eq!(h.state.rows.list.rows.len(), 3);
}

#[test]
fn filter_narrows_as_you_type_enter_keeps_esc_clears() {
    let mut h = Harness::new(120, 35);
    h.keys("/");
    assert_eq!(h.state.mode(), Mode::Filter);
    // Letters are typed, not taken as commands (q does not quit).
    h.keys("qjane");
    assert!(!h.state.quit);
    assert!(h.state.rows.list.is_empty());
    h.press(KeyCode::Backspace);
    for _ in 0..4 {
        h.press(KeyCode::Backspace);
    }
    h.keys("jane");
    assert_eq!(h.state.rows.list.rows.len(), 2);
    h.enter();
    assert_eq!(h.state.mode(), Mode::Table);
    assert_eq!(h.state.filter.text().as_deref(), Some("jane"));
    // By external ID and by system, too.
    h.keys("/");
    for _ in 0..4 {
        h.press(KeyCode::Backspace);
    }
    h.keys("pipedrive");
    h.enter();
    assert_eq!(h.selected_name(), "山田 太郎");
    h.esc();
    assert_eq!(h.state.filter.text(), None);
    assert_eq!(h.state.rows.list.rows.len(), 5);
    // Esc while typing clears, too.
    h.keys("/0055");
    assert_eq!(h.state.rows.list.rows.len(), 1);
    h.esc();
    assert_eq!(h.state.mode(), Mode::Table);
    assert_eq!(h.state.rows.list.rows.len(), 5);
}

#[test]
fn filter_fetches_once_the_keyboard_is_idle() {
    let mut h = Harness::new(120, 35);
    h.keys("/");
    for c in "bob".chars() {
        let ev = crossterm::event::KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        update::update(&mut h.app.state, &mut h.app.svc, Action::Type(ev));
    }
    assert!(h.state.rows.filter_dirty);
    assert_eq!(
        h.state.rows.list.rows.len(),
        5,
        "not fetched while keys are coming"
    );
    update::idle(&mut h.app.state, &mut h.app.svc);
    assert_eq!(h.state.rows.list.rows.len(), 1);
}

#[test]
fn pane_menu_follows_the_reference_order() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    let pane = h.state.pane.as_ref().unwrap();
    assert_eq!(pane.profile.connections.len(), 2);
    // The first connection, HubSpot, manages the profile.
    h.enter();
    assert_eq!(
        menu_labels(&h),
        [
            "Manage manually",
            "Move to new employee",
            "Remove connection",
            "Remove and block"
        ]
    );
    h.esc();
    assert_eq!(h.state.mode(), Mode::Pane);
    h.keys("j");
    h.enter();
    assert_eq!(
        menu_labels(&h),
        [
            "Make Salesforce manage this profile",
            "Move to new employee",
            "Remove connection",
            "Remove and block"
        ]
    );
    h.esc();
    h.esc();
    assert_eq!(h.state.mode(), Mode::Table);
    // With one connection there is nothing to move it away from.
    h.select("山田 太郎");
    h.enter();
    h.enter();
    assert_eq!(
        menu_labels(&h),
        [
            "Make Pipedrive manage this profile",
            "Remove connection",
            "Remove and block"
        ]
    );
}

#[test]
fn move_to_new_employee_through_the_menu() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    h.keys("j");
    h.enter();
    h.keys("j");
    h.enter();
    assert!(h.dialog_text().contains("Creates a new employee"));
    // Cancel is selected: Enter changes nothing.
    h.enter();
    assert_eq!(h.state.pane.as_ref().unwrap().profile.connections.len(), 2);
    assert!(h.status().contains("nothing was changed"));
    h.enter();
    h.keys("v");
    h.keys("y");
    assert!(
        h.status()
            .starts_with("Moved Salesforce account 0055000000AbCdEAAZ"),
        "{}",
        h.status()
    );
    let jane = h.svc.profile(1).unwrap();
    assert_eq!(jane.connections.len(), 1);
    let moved_to = h.svc.resolve("salesforce:0055000000AbCdEAAZ").unwrap();
    assert_ne!(moved_to, 1);
    assert_eq!(h.state.pane.as_ref().unwrap().profile.connections.len(), 1);
    assert_eq!(h.state.counts.active, 6);
}

#[test]
fn remove_warns_of_the_reconnect_and_offers_move() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    h.enter();
    h.keys("r");
    let text = h.dialog_text();
    assert!(
        text.contains(
            "the next HubSpot import will reconnect this profile by email jane@acme.com. Move to new employee instead?"
        ),
        "{text}"
    );
    assert!(text.contains("managed manually afterwards"), "{text}");
    assert_eq!(
        dialog_buttons(&h),
        ["Cancel", "Move to new employee", "Remove connection"]
    );
    // v takes the offer.
    h.keys("v");
    assert!(
        h.status().starts_with("Moved HubSpot account 501"),
        "{}",
        h.status()
    );
    assert_eq!(h.svc.profile(1).unwrap().connections.len(), 1);
}

#[test]
fn remove_connection_when_confirmed() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    h.enter();
    h.keys("r");
    // Right twice reaches Remove; Enter presses it.
    h.press(KeyCode::Right);
    h.press(KeyCode::Right);
    h.enter();
    assert!(
        h.status().starts_with("Removed HubSpot account 501"),
        "{}",
        h.status()
    );
    let jane = h.svc.profile(1).unwrap();
    assert_eq!(jane.connections.len(), 1);
    assert!(jane.managed_by().is_none());
}

#[test]
fn remove_and_block_says_what_the_next_import_does() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    h.enter();
    h.keys("b");
    let text = h.dialog_text();
    assert!(
        text.contains("imports never link HubSpot account 501 to Jane Doe (#1) again"),
        "{text}"
    );
    assert!(
        text.contains("its next import creates a new profile"),
        "{text}"
    );
    assert_eq!(dialog_buttons(&h), ["Cancel", "Remove and block"]);
    h.keys("y");
    assert!(h.status().contains("blocked"), "{}", h.status());
    let key = crate::domain::model::ConnKey::new("hubspot", "501");
    // Blocked: even removed, the account would not come back here.
    h.svc
        .connect(
            2,
            &crate::domain::actions::ManualConnection {
                system: "hubspot".into(),
                external_id: "501".into(),
                email: Some("jane@acme.com".into()),
                name: None,
            },
            None,
        )
        .unwrap();
    assert_eq!(
        h.svc.predict_after_remove(2, &key, false).unwrap(),
        crate::service::NextImport::CreatesProfile
    );
}

#[test]
fn manage_and_manage_manually() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    h.enter();
    h.keys("m");
    assert!(h.dialog_text().contains("stops managing"));
    h.keys("y");
    assert!(h.svc.profile(1).unwrap().managed_by().is_none());
    h.keys("j");
    h.enter();
    h.keys("m");
    assert!(
        h.dialog_text()
            .contains("each Salesforce import overwrites")
    );
    h.keys("y");
    let m = h.svc.profile(1).unwrap();
    assert_eq!(m.managed_by().unwrap().system, "salesforce");
}

#[test]
fn merge_picks_with_the_filter_previews_and_merges() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    h.keys("m");
    assert_eq!(h.state.mode(), Mode::Pick);
    assert!(h.state.pane.is_none());
    // Picking the kept profile itself is refused.
    h.select("Jane Doe");
    h.enter();
    assert!(h.status().contains("pick the other one"));
    h.keys("/502");
    h.enter();
    assert_eq!(h.state.rows.list.selected().unwrap().id, 5);
    h.enter();
    match &h.state.popup {
        Some(Popup::Dialog(d)) => match &d.body {
            Body::Merge(p, _) => {
                assert_eq!(p.keep.employee.id, 1);
                assert_eq!(p.other.employee.id, 5);
                assert_eq!(p.result.connections.len(), 3);
            }
            _ => panic!("not a merge preview"),
        },
        _ => panic!("no dialog"),
    }
    h.keys("y");
    assert!(
        h.status()
            .starts_with("Merged Jane Doe (#5) into Jane Doe (#1)"),
        "{}",
        h.status()
    );
    assert_eq!(h.state.mode(), Mode::Pane);
    assert_eq!(h.svc.profile(1).unwrap().connections.len(), 3);
    assert_eq!(
        h.svc.profile(5).unwrap().employee.status,
        Status::Deactivated
    );
}

/// Finding 4 of the outside review (issue #11): the app's merge preview says that a
/// profile managed manually stays manual, and how to hand it to a system.
#[test]
fn merge_into_a_profile_managed_manually_says_it_stays_manual() {
    let mut h = Harness::new(120, 35);
    h.svc.unmanage(1, None).unwrap();
    open_jane(&mut h);
    h.keys("m/502");
    h.enter();
    h.enter();
    let text = h.dialog_text();
    assert!(
        text.contains("Jane Doe (#1) stays managed manually"),
        "{text}"
    );
    assert!(text.contains("Make HubSpot manage this profile"), "{text}");
    h.keys("y");
    assert!(h.svc.profile(1).unwrap().managed_by().is_none());
}

/// Finding 13 of the outside review (issue #11): a merge that would move an account
/// onto the profile it is blocked from is refused at the preview, naming the block.
#[test]
fn merge_preview_refuses_an_account_blocked_from_the_kept_profile() {
    use crate::domain::actions::ManualConnection;
    let mut h = Harness::new(120, 35);
    let podio = ManualConnection {
        system: "podio".into(),
        external_id: "x1".into(),
        email: None,
        name: None,
    };
    let key = crate::domain::model::ConnKey::new("podio", "x1");
    h.svc.connect(1, &podio, None).unwrap();
    h.svc.remove(1, &key, true, None).unwrap();
    h.svc.connect(5, &podio, None).unwrap();
    open_jane(&mut h);
    h.keys("m/502");
    h.enter();
    h.enter();
    assert!(h.state.popup.is_none(), "a merge preview was offered");
    assert!(
        h.status()
            .contains("Podio account x1 of Jane Doe (#5) is blocked from Jane Doe (#1)"),
        "{}",
        h.status()
    );
}

/// Finding 18 of the outside review (issue #11): the app said login access yes/no where
/// the commands say on/off (`--login on|off`, `roster show`); one word everywhere.
#[test]
fn login_access_is_on_or_off_as_in_the_commands() {
    let mut h = Harness::new(120, 35);
    let words = |screen: &str, having: &str| -> Vec<String> {
        let line = screen.lines().find(|l| l.contains(having)).unwrap_or("");
        line.split([' ', '│']).map(str::to_owned).collect()
    };
    let table = h.screen();
    assert!(
        words(&table, "jane@acme.com").contains(&"on".into()),
        "{table}"
    );
    assert!(
        words(&table, "jane.d@acme.com").contains(&"off".into()),
        "{table}"
    );
    open_jane(&mut h);
    let pane = h.screen();
    assert!(
        words(&pane, "Login access").contains(&"on".into()),
        "{pane}"
    );
    h.keys("e");
    let form = h.screen();
    assert!(form.contains("Login access  [x] on"), "{form}");
    // Neither the table's rows nor a login line says yes or no.
    let rows = table.lines().filter(|l| l.contains("@acme.com"));
    let logins = [&pane, &form]
        .into_iter()
        .flat_map(|s| s.lines().filter(|l| l.contains("Login access")));
    for line in rows.chain(logins) {
        let said = words(line, "");
        assert!(!said.iter().any(|w| w == "yes" || w == "no"), "{line}");
    }
}

#[test]
fn merge_can_be_cancelled_while_picking() {
    let mut h = Harness::new(120, 35);
    h.keys("m");
    assert_eq!(h.state.mode(), Mode::Pick);
    h.esc();
    assert_eq!(h.state.mode(), Mode::Table);
    assert!(h.status().contains("Merge cancelled"));
}

#[test]
fn undo_names_the_action_first_then_undoes_it() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    h.enter();
    h.keys("m");
    h.keys("y");
    assert!(h.svc.profile(1).unwrap().managed_by().is_none());
    h.keys("u");
    let text = h.dialog_text();
    assert!(
        text.contains("Undo \u{201c}Jane Doe (#1) is managed manually now"),
        "{text}"
    );
    h.keys("y");
    assert!(
        h.status()
            .starts_with("Undid: Jane Doe (#1) is managed manually now"),
        "{}",
        h.status()
    );
    assert!(h.svc.profile(1).unwrap().managed_by().is_some());
    // The pane shows it at once.
    assert!(
        h.state
            .pane
            .as_ref()
            .unwrap()
            .profile
            .managed_by()
            .is_some()
    );
}

#[test]
fn undo_refuses_when_another_action_came_in_between() {
    let mut h = Harness::new(120, 35);
    h.keys("u");
    // Another admin acts while the dialog is open.
    let mut other = h.other_session();
    other
        .change_status(3, crate::domain::actions::StatusChange::Deactivate, None)
        .unwrap();
    h.keys("y");
    assert!(
        h.status().starts_with("Nothing was undone"),
        "{}",
        h.status()
    );
    assert_eq!(
        h.svc.profile(3).unwrap().employee.status,
        Status::Deactivated
    );
}

#[test]
fn stale_actions_are_refused_and_the_view_refreshes() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    // Someone else edits Jane while the pane shows the old version.
    let mut other = h.other_session();
    other
        .edit(
            1,
            &crate::domain::actions::Edit {
                email: Some("jane@new.example".into()),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    h.enter();
    h.keys("m");
    h.keys("y");
    assert!(
        h.status().contains("changed by someone else"),
        "{}",
        h.status()
    );
    assert!(
        h.svc.profile(1).unwrap().managed_by().is_some(),
        "nothing changed"
    );
    let pane = h.state.pane.as_ref().unwrap();
    assert_eq!(
        pane.profile.employee.email.as_deref(),
        Some("jane@new.example")
    );
}

#[test]
fn other_sessions_changes_show_up_on_poll() {
    let mut h = Harness::new(120, 35);
    let mut other = h.other_session();
    other
        .new_employee(&crate::domain::actions::NewEmployee {
            name: "Aaron First".into(),
            email: None,
            login_access: false,
        })
        .unwrap();
    update::poll(&mut h.app.state, &mut h.app.svc);
    update::idle(&mut h.app.state, &mut h.app.svc);
    assert_eq!(h.state.counts.active, 6);
    assert_eq!(h.state.rows.list.rows[0].name, "Aaron First");
}

#[test]
fn edit_fields_with_name_locked_when_managed() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    h.keys("e");
    assert_eq!(h.state.mode(), Mode::Form);
    let form = h.state.pane.as_ref().unwrap().form.as_ref().unwrap();
    // Name is locked: the focus starts on Email.
    assert_eq!(form.fields[form.focus].label(), "Email");
    assert!(
        form.fields[0]
            .locked
            .as_deref()
            .unwrap()
            .contains("HubSpot")
    );
    h.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    h.keys("jane@corp.example");
    h.press(KeyCode::Tab); // Picture URL is locked too: on to Login access.
    h.keys(" ");
    h.enter();
    assert!(
        h.status().starts_with("Edited the email, login access"),
        "{}",
        h.status()
    );
    let e = h.svc.profile(1).unwrap().employee;
    assert_eq!(e.email.as_deref(), Some("jane@corp.example"));
    assert!(!e.login_access);
    assert_eq!(h.state.mode(), Mode::Pane);
}

#[test]
fn edit_name_of_an_unmanaged_profile_and_refusals_keep_the_form() {
    let mut h = Harness::new(120, 35);
    h.select("Bob 🎉 Party");
    h.keys("e");
    h.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    h.keys("Robert");
    h.press(KeyCode::Tab);
    h.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    h.keys("not-an-email");
    h.enter();
    assert_eq!(h.state.mode(), Mode::Form, "kept open to correct");
    assert!(!h.status().is_empty());
    h.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    h.keys("robert@acme.com");
    h.enter();
    assert_eq!(h.svc.profile(3).unwrap().employee.name, "Robert");
    // Esc cancels an edit.
    h.keys("e");
    h.keys("x");
    h.esc();
    assert_eq!(h.svc.profile(3).unwrap().employee.name, "Robert");
}

#[test]
fn new_employee_opens_its_pane() {
    let mut h = Harness::new(120, 35);
    h.keys("N");
    assert_eq!(h.state.mode(), Mode::Form);
    h.keys("Aaron First");
    h.press(KeyCode::Tab);
    h.keys("aaron@acme.com");
    h.press(KeyCode::Tab);
    h.keys(" ");
    h.enter();
    assert!(
        h.status().starts_with("Created Aaron First"),
        "{}",
        h.status()
    );
    let pane = h.state.pane.as_ref().unwrap();
    assert_eq!(pane.profile.employee.name, "Aaron First");
    assert!(pane.profile.employee.login_access);
    assert_eq!(h.selected_name(), "Aaron First");
    assert_eq!(h.state.counts.active, 6);
}

#[test]
fn connect_by_hand_and_refusal_names_the_owner() {
    let mut h = Harness::new(120, 35);
    h.select("Bob 🎉 Party");
    h.keys("c");
    h.keys("hubspot");
    h.press(KeyCode::Tab);
    h.keys("501");
    h.enter();
    assert!(
        h.status().contains("already belongs to Jane Doe (#1)"),
        "{}",
        h.status()
    );
    h.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    h.keys("900");
    h.enter();
    assert!(
        h.status().starts_with("Connected HubSpot account 900"),
        "{}",
        h.status()
    );
    assert_eq!(h.svc.profile(3).unwrap().connections.len(), 1);
    assert_eq!(h.state.counts.tracked, 4);
}

#[test]
fn deactivate_asks_activate_does_not_discard_only_pending() {
    let mut h = Harness::new(120, 35);
    h.select("Bob 🎉 Party");
    h.keys("d");
    assert!(h.dialog_text().contains("moves to the Deactivated tab"));
    h.keys("y");
    assert_eq!(
        h.svc.profile(3).unwrap().employee.status,
        Status::Deactivated
    );
    assert_eq!(h.state.counts.deactivated, 1);
    h.keys("3");
    h.keys("a");
    assert_eq!(h.svc.profile(3).unwrap().employee.status, Status::Active);
    h.keys("1");
    h.select("Bob 🎉 Party");
    h.keys("x");
    assert!(
        h.status()
            .contains("only pending profiles can be discarded")
    );
    h.keys("2");
    h.keys("x");
    h.keys("y");
    assert_eq!(
        h.svc.profile(6).unwrap().employee.status,
        Status::Deactivated
    );
}

#[test]
fn history_lists_the_profiles_audit_entries() {
    let mut h = Harness::new(120, 35);
    open_jane(&mut h);
    h.keys("l");
    assert_eq!(h.state.mode(), Mode::Reader);
    match &h.state.popup {
        Some(Popup::History(hist)) => {
            assert_eq!(hist.entries.len(), 4);
            assert_eq!(hist.entries[0].action, "manage");
        }
        _ => panic!("no history"),
    }
    h.keys("j");
    h.keys("q");
    assert_eq!(h.state.mode(), Mode::Pane);
}

#[test]
fn help_opens_and_closes_and_q_quits_outside_it() {
    let mut h = Harness::new(120, 35);
    h.keys("?");
    assert_eq!(h.state.mode(), Mode::Reader);
    h.keys("q");
    assert!(!h.state.quit);
    assert_eq!(h.state.mode(), Mode::Table);
    h.keys("q");
    assert!(h.state.quit);
    let mut h = Harness::new(120, 35);
    h.keys("/");
    h.press_with(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(h.state.quit, "Ctrl-C quits even while typing");
}

#[test]
fn resize_keeps_the_selection_and_fills_the_screen() {
    let mut h = Harness::empty(80, 24);
    for i in 0..200 {
        h.svc
            .new_employee(&crate::domain::actions::NewEmployee {
                name: format!("Person {i:03}"),
                email: None,
                login_access: false,
            })
            .unwrap();
    }
    h.start();
    h.press(KeyCode::PageDown);
    h.press(KeyCode::PageDown);
    let selected = h.selected_name();
    assert_eq!(selected, "Person 036");
    h.act(Action::Resize(120, 60));
    assert_eq!(h.selected_name(), selected);
    assert_eq!(h.state.rows.list.visible(h.state.table_height()).len(), 54);
    h.act(Action::Resize(80, 10));
    assert_eq!(h.selected_name(), selected);
    h.keys("G");
    assert_eq!(h.selected_name(), "Person 199");
    assert_eq!(h.state.rows.list.position(), Some(199));
}

/// The app with its worker thread, on the harness's store.
fn threaded(h: &Harness) -> App {
    let mut app = App::open(h.other_session(), h.state.width, h.state.height);
    app.settle();
    app
}

fn type_key(app: &mut App, c: char) {
    app.handle_key(crossterm::event::KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    ));
}

#[test]
fn the_worker_reads_filters_and_counts_off_the_screens_thread() {
    let h = Harness::new(120, 35);
    let mut app = threaded(&h);
    assert_eq!(app.state.counts.active, 5);
    type_key(&mut app, '/');
    for c in "jane".chars() {
        type_key(&mut app, c);
        // Each key asks again; the worker keeps only the newest question.
        app.tick();
    }
    app.settle();
    assert!(!app.state.searching());
    assert_eq!(app.state.rows.list.rows.len(), 2);
    assert!(
        app.state
            .rows
            .list
            .rows
            .iter()
            .all(|r| r.name == "Jane Doe")
    );
    // A change elsewhere: the filtered rows and the counts are read again by the worker.
    let mut other = h.other_session();
    other
        .change_status(5, crate::domain::actions::StatusChange::Deactivate, None)
        .unwrap();
    update::poll(&mut app.state, &mut app.svc);
    assert!(app.state.rows.refresh_dirty && app.state.counts_dirty);
    app.settle();
    assert_eq!(app.state.rows.list.rows.len(), 1);
    assert_eq!(app.state.counts.deactivated, 1);
}

#[test]
fn the_worker_drops_answers_for_a_view_left_meanwhile() {
    let h = Harness::new(120, 35);
    let mut app = threaded(&h);
    type_key(&mut app, '/');
    type_key(&mut app, 'z');
    app.tick();
    // Esc before the answer: back to the whole tab, at once.
    app.handle_key(crossterm::event::KeyEvent::from(KeyCode::Esc));
    assert_eq!(app.state.rows.list.rows.len(), 5);
    app.settle();
    assert_eq!(
        app.state.rows.list.rows.len(),
        5,
        "the late answer for 'z' is dropped"
    );
    assert!(!app.state.searching());
}

#[test]
fn clearing_the_filter_keeps_the_selected_employee() {
    let mut h = Harness::new(120, 35);
    h.keys("/pipedrive");
    h.enter();
    assert_eq!(h.selected_name(), "山田 太郎");
    h.esc();
    assert_eq!(h.state.filter.text(), None);
    assert_eq!(h.selected_name(), "山田 太郎");
    assert_eq!(h.state.rows.list.visible(h.state.table_height()).len(), 5);
    h.keys("k");
    assert_eq!(h.selected_name(), "Jane Doe");
    h.keys("g");
    assert_eq!(h.state.rows.list.position(), Some(0));
}

#[test]
fn remove_of_an_account_without_email_warns_by_the_profile_email() {
    let mut h = Harness::new(120, 35);
    let bob = h.svc.profile(3).unwrap();
    assert_eq!(bob.employee.email.as_deref(), Some("bob@acme.com"));
    h.svc
        .connect(
            3,
            &crate::domain::actions::ManualConnection {
                system: "hubspot".into(),
                external_id: "h1".into(),
                email: None,
                name: None,
            },
            None,
        )
        .unwrap();
    h.act(Action::Redraw);
    h.select("Bob 🎉 Party");
    h.enter();
    h.enter();
    h.keys("r");
    let text = h.dialog_text();
    assert!(
        text.contains("if the next HubSpot import brings bob@acme.com, it reconnects this profile. Remove and block keeps the account off this profile for good."),
        "{text}"
    );
    assert_eq!(dialog_buttons(&h), ["Cancel", "Remove connection"]);
}

#[test]
fn a_resize_keeps_the_selection_and_fills_the_screen() {
    let mut h = Harness::empty(100, 30);
    for i in 0..60 {
        h.svc
            .new_employee(&crate::domain::actions::NewEmployee {
                name: format!("Person {i:02}"),
                email: None,
                login_access: false,
            })
            .unwrap();
    }
    h.start();
    for (keys, selected) in [("", 0), ("jjjjjjjjjjjjjjjjjjjj", 20), ("G", 59)] {
        h.keys("g");
        h.keys(keys);
        let name = format!("Person {selected:02}");
        assert_eq!(h.selected_name(), name);
        for rows in [12, 30, 8, 35] {
            h.act(Action::Resize(100, rows));
            assert_eq!(h.selected_name(), name, "after a resize to {rows} rows");
            assert_eq!(h.state.rows.list.position(), Some(selected as u64));
            let height = h.state.table_height();
            assert_eq!(
                h.state.rows.list.visible(height).len(),
                height.min(60),
                "no blank rows at {rows} rows"
            );
            let shown = h.screen();
            assert!(shown.contains(&name), "{shown}");
        }
    }
}

#[test]
fn a_filtered_view_counts_its_matches_only_once_they_are_all_in() {
    let mut h = Harness::new(120, 35);
    h.keys("/jane");
    assert!(h.screen().contains("1 of 2 · filtered"), "{}", h.screen());
    // The next keystroke's frame, before its rows are read: no count from the old term.
    h.app
        .handle_key(crossterm::event::KeyEvent::from(KeyCode::Char('x')));
    let screen = h.screen();
    assert!(!screen.contains(" of 2 "), "{screen}");
    h.app.settle();
    assert!(h.screen().contains("No employee matches"), "{}", h.screen());
}

#[test]
fn end_before_the_counts_are_in_claims_no_position() {
    let mut h = Harness::empty(100, 30);
    for i in 0..60 {
        h.svc
            .new_employee(&crate::domain::actions::NewEmployee {
                name: format!("Person {i:02}"),
                email: None,
                login_access: false,
            })
            .unwrap();
    }
    h.start();
    h.state.counts_known = false;
    h.state.counts = Default::default();
    h.app
        .handle_key(crossterm::event::KeyEvent::from(KeyCode::End));
    assert_eq!(h.selected_name(), "Person 59");
    // Not a position worked out from a count of 0.
    let position = h.state.rows.list.position();
    assert!(position.is_none_or(|p| p == 59), "{position:?}");
}
