//! `roster review`: the inbox listed (text or JSON, README "The review inbox"), an
//! optional rescan first, and `roster review resolve ID …`.

use serde_json::{Value, json};

use super::Output;
use super::args::{Resolve, ReviewAction};
use crate::domain::review::{InboxItem, InboxPage, ItemId, Kind, Resolution};
use crate::domain::sanitize::sanitize;
use crate::domain::system::display_name;
use crate::error::Error;
use crate::service::Service;
use crate::service::review::{InboxCounts, ScanReport};

/// The items' page size when listing.
const PAGE: usize = 500;

pub struct Args {
    pub action: Option<ReviewAction>,
    pub kind: Option<Kind>,
    pub rescan: bool,
    pub limit: usize,
    pub json: bool,
}

pub fn run(svc: &mut Service, a: Args) -> Result<Output, Error> {
    if let Some(ReviewAction::Resolve { id, how, json }) = a.action {
        return resolve(svc, id, &how, json);
    }
    let scan = if a.rescan { Some(svc.rescan()?) } else { None };
    let limit = if a.limit == 0 { usize::MAX } else { a.limit };
    let mut items: Vec<InboxItem> = Vec::new();
    let mut page = InboxPage::First;
    while items.len() < limit {
        let batch = svc.inbox(a.kind, &page, PAGE.min(limit - items.len()))?;
        let Some(last) = batch.last() else { break };
        page = InboxPage::After(last.key());
        let full = batch.len() == PAGE.min(limit - items.len());
        items.extend(batch);
        if !full {
            break;
        }
    }
    let counts = svc.inbox_counts()?;
    if a.json {
        if let Some(s) = &scan {
            // stdout is the items; what the scan did goes to stderr.
            eprintln!("{}", scan_line(s));
        }
        return Ok(Output::Json(Value::Array(
            items.iter().map(item_json).collect(),
        )));
    }
    let mut out = String::new();
    if let Some(s) = &scan {
        out.push_str(&format!("{}\n\n", scan_line(s)));
    }
    out.push_str(&human(&items, &counts, a.kind));
    Ok(Output::Text(out))
}

fn scan_line(s: &ScanReport) -> String {
    s.summary()
}

/// An item in JSON (README "The review inbox").
pub fn item_json(i: &InboxItem) -> Value {
    json!({
        "id": i.id.to_string(),
        "kind": i.kind.as_str(),
        "reason": i.reason,
        "accounts": i.accounts.iter().map(|a| json!({
            "system": a.system,
            "external_id": a.external_id,
            "email": a.email,
            "name": a.name,
            "role": a.role,
        })).collect::<Vec<_>>(),
        "profiles": i.profiles,
        "raised_at": i.raised_at,
        "import_run": i.import_run,
    })
}

fn human(items: &[InboxItem], counts: &InboxCounts, kind: Option<Kind>) -> String {
    let total = match kind {
        Some(k) => counts.of(k),
        None => counts.total(),
    };
    if total == 0 {
        return match kind {
            Some(k) => format!("The review inbox holds no open {} item.\n", k.words()),
            None => "The review inbox is empty: nothing waits for a decision.\n".to_owned(),
        };
    }
    let parts: Vec<String> = [
        Kind::Conflict,
        Kind::SameSystem,
        Kind::Duplicate,
        Kind::Pending,
    ]
    .into_iter()
    .filter(|k| counts.of(*k) > 0 && kind.is_none_or(|x| x == *k))
    .map(|k| format!("{} {}", counts.of(k), k.words()))
    .collect();
    let mut out = format!(
        "Review inbox: {total} open ({}), newest first.\n",
        parts.join(", ")
    );
    for i in items {
        out.push('\n');
        let from = match i.import_run {
            Some(run) => format!(" by import run {run}"),
            None => String::new(),
        };
        out.push_str(&format!(
            "{}  {}  raised {}{from}\n",
            i.id,
            i.kind.words(),
            sanitize(&i.raised_at)
        ));
        for a in &i.accounts {
            out.push_str(&format!(
                "  {} {} account {}: {} <{}>\n",
                if a.role == "account" { "the" } else { "other" },
                sanitize(&display_name(&a.system)),
                sanitize(&a.external_id),
                sanitize(a.name.as_deref().unwrap_or("-")),
                sanitize(a.email.as_deref().unwrap_or("-"))
            ));
        }
        out.push_str(&format!("  {}\n", sanitize(&i.reason)));
        out.push_str(&format!(
            "  roster review resolve {} {}\n",
            i.id,
            crate::domain::resolve::allowed(i.kind).join(" | ")
        ));
    }
    if (items.len() as u64) < total {
        out.push_str(&format!(
            "\n… and {} more (--limit N shows more, --limit 0 all).\n",
            total - items.len() as u64
        ));
    }
    out
}

fn resolve(svc: &mut Service, id: ItemId, how: &Resolve, json: bool) -> Result<Output, Error> {
    let resolution = if let Some(emp) = &how.link {
        Resolution::Link(svc.resolve(emp)?)
    } else if let Some(keep) = &how.merge {
        Resolution::Merge(svc.resolve(keep)?)
    } else if how.create {
        Resolution::Create
    } else if how.ignore {
        Resolution::Ignore
    } else {
        Resolution::Dismiss
    };
    let done = svc.resolve_item(id, resolution, None)?;
    Ok(Output::either(
        json,
        || {
            json!({
                "summary": done.summary,
                "audit_id": done.audit_id,
                "item": id.to_string(),
                "resolution": resolution.action().trim_start_matches("review-"),
            })
        },
        || format!("{}\n", done.summary),
    ))
}
