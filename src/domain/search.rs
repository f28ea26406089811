//! What the `/` filter looks in: one lower-cased text per employee holding its name,
//! email, and each connection's system (key and display name), external ID and email.
//! Fields are separated by a newline so that a term never matches across two fields.

use super::system::display_name;

pub struct AccountText<'a> {
    pub system: &'a str,
    pub external_id: &'a str,
    pub email: Option<&'a str>,
}

pub fn search_text<'a>(
    name: &str,
    email: Option<&str>,
    accounts: impl IntoIterator<Item = AccountText<'a>>,
) -> String {
    let mut parts: Vec<String> = vec![name.to_lowercase()];
    if let Some(e) = email {
        parts.push(e.to_lowercase());
    }
    let mut systems: Vec<&str> = Vec::new();
    for a in accounts {
        if !systems.contains(&a.system) {
            systems.push(a.system);
        }
        parts.push(a.external_id.to_lowercase());
        if let Some(e) = a.email {
            parts.push(e.to_lowercase());
        }
    }
    for s in systems {
        parts.push(s.to_owned());
        let shown = display_name(s).to_lowercase();
        if shown != s {
            parts.push(shown);
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.dedup();
    parts.join("\n")
}

/// The filter term as it is compared: trimmed and lower-cased like the text.
pub fn normalize_term(term: &str) -> String {
    term.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_every_searchable_field_lower_cased() {
        let t = search_text(
            "Zoë MÜLLER",
            Some("Zoe@X.io"),
            [
                AccountText {
                    system: "salesforce",
                    external_id: "005AbC",
                    email: Some("ZM@corp.io"),
                },
                AccountText {
                    system: "workday",
                    external_id: "W-9",
                    email: None,
                },
            ],
        );
        for needle in [
            "zoë müller",
            "zoe@x.io",
            "005abc",
            "zm@corp.io",
            "salesforce",
            "w-9",
            "workday",
        ] {
            assert!(t.contains(needle), "{needle} in {t:?}");
        }
        // Fields never run into each other.
        assert!(!t.contains("müllerzoe"));
        assert_eq!(normalize_term("  ÄB "), "äb");
    }
}
