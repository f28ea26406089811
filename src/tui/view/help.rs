//! The `?` screen: every key, generated from the key table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::popup::reader_keys;
use crate::tui::keymap::help_sections;
use crate::tui::text::fit;
use crate::tui::theme::Theme;

const KEYS: usize = 18;

/// What the mouse does, or how to have it.
const MOUSE_ON: [(&str, &str); 3] = [
    ("wheel", "Move the selection of what has the focus"),
    (
        "click",
        "Select a row or a tab; click the selected row to open it",
    ),
    (
        "click a menu entry",
        "Choose it (dialogs and forms take keys only)",
    ),
];
const MOUSE_OFF: [(&str, &str); 1] = [("off", "Start roster with --mouse to click and scroll")];

pub fn lines(width: usize, mouse: bool, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (title, bindings) in help_sections() {
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::styled(title, theme.header()));
        for (keys, help) in bindings {
            out.push(entry(&keys, help, width, theme));
        }
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Mouse", theme.header()));
    let mouse_lines: &[(&str, &str)] = if mouse { &MOUSE_ON } else { &MOUSE_OFF };
    for (what, does) in mouse_lines {
        out.push(entry(what, does, width, theme));
    }
    out
}

/// One line: the keys in their column, then what they do.
fn entry(keys: &str, does: &str, width: usize, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("  {:<KEYS$}", fit(keys, KEYS - 1)), theme.key()),
        Span::raw(fit(does, width.saturating_sub(KEYS + 2))),
    ])
}

pub fn render(scroll: u16, mouse: bool, theme: &Theme, frame: &mut Frame, area: Rect) {
    crate::tui::view::popup::clear_popup(frame, area);
    let block = Block::bordered()
        .border_style(theme.border_focus())
        .title(Line::styled(" Keys ", theme.bold()))
        .title_bottom(Line::styled(reader_keys(), theme.dim()));
    let inner = block.inner(area);
    let all = lines(inner.width as usize, mouse, theme);
    let max = (all.len() as u16).saturating_sub(inner.height);
    frame.render_widget(
        Paragraph::new(all)
            .block(block)
            .scroll((scroll.min(max), 0)),
        area,
    );
}
