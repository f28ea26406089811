//! The employees table: moving, tabs, the filter, and the actions on the selected row.
//! The rows it holds and the reads that bring more are `rows.rs` (over `list.rs`); it
//! is drawn by `view.rs`.

pub mod list;
pub mod rows;
pub mod view;

use crate::domain::listing::{Page, SORT_LIMIT, Tab};
use crate::domain::model::Profile;
use crate::service::Service;
use crate::tui::action::Action;
use crate::tui::refresh::report;
use crate::tui::state::State;
use crate::tui::{import, pane, profile};
use rows::ScanGoal;

/// Runs a move of the list against the current view.
fn list_move(state: &mut State, svc: &mut Service, action: Action) {
    let height = state.table_height();
    let view = state.view();
    let h = height as isize;
    let rows = &mut state.rows;
    if view.filtered() {
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

/// `J` / `K` in the pane: moves the table's selection and opens the pane on the row now
/// selected (master–detail), keeping the pane's place when the row is the same.
pub fn follow(state: &mut State, svc: &mut Service, action: Action) {
    let before = state.rows.list.selected().map(|r| r.id);
    list_move(
        state,
        svc,
        if action == Action::NextProfile {
            Action::Down
        } else {
            Action::Up
        },
    );
    let Some(id) = state.rows.list.selected().map(|r| r.id) else {
        return;
    };
    if Some(id) == before {
        state.info("There is no other row that way in the table.");
        return;
    }
    if let Some(p) = crate::tui::refresh::report(svc.profile(id), state, svc) {
        state.pane = Some(crate::tui::refresh::open_pane(svc, p));
    }
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
            place(state);
            state.want_rows();
        }
        _ => show_first(state, svc),
    }
}

/// The deepest position counted when the table is placed around a row (a cleared
/// filter, a jump): counting walks the index, about a millisecond per 10,000 rows;
/// deeper, the position reads "…" until `g` or `G` (README "Choices").
pub const RANK_CAP: u64 = 100_000;

/// After the list was placed around a row of a plain view: its position is to be
/// counted, off the screen's thread (`State::take_rank` numbers the rows once known).
fn place(state: &mut State) {
    let view = state.view();
    if view.filtered() {
        return;
    }
    state.rank_wanted = state.rows.list.selected().map(|r| (view, r.key()));
}

/// `#11` or `:11` typed as the filter: profile 11, wherever it is.
pub fn jump_target(text: &str) -> Option<i64> {
    let t = text.trim();
    let digits = t.strip_prefix('#').or_else(|| t.strip_prefix(':'))?;
    digits.parse().ok().filter(|id: &i64| *id > 0)
}

/// Shows profile `id` selected on its tab (its status's), the filter cleared.
pub fn jump(state: &mut State, svc: &mut Service, id: i64) {
    let Some(found) = report(svc.row(id, state.sort_of(Tab::All)), state, svc) else {
        return;
    };
    let Some(row) = found else {
        state.error(format!("There is no profile #{id}."));
        return;
    };
    let tab = Tab::of(row.status);
    // The row's key in its own tab's order.
    let row = match state.sort_of(tab) {
        s if s == state.sort_of(Tab::All) => row,
        s => match report(svc.row(id, s), state, svc) {
            Some(Some(row)) => row,
            _ => return,
        },
    };
    state.filter.input.reset();
    state.tab = tab;
    state.rows.scan = None;
    state.rows.pending = 0;
    state.rows.filter_dirty = false;
    let label = format!("{} (#{id})", crate::domain::sanitize::sanitize(&row.name));
    let height = state.table_height();
    let view = state.view();
    let result =
        state
            .rows
            .list
            .around(&mut |p: &Page, n: usize| svc.page(&view, p, n), row, height);
    report(result, state, svc);
    place(state);
    state.want_rows();
    state.info(format!("{label} is on the {} tab.", tab.title()));
}

/// `s`: the next column to sort by, in a tab small enough for it; in a bigger one the
/// order stays by name and the status line says why (README "Sorting").
fn sort(state: &mut State, svc: &mut Service) {
    let n = state.counts.of(state.tab);
    if !state.counts_known || n > SORT_LIMIT {
        state.info(format!(
            "Only the name sorts a tab of more than {} profiles (this one has {}): narrow it first, e.g. the Pending or Deactivated tab.",
            crate::tui::text::thousands(SORT_LIMIT),
            crate::tui::text::thousands(n)
        ));
        return;
    }
    state.sort = state.sort.next();
    show_first(state, svc);
    state.info(format!("Sorted by {}.", state.sort.title()));
}

fn switch_tab(state: &mut State, svc: &mut Service, tab: Tab) {
    if state.tab != tab {
        state.tab = tab;
        show_first(state, svc);
    }
}

fn tab_index(tab: Tab) -> usize {
    Tab::SHOWN.iter().position(|t| *t == tab).unwrap_or(0)
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
        Action::Tab(i) => switch_tab(state, svc, Tab::SHOWN[(i as usize).min(4)]),
        Action::NextTab => {
            let n = Tab::SHOWN.len();
            let i = (tab_index(state.tab) + 1) % n;
            switch_tab(state, svc, Tab::SHOWN[i]);
        }
        Action::PrevTab => {
            let n = Tab::SHOWN.len();
            let i = (tab_index(state.tab) + n - 1) % n;
            switch_tab(state, svc, Tab::SHOWN[i]);
        }
        Action::Sort => sort(state, svc),
        Action::Filter => {
            state.filter.editing = true;
            // What `supplier:` and `managed:` may name (a few index look-ups).
            if let Some(systems) = report(svc.held_systems(), state, svc) {
                state.filter.systems = systems;
            }
        }
        Action::Help => state.help = Some(0),
        Action::Back if state.pick.is_some() => {
            state.pick = None;
            state.info("Merge cancelled; nothing was changed.");
        }
        Action::Back if !state.marks.is_empty() => {
            let n = state.marks.len();
            state.marks.clear();
            let marks = if n == 1 { "mark" } else { "marks" };
            state.info(format!("{n} {marks} cleared; nothing was changed."));
        }
        Action::Back => {
            if state.filter.text().is_some() {
                clear_filter(state, svc);
            }
            state.status = None;
        }
        Action::Choose if state.pick.is_some() => profile::pick(state, svc),
        Action::Open => {
            if let Some(p) = selected_profile(state, svc) {
                state.pane = Some(crate::tui::refresh::open_pane(svc, p));
            }
        }
        Action::New => profile::open_new_form(state),
        Action::Edit => {
            if let Some(p) = selected_profile(state, svc) {
                state.pane = Some(crate::tui::refresh::open_pane(svc, p));
                pane::open_edit_form(state);
            }
        }
        Action::Connect | Action::Merge | Action::History => {
            if let Some(p) = selected_profile(state, svc) {
                profile::profile_action(state, svc, action, p);
            }
        }
        Action::Mark if crate::tui::marks::toggle(state) => {
            list_move(state, svc, Action::Down);
        }
        Action::Activate | Action::Deactivate | Action::Discard if !state.marks.is_empty() => {
            crate::tui::marks::ask(state, action);
        }
        Action::Activate | Action::Deactivate | Action::Discard => {
            if let Some(row) = state.rows.list.selected() {
                let (id, version, status, name) =
                    (row.id, row.version, row.status, row.name.clone());
                profile::status_action(state, svc, action, id, version, status, &name);
            } else {
                state.info("There is no employee here: switch tabs or change the filter.");
            }
        }
        Action::Undo => profile::ask_undo(state, svc),
        Action::Import => import::open_form(state),
        Action::Review => crate::tui::review::open(state, svc),
        Action::Yank | Action::YankEmail => {
            let Some(row) = state.rows.list.selected().cloned() else {
                state.info("There is no employee here: switch tabs or change the filter.");
                return;
            };
            let label = format!(
                "{} (#{})",
                crate::domain::sanitize::sanitize(&row.name),
                row.id
            );
            match (action, row.email) {
                (Action::Yank, _) => {
                    crate::tui::yank::copy(state, &format!("the ID of {label}"), row.id.to_string())
                }
                (_, Some(email)) => {
                    crate::tui::yank::copy(state, &format!("the email of {label}"), email)
                }
                (_, None) => state.info(format!("{label} has no email to copy.")),
            }
        }
        Action::Pull => crate::tui::pull::open_form(state, svc),
        Action::ToggleIds => {
            state.show_ids = !state.show_ids;
            state.info(if state.show_ids {
                "The table shows each profile's ID (#11 in the filter jumps to one)."
            } else {
                "The ID column is hidden."
            });
        }
        _ => {}
    }
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
        Action::FilterKeep => {
            state.filter.editing = false;
            if let Some(id) = jump_target(state.filter.input.value()) {
                jump(state, svc, id);
            } else if let Err(why) = state.filter.parsed() {
                state.error(why);
            }
        }
        Action::Back => {
            state.filter.editing = false;
            clear_filter(state, svc);
        }
        _ => {}
    }
}
