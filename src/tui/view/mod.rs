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
    mend_cut_wide_characters(frame.buffer_mut());
}

/// A wide character (CJK, emoji) whose second cell a popup drew over would still take
/// both columns on the terminal and hide what the popup drew there (its left border):
/// such a character gives way to a space.
fn mend_cut_wide_characters(buf: &mut ratatui::buffer::Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right().saturating_sub(1) {
            let symbol = buf[(x, y)].symbol();
            if symbol.len() > 1 && super::text::width(symbol) > 1 && buf[(x + 1, y)].symbol() != " "
            {
                buf[(x, y)].set_symbol(" ");
            }
        }
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

#[cfg(test)]
mod tests {
    use super::mend_cut_wide_characters;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    #[test]
    fn a_wide_character_cut_by_a_popup_border_gives_way() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 2));
        buf.set_string(0, 0, "田中太", ratatui::style::Style::default());
        buf.set_string(0, 1, "田中太", ratatui::style::Style::default());
        // A popup's left border over the second half of 中 on the first row.
        buf[(3, 0)].set_symbol("│");
        mend_cut_wide_characters(&mut buf);
        let row =
            |y: u16| -> Vec<String> { (0..6).map(|x| buf[(x, y)].symbol().to_owned()).collect() };
        assert_eq!(row(0), ["田", " ", " ", "│", "太", " "]);
        assert_eq!(row(1), ["田", " ", "中", " ", "太", " "], "whole ones stay");
    }
}
