//! Confirmation dialogs: what will happen, in sentences, and the buttons (Cancel first
//! and selected). The merge preview shows the two profiles and the result side by side.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::domain::model::Profile;
use crate::tui::action::Action;
use crate::tui::keymap::{Scope, key, pair};
use crate::tui::state::{Body, Dialog};
use crate::tui::text::{clean, fit, fit_middle, width, wrap};
use crate::tui::theme::Theme;

fn paragraphs<'a>(texts: &[String], w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        let style = if t.starts_with("Warning:") {
            theme.warning()
        } else {
            theme.normal()
        };
        // A paragraph's own line breaks (tables of counts, lists) are kept; data in
        // them was made visible before (`sanitize`), so a break is always ours.
        for part in t.split('\n') {
            for l in wrap(part, w) {
                lines.push(Line::styled(l, style));
            }
        }
    }
    lines
}

/// One profile as a column of the merge preview.
fn profile_lines<'a>(title: &str, p: &Profile, w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let e = &p.employee;
    let mut lines = vec![
        Line::styled(fit(title, w), theme.header()),
        Line::styled(fit(&e.label(), w), theme.bold()),
        Line::raw(fit(e.email.as_deref().unwrap_or("no email"), w)),
        Line::raw(fit(
            &format!(
                "{}, login {}",
                e.status,
                if e.login_access { "on" } else { "off" }
            ),
            w,
        )),
        Line::raw(fit(
            &format!(
                "managed by {}",
                p.managed_by()
                    .map(|m| clean(&m.system_name()).into_owned())
                    .unwrap_or_else(|| "nobody".into())
            ),
            w,
        )),
        Line::styled(
            fit(
                &match p.connections.len() {
                    1 => "1 connection:".to_owned(),
                    n => format!("{n} connections:"),
                },
                w,
            ),
            theme.dim(),
        ),
    ];
    for c in &p.connections {
        let system = format!(" {} ", c.system_name());
        let id = fit_middle(&c.external_id, w.saturating_sub(width(&system)));
        lines.push(Line::raw(fit(&format!("{system}{id}"), w)));
    }
    lines
}

pub fn render(d: &Dialog, theme: &Theme, frame: &mut Frame, body: Rect) {
    let max_w = match d.body {
        Body::Merge(..) => 110,
        Body::Text(_) => 76,
    };
    let body = crate::tui::view::popup::room(body);
    let w = body.width.saturating_sub(2).min(max_w);
    let text_w = w.saturating_sub(4) as usize;
    let (columns, text) = match &d.body {
        Body::Text(t) => (None, t),
        Body::Merge(preview, t) => {
            let col_w = (text_w.saturating_sub(4)) / 3;
            let cols = [
                profile_lines("Keep", &preview.keep, col_w, theme),
                profile_lines("Fold in", &preview.other, col_w, theme),
                profile_lines("Result", &preview.result, col_w, theme),
            ];
            (Some(cols), t)
        }
    };
    let text_lines = paragraphs(text, text_w, theme);
    let cols_h = columns
        .as_ref()
        .map(|c| c.iter().map(Vec::len).max().unwrap_or(0) as u16 + 1)
        .unwrap_or(0);
    let wanted = cols_h + text_lines.len() as u16 + 6;
    let area = crate::tui::view::popup::centered(body, w, wanted.min(body.height));
    crate::tui::view::popup::clear_popup(frame, area);
    let block = Block::bordered()
        .border_style(theme.border_focus())
        .title(Line::styled(
            format!(" {} ", fit(&d.title, w.saturating_sub(4) as usize)),
            theme.bold(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = Rect::new(
        inner.x + 1,
        inner.y + 1,
        inner.width.saturating_sub(2),
        inner.height.saturating_sub(1),
    );
    let [content, buttons_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(2)]).areas(inner);
    let [cols_area, text_area] =
        Layout::vertical([Constraint::Length(cols_h), Constraint::Fill(1)]).areas(content);
    if let Some(cols) = columns {
        let rects = Layout::horizontal([Constraint::Fill(1); 3])
            .spacing(2)
            .split(cols_area);
        for (lines, r) in cols.into_iter().zip(rects.iter()) {
            frame.render_widget(Paragraph::new(lines), *r);
        }
    }
    // Scrolls no further than the last line; says when there is more below.
    let overflow = (text_lines.len() as u16).saturating_sub(text_area.height);
    let scroll = d.scroll.min(overflow);
    if overflow > 0 {
        let scroll_keys = pair(Scope::Dialog, Action::Down, Action::Up);
        let more = if scroll < overflow {
            format!(" {scroll_keys} scroll · more below ")
        } else {
            format!(" {scroll_keys} scroll · end ")
        };
        let w = more.chars().count() as u16;
        if area.width > w + 4 {
            frame.render_widget(
                Line::styled(more, theme.dim()),
                Rect::new(area.right() - w - 2, area.bottom() - 1, w, 1),
            );
        }
    }
    frame.render_widget(Paragraph::new(text_lines).scroll((scroll, 0)), text_area);

    let mut spans = Vec::new();
    for (i, b) in d.buttons.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        let label = match b.action {
            Some(a) => format!("[ {} ({}) ]", b.label, key(Scope::Dialog, a)),
            None => format!("[ {} ]", b.label),
        };
        let style = if i == d.selected {
            theme.button_selected()
        } else {
            theme.normal()
        };
        spans.push(Span::styled(label, style));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let pad = (buttons_area.width as usize).saturating_sub(used);
    spans.insert(0, Span::raw(" ".repeat(pad)));
    frame.render_widget(
        Line::from(spans),
        Rect::new(buttons_area.x, buttons_area.y + 1, buttons_area.width, 1),
    );
}
