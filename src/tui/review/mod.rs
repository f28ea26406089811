//! The review inbox in the app (README "The review inbox", docs/review.md): the open
//! items newest first (`5` opens it), one item's account and candidates side by side
//! with its resolutions as a list (`Enter`), each resolution asked first with Cancel
//! selected and then done through the same service call as `roster review resolve`.
//! The header's count follows every change (`reload`); a rescan of the whole store runs
//! on a thread of its own (`job`).

pub mod job;
pub mod view;
pub mod window;

use crate::domain::review::{InboxItem, InboxKey, ItemId, Kind, Resolution, Seen};
use crate::error::Error;
use crate::service::review::{InboxCounts, ItemDetail};
use crate::service::{Done, Service};
use crate::tui::action::Action;
use crate::tui::keymap::{Scope, key};
use crate::tui::refresh::report;
use crate::tui::state::{Body, Button, Dialog, Intent, Popup, State};

/// The kinds the view's `Tab` steps through; `None` is all of them.
pub const KINDS: [Option<Kind>; 5] = [
    None,
    Some(Kind::Conflict),
    Some(Kind::SameSystem),
    Some(Kind::Duplicate),
    Some(Kind::Pending),
];

/// What the state holds of the inbox.
#[derive(Debug, Clone, Default)]
pub struct Inbox {
    /// The open items per kind, for the header; none until first read.
    pub counts: Option<InboxCounts>,
    /// The view, when open.
    pub view: Option<InboxView>,
    pub scan: Scan,
}

/// Where the rescan of the whole store stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scan {
    #[default]
    Idle,
    /// Asked for; the app starts it on its own thread when the keyboard is idle.
    Asked,
    Running,
}

#[derive(Debug, Clone, Default)]
pub struct InboxView {
    /// The kind shown (`None`: all).
    pub kind: Option<Kind>,
    /// A window of the open items of that kind, newest first (`window`).
    pub items: Vec<InboxItem>,
    /// The key of the item just before the window's first (none: it starts at the newest).
    pub newer: Option<InboxKey>,
    /// How many items come before the window's first, when known (it started at the
    /// newest and was cut or read on from there): the selection's place is then known.
    pub above: Option<usize>,
    /// Older items follow the window's last.
    pub older: bool,
    pub cursor: usize,
    /// The item opened with `Enter`.
    pub detail: Option<Detail>,
}

impl InboxView {
    pub fn selected(&self) -> Option<&InboxItem> {
        self.items.get(self.cursor)
    }
}

/// One item as the admin decides it: the profiles it names as read now, and the
/// resolutions that apply, in the order the list shows them.
#[derive(Debug, Clone)]
pub struct Detail {
    pub item: ItemDetail,
    pub choices: Vec<Choice>,
    pub cursor: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    pub how: Resolution,
}

/// A resolution confirmed in its dialog, with what the admin saw (the stale check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub id: ItemId,
    pub how: Resolution,
    pub seen: Seen,
}

/// Runs a confirmed resolution (from `confirm::execute`).
pub fn resolve(svc: &mut Service, d: &Decision) -> Result<Done, Error> {
    svc.resolve_item(d.id, d.how, Some(&d.seen))
}

/// Reads the inbox again after any change (the header count, and the view when open:
/// its items, and the opened item, which closes when it is settled).
pub fn reload(state: &mut State, svc: &mut Service) {
    // The counts come from the worker's counting thread, with the tab counts.
    state.counts_dirty = true;
    let Some(view) = state.inbox.view.as_mut() else {
        return;
    };
    let items = window::reread(view, svc);
    let detail = state
        .inbox
        .view
        .as_ref()
        .and_then(|v| v.detail.as_ref())
        .map(|d| (d.item.item.id, d.cursor));
    let detail = detail.and_then(|(id, cursor)| {
        svc.review_item(id).ok().map(|item| {
            let choices = choices(&item);
            Detail {
                cursor: cursor.min(choices.len().saturating_sub(1)),
                item,
                choices,
            }
        })
    });
    let Some(view) = state.inbox.view.as_mut() else {
        return;
    };
    match items {
        Ok(items) => {
            // The selection stays on its item, else at its place (the next one).
            let id = view.selected().map(|i| i.id);
            view.cursor = id
                .and_then(|id| items.iter().position(|i| i.id == id))
                .unwrap_or(view.cursor)
                .min(items.len().saturating_sub(1));
            view.items = items;
        }
        Err(e) => state.error(e.to_string()),
    }
    if let Some(view) = state.inbox.view.as_mut() {
        view.detail = detail;
    }
}

/// `5`: opens the inbox over the table (the pane and a merge pick close).
pub fn open(state: &mut State, svc: &mut Service) {
    state.pane = None;
    state.pick = None;
    state.filter.editing = false;
    state.inbox.view = Some(InboxView::default());
    reload(state, svc);
}

/// The keys of the inbox and of an opened item.
pub fn update(state: &mut State, svc: &mut Service, action: Action) {
    let Some(view) = state.inbox.view.as_mut() else {
        return;
    };
    if let Some(detail) = view.detail.as_mut() {
        let n = detail.choices.len();
        match action {
            Action::Down if n > 0 => detail.cursor = (detail.cursor + 1) % n,
            Action::Up if n > 0 => detail.cursor = (detail.cursor + n - 1) % n,
            Action::Choose => ask(state, svc, None),
            Action::Hotkey(c) => match c.to_digit(10) {
                Some(d) if d >= 1 && (d as usize) <= n => ask(state, svc, Some(d as usize - 1)),
                _ => state.info(format!(
                    "Choose a resolution with its digit (1-{n}) or {}; {} goes back.",
                    key(Scope::ReviewItem, Action::Choose),
                    key(Scope::ReviewItem, Action::Back)
                )),
            },
            Action::Back => view.detail = None,
            _ => {}
        }
        return;
    }
    let n = view.items.len();
    let page = state.height.saturating_sub(12).max(1) as usize;
    let moved: Option<Result<(), Error>> = match action {
        Action::Down => {
            view.cursor = (view.cursor + 1).min(n.saturating_sub(1));
            Some(Ok(()))
        }
        Action::Up => {
            view.cursor = view.cursor.saturating_sub(1);
            Some(Ok(()))
        }
        Action::PageDown => {
            view.cursor = (view.cursor + page).min(n.saturating_sub(1));
            Some(Ok(()))
        }
        Action::PageUp => {
            view.cursor = view.cursor.saturating_sub(page);
            Some(Ok(()))
        }
        Action::Top => Some(window::top(view, svc)),
        Action::Bottom => Some(window::bottom(view, svc)),
        _ => None,
    };
    if let Some(moved) = moved {
        // Then more of the inbox when the selection nears an end of what is held.
        if let Err(e) = moved.and_then(|()| window::follow(view, svc, page)) {
            state.error(e.to_string());
        }
        return;
    }
    match action {
        Action::NextTab | Action::PrevTab => {
            let at = KINDS.iter().position(|k| *k == view.kind).unwrap_or(0);
            let step = if action == Action::NextTab {
                1
            } else {
                KINDS.len() - 1
            };
            *view = InboxView {
                kind: KINDS[(at + step) % KINDS.len()],
                ..InboxView::default()
            };
            reload(state, svc);
        }
        Action::Open => open_item(state, svc),
        Action::Rescan => match state.inbox.scan {
            Scan::Idle => {
                state.inbox.scan = Scan::Asked;
                state.info("Looking for duplicates over the whole store, in the background…");
            }
            _ => state.info("The rescan is already running; its result shows here when done."),
        },
        Action::Undo => crate::tui::profile::ask_undo(state, svc),
        Action::Back => state.inbox.view = None,
        Action::Help => state.help = Some(0),
        _ => {}
    }
}

fn open_item(state: &mut State, svc: &mut Service) {
    let Some(id) = state
        .inbox
        .view
        .as_ref()
        .and_then(InboxView::selected)
        .map(|i| i.id)
    else {
        state.info(format!(
            "Nothing waits for a decision here{}.",
            match state.inbox.view.as_ref().and_then(|v| v.kind) {
                Some(k) => format!(" among the {} items", k.words()),
                None => String::new(),
            }
        ));
        return;
    };
    let Some(item) = report(svc.review_item(id), state, svc) else {
        return;
    };
    let choices = choices(&item);
    if let Some(view) = state.inbox.view.as_mut() {
        view.detail = Some(Detail {
            item,
            choices,
            cursor: 0,
        });
    }
}

/// The sentence's first letter in capitals ("The Pipedrive account…").
fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "Lena Berg (#6)".
fn who(p: &crate::domain::model::Profile) -> String {
    p.employee.label()
}

/// The resolutions of an item, as the list offers them (docs/review.md: which apply to
/// which kind).
pub fn choices(d: &ItemDetail) -> Vec<Choice> {
    let mut out = Vec::new();
    let link = |out: &mut Vec<Choice>| {
        for p in &d.profiles {
            out.push(Choice {
                label: format!("Link the account to {}", who(p)),
                how: Resolution::Link(p.employee.id),
            });
        }
        out.push(Choice {
            label: "Create a new profile for the account".into(),
            how: Resolution::Create,
        });
        out.push(Choice {
            label: "Ignore the account (until its email changes)".into(),
            how: Resolution::Ignore,
        });
    };
    match d.item.kind {
        Kind::Conflict => {
            link(&mut out);
            if d.profiles.len() > 1 {
                for p in &d.profiles {
                    out.push(Choice {
                        label: format!("Merge the profiles into {} and link it", who(p)),
                        how: Resolution::Merge(p.employee.id),
                    });
                }
            }
        }
        Kind::SameSystem => link(&mut out),
        Kind::Duplicate => {
            for p in &d.profiles {
                out.push(Choice {
                    label: format!("Merge them: keep {}", who(p)),
                    how: Resolution::Merge(p.employee.id),
                });
            }
            out.push(Choice {
                label: "Dismiss: they are different people".into(),
                how: Resolution::Dismiss,
            });
        }
        Kind::Pending => {
            out.push(Choice {
                label: "Activate it: a new person".into(),
                how: Resolution::Create,
            });
            for p in &d.partners {
                out.push(Choice {
                    label: format!("Merge it into {}", who(p)),
                    how: Resolution::Merge(p.employee.id),
                });
            }
            out.push(Choice {
                label: "Discard it (to Deactivated)".into(),
                how: Resolution::Ignore,
            });
        }
    }
    out
}

/// The confirmation of the chosen resolution (`at`: by its digit), Cancel selected.
fn ask(state: &mut State, svc: &mut Service, at: Option<usize>) {
    let Some(detail) = state.inbox.view.as_ref().and_then(|v| v.detail.as_ref()) else {
        return;
    };
    let Some(choice) = detail.choices.get(at.unwrap_or(detail.cursor)).cloned() else {
        return;
    };
    let d = detail.item.clone();
    let decision = Decision {
        id: d.item.id,
        how: choice.how,
        seen: d.seen(),
    };
    let undo = format!(
        "Undo ({}) in the inbox or the table takes it back and opens the item again.",
        key(Scope::Review, Action::Undo)
    );
    let account = d.item.account().map(view::account_words);
    let profile = |id: i64| {
        d.profiles
            .iter()
            .chain(&d.partners)
            .find(|p| p.employee.id == id)
    };
    // The billed seat an activation or a new profile adds (a profile with an account).
    let added = |has_account: bool| {
        if has_account {
            crate::tui::confirm::seats(state, 1)
        } else {
            String::new()
        }
    };
    let (title, mut body, label) = match (d.item.kind, choice.how) {
        (Kind::Pending, Resolution::Create) => (
            format!("Activate {}?", d.item.names.first().cloned().unwrap_or_default()),
            vec![
                "It leaves the Pending tab for Active: a new person, taken on as imported.".to_owned(),
                added(d.profiles.first().is_some_and(|p| !p.connections.is_empty())),
            ],
            "Activate",
        ),
        (Kind::Pending, Resolution::Ignore) => (
            "Discard the pending profile?".to_owned(),
            vec!["It leaves the Pending tab for Deactivated: the imported profile is not taken on. Its connections stay, so later imports keep updating it there.".to_owned()],
            "Discard",
        ),
        (_, Resolution::Link(id)) => (
            format!(
                "Link the account to {}?",
                profile(id).map(who).unwrap_or_default()
            ),
            vec![format!(
                "{} is connected to {} by hand (it does not manage the profile).",
                capital(account.as_deref().unwrap_or_default()),
                profile(id).map(who).unwrap_or_default()
            )],
            "Link",
        ),
        (_, Resolution::Create) => (
            "Create a new profile for the account?".to_owned(),
            vec![
                format!(
                    "A new active profile is created for {}, which manages it.",
                    account.clone().unwrap_or_default()
                ),
                added(true),
            ],
            "Create",
        ),
        (_, Resolution::Ignore) => (
            "Ignore the account?".to_owned(),
            vec![format!(
                "Imports leave {} alone while its email stays the one it has now; nothing is linked or created.",
                account.clone().unwrap_or_default()
            )],
            "Ignore",
        ),
        (_, Resolution::Dismiss) => (
            "Dismiss the suggestion?".to_owned(),
            vec![format!(
                "{} stay separate profiles, and this group is never suggested again.",
                crate::domain::duplicates::and_list(
                    &d.profiles.iter().map(who).collect::<Vec<_>>()
                )
            )],
            "Dismiss",
        ),
        (_, Resolution::Merge(keep)) => return ask_merge(state, svc, &d, keep, decision, undo),
    };
    body.retain(|line| !line.is_empty());
    body.push(undo);
    state.popup = Some(Popup::Dialog(Dialog::confirm(
        title,
        body,
        label,
        Intent::Review(Box::new(decision)),
    )));
}

/// A merge is asked with the merge preview (the first profile folded in, when several).
fn ask_merge(
    state: &mut State,
    svc: &mut Service,
    d: &ItemDetail,
    keep: i64,
    decision: Decision,
    undo: String,
) {
    let others: Vec<i64> = if d.item.kind == Kind::Pending {
        d.profiles.iter().map(|p| p.employee.id).collect()
    } else {
        d.profiles
            .iter()
            .map(|p| p.employee.id)
            .filter(|id| *id != keep)
            .collect()
    };
    let Some(first) = others.first() else {
        return;
    };
    let Some(preview) = report(svc.merge_preview(keep, *first), state, svc) else {
        return;
    };
    let k = preview.keep.employee.label();
    let folded: Vec<String> = others
        .iter()
        .filter_map(|id| {
            d.profiles
                .iter()
                .find(|p| p.employee.id == *id)
                .map(|p| p.employee.label())
        })
        .collect();
    let (is, its, they) = if folded.len() == 1 {
        ("is", "its", "it is")
    } else {
        ("are", "their", "they are")
    };
    let mut text = vec![format!(
        "{} {is} folded into {k}: {its} connections move to it; {they} deactivated and marked as merged into #{keep}.",
        crate::domain::duplicates::and_list(&folded),
    )];
    text.push(preview.management(crate::tui::profile::hand_over));
    if others.len() > 1 {
        text.push(format!(
            "The preview shows {} only; the others fold in the same way.",
            preview.other.employee.label()
        ));
    }
    if let Some(a) = d.item.account() {
        text.push(format!(
            "{} is then linked to {k}.",
            capital(&view::account_words(a))
        ));
    }
    // The folded profiles stop counting; the kept one counts when it is active with an
    // account afterwards (it may gain its first from them).
    let folded_tracked = others
        .iter()
        .filter_map(|id| d.profiles.iter().find(|p| p.employee.id == *id))
        .filter(|p| p.tracked())
        .count() as i64;
    let kept_after = preview.result.tracked()
        || (d.item.account().is_some()
            && preview.result.employee.status == crate::domain::model::Status::Active);
    let delta = i64::from(kept_after) - i64::from(preview.keep.tracked()) - folded_tracked;
    let seats = crate::tui::confirm::seats(state, delta);
    if !seats.is_empty() {
        text.push(seats);
    }
    text.push(undo);
    let button = Button::doing("Merge", Intent::Review(Box::new(decision)), Action::Confirm);
    state.popup = Some(Popup::Dialog(Dialog::with_buttons(
        format!("Merge into {k}?"),
        Body::Merge(Box::new(preview), text),
        vec![Button::cancel(), button],
    )));
}

#[cfg(test)]
mod tests;
