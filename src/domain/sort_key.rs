//! The order of the employees table: by name as a person reads it, whatever the accents,
//! the case or the script. SQLite's NOCASE folds ASCII letters only and would put
//! "Émile" and "Øyvind" after "Zoe"; the store keeps this key beside the name instead
//! (`employees.sort_name`, indexed) and every listing orders by it, then by id.

/// Letters without their accents, transliterated to Latin where another script has a
/// reading ("山田" as "shan tian"), in lower case; what has no reading sorts last.
pub fn sort_key(name: &str) -> String {
    deunicode::deunicode_with_tofu(name.trim(), "~").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::sort_key;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<&str> = names.to_vec();
        v.sort_by_key(|n| sort_key(n));
        v.into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn accents_and_case_sort_with_their_letters() {
        assert_eq!(
            sorted(&[
                "Zoe Adams",
                "Émile Zola",
                "emma Stone",
                "Øyvind Ås",
                "Olga Ivanova",
                "Łukasz Nowak",
                "Lars Berg",
                "Çelik Ay",
                "Carla Diaz"
            ]),
            [
                "Carla Diaz",
                "Çelik Ay",
                "Émile Zola",
                "emma Stone",
                "Lars Berg",
                "Łukasz Nowak",
                "Olga Ivanova",
                "Øyvind Ås",
                "Zoe Adams"
            ]
        );
    }

    #[test]
    fn other_scripts_and_odd_names_get_a_place_too() {
        assert_eq!(sort_key("Straße"), "strasse");
        assert_eq!(sort_key("  Jane"), "jane");
        // 山田 太郎 sorts under S, by its reading, between Rossi and Smith.
        assert_eq!(sort_key("山田 太郎"), "shan tian tai lang");
        assert!(sort_key("Rossi") < sort_key("山田 太郎"));
        assert!(sort_key("山田 太郎") < sort_key("Smith"));
        assert_eq!(sort_key("Jane Doe"), sort_key("JANE DOE"));
        assert!(sort_key("Müller") < sort_key("Myers"));
    }
}
