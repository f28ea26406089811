//! From the raw values of one record to a validated `Record`, or the row's problems.

use std::borrow::Cow;

use super::preset::Target;
use crate::domain::planner::{Field, Record};
use crate::domain::sanitize::escape_for_text;
use crate::domain::system::normalize_external_id;
use crate::domain::validate::MAX_FIELD_BYTES;

/// A value as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw<'a> {
    /// No such column or key.
    Missing,
    /// JSON `null`.
    Null,
    Text(Cow<'a, str>),
    Bool(bool),
    /// A JSON object or array where a single value belongs.
    Nested,
}

impl Raw<'_> {
    /// The same value, borrowing its text instead of copying it.
    pub fn borrowed(&self) -> Raw<'_> {
        match self {
            Raw::Missing => Raw::Missing,
            Raw::Null => Raw::Null,
            Raw::Text(t) => Raw::Text(Cow::Borrowed(t)),
            Raw::Bool(b) => Raw::Bool(*b),
            Raw::Nested => Raw::Nested,
        }
    }
}

/// A value for a message: sanitised, and cut when long.
pub fn quote(v: &str) -> String {
    const MAX: usize = 60;
    let mut s = escape_for_text(v);
    if s.chars().count() > MAX {
        s = s.chars().take(MAX).collect::<String>() + "…";
    }
    format!("'{s}'")
}

fn text<'a>(t: Target, raw: &'a Raw<'_>, problems: &mut Vec<String>) -> Field<&'a str> {
    match raw {
        Raw::Missing => Field::Absent,
        Raw::Null => Field::Empty,
        Raw::Bool(b) => Field::Value(if *b { "true" } else { "false" }),
        Raw::Nested => {
            problems.push(format!(
                "the {} is an object or a list, not a single value",
                t.label()
            ));
            Field::Empty
        }
        Raw::Text(s) => {
            if s.len() > MAX_FIELD_BYTES {
                problems.push(format!(
                    "the {} is {} bytes long; the limit is {MAX_FIELD_BYTES} bytes ({})",
                    t.label(),
                    s.len(),
                    quote(s)
                ));
                return Field::Empty;
            }
            match s.trim() {
                "" => Field::Empty,
                v => Field::Value(v),
            }
        }
    }
}

fn flag(t: Target, raw: &Raw<'_>, problems: &mut Vec<String>) -> Field<bool> {
    let v = match raw {
        Raw::Bool(b) => return Field::Value(*b),
        other => text(t, other, problems),
    };
    match v {
        Field::Absent => Field::Absent,
        Field::Empty => Field::Empty,
        Field::Value(s) => match s.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "y" | "t" => Field::Value(true),
            "false" | "0" | "no" | "n" | "f" => Field::Value(false),
            _ => {
                problems.push(format!(
                    "{} is not a yes/no value for the {} (use true/false, 1/0 or yes/no)",
                    quote(s),
                    t.label()
                ));
                Field::Empty
            }
        },
    }
}

fn owned(f: Field<&str>) -> Field<String> {
    match f {
        Field::Absent => Field::Absent,
        Field::Empty => Field::Empty,
        Field::Value(v) => Field::Value(v.to_owned()),
    }
}

/// Builds the record of `row` from `get` (the raw value of each field); on failure the
/// problems of the row, as phrases.
pub fn build<'r>(
    system: &str,
    row: u64,
    line: Option<u64>,
    get: &dyn Fn(Target) -> Raw<'r>,
) -> Result<Record, Vec<String>> {
    let mut problems = Vec::new();
    let id_raw = get(Target::ExternalId);
    let external_id = match text(Target::ExternalId, &id_raw, &mut problems) {
        Field::Value(id) => Some(normalize_external_id(system, id)),
        _ if problems.is_empty() => {
            problems.push("the external ID is empty".to_owned());
            None
        }
        _ => None,
    };
    let email_raw = get(Target::Email);
    let email = text(Target::Email, &email_raw, &mut problems);
    if let Field::Value(e) = email
        && !e.contains('@')
    {
        problems.push(format!("the email {} has no '@'", quote(e)));
    }
    let name_raw = get(Target::Name);
    let first_raw = get(Target::FirstName);
    let last_raw = get(Target::LastName);
    let name = text(Target::Name, &name_raw, &mut problems);
    let first = text(Target::FirstName, &first_raw, &mut problems);
    let last = text(Target::LastName, &last_raw, &mut problems);
    let name = match name {
        Field::Value(n) => Field::Value(n.to_owned()),
        other => {
            let parts: Vec<&str> = [first.value(), last.value()]
                .into_iter()
                .flatten()
                .copied()
                .collect();
            if !parts.is_empty() {
                Field::Value(parts.join(" "))
            } else if other.given() || first.given() || last.given() {
                Field::Empty
            } else {
                Field::Absent
            }
        }
    };
    let picture_raw = get(Target::Picture);
    let picture_url = owned(text(Target::Picture, &picture_raw, &mut problems));
    let active = match flag(Target::Active, &get(Target::Active), &mut problems) {
        Field::Absent => match flag(Target::Inactive, &get(Target::Inactive), &mut problems) {
            Field::Value(inactive) => Field::Value(!inactive),
            other => other,
        },
        other => other,
    };
    match external_id {
        Some(external_id) if problems.is_empty() => Ok(Record {
            row,
            line,
            external_id,
            email: owned(email),
            name,
            picture_url,
            active,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(pairs: &[(Target, Raw<'static>)]) -> Result<Record, Vec<String>> {
        let pairs = pairs.to_vec();
        build("salesforce", 1, None, &move |t| {
            pairs
                .iter()
                .find(|(k, _)| *k == t)
                .map(|(_, v)| v.clone())
                .unwrap_or(Raw::Missing)
        })
    }

    fn t(s: &'static str) -> Raw<'static> {
        Raw::Text(Cow::Borrowed(s))
    }

    #[test]
    fn fields_are_trimmed_joined_and_converted() {
        let r = rec(&[
            (Target::ExternalId, t(" 001A0000006Vm9r ")),
            (Target::Email, t(" Jo@X.io ")),
            (Target::Name, t("")),
            (Target::FirstName, t("Jo")),
            (Target::LastName, t("Doe")),
            (Target::Active, t("0")),
        ])
        .unwrap();
        assert_eq!(r.external_id, "001A0000006Vm9rIAC");
        assert_eq!(r.email, Field::Value("Jo@X.io".into()));
        assert_eq!(r.name, Field::Value("Jo Doe".into()));
        assert_eq!(r.picture_url, Field::Absent);
        assert_eq!(r.active, Field::Value(false));
    }

    #[test]
    fn inactive_flags_are_inverted() {
        let r = rec(&[
            (Target::ExternalId, t("1")),
            (Target::Inactive, Raw::Bool(true)),
        ])
        .unwrap();
        assert_eq!(r.active, Field::Value(false));
        assert_eq!(r.name, Field::Absent);
    }

    #[test]
    fn every_problem_of_a_row_is_named() {
        let long: &'static str = Box::leak("x".repeat(1025).into_boxed_str());
        let e = rec(&[
            (Target::ExternalId, t("  ")),
            (Target::Email, t("nobody")),
            (Target::Name, t(long)),
            (Target::Active, t("maybe")),
        ])
        .unwrap_err();
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(e[0].contains("external ID is empty"));
        assert!(e[1].contains("'nobody' has no '@'"));
        assert!(e[2].contains("1025 bytes"));
        assert!(e[3].contains("'maybe'"));
        assert!(rec(&[(Target::ExternalId, Raw::Nested)]).is_err());
    }
}
