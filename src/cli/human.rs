//! The human-readable output: every data string passes through `sanitize`.

use crate::domain::audit::Entry;
use crate::domain::listing::ListRow;
use crate::domain::model::{BlockInfo, Profile};
use crate::domain::sanitize::{email_list, sanitize};
use crate::domain::system::{display_name, suppliers_column};
use crate::service::{MergePreview, NextImport};

use super::table::Table;

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "-".into())
}

fn on_off(b: bool) -> String {
    if b { "on" } else { "off" }.into()
}

/// `list --tab pending`: the table with CAME FROM, the import that created each profile
/// and when ("HubSpot #4 at 2024-05-01T09:30:00Z"), or "by hand".
pub fn list_pending<'a>(
    rows: &[ListRow],
    run: &dyn Fn(i64) -> Option<&'a crate::service::imports::CreatedSpan>,
) -> String {
    list_with("CAME FROM", rows, &|r| {
        run(r.id)
            .map(|s| format!("{} #{} at {}", display_name(&s.system), s.run, s.at))
            .unwrap_or_else(|| "by hand".into())
    })
}

pub fn list(rows: &[ListRow]) -> String {
    list_with("STATUS", rows, &|r| r.status.to_string())
}

/// The list's table, whose fifth column is `fifth` (the status, or where a pending
/// profile came from).
fn list_with(fifth: &str, rows: &[ListRow], cell: &dyn Fn(&ListRow) -> String) -> String {
    let mut t = Table::new(&[
        "ID",
        "NAME",
        "EMAIL",
        "LOGIN",
        fifth,
        "DATA SUPPLIERS",
        "MANAGED BY",
    ]);
    for r in rows {
        t.row(vec![
            r.id.to_string(),
            r.name.clone(),
            opt(&r.email),
            on_off(r.login_access),
            cell(r),
            suppliers_column(r.suppliers.iter().map(String::as_str)),
            r.managed_by
                .as_ref()
                .map(|k| display_name(&k.system))
                .unwrap_or_else(|| "manual".to_owned()),
        ]);
    }
    t.render()
}

pub fn profile(p: &Profile) -> String {
    profile_from(p, None)
}

/// `show`: the profile, its Created line naming the import that made it, if one did.
pub fn profile_from(p: &Profile, origin: Option<&crate::service::imports::ImportRun>) -> String {
    let e = &p.employee;
    let mut out = String::new();
    out.push_str(&format!("{}\n", e.label()));
    if let Some(m) = p.managed_by() {
        let sys = sanitize(&m.system_name()).into_owned();
        out.push_str(&format!(
            "Managed by {sys}: name and profile picture are updated by {sys} (account {}).\n",
            sanitize(&m.external_id)
        ));
    }
    let mut status = e.status.to_string();
    if let Some(into) = e.merged_into {
        status.push_str(&format!(" (merged into #{into})"));
    }
    let rows = [
        ("Email", opt(&e.email)),
        ("Picture", opt(&e.picture_url)),
        ("Login", on_off(e.login_access)),
        ("Status", status),
        ("Tracked", if p.tracked() { "yes" } else { "no" }.into()),
        (
            "Managed by",
            p.managed_by()
                .map(|c| c.system_name())
                .unwrap_or_else(|| "manual".to_owned()),
        ),
        (
            "Suppliers",
            suppliers_column(p.connections.iter().map(|c| c.system.as_str())),
        ),
        (
            "Created",
            match origin {
                Some(run) => format!("{} by {}", e.created_at, run.label()),
                None => e.created_at.clone(),
            },
        ),
        (
            "Updated",
            format!("{} (version {})", e.updated_at, e.version),
        ),
    ];
    for (k, v) in rows {
        out.push_str(&format!("  {k:<10} {}\n", sanitize(&v)));
    }
    out.push('\n');
    if p.connections.is_empty() {
        out.push_str("No connections.\n");
    } else {
        let mut t = Table::new(&[
            "SYSTEM",
            "EXTERNAL ID",
            "EMAIL",
            "NAME",
            "MANAGED",
            "ORIGIN",
            "BY",
            "AT",
        ]);
        for c in &p.connections {
            t.row(vec![
                c.system_name(),
                c.external_id.clone(),
                opt(&c.email),
                opt(&c.name),
                if c.manages { "yes" } else { "" }.into(),
                c.origin.words().to_owned(),
                c.created_by.clone(),
                c.created_at.clone(),
            ]);
        }
        out.push_str(&t.render());
    }
    out
}

/// What the next import of a removed account does; `could_move`: the profile held
/// another connection, so moving the account instead was possible.
pub fn next_import(system: &str, next: &NextImport, could_move: bool) -> String {
    let sys = sanitize(&display_name(system)).into_owned();
    let instead = if could_move {
        "To keep them apart, use `roster move` or `roster remove --block` instead."
    } else {
        "To keep them apart, use `roster remove --block` instead."
    };
    match next {
        NextImport::Reconnects { email } => format!(
            "Note: the next {sys} import will reconnect this profile by email {}. {instead}",
            sanitize(email)
        ),
        NextImport::MayReconnect { emails } => format!(
            "Note: this account's email in {sys} is not known here; if the next {sys} import brings {}, it reconnects this profile. {instead}",
            email_list(emails)
        ),
        NextImport::LinksTo { email, employee } => format!(
            "Note: the next {sys} import will link this account to employee #{employee}, which has the email {}.",
            sanitize(email)
        ),
        NextImport::Conflict { email, candidates } => format!(
            "Note: the next {sys} import will report a conflict for this account: {} employees have the email {} (#{}).",
            candidates.len(),
            sanitize(email),
            candidates
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", #")
        ),
        NextImport::SameSystem { email, employee } => format!(
            "Note: the next {sys} import will link this account to no one: employee #{employee} has the email {} but holds another {sys} account (one account per system and person); it goes to review.",
            sanitize(email)
        ),
        NextImport::CreatesProfile => {
            format!("Note: the next {sys} import will create a new profile for this account.")
        }
    }
}

pub fn merge_preview(p: &MergePreview) -> String {
    let left = profile(&p.keep);
    let right = profile(&p.other);
    let mut out = String::new();
    out.push_str(&format!(
        "Merge preview: keep {}, fold {} into it.\n\n",
        p.keep.employee.label(),
        p.other.employee.label()
    ));
    out.push_str("KEEP\n");
    out.push_str(&left);
    out.push_str("\nFOLD (will be deactivated and marked merged)\n");
    out.push_str(&right);
    out.push_str("\nAFTER THE MERGE\n");
    out.push_str(&profile(&p.result));
    out.push('\n');
    out.push_str(&merge_management(p));
    out.push('\n');
    out
}

/// `s` as one word of a shell command to copy: as is when plain, else single-quoted;
/// control characters made visible.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "-_.@:/+=".contains(c));
    let s = sanitize(s);
    if plain {
        s.into_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Who manages the kept profile after the merge, with the command that hands it to a
/// system when it stays manual.
pub fn merge_management(p: &MergePreview) -> String {
    let id = p.keep.employee.id;
    p.management(|key, ambiguous| {
        let x = if ambiguous {
            format!(" --external-id {}", shell_word(&key.external_id))
        } else {
            String::new()
        };
        format!(
            "To hand it to {}: roster manage {id} --system {}{x}",
            sanitize(&display_name(&key.system)),
            key.system
        ) + "."
    })
}

/// The log as a table; under an entry's summary, each field it changed, old → new
/// (with the profile's number when the entry touched several).
pub fn log(entries: &[Entry]) -> String {
    let mut t = Table::new(&["#", "AT", "ACTOR", "ACTION", "SUMMARY"]);
    for e in entries {
        t.row(vec![
            e.id.to_string(),
            e.at.clone(),
            e.who(),
            e.action.clone(),
            e.summary.clone(),
        ]);
        let fields = e.field_changes();
        let several = fields.iter().any(|f| f.employee != fields[0].employee);
        for f in &fields {
            let whose = if several {
                format!("#{} ", f.employee)
            } else {
                String::new()
            };
            t.row(vec![
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                format!("  {whose}{}", f.describe()),
            ]);
        }
    }
    t.render()
}

/// A profile's blocks: the accounts imports never link to it again, who placed each
/// and when, and the command that lifts one.
pub fn blocks(id: i64, blocks: &[BlockInfo]) -> String {
    if blocks.is_empty() {
        return String::new();
    }
    let mut t = Table::new(&["BLOCKED SYSTEM", "EXTERNAL ID", "EMAIL", "BY", "AT"]);
    for b in blocks {
        t.row(vec![
            display_name(&b.system),
            b.external_id.clone(),
            opt(&b.email),
            b.by.clone().unwrap_or_else(|| "?".into()),
            b.at.clone().unwrap_or_else(|| "?".into()),
        ]);
    }
    format!(
        "\nBlocked: imports never link these accounts to this profile (lift one: roster unblock {id} --system S --external-id X).\n{}",
        t.render()
    )
}
