//! The edit pane: the blue managed banner, the profile's fields (or the edit form), the
//! connections, and who made the selected one, when and how.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};

use crate::domain::model::Connection;
use crate::tui::action::Action;
use crate::tui::keymap::{Scope, key};
use crate::tui::state::{Mode, Pane, State};
use crate::tui::text::{clean, fit, fit_middle, when, width, wrap};
use crate::tui::theme::Theme;
use crate::tui::view::layout::{PaneParts, connection_rows, pane_parts};

const LABEL: usize = 14;

/// The banner's sentences, when a system manages the profile.
pub fn banner_lines(pane: &Pane) -> Option<[String; 2]> {
    let m = pane.profile.managed_by()?;
    let system = clean(&m.system_name()).into_owned();
    Some([
        format!("Managed by {system}: name and profile picture are updated by {system}."),
        format!(
            "To edit them here, select the {system} connection, press {} and choose Manage manually.",
            key(Scope::Pane, Action::Open)
        ),
    ])
}

/// The banner's lines wrapped to the pane's inner width `w` (none when not managed).
pub fn banner_wrapped(pane: &Pane, w: usize) -> Vec<String> {
    banner_lines(pane)
        .map(|lines| {
            lines
                .iter()
                .flat_map(|l| wrap(l, w.saturating_sub(4)))
                .collect()
        })
        .unwrap_or_default()
}

pub fn render(state: &State, pane: &Pane, theme: &Theme, frame: &mut Frame, area: Rect) {
    let focused = matches!(state.mode(), Mode::Pane | Mode::Form) && state.popup.is_none();
    let e = &pane.profile.employee;
    let block = Block::bordered()
        .border_style(if focused {
            theme.border_focus()
        } else {
            theme.border()
        })
        .title(Line::styled(
            format!(
                " {} ",
                fit(&e.label(), area.width.saturating_sub(4) as usize)
            ),
            theme.bold(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;

    let banner = banner_wrapped(pane, w);
    let PaneParts {
        banner: banner_area,
        fields: fields_area,
        connections: conns_area,
        detail: detail_area,
        blocks: blocks_area,
    } = pane_parts(pane, inner, banner.len() as u16);
    if !banner.is_empty() {
        let lines: Vec<Line> = banner
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let text = format!(" {}{}", if i == 0 { "ℹ " } else { "  " }, l);
                let text = format!("{text:<w$}");
                Line::styled(text, theme.banner())
            })
            .collect();
        let r = Rect::new(
            banner_area.x,
            banner_area.y,
            banner_area.width,
            banner.len() as u16,
        );
        frame.render_widget(Paragraph::new(lines).style(theme.banner()), r);
    }

    match &pane.form {
        Some(form) => crate::tui::view::form::fields(form, theme, frame, fields_area, true),
        None => {
            let managed = pane
                .profile
                .managed_by()
                .map(|m| format!("  (set by {})", clean(&m.system_name())));
            let mut lines = vec![
                field(theme, "Name", &e.name, managed.as_deref(), w),
                field(theme, "Email", e.email.as_deref().unwrap_or("—"), None, w),
                field(
                    theme,
                    "Picture",
                    e.picture_url.as_deref().unwrap_or("—"),
                    managed.as_deref(),
                    w,
                ),
                field(
                    theme,
                    "Login access",
                    if e.login_access { "on" } else { "off" },
                    None,
                    w,
                ),
            ];
            let status = match e.merged_into {
                Some(into) => format!("{} (merged into #{into})", e.status),
                None => e.status.to_string(),
            };
            lines.push(field(theme, "Status", &status, None, w));
            lines.push(field(theme, "Created", &created(pane), None, w));
            frame.render_widget(Paragraph::new(lines), fields_area);
        }
    }

    connections(pane, theme, frame, conns_area);
    if let Some(c) = pane.selected() {
        let lines: Vec<Line> = wrap(&provenance(c), w)
            .into_iter()
            .take(detail_area.height as usize)
            .map(|l| Line::styled(l, theme.dim()))
            .collect();
        frame.render_widget(Paragraph::new(lines), detail_area);
    }
    blocks(pane, theme, frame, blocks_area);
}

/// "Blocked (1): b lifts one", then each account, who placed the block and when.
fn blocks(pane: &Pane, theme: &Theme, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let w = area.width as usize;
    let mut lines = vec![Line::styled(
        fit(
            &format!(
                "Blocked ({}): imports never link these here; {} lifts one",
                pane.blocks.len(),
                key(Scope::Pane, Action::Unblock)
            ),
            w,
        ),
        theme.bold(),
    )];
    for b in &pane.blocks {
        let text = format!(
            "{} {}{} by {} at {}",
            crate::domain::system::display_name(&b.system),
            b.external_id,
            b.email
                .as_deref()
                .map(|m| format!(" <{m}>"))
                .unwrap_or_default(),
            b.by.as_deref().unwrap_or("?"),
            b.at.as_deref().map(when).unwrap_or_else(|| "?".into())
        );
        lines.push(Line::raw(fit(&text, w)));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// When the profile was made, and by which import when one made it: where a pending
/// profile came from ("2024-05-01 09:30 by HubSpot import #4 of owners.json by alice").
pub fn created(pane: &Pane) -> String {
    let at = when(&pane.profile.employee.created_at);
    match &pane.origin {
        Some(run) => format!("{at} by {}", run.label()),
        None => at,
    }
}

fn field<'a>(theme: &Theme, label: &str, value: &str, note: Option<&str>, w: usize) -> Line<'a> {
    let note = note.unwrap_or("");
    let room = w.saturating_sub(LABEL + width(note));
    Line::from(vec![
        Span::styled(format!("{label:<LABEL$}"), theme.header()),
        Span::raw(fit(value, room.max(8))),
        Span::styled(note.to_owned(), theme.dim()),
    ])
}

/// "Linked by email jane@x by alice at 2024-05-01 12:00 (import-email)."
pub fn provenance(c: &Connection) -> String {
    use crate::domain::model::Origin;
    let how = match c.origin {
        Origin::ImportId => "Imported by ID".to_owned(),
        Origin::ImportEmail => format!(
            "Linked by email {}",
            c.matched_value.as_deref().unwrap_or("")
        ),
        Origin::ImportNew => "Created by an import".to_owned(),
        Origin::Moved => format!(
            "Moved here ({})",
            c.matched_value.as_deref().unwrap_or("from another profile")
        ),
        Origin::Manual => "Connected by hand".to_owned(),
        Origin::Merged => format!(
            "Merged in ({})",
            c.matched_value.as_deref().unwrap_or("from another profile")
        ),
    };
    let mut s = format!(
        "{} {}: {} by {} at {}. Account name: {}",
        c.system_name(),
        c.external_id,
        how.trim_end(),
        c.created_by,
        when(&c.created_at),
        c.name.as_deref().unwrap_or("—")
    );
    if !s.ends_with('.') {
        s.push('.');
    }
    if c.manages {
        s.push_str(" Manages this profile.");
    }
    s
}

/// The room an email keeps beside a full external ID.
const EMAIL_MIN: u16 = 12;

/// The External ID column: as wide as the longest ID when that leaves the email
/// `EMAIL_MIN` columns (a Salesforce ID is 18), else a share of the room, cut in the
/// middle (the selected connection's line under the table still shows it whole).
fn external_id_width(pane: &Pane, table_width: u16) -> Constraint {
    let longest = pane
        .profile
        .connections
        .iter()
        .map(|c| width(&clean(&c.external_id)))
        .max()
        .unwrap_or(0)
        .max("External ID".len()) as u16;
    // System, Managed and Origin, and the four spaces between the five columns.
    let fixed = 11 + 7 + 12 + 4;
    if table_width >= fixed + longest + EMAIL_MIN {
        Constraint::Length(longest)
    } else {
        Constraint::Fill(2)
    }
}

fn connections(pane: &Pane, theme: &Theme, frame: &mut Frame, area: Rect) {
    let n = pane.profile.connections.len();
    if area.height == 0 {
        return;
    }
    let title = Line::styled(
        format!(
            "Connections ({n}){}",
            if n == 0 {
                format!(
                    ": none yet ({} connects one)",
                    key(Scope::Pane, Action::Connect)
                )
            } else {
                String::new()
            }
        ),
        theme.bold(),
    );
    frame.render_widget(title, Rect::new(area.x, area.y, area.width, 1));
    if n == 0 || area.height < 3 {
        return;
    }
    let table_area = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    let (_, first) = connection_rows(pane, area);
    let widths = Layout::horizontal([
        Constraint::Length(11),
        external_id_width(pane, table_area.width),
        Constraint::Fill(3),
        Constraint::Length(7),
        Constraint::Length(12),
    ])
    .spacing(1)
    .split(Rect::new(0, 0, table_area.width, 1));
    let w: Vec<usize> = widths.iter().map(|r| r.width as usize).collect();
    let header = Row::new(
        ["System", "External ID", "Email", "Managed", "Origin"]
            .iter()
            .zip(&w)
            .map(|(t, w)| Cell::from(fit(t, *w))),
    )
    .style(theme.header());
    let rows = pane
        .profile
        .connections
        .iter()
        .enumerate()
        .skip(first)
        .take((table_area.height as usize).saturating_sub(1).max(1))
        .map(|(i, c)| {
            let cells = [
                c.system_name(),
                c.external_id.clone(),
                c.email.clone().unwrap_or_default(),
                if c.manages { "yes" } else { "" }.to_owned(),
                c.origin.words().to_owned(),
            ];
            let row = Row::new(cells.iter().zip(&w).enumerate().map(|(col, (v, w))| {
                // External IDs differ at their end.
                Cell::from(if col == 1 {
                    fit_middle(v, *w)
                } else {
                    fit(v, *w)
                })
            }));
            if i == pane.cursor {
                row.style(theme.selected())
            } else {
                row
            }
        });
    let table = Table::new(rows, w.iter().map(|w| Constraint::Length(*w as u16)))
        .header(header)
        .column_spacing(1);
    frame.render_widget(table, table_area);
}
