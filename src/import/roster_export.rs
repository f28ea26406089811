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
    // A byte-order mark (Excel's CSV, some JSON writers) is dropped once, for the sniffing
    // and both readers.
    let bytes = bytes.strip_prefix(super::BOM).unwrap_or(&bytes);
    let json = match format {
        Some(Format::Csv) => false,
        Some(_) => true,
        None => bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'['),
    };
    let rows = if json {
        json_rows(bytes, file)?
    } else {
        csv_rows(bytes, file)?
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::export::{connection_rows, neutralise};

    fn employee(id: i64, name: &str, status: Status, merged_into: Option<i64>) -> Employee {
        Employee {
            id,
            name: name.into(),
            email: Some(format!("p{id}@acme.com")),
            picture_url: None,
            login_access: id == 1,
            status,
            merged_into,
            version: 1,
            created_at: "2025-11-01T08:00:00Z".into(),
            updated_at: "2025-11-02T09:00:00Z".into(),
        }
    }

    fn connection(system: &str, external_id: &str, employee_id: i64, manages: bool) -> Connection {
        Connection {
            system: system.into(),
            external_id: external_id.into(),
            employee_id,
            email: Some(format!("p{employee_id}@acme.com")),
            name: (system == "hubspot").then(|| "Jane Doe".to_owned()),
            picture_url: Some("https://cdn.acme.com/p.png".into()),
            manages,
            origin: if manages {
                Origin::ImportId
            } else {
                Origin::ImportEmail
            },
            created_by: "import #3".into(),
            created_at: "2025-11-01T08:00:00Z".into(),
            matched_value: (!manages).then(|| format!("p{employee_id}@acme.com")),
            active: manages.then_some(true),
        }
    }

    /// Profiles with everything an export holds: several connections, none, a
    /// merged profile, a name a spreadsheet would run as a formula.
    fn profiles() -> Vec<Profile> {
        vec![
            Profile {
                employee: employee(1, "Jane Doe", Status::Active, None),
                connections: vec![
                    connection("hubspot", "501", 1, true),
                    connection("salesforce", "0055g00000ABcdEAAT", 1, false),
                ],
            },
            Profile {
                employee: employee(2, "=Bob+1", Status::Pending, None),
                connections: vec![],
            },
            Profile {
                employee: employee(3, "Jane D.", Status::Deactivated, Some(1)),
                connections: vec![connection("workday", "w-7", 3, false)],
            },
        ]
    }

    /// The CSV `roster export --connections` writes.
    fn csv_of(profiles: &[Profile]) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(CONNECTIONS).unwrap();
        for p in profiles {
            for row in connection_rows(p) {
                w.write_record(row.iter().map(|c| neutralise(&c.text()).into_owned()))
                    .unwrap();
            }
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    /// Its JSON: an array of objects with every column.
    fn json_of(profiles: &[Profile]) -> String {
        let rows: Vec<Value> = profiles
            .iter()
            .flat_map(connection_rows)
            .map(|row| {
                Value::Object(
                    CONNECTIONS
                        .iter()
                        .zip(row)
                        .map(|(c, cell)| (c.to_string(), cell.json()))
                        .collect(),
                )
            })
            .collect();
        serde_json::to_string_pretty(&rows).unwrap()
    }

    fn read_text(text: &str, format: Option<Format>) -> Result<Export, String> {
        read(&mut text.as_bytes(), format, "connections.csv").map_err(|e| e.to_string())
    }

    /// What the export wrote comes back whole, from CSV and from JSON, the format told
    /// or found from the first byte (a byte-order mark and white space before it).
    #[test]
    fn an_export_is_read_back_as_it_was_written() {
        let want = profiles();
        let csv = csv_of(&want);
        let json = json_of(&want);
        for (text, format) in [
            (csv.clone(), Some(Format::Csv)),
            (csv.clone(), None),
            (format!("\u{feff}{csv}"), None),
            (json.clone(), Some(Format::Json)),
            (json.clone(), Some(Format::Ndjson)),
            (json.clone(), None),
            (format!("\u{feff}\n  {json}"), None),
        ] {
            let got = read_text(&text, format).unwrap();
            assert_eq!(got.rows, 4, "{format:?}");
            assert_eq!(got.profiles, want, "{format:?}: {text}");
        }
    }

    /// Every problem of every row, by row; nothing is read when there is one.
    #[test]
    fn every_problem_is_named_by_its_row() {
        let csv = csv_of(&profiles());
        let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
        let set = |line: &mut String, column: &str, value: &str| {
            let at = CONNECTIONS.iter().position(|c| *c == column).unwrap();
            let mut cells: Vec<String> = line.split(',').map(str::to_owned).collect();
            cells[at] = value.to_owned();
            *line = cells.join(",");
        };
        // Row 1: a bad flag of each kind; row 2: a bad system key, no creator, no
        // origin, and the profile differs from row 1's; row 3: no ID; rows 4 and 5: two
        // managers of #3, merged into a profile the export lacks; row 6: a bad ID; row
        // 7: an ID without a system; row 8: row 4's account again.
        set(&mut lines[1], "login_access", "maybe");
        set(&mut lines[1], "status", "gone");
        set(&mut lines[1], "managed", "yes");
        set(&mut lines[1], "active", "1");
        set(&mut lines[2], "employee_name", "Jane");
        set(&mut lines[2], "system", "Sales Force");
        set(&mut lines[2], "created_by", "");
        set(&mut lines[2], "origin", "");
        set(&mut lines[3], "employee_id", "");
        set(&mut lines[4], "merged_into", "9");
        set(&mut lines[4], "managed", "true");
        let row4 = lines[4].clone();
        let copy = |changes: &[(&str, &str)]| {
            let mut line = row4.clone();
            for (column, value) in changes {
                set(&mut line, column, value);
            }
            line
        };
        lines.push(copy(&[("external_id", "w-8")]));
        lines.push(copy(&[("employee_id", "0")]));
        lines.push(copy(&[
            ("employee_id", "4"),
            ("merged_into", ""),
            ("system", ""),
            ("external_id", "w-9"),
        ]));
        lines.push(copy(&[
            ("employee_id", "5"),
            ("merged_into", ""),
            ("managed", "false"),
        ]));
        let e = read_text(&lines.join("\n"), Some(Format::Csv)).unwrap_err();
        assert_eq!(
            e,
            "Nothing was imported: connections.csv has 14 problems. Fix them and run the import again.\n  \
             connections.csv: row 1: login_access 'maybe' is not on or off.\n  \
             connections.csv: row 1: status 'gone' is not active, pending or deactivated.\n  \
             connections.csv: row 1: managed 'yes' is not true or false.\n  \
             connections.csv: row 1: active '1' is not true or false.\n  \
             connections.csv: row 2: 'Sales Force' is not a valid system key: use lower-case letters, digits, '_' and '-', starting with a letter or digit (e.g. salesforce, hubspot).\n  \
             connections.csv: row 2: created_by is empty.\n  \
             connections.csv: row 2: origin is empty.\n  \
             connections.csv: row 2: profile #1 differs from row 1.\n  \
             connections.csv: row 3: employee_id is empty.\n  \
             connections.csv: row 6: employee_id '0' is not a profile id.\n  \
             connections.csv: row 7: the external ID has no system.\n  \
             connections.csv: row 8: the account workday:w-7 is on row 4 too.\n  \
             connections.csv: row 4: profile #3 is managed by 2 connections.\n  \
             connections.csv: row 4: profile #3 is merged into #9, which the export lacks."
        );
    }

    /// A file that is not an export says what it lacks.
    #[test]
    fn a_file_that_is_not_an_export_is_named() {
        let lacks = |text: &str, format| read_text(text, format).unwrap_err();
        assert_eq!(
            lacks("employee_id,name\n1,Jane\n", None),
            "Nothing was imported: connections.csv is not a roster connections export (it lacks employee_name, employee_email, employee_picture_url, login_access, status, merged_into, employee_created_at, employee_updated_at, system, external_id, email, picture_url, active, managed, origin, matched_value, created_by, created_at); --preset roster reads what `roster export --connections` writes."
        );
        let json = json_of(&profiles()).replacen("\"matched_value\"", "\"matched\"", 1);
        assert!(
            lacks(&json, None).contains("(it lacks matched_value);"),
            "{}",
            lacks(&json, None)
        );
        assert!(
            lacks("{\"employee_id\": 1}", Some(Format::Json))
                .contains("it lacks employee_id, employee_name")
        );
        assert!(lacks("[1]", None).contains("it lacks employee_id, employee_name"));
        assert!(
            lacks("[", None).starts_with(
                "Nothing was imported: connections.csv is not JSON roster can read: EOF"
            )
        );
    }
}
