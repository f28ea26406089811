//! Forms: moving between fields, typing, saving through the service.

use super::{reload, report};
use crate::domain::actions::{Edit, ManualConnection, NewEmployee};
use crate::error::Error;
use crate::service::Service;
use crate::tui::action::Action;
use crate::tui::form::{FieldId, Form, Purpose};
use crate::tui::state::{Pane, Popup, State};

fn form_mut(state: &mut State) -> Option<&mut Form> {
    match &mut state.popup {
        Some(Popup::Form(f)) => Some(f),
        _ => state.pane.as_mut().and_then(|p| p.form.as_mut()),
    }
}

fn close(state: &mut State) {
    if matches!(state.popup, Some(Popup::Form(_))) {
        state.popup = None;
    } else if let Some(p) = state.pane.as_mut() {
        p.form = None;
    }
}

pub fn form(state: &mut State, svc: &mut Service, action: Action) {
    let Some(form) = form_mut(state) else { return };
    match action {
        Action::NextField => form.next(),
        Action::PrevField => form.prev(),
        Action::Toggle => form.toggle(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Char(' '),
        )),
        Action::Type(key) => {
            if let Some(reason) = &form.fields[form.focus].locked {
                let reason = reason.clone();
                state.info(format!("This field is {reason}."));
            } else {
                form.typed(key);
            }
        }
        Action::Back => {
            close(state);
            state.info("Cancelled; nothing was changed.");
        }
        Action::Save => {
            let form = form.clone();
            save(state, svc, form);
        }
        _ => {}
    }
}

fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn save(state: &mut State, svc: &mut Service, form: Form) {
    if form.purpose == Purpose::Import {
        super::import::save(state, &form);
        return;
    }
    if super::ops::refuse_while_importing(state) {
        return;
    }
    let result: Result<(String, Option<i64>), Error> = match &form.purpose {
        Purpose::Edit { id, version } => {
            let Some(pane) = &state.pane else { return };
            let e = &pane.profile.employee;
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
            if edit.name.is_none()
                && edit.email.is_none()
                && edit.picture_url.is_none()
                && edit.login_access.is_none()
            {
                close(state);
                state.info("Nothing was changed.");
                return;
            }
            svc.edit(*id, &edit, Some(*version))
                .map(|d| (d.summary, None))
        }
        Purpose::New => svc
            .new_employee(&NewEmployee {
                name: form.text(FieldId::Name).to_owned(),
                email: optional(form.text(FieldId::Email)),
                login_access: form.on(FieldId::LoginAccess),
            })
            .map(|(id, d)| (d.summary, Some(id))),
        Purpose::Connect { id, version } => svc
            .connect(
                *id,
                &ManualConnection {
                    system: form.text(FieldId::System).trim().to_owned(),
                    external_id: form.text(FieldId::ExternalId).trim().to_owned(),
                    email: optional(form.text(FieldId::Email)),
                    name: optional(form.text(FieldId::Name)),
                },
                Some(*version),
            )
            .map(|d| (d.summary, None)),
        Purpose::Import => return,
    };
    let stale = matches!(result, Err(Error::Stale(_)));
    match report(result, state, svc) {
        Some((summary, opened)) => {
            close(state);
            if let Some(id) = opened
                && let Some(p) = report(svc.profile(id), state, svc)
            {
                state.pane = Some(Pane::new(p));
            }
            reload(state, svc);
            let height = state.table_height();
            if let Some(id) = opened {
                state.rows.list.select_id(id, height);
            }
            state.success(summary);
        }
        // The form was filled from a version that is gone: close it, the pane shows
        // what is true now. Other refusals keep the form open to be corrected.
        None if stale => close(state),
        None => {}
    }
}
