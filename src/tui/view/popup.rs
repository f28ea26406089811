//! What every popup is drawn with: an area centred in the body, cleared first, and the
//! readers' bottom line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};

use crate::tui::action::Action;
use crate::tui::keymap::{Scope, key, pair};

/// The bottom line of the readers (help, history): " j/k scroll · Esc closes ".
pub fn reader_keys() -> String {
    format!(
        " {} scroll · {} closes ",
        pair(Scope::Reader, Action::Down, Action::Up),
        key(Scope::Reader, Action::Back)
    )
}

/// Clears the area a popup is drawn in (menus, dialogs, forms, help, history).
pub fn clear_popup(frame: &mut Frame, area: Rect) {
    frame.render_widget(ratatui::widgets::Clear, area);
    mend_left_of(frame.buffer_mut(), area);
}

/// A wide character (CJK, emoji) just left of a popup, whose second cell the popup
/// covers, would still take both columns on the terminal and hide the popup's left
/// border: such a character gives way to a space.
fn mend_left_of(buf: &mut ratatui::buffer::Buffer, area: Rect) {
    let Some(x) = area.x.checked_sub(1) else {
        return;
    };
    for y in area.top()..area.bottom() {
        let cell = &mut buf[(x, y)];
        if crate::tui::text::width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}

/// Where a popup may go in `body`: inside the frame of the table or pane drawn there,
/// so that the popup's border never lands on that frame's (no `┌┌` at 80×24).
pub fn room(body: Rect) -> Rect {
    Rect::new(
        body.x.saturating_add(1),
        body.y.saturating_add(1),
        body.width.saturating_sub(2),
        body.height.saturating_sub(2),
    )
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
    use super::mend_left_of;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    #[test]
    fn a_wide_character_cut_by_a_popup_border_gives_way() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 2));
        buf.set_string(0, 0, "田中太", ratatui::style::Style::default());
        buf.set_string(0, 1, "田中太", ratatui::style::Style::default());
        // A popup's left border over the second half of 中 on the first row.
        buf[(3, 0)].set_symbol("│");
        mend_left_of(&mut buf, Rect::new(3, 0, 3, 1));
        let row =
            |y: u16| -> Vec<String> { (0..6).map(|x| buf[(x, y)].symbol().to_owned()).collect() };
        assert_eq!(row(0), ["田", " ", " ", "│", "太", " "]);
        assert_eq!(row(1), ["田", " ", "中", " ", "太", " "], "whole ones stay");
    }
}
