//! Forms: in the pane (edit fields) or as a popup (new employee, connect, import).

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::tui::action::Action;
use crate::tui::form::{Form, Value};
use crate::tui::keymap::{Scope, key};
use crate::tui::text::{clean, fit, width, wrap};
use crate::tui::theme::Theme;

const LABEL: u16 = 14;

/// The fields, one a line, with the focused one's cursor; then the locked reasons.
pub fn fields(form: &Form, theme: &Theme, frame: &mut Frame, area: Rect, inline: bool) {
    let mut y = area.y;
    for (i, f) in form.fields.iter().enumerate() {
        if y >= area.bottom() {
            return;
        }
        let focused = i == form.focus;
        let label_style = if focused { theme.key() } else { theme.header() };
        let label = format!("{:<w$}", f.label(), w = LABEL as usize);
        frame.render_widget(
            Line::styled(fit(&label, LABEL as usize), label_style),
            Rect::new(area.x, y, LABEL.min(area.width), 1),
        );
        let vx = area.x + LABEL;
        let vw = area.width.saturating_sub(LABEL);
        let value_area = Rect::new(vx, y, vw, 1);
        match (&f.value, &f.locked) {
            (Value::Text(input), Some(reason)) => {
                let v = fit(input.value(), (vw as usize) / 2);
                let line = Line::from(vec![
                    Span::raw(v.clone()),
                    Span::styled(
                        fit(
                            &format!("  ({reason})"),
                            (vw as usize).saturating_sub(width(&v)),
                        ),
                        theme.dim(),
                    ),
                ]);
                frame.render_widget(line, value_area);
            }
            (Value::Text(input), None) => {
                let shown = clean(input.value()).into_owned();
                let inner = vw.saturating_sub(1) as usize;
                // Scroll so the cursor stays visible; widths are display columns.
                let before: String = input.value().chars().take(input.cursor()).collect();
                let cx = width(&clean(&before));
                let skip = cx.saturating_sub(inner);
                let visible = skip_columns(&shown, skip);
                let style = if focused {
                    theme.input()
                } else {
                    theme.normal()
                };
                let text = format!("{:<inner$}", fit(&visible, inner));
                frame.render_widget(Line::styled(text, style), value_area);
                if focused {
                    frame.set_cursor_position(Position::new(vx + (cx - skip) as u16, y));
                }
            }
            (Value::Toggle(on), _) => {
                let text = if *on { "[x] on" } else { "[ ] off" };
                let style = if focused {
                    theme.input()
                } else {
                    theme.normal()
                };
                frame.render_widget(Line::styled(text, style), value_area);
            }
        }
        y += 1;
    }
    if inline && y < area.bottom() {
        frame.render_widget(
            Line::styled(
                format!(
                    "{} · {} switches on/off",
                    form_keys(),
                    key(Scope::Form, Action::Toggle)
                ),
                theme.dim(),
            ),
            Rect::new(area.x, y, area.width, 1),
        );
    }
}

/// "Enter saves · Esc cancels · Tab next field".
fn form_keys() -> String {
    format!(
        "{} saves · {} cancels · {} next field",
        key(Scope::Form, Action::Save),
        key(Scope::Form, Action::Back),
        key(Scope::Form, Action::NextField)
    )
}

/// Drops the first `cols` display columns of `s`.
fn skip_columns(s: &str, cols: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in s.chars() {
        if used >= cols {
            out.push(c);
        } else {
            used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
    out
}

pub fn popup(form: &Form, theme: &Theme, frame: &mut Frame, body: Rect) {
    let body = crate::tui::view::popup::room(body);
    let w = body.width.saturating_sub(2).min(76);
    let note: Vec<String> = form
        .note
        .as_deref()
        .map(|n| wrap(n, w.saturating_sub(4) as usize))
        .unwrap_or_default();
    let h = form.fields.len() as u16 + note.len() as u16 + 5;
    let area = crate::tui::view::popup::centered(body, w, h);
    crate::tui::view::popup::clear_popup(frame, area);
    let block = Block::bordered()
        .border_style(theme.border_focus())
        .title(Line::styled(
            format!(" {} ", fit(&form.title, w.saturating_sub(4) as usize)),
            theme.bold(),
        ))
        .title_bottom(Line::styled(format!(" {} ", form_keys()), theme.dim()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = Rect::new(
        inner.x + 1,
        inner.y + 1,
        inner.width.saturating_sub(2),
        inner.height.saturating_sub(1),
    );
    let note_h = note.len() as u16;
    if note_h > 0 {
        let lines: Vec<Line> = note
            .into_iter()
            .map(|l| Line::styled(l, theme.dim()))
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(inner.x, inner.y, inner.width, note_h),
        );
    }
    let fields_area = Rect::new(
        inner.x,
        inner.y + note_h + u16::from(note_h > 0),
        inner.width,
        inner.height.saturating_sub(note_h + 1),
    );
    fields(form, theme, frame, fields_area, false);
}
