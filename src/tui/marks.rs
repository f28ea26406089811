//! Marks (Space): several rows of the table, then activate / deactivate / discard each
//! of them, confirmed once with the count and the billed change; each profile is its own
//! audited, undoable action (README "The app").

use crate::domain::actions::StatusChange;
use crate::domain::model::Status;
use crate::service::Service;
use crate::tui::action::Action;
use crate::tui::refresh::reload;
use crate::tui::state::{Dialog, Intent, Popup, State};
use crate::tui::text::thousands;

/// Space: marks or unmarks the selected row and moves to the next.
pub fn toggle(state: &mut State) -> bool {
    let Some(row) = state.rows.list.selected().cloned() else {
        state.info("There is no employee here to mark.");
        return false;
    };
    if state.marks.remove(&row.id).is_none() {
        state.marks.insert(row.id, row);
    }
    let k = |action| crate::tui::keymap::key(crate::tui::keymap::Scope::Table, action);
    state.info(format!(
        "{} marked: {} activates, {} deactivates, {} discards them all; {} clears the marks.",
        state.marks.len(),
        k(Action::Activate),
        k(Action::Deactivate),
        k(Action::Discard),
        k(Action::Back)
    ));
    true
}

/// How the Tracked count moves when `change` is applied to `rows`: active profiles
/// with a connection are tracked (billed).
fn tracked_delta<'a>(
    change: StatusChange,
    rows: impl Iterator<Item = &'a crate::domain::listing::ListRow>,
) -> i64 {
    rows.map(|r| {
        let billable = !r.suppliers.is_empty();
        match change {
            StatusChange::Activate if billable && r.status != Status::Active => 1,
            StatusChange::Deactivate if billable && r.status == Status::Active => -1,
            _ => 0,
        }
    })
    .sum()
}

/// a / d / x with marks: one question for all of them.
pub fn ask(state: &mut State, action: Action) {
    let (change, verb) = match action {
        Action::Activate => (StatusChange::Activate, "Activate"),
        Action::Deactivate => (StatusChange::Deactivate, "Deactivate"),
        _ => (StatusChange::Discard, "Discard"),
    };
    let target = match change {
        StatusChange::Activate => Status::Active,
        _ => Status::Deactivated,
    };
    let (apply, skip): (Vec<_>, Vec<_>) = state.marks.values().partition(|r| {
        r.status != target && (change != StatusChange::Discard || r.status == Status::Pending)
    });
    if apply.is_empty() {
        state.info(format!(
            "None of the {} marked profiles can be changed so ({}).",
            state.marks.len(),
            verb.to_lowercase()
        ));
        return;
    }
    let n = apply.len();
    let mut body = vec![format!(
        "{verb} {n} marked profile{}: {}",
        if n == 1 { "" } else { "s" },
        apply
            .iter()
            .take(8)
            .map(|r| format!("{} (#{})", crate::domain::sanitize::sanitize(&r.name), r.id))
            .collect::<Vec<_>>()
            .join(", ")
            + if n > 8 { ", …" } else { "." }
    )];
    if !skip.is_empty() {
        body.push(format!(
            "{} other marked profile{} left as {} (already {} or not pending).",
            skip.len(),
            if skip.len() == 1 { " is" } else { "s are" },
            if skip.len() == 1 { "it is" } else { "they are" },
            target
        ));
    }
    let seats = crate::tui::confirm::seats(state, tracked_delta(change, apply.iter().copied()));
    if !seats.is_empty() {
        body.push(seats);
    }
    body.push(
        "Each profile is its own action in the audit log: undo takes them back one by one.".into(),
    );
    let targets = apply.iter().map(|r| (r.id, r.version)).collect();
    state.popup = Some(Popup::Dialog(Dialog::confirm(
        format!(
            "{verb} {n} marked profile{}?",
            if n == 1 { "" } else { "s" }
        ),
        body,
        verb,
        Intent::Marked { change, targets },
    )));
}

/// Runs the confirmed change on each marked profile with the version seen when marked;
/// one that changed meanwhile is left alone and named.
pub fn run(state: &mut State, svc: &mut Service, change: StatusChange, targets: &[(i64, i64)]) {
    let before = state.counts.tracked;
    let mut done = 0;
    let mut failed = Vec::new();
    for (id, version) in targets {
        match svc.change_status(*id, change, Some(*version)) {
            Ok(_) => done += 1,
            Err(e) => failed.push(e.to_string()),
        }
    }
    state.marks.clear();
    reload(state, svc);
    if let Ok(c) = svc.counts() {
        state.counts = c;
        state.counts_known = true;
    }
    let verb = match change {
        StatusChange::Activate => "Activated",
        StatusChange::Deactivate => "Deactivated",
        StatusChange::Discard => "Discarded",
    };
    let mut text = format!("{verb} {done} of {} marked profiles.", targets.len());
    if state.counts.tracked != before {
        text.push_str(&format!(
            " Tracked {} \u{2192} {}.",
            thousands(before),
            thousands(state.counts.tracked)
        ));
    }
    match failed.first() {
        None => state.success(text),
        Some(first) => state.error(format!("{text} {} not: {first}", failed.len())),
    }
}
