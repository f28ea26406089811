//! The status line (results and errors) and the key hints of the current mode, both
//! from the state; the hints come from the key table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::action::Action;
use crate::tui::keymap::{Hint, Scope, footer};
use crate::tui::state::{State, Tone};
use crate::tui::text::{fit, width};
use crate::tui::theme::Theme;

pub fn status(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let w = area.width as usize;
    let line = if let Some(p) = &state.progress {
        Line::styled(fit(p, w), theme.bold())
    } else if let Some(s) = &state.status {
        let style = match s.tone {
            Tone::Info => theme.normal(),
            Tone::Success => theme.success(),
            Tone::Error => theme.error(),
        };
        Line::styled(fit(&s.text, w), style)
    } else {
        Line::raw("")
    };
    frame.render_widget(line, area);
}

/// Which footer hints stay longest on a narrow terminal (higher stays): moving, undo
/// and import, and the review keys of the Pending tab, before merge, new and the tabs.
fn priority(action: Action) -> u8 {
    match action {
        Action::Merge => 0,
        Action::New => 1,
        Action::Tab(_) => 2,
        Action::Open | Action::Filter => 3,
        Action::Undo | Action::Import => 4,
        Action::Activate | Action::Discard => 5,
        Action::Mark => 4,
        _ => 3,
    }
}

pub fn hints(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let chain = state.chain();
    // "? help  q quit" always fit: the other hints give way first.
    let (rest, always): (Vec<Scope>, Vec<Scope>) = chain.iter().partition(|s| **s != Scope::App);
    let always = footer(&always);
    let entry_w = |h: &Hint| width(&h.keys) + 1 + width(h.hint) + 2;
    let reserved: usize = always.iter().map(entry_w).sum();
    let mut shown = footer(&rest);
    for h in &mut shown {
        // What Enter does in a form depends on the form (the import form's runs a dry run).
        if h.action == Action::Save
            && let Some(crate::tui::state::Popup::Form(f)) = &state.popup
        {
            h.hint = f.purpose.save_hint();
        }
    }
    if state.mode() == crate::tui::state::Mode::Table
        && state.tab == crate::domain::listing::Tab::Pending
    {
        // Reviewing pending profiles: one key each, shown where they are used.
        let at = shown
            .iter()
            .position(|h| h.action == Action::New)
            .unwrap_or(shown.len());
        for (action, hint) in [
            (Action::Mark, "mark"),
            (Action::Discard, "discard"),
            (Action::Activate, "activate"),
        ] {
            shown.insert(
                at,
                Hint {
                    keys: crate::tui::keymap::key(Scope::Table, action),
                    hint,
                    action,
                },
            );
        }
    }
    // Too narrow for all: the least used give way first, the others keep their order.
    while shown.len() > 1
        && shown.iter().map(entry_w).sum::<usize>() + reserved > area.width as usize
    {
        let Some(drop) = shown
            .iter()
            .enumerate()
            .min_by_key(|(i, h)| (priority(h.action), std::cmp::Reverse(*i)))
            .map(|(i, _)| i)
        else {
            break;
        };
        shown.remove(drop);
    }
    shown.extend(always);
    let mut spans = Vec::new();
    for h in shown {
        spans.push(Span::styled(h.keys.clone(), theme.key()));
        spans.push(Span::raw(format!(" {}  ", h.hint)));
    }
    frame.render_widget(Line::from(spans), area);
}
