//! Runs a confirmed change through the service, with the versions the user saw, and
//! shows the outcome.

use super::refresh::{reload, report};
use crate::domain::actions::StatusChange;
use crate::service::{Expect, Service};
use crate::tui::connection;
use crate::tui::state::{Intent, State};

pub fn execute(state: &mut State, svc: &mut Service, intent: Intent) {
    if let Intent::Import { mass } = intent {
        crate::tui::import::apply(state, mass);
        return;
    }
    if refuse_while_importing(state) {
        return;
    }
    if let Intent::Marked { change, targets } = &intent {
        crate::tui::marks::run(state, svc, *change, targets);
        return;
    }
    if let Intent::New(new) = &intent {
        create(state, svc, new);
        return;
    }
    // A status change that adds or removes a billed seat says so.
    let status_of = match &intent {
        Intent::Activate { id, .. }
        | Intent::Deactivate { id, .. }
        | Intent::Discard { id, .. } => Some(*id),
        _ => None,
    };
    let tracked_before = status_of.and_then(|id| svc.profile(id).ok().map(|p| p.tracked()));
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
        Intent::UndoEntry { audit_id } => svc.undo_entry(Some(*audit_id), None),
        Intent::Unblock {
            id,
            version,
            system,
            external_id,
        } => svc.unblock(*id, system, Some(external_id), Some(*version)),
        Intent::Import { .. } | Intent::New(_) | Intent::Marked { .. } => return,
    };
    let done = match result {
        // Already as asked (another admin got there first): say so, read again.
        Err(crate::error::Error::Unchanged(msg)) => {
            reload(state, svc);
            state.info(msg);
            return;
        }
        result => match report(result, state, svc) {
            Some(done) => done,
            None => return,
        },
    };
    if let Intent::Merge { keep, .. } = intent {
        state.pick = None;
        if let Some(p) = report(svc.profile(keep.0), state, svc) {
            state.pane = Some(crate::tui::refresh::open_pane(svc, p));
        }
    }
    let mut summary = done.summary;
    if let (Some(id), Some(before)) = (status_of, tracked_before)
        && let Ok(after) = svc.profile(id).map(|p| p.tracked())
        && before != after
    {
        summary.push_str(&billed(state, after));
    }
    reload(state, svc);
    state.success(summary);
}

/// " Tracked 229 → 230: one more billed seat." after a profile started (or stopped)
/// counting as tracked; the count as the header showed it.
pub fn billed(state: &State, now_tracked: bool) -> String {
    format!(" {}", seats(state, if now_tracked { 1 } else { -1 }))
}

/// "Tracked 229 → 239: 10 more billed seats." for a change of `delta` seats (nothing
/// when it is none); the count as the header shows it, or the seats alone before the
/// counts are in.
pub fn seats(state: &State, delta: i64) -> String {
    let words = match delta {
        0 => return String::new(),
        1 => "one more billed seat".to_owned(),
        -1 => "one billed seat less".to_owned(),
        d if d > 1 => format!("{d} more billed seats"),
        d => format!("{} fewer billed seats", -d),
    };
    if !state.counts_known {
        return format!("{}{}.", words[..1].to_uppercase(), &words[1..]);
    }
    let t = state.counts.tracked as i64;
    format!(
        "Tracked {} \u{2192} {}: {words}.",
        crate::tui::text::thousands(t as u64),
        crate::tui::text::thousands((t + delta).max(0) as u64)
    )
}

/// A new employee confirmed after the warning: created, its pane opened.
fn create(state: &mut State, svc: &mut Service, new: &crate::domain::actions::NewEmployee) {
    let Some((id, done)) = report(svc.new_employee(new), state, svc) else {
        return;
    };
    if let Some(p) = report(svc.profile(id), state, svc) {
        state.pane = Some(crate::tui::refresh::open_pane(svc, p));
    }
    reload(state, svc);
    let height = state.table_height();
    state.rows.list.select_id(id, height);
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
