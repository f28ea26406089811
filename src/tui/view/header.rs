//! The top line: the tabs with their live counts (Tracked is billed, so always there)
//! and the review inbox's open count (`tui::review`), then, as room allows, whether the
//! store is read-only for this user, who this user is and who else has the store open,
//! and the title.

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
    for (i, (tab, label)) in Tab::SHOWN.iter().zip(labels).enumerate() {
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
    spans.push(Span::styled("│", theme.dim()));
    let review = crate::tui::review::view::header_label(&state.inbox);
    spans.push(Span::styled(
        review,
        if state.inbox.view.is_some() {
            theme.tab_current()
        } else {
            theme.normal()
        },
    ));
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = (area.width as usize).saturating_sub(used + 1);
    // The longest that fits: the read-only mark first, then who is here, then the title.
    if let Some(right) = right_side(state).into_iter().find(|t| width(t) <= room) {
        spans.push(Span::raw(" ".repeat(room + 1 - width(&right))));
        let (mark, rest) = match state.read_only {
            Some(_) => right.split_at(READ_ONLY.len().min(right.len())),
            None => ("", right.as_str()),
        };
        if !mark.is_empty() {
            spans.push(Span::styled(mark.to_owned(), theme.tab_current()));
        }
        spans.push(Span::styled(rest.to_owned(), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

const READ_ONLY: &str = "read-only";
const TITLE: &str = "roster · Settings › Employees";

/// What the right of the header may say, longest first.
fn right_side(state: &State) -> Vec<String> {
    let mark = state.read_only.as_ref().map(|_| READ_ONLY);
    let (who, short) = match &state.here {
        None => (None, None),
        Some(here) => {
            let me = crate::domain::sanitize::sanitize(&here.me);
            let n = here.others.len();
            let mut names: Vec<String> = Vec::new();
            for o in &here.others {
                let o = crate::domain::sanitize::sanitize(o).to_string();
                if !names.contains(&o) {
                    names.push(o);
                }
            }
            let who = match n {
                0 => format!("{me} · no one else here"),
                1 => format!("{me} · also here: {}", names.join(", ")),
                _ if names.len() <= 3 => {
                    format!("{me} · {n} others here: {}", names.join(", "))
                }
                _ => format!("{me} · {n} others here"),
            };
            let short = if n == 0 {
                me.to_string()
            } else {
                format!("{me} +{n}")
            };
            (Some(who), Some(short))
        }
    };
    let join = |parts: &[Option<&str>]| {
        let parts: Vec<&str> = parts.iter().flatten().copied().collect();
        format!("{} ", parts.join(" · "))
    };
    let mut out = vec![
        join(&[mark, who.as_deref(), Some(TITLE)]),
        join(&[mark, who.as_deref()]),
        join(&[mark, short.as_deref()]),
        join(&[mark]),
    ];
    out.retain(|t| t.trim() != "");
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::Here;

    #[test]
    fn the_right_says_read_only_first_then_who_is_here_then_the_title() {
        let mut state = State::new(100, 30, false);
        assert_eq!(right_side(&state), [format!("{TITLE} ")]);
        state.here = Some(Here {
            me: "alice".into(),
            others: vec!["bob".into(), "bob".into(), "carol".into()],
        });
        state.read_only = Some("read-only: you are not in group roster-admins".into());
        assert_eq!(
            right_side(&state),
            [
                format!("read-only · alice · 3 others here: bob, carol · {TITLE} "),
                "read-only · alice · 3 others here: bob, carol ".to_owned(),
                "read-only · alice +3 ".to_owned(),
                "read-only ".to_owned(),
            ]
        );
        state.read_only = None;
        state.here = Some(Here {
            me: "5001".into(),
            others: vec![],
        });
        assert_eq!(right_side(&state)[1], "5001 · no one else here ");
    }
}
