//! Reads roster's own connections export (`roster export --connections`, CSV or JSON)
//! back into profiles with their connections, for `--preset roster` (README
//! "Exporting"): every problem listed by row, nothing guessed.

use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;

use super::Format;
use super::problem::{Problem, Problems};
use crate::domain::export::{CONNECTIONS, unneutralise};
use crate::domain::model::{Connection, Employee, Origin, Profile, Status};
use crate::domain::system::validate_key;
use crate::error::Error;

/// The profiles of an export, in id order, and how many rows it had.
#[derive(Debug, Default)]
pub struct Export {
    pub profiles: Vec<Profile>,
    pub rows: u64,
}

/// Reads the whole export (`format` from the caller, else sniffed from its first byte).
pub fn read(input: &mut dyn BufRead, format: Option<Format>, file: &str) -> Result<Export, Error> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Io(format!("Cannot read {file}: {e}.")))?;
    let json = match format {
        Some(Format::Csv) => false,
        Some(_) => true,
        None => {
            bytes
                .iter()
                .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF)
                == Some(&b'[')
        }
    };
    let rows = if json {
        json_rows(&bytes, file)?
    } else {
        csv_rows(&bytes, file)?
    };
    build(rows, file)
}

type Row = HashMap<&'static str, String>;

fn missing_columns(file: &str, missing: &[&str]) -> Error {
    Error::Invalid(format!(
        "Nothing was imported: {} is not a roster connections export (it lacks {}); --preset roster reads what `roster export --connections` writes.",
        crate::domain::sanitize::escape_for_text(file),
        missing.join(", ")
    ))
}

fn csv_rows(bytes: &[u8], file: &str) -> Result<Vec<Row>, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let bad = |e: csv::Error| {
        Error::Invalid(format!(
            "Nothing was imported: {} is not a CSV file roster can read: {e}.",
            crate::domain::sanitize::escape_for_text(file)
        ))
    };
    let headers = reader.headers().map_err(bad)?.clone();
    let at: Vec<Option<usize>> = CONNECTIONS
        .iter()
        .map(|c| headers.iter().position(|h| h.trim() == *c))
        .collect();
    let missing: Vec<&str> = CONNECTIONS
        .iter()
        .zip(&at)
        .filter(|(_, i)| i.is_none())
        .map(|(c, _)| *c)
        .collect();
    if !missing.is_empty() {
        return Err(missing_columns(file, &missing));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(bad)?;
        let row = CONNECTIONS
            .iter()
            .zip(&at)
            .filter_map(|(c, i)| {
                let cell = record.get(i.expect("checked"))?;
                (!cell.is_empty()).then(|| (*c, unneutralise(cell).to_owned()))
            })
            .collect();
        rows.push(row);
    }
    Ok(rows)
}

fn json_rows(bytes: &[u8], file: &str) -> Result<Vec<Row>, Error> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        Error::Invalid(format!(
            "Nothing was imported: {} is not JSON roster can read: {e}.",
            crate::domain::sanitize::escape_for_text(file)
        ))
    })?;
    let Value::Array(items) = value else {
        return Err(missing_columns(file, CONNECTIONS));
    };
    let mut rows = Vec::new();
    for item in items {
        let Value::Object(map) = item else {
            return Err(missing_columns(file, CONNECTIONS));
        };
        let missing: Vec<&str> = CONNECTIONS
            .iter()
            .filter(|c| !map.contains_key(**c))
            .copied()
            .collect();
        if !missing.is_empty() {
            return Err(missing_columns(file, &missing));
        }
        let row = CONNECTIONS
            .iter()
            .filter_map(|c| {
                let text = match &map[*c] {
                    Value::Null => return None,
                    Value::String(s) => s.clone(),
                    v => v.to_string(),
                };
                Some((*c, text))
            })
            .collect();
        rows.push(row);
    }
    Ok(rows)
}

/// One row's reading, problems pushed as they are met.
struct Fields<'a> {
    row: &'a Row,
    n: u64,
    problems: &'a mut Problems,
}

impl Fields<'_> {
    fn problem(&mut self, message: String) {
        self.problems.push(Problem {
            row: Some(self.n),
            line: None,
            message,
        });
    }

    fn opt(&self, c: &str) -> Option<String> {
        self.row.get(c).cloned()
    }

    fn req(&mut self, c: &str) -> String {
        match self.row.get(c) {
            Some(v) => v.clone(),
            None => {
                self.problem(format!("{c} is empty"));
                String::new()
            }
        }
    }

    fn parse<T>(&mut self, c: &str, what: &str, f: impl Fn(&str) -> Option<T>) -> Option<T> {
        let v = self.row.get(c)?;
        let parsed = f(v);
        if parsed.is_none() {
            self.problem(format!(
                "{c} '{}' is not {what}",
                crate::domain::sanitize::escape_for_text(v)
            ));
        }
        parsed
    }
}

fn boolean(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn build(rows: Vec<Row>, file: &str) -> Result<Export, Error> {
    let mut problems = Problems::default();
    let mut profiles: BTreeMap<i64, (u64, Profile)> = BTreeMap::new();
    let mut accounts = HashMap::new();
    let count = rows.len() as u64;
    for (i, row) in rows.iter().enumerate() {
        let mut f = Fields {
            row,
            n: i as u64 + 1,
            problems: &mut problems,
        };
        let Some(id) = f.parse("employee_id", "a profile id", |s| {
            s.parse::<i64>().ok().filter(|n| *n > 0)
        }) else {
            if !row.contains_key("employee_id") {
                f.problem("employee_id is empty".into());
            }
            continue;
        };
        let employee = Employee {
            id,
            name: f.req("employee_name"),
            email: f.opt("employee_email"),
            picture_url: f.opt("employee_picture_url"),
            login_access: f
                .parse("login_access", "on or off", |s| match s {
                    "on" | "true" => Some(true),
                    "off" | "false" => Some(false),
                    _ => None,
                })
                .unwrap_or(false),
            status: f
                .parse("status", "active, pending or deactivated", Status::parse)
                .unwrap_or(Status::Active),
            merged_into: f.parse("merged_into", "a profile id", |s| s.parse::<i64>().ok()),
            version: 1,
            created_at: f.req("employee_created_at"),
            updated_at: f.req("employee_updated_at"),
        };
        let connection = match f.opt("system") {
            None => {
                if row.contains_key("external_id") {
                    f.problem("the external ID has no system".into());
                }
                None
            }
            Some(system) => {
                if let Err(e) = validate_key(&system) {
                    f.problem(e.to_string().trim_end_matches('.').to_owned());
                }
                let external_id = f.req("external_id");
                Some(Connection {
                    system,
                    external_id,
                    employee_id: id,
                    email: f.opt("email"),
                    name: f.opt("name"),
                    picture_url: f.opt("picture_url"),
                    manages: f
                        .parse("managed", "true or false", boolean)
                        .unwrap_or(false),
                    origin: f
                        .parse(
                            "origin",
                            "import-id, import-email, import-new, moved, manual or merged",
                            Origin::parse,
                        )
                        .unwrap_or(Origin::Manual),
                    created_by: f.req("created_by"),
                    created_at: f.req("created_at"),
                    matched_value: f.opt("matched_value"),
                    active: f.parse("active", "true or false", boolean),
                })
            }
        };
        if row.contains_key("system") && !row.contains_key("origin") {
            f.problem("origin is empty".into());
        }
        let n = f.n;
        match profiles.get_mut(&id) {
            Some((first, p)) => {
                if p.employee != employee {
                    problems.push(Problem {
                        row: Some(n),
                        line: None,
                        message: format!("profile #{id} differs from row {first}"),
                    });
                }
                p.connections.extend(connection.clone());
            }
            None => {
                profiles.insert(
                    id,
                    (
                        n,
                        Profile {
                            employee,
                            connections: connection.clone().into_iter().collect(),
                        },
                    ),
                );
            }
        }
        if let Some(c) = connection
            && let Some(first) = accounts.insert(c.key(), n)
        {
            problems.push(Problem {
                row: Some(n),
                line: None,
                message: format!(
                    "the account {}:{} is on row {first} too",
                    crate::domain::sanitize::escape_for_text(&c.system),
                    crate::domain::sanitize::escape_for_text(&c.external_id)
                ),
            });
        }
    }
    let ids: HashSet<i64> = profiles.keys().copied().collect();
    for (first, p) in profiles.values() {
        let managers = p.connections.iter().filter(|c| c.manages).count();
        if managers > 1 {
            problems.push(Problem {
                row: Some(*first),
                line: None,
                message: format!(
                    "profile #{} is managed by {managers} connections",
                    p.employee.id
                ),
            });
        }
        if let Some(m) = p.employee.merged_into
            && !ids.contains(&m)
        {
            problems.push(Problem {
                row: Some(*first),
                line: None,
                message: format!(
                    "profile #{} is merged into #{m}, which the export lacks",
                    p.employee.id
                ),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems.into_error(file));
    }
    Ok(Export {
        profiles: profiles.into_values().map(|(_, p)| p).collect(),
        rows: count,
    })
}
