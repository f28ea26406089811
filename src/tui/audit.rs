//! The audit log in the app (`L`): every entry, newest first, with each field's old →
//! new; `u` undoes the selected entry when nothing since depends on it (the service
//! checks the rows still hold what it wrote). Also the message history (`M`).

use crate::domain::audit::LogFilter;
use crate::service::Service;
use crate::tui::action::Action;
use crate::tui::keymap::{Scope, key};
use crate::tui::refresh::report;
use crate::tui::state::{Dialog, History, Intent, Popup, State};

/// How many entries the audit view reads (newest first).
pub const AUDIT_ENTRIES: usize = 500;

pub fn open(state: &mut State, svc: &mut Service) {
    let Some(entries) = report(svc.log(&LogFilter::default(), AUDIT_ENTRIES), state, svc) else {
        return;
    };
    state.popup = Some(Popup::History(History {
        title: format!(
            "Audit log: newest first ({} undoes the selected entry)",
            key(Scope::Reader, Action::Undo)
        ),
        selected: (!entries.is_empty()).then_some(0),
        entries,
        scroll: 0,
    }));
}

/// `j`/`k` in the audit view move the selection rather than scroll.
pub fn select(h: &mut History, action: Action, page: usize) {
    let Some(sel) = h.selected.as_mut() else {
        return;
    };
    let last = h.entries.len().saturating_sub(1);
    *sel = match action {
        Action::Down => (*sel + 1).min(last),
        Action::Up => sel.saturating_sub(1),
        Action::PageDown => (*sel + page).min(last),
        Action::PageUp => sel.saturating_sub(page),
        _ => *sel,
    };
}

/// `u` in the audit view: asks, naming the entry and whose it is.
pub fn ask_undo(state: &mut State, svc: &mut Service) {
    let Some(Popup::History(h)) = &state.popup else {
        return;
    };
    let Some(entry) = h.selected.and_then(|i| h.entries.get(i)).cloned() else {
        return;
    };
    if !entry.undoable {
        state.info(format!(
            "Entry #{} cannot be undone (only actions on profiles and imports can).",
            entry.id
        ));
        return;
    }
    if h.entries.iter().any(|e| e.reverts == Some(entry.id)) {
        state.info(format!("Entry #{} was undone already.", entry.id));
        return;
    }
    let mine = entry.os_user == svc.actor().os_user && entry.actor == svc.actor().name;
    let mut body = vec![format!(
        "Undo entry #{} \u{201c}{}\u{201d}?",
        entry.id, entry.summary
    )];
    body.push(format!(
        "Done by {} at {}.{}",
        entry.who(),
        crate::tui::text::when(&entry.at),
        if mine {
            ""
        } else {
            " This is another admin's action."
        }
    ));
    for f in entry.field_changes() {
        body.push(format!("  {} (back to the old value)", f.describe()));
    }
    body.push("Refused, changing nothing, if anything since changed the rows it wrote.".into());
    state.popup = Some(Popup::Dialog(Dialog::confirm(
        format!("Undo entry #{}?", entry.id),
        body,
        "Undo",
        Intent::UndoEntry { audit_id: entry.id },
    )));
}

/// `M`: the last status messages, in full.
pub fn open_messages(state: &mut State) {
    if state.messages.is_empty() {
        state.info("No messages yet.");
        return;
    }
    state.popup = Some(Popup::Messages(0));
}
