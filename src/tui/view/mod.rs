//! `view`: draws the state. A pure function: it reads the state and writes the frame,
//! nothing else (no queries, no clock).

mod dialog;
mod footer;
mod form;
mod header;
mod help;
mod history;
pub mod layout;
mod menu;
pub mod pane;
mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};

use super::state::{Popup, State};
use super::theme::Theme;

pub fn view(state: &State, frame: &mut Frame) {
    let theme = Theme::new(state.color);
    let area = frame.area();
    let layout::Screen {
        top,
        body,
        status,
        foot,
    } = layout::screen(area);
    header::render(state, &theme, frame, top);
    let (table_area, pane_area) = layout::body_parts(state, body);
    if let Some(r) = table_area {
        table::render(state, &theme, frame, r, pane_area.is_none());
    }
    if let (Some(pane), Some(r)) = (&state.pane, pane_area) {
        pane::render(state, pane, &theme, frame, r);
    }
    footer::status(state, &theme, frame, status);
    footer::hints(state, &theme, frame, foot);
    match &state.popup {
        Some(Popup::Menu(m)) => menu::render(m, &theme, frame, body),
        Some(Popup::Dialog(d)) => dialog::render(d, &theme, frame, body),
        Some(Popup::Form(f)) => form::popup(f, &theme, frame, body),
        Some(Popup::History(h)) => history::render(h, &theme, frame, body),
        None => {}
    }
    if let Some(scroll) = state.help {
        help::render(scroll, state.mouse, &theme, frame, body);
    }
}

/// A rectangle of `width` × `height` centred in `area`, clipped to it.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(h);
    v
}
