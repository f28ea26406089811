//! A connection's actions, in one place: the menu the pane opens on a connection (the
//! entries in the reference order, each with its letter), the dialog that each entry
//! asks first (what will happen, what the next import will do), and the confirmed
//! change run through the service. A new connection action is an entry of `open_menu`,
//! a `Choice`, its dialog in `choose`, a `Change` and its line in `run`; the service and
//! the command line give it its function and its command (docs/architecture.md, "Where
//! to change what").

pub mod choice;
pub mod view;

pub use choice::{Change, Choice, Menu, MenuItem};

use crate::domain::model::{ConnKey, Profile};
use crate::domain::sanitize::{email_list, sanitize};
use crate::error::Error;
use crate::service::{Done, NextImport, Service};
use crate::tui::action::Action;
use crate::tui::keymap::{Scope, key};
use crate::tui::refresh::report;
use crate::tui::state::{Body, Button, Dialog, Popup, State};

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
            hotkey: 'v',
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

pub fn menu(state: &mut State, svc: &mut Service, action: Action) {
    let Some(Popup::Menu(menu)) = &mut state.popup else {
        return;
    };
    let chosen = match action {
        Action::Down => {
            menu.cursor = (menu.cursor + 1).min(menu.items.len().saturating_sub(1));
            None
        }
        Action::Up => {
            menu.cursor = menu.cursor.saturating_sub(1);
            None
        }
        Action::Choose => menu.items.get(menu.cursor).map(|i| i.choice.clone()),
        Action::Hotkey(c) => menu
            .items
            .iter()
            .find(|i| i.hotkey == c)
            .map(|i| i.choice.clone()),
        Action::Back => {
            state.popup = None;
            None
        }
        _ => None,
    };
    if let Some(choice) = chosen {
        state.popup = None;
        choose(state, svc, choice);
    }
}

/// A menu entry was chosen: each asks first, saying what will happen.
fn choose(state: &mut State, svc: &mut Service, choice: Choice) {
    let Some(pane) = &state.pane else { return };
    let profile = pane.profile.clone();
    let dialog = match choice {
        Choice::Manage(key) => manage_dialog(&profile, &key),
        Choice::Unmanage => unmanage_dialog(&profile),
        Choice::Move(key) => {
            let holders = profile
                .connection(&key)
                .and_then(|c| c.email.clone())
                .map(|m| svc.email_holders(&m, Some(&key)).unwrap_or_default())
                .unwrap_or_default();
            move_dialog(&profile, &key, &holders)
        }
        Choice::Remove(key) => remove_dialog(state, svc, &profile, &key, false),
        Choice::RemoveAndBlock(key) => remove_dialog(state, svc, &profile, &key, true),
    };
    if let Some(d) = dialog {
        state.popup = Some(Popup::Dialog(d));
    }
}

fn manage_dialog(p: &Profile, key: &ConnKey) -> Option<Dialog> {
    let conn = p.connection(key)?;
    let system = sanitize(&conn.system_name()).into_owned();
    let e = &p.employee;
    let mut body = vec![format!(
        "From now on each {system} import overwrites the name and profile picture of {} with those of {}{}.",
        e.label(),
        conn.label(),
        conn.name
            .as_deref()
            .map(|n| format!(" (now \u{201c}{}\u{201d})", sanitize(n)))
            .unwrap_or_default()
    )];
    if let Some(current) = p.managed_by() {
        body.push(format!("{} stops managing it.", current.label()));
    }
    body.push(
        "Editing the name and picture by hand is refused until you choose Manage manually.".into(),
    );
    Some(Dialog::confirm(
        format!("Make {system} manage {}?", e.label()),
        body,
        &format!("Make {system} manage"),
        Change::Manage {
            id: e.id,
            version: e.version,
            key: key.clone(),
        },
    ))
}

fn unmanage_dialog(p: &Profile) -> Option<Dialog> {
    let current = p.managed_by()?;
    let e = &p.employee;
    Some(Dialog::confirm(
        format!("Manage {} manually?", e.label()),
        vec![
            format!(
                "{} stops managing {}: imports no longer overwrite its name and profile picture, and you can edit them.",
                current.label(),
                e.label()
            ),
            "The connection stays; imports keep refreshing the account's own details.".into(),
        ],
        "Manage manually",
        Change::Unmanage {
            id: e.id,
            version: e.version,
        },
    ))
}

fn move_change(p: &Profile, key: &ConnKey) -> Change {
    Change::Move {
        id: p.employee.id,
        version: p.employee.version,
        key: key.clone(),
    }
}

/// The profile Move creates: "a new employee “Jane D.” <jane@x> (active, no login
/// access, managed by HubSpot)".
fn move_creates(conn: &crate::domain::model::Connection) -> String {
    let system = sanitize(&conn.system_name()).into_owned();
    let name = crate::domain::validate::fallback_name(
        conn.name.as_deref(),
        conn.email.as_deref(),
        &conn.external_id,
    );
    format!(
        "a new employee \u{201c}{}\u{201d}{} (active, no login access, managed by {system})",
        sanitize(&name),
        conn.email
            .as_deref()
            .map(|m| format!(" <{}>", sanitize(m)))
            .unwrap_or_default(),
    )
}

fn move_dialog(p: &Profile, key: &ConnKey, holders: &[String]) -> Option<Dialog> {
    let conn = p.connection(key)?;
    let e = &p.employee;
    let system = sanitize(&conn.system_name()).into_owned();
    let mut body = vec![format!(
        "Creates {} and moves {} to it.",
        move_creates(conn),
        conn.label()
    )];
    let others = p.connections.len() - 1;
    body.push(match others {
        1 => format!("{} keeps its other connection.", e.label()),
        n => format!("{} keeps its other {n} connections.", e.label()),
    });
    if conn.manages {
        body.push(format!(
            "{} is managed manually afterwards ({system} managed it through this connection).",
            e.label()
        ));
    }
    body.push(format!(
        "The next {system} import follows the account to the new profile; {} is not reconnected.",
        e.label()
    ));
    if !holders.is_empty() {
        body.push(format!(
            "Warning: the new profile's email {} is held by {} too; imports that match by email will then find both (a conflict for review).",
            conn.email.as_deref().map(sanitize).unwrap_or_default(),
            holders.join(", ")
        ));
    }
    Some(Dialog::confirm(
        format!("Move {} to a new employee?", conn.label()),
        body,
        "Move",
        move_change(p, key),
    ))
}

/// "Jane Doe (#5)", or "#5" when the profile cannot be read.
fn label_of(svc: &mut Service, employee: i64) -> String {
    svc.profile(employee)
        .map(|o| o.employee.label())
        .unwrap_or_else(|_| format!("#{employee}"))
}

fn remove_dialog(
    state: &mut State,
    svc: &mut Service,
    p: &Profile,
    key: &ConnKey,
    block: bool,
) -> Option<Dialog> {
    let conn = p.connection(key)?.clone();
    let e = &p.employee;
    let system = sanitize(&conn.system_name()).into_owned();
    let next = report(svc.predict_after_remove(e.id, key, block), state, svc)?;
    let mut body = Vec::new();
    if block {
        body.push(format!(
            "Deletes the link and blocks it: imports never link {} to {} again. {}'s data stays as it is.",
            conn.label(),
            e.label(),
            e.label()
        ));
    } else {
        body.push(format!(
            "Deletes the link between {} and {}; the profile's data stays as it is.",
            conn.label(),
            e.label()
        ));
    }
    if conn.manages {
        body.push(format!(
            "{system} managed this profile through it: the profile is managed manually afterwards."
        ));
    }
    let can_move = p.connections.len() >= 2;
    let mut offer_move = false;
    let mut reconnects = |mut s: String| {
        if can_move {
            s.push_str(&format!(
                " Move to new employee instead? It creates {} and moves the account there.",
                move_creates(&conn)
            ));
            offer_move = true;
        } else {
            s.push_str(" Remove and block keeps the account off this profile for good.");
        }
        s
    };
    match &next {
        NextImport::Reconnects { email } => body.push(reconnects(format!(
            "Warning: the next {system} import will reconnect this profile by email {}.",
            sanitize(email)
        ))),
        NextImport::MayReconnect { emails } => body.push(reconnects(format!(
            "Warning: this account's email in {system} is not known here; if the next {system} import brings {}, it reconnects this profile.",
            email_list(emails)
        ))),
        NextImport::LinksTo { email, employee } => {
            let who = label_of(svc, *employee);
            body.push(format!(
                "The next {system} import will link this account to {who} by email {}.",
                sanitize(email)
            ));
        }
        NextImport::Conflict { email, candidates } => {
            let ids: Vec<String> = candidates.iter().map(|c| format!("#{c}")).collect();
            body.push(format!(
                "The next {system} import will find several profiles with email {} ({}) and link the account to none of them: a conflict to settle.",
                sanitize(email),
                ids.join(", ")
            ));
        }
        NextImport::SameSystem { email, employee } => {
            let who = label_of(svc, *employee);
            body.push(format!(
                "The next {system} import will link this account to no one: {who} has the email {} but holds another {system} account (one account per system and person). It goes to review.",
                sanitize(email)
            ));
        }
        NextImport::CreatesProfile => body.push(format!(
            "If the account is still in {system}, its next import creates a new profile for it."
        )),
    }
    let label = if block {
        "Remove and block"
    } else {
        "Remove connection"
    };
    let mut buttons = vec![Button::cancel()];
    if offer_move {
        buttons.push(Button::doing(
            "Move to new employee",
            move_change(p, key),
            Action::MoveInstead,
        ));
    }
    buttons.push(Button::doing(
        label,
        Change::Remove {
            id: e.id,
            version: e.version,
            key: key.clone(),
            block,
        },
        Action::Confirm,
    ));
    Some(Dialog {
        title: format!(
            "{} {} from {}?",
            if block { "Remove and block" } else { "Remove" },
            conn.label(),
            e.label()
        ),
        body: Body::Text(body),
        buttons,
        selected: 0,
        scroll: 0,
    })
}

/// Runs a confirmed change through the service, with the version the user saw.
pub fn run(svc: &mut Service, change: &Change) -> Result<Done, Error> {
    match change {
        Change::Manage { id, version, key } => svc.manage(*id, key, Some(*version)),
        Change::Unmanage { id, version } => svc.unmanage(*id, Some(*version)),
        Change::Move { id, version, key } => svc
            .move_to_new(*id, key, Some(*version))
            .map(|(_, done)| done),
        Change::Remove {
            id,
            version,
            key,
            block,
        } => svc.remove(*id, key, *block, Some(*version)),
    }
}
