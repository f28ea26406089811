//! `update`: applies one action to the state, calling the service for reads and changes.
//! Failures become a sentence on the status line; nothing here panics on bad data.

mod forms;
pub mod import;
mod ops;
mod pane;
mod popups;
mod table;

use super::action::Action;
use super::list::Fetch;
use super::state::{Mode, State};
use crate::domain::listing::Page;
use crate::error::Error;
use crate::service::Service;

pub use ops::execute;

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
    match state.mode() {
        Mode::Reader => popups::reader(state, action),
        Mode::Menu => popups::menu(state, svc, action),
        Mode::Dialog => popups::dialog(state, svc, action),
        Mode::Form => forms::form(state, svc, action),
        Mode::Filter => table::filter(state, svc, action),
        Mode::Pane => pane::pane(state, svc, action),
        Mode::Table | Mode::Pick => table::table(state, svc, action),
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
    if state.counts_dirty {
        state.counts_dirty = false;
        match svc.counts() {
            Ok(c) => {
                state.counts = c;
                state.counts_known = true;
            }
            Err(e) => state.error(e.to_string()),
        }
    }
}

/// Takes one step of the scan the state waits for, here and now (the app's worker takes
/// them on its own thread; tests take them one by one to see what each step shows).
pub fn scan_step(state: &mut State, svc: &mut Service) {
    let Some(scan) = state.rows.scan.clone() else {
        return;
    };
    let step = svc.step(
        &scan.view,
        scan.towards,
        scan.from.as_ref(),
        scan.want,
        scan.step_budget,
    );
    match step {
        Ok(found) => state.take_found(scan.id, found),
        Err(e) => {
            state.rows.scan = None;
            state.error(e.to_string());
        }
    }
}

/// Polled about once a second: when another process changed the store, shows it.
pub fn poll(state: &mut State, svc: &mut Service) {
    match svc.data_version() {
        Ok(v) if v != state.data_version => reload(state, svc),
        Ok(_) => {}
        Err(e) => state.error(e.to_string()),
    }
}

/// Reads the rows on screen again: at once in a plain tab (an indexed range read), put
/// off in a filtered view (a filter may scan).
fn refresh_rows(state: &mut State, svc: &mut Service) {
    if state.filter.text().is_some() {
        state.rows.refresh_dirty = true;
        return;
    }
    let height = state.table_height();
    let view = state.view();
    // The rows are read afresh: a read-ahead on its way would not fit them.
    state.rows.scan = None;
    let mut fetch = |p: &Page, n: usize| svc.page(&view, p, n);
    let rows = state
        .rows
        .list
        .refresh(&mut fetch as &mut dyn Fetch, height);
    if let Err(e) = rows {
        state.error(e.to_string());
    }
    state.want_rows();
}

/// Reads again what is on screen: the rows, the tab counts, the open profile.
pub fn reload(state: &mut State, svc: &mut Service) {
    if let Ok(v) = svc.data_version() {
        state.data_version = v;
    }
    refresh_rows(state, svc);
    state.counts_dirty = true;
    if let Some(pane) = &mut state.pane {
        match svc.profile(pane.id()) {
            Ok(p) => {
                pane.profile = p;
                pane.cursor = pane
                    .cursor
                    .min(pane.profile.connections.len().saturating_sub(1));
            }
            Err(e) => {
                state.pane = None;
                state.error(e.to_string());
            }
        }
    }
}

/// The first screen: the first rows of the Active tab; the counts follow.
pub fn start(state: &mut State, svc: &mut Service) {
    if let Ok(v) = svc.data_version() {
        state.data_version = v;
    }
    table::show_first(state, svc);
    state.counts_dirty = true;
}

/// Shows a failure on the status line; when someone else changed the rows, reads them
/// again so the screen shows what is true now.
pub fn report<T>(result: Result<T, Error>, state: &mut State, svc: &mut Service) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(e) => {
            let stale = matches!(e, Error::Stale(_));
            if stale {
                reload(state, svc);
            }
            state.error(e.to_string());
            None
        }
    }
}
