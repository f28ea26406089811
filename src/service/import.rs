//! The import of SPEC §3 as one service function, under the command line and the app:
//! read (streaming), validate, plan (pure domain), write (store), all in one
//! transaction; a dry run goes the same way and writes nothing.

use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Service, now};
use crate::domain::planner::{ConflictRow, Outcome, Planner, Tally};
use crate::domain::sanitize::escape_for_text;
use crate::domain::system::{display_name, validate_key};
use crate::error::Error;
use crate::import::{
    self, ColumnMap, Duplicates, Format, Input, Item, Preset, Problems, ReadOptions,
};
use crate::store::audit::{self, NewEntry};
use crate::store::import_writer::{self, Run, StoreKeys, Writer};
use crate::store::{employees, settings};

/// An import as asked for.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The export file; `-` reads stdin.
    pub path: PathBuf,
    pub system: String,
    pub format: Option<Format>,
    pub preset: Option<Preset>,
    pub map: Option<ColumnMap>,
    pub dry_run: bool,
    pub allow_mass_create: bool,
}

impl ImportRequest {
    pub fn new(path: impl Into<PathBuf>, system: &str) -> ImportRequest {
        ImportRequest {
            path: path.into(),
            system: system.to_owned(),
            format: None,
            preset: None,
            map: None,
            dry_run: false,
            allow_mass_create: false,
        }
    }

    /// How messages name the file.
    pub fn file_label(&self) -> String {
        if self.path.as_os_str() == "-" {
            "stdin".to_owned()
        } else {
            self.path.display().to_string()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading, planning and writing the records.
    Records,
    /// Updating derived columns and the audit log after the last record.
    Finishing,
}

/// Where an import is, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub phase: Phase,
    pub rows: u64,
    pub bytes_read: u64,
    /// The file's size (none for stdin).
    pub total_bytes: Option<u64>,
}

impl Progress {
    /// 0.0–1.0 when the size is known.
    pub fn fraction(&self) -> Option<f64> {
        self.total_bytes
            .filter(|t| *t > 0)
            .map(|t| (self.bytes_read as f64 / t as f64).min(1.0))
    }
}

/// One row of a dry run's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanRow {
    pub row: u64,
    pub external_id: String,
    pub outcome: Outcome,
    pub employee_id: Option<i64>,
}

/// The mass-create safeguard's numbers, when it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MassCreate {
    pub created: u64,
    pub existing: u64,
}

/// The report of SPEC §4.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub system: String,
    pub file: String,
    pub dry_run: bool,
    pub format: Option<Format>,
    pub preset: Option<Preset>,
    pub tally: Tally,
    /// Per row, for a dry run.
    pub plan: Option<Vec<PlanRow>>,
    pub warnings: Vec<String>,
    /// The names of the conflicts' candidates.
    pub names: HashMap<i64, String>,
    /// Set when the import creates more than the safeguard allows: a dry run says that
    /// the real run needs `--allow-mass-create`; a real run got it.
    pub mass_create: Option<MassCreate>,
    pub import_run: Option<i64>,
    pub audit_id: Option<i64>,
}

impl ImportReport {
    pub fn conflicts(&self) -> &[ConflictRow] {
        &self.tally.conflicts
    }
}

/// The safeguard: more new profiles than 20% of the existing ones, in a file of more
/// than 50 rows.
pub fn mass_create(rows: u64, created: u64, existing: u64) -> bool {
    rows > 50 && created * 5 > existing
}

const PROGRESS_EVERY: u64 = 4096;

/// The SQLite page cache while an import runs (KiB); restored afterwards.
const IMPORT_CACHE_KIB: i64 = 128 * 1024;

impl Service {
    /// Imports (or, with `dry_run`, plans) one export file. `progress` is called every
    /// few thousand rows and once when finishing.
    pub fn import(
        &mut self,
        req: &ImportRequest,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ImportReport, Error> {
        validate_key(&req.system)?;
        let mut input = Input::open(&req.path)?;
        self.import_input(req, &mut input, progress)
    }

    /// The same, from an opened input (the demo imports bundled files this way).
    pub fn import_input(
        &mut self,
        req: &ImportRequest,
        input: &mut Input,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ImportReport, Error> {
        validate_key(&req.system)?;
        let at = now();
        let actor = self.actor.clone();
        let created_by = actor.label();
        if req.dry_run {
            return self
                .store
                .read(|db| run(db, req, input, &created_by, &at, progress, false))
                .map(|(report, _)| report);
        }
        let cache = |db: &Connection, kib: i64| db.pragma_update(None, "cache_size", -kib);
        cache(self.store.conn(), IMPORT_CACHE_KIB)?;
        let result = self.store.write(|db| {
            let (mut report, touched) = run(db, req, input, &created_by, &at, progress, true)?;
            let touched = touched.unwrap_or_default();
            let t = &report.tally;
            let summary = format!(
                "Imported {} from {}: {} row{}; {} created, {} linked by email, {} matched by ID ({} unchanged), {} profile{} updated, {} conflict{}.",
                escape_for_text(&report.file),
                display_name(&req.system),
                t.rows,
                plural(t.rows),
                t.created,
                t.linked_by_email,
                t.matched,
                t.unchanged,
                t.profiles_updated,
                plural(t.profiles_updated),
                t.conflicts.len(),
                plural(t.conflicts.len() as u64)
            );
            let stored_file = stored_name(&req.path);
            let preset = report.preset.map(Preset::as_str);
            let run_id = import_writer::record_run(
                db,
                &Run {
                    at: &at,
                    actor: &created_by,
                    system: &req.system,
                    file: &stored_file,
                    preset,
                    rows: t.rows,
                    matched: t.matched,
                    unchanged: t.unchanged,
                    profiles_updated: t.profiles_updated,
                    linked_by_email: t.linked_by_email,
                    created: t.created,
                    conflicts: t.conflicts.len() as u64,
                    audit_id: None,
                },
            )?;
            let changes = serde_json::json!({
                "import_run": run_id,
                "system": req.system,
                "file": stored_file,
                "format": report.format.map(Format::as_str),
                "preset": preset,
                "rows": t.rows,
                "matched": t.matched,
                "unchanged": t.unchanged,
                "profiles_updated": t.profiles_updated,
                "linked_by_email": t.linked_by_email,
                "created": t.created,
                "conflicts": t.conflicts.len(),
                "employees_touched": touched.len(),
            });
            let audit_id = audit::append_raw(
                db,
                &NewEntry {
                    at: &at,
                    actor: &actor,
                    action: "import",
                    summary: &summary,
                    changes: &Default::default(),
                    undoable: false,
                    reverts: None,
                },
                &changes.to_string(),
                std::iter::empty(),
            )?;
            import_writer::link_audit(db, audit_id, &touched)?;
            db.execute(
                "UPDATE import_runs SET audit_id = ?1 WHERE id = ?2",
                [audit_id, run_id],
            )?;
            report.import_run = Some(run_id);
            report.audit_id = Some(audit_id);
            Ok(report)
        });
        cache(self.store.conn(), 32_000)?;
        result
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The file as the import-run record keeps it: the absolute path when there is one.
fn stored_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "-".to_owned();
    }
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_owned())
        .display()
        .to_string()
}

/// Reads, validates and plans the whole file, writing each step when `write`; returns
/// the report and, when written, the employees touched.
fn run(
    db: &Connection,
    req: &ImportRequest,
    input: &mut Input,
    created_by: &str,
    at: &str,
    progress: &mut dyn FnMut(&Progress),
    write: bool,
) -> Result<(ImportReport, Option<Vec<i64>>), Error> {
    let file = req.file_label();
    let format = req.format.or_else(|| Format::of_path(&req.path));
    let mut keys = StoreKeys::load(db, &req.system)?;
    let review = settings::review(db)?;
    let existing = import_writer::employee_count(db)?;
    let mut planner = Planner::new(review, employees::next_id(db)?);
    let mut writer = write.then(|| Writer::new(db, &req.system, created_by, at));
    let mut problems = Problems::default();
    let mut duplicates = Duplicates::new();
    let mut tally = Tally::default();
    let mut plan = req.dry_run.then(Vec::new);
    let mut items = 0u64;
    let bytes = input.bytes_read.clone();
    let total_bytes = input.size;
    let opts = ReadOptions {
        system: &req.system,
        format,
        preset: req.preset,
        map: req.map.as_ref(),
        file: &file,
    };
    let info = import::read(&mut *input.reader, &opts, &mut |item| {
        items += 1;
        if items.is_multiple_of(PROGRESS_EVERY) {
            progress(&Progress {
                phase: Phase::Records,
                rows: items,
                bytes_read: bytes.get(),
                total_bytes,
            });
        }
        let record = match item {
            Item::Problem(p) => {
                problems.push(p);
                return Ok(());
            }
            Item::Record(r) => r,
        };
        if let Some(p) = duplicates.check(&record) {
            problems.push(p);
            return Ok(());
        }
        if !problems.is_empty() {
            // The import is refused already; the rest is read only to list its problems.
            return Ok(());
        }
        let step = planner.plan(&mut keys, &record)?;
        tally.add(&record, &step);
        if let Some(plan) = plan.as_mut() {
            plan.push(PlanRow {
                row: record.row,
                external_id: record.external_id.clone(),
                outcome: step.outcome(),
                employee_id: step.employee_id(),
            });
        }
        if let Some(w) = writer.as_mut() {
            w.write(&step)?;
        }
        Ok(())
    })?;
    if !problems.is_empty() {
        return Err(problems.into_error(&file));
    }
    progress(&Progress {
        phase: Phase::Finishing,
        rows: items,
        bytes_read: bytes.get(),
        total_bytes,
    });
    let mass = mass_create(tally.rows, tally.created, existing).then_some(MassCreate {
        created: tally.created,
        existing,
    });
    if let Some(m) = mass
        && write
        && !req.allow_mass_create
    {
        return Err(Error::Refused(format!(
            "Nothing was imported: {} would create {} new profiles, more than 20% of the {} that exist. Check that --system {} and the file are the ones you meant; to go ahead, run the import again with --allow-mass-create (try --dry-run first to see each row).",
            escape_for_text(&file),
            m.created,
            m.existing,
            req.system
        )));
    }
    let touched = writer.map(Writer::finish).transpose()?;
    let candidates: Vec<i64> = tally
        .conflicts
        .iter()
        .flat_map(|c| c.candidates.iter().copied())
        .collect();
    let names = import_writer::names(db, &candidates)?;
    Ok((
        ImportReport {
            system: req.system.clone(),
            file,
            dry_run: req.dry_run,
            format: info.format,
            preset: info.preset,
            tally,
            plan,
            warnings: info.warnings,
            names,
            mass_create: mass,
            import_run: None,
            audit_id: None,
        },
        touched,
    ))
}
