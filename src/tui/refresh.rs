//! After a change, or a failure: reading again what the screen shows, and showing a
//! failure on the status line. Every feature's update uses these.

use super::state::State;
use super::table::list::Fetch;
use crate::domain::listing::Page;
use crate::error::Error;
use crate::service::Service;

/// Reads the rows on screen again: at once in a plain tab (an indexed range read), put
/// off in a filtered view (a filter may scan).
pub fn refresh_rows(state: &mut State, svc: &mut Service) {
    if state.filtered() {
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

/// What each import created, for the Pending tab's "Came from" (a run's few numbers;
/// on failure the column says nothing rather than something wrong).
pub fn read_created_spans(state: &mut State, svc: &mut Service) {
    state.created_spans = svc.created_spans().unwrap_or_default();
}

/// The pane of profile `p`, with its blocks (who placed each, when). A failure to read
/// them leaves the list empty: the pane still opens.
pub fn open_pane(svc: &mut Service, p: crate::domain::model::Profile) -> crate::tui::state::Pane {
    let blocks = svc.blocks(p.employee.id).unwrap_or_default();
    let origin = svc.created_by_import(p.employee.id).unwrap_or_default();
    let mut pane = crate::tui::state::Pane::new(p);
    pane.blocks = blocks;
    pane.origin = origin;
    pane
}

/// Reads again what is on screen: the rows, the tab counts, the open profile.
pub fn reload(state: &mut State, svc: &mut Service) {
    if let Ok(v) = svc.data_version() {
        state.data_version = v;
    }
    refresh_rows(state, svc);
    state.counts_dirty = true;
    crate::tui::review::reload(state, svc);
    read_created_spans(state, svc);
    if let Some(pane) = &mut state.pane {
        match svc.profile(pane.id()) {
            Ok(p) => {
                pane.blocks = svc.blocks(p.employee.id).unwrap_or_default();
                pane.origin = svc.created_by_import(p.employee.id).unwrap_or_default();
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
