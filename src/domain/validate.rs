//! Field rules shared by the actions and the importer.

use crate::domain::sanitize::escape_for_text;
use crate::error::Error;

/// The longest value roster accepts in any field (README "Importing › The rules": "a value over 1 KiB").
pub const MAX_FIELD_BYTES: usize = 1024;

pub fn check_len(field: &str, value: &str) -> Result<(), Error> {
    if value.len() > MAX_FIELD_BYTES {
        Err(Error::Invalid(format!(
            "The {field} is {} bytes long; the limit is {MAX_FIELD_BYTES} bytes.",
            value.len()
        )))
    } else {
        Ok(())
    }
}

/// A display name: trimmed, not empty, within the size limit.
pub fn name(value: &str) -> Result<String, Error> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::Invalid("The name cannot be empty.".into()));
    }
    check_len("name", v)?;
    Ok(v.to_owned())
}

/// An optional email: trimmed; empty means none; otherwise it must contain '@'.
pub fn email(value: &str) -> Result<Option<String>, Error> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    check_len("email", v)?;
    if !v.contains('@') {
        return Err(Error::Invalid(format!(
            "'{}' is not an email address (it has no '@').",
            escape_for_text(v)
        )));
    }
    Ok(Some(v.to_owned()))
}

pub fn external_id(value: &str) -> Result<String, Error> {
    if value.trim().is_empty() {
        return Err(Error::Invalid("The external ID cannot be empty.".into()));
    }
    check_len("external ID", value)?;
    Ok(value.to_owned())
}

/// The name a profile gets from an account: the name supplied, else the email's local
/// part, else the external ID (README "Importing › The rules", step 3).
pub fn fallback_name(name: Option<&str>, email: Option<&str>, external_id: &str) -> String {
    if let Some(n) = name.map(str::trim).filter(|n| !n.is_empty()) {
        return n.to_owned();
    }
    if let Some(local) = email
        .and_then(|e| e.trim().split('@').next())
        .filter(|l| !l.is_empty())
    {
        return local.to_owned();
    }
    external_id.to_owned()
}

/// The form emails are compared in: trimmed, ASCII letters folded to lower case, in the
/// local part and the domain alike; every other character compared exactly. Unicode
/// case folding would make look-alikes equal (the KELVIN SIGN `K` lower-cases to `k`, so
/// `\u{212a}ofi@` would be `kofi@`): an account would be linked to the wrong person.
/// A Unicode domain is not converted to its IDNA (`xn--`) form: `bücher.example` and
/// `xn--bcher-kva.example` are different emails here (docs/import.md).
pub fn normalize_email(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email("  a@b.c ").unwrap().as_deref(), Some("a@b.c"));
        assert_eq!(email("   ").unwrap(), None);
        assert!(email("nope").is_err());
        assert!(email(&format!("{}@x", "a".repeat(1100))).is_err());
        assert_eq!(normalize_email(" Jane@X.COM "), "jane@x.com");
    }

    /// Finding 10 of the outside review (issue #11): `\u{212a}ofi@x.io` (KELVIN SIGN)
    /// matched `kofi@x.io`, Unicode lower-casing folding a look-alike.
    #[test]
    fn emails_fold_ascii_case_only() {
        assert_ne!(
            normalize_email("\u{212a}ofi@x.io"),
            normalize_email("kofi@x.io")
        );
        assert_eq!(normalize_email("KOFI@X.IO"), normalize_email("kofi@x.io"));
        assert_ne!(
            normalize_email("J\u{dc}RGEN@x.io"),
            normalize_email("j\u{fc}rgen@x.io")
        );
        assert_ne!(
            normalize_email("ann@b\u{fc}cher.example"),
            normalize_email("ann@xn--bcher-kva.example")
        );
        assert_eq!(
            normalize_email("ann@B\u{fc}cher.example"),
            "ann@b\u{fc}cher.example"
        );
    }

    #[test]
    fn names_and_ids() {
        assert!(name("  ").is_err());
        assert_eq!(name(" Jane ").unwrap(), "Jane");
        assert!(external_id("").is_err());
        assert_eq!(external_id("AbC").unwrap(), "AbC");
        assert_eq!(fallback_name(Some(" J "), Some("x@y"), "1"), "J");
        assert_eq!(fallback_name(Some(""), Some("jo@y"), "1"), "jo");
        assert_eq!(fallback_name(None, None, "005A"), "005A");
    }

    #[test]
    fn a_value_of_exactly_one_kib_is_accepted_one_byte_more_refused() {
        let at_limit = "a".repeat(MAX_FIELD_BYTES);
        assert!(check_len("name", &at_limit).is_ok());
        assert_eq!(name(&at_limit).unwrap(), at_limit);
        assert_eq!(
            check_len("name", &format!("{at_limit}b"))
                .unwrap_err()
                .to_string(),
            "The name is 1025 bytes long; the limit is 1024 bytes."
        );
        assert!(name(&format!("{at_limit}b")).is_err());
        assert!(external_id(&format!("{at_limit}b")).is_err());
    }
}
