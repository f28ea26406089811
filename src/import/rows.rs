//! What every reader does with the raw values of its records, whatever the format:
//! choose the mapping on the header (or the first record), build each record, refuse a
//! file whose first ID cannot be the system's (saying what the file looks like), and
//! notice a mapping that gives no row an email or a name.

use super::mapping::{self, Columns, NameSet};
use super::record::{self, Built, Raw};
use super::{Item, Problem, ReadInfo, ReadOptions};
use crate::domain::sanitize::escape_for_text;
use crate::domain::skipped::SkippedRow;
use crate::domain::system::display_name;
use crate::error::Error;

pub struct Rows<'o, 'a> {
    pub opts: &'o ReadOptions<'a>,
    pub names: NameSet,
    cols: Option<Columns>,
    /// The slots the header or first record has, and their names as the file spells
    /// them: what the file looks like, for messages.
    first: (Vec<usize>, Vec<String>, &'static str),
    /// Whether a record's ID has been checked against the system's shape.
    shape_checked: bool,
    records: u64,
    /// Some record had an email or a name.
    people: bool,
}

impl<'o, 'a> Rows<'o, 'a> {
    pub fn new(opts: &'o ReadOptions<'a>) -> Rows<'o, 'a> {
        Rows {
            opts,
            names: NameSet::new(opts.map),
            cols: None,
            first: (Vec::new(), Vec::new(), "columns"),
            shape_checked: false,
            records: 0,
            people: false,
        }
    }

    pub fn columns(&self) -> Option<&Columns> {
        self.cols.as_ref()
    }

    /// Chooses the mapping from the names of the header or first record (`what`: how
    /// messages call them); refuses the file when none fits.
    pub fn choose(
        &mut self,
        has: &dyn Fn(usize) -> bool,
        what: &'static str,
        present: &[String],
        info: &mut ReadInfo,
    ) -> Result<&Columns, Error> {
        let chosen = mapping::choose(self.opts, &self.names, has, what, present)
            .map_err(|why| self.refusal(&why))?;
        info.preset = Some(chosen.preset);
        self.first = (
            (0..self.names.names.len()).filter(|s| has(*s)).collect(),
            present.to_vec(),
            what,
        );
        Ok(self.cols.insert(chosen))
    }

    fn refusal(&self, why: &str) -> Error {
        Error::Invalid(format!(
            "Nothing was imported: {}: {why}.",
            escape_for_text(self.opts.file)
        ))
    }

    /// Builds the record of `row` and hands on what it is.
    pub fn emit<'r>(
        &mut self,
        row: u64,
        line: Option<u64>,
        get: &dyn Fn(usize) -> Raw<'r>,
        sink: &mut dyn FnMut(Item) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let cols = self.cols.as_ref().expect("the mapping is chosen first");
        match record::build(self.opts.system, row, line, cols, self.opts.wording, get) {
            Built::Record(r) => {
                self.shape_checked = true;
                self.records += 1;
                self.people |= r.email.value().is_some() || r.name.value().is_some();
                sink(Item::Record(r))
            }
            Built::Skipped {
                external_id,
                reason,
            } => sink(Item::Skipped(SkippedRow {
                row,
                external_id,
                reason,
            })),
            Built::Problems {
                external_id,
                misfit,
                problems,
            } => {
                if let Some(why) = misfit
                    && !self.shape_checked
                {
                    return Err(self.misfit(row, &why, external_id.as_deref()));
                }
                if let Some(external_id) = external_id {
                    self.shape_checked = true;
                    sink(Item::Seen {
                        row,
                        line,
                        external_id,
                    })?;
                }
                for message in problems {
                    sink(Item::Problem(Problem {
                        row: Some(row),
                        line,
                        message,
                    }))?;
                }
                Ok(())
            }
        }
    }

    /// The first ID does not fit the system: the file is refused whole, with what it
    /// looks like instead.
    fn misfit(&self, row: u64, why: &str, id: Option<&str>) -> Error {
        let (slots, present, _) = &self.first;
        let has = |s: usize| slots.contains(&s);
        let system = self.opts.system;
        let look = mapping::looks_like(&self.names, &has, present, id, None, false)
            .map(|l| l.sentence())
            .unwrap_or_else(|| {
                format!("check that --system {system} is the system this file comes from")
            });
        Error::Invalid(format!(
            "Nothing was imported: {} does not hold {} accounts: on row {row}, {why}; {look}.",
            escape_for_text(self.opts.file),
            display_name(system),
        ))
    }

    /// After the last record: the warning of a mapping that gave no row an email or a
    /// name (profiles would be named after their IDs).
    pub fn finish(&self, info: &mut ReadInfo) {
        if self.records == 0 || self.people {
            return;
        }
        let (_, present, what) = &self.first;
        let how = match self.cols.as_ref().map(|c| c.preset) {
            Some(p) => format!(", read as {} ({})", p.as_str(), p.describe()),
            None => String::new(),
        };
        info.warnings.push(format!(
            "no row of {} has an email or a name{how}, so new profiles are named after their external IDs; if the file has them, name them with {} email=…,name=… (the {what} are: {})",
            escape_for_text(self.opts.file),
            self.opts.wording.map,
            mapping::shown(present)
        ));
    }
}
