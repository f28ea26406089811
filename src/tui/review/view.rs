//! The review inbox drawn in the body: the kinds with their counts, the items newest
//! first with the selected one's sentence under them; an opened item as its account and
//! candidates side by side over its resolutions. Every string from data goes through
//! `fit`/`wrap` (cleaned, cut by columns).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{Detail, Inbox, InboxView, KINDS, Scan};
use crate::domain::model::Profile;
use crate::domain::review::{InboxItem, ItemAccount, Kind};
use crate::domain::system::display_name;
use crate::tui::text::{clean, fit, thousands, when, width, wrap};
use crate::tui::theme::Theme;

/// "the Pipedrive account 13065 (lena.berg@northwind.example)", cleaned.
pub fn account_words(a: &ItemAccount) -> String {
    let mut s = format!(
        "the {} account {}",
        clean(&display_name(&a.system)),
        clean(&a.external_id)
    );
    if let Some(e) = &a.email {
        s.push_str(&format!(" ({})", clean(e)));
    }
    s
}

/// The header's words for the inbox: " Review 22 " (… until counted).
pub fn header_label(inbox: &Inbox) -> String {
    match &inbox.counts {
        Some(c) => format!(" Review {} ", thousands(c.total())),
        None => " Review … ".to_owned(),
    }
}

fn kind_title(kind: Option<Kind>) -> &'static str {
    match kind {
        None => "All",
        Some(Kind::Conflict) => "Conflicts",
        Some(Kind::SameSystem) => "Same system",
        Some(Kind::Duplicate) => "Duplicates",
        Some(Kind::Pending) => "Pending",
    }
}

pub fn render(inbox: &Inbox, view: &InboxView, theme: &Theme, frame: &mut Frame, area: Rect) {
    match &view.detail {
        Some(d) => detail(d, theme, frame, area),
        None => list(inbox, view, theme, frame, area),
    }
}

fn list(inbox: &Inbox, view: &InboxView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut title = vec![Span::styled(" Review inbox ", theme.bold())];
    if inbox.scan != Scan::Idle {
        title.push(Span::styled(" looking for duplicates… ", theme.warning()));
    }
    let block = Block::bordered()
        .border_style(theme.border_focus())
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    let w = inner.width as usize;
    let [kinds, head, rows, sep, reason] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(4),
    ])
    .areas(inner);

    // The kinds, each with its count; the one shown stands out.
    let mut spans = Vec::new();
    for (i, k) in KINDS.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", theme.dim()));
        }
        let n = inbox.counts.map(|c| match k {
            Some(k) => c.of(*k),
            None => c.total(),
        });
        let label = format!(
            "{}{} {} ",
            if i == 0 { "" } else { " " },
            kind_title(*k),
            n.map_or_else(|| "…".to_owned(), thousands)
        );
        let style = if *k == view.kind {
            theme.tab_current()
        } else {
            theme.normal()
        };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), kinds);

    let (id_w, kind_w, when_w) = (6usize, 11usize, 16usize);
    let about_w = w.saturating_sub(id_w + kind_w + when_w + 3);
    let row = |id: &str, kind: &str, at: &str, about: &str| {
        format!(
            "{:<id_w$} {:<kind_w$} {:<when_w$} {}",
            fit(id, id_w),
            fit(kind, kind_w),
            fit(at, when_w),
            fit(about, about_w)
        )
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            row("Item", "Kind", "Raised", "About"),
            theme.header(),
        )),
        head,
    );
    let height = rows.height as usize;
    if view.items.is_empty() {
        let text = match view.kind {
            None => "The review inbox is empty: nothing waits for a decision.".to_owned(),
            Some(k) => format!("No open {} item.", k.words()),
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme.dim())), rows);
    } else {
        let first = view.cursor.saturating_sub(height.saturating_sub(1));
        let lines: Vec<Line> = view
            .items
            .iter()
            .enumerate()
            .skip(first)
            .take(height)
            .map(|(i, item)| {
                let text = row(
                    &item.id.to_string(),
                    item.kind.words(),
                    &when(&item.raised_at),
                    &about(item),
                );
                if i == view.cursor {
                    Line::styled(format!("{text:<w$}"), theme.selected())
                } else {
                    Line::raw(text)
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), rows);
    }
    let total = inbox
        .counts
        .map(|c| match view.kind {
            Some(k) => c.of(k),
            None => c.total(),
        })
        .unwrap_or(0);
    // Where the selection is, as the table says it; a window in the middle of a long
    // inbox does not know its place, and says how much of it is held instead.
    let held = match super::window::position(view, total) {
        _ if view.items.is_empty() => String::new(),
        Some(at) => format!(" {} of {} ", thousands(at), thousands(total)),
        None => format!(
            " {} of {} held ",
            thousands(view.items.len() as u64),
            thousands(total)
        ),
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!("{held}{}", "─".repeat(w.saturating_sub(width(&held)))),
            theme.dim(),
        )),
        sep,
    );
    if let Some(item) = view.selected() {
        let lines: Vec<Line> = at_most(wrap(&clean(&item.reason), w), reason.height as usize, w)
            .into_iter()
            .map(Line::raw)
            .collect();
        frame.render_widget(Paragraph::new(lines), reason);
    }
}

/// An opened item's sentence takes at most this many lines (a same-system item's takes
/// five at 100 columns).
const REASON_LINES: usize = 6;

/// The first `n` lines, the last ending in "…" when some were left out.
fn at_most(mut lines: Vec<String>, n: usize, w: usize) -> Vec<String> {
    if lines.len() > n {
        lines.truncate(n);
        if let Some(last) = lines.last_mut() {
            *last = fit(&format!("{last}…"), w);
        }
    }
    lines
}

/// What an item is about, in a table cell: its account, else its profiles.
fn about(item: &InboxItem) -> String {
    if let Some(a) = item.account() {
        let mut s = format!("{} {}", display_name(&a.system), a.external_id);
        match (&a.name, &a.email) {
            (Some(n), Some(e)) => s.push_str(&format!(" · {n} <{e}>")),
            (None, Some(e)) => s.push_str(&format!(" · {e}")),
            (Some(n), None) => s.push_str(&format!(" · {n}")),
            (None, None) => {}
        }
        return s;
    }
    item.profiles
        .iter()
        .zip(item.names.iter().chain(std::iter::repeat(&String::new())))
        .map(|(id, name)| format!("{name} #{id}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The columns an opened item shows: a title and its lines.
fn columns(d: &Detail) -> Vec<(String, Vec<String>)> {
    let item = &d.item.item;
    let mut out = Vec::new();
    if let Some(a) = item.account() {
        let mut lines = vec![
            format!("{} {}", display_name(&a.system), a.external_id),
            a.name.clone().unwrap_or_else(|| "no name".into()),
            a.email.clone().unwrap_or_else(|| "no email".into()),
            match item.import_run {
                Some(run) => format!("import run {run}"),
                None => "no import".into(),
            },
            match d.item.owner {
                Some(id) => format!("held by #{id} now"),
                None => "linked to nobody".into(),
            },
        ];
        for o in item.accounts.iter().filter(|o| o.role != "account") {
            lines.push(format!(
                "other: {} {}",
                display_name(&o.system),
                o.external_id
            ));
        }
        out.push(("Account".to_owned(), lines));
    }
    let (first, rest) = match item.kind {
        Kind::Pending => ("Pending", "May be"),
        Kind::Duplicate => ("Profile", "Profile"),
        _ => ("Candidate", "Candidate"),
    };
    for p in &d.item.profiles {
        out.push((first.to_owned(), profile_lines(p)));
    }
    for p in &d.item.partners {
        out.push((rest.to_owned(), profile_lines(p)));
    }
    out
}

fn profile_lines(p: &Profile) -> Vec<String> {
    let e = &p.employee;
    let mut lines = vec![
        e.label(),
        e.email.clone().unwrap_or_else(|| "no email".into()),
        format!(
            "{}, managed by {}",
            e.status,
            p.managed_by()
                .map(|m| m.system_name())
                .unwrap_or_else(|| "nobody".into())
        ),
    ];
    for c in &p.connections {
        lines.push(format!("{} {}", c.system_name(), c.external_id));
    }
    lines
}

fn detail(d: &Detail, theme: &Theme, frame: &mut Frame, area: Rect) {
    let item = &d.item.item;
    let block = Block::bordered()
        .border_style(theme.border_focus())
        .title(Line::styled(
            format!(" Review item {} · {} ", item.id, item.kind.words()),
            theme.bold(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    let w = inner.width as usize;
    let reason = at_most(wrap(&clean(&item.reason), w), REASON_LINES, w);
    let menu_h = d.choices.len() as u16 + 1;
    let [top, _, cols, _, menu] = Layout::vertical([
        Constraint::Length(reason.len() as u16),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(menu_h),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(reason.into_iter().map(Line::raw).collect::<Vec<_>>()),
        top,
    );

    // Side by side, as many as fit at 24 columns or more; the rest named under them.
    let all = columns(d);
    let fit_n = ((cols.width as usize + 2) / 26).clamp(1, all.len().max(1));
    let shown = &all[..fit_n.min(all.len())];
    let rects = Layout::horizontal(vec![Constraint::Fill(1); shown.len().max(1)])
        .spacing(2)
        .split(cols);
    for (i, ((title, lines), r)) in shown.iter().zip(rects.iter()).enumerate() {
        let cw = r.width as usize;
        let mut out = vec![Line::styled(fit(title, cw), theme.header())];
        for (j, l) in lines.iter().enumerate() {
            let style = if j == 0 { theme.bold() } else { theme.normal() };
            out.push(Line::styled(fit(l, cw), style));
        }
        if i + 1 == shown.len() && all.len() > shown.len() {
            let more: Vec<String> = all[shown.len()..]
                .iter()
                .map(|(_, l)| l.first().cloned().unwrap_or_default())
                .collect();
            out.push(Line::styled(
                fit(&format!("and {}", more.join(", ")), cw),
                theme.dim(),
            ));
        }
        frame.render_widget(Paragraph::new(out), *r);
    }

    let mut lines = vec![Line::styled(fit("Resolutions", w), theme.header())];
    for (i, c) in d.choices.iter().enumerate() {
        let text = format!(" {}  {}", i + 1, c.label);
        if i == d.cursor {
            lines.push(Line::styled(
                format!("{:<w$}", fit(&text, w)),
                theme.selected(),
            ));
        } else {
            lines.push(Line::from(vec![
                Span::styled(format!(" {}", i + 1), theme.key()),
                Span::raw(fit(&format!("  {}", c.label), w.saturating_sub(2))),
            ]));
        }
    }
    frame.render_widget(Paragraph::new(lines), menu);
}

#[cfg(test)]
mod tests {
    use super::at_most;

    #[test]
    fn a_sentence_too_long_for_its_lines_ends_in_an_ellipsis() {
        let cut = at_most(vec!["one two".to_owned(); 8], 6, 7);
        assert_eq!(cut.len(), 6);
        assert_eq!(cut[5], "one tw…");
        assert_eq!(cut[4], "one two");
        let whole = at_most(vec!["one".to_owned(); 2], 6, 7);
        assert_eq!(whole, ["one", "one"]);
    }
}
