//! Finding anyone from anywhere: the All tab (`0`), each tab's matches in the header
//! while a filter is on, and the typed filters (`supplier:`, `managed:`, `status:`,
//! `login:`) with the free text.

use crossterm::event::KeyCode;

use super::Harness;
use crate::domain::listing::{Counts, Tab};

fn names(h: &Harness) -> Vec<String> {
    h.app
        .state
        .rows
        .list
        .rows
        .iter()
        .map(|r| r.name.clone())
        .collect()
}

#[test]
fn zero_shows_every_profile_whatever_its_status() {
    let mut h = Harness::new(120, 35);
    h.keys("0");
    assert_eq!(h.app.state.tab, Tab::All);
    let all = names(&h);
    assert_eq!(all.len(), 6, "{all:?}");
    assert!(
        all.contains(&"Pat Pending".to_owned()),
        "the pending one too"
    );
    // Tab goes round the five, All last.
    h.press(KeyCode::Tab);
    assert_eq!(h.app.state.tab, Tab::Active);
    h.press(KeyCode::BackTab);
    assert_eq!(h.app.state.tab, Tab::All);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn the_all_tab_at_80x24() {
    let mut h = Harness::new(80, 24);
    h.keys("0");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn while_filtering_the_header_counts_each_tabs_matches() {
    let mut h = Harness::new(120, 35);
    h.keys("/jane");
    let jane = Counts {
        active: 2,
        pending: 0,
        deactivated: 0,
        tracked: 2,
    };
    assert_eq!(h.app.state.matches, Some(jane));
    h.keys("/");
    // "jane/" matches nothing: every tab says 0.
    assert_eq!(h.app.state.matches, Some(Counts::default()));
    h.press(KeyCode::Backspace);
    h.press(KeyCode::Enter);
    // Another tab keeps the filter and its counts.
    h.keys("2");
    assert_eq!(h.app.state.matches, Some(jane));
    assert!(names(&h).is_empty());
    // Cleared: the tabs' own counts again.
    h.press(KeyCode::Esc);
    assert_eq!(h.app.state.matches, None);
    assert!(h.screen().lines().next().unwrap().contains(" Pending 1 "));
}

#[test]
fn typed_filters_combine_with_text_on_any_tab() {
    let mut h = Harness::new(120, 35);
    h.keys("0/status:pending");
    assert_eq!(names(&h), ["Pat Pending"]);
    h.press(KeyCode::Esc);
    h.keys("/supplier:hubspot jane");
    assert_eq!(names(&h), ["Jane Doe", "Jane Doe"]);
    h.press(KeyCode::Esc);
    h.keys("/login:on");
    assert_eq!(names(&h), ["Jane Doe"]);
    h.press(KeyCode::Esc);
    // Jane #1 is managed by HubSpot, Jane #5's HubSpot account does not manage her.
    h.keys("/managed:hubspot");
    assert_eq!(names(&h), ["Jane Doe"]);
    h.press(KeyCode::Esc);
    h.keys("/managed:manual jane");
    assert_eq!(names(&h), ["Jane Doe"]);
    assert_eq!(
        h.app.state.rows.list.rows[0].email.as_deref(),
        Some("jane.d@acme.com")
    );
    insta::assert_snapshot!(h.screen());
}

#[test]
fn an_unknown_typed_value_names_the_known_ones() {
    let mut h = Harness::new(80, 24);
    h.keys("/supplier:hubspto");
    assert!(names(&h).is_empty());
    let screen = h.screen();
    assert!(
        screen.contains("supplier:hubspto is not a system this store knows: supplier:"),
        "{screen}"
    );
    h.press(KeyCode::Enter);
    let status = h.app.state.status.clone().unwrap();
    assert_eq!(
        status.text,
        "supplier:hubspto is not a system this store knows: supplier: takes hubspot, pipedrive, salesforce."
    );
    insta::assert_snapshot!(h.screen());
}

#[test]
fn a_jump_from_the_all_tab_lands_on_the_profiles_own_tab_with_its_position() {
    let mut h = Harness::new(120, 35);
    h.keys("0/#6");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.state.tab, Tab::Pending);
    assert_eq!(h.selected_name(), "Pat Pending");
    // The position is counted off the screen's thread, then shown.
    assert_eq!(h.app.state.rows.list.position(), Some(0));
    assert!(h.app.state.rank_wanted.is_none());
}

#[test]
fn s_sorts_a_small_tab_by_each_column_in_turn() {
    let mut h = Harness::new(120, 35);
    h.keys("0s");
    assert_eq!(h.app.state.view().sort, crate::domain::listing::SortBy::Id);
    let ids: Vec<i64> = h.app.state.rows.list.rows.iter().map(|r| r.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
    h.keys("s");
    let emails: Vec<String> = h
        .app
        .state
        .rows
        .list
        .rows
        .iter()
        .map(|r| r.email.clone().unwrap_or_default())
        .collect();
    let mut sorted = emails.clone();
    sorted.sort();
    assert_eq!(emails, sorted);
    assert_eq!(
        h.app.state.status.as_ref().unwrap().text,
        "Sorted by Email."
    );
    // Moving from the end back to the start walks the same order.
    h.press(KeyCode::End);
    assert_eq!(h.selected_name(), "山田 太郎");
    h.press(KeyCode::Home);
    assert_eq!(h.selected_name(), "Bob 🎉 Party");
    // Sorted by status: the pending one after the active ones (a filter keeps the order).
    h.keys("ss");
    assert_eq!(
        h.app.state.view().sort,
        crate::domain::listing::SortBy::Status
    );
    h.keys("/a");
    let names = names(&h);
    assert_eq!(
        names.last().map(String::as_str),
        Some("Pat Pending"),
        "{names:?}"
    );
    insta::assert_snapshot!(h.screen());
    // Round the columns back to the name.
    h.press(KeyCode::Enter);
    h.keys("sss");
    assert_eq!(
        h.app.state.view().sort,
        crate::domain::listing::SortBy::Name
    );
}

#[test]
fn a_tab_too_big_for_a_sort_stays_by_name_and_says_why() {
    let mut h = Harness::new(80, 24);
    // As if the tab held more than the limit.
    h.app.state.counts.active = crate::domain::listing::SORT_LIMIT + 1;
    h.keys("s");
    assert_eq!(
        h.app.state.view().sort,
        crate::domain::listing::SortBy::Name
    );
    let said = h.app.state.status.clone().unwrap().text;
    assert!(
        said.starts_with("Only the name sorts a tab of more than 10,000 profiles"),
        "{said}"
    );
}

/// A typed filter whose matches are more than the rows held: the position gives the
/// worker's count of the tab's matches as its total (it read "1 · filtered").
#[test]
fn a_typed_filter_with_many_matches_gives_its_total() {
    let mut h = Harness::new(80, 24);
    h.keys("/supplier:hubspot");
    let before = h.app.state.rows.list.rows.len();
    h.press(KeyCode::Esc);
    let file = h.dir.path().join("owners.csv");
    let mut csv = String::from("external_id,email,name\n");
    for i in 0..600 {
        csv.push_str(&format!(
            "{},o{i}@owners.example,Owner {i:03}\n",
            7_000_000 + i
        ));
    }
    std::fs::write(&file, csv).unwrap();
    let mut req = crate::service::import::ImportRequest::new(&file, "hubspot");
    req.allow_mass_create = true;
    h.app.svc.import(&req, &mut |_| {}).unwrap();
    h.app.settle();
    h.keys("/supplier:hubspot");
    h.press(KeyCode::Enter);
    h.app.settle();
    let total = crate::tui::text::thousands(before as u64 + 600);
    let screen = h.screen();
    assert!(
        screen.contains(&format!(" 1 of {total} · filtered ")),
        "{screen}"
    );
}
