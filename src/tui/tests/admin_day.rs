//! An admin's day in the app (README "The app"): find by `#id` across tabs, copy IDs,
//! blocks seen and lifted, the audit log with old → new and undo of a chosen entry,
//! pending review in one key, the message history, keys that mean one thing, 80×24.

use crossterm::event::KeyCode;

use super::Harness;
use crate::domain::listing::Tab;
use crate::tui::keymap::{BINDINGS, Scope};
use crate::tui::state::Popup;

/// Jane (#1): her Salesforce account removed and blocked.
fn jane_blocked(h: &mut Harness) {
    let key = h.svc.connection_key(1, "salesforce", None).unwrap();
    h.svc.remove(1, &key, true, None).unwrap();
}

fn reload(h: &mut Harness) {
    h.press_with(KeyCode::Char('l'), crossterm::event::KeyModifiers::CONTROL);
}

#[test]
fn hash_id_jumps_to_the_profile_on_its_tab_with_a_true_position() {
    let mut h = Harness::new(120, 35);
    assert_eq!(h.state.tab, Tab::Active);
    h.keys("/#6");
    let top = h.screen().lines().next().unwrap_or_default().to_owned();
    assert!(
        top.contains(&format!("Active {}", h.state.counts.active)),
        "a jump is not a search: the tabs keep their totals: {top}"
    );
    assert!(
        h.screen()
            .contains("Enter jumps to profile #6, on whatever tab it is."),
        "while typing, #6 says what Enter does (not 'no employee matches'): {}",
        h.screen()
    );
    h.enter();
    assert_eq!(h.state.tab, Tab::Pending);
    assert_eq!(h.selected_name(), "Pat Pending");
    assert_eq!(h.state.rows.list.position(), Some(0));
    assert!(h.state.filter.text().is_none(), "the filter is cleared");
    assert!(
        h.status().contains("is on the Pending tab"),
        "{}",
        h.status()
    );
    h.keys("/:3");
    h.enter();
    assert_eq!(h.state.tab, Tab::Active);
    assert!(h.selected_name().starts_with("Bob"));
    let pos = h.state.rows.list.position();
    assert!(pos.is_some(), "the position is counted, not '…'");
    h.keys("/#999");
    h.enter();
    assert!(
        h.status().contains("There is no profile #999"),
        "{}",
        h.status()
    );
}

#[test]
fn clearing_a_filter_keeps_the_row_and_a_true_position() {
    let mut h = Harness::new(120, 35);
    h.keys("/yamada");
    h.enter();
    assert_eq!(h.selected_name(), "山田 太郎");
    h.esc();
    assert_eq!(h.selected_name(), "山田 太郎");
    let rows: Vec<String> = h
        .state
        .rows
        .list
        .rows
        .iter()
        .map(|r| r.name.clone())
        .collect();
    let expect = rows.iter().position(|n| n == "山田 太郎").unwrap() as u64
        + h.state.rows.list.first_pos.unwrap_or(u64::MAX);
    assert_eq!(h.state.rows.list.position(), Some(expect));
    assert!(!h.screen().contains("… of"), "{}", h.screen());
}

#[test]
fn y_copies_the_id_or_external_id_with_osc52_and_shows_it() {
    let mut h = Harness::new(120, 35);
    h.select("Bob 🎉 Party");
    h.keys("y");
    assert_eq!(h.state.clipboard.as_deref(), Some("3"));
    assert!(h.status().contains("the ID of Bob"), "{}", h.status());
    h.keys("Y");
    assert_eq!(h.state.clipboard.as_deref(), Some("bob@acme.com"));
    h.select("Jane Doe");
    h.enter();
    h.keys("j");
    h.keys("y");
    assert_eq!(h.state.clipboard.as_deref(), Some("0055000000AbCdEAAZ"));
    assert!(
        h.status().ends_with("(OSC 52): 0055000000AbCdEAAZ"),
        "{}",
        h.status()
    );
}

#[test]
fn a_block_is_listed_in_the_pane_and_lifted_there_undoably() {
    let mut h = Harness::new(120, 35);
    jane_blocked(&mut h);
    reload(&mut h);
    h.select("Jane Doe");
    h.enter();
    let pane = h.state.pane.as_ref().unwrap();
    assert_eq!(pane.blocks.len(), 1);
    assert_eq!(pane.blocks[0].external_id, "0055000000AbCdEAAZ");
    assert!(h.screen().contains("Blocked (1)"), "{}", h.screen());
    h.keys("b");
    assert!(matches!(h.state.popup, Some(Popup::Dialog(_))));
    h.keys("y");
    assert!(h.status().contains("Lifted the block"), "{}", h.status());
    assert!(h.state.pane.as_ref().unwrap().blocks.is_empty());
    assert!(h.svc.blocks(1).unwrap().is_empty());
    h.keys("u");
    h.keys("y");
    assert_eq!(h.svc.blocks(1).unwrap().len(), 1, "undo puts it back");
    assert_eq!(h.state.pane.as_ref().unwrap().blocks.len(), 1);
}

#[test]
fn the_audit_log_shows_old_to_new_and_undoes_a_chosen_entry() {
    let mut h = Harness::new(120, 35);
    let bob = crate::domain::actions::Edit {
        name: Some("Robert Party".into()),
        email: None,
        picture_url: None,
        login_access: None,
    };
    h.svc.edit(3, &bob, None).unwrap();
    // A newer action on another profile: the chosen entry is not the most recent.
    let key = h.svc.connection_key(2, "pipedrive", None).unwrap();
    h.svc.remove(2, &key, false, None).unwrap();
    reload(&mut h);
    h.keys("L");
    let screen = h.screen();
    assert!(
        screen.contains("name: Bob 🎉 Party → Robert Party"),
        "{screen}"
    );
    // The second entry is the edit.
    h.keys("j");
    h.keys("u");
    let Some(Popup::Dialog(d)) = &h.state.popup else {
        panic!("no dialog: {}", h.screen());
    };
    assert!(d.title.contains("Undo entry"), "{}", d.title);
    h.keys("y");
    assert!(
        h.status().starts_with("Undid: Edited the name"),
        "{}",
        h.status()
    );
    assert_eq!(h.svc.profile(3).unwrap().employee.name, "Bob 🎉 Party");
    // The newer remove stays.
    assert!(h.svc.profile(2).unwrap().connections.is_empty());
}

#[test]
fn pending_review_is_one_key_each_and_says_the_billed_seat() {
    let mut h = Harness::new(80, 24);
    h.svc
        .connect(
            6,
            &crate::domain::actions::ManualConnection {
                system: "hubspot".into(),
                external_id: "900".into(),
                email: None,
                name: None,
            },
            None,
        )
        .unwrap();
    reload(&mut h);
    h.keys("2");
    let screen = h.screen();
    let footer = screen.lines().last().unwrap().to_owned();
    assert!(
        footer.contains("a activate") && footer.contains("x discard"),
        "{footer}"
    );
    let tracked = h.state.counts.tracked;
    h.keys("a");
    assert!(
        h.status().contains(&format!(
            "Tracked {tracked} → {}: one more billed seat",
            tracked + 1
        )),
        "{}",
        h.status()
    );
    assert_eq!(h.state.counts.tracked, tracked + 1);
    // Its undo asks with the seat it frees.
    h.keys("u");
    let text = h.dialog_text();
    assert!(
        text.contains(&format!(
            "Tracked {} → {tracked}: one billed seat less.",
            tracked + 1
        )),
        "{text}"
    );
}

#[test]
fn the_footer_at_80_columns_keeps_undo_and_import() {
    let h = Harness::new(80, 24);
    let screen = h.screen();
    let footer = screen.lines().last().unwrap();
    assert!(
        footer.contains("u undo") && footer.contains("i import") && footer.contains("q quit"),
        "{footer}"
    );
}

#[test]
fn the_message_history_keeps_long_messages_whole() {
    let mut h = Harness::new(80, 24);
    for i in 0..60 {
        h.state
            .info(format!("message {i} {}", "long words ".repeat(12)));
    }
    assert_eq!(h.state.messages.len(), crate::tui::state::MESSAGES_KEPT);
    assert!(h.state.messages[0].text.starts_with("message 10 "));
    h.keys("M");
    let screen = h.screen();
    assert!(screen.contains("Messages: newest first"), "{screen}");
    assert!(screen.contains("• message 59 long words"), "{screen}");
    h.esc();
    assert!(h.state.popup.is_none());
}

#[test]
fn y_n_and_esc_only_confirm_or_cancel_and_menus_reuse_no_letter() {
    use crate::tui::action::Action;
    use crate::tui::keymap::Key;
    // n is Cancel wherever it is bound.
    for b in BINDINGS {
        if b.keys.contains(&Key {
            code: KeyCode::Char('n'),
            ctrl: false,
        }) {
            assert_eq!(b.action, Action::Cancel, "{:?}", b.scope);
        }
    }
    // In a dialog, y confirms and n/Esc cancel; no other dialog key is y or n.
    for b in BINDINGS.iter().filter(|b| b.scope == Scope::Dialog) {
        for k in b.keys {
            if let KeyCode::Char(c @ ('y' | 'n')) = k.code {
                let want = if c == 'y' {
                    Action::Confirm
                } else {
                    Action::Cancel
                };
                assert_eq!(b.action, want);
            }
        }
    }
    // A connection's menu: each entry's letter is its own, and not a key of the menu.
    let mut h = Harness::new(120, 35);
    h.select("Jane Doe");
    h.enter();
    h.keys("j");
    h.enter();
    let Some(Popup::Menu(m)) = &h.state.popup else {
        panic!("no menu");
    };
    let letters: Vec<char> = m.items.iter().map(|i| i.hotkey).collect();
    let mut unique = letters.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), letters.len(), "{letters:?}");
    for c in &letters {
        assert!(
            !"ynjk".contains(*c),
            "{c} is a menu key or confirms/cancels"
        );
        assert!(
            !BINDINGS
                .iter()
                .filter(|b| b.scope == Scope::Menu)
                .any(|b| b.keys.contains(&Key {
                    code: KeyCode::Char(*c),
                    ctrl: false
                })),
            "{c}"
        );
    }
}

#[test]
fn audit_log_screen() {
    let mut h = Harness::new(120, 35);
    h.svc
        .edit(
            3,
            &crate::domain::actions::Edit {
                name: Some("Robert Party".into()),
                email: Some("robert@acme.com".into()),
                picture_url: None,
                login_access: None,
            },
            None,
        )
        .unwrap();
    reload(&mut h);
    h.keys("L");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn audit_log_screen_80x24() {
    let mut h = Harness::new(80, 24);
    h.svc
        .edit(
            3,
            &crate::domain::actions::Edit {
                name: Some("Robert Party".into()),
                email: None,
                picture_url: None,
                login_access: Some(true),
            },
            None,
        )
        .unwrap();
    reload(&mut h);
    h.keys("Lj");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn pane_with_a_block() {
    let mut h = Harness::new(120, 35);
    jane_blocked(&mut h);
    reload(&mut h);
    h.select("Jane Doe");
    h.enter();
    insta::assert_snapshot!(h.screen());
}

#[test]
fn pane_with_a_block_80x24() {
    let mut h = Harness::new(80, 24);
    jane_blocked(&mut h);
    reload(&mut h);
    h.select("Jane Doe");
    h.enter();
    insta::assert_snapshot!(h.screen());
}

#[test]
fn pending_tab_80x24() {
    let mut h = Harness::new(80, 24);
    h.keys("2");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn messages_80x24() {
    let mut h = Harness::new(80, 24);
    h.select("Bob 🎉 Party");
    h.keys("y");
    h.keys("/#6");
    h.enter();
    h.keys("M");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn a_new_profile_with_an_email_another_holds_names_it_and_asks() {
    let mut h = Harness::new(120, 35);
    h.keys("N");
    h.keys("Janet");
    h.press(KeyCode::Tab);
    h.keys("jane@acme.com");
    h.enter();
    let Some(Popup::Dialog(d)) = &h.state.popup else {
        panic!("no question: {}", h.screen());
    };
    assert!(d.title.contains("another one holds"), "{}", d.title);
    assert!(h.screen().contains("Jane Doe (#1)"), "{}", h.screen());
    h.keys("y");
    assert!(h.status().starts_with("Created Janet"), "{}", h.status());
    assert_eq!(
        h.state.pane.as_ref().unwrap().profile.employee.name,
        "Janet"
    );
    // An email nobody holds asks nothing.
    h.esc();
    h.keys("N");
    h.keys("Nobody");
    h.press(KeyCode::Tab);
    h.keys("nobody@acme.com");
    h.enter();
    assert!(h.state.popup.is_none());
    assert!(h.status().starts_with("Created Nobody"), "{}", h.status());
}

#[test]
fn moving_an_account_whose_email_another_holds_says_so() {
    let mut h = Harness::new(120, 35);
    // Jane's HubSpot account has jane@acme.com, Jane's own email.
    h.select("Jane Doe");
    h.enter();
    h.enter();
    h.keys("v");
    let Some(Popup::Dialog(d)) = &h.state.popup else {
        panic!("no dialog: {}", h.screen());
    };
    let crate::tui::state::Body::Text(body) = &d.body else {
        panic!("not text");
    };
    assert!(
        body.iter()
            .any(|l| l.contains("email jane@acme.com is held by Jane Doe (#1) too")),
        "{body:?}"
    );
}

/// Ten more pending profiles, each with a HubSpot account (so activating bills them).
fn ten_pending(h: &mut Harness) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..10 {
        let (id, _) = h
            .svc
            .new_employee(&crate::domain::actions::NewEmployee {
                name: format!("Pending {i:02}"),
                email: Some(format!("p{i}@acme.com")),
                login_access: false,
            })
            .unwrap();
        h.svc
            .connect(
                id,
                &crate::domain::actions::ManualConnection {
                    system: "hubspot".into(),
                    external_id: format!("p{i}"),
                    email: None,
                    name: None,
                },
                None,
            )
            .unwrap();
        ids.push(id);
    }
    let db = h.svc.store().conn();
    db.execute_batch("UPDATE employees SET status = 'pending' WHERE name LIKE 'Pending %'")
        .unwrap();
    crate::store::check::fix_derived(db).unwrap();
    reload(h);
    ids
}

#[test]
fn marks_activate_ten_pending_profiles_with_one_question_each_its_own_entry() {
    let mut h = Harness::new(120, 35);
    let ids = ten_pending(&mut h);
    h.keys("2");
    h.keys("g");
    // Pat Pending (no account: not billed) and the ten.
    for _ in 0..11 {
        h.press(KeyCode::Char(' '));
    }
    assert_eq!(h.state.marks.len(), 11);
    assert!(h.screen().contains("● Pending 00"), "{}", h.screen());
    let tracked = h.state.counts.tracked;
    h.keys("a");
    let Some(Popup::Dialog(d)) = &h.state.popup else {
        panic!("no question: {}", h.screen());
    };
    assert_eq!(d.title, "Activate 11 marked profiles?");
    let crate::tui::state::Body::Text(body) = &d.body else {
        panic!()
    };
    assert!(
        body.iter().any(|l| l.contains(&format!(
            "Tracked {tracked} → {}: 10 more billed seats",
            tracked + 10
        ))),
        "{body:?}"
    );
    h.keys("y");
    assert!(h.state.marks.is_empty());
    assert!(
        h.status().starts_with("Activated 11 of 11"),
        "{}",
        h.status()
    );
    assert_eq!(h.state.counts.tracked, tracked + 10);
    for id in &ids {
        assert_eq!(
            h.svc.profile(*id).unwrap().employee.status,
            crate::domain::model::Status::Active
        );
    }
    let log = h
        .svc
        .log(&crate::domain::audit::LogFilter::default(), 11)
        .unwrap();
    assert!(log.iter().all(|e| e.action == "activate"), "one entry each");
    // Esc clears marks before it does anything else.
    h.keys("1g ");
    assert_eq!(h.state.marks.len(), 1);
    h.esc();
    assert!(h.state.marks.is_empty());
}

#[test]
fn pending_tab_with_marks_120x35() {
    let mut h = Harness::new(120, 35);
    ten_pending(&mut h);
    h.keys("2g  ");
    insta::assert_snapshot!(h.screen());
}

/// `d` on a profile that counts as tracked (active, with an account) asks with the seat
/// it frees in numbers, as the marked rows' dialog does.
#[test]
fn deactivating_a_tracked_profile_asks_with_the_seat_it_frees() {
    let mut h = Harness::new(120, 35);
    let tracked = h.state.counts.tracked;
    let at = h
        .state
        .rows
        .list
        .rows
        .iter()
        .position(|r| r.tracked())
        .expect("a tracked row on the Active tab");
    h.keys("g");
    for _ in 0..at {
        h.keys("j");
    }
    h.keys("d");
    let text = h.dialog_text();
    assert!(
        text.contains(&format!(
            "Tracked {tracked} → {}: one billed seat less.",
            tracked - 1
        )),
        "{text}"
    );
}
