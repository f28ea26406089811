//! The `?` screen: every key, generated from the key table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::keys::help_sections;
use crate::tui::text::fit;
use crate::tui::theme::Theme;

const KEYS: usize = 18;

pub fn lines(width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (title, bindings) in help_sections() {
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::styled(title, theme.header()));
        for (keys, help) in bindings {
            out.push(Line::from(vec![
                Span::styled(format!("  {:<KEYS$}", fit(&keys, KEYS - 1)), theme.key()),
                Span::raw(fit(help, width.saturating_sub(KEYS + 2))),
            ]));
        }
    }
    out
}

pub fn render(scroll: u16, theme: &Theme, frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_style(theme.border_focus())
        .title(Line::styled(" Keys ", theme.bold()))
        .title_bottom(Line::styled(" j/k scroll · Esc closes ", theme.dim()));
    let inner = block.inner(area);
    let all = lines(inner.width as usize, theme);
    let max = (all.len() as u16).saturating_sub(inner.height);
    frame.render_widget(
        Paragraph::new(all)
            .block(block)
            .scroll((scroll.min(max), 0)),
        area,
    );
}
