//! A profile's history from the audit log, newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::popup::reader_keys;
use crate::tui::state::History;
use crate::tui::text::{fit, when, wrap};
use crate::tui::theme::Theme;

pub fn render(h: &History, theme: &Theme, frame: &mut Frame, body: Rect) {
    let area = body;
    crate::tui::view::popup::clear_popup(frame, area);
    let block = Block::bordered()
        .border_style(theme.border_focus())
        .title(Line::styled(
            format!(" {} ", fit(&h.title, area.width.saturating_sub(4) as usize)),
            theme.bold(),
        ))
        .title_bottom(Line::styled(reader_keys(), theme.dim()));
    let inner = block.inner(area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    if h.entries.is_empty() {
        lines.push(Line::styled("Nothing recorded yet.", theme.dim()));
    }
    for e in &h.entries {
        let who = e.who();
        let head = format!("{}  {}  {}", when(&e.at), who, e.action);
        lines.push(Line::from(vec![Span::styled(
            fit(&head, w),
            theme.header(),
        )]));
        for l in wrap(&e.summary, w.saturating_sub(2)) {
            lines.push(Line::raw(format!("  {l}")));
        }
    }
    let max = (lines.len() as u16).saturating_sub(inner.height);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((h.scroll.min(max), 0)),
        area,
    );
}
