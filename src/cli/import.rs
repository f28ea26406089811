//! `roster import`: runs the service's import and prints its report (README "Importing
//! › The report").

use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use unicode_width::UnicodeWidthStr;

use super::Output;
use super::progress::Bar;
use super::table::{Table, fit};
use crate::domain::planner::{ConflictKind, ConflictRow};
use crate::domain::review::ReviewCounts;
use crate::domain::sanitize::sanitize;
use crate::domain::skipped::SkipReason;
use crate::domain::system::display_name;
use crate::error::Error;
use crate::import::{ColumnMap, Format, Preset, Wording};
use crate::service::Service;
use crate::service::import::{ImportReport, ImportRequest, MassCreate};
use crate::service::plan::{Plan, PlanRow};

pub struct Args {
    pub file: PathBuf,
    pub system: String,
    pub format: Option<Format>,
    pub preset: Option<Preset>,
    pub map: Option<String>,
    pub dry_run: bool,
    pub allow_mass_create: bool,
    pub new_system: bool,
    pub json: bool,
    /// No progress bar (--quiet).
    pub quiet: bool,
}

pub fn request(a: &Args) -> Result<ImportRequest, Error> {
    Ok(ImportRequest {
        path: a.file.clone(),
        system: a.system.clone(),
        format: a.format,
        preset: a.preset,
        map: a
            .map
            .as_deref()
            .map(|m| ColumnMap::parse(m, Wording::CLI))
            .transpose()?,
        dry_run: a.dry_run,
        allow_mass_create: a.allow_mass_create,
        new_system: a.new_system,
        wording: Wording::CLI,
    })
}

pub fn run(svc: &mut Service, a: Args) -> Result<Output, Error> {
    let req = request(&a)?;
    // The file's name, not its folders: the bar's line fits a terminal's width.
    let name = match req.path.file_name() {
        Some(n) if req.path.as_os_str() != "-" => n.to_string_lossy().into_owned(),
        _ => req.file_label(),
    };
    let mut bar = Bar::new(&format!("importing {name}"), a.quiet || a.json);
    let result = svc.import(&req, &mut |p| bar.update(p));
    bar.finish();
    let report = result?;
    if std::env::var_os("ROSTER_TIMINGS").is_some() {
        for (phase, d) in &report.timings {
            eprintln!("{phase:<32} {:>9.3} s", d.as_secs_f64());
        }
    }
    let json = a.json;
    Ok(Output::Stream(Box::new(move |w| {
        if json {
            super::json::write_pretty(&mut *w, &JsonReport::of(&report))?;
            w.write_all(b"\n")
        } else {
            write_human(&report, w)
        }
    })))
}

/// The JSON report (README "Importing › The report"), serialised as it is written.
#[derive(Serialize)]
pub struct JsonReport<'a> {
    system: &'a str,
    dry_run: bool,
    rows: u64,
    matched: u64,
    linked_by_email: u64,
    created: u64,
    profiles_updated: u64,
    unchanged: u64,
    conflicts: &'a [ConflictRow],
    names_kept: &'a [u64],
    named_from_email: &'a [u64],
    named_from_id: &'a [u64],
    skipped: u64,
    skipped_reasons: &'a [SkipReason],
    /// Rows of accounts an admin ignored in the review inbox (left alone).
    ignored: &'a [u64],
    file: &'a str,
    format: Option<&'static str>,
    preset: Option<&'static str>,
    warnings: &'a [String],
    mass_create: Option<MassCreate>,
    import_run: Option<i64>,
    audit_id: Option<i64>,
    rebuilt_indexes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    review_items: Option<ReviewCounts>,
    undoable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<&'a Plan>,
}

impl<'a> JsonReport<'a> {
    pub fn of(r: &'a ImportReport) -> JsonReport<'a> {
        let t = &r.tally;
        JsonReport {
            system: &r.system,
            dry_run: r.dry_run,
            rows: t.rows,
            matched: t.matched,
            linked_by_email: t.linked_by_email,
            created: t.created,
            profiles_updated: t.profiles_updated,
            unchanged: t.unchanged,
            conflicts: &t.conflicts,
            names_kept: &t.names_kept,
            named_from_email: &t.named_from_email,
            named_from_id: &t.named_from_id,
            skipped: t.skipped.count,
            skipped_reasons: &t.skipped.reasons,
            ignored: &t.ignored,
            file: &r.file,
            format: r.format.map(Format::as_str),
            preset: r.preset.map(Preset::as_str),
            warnings: &r.warnings,
            mass_create: r.mass_create,
            import_run: r.import_run,
            audit_id: r.audit_id,
            rebuilt_indexes: &r.rebuilt_indexes,
            review_items: r.review,
            undoable: r.undoable,
            plan: r.plan.as_ref(),
        }
    }
}

pub fn write_human(r: &ImportReport, w: &mut dyn Write) -> std::io::Result<()> {
    let t = &r.tally;
    let system = sanitize(&display_name(&r.system)).into_owned();
    let how = r.read_as();
    if r.dry_run {
        writeln!(
            w,
            "Dry run of {} for {system}{how}: nothing was written.\n",
            sanitize(&r.file)
        )?;
    } else {
        writeln!(w, "Imported {} for {system}{how}.\n", sanitize(&r.file))?;
    }
    let counts = t.report_lines();
    let width = counts
        .iter()
        .map(|(_, n, _)| n.to_string().len())
        .max()
        .unwrap_or(1);
    for (what, n, note) in counts {
        let line = format!("  {what:<17} {n:>width$}   {note}");
        writeln!(w, "{}", line.trim_end())?;
    }
    for warning in &r.warnings {
        writeln!(w, "\nNote: {}", sanitize(warning))?;
    }
    if let Some(m) = r.mass_create
        && r.dry_run
    {
        writeln!(
            w,
            "\nNote: this creates {} profiles, more than 20% of the {} that exist; the real import needs --allow-mass-create.",
            m.created, m.existing
        )?;
    }
    if !t.conflicts.is_empty() {
        writeln!(
            w,
            "\nConflicts: these {system} accounts were not linked and got no profile; they are kept for review."
        )?;
        if t.conflicts.iter().any(|c| c.kind == ConflictKind::Conflict) {
            writeln!(
                w,
                "  several:      more than one profile holds the email. Link the account by hand (`roster connect EMP --system {} --external-id X`) or merge the profiles.",
                r.system
            )?;
        }
        if t.conflicts
            .iter()
            .any(|c| c.kind == ConflictKind::SameSystem)
        {
            writeln!(
                w,
                "  same system:  the one profile holding the email has another {system} account already; two accounts of one system are two people."
            )?;
        }
        // The profiles last: the one column that is never cut.
        let mut table = Table::new(&[
            "ROW",
            "EXTERNAL ID",
            "EMAIL",
            "KIND",
            "OTHER ACCOUNTS",
            "PROFILES",
        ]);
        for c in &t.conflicts {
            table.row(vec![
                c.row.to_string(),
                c.external_id.clone(),
                c.email.clone(),
                match c.kind {
                    ConflictKind::Conflict => "several",
                    ConflictKind::SameSystem => "same system",
                }
                .to_owned(),
                c.other_accounts.as_deref().unwrap_or_default().join(", "),
                c.candidates
                    .iter()
                    .map(|id| r.candidate_label(*id))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]);
        }
        w.write_all(table.render().as_bytes())?;
    }
    if let Some(v) = r.review
        && v != ReviewCounts::default()
    {
        let mut parts = Vec::new();
        if v.raised > 0 {
            parts.push(format!("{} new", v.raised));
        }
        if v.refreshed > 0 {
            parts.push(format!("{} met again", v.refreshed));
        }
        if v.settled > 0 {
            parts.push(format!("{} settled by this import and closed", v.settled));
        }
        writeln!(w, "\nReview items: {}.", parts.join(", "))?;
    }
    if !t.skipped.reasons.is_empty() {
        writeln!(
            w,
            "\nSkipped: {system} marks these accounts as not people; they were not imported."
        )?;
        for reason in &t.skipped.reasons {
            writeln!(w, "  {}", reason.line())?;
        }
    }
    if let Some(plan) = &r.plan {
        write_plan(r, plan, w)?;
    }
    Ok(())
}

/// The plan, row by row (a plan may hold a million rows: read twice from its file,
/// never held): a line per row, then a line per field it changes, before → after.
fn write_plan(r: &ImportReport, plan: &Plan, w: &mut dyn Write) -> std::io::Result<()> {
    let io = |e: Error| std::io::Error::other(e.to_string());
    writeln!(w, "\nPlan:")?;
    let shown = |p: &PlanRow| fit(&sanitize(&p.external_id), 40);
    let (mut row_w, mut id_w) = (3, 11);
    for p in plan.rows().map_err(io)? {
        let p = p.map_err(io)?;
        row_w = row_w.max(p.row.to_string().len());
        id_w = id_w.max(shown(&p).width());
    }
    writeln!(
        w,
        "{:<row_w$}  {:<id_w$}  {:<15}  EMPLOYEE",
        "ROW", "EXTERNAL ID", "OUTCOME"
    )?;
    let indent = " ".repeat(row_w + id_w + 15 + 6);
    let system = display_name(&r.system);
    for p in plan.rows().map_err(io)? {
        let p = p.map_err(io)?;
        let id = shown(&p);
        let line = format!(
            "{:<row_w$}  {id}{}  {:<15}  {}",
            p.row,
            " ".repeat(id_w - id.width()),
            p.outcome.as_str().replace('_', " "),
            sanitize(&p.who(&system))
        );
        writeln!(w, "{}", line.trim_end())?;
        for c in &p.changes {
            writeln!(w, "{indent}{}", sanitize(&c.text()))?;
        }
    }
    Ok(())
}
