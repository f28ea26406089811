//! Importing from the app (`i`): a form for the file and the system, the dry run on a
//! thread of its own with its progress on the status line, the plan in a dialog (Cancel
//! selected; the mass-create safeguard spelled out and confirmed there), then the import
//! itself, again with progress, and its report on the status line. A refused file shows
//! its problems, row by row, in a dialog.

use std::path::PathBuf;

use crate::tui::refresh::reload;
use clap::ValueEnum;

use crate::domain::sanitize::sanitize;
use crate::domain::system::{display_name, validate_key};
use crate::error::Error;
use crate::import::{ColumnMap, Format, Preset, Wording};
use crate::service::Service;
use crate::service::import::{ImportReport, ImportRequest, Phase, Progress, plural};
use crate::tui::action::Action;
use crate::tui::form::{FieldId, Form, FormField, Purpose};
use crate::tui::keymap::{Scope, key, pair};
use crate::tui::state::{Dialog, ImportFlow, ImportStage, Intent, Popup, State};
use crate::tui::text::thousands;

/// How many rows of the per-row plan, and of the conflicts, the dialog lists.
pub const PLAN_ROWS: usize = 50;
pub const CONFLICT_ROWS: usize = 20;

/// `i`: the form, filled with the last import's values.
pub fn open_form(state: &mut State) {
    if state.import.as_ref().is_some_and(ImportFlow::busy) {
        state.info("An import is running; its progress is on this line.");
        return;
    }
    let last = state.import.as_ref().map(|f| &f.request);
    let text = |f: &dyn Fn(&ImportRequest) -> String| last.map(f).unwrap_or_default();
    let fields = vec![
        FormField::text(FieldId::File, &text(&|r| r.path.display().to_string())),
        FormField::text(FieldId::System, &text(&|r| r.system.clone())),
        FormField::text(
            FieldId::Preset,
            &text(&|r| r.preset.map(|p| p.as_str().to_owned()).unwrap_or_default()),
        ),
        FormField::text(
            FieldId::Format,
            &text(&|r| r.format.map(|f| f.as_str().to_owned()).unwrap_or_default()),
        ),
        FormField::text(FieldId::Columns, ""),
        // Off each time: a new system is a choice made for one import.
        FormField::toggle(FieldId::NewSystem, false),
    ];
    state.popup = Some(Popup::Form(
        Form::new(Purpose::Import, "Import a file", fields).with_note(Some(format!(
            "File: an export of one system (CSV, JSON or NDJSON). System: its key ({}, or one this store holds; a key a letter or two from those is refused unless New system is on). Preset ({}) and format (csv, json, ndjson) are optional: the system and the file name pick them. Columns maps other exports: external_id=Id,email=Mail. {} runs a dry run first; nothing is written until you confirm its plan.",
            crate::service::systems::known().join(", "),
            Preset::names().join(", "),
            key(Scope::Form, Action::Save)
        ))),
    ));
}

/// `~/x` is `$HOME/x`.
fn expand(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// The form's request, or why it cannot be one.
pub fn request(form: &Form) -> Result<ImportRequest, Error> {
    let value = |id: FieldId| form.text(id).trim().to_owned();
    let file = value(FieldId::File);
    if file.is_empty() {
        return Err(Error::Invalid(
            "Give the path of the export file to import.".into(),
        ));
    }
    let system = value(FieldId::System).to_ascii_lowercase();
    if system.is_empty() {
        return Err(Error::Invalid(
            "Give the system the file comes from, e.g. salesforce, hubspot or pipedrive.".into(),
        ));
    }
    validate_key(&system)?;
    let preset = match value(FieldId::Preset).to_ascii_lowercase().as_str() {
        "" => None,
        p => Some(Preset::parse(p).ok_or_else(|| {
            Error::Invalid(format!(
                "There is no preset '{}'; leave it empty, or give one of {}.",
                sanitize(p),
                Preset::names().join(", ")
            ))
        })?),
    };
    let format = match value(FieldId::Format).as_str() {
        "" => None,
        f => Some(Format::from_str(f, true).map_err(|_| {
            Error::Invalid(format!(
                "There is no format '{}'; leave it empty, or give csv, json or ndjson.",
                sanitize(f)
            ))
        })?),
    };
    let map = match value(FieldId::Columns) {
        m if m.is_empty() => None,
        m => Some(ColumnMap::parse(&m, Wording::FORM)?),
    };
    Ok(ImportRequest {
        path: expand(&file),
        system,
        format,
        preset,
        map,
        dry_run: true,
        allow_mass_create: false,
        new_system: form.on(FieldId::NewSystem),
        wording: Wording::FORM,
    })
}

/// Enter in the form: the dry run is asked for (the app runs it off the screen's thread).
pub fn save(state: &mut State, form: &Form) {
    match request(form) {
        Ok(request) => {
            state.popup = None;
            state.progress = Some(format!(
                "dry run of {}: starting…",
                sanitize(&request.file_label())
            ));
            state.import = Some(ImportFlow {
                request,
                stage: ImportStage::Asked,
                source: None,
            });
        }
        Err(e) => state.error(e.to_string()),
    }
}

/// The plan's confirming button: the import itself is asked for.
pub fn apply(state: &mut State, mass: bool) {
    let Some(flow) = state
        .import
        .as_mut()
        .filter(|f| f.stage == ImportStage::Planned)
    else {
        state.error(format!(
            "That import's plan is gone; start again with {}.",
            key(Scope::Table, Action::Import)
        ));
        return;
    };
    flow.request.dry_run = false;
    flow.request.allow_mass_create = mass;
    flow.stage = ImportStage::Asked;
    let label = sanitize(&flow.request.file_label()).into_owned();
    state.progress = Some(format!("importing {label}: starting…"));
}

/// The plan was cancelled.
pub fn cancelled(state: &mut State) {
    if let Some(f) = state
        .import
        .as_mut()
        .filter(|f| f.stage == ImportStage::Planned)
    {
        f.stage = ImportStage::Over;
    }
}

/// The status line while an import runs.
pub fn progress_line(request: &ImportRequest, p: &Progress) -> String {
    let label = sanitize(&request.file_label()).into_owned();
    let what = if request.dry_run {
        format!("dry run of {label}")
    } else {
        format!("importing {label}")
    };
    let rows = thousands(p.rows);
    match (p.phase, p.fraction()) {
        (Phase::Finishing, _) => format!("{what}: {rows} rows read, finishing…"),
        (Phase::Records, Some(f)) => {
            const W: usize = 20;
            let done = ((f * W as f64).round() as usize).min(W);
            format!(
                "{what} [{}{}] {:>3.0}%  {rows} rows",
                "#".repeat(done),
                ".".repeat(W - done),
                f * 100.0
            )
        }
        (Phase::Records, None) => format!("{what}: {rows} rows"),
    }
}

/// The report in one sentence, for the status line: the counts that are not zero.
pub fn summary(r: &ImportReport) -> String {
    format!(
        "Imported {} into {}: {}.",
        sanitize(&file_name(&r.file)),
        sanitize(&display_name(&r.system)),
        counts(r, "row")
    )
}

/// "4 rows; 2 new, 1 linked by email, …": the counts that are not zero, what a row is
/// named `row` (a pull's rows are accounts).
pub fn counts(r: &ImportReport, row: &str) -> String {
    let t = &r.tally;
    let mut parts = Vec::new();
    if t.created > 0 {
        parts.push(format!("{} new", thousands(t.created)));
    }
    if t.linked_by_email > 0 {
        parts.push(format!("{} linked by email", thousands(t.linked_by_email)));
    }
    if t.matched > 0 {
        parts.push(format!(
            "{} matched ({} unchanged)",
            thousands(t.matched),
            thousands(t.unchanged)
        ));
    }
    if t.profiles_updated > 0 {
        parts.push(format!(
            "{} profile{} updated",
            thousands(t.profiles_updated),
            plural(t.profiles_updated)
        ));
    }
    if !t.conflicts.is_empty() {
        let n = t.conflicts.len() as u64;
        parts.push(format!("{} conflict{}", thousands(n), plural(n)));
    }
    let rows = format!("{} {row}{}", thousands(t.rows), plural(t.rows));
    if parts.is_empty() {
        rows
    } else {
        format!("{rows}; {}", parts.join(", "))
    }
}

/// The file's name without its folder (the status line is short).
fn file_name(file: &str) -> String {
    std::path::Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_owned())
}

/// The dry run's plan as a dialog: the counts, the safeguard, the conflicts with their
/// candidates, the first rows of the plan; Cancel selected.
/// The dry run's plan to confirm; `pulled` names the source when it is a pull's.
pub fn plan_dialog(r: &ImportReport, pulled: Option<&str>) -> Dialog {
    let t = &r.tally;
    let system = sanitize(&display_name(&r.system)).into_owned();
    let file = sanitize(&r.file).into_owned();
    let how = r.read_as();
    let mut body = vec![match pulled {
        Some(_) => format!(
            "Dry run of the pull from {file}: nothing has been written. This is what the pull will do:"
        ),
        None => format!(
            "Dry run of {file}{how}: nothing has been written. This is what the import will do:"
        ),
    }];
    let counts = t.report_lines();
    let w = counts
        .iter()
        .map(|(_, n, _)| thousands(*n).len())
        .max()
        .unwrap_or(1);
    body.push(
        counts
            .iter()
            .map(|(what, n, note)| {
                format!("{what:<16} {:>w$}  {note}", thousands(*n))
                    .trim_end()
                    .to_owned()
            })
            .collect::<Vec<_>>()
            .join("\n"),
    );
    for warning in &r.warnings {
        body.push(format!("Note: {}", sanitize(warning)));
    }
    if let Some(m) = r.mass_create {
        body.push(format!(
            "Warning: this import creates {} new profiles, more than 20% of the {} that exist (the mass-create safeguard). If {system} or the file is not the one you meant, Cancel. To go ahead, choose \u{201c}Import, creating {} profiles\u{201d}.",
            thousands(m.created),
            thousands(m.existing),
            thousands(m.created)
        ));
    }
    if !t.conflicts.is_empty() {
        let mut lines = vec![format!(
            "Conflicts: these {system} accounts are not linked and get no profile; they are kept for review. Several profiles hold the email (link by hand with {}, or merge them), or the one that does has another {system} account (two accounts of one system are two people):",
            key(Scope::Table, Action::Connect)
        )];
        for c in t.conflicts.iter().take(CONFLICT_ROWS) {
            let names: Vec<String> = c
                .candidates
                .iter()
                .map(|id| r.candidate_label(*id))
                .collect();
            let other = match &c.other_accounts {
                Some(ids) => format!(", which has {system} account {}", sanitize(&ids.join(", "))),
                None => String::new(),
            };
            lines.push(format!(
                "row {}  {}  {} → {}{other}",
                c.row,
                sanitize(&c.external_id),
                sanitize(&c.email),
                names.join(", ")
            ));
        }
        if t.conflicts.len() > CONFLICT_ROWS {
            lines.push(format!(
                "… and {} more conflicts (roster import --dry-run lists them all).",
                t.conflicts.len() - CONFLICT_ROWS
            ));
        }
        body.push(lines.join("\n"));
    }
    if !t.skipped.reasons.is_empty() {
        let mut lines = vec![format!(
            "Skipped: {system} marks these accounts as not people; they are not imported:"
        )];
        lines.extend(t.skipped.reasons.iter().map(|r| r.line()));
        body.push(lines.join("\n"));
    }
    if let Some(plan) = &r.plan {
        // The app keeps only the first rows of the plan; the tally counts them all.
        let total = t.rows.max(plan.len());
        let shown = &plan.head()[..plan.head().len().min(PLAN_ROWS)];
        let mut lines = vec![if total > shown.len() as u64 {
            format!(
                "The plan, first {} rows of {}:",
                shown.len(),
                thousands(total)
            )
        } else {
            "The plan, row by row:".to_owned()
        }];
        let row_w = shown
            .iter()
            .map(|p| p.row.to_string().len())
            .max()
            .unwrap_or(3)
            .max(3);
        lines.push(format!(
            "{:<row_w$}  {:<24}  {:<15}  EMPLOYEE",
            "ROW", "EXTERNAL ID", "OUTCOME"
        ));
        for p in shown {
            let id = crate::tui::text::fit(&p.external_id, 24);
            let pad = 24usize.saturating_sub(crate::tui::text::width(&id));
            lines.push(
                format!(
                    "{:<row_w$}  {id}{}  {:<15}  {}",
                    p.row,
                    " ".repeat(pad),
                    p.outcome.as_str().replace('_', " "),
                    sanitize(&p.who(&system))
                )
                .trim_end()
                .to_owned(),
            );
            // What the row changes, field by field, before → after (the dialog wraps
            // its lines and drops leading spaces: a mark sets them apart).
            for c in &p.changes {
                lines.push(format!("  · {}", sanitize(&c.text())));
            }
        }
        if total > shown.len() as u64 {
            lines.push(format!(
                "… {} more rows (roster import --dry-run prints them all).",
                thousands(total - shown.len() as u64)
            ));
        }
        body.push(lines.join("\n"));
    }
    let verb = if pulled.is_some() { "Pull" } else { "Import" };
    let confirm = match r.mass_create {
        Some(m) => format!("{verb}, creating {} profiles", thousands(m.created)),
        None => verb.to_owned(),
    };
    let title = match pulled {
        Some(source) => format!("Pull the source {} into {system}?", sanitize(source)),
        None => format!("Import {file} into {system}?"),
    };
    Dialog::confirm(
        title,
        body,
        &confirm,
        Intent::Import {
            mass: r.mass_create.is_some(),
        },
    )
}

/// A refused import: its sentence and every problem listed, in a dialog to read.
pub fn error_dialog(e: &Error) -> Dialog {
    let text = e.to_string();
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default().to_owned();
    let problems: Vec<String> = lines.map(|l| l.trim().to_owned()).collect();
    let mut body = vec![first];
    if !problems.is_empty() {
        body.push(problems.join("\n"));
    }
    Dialog::notice("Nothing was imported", body)
}

/// The import's thread is done.
pub fn finished(state: &mut State, svc: &mut Service, result: Result<ImportReport, Error>) {
    state.progress = None;
    let Some(flow) = state.import.as_mut() else {
        return;
    };
    flow.stage = ImportStage::Over;
    match result {
        Ok(report) if report.dry_run => {
            flow.stage = ImportStage::Planned;
            state.help = None;
            let pulled = flow.source.clone();
            state.popup = Some(Popup::Dialog(plan_dialog(&report, pulled.as_deref())));
            state.info(format!(
                "The dry run wrote nothing. Read the plan ({} scroll); Cancel is selected.",
                pair(Scope::Dialog, Action::Down, Action::Up)
            ));
        }
        Ok(report) => {
            let pulled = flow.source.clone();
            reload(state, svc);
            state.success(match pulled {
                Some(source) => crate::tui::pull::summary(&source, &report),
                None => summary(&report),
            });
        }
        Err(e) => {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or_default().to_owned();
            if text.contains('\n') {
                state.help = None;
                state.popup = Some(Popup::Dialog(error_dialog(&e)));
                state.error(first);
            } else {
                // One sentence (no such file, a bad column map…): back to the form, to fix.
                state.error(first);
                let pulled = state.import.as_ref().is_some_and(|f| f.source.is_some());
                if !pulled && state.popup.is_none() && state.help.is_none() {
                    open_form(state);
                }
            }
            if matches!(e, Error::Stale(_)) {
                reload(state, svc);
            }
        }
    }
}
