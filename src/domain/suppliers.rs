//! The systems an employee has accounts in ("data suppliers"), as one sorted, distinct
//! list: the table's Data suppliers column, the Tracked tab's condition (a non-empty
//! list) and the JSON `suppliers` field. Stored as one text, the keys joined by commas
//! (a system key never holds a comma, see `system::validate_key`); this module is the
//! one place that writes and reads that text.

/// Sorted distinct system keys.
pub fn keys<'a>(systems: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut keys: Vec<String> = systems.map(str::to_owned).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// The stored text of sorted distinct `keys`.
pub fn encode(keys: &[String]) -> String {
    keys.join(",")
}

/// The keys of a stored text.
pub fn decode(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The stored text with one more system: `add("hubspot,salesforce", "hr")` is
/// "hr,hubspot,salesforce", as `encode(keys(…))` of all three gives it.
pub fn add(text: &str, system: &str) -> String {
    let mut keys: Vec<&str> = text.split(',').filter(|k| !k.is_empty()).collect();
    if let Err(at) = keys.binary_search(&system) {
        keys.insert(at, system);
    }
    keys.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppliers_stay_sorted_and_distinct() {
        assert_eq!(add("", "hr"), "hr");
        assert_eq!(add("hubspot,salesforce", "hr"), "hr,hubspot,salesforce");
        assert_eq!(
            add("hubspot,salesforce", "pipedrive"),
            "hubspot,pipedrive,salesforce"
        );
        assert_eq!(add("hubspot", "hubspot"), "hubspot");
        assert_eq!(add("a", "z"), "a,z");
        let all = keys(["salesforce", "hr", "salesforce"].into_iter());
        assert_eq!(encode(&all), "hr,salesforce");
        assert_eq!(decode(&encode(&all)), all);
        assert_eq!(decode(""), Vec::<String>::new());
    }
}
