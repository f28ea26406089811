//! `roster imports [N] [--json]`: the import runs, newest first, and what one run did,
//! account by account (README "Commands").

use super::Output;
use super::table::Table;
use crate::domain::system::display_name;
use crate::error::Error;
use crate::service::Service;
use crate::service::imports::{ImportRun, ImportRunDetail, RunLine};

pub fn run(svc: &mut Service, id: Option<i64>, limit: usize, json: bool) -> Result<Output, Error> {
    match id {
        None => {
            let runs = svc.import_runs(limit)?;
            if json {
                return Ok(Output::Json(serde_json::to_value(&runs)?));
            }
            Ok(Output::Text(list(&runs)))
        }
        Some(id) => {
            let detail = svc.import_run(id)?;
            if json {
                return Ok(Output::Json(serde_json::to_value(&detail)?));
            }
            Ok(Output::Text(one(&detail)))
        }
    }
}

fn state(r: &ImportRun) -> String {
    match r.undone_by {
        Some(a) => format!("undone (#{a})"),
        None => "applied".into(),
    }
}

fn list(runs: &[ImportRun]) -> String {
    if runs.is_empty() {
        return "No import yet: roster import FILE --system S brings one in.\n".into();
    }
    let mut t = Table::new(&[
        "#",
        "AT",
        "ACTOR",
        "SYSTEM",
        "ROWS",
        "CREATED",
        "LINKED",
        "UPDATED",
        "CONFLICTS",
        "STATE",
        "FILE",
    ]);
    for r in runs {
        t.row(vec![
            r.id.to_string(),
            r.at.clone(),
            r.actor.clone(),
            display_name(&r.system),
            r.rows.to_string(),
            r.created.to_string(),
            r.linked_by_email.to_string(),
            r.profiles_updated.to_string(),
            r.conflicts.to_string(),
            state(r),
            r.file.clone(),
        ]);
    }
    let mut out = t.render();
    out.push_str("roster imports N shows what one run did.\n");
    out
}

fn one(d: &ImportRunDetail) -> String {
    let r = &d.run;
    let clean = |s: &str| crate::domain::sanitize::sanitize(s).into_owned();
    let mut out = format!(
        "Import #{} of {} ({}) by {} at {}\n\
         rows {}, matched {} ({} unchanged), profiles updated {}, linked by email {}, created {}, conflicts {}\n",
        r.id,
        clean(&r.file),
        display_name(&r.system),
        clean(&r.actor),
        r.at,
        r.rows,
        r.matched,
        r.unchanged,
        r.profiles_updated,
        r.linked_by_email,
        r.created,
        r.conflicts
    );
    if let Some(a) = r.undone_by {
        out.push_str(&format!(
            "Undone by audit entry #{a}: what it did was taken back and its journal with it.\n"
        ));
        return out;
    }
    if let Some(a) = r.audit_id {
        out.push_str(&format!(
            "Audit entry #{a} (roster undo --id {a} takes the whole import back while nothing since depends on it).\n"
        ));
    }
    if d.lines.is_empty() {
        out.push_str("It changed nothing (every row matched and was unchanged, or was skipped).\n");
        return out;
    }
    let mut t = Table::new(&["DID", "EMPLOYEE", "ACCOUNT", "DETAIL"]);
    for l in &d.lines {
        t.row(vec![
            l.action.to_owned(),
            employee(l),
            account(l),
            detail(l),
        ]);
    }
    out.push_str(&t.render());
    out.push_str(
        "Rows that matched and changed nothing are not listed (the import keeps no journal of them).\n",
    );
    out
}

fn employee(l: &RunLine) -> String {
    match (l.employee_id, &l.employee) {
        (Some(id), Some(name)) => format!("{name} (#{id})"),
        (Some(id), None) => format!("#{id} (gone)"),
        _ => String::new(),
    }
}

fn account(l: &RunLine) -> String {
    match (&l.system, &l.external_id) {
        (Some(s), Some(x)) => format!("{} {x}", display_name(s)),
        (Some(s), None) => display_name(s),
        _ => String::new(),
    }
}

fn detail(l: &RunLine) -> String {
    match l.action {
        "created" => "new profile".into(),
        "linked" => "linked by email".into(),
        "review" => format!(
            "review item {} {}{}",
            l.review_item.map(|i| format!("#{i}")).unwrap_or_default(),
            l.review_change.as_deref().unwrap_or(""),
            l.review_kind
                .as_deref()
                .map(|k| format!(" ({k})"))
                .unwrap_or_default()
        ),
        _ if l.changes.is_empty() => "changed, then changed back since".into(),
        _ => l
            .changes
            .iter()
            .map(|c| {
                format!(
                    "{} {} \u{2192} {}",
                    c.field,
                    quoted(&c.before),
                    quoted(&c.now)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn quoted(v: &Option<String>) -> String {
    match v {
        Some(s) => format!("\"{s}\""),
        None => "—".into(),
    }
}
