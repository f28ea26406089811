//! The edit pane: selecting a connection, its action menu, editing the fields.

use super::table::{ask_undo, profile_action, status_action};
use crate::domain::sanitize::sanitize;
use crate::service::Service;
use crate::tui::action::Action;
use crate::tui::form::{FieldId, Form, FormField, Purpose};
use crate::tui::keymap::{Scope, key};
use crate::tui::state::{Choice, Menu, MenuItem, Popup, State};

pub fn pane(state: &mut State, svc: &mut Service, action: Action) {
    let Some(pane) = state.pane.as_mut() else {
        return;
    };
    let n = pane.profile.connections.len();
    match action {
        Action::Down if n > 0 => pane.cursor = (pane.cursor + 1).min(n - 1),
        Action::Up => pane.cursor = pane.cursor.saturating_sub(1),
        Action::Open => open_menu(state),
        Action::Edit => open_edit_form(state),
        Action::Back => state.pane = None,
        Action::Help => state.help = Some(0),
        Action::Connect | Action::Merge | Action::History => {
            let p = pane.profile.clone();
            profile_action(state, svc, action, p);
        }
        Action::Activate | Action::Deactivate | Action::Discard => {
            let e = &pane.profile.employee;
            let (id, version, status, name) = (e.id, e.version, e.status, e.name.clone());
            status_action(state, svc, action, id, version, status, &name);
        }
        Action::Undo => ask_undo(state, svc),
        _ => {}
    }
}

/// The selected connection's menu, in the reference order.
pub fn open_menu(state: &mut State) {
    let Some(pane) = &state.pane else { return };
    let Some(conn) = pane.selected() else {
        state.info(format!(
            "This employee has no connection yet; {} connects one by hand.",
            key(Scope::Pane, Action::Connect)
        ));
        return;
    };
    let system = sanitize(&conn.system_name()).into_owned();
    let key = conn.key();
    let mut items = Vec::new();
    if conn.manages {
        items.push(MenuItem {
            label: "Manage manually".into(),
            hotkey: 'm',
            choice: Choice::Unmanage,
        });
    } else {
        items.push(MenuItem {
            label: format!("Make {system} manage this profile"),
            hotkey: 'm',
            choice: Choice::Manage(key.clone()),
        });
    }
    if pane.profile.connections.len() >= 2 {
        items.push(MenuItem {
            label: "Move to new employee".into(),
            hotkey: 'n',
            choice: Choice::Move(key.clone()),
        });
    }
    items.push(MenuItem {
        label: "Remove connection".into(),
        hotkey: 'r',
        choice: Choice::Remove(key.clone()),
    });
    items.push(MenuItem {
        label: "Remove and block".into(),
        hotkey: 'b',
        choice: Choice::RemoveAndBlock(key),
    });
    state.popup = Some(Popup::Menu(Menu {
        title: conn.label(),
        items,
        cursor: 0,
    }));
}

/// `e`: the profile's fields become inputs; name and picture are locked when a system
/// manages the profile, with the reason and the way out.
pub fn open_edit_form(state: &mut State) {
    let Some(pane) = state.pane.as_mut() else {
        return;
    };
    let e = &pane.profile.employee;
    let lock = pane.profile.managed_by().map(|m| {
        format!(
            "locked: {} updates it; Manage manually to edit",
            sanitize(&m.system_name())
        )
    });
    let form = Form::new(
        Purpose::Edit {
            id: e.id,
            version: e.version,
        },
        format!("Edit {}", e.label()),
        vec![
            FormField::text(FieldId::Name, &e.name).locked(lock.clone()),
            FormField::text(FieldId::Email, e.email.as_deref().unwrap_or("")),
            FormField::text(FieldId::PictureUrl, e.picture_url.as_deref().unwrap_or(""))
                .locked(lock),
            FormField::toggle(FieldId::LoginAccess, e.login_access),
        ],
    );
    pane.form = Some(form);
}
