//! The import (README "Importing › The rules") as one service function, under the command line and the app:
//! read (streaming), validate, plan (pure domain), write (store), all in one
//! transaction; a dry run goes the same way and writes nothing.

use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::plan::{self, Names, Plan};
use super::{Service, now};
use crate::domain::planner::{Planner, Tally};
use crate::domain::review::ReviewCounts;
use crate::domain::sanitize::escape_for_text;
use crate::domain::system::{display_name, validate_key};
use crate::error::Error;
use crate::import::{
    self, ColumnMap, Duplicates, Format, Input, Item, Preset, Problems, ReadOptions, Wording,
};
use crate::store::audit::{self, NewEntry};
use crate::store::holder::Holder;
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
    /// The system key is meant as a new system, even when it is a couple of letters from
    /// one roster knows or the store holds (`--new-system`).
    pub new_system: bool,
    /// How messages name the map and the preset: as the front that asked does.
    pub wording: Wording,
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
            new_system: false,
            wording: Wording::CLI,
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
    /// The rows done.
    pub rows: u64,
    /// The rows the reader has parsed: it runs ahead of `rows` (by up to thousands),
    /// and `bytes_read` are its bytes.
    pub rows_read: u64,
    pub bytes_read: u64,
    /// The file's size (none for stdin).
    pub total_bytes: Option<u64>,
}

impl Progress {
    /// 0.0–1.0 when the size is known: the rows done out of the rows the file holds at
    /// the reader's bytes per row (the bytes alone run ahead of the rows done, to 100%
    /// with a small file's last thousands of rows still to do).
    pub fn fraction(&self) -> Option<f64> {
        let total = self.total_bytes.filter(|t| *t > 0)? as f64;
        let read = (self.bytes_read as f64 / total).min(1.0);
        if self.rows_read == 0 || read == 0.0 {
            return Some(read);
        }
        let rows_in_file = self.rows_read as f64 / read;
        Some((self.rows as f64 / rows_in_file).min(1.0))
    }
}

/// The mass-create safeguard's numbers, when it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MassCreate {
    pub created: u64,
    pub existing: u64,
}

/// The report (README "Importing › The report").
#[derive(Debug)]
pub struct ImportReport {
    pub system: String,
    pub file: String,
    pub dry_run: bool,
    pub format: Option<Format>,
    pub preset: Option<Preset>,
    pub tally: Tally,
    /// Per row, for a dry run.
    pub plan: Option<Plan>,
    pub warnings: Vec<String>,
    /// The names of the conflicts' candidates.
    pub names: HashMap<i64, String>,
    /// Set when the import creates more than the safeguard allows: a dry run says that
    /// the real run needs `--allow-mass-create`; a real run got it.
    pub mass_create: Option<MassCreate>,
    pub import_run: Option<i64>,
    pub audit_id: Option<i64>,
    /// How long each phase took, for benchmarks (`ROSTER_TIMINGS=1` prints them).
    pub timings: Vec<(&'static str, Duration)>,
    /// Tables whose secondary indexes were built afresh after this (big) import.
    pub rebuilt_indexes: Vec<String>,
    /// What a real run did to the review inbox.
    pub review: Option<ReviewCounts>,
    /// A real run that changed something: `roster undo` can take it back.
    pub undoable: bool,
}

impl ImportReport {
    /// A conflict's candidate for people: "Jane Doe (#4)", escaped for the terminal.
    pub fn candidate_label(&self, id: i64) -> String {
        match self.names.get(&id) {
            Some(n) => format!("{} (#{id})", crate::domain::sanitize::sanitize(n)),
            None => format!("#{id}"),
        }
    }

    /// How the file was read, for the report's first line: " (csv, read as salesforce)".
    pub fn read_as(&self) -> String {
        match (self.format, self.preset) {
            (Some(f), Some(p)) => format!(" ({}, read as {})", f.as_str(), p.as_str()),
            (Some(f), None) => format!(" ({})", f.as_str()),
            _ => String::new(),
        }
    }
}

/// The safeguard: more new profiles than 20% of the existing ones, in a file of more
/// than 50 rows. The first import into an empty store is no mistake to catch: there is
/// nothing to protect.
pub fn mass_create(rows: u64, created: u64, existing: u64) -> bool {
    existing > 0 && rows > 50 && created * 5 > existing
}

const PROGRESS_EVERY: u64 = 4096;

/// How often (in records) a running import asks whether it is big enough to build
/// the secondary indexes afresh at the end instead of inserting into them row by row.
const DEFER_CHECK_EVERY: u64 = 1024;

/// Whether a table that holds `existing` rows gets so many new ones (`projected` over
/// the whole file) that building its secondary indexes afresh at the end beats
/// inserting into them row by row.
fn big_insert(projected: u64, existing: u64) -> bool {
    crate::store::bulk::worth_rebuilding(projected, existing, rebuild_min())
}

/// The fewest inserts (or an undo's deletes) for which indexes are rebuilt: 100,000, or
/// `ROSTER_INDEX_REBUILD_MIN` (for tests, which check that both ways give the same store).
pub fn rebuild_min() -> u64 {
    std::env::var("ROSTER_INDEX_REBUILD_MIN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// The SQLite page cache while an import runs (KiB); restored afterwards.
pub const IMPORT_CACHE_KIB: i64 = 128 * 1024;
const IMPORT_SORT_THREADS: i64 = 2;

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
        self.check_system(&req.system, req.new_system, req.wording)?;
        if super::restore::asks_restore(req) {
            return self.restore(req, input);
        }
        let actor = self.actor.clone();
        let created_by = actor.label();
        if req.dry_run {
            let at = now();
            return self
                .store
                .read(|db| run(db, req, input, &created_by, &at, progress, None))
                .map(|(report, _)| report);
        }
        self.store.set_cache_kib(IMPORT_CACHE_KIB)?;
        // Index builds sort; let SQLite sort on a second core (it uses up to this many
        // helper threads, only while sorting).
        self.store
            .conn()
            .pragma_update(None, "threads", IMPORT_SORT_THREADS)?;
        let mut commit = Instant::now();
        // The write lock is held for the whole import: say who holds it, for anyone who
        // finds the store busy meanwhile.
        let holder = Holder {
            what: format!(
                "an import of {} ({})",
                req.file_label(),
                display_name(&req.system)
            ),
            actor: created_by.clone(),
            // Stamped when the lock is taken.
            since: String::new(),
            pid: std::process::id(),
        };
        let result = self.store.write_as(&holder, |db| {
            // The import's time is read once it holds the write lock (as every action's):
            // the audit entries' ids and times agree.
            let at = now();
            let stored_file = stored_name(&req.path);
            let run_id = import_writer::start_run(
                db,
                &Run {
                    at: &at,
                    actor: &created_by,
                    system: &req.system,
                    file: &stored_file,
                    preset: req.preset.map(Preset::as_str),
                },
            )?;
            let (mut report, touched) =
                run(db, req, input, &created_by, &at, progress, Some(run_id))?;
            crate::debug::pause("import-written");
            let touched = touched.unwrap_or_default();
            // The duplicates among the profiles it touched go to the review inbox.
            let t = Instant::now();
            let writing = crate::store::duplicates::Writing {
                at: &at,
                by: &created_by,
                run: Some(run_id),
            };
            // What it raises or closes is in the import's journal: its undo takes it back.
            let mut journal = crate::store::import_journal::Journal::new(db, run_id)?;
            let dups = super::review::after_import(db, &touched, &writing, &mut |c| {
                journal.review(c)
            })?;
            report.undoable |= !journal.is_empty();
            drop(journal);
            if let Some(r) = report.review.as_mut() {
                r.raised += dups.raised;
                r.refreshed += dups.refreshed;
                r.settled += dups.closed;
            }
            report.timings.push(("duplicates", t.elapsed()));
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
            let preset = report.preset.map(Preset::as_str);
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
                "skipped": t.skipped.count,
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
                    // `roster undo` takes an import back through its journal.
                    undoable: report.undoable,
                    reverts: None,
                },
                &changes.to_string(),
                std::iter::empty(),
            )?;
            let t = Instant::now();
            import_writer::link_audit(db, audit_id, &touched)?;
            report.timings.push(("audit", t.elapsed()));
            import_writer::finish_run(db, run_id, &report.tally, preset, audit_id)?;
            report.import_run = Some(run_id);
            report.audit_id = Some(audit_id);
            commit = Instant::now();
            Ok(report)
        });
        self.store.set_cache_kib(crate::store::DEFAULT_CACHE_KIB)?;
        result.map(|mut r| {
            r.timings.push(("commit", commit.elapsed()));
            r
        })
    }
}

/// "s" after a count other than one.
pub fn plural(n: u64) -> &'static str {
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

/// Reads, validates and plans the whole file, writing each step when `write` names the
/// import run; returns the report and, when written, the employees touched.
fn run(
    db: &Connection,
    req: &ImportRequest,
    input: &mut Input,
    created_by: &str,
    at: &str,
    progress: &mut dyn FnMut(&Progress),
    write: Option<i64>,
) -> Result<(ImportReport, Option<Vec<i64>>), Error> {
    let file = req.file_label();
    let format = req.format.or_else(|| Format::of_path(&req.path));
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let mut keys = StoreKeys::load(db, &req.system)?;
    let emails_loading = std::rc::Rc::new(std::cell::Cell::new(Duration::ZERO));
    lap("load keys", &mut timings);
    let review = settings::review(db)?;
    let existing = import_writer::employee_count(db)?;
    let first_new = employees::next_id(db)?;
    let mut planner = Planner::new(review, first_new);
    let mut names = Names::new(db, first_new);
    let mut writer = match write {
        Some(run) => Some(Writer::new(db, &req.system, created_by, at, run)?),
        None => None,
    };
    let existing_connections = import_writer::connection_count(db)?;
    let mut problems = Problems::default();
    let mut duplicates = Duplicates::new();
    let mut tally = Tally::default();
    let mut plan = req.dry_run.then(Plan::default);
    let mut items = 0u64;
    let mut writing = Duration::ZERO;
    {
        let emails_loading = emails_loading.clone();
        let started = Instant::now();
        keys.on_emails_loaded = Some(Box::new(move |_| emails_loading.set(started.elapsed())));
    }
    let bytes = input.bytes_read.clone();
    let parsed = std::sync::atomic::AtomicU64::new(0);
    let total_bytes = input.size;
    let opts = ReadOptions {
        system: &req.system,
        format,
        preset: req.preset,
        map: req.map.as_ref(),
        file: &file,
        wording: req.wording,
    };
    let mut handle = |item: Item| -> Result<(), Error> {
        items += 1;
        if items.is_multiple_of(PROGRESS_EVERY) {
            progress(&Progress {
                phase: Phase::Records,
                rows: items,
                rows_read: parsed.load(Ordering::Relaxed),
                bytes_read: bytes.load(Ordering::Relaxed),
                total_bytes,
            });
        }
        let record = match item {
            Item::Problem(p) => {
                problems.push(p);
                return Ok(());
            }
            Item::Seen {
                row,
                line,
                external_id,
            } => {
                // A row with problems still claims its ID: a repeat is reported now,
                // not in the next round.
                if let Some(p) = duplicates.check(&external_id, row, line) {
                    problems.push(p);
                }
                return Ok(());
            }
            Item::Skipped(s) => {
                tally.skipped.add(s);
                return Ok(());
            }
            Item::Record(r) => r,
        };
        if let Some(p) = duplicates.check(&record.external_id, record.row, record.line) {
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
            plan.push(plan::row_of(&record, &step, &mut names)?)?;
        }
        if let Some(w) = writer.as_mut() {
            let t = Instant::now();
            if tally.rows.is_multiple_of(DEFER_CHECK_EVERY) {
                let read = bytes.load(Ordering::Relaxed);
                let fraction = match total_bytes {
                    Some(t) if t > 0 && read > 0 => read as f64 / t as f64,
                    _ => 1.0,
                };
                let projected = |n: u64| (n as f64 / fraction) as u64;
                if big_insert(projected(tally.created), existing) {
                    w.defer_indexes("employees")?;
                }
                if big_insert(
                    projected(tally.created + tally.linked_by_email),
                    existing_connections,
                ) {
                    w.defer_indexes("connections")?;
                }
            }
            w.write(&record, &step)?;
            writing += t.elapsed();
        }
        Ok(())
    };
    let info = read_in_background(&mut *input.reader, &opts, &parsed, &mut handle)?;
    timings.push(("  of which writing", writing));
    timings.push(("  of which loading emails", emails_loading.get()));
    if !problems.is_empty() {
        return Err(problems.into_error(&file));
    }
    progress(&Progress {
        phase: Phase::Finishing,
        rows: items,
        rows_read: parsed.load(Ordering::Relaxed),
        bytes_read: bytes.load(Ordering::Relaxed),
        total_bytes,
    });
    let mass = mass_create(tally.rows, tally.created, existing).then_some(MassCreate {
        created: tally.created,
        existing,
    });
    if let Some(m) = mass
        && write.is_some()
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
    // The match keys are done with: free them before the indexes are rebuilt.
    drop(keys);
    drop(duplicates);
    lap("records", &mut timings);
    if writer.is_some() {
        crate::debug::pause("rows-written");
    }
    let finished = writer.map(Writer::finish).transpose()?;
    lap("derived columns and indexes", &mut timings);
    let mut rebuilt_indexes = Vec::new();
    let mut review = None;
    let mut undoable = false;
    let touched = finished.map(|f| {
        timings.push(("  of which rebuilding indexes", f.rebuild));
        rebuilt_indexes = f.rebuilt_tables;
        review = Some(f.review);
        undoable = f.undoable;
        f.employees
    });
    let candidates: Vec<i64> = tally
        .conflicts
        .iter()
        .flat_map(|c| c.candidates.iter().copied())
        .collect();
    let mut candidate_names = HashMap::new();
    for id in candidates {
        if let Some(n) = names.of(id)? {
            candidate_names.insert(id, n);
        }
    }
    if let Some(p) = plan.as_mut() {
        p.finish()?;
    }
    let mut warnings = info.warnings;
    warnings.extend(name_notes(&tally));
    Ok((
        ImportReport {
            system: req.system.clone(),
            file,
            dry_run: req.dry_run,
            format: info.format,
            preset: info.preset,
            tally,
            plan,
            warnings,
            names: candidate_names,
            mass_create: mass,
            import_run: None,
            audit_id: None,
            timings,
            rebuilt_indexes,
            review,
            undoable,
        },
        touched,
    ))
}

/// The report's notes on names: blank names that kept the stored one, new profiles
/// named from their email or their external ID.
fn name_notes(t: &Tally) -> Vec<String> {
    let mut notes = Vec::new();
    if !t.names_kept.is_empty() {
        let (rows, many) = rows_named(&t.names_kept);
        notes.push(if many {
            format!(
                "{rows} have an empty name: the names stored were kept (a blank is not a name)."
            )
        } else {
            format!("{rows} has an empty name: the name stored was kept (a blank is not a name).")
        });
    }
    for (list, from, missing) in [
        (&t.named_from_email, "from its email", "no name"),
        (
            &t.named_from_id,
            "by its external ID",
            "neither name nor email",
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        let (rows, many) = rows_named(list);
        notes.push(if many {
            format!(
                "{rows} create profiles named {} (the file gives {missing}): rename them, or import a file with names.",
                from.replace("its", "their")
            )
        } else {
            format!(
                "{rows} creates a profile named {from} (the file gives {missing}): rename it, or import a file with names."
            )
        });
    }
    notes
}

/// How many row numbers a sentence names before it counts the rest.
const ROWS_NAMED: usize = 10;

/// "Row 4", "Rows 4, 9 and 12" or "Rows 4, 9, … and 120 more"; true when more than one.
pub fn rows_named(rows: &[u64]) -> (String, bool) {
    if let [one] = rows {
        return (format!("Row {one}"), false);
    }
    let shown: Vec<String> = rows.iter().take(ROWS_NAMED).map(u64::to_string).collect();
    let text = if rows.len() > ROWS_NAMED {
        format!(
            "Rows {} and {} more",
            shown.join(", "),
            rows.len() - ROWS_NAMED
        )
    } else {
        let (last, rest) = shown.split_last().expect("two rows or more");
        format!("Rows {} and {last}", rest.join(", "))
    };
    (text, true)
}

/// Records travel from the reading thread in batches of this many.
const BATCH: usize = 512;

/// Reads (parses, validates, builds records) on a second thread while `handle` plans
/// and writes on this one: the two halves of an import overlap on two cores. The
/// handler's error wins; the reader stops at its next batch.
fn read_in_background(
    input: &mut (dyn std::io::BufRead + Send),
    opts: &ReadOptions<'_>,
    parsed: &std::sync::atomic::AtomicU64,
    handle: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<import::ReadInfo, Error> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Item>>(16);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let info = import::read(input, opts, &mut |item| {
                parsed.fetch_add(1, Ordering::Relaxed);
                batch.push(item);
                if batch.len() == BATCH {
                    tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                        .map_err(|_| Error::Stopped("The import stopped.".into()))?;
                }
                Ok(())
            });
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            info
        });
        let mut failed = None;
        'batches: for batch in rx.iter() {
            for item in batch {
                if let Err(e) = handle(item) {
                    failed = Some(e);
                    break 'batches;
                }
            }
        }
        drop(rx);
        let info = reader
            .join()
            .unwrap_or_else(|_| Err(Error::Stopped("The import's reader failed.".into())));
        match failed {
            Some(e) => Err(e),
            None => info,
        }
    })
}
