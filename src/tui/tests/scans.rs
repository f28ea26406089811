//! Filtered views on a store big enough that a filter needs many scan steps: a tiny scan
//! budget makes 300 employees behave like a million (each step looks at 20 rows).

use crossterm::event::KeyCode;

use super::Harness;
use crate::domain::actions::NewEmployee;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::table::rows::ScanGoal;
use crate::tui::update;

/// Person 000 … Person 299; the ones in `needles` have a rare word in their email.
fn people(width: u16, height: u16, needles: &[usize]) -> Harness {
    let mut h = Harness::empty(width, height);
    for i in 0..300 {
        let email = if needles.contains(&i) {
            format!("p{i:03}.needle@acme.com")
        } else {
            format!("p{i:03}@acme.com")
        };
        h.app
            .svc
            .new_employee(&NewEmployee {
                name: format!("Person {i:03}"),
                email: Some(email),
                login_access: false,
            })
            .unwrap();
    }
    h.start();
    h.set_scan_budget(20);
    h
}

/// Types `text` into the filter without letting the app read anything.
fn type_filter(h: &mut Harness, text: &str) {
    h.app.act(Action::Filter);
    for c in text.chars() {
        h.app.act(Action::Type(crossterm::event::KeyEvent::from(
            KeyCode::Char(c),
        )));
    }
    assert!(h.state.rows.filter_dirty, "nothing read while typing");
}

/// The scan the state waits for starts, as the worker would start it.
fn start_scan(h: &mut Harness) {
    h.app.state.rows.filter_dirty = false;
    h.app.state.scan_first();
}

fn step(h: &mut Harness) {
    update::scan_step(&mut h.app.state, &mut h.app.svc);
}

fn names(h: &Harness) -> Vec<String> {
    h.state
        .rows
        .list
        .rows
        .iter()
        .map(|r| r.name.clone())
        .collect()
}

#[test]
fn a_rare_term_shows_what_each_step_found_and_keeps_searching() {
    let mut h = people(100, 20, &[10, 150, 290]);
    type_filter(&mut h, "needle");
    start_scan(&mut h);
    // The rows of the plain tab stay until the first step answers.
    assert_eq!(h.state.rows.list.rows[0].name, "Person 000");
    step(&mut h);
    assert_eq!(names(&h), ["Person 010"]);
    assert!(h.state.searching());
    assert!(h.screen().contains("searching… 1 found"), "{}", h.screen());
    let mut steps = 1;
    while h.state.rows.scan.is_some() {
        step(&mut h);
        steps += 1;
        if steps == 8 {
            // Rows 0–159 looked at: two found, shown at once.
            assert_eq!(names(&h), ["Person 010", "Person 150"]);
            assert!(h.screen().contains("searching… 2 found"));
        }
    }
    // 300 rows, 20 a step: 15 full steps, and one that finds the end of the tab.
    assert_eq!(steps, 16);
    assert_eq!(names(&h), ["Person 010", "Person 150", "Person 290"]);
    assert!(h.state.rows.list.at_end);
    let screen = h.screen();
    assert!(!screen.contains("searching"), "{screen}");
    assert!(screen.contains("1 of 3 · filtered"), "{screen}");
}

#[test]
fn a_newer_keystroke_replaces_the_scan_and_its_late_answers_are_dropped() {
    let mut h = people(100, 20, &[10, 150, 290]);
    type_filter(&mut h, "needl");
    start_scan(&mut h);
    step(&mut h);
    let old = h.state.rows.scan.clone().unwrap();
    // The answer the old scan's next step would give, taken in after the new key.
    let late = old.step(&mut h.app.svc).unwrap();
    assert_eq!(late.rows.len(), 0);
    h.app.act(Action::Type(crossterm::event::KeyEvent::from(
        KeyCode::Char('x'),
    )));
    assert!(h.state.rows.scan.is_none(), "the old scan stops at once");
    let view = h.state.view();
    let some_row = h
        .app
        .svc
        .page(&view, &crate::domain::listing::Page::First, 1)
        .unwrap();
    let late = crate::domain::listing::Found {
        rows: some_row,
        ..late
    };
    h.app.state.take_found(old.id, late);
    assert_eq!(names(&h), ["Person 010"], "the late answer changed nothing");
    h.app.settle();
    assert!(h.state.rows.list.is_empty());
    assert!(h.screen().contains("No employee matches the filter"));
}

#[test]
fn short_terms_fill_the_screen_in_one_step() {
    let mut h = people(100, 20, &[]);
    h.set_scan_budget(crate::tui::table::rows::BUDGET);
    type_filter(&mut h, "p");
    start_scan(&mut h);
    step(&mut h);
    // A common term: the first step finds the two screens wanted.
    assert!(h.state.rows.scan.is_none());
    assert_eq!(h.state.rows.list.rows.len(), 2 * h.state.table_height());
}

#[test]
fn moving_in_a_filtered_view_never_reads_on_the_spot() {
    // Every 7th person matches: 43 rows, 2 or 3 found per step.
    let mut h = people(80, 12, &(0..300).step_by(7).collect::<Vec<_>>());
    let height = h.state.table_height();
    assert_eq!(height, 6);
    h.keys("/needle");
    h.enter();
    assert_eq!(h.selected_name(), "Person 000");
    assert_eq!(h.state.rows.list.rows.len(), 2 * height);
    // A page down moves among the rows held, and asks for more beyond them.
    h.app.act(Action::PageDown);
    assert_eq!(h.selected_name(), "Person 042");
    let scan = h.state.rows.scan.clone().expect("more rows asked for");
    assert_eq!(scan.goal, ScanGoal::More);
    // Another page runs past the rows held: the selection goes as far as it can, the
    // rest of the move waits for the scan.
    h.app.act(Action::PageDown);
    h.app.act(Action::PageDown);
    assert_eq!(h.selected_name(), "Person 077");
    assert!(h.state.rows.pending > 0, "{}", h.state.rows.pending);
    assert!(h.screen().contains("searching…"));
    h.app.settle();
    assert_eq!(h.state.rows.pending, 0);
    assert_eq!(h.selected_name(), "Person 126");
    assert_eq!(h.state.rows.list.position(), Some(18));
    // Down to the end row by row; only a short run of rows is ever held.
    for _ in 0..30 {
        h.keys("j");
        assert!(
            h.state.rows.list.rows.len() <= 4 * height,
            "{}",
            h.state.rows.list.rows.len()
        );
    }
    assert_eq!(h.selected_name(), "Person 294");
    assert_eq!(h.state.rows.list.position(), Some(42));
    h.keys("g");
    assert_eq!(h.selected_name(), "Person 000");
    assert_eq!(h.state.rows.list.position(), Some(0));
}

#[test]
fn end_and_home_in_a_filtered_view() {
    let mut h = people(80, 12, &(0..300).step_by(7).collect::<Vec<_>>());
    let height = h.state.table_height();
    h.keys("/needle");
    h.enter();
    h.press(KeyCode::End);
    assert_eq!(h.selected_name(), "Person 294");
    assert!(h.state.rows.list.at_end);
    assert_eq!(h.state.rows.list.visible(height).len(), height);
    // The position is unknown from the end; the rows above come as the user goes up.
    for i in 0..20 {
        h.keys("k");
        let want = format!("Person {:03}", 294 - 7 * (i + 1));
        assert_eq!(h.selected_name(), want);
        assert!(h.state.rows.list.rows.len() <= 4 * height);
    }
    h.press(KeyCode::Home);
    assert_eq!(h.selected_name(), "Person 000");
    assert_eq!(h.state.rows.list.position(), Some(0));
    h.press(KeyCode::PageUp);
    assert_eq!(h.selected_name(), "Person 000");
}

#[test]
fn end_keeps_the_rows_on_screen_until_it_finds_some() {
    let mut h = people(80, 12, &[3, 5]);
    h.keys("/needle");
    h.enter();
    // Both found, the view is held whole: End is at once.
    h.app.act(Action::Bottom);
    assert!(h.state.rows.scan.is_none());
    assert_eq!(h.selected_name(), "Person 005");
    let mut h = people(80, 12, &[3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27]);
    h.keys("/needle");
    h.enter();
    assert!(!h.state.rows.list.at_end);
    h.app.act(Action::Bottom);
    // Scanning up from the end: nothing in the first steps; the rows stay.
    step(&mut h);
    assert_eq!(h.selected_name(), "Person 003");
    assert!(h.screen().contains("searching… 0 found"));
    h.app.settle();
    assert_eq!(h.selected_name(), "Person 027");
}

#[test]
fn the_worker_scans_step_by_step_and_the_app_settles() {
    let h = people(80, 12, &(0..300).step_by(7).collect::<Vec<_>>());
    let mut app = App::open(h.other_session(), 80, 12);
    app.set_scan_budget(20);
    app.settle();
    for c in "/needle".chars() {
        app.handle_key(crossterm::event::KeyEvent::from(KeyCode::Char(c)));
        app.tick();
    }
    app.handle_key(crossterm::event::KeyEvent::from(KeyCode::Enter));
    app.settle();
    assert_eq!(app.state.rows.list.rows.len(), 12);
    app.handle_key(crossterm::event::KeyEvent::from(KeyCode::End));
    app.settle();
    assert_eq!(app.state.rows.list.selected().unwrap().name, "Person 294");
    for _ in 0..10 {
        app.handle_key(crossterm::event::KeyEvent::from(KeyCode::PageUp));
        app.settle();
    }
    assert_eq!(app.state.rows.list.selected().unwrap().name, "Person 000");
    // After a change, the filtered rows are read again around the screen.
    let mut other = h.other_session();
    other
        .change_status(1, crate::domain::actions::StatusChange::Deactivate, None)
        .unwrap();
    update::poll(&mut app.state, &mut app.svc);
    app.settle();
    assert_eq!(app.state.rows.list.selected().unwrap().name, "Person 007");
}

#[test]
fn a_plain_tab_reads_two_screens_ahead_so_a_page_down_reads_nothing_on_the_spot() {
    let mut h = people(80, 12, &[]);
    let height = h.state.table_height();
    assert_eq!(
        h.state.rows.list.rows.len(),
        3 * height,
        "a screen and two ahead"
    );
    for page in 1..=10 {
        // The page's rows are held: the move is made at once, and the worker is asked
        // for the rows after them.
        h.app.act(Action::PageDown);
        assert_eq!(h.selected_name(), format!("Person {:03}", page * height));
        let scan = h.state.rows.scan.clone().expect("reading ahead");
        assert_eq!(scan.goal, ScanGoal::More);
        h.app.settle();
        assert!(h.state.rows.list.rows.len() <= 4 * height);
    }
    assert_eq!(h.state.rows.list.position(), Some(10 * height as u64));
    // Up again row by row, and to the end and back: the same rows, in order.
    for i in (0..10 * height).rev() {
        h.keys("k");
        assert_eq!(h.selected_name(), format!("Person {i:03}"));
    }
    h.keys("G");
    assert_eq!(h.selected_name(), "Person 299");
    h.press(KeyCode::PageUp);
    assert_eq!(h.selected_name(), format!("Person {:03}", 299 - height));
}

#[test]
fn reading_ahead_with_the_worker_walks_the_whole_tab() {
    let h = people(80, 12, &[]);
    let mut app = App::open(h.other_session(), 80, 12);
    app.settle();
    let mut seen = vec![app.state.rows.list.selected().unwrap().name.clone()];
    for _ in 0..299 {
        // Keys faster than the worker: moves past the rows held read them on the spot.
        app.handle_key(crossterm::event::KeyEvent::from(KeyCode::Down));
        app.tick();
        seen.push(app.state.rows.list.selected().unwrap().name.clone());
    }
    let want: Vec<String> = (0..300).map(|i| format!("Person {i:03}")).collect();
    assert_eq!(seen, want);
    app.settle();
    assert_eq!(app.state.rows.list.position(), Some(299));
}
