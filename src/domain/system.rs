//! System keys ("data suppliers") and their display names.

use crate::error::Error;

const KNOWN: &[(&str, &str)] = &[
    ("salesforce", "Salesforce"),
    ("hubspot", "HubSpot"),
    ("pipedrive", "Pipedrive"),
    ("podio", "Podio"),
];

/// The display name of a system key; unknown keys are shown as given.
pub fn display_name(key: &str) -> String {
    KNOWN
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, name)| (*name).to_owned())
        .unwrap_or_else(|| key.to_owned())
}

/// The "Data suppliers" column: distinct display names, sorted, comma-separated.
pub fn suppliers_column<'a>(keys: impl IntoIterator<Item = &'a str>) -> String {
    let mut names: Vec<String> = keys.into_iter().map(display_name).collect();
    names.sort_by_key(|n| n.to_lowercase());
    names.dedup();
    names.join(", ")
}

/// Checks a system key against `[a-z0-9][a-z0-9_-]*`.
pub fn validate_key(key: &str) -> Result<(), Error> {
    let mut chars = key.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok =
        chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if first_ok && rest_ok && key.len() <= 64 {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "'{}' is not a valid system key: use lower-case letters, digits, '_' and '-', starting with a letter or digit (e.g. salesforce, hubspot).",
            crate::domain::sanitize::escape_for_text(key)
        )))
    }
}

/// The canonical form of an external ID of `system`, so that two spellings of one
/// account meet in one connection. Identity for systems without such rules.
pub fn normalize_external_id(system: &str, external_id: &str) -> String {
    let _ = system;
    external_id.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_names() {
        assert_eq!(display_name("hubspot"), "HubSpot");
        assert_eq!(display_name("workday"), "workday");
    }

    #[test]
    fn suppliers_are_distinct_and_sorted_by_display_name() {
        assert_eq!(
            suppliers_column(["salesforce", "hubspot", "salesforce", "abc"]),
            "abc, HubSpot, Salesforce"
        );
        assert_eq!(suppliers_column([]), "");
    }

    #[test]
    fn key_validation() {
        assert!(validate_key("salesforce").is_ok());
        assert!(validate_key("0x_a-b").is_ok());
        assert!(validate_key("Salesforce").is_err());
        assert!(validate_key("-a").is_err());
        assert!(validate_key("").is_err());
        assert!(validate_key("a b").is_err());
    }
}
