//! The mouse, when it is switched on (`roster --mouse` or `ROSTER_MOUSE=1`; off by default,
//! so the terminal's own selection and copy keep working over SSH).
//!
//! A mouse event becomes the keys a keyboard user would press, resolved through the same
//! key table, so a click can do nothing the keys cannot:
//! - the wheel moves the selection of whatever has the focus (table, connections, menu,
//!   help), one row a notch;
//! - a click on a tab switches to it;
//! - a click on a row of the table or of the pane's connections selects it, and a click
//!   on the selected row opens it (Enter): the edit pane, or the connection's menu;
//!   with the pane open, a click on another row of the table opens that employee;
//! - a click on a menu entry chooses it; a click outside the menu closes it.
//!
//! Dialogs and forms answer to the keyboard only: a stray click never confirms a removal.

use crossterm::event::{KeyCode, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use ratatui::widgets::Block;

use super::action::Action;
use super::pane::view::banner_wrapped;
use super::state::{Mode, Popup, State};
use super::view::layout::{self, Screen};

/// One thing a mouse event does: a key, or an action no key of the mode names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Key(KeyCode),
    Act(Action),
}

/// What `ev` does on the screen `state` shows.
pub fn steps(state: &State, ev: &MouseEvent) -> Vec<Step> {
    let mode = state.mode();
    match ev.kind {
        MouseEventKind::ScrollDown => scroll(mode, KeyCode::Down),
        MouseEventKind::ScrollUp => scroll(mode, KeyCode::Up),
        MouseEventKind::Down(MouseButton::Left) => {
            let screen = layout::screen(Rect::new(0, 0, state.width, state.height));
            click(state, mode, &screen, Position::new(ev.column, ev.row))
        }
        _ => Vec::new(),
    }
}

fn scroll(mode: Mode, code: KeyCode) -> Vec<Step> {
    match mode {
        Mode::Table
        | Mode::Pick
        | Mode::Pane
        | Mode::Menu
        | Mode::Reader
        | Mode::Review
        | Mode::ReviewItem => vec![Step::Key(code)],
        Mode::Filter | Mode::Form | Mode::Dialog => Vec::new(),
    }
}

fn click(state: &State, mode: Mode, screen: &Screen, at: Position) -> Vec<Step> {
    // What leaves the current mode for the table: the filter is kept, the pane closed.
    let leave = match mode {
        Mode::Table | Mode::Pick => None,
        Mode::Filter => Some(Step::Key(KeyCode::Enter)),
        Mode::Pane => Some(Step::Key(KeyCode::Esc)),
        Mode::Menu => return menu_click(state, screen, at),
        Mode::Form | Mode::Dialog | Mode::Reader | Mode::Review | Mode::ReviewItem => {
            return Vec::new();
        }
    };
    let mut steps: Vec<Step> = leave.into_iter().collect();
    if screen.top.contains(at) {
        let x = at.x - screen.top.x;
        return match layout::tab_spans(state)
            .iter()
            .position(|(start, end)| (*start..*end).contains(&x))
        {
            Some(i) => {
                steps.push(Step::Act(Action::Tab(i as u8)));
                steps
            }
            None => Vec::new(),
        };
    }
    let (table, pane) = layout::body_parts(state, screen.body);
    if let Some(rows) = table.map(layout::table_rows).filter(|r| r.contains(at)) {
        let i = (at.y - rows.y) as usize;
        if i >= state.rows.list.visible(state.table_height()).len() {
            return Vec::new();
        }
        let from = state.rows.list.cursor;
        let to = state.rows.list.top + i;
        steps.extend(moves(from, to));
        // With the pane open, the click asks for that employee's pane.
        if from == to || mode == Mode::Pane {
            steps.push(Step::Key(KeyCode::Enter));
        }
        return steps;
    }
    match (mode, pane) {
        (Mode::Pane, Some(area)) if area.contains(at) => connection_click(state, area, at),
        _ => Vec::new(),
    }
}

fn connection_click(state: &State, area: Rect, at: Position) -> Vec<Step> {
    let Some(pane) = &state.pane else {
        return Vec::new();
    };
    let inner = Block::bordered().inner(area);
    let banner = banner_wrapped(pane, inner.width as usize).len() as u16;
    let parts = layout::pane_parts(pane, inner, banner);
    let (rows, first) = layout::connection_rows(pane, parts.connections);
    if !rows.contains(at) {
        return Vec::new();
    }
    let to = first + (at.y - rows.y) as usize;
    if to >= pane.profile.connections.len() {
        return Vec::new();
    }
    let mut steps = moves(pane.cursor, to);
    if to == pane.cursor {
        steps.push(Step::Key(KeyCode::Enter));
    }
    steps
}

fn menu_click(state: &State, screen: &Screen, at: Position) -> Vec<Step> {
    let Some(Popup::Menu(menu)) = &state.popup else {
        return Vec::new();
    };
    let area = layout::menu_area(menu, screen.body);
    if !area.contains(at) {
        return vec![Step::Key(KeyCode::Esc)];
    }
    let inner = Block::bordered().inner(area);
    if !inner.contains(at) {
        return Vec::new();
    }
    match menu.items.get((at.y - inner.y) as usize) {
        Some(item) => vec![Step::Act(Action::Hotkey(item.hotkey))],
        None => Vec::new(),
    }
}

/// The arrow keys that take a selection from `from` to `to`.
fn moves(from: usize, to: usize) -> Vec<Step> {
    let (key, n) = if to >= from {
        (KeyCode::Down, to - from)
    } else {
        (KeyCode::Up, from - to)
    };
    vec![Step::Key(key); n]
}
