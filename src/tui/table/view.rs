//! The employees table: only the visible rows, each cell cleaned and cut to its column.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Row, Table};

use crate::domain::listing::{ListRow, Tab};
use crate::domain::system::{display_name, suppliers_column};
use crate::service::imports::{CreatedSpan, span_of};
use crate::tui::action::Action;
use crate::tui::keymap::{Scope, key};
use crate::tui::state::{Mode, State};
use crate::tui::text::{clean, fit, thousands, when, width};
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Id,
    Name,
    Email,
    Login,
    Status,
    Suppliers,
    ManagedBy,
    /// The Pending tab's: the import that created the profile, and when.
    CameFrom,
}

impl Col {
    fn title(self) -> &'static str {
        match self {
            Col::Id => "ID",
            Col::Name => "Name",
            Col::Email => "Email",
            Col::Login => "Login",
            Col::Status => "Status",
            Col::Suppliers => "Data suppliers",
            Col::ManagedBy => "Managed by",
            Col::CameFrom => "Came from",
        }
    }

    fn cell(self, row: &ListRow, from: &CameFrom) -> String {
        match self {
            Col::CameFrom => from.cell(row),
            Col::Id => row.id.to_string(),
            Col::Name => row.name.clone(),
            Col::Email => row.email.clone().unwrap_or_default(),
            Col::Login => if row.login_access { "on" } else { "off" }.into(),
            Col::Status => row.status.as_str().into(),
            Col::Suppliers => suppliers_column(row.suppliers.iter().map(String::as_str)),
            Col::ManagedBy => row
                .managed_by
                .as_ref()
                .map(|k| display_name(&k.system))
                .unwrap_or_else(|| MANUAL.to_owned()),
        }
    }
}

/// The Pending tab's Came from: the import that created each row, from the runs' id
/// ranges; with the time on a wide table ("HubSpot #4 05-01 09:30"), else the day.
struct CameFrom<'a> {
    spans: &'a [CreatedSpan],
    with_time: bool,
}

impl CameFrom<'_> {
    fn cell(&self, row: &ListRow) -> String {
        match span_of(self.spans, row.id) {
            Some(s) => {
                let at = when(&s.at);
                // "05-01 09:30": the year is this one's, nearly always, for a pending profile.
                let day_time = at.get(5..).unwrap_or(&at);
                let shown = if self.with_time {
                    day_time
                } else {
                    day_time.get(..5).unwrap_or(day_time)
                };
                format!("{} #{} {shown}", display_name(&s.system), s.run)
            }
            None => "by hand".into(),
        }
    }
}

/// Tables this wide and wider show the time in Came from.
const CAME_FROM_TIME_WIDTH: u16 = 100;

/// "Managed by" of a profile that no system manages (README "Glossary").
const MANUAL: &str = "manual";

/// The columns that fit `width`, with their widths in columns; `id_width`: the ID
/// column's (the widest id shown), when it is on.
/// On the Pending tab the Status column (pending, every row) gives way to Came from,
/// `came_from` wide (the widest cell shown).
fn columns(width: u16, id_width: Option<u16>, came_from: Option<u16>) -> Vec<(Col, u16)> {
    let mut spec: Vec<(Col, Constraint)> = if width >= 70 {
        vec![
            (Col::Name, Constraint::Fill(3)),
            (Col::Email, Constraint::Fill(4)),
            (Col::Login, Constraint::Length(5)),
            match came_from {
                Some(w) => (Col::CameFrom, Constraint::Length(w)),
                None => (Col::Status, Constraint::Length(11)),
            },
            (Col::Suppliers, Constraint::Fill(3)),
            (Col::ManagedBy, Constraint::Length(10)),
        ]
    } else {
        vec![
            (Col::Name, Constraint::Fill(3)),
            (Col::Suppliers, Constraint::Fill(2)),
        ]
    };
    if let Some(w) = id_width {
        spec.insert(0, (Col::Id, Constraint::Length(w)));
    }
    let rects = Layout::horizontal(spec.iter().map(|(_, c)| *c))
        .spacing(1)
        .split(Rect::new(0, 0, width, 1));
    spec.iter()
        .zip(rects.iter())
        .map(|((col, _), r)| (*col, r.width))
        .collect()
}

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect, focused: bool) {
    let mode = state.mode();
    let sort = state.sort_of(state.tab);
    let sorted = if sort == crate::domain::listing::SortBy::Name {
        String::new()
    } else {
        format!("· by {} ", sort.title())
    };
    let mut title = vec![Span::styled(
        format!(" {} {sorted}", state.tab.title()),
        theme.bold(),
    )];
    let mut cursor = None;
    if let Some(pick) = &state.pick {
        title.push(Span::styled(
            format!(
                " Merge into {}: pick the profile to fold in ",
                pick.keep.employee.label()
            ),
            theme.warning(),
        ));
    }
    let filter = state.filter.input.value();
    if state.filter.editing || !filter.is_empty() {
        let shown = fit(filter, (area.width as usize).saturating_sub(30).max(8));
        title.push(Span::raw(" /"));
        if state.filter.editing && mode == Mode::Filter {
            // Block titles start one column in, after the corner.
            let before: usize = title.iter().map(|s| width(&s.content)).sum();
            let typed: String = filter.chars().take(state.filter.input.cursor()).collect();
            let x = area.x + 1 + (before + width(&clean(&typed))) as u16;
            cursor = Some(Position::new(x.min(area.right().saturating_sub(2)), area.y));
        }
        title.push(Span::styled(
            shown,
            if state.filter.editing {
                theme.input()
            } else {
                theme.bold()
            },
        ));
        title.push(Span::raw(" "));
    }
    if state.searching() {
        let found = state
            .rows
            .scan
            .as_ref()
            .filter(|s| s.goal != super::rows::ScanGoal::More)
            .map(|s| format!(" {} found", thousands(s.found)))
            .unwrap_or_default();
        title.push(Span::styled(
            format!(" searching…{found} "),
            theme.warning(),
        ));
    }
    // The worker's count of this filter's matches on the tab, once it is in.
    let matched = state
        .matches
        .filter(|_| state.matches_for.as_ref() == Some(&state.view().on(Tab::All)))
        .map(|m| m.of(state.tab));
    let position = match (state.rows.list.position(), state.rows.list.selected()) {
        (_, None) => " no rows ".to_owned(),
        (Some(p), Some(_)) if state.filter.text().is_none() && !state.counts_known => {
            format!(" {} of … ", thousands(p + 1))
        }
        (Some(p), Some(_)) if state.filter.text().is_none() => format!(
            " {} of {} ",
            thousands(p + 1),
            thousands(state.counts.of(state.tab))
        ),
        // Every match is held once the scan has reached both ends: their number is known.
        (Some(p), Some(_))
            if state.rows.list.at_start
                && state.rows.list.at_end
                && !state.searching()
                && !state.rows.filter_dirty
                && !state.rows.refresh_dirty =>
        {
            format!(
                " {} of {} · filtered ",
                thousands(p + 1),
                thousands(state.rows.list.rows.len() as u64)
            )
        }
        (Some(p), Some(_)) if matched.is_some() => format!(
            " {} of {} · filtered ",
            thousands(p + 1),
            thousands(matched.unwrap_or_default())
        ),
        (Some(p), Some(_)) => format!(" {} · filtered ", thousands(p + 1)),
        (None, Some(_)) if state.filter.text().is_none() => {
            format!(" … of {} ", thousands(state.counts.of(state.tab)))
        }
        (None, Some(_)) => " filtered ".to_owned(),
    };
    let block = Block::bordered()
        .border_style(if focused {
            theme.border_focus()
        } else {
            theme.border()
        })
        .title(Line::from(title))
        .title_bottom(Line::from(position).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let height = state.table_height();
    let visible = state.rows.list.visible(height);
    // Ids are never cut: the column is as wide as the widest one shown.
    let id_width = state.show_ids.then(|| {
        visible
            .iter()
            .map(|r| r.id.to_string().len() as u16)
            .max()
            .unwrap_or(0)
            .max(2)
    });
    let from = CameFrom {
        spans: &state.created_spans,
        with_time: inner.width >= CAME_FROM_TIME_WIDTH,
    };
    let came_from = (state.tab == Tab::Pending).then(|| {
        visible
            .iter()
            .map(|r| width(&from.cell(r)) as u16)
            .max()
            .unwrap_or(0)
            .clamp(Col::CameFrom.title().len() as u16, 28)
    });
    let cols = columns(inner.width, id_width, came_from);
    let header = Row::new(
        cols.iter()
            .map(|(c, w)| Cell::from(fit(c.title(), *w as usize))),
    )
    .style(theme.header());
    let selected = state.rows.list.cursor.checked_sub(state.rows.list.top);
    let rows = visible.iter().enumerate().map(|(i, r)| {
        let marked = state.marks.contains_key(&r.id);
        let row = Row::new(cols.iter().map(|(c, w)| {
            let text = match (c, marked) {
                (Col::Name, true) => format!("\u{25cf} {}", c.cell(r, &from)),
                _ => c.cell(r, &from),
            };
            match c {
                Col::Id => Cell::from(format!("{text:>w$}", w = *w as usize)),
                _ => Cell::from(fit(&text, *w as usize)),
            }
        }));
        if Some(i) == selected {
            row.style(theme.selected())
        } else {
            row
        }
    });
    let table = Table::new(rows, cols.iter().map(|(_, w)| Constraint::Length(*w)))
        .header(header)
        .column_spacing(1);
    frame.render_widget(table, inner);
    if visible.is_empty() {
        let msg = if state.searching() {
            "Searching…".to_owned()
        } else if let Err(why) = state.filter.parsed() {
            why
        } else if let Some(id) = state
            .filter
            .text()
            .and_then(|t| super::jump_target(&t))
            .filter(|_| state.filter.editing)
        {
            // `#11` is not a search: it jumps, on Enter, to whatever tab holds #11.
            format!(
                "{} jumps to profile #{id}, on whatever tab it is.",
                key(Scope::Filter, Action::FilterKeep)
            )
        } else if state.filter.text().is_some() {
            format!(
                "No employee matches the filter ({} clears it).",
                key(Scope::Table, Action::Back)
            )
        } else {
            "No employee on this tab.".to_owned()
        };
        if inner.height > 1 {
            let r = Rect::new(inner.x + 1, inner.y + 1, inner.width.saturating_sub(2), 1);
            frame.render_widget(Line::styled(fit(&msg, r.width as usize), theme.dim()), r);
        }
    }
    if let Some(c) = cursor {
        frame.set_cursor_position(c);
    }
}
