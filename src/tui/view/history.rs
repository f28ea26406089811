//! A profile's history, or the whole audit log (`L`, an entry selected), newest first,
//! each field's old → new under its entry; and the message history (`M`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::popup::reader_keys;
use crate::tui::action::Action;
use crate::tui::keymap::{Scope, key, pair};
use crate::tui::state::{History, StatusLine, Tone};
use crate::tui::text::{clean, fit, when, wrap};
use crate::tui::theme::Theme;

pub fn render(h: &History, theme: &Theme, frame: &mut Frame, body: Rect) {
    let area = body;
    crate::tui::view::popup::clear_popup(frame, area);
    let keys = match h.selected {
        Some(_) => format!(
            " {} select · {} undo entry · {} closes ",
            pair(Scope::Reader, Action::Down, Action::Up),
            key(Scope::Reader, Action::Undo),
            key(Scope::Reader, Action::Back)
        ),
        None => reader_keys(),
    };
    let block = Block::bordered()
        .border_style(theme.border_focus())
        .title(Line::styled(
            format!(" {} ", fit(&h.title, area.width.saturating_sub(4) as usize)),
            theme.bold(),
        ))
        .title_bottom(Line::styled(keys, theme.dim()));
    let inner = block.inner(area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    if h.entries.is_empty() {
        lines.push(Line::styled("Nothing recorded yet.", theme.dim()));
    }
    // Where the selected entry's lines start and end, to keep it in view.
    let mut selected_lines = (0, 0);
    for (i, e) in h.entries.iter().enumerate() {
        let start = lines.len();
        let undone = h.entries.iter().any(|u| u.reverts == Some(e.id));
        let head = format!(
            "#{}  {}  {}  {}{}",
            e.id,
            when(&e.at),
            e.who(),
            e.action,
            if undone { "  (undone)" } else { "" }
        );
        let style = if h.selected == Some(i) {
            theme.selected()
        } else {
            theme.header()
        };
        lines.push(Line::from(vec![Span::styled(
            format!("{:<w$}", fit(&head, w)),
            style,
        )]));
        for l in wrap(&e.summary, w.saturating_sub(2)) {
            lines.push(Line::raw(format!("  {l}")));
        }
        for f in e.field_changes() {
            for l in wrap(&f.describe(), w.saturating_sub(4)) {
                lines.push(Line::styled(format!("    {l}"), theme.dim()));
            }
        }
        if h.selected == Some(i) {
            selected_lines = (start, lines.len());
        }
    }
    let max = (lines.len() as u16).saturating_sub(inner.height);
    let scroll = match h.selected {
        // The selected entry in view: from the top while it fits, else at the bottom.
        Some(_) => {
            let (start, end) = selected_lines;
            let height = inner.height as usize;
            if end.saturating_sub(start) > height {
                start
            } else {
                end.saturating_sub(height)
            }
            .min(u16::MAX as usize) as u16
        }
        None => h.scroll,
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(max), 0)),
        area,
    );
}

/// `M`: the last status messages, in full, newest first.
pub fn messages(
    messages: &std::collections::VecDeque<StatusLine>,
    scroll: u16,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    crate::tui::view::popup::clear_popup(frame, area);
    let block = Block::bordered()
        .border_style(theme.border_focus())
        .title(Line::styled(" Messages: newest first ", theme.bold()))
        .title_bottom(Line::styled(reader_keys(), theme.dim()));
    let inner = block.inner(area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    for m in messages.iter().rev() {
        let style = match m.tone {
            Tone::Error => theme.error(),
            Tone::Success => theme.success(),
            Tone::Info => ratatui::style::Style::default(),
        };
        for (i, l) in wrap(&clean(&m.text), w.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            let mark = if i == 0 { "• " } else { "  " };
            lines.push(Line::styled(format!("{mark}{l}"), style));
        }
    }
    let max = (lines.len() as u16).saturating_sub(inner.height);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(max), 0)),
        area,
    );
}
