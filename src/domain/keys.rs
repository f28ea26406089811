//! The match keys of an import, held in memory: compact enough for a million profiles.
//!
//! Strings are not kept: external IDs and normalised emails are keyed by a 128-bit hash
//! (two independent SipHash-1-3 runs; a collision among a few million keys has a
//! probability around 2^-80), and the fields an import compares are kept as 64-bit
//! hashes. The hash maps use the key itself as the hash, since it is already uniform.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, DefaultHasher, Hasher};

/// A 128-bit key of a string (an external ID, a normalised email).
pub type Key = u128;

pub fn key128(s: &str) -> Key {
    let mut a = DefaultHasher::new();
    a.write(s.as_bytes());
    let mut b = DefaultHasher::new();
    b.write_u8(0xa5);
    b.write(s.as_bytes());
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

/// A 64-bit fingerprint of an optional field value; `None` and `Some("")` differ from
/// every non-empty value and from each other.
pub fn fingerprint(v: Option<&str>) -> u64 {
    let mut h = DefaultHasher::new();
    match v {
        None => h.write_u8(0),
        Some(s) => {
            h.write_u8(1);
            h.write(s.as_bytes());
        }
    }
    h.finish()
}

/// A hasher for keys that are hashes already: it folds the 128 bits into 64.
#[derive(Default, Clone, Copy)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not used by the u128 and i64 keys of this module; FNV-1a keeps it correct.
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u128(&mut self, k: u128) {
        self.0 = (k as u64) ^ ((k >> 64) as u64);
    }

    fn write_u64(&mut self, k: u64) {
        // Employee ids are small and dense: spread them.
        self.0 = k.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn write_i64(&mut self, k: i64) {
        self.write_u64(k as u64);
    }
}

pub type KeyMap<V> = HashMap<Key, V, BuildHasherDefault<PassThrough>>;

pub fn key_map<V>(capacity: usize) -> KeyMap<V> {
    HashMap::with_capacity_and_hasher(capacity, BuildHasherDefault::default())
}

/// Which employees hold an email, as primary email or as the email of a connection
/// (README "Importing › The rules", step 2). Each holder is counted per source, so that an account changing
/// its email removes exactly one source.
#[derive(Default)]
pub struct EmailIndex {
    map: KeyMap<Holders>,
}

enum Holders {
    /// One employee holds the email, through `n` sources (the common case).
    One {
        employee: i64,
        n: u32,
    },
    Many(Vec<(i64, u32)>),
}

impl EmailIndex {
    pub fn with_capacity(n: usize) -> EmailIndex {
        EmailIndex { map: key_map(n) }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Records that `employee` holds `email_norm` through one more source.
    pub fn add(&mut self, email_norm: &str, employee: i64) {
        self.add_key(key128(email_norm), employee);
    }

    pub fn add_key(&mut self, key: Key, employee: i64) {
        match self.map.get_mut(&key) {
            None => {
                self.map.insert(key, Holders::One { employee, n: 1 });
            }
            Some(slot) => match slot {
                Holders::One { employee: e, n } if *e == employee => *n += 1,
                Holders::One { employee: e, n } => {
                    let first = (*e, *n);
                    *slot = Holders::Many(vec![first, (employee, 1)]);
                }
                Holders::Many(list) => match list.iter_mut().find(|(e, _)| *e == employee) {
                    Some((_, n)) => *n += 1,
                    None => list.push((employee, 1)),
                },
            },
        }
    }

    /// Records that `employee` holds `email_norm` through one source less.
    pub fn remove(&mut self, email_norm: &str, employee: i64) {
        let key = key128(email_norm);
        let Some(slot) = self.map.get_mut(&key) else {
            return;
        };
        match slot {
            Holders::One { employee: e, n } if *e == employee => {
                *n -= 1;
                if *n == 0 {
                    self.map.remove(&key);
                }
            }
            Holders::One { .. } => {}
            Holders::Many(list) => {
                if let Some(i) = list.iter().position(|(e, _)| *e == employee) {
                    list[i].1 -= 1;
                    if list[i].1 == 0 {
                        list.remove(i);
                    }
                }
                if let [(e, n)] = list.as_slice() {
                    *slot = Holders::One {
                        employee: *e,
                        n: *n,
                    };
                }
            }
        }
    }

    /// The employees holding `email_norm`, sorted.
    pub fn holders(&self, email_norm: &str) -> Vec<i64> {
        match self.map.get(&key128(email_norm)) {
            None => Vec::new(),
            Some(Holders::One { employee, .. }) => vec![*employee],
            Some(Holders::Many(list)) => {
                let mut ids: Vec<i64> = list.iter().map(|(e, _)| *e).collect();
                ids.sort_unstable();
                ids
            }
        }
    }
}

/// The accounts of the importing system that earlier rows of the file linked or
/// created, by employee (README "Importing › The rules": one system, one account per person). Each employee
/// gets at most one: a profile that holds an account of the system is never linked to
/// another. Profiles the import creates have consecutive ids from `first_new`, so their
/// accounts sit in one string, in id order, found by their ends without a map.
pub struct MadeAccounts {
    first_new: i64,
    created_text: String,
    /// Where the account of profile `first_new + i` ends in `created_text`.
    created_ends: Vec<usize>,
    linked_text: String,
    linked: HashMap<i64, (usize, usize), BuildHasherDefault<PassThrough>>,
}

impl MadeAccounts {
    pub fn new(first_new: i64) -> MadeAccounts {
        MadeAccounts {
            first_new,
            created_text: String::new(),
            created_ends: Vec::new(),
            linked_text: String::new(),
            linked: HashMap::default(),
        }
    }

    /// Records the account of the profile created next (ids are handed out in order).
    pub fn created(&mut self, id: i64, external_id: &str) {
        debug_assert_eq!(id, self.first_new + self.created_ends.len() as i64);
        self.created_text.push_str(external_id);
        self.created_ends.push(self.created_text.len());
    }

    pub fn linked(&mut self, employee: i64, external_id: &str) {
        let start = self.linked_text.len();
        self.linked_text.push_str(external_id);
        self.linked
            .insert(employee, (start, self.linked_text.len()));
    }

    /// The account an earlier row gave `employee`, if any.
    pub fn of(&self, employee: i64) -> Option<&str> {
        if employee >= self.first_new {
            let i = usize::try_from(employee - self.first_new).ok()?;
            let end = *self.created_ends.get(i)?;
            let start = if i == 0 { 0 } else { self.created_ends[i - 1] };
            self.created_text.get(start..end)
        } else {
            let (start, end) = *self.linked.get(&employee)?;
            self.linked_text.get(start..end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_accounts_are_found_by_employee() {
        let mut m = MadeAccounts::new(100);
        m.created(100, "a1");
        m.linked(7, "l7");
        m.created(101, "b22");
        assert_eq!(m.of(100), Some("a1"));
        assert_eq!(m.of(101), Some("b22"));
        assert_eq!(m.of(7), Some("l7"));
        assert_eq!(m.of(8), None);
        assert_eq!(m.of(102), None);
    }

    #[test]
    fn keys_are_stable_and_distinct() {
        assert_eq!(key128("a@b.c"), key128("a@b.c"));
        assert_ne!(key128("a@b.c"), key128("a@b.d"));
        assert_ne!(fingerprint(None), fingerprint(Some("")));
        assert_eq!(fingerprint(Some("x")), fingerprint(Some("x")));
    }

    #[test]
    fn holders_count_sources() {
        let mut ix = EmailIndex::default();
        ix.add("x@y", 1);
        ix.add("x@y", 1);
        assert_eq!(ix.holders("x@y"), vec![1]);
        ix.add("x@y", 7);
        ix.add("x@y", 3);
        assert_eq!(ix.holders("x@y"), vec![1, 3, 7]);
        ix.remove("x@y", 7);
        ix.remove("x@y", 1);
        assert_eq!(ix.holders("x@y"), vec![1, 3]);
        ix.remove("x@y", 1);
        assert_eq!(ix.holders("x@y"), vec![3]);
        ix.remove("x@y", 3);
        assert!(ix.holders("x@y").is_empty());
        assert!(ix.is_empty());
        // Removing what is not there changes nothing.
        ix.remove("x@y", 3);
        ix.add("q@r", 2);
        ix.remove("q@r", 5);
        assert_eq!(ix.holders("q@r"), vec![2]);
    }

    #[test]
    fn a_second_source_of_one_of_several_holders_is_counted() {
        let mut ix = EmailIndex::with_capacity(4);
        ix.add("x@y", 1);
        ix.add("x@y", 7);
        ix.add("x@y", 7);
        ix.add("q@r", 2);
        assert_eq!((ix.len(), ix.is_empty()), (2, false));
        ix.remove("x@y", 7);
        assert_eq!(ix.holders("x@y"), vec![1, 7]);
        ix.remove("x@y", 7);
        assert_eq!(ix.holders("x@y"), vec![1]);
    }

    /// A key is two 64-bit hashes, both kept: the collision odds of the module's note
    /// hold only with all 128 bits.
    #[test]
    fn a_key_keeps_both_halves() {
        for s in ["a@b.c", "", "12345", "jane@acme.com"] {
            let k = key128(s);
            assert_ne!(k >> 64, 0, "{s}");
            assert_ne!(k as u64, 0, "{s}");
        }
    }

    /// The maps hash by the key itself: distinct keys, ids and strings must land on
    /// distinct hashes, or every lookup is a scan of one bucket (right, but slow).
    #[test]
    fn the_pass_through_hasher_spreads_keys_ids_and_bytes() {
        use std::collections::HashSet;
        use std::hash::BuildHasher;
        let b = BuildHasherDefault::<PassThrough>::default();
        let keys: HashSet<u64> = (0..64u128)
            .flat_map(|i| [i, (i + 1000) << 64, key128(&i.to_string())])
            .map(|k| b.hash_one(k))
            .collect();
        assert_eq!(keys.len(), 3 * 64);
        let ids: HashSet<u64> = (-32..32i64).map(|i| b.hash_one(i)).collect();
        assert_eq!(ids.len(), 64);
        let ids: HashSet<u64> = (0..64u64).map(|i| b.hash_one(i)).collect();
        assert_eq!(ids.len(), 64);
        let strs: HashSet<u64> = ["a", "b", "ab", "ba", "abc"]
            .iter()
            .map(|s| b.hash_one(s))
            .collect();
        assert_eq!(strs.len(), 5);
    }
}
