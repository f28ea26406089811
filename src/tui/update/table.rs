//! The employees table: moving, tabs, the filter, and the actions on the selected row.

use super::{pane, popups, report};
use crate::domain::listing::{Page, Tab};
use crate::domain::model::{Profile, Status};
use crate::service::Service;
use crate::tui::action::Action;
use crate::tui::keymap::{Scope, key};
use crate::tui::search::ScanGoal;
use crate::tui::state::{Body, Button, Dialog, Intent, Pane, Pick, State};

/// Runs a move of the list against the current view.
fn list_move(state: &mut State, svc: &mut Service, action: Action) {
    let height = state.table_height();
    let view = state.view();
    let h = height as isize;
    let rows = &mut state.rows;
    if view.text.is_some() {
        // Among the rows held, at once; more come from the worker's scans.
        match action {
            Action::Down => rows.move_filtered(1, false, &view, height),
            Action::Up => rows.move_filtered(-1, false, &view, height),
            Action::PageDown => rows.move_filtered(h, true, &view, height),
            Action::PageUp => rows.move_filtered(-h, true, &view, height),
            Action::Top => rows.jump_filtered(false, &view, height),
            Action::Bottom => rows.jump_filtered(true, &view, height),
            _ => {}
        }
        return;
    }
    // Until the counts are in, the last rows' position is not known.
    let total = state.counts_known.then(|| state.counts.of(state.tab));
    let mut f = |p: &Page, n: usize| svc.page(&view, p, n);
    let result = match action {
        Action::Down => rows.move_plain(1, false, &mut f, &view, height),
        Action::Up => rows.move_plain(-1, false, &mut f, &view, height),
        Action::PageDown => rows.move_plain(h, true, &mut f, &view, height),
        Action::PageUp => rows.move_plain(-h, true, &mut f, &view, height),
        Action::Top | Action::Bottom => {
            rows.scan = None;
            let r = if action == Action::Top {
                rows.list.first(&mut f, height)
            } else {
                rows.list.last(&mut f, height, total)
            };
            rows.want_rows(&view, height);
            r
        }
        _ => Ok(()),
    };
    report(result, state, svc);
}

/// Shows the first rows of the current view (after a tab switch or a new filter): at
/// once in a plain tab, put off in a filtered view.
pub fn show_first(state: &mut State, svc: &mut Service) {
    // An older view's scan is of no use now.
    state.rows.scan = None;
    state.rows.pending = 0;
    if state.filtered() {
        state.rows.filter_dirty = true;
        return;
    }
    state.rows.filter_dirty = false;
    let height = state.table_height();
    let view = state.view();
    let result = state
        .rows
        .list
        .first(&mut |p: &Page, n: usize| svc.page(&view, p, n), height);
    report(result, state, svc);
    state.want_rows();
}

/// Clears the filter, keeping the selected employee selected among all the rows.
fn clear_filter(state: &mut State, svc: &mut Service) {
    let selected = state.rows.list.selected().cloned();
    state.filter.input.reset();
    // Rows shown while a new term's first rows are looked for are an older view's.
    let stale = state.rows.filter_dirty
        || state
            .rows
            .scan
            .as_ref()
            .is_some_and(|s| s.goal == ScanGoal::First && !s.replaced && !s.keep_until_found);
    state.rows.scan = None;
    state.rows.pending = 0;
    match selected {
        Some(row) if !stale => {
            let height = state.table_height();
            let view = state.view();
            let result = state.rows.list.around(
                &mut |p: &Page, n: usize| svc.page(&view, p, n),
                row,
                height,
            );
            report(result, state, svc);
            state.want_rows();
        }
        _ => show_first(state, svc),
    }
}

fn switch_tab(state: &mut State, svc: &mut Service, tab: Tab) {
    if state.tab != tab {
        state.tab = tab;
        show_first(state, svc);
    }
}

fn tab_index(tab: Tab) -> usize {
    Tab::SCREEN.iter().position(|t| *t == tab).unwrap_or(0)
}

/// The selected row's profile, read now.
fn selected_profile(state: &mut State, svc: &mut Service) -> Option<Profile> {
    let Some(id) = state.rows.list.selected().map(|r| r.id) else {
        state.info("There is no employee here: switch tabs or change the filter.");
        return None;
    };
    report(svc.profile(id), state, svc)
}

pub fn table(state: &mut State, svc: &mut Service, action: Action) {
    match action {
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Bottom => list_move(state, svc, action),
        Action::Tab(i) => switch_tab(state, svc, Tab::SCREEN[(i as usize).min(3)]),
        Action::NextTab => {
            let i = (tab_index(state.tab) + 1) % 4;
            switch_tab(state, svc, Tab::SCREEN[i]);
        }
        Action::PrevTab => {
            let i = (tab_index(state.tab) + 3) % 4;
            switch_tab(state, svc, Tab::SCREEN[i]);
        }
        Action::Filter => {
            state.filter.editing = true;
        }
        Action::Help => state.help = Some(0),
        Action::Back if state.pick.is_some() => {
            state.pick = None;
            state.info("Merge cancelled; nothing was changed.");
        }
        Action::Back => {
            if state.filter.text().is_some() {
                clear_filter(state, svc);
            }
            state.status = None;
        }
        Action::Choose if state.pick.is_some() => pick(state, svc),
        Action::Open => {
            if let Some(p) = selected_profile(state, svc) {
                state.pane = Some(Pane::new(p));
            }
        }
        Action::New => popups::open_new_form(state),
        Action::Edit => {
            if let Some(p) = selected_profile(state, svc) {
                state.pane = Some(Pane::new(p));
                pane::open_edit_form(state);
            }
        }
        Action::Connect | Action::Merge | Action::History => {
            if let Some(p) = selected_profile(state, svc) {
                profile_action(state, svc, action, p);
            }
        }
        Action::Activate | Action::Deactivate | Action::Discard => {
            if let Some(row) = state.rows.list.selected() {
                let (id, version, status, name) =
                    (row.id, row.version, row.status, row.name.clone());
                status_action(state, svc, action, id, version, status, &name);
            } else {
                state.info("There is no employee here: switch tabs or change the filter.");
            }
        }
        Action::Undo => ask_undo(state, svc),
        Action::Import => super::import::open_form(state),
        _ => {}
    }
}

/// Actions on one profile that both the table and the pane offer.
pub fn profile_action(state: &mut State, svc: &mut Service, action: Action, p: Profile) {
    match action {
        Action::Connect => popups::open_connect_form(state, &p),
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
        Action::History => popups::open_history(state, svc, &p),
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
        Action::Activate => super::execute(state, svc, Intent::Activate { id, version }),
        Action::Deactivate => {
            if status == Status::Deactivated {
                state.info(format!("{label} is already deactivated."));
                return;
            }
            state.popup = Some(crate::tui::state::Popup::Dialog(Dialog::confirm(
                format!("Deactivate {label}?"),
                vec![
                    format!(
                        "{label} moves to the Deactivated tab and stops counting as tracked. Its connections stay; profiles are never deleted."
                    ),
                    format!(
                        "Activate it again ({}), or undo ({}), to reverse this.",
                        key(Scope::Table, Action::Activate),
                        key(Scope::Table, Action::Undo)
                    ),
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
                    format!(
                        "Activate it ({}), or undo ({}), to reverse this.",
                        key(Scope::Table, Action::Activate),
                        key(Scope::Table, Action::Undo)
                    ),
                ],
                "Discard",
                Intent::Discard { id, version },
            )));
        }
        _ => {}
    }
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
    body.push("Undo is refused if the rows it touched have changed since.".into());
    state.popup = Some(crate::tui::state::Popup::Dialog(Dialog::confirm(
        "Undo the most recent action?",
        body,
        "Undo",
        Intent::Undo { audit_id: entry.id },
    )));
}

/// Merge, second step: the selected row is folded into the kept profile, after a preview.
fn pick(state: &mut State, svc: &mut Service) {
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
    text.push(preview.management(|key, _| {
        format!(
            "To hand it to {}, open it after the merge and choose \u{201c}Make {} manage this profile\u{201d} on that connection.",
            crate::domain::system::display_name(&key.system),
            crate::domain::system::display_name(&key.system)
        )
    }));
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

/// Typing a filter: each key narrows the rows (fetched once the keyboard is idle).
pub fn filter(state: &mut State, svc: &mut Service, action: Action) {
    match action {
        Action::Type(key) => {
            let before = state.filter.input.value().to_owned();
            if let Some(req) =
                tui_input::backend::crossterm::to_input_request(&crossterm::event::Event::Key(key))
            {
                state.filter.input.handle(req);
            }
            if state.filter.input.value() != before {
                show_first(state, svc);
            }
        }
        Action::Down | Action::Up => list_move(state, svc, action),
        Action::FilterKeep => state.filter.editing = false,
        Action::Back => {
            state.filter.editing = false;
            clear_filter(state, svc);
        }
        _ => {}
    }
}
