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
    for a in accounts {
        parts.extend(account_parts(&a));
    }
    canonical(parts)
}

/// What one account adds to the text.
pub fn account_parts(a: &AccountText<'_>) -> Vec<String> {
    let mut parts = vec![a.system.to_owned(), a.external_id.to_lowercase()];
    let shown = display_name(a.system).to_lowercase();
    if shown != a.system {
        parts.push(shown);
    }
    if let Some(e) = a.email {
        parts.push(e.to_lowercase());
    }
    parts
}

/// Sorted distinct parts: the same text whatever order the parts came in, so that an
/// import can add an account's parts to a stored text and get what a full
/// recomputation gives.
fn canonical(mut parts: Vec<String>) -> String {
    parts.retain(|p| !p.is_empty());
    parts.sort();
    parts.dedup();
    parts.join("\n")
}

/// `text` with `more` added (both in the form `search_text` returns).
pub fn add_parts(text: &str, more: &str) -> String {
    canonical(
        text.split('\n')
            .chain(more.split('\n'))
            .map(str::to_owned)
            .collect(),
    )
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
        // Adding an account's parts to a stored text gives the full recomputation.
        let without = search_text("Zoë MÜLLER", Some("Zoe@X.io"), []);
        let account = AccountText {
            system: "hubspot",
            external_id: "H1",
            email: Some("Z@h.io"),
        };
        assert_eq!(
            add_parts(&without, &account_parts(&account).join("\n")),
            search_text("Zoë MÜLLER", Some("Zoe@X.io"), [account])
        );
        assert_eq!(normalize_term("  ÄB "), "äb");
    }
}
