//! Where each part of the screen goes, as functions of the state and the frame's size.
//! The view draws into these rectangles and the mouse (`tui::mouse`) reads clicks
//! against the same ones, so the two cannot disagree.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Block;

use super::popup::centered;
use crate::domain::listing::Tab;
use crate::tui::connection::Menu;
use crate::tui::state::{Pane, State};
use crate::tui::text::{thousands, width};

/// The four bands of the screen, top to bottom.
pub struct Screen {
    /// The tabs.
    pub top: Rect,
    /// The table and the pane, under menus and dialogs.
    pub body: Rect,
    pub status: Rect,
    pub foot: Rect,
}

pub fn screen(area: Rect) -> Screen {
    let [top, body, status, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Screen {
        top,
        body,
        status,
        foot,
    }
}

/// The table's and the pane's rectangles in `body`: the pane beside the table on a wide
/// terminal, over it on a narrow one.
pub fn body_parts(state: &State, body: Rect) -> (Option<Rect>, Option<Rect>) {
    match &state.pane {
        Some(_) if state.side_by_side() => {
            let [left, right] =
                Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)])
                    .areas(body);
            (Some(left), Some(right))
        }
        Some(_) => (None, Some(body)),
        None => (Some(body), None),
    }
}

/// The first data row of the table drawn in `area` (inside the border, under the
/// column titles), and how many rows fit.
pub fn table_rows(area: Rect) -> Rect {
    let inner = Block::bordered().inner(area);
    Rect::new(
        inner.x,
        inner.y.saturating_add(1),
        inner.width,
        inner.height.saturating_sub(1),
    )
}

/// Each tab's label in the top line, in `Tab::SHOWN` order: its count, or while a
/// filter is on how many of its rows the filter lets through (the billed Tracked count
/// stays beside it).
pub fn tab_labels(state: &State) -> Vec<String> {
    // The labels as they fit beside the review count: whole, then without "billed", then
    // with the tabs' short names (80 columns hold the whole ones only at small counts).
    let review = width(&crate::tui::review::view::header_label(&state.inbox));
    let mut labels = Vec::new();
    for form in [Form::Whole, Form::Unbilled, Form::Short, Form::Tiny] {
        labels = labels_in(state, form);
        let used: usize = labels.iter().map(|l| width(l)).sum::<usize>()
            + labels.len() * TAB_SEPARATOR as usize
            + review;
        if used <= state.width as usize {
            break;
        }
    }
    labels
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Whole,
    Unbilled,
    Short,
    /// Short names and counts in thousands or millions (229k, 1.2M).
    Tiny,
}

/// A count in a few characters: 9,999 then 229k then 1.2M.
fn tiny(n: u64) -> String {
    match n {
        0..=9_999 => thousands(n),
        10_000..=999_999 => format!("{}k", n / 1_000),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

fn labels_in(state: &State, form: Form) -> Vec<String> {
    // `#11` is a jump, not a search: the tabs keep their totals while it is typed.
    let filtered = state
        .filter
        .text()
        .is_some_and(|t| crate::tui::table::jump_target(&t).is_none());
    let number = if form == Form::Tiny { tiny } else { thousands };
    let shown = |n: Option<u64>| n.map(number).unwrap_or_else(|| "…".to_owned());
    Tab::SHOWN
        .iter()
        .map(|tab| {
            let total = shown(state.counts_known.then(|| state.counts.of(*tab)));
            let count = if filtered {
                shown(state.matches.map(|m| m.of(*tab)))
            } else {
                total.clone()
            };
            let title = match (form, *tab) {
                (Form::Short | Form::Tiny, Tab::Active) => "Act",
                (Form::Short | Form::Tiny, Tab::Pending) => "Pend",
                (Form::Short | Form::Tiny, Tab::Deactivated) => "Deact",
                (Form::Short | Form::Tiny, Tab::Tracked) => "Track",
                _ => tab.title(),
            };
            match (*tab, filtered, form) {
                (Tab::Tracked, false, Form::Whole) => format!(" {title} {count} billed "),
                (Tab::Tracked, true, Form::Whole) => format!(" {title} {count} ({total} billed) "),
                (Tab::Tracked, true, _) => format!(" {title} {count} ({total}) "),
                _ => format!(" {title} {count} "),
            }
        })
        .collect()
}

/// The width of the separator between two tab labels.
pub const TAB_SEPARATOR: u16 = 1;

/// The columns `[start, end)` of each tab's label in the top line.
pub fn tab_spans(state: &State) -> Vec<(u16, u16)> {
    let mut x = 0u16;
    let mut out = Vec::new();
    for (i, label) in tab_labels(state).iter().enumerate() {
        if i > 0 {
            x = x.saturating_add(TAB_SEPARATOR);
        }
        let end = x.saturating_add(width(label) as u16);
        out.push((x, end));
        x = end;
    }
    out
}

/// The menu's box, centred in the body.
pub fn menu_area(menu: &Menu, body: Rect) -> Rect {
    let widest = menu
        .items
        .iter()
        .map(|i| width(&i.label) + 6)
        .max()
        .unwrap_or(10)
        .max(width(&menu.title) + 4);
    let body = super::popup::room(body);
    let w = (widest as u16 + 4).min(body.width);
    let h = menu.items.len() as u16 + 2;
    centered(body, w, h)
}

/// The parts of the edit pane inside its border.
pub struct PaneParts {
    pub banner: Rect,
    pub fields: Rect,
    /// The "Connections (n)" title, then the connections table with its column titles.
    pub connections: Rect,
    /// The selected connection's provenance.
    pub detail: Rect,
    /// The accounts blocked from the profile (a title line, then one line each).
    pub blocks: Rect,
}

pub const PANE_FIELDS_ROWS: u16 = 7;

/// `banner_rows`: the banner's wrapped lines (0 when the profile is not managed).
pub fn pane_parts(pane: &Pane, inner: Rect, banner_rows: u16) -> PaneParts {
    let banner_h = if banner_rows == 0 { 0 } else { banner_rows + 1 };
    // The connections get the room they need first; the selected one's provenance
    // takes what is left, up to three lines.
    let room = inner.height.saturating_sub(banner_h + PANE_FIELDS_ROWS);
    let conns_h = (pane.profile.connections.len().max(1) as u16 + 2).min(room.saturating_sub(1));
    let detail_h = room.saturating_sub(conns_h).min(3);
    let blocks_h = if pane.blocks.is_empty() {
        0
    } else {
        (pane.blocks.len() as u16 + 1).min(room.saturating_sub(conns_h + detail_h))
    };
    let [banner, fields, connections, detail, blocks, _] = Layout::vertical([
        Constraint::Length(banner_h),
        Constraint::Length(PANE_FIELDS_ROWS),
        Constraint::Length(conns_h),
        Constraint::Length(detail_h),
        Constraint::Length(blocks_h),
        Constraint::Fill(1),
    ])
    .areas(inner);
    PaneParts {
        banner,
        fields,
        connections,
        detail,
        blocks,
    }
}

/// The rows of the connections table in `connections` (under its title and column
/// titles), and the index of the first connection shown: the selected one stays in view.
pub fn connection_rows(pane: &Pane, connections: Rect) -> (Rect, usize) {
    let rows = Rect::new(
        connections.x,
        connections.y.saturating_add(2),
        connections.width,
        connections.height.saturating_sub(2),
    );
    let room = (rows.height as usize).max(1);
    (rows, pane.cursor.saturating_sub(room - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::listing::Counts;
    use crate::service::review::InboxCounts;

    /// The demo's counts at 80 columns, with and without a filter: the review count
    /// always fits beside the tabs (it fell off the edge with the All tab's label).
    #[test]
    fn the_tabs_leave_room_for_the_review_count_at_80_columns() {
        for (cols, filtered) in [(80, false), (80, true), (120, false), (120, true)] {
            let mut state = State::new(cols, 24, false);
            state.counts = Counts {
                active: 229_000,
                pending: 19_000,
                deactivated: 12_000,
                tracked: 229_000,
            };
            state.counts_known = true;
            state.inbox.counts = Some(InboxCounts {
                conflict: 1_000,
                same_system: 1,
                duplicate: 1,
                pending: 19_000,
            });
            if filtered {
                state.filter.input = tui_input::Input::new("lena".to_owned());
                state.matches = Some(Counts {
                    active: 2,
                    pending: 0,
                    deactivated: 0,
                    tracked: 2,
                });
            }
            let labels = tab_labels(&state);
            let review = crate::tui::review::view::header_label(&state.inbox);
            let used: usize = labels.iter().map(|l| width(l) + 1).sum::<usize>() + width(&review);
            assert!(
                used <= cols as usize,
                "{cols} {filtered}: {labels:?} {review}"
            );
            let tracked = &labels[3];
            assert_eq!(
                tracked.contains("billed"),
                cols == 120,
                "{cols}: the whole labels where they fit: {tracked}"
            );
        }
    }
}
