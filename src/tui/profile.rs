//! Actions on one profile that both the table and the pane offer: connect by hand,
//! merge (pick the other profile, preview, confirm), activate, deactivate, discard,
//! undo, the history; and the forms for a new employee and a connection made by hand.

use crate::domain::actions::{ManualConnection, NewEmployee};
use crate::domain::model::{Profile, Status};
use crate::service::Service;
use crate::tui::action::Action;
use crate::tui::confirm::execute;
use crate::tui::form::{FieldId, Form, FormField, Purpose};
use crate::tui::keymap::{Scope, key};
use crate::tui::refresh::report;
use crate::tui::state::{Body, Button, Dialog, History, Intent, Pick, Popup, State};

/// Actions on one profile that both the table and the pane offer.
pub fn profile_action(state: &mut State, svc: &mut Service, action: Action, p: Profile) {
    match action {
        Action::Connect => open_connect_form(state, &p),
        Action::Merge => {
            if p.employee.merged_into.is_some() {
                state.error(format!(
                    "{} was merged into another profile; merge into that one instead.",
                    p.employee.label()
                ));
                return;
            }
            state.info(format!(
                "Merge into {}: pick the profile to fold in ({} filters, {} picks, {} cancels).",
                p.employee.label(),
                key(Scope::Nav, Action::Filter),
                key(Scope::Pick, Action::Choose),
                key(Scope::Pick, Action::Back)
            ));
            state.pane = None;
            state.pick = Some(Pick { keep: p });
        }
        Action::History => open_history(state, svc, &p),
        _ => {}
    }
}

/// Activate at once (undoable, nothing lost); deactivate and discard ask first.
pub fn status_action(
    state: &mut State,
    svc: &mut Service,
    action: Action,
    id: i64,
    version: i64,
    status: Status,
    name: &str,
) {
    let label = format!("{} (#{id})", crate::domain::sanitize::sanitize(name));
    match action {
        Action::Activate => execute(state, svc, Intent::Activate { id, version }),
        Action::Deactivate => {
            if status == Status::Deactivated {
                state.info(format!("{label} is already deactivated."));
                return;
            }
            // The seat it frees, in numbers, when it is one (active with an account).
            let seat = match svc.profile(id) {
                Ok(p) if p.tracked() => crate::tui::confirm::billed(state, false),
                _ => String::new(),
            };
            state.popup = Some(crate::tui::state::Popup::Dialog(Dialog::confirm(
                format!("Deactivate {label}?"),
                vec![
                    format!(
                        "{label} moves to the Deactivated tab and stops counting as tracked.{seat} Its connections stay; profiles are never deleted."
                    ),
                    reversal("Activate it again"),
                ],
                "Deactivate",
                Intent::Deactivate { id, version },
            )));
        }
        Action::Discard => {
            if status != Status::Pending {
                state.info(format!(
                    "{label} is {status}; only pending profiles can be discarded (use {} to deactivate).",
                    key(Scope::Table, Action::Deactivate)
                ));
                return;
            }
            state.popup = Some(crate::tui::state::Popup::Dialog(Dialog::confirm(
                format!("Discard {label}?"),
                vec![
                    format!(
                        "{label} leaves the Pending tab for Deactivated: the imported profile is not taken on. Its connections stay, so later imports keep updating it there."
                    ),
                    reversal("Activate it"),
                ],
                "Discard",
                Intent::Discard { id, version },
            )));
        }
        _ => {}
    }
}

/// "Activate it (a), or undo (u), to reverse this." for a status change's dialog.
fn reversal(activate: &str) -> String {
    format!(
        "{activate} ({}), or undo ({}), to reverse this.",
        key(Scope::Table, Action::Activate),
        key(Scope::Table, Action::Undo)
    )
}

/// Undo asks first, naming the action (it may be another admin's).
pub fn ask_undo(state: &mut State, svc: &mut Service) {
    let Some(next) = report(svc.next_undo(), state, svc) else {
        return;
    };
    let Some(entry) = next else {
        state.info("There is nothing to undo.");
        return;
    };
    let mine = entry.os_user == svc.actor().os_user;
    let mut body = vec![format!("Undo \u{201c}{}\u{201d}?", entry.summary)];
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
    let seats = crate::tui::confirm::seats(state, undo_seats(svc, &entry.changes));
    if !seats.is_empty() {
        body.push(seats);
    }
    body.push("Undo is refused if the rows it touched have changed since.".into());
    state.popup = Some(crate::tui::state::Popup::Dialog(Dialog::confirm(
        "Undo the most recent action?",
        body,
        "Undo",
        Intent::Undo { audit_id: entry.id },
    )));
}

/// The billed seats an undo adds or frees: each status it puts back on a profile with
/// an account (an activation undone frees one). Entries that are not a change set (an
/// import's journal) say nothing here; their own dialog counts.
fn undo_seats(svc: &mut Service, changes: &serde_json::Value) -> i64 {
    use crate::domain::change::{ChangeSet, Op};
    use crate::domain::model::Status;
    let Ok(set) = serde_json::from_value::<ChangeSet>(changes.clone()) else {
        return 0;
    };
    let mut delta = 0;
    for op in &set.ops {
        if let Op::UpdateEmployee { before, after } = op
            && before.status != after.status
            && svc
                .profile(before.id)
                .is_ok_and(|p| !p.connections.is_empty())
        {
            delta += i64::from(before.status == Status::Active)
                - i64::from(after.status == Status::Active);
        }
    }
    delta
}

/// How the app says to hand a merged profile to a system (`MergePreview::management`).
pub fn hand_over(key: &crate::domain::model::ConnKey, _ambiguous: bool) -> String {
    let system = crate::domain::system::display_name(&key.system);
    format!(
        "To hand it to {system}, open it after the merge and choose \u{201c}Make {system} manage this profile\u{201d} on that connection."
    )
}

/// Merge, second step: the selected row is folded into the kept profile, after a preview.
pub fn pick(state: &mut State, svc: &mut Service) {
    let Some(keep) = state.pick.as_ref().map(|p| p.keep.employee.id) else {
        return;
    };
    let Some(other) = state.rows.list.selected().map(|r| r.id) else {
        state.info("There is no employee here to pick: switch tabs or change the filter.");
        return;
    };
    if other == keep {
        state.error("That is the profile you keep; pick the other one, the one to fold in.");
        return;
    }
    let Some(preview) = report(svc.merge_preview(keep, other), state, svc) else {
        return;
    };
    let k = &preview.keep.employee;
    let o = &preview.other.employee;
    let n = preview.other.connections.len();
    let mut text = vec![format!(
        "{} is folded into {}: {} connection{} move{} to it; {} is deactivated and marked as merged into #{}.",
        o.label(),
        k.label(),
        n,
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" },
        o.label(),
        k.id
    )];
    text.push(preview.management(hand_over));
    text.push(format!(
        "Undo ({}) reverses the merge.",
        key(Scope::Table, Action::Undo)
    ));
    let intent = Intent::Merge {
        keep: (k.id, k.version),
        other: (o.id, o.version),
    };
    state.popup = Some(crate::tui::state::Popup::Dialog(Dialog::with_buttons(
        format!("Merge {} into {}?", o.label(), k.label()),
        Body::Merge(Box::new(preview), text),
        vec![
            Button::cancel(),
            Button::doing("Merge", intent, Action::Confirm),
        ],
    )));
}

pub fn open_history(state: &mut State, svc: &mut Service, p: &Profile) {
    if let Some(entries) = report(
        svc.log(
            &crate::domain::audit::LogFilter {
                employee: Some(p.employee.id),
                ..Default::default()
            },
            500,
        ),
        state,
        svc,
    ) {
        state.popup = Some(Popup::History(History {
            title: format!("History of {}", p.employee.label()),
            entries,
            scroll: 0,
            selected: None,
        }));
    }
}

pub fn open_new_form(state: &mut State) {
    state.popup = Some(Popup::Form(Form::new(
        Purpose::New,
        "New employee",
        vec![
            FormField::text(FieldId::Name, ""),
            FormField::text(FieldId::Email, ""),
            FormField::toggle(FieldId::LoginAccess, false),
        ],
    )));
}

pub fn open_connect_form(state: &mut State, p: &Profile) {
    state.popup = Some(Popup::Form(
        Form::new(
            Purpose::Connect {
                id: p.employee.id,
                version: p.employee.version,
            },
            format!("Connect {} to an account", p.employee.label()),
            vec![
                FormField::text(FieldId::System, ""),
                FormField::text(FieldId::ExternalId, ""),
                FormField::text(FieldId::Email, ""),
                FormField::text(FieldId::Name, ""),
            ],
        )
        .with_note(Some(
            "System is a key such as salesforce, hubspot, pipedrive; email and name are the account's, and optional."
                .into(),
        )),
    ));
}

/// The new employee form's values.
pub fn new_employee(form: &Form) -> NewEmployee {
    NewEmployee {
        name: form.text(FieldId::Name).to_owned(),
        email: optional(form.text(FieldId::Email)),
        login_access: form.on(FieldId::LoginAccess),
    }
}

/// The connect form's values.
pub fn manual_connection(form: &Form) -> ManualConnection {
    ManualConnection {
        system: form.text(FieldId::System).trim().to_owned(),
        external_id: form.text(FieldId::ExternalId).trim().to_owned(),
        email: optional(form.text(FieldId::Email)),
        name: optional(form.text(FieldId::Name)),
    }
}

/// A trimmed value, `None` when empty.
fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}
