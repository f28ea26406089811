//! The edit pane of one employee: selecting a connection (Enter opens its actions,
//! `connection.rs`), editing the fields, and the profile's actions (`profile.rs`); drawn
//! by `view.rs`.

pub mod view;

use crate::domain::actions::Edit;
use crate::domain::model::Employee;
use crate::domain::sanitize::sanitize;
use crate::service::Service;
use crate::tui::action::Action;
use crate::tui::connection;
use crate::tui::form::{FieldId, Form, FormField, Purpose};
use crate::tui::profile::{ask_undo, profile_action, status_action};
use crate::tui::state::State;

pub fn pane(state: &mut State, svc: &mut Service, action: Action) {
    let Some(pane) = state.pane.as_mut() else {
        return;
    };
    let n = pane.profile.connections.len();
    match action {
        Action::Down if n > 0 => pane.cursor = (pane.cursor + 1).min(n - 1),
        Action::Up => pane.cursor = pane.cursor.saturating_sub(1),
        Action::Open => connection::open_menu(state),
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
        Action::Unblock => ask_unblock(state),
        Action::Yank | Action::YankEmail => yank(state, action),
        Action::NextProfile | Action::PrevProfile => crate::tui::table::follow(state, svc, action),
        _ => {}
    }
}

/// `b`: lift a block, asking first; with several, one button per account (up to three;
/// `roster unblock` lifts any).
fn ask_unblock(state: &mut State) {
    let Some(pane) = state.pane.as_ref() else {
        return;
    };
    let e = &pane.profile.employee;
    if pane.blocks.is_empty() {
        state.info(format!("No account is blocked from {}.", e.label()));
        return;
    }
    let mut body = vec![format!(
        "Imports never link these accounts to {}; lifting a block lets the next import link the account here again, by ID or by email:",
        e.label()
    )];
    let mut buttons = vec![crate::tui::state::Button::cancel()];
    for (i, b) in pane.blocks.iter().take(3).enumerate() {
        let account = format!(
            "{} {}",
            sanitize(&crate::domain::system::display_name(&b.system)),
            sanitize(&b.external_id)
        );
        body.push(format!(
            "  {account}{} (blocked by {} at {})",
            b.email
                .as_deref()
                .map(|m| format!(" <{}>", sanitize(m)))
                .unwrap_or_default(),
            b.by.as_deref().map(sanitize).unwrap_or("?".into()),
            b.at.as_deref()
                .map(crate::tui::text::when)
                .unwrap_or_else(|| "?".into())
        ));
        let intent = crate::tui::state::Intent::Unblock {
            id: e.id,
            version: e.version,
            system: b.system.clone(),
            external_id: b.external_id.clone(),
        };
        // Only the first answers y: one key never lifts two different blocks.
        let action = if i == 0 {
            Action::Confirm
        } else {
            Action::Choose
        };
        let mut button =
            crate::tui::state::Button::doing(format!("Lift {account}"), intent, action);
        if i > 0 {
            button.action = None;
        }
        buttons.push(button);
    }
    body.push(format!(
        "Undo ({}) puts a lifted block back.",
        crate::tui::keymap::key(crate::tui::keymap::Scope::Table, Action::Undo)
    ));
    state.popup = Some(crate::tui::state::Popup::Dialog(
        crate::tui::state::Dialog::with_buttons(
            format!("Lift a block on {}?", e.label()),
            crate::tui::state::Body::Text(body),
            buttons,
        ),
    ));
}

/// `y` / `Y` in the pane: the selected connection's external ID or email.
fn yank(state: &mut State, action: Action) {
    let Some(c) = state.pane.as_ref().and_then(|p| p.selected()).cloned() else {
        state.info("There is no connection here to copy from.");
        return;
    };
    let system = crate::domain::system::display_name(&c.system);
    match action {
        Action::Yank => crate::tui::yank::copy(
            state,
            &format!("the {system} external ID"),
            c.external_id.clone(),
        ),
        _ => match c.email.clone() {
            Some(email) => {
                crate::tui::yank::copy(state, &format!("the {system} account's email"), email)
            }
            None => state.info(format!("The {system} account has no email to copy.")),
        },
    }
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

/// What the edit form changes: only the fields that differ from the profile the form
/// was filled from (a locked field never); `None` when nothing does.
pub fn edit(form: &Form, e: &Employee) -> Option<Edit> {
    let name = form.text(FieldId::Name);
    let email = form.text(FieldId::Email).trim().to_owned();
    let picture = form.text(FieldId::PictureUrl).trim().to_owned();
    let login = form.on(FieldId::LoginAccess);
    let edit = Edit {
        name: (form.editable(FieldId::Name) && name != e.name).then(|| name.to_owned()),
        email: (email != e.email.clone().unwrap_or_default()).then_some(email),
        picture_url: (form.editable(FieldId::PictureUrl)
            && picture != e.picture_url.clone().unwrap_or_default())
        .then_some(picture),
        login_access: (login != e.login_access).then_some(login),
    };
    let nothing = edit.name.is_none()
        && edit.email.is_none()
        && edit.picture_url.is_none()
        && edit.login_access.is_none();
    (!nothing).then_some(edit)
}
