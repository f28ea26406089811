//! The popups every feature uses: dialogs (buttons, scrolling) and the readers (the
//! history, the help screen).

use crate::service::Service;
use crate::tui::action::Action;
use crate::tui::confirm::execute;
use crate::tui::state::{Popup, Press, State};

/// Help, history, the audit log and the messages: scrolling (in the audit log, moving
/// the selection), closing; `u` in the audit log undoes the selected entry.
pub fn reader(state: &mut State, svc: &mut Service, action: Action) {
    let page = state.table_height() as u16;
    if state.help.is_none()
        && let Some(Popup::History(h)) = &mut state.popup
        && h.selected.is_some()
    {
        match action {
            Action::Undo => crate::tui::audit::ask_undo(state, svc),
            Action::Back => state.popup = None,
            _ => crate::tui::audit::select(h, action, page as usize),
        }
        return;
    }
    let scroll = match (&mut state.help, &mut state.popup) {
        (Some(s), _) => s,
        (None, Some(Popup::History(h))) => &mut h.scroll,
        (None, Some(Popup::Messages(s))) => s,
        _ => return,
    };

    match action {
        Action::Down => *scroll = scroll.saturating_add(1),
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::PageDown => *scroll = scroll.saturating_add(page),
        Action::PageUp => *scroll = scroll.saturating_sub(page),
        Action::Back => {
            if state.help.is_some() {
                state.help = None;
            } else {
                state.popup = None;
            }
        }
        _ => {}
    }
}

pub fn dialog(state: &mut State, svc: &mut Service, action: Action) {
    let Some(Popup::Dialog(d)) = &mut state.popup else {
        return;
    };
    let n = d.buttons.len();
    let press = match action {
        Action::Left => {
            d.selected = (d.selected + n - 1) % n;
            None
        }
        Action::Right => {
            d.selected = (d.selected + 1) % n;
            None
        }
        Action::Down => {
            d.scroll = d.scroll.saturating_add(1).min(d.max_scroll());
            None
        }
        Action::PageDown => {
            d.scroll = d.scroll.saturating_add(10).min(d.max_scroll());
            None
        }
        Action::PageUp => {
            d.scroll = d.scroll.saturating_sub(10);
            None
        }
        Action::Up => {
            d.scroll = d.scroll.saturating_sub(1);
            None
        }
        Action::Choose => Some(d.buttons[d.selected].clone()),
        // y presses the confirming button, and closes a notice as Enter does.
        Action::Confirm => d
            .buttons
            .iter()
            .find(|b| b.action == Some(Action::Confirm) || b.press == Press::Close)
            .cloned(),
        Action::MoveInstead => d
            .buttons
            .iter()
            .find(|b| b.action == Some(Action::MoveInstead))
            .cloned(),
        Action::Cancel | Action::Back => Some(d.buttons[0].clone()),
        _ => None,
    };
    let Some(button) = press else { return };
    state.popup = None;
    match button.press {
        Press::Do(intent) => execute(state, svc, intent),
        Press::Close => {}
        Press::Cancel => {
            crate::tui::import::cancelled(state);
            state.info("Cancelled; nothing was changed.");
        }
    }
}
