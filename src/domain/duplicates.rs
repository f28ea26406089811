//! Which profiles are probably one person (docs/review.md "Duplicate suggestions"): pure
//! rules over what the store knows of each profile (its folded name, its emails), and
//! the hashed form of the same rules that a scan of a million profiles runs first, so
//! that only the few profiles that may pair are looked at exactly.
//!
//! The rules, each with the reason it gives:
//! - `same_email`: two or more profiles hold the same email (primary, or an account's);
//! - `same_name_domain`: the same folded name, and emails at the same domain;
//! - `same_local_part`: the same folded name, and the same email local part at another
//!   domain.
//!
//! An email held by more than `CAP` profiles is a shared address, and a folded name held
//! by more than `CAP` profiles a common name: neither is evidence, so neither suggests.
//! A pair an admin dismissed is never suggested again.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::sort_key::sort_key;
use super::validate::normalize_email;

/// The most profiles an email or a folded name may be held by and still suggest.
pub const CAP: usize = 10;

/// The folded name the rules compare: the table's sort key (accents, case and script
/// folded; see `sort_key`).
pub fn folded_name(name: &str) -> String {
    sort_key(name)
}

/// One profile as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub id: i64,
    /// The name as shown, for the reasons.
    pub name: String,
    /// `folded_name(name)`.
    pub folded: String,
    /// Normalised emails (`normalize_email`): the primary email and the accounts'.
    pub emails: Vec<String>,
}

impl Facts {
    pub fn new(id: i64, name: &str, emails: impl IntoIterator<Item = String>) -> Facts {
        let mut list: Vec<String> = Vec::new();
        for e in emails {
            let e = normalize_email(&e);
            if !e.is_empty() && !list.contains(&e) {
                list.push(e);
            }
        }
        Facts {
            id,
            name: name.to_owned(),
            folded: folded_name(name),
            emails: list,
        }
    }
}

/// The rule that suggested a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    SameEmail,
    SameNameDomain,
    SameLocalPart,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::SameEmail => "same_email",
            Rule::SameNameDomain => "same_name_domain",
            Rule::SameLocalPart => "same_local_part",
        }
    }
}

/// Why a group was suggested: the rule and what its members share.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// They hold this email.
    Email(String),
    /// The folded name, and the domain their emails are at.
    NameDomain { name: String, domain: String },
    /// The folded name, the local part, and the domains it is at.
    NameLocal {
        name: String,
        local: String,
        domains: Vec<String>,
    },
}

impl Reason {
    pub fn rule(&self) -> Rule {
        match self {
            Reason::Email(_) => Rule::SameEmail,
            Reason::NameDomain { .. } => Rule::SameNameDomain,
            Reason::NameLocal { .. } => Rule::SameLocalPart,
        }
    }

    /// "they share the email jane@acme.com" (data as stored: the fronts sanitise it).
    pub fn phrase(&self) -> String {
        match self {
            Reason::Email(e) => format!("they share the email {e}"),
            Reason::NameDomain { name, domain } => {
                format!("they have the same name ({name}) and emails at {domain}")
            }
            Reason::NameLocal {
                name,
                local,
                domains,
            } => format!(
                "they have the same name ({name}) and the same email name {local} at {}",
                and_list(domains)
            ),
        }
    }
}

/// "a", "a and b", "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Profiles that are probably one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// Sorted ids, two or more.
    pub profiles: Vec<i64>,
    /// Sorted; at least one.
    pub reasons: Vec<Reason>,
}

impl Suggestion {
    /// The item's subject: the sorted ids, comma-separated ("3,17").
    pub fn subject(&self) -> String {
        subject(&self.profiles)
    }

    pub fn rules(&self) -> Vec<Rule> {
        let set: BTreeSet<Rule> = self.reasons.iter().map(Reason::rule).collect();
        set.into_iter().collect()
    }

    /// The item's sentence: who, why, and what can be done.
    pub fn sentence(&self, names: &HashMap<i64, String>) -> String {
        let who: Vec<String> = self
            .profiles
            .iter()
            .map(|id| match names.get(id) {
                Some(n) => format!("{n} (#{id})"),
                None => format!("#{id}"),
            })
            .collect();
        let why: Vec<String> = self.reasons.iter().map(Reason::phrase).collect();
        format!(
            "{} may be one person: {}. Merge them into the one to keep, or dismiss the suggestion if they are different people.",
            and_list(&who),
            why.join("; ")
        )
    }
}

pub fn subject(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Pairs an admin said are different people, smaller id first.
pub type Dismissed = HashSet<(i64, i64)>;

fn pair(a: i64, b: i64) -> (i64, i64) {
    if a < b { (a, b) } else { (b, a) }
}

/// Adds every pair of `ids` to `dismissed` (a dismissed group dismisses its pairs).
pub fn dismiss_all(dismissed: &mut Dismissed, ids: &[i64]) {
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            if a != b {
                dismissed.insert(pair(*a, *b));
            }
        }
    }
}

fn split_email(e: &str) -> Option<(&str, &str)> {
    let at = e.rfind('@')?;
    let (local, domain) = (&e[..at], &e[at + 1..]);
    (!local.is_empty() && !domain.is_empty()).then_some((local, domain))
}

/// The suggestions among `facts`, exactly. `seeds`: when given, only groups with at
/// least one of these profiles (a scan of the profiles an import touched, whose
/// neighbours are in `facts`); the groups of other keys may be incomplete then.
pub fn suggest(
    facts: &[Facts],
    dismissed: &Dismissed,
    seeds: Option<&HashSet<i64>>,
) -> Vec<Suggestion> {
    // Each key's holders, per rule.
    let mut by_email: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    let mut by_name: HashMap<&str, BTreeSet<i64>> = HashMap::new();
    for f in facts {
        for e in &f.emails {
            by_email.entry(e.as_str()).or_default().insert(f.id);
        }
        if !f.folded.trim().is_empty() {
            by_name.entry(f.folded.as_str()).or_default().insert(f.id);
        }
    }
    let mut groups: BTreeMap<Vec<i64>, BTreeSet<Reason>> = BTreeMap::new();
    let mut add = |ids: &BTreeSet<i64>, reason: Reason| {
        if ids.len() < 2 || ids.len() > CAP {
            return;
        }
        if seeds.is_some_and(|s| !ids.iter().any(|id| s.contains(id))) {
            return;
        }
        groups
            .entry(ids.iter().copied().collect())
            .or_default()
            .insert(reason);
    };
    for (email, ids) in &by_email {
        add(ids, Reason::Email((*email).to_owned()));
    }
    let common: HashSet<&str> = by_name
        .iter()
        .filter(|(_, ids)| ids.len() > CAP)
        .map(|(n, _)| *n)
        .collect();
    let mut by_domain: BTreeMap<(&str, &str), BTreeSet<i64>> = BTreeMap::new();
    let mut by_local: BTreeMap<(&str, &str), BTreeMap<i64, BTreeSet<&str>>> = BTreeMap::new();
    for f in facts {
        let name = f.folded.as_str();
        if name.trim().is_empty() || common.contains(name) {
            continue;
        }
        for e in &f.emails {
            if let Some((local, domain)) = split_email(e) {
                by_domain.entry((name, domain)).or_default().insert(f.id);
                by_local
                    .entry((name, local))
                    .or_default()
                    .entry(f.id)
                    .or_default()
                    .insert(domain);
            }
        }
    }
    for ((name, domain), ids) in &by_domain {
        add(
            ids,
            Reason::NameDomain {
                name: (*name).to_owned(),
                domain: (*domain).to_owned(),
            },
        );
    }
    for ((name, local), holders) in &by_local {
        let domains: BTreeSet<&str> = holders.values().flatten().copied().collect();
        if domains.len() < 2 {
            // One domain: the same email, which `same_email` says already.
            continue;
        }
        let ids: BTreeSet<i64> = holders.keys().copied().collect();
        add(
            &ids,
            Reason::NameLocal {
                name: (*name).to_owned(),
                local: (*local).to_owned(),
                domains: domains.into_iter().map(str::to_owned).collect(),
            },
        );
    }
    let mut out: BTreeMap<Vec<i64>, BTreeSet<Reason>> = BTreeMap::new();
    for (ids, reasons) in groups {
        let whole = ids.iter().enumerate().all(|(i, a)| {
            ids[i + 1..]
                .iter()
                .all(|b| !dismissed.contains(&pair(*a, *b)))
        });
        if whole {
            out.entry(ids).or_default().extend(reasons);
            continue;
        }
        // Some pairs were dismissed: the others are suggested pair by pair.
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                let p = pair(*a, *b);
                if dismissed.contains(&p) {
                    continue;
                }
                if seeds.is_some_and(|s| !s.contains(a) && !s.contains(b)) {
                    continue;
                }
                out.entry(vec![p.0, p.1])
                    .or_default()
                    .extend(reasons.iter().cloned());
            }
        }
    }
    out.into_iter()
        .map(|(profiles, reasons)| Suggestion {
            profiles,
            reasons: reasons.into_iter().collect(),
        })
        .collect()
}

/// The hashed rules, for a scan of every profile: each occurrence of a key is one
/// `u64` (the key's hash above, the profile's index below), so that a million profiles
/// take a few megabytes and one sort per rule. A hash may collide: these runs only say
/// which profiles to look at exactly (`suggest`), never what to suggest.
pub struct Hashed {
    /// Bits for the profile's index.
    bits: u32,
    /// Profiles' folded-name hashes, by index (0: no name).
    names: Vec<u64>,
    emails: Vec<u64>,
    domains: Vec<u64>,
    locals: Vec<u64>,
}

pub fn hash_str(s: &str) -> u64 {
    use std::hash::{DefaultHasher, Hasher};
    let mut h = DefaultHasher::new();
    h.write(s.as_bytes());
    h.finish() | 1
}

fn mix(a: u64, b: u64) -> u64 {
    let x = a ^ b.rotate_left(29).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (x ^ (x >> 31)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (x >> 17)
}

impl Hashed {
    /// For up to `profiles` profiles (indexes `0..profiles`).
    pub fn new(profiles: usize) -> Hashed {
        let bits = (usize::BITS - profiles.max(2).leading_zeros()).max(1);
        Hashed {
            bits,
            names: Vec::with_capacity(profiles),
            emails: Vec::with_capacity(profiles),
            domains: Vec::with_capacity(profiles),
            locals: Vec::with_capacity(profiles),
        }
    }

    fn entry(&self, key: u64, who: u32) -> u64 {
        (key << self.bits) | u64::from(who)
    }

    /// Adds the next profile (its index is the number added before); returns it.
    pub fn profile(&mut self, sort_name: &str) -> u32 {
        let who = self.names.len() as u32;
        self.names.push(if sort_name.trim().is_empty() {
            0
        } else {
            hash_str(sort_name)
        });
        who
    }

    /// An email (normalised) of profile `who`.
    pub fn email(&mut self, who: u32, email: &str) {
        self.emails.push(self.entry(hash_str(email), who));
        let name = self.names[who as usize];
        if name == 0 {
            return;
        }
        if let Some((local, domain)) = split_email(email) {
            self.domains
                .push(self.entry(mix(name, hash_str(domain)), who));
            self.locals
                .push(self.entry(mix(name, hash_str(local)), who));
        }
    }

    /// The profiles (indexes) that may be in a suggestion.
    pub fn candidates(mut self) -> Vec<u32> {
        let mask = (1u64 << self.bits) - 1;
        let mut out = vec![false; self.names.len()];
        // Names held by more than CAP profiles do not suggest.
        let mut names: Vec<u64> = self.names.iter().copied().filter(|n| *n != 0).collect();
        names.sort_unstable();
        let mut common: HashSet<u64> = HashSet::new();
        for run in names.chunk_by(|a, b| a == b) {
            if run.len() > CAP {
                common.insert(run[0]);
            }
        }
        drop(names);
        let shift = self.bits;
        let mut mark = |v: &mut Vec<u64>, named: bool| {
            v.sort_unstable();
            for run in v.chunk_by(|a, b| a >> shift == b >> shift) {
                let mut who: Vec<u32> = run.iter().map(|e| (e & mask) as u32).collect();
                who.dedup();
                if who.len() < 2 || who.len() > CAP {
                    continue;
                }
                for w in who {
                    if !named || !common.contains(&self.names[w as usize]) {
                        out[w as usize] = true;
                    }
                }
            }
            *v = Vec::new();
        };
        mark(&mut self.emails, false);
        mark(&mut self.domains, true);
        mark(&mut self.locals, true);
        out.iter()
            .enumerate()
            .filter(|(_, m)| **m)
            .map(|(i, _)| i as u32)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(id: i64, name: &str, emails: &[&str]) -> Facts {
        Facts::new(id, name, emails.iter().map(|e| (*e).to_owned()))
    }

    fn ids(s: &[Suggestion]) -> Vec<Vec<i64>> {
        s.iter().map(|s| s.profiles.clone()).collect()
    }

    #[test]
    fn the_same_email_on_several_profiles() {
        let facts = [
            f(1, "Jane Doe", &["jane@acme.com"]),
            f(2, "J. Doe", &["JANE@acme.com "]),
            f(3, "Bob", &["bob@acme.com"]),
        ];
        let s = suggest(&facts, &Dismissed::new(), None);
        assert_eq!(ids(&s), [vec![1, 2]]);
        assert_eq!(s[0].reasons, [Reason::Email("jane@acme.com".into())]);
        assert_eq!(s[0].rules(), [Rule::SameEmail]);
    }

    #[test]
    fn the_same_folded_name_and_domain() {
        let facts = [
            f(1, "Émile Zola", &["emile@acme.com"]),
            f(2, "EMILE ZOLA", &["e.zola@acme.com"]),
            f(3, "Emile Zola", &["emile@other.org"]),
            f(4, "Anna Berg", &["anna@acme.com"]),
        ];
        let s = suggest(&facts, &Dismissed::new(), None);
        assert_eq!(ids(&s), [vec![1, 2], vec![1, 3]]);
        assert_eq!(
            s[0].reasons,
            [Reason::NameDomain {
                name: "emile zola".into(),
                domain: "acme.com".into()
            }]
        );
        // 1 and 3: the same local part at another domain.
        assert_eq!(s[1].rules(), [Rule::SameLocalPart]);
        let names: HashMap<i64, String> = [(1, "Émile Zola".to_owned())].into();
        assert_eq!(
            s[1].sentence(&names),
            "Émile Zola (#1) and #3 may be one person: they have the same name (emile zola) and the same email name emile at acme.com and other.org. Merge them into the one to keep, or dismiss the suggestion if they are different people."
        );
    }

    #[test]
    fn a_name_alone_or_a_local_part_alone_is_no_reason() {
        let facts = [
            f(1, "Jane Doe", &["jane@acme.com"]),
            f(2, "Jane Doe", &["jd@other.org"]),
            f(3, "John Roe", &["jane@else.net"]),
            f(4, "Jane Doe", &[]),
        ];
        assert!(suggest(&facts, &Dismissed::new(), None).is_empty());
    }

    #[test]
    fn reasons_of_one_group_are_one_suggestion() {
        let facts = [
            f(1, "Jane Doe", &["jane@acme.com", "jd@acme.com"]),
            f(2, "jane doe", &["jane@acme.com"]),
        ];
        let s = suggest(&facts, &Dismissed::new(), None);
        assert_eq!(ids(&s), [vec![1, 2]]);
        assert_eq!(s[0].rules(), [Rule::SameEmail, Rule::SameNameDomain]);
    }

    #[test]
    fn shared_addresses_and_common_names_do_not_suggest() {
        let many: Vec<Facts> = (1..=CAP as i64 + 1)
            .map(|i| f(i, &format!("Person {i}"), &["noreply@acme.com"]))
            .collect();
        assert!(suggest(&many, &Dismissed::new(), None).is_empty());
        let smiths: Vec<Facts> = (1..=CAP as i64 + 1)
            .map(|i| f(i, "John Smith", &[&format!("js{i}@acme.com")]))
            .collect();
        assert!(suggest(&smiths, &Dismissed::new(), None).is_empty());
        let few = &many[..CAP];
        assert_eq!(suggest(few, &Dismissed::new(), None).len(), 1);
    }

    #[test]
    fn a_dismissed_pair_is_not_suggested_again() {
        let facts = [
            f(1, "A", &["x@acme.com"]),
            f(2, "B", &["x@acme.com"]),
            f(3, "C", &["x@acme.com"]),
        ];
        let mut dismissed = Dismissed::new();
        assert_eq!(ids(&suggest(&facts, &dismissed, None)), [vec![1, 2, 3]]);
        dismissed.insert((1, 2));
        assert_eq!(
            ids(&suggest(&facts, &dismissed, None)),
            [vec![1, 3], vec![2, 3]]
        );
        dismiss_all(&mut dismissed, &[1, 2, 3]);
        assert!(suggest(&facts, &dismissed, None).is_empty());
    }

    #[test]
    fn seeds_keep_the_groups_they_are_in() {
        let facts = [
            f(1, "A", &["x@acme.com"]),
            f(2, "B", &["x@acme.com"]),
            f(3, "C", &["y@acme.com"]),
            f(4, "D", &["y@acme.com"]),
        ];
        let seeds: HashSet<i64> = [4].into();
        assert_eq!(
            ids(&suggest(&facts, &Dismissed::new(), Some(&seeds))),
            [vec![3, 4]]
        );
    }

    /// The hashed scan finds every profile the exact rules would suggest.
    #[test]
    fn the_hashed_candidates_cover_the_exact_suggestions() {
        let facts = [
            f(10, "Jane Doe", &["jane@acme.com"]),
            f(11, "Other", &["JANE@acme.com"]),
            f(12, "Émile Zola", &["emile@acme.com"]),
            f(13, "emile zola", &["ez@acme.com"]),
            f(14, "Kofi", &["kofi@a.io"]),
            f(15, "Kofi", &["kofi@b.io"]),
            f(16, "Lone", &["lone@acme.com"]),
        ];
        let mut h = Hashed::new(facts.len());
        for x in &facts {
            let who = h.profile(&x.folded);
            for e in &x.emails {
                h.email(who, e);
            }
        }
        let got: Vec<i64> = h
            .candidates()
            .into_iter()
            .map(|w| facts[w as usize].id)
            .collect();
        assert_eq!(got, [10, 11, 12, 13, 14, 15]);
        let exact: BTreeSet<i64> = suggest(&facts, &Dismissed::new(), None)
            .into_iter()
            .flat_map(|s| s.profiles)
            .collect();
        assert_eq!(exact.into_iter().collect::<Vec<_>>(), got);
    }

    /// The profiles the hashed scan would look at exactly, by id.
    fn hashed(facts: &[Facts]) -> Vec<i64> {
        let mut h = Hashed::new(facts.len());
        for x in facts {
            let who = h.profile(&x.folded);
            for e in &x.emails {
                h.email(who, e);
            }
        }
        h.candidates()
            .into_iter()
            .map(|w| facts[w as usize].id)
            .collect()
    }

    #[test]
    fn a_name_held_by_more_than_cap_profiles_is_common_in_both_scans() {
        // Two of the Smiths share a domain; the others are at a domain each.
        let smiths = |n: i64| -> Vec<Facts> {
            (1..=n)
                .map(|i| {
                    let domain = if i <= 2 {
                        "acme.com".into()
                    } else {
                        format!("d{i}.io")
                    };
                    f(i, "John Smith", &[&format!("js{i}@{domain}")])
                })
                .collect()
        };
        let at_cap = smiths(CAP as i64);
        assert_eq!(
            ids(&suggest(&at_cap, &Dismissed::new(), None)),
            [vec![1, 2]]
        );
        assert_eq!(hashed(&at_cap), [1, 2]);
        let common = smiths(CAP as i64 + 1);
        assert!(suggest(&common, &Dismissed::new(), None).is_empty());
        assert!(hashed(&common).is_empty());
    }

    #[test]
    fn a_blank_name_or_an_email_without_a_local_part_is_no_reason() {
        let facts = [
            f(1, "", &["a@acme.com"]),
            f(2, "  ", &["b@acme.com"]),
            f(3, "Jane Doe", &["@acme.com"]),
            f(4, "Jane Doe", &["jd@acme.com"]),
            f(5, "Jane Doe", &["@other.org"]),
        ];
        assert!(suggest(&facts, &Dismissed::new(), None).is_empty());
        assert!(hashed(&facts).is_empty());
    }

    #[test]
    fn after_a_dismissal_the_pairs_left_keep_a_seed() {
        let facts = [
            f(1, "A", &["x@acme.com"]),
            f(2, "B", &["x@acme.com"]),
            f(3, "C", &["x@acme.com"]),
        ];
        let dismissed: Dismissed = [(1, 2)].into();
        let seeds: HashSet<i64> = [1].into();
        assert_eq!(
            ids(&suggest(&facts, &dismissed, Some(&seeds))),
            [vec![1, 3]]
        );
    }

    #[test]
    fn a_suggestion_is_stored_under_its_sorted_ids_and_its_rules_words() {
        let facts = [f(17, "A", &["x@acme.com"]), f(3, "B", &["x@acme.com"])];
        let s = suggest(&facts, &Dismissed::new(), None);
        assert_eq!(s[0].subject(), "3,17");
        assert_eq!(subject(&[3, 17, 20]), "3,17,20");
        for rule in [Rule::SameEmail, Rule::SameNameDomain, Rule::SameLocalPart] {
            assert_eq!(
                serde_json::to_value(rule).unwrap(),
                serde_json::Value::from(rule.as_str())
            );
        }
        assert_eq!(Rule::SameLocalPart.as_str(), "same_local_part");
    }

    #[test]
    fn an_email_held_by_cap_profiles_still_suggests_in_both_scans() {
        let holders = |n: i64| -> Vec<Facts> {
            (1..=n)
                .map(|i| f(i, &format!("Person {i}"), &["team@acme.com"]))
                .collect()
        };
        let at_cap = holders(CAP as i64);
        assert_eq!(suggest(&at_cap, &Dismissed::new(), None).len(), 1);
        assert_eq!(hashed(&at_cap), (1..=CAP as i64).collect::<Vec<_>>());
        assert!(hashed(&holders(CAP as i64 + 1)).is_empty());
    }
}
