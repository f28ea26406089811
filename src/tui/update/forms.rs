//! Forms: moving between fields, typing, saving through the service.

use crate::error::Error;
use crate::service::Service;
use crate::tui::action::Action;
use crate::tui::form::{Form, Purpose};
use crate::tui::refresh::{reload, report};
use crate::tui::state::{Popup, State};
use crate::tui::{pane, profile};

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

fn save(state: &mut State, svc: &mut Service, form: Form) {
    if form.purpose == Purpose::Import {
        crate::tui::import::save(state, &form);
        return;
    }
    if form.purpose == Purpose::Pull {
        crate::tui::pull::save(state, svc, &form);
        return;
    }
    if crate::tui::confirm::refuse_while_importing(state) {
        return;
    }
    let result: Result<(String, Option<i64>), Error> = match &form.purpose {
        Purpose::Edit { id, version } => {
            let Some(pane) = &state.pane else { return };
            let Some(edit) = pane::edit(&form, &pane.profile.employee) else {
                close(state);
                state.info("Nothing was changed.");
                return;
            };
            svc.edit(*id, &edit, Some(*version))
                .map(|d| (d.summary, None))
        }
        Purpose::New => {
            let new = profile::new_employee(&form);
            let holders = new
                .email
                .as_deref()
                .map(|m| svc.email_holders(m, None).unwrap_or_default())
                .unwrap_or_default();
            if !holders.is_empty() {
                close(state);
                state.popup = Some(Popup::Dialog(crate::tui::state::Dialog::confirm(
                    "Create a profile with an email another one holds?",
                    vec![
                        format!(
                            "{} is the email of {} already.",
                            crate::domain::sanitize::sanitize(new.email.as_deref().unwrap_or("")),
                            holders.join(", ")
                        ),
                        "Two profiles with one email are allowed, but imports that match by email will find both and link neither (a conflict for review). Open the existing profile instead if it is the same person.".into(),
                    ],
                    "Create",
                    crate::tui::state::Intent::New(new),
                )));
                return;
            }
            svc.new_employee(&new).map(|(id, d)| (d.summary, Some(id)))
        }
        Purpose::Connect { id, version } => svc
            .connect(*id, &profile::manual_connection(&form), Some(*version))
            .map(|d| (d.summary, None)),
        Purpose::Import | Purpose::Pull => return,
    };
    let stale = matches!(result, Err(Error::Stale(_)));
    match report(result, state, svc) {
        Some((summary, opened)) => {
            close(state);
            if let Some(id) = opened
                && let Some(p) = report(svc.profile(id), state, svc)
            {
                state.pane = Some(crate::tui::refresh::open_pane(svc, p));
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
