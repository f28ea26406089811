//! System keys ("data suppliers") and their display names.

use crate::error::Error;

const KNOWN: &[(&str, &str)] = &[
    ("salesforce", "Salesforce"),
    ("hubspot", "HubSpot"),
    ("pipedrive", "Pipedrive"),
    ("podio", "Podio"),
    ("entra", "Microsoft Entra ID"),
    ("okta", "Okta"),
    ("google", "Google Workspace"),
    ("slack", "Slack"),
    ("zendesk", "Zendesk"),
    // Another roster's own export (`roster export --connections`), restored whole.
    ("roster", "roster"),
];

/// How many edits apart a key may be from a system roster knows or the store holds to
/// be taken for a mistype of it (README "Importing", "A mistyped system key"): two for
/// a system of six letters or more, one for four or five, none for three or fewer.
/// Short keys are all close to one another (`beta` is two edits from `okta`, `hr` from
/// `crm`): a second edit there says nothing about a slip of the hand.
pub fn mistype_edits(system: &str) -> usize {
    match system.chars().count() {
        0..=3 => 0,
        4..=5 => 1,
        _ => 2,
    }
}

/// The system that `key` is probably a mistype of: when `key` is none of `systems` and
/// lies within `mistype_edits` of one of them (an edit: a letter added, dropped or
/// changed, or two neighbours swapped; `hubsopt` is one edit from `hubspot`), the
/// closest (the first in `systems` order on a tie). `None` when `key` is one of them or
/// near none.
pub fn mistype_of<'a>(key: &str, systems: &[&'a str]) -> Option<(&'a str, usize)> {
    if systems.contains(&key) {
        return None;
    }
    systems
        .iter()
        .map(|s| (*s, strsim::osa_distance(key, s)))
        .filter(|(s, d)| *d <= mistype_edits(s))
        .min_by_key(|(_, d)| *d)
}

/// The display name of a system key; unknown keys are shown as given.
pub fn display_name(key: &str) -> String {
    KNOWN
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, name)| (*name).to_owned())
        .unwrap_or_else(|| key.to_owned())
}

/// The keys of the systems roster names (the others are shown as given).
pub fn known_keys() -> impl Iterator<Item = &'static str> {
    KNOWN.iter().map(|(k, _)| *k)
}

/// Refuses `key` as a filter when it is none of `systems` (those of the store and the
/// known ones): one sentence naming the closest and listing them all, so that a typo
/// (`hubspto`) is not an empty answer.
pub fn check_filter_key(key: &str, systems: &[String]) -> Result<(), Error> {
    if systems.iter().any(|s| s == key) {
        return Ok(());
    }
    let closest = systems
        .iter()
        .map(|s| (strsim::damerau_levenshtein(key, s), s))
        .filter(|(d, s)| *d <= 2.max(s.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, s)| format!(" Did you mean {s}?"))
        .unwrap_or_default();
    Err(Error::Invalid(format!(
        "No system is called {}.{closest} The systems are: {}.",
        super::sanitize::sanitize(key),
        systems.join(", ")
    )))
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
/// account meet in one connection. Every way an ID comes in goes through here: imports,
/// `connect`, the `system:id` selector, `--external-id`, and so the blocks made from
/// connections. White space at either end is dropped (a spreadsheet cell or a form
/// field pads; imports always dropped it); Salesforce's 15-character IDs become their
/// 18-character form. Otherwise compared exactly, letter case included.
pub fn normalize_external_id(system: &str, external_id: &str) -> String {
    let id = external_id.trim();
    if system == "salesforce"
        && let Some(long) = salesforce_18(id)
    {
        return long;
    }
    id.to_owned()
}

/// The 18-character form of a 15-character Salesforce ID: the ID followed by its
/// case-checksum (for each 5-character chunk, bit i is set when character i is an
/// upper-case letter; the 5 bits index "A…Z0…5"). `None` when `id` is not a
/// 15-character alphanumeric ID.
pub fn salesforce_18(id: &str) -> Option<String> {
    let suffix = salesforce_checksum(id)?;
    let mut out = String::with_capacity(18);
    out.push_str(id);
    out.extend(suffix.iter().map(|&b| b as char));
    Some(out)
}

/// The three characters that make a 15-character Salesforce ID 18 long (see
/// `salesforce_18`); `None` when `id` is not a 15-character alphanumeric ID.
pub fn salesforce_checksum(id: &str) -> Option<[u8; 3]> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    let bytes = id.as_bytes();
    if bytes.len() != 15 || !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let mut out = [0u8; 3];
    for (k, chunk) in bytes.chunks(5).enumerate() {
        let bits = chunk
            .iter()
            .enumerate()
            .filter(|(_, b)| b.is_ascii_uppercase())
            .fold(0usize, |acc, (i, _)| acc | (1 << i));
        out[k] = ALPHABET[bits];
    }
    Some(out)
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
    fn salesforce_ids_get_their_checksum() {
        assert_eq!(
            salesforce_18("001A0000006Vm9r").as_deref(),
            Some("001A0000006Vm9rIAC")
        );
        assert_eq!(
            normalize_external_id("salesforce", "001A0000006Vm9r"),
            "001A0000006Vm9rIAC"
        );
        // All upper case: every bit set in every chunk.
        assert_eq!(
            salesforce_18("ABCDEABCDEABCDE").as_deref(),
            Some("ABCDEABCDEABCDE555")
        );
        assert_eq!(
            salesforce_18("000000000000000").as_deref(),
            Some("000000000000000AAA")
        );
        // Already long, wrong length, not alphanumeric, other systems: unchanged.
        assert_eq!(
            normalize_external_id("salesforce", "001A0000006Vm9rIAC"),
            "001A0000006Vm9rIAC"
        );
        assert_eq!(normalize_external_id("salesforce", "abc"), "abc");
        assert_eq!(
            normalize_external_id("salesforce", "001A0000006Vm9-"),
            "001A0000006Vm9-"
        );
        assert_eq!(
            normalize_external_id("hubspot", "001A0000006Vm9r"),
            "001A0000006Vm9r"
        );
        // Padding goes, as an import drops it: "h1 " by hand is the account "h1".
        assert_eq!(normalize_external_id("hubspot", " h1\t"), "h1");
        assert_eq!(
            normalize_external_id("salesforce", " 001A0000006Vm9r "),
            "001A0000006Vm9rIAC"
        );
        assert_eq!(normalize_external_id("hubspot", "a b"), "a b");
    }

    #[test]
    fn a_key_within_two_edits_of_a_long_system_is_a_mistype() {
        let systems = [
            "salesforce",
            "hubspot",
            "pipedrive",
            "okta",
            "workday",
            "crm",
        ];
        let close = |k| mistype_of(k, &systems);
        // Swapped neighbours, a letter dropped, added, changed; two edits.
        assert_eq!(close("hubsopt"), Some(("hubspot", 1)));
        assert_eq!(close("hubspt"), Some(("hubspot", 1)));
        assert_eq!(close("hubspott"), Some(("hubspot", 1)));
        assert_eq!(close("salesforse"), Some(("salesforce", 1)));
        assert_eq!(close("slaesforse"), Some(("salesforce", 2)));
        assert_eq!(close("wrokday"), Some(("workday", 1)));
        // Four or five letters: one edit; three or fewer: none.
        assert_eq!(close("otka"), Some(("okta", 1)));
        assert_eq!(close("beta"), None, "two edits from okta");
        assert_eq!(close("crn"), None);
        assert_eq!(close("hr"), None, "two edits from crm");
        // The closest wins.
        assert_eq!(
            mistype_of("hubspoot", &["hubspoke", "hubspot"]),
            Some(("hubspot", 1))
        );
        // A system itself, and keys three edits or more from every one, are not.
        assert_eq!(close("hubspot"), None);
        assert_eq!(close("hubs"), None);
        assert_eq!(close("bamboohr"), None);
        assert_eq!(close("hris"), None);
        assert_eq!(mistype_of("hubsopt", &[]), None);
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

    #[test]
    fn a_key_is_at_most_64_characters() {
        assert!(validate_key(&"a".repeat(64)).is_ok());
        assert!(validate_key(&"a".repeat(65)).is_err());
        assert!(validate_key("9lives").is_ok());
        assert!(validate_key("a_").is_ok());
        assert!(validate_key("_a").is_err());
        assert!(validate_key("a.b").is_err());
    }

    #[test]
    fn a_filter_key_that_is_no_system_names_the_closest_and_lists_them() {
        let systems = ["hubspot".to_owned(), "salesforce".to_owned()];
        assert!(check_filter_key("hubspot", &systems).is_ok());
        let said = |key: &str| check_filter_key(key, &systems).unwrap_err().to_string();
        assert_eq!(
            said("hubspto"),
            "No system is called hubspto. Did you mean hubspot? The systems are: hubspot, salesforce."
        );
        assert_eq!(
            said("sales"),
            "No system is called sales. The systems are: hubspot, salesforce."
        );
        // Within a third of the system's length: three edits from salesforce.
        assert_eq!(
            said("sxlesfxrcx"),
            "No system is called sxlesfxrcx. Did you mean salesforce? The systems are: hubspot, salesforce."
        );
        assert_eq!(
            said("hub\u{1b}spot"),
            "No system is called hub\u{241b}spot. Did you mean hubspot? The systems are: hubspot, salesforce."
        );
        assert_eq!(
            known_keys().collect::<Vec<_>>(),
            KNOWN.iter().map(|(k, _)| *k).collect::<Vec<_>>()
        );
        assert!(known_keys().any(|k| k == "entra"));
    }
}
