//! `view`: draws the state. A pure function: it reads the state and writes the frame,
//! nothing else (no queries, no clock).

mod dialog;
mod footer;
pub mod form;
mod header;
mod help;
mod history;
pub mod layout;
pub mod popup;

use ratatui::Frame;

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
    if let Some(inbox) = &state.inbox.view {
        crate::tui::review::view::render(&state.inbox, inbox, &theme, frame, body);
    } else if let Some(r) = table_area {
        crate::tui::table::view::render(state, &theme, frame, r, pane_area.is_none());
    }
    if let (Some(pane), Some(r)) = (&state.pane, pane_area) {
        crate::tui::pane::view::render(state, pane, &theme, frame, r);
    }
    footer::status(state, &theme, frame, status);
    footer::hints(state, &theme, frame, foot);
    match &state.popup {
        Some(Popup::Menu(m)) => crate::tui::connection::view::render(m, &theme, frame, body),
        Some(Popup::Dialog(d)) => dialog::render(d, &theme, frame, body),
        Some(Popup::Form(f)) => form::popup(f, &theme, frame, body),
        Some(Popup::History(h)) => history::render(h, &theme, frame, body),
        Some(Popup::Messages(scroll)) => {
            history::messages(&state.messages, *scroll, &theme, frame, body)
        }
        None => {}
    }
    if let Some(scroll) = state.help {
        help::render(scroll, state.mouse, &theme, frame, body);
    }
}
