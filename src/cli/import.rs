//! `roster import`: runs the service's import and prints its report (SPEC §4).

use serde_json::{Value, json};
use std::path::PathBuf;

use super::Output;
use super::args::{FormatArg, PresetArg};
use super::progress::Bar;
use super::table::Table;
use crate::domain::sanitize::sanitize;
use crate::domain::system::display_name;
use crate::error::Error;
use crate::import::{ColumnMap, Format, Preset};
use crate::service::Service;
use crate::service::import::{ImportReport, ImportRequest};

pub struct Args {
    pub file: PathBuf,
    pub system: String,
    pub format: Option<FormatArg>,
    pub preset: Option<PresetArg>,
    pub map: Option<String>,
    pub dry_run: bool,
    pub allow_mass_create: bool,
    pub json: bool,
}

pub fn request(a: &Args) -> Result<ImportRequest, Error> {
    Ok(ImportRequest {
        path: a.file.clone(),
        system: a.system.clone(),
        format: a.format.map(|f| match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Ndjson => Format::Ndjson,
        }),
        preset: a.preset.map(|p| match p {
            PresetArg::Generic => Preset::Generic,
            PresetArg::Salesforce => Preset::Salesforce,
            PresetArg::Hubspot => Preset::Hubspot,
            PresetArg::Pipedrive => Preset::Pipedrive,
        }),
        map: a.map.as_deref().map(ColumnMap::parse).transpose()?,
        dry_run: a.dry_run,
        allow_mass_create: a.allow_mass_create,
    })
}

pub fn run(svc: &mut Service, a: Args) -> Result<Output, Error> {
    let req = request(&a)?;
    let mut bar = Bar::new(&req.file_label());
    let result = svc.import(&req, &mut |p| bar.update(p));
    bar.finish();
    let report = result?;
    Ok(if a.json {
        Output::Json(to_json(&report))
    } else {
        Output::Text(human(&report))
    })
}

/// The JSON report of SPEC §4 (with a few more fields).
pub fn to_json(r: &ImportReport) -> Value {
    let t = &r.tally;
    let mut v = json!({
        "system": r.system,
        "dry_run": r.dry_run,
        "rows": t.rows,
        "matched": t.matched,
        "linked_by_email": t.linked_by_email,
        "created": t.created,
        "profiles_updated": t.profiles_updated,
        "unchanged": t.unchanged,
        "conflicts": t.conflicts,
        "file": r.file,
        "format": r.format.map(Format::as_str),
        "preset": r.preset.map(Preset::as_str),
        "warnings": r.warnings,
        "mass_create": r.mass_create,
        "import_run": r.import_run,
        "audit_id": r.audit_id,
    });
    if let Some(plan) = &r.plan {
        v["plan"] = json!(plan);
    }
    v
}

fn label(r: &ImportReport, id: i64) -> String {
    match r.names.get(&id) {
        Some(n) => format!("{} (#{id})", sanitize(n)),
        None => format!("#{id}"),
    }
}

/// The human report: a short table of counts, the conflicts, and for a dry run the plan.
pub fn human(r: &ImportReport) -> String {
    let t = &r.tally;
    let mut out = String::new();
    let system = sanitize(&display_name(&r.system)).into_owned();
    let how = match (r.format, r.preset) {
        (Some(f), Some(p)) => format!(" ({}, read as {})", f.as_str(), p.as_str()),
        (Some(f), None) => format!(" ({})", f.as_str()),
        _ => String::new(),
    };
    if r.dry_run {
        out.push_str(&format!(
            "Dry run of {} for {system}{how}: nothing was written.\n\n",
            sanitize(&r.file)
        ));
    } else {
        out.push_str(&format!(
            "Imported {} for {system}{how}.\n\n",
            sanitize(&r.file)
        ));
    }
    let counts: [(&str, u64, &str); 7] = [
        ("rows", t.rows, ""),
        ("matched", t.matched, "found by external ID"),
        (
            "unchanged",
            t.unchanged,
            "matched rows that changed nothing",
        ),
        (
            "profiles updated",
            t.profiles_updated,
            "name, picture or status set by the managing system",
        ),
        ("linked by email", t.linked_by_email, ""),
        ("created", t.created, "new profiles"),
        (
            "conflicts",
            t.conflicts.len() as u64,
            "email held by several profiles: nothing done",
        ),
    ];
    let width = counts
        .iter()
        .map(|(_, n, _)| n.to_string().len())
        .max()
        .unwrap_or(1);
    for (what, n, note) in counts {
        let line = format!("  {what:<17} {n:>width$}   {note}");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    for w in &r.warnings {
        out.push_str(&format!("\nNote: {}\n", sanitize(w)));
    }
    if let Some(m) = r.mass_create
        && r.dry_run
    {
        out.push_str(&format!(
            "\nNote: this creates {} profiles, more than 20% of the {} that exist; the real import needs --allow-mass-create.\n",
            m.created, m.existing
        ));
    }
    if !t.conflicts.is_empty() {
        out.push_str(&format!(
            "\nConflicts: more than one profile holds the email, so the {system} account was not linked. Link it by hand (`roster connect EMP --system {} --external-id X`) or merge the profiles.\n",
            r.system
        ));
        let mut table = Table::new(&["ROW", "EXTERNAL ID", "EMAIL", "PROFILES"]);
        for c in &t.conflicts {
            table.row(vec![
                c.row.to_string(),
                c.external_id.clone(),
                c.email.clone(),
                c.candidates
                    .iter()
                    .map(|id| label(r, *id))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]);
        }
        out.push_str(&table.render());
    }
    if let Some(plan) = &r.plan {
        out.push_str("\nPlan:\n");
        let mut table = Table::new(&["ROW", "EXTERNAL ID", "OUTCOME", "EMPLOYEE"]);
        for p in plan {
            table.row(vec![
                p.row.to_string(),
                p.external_id.clone(),
                p.outcome.as_str().replace('_', " "),
                p.employee_id.map(|e| format!("#{e}")).unwrap_or_default(),
            ]);
        }
        out.push_str(&table.render());
    }
    out
}
