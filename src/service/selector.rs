//! The `EMP` selectors (README "The command line"): an employee ID, an email, or `system:external_id`;
//! and the `--system [--external-id]` way of naming one of a profile's connections.

use rusqlite::Connection;

use crate::domain::model::{ConnKey, Profile};
use crate::domain::sanitize::escape_for_text;
use crate::domain::system::{display_name, normalize_external_id, validate_key};
use crate::error::Error;
use crate::store::{connections, employees};

/// Resolves a selector to an employee id.
pub fn employee(db: &Connection, selector: &str) -> Result<i64, Error> {
    let s = selector.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let id: i64 = s
            .parse()
            .map_err(|_| Error::NotFound(format!("There is no employee #{s}.")))?;
        employees::require(db, id)?;
        return Ok(id);
    }
    if let Some((system, external_id)) = s.split_once(':')
        && validate_key(system).is_ok()
        && !external_id.is_empty()
    {
        let key = ConnKey::new(system, normalize_external_id(system, external_id));
        return match connections::get(db, &key)? {
            Some(c) => Ok(c.employee_id),
            None => Err(Error::NotFound(format!(
                "No employee holds the {} account {}.",
                display_name(system),
                escape_for_text(external_id)
            ))),
        };
    }
    if s.contains('@') {
        let mut found = employees::by_primary_email(db, s)?;
        // A profile merged into another keeps its email; it does not make the selector
        // ambiguous when the profile it was merged into (or another) is live.
        if found.iter().any(|e| e.merged_into.is_none()) {
            found.retain(|e| e.merged_into.is_none());
        }
        return match found.as_slice() {
            [] => Err(Error::NotFound(format!(
                "No employee has the email {}.",
                escape_for_text(s)
            ))),
            [one] => Ok(one.id),
            many => Err(Error::Invalid(format!(
                "The email {} belongs to {} employees: {}. Name one by its ID.",
                escape_for_text(s),
                many.len(),
                many.iter()
                    .map(|e| e.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        };
    }
    Err(Error::Invalid(format!(
        "'{}' does not name an employee: use an ID (42), an email (jane@example.com) or system:external_id (hubspot:1234).",
        escape_for_text(s)
    )))
}

/// Names one connection of `profile` by system, and by external ID when the profile
/// holds more than one account of that system.
pub fn connection(
    profile: &Profile,
    system: &str,
    external_id: Option<&str>,
) -> Result<ConnKey, Error> {
    validate_key(system)?;
    let of_system: Vec<_> = profile
        .connections
        .iter()
        .filter(|c| c.system == system)
        .collect();
    let who = profile.employee.label();
    let name = display_name(system);
    match external_id {
        Some(x) => {
            let x = normalize_external_id(system, x);
            of_system
                .iter()
                .find(|c| c.external_id == x)
                .map(|c| c.key())
                .ok_or_else(|| {
                    Error::NotFound(format!(
                        "{who} has no {name} connection with external ID {}.",
                        escape_for_text(&x)
                    ))
                })
        }
        None => match of_system.as_slice() {
            [] => Err(Error::NotFound(format!("{who} has no {name} connection."))),
            [one] => Ok(one.key()),
            many => Err(Error::Invalid(format!(
                "{who} holds {} {name} connections ({}); pass --external-id to say which.",
                many.len(),
                many.iter()
                    .map(|c| escape_for_text(&c.external_id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        },
    }
}
