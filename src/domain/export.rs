//! `roster export` (README "Exporting"): the table, or one row per connection with its
//! provenance, as cells. Pure: the service reads the profiles, the command line writes
//! the cells as CSV or JSON.

use serde_json::Value;
use std::borrow::Cow;

use super::model::{Connection, Profile};

/// The columns of the table export: the table's, with the keys scripts need.
pub const TABLE: &[&str] = &[
    "id",
    "name",
    "email",
    "picture_url",
    "login_access",
    "status",
    "tracked",
    "suppliers",
    "managed_by",
    "merged_into",
    "created_at",
    "updated_at",
];

/// The columns of the connections export: the profile's, then the connection's (empty
/// for a profile without one: every profile is in the export). `--preset roster` reads
/// this back (`import::roster`).
pub const CONNECTIONS: &[&str] = &[
    "employee_id",
    "employee_name",
    "employee_email",
    "employee_picture_url",
    "login_access",
    "status",
    "merged_into",
    "employee_created_at",
    "employee_updated_at",
    "system",
    "external_id",
    "email",
    "name",
    "picture_url",
    "active",
    "managed",
    "origin",
    "matched_value",
    "created_by",
    "created_at",
];

/// One cell: its JSON value; CSV writes it as `text`.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Json(Value),
    /// Login access: `on`/`off` in CSV as every front says it, the boolean in JSON as
    /// every JSON of roster has it.
    Login(bool),
}

impl Cell {
    fn opt(v: Option<&str>) -> Cell {
        Cell::Json(v.map_or(Value::Null, |s| Value::String(s.to_owned())))
    }

    fn text_of(s: &str) -> Cell {
        Cell::Json(Value::String(s.to_owned()))
    }

    /// The cell as CSV text: null is empty, booleans `true`/`false`, login access
    /// `on`/`off`.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Login(on) => Cow::Borrowed(if *on { "on" } else { "off" }),
            Cell::Json(Value::Null) => Cow::Borrowed(""),
            Cell::Json(Value::String(s)) => Cow::Borrowed(s),
            Cell::Json(Value::Bool(b)) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Cell::Json(v) => Cow::Owned(v.to_string()),
        }
    }

    /// The cell as JSON.
    pub fn json(&self) -> Value {
        match self {
            Cell::Login(on) => Value::Bool(*on),
            Cell::Json(v) => v.clone(),
        }
    }
}

fn login(on: bool) -> Cell {
    Cell::Login(on)
}

/// "Managed by": `system:external_id`, or `manual` for a profile managed by hand.
pub fn managed_by(p: &Profile) -> String {
    match p.managed_by() {
        Some(c) => format!("{}:{}", c.system, c.external_id),
        None => "manual".to_owned(),
    }
}

/// The table row of a profile.
pub fn table_row(p: &Profile) -> Vec<Cell> {
    let e = &p.employee;
    vec![
        Cell::Json(e.id.into()),
        Cell::text_of(&e.name),
        Cell::opt(e.email.as_deref()),
        Cell::opt(e.picture_url.as_deref()),
        login(e.login_access),
        Cell::text_of(e.status.as_str()),
        Cell::Json(p.tracked().into()),
        Cell::text_of(&p.supplier_keys().join(",")),
        Cell::text_of(&managed_by(p)),
        Cell::Json(e.merged_into.map_or(Value::Null, Value::from)),
        Cell::text_of(&e.created_at),
        Cell::text_of(&e.updated_at),
    ]
}

/// The rows of a profile in the connections export: one per connection, or one with
/// empty connection cells when it has none.
pub fn connection_rows(p: &Profile) -> Vec<Vec<Cell>> {
    let e = &p.employee;
    let profile = || {
        vec![
            Cell::Json(e.id.into()),
            Cell::text_of(&e.name),
            Cell::opt(e.email.as_deref()),
            Cell::opt(e.picture_url.as_deref()),
            login(e.login_access),
            Cell::text_of(e.status.as_str()),
            Cell::Json(e.merged_into.map_or(Value::Null, Value::from)),
            Cell::text_of(&e.created_at),
            Cell::text_of(&e.updated_at),
        ]
    };
    if p.connections.is_empty() {
        let mut row = profile();
        row.extend((0..CONNECTIONS.len() - row.len()).map(|_| Cell::Json(Value::Null)));
        return vec![row];
    }
    p.connections
        .iter()
        .map(|c| {
            let mut row = profile();
            row.extend(connection_cells(c));
            row
        })
        .collect()
}

fn connection_cells(c: &Connection) -> Vec<Cell> {
    vec![
        Cell::text_of(&c.system),
        Cell::text_of(&c.external_id),
        Cell::opt(c.email.as_deref()),
        Cell::opt(c.name.as_deref()),
        Cell::opt(c.picture_url.as_deref()),
        Cell::Json(c.active.map_or(Value::Null, Value::Bool)),
        Cell::Json(c.manages.into()),
        Cell::text_of(c.origin.as_str()),
        Cell::opt(c.matched_value.as_deref()),
        Cell::text_of(&c.created_by),
        Cell::text_of(&c.created_at),
    ]
}

/// The characters that make a spreadsheet read a cell as a formula when they start it
/// (OWASP "CSV injection"), and the quote that marks a cell neutralised.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A CSV cell a spreadsheet would run as a formula, prefixed with `'` so that it shows
/// as text. A cell that starts with `'` gets one too, so that a reader takes exactly
/// one `'` off every cell that starts with one (`unneutralise`) and gets the value
/// back.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if FORMULA_STARTS.contains(&c) || c == '\'' => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The value of a cell `neutralise` wrote.
pub fn unneutralise(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_read_back() {
        for (cell, out) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'quoted", "''quoted"),
            ("Jane", "Jane"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(neutralise(cell), out, "{cell:?}");
            assert_eq!(unneutralise(&neutralise(cell)), cell, "{cell:?}");
        }
    }

    fn profile(connections: Vec<Connection>) -> Profile {
        let mut employee = crate::domain::model::Employee::fresh(
            3,
            "Lena Berg".into(),
            Some("lena@x.io".into()),
            None,
            true,
            "2026-01-01",
        );
        employee.merged_into = Some(9);
        Profile {
            employee,
            connections,
        }
    }

    fn connection(system: &str, manages: bool, active: Option<bool>) -> Connection {
        Connection {
            system: system.into(),
            external_id: "77".into(),
            employee_id: 3,
            email: Some("lb@x.io".into()),
            name: None,
            picture_url: None,
            manages,
            origin: crate::domain::model::Origin::ImportEmail,
            created_by: "ann".into(),
            created_at: "2026-01-02".into(),
            matched_value: Some("lb@x.io".into()),
            active,
        }
    }

    fn texts(row: &[Cell]) -> Vec<String> {
        row.iter().map(|c| c.text().into_owned()).collect()
    }

    #[test]
    fn the_table_row_gives_every_column_as_text_and_as_json() {
        let p = profile(vec![
            connection("pipedrive", false, None),
            connection("hubspot", true, Some(true)),
        ]);
        let row = table_row(&p);
        assert_eq!(row.len(), TABLE.len());
        assert_eq!(
            texts(&row),
            [
                "3",
                "Lena Berg",
                "lena@x.io",
                "",
                "on",
                "active",
                "true",
                "hubspot,pipedrive",
                "hubspot:77",
                "9",
                "2026-01-01",
                "2026-01-01"
            ]
        );
        let json: Vec<Value> = row.iter().map(Cell::json).collect();
        assert_eq!(
            json[..7],
            [
                Value::from(3),
                "Lena Berg".into(),
                "lena@x.io".into(),
                Value::Null,
                true.into(),
                "active".into(),
                true.into()
            ]
        );
        assert_eq!(json[9], Value::from(9));
        let mut by_hand = profile(vec![]);
        by_hand.employee.login_access = false;
        assert_eq!(managed_by(&by_hand), "manual");
        assert_eq!(table_row(&by_hand)[4].text(), "off");
        assert_eq!(table_row(&by_hand)[4].json(), Value::Bool(false));
        assert_eq!(table_row(&by_hand)[6].text(), "false");
    }

    #[test]
    fn the_connections_export_has_a_row_per_connection_and_one_for_a_profile_without() {
        let alone = connection_rows(&profile(vec![]));
        assert_eq!(alone.len(), 1);
        assert_eq!(alone[0].len(), CONNECTIONS.len());
        assert_eq!(alone[0][0].json(), Value::from(3));
        assert!(alone[0][9..].iter().all(|c| c.json().is_null()));
        let rows = connection_rows(&profile(vec![
            connection("hubspot", true, Some(false)),
            connection("pipedrive", false, None),
        ]));
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.len() == CONNECTIONS.len()));
        assert_eq!(
            texts(&rows[0])[9..],
            [
                "hubspot",
                "77",
                "lb@x.io",
                "",
                "",
                "false",
                "true",
                "import-email",
                "lb@x.io",
                "ann",
                "2026-01-02"
            ]
        );
        assert_eq!(rows[1][9].text(), "pipedrive");
        assert_eq!(rows[1][14].json(), Value::Null);
    }
}
