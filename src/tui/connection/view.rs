//! A connection's action menu: the entries in the reference order, each with its letter.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::choice::Menu;
use crate::tui::text::fit;
use crate::tui::theme::Theme;

pub fn render(menu: &Menu, theme: &Theme, frame: &mut Frame, body: Rect) {
    let area = crate::tui::view::layout::menu_area(menu, body);
    let w = area.width;
    crate::tui::view::popup::clear_popup(frame, area);
    let block = Block::bordered()
        .border_style(theme.border_focus())
        .title(Line::styled(
            format!(" {} ", fit(&menu.title, w.saturating_sub(4) as usize)),
            theme.bold(),
        ));
    let inner_w = w.saturating_sub(2) as usize;
    let lines: Vec<Line> = menu
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let text = format!(" {}  {}", item.hotkey, item.label);
            let text = format!("{:<inner_w$}", fit(&text, inner_w));
            if i == menu.cursor {
                Line::styled(text, theme.selected())
            } else {
                Line::from(vec![
                    Span::styled(format!(" {}", item.hotkey), theme.key()),
                    Span::raw(fit(&format!("  {}", item.label), inner_w.saturating_sub(2))),
                ])
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
