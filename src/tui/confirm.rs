//! Runs a confirmed change through the service, with the versions the user saw, and
//! shows the outcome.

use super::refresh::{reload, report};
use crate::domain::actions::StatusChange;
use crate::service::{Expect, Service};
use crate::tui::connection;
use crate::tui::state::{Intent, Pane, State};

pub fn execute(state: &mut State, svc: &mut Service, intent: Intent) {
    if let Intent::Import { mass } = intent {
        crate::tui::import::apply(state, mass);
        return;
    }
    if refuse_while_importing(state) {
        return;
    }
    let result = match &intent {
        Intent::Connection(change) => connection::run(svc, change),
        Intent::Merge { keep, other } => svc.merge(
            keep.0,
            other.0,
            &[
                Expect {
                    id: keep.0,
                    version: keep.1,
                },
                Expect {
                    id: other.0,
                    version: other.1,
                },
            ],
        ),
        Intent::Activate { id, version } => {
            svc.change_status(*id, StatusChange::Activate, Some(*version))
        }
        Intent::Deactivate { id, version } => {
            svc.change_status(*id, StatusChange::Deactivate, Some(*version))
        }
        Intent::Discard { id, version } => {
            svc.change_status(*id, StatusChange::Discard, Some(*version))
        }
        Intent::Undo { audit_id } => svc.undo_checked(Some(*audit_id)),
        Intent::Review(d) => crate::tui::review::resolve(svc, d),
        Intent::Import { .. } => return,
    };
    let Some(done) = report(result, state, svc) else {
        return;
    };
    if let Intent::Merge { keep, .. } = intent {
        state.pick = None;
        if let Some(p) = report(svc.profile(keep.0), state, svc) {
            state.pane = Some(Pane::new(p));
        }
    }
    reload(state, svc);
    state.success(done.summary);
}

/// While an import is applied (it holds the store's write lock for its length), other
/// changes are refused with a sentence instead of waiting.
pub fn refuse_while_importing(state: &mut State) -> bool {
    if state.import.as_ref().is_some_and(|f| f.applying()) {
        state.error("An import is being applied; make this change once it is done (its progress is on the status line).");
        return true;
    }
    false
}
