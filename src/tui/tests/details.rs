//! Reading a profile where it is (README "The app"): the table's ID column, the pane
//! following the table's selection, where a pending profile came from, the status
//! lines naming keys from the key table.

use crossterm::event::KeyCode;

use super::Harness;
use crate::domain::model::Review;
use crate::service::import::ImportRequest;
use crate::tui::action::Action;
use crate::tui::keymap::{Scope, key};

#[test]
fn i_shows_and_hides_the_id_column() {
    let mut h = Harness::new(120, 35);
    assert!(!h.screen().contains(" ID "), "{}", h.screen());
    h.keys("I");
    assert!(h.state.show_ids);
    let screen = h.screen();
    let header = screen
        .lines()
        .find(|l| l.contains("Name"))
        .expect("the header row");
    assert!(header.starts_with("\"│ID Name"), "{header}");
    // Each row starts with its id, right-aligned.
    let bob = screen.lines().find(|l| l.contains("Bob")).unwrap();
    assert!(bob.starts_with("\"│ 3 Bob"), "{bob}");
    h.keys("I");
    assert!(!h.state.show_ids);
    assert!(!h.screen().contains("│ID "), "{}", h.screen());
}

#[test]
fn id_column_120x35() {
    let mut h = Harness::new(120, 35);
    h.keys("I");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn id_column_80x24() {
    let mut h = Harness::new(80, 24);
    h.keys("I");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn the_pane_follows_the_tables_selection_with_shift_j_and_k() {
    let mut h = Harness::new(120, 35);
    h.keys("g");
    h.enter();
    let first = h.state.pane.as_ref().unwrap().id();
    let first_row = h.state.rows.list.selected().unwrap().id;
    assert_eq!(first, first_row);
    h.keys("J");
    let pane = h.state.pane.as_ref().expect("the pane stays open");
    let row = h.state.rows.list.selected().unwrap().id;
    assert_ne!(row, first_row, "the table's selection moved");
    assert_eq!(pane.id(), row, "the pane shows the selected row");
    h.keys("K");
    assert_eq!(h.state.pane.as_ref().unwrap().id(), first);
    h.keys("K");
    assert!(h.status().contains("no other row"), "{}", h.status());
    assert_eq!(h.state.pane.as_ref().unwrap().id(), first);
}

/// Under manual review, an import's new profile waits on the Pending tab; its pane
/// says which import made it, and when.
#[test]
fn a_pending_profile_says_which_import_made_it() {
    let mut h = Harness::new(120, 35);
    h.svc.set_review(Review::Manual).unwrap();
    let path = h.dir.path().join("owners.csv");
    std::fs::write(
        &path,
        "external_id,email,name\n9001,new@acme.com,New Hire\n",
    )
    .unwrap();
    let report = h
        .svc
        .import(&ImportRequest::new(&path, "hubspot"), &mut |_| {})
        .unwrap();
    assert_eq!(report.tally.created, 1);
    h.press_with(KeyCode::Char('l'), crossterm::event::KeyModifiers::CONTROL);
    h.keys("2");
    // The row says which import made it, and when; Pat, made by hand, says so.
    let screen = h.screen();
    let hire = screen.lines().find(|l| l.contains("New Hire")).unwrap();
    assert!(hire.contains("HubSpot #1 "), "{screen}");
    let pat = screen.lines().find(|l| l.contains("Pat Pending")).unwrap();
    assert!(pat.contains("by hand"), "{screen}");
    assert!(screen.contains("Came from"), "{screen}");
    let row = h
        .state
        .rows
        .list
        .rows
        .iter()
        .find(|r| r.name == "New Hire")
        .expect("the new profile is pending")
        .id;
    h.keys(&format!("/#{row}"));
    h.enter();
    h.enter();
    let origin = h.state.pane.as_ref().unwrap().origin.clone();
    let run = origin.expect("the import that made it");
    assert_eq!(run.system, "hubspot");
    let screen = h.screen();
    assert!(
        screen.contains(&format!("by HubSpot import #{}", run.id)),
        "{screen}"
    );
    // A profile made by hand came from no import.
    h.esc();
    h.keys("1g");
    h.enter();
    assert!(h.state.pane.as_ref().unwrap().origin.is_none());
}

#[test]
fn the_marks_status_names_the_keys_of_the_key_table() {
    let mut h = Harness::new(120, 35);
    h.keys(" ");
    let expected = format!(
        "1 marked: {} activates, {} deactivates, {} discards them all; {} clears the marks.",
        key(Scope::Table, Action::Activate),
        key(Scope::Table, Action::Deactivate),
        key(Scope::Table, Action::Discard),
        key(Scope::Table, Action::Back)
    );
    assert_eq!(h.status(), expected);
}

#[test]
fn clearing_the_marks_counts_them_in_words() {
    let mut h = Harness::new(120, 35);
    h.keys(" ");
    h.esc();
    assert_eq!(h.status(), "1 mark cleared; nothing was changed.");
    h.keys("g  ");
    h.esc();
    assert_eq!(h.status(), "2 marks cleared; nothing was changed.");
}

/// The screen's lines where a popup's border sits on the frame under it.
fn doubled_frames(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter(|l| ["┌┌", "┐┐", "└└", "┘┘", "││"].iter().any(|d| l.contains(d)))
        .map(str::to_owned)
        .collect()
}

#[test]
fn popups_never_sit_on_the_frame_under_them_at_80x24() {
    let mut h = Harness::new(80, 24);
    // A merge preview over the table (it takes every row it can).
    h.select("Jane Doe");
    h.enter();
    h.keys("m/502");
    h.enter();
    h.enter();
    assert!(h.state.popup.is_some(), "{}", h.screen());
    assert_eq!(doubled_frames(&h.screen()), Vec::<String>::new());
    h.keys("n");
    h.esc();
    // A menu and a confirmation over the full-screen pane.
    h.select("Jane Doe");
    h.enter();
    h.enter();
    assert!(h.state.popup.is_some(), "{}", h.screen());
    assert_eq!(doubled_frames(&h.screen()), Vec::<String>::new());
    h.keys("j");
    h.enter();
    assert!(h.state.popup.is_some(), "{}", h.screen());
    assert_eq!(doubled_frames(&h.screen()), Vec::<String>::new());
    // A form.
    h.keys("n");
    h.esc();
    h.keys("N");
    assert!(h.state.popup.is_some(), "{}", h.screen());
    assert_eq!(doubled_frames(&h.screen()), Vec::<String>::new());
}

/// The table's position line (bottom right of its frame).
fn position(h: &Harness) -> String {
    let screen = h.screen();
    let line = screen
        .lines()
        .find(|l| l.starts_with("\"└"))
        .unwrap_or_default()
        .to_owned();
    line.trim_matches(|c| "\"└┘─ ".contains(c)).to_owned()
}

#[test]
fn the_position_is_right_after_every_filter_change() {
    let mut h = Harness::new(120, 35);
    h.keys("jj");
    assert_eq!(position(&h), "3 of 5");
    h.keys("/jane");
    assert_eq!(position(&h), "1 of 2 · filtered");
    h.press(KeyCode::Backspace);
    h.press(KeyCode::Backspace);
    assert_eq!(position(&h), "1 of 2 · filtered", "still matches ja");
    h.press(KeyCode::Backspace);
    h.press(KeyCode::Backspace);
    // Typed back to nothing: the whole tab, with a true position.
    assert_eq!(position(&h), "1 of 5");
    h.keys("yamada");
    h.enter();
    assert_eq!(position(&h), "1 of 1 · filtered");
    h.esc();
    // Cleared with Esc: the row stays selected, at its place among all.
    assert_eq!(h.selected_name(), "山田 太郎");
    assert_eq!(position(&h), "5 of 5");
    h.keys("/zzz");
    assert_eq!(position(&h), "no rows");
    h.esc();
    h.esc();
    assert!(!position(&h).contains('…'), "{}", position(&h));
}

#[test]
fn the_pane_shows_a_salesforce_id_whole_beside_the_table_at_120_columns() {
    let mut h = Harness::new(120, 35);
    h.select("Jane Doe");
    h.enter();
    assert!(h.state.side_by_side());
    let screen = h.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("│Salesforce  "))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("0055000000AbCdEAAZ"), "{row}");
}
