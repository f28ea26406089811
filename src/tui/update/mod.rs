//! `update`: applies one action to the state: the mode picks the feature that takes it
//! (`table`, `pane`, `connection`, a form, a dialog, a reader), which calls the service
//! for reads and changes. Failures become a sentence on the status line; nothing here
//! panics on bad data. Also the reads put off until the keyboard is idle (`idle`), when
//! the app runs without a worker.

mod forms;
mod popups;

use super::action::Action;
use super::refresh::{refresh_rows, reload, report};
use super::state::{Mode, State};
use super::{connection, pane, table};
use crate::domain::listing::Page;
use crate::service::Service;

/// Applies `action`.
pub fn update(state: &mut State, svc: &mut Service, action: Action) {
    // Any action may move the rows: a refresh read before it is out of date.
    state.rows.list_gen += 1;
    match action {
        Action::Quit => {
            state.quit = true;
            return;
        }
        Action::Redraw => {
            state.clear = true;
            reload(state, svc);
            return;
        }
        Action::Resize(w, h) => {
            state.width = w;
            state.height = h;
            refresh_rows(state, svc);
            return;
        }
        Action::DebugPanic => {
            if state.debug_panic {
                panic!("the debug panic key was pressed (ROSTER_DEBUG_PANIC_KEY)");
            }
            return;
        }
        _ => {}
    }
    if let Some(why) = &state.read_only
        && starts_change(state.mode(), action)
    {
        state.error(format!("{why}; nothing can be changed here."));
        return;
    }
    if action == Action::Messages {
        super::audit::open_messages(state);
        return;
    }
    if action == Action::AuditLog {
        super::audit::open(state, svc);
        return;
    }
    match state.mode() {
        Mode::Reader => popups::reader(state, svc, action),
        Mode::Menu => connection::menu(state, svc, action),
        Mode::Dialog => popups::dialog(state, svc, action),
        Mode::Form => forms::form(state, svc, action),
        Mode::Filter => table::filter(state, svc, action),
        Mode::Pane => pane::pane(state, svc, action),
        Mode::Review | Mode::ReviewItem => crate::tui::review::update(state, svc, action),
        Mode::Table | Mode::Pick => table::table(state, svc, action),
    }
}

/// Whether `action` in `mode` starts a change (a form, a menu of actions, a
/// confirmation): a user who may only read is refused before it opens.
fn starts_change(mode: Mode, action: Action) -> bool {
    match mode {
        Mode::Table | Mode::Pane => {
            matches!(
                action,
                Action::New
                    | Action::Edit
                    | Action::Connect
                    | Action::Merge
                    | Action::Activate
                    | Action::Deactivate
                    | Action::Discard
                    | Action::Undo
                    | Action::Import
                    | Action::Unblock
                    | Action::Mark
                    | Action::Pull
            ) || (mode == Mode::Pane && action == Action::Open)
        }
        Mode::Review => matches!(action, Action::Rescan | Action::Undo),
        Mode::ReviewItem => matches!(action, Action::Choose | Action::Hotkey(_)),
        Mode::Reader => action == Action::Undo,
        _ => false,
    }
}

/// Does the reads that `update` put off, here and now. The app hands them to a worker
/// thread instead (`worker.rs`), so that the screen never waits for a slow one; the tests
/// and a store too small to matter do them here.
pub fn idle(state: &mut State, svc: &mut Service) {
    let height = state.table_height();
    let view = state.view();
    if state.rows.filter_dirty {
        state.rows.filter_dirty = false;
        state.scan_first();
    }
    while state.rows.scan.is_some() {
        scan_step(state, svc);
    }
    if state.rows.refresh_dirty {
        state.rows.refresh_dirty = false;
        let budget = state.rows.scan_budget;
        let list = &mut state.rows.list;
        let result = svc.snapshot(|s| {
            let mut fetch = |p: &Page, n: usize| s.filtered(&view, p, n, budget, &|| true);
            list.refresh(&mut fetch, height)
        });
        state.rows.list_gen += 1;
        report(result, state, svc);
        state.want_rows();
        while state.rows.scan.is_some() {
            scan_step(state, svc);
        }
    }
    let totals = std::mem::take(&mut state.counts_dirty);
    crate::tui::worker::count_inline(state, svc, totals);
}

/// Takes one step of the scan the state waits for, here and now (the app's worker takes
/// them on its own thread; tests take them one by one to see what each step shows).
pub fn scan_step(state: &mut State, svc: &mut Service) {
    let Some(scan) = state.rows.scan.clone() else {
        return;
    };
    match scan.step(svc) {
        Ok(found) => state.take_found(scan.id, found),
        Err(e) => {
            state.rows.scan = None;
            state.error(e.to_string());
        }
    }
}

/// Polled twice a second: when another process changed the store, shows it; and
/// who else has the store open (when this session said it is here).
pub fn poll(state: &mut State, svc: &mut Service) {
    if state.here.is_some() {
        state.here = Some(svc.here());
    }
    match svc.data_version() {
        Ok(v) if v != state.data_version => reload(state, svc),
        Ok(_) => {}
        Err(e) => state.error(e.to_string()),
    }
}

/// The first screen: the first rows of the Active tab; the counts follow.
pub fn start(state: &mut State, svc: &mut Service) {
    if let Ok(v) = svc.data_version() {
        state.data_version = v;
    }
    table::show_first(state, svc);
    state.counts_dirty = true;
    crate::tui::review::reload(state, svc);
    super::refresh::read_created_spans(state, svc);
}
