//! `roster export`: the table, or one row per connection, as CSV or JSON on stdout
//! (README "Exporting"), written row by row as the service reads them.

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::io::Write;

use super::args::ExportFormat;
use crate::domain::export::{self, CONNECTIONS, Cell, TABLE};
use crate::domain::listing::Tab;
use crate::domain::model::Profile;
use crate::error::Error;
use crate::service::Service;

/// One row as a JSON object, its keys in the columns' order.
struct Row<'a>(&'a [&'static str], &'a [Cell]);

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0.iter().zip(self.1) {
            map.serialize_entry(k, &v.json())?;
        }
        map.end()
    }
}

/// Writes the export to `w`; a closed pipe (`roster export | head`) ends it quietly.
pub fn run(
    svc: &mut Service,
    tab: Tab,
    format: ExportFormat,
    connections: bool,
    w: &mut dyn Write,
) -> Result<(), Error> {
    let columns = if connections { CONNECTIONS } else { TABLE };
    let rows = |p: &Profile| {
        if connections {
            export::connection_rows(p)
        } else {
            vec![export::table_row(p)]
        }
    };
    let result = match format {
        ExportFormat::Csv => {
            let mut csv = csv::WriterBuilder::new().from_writer(&mut *w);
            csv.write_record(columns).map_err(io)?;
            svc.export(tab, &mut |p| {
                for row in rows(p) {
                    csv.write_record(
                        row.iter()
                            .map(|c| export::neutralise(&c.text()).into_owned()),
                    )
                    .map_err(io)?;
                }
                Ok(())
            })
            .and_then(|_| csv.flush().map_err(|e| io(e.into())))
        }
        ExportFormat::Json => {
            let mut first = true;
            w.write_all(b"[").map_err(|e| io(e.into()))?;
            svc.export(tab, &mut |p| {
                for row in rows(p) {
                    let mut one = Vec::new();
                    super::json::write_pretty(&mut one, &Row(columns, &row))
                        .map_err(|e| io(e.into()))?;
                    // Indented as a pretty array of these objects would be.
                    let text = String::from_utf8_lossy(&one).replace('\n', "\n  ");
                    let sep = if first { "\n  " } else { ",\n  " };
                    first = false;
                    w.write_all(sep.as_bytes())
                        .and_then(|_| w.write_all(text.as_bytes()))
                        .map_err(|e| io(e.into()))?;
                }
                Ok(())
            })
            .and_then(|_| {
                w.write_all(if first { b"]\n" } else { b"\n]\n" })
                    .map_err(|e| io(e.into()))
            })
        }
    };
    match result {
        Err(Error::Io(m)) if m == BROKEN_PIPE => Ok(()),
        r => r.map(|_| ()),
    }
}

const BROKEN_PIPE: &str = "broken pipe";

fn io(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Error::Io(BROKEN_PIPE.into())
        }
        csv::ErrorKind::Io(e) => Error::Io(format!("Cannot write the export: {e}.")),
        k => Error::Io(format!("Cannot write the export: {k:?}.")),
    }
}
