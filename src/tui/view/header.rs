//! The top line: the tabs with their live counts (Tracked is billed, so always there).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::listing::Tab;
use crate::tui::state::State;
use crate::tui::text::width;
use crate::tui::theme::Theme;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    let labels = super::layout::tab_labels(state);
    for (i, (tab, label)) in Tab::SCREEN.iter().zip(labels).enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", theme.dim()));
        }
        let style = if *tab == state.tab {
            theme.tab_current()
        } else {
            theme.normal()
        };
        spans.push(Span::styled(label, style));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let title = "roster · Settings › Employees ";
    let room = (area.width as usize).saturating_sub(used);
    if room > width(title) {
        spans.push(Span::raw(" ".repeat(room - width(title))));
        spans.push(Span::styled(title, theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
