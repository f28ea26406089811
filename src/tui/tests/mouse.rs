//! The mouse (`--mouse`): each click lands where the screen drew the thing clicked, so
//! these tests find the text on the drawn screen and click there.

use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::Harness;
use crate::domain::listing::Tab;
use crate::tui::state::{Mode, Popup};

impl Harness {
    /// The column and row of the first cell where `text` is drawn.
    fn find(&self, text: &str) -> (u16, u16) {
        let term = self.terminal();
        let buf = term.backend().buffer();
        for y in 0..buf.area.height {
            // One string per row, with the column each character starts at (a wide
            // character takes two cells; the second is skipped).
            let mut line = String::new();
            let mut columns = Vec::new();
            let mut x = 0;
            while x < buf.area.width {
                let sym = buf[(x, y)].symbol();
                for _ in sym.chars() {
                    columns.push(x);
                }
                line.push_str(sym);
                x += crate::tui::text::width(sym).max(1) as u16;
            }
            if let Some(at) = line.find(text) {
                let chars = line[..at].chars().count();
                return (columns[chars], y);
            }
        }
        panic!("{text:?} is not on the screen:\n{}", self.screen());
    }

    fn mouse(&mut self, kind: MouseEventKind, column: u16, row: u16) {
        self.app.handle_mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        });
        self.app.settle();
    }

    fn click(&mut self, text: &str) {
        let (x, y) = self.find(text);
        self.mouse(MouseEventKind::Down(MouseButton::Left), x, y);
    }

    fn wheel(&mut self, down: bool) {
        let kind = if down {
            MouseEventKind::ScrollDown
        } else {
            MouseEventKind::ScrollUp
        };
        self.mouse(kind, 10, 10);
    }
}

#[test]
fn a_click_selects_a_row_and_a_second_click_opens_it() {
    let mut h = Harness::new(120, 35);
    assert_eq!(h.selected_name(), "Bob 🎉 Party");
    h.click("山田 太郎");
    assert_eq!(h.selected_name(), "山田 太郎");
    assert_eq!(h.state.mode(), Mode::Table, "the first click only selects");
    h.click("Bob 🎉");
    assert_eq!(h.selected_name(), "Bob 🎉 Party");
    h.click("Bob 🎉");
    assert_eq!(h.state.mode(), Mode::Pane);
    assert_eq!(
        h.state.pane.as_ref().unwrap().profile.employee.name,
        "Bob 🎉 Party"
    );
}

#[test]
fn with_the_pane_open_a_click_on_another_row_opens_that_employee() {
    let mut h = Harness::new(120, 35);
    h.select("Jane Doe");
    h.enter();
    assert!(h.state.side_by_side());
    h.click("山田 太郎");
    assert_eq!(h.state.mode(), Mode::Pane);
    assert_eq!(
        h.state.pane.as_ref().unwrap().profile.employee.name,
        "山田 太郎"
    );
}

#[test]
fn a_click_on_a_tab_switches_to_it() {
    let mut h = Harness::new(120, 35);
    h.click("Pending 1");
    assert_eq!(h.state.tab, Tab::Pending);
    assert_eq!(h.selected_name(), "Pat Pending");
    h.click("Tracked 3 billed");
    assert_eq!(h.state.tab, Tab::Tracked);
    // The title beside the tabs is not a tab.
    h.click("Settings › Employees");
    assert_eq!(h.state.tab, Tab::Tracked);
    h.click("Active 5");
    assert_eq!(h.state.tab, Tab::Active);
}

#[test]
fn a_click_in_the_filter_keeps_it_and_selects_among_the_filtered() {
    let mut h = Harness::new(120, 35);
    h.keys("/jane");
    assert_eq!(h.state.mode(), Mode::Filter);
    let rows = h.state.rows.list.rows.len();
    assert_eq!(rows, 2, "two Jane Does");
    let (x, y) = h.find("Jane Doe");
    h.mouse(MouseEventKind::Down(MouseButton::Left), x, y + 1);
    assert_eq!(
        h.state.mode(),
        Mode::Table,
        "the filter is kept, the table focused"
    );
    assert_eq!(h.state.filter.input.value(), "jane");
    assert_eq!(h.state.rows.list.cursor, 1);
}

#[test]
fn connections_are_clicked_like_rows_and_the_menu_by_its_entries() {
    let mut h = Harness::new(120, 35);
    h.select("Jane Doe");
    h.enter();
    let pane = h.state.pane.as_ref().unwrap();
    assert_eq!(pane.cursor, 0);
    // The external ID may be cut to its column; its start is enough to click on.
    let second: String = pane.profile.connections[1]
        .external_id
        .chars()
        .take(6)
        .collect();
    h.click(&second);
    assert_eq!(h.state.pane.as_ref().unwrap().cursor, 1);
    assert!(h.state.popup.is_none(), "the first click only selects");
    h.click(&second);
    let Some(Popup::Menu(menu)) = &h.state.popup else {
        panic!("the second click opens the menu:\n{}", h.screen());
    };
    assert_eq!(menu.items[1].label, "Move to new employee");
    // Outside the menu: it closes, nothing chosen.
    h.mouse(MouseEventKind::Down(MouseButton::Left), 0, 33);
    assert!(h.state.popup.is_none());
    h.click(&second);
    h.click("Move to new employee");
    assert_eq!(
        h.state.mode(),
        Mode::Dialog,
        "choosing Move asks first:\n{}",
        h.screen()
    );
    // Dialogs answer to the keyboard only: a click never confirms.
    let (x, y) = h.find("Cancel");
    h.mouse(MouseEventKind::Down(MouseButton::Left), x, y);
    let (x, y) = h.find("Move");
    h.mouse(MouseEventKind::Down(MouseButton::Left), x, y);
    assert_eq!(h.state.mode(), Mode::Dialog);
    assert_eq!(
        h.state.pane.as_ref().unwrap().profile.connections.len(),
        2,
        "nothing moved"
    );
}

#[test]
fn the_wheel_moves_what_has_the_focus() {
    let mut h = Harness::new(120, 35);
    h.wheel(true);
    h.wheel(true);
    assert_eq!(h.state.rows.list.cursor, 2);
    h.wheel(false);
    assert_eq!(h.state.rows.list.cursor, 1);
    h.select("Jane Doe");
    h.enter();
    h.wheel(true);
    assert_eq!(h.state.pane.as_ref().unwrap().cursor, 1);
    assert_eq!(h.selected_name(), "Jane Doe", "the table stays");
    h.press(KeyCode::Char('?'));
    h.wheel(true);
    assert_eq!(h.state.help, Some(1), "help scrolls");
}

#[test]
fn a_narrow_screen_clicks_the_pane_that_covers_the_table() {
    let mut h = Harness::new(80, 24);
    h.select("Jane Doe");
    h.enter();
    assert!(!h.state.side_by_side());
    let second = h.state.pane.as_ref().unwrap().profile.connections[1]
        .external_id
        .clone();
    h.click(&second);
    assert_eq!(h.state.pane.as_ref().unwrap().cursor, 1);
    assert_eq!(h.state.mode(), Mode::Pane);
}

#[test]
fn help_ends_with_what_the_mouse_does_or_how_to_have_it() {
    for (on, says) in [
        (false, "Start roster with --mouse to click and scroll"),
        (true, "click the selected row to open it"),
    ] {
        let mut h = Harness::new(120, 35);
        h.state.mouse = on;
        h.press(KeyCode::Char('?'));
        for _ in 0..10 {
            h.press(KeyCode::PageDown);
        }
        let screen = h.screen();
        assert!(screen.contains("Mouse"), "{screen}");
        assert!(screen.contains(says), "mouse {on}:\n{screen}");
    }
}
