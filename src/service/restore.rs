//! `roster import FILE --system roster` (the `roster` preset): a roster connections
//! export restored into an empty store, the same profiles (ids, fields, status, login
//! access, management, merges) and connections (with their provenance), as one audited
//! action that `roster undo` takes back (README "Exporting").

use std::collections::{HashMap, HashSet};

use super::Service;
use super::import::{ImportReport, ImportRequest};
use crate::domain::actions::Plan;
use crate::domain::change::{ChangeSet, Op};
use crate::domain::model::Profile;
use crate::domain::planner::Tally;
use crate::domain::sanitize::escape_for_text;
use crate::error::Error;
use crate::import::{Format, Input, Preset, roster_export};
use crate::store::import_writer::employee_count;

/// The preset that reads roster's own export.
pub const PRESET: &str = "roster";

/// Whether `req` restores a roster export.
pub fn asks_restore(req: &ImportRequest) -> bool {
    req.preset
        .or_else(|| Preset::of_system(&req.system))
        .is_some_and(|p| p.as_str() == PRESET)
}

impl Service {
    pub(super) fn restore(
        &mut self,
        req: &ImportRequest,
        input: &mut Input,
    ) -> Result<ImportReport, Error> {
        let file = req.file_label();
        if req.system != PRESET {
            return Err(Error::Invalid(
                "Nothing was imported: --preset roster restores a whole roster export, every system in it; give --system roster (the file's systems are in its system column).".into(),
            ));
        }
        if req.map.is_some() {
            return Err(Error::Invalid(
                "Nothing was imported: a roster export needs no column map; leave out --map."
                    .into(),
            ));
        }
        let format = req.format.or_else(|| Format::of_path(&req.path));
        let export = roster_export::read(&mut *input.reader, format, &file)?;
        let profiles = export.profiles.len() as u64;
        let accounts: u64 = export
            .profiles
            .iter()
            .map(|p| p.connections.len() as u64)
            .sum();
        let mut report = ImportReport {
            system: req.system.clone(),
            file: file.clone(),
            dry_run: req.dry_run,
            format,
            preset: Preset::parse(PRESET),
            tally: Tally {
                rows: export.rows,
                created: profiles,
                ..Tally::default()
            },
            plan: None,
            warnings: vec![format!(
                "A roster export: {} {profiles} profile{} and {accounts} connection{} as exported (ids, status, login access, management, provenance).",
                if req.dry_run {
                    "restoring it creates"
                } else {
                    "restored"
                },
                super::import::plural(profiles),
                super::import::plural(accounts)
            )],
            names: HashMap::new(),
            mass_create: None,
            import_run: None,
            audit_id: None,
            timings: Vec::new(),
            rebuilt_indexes: Vec::new(),
            review: None,
            undoable: false,
        };
        if req.dry_run {
            self.store.read(|db| refuse_unless_empty(db, &file))?;
            return Ok(report);
        }
        let ops = ops(export.profiles, &file)?;
        let summary = format!(
            "Restored {profiles} profile{} and {accounts} connection{} from the roster export {}.",
            super::import::plural(profiles),
            super::import::plural(accounts),
            escape_for_text(&file)
        );
        let done = self.perform(&[], |db, _| {
            refuse_unless_empty(db, &file)?;
            Ok(Plan {
                action: "restore",
                summary,
                changes: ChangeSet { ops },
            })
        })?;
        report.audit_id = Some(done.audit_id);
        report.undoable = true;
        Ok(report)
    }
}

fn refuse_unless_empty(db: &rusqlite::Connection, file: &str) -> Result<(), Error> {
    let n = employee_count(db)?;
    if n > 0 {
        return Err(Error::Refused(format!(
            "Nothing was imported: a roster export is restored into an empty store only, and this one holds {n} profile{}; restore {} into a new store (roster --db NEW.db import {} --system roster).",
            super::import::plural(n),
            escape_for_text(file),
            escape_for_text(file)
        )));
    }
    Ok(())
}

/// The inserts: a profile after the one it is merged into, its connections after it.
fn ops(profiles: Vec<Profile>, file: &str) -> Result<Vec<Op>, Error> {
    let mut ops = Vec::new();
    let mut placed = HashSet::new();
    let mut left = profiles;
    while !left.is_empty() {
        let (ready, waiting): (Vec<Profile>, Vec<Profile>) = left
            .into_iter()
            .partition(|p| p.employee.merged_into.is_none_or(|m| placed.contains(&m)));
        if ready.is_empty() {
            return Err(Error::Invalid(format!(
                "Nothing was imported: in {}, profiles are merged into each other in a circle ({}).",
                escape_for_text(file),
                waiting
                    .iter()
                    .map(|p| format!("#{}", p.employee.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        for p in ready {
            placed.insert(p.employee.id);
            ops.push(Op::InsertEmployee { after: p.employee });
            ops.extend(
                p.connections
                    .into_iter()
                    .map(|c| Op::InsertConnection { after: c }),
            );
        }
        left = waiting;
    }
    Ok(ops)
}
